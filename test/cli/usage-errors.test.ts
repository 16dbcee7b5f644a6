// A mistyped path, environment or an empty --env is a usage error (exit 2, one line), never an empty
// result or a fall-back to an empty local store that reports everything "missing"/"unknown".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function withHome<T>(fn: (home: string, run: (args: string[]) => { code: number; out: string; err: string }) => T): T {
  const home = mkdtempSync(path.join(os.tmpdir(), 'orchard-usage-'));
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      encoding: 'utf8',
      cwd: home,
      env: { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data'), ORCHARD_CONFIG: '', ORCHARD_STORE_DIR: path.join(home, 'store') },
      timeout: 60_000,
    });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  };
  try {
    return fn(home, run);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const SERVICE = path.join(ROOT, 'examples', 'flask-service');

test('orchard check on a path that does not exist: exit 2, one line naming it', () => {
  withHome((home, run) => {
    const r = run(['check', path.join(home, 'no-such-folder')]);
    assert.equal(r.code, 2, r.out + r.err);
    assert.equal(r.out, '');
    assert.match(r.err.trim(), /no-such-folder: no such file or folder$/);
    assert.equal(r.err.trim().split('\n').length, 1);
  });
});

test('an environment the configuration does not define is a usage error for every command', () => {
  withHome((_home, run) => {
    for (const args of [['check', SERVICE, '--env', 'prdo'], ['ls', '--env', 'prdo'], ['get', '/app/demo-service/third-wheel', '--env', 'prdo'], ['sync', SERVICE, '--plan', '--env', 'prdo']]) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
      assert.match(r.err, /environment prdo is not defined in your Orchard config \(defined: dev, qa, stage, prod\)/, args.join(' '));
      assert.doesNotMatch(r.out, /missing|unknown-in-env/, args.join(' '));
    }
  });
});

test('--env "" is an error, not "the default environments"', () => {
  withHome((_home, run) => {
    const r = run(['check', SERVICE, '--env', '']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--env is empty/);
  });
});

test('allowAdHocEnvironments in the user config lets a new name through (on the local store)', () => {
  withHome((home, run) => {
    mkdirSync(path.join(home, 'config', 'orchard'), { recursive: true });
    writeFileSync(path.join(home, 'config', 'orchard', 'config.json'), JSON.stringify({ allowAdHocEnvironments: true }));
    const r = run(['store', 'init', '--env', 'preview']);
    assert.equal(r.code, 0, r.err);
    const c = run(['check', SERVICE, '--env', 'preview']);
    assert.equal(c.code, 1, c.err);
    assert.match(c.out, /missing-in-env/);
  });
});

test('a binary config.py is an error like a binary figgy.json, not silence', () => {
  withHome((home, run) => {
    const ws = path.join(home, 'ws');
    cpSync(SERVICE, ws, { recursive: true });
    writeFileSync(path.join(ws, 'src', 'config.py'), Buffer.from([0x63, 0x6c, 0x61, 0x73, 0x73, 0x00, 0x01, 0x02]));
    const r = run(['check', ws, '--parse-only']);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /src\/config\.py:1:1: error \[binary-file\] config\.py looks like a binary file/);
  });
});
