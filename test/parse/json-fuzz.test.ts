// Property tests: the JSON parsers never throw, stay fast, keep ranges inside the text, and read back
// exactly what a well-formed figgy.json says.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { mergeFiggyJson, parseFiggyJson } from '../../server/src/parse/figgyJson';
import { parseSecretsJson } from '../../server/src/parse/secretsJson';
import type { Range } from '../../server/src/parse/types';
import { lineIndex } from '../../server/src/parse/text';
import { textAt } from './json-markers';

const FIX = join(__dirname, '..', 'fixtures', 'json');
const fixtures = ['spec-figgy.json', 'spec-figgy-secrets.json', 'writer-spec.golden.json'].map((f) => readFileSync(join(FIX, f), 'utf8'));

/** Every range in a model (walks the plain data). */
function ranges(x: unknown, out: Range[] = []): Range[] {
  if (Array.isArray(x)) for (const v of x) ranges(v, out);
  else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (o.start && o.end && typeof (o.start as { line?: unknown }).line === 'number') out.push(o as unknown as Range);
    else for (const v of Object.values(o)) ranges(v, out);
  }
  return out;
}

function checkWellFormed(text: string): void {
  const idx = lineIndex(text);
  const end = idx.positionAt(text.length);
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  for (const parse of [parseFiggyJson, parseSecretsJson]) {
    const t0 = performance.now();
    const m = parse(text, 'file:///f.json');
    assert.ok(performance.now() - t0 < 1000, 'parse took over a second');
    assert.ok(Array.isArray(m.errors));
    for (const r of ranges(m)) {
      assert.ok(before(r.start, r.end), `inverted range ${JSON.stringify(r)}`);
      assert.ok(before(r.end, end), `range past the end ${JSON.stringify(r)}`);
      assert.equal(idx.positionAt(idx.offsetAt(r.start)).character, r.start.character);
    }
  }
}

const mutation = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), s: fc.string({ unit: 'binary', maxLength: 4 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ op: fc.constant('replace' as const), at: fc.nat(), s: fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '\\', '${', '\n', '\u0000', '/*', '\ufeff') }),
);

type Mutation = { op: 'insert' | 'delete' | 'replace'; at: number; s?: string; n?: number };

function mutate(text: string, ms: Mutation[]): string {
  let t = text;
  for (const m of ms) {
    const at = t.length ? m.at % (t.length + 1) : 0;
    if (m.op === 'insert') t = t.slice(0, at) + m.s + t.slice(at);
    else if (m.op === 'delete') t = t.slice(0, at) + t.slice(at + (m.n ?? 1));
    else t = t.slice(0, at) + m.s + t.slice(at + 1);
  }
  return t;
}

describe('JSON parsers: properties', () => {
  test('any JSON value (as figgy.json or secrets) never throws; ranges stay inside the text', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 2, 4), (v, indent) => checkWellFormed(JSON.stringify(v, null, indent) ?? 'null')), {
      numRuns: 300,
    });
  });

  test('objects with figgy keys holding random JSON never throw', () => {
    const keys = fc.constantFrom('twig', 'app_figs', 'replicate_figs', 'shared_figs', 'merged_figs', 'replicate_from', 'import', 'namespace', 'app_parameters', 'replication_config', 'figs', 'parameters', 'source_twig', 'x');
    const val = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), fc.dictionary(keys, tie('v'), { maxKeys: 4 }), fc.array(fc.oneof(fc.string(), fc.constant('${/a}'), fc.constant('${/b:uri}')), { maxLength: 4 })),
    }));
    fc.assert(fc.property(fc.dictionary(keys, val.v, { maxKeys: 6 }), (o) => checkWellFormed(JSON.stringify(o))), { numRuns: 300 });
  });

  test('random strings never throw', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => checkWellFormed(s)), { numRuns: 300 });
  });

  test('mutated fixtures never throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.array(mutation, { minLength: 1, maxLength: 6 }), (text, ms) => checkWellFormed(mutate(text, ms))),
      { numRuns: 400 },
    );
  });

  test('merging random parsed files never throws and keeps every list entry', () => {
    const doc = fc.record({ app_figs: fc.array(fc.string(), { maxLength: 3 }), replicate_figs: fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }), twig: fc.option(fc.string()) });
    fc.assert(
      fc.property(doc, fc.array(doc, { maxLength: 3 }), (b, imps) => {
        const base = parseFiggyJson(JSON.stringify(b), 'file:///b.json');
        const imported = imps.map((d, i) => parseFiggyJson(JSON.stringify(d), `file:///i${i}.json`));
        const m = mergeFiggyJson(base, imported);
        assert.equal(m.appFigs.length, base.appFigs.length + imported.reduce((n, x) => n + x.appFigs.length, 0));
        assert.equal(new Set(m.replicateFigs.map((r) => r.source.value)).size, m.replicateFigs.length);
      }),
      { numRuns: 200 },
    );
  });

  test('well-formed figgy.json with arbitrary strings reads back exactly, ranges covering each JSON string', () => {
    const str = fc.string({ unit: 'binary', maxLength: 20 });
    fc.assert(
      fc.property(
        fc.record({ twig: str, app_figs: fc.array(str, { maxLength: 5 }), shared_figs: fc.array(str, { maxLength: 5 }), replicate_figs: fc.dictionary(str, str, { maxKeys: 4 }) }),
        fc.constantFrom(0, 1, 4, '\t'),
        (o, indent) => {
          const text = JSON.stringify(o, null, indent);
          const m = parseFiggyJson(text, 'file:///f.json');
          // json-twig: a warning about the twig's shape (empty, no leading "/"), the value is kept as written.
          assert.deepEqual(m.errors.filter((e) => e.code !== 'json-type' && e.code !== 'json-no-twig' && e.code !== 'json-twig'), []);
          assert.equal(m.twig?.value, o.twig);
          assert.deepEqual(m.appFigs.map((a) => a.value), o.app_figs);
          assert.deepEqual(m.sharedFigs.map((a) => a.value), o.shared_figs);
          assert.deepEqual(m.replicateFigs.map((r) => [r.source.value, r.dest.value]), Object.entries(o.replicate_figs));
          for (const l of [...m.appFigs, ...m.sharedFigs, ...m.replicateFigs.flatMap((r) => [r.source, r.dest])]) {
            assert.equal(JSON.parse(textAt(text, l.range)), l.value);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('single-string merged values: parts rebuild the string and each part range covers its source text', () => {
    const piece = fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom('${/a/b}', '${/c:uri}', '${', '}', '${x', '\\', '"', '\n'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const value = pieces.join('');
        const text = JSON.stringify({ twig: '/app/a', merged_figs: { d: value } });
        const m = parseFiggyJson(text, 'file:///f.json');
        const v = m.mergedFigs[0].value;
        assert.equal(v.form, 'string');
        if (v.form !== 'string') return;
        const rebuilt = v.parts.map((p) => (p.kind === 'literal' ? p.value : p.kind === 'ref' ? `\${${p.path}${p.uri ? ':uri' : ''}}` : p.kind === 'unknown' ? p.text : '')).join('');
        assert.equal(rebuilt, value);
        for (const p of v.parts) {
          const own = p.kind === 'literal' ? p.value : p.kind === 'ref' ? `\${${p.path}${p.uri ? ':uri' : ''}}` : p.kind === 'unknown' ? p.text : '';
          // The source slice, wrapped in quotes, decodes to the part's text.
          assert.equal(JSON.parse(`"${textAt(text, p.range)}"`), own);
        }
      }),
      { numRuns: 300 },
    );
  });
});

test('nesting deeper than the limit is one json-too-deep error at the bracket that passes it, for figgy.json and figgy-secrets.json', () => {
  for (const depth of [257, 200_000]) {
    const text = `{"twig": "/app/x", "x": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const t0 = performance.now();
    const m = parseFiggyJson(text, 'file:///ws/figgy.json');
    assert.deepEqual(m.errors.map((e) => [e.code, e.range.start.character]), [['json-too-deep', 24 + 255]]);
    assert.deepEqual(parseSecretsJson(text, 'file:///ws/figgy-secrets.json').errors.map((e) => e.code), ['json-too-deep']);
    assert.ok(performance.now() - t0 < 2000);
  }
  // At the limit, and brackets inside strings, are read as usual.
  const ok = `{"twig": "/app/x", "x": ${'['.repeat(255)}${']'.repeat(255)}, "s": "${'{'.repeat(1000)}"}`;
  assert.deepEqual(parseFiggyJson(ok, 'file:///ws/figgy.json').errors.filter((e) => e.code.startsWith('json-too')), []);
});
