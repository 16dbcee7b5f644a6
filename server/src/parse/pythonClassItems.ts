// The statements of a FigStore class body as buildClass reads them: assignment-like items and
// definitions, in order, also recovered from tree-sitter's ERROR nodes. Pure.
import { MirrorNode, type SNode } from './pythonNode';
import { flattenTargets } from './pythonScope';
import { nodes, same } from './pythonCtx';

/** An assignment-like statement in a class body, also when recovered from an ERROR node. */
export interface Item {
  targets: SNode[];
  value: SNode;
  start: number;
  end: number;
  /** Targets come from tuple unpacking (`A, B = ...`). */
  unpack?: boolean;
  /** The targets' names (filled in by the class reader, which reads them once). */
  names?: string[];
  /** Where buildClass keeps this item's evaluation (a statement read into a mirror). */
  memo?: StatementMemo;
  /** This item's index in `memo.items`. */
  index?: number;
}

/** A `def` / `class` statement in a class body (decorators included in the range). */
export interface DefItem {
  def: true;
  name: SNode;
  kind: 'function' | 'class';
  decorators: string[];
  start: number;
  end: number;
}

export type ClassItem = Item | DefItem;

export function isDef(i: ClassItem): i is DefItem {
  return 'def' in i;
}

/**
 * What the class reader keeps on a class-body statement's mirror (MirrorStatement.memo) for the
 * next extraction of the document: a reused mirror has the same text, so its items are the same
 * up to a shift of their offsets, and buildClass may reuse an evaluation that looked nothing up.
 */
export class StatementMemo {
  /** buildClass's evaluations, by item index (see pythonClass's EvalMemo). */
  readonly evals: unknown[] = [];
  constructor(
    /** The statement's start offset when `items` were made (their offsets are absolute). */
    public base: number,
    public items: ClassItem[],
  ) {}
}

function decoratorNames(n: SNode): string[] {
  return nodes(n.namedChildren)
    .filter((c) => c.type === 'decorator')
    .map((d) => {
      const e = nodes(d.namedChildren).find((c) => c.type !== 'comment');
      const callee = e?.type === 'call' ? e.childForFieldName('function') : e;
      return callee?.text.replace(/\s+/g, '') ?? '';
    });
}

/** Assignment-like items and definitions of a class body, in order; statements inside ERROR nodes are recovered. */
export function classItems(stmts: SNode[]): ClassItem[] {
  const out: ClassItem[] = [];
  for (const s of stmts) {
    const stmt = s instanceof MirrorNode && s.stmt.root === s ? s.stmt : undefined;
    if (!stmt) {
      statementItems(out, s);
      continue;
    }
    let memo = stmt.memo instanceof StatementMemo ? stmt.memo : undefined;
    if (!memo) {
      const items: ClassItem[] = [];
      statementItems(items, s);
      const m = new StatementMemo(stmt.base, items);
      items.forEach((it, i) => {
        if (isDef(it)) return;
        it.memo = m;
        it.index = i;
      });
      stmt.memo = memo = m;
    } else if (memo.base !== stmt.base) {
      // The statement moved (an edit above it): the same items, shifted.
      const d = stmt.base - memo.base;
      memo.items = memo.items.map((it) => ({ ...it, start: it.start + d, end: it.end + d }));
      memo.base = stmt.base;
    }
    out.push(...memo.items);
  }
  return out;
}

/** The items of one statement, appended to `out`. */
function statementItems(out: ClassItem[], s: SNode): void {
  // A node's type is a call into wasm each time it is read: read once.
  const type = s.type;
  if (type === 'expression_statement') {
    const only = s.namedChildCount === 1 ? s.firstNamedChild : null;
    if (only) {
      if (only.type === 'assignment') pushAssignment(out, only, s);
    } else for (const c of nodes(s.namedChildren)) if (c.type === 'assignment') pushAssignment(out, c, s);
  } else if (type === 'function_definition' || type === 'class_definition') {
    const name = s.childForFieldName('name');
    if (name) out.push({ def: true, name, kind: type === 'class_definition' ? 'class' : 'function', decorators: [], start: s.startIndex, end: s.endIndex });
  } else if (type === 'decorated_definition') {
    const def = s.childForFieldName('definition');
    const name = def?.childForFieldName('name');
    if (def && name) out.push({ def: true, name, kind: def.type === 'class_definition' ? 'class' : 'function', decorators: decoratorNames(s), start: s.startIndex, end: s.endIndex });
  } else if (type === 'ERROR') {
    itemsFromError(out, s);
  }
}

function targetsOf(left: SNode): { targets: SNode[]; unpack: boolean } {
  const targets = flattenTargets(left);
  // flattenTargets gives a lone identifier back as itself.
  return { targets, unpack: !(targets.length === 1 && targets[0] === left) };
}

/**
 * Items of one assignment statement. A stray token can make tree-sitter chain two lines into
 * `A = <ERROR: AppFig("a") )> B = AppFig("b")`; the chain is split there so A keeps its own call.
 */
function pushAssignment(out: ClassItem[], a: SNode, stmt: SNode): void {
  let targets: SNode[] = [];
  let unpack = false;
  let segStart = stmt.startIndex;
  let cur: SNode | null = a;
  while (cur && cur.type === 'assignment') {
    const left = cur.childForFieldName('left');
    if (left) {
      const t = targetsOf(left);
      targets.push(...t.targets);
      unpack ||= t.unpack;
    }
    const right: SNode | null = cur.childForFieldName('right');
    // hasError first: scanning children marshals every node, and most assignments are fine.
    const err = cur.hasError ? nodes(cur.children).find((c) => c.type === 'ERROR') : undefined;
    if (err) {
      const first = nodes(err.namedChildren).find((c) => c.type !== 'comment');
      const v = first && !STATEMENTISH.has(first.type) ? first : undefined;
      if (v && targets.length) out.push({ targets, value: v, start: segStart, end: v.endIndex, unpack });
      // The ERROR may have swallowed whole following lines (`B = AppFig("b")`): recover them too.
      itemsFromError(out, err, nodes(err.children).filter((c) => !same(c, v)));
      targets = [];
      unpack = false;
      if (right) segStart = right.startIndex;
    }
    if (!right) return;
    if (right.type !== 'assignment') {
      if (targets.length) out.push({ targets, value: right, start: segStart, end: stmt.endIndex, unpack });
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
export function itemsFromError(out: ClassItem[], err: SNode, kids: SNode[] = nodes(err.children)): void {
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
export function startsStatement(kids: SNode[], i: number): boolean {
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
