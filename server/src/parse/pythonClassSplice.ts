// Reading one class statement for the config.py extraction (pythonExtract), with its body's statements
// as mirrors. After a keystroke inside one statement of a large FigStore class, instead of walking
// every statement of the class body again (thousands in a generated config.py), the class is taken
// from the previous extraction with that one statement read again ("spliced"). Pure; the planner
// only says yes when the result is the same as a full read, and the incremental parser's tests
// compare the two on random edits.
//
// What must hold, and why it is enough:
// - One edit, inside one assignment statement S of the class body, with no line break in the text it
//   removes or inserts, no CR in S and no statement after S on its line: every other statement keeps
//   its text and its line and character, so its evaluation, ranges and Fig object ids are the same.
// - tree-sitter reports no change outside S, the body has as many statements as before and S's node
//   spans its old span shifted by the edit: the other statements are the same nodes, moved.
// - S binds one plain name, bound nowhere else in the class, and is not TWIG; no item after it looked
//   that name up (or something it cannot name); no class statement after the class names it (no
//   subclass, no `Figs.X` in a class body, no redefinition; module-level code evaluates no class
//   attribute): so nothing else reads what S binds.
// - The class and its new S have no syntax error, and S's new value looks nothing up (checked by
//   buildClass, which falls back to a full read otherwise).
import type { Node } from 'web-tree-sitter';
import { buildClass, type ClassPlan, type ClassTrace } from './pythonClass';
import { classItems, isDef, StatementMemo, type ClassItem, type Item } from './pythonClassItems';
import { isDunder, isStoreFigName, mangle, nodes, type Ctx, type ModuleState } from './pythonCtx';
import type { MirrorNode, MirrorStatement, SNode } from './pythonNode';

/** One statement of a class body as the class reader read it. */
export interface Slot {
  stmt: MirrorStatement;
  type: string;
  text: string;
  start: number;
  end: number;
  /** Its index among the body block's named children (comments count). */
  namedIndex: number;
  /** Its first item's index in the class's items, and how many items it holds. */
  firstItem: number;
  itemCount: number;
}

/** What the class reader keeps of one FigStore class for the next extraction. */
export interface ClassRun {
  className: string;
  /** The text from the class's start to its body's. */
  headText: string;
  end: number;
  bodyNamed: number;
  slots: Slot[];
  trace: ClassTrace;
}

/** The statement of `run` to read again, and the node it is now. */
export interface SplicePoint {
  run: ClassRun;
  slot: number;
  node: Node;
  /** How far the statements after it moved. */
  delta: number;
}

function isClassRun(x: unknown): x is ClassRun {
  return typeof x === 'object' && x !== null && 'slots' in x && 'trace' in x;
}

/** Where the class `n` (body `body`) can be spliced, or undefined: read it in full. */
export function planSplice(ctx: Ctx, n: Node, body: Node, className: string): SplicePoint | undefined {
  const mirrors = ctx.mirrors;
  if (!mirrors || mirrors.edits.length !== 1) return undefined;
  const run = mirrors.previousClass(n.startIndex);
  if (!isClassRun(run) || run.className !== className || n.hasError) return undefined;
  const e = mirrors.edits[0];
  const delta = e.newEndIndex - e.oldEndIndex;
  if (n.endIndex !== run.end + delta || ctx.text.slice(n.startIndex, body.startIndex) !== run.headText) return undefined;
  const k = slotAt(run.slots, e.startIndex);
  const s = k === undefined ? undefined : run.slots[k];
  if (!s || s.type !== 'expression_statement' || s.itemCount !== 1 || e.oldEndIndex > s.end) return undefined;
  const inserted = ctx.text.slice(e.startIndex, e.newEndIndex);
  const removed = s.text.slice(e.startIndex - s.start, e.oldEndIndex - s.start);
  if (/[\r\n]/.test(inserted) || /[\r\n]/.test(removed) || s.text.includes('\r')) return undefined;
  const newEnd = s.end + delta;
  // A statement after it on the same line would move within its line.
  const next = run.slots[k! + 1];
  if (next && !ctx.text.slice(newEnd, next.start + delta).includes('\n')) return undefined;
  for (const c of mirrors.changed) if (c.startIndex < s.start || c.endIndex > newEnd) return undefined;
  if (!readsOnlyItself(run.trace, s.firstItem, className)) return undefined;
  if (namedByLaterClass(n, ctx.text, className)) return undefined;
  if (body.namedChildCount !== run.bodyNamed) return undefined;
  const node = body.namedChild(s.namedIndex);
  if (!node || node.type !== s.type || node.startIndex !== s.start || node.endIndex !== newEnd || node.hasError) return undefined;
  return { run, slot: k!, node, delta };
}

/**
 * The new statement's items, when it is still one assignment to one plain name: the same name, or a
 * new one (typing in it) that, like the old one, nothing else in the class binds or reads.
 */
export function spliceItem(point: SplicePoint, items: ClassItem[]): Item | undefined {
  const only = items.length === 1 ? items[0] : undefined;
  if (!only || isDef(only) || only.unpack || only.targets.length !== 1) return undefined;
  const { trace, className } = point.run;
  const index = point.run.slots[point.slot].firstItem;
  const target = only.targets[0];
  const name = target.text;
  if (name === trace.items[index].names[0]) return only;
  return target.type === 'identifier' && unread(trace, index, className, name) ? only : undefined;
}

/** The slot holding offset `at` (binary search over the slots, which are in order). */
function slotAt(slots: Slot[], at: number): number | undefined {
  let lo = 0;
  let hi = slots.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = slots[mid];
    if (at < s.start) hi = mid - 1;
    else if (at > s.end) lo = mid + 1;
    else return mid;
  }
  return undefined;
}

/** Item `index` binds one plain name bound nowhere else in the class, and no later item looked it up. */
function readsOnlyItself(trace: ClassTrace, index: number, className: string): boolean {
  const item = trace.items[index];
  return item !== undefined && item.names.length === 1 && unread(trace, index, className, item.names[0]);
}

/** `name` is a plain name (not TWIG, not mangled) that no item but `index` binds and no item after it looked up. */
function unread(trace: ClassTrace, index: number, className: string, name: string): boolean {
  if (name === 'TWIG' || !isStoreFigName(name) || isDunder(name) || mangle(className, name) !== name) return false;
  for (let i = 0; i < trace.items.length; i++) {
    const t = trace.items[i];
    if (i > index && t.open && (t.reads === undefined || t.reads.includes(name))) return false;
    if (i !== index && t.names.includes(name)) return false;
  }
  return true;
}

/** Mentions looked at, at most; past that the class is read in full. */
const MAX_MENTIONS = 50;
/** Where a mention can make the class reader read the class's namespace: a class statement (its bases, its body). */
const CLASSY = new Set(['class_definition', 'decorated_definition', 'ERROR']);

/**
 * `name` occurs as a word after the class `n`, inside a class statement (a subclass, `Figs.X` in a
 * class body, a redefinition) or a syntax error that may hide one. Module-level code such as
 * `FIGS = Figs(SERVICE_NAME, lazy_load=True)` reads nothing of the class's namespace.
 */
function namedByLaterClass(n: Node, text: string, name: string): boolean {
  let seen = 0;
  for (let at = text.indexOf(name, n.endIndex); at !== -1; at = text.indexOf(name, at + 1)) {
    if (/[\w\u0080-\uffff]/.test(text[at - 1] ?? '') || /[\w\u0080-\uffff]/.test(text[at + name.length] ?? '')) continue;
    if (++seen > MAX_MENTIONS) return true;
    for (let p: Node | null = n.tree.rootNode.descendantForIndex(at, at + name.length); p; p = p.parent) if (CLASSY.has(p.type)) return true;
  }
  return false;
}

/**
 * One class statement: its body's statements read into mirrors (or, after a keystroke inside one of
 * them, the class spliced), then buildClass; what it read is kept for the next extraction.
 */
export function handleClassDef(ctx: Ctx, st: ModuleState, n: Node, decorators: SNode[] = []): void {
  const nameNode = n.childForFieldName('name');
  if (!nameNode) return;
  const body = n.childForFieldName('body');
  const mirrors = ctx.mirrors;
  const slots: Slot[] = [];
  let extraCount = 0;
  const items = (): ClassItem[] => {
    // Only these statement types can hold items (see classItems); each is read once, into a mirror.
    const stmts = body ? statementMirrors(ctx, body, (t) => CLASS_STATEMENTS.has(t), (m, namedIndex) => slots.push(slotOf(m, namedIndex))) : [];
    // A class whose body is cut by an error may hold its statements outside the block.
    const extra = statementMirrors(ctx, n, (t) => t === 'ERROR');
    extraCount = extra.length;
    const stmtsInOrder = [...stmts, ...extra].sort((a, b) => a.startIndex - b.startIndex);
    return classItems(stmtsInOrder);
  };
  const head = { nameNode, supers: n.childForFieldName('superclasses'), start: n.startIndex, end: n.endIndex, decorators };
  if (!mirrors || !body) {
    buildClass(ctx, st, head, items);
    return;
  }
  // After a keystroke inside one statement, the class may be the previous one with that statement read again.
  const point = planSplice(ctx, n, body, nameNode.text);
  let plan: ClassPlan | undefined;
  let fresh: Slot | undefined;
  if (point) {
    const c = point.node.walk();
    try {
      const m = mirrors.read(c);
      const old = point.run.slots[point.slot];
      fresh = { ...slotOf(m, old.namedIndex), firstItem: old.firstItem, itemCount: old.itemCount };
      const item = spliceItem(point, classItems([m]));
      if (item) plan = { prev: point.run.trace, index: old.firstItem, item };
    } finally {
      c.delete();
    }
  }
  const trace = buildClass(ctx, st, head, items, { plan });
  if (!trace) return;
  if (trace.spliced && point && fresh) {
    mirrors.spliced++;
    // The other statements are the previous ones, those after the edited one moved by the edit (the
    // previous run's slots are taken over: nothing reads that run again).
    for (let i = 0; i < point.run.slots.length; i++) {
      const s = point.run.slots[i];
      if (i === point.slot) {
        slots.push(fresh);
        continue;
      }
      if (i > point.slot) {
        s.start += point.delta;
        s.end += point.delta;
      }
      mirrors.keep(s.stmt, s.type, s.text, s.start);
      slots.push(s);
    }
  } else {
    let next = 0;
    for (const s of slots) {
      s.firstItem = next;
      s.itemCount = s.stmt.memo instanceof StatementMemo ? s.stmt.memo.items.length : 0;
      next += s.itemCount;
    }
    // Only a class read whole, without syntax errors, from its mirrored statements can be spliced into.
    if (n.hasError || extraCount > 0 || next !== trace.items.length || slots.some((s) => !(s.stmt.memo instanceof StatementMemo))) return;
  }
  const run: ClassRun = { className: nameNode.text, headText: ctx.text.slice(n.startIndex, body.startIndex), end: n.endIndex, bodyNamed: body.namedChildCount, slots, trace };
  mirrors.cache.classes.set(n.startIndex, run);
}

function slotOf(m: MirrorNode, namedIndex: number): Slot {
  return { stmt: m.stmt, type: m.type, text: m.text, start: m.startIndex, end: m.endIndex, namedIndex, firstItem: 0, itemCount: 0 };
}

const CLASS_STATEMENTS = new Set(['expression_statement', 'ERROR', 'function_definition', 'decorated_definition', 'class_definition']);

/**
 * The named children of `parent` whose type passes `want`, in order (as mirrors when ctx.mirrors;
 * `onMirror` hears of each with its index among the named children).
 */
function statementMirrors(ctx: Ctx, parent: Node, want: (type: string) => boolean, onMirror?: (m: MirrorNode, namedIndex: number) => void): SNode[] {
  if (!ctx.mirrors) return nodes(parent.namedChildren).filter((c) => want(c.type));
  const mirrors = ctx.mirrors;
  const out: SNode[] = [];
  const c = parent.walk();
  let named = 0;
  try {
    if (c.gotoFirstChild()) {
      do {
        if (!c.nodeIsNamed) continue;
        if (want(c.nodeType)) {
          const m = mirrors.read(c);
          onMirror?.(m, named);
          out.push(m);
        }
        named++;
      } while (c.gotoNextSibling());
    }
  } finally {
    c.delete();
  }
  return out;
}
