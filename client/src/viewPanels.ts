// Rendered views (sync plan, compare matrix, history): one webview panel per kind, reused, showing
// the value-free Markdown from present.ts rendered to HTML. The page runs no script, loads nothing
// (CSP default-src 'none') and takes its colours from the theme; raw HTML in the Markdown (e.g. a
// parameter description typed by someone) is escaped, not rendered. The Markdown source stays
// available as a read-only document (Orchard: Open Markdown Source) for copying into a PR.
import * as vscode from 'vscode';
import { renderViewHtml } from './viewHtml';
import { KIND_TITLES, type VirtualDocs } from './virtualDocs';

export type ViewKind = keyof typeof KIND_TITLES;

export const VIEW_TYPE = 'orchard.view';


export class ViewPanels implements vscode.Disposable {
  private readonly panels = new Map<ViewKind, vscode.WebviewPanel>();
  private readonly sources = new Map<ViewKind, string>();

  constructor(private readonly docs: VirtualDocs) {}

  /** Shows `markdown` rendered in the one panel of its kind, beside the editor; `subject` names the service or parameter. */
  show(kind: ViewKind, subject: string, markdown: string): void {
    const title = subject ? `${KIND_TITLES[kind]} — ${subject}` : KIND_TITLES[kind];
    let panel = this.panels.get(kind);
    if (!panel) {
      // Beside the code, in the column Orchard's other views already use: never a third column.
      const column = [...this.panels.values()].find((p) => p.viewColumn !== undefined)?.viewColumn ?? vscode.ViewColumn.Beside;
      panel = vscode.window.createWebviewPanel(VIEW_TYPE, title, { viewColumn: column, preserveFocus: false }, { enableScripts: false, enableFindWidget: true, localResourceRoots: [] });
      this.panels.set(kind, panel);
      panel.onDidDispose(() => this.panels.delete(kind));
    } else panel.reveal(panel.viewColumn ?? vscode.ViewColumn.Beside, false);
    panel.title = title;
    this.sources.set(kind, markdown);
    panel.webview.html = renderViewHtml(title, markdown, panel.webview.cspSource);
  }

  /** The kind of the active Orchard view, if one is active. */
  activeKind(): ViewKind | undefined {
    for (const [kind, p] of this.panels) if (p.active) return kind;
    return undefined;
  }

  /** Opens the Markdown the active (else most recent) view was rendered from, as a read-only document. */
  async openSource(kind?: unknown): Promise<void> {
    // From the editor title VS Code may pass its own argument: only a kind name counts.
    const asked = typeof kind === 'string' && kind in KIND_TITLES ? (kind as ViewKind) : undefined;
    const k = asked ?? this.activeKind() ?? [...this.sources.keys()].pop();
    const src = k && this.sources.get(k);
    if (!k || src === undefined) {
      void vscode.window.showInformationMessage('Orchard: no sync plan, compare or history view has been shown yet.');
      return;
    }
    await this.docs.show(k, src);
  }

  /** For integration tests: what a view was rendered from and what it shows. No values by construction. */
  snapshot(kind: ViewKind): { title: string; markdown: string; html: string } | undefined {
    const p = this.panels.get(kind);
    const markdown = this.sources.get(kind);
    return p && markdown !== undefined ? { title: p.title, markdown, html: p.webview.html } : undefined;
  }

  dispose(): void {
    for (const p of this.panels.values()) p.dispose();
    this.panels.clear();
    this.sources.clear();
  }
}
