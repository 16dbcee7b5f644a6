// Robustness of the .env parser: never throws, bounded time on hostile input, ranges inside the text.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseDotenv } from '../../server/src/parse/dotenv';
import type { DotenvModel } from '../../server/src/parse/envTypes';
import { assertRangesInside, readFixture, timed } from './env.helpers';

const URI = 'file:///fuzz/.env';
/** Per small input; a few hundred µs is typical, this only catches runaway work. */
const MAX_MS = 200;
/** For the 1 MB inputs below (measured: tens of ms). */
const MAX_MS_LARGE = 3000;

function check(text: string, maxMs = MAX_MS): DotenvModel {
  const { value: m, ms } = timed(() => parseDotenv(text, URI));
  assert.ok(ms < maxMs, `parse took ${ms.toFixed(0)} ms`);
  assert.equal(m.uri, URI);
  assertRangesInside(m, text);
  for (const e of m.entries) if (e.refs.length > 0) assert.ok(e.valueRange, 'a reference outside a value');
  return m;
}

const TOKENS = [
  'A', 'KEY_1', 'lower', '=', ' = ', ' ', '\t', '\n', '\r\n', '\r', "'", '"', '\\', '\\"', "\\'", '\\n', '#', ' # c', 'export ',
  '${', '}', ':-', '$', 'é🍏', '\u00a0', '\u2028', '\x0b', '\ufeff', '{{ x }}', '{%', '%}', '{#', '=""', "=''",
];

describe('dotenv fuzz', () => {
  test('random token soup never throws and yields in-bounds ranges', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 200 }), (toks) => {
        check(toks.join(''));
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  test('random unicode strings never throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => {
        check(s);
        check(`KEY=${s}`);
        check(`KEY="${s}`);
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  test('random mutations of the fixtures never throw', () => {
    const sources = ['hazards', 'broken', 'refs', 'crlf', 'diffgram', 'templated'].map((n) => readFixture('dotenv', `${n}.env`));
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

  test('every truncation of a fixture keeps the entries before the cut line', () => {
    const full = readFixture('dotenv', 'diffgram.env');
    const expected = parseDotenv(full, URI).entries;
    for (let cut = 0; cut <= full.length; cut++) {
      const text = full.slice(0, cut);
      const m = check(text);
      const cutLine = text.split('\n').length - 1;
      const complete = expected.filter((e) => e.range.end.line < cutLine).map((e) => [e.key, e.value]);
      assert.deepEqual(m.entries.slice(0, complete.length).map((e) => [e.key, e.value]), complete, `cut at ${cut}`);
    }
  });
});

describe('dotenv hostile input (about 1 MB each) is read in bounded time', () => {
  const MB = 1024 * 1024;
  const cases: [string, string][] = [
    ['one 1 MB unquoted line', `KEY=${'a '.repeat(MB / 2)}`],
    ['a 1 MB unclosed double quote', `KEY="${'\\"'.repeat(MB / 2)}`],
    ['1 MB of backslash-quote pairs then no close', `KEY='${"\\'".repeat(MB / 2)}`],
    ['1 MB of ${ without a closing brace', `KEY=${'${'.repeat(MB / 2)}`],
    ['1 MB of ${a${a${a… with one } at the end', `KEY=${'${a'.repeat(MB / 3)}}`],
    ['100k short lines', 'K=v\n'.repeat(100_000)],
    ['100k broken lines', 'not an assignment\n'.repeat(60_000)],
    ['100k lines inside one quoted value', `KEY="${'line\n'.repeat(100_000)}"`],
    ['1 MB of whitespace', ' \t\u00a0\n'.repeat(MB / 4)],
    ['a templated 1 MB file', '{% if x %}\nA={{ y }}\n{% endif %}\n'.repeat(30_000)],
  ];
  for (const [name, text] of cases) {
    test(name, () => {
      const m = check(text, MAX_MS_LARGE);
      assert.ok(m.errors.length <= 21, `${m.errors.length} errors`);
    });
  }
});
