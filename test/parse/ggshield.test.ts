// A repository's GitGuardian configuration (`.gitguardian.yaml`, ggshield), honoured by the
// credential scan: its ignored paths (ggshield's globs) and the secrets it ignores in clear; the
// SHA-256 entries ggshield writes cannot be matched and are said, not silently dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowFor, globToRegex, parseGgshieldConfig, scanCredentials } from '../../server/src/parse/credentials';
import { TOKENS } from './credentials.helpers';

const SCRIPT = [`export MINIO_KEY_ID=${TOKENS.AKIA}`, `export DEPLOY_KEY_ID=${TOKENS.AKIA2}`, ''].join('\n');
const detectors = (hashes?: string[]) => scanCredentials({ text: SCRIPT, uri: 'file:///r/ci/setup.sh', kind: 'shell', allow: hashes ? { entries: [], hashes } : undefined }).findings.map((f) => f.range.start.line);

test('ggshield: ignored paths as ggshield reads its globs', () => {
  const { config, errors } = parseGgshieldConfig(['version: 2', 'secret:', '  ignored_paths:', "    - '**/README.md'", "    - 'doc/*'", "    - '/LICENSE'", "    - 'fixtures/'", "    - 'docs/**'", "    - '**/*.min.js'", ''].join('\n'));
  assert.deepEqual(errors, []);
  const skip = (p: string) => allowFor(config.config, p) === 'skip';
  assert.ok(skip('README.md') && skip('a/b/README.md'));
  assert.ok(skip('doc/setup.sh') && skip('src/doc/setup.sh') && !skip('doc/x/setup.sh'));
  assert.ok(skip('LICENSE') && !skip('sub/LICENSE'));
  assert.ok(skip('fixtures/a/b.pem') && skip('tests/fixtures/key.pem'));
  assert.ok(skip('docs/a/b/c.md') && skip('web/app.min.js') && !skip('web/app.js'));
  assert.equal(globToRegex('a.b+c'), '(?:^|/)a\\.b\\+c$');
});

test('ggshield: a secret ignored in clear is not reported (v2 and v1 forms); a SHA-256 entry cannot be matched and is said once', () => {
  const v2 = parseGgshieldConfig(['version: 2', 'secret:', '  ignored_matches:', '    - name: bogus', `      match: ${TOKENS.AKIA}`, `    - match: ${'ab'.repeat(32)}`, `    - match: ${'cd'.repeat(32)}`, ''].join('\n'));
  assert.deepEqual(detectors(), [0, 1]);
  assert.deepEqual(detectors(v2.config.hashes), [1]);
  assert.deepEqual(v2.errors.map((e) => [e.code, e.severity, e.range.start.line]), [['ggshield-config', 'info', 5]]);
  assert.match(v2.errors[0].message, /^2 ignored match\(es\) given as ggshield's SHA-256 cannot be matched/);
  const v1 = parseGgshieldConfig(['paths-ignore:', "  - 'ci/*'", 'matches-ignore:', '  - name: x', `    match: ${TOKENS.AKIA2}`, ''].join('\n'));
  assert.equal(allowFor(v1.config.config, 'ci/setup.sh'), 'skip');
  assert.deepEqual(detectors(v1.config.hashes), [0]);
});

test('ggshield: a configuration Orchard cannot read applies nothing and says why without quoting it', () => {
  const broken = parseGgshieldConfig(`secret:\n  ignored_matches:\n    - match: "${TOKENS.AWS_SECRET}\n  bad: [\n`);
  assert.equal(broken.errors.length, 1);
  assert.equal(broken.errors[0].code, 'ggshield-config');
  assert.match(broken.errors[0].message, /not read as YAML/);
  assert.ok(!broken.errors[0].message.includes(TOKENS.AWS_SECRET.slice(0, 6)));
  assert.deepEqual(broken.config.hashes, []);
  assert.match(parseGgshieldConfig('- a\n- b\n').errors[0].message, /not a ggshield configuration/);
  assert.deepEqual(parseGgshieldConfig('').errors, []);
  assert.deepEqual(parseGgshieldConfig('secret: 3\npaths-ignore: x\n'), { config: { config: { allowlists: [] }, hashes: [] }, errors: [] });
});
