// Robustness of the environment-fact extraction: never throws, bounded time, ranges inside the
// text, the shared mirror cache never changes a result, hostile input gets a clear warning.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { clearEnvCaches } from '../../server/src/parse/pythonEnv';
import type { Range } from '../../server/src/parse/types';
import { compact, envFacts, fixture, initEnvParser, readsSummary } from './pyenv.helpers';

before(initEnvParser);

const FIXTURES = ['django_os_environ.py', 'django_environ.py', 'flask_paas.py', 'fastapi_settings.py', 'diffgram_settings.py', 'secrets_py.py'];
/** Generous per-input bound for small inputs: a few ms is typical; this catches runaway work only. */
const MAX_MS = 1000;

function ranges(x: unknown, out: Range[] = []): Range[] {
  if (Array.isArray(x)) for (const v of x) ranges(v, out);
  else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    const s = o.start as { line?: unknown } | undefined;
    if (s && typeof s.line === 'number' && o.end) out.push(o as unknown as Range);
    else for (const v of Object.values(o)) ranges(v, out);
  }
  return out;
}

function check(text: string): ReturnType<typeof envFacts> {
  const t0 = performance.now();
  const res = envFacts(text);
  const ms = performance.now() - t0;
  assert.ok(ms < MAX_MS, `extraction took ${ms.toFixed(0)} ms`);
  assert.deepEqual(
    res.errors.filter((e) => e.code === 'env-internal'),
    [],
    'no internal errors',
  );
  const lens = text.split(/\r\n|\r|\n/).map((l) => l.length);
  for (const r of ranges(res)) {
    for (const p of [r.start, r.end]) {
      assert.ok(p.line >= 0 && p.line < lens.length, `line ${p.line} outside 0..${lens.length - 1}`);
      assert.ok(p.character >= 0 && p.character <= lens[p.line], `character ${p.character} outside line ${p.line} (length ${lens[p.line]})`);
    }
    assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), 'start after end');
  }
  return res;
}

const TOKENS = [
  'import os\n', 'from os import environ as E\n', 'import environ\n', 'from pydantic_settings import BaseSettings\n', 'os.environ', 'E', '[', ']', '(', ')',
  '.get', '.getenv', 'os.getenv', '"X"', "'SECRET_KEY'", 'f"{P}_X"', 'P = "APP"\n', ',', '=', ' ', '\n', '    ', ':', 'def f(name):\n', 'return ',
  'class S(BaseSettings):\n', 'a: int', ' = Field(alias="A")', 'env = environ.Env(DEBUG=(bool, False))\n', 'env(', 'env.bool(', 'env.db()', 'print(',
  'logger.info(', 'bool(', 'int(', 'json.loads(', ' in ', ' not in ', '.lower()', '("1", "true")', 'app.config', '.from_prefixed_env(', '["K"]',
  'load_dotenv()', '{{ x }}', '{%', '%}', '#', '\\', '"""', 'é🍏', '\r', '\t', 'None', '+', '%', '*', '**', 'lambda', 'if ', 'else', 'for ', 'try:',
  'except:', 'with ', ' as ', '@', 'del ', 'dict(', '.copy()', '.update(', '.setdefault(', 'subprocess.run(', 'env=', '\0',
];

describe('fuzz', () => {
  test('random token soup never throws and yields in-bounds ranges', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 200 }), (toks) => {
        check(toks.join(''));
      }),
      { numRuns: 400, seed: 17 },
    );
  });

  test('random unicode strings around reads never throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        check(`import os\nX = os.environ.get(${JSON.stringify(s)})\n${s}\nY = os.getenv("Y")`);
        check(`import os\n${s}`);
      }),
      { numRuns: 300, seed: 23 },
    );
  });

  test('random mutations of the fixtures never throw', () => {
    const sources = FIXTURES.map(fixture);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('del' as const), at: fc.nat(), len: fc.nat({ max: 40 }) }),
      fc.record({ kind: fc.constant('ins' as const), at: fc.nat(), tok: fc.constantFrom(...TOKENS) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), fc.array(op, { maxLength: 8 }), (i, ops) => {
        let t = sources[i];
        for (const o of ops) {
          const at = o.at % (t.length + 1);
          if (o.kind === 'del') t = t.slice(0, at) + t.slice(at + o.len);
          else if (o.kind === 'ins') t = t.slice(0, at) + o.tok + t.slice(at);
          else t = t.slice(0, at);
        }
        check(t);
      }),
      { numRuns: 300, seed: 29 },
    );
  });

  test('typing in a file: each step gives the same facts with the caches warm as with them empty', () => {
    const sources = FIXTURES.map(fixture);
    const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 6 }), tok: fc.constantFrom(...TOKENS, 'A', 'B_', '"', "'", 'x', '1') });
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 12 }), (i, edits) => {
        let t = sources[i];
        clearEnvCaches();
        envFacts(t);
        for (const e of edits) {
          const p = e.at % (t.length + 1);
          t = t.slice(0, p) + e.tok + t.slice(p + e.del);
          const warm = JSON.stringify(compact(envFacts(t)));
          clearEnvCaches();
          assert.equal(warm, JSON.stringify(compact(envFacts(t))));
        }
      }),
      { numRuns: 60, seed: 37 },
    );
  });

  test('without the shared caches (reuse: false) the facts are the same', () => {
    for (const f of FIXTURES) {
      const text = fixture(f);
      assert.deepEqual(compact(envFacts(text, { reuse: false })), compact(envFacts(text)), f);
    }
  });

  test('the shared caches never change a result', () => {
    const sources = FIXTURES.map(fixture);
    fc.assert(
      fc.property(fc.nat({ max: sources.length - 1 }), fc.nat(), fc.constantFrom(...TOKENS), (i, at, tok) => {
        const base = sources[i];
        const p = at % (base.length + 1);
        const edited = base.slice(0, p) + tok + base.slice(p);
        const warm = JSON.stringify(compact(envFacts(edited)));
        clearEnvCaches();
        const cold = JSON.stringify(compact(envFacts(edited)));
        assert.equal(warm, cold);
        // Warm the cache with the other fixtures' statements, then again.
        for (const s of sources) envFacts(s);
        assert.equal(JSON.stringify(compact(envFacts(edited))), cold);
      }),
      { numRuns: 60, seed: 31 },
    );
  });
});

describe('line endings and positions', () => {
  test('CRLF files give the same facts on the same lines', () => {
    for (const f of FIXTURES) {
      const lf = fixture(f);
      assert.deepEqual(compact(envFacts(lf.replace(/\n/g, '\r\n'))), compact(envFacts(lf)), f);
    }
  });

  test('CR-only files (the grammar does not break lines there) still give in-bounds ranges', () => {
    for (const f of FIXTURES) check(fixture(f).replace(/\n/g, '\r'));
  });
});

describe('hostile input', () => {
  test('nesting deeper than the stack allows: a warning for that statement, the rest still read', () => {
    const text = `import os\nA = os.environ["A"]\nx = ${'('.repeat(20000)}os.environ["DEEP"]${')'.repeat(20000)}\nB = os.getenv("B")\n`;
    const res = envFacts(text);
    assert.deepEqual(readsSummary(res.facts), ['A environ-subscript required unknown', 'B getenv unknown']);
    assert.deepEqual(
      res.errors.map((e) => [e.code, e.range.start.line]),
      [['env-too-deep', 2]],
    );
  });

  test('a multi-megabyte statement is reported and skipped, quickly', () => {
    const text = `import os\nX = "${'a'.repeat(5_000_000)}"\nY = os.getenv("Y")\n`;
    const t0 = performance.now();
    const res = envFacts(text);
    const ms = performance.now() - t0;
    assert.deepEqual(readsSummary(res.facts), ['Y getenv unknown']);
    assert.deepEqual(res.errors.map((e) => e.code), ['env-statement-too-large']);
    assert.ok(ms < 5000, `${ms.toFixed(0)} ms`);
  });

  test('too many reads: capped with one warning; a spent budget stops with one warning', () => {
    const text = `import os\n${'os.getenv("X");'.repeat(21_000)}\n`;
    const res = envFacts(text, { budgetMs: 60_000 });
    assert.equal(res.facts.reads.length, 20_000);
    assert.deepEqual(res.errors.map((e) => e.code), ['env-too-many']);
    const stopped = envFacts(text, { budgetMs: 0 });
    assert.deepEqual(stopped.errors.map((e) => e.code), ['env-budget']);
    assert.ok(stopped.facts.reads.length < 20_000);
  });

  test('binary junk and NUL bytes', () => {
    const junk = Array.from({ length: 20_000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('');
    check(junk);
    check(`import os\0\nX = os.environ["A\0B"]\n`);
  });
});
