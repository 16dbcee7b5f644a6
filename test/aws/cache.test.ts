// CachedStore and ChangeWatcher over a small in-memory backend that counts what it is asked.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CachedStore, ChangeWatcher, type WatchTimers } from '../../server/src/store/cache';
import type { ListResult, Lookup, ParameterMeta, ParameterStore, ParameterValue, StoreFailure } from '../../server/src/store/types';

class MemoryStore implements ParameterStore {
  readonly env = 'dev';
  readonly kind = 'memory';
  calls: string[] = [];
  failure: StoreFailure | undefined;
  throwOnList = false;
  version = 1;
  params = new Map<string, { type: 'String' | 'SecureString'; value: string }>();
  private gate: Promise<void> = Promise.resolve();
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise((r) => (release = r));
    return () => {
      this.gate = Promise.resolve();
      release();
    };
  }
  private meta(name: string): ParameterMeta {
    return { name, type: this.params.get(name)!.type, version: this.version, lastModified: new Date(0).toISOString() };
  }
  async list(prefix: string): Promise<ListResult> {
    this.calls.push(`list ${prefix}`);
    await this.gate;
    if (this.throwOnList) throw new TypeError('boom with a value inside: s3cr3t');
    if (this.failure) return { parameters: [], failure: this.failure };
    return { parameters: [...this.params.keys()].filter((n) => n.startsWith(`${prefix}/`)).map((n) => this.meta(n)) };
  }
  async describe(names: string[]) {
    this.calls.push(`describe ${names.join(',')}`);
    await this.gate;
    return new Map(names.map((n): [string, Lookup<ParameterMeta>] => [n, this.failure ? { state: 'unknown', failure: this.failure } : this.params.has(n) ? { state: 'found', value: this.meta(n) } : { state: 'missing' }]));
  }
  async getValues(names: string[], opts: { decrypt: boolean }) {
    this.calls.push(`get${opts.decrypt ? '+decrypt' : ''} ${names.join(',')}`);
    await this.gate;
    return new Map(names.map((n): [string, Lookup<ParameterValue>] => {
      const p = this.params.get(n);
      if (!p) return [n, { state: 'missing' }];
      return [n, { state: 'found', value: { meta: this.meta(n), value: p.type === 'String' || opts.decrypt ? p.value : undefined } }];
    }));
  }
  async put(req: { name: string; value: string; type: 'String' | 'SecureString' }) {
    this.calls.push(`put ${req.name}`);
    this.params.set(req.name, { type: req.type, value: req.value });
    this.version++;
    return { ok: true as const, version: this.version };
  }
  async delete(name: string) {
    this.calls.push(`delete ${name}`);
    return this.params.delete(name) ? { ok: true as const } : { ok: false as const, reason: 'missing' as const };
  }
  async history() {
    return { state: 'missing' as const };
  }
  async identity() {
    this.calls.push('identity');
    return { state: 'found' as const, value: { id: 'me', description: 'me' } };
  }
  async changeToken() {
    this.calls.push('token');
    return this.failure ? undefined : `v${this.version}`;
  }
}

function setup(opts: { cacheDecrypted?: boolean } = {}) {
  const inner = new MemoryStore();
  inner.params.set('/app/s/a', { type: 'String', value: 'plain' });
  inner.params.set('/app/s/secret', { type: 'SecureString', value: 'TOPSECRET' });
  let now = 0;
  const cache = new CachedStore(inner, { ttlMs: 1000, failureTtlMs: 100, now: () => now, ...opts });
  return { inner, cache, tick: (ms: number) => (now += ms) };
}

describe('CachedStore', () => {
  it('reuses answers within the TTL and asks again after it', async () => {
    const { inner, cache, tick } = setup();
    await cache.list('/app/s');
    await cache.list('/app/s');
    await cache.describe(['/app/s/a', '/shared/x']);
    assert.deepEqual(inner.calls, ['list /app/s', 'describe /shared/x'], 'listed names answer lookups too');
    tick(1001);
    await cache.list('/app/s');
    assert.equal(inner.calls.filter((c) => c.startsWith('list')).length, 2);
  });
  it('single-flight: concurrent identical asks share one request', async () => {
    const { inner, cache } = setup();
    const release = inner.hold();
    const asks = [cache.list('/app/s'), cache.list('/app/s'), cache.describe(['/x', '/y']), cache.describe(['/y', '/x', '/z'])];
    await new Promise((r) => setImmediate(r));
    release();
    const [a, b] = await Promise.all(asks);
    assert.equal(a, b);
    assert.deepEqual(inner.calls, ['list /app/s', 'describe /x,/y', 'describe /z']);
  });
  it('failures are unknown, cached briefly, then retried', async () => {
    const { inner, cache, tick } = setup();
    inner.failure = { kind: 'throttled', message: 'slow down' };
    const d = await cache.describe(['/app/s/a']);
    assert.equal(d.get('/app/s/a')?.state, 'unknown');
    await cache.describe(['/app/s/a']);
    assert.equal(inner.calls.length, 1, 'not hammered');
    inner.failure = undefined;
    tick(101);
    assert.equal((await cache.describe(['/app/s/a'])).get('/app/s/a')?.state, 'found');
    assert.equal(inner.calls.length, 2);
  });
  it('a throwing backend becomes an unknown answer without its message', async () => {
    const { inner, cache } = setup();
    inner.throwOnList = true;
    const r = await cache.list('/app/s');
    assert.equal(r.failure?.kind, 'other');
    assert.ok(!JSON.stringify(r).includes('s3cr3t'));
  });
  it('values: plain ones cached; decrypted ones not kept unless asked; String answers reused for a decrypting ask', async () => {
    const { inner, cache } = setup();
    const plain = await cache.getValues(['/app/s/a', '/app/s/secret'], { decrypt: false });
    assert.equal((plain.get('/app/s/secret') as { value: ParameterValue }).value.value, undefined);
    await cache.getValues(['/app/s/a', '/app/s/secret'], { decrypt: true });
    await cache.getValues(['/app/s/secret'], { decrypt: true });
    assert.deepEqual(inner.calls, ['get /app/s/a,/app/s/secret', 'get+decrypt /app/s/secret', 'get+decrypt /app/s/secret']);
    const kept = setup({ cacheDecrypted: true });
    await kept.cache.getValues(['/app/s/secret'], { decrypt: true });
    const again = await kept.cache.getValues(['/app/s/secret'], { decrypt: true });
    assert.equal((again.get('/app/s/secret') as { value: ParameterValue }).value.value, 'TOPSECRET');
    assert.equal(kept.inner.calls.length, 1);
  });
  it('writes invalidate; invalidate() forgets everything', async () => {
    const { inner, cache } = setup();
    assert.equal((await cache.list('/app/s')).parameters.length, 2);
    await cache.put({ name: '/app/s/new', value: 'v', type: 'String', overwrite: false });
    assert.equal((await cache.list('/app/s')).parameters.length, 3);
    await cache.delete('/app/s/new');
    assert.equal((await cache.list('/app/s')).parameters.length, 2);
    cache.invalidate();
    await cache.list('/app/s');
    assert.equal(inner.calls.filter((c) => c.startsWith('list')).length, 4);
  });
  it('a changed token drops the cache', async () => {
    const { inner, cache } = setup();
    await cache.changeToken();
    await cache.list('/app/s');
    inner.version++;
    await cache.changeToken();
    await cache.list('/app/s');
    assert.equal(inner.calls.filter((c) => c.startsWith('list')).length, 2);
  });
});

class FakeTimers implements WatchTimers {
  pending: { fn: () => void; ms: number; id: number }[] = [];
  private next = 1;
  setTimeout(fn: () => void, ms: number) {
    const id = this.next++;
    this.pending.push({ fn, ms, id });
    return id;
  }
  clearTimeout(h: unknown) {
    this.pending = this.pending.filter((p) => p.id !== h);
  }
  async fire() {
    const p = this.pending.shift();
    assert.ok(p, 'a poll is scheduled');
    p.fn();
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  }
}

describe('ChangeWatcher', () => {
  it('calls back only when the token changes; unknown tokens change nothing; dispose stops it', async () => {
    const inner = new MemoryStore();
    const timers = new FakeTimers();
    const seen: string[] = [];
    const w = new ChangeWatcher(inner, { intervalMs: 2000, onChange: (t) => seen.push(t), timers }).start();
    await new Promise((r) => setImmediate(r));
    await timers.fire();
    assert.deepEqual(seen, [], 'first token is the baseline; same token is no change');
    assert.equal(timers.pending[0].ms, 2000);
    inner.version = 7;
    await timers.fire();
    assert.deepEqual(seen, ['v7']);
    inner.failure = { kind: 'network', message: 'down' };
    await timers.fire();
    inner.failure = undefined;
    await timers.fire();
    assert.deepEqual(seen, ['v7'], 'an outage is not a change');
    w.dispose();
    assert.equal(timers.pending.length, 0);
    assert.equal(inner.calls.filter((c) => c === 'token').length, 5);
  });
  it('a throwing listener does not stop polling', async () => {
    const inner = new MemoryStore();
    const timers = new FakeTimers();
    let n = 0;
    const w = new ChangeWatcher(inner, { intervalMs: 10, onChange: () => { n++; throw new Error('listener'); }, timers }).start();
    await new Promise((r) => setImmediate(r));
    inner.version = 2;
    await timers.fire();
    inner.version = 3;
    await timers.fire();
    assert.equal(n, 2);
    w.dispose();
  });
});
