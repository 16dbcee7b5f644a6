// The embedded local parameter store (the default backend): one directory, one JSON file per
// environment, SecureString values sealed with AES-256-GCM, writes atomic and locked across
// processes so two editor windows and the CLI can write at once without losing anything.
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateParameterName } from '../parse/paths';
import {
  aadFor,
  ensureKey,
  KEY_FILE_NAME,
  open as openSealed,
  readKey,
  seal,
  type KeyRead,
} from './crypto';
import { currentOf, emptyData, parseStoreFile, serialise, type StoreData, type StoredVersion } from './local-format';
import {
  acquireLock,
  atomicReplace,
  cleanTempFiles,
  DEFAULT_LOCK_STALE_MS,
  DEFAULT_LOCK_TIMEOUT_MS,
  errCode,
  lockPathFor,
  parseTempName,
  serialised,
} from './local-fs';
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
  /** A lock not refreshed for this long is taken over (min 2000, proper-lockfile's floor). */
  lockStaleMs?: number;
  /** How long a write waits for the lock before failing with `timeout`. */
  lockTimeoutMs?: number;
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

function fsFailure(what: string, target: string, e: unknown): StoreFailure {
  const code = errCode(e) ?? 'error';
  const kind = code === 'EACCES' || code === 'EPERM' ? 'access-denied' : 'other';
  return { kind, message: `could not ${what} ${target} (${code})` };
}

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
    this.staleMs = Math.max(2000, opts.lockStaleMs ?? DEFAULT_LOCK_STALE_MS);
    this.timeoutMs = Math.max(0, opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
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
    let fh;
    try {
      fh = await fsp.open(this.file, 'r');
    } catch (e) {
      if (errCode(e) === 'ENOENT') {
        this.cache = undefined;
        return { ok: true, data: emptyData(this.env) };
      }
      return { ok: false, failure: fsFailure('open', this.file, e) };
    }
    try {
      // fstat + read on one descriptor: the stamp describes exactly the bytes parsed.
      const st = await fh.stat({ bigint: true });
      if (!st.isFile()) return { ok: false, failure: this.corrupt('it is not a regular file') };
      const text = await fh.readFile('utf8');
      const parsed = parseStoreFile(text, this.env);
      if (!parsed.ok) {
        this.cache = undefined;
        return { ok: false, failure: this.corrupt(parsed.reason) };
      }
      this.cache = { stamp: LocalStore.stampOf(st), data: parsed.data };
      return { ok: true, data: parsed.data };
    } catch (e) {
      return { ok: false, failure: fsFailure('read', this.file, e) };
    } finally {
      await fh.close().catch(() => undefined);
    }
  }

  private toMeta(name: string, v: StoredVersion): ParameterMeta {
    const meta: ParameterMeta = { name, type: v.type, version: v.version, lastModified: v.lastModified };
    if (v.lastModifiedBy !== undefined) meta.lastModifiedBy = v.lastModifiedBy;
    if (v.description !== undefined) meta.description = v.description;
    return meta;
  }

  private async getKey(create: boolean): Promise<{ ok: true; key: Buffer } | { ok: false; failure: StoreFailure }> {
    if (this.key) return { ok: true, key: this.key.key };
    let r = await readKey(this.keyFile);
    if (r.state === 'missing' && create) {
      // A lost key file must be restored, not replaced: a new key would make the old values
      // unrecoverable even after the user finds a backup of the old key.
      const sealedIn = await this.filesWithSealedValues();
      if (sealedIn.length > 0) {
        return {
          ok: false,
          failure: {
            kind: 'corrupt',
            message: `the key file ${this.keyFile} is missing but ${sealedIn.join(', ')} hold encrypted values; restore the key file (a new key would not decrypt them)`,
          },
        };
      }
      r = await ensureKey(this.keyFile);
    }
    if (r.state === 'found') {
      this.key = r;
      return { ok: true, key: r.key };
    }
    const message =
      r.state === 'missing'
        ? `the key file ${this.keyFile} is missing, so SecureString values in ${this.file} cannot be decrypted`
        : r.message;
    return { ok: false, failure: { kind: 'corrupt', message } };
  }

  private async filesWithSealedValues(): Promise<string[]> {
    let names: string[];
    try {
      names = await fsp.readdir(this.dir);
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const n of names) {
      if (!n.endsWith('.json') || parseTempName(n)) continue;
      const text = await fsp.readFile(path.join(this.dir, n), 'utf8').catch(() => '');
      if (text.includes('"sealed"')) out.push(n);
    }
    return out;
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
  private async mutate<T>(change: (data: StoreData) => { commit: boolean; result: T }): Promise<{ ok: true; result: T } | { ok: false; failure: StoreFailure }> {
    if (this.envProblem) return { ok: false, failure: { kind: 'other', message: this.envProblem } };
    return serialised(this.file, async () => {
      try {
        await fsp.mkdir(this.dir, { recursive: true, mode: 0o700 });
      } catch (e) {
        return { ok: false as const, failure: fsFailure('create the store folder', this.dir, e) };
      }
      const got = await acquireLock(this.file, this.staleMs, this.timeoutMs);
      if (!got.ok) {
        const failure: StoreFailure =
          got.code === 'ETIMEDOUT'
            ? {
                kind: 'timeout',
                message: `another process has held the lock on ${this.file} for more than ${Math.round(this.timeoutMs / 1000)} s`,
                hint: `if no Orchard process is running, remove the folder '${this.lockPath}'`,
              }
            : fsFailure('lock', this.file, Object.assign(new Error(), { code: got.code }));
        return { ok: false as const, failure };
      }
      try {
        // Under the lock no one else is mid-write: any temp file of this env is a crashed writer's.
        await cleanTempFiles(this.dir, this.env, false);
        const loaded = await this.load(true);
        if (!loaded.ok) return { ok: false as const, failure: loaded.failure };
        const data = loaded.data;
        const { commit, result } = change(data);
        if (!commit) return { ok: true as const, result };
        data.serial += 1;
        try {
          await atomicReplace(this.file, this.env, serialise(data), () =>
            got.lock.compromised() ? 'the store lock was lost before the write could be committed' : undefined,
          );
        } catch (e) {
          this.cache = undefined;
          if (errCode(e) === 'ECOMPROMISED') {
            return { ok: false as const, failure: { kind: 'other', message: `write to ${this.file} abandoned: the store lock was lost; try again` } };
          }
          return { ok: false as const, failure: fsFailure('write', this.file, e) };
        }
        // Re-stat so the next read can use what we just wrote without parsing it again.
        try {
          const st = await fsp.stat(this.file, { bigint: true });
          this.cache = { stamp: LocalStore.stampOf(st), data };
        } catch {
          this.cache = undefined;
        }
        return { ok: true as const, result };
      } finally {
        await got.lock.release();
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
    });
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
    });
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
