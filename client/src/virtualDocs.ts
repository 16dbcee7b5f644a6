// Read-only generated documents (compare matrix, sync plan, history) under the `orchard-view:`
// scheme. Their content is value-free by construction and lives in memory only.
import * as vscode from 'vscode';

export const VIEW_SCHEME = 'orchard-view';

export class VirtualDocs implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Shows `markdown` as a document named `name` (e.g. `compare/app-x.md`) beside the editor. */
  async show(name: string, markdown: string): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: VIEW_SCHEME, path: `/${name}` });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    return vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
  }

  dispose(): void {
    this.contents.clear();
    this.changed.dispose();
  }
}
