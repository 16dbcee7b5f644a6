// Helpers the twelve-factor YAML readers (charm, compose, Helm values) share: map lookups with merge
// keys under one per-file expansion budget (a `<<` chain cannot multiply work across lookups), node
// descriptions for messages, entry ranges, and a cap on structural errors.
import type { Pair } from 'yaml';
import type { Located, ParseError, Range } from './types';
import type { LambdaEnvEntry } from './platformTypes';
import { LOOSE_VAR_NAME } from './varNames';
import { isMap, isScalar, isSeq, keyString, mapPairs, nodeOffsets, nodeRange, scalarString, type Document, type YamlFile, type YNode } from './yaml';

/** Map entries all merge-key expansions of one file may produce together. */
export const MAX_MERGED_PER_FILE = 100_000;
/** Structural errors (not YAML syntax) reported per file; the last one counts the rest. */
export const MAX_STRUCTURE_ERRORS = 50;

export interface YamlCtx {
  f: YamlFile;
  doc: Document.Parsed;
  budget: { left: number };
}

export function yamlCtx(f: YamlFile, doc: Document.Parsed, budget = { left: MAX_MERGED_PER_FILE }): YamlCtx {
  return { f, doc, budget };
}

/** The pairs of a map, merge keys expanded, within the file's budget. */
export function pairsOf(ctx: YamlCtx, map: unknown): Pair[] {
  if (ctx.budget.left <= 0) return [];
  return mapPairs(ctx.doc, map, 0, ctx.budget);
}

/** The value of `key` in a map (the last one wins, as in YAML loaders). */
export function pairGet(ctx: YamlCtx, map: unknown, key: string): Pair | undefined {
  let found: Pair | undefined;
  for (const p of pairsOf(ctx, map)) if (keyString(p) === key) found = p;
  return found;
}

/** A warning when the merge budget ran out (part of the file was then not read). */
export function budgetError(ctx: YamlCtx): ParseError | undefined {
  if (ctx.budget.left > 0) return undefined;
  return {
    code: 'yaml-merge-budget',
    message: `merge keys (<<) in this file expand to more than ${MAX_MERGED_PER_FILE} entries; the rest of the file is not read`,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 'warning',
  };
}

export function describeNode(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'null' : typeof node.value === 'string' ? 'a string' : `a ${typeof node.value}`;
  return 'something else';
}

export function isNullish(node: unknown): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** Range from a pair's key to the end of its value, trailing blanks and line breaks left out. */
export function pairRange(f: YamlFile, p: Pair): Range {
  const k = nodeOffsets(p.key as YNode);
  const v = nodeOffsets(p.value as YNode);
  const start = k?.[0] ?? v?.[0] ?? 0;
  let end = Math.max(k?.[1] ?? start, v?.[1] ?? start);
  while (end > start && /\s/.test(f.text[end - 1])) end--;
  return { start: f.index.positionAt(start), end: f.index.positionAt(end) };
}

export function locatedScalar(f: YamlFile, node: unknown): Located | undefined {
  const s = scalarString(node);
  return s === undefined ? undefined : { value: s, range: nodeRange(f, node as YNode) };
}

export function structureError(code: string, message: string, range: Range, severity: ParseError['severity'] = 'error'): ParseError {
  return { code, message, range, severity };
}

/**
 * Keeps at most MAX_STRUCTURE_ERRORS errors other than YAML's own (already capped) and the notices;
 * the last kept one says how many more there were.
 */
export function capStructureErrors(errors: ParseError[]): ParseError[] {
  const isStructural = (e: ParseError) => !e.code.startsWith('yaml-') && e.code !== 'file-too-large' && e.code !== 'binary-file';
  let n = 0;
  let extra = 0;
  let last: ParseError | undefined;
  const out: ParseError[] = [];
  for (const e of errors) {
    if (!isStructural(e)) {
      out.push(e);
      continue;
    }
    if (n >= MAX_STRUCTURE_ERRORS) {
      extra++;
      continue;
    }
    n++;
    last = { ...e };
    out.push(last);
  }
  if (extra > 0 && last) last.message += ` (and ${extra} more problems like this in the file)`;
  return out;
}

/** A reader's errors once it is done: the merge budget's warning when it ran out, structural errors capped. */
export function finishedErrors(ctx: YamlCtx, errors: ParseError[]): ParseError[] {
  const over = budgetError(ctx);
  if (over) errors.push(over);
  return capStructureErrors(errors);
}

/**
 * Where and what to insert to add one mapping to the list `listKey` of the mapping `item` (an entry
 * of a service's `envVars`, a component's `envs`): after the list's last item, with its dash and
 * indentation, or, when the mapping has no such key, a new list after the mapping's `name:` pair.
 * `keys` are the new mapping's lines (`key: X`, `sync: false`). Undefined when the list is there but
 * not a block sequence of mappings Orchard can extend, or the mapping has no `name:`. Keeps the
 * text's line ends.
 */
export function listItemInsert(text: string, ctx: YamlCtx, item: unknown, listKey: string, keys: readonly string[]): { offset: number; insert: string } | undefined {
  const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  const endOf = (node: YNode) => {
    let end = node.range![1];
    while (end > 0 && /\s/.test(text[end - 1])) end--;
    return end;
  };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = (dash: string) => keys.map((k, i) => `${eol}${i === 0 ? dash : ' '.repeat(dash.length)}${k}`).join('');
  const list = pairGet(ctx, item, listKey);
  if (list) {
    const items = isSeq(list.value) ? list.value.items : [];
    const last = items[items.length - 1] as YNode | undefined;
    if (!last?.range || !isMap(last)) return undefined;
    // What precedes the last item on its line is its dash (`      - `); a flow sequence has none.
    const dash = text.slice(lineStart(last.range[0]), last.range[0]);
    if (!/^ *- +$/.test(dash)) return undefined;
    return { offset: endOf(last), insert: lines(dash) };
  }
  const namePair = pairGet(ctx, item, 'name');
  const key = namePair?.key as YNode | undefined;
  if (!key?.range || !(namePair!.value as YNode | undefined)?.range) return undefined;
  const indent = ' '.repeat(key.range[0] - lineStart(key.range[0]));
  return { offset: endOf(namePair!.value as YNode), insert: `${eol}${indent}${listKey}:${lines(`${indent}  - `)}` };
}

/**
 * Where and what to insert to add the line `entry` (`NAME: ""`) to the block mapping `key` of the
 * mapping `parent`: after its last entry, indented alike; or, when `parent` has no `key`, a new
 * `key:` mapping after the line of the first of `after` that `parent` has, at that key's column.
 * Undefined when `key` is there but not a block mapping with entries (a flow one, an empty value, a
 * variable), or `parent` has none of `after`. Keeps the text's line ends.
 */
export function blockMapInsert(text: string, ctx: YamlCtx, parent: unknown, key: string, after: readonly string[], entry: string): { offset: number; insert: string } | undefined {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  const lineEndAfter = (nodes: unknown[]) => {
    let end = Math.max(...nodes.map((n) => nodeOffsets(n as YNode)?.[1] ?? 0));
    while (end > 0 && /\s/.test(text[end - 1])) end--;
    const nl = text.indexOf('\n', end);
    return nl < 0 ? text.length : text[nl - 1] === '\r' ? nl - 1 : nl;
  };
  const pair = pairGet(ctx, parent, key);
  if (!pair) {
    const anchor = after.map((k) => pairGet(ctx, parent, k)).find((p) => (p?.key as YNode | undefined)?.range);
    if (!anchor) return undefined;
    const start = (anchor.key as YNode).range![0];
    const indent = text.slice(lineStart(start), start);
    if (!/^ *$/.test(indent)) return undefined;
    return { offset: lineEndAfter([anchor.key, anchor.value]), insert: `${eol}${indent}${key}:${eol}${indent}  ${entry}` };
  }
  const value = pair.value as YNode | null;
  if (!isMap(value) || (value as { flow?: boolean }).flow) return undefined;
  const pairs = pairsOf(ctx, value);
  const last = pairs[pairs.length - 1];
  const first = pairs[0]?.key as YNode | undefined;
  if (!last || !first?.range) return undefined;
  const indent = text.slice(lineStart(first.range[0]), first.range[0]);
  if (!/^ +$/.test(indent)) return undefined;
  return { offset: lineEndAfter([last.key, last.value]), insert: `${eol}${indent}${entry}` };
}

/**
 * A mapping of environment variables (`NAME: value`, a Lambda function's) as entries: of the
 * function `fn`, or every function's when undefined. A value whose origin `from` names (a variable
 * resolved when deploying, a CloudFormation function) is provided without a literal. At most 2,000.
 */
export function yamlEnvEntries(ctx: YamlCtx, map: unknown, fn: string | undefined, from: (node: unknown, value: string | undefined) => string | undefined, out: LambdaEnvEntry[]): void {
  for (const p of pairsOf(ctx, map).slice(0, 2_000)) {
    const key = keyString(p);
    if (key === undefined || !LOOSE_VAR_NAME.test(key) || !p.key) continue;
    const e: LambdaEnvEntry = { key, keyRange: nodeRange(ctx.f, p.key as YNode), entryRange: pairRange(ctx.f, p) };
    if (fn !== undefined) e.fn = fn;
    const value = scalarString(p.value);
    const origin = from(p.value, value);
    if (origin !== undefined) e.from = origin;
    else if (value !== undefined) {
      e.value = value;
      e.valueRange = nodeRange(ctx.f, p.value as YNode);
    }
    out.push(e);
  }
}
