import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openLocalStore } from '../../server/src/store/local';
import { aadFor, keyId, open, seal } from '../../server/src/store/crypto';
import { grepFiles, spawnWriter, tempStoreDir } from './local-helpers';

const CANARY = 'CANARY-7f3a9c1e-secret';
const CANARY_OLD = 'CANARY-0ld-7f3a9c1e-history';

function encodings(v: string): string[] {
  const b = Buffer.from(v, 'utf8');
  return [v, b.toString('base64'), b.toString('hex'), b.toString('base64url')];
}

test('SecureString values never reach disk in the clear (current and history)', async (t) => {
  const dir = tempStoreDir(t);
  const s = openLocalStore({ dir, env: 'dev' });
  assert.deepEqual(await s.put({ name: '/app/c/pw', value: CANARY_OLD, type: 'SecureString', description: 'db password', overwrite: false }), { ok: true, version: 1 });
  assert.deepEqual(await s.put({ name: '/app/c/pw', value: CANARY, type: 'SecureString', overwrite: true }), { ok: true, version: 2 });
  await s.put({ name: '/app/c/plain', value: 'visible-plain-value', type: 'String', overwrite: false });
  const parent = path.dirname(dir); // the key file's neighbours too
  for (const needle of [...encodings(CANARY), ...encodings(CANARY_OLD)]) {
    assert.deepEqual(grepFiles(parent, needle), [], `found ${needle} on disk`);
  }
  assert.deepEqual(grepFiles(parent, 'visible-plain-value'), [path.join(dir, 'dev.json')], 'the grep does find plain values');
  // ...and a fresh instance (new process state) decrypts both versions with the key file.
  const fresh = openLocalStore({ dir, env: 'dev' });
  const v = (await fresh.getValues(['/app/c/pw'], { decrypt: true })).get('/app/c/pw');
  assert.equal(v?.state === 'found' && v.value.value, CANARY);
  const h = await fresh.history('/app/c/pw', { decrypt: true });
  assert.deepEqual(h.state === 'found' && h.value.map((e) => e.value), [CANARY_OLD, CANARY]);
  const hidden = await fresh.history('/app/c/pw', { decrypt: false });
  assert.deepEqual(hidden.state === 'found' && hidden.value.map((e) => 'value' in e), [false, false]);
});

test('key file is 0600, store files are private, key is 32 random bytes', { skip: process.platform === 'win32' }, async (t) => {
  const dir = tempStoreDir(t);
  const s = openLocalStore({ dir, env: 'dev' });
  await s.put({ name: '/app/k/a', value: 'x', type: 'SecureString', overwrite: false });
  assert.equal(statSync(s.keyFile).mode & 0o777, 0o600);
  assert.equal(statSync(s.file).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(Buffer.from(readFileSync(s.keyFile, 'utf8').trim(), 'base64').length, 32);
  assert.deepEqual(readdirSync(dir).sort(), ['.orchard-key', 'dev.json'], 'no temp or lock leftovers');
});

test('a String-only store creates no key file', async (t) => {
  const dir = tempStoreDir(t);
  const s = openLocalStore({ dir, env: 'dev' });
  await s.put({ name: '/app/k/a', value: 'x', type: 'String', overwrite: false });
  assert.deepEqual(readdirSync(dir), ['dev.json']);
});

function editFile(file: string, edit: (j: any) => void) {
  const j = JSON.parse(readFileSync(file, 'utf8'));
  edit(j);
  writeFileSync(file, JSON.stringify(j));
}

test('tampered, swapped or wrongly-keyed ciphertext reads as unknown/corrupt, never a crash or a value', async (t) => {
  const dir = tempStoreDir(t);
  const s = openLocalStore({ dir, env: 'dev' });
  await s.put({ name: '/app/x/a', value: CANARY, type: 'SecureString', overwrite: false });
  await s.put({ name: '/app/x/b', value: 'other-secret', type: 'SecureString', overwrite: false });
  await s.put({ name: '/app/x/b', value: 'other-secret-2', type: 'SecureString', overwrite: true });
  await s.put({ name: '/app/x/p', value: 'plain', type: 'String', overwrite: false });
  const names = ['/app/x/a', '/app/x/b', '/app/x/p'];
  const expectCorrupt = async (which: string, why: RegExp) => {
    const r = await openLocalStore({ dir, env: 'dev' }).getValues(names, { decrypt: true });
    const l = r.get(which);
    assert.equal(l?.state, 'unknown', which);
    if (l?.state !== 'unknown') return;
    assert.equal(l.failure.kind, 'corrupt');
    assert.match(l.failure.message, why);
    assert.ok(l.failure.message.includes(which), 'message names the parameter');
    for (const secret of [CANARY, 'other-secret']) assert.equal(l.failure.message.includes(secret), false);
    assert.equal(r.get('/app/x/p')?.state, 'found', 'other parameters are unaffected');
    // Metadata does not need the key.
    const d = await openLocalStore({ dir, env: 'dev' }).getValues([which], { decrypt: false });
    assert.equal(d.get(which)?.state, 'found');
  };

  // 1. Flip one byte of the ciphertext.
  const original = readFileSync(s.file, 'utf8');
  editFile(s.file, (j) => {
    const sealed = j.parameters['/app/x/a'].history[0].sealed;
    const data = Buffer.from(sealed.data, 'base64');
    data[0] ^= 1;
    sealed.data = data.toString('base64');
  });
  await expectCorrupt('/app/x/a', /failed authentication/);
  const h = await openLocalStore({ dir, env: 'dev' }).history('/app/x/a', { decrypt: true });
  assert.equal(h.state === 'unknown' && h.failure.kind, 'corrupt');

  // 2. Move a's sealed value onto b (same key, valid ciphertext): AAD binds it to its name.
  writeFileSync(s.file, original);
  editFile(s.file, (j) => {
    j.parameters['/app/x/b'].history[1].sealed = j.parameters['/app/x/a'].history[0].sealed;
  });
  await expectCorrupt('/app/x/b', /failed authentication/);

  // 3. Move b's version-1 value into version 2: AAD binds it to its version too.
  writeFileSync(s.file, original);
  editFile(s.file, (j) => {
    j.parameters['/app/x/b'].history[1].sealed = j.parameters['/app/x/b'].history[0].sealed;
  });
  await expectCorrupt('/app/x/b', /failed authentication/);

  // 4. Tampered auth tag length.
  writeFileSync(s.file, original);
  editFile(s.file, (j) => {
    j.parameters['/app/x/a'].history[0].sealed.tag = 'AAAA';
  });
  await expectCorrupt('/app/x/a', /malformed/);

  // 5. Wrong key file.
  writeFileSync(s.file, original);
  const realKey = readFileSync(s.keyFile);
  writeFileSync(s.keyFile, `${randomBytes(32).toString('base64')}\n`);
  await expectCorrupt('/app/x/a', /different key/);

  // 6. Malformed key file.
  writeFileSync(s.keyFile, 'not a key');
  await expectCorrupt('/app/x/a', /malformed/);

  // 7. Missing key file: reads fail, and a SecureString put refuses to mint a new key.
  unlinkSync(s.keyFile);
  await expectCorrupt('/app/x/a', /missing/);
  const put = await openLocalStore({ dir, env: 'dev' }).put({ name: '/app/x/c', value: 'new', type: 'SecureString', overwrite: false });
  assert.equal(put.ok === false && put.reason === 'failed' && put.failure.kind, 'corrupt');
  assert.match(put.ok === false && put.reason === 'failed' ? put.failure.message : '', /restore the key file/);

  // Restoring the key restores everything.
  writeFileSync(s.keyFile, realKey);
  const ok = await openLocalStore({ dir, env: 'dev' }).getValues(names, { decrypt: true });
  assert.equal(ok.get('/app/x/a')?.state === 'found' && (ok.get('/app/x/a') as any).value.value, CANARY);
});

test('seal/open round-trip property: any text, bound to its AAD', async () => {
  const fc = await import('fast-check');
  const key = randomBytes(32);
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ maxLength: 20 }), fc.nat(1000), (value, name, version) => {
      const sealed = seal(key, value, aadFor('dev', name, version));
      assert.equal(sealed.kid, keyId(key));
      assert.deepEqual(open(key, sealed, aadFor('dev', name, version)), { ok: true, value });
      assert.equal(open(key, sealed, aadFor('dev', name, version + 1)).ok, false);
      assert.equal(open(key, sealed, aadFor('qa', name, version)).ok, false);
    }),
    { numRuns: 200 },
  );
});

test('processes racing to create the key end up with one key', async (t) => {
  const dir = tempStoreDir(t);
  const writers = [0, 1, 2].map(() => spawnWriter(['key', dir]));
  await Promise.all(writers.map((w) => w.waitFor((l) => l === 'ready')));
  for (const w of writers) w.child.stdin!.write('go\n');
  const kids = await Promise.all(writers.map((w) => w.waitFor((l) => l.startsWith('kid ') || l.startsWith('key '))));
  await Promise.all(writers.map((w) => w.exited));
  assert.equal(new Set(kids).size, 1, `different keys: ${kids.join(', ')}`);
  assert.match(kids[0], /^kid [0-9a-f]{16}$/);
  assert.deepEqual(readdirSync(dir), ['.orchard-key'], 'no temp key files left');
});
