// A repository's gitleaks configuration (`.gitleaks.toml`): its global allowlists say which
// secrets, files and words the team already judged not to be leaks, and the credential scan honours
// them, so findings a project silenced for gitleaks are not raised again here.
//
// What is read (gitleaks v8): `[allowlist]` and each `[[allowlists]]` without `targetRules`, with
// `regexes` (matched against the secret, or with `regexTarget` the match or the whole line),
// `paths` (matched against the file's path from the configuration's folder), `stopwords` (a secret
// containing one, in any case) and `condition` ("OR" by default: any criterion allows; "AND":
// every criterion given must). `commits` (history) and allowlists of single gitleaks rules (whose
// detectors are not Orchard's) are not applied; `[extend]` is not followed.
//
// Patterns are Go regular expressions; they run on RE2's JavaScript port (linear time, the same
// syntax as gitleaks, `(?i)` included), so a repository's pattern cannot stall the scan. A pattern
// that does not compile allows nothing and is reported in its place. Pure: no file access.
import { createHash } from 'node:crypto';
import type { RE2JS } from 're2js';
import type { ParseError, Range } from '../types';
import { lineIndex } from '../text';

/**
 * The TOML reader and RE2, loaded the first time a configuration is read: the bundles keep them
 * (≈300 KB, RE2's Unicode tables built when it loads) uninitialised in a process that meets none.
 */
let toml: typeof import('smol-toml') | undefined;
let re2: typeof import('re2js') | undefined;
function tomlLib(): typeof import('smol-toml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (toml ??= require('smol-toml') as typeof import('smol-toml'));
}
function re2Lib(): typeof import('re2js')['RE2JS'] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (re2 ??= require('re2js') as typeof import('re2js')).RE2JS;
}

/** The name gitleaks reads its configuration from at the root of what it scans. */
export function isGitleaksConfigName(base: string): boolean {
  return base === '.gitleaks.toml';
}

/** One global allowlist, as plain data (it travels to parse workers and into parse-cache keys). */
export interface GitleaksAllowlist {
  regexes: string[];
  paths: string[];
  stopwords: string[];
  /** What `regexes` are matched against. */
  target: 'secret' | 'match' | 'line';
  /** `condition = "AND"`: every criterion given must hold. */
  all: boolean;
}

export interface GitleaksConfig {
  allowlists: GitleaksAllowlist[];
}

/** What of the allowlists applies to one file, after its path was matched (plain data). */
export interface CredentialAllow {
  entries: { regexes: string[]; stopwords: string[]; target: GitleaksAllowlist['target']; all: boolean }[];
  /** Lines (1-based) a `.gitleaksignore` acknowledges in this file: nothing on them is reported. */
  lines?: number[];
  /** SHA-1s (hex) of the secrets a detect-secrets baseline lists as reviewed in this file (detectSecrets.ts). */
  hashes?: string[];
}

/** Larger configurations are not read (real ones are a few KiB). */
export const MAX_GITLEAKS_CHARS = 1024 * 1024;
export const MAX_PATTERNS = 2000;
export const MAX_PATTERN_CHARS = 4096;
/** A line longer than this is matched on its first part only (a minified bundle's line). */
const MAX_LINE_CHARS = 64 * 1024;

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Reads a `.gitleaks.toml`. Never throws: a file it cannot read allows nothing and says why. */
export function parseGitleaksConfig(text: string): { config: GitleaksConfig; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const config: GitleaksConfig = { allowlists: [] };
  const warn = (message: string, range: Range = ZERO) => errors.push({ code: 'gitleaks-config', severity: 'warning', message, range });
  if (text.length > MAX_GITLEAKS_CHARS) {
    warn(`not read: ${(text.length / 1024 / 1024).toFixed(1)} M characters is above the ${MAX_GITLEAKS_CHARS / 1024 / 1024} M limit; its allowlist is not applied`);
    return { config, errors };
  }
  let doc: Record<string, unknown>;
  const { parse: parseToml, TomlError } = tomlLib();
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (e) {
    const at = e instanceof TomlError ? { line: Math.max(0, e.line - 1), character: Math.max(0, e.column - 1) } : ZERO.start;
    // (Its first line only: the rest quotes the file's text, which may hold the secrets it lists.)
    const why = e instanceof Error ? e.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '').slice(0, 160) : 'invalid TOML';
    warn(`not valid TOML (${why}): its allowlist is not applied`, { start: at, end: at });
    return { config, errors };
  }
  const idx = lineIndex(text);
  // Where a pattern is written, for its error (the first place its text appears).
  const placeOf = (s: string): Range => {
    const at = s ? text.indexOf(s) : -1;
    return at < 0 ? ZERO : idx.rangeAt(at, s.length);
  };
  const tables: unknown[] = [];
  if (isTable(doc.allowlist)) tables.push(doc.allowlist);
  if (Array.isArray(doc.allowlists)) tables.push(...doc.allowlists);
  const budget = patternBudget((p) => warn(`more than ${MAX_PATTERNS} patterns: the rest are not applied`, placeOf(p)));
  for (const t of tables) {
    if (!isTable(t)) continue;
    if (Array.isArray(t.targetRules) && t.targetRules.length > 0) continue;
    // The patterns RE2 compiles, each bad one said in its place.
    const valid = (list: unknown, what: string): string[] =>
      budget(strings(list), (p, why, tooLong) =>
        warn(tooLong ? `this ${what} pattern is ${p.length} characters long (limit ${MAX_PATTERN_CHARS}): it allows nothing` : `this ${what} pattern is not a valid regular expression (${why}): it allows nothing`, placeOf(tooLong ? p.slice(0, 64) : p)),
      );
    const target = t.regexTarget === 'match' || t.regexTarget === 'line' ? t.regexTarget : 'secret';
    const entry: GitleaksAllowlist = {
      regexes: valid(t.regexes, 'allowlist'),
      paths: valid(t.paths, 'path'),
      stopwords: strings(t.stopwords).filter((w) => w.length > 0).map((w) => w.toLowerCase()),
      target,
      all: typeof t.condition === 'string' && t.condition.toUpperCase() === 'AND',
    };
    if (entry.regexes.length || entry.paths.length || entry.stopwords.length) config.allowlists.push(entry);
  }
  return { config, errors };
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * One file's pattern budget (MAX_PATTERNS patterns of at most MAX_PATTERN_CHARS characters, across
 * its lists): each call keeps the patterns RE2 compiles; a refused one goes to `bad` (why RE2
 * refused it, or that it is too long); `over` is told once, of the first pattern past the budget.
 */
export function patternBudget(over: (first: string) => void): (list: readonly string[], bad: (p: string, why: string, tooLong: boolean) => void) => string[] {
  let n = 0;
  return (list, bad) => {
    const out: string[] = [];
    for (const p of list) {
      if (++n > MAX_PATTERNS) {
        if (n === MAX_PATTERNS + 1) over(p);
        break;
      }
      const tooLong = p.length > MAX_PATTERN_CHARS;
      const why = tooLong ? `${p.length} characters long, limit ${MAX_PATTERN_CHARS}` : patternError(p);
      if (why === undefined) out.push(p);
      else bad(p, why, tooLong);
    }
    return out;
  };
}

/** Compiled patterns, shared by every file's scan (a repository has a handful). */
const compiledCache = new Map<string, RE2JS | null>();

function compiled(pattern: string): RE2JS | null {
  let r = compiledCache.get(pattern);
  if (r === undefined) {
    try {
      r = re2Lib().compile(pattern);
    } catch {
      r = null;
    }
    if (compiledCache.size > 4 * MAX_PATTERNS) compiledCache.clear();
    compiledCache.set(pattern, r);
  }
  return r;
}

/** Why RE2 cannot compile a pattern (never quoting it), or undefined when it can. */
export function patternError(pattern: string): string | undefined {
  try {
    compiledCache.set(pattern, re2Lib().compile(pattern));
    return undefined;
  } catch (e) {
    compiledCache.set(pattern, null);
    // (RE2 calls a look-behind an "invalid named capture": said plainly.)
    if (/\(\?<?[=!]/.test(pattern)) return 'look-around, which RE2 does not support';
    // (RE2 quotes the offending part of the pattern, and a pattern may be a secret's text: not shown.)
    return e instanceof Error ? e.message.replace(/^error parsing regexp:\s*/, '').replace(/:?\s*`[\s\S]*$/, '').slice(0, 120) : 'invalid';
  }
}

function finds(pattern: string, s: string): boolean {
  return compiled(pattern)?.matcher(s).find() ?? false;
}

/**
 * What the configuration allows in the file at `relPath` (from the configuration's folder, `/`
 * separators): 'skip' when an allowlist's paths cover the whole file, else the entries whose
 * secrets, matches or lines may still be allowed (undefined: none).
 */
export function allowFor(config: GitleaksConfig, relPath: string): CredentialAllow | 'skip' | undefined {
  const entries: CredentialAllow['entries'] = [];
  for (const a of config.allowlists) {
    const pathHit = a.paths.length > 0 && a.paths.some((p) => finds(p, relPath));
    const rest = a.regexes.length > 0 || a.stopwords.length > 0;
    if (a.all) {
      if (a.paths.length > 0 && !pathHit) continue;
      if (!rest) return 'skip';
    } else {
      if (pathHit) return 'skip';
      if (!rest) continue;
    }
    entries.push({ regexes: a.regexes, stopwords: a.stopwords, target: a.target, all: a.all });
  }
  return entries.length ? { entries } : undefined;
}

/**
 * A `.gitleaksignore`: the findings a team acknowledged, one fingerprint a line. Only the work
 * tree's form, `file:rule:line` (what `gitleaks dir` writes), is taken, by file and line — gitleaks'
 * rule ids are not Orchard's detectors; the history form (`commit:file:rule:line`) names a commit's
 * content, not the work tree's, and is left out. Returns each file's lines (paths as written).
 */
export function parseGitleaksIgnore(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (text.length > MAX_GITLEAKS_CHARS) return out;
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (!l || l.startsWith('#')) continue;
    const m = /^(.+):[^:\s]+:(\d+)$/.exec(l);
    if (!m || /^[0-9a-f]{40}:/.test(l)) continue;
    const file = m[1].replace(/^\.\//, '');
    const line = Number(m[2]);
    if (!(line > 0)) continue;
    const list = out.get(file) ?? [];
    list.push(line);
    out.set(file, list);
  }
  return out;
}

/**
 * Whether an allowlist entry allows this secret, `.gitleaksignore` its line (`lineNo`, 1-based) or
 * a detect-secrets baseline its SHA-1.
 * `match`: the text the finding covers with its name (`password = "…"`); `line`: its whole line.
 */
export function allowsSecret(allow: CredentialAllow, secret: string, match: () => string, line: () => string, lineNo?: number): boolean {
  if (lineNo !== undefined && allow.lines?.includes(lineNo)) return true;
  if (allow.hashes?.length && allow.hashes.includes(createHash('sha1').update(secret, 'utf8').digest('hex'))) return true;
  const lower = secret.toLowerCase();
  for (const e of allow.entries) {
    const target = e.target === 'secret' ? secret : e.target === 'match' ? match() : line().slice(0, MAX_LINE_CHARS);
    const byRegex = e.regexes.length > 0 ? e.regexes.some((p) => finds(p, target)) : undefined;
    const byWord = e.stopwords.length > 0 ? e.stopwords.some((w) => lower.includes(w)) : undefined;
    if (e.all ? byRegex !== false && byWord !== false : byRegex === true || byWord === true) return true;
  }
  return false;
}
