// The real server honours the workspace's `.gitleaks.toml`: allowlisted keys and paths raise no
// diagnostic (in files never opened and in an open one), a change of the configuration or of a
// `.gitleaksignore`, a detect-secrets `.secrets.baseline` or a `.gitguardian.yaml` on disk is followed, and an open configuration that is not valid TOML says so in its place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startHarness } from './harness';
import { TOKENS } from '../parse/credentials.helpers';

const CONFIG = ['[allowlist]', `regexes = ['''${TOKENS.AKIA}''']`, "paths = ['''^fixtures/''']", ''].join('\n');
const FILES = {
  '.gitleaks.toml': CONFIG,
  'ci/setup.sh': `export MINIO_KEY_ID=${TOKENS.AKIA}\nexport DEPLOY_KEY_ID=${TOKENS.AKIA2}\n`,
  'fixtures/keys.sh': `export DEPLOY_KEY_ID=${TOKENS.AKIA2}\n`,
  'settings.py': `MINIO_KEY_ID = "${TOKENS.AKIA}"\nOTHER_KEY_ID = "${TOKENS.AKIA2}"\n`,
};

const codes = (d: { code?: unknown; range: { start: { line: number } } }[]) => d.map((x) => `${String(x.code)}:${x.range.start.line}`).sort();

test('gitleaks allowlists, .gitleaksignore, detect-secrets baselines and ggshield configurations: honoured at start and in open documents, followed when the configuration changes', { timeout: 60_000 }, async (t) => {
  const h = await startHarness({ files: FILES });
  t.after(() => h.close());
  const setup = h.uri('ci/setup.sh');
  const fixture = h.uri('fixtures/keys.sh');
  // Only the key the regex does not match; nothing in the path the configuration covers.
  assert.deepEqual(codes(await h.waitForDiagnostics(setup, (d) => d.length > 0)), ['credential-aws-access-key-id:1']);
  assert.deepEqual(h.diagnostics.get(fixture) ?? [], []);
  // An open Python file is scanned with the same allowlist on each version.
  h.client.sendNotification('textDocument/didOpen', { textDocument: { uri: h.uri('settings.py'), languageId: 'python', version: 1, text: FILES['settings.py'] } });
  h.change('settings.py', 2, `${FILES['settings.py']}THIRD_KEY_ID = "${TOKENS.AKIA}"\nFOURTH_KEY_ID = "${TOKENS.AKIA3}"\n`);
  const py = await h.waitForDiagnostics(h.uri('settings.py'), (d) => d.some((x) => x.range.start.line === 3));
  assert.deepEqual(codes(py), ['credential-aws-access-key-id:1', 'credential-aws-access-key-id:3']);

  // The configuration loses its paths on disk: the fixture's key is reported.
  writeFileSync(path.join(h.root, '.gitleaks.toml'), ['[allowlist]', `regexes = ['''${TOKENS.AKIA}''']`, ''].join('\n'));
  h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: h.uri('.gitleaks.toml'), type: 2 }] });
  assert.deepEqual(codes(await h.waitForDiagnostics(fixture, (d) => d.length > 0)), ['credential-aws-access-key-id:0']);

  // A .gitleaksignore acknowledging the remaining key's line, created on disk: followed too.
  writeFileSync(path.join(h.root, '.gitleaksignore'), 'ci/setup.sh:aws-access-token:2\n');
  h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: h.uri('.gitleaksignore'), type: 1 }] });
  await h.waitForDiagnostics(setup, (d) => d.length === 0);

  // A detect-secrets baseline excluding the fixtures, created on disk: followed too.
  writeFileSync(path.join(h.root, '.secrets.baseline'), JSON.stringify({ filters_used: [{ path: 'detect_secrets.filters.regex.should_exclude_file', pattern: ['^fixtures/'] }], results: {} }));
  h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: h.uri('.secrets.baseline'), type: 1 }] });
  await h.waitForDiagnostics(fixture, (d) => d.length === 0);

  // A GitGuardian configuration ignoring the open settings.py's key in clear, created on disk: followed too.
  writeFileSync(path.join(h.root, '.gitguardian.yaml'), `version: 2\nsecret:\n  ignored_matches:\n    - match: ${TOKENS.AKIA3}\n`);
  h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: h.uri('.gitguardian.yaml'), type: 1 }] });
  await h.waitForDiagnostics(h.uri('settings.py'), (d) => codes(d).join() === 'credential-aws-access-key-id:1');

  // Open and broken: a warning in its place (the patterns it lists are never reported as leaks).
  const cfg = h.uri('.gitleaks.toml');
  h.client.sendNotification('textDocument/didOpen', { textDocument: { uri: cfg, languageId: 'toml', version: 1, text: CONFIG } });
  h.change('.gitleaks.toml', 2, `${CONFIG}[allowlist\n`);
  const d = await h.waitForDiagnostics(cfg, (x) => x.length > 0);
  assert.deepEqual(codes(d), ['gitleaks-config:3']);
  assert.match(String(d[0].message), /not valid TOML/);
});
