// The language server reads JSON files of any name as Figgy files when their content is Figgy's
// (ci-config.json, figgy-dba.json...), follows a JSON document that becomes one while it is typed,
// and `orchard.figgyJsonFiles` narrows which JSON files it looks at.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { startHarness } from './harness';

const CI = '{\n  "twig": "/app/ci",\n  "app_figs": ["token", "token"]\n}\n';

async function pull(h: Awaited<ReturnType<typeof startHarness>>, uri: string): Promise<Diagnostic[]> {
  return ((await h.client.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { items: Diagnostic[] }).items;
}

test('a JSON file with Figgy keys gets diagnostics whatever its name; one without does not', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: { 'deploy/ci-config.json': CI, 'package.json': '{"name": "x"}\n' }, pull: true, trusted: false });
  try {
    const ci = await h.open('deploy/ci-config.json');
    const d = await pull(h, ci);
    assert.deepEqual(
      d.map((x) => [x.code, x.severity]),
      [['duplicate-declaration', 1]],
      'figgy-cli rejects app_figs listing an entry twice',
    );
    const pkg = await h.open('package.json');
    assert.deepEqual(await pull(h, pkg), []);
    // Typing Figgy keys into an open JSON document makes it a Figgy file.
    h.change('package.json', 2, '{"twig": "/app/pkg", "app_figs": ["a", "a"]}');
    assert.deepEqual((await pull(h, pkg)).map((x) => x.code), ['duplicate-declaration']);
  } finally {
    await h.close();
  }
});

test('orchard.figgyJsonFiles narrows recognition by content (here: none but the standard names)', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: { 'deploy/ci-config.json': CI }, pull: true, trusted: false, settings: { figgyJsonFiles: [] } });
  try {
    const ci = await h.open('deploy/ci-config.json');
    assert.deepEqual(await pull(h, ci), []);
  } finally {
    await h.close();
  }
});
