// YAML with exact ranges and error recovery, through the `yaml` package (eemeli/yaml): every YAML
// file kind (charmcraft.yaml, compose, Helm values, CI files) is read once here and the Document is
// shared by the fact extractors and the credential scanner. Never throws: a file that is not YAML
// (binary, templated with `{{ }}` / `{% %}`, broken) gives a model with what could be read and a
// bounded list of errors.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YNode, type Pair, type YAMLMap } from 'yaml';
import type { ParseError, Range } from './types';
import { lineIndex, range as sharedRange, unreadableText, type LineIndex } from './text';

export type { YNode, Document };
export { isAlias, isMap, isPair, isScalar, isSeq };

/** Above this many characters a YAML file is not parsed (configuration files are small). */
export const MAX_YAML_CHARS = 2 * 1024 * 1024;
/** At most this many YAML errors are reported per file; the rest are summed up in the last one. */
export const MAX_YAML_ERRORS = 10;
/** Pairs one merge-key expansion may produce (a `<<: [*a, *a]` chain grows exponentially otherwise). */
const MAX_MERGED_PAIRS = 10_000;
/** Nesting deeper than this is not walked (hostile input); real configuration is a few levels deep. */
export const MAX_YAML_DEPTH = 64;

export interface YamlFile {
  text: string;
  /** One per `---` document; usually one. Empty when the text was not parsed (binary, too large). */
  docs: Document.Parsed[];
  index: LineIndex;
  errors: ParseError[];
  /** The text holds template syntax (`{{ }}`, `{% %}`): its YAML errors are expected, not reported one by one. */
  templated: boolean;
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function fileError(code: string, message: string, severity: ParseError['severity'] = 'warning', range: Range = ZERO): ParseError {
  return { code, message, range, severity };
}

/** Template markers of Helm (Go templates), Jinja and Ansible. */
const TEMPLATE = /\{\{|\{%|\{#/;

/** Parses every document of a YAML file. Never throws. */
export function parseYamlFile(text: string): YamlFile {
  const index = lineIndex(text.length > MAX_YAML_CHARS ? '' : text);
  const unreadable = unreadableText(text, MAX_YAML_CHARS, 'for YAML files', 'YAML text');
  if (unreadable) return { text, docs: [], index, errors: [unreadable], templated: false };
  const templated = TEMPLATE.test(text);
  let docs: Document.Parsed[] = [];
  const errors: ParseError[] = [];
  try {
    const lineCounter = new LineCounter();
    const all = parseAllDocuments(text, { lineCounter, merge: true, prettyErrors: false, strict: false, uniqueKeys: false });
    // parseAllDocuments returns an EmptyStream (no `length` items) for an empty text.
    docs = Array.isArray(all) ? all : [];
    if (templated) {
      if (docs.some((d) => d.errors.length > 0)) {
        errors.push(fileError('yaml-templated', 'template syntax ({{ }} / {% %}) makes parts of this file unreadable as YAML; those parts are not analysed', 'info'));
      }
    } else {
      let n = 0;
      let extra = 0;
      // One error per line: the parser's follow-on errors on the line of the first say nothing new.
      const lines = new Set<number>();
      for (const d of docs) {
        for (const e of d.errors) {
          const [a, b] = e.pos;
          const start = index.positionAt(a);
          if (lines.has(start.line)) continue;
          lines.add(start.line);
          if (n >= MAX_YAML_ERRORS) {
            extra++;
            continue;
          }
          n++;
          errors.push(fileError('yaml-syntax', `YAML: ${firstLine(e.message)}`, 'error', { start, end: index.positionAt(Math.max(a, b)) }));
        }
      }
      if (extra > 0) errors[errors.length - 1].message += ` (and ${extra} more YAML errors)`;
    }
  } catch (e) {
    // The yaml package does not throw on bad input; this is a guard against its internal failures.
    errors.push(fileError('parse-internal', `internal error while reading YAML: ${e instanceof Error ? e.name : typeof e}`, 'error'));
    docs = [];
  }
  return { text, docs, index, errors, templated };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).slice(0, 200);
}

/** The range of a node's value (without trailing comments), or of the zero position when unknown. */
export function nodeRange(f: YamlFile, node: YNode | null | undefined): Range {
  const r = node?.range;
  if (!r) return ZERO;
  return sharedRange(f.index.positionAt(r[0]), f.index.positionAt(r[1]));
}

/** Offsets [start, end) of a node's value. */
export function nodeOffsets(node: YNode | null | undefined): [number, number] | undefined {
  const r = node?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** A pair's key as a plain string (scalar keys only). */
export function keyString(p: Pair): string | undefined {
  const k = p.key as unknown;
  if (!isScalar(k)) return undefined;
  const v = k.value;
  // With `merge: true` the yaml package gives a merge key the value Symbol(<<), not the string.
  if (typeof v === 'symbol') return v.description === '<<' ? '<<' : undefined;
  return v === null || v === undefined ? undefined : String(v);
}

/** A scalar's value as a string (numbers and booleans as YAML wrote them), else undefined. */
export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  // Keep the source spelling of numbers and booleans (`0755`, `yes`), as tools reading the text see it.
  return node.source !== undefined ? String(node.source) : String(v);
}

/** Alias → the node it resolves to. The yaml package's `resolve` walks the whole document each time. */
const resolved = new WeakMap<object, YNode | null>();

/** Resolves an alias to the node it points at (one level; the yaml package forbids alias cycles). */
export function deref(doc: Document.Parsed, node: unknown): YNode | undefined {
  if (isAlias(node)) {
    const hit = resolved.get(node);
    if (hit !== undefined) return hit ?? undefined;
    let target: YNode | null = null;
    try {
      target = (node.resolve(doc) as YNode | undefined) ?? null;
    } catch {
      target = null;
    }
    resolved.set(node, target);
    return target ?? undefined;
  }
  return (node ?? undefined) as YNode | undefined;
}

/**
 * The pairs of a map with YAML merge keys (`<<: *anchor`, `<<: [*a, *b]`) expanded, later keys
 * winning as the merge spec says; pairs from merged maps keep their own (anchor) ranges.
 */
export function mapPairs(doc: Document.Parsed, map: unknown, depth = 0, budget = { left: MAX_MERGED_PAIRS }): Pair[] {
  const m = deref(doc, map);
  if (!isMap(m) || depth > MAX_YAML_DEPTH || budget.left <= 0) return [];
  budget.left -= (m as YAMLMap).items.length;
  const own: Pair[] = [];
  const merged: Pair[] = [];
  for (const p of (m as YAMLMap).items) {
    if (!isPair(p)) continue;
    if (keyString(p) === '<<') {
      const v = deref(doc, p.value);
      const sources = isSeq(v) ? v.items : [v];
      for (const s of sources) merged.push(...mapPairs(doc, s, depth + 1, budget));
    } else own.push(p);
  }
  if (merged.length === 0) return own;
  const ownKeys = new Set(own.map(keyString));
  const seen = new Set<string | undefined>();
  const fromMerge: Pair[] = [];
  for (const p of merged) {
    const k = keyString(p);
    if (ownKeys.has(k) || seen.has(k)) continue;
    seen.add(k);
    fromMerge.push(p);
  }
  return [...fromMerge, ...own];
}

/** The value of `key` in a map (merge keys honoured), with its pair; undefined when absent. */
export function mapGet(doc: Document.Parsed, map: unknown, key: string): Pair | undefined {
  let found: Pair | undefined;
  for (const p of mapPairs(doc, map)) if (keyString(p) === key) found = p;
  return found;
}

/** Items of a sequence (aliases resolved), or [] when the node is not a sequence. */
export function seqItems(doc: Document.Parsed, node: unknown): YNode[] {
  const s = deref(doc, node);
  if (!isSeq(s)) return [];
  return s.items.map((i) => deref(doc, i)).filter((i): i is YNode => i !== undefined);
}

/**
 * A small configuration file's first document as plain data (another tool's settings, read whole):
 * `value` undefined for an empty file; `unreadable` with where, when it is not YAML or expands too
 * many aliases. Never throws, and never returns the parser's message (it quotes the text).
 */
export function yamlConfigValue(text: string): { value: unknown; index: LineIndex } | { unreadable: string; at: Range['start']; index: LineIndex } {
  const y = parseYamlFile(text);
  const doc = y.docs[0];
  if (!doc && !y.errors.length) return { value: undefined, index: y.index };
  if (!doc || y.errors.length || doc.errors.length) {
    const p = doc?.errors[0]?.linePos?.[0];
    return { unreadable: 'not read as YAML', at: p ? { line: p.line - 1, character: p.col - 1 } : ZERO.start, index: y.index };
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }), index: y.index };
  } catch {
    return { unreadable: 'not read (too many aliases)', at: ZERO.start, index: y.index };
  }
}
