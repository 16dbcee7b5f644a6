// A repository's GitHub secret scanning configuration (`.github/secret_scanning.yml`): the paths its
// team excluded from GitHub's secret scanning alerts. The credential scan leaves the same files out,
// as it honours gitleaks', detect-secrets' and GitGuardian's files (gitleaks.ts).
//
// `paths-ignore` patterns are GitHub Actions filter patterns over the path from the repository's
// root: `*` any characters but `/`, `**` any characters, `?` / `+` zero-or-one / one-or-more of the
// character before, `[…]` a class. A pattern starting with `!` re-includes paths; Orchard does not
// combine inclusions and exclusions, so a file with one applies nothing and says so (reporting
// more rather than hiding what the team meant to keep). Pure: no file access.
import type { ParseError, Range } from '../types';
import { yamlConfigValue } from '../yaml';
import { patternError, type GitleaksConfig } from './gitleaks';

/** Where GitHub reads it, from the repository's root. */
export const GITHUB_SECRET_SCANNING_FILE = '.github/secret_scanning.yml';

/** Whether a path or uri is a GitHub secret scanning configuration. */
export function isGithubSecretScanningPath(p: string): boolean {
  return /(?:^|[\\/])\.github[\\/]secret_scanning\.ya?ml$/.test(p);
}

const ESCAPE = new Set('.^$(){}|\\'.split(''));
const MAX_PATTERNS = 5000;
const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** A GitHub Actions filter pattern as an RE2 expression over the whole path. */
export function actionsPatternToRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end > i + 1) {
        out += pattern.slice(i, end + 1).replace(/\\/g, '\\\\');
        i = end;
      } else out += '\\[';
    } else out += ESCAPE.has(c) ? `\\${c}` : c;
  }
  return `^${out}$`;
}

/** Reads a `.github/secret_scanning.yml`. Never throws: what it cannot read allows nothing and says why. */
export function parseGithubSecretScanning(text: string): { config: GitleaksConfig; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const config: GitleaksConfig = { allowlists: [] };
  const say = (message: string, severity: ParseError['severity'] = 'warning', range: Range = ZERO) => errors.push({ code: 'secret-scanning-config', severity, message, range });
  const y = yamlConfigValue(text);
  if ('unreadable' in y) {
    say(`${y.unreadable}: its paths-ignore is not applied`, 'warning', { start: y.at, end: y.at });
    return { config, errors };
  }
  const js = y.value;
  const list = typeof js === 'object' && js !== null && !Array.isArray(js) ? (js as Record<string, unknown>)['paths-ignore'] : undefined;
  const patterns = (Array.isArray(list) ? list : []).filter((p): p is string => typeof p === 'string' && p.length > 0 && p.length <= 4096).slice(0, MAX_PATTERNS);
  const negated = patterns.find((p) => p.startsWith('!'));
  if (negated) {
    const at = text.indexOf(negated);
    say("paths-ignore re-includes paths with '!', which Orchard does not combine with the exclusions: none of them is applied", 'info', at < 0 ? ZERO : y.index.rangeAt(at, negated.length));
    return { config, errors };
  }
  const paths: string[] = [];
  for (const p of patterns) {
    const re = actionsPatternToRegex(p);
    if (patternError(re) === undefined) paths.push(re);
    else {
      const at = text.indexOf(p);
      say('this paths-ignore pattern cannot be read as a filter pattern: it is not applied', 'warning', at < 0 ? ZERO : y.index.rangeAt(at, p.length));
    }
  }
  if (paths.length) config.allowlists.push({ paths, regexes: [], stopwords: [], target: 'secret', all: false });
  return { config, errors };
}
