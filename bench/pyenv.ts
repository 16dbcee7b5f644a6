// `npm run bench:pyenv`: environment-fact extraction (parse/pythonEnv.ts) on large Python files.
// Prints measured numbers only: tree-sitter parse time for reference, extraction with empty
// caches (a file seen for the first time), and extraction after a one-line edit
// (incremental re-parse, warm cache: what the language server does per keystroke).
//   ORCHARD_BENCH_RUNS (default 15)
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Parser as ParserT, Tree } from 'web-tree-sitter';
import { initPython } from '../server/src/parse/python';
import { clearEnvCaches, extractEnvFacts, mayReadEnv } from '../server/src/parse/pythonEnv';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Language, Parser } = require('web-tree-sitter') as typeof import('web-tree-sitter');

const RUNS = Number(process.env.ORCHARD_BENCH_RUNS ?? 15);
const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures', 'pyenv');

/** A settings module of about `lines` lines made of the realistic fixtures, names suffixed per copy. */
function realistic(lines: number): string {
  const parts = ['django_os_environ', 'django_environ', 'diffgram_settings', 'flask_paas', 'fastapi_settings'].map((f) => readFileSync(path.join(FIXTURES, `${f}.py`), 'utf8'));
  const out: string[] = [];
  let n = 0;
  for (let copy = 0; out.length < lines; copy++) {
    const src = parts[copy % parts.length];
    // Rename variables and definitions so copies are distinct statements (nothing is shared by text).
    out.push(...src.replace(/"([A-Z][A-Z0-9_]+)"/g, `"$1_${copy}"`).replace(/'([A-Z][A-Z0-9_]+)'/g, `'$1_${copy}'`).replace(/^(def|class) (\w+)/gm, `$1 $2_${copy}`).split('\n'));
    n++;
  }
  return out.slice(0, lines).join('\n') + '\n';
}

/** Every statement reads, writes or declares something: the worst case for the marker filter. */
function dense(lines: number): string {
  const out = ['import os', 'import json', 'import environ', 'env = environ.Env(DEBUG=(bool, False))', ''];
  for (let i = 0; out.length < lines; i++) {
    switch (i % 8) {
      case 0: out.push(`SETTING_${i} = os.environ.get("SETTING_${i}", "default-${i}")`); break;
      case 1: out.push(`PORT_${i} = int(os.getenv("PORT_${i}", "80"))`); break;
      case 2: out.push(`SECRET_KEY_${i} = os.environ["SECRET_KEY_${i}"]`); break;
      case 3: out.push(`FLAG_${i} = env.bool("FLAG_${i}", default=False)`); break;
      case 4: out.push(`# setting ${i}`); break;
      case 5: out.push(`DATABASES_${i} = {`, `    "default": {"NAME": os.environ.get("DB_NAME_${i}", "app"), "PORT": ${i}},`, `}`); break;
      case 6: out.push(`NAME_${i} = "VALUE_${i}"`); break;
      case 7: out.push(`if os.environ.get("ENABLE_${i}") == "1":`, `    INSTALLED_${i} = ["x"]`); break;
    }
  }
  return out.slice(0, lines).join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const ms = (n: number) => `${n.toFixed(1)} ms`;

function pointAt(text: string, offset: number): { row: number; column: number } {
  const before = text.slice(0, offset);
  const row = before.split('\n').length - 1;
  return { row, column: offset - (before.lastIndexOf('\n') + 1) };
}

function measure(parser: ParserT, name: string, text: string, runs = RUNS): void {
  let t = performance.now();
  const tree = parser.parse(text) as Tree;
  const parseMs = performance.now() - t;
  t = performance.now();
  const may = mayReadEnv(text);
  const mayMs = performance.now() - t;
  const batch: number[] = [];
  for (let i = 0; i < runs; i++) {
    t = performance.now();
    extractEnvFacts(tree.rootNode, text, { budgetMs: 60_000, reuse: false });
    batch.push(performance.now() - t);
  }
  const cold: number[] = [];
  let last = extractEnvFacts(tree.rootNode, text, { budgetMs: 60_000 });
  for (let i = 0; i < runs; i++) {
    clearEnvCaches();
    t = performance.now();
    last = extractEnvFacts(tree.rootNode, text, { budgetMs: 60_000 });
    cold.push(performance.now() - t);
  }
  // One-line edits in the middle: incremental re-parse, then extraction with the cache warm.
  const edits: number[] = [];
  const reparse: number[] = [];
  let cur = text;
  let curTree = tree;
  for (let i = 0; i < runs; i++) {
    const at = cur.indexOf('\n', Math.floor(cur.length / 2)) + 1;
    const insert = `X_EDIT_${i} = 1\n`;
    const next = cur.slice(0, at) + insert + cur.slice(at);
    const start = pointAt(cur, at);
    curTree.edit({ startIndex: at, oldEndIndex: at, newEndIndex: at + insert.length, startPosition: start, oldEndPosition: start, newEndPosition: { row: start.row + 1, column: 0 } });
    t = performance.now();
    const nextTree = parser.parse(next, curTree) as Tree;
    reparse.push(performance.now() - t);
    t = performance.now();
    extractEnvFacts(nextTree.rootNode, next, { budgetMs: 60_000 });
    edits.push(performance.now() - t);
    if (curTree !== tree) curTree.delete();
    curTree = nextTree;
    cur = next;
  }
  if (curTree !== tree) curTree.delete();
  tree.delete();
  const lines = text.split('\n').length - 1;
  const f = last.facts;
  console.log(
    `${name}: ${lines} lines, ${(text.length / 1024).toFixed(0)} KiB, ${f.reads.length} reads, ${f.writes.length} writes, ${f.logged.length} logged, ${last.errors.length} warnings\n` +
      `  tree-sitter full parse ${ms(parseMs)}; mayReadEnv ${ms(mayMs)} (${may})\n` +
      `  extraction, empty caches: median ${ms(median(cold))}, min ${ms(Math.min(...cold))} (${runs} runs); without caches (reuse: false) median ${ms(median(batch))}\n` +
      `  after a one-line edit: incremental re-parse median ${ms(median(reparse))}, extraction (warm caches) median ${ms(median(edits))}, min ${ms(Math.min(...edits))}`,
  );
}

async function main(): Promise<void> {
  await initPython();
  const lang = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const parser = new Parser();
  parser.setLanguage(lang);
  // Warm the JIT on a small file first so the first measurement is not the compiler's.
  const warm = realistic(400);
  for (let i = 0; i < 20; i++) {
    const tr = parser.parse(warm) as Tree;
    extractEnvFacts(tr.rootNode, warm);
    tr.delete();
  }
  measure(parser, 'realistic settings module', realistic(5000));
  measure(parser, 'dense settings module', dense(5000));
  let line = 'import os\n';
  for (let i = 0; line.length < 5 * 1024 * 1024 - 20; i++) line += `os.getenv("V${i % 97}");`;
  measure(parser, '5 MB single line of reads', `${line}\n`, 3);
  measure(parser, '5 MB single-line string constant', `import os\nX = "${'a'.repeat(5 * 1024 * 1024 - 20)}"\n`, 3);
  parser.delete();
}

void main();
