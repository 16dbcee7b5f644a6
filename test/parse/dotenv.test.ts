import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { MAX_DOTENV_ERRORS, parseDotenv } from '../../server/src/parse/dotenv';
import type { DotenvEntry, DotenvModel } from '../../server/src/parse/envTypes';
import { assertRangesInside, compact, ENV_FIXTURES, readFixture, slice } from './env.helpers';

const URI = 'file:///app/.env';
const DIR = path.join(ENV_FIXTURES, 'dotenv');

function entry(m: DotenvModel, key: string, nth = 0): DotenvEntry {
  const all = m.entries.filter((e) => e.key === key);
  assert.ok(all[nth], `no entry ${key} #${nth}; entries: ${m.entries.map((e) => e.key).join(', ')}`);
  return all[nth];
}

interface OracleBinding {
  line: number;
  error: boolean;
  key?: string;
  value?: string | null;
  refs?: string[];
}

// The *.oracle.json files were written by python-dotenv itself (test/fixtures/dotenv/oracle.py run
// on python-dotenv's source): the parser must agree with it statement by statement.
describe('agrees with python-dotenv on every fixture', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.env'));
  test('there are fixtures', () => assert.ok(files.length >= 8));
  for (const f of files) {
    test(f, () => {
      const text = readFixture('dotenv', f);
      const oracle = JSON.parse(readFixture('dotenv', f.replace(/\.env$/, '.oracle.json'))).bindings as OracleBinding[];
      const m = parseDotenv(text, `file:///fixtures/${f}`);
      assertRangesInside(m, text);
      const templated = m.errors.some((e) => e.code === 'dotenv-templated');
      const lines = text.split(/\r\n|\r|\n/);
      // Orchard's documented difference: a templated file's template lines are neither entries nor errors.
      const startsWithTemplate = (l: number) => templated && /^\s*(\{\{|\{%|\{#)/.test(lines[l]);
      const isTemplateLine = (l: number) => templated && /\{\{|\{%|\{#/.test(lines[l]);
      const expected = oracle
        .filter((b) => !b.error && b.key !== undefined && !startsWithTemplate(b.line))
        .map((b) => ({ line: b.line, key: b.key, value: b.value, refs: b.value === null ? [] : b.refs }));
      const got = m.entries.map((e) => ({ line: e.range.start.line, key: e.key, value: e.value, refs: e.refs.map((x) => x.name) }));
      assert.deepEqual(got, expected);
      const expectedErrors = oracle.filter((b) => b.error && !isTemplateLine(b.line)).map((b) => b.line);
      assert.deepEqual(
        m.errors.filter((e) => e.code === 'dotenv-syntax').map((e) => e.range.start.line),
        expectedErrors,
      );
    });
  }
});

describe('fixtures match their expected JSON', () => {
  for (const name of ['hazards', 'broken', 'refs']) {
    test(name, () => {
      const m = parseDotenv(readFixture('dotenv', `${name}.env`), `file:///fixtures/${name}.env`);
      assert.deepEqual(compact(m), JSON.parse(readFixture('dotenv', `${name}.expected.json`)));
    });
  }
});

describe('a key set again', () => {
  test('the earlier line gets a warning naming the line that wins; at most 20, then a count', () => {
    const m = parseDotenv('A=1\nB=2\nA=3\nA=4\n', URI);
    assert.deepEqual(
      m.errors.map((e) => [e.code, e.severity, e.range.start.line, e.message]),
      [
        ['dotenv-duplicate-key', 'warning', 0, 'A is set again on line 4, and python-dotenv keeps the last value: this line has no effect'],
        ['dotenv-duplicate-key', 'warning', 2, 'A is set again on line 4, and python-dotenv keeps the last value: this line has no effect'],
      ],
    );
    assert.equal(m.entries.length, 4, 'every line stays in the model (hover, navigation)');
    const many = parseDotenv(Array.from({ length: 30 }, (_, i) => `K=${i}`).join('\n'), URI);
    assert.equal(many.errors.length, 20);
    assert.match(many.errors[19].message, /\(and 9 more lines set a key again\)$/);
    // The syntax errors' own count stays on the last syntax error.
    const both = parseDotenv([...Array.from({ length: 25 }, () => 'not a binding'), 'A=1', 'A=2'].join('\n'), URI);
    assert.deepEqual(both.errors.map((e) => e.code), [...Array.from({ length: 20 }, () => 'dotenv-syntax'), 'dotenv-duplicate-key']);
    assert.match(both.errors[19].message, /\(and 5 more lines python-dotenv cannot parse\)$/);
    assert.doesNotMatch(both.errors[20].message, /more lines/);
  });
});

describe('a key set again in a template', () => {
  test('with {% if %} blocks the template decides which line stays: no warning; with {{ }} values only, still one', () => {
    // Mailu's setup/flavors/compose/mailu.env.
    const branches = parseDotenv('{% if stats %}\nDISABLE_STATISTICS=False\n{% else %}\nDISABLE_STATISTICS=True\n{% endif %}\n', URI);
    assert.deepEqual(branches.errors.map((e) => e.code), ['dotenv-templated']);
    const values = parseDotenv('A=1\nA={{ a }}\nA=2\n', URI);
    assert.deepEqual(values.errors.map((e) => e.code), ['dotenv-duplicate-key', 'dotenv-duplicate-key']);
  });
});

describe('ranges', () => {
  test('key, value (with its quotes), whole line, reference names', () => {
    const text = 'export API_URL = "https://${HOST}:${PORT:-443}/v1" # the API\n';
    const m = parseDotenv(text, URI);
    const e = entry(m, 'API_URL');
    assert.equal(slice(text, e.keyRange), 'API_URL');
    assert.equal(slice(text, e.valueRange!), '"https://${HOST}:${PORT:-443}/v1"');
    assert.equal(slice(text, e.range), 'export API_URL = "https://${HOST}:${PORT:-443}/v1" # the API');
    assert.equal(e.exported, true);
    assert.equal(e.quote, '"');
    assert.equal(e.comment, 'the API');
    assert.deepEqual(
      e.refs.map((x) => [x.name, slice(text, x.range)]),
      [
        ['HOST', 'HOST'],
        ['PORT', 'PORT'],
      ],
    );
  });

  test('reference ranges stay on the source text after escapes and CRLF line breaks', () => {
    const text = 'A="x\\t\\"y\\"\r\nz${NAME}"\r\nB=1\r\n';
    const m = parseDotenv(text, URI);
    const a = entry(m, 'A');
    assert.equal(a.value, 'x\t"y"\nz${NAME}');
    assert.equal(a.refs.length, 1);
    assert.equal(slice(text, a.refs[0].range), 'NAME');
    assert.deepEqual(a.refs[0].range, { start: { line: 1, character: 3 }, end: { line: 1, character: 7 } });
    assert.equal(entry(m, 'B').keyRange.start.line, 2);
  });

  test('unquoted value stops before the comment and trailing blanks', () => {
    const text = 'TOKEN=abc def   # note\nEMPTY=\nBARE\n';
    const m = parseDotenv(text, URI);
    assert.equal(slice(text, entry(m, 'TOKEN').valueRange!), 'abc def');
    const empty = entry(m, 'EMPTY');
    assert.equal(empty.value, '');
    assert.deepEqual(empty.valueRange, { start: { line: 1, character: 6 }, end: { line: 1, character: 6 } });
    const bare = entry(m, 'BARE');
    assert.equal(bare.value, null);
    assert.equal(bare.valueRange, undefined);
    assert.deepEqual(bare.refs, []);
  });

  test("a single-quoted key's range is the name inside the quotes", () => {
    const text = "'QUOTED'=1";
    const e = entry(parseDotenv(text, URI), 'QUOTED');
    assert.equal(slice(text, e.keyRange), 'QUOTED');
  });

  test('a BOM is not part of the first key', () => {
    const text = '\ufeffFIRST=1\n';
    const e = entry(parseDotenv(text, URI), 'FIRST');
    assert.equal(slice(text, e.keyRange), 'FIRST');
    assert.equal(e.keyRange.start.character, 1);
  });

  test('a multi-line value: range over its lines, newlines kept', () => {
    const text = 'KEY="-----BEGIN-----\nabc\n-----END-----"\nNEXT=1';
    const m = parseDotenv(text, URI);
    const k = entry(m, 'KEY');
    assert.equal(k.value, '-----BEGIN-----\nabc\n-----END-----');
    assert.deepEqual(k.valueRange, { start: { line: 0, character: 4 }, end: { line: 2, character: 14 } });
    assert.equal(entry(m, 'NEXT').value, '1');
  });
});

describe('errors', () => {
  test('a line that is not an assignment is an error on that line; parsing goes on', () => {
    const text = 'A=1\nnot an assignment\nB=2\n';
    const m = parseDotenv(text, URI);
    assert.deepEqual(m.entries.map((e) => e.key), ['A', 'B']);
    assert.equal(m.errors.length, 1);
    assert.equal(m.errors[0].code, 'dotenv-syntax');
    assert.equal(slice(text, m.errors[0].range), 'not an assignment');
  });

  test('an unclosed quote that finds a quote lines later swallows them, as python-dotenv does, and says so', () => {
    const text = "A='open\nB=2\nC='x'\nD=4\n";
    const m = parseDotenv(text, URI);
    assert.deepEqual(m.entries.map((e) => e.key), ['D']);
    assert.equal(m.errors.length, 1);
    assert.deepEqual([m.errors[0].range.start.line, m.errors[0].range.end.line], [0, 2]);
    assert.match(m.errors[0].message, /opened on line 1 runs to line 3/);
  });

  test('duplicate keys are all kept, in order', () => {
    const m = parseDotenv(readFixture('dotenv', 'duplicates.env'), URI);
    assert.deepEqual(
      m.entries.map((e) => [e.key, e.value]),
      [
        ['DEBUG', 'false'],
        ['SECRET_KEY', 'first'],
        ['DEBUG', 'true'],
        ['SECRET_KEY', 'second'],
        ['DEBUG', null],
      ],
    );
  });

  test(`at most ${MAX_DOTENV_ERRORS} syntax errors, the last one counts the rest`, () => {
    const text = Array.from({ length: MAX_DOTENV_ERRORS + 7 }, (_, i) => `bad line ${i}`).join('\n');
    const m = parseDotenv(text, URI);
    assert.equal(m.errors.length, MAX_DOTENV_ERRORS);
    assert.match(m.errors[MAX_DOTENV_ERRORS - 1].message, /and 7 more lines/);
  });

  test('messages never quote a value or a name (a stray secret on a broken line stays out of them)', () => {
    const canary = 'sk_live_"Qz9\'\\bSl4\nzz';
    const text = [`TOKEN="${canary}" trailing`, `${canary} more`, `X='${canary}`, `'${canary}`, `=${canary}`].join('\n');
    const m = parseDotenv(text, URI);
    assert.ok(m.errors.length >= 3);
    for (const e of m.errors) {
      for (const part of ['sk_live', 'Qz9', 'bSl4', 'TOKEN']) assert.ok(!e.message.includes(part), `message leaks ${part}: ${e.message}`);
    }
  });

  test('templated files: one notice, no error per template line, template lines are not entries', () => {
    const m = parseDotenv(readFixture('dotenv', 'templated.env'), URI);
    assert.deepEqual(m.errors.map((e) => [e.code, e.range.start.line]), [['dotenv-templated', 1]]);
    assert.deepEqual(m.entries.map((e) => e.key), ['DATABASE_URL', 'SECRET_KEY', 'PLAIN']);
  });

  test('binary and too-large files get one notice and no entries', () => {
    assert.deepEqual(parseDotenv('A=1\0B=2', URI).errors.map((e) => e.code), ['binary-file']);
    const big = parseDotenv(`A=${'x'.repeat(3 * 1024 * 1024)}`, URI);
    assert.deepEqual(big.errors.map((e) => e.code), ['file-too-large']);
    assert.deepEqual(big.entries, []);
  });
});
