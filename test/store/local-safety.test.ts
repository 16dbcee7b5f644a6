// The local store's file-system edge cases: a symlinked environment file keeps its link (the write
// lands in the target), a dangling link is reported, loose modes on the folder, key and files are
// tightened and reported, and a store folder that does not exist is never an empty store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openLocalStore } from '../../server/src/store/local';
import { tempStoreDir } from './local-helpers';

const POSIX = process.platform !== 'win32';

test('a symlinked environment file stays a link; the write lands in its target', { skip: !POSIX }, async (t) => {
  const dir = tempStoreDir(t);
  const seed = openLocalStore({ dir, env: 'dev' });
  await seed.put({ name: '/app/l/a', value: 'one', type: 'String', overwrite: false });
  const elsewhere = path.join(path.dirname(dir), 'elsewhere');
  mkdirSync(elsewhere, { mode: 0o700 });
  const target = path.join(elsewhere, 'dev.json');
  writeFileSync(target, readFileSync(path.join(dir, 'dev.json')), { mode: 0o600 });
  const link = path.join(dir, 'dev.json');
  unlinkSync(link);
  symlinkSync(target, link);
  const s = openLocalStore({ dir, env: 'dev' });
  assert.equal((await s.put({ name: '/app/l/b', value: 'two', type: 'SecureString', overwrite: false })).ok, true);
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
  assert.equal(readlinkSync(link), target);
  assert.match(readFileSync(target, 'utf8'), /\/app\/l\/b/);
  assert.deepEqual((await openLocalStore({ dir, env: 'dev' }).list('/app/l')).parameters.map((p) => p.name), ['/app/l/a', '/app/l/b']);
});

test('a dangling link as the environment file is reported, never replaced', { skip: !POSIX }, async (t) => {
  const dir = tempStoreDir(t);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  symlinkSync(path.join(dir, 'nowhere.json'), path.join(dir, 'dev.json'));
  const s = openLocalStore({ dir, env: 'dev' });
  const l = await s.list('/');
  assert.match(l.failure?.message ?? '', /symbolic link to a missing file/);
  const p = await s.put({ name: '/app/x', value: 'v', type: 'String', overwrite: false });
  assert.equal(p.ok === false && p.reason === 'failed' && /symbolic link to a missing file/.test(p.failure.message), true, JSON.stringify(p));
  assert.ok(lstatSync(path.join(dir, 'dev.json')).isSymbolicLink());
});

test('loose modes on the folder, key file and environment file are tightened and reported', { skip: !POSIX || process.getuid?.() === undefined }, async (t) => {
  const dir = tempStoreDir(t);
  const s = openLocalStore({ dir, env: 'dev' });
  await s.put({ name: '/app/m/a', value: 'secret', type: 'SecureString', overwrite: false });
  chmodSync(dir, 0o755);
  chmodSync(path.join(dir, '.orchard-key'), 0o644);
  chmodSync(path.join(dir, 'dev.json'), 0o664);
  const warnings: string[] = [];
  const fresh = openLocalStore({ dir, env: 'dev', onWarning: (m) => warnings.push(m) });
  assert.equal((await fresh.list('/')).failure, undefined);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(path.join(dir, '.orchard-key')).mode & 0o777, 0o600);
  assert.equal(statSync(path.join(dir, 'dev.json')).mode & 0o777, 0o600);
  assert.equal(warnings.length, 3, warnings.join('\n'));
  assert.match(warnings.join('\n'), /local store folder .* was accessible to other users \(mode 0755\); changed it to 0700/);
  assert.match(warnings.join('\n'), /key file .* \(mode 0644\); changed it to 0600/);
  // Once fixed, nothing more to say.
  const again: string[] = [];
  await openLocalStore({ dir, env: 'dev', onWarning: (m) => again.push(m) }).list('/');
  assert.deepEqual(again, []);
});

test('a write creates a missing store and says so; a read never does', async (t) => {
  const dir = tempStoreDir(t);
  const warnings: string[] = [];
  const s = openLocalStore({ dir, env: 'dev', onWarning: (m) => warnings.push(m) });
  assert.match((await s.list('/')).failure?.message ?? '', /there is no local store at/);
  assert.equal((await s.put({ name: '/app/c/a', value: 'v', type: 'String', overwrite: false })).ok, true);
  assert.deepEqual(warnings, [`created a new local store at ${dir}`]);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
});
