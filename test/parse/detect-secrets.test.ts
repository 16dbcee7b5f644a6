// A repository's detect-secrets baseline (`.secrets.baseline`), honoured by the credential scan:
// the secrets its team reviewed (by SHA-1) and the files, lines and secrets it excluded are not
// raised again (mitxonline excludes `config/keycloak/*` and lists a Stripe fixture's secret).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { allowFor, parseSecretsBaseline, scanCredentials, type CredentialAllow } from '../../server/src/parse/credentials';
import { TOKENS } from './credentials.helpers';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const SCRIPT = [`export MINIO_KEY_ID=${TOKENS.AKIA}`, `export DEPLOY_KEY_ID=${TOKENS.AKIA2}`, `export NEXT_KEY_ID=${TOKENS.AKIA3}  # rotated`, ''].join('\n');
const detectors = (allow?: CredentialAllow) => scanCredentials({ text: SCRIPT, uri: 'file:///r/ci/setup.sh', kind: 'shell', allow }).findings.map((f) => [f.detector, f.range.start.line]);

const baseline = (doc: unknown) => parseSecretsBaseline(typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));

test('detect-secrets: a reviewed secret (by SHA-1) is not reported; one audited as real is', () => {
  assert.equal(detectors().length, 3);
  const { baseline: b, errors } = baseline({
    version: '1.5.0',
    results: {
      'ci/setup.sh': [
        { type: 'AWS Access Key', filename: 'ci/setup.sh', hashed_secret: sha1(TOKENS.AKIA), is_verified: false, line_number: 1 },
        { type: 'AWS Access Key', filename: 'ci/setup.sh', hashed_secret: sha1(TOKENS.AKIA2), is_verified: false, line_number: 2, is_secret: true },
      ],
    },
  });
  assert.deepEqual(errors, []);
  const hashes = b.hashes.get('ci/setup.sh');
  assert.deepEqual(hashes, [sha1(TOKENS.AKIA)]);
  // Lines moved since the baseline was written: the hash still matches (detect-secrets ignores line numbers too).
  assert.deepEqual(detectors({ entries: [], hashes }), [
    ['aws-access-key-id', 1],
    ['aws-access-key-id', 2],
  ]);
});

test('detect-secrets: excluded files, lines and secrets (filters_used, and the older exclude form)', () => {
  const { baseline: b, errors } = baseline({
    filters_used: [
      { path: 'detect_secrets.filters.regex.should_exclude_file', pattern: ['config/keycloak/*', '.*_test.py'] },
      { path: 'detect_secrets.filters.regex.should_exclude_line', pattern: ['#\\s*rotated$'] },
      { path: 'detect_secrets.filters.regex.should_exclude_secret', pattern: [`^${TOKENS.AKIA.slice(0, 8)}`] },
      { path: 'detect_secrets.filters.heuristic.is_likely_id_string' },
    ],
    results: {},
  });
  assert.deepEqual(errors, []);
  assert.equal(allowFor(b.config, 'config/keycloak/tls/tls.key'), 'skip');
  assert.equal(allowFor(b.config, 'users/serializers_test.py'), 'skip');
  assert.deepEqual(detectors(allowFor(b.config, 'ci/setup.sh') as CredentialAllow), [['aws-access-key-id', 1]]);
  const old = baseline({ exclude: { files: '^fixtures/', lines: null }, results: {} });
  assert.equal(allowFor(old.baseline.config, 'fixtures/keys.pem'), 'skip');
  assert.equal(allowFor(old.baseline.config, 'src/fixtures/keys.pem'), undefined);
});

test('detect-secrets: a baseline Orchard cannot read applies nothing and says why without quoting it', () => {
  const broken = baseline(`{"results": {"a.sh": [{"hashed_secret": "${TOKENS.AWS_SECRET}"`);
  assert.equal(broken.errors.length, 1);
  assert.equal(broken.errors[0].code, 'secrets-baseline');
  assert.match(broken.errors[0].message, /not valid JSON/);
  assert.ok(!broken.errors[0].message.includes(TOKENS.AWS_SECRET.slice(0, 8)));
  assert.equal(broken.baseline.hashes.size, 0);
  const bad = baseline({ filters_used: [{ path: 'x.should_exclude_secret', pattern: [`(?<=${TOKENS.AKIA})`] }], results: { 'a.sh': [{ hashed_secret: 'not-a-sha1' }], 'b.sh': 'x' } });
  assert.equal(bad.errors.length, 1);
  assert.match(bad.errors[0].message, /an excluded-secrets pattern is not applied \(look-around, which RE2 does not support\): what it would exclude is reported/);
  assert.ok(!bad.errors[0].message.includes(TOKENS.AKIA));
  assert.equal(bad.errors[0].range.start.line, 5);
  assert.deepEqual([...bad.baseline.hashes], []);
  assert.match(baseline('[1, 2]').errors[0].message, /not a detect-secrets baseline/);
});
