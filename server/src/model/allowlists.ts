// What other secret scanners' files say a team already judged, honoured by the credential scan:
// gitleaks' configuration (`.gitleaks.toml`: allowlists) and `.gitleaksignore` (acknowledged
// findings), detect-secrets' baseline (`.secrets.baseline`: reviewed secrets and exclusions),
// GitGuardian's `.gitguardian.yaml` (ignored paths and secrets) and GitHub's
// `.github/secret_scanning.yml` (ignored paths).
// Each is taken from the folder checked, else from the top of the git work tree that folder is in
// (a team's files cover its repository); paths in them are relative to their own folder.
import * as path from 'node:path';
import { LIMITS, readRegularFile } from '../fsread';
import { allowFor, GITHUB_SECRET_SCANNING_FILE, isGithubSecretScanningPath, parseGgshieldConfig, parseGithubSecretScanning, parseGitleaksConfig, parseGitleaksIgnore, parseSecretsBaseline, type CredentialAllow, type GitleaksConfig } from '../parse/credentials';

export const GITLEAKS_FILE = '.gitleaks.toml';
export const GITLEAKS_IGNORE_FILE = '.gitleaksignore';
export const SECRETS_BASELINE_FILE = '.secrets.baseline';
/** ggshield's local configuration names, in the order it prefers them. */
const GGSHIELD_FILES = ['.gitguardian.yaml', '.gitguardian.yml', 'gitguardian.yaml', 'gitguardian.yml'];
/** The names of the files read at a folder (GitHub's sits in its `.github/`: GITHUB_SECRET_SCANNING_FILE). */
export const ALLOWLIST_FILE_NAMES: readonly string[] = [GITLEAKS_FILE, GITLEAKS_IGNORE_FILE, SECRETS_BASELINE_FILE, ...GGSHIELD_FILES];
const FILES = [...ALLOWLIST_FILE_NAMES, GITHUB_SECRET_SCANNING_FILE];

/** Whether a path or uri is one of these files (a change of one decides other files' scans: the server rescans). */
export function isAllowlistFile(p: string): boolean {
  const norm = p.replace(/\\/g, '/');
  return ALLOWLIST_FILE_NAMES.includes(norm.slice(norm.lastIndexOf('/') + 1)) || isGithubSecretScanningPath(norm);
}

export interface Allowlists {
  /** gitleaks' configuration and the folder its path patterns are relative to. */
  gitleaks?: { dir: string; config: GitleaksConfig };
  /** `.gitleaksignore`'s lines by path from its folder. */
  ignore?: { dir: string; lines: Map<string, number[]> };
  /** detect-secrets' exclusions (as allowlists) and reviewed secrets by path from its folder. */
  baseline?: { dir: string; config: GitleaksConfig; hashes: Map<string, string[]> };
  /** ggshield's ignored paths (as an allowlist) and ignored secrets (anywhere). */
  ggshield?: { dir: string; config: GitleaksConfig; hashes: string[] };
  /** GitHub secret scanning's `paths-ignore` (as an allowlist), from the repository's root. */
  github?: { dir: string; config: GitleaksConfig };
}

/** The folders the files for `root` may be in, nearest first (the git top's when it is above the root). */
function folders(root: string, top: string | undefined): string[] {
  return top && top !== root && root.startsWith(top + path.sep) ? [root, top] : [root];
}

/** Every path such a file for `root` may have (a warm check is not trusted once one changes). */
export function allowlistCandidates(root: string, top: string | undefined): string[] {
  return folders(root, top).flatMap((d) => FILES.map((f) => path.join(d, f)));
}

/**
 * The scanners' files for a scan of `root`, or undefined when there are none (or none readable: a
 * FIFO, a folder, too large — their errors, when they are read, are their own diagnostics).
 */
export async function loadAllowlists(root: string, top: string | undefined, read: (file: string) => Promise<string | undefined> = readText): Promise<Allowlists | undefined> {
  const out: Allowlists = {};
  for (const dir of folders(root, top)) {
    const text = (f: string) => read(path.join(dir, f));
    if (!out.gitleaks) {
      const t = await text(GITLEAKS_FILE);
      if (t !== undefined) out.gitleaks = { dir, config: parseGitleaksConfig(t).config };
    }
    if (!out.ignore) {
      const t = await text(GITLEAKS_IGNORE_FILE);
      if (t !== undefined) out.ignore = { dir, lines: parseGitleaksIgnore(t) };
    }
    if (!out.baseline) {
      const t = await text(SECRETS_BASELINE_FILE);
      if (t !== undefined) out.baseline = { dir, ...parseSecretsBaseline(t).baseline };
    }
    for (const name of out.ggshield ? [] : GGSHIELD_FILES) {
      const t = await text(name);
      if (t === undefined) continue;
      out.ggshield = { dir, ...parseGgshieldConfig(t).config };
      break;
    }
    if (!out.github) {
      const t = await text(GITHUB_SECRET_SCANNING_FILE);
      if (t !== undefined) out.github = { dir, config: parseGithubSecretScanning(t).config };
    }
  }
  return out.gitleaks || out.ignore || out.baseline || out.ggshield || out.github ? out : undefined;
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
 * What the files allow in `file`: 'skip' (an allowlist's or an exclusion's paths cover the file:
 * not scanned), the entries, acknowledged lines and reviewed secrets to match each candidate
 * against, or undefined (nothing applies).
 */
export function allowlistsFor(a: Allowlists | undefined, file: string): CredentialAllow | 'skip' | undefined {
  if (!a) return undefined;
  const ignoreRel = a.ignore && relative(a.ignore.dir, file);
  const lines = ignoreRel === undefined ? undefined : a.ignore!.lines.get(ignoreRel);
  const gRel = a.gitleaks && relative(a.gitleaks.dir, file);
  const fromGitleaks = gRel === undefined ? undefined : allowFor(a.gitleaks!.config, gRel);
  const bRel = a.baseline && relative(a.baseline.dir, file);
  const fromBaseline = bRel === undefined ? undefined : allowFor(a.baseline!.config, bRel);
  const ggRel = a.ggshield && relative(a.ggshield.dir, file);
  const fromGgshield = ggRel === undefined ? undefined : allowFor(a.ggshield!.config, ggRel);
  const ghRel = a.github && relative(a.github.dir, file);
  if (ghRel !== undefined && allowFor(a.github!.config, ghRel) === 'skip') return 'skip';
  if (fromGitleaks === 'skip' || fromBaseline === 'skip' || fromGgshield === 'skip') return 'skip';
  const hashes = [...((bRel !== undefined && a.baseline!.hashes.get(bRel)) || []), ...(ggRel !== undefined ? a.ggshield!.hashes : [])];
  const entries = [...(fromGitleaks?.entries ?? []), ...(fromBaseline?.entries ?? [])];
  if (!entries.length && !lines && !hashes.length) return undefined;
  return { entries, ...(lines ? { lines: [...lines] } : {}), ...(hashes.length ? { hashes } : {}) };
}
