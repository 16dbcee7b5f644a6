// Offset ↔ LSP position conversion for parsers. Offsets are JS string indices (UTF-16 code units),
// which is exactly what LSP's default position encoding counts, so columns need no re-encoding.
import type { Position, Range } from './types';

export interface LineIndex {
  positionAt(offset: number): Position;
  offsetAt(pos: Position): number;
  rangeAt(offset: number, length: number): Range;
  lineCount: number;
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
    return { line: lo, character: o - starts[lo] };
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
    rangeAt: (offset, length) => ({ start: positionAt(offset), end: positionAt(offset + length) }),
    lineCount: starts.length,
  };
}
