// Tree-sitter tree of a config.py → PythonConfigModel. Pure: reads only the tree and the text, so the
// one-shot and the incremental parser produce identical models for identical trees.
import type { Node } from 'web-tree-sitter';
import type {
  FigDecl,
  FigKind,
  FigStoreClass,
  LazyLoadCall,
  Located,
  MergePart,
  NonFigAttr,
  ParseError,
  PythonConfigModel,
  Range,
} from './types';
import type { Position } from './types';
import { evalStatic, excerpt, type ConstEntry, type Lookup } from './pythonEval';
import { MirrorSource, StatementMirrors, type MirrorReuse, type SNode, type StatementCache } from './pythonNode';
import { lineStarts } from './text';

export const MAX_SYNTAX_ERRORS = 20;

const FIG_KINDS: readonly FigKind[] = ['AppFig', 'SharedFig', 'ReplicatedFig', 'MergeFig'];
const FIG_PATHS = new Map<string, FigKind>(FIG_KINDS.map((k) => [`figgy.figs.${k}`, k]));
const STORE_PATHS = new Set(['figgy.fig_store.FigStore', 'figgy.FigStore']);
type Symbol = FigKind | 'FigStore';

/** Constructor parameters in Python's order (spec §1). */
const PARAMS: Record<FigKind, readonly string[]> = {
  AppFig: ['name', 'default'],
  SharedFig: ['name'],
  ReplicatedFig: ['name', 'source'],
  MergeFig: ['name', 'pattern', 'uri_encode'],
};
const REQUIRED: Record<FigKind, readonly string[]> = {
  AppFig: ['name'],
  SharedFig: ['name'],
  ReplicatedFig: ['name', 'source'],
  MergeFig: ['name', 'pattern'],
};

type Binding = { kind: 'symbol'; symbol: Symbol } | { kind: 'module'; path: string } | { kind: 'other' };

interface ModuleState {
  bindings: Map<string, Binding>;
  consts: Map<string, ConstEntry>;
  importsFiggy: boolean;
  classes: FigStoreClass[];
  /** Names of FigStore subclasses defined here (their calls count for lazy_load even if lower-case). */
  storeClassNames: Set<string>;
}

interface Ctx {
  text: string;
  li: PositionIndex;
  errors: ParseError[];
  /** Class-body statements are read into mirrors (for PythonDocParser's reuse), or used as they are. */
  mirrors: StatementMirrors | undefined;
}

/** An assignment-like statement in a class body, also when recovered from an ERROR node. */
interface Item {
  targets: SNode[];
  value: SNode;
  start: number;
  end: number;
}

export function emptyModel(uri: string, errors: ParseError[] = []): PythonConfigModel {
  return { uri, importsFiggy: false, classes: [], lazyLoadCalls: [], errors };
}

/** Reuse of class-body statement mirrors between the extractions of an incremental parser. */
export interface ExtractReuse {
  /** What the incremental parse left unchanged (see StatementMirrors); absent after a full parse. */
  from?: MirrorReuse;
  /** Filled in: this extraction's cache, and how many statements came from `prev`. */
  next?: StatementCache;
  reused?: number;
}

/** `reuse` (PythonDocParser) reads class-body statements into mirrors that the next update can reuse. */
export function extractModel(root: Node, text: string, uri: string, reuse?: ExtractReuse): PythonConfigModel {
  const mirrors = reuse ? new StatementMirrors(new MirrorSource(text), reuse.from) : undefined;
  const ctx: Ctx = { text, li: positionIndex(text), errors: [], mirrors };
  const st: ModuleState = { bindings: new Map(), consts: new Map(), importsFiggy: false, classes: [], storeClassNames: new Set() };
  if (root.type === 'ERROR') recoverModuleError(ctx, st, root);
  else walkModule(ctx, st, nodes(root.children), false);
  const lazyLoadCalls = text.includes('lazy_load') ? findLazyLoads(ctx, st, root) : [];
  const syntax = root.hasError ? syntaxErrors(ctx, root) : [];
  const errors = [...syntax, ...ctx.errors].sort(byStart);
  if (reuse && mirrors) {
    reuse.next = mirrors.cache;
    reuse.reused = mirrors.reused;
  }
  return { uri, importsFiggy: st.importsFiggy, classes: st.classes, lazyLoadCalls, errors };
}

// ---------------------------------------------------------------------------------------------
// helpers

interface PositionIndex {
  positionAt(offset: number): Position;
}

/**
 * text.ts's lineIndex().positionAt (same line breaks \n, \r\n, \r and clamping), remembering the
 * last line found: extraction asks for positions in text order, so most lookups need no search.
 */
function positionIndex(text: string): PositionIndex {
  const starts = lineStarts(text);
  let last = 0;
  return {
    positionAt(offset: number): Position {
      const o = Math.max(0, Math.min(text.length, Number.isFinite(offset) ? Math.floor(offset) : 0));
      if (!(starts[last] <= o && (last + 1 === starts.length || o < starts[last + 1]))) {
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (starts[mid] <= o) lo = mid;
          else hi = mid - 1;
        }
        last = lo;
      }
      return { line: last, character: o - starts[last] };
    },
  };
}

function nodes<T>(list: readonly (T | null)[]): T[] {
  return list.filter((n): n is T => n !== null);
}

function byStart(a: ParseError, b: ParseError): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

function rangeOf(ctx: Ctx, n: SNode): Range {
  return spanRange(ctx, n.startIndex, n.endIndex);
}

function spanRange(ctx: Ctx, start: number, end: number): Range {
  return { start: ctx.li.positionAt(start), end: ctx.li.positionAt(end) };
}

function same(a: SNode | null | undefined, b: SNode | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

function isDunder(name: string): boolean {
  return name.length > 4 && name.startsWith('__') && name.endsWith('__');
}

function isFiggyModule(path: string): boolean {
  return path === 'figgy' || path.startsWith('figgy.');
}

// ---------------------------------------------------------------------------------------------
// module level: imports, constants, classes (also inside if/try blocks and recovered ERROR nodes)

function walkModule(ctx: Ctx, st: ModuleState, stmts: Node[], conditional: boolean): void {
  for (const n of stmts) {
    switch (n.type) {
      case 'import_statement':
      case 'import_from_statement':
        handleImport(st, n);
        break;
      case 'expression_statement':
        for (const c of nodes(n.namedChildren)) if (c.type === 'assignment') moduleAssignment(st, c, conditional);
        break;
      case 'class_definition':
        handleClassDef(ctx, st, n);
        break;
      case 'decorated_definition': {
        const def = n.childForFieldName('definition');
        if (def?.type === 'class_definition') handleClassDef(ctx, st, def);
        else bindName(st, def?.childForFieldName('name'), { kind: 'other' });
        break;
      }
      case 'function_definition':
        bindName(st, n.childForFieldName('name'), { kind: 'other' });
        break;
      case 'ERROR':
        recoverModuleError(ctx, st, n);
        break;
      default:
        // if / try / with / for / while: their blocks run conditionally (or not at all).
        for (const b of compoundBlocks(n)) walkModule(ctx, st, nodes(b.namedChildren), true);
    }
  }
}

function compoundBlocks(n: Node): Node[] {
  const out: Node[] = [];
  for (const c of nodes(n.namedChildren)) {
    if (c.type === 'block') out.push(c);
    else if (c.type.endsWith('_clause')) out.push(...compoundBlocks(c));
  }
  return out;
}

function bindName(st: ModuleState, id: Node | null | undefined, b: Binding): void {
  if (id && id.type === 'identifier') st.bindings.set(id.text, b);
}

function dotted(n: Node | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'dotted_name') return nodes(n.namedChildren).map((c) => c.text).join('.');
  if (n.type === 'identifier') return n.text;
  return undefined;
}

function handleImport(st: ModuleState, n: Node): void {
  if (n.type === 'import_statement') {
    for (const name of nodes(n.childrenForFieldName('name'))) {
      if (name.type === 'aliased_import') {
        const path = dotted(name.childForFieldName('name'));
        if (!path) continue;
        if (isFiggyModule(path)) st.importsFiggy = true;
        bindName(st, name.childForFieldName('alias'), { kind: 'module', path });
      } else {
        const path = dotted(name);
        if (!path) continue;
        if (isFiggyModule(path)) st.importsFiggy = true;
        // `import a.b.c` binds `a` to the top-level package.
        const head = path.split('.')[0];
        st.bindings.set(head, { kind: 'module', path: head });
      }
    }
    return;
  }
  const modNode = n.childForFieldName('module_name');
  const mod = modNode?.type === 'dotted_name' ? dotted(modNode) : undefined;
  const figgy = mod !== undefined && isFiggyModule(mod);
  if (figgy) st.importsFiggy = true;
  if (nodes(n.children).some((c) => c.type === 'wildcard_import')) {
    if (mod === 'figgy.figs') for (const k of FIG_KINDS) st.bindings.set(k, { kind: 'symbol', symbol: k });
    if (mod === 'figgy.fig_store') st.bindings.set('FigStore', { kind: 'symbol', symbol: 'FigStore' });
    return;
  }
  for (const name of nodes(n.childrenForFieldName('name'))) {
    const imported = dotted(name.type === 'aliased_import' ? name.childForFieldName('name') : name);
    const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : imported?.split('.')[0];
    if (!imported || !local) continue;
    if (!figgy) {
      st.bindings.set(local, { kind: 'other' });
      continue;
    }
    st.bindings.set(local, bindingForPath(`${mod}.${imported}`));
  }
}

function bindingForPath(path: string): Binding {
  const fig = FIG_PATHS.get(path);
  if (fig) return { kind: 'symbol', symbol: fig };
  if (STORE_PATHS.has(path)) return { kind: 'symbol', symbol: 'FigStore' };
  return { kind: 'module', path };
}

/** What a callee / base-class expression refers to, when it is one of figgy's classes. */
function resolveSymbol(st: ModuleState, n: SNode | null | undefined): Symbol | undefined {
  if (!n) return undefined;
  if (n.type === 'identifier') {
    const b = st.bindings.get(n.text);
    if (b) return b.kind === 'symbol' ? b.symbol : undefined;
    // Unbound canonical name (import not visible): accept, it cannot be a different local class.
    return canonical(n.text);
  }
  if (n.type === 'attribute') {
    const parts: string[] = [];
    let cur: SNode | null = n;
    while (cur && cur.type === 'attribute') {
      const attr = cur.childForFieldName('attribute');
      if (!attr) return undefined;
      parts.unshift(attr.text);
      cur = cur.childForFieldName('object');
    }
    if (!cur || cur.type !== 'identifier') return undefined;
    const b = st.bindings.get(cur.text);
    if (!b) {
      const full = [cur.text, ...parts].join('.');
      const known = bindingForPath(full);
      if (known.kind === 'symbol') return known.symbol;
      // e.g. `fig_store.FigStore` whose import is not visible.
      return canonical(parts[parts.length - 1]);
    }
    if (b.kind !== 'module') return undefined;
    const known = bindingForPath([b.path, ...parts].join('.'));
    return known.kind === 'symbol' ? known.symbol : undefined;
  }
  return undefined;
}

function canonical(name: string): Symbol | undefined {
  if (name === 'FigStore') return 'FigStore';
  return (FIG_KINDS as readonly string[]).includes(name) ? (name as FigKind) : undefined;
}

function assignmentTargets(a: Node): { targets: SNode[]; value?: Node } {
  const targets: SNode[] = [];
  let cur: Node | null = a;
  while (cur && cur.type === 'assignment') {
    const left = cur.childForFieldName('left');
    if (left) targets.push(...flattenTargets(left));
    const right: Node | null = cur.childForFieldName('right');
    if (!right) return { targets };
    if (right.type !== 'assignment') return { targets, value: right };
    cur = right;
  }
  return { targets };
}

function flattenTargets(left: SNode): SNode[] {
  if (left.type === 'identifier') return [left];
  if (left.type === 'pattern_list' || left.type === 'tuple_pattern' || left.type === 'list_pattern') {
    return nodes(left.namedChildren).flatMap(flattenTargets);
  }
  return [];
}

function moduleLookup(st: ModuleState): Lookup {
  return (name) => st.consts.get(name);
}

function moduleAssignment(st: ModuleState, a: Node, conditional: boolean): void {
  const { targets, value } = assignmentTargets(a);
  if (!value) return;
  const unpacked = targets.length > 1 && a.childForFieldName('left')?.type !== 'identifier';
  let entry: ConstEntry;
  if (conditional) entry = { why: 'it is assigned conditionally' };
  else if (unpacked) entry = { why: 'it is assigned by unpacking' };
  else {
    const r = evalStatic(value, moduleLookup(st), false);
    entry = r.ok ? { value: r.value, isStr: r.isStr } : { why: r.why };
  }
  const sym = resolveSymbol(st, value.type === 'identifier' || value.type === 'attribute' ? value : null);
  for (const t of targets) {
    st.consts.set(t.text, entry);
    // `AppFig = figs.AppFig` keeps the alias a figgy class; any other assignment shadows it.
    st.bindings.set(t.text, sym ? { kind: 'symbol', symbol: sym } : { kind: 'other' });
  }
}

// ---------------------------------------------------------------------------------------------
// FigStore classes

interface ClassHead {
  nameNode: SNode;
  supers: SNode | null;
  start: number;
  end: number;
}

function handleClassDef(ctx: Ctx, st: ModuleState, n: Node): void {
  const nameNode = n.childForFieldName('name');
  if (!nameNode) return;
  const items = (): Item[] => {
    const body = n.childForFieldName('body');
    // Only these statement types can hold items (see classItems); each is read once, into a mirror.
    const stmts = body ? statementMirrors(ctx, body, (t) => t === 'expression_statement' || t === 'ERROR') : [];
    // A class whose body is cut by an error may hold its statements outside the block.
    const extra = statementMirrors(ctx, n, (t) => t === 'ERROR');
    const stmtsInOrder = [...stmts, ...extra].sort((a, b) => a.startIndex - b.startIndex);
    return classItems(stmtsInOrder);
  };
  buildClass(ctx, st, { nameNode, supers: n.childForFieldName('superclasses'), start: n.startIndex, end: n.endIndex }, items);
}

/** The named children of `parent` whose type passes `want`, in order (as mirrors when ctx.mirrors). */
function statementMirrors(ctx: Ctx, parent: Node, want: (type: string) => boolean): SNode[] {
  if (!ctx.mirrors) return nodes(parent.namedChildren).filter((c) => want(c.type));
  const mirrors = ctx.mirrors;
  const out: SNode[] = [];
  const c = parent.walk();
  try {
    if (c.gotoFirstChild()) {
      do {
        if (c.nodeIsNamed && want(c.nodeType)) out.push(mirrors.read(c));
      } while (c.gotoNextSibling());
    }
  } finally {
    c.delete();
  }
  return out;
}

function isFigStoreBase(st: ModuleState, supers: SNode | null): boolean {
  if (!supers) return false;
  return nodes(supers.namedChildren).some((c) => c.type !== 'keyword_argument' && resolveSymbol(st, c) === 'FigStore');
}

/** `getItems` is called only for a FigStore class: other classes' bodies are never read. */
function buildClass(ctx: Ctx, st: ModuleState, head: ClassHead, getItems: () => Item[]): void {
  const className = head.nameNode.text;
  const isStore = isFigStoreBase(st, head.supers);
  st.bindings.set(className, { kind: 'other' });
  st.consts.set(className, { why: `${className} is a class` });
  if (!isStore) return;
  st.storeClassNames.add(className);
  const items = getItems();

  const allAttrs = new Set(items.flatMap((i) => i.targets.map((t) => t.text)));
  const classConsts = new Map<string, ConstEntry>();
  const lookup: Lookup = (name) => classConsts.get(name) ?? st.consts.get(name);
  const defined = new Set<string>();
  const cls: FigStoreClass = {
    className,
    nameRange: rangeOf(ctx, head.nameNode),
    range: spanRange(ctx, head.start, head.end),
    figs: [],
    nonFigs: [],
  };
  let twigError: ParseError | undefined;

  for (const item of items) {
    const stmtRange = spanRange(ctx, item.start, item.end);
    const kind = item.value.type === 'call' ? figKindOf(st, item.value) : undefined;
    if (kind) {
      const decls = item.targets
        .filter((t) => !isDunder(t.text) && t.text !== 'TWIG' && t.text !== 'figs')
        .map((t) => figDecl(ctx, st, { kind, call: item.value, attr: t, stmtRange, lookup, allAttrs, defined, className }));
      cls.figs.push(...decls);
      for (const t of item.targets) {
        classConsts.set(t.text, { why: `${t.text} is a Fig, not a string` });
        defined.add(t.text);
      }
      continue;
    }
    const r = evalStatic(item.value, lookup, false);
    const entry: ConstEntry = r.ok ? { value: r.value, isStr: r.isStr } : { why: r.why };
    for (const t of item.targets) {
      const name = t.text;
      if (name === 'TWIG') {
        cls.twigRange = stmtRange;
        const tr = evalStatic(item.value, lookup, true);
        if (tr.ok) {
          cls.twig = { value: tr.value, range: rangeOf(ctx, item.value) };
          twigError = undefined;
        } else {
          cls.twig = undefined;
          twigError = {
            code: 'twig-unresolved',
            severity: 'warning',
            message: `${className}.TWIG cannot be resolved statically: ${tr.why}. Parameter paths of this class are unknown; use a string literal or an f-string over module constants.`,
            range: rangeOf(ctx, item.value),
          };
        }
      } else if (!isDunder(name) && name !== 'figs') {
        cls.nonFigs.push({ attr: name, range: stmtRange, valueText: excerpt(item.value.text) } satisfies NonFigAttr);
      }
      classConsts.set(name, entry);
      defined.add(name);
    }
  }
  if (twigError) ctx.errors.push(twigError);
  st.classes.push(cls);
}

function figKindOf(st: ModuleState, call: SNode): FigKind | undefined {
  const sym = resolveSymbol(st, call.childForFieldName('function'));
  return sym && sym !== 'FigStore' ? sym : undefined;
}

/** Assignment-like items of a class body, in order; statements inside ERROR nodes are recovered. */
function classItems(stmts: SNode[]): Item[] {
  const out: Item[] = [];
  for (const s of stmts) {
    if (s.type === 'expression_statement') {
      const only = s.namedChildCount === 1 ? s.firstNamedChild : null;
      if (only) {
        if (only.type === 'assignment') pushAssignment(out, only, s);
      } else for (const c of nodes(s.namedChildren)) if (c.type === 'assignment') pushAssignment(out, c, s);
    } else if (s.type === 'ERROR') {
      itemsFromError(out, s);
    }
  }
  return out;
}

/**
 * Items of one assignment statement. A stray token can make tree-sitter chain two lines into
 * `A = <ERROR: AppFig("a") )> B = AppFig("b")`; the chain is split there so A keeps its own call.
 */
function pushAssignment(out: Item[], a: SNode, stmt: SNode): void {
  let targets: SNode[] = [];
  let segStart = stmt.startIndex;
  let cur: SNode | null = a;
  while (cur && cur.type === 'assignment') {
    const left = cur.childForFieldName('left');
    if (left) targets.push(...flattenTargets(left));
    const right: SNode | null = cur.childForFieldName('right');
    // hasError first: scanning children marshals every node, and most assignments are fine.
    const err = cur.hasError ? nodes(cur.children).find((c) => c.type === 'ERROR') : undefined;
    if (err) {
      const first = nodes(err.namedChildren).find((c) => c.type !== 'comment');
      const v = first && !STATEMENTISH.has(first.type) ? first : undefined;
      if (v && targets.length) out.push({ targets, value: v, start: segStart, end: v.endIndex });
      // The ERROR may have swallowed whole following lines (`B = AppFig("b")`): recover them too.
      itemsFromError(out, err, nodes(err.children).filter((c) => !same(c, v)));
      targets = [];
      if (right) segStart = right.startIndex;
    }
    if (!right) return;
    if (right.type !== 'assignment') {
      if (targets.length) out.push({ targets, value: right, start: segStart, end: stmt.endIndex });
      return;
    }
    cur = right;
  }
}

/**
 * Error recovery: tree-sitter flattens a broken region into an ERROR node whose children are the
 * well-formed pieces. `NAME = value` may survive as a statement, a keyword_argument, or as
 * identifier `=` expression tokens.
 */
function itemsFromError(out: Item[], err: SNode, kids: SNode[] = nodes(err.children)): void {
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i];
    switch (k.type) {
      case 'expression_statement':
        for (const c of nodes(k.namedChildren)) if (c.type === 'assignment') pushAssignment(out, c, k);
        break;
      case 'assignment':
        pushAssignment(out, k, k);
        break;
      case 'keyword_argument': {
        // `name="x"` inside a broken call is an argument, not an attribute: statements start a line.
        const name = k.childForFieldName('name');
        const value = k.childForFieldName('value');
        if (name?.type === 'identifier' && value && startsStatement(kids, i)) {
          const v = unglue(value);
          out.push({ targets: [name], value: v, start: k.startIndex, end: v.endIndex });
        }
        break;
      }
      case 'identifier': {
        const eq = kids[i + 1];
        const value = kids[i + 2];
        if (eq?.type === '=' && value?.isNamed && value.type !== 'ERROR' && startsStatement(kids, i)) {
          // `B = AppFig(` cut mid-call: the call is incomplete, so it is neither a Fig nor a plain value.
          if (kids[i + 3]?.type !== '(') out.push({ targets: [k], value, start: k.startIndex, end: value.endIndex });
          i += 2;
        }
        break;
      }
      case 'ERROR':
        itemsFromError(out, k);
        break;
      case 'block':
        out.push(...classItems(nodes(k.namedChildren)));
        break;
    }
  }
}

const STATEMENTISH = new Set(['ERROR', 'assignment', 'expression_statement', 'keyword_argument', 'block']);
const CONTINUES = new Set(['(', '[', '{', ',', '=', ':']);

/** Statements start a line and do not follow an open bracket or a comma (that would be a call's argument). */
function startsStatement(kids: SNode[], i: number): boolean {
  if (i === 0) return true;
  const prev = kids[i - 1];
  return prev.endPosition.row < kids[i].startPosition.row && !CONTINUES.has(prev.type);
}

/** `A = AppFig("a")` followed by a broken line can be glued into `AppFig("a")(...)`: keep the inner call. */
function unglue(value: SNode): SNode {
  let v = value;
  while (v.type === 'call' && v.childForFieldName('function')?.type === 'call') v = v.childForFieldName('function')!;
  return v;
}

/** A module-level ERROR: process the statements it kept, and rebuild `class X(...):` heads it swallowed. */
function recoverModuleError(ctx: Ctx, st: ModuleState, err: Node): void {
  const kids = nodes(err.children);
  let i = 0;
  while (i < kids.length) {
    const k = kids[i];
    if (k.type === 'class' && kids[i + 1]?.type === 'identifier') {
      const nameNode = kids[i + 1];
      let j = i + 2;
      const supers = kids[j]?.type === 'argument_list' ? kids[j++] : null;
      if (kids[j]?.type === ':') j++;
      const col = k.startPosition.column;
      const row = k.startPosition.row;
      const body: Node[] = [];
      while (j < kids.length) {
        const b = kids[j];
        if (b.type === 'class' || b.type === 'def') break;
        if (b.startPosition.row > row && b.startPosition.column <= col) break;
        body.push(b);
        j++;
      }
      const end = body.length ? body[body.length - 1].endIndex : (supers ?? nameNode).endIndex;
      const items: Item[] = [];
      itemsFromError(items, err, body);
      buildClass(ctx, st, { nameNode, supers, start: k.startIndex, end }, () => items);
      i = j;
      continue;
    }
    if (k.isNamed) walkModule(ctx, st, [k], false);
    i++;
  }
}

// ---------------------------------------------------------------------------------------------
// Fig constructor calls

interface FigCall {
  kind: FigKind;
  call: SNode;
  attr: SNode;
  stmtRange: Range;
  lookup: Lookup;
  allAttrs: Set<string>;
  defined: Set<string>;
  className: string;
}

function figDecl(ctx: Ctx, st: ModuleState, f: FigCall): FigDecl {
  const { kind, call } = f;
  const callRange = rangeOf(ctx, call);
  const decl: FigDecl = { attr: f.attr.text, attrRange: rangeOf(ctx, f.attr), kind, range: f.stmtRange, callRange, argErrors: [] };
  const err = (code: string, severity: ParseError['severity'], message: string, range: Range) => decl.argErrors.push({ code, severity, message, range });

  const args = call.childForFieldName('arguments');
  const positional: SNode[] = [];
  const keywords: { name: string; node: SNode; value: SNode }[] = [];
  let splat = false;
  if (args && args.type === 'argument_list') {
    for (const a of nodes(args.namedChildren)) {
      if (a.type === 'comment') continue;
      if (a.type === 'keyword_argument') {
        const n = a.childForFieldName('name');
        const v = a.childForFieldName('value');
        if (n && v) keywords.push({ name: n.text, node: a, value: v });
      } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
        splat = true;
        err('arg-unpacked', 'warning', `${kind}() arguments passed with * or ** cannot be checked statically`, rangeOf(ctx, a));
      } else if (a.type !== 'ERROR') {
        positional.push(a);
      }
    }
  } else if (args) {
    splat = true;
  }

  const params = PARAMS[kind];
  const bound = new Map<string, SNode>();
  positional.forEach((p, i) => {
    if (i < params.length) bound.set(params[i], p);
    else err('arg-too-many', 'error', `${kind}() takes at most ${params.length} argument${params.length > 1 ? 's' : ''} (${positional.length} given); Python raises TypeError at import`, rangeOf(ctx, p));
  });
  const seenKw = new Set<string>();
  const nameKw = keywords.find((k) => k.name === 'name');
  const sourceKw = keywords.find((k) => k.name === 'source');
  for (const k of keywords) {
    if (!params.includes(k.name)) {
      err('arg-unknown-keyword', 'error', `${kind}() got an unexpected keyword argument '${k.name}'; Python raises TypeError at import`, rangeOf(ctx, k.node));
      continue;
    }
    if (seenKw.has(k.name)) {
      err('arg-repeated', 'error', `${kind}(): keyword argument '${k.name}' repeated; Python raises SyntaxError`, rangeOf(ctx, k.node));
      continue;
    }
    seenKw.add(k.name);
    if (bound.has(k.name)) {
      if (kind === 'ReplicatedFig' && k.name === 'name') continue; // handled below
      err('arg-repeated', 'error', `${kind}() got multiple values for argument '${k.name}'; Python raises TypeError at import`, rangeOf(ctx, k.node));
      continue;
    }
    bound.set(k.name, k.value);
  }
  if (kind === 'ReplicatedFig' && nameKw && positional.length > 0) {
    // The demo's `ReplicatedFig("/shared/...", name="...")`: the author meant the positional value as the source.
    err(
      'replicated-name-twice',
      'error',
      `ReplicatedFig() got multiple values for argument 'name': the positional order is (name, source), so the first positional argument is the name; Python raises TypeError at import`,
      callRange,
    );
    const first = positional[0];
    bound.set('name', nameKw.value);
    if (!sourceKw && positional.length < 2) bound.set('source', first);
  }
  if (!splat && !call.hasError) {
    for (const p of REQUIRED[kind]) {
      if (!bound.has(p)) err('arg-missing', 'error', `${kind}() is missing the required argument '${p}'; Python raises TypeError at import`, callRange);
    }
  }

  const nameNode = bound.get('name');
  if (nameNode) decl.name = located(ctx, nameNode, f.lookup, `${kind} name`, 'name-unresolved', decl);
  if (kind === 'ReplicatedFig') {
    const src = bound.get('source');
    if (src) decl.source = located(ctx, src, f.lookup, 'ReplicatedFig source', 'source-unresolved', decl);
  }
  if (kind === 'AppFig') {
    const d = bound.get('default');
    if (d) {
      const dv = defaultValue(d, f.lookup);
      if (dv !== undefined) decl.default = { value: dv, range: rangeOf(ctx, d) };
    }
  }
  if (kind === 'MergeFig') {
    const p = bound.get('pattern');
    if (p) {
      if (p.type === 'list' || p.type === 'tuple') {
        decl.pattern = { form: 'list', parts: listParts(ctx, p, f, decl), range: rangeOf(ctx, p) };
      } else {
        const r = evalStatic(p, f.lookup, true);
        if (r.ok) decl.pattern = { form: 'string', value: r.value, range: rangeOf(ctx, p) };
        else err('pattern-unresolved', 'warning', `MergeFig pattern cannot be resolved statically: ${r.why}`, rangeOf(ctx, p));
      }
    }
    const u = bound.get('uri_encode');
    if (u && u.type !== 'none') {
      decl.uriEncode = u.type === 'list' || u.type === 'tuple' ? listParts(ctx, u, f, decl) : [{ kind: 'unknown', text: excerpt(u.text, 80), range: rangeOf(ctx, u) }];
    }
  }
  return decl;
}

function located(ctx: Ctx, n: SNode, lookup: Lookup, what: string, code: string, decl: FigDecl): Located | undefined {
  const r = evalStatic(n, lookup, true);
  if (r.ok) return { value: r.value, range: rangeOf(ctx, n) };
  decl.argErrors.push({ code, severity: 'warning', message: `${what} cannot be resolved statically: ${r.why}`, range: rangeOf(ctx, n) });
  return undefined;
}

function defaultValue(n: SNode, lookup: Lookup): string | null | undefined {
  if (n.type === 'none') return null;
  if (n.type === 'true' || n.type === 'false' || n.type === 'integer' || n.type === 'float') return n.text;
  const r = evalStatic(n, lookup, true);
  return r.ok ? r.value : undefined;
}

function listParts(ctx: Ctx, list: SNode, f: FigCall, decl: FigDecl): MergePart[] {
  const parts: MergePart[] = [];
  for (const el of nodes(list.namedChildren)) {
    if (el.type === 'comment') continue;
    const range = rangeOf(ctx, el);
    if (el.type === 'identifier' && f.allAttrs.has(el.text)) {
      parts.push({ kind: 'attr', attr: el.text, range });
      // Class bodies run top to bottom: a later attribute is not defined yet (unless a module name shadows it).
      if (!f.defined.has(el.text) && !f.lookup(el.text)) {
        decl.argErrors.push({
          code: 'name-before-definition',
          severity: 'error',
          message: `${el.text} is used before it is defined in class ${f.className}; Python raises NameError at import. Move ${f.attr.text} below ${el.text}.`,
          range,
        });
      }
      continue;
    }
    const r = evalStatic(el, f.lookup, true);
    if (r.ok) parts.push({ kind: 'literal', value: r.value, range });
    else parts.push({ kind: 'unknown', text: excerpt(el.text, 80), range });
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------
// lazy_load calls

const GUARD = /local|debug/i;

function findLazyLoads(ctx: Ctx, st: ModuleState, root: Node): LazyLoadCall[] {
  const out: LazyLoadCall[] = [];
  // `lazy_load=` keyword arguments, in text order, found from the text rather than by visiting
  // every node: the keyword's name is an identifier spanning exactly one occurrence of the word.
  const word = 'lazy_load';
  for (let at = ctx.text.indexOf(word); at !== -1; at = ctx.text.indexOf(word, at + 1)) {
    const kw = keywordNamedAt(root, at, at + word.length);
    if (!kw) continue;
    const args = kw.parent;
    const call = args?.parent;
    if (!args || args.type !== 'argument_list' || !call || call.type !== 'call') continue;
    const fn = call.childForFieldName('function');
    const calleeName = fn?.type === 'identifier' ? fn.text : fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    if (!calleeName || !(/^[A-Z]/.test(calleeName) || st.storeClassNames.has(calleeName))) continue;
    const value = kw.childForFieldName('value');
    if (!value) continue;
    if (value.type === 'false' || value.type === 'none' || (value.type === 'integer' && Number(value.text) === 0)) continue;
    const localGuard = value.type !== 'true' || guardedByLocalCheck(call);
    out.push({ range: rangeOf(ctx, call), localGuard });
  }
  return out;
}

/** The keyword_argument whose name is the node spanning exactly [start, end), if any. */
function keywordNamedAt(root: Node, start: number, end: number): Node | undefined {
  for (let n = root.descendantForIndex(start, end); n && n.startIndex === start && n.endIndex === end; n = n.parent) {
    const p = n.parent;
    if (p?.type === 'keyword_argument' && same(p.childForFieldName('name'), n)) return p;
  }
  return undefined;
}

function guardedByLocalCheck(node: Node): boolean {
  let child: Node = node;
  let parent = node.parent;
  while (parent) {
    if ((parent.type === 'if_statement' || parent.type === 'elif_clause') && same(parent.childForFieldName('consequence'), child)) {
      if (GUARD.test(parent.childForFieldName('condition')?.text ?? '')) return true;
    }
    if (parent.type === 'conditional_expression') {
      const [consequence, condition] = nodes(parent.namedChildren);
      if (same(consequence, child) && condition && GUARD.test(condition.text)) return true;
    }
    child = parent;
    parent = parent.parent;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// syntax errors

function syntaxErrors(ctx: Ctx, root: Node): ParseError[] {
  const out: ParseError[] = [];
  const visit = (n: Node) => {
    if (out.length >= MAX_SYNTAX_ERRORS) return;
    if (n.isMissing) {
      out.push({ code: 'syntax', severity: 'error', message: `syntax error: missing ${tokenName(n)}`, range: rangeOf(ctx, n) });
      return;
    }
    if (n.type === 'ERROR') {
      out.push({ code: 'syntax', severity: 'error', message: `syntax error: ${describeError(ctx, n)}`, range: rangeOf(ctx, n) });
      return;
    }
    for (const c of nodes(n.children)) if (c.hasError || c.isMissing) visit(c);
  };
  visit(root);
  return out;
}

function tokenName(n: Node): string {
  return n.isNamed ? n.type.replace(/_/g, ' ') : `\`${n.type}\``;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const STRINGISH = new Set(['string', 'string_start', 'string_content', 'string_end', 'concatenated_string']);

const MAX_SCANNED_LEAVES = 50_000;
const CLOSERS = new Set([')', ']', '}']);

/** Every bracket leaf of a region, in order (MISSING ones skipped: they were never typed). */
function bracketLeaves(n: Node): { type: string; start: number }[] {
  const out: { type: string; start: number }[] = [];
  const cur = n.walk();
  try {
    let seen = 0;
    for (;;) {
      if (cur.gotoFirstChild()) continue;
      const t = cur.nodeType;
      if ((t in OPEN || CLOSERS.has(t)) && !cur.nodeIsMissing) out.push({ type: t, start: cur.startIndex });
      if (++seen > MAX_SCANNED_LEAVES) return out;
      while (!cur.gotoNextSibling()) if (!cur.gotoParent()) return out;
    }
  } finally {
    cur.delete();
  }
}

/** "unexpected `)` on line 3" / "`(` on line 3 is never closed"; string contents are never quoted. */
function describeError(ctx: Ctx, n: Node): string {
  const stack: { type: string; start: number }[] = [];
  for (const k of bracketLeaves(n)) {
    if (k.type in OPEN) stack.push(k);
    else if (stack.length && OPEN[stack[stack.length - 1].type] === k.type) stack.pop();
    else return `unexpected \`${k.type}\` on line ${ctx.li.positionAt(k.start).line + 1}`;
  }
  if (stack.length) {
    const open = stack[stack.length - 1];
    return `\`${open.type}\` on line ${ctx.li.positionAt(open.start).line + 1} is never closed`;
  }
  const first = rangeOf(ctx, n).start.line;
  const last = rangeOf(ctx, n).end.line;
  if (last > first) return `invalid syntax in lines ${first + 1}–${last + 1}`;
  let leaf: Node | undefined = nodes(n.children)[0];
  while (leaf && leaf.childCount > 0 && !STRINGISH.has(leaf.type)) leaf = nodes(leaf.children)[0];
  if (!leaf) return 'unexpected end of input';
  if (STRINGISH.has(leaf.type)) return 'unexpected string';
  return `unexpected \`${excerpt(leaf.text, 20)}\``;
}
