import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultStoreDir } from '../../server/src/store/paths';

test('ORCHARD_STORE_DIR wins everywhere', () => {
  for (const platform of ['linux', 'darwin', 'win32'] as const) {
    assert.equal(defaultStoreDir({ env: { ORCHARD_STORE_DIR: '/custom/place', XDG_DATA_HOME: '/x', LOCALAPPDATA: 'C:\\L' }, platform, home: '/h' }), '/custom/place');
  }
});

test('Linux: XDG_DATA_HOME, else ~/.local/share; a relative XDG_DATA_HOME is ignored', () => {
  assert.equal(defaultStoreDir({ env: { XDG_DATA_HOME: '/data/xdg' }, platform: 'linux', home: '/home/al' }), '/data/xdg/orchard/store');
  assert.equal(defaultStoreDir({ env: {}, platform: 'linux', home: '/home/al' }), '/home/al/.local/share/orchard/store');
  assert.equal(defaultStoreDir({ env: { XDG_DATA_HOME: 'rel/dir' }, platform: 'linux', home: '/home/al' }), '/home/al/.local/share/orchard/store');
  assert.equal(defaultStoreDir({ env: { ORCHARD_STORE_DIR: '' }, platform: 'freebsd', home: '/u/b' }), '/u/b/.local/share/orchard/store');
});

test('macOS and Windows data folders', () => {
  assert.equal(defaultStoreDir({ env: { XDG_DATA_HOME: '/ignored' }, platform: 'darwin', home: '/Users/al' }), '/Users/al/Library/Application Support/orchard/store');
  assert.equal(defaultStoreDir({ env: { LOCALAPPDATA: 'C:\\Users\\al\\AppData\\Local' }, platform: 'win32', home: 'C:\\Users\\al' }), 'C:\\Users\\al\\AppData\\Local\\orchard\\store');
  assert.equal(defaultStoreDir({ env: {}, platform: 'win32', home: 'C:\\Users\\al' }), 'C:\\Users\\al\\AppData\\Local\\orchard\\store');
});

test('the default never depends on the working directory (never inside a workspace)', () => {
  const before = defaultStoreDir({ env: {}, platform: 'linux', home: '/home/al' });
  const cwd = process.cwd();
  process.chdir('/');
  try {
    assert.equal(defaultStoreDir({ env: {}, platform: 'linux', home: '/home/al' }), before);
  } finally {
    process.chdir(cwd);
  }
  assert.equal(defaultStoreDir({ env: {}, platform: 'linux', home: '/home/al' }).startsWith(cwd), false);
});
