// The gitleaks files a scan honours, and what they allow in each file. gitleaks reads
// `.gitleaks.toml` (its configuration: allowlists) and `.gitleaksignore` (fingerprints of findings
// a team acknowledged) at the root of what it scans; Orchard takes each at the folder it checks,
// else at the top of the git work tree that folder is in (a team's files cover the repository).
// Paths in them are relative to their own folder.
import * as path from 'node:path';
import { LIMITS, readRegularFile } from '../fsread';
import { allowFor, parseGitleaksConfig, parseGitleaksIgnore, type CredentialAllow, type GitleaksConfig } from '../parse/credentials';

export const GITLEAKS_FILE = '.gitleaks.toml';
export const GITLEAKS_IGNORE_FILE = '.gitleaksignore';

export interface LoadedGitleaks {
  /** The configuration and the folder its path patterns are relative to. */
  config?: { dir: string; config: GitleaksConfig };
  /** `.gitleaksignore`'s lines by path from its folder. */
  ignore?: { dir: string; lines: Map<string, number[]> };
}

/** The folders gitleaks files for `root` may be in, nearest first (the git top's when it is above the root). */
function folders(root: string, top: string | undefined): string[] {
  return top && top !== root && root.startsWith(top + path.sep) ? [root, top] : [root];
}

/** Every path a gitleaks file for `root` may have (a warm check is not trusted once one changes). */
export function gitleaksCandidates(root: string, top: string | undefined): string[] {
  return folders(root, top).flatMap((d) => [path.join(d, GITLEAKS_FILE), path.join(d, GITLEAKS_IGNORE_FILE)]);
}

/**
 * The gitleaks files for a scan of `root`, or undefined when there are none (or none readable: a
 * FIFO, a folder, too large — a configuration's errors, when it is read, are its own diagnostics).
 */
export async function loadGitleaks(root: string, top: string | undefined, read: (file: string) => Promise<string | undefined> = readText): Promise<LoadedGitleaks | undefined> {
  const out: LoadedGitleaks = {};
  for (const dir of folders(root, top)) {
    if (!out.config) {
      const text = await read(path.join(dir, GITLEAKS_FILE));
      if (text !== undefined) out.config = { dir, config: parseGitleaksConfig(text).config };
    }
    if (!out.ignore) {
      const text = await read(path.join(dir, GITLEAKS_IGNORE_FILE));
      if (text !== undefined) out.ignore = { dir, lines: parseGitleaksIgnore(text) };
    }
  }
  return out.config || out.ignore ? out : undefined;
}

async function readText(file: string): Promise<string | undefined> {
  const r = await readRegularFile(file, { maxBytes: LIMITS.configFile });
  return r.ok ? r.text : undefined;
}

/** `file` from `dir` with `/` separators, or undefined when it is not inside. */
function relative(dir: string, file: string): string | undefined {
  const rel = path.relative(dir, file);
  if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/**
 * What the gitleaks files allow in `file`: 'skip' (an allowlist's paths cover the file: not
 * scanned), the allowlist entries and acknowledged lines to match each candidate against, or
 * undefined (nothing applies).
 */
export function gitleaksAllowFor(g: LoadedGitleaks | undefined, file: string): CredentialAllow | 'skip' | undefined {
  if (!g) return undefined;
  const ignoreRel = g.ignore && relative(g.ignore.dir, file);
  const lines = ignoreRel === undefined ? undefined : g.ignore!.lines.get(ignoreRel);
  const configRel = g.config && relative(g.config.dir, file);
  if (configRel === undefined) return lines ? { entries: [], lines: [...lines] } : undefined;
  return allowFor(g.config!.config, configRel, lines);
}
