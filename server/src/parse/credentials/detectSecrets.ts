// A repository's detect-secrets baseline (`.secrets.baseline`, Yelp's detect-secrets): the secrets
// its team already reviewed, by file and SHA-1, and the files, lines and secrets it told the tool
// to leave out. The credential scan honours it as it honours a gitleaks configuration (gitleaks.ts),
// so a project that audited its findings there does not meet them again.
//
// What is read: `results` (per file, each entry's `hashed_secret`; one audited as a real secret,
// `is_secret: true`, is still reported — it is a leak), and the exclusions, both as filters
// (`filters_used`: `…regex.should_exclude_file`, `…should_exclude_line`, `…should_exclude_secret`,
// each a list of `pattern`s) and in the older `exclude: {files, lines}` form. Patterns are Python
// regular expressions matched with `re.search`; they run on RE2 (gitleaks.ts), and one RE2 cannot
// compile allows nothing and is reported. Pure: no file access.
import type { ParseError, Range } from '../types';
import { lineIndex } from '../text';
import { MAX_PATTERNS, patternBudget, type GitleaksAllowlist, type GitleaksConfig } from './gitleaks';

/** The name detect-secrets gives its baseline (`detect-secrets scan > .secrets.baseline`). */
export function isSecretsBaselineName(base: string): boolean {
  return base === '.secrets.baseline';
}

export interface SecretsBaseline {
  /** The exclusions, as allowlists: files (paths), lines and secrets (regexes). */
  config: GitleaksConfig;
  /** The reviewed secrets' SHA-1s (hex) by path from the baseline's folder. */
  hashes: Map<string, string[]>;
}

/** Larger baselines are not read. */
export const MAX_BASELINE_CHARS = 2 * 1024 * 1024;
const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Reads a `.secrets.baseline`. Never throws: what it cannot read allows nothing and says why. */
export function parseSecretsBaseline(text: string): { baseline: SecretsBaseline; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const baseline: SecretsBaseline = { config: { allowlists: [] }, hashes: new Map() };
  const warn = (message: string, range: Range = ZERO) => errors.push({ code: 'secrets-baseline', severity: 'warning', message, range });
  if (text.length > MAX_BASELINE_CHARS) {
    warn(`not read: ${(text.length / 1024 / 1024).toFixed(1)} M characters is above the ${MAX_BASELINE_CHARS / 1024 / 1024} M limit; the secrets it lists are reported`);
    return { baseline, errors };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // (Only where: the parser's message quotes the text, which may hold a secret.)
    const at = e instanceof Error ? Number(/position (\d+)/.exec(e.message)?.[1] ?? NaN) : NaN;
    const pos = Number.isFinite(at) ? lineIndex(text).positionAt(at) : ZERO.start;
    warn('not valid JSON: the secrets it lists and its exclusions are not applied', { start: pos, end: pos });
    return { baseline, errors };
  }
  if (!isObject(doc)) {
    warn('not a detect-secrets baseline (a JSON object with "results"): not applied');
    return { baseline, errors };
  }
  const files: string[] = [];
  const lines: string[] = [];
  const secrets: string[] = [];
  for (const f of Array.isArray(doc.filters_used) ? doc.filters_used : []) {
    if (!isObject(f) || typeof f.path !== 'string') continue;
    const list = typeof f.pattern === 'string' ? [f.pattern] : Array.isArray(f.pattern) ? f.pattern.filter((p): p is string => typeof p === 'string') : [];
    if (f.path.endsWith('.should_exclude_file')) files.push(...list);
    else if (f.path.endsWith('.should_exclude_line')) lines.push(...list);
    else if (f.path.endsWith('.should_exclude_secret')) secrets.push(...list);
  }
  if (isObject(doc.exclude)) {
    if (typeof doc.exclude.files === 'string' && doc.exclude.files) files.push(doc.exclude.files);
    if (typeof doc.exclude.lines === 'string' && doc.exclude.lines) lines.push(doc.exclude.lines);
  }
  const budget = patternBudget(() => warn(`more than ${MAX_PATTERNS} exclusion patterns: the rest are not applied`));
  const valid = (list: string[], what: string): string[] =>
    budget(list, (p, why) => warn(`an excluded-${what} pattern is not applied (${why}): what it would exclude is reported`, placeOf(text, p)));
  const add = (a: Partial<GitleaksAllowlist>) => {
    const entry: GitleaksAllowlist = { regexes: [], paths: [], stopwords: [], target: 'secret', all: false, ...a };
    if (entry.regexes.length || entry.paths.length) baseline.config.allowlists.push(entry);
  };
  add({ paths: valid(files, 'files') });
  add({ regexes: valid(lines, 'lines'), target: 'line' });
  add({ regexes: valid(secrets, 'secrets') });
  if (isObject(doc.results)) {
    for (const [file, list] of Object.entries(doc.results)) {
      if (!Array.isArray(list)) continue;
      const hashes = list
        .filter((r): r is Record<string, unknown> => isObject(r) && r.is_secret !== true && typeof r.hashed_secret === 'string' && /^[0-9a-f]{40}$/.test(r.hashed_secret))
        .map((r) => r.hashed_secret as string);
      if (hashes.length) baseline.hashes.set(file.replace(/^\.\//, ''), [...new Set(hashes)]);
    }
  }
  return { baseline, errors };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where a pattern is written (its JSON-escaped text's first place), for its warning. */
function placeOf(text: string, pattern: string): Range {
  const written = JSON.stringify(pattern).slice(1, -1);
  const at = text.indexOf(written);
  return at < 0 ? ZERO : lineIndex(text).rangeAt(at, written.length);
}
