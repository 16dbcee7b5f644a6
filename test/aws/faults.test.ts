// Failures injected between the SDK and moto: every one must give `unknown` (never "missing"),
// no crash, a bounded number of attempts, and full recovery once the fault stops.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SsmStore } from '../../server/src/store/ssm';
import { CachedStore } from '../../server/src/store/cache';
import type { Lookup, ParameterMeta } from '../../server/src/store/types';
import { FaultProxy } from './faultProxy';
import { freePort, startMoto, useDummyAwsEnv, type Moto } from './moto';

const MAX_ATTEMPTS = 3;
const TIMEOUT_MS = 400;
let moto: Moto;
let proxy: FaultProxy;
let endpoint: string;
let restoreEnv: () => void;
let seeder: SsmStore;
const stores: SsmStore[] = [];

function store(ep = endpoint): SsmStore {
  const s = new SsmStore({ env: 'dev', config: { backend: 'ssm', region: 'us-east-1', endpoint: ep, timeoutMs: TIMEOUT_MS, maxAttempts: MAX_ATTEMPTS, profile: undefined }, minChangeCheckMs: 0 });
  stores.push(s);
  return s;
}

const TWIG = ['/app/svc/a', '/app/svc/b', '/app/svc/c'];
const SOURCES = ['/shared/db/host', '/dba/secrets/mysql/svc/password', '/shared/db/port'];

before(async () => {
  restoreEnv = useDummyAwsEnv();
  moto = await startMoto();
  proxy = new FaultProxy(moto.endpoint);
  endpoint = await proxy.start();
  seeder = new SsmStore({ env: 'dev', config: { backend: 'ssm', region: 'us-east-1', endpoint: moto.endpoint } });
});
after(async () => {
  for (const s of [...stores, seeder]) s?.dispose();
  await proxy?.close();
  await moto?.stop();
  restoreEnv?.();
});
beforeEach(async () => {
  proxy.reset();
  await moto.reset();
  for (const n of [...TWIG, ...SOURCES]) {
    const r = await seeder.put({ name: n, value: `v:${n}`, type: n.includes('secret') ? 'SecureString' : 'String', overwrite: false });
    assert.equal(r.ok, true);
  }
});

function assertNoMissing(m: Map<string, Lookup<unknown>>): void {
  for (const [n, l] of m) assert.notEqual(l.state, 'missing', `${n} reported missing during a fault`);
}

async function assertRecovers(s: SsmStore): Promise<void> {
  proxy.rules = [];
  const r = await s.list('/app/svc');
  assert.equal(r.failure, undefined);
  assert.deepEqual(r.parameters.map((p) => p.name).sort(), TWIG);
  const d = await s.describe(SOURCES);
  for (const n of SOURCES) assert.equal(d.get(n)?.state, 'found', n);
}

describe('SsmStore under injected faults', () => {
  it('throttling: adaptive retries up to maxAttempts, then unknown/throttled; recovers', async () => {
    const s = store();
    proxy.rules = [{ op: 'DescribeParameters', fault: { kind: 'throttle' } }];
    const t0 = Date.now();
    const d = await s.describe(SOURCES);
    assertNoMissing(d);
    const one = d.get(SOURCES[0])!;
    assert.equal(one.state === 'unknown' && one.failure.kind, 'throttled');
    assert.match(one.state === 'unknown' ? one.failure.message : '', /after 3 attempts/);
    // One batch (3 names) → one operation, tried exactly MAX_ATTEMPTS times.
    assert.equal(proxy.count('DescribeParameters', 'throttle'), MAX_ATTEMPTS);
    assert.ok(Date.now() - t0 < 15_000, 'bounded time');
    await assertRecovers(s);
  });

  it('5xx: retried a bounded number of times, unknown, recovers', async () => {
    const s = store();
    proxy.rules = [{ fault: { kind: 'server-error', status: 503 } }];
    const v = await s.getValues(TWIG, { decrypt: false });
    assertNoMissing(v);
    const first = v.get(TWIG[0])!;
    assert.equal(first.state, 'unknown');
    assert.match(first.state === 'unknown' ? first.failure.message : '', /HTTP 503/);
    assert.equal(proxy.count('GetParameters'), MAX_ATTEMPTS);
    await assertRecovers(s);
  });

  it('answers slower than the timeout: timeout, bounded attempts and time, recovers', async () => {
    const s = store();
    proxy.rules = [{ op: 'DescribeParameters', fault: { kind: 'delay', ms: TIMEOUT_MS * 4 } }];
    const t0 = Date.now();
    const r = await s.list('/app/svc');
    const took = Date.now() - t0;
    assert.equal(r.failure?.kind, 'timeout');
    assert.ok(proxy.count('DescribeParameters') <= 2 * MAX_ATTEMPTS, `attempts ${proxy.count('DescribeParameters')}`);
    assert.ok(took < MAX_ATTEMPTS * (TIMEOUT_MS + 1500), `took ${took} ms`);
    await assertRecovers(s);
  });

  it('AccessDenied on /dba/ makes only those names unknown ("not readable with your role")', async () => {
    const s = store();
    proxy.rules = [{ bodyIncludes: '/dba/', fault: { kind: 'access-denied' } }];
    const d = await s.describe([...SOURCES, '/shared/db/absent']);
    const dba = d.get(SOURCES[1])! as Lookup<ParameterMeta>;
    assert.equal(dba.state, 'unknown');
    assert.equal(dba.state === 'unknown' && dba.failure.kind, 'access-denied');
    assert.match(dba.state === 'unknown' ? dba.failure.message : '', /not readable with your role/);
    assert.equal(d.get('/shared/db/host')?.state, 'found', 'other names not poisoned');
    assert.equal(d.get('/shared/db/port')?.state, 'found');
    assert.deepEqual(d.get('/shared/db/absent'), { state: 'missing' }, 'truly absent still reported');
    const v = await s.getValues(SOURCES, { decrypt: false });
    assert.equal(v.get(SOURCES[1])?.state, 'unknown');
    assert.equal(v.get('/shared/db/host')?.state, 'found');
    const l = await s.list('/dba/secrets');
    assert.equal(l.failure?.kind, 'access-denied');
    assert.equal((await s.list('/app/svc')).failure, undefined);
    // AccessDenied is not retried by the SDK: one attempt per operation.
    assert.ok(proxy.count(undefined, 'access-denied') <= 8, `${proxy.count(undefined, 'access-denied')} refused calls`);
    await assertRecovers(s);
  });

  it('expired token: credentials failure with a fix-it hint, for SSM and STS; recovers', async () => {
    const s = new SsmStore({ env: 'qa', config: { backend: 'ssm', region: 'us-east-1', endpoint, profile: undefined, timeoutMs: TIMEOUT_MS, maxAttempts: MAX_ATTEMPTS }, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing', sessionToken: 'old' } });
    stores.push(s);
    proxy.rules = [{ fault: { kind: 'expired' } }];
    const r = await s.list('/app/svc');
    assert.equal(r.failure?.kind, 'credentials');
    assert.equal(r.failure?.hint, 'figgy login');
    const who = await s.identity();
    assert.equal(who.state === 'unknown' && who.failure.kind, 'credentials');
    assert.ok(proxy.count() <= 3 * MAX_ATTEMPTS);
    await assertRecovers(s);
  });

  it('dropped connections and a dead endpoint: network failures, unknown', async () => {
    const s = store();
    proxy.rules = [{ fault: { kind: 'reset' } }];
    const d = await s.describe(SOURCES);
    assertNoMissing(d);
    const one = d.get(SOURCES[0])!;
    assert.equal(one.state === 'unknown' && one.failure.kind, 'network');
    assert.ok(proxy.count() <= MAX_ATTEMPTS * 2);
    await assertRecovers(s);
    const dead = store(`http://127.0.0.1:${await freePort()}`);
    const r = await dead.list('/app/svc');
    assert.equal(r.failure?.kind, 'network');
  });

  it('an AWS error quoting the request never carries the value', async () => {
    const s = store();
    proxy.rules = [{ op: 'PutParameter', fault: { kind: 'echo' } }];
    const r = await s.put({ name: '/app/svc/new', value: 'SEKRIT-CANARY-42', type: 'SecureString', overwrite: false, description: 'desc' });
    assert.equal(r.ok, false);
    const text = JSON.stringify(r);
    assert.match(text, /ValidationException/);
    assert.ok(!text.includes('SEKRIT-CANARY-42'), text);
  });

  it('through the cache: a failure is remembered briefly (no hammering), then retried, then fresh data', async () => {
    let now = 1_000_000;
    const s = new CachedStore(store(), { ttlMs: 60_000, failureTtlMs: 5_000, now: () => now });
    proxy.rules = [{ fault: { kind: 'server-error', status: 500 } }];
    const a = await s.list('/app/svc');
    const b = await s.list('/app/svc');
    assert.equal(a.failure?.kind, 'other');
    assert.equal(b, a, 'second ask within the failure TTL is served from the cache');
    const calls = proxy.count();
    proxy.rules = [];
    now += 5_001;
    const c = await s.list('/app/svc');
    assert.equal(c.failure, undefined);
    assert.equal(c.parameters.length, 3);
    assert.ok(proxy.count() > calls);
  });
});
