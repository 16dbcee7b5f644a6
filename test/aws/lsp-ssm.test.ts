// The language server with SSM Parameter Store (moto) as the backend of every environment:
// diagnostics for several environments, hover data, tree listing, status identity, and the
// canary SecureString never on the wire or in logs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover } from 'vscode-languageserver/node';
import { SsmStore } from '../../server/src/store/ssm';
import type { StatusResult, TreeChildrenResult } from '../../server/src/lsp/protocol';
import { startHarness } from '../lsp/harness';
import { CANARY, exampleFiles, exampleSeed } from '../lsp/fixture';
import { startMoto, useDummyAwsEnv, type Moto } from './moto';

let moto: Moto;
let restoreEnv: () => void;
const stores: SsmStore[] = [];
// One moto, one region per environment: as separate as accounts for what is checked here.
const REGION: Record<string, string> = { dev: 'us-east-1', qa: 'us-west-2', prod: 'eu-west-1' };

function ssm(env: string): SsmStore {
  const s = new SsmStore({ env, config: { backend: 'ssm', region: REGION[env], endpoint: moto.endpoint, timeoutMs: 5000, maxAttempts: 2 }, minChangeCheckMs: 0 });
  stores.push(s);
  return s;
}

before(async () => {
  restoreEnv = useDummyAwsEnv();
  moto = await startMoto();
  for (const [env, items] of Object.entries(exampleSeed())) {
    const s = ssm(env);
    for (const [name, value, type] of items) {
      const r = await s.put({ name, value, type, overwrite: false });
      assert.equal(r.ok, true, JSON.stringify(r));
    }
  }
});

after(async () => {
  for (const s of stores) s.dispose();
  await moto?.stop();
  restoreEnv?.();
});

test('language server on SSM: diagnostics per env, redacted hover, tree, identity; no canary leaves the server', { timeout: 60000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), storeFactory: (env) => ssm(env) });
  try {
    const uri = await h.open('src/config.py');
    const diags = await h.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'missing-in-env'), 30000);
    const third = diags.find((d) => d.code === 'missing-in-env' && String(d.message).includes('third-wheel'));
    assert.ok(third, JSON.stringify(diags.map((d) => d.message)));
    assert.match(String(third!.message), /missing in qa and prod/);
    assert.deepEqual(third!.relatedInformation?.map((r) => r.message), ['also declared here (figgy.json)']);
    assert.ok(!diags.some((d) => String(d.message).includes('missing in dev')));

    const text = exampleFiles()['src/config.py'];
    const line = text.split('\n').findIndex((l) => l.includes('SECRET_ADMIRER ='));
    const hover = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 6 } })) as Hover;
    const md = typeof hover.contents === 'string' ? hover.contents : 'value' in hover.contents ? hover.contents.value : '';
    assert.match(md, /\/app\/demo-service\/secret-admirer/);
    assert.match(md, /✓ present 🔒/, 'a SecureString is marked with the lock');
    assert.match(md, /prod[^\n]*missing/);
    assert.ok(!md.includes(CANARY));

    const tree = (await h.client.sendRequest('orchard/tree/children', { env: 'qa', prefix: '/app/demo-service' })) as TreeChildrenResult;
    const labels = tree.nodes.map((n) => n.label);
    assert.ok(labels.includes('secret-admirer') && labels.includes('replicated'), JSON.stringify(labels));
    // qa lacks third-wheel: an entry marked missing, not a present parameter.
    assert.deepEqual(tree.nodes.filter((n) => n.label === 'third-wheel').map((n) => [n.status, n.info]), [['missing', undefined]]);

    const status = (await h.client.sendRequest('orchard/status', {})) as StatusResult;
    assert.deepEqual(status.envs.map((e) => e.backendKind), ['ssm', 'ssm', 'ssm']);
    assert.match(status.envs[0].identity ?? '', /^arn:aws:/);

    for (const m of [...h.wire, ...h.logs]) assert.ok(!m.includes(CANARY), 'canary left the server');
  } finally {
    await h.close();
  }
});
