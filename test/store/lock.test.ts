// The local store's lock record: who holds it, and whether that holder still runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireLock, judge, ownRecord, processStart } from '../../server/src/store/lock';
import { tempStoreDir } from './local-helpers';

const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());

test('judge: our own record is alive; a dead pid, a reused pid or another boot is dead; another host is unknown', () => {
  const me = ownRecord('n1');
  assert.equal(judge(me).state, 'alive');
  assert.equal(judge({ ...me, pid: deadPid() }).state, 'dead');
  if (processStart(process.pid)) assert.equal(judge({ ...me, start: '1' }).state, 'dead', 'same pid, other start time');
  if (me.boot) assert.equal(judge({ ...me, boot: 'another-boot' }).state, 'dead');
  assert.equal(judge({ ...me, host: `${os.hostname()}-elsewhere` }).state, 'unknown');
  if (me.pidns) assert.equal(judge({ ...me, pidns: 'pid:[1]' }).state, 'unknown');
  assert.equal(judge(undefined).state, 'unknown');
});

test("a dead holder's lock is taken over at once; an unjudgeable one after the stale time", async (t) => {
  const dir = tempStoreDir(t);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'dev.json');
  writeFileSync(`${file}.lock`, JSON.stringify({ ...ownRecord('dead'), pid: deadPid() }));
  let t0 = Date.now();
  const a = await acquireLock(file, { staleMs: 5000, timeoutMs: 10_000 });
  assert.equal(a.ok, true);
  assert.ok(Date.now() - t0 < 1000);
  assert.match(a.ok && a.tookOver ? a.tookOver : '', /no longer running/);
  if (a.ok) await a.lock.release();
  assert.equal(existsSync(`${file}.lock`), false);
  // Another host's lock: judged by its heartbeat only.
  writeFileSync(`${file}.lock`, JSON.stringify({ ...ownRecord('remote'), host: 'some-other-host' }));
  t0 = Date.now();
  const b = await acquireLock(file, { staleMs: 1000, timeoutMs: 5000 });
  const waited = Date.now() - t0;
  assert.equal(b.ok, true);
  assert.ok(waited >= 900 && waited < 3000, `${waited} ms`);
  if (b.ok) await b.lock.release();
  t.diagnostic(`unjudgeable holder taken over after ${waited} ms (stale 1000)`);
});

test('a holder whose lock was taken over knows it before committing', async (t) => {
  const dir = tempStoreDir(t);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'dev.json');
  const a = await acquireLock(file, { staleMs: 5000, timeoutMs: 1000 });
  assert.ok(a.ok);
  if (!a.ok) return;
  assert.equal(a.lock.stillOurs(), true);
  // Someone replaces the lock (as a takeover would).
  unlinkSync(`${file}.lock`);
  writeFileSync(`${file}.lock`, JSON.stringify(ownRecord('other')));
  assert.equal(a.lock.stillOurs(), false);
  await a.lock.release();
  assert.equal(existsSync(`${file}.lock`), true, "release leaves someone else's lock alone");
});
