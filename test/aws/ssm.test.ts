// SsmStore against the real emulator (moto) through the real AWS SDK clients.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SsmStore } from '../../server/src/store/ssm';
import type { SsmEnvConfig } from '../../server/src/store/config';
import { countCalls, startMoto, useDummyAwsEnv, type Moto } from './moto';

const CANARY = 'CANARY-7f3a9c1e-do-not-leak';

let moto: Moto;
let restoreEnv: () => void;
const stores: SsmStore[] = [];

function store(extra: Partial<SsmEnvConfig> = {}, env = 'dev'): SsmStore {
  const s = new SsmStore({ env, config: { backend: 'ssm', region: 'us-east-1', endpoint: moto.endpoint, timeoutMs: 5000, maxAttempts: 2, ...extra }, minChangeCheckMs: 0 });
  stores.push(s);
  return s;
}

async function seed(s: SsmStore, names: string[], type: 'String' | 'SecureString' = 'String'): Promise<void> {
  for (let i = 0; i < names.length; i += 20) {
    const rs = await Promise.all(names.slice(i, i + 20).map((n) => s.put({ name: n, value: `value of ${n}`, type, overwrite: false })));
    for (const r of rs) assert.equal(r.ok, true, JSON.stringify(r));
  }
}

before(async () => {
  restoreEnv = useDummyAwsEnv({ credentials: '[figgy-dev]\naws_access_key_id = AKIAPROFILEKEY\naws_secret_access_key = profile-secret\n' });
  moto = await startMoto();
});
after(async () => {
  for (const s of stores) s.dispose();
  await moto?.stop();
  restoreEnv?.();
});
beforeEach(async () => moto.reset());

describe('SsmStore against moto', () => {
  it('lists a twig recursively, without siblings that share a string prefix, including the twig itself', async () => {
    const s = store();
    await seed(s, ['/app/svc/a', '/app/svc/b/c', '/app/svc2/x', '/app/svcx', '/app/svc', '/shared/q']);
    const r = await s.list('/app/svc');
    assert.equal(r.failure, undefined);
    assert.deepEqual(r.parameters.map((p) => p.name).sort(), ['/app/svc', '/app/svc/a', '/app/svc/b/c']);
    const a = r.parameters.find((p) => p.name === '/app/svc/a')!;
    assert.equal(a.type, 'String');
    assert.equal(a.version, 1);
    assert.ok(!Number.isNaN(Date.parse(a.lastModified)));
    assert.deepEqual((await s.list('/app/svc/')).parameters.length, 3, 'trailing slash is the same prefix');
    assert.deepEqual((await s.list('/nothing/here')).parameters, []);
  });

  it('describes names: found, missing, invalid; no values in metadata', async () => {
    const s = store();
    await s.put({ name: '/shared/db/host', value: 'db.internal', type: 'String', overwrite: false, description: 'the host' });
    await s.put({ name: '/shared/db/password', value: CANARY, type: 'SecureString', overwrite: false });
    const m = await s.describe(['/shared/db/host', '/shared/db/password', '/shared/db/nope', 'bad name!']);
    const host = m.get('/shared/db/host')!;
    assert.equal(host.state, 'found');
    assert.equal(host.state === 'found' && host.value.description, 'the host');
    const pw = m.get('/shared/db/password')!;
    assert.equal(pw.state === 'found' && pw.value.type, 'SecureString');
    assert.equal(pw.state === 'found' && pw.value.keyId, 'alias/aws/ssm');
    assert.deepEqual(m.get('/shared/db/nope'), { state: 'missing' });
    const bad = m.get('bad name!')!;
    assert.equal(bad.state === 'unknown' && bad.failure.kind, 'invalid-name');
    assert.ok(!JSON.stringify([...m]).includes('db.internal'));
  });

  it('paginates beyond 50 (listing, lookups) and beyond 10 (values) with the fewest calls', async () => {
    const s = store();
    const n = 123;
    const names = Array.from({ length: n }, (_, i) => `/app/big/p${String(i).padStart(3, '0')}`);
    await seed(s, names);
    const calls = countCalls(s.ssm);
    const r = await s.list('/app/big');
    assert.equal(r.failure, undefined);
    assert.equal(r.parameters.length, n);
    const pathCalls = calls.count('DescribeParameters', (i) => JSON.stringify(i).includes('"Path"'));
    assert.equal(pathCalls, Math.ceil(n / moto.pageSize));
    assert.ok(calls.ops.every((o) => o.op !== 'DescribeParameters' || o.input.MaxResults === 50), 'every page asks for 50');

    calls.clear();
    const d = await s.describe([...names, '/app/big/absent']);
    assert.equal([...d.values()].filter((l) => l.state === 'found').length, n);
    assert.deepEqual(d.get('/app/big/absent'), { state: 'missing' });
    // 124 names → 3 Name-filter batches of ≤ 50 (each one page when the server honours 50).
    assert.equal(calls.count('DescribeParameters'), moto.patchedPaging ? 3 : calls.count('DescribeParameters'));
    assert.ok(calls.ops.every((o) => ((o.input.ParameterFilters as { Values: string[] }[])[0].Values.length <= 50)));

    calls.clear();
    const v = await s.getValues(names.slice(0, 23), { decrypt: false });
    assert.equal(calls.count('GetParameters'), 3);
    assert.equal(v.size, 23);
    for (const [k, l] of v) assert.equal(l.state === 'found' && l.value.value, `value of ${k}`);
  });

  it('works with stock moto paging (10 a page, trailing empty page)', async () => {
    const stock = await startMoto({ stock: true });
    try {
      const s = new SsmStore({ env: 'dev', config: { backend: 'ssm', region: 'us-east-1', endpoint: stock.endpoint, maxAttempts: 1 } });
      stores.push(s);
      const names = Array.from({ length: 30 }, (_, i) => `/app/stock/p${i}`);
      await seed(s, names);
      const calls = countCalls(s.ssm);
      const r = await s.list('/app/stock');
      assert.equal(r.parameters.length, 30);
      assert.equal(calls.count('DescribeParameters', (i) => JSON.stringify(i).includes('"Path"')), 4);
    } finally {
      await stock.stop();
    }
  });

  it('refuses to overwrite unless asked; overwrite bumps the version', async () => {
    const s = store();
    assert.deepEqual(await s.put({ name: '/app/svc/k', value: 'one', type: 'String', overwrite: false }), { ok: true, version: 1 });
    assert.deepEqual(await s.put({ name: '/app/svc/k', value: 'two', type: 'String', overwrite: false }), { ok: false, reason: 'exists' });
    const v1 = (await s.getValues(['/app/svc/k'], { decrypt: false })).get('/app/svc/k')!;
    assert.equal(v1.state === 'found' && v1.value.value, 'one');
    assert.deepEqual(await s.put({ name: '/app/svc/k', value: 'two', type: 'String', overwrite: true }), { ok: true, version: 2 });
    const v2 = (await s.getValues(['/app/svc/k'], { decrypt: false })).get('/app/svc/k')!;
    assert.equal(v2.state === 'found' && v2.value.value, 'two');
  });

  it('validates names before writing: no call is made for an invalid name', async () => {
    const s = store();
    const calls = countCalls(s.ssm);
    for (const bad of ['/aws/x', '/app//x', 'no spaces allowed', '/app/x/', 'ssm-thing']) {
      const r = await s.put({ name: bad, value: 'v', type: 'String', overwrite: false });
      assert.equal(r.ok === false && r.reason === 'failed' && r.failure.kind, 'invalid-name', bad);
    }
    assert.equal(calls.ops.length, 0);
  });

  it('honours allowedKmsKeys and passes the configured default key', async () => {
    const s = store({ kmsKeyId: 'alias/figgy-app', allowedKmsKeys: ['alias/figgy-app', 'alias/figgy-data'] });
    assert.equal((await s.put({ name: '/app/svc/s1', value: 'x', type: 'SecureString', overwrite: false })).ok, true);
    const m = (await s.describe(['/app/svc/s1'])).get('/app/svc/s1')!;
    assert.equal(m.state === 'found' && m.value.keyId, 'alias/figgy-app');
    const refused = await s.put({ name: '/app/svc/s2', value: 'x', type: 'SecureString', overwrite: false, keyId: 'alias/other' });
    assert.equal(refused.ok === false && refused.reason === 'failed' && refused.failure.kind, 'other');
  });

  it('never returns a SecureString value unless asked to decrypt; the canary never leaks', async () => {
    const s = store();
    const logged: string[] = [];
    const origWrite = process.stderr.write.bind(process.stderr);
    const origOut = process.stdout.write.bind(process.stdout);
    const orig = { log: console.log, warn: console.warn, error: console.error, info: console.info, debug: console.debug };
    const capture = (...a: unknown[]) => void logged.push(a.map(String).join(' '));
    Object.assign(console, { log: capture, warn: capture, error: capture, info: capture, debug: capture });
    process.stderr.write = ((c: string | Uint8Array) => (logged.push(String(c)), true)) as typeof process.stderr.write;
    try {
      await s.put({ name: '/app/svc/secret', value: CANARY, type: 'SecureString', overwrite: false, description: 'a secret' });
      await s.put({ name: '/app/svc/secret', value: CANARY, type: 'SecureString', overwrite: true });
      const results = {
        list: await s.list('/app'),
        describe: [...(await s.describe(['/app/svc/secret']))],
        values: [...(await s.getValues(['/app/svc/secret'], { decrypt: false }))],
        history: await s.history('/app/svc/secret', { decrypt: false }),
        identity: await s.identity(),
      };
      const text = JSON.stringify(results);
      assert.ok(!text.includes('CANARY'), `leaked: ${text.slice(0, 400)}`);
      const plain = results.values[0][1];
      assert.equal(plain.state, 'found');
      assert.equal(plain.state === 'found' && plain.value.value, undefined);
      assert.equal(plain.state === 'found' && plain.value.meta.type, 'SecureString');
      // Explicit reveal does return it.
      const revealed = (await s.getValues(['/app/svc/secret'], { decrypt: true })).get('/app/svc/secret')!;
      assert.equal(revealed.state === 'found' && revealed.value.value, CANARY);
      const hist = await s.history('/app/svc/secret', { decrypt: true });
      assert.deepEqual(hist.state === 'found' && hist.value.map((h) => h.value), [CANARY, CANARY]);
    } finally {
      Object.assign(console, orig);
      process.stderr.write = origWrite;
      process.stdout.write = origOut;
    }
    assert.ok(!logged.join('\n').includes('CANARY'), 'nothing logged the canary');
  });

  it('deletes, and reports a second delete as missing', async () => {
    const s = store();
    await seed(s, ['/app/svc/gone']);
    assert.deepEqual(await s.delete('/app/svc/gone'), { ok: true });
    assert.deepEqual(await s.delete('/app/svc/gone'), { ok: false, reason: 'missing' });
    assert.deepEqual((await s.describe(['/app/svc/gone'])).get('/app/svc/gone'), { state: 'missing' });
  });

  it('reads history in version order, paginated, without values unless asked', async () => {
    const s = store();
    for (let v = 1; v <= 12; v++) await s.put({ name: '/app/svc/h', value: `v${v}`, type: 'String', overwrite: v > 1, description: `rev ${v}` });
    const calls = countCalls(s.ssm);
    const h = await s.history('/app/svc/h', { decrypt: false });
    assert.equal(h.state, 'found');
    const entries = h.state === 'found' ? h.value : [];
    assert.deepEqual(entries.map((e) => e.version), Array.from({ length: 12 }, (_, i) => i + 1));
    assert.ok(entries.every((e) => e.value === undefined));
    assert.equal(entries[11].description, 'rev 12');
    assert.ok(calls.count('GetParameterHistory') >= 1);
    assert.deepEqual(await s.history('/app/svc/none', { decrypt: false }), { state: 'missing' });
  });

  it('tells who you are through STS, also through an assumed role', async () => {
    const me = await store().identity();
    assert.equal(me.state, 'found');
    assert.equal(me.state === 'found' && me.value.account, '123456789012');
    const role = await store({ roleArn: 'arn:aws:iam::123456789012:role/figgy-dev-dev', externalId: 'ext' }).identity();
    assert.equal(role.state, 'found');
    assert.match(role.state === 'found' ? role.value.id : '', /assumed-role\/figgy-dev-dev\/orchard-dev/);
  });

  it('reads credentials of a named profile from the shared files, and explains a missing one', async () => {
    const ok = await store({ profile: 'figgy-dev' }).identity();
    assert.equal(ok.state, 'found', JSON.stringify(ok));
    const missing = await store({ profile: 'no-such-profile' }).list('/app/svc');
    assert.equal(missing.failure?.kind, 'credentials');
    assert.equal(missing.failure?.hint, 'aws sso login --profile no-such-profile');
  });

  it('changeToken changes when something under a listed prefix changes, and only then', async () => {
    const s = store();
    assert.equal(await s.changeToken(), undefined, 'nothing listed yet');
    await seed(s, ['/app/svc/a']);
    await s.list('/app/svc');
    const t1 = await s.changeToken();
    assert.ok(t1);
    assert.equal(await s.changeToken(), t1);
    const other = store();
    await other.put({ name: '/app/elsewhere/x', value: '1', type: 'String', overwrite: false });
    assert.equal(await s.changeToken(), t1, 'outside the watched prefix');
    await other.put({ name: '/app/svc/a', value: '2', type: 'String', overwrite: true });
    const t2 = await s.changeToken();
    assert.notEqual(t2, t1);
    await other.delete('/app/svc/a');
    const t3 = await s.changeToken();
    assert.notEqual(t3, t2);
  });

  it('rate-limits changeToken against AWS (minChangeCheckMs)', async () => {
    const s = new SsmStore({ env: 'dev', config: { backend: 'ssm', region: 'us-east-1', endpoint: moto.endpoint }, minChangeCheckMs: 60_000 });
    stores.push(s);
    await s.list('/app/svc');
    const calls = countCalls(s.ssm);
    await s.changeToken();
    await s.changeToken();
    await s.changeToken();
    assert.equal(calls.count('DescribeParameters'), 1);
  });
});
