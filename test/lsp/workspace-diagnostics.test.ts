// The whole workspace in the Problems panel: files that were never opened get diagnostics, through
// workspace/diagnostic for pull clients (VS Code) and publishDiagnostics for push clients (Neovim).
// And the start-up race: a document opened right after `initialized` is never judged early.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource, type CancellationToken, type Diagnostic } from 'vscode-languageserver/node';
import { seedStore, startHarness, writeTree } from './harness';
import { exampleFiles, exampleSeed } from './fixture';
import { BUNDLE, startBuilt } from './built';

type Report = { kind: 'full' | 'unchanged'; uri: string; resultId?: string; version: number | null; items?: Diagnostic[] };
const codes = (d: Diagnostic[] | undefined) => (d ?? []).map((x) => String(x.code));

test('pull client: workspace/diagnostic reports files never opened, then only what changed', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed(), pull: true });
  try {
    const configUri = h.uri('src/config.py');
    const pull = async (previousResultIds: { uri: string; value: string }[] = []) =>
      ((await h.client.sendRequest('workspace/diagnostic', { previousResultIds, partialResultToken: 'p' })) as { items: Report[] }).items;
    const first = await pull();
    const cfg = first.find((r) => r.uri === configUri);
    assert.ok(cfg && cfg.kind === 'full' && cfg.resultId, JSON.stringify(first.map((r) => r.uri)));
    assert.equal(cfg.version, null, 'a closed file has no version');
    assert.ok(codes(cfg.items).includes('missing-in-env'), codes(cfg.items).join(','));
    // The same ids back: nothing changed, so the pull is held open (long polling) instead of
    // answering "unchanged" for every file every two seconds.
    const held = first.filter((r) => r.resultId).map((r) => ({ uri: r.uri, value: r.resultId! }));
    let secondAnswered = false;
    const second = pull(held).then((items) => {
      secondAnswered = true;
      return items;
    });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(secondAnswered, false, 'a pull with nothing new is not answered at once');
    // Fix every missing parameter of qa and prod: config.py's report changes, with a new id.
    for (const [env, items] of Object.entries(exampleSeed())) {
      if (env === 'dev') continue;
      for (const [name, value, type] of exampleSeed().dev) {
        if (items.some(([n]) => n === name)) continue;
        const r = (await h.client.sendRequest('orchard/parameter/put', { env, path: name, value, type, overwrite: false })) as { ok: boolean };
        assert.equal(r.ok, true);
      }
    }
    await h.client.sendRequest('orchard/refresh', {}).catch(() => undefined);
    // The held pull answers once the findings changed, with config.py in full.
    const woke = await second;
    assert.equal(woke.find((r) => r.uri === configUri)?.kind, 'full', JSON.stringify(woke.map((r) => [r.uri, r.kind])));
    const third = await pull(held);
    const cfg3 = third.find((r) => r.uri === configUri);
    assert.ok(cfg3 && cfg3.kind === 'full', JSON.stringify(cfg3));
    assert.notEqual(cfg3.resultId, cfg.resultId);
    assert.ok(!codes(cfg3.items).includes('missing-in-env'), codes(cfg3.items).join(','));
    assert.equal(h.diagnostics.size, 0, 'no push in pull mode');
  } finally {
    await h.close();
  }
});

test('pull client: a held workspace pull answers when a document changes, ends on $/cancelRequest, and within its budget', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed(), pull: true, requestBudgetMs: { workspaceDiagnostics: 1500 } });
  try {
    const configUri = h.uri('src/config.py');
    const pull = (previousResultIds: { uri: string; value: string }[], token?: CancellationToken) =>
      (token ? h.client.sendRequest('workspace/diagnostic', { previousResultIds, partialResultToken: 'p' }, token) : h.client.sendRequest('workspace/diagnostic', { previousResultIds, partialResultToken: 'p' })) as Promise<{ items: Report[] }>;
    await h.open('src/config.py');
    const first = (await pull([])).items;
    const held = first.filter((r) => r.resultId).map((r) => ({ uri: r.uri, value: r.resultId! }));
    // A client that does not stream (no partialResultToken) is answered at once, unchanged.
    const t00 = Date.now();
    const once = (await h.client.sendRequest('workspace/diagnostic', { previousResultIds: held })) as { items: Report[] };
    assert.ok(Date.now() - t00 < 1000 && once.items.every((r) => r.kind === 'unchanged'), JSON.stringify(once.items.map((r) => r.kind)));
    // Budget backstop: nothing changes, so the held pull ends empty after its budget (1.5 s here).
    const t0 = Date.now();
    const idle = await pull(held);
    const waited = Date.now() - t0;
    assert.ok(waited >= 1000 && waited < 10_000, `held ${waited} ms`);
    assert.ok(idle.items.every((r) => r.kind === 'unchanged'), JSON.stringify(idle.items.map((r) => r.kind)));
    // An edit of config.py wakes the held pull: config.py in full, the rest unchanged.
    const pending = pull(held);
    await new Promise((r) => setTimeout(r, 200));
    const text = exampleFiles()['src/config.py'].replace(/^\s*THIRD_WHEEL = .*$/m, '');
    h.change('src/config.py', 2, text);
    const edited = (await pending).items;
    const cfg = edited.find((r) => r.uri === configUri);
    assert.ok(cfg?.kind === 'full' && cfg.version === 2, JSON.stringify(cfg));
    // $/cancelRequest ends a held pull at once.
    const again = edited.filter((r) => r.resultId).map((r) => ({ uri: r.uri, value: r.resultId! }));
    const source = new CancellationTokenSource();
    const cancelled = pull(again, source.token).then(() => 'answered', (e: { code?: number }) => `error ${e.code}`);
    await new Promise((r) => setTimeout(r, 200));
    const t1 = Date.now();
    source.cancel();
    assert.equal(await cancelled, 'error -32800');
    assert.ok(Date.now() - t1 < 500);
  } finally {
    await h.close();
  }
});

test('pull client as VS Code pulls: a document pull\'s result id counts in the workspace pull, so an idle one is held; a clean open document too', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: { ...exampleFiles(), 'tools/clean.py': 'x = 1\n' }, seed: exampleSeed(), pull: true, requestBudgetMs: { workspaceDiagnostics: 1500 } });
  try {
    const configUri = await h.open('src/config.py');
    const cleanUri = await h.open('tools/clean.py');
    type DocReport = { kind: string; resultId?: string; items?: Diagnostic[] };
    const docPull = (uri: string, previousResultId?: string) =>
      h.client.sendRequest('textDocument/diagnostic', { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) }) as Promise<DocReport>;
    const cfg = await docPull(configUri);
    assert.ok(cfg.kind === 'full' && cfg.resultId && (cfg.items ?? []).length > 0, JSON.stringify(cfg).slice(0, 200));
    const clean = await docPull(cleanUri);
    assert.ok(clean.kind === 'full' && clean.resultId && (clean.items ?? []).length === 0, JSON.stringify(clean));
    // The same document pulled again with its id: unchanged.
    assert.deepEqual(await docPull(configUri, cfg.resultId), { kind: 'unchanged', resultId: cfg.resultId });
    // VS Code's client sends, for an open document, the id of its document pull (and nothing for
    // files it has no id for). Every other file with findings: from a first workspace pull.
    const first = (await h.client.sendRequest('workspace/diagnostic', { previousResultIds: [], partialResultToken: 'p' })) as { items: Report[] };
    const ids = new Map(first.items.filter((r) => r.resultId).map((r) => [r.uri, r.resultId!]));
    ids.set(configUri, cfg.resultId!);
    ids.set(cleanUri, clean.resultId!);
    const t0 = Date.now();
    const idle = (await h.client.sendRequest('workspace/diagnostic', { previousResultIds: [...ids].map(([uri, value]) => ({ uri, value })), partialResultToken: 'p' })) as { items: Report[] };
    assert.ok(Date.now() - t0 >= 1000, `held until its budget, not answered at once (${Date.now() - t0} ms): ${JSON.stringify(idle.items.map((r) => [r.uri, r.kind]))}`);
    assert.ok(!idle.items.some((r) => r.kind === 'full'), JSON.stringify(idle.items.map((r) => [r.uri, r.kind])));
  } finally {
    await h.close();
  }
});

test('push client: the start-up push is not debounced (the debounce waits for typing, not for start-up)', { timeout: 30000 }, async () => {
  // A debounce far longer than the test: diagnostics that arrive came from the start-up push.
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed(), diagnosticsDelayMs: 120_000 });
  try {
    const d = await h.waitForDiagnostics(h.uri('src/config.py'), (x) => codes(x).includes('missing-in-env'), 10_000);
    assert.ok(d.length > 0);
  } finally {
    await h.close();
  }
});

test('push client: every file with findings is published without being opened', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed() });
  try {
    const d = await h.waitForDiagnostics(h.uri('src/config.py'), (x) => codes(x).includes('missing-in-env'));
    assert.ok(d.length > 0);
  } finally {
    await h.close();
  }
});

test('afterFirstReport (the server process then favours memory) runs once, after every file was first pushed or pulled', { timeout: 30000 }, async () => {
  // Push client: once, after the start-up push carried config.py's findings; not again on edits.
  let pushed = 0;
  let sawConfig: boolean | undefined;
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed(), afterFirstReport: () => {
    pushed++;
    sawConfig ??= h.wire.some((m) => m.includes('publishDiagnostics') && m.includes('config.py') && m.includes('missing-in-env'));
  } });
  try {
    await h.waitForDiagnostics(h.uri('src/config.py'), (d) => codes(d).includes('missing-in-env'));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(pushed, 1);
    assert.equal(sawConfig, true, 'called after the push went out');
    await h.open('src/config.py');
    h.change('src/config.py', 2, `${exampleFiles()['src/config.py']}\n# edited\n`);
    await h.waitForDiagnostics(h.uri('src/config.py'), (d) => codes(d).includes('missing-in-env'));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(pushed, 1, 'once');
  } finally {
    await h.close();
  }
  // Pull client: nothing is pushed; the hook waits for the first workspace pull's answer.
  let pulled = 0;
  const p = await startHarness({ files: exampleFiles(), seed: exampleSeed(), pull: true, afterFirstReport: () => pulled++ });
  try {
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(pulled, 0, 'not before the client asked');
    await p.client.sendRequest('workspace/diagnostic', { previousResultIds: [], partialResultToken: 'p' });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(pulled, 1);
  } finally {
    await p.close();
  }
});

test('start-up race: didOpen right after initialized (no debounce) is never judged before the parser and stores are ready', { timeout: 60000 }, async () => {
  const base = mkdtempSync(path.join(tmpdir(), 'orchard-race-'));
  const root = path.join(base, 'ws');
  const storeDir = path.join(base, 'store');
  mkdirSync(storeDir, { recursive: true });
  const files = exampleFiles();
  writeTree(root, files);
  await seedStore(storeDir, exampleSeed());
  const configUri = pathToFileURL(path.join(root, 'src', 'config.py')).href;
  const published: { version?: number; diagnostics: Diagnostic[] }[] = [];
  let wake: (() => void) | undefined;
  // A fresh process: the Python parser is not loaded yet when didOpen arrives.
  const s = await startBuilt({
    base,
    root,
    storeDir,
    env: { ORCHARD_DIAGNOSTICS_DELAY_MS: '0' },
    listen: (conn) =>
      conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
        if (p.uri !== configUri) return;
        published.push(p);
        wake?.();
      }),
  });
  const until = async (pred: () => boolean, ms = 20000) => {
    const deadline = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out; published ${JSON.stringify(published.map((p) => [p.version, codes(p.diagnostics)]))}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 200);
      });
    }
  };
  try {
    s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: configUri, languageId: 'python', version: 1, text: files['src/config.py'] } });
    await until(() => published.some((p) => codes(p.diagnostics).includes('missing-in-env')));
    // One edit (a comment), then the diagnostics of version 2.
    s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: configUri, version: 2 }, contentChanges: [{ text: `${files['src/config.py']}\n# edited\n` }] });
    await until(() => published.some((p) => p.version === 2));
    for (const p of published) {
      assert.ok(!codes(p.diagnostics).includes('parser-unavailable'), `version ${p.version}: ${codes(p.diagnostics)}`);
      assert.ok(!codes(p.diagnostics).includes('unknown-in-env'), `version ${p.version}: ${codes(p.diagnostics)}`);
    }
    const v1 = published.filter((p) => p.version === 1).map((p) => codes(p.diagnostics).sort().join(','));
    const v2 = published.filter((p) => p.version === 2).map((p) => codes(p.diagnostics).sort().join(','));
    assert.equal(v2.at(-1), v1.at(-1), 'a comment changes nothing');
  } finally {
    await s.close();
    rmSync(base, { recursive: true, force: true });
  }
});

test('a client that says nothing about trust (not VS Code) is trusted: store-backed findings appear', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed(), trusted: 'unsent' });
  try {
    const d = await h.waitForDiagnostics(h.uri('src/config.py'), (x) => codes(x).includes('missing-in-env'));
    assert.ok(d.length > 0);
  } finally {
    await h.close();
  }
});

test('orchard-language-server --help, --version and a missing transport: usage, version, a one-line error', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [BUNDLE, ...args], { encoding: 'utf8', timeout: 20000 });
  const help = run(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: orchard-language-server/);
  const version = run(['--version']);
  assert.equal(version.status, 0);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
  const none = run([]);
  assert.equal(none.status, 2);
  assert.equal(none.stderr.trim().split('\n').length, 1, none.stderr);
  assert.match(none.stderr, /--stdio/);
  assert.doesNotMatch(none.stderr, /\bat \S+:\d+/, 'no stack trace');
});

test('orchard/status: missing per environment equals the errors naming that environment in every file', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed() });
  try {
    await h.waitForDiagnostics(h.uri('src/config.py'), (x) => codes(x).includes('missing-in-env'));
    await h.server.idle();
    const status = (await h.client.sendRequest('orchard/status', {})) as { envs: { env: string; missing?: number }[] };
    const all = [...h.diagnostics.values()].flat().filter((d) => d.severity === 1);
    for (const e of status.envs) {
      const named = all.filter((d) => new RegExp(`\\b${e.env}\\b`).test(typeof d.message === 'string' ? d.message : d.message.value)).length;
      assert.equal(e.missing, named, `${e.env}: status ${e.missing}, Problems ${named}`);
    }
    assert.ok(status.envs.some((e) => (e.missing ?? 0) > 0));
  } finally {
    await h.close();
  }
});

test('push client: after keystrokes (patched), a twig edit (rebuilt) and its undo, every file holds what a fresh server publishes', { timeout: 60000 }, async () => {
  const files: Record<string, string> = {};
  for (const [rel, text] of Object.entries(exampleFiles())) {
    files[`a/${rel}`] = text;
    files[`b/${rel}`] = text.replace(/demo-service/g, 'other-service');
  }
  const h = await startHarness({ files, seed: exampleSeed() });
  let fresh: Awaited<ReturnType<typeof startHarness>> | undefined;
  try {
    const rel = 'a/src/config.py';
    const uri = await h.open(rel);
    await h.waitForDiagnostics(uri, (d) => d.length > 0);
    const base = files[rel];
    const extra = base.replace('    THIRD_WHEEL = AppFig("third-wheel")\n', '    THIRD_WHEEL = AppFig("third-wheel")\n    EXTRA = AppFig("ext")\n');
    const steps = [
      extra,
      extra.replace('AppFig("ext")', 'AppFig("extra")'),
      extra.replace('AppFig("ext")', 'AppFig("extra")').replace('"demo-service"', '"demo-servic"'),
      extra.replace('AppFig("ext")', 'AppFig("extra")'),
      base.replace('    THIRD_WHEEL = AppFig("third-wheel")\n', ''),
    ];
    let version = 1;
    for (const text of steps) {
      h.change(rel, ++version, text);
      const v = version;
      await h.waitForDiagnostics(uri, () => true, 10000).then(() => h.server.idle());
      // Wait until the edited version itself was published.
      for (let i = 0; i < 100 && !h.wire.some((w) => w.includes('"version":' + v)); i++) await new Promise((r) => setTimeout(r, 20));
      await h.server.idle();
    }
    // A fresh server over the same texts (the last buffer written to disk) is the reference.
    fresh = await startHarness({ files: { ...files, [rel]: steps[steps.length - 1] }, seed: exampleSeed() });
    const view = (x: typeof h) => {
      const out: Record<string, unknown> = {};
      // (Modification times differ between the two stores: they are not what is compared.)
      for (const [u, d] of x.diagnostics) if (d.length) out[u.slice(pathToFileURL(x.root).href.length)] = d.map((y) => ({ code: y.code, message: String(y.message).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'T'), range: y.range, severity: y.severity }));
      return out;
    };
    // Both servers settle (stores asked about new paths, pushes done): the views stop changing.
    const settle = async (x: typeof h) => {
      let last = '';
      for (let same = 0; same < 3; ) {
        await x.server.idle();
        await new Promise((r) => setTimeout(r, 100));
        const now = JSON.stringify(view(x));
        same = now === last ? same + 1 : 0;
        last = now;
      }
    };
    await settle(h);
    await settle(fresh);
    const got = view(h);
    assert.ok(Object.keys(got).some((k) => k.startsWith('/b/')), 'the other service keeps its findings');
    assert.deepEqual(got, view(fresh));
  } finally {
    await h.close();
    await fresh?.close();
  }
});
