// Real processes writing one store at once, and writers killed mid-write. Timings are printed
// as test diagnostics (the figures quoted in reports come from here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { openLocalStore } from '../../server/src/store/local';
import { parseTempName } from '../../server/src/store/local-fs';
import { spawnWriter, tempStoreDir } from './local-helpers';

const PER_CHILD = 150;
const SHARED_EVERY = 5;

test('three processes writing at once lose nothing', async (t) => {
  const dir = tempStoreDir(t);
  const shared = '/app/conc/shared';
  const kids = [0, 1, 2].map((i) => spawnWriter(['puts', dir, 'dev', `/app/conc/w${i}`, String(PER_CHILD), shared, String(SHARED_EVERY)]));
  await Promise.all(kids.map((k) => k.waitFor((l) => l === 'ready')));
  const t0 = Date.now();
  for (const k of kids) k.child.stdin!.write('go\n');
  const exits = await Promise.all(kids.map((k) => k.exited));
  const wall = Date.now() - t0;
  for (const e of exits) assert.equal(e.code, 0, e.stderr);

  const s = openLocalStore({ dir, env: 'dev' });
  const names = new Set((await s.list('/app/conc')).parameters.map((p) => p.name));
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < PER_CHILD; j++) assert.ok(names.has(`/app/conc/w${i}/p${j}`), `lost /app/conc/w${i}/p${j}`);
  }
  const sharedWrites = kids.reduce((n, k) => n + k.lines.filter((l) => l === 'shared').length, 0);
  assert.equal(sharedWrites, 3 * Math.ceil(PER_CHILD / SHARED_EVERY));
  const meta = (await s.describe([shared])).get(shared);
  assert.equal(meta?.state === 'found' && meta.value.version, sharedWrites, 'every overwrite of the shared name counted');
  const h = await s.history(shared, { decrypt: false });
  assert.equal(h.state === 'found' && h.value.length, sharedWrites);
  assert.deepEqual(h.state === 'found' && h.value.map((e) => e.version), Array.from({ length: sharedWrites }, (_, i) => i + 1));
  // SecureStrings written by different processes share one key and all decrypt.
  const secure = [0, 1, 2].map((i) => `/app/conc/w${i}/p${PER_CHILD - 3}`);
  const vals = await s.getValues(secure, { decrypt: true });
  for (const n of secure) assert.equal(vals.get(n)?.state === 'found' && (vals.get(n) as any).value.value, `v-${PER_CHILD - 3}`);
  assert.deepEqual(readdirSync(dir).sort(), ['.orchard-key', 'dev.json'], 'no lock or temp leftovers');
  const puts = 3 * PER_CHILD + sharedWrites;
  t.diagnostic(`concurrency: ${puts} puts from 3 processes in ${wall} ms = ${Math.round((puts / wall) * 1000)} puts/s`);
});

async function waitUntil(pred: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('writers SIGKILLed at random moments never lose a committed put or leave a broken file', async (t) => {
  const dir = tempStoreDir(t);
  const file = path.join(dir, 'dev.json');
  const committed: string[] = [];
  const rounds = 3;
  let leftTemps = 0;
  for (let round = 0; round < rounds; round++) {
    const w = spawnWriter(['loop', dir, 'dev', `/app/kill/r${round}`]);
    await w.waitFor((l) => l === 'ready');
    // Let it commit a few, then kill at a random moment.
    await waitUntil(() => w.lines.length > 3, 10_000);
    await new Promise((r) => setTimeout(r, 30 + Math.random() * 150));
    w.child.kill('SIGKILL');
    const e = await w.exited;
    assert.equal(e.signal, 'SIGKILL');
    const reported = w.lines.filter((l) => l.startsWith('ok ')).map((l) => l.slice(3));
    assert.ok(reported.length > 0);
    committed.push(...reported);

    leftTemps += readdirSync(dir).filter((n) => parseTempName(n)).length;
    JSON.parse(readFileSync(file, 'utf8')); // valid JSON: never half-written
    const s = openLocalStore({ dir, env: 'dev' });
    const present = new Set((await s.list('/app/kill')).parameters.map((p) => p.name));
    for (const n of committed) assert.ok(present.has(n), `round ${round}: committed ${n} is missing`);
    // Per kill, at most the one put in flight may have landed without being reported.
    assert.ok(present.size <= committed.length + round + 1, `round ${round}: ${present.size} present vs ${committed.length} reported`);
    // Values (incl. SecureStrings) of this round decrypt.
    const vals = await s.getValues(reported, { decrypt: true });
    for (const n of reported) assert.equal(vals.get(n)?.state, 'found', n);
    // Opening the store cleaned up the dead writer's temp files.
    assert.deepEqual(readdirSync(dir).filter((n) => parseTempName(n)), []);
  }
  t.diagnostic(`kill test: ${rounds} kills, ${committed.length} committed puts verified, ${leftTemps} stray temp files cleaned`);
});

test('a stray temp file from a dead writer is ignored and cleaned', async (t) => {
  const dir = tempStoreDir(t);
  const s = openLocalStore({ dir, env: 'dev' });
  await s.put({ name: '/app/tmp/a', value: 'committed', type: 'String', overwrite: false });
  // A pid that certainly is not running: a child that already exited.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  const stray = path.join(dir, `.dev.json.${dead}.abcdef012345.tmp`);
  writeFileSync(stray, '{"format":"orchard-local-store", half written');
  // A live writer's temp file (our own pid) must be left alone by readers.
  const live = path.join(dir, `.dev.json.${process.pid}.0123456789ab.tmp`);
  writeFileSync(live, 'in progress');
  const fresh = openLocalStore({ dir, env: 'dev' });
  assert.deepEqual((await fresh.list('/')).parameters.map((p) => p.name), ['/app/tmp/a']);
  assert.equal(existsSync(stray), false, 'dead writer temp removed on open');
  assert.equal(existsSync(live), true, 'live writer temp kept by a reader');
  // Under the lock every temp file of the env is stray.
  await fresh.put({ name: '/app/tmp/b', value: 'v', type: 'String', overwrite: false });
  assert.equal(existsSync(live), false);
});

test("a lock held by a live process times out; a killed holder's lock is taken over at once", async (t) => {
  const dir = tempStoreDir(t);
  mkdirSync(dir, { recursive: true });
  const holder = spawnWriter(['hold', dir, 'dev']);
  await holder.waitFor((l) => l === 'locked');
  const s = openLocalStore({ dir, env: 'dev', lockStaleMs: 2000, lockTimeoutMs: 2600 });
  assert.ok(existsSync(s.lockPath));
  // Alive: the holder keeps refreshing its lock, so we give up at our deadline, saying why.
  let t0 = Date.now();
  const blocked = await s.put({ name: '/app/l/a', value: 'v', type: 'String', overwrite: false });
  const waited = Date.now() - t0;
  assert.equal(blocked.ok === false && blocked.reason === 'failed' && blocked.failure.kind, 'timeout');
  assert.ok(waited >= 2500 && waited < 4500, `waited ${waited} ms`);
  assert.equal(existsSync(s.file), false);
  // Killed: the lock names a pid that no longer runs, so it is taken over without waiting.
  holder.child.kill('SIGKILL');
  await holder.exited;
  assert.ok(existsSync(s.lockPath), 'a SIGKILLed process leaves its lock behind');
  t0 = Date.now();
  const r = await s.put({ name: '/app/l/a', value: 'v', type: 'String', overwrite: false });
  const takeover = Date.now() - t0;
  assert.deepEqual(r, { ok: true, version: 1 });
  assert.ok(takeover < 1000, `took ${takeover} ms to take over a dead holder's lock (stale time 2000)`);
  assert.equal(existsSync(s.lockPath), false, 'lock released after the write');
  t.diagnostic(`lock: live holder blocked us for ${waited} ms (timeout 2600); dead holder's lock taken over after ${takeover} ms (stale 2000)`);
});
