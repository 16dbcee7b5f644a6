// Tree-sitter tree of a config.py → PythonConfigModel. Pure: reads only the tree and the text, so the
// one-shot and the incremental parser produce identical models for identical trees. The module is
// read top to bottom as Python runs it: imports and constants (pythonScope), FigStore classes
// (pythonClass) and their Fig constructor calls (pythonFigCall).
import type { Node } from 'web-tree-sitter';
import type { LazyLoadCall, ParseError, PythonConfigModel } from './types';
import { evalStatic, excerpt, type ConstEntry, type EvalEnv, type EvalResult } from './pythonEval';
import { MirrorSource, StatementMirrors, type MirrorReuse, type SNode, type StatementCache } from './pythonNode';
import { collectModuleNames, classifyUnbound, figKindOf, flattenTargets, handleImport, resolveSymbol } from './pythonScope';
import { buildClass, finishClasses } from './pythonClass';
import { handleClassDef } from './pythonClassSplice';
import { itemsFromError, type ClassItem } from './pythonClassItems';
import { figDecl, objectIdOf, type Failed, type FigCallEnv } from './pythonFigCall';
import { nodes, positionIndex, rangeOf, same, type Ctx, type ModuleState } from './pythonCtx';

export const MAX_SYNTAX_ERRORS = 20;

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
  /** How many class-body evaluations came from the statements' memos. */
  evalsReused?: number;
  /** How many classes were spliced (see pythonClassSplice). */
  spliced?: number;
}

/** `reuse` (PythonDocParser) reads class-body statements into mirrors that the next update can reuse. */
export function extractModel(root: Node, text: string, uri: string, reuse?: ExtractReuse): PythonConfigModel {
  // Kept across versions (the next extraction reuses them): their texts are copies, see MirrorSource.
  const mirrors = reuse ? new StatementMirrors(new MirrorSource(text, true), reuse.from) : undefined;
  const ctx: Ctx = { text, li: positionIndex(text), errors: [], mirrors };
  const st: ModuleState = {
    bindings: new Map(),
    consts: new Map(),
    importsFiggy: false,
    classes: [],
    storeClassNames: new Set(),
    stores: new Map(),
    figObjects: new Map(),
    moduleNames: collectModuleNames(root),
    unknownStar: false,
    moduleErrors: [],
  };
  if (root.type === 'ERROR') recoverModuleError(ctx, st, root);
  else walkModule(ctx, st, nodes(root.children), false);
  finishClasses(ctx, st, root.hasError);
  // Module-level Python errors matter where they stop a config module's import, not in any Python file.
  if (st.classes.length) ctx.errors.push(...st.moduleErrors);
  const lazyLoadCalls = text.includes('lazy_load') ? findLazyLoads(ctx, st, root) : [];
  const syntax = root.hasError ? syntaxErrors(ctx, root) : [];
  const errors = [...syntax, ...dedupe(ctx.errors)].sort(byStart);
  if (reuse && mirrors) {
    reuse.next = mirrors.cache;
    reuse.reused = mirrors.reused;
    reuse.evalsReused = mirrors.evalsReused;
    reuse.spliced = mirrors.spliced;
  }
  return { uri, importsFiggy: st.importsFiggy, classes: st.classes, lazyLoadCalls, errors };
}

function byStart(a: ParseError, b: ParseError): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** One report per problem and place (an expression can be evaluated twice, e.g. for two targets). */
function dedupe(errors: ParseError[]): ParseError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.code}|${e.range.start.line}:${e.range.start.character}|${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// module level: imports, constants, classes (also inside if/try blocks and recovered ERROR nodes)

function walkModule(ctx: Ctx, st: ModuleState, stmts: Node[], conditional: boolean): void {
  for (const n of stmts) {
    switch (n.type) {
      case 'import_statement':
      case 'import_from_statement':
        handleImport(st, n);
        if (conditional) for (const k of importedNames(n)) st.consts.set(k, { why: `${k} is imported conditionally` });
        break;
      case 'expression_statement':
        for (const c of nodes(n.namedChildren)) {
          if (c.type === 'assignment') moduleAssignment(ctx, st, c, conditional);
          else if (c.type === 'augmented_assignment') moduleAugmented(ctx, st, c, conditional);
        }
        break;
      case 'class_definition':
        handleClassDef(ctx, st, n);
        break;
      case 'decorated_definition': {
        const def = n.childForFieldName('definition');
        if (def?.type === 'class_definition') handleClassDef(ctx, st, def, nodes(n.namedChildren).filter((c) => c.type === 'decorator'));
        else bindOther(st, def?.childForFieldName('name'), 'a function');
        break;
      }
      case 'function_definition':
        bindOther(st, n.childForFieldName('name'), 'a function');
        break;
      case 'ERROR':
        recoverModuleError(ctx, st, n);
        break;
      default: {
        // if / try / with / for / while: their blocks run conditionally (or not at all).
        for (const t of headerTargets(n)) bindOther(st, t, 'it is bound by a loop, with or except statement');
        for (const b of compoundBlocks(n)) walkModule(ctx, st, nodes(b.namedChildren), true);
      }
    }
  }
}

function importedNames(n: Node): string[] {
  return nodes(n.childrenForFieldName('name')).map((c) => (c.type === 'aliased_import' ? c.childForFieldName('alias')?.text : c.namedChildren[0]?.text) ?? '');
}

function headerTargets(n: Node): SNode[] {
  const out: SNode[] = [];
  if (n.type === 'for_statement') {
    const left = n.childForFieldName('left');
    if (left) out.push(...flattenTargets(left));
  }
  if (n.type === 'with_statement') {
    for (const c of nodes(n.namedChildren)) {
      if (c.type !== 'with_clause') continue;
      for (const item of nodes(c.namedChildren)) {
        const v = item.childForFieldName('value');
        const alias = v?.type === 'as_pattern' ? v.childForFieldName('alias') : null;
        if (alias) out.push(...nodes(alias.namedChildren).flatMap(flattenTargets), ...flattenTargets(alias));
      }
    }
  }
  return out;
}

function compoundBlocks(n: Node): Node[] {
  const out: Node[] = [];
  for (const c of nodes(n.namedChildren)) {
    if (c.type === 'block') out.push(c);
    else if (c.type.endsWith('_clause')) out.push(...compoundBlocks(c));
  }
  return out;
}

function bindOther(st: ModuleState, id: SNode | null | undefined, why: string): void {
  if (!id || id.type !== 'identifier') return;
  st.bindings.set(id.text, { kind: 'other' });
  st.consts.set(id.text, { why: `${id.text} is ${why}` });
}

/** Module scope evaluation: module names so far, Fig constructor calls as Fig objects. */
function moduleEnv(ctx: Ctx, st: ModuleState, target: () => SNode | undefined): { env: EvalEnv; fc: FigCallEnv } {
  const lineOf = (o: number) => ctx.li.positionAt(o).line;
  const describe = (r: Failed, what: string, code: string): ParseError => {
    const range = rangeOf(ctx, r.node);
    if (r.unbound) {
      const u = classifyUnbound(st, r.unbound, r.node.startIndex, 'the module', lineOf);
      return { code: u.code, severity: u.severity, message: u.message, range };
    }
    if (r.raises) return { code: 'python-error', severity: 'error', message: `${what}: ${r.why}; Python raises this at import`, range };
    return { code, severity: 'warning', message: `${what}: ${r.why}`, range };
  };
  const env: EvalEnv = {
    lookup: (name) => st.consts.get(name),
    isModule: (name) => st.bindings.get(name)?.kind === 'module',
    call: (node): EvalResult | undefined => {
      const kind = figKindOf(st, node);
      if (!kind) return undefined;
      const id = objectIdOf(node);
      if (!st.figObjects.has(id)) {
        const decl = figDecl(fc, kind, node, target() ?? node, rangeOf(ctx, node));
        st.figObjects.set(id, decl);
        ctx.errors.push(...decl.argErrors);
      }
      return { ok: true, value: { t: 'fig', id } };
    },
  };
  const fc: FigCallEnv = { ctx, env, describe };
  return { env, fc };
}

function moduleAssignment(ctx: Ctx, st: ModuleState, a: Node, conditional: boolean): void {
  const targets: SNode[] = [];
  let unpack = false;
  let value: Node | null = null;
  for (let cur: Node | null = a; cur && cur.type === 'assignment'; ) {
    const left = cur.childForFieldName('left');
    if (left) {
      targets.push(...flattenTargets(left));
      unpack ||= left.type !== 'identifier';
    }
    const right: Node | null = cur.childForFieldName('right');
    if (!right || right.type !== 'assignment') {
      value = right;
      break;
    }
    cur = right;
  }
  if (!value) return; // `X: int` binds nothing
  const sym = resolveSymbol(st, value.type === 'identifier' || value.type === 'attribute' ? value : null);
  let entries: ConstEntry[];
  if (conditional) entries = targets.map(() => ({ why: 'it is assigned conditionally' }));
  else {
    const { env, fc } = moduleEnv(ctx, st, () => targets[0]);
    const r = evalStatic(value, env, false);
    if (!r.ok && (r.unbound || r.raises)) st.moduleErrors.push(fc.describe(r, `the value of ${targets.map((t) => t.text).join(', ')} cannot be evaluated`, 'name-unresolved'));
    const seq = r.ok && (r.value.t === 'tuple' || r.value.t === 'list') ? r.value.items : undefined;
    entries = targets.map((_, i): ConstEntry => {
      if (!r.ok) return { why: r.why };
      if (!unpack) return { value: r.value };
      return seq && seq.length === targets.length ? { value: seq[i] } : { why: 'it is assigned by unpacking a value Orchard cannot split' };
    });
  }
  targets.forEach((t, i) => {
    st.consts.set(t.text, entries[i]);
    // `AppFig = figs.AppFig` keeps the alias a figgy class; any other assignment shadows it, except a
    // conditional one (`except ImportError: FigStore = object`) of a name bound to a figgy class.
    const prev = st.bindings.get(t.text);
    if (conditional && prev?.kind === 'symbol' && !sym) return;
    st.bindings.set(t.text, sym ? { kind: 'symbol', symbol: sym } : { kind: 'other' });
    st.stores.delete(t.text);
  });
}

/** `X += "..."`: X must be bound before; the result is evaluated like `X + ...`. */
function moduleAugmented(ctx: Ctx, st: ModuleState, a: Node, conditional: boolean): void {
  const left = a.childForFieldName('left');
  const right = a.childForFieldName('right');
  const op = a.childForFieldName('operator')?.type;
  if (!left || left.type !== 'identifier' || !right) return;
  const name = left.text;
  const cur = st.consts.get(name);
  let entry: ConstEntry = { why: 'it is changed by an augmented assignment' };
  if (!conditional && cur && 'value' in cur && op === '+=') {
    const r = evalStatic(right, { lookup: (n) => st.consts.get(n) }, false);
    if (r.ok && cur.value.t === 'str' && r.value.t === 'str') entry = { value: { t: 'str', v: cur.value.v + r.value.v } };
    else if (r.ok && (cur.value.t === 'list' || cur.value.t === 'tuple') && r.value.t === cur.value.t) entry = { value: { t: cur.value.t, items: [...cur.value.items, ...r.value.items] } };
  } else if (!conditional && !cur) {
    const u = classifyUnbound(st, name, left.startIndex, 'the module', (o) => ctx.li.positionAt(o).line);
    if (u.severity === 'error') st.moduleErrors.push({ code: u.code, severity: u.severity, message: u.message, range: rangeOf(ctx, left) });
  }
  st.consts.set(name, entry);
  st.bindings.set(name, { kind: 'other' });
}

// ---------------------------------------------------------------------------------------------
// class statements (read in pythonClassSplice) swallowed by a module-level ERROR

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
      const items: ClassItem[] = [];
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
