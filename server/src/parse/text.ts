// Offset ↔ LSP position conversion for parsers. Offsets are JS string indices (UTF-16 code units),
// which is exactly what LSP's default position encoding counts, so columns need no re-encoding.
import type { ParseError, Position, Range } from './types';

export interface LineIndex {
  positionAt(offset: number): Position;
  offsetAt(pos: Position): number;
  rangeAt(offset: number, length: number): Range;
  lineCount: number;
}

// Positions and ranges are values, shared: a workspace's models hold hundreds of thousands of them
// (about half of all its objects at 2,000 services) but only a few thousand distinct ones, since files
// are alike. Shared ones are frozen; nothing may change a Position or Range in place (make a new
// one). Past the bounds (a line or column too large to key, or too many distinct values) they are
// made fresh, so memory stays bounded.
const CHAR_BITS = 10;
const MAX_SHARED_LINE = 1 << 14;
const MAX_SHARED_CHAR = 1 << CHAR_BITS;
/** Distinct positions (and, separately, ranges) kept at most: ~40 MiB each at the worst. */
const MAX_SHARED = 500_000;
const sharedPositions = new Map<number, Position>();
const sharedRanges = new Map<number, Range>();

function positionKey(line: number, character: number): number {
  return line < MAX_SHARED_LINE && character < MAX_SHARED_CHAR && line >= 0 && character >= 0 ? line * MAX_SHARED_CHAR + character : -1;
}

/** The Position at `line`, `character` (shared: read only). */
/**
 * The notice for a text a reader does not analyse at all: above `maxChars` (`limitOf`: "for .env
 * files") or holding a NUL byte (`notA`: "a .env text file"); undefined when it can be read.
 */
export function unreadableText(text: string, maxChars: number, limitOf: string, notA: string): ParseError | undefined {
  const at: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (text.length > maxChars) {
    const mb = (text.length / 1024 / 1024).toFixed(1);
    return { code: 'file-too-large', message: `file not analysed: ${mb} M characters is above Orchard's ${maxChars / 1024 / 1024} M limit ${limitOf}`, range: at, severity: 'warning' };
  }
  if (text.includes('\0')) return { code: 'binary-file', message: `file not analysed: it contains NUL bytes, so it is not ${notA}`, range: at, severity: 'warning' };
  return undefined;
}

export function position(line: number, character: number): Position {
  const k = positionKey(line, character);
  if (k < 0) return { line, character };
  let p = sharedPositions.get(k);
  if (p) return p;
  p = { line, character };
  if (sharedPositions.size >= MAX_SHARED) return p;
  sharedPositions.set(k, Object.freeze(p));
  return p;
}

/** The Range from `start` to `end` (shared: read only). */
export function range(start: Position, end: Position): Range {
  const a = positionKey(start.line, start.character);
  const b = positionKey(end.line, end.character);
  if (a < 0 || b < 0) return { start, end };
  // Both keys are below 2^24: the pair fits a double exactly.
  const k = a * (MAX_SHARED_LINE * MAX_SHARED_CHAR) + b;
  let r = sharedRanges.get(k);
  if (r) return r;
  r = { start: position(start.line, start.character), end: position(end.line, end.character) };
  if (sharedRanges.size >= MAX_SHARED) return r;
  sharedRanges.set(k, Object.freeze(r));
  return r;
}

// The last text's table: after a keystroke the extraction, the environment reader and the
// credential scan each index the same (possibly 200 K-character) text.
let lastText: string | undefined;
let lastStarts: readonly number[] = [0];

/** Offsets where each line starts. Line breaks: \n, \r\n, \r (as LSP counts them). Shared: read only. */
export function lineStarts(text: string): readonly number[] {
  if (text === lastText) return lastStarts;
  const starts: number[] = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  lastText = text;
  lastStarts = starts;
  return starts;
}

/** Builds the line-start table once (O(n)); each lookup is a binary search. */
export function lineIndex(text: string): LineIndex {
  const starts = lineStarts(text);
  const clamp = (o: number) => Math.max(0, Math.min(text.length, Number.isFinite(o) ? Math.floor(o) : 0));

  function positionAt(offset: number): Position {
    const o = clamp(offset);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return position(lo, o - starts[lo]);
  }

  function offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= starts.length) return text.length;
    const start = starts[pos.line];
    // A column past the end of the line stops at the line break, as LSP asks.
    let end = pos.line + 1 < starts.length ? starts[pos.line + 1] : text.length;
    while (end > start && (text.charCodeAt(end - 1) === 10 || text.charCodeAt(end - 1) === 13)) end--;
    return Math.max(start, Math.min(end, start + Math.max(0, pos.character)));
  }

  return {
    positionAt,
    offsetAt,
    rangeAt: (offset, length) => range(positionAt(offset), positionAt(offset + length)),
    lineCount: starts.length,
  };
}

/**
 * A copy of `s` that does not keep the text it was cut from alive. V8 represents a slice of 13 or
 * more characters as a view of its parent string: a cache keyed by slices of each version of a
 * document would otherwise hold every version's whole text, and a model's names taken from a
 * figgy.json the whole file. A short string is copied whole (a JSON round trip, exact for every
 * string, ~0.15 µs); a longer one through a concatenation, which leaves a view of a fresh copy
 * (32 bytes more, but 10× faster than the round trip on 2 KB of code).
 */
export function detach(s: string): string {
  if (s.length < 13) return s;
  return s.length <= 128 ? JSON.parse(JSON.stringify(s)) : (' ' + s).slice(1);
}

/** The same start and end (ranges are shared values, but ones from elsewhere, such as a client's, are not). */
export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/**
 * `s` as one piece of memory. V8 keeps a string built by `+` or a template as a tree of its pieces
 * (a finding's message of ~80 characters took ~250 bytes so); reading a character joins them in
 * place, and the collector then drops the tree. For strings a model or finding keeps long.
 */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

// Names that recur across files (attribute and variable names such as DB_PASSWORD, fig ids) are kept
// once: at 2,000 generated services, 60,000 copies of 20 distinct attribute names took 1.8 MiB.
// Bounded like the positions: past it names are kept as they come.
const sharedNames = new Map<string, string>();
const MAX_SHARED_NAMES = 50_000;
const MAX_NAME_LENGTH = 64;

/**
 * One copy of a short name. The copy kept is the table's own: a name cut out of a file's text (V8
 * makes a substring of 13 characters or more a view of the whole text) does not keep that text alive.
 */
export function sharedName(s: string): string {
  if (s.length > MAX_NAME_LENGTH) return s;
  const known = sharedNames.get(s);
  if (known !== undefined) return known;
  if (sharedNames.size >= MAX_SHARED_NAMES) return s;
  const own = detach(s);
  sharedNames.set(own, own);
  return own;
}

/**
 * `%xx` escapes decoded (`my app` for `my%20app`): a uri's path as people read it, a URL's
 * password as it is meant. The text as it is when the escapes are malformed (decodeURIComponent
 * would throw).
 */
export function decodePercent(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
