// Orchard in a real VS Code extension host (code-server), against a copy of examples/flask-service
// and a local store where qa lacks third-wheel and secret-admirer (scripts/real-editor/seed-store.ts).
const assert = require('assert');
const vscode = require('vscode');

const EXT_ID = 'orchard-dev.orchard';
const TWIG = '/app/demo-service';

async function waitFor(what, fn, ms = 60000) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let api;
let configUri;
const missingIn = (uri, path, env) => vscode.languages.getDiagnostics(uri)
  .filter((d) => d.code === 'missing-in-env' || (d.code && d.code.value === 'missing-in-env'))
  .filter((d) => d.message.includes(path) && new RegExp(`missing in .*\\b${env}\\b`).test(d.message));

function hoverText(hovers) {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

exports.tests = [
  ['extension activates and the language server starts', async () => {
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext, 'extension installed');
    api = await ext.activate();
    await api.ready;
    assert.deepStrictEqual(api.activeEnvironments(), ['dev', 'qa']);
    const cmds = await vscode.commands.getCommands(true);
    for (const c of ['orchard.sync', 'orchard.validate', 'orchard.addMissingParameter', 'orchard.revealValue', 'orchard.selectEnvironments']) assert.ok(cmds.includes(c), c);
  }],

  ['diagnostics: config.py reports what qa lacks, in one diagnostic per declaration', async () => {
    [configUri] = await vscode.workspace.findFiles('**/src/config.py');
    const doc = await vscode.workspace.openTextDocument(configUri);
    await vscode.window.showTextDocument(doc);
    const [d] = await waitFor('missing-in-env for third-wheel', () => { const x = missingIn(configUri, `${TWIG}/third-wheel`, 'qa'); return x.length ? x : null; });
    console.log(`TEST diagnostic: ${d.message} @${d.range.start.line + 1}`);
    assert.ok(doc.lineAt(d.range.start.line).text.includes('THIRD_WHEEL'), 'on the THIRD_WHEEL line');
    assert.ok(!/\bdev\b/.test(d.message.split('missing in')[1]), 'dev has it');
    assert.strictEqual(missingIn(configUri, `${TWIG}/secret-admirer`, 'qa').length, 1);
    assert.strictEqual(missingIn(configUri, `${TWIG}/admired-person`, 'qa').length, 0);
  }],

  ['hover: the secret shows per environment, redacted', async () => {
    const doc = await vscode.workspace.openTextDocument(configUri);
    const line = doc.getText().split('\n').findIndex((l) => l.includes('SQL_PASSWORD = SharedFig'));
    const col = doc.lineAt(line).text.indexOf('replicated/sql/password') + 3;
    const text = hoverText(await vscode.commands.executeCommand('vscode.executeHoverProvider', configUri, new vscode.Position(line, col)));
    console.log(`TEST hover: ${JSON.stringify(text.slice(0, 300))}`);
    assert.ok(text.includes(`${TWIG}/replicated/sql/password`));
    assert.ok(text.includes('••••••'), 'redacted value');
    assert.ok(/\bdev\b/.test(text) && /\bqa\b/.test(text));
    assert.ok(text.includes('🔒'), 'a SecureString is marked with the lock');
  }],

  ['tree: both environments list the service parameters; qa lacks what the store lacks', async () => {
    const roots = await api.treeChildren();
    assert.deepStrictEqual(roots.map((n) => n.env), ['dev', 'qa']);
    const leaves = {};
    for (const env of roots) {
      const app = (await api.treeChildren(env)).find((n) => n.type === 'folder' && n.path === '/app');
      assert.ok(app, `${env.env}: /app namespace`);
      const svc = (await api.treeChildren(app)).find((n) => n.type === 'folder' && n.path === TWIG);
      assert.ok(svc, `${env.env}: ${TWIG}`);
      const kids = (await api.treeChildren(svc)).filter((n) => n.type === 'parameter');
      leaves[env.env] = kids.filter((n) => n.node.status !== 'missing').map((n) => n.node.label);
      leaves[`${env.env} missing`] = kids.filter((n) => n.node.status === 'missing').map((n) => n.node.label);
    }
    console.log(`TEST tree: ${JSON.stringify(leaves)}`);
    for (const name of ['admired-person', 'third-wheel', 'secret-admirer']) assert.ok(leaves.dev.includes(name), `dev ${name}`);
    assert.ok(leaves.qa.includes('admired-person'));
    assert.ok(!leaves.qa.includes('third-wheel') && !leaves.qa.includes('secret-admirer'));
    // What qa lacks is listed as missing entries instead.
    assert.deepEqual(leaves['qa missing'].sort(), ['secret-admirer', 'third-wheel']);
  }],

  ['add missing parameter (the code action command) makes the qa diagnostic disappear', async () => {
    const doc = await vscode.workspace.openTextDocument(configUri);
    const [d] = missingIn(configUri, `${TWIG}/third-wheel`, 'qa');
    assert.ok(d, 'diagnostic present before');
    // the quick fix the server offers carries the command and its arguments
    // A request over its time budget answers empty by design (a busy server right after the UI
    // stage): ask again until the fix is there or the wait ends.
    let actions = [];
    const fix = await waitFor('the quick fix', async () => {
      actions = (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', configUri, d.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
      return actions.find((a) => a.command && a.command.command === 'orchard.addMissingParameter' && a.command.arguments[0].envs.includes('qa'));
    }, 15000).catch(() => undefined);
    assert.ok(fix, `quick fix offered; got ${JSON.stringify(actions.map((a) => a.title))}`);
    console.log(`TEST quick fix: ${fix.title}`);
    const file = process.env.ORCHARD_TYPED_CANARY_FILE;
    const typed = file ? require('fs').readFileSync(file, 'utf8') : 'typed-value-for-test';
    const result = await vscode.commands.executeCommand(fix.command.command, ...fix.command.arguments, { value: typed, type: 'String', description: 'added by the editor test' });
    assert.deepStrictEqual(result.added, fix.command.arguments[0].envs);
    await waitFor('the third-wheel diagnostic to go', () => missingIn(configUri, `${TWIG}/third-wheel`, 'qa').length === 0, 30000);
    assert.strictEqual(missingIn(configUri, `${TWIG}/secret-admirer`, 'qa').length, 1, 'the other one stays');
    void doc;
  }],

  ['compare across environments: presence and equality groups, no values', async () => {
    const [dev] = await api.treeChildren();
    const app = (await api.treeChildren(dev)).find((n) => n.path === '/app');
    const svc = (await api.treeChildren(app)).find((n) => n.path === TWIG);
    await vscode.commands.executeCommand('orchard.tree.compare', svc);
    // Rendered in its one webview tab per kind; the page is built from value-free Markdown.
    const view = await waitFor('the compare view', () => api.viewSnapshot('compare'), 10000);
    const tab = await waitFor('the compare tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /^Orchard Compare — /.test(t.label)), 10000);
    assert.ok(tab.input instanceof vscode.TabInputWebview, 'a rendered view, not a text editor');
    assert.match(view.html, /<td class="bad">✗ missing<\/td>/, 'rendered as an HTML table');
    const text = view.markdown;
    console.log(`TEST compare: ${JSON.stringify(text.split('\n').filter((l) => l.startsWith('| `')).slice(0, 4))}`);
    const row = (name) => text.split('\n').find((l) => l.startsWith(`| \`${name}\``));
    assert.ok(text.includes(`| Parameter under \`${TWIG}/\` | dev | qa | Equal |`), 'rows are named under the service');
    assert.strictEqual(row('admired-person'), '| `admired-person` | ✓ A | ✓ A | yes |');
    assert.strictEqual(row('secret-admirer'), '| `secret-admirer` | ✓ A 🔒 | ✗ missing | no |');
    assert.strictEqual(row('third-wheel'), '| `third-wheel` | ✓ A | ✓ B | no |', 'qa got a different value from the test');
    for (const value of ['db.internal', 'nobody', 'demo_user']) assert.ok(!text.includes(value) && !view.html.includes(value), `no value (${value}) in the matrix`);
    // The source is one click away, for pasting into a PR.
    await vscode.commands.executeCommand('orchard.view.openSource', 'compare');
    const src = await waitFor('the Markdown source', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'orchard-view' && d.getText() === text), 10000);
    assert.ok(src.isDirty === false);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }],

  ['Regenerate figgy.json from the palette: applied to the stale file, opened, what changed said', async () => {
    const folder = vscode.workspace.workspaceFolders[0].uri;
    const fjUri = vscode.Uri.joinPath(folder, 'figgy', 'figgy.json');
    const doc = await vscode.workspace.openTextDocument(fjUri);
    const original = doc.getText();
    // Drop third-wheel from figgy.json (unsaved): figgy.json is now stale against config.py.
    const stale = original.replace(/\n\s*"\/app\/demo-service\/third-wheel",?/, '\n');
    assert.notStrictEqual(stale, original, 'fixture lost its third-wheel line');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(fjUri, new vscode.Range(doc.positionAt(0), doc.positionAt(original.length)), stale);
    await vscode.workspace.applyEdit(edit);
    const py = vscode.Uri.joinPath(folder, 'src', 'config.py');
    await vscode.window.showTextDocument(py);
    // The server has seen the unsaved edit once config.py says figgy.json lacks the entry.
    await waitFor('the drift on config.py', () => vscode.languages.getDiagnostics(py).some((d) => d.message.includes('figgy.json lacks') && d.message.includes('third-wheel')), 15000);
    const outcome = await vscode.commands.executeCommand('orchard.regenerateFiggyJson');
    console.log(`TEST regenerate: ${JSON.stringify(outcome)}`);
    assert.ok(outcome && outcome.applied, `the command wrote figgy.json: ${JSON.stringify(outcome)}`);
    assert.strictEqual(outcome.target, fjUri.toString());
    const shown = await waitFor('figgy.json regenerated and shown', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === fjUri.toString() && e.document.getText().includes('/app/demo-service/third-wheel')), 15000);
    console.log(`TEST regenerate: third-wheel back in figgy.json (${shown.document.lineCount} lines)`);
    // Leave the workspace as it was.
    const back = new vscode.WorkspaceEdit();
    back.replace(fjUri, new vscode.Range(shown.document.positionAt(0), shown.document.positionAt(shown.document.getText().length)), original);
    await vscode.workspace.applyEdit(back);
    await shown.document.save();
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }],

  ['history of a secret: versions and authors, no values', async () => {
    await vscode.commands.executeCommand('orchard.tree.showHistory', { env: 'dev', path: `${TWIG}/replicated/sql/user` });
    const view = await waitFor('the history view', () => { const v = api.viewSnapshot('history'); return v && v.markdown.includes('replicated/sql/user') ? v : undefined; }, 10000);
    await waitFor('the history tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => /^Orchard History — .*replicated\/sql\/user \(dev\)$/.test(t.label) && t.input instanceof vscode.TabInputWebview), 10000);
    const text = view.markdown;
    assert.match(view.html, /<td>SecureString<\/td>/);
    assert.ok(text.includes('- Type: SecureString'));
    assert.ok(text.includes('| 1 | SecureString |'));
    assert.ok(text.includes('local:seed@'));
    assert.ok(!text.includes('demo_user') && !view.html.includes('demo_user'), 'no value');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }],

  ['a quick fix that shows a place runs on the server and opens the file there (shared secret → its figgy-secrets.json entry)', async () => {
    const all = await vscode.commands.getCommands(true);
    assert.ok(all.includes('orchard.server.showLocation'), 'the language client registered the server command');
    const folder = vscode.workspace.workspaceFolders[0].uri;
    const target = vscode.Uri.joinPath(folder, 'figgy', 'figgy-secrets.json');
    await vscode.commands.executeCommand('orchard.server.showLocation', { uri: target.toString(), range: { start: { line: 2, character: 4 }, end: { line: 2, character: 10 } } });
    const ed = await waitFor('figgy-secrets.json shown', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === target.toString() && e.selection.start.line === 2), 10000);
    console.log(`TEST showLocation: ${vscode.workspace.asRelativePath(ed.document.uri)}:${ed.selection.start.line + 1}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }],

  ['status, compare and validate go through the server without values', async () => {
    const plan = await vscode.commands.executeCommand('orchard.validate');
    assert.ok(plan && Array.isArray(plan.plans));
    const qa = plan.plans.find((p) => p.env === 'qa');
    assert.deepStrictEqual(qa.create.map((c) => c.path), [`${TWIG}/secret-admirer`]);
  }],
  ['quick fixes per kind in the editor: a shared secret and a merge get no value prompt; each opens the place to act', async () => {
    // A second service, written while the editor runs (the server sees it through the file watcher):
    // its shared token and its merge are missing everywhere, since nobody shared or built them.
    const folder = vscode.workspace.workspaceFolders[0].uri;
    const dir = vscode.Uri.joinPath(folder, 'kinds-service');
    const py = vscode.Uri.joinPath(dir, 'src', 'config.py');
    const secrets = vscode.Uri.joinPath(dir, 'figgy', 'figgy-secrets.json');
    const enc = (t) => Buffer.from(t, 'utf8');
    await vscode.workspace.fs.writeFile(secrets, enc('{\n  "replicate_figs": {\n    "/dba/secrets/${SERVICE_NAME}/token": "/app/${SERVICE_NAME}/replicated/token"\n  }\n}\n'));
    await vscode.workspace.fs.writeFile(py, enc([
      'from figgy.figs import *',
      'from figgy.fig_store import FigStore',
      'SERVICE_NAME: str = "kinds-service"',
      '',
      'class Figs(FigStore):',
      '    TWIG: str = f"/app/{SERVICE_NAME}"',
      '    TOKEN = SharedFig("replicated/token")',
      '    HOST = AppFig("host")',
      '    URL = MergeFig(name="url", pattern=["https://", HOST, "/?t=", TOKEN])',
      '',
    ].join('\n')));
    try {
      const doc = await vscode.workspace.openTextDocument(py);
      await vscode.window.showTextDocument(doc);
      const find = (path) => vscode.languages.getDiagnostics(py).find((d) => d.message.startsWith(`${path} `) && /missing in/.test(d.message));
      const token = await waitFor('the shared token missing', () => find('/app/kinds-service/replicated/token'), 30000).catch((e) => {
        console.log(`TEST seen: ${JSON.stringify(vscode.languages.getDiagnostics(py).map((d) => d.message))}`);
        throw e;
      });
      const url = await waitFor('the merge missing', () => find('/app/kinds-service/url'), 30000);
      // The quick fixes VS Code offers on that line (it passes the line's diagnostics to the server).
      const titlesAt = async (d) => (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', py, d.range))
        .filter((a) => a.kind && a.kind.value === 'quickfix');
      // figgy-secrets.json reaches the server through the file watcher, maybe after config.py.
      const shared = await waitFor('the sharing entry action', async () => { const x = await titlesAt(token); return x.some((a) => a.title.startsWith('Open the figgy-secrets.json')) ? x : null; }, 15000);
      console.log(`TEST shared fixes: ${JSON.stringify(shared.map((a) => a.title))}`);
      assert.ok(!shared.some((a) => /^Add |^Run Orchard sync/.test(a.title)), 'nothing to type, nothing for sync to create');
      const open = shared.find((a) => a.title === 'Open the figgy-secrets.json entry that shares /app/kinds-service/replicated/token');
      assert.ok(open && shared.some((a) => a.title === 'Show the command the owner of /app/kinds-service/replicated/token runs for qa'));
      await vscode.commands.executeCommand(open.command.command, ...open.command.arguments);
      await waitFor('figgy-secrets.json at the sharing line', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === secrets.toString() && e.document.lineAt(e.selection.start.line).text.includes('replicated/token')), 10000);
      const merged = await titlesAt(url);
      console.log(`TEST merge fixes: ${JSON.stringify(merged.map((a) => a.title))}`);
      assert.ok(!merged.some((a) => /^Add /.test(a.title)), 'Figgy builds a merge: no value to type');
      for (const ref of ['host', 'replicated/token']) assert.ok(merged.some((a) => a.title === `Go to reference /app/kinds-service/${ref} (missing in dev, qa)`), ref);
      const app = await titlesAt(await waitFor('the app fig missing', () => find('/app/kinds-service/host'), 10000));
      assert.ok(app.some((a) => a.title === 'Add /app/kinds-service/host to qa'), 'an AppFig is typed in');
      // No figgy.json yet: Regenerate from the palette creates it where ConfigWriter would.
      await vscode.window.showTextDocument(doc);
      const outcome = await vscode.commands.executeCommand('orchard.regenerateFiggyJson');
      console.log(`TEST generate: ${JSON.stringify(outcome)}`);
      const fj = vscode.Uri.joinPath(dir, 'figgy', 'figgy.json');
      assert.ok(outcome && outcome.applied && outcome.target === fj.toString(), JSON.stringify(outcome));
      const created = await waitFor('the new figgy.json shown', () => vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === fj.toString()), 10000);
      assert.match(created.document.getText(), /^\{\n {4}"twig": "\/app\/kinds-service",\n {4}"app_figs": \[\n {8}"\/app\/kinds-service\/host"\n {4}\]/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      // Last test: the deleted files' documents stay open in VS Code's model for a while (and so do
      // their diagnostics, as with any language server), so nothing after this depends on them.
      await vscode.workspace.fs.delete(dir, { recursive: true });
    }
  }],

];
