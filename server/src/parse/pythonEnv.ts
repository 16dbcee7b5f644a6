// Python module → the environment variables it reads and writes (PythonEnvFacts), from the
// tree-sitter tree python.ts already parsed. Never throws; the result depends only on the tree and
// the text. Fast on large files: statements are visited with one TreeCursor; only statements whose
// source text holds a marker (environ, getenv, Settings, config, print, an UPPER_SNAKE literal...)
// are mirrored into plain JS nodes (pythonNode.ts) and analysed, so wasm is crossed per node only
// where something may be found. Two bounded caches shared between extractions (statement mirrors,
// replays of unchanged module-level statements) make re-extraction after an edit cheaper without
// changing any result.
import type { Language, Node, TreeCursor } from 'web-tree-sitter';
import type { PythonEnvFacts } from './envTypes';
import type { ParseError, Range } from './types';
import { MirrorSource, mirrorStatement, type SNode } from './pythonNode';
import { clearMirrorCache, mirrorCached } from './pythonEnvMirror';
import { clearReplayCache, replayOrRun } from './pythonEnvReplay';
import { ANY_READ, DEFAULT_BUDGET_MS, Walker } from './pythonEnvCtx';
import { isSensitiveEnvName, kids } from './pythonEnvNames';
import { bindImport, Scope, type FnInfo, type ModelClass } from './pythonEnvScope';
import { visit } from './pythonEnvReads';
import { readerHelper } from './pythonEnvLibs';
import { provenSet, provenUnset, switchNames, tryLetsMissingPass, underGuard } from './pythonEnvGuards';
import { ALIASABLE, assignment, augmented, loopOverDict } from './pythonEnvAssign';
import { configClassStatement, modelClassFor, modelStatement, settingsReads } from './pythonEnvSettings';
import { bindParams, finishFacts } from './pythonEnvForward';
import { ASSIGN_LINES, ASSIGN_START, CONST_LIKE, FIGSTORE_MARKER, MARKER, mayReadEnv } from './pythonEnvMarkers';
import { markDevOnlySettings } from './pythonEnvConfigClasses';

export { isSensitiveEnvName, mayReadEnv };

/** Empties the caches shared between extractions (statement mirrors, module-level statement replays). */
export function clearEnvCaches(): void {
  clearMirrorCache();
  clearReplayCache();
}

export interface EnvExtractOptions {
  /** Wall-clock budget in ms (default 1500); past it the facts found so far are returned with a warning. */
  budgetMs?: number;
  /**
   * Use and fill the caches shared between extractions (default true). The language server's open
   * documents are extracted again after each keystroke and use them; a file read once (the CLI, the
   * start-up scan, a file changed on disk) passes false (parse/python.ts extractAll).
   */
  reuse?: boolean;
}

/** Statements longer than this (generated or hostile code) are reported and skipped. */
const MAX_STATEMENT_CHARS = 1_000_000;
/** Below this nesting the marker test is skipped (bounds re-scanning of deeply nested text). */
const MAX_FILTER_DEPTH = 8;
const MAX_NEST = 150;

const COMPOUND = new Set([
  'if_statement', 'for_statement', 'while_statement', 'try_statement', 'with_statement', 'match_statement', 'elif_clause', 'else_clause',
  'except_clause', 'except_group_clause', 'finally_clause', 'case_clause', 'ERROR', 'block', 'module',
]);
/** Compound statements whose `condition` guards their `consequence` / `body`. */
const GUARDING = new Set(['if_statement', 'elif_clause', 'while_statement']);
const SKIP = new Set(['comment', 'pass_statement', 'break_statement', 'continue_statement', 'future_import_statement', 'global_statement', 'nonlocal_statement']);
interface State {
  w: Walker;
  src: MirrorSource;
  /** The grammar's node type names by id, and whether each is named (read once per id). */
  language: Language;
  types: readonly string[];
  named: (id: number) => boolean;
  fns: FnInfo[];
  moduleFns: Map<string, FnInfo>;
  reuse: boolean;
  /**
   * Set by an `if` without alternatives whose body always leaves the block without failing
   * (`return`, `continue`, `break`): the names its condition proves unset, so set in the rest of
   * the block (`if key not in os.environ: return default` … `os.environ[key]`).
   */
  setAfter?: string[];
}

interface Ctx {
  /** Inside if/try/for/while/with: an assignment here does not make a constant. */
  cond: boolean;
  /** Skip statements without a marker (off inside functions that read the environment). */
  filter: boolean;
  depth: number;
  /** Inside a FigStore class body: the narrower marker (FIGSTORE_MARKER). */
  figStore?: boolean;
}

/** The node at the cursor, read once: type id and name, offsets. */
interface At {
  id: number;
  type: string;
  start: number;
  end: number;
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const ERROR_ID = 65535;

/** The environment facts of one Python module. Never throws; ranges are LSP positions in `text`. */
export function extractEnvFacts(root: Node, text: string, options: EnvExtractOptions = {}): { facts: PythonEnvFacts; errors: ParseError[] } {
  const w = new Walker(text, options.budgetMs ?? DEFAULT_BUDGET_MS);
  let cursor: TreeCursor | undefined;
  try {
    const language = root.tree.language;
    const namedById: (boolean | undefined)[] = [];
    const named = (id: number) => id === ERROR_ID || (namedById[id] ??= language.nodeTypeIsNamed(id));
    const st: State = { w, src: new MirrorSource(text), language, types: language.types, named, fns: [], moduleFns: new Map(), reuse: options.reuse ?? true };
    const module = new Scope('module', undefined);
    cursor = root.walk();
    walkBlock(st, module, cursor, { cond: false, filter: true, depth: 0 });
    finishFacts(st.w, st.fns, st.moduleFns);
    markDevOnlySettings(root, w.facts);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    w.errors.push({ code: 'env-internal', severity: 'error', range: ZERO, message: `environment variables: internal error while reading this file: ${why.slice(0, 200)}` });
  } finally {
    try {
      cursor?.delete();
    } catch {
      /* already freed */
    }
  }
  return { facts: w.facts, errors: w.errors };
}

function at(st: State, c: TreeCursor): At {
  const id = c.nodeTypeId;
  return { id, type: st.types[id] || 'ERROR', start: c.startIndex, end: c.endIndex };
}

function mirror(st: State, c: TreeCursor, a: At): SNode {
  if (!st.reuse) return mirrorStatement(c, c.currentNode, st.src).root;
  return mirrorCached(c, st.src, st.language, a.id, a.start, a.end);
}

function interesting(st: State, a: At, ctx: Ctx): boolean {
  if (ctx.depth > MAX_FILTER_DEPTH) return true;
  const t = st.w.text.slice(a.start, a.end);
  if (ctx.figStore) return FIGSTORE_MARKER.test(t) || (st.w.extraRe?.test(t) ?? false);
  return MARKER.test(t) || CONST_LIKE.test(t) || (st.w.extraRe?.test(t) ?? false);
}

/**
 * A condition naming a variable that holds a read false while unset (`USE_S3 = env.bool("USE_S3",
 * False)` … `if USE_S3:`), an optional read it may compare (`if MODE == "s3":`) or a value derived
 * from one (`S = to_enum(E, env("MODE", default="x"))` … `if S == E.X:`): a value switch
 * (pythonEnvGuards.ts), so it is analysed although it does not mention the environment itself.
 */
function testsSwitchVariable(st: State, scope: Scope, a: At): boolean {
  // (A derived variable needs an optional read or a candidate call before it.)
  if (a.end - a.start > 2000 || (st.w.offWhenUnset.size === 0 && st.w.unsetValues.size === 0 && st.w.facts.calls.length === 0)) return false;
  const { offWhenUnset, unsetValues } = st.w;
  for (const m of st.w.text.slice(a.start, a.end).matchAll(/[A-Za-z_]\w*/g)) {
    const b = scope.lookup(m[0]);
    // (An optional read's value compared with something is one too: `if MODE == "s3":`.)
    if (b?.k === 'tracked' && b.names.some((n) => n.name !== undefined && (offWhenUnset.get(n.name) === true || unsetValues.has(n.name)))) return true;
    if (b?.k === 'derived') return true;
  }
  return false;
}

/** A skipped statement may still rebind a name: it then stands for nothing known. */
function rebindPlain(st: State, scope: Scope, a: At, lines: boolean): void {
  const t = st.w.text.slice(a.start, a.end);
  const unbind = (name: string) => {
    const b = scope.bindings.get(name);
    if (b && b.k !== 'other') scope.bindings.set(name, { k: 'other' });
    else if (!b && scope.kind !== 'module' && scope.lookup(name)) scope.bindings.set(name, { k: 'other' });
    if (scope.kind === 'module') st.w.deleteConst(name);
  };
  if (!lines) {
    const m = ASSIGN_START.exec(t);
    if (m) unbind(m[1]);
    return;
  }
  ASSIGN_LINES.lastIndex = 0;
  for (let m = ASSIGN_LINES.exec(t); m; m = ASSIGN_LINES.exec(t)) unbind(m[1]);
}

/** Each named child of the node at the cursor, as a statement. */
function walkBlock(st: State, scope: Scope, c: TreeCursor, ctx: Ctx): void {
  if (ctx.depth > MAX_NEST || !c.gotoFirstChild()) return;
  const guards = st.w.guards.length;
  try {
    do {
      const a = at(st, c);
      if (!st.named(a.id)) continue;
      st.setAfter = undefined;
      guarded(st, a, () => statement(st, scope, c, a, ctx));
      // After `if X not in os.environ: return …`, the rest of the block runs only with X set.
      const after = st.setAfter as string[] | undefined;
      if (after?.length) st.w.guards.push(...after);
      st.setAfter = undefined;
      if (!st.w.tick()) return;
    } while (c.gotoNextSibling());
  } finally {
    st.w.guards.length = guards;
    c.gotoParent();
  }
}

const LEAVES = new Set(['return_statement', 'continue_statement', 'break_statement']);

/** Whether the block at the cursor ends with `return`, `continue` or `break` (the cursor is restored). */
function endsByLeaving(st: State, c: TreeCursor): boolean {
  if (!c.gotoFirstChild()) return false;
  let last = '';
  try {
    do {
      const a = at(st, c);
      if (st.named(a.id) && a.type !== 'comment') last = a.type;
    } while (c.gotoNextSibling());
  } finally {
    c.gotoParent();
  }
  return LEAVES.has(last);
}

const MAX_STATEMENT_ERRORS = 20;

/**
 * Runs one statement's extraction; a statement that cannot be analysed (nested deeper than the
 * stack allows, or an internal error) is reported and skipped, and the rest of the file still is.
 */
function guarded(st: State, a: At, run: () => void): void {
  if (a.end - a.start > MAX_STATEMENT_CHARS) {
    st.w.warn('env-statement-too-large', `environment variables: a statement of ${a.end - a.start} characters is not analysed (limit ${MAX_STATEMENT_CHARS})`, st.w.span(a.start, a.start));
    return;
  }
  try {
    run();
  } catch (e) {
    if (st.w.errors.length >= MAX_STATEMENT_ERRORS) return;
    const deep = e instanceof RangeError;
    const why = deep ? 'it is nested too deeply' : `internal error: ${(e instanceof Error ? e.message : String(e)).slice(0, 200)}`;
    st.w.errors.push({ code: deep ? 'env-too-deep' : 'env-internal', severity: deep ? 'warning' : 'error', range: st.w.span(a.start, a.start), message: `environment variables: this statement is not analysed: ${why}` });
  }
}

function statement(st: State, scope: Scope, c: TreeCursor, a: At, ctx: Ctx): void {
  const type = a.type;
  if (SKIP.has(type)) return;
  switch (type) {
    case 'import_statement':
    case 'import_from_statement': {
      const m = mirror(st, c, a);
      const imports = bindImport(scope, m, st.w.range(m));
      if (scope.kind === 'module') for (const i of imports) st.w.push('imports', i);
      for (const i of imports) {
        for (const n of i.names.length ? i.names.map((x) => x.local) : [i.local ?? '']) {
          const b = scope.bindings.get(n);
          if (b && ALIASABLE.has(b.k) && !MARKER.test(n)) st.w.note(n);
          // `from decouple import config` in a module others import `config` from.
          const reader = b && scope.kind === 'module' ? readerHelper(n, () => st.w.range(m), b) : undefined;
          if (reader) st.w.push('helpers', reader);
        }
      }
      return;
    }
    case 'function_definition':
      return functionDef(st, scope, c, a, ctx, []);
    case 'class_definition':
      return classDef(st, scope, c, a, ctx);
    case 'decorated_definition':
      return decorated(st, scope, c, a, ctx);
  }
  if (COMPOUND.has(type)) {
    if (ctx.filter && !interesting(st, a, ctx)) return rebindPlain(st, scope, a, true);
    return compound(st, scope, c, a, ctx);
  }
  if (ctx.filter && !interesting(st, a, ctx)) return rebindPlain(st, scope, a, false);
  if (st.reuse && ctx.depth === 0 && scope.kind === 'module') {
    return replayOrRun(st.w, scope, st.w.text.slice(a.start, a.end), a.id, a.start, () => simple(st, scope, mirror(st, c, a), ctx));
  }
  simple(st, scope, mirror(st, c, a), ctx);
}

/** if / for / while / try / with / match and their clauses, and ERROR nodes: headers are visited, bodies walked. */
function compound(st: State, scope: Scope, c: TreeCursor, outer: At, ctx: Ctx): void {
  const inner: Ctx = { cond: true, filter: ctx.filter, depth: ctx.depth + 1, figStore: ctx.figStore };
  const isFor = outer.type === 'for_statement';
  // What an if / elif / while condition proves set guards its body (pythonEnvGuards.ts).
  let proven: string[] = [];
  let switches: string[] = [];
  // What an if condition proves unset: set in its elif / else clauses, and after it when its body leaves.
  let unset: string[] = [];
  let leaves = false;
  let alternatives = false;
  let left: SNode | undefined;
  // `try: X = os.environ["X"]` with `except KeyError: pass`: the body's reads are not required.
  if (outer.type === 'try_statement' && tryLetsMissingPass(st.w.text, outer.start, outer.end)) proven = [ANY_READ];
  if (inner.depth > MAX_NEST || !c.gotoFirstChild()) return;
  try {
    do {
      const a = at(st, c);
      if (!st.named(a.id)) continue;
      const t = a.type;
      const field = c.currentFieldName;
      if (t === 'block') {
        if (field === 'consequence' || field === 'body') underGuard(st.w, proven, () => walkBlock(st, scope, c, inner), switches);
        else walkBlock(st, scope, c, inner);
        if (field === 'consequence' && unset.length) leaves = endsByLeaving(st, c);
      } else if (field === 'condition' && GUARDING.has(outer.type)) {
        if (inner.filter && !interesting(st, a, inner) && !testsSwitchVariable(st, scope, a)) continue;
        const m = mirror(st, c, a);
        guarded(st, a, () => simple(st, scope, m, inner));
        proven = provenSet(st.w, m);
        switches = switchNames(st.w, m, scope);
        if (outer.type === 'if_statement') unset = provenUnset(st.w, m);
      } else if (field === 'alternative' && outer.type === 'if_statement') {
        alternatives = true;
        guarded(st, a, () => underGuard(st.w, unset, () => statement(st, scope, c, a, inner)));
      } else if (COMPOUND.has(t) || t.endsWith('_statement') || t.endsWith('_definition')) guarded(st, a, () => statement(st, scope, c, a, inner));
      else if (t !== 'comment') {
        if (isFor && c.currentFieldName === 'left') {
          rebindPlain(st, scope, a, false);
          left = mirror(st, c, a);
          for (const id of identifiersIn(left)) scope.bindings.set(id, { k: 'other' });
          continue;
        }
        if (isFor && left && c.currentFieldName === 'right') loopOverDict(scope, left, mirror(st, c, a));
        if (inner.filter && !interesting(st, a, inner)) continue;
        guarded(st, a, () => simple(st, scope, mirror(st, c, a), inner));
      }
      if (st.w.stopped) return;
    } while (c.gotoNextSibling());
    // `if key not in os.environ: return default`: the statements after it run with the name set.
    if (leaves && !alternatives) st.setAfter = unset;
  } finally {
    c.gotoParent();
  }
}

function identifiersIn(n: SNode): string[] {
  if (n.type === 'identifier') return [n.text];
  return kids(n).flatMap(identifiersIn);
}

function simple(st: State, scope: Scope, m: SNode, ctx: Ctx): void {
  const w = st.w;
  switch (m.type) {
    case 'expression_statement':
      for (const k of kids(m)) {
        if (k.type === 'assignment') assignment(w, scope, k, ctx.cond);
        else if (k.type === 'augmented_assignment') augmented(w, scope, k);
        else visit(w, scope, k);
      }
      return;
    case 'delete_statement':
      return; // `del os.environ["X"]` neither reads nor provides
    default:
      visit(w, scope, m);
  }
}

// ---------------------------------------------------------------------------------------------
// functions and classes

function functionDef(st: State, scope: Scope, c: TreeCursor, self: At, ctx: Ctx, decorators: string[]): void {
  const w = st.w;
  const walkBody = !ctx.filter || interesting(st, self, ctx);
  if (!c.gotoFirstChild()) return;
  let fn: FnInfo | undefined;
  let params: SNode | undefined;
  try {
    do {
      const field = c.currentFieldName;
      if (field === 'name') {
        const a = at(st, c);
        const name = w.text.slice(a.start, a.end);
        const outer = scope.function;
        const qualifiedName = scope.kind === 'class' && scope.className ? `${scope.className}.${name}` : outer ? `${outer.qualifiedName}.${name}` : name;
        fn = { name, qualifiedName, nameRange: w.span(a.start, a.end), params: new Map(), forwards: [] };
        scope.bindings.set(name, { k: 'function', fn });
        if (scope.kind === 'module') {
          st.moduleFns.set(name, fn);
          w.deleteConst(name);
        }
      } else if (field === 'parameters' && walkBody) params = mirror(st, c, at(st, c));
      else if (field === 'body' && walkBody && fn) {
        const fscope = new Scope('function', scope, fn);
        const isMethod = scope.kind === 'class' && !decorators.includes('staticmethod');
        if (params) bindParams(st.w, scope, fscope, params, isMethod);
        walkBlock(st, fscope, c, { cond: false, filter: false, depth: ctx.depth + 1 });
        st.fns.push(fn);
        if (fn.helper && !MARKER.test(fn.name)) w.note(fn.name);
      }
    } while (c.gotoNextSibling());
  } finally {
    c.gotoParent();
  }
}

function classDef(st: State, scope: Scope, c: TreeCursor, self: At, ctx: Ctx): void {
  const w = st.w;
  if (!c.gotoFirstChild()) return;
  let name = '';
  let supers: SNode | undefined;
  try {
    do {
      const field = c.currentFieldName;
      if (field === 'name') name = w.text.slice(c.startIndex, c.endIndex);
      else if (field === 'superclasses') supers = mirror(st, c, at(st, c));
      else if (field === 'body') {
        const model = modelClassFor(scope, name, supers, w);
        if (supers) visitClassKeywords(st, scope, supers);
        const cscope = new Scope('class', scope, undefined, name);
        if (model) {
          scope.bindings.set(name, { k: 'model-class', cls: model });
          modelBody(st, cscope, c, ctx, model);
          settingsReads(w, scope, cscope, model);
          // Statements that build it are analysed (`S(SECRET=x)` passes fields in, `S(_env_file=…)` loads a file).
          if (model.settings && name) w.note(name);
        } else {
          scope.bindings.set(name, { k: 'other' });
          const figStore = ctx.figStore || (supers !== undefined && /\bFigStore\b/.test(supers.text));
          if (!ctx.filter || interesting(st, self, ctx)) walkBlock(st, cscope, c, { cond: ctx.cond, filter: ctx.filter, depth: ctx.depth + 1, figStore });
        }
        if (scope.kind === 'module') w.deleteConst(name);
      }
    } while (c.gotoNextSibling());
  } finally {
    c.gotoParent();
  }
}

/** Reads in base-class expressions and class keywords (`class S(Base, env_prefix=os.environ["P"])`). */
function visitClassKeywords(st: State, scope: Scope, supers: SNode): void {
  for (const k of kids(supers)) if (k.type === 'keyword_argument' || k.type === 'call' || k.type === 'subscript') visit(st.w, scope, k);
}

/** A pydantic model's body: every field statement (no marker filter), inner `class Config:`, methods. */
function modelBody(st: State, cscope: Scope, c: TreeCursor, ctx: Ctx, model: ModelClass): void {
  const inner: Ctx = { cond: ctx.cond, filter: true, depth: ctx.depth + 1 };
  if (!c.gotoFirstChild()) return;
  try {
    do {
      const a = at(st, c);
      if (!st.named(a.id)) continue;
      guarded(st, a, () => {
        if (a.type === 'expression_statement') {
          const m = mirror(st, c, a);
          if (!modelStatement(st.w, cscope, model, m)) simple(st, cscope, m, inner);
        } else if (a.type === 'class_definition' && /^class\s+Config\b/.test(st.w.text.slice(a.start, a.start + 40))) {
          configClass(st, cscope, c, model);
        } else statement(st, cscope, c, a, inner);
      });
      if (st.w.stopped) return;
    } while (c.gotoNextSibling());
  } finally {
    c.gotoParent();
  }
}

function configClass(st: State, cscope: Scope, c: TreeCursor, model: ModelClass): void {
  if (!c.gotoFirstChild()) return;
  try {
    do {
      if (c.currentFieldName !== 'body' || !c.gotoFirstChild()) continue;
      try {
        do {
          const a = at(st, c);
          if (a.type === 'expression_statement') configClassStatement(st.w, cscope, model, mirror(st, c, a));
        } while (c.gotoNextSibling());
      } finally {
        c.gotoParent();
      }
    } while (c.gotoNextSibling());
  } finally {
    c.gotoParent();
  }
}

function decorated(st: State, scope: Scope, c: TreeCursor, self: At, ctx: Ctx): void {
  const w = st.w;
  const decorators: string[] = [];
  if (!c.gotoFirstChild()) return;
  try {
    do {
      const a = at(st, c);
      if (a.type === 'decorator') {
        decorators.push(w.text.slice(a.start + 1, a.end).trim().split('(')[0]);
        if (!ctx.filter || interesting(st, a, ctx)) {
          const m = mirror(st, c, a);
          for (const k of kids(m)) visit(w, scope, k);
        }
      } else if (a.type === 'function_definition') functionDef(st, scope, c, { ...a, start: self.start }, ctx, decorators);
      else if (a.type === 'class_definition') classDef(st, scope, c, a, ctx);
    } while (c.gotoNextSibling());
  } finally {
    c.gotoParent();
  }
}
