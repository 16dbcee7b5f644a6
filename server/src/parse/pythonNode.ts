// A plain-JS copy ("mirror") of one statement's syntax subtree, read with a single TreeCursor walk.
// Reading a web-tree-sitter tree node by node (`children`, `namedChildren`, `childForFieldName`,
// `.text`) crosses into wasm and allocates a Node object per access; class bodies of a large
// config.py hold thousands of statements, so extraction reads each statement once into a mirror
// and works on that. Mirrors hold offsets relative to their statement, so the incremental parser
// can reuse the mirror of a statement whose subtree tree-sitter reused (same node id, same text).
import type { Language, Node, Point, TreeCursor } from 'web-tree-sitter';
import { detach } from './text';

/** The part of web-tree-sitter's Node that extraction reads; both Node and MirrorNode satisfy it. */
export interface SNode {
  readonly id: number;
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly hasError: boolean;
  readonly children: readonly (SNode | null)[];
  readonly namedChildren: readonly (SNode | null)[];
  readonly namedChildCount: number;
  readonly firstNamedChild: SNode | null;
  readonly childCount: number;
  childForFieldName(fieldName: string): SNode | null;
}

/**
 * The text a mirror is read against, with tree-sitter's row table (rows split on `\n` only).
 * `copies`: a node's text is a copy, not a slice (see parse/text.ts detach), for mirrors kept from
 * one version of a document to the next: what is derived from them must not keep this version's
 * whole text alive.
 */
export class MirrorSource {
  private rowStarts: number[] | undefined;
  constructor(
    readonly text: string,
    readonly copies = false,
  ) {}

  point(offset: number): Point {
    if (!this.rowStarts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.rowStarts = starts;
    }
    const s = this.rowStarts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { row: lo, column: offset - s[lo] };
  }
}

/**
 * One statement's mirror: its nodes in preorder, STRIDE numbers each, in one array (a handful of
 * objects per statement instead of one per node keeps the garbage collector out of the way), plus
 * where the statement currently sits: `src` and `base` (its start offset) move when it is reused.
 */
export class MirrorStatement {
  private static nextUid = 1;
  readonly uid = MirrorStatement.nextUid++;
  constructor(
    public src: MirrorSource,
    public base: number,
    readonly language: Language,
    readonly data: number[],
  ) {}

  /**
   * What a reader derived from this statement, kept for the next extraction: a reused mirror has the
   * same text, so only what depends on its place or its surroundings must be checked again (see
   * pythonClass's StatementMemo).
   */
  memo?: unknown;

  private rootView?: MirrorNode;
  /** The statement's node. Views keep their children, so a reused statement's are not made again. */
  get root(): MirrorNode {
    return (this.rootView ??= new MirrorNode(this, 0));
  }
}

// Per node: type id, start and end relative to the statement, flags, field id (0: none), and the
// index just past its subtree (its next sibling, if any).
const STRIDE = 6;
const TYPE = 0;
const START = 1;
const END = 2;
const FLAGS = 3;
const FIELD = 4;
const NEXT = 5;
const NAMED = 1;
const MISSING = 2;
const HAS_ERROR = 4;
/** A simple string literal whose parts were not read (see SIMPLE_LITERAL). */
const OPAQUE = 8;

const fieldIds = new WeakMap<Language, Map<string, number>>();

function fieldId(language: Language, name: string): number {
  let m = fieldIds.get(language);
  if (!m) fieldIds.set(language, (m = new Map()));
  let id = m.get(name);
  if (id === undefined) m.set(name, (id = language.fields.indexOf(name)));
  return id;
}

/** A view of one node of a MirrorStatement; made on demand, so two views of a node share its id. */
export class MirrorNode implements SNode {
  private kids?: MirrorNode[];
  private named?: MirrorNode[];

  constructor(
    readonly stmt: MirrorStatement,
    /** Offset of the node's record in stmt.data. */
    private readonly at: number,
  ) {}

  /** Negative, so never equal to a tree-sitter node id. */
  get id(): number {
    return -(this.stmt.uid * 2 ** 24 + this.at / STRIDE + 1);
  }
  get type(): string {
    return this.stmt.language.types[this.stmt.data[this.at + TYPE]] || 'ERROR';
  }
  get startIndex(): number {
    return this.stmt.base + this.stmt.data[this.at + START];
  }
  get endIndex(): number {
    return this.stmt.base + this.stmt.data[this.at + END];
  }
  get text(): string {
    const src = this.stmt.src;
    const t = src.text.slice(this.startIndex, this.endIndex);
    return src.copies ? detach(t) : t;
  }
  get startPosition(): Point {
    return this.stmt.src.point(this.startIndex);
  }
  get endPosition(): Point {
    return this.stmt.src.point(this.endIndex);
  }
  get isNamed(): boolean {
    return (this.stmt.data[this.at + FLAGS] & NAMED) !== 0;
  }
  get isMissing(): boolean {
    return (this.stmt.data[this.at + FLAGS] & MISSING) !== 0;
  }
  get hasError(): boolean {
    return (this.stmt.data[this.at + FLAGS] & HAS_ERROR) !== 0;
  }
  get children(): readonly MirrorNode[] {
    if (!this.kids) {
      const d = this.stmt.data;
      if (d[this.at + FLAGS] & OPAQUE) throw new Error(`internal: the parts of ${this.type} were not read`);
      const kids: MirrorNode[] = [];
      for (let i = this.at + STRIDE; i < d[this.at + NEXT]; i = d[i + NEXT]) kids.push(new MirrorNode(this.stmt, i));
      this.kids = kids;
    }
    return this.kids;
  }
  get childCount(): number {
    return this.children.length;
  }
  get namedChildren(): readonly MirrorNode[] {
    return (this.named ??= this.children.filter((c) => c.isNamed));
  }
  get namedChildCount(): number {
    return this.namedChildren.length;
  }
  get firstNamedChild(): MirrorNode | null {
    return this.namedChildren[0] ?? null;
  }
  childForFieldName(fieldName: string): MirrorNode | null {
    const id = fieldId(this.stmt.language, fieldName);
    if (id <= 0) return null;
    for (const c of this.children) if (this.stmt.data[c.at + FIELD] === id) return c;
    return null;
  }
}

/**
 * A plain one-line "..." / '...' literal (no prefix, escape or line break): its value is its inner
 * text, which is all pythonEval reads of it, so its parts are not copied.
 */
export const SIMPLE_LITERAL = /^(?:"([^"\\\r\n]*)"|'([^'\\\r\n]*)')$/;

/** Named node types that never have children in tree-sitter-python: no gotoFirstChild call for them. */
const LEAVES = new Set(['identifier', 'integer', 'float', 'true', 'false', 'none', 'comment', 'escape_sequence', 'escape_interpolation']);

/**
 * Mirrors the subtree of `node`, which is the node at `cursor` (left where it started). `hasError` is
 * read from wasm for the statement and, only inside a statement that has an error, for inner nodes.
 */
export function mirrorStatement(cursor: TreeCursor, node: Node, src: MirrorSource): MirrorStatement {
  const base = cursor.startIndex;
  const language = node.tree.language;
  const types = language.types;
  const anyError = node.hasError;
  const text = src.text;
  const data: number[] = [];

  const read = (isRoot: boolean): void => {
    const at = data.length;
    const typeId = cursor.nodeTypeId;
    const type = types[typeId] || 'ERROR';
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const isNamed = cursor.nodeIsNamed;
    const isMissing = start === end && cursor.nodeIsMissing;
    let hasError = false;
    if (isRoot) hasError = anyError;
    else if (anyError) hasError = type === 'ERROR' || isMissing || (isNamed && cursor.currentNode.hasError);
    const field = isRoot ? 0 : cursor.currentFieldId;
    let flags = (isNamed ? NAMED : 0) | (isMissing ? MISSING : 0) | (hasError ? HAS_ERROR : 0);
    const opaque = type === 'string' && !hasError && SIMPLE_LITERAL.test(text.slice(start, end));
    if (opaque) flags |= OPAQUE;
    data.push(typeId, start - base, end - base, flags, field, 0);
    if (!opaque && isNamed && !LEAVES.has(type) && cursor.gotoFirstChild()) {
      do read(false);
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    data[at + NEXT] = data.length;
  };
  read(true);
  return new MirrorStatement(src, base, language, data);
}

interface CachedStatement {
  type: string;
  text: string;
  stmt: MirrorStatement;
}

/**
 * What one extraction leaves for the next: mirrors of class-body statements by start offset, and
 * what the class reader kept of each class (by the class's start offset; see pythonClassSplice).
 */
export interface StatementCache {
  statements: Map<number, CachedStatement>;
  classes: Map<number, unknown>;
}

/** One tree-sitter edit, in offsets (the text before it, and after). */
export interface OffsetEdit {
  startIndex: number;
  oldEndIndex: number;
  newEndIndex: number;
}

/**
 * What an incremental re-parse left alone: the previous extraction's mirrors, the regions tree-sitter
 * reports as structurally changed (`oldTree.getChangedRanges(newTree)`) and the edits themselves.
 */
export interface MirrorReuse {
  prev: StatementCache;
  edits: readonly OffsetEdit[];
  changed: readonly { startIndex: number; endIndex: number }[];
}

/**
 * Reads statements into mirrors for one extraction. With `reuse`, a statement that touches no changed
 * range or edit is, by getChangedRanges' contract, the old statement with the same structure, moved:
 * when the previous extraction holds a statement of the same type and text at the mapped offset, its
 * mirror is moved to the new offset instead of being read again. `cache` then holds this
 * extraction's statements for the next one.
 */
export class StatementMirrors {
  readonly cache: StatementCache = { statements: new Map(), classes: new Map() };
  reused = 0;
  /** Class-body evaluations reused from the statements' memos (pythonClass). */
  evalsReused = 0;
  /** Classes taken from the previous extraction with one statement read again (pythonClassSplice). */
  spliced = 0;
  private readonly dirty: { start: number; end: number }[] = [];

  constructor(
    readonly src: MirrorSource,
    private readonly reuse?: MirrorReuse,
  ) {
    if (!reuse) return;
    // Edited regions in final offsets: each later edit moves (or swallows) the earlier regions.
    for (const e of reuse.edits) {
      const delta = e.newEndIndex - e.oldEndIndex;
      for (const d of this.dirty) {
        if (d.start >= e.oldEndIndex) {
          d.start += delta;
          d.end += delta;
        } else if (d.end > e.startIndex) {
          d.start = Math.min(d.start, e.startIndex);
          d.end = Math.max(e.newEndIndex, d.end >= e.oldEndIndex ? d.end + delta : e.newEndIndex);
        }
      }
      this.dirty.push({ start: e.startIndex, end: e.newEndIndex });
    }
    for (const c of reuse.changed) this.dirty.push({ start: c.startIndex, end: c.endIndex });
  }

  /** The edits since the previous extraction and the regions tree-sitter reports changed (none after a full parse). */
  get edits(): readonly OffsetEdit[] {
    return this.reuse?.edits ?? [];
  }
  get changed(): readonly { startIndex: number; endIndex: number }[] {
    return this.reuse?.changed ?? [];
  }

  /** What the previous extraction kept of the class that now starts at `start` (outside every edit). */
  previousClass(start: number): unknown {
    const at = this.reuse ? this.oldOffset(start) : undefined;
    return at === undefined ? undefined : this.reuse!.prev.classes.get(at);
  }

  /** A statement of the previous extraction known to be unchanged, now at `start`: moved, not read again. */
  keep(stmt: MirrorStatement, type: string, text: string, start: number): void {
    stmt.src = this.src;
    stmt.base = start;
    this.reused++;
    this.cache.statements.set(start, { type, text, stmt });
  }

  /** The offset `at` (in the new text, outside every edit) had before the edits; undefined inside one. */
  private oldOffset(at: number): number | undefined {
    const edits = this.reuse!.edits;
    let p = at;
    for (let i = edits.length - 1; i >= 0; i--) {
      const e = edits[i];
      if (p >= e.newEndIndex) p -= e.newEndIndex - e.oldEndIndex;
      else if (p > e.startIndex) return undefined;
    }
    return p;
  }

  private reusable(type: string, start: number, end: number, text: string): MirrorStatement | undefined {
    if (!this.reuse) return undefined;
    // Touching counts: a change right at a statement's edge may belong to it.
    for (const d of this.dirty) if (d.start <= end && d.end >= start) return undefined;
    const at = this.oldOffset(start);
    const old = at === undefined ? undefined : this.reuse.prev.statements.get(at);
    if (!old || old.type !== type || old.text !== text) return undefined;
    this.reuse.prev.statements.delete(at!); // a mirror serves one place only
    return old.stmt;
  }

  /** The mirror of the node at `cursor`. */
  read(cursor: TreeCursor): MirrorNode {
    const type = cursor.nodeType;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const text = this.src.text.slice(start, end);
    let stmt = this.reusable(type, start, end, text);
    if (stmt) {
      stmt.src = this.src;
      stmt.base = start;
      this.reused++;
    } else {
      stmt = mirrorStatement(cursor, cursor.currentNode, this.src);
    }
    this.cache.statements.set(start, { type, text, stmt });
    return stmt.root;
  }
}
