// A repository's GitHub secret scanning configuration (`.github/secret_scanning.yml`): the paths
// its team excluded from GitHub's alerts are not scanned either, read as GitHub Actions filter
// patterns from the repository's root; re-inclusions (`!`) are not combined, so nothing applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionsPatternToRegex, allowFor, isGithubSecretScanningPath, parseGithubSecretScanning } from '../../server/src/parse/credentials';

test('GitHub secret scanning: paths-ignore as Actions filter patterns over the whole path', () => {
  const { config, errors } = parseGithubSecretScanning(['paths-ignore:', '  - "docs/**"', '  - "*.md"', '  - "test/fixtures/*.pem"', '  - "config/keys?.json"', '  - "build[0-9]/**"', ''].join('\n'));
  assert.deepEqual(errors, []);
  const skip = (p: string) => allowFor(config, p) === 'skip';
  assert.ok(skip('docs/a/b/c.md') && skip('README.md') && !skip('src/README.md'));
  assert.ok(skip('test/fixtures/k.pem') && !skip('test/fixtures/sub/k.pem') && !skip('x/test/fixtures/k.pem'));
  assert.ok(skip('config/key.json') && skip('config/keys.json') && !skip('config/keyss.json'));
  assert.ok(skip('build1/x.js') && !skip('buildx/x.js') && !skip('src/app.py'));
  assert.equal(actionsPatternToRegex('a.b(c)'), '^a\\.b\\(c\\)$');
  assert.ok(isGithubSecretScanningPath('/r/.github/secret_scanning.yml') && isGithubSecretScanningPath('file:///r/.github/secret_scanning.yaml') && !isGithubSecretScanningPath('/r/secret_scanning.yml'));
});

test('GitHub secret scanning: a re-inclusion, a pattern that cannot be read, broken YAML — applied as little as is safe, and said', () => {
  const neg = parseGithubSecretScanning('paths-ignore:\n  - "docs/**"\n  - "!docs/secrets/**"\n');
  assert.deepEqual(neg.config.allowlists, []);
  assert.deepEqual(neg.errors.map((e) => [e.code, e.severity, e.range.start.line]), [['secret-scanning-config', 'info', 2]]);
  const bad = parseGithubSecretScanning('paths-ignore:\n  - "[z-a]/**"\n  - "docs/**"\n');
  assert.equal(allowFor(bad.config, 'docs/x.md'), 'skip');
  assert.deepEqual(bad.errors.map((e) => [e.severity, e.range.start.line]), [['warning', 1]]);
  assert.match(parseGithubSecretScanning('paths-ignore: [\n').errors[0].message, /not read as YAML/);
  assert.deepEqual(parseGithubSecretScanning(''), { config: { allowlists: [] }, errors: [] });
});
