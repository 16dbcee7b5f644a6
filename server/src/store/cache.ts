// A per-environment cache in front of any ParameterStore, so typing never causes a backend call.
//
// - TTL for list/describe/getValues answers; failures are kept for a shorter time so a dead
//   backend is not asked again on every keystroke, and they stay `unknown` (never "missing").
// - Single-flight: concurrent identical asks share one request (per prefix, per name).
// - Values live only in memory. Decrypted values are not kept after the request that asked for
//   them unless `cacheDecrypted` is set; a String value read without decryption is the same
//   value, so a later decrypting ask is served from it.
// - Writes invalidate everything (they are rare and the listing they affect is cheap to redo).
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

export interface CacheOptions {
  /** How long a successful answer is reused. */
  ttlMs: number;
  /** How long a failure is reused before the backend is asked again; default min(ttlMs, 5000). */
  failureTtlMs?: number;
  /** Keep decrypted values for the TTL too (memory only). Default false. */
  cacheDecrypted?: boolean;
  /** Clock in ms (tests). */
  now?: () => number;
}

interface Entry<T> {
  promise: Promise<T>;
  /** Infinity while in flight: joiners share the request. */
  expires: number;
  settled?: T;
}

const SWEEP_AT = 5000;

function thrown(e: unknown, what: string): StoreFailure {
  // Only the error's class name: a backend's message is not ours to vouch for.
  const name = e && typeof e === 'object' && typeof (e as Error).name === 'string' ? (e as Error).name : 'Error';
  return { kind: 'other', message: `${what}: the backend failed unexpectedly (${name})` };
}

export class CachedStore implements ParameterStore {
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly cacheDecrypted: boolean;
  private readonly now: () => number;
  private lists = new Map<string, Entry<ListResult>>();
  private metas = new Map<string, Entry<Lookup<ParameterMeta>>>();
  private values = new Map<string, Entry<Lookup<ParameterValue>>>();
  private decrypted = new Map<string, Entry<Lookup<ParameterValue>>>();
  private ident: Entry<Lookup<Identity>> | undefined;
  private tokenInFlight: Promise<string | undefined> | undefined;
  private lastToken: string | undefined;

  constructor(readonly inner: ParameterStore, opts: CacheOptions) {
    this.ttlMs = Math.max(0, opts.ttlMs);
    this.failureTtlMs = Math.max(0, opts.failureTtlMs ?? Math.min(this.ttlMs, 5000));
    this.cacheDecrypted = opts.cacheDecrypted ?? false;
    this.now = opts.now ?? Date.now;
  }

  get env(): string {
    return this.inner.env;
  }

  get kind(): string {
    return this.inner.kind;
  }

  /** Forgets everything; the next ask goes to the backend. In-flight asks are not joined any more. */
  invalidate(): void {
    this.lists = new Map();
    this.metas = new Map();
    this.values = new Map();
    this.decrypted = new Map();
    this.ident = undefined;
  }

  private fresh<T>(e: Entry<T> | undefined): e is Entry<T> {
    return e !== undefined && e.expires > this.now();
  }

  /** Registers an in-flight request; sets its expiry when it settles. */
  private track<T>(map: Map<string, Entry<T>> | undefined, key: string, promise: Promise<T>, failed: (v: T) => boolean, keep = true): Entry<T> {
    const entry: Entry<T> = { promise, expires: Infinity };
    map?.set(key, entry);
    void promise.then((v) => {
      entry.settled = v;
      entry.expires = keep ? this.now() + (failed(v) ? this.failureTtlMs : this.ttlMs) : -Infinity;
      if (!keep && map?.get(key) === entry) map.delete(key);
    });
    if (map && map.size > SWEEP_AT) this.sweep(map);
    return entry;
  }

  private sweep<T>(map: Map<string, Entry<T>>): void {
    const now = this.now();
    for (const [k, e] of map) if (e.expires <= now) map.delete(k);
  }

  list(prefix: string): Promise<ListResult> {
    const hit = this.lists.get(prefix);
    if (this.fresh(hit)) return hit.promise;
    const p = Promise.resolve()
      .then(() => this.inner.list(prefix))
      .catch((e): ListResult => ({ parameters: [], failure: thrown(e, `listing ${prefix}`) }));
    const metas = this.metas;
    void p.then((r) => {
      // What a listing found answers later lookups of those names too.
      if (r.failure || this.metas !== metas) return;
      const expires = this.now() + this.ttlMs;
      for (const m of r.parameters) {
        if (this.fresh(metas.get(m.name))) continue;
        const v: Lookup<ParameterMeta> = { state: 'found', value: m };
        metas.set(m.name, { promise: Promise.resolve(v), expires, settled: v });
      }
    });
    return this.track(this.lists, prefix, p, (r) => Boolean(r.failure)).promise;
  }

  async describe(names: string[]): Promise<Map<string, Lookup<ParameterMeta>>> {
    const unique = [...new Set(names)];
    const waits = new Map<string, Promise<Lookup<ParameterMeta>>>();
    const need: string[] = [];
    for (const n of unique) {
      const e = this.metas.get(n);
      if (this.fresh(e)) waits.set(n, e.promise);
      else need.push(n);
    }
    if (need.length) {
      const batch = Promise.resolve()
        .then(() => this.inner.describe(need))
        .catch((e) => {
          const failure = thrown(e, `looking up ${need.length} parameter(s)`);
          return new Map(need.map((n) => [n, { state: 'unknown', failure } as Lookup<ParameterMeta>]));
        });
      for (const n of need) {
        const one = batch.then((m): Lookup<ParameterMeta> => m.get(n) ?? { state: 'unknown', failure: { kind: 'other', message: `${n}: the backend gave no answer for this name` } });
        waits.set(n, this.track(this.metas, n, one, (l) => l.state === 'unknown').promise);
      }
    }
    const out = new Map<string, Lookup<ParameterMeta>>();
    for (const n of unique) out.set(n, await waits.get(n)!);
    return out;
  }

  async getValues(names: string[], opts: { decrypt: boolean }): Promise<Map<string, Lookup<ParameterValue>>> {
    const unique = [...new Set(names)];
    const waits = new Map<string, Promise<Lookup<ParameterValue>>>();
    const need: string[] = [];
    for (const n of unique) {
      const plain = this.values.get(n);
      if (!opts.decrypt) {
        if (this.fresh(plain)) waits.set(n, plain.promise);
        else need.push(n);
        continue;
      }
      // A decrypting ask can reuse a plain answer when decryption would not change it.
      const s = this.fresh(plain) ? plain.settled : undefined;
      if (s && (s.state === 'missing' || (s.state === 'found' && s.value.meta.type === 'String'))) {
        waits.set(n, plain!.promise);
        continue;
      }
      const d = this.decrypted.get(n);
      if (this.fresh(d)) waits.set(n, d.promise);
      else need.push(n);
    }
    if (need.length) {
      const batch = Promise.resolve()
        .then(() => this.inner.getValues(need, opts))
        .catch((e) => {
          const failure = thrown(e, `reading ${need.length} parameter(s)`);
          return new Map(need.map((n) => [n, { state: 'unknown', failure } as Lookup<ParameterValue>]));
        });
      const map = opts.decrypt ? this.decrypted : this.values;
      const keep = !opts.decrypt || this.cacheDecrypted;
      for (const n of need) {
        const one = batch.then((m): Lookup<ParameterValue> => m.get(n) ?? { state: 'unknown', failure: { kind: 'other', message: `${n}: the backend gave no answer for this name` } });
        waits.set(n, this.track(map, n, one, (l) => l.state === 'unknown', keep).promise);
      }
    }
    const out = new Map<string, Lookup<ParameterValue>>();
    for (const n of unique) out.set(n, await waits.get(n)!);
    return out;
  }

  async put(req: PutRequest): Promise<PutResult> {
    try {
      return await this.inner.put(req);
    } catch (e) {
      return { ok: false, reason: 'failed', failure: thrown(e, `writing ${req.name}`) };
    } finally {
      this.invalidate();
    }
  }

  async delete(name: string): Promise<DeleteResult> {
    try {
      return await this.inner.delete(name);
    } catch (e) {
      return { ok: false, reason: 'failed', failure: thrown(e, `deleting ${name}`) };
    } finally {
      this.invalidate();
    }
  }

  /** Not cached: history is asked for rarely and may carry revealed values. */
  async history(name: string, opts: { decrypt: boolean }): Promise<Lookup<HistoryEntry[]>> {
    try {
      return await this.inner.history(name, opts);
    } catch (e) {
      return { state: 'unknown', failure: thrown(e, `reading the history of ${name}`) };
    }
  }

  identity(): Promise<Lookup<Identity>> {
    if (this.fresh(this.ident)) return this.ident.promise;
    const p = Promise.resolve()
      .then(() => this.inner.identity())
      .catch((e): Lookup<Identity> => ({ state: 'unknown', failure: thrown(e, 'asking who you are') }));
    this.ident = this.track(undefined, '', p, (l) => l.state === 'unknown');
    return p;
  }

  /** Always asks the backend (this is the poll); a changed token drops the cache. */
  changeToken(): Promise<string | undefined> {
    if (this.tokenInFlight) return this.tokenInFlight;
    const p = Promise.resolve()
      .then(() => this.inner.changeToken())
      .catch(() => undefined)
      .then((t) => {
        if (t !== undefined) {
          if (this.lastToken !== undefined && t !== this.lastToken) this.invalidate();
          this.lastToken = t;
        }
        return t;
      })
      .finally(() => {
        this.tokenInFlight = undefined;
      });
    this.tokenInFlight = p;
    return p;
  }

  dispose(): void | Promise<void> {
    this.invalidate();
    return this.inner.dispose?.();
  }
}

export interface WatchTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const defaultTimers: WatchTimers = {
  setTimeout: (fn, ms) => {
    const h = setTimeout(fn, ms);
    // A background poll must never keep a finished CLI process alive.
    h.unref?.();
    return h;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface ChangeWatcherOptions {
  intervalMs: number;
  /** Called with the new token when it differs from the last one seen (not for the first). */
  onChange: (token: string) => void;
  timers?: WatchTimers;
}

/**
 * Polls `changeToken()` every `intervalMs` (waiting for each poll to finish before scheduling the
 * next, so a slow backend is never asked twice at once). An unknown token (failure) changes nothing.
 */
export class ChangeWatcher {
  private last: string | undefined;
  private handle: unknown;
  private running: Promise<boolean> | undefined;
  private disposed = false;
  private readonly timers: WatchTimers;

  constructor(private readonly store: Pick<ParameterStore, 'changeToken'>, private readonly opts: ChangeWatcherOptions) {
    this.timers = opts.timers ?? defaultTimers;
  }

  /** Takes the baseline now and starts the periodic polls. */
  start(): this {
    void this.poll().finally(() => this.schedule());
    return this;
  }

  private schedule(): void {
    if (this.disposed || this.opts.intervalMs <= 0) return;
    this.handle = this.timers.setTimeout(() => {
      this.handle = undefined;
      void this.poll().finally(() => this.schedule());
    }, this.opts.intervalMs);
  }

  /** One check now; resolves true when the token changed. Concurrent calls share one check. */
  poll(): Promise<boolean> {
    if (this.running) return this.running;
    const p = (async () => {
      let t: string | undefined;
      try {
        t = await this.store.changeToken();
      } catch {
        t = undefined;
      }
      if (t === undefined || this.disposed) return false;
      const changed = this.last !== undefined && t !== this.last;
      this.last = t;
      if (changed) {
        try {
          this.opts.onChange(t);
        } catch {
          // A listener's failure must not stop the polling.
        }
      }
      return changed;
    })().finally(() => {
      this.running = undefined;
    });
    this.running = p;
    return p;
  }

  dispose(): void {
    this.disposed = true;
    if (this.handle !== undefined) this.timers.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
