// Backend state in the server: typing never calls a backend; store changes made elsewhere reach
// diagnostics through the change-token poll; watched files; per-rule severity settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver/node';
import { startHarness } from './harness';
import { exampleFiles, exampleSeed } from './fixture';
import { openLocalStore } from '../../server/src/store/local';
import type { ParameterStore } from '../../server/src/store/types';

const text = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
const missingThirdWheel = (d: Diagnostic[]) => d.some((x) => x.code === 'missing-in-env' && text(x).includes('third-wheel'));

/** Counts every call a store receives. */
function counting(calls: string[]) {
  return (s: ParameterStore): ParameterStore =>
    new Proxy(s, {
      get(target, prop, recv) {
        const v = Reflect.get(target, prop, recv) as unknown;
        if (typeof v === 'function') {
          return (...args: unknown[]) => {
            calls.push(`${s.env}.${String(prop)}`);
            return (v as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return v;
      },
    });
}

test('typing, hover, completion and code lenses never call a backend', { timeout: 30000 }, async () => {
  const calls: string[] = [];
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed(), wrapStore: counting(calls) });
  try {
    const py = exampleFiles()['src/config.py'];
    const uri = await h.open('src/config.py');
    await h.waitForDiagnostics(uri, missingThirdWheel);
    await h.server.idle();
    const before = calls.length;
    assert.ok(before > 0, 'the initial refresh did ask the stores');
    for (let v = 2; v < 12; v++) {
      const edited = py.replace('"third-wheel"', `"third-wheel${'x'.repeat(v)}"`);
      h.change('src/config.py', v, edited);
      await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 13, character: 8 } });
      await h.client.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 13, character: 30 } });
      await h.client.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    }
    const d = await h.waitForDiagnostics(uri, (x) => x.some((y) => text(y).includes('third-wheelxxxxxxxxxxx')));
    assert.ok(d.length > 0);
    await h.server.idle();
    assert.deepEqual(calls.slice(before), [], 'no backend call while typing');
  } finally {
    await h.close();
  }
});

test('a put made by another process reaches diagnostics through the change-token poll', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed(), changePollMs: 50 });
  try {
    const uri = await h.open('src/config.py');
    await h.waitForDiagnostics(uri, missingThirdWheel);
    // Another writer (the CLI, another window) on the same store directory.
    for (const env of ['qa', 'prod']) {
      const r = await openLocalStore({ dir: h.storeDir, env }).put({ name: '/app/demo-service/third-wheel', value: 'w', type: 'String', overwrite: false });
      assert.equal(r.ok, true);
    }
    await h.waitForDiagnostics(uri, (d) => !missingThirdWheel(d));
    assert.ok(h.notifications.some((n) => (n.params as { reason: string }).reason === 'watcher'));
  } finally {
    await h.close();
  }
});

test('a watched figgy.json change on disk updates diagnostics; severity settings apply', { timeout: 30000 }, async () => {
  // A JSON-only service: figgy.json is where its store findings go.
  const { 'src/config.py': _py, ...jsonOnly } = exampleFiles();
  const h = await startHarness({ files: jsonOnly, seed: exampleSeed(), settings: { severity: { 'missing-in-env': 'warning' } } });
  try {
    const fj = h.uri('figgy/figgy.json');
    const d = await h.waitForDiagnostics(fj, missingThirdWheel);
    assert.ok(d.filter((x) => x.code === 'missing-in-env').every((x) => x.severity === 2), 'warning per setting');
    // Drop third-wheel from figgy.json on disk: the finding goes.
    const file = path.join(h.root, 'figgy', 'figgy.json');
    const j = JSON.parse(exampleFiles()['figgy/figgy.json']) as { app_figs: string[] };
    j.app_figs = j.app_figs.filter((x) => !x.endsWith('third-wheel'));
    writeFileSync(file, JSON.stringify(j, null, 4));
    h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fj, type: 2 }] });
    const after = await h.waitForDiagnostics(fj, (x) => !missingThirdWheel(x));
    assert.ok(!missingThirdWheel(after));
  } finally {
    await h.close();
  }
});

test('opening, closing and saving a Python file patch the workspace model, with the same diagnostics as a rebuild', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed() });
  try {
    const py = exampleFiles()['src/config.py'];
    const uri = h.uri('src/config.py');
    const onDisk = await h.waitForDiagnostics(uri, missingThirdWheel);
    await h.server.idle();
    const full = h.server.docs.stats.fullBuilds;
    const patched = h.server.docs.stats.patchedBuilds;
    // Unsaved text that differs from the disk: the open document's model must be the one used.
    await h.open('src/config.py', py.replace('"third-wheel"', '"third-wheel-2"'));
    const opened = await h.waitForDiagnostics(uri, (d) => d.some((x) => text(x).includes('third-wheel-2')));
    assert.ok(!missingThirdWheel(opened.filter((x) => !text(x).includes('third-wheel-2'))));
    assert.equal(h.server.docs.stats.fullBuilds, full, 'opening a Python file does not rebuild the workspace');
    assert.ok(h.server.docs.stats.patchedBuilds > patched);
    h.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const closed = await h.waitForDiagnostics(uri, (d) => missingThirdWheel(d) && !d.some((x) => text(x).includes('third-wheel-2')));
    await h.server.idle();
    assert.equal(h.server.docs.stats.fullBuilds, full, 'closing it does not either');
    // The patched model tells the same story as the build from every file did.
    const key = (d: Diagnostic[]) => d.map((x) => `${x.code} ${x.range.start.line}:${x.range.start.character} ${text(x)}`).sort();
    assert.deepEqual(key(closed), key(onDisk));
    // A save made elsewhere (a watched-file event for a closed Python file): patched too.
    writeFileSync(path.join(h.root, 'src/config.py'), py.replace('"third-wheel"', '"third-wheel-3"'));
    h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    await h.waitForDiagnostics(uri, (d) => d.some((x) => text(x).includes('third-wheel-3')));
    assert.equal(h.server.docs.stats.fullBuilds, full, 'a changed Python file on disk does not rebuild the workspace');
    // A plain module (nothing Orchard reads in it), opened and typed in: nothing to build at all.
    const util = await h.open('src/util.py', 'def double(x):\n    return 2 * x\n');
    h.change('src/util.py', 2, 'def double(x):\n    return x + x\n');
    await h.client.sendRequest('textDocument/hover', { textDocument: { uri: util }, position: { line: 0, character: 5 } });
    await h.server.idle();
    assert.equal(h.server.docs.stats.fullBuilds, full, 'a plain module does not rebuild the workspace');
    // Saved and closed (its disk text re-read, still a plain module): nothing either.
    writeFileSync(path.join(h.root, 'src/util.py'), 'def double(x):\n    return x + x\n');
    h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: util, type: 1 }] });
    h.client.sendNotification('textDocument/didClose', { textDocument: { uri: util } });
    await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 5 } });
    await h.server.idle();
    assert.equal(h.server.docs.stats.fullBuilds, full, 'nor does saving and closing it');
    await h.open('src/util.py', 'def double(x):\n    return x + x\n');
    // Until it reads a setting: then it is part of the workspace (a full build takes it in).
    h.change('src/util.py', 3, 'import os\nDEBUG = os.environ.get("DEBUG_MODE")\n');
    await h.client.sendRequest('textDocument/hover', { textDocument: { uri: util }, position: { line: 0, character: 5 } });
    await h.server.idle();
    assert.equal(h.server.docs.stats.fullBuilds, full + 1);
  } finally {
    await h.close();
  }
});

test('typing in a figgy.json patches the workspace model; its findings follow', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed() });
  try {
    const fjText = exampleFiles()['figgy/figgy.json'];
    const fj = h.uri('figgy/figgy.json');
    await h.waitForDiagnostics(h.uri('src/config.py'), missingThirdWheel);
    await h.server.idle();
    const full = h.server.docs.stats.fullBuilds;
    await h.open('figgy/figgy.json', fjText);
    const typed = fjText.replace('"/app/demo-service/third-wheel"', '"/app/demo-service/third-wheel",\n        "/app/demo-service/extra-knob"');
    h.change('figgy/figgy.json', 2, typed);
    await h.waitForDiagnostics(fj, (d) => d.some((x) => text(x).includes('extra-knob')));
    h.change('figgy/figgy.json', 3, fjText);
    await h.waitForDiagnostics(fj, (d) => !d.some((x) => text(x).includes('extra-knob')));
    await h.server.idle();
    assert.equal(h.server.docs.stats.fullBuilds, full, 'no full build for a figgy.json edit');
    // A new twig may pair the file with another config.py: that one is built again from every file.
    h.change('figgy/figgy.json', 4, fjText.replace('"twig": "/app/demo-service"', '"twig": "/app/other-service"'));
    await h.client.sendRequest('textDocument/hover', { textDocument: { uri: fj }, position: { line: 1, character: 5 } });
    await h.server.idle();
    assert.equal(h.server.docs.stats.fullBuilds, full + 1);
  } finally {
    await h.close();
  }
});

test('an open document is parsed once per version and evicted on close', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed() });
  try {
    const py = exampleFiles()['src/config.py'];
    const uri = await h.open('src/config.py');
    await h.waitForDiagnostics(uri, missingThirdWheel);
    h.change('src/config.py', 2, py.replace('"third-wheel"', '"third-wheel-2"'));
    await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 13, character: 8 } });
    const parsed = h.server.docs.stats.parses;
    for (let i = 0; i < 5; i++) {
      await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 13, character: 8 } });
      await h.client.sendRequest('textDocument/codeLens', { textDocument: { uri } });
      await h.client.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    }
    await h.server.idle();
    assert.equal(h.server.docs.stats.parses, parsed, 'same version: no re-parse');
    h.change('src/config.py', 3, py);
    await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 13, character: 8 } });
    assert.equal(h.server.docs.stats.parses, parsed + 1, 'new version: one parse');
    assert.equal(h.server.docs.isOpen(uri), true);
    h.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await h.client.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(h.server.docs.isOpen(uri), false);
  } finally {
    await h.close();
  }
});
