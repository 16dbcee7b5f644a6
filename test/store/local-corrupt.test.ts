import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { openLocalStore, type LocalStore } from '../../server/src/store/local';
import type { StoreFailure } from '../../server/src/store/types';
import { tempStoreDir } from './local-helpers';

const PLAIN_CANARY = 'PLAIN-CANARY-91b2';

async function validStore(t: { after(fn: () => void): void }): Promise<LocalStore> {
  const s = openLocalStore({ dir: tempStoreDir(t), env: 'dev' });
  await s.put({ name: '/app/z/plain', value: PLAIN_CANARY, type: 'String', overwrite: false });
  await s.put({ name: '/app/z/secret', value: 'zz-secret', type: 'SecureString', overwrite: false });
  return s;
}

function assertCorrupt(f: StoreFailure | undefined, file: string, what: string) {
  assert.ok(f, `${what}: expected a failure`);
  assert.equal(f.kind, 'corrupt', what);
  assert.ok(f.message.includes(file), `${what}: message names the file: ${f.message}`);
  assert.equal(f.message.includes(PLAIN_CANARY), false, `${what}: message leaks a value`);
  assert.equal(f.message.includes('zz-secret'), false);
}

/** Every operation must answer unknown/failed with kind corrupt and leave the file byte-identical. */
async function assertAllCorrupt(file: string, dir: string, what: string) {
  const before = readFileSync(file);
  const s = openLocalStore({ dir, env: 'dev' });
  const l = await s.list('/');
  assert.deepEqual(l.parameters, []);
  assertCorrupt(l.failure, file, `${what} list`);
  for (const [, v] of await s.describe(['/app/z/plain', '/app/z/none'])) {
    assert.equal(v.state, 'unknown', `${what}: describe must not say missing`);
    assertCorrupt(v.state === 'unknown' ? v.failure : undefined, file, `${what} describe`);
  }
  for (const [, v] of await s.getValues(['/app/z/plain', '/app/z/secret'], { decrypt: true })) {
    assertCorrupt(v.state === 'unknown' ? v.failure : undefined, file, `${what} getValues`);
  }
  const h = await s.history('/app/z/plain', { decrypt: true });
  assertCorrupt(h.state === 'unknown' ? h.failure : undefined, file, `${what} history`);
  const p = await s.put({ name: '/app/z/new', value: 'v', type: 'String', overwrite: true });
  assertCorrupt(p.ok === false && p.reason === 'failed' ? p.failure : undefined, file, `${what} put`);
  const ps = await s.put({ name: '/app/z/new', value: 'v', type: 'SecureString', overwrite: true });
  assertCorrupt(ps.ok === false && ps.reason === 'failed' ? ps.failure : undefined, file, `${what} secure put`);
  const d = await s.delete('/app/z/plain');
  assertCorrupt(d.ok === false && d.reason === 'failed' ? d.failure : undefined, file, `${what} delete`);
  assert.equal(typeof (await s.changeToken()), 'string');
  assert.ok(readFileSync(file).equals(before), `${what}: the corrupt file was modified`);
}

test('invalid, truncated and wrongly shaped files are corrupt for every operation and never overwritten', async (t) => {
  const s = await validStore(t);
  const good = readFileSync(s.file, 'utf8');
  const j = JSON.parse(good);
  const variants: Record<string, string> = {
    'empty file': '',
    'whitespace only': '  \n',
    'not JSON': `{ this is "${PLAIN_CANARY}" not json`,
    'truncated (half)': good.slice(0, Math.floor(good.length / 2)),
    'truncated (last byte)': good.slice(0, good.trimEnd().length - 1),
    'top-level array': '[]',
    'top-level null': 'null',
    'wrong format tag': JSON.stringify({ ...j, format: 'something-else' }),
    'future format version': JSON.stringify({ ...j, formatVersion: 2 }),
    'other environment': JSON.stringify({ ...j, env: 'prod' }),
    'negative serial': JSON.stringify({ ...j, serial: -1 }),
    'parameters is a list': JSON.stringify({ ...j, parameters: [] }),
    'empty history': JSON.stringify({ ...j, parameters: { '/app/z/plain': { history: [] } } }),
    'invalid name': JSON.stringify({ ...j, parameters: { 'bad//name': j.parameters['/app/z/plain'] } }),
    'version not increasing': JSON.stringify({
      ...j,
      parameters: { '/app/z/plain': { history: [j.parameters['/app/z/plain'].history[0], j.parameters['/app/z/plain'].history[0]] } },
    }),
    'secret in the clear': JSON.stringify({
      ...j,
      parameters: { '/app/z/secret': { history: [{ ...j.parameters['/app/z/secret'].history[0], sealed: undefined, value: 'zz-secret' }] } },
    }),
    'bad time': JSON.stringify({
      ...j,
      parameters: { '/app/z/plain': { history: [{ ...j.parameters['/app/z/plain'].history[0], lastModified: 'yesterday' }] } },
    }),
    'unknown key': JSON.stringify({
      ...j,
      parameters: { '/app/z/plain': { history: [{ ...j.parameters['/app/z/plain'].history[0], extra: 1 }] } },
    }),
    'string value not a string': JSON.stringify({
      ...j,
      parameters: { '/app/z/plain': { history: [{ ...j.parameters['/app/z/plain'].history[0], value: 42 }] } },
    }),
    'binary garbage': Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22]).toString('latin1'),
  };
  for (const [what, text] of Object.entries(variants)) {
    writeFileSync(s.file, text);
    await assertAllCorrupt(s.file, s.dir, what);
  }
  // Restoring the good file (the user's fix) makes everything work again, including writes.
  writeFileSync(s.file, good);
  const fixed = openLocalStore({ dir: s.dir, env: 'dev' });
  assert.equal((await fixed.list('/')).parameters.length, 2);
  assert.deepEqual(await fixed.put({ name: '/app/z/new', value: 'v', type: 'String', overwrite: false }), { ok: true, version: 1 });
});

test('a store that was readable, then corrupted, is not served from its cache', async (t) => {
  const s = await validStore(t);
  assert.equal((await s.list('/')).parameters.length, 2);
  writeFileSync(s.file, '{"truncated": ');
  await assertAllCorrupt(s.file, s.dir, 'after cache');
  const l = await s.list('/');
  assert.equal(l.failure?.kind, 'corrupt', 'the same instance notices too');
  const p = await s.put({ name: '/app/z/x', value: 'v', type: 'String', overwrite: true });
  assert.equal(p.ok, false);
});

test('moving the corrupt file away gives an empty store (the user decides), with the hint shown', async (t) => {
  const s = await validStore(t);
  writeFileSync(s.file, 'garbage');
  const l = await s.list('/');
  assert.match(l.failure?.hint ?? '', /mv /);
  renameSync(s.file, `${s.file}.broken`);
  assert.deepEqual(await s.list('/'), { parameters: [] });
  assert.deepEqual(await s.put({ name: '/app/z/plain', value: 'v', type: 'String', overwrite: false }), { ok: true, version: 1 });
});

test('a directory where the env file should be is reported, not crashed on', async (t) => {
  const dir = tempStoreDir(t);
  mkdirSync(path.join(dir, 'dev.json'), { recursive: true });
  const s = openLocalStore({ dir, env: 'dev' });
  const l = await s.list('/');
  assert.ok(l.failure, 'a failure, not an empty listing');
  assert.notEqual((await s.describe(['/app/a'])).get('/app/a')?.state, 'missing');
  const p = await s.put({ name: '/app/a', value: 'v', type: 'String', overwrite: true });
  assert.equal(p.ok, false);
});

test('format v1 fixture (committed file + key) still reads exactly', async (t) => {
  const dir = tempStoreDir(t);
  cpSync(path.join(__dirname, 'fixtures', 'v1'), dir, { recursive: true });
  const s = openLocalStore({ dir, env: 'dev' });
  const l = await s.list('/app/demo-service');
  assert.deepEqual(
    l.parameters.map((p) => [p.name, p.type, p.version, p.lastModifiedBy, p.description]),
    [
      ['/app/demo-service/admired-person', 'String', 1, 'local:fixture@fixture-host', 'who is admired'],
      ['/app/demo-service/secret-admirer', 'SecureString', 2, 'local:fixture@fixture-host', undefined],
    ],
  );
  const v = await s.getValues(['/app/demo-service/secret-admirer', '/app/demo-service/admired-person', '/app/demo-service/old'], { decrypt: true });
  assert.equal((v.get('/app/demo-service/secret-admirer') as any).value.value, 'fixture-secret-2');
  assert.equal((v.get('/app/demo-service/admired-person') as any).value.value, 'Ada Lovelace');
  assert.deepEqual(v.get('/app/demo-service/old'), { state: 'missing' });
  const h = await s.history('/app/demo-service/secret-admirer', { decrypt: true });
  assert.deepEqual(h.state === 'found' && h.value.map((e) => [e.version, e.value, e.lastModified]), [
    [1, 'fixture-secret-1', '2024-05-01T09:02:00.000Z'],
    [2, 'fixture-secret-2', '2024-05-01T09:03:00.000Z'],
  ]);
  const old = await s.history('/app/demo-service/old', { decrypt: false });
  assert.deepEqual(old.state === 'found' && old.value.map((e) => [e.version, e.deleted ?? false]), [
    [1, false],
    [2, true],
  ]);
});

test('the file validator never throws and never accepts junk (fuzz, bounded)', async () => {
  const fc = await import('fast-check');
  const { parseStoreFile, serialise } = await import('../../server/src/store/local-format');
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.json({ maxDepth: 4 })), (text) => {
      const r = parseStoreFile(text, 'dev');
      // Random text is never a valid store, and the reason never echoes the input.
      if (r.ok) assert.fail(`accepted ${text}`);
      if (text.length > 12) assert.equal(r.reason.includes(text), false);
    }),
    { numRuns: 300 },
  );
  // Random well-formed stores survive serialise → parse unchanged.
  const version = fc.record({
    type: fc.constant('String' as const),
    value: fc.string({ maxLength: 30 }),
    description: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
  });
  const name = fc.array(fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/), { minLength: 1, maxLength: 4 }).map((segs) => `/${segs.join('/')}`);
  fc.assert(
    fc.property(fc.dictionary(name, fc.array(version, { minLength: 1, maxLength: 3 }), { maxKeys: 8 }), (dict) => {
      const params = new Map(
        Object.entries(dict)
          .filter(([n]) => !/^\/(aws|ssm)/i.test(n))
          .map(([n, vs]) => [
            n,
            // Through JSON so absent descriptions are absent keys, as in a real file.
            vs.map((v, i) => JSON.parse(JSON.stringify({ ...v, version: i + 1, lastModified: '2024-01-01T00:00:00.000Z' }))),
          ]),
      );
      const data = { env: 'dev', serial: 3, params };
      const back = parseStoreFile(serialise(data), 'dev');
      assert.ok(back.ok, back.ok ? '' : back.reason);
      assert.deepEqual(back.data, data);
    }),
    { numRuns: 150 },
  );
});
