// Starts the BUILT bundle (`npm run build` → dist/server.js) over stdio, like any editor would, and
// gets diagnostics for the example service. A bundle that cannot start fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type Diagnostic } from 'vscode-languageserver/node';
import { seedStore, writeTree } from './harness';
import { CANARY, exampleFiles, exampleSeed } from './fixture';

const BUNDLE = path.join(__dirname, '..', '..', 'dist', 'server.js');

test('built dist/server.js --stdio publishes diagnostics for the example service', { timeout: 60000 }, async () => {
  assert.ok(existsSync(BUNDLE), 'dist/server.js missing: run `npm run build` first');
  const base = mkdtempSync(path.join(tmpdir(), 'orchard-smoke-'));
  const root = path.join(base, 'ws');
  const storeDir = path.join(base, 'store');
  mkdirSync(storeDir, { recursive: true });
  writeTree(root, exampleFiles());
  await seedStore(storeDir, exampleSeed());
  // A private config home, so the user's own Orchard config cannot change the outcome.
  const child = spawn(process.execPath, [BUNDLE, '--stdio'], {
    // The store folder comes from the user's environment: settings from the client cannot choose it.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(base, 'config'), XDG_DATA_HOME: path.join(base, 'data'), ORCHARD_CONFIG: '', ORCHARD_STORE_DIR: storeDir },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const logs: string[] = [];
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const settings = { environments: ['dev', 'qa', 'prod'], refreshInterval: 0 };
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  conn.onRequest('client/registerCapability', () => null);
  conn.onNotification('window/logMessage', (m: { message: string }) => void logs.push(m.message));
  const configUri = pathToFileURL(path.join(root, 'src', 'config.py')).href;
  const got = new Promise<Diagnostic[]>((resolve) => {
    conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
      if (p.uri === configUri && p.diagnostics.some((d) => d.code === 'missing-in-env')) resolve(p.diagnostics);
    });
  });
  conn.listen();
  try {
    const rootUri = pathToFileURL(root).href;
    const init = (await conn.sendRequest('initialize', {
      processId: null,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'ws' }],
      capabilities: { workspace: { configuration: true } },
      initializationOptions: { workspaceTrusted: true },
    })) as { serverInfo?: { name: string } };
    assert.equal(init.serverInfo?.name, 'orchard-language-server');
    conn.sendNotification('initialized', {});
    // No didOpen: the workspace scan alone reports findings for files on disk.
    const diags = await got;
    const tw = diags.find((d) => d.code === 'missing-in-env' && String(d.message).includes('third-wheel'));
    assert.ok(tw, JSON.stringify(diags.map((d) => d.message)));
    assert.match(String(tw.message), /qa and prod/);
    for (const l of logs) assert.ok(!l.includes(CANARY));
    assert.ok(!stderr.includes(CANARY));
    await conn.sendRequest('shutdown');
    const exited = new Promise((r) => child.once('exit', r));
    await conn.sendNotification('exit');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  } finally {
    conn.dispose();
    if (child.exitCode === null) child.kill();
    rmSync(base, { recursive: true, force: true });
  }
});
