// The call budget of a full check, counted with SDK middleware on the real clients against moto:
// E environments × ⌈N/50⌉ listing calls, batched lookups, and nothing at all on a repeat within the TTL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createStores } from '../../server/src/store/factory';
import { CachedStore } from '../../server/src/store/cache';
import { SsmStore } from '../../server/src/store/ssm';
import type { OrchardConfig } from '../../server/src/store/config';
import type { ParameterStore } from '../../server/src/store/types';
import { countCalls, startMoto, useDummyAwsEnv, type CallLog, type Moto } from './moto';

let moto: Moto;
let restoreEnv: () => void;
const ENVS = { dev: 'us-east-1', qa: 'eu-west-1' };
const SERVICES = { '/app/svc-a': 120, '/app/svc-b': 30 };
const SOURCES = Array.from({ length: 7 }, (_, i) => `/shared/resources/db${i}/dns`);
const MERGED = ['/app/svc-a/m0', '/app/svc-a/m1', '/app/svc-a/m2'];

before(async () => {
  restoreEnv = useDummyAwsEnv();
  moto = await startMoto();
  for (const region of Object.values(ENVS)) {
    const s = new SsmStore({ env: 'seed', config: { backend: 'ssm', region, endpoint: moto.endpoint } });
    const names = [...Object.entries(SERVICES).flatMap(([t, n]) => Array.from({ length: n - (t.endsWith('a') ? MERGED.length : 0) }, (_, i) => `${t}/p${i}`)), ...SOURCES];
    for (let i = 0; i < names.length; i += 25) await Promise.all(names.slice(i, i + 25).map((name) => s.put({ name, value: 'x', type: 'String', overwrite: false })));
    for (const m of MERGED) await s.put({ name: m, value: 'mysql://u:p@h', type: 'SecureString', overwrite: false });
    s.dispose();
  }
});
after(async () => {
  await moto?.stop();
  restoreEnv?.();
});

/** What the engine does per environment: list each twig, look up outside sources, read merged values. */
async function check(stores: Map<string, ParameterStore>): Promise<void> {
  await Promise.all(
    [...stores.values()].map(async (s) => {
      const lists = await Promise.all(Object.keys(SERVICES).map((t) => s.list(t)));
      for (const l of lists) assert.equal(l.failure, undefined);
      assert.equal(lists[0].parameters.length, SERVICES['/app/svc-a']);
      const d = await s.describe(SOURCES);
      for (const n of SOURCES) assert.equal(d.get(n)?.state, 'found');
      const v = await s.getValues(MERGED, { decrypt: true });
      for (const n of MERGED) assert.equal(v.get(n)?.state === 'found' && v.get(n)!.state === 'found' && (v.get(n) as { value: { value?: string } }).value.value, 'mysql://u:p@h');
    }),
  );
}

function setup(cacheDecrypted: boolean): { stores: Map<string, ParameterStore>; calls: CallLog } {
  const config: OrchardConfig = {
    environments: Object.fromEntries(Object.entries(ENVS).map(([e, region]) => [e, { backend: 'ssm' as const, region, endpoint: moto.endpoint }])),
    cacheTtlSeconds: 60,
  };
  const stores = createStores(config, Object.keys(ENVS), { cacheDecrypted });
  const inner = [...stores.values()].map((s) => (s as CachedStore).inner as SsmStore);
  assert.ok(inner.every((s) => s instanceof SsmStore));
  return { stores, calls: countCalls(...inner.map((s) => s.ssm)) };
}

describe('call budget of a full check (2 envs, 150 parameters in 2 services, 7 sources, 3 merged)', () => {
  it('costs E·Σ⌈N/50⌉ listings + batched lookups, and a repeat within the TTL costs nothing', async () => {
    const { stores, calls } = setup(true);
    await check(stores);
    const E = Object.keys(ENVS).length;
    const listings = calls.count('DescribeParameters', (i) => JSON.stringify(i).includes('"Path"'));
    const lookups = calls.count('DescribeParameters', (i) => JSON.stringify(i).includes('"Name"'));
    const page = moto.pageSize;
    assert.equal(listings, E * Object.values(SERVICES).reduce((a, n) => a + Math.ceil(n / page), 0));
    if (page === 50) assert.ok(listings <= E * Math.ceil(150 / 50) + E, `listings ${listings}`);
    // Per env: one batch for the twigs themselves (coalesced), one for the 7 sources.
    assert.ok(lookups <= E * (Math.ceil(SOURCES.length / 50) + 1), `lookups ${lookups}`);
    assert.equal(calls.count('GetParameters'), E * Math.ceil(MERGED.length / 10));
    assert.equal(calls.count('GetParameter'), 0, 'never one call per parameter');
    calls.clear();
    await check(stores);
    assert.equal(calls.ops.length, 0, `repeat made ${calls.ops.map((o) => o.op).join(', ')}`);
    for (const s of stores.values()) await s.dispose?.();
  });

  it('without caching decrypted values, a repeat only re-reads the merged values', async () => {
    const { stores, calls } = setup(false);
    await check(stores);
    calls.clear();
    await check(stores);
    assert.equal(calls.count('DescribeParameters'), 0);
    assert.equal(calls.count('GetParameters'), Object.keys(ENVS).length);
    for (const s of stores.values()) await s.dispose?.();
  });
});
