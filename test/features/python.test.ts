// Features on config.py through the real tree-sitter parser, with cursor-marker fixtures
// (test/fixtures/features/config.py; `|` marks the cursor in the edited copies below).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { initPython } from '../../server/src/parse/python';
import { renderFiggyJson } from '../../server/src/model/figgyJsonWriter';
import { hover, completion, codeActions, codeLenses, definition, references, documentSymbols } from '../../server/src/features';
import { changeSummary, planFiggyJson } from '../../server/src/features/codeActions';
import { applyEdits, ctxOf, cursor, listedState, meta, workspaceOf } from './helpers';
import type { Finding } from '../../server/src/analysis/types';

const FIX = path.join(__dirname, '..', 'fixtures', 'features');
const PY = readFileSync(path.join(FIX, 'config.py'), 'utf8');
const SECRETS = readFileSync(path.join(FIX, 'figgy-secrets.json'), 'utf8');
const T = '/app/demo-service';

before(async () => {
  await initPython();
});

function setup(py = PY, extra: Record<string, string> = {}) {
  return workspaceOf({ 'src/config.py': py, 'figgy/figgy-secrets.json': SECRETS, ...extra });
}

function states() {
  const dev = [
    meta(`${T}/secret-admirer`, 'SecureString'),
    meta(`${T}/admired-person`),
    meta(`${T}/replicated/sql/user`, 'SecureString'),
    meta(`${T}/replicated/sql/password`, 'SecureString'),
    meta(`${T}/replicated/sql/hostname`),
    meta(`${T}/replicated/sql/port`),
    meta(`${T}/replicated/sql-connection`, 'SecureString'),
  ];
  return [listedState('dev', T, dev), listedState('qa', T, dev.slice(1))];
}

function posOf(text: string, needle: string, delta = 1) {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  const b = text.slice(0, i + delta);
  return { line: b.split('\n').length - 1, character: i + delta - (b.lastIndexOf('\n') + 1) };
}

test('hover on a declaration: path, kind, env override, per env', () => {
  const { ws, uri } = setup();
  const c = cursor(PY.replace('SQL_USER = Shared', 'SQL_U|SER = Shared'));
  const h = hover(ctxOf(ws, states()), uri('src/config.py'), c.pos)!;
  assert.match(h.markdown, /\*\*`\/app\/demo-service\/replicated\/sql\/user`\*\* — SharedFig `SQL_USER`/);
  assert.match(h.markdown, /Environment override: `REPLICATED_SQL_USER`/);
  assert.match(h.markdown, /\| dev \| ✓ present 🔒 \|/);
  assert.match(h.markdown, /\| qa \| ✓ present/);
  const h2 = hover(ctxOf(ws, states()), uri('src/config.py'), cursor(PY.replace('SECRET_ADMIRER =', 'SECRET_|ADMIRER =')).pos)!;
  assert.match(h2.markdown, /\| qa \| ✗ missing/);
});

test('completion: Fig constructors after `NAME = `, keyword args inside a call, attributes inside a pattern', () => {
  const { ws, uri } = setup();
  const ctx = ctxOf(ws, states());
  const u = uri('src/config.py');
  const a = cursor(PY.replace('    SQL_USER = SharedFig', '    NEW_FIG = |\n    SQL_USER = SharedFig'));
  assert.deepEqual(completion(ctx, u, a.text, a.pos).map((i) => i.label), ['AppFig', 'SharedFig', 'ReplicatedFig', 'MergeFig']);
  const b = cursor(PY.replace('AppFig("admired-person", default="Your Crush")', 'AppFig("admired-person", |)'));
  assert.deepEqual(completion(ctx, u, b.text, b.pos).map((i) => i.label), ['default=']);
  const c = cursor(PY.replace('uri_encode=[SQL_USER, SQL_PASSWORD]', 'uri_encode=[SQL_USER, |]'));
  const attrs = completion(ctx, u, c.text, c.pos).map((i) => i.label);
  assert.ok(attrs.includes('SQL_PASSWORD') && attrs.includes('SQL_HOSTNAME'), attrs.join(','));
});

test('completion of source= paths segment by segment from the store tree', () => {
  const { ws, uri } = setup();
  const ctx = ctxOf(ws, states(), { sourcePaths: ['/shared/resources/dbs/fig-db/dns', '/shared/resources/dbs/fig-db/port', '/shared/queues/orders/url'] });
  const u = uri('src/config.py');
  const a = cursor(PY.replace('source="/shared/resources/dbs/fig-db/dns")', 'source="/shared/|")'));
  const items = completion(ctx, u, a.text, a.pos);
  assert.deepEqual(items.map((i) => i.label).sort(), ['/shared/queues/', '/shared/resources/']);
  const b = cursor(PY.replace('source="/shared/resources/dbs/fig-db/dns")', 'source="/shared/resources/dbs/fig-db/|")'));
  assert.deepEqual(completion(ctx, u, b.text, b.pos).map((i) => i.label), ['/shared/resources/dbs/fig-db/dns', '/shared/resources/dbs/fig-db/port']);
  // The edit replaces what was typed inside the string, not the quote.
  const r = completion(ctx, u, b.text, b.pos)[0].range!;
  assert.equal(r.start.character, b.pos.character - '/shared/resources/dbs/fig-db/'.length);
});

test('ReplicatedFig given name twice → the fix rewrites the call as name=..., source=...', () => {
  const { ws, uri, texts } = setup();
  const u = uri('src/config.py');
  const line = posOf(PY, 'SQL_PORT = ').line;
  const f: Finding = { code: 'replicated-name-twice', severity: 'error', message: 'm', uri: u, range: { start: { line, character: 4 }, end: { line, character: 90 } }, data: { fix: 'replicated-args' } };
  const a = codeActions(ctxOf(ws, [], { getText: (x) => texts.get(x) }), u, f.range, [f]).find((x) => x.title.startsWith('Fix ReplicatedFig'))!;
  const out = applyEdits(PY, a.edit!.changes[u]);
  assert.ok(out.includes('SQL_PORT = ReplicatedFig(name="replicated/sql/port", source="/shared/resources/dbs/fig-db/port")'), out);
});

test('declare a SharedFig for a figgy-secrets.json destination', () => {
  const { ws, uri, texts } = setup();
  const u = uri('src/config.py');
  const su = uri('figgy/figgy-secrets.json');
  const svc = ws.services.find((s) => s.twig === T)!;
  const f: Finding = { code: 'secret-destination-undeclared', severity: 'warning', message: 'm', uri: su, range: { start: posOf(SECRETS, '"/app/${SERVICE_NAME}/replicated/api/token"', 0), end: posOf(SECRETS, '/api/token"', 11) }, data: { fix: 'declare-shared', path: `${T}/replicated/api/token`, serviceId: svc.id } };
  const a = codeActions(ctxOf(ws, [], { getText: (x) => texts.get(x) }), su, f.range, [f]).find((x) => x.title.startsWith('Declare'))!;
  const out = applyEdits(PY, a.edit!.changes[u]);
  assert.match(out, /\n {8}uri_encode=\[SQL_USER, SQL_PASSWORD\],\n {4}\)\n {4}REPLICATED_API_TOKEN = SharedFig\("replicated\/api\/token"\)/);
});

test('regenerate figgy.json is a whole-file edit with the writer output; generated when absent', () => {
  const stale = '{\n    "twig": "/app/demo-service",\n    "app_figs": []\n}\n';
  const { ws, uri, texts } = setup(PY, { 'figgy/figgy.json': stale });
  const svc = ws.services.find((s) => s.twig === T)!;
  const ctx = ctxOf(ws, [], { getText: (x) => texts.get(x), renderFiggyJson });
  const f: Finding = { code: 'figgy-json-drift', severity: 'warning', message: 'm', uri: uri('figgy/figgy.json'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, data: { fix: 'regenerate-figgy-json', serviceId: svc.id } };
  const a = codeActions(ctx, f.uri, f.range, [f]).find((x) => x.title.startsWith('Regenerate'))!;
  const out = applyEdits(stale, a.edit!.changes[uri('figgy/figgy.json')]);
  assert.equal(out, renderFiggyJson(svc.configPy!.cls, T));
  // The title says what changes before it is applied.
  assert.match(a.title, /^Regenerate figgy\.json from config\.py \(\d+ added\)$/);
  assert.equal(changeSummary('{"a": ["x", "y"]}', '{\n  "a": ["x", "y"]\n}'), 'formatting only');
  assert.equal(changeSummary('{"a": ["x", "y"]}', '{"a": ["x", "z", "w"]}'), '2 added, 1 removed');
  assert.equal(changeSummary('{"a": [', '{}'), 'replaces a file that is not valid JSON');
  assert.deepEqual((JSON.parse(out) as { app_figs: string[] }).app_figs, [`${T}/admired-person`, `${T}/secret-admirer`]);

  const alone = setup();
  const ctx2 = ctxOf(alone.ws, [], { getText: (x) => alone.texts.get(x), renderFiggyJson });
  const gen = codeActions(ctx2, alone.uri('src/config.py'), f.range, []).find((x) => x.title.startsWith('Generate'))!;
  assert.equal(gen.edit?.createFiles?.length, 1);
  assert.match(gen.edit!.createFiles![0], /\/figgy\/figgy\.json$/);
});

test('the palette plan for figgy.json says why it writes nothing: matches, names known at run time, unreadable', () => {
  const stale = '{\n    "twig": "/app/demo-service",\n    "app_figs": []\n}\n';
  const { ws, texts } = setup(PY, { 'figgy/figgy.json': stale });
  const svc = ws.services.find((s) => s.twig === T)!;
  const written = renderFiggyJson(svc.configPy!.cls, T);
  const plan = (get: (u: string) => string | undefined) => planFiggyJson(ctxOf(ws, [], { getText: get, renderFiggyJson }), svc);
  const w = plan((x) => texts.get(x));
  assert.ok(w.kind === 'write' && !w.create && w.content === written && w.old === stale && /^\d+ added$/.test(w.summary), JSON.stringify(w));
  // Already what ConfigWriter writes: "matches", never an edit.
  assert.deepEqual(plan((x) => (x === svc.figgyJson!.uri ? written : texts.get(x))), { kind: 'matches', target: svc.figgyJson!.uri });
  // figgy.json exists but its text is not known: unreadable, not "matches".
  assert.equal(plan((x) => (x === svc.figgyJson!.uri ? undefined : texts.get(x))).kind, 'unavailable');
  // A name only known at run time: no guessed file.
  const dyn = setup(PY.replace('ADMIRED_PERSON = AppFig("admired-person", default="Your Crush")', 'ADMIRED_PERSON = AppFig(os.environ["PERSON"])'), { 'figgy/figgy.json': stale });
    const d = planFiggyJson(ctxOf(dyn.ws, [], { getText: (x) => dyn.texts.get(x), renderFiggyJson }), dyn.ws.services.find((s) => s.twig === T)!);
  assert.ok(d.kind === 'unavailable' && d.reason === 'runtime-names' && d.detail.includes('ADMIRED_PERSON'), JSON.stringify(d));
});

test('definition and references across config.py pattern refs and figgy-secrets.json', () => {
  const { ws, uri } = setup();
  const u = uri('src/config.py');
  const ref = cursor(PY.replace('uri_encode=[SQL_USER, SQL_PASSWORD]', 'uri_encode=[SQL_USER, SQL_PASS|WORD]'));
  const def = definition(ws, u, ref.pos);
  assert.deepEqual(def, [{ uri: u, range: ws.services[0].configPy!.cls.figs.find((f) => f.attr === 'SQL_PASSWORD')!.attrRange }]);
  const refs = references(ws, u, posOf(PY, 'SQL_PASSWORD = '));
  const inPy = refs.filter((r) => r.uri === u).length;
  assert.equal(inPy, 4, 'attribute, name, pattern and uri_encode');
  assert.equal(refs.filter((r) => r.uri.endsWith('figgy-secrets.json')).length, 1);
  // From the secrets destination to the SharedFig in config.py.
  const su = uri('figgy/figgy-secrets.json');
  const back = definition(ws, su, posOf(SECRETS, '"/app/${SERVICE_NAME}/replicated/sql/password"', 3));
  assert.equal(back[0].uri, u);
  assert.equal(back[0].range.start.line, posOf(PY, 'SQL_PASSWORD = ').line);
});

test('document symbols and code lenses of config.py', () => {
  const { ws, uri } = setup();
  const u = uri('src/config.py');
  const [cls] = documentSymbols(ws, u);
  assert.equal(cls.name, 'Figs');
  assert.deepEqual(cls.children?.map((c) => c.name), ['TWIG', 'SECRET_ADMIRER', 'ADMIRED_PERSON', 'SQL_USER', 'SQL_PASSWORD', 'SQL_HOSTNAME', 'SQL_PORT', 'SQL_CONNECTION_STRING']);
  assert.match(cls.children![3].detail!, /SharedFig \/app\/demo-service\/replicated\/sql\/user/);
  const lenses = codeLenses(ctxOf(ws, states()), u);
  assert.equal(lenses.length, 7);
  assert.equal(lenses[0].title, 'dev ✓ qa ✗');
  assert.equal(lenses[1].title, 'dev ✓ qa ✓');
});

test('completion of names inside figgy.json lists offers config.py declarations not yet listed', () => {
  const figgy = `{
    "twig": "/app/demo-service",
    "app_figs": [
        "/app/demo-service/admired-person",
        "|"
    ],
    "shared_figs": []
}`;
  const c = cursor(figgy);
  const { ws, uri } = setup(PY, { 'figgy/figgy.json': c.text });
  const items = completion(ctxOf(ws, states()), uri('figgy/figgy.json'), c.text, c.pos);
  assert.deepEqual(items.map((i) => i.label), [`${T}/secret-admirer`]);
  const s = cursor(c.text.replace('"shared_figs": []', '"shared_figs": ["|"]').replace('        "|"\n', '        "x"\n'));
  const shared = completion(ctxOf(ws, states()), uri('figgy/figgy.json'), s.text, s.pos).map((i) => i.label);
  assert.deepEqual(shared, [`${T}/replicated/sql/password`, `${T}/replicated/sql/user`]);
});

test('regenerate writes the TWIG as written (trailing slash kept) and is not offered when a name is only known at run time', () => {
  const py = PY.replace('TWIG: str = f"/app/{SERVICE_NAME}"', 'TWIG: str = f"/app/{SERVICE_NAME}/"');
  assert.notEqual(py, PY, 'the fixture has the TWIG line this test edits');
  const stale = '{\n    "twig": "/app/demo-service",\n    "app_figs": []\n}\n';
  const { ws, uri, texts } = setup(py, { 'figgy/figgy.json': stale });
  const svc = ws.services.find((s) => s.twig === T)!;
  const ctx = ctxOf(ws, [], { getText: (x) => texts.get(x), renderFiggyJson });
  const f: Finding = { code: 'figgy-json-drift', severity: 'warning', message: 'm', uri: uri('figgy/figgy.json'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, data: { fix: 'regenerate-figgy-json', serviceId: svc.id } };
  const a = codeActions(ctx, f.uri, f.range, [f]).find((x) => x.title.startsWith('Regenerate'))!;
  const out = applyEdits(stale, a.edit!.changes[uri('figgy/figgy.json')]);
  assert.equal((JSON.parse(out) as { twig: string }).twig, `${T}/`);
  assert.equal(out, renderFiggyJson(svc.configPy!.cls, `${T}/`));

  // A Fig whose name comes from the environment: ConfigWriter's output is unknown, so nothing is written.
  const runtime = PY.replace('AppFig("secret-admirer")', 'AppFig(os.environ["ADMIRER"])').replace(/^/, 'import os\n');
  assert.notEqual(runtime, PY);
  const r = setup(runtime, { 'figgy/figgy.json': stale });
  const rsvc = r.ws.services.find((s) => s.twig === T)!;
  const rctx = ctxOf(r.ws, [], { getText: (x) => r.texts.get(x), renderFiggyJson });
  const rf = { ...f, data: { fix: 'regenerate-figgy-json' as const, serviceId: rsvc.id } };
  assert.equal(codeActions(rctx, rf.uri, rf.range, [rf]).find((x) => x.title.startsWith('Regenerate')), undefined);
});
