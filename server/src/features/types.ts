// Plain, protocol-free shapes the feature functions return. They mirror LSP's structures closely so
// `lsp/` converts them one to one, but nothing here imports vscode-languageserver.
import type { Position, Range } from '../parse/types';
import type { EnvState, Finding } from '../analysis/types';
import type { WorkspaceModel } from '../model/types';
import type { ParameterType } from '../store/types';

export type { Position, Range };

/** What every feature function reads. Built by `lsp/` from its caches; never does I/O. */
export interface FeatureContext {
  workspace: WorkspaceModel;
  /** Backend state per environment, in display order (empty when untrusted / no backend). */
  envStates: Map<string, EnvState>;
  /** The time relative times are measured from (tests fix it); default now. */
  now?: number;
  /** Environments to show, in order. Envs without a state are shown as unknown. */
  envs: string[];
  /** `plain`: hovers may show String values (never SecureString). Default `never`. */
  hoverValues?: 'never' | 'plain';
  /**
   * Cached plain (String) values, consulted only when `hoverValues` is `plain`. The server only
   * ever fills this with non-secret values; features still refuse SecureString ones.
   */
  plainValue?: (env: string, path: string) => string | undefined;
  /** Paths known under `/shared` (and other source namespaces), for `source=` completion. */
  sourcePaths?: string[];
  /** Current text of a document (open or on disk), for edits that span whole files. */
  getText?: (uri: string) => string | undefined;
  /** Renders figgy.json for a class the way figgy-lib's ConfigWriter does (model/figgyJsonWriter). */
  renderFiggyJson?: (cls: import('../parse/types').FigStoreClass, twig: string) => string;
}

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface WorkspaceEditPlain {
  /** Edits per existing document. */
  changes: Record<string, TextEdit[]>;
  /** Files to create first (the edit then inserts their content). */
  createFiles?: string[];
}

export interface CommandRef {
  title: string;
  command: string;
  arguments?: unknown[];
}

export interface CodeActionPlain {
  title: string;
  kind: 'quickfix' | 'source' | 'refactor.rewrite';
  /** Finding codes this action fixes (for `diagnostics` in the LSP action). */
  fixes?: Finding[];
  edit?: WorkspaceEditPlain;
  command?: CommandRef;
  isPreferred?: boolean;
}

export interface HoverPlain {
  markdown: string;
  range: Range;
}

export type CompletionKindPlain = 'class' | 'property' | 'value' | 'reference' | 'keyword' | 'folder' | 'variable';

export interface CompletionPlain {
  label: string;
  kind: CompletionKindPlain;
  detail?: string;
  documentation?: string;
  /** Replaces `range` when set; otherwise `label` is inserted at the cursor. */
  insertText?: string;
  /** `insertText` uses LSP snippet syntax ($1, ${1:x}). */
  snippet?: boolean;
  range?: Range;
  sortText?: string;
  filterText?: string;
}

export interface LocationPlain {
  uri: string;
  range: Range;
}

export type SymbolKindPlain = 'class' | 'field' | 'constant' | 'namespace' | 'string' | 'object' | 'array';

export interface SymbolPlain {
  name: string;
  detail?: string;
  kind: SymbolKindPlain;
  range: Range;
  selectionRange: Range;
  children?: SymbolPlain[];
}

export interface CodeLensPlain {
  range: Range;
  title: string;
  /** What the lens says in words, and what a click does. */
  tooltip?: string;
  command?: CommandRef;
}

export type { ParameterType };
