// File mechanics of the local store: the cross-process lock, atomic replace, stray temp cleanup.
// Kept apart from the store logic so helpers (tests, a future `orchard store doctor`) share them.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as lockfile from 'proper-lockfile';
import { syncDir } from './crypto';

export const DEFAULT_LOCK_STALE_MS = 10_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;

export function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

export function lockPathFor(file: string): string {
  return `${file}.lock`;
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

export interface HeldLock {
  /** Set when proper-lockfile reports the lock was lost (e.g. the event loop stalled past `stale`). */
  compromised(): boolean;
  release(): Promise<void>;
}

export type LockOutcome = { ok: true; lock: HeldLock } | { ok: false; code: string };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Takes the store's cross-process lock (a `mkdir` lock dir via proper-lockfile). Our own retry
 * loop gives a real deadline and a short, jittered backoff so contending writers interleave
 * quickly. A lock whose holder died stops being refreshed and is taken over after `staleMs`
 * (proper-lockfile's minimum is 2000 ms).
 */
export async function acquireLock(file: string, staleMs: number, timeoutMs: number): Promise<LockOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    let lost = false;
    try {
      const release = await lockfile.lock(file, {
        lockfilePath: lockPathFor(file),
        realpath: false,
        stale: staleMs,
        retries: 0,
        onCompromised: () => {
          lost = true;
        },
      });
      return {
        ok: true,
        lock: {
          compromised: () => lost,
          release: async () => {
            await release().catch(() => undefined);
          },
        },
      };
    } catch (e) {
      const code = errCode(e) ?? 'error';
      if (code !== 'ELOCKED') return { ok: false, code };
      if (Date.now() >= deadline) return { ok: false, code: 'ETIMEDOUT' };
      const backoff = Math.min(40, 1.5 * 1.4 ** attempt);
      await sleep(Math.max(1, backoff * (0.5 + Math.random())));
    }
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
