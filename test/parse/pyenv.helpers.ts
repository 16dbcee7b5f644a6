// Helpers for the environment-fact tests: a tree-sitter tree for a text (the same grammar python.ts
// loads), extraction, and a compact rendering of the facts for expected-JSON fixtures.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Language as LanguageT, Parser as ParserT, Tree } from 'web-tree-sitter';
import { initPython } from '../../server/src/parse/python';
import { extractEnvFacts, type EnvExtractOptions } from '../../server/src/parse/pythonEnv';
import type { PythonEnvFacts } from '../../server/src/parse/envTypes';
import type { ParseError, Range } from '../../server/src/parse/types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Language, Parser } = require('web-tree-sitter') as typeof import('web-tree-sitter');

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'pyenv');

let parser: ParserT | undefined;

/** initPython() (runtime) plus this file's own Parser on the same grammar. */
export async function initEnvParser(): Promise<void> {
  await initPython();
  if (parser) return;
  const lang: LanguageT = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  parser = new Parser();
  parser.setLanguage(lang);
}

/** `old`: an edited tree of the previous text, for an incremental parse. */
export function parseTree(text: string, old?: Tree): Tree {
  if (!parser) throw new Error('initEnvParser() first');
  const tree = parser.parse(text, old);
  if (!tree) throw new Error('parse failed');
  return tree;
}

export function envFacts(text: string, options?: EnvExtractOptions): { facts: PythonEnvFacts; errors: ParseError[] } {
  const tree = parseTree(text);
  try {
    return extractEnvFacts(tree.rootNode, text, options);
  } finally {
    tree.delete();
  }
}

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** `line:char-line:char`, 0-based like LSP. */
export function r(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** Facts as plain JSON with every range rendered by r() (what the *.expected.json files hold). */
export function compact(x: unknown): unknown {
  return JSON.parse(
    JSON.stringify(x, (_k, v) => {
      if (v && typeof v === 'object' && !Array.isArray(v) && 'start' in v && 'end' in v && typeof (v as Range).start?.line === 'number') return r(v as Range);
      return v;
    }),
  );
}

/** A one-line summary per read: `NAME via required parse [default]`, for compact assertions. */
export function readsSummary(facts: PythonEnvFacts): string[] {
  return facts.reads.map((x) => {
    const name = x.name.name ?? (x.name.parts ?? []).map((p) => (p.kind === 'lit' ? p.value : `{${p.local}}`)).join('');
    const def = x.default ? ` =${x.default.value === undefined ? `(${x.default.text})` : JSON.stringify(x.default.value)}` : '';
    return `${name} ${x.via}${x.required ? ' required' : ''} ${x.parse}${def}`;
  });
}
