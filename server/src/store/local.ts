// The embedded local parameter store (the default backend): one directory, one JSON file per
// environment, SecureString values sealed with AES-256-GCM, writes atomic and locked across
// processes so two editor windows and the CLI can write at once without losing anything.
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateParameterName } from '../parse/paths';
import { aadFor, KEY_FILE_NAME, open as openSealed, seal, type KeyRead } from './crypto';
import { loadKey } from './local-key';
import { currentOf, emptyData, parseStoreFile, serialise, type StoreData, type StoredVersion } from './local-format';
import {
  atomicReplace,
  cleanTempFiles,
  DEFAULT_LOCK_STALE_MS,
  DEFAULT_LOCK_TIMEOUT_MS,
  errCode,
  fsFailure,
  lockPathFor,
  parseTempName,
  serialised,
  storeFolderProblem,
  tightenMode,
  writeTarget,
} from './local-fs';
import { acquireLock } from './lock';
import { LIMITS, readRegularFile } from '../fsread';
import { defaultStoreDir } from './paths';
import type {
  DeleteResult,
  HistoryEntry,
  Identity,
  ListResult,
  Lookup,
  ParameterMeta,
  ParameterStore,
  ParameterValue,
  PutRequest,
  PutResult,
  StoreFailure,
} from './types';

export interface LocalStoreOptions {
  /** Store directory; default `defaultStoreDir()`. */
  dir?: string;
  env: string;
  /** User part of `local:<user>@<host>`; default the OS user. */
  user?: string;
  /** Clock for lastModified (tests). */
  now?: () => Date;
  /**
   * A lock whose holder cannot be judged (another host or pid namespace) and whose heartbeat stopped
   * this long ago is taken over (min 1000). A dead holder on this machine is replaced at once.
   */
  lockStaleMs?: number;
  /** How long a write waits for the lock before failing with `timeout` (default 30 s, above the stale time). */
  lockTimeoutMs?: number;
  /** Problems worth telling the user that are not failures (loose file modes, a store created). */
  onWarning?: (message: string) => void;
}

/** Environment names become file names: keep them to a safe, portable alphabet. */
const ENV_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function validateEnvName(env: string): string | undefined {
  return ENV_RE.test(env)
    ? undefined
    : `environment name ${JSON.stringify(env.slice(0, 80))} is not usable: use 1-64 letters, digits, "-" or "_", starting with a letter or digit`;
}

function osUser(): string {
  try {
    const u = os.userInfo().username;
    if (u) return u;
  } catch {
    // No passwd entry (some containers): fall through to the environment.
  }
  return process.env.USER || process.env.USERNAME || 'unknown';
}

type Loaded = { ok: true; data: StoreData } | { ok: false; failure: StoreFailure };

export class LocalStore implements ParameterStore {
  readonly kind = 'local';
  readonly env: string;
  readonly dir: string;
  /** `<dir>/<env>.json` */
  readonly file: string;
  readonly keyFile: string;
  readonly lockPath: string;
  /** `local:<user>@<host>`, recorded as lastModifiedBy. */
  readonly author: string;

  private readonly now: () => Date;
  private readonly staleMs: number;
  private readonly timeoutMs: number;
  private readonly envProblem: string | undefined;
  private cache: { stamp: string; data: StoreData } | undefined;
  private key: Extract<KeyRead, { state: 'found' }> | undefined;
  private cleanedOnOpen = false;
  private modesChecked = false;
  private readonly warn: (message: string) => void;

  constructor(opts: LocalStoreOptions) {
    this.env = opts.env;
    this.dir = path.resolve(opts.dir ?? defaultStoreDir());
    this.envProblem = validateEnvName(opts.env);
    // With a bad env name the paths are never touched; a placeholder keeps them well-defined.
    this.file = path.join(this.dir, `${this.envProblem ? '_invalid_' : opts.env}.json`);
    this.keyFile = path.join(this.dir, KEY_FILE_NAME);
    this.lockPath = lockPathFor(this.file);
    this.author = `local:${opts.user ?? osUser()}@${os.hostname()}`;
    this.now = opts.now ?? (() => new Date());
    this.staleMs = Math.max(1000, opts.lockStaleMs ?? DEFAULT_LOCK_STALE_MS);
    this.timeoutMs = Math.max(0, opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
    this.warn = opts.onWarning ?? (() => undefined);
  }

  private folderProblem(): Promise<StoreFailure | undefined> {
    return storeFolderProblem(this.dir);
  }

  /** Creates the store folder for a write (an explicit act), saying so; a failure when it cannot. */
  private async ensureFolder(): Promise<StoreFailure | undefined> {
    if ((await this.folderProblem()) === undefined) return undefined;
    try {
      await fsp.mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      return fsFailure('create the store folder', this.dir, e);
    }
    this.warn(`created a new local store at ${this.dir}`);
    return undefined;
  }

  /** Once per store: the folder, key file and this environment's file must not be open to others. */
  private async checkModes(): Promise<void> {
    if (this.modesChecked) return;
    this.modesChecked = true;
    // The folder is changed only when it holds the key (it is certainly a store); otherwise reported.
    const hasKey = await fsp.stat(this.keyFile).then((st) => st.isFile(), () => false);
    await tightenMode(this.dir, 0o700, 'the local store folder', this.warn, hasKey);
    await tightenMode(this.keyFile, 0o600, 'the local store key file', this.warn);
    await tightenMode(this.file, 0o600, 'the local store file', this.warn);
  }

  /**
   * Creates the store folder (0700) and its key file if they do not exist: the explicit act that
   * makes a store (`orchard store init`, `orchard demo`). Says whether anything was created.
   */
  async init(): Promise<{ ok: true; created: boolean } | { ok: false; failure: StoreFailure }> {
    const existed = (await this.folderProblem()) === undefined;
    try {
      await fsp.mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      return { ok: false, failure: fsFailure('create the store folder', this.dir, e) };
    }
    const k = await this.getKey(true);
    if (!k.ok) return { ok: false, failure: k.failure };
    await this.checkModes();
    return { ok: true, created: !existed };
  }

  // ---- reading -------------------------------------------------------------------------------

  private corrupt(reason: string): StoreFailure {
    return {
      kind: 'corrupt',
      message: `local store file ${this.file} is corrupt: ${reason}. Orchard will not write to it until it is fixed or moved away.`,
      hint: `mv '${this.file}' '${this.file}.broken'`,
    };
  }

  private static stampOf(st: { ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint }): string {
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  }

  /** Concurrent reads share one stat/read: a check lists one prefix per service, all at once. */
  private inflight?: Promise<Loaded>;

  /** Parsed file, re-read only when (ino, size, mtime, ctime) changed. `fresh` bypasses the cache. */
  private load(fresh = false): Promise<Loaded> {
    if (fresh) return this.loadNow(true);
    if (!this.inflight) {
      this.inflight = this.loadNow(false).finally(() => {
        this.inflight = undefined;
      });
    }
    return this.inflight;
  }

  private async loadNow(fresh: boolean): Promise<Loaded> {
    if (this.envProblem) return { ok: false, failure: { kind: 'other', message: this.envProblem } };
    if (!this.cleanedOnOpen) {
      this.cleanedOnOpen = true;
      await cleanTempFiles(this.dir, this.env, true);
    }
    if (!fresh && this.cache) {
      try {
        const st = await fsp.stat(this.file, { bigint: true });
        if (LocalStore.stampOf(st) === this.cache.stamp) return { ok: true, data: this.cache.data };
      } catch {
        // Fall through: the full read below reports what is wrong.
      }
    }
    // Regular files only, size-capped: a FIFO or device in place of the file is reported, not waited on.
    const r = await readRegularFile(this.file, { maxBytes: LIMITS.storeFile });
    if (!r.ok) {
      this.cache = undefined;
      if (r.reason === 'missing') return this.absent();
      if (r.reason === 'not-a-file') return { ok: false, failure: this.corrupt(`it is ${r.message}`) };
      if (r.reason === 'too-large') return { ok: false, failure: this.corrupt(`it is too large (${r.message})`) };
      return { ok: false, failure: fsFailure('read', this.file, Object.assign(new Error(), { code: r.code })) };
    }
    await this.checkModes();
    const parsed = parseStoreFile(r.text, this.env);
    if (!parsed.ok) return { ok: false, failure: this.corrupt(parsed.reason) };
    // The stamp comes from the descriptor that was read, so it describes exactly the bytes parsed.
    this.cache = r.stat ? { stamp: LocalStore.stampOf(r.stat), data: parsed.data } : undefined;
    return { ok: true, data: parsed.data };
  }

  /** No file for this environment: empty if the store exists, else why it cannot be read. */
  private async absent(): Promise<Loaded> {
    const problem = await this.folderProblem();
    if (problem) return { ok: false, failure: problem };
    const link = await fsp.lstat(this.file).catch(() => undefined);
    if (link?.isSymbolicLink()) {
      return { ok: false, failure: { kind: 'corrupt', message: `local store file ${this.file} is a symbolic link to a missing file; fix or remove the link` } };
    }
    await this.checkModes();
    return { ok: true, data: emptyData(this.env) };
  }

  private toMeta(name: string, v: StoredVersion): ParameterMeta {
    const meta: ParameterMeta = { name, type: v.type, version: v.version, lastModified: v.lastModified };
    if (v.lastModifiedBy !== undefined) meta.lastModifiedBy = v.lastModifiedBy;
    if (v.description !== undefined) meta.description = v.description;
    return meta;
  }

  private async getKey(create: boolean): Promise<{ ok: true; key: Buffer } | { ok: false; failure: StoreFailure }> {
    if (this.key) return { ok: true, key: this.key.key };
    const r = await loadKey(this.keyFile, this.dir, this.file, create);
    if (!r.ok) return r;
    this.key = r.found;
    return { ok: true, key: r.found.key };
  }

  /** Decrypts one stored version; failures name the parameter and version, never any value. */
  private async reveal(name: string, v: StoredVersion): Promise<{ ok: true; value: string } | { ok: false; failure: StoreFailure }> {
    if (v.type === 'String') return { ok: true, value: v.value ?? '' };
    const k = await this.getKey(false);
    if (!k.ok) return { ok: false, failure: { ...k.failure, message: `cannot decrypt ${name}: ${k.failure.message}` } };
    const r = openSealed(k.key, v.sealed!, aadFor(this.env, name, v.version));
    if (r.ok) return r;
    return {
      ok: false,
      failure: { kind: 'corrupt', message: `cannot decrypt ${name} version ${v.version} in ${this.file}: ${r.message}` },
    };
  }

  async list(prefix: string): Promise<ListResult> {
    const loaded = await this.load();
    if (!loaded.ok) return { parameters: [], failure: loaded.failure };
    // Path-segment match: "/app/x" covers "/app/x" and "/app/x/..." but not "/app/xy".
    const p = prefix.replace(/\/+$/, '');
    const all = p === '';
    const out: ParameterMeta[] = [];
    for (const [name, history] of loaded.data.params) {
      const cur = currentOf(history);
      if (!cur) continue;
      if (all || name === p || name.startsWith(`${p}/`)) out.push(this.toMeta(name, cur));
    }
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { parameters: out };
  }

  /** The live version of `name` in a loaded file, or the answer when there is none. */
  private currentIn(loaded: Loaded, name: string): { version: StoredVersion } | { state: 'missing' } | { state: 'unknown'; failure: StoreFailure } {
    if (!loaded.ok) return { state: 'unknown', failure: loaded.failure };
    const bad = validateParameterName(name);
    if (bad) return { state: 'unknown', failure: { kind: 'invalid-name', message: bad } };
    const cur = currentOf(loaded.data.params.get(name));
    return cur ? { version: cur } : { state: 'missing' };
  }

  async describe(names: string[]): Promise<Map<string, Lookup<ParameterMeta>>> {
    const res = new Map<string, Lookup<ParameterMeta>>();
    if (names.length === 0) return res;
    const loaded = await this.load();
    for (const name of names) {
      const cur = this.currentIn(loaded, name);
      res.set(name, 'state' in cur ? cur : { state: 'found', value: this.toMeta(name, cur.version) });
    }
    return res;
  }

  async getValues(names: string[], opts: { decrypt: boolean }): Promise<Map<string, Lookup<ParameterValue>>> {
    const res = new Map<string, Lookup<ParameterValue>>();
    if (names.length === 0) return res;
    const loaded = await this.load();
    for (const name of names) {
      const found = this.currentIn(loaded, name);
      if ('state' in found) {
        res.set(name, found);
        continue;
      }
      const cur = found.version;
      const meta = this.toMeta(name, cur);
      if (cur.type === 'SecureString' && !opts.decrypt) {
        res.set(name, { state: 'found', value: { meta } });
        continue;
      }
      const r = await this.reveal(name, cur);
      res.set(name, r.ok ? { state: 'found', value: { meta, value: r.value } } : { state: 'unknown', failure: r.failure });
    }
    return res;
  }

  async history(name: string, opts: { decrypt: boolean }): Promise<Lookup<HistoryEntry[]>> {
    const loaded = await this.load();
    if (!loaded.ok) return { state: 'unknown', failure: loaded.failure };
    const bad = validateParameterName(name);
    if (bad) return { state: 'unknown', failure: { kind: 'invalid-name', message: bad } };
    const history = loaded.data.params.get(name);
    if (!history) return { state: 'missing' };
    const out: HistoryEntry[] = [];
    for (const v of history) {
      const e: HistoryEntry = { version: v.version, type: v.type, lastModified: v.lastModified };
      if (v.lastModifiedBy !== undefined) e.lastModifiedBy = v.lastModifiedBy;
      if (v.description !== undefined) e.description = v.description;
      if (v.deleted) e.deleted = true;
      else if (v.type === 'String' || opts.decrypt) {
        // String values are plain text in SSM history too; SecureString only on request.
        const r = await this.reveal(name, v);
        if (!r.ok) return { state: 'unknown', failure: r.failure };
        e.value = r.value;
      }
      out.push(e);
    }
    return { state: 'found', value: out };
  }

  async identity(): Promise<Lookup<Identity>> {
    return { state: 'found', value: { id: this.author, description: `embedded local store at ${this.dir}` } };
  }

  async changeToken(): Promise<string | undefined> {
    if (this.envProblem) return undefined;
    try {
      const st = await fsp.stat(this.file, { bigint: true });
      return LocalStore.stampOf(st);
    } catch (e) {
      return errCode(e) === 'ENOENT' ? 'absent' : undefined;
    }
  }

  // ---- writing -------------------------------------------------------------------------------

  /**
   * Locked read-modify-write. `change` mutates freshly read data and says whether to commit it;
   * `commit: false` leaves the file untouched.
   */
  private async mutate<T>(
    change: (data: StoreData) => { commit: boolean; result: T },
    create: boolean,
  ): Promise<{ ok: true; result: T } | { ok: false; failure: StoreFailure }> {
    if (this.envProblem) return { ok: false, failure: { kind: 'other', message: this.envProblem } };
    return serialised(this.file, async () => {
      const missing = create ? await this.ensureFolder() : await this.folderProblem();
      if (missing) return { ok: false as const, failure: missing };
      const deadline = Date.now() + this.timeoutMs;
      // A write whose lock was taken over before it committed is redone from a fresh read.
      for (;;) {
        const got = await acquireLock(this.file, { staleMs: this.staleMs, timeoutMs: Math.max(0, deadline - Date.now()) });
        if (!got.ok) {
          const failure: StoreFailure =
            got.code === 'ETIMEDOUT'
              ? {
                  kind: 'timeout',
                  message: `another process (${got.holder ?? 'unknown'}) has held the lock on ${this.file} for more than ${Math.round(this.timeoutMs / 1000)} s`,
                  hint: `if that process is not an Orchard command that is still running, remove '${this.lockPath}'`,
                }
              : fsFailure('lock', this.file, Object.assign(new Error(), { code: got.code }));
          return { ok: false as const, failure };
        }
        let lost = false;
        try {
          // Under the lock no one else is mid-write: any temp file of this env is a crashed writer's.
          await cleanTempFiles(this.dir, this.env, false);
          const loaded = await this.load(true);
          if (!loaded.ok) return { ok: false as const, failure: loaded.failure };
          const data = loaded.data;
          const { commit, result } = change(data);
          if (!commit) return { ok: true as const, result };
          data.serial += 1;
          const target = await writeTarget(this.file);
          if (!target.ok) return { ok: false as const, failure: { kind: 'other', message: target.message } };
          try {
            await atomicReplace(target.path, this.env, serialise(data), () =>
              got.lock.stillOurs() ? undefined : 'the store lock was taken over before the write could be committed',
            );
          } catch (e) {
            this.cache = undefined;
            if (errCode(e) === 'ECOMPROMISED') lost = true;
            else return { ok: false as const, failure: fsFailure('write', this.file, e) };
          }
          if (!lost) {
            // Re-stat so the next read can use what we just wrote without parsing it again.
            try {
              const st = await fsp.stat(this.file, { bigint: true });
              this.cache = { stamp: LocalStore.stampOf(st), data };
            } catch {
              this.cache = undefined;
            }
            return { ok: true as const, result };
          }
        } finally {
          await got.lock.release();
        }
        if (Date.now() >= deadline) {
          return { ok: false as const, failure: { kind: 'other', message: `write to ${this.file} abandoned: the store lock was taken over each time; try again` } };
        }
      }
    });
  }

  async put(req: PutRequest): Promise<PutResult> {
    const bad = validateParameterName(req.name);
    if (bad) return { ok: false, reason: 'failed', failure: { kind: 'invalid-name', message: bad } };
    if (req.type !== 'String' && req.type !== 'SecureString') {
      return { ok: false, reason: 'failed', failure: { kind: 'other', message: `unsupported parameter type for ${req.name}` } };
    }
    if (typeof req.value !== 'string' || req.value.length === 0) {
      // SSM rejects empty values; refusing here keeps local and SSM behaviour the same.
      return { ok: false, reason: 'failed', failure: { kind: 'other', message: `a value for ${req.name} cannot be empty` } };
    }
    let key: Buffer | undefined;
    if (req.type === 'SecureString') {
      if (this.envProblem) return { ok: false, reason: 'failed', failure: { kind: 'other', message: this.envProblem } };
      const made = await this.ensureFolder();
      if (made) return { ok: false, reason: 'failed', failure: made };
      const k = await this.getKey(true);
      if (!k.ok) return { ok: false, reason: 'failed', failure: k.failure };
      key = k.key;
    }
    const r = await this.mutate<PutResult>((data) => {
      const history = data.params.get(req.name) ?? [];
      const cur = currentOf(history);
      if (cur && !req.overwrite) return { commit: false, result: { ok: false, reason: 'exists' } };
      // Versions keep counting across deletions so every (name, version) — and its AAD — is unique.
      const version = (history[history.length - 1]?.version ?? 0) + 1;
      const entry: StoredVersion = { version, type: req.type, lastModified: this.now().toISOString(), lastModifiedBy: this.author };
      // Like SSM, an overwrite without a description keeps the existing one.
      const description = req.description ?? cur?.description;
      if (description !== undefined && description !== '') entry.description = description;
      if (req.type === 'SecureString') entry.sealed = seal(key!, req.value, aadFor(this.env, req.name, version));
      else entry.value = req.value;
      history.push(entry);
      data.params.set(req.name, history);
      return { commit: true, result: { ok: true, version } };
    }, true);
    return r.ok ? r.result : { ok: false, reason: 'failed', failure: r.failure };
  }

  async delete(name: string): Promise<DeleteResult> {
    const bad = validateParameterName(name);
    if (bad) return { ok: false, reason: 'failed', failure: { kind: 'invalid-name', message: bad } };
    const r = await this.mutate<DeleteResult>((data) => {
      const history = data.params.get(name);
      const cur = currentOf(history);
      if (!history || !cur) return { commit: false, result: { ok: false, reason: 'missing' } };
      history.push({ version: cur.version + 1, type: cur.type, lastModified: this.now().toISOString(), lastModifiedBy: this.author, deleted: true });
      return { commit: true, result: { ok: true } };
    }, false);
    return r.ok ? r.result : { ok: false, reason: 'failed', failure: r.failure };
  }

  dispose(): void {
    this.cache = undefined;
    this.key = undefined;
  }
}

export function openLocalStore(opts: LocalStoreOptions): LocalStore {
  return new LocalStore(opts);
}

/**
 * Environments that have a file in the store directory, sorted. A missing directory has none;
 * other failures (e.g. EACCES) reject, so the caller can tell "none" from "could not look".
 */
export async function listEnvironments(dir: string = defaultStoreDir()): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (e) {
    if (errCode(e) === 'ENOENT' || errCode(e) === 'ENOTDIR') return [];
    throw e;
  }
  return names
    .filter((n) => n.endsWith('.json') && !parseTempName(n))
    .map((n) => n.slice(0, -'.json'.length))
    .filter((e) => validateEnvName(e) === undefined)
    .sort();
}
