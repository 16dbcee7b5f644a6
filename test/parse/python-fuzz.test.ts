// Robustness: the parser never throws, never hangs, and every range it returns lies inside the text.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initPython, parsePython } from '../../server/src/parse/python';
import type { PythonConfigModel, Range } from '../../server/src/parse/types';
import { fixture } from './python.helpers';

const URI = 'file:///fuzz/config.py';
const FIXTURES = ['spec_example.py', 'seed_variant.py', 'app_lazy.py', 'non_ascii.py'];
/** Generous per-input bound: a few ms is typical; this only catches runaway work. */
const MAX_MS = 500;

before(async () => {
  await initPython();
});

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

/** Lines split the LSP way (\r\n, \r, \n), to check every position is inside the document. */
function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

function check(text: string): PythonConfigModel {
  const t0 = performance.now();
  const m = parsePython(text, URI);
  const ms = performance.now() - t0;
  assert.ok(ms < MAX_MS, `parse took ${ms.toFixed(0)} ms`);
  assert.equal(m.uri, URI);
  const lens = lineLengths(text);
  for (const r of ranges(m)) {
    for (const p of [r.start, r.end]) {
      assert.ok(p.line >= 0 && p.line < lens.length, `line ${p.line} outside 0..${lens.length - 1}`);
      assert.ok(p.character >= 0 && p.character <= lens[p.line], `character ${p.character} outside line ${p.line} (length ${lens[p.line]})`);
    }
    assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), 'start after end');
  }
  return m;
}

const TOKENS = [
  'class ', 'Figs', '(', ')', 'FigStore', ':', '\n', '    ', 'AppFig', 'SharedFig', 'ReplicatedFig', 'MergeFig', '"x"', "'y'", ',', '=',
  'name=', 'source=', 'pattern=', 'uri_encode=', 'default=', 'TWIG', 'f"{', '}', '{', '[', ']', 'from figgy.figs import *\n',
  'import figgy.figs as f\n', 'f.', '\\', '#', 'é🍏', '\r', '"""', "'''", 'lazy_load=True', 'if LOCAL:', 'else:', 'def ', 'return',
  '+', '*', '**', '@', 'None', '0x', '\t', '\0', ' ', 'r"', 'b"', 'rf"', '{{', '}}', '!r', ':>3', 'lambda', 'async ', 'await ',
];

describe('fuzz', () => {
  test('random token soup never throws and yields in-bounds ranges', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 200 }), (toks) => {
        check(toks.join(''));
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  test('random unicode strings (with a figgy mention so they are parsed) never throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        check(`from figgy.figs import *\n${s}`);
        check(`class Figs(FigStore):\n    ${s}`);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  test('random mutations of the fixtures (deletions, insertions, truncations) never throw', () => {
    const sources = FIXTURES.map(fixture);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), len: fc.nat({ max: 40 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.constantFrom(...TOKENS) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...sources), fc.array(op, { minLength: 1, maxLength: 10 }), (src, ops) => {
        let t = src;
        for (const o of ops) {
          const at = Math.floor(o.at * t.length);
          if (o.kind === 'delete') t = t.slice(0, at) + t.slice(at + o.len);
          else if (o.kind === 'insert') t = t.slice(0, at) + o.text + t.slice(at);
          else t = t.slice(0, at);
        }
        check(t);
      }),
      { numRuns: 400, seed: 42 },
    );
  });

  test('every truncation of the spec example keeps the declarations before the cut', () => {
    const full = fixture('spec_example.py');
    const expected = parsePython(full, URI).classes[0].figs;
    for (let cut = 0; cut <= full.length; cut++) {
      const text = full.slice(0, cut);
      const m = check(text);
      // Declarations whose statement ended before the cut line must all be there, in order.
      const cutLine = text.split('\n').length - 1;
      const complete = expected.filter((f) => f.range.end.line < cutLine).map((f) => f.attr);
      const got = m.classes.flatMap((c) => c.figs.map((f) => f.attr));
      assert.deepEqual(got.slice(0, complete.length), complete, `cut at ${cut}: ${JSON.stringify(text.slice(-30))}`);
    }
  });
});
