// The one walk of a workspace folder: which files Orchard reads, which of them git ignores, and
// what git tracks. `.gitignore` files (the walked tree's, its ancestors' up to the work tree top,
// and `.git/info/exclude`) and the user's exclude globs are honoured: an ignored folder is not
// entered; an ignored file of a kind that feeds the model (a local `.env`, a charm, compose) is
// still read, but is never scanned for credentials (a gitignored `.env` is where secrets belong).
import { promises as fsp, readdir, readdirSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { readRegularFile, readRegularFileSync } from '../fsread';
import { GitIgnore } from './gitignore';
import { gitTracked } from './git';
import { classifyEnvFile } from './files';

/** Folders never worth descending into. */
export const SKIP_DIRS = new Set([
  'node_modules', '.git', '.hg', '.svn', '.venv', 'venv', 'env', '__pycache__', '.tox', '.mypy_cache',
  '.pytest_cache', 'site-packages', 'dist', 'build', '.cache', '.yarn', '.e2e', '.idea', '.vscode-test', '.terraform', '.next', 'coverage',
  // Deployment tools' build output: copies of the code and templates (`sam build`, `serverless package`).
  '.aws-sam', '.serverless',
]);

const MAX_DEPTH = 25;
/** A runaway guard: a workspace with more candidate files than this is cut, with a notice. */
export const MAX_WALK_FILES = 200_000;

export interface WalkOptions {
  /** Whether a file is wanted by the Figgy side (by name or, for JSON, by glob). */
  wanted: (filePath: string) => boolean;
  /** User exclude globs (gitignore syntax), applied to folders and files. */
  exclude?: readonly string[];
  /** Look for the twelve-factor / credential kinds too (default true). */
  envFiles?: boolean;
  /**
   * List folders with synchronous calls (the CLI: nothing else to do; a folder listing through the
   * thread pool costs more than the listing). The language server keeps the default: listings
   * through the thread pool, several at a time (a slow or network disk is not waited on one folder
   * at a time, and requests are served meanwhile).
   */
  syncIo?: boolean;
}

export interface WalkResult {
  files: string[];
  /** Files among `files` that `.gitignore` or the exclude list covers. */
  ignored: Set<string>;
  /** Files git tracks under the root (undefined outside a work tree or without git). */
  tracked?: Set<string>;
  /** The top folder of the git work tree the root is in (undefined outside one). */
  top?: string;
  /** The walk stopped at MAX_WALK_FILES. */
  truncated: boolean;
  /**
   * What the listing depended on (synchronous walks of a folder only): every folder listed (or
   * refused) and every ignore file looked for. The same folders with the same stamps and the same
   * ignore files give the same result (`orchard check`'s warm cache replays it).
   */
  listed?: { top?: string; dirs: string[]; ignoreFiles: string[] };
}

async function addIgnoreFile(ig: GitIgnore, dir: string, file: string, listed?: WalkResult['listed']): Promise<void> {
  listed?.ignoreFiles.push(file);
  const r = await readRegularFile(file, { maxBytes: 1024 * 1024 });
  if (r.ok) ig.add(dir, r.text);
}

/**
 * The ignore files that apply to `p` (a folder, or a file) from the work tree `top` above it:
 * `.git/info/exclude`, and each `.gitignore` from `p`'s folder (`p` itself excluded) up to `top`.
 * As [folder the patterns apply from, file].
 */
function ignoreFilesAbove(p: string, top: string): [string, string][] {
  const out: [string, string][] = [[top, path.join(top, '.git', 'info', 'exclude')]];
  for (let d = p; d.startsWith(top) && d !== path.dirname(d); d = path.dirname(d)) {
    if (d !== p) out.push([d, path.join(d, '.gitignore')]);
    if (d === top) break;
  }
  return out;
}

/** Walks `root` (a folder, or a single file). Never throws. */
const WALK_CONCURRENCY = 32;

export async function walkWorkspace(root: string, opts: WalkOptions): Promise<WalkResult> {
  const abs = path.resolve(root);
  let ig = new GitIgnore();
  const envFiles = opts.envFiles !== false;
  const out: WalkResult = { files: [], ignored: new Set(), truncated: false };
  const st = await fsp.stat(abs).catch(() => undefined);
  const listed: WalkResult['listed'] = opts.syncIo && st?.isDirectory() ? { dirs: [], ignoreFiles: [] } : undefined;
  if (listed) out.listed = listed;
  const git = gitTracked(st?.isFile() ? path.dirname(abs) : abs);
  const top = git?.top;
  if (listed && top) listed.top = top;
  if (top) {
    // Ignore files above the walked folder still apply inside it.
    for (const [d, f] of ignoreFilesAbove(abs, top)) await addIgnoreFile(ig, d, f, listed);
    out.tracked = git.tracked;
    out.top = top;
  }
  // A folder opened (or checked) that an enclosing repository ignores (a build output, a cache, a
  // vendored copy): the user chose it, so that repository's rules do not hide it from itself.
  const rootDir = st?.isFile() ? path.dirname(abs) : abs;
  if (top && rootDir !== top && ig.ignores(`${rootDir}/`)) ig = new GitIgnore();
  // Git does not ignore what it tracks: a `.env` committed with `git add -f` although `.gitignore`
  // lists it is in the repository (its credentials are scanned), and so is a tracked file in an
  // ignored folder (`env.d/` ignored, `env.d/db` committed), whose folder is walked for it.
  const tracked = out.tracked;
  let trackedDirs: Set<string> | undefined;
  const holdsTracked = (dir: string): boolean => {
    if (!tracked) return false;
    if (!trackedDirs) {
      trackedDirs = new Set();
      for (const f of tracked) for (let d = path.dirname(f); d.length > 1 && !trackedDirs.has(d); d = path.dirname(d)) trackedDirs.add(d);
    }
    return trackedDirs.has(dir);
  };
  const consider = (p: string): void => {
    const figgy = opts.wanted(p);
    const kind = envFiles ? classifyEnvFile(p) : undefined;
    if (!figgy && !kind) return;
    const ignored = ig.ignores(p) && !tracked?.has(p);
    // Ignored code and CI files are generated or vendored: not read at all.
    if (ignored && !figgy && (kind === 'source' || kind === 'ci')) return;
    if (ignored) out.ignored.add(p);
    out.files.push(p);
  };
  // The user's excludes read like a .gitignore at the walked folder (after git's own, so they win).
  const excludeAt = st?.isFile() ? path.dirname(abs) : abs;
  if (opts.exclude?.length) ig.add(excludeAt, opts.exclude.join('\n'));
  if (st?.isFile()) {
    consider(abs);
    return out;
  }
  // One folder's entries: files considered, sub-folders not skipped or ignored handed to `descend`.
  const visit = (dir: string, entries: Dirent[], descend: (p: string) => void): void => {
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || (ig.ignores(`${p}/`) && !holdsTracked(p))) continue;
        descend(p);
      } else if (e.isFile()) {
        consider(p);
        if (out.files.length >= MAX_WALK_FILES) {
          out.truncated = true;
          break;
        }
      }
    }
  };
  // A folder's .gitignore applies to what is below it: read before descending.
  const hasIgnoreFile = (entries: Dirent[]) => entries.some((e) => e.name === '.gitignore' && e.isFile());
  if (opts.syncIo) {
    // Plain recursion: no promise per folder (a warm `orchard check` spent 170 ms of its 360 here).
    const walkSync = (dir: string, depth: number): void => {
      if (depth > MAX_DEPTH || out.truncated) return;
      let entries: Dirent[];
      listed?.dirs.push(dir);
      try {
        entries = readdirSync(dir, { withFileTypes: true });
        if (hasIgnoreFile(entries)) {
          listed?.ignoreFiles.push(path.join(dir, '.gitignore'));
          const r = readRegularFileSync(path.join(dir, '.gitignore'), { maxBytes: 1024 * 1024 });
          if (r.ok) ig.add(dir, r.text);
        }
      } catch {
        return;
      }
      visit(dir, entries, (p) => walkSync(p, depth + 1));
    };
    walkSync(abs, 0);
    out.files.sort();
    return out;
  }
  // Folders are listed WALK_CONCURRENCY at a time (one readdir after another left the disk idle),
  // through callbacks: a promise chain per folder cost more than the listing (a 6,000-folder tree:
  // 105-318 ms with fs.promises, 69-124 ms with callbacks). The files are sorted at the end, so the
  // result does not depend on which listing came first.
  await new Promise<void>((done) => {
    const pending: [dir: string, depth: number][] = [[abs, 0]];
    let active = 0;
    let finished = false;
    const pump = (): void => {
      while (active < WALK_CONCURRENCY && pending.length > 0 && !out.truncated) {
        const [dir, depth] = pending.pop()!;
        active++;
        const listed = (err: NodeJS.ErrnoException | null, entries: Dirent[]): void => {
          if (err) return settle();
          if (!hasIgnoreFile(entries)) return settle(dir, depth, entries);
          // A folder's .gitignore applies to what is below it: read before its entries are judged.
          addIgnoreFile(ig, dir, path.join(dir, '.gitignore')).then(
            () => settle(dir, depth, entries),
            () => settle(dir, depth, entries),
          );
        };
        try {
          readdir(dir, { withFileTypes: true }, listed);
        } catch (e) {
          // A path the call refuses outright (a NUL byte): as a folder that cannot be listed.
          queueMicrotask(() => listed(e as NodeJS.ErrnoException, []));
        }
      }
      if (active === 0 && !finished) {
        finished = true;
        done();
      }
    };
    const settle = (dir?: string, depth = 0, entries?: Dirent[]): void => {
      try {
        if (dir !== undefined && entries) {
          visit(dir, entries, (p) => {
            if (depth < MAX_DEPTH) pending.push([p, depth + 1]);
          });
        }
      } catch {
        // A folder that cannot be judged is left out, like one that cannot be listed.
      }
      active--;
      pump();
    };
    pump();
  });
  out.files.sort();
  return out;
}

/** What git says of a file: committed, covered by .gitignore, or neither (undefined outside a work tree). */
export function gitStatusOf(w: WalkResult, filePath: string): 'tracked' | 'ignored' | 'untracked' | undefined {
  if (!w.tracked) return undefined;
  if (w.tracked.has(filePath)) return 'tracked';
  return w.ignored.has(filePath) ? 'ignored' : 'untracked';
}

/**
 * Whether git (or the user's excludes) ignores a file under `root` the walk did not list, one a
 * compose `env_file` names (model/scan.ts), judged as walkWorkspace judges its files: the ignore
 * files above the root in its work tree (unless they ignore the root itself), the excludes, each
 * folder's `.gitignore` from the root down, a folder on the way ignored; what git tracks is never
 * ignored. Reads those few ignore files. Never throws.
 */
export function ignoredBeyondWalk(file: string, root: string, w: Pick<WalkResult, 'top' | 'tracked'>, exclude?: readonly string[]): boolean {
  if (w.tracked?.has(file)) return false;
  const dir = path.dirname(file);
  if (dir !== root && !dir.startsWith(`${root}${path.sep}`)) return false;
  let ig = new GitIgnore();
  const read = (d: string, f: string): void => {
    const r = readRegularFileSync(f, { maxBytes: 1024 * 1024 });
    if (r.ok) ig.add(d, r.text);
  };
  const top = w.top && (root === w.top || root.startsWith(`${w.top}${path.sep}`)) ? w.top : undefined;
  if (top) {
    for (const [d, f] of ignoreFilesAbove(root, top)) read(d, f);
    if (root !== top && ig.ignores(`${root}/`)) ig = new GitIgnore();
  }
  if (exclude?.length) ig.add(root, exclude.join('\n'));
  const below = path.relative(root, dir).split(path.sep).filter(Boolean);
  let d = root;
  for (let i = 0; ; i++) {
    if (d !== root && ig.ignores(`${d}/`)) return true;
    read(d, path.join(d, '.gitignore'));
    if (i === below.length) break;
    d = path.join(d, below[i]);
  }
  return ig.ignores(file);
}
