// The credential rules (analysis/rules/credentials.ts) over a scanned workspace: a realistic
// repository (test/fixtures/credentials/workspace, every CI format, settings and sources) read from
// disk by scanWorkspace and joined by buildWorkspace, as the CLI and the language server do.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanWorkspace, BASELINE_FILE, type ScanOptions } from '../../server/src/model/scan';
import { buildWorkspace } from '../../server/src/model/build';
import { runRules } from '../../server/src/analysis/index';
import { CREDENTIAL_PREFIX } from '../../server/src/analysis/rules/credentials';
import type { Finding } from '../../server/src/analysis/types';

/** The move-credential fix data, as a plain record (other findings carry other shapes). */
const dataOf = (f: Finding): Record<string, unknown> => (f.data ?? {}) as Record<string, unknown>;
import { lineIndex } from '../../server/src/parse/text';
import { WS_TOKENS, expectedFindings, fixtureFiles, plantWorkspace } from './credentials.helpers';

async function analyse(dir: string, opts: ScanOptions = {}): Promise<Finding[]> {
  const ws = buildWorkspace(await scanWorkspace(dir, opts));
  return runRules({ workspace: ws, envStates: new Map(), settings: { envs: [], severities: {} } }, { parseOnly: true });
}

const rel = (dir: string, f: Finding) => path.relative(dir, fileURLToPath(f.uri)).split(path.sep).join('/');
const isCredential = (f: Finding) => f.code.startsWith(CREDENTIAL_PREFIX);

/** `file → [code, line]` of the credential findings, files in the expected map's key order. */
function table(dir: string, findings: Finding[]): Record<string, [string, number][]> {
  const out: Record<string, [string, number][]> = {};
  for (const f of findings.filter(isCredential)) (out[rel(dir, f)] ??= []).push([f.code, f.range.start.line + 1]);
  for (const v of Object.values(out)) v.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  return out;
}

/** The text a finding's range covers in the planted file. */
function covered(dir: string, f: Finding): string {
  const text = readFileSync(fileURLToPath(f.uri), 'utf8');
  const idx = lineIndex(text);
  return text.slice(idx.offsetAt(f.range.start), idx.offsetAt(f.range.end));
}

describe('credential rules over a realistic workspace', () => {
  let dir: string;
  let findings: Finding[];
  before(async () => {
    dir = plantWorkspace();
    findings = await analyse(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('every expected finding (code and line) and nothing else, file by file', () => {
    const expected = expectedFindings();
    // Every fixture file is listed, so a file without findings is a checked negative.
    assert.deepEqual(fixtureFiles().filter((f) => !(f in expected)), []);
    const got = table(dir, findings);
    for (const [file, rows] of Object.entries(expected)) assert.deepEqual(got[file] ?? [], rows, file);
    assert.deepEqual(Object.keys(got).filter((f) => !(f in expected)), []);
    const total = Object.values(expected).reduce((n, r) => n + r.length, 0);
    assert.equal(findings.filter(isCredential).length, total);
  });

  test('one finding per credential: no range is reported twice, by any rule', () => {
    const seen = new Map<string, string>();
    for (const f of findings) {
      const at = `${f.uri}#${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`;
      assert.equal(seen.get(at), undefined, `${rel(dir, f)}:${f.range.start.line + 1} reported as ${seen.get(at)} and ${f.code}`);
      seen.set(at, f.code);
    }
    // A planted token is reported once, wherever it is written.
    for (const f of findings.filter(isCredential)) {
      const same = findings.filter((g) => g.uri === f.uri && g.range.start.line === f.range.start.line && isCredential(g));
      assert.equal(same.length, 1, `${rel(dir, f)}:${f.range.start.line + 1}`);
    }
  });

  test('a hard-coded default of a sensitive read is env-insecure-default, not a credential finding too', () => {
    const line = (n: number) => (f: Finding) => rel(dir, f) === 'src/app/settings.py' && f.range.start.line + 1 === n;
    assert.deepEqual(findings.filter(line(16)).map((f) => f.code), ['env-insecure-default']);
    // A default of a read whose name is not sensitive is not env-insecure-default's: the credential rule reports it.
    assert.deepEqual(findings.filter(line(21)).map((f) => f.code), ['credential-url-password']);
  });

  test('a token in a URL after a command-line switch is not "assigned to" the switch; a sensitive flag names its value', async () => {
    const pat = findings.find((f) => f.code === 'credential-gitlab-pat')!;
    assert.equal(dataOf(pat).keyName, undefined);
    assert.doesNotMatch(pat.message, /assigned to mirror/);
    const p = path.join(dir, 'scripts', 'flags.sh');
    writeFileSync(p, 'mysql --user app --password Fl4g-pw-9xq2 app\n');
    try {
      const f = (await analyse(dir)).filter((x) => rel(dir, x) === 'scripts/flags.sh');
      assert.deepEqual(f.map((x) => [x.code, dataOf(x).keyName]), [['credential-password-assignment', 'password']]);
    } finally {
      rmSync(p);
    }
  });

  test('with env-insecure-default off, the sensitive default is a credential finding', async () => {
    const ws = buildWorkspace(await scanWorkspace(dir));
    const off = runRules({ workspace: ws, envStates: new Map(), settings: { envs: [], severities: { 'env-insecure-default': 'off' } } }, { parseOnly: true });
    const at16 = off.filter((f) => rel(dir, f) === 'src/app/settings.py' && f.range.start.line + 1 === 16);
    assert.deepEqual(at16.map((f) => f.code), ['credential-password-assignment']);
    assert.equal(off.filter(isCredential).length, findings.filter(isCredential).length + 1);
  });

  test('ranges cover the credential; messages show at most 4 characters and "…", never the rest', () => {
    const planted = new Set(Object.values(WS_TOKENS));
    let tokens = 0;
    for (const f of findings.filter(isCredential)) {
      const secret = covered(dir, f);
      assert.ok(secret.length > 0, `${rel(dir, f)}:${f.range.start.line + 1} empty range`);
      if (f.code === 'credential-ci-set-x') {
        assert.match(secret, /^set -[a-z]*x|^set -o xtrace|^set -x/);
        continue;
      }
      if (planted.has(secret)) tokens++;
      const shown = /\(([^()]*)…\)/.exec(f.message);
      assert.ok(shown, f.message);
      assert.ok([...shown[1]].length <= 4, f.message);
      assert.ok(secret.startsWith(shown[1]), `${f.message} does not preview ${secret.slice(0, 2)}`);
      // Names the message states on purpose (the title, the key) may share letters with a URL's host.
      const told = [String(dataOf(f).keyName ?? ''), f.message.slice(0, f.message.indexOf(' is in the file'))];
      const said = told.reduce((m, t) => (t ? m.split(t).join(' ') : m), f.message);
      for (let i = 0; i + 5 <= secret.length; i++) assert.ok(!said.includes(secret.slice(i, i + 5)), `${f.code}: message holds part of the secret`);
      // Fix data carries a fingerprint, names and places, never the value.
      const data = JSON.stringify({ ...f.data, keyName: undefined, detector: undefined, context: undefined });
      for (let i = 0; i + 5 <= secret.length; i++) assert.ok(!data.includes(secret.slice(i, i + 5)), `${f.code}: fix data holds part of the secret`);
      assert.equal(f.data?.fix, 'move-credential');
      assert.match(String(dataOf(f).fingerprint), /^[0-9a-f]{32}$/);
    }
    assert.ok(tokens >= 15, `only ${tokens} planted tokens covered exactly`);
  });
});

describe('what the workspace scan reads', () => {
  let dir: string;
  before(() => {
    dir = plantWorkspace();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the baseline: accepted fingerprints are not reported, wherever the line moves; others still are', async () => {
    const first = (await analyse(dir)).filter(isCredential);
    const accept = first.filter((f) => ['.travis.yml', 'src/app/settings.py'].includes(rel(dir, f)) && dataOf(f).fingerprint);
    const n = expectedFindings()['.travis.yml'].length + expectedFindings()['src/app/settings.py'].length;
    assert.equal(accept.length, n);
    writeFileSync(path.join(dir, BASELINE_FILE), JSON.stringify({ tool: 'orchard', version: 1, findings: accept.map((f) => ({ fingerprint: dataOf(f).fingerprint })) }));
    // Move every line of both files down.
    for (const f of ['.travis.yml', 'src/app/settings.py']) {
      const p = path.join(dir, f);
      writeFileSync(p, `# moved\n# down\n${readFileSync(p, 'utf8')}`);
    }
    const second = (await analyse(dir)).filter(isCredential);
    assert.deepEqual(second.filter((f) => ['.travis.yml', 'src/app/settings.py'].includes(rel(dir, f))).map((f) => f.code), []);
    assert.equal(second.length, first.length - n);
    // A malformed baseline accepts nothing (and does not stop the scan).
    writeFileSync(path.join(dir, BASELINE_FILE), '{"tool": "orchard", "findings": [');
    assert.equal((await analyse(dir)).filter(isCredential).length, first.length);
    rmSync(path.join(dir, BASELINE_FILE));
  });

  test('.gitignore: ignored files and folders are not scanned for credentials', async () => {
    const tok = WS_TOKENS.GHP2;
    writeFileSync(path.join(dir, '.gitignore'), '.env.local\nlocal-secrets/\n*.secret.sh\n');
    writeFileSync(path.join(dir, '.env.local'), `GITHUB_TOKEN=${tok}\nDB_PASSWORD=L0cal-only-pw-9\n`);
    mkdirSync(path.join(dir, 'local-secrets'), { recursive: true });
    writeFileSync(path.join(dir, 'local-secrets', 'deploy.sh'), `export GITHUB_TOKEN=${tok}\n`);
    writeFileSync(path.join(dir, 'scripts', 'ci.secret.sh'), `export GITHUB_TOKEN=${tok}\n`);
    // Not ignored: the same content is found.
    writeFileSync(path.join(dir, 'scripts', 'ci.sh'), `export GITHUB_TOKEN=${tok}\n`);
    try {
      const files = new Set((await analyse(dir)).filter(isCredential).map((f) => rel(dir, f)));
      assert.ok(files.has('scripts/ci.sh'));
      for (const f of ['.env.local', 'local-secrets/deploy.sh', 'scripts/ci.secret.sh']) assert.ok(!files.has(f), f);
    } finally {
      for (const f of ['.gitignore', '.env.local', 'local-secrets', 'scripts/ci.secret.sh', 'scripts/ci.sh']) rmSync(path.join(dir, f), { recursive: true, force: true });
    }
  });

  test('exclude globs: excluded files and folders give nothing', async () => {
    const all = (await analyse(dir)).filter(isCredential);
    const some = (await analyse(dir, { exclude: ['charts/', '*.go', '.github/workflows/**'] })).filter(isCredential);
    const gone = (f: Finding) => /^(charts\/|cmd\/server\/main\.go$|\.github\/workflows\/)/.test(rel(dir, f));
    assert.deepEqual(some.filter(gone).map((f) => rel(dir, f)), []);
    assert.equal(some.length, all.filter((f) => !gone(f)).length);
    assert.ok(all.some(gone));
  });

  const BIG = ['scripts/tool.sh', '.env.binary', 'src/app/blob.py', 'docker-compose.override.yml', 'charts/api/values-prod.yaml', 'scripts/huge.sh', 'config/huge.ini'];
  test('binary and huge files: one notice each, no credential finding, the rest of the tree still scanned', async () => {
    const tok = WS_TOKENS.GHP2;
    const bin = Buffer.concat([Buffer.from(`GITHUB_TOKEN=${tok}\n`), Buffer.alloc(64, 0), Buffer.from('more\n')]);
    writeFileSync(path.join(dir, 'scripts', 'tool.sh'), bin);
    writeFileSync(path.join(dir, '.env.binary'), bin);
    writeFileSync(path.join(dir, 'src', 'app', 'blob.py'), bin);
    writeFileSync(path.join(dir, 'docker-compose.override.yml'), bin);
    writeFileSync(path.join(dir, 'charts', 'api', 'values-prod.yaml'), bin);
    const huge = `export GITHUB_TOKEN=${tok}\n${'# padding line for a very large generated script\n'.repeat(60_000)}`;
    writeFileSync(path.join(dir, 'scripts', 'huge.sh'), huge);
    writeFileSync(path.join(dir, 'config', 'huge.ini'), `token = ${tok}\n${'; padding line for a large generated settings file\n'.repeat(60_000)}`);
    try {
      const all = await analyse(dir);
      for (const f of BIG) {
        const mine = all.filter((x) => rel(dir, x) === f);
        assert.equal(mine.filter(isCredential).length, 0, `${f}: ${mine.map((x) => x.code).join(', ')}`);
        assert.equal(mine.length, 1, `${f}: ${mine.map((x) => x.code).join(', ')}`);
        assert.match(mine[0].code, /binary|too-large/, f);
        assert.ok(!mine[0].message.includes(tok.slice(4, 12)));
      }
      const expected = Object.values(expectedFindings()).reduce((n, r) => n + r.length, 0);
      assert.equal(all.filter(isCredential).length, expected);
    } finally {
      for (const f of BIG) rmSync(path.join(dir, f), { force: true });
    }
  });
});
