// Cursor-marker fixtures: `⟦` and `⟧` delimit expected ranges in a source text. `marked` strips them and
// returns the clean text with the ranges (in marker order), so tests can assert exact ranges by content.
import { lineIndex } from '../../server/src/parse/text';
import type { Range } from '../../server/src/parse/types';

export function marked(src: string): { text: string; ranges: Range[] } {
  let text = '';
  const opens: number[] = [];
  const spans: [number, number][] = [];
  for (const ch of src) {
    if (ch === '⟦') opens.push(text.length);
    else if (ch === '⟧') spans.push([opens.pop()!, text.length]);
    else text += ch;
  }
  // Sort by start so ranges come in reading order even when nested.
  spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const idx = lineIndex(text);
  return { text, ranges: spans.map(([a, b]) => ({ start: idx.positionAt(a), end: idx.positionAt(b) })) };
}

/** The text a range covers. */
export function textAt(text: string, r: Range): string {
  const idx = lineIndex(text);
  return text.slice(idx.offsetAt(r.start), idx.offsetAt(r.end));
}
