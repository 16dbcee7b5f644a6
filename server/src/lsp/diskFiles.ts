// The files Orchard reads from disk, apart from open documents: the start-up scan of the workspace
// folders, watched-file events (files, and folders created or deleted as one event), and what git
// and the ignore files say of them. DocumentCache (documents.ts) layers the open documents over this
// and builds the workspace model from both.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SKIP_DIRS, ignoredBeyondWalk } from '../model/walk';
import { composeEnvFiles } from '../model/composeBuild';
import type { ComposeModel, DotenvModel } from '../parse/envTypes';
import type { FiggyJsonModel, PythonConfigModel, SecretsJsonModel } from '../parse/types';
import type { FileCredentials } from '../model/types';
import { BASELINE_FILE, classifyByContent, classifyFile, configRead, jsonCandidateMatcher, notReadError, parseBaseline, secretsScan, type FileKind } from '../model/scan';
import { loadAllowlists, type Allowlists } from '../model/allowlists';
import { toPath, toUri } from '../model/uris';
import { initTerraformFor, isTerraformPath } from '../parse/terraform';
import { runCachedParseJob, runParseJobHere, type ParseJob, type ParseOutcome } from '../model/parseJob';
import { ParseCache } from '../model/parseCache';
import { MIN_POOL_JOBS, POOL_AHEAD, POOL_AHEAD_BYTES, ParsePool, defaultWorkerCount, type Ticket } from '../model/parsePool';
import { classifyEnvFile, unreadDotenv, type EnvFileKind, type EnvFileModel } from '../model/files';
import type { ServerRuntime } from './runtime';
import type { ReadOutcome } from '../fsread';

export type AnyModel = PythonConfigModel | FiggyJsonModel | SecretsJsonModel;

/** Files read concurrently during a scan (each at most MAX_FILE_BYTES). */
const READ_AHEAD = 32;
/** With synchronous reads, the start-up scan gives the message loop a turn this often (ms). */
const SCAN_SLICE_MS = 20;

function readOrSay(read: (p: string) => ReadOutcome, p: string): ReadOutcome {
  try {
    return read(p);
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) } as ReadOutcome;
  }
}

/**
 * What a file is held as, for patching the last build with its new model (documents.ts patch): a
 * Python file (also a plain module no build includes), a figgy.json, or a twelve-factor /
 * credential kind. Any twelve-factor kind patches: a file's place, which can decide app
 * boundaries, stays; model/patch.ts builds the apps again when a compose file's build contexts or a
 * charm's name change.
 */
export type PatchKind = 'python' | 'figgy-json' | EnvFileKind;

export interface DiskHooks {
  /**
   * Something read from disk changed (the workspace model must be built again). `file`: only that
   * file's model, of the same patchable kind as before (the last build can be patched).
   */
  changed(file?: string): void;
  /** An open document stands for this file (a folder's new files skip it). */
  isOpen(uri: string): boolean;
}

/** A file the pooled scan read ahead: its outcome from the parse cache, its job in the pool, or why it was not read. */
type Queued = { outcome: ParseOutcome } | { ticket: Ticket; key?: string } | ReadOutcome | undefined;

export class DiskFiles {
  readonly disk = new Map<string, { kind: FileKind; model: AnyModel }>();
  /** Twelve-factor / credential files read from disk. */
  readonly envDisk = new Map<string, EnvFileModel>();
  /** Credentials of Python files read from disk (also of files with no Figgy or env facts). */
  readonly pyCreds = new Map<string, FileCredentials>();
  /** Paths `.gitignore` or the excludes cover (not credential-scanned), and git's tracked files. */
  ignored = new Set<string>();
  tracked?: Set<string>;
  baseline?: Set<string>;
  /** The last scan's worker threads and the files they parsed (undefined: all parsed on this thread). */
  scanThreads?: { workers: number; inWorkers: number };
  /** What the last scan took from the parse cache (undefined: no cache), and why a cache was not usable. */
  scanCache?: { hits: number; disabled?: string };
  /** `orchard.parseCache`: scans use the runtime's parse cache (default true). */
  useParseCache = true;
  /** Parse caches the scans filled, until saveParseCaches writes them. */
  private unsaved: ParseCache[] = [];
  rootUris: string[] = [];
  /** `orchard.exclude`: globs (gitignore syntax) the walk skips. */
  exclude: string[] = [];
  /**
   * Files a compose `env_file` names that no convention names (lemur's `docker/lemur-env`), held as
   * `.env` files read as compose reads them (uris; syncComposeNamed keeps the set).
   */
  readonly composeNamed = new Set<string>();
  /** Each scanned root's git work tree (its top folder), to judge ignored files the walk did not list. */
  private readonly tops = new Map<string, string | undefined>();
  /** Each scanned root's gitleaks, detect-secrets, GitGuardian and GitHub secret scanning files (read at each scan; a change of one rescans: server.ts). */
  private readonly allowlists = new Map<string, Allowlists | undefined>();

  /** Which JSON files (besides figgy.json / figgy-secrets.json) are checked for Figgy content. */
  private jsonCandidate = jsonCandidateMatcher();
  private jsonFiles = '';

  constructor(
    private readonly runtime: ServerRuntime,
    private readonly hooks: DiskHooks,
    private readonly stats: { parses: number },
  ) {}

  /** Sets `orchard.figgyJsonFiles`; true when it changed (the caller rescans). */
  setJsonFiles(globs: unknown): boolean {
    const list = Array.isArray(globs) ? globs.filter((g): g is string => typeof g === 'string') : undefined;
    const key = JSON.stringify(list ?? null);
    if (key === this.jsonFiles) return false;
    this.jsonFiles = key;
    this.jsonCandidate = jsonCandidateMatcher(list);
    return true;
  }

  /** The twelve-factor / credential kind of a file uri (undefined for Figgy kinds and other files). */
  envKindOf(uri: string): EnvFileKind | undefined {
    if (!uri.startsWith('file:')) return undefined;
    return this.composeNamed.has(uri) ? 'dotenv' : classifyEnvFile(toPath(uri));
  }

  /** Whether a file is read as a `.env` file because a compose file names it (in compose's way). */
  isComposeNamed(uri: string): boolean {
    return this.composeNamed.has(uri);
  }

  /**
   * Follows the compose files' `env_file` entries (model/composeBuild.ts composeEnvFiles, of the
   * compose and `.env` models given, disk and open documents; the `.env` for interpolation): a named file under a workspace folder that the
   * walk did not read (no convention names it, or it sits in a folder walks skip, `env/`) is read
   * as a `.env` file (one there but not readable says why); one no longer named is dropped.
   * Returns whether the set changed (the caller re-registers watchers).
   */
  async syncComposeNamed(compose: readonly ComposeModel[], dotenv: readonly DotenvModel[]): Promise<boolean> {
    const roots = this.rootUris.map((r) => toPath(r));
    const rootOf = (f: string) => roots.find((r) => f.startsWith(`${r}${path.sep}`));
    // (As the CLI's scan: not a file the walk reads anyway, a Python or JSON file by its name.)
    const held = (u: string) => this.disk.has(u) || this.envDisk.has(u) || this.pyCreds.has(u) || this.kindOf(u) !== undefined || this.isContentCandidate(u);
    const wanted = new Set([...composeEnvFiles(compose, dotenv)].filter((u) => this.composeNamed.has(u) || (rootOf(toPath(u)) !== undefined && !held(u))));
    let changed = false;
    for (const uri of [...this.composeNamed]) {
      if (wanted.has(uri)) continue;
      this.composeNamed.delete(uri);
      this.envDisk.delete(uri);
      changed = true;
    }
    for (const uri of wanted) {
      if (this.composeNamed.has(uri)) continue;
      this.composeNamed.add(uri);
      changed = true;
      const f = toPath(uri);
      const root = rootOf(f)!;
      if (ignoredBeyondWalk(f, root, { top: this.tops.get(root), tracked: this.tracked }, this.exclude)) this.ignored.add(f);
      if (!this.hooks.isOpen(uri)) await this.loadFromDisk(uri);
    }
    if (changed) this.hooks.changed();
    return changed;
  }

  /**
   * Whether a file is scanned for credentials (not what git ignores, nor what other scanners' files
   * leave out), and what the workspace folder's gitleaks, detect-secrets, GitGuardian and GitHub
   * files allow in it (model/allowlists.ts).
   */
  secretsScan(uri: string): Pick<ParseJob, 'scanSecrets' | 'credentialAllow'> {
    if (!uri.startsWith('file:')) return { scanSecrets: true };
    const f = toPath(uri);
    const root = [...this.allowlists.keys()].find((r) => f.startsWith(`${r}${path.sep}`));
    return secretsScan(!this.ignored.has(f), root === undefined ? undefined : this.allowlists.get(root), f);
  }

  /** A file's kind by name, or (with its text) for another JSON file by content. */
  kindOf(uri: string, text?: string): FileKind | undefined {
    const p = uri.startsWith('file:') ? toPath(uri) : uri;
    return text === undefined ? classifyFile(p) : classifyByContent(p, text, this.jsonCandidate);
  }

  isContentCandidate(uri: string): boolean {
    const p = uri.startsWith('file:') ? toPath(uri) : uri;
    return classifyFile(p) === undefined && this.jsonCandidate(p);
  }

  /** Reads and parses every config file under the roots (replacing what was known from disk). */
  async scan(roots: string[]): Promise<number> {
    this.disk.clear();
    this.envDisk.clear();
    this.pyCreds.clear();
    this.ignored = new Set();
    this.tracked = undefined;
    this.baseline = undefined;
    this.scanThreads = undefined;
    this.scanCache = undefined;
    this.rootUris = roots.map((r) => toUri(r));
    this.composeNamed.clear();
    this.tops.clear();
    this.allowlists.clear();
    let n = 0;
    for (const root of roots) {
      let files: string[];
      if (this.runtime.walkFiles) {
        const w = await this.runtime.walkFiles(root, { exclude: this.exclude });
        files = w.files;
        this.tops.set(root, w.top);
        for (const f of w.ignored) this.ignored.add(f);
        if (w.tracked) {
          this.tracked ??= new Set();
          for (const f of w.tracked) this.tracked.add(f);
        }
      } else files = await this.runtime.findConfigFiles(root);
      // Terraform files are read with a grammar of their own, loaded only when the tree holds one.
      await initTerraformFor(files);
      this.allowlists.set(root, await loadAllowlists(root, this.tops.get(root), async (f) => {
        const r = await this.runtime.readFile(f);
        return r.ok ? r.text : undefined;
      }));
      const sync = this.runtime.readFileSync;
      const cache = this.useParseCache ? this.runtime.parseCache?.(root) : undefined;
      // A large workspace is parsed on worker threads too, when the machine has cores to spare.
      if (sync && files.length >= MIN_POOL_JOBS && defaultWorkerCount() > 0) {
        const pool = new ParsePool({ here: runParseJobHere });
        try {
          n += await this.scanPooled(files, sync, pool, cache);
        } finally {
          await pool.close();
          this.noteThreads(pool);
        }
      } else n += await this.scanHere(files, sync, cache);
      if (cache) {
        // Written after the first push (saveParseCaches); nothing new: let go of it now.
        if (cache.changed) this.unsaved.push(cache);
        else void cache.save();
        const c = (this.scanCache ??= { hits: 0 }) as { hits: number; disabled?: string };
        c.hits += cache.stats.hits;
        c.disabled ??= cache.stats.disabled;
      }
      await this.loadBaseline(path.join(root, BASELINE_FILE));
    }
    this.hooks.changed();
    return n;
  }

  /**
   * Writes the parse caches the last scans filled (server.ts: after the push that follows a scan, so
   * the first diagnostics do not wait for it). `pause`: see ParseCache.save.
   */
  async saveParseCaches(pause?: () => Promise<void>): Promise<void> {
    const caches = this.unsaved;
    this.unsaved = [];
    for (const c of caches) await c.save(pause);
  }

  private async loadBaseline(file: string): Promise<void> {
    const r = await this.runtime.readFile(file);
    if (!r.ok) return;
    this.baseline ??= new Set();
    for (const f of parseBaseline(r.text)) this.baseline.add(f);
  }

  /** A watched file was created/changed (re-read) or deleted. */
  async fileChanged(uri: string, deleted: boolean): Promise<void> {
    if (uri.startsWith('file:') && path.basename(toPath(uri)) === BASELINE_FILE) {
      this.baseline = undefined;
      for (const r of this.rootUris) await this.loadBaseline(path.join(toPath(r), BASELINE_FILE));
    } else if (deleted) {
      this.disk.delete(uri);
      this.envDisk.delete(uri);
      this.pyCreds.delete(uri);
    } else {
      // Held as the same kind before and after: only this file's model changed.
      const before = this.heldKind(uri);
      await this.loadFromDisk(uri);
      if (before !== undefined && this.heldKind(uri) === before) return this.hooks.changed(uri);
    }
    this.hooks.changed();
  }

  /** What the disk holds this file as (PatchKind); undefined for anything a patch cannot take. */
  heldKind(uri: string): PatchKind | undefined {
    const e = this.envDisk.get(uri)?.kind;
    if (e) return this.disk.has(uri) ? undefined : e;
    const named = this.kindOf(uri);
    if (named === 'figgy-json') return this.disk.get(uri)?.kind === 'figgy-json' ? 'figgy-json' : undefined;
    // A .py file held as Python, or not held at all (a plain module).
    return named === 'python' && (this.disk.get(uri)?.kind ?? 'python') === 'python' ? 'python' : undefined;
  }

  /**
   * Deletions that are not files Orchard holds may be folders: a deleted folder is one event (watchers
   * do not list its files), so every file held under one of them is dropped. One pass over the held
   * files per batch, whatever the number of events. Returns whether anything was dropped.
   */
  foldersDeleted(uris: string[]): boolean {
    const maps = [this.disk, this.envDisk, this.pyCreds] as Map<string, unknown>[];
    const folders = new Set(uris.map((u) => u.replace(/\/+$/, '')).filter((u) => !maps.some((m) => m.has(u))));
    if (folders.size === 0) return false;
    let dropped = false;
    for (const m of maps) {
      for (const k of [...m.keys()]) {
        for (let i = k.lastIndexOf('/'); i > 0; i = k.lastIndexOf('/', i - 1)) {
          if (folders.has(k.slice(0, i))) {
            m.delete(k);
            dropped = true;
            break;
          }
        }
      }
    }
    if (dropped) this.hooks.changed();
    return dropped;
  }

  /**
   * Creations that are not files may be folders: a folder created with its files in one go (a copied
   * service, a `git checkout`) can come as one event for the folder. Each new folder inside a
   * workspace root, not one walks skip, is walked and its files loaded. Returns whether any was.
   */
  async foldersCreated(uris: string[]): Promise<boolean> {
    const roots = this.rootUris.map((r) => toPath(r));
    let loaded = false;
    for (const uri of uris) {
      if (!uri.startsWith('file:') || this.disk.has(uri) || this.envDisk.has(uri)) continue;
      const dir = toPath(uri);
      const root = roots.find((r) => dir.startsWith(`${r}${path.sep}`));
      if (!root || path.relative(root, dir).split(path.sep).some((seg) => SKIP_DIRS.has(seg))) continue;
      const st = await fs.stat(dir).catch(() => undefined);
      if (!st?.isDirectory() || !this.runtime.walkFiles) continue;
      const w = await this.runtime.walkFiles(dir, { exclude: [] });
      for (const f of w.ignored) this.ignored.add(f);
      if (w.tracked && this.tracked) for (const f of w.tracked) this.tracked.add(f);
      for (const f of w.files) {
        const u = toUri(f);
        if (this.disk.has(u) || this.envDisk.has(u) || this.hooks.isOpen(u)) continue;
        if (await this.loadFromDisk(u)) loaded = true;
      }
    }
    if (loaded) this.hooks.changed();
    return loaded;
  }

  /** Whether loadFromDisk reads this file at all (a Figgy name, a JSON content candidate, a twelve-factor/credential kind). */
  private wantsRead(uri: string): boolean {
    return Boolean(this.kindOf(uri) || this.isContentCandidate(uri) || this.envKindOf(uri));
  }

  private async loadFromDisk(uri: string, preread?: Promise<ReadOutcome>, cache?: ParseCache): Promise<boolean> {
    if (!this.wantsRead(uri)) return false;
    if (isTerraformPath(uri)) await initTerraformFor([uri]);
    const r = await (preread ?? this.runtime.readFile(toPath(uri)));
    if (!r.ok) {
      this.disk.delete(uri);
      // A file compose names, there but not read (a FIFO, denied, too large): held, saying why.
      const c = configRead(r);
      if (this.isComposeNamed(uri) && r.reason !== 'missing' && !('text' in c)) {
        this.envDisk.set(uri, unreadDotenv(uri, notReadError(c)));
        return true;
      }
      this.envDisk.delete(uri);
      return false;
    }
    return this.apply(uri, runCachedParseJob(this.jobOf(uri, r.text), cache));
  }

  /** The parse job of a file read from disk. */
  private jobOf(uri: string, text: string): ParseJob {
    const named = this.kindOf(uri);
    return { uri, text, named, jsonCandidate: !named && this.isContentCandidate(uri), envKind: named ? undefined : this.envKindOf(uri), ...this.secretsScan(uri), ...(this.isComposeNamed(uri) ? { composeEnv: true } : {}) };
  }

  /** A file's parse into what is known from disk; true when the file is held (models or credentials). */
  private apply(uri: string, o: ParseOutcome): boolean {
    if (o.kind === 'none' || o.kind === 'env') {
      this.disk.delete(uri);
      if (o.kind === 'none') return false;
      // Not Figgy's: a twelve-factor or credential-bearing file (JSON ones included).
      this.stats.parses++;
      this.envDisk.set(uri, o.env);
      return true;
    }
    this.envDisk.delete(uri);
    this.stats.parses++;
    if (o.kind === 'python') {
      const creds = o.credentials;
      if (creds && (creds.findings.length || creds.notices.length)) this.pyCreds.set(uri, creds);
      else this.pyCreds.delete(uri);
      if (!o.relevant) {
        this.disk.delete(uri);
        return this.pyCreds.has(uri);
      }
    }
    this.disk.set(uri, { kind: o.kind, model: o.model });
    return true;
  }

  /** Adds a pool's work to the scan's account (one pool per workspace folder). */
  private noteThreads(pool: ParsePool): void {
    // No worker started (no file was large enough): all parsed on this thread.
    if (pool.stats.workers === 0) return;
    const t = this.scanThreads;
    this.scanThreads = { workers: Math.max(t?.workers ?? 0, pool.stats.workers), inWorkers: (t?.inWorkers ?? 0) + pool.stats.inWorkers };
  }

  /**
   * The start-up scan's loop on this thread: synchronous reads when the runtime has them, yielding
   * to the message loop every SCAN_SLICE_MS (requests and cancellations are still served); else
   * reads run READ_AHEAD files ahead of the parsing. Files are loaded in walk order either way.
   */
  private async scanHere(files: string[], sync: ((p: string) => ReadOutcome) | undefined, cache: ParseCache | undefined): Promise<number> {
    let n = 0;
    let slice = performance.now();
    const reads = new Map<number, Promise<ReadOutcome>>();
    for (let i = 0; i < files.length; i++) {
      if (sync) {
        if (performance.now() - slice > SCAN_SLICE_MS) {
          await new Promise((r) => setImmediate(r));
          slice = performance.now();
        }
        const uri = toUri(files[i]);
        if (await this.loadFromDisk(uri, this.wantsRead(uri) ? Promise.resolve(readOrSay(sync, files[i])) : undefined, cache)) n++;
        continue;
      }
      for (let j = i; j < Math.min(files.length, i + READ_AHEAD); j++) {
        if (reads.has(j) || !this.wantsRead(toUri(files[j]))) continue;
        reads.set(j, this.runtime.readFile(files[j]).catch((e: unknown): ReadOutcome => ({ ok: false, message: e instanceof Error ? e.message : String(e) }) as ReadOutcome));
      }
      const pre = reads.get(i);
      reads.delete(i);
      if (await this.loadFromDisk(toUri(files[i]), pre, cache)) n++;
    }
    return n;
  }

  /**
   * The start-up scan's loop with worker threads parsing too (model/parsePool.ts): files are read
   * here (synchronously) and queued POOL_AHEAD ahead, and applied in walk order. Returns how many are held.
   */
  private async scanPooled(files: string[], read: (p: string) => ReadOutcome, pool: ParsePool, cache: ParseCache | undefined): Promise<number> {
    const queued = new Map<number, Queued>();
    let aheadBytes = 0;
    let n = 0;
    let slice = performance.now();
    for (let i = 0; i < files.length; i++) {
      // Outcomes from the parse cache never wait on the pool: the message loop gets its turn here.
      if (performance.now() - slice > SCAN_SLICE_MS) {
        await new Promise((r) => setImmediate(r));
        slice = performance.now();
      }
      // Queued ahead up to POOL_AHEAD files or POOL_AHEAD_BYTES of text; file i always.
      for (let j = i; j < Math.min(files.length, i + POOL_AHEAD) && (j === i || aheadBytes < POOL_AHEAD_BYTES); j++) {
        if (queued.has(j)) continue;
        const uri = toUri(files[j]);
        const r = this.wantsRead(uri) ? readOrSay(read, files[j]) : undefined;
        if (!r?.ok) {
          queued.set(j, r);
          continue;
        }
        const job = this.jobOf(uri, r.text);
        const key = cache && ParseCache.keyOf(job);
        const hit = key ? cache.lookup(job, key) : undefined;
        queued.set(j, hit ? { outcome: hit } : { ticket: pool.submit(job), key });
        if (!hit) aheadBytes += r.text.length;
      }
      const q = queued.get(i);
      queued.delete(i);
      const uri = toUri(files[i]);
      if (!q) continue;
      if ('ok' in q) {
        this.disk.delete(uri);
        continue;
      }
      if ('outcome' in q) {
        if (this.apply(uri, q.outcome)) n++;
        continue;
      }
      aheadBytes -= q.ticket.job.text.length;
      const outcome = await pool.result(q.ticket);
      if (q.key) cache?.remember(uri, q.key, outcome);
      if (this.apply(uri, outcome)) n++;
    }
    return n;
  }
}
