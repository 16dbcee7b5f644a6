// Files a compose `env_file` names that no convention names (lemur's `docker/lemur-env`) through the
// real server: read at start-up as compose reads them, watched by name, followed when they change
// on disk and when the open compose file names others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { startHarness } from './harness';

const KEY_ID = 'AKIA' + 'Q3EGRQWXJ2Z7N4PH';
const COMPOSE = 'services:\n  web:\n    build: .\n    env_file: [app-env]\n';
const FILES = {
  'deploy/docker-compose.yml': COMPOSE,
  'deploy/Dockerfile': 'FROM python:3.12-slim\n',
  'deploy/app-env': `APP_MODE=1\nAPI_KEY_ID: ${KEY_ID}\n`,
  'deploy/other-vars': 'APP_MODE=1\nAPI_KEY_ID=placeholder\nNOT_SET=1\n',
  'deploy/app.py': 'import os\nA = os.environ["APP_MODE"]\nB = os.environ["API_KEY_ID"]\nC = os.environ["NOT_SET"]\n',
};

type Reg = { registrations: { registerOptions?: { watchers?: { globPattern: string }[] } }[] };
const codes = (d: { code?: unknown; range: { start: { line: number } } }[]) => d.map((x) => `${String(x.code)}:${x.range.start.line}`).sort();

test('a file only compose names is read, watched by name, and followed on disk and in the open compose file', { timeout: 60_000 }, async (t) => {
  const h = await startHarness({ files: FILES });
  t.after(() => h.close());
  const app = h.uri('deploy/app.py');
  const appEnv = h.uri('deploy/app-env');
  // Read as compose reads it (`KEY: value` too): only NOT_SET is not provided, and the key is found.
  assert.deepEqual(codes(await h.waitForDiagnostics(app, (d) => d.some((x) => x.code === 'env-not-provided'))), ['env-not-provided:3']);
  assert.deepEqual(codes(await h.waitForDiagnostics(appEnv, (d) => d.length > 0)), ['credential-aws-access-key-id:1']);
  const watched = () =>
    h.notifications
      .filter((n) => n.method === 'client/registerCapability')
      .flatMap((n) => (n.params as Reg).registrations.flatMap((r) => r.registerOptions?.watchers ?? []).map((w) => w.globPattern))
      .filter((g) => !g.includes('*.') && !g.includes('{'));
  await waitFor(() => watched().includes('**/app-env'));

  // Changed on disk: followed like any watched file.
  writeFileSync(path.join(h.root, 'deploy/app-env'), 'APP_MODE=1\nAPI_KEY_ID=placeholder\nNOT_SET=1\n');
  h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: appEnv, type: 2 }] });
  await h.waitForDiagnostics(app, (d) => d.length === 0);
  await h.waitForDiagnostics(appEnv, (d) => d.length === 0);

  // The open compose file names another file: that one is read and watched, the first dropped.
  h.client.sendNotification('textDocument/didOpen', { textDocument: { uri: h.uri('deploy/docker-compose.yml'), languageId: 'yaml', version: 1, text: COMPOSE } });
  writeFileSync(path.join(h.root, 'deploy/app-env'), `NOT_SET=1\nKEY_ID=${KEY_ID}\n`);
  h.change('deploy/docker-compose.yml', 2, COMPOSE.replace('app-env', 'other-vars'));
  await waitFor(() => watched().includes('**/other-vars'));
  await h.waitForDiagnostics(app, (d) => d.length === 0);
  // app-env is no longer read: its new key is not reported, though it changed on disk.
  h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: appEnv, type: 2 }] });
  const apps = (await h.client.sendRequest('orchard/apps', {})) as { apps: { sources: { label: string }[] }[] };
  assert.deepEqual(apps.apps.flatMap((a) => a.sources.map((s) => s.label)), ['other-vars', 'Dockerfile']);
  assert.deepEqual(h.diagnostics.get(appEnv) ?? [], []);
});

async function waitFor(pred: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
