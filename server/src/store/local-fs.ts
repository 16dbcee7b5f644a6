// File mechanics of the local store: atomic replace (through symbolic links), stray temp cleanup,
// the in-process write queue, folder and file modes. The cross-process lock is in lock.ts.
// Kept apart from the store logic so helpers (tests, a future `orchard store doctor`) share them.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { syncDir } from './crypto';
import { fileKind } from '../fsread';
import type { StoreFailure } from './types';

/** A lock whose holder cannot be judged (another host or pid namespace) and is untouched this long is stale. */
export const DEFAULT_LOCK_STALE_MS = 10_000;
/** How long a write waits for the lock: longer than the stale time, so a dead holder never makes it fail. */
export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

export function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** A file-system failure as a StoreFailure: what we tried, on what, and the errno code (never file contents). */
export function fsFailure(what: string, target: string, e: unknown): StoreFailure {
  const code = errCode(e) ?? 'error';
  const kind = code === 'EACCES' || code === 'EPERM' ? 'access-denied' : 'other';
  return { kind, message: `could not ${what} ${target} (${code})` };
}

/**
 * Why a store cannot be read when its folder is not there: a store is created explicitly
 * (`orchard store init`, a write, `orchard demo`), so a mistyped `--store` is never an empty store.
 */
export async function storeFolderProblem(dir: string): Promise<StoreFailure | undefined> {
  try {
    const st = await fsp.stat(dir);
    if (st.isDirectory()) return undefined;
    return { kind: 'other', message: `the local store ${dir} is not a folder` };
  } catch (e) {
    const code = errCode(e) ?? 'error';
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { kind: 'other', message: `there is no local store at ${dir} (the folder does not exist)`, hint: `orchard store init --store '${dir}'` };
    }
    return fsFailure('open the store folder', dir, e);
  }
}

export function lockPathFor(file: string): string {
  return `${file}.lock`;
}

/**
 * Where a write to `file` lands: the file itself, or, when it is a symbolic link, the link's target
 * (so the link stays a link). A dangling link or a link to something that is not a regular file is
 * refused with a message.
 */
export async function writeTarget(file: string): Promise<{ ok: true; path: string } | { ok: false; message: string }> {
  let st;
  try {
    st = await fsp.lstat(file);
  } catch (e) {
    return errCode(e) === 'ENOENT' ? { ok: true, path: file } : { ok: false, message: `cannot look at ${file} (${errCode(e) ?? 'error'})` };
  }
  if (st.isFile()) return { ok: true, path: file };
  if (!st.isSymbolicLink()) return { ok: false, message: `${file} is ${fileKind(st)}, not a regular file; Orchard will not replace it` };
  let real: string;
  try {
    real = await fsp.realpath(file);
  } catch (e) {
    return { ok: false, message: `${file} is a symbolic link to a missing file (${errCode(e) ?? 'error'}); fix or remove the link` };
  }
  const t = await fsp.stat(real).catch(() => undefined);
  if (!t?.isFile()) return { ok: false, message: `${file} links to ${real}, which is ${t ? fileKind(t) : 'missing'}; Orchard will not replace it` };
  return { ok: true, path: real };
}

/**
 * Group/other permission bits on something that holds secrets: tighten them and say so (`fix`), or
 * only say so (a folder Orchard may not own, e.g. a mistyped `--store .`).
 */
export async function tightenMode(p: string, wanted: number, what: string, warn: (m: string) => void, fix = true): Promise<void> {
  if (process.platform === 'win32') return;
  let st;
  try {
    st = await fsp.stat(p);
  } catch {
    return;
  }
  const mode = st.mode & 0o777;
  if ((mode & 0o077) === 0) return;
  const octal = (m: number) => `0${m.toString(8)}`;
  if (!fix) {
    warn(`${what} ${p} is accessible to other users (mode ${octal(mode)}); run: chmod ${octal(wanted).slice(1)} '${p}'`);
    return;
  }
  try {
    await fsp.chmod(p, wanted);
    warn(`${what} ${p} was accessible to other users (mode ${octal(mode)}); changed it to ${octal(wanted)}`);
  } catch (e) {
    warn(`${what} ${p} is accessible to other users (mode ${octal(mode)}) and could not be changed (${errCode(e) ?? 'error'}); run: chmod ${octal(wanted).slice(1)} '${p}'`);
  }
}

/** Temp names carry the writer's pid so a reader can tell a dead writer's leftovers from a live write. */
export function tempNameFor(env: string): string {
  return `.${env}.json.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

const TEMP_RE = /^\.(.+)\.json\.(\d+)\.[0-9a-f]+\.tmp$/;

export function parseTempName(name: string): { env: string; pid: number } | undefined {
  const m = TEMP_RE.exec(name);
  return m ? { env: m[1], pid: Number(m[2]) } : undefined;
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return errCode(e) !== 'ESRCH';
  }
}

/**
 * Removes this env's temp files. `onlyDead` (used without the lock) spares files whose writer may
 * still be running; under the lock no other writer can be mid-write, so every temp file is stray.
 */
export async function cleanTempFiles(dir: string, env: string, onlyDead: boolean): Promise<number> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const n of names) {
    const t = parseTempName(n);
    if (!t || t.env !== env) continue;
    if (onlyDead && pidAlive(t.pid)) continue;
    try {
      await fsp.unlink(path.join(dir, n));
      removed++;
    } catch {
      // Already gone (another process cleaned it): fine.
    }
  }
  return removed;
}

/** Write to a temp file in the same dir, fsync, rename over the target, fsync the dir. */
export async function atomicReplace(file: string, env: string, text: string, beforeRename?: () => string | undefined): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, tempNameFor(env));
  let renamed = false;
  try {
    const fh = await fsp.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    const veto = beforeRename?.();
    if (veto) throw Object.assign(new Error(veto), { code: 'ECOMPROMISED' });
    await fsp.rename(tmp, file);
    renamed = true;
    await syncDir(dir);
  } finally {
    if (!renamed) await fsp.unlink(tmp).catch(() => undefined);
  }
}

// In-process queue per file: writers in one process take turns here instead of spinning on the
// lock dir against each other.
const queues = new Map<string, Promise<unknown>>();

export function serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(key) ?? Promise.resolve();
  const run = prev.then(fn, fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}
