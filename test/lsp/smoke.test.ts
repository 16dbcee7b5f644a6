// Starts the BUILT bundle (`npm run build` → dist/server.js) over stdio, like any editor would, and
// gets diagnostics for the example service. A bundle that cannot start fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver/node';
import { seedStore, writeTree } from './harness';
import { CANARY, exampleFiles, exampleSeed } from './fixture';
import { startBuilt } from './built';

test('built dist/server.js --stdio publishes diagnostics for the example service', { timeout: 60000 }, async () => {
  const base = mkdtempSync(path.join(tmpdir(), 'orchard-smoke-'));
  const root = path.join(base, 'ws');
  const storeDir = path.join(base, 'store');
  mkdirSync(storeDir, { recursive: true });
  writeTree(root, exampleFiles());
  await seedStore(storeDir, exampleSeed());
  const configUri = pathToFileURL(path.join(root, 'src', 'config.py')).href;
  let resolve!: (d: Diagnostic[]) => void;
  const got = new Promise<Diagnostic[]>((r) => (resolve = r));
  const s = await startBuilt({
    base,
    root,
    storeDir,
    listen: (conn) =>
      conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
        if (p.uri === configUri && p.diagnostics.some((d) => d.code === 'missing-in-env')) resolve(p.diagnostics);
      }),
  });
  try {
    assert.equal(s.init.serverInfo?.name, 'orchard-language-server');
    // No didOpen: the workspace scan alone reports findings for files on disk.
    const diags = await got;
    const tw = diags.find((d) => d.code === 'missing-in-env' && String(d.message).includes('third-wheel'));
    assert.ok(tw, JSON.stringify(diags.map((d) => d.message)));
    assert.match(String(tw.message), /qa and prod/);
    for (const l of s.logs) assert.ok(!l.includes(CANARY));
    assert.ok(!s.stderr().includes(CANARY));
  } finally {
    await s.close();
    rmSync(base, { recursive: true, force: true });
  }
});
