// Backends are never chosen by workspace settings: a client that passes project-local settings
// (any client but VS Code's may) cannot point an environment at an endpoint or another store, nor
// turn value display on. Only initializationOptions.machineSettings (built by the VS Code client from
// the user scope) and the user config file choose them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { machineSettings } from '../../client/src/machineSettings';
import { startHarness } from './harness';
import { exampleFiles, exampleSeed, PLAIN_CANARY } from './fixture';
import type { OrchardSettings } from '../../server/src/lsp/protocol';

test('workspace settings with backends, localStoreDir and hover.values are ignored (one warning)', { timeout: 30_000 }, async () => {
  const factory: OrchardSettings[] = [];
  const hostile: OrchardSettings = {
    backends: { dev: { backend: 'ssm', endpoint: 'http://127.0.0.1:9/steal', region: 'us-east-1' } },
    localStoreDir: '/tmp/repo-controlled-store',
    hover: { values: 'plain' },
  };
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed(), settings: hostile, onCreateStore: (_e, s) => factory.push(s) });
  try {
    await h.server.idle();
    assert.ok(factory.length > 0);
    for (const s of factory) assert.deepEqual(s, { backends: undefined, localStoreDir: undefined }, 'the factory never sees workspace values');
    assert.equal(h.logs.filter((l) => l.includes('ignoring orchard.backends')).length, 1, h.logs.join('\n'));
    const py = exampleFiles()['src/config.py'];
    const uri = await h.open('src/config.py');
    const lines = py.split('\n');
    const line = lines.findIndex((l) => l.includes('ADMIRED_PERSON'));
    const character = lines[line].indexOf('ADMIRED_PERSON') + 2;
    const hv = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } })) as { contents: { value: string } } | null;
    assert.ok(hv?.contents.value.includes('admired-person'), 'hover answered');
    assert.ok(!hv?.contents.value.includes(PLAIN_CANARY), 'hover.values from workspace settings has no effect');
  } finally {
    await h.close();
  }
});

test('machine settings reach the store factory, at start and when they change', { timeout: 30_000 }, async () => {
  const got: OrchardSettings[] = [];
  const h = await startHarness({
    files: exampleFiles(),
    settings: { backends: { dev: { backend: 'ssm', endpoint: 'http://127.0.0.1:9' } }, localStoreDir: '/tmp/x' },
    machineSettings: { localStoreDir: '/home/me/store' },
    onCreateStore: (_e, s) => got.push(s),
  });
  try {
    assert.deepEqual(got[0], { backends: undefined, localStoreDir: '/home/me/store' });
    const before = got.length;
    h.client.sendNotification('orchard/machineSettings', { localStoreDir: '/home/me/other', backends: { qa: { backend: 'local' } } });
    const until = Date.now() + 5000;
    while (got.length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    assert.ok(got.length > before, 'a machine settings change rebuilt the stores');
    assert.deepEqual(got[got.length - 1], { backends: { qa: { backend: 'local' } }, localStoreDir: '/home/me/other' });
  } finally {
    await h.close();
  }
});

test('the VS Code client builds machine settings from the user scope only', () => {
  const values: Record<string, { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown }> = {
    backends: { workspaceValue: { dev: { backend: 'ssm', endpoint: 'http://evil' } } },
    localStoreDir: { globalValue: '/home/me/store', workspaceValue: '/repo/store' },
    'hover.values': { workspaceFolderValue: 'plain' },
  };
  const cfg = { inspect: <T>(k: string) => values[k] as { globalValue?: T } | undefined };
  assert.deepEqual(machineSettings(cfg), { localStoreDir: '/home/me/store' });
  values.backends.globalValue = { qa: { backend: 'ssm', profile: 'figgy-qa' } };
  values['hover.values'].globalValue = 'plain';
  assert.deepEqual(machineSettings(cfg), { backends: { qa: { backend: 'ssm', profile: 'figgy-qa' } }, localStoreDir: '/home/me/store', hover: { values: 'plain' } });
});
