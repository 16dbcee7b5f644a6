// createStore/createStores: the right backend per environment, never a throw.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore, createStores } from '../../server/src/store/factory';
import { CachedStore } from '../../server/src/store/cache';

describe('store factory', () => {
  it('builds local and ssm stores, cached by default, and an unknown-answering stand-in for unconfigured envs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orchard-fac-'));
    const stores = createStores({ environments: { dev: { backend: 'local', dir }, prod: { backend: 'ssm', region: 'us-east-1', endpoint: 'http://127.0.0.1:9' } } }, ['dev', 'prod', 'nope']);
    assert.deepEqual([...stores.keys()], ['dev', 'prod', 'nope']);
    assert.ok([...stores.values()].every((s) => s instanceof CachedStore));
    assert.deepEqual([...stores.values()].map((s) => s.kind), ['local', 'ssm', 'unavailable']);
    const nope = await stores.get('nope')!.describe(['/app/x']);
    assert.equal(nope.get('/app/x')?.state, 'unknown', 'never missing');
    assert.equal(createStore('qa', { backend: 'local', dir }).kind, 'local');
    assert.equal(createStores({ environments: { dev: { backend: 'local', dir } } }, ['dev'], { cache: false }).get('dev')!.kind, 'local');
    for (const s of stores.values()) await s.dispose?.();
    rmSync(dir, { recursive: true, force: true });
  });
});
