// Shared state and small helpers of the config.py extraction (pythonExtract, pythonScope,
// pythonClass, pythonFigCall). Pure.
import type { FigDecl, FigKind, FigStoreClass, ParseError, Position, Range } from './types';
import type { ConstEntry } from './pythonEval';
import type { SNode, StatementMirrors } from './pythonNode';
import { lineStarts, position, range as sharedRange } from './text';

export type Symbol = FigKind | 'FigStore';

export type Binding = { kind: 'symbol'; symbol: Symbol } | { kind: 'module'; path: string } | { kind: 'other' };

/** A FigStore class of the file with its own namespace, for the classes that derive from it. */
export interface StoreInfo {
  cls: FigStoreClass;
  /** Base store classes, as resolved. */
  bases: StoreInfo[];
  /** Names the class body binds (dir names), with the Fig when the final binding is one. */
  own: Map<string, FigDecl | undefined>;
  /** The class body's namespace at its end (for `Base.ATTR` references). */
  ns: Map<string, ConstEntry>;
  /** Own TWIG statement, also when unresolvable. */
  hasTwig: boolean;
}

export interface ModuleState {
  bindings: Map<string, Binding>;
  /** Module-level names bound so far (in statement order) with their value or why it is unknown. */
  consts: Map<string, ConstEntry>;
  importsFiggy: boolean;
  classes: FigStoreClass[];
  /** Names of FigStore subclasses defined here (their calls count for lazy_load even if lower-case). */
  storeClassNames: Set<string>;
  stores: Map<string, StoreInfo>;
  /** Every Fig object created in the file, by FigDecl.objectId. */
  figObjects: Map<string, FigDecl>;
  /** Every name bound anywhere at module level, with the offset of its first binding. */
  moduleNames: Map<string, number>;
  /** A `from x import *` of a module Orchard does not know: any name may be bound by it. */
  unknownStar: boolean;
  /** Python errors in module-level statements (reported only for files that define a FigStore class). */
  moduleErrors: ParseError[];
}

export interface PositionIndex {
  positionAt(offset: number): Position;
}

export interface Ctx {
  text: string;
  li: PositionIndex;
  errors: ParseError[];
  /** Class-body statements are read into mirrors (for PythonDocParser's reuse), or used as they are. */
  mirrors: StatementMirrors | undefined;
}

/**
 * text.ts's lineIndex().positionAt (same line breaks \n, \r\n, \r and clamping), remembering the
 * last line found: extraction asks for positions in text order, so most lookups need no search.
 */
export function positionIndex(text: string): PositionIndex {
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
      return position(last, o - starts[last]);
    },
  };
}

export function nodes<T>(list: readonly (T | null)[]): T[] {
  return list.filter((n): n is T => n !== null);
}

export function rangeOf(ctx: Ctx, n: SNode): Range {
  return spanRange(ctx, n.startIndex, n.endIndex);
}

export function spanRange(ctx: Ctx, start: number, end: number): Range {
  return sharedRange(ctx.li.positionAt(start), ctx.li.positionAt(end));
}

export function same(a: SNode | null | undefined, b: SNode | null | undefined): boolean {
  return !!a && !!b && a.id === b.id;
}

export function isDunder(name: string): boolean {
  return name.length > 4 && name.startsWith('__') && name.endsWith('__');
}

/** Python's private-name mangling inside class `className`: `__x` → `_Figs__x`. */
export function mangle(className: string, name: string): string {
  if (!name.startsWith('__') || name.endsWith('__') || name.includes('.')) return name;
  const stripped = className.replace(/^_+/, '');
  return stripped ? `_${stripped}${name}` : name;
}

/** Names figgy-lib's `FigStore.figs` leaves out of a store: `__`-prefixed ones, TWIG and figs. */
export function isStoreFigName(dirName: string): boolean {
  return !dirName.startsWith('__') && dirName !== 'TWIG' && dirName !== 'figs';
}
