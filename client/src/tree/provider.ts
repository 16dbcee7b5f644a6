// The "Fig Orchard" tree: environment → namespace → path segments → parameter, loaded lazily from
// the server (`orchard/tree/children`), which answers from its backend cache.
import * as vscode from 'vscode';
import { TreeChildrenRequest } from '../../../server/src/lsp/protocol';
import type { Orchard } from '../orchard';
import { childrenOf, type OrchardNode, view } from './model';

export class OrchardTreeProvider implements vscode.TreeDataProvider<OrchardNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<OrchardNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private filterText: string | undefined;
  /** Whether a figgy.json exists in the workspace; without one the welcome view shows. */
  hasConfig = false;

  constructor(private readonly orchard: Orchard) {}

  get filter(): string | undefined {
    return this.filterText;
  }

  async setFilter(filter: string | undefined): Promise<void> {
    this.filterText = filter?.trim() || undefined;
    await vscode.commands.executeCommand('setContext', 'orchard.tree.filtered', Boolean(this.filterText));
    this.refresh();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(n: OrchardNode): vscode.TreeItem {
    const v = view(n);
    const item = new vscode.TreeItem(v.label, v.collapsible ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = v.id;
    item.description = v.description;
    item.tooltip = v.tooltip;
    item.contextValue = v.contextValue;
    item.iconPath = new vscode.ThemeIcon(v.icon, v.iconColor ? new vscode.ThemeColor(v.iconColor) : undefined);
    if (n.type === 'parameter') {
      item.command = { command: 'orchard.tree.showHistory', title: 'Show Details', arguments: [n] };
    }
    return item;
  }

  async getChildren(n?: OrchardNode): Promise<OrchardNode[]> {
    if (!n) {
      if (!this.hasConfig || !vscode.workspace.isTrusted) return [];
      const missing = new Map((this.orchard.lastStatus?.envs ?? []).map((e) => [e.env, e.missing]));
      return this.orchard.activeEnvs().map((env): OrchardNode => ({ type: 'env', env, missing: missing.get(env) }));
    }
    if (n.type !== 'env' && n.type !== 'folder') return [];
    const prefix = n.type === 'env' ? '/' : n.path;
    try {
      const r = await this.orchard.request(TreeChildrenRequest.method, { env: n.env, prefix });
      return childrenOf(n.env, r.nodes, r.failure, this.filterText);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.orchard.log.warn(`Listing ${prefix} in ${n.env} failed: ${message}`);
      return [{ type: 'message', env: n.env, key: `error:${prefix}`, text: `Could not list ${prefix}`, failure: { kind: 'other', message } }];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
