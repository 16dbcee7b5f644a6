// The gitleaks configuration a scan honours, and what it allows in each file. gitleaks reads
// `.gitleaks.toml` at the root of what it scans; Orchard takes the one at the folder it checks,
// else the one at the top of the git work tree that folder is in (a team's configuration covers
// its whole repository). Its path patterns are matched against paths from its own folder.
import * as path from 'node:path';
import { LIMITS, readRegularFile } from '../fsread';
import { allowFor, parseGitleaksConfig, type CredentialAllow, type GitleaksConfig } from '../parse/credentials';

export const GITLEAKS_FILE = '.gitleaks.toml';

export interface LoadedGitleaks {
  /** The folder holding the configuration: its path patterns are relative to it. */
  dir: string;
  file: string;
  config: GitleaksConfig;
}

/** Where a configuration for `root` may be, nearest first (the git top's when it is above the root). */
export function gitleaksCandidates(root: string, top: string | undefined): string[] {
  const out = [path.join(root, GITLEAKS_FILE)];
  if (top && top !== root && root.startsWith(top + path.sep)) out.push(path.join(top, GITLEAKS_FILE));
  return out;
}

/**
 * The configuration for a scan of `root`, or undefined when there is none (or none readable: a
 * FIFO, a folder, too large — its errors, when it is read, are the file's own diagnostics).
 */
export async function loadGitleaks(root: string, top: string | undefined, read: (file: string) => Promise<string | undefined> = readText): Promise<LoadedGitleaks | undefined> {
  for (const file of gitleaksCandidates(root, top)) {
    const text = await read(file);
    if (text === undefined) continue;
    const { config } = parseGitleaksConfig(text);
    return { dir: path.dirname(file), file, config };
  }
  return undefined;
}

async function readText(file: string): Promise<string | undefined> {
  const r = await readRegularFile(file, { maxBytes: LIMITS.configFile });
  return r.ok ? r.text : undefined;
}

/**
 * What the configuration allows in `file`: 'skip' (its paths cover the file: not scanned), the
 * entries still to match against each secret, or undefined (nothing; no configuration; a file
 * outside its folder).
 */
export function gitleaksAllowFor(g: LoadedGitleaks | undefined, file: string): CredentialAllow | 'skip' | undefined {
  if (!g || g.config.allowlists.length === 0) return undefined;
  const rel = path.relative(g.dir, file);
  if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) return undefined;
  return allowFor(g.config, rel.split(path.sep).join('/'));
}
