// Completion in config.py (Fig constructors, keyword arguments, `source=` paths, pattern
// attributes) and in figgy.json (names in lists, `${...}` merge references). Context is read from
// the text around the cursor, because while typing the parsed model is usually incomplete.
import { getLocation } from 'jsonc-parser';
import type { Position, Range } from '../parse/types';
import type { Service } from '../model/types';
import { fullPath, mergeRef, normaliseTwig } from '../parse/paths';
import type { CompletionPlain, FeatureContext } from './types';
import { figgyJsonModel, pythonModel, serviceForUri, classTwig } from './occurrences';
import { offsetAt, positionAt } from './positions';

const FIG_KINDS = [
  { kind: 'AppFig', snippet: 'AppFig("${1:name}")', doc: 'A parameter owned by this service. `default` is stored but never used at run time.' },
  { kind: 'SharedFig', snippet: 'SharedFig("${1:name}")', doc: 'A parameter someone else (e.g. a DBA) shares into this namespace.' },
  { kind: 'ReplicatedFig', snippet: 'ReplicatedFig(name="${1:name}", source="${2:/shared/}")', doc: 'A copy of `source` kept in sync into this namespace. Positional order is (name, source).' },
  { kind: 'MergeFig', snippet: 'MergeFig(name="${1:name}", pattern=[$2])', doc: 'A value assembled from literals and other Figs; `uri_encode` Figs are URL-encoded.' },
] as const;

const KEYWORDS: Record<string, string[]> = {
  AppFig: ['name', 'default'],
  SharedFig: ['name'],
  ReplicatedFig: ['name', 'source'],
  MergeFig: ['name', 'pattern', 'uri_encode'],
};

export function completion(ctx: FeatureContext, uri: string, text: string, pos: Position): CompletionPlain[] {
  if (figgyJsonModel(ctx.workspace, uri) || /figgy(-secrets)?\.json$/.test(uri)) return jsonCompletion(ctx, uri, text, pos);
  if (uri.endsWith('.py') || pythonModel(ctx.workspace, uri)) return pythonCompletion(ctx, uri, text, pos);
  return [];
}

/**
 * Completion reads at most this much text before the cursor. Every scan below is linear in it, so a
 * hostile line (megabytes of `a` and `(`) costs the same as a short one.
 */
export const CONTEXT_CHARS = 4096;

const isIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdent = (c: number) => isIdentStart(c) || (c >= 48 && c <= 57);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;

/** The dotted name (`figgy.figs.AppFig`) that ends right before `end`, skipping spaces; undefined if none. One backward pass. */
function calleeBefore(text: string, end: number): string | undefined {
  let i = end;
  while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
  const stop = i;
  while (i > 0 && (isIdent(text.charCodeAt(i - 1)) || text.charCodeAt(i - 1) === 46 /* . */)) i--;
  // The name must start with a letter or "_" (skip a leading "." or digits).
  while (i < stop && !isIdentStart(text.charCodeAt(i))) i++;
  return i < stop ? text.slice(i, stop) : undefined;
}

/** Innermost unclosed call before the cursor on the statement: its callee name and the text of its arguments so far. Linear. */
function openCall(before: string): { callee: string; args: string } | undefined {
  let inStr: string | undefined;
  const stack: number[] = [];
  for (let i = 0; i < before.length; i++) {
    const c = before[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === inStr) inStr = undefined;
      continue;
    }
    if (c === '"' || c === "'") inStr = c;
    else if (c === '(' || c === '[') stack.push(i);
    else if (c === ')' || c === ']') stack.pop();
  }
  // Innermost first. Each backward name scan stops at the first non-name character, so the scans of
  // all candidates read disjoint runs: linear in total (a run of "(" has no name and costs nothing).
  for (let k = stack.length - 1; k >= 0; k--) {
    const at = stack[k];
    if (before[at] !== '(') continue;
    const name = calleeBefore(before, at);
    if (name) return { callee: name.split('.').pop()!, args: before.slice(at + 1) };
  }
  return undefined;
}

/**
 * Start of the first `NAME = Callee(` in `text` (an assignment that opens a call), or -1. Linear:
 * looks only around each "=", and each run it reads ends at the next "=".
 */
function assignmentCallStart(text: string): number {
  for (let eq = text.indexOf('='); eq >= 0; eq = text.indexOf('=', eq + 1)) {
    const next = text.charCodeAt(eq + 1);
    const prev = text.charCodeAt(eq - 1);
    if (next === 61 /* == */ || prev === 61 || prev === 33 /* != */ || prev === 60 || prev === 62) continue;
    // left: spaces, then an identifier
    let l = eq;
    while (l > 0 && (text.charCodeAt(l - 1) === 32 || text.charCodeAt(l - 1) === 9)) l--;
    let start = l;
    while (start > 0 && isIdent(text.charCodeAt(start - 1))) start--;
    while (start < l && !isIdentStart(text.charCodeAt(start))) start++;
    if (start >= l) continue;
    // right: spaces, a dotted name (maybe empty), spaces, "("
    let r = eq + 1;
    while (r < text.length && isSpace(text.charCodeAt(r))) r++;
    while (r < text.length && (isIdent(text.charCodeAt(r)) || text.charCodeAt(r) === 46) && text.charCodeAt(r) !== 61) r++;
    while (r < text.length && isSpace(text.charCodeAt(r))) r++;
    if (text.charCodeAt(r) === 40 /* ( */) return start;
  }
  return -1;
}

/** When the cursor is inside a string literal: its opening quote offset within `line` and the typed prefix. */
function openString(line: string): { start: number; prefix: string } | undefined {
  let inStr: string | undefined;
  let start = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === inStr) inStr = undefined;
    } else if (c === '"' || c === "'") {
      inStr = c;
      start = i;
    } else if (c === '#') return undefined;
  }
  return inStr ? { start, prefix: line.slice(start + 1) } : undefined;
}

function serviceTwig(ctx: FeatureContext, uri: string, pos: Position): { service?: Service; twig?: string; attrs: string[] } {
  const service = serviceForUri(ctx.workspace, uri);
  const py = pythonModel(ctx.workspace, uri);
  const cls = py?.classes.find((c) => c.range.start.line <= pos.line && pos.line <= c.range.end.line) ?? py?.classes[0];
  return { service, twig: cls ? classTwig(cls, service) : service?.twig, attrs: cls?.figs.map((f) => f.attr) ?? [] };
}

function pythonCompletion(ctx: FeatureContext, uri: string, text: string, pos: Position): CompletionPlain[] {
  const offset = offsetAt(text, pos);
  // Everything below reads at most CONTEXT_CHARS before the cursor (a huge line is cut at its tail).
  const floor = Math.max(0, offset - CONTEXT_CHARS);
  const lineStart = Math.max(floor, text.lastIndexOf('\n', offset - 1) + 1);
  const line = text.slice(lineStart, offset);
  // The statement may span lines (MergeFig patterns): look back to the assignment that opened it.
  const stmtStart = Math.max(floor, text.lastIndexOf('\n', Math.max(0, lineStart - 1) - 2000));
  const window = text.slice(stmtStart, offset);
  const assign = assignmentCallStart(window);
  const call = openCall(assign >= 0 ? window.slice(assign) : line);
  const str = openString(line);
  const { twig, attrs } = serviceTwig(ctx, uri, pos);

  if (str) {
    const range: Range = { start: positionAt(text, lineStart + str.start + 1), end: pos };
    if (call?.callee === 'ReplicatedFig') {
      const isSource = /source\s*=\s*$/.test(line.slice(0, str.start)) || (/^\s*(["'])(?:(?!\1).)*\1\s*,\s*$/.test(call.args.slice(0, call.args.length - str.prefix.length - 1)));
      if (isSource) return sourceItems(ctx, str.prefix, range);
    }
    return [];
  }
  if (call && KEYWORDS[call.callee]) {
    const inList = call.args.lastIndexOf('[') > call.args.lastIndexOf(']');
    if (inList) {
      return attrs.map((a) => ({ label: a, kind: 'reference' as const, detail: 'Fig in this FigStore' }));
    }
    const used = usedArgs(call.args, KEYWORDS[call.callee]);
    return KEYWORDS[call.callee]
      .filter((k) => !used.has(k))
      .map((k) => ({ label: `${k}=`, kind: 'property' as const, detail: `${call.callee} argument`, insertText: `${k}=` }));
  }
  // `ATTR = |` inside a class body: offer the four Fig constructors.
  const m = /^(\s+)([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([A-Za-z]*)$/.exec(line);
  if (m && m[2] !== 'TWIG') {
    const range: Range = { start: { line: pos.line, character: pos.character - m[3].length }, end: pos };
    return FIG_KINDS.map((f, i) => ({
      label: f.kind,
      kind: 'class' as const,
      detail: twig ? `figgy-lib · under ${twig}` : 'figgy-lib',
      documentation: f.doc,
      insertText: f.snippet,
      snippet: true,
      range,
      sortText: String(i),
    }));
  }
  return [];
}

/** Parameters already given in a call's argument text: keywords by name, positionals by order. */
function usedArgs(args: string, order: string[]): Set<string> {
  const parts: string[] = [];
  let depth = 0;
  let inStr: string | undefined;
  let cur = '';
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    cur += c;
    if (inStr) {
      if (c === '\\') cur += args[++i] ?? '';
      else if (c === inStr) inStr = undefined;
    } else if (c === '"' || c === "'") inStr = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(cur.slice(0, -1));
      cur = '';
    }
  }
  // The last part is what is being typed now; it does not count as given.
  const used = new Set<string>();
  let positional = 0;
  for (const part of parts) {
    const kw = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)/.exec(part);
    if (kw) used.add(kw[1]);
    else if (part.trim()) {
      const name = order[positional++];
      if (name) used.add(name);
    }
  }
  return used;
}

function sourceItems(ctx: FeatureContext, prefix: string, range: Range): CompletionPlain[] {
  const paths = ctx.sourcePaths ?? [];
  const out = new Map<string, CompletionPlain>();
  // Complete one segment at a time so a large /shared tree stays navigable.
  for (const p of paths) {
    if (!p.startsWith(prefix || '/')) continue;
    const rest = p.slice(prefix.length);
    const slash = rest.indexOf('/', rest.startsWith('/') ? 1 : 0);
    if (slash > 0 && slash < rest.length - 1) {
      const folder = prefix + rest.slice(0, slash + 1);
      if (!out.has(folder)) out.set(folder, { label: folder, kind: 'folder', insertText: folder, range, detail: 'namespace' });
    } else out.set(p, { label: p, kind: 'value', insertText: p, range, detail: 'parameter in the store' });
  }
  return [...out.values()].slice(0, 500);
}

function jsonCompletion(ctx: FeatureContext, uri: string, text: string, pos: Position): CompletionPlain[] {
  const offset = offsetAt(text, pos);
  let loc;
  try {
    loc = getLocation(text, offset);
  } catch {
    return [];
  }
  const service = serviceForUri(ctx.workspace, uri);
  const fj = figgyJsonModel(ctx.workspace, uri);
  const rawTwig = fj?.twig?.value ?? service?.twig;
  const twig = rawTwig ? normaliseTwig(rawTwig) : undefined;
  const node = loc.previousNode;
  if (!node || node.type !== 'string' || offset <= node.offset) return [];
  // Range of the string contents up to the cursor (after the opening quote).
  const contentStart = node.offset + 1;
  const typed = text.slice(contentStart, offset);
  const range: Range = { start: positionAt(text, contentStart), end: pos };
  const top = loc.path[0];
  const declared = [...(service?.expected.values() ?? [])];
  const cfgDecls = service?.configPy?.cls.figs ?? [];
  const pathOfDecl = (name: string) => (twig ? fullPath(twig, name) : name);

  if (typed.startsWith('$') || (top === 'merged_figs' && loc.path.length === 3)) {
    return declared
      .filter((p) => p.origin !== 'merged')
      .flatMap((p) => [mergeRef(p.path, false), mergeRef(p.path, true)])
      .map((label) => ({ label, kind: 'reference' as const, insertText: label, range, detail: 'merge reference' }));
  }
  if ((top === 'app_figs' || top === 'shared_figs') && loc.path.length === 2) {
    const kind = top === 'app_figs' ? 'AppFig' : 'SharedFig';
    const already = new Set((top === 'app_figs' ? fj?.appFigs : fj?.sharedFigs)?.map((l) => pathOfDecl(l.value)) ?? []);
    const fromPy = cfgDecls.filter((d) => d.kind === kind && d.name).map((d) => pathOfDecl(d.name!.value));
    const fromSecrets = top === 'shared_figs' ? declared.filter((p) => p.origin === 'shared').map((p) => p.path) : [];
    return [...new Set([...fromPy, ...fromSecrets])]
      .filter((p) => !already.has(p))
      .sort()
      .map((p) => ({ label: p, kind: 'value' as const, insertText: p, range, detail: `${kind} in config.py` }));
  }
  if (top === 'replicate_figs' && loc.path.length === 2 && loc.isAtPropertyKey) {
    return sourceItems(ctx, typed, range);
  }
  return [];
}
