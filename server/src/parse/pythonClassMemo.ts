// What the class reader (pythonClass) keeps between the reads of one document: each item's
// evaluation with the ranges of its place (EvalMemo), and each class's read item by item (ClassTrace)
// for the next read to splice into (pythonClassSplice). Pure.
import type { FigDecl, FigKind, FigStoreClass, ParseError, Range } from './types';
import type { EvalResult } from './pythonEval';
import type { SNode } from './pythonNode';
import { figKindOf } from './pythonScope';
import type { Ctx, ModuleState, StoreInfo } from './pythonCtx';
import type { Item } from './pythonClassItems';

/** What one item of a class body did when the class was read. */
export interface ItemTrace {
  /** The names it binds. */
  names: string[];
  /** Its evaluation looked something up (or may have): it depends on the items before it. */
  open: boolean;
  /** When open: the names it looked up (undefined: not known, it may have read any). */
  reads?: readonly string[];
  /** How many Figs and other attributes it added to the class. */
  figs: number;
  nonFigs: number;
  /** The problems reported while it was read. */
  errors: readonly ParseError[];
}

/** One read of a FigStore class, item by item, for the next read to splice into. */
export interface ClassTrace {
  items: ItemTrace[];
  info: StoreInfo;
  cls: FigStoreClass;
  twigError: ParseError | undefined;
  /** This read spliced one item into the previous one. */
  spliced: boolean;
}

/**
 * Read the class as `prev` did, with item `index` replaced by `item` (the planner in
 * pythonClassSplice checked that everything else is the same text at the same place and that
 * nothing after the item reads what it binds).
 */
export interface ClassPlan {
  prev: ClassTrace;
  index: number;
  item: Item;
}

export interface ClassSplicing {
  plan?: ClassPlan;
}

export const NO_ERRORS: readonly ParseError[] = Object.freeze([]);

export interface Evaluation extends Evaluated {
  open?: boolean;
  /** When open, the names it looked up, if known. */
  reads?: string[];
  /** The Fig objects a fresh evaluation created. */
  created?: FigDecl[];
}

/** What evaluating one item's value did besides its result. */
export interface Recording {
  /** It looked a name, a module or a class attribute up: its result depends on what came before. */
  open: boolean;
  /** The names it looked up (undefined once it looked up something it cannot name). */
  reads: Set<string> | undefined;
  /** The calls it evaluated, with the Fig kind each resolved to (undefined: not a Fig constructor). */
  calls: { node: SNode; kind: FigKind | undefined }[];
  /** The Fig objects it created, as figDecl returned them. */
  objects: FigDecl[];
}

/**
 * An item's evaluation that looked nothing up (`X = AppFig("x", default="d")`, most of a config.py):
 * the same again while the statement is reused (same text), starts at the same place (positions,
 * Fig object ids) and its calls resolve to the same kinds (the imports may change).
 */
export interface EvalMemo extends Evaluated {
  /** Where its value starts (tree-sitter row and column); `stmtRange.start` is where the statement starts. */
  row: number;
  column: number;
  calls: Recording['calls'];
  objects: FigDecl[];
  /** Problems the evaluation reported (of Figs created inside an expression). */
  errors: ParseError[];
}

/** One item's evaluation with the ranges and Fig object id of its place (they follow from its text and start). */
export interface Evaluated {
  result: EvalResult;
  stmtRange: Range;
  targetRanges: Range[];
  /** objectIdOf(item.value) when the value is a call. */
  valueId: string | undefined;
}

export function evalMemo(item: Item, done: Evaluated, rec: Recording, errors: ParseError[]): EvalMemo {
  const p = item.value.startPosition;
  return { result: done.result, stmtRange: done.stmtRange, targetRanges: done.targetRanges, valueId: done.valueId, row: p.row, column: p.column, calls: rec.calls, objects: rec.objects, errors };
}

/** The names an item binds, read once per item. */
export function namesOf(item: Item): string[] {
  return (item.names ??= item.targets.map((t) => t.text));
}

/** The remembered evaluation of `item` when it still holds (see EvalMemo), replayed into `st` and `ctx`. */
export function reuseEval(ctx: Ctx, st: ModuleState, item: Item): EvalMemo | undefined {
  const m = item.memo?.evals[item.index!] as EvalMemo | undefined;
  if (!m) return undefined;
  const start = ctx.li.positionAt(item.start);
  if (m.stmtRange.start.line !== start.line || m.stmtRange.start.character !== start.character) return undefined;
  const p = item.value.startPosition;
  if (m.row !== p.row || m.column !== p.column) return undefined;
  for (const c of m.calls) if (figKindOf(st, c.node) !== c.kind) return undefined;
  for (const o of m.objects) if (!st.figObjects.has(o.objectId)) st.figObjects.set(o.objectId, { ...o });
  for (const e of m.errors) ctx.errors.push(e);
  if (ctx.mirrors) ctx.mirrors.evalsReused++;
  return m;
}
