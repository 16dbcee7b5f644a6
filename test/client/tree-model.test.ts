// Presentation rules of the Fig Orchard tree (pure; the VS Code provider only copies these fields).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TreeNode } from '../../server/src/lsp/protocol';
import { childrenOf, passesFilter, view, type OrchardNode } from '../../client/src/tree/model';

const param = (path: string, type: 'String' | 'SecureString', status?: TreeNode['status']): TreeNode => ({
  kind: 'parameter', path, label: path.split('/').pop()!, status,
  info: { path, type, version: 3, lastModified: '2026-01-02T03:04:05Z', lastModifiedBy: 'local:alice@host', description: 'db password' },
});

test('tree: parameter items carry type and status in icon and context value (menus key on it)', () => {
  const secure = view({ type: 'parameter', env: 'qa', node: param('/app/svc/db/password', 'SecureString', 'declared') });
  assert.equal(secure.icon, 'lock');
  assert.equal(secure.contextValue, 'orchard.parameter.secure.declared');
  assert.match(secure.contextValue, /^orchard\.parameter\.(plain|secure)/); // the manifest's menu regex
  assert.equal(secure.id, 'qa:/app/svc/db/password');
  assert.equal(secure.description, 'v3');
  assert.match(secure.tooltip, /SecureString, version 3/);
  assert.match(secure.tooltip, /by local:alice@host/);
  const stray = view({ type: 'parameter', env: 'dev', node: param('/app/svc/old', 'String', 'stray') });
  assert.equal(stray.icon, 'symbol-string');
  assert.equal(stray.iconColor, 'list.warningForeground');
  assert.equal(stray.contextValue, 'orchard.parameter.plain.stray');
  assert.equal(stray.description, 'v3 · stray');
  assert.equal(stray.collapsible, false);
});

test('tree: environments, namespaces and folders', () => {
  assert.deepEqual(
    [view({ type: 'env', env: 'prod' }), view({ type: 'folder', env: 'prod', path: '/app', label: 'app', count: 4 }), view({ type: 'folder', env: 'prod', path: '/app/svc', label: 'svc' })]
      .map((v) => [v.icon, v.contextValue, v.collapsible, v.description]),
    [['server-environment', 'orchard.env', true, undefined], ['symbol-namespace', 'orchard.namespace', true, '4'], ['folder', 'orchard.folder', true, undefined]],
  );
  // same path in two environments must give two distinct ids (VS Code rejects duplicates)
  assert.notEqual(view({ type: 'folder', env: 'dev', path: '/app', label: 'app' }).id, view({ type: 'folder', env: 'qa', path: '/app', label: 'app' }).id);
});

test('tree: children are folders first then parameters, each sorted; failures come first', () => {
  const nodes: TreeNode[] = [
    param('/app/svc/b', 'String'), { kind: 'folder', path: '/app/svc/z', label: 'z' },
    param('/app/svc/a', 'SecureString'), { kind: 'folder', path: '/app/svc/m', label: 'm' },
  ];
  const out = childrenOf('dev', nodes, { kind: 'access-denied', message: 'not allowed to list /app/svc' }, undefined);
  assert.deepEqual(out.map((n) => (n.type === 'message' ? `!${n.text}` : n.type === 'folder' ? `${n.label}/` : n.type === 'parameter' ? n.node.label : n.env)),
    ['!Could not list everything: not allowed to list /app/svc', 'm/', 'z/', 'a', 'b']);
  assert.deepEqual(childrenOf('dev', [], undefined, undefined).map((n) => n.type === 'message' && n.text), ['No parameters']);
  assert.deepEqual(childrenOf('dev', nodes, undefined, 'nomatch').map((n) => n.type), ['folder', 'folder']);
});

test('tree filter: a path prefix keeps exactly its ancestors and descendants (property)', () => {
  const seg = fc.constantFrom('app', 'shared', 'svc', 'db', 'sql', 'x');
  const pathArb = fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`);
  fc.assert(fc.property(pathArb, pathArb, (prefix, path) => {
    const p: OrchardNode = { type: 'parameter', env: 'dev', node: param(path, 'String') };
    assert.equal(passesFilter(p, prefix), path.startsWith(prefix));
    const f: OrchardNode = { type: 'folder', env: 'dev', path, label: 'x' };
    assert.equal(passesFilter(f, prefix), prefix.startsWith(`${path}/`) || path.startsWith(prefix));
  }), { numRuns: 500 });
});

test('tree filter: plain text matches parameter paths case-insensitively; empty filter keeps all', () => {
  const p: OrchardNode = { type: 'parameter', env: 'dev', node: param('/app/svc/DB/password', 'SecureString') };
  assert.equal(passesFilter(p, 'db/pass'), true);
  assert.equal(passesFilter(p, 'user'), false);
  assert.equal(passesFilter(p, '  '), true);
  assert.equal(passesFilter({ type: 'env', env: 'dev' }, 'user'), true);
});

test('tree: a declared parameter absent from an environment is its own entry; environments and folders carry counts', () => {
  const missing = view({ type: 'parameter', env: 'prod', node: { kind: 'parameter', path: '/app/svc/token', label: 'token', status: 'missing' } });
  assert.equal(missing.label, 'token');
  assert.equal(missing.description, 'missing in prod');
  assert.equal(missing.icon, 'error');
  assert.equal(missing.contextValue, 'orchard.parameter.missing');
  assert.equal(view({ type: 'env', env: 'prod', missing: 7 }).description, '7 missing');
  assert.equal(view({ type: 'env', env: 'dev', missing: 0 }).description, '✓ complete');
  assert.equal(view({ type: 'env', env: 'qa' }).description, undefined);
  const kids = childrenOf('prod', [{ kind: 'folder', path: '/app/svc/sql', label: 'sql', count: 2, missing: 3 }], undefined, undefined);
  assert.equal(view(kids[0]).description, '2 ✗3');
});
