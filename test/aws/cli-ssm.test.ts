// The built CLI against AWS SSM Parameter Store emulated by moto: the same commands as on the local
// store, plus what only a real backend does (AccessDenied on /dba, expired credentials).
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startMoto, useDummyAwsEnv, type Moto } from './moto';
import { FaultProxy } from './faultProxy';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const CANARY = 'CANARY-ssm-cli-91c2-do-not-print';
const TWIG = '/app/demo-service';

let moto: Moto;
let proxy: FaultProxy;
let proxyEndpoint: string;
let restoreEnv: () => void;
let tmp: string;
let workspace: string;
const outputs: string[] = [];

interface Run {
  code: number;
  out: string;
  err: string;
}

function writeConfig(endpoint: string): string {
  const file = path.join(tmp, `config-${Math.random().toString(36).slice(2)}.json`);
  // One moto, two regions: as separate as two accounts for what these tests look at.
  const ssm = (region: string) => ({ backend: 'ssm', region, endpoint, timeoutMs: 3000, maxAttempts: 2 });
  writeFileSync(file, JSON.stringify({ environments: { dev: ssm('us-east-1'), qa: ssm('us-west-2') }, defaultEnvs: ['dev', 'qa'] }));
  return file;
}

let config: string;
let faultyConfig: string;

/** Async spawn: the fault proxy lives in this process, so a blocking spawnSync would starve it. */
function orchard(args: string[], opts: { input?: string; config?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: tmp,
      env: { ...process.env, NO_COLOR: '1', ORCHARD_CONFIG: opts.config ?? config },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.stdin.end(opts.input ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      outputs.push(out + err);
      resolve({ code: code ?? -1, out, err });
    });
  });
}

async function put(name: string, env: string, value: string, secure = false): Promise<void> {
  const r = await orchard(['put', name, '--env', env, '--value-file', '-', ...(secure ? ['--secure'] : [])], { input: value });
  assert.equal(r.code, 0, r.err);
}

before(async () => {
  restoreEnv = useDummyAwsEnv();
  moto = await startMoto();
  proxy = new FaultProxy(moto.endpoint);
  proxyEndpoint = await proxy.start();
  tmp = mkdtempSync(path.join(os.tmpdir(), 'orchard-cli-ssm-'));
  workspace = path.join(tmp, 'ws');
  cpSync(path.join(ROOT, 'examples', 'flask-service'), workspace, { recursive: true });
  config = writeConfig(moto.endpoint);
  faultyConfig = writeConfig(proxyEndpoint);
});

after(async () => {
  await proxy?.close();
  await moto?.stop();
  restoreEnv?.();
  rmSync(tmp, { recursive: true, force: true });
});

beforeEach(async () => {
  await moto.reset();
  proxy.rules = [];
});

async function seedDevComplete(): Promise<void> {
  // Sources before replicas: a replica older than its source is (rightly) a stale-replica finding.
  for (const s of ['dns', 'port', 'db-name']) {
    await put(`/shared/resources/dbs/fig-db/${s}`, 'dev', 'shared');
    await put(`/shared/resources/dbs/fig-db/${s}`, 'qa', 'shared');
  }
  for (const s of ['user', 'password']) {
    await put(`/dba/secrets/mysql/demo-service/${s}`, 'dev', CANARY, true);
    await put(`/dba/secrets/mysql/demo-service/${s}`, 'qa', CANARY, true);
  }
  const plain = ['admired-person', 'third-wheel', 'replicated/sql/hostname', 'replicated/sql/port', 'replicated/sql/db-name'];
  const secret = ['secret-admirer', 'replicated/sql/user', 'replicated/sql/password', 'replicated/sql-connection'];
  for (const n of plain) await put(`${TWIG}/${n}`, 'dev', 'plain');
  for (const n of secret) await put(`${TWIG}/${n}`, 'dev', CANARY, true);
}

test('check against SSM: dev complete, qa missing everything of the service; json agrees', async () => {
  await seedDevComplete();
  const r = await orchard(['check', workspace]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /config\.py:\d+:\d+: error \[missing-in-env\] \/app\/demo-service\/third-wheel \(Figs\.THIRD_WHEEL\) is missing in qa/);
  assert.doesNotMatch(r.out, /is missing in dev/);
  const j = await orchard(['check', workspace, '--env', 'dev', '--format', 'json']);
  assert.equal(j.code, 0, j.out + j.err);
  assert.deepEqual((JSON.parse(j.out) as { code: string; message: string }[]).map((f) => `${f.code}: ${f.message}`), []);
});

test('sync against SSM: plan, then apply from --values; never overwrites', async () => {
  await seedDevComplete();
  await put(`${TWIG}/admired-person`, 'qa', 'already there');
  const plan = await orchard(['sync', workspace, '--env', 'qa', '--plan']);
  assert.equal(plan.code, 1, plan.err);
  assert.match(plan.out, /create\s+\/app\/demo-service\/secret-admirer/);
  assert.match(plan.out, /replicate\s+\/app\/demo-service\/replicated\/sql\/port ← \/shared\/resources\/dbs\/fig-db\/port/);
  assert.doesNotMatch(plan.out, /admired-person/);
  const values = path.join(tmp, 'values.json');
  writeFileSync(values, JSON.stringify({ [`${TWIG}/secret-admirer`]: { value: CANARY, type: 'SecureString' }, [`${TWIG}/third-wheel`]: 'x', [`${TWIG}/admired-person`]: 'must not replace' }));
  const apply = await orchard(['sync', workspace, '--env', 'qa', '--values', values]);
  assert.match(apply.out, /created \/app\/demo-service\/secret-admirer \(SecureString, version 1\)/);
  assert.match(apply.out, /created \/app\/demo-service\/replicated\/sql\/hostname/);
  const kept = await orchard(['get', `${TWIG}/admired-person`, '--env', 'qa', '--reveal']);
  assert.match(kept.out, /value:\s+already there/);
  const ls = await orchard(['ls', '--env', 'qa', '--prefix', TWIG]);
  assert.match(ls.out, /secret-admirer\s+SecureString\s+1/);
});

test('get, history, delete refusal and whoami against SSM', async () => {
  await seedDevComplete();
  const g = await orchard(['get', `${TWIG}/secret-admirer`, '--env', 'dev']);
  assert.equal(g.code, 0, g.err);
  assert.match(g.out, /type:\s+SecureString/);
  const h = await orchard(['history', `${TWIG}/admired-person`, '--env', 'dev']);
  assert.equal(h.code, 0, h.err);
  assert.match(h.out, /^1\s+String/m);
  const d = await orchard(['delete', '/shared/resources/dbs/fig-db/port', '--env', 'dev', '--workspace', workspace, '--yes']);
  assert.equal(d.code, 1);
  assert.match(d.err, /replication source of \/app\/demo-service\/replicated\/sql\/port/);
  const w = await orchard(['whoami', '--env', 'dev']);
  assert.equal(w.code, 0, w.err);
  assert.match(w.out, /dev\s+ssm\s+arn:aws:/);
});

test('AccessDenied on /dba is unknown, never missing; the rest of the check still works', async () => {
  await seedDevComplete();
  proxy.rules = [{ bodyIncludes: '/dba/', fault: { kind: 'access-denied' } }];
  const r = await orchard(['check', workspace, '--env', 'dev'], { config: faultyConfig });
  assert.doesNotMatch(r.out, /\/dba\/[^\s]* is missing/);
  assert.doesNotMatch(r.out, /missing-in-env/);
  assert.equal(r.code, 0, r.out + r.err);
});

test('expired credentials: every parameter unknown, exit 2, a hint, and no false missing', async () => {
  await seedDevComplete();
  proxy.rules = [{ fault: { kind: 'expired' } }];
  const r = await orchard(['check', workspace, '--env', 'dev'], { config: faultyConfig });
  assert.equal(r.code, 2, r.out + r.err);
  assert.doesNotMatch(r.out, /missing-in-env/);
  assert.match(r.out, /unknown-in-env/);
  const plan = await orchard(['sync', workspace, '--env', 'dev', '--plan'], { config: faultyConfig });
  assert.equal(plan.code, 2);
  assert.match(plan.out, /cannot plan/);
  assert.doesNotMatch(plan.out, /create\s/);
});

test('flags put a locally configured environment on SSM: --region and --endpoint', async () => {
  await seedDevComplete();
  const localOnly = path.join(tmp, 'local-only.json');
  writeFileSync(localOnly, JSON.stringify({ environments: { dev: { backend: 'local', dir: path.join(tmp, 'unused-store') } } }));
  const w = await orchard(['whoami', '--env', 'dev', '--region', 'us-east-1', '--endpoint', moto.endpoint], { config: localOnly });
  assert.equal(w.code, 0, w.err);
  assert.match(w.out, /dev\s+ssm\s+arn:aws:/);
  const ls = await orchard(['ls', '--env', 'dev', '--prefix', TWIG, '--region', 'us-east-1', '--endpoint', moto.endpoint], { config: localOnly });
  assert.match(ls.out, /secret-admirer\s+SecureString/);
  const local = await orchard(['whoami', '--env', 'dev'], { config: localOnly });
  assert.match(local.out, /dev\s+local\s+local:/);
});

test('canary: no CLI output against SSM showed the secret', () => {
  assert.ok(outputs.length > 20);
  for (const o of outputs) assert.ok(!o.includes(CANARY), 'canary leaked');
});
