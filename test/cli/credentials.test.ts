// End-to-end tests of the credential side of the built CLI (`dist/cli.js`, built by `npm test`
// before the tests run): `orchard check` in text, JSON and SARIF on the realistic repository in
// test/fixtures/credentials/workspace, `--staged` in a real git repository, `--write-baseline`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WS_TOKENS, expectedFindings, plantWorkspace } from '../analysis/credentials.helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

interface Run {
  code: number;
  out: string;
  err: string;
}

let home: string;
let config: string;

function orchard(cwd: string, args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ORCHARD_CONFIG: config, ORCHARD_STORE_DIR: path.join(home, 'store'), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig') },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=Orchard Test', '-c', 'user.email=test@example.org', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig') },
  });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const expected = expectedFindings();
const total = Object.values(expected).reduce((n, r) => n + r.length, 0);
const credentialCode = (c: string) => c.startsWith('credential-');

interface JsonFinding {
  file: string;
  line: number;
  code: string;
  message: string;
}

interface SarifResult {
  ruleId: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
}

function sarifResults(out: string): SarifResult[] {
  const s = JSON.parse(out) as { version: string; runs: { results: SarifResult[] }[] };
  assert.equal(s.version, '2.1.0');
  return s.runs[0].results;
}

const where = (r: SarifResult) => r.locations[0].physicalLocation;

/** `file → [code, line]`, sorted like expected.json. */
function byFile(rows: { file: string; code: string; line: number }[]): Record<string, [string, number][]> {
  const out: Record<string, [string, number][]> = {};
  for (const r of rows.filter((x) => credentialCode(x.code))) (out[r.file] ??= []).push([r.code, r.line]);
  for (const v of Object.values(out)) v.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  return out;
}

function assertExpected(got: Record<string, [string, number][]>): void {
  for (const [file, rows] of Object.entries(expected)) assert.deepEqual(got[file] ?? [], rows, file);
  assert.deepEqual(Object.keys(got).filter((f) => !(f in expected)), []);
}

before(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'orchard-cli-creds-'));
  config = path.join(home, 'config.json');
  writeFileSync(config, '{}');
  writeFileSync(path.join(home, 'gitconfig'), '');
  assert.ok(existsSync(CLI), 'dist/cli.js is built by npm test / npm run build');
});
after(() => rmSync(home, { recursive: true, force: true }));

describe('orchard check on a repository with plaintext credentials', () => {
  let dir: string;
  before(() => {
    dir = plantWorkspace();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('text: one compiler-style line per expected finding, exit 1', () => {
    const r = orchard(dir, ['check', '.']);
    assert.equal(r.code, 1, r.err);
    const rows: { file: string; code: string; line: number }[] = [];
    for (const m of r.out.matchAll(/^(.+?):(\d+):\d+: (?:error|warning|info|hint) \[([a-z0-9-]+)\] /gm)) rows.push({ file: m[1], line: Number(m[2]), code: m[3] });
    assertExpected(byFile(rows));
    // Warnings: four set -x, one Google API key (browser keys are often public by design).
    assert.match(r.out, new RegExp(`\\b${total - 5} error\\(s\\)`));
  });

  test('JSON: the same findings, file and line', () => {
    const r = orchard(dir, ['check', '.', '-f', 'json']);
    assert.equal(r.code, 1, r.err);
    const rows = JSON.parse(r.out) as JsonFinding[];
    assertExpected(byFile(rows));
  });

  test('--fail-on never: findings printed, exit 0', () => {
    const r = orchard(dir, ['check', '.', '--fail-on', 'never', '-f', 'json']);
    assert.equal(r.code, 0);
    assert.equal((JSON.parse(r.out) as JsonFinding[]).filter((f) => credentialCode(f.code)).length, total);
  });

  test('SARIF: every result has a partial fingerprint, unique, stable across runs and across moving the line', () => {
    const first = sarifResults(orchard(dir, ['check', '.', '-f', 'sarif']).out).filter((x) => credentialCode(x.ruleId));
    assertExpected(byFile(first.map((x) => ({ file: where(x).artifactLocation.uri, code: x.ruleId, line: where(x).region.startLine }))));
    const key = (x: SarifResult) => `${x.ruleId}|${where(x).artifactLocation.uri}|${JSON.stringify(x.partialFingerprints)}`;
    for (const x of first) assert.ok(Object.keys(x.partialFingerprints).length > 0, x.ruleId);
    // Two results with the same fingerprint in one file would be merged into one alert by code scanning.
    assert.equal(new Set(first.map(key)).size, first.length, 'partialFingerprints repeat within a file');
    const again = sarifResults(orchard(dir, ['check', '.', '-f', 'sarif']).out).filter((x) => credentialCode(x.ruleId));
    assert.deepEqual(again.map(key), first.map(key));
    // Lines move (a comment added on top, a step inserted above): the fingerprints stay.
    const moved = ['.travis.yml', '.github/workflows/release.yml', 'Jenkinsfile', '.gitlab-ci.yml', 'src/app/settings.py'];
    for (const f of moved) {
      const p = path.join(dir, f);
      const text = readFileSync(p, 'utf8');
      writeFileSync(p, f === 'Jenkinsfile' ? `// moved\n// down\n// three\n${text}` : `# moved\n# down\n# three\n${text}`);
    }
    try {
      const later = sarifResults(orchard(dir, ['check', '.', '-f', 'sarif']).out).filter((x) => credentialCode(x.ruleId));
      assert.deepEqual(new Set(later.map(key)), new Set(first.map(key)));
      const line = (xs: SarifResult[], k: string) => where(xs.find((x) => key(x) === k)!).region.startLine;
      for (const x of first) {
        const shift = moved.includes(where(x).artifactLocation.uri) ? 3 : 0;
        assert.equal(line(later, key(x)), where(x).region.startLine + shift, key(x));
      }
    } finally {
      for (const f of moved) {
        const p = path.join(dir, f);
        writeFileSync(p, readFileSync(p, 'utf8').split('\n').slice(3).join('\n'));
      }
    }
  });
});

describe('orchard check --write-baseline', () => {
  let dir: string;
  before(() => {
    dir = plantWorkspace();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('creates .orchard-baseline.json (fingerprints only); later runs honour it and report only new credentials', () => {
    const w = orchard(dir, ['check', '.', '--write-baseline', '-f', 'json']);
    assert.equal(w.code, 0, w.err);
    assert.match(w.err, new RegExp(`\\.orchard-baseline\\.json: ${total} accepted credential finding\\(s\\) \\(${total} new, 0 no longer found\\)`));
    assert.deepEqual((JSON.parse(w.out) as JsonFinding[]).filter((f) => credentialCode(f.code)), []);
    const file = path.join(dir, '.orchard-baseline.json');
    const text = readFileSync(file, 'utf8');
    const base = JSON.parse(text) as { tool: string; findings: { fingerprint: string; detector: string; file: string; line: number }[] };
    assert.equal(base.tool, 'orchard');
    assert.equal(base.findings.length, total);
    assertExpected(byFile(base.findings.map((f) => ({ file: f.file, code: `credential-${f.detector}`, line: f.line }))));
    for (const v of Object.values(WS_TOKENS)) assert.ok(!text.includes(v.slice(0, 12)), 'the baseline holds no secret');

    const clean = orchard(dir, ['check', '.', '-f', 'json']);
    assert.equal(clean.code, 0, clean.out);
    assert.deepEqual((JSON.parse(clean.out) as JsonFinding[]).filter((f) => credentialCode(f.code)), []);

    // A new credential is reported; the accepted ones still are not.
    writeFileSync(path.join(dir, 'scripts', 'hotfix.sh'), `#!/bin/sh\nexport GITHUB_TOKEN=${WS_TOKENS.GHP2}\n`);
    const fresh = orchard(dir, ['check', '.', '-f', 'json']);
    assert.equal(fresh.code, 1);
    assert.deepEqual((JSON.parse(fresh.out) as JsonFinding[]).filter((f) => credentialCode(f.code)).map((f) => [f.file, f.line, f.code]), [['scripts/hotfix.sh', 2, 'credential-github-pat']]);

    // Writing again: one added, the removed file's findings dropped.
    rmSync(path.join(dir, 'scripts', 'release.sh'));
    const w2 = orchard(dir, ['check', '.', '--write-baseline']);
    assert.equal(w2.code, 0, w2.err);
    assert.match(w2.err, new RegExp(`: ${total - 1} accepted credential finding\\(s\\) \\(1 new, 2 no longer found\\)`));
  });

  test('refuses to overwrite a file of that name that is not an Orchard baseline', () => {
    const file = path.join(dir, '.orchard-baseline.json');
    for (const content of ['{"results": [], "generated_at": "2024-01-01"}\n', 'not json at all\n', '[]\n']) {
      writeFileSync(file, content);
      const r = orchard(dir, ['check', '.', '--write-baseline']);
      assert.equal(r.code, 2, `${content}: ${r.out}${r.err}`);
      assert.match(r.err, /not an Orchard baseline; not replaced/);
      assert.equal(readFileSync(file, 'utf8'), content);
    }
    rmSync(file);
  });
});

describe('orchard check --staged (pre-commit hook)', () => {
  let repo: string;
  before(() => {
    repo = mkdtempSync(path.join(os.tmpdir(), 'orchard-staged-'));
    git(repo, ['init', '-q']);
    mkdirSync(path.join(repo, 'app'));
    writeFileSync(path.join(repo, 'app', 'settings.py'), 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\n');
    writeFileSync(path.join(repo, 'README.md'), '# app\n');
    git(repo, ['add', '.']);
    git(repo, ['commit', '-qm', 'initial']);
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  test('nothing staged: exit 0', () => {
    const r = orchard(repo, ['check', '--staged', '.']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /no plaintext credential/);
  });

  test('a staged file with a key: exit 1, the finding names the file and line', () => {
    writeFileSync(path.join(repo, 'deploy.sh'), `#!/bin/sh\nexport AWS_ACCESS_KEY_ID=${WS_TOKENS.AKIA}\nexport AWS_SECRET_ACCESS_KEY=${WS_TOKENS.AWS_SECRET}\n`);
    git(repo, ['add', 'deploy.sh']);
    const r = orchard(repo, ['check', '--staged', '.']);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^deploy\.sh:2:\d+: error \[credential-aws-access-key-id\]/m);
    assert.match(r.out, /^deploy\.sh:3:\d+: error \[credential-aws-secret-access-key\]/m);
    assert.match(r.out, /2 plaintext credential\(s\)/);
    const j = orchard(repo, ['check', '--staged', '.', '-f', 'json']);
    assert.equal(j.code, 1);
    assert.deepEqual((JSON.parse(j.out) as JsonFinding[]).map((f) => [f.file, f.line, f.code]), [['deploy.sh', 2, 'credential-aws-access-key-id'], ['deploy.sh', 3, 'credential-aws-secret-access-key']]);
    // Run from a subfolder: the whole index is checked.
    const sub = orchard(path.join(repo, 'app'), ['check', '--staged', '.']);
    assert.equal(sub.code, 1, sub.out + sub.err);
    // The index is what is committed: deleting the key from the work tree only does not help.
    writeFileSync(path.join(repo, 'deploy.sh'), '#!/bin/sh\n');
    assert.equal(orchard(repo, ['check', '--staged', '.']).code, 1);
    git(repo, ['add', 'deploy.sh']);
    assert.equal(orchard(repo, ['check', '--staged', '.']).code, 0);
    git(repo, ['commit', '-qm', 'deploy script']);
  });

  test('unstaged changes and untracked files are not scanned', () => {
    writeFileSync(path.join(repo, 'app', 'settings.py'), `import os\nSECRET_KEY = "dj-Unst4ged-k3y-77aa"\nGITHUB_TOKEN = "${WS_TOKENS.GHP}"\n`);
    writeFileSync(path.join(repo, '.env.production'), `API_TOKEN=${WS_TOKENS.GHS}\n`);
    const r = orchard(repo, ['check', '--staged', '.']);
    assert.equal(r.code, 0, r.out + r.err);
    // Staged, the same content is reported (settings.py in Python's reader, .env in the dotenv one).
    git(repo, ['add', 'app/settings.py', '.env.production']);
    const s = orchard(repo, ['check', '--staged', '.', '-f', 'json']);
    assert.equal(s.code, 1);
    assert.deepEqual((JSON.parse(s.out) as JsonFinding[]).map((f) => [f.file, f.line, f.code]), [
      ['.env.production', 1, 'credential-github-app-token'],
      ['app/settings.py', 2, 'credential-secret-assignment'],
      ['app/settings.py', 3, 'credential-github-pat'],
    ]);
    git(repo, ['reset', '-q', 'HEAD', '--', 'app/settings.py', '.env.production']);
    git(repo, ['checkout', '-q', '--', 'app/settings.py']);
    rmSync(path.join(repo, '.env.production'));
  });

  test('a staged change in each CI format is found; the baseline at the top is honoured', () => {
    const dir = plantWorkspace();
    try {
      for (const f of ['.travis.yml', '.github/workflows/release.yml', 'Jenkinsfile', 'buildspec.yml', 'appspec.yml']) {
        mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
        writeFileSync(path.join(repo, f), readFileSync(path.join(dir, f)));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    git(repo, ['add', '.']);
    const r = orchard(repo, ['check', '--staged', '.', '-f', 'json']);
    assert.equal(r.code, 1);
    const got = byFile(JSON.parse(r.out) as JsonFinding[]);
    for (const f of ['.travis.yml', '.github/workflows/release.yml', 'Jenkinsfile', 'buildspec.yml', 'appspec.yml']) assert.deepEqual(got[f] ?? [], expected[f], f);
    // Accept them; the hook then passes, and a new one still fails it.
    const w = orchard(repo, ['check', '.', '--write-baseline']);
    assert.equal(w.code, 0, w.err);
    assert.equal(orchard(repo, ['check', '--staged', '.']).code, 0);
    writeFileSync(path.join(repo, 'ci.sh'), `export NPM_TOKEN=${WS_TOKENS.NPM}\n`);
    git(repo, ['add', 'ci.sh']);
    const n = orchard(repo, ['check', '--staged', '.', '-f', 'json']);
    assert.equal(n.code, 1);
    assert.deepEqual((JSON.parse(n.out) as JsonFinding[]).map((f) => [f.file, f.code]), [['ci.sh', 'credential-npm-token']]);
    git(repo, ['commit', '-qm', 'ci files', '--no-verify']);
  });

  test('Python read defaults: the hook agrees with orchard check', () => {
    writeFileSync(path.join(repo, 'app', 'config.py'), 'import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "dj-Fallb4ck-k3y-x")\n');
    git(repo, ['add', 'app/config.py']);
    // A sensitive read's default is env-insecure-default's (a warning in check, not a credential).
    const s = orchard(repo, ['check', '--staged', '.']);
    assert.equal(s.code, 0, s.out + s.err);
    const c = orchard(repo, ['check', 'app', '-f', 'json']);
    assert.deepEqual((JSON.parse(c.out) as JsonFinding[]).filter((f) => f.file.endsWith('config.py')).map((f) => f.code), ['env-insecure-default']);
    // A default of a read whose name is not sensitive is a credential for both.
    writeFileSync(path.join(repo, 'app', 'config.py'), 'import os\nUPSTREAM = os.getenv("UPSTREAM", "https://deploy:Upstr3am-Pw7x@git.example.org/app.git")\n');
    git(repo, ['add', 'app/config.py']);
    const s2 = orchard(repo, ['check', '--staged', '.', '-f', 'json']);
    assert.equal(s2.code, 1, s2.out + s2.err);
    assert.deepEqual((JSON.parse(s2.out) as JsonFinding[]).map((f) => [f.file, f.line, f.code]), [['app/config.py', 2, 'credential-url-password']]);
    git(repo, ['rm', '-q', '--cached', 'app/config.py']);
    rmSync(path.join(repo, 'app', 'config.py'));
  });

  test('a staged file of a scanned kind that is binary or too large is named on stderr, once; other binaries are not', () => {
    const bin = Buffer.concat([Buffer.from(`GITHUB_TOKEN=${WS_TOKENS.GHP2}\n`), Buffer.alloc(16, 0)]);
    writeFileSync(path.join(repo, '.env.ci'), bin);
    writeFileSync(path.join(repo, 'logo.png'), bin);
    writeFileSync(path.join(repo, 'big.sh'), `export GITHUB_TOKEN=${WS_TOKENS.GHP2}\n${'#'.repeat(3 * 1024 * 1024)}\n`);
    git(repo, ['add', '.env.ci', 'logo.png', 'big.sh']);
    try {
      const r = orchard(repo, ['check', '--staged', '.', '-f', 'json']);
      assert.equal(r.code, 0, r.out + r.err);
      assert.deepEqual(JSON.parse(r.out), []);
      assert.deepEqual(r.err.trim().split('\n').sort(), [
        '.env.ci: staged but not scanned for credentials: binary (NUL bytes)',
        'big.sh: staged but not scanned for credentials: 3.0 MiB is above the 2 MiB limit',
      ]);
    } finally {
      git(repo, ['rm', '-q', '--cached', '.env.ci', 'logo.png', 'big.sh']);
      for (const f of ['.env.ci', 'logo.png', 'big.sh']) rmSync(path.join(repo, f));
    }
  });

  test("the README's pre-commit hook blocks a real git commit with a key and lets a clean one through", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Pre-commit hook'));
    const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(script?.startsWith('#!/bin/sh'), 'README has the hook script');
    // `orchard` on PATH is the built CLI.
    const bin = path.join(home, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'orchard'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    writeFileSync(path.join(repo, '.git', 'hooks', 'pre-commit'), script!, { mode: 0o755 });
    const commit = (msg: string) =>
      spawnSync('git', ['-c', 'user.name=Orchard Test', '-c', 'user.email=test@example.org', '-c', 'commit.gpgsign=false', 'commit', '-qm', msg], {
        cwd: path.join(repo, 'app'),
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1', ORCHARD_CONFIG: config, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: path.join(home, 'gitconfig') },
      });
    try {
      writeFileSync(path.join(repo, 'app', 'keys.py'), `AWS_ACCESS_KEY_ID = "${WS_TOKENS.AKIA4}"\n`);
      git(repo, ['add', 'app/keys.py']);
      const blocked = commit('add keys');
      assert.equal(blocked.status, 1, blocked.stdout + blocked.stderr);
      // git shows a hook's output on stderr.
      assert.match(blocked.stdout + blocked.stderr, /keys\.py:1:\d+: error \[credential-aws-access-key-id\]/);
      writeFileSync(path.join(repo, 'app', 'keys.py'), 'import os\nAWS_ACCESS_KEY_ID = os.environ["AWS_ACCESS_KEY_ID"]\n');
      git(repo, ['add', 'app/keys.py']);
      const ok = commit('read keys from the environment');
      assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    } finally {
      rmSync(path.join(repo, '.git', 'hooks', 'pre-commit'), { force: true });
    }
  });

  test('outside a git work tree: a usage error (exit 2), not a pass', () => {
    const lone = mkdtempSync(path.join(os.tmpdir(), 'orchard-nogit-'));
    try {
      const r = orchard(lone, ['check', '--staged', '.']);
      assert.equal(r.code, 2, r.out + r.err);
      assert.match(r.err, /not inside a git work tree/);
    } finally {
      rmSync(lone, { recursive: true, force: true });
    }
  });
});
