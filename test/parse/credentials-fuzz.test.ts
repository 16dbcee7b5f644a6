// Property tests: the credential scanner never throws, keeps ranges inside the text, and runs in
// linear time on hostile long lines (no catastrophic regex).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineMemo, scanCredentials, type CredentialFileKind } from '../../server/src/parse/credentials';
import { keywordsIn } from '../../server/src/parse/credentials/scan';
import { RULES } from '../../server/src/parse/credentials/rules';
import { lineIndex } from '../../server/src/parse/text';
import { TOKENS, fixture } from './credentials.helpers';

const KINDS: CredentialFileKind[] = ['yaml', 'dotenv', 'python', 'shell', 'js', 'go', 'json', 'ini', 'toml', 'text'];
const pieces = ['=', ':', '"', "'", '\\', '\n', '\r\n', ' ', '#', '//', '${{', '}}', '$', '- ', 'secure: ', 'PASSWORD', 'token', '@', '://', 'AKIA', 'eyJ', '-----BEGIN RSA PRIVATE KEY-----', '-----END', 'ENC[AES256_GCM,', '$ANSIBLE_VAULT;', '|', '  ', '\t', '\0', '\u2028', '😀', TOKENS.GHP, TOKENS.AWS_SECRET, 'set -x'];

test('never throws; every range lies inside the text; previews stay short', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 8 })), { maxLength: 60 }), fc.constantFrom(...KINDS), (parts, kind) => {
      const text = parts.join('');
      const r = scanCredentials({ text, uri: 'file:///ws/.github/workflows/x.yml', kind });
      const end = lineIndex(text).positionAt(text.length);
      for (const f of r.findings) {
        for (const p of [f.range.start, f.range.end, f.keyRange?.start, f.keyRange?.end]) {
          if (!p) continue;
          assert.ok(p.line < end.line || (p.line === end.line && p.character <= end.character), JSON.stringify(f));
        }
        assert.ok(f.preview.length <= 5);
      }
    }),
    { numRuns: 400 },
  );
});

test('mutated fixtures: no throw', () => {
  const texts = ['github-workflow.yml', 'travis-plain.yml', 'dotenv.env', 'settings.py', 'deploy.sh', 'appsettings.json'].map(fixture);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: texts.length - 1 }), fc.nat(), fc.constantFrom(...pieces), fc.constantFrom(...KINDS), (i, at, ins, kind) => {
      const t = texts[i];
      const k = at % (t.length + 1);
      scanCredentials({ text: t.slice(0, k) + ins + t.slice(k), uri: 'file:///ws/.travis.yml', kind });
    }),
    { numRuns: 300 },
  );
});

function time(text: string, kind: CredentialFileKind): number {
  const t0 = performance.now();
  scanCredentials({ text, uri: 'file:///ws/.github/workflows/x.yml', kind }, { maxChars: 64 * 1024 * 1024 });
  return performance.now() - t0;
}

/** Hostile single lines, built to make a backtracking regex retry from every position. */
const HOSTILE: [string, (n: number) => string][] = [
  ['a', (n) => 'a'.repeat(n)],
  ['AKIA', (n) => 'AKIA'.repeat(n / 4)],
  ['"\\', (n) => '"\\'.repeat(n / 2)],
  ['=', (n) => '='.repeat(n)],
  ['a=', (n) => 'a='.repeat(n / 2)],
  ['x://a:', (n) => 'x://a:'.repeat(n / 6)],
  ['eyJ', (n) => 'eyJ'.repeat(n / 3)],
  ['base64', (n) => 'Ab1/'.repeat(n / 4)],
  ['xoxb-1-', (n) => 'xoxb-1-'.repeat(n / 7)],
  ['password=x', (n) => 'Server=a;password=x'.repeat(n / 19)],
  ['glpat-', (n) => ('glpat-' + 'a'.repeat(20) + '.').repeat(n / 27)],
  ['Authorization: Bearer', (n) => ('Authorization: Bearer ' + 'a'.repeat(20)).repeat(n / 42)],
  ['-----BEGIN', (n) => '-----BEGIN RSA PRIVATE KEY-----'.repeat(n / 31)],
  ['hex', (n) => '0123456789abcdef'.repeat(n / 16) + '\nAC' + 'f'.repeat(32)],
];

test('linear time on 1 MB hostile lines (and 4x the input takes at most ~4x the time)', () => {
  const MB = 1024 * 1024;
  for (const [name, make] of HOSTILE) {
    for (const kind of ['text', 'yaml', 'dotenv'] as CredentialFileKind[]) {
      time(make(MB / 8), kind); // warm-up
      const small = Math.max(1, time(make(MB / 4), kind));
      const big = time(make(MB), kind);
      assert.ok(big < 3000, `${name} (${kind}): 1 MB took ${big.toFixed(0)} ms`);
      assert.ok(big < small * 10 + 50, `${name} (${kind}): 256 KB ${small.toFixed(0)} ms vs 1 MB ${big.toFixed(0)} ms`);
    }
  }
});

test('keywordsIn finds exactly the shape keywords that `includes` finds (overlapping and prefix keywords too)', () => {
  const keywords = [...new Set(RULES.filter((r) => r.kind === 'shape').flatMap((r) => r.keywords))];
  // Pieces of keywords as well as whole ones, so that overlaps and near misses occur.
  const bits = keywords.flatMap((k) => [k, k.slice(0, Math.ceil(k.length / 2)), k.slice(Math.floor(k.length / 2))]);
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(...bits), fc.string({ maxLength: 4 })), { maxLength: 40 }), (parts) => {
      const lower = parts.join('').toLowerCase();
      assert.deepEqual([...keywordsIn(lower)].sort(), keywords.filter((k) => lower.includes(k)).sort());
    }),
    { numRuns: 1000 },
  );
  assert.deepEqual([...keywordsIn('password = sk-ant-x')].sort(), ['password =', 'sk', 'sk-ant-'].sort());
});

test('property: a scan with the line memo of the previous versions equals a scan without, edit after edit', () => {
  const lineBits = ['PASSWORD = "', 'token: ', 'os.getenv("API_KEY", "', 'default=', 'cfg["secret"] = ', 'f"', '"""', "'", '"', '\\', '#', ' ', '=', ',', '(', TOKENS.GHP, TOKENS.AWS_SECRET, 'AKIA', 'hunter2-Xy9!', '\r'];
  const line = fc.array(fc.oneof(fc.constantFrom(...lineBits), fc.string({ maxLength: 5 })), { maxLength: 8 }).map((p) => p.join(''));
  const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 6 }), ins: fc.oneof(fc.constantFrom(...lineBits, '\n', 'x'), fc.string({ maxLength: 3 })) });
  let reusedLines = 0;
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 12 }), fc.array(edit, { maxLength: 6 }), (lines, edits) => {
      const memo = new LineMemo();
      let text = lines.join('\n');
      const input = (t: string) => ({ text: t, uri: 'file:///ws/app/settings.py', kind: 'python' as const });
      assert.deepEqual(scanCredentials(input(text), { lineMemo: memo }), scanCredentials(input(text)));
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.ins + text.slice(at + e.del);
        assert.deepEqual(scanCredentials(input(text), { lineMemo: memo }), scanCredentials(input(text)));
        reusedLines += memo.reused;
      }
    }),
    { numRuns: 400 },
  );
  assert.ok(reusedLines > 500, `the memo served lines (${reusedLines})`);
});

test('the line memo stays right when it drops the lines no longer in the document (300 edits of one line)', () => {
  const memo = new LineMemo();
  const lines = ['import os', 'API_KEY = "x"', 'PASSWORD = "hunter2-Xy9!"', 'token = os.getenv("TOKEN", "t0k3n-Zq8!")'];
  let served = 0;
  let dropped = 0;
  for (let i = 0; i < 300; i++) {
    lines[1] = `SECRET_${i} = "v4lue-${i}-Qw9!"`;
    const text = lines.join('\n');
    const input = { text, uri: 'file:///ws/app/settings.py', kind: 'python' as const };
    assert.deepEqual(scanCredentials(input, { lineMemo: memo }), scanCredentials(input));
    if (memo.reused === 3) served++;
    else if (i > 0) dropped++;
  }
  // Every scan but the first and the ones right after the memo started again took the other lines from it.
  assert.ok(dropped >= 2 && dropped <= 6, `the memo started again ${dropped} times`);
  assert.equal(served, 299 - dropped);
});
