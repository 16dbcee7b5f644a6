import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { initPython, isPythonReady, MAX_PYTHON_CHARS, parsePython } from '../../server/src/parse/python';
import { MAX_SYNTAX_ERRORS } from '../../server/src/parse/pythonExtract';
import type { FigDecl, FigStoreClass, PythonConfigModel } from '../../server/src/parse/types';
import { compact, fixture, FIXTURES, marked, r } from './python.helpers';

const URI = 'file:///work/config.py';

before(async () => {
  await initPython();
});

function only(m: PythonConfigModel): FigStoreClass {
  assert.equal(m.classes.length, 1, `expected one FigStore class, got ${m.classes.map((c) => c.className).join(', ') || 'none'}`);
  return m.classes[0];
}

function fig(m: PythonConfigModel, attr: string): FigDecl {
  const f = m.classes.flatMap((c) => c.figs).find((d) => d.attr === attr);
  assert.ok(f, `no Fig ${attr}; figs: ${m.classes.flatMap((c) => c.figs.map((d) => d.attr)).join(', ')}`);
  return f;
}

const HEAD = 'from figgy.figs import *\nfrom figgy.fig_store import FigStore\n';

/** A FigStore class around `body` lines (4-space indented) after the standard imports. */
function cls(body: string, head = HEAD): string {
  return `${head}class Figs(FigStore):\n${body
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n')}\n`;
}

describe('fixtures match their expected JSON', () => {
  for (const name of ['spec_example', 'seed_variant', 'app_lazy', 'non_ascii']) {
    test(name, () => {
      const m = parsePython(fixture(`${name}.py`), `file:///fixtures/${name}.py`);
      const expected = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.expected.json`), 'utf8'));
      // These fixtures pin the Figgy extraction; environment-variable facts (`env`, `charmCode`)
      // have their own fixtures in pythonEnv*.test.ts.
      const { env: _env, charmCode: _charm, ...figgy } = m;
      assert.deepEqual(compact(figgy as PythonConfigModel), expected);
    });
  }

  test('the bundled example service parses without problems', () => {
    const text = readFileSync(path.join(__dirname, '..', '..', 'examples', 'flask-service', 'src', 'config.py'), 'utf8');
    const m = parsePython(text, URI);
    const c = only(m);
    assert.equal(c.twig?.value, '/app/demo-service');
    assert.equal(c.figs.length, 9);
    assert.deepEqual(m.errors, []);
    assert.ok(c.figs.every((f) => f.argErrors.length === 0 && f.name));
    assert.deepEqual(fig(m, 'ADMIRED_PERSON').default?.value, 'Your Crush');
    assert.equal(fig(m, 'SQL_PORT').source?.value, '/shared/resources/dbs/fig-db/port');
  });
});

describe('spec example', () => {
  test('twig, kinds, names, merge pattern and uri_encode', () => {
    const m = parsePython(fixture('spec_example.py'), URI);
    const c = only(m);
    assert.equal(m.importsFiggy, true);
    assert.equal(c.className, 'Figs');
    assert.equal(c.twig?.value, '/app/demo-service');
    assert.deepEqual(
      c.figs.map((f) => [f.attr, f.kind, f.name?.value]),
      [
        ['SECRET_ADMIRER', 'AppFig', 'secret-admirer'],
        ['SQL_USER', 'SharedFig', 'replicated/sql/user'],
        ['SQL_PASSWORD', 'SharedFig', 'replicated/sql/password'],
        ['SQL_HOSTNAME', 'ReplicatedFig', 'replicated/sql/hostname'],
        ['SQL_PORT', 'ReplicatedFig', 'replicated/sql/port'],
        ['SQL_CONNECTION_STRING', 'MergeFig', 'replicated/sql-connection'],
      ],
    );
    const merge = fig(m, 'SQL_CONNECTION_STRING');
    assert.equal(merge.pattern?.form, 'list');
    const parts = merge.pattern?.form === 'list' ? merge.pattern.parts : [];
    assert.deepEqual(
      parts.map((p) => (p.kind === 'literal' ? p.value : p.kind === 'attr' ? `<${p.attr}>` : '?')),
      ['mysql://', '<SQL_USER>', ':', '<SQL_PASSWORD>', '@', '<SQL_HOSTNAME>', ':', '<SQL_PORT>'],
    );
    assert.deepEqual(merge.uriEncode?.map((p) => (p.kind === 'attr' ? p.attr : p.kind)), ['SQL_USER', 'SQL_PASSWORD']);
    assert.equal(fig(m, 'SQL_HOSTNAME').source?.value, '/shared/resources/dbs/fig-db/dns');
  });
});

describe('seed variant: ReplicatedFig("/shared/...", name="...")', () => {
  test('name given twice: argError on the call, positional value kept as the source', () => {
    const m = parsePython(fixture('seed_variant.py'), URI);
    const d = fig(m, 'SQL_DB_NAME');
    assert.equal(d.source?.value, '/shared/resources/dbs/fig-db/db-name');
    assert.equal(d.name?.value, 'replicated/sql/db-name');
    assert.deepEqual(d.argErrors.map((e) => [e.code, e.severity]), [['replicated-name-twice', 'error']]);
    assert.deepEqual(d.argErrors[0].range, d.callRange);
    // The other ReplicatedFigs of the same file are fine.
    assert.deepEqual(fig(m, 'SQL_PORT').argErrors, []);
    assert.equal(fig(m, 'THIRD_WHEEL').name?.value, 'third-wheel');
  });

  test('with an explicit source= the positional value is dropped', () => {
    const m = parsePython(cls('X = ReplicatedFig("/shared/a", name="n", source="/shared/b")'), URI);
    const d = fig(m, 'X');
    assert.equal(d.name?.value, 'n');
    assert.equal(d.source?.value, '/shared/b');
    assert.deepEqual(d.argErrors.map((e) => e.code), ['replicated-name-twice']);
  });
});

describe('import forms', () => {
  const cases: { label: string; src: string; importsFiggy: boolean }[] = [
    { label: 'star imports', src: `${HEAD}class S(FigStore):\n    A = AppFig("a")\n`, importsFiggy: true },
    { label: 'named imports', src: 'from figgy.figs import AppFig, SharedFig\nfrom figgy.fig_store import FigStore\nclass S(FigStore):\n    A = AppFig("a")\n', importsFiggy: true },
    { label: 'aliased names', src: 'from figgy.figs import AppFig as F\nfrom figgy.fig_store import FigStore as Store\nclass S(Store):\n    A = F("a")\n', importsFiggy: true },
    { label: 'module alias', src: 'import figgy.figs as f\nimport figgy.fig_store as fs\nclass S(fs.FigStore):\n    A = f.AppFig("a")\n', importsFiggy: true },
    { label: 'import figgy', src: 'import figgy\nclass S(figgy.fig_store.FigStore):\n    A = figgy.figs.AppFig("a")\n', importsFiggy: true },
    { label: 'import figgy.figs (binds figgy)', src: 'import figgy.figs\nimport figgy.fig_store\nclass S(figgy.fig_store.FigStore):\n    A = figgy.figs.AppFig("a")\n', importsFiggy: true },
    { label: 'from figgy import modules', src: 'from figgy import figs, fig_store\nclass S(fig_store.FigStore):\n    A = figs.AppFig("a")\n', importsFiggy: true },
    { label: 'no import visible', src: 'class S(FigStore):\n    A = AppFig("a")\n', importsFiggy: false },
    { label: 'imports inside try/except', src: 'try:\n    from figgy.figs import AppFig\n    from figgy.fig_store import FigStore\nexcept ImportError:\n    raise\nclass S(FigStore):\n    A = AppFig("a")\n', importsFiggy: true },
  ];
  for (const c of cases) {
    test(c.label, () => {
      const m = parsePython(c.src, URI);
      assert.equal(m.importsFiggy, c.importsFiggy);
      const k = only(m);
      assert.equal(k.className, 'S');
      assert.deepEqual(k.figs.map((f) => [f.attr, f.kind, f.name?.value]), [['A', 'AppFig', 'a']]);
      assert.deepEqual(k.nonFigs, []);
    });
  }

  test('a locally defined AppFig is not figgy\'s', () => {
    const m = parsePython(`${HEAD}class AppFig:\n    def __init__(self, n): pass\nclass S(FigStore):\n    A = AppFig("a")\n`, URI);
    const k = only(m);
    assert.deepEqual(k.figs, []);
    assert.deepEqual(k.nonFigs.map((n) => n.attr), ['A']);
  });

  test('AppFig imported from another module is not figgy\'s', () => {
    const m = parsePython('from figgy.fig_store import FigStore\nfrom mylib import AppFig\nclass S(FigStore):\n    A = AppFig("a")\n', URI);
    assert.deepEqual(only(m).figs, []);
  });

  test('an alias module without that class is not a Fig', () => {
    const m = parsePython('import figgy.figs as f\nfrom figgy.fig_store import FigStore\nclass S(FigStore):\n    A = f.NotAFig("a")\n', URI);
    assert.deepEqual(only(m).figs, []);
    assert.deepEqual(only(m).nonFigs.map((n) => n.attr), ['A']);
  });

  test('classes that do not derive from FigStore are ignored', () => {
    const m = parsePython(`${HEAD}class Other(Base):\n    A = AppFig("a")\nclass Local(FigStore if True else object):\n    B = AppFig("b")\n`, URI);
    assert.deepEqual(m.classes, []);
    assert.equal(m.importsFiggy, true);
  });

  test('FigStore shadowed by a local class does not count', () => {
    const m = parsePython('from figgy.figs import AppFig\nclass FigStore:\n    pass\nclass S(FigStore):\n    A = AppFig("a")\n', URI);
    assert.deepEqual(m.classes, []);
  });

  test('several FigStore classes in one file, also decorated', () => {
    const m = parsePython(`${HEAD}class A(FigStore):\n    TWIG = "/app/a"\n    X = AppFig("x")\n@decorate\nclass B(FigStore, metaclass=Meta):\n    TWIG = "/app/b"\n    Y = SharedFig("y")\n`, URI);
    assert.deepEqual(m.classes.map((c) => [c.className, c.twig?.value, c.figs.map((f) => f.attr)]), [
      ['A', '/app/a', ['X']],
      ['B', '/app/b', ['Y']],
    ]);
  });
});

describe('TWIG', () => {
  const resolves: [string, string, string][] = [
    ['literal', 'TWIG = "/app/svc"', '/app/svc'],
    ['annotated literal', "TWIG: str = '/app/svc'", '/app/svc'],
    ['f-string over a module constant', 'TWIG = f"/app/{SERVICE_NAME}"', '/app/demo'],
    ['f-string with !s and escaped braces', 'TWIG = f"/app/{SERVICE_NAME!s}{{x}}"', '/app/demo{x}'],
    ['concatenation', 'TWIG = "/app/" + SERVICE_NAME', '/app/demo'],
    ['concatenation in parentheses over several lines', 'TWIG = (\n    "/app/"\n    + SERVICE_NAME\n)', '/app/demo'],
    ['implicit string concatenation', 'TWIG = "/app" "/" f"{SERVICE_NAME}"', '/app/demo'],
    ['class constant defined before', 'ROOT = "/app"\nTWIG = f"{ROOT}/{SERVICE_NAME}"', '/app/demo'],
    ['chained module constants', 'TWIG = PREFIX + "/" + SERVICE_NAME', '/app/demo'],
    ['int constant formatted in an f-string', 'TWIG = f"/app/svc-{VERSION}"', '/app/svc-2'],
    ['escape sequences', 'TWIG = "/app/\\x64emo\\u00e9"', '/app/demoé'],
    ['format spec in an f-string', 'TWIG = f"/app/{SERVICE_NAME:>6}-{VERSION:03d}"', '/app/  demo-002'],
    ['str methods', 'TWIG = "/APP/" + SERVICE_NAME.upper().lower().replace("d", "D")', '/APP/Demo'],
    ['% formatting', 'TWIG = "/app/%s-%d" % (SERVICE_NAME, VERSION)', '/app/demo-2'],
    ['str.format', 'TWIG = "/app/{}{n}".format(SERVICE_NAME, n=VERSION)', '/app/demo2'],
    ['join', 'TWIG = "/".join(["", "app", SERVICE_NAME])', '/app/demo'],
    ['raw string keeps backslashes', 'TWIG = r"/app/\\d"', '/app/\\d'],
  ];
  const head = `${HEAD}SERVICE_NAME: str = "demo"\nPREFIX = "/app"\nVERSION = 2\n`;
  for (const [label, line, want] of resolves) {
    test(`resolves: ${label}`, () => {
      const m = parsePython(cls(line, head), URI);
      const c = only(m);
      assert.equal(c.twig?.value, want);
      assert.deepEqual(m.errors, []);
      assert.ok(c.twigRange);
    });
  }

  const unresolved: [string, string, RegExp][] = [
    ['environment lookup', 'TWIG = ⟨v|os.environ["TWIG"]⟩', /`os\.environ` is an attribute, evaluated only at run time/],
    ['call', 'TWIG = ⟨v|make_twig()⟩', /`make_twig\(\)` is a call/],
    ['conditionally assigned constant', 'TWIG = ⟨v|f"/app/{MAYBE}"⟩', /`MAYBE` has no static value \(it is assigned conditionally\)/],
  ];
  for (const [label, line, why] of unresolved) {
    test(`unresolvable: ${label}`, () => {
      const src = marked(cls(line, `${HEAD}import os\nSERVICE_NAME = "demo"\nVERSION = 2\nif os.environ.get("X"):\n    MAYBE = "a"\n`) + 'LATER = "x"\n');
      const m = parsePython(src.text, URI);
      const c = only(m);
      assert.equal(c.twig, undefined);
      assert.ok(c.twigRange, 'twigRange is set also when unresolvable');
      assert.equal(m.errors.length, 1);
      const e = m.errors[0];
      assert.equal(e.code, 'twig-unresolved');
      assert.equal(e.severity, 'warning');
      assert.deepEqual(e.range, src.at.v);
      assert.match(e.message, why);
    });
  }

  // What Python itself rejects when the class body runs at import: errors, on the exact expression.
  const raises: [string, string, string, RegExp][] = [
    ['unknown name in an f-string', 'TWIG = f"/app/{⟨v|UNKNOWN⟩}"', 'name-undefined', /UNKNOWN is not defined anywhere in this file; Python raises NameError/],
    ['constant defined after the class', 'TWIG = f"/app/{⟨v|LATER⟩}"', 'name-undefined', /LATER is bound only later in the file \(line 8\).*NameError/],
    ['int concatenated to a str', 'TWIG = ⟨v|"/app/" + VERSION⟩', 'python-error', /unsupported operand types for \+: 'str' and 'int'/],
    ['bad format spec', 'TWIG = f"/app/⟨v|{SERVICE_NAME:d}⟩"', 'python-error', /Unknown format code 'd' for object of type 'str'/],
  ];
  for (const [label, line, code, why] of raises) {
    test(`Python error at import: ${label}`, () => {
      const src = marked(cls(line, `${HEAD}import os\nSERVICE_NAME = "demo"\nVERSION = 2\n`) + 'LATER = "x"\n');
      const m = parsePython(src.text, URI);
      const c = only(m);
      assert.equal(c.twig, undefined);
      assert.deepEqual(m.errors.map((e) => [e.code, e.severity, r(e.range)]), [[code, 'error', r(src.at.v)]]);
      assert.match(m.errors[0].message, why);
    });
  }

  test('the last TWIG assignment wins', () => {
    const m = parsePython(cls('TWIG = os.environ["X"]\nTWIG = "/app/final"'), URI);
    assert.equal(only(m).twig?.value, '/app/final');
    assert.deepEqual(m.errors, []);
  });

  test('no TWIG: an error at the class name, as figgy-lib fails creating the store', () => {
    const src = marked(`${HEAD}class ⟨n|Figs⟩(FigStore):\n    A = AppFig("a")\n`);
    const m = parsePython(src.text, URI);
    assert.equal(only(m).twig, undefined);
    assert.equal(only(m).twigRange, undefined);
    assert.deepEqual(m.errors.map((e) => [e.code, e.severity, r(e.range)]), [['twig-missing', 'error', r(src.at.n)]]);
    assert.match(m.errors[0].message, /AttributeError: 'Figs' object has no attribute 'TWIG'/);
  });

  test('no TWIG and no Figs, or a base class others derive from: no error', () => {
    assert.deepEqual(parsePython(cls('pass'), URI).errors, []);
    const m = parsePython(`${HEAD}class Base(FigStore):\n    A = AppFig("a")\nclass Figs(Base):\n    TWIG = "/app/x"\n`, URI);
    assert.deepEqual(m.errors, []);
    assert.deepEqual(m.classes.map((c) => [c.className, c.abstract ?? false]), [['Base', true], ['Figs', false]]);
  });

  test('exact ranges of the TWIG value and statement', () => {
    const src = marked(cls('⟨stmt|TWIG: str = ⟨v|f"/app/{SERVICE_NAME}"⟩⟩', `${HEAD}SERVICE_NAME = "s"\n`));
    const c = only(parsePython(src.text, URI));
    assert.deepEqual(c.twig?.range, src.at.v);
    assert.deepEqual(c.twigRange, src.at.stmt);
  });
});

describe('Fig kinds and arguments', () => {
  test('AppFig positional and keyword, with defaults of each shape', () => {
    const m = parsePython(
      cls(['A = AppFig("a", "dflt")', 'B = AppFig(name="b", default=None)', 'C = AppFig("c", default=5)', 'D = AppFig(default="d-default", name="d")', 'E = AppFig("e", default=os.getenv("X"))'].join('\n')),
      URI,
    );
    assert.deepEqual(
      ['A', 'B', 'C', 'D', 'E'].map((a) => [fig(m, a).name?.value, fig(m, a).default?.value]),
      [
        ['a', 'dflt'],
        ['b', null],
        ['c', '5'],
        ['d', 'd-default'],
        ['e', undefined],
      ],
    );
    for (const a of ['A', 'B', 'C', 'D', 'E']) assert.deepEqual(fig(m, a).argErrors, []);
  });

  test('SharedFig positional and keyword', () => {
    const m = parsePython(cls('A = SharedFig("x/a")\nB = SharedFig(name="x/b")'), URI);
    assert.deepEqual([fig(m, 'A').name?.value, fig(m, 'B').name?.value], ['x/a', 'x/b']);
  });

  test('ReplicatedFig positional order is (name, source)', () => {
    const m = parsePython(cls('A = ReplicatedFig("rep/a", "/shared/a")\nB = ReplicatedFig(source="/shared/b", name="rep/b")\nC = ReplicatedFig("rep/c", source="/shared/c")'), URI);
    assert.deepEqual(
      ['A', 'B', 'C'].map((a) => [fig(m, a).name?.value, fig(m, a).source?.value, fig(m, a).argErrors.length]),
      [
        ['rep/a', '/shared/a', 0],
        ['rep/b', '/shared/b', 0],
        ['rep/c', '/shared/c', 0],
      ],
    );
  });

  test('MergeFig: positional pattern, string form, uri_encode, unknown parts', () => {
    const src = marked(
      cls(
        [
          'U = SharedFig("u")',
          'P = SharedFig("p")',
          'A = MergeFig("m/a", ⟨list|[⟨lit|"x://"⟩, ⟨u|U⟩, SEP, ⟨call|host()⟩, "@" + HOST]⟩, [P, ⟨unk|OTHER⟩])',
          'B = MergeFig(name="m/b", pattern=⟨str|"${/app/x/u}:${/app/x/p}"⟩)',
          'C = MergeFig(name="m/c", pattern=("a", U), uri_encode=None)',
        ].join('\n'),
        `${HEAD}SEP = ":"\nHOST = "h"\nOTHER = compute()\n`,
      ),
    );
    const m = parsePython(src.text, URI);
    const a = fig(m, 'A');
    const id = (attr: string) => fig(m, attr).objectId;
    assert.ok(a.pattern?.form === 'list');
    assert.deepEqual(a.pattern.range, src.at.list);
    assert.deepEqual(a.pattern.parts, [
      { kind: 'literal', value: 'x://', range: src.at.lit },
      { kind: 'attr', attr: 'U', range: src.at.u, objectId: id('U') },
      { kind: 'literal', value: ':', range: a.pattern.parts[2].range },
      { kind: 'unknown', text: 'host()', range: src.at.call },
      { kind: 'literal', value: '@h', range: a.pattern.parts[4].range },
    ]);
    assert.deepEqual(a.uriEncode, [
      { kind: 'attr', attr: 'P', range: a.uriEncode![0].range, objectId: id('P') },
      { kind: 'unknown', text: 'OTHER', range: src.at.unk },
    ]);
    const b = fig(m, 'B');
    assert.deepEqual(b.pattern, { form: 'string', value: '${/app/x/u}:${/app/x/p}', range: src.at.str });
    const c = fig(m, 'C');
    assert.ok(c.pattern?.form === 'list');
    assert.deepEqual(c.pattern.parts.map((p) => p.kind), ['literal', 'attr']);
    assert.equal(c.uriEncode, undefined);
    for (const d of [a, b, c]) assert.deepEqual(d.argErrors, []);
  });

  test('names from module constants, class constants and f-strings resolve like TWIG', () => {
    const m = parsePython(cls('SUB = "db"\nA = AppFig(f"{SUB}/{NAME}")\nB = SharedFig(PREFIX + "/b")', `${HEAD}NAME = "user"\nPREFIX = "rep"\n`), URI);
    assert.equal(fig(m, 'A').name?.value, 'db/user');
    assert.equal(fig(m, 'B').name?.value, 'rep/b');
  });

  test('an unresolvable name leaves name undefined with a warning on the expression', () => {
    const src = marked(cls('A = AppFig(⟨n|get_name("a")⟩)\nB = ReplicatedFig("b", ⟨s|SOURCE⟩)', `${HEAD}from settings import SOURCE\n`));
    const m = parsePython(src.text, URI);
    const a = fig(m, 'A');
    assert.equal(a.name, undefined);
    assert.deepEqual(a.argErrors.map((e) => [e.code, e.severity, r(e.range)]), [['name-unresolved', 'warning', r(src.at.n)]]);
    assert.match(a.argErrors[0].message, /get_name\("a"\)/);
    const b = fig(m, 'B');
    assert.equal(b.name?.value, 'b');
    assert.equal(b.source, undefined);
    assert.deepEqual(b.argErrors.map((e) => [e.code, r(e.range)]), [['source-unresolved', r(src.at.s)]]);
    assert.match(b.argErrors[0].message, /SOURCE is imported from settings/);
  });

  test('a name no statement binds is a NameError, an error where it is used', () => {
    const src = marked(cls('TWIG = "/app/x"\nB = ReplicatedFig("b", ⟨s|SOURCE⟩)'));
    const m = parsePython(src.text, URI);
    assert.deepEqual(fig(m, 'B').argErrors.map((e) => [e.code, e.severity, r(e.range)]), [['name-undefined', 'error', r(src.at.s)]]);
  });

  test('Python call errors: unknown keyword, too many, missing, repeated, unpacked', () => {
    const src = marked(
      cls(
        [
          'A = AppFig("a", ⟨kw|defualt="x"⟩)',
          'B = SharedFig("b", ⟨extra|"c"⟩)',
          'C = ⟨call|ReplicatedFig("c")⟩',
          'D = AppFig("d", ⟨rep|name="e"⟩)',
          'E = AppFig(*⟨splat|args⟩)',
        ].join('\n'),
      ),
    );
    const m = parsePython(src.text, URI);
    const codes = (a: string) => fig(m, a).argErrors.map((e) => [e.code, r(e.range)]);
    assert.deepEqual(codes('A'), [['arg-unknown-keyword', r(src.at.kw)]]);
    assert.deepEqual(codes('B'), [['arg-too-many', r(src.at.extra)]]);
    assert.deepEqual(codes('C'), [['arg-missing', r(src.at.call)]]);
    assert.match(fig(m, 'C').argErrors[0].message, /'source'/);
    assert.deepEqual(codes('D'), [['arg-repeated', r(src.at.rep)]]);
    assert.equal(fig(m, 'D').name?.value, 'd');
    assert.equal(fig(m, 'E').argErrors[0].code, 'arg-unpacked');
    assert.equal(fig(m, 'E').argErrors.length, 1, 'no arg-missing when arguments are unpacked');
  });

  test('a merge reference to an attribute defined later is a NameError', () => {
    const src = marked(cls('M = MergeFig("m", ["a", ⟨later|LATER⟩])\nLATER = AppFig("later")'));
    const m = parsePython(src.text, URI);
    assert.deepEqual(fig(m, 'M').argErrors.map((e) => [e.code, e.severity, r(e.range)]), [['name-before-definition', 'error', r(src.at.later)]]);
    const parts = fig(m, 'M').pattern;
    assert.ok(parts?.form === 'list');
    // Python never gets to build the pattern: the element has no value.
    assert.equal(parts.parts[1].kind, 'unknown');
  });

  test('exact ranges of a declaration', () => {
    const src = marked(cls('⟨stmt|⟨attr|SQL_HOST⟩ = ⟨call|ReplicatedFig(source=⟨src|"/shared/h"⟩, name=⟨name|"rep/h"⟩)⟩⟩  # trailing comment'));
    const d = fig(parsePython(src.text, URI), 'SQL_HOST');
    assert.deepEqual(d.range, src.at.stmt);
    assert.deepEqual(d.attrRange, src.at.attr);
    assert.deepEqual(d.callRange, src.at.call);
    assert.deepEqual(d.source?.range, src.at.src);
    assert.deepEqual(d.name?.range, src.at.name);
  });

  test('A = B = AppFig(...) declares both attributes', () => {
    const m = parsePython(cls('A = B = AppFig("same")'), URI);
    assert.deepEqual(only(m).figs.map((f) => [f.attr, f.name?.value]), [
      ['A', 'same'],
      ['B', 'same'],
    ]);
  });
});

describe('non-Fig class attributes', () => {
  test('plain values and methods are reported; dunders, TWIG, figs and bare annotations are not', () => {
    const long = 'x'.repeat(100);
    const src = marked(
      cls(
        [
          '"""Docstring."""',
          '__slots__ = ()',
          'TWIG = "/app/s"',
          'figs = []',
          'count: int',
          '⟨s|PLAIN = "hello"⟩',
          `⟨l|LONG = "${long}"⟩`,
          '⟨c|CALL = compute()⟩',
          'A = AppFig("a")',
          '⟨m|def method(self):',
          '    X = "not an attribute"⟩',
          '⟨p|@property',
          'def prop(self):',
          '    return 1⟩',
          '⟨st|@staticmethod',
          'def helper():',
          '    return 2⟩',
          'def __repr__(self):',
          '    return "x"',
        ].join('\n'),
      ),
    );
    const c = only(parsePython(src.text, URI));
    assert.deepEqual(c.nonFigs.map((n) => [n.attr, n.what, r(n.range)]), [
      ['PLAIN', 'value', r(src.at.s)],
      ['LONG', 'value', r(src.at.l)],
      ['CALL', 'unknown', r(src.at.c)],
      ['method', 'method', r(src.at.m)],
      ['prop', 'unknown', r(src.at.p)],
      ['helper', 'descriptor', r(src.at.st)],
    ]);
    assert.equal(c.nonFigs[0].valueText, '"hello"');
    assert.ok(c.nonFigs[1].valueText.length <= 40, 'valueText is truncated');
    assert.ok(c.nonFigs[1].valueText.endsWith('…'));
    assert.equal(c.nonFigs[2].valueText, 'compute()');
    assert.deepEqual(c.figs.map((f) => f.attr), ['A']);
  });
});

describe('lazy_load calls', () => {
  test('guards from if / elif / conditional expression / non-literal value', () => {
    const src = marked(
      [
        'from config import Figs',
        '⟨a|Figs(s, lazy_load=True)⟩',
        'if LOCAL_RUN:',
        '    ⟨b|Figs(s, lazy_load=True)⟩',
        'else:',
        '    ⟨c|Figs(s, lazy_load=True)⟩',
        'x = ⟨d|Figs(s, lazy_load=flag)⟩',
        'Figs(s, lazy_load=False)',
        'build(s, lazy_load=True)',
        'y = ⟨e|cfg.Figs(s, lazy_load=True)⟩',
        'if settings.debug:',
        '    def f():',
        '        return ⟨f|Figs(s, lazy_load=True)⟩',
      ].join('\n'),
    );
    const m = parsePython(src.text, URI);
    assert.deepEqual(
      m.lazyLoadCalls.map((c) => [r(c.range), c.localGuard]),
      [
        [r(src.at.a), false],
        [r(src.at.b), true],
        [r(src.at.c), false],
        [r(src.at.d), true],
        [r(src.at.e), false],
        [r(src.at.f), true],
      ],
    );
  });

  test('a lower-case FigStore subclass defined in the file counts', () => {
    const m = parsePython(`${HEAD}class figs_store(FigStore):\n    A = AppFig("a")\nf = figs_store("svc", lazy_load=True)\n`, URI);
    assert.equal(m.lazyLoadCalls.length, 1);
  });
});

describe('half-typed code and syntax errors', () => {
  test('a declaration cut mid-call at the end of the file still yields the earlier figs', () => {
    const full = fixture('spec_example.py');
    const cut = full.slice(0, full.indexOf('SQL_USER, ":", SQL_PASSWORD'));
    const m = parsePython(cut, URI);
    const c = only(m);
    assert.equal(c.twig?.value, '/app/demo-service');
    assert.deepEqual(c.figs.map((f) => f.attr), ['SECRET_ADMIRER', 'SQL_USER', 'SQL_PASSWORD', 'SQL_HOSTNAME', 'SQL_PORT']);
    assert.deepEqual(c.nonFigs, [], 'the incomplete declaration is not reported as a plain attribute');
    assert.ok(m.errors.some((e) => e.code === 'syntax'));
  });

  test('an unclosed call in the middle keeps the declarations around it', () => {
    const m = parsePython(cls('TWIG = "/app/x"\nA = AppFig("a")\nB = AppFig("b"\nC = AppFig("c")\ndef m(self):\n    pass'), URI);
    const c = only(m);
    assert.deepEqual(c.figs.map((f) => f.attr), ['A', 'C']);
    assert.deepEqual(c.nonFigs, []);
    const syntax = m.errors.filter((e) => e.code === 'syntax');
    assert.equal(syntax.length, 1);
    assert.match(syntax[0].message, /`\(` on line 6 is never closed/);
  });

  test('missing `)` has the exact zero-width range where it is expected', () => {
    const src = marked(`${HEAD}class Figs(FigStore⟨m|⟩:\n    A = AppFig("a")\n`);
    const m = parsePython(src.text, URI);
    assert.deepEqual(
      m.errors.map((e) => [e.code, e.severity, e.message, r(e.range)]),
      [['syntax', 'error', 'syntax error: missing `)`', r(src.at.m)]],
    );
    assert.deepEqual(only(m).figs.map((f) => f.attr), ['A']);
  });

  test('an unexpected token is named; string contents are never quoted', () => {
    const a = marked(`${HEAD}⟨e|X = AppFig("a"))⟩\n`);
    const ma = parsePython(a.text, URI);
    assert.deepEqual(ma.errors.map((e) => [e.message, r(e.range)]), [['syntax error: unexpected `)` on line 3', r(a.at.e)]]);
    const b = parsePython(`${HEAD}X = 1 "hunter2-secret" 2\n`, URI);
    assert.ok(b.errors.length > 0);
    for (const e of b.errors) assert.doesNotMatch(e.message, /hunter2/);
  });

  test(`at most ${MAX_SYNTAX_ERRORS} syntax errors per file`, () => {
    const lines = Array.from({ length: 60 }, (_, i) => `A${i} = AppFig(,"a${i}")`).join('\n');
    const m = parsePython(cls(lines), URI);
    const syntax = m.errors.filter((e) => e.code === 'syntax');
    assert.equal(syntax.length, MAX_SYNTAX_ERRORS);
    assert.equal(syntax[0].message, 'syntax error: unexpected `,`');
    // Each line keeps its declaration although its call has a stray comma.
    assert.equal(only(m).figs.length, 60);
  });

  test('empty and whitespace-only files', () => {
    for (const t of ['', '\n\n', '   ', '# figgy\n']) {
      const m = parsePython(t, URI);
      assert.deepEqual(m.classes, []);
      assert.deepEqual(m.errors, []);
    }
  });
});

describe('positions', () => {
  test('non-ASCII text before and inside declarations: UTF-16 columns', () => {
    const src = marked(`# café 🍏 — ünïcödé\n${HEAD}class Figs(FigStore):\n    TWIG = ⟨t|"/app/🍏"⟩\n    ⟨a|NAÏVE⟩ = AppFig(⟨n|"café/🍏🍏"⟩)  # 🍏\n    B = AppFig(⟨b|"b"⟩)\n`);
    const m = parsePython(src.text, URI);
    const a = fig(m, 'NAÏVE');
    assert.deepEqual(a.attrRange, src.at.a);
    assert.deepEqual(a.name?.range, src.at.n);
    assert.equal(a.name?.value, 'café/🍏🍏');
    assert.deepEqual(fig(m, 'B').name?.range, src.at.b);
    assert.deepEqual(only(m).twig?.range, src.at.t);
    // Hand-checked anchor: the emoji counts as two UTF-16 units.
    assert.equal(r(a.name!.range), '5:19-5:30');
  });

  test('CRLF line endings give the same positions as LF', () => {
    const lf = fixture('seed_variant.py');
    const crlf = lf.replace(/\n/g, '\r\n');
    assert.deepEqual(compact(parsePython(crlf, URI)), compact(parsePython(lf, URI)));
  });
});

describe('input guards', () => {
  test('text above the size limit: one clear error, empty model, fast', () => {
    const big = `from figgy.figs import *\n${'#'.repeat(MAX_PYTHON_CHARS)}\n`;
    const t0 = performance.now();
    const m = parsePython(big, URI);
    const ms = performance.now() - t0;
    assert.deepEqual(m.classes, []);
    assert.deepEqual(m.errors.map((e) => [e.code, e.severity]), [['file-too-large', 'warning']]);
    assert.ok(ms < 200, `took ${ms} ms`);
  });

  test('binary input (NUL bytes): one clear error, empty model', () => {
    const m = parsePython(`${cls('A = AppFig("a")')}\0\x01\x02`, URI);
    assert.deepEqual(m.classes, []);
    assert.deepEqual(m.errors.map((e) => e.code), ['binary-file']);
  });

  test('files that never mention figgy are not parsed', () => {
    const m = parsePython('def broken(:\n  x = ))\n', URI);
    assert.deepEqual(m, { uri: URI, importsFiggy: false, classes: [], lazyLoadCalls: [], errors: [] });
  });

  test('parse time is bounded: a deadline gives a parse-timeout error, and the next parse works', () => {
    const body = Array.from({ length: 40_000 }, (_, i) => `A${i} = AppFig("n${i}", default="d")`).join('\n');
    const m = parsePython(cls(body), URI, { timeoutMs: 1 });
    assert.deepEqual(m.errors.map((e) => e.code), ['parse-timeout']);
    assert.deepEqual(m.classes, []);
    const ok = parsePython(fixture('spec_example.py'), URI);
    assert.equal(only(ok).figs.length, 6);
  });

  test('initPython is idempotent', async () => {
    await Promise.all([initPython(), initPython()]);
    assert.equal(isPythonReady(), true);
  });
});
