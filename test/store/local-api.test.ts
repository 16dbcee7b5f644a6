import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listEnvironments, openLocalStore, type LocalStore } from '../../server/src/store/local';
import type { ParameterMeta } from '../../server/src/store/types';
import { tempStoreDir } from './local-helpers';

/** A clock that advances one second per call, so lastModified values are distinct and known. */
function fakeClock(start = Date.UTC(2024, 0, 1, 12, 0, 0)) {
  let t = start;
  return () => new Date((t += 1000));
}

function found<T>(l: { state: string; value?: T } | undefined): T {
  assert.equal(l?.state, 'found', `expected found, got ${JSON.stringify(l)}`);
  return (l as { value: T }).value;
}

async function seed(s: LocalStore, names: string[]) {
  for (const name of names) {
    const r = await s.put({ name, value: `value of ${name}`, type: 'String', overwrite: false });
    assert.equal(r.ok, true, `seed ${name}`);
  }
}

test('a store folder that does not exist is unknown (never an empty store), and reads never create it', async (t) => {
  const dir = tempStoreDir(t);
  const s = openLocalStore({ dir, env: 'dev' });
  const l = await s.list('/');
  assert.deepEqual(l.parameters, []);
  assert.equal(l.failure?.kind, 'other');
  assert.match(l.failure?.message ?? '', /there is no local store at .*\(the folder does not exist\)/);
  assert.match(l.failure?.hint ?? '', /^orchard store init --store /);
  const d = await s.describe(['/app/x/a']);
  assert.equal(d.get('/app/x/a')?.state, 'unknown');
  assert.equal((await s.getValues(['/app/x/a'], { decrypt: true })).get('/app/x/a')?.state, 'unknown');
  assert.equal((await s.history('/app/x/a', { decrypt: false })).state, 'unknown');
  const del = await s.delete('/app/x/a');
  assert.equal(del.ok === false && del.reason, 'failed', 'a delete does not create a store either');
  assert.equal(existsSync(dir), false, 'reads must not create the store folder');
  assert.deepEqual(await listEnvironments(dir), []);
});

test('an initialised store is empty and reads of an absent file are "missing", not failures', async (t) => {
  const dir = tempStoreDir(t);
  const s = openLocalStore({ dir, env: 'dev' });
  assert.deepEqual(await s.init(), { ok: true, created: true });
  assert.deepEqual(await s.init(), { ok: true, created: false }, 'init twice is harmless');
  assert.deepEqual(await s.list('/'), { parameters: [] });
  const d = await s.describe(['/app/x/a']);
  assert.deepEqual(d.get('/app/x/a'), { state: 'missing' });
  assert.deepEqual(await s.history('/app/x/a', { decrypt: false }), { state: 'missing' });
  assert.equal(await s.changeToken(), 'absent');
  assert.equal(existsSync(path.join(dir, 'dev.json')), false, 'reads must not create the env file');
  assert.deepEqual(await listEnvironments(dir), []);
});

test('list is recursive and matches whole path segments', async (t) => {
  const s = openLocalStore({ dir: tempStoreDir(t), env: 'dev' });
  await seed(s, ['/app/x', '/app/x/a', '/app/x/b/c', '/app/xy', '/app/xy/z', '/app/y/a', '/shared/q', 'plain']);
  const names = async (p: string) => (await s.list(p)).parameters.map((m) => m.name);
  assert.deepEqual(await names('/app/x'), ['/app/x', '/app/x/a', '/app/x/b/c']);
  assert.deepEqual(await names('/app/x/'), ['/app/x', '/app/x/a', '/app/x/b/c']);
  assert.deepEqual(await names('/app/x/b'), ['/app/x/b/c']);
  assert.deepEqual(await names('/app/xy'), ['/app/xy', '/app/xy/z']);
  assert.deepEqual(await names('/app'), ['/app/x', '/app/x/a', '/app/x/b/c', '/app/xy', '/app/xy/z', '/app/y/a']);
  assert.deepEqual(await names('/'), ['/app/x', '/app/x/a', '/app/x/b/c', '/app/xy', '/app/xy/z', '/app/y/a', '/shared/q', 'plain']);
  assert.deepEqual(await names('/nothing'), []);
  assert.deepEqual(await names('/ap'), [], 'a string prefix that is not a segment matches nothing');
  for (const m of (await s.list('/')).parameters) assert.equal('value' in m, false, 'listing carries no values');
});

test('put versions, overwrite refusal, type change, descriptions and metadata', async (t) => {
  const dir = tempStoreDir(t);
  const s = openLocalStore({ dir, env: 'qa', user: 'alice', now: fakeClock() });
  const host = os.hostname();
  assert.deepEqual(await s.put({ name: '/app/s/a', value: 'one', type: 'String', description: 'first', overwrite: false }), { ok: true, version: 1 });
  assert.deepEqual(await s.put({ name: '/app/s/a', value: 'two', type: 'String', overwrite: false }), { ok: false, reason: 'exists' });
  const meta1 = found<ParameterMeta>((await s.describe(['/app/s/a'])).get('/app/s/a'));
  assert.deepEqual(meta1, {
    name: '/app/s/a',
    type: 'String',
    version: 1,
    lastModified: '2024-01-01T12:00:01.000Z',
    lastModifiedBy: `local:alice@${host}`,
    description: 'first',
  });
  // Overwrite with a type change; description kept when not given (as SSM does).
  assert.deepEqual(await s.put({ name: '/app/s/a', value: 'three', type: 'SecureString', overwrite: true }), { ok: true, version: 2 });
  const meta2 = found<ParameterMeta>((await s.describe(['/app/s/a'])).get('/app/s/a'));
  assert.equal(meta2.type, 'SecureString');
  assert.equal(meta2.version, 2);
  assert.equal(meta2.description, 'first');
  assert.equal(meta2.lastModified, '2024-01-01T12:00:02.000Z');
  // An empty description clears it.
  assert.deepEqual(await s.put({ name: '/app/s/a', value: 'four', type: 'String', description: '', overwrite: true }), { ok: true, version: 3 });
  assert.equal(found<ParameterMeta>((await s.describe(['/app/s/a'])).get('/app/s/a')).description, undefined);
  // overwrite:true on a new name just creates it.
  assert.deepEqual(await s.put({ name: '/app/s/b', value: 'b', type: 'String', overwrite: true }), { ok: true, version: 1 });
  // A second store instance (another window) sees the same state.
  const other = openLocalStore({ dir, env: 'qa' });
  assert.equal(found<ParameterMeta>((await other.describe(['/app/s/a'])).get('/app/s/a')).version, 3);
  // Environments are separate files.
  const dev = openLocalStore({ dir, env: 'dev' });
  assert.deepEqual((await dev.describe(['/app/s/a'])).get('/app/s/a'), { state: 'missing' });
  await dev.put({ name: '/app/s/a', value: 'dev', type: 'String', overwrite: false });
  assert.deepEqual(await listEnvironments(dir), ['dev', 'qa']);
});

test('getValues: plain values, SecureString only when decrypting, missing and invalid names', async (t) => {
  const s = openLocalStore({ dir: tempStoreDir(t), env: 'dev' });
  await s.put({ name: '/app/v/plain', value: 'hello', type: 'String', overwrite: false });
  await s.put({ name: '/app/v/secret', value: 's3cr3t', type: 'SecureString', overwrite: false });
  const names = ['/app/v/plain', '/app/v/secret', '/app/v/none', 'bad//name'];
  const hidden = await s.getValues(names, { decrypt: false });
  assert.equal(found<{ value?: string }>(hidden.get('/app/v/plain')).value, 'hello');
  const sec = found<{ value?: string; meta: ParameterMeta }>(hidden.get('/app/v/secret'));
  assert.equal('value' in sec, false, 'no value without decrypt');
  assert.equal(sec.meta.type, 'SecureString');
  assert.deepEqual(hidden.get('/app/v/none'), { state: 'missing' });
  const bad = hidden.get('bad//name');
  assert.equal(bad?.state, 'unknown');
  assert.equal(bad?.state === 'unknown' && bad.failure.kind, 'invalid-name');
  const shown = await s.getValues(names, { decrypt: true });
  assert.equal(found<{ value?: string }>(shown.get('/app/v/secret')).value, 's3cr3t');
  assert.equal((await s.getValues([], { decrypt: true })).size, 0);
});

test('put refuses invalid names and empty values without touching the file', async (t) => {
  const dir = tempStoreDir(t);
  const s = openLocalStore({ dir, env: 'dev' });
  for (const name of ['', 'no//empty', 'a/b', '/trailing/', '/aws/x', '/SSM/x', '/bad name', `/${'a/'.repeat(15)}x`]) {
    const r = await s.put({ name, value: 'v', type: 'String', overwrite: true });
    assert.equal(r.ok, false, name);
    assert.equal(r.ok === false && r.reason === 'failed' && r.failure.kind, 'invalid-name', name);
    const d = await s.delete(name);
    assert.equal(d.ok === false && d.reason === 'failed' && d.failure.kind, 'invalid-name', name);
  }
  const empty = await s.put({ name: '/app/e', value: '', type: 'String', overwrite: true });
  assert.equal(empty.ok === false && empty.reason === 'failed' && empty.failure.kind, 'other');
  assert.equal(existsSync(path.join(dir, 'dev.json')), false);
});

test('delete records a marker in history; re-creating continues the version count', async (t) => {
  const s = openLocalStore({ dir: tempStoreDir(t), env: 'dev', user: 'bob', now: fakeClock() });
  assert.equal((await s.init()).ok, true);
  assert.deepEqual(await s.delete('/app/d/x'), { ok: false, reason: 'missing' });
  await s.put({ name: '/app/d/x', value: 'v1', type: 'String', description: 'd', overwrite: false });
  await s.put({ name: '/app/d/x', value: 'v2', type: 'SecureString', overwrite: true });
  assert.deepEqual(await s.delete('/app/d/x'), { ok: true });
  assert.deepEqual(await s.delete('/app/d/x'), { ok: false, reason: 'missing' }, 'deleting twice');
  assert.deepEqual((await s.describe(['/app/d/x'])).get('/app/d/x'), { state: 'missing' });
  assert.deepEqual((await s.getValues(['/app/d/x'], { decrypt: true })).get('/app/d/x'), { state: 'missing' });
  assert.deepEqual((await s.list('/app/d')).parameters, []);
  // Gone but remembered; a new put with overwrite:false is allowed (it does not exist).
  assert.deepEqual(await s.put({ name: '/app/d/x', value: 'v4', type: 'String', overwrite: false }), { ok: true, version: 4 });
  const by = `local:bob@${os.hostname()}`;
  const hidden = await s.history('/app/d/x', { decrypt: false });
  assert.deepEqual(hidden, {
    state: 'found',
    value: [
      { version: 1, type: 'String', lastModified: '2024-01-01T12:00:01.000Z', lastModifiedBy: by, description: 'd', value: 'v1' },
      { version: 2, type: 'SecureString', lastModified: '2024-01-01T12:00:02.000Z', lastModifiedBy: by, description: 'd' },
      { version: 3, type: 'SecureString', lastModified: '2024-01-01T12:00:03.000Z', lastModifiedBy: by, deleted: true },
      // A re-created parameter is new: it does not inherit the deleted one's description.
      { version: 4, type: 'String', lastModified: '2024-01-01T12:00:04.000Z', lastModifiedBy: by, value: 'v4' },
    ],
  });
  const shown = await s.history('/app/d/x', { decrypt: true });
  assert.equal(shown.state === 'found' && shown.value[1].value, 'v2', 'old SecureString versions decrypt on request');
  const inv = await s.history('x//y', { decrypt: false });
  assert.equal(inv.state === 'unknown' && inv.failure.kind, 'invalid-name');
});

test('identity names the user, host and folder', async (t) => {
  const dir = tempStoreDir(t);
  const s = openLocalStore({ dir, env: 'dev', user: 'carol' });
  assert.deepEqual(await s.identity(), {
    state: 'found',
    value: { id: `local:carol@${os.hostname()}`, description: `embedded local store at ${path.resolve(dir)}` },
  });
  const d = openLocalStore({ dir, env: 'dev' });
  const id = await d.identity();
  assert.match(id.state === 'found' ? id.value.id : '', new RegExp(`^local:[^@]+@${os.hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
});

test('changeToken changes on every committed write, and only then', async (t) => {
  const dir = tempStoreDir(t);
  const s = openLocalStore({ dir, env: 'dev' });
  const watcher = openLocalStore({ dir, env: 'dev' });
  const seen = new Set<string | undefined>([await watcher.changeToken()]);
  for (let i = 0; i < 25; i++) {
    await s.put({ name: '/app/t/same', value: i % 2 ? 'aa' : 'bb', type: 'String', overwrite: true }); // same size each time
    const tok = await watcher.changeToken();
    assert.ok(tok !== undefined);
    assert.equal(seen.has(tok), false, `token repeated after write ${i}`);
    seen.add(tok);
  }
  const before = await watcher.changeToken();
  assert.deepEqual(await s.put({ name: '/app/t/same', value: 'x', type: 'String', overwrite: false }), { ok: false, reason: 'exists' });
  assert.deepEqual(await s.delete('/app/t/none'), { ok: false, reason: 'missing' });
  await s.list('/');
  assert.equal(await watcher.changeToken(), before, 'refused writes and reads do not change the token');
  await s.delete('/app/t/same');
  assert.notEqual(await watcher.changeToken(), before);
});

test('reads see other writers: the cache is refreshed when the file changes', async (t) => {
  const dir = tempStoreDir(t);
  const a = openLocalStore({ dir, env: 'dev' });
  const b = openLocalStore({ dir, env: 'dev' });
  await a.put({ name: '/app/c/one', value: '1', type: 'String', overwrite: false });
  assert.equal((await b.list('/app/c')).parameters.length, 1);
  await a.put({ name: '/app/c/two', value: '2', type: 'String', overwrite: false });
  assert.equal((await b.list('/app/c')).parameters.length, 2);
  // A replacement written behind the store's back (same size, different content) is noticed too.
  const file = path.join(dir, 'dev.json');
  const text = readFileSync(file, 'utf8').replace('"/app/c/two"', '"/app/c/twx"');
  writeFileSync(file, text);
  assert.deepEqual((await b.list('/app/c')).parameters.map((p) => p.name), ['/app/c/one', '/app/c/twx']);
});

test('an unusable environment name fails every operation without throwing or writing', async (t) => {
  const dir = tempStoreDir(t);
  for (const env of ['../etc', '', '.hidden', 'a/b', 'x'.repeat(65)]) {
    const s = openLocalStore({ dir, env });
    const l = await s.list('/');
    assert.equal(l.failure?.kind, 'other', env);
    const p = await s.put({ name: '/app/a', value: 'v', type: 'SecureString', overwrite: true });
    assert.equal(p.ok, false, env);
    assert.equal((await s.describe(['/app/a'])).get('/app/a')?.state, 'unknown');
    assert.equal((await s.history('/app/a', { decrypt: false })).state, 'unknown');
  }
  assert.equal(existsSync(dir), false);
});

test('parameter names that are JavaScript object keys are just names', async (t) => {
  const s = openLocalStore({ dir: tempStoreDir(t), env: 'dev' });
  for (const name of ['__proto__', 'constructor', 'toString']) {
    assert.deepEqual(await s.put({ name, value: `v-${name}`, type: 'String', overwrite: false }), { ok: true, version: 1 });
  }
  const fresh = openLocalStore({ dir: s.dir, env: 'dev' });
  const vals = await fresh.getValues(['__proto__', 'constructor', 'toString', 'hasOwnProperty'], { decrypt: false });
  assert.equal(found<{ value?: string }>(vals.get('__proto__')).value, 'v-__proto__');
  assert.equal(found<{ value?: string }>(vals.get('constructor')).value, 'v-constructor');
  assert.deepEqual(vals.get('hasOwnProperty'), { state: 'missing' });
});
