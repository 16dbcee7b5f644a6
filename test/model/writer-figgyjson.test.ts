import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { pyJsonDumps, pyJsonString, renderFiggyJson, renderFiggyJsonChecked } from '../../server/src/model/figgyJsonWriter';
import { parseFiggyJson } from '../../server/src/parse/figgyJson';
import type { FigDecl, FigKind, FigStoreClass, MergePart, Range } from '../../server/src/parse/types';

const FIX = join(__dirname, '..', 'fixtures', 'json');
const R: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const loc = (value: string) => ({ value, range: R });

function fig(attr: string, kind: FigKind, name: string | undefined, extra: Partial<FigDecl> = {}): FigDecl {
  return { attr, attrRange: R, kind, objectId: `obj:${attr}`, ...(name !== undefined ? { name: loc(name) } : {}), range: R, callRange: R, argErrors: [], ...extra };
}
const attr = (a: string): MergePart => ({ kind: 'attr', attr: a, range: R });
const lit = (v: string): MergePart => ({ kind: 'literal', value: v, range: R });

function cls(figs: FigDecl[], nonFigs: FigStoreClass['nonFigs'] = []): FigStoreClass {
  return { className: 'Figs', nameRange: R, range: R, twig: loc('/app/demo-service'), figs, nonFigs };
}

/** The spec §1 class, in its declaration order (which is not the order figgy-lib writes). */
function specFigs(): FigDecl[] {
  return [
    fig('SECRET_ADMIRER', 'AppFig', 'secret-admirer'),
    fig('SQL_USER', 'SharedFig', 'replicated/sql/user'),
    fig('SQL_PASSWORD', 'SharedFig', 'replicated/sql/password'),
    fig('SQL_HOSTNAME', 'ReplicatedFig', 'replicated/sql/hostname', { source: loc('/shared/resources/dbs/fig-db/dns') }),
    fig('SQL_PORT', 'ReplicatedFig', 'replicated/sql/port', { source: loc('/shared/resources/dbs/fig-db/port') }),
    fig('SQL_CONNECTION_STRING', 'MergeFig', 'replicated/sql-connection', {
      pattern: {
        form: 'list',
        range: R,
        parts: [lit('mysql://'), attr('SQL_USER'), lit(':'), attr('SQL_PASSWORD'), lit('@'), attr('SQL_HOSTNAME'), lit(':'), attr('SQL_PORT')],
      },
      uriEncode: [attr('SQL_USER'), attr('SQL_PASSWORD')],
    }),
  ];
}

describe('renderFiggyJson (figgy-lib ConfigWriter format)', () => {
  test('golden: the spec §1 class plus ADMIRED_PERSON renders the spec §2 figgy.json, byte for byte in figgy-lib format', () => {
    const golden = readFileSync(join(FIX, 'writer-spec.golden.json'), 'utf8');
    const c = cls([...specFigs(), fig('ADMIRED_PERSON', 'AppFig', 'admired-person')]);
    const out = renderFiggyJsonChecked(c, '/app/demo-service');
    assert.deepEqual(out.problems, []);
    assert.equal(out.text, golden);
    // Same data as the spec's hand-formatted example.
    assert.deepEqual(JSON.parse(out.text), JSON.parse(readFileSync(join(FIX, 'spec-figgy.json'), 'utf8')));
  });

  test('the spec §1 class exactly: app_figs holds only secret-admirer', () => {
    const data = JSON.parse(renderFiggyJson(cls(specFigs()), '/app/demo-service'));
    assert.deepEqual(data.app_figs, ['/app/demo-service/secret-admirer']);
    assert.deepEqual(Object.keys(data), ['twig', 'app_figs', 'replicate_figs', 'shared_figs', 'merged_figs']);
  });

  test('golden: an empty class still writes every key ([] / {}), twig as given, no trailing newline', () => {
    const text = renderFiggyJson(cls([]), '/app/empty/');
    assert.equal(text, readFileSync(join(FIX, 'writer-empty.golden.json'), 'utf8'));
    assert.ok(!text.endsWith('\n'));
  });

  test('figs are ordered by attribute name in code-point order (Python dir()), not declaration order', () => {
    const c = cls([
      fig('b', 'AppFig', 'lower-b'),
      fig('Z', 'AppFig', 'upper-z'),
      fig('A_B', 'AppFig', 'a-underscore-b'),
      fig('AB', 'AppFig', 'ab'),
      fig('_X', 'AppFig', 'underscore-x'),
    ]);
    const data = JSON.parse(renderFiggyJson(c, '/app/t'));
    // 'A'(65) 'B'(66) '_'(95) 'b'(98): AB < A_B < Z < _X < b
    assert.deepEqual(data.app_figs, ['/app/t/ab', '/app/t/a-underscore-b', '/app/t/upper-z', '/app/t/underscore-x', '/app/t/lower-b']);
  });

  test('full names: kept when already under the twig, else twig.rstrip("/") + "/" + name.lstrip("/")', () => {
    const c = cls([fig('A', 'AppFig', '/app/t/already'), fig('B', 'AppFig', '//lead'), fig('C', 'SharedFig', '/app/other/x')]);
    const data = JSON.parse(renderFiggyJson(c, '/app/t'));
    assert.equal(data.twig, '/app/t');
    assert.deepEqual(data.app_figs, ['/app/t/already', '/app/t/lead']);
    assert.deepEqual(data.shared_figs, ['/app/t/app/other/x']);
    // The startswith test uses TWIG as written: with trailing slashes "/app/t/already" is not under "/app/t//".
    const slashed = JSON.parse(renderFiggyJson(c, '/app/t//'));
    assert.equal(slashed.twig, '/app/t//');
    assert.deepEqual(slashed.app_figs, ['/app/t/app/t/already', '/app/t/lead']);
  });

  test('a re-assigned attribute keeps its last value; a repeated replication source keeps its first position and last destination', () => {
    // The parser marks a re-bound attribute's earlier Fig with shadowedBy (where the rebinding is).
    const c = cls([
      fig('A', 'AppFig', 'first', { shadowedBy: R }),
      fig('R1', 'ReplicatedFig', 'one', { source: loc('/shared/s') }),
      fig('R2', 'ReplicatedFig', 'two', { source: loc('/shared/t') }),
      fig('R3', 'ReplicatedFig', 'three', { source: loc('/shared/s') }),
      fig('A', 'AppFig', 'second'),
    ]);
    const text = renderFiggyJson(c, '/app/t');
    assert.deepEqual(JSON.parse(text).app_figs, ['/app/t/second']);
    assert.deepEqual(Object.entries(JSON.parse(text).replicate_figs), [
      ['/shared/s', '/app/t/three'],
      ['/shared/t', '/app/t/two'],
    ]);
  });

  test('merge patterns: ${full} / ${full:uri} by full-name equality; a single-string pattern becomes one-character strings', () => {
    const c = cls([
      fig('U', 'SharedFig', 'u'),
      fig('M', 'MergeFig', 'm', { pattern: { form: 'list', range: R, parts: [attr('U'), lit('-'), attr('U')] }, uriEncode: [attr('U')] }),
      fig('S', 'MergeFig', 's', { pattern: { form: 'string', value: 'a${x}é', range: R } }),
    ]);
    const data = JSON.parse(renderFiggyJson(c, '/app/t'));
    assert.deepEqual(data.merged_figs['/app/t/m'], ['${/app/t/u:uri}', '-', '${/app/t/u:uri}']);
    assert.deepEqual(data.merged_figs['/app/t/s'], ['a', '$', '{', 'x', '}', 'é']);
  });

  test('what cannot be resolved statically is reported, never thrown', () => {
    const c = cls(
      [
        fig('NONAME', 'AppFig', undefined),
        fig('NOSRC', 'ReplicatedFig', 'r'),
        fig('M', 'MergeFig', 'm', { pattern: { form: 'list', range: R, parts: [attr('MISSING'), { kind: 'unknown', text: 'f()', range: R }] } }),
        fig('P', 'MergeFig', 'p'),
      ],
      [{ attr: 'PLAIN', range: R, valueText: "'x'" }],
    );
    const out = renderFiggyJsonChecked(c, '/app/t');
    assert.equal(out.problems.length, 6);
    assert.ok(out.problems.some((p) => p.startsWith('PLAIN')));
    assert.deepEqual(JSON.parse(out.text).merged_figs, { '/app/t/m': ['MISSING', 'f()'], '/app/t/p': [] });
  });

  test('round trip: what the writer renders parses back without errors to the same names', () => {
    const c = cls([...specFigs(), fig('ADMIRED_PERSON', 'AppFig', 'admired-person')]);
    const m = parseFiggyJson(renderFiggyJson(c, '/app/demo-service'), 'file:///x/figgy.json');
    assert.deepEqual(m.errors, []);
    assert.equal(m.appFigs.length, 2);
    assert.equal(m.mergedFigs[0].value.parts.filter((p) => p.kind === 'ref').length, 4);
  });
});

describe('Python json.dumps compatibility', () => {
  test('ensure_ascii escapes (facts checked against CPython json.dumps)', () => {
    assert.equal(pyJsonString('a"b\\c/d'), '"a\\"b\\\\c/d"');
    assert.equal(pyJsonString('\n\r\t\b\f\u0001\u001f'), '"\\n\\r\\t\\b\\f\\u0001\\u001f"');
    assert.equal(pyJsonString('\u007f é 中'), '"\\u007f \\u00e9 \\u4e2d"');
    assert.equal(pyJsonString('🍎'), '"\\ud83c\\udf4e"');
    assert.equal(pyJsonString('~ '), '"~ "');
  });

  test('indent=4 layout for nested lists and dicts', () => {
    assert.equal(pyJsonDumps({ dict: [['a', []], ['b', { dict: [['c', ['x', 'y']]] }], ['d', { dict: [] }]] }), '{\n    "a": [],\n    "b": {\n        "c": [\n            "x",\n            "y"\n        ]\n    },\n    "d": {}\n}');
  });

  test('property: output is valid JSON that decodes to the input, and is pure ASCII', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 8 }), fc.string({ unit: 'binary' }), (list, key) => {
        const text = pyJsonDumps({ dict: [[key, list]] });
        assert.deepEqual(JSON.parse(text), { [key]: list });
        assert.ok(/^[\x20-\x7e\n]*$/.test(text));
      }),
      { numRuns: 300 },
    );
  });
});
