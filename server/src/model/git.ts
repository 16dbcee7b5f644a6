// What git knows about files that matter for secrets: tracked or not, and what is staged for the
// next commit. The only model-layer code besides scan.ts that does I/O: it runs `git` with a time
// budget and never throws (outside a work tree, or without git, the answers are "unknown").
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const GIT_TIMEOUT_MS = 5000;
const MAX_OUTPUT = 64 * 1024 * 1024;

function git(cwd: string, args: string[]): Buffer | undefined {
  try {
    const r = spawnSync('git', args, { cwd, timeout: GIT_TIMEOUT_MS, maxBuffer: MAX_OUTPUT, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
    if (r.status !== 0 || !r.stdout) return undefined;
    return r.stdout;
  } catch {
    return undefined;
  }
}

/**
 * False when git cannot find a work tree from `dir`: no `.git` (folder or file) in it or any folder
 * above, and no GIT_DIR / GIT_WORK_TREE. Saves starting git (about 12 ms) outside repositories.
 */
function mayBeInWorkTree(dir: string): boolean {
  if (process.env.GIT_DIR || process.env.GIT_WORK_TREE) return true;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, '.git'))) return true;
    if (d === path.dirname(d)) return false;
  }
}

/** The top folder of the work tree holding `dir`, or undefined outside one. */
export function workTreeRoot(dir: string): string | undefined {
  if (!mayBeInWorkTree(dir)) return undefined;
  const out = git(dir, ['rev-parse', '--show-toplevel']);
  const top = out?.toString('utf8').trim();
  return top ? path.resolve(top) : undefined;
}

/** Absolute paths of every file git tracks in the work tree whose top folder is `top`. */
export function trackedUnder(top: string): Set<string> | undefined {
  const out = git(top, ['ls-files', '-z', '--full-name']);
  if (!out) return undefined;
  const set = new Set<string>();
  for (const rel of out.toString('utf8').split('\0')) if (rel) set.add(path.join(top, rel));
  return set;
}

/** Files git tracks in the work tree holding `dir` (a folder, or a file's folder); undefined outside one. */
export function gitTracked(dir: string): { top: string; tracked?: Set<string> } | undefined {
  const top = workTreeRoot(dir);
  return top ? { top, tracked: trackedUnder(top) } : undefined;
}

/** Files staged for the next commit (added, copied, modified, renamed), absolute, with their staged content. */
export function stagedFiles(dir: string): { root: string; files: { path: string; content: Buffer }[] } | undefined {
  const top = workTreeRoot(dir);
  if (!top) return undefined;
  const list = git(top, ['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR']);
  if (!list) return { root: top, files: [] };
  const files: { path: string; content: Buffer }[] = [];
  for (const rel of list.toString('utf8').split('\0')) {
    if (!rel) continue;
    // `:path` is the index (staged) version, which is what the commit will hold.
    const content = git(top, ['show', `:${rel}`]);
    if (content) files.push({ path: path.join(top, rel), content });
  }
  return { root: top, files };
}
