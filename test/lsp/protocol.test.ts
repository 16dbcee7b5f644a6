// The real server in-process over streams: lifecycle, diagnostics for several environments, hover,
// code actions, completion, definition, cancellation, custom requests, and the secret canary.
import { test } from 'node:test';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { CancellationTokenSource, type CodeAction, type CompletionItem, type Diagnostic, type Hover, type Location, type MarkupContent } from 'vscode-languageserver/node';
import { cursor, startHarness, type Harness } from './harness';
import { CANARY, PLAIN_CANARY, exampleFiles, exampleSeed } from './fixture';
import type { CompareResult, PutParameterResult, RevealValueResult, StatusResult, SyncPlanResult, TreeChildrenResult, DeleteParameterResult } from '../../server/src/lsp/protocol';
import { RegenerateFiggyJsonRequest, type RegenerateFiggyJsonResult } from '../../server/src/lsp/protocol';

function pos(text: string, needle: string, delta = 1) {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `fixture lacks ${needle}`);
  const before = text.slice(0, i + delta);
  return { line: before.split('\n').length - 1, character: i + delta - (before.lastIndexOf('\n') + 1) };
}

function msg(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

function assertNoCanary(h: Harness): void {
  for (const l of h.logs) assert.ok(!l.includes(CANARY), `log leaked the canary: ${l}`);
}

const missingThirdWheel = (d: Diagnostic[]) => d.some((x) => x.code === 'missing-in-env' && msg(x).includes('third-wheel'));

test('push diagnostics: one diagnostic names qa and prod, related info per env; fixed by a put', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed() });
  try {
    const files = exampleFiles();
    const uri = await h.open('src/config.py');
    const diags = await h.waitForDiagnostics(uri, missingThirdWheel);
    const tw = diags.filter((x) => x.code === 'missing-in-env' && msg(x).includes('third-wheel'));
    assert.equal(tw.length, 1, 'one diagnostic for both environments');
    assert.match(msg(tw[0]), /qa/);
    assert.match(msg(tw[0]), /prod/);
    assert.equal(tw[0].source, 'orchard');
    // One diagnostic, in config.py; figgy.json's declaration is related information (not a second error).
    assert.deepEqual(tw[0].relatedInformation?.map((r) => [r.location.uri.endsWith('figgy/figgy.json'), r.message]), [[true, 'also declared here (figgy.json)']]);
    const fjDiags = await h.waitForDiagnostics(h.uri('figgy/figgy.json'), () => true).catch(() => []);
    assert.ok(!fjDiags.some((x) => x.code === 'missing-in-env'), 'no second copy in figgy.json');
    assert.deepEqual(tw[0].range.start.line, pos(files['src/config.py'], 'THIRD_WHEEL').line);
    const admirer = diags.find((x) => x.code === 'missing-in-env' && msg(x).includes('secret-admirer'));
    assert.ok(admirer && /prod/.test(msg(admirer)) && !/qa/.test(msg(admirer)));

    // Code action for it: add to qa / prod / both, as client commands.
    const actions = (await h.client.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: tw[0].range,
      context: { diagnostics: [tw[0]] },
    })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes('Add /app/demo-service/third-wheel to qa'), titles.join(' | '));
    assert.ok(titles.some((t) => t.startsWith('Add /app/demo-service/third-wheel to all missing environments (qa, prod)')));
    // The fix comes from the server's own finding: the diagnostic carries no data (clients that drop
    // `data` get the same fixes), and one the file no longer has gets no fix of its own.
    assert.equal(tw[0].data, undefined);
    const gone = { ...tw[0], message: `${msg(tw[0])} (an older version)` };
    const stale = (await h.client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: gone.range, context: { diagnostics: [gone] } })) as CodeAction[];
    assert.ok(!stale.some((a) => a.title.startsWith('Add /app/demo-service/third-wheel')), stale.map((a) => a.title).join(' | '));

    // The client runs the command: put in both envs; the diagnostic disappears without a manual refresh.
    for (const env of ['qa', 'prod']) {
      const r = (await h.client.sendRequest('orchard/parameter/put', { env, path: '/app/demo-service/third-wheel', value: 'w', type: 'String', overwrite: false })) as PutParameterResult;
      assert.equal(r.ok, true);
    }
    await h.waitForDiagnostics(uri, (d) => !missingThirdWheel(d));
    assert.ok(h.notifications.some((n) => (n.params as { reason: string }).reason === 'write'));
    // Without overwrite an existing parameter is refused with `exists`.
    const again = (await h.client.sendRequest('orchard/parameter/put', { env: 'qa', path: '/app/demo-service/third-wheel', value: 'x', type: 'String', overwrite: false })) as PutParameterResult;
    assert.deepEqual(again, { ok: false, reason: 'exists' });
    assertNoCanary(h);
  } finally {
    await h.close();
  }
});

test('pull diagnostics when the client supports them; didChange updates them', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed(), pull: true });
  try {
    const files = exampleFiles();
    const uri = await h.open('src/config.py');
    const pull = async () => ((await h.client.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { kind: string; items: Diagnostic[] }).items;
    const first = await pull();
    assert.ok(missingThirdWheel(first));
    // Remove the THIRD_WHEEL declaration: the finding goes away from config.py.
    const text = files['src/config.py'].replace(/^\s*THIRD_WHEEL = .*$/m, '');
    h.change('src/config.py', 2, text);
    const second = await pull();
    assert.ok(!missingThirdWheel(second), JSON.stringify(second.map(msg)));
    assert.equal(h.diagnostics.size, 0, 'no push in pull mode');
  } finally {
    await h.close();
  }
});

test('hover is redacted, names every env; the secret canary never reaches the wire or logs', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed(), machineSettings: { hover: { values: 'plain' } } });
  try {
    const files = exampleFiles();
    const uri = await h.open('src/config.py');
    const hv = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: pos(files['src/config.py'], 'SECRET_ADMIRER') })) as Hover;
    const md = (hv.contents as MarkupContent).value;
    assert.match(md, /\/app\/demo-service\/secret-admirer/);
    assert.match(md, /\| dev \| ✓ present 🔒 \|/);
    assert.match(md, /\| prod \| ✗ missing/);
    assert.match(md, /SECRET_ADMIRER/);
    // A plain String is shown under the plain policy; the merged (secure) value never.
    const plain = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: pos(files['src/config.py'], 'ADMIRED_PERSON') })) as Hover;
    assert.ok((plain.contents as MarkupContent).value.includes(PLAIN_CANARY));
    const merged = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: pos(files['src/config.py'], 'SQL_CONNECTION_STRING') })) as Hover;
    const mmd = (merged.contents as MarkupContent).value;
    assert.match(mmd, /- dev: `mysql:\/\/••••••:••••••@db\.internal:3306\/demo`/);
    await h.server.idle();
    for (const m of h.wire) assert.ok(!m.includes(CANARY), 'canary on the wire');
    assertNoCanary(h);
    // Reveal is the one explicit path that returns a value; it still never logs it.
    const rv = (await h.client.sendRequest('orchard/parameter/reveal', { env: 'dev', path: '/app/demo-service/secret-admirer' })) as RevealValueResult;
    assert.equal(rv.state === 'found' && rv.value, CANARY);
    assertNoCanary(h);
  } finally {
    await h.close();
  }
});

test('completion, definition and references over the protocol', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed() });
  try {
    const files = exampleFiles();
    const py = files['src/config.py'];
    const uri = await h.open('src/config.py');
    // Constructors after `NAME = `.
    const typed = py.replace('    # Merged connection URL', '    NEW_ONE = \n    # Merged connection URL');
    h.change('src/config.py', 2, typed);
    const items = (await h.client.sendRequest('textDocument/completion', { textDocument: { uri }, position: pos(typed, 'NEW_ONE = ', 10) })) as CompletionItem[];
    assert.deepEqual(items.map((i) => i.label), ['AppFig', 'SharedFig', 'ReplicatedFig', 'MergeFig']);
    // source= paths from the store's /shared tree.
    const src = typed.replace('source="/shared/resources/dbs/fig-db/db-name"', 'source="/shared/resources/dbs/fig-db/d');
    h.change('src/config.py', 3, src);
    const srcItems = (await h.client.sendRequest('textDocument/completion', { textDocument: { uri }, position: pos(src, 'fig-db/d)', 8) })) as CompletionItem[];
    assert.deepEqual(srcItems.map((i) => i.label).sort(), ['/shared/resources/dbs/fig-db/db-name', '/shared/resources/dbs/fig-db/dns']);
    h.change('src/config.py', 4, py);

    // Definition: pattern reference SQL_USER → its declaration; from the declaration → figgy.json.
    const patternAt = pos(py, 'pattern=["mysql://", SQL_USER', 22);
    const def = (await h.client.sendRequest('textDocument/definition', { textDocument: { uri }, position: patternAt })) as Location[];
    assert.equal(def.length, 1);
    assert.equal(def[0].uri, uri);
    assert.equal(def[0].range.start.line, pos(py, 'SQL_USER = ').line);
    const toJson = (await h.client.sendRequest('textDocument/definition', { textDocument: { uri }, position: pos(py, 'SQL_USER = ') })) as Location[];
    assert.ok(toJson[0].uri.endsWith('figgy/figgy.json'));
    const refs = (await h.client.sendRequest('textDocument/references', { textDocument: { uri }, position: pos(py, 'SQL_USER = '), context: { includeDeclaration: true } })) as Location[];
    const byFile = refs.map((r) => r.uri.split('/').pop()).sort();
    assert.ok(byFile.includes('figgy-secrets.json') && byFile.includes('figgy.json') && byFile.includes('config.py'), byFile.join(','));
  } finally {
    await h.close();
  }
});

test('cancellation: a cancelled request answers RequestCancelled and the server keeps serving', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed() });
  try {
    const uri = await h.open('src/config.py');
    const cts = new CancellationTokenSource();
    const p = h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 11, character: 6 } }, cts.token);
    cts.cancel();
    await assert.rejects(p, (e: { code?: number }) => e.code === -32800);
    const ok = await h.client.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(Array.isArray(ok) && ok.length === 1);
  } finally {
    await h.close();
  }
});

test('bad input never kills the server: garbage documents, odd params', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed() });
  try {
    const uri = await h.open('src/config.py', 'class Figs(FigStore:\n  X = AppFig(\n\u0000\uffff');
    await h.open('figgy/figgy.json', '{"twig": [1,2', );
    const r1 = await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 99, character: 99 } });
    assert.equal(r1, null);
    const r2 = await h.client.sendRequest('orchard/tree/children', { env: 42, prefix: null });
    assert.ok(r2 && typeof r2 === 'object');
    const r3 = (await h.client.sendRequest('orchard/parameter/put', { env: 'dev', path: 'no slash/x', value: 'v', type: 'String', overwrite: false })) as PutParameterResult;
    assert.equal(r3.ok === false && r3.reason, 'invalid-name');
    const syms = await h.client.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(Array.isArray(syms));
  } finally {
    await h.close();
  }
});

test('custom requests: tree, status, compare (groups, no values), sync plan, delete refusal, environments', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed() });
  try {
    const root = (await h.client.sendRequest('orchard/tree/children', { env: 'dev', prefix: '/' })) as TreeChildrenResult;
    assert.deepEqual(root.nodes.map((n) => n.label), ['app', 'dba', 'shared']);
    const svc = (await h.client.sendRequest('orchard/tree/children', { env: 'dev', prefix: '/app/demo-service' })) as TreeChildrenResult;
    // prod lacks parameters the service declares: they are entries of their own, marked missing.
    const prodSvc = (await h.client.sendRequest('orchard/tree/children', { env: 'prod', prefix: '/app/demo-service' })) as TreeChildrenResult;
    const gone = prodSvc.nodes.filter((n) => n.status === 'missing').map((n) => n.label);
    assert.ok(gone.includes('secret-admirer') && gone.includes('third-wheel'), JSON.stringify(prodSvc.nodes));
    assert.ok(!prodSvc.nodes.some((n) => n.status === 'missing' && n.label === 'admired-person'), 'present ones are not missing');
    assert.ok(svc.nodes.some((n) => n.kind === 'parameter' && n.label === 'secret-admirer' && n.status === 'declared' && n.info?.type === 'SecureString'));
    assert.ok(!JSON.stringify(svc).includes(CANARY));

    const status = (await h.client.sendRequest('orchard/status', {})) as StatusResult;
    assert.deepEqual(status.envs.map((e) => [e.env, e.backendKind]), [['dev', 'local'], ['qa', 'local'], ['prod', 'local']]);
    assert.ok(status.envs[0].identity?.startsWith('local:'));
    assert.equal(status.trusted, true);

    const cmp = (await h.client.sendRequest('orchard/compare', { prefix: '/app/demo-service' })) as CompareResult;
    const row = (p: string) => cmp.rows.find((r) => r.path === `/app/demo-service/${p}`)!;
    assert.equal(row('replicated/sql/port').allEqual, true);
    assert.equal(row('third-wheel').cells.qa.state, 'missing');
    assert.equal(row('secret-admirer').cells.prod.state, 'missing');
    assert.equal(row('secret-admirer').cells.dev.group, 0);
    assert.ok(!JSON.stringify(cmp).includes(CANARY));

    const plan = (await h.client.sendRequest('orchard/sync/plan', { envs: ['qa', 'prod'] })) as SyncPlanResult;
    assert.deepEqual(plan.plans.find((p) => p.env === 'qa')!.create.map((c) => c.path), ['/app/demo-service/third-wheel']);
    assert.deepEqual(plan.plans.find((p) => p.env === 'prod')!.create.map((c) => c.path).sort(), ['/app/demo-service/secret-admirer', '/app/demo-service/third-wheel']);

    const del = (await h.client.sendRequest('orchard/parameter/delete', { env: 'dev', path: '/shared/resources/dbs/fig-db/port' })) as DeleteParameterResult;
    assert.deepEqual(del, { ok: false, reason: 'replication-source', destinations: ['/app/demo-service/replicated/sql/port'] });
    const del2 = (await h.client.sendRequest('orchard/parameter/delete', { env: 'dev', path: '/app/demo-service/third-wheel' })) as DeleteParameterResult;
    assert.deepEqual(del2, { ok: true });

    const envs = await h.client.sendRequest('orchard/environments/set', { envs: ['dev'] });
    assert.deepEqual(envs, { envs: ['dev'] });
    const uri = await h.open('src/config.py');
    const d = await h.waitForDiagnostics(uri, (x) => x.some((y) => y.code === 'missing-in-env' && msg(y).includes('third-wheel')));
    const tw = d.find((y) => y.code === 'missing-in-env' && msg(y).includes('third-wheel'))!;
    assert.match(msg(tw), /missing in dev/);
    assertNoCanary(h);
  } finally {
    await h.close();
  }
});

test('untrusted workspace: parse-only rules, no backend access', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed(), trusted: false });
  try {
    const files = exampleFiles();
    const bad = files['src/config.py'].replace('SQL_PORT = ReplicatedFig("replicated/sql/port", "/shared/resources/dbs/fig-db/port")', 'SQL_PORT = ReplicatedFig("/shared/resources/dbs/fig-db/port", name="replicated/sql/port")');
    const uri = await h.open('src/config.py', bad);
    const d = await h.waitForDiagnostics(uri, (x) => x.length > 0);
    assert.ok(!d.some((x) => x.code === 'missing-in-env'), 'no backend rule');
    const twice = d.find((x) => String(x.code).includes('name'));
    assert.ok(twice, JSON.stringify(d.map((x) => x.code)));
    const put = (await h.client.sendRequest('orchard/parameter/put', { env: 'dev', path: '/app/demo-service/x', value: 'v', type: 'String', overwrite: false })) as PutParameterResult;
    assert.deepEqual(put, { ok: false, reason: 'untrusted' });
    const status = (await h.client.sendRequest('orchard/status', {})) as StatusResult;
    assert.ok(status.envs.every((e) => e.backendKind === 'none'));
    // The ReplicatedFig fix is offered as an edit.
    const actions = (await h.client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: twice.range, context: { diagnostics: [twice] } })) as CodeAction[];
    const fix = actions.find((a) => a.title.startsWith('Fix ReplicatedFig'));
    assert.ok(fix?.edit?.changes?.[uri]?.[0].newText.includes('ReplicatedFig(name="replicated/sql/port", source="/shared/resources/dbs/fig-db/port")'));
  } finally {
    await h.close();
  }
});

test('a client without workspace/configuration (Neovim 0.7) sets environments by pushing settings', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed(), noConfigCapability: true });
  try {
    h.client.sendNotification('workspace/didChangeConfiguration', { settings: { orchard: { environments: ['dev', 'qa'] } } });
    const deadline = Date.now() + 10000;
    let envs: string[] = [];
    while (Date.now() < deadline) {
      envs = ((await h.client.sendRequest('orchard/status', {})) as StatusResult).envs.map((e) => e.env);
      if (envs.join() === 'dev,qa') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(envs, ['dev', 'qa']);
    const uri = await h.open('src/config.py');
    const d = await h.waitForDiagnostics(uri, (x) => x.some((y) => y.code === 'missing-in-env'));
    const third = d.find((x) => x.code === 'missing-in-env' && String(x.message).includes('third-wheel'));
    assert.match(String(third?.message), /missing in qa$/);
  } finally {
    await h.close();
  }
});

test('settings pushed again with the same environments keep the stores and what they said (only the refresh timer changes)', { timeout: 30000 }, async () => {
  const created: string[] = [];
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed(), noConfigCapability: true, onCreateStore: (env) => created.push(env) });
  try {
    h.client.sendNotification('workspace/didChangeConfiguration', { settings: { orchard: { environments: ['dev', 'qa'] } } });
    const uri = await h.open('src/config.py');
    await h.waitForDiagnostics(uri, (x) => x.some((y) => y.code === 'missing-in-env'));
    const before = created.length;
    assert.ok(before >= 2, `stores opened: ${created.join(', ')}`);
    // Neovim's lsp_check.lua pushes its settings once more with a refresh interval: a hover right
    // after it said "? unknown" for every environment while the stores were opened and read again.
    h.client.sendNotification('workspace/didChangeConfiguration', { settings: { orchard: { environments: ['dev', 'qa'], refreshInterval: 0 } } });
    const { line, character } = cursor(exampleFiles()['src/config.py'].replace('"replicated/sql/password"', '"replicated/sq|l/password"'));
    const hover = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } })) as { contents: { value: string } } | null;
    assert.ok(hover && !hover.contents.value.includes('unknown'), hover?.contents.value);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(created.length, before, `stores opened again: ${created.slice(before).join(', ')}`);
  } finally {
    await h.close();
  }
});

test('quick fixes fit the kind: a shared secret opens its sharing entry and says the owner command; a merge goes to its missing reference', { timeout: 30000 }, async () => {
  const seed = exampleSeed();
  // prod lacks the shared user (so the merged connection string's reference is missing too) and the merge itself.
  seed.prod = seed.prod.filter(([n]) => n !== '/app/demo-service/replicated/sql/user' && n !== '/app/demo-service/replicated/sql-connection');
  const h = await startHarness({ files: exampleFiles(), seed, showDocument: true });
  try {
    const uri = await h.open('src/config.py');
    const missing = (d: Diagnostic[], name: string) => d.find((x) => x.code === 'missing-in-env' && msg(x).startsWith(`/app/demo-service/${name} `));
    const diags = await h.waitForDiagnostics(uri, (d) => Boolean(missing(d, 'replicated/sql/user') && missing(d, 'replicated/sql-connection')));
    const actionsFor = async (d: Diagnostic) => (await h.client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];

    const shared = await actionsFor(missing(diags, 'replicated/sql/user')!);
    const sharedTitles = shared.map((a) => a.title);
    assert.ok(!shared.some((a) => a.kind === 'quickfix' && (a.title.startsWith('Add ') || a.title.startsWith('Run Orchard sync'))), `no value to type, nothing for sync to create: ${sharedTitles.join(' | ')}`);
    const open = shared.find((a) => a.title === 'Open the figgy-secrets.json entry that shares /app/demo-service/replicated/sql/user')!;
    assert.ok(open, sharedTitles.join(' | '));
    await h.client.sendRequest('workspace/executeCommand', { command: open.command!.command, arguments: open.command!.arguments });
    const shown = h.notifications.filter((n) => n.method === 'window/showDocument').map((n) => n.params as { uri: string; selection: { start: { line: number } } });
    assert.equal(shown.length, 1);
    assert.ok(shown[0].uri.endsWith('figgy/figgy-secrets.json'));
    const secretsText = exampleFiles()['figgy/figgy-secrets.json'];
    assert.match(secretsText.split('\n')[shown[0].selection.start.line], /\/app\/\$\{SERVICE_NAME\}\/replicated\/sql\/user/);
    const owner = shared.find((a) => a.title === 'Show the command the owner of /app/demo-service/replicated/sql/user runs for prod')!;
    assert.ok(owner, sharedTitles.join(' | '));
    await h.client.sendRequest('workspace/executeCommand', { command: owner.command!.command, arguments: owner.command!.arguments });
    const said = h.notifications.filter((n) => n.method === 'window/showMessage').map((n) => (n.params as { message: string }).message);
    assert.ok(said.some((m) => m.includes('figgy config sync --env prod --replication-only --config figgy/figgy-secrets.json')), said.join(' | '));

    const merged = await actionsFor(missing(diags, 'replicated/sql-connection')!);
    const mergedTitles = merged.map((a) => a.title);
    assert.ok(!mergedTitles.some((t) => t.startsWith('Add ')), mergedTitles.join(' | '));
    const goRef = merged.find((a) => a.title === 'Go to reference /app/demo-service/replicated/sql/user (missing in prod)');
    assert.ok(goRef, mergedTitles.join(' | '));
    assert.ok(!mergedTitles.some((t) => t.includes('replicated/sql/password')), 'present references are not offered');
    await h.client.sendRequest('workspace/executeCommand', { command: goRef!.command!.command, arguments: goRef!.command!.arguments });
    const last = h.notifications.filter((n) => n.method === 'window/showDocument').pop()!.params as { uri: string; selection: { start: { line: number } } };
    assert.equal(last.uri, uri);
    assert.match(exampleFiles()['src/config.py'].split('\n')[last.selection.start.line], /SQL_USER|sql\/user/);
    assertNoCanary(h);
  } finally {
    await h.close();
  }
});

test('a service that appears after start-up is asked about at once: missing, not "not asked", without a full refresh', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed() });
  try {
    const text = [
      'from figgy.figs import *',
      'from figgy.fig_store import FigStore',
      'class Figs(FigStore):',
      '    TWIG: str = "/app/late-service"',
      '    HOST = AppFig("host")',
      '    PORT = ReplicatedFig("port", source="/shared/resources/dbs/fig-db/port")',
      '',
    ].join('\n');
    const uri = await h.open('late-service/src/config.py', text);
    const diags = await h.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'missing-in-env' && msg(x).startsWith('/app/late-service/host ')));
    assert.match(msg(diags.find((x) => msg(x).startsWith('/app/late-service/host '))!), /missing in dev, qa and prod/);
    assert.ok(!diags.some((x) => x.code === 'unknown-in-env'), diags.map(msg).join(' | '));
    assert.ok(h.logs.some((l) => l.includes('read the stores for 1 new or changed service(s)')), 'only the new service was read');
    // A replication source declared while typing is asked about too (it exists: no finding for it).
    h.change('late-service/src/config.py', 2, text.replace('fig-db/port', 'fig-db/dns'));
    const after = await h.waitForDiagnostics(uri, (d) => d.some((x) => msg(x).startsWith('/app/late-service/port ')) && !d.some((x) => x.code === 'unknown-in-env'));
    assert.ok(!after.some((x) => x.code === 'replication-source-missing'), after.map(msg).join(' | '));
  } finally {
    await h.close();
  }
});

test('a service folder created or deleted as one watcher event for the folder: its files are read / cleared', { timeout: 30000 }, async () => {
  const h = await startHarness({ files: exampleFiles(), seed: exampleSeed() });
  try {
    const dir = path.join(h.root, 'gone-service');
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'src', 'config.py'), 'from figgy.figs import *\nfrom figgy.fig_store import FigStore\nclass Figs(FigStore):\n    TWIG: str = "/app/gone-service"\n    HOST = AppFig("host")\n');
    const uri = h.uri('gone-service/src/config.py');
    // Created with its files in one go: one event, for the folder.
    h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: h.uri('gone-service'), type: 1 }] });
    await h.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'missing-in-env'));
    rmSync(dir, { recursive: true, force: true });
    h.client.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: h.uri('gone-service'), type: 3 }] });
    await h.waitForDiagnostics(uri, (d) => d.length === 0);
  } finally {
    await h.close();
  }
});

test('regenerate figgy.json (the palette request): the whole new text for an unsaved stale figgy.json, "matches" once written, reasons otherwise', { timeout: 30000 }, async () => {
  const files = exampleFiles();
  const h = await startHarness({ files, seed: exampleSeed() });
  try {
    const fj = files['figgy/figgy.json'];
    const stale = fj.replace(/\n\s*"\/app\/demo-service\/third-wheel",?/, '\n');
    assert.notEqual(stale, fj, 'fixture lacks third-wheel in figgy.json');
    // Asked from config.py, which is not open: the server reads it; figgy.json is open with an unsaved edit.
    await h.open('figgy/figgy.json', fj);
    h.change('figgy/figgy.json', 2, stale);
    const ask = (rel: string) => h.client.sendRequest(RegenerateFiggyJsonRequest.method, { uri: h.uri(rel) }) as Promise<RegenerateFiggyJsonResult>;
    const r = await ask('src/config.py');
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.target, h.uri('figgy/figgy.json'));
    assert.equal(r.create, false);
    assert.ok(r.content.includes('"/app/demo-service/third-wheel"'));
    assert.equal(r.summary, 'replaces a file that is not valid JSON', 'the stale edit left a trailing comma');
    // Written (unsaved), the same request says it matches: never an empty edit.
    h.change('figgy/figgy.json', 3, r.content);
    const again = await ask('figgy/figgy.json');
    assert.deepEqual(again, { ok: false, reason: 'matches', target: h.uri('figgy/figgy.json'), configPy: h.uri('src/config.py') });
    // A file no service owns: said so, not "matches".
    const none = (await h.client.sendRequest(RegenerateFiggyJsonRequest.method, { uri: 'file:///nowhere/notes.py' })) as RegenerateFiggyJsonResult;
    assert.equal(none.ok ? 'ok' : none.reason, 'no-service');
  } finally {
    await h.close();
  }
});
