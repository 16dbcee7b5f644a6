// Renders findings for people (compiler-style lines), for machines (JSON) and for code scanning (SARIF 2.1.0).
import { createHash, randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { styleText } from 'node:util';
import type { Finding, Rule } from '../analysis/types';
import { toPath } from '../model/uris';

export type Style = Parameters<typeof styleText>[0];

/** Colour only for a terminal, and never when NO_COLOR is set. */
export function makePaint(stream: NodeJS.WriteStream | { isTTY?: boolean }): (style: Style, text: string) => string {
  const on = Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  return (style, text) => (on ? styleText(style, text) : text);
}

export function displayPath(uri: string, cwd = process.cwd()): string {
  const p = toPath(uri);
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/** displayPath with the answer kept per uri: a file's findings come many to a file. */
function displayPaths(cwd?: string): (uri: string) => string {
  const base = cwd ?? process.cwd();
  const seen = new Map<string, string>();
  return (uri) => {
    let p = seen.get(uri);
    if (p === undefined) seen.set(uri, (p = displayPath(uri, base)));
    return p;
  };
}

const SEVERITY_STYLE: Record<Finding['severity'], Style> = { error: 'red', warning: 'yellow', info: 'cyan', hint: 'gray' };

/** `file:line:col: severity code: message` — 1-based like compilers, so editors and terminals link it. */
export function formatText(findings: Finding[], paint: (s: Style, t: string) => string, cwd?: string): string {
  return [...textChunks(findings, paint, cwd)].join('');
}

/** formatText in pieces (a finding each), so a large result is never one string. */
export function* textChunks(findings: Finding[], paint: (s: Style, t: string) => string, cwd?: string): Generator<string> {
  const shown = displayPaths(cwd);
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    const loc = `${shown(f.uri)}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
    let out = `${i ? '\n' : ''}${paint('bold', loc)}: ${paint(SEVERITY_STYLE[f.severity], f.severity)} ${paint('gray', `[${f.code}]`)} ${f.message}`;
    for (const r of f.related ?? []) {
      // Related information at the finding's own line only adds a note; elsewhere it gets its location.
      const here = r.uri === f.uri && r.range.start.line === f.range.start.line;
      const where = here ? 'note' : `${shown(r.uri)}:${r.range.start.line + 1}:${r.range.start.character + 1}`;
      out += `\n    ${paint('gray', where)}: ${r.message}`;
    }
    yield out;
  }
}

export function summaryLine(findings: Finding[]): string {
  const n = (s: Finding['severity']) => findings.filter((f) => f.severity === s).length;
  const parts = [`${n('error')} error(s)`, `${n('warning')} warning(s)`, `${n('info')} info`];
  return parts.join(', ');
}

export function formatJson(findings: Finding[], cwd?: string): string {
  return [...jsonChunks(findings, cwd)].join('');
}

function jsonFinding(f: Finding, shown: (uri: string) => string): object {
  return {
    file: shown(f.uri),
    line: f.range.start.line + 1,
    column: f.range.start.character + 1,
    endLine: f.range.end.line + 1,
    endColumn: f.range.end.character + 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
    envs: f.envs,
    related: f.related?.map((r) => ({ file: shown(r.uri), line: r.range.start.line + 1, column: r.range.start.character + 1, message: r.message })),
  };
}

/**
 * Array elements as `JSON.stringify(array, null, 2)` writes them, `indent` deep, one chunk each:
 * the same bytes without the whole document in memory (87 MB of JSON at 10,000 services).
 */
function* indentedElements<T>(items: readonly T[], toJson: (item: T, i: number) => object, indent: string): Generator<string> {
  // The element wrapped in one array per two spaces of indent: JSON.stringify then indents it
  // itself, and the wrappers' lines are cut off (no second pass over the text).
  const levels = indent.length / 2;
  for (let i = 0; i < items.length; i++) {
    let wrapped: unknown = toJson(items[i], i);
    for (let k = 0; k < levels; k++) wrapped = [wrapped];
    const s = JSON.stringify(wrapped, null, 2);
    let start = 0;
    let end = s.length;
    for (let k = 0; k < levels; k++) {
      start = s.indexOf('\n', start) + 1;
      end = s.lastIndexOf('\n', end - 1);
    }
    yield `${s.slice(start, end)}${i + 1 < items.length ? ',' : ''}\n`;
  }
}

/**
 * `JSON.stringify(doc(items.map(toJson)), null, 2)` in pieces: the document around the array with
 * one placeholder element, cut at the placeholder's line, then an element each.
 */
function* documentWithArray<T>(doc: (elements: unknown[]) => unknown, items: readonly T[], toJson: (item: T, i: number) => object): Generator<string> {
  if (!items.length) {
    yield JSON.stringify(doc([]), null, 2);
    return;
  }
  const mark = JSON.stringify(`orchard-elements-${randomUUID()}`);
  const skeleton = JSON.stringify(doc([JSON.parse(mark)]), null, 2);
  const at = skeleton.indexOf(mark);
  const lineStart = skeleton.lastIndexOf('\n', at) + 1;
  yield skeleton.slice(0, lineStart);
  yield* indentedElements(items, toJson, skeleton.slice(lineStart, at));
  yield skeleton.slice(at + mark.length + 1);
}

/** formatJson in pieces. */
export function jsonChunks(findings: Finding[], cwd?: string): Generator<string> {
  const shown = displayPaths(cwd);
  return documentWithArray((elements) => elements, findings, (f) => jsonFinding(f, shown));
}

const SARIF_LEVEL: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

export function formatSarif(findings: Finding[], rules: readonly Rule[], version: string, cwd?: string): string {
  return [...sarifChunks(findings, rules, version, cwd)].join('');
}

/** formatSarif in pieces: the document around the results, then a result each. */
export function* sarifChunks(findings: Finding[], rules: readonly Rule[], version: string, cwd?: string): Generator<string> {
  const usedCodes = new Set(findings.map((f) => f.code));
  const known = new Map(rules.map((r) => [r.code, r]));
  const ruleList = [...usedCodes].sort().map((code) => ({
    id: code,
    shortDescription: { text: known.get(code)?.description ?? code },
    defaultConfiguration: { level: SARIF_LEVEL[known.get(code)?.defaultSeverity ?? 'warning'] },
  }));
  const shown = displayPaths(cwd);
  const loc = (uri: string, r: Finding['range']) => ({
    physicalLocation: {
      artifactLocation: { uri: shown(uri).split(path.sep).join('/') },
      region: { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 },
    },
  });
  const prints = distinctFingerprints(findings, cwd);
  const result = (f: Finding, i: number) => ({
    ruleId: f.code,
    level: SARIF_LEVEL[f.severity],
    message: { text: f.message },
    locations: [loc(f.uri, f.range)],
    // Stable across edits that move lines, so code scanning does not re-open results on every push.
    partialFingerprints: prints[i],
    relatedLocations: f.related?.map((r, i) => ({ id: i, message: { text: r.message }, ...loc(r.uri, r.range) })),
  });
  const doc = (results: unknown[]) => ({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'orchard', version, informationUri: 'https://github.com/orchard-dev/orchard', rules: ruleList } }, results }],
  });
  yield* documentWithArray(doc, findings, result);
}

/**
 * A credential's own fingerprint (a hash of detector, key name and secret, never the secret), or
 * for other findings a hash of rule, file and message (messages carry names, not line numbers).
 */
function partialFingerprint(f: Finding, cwd?: string): Record<string, string> {
  if (f.data?.fix === 'move-credential') return { 'orchardCredential/v1': f.data.fingerprint };
  const h = createHash('sha256').update(`${f.code}\0${displayPath(f.uri, cwd)}\0${f.message}`).digest('hex').slice(0, 32);
  return { 'orchardFinding/v1': h };
}

/**
 * Each finding's partial fingerprint, made distinct within a file: code scanning merges results of
 * one rule and file with equal fingerprints into one alert, so a second `set -x` (same message) or
 * the same token written twice would vanish. Repeats get `:1`, `:2`… in the order of their
 * positions, so the fingerprints survive edits that move lines (not ones that reorder repeats).
 */
function distinctFingerprints(findings: Finding[], cwd?: string): Record<string, string>[] {
  const prints = findings.map((f) => partialFingerprint(f, cwd));
  const groups = new Map<string, number[]>();
  findings.forEach((f, i) => {
    const k = `${f.code}\0${displayPath(f.uri, cwd)}\0${JSON.stringify(prints[i])}`;
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const at = (i: number) => findings[i].range.start;
    g.sort((a, b) => at(a).line - at(b).line || at(a).character - at(b).character || a - b);
    g.forEach((idx, n) => {
      if (n === 0) return;
      prints[idx] = Object.fromEntries(Object.entries(prints[idx]).map(([k, v]) => [k, `${v}:${n}`]));
    });
  }
  return prints;
}

/** A fixed-width mask: the length of a secret is information too. */
export const REDACTED = '••••••••';

/** A plain-text table with left-aligned columns. */
export function table(rows: string[][], paint?: (s: Style, t: string) => string): string {
  // Width ignores ANSI codes because cells are painted after padding.
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? '')].length)));
  return rows
    .map((r, ri) =>
      r
        .map((c, i) => {
          const padded = c + ' '.repeat(widths[i] - [...c].length);
          return ri === 0 && paint ? paint('bold', padded) : padded;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
