// FIFOs, devices and directories where Orchard expects a file: every reader refuses them at once
// with a clear message (nothing blocks on a FIFO without a writer, nothing reads /dev/urandom).
// Each CLI run has a hard timeout; a hang fails the test instead of hanging the suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readRegularFile, readRegularFileSync } from '../../server/src/fsread';
import { scanWorkspace } from '../../server/src/model/scan';
import { openLocalStore } from '../../server/src/store/local';
import { startHarness } from '../lsp/harness';
import { exampleFiles } from '../lsp/fixture';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const CAN_FIFO = process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).status === 0;

function base(t: { after(fn: () => void): void }): string {
  const b = mkdtempSync(path.join(tmpdir(), 'orchard-special-'));
  t.after(() => rmSync(b, { recursive: true, force: true }));
  return b;
}

function mkfifo(p: string): void {
  const r = spawnSync('mkfifo', [p]);
  assert.equal(r.status, 0, String(r.stderr));
}

/** Runs the built CLI; resolves with its output, or reports a hang after `ms`. */
function cli(args: string[], env: Record<string, string>, input?: string, ms = 15_000): Promise<{ code: number | null; out: string; ms: number; hung: boolean }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    // Without `input`, stdin stays an open pipe with no data: a reader that waits on it would hang.
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin.end(input);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, ms);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, ms: Date.now() - t0, hung });
    });
  });
}

test('the shared reader refuses FIFOs, devices and directories at once, and caps sizes', { skip: !CAN_FIFO && 'no mkfifo here' }, async (t) => {
  const b = base(t);
  const fifo = path.join(b, 'fifo');
  mkfifo(fifo);
  const big = path.join(b, 'big');
  writeFileSync(big, 'x'.repeat(2048));
  for (const p of [fifo, '/dev/urandom', '/dev/zero', '/dev/null', '/dev/stdin', b]) {
    const t0 = performance.now();
    const r = await readRegularFile(p, { maxBytes: 1024 });
    const s = readRegularFileSync(p, { maxBytes: 1024 });
    assert.equal(r.ok, false, p);
    assert.equal(s.ok, false, p);
    assert.ok(performance.now() - t0 < 1000, `${p} took ${performance.now() - t0} ms`);
    if (!r.ok) assert.match(r.message, /not a regular file|directory/, p);
  }
  const r = await readRegularFile(big, { maxBytes: 1024 });
  assert.equal(r.ok === false && r.reason, 'too-large');
  assert.equal((await readRegularFile(big, { maxBytes: 4096 })).ok, true);
  // Symbolic links to special files are followed and refused the same way.
  symlinkSync(fifo, path.join(b, 'link'));
  assert.equal((await readRegularFile(path.join(b, 'link'), { maxBytes: 1024 })).ok, false);
});

test('the language server starting on a workspace with FIFOs named config.py and .env: ready, the other files checked, no hang', { skip: !CAN_FIFO && 'no mkfifo here', timeout: 30_000 }, async () => {
  const h = await startHarness({
    files: exampleFiles(),
    prepare: (root) => {
      mkdirSync(path.join(root, 'other', 'src'), { recursive: true });
      mkfifo(path.join(root, 'other', 'src', 'config.py'));
      mkfifo(path.join(root, '.env'));
    },
  });
  try {
    const d = await h.waitForDiagnostics(h.uri('src/config.py'), (x) => x.length > 0);
    assert.ok(d.some((x) => x.code === 'missing-in-env'));
  } finally {
    await h.close();
  }
});

test('figgy.json importing a FIFO or /dev/urandom: one error each, no hang', { skip: !CAN_FIFO && 'no mkfifo here' }, async (t) => {
  const ws = path.join(base(t), 'ws');
  // figgy-cli reads ws/figgy.json's imports from ws/figgy/.
  mkdirSync(path.join(ws, 'figgy'), { recursive: true });
  mkfifo(path.join(ws, 'figgy', 'pipe.json'));
  symlinkSync('/dev/urandom', path.join(ws, 'figgy', 'random.json'));
  writeFileSync(path.join(ws, 'figgy.json'), JSON.stringify({ twig: '/app/f', app_figs: ['a'], import: ['pipe.json', 'random.json'] }));
  const t0 = performance.now();
  const m = (await scanWorkspace(ws, { allowImportsFrom: ['/dev'] })).figgyJson[0];
  const ms = performance.now() - t0;
  const errs = m.errors.filter((e) => e.code === 'json-import-unreadable');
  assert.equal(errs.length, 2, JSON.stringify(m.errors));
  assert.match(errs[0].message, /pipe\.json.*a FIFO \(named pipe\), not a regular file/);
  assert.match(errs[1].message, /random\.json.*a character device, not a regular file/);
  assert.ok(ms < 2000, `${ms} ms`);
  // A FIFO named like a config file in the tree is skipped by the scan (not a regular file).
  mkfifo(path.join(ws, 'config.py'));
  const r = await cli(['check', ws, '--parse-only'], {});
  assert.equal(r.hung, false, 'check hung');
  t.diagnostic(`imports of a FIFO and /dev/urandom: ${ms.toFixed(0)} ms; check over a tree with a FIFO config.py: ${r.ms} ms`);
});

test('a FIFO as the store file, the key file, the config, --value-file or --values: clear errors, no hang', { skip: !CAN_FIFO && 'no mkfifo here', timeout: 120_000 }, async (t) => {
  const b = base(t);
  const store = path.join(b, 'store');
  const seeded = openLocalStore({ dir: store, env: 'qa' });
  assert.equal((await seeded.put({ name: '/app/f/a', value: 'v', type: 'String', overwrite: false })).ok, true);
  mkfifo(path.join(store, 'dev.json'));
  const config = path.join(b, 'config.json');
  writeFileSync(config, JSON.stringify({ environments: { dev: { backend: 'local' }, qa: { backend: 'local' } } }));
  const env = { ORCHARD_CONFIG: config, ORCHARD_STORE_DIR: store };
  const ws = path.join(b, 'ws');
  mkdirSync(ws);
  writeFileSync(path.join(ws, 'figgy.json'), JSON.stringify({ twig: '/app/f', app_figs: ['a'] }));
  const times: string[] = [];
  const expect = async (args: string[], e: Record<string, string>, pattern: RegExp, code: number, input?: string) => {
    const r = await cli(args, e, input);
    assert.equal(r.hung, false, `${args.join(' ')} hung`);
    assert.match(r.out, pattern, `${args.join(' ')}: ${r.out}`);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.out}`);
    times.push(`${args[0]} ${r.ms} ms`);
  };
  await expect(['get', '/app/f/a', '--env', 'dev'], env, /is corrupt: it is a FIFO \(named pipe\), not a regular file/, 2);
  await expect(['check', ws, '--env', 'dev'], env, /could not check .* in dev: local store file .*dev\.json is corrupt: it is a FIFO/i, 2);
  await expect(['sync', ws, '--env', 'dev', '--plan'], env, /cannot plan: .*FIFO/, 2);
  await expect(['put', '/app/f/b', '--env', 'dev', '--value-file', '-'], env, /FIFO/, 2, 'value');
  const fifoValue = path.join(b, 'value');
  mkfifo(fifoValue);
  await expect(['put', '/app/f/b', '--env', 'qa', '--value-file', fifoValue], env, /cannot read --value-file .*: a FIFO \(named pipe\), not a regular file/, 2);
  await expect(['put', '/app/f/b', '--env', 'qa', '--value-file', '/dev/urandom'], env, /cannot read --value-file \/dev\/urandom: a character device/, 2);
  await expect(['sync', ws, '--env', 'qa', '--values', fifoValue], env, /cannot read --values file .*FIFO/, 2);
  const fifoConfig = path.join(b, 'fifo-config.json');
  mkfifo(fifoConfig);
  await expect(['ls', '--env', 'qa'], { ...env, ORCHARD_CONFIG: fifoConfig }, /cannot read config \(a FIFO \(named pipe\), not a regular file\)/, 2);
  // The key file as a FIFO: a SecureString write fails with a message, nothing waits.
  const store2 = path.join(b, 'store2');
  mkdirSync(store2, { mode: 0o700 });
  mkfifo(path.join(store2, '.orchard-key'));
  await expect(['put', '/app/f/s', '--env', 'qa', '--secure', '--value-file', '-', '--store', store2], env, /key file .* \(a FIFO \(named pipe\), not a regular file\)/, 2, 'secret');
  t.diagnostic(`special files via the CLI: ${times.join(', ')}`);
});

test('/dev/urandom piped into put --value-file - stops at the value cap instead of eating memory', { skip: process.platform === 'win32' }, async () => {
  const r = spawnSync(process.execPath, [CLI, 'put', '/app/f/r', '--env', 'dev', '--value-file', '-'], {
    stdio: [openSync('/dev/urandom', 'r'), 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ORCHARD_STORE_DIR: path.join(tmpdir(), 'orchard-never-created') },
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /cannot read the value from standard input: .* is above the 1\.0 MiB limit/);
});
