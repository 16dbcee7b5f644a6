// Shared shapes produced by the parsers. Pure data: no I/O, no classes, so every layer above can use
// them and tests can build them by hand. Positions are LSP-compatible (0-based line, UTF-16 column).

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A problem found while parsing. Parsers never throw: they return the model and these. */
export interface ParseError {
  /** Stable code, e.g. `syntax`, `twig-unresolved`, `json-syntax`. */
  code: string;
  message: string;
  range: Range;
  severity: 'error' | 'warning' | 'info';
  /** Set when the range lies in another file than the model's own (e.g. an imported figgy.json). */
  uri?: string;
  /** Other places the problem involves (e.g. the first of two duplicate keys). */
  related?: { uri: string; range: Range; message: string }[];
}

/** A string value together with where it was written. */
export interface Located<T = string> {
  value: T;
  range: Range;
  /** Set when the value was written in another file than the model's own (merged-in imports). */
  uri?: string;
}

// ---------------------------------------------------------------------------------------------
// config.py (figgy-lib declarations)

export type FigKind = 'AppFig' | 'SharedFig' | 'ReplicatedFig' | 'MergeFig';

/** One element of a MergeFig pattern, or of a figgy.json merged_figs list. */
export type MergePart =
  | { kind: 'literal'; value: string; range: Range }
  /**
   * In config.py: a Fig object (`SQL_USER`, `Base.SQL_USER`, a module-level Fig). `attr` is the name as
   * written (the attribute name for `Base.SQL_USER`); `objectId` the Fig object (FigDecl.objectId), when known.
   */
  | { kind: 'attr'; attr: string; range: Range; objectId?: string }
  /** In figgy.json: `${/full/path}` or `${/full/path:uri}`. */
  | { kind: 'ref'; path: string; uri: boolean; range: Range }
  /** Something that cannot be resolved statically (a call, an unknown name...). */
  | { kind: 'unknown'; text: string; range: Range };

export interface FigDecl {
  /** Class attribute name as written, e.g. `SQL_USER`. */
  attr: string;
  /** The name `dir()` lists when Python mangles it (`__X` in class `Figs` is `_Figs__X`). */
  dirName?: string;
  /**
   * The Fig object (one per constructor call in the file). Attributes bound to the same object
   * (`DEFAULT = PRIMARY`, `A = B = AppFig(...)`) share it; figgy-lib lists each of them.
   */
  objectId: string;
  /** Set when this attribute re-binds an existing Fig object (`DEFAULT = PRIMARY`): the name written. */
  alias?: string;
  /** A later assignment in the class re-binds this attribute, so this Fig is not part of the store. */
  shadowedBy?: Range;
  attrRange: Range;
  kind: FigKind;
  /** Name exactly as written (relative or absolute); undefined when not statically resolvable. */
  name?: Located;
  /** ReplicatedFig source path. */
  source?: Located;
  /** AppFig default (stored, never used at run time). */
  default?: Located<string | null>;
  /** MergeFig pattern: list form (`parts`) or the single-string form (`single`). */
  pattern?: { form: 'list'; parts: MergePart[]; range: Range } | { form: 'string'; value: string; range: Range };
  /** MergeFig uri_encode: attribute names (or unknown parts). */
  uriEncode?: MergePart[];
  /** Whole `ATTR = Kind(...)` statement. */
  range: Range;
  /** The call expression `Kind(...)`. */
  callRange: Range;
  /** Problems specific to this call (e.g. `name` given both positionally and by keyword). */
  argErrors: ParseError[];
}

/**
 * A class attribute of a FigStore subclass that is not a Fig. figgy-lib sets `.twig` on every
 * attribute, so a value (str, number, list...) or a method fails at start-up (`certain`); what a call
 * or a decorator returns is unknown statically.
 */
export interface NonFigAttr {
  attr: string;
  range: Range;
  /** Short source text of the value, truncated; never a resolved secret. */
  valueText: string;
  /** What the attribute is: a plain value, a method, something only known at run time. */
  what?: 'value' | 'method' | 'unknown' | 'descriptor';
}

export interface FigStoreClass {
  className: string;
  nameRange: Range;
  range: Range;
  /** Resolved twig as written (e.g. `/app/demo-service`), undefined if not statically resolvable. */
  twig?: Located;
  /** Range of the TWIG assignment, also when unresolvable. */
  twigRange?: Range;
  /** Set when TWIG comes from a base class (then `twig`/`twigRange` point into that class). */
  twigFrom?: string;
  /** Figs written in this class body, in order (also ones a later assignment re-binds). */
  figs: FigDecl[];
  nonFigs: NonFigAttr[];
  /** FigStore classes of this file it derives from, as written. */
  bases?: string[];
  /**
   * Figs this class gets from its bases (Python's method resolution order) and does not re-bind:
   * the same FigDecl objects as in the base class.
   */
  inherited?: FigDecl[];
  /** No TWIG, and other FigStore classes of the file derive from it: a base, never created itself. */
  abstract?: boolean;
}

/** A `SomeFigStore(..., lazy_load=True)` call found in any Python file. */
export interface LazyLoadCall {
  range: Range;
  /** Whether the call is guarded by something that looks like a local-run check. */
  localGuard: boolean;
}

export interface PythonConfigModel {
  uri: string;
  /** True when the file imports figgy (any form); only such files are treated as config files. */
  importsFiggy: boolean;
  classes: FigStoreClass[];
  lazyLoadCalls: LazyLoadCall[];
  errors: ParseError[];
  /** Environment variables the module reads and writes (twelve-factor); absent when it touches none. */
  env?: import('./envTypes').PythonEnvFacts;
  /** The Lambda functions an AWS CDK stack module declares (absent: none). */
  cdk?: import('./envTypes').CdkFunction[];
  /** A paas-charm charm's own code: its framework, and whether it builds the environment itself. */
  charmCode?: {
    framework?: import('./envTypes').CharmFramework;
    overridesEnvironment?: Range;
    /** Variables the charm code sets itself, by a framework-prefixed name (`{"FLASK_RABBITMQ_URIS": …}`, `env["APP_X"] = …`). */
    sets?: { name: string; range: Range }[];
    /** Short lower-case string literals of the code (`"vhost"`, `"amqp"`): option and endpoint names it handles itself. */
    literals?: string[];
  };
}

// ---------------------------------------------------------------------------------------------
// figgy.json and figgy-secrets.json

export interface LegacyKey {
  key: string;
  replacement: string;
  range: Range;
}

export interface MergedEntry {
  dest: Located;
  /** List form: parts. Single-string form: the string (Figgy's replicator mishandles it). */
  value: { form: 'list'; parts: MergePart[]; range: Range } | { form: 'string'; value: string; parts: MergePart[]; range: Range };
}

export interface ReplicationEntry {
  source: Located;
  dest: Located;
}

export interface FiggyJsonModel {
  uri: string;
  twig?: Located;
  /**
   * No `twig` key: the namespace the CLI derives from an app_figs entry (`/app/<svc>`, no trailing `/`);
   * the range is that entry's.
   */
  derivedTwig?: Located;
  appFigs: Located[];
  sharedFigs: Located[];
  replicateFigs: ReplicationEntry[];
  mergedFigs: MergedEntry[];
  replicateFrom?: {
    sourceTwig?: Located;
    parameters: Located[];
    /** Set when the docs' `figs` key was used instead of `parameters` (the CLI ignores it). */
    figsKey?: Range;
    range: Range;
  };
  /** Files named by `import`, as written (relative to this file). */
  imports: Located[];
  legacyKeys: LegacyKey[];
  errors: ParseError[];
}

export interface SecretsJsonModel {
  uri: string;
  /** Entries with `${VAR}` templates left as written. */
  replicateFigs: ReplicationEntry[];
  /** Template variable names used, e.g. `SERVICE_NAME`. */
  variables: string[];
  errors: ParseError[];
}
