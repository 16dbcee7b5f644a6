// `orchard check` honours the repository's `.gitleaks.toml` (built CLI): what its team allowed for
// gitleaks — bogus test keys by regex, fixture certificates by path — is not raised again, the
// configuration itself is not reported as leaking the values it lists, a change of it is seen by a
// warm check, and `--staged` honours it too; the same for `.gitleaksignore`, detect-secrets'
// `.secrets.baseline` and GitGuardian's `.gitguardian.yaml`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TOKENS } from '../parse/credentials.helpers';
import { cli, git, writeFiles, type CliFinding } from './tree.helpers';

type F = CliFinding;

const KEY = `-----BEGIN OPENSSH PRIV${'ATE KEY'}-----\n${TOKENS.PEM1}\n${TOKENS.PEM2}\n-----END OPENSSH PRIV${'ATE KEY'}-----\n`;

const TREE: Record<string, string> = {
  '.gitleaks.toml': [
    '[allowlist]',
    'description = "bogus test keys"',
    "paths = ['''app/tests/fixtures/.*\\.pem''']",
    `regexes = ['''${TOKENS.AKIA}''', '''${TOKENS.AWS_SECRET}''']`,
    '',
  ].join('\n'),
  'app/ci/setup.sh': [`export MINIO_ACCESS_KEY=${TOKENS.AKIA}`, `export MINIO_SECRET_KEY=${TOKENS.AWS_SECRET}`, `export DEPLOY_KEY_ID=${TOKENS.AKIA2}`, ''].join('\n'),
  'app/tests/fixtures/server.pem': KEY,
  'app/deploy/server.pem': KEY,
};

function inRepo<T>(files: Record<string, string>, fn: (root: string) => T): T {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-gitleaks-'));
  try {
    writeFiles(root, files);
    git(root, ['init', '-q']);
    git(root, ['add', '-A']);
    return fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const check = (root: string, target: string, extra: string[] = []): [string, string, number][] =>
  (JSON.parse(cli(root, ['check', target, '--parse-only', '--format', 'json', '--fail-on', 'never', '--cache-dir', path.join(root, '.cache'), ...extra])) as F[])
    .filter((f) => f.code.startsWith('credential-') || ['gitleaks-config', 'secrets-baseline', 'ggshield-config'].includes(f.code))
    .map((f) => [f.code, path.relative(root, f.file), f.line]);

test('gitleaks: the allowlisted keys and fixture certificates are not reported; the rest is, and the configuration is not a leak', () => {
  inRepo(TREE, (root) => {
    assert.deepEqual(check(root, root), [
      ['credential-private-key', 'app/deploy/server.pem', 1],
      ['credential-aws-access-key-id', 'app/ci/setup.sh', 3],
    ].sort(byFile));
    // Checking a folder below the work tree's top: the top's configuration applies, its paths from there.
    assert.deepEqual(check(root, path.join(root, 'app')), [
      ['credential-private-key', 'app/deploy/server.pem', 1],
      ['credential-aws-access-key-id', 'app/ci/setup.sh', 3],
    ].sort(byFile));
  });
});

const byFile = (a: (string | number)[], b: (string | number)[]) => String(a[1]).localeCompare(String(b[1])) || Number(a[2]) - Number(b[2]);

test('gitleaks: without the configuration every one is reported; a warm check sees the configuration change', () => {
  inRepo(TREE, (root) => {
    const first = check(root, root);
    assert.equal(first.length, 2);
    // Warm: same output from the cache; then the configuration goes and everything is raised again.
    assert.deepEqual(check(root, root), first);
    rmSync(path.join(root, '.gitleaks.toml'));
    const all = check(root, root).sort(byFile);
    assert.deepEqual(all, [
      ['credential-aws-access-key-id', 'app/ci/setup.sh', 1],
      ['credential-secret-assignment', 'app/ci/setup.sh', 2],
      ['credential-aws-access-key-id', 'app/ci/setup.sh', 3],
      ['credential-private-key', 'app/deploy/server.pem', 1],
      ['credential-private-key', 'app/tests/fixtures/server.pem', 1],
    ]);
  });
});

test('gitleaks: a broken configuration allows nothing and says so in its place', () => {
  inRepo({ ...TREE, '.gitleaks.toml': `[allowlist]\nregexes = ['''${TOKENS.AKIA}'''\n` }, (root) => {
    const got = check(root, root);
    assert.deepEqual(got.filter(([code]) => code === 'gitleaks-config'), [['gitleaks-config', '.gitleaks.toml', 3]]);
    assert.equal(got.filter(([code]) => code.startsWith('credential-')).length, 5);
    const f = (JSON.parse(cli(root, ['check', root, '--parse-only', '--format', 'json', '--fail-on', 'never', '--no-cache'])) as F[]).find((x) => x.code === 'gitleaks-config')!;
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /not valid TOML/);
    // The message never quotes the file's patterns (which are secrets' text).
    assert.ok(!f.message.includes(TOKENS.AKIA));
  });
});

test('gitleaks: --staged honours the work tree configuration', () => {
  inRepo(TREE, (root) => {
    writeFileSync(path.join(root, 'app/ci/more.sh'), `export OTHER=${TOKENS.AKIA}\nexport NEXT_KEY_ID=${TOKENS.AKIA3}\n`);
    git(root, ['add', 'app/ci/more.sh']);
    // (Exit 1: the pre-commit hook stops a commit with a finding.)
    const out = JSON.parse(cli(root, ['check', root, '--staged', '--format', 'json'], [1])) as F[];
    assert.deepEqual(
      out.filter((f) => f.code.startsWith('credential-')).map((f) => [f.code, path.relative(root, f.file), f.line]).sort(byFile),
      [
        ['credential-aws-access-key-id', 'app/ci/more.sh', 2],
        ['credential-aws-access-key-id', 'app/ci/setup.sh', 3],
        ['credential-private-key', 'app/deploy/server.pem', 1],
      ],
    );
  });
});

test('.gitleaksignore: a work tree fingerprint acknowledges its line (a warm check sees it come); a history one does not', () => {
  inRepo(TREE, (root) => {
    assert.equal(check(root, root).length, 2);
    writeFileSync(path.join(root, '.gitleaksignore'), `app/ci/setup.sh:aws-access-token:3\n${'0f'.repeat(20)}:app/deploy/server.pem:private-key:1\n`);
    assert.deepEqual(check(root, root), [['credential-private-key', 'app/deploy/server.pem', 1]]);
    // Checking the folder below: the top's file applies, its paths from the top.
    assert.deepEqual(check(root, path.join(root, 'app')), [['credential-private-key', 'app/deploy/server.pem', 1]]);
  });
});

test('detect-secrets: .secrets.baseline — reviewed secrets and excluded files are not reported, a broken one says so', () => {
  const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
  const files = { ...TREE };
  delete files['.gitleaks.toml'];
  const doc = {
    version: '1.5.0',
    filters_used: [{ path: 'detect_secrets.filters.regex.should_exclude_file', pattern: ['^app/tests/'] }],
    results: { 'app/ci/setup.sh': [{ type: 'AWS Access Key', filename: 'app/ci/setup.sh', hashed_secret: sha1(TOKENS.AKIA2), is_verified: false, line_number: 3 }] },
  };
  inRepo({ ...files, '.secrets.baseline': JSON.stringify(doc, null, 2) }, (root) => {
    assert.deepEqual(check(root, path.join(root, 'app')).sort(byFile), [
      ['credential-aws-access-key-id', 'app/ci/setup.sh', 1],
      ['credential-secret-assignment', 'app/ci/setup.sh', 2],
      ['credential-private-key', 'app/deploy/server.pem', 1],
    ]);
    writeFileSync(path.join(root, '.secrets.baseline'), '{"results": ');
    const got = check(root, root);
    assert.deepEqual(got.filter(([code]) => !code.startsWith('credential-')), [['secrets-baseline', '.secrets.baseline', 1]]);
    assert.equal(got.length, 6);
  });
});

test('ggshield: .gitguardian.yaml — ignored paths and secrets ignored in clear are not reported; the file itself is not scanned', () => {
  const files = { ...TREE };
  delete files['.gitleaks.toml'];
  const yaml = ['version: 2', 'secret:', '  ignored_paths:', "    - 'tests/fixtures/'", '  ignored_matches:', '    - name: bogus MinIO key', `      match: ${TOKENS.AKIA}`, `    - match: ${'ab'.repeat(32)}`, ''].join('\n');
  inRepo({ ...files, '.gitguardian.yaml': yaml }, (root) => {
    assert.deepEqual(check(root, root).sort(byFile), [
      ['credential-secret-assignment', 'app/ci/setup.sh', 2],
      ['credential-aws-access-key-id', 'app/ci/setup.sh', 3],
      ['credential-private-key', 'app/deploy/server.pem', 1],
      ['ggshield-config', '.gitguardian.yaml', 8],
    ].sort(byFile));
  });
});

test('GitHub secret scanning: .github/secret_scanning.yml paths-ignore leaves those files out; the file itself is not scanned', () => {
  const files = { ...TREE };
  delete files['.gitleaks.toml'];
  inRepo({ ...files, '.github/secret_scanning.yml': 'paths-ignore:\n  - "app/tests/**"\n  - "app/deploy/*.pem"\n' }, (root) => {
    assert.deepEqual(check(root, path.join(root, 'app')).sort(byFile), [
      ['credential-aws-access-key-id', 'app/ci/setup.sh', 1],
      ['credential-secret-assignment', 'app/ci/setup.sh', 2],
      ['credential-aws-access-key-id', 'app/ci/setup.sh', 3],
    ]);
  });
});
