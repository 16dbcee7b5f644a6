// A repository's GitGuardian configuration (`.gitguardian.yaml`, ggshield): the paths its team
// excluded from secret scanning and the secrets it ignored. The credential scan honours what it can
// match, as it honours gitleaks' and detect-secrets' files (gitleaks.ts, detectSecrets.ts).
//
// What is read: `secret.ignored_paths` (v2) or `paths-ignore` (v1), globs from the configuration's
// folder; `secret.ignored_matches` (v2) or `matches-ignore` (v1) whose `match` is the secret
// itself. An entry whose `match` is ggshield's SHA-256 cannot be matched — ggshield hashes the
// secret with the names of its own detector's parts, which Orchard's detectors do not have — and
// is said once, as a note. `ignored_detectors` name GitGuardian's detectors and are not applied.
// Pure: no file access.
import { createHash } from 'node:crypto';
import type { ParseError, Range } from '../types';
import { yamlConfigValue } from '../yaml';
import type { GitleaksConfig } from './gitleaks';

/** The names ggshield reads its local configuration from. */
export function isGgshieldConfigName(base: string): boolean {
  return /^\.?gitguardian\.ya?ml$/.test(base);
}

export interface GgshieldConfig {
  /** `ignored_paths` as an allowlist of path regexes (globToRegex). */
  config: GitleaksConfig;
  /** SHA-1s (hex) of the secrets `ignored_matches` gives in clear (matched like detect-secrets' hashes). */
  hashes: string[];
}

const SPECIAL = new Set('.^$+{}()[]\\|'.split(''));

/**
 * An `ignored_paths` glob as a regular expression over a path from the configuration's folder, as
 * ggshield reads them: a pattern not starting with `/` may start at any folder; one ending with `/`
 * covers everything below; `**` (with its slash) spans folders, `*` and `?` do not.
 */
export function globToRegex(glob: string): string {
  let out = '';
  let i = glob.startsWith('/') ? 1 : 0;
  while (i < glob.length) {
    const c = glob[i];
    if (glob.startsWith('**/', i)) {
      out += '(?:[^/]+/)*';
      i += 3;
    } else if (glob.startsWith('**', i)) {
      out += '.*';
      i += 2;
    } else if (c === '*') {
      out += '[^/]*';
      i++;
    } else if (c === '?') {
      out += '[^/]';
      i++;
    } else {
      out += SPECIAL.has(c) ? `\\${c}` : c;
      i++;
    }
  }
  return `${glob.startsWith('/') ? '^' : '(?:^|/)'}${out}${glob.endsWith('/') ? '' : '$'}`;
}

const MAX_ENTRIES = 5000;
const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Reads a `.gitguardian.yaml`. Never throws: what it cannot read allows nothing and says why. */
export function parseGgshieldConfig(text: string): { config: GgshieldConfig; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const config: GgshieldConfig = { config: { allowlists: [] }, hashes: [] };
  const say = (message: string, severity: ParseError['severity'] = 'warning', range: Range = ZERO) => errors.push({ code: 'ggshield-config', severity, message, range });
  const y = yamlConfigValue(text);
  if ('unreadable' in y) {
    say(`${y.unreadable}: its ignored paths and secrets are not applied`, 'warning', { start: y.at, end: y.at });
    return { config, errors };
  }
  const js = y.value;
  if (js === null || js === undefined) return { config, errors };
  if (!isObject(js)) {
    say('not a ggshield configuration (a YAML mapping): not applied');
    return { config, errors };
  }
  const secret = isObject(js.secret) ? js.secret : {};
  const paths = [...strings(secret.ignored_paths), ...strings(js['paths-ignore'])];
  const matches = [...list(secret.ignored_matches), ...list(js['matches-ignore'])];
  const globs = paths.filter((g) => g.length > 0 && g.length <= 4096).slice(0, MAX_ENTRIES);
  if (globs.length) config.config.allowlists.push({ paths: globs.map(globToRegex), regexes: [], stopwords: [], target: 'secret', all: false });
  let hashed = 0;
  let firstHashed: string | undefined;
  for (const m of matches.slice(0, MAX_ENTRIES)) {
    const value = typeof m === 'string' ? m : isObject(m) && typeof m.match === 'string' ? m.match : undefined;
    if (!value) continue;
    if (/^[0-9a-f]{64}$/.test(value)) {
      hashed++;
      firstHashed ??= value;
      continue;
    }
    config.hashes.push(createHash('sha1').update(value, 'utf8').digest('hex'));
  }
  if (hashed > 0) {
    const at = text.indexOf(firstHashed!);
    const range = at < 0 ? ZERO : y.index.rangeAt(at, firstHashed!.length);
    say(`${hashed} ignored match(es) given as ggshield's SHA-256 cannot be matched (ggshield hashes the secret with its own detector's part names): Orchard reports those secrets (an "orchard: allow" marker on the line, or the value itself when it is not a secret, is honoured)`, 'info', range);
  }
  return { config, errors };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function strings(v: unknown): string[] {
  return list(v).filter((x): x is string => typeof x === 'string');
}
