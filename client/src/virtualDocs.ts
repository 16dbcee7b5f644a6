// Read-only generated documents (compare matrix, sync plan, history) under the `orchard-view:`
// scheme. Their content is value-free by construction and lives in memory only.
import * as vscode from 'vscode';

export const VIEW_SCHEME = 'orchard-view';

const KIND_TITLES: Record<string, string> = { sync: 'Orchard Sync Plan', compare: 'Orchard Compare', history: 'Orchard History' };

export class VirtualDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /**
   * Shows `markdown` beside the editor, one document per kind (`sync/…` → "Orchard Sync Plan.md",
   * `compare/…`, `history/…`): a new plan replaces the previous one in the same tab instead of
   * piling up tabs; the heading names the service or path. (The Markdown preview was tried: in
   * code-server its webview stayed blank for this scheme, so the source is shown, which VS Code's
   * "Open Preview" renders on demand.)
   */
  async show(name: string, markdown: string): Promise<void> {
    const kind = name.split('/')[0];
    const title = KIND_TITLES[kind] ?? 'Orchard';
    const uri = vscode.Uri.from({ scheme: VIEW_SCHEME, path: `/${title}.md` });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
  }

  dispose(): void {
    this.contents.clear();
    this.changed.dispose();
  }
}
