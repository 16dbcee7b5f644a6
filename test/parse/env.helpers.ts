// Helpers shared by the twelve-factor parser tests (.env, charm, compose, Helm values): fixture
// loading, compact ranges for expected JSON, and the "every range lies inside the text" check.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Range } from '../../server/src/parse/types';

export const ENV_FIXTURES = path.join(__dirname, '..', 'fixtures');

export function readFixture(...parts: string[]): string {
  return readFileSync(path.join(ENV_FIXTURES, ...parts), 'utf8');
}

/** `line:char-line:char`, 0-based like LSP. */
export function r(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** The model as plain JSON with every Range object rendered by r() (what the *.expected.json files hold). */
export function compact(model: unknown): unknown {
  return JSON.parse(
    JSON.stringify(model, (_k, v) => {
      if (v && typeof v === 'object' && !Array.isArray(v) && 'start' in v && 'end' in v && typeof (v as Range).start?.line === 'number') return r(v as Range);
      return v;
    }),
  );
}

/** Every Range object inside a value. */
export function ranges(x: unknown, out: Range[] = []): Range[] {
  if (Array.isArray(x)) for (const v of x) ranges(v, out);
  else if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    const s = o.start as { line?: unknown } | undefined;
    if (s && typeof s.line === 'number' && o.end) out.push(o as unknown as Range);
    else for (const v of Object.values(o)) ranges(v, out);
  }
  return out;
}

/** Lines split the LSP way (\r\n, \r, \n). */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

/** Asserts every range of `model` is ordered and inside `text`. */
export function assertRangesInside(model: unknown, text: string): void {
  const lens = lineLengths(text);
  for (const rg of ranges(model)) {
    for (const p of [rg.start, rg.end]) {
      assert.ok(Number.isInteger(p.line) && p.line >= 0 && p.line < lens.length, `line ${p.line} outside 0..${lens.length - 1}`);
      assert.ok(Number.isInteger(p.character) && p.character >= 0 && p.character <= lens[p.line], `character ${p.character} outside line ${p.line} (length ${lens[p.line]})`);
    }
    assert.ok(rg.start.line < rg.end.line || (rg.start.line === rg.end.line && rg.start.character <= rg.end.character), `start after end: ${r(rg)}`);
  }
}

/** The text a range covers. */
export function slice(text: string, rg: Range): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\r') {
      if (text[i + 1] === '\n') i++;
      starts.push(i + 1);
    } else if (c === '\n') starts.push(i + 1);
  }
  return text.slice(starts[rg.start.line] + rg.start.character, starts[rg.end.line] + rg.end.character);
}

/** Runs `f` and returns its result and the milliseconds it took. */
export function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}
