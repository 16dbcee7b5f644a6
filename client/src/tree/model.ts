// What the Fig Orchard tree shows for each node: label, icon, context value, tooltip. Pure, so the
// presentation rules are unit-tested; `tree/provider.ts` turns these into vscode.TreeItems.
// Nodes carry metadata only; a value never reaches a label, description or tooltip.
import type { FailureInfo, TreeNode } from '../../../server/src/lsp/protocol';
import { describeFailure } from '../present';

export type OrchardNode =
  | { type: 'env'; env: string; missing?: number }
  | { type: 'folder'; env: string; path: string; label: string; count?: number; missing?: number }
  | { type: 'parameter'; env: string; node: TreeNode }
  | { type: 'message'; env: string; text: string; failure?: FailureInfo; key: string };

export interface ItemView {
  id: string;
  label: string;
  description?: string;
  tooltip: string;
  icon: string;
  /** Theme colour id for the icon, when it signals a status. */
  iconColor?: string;
  contextValue: string;
  collapsible: boolean;
}

/** A root namespace (`/app`, `/shared`, ...) rather than a deeper folder. */
export function isNamespace(path: string): boolean {
  return /^\/[^/]+$/.test(path);
}

export function nodePath(n: OrchardNode): string | undefined {
  if (n.type === 'folder') return n.path;
  if (n.type === 'parameter') return n.node.path;
  return undefined;
}

export function view(n: OrchardNode): ItemView {
  switch (n.type) {
    case 'env':
      return {
        id: `env:${n.env}`,
        label: n.env,
        description: n.missing === undefined ? undefined : n.missing === 0 ? '✓ complete' : `${n.missing} missing`,
        tooltip: `Environment ${n.env}${n.missing ? ` — ${n.missing} declared parameter${n.missing === 1 ? '' : 's'} missing (the errors in Problems)` : n.missing === 0 ? ' — every declared parameter exists' : ''}`,
        icon: 'server-environment',
        iconColor: n.missing ? 'list.errorForeground' : undefined,
        contextValue: 'orchard.env',
        collapsible: true,
      };
    case 'folder': {
      const ns = isNamespace(n.path);
      return {
        id: `${n.env}:${n.path}/`,
        label: n.label,
        description: [n.count ? `${n.count}` : n.count === 0 && !n.missing ? '0' : '', n.missing ? `✗${n.missing}` : ''].filter(Boolean).join(' ') || undefined,
        tooltip: `${n.path} in ${n.env}${n.count === undefined ? '' : ` — ${n.count} parameter${n.count === 1 ? '' : 's'}`}${n.missing ? `, ${n.missing} declared but missing` : ''}`,
        icon: ns ? 'symbol-namespace' : 'folder',
        contextValue: ns ? 'orchard.namespace' : 'orchard.folder',
        collapsible: true,
      };
    }
    case 'parameter': {
      const { node } = n;
      if (node.status === 'missing') {
        return {
          id: `${n.env}:${node.path}`,
          label: node.label,
          description: `missing in ${n.env}`,
          tooltip: `${node.path} is declared by a service in this workspace but does not exist in ${n.env}. Its diagnostic's quick fix (or Orchard: Sync) adds it.`,
          icon: 'error',
          iconColor: 'list.errorForeground',
          contextValue: 'orchard.parameter.missing',
          collapsible: false,
        };
      }
      const secure = node.info?.type === 'SecureString';
      const status = node.status ?? 'other';
      const descr = [node.info ? `v${node.info.version}` : '', status === 'stray' ? 'stray' : ''].filter(Boolean).join(' · ');
      const lines = [`${node.path} (${n.env})`];
      if (node.info) {
        lines.push(`${node.info.type}, version ${node.info.version}`);
        lines.push(`Modified ${node.info.lastModified}${node.info.lastModifiedBy ? ` by ${node.info.lastModifiedBy}` : ''}`);
        if (node.info.description) lines.push(node.info.description);
      }
      if (status === 'stray') lines.push('Stray: under a service namespace but declared by nothing. Orchard: Prune Stray Parameters removes it.');
      if (status === 'declared') lines.push('Declared by a service in this workspace.');
      return {
        id: `${n.env}:${node.path}`,
        label: node.label,
        description: descr || undefined,
        tooltip: lines.join('\n'),
        icon: secure ? 'lock' : 'symbol-string',
        iconColor: status === 'stray' ? 'list.warningForeground' : undefined,
        contextValue: `orchard.parameter.${secure ? 'secure' : 'plain'}.${status}`,
        collapsible: false,
      };
    }
    case 'message':
      return {
        id: `msg:${n.env}:${n.key}`,
        label: n.text,
        tooltip: n.failure ? describeFailure(n.failure) : n.text,
        icon: n.failure ? 'warning' : 'info',
        iconColor: n.failure ? 'list.warningForeground' : undefined,
        contextValue: 'orchard.message',
        collapsible: false,
      };
  }
}

/**
 * Filter rule. A filter starting with `/` is a path prefix: folders on the way to it and
 * everything under it stay. Any other filter matches parameter paths case-insensitively; folders
 * stay (their content is loaded lazily, so whether something below matches is not known yet).
 */
export function passesFilter(n: OrchardNode, filter: string | undefined): boolean {
  const f = filter?.trim();
  if (!f) return true;
  const path = nodePath(n);
  if (path === undefined) return true;
  if (f.startsWith('/')) {
    const prefix = f.replace(/\/+$/, '');
    // a partly typed last segment (`/app/fla`) still matches `/app/flask-service`
    if (n.type === 'folder') return prefix.startsWith(`${path}/`) || path.startsWith(prefix);
    return path.startsWith(prefix);
  }
  if (n.type === 'folder') return true;
  return path.toLowerCase().includes(f.toLowerCase());
}

/** Tree children for one listing result, in display order: folders first, then parameters. */
export function childrenOf(env: string, nodes: TreeNode[], failure: FailureInfo | undefined, filter: string | undefined): OrchardNode[] {
  const out: OrchardNode[] = [];
  if (failure) out.push({ type: 'message', env, key: 'failure', text: `Could not list everything: ${failure.message}`, failure });
  const sorted = [...nodes].sort((a, b) => (a.kind === b.kind ? a.label.localeCompare(b.label) : a.kind === 'folder' ? -1 : 1));
  for (const node of sorted) {
    const child: OrchardNode = node.kind === 'folder'
      ? { type: 'folder', env, path: node.path, label: node.label, count: node.count }
      : { type: 'parameter', env, node };
    if (child.type === 'folder' && node.missing) child.missing = node.missing;
    if (passesFilter(child, filter)) out.push(child);
  }
  if (out.length === 0) out.push({ type: 'message', env, key: 'empty', text: filter ? 'Nothing matches the filter' : 'No parameters' });
  return out;
}
