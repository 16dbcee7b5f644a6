// The one way Orchard reads a file it is given (workspace files, imports, the local store, the key
// file, config files, --value-file, --values): regular files only, never more than a size cap.
//
// A FIFO, a terminal, /dev/stdin or /dev/urandom must never hang or flood a reader, so the file is
// opened non-blocking (opening a FIFO does not wait for a writer), its type and size are checked on
// the open descriptor (no window between check and read), and reading stops past the cap even if
// the file grows meanwhile. Imports nothing of Orchard's: every layer that touches the disk
// (model/, store/, lsp/, cli/) uses it; parse/ stays pure and never reads files.
import { closeSync, constants, fstatSync, openSync, promises as fsp, readSync, type BigIntStats } from 'node:fs';

export interface ReadLimits {
  /** Files larger than this are refused (and reading stops here if the file grows). */
  maxBytes: number;
  /** Refuse a symbolic link as the last path component (ELOOP) instead of following it. */
  noFollow?: boolean;
}

export type ReadFailureReason = 'missing' | 'not-a-file' | 'too-large' | 'unreadable';

export type ReadOutcome =
  | {
      ok: true;
      text: string;
      bytes: number;
      /** fstat of the descriptor that was read (so a cache stamp describes exactly these bytes). */
      stat?: BigIntStats;
    }
  | {
      ok: false;
      reason: ReadFailureReason;
      /** One line naming the problem, without the path (callers add what they read and why). */
      message: string;
      /** errno code for `unreadable`/`missing`. */
      code?: string;
      /** Size in bytes for `too-large` (at least this many). */
      size?: number;
    };

/** Limits used across Orchard. */
export const LIMITS = {
  /** Workspace config files (config.py, figgy.json, figgy-secrets.json, imports). */
  configFile: 2 * 1024 * 1024,
  /** The user's Orchard config file. */
  userConfig: 1024 * 1024,
  /** One environment file of the local store. */
  storeFile: 64 * 1024 * 1024,
  /** The local store's key file (44 bytes of base64 and a newline). */
  keyFile: 4096,
  /** A parameter value given on the command line (SSM's largest tier holds 8 KB). */
  value: 1024 * 1024,
  /** A --values file for sync. */
  valuesFile: 16 * 1024 * 1024,
} as const;

// O_NONBLOCK: opening a FIFO does not wait for a writer. O_NOCTTY: a terminal never becomes ours.
// Neither exists on Windows, where FIFOs are not files either.
const BASE_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** What kind of non-regular file this is, in words. */
export function fileKind(st: Pick<BigIntStats, 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket' | 'isSymbolicLink'>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function human(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function tooLarge(size: number, max: number): ReadOutcome {
  return { ok: false, reason: 'too-large', size, message: `${human(size)} is above the ${human(max)} limit` };
}

function openFailure(e: unknown, noFollow: boolean): ReadOutcome {
  const code = errCode(e) ?? 'error';
  if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', code, message: 'no such file' };
  if (noFollow && code === 'ELOOP') return { ok: false, reason: 'not-a-file', code, message: 'a symbolic link (not followed)' };
  // ENXIO: a socket, or a FIFO opened non-blocking for writing; EISDIR on some systems.
  if (code === 'ENXIO' || code === 'EISDIR') return { ok: false, reason: 'not-a-file', code, message: code === 'EISDIR' ? 'a directory' : 'not a regular file' };
  return { ok: false, reason: 'unreadable', code, message: `cannot be read (${code})` };
}

/** A larger buffer holding `buf`, never beyond the cap plus the one byte that detects overflow. */
function grow(buf: Buffer, maxBytes: number): Buffer {
  const next = Buffer.allocUnsafe(Math.min(Math.max(buf.length * 2, 4096), maxBytes + 1));
  buf.copy(next);
  return next;
}

function notRegular(st: BigIntStats): ReadOutcome {
  return { ok: false, reason: 'not-a-file', message: `${fileKind(st)}, not a regular file` };
}

/** Reads a regular file as UTF-8 within `limits`. Never throws, never blocks on special files. */
export async function readRegularFile(file: string, limits: ReadLimits): Promise<ReadOutcome> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, BASE_FLAGS | (limits.noFollow ? NOFOLLOW : 0));
  } catch (e) {
    return openFailure(e, Boolean(limits.noFollow));
  }
  try {
    const st = await fh.stat({ bigint: true });
    if (!st.isFile()) return notRegular(st);
    const size = Number(st.size);
    if (size > limits.maxBytes) return tooLarge(size, limits.maxBytes);
    // Read until EOF, at most one byte past the cap: a file that grew since fstat is refused, not
    // cut; files that report no size (procfs) are read all the same.
    let buf: Buffer = Buffer.allocUnsafe(Math.min(size, limits.maxBytes) + 1);
    let got = 0;
    for (;;) {
      if (got === buf.length) buf = grow(buf, limits.maxBytes);
      const { bytesRead } = await fh.read(buf, got, buf.length - got, null);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > limits.maxBytes) return tooLarge(got, limits.maxBytes);
    }
    return { ok: true, text: buf.toString('utf8', 0, got), bytes: got, stat: st };
  } catch (e) {
    const code = errCode(e) ?? 'error';
    return { ok: false, reason: 'unreadable', code, message: `cannot be read (${code})` };
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** The synchronous twin of `readRegularFile` (the config loader and lock checks are synchronous). */
export function readRegularFileSync(file: string, limits: ReadLimits): ReadOutcome {
  const r = readRegularBytesSync(file, limits);
  return r.ok ? { ok: true, text: r.data.toString('utf8'), bytes: r.data.length, stat: r.stat } : r;
}

export type BytesOutcome = { ok: true; data: Buffer; stat: BigIntStats } | Extract<ReadOutcome, { ok: false }>;

/** `readRegularFileSync` for binary files (the parse cache's key): the bytes as read, same limits and refusals. */
export function readRegularBytesSync(file: string, limits: ReadLimits): BytesOutcome {
  return withRegularFdSync(file, limits, (fd, st, size) => {
    let buf: Buffer = Buffer.allocUnsafe(Math.min(size, limits.maxBytes) + 1);
    let got = 0;
    for (;;) {
      if (got === buf.length) buf = grow(buf, limits.maxBytes);
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
      if (got > limits.maxBytes) return tooLarge(got, limits.maxBytes) as BytesOutcome;
    }
    return { ok: true, data: buf.subarray(0, got), stat: st };
  });
}

export type ChunksOutcome = { ok: true; bytes: number; stat: BigIntStats } | Extract<ReadOutcome, { ok: false }>;

/**
 * Reads a regular file a piece at a time through one reused buffer (the parse cache: tens of MiB
 * that are only passed through a cipher). `onChunk` gets a view that is valid during the call only,
 * the piece's offset in the file and the file's size when opened. Same limits and refusals as
 * readRegularFileSync.
 */
export function readRegularChunksSync(file: string, limits: ReadLimits, onChunk: (chunk: Buffer, offset: number, size: number) => void, chunkBytes = 1024 * 1024): ChunksOutcome {
  return withRegularFdSync(file, limits, (fd, st, size) => {
    const buf = Buffer.allocUnsafe(chunkBytes);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      if (got + n > limits.maxBytes) return tooLarge(got + n, limits.maxBytes) as ChunksOutcome;
      onChunk(buf.subarray(0, n), got, size);
      got += n;
    }
    return { ok: true, bytes: got, stat: st };
  });
}

/** Opens `file` non-blocking, checks it is a regular file within the size cap, runs `body`, closes it. Never throws. */
function withRegularFdSync<R extends { ok: boolean }>(file: string, limits: ReadLimits, body: (fd: number, st: BigIntStats, size: number) => R): R | Extract<ReadOutcome, { ok: false }> {
  let fd: number;
  try {
    fd = openSync(file, BASE_FLAGS | (limits.noFollow ? NOFOLLOW : 0));
  } catch (e) {
    return openFailure(e, Boolean(limits.noFollow)) as Extract<ReadOutcome, { ok: false }>;
  }
  try {
    const st = fstatSync(fd, { bigint: true });
    if (!st.isFile()) return notRegular(st) as Extract<ReadOutcome, { ok: false }>;
    const size = Number(st.size);
    if (size > limits.maxBytes) return tooLarge(size, limits.maxBytes) as Extract<ReadOutcome, { ok: false }>;
    return body(fd, st, size);
  } catch (e) {
    const code = errCode(e) ?? 'error';
    return { ok: false, reason: 'unreadable', code, message: `cannot be read (${code})` };
  } finally {
    try {
      closeSync(fd);
    } catch {
      // nothing left to do
    }
  }
}

/**
 * Reads a stream (stdin for `--value-file -`) up to `maxBytes`. Stops and destroys the stream past
 * the cap, so `cat /dev/urandom | orchard put ...` ends with an error instead of eating memory.
 */
export async function readStreamCapped(stream: NodeJS.ReadableStream & { destroy?(): void }, maxBytes: number): Promise<ReadOutcome> {
  const chunks: Buffer[] = [];
  let got = 0;
  try {
    for await (const c of stream) {
      const b = typeof c === 'string' ? Buffer.from(c, 'utf8') : (c as Buffer);
      got += b.length;
      if (got > maxBytes) {
        stream.destroy?.();
        return tooLarge(got, maxBytes);
      }
      chunks.push(b);
    }
  } catch (e) {
    const code = errCode(e) ?? 'error';
    return { ok: false, reason: 'unreadable', code, message: `cannot be read (${code})` };
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8'), bytes: got };
}
