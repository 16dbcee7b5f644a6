// The warm-check cache of `orchard check`: an unchanged tree, with unchanged settings and an
// unchanged local store, is answered from disk instead of being parsed and checked again.
//
// Key: the Orchard version and build, the settings that decide findings (flags, config file, store
// configuration, ORCHARD_* environment) and the path → one entry file. The entry holds each walked
// file's content hash (SHA-256) with the stat that produced it (size, mtime, inode: an unchanged
// stat reuses the hash, as git's index does; anything else re-reads the file), the stamps of the
// folders the walk listed (unchanged folders: the walk is replayed, not done again), what
// .gitignore and git say about the files, the stat of files read beyond the walk (figgy.json imports, the
// baseline), the local stores' change tokens, and the result. Any difference is a miss, and the
// entry is rewritten (atomically) after the full check. A remote store (SSM) has no cheap token: a
// check against one is never answered from the cache.
import { createHash } from 'node:crypto';
import { promises as fs, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '../analysis/types';
import { gitTracked } from '../model/git';
import type { WalkResult } from '../model/walk';
import type { ParameterStore } from '../store/types';
import { VERSION } from './version';
import { BUILD_ID } from '../model/buildId';
export { cacheRoot } from '../model/cacheDir';
import { FileSink, pour, type Sink } from './sinks';

/** The Orchard that wrote an entry: its version and, for a built bundle, the build (another build of the same version may find other things). */
const WRITER = BUILD_ID ? `${VERSION}+${BUILD_ID}` : VERSION;

/** What `orchard check` prints and decides its exit code from. */
export interface CheckSummary {
  findings: Finding[];
  envs: string[];
  services: number;
  apps: number;
  /** Some file holds a credential finding (the "nothing found" line depends on it). */
  credentials: boolean;
  /** A service's own namespace could not be read in some environment (exit 2). */
  unreadable: boolean;
}

/** The summary without its findings: what a hit needs to decide the exit code. */
export type CachedCounts = Omit<CheckSummary, 'findings'> & { severities: Finding['severity'][] };

type Stat = [size: number, mtimeMs: number, ino: number];

interface Entry {
  format: 1;
  version: string;
  files: Record<string, [...Stat, string]>;
  filesHash: string;
  beyond: Record<string, string>;
  tokens: Record<string, string>;
  counts: CachedCounts;
  /** Rendered outputs by variant (format, colour, working folder), each in its own file. */
  outputs: Record<string, string>;
  /** The findings' file. Result files are named by the state they were computed from, so a meta file never points at another run's result (concurrent checks). */
  findingsFile: string;
  /** When the entry was written: a file modified within a second of it is re-read (its stat may not show a later change). */
  savedAt: number;
  /** What the walk's listing depended on, to replay it (see replayWalk). */
  walk?: WalkStamps;
}

/** The stamps of a walk's folders and ignore files, and what it found that the file list does not say. */
interface WalkStamps {
  /** When the walk started: a folder or ignore file changed within a second of it is not trusted. */
  at: number;
  /** The git work tree the walk was in (its ignore files apply). */
  top?: string;
  dirs: Record<string, string>;
  ignoreFiles: Record<string, string>;
  ignored: string[];
  truncated: boolean;
}

/** Entries kept in the cache folder (one per checked path and settings); the oldest go first. */
const MAX_ENTRIES = 32;
/** Files larger than this are hashed by stat only (the scanner refuses them anyway). */
const MAX_HASHED_BYTES = 16 * 1024 * 1024;

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The settings that decide findings, as one key; `orchardEnv` is every ORCHARD_* variable. */
export function cacheKey(target: string, settings: unknown): string {
  const orchardEnv = Object.keys(process.env)
    // ORCHARD_PARSE_WORKERS says where parsing runs, not what it finds.
    .filter((k) => (k.startsWith('ORCHARD_') || k.startsWith('XDG_')) && k !== 'ORCHARD_PARSE_WORKERS')
    .sort()
    .map((k) => [k, process.env[k]]);
  return sha256(JSON.stringify({ version: WRITER, target: path.resolve(target), settings, orchardEnv })).slice(0, 32);
}

function statOf(file: string): Stat | undefined {
  try {
    const st = statSync(file);
    return st.isFile() ? [st.size, st.mtimeMs, st.ino] : undefined;
  } catch {
    return undefined;
  }
}

function hashFile(file: string): string {
  try {
    return sha256(readFileSync(file));
  } catch {
    return 'unreadable';
  }
}

export interface Fingerprint {
  files: Entry['files'];
  filesHash: string;
}

/** A path's kind, size, modification and change times and inode ("absent": none), and when it last changed. */
function stampOf(p: string): { stamp: string; changedMs: number } {
  try {
    const st = statSync(p);
    return { stamp: `${st.isDirectory() ? 'd' : st.isFile() ? 'f' : 'o'}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`, changedMs: Math.max(st.mtimeMs, st.ctimeMs) };
  } catch {
    return { stamp: 'absent', changedMs: -Infinity };
  }
}

function stampsWithin(paths: string[], at: number): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const p of paths) {
    const s = stampOf(p);
    // Changed around the walk: the listing may predate the change.
    if (s.changedMs >= at - 1000) return undefined;
    out[p] = s.stamp;
  }
  return out;
}

/**
 * The stamps that let the next check replay this walk, taken right after it (`at`: when it
 * started). Undefined when the walk did not record its listing or something changed around it.
 */
export function walkStamps(walk: WalkResult, at: number): WalkStamps | undefined {
  if (!walk.listed) return undefined;
  const dirs = stampsWithin(walk.listed.dirs, at);
  const ignoreFiles = dirs && stampsWithin(walk.listed.ignoreFiles, at);
  if (!dirs || !ignoreFiles) return undefined;
  return { at, top: walk.listed.top, dirs, ignoreFiles, ignored: [...walk.ignored], truncated: walk.truncated };
}

/**
 * The walk an entry was computed from, when every folder it listed and every ignore file it
 * looked for has the same stamp: a folder's times change when an entry is added, removed or
 * renamed in it, or its permissions change, so the same folders list the same files (their
 * contents are compared by `fingerprint`). git's view is asked again (the index changes without
 * any folder changing). Undefined otherwise: the caller walks.
 */
export function replayWalk(entry: Pick<Entry, 'files' | 'walk'> | undefined, root: string): { walk: WalkResult; stamps: WalkStamps } | undefined {
  const w = entry?.walk;
  if (!w) return undefined;
  for (const [p, s] of Object.entries(w.dirs)) if (stampOf(p).stamp !== s) return undefined;
  for (const [p, s] of Object.entries(w.ignoreFiles)) if (stampOf(p).stamp !== s) return undefined;
  const git = gitTracked(root);
  if (git?.top !== w.top) return undefined;
  const walk: WalkResult = { files: Object.keys(entry.files), ignored: new Set(w.ignored), truncated: w.truncated };
  if (git?.tracked) walk.tracked = git.tracked;
  if (git) walk.top = git.top;
  return { walk, stamps: w };
}

/**
 * Content hashes of the walked files (reusing `prev`'s when the stat is the same) and git's view.
 * Synchronous on purpose: the CLI has nothing else to do, and 4,000 stats take a quarter of the
 * time they take through the thread pool.
 */
export function fingerprint(walk: WalkResult, prev?: Entry): Fingerprint {
  const files: Entry['files'] = {};
  for (const f of walk.files) {
    const st = statOf(f);
    if (!st) {
      files[f] = [-1, 0, 0, 'unreadable'];
      continue;
    }
    const old = prev?.files[f];
    if (old && prev && old[0] === st[0] && old[1] === st[1] && old[2] === st[2] && st[1] < prev.savedAt - 1000) files[f] = old;
    else files[f] = [...st, st[0] > MAX_HASHED_BYTES ? `large:${st[0]}:${st[1]}` : hashFile(f)];
  }
  const h = createHash('sha256');
  for (const f of walk.files) h.update(`${f}\0${files[f][3]}\0${walk.ignored.has(f) ? 'i' : ''}\n`);
  h.update(`truncated:${walk.truncated}\n`);
  if (walk.tracked) for (const t of [...walk.tracked].sort()) h.update(`t\0${t}\n`);
  return { files, filesHash: h.digest('hex') };
}

function stampsOf(paths: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of paths) out[p] = statOf(p)?.join(':') ?? 'absent';
  return out;
}

/** Change tokens of the stores; undefined when one is not local or has no token. */
export async function storeTokens(stores: Map<string, ParameterStore>): Promise<Record<string, string> | undefined> {
  const out: Record<string, string> = {};
  for (const [env, s] of stores) {
    if (s.kind !== 'local') return undefined;
    const t = await s.changeToken().catch(() => undefined);
    if (t === undefined) return undefined;
    out[env] = t;
  }
  return out;
}

/**
 * One entry per checked path and settings: `<key>.json` (what the result was computed from, and
 * counts), `<key>.<state>.findings.json`, and one `<key>.<state>.<variant>.out` per rendered output
 * variant, `<state>` naming the inputs the result came from. A hit with a variant already rendered
 * costs a stat per file and one write: no parse, no findings to format.
 */
export class CheckCache {
  private readonly base: string;
  private entry?: Entry;
  /** The entry this check replaced, whose result files go once the new meta file is written. */
  private previous?: Entry;

  constructor(readonly dir: string, key: string) {
    this.base = path.join(dir, 'check', key);
  }

  /** The stored entry, if any and readable; a damaged entry is a miss. */
  async load(): Promise<Entry | undefined> {
    try {
      const e = JSON.parse(await fs.readFile(`${this.base}.json`, 'utf8')) as Entry;
      if (e.format === 1 && e.version === WRITER && typeof e.savedAt === 'number' && e.counts && e.outputs && typeof e.findingsFile === 'string') this.entry = e;
    } catch {
      this.entry = undefined;
    }
    return this.entry;
  }

  /** The stored counts when everything the result was computed from is unchanged. */
  async hit(fp: Fingerprint, tokens: () => Promise<Record<string, string> | undefined>): Promise<CachedCounts | undefined> {
    const e = this.entry;
    if (!e || e.filesHash !== fp.filesHash) return undefined;
    const beyond = stampsOf(Object.keys(e.beyond));
    if (Object.keys(e.beyond).some((p) => beyond[p] !== e.beyond[p])) return undefined;
    if (Object.keys(e.tokens).length) {
      const now = await tokens();
      if (!now || Object.keys(e.tokens).some((env) => now[env] !== e.tokens[env])) return undefined;
    }
    return e.counts;
  }

  /**
   * New walk stamps for the entry after a hit that had to walk: it was saved without them (its
   * folders were too new then) or they no longer match (a folder changed without changing the
   * result), so that later hits replay the walk again. Only the stamps change; best effort: a
   * cache that cannot be written stays as it is.
   */
  async restampWalk(stamps: () => WalkStamps | undefined): Promise<void> {
    const e = this.entry;
    const walk = e && stamps();
    if (!e || !walk) return;
    e.walk = walk;
    await this.write(`${path.basename(this.base)}.json`, JSON.stringify(e));
  }

  /**
   * A rendered output of the entry, opened (the caller copies and closes it), if this variant was
   * rendered before. Once open it stays readable even if another check replaces it.
   */
  async output(variant: string): Promise<fs.FileHandle | undefined> {
    const name = this.entry?.outputs[variant];
    return name ? fs.open(path.join(path.dirname(this.base), name), 'r').catch(() => undefined) : undefined;
  }

  /** The entry's findings (a hit whose output variant was never rendered). */
  async findings(): Promise<Finding[] | undefined> {
    try {
      if (!this.entry) return undefined;
      const f = JSON.parse(await fs.readFile(path.join(path.dirname(this.base), this.entry.findingsFile), 'utf8')) as unknown;
      return Array.isArray(f) ? (f as Finding[]) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Starts a new entry for a full check: writes its findings (a finding at a time: the file is as
   * large as the findings). False when the cache cannot be written; outputs are then not kept.
   */
  async save(fp: Fingerprint, walk: WalkStamps | undefined, beyondPaths: string[], tokens: Record<string, string>, summary: CheckSummary): Promise<boolean> {
    const { findings, ...rest } = summary;
    const counts: CachedCounts = { ...rest, severities: [...new Set(findings.map((f) => f.severity))] };
    const beyond = stampsOf(beyondPaths);
    const state = sha256(JSON.stringify([fp.filesHash, beyond, tokens])).slice(0, 16);
    this.previous = this.entry;
    const findingsFile = `${path.basename(this.base)}.${state}.findings.json`;
    this.entry = { format: 1, version: WRITER, files: fp.files, filesHash: fp.filesHash, beyond, tokens, counts, outputs: {}, findingsFile, savedAt: Date.now(), walk };
    const sink = await this.sink(findingsFile);
    if (!sink) return false;
    await pour(jsonArray(findings), [sink]);
    return sink.commit();
  }

  /**
   * Where a rendered output of the current entry is written while it is printed; on commit it
   * becomes the entry's output for `variant` and the entry's meta file is written.
   */
  async outputSink(variant: string): Promise<Sink | undefined> {
    const entry = this.entry;
    if (!entry) return undefined;
    const state = entry.findingsFile.split('.')[1];
    const name = `${path.basename(this.base)}.${state}.${sha256(variant).slice(0, 12)}.out`;
    const file = await this.sink(name);
    if (!file) return undefined;
    return {
      write: (chunk) => file.write(chunk),
      commit: async () => {
        if (!(await file.commit()) || this.entry !== entry) return false;
        entry.outputs[variant] = name;
        if (!(await this.write(`${path.basename(this.base)}.json`, JSON.stringify(entry)))) return false;
        await this.dropPrevious();
        await prune(path.dirname(this.base)).catch(() => undefined);
        return true;
      },
    };
  }

  private async dropPrevious(): Promise<void> {
    const previous = this.previous;
    const entry = this.entry;
    this.previous = undefined;
    if (!previous || !entry) return;
    const keep = new Set([entry.findingsFile, ...Object.values(entry.outputs)]);
    const old = [previous.findingsFile, ...Object.values(previous.outputs)].filter((n) => !keep.has(n) && !n.includes('/'));
    await Promise.all(old.map((n) => fs.rm(path.join(path.dirname(this.base), n), { force: true })));
  }

  /** A file of the cache folder written in pieces; undefined when the folder cannot be written. */
  private async sink(name: string): Promise<FileSink | undefined> {
    const dir = path.dirname(this.base);
    try {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      return await FileSink.open(path.join(dir, name));
    } catch {
      return undefined;
    }
  }

  /** Atomic write (temporary file, then rename); a cache that cannot be written is skipped silently. */
  private async write(name: string, text: string): Promise<boolean> {
    const file = await this.sink(name);
    if (!file) return false;
    await file.write(text);
    return file.commit();
  }
}

/** `JSON.stringify(items)`, an element at a time. */
function* jsonArray(items: readonly unknown[]): Generator<string> {
  yield '[';
  for (let i = 0; i < items.length; i++) yield `${i ? ',' : ''}${JSON.stringify(items[i])}`;
  yield ']';
}

/** Keeps the MAX_ENTRIES most recently written entries (all files of a key go together). */
async function prune(dir: string): Promise<void> {
  const names = await fs.readdir(dir);
  const metas = names.filter((n) => /^[0-9a-f]{32}\.json$/.test(n));
  if (metas.length <= MAX_ENTRIES) return;
  const aged = await Promise.all(metas.map(async (n) => ({ key: n.slice(0, 32), t: (await fs.stat(path.join(dir, n)).catch(() => undefined))?.mtimeMs ?? 0 })));
  aged.sort((a, b) => a.t - b.t);
  const drop = new Set(aged.slice(0, aged.length - MAX_ENTRIES).map((a) => a.key));
  await Promise.all(names.filter((n) => drop.has(n.slice(0, 32))).map((n) => fs.rm(path.join(dir, n), { force: true })));
}
