// Plain feature results ↔ LSP structures. The only place that knows both shapes.
import {
  CodeAction,
  CodeLens,
  CompletionItem,
  CompletionItemKind,
  Diagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  DocumentSymbol,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type Hover,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Finding } from '../analysis/types';
import type { ParseError } from '../parse/types';
import { sameRange } from '../parse/text';
import type { CodeActionPlain, CodeLensPlain, CompletionPlain, HoverPlain, SymbolPlain, WorkspaceEditPlain } from '../features/types';

export const SOURCE = 'orchard';

const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * A finding as a diagnostic. Its fix data stays on the server: a code action request finds the
 * finding again by what the diagnostic says (fromDiagnostic), so every diagnostic is smaller (a
 * missing parameter's is 40% smaller: thousands are sent on each keystroke in a large file) and
 * clients that do not keep `data` get the same fixes.
 */
export function toDiagnostic(f: Finding): Diagnostic {
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    source: SOURCE,
    message: f.message,
  };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: r.uri, range: r.range }, message: r.message }));
  }
  if (f.tags?.length) {
    d.tags = f.tags.map((t) => (t === 'unnecessary' ? DiagnosticTag.Unnecessary : DiagnosticTag.Deprecated));
  }
  return d;
}

export function parseErrorToDiagnostic(e: ParseError): Diagnostic {
  return { range: e.range, severity: SEVERITY[e.severity], code: e.code, source: SOURCE, message: e.message };
}

/**
 * The finding a diagnostic of ours (source `orchard`) stands for: the one among the file's current
 * findings with its code, message and range, or else the only one with its code and message on its
 * lines (a client may send columns back in its own units: Neovim 0.7 sends bytes); otherwise (the
 * file changed since) the finding rebuilt from the diagnostic alone, which has no fix data.
 */
export function fromDiagnostic(uri: string, d: Diagnostic, current: readonly Finding[] = []): Finding | undefined {
  if (d.source !== SOURCE) return undefined;
  const message = typeof d.message === 'string' ? d.message : d.message.value;
  const code = String(d.code ?? '');
  // (A client's range is checked before it is compared: a malformed one matches nothing.)
  const range = typeof d.range?.start?.line === 'number' && typeof d.range.end?.line === 'number' ? d.range : undefined;
  const said = range ? current.filter((f) => f.code === code && f.message === message) : [];
  const known = said.find((f) => sameRange(f.range, range!)) ?? onlyOne(said.filter((f) => f.range.start.line === range!.start.line && f.range.end.line === range!.end.line));
  if (known) return known;
  const sev = d.severity === DiagnosticSeverity.Error ? 'error' : d.severity === DiagnosticSeverity.Warning ? 'warning' : d.severity === DiagnosticSeverity.Hint ? 'hint' : 'info';
  return { code, severity: sev, message, uri, range: d.range };
}

function onlyOne<T>(xs: T[]): T | undefined {
  return xs.length === 1 ? xs[0] : undefined;
}

export function toHover(h: HoverPlain): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range };
}

const COMPLETION_KIND: Record<CompletionPlain['kind'], CompletionItemKind> = {
  class: CompletionItemKind.Class,
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  reference: CompletionItemKind.Reference,
  keyword: CompletionItemKind.Keyword,
  folder: CompletionItemKind.Folder,
  variable: CompletionItemKind.Variable,
};

export function toCompletionItem(c: CompletionPlain): CompletionItem {
  const item: CompletionItem = { label: c.label, kind: COMPLETION_KIND[c.kind], detail: c.detail, sortText: c.sortText, filterText: c.filterText };
  if (c.documentation) item.documentation = { kind: MarkupKind.Markdown, value: c.documentation };
  const text = c.insertText ?? c.label;
  if (c.range) item.textEdit = { range: c.range, newText: text };
  else item.insertText = text;
  if (c.snippet) item.insertTextFormat = InsertTextFormat.Snippet;
  return item;
}

export function toWorkspaceEdit(e: WorkspaceEditPlain): WorkspaceEdit {
  if (!e.createFiles?.length) return { changes: e.changes };
  // Creating files needs documentChanges; edits go to version-less documents.
  return {
    documentChanges: [
      ...e.createFiles.map((uri) => ({ kind: 'create' as const, uri, options: { ignoreIfExists: true } })),
      ...Object.entries(e.changes).map(([uri, edits]) => ({ textDocument: { uri, version: null }, edits })),
    ],
  };
}

export function toCodeAction(a: CodeActionPlain, uri: string): CodeAction {
  const out: CodeAction = { title: a.title, kind: a.kind };
  if (a.fixes?.length) out.diagnostics = a.fixes.filter((f) => f.uri === uri).map(toDiagnostic);
  if (a.edit) out.edit = toWorkspaceEdit(a.edit);
  if (a.command) out.command = { title: a.command.title, command: a.command.command, arguments: a.command.arguments };
  if (a.isPreferred) out.isPreferred = true;
  return out;
}

const SYMBOL_KIND: Record<SymbolPlain['kind'], SymbolKind> = {
  class: SymbolKind.Class,
  field: SymbolKind.Field,
  constant: SymbolKind.Constant,
  namespace: SymbolKind.Namespace,
  string: SymbolKind.String,
  object: SymbolKind.Object,
  array: SymbolKind.Array,
};

/** Symbol names and details are labels: a hostile file's megabyte string is cut, not sent whole. */
function label(s: string | undefined, max = 300): string | undefined {
  return s !== undefined && s.length > max ? `${s.slice(0, max)}…` : s;
}

export function toSymbol(s: SymbolPlain): DocumentSymbol {
  return {
    name: label(s.name) || '(unnamed)',
    detail: label(s.detail),
    kind: SYMBOL_KIND[s.kind],
    range: s.range,
    selectionRange: s.selectionRange,
    children: s.children?.map(toSymbol),
  };
}

export function toCodeLens(l: CodeLensPlain): CodeLens {
  const tip = l.tooltip ? { tooltip: l.tooltip } : {};
  return { range: l.range, command: l.command ? { title: l.title, ...tip, command: l.command.command, arguments: l.command.arguments } : { title: l.title, ...tip, command: '' } };
}
