// Features on figgy.json / figgy-secrets.json through the real JSON parsers and workspace builder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hover, definition, references, completion, codeActions, codeLenses, documentSymbols, REDACTED } from '../../server/src/features';
import { ClientCommands } from '../../server/src/features/commands';
import { applyEdits, ctxOf, cursor, failedState, listedState, meta, workspaceOf } from './helpers';

const TWIG = '/app/svc';
const FIGGY = `{
    "twig": "/app/svc",
    "app_figs": [
        "/app/svc/host",
        "/app/svc/token"
    ],
    "shared_figs": [
        "/app/svc/db/password"
    ],
    "replicate_figs": {
        "/shared/db/port": "/app/svc/db/port"
    },
    "merged_figs": {
        "/app/svc/url": [
            "https://",
            "\${/app/svc/host}",
            ":",
            "\${/app/svc/db/port}",
            "?p=",
            "\${/app/svc/db/password:uri}"
        ]
    }
}`;
const SECRETS = `{
  "replicate_figs": {
    "/dba/secrets/\${SERVICE_NAME}/password": "/app/\${SERVICE_NAME}/db/password"
  }
}`;

function setup(figgy = FIGGY) {
  return workspaceOf({ 'figgy/figgy.json': figgy, 'figgy/figgy-secrets.json': SECRETS });
}

const CANARY_PLAIN = 'plain-canary-8841';

function states() {
  return [
    listedState('dev', TWIG, [meta('/app/svc/host'), meta('/app/svc/token', 'SecureString', 3), meta('/app/svc/db/password', 'SecureString'), meta('/app/svc/db/port'), meta('/app/svc/url', 'SecureString')], {
      params: new Map([
        ...[meta('/app/svc/host'), meta('/app/svc/token', 'SecureString', 3), meta('/app/svc/db/password', 'SecureString'), meta('/app/svc/db/port'), meta('/app/svc/url', 'SecureString'), meta('/shared/db/port')].map((m) => [m.name, m] as const),
      ]),
    }),
    listedState('qa', TWIG, [meta('/app/svc/host')]),
    failedState('prod', TWIG, { kind: 'access-denied', message: 'AccessDenied on /app/svc' }),
  ];
}

function at(text: string, needle: string, delta = 1) {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, needle);
  const before = text.slice(0, i + delta);
  return { line: before.split('\n').length - 1, character: i + delta - (before.lastIndexOf('\n') + 1) };
}

test('hover on an app_figs entry: per-env presence, unknown is not missing, values redacted', () => {
  const { ws, uri } = setup();
  const values = new Map([['dev:/app/svc/host', CANARY_PLAIN]]);
  const ctx = ctxOf(ws, states(), { plainValue: (e, p) => values.get(`${e}:${p}`) });
  const h = hover(ctx, uri('figgy/figgy.json'), at(FIGGY, '"/app/svc/host"', 3));
  assert.ok(h, 'hover expected');
  assert.match(h.markdown, /\/app\/svc\/host/);
  // A narrow table: the time relative (exact stamp as the link title), the author as the backend names it.
  assert.match(h.markdown, /\| dev \| ✓ present \| 1 \| \[\d+ d ago\]\(# "2026-01-02T03:04:05.000Z"\) by local:alice@host \|/);
  assert.match(h.markdown, /\| qa \| ✓ present/);
  assert.match(h.markdown, /\| prod \| \? unknown \(AccessDenied on \/app\/svc\)/);
  assert.doesNotMatch(h.markdown, /prod \| ✗/);
  assert.doesNotMatch(h.markdown, /Environment override/, 'the override sentence belongs to config.py');
  // Default policy: even a plain value is not shown.
  assert.ok(!h.markdown.includes(CANARY_PLAIN));
  assert.ok(h.markdown.includes(REDACTED));
});

test('hover shows a String value only under the plain policy, and never a SecureString', () => {
  const { ws, uri } = setup();
  const values = new Map([
    ['dev:/app/svc/host', CANARY_PLAIN],
    ['dev:/app/svc/token', 'secure-canary-1'],
  ]);
  const ctx = ctxOf(ws, states(), { hoverValues: 'plain', plainValue: (e, p) => values.get(`${e}:${p}`) });
  const plain = hover(ctx, uri('figgy/figgy.json'), at(FIGGY, '"/app/svc/host"', 3))!;
  assert.ok(plain.markdown.includes(CANARY_PLAIN));
  const secure = hover(ctx, uri('figgy/figgy.json'), at(FIGGY, '"/app/svc/token"', 3))!;
  assert.ok(!secure.markdown.includes('secure-canary-1'));
  assert.match(secure.markdown, /\| dev \| ✓ present 🔒 \| 3 \| .*\| ••••••/);
  assert.match(secure.markdown, /\| qa \| ✗ missing/);
});

test('hover on a merged destination shows the assembled value per env with secret parts masked', () => {
  const { ws, uri } = setup();
  const values = new Map([
    ['dev:/app/svc/host', 'example.org'],
    ['dev:/app/svc/db/port', '5432'],
  ]);
  const ctx = ctxOf(ws, states(), { hoverValues: 'plain', plainValue: (e, p) => values.get(`${e}:${p}`) });
  const h = hover(ctx, uri('figgy/figgy.json'), at(FIGGY, '"/app/svc/url"', 3))!;
  assert.match(h.markdown, /- dev: `https:\/\/example\.org:5432\?p=••••••`/);
  // qa has host, but no cached value for it there: shown by name, not guessed from dev.
  assert.match(h.markdown, /- qa: `https:\/\/‹host›:‹missing port›\?p=‹missing password›`/);
  assert.match(h.markdown, /- prod: `https:\/\/‹\? host›:‹\? port›\?p=‹\? password›`/);
  // Without the plain policy the plain parts are masked too.
  const h2 = hover(ctxOf(ws, states()), uri('figgy/figgy.json'), at(FIGGY, '"/app/svc/url"', 3))!;
  assert.ok(!h2.markdown.includes('example.org'));
  assert.match(h2.markdown, /- dev: `https:\/\/‹host›:‹port›\?p=••••••`/);
});

test('hover on a replication destination shows the source with its own status', () => {
  const { ws, uri } = setup();
  const h = hover(ctxOf(ws, states()), uri('figgy/figgy.json'), at(FIGGY, '"/app/svc/db/port"', 3))!;
  assert.match(h.markdown, /Replicated from `\/shared\/db\/port`: dev ✓ · qa \? · prod \?/);
});

test('definition from a merge reference goes to the declaring entry; references span figgy.json and figgy-secrets.json', () => {
  const { ws, uri } = setup();
  const fj = uri('figgy/figgy.json');
  const defs = definition(ws, fj, at(FIGGY, '${/app/svc/host}', 4));
  assert.equal(defs.length, 1);
  assert.equal(defs[0].uri, fj);
  assert.deepEqual(defs[0].range.start, at(FIGGY, '"/app/svc/host"', 0));

  const refs = references(ws, fj, at(FIGGY, '"/app/svc/db/password"', 3));
  const files = refs.map((r) => r.uri.split('/').pop()).sort();
  assert.deepEqual(files, ['figgy-secrets.json', 'figgy.json', 'figgy.json']);
  // From the secrets file's templated destination back to the service.
  const sec = uri('figgy/figgy-secrets.json');
  const back = references(ws, sec, at(SECRETS, '"/app/${SERVICE_NAME}/db/password"', 3));
  assert.equal(back.length, 3);
});

test('completion of ${...} merge references inside merged_figs', () => {
  const { ws, uri } = setup();
  const text = FIGGY.replace('"?p=",', '"${|",');
  const c = cursor(text);
  const items = completion(ctxOf(ws, states()), uri('figgy/figgy.json'), c.text, c.pos);
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('${/app/svc/host}'));
  assert.ok(labels.includes('${/app/svc/db/password:uri}'));
  assert.ok(!labels.includes('${/app/svc/url}'), 'a merged value does not reference itself');
  assert.equal(items[0].range?.start.character, c.pos.character - 2);
});

test('code lens per entry reads dev ✓ qa ✗ prod ?, says it in words, and a click only shows it in the tree', () => {
  const { ws, uri } = setup();
  const lenses = codeLenses(ctxOf(ws, states()), uri('figgy/figgy.json'));
  const token = lenses.find((l) => l.range.start.line === at(FIGGY, '"/app/svc/token"').line);
  assert.ok(token);
  assert.equal(token.title, 'dev ✓ qa ✗ prod ?');
  assert.equal(token.command?.command, ClientCommands.revealInTree, 'a lens never starts a write');
  assert.equal(token.tooltip, '/app/svc/token: dev present, qa missing, prod could not be checked. Click to show it in the Orchard tree; the quick fix on the diagnostic adds it.');
  const host = lenses.find((l) => l.range.start.line === at(FIGGY, '"/app/svc/host"').line)!;
  assert.equal(host.title, 'dev ✓ qa ✓ prod ?');
});

test('add-parameter finding → one command per env and one for all missing envs', () => {
  const { ws, uri } = setup();
  const fj = uri('figgy/figgy.json');
  const finding = {
    code: 'missing-in-env',
    severity: 'error' as const,
    message: 'missing',
    uri: fj,
    range: { start: at(FIGGY, '"/app/svc/token"', 0), end: at(FIGGY, '"/app/svc/token"', 16) },
    envs: ['qa', 'prod'],
    data: { fix: 'add-parameter' as const, path: '/app/svc/token', envs: ['qa', 'prod'], likelySecret: true },
  };
  const actions = codeActions(ctxOf(ws, states()), fj, finding.range, [finding]);
  const titles = actions.map((a) => a.title);
  assert.ok(titles.includes('Add /app/svc/token to qa'));
  assert.ok(titles.includes('Add /app/svc/token to prod'));
  assert.ok(titles.includes('Add /app/svc/token to all missing environments (qa, prod)'));
  const all = actions.find((a) => a.title.startsWith('Add /app/svc/token to all'))!;
  assert.deepEqual(all.command?.arguments, [{ path: '/app/svc/token', envs: ['qa', 'prod'], likelySecret: true, serviceId: ws.services[0].id }]);
  assert.ok(actions.some((a) => a.command?.command === ClientCommands.runSync));
});

test('quick fixes fit the kind: no value is asked for a shared, replicated or merged parameter; a replication source is added as such', () => {
  const { ws, uri } = setup();
  const fj = uri('figgy/figgy.json');
  const range = { start: at(FIGGY, '"/app/svc/token"', 0), end: at(FIGGY, '"/app/svc/token"', 16) };
  const finding = (origin: 'shared' | 'replicated' | 'merged' | 'replication-source', path = '/app/svc/token') => ({
    code: origin === 'replication-source' ? 'replication-source-missing' : 'missing-in-env',
    severity: 'error' as const,
    message: 'missing',
    uri: fj,
    range,
    envs: ['prod'],
    data: { fix: 'add-parameter' as const, path, envs: ['prod'], likelySecret: false, origin },
  });
  for (const origin of ['shared', 'replicated', 'merged'] as const) {
    const actions = codeActions(ctxOf(ws, states()), fj, range, [finding(origin)]);
    assert.ok(!actions.some((a) => a.command?.command === ClientCommands.addParameter), `${origin}: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(actions.some((a) => a.command?.command === ClientCommands.runSync), origin);
  }
  const src = codeActions(ctxOf(ws, states()), fj, range, [finding('replication-source', '/shared/db/host')]);
  assert.ok(src.some((a) => a.title === 'Add replication source /shared/db/host to prod' && a.command?.command === ClientCommands.addParameter));
});

test('merge string form → list form edit produces the list Figgy expects', () => {
  const figgy = `{
    "twig": "/app/svc",
    "app_figs": ["/app/svc/host"],
    "merged_figs": {
        "/app/svc/url": "https://\${/app/svc/host}/x"
    }
}`;
  const { ws, uri, texts } = workspaceOf({ 'figgy/figgy.json': figgy });
  const fj = uri('figgy/figgy.json');
  const f = { code: 'merge-string-form', severity: 'warning' as const, message: 'm', uri: fj, range: { start: at(figgy, '"https'), end: at(figgy, '/x"', 3) }, data: { fix: 'merge-to-list' as const, dest: '/app/svc/url' } };
  const [a] = codeActions(ctxOf(ws, [], { getText: (u) => texts.get(u) }), fj, f.range, [f]).filter((x) => x.edit);
  assert.equal(a.title, 'Convert merge pattern to list form');
  const out = applyEdits(figgy, a.edit!.changes[fj]);
  const parsed = JSON.parse(out) as { merged_figs: Record<string, string[]> };
  assert.deepEqual(parsed.merged_figs['/app/svc/url'], ['https://', '${/app/svc/host}', '/x']);
});

test('legacy key rename edit', () => {
  const figgy = `{
    "namespace": "/app/svc",
    "app_figs": ["/app/svc/host"]
}`;
  const { ws, uri, texts } = workspaceOf({ 'figgy/figgy.json': figgy });
  const fj = uri('figgy/figgy.json');
  const range = { start: at(figgy, '"namespace"', 0), end: at(figgy, '"namespace"', 11) };
  const f = { code: 'legacy-key', severity: 'warning' as const, message: 'm', uri: fj, range, data: { fix: 'rename-key' as const, from: 'namespace', to: 'twig' } };
  const a = codeActions(ctxOf(ws, [], { getText: (u) => texts.get(u) }), fj, range, [f]).find((x) => x.edit)!;
  assert.deepEqual(Object.keys(JSON.parse(applyEdits(figgy, a.edit!.changes[fj]))), ['twig', 'app_figs']);
});

test('document symbols of figgy.json and figgy-secrets.json', () => {
  const { ws, uri } = setup();
  const syms = documentSymbols(ws, uri('figgy/figgy.json'));
  assert.deepEqual(syms.map((s) => s.name), ['twig', 'app_figs', 'shared_figs', 'replicate_figs', 'merged_figs']);
  assert.deepEqual(syms[1].children?.map((c) => c.name), ['/app/svc/host', '/app/svc/token']);
  const sec = documentSymbols(ws, uri('figgy/figgy-secrets.json'));
  assert.equal(sec[0].children?.length, 1);
});

test('features never throw on an empty or broken workspace', () => {
  const { ws, uri } = workspaceOf({ 'figgy/figgy.json': '{ "twig": "/app/x", "app_figs": [ "a", ' });
  const ctx = ctxOf(ws, []);
  const u = uri('figgy/figgy.json');
  for (let line = 0; line < 2; line++) {
    for (let character = 0; character < 40; character++) {
      hover(ctx, u, { line, character });
      definition(ws, u, { line, character });
      completion(ctx, u, '{ "twig": "/app/x", "app_figs": [ "a", ', { line, character });
    }
  }
  assert.deepEqual(codeLenses(ctx, 'file:///nowhere.py'), []);
});

test('a relative replicate_figs destination: the quick fix writes it in full under the twig', () => {
  const text = FIGGY.replace('"/shared/db/port": "/app/svc/db/port"', '"/shared/db/port": "db/port"');
  const { ws, uri, texts } = setup(text);
  const u = uri('figgy/figgy.json');
  const start = at(text, '"db/port"', 0);
  const f = { code: 'name-outside-twig', severity: 'error' as const, message: 'm', uri: u, range: { start, end: { line: start.line, character: start.character + '"db/port"'.length } }, data: { fix: 'replace-string' as const, value: '/app/svc/db/port' } };
  const a = codeActions(ctxOf(ws, [], { getText: (x) => texts.get(x) }), u, f.range, [f]).find((x) => x.title === 'Write /app/svc/db/port')!;
  assert.ok(a.isPreferred);
  assert.equal(applyEdits(text, a.edit!.changes[u]), FIGGY);
});

test('an old key name (figgy-cli ignores it): the rename fix writes the current name', () => {
  const text = FIGGY.replace('"shared_figs"', '"shared_parameters"');
  const { ws, uri, texts } = setup(text);
  const u = uri('figgy/figgy.json');
  const start = at(text, '"shared_parameters"', 0);
  const f = { code: 'legacy-key', severity: 'warning' as const, message: 'm', uri: u, range: { start, end: { line: start.line, character: start.character + 19 } }, data: { fix: 'rename-key' as const, from: 'shared_parameters', to: 'shared_figs' } };
  const a = codeActions(ctxOf(ws, [], { getText: (x) => texts.get(x) }), u, f.range, [f]).find((x) => x.fixes?.includes(f))!;
  assert.equal(applyEdits(text, a.edit!.changes[u]), FIGGY);
});
