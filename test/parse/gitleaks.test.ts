// A repository's `.gitleaks.toml` allowlists, honoured by the credential scan (pulpcore lists its
// bogus MinIO keys and test certificates there): reading the configuration, what applies to a
// file, and the scan's findings with and without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowFor, parseGgshieldConfig, parseGitleaksConfig, parseGitleaksIgnore, parseSecretsBaseline, scanCredentials, type CredentialAllow } from '../../server/src/parse/credentials';
import { TOKENS } from './credentials.helpers';

const detectors = (text: string, allow?: CredentialAllow, kind: 'shell' | 'python' = 'shell') =>
  scanCredentials({ text, uri: 'file:///r/ci/setup.sh', kind, allow }).findings.map((f) => [f.detector, f.range.start.line]);

const config = (toml: string) => {
  const r = parseGitleaksConfig(toml);
  return { config: r.config, errors: r.errors.map((e) => [e.code, e.range.start.line, e.message]) };
};

const SCRIPT = [`MINIO_ACCESS_KEY=${TOKENS.AKIA}`, `MINIO_SECRET_KEY=${TOKENS.AWS_SECRET}`, `OTHER_KEY_ID=${TOKENS.AKIA2}`, ''].join('\n');

test('gitleaks: the secrets an [allowlist] regex matches are not reported; the others are', () => {
  assert.deepEqual(detectors(SCRIPT), [
    ['aws-access-key-id', 0],
    ['secret-assignment', 1],
    ['aws-access-key-id', 2],
  ]);
  const { config: c, errors } = config(`[allowlist]\ndescription = "bogus test keys"\nregexes = ['''${TOKENS.AKIA}''', '''${TOKENS.AWS_SECRET.slice(0, 12)}''']\n`);
  assert.deepEqual(errors, []);
  const allow = allowFor(c, 'ci/setup.sh');
  assert.ok(allow && allow !== 'skip');
  // (A regex finds anywhere in the secret, as Go's MatchString does: a prefix allows the key.)
  assert.deepEqual(detectors(SCRIPT, allow), [['aws-access-key-id', 2]]);
});

test('gitleaks: Go syntax — (?i) and a stopword (any case) allow; a regex that does not match allows nothing', () => {
  const { config: c } = config(`[allowlist]\nregexes = ['''(?i)^${TOKENS.AKIA2.toLowerCase()}$''']\nstopwords = ["${TOKENS.AWS_SECRET.slice(5, 15).toUpperCase()}"]\n`);
  assert.deepEqual(detectors(SCRIPT, allowFor(c, 'ci/setup.sh') as CredentialAllow), [['aws-access-key-id', 0]]);
  const { config: none } = config(`[allowlist]\nregexes = ['''^notthere$''']\n`);
  assert.equal(detectors(SCRIPT, allowFor(none, 'ci/setup.sh') as CredentialAllow).length, 3);
});

test('gitleaks: regexTarget "line" matches the whole line, "match" the name with its value', () => {
  const { config: line } = config(`[allowlist]\nregexTarget = "line"\nregexes = ['''^OTHER_KEY_ID=''']\n`);
  assert.deepEqual(detectors(SCRIPT, allowFor(line, 'ci/setup.sh') as CredentialAllow), [
    ['aws-access-key-id', 0],
    ['secret-assignment', 1],
  ]);
  const { config: match } = config(`[allowlist]\nregexTarget = "match"\nregexes = ['''MINIO_SECRET_KEY''']\n`);
  assert.deepEqual(detectors(SCRIPT, allowFor(match, 'ci/setup.sh') as CredentialAllow), [
    ['aws-access-key-id', 0],
    ['aws-access-key-id', 2],
  ]);
});

test('gitleaks: paths cover whole files (relative to the configuration, Go regexes); condition AND needs every criterion', () => {
  const { config: c } = config(`[allowlist]\npaths = ['''tests/fixtures/.*\\.pem''', '''^docs/''']\n`);
  assert.equal(allowFor(c, 'tests/fixtures/keys/server.pem'), 'skip');
  assert.equal(allowFor(c, 'docs/storage.md'), 'skip');
  assert.equal(allowFor(c, 'src/docs/storage.md'), undefined);
  assert.equal(allowFor(c, 'tests/fixtures/readme.txt'), undefined);
  // AND: a path and a regex — only the secrets the regex matches, only in the files the path covers.
  const { config: and } = config(`[[allowlists]]\ncondition = "AND"\npaths = ['''^ci/''']\nregexes = ['''${TOKENS.AKIA2}''']\n`);
  assert.deepEqual(detectors(SCRIPT, allowFor(and, 'ci/setup.sh') as CredentialAllow), [
    ['aws-access-key-id', 0],
    ['secret-assignment', 1],
  ]);
  assert.equal(allowFor(and, 'deploy/setup.sh'), undefined);
  // An allowlist of single gitleaks rules (targetRules) is not applied: its detectors are not Orchard's.
  const { config: rules } = config(`[[allowlists]]\ntargetRules = ["aws-access-token"]\nregexes = ['''.*''']\n`);
  assert.equal(rules.allowlists.length, 0);
});

test('gitleaks: a configuration Orchard cannot read allows nothing and says why in its place', () => {
  const broken = config('[allowlist]\nregexes = [\n');
  assert.deepEqual(broken.config.allowlists, []);
  assert.equal(broken.errors.length, 1);
  assert.equal(broken.errors[0][0], 'gitleaks-config');
  assert.match(String(broken.errors[0][2]), /not valid TOML .*not applied/);
  // An invalid pattern (RE2 has no look-ahead) is dropped, reported on its line; the valid one stays.
  const bad = config(`[allowlist]\nregexes = [\n  '''(?=x)abc''',\n  '''${TOKENS.AKIA}''',\n]\n`);
  assert.deepEqual(bad.config.allowlists[0].regexes, [TOKENS.AKIA]);
  assert.deepEqual(bad.errors.map((e) => [e[0], e[1]]), [['gitleaks-config', 2]]);
  assert.match(String(bad.errors[0][2]), /not a valid regular expression \(look-around, which RE2 does not support\)/);
  // A pattern may be a secret's text: the message never quotes it, nor the line TOML could not read.
  const quoted = config(`[allowlist]\nregexes = ['''${TOKENS.AKIA}(''']\nstopwords = ["${TOKENS.AWS_SECRET}" "x"]\n`);
  for (const e of [...quoted.errors, ...config(`[allowlist]\nregexes = ['''${TOKENS.AKIA}(''']\n`).errors]) {
    assert.ok(!String(e[2]).includes(TOKENS.AKIA.slice(4)) && !String(e[2]).includes(TOKENS.AWS_SECRET.slice(0, 8)), String(e[2]));
  }
  assert.equal(quoted.errors.length, 1);
  // Wrong types are ignored, never thrown on.
  assert.deepEqual(config('allowlist = 3\nallowlists = "x"\n').config.allowlists, []);
  assert.deepEqual(config('[allowlist]\nregexes = "abc"\npaths = [1, 2]\n').config.allowlists, []);
});

test('gitleaks: a pattern built to backtrack runs in linear time (RE2), on a long secret line', () => {
  const { config: c } = config(`[allowlist]\nregexTarget = "line"\nregexes = ['''^(a+)+$''']\n`);
  const line = `TOKEN_KEY_ID=${TOKENS.AKIA} ${'a'.repeat(50_000)}!`;
  const t0 = performance.now();
  assert.equal(detectors(line, allowFor(c, 'ci/setup.sh') as CredentialAllow).length, 1);
  assert.ok(performance.now() - t0 < 2000, `took ${performance.now() - t0} ms`);
});

test('.gitleaksignore: the work tree fingerprints (file:rule:line) acknowledge their line; history fingerprints are not taken', () => {
  const ignore = parseGitleaksIgnore(
    [
      '# acknowledged',
      'ci/setup.sh:aws-access-token:3',
      './ci/setup.sh:generic-api-key:1',
      `${'a1'.repeat(20)}:ci/setup.sh:generic-api-key:2`,
      'C:\\repo\\x.sh:rule:4',
      'no-line-number:rule',
      '',
    ].join('\n'),
  );
  assert.deepEqual([...ignore], [
    ['ci/setup.sh', [3, 1]],
    ['C:\\repo\\x.sh', [4]],
  ]);
  // Lines 1 and 3 acknowledged (whatever gitleaks' rule was): only line 2 is reported.
  assert.deepEqual(detectors(SCRIPT, { entries: [], lines: ignore.get('ci/setup.sh') }), [['secret-assignment', 1]]);
  assert.equal(ignore.get('ci/other.sh'), undefined);
});

test('gitleaks: hostile configurations are refused quickly with a reason (deep nesting, thousands of patterns, a huge one, binary)', () => {
  const t0 = performance.now();
  const cases: [string, RegExp][] = [
    ['x = ' + '['.repeat(200_000) + ']'.repeat(200_000), /not valid TOML \(document contains excessively nested structures/],
    ['[allowlist]\nregexes = [' + Array.from({ length: 5000 }, (_, i) => `'''a${i}b'''`).join(',') + ']\n', /more than 2000 patterns: the rest are not applied/],
    [`[allowlist]\nregexes = ['''${'a'.repeat(500_000)}''']\n`, /pattern is 500000 characters long \(limit 4096\): it allows nothing/],
    ['\u0000\u0001\u0002'.repeat(1000), /not valid TOML/],
    ['x'.repeat(2 * 1024 * 1024), /not read: .* above the 1 M limit/],
  ];
  for (const [text, why] of cases) {
    const r = config(text);
    assert.equal(r.errors.length, 1, String(why));
    assert.match(String(r.errors[0][2]), why);
  }
  assert.ok(performance.now() - t0 < 3000, `took ${performance.now() - t0} ms`);
});

test('gitleaks / detect-secrets / ggshield: no warning quotes a canary pattern (quotes, newlines, backslashes), in TOML, JSON or YAML', () => {
  const canaries = [`Cn"q'x\\y(Zp9K\`r!2`, `Lm\n"Qx'7\\\\R(?=b"zz`, `Ww8"quote'and\\back(`];
  for (const c of canaries) {
    const toml = `[allowlist]\nregexes = [${JSON.stringify(c)}]\nstopwords = [${JSON.stringify(c)}]\n`;
    const messages = [
      ...parseGitleaksConfig(toml).errors,
      ...parseGitleaksConfig(`[allowlist]\nregexes = [${JSON.stringify(c)}\n`).errors,
      ...parseSecretsBaseline(JSON.stringify({ filters_used: [{ path: 'x.should_exclude_line', pattern: [c] }], results: {} })).errors,
      ...parseSecretsBaseline(`{"results": {"${c}`).errors,
      ...parseGgshieldConfig(`secret:\n  ignored_matches:\n    - match: ${JSON.stringify(c)}\n  x: [\n`).errors,
    ].map((e) => e.message);
    assert.ok(messages.length >= 4, JSON.stringify(messages));
    for (const m of messages) {
      for (let i = 0; i + 4 <= c.length; i++) {
        const part = c.slice(i, i + 4);
        assert.ok(!m.includes(part) && !m.includes(JSON.stringify(part).slice(1, -1)), `${JSON.stringify(m)} quotes ${JSON.stringify(part)}`);
      }
    }
  }
});
