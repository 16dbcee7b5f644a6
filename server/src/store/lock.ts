// The cross-process lock of one local-store file: `<file>.lock`, a small JSON record naming its
// holder (pid, the process's start time, boot id, pid namespace, host, a random nonce).
//
// Why not an mtime-only lock (what proper-lockfile does): a killed holder's lock then looks alive
// until the stale time passes, so writers waiting no longer than that fail. With the holder's
// identity in the lock, a waiter sees at once that the holder is gone (no such pid, or a pid that
// now belongs to a process started at another time, or another boot) and takes the lock over.
// Holders the waiter cannot judge (another host on a network share, another pid namespace, a record
// still being written) fall back to the heartbeat: the holder touches the lock every `staleMs / 4`,
// and a lock untouched for `staleMs` is stale.
//
// Protocol:
// - acquire: write the complete record to a private temp file, hard-link it to the lock name
//   (fails with EEXIST when held: atomic, and the record is never seen half-written), keep the
//   descriptor open (heartbeat with futimes; the inode stays ours and cannot be reused).
// - take over: rename the lock aside, judge the renamed file again and delete it only if it is
//   still the dead/stale one; a live lock moved by mistake (two waiters racing) is linked back.
// - before committing, a holder checks the lock name still points at its own inode (`stillOurs`),
//   so a holder whose lock was taken over abandons the write instead of overwriting.
import {
  closeSync,
  fstatSync,
  futimes,
  linkSync,
  lstatSync,
  openSync,
  promises as fsp,
  readlinkSync,
  renameSync,
  rmdirSync,
  readdirSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRegularFileSync } from '../fsread';

export const LOCK_FORMAT = 'orchard-lock-1';

export interface LockRecord {
  format: string;
  pid: number;
  /** Process start time (Linux: clock ticks after boot, from /proc/<pid>/stat), when known. */
  start?: string;
  /** Kernel boot id (Linux), when known. */
  boot?: string;
  /** pid namespace (Linux), when known: pids are only comparable within one. */
  pidns?: string;
  host: string;
  nonce: string;
  /** ISO time the lock was taken. */
  since: string;
}

export type Verdict = { state: 'alive' | 'dead' | 'unknown'; why: string };

export interface HeldLock {
  /** True while the lock name still points at the lock this holder created (not taken over). */
  stillOurs(): boolean;
  release(): Promise<void>;
}

export type LockOutcome =
  | { ok: true; lock: HeldLock; tookOver?: string }
  | { ok: false; code: 'ETIMEDOUT'; holder?: string }
  | { ok: false; code: string; holder?: undefined };

function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

function readSmall(file: string): string | undefined {
  const r = readRegularFileSync(file, { maxBytes: 4096, noFollow: true });
  return r.ok ? r.text : undefined;
}

/** Start time of a process in clock ticks after boot (Linux), or undefined when not knowable here. */
export function processStart(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const stat = readSmall(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ")".
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = rest[19]; // field 22: starttime
  return start && /^\d+$/.test(start) ? start : undefined;
}

let selfIds: { start?: string; boot?: string; pidns?: string } | undefined;
function self(): { start?: string; boot?: string; pidns?: string } {
  if (!selfIds) {
    let pidns: string | undefined;
    try {
      if (process.platform === 'linux') pidns = readlinkSync('/proc/self/ns/pid');
    } catch {
      pidns = undefined;
    }
    selfIds = { start: processStart(process.pid), boot: readSmall('/proc/sys/kernel/random/boot_id')?.trim() || undefined, pidns };
  }
  return selfIds;
}

export function ownRecord(nonce: string): LockRecord {
  const s = self();
  return { format: LOCK_FORMAT, pid: process.pid, ...s, host: os.hostname(), nonce, since: new Date().toISOString() };
}

export function parseRecord(text: string | undefined): LockRecord | undefined {
  if (!text) return undefined;
  try {
    const r = JSON.parse(text) as Partial<LockRecord>;
    if (r.format !== LOCK_FORMAT || !Number.isSafeInteger(r.pid) || typeof r.nonce !== 'string' || typeof r.host !== 'string') return undefined;
    return r as LockRecord;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return errCode(e) !== 'ESRCH';
  }
}

/** Whether the process that wrote `rec` is still running, as far as this process can tell. */
export function judge(rec: LockRecord | undefined): Verdict {
  if (!rec) return { state: 'unknown', why: 'the lock names no holder' };
  const me = self();
  const who = `pid ${rec.pid} on ${rec.host}`;
  if (rec.host !== os.hostname()) return { state: 'unknown', why: `${who} (another host)` };
  if (rec.boot && me.boot && rec.boot !== me.boot) return { state: 'dead', why: `${who} (from before the last reboot)` };
  if (rec.pidns && me.pidns && rec.pidns !== me.pidns) return { state: 'unknown', why: `${who} (another pid namespace)` };
  if (!pidAlive(rec.pid)) return { state: 'dead', why: `${who} (no longer running)` };
  if (rec.start) {
    const now = processStart(rec.pid);
    if (now && now !== rec.start) return { state: 'dead', why: `${who} (that pid now belongs to another process)` };
  }
  return { state: 'alive', why: `${who}, since ${rec.since}` };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Leftovers of the lock protocol: `<lock>.<pid>.<hex>.tmp` (a record being linked), `.stale` (one
 * being removed) and `.wait` (a waiter's marker, see `othersWaiting`).
 */
const LEFTOVER_RE = /\.(\d+)\.[0-9a-f]+\.(tmp|stale|wait)$/;

/**
 * Whether another live process is waiting for this lock. A process that just released the lock
 * and wants it again then queues behind the waiters instead of taking it straight back, so a
 * writer in a tight loop cannot starve the others (without it, waiters polling every few
 * milliseconds rarely hit the instant between a release and the next acquisition).
 */
function othersWaiting(lockPath: string): boolean {
  const base = `${path.basename(lockPath)}.`;
  let names: string[];
  try {
    names = readdirSync(path.dirname(lockPath));
  } catch {
    return false;
  }
  for (const n of names) {
    if (!n.startsWith(base) || !n.endsWith('.wait')) continue;
    const m = LEFTOVER_RE.exec(n.slice(base.length - 1));
    const pid = m ? Number(m[1]) : 0;
    if (m && pid !== process.pid && pidAlive(pid)) return true;
  }
  return false;
}

async function cleanLeftovers(lockPath: string): Promise<void> {
  const dir = path.dirname(lockPath);
  const base = `${path.basename(lockPath)}.`;
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(base)) continue;
    const m = LEFTOVER_RE.exec(n.slice(base.length - 1));
    const pid = m ? Number(m[1]) : 0;
    if (!m || pid === process.pid || pidAlive(pid)) continue;
    await fsp.unlink(path.join(dir, n)).catch(() => undefined);
  }
}

/** Creates the lock with our record, atomically. `EEXIST` when someone holds it. */
function tryCreate(lockPath: string, nonce: string): { ok: true; fd: number } | { ok: false; code: string } {
  const tmp = `${lockPath}.${process.pid}.${nonce}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o600);
    const text = `${JSON.stringify(ownRecord(nonce))}\n`;
    writeSync(fd, text);
    try {
      linkSync(tmp, lockPath);
    } catch (e) {
      const code = errCode(e) ?? 'error';
      if (code === 'EEXIST') {
        closeSync(fd);
        return { ok: false, code };
      }
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(code)) throw e;
      // No hard links here: create the lock name exclusively and write the record into it. A waiter
      // may then briefly see an empty record, which it treats as "unknown" (heartbeat decides).
      closeSync(fd);
      fd = openSync(lockPath, 'wx', 0o600);
      writeSync(fd, text);
    }
    return { ok: true, fd };
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    return { ok: false, code: errCode(e) === 'EEXIST' ? 'EEXIST' : (errCode(e) ?? 'error') };
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already gone
    }
  }
}

interface Seen {
  ino: bigint;
  mtimeMs: number;
  dir: boolean;
  rec?: LockRecord;
}

/** What is at the lock name now, or undefined when nothing is. */
function inspect(lockPath: string): Seen | undefined {
  let st;
  try {
    st = lstatSync(lockPath, { bigint: true });
  } catch {
    return undefined;
  }
  if (st.isDirectory()) return { ino: st.ino, mtimeMs: Number(st.mtimeMs), dir: true };
  const r = readRegularFileSync(lockPath, { maxBytes: 4096, noFollow: true });
  // The record must come from the inode we stat'ed (not from a lock created in between).
  if (r.ok && r.stat && r.stat.ino !== st.ino) return { ino: st.ino, mtimeMs: Number(st.mtimeMs), dir: false };
  return { ino: st.ino, mtimeMs: Number(st.mtimeMs), dir: false, rec: r.ok ? parseRecord(r.text) : undefined };
}

/** Whether a lock may be removed: its holder is gone, or it is unjudgeable and its heartbeat stopped. */
function removable(seen: Seen, staleMs: number): { yes: boolean; why: string } {
  const age = Date.now() - seen.mtimeMs;
  const stale = age > staleMs;
  if (seen.dir) return { yes: stale, why: `an old-style lock folder${stale ? ` untouched for ${Math.round(age / 1000)} s` : ''}` };
  const v = judge(seen.rec);
  if (v.state === 'dead') return { yes: true, why: v.why };
  // A live holder that stopped refreshing for the whole stale time is hung; its own check before
  // committing (stillOurs) makes it abandon its write if we take over.
  if (stale) return { yes: true, why: `${v.why}, lock untouched for ${Math.round(age / 1000)} s` };
  return { yes: false, why: v.why };
}

/** Moves a dead lock aside and deletes it; a lock that turns out alive is put back. */
function takeOver(lockPath: string, staleMs: number): void {
  const grave = `${lockPath}.${process.pid}.${randomBytes(6).toString('hex')}.stale`;
  try {
    renameSync(lockPath, grave);
  } catch {
    return; // already gone (someone else took it over or released it)
  }
  const seen = inspect(grave);
  if (seen && !removable(seen, staleMs).yes) {
    // A waiter raced us and a new holder's lock is what we moved: put it back. If a third process
    // took the name meanwhile, the moved holder's stillOurs() fails and it retries its write.
    try {
      linkSync(grave, lockPath);
    } catch {
      // lost to the third process, see above
    }
  }
  try {
    if (seen?.dir) rmdirSync(grave);
    else unlinkSync(grave);
  } catch {
    // an old-style folder that is not empty stays; it no longer blocks the lock name
  }
}

export interface LockOptions {
  /** A lock whose holder cannot be judged and is untouched this long is stale. */
  staleMs: number;
  /** Give up after this long (should exceed staleMs, so an unjudgeable dead holder never makes us fail). */
  timeoutMs: number;
}

/**
 * Takes the lock of `file` (`<file>.lock`). Dead holders are replaced at once; a live holder is
 * waited for with a short jittered backoff until `timeoutMs`.
 */
export async function acquireLock(file: string, opts: LockOptions): Promise<LockOutcome> {
  const lockPath = `${file}.lock`;
  const deadline = Date.now() + opts.timeoutMs;
  let holder: string | undefined;
  let tookOver: string | undefined;
  let marker: string | undefined;
  const announce = () => {
    if (marker) return;
    const m = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.wait`;
    try {
      closeSync(openSync(m, 'wx', 0o600));
      marker = m;
    } catch {
      // Without a marker we are merely less polite to ourselves: fine.
    }
  };
  const unannounce = () => {
    if (!marker) return;
    try {
      unlinkSync(marker);
    } catch {
      // already gone
    }
    marker = undefined;
  };
  try {
    for (let attempt = 0; ; attempt++) {
      // A fresh request queues behind processes already waiting (fairness), instead of trying first.
      const polite = attempt === 0 && othersWaiting(lockPath);
      if (!polite) {
        const nonce = randomBytes(8).toString('hex');
        const c = tryCreate(lockPath, nonce);
        if (c.ok) {
          unannounce();
          const lock = holdLock(lockPath, c.fd, opts.staleMs);
          await cleanLeftovers(lockPath);
          return tookOver ? { ok: true, lock, tookOver } : { ok: true, lock };
        }
        if (c.code !== 'EEXIST') return { ok: false, code: c.code };
        const seen = inspect(lockPath);
        if (!seen) continue; // released between our attempt and the look
        const r = removable(seen, opts.staleMs);
        holder = r.why;
        if (r.yes) {
          takeOver(lockPath, opts.staleMs);
          tookOver = r.why;
          continue;
        }
      }
      announce();
      if (Date.now() >= deadline) return { ok: false, code: 'ETIMEDOUT', holder };
      const backoff = Math.min(20, 1 + 1.4 ** attempt);
      await sleep(Math.max(1, backoff * (0.5 + Math.random())));
    }
  } finally {
    unannounce();
  }
}

function holdLock(lockPath: string, fd: number, staleMs: number): HeldLock {
  let released = false;
  const ourIno = fstatSync(fd, { bigint: true }).ino;
  const stillOurs = (): boolean => {
    if (released) return false;
    try {
      return lstatSync(lockPath, { bigint: true }).ino === ourIno;
    } catch {
      return false;
    }
  };
  // Heartbeat on our own descriptor: it touches our inode even if the name was taken from us.
  const beat = setInterval(() => {
    const now = new Date();
    futimes(fd, now, now, () => undefined);
  }, Math.max(100, Math.floor(staleMs / 4)));
  beat.unref?.();
  return {
    stillOurs,
    release: async () => {
      if (released) return;
      clearInterval(beat);
      if (stillOurs()) await fsp.unlink(lockPath).catch(() => undefined);
      released = true;
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    },
  };
}
