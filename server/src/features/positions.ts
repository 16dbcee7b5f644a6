// Small position helpers shared by the features (0-based lines, UTF-16 columns like LSP).
import type { Position, Range } from '../parse/types';

export function cmpPos(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Inclusive of both ends, so a cursor right after the last character still counts. */
export function contains(r: Range, p: Position): boolean {
  return cmpPos(r.start, p) <= 0 && cmpPos(p, r.end) <= 0;
}

export function rangeSize(r: Range): number {
  return (r.end.line - r.start.line) * 100000 + (r.end.character - r.start.character);
}

/** Offset of a position in text; clamps to the text. */
export function offsetAt(text: string, p: Position): number {
  let line = 0;
  let i = 0;
  while (line < p.line) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    i = nl + 1;
    line++;
  }
  const eol = text.indexOf('\n', i);
  const end = eol < 0 ? text.length : eol;
  return Math.min(i + Math.max(0, p.character), end);
}

export function positionAt(text: string, offset: number): Position {
  const o = Math.max(0, Math.min(offset, text.length));
  let line = 0;
  let last = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < o; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i + 1;
  }
  return { line, character: o - last };
}

export function textIn(text: string, r: Range): string {
  return text.slice(offsetAt(text, r.start), offsetAt(text, r.end));
}

export function fullRange(text: string): Range {
  return { start: { line: 0, character: 0 }, end: positionAt(text, text.length) };
}

export function pt(line: number, character: number): Position {
  return { line, character };
}
