// The Markdown source of the rendered views (sync plan, compare matrix, history) as read-only
// documents under the `orchard-view:` scheme, for copying. Value-free by construction, in memory only.
import * as vscode from 'vscode';

export const VIEW_SCHEME = 'orchard-view';

/** Titles of the views by kind (the rendered panels and their Markdown source share them). */
export const KIND_TITLES: Record<'sync' | 'compare' | 'history', string> = { sync: 'Orchard Sync Plan', compare: 'Orchard Compare', history: 'Orchard History' };

export class VirtualDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Shows the Markdown of a view beside the editor, one document per kind, replaced by the next one. */
  async show(kind: keyof typeof KIND_TITLES, markdown: string): Promise<void> {
    const title = KIND_TITLES[kind];
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
