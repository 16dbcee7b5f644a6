// What parsing a file gave last time, kept on disk: a scan (`orchard check`, the language server's
// start-up) reads every file as before, but a file whose text and parse job are unchanged takes its
// outcome from here instead of being parsed again. One cache file per scanned folder and build.
//
// Key of an entry: SHA-256 of the parse job (uri, kind, whether credentials are scanned) and the
// file's text, so an entry only ever stands for the very bytes it was parsed from (no stat, no
// clock). Outcomes are plain data (what worker threads already send back by structured clone) and
// are stored as JSON: JSON.parse builds objects as compact and fast as the parser's own, where
// V8's deserializer left them 15% larger and slower to check. Outcomes hold values from the files
// (a `.env` value, a settings default), so the cache file is sealed with AES-256-GCM under a random
// key kept in a 0600 file in the 0700 cache folder (as the embedded store keeps its values).
//
// Anything unexpected when loading (a missing, foreign, truncated, tampered or special file,
// another build's cache) leaves the cache empty: a miss, never an error. Saving streams the entries
// through the cipher into a private temporary file renamed over the old one, so concurrent scans (a
// check while the editor starts) leave one whole cache behind, whichever finished last; the
// language server saves after start-up, in slices (the objects are serialised then, not while the
// scan runs: the scan must not mutate what it keeps, see test/model/parse-cache.test.ts).
import * as crypto from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readRegularBytesSync, readRegularChunksSync } from '../fsread';
import type { ParseJob, ParseOutcome } from './parseJob';

/** Set by scripts/build.mjs: a hash of the sources and grammars a bundle was built from. */
declare const ORCHARD_BUILD_ID: string | undefined;

/**
 * What a cached outcome depends on besides the file: the build of Orchard that parsed it. Absent
 * when running from source, where no build identifies the parser (tests pass their own).
 */
export const BUILD_ID: string | undefined = typeof ORCHARD_BUILD_ID === 'string' ? ORCHARD_BUILD_ID : undefined;

/** `--cache-dir`, else $ORCHARD_CACHE_DIR, else $XDG_CACHE_HOME/orchard, else ~/.cache/orchard. */
export function cacheRoot(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  if (process.env.ORCHARD_CACHE_DIR) return path.resolve(process.env.ORCHARD_CACHE_DIR);
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'orchard');
}

const MAGIC = Buffer.from('orchard parse cache 2\n');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const KEY_FILE = 'key';
/** A cache file larger than this is not read (10,000 generated services write about 80 MiB). */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;
/** An outcome larger than this is parsed again next time rather than stored. */
const MAX_ENTRY_BYTES = 8 * 1024 * 1024;
/** Cache files kept in the folder (one per scanned folder and build); the least recently written go first. */
const MAX_CACHE_FILES = 16;
/** A temporary file older than this belongs to a scan that ended without renaming it. */
const STALE_TMP_MS = 10 * 60 * 1000;
/** Plaintext gathered before it goes through the cipher to the file. */
const WRITE_BYTES = 256 * 1024;
/** With a `pause`, a save gives the caller's event loop a turn this often (ms). */
const SLICE_MS = 10;

/** An entry as loaded (its JSON text) or remembered (the outcome, serialised when saved). */
interface Entry {
  key: string;
  json?: string;
  outcome?: ParseOutcome;
}

/**
 * JSON of an outcome in ASCII (other characters as \u escapes, which JSON.parse reads back the
 * same): the cache's plaintext is then one byte per character, read back as one-byte strings
 * the garbage collector owns and frees, not as buffers the allocator may keep.
 */
function asciiJson(o: unknown): string {
  const j = JSON.stringify(o);
  return NON_ASCII.test(j) ? j.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : j;
}
const NON_ASCII = /[^\x00-\x7f]/;
const NON_ASCII_ALL = /[^\x00-\x7f]/g;

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
    return sha256(`${JSON.stringify([job.uri, job.named ?? null, job.jsonCandidate ?? false, job.envKind ?? null, job.scanSecrets])}\0${job.text}`);
  }

  /** The stored outcome of this job when its key matches (a fresh copy each time), else undefined. */
  lookup(job: ParseJob, key: string): ParseOutcome | undefined {
    const e = this.old.get(job.uri);
    if (e?.json === undefined || e.key !== key) return undefined;
    try {
      const o = JSON.parse(e.json) as ParseOutcome;
      // The text is let go (the plaintext is freed as the scan goes); a save writes the outcome again.
      this.old.delete(job.uri);
      this.next.set(job.uri, { key, outcome: o });
      this.stats.hits++;
      return o;
    } catch {
      return undefined;
    }
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
      const table: [string, string, number, number][] = [];
      // Entries are written into one reused buffer, which goes through the cipher when full.
      const buf = Buffer.allocUnsafe(WRITE_BYTES);
      let used = 0;
      let offset = 0;
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
        const text = e.json ?? asciiJson(e.outcome!);
        if (text.length > MAX_ENTRY_BYTES) continue;
        table.push([uri, e.key, offset, text.length]);
        offset += text.length;
        put(text);
      }
      const header = asciiJson({ entries: table });
      put(header);
      const len = Buffer.allocUnsafe(4);
      len.writeUInt32BE(header.length);
      put(len.toString('latin1'));
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

  /** Reads and opens the cache file a piece at a time (the sealed file is never held whole beside its plaintext). */
  private load(): void {
    const head = MAGIC.length + IV_BYTES;
    let decipher: crypto.DecipherGCM | undefined;
    let bad = false;
    let fileSize = 0;
    const parts: string[] = [];
    const tag = Buffer.alloc(TAG_BYTES);
    const r = readRegularChunksSync(this.file!, { maxBytes: MAX_FILE_BYTES, noFollow: true }, (chunk, offset, size) => {
      if (bad) return;
      if (offset === 0) {
        fileSize = size;
        if (size < head + TAG_BYTES + 4 || chunk.length < head || !chunk.subarray(0, MAGIC.length).equals(MAGIC)) {
          bad = true;
          return;
        }
        decipher = crypto.createDecipheriv('aes-256-gcm', this.key!, chunk.subarray(MAGIC.length, head), { authTagLength: TAG_BYTES });
        decipher.setAAD(this.aad);
      }
      const tagAt = fileSize - TAG_BYTES;
      const end = offset + chunk.length;
      const from = Math.max(head, offset);
      const to = Math.min(tagAt, end);
      // One-byte strings: the plaintext is ASCII (asciiJson), and latin1 maps each byte to itself.
      if (to > from) parts.push(decipher!.update(chunk.subarray(from - offset, to - offset), undefined, 'latin1'));
      if (end > tagAt) chunk.copy(tag, Math.max(tagAt, offset) - tagAt, Math.max(tagAt, offset) - offset, chunk.length);
    });
    if (!r.ok || bad || !decipher || r.bytes !== fileSize) return;
    try {
      decipher.setAuthTag(tag);
      decipher.final();
    } catch {
      return;
    }
    const plain = new Pieces(parts);
    try {
      const n = Buffer.from(plain.slice(plain.length - 4, plain.length), 'latin1').readUInt32BE(0);
      const blobEnd = plain.length - 4 - n;
      if (blobEnd < 0) return;
      const list = (JSON.parse(plain.slice(blobEnd, plain.length - 4)) as { entries?: unknown }).entries;
      if (!Array.isArray(list)) return;
      for (const e of list) {
        if (!Array.isArray(e) || e.length !== 4) return this.old.clear();
        const [uri, key, offset, length] = e as unknown[];
        if (typeof uri !== 'string' || typeof key !== 'string' || !Number.isSafeInteger(offset) || !Number.isSafeInteger(length)) return this.old.clear();
        const from = offset as number;
        const to = from + (length as number);
        if (from < 0 || to < from || to > blobEnd) return this.old.clear();
        this.old.set(uri, { key, json: plain.slice(from, to) });
      }
      this.loaded = this.old.size;
    } catch {
      this.old.clear();
    }
  }
}

/** Consecutive strings read as one: a range within one is a slice of it, one across several their concatenation. */
class Pieces {
  private readonly starts: number[] = [];
  readonly length: number;
  constructor(private readonly parts: string[]) {
    let at = 0;
    for (const p of parts) {
      this.starts.push(at);
      at += p.length;
    }
    this.length = at;
  }

  slice(from: number, to: number): string {
    let lo = 0;
    let hi = this.parts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= from) lo = mid;
      else hi = mid - 1;
    }
    let out = '';
    for (let i = lo; i < this.parts.length && this.starts[i] < to; i++) out += this.parts[i].slice(Math.max(0, from - this.starts[i]), to - this.starts[i]);
    return out;
  }
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
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeAll(fd, crypto.randomBytes(KEY_BYTES));
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      // Another scan made it first: read theirs.
      if (errCode(e) !== 'EEXIST') return `its key file ${file} cannot be made (${errCode(e)})`;
    }
  }
  return `its key file ${file} cannot be read`;
}

/** Keeps the MAX_CACHE_FILES most recently written cache files; removes temporary files a killed scan left. */
function prune(dir: string, keep: string): void {
  try {
    const now = Date.now();
    const caches: { f: string; t: number }[] = [];
    for (const n of readdirSync(dir)) {
      const f = path.join(dir, n);
      const t = statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0;
      if (n.endsWith('.tmp') && now - t > STALE_TMP_MS) unlinkSync(f);
      else if (n.endsWith('.cache') && f !== keep) caches.push({ f, t });
    }
    caches.sort((a, b) => b.t - a.t);
    for (const { f } of caches.slice(MAX_CACHE_FILES - 1)) unlinkSync(f);
  } catch {
    // Another scan pruned first, or the folder went away: nothing to keep tidy.
  }
}
