// The App Variables view: twelve-factor apps from the server (`orchard/apps`), shown by appsModel.
import * as vscode from 'vscode';
import { AppsRequest, type AppInfo } from '../../../server/src/lsp/protocol';
import type { Orchard } from '../orchard';
import { appChildren, appView, type AppNode } from './appsModel';

export class AppsTreeProvider implements vscode.TreeDataProvider<AppNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AppNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private apps: AppInfo[] | undefined;

  constructor(private readonly orchard: Orchard) {}

  refresh(): void {
    this.apps = undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(n: AppNode): vscode.TreeItem {
    const v = appView(n);
    const item = new vscode.TreeItem(v.label, v.collapsible ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = v.id;
    item.description = v.description;
    item.tooltip = v.tooltip;
    item.contextValue = v.contextValue;
    item.iconPath = new vscode.ThemeIcon(v.icon, v.iconColor ? new vscode.ThemeColor(v.iconColor) : undefined);
    if (v.open) {
      const r = v.open.range;
      item.command = {
        command: 'vscode.open',
        title: 'Open',
        arguments: [vscode.Uri.parse(v.open.uri), { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) }],
      };
    }
    return item;
  }

  async getChildren(n?: AppNode): Promise<AppNode[]> {
    if (!n || !this.apps) {
      try {
        this.apps = (await this.orchard.request(AppsRequest.method, {})).apps;
      } catch (e) {
        this.orchard.log.warn(`Listing apps failed: ${e instanceof Error ? e.message : String(e)}`);
        return [{ type: 'message', text: 'Could not list the apps (see the Orchard output)' }];
      }
    }
    return appChildren(n, this.apps);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
