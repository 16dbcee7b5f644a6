// What parsing a file gave last time, kept on disk: a scan (`orchard check`, the language server's
// start-up) reads every file as before, but a file whose text and parse job are unchanged takes its
// outcome from here instead of being parsed again. One cache file per scanned folder and build.
//
// Key of an entry: SHA-256 of the parse job (uri, kind, whether credentials are scanned) and the
// file's text, so an entry only ever stands for the very bytes it was parsed from (no stat, no
// clock). Outcomes are plain data (what worker threads already send back by structured clone),
// stored as one line of ASCII JSON each, `[uri, key, outcome]`, ranges as tagged tuples:
// JSON.parse builds objects as compact and fast as the parser's own (V8's deserializer left them
// 15% larger and slower to check). Outcomes hold values from the files (a `.env` value, a settings
// default), so the file is sealed with AES-256-GCM under a random key kept in a 0600 file in the
// 0700 cache folder (as the embedded store keeps its values).
//
// Loading reads the sealed file a MiB at a time, decrypts it 64 KiB at a time and parses each line
// as it comes, so what it holds is the outcomes themselves (which the scan keeps anyway), never the
// file or its plaintext whole; none is used before the whole file's tag has been checked. Anything
// unexpected (a missing, foreign, truncated, tampered or special file, another build's cache)
// leaves the cache empty: a miss, never an error. Saving streams the lines through the cipher into
// a private temporary file renamed over the old one, so concurrent scans (a check while the editor
// starts) leave one whole cache behind, whichever finished last; the language server saves after
// start-up, in slices. Outcomes are serialised when saved, not when parsed: nothing that holds
// them may change them (test/model/parse-cache.test.ts and test/lsp/parse-cache.test.ts check
// that what was saved is what a fresh parse gives).
import * as crypto from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { readRegularBytesSync, readRegularChunksSync } from '../fsread';
import type { ParseJob, ParseOutcome } from './parseJob';
import { position, range } from '../parse/text';
import type { Position } from '../parse/types';
export { cacheRoot } from './cacheDir';

/**
 * What a cached outcome depends on besides the file: the build of Orchard that parsed it. Absent
 * when running from source, where no build identifies the parser (tests pass their own).
 */
export { BUILD_ID } from './buildId';

const MAGIC = Buffer.from('orchard parse cache 4\n');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_FILE = 'key';
/** A cache file larger than this is not read (10,000 generated services write about 90 MiB). */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;
/** An outcome larger than this is parsed again next time rather than stored. */
const MAX_ENTRY_BYTES = 8 * 1024 * 1024;
/** Cache files kept in the folder (one per scanned folder and build), and their size together besides the one just written; the least recently written go first. */
const MAX_CACHE_FILES = 16;
const MAX_KEPT_BYTES = 512 * 1024 * 1024;
/** A temporary file older than this belongs to a scan that ended without renaming it. */
const STALE_TMP_MS = 10 * 60 * 1000;
/** Plaintext gathered before it goes through the cipher to the file. */
const WRITE_BYTES = 256 * 1024;
/** Plaintext decoded into one string at a time when loading (below V8's large-object size). */
const DECODE_BYTES = 64 * 1024;
/** With a `pause`, a save gives the caller's event loop a turn this often (ms). */
const SLICE_MS = 10;

interface Entry {
  key: string;
  outcome: ParseOutcome;
}

/**
 * JSON of an outcome in ASCII (other characters as \u escapes, which JSON.parse reads back the
 * same): the cache's plaintext is then one byte per character, read back as one-byte strings
 * the garbage collector owns and frees, not as buffers the allocator may keep. Ranges and
 * positions are written as tagged tuples (`compact`). Undefined for an outcome that cannot be
 * written so (it is parsed again next time).
 */
function asciiJson(o: unknown): string | undefined {
  let j: string;
  try {
    j = JSON.stringify(o, compact);
  } catch {
    return undefined;
  }
  return NON_ASCII.test(j) ? j.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : j;
}
const NON_ASCII = /[^\x00-\x7f]/;
const NON_ASCII_ALL = /[^\x00-\x7f]/g;

// A range is written `{"~r":[line,character,line,character]}`, a position `{"~p":[line,character]}`:
// loading makes two objects per range instead of three before it takes the shared one. For 2,000
// services' outcomes: 13.8 MB instead of 23.2, parsed and shared in ~150 ms instead of ~260. The
// tags cannot be mistaken for an outcome's own object: model keys are field names, and an outcome
// with a key that starts with `~` is not written at all.
const RANGE_TAG = '~r';
const POSITION_TAG = '~p';
const TILDE = 126;

/** A tagged tuple (its class tells the replacer the `~` key is its own). */
class Tagged {
  constructor(tag: string, tuple: unknown[]) {
    (this as Record<string, unknown>)[tag] = tuple;
  }
}

/** JSON.stringify's replacer: ranges and positions as tagged tuples; refuses other `~` keys (see above). */
function compact(this: unknown, key: string, v: unknown): unknown {
  if (key.charCodeAt(0) === TILDE && !(this instanceof Tagged)) throw new Error('reserved key');
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  if ('start' in o) {
    const s = o.start as Record<string, unknown>;
    const e = o.end as Record<string, unknown>;
    if (keyCount(o) === 2 && isPosition(s) && isPosition(e)) return new Tagged(RANGE_TAG, [s.line, s.character, e.line, e.character]);
  } else if ('line' in o && isPosition(o)) return new Tagged(POSITION_TAG, [o.line, o.character]);
  return v;
}

function isPosition(p: unknown): p is { line: number; character: number } {
  if (typeof p !== 'object' || p === null) return false;
  const q = p as Record<string, unknown>;
  return typeof q.line === 'number' && typeof q.character === 'number' && keyCount(q) === 2;
}

function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/** How a scan used the cache (the server's log, the benches, tests). */
export interface ParseCacheStats {
  /** Outcomes taken from the cache. */
  hits: number;
  /** Outcomes parsed and kept for next time. */
  stored: number;
  /** Why the cache was not used at all, if it was not (folder not writable, a key file Orchard did not make). */
  disabled?: string;
}

export interface ParseCacheOptions {
  /** The cache folder (cacheRoot()); a `parse` folder is made in it. */
  dir: string;
  /** The scanned folder: one cache file each. */
  root: string;
  /** The build the outcomes come from (BUILD_ID): another build's file is ignored. */
  build: string;
}

const sha256 = (data: string): string =>
  typeof crypto.hash === 'function' ? crypto.hash('sha256', data, 'base64') : crypto.createHash('sha256').update(data).digest('base64');

export class ParseCache {
  private old = new Map<string, Entry>();
  private next = new Map<string, Entry>();
  private dirty = false;
  /** Entries the cache file held when opened. */
  private loaded = 0;
  readonly stats: ParseCacheStats = { hits: 0, stored: 0 };

  private constructor(
    private readonly dir: string | undefined,
    private readonly file: string | undefined,
    private readonly key: Buffer | undefined,
    private readonly aad: Buffer,
  ) {}

  /** The cache of `root`'s scans. Never throws: a cache that cannot be used is empty and saves nothing. */
  static open(opts: ParseCacheOptions): ParseCache {
    const dir = path.join(opts.dir, 'parse');
    const aad = Buffer.from(JSON.stringify(['orchard-parse-cache', opts.build, path.resolve(opts.root)]));
    const file = path.join(dir, `${crypto.createHash('sha256').update(aad).digest('hex').slice(0, 32)}.cache`);
    let key: Buffer | string;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      key = folderKey(dir);
    } catch (e) {
      key = `the cache folder cannot be used (${errCode(e)})`;
    }
    if (typeof key === 'string') {
      const c = new ParseCache(undefined, undefined, undefined, aad);
      c.stats.disabled = key;
      return c;
    }
    const c = new ParseCache(dir, file, key, aad);
    c.load();
    return c;
  }

  /** The key of a job: its parse depends on these fields and the text, nothing else. */
  static keyOf(job: ParseJob): string {
    return sha256(`${JSON.stringify([job.uri, job.named ?? null, job.jsonCandidate ?? false, job.envKind ?? null, job.scanSecrets, job.composeEnv ?? false, ...(job.credentialAllow ? [job.credentialAllow] : [])])}\0${job.text}`);
  }

  /** The stored outcome of this job when its key matches (once: it is the caller's then), else undefined. */
  lookup(job: ParseJob, key: string): ParseOutcome | undefined {
    const e = this.old.get(job.uri);
    if (!e || e.key !== key) return undefined;
    this.old.delete(job.uri);
    this.next.set(job.uri, e);
    this.stats.hits++;
    return e.outcome;
  }

  /** Keeps a job's outcome for the next save (serialised then: nothing may change it meanwhile). */
  remember(uri: string, key: string, outcome: ParseOutcome): void {
    if (!this.file) return;
    this.next.set(uri, { key, outcome });
    this.stats.stored++;
    this.dirty = true;
  }

  /** True when save() would write: outcomes were parsed, or files of the last scan are gone. */
  get changed(): boolean {
    return Boolean(this.file) && (this.dirty || this.next.size !== this.loaded);
  }

  /**
   * Writes what this scan used and parsed (files no longer seen are dropped), unless nothing
   * changed; then lets go of everything it held. `pause`: awaited every few milliseconds (the
   * language server answers requests meanwhile). Never throws: a cache that cannot be written is
   * simply not there next time.
   */
  async save(pause?: () => Promise<void>): Promise<void> {
    const { dir, file, key } = this;
    const entries = this.next;
    const write = this.changed;
    this.old = new Map();
    this.next = new Map();
    this.dirty = false;
    if (!write || !dir || !file || !key) return;
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    let fd: number | undefined;
    try {
      fd = openSync(tmp, 'wx', 0o600);
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(this.aad);
      writeAll(fd, MAGIC);
      writeAll(fd, iv);
      // Lines are written into one reused buffer, which goes through the cipher when full.
      const buf = Buffer.allocUnsafe(WRITE_BYTES);
      let used = 0;
      const put = (text: string) => {
        for (let at = 0; at < text.length; ) {
          if (used === buf.length) {
            writeAll(fd!, cipher.update(buf));
            used = 0;
          }
          const n = Math.min(text.length - at, buf.length - used);
          buf.write(text.slice(at, at + n), used, 'latin1');
          used += n;
          at += n;
        }
      };
      let slice = performance.now();
      for (const [uri, e] of entries) {
        if (pause && performance.now() - slice > SLICE_MS) {
          await pause();
          slice = performance.now();
        }
        const line = asciiJson([uri, e.key, e.outcome]);
        if (line !== undefined && line.length <= MAX_ENTRY_BYTES) put(`${line}\n`);
      }
      if (used > 0) writeAll(fd, cipher.update(buf.subarray(0, used)));
      writeAll(fd, cipher.final());
      writeAll(fd, cipher.getAuthTag());
      closeSync(fd);
      fd = undefined;
      renameSync(tmp, file);
    } catch {
      if (fd !== undefined) closeQuietly(fd);
      try {
        unlinkSync(tmp);
      } catch {
        // never made
      }
      return;
    }
    prune(dir, file);
  }

  /** Reads, opens and parses the cache file a piece at a time; its entries count only once its tag is checked. */
  private load(): void {
    const head = MAGIC.length + IV_BYTES;
    let decipher: crypto.DecipherGCM | undefined;
    let bad = false;
    let fileSize = 0;
    const tag = Buffer.alloc(TAG_BYTES);
    const found = new Map<string, Entry>();
    /** The end of the plaintext read so far that is not a whole line yet. */
    let carry = '';
    const lines = (text: string) => {
      const parts = (carry + text).split('\n');
      carry = parts.pop()!;
      for (const line of parts) {
        const e: unknown = JSON.parse(line);
        if (!Array.isArray(e) || e.length !== 3 || typeof e[0] !== 'string' || typeof e[1] !== 'string' || typeof e[2] !== 'object' || e[2] === null) throw new Error('not an entry');
        found.set(e[0], { key: e[1], outcome: sharedRanges(e[2]) as ParseOutcome });
      }
    };
    const r = readRegularChunksSync(this.file!, { maxBytes: MAX_FILE_BYTES, noFollow: true }, (chunk, offset, size) => {
      if (bad) return;
      try {
        if (offset === 0) {
          fileSize = size;
          if (size < head + TAG_BYTES || chunk.length < head || !chunk.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a cache file');
          decipher = crypto.createDecipheriv('aes-256-gcm', this.key!, chunk.subarray(MAGIC.length, head), { authTagLength: TAG_BYTES });
          decipher.setAAD(this.aad);
        }
        const tagAt = fileSize - TAG_BYTES;
        const end = offset + chunk.length;
        const from = Math.max(head, offset);
        const to = Math.min(tagAt, end);
        // One-byte strings: the plaintext is ASCII (asciiJson), and latin1 maps each byte to itself.
        // Decrypted in pieces: a string of 128 KiB or more is a large object in V8, made in the old
        // generation and kept until a full collection (a restart's RSS was 10-15 MiB above a first
        // start's for the same live data); smaller ones die young.
        for (let at = from; at < to; at += DECODE_BYTES) lines(decipher!.update(chunk.subarray(at - offset, Math.min(to, at + DECODE_BYTES) - offset), undefined, 'latin1'));
        if (end > tagAt) chunk.copy(tag, Math.max(tagAt, offset) - tagAt, Math.max(tagAt, offset) - offset, chunk.length);
      } catch {
        bad = true;
      }
    });
    if (!r.ok || bad || !decipher || r.bytes !== fileSize || carry !== '') return;
    try {
      decipher.setAuthTag(tag);
      decipher.final();
    } catch {
      return;
    }
    this.old = found;
    this.loaded = found.size;
  }
}

/**
 * The tagged tuples back as ranges and positions as the parser makes them: shared, read-only objects
 * (parse/text.ts), one per place, not one per mention (at 2,000 services, 450,000 objects and
 * 17 MiB more without this). Iterative: an outcome's nesting is only bounded by the parser's own
 * limits. Throws on a malformed tuple (the whole cache is then a miss).
 */
function sharedRanges(root: object): object {
  const stack: object[] = [root];
  while (stack.length) {
    const o = stack.pop() as Record<string, unknown>;
    for (const k in o) {
      const v = o[k] as Record<string, unknown>;
      if (typeof v !== 'object' || v === null) continue;
      const r = v[RANGE_TAG];
      if (r !== undefined) o[k] = range(positionAt(r, 0), positionAt(r, 2));
      else {
        const p = v[POSITION_TAG];
        if (p !== undefined) o[k] = positionAt(p, 0);
        else stack.push(v);
      }
    }
  }
  return root;
}

function positionAt(t: unknown, i: number): Position {
  const a = t as unknown[];
  const line = a[i];
  const character = a[i + 1];
  if (!Array.isArray(t) || typeof line !== 'number' || typeof character !== 'number') throw new Error('not a position');
  return position(line, character);
}

function errCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : 'error';
}

function writeAll(fd: number, b: Buffer): void {
  for (let at = 0; at < b.length; ) at += writeSync(fd, b, at, b.length - at);
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/** The folder's key: read, or made on first use (0600, never replaced); a message when unusable. */
function folderKey(dir: string): Buffer | string {
  const file = path.join(dir, KEY_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = readRegularBytesSync(file, { maxBytes: 4096, noFollow: true });
    if (r.ok) {
      if (r.data.length !== KEY_BYTES) return `its key file ${file} is not one Orchard made`;
      if (process.platform !== 'win32' && (Number(r.stat.mode) & 0o077) !== 0) return `its key file ${file} can be read by other users`;
      return Buffer.from(r.data);
    }
    if (r.reason !== 'missing') return `its key file ${file}: ${r.message}`;
    // Written whole under another name, then linked into place (never over an existing key): a
    // scan starting meanwhile sees no key or the whole key, never part of one.
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
    try {
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        writeAll(fd, crypto.randomBytes(KEY_BYTES));
      } finally {
        closeSync(fd);
      }
      linkSync(tmp, file);
    } catch (e) {
      // Another scan made it first: read theirs.
      if (errCode(e) !== 'EEXIST') return `its key file ${file} cannot be made (${errCode(e)})`;
    } finally {
      try {
        unlinkSync(tmp);
      } catch {
        // never made
      }
    }
  }
  return `its key file ${file} cannot be read`;
}

/** Keeps the MAX_CACHE_FILES most recently written cache files; removes temporary files a killed scan left. */
function prune(dir: string, keep: string): void {
  try {
    const now = Date.now();
    const caches: { f: string; t: number; size: number }[] = [];
    for (const n of readdirSync(dir)) {
      const f = path.join(dir, n);
      const st = statSync(f, { throwIfNoEntry: false });
      const t = st?.mtimeMs ?? 0;
      if (n.endsWith('.tmp') && now - t > STALE_TMP_MS) unlinkSync(f);
      else if (n.endsWith('.cache') && f !== keep) caches.push({ f, t, size: st?.size ?? 0 });
    }
    caches.sort((a, b) => b.t - a.t);
    let kept = 0;
    caches.forEach(({ f, size }, i) => {
      kept += size;
      if (i >= MAX_CACHE_FILES - 1 || kept > MAX_KEPT_BYTES) unlinkSync(f);
    });
  } catch {
    // Another scan pruned first, or the folder went away: nothing to keep tidy.
  }
}
