// config.py parser: web-tree-sitter + tree-sitter-python, so half-typed code still yields a model.
// `initPython()` loads the wasm once; `parsePython()` is synchronous afterwards and never throws.
// `PythonDocParser` keeps one document's tree for incremental re-parses in the language server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Edit, Language as LanguageT, Node, ParseOptions, Parser as ParserT, Point, Tree } from 'web-tree-sitter';
// `require`, not `import`: bundlers then pick web-tree-sitter's CommonJS build, whose wasm loading
// works from dist/ (the ESM build relies on import.meta.url, which a CJS bundle does not have).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Language, Parser } = require('web-tree-sitter') as typeof import('web-tree-sitter');
import type { ParseError, PythonConfigModel, Range } from './types';
import { lineIndex } from './text';
import { emptyModel, extractModel, type ExtractReuse } from './pythonExtract';
import { extractCdkFunctions } from './pythonCdk';
import { extractEnvFacts, mayReadEnv } from './pythonEnv';
import type { CharmFramework, PythonEnvFacts } from './envTypes';
import type { StatementCache } from './pythonNode';

/** Above this many characters a file is not parsed (config files are tiny; this is a runaway guard). */
export const MAX_PYTHON_CHARS = 5 * 1024 * 1024;
/** Parse time limit; tree-sitter checks it while parsing and gives up cleanly. */
export const DEFAULT_PARSE_TIMEOUT_MS = 3000;
/** More edits than this in one update are cheaper to handle with a fresh parse. */
const MAX_INCREMENTAL_EDITS = 64;

export interface PythonParseOptions {
  timeoutMs?: number;
}

/** One text change, LSP-shaped (structurally a TextDocumentContentChangeEvent): no range = whole text. */
export interface PythonTextChange {
  range?: Range;
  text: string;
}

let ready: Promise<void> | undefined;
let language: LanguageT | undefined;
let parser: ParserT | undefined;

/** Wasm next to this file (the esbuild bundle in dist/) or, from source, inside the npm package. */
export function wasmPath(file: string, pkgPath: string): string {
  const local = path.join(__dirname, file);
  if (fs.existsSync(local)) return local;
  return require.resolve(pkgPath);
}

/** Loads tree-sitter and the Python grammar once; later calls return the same promise. */
export function initPython(): Promise<void> {
  ready ??= (async () => {
    const runtime = wasmPath('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
    await Parser.init({ locateFile: (name: string) => (name.endsWith('.wasm') ? runtime : name) });
    language = await Language.load(wasmPath('tree-sitter-python.wasm', 'tree-sitter-python/tree-sitter-python.wasm'));
  })().catch((e: unknown) => {
    ready = undefined; // allow a retry after e.g. a missing file is restored
    throw e;
  });
  return ready;
}

/** True once initPython() has completed. */
export function isPythonReady(): boolean {
  return language !== undefined;
}

function getParser(): ParserT | undefined {
  if (!language) return undefined;
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(language);
  }
  return parser;
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function fileError(code: string, message: string, severity: ParseError['severity'] = 'warning'): ParseError {
  return { code, message, range: ZERO, severity };
}

/** Size / binary / relevance checks that decide whether a text is parsed at all. */
function precheck(text: string, uri: string): PythonConfigModel | undefined {
  if (text.length > MAX_PYTHON_CHARS) {
    const mb = (text.length / 1024 / 1024).toFixed(1);
    return emptyModel(uri, [fileError('file-too-large', `file not analysed: ${mb} M characters is above Orchard's ${MAX_PYTHON_CHARS / 1024 / 1024} M limit for Python files`)]);
  }
  if (text.includes('\0')) {
    // Python refuses such a file too ("source code string cannot contain null bytes"): an error.
    const name = uri.slice(uri.lastIndexOf('/') + 1);
    return emptyModel(uri, [fileError('binary-file', `${name} looks like a binary file (it contains a NUL byte), not Python: not analysed`, 'error')]);
  }
  // Cheap early exit: a file that mentions neither Figgy nor the environment has nothing to find.
  if (!wantsFiggy(text) && !wantsEnv(text)) return emptyModel(uri);
  return undefined;
}

/** The text may declare Figs (figgy, a Fig class, lazy_load). */
function wantsFiggy(text: string): boolean {
  return /figgy|Fig|lazy_load/.test(text);
}

/** The text may read or write environment variables, or is a paas-charm charm's code. */
function wantsEnv(text: string): boolean {
  return mayReadEnv(text) || usesCharmLibrary(text) || declaresLambda(text);
}

/**
 * An AWS CDK stack that may declare Lambda functions: it imports `aws_cdk` (v1 and v2, the alpha
 * `aws_cdk.aws_lambda_python_alpha`); a substring test, run on every Python file. (Not `aws_lambda`:
 * every Powertools handler names `aws_lambda_powertools`.)
 */
function declaresLambda(text: string): boolean {
  return text.includes('aws_cdk');
}

/** paas-charm, or xiilib (its predecessor, by the same authors: `xiilib.flask.Charm`): a substring test, run on every Python file. */
function usesCharmLibrary(text: string): boolean {
  return text.includes('paas_charm') || text.includes('xiilib');
}
/** A short lower-case name in quotes: what an option or an endpoint is called (`self.config["vhost"]`, `self.on["amqp"]`). */
const CHARM_LITERAL = /(["'])([a-z][a-z0-9_-]{0,62})\1/g;
const MAX_CHARM_LITERALS = 5000;
/** A framework-prefixed variable name as a dict key or a subscript assigned to, in charm code. */
const CHARM_SETS = /(["'])((?:FLASK|DJANGO|APP)_[A-Z][A-Z0-9_]*)\1(?=\s*:|\s*\]\s*=(?!=))/g;

function hasFacts(f: PythonEnvFacts): boolean {
  return Object.values(f).some((v) => Array.isArray(v) && v.length > 0);
}

const PAAS_FRAMEWORK: Record<string, CharmFramework> = { flask: 'flask', django: 'django', fastapi: 'fastapi', go: 'go', expressjs: 'expressjs', springboot: 'spring-boot' };

/**
 * One parse, two readers: Figgy declarations when the text mentions Figgy, environment facts when
 * it may read the environment (a non-Figgy module gets no syntax errors from Orchard: that is the
 * Python tooling's job), and what a paas-charm charm's code says about the environment it builds.
 */
function extractAll(root: import('web-tree-sitter').Node, text: string, uri: string, reuse?: ExtractReuse): PythonConfigModel {
  const model = wantsFiggy(text) ? extractModel(root, text, uri, reuse) : emptyModel(uri);
  if (wantsEnv(text)) {
    // Only an open document (PythonDocParser, which passes `reuse`) is extracted again: a file read
    // once neither fills nor reads the shared statement caches. Filling them cost a cold check of
    // 2,000 settings.py 15% of its time and 60 MiB of its peak.
    const r = extractEnvFacts(root, text, { reuse: reuse !== undefined });
    if (hasFacts(r.facts)) model.env = r.facts;
    if (r.errors.length) model.errors = [...model.errors, ...r.errors];
  }
  if (declaresLambda(text)) {
    const cdk = extractCdkFunctions(root, text);
    if (cdk.length) model.cdk = cdk;
  }
  if (usesCharmLibrary(text)) {
    const fw = /\b(?:paas_charm|xiilib)\.(flask|django|fastapi|go|expressjs|springboot)\b/.exec(text);
    const over = /\bdef\s+gen_environment\b|\bconfiguration_prefix\s*=/.exec(text);
    const sets = [...text.matchAll(CHARM_SETS)];
    const li = over || sets.length ? lineIndex(text) : undefined;
    model.charmCode = {
      framework: fw ? PAAS_FRAMEWORK[fw[1]] : undefined,
      overridesEnvironment: over && li ? li.rangeAt(over.index, over[0].length) : undefined,
    };
    if (sets.length && li) model.charmCode.sets = sets.map((m) => ({ name: m[2], range: li.rangeAt(m.index + 1, m[2].length) }));
    const literals = new Set<string>();
    for (const m of text.matchAll(CHARM_LITERAL)) {
      literals.add(m[2]);
      if (literals.size >= MAX_CHARM_LITERALS) break;
    }
    if (literals.size) model.charmCode.literals = [...literals];
  }
  return model;
}

function internalError(uri: string, e: unknown): PythonConfigModel {
  // A wasm failure can leave the parser in a bad state: start over with a fresh one next time.
  try {
    parser?.delete();
  } catch {
    /* already unusable */
  }
  parser = undefined;
  const why = e instanceof Error ? e.message : String(e);
  return emptyModel(uri, [fileError('parse-internal', `internal error while parsing this file: ${why.slice(0, 200)}`, 'error')]);
}

function notReady(uri: string): PythonConfigModel {
  return emptyModel(uri, [fileError('parser-unavailable', 'the Python parser is not initialised (initPython() has not completed)', 'error')]);
}

function timeoutModel(uri: string, ms: number, text: string): PythonConfigModel {
  const lines = lineIndex(text).lineCount;
  return emptyModel(uri, [fileError('parse-timeout', `file not analysed: parsing ${lines} lines took longer than ${ms} ms`)]);
}

/** Parses with a deadline; null when the deadline passed (the parser is reset for the next document). */
function parseBounded(p: ParserT, text: string, oldTree: Tree | null, timeoutMs: number): Tree | null {
  const deadline = performance.now() + timeoutMs;
  const options: ParseOptions = { progressCallback: () => performance.now() > deadline };
  const tree = p.parse(text, oldTree, options);
  if (!tree) p.reset();
  return tree;
}

/** Parses a whole Python file into the Figgy declarations it contains. Never throws. */
export function parsePython(text: string, uri: string, options: PythonParseOptions = {}): PythonConfigModel {
  const early = precheck(text, uri);
  if (early) return early;
  const p = getParser();
  if (!p) return notReady(uri);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
  let tree: Tree | null = null;
  try {
    tree = parseBounded(p, text, null, timeoutMs);
    if (!tree) return timeoutModel(uri, timeoutMs, text);
    return extractAll(tree.rootNode, text, uri);
  } catch (e) {
    return internalError(uri, e);
  } finally {
    tree?.delete();
  }
}

// ---------------------------------------------------------------------------------------------
// incremental parsing for open documents

/** tree-sitter point (rows split on `\n` only, columns in UTF-16 units as web-tree-sitter counts them). */
function pointAt(text: string, offset: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}

/** Replays LSP changes against `prev`, returning tree-sitter edits, or undefined when a full parse is needed. */
export function editsFor(prev: string, changes: readonly PythonTextChange[], expected: string): Edit[] | undefined {
  if (changes.length === 0 || changes.length > MAX_INCREMENTAL_EDITS) return undefined;
  const edits: Edit[] = [];
  let cur = prev;
  for (const c of changes) {
    if (!c.range) return undefined;
    const li = lineIndex(cur);
    const start = li.offsetAt(c.range.start);
    const oldEnd = Math.max(start, li.offsetAt(c.range.end));
    const next = cur.slice(0, start) + c.text + cur.slice(oldEnd);
    const newEnd = start + c.text.length;
    edits.push({
      startIndex: start,
      oldEndIndex: oldEnd,
      newEndIndex: newEnd,
      startPosition: pointAt(cur, start),
      oldEndPosition: pointAt(cur, oldEnd),
      newEndPosition: pointAt(next, newEnd),
    });
    cur = next;
  }
  // Positions that do not match the text we hold mean we missed something: do not trust the edits.
  return cur === expected ? edits : undefined;
}

/** Characters whose insertion or removal inside a string's content cannot end, escape or open anything. */
const PLAIN_CONTENT = /^[A-Za-z0-9_\-./: ]*$/;
/** A character that combines with the one after it inside a string (an escape, a doubled brace, a quote run). */
const COMBINES = /[\\{}"']/;
/** Characters whose insertion or removal inside a name keeps it one name (after its first character). */
const PLAIN_NAME = /^[A-Za-z0-9_]*$/;
/** Spaces and tabs only (blanks inside a line). */
const BLANKS = /^[ \t]*$/;

/**
 * Python's keywords and soft keywords (3.12), and Python 2's statements the grammar still reads. Some
 * are tokens of their own node type (`None` is a `none` node), so the grammar's list alone misses them.
 */
const PYTHON_KEYWORDS = 'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield _ case match type print exec'.split(' ');

let keywordCache: { lang: LanguageT; words: Set<string> } | undefined;
/**
 * Python's keywords and the grammar's: its unnamed tokens spelled like names (`if`, and the soft ones
 * it knows, such as `match`, `print`, `type`). A name that is or becomes one may change the structure.
 */
function keywords(lang: LanguageT): Set<string> {
  if (keywordCache?.lang === lang) return keywordCache.words;
  const words = new Set<string>(PYTHON_KEYWORDS);
  for (let id = 0; id < lang.nodeTypeCount; id++) {
    const t = lang.nodeTypeForId(id);
    if (t && !lang.nodeTypeIsNamed(id) && /^[A-Za-z_]\w*$/.test(t)) words.add(t);
  }
  keywordCache = { lang, words };
  return words;
}

/**
 * True when one edit (before `tree.edit`), in a tree without errors, only adds or removes
 * - plain characters inside one string's content, after a character that cannot combine with them
 *   and away from escape sequences: the string ends where it did; or
 * - letters, digits or underscores inside one name, after its first character, when neither the old
 *   nor the new name is one of the grammar's keywords: it stays one name; or
 * - spaces or tabs between two tokens of a line, after a blank that stays, outside strings and
 *   comments, not in indentation or after a backslash: the tokens stay the same (blanks inside a
 *   line are not tokens in Python).
 * Every token outside the edit is then the same: the old tree, once `tree.edit` has moved its nodes,
 * is the new text's tree, so no parse is needed (a re-parse of a class of 5,000 statements took 28 ms
 * per keystroke) and nothing changed structure outside the edit. Checked on random edits against a
 * fresh parse, node by node, and against getChangedRanges (test/parse/python-incremental.test.ts).
 */
export function keepsStructure(tree: Tree, prev: string, next: string, e: Edit): boolean {
  if (e.startIndex === 0) return false;
  const removed = prev.slice(e.startIndex, e.oldEndIndex);
  const inserted = next.slice(e.startIndex, e.newEndIndex);
  const asContent = !COMBINES.test(prev[e.startIndex - 1]) && PLAIN_CONTENT.test(removed) && PLAIN_CONTENT.test(inserted);
  const asName = PLAIN_NAME.test(removed) && PLAIN_NAME.test(inserted);
  const asBlank = BLANKS.test(removed) && BLANKS.test(inserted);
  if (!asContent && !asName && !asBlank) return false;
  const root = tree.rootNode;
  if (root.hasError) return false;
  if (asBlank && blanksBetweenTokens(root, prev, e)) return true;
  // The token holding the character before the edit and all it removes (typing at a name's end is typing in it).
  const n = root.descendantForIndex(e.startIndex - 1, e.oldEndIndex);
  if (n === null || n.startIndex >= e.startIndex || e.oldEndIndex > n.endIndex) return false;
  const type = n.type;
  if (type === 'identifier') {
    if (!asName) return false;
    const words = keywords(tree.language);
    return !words.has(prev.slice(n.startIndex, n.endIndex)) && !words.has(next.slice(n.startIndex, n.endIndex + e.newEndIndex - e.oldEndIndex));
  }
  if (type !== 'string_content' || !asContent) return false;
  // An escape sequence touching the edit could take the typed characters in (`\x4` + `1`) or lose some of its own.
  for (let i = 0, k = n.childCount; i < k; i++) {
    const c = n.child(i)!;
    if (c.startIndex <= e.oldEndIndex && c.endIndex >= e.startIndex) return false;
  }
  return true;
}

/**
 * Whether a blanks-only edit lies in the blanks between two tokens of one line (see keepsStructure):
 * after at least one blank it keeps (so the two tokens stay apart, and the token before is not the
 * node `tree.edit` stretches over an insertion at its end), not in indentation or after a line
 * continuation, not inside a string (f-string parts included) or a comment.
 */
function blanksBetweenTokens(root: Node, prev: string, e: Edit): boolean {
  const blank = (c: string | undefined) => c === ' ' || c === '\t';
  // The run of blanks holding the edit, in the old text.
  let a = e.startIndex;
  while (a > 0 && blank(prev[a - 1])) a--;
  let b = e.oldEndIndex;
  while (b < prev.length && blank(prev[b])) b++;
  const before = prev[a - 1];
  if (a === 0 || a === e.startIndex || before === '\n' || before === '\r' || before === '\f' || before === '\\') return false;
  // The smallest node holding the character before the run and the one after it: a token (string
  // content, a comment, one name) when the edit would split it.
  const n = root.descendantForIndex(a - 1, Math.min(prev.length, b + 1));
  if (!n || n.childCount === 0) return false;
  for (let p: Node | null = n; p; p = p.parent) if (p.type === 'string' || p.type === 'comment') return false;
  return true;
}

/** Where web-tree-sitter reads a tree's node text from (set from the text it parsed; internal to the library). */
interface TextSource {
  textCallback: (index: number) => string;
}

function hasTextSource(tree: Tree): boolean {
  return typeof (tree as unknown as Partial<TextSource>).textCallback === 'function';
}

/** The edited tree now reads its node text from `text`, as a tree parsed from `text` does (exported for tests). */
export function retext(tree: Tree, text: string): Tree {
  (tree as unknown as TextSource).textCallback = (index) => text.slice(index);
  return tree;
}

/**
 * One open document's parser. `update()` reuses the previous tree (tree.edit + parse with oldTree,
 * or no parse at all for an edit that keepsStructure); the model is always identical to
 * `parsePython(text, uri)`. Call `dispose()` to free the wasm tree.
 */
export class PythonDocParser {
  private tree: Tree | null = null;
  private text: string | undefined;
  /** Class-body statement mirrors of `tree`'s extraction, reused by the next incremental one. */
  private mirrors: StatementCache | undefined;
  /** Statements whose mirror the last extraction reused (for tests and stats). */
  lastReused = 0;
  /** Class-body evaluations the last extraction reused (for tests and stats). */
  lastEvalsReused = 0;
  /** Classes the last extraction spliced: taken from the previous one with one statement read again. */
  lastSpliced = 0;
  /** How the last model was produced (for tests and stats); `edited`: the previous tree, edited, without a parse. */
  lastParse: 'full' | 'incremental' | 'edited' | 'skipped' = 'skipped';

  constructor(
    readonly uri: string,
    private readonly options: PythonParseOptions = {},
  ) {}

  /** Full parse of `text`, replacing any previous tree. */
  parse(text: string): PythonConfigModel {
    return this.run(text, undefined);
  }

  /** Re-parse after `changes` (in order, each against the text before it); falls back to a full parse. */
  update(text: string, changes?: readonly PythonTextChange[]): PythonConfigModel {
    return this.run(text, changes);
  }

  dispose(): void {
    this.drop();
    this.text = undefined;
  }

  private drop(): void {
    this.tree?.delete();
    this.tree = null;
    this.mirrors = undefined;
  }

  private run(text: string, changes: readonly PythonTextChange[] | undefined): PythonConfigModel {
    const early = precheck(text, this.uri);
    if (early) {
      this.drop();
      this.text = text;
      this.lastParse = 'skipped';
      return early;
    }
    const p = getParser();
    if (!p) return notReady(this.uri);
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS;
    try {
      let old: Tree | null = null;
      let edits: Edit[] | undefined;
      let kept = false;
      if (this.tree && this.text !== undefined && changes) {
        edits = editsFor(this.text, changes, text);
        if (edits) {
          kept = edits.length === 1 && hasTextSource(this.tree) && keepsStructure(this.tree, this.text, text, edits[0]);
          for (const e of edits) this.tree.edit(e);
          old = this.tree;
        }
      }
      const tree = kept ? retext(old!, text) : parseBounded(p, text, old, timeoutMs);
      const reuse: ExtractReuse = {};
      if (old && tree && edits && this.mirrors) reuse.from = { prev: this.mirrors, edits, changed: kept ? [] : old.getChangedRanges(tree) };
      // The old tree is freed once a new one replaces it (an edited tree is kept: it is the new one).
      if (tree !== this.tree) this.drop();
      this.text = text;
      if (!tree) {
        this.lastParse = 'skipped';
        return timeoutModel(this.uri, timeoutMs, text);
      }
      this.tree = tree;
      this.lastParse = kept ? 'edited' : old ? 'incremental' : 'full';
      const model = extractAll(tree.rootNode, text, this.uri, reuse);
      this.mirrors = reuse.next;
      this.lastReused = reuse.reused ?? 0;
      this.lastEvalsReused = reuse.evalsReused ?? 0;
      this.lastSpliced = reuse.spliced ?? 0;
      return model;
    } catch (e) {
      this.drop();
      this.text = undefined;
      return internalError(this.uri, e);
    }
  }
}
