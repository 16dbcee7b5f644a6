// The HTML page of a rendered Orchard view (pure, no VS Code): Markdown through markdown-it with
// raw HTML disabled, a CSP that allows no script and no remote load, theme colours only.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** The page for `markdown`: pure, so it is tested without VS Code. */
export function renderViewHtml(title: string, markdown: string, cspSource: string): string {
  const body = md
    .render(markdown)
    // Cells that mean trouble stand out in any theme.
    .replace(/<td>✗ missing<\/td>/g, '<td class="bad">✗ missing</td>')
    .replace(/<td>\? unknown<\/td>/g, '<td class="warn">? unknown</td>')
    .replace(/<td>no<\/td>/g, '<td class="warn">no</td>');
  const esc = title.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc}</title>
<style>
body { font-family: var(--vscode-font-family), "Segoe UI Emoji", "Apple Color Emoji", "Noto Color Emoji", sans-serif; font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 20px 20px; line-height: 1.5; }
h1 { font-size: 1.5em; font-weight: 600; border-bottom: 1px solid var(--vscode-panel-border, transparent); padding-bottom: .3em; }
h2 { font-size: 1.2em; font-weight: 600; margin-top: 1.4em; }
code { font-family: var(--vscode-editor-font-family); font-size: .95em; background: var(--vscode-textCodeBlock-background); padding: 1px 4px; border-radius: 3px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, #8884)); padding: 4px 10px; text-align: left; white-space: nowrap; }
th { background: var(--vscode-editor-inactiveSelectionBackground, #8882); font-weight: 600; }
tbody tr:hover { background: var(--vscode-list-hoverBackground); }
td.bad { color: var(--vscode-errorForeground); }
td.warn { color: var(--vscode-editorWarning-foreground); }
blockquote { margin: 8px 0; padding: 4px 12px; border-left: 4px solid var(--vscode-textBlockQuote-border); background: var(--vscode-textBlockQuote-background); }
ul { padding-left: 22px; }
</style></head>
<body>
${body}</body></html>`;
}
