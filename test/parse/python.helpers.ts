// Helpers for the config.py parser tests: compact range rendering and `⟨name|text⟩` range markers.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PythonConfigModel, Range } from '../../server/src/parse/types';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'python');

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** `line:char-line:char`, 0-based like LSP. */
export function r(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

const RANGE_KEYS = new Set(['range', 'attrRange', 'callRange', 'nameRange', 'twigRange']);

/** The model as plain JSON with every range rendered by r(): what the *.expected.json files hold. */
export function compact(model: PythonConfigModel): unknown {
  return JSON.parse(JSON.stringify(model, (k, v) => (RANGE_KEYS.has(k) && v && typeof v === 'object' ? r(v as Range) : v)));
}

/**
 * Strips `⟨name|...⟩` markers and returns the clean text plus each marked range (LSP positions,
 * UTF-16 columns, computed here independently of the parser's own position code).
 */
export function marked(src: string): { text: string; at: Record<string, Range> } {
  const at: Record<string, Range> = {};
  let text = '';
  let line = 0;
  let col = 0;
  const open: { name: string; line: number; col: number }[] = [];
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '⟨') {
      const bar = src.indexOf('|', i);
      open.push({ name: src.slice(i + 1, bar), line, col });
      i = bar;
      continue;
    }
    if (ch === '⟩') {
      const o = open.pop()!;
      at[o.name] = { start: { line: o.line, character: o.col }, end: { line, character: col } };
      continue;
    }
    text += ch;
    if (ch === '\n') {
      line++;
      col = 0;
    } else col++;
  }
  return { text, at };
}
