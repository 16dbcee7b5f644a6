// Texts the extension shows (status bar, compare matrix, sync plan, history), from protocol results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompareResult, SyncPlanResult } from '../../server/src/lsp/protocol';
import { renderViewHtml } from '../../client/src/viewHtml';
import { compareMarkdown, historyMarkdown, planCounts, planMarkdown, planSummary, relativeTime, shortIdentity, statusBarText } from '../../client/src/present';

test('status bar: environments and one identity; failures flagged with their hint; restricted mode', () => {
  const s = statusBarText({
    trusted: true, services: [],
    envs: [
      { env: 'dev', backendKind: 'local', identity: 'local:alice@box' },
      { env: 'qa', backendKind: 'local', identity: 'local:alice@box', failure: { kind: 'credentials', message: 'token expired', hint: 'aws sso login --profile figgy-qa' } },
    ],
  }, ['dev', 'qa']);
  assert.equal(s.text, '$(warning) Orchard: dev · qa ? · local:alice@box');
  assert.match(s.tooltip, /\| qa \| ⚠ token expired \(try: aws sso login --profile figgy-qa\) \| local · local:alice@box \|/);
  // Missing counts per environment: `prod ✗7`, a complete one ✓, and a Markdown table in the tooltip.
  const counted = statusBarText({ trusted: true, services: [], envs: [
    { env: 'dev', backendKind: 'local', missing: 0 },
    { env: 'prod', backendKind: 'ssm', identity: 'arn:aws:sts::123456789012:assumed-role/figgy-prod/alice', missing: 7, lastRefresh: new Date(Date.now() - 180_000).toISOString() },
  ] }, ['dev', 'prod']);
  assert.equal(counted.text, '$(server-environment) Orchard: dev ✓ · prod ✗7 · figgy-prod/alice');
  assert.match(counted.tooltip, /\| prod \| ✗ 7 missing \| ssm · figgy-prod\/alice \| 3 min ago \|/);
  assert.equal(statusBarText({ trusted: false, services: [], envs: [] }, ['dev']).text, '$(shield) Orchard: restricted');
  assert.equal(statusBarText(undefined, ['dev']).text, '$(loading~spin) Orchard');
  assert.equal(statusBarText({ trusted: true, services: [], envs: [] }, []).text, '$(server-environment) Orchard: no environments');
  assert.equal(shortIdentity('arn:aws:sts::123456789012:assumed-role/figgy-dev/alice'), 'figgy-dev/alice');
});

test('relative times', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  assert.equal(relativeTime('2026-12-03T11:59:40Z', now), 'just now');
  assert.equal(relativeTime('2026-12-03T11:57:00Z', now), '3 min ago');
  assert.equal(relativeTime('2026-12-03T07:00:00Z', now), '5 h ago');
  assert.equal(relativeTime('2026-11-30T12:00:00Z', now), '3 d ago');
  assert.equal(relativeTime('not a time', now), '');
});

test('compare: presence and equality groups as letters, never values', () => {
  const r: CompareResult = {
    envs: ['dev', 'qa', 'prod'],
    rows: [
      { path: '/app/s/a', allEqual: false, cells: { dev: { state: 'present', type: 'String', group: 0 }, qa: { state: 'present', type: 'String', group: 0 }, prod: { state: 'present', type: 'String', group: 1 } } },
      { path: '/app/s/pw', allEqual: undefined, cells: { dev: { state: 'present', type: 'SecureString', group: 0 }, qa: { state: 'missing' }, prod: { state: 'unknown' } } },
    ],
    failures: [{ env: 'prod', failure: { kind: 'access-denied', message: 'AccessDenied on /app/s/pw' } }],
  };
  const md = compareMarkdown('/app/s/', r);
  // Under a folder heading rows name the rest of the path; a single parameter keeps its whole path.
  assert.ok(md.includes('| Parameter under `/app/s/` | dev | qa | prod | Equal |'), md);
  assert.ok(md.includes('| `a` | ✓ A | ✓ A | ✓ B | no |'));
  assert.ok(md.includes('| `pw` | ✓ A 🔒 | ✗ missing | ? unknown | ? |'));
  assert.ok(compareMarkdown('/app/s/pw', { ...r, rows: [r.rows[1]] }).includes('| `/app/s/pw` | ✓ A 🔒 |'));
  assert.ok(md.includes('- **prod**: AccessDenied on /app/s/pw'));
});

const plan: SyncPlanResult = {
  plans: [
    { env: 'dev', create: [], stray: [], unknown: [] },
    { env: 'qa', create: [
      { path: '/app/s/pw', serviceId: '/app/s', origin: 'shared', likelySecret: true },
      { path: '/app/s/host', serviceId: '/app/s', origin: 'replicated', likelySecret: false, source: '/shared/db/host' },
    ], stray: ['/app/s/old'], unknown: [], blocked: [{ path: '/app/s/user', reason: 'a shared parameter: its owner shares it' }] },
    { env: 'prod', create: [], stray: [], unknown: ['/app/s/pw'], failure: { kind: 'network', message: 'offline' } },
  ],
};

test('sync plan: counts, one-line summary and the markdown plan', () => {
  assert.deepEqual(planCounts(plan), { create: 2, blocked: 1, stray: 1, unknown: 1 });
  // Blocked items count as missing (they are errors in the Problems panel too).
  assert.equal(planSummary(plan), 'dev: ok · qa: 3 missing (2 to create, 1 blocked), 1 stray · prod: 1 unknown, unreadable');
  const md = planMarkdown('/app/s', plan);
  assert.ok(md.includes('## dev\n\nEverything declared exists. Nothing to do.'));
  assert.ok(md.includes('- `/app/s/pw` (shared, /app/s) — secret'));
  assert.ok(md.includes('- `/app/s/host` (replicated, /app/s) — filled by Figgy from `/shared/db/host`'));
  assert.ok(md.includes('> Could not read this environment: offline'));
  assert.ok(md.includes('- `/app/s/user`: a shared parameter: its owner shares it'));
});

test('history: newest version first, deletions marked, no value column', () => {
  const md = historyMarkdown({
    env: 'qa', path: '/app/s/pw', state: 'present', declaredBy: [{ serviceId: '/app/s', uri: 'file:///w/config.py', line: 9, attr: 'PW' }], replicatedTo: [],
    info: { path: '/app/s/pw', type: 'SecureString', version: 3, lastModified: '2026-01-03', lastModifiedBy: 'bob' },
    history: [
      { version: 1, type: 'SecureString', lastModified: '2026-01-01', lastModifiedBy: 'alice' },
      { version: 3, type: 'SecureString', lastModified: '2026-01-03', lastModifiedBy: 'bob', description: 'a|b' },
      { version: 2, type: 'SecureString', lastModified: '2026-01-02', deleted: true },
    ],
  });
  const rows = md.split('\n').filter((l) => /^\| \d/.test(l));
  assert.deepEqual(rows.map((r) => r.split('|')[1].trim()), ['3', '2 (deleted)', '1']);
  assert.ok(md.includes('a\\|b'));
  assert.ok(md.includes('Declared by /app/s (`PW`) in file:///w/config.py:10'));
  // The extension passes VS Code's workspace-relative path.
  const rel = historyMarkdown({ env: 'qa', path: '/app/s/pw', state: 'missing', declaredBy: [{ serviceId: '/app/s', uri: 'file:///w/src/config.py', line: 9 }], replicatedTo: [] }, (u) => u.replace('file:///w/', ''));
  assert.ok(rel.includes('Declared by /app/s in src/config.py:10'), rel);
  assert.ok(!/value/i.test(md.split('## History')[1].split('\n')[2]), 'no value column');
});

test('rendered views: tables as HTML, trouble cells marked, typed HTML escaped, no script can run', () => {
  const r: CompareResult = {
    envs: ['dev', 'qa'],
    rows: [{ path: '/app/s/pw', allEqual: false, cells: { dev: { state: 'present', type: 'SecureString', group: 0 }, qa: { state: 'missing' } } }],
    failures: [],
  };
  const html = renderViewHtml('Orchard Compare — /app/s/', compareMarkdown('/app/s/', r), 'vscode-resource:');
  assert.match(html, /<table>[\s\S]*<th>Parameter under <code>\/app\/s\/<\/code><\/th>[\s\S]*<td><code>pw<\/code><\/td>\s*<td>✓ A 🔒<\/td>\s*<td class="bad">✗ missing<\/td>\s*<td class="warn">no<\/td>/);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'; style-src vscode-resource: 'unsafe-inline';"/);
  assert.match(html, /<title>Orchard Compare — \/app\/s\/<\/title>/);
  // A description is typed by whoever wrote the parameter: it is shown as text, never as markup.
  const hostile = historyMarkdown({
    env: 'qa', path: '/app/s/pw', state: 'present', declaredBy: [], replicatedTo: [],
    info: { path: '/app/s/pw', type: 'String', version: 1, lastModified: '2026-01-01', description: '<img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>alert(2)</script>' },
  });
  const page = renderViewHtml('<b>t</b>', hostile, 'vscode-resource:');
  assert.ok(!/<img|<script|href="javascript/i.test(page), page);
  assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(page.includes('<title>&#60;b&#62;t&#60;/b&#62;</title>'));
});
