// End-to-end tests of the built CLI (`dist/cli.js`, built by `npm test` before the tests run):
// real processes, a real local store in a temp folder, the example service.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const EXAMPLE = path.join(ROOT, 'examples', 'flask-service');
const CANARY = 'CANARY-cli-5e1d0f-do-not-print';

let tmp: string;
let store: string;
let config: string;
let workspace: string;

interface Run {
  code: number;
  out: string;
  err: string;
}

function orchard(args: string[], input?: string): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: tmp,
    input: input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ORCHARD_CONFIG: config, ORCHARD_STORE_DIR: store },
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const all: Run[] = [];
function run(args: string[], input?: string): Run {
  const r = orchard(args, input);
  all.push(r);
  return r;
}

const common = () => ['--store', store];

before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'orchard-cli-'));
  store = path.join(tmp, 'store');
  workspace = path.join(tmp, 'ws');
  cpSync(EXAMPLE, workspace, { recursive: true });
  config = path.join(tmp, 'config.json');
  writeFileSync(config, JSON.stringify({ environments: { dev: { backend: 'local' }, qa: { backend: 'local' } }, defaultEnvs: ['dev', 'qa'] }));
  // dev holds every parameter of the example; qa only a few.
  const dev = [
    'admired-person', 'secret-admirer', 'third-wheel', 'replicated/sql/user', 'replicated/sql/password',
    'replicated/sql/hostname', 'replicated/sql/port', 'replicated/sql/db-name', 'replicated/sql-connection',
  ].map((n) => `/app/demo-service/${n}`);
  const shared = ['/shared/resources/dbs/fig-db/dns', '/shared/resources/dbs/fig-db/port', '/shared/resources/dbs/fig-db/db-name',
    '/dba/secrets/mysql/demo-service/user', '/dba/secrets/mysql/demo-service/password'];
  for (const name of [...dev, ...shared]) {
    const secure = /secret|password|user|connection/.test(name);
    const r = orchard(['put', name, '--env', 'dev', ...(secure ? ['--secure'] : []), '--value-file', '-', ...common()], secure ? CANARY : 'plain-value');
    assert.equal(r.code, 0, r.err);
  }
  for (const name of ['/app/demo-service/admired-person', ...shared]) {
    assert.equal(orchard(['put', name, '--env', 'qa', '--value-file', '-', ...common()], 'plain-value').code, 0);
  }
});

after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

test('check: dev clean of missing parameters, qa reports them, exit 1', () => {
  const r = run(['check', workspace, '--env', 'dev,qa', ...common()]);
  assert.equal(r.code, 1, r.out + r.err);
  // One finding per problem, where it is declared: config.py, with figgy.json's line as a note.
  assert.doesNotMatch(r.out, /figgy\.json:\d+:\d+: error \[missing-in-env\]/);
  assert.match(r.out, /config\.py:\d+:\d+: error \[missing-in-env\].*third-wheel.*qa\n\s+\S*figgy\.json:\d+:\d+: also declared here/);
  assert.doesNotMatch(r.out, /missing-in-env\].*\bdev\b/);
});

test('check --format json and sarif are machine-readable and agree', () => {
  const j = run(['check', workspace, '--env', 'qa', '--format', 'json', ...common()]);
  const findings = JSON.parse(j.out) as { code: string; file: string; line: number }[];
  assert.ok(findings.some((f) => f.code === 'missing-in-env'));
  const s = run(['check', workspace, '--env', 'qa', '--format', 'sarif', ...common()]);
  const sarif = JSON.parse(s.out);
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0].results.length, findings.length);
  assert.equal(j.code, 1);
});

test('check --fail-on never exits 0; --parse-only needs no store', () => {
  assert.equal(run(['check', workspace, '--env', 'qa', '--fail-on', 'never', ...common()]).code, 0);
  const p = run(['check', workspace, '--env', 'qa', '--parse-only', '--store', path.join(tmp, 'nowhere')]);
  assert.doesNotMatch(p.out, /missing-in-env/);
});

test('usage errors exit 2 with one line', () => {
  const r = run(['check', workspace, '--env', 'qa', '--format', 'xml']);
  assert.equal(r.code, 2);
  const bad = run(['get', 'not a name', '--env', 'dev', ...common()]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /invalid parameter name/);
  assert.equal(run(['check', '--severity', 'nope=error', workspace]).code, 2);
});

test('get redacts unless --reveal', () => {
  const r = run(['get', '/app/demo-service/secret-admirer', '--env', 'dev', ...common()]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /SecureString/);
  assert.doesNotMatch(r.out, new RegExp(CANARY));
  const shown = orchard(['get', '/app/demo-service/secret-admirer', '--env', 'dev', '--reveal', ...common()]);
  assert.match(shown.out, new RegExp(CANARY));
});

test('put never overwrites without --overwrite, and --overwrite needs --yes without a terminal', () => {
  const name = '/app/demo-service/admired-person';
  const again = run(['put', name, '--env', 'dev', '--value-file', '-', ...common()], 'other');
  assert.equal(again.code, 1);
  assert.match(again.err, /already exists/);
  const noYes = run(['put', name, '--env', 'dev', '--overwrite', '--value-file', '-', ...common()], 'other');
  assert.equal(noYes.code, 2);
  const yes = run(['put', name, '--env', 'dev', '--overwrite', '--yes', '--value-file', '-', ...common()], 'other');
  assert.equal(yes.code, 0, yes.err);
  assert.match(yes.out, /version 2/);
});

test('delete refuses a replication source that still has destinations', () => {
  const r = run(['delete', '/shared/resources/dbs/fig-db/dns', '--env', 'dev', '--workspace', workspace, '--yes', ...common()]);
  assert.equal(r.code, 1);
  assert.match(r.err, /replication source of \/app\/demo-service\/replicated\/sql\/hostname/);
  const ls = run(['ls', '--env', 'dev', '--prefix', '/shared', ...common()]);
  assert.match(ls.out, /fig-db\/dns/);
});

test('history lists versions with values redacted', () => {
  const r = run(['history', '/app/demo-service/secret-admirer', '--env', 'dev', ...common()]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /SecureString/);
  assert.doesNotMatch(r.out, new RegExp(CANARY));
});

test('sync --plan lists creations, blocked shared secrets and strays; apply with --values creates them', () => {
  assert.equal(orchard(['put', '/app/demo-service/leftover', '--env', 'qa', '--value-file', '-', ...common()], 'x').code, 0);
  const plan = run(['sync', workspace, '--env', 'qa', '--plan', ...common()]);
  assert.equal(plan.code, 1, plan.err);
  assert.match(plan.out, /create\s+\/app\/demo-service\/third-wheel/);
  assert.match(plan.out, /replicate\s+\/app\/demo-service\/replicated\/sql\/hostname ← \/shared\/resources\/dbs\/fig-db\/dns/);
  assert.match(plan.out, /blocked\s+\/app\/demo-service\/replicated\/sql\/user/);
  assert.match(plan.out, /stray\s+\/app\/demo-service\/leftover/);

  const values = path.join(tmp, 'values.json');
  writeFileSync(values, JSON.stringify({
    '/app/demo-service/third-wheel': 'Jim',
    '/app/demo-service/secret-admirer': { value: CANARY, type: 'SecureString' },
  }));
  const apply = run(['sync', workspace, '--env', 'qa', '--values', values, ...common()]);
  assert.doesNotMatch(apply.out + apply.err, new RegExp(CANARY));
  assert.match(apply.out, /created \/app\/demo-service\/third-wheel/);
  assert.match(apply.out, /created \/app\/demo-service\/replicated\/sql\/hostname/);
  const ls = run(['ls', '--env', 'qa', '--prefix', '/app/demo-service', ...common()]);
  assert.match(ls.out, /third-wheel/);
  assert.match(ls.out, /secret-admirer\s+SecureString/);
});

test('whoami names the local identity', () => {
  const r = run(['whoami', '--env', 'dev', ...common()]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /local/);
});

test('--help works on every command', () => {
  for (const c of ['check', 'sync', 'ls', 'get', 'put', 'delete', 'history', 'whoami', 'rules', 'demo']) {
    const r = orchard([c, '--help']);
    assert.equal(r.code, 0, c);
    assert.match(r.out, /Usage: orchard/);
  }
});

test('canary: no output of any command above, nor any store file, holds the secret in the clear', () => {
  assert.ok(all.length > 10);
  for (const r of all) assert.ok(!(r.out + r.err).includes(CANARY), 'canary leaked into CLI output');
  const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
  for (const f of files(store)) assert.ok(!readFileSync(f).includes(CANARY), `canary in clear in ${f}`);
});

test('demo runs on a fresh store, prints findings and a matrix, and no secret', () => {
  const r = spawnSync(process.execPath, [CLI, 'demo', '--dir', path.join(tmp, 'demo')], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /missing-in-env/);
  assert.match(r.stdout, /admired-person\s+app\s+✓ present/);
  assert.match(r.stdout, /third-wheel\s+app\s+✓ present\s+✗ missing\s+✗ missing/);
  // The demo's secrets are random per run; none is printed: the store's plaintext never reaches stdout.
  const shown = spawnSync(process.execPath, [CLI, 'get', '/app/demo-service/replicated/sql/password', '--env', 'dev', '--reveal', '--store', path.join(tmp, 'demo'), '--config', path.join(tmp, 'demo', 'orchard-demo.config.json')], { encoding: 'utf8' });
  const secret = shown.stdout.match(/value:\s+(\S+)/)?.[1];
  assert.ok(secret && secret.length >= 12, shown.stderr);
  assert.ok(!r.stdout.includes(secret!));
});

test('--pairing decides whether a distant figgy.json belongs to a config.py with the same twig', () => {
  const ws = path.join(tmp, 'pairing');
  cpSync(path.join(EXAMPLE, 'src'), path.join(ws, 'services', 'demo', 'src'), { recursive: true });
  cpSync(path.join(EXAMPLE, 'figgy', 'figgy.json'), path.join(ws, 'generated', 'deep', 'er', 'figgy', 'figgy.json'));
  const services = (mode: string) => {
    const r = run(['check', ws, '--env', 'dev', '--parse-only', '--pairing', mode]);
    return Number(/(\d+) service\(s\)/.exec(r.out)?.[1]);
  };
  assert.equal(services('twig'), 1);
  assert.equal(services('folder'), 2);
  assert.equal(run(['check', ws, '--pairing', 'nearest']).code, 2);
});
