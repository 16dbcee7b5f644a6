// Backend state cache: one store per environment, the gathered EnvState per environment, and
// (only under the `plain` hover policy) cached String values. Features and diagnostics read only
// this cache; stores are asked on refresh (start, timer, command, change token, our own writes).
import type { EnvState } from '../analysis/types';
import type { Service, WorkspaceModel } from '../model/types';
import { isUnasked } from '../analysis/presence';
import type { ParameterStore, StoreFailure } from '../store/types';
import { gatherEnvStates } from '../analysis/engine';
import type { FailureInfo, OrchardSettings } from './protocol';
import type { Logger, ServerRuntime } from './runtime';

export interface EnvRuntimeInfo {
  store?: ParameterStore;
  failure?: FailureInfo;
  lastRefresh?: Date;
  lastToken?: string;
}

export function failureInfo(f: StoreFailure): FailureInfo {
  return { kind: f.kind, message: f.message, hint: f.hint };
}

/** Error names only: a backend error message could quote a value. */
export function describeError(e: unknown): string {
  return e instanceof Error ? e.name : typeof e;
}

export class BackendCache {
  readonly envInfo = new Map<string, EnvRuntimeInfo>();
  envStates = new Map<string, EnvState>();
  private plain = new Map<string, Map<string, string>>();
  private listCache = new Map<string, Promise<import('../store/types').ListResult>>();
  private refreshing?: Promise<string[]>;
  /** `expected` maps (one per unchanged service, see model/build.ts) whose every path the stores were asked about. */
  private asked = new WeakSet<object>();

  constructor(
    private readonly runtime: ServerRuntime,
    private readonly log: Logger,
  ) {}

  /** (Re)creates stores for these environments; none at all when untrusted. */
  async configure(envs: string[], settings: OrchardSettings, trusted: boolean): Promise<void> {
    await this.disposeStores();
    this.envStates = new Map();
    this.plain = new Map();
    this.listCache.clear();
    for (const env of envs) {
      if (!trusted) {
        this.envInfo.set(env, {});
        continue;
      }
      try {
        const store = await this.runtime.createStore(env, settings);
        this.envInfo.set(env, { store });
      } catch (e) {
        this.log.warn(`no backend for ${env}: ${describeError(e)}`);
        this.envInfo.set(env, { failure: { kind: 'other', message: `could not open the backend for ${env} (${describeError(e)})` } });
      }
    }
  }

  stores(): Map<string, ParameterStore> {
    const m = new Map<string, ParameterStore>();
    for (const [env, i] of this.envInfo) if (i.store) m.set(env, i.store);
    return m;
  }

  store(env: string): ParameterStore | undefined {
    return this.envInfo.get(env)?.store;
  }

  /** Gathers state for `envs` (default all). Concurrent callers share one run. Never throws. */
  async refresh(ws: WorkspaceModel, hoverValues: 'never' | 'plain', envs?: string[]): Promise<string[]> {
    if (this.refreshing) await this.refreshing.catch(() => undefined);
    const run = this.doRefresh(ws, hoverValues, envs);
    this.refreshing = run;
    try {
      return await run;
    } finally {
      if (this.refreshing === run) this.refreshing = undefined;
    }
  }

  private async doRefresh(ws: WorkspaceModel, hoverValues: 'never' | 'plain', envs?: string[]): Promise<string[]> {
    const all = this.stores();
    const chosen = new Map([...all].filter(([env]) => !envs || envs.includes(env)));
    if (chosen.size === 0) return [];
    this.listCache.clear();
    let states: Map<string, EnvState>;
    try {
      states = await gatherEnvStates(ws, chosen);
    } catch (e) {
      this.log.error(`refresh failed: ${describeError(e)}`);
      return [];
    }
    const next = new Map(this.envStates);
    for (const [env, st] of states) next.set(env, st);
    this.envStates = next;
    this.asked = new WeakSet();
    const now = this.runtime.now?.() ?? new Date();
    for (const env of states.keys()) {
      const info = this.envInfo.get(env);
      if (info) {
        info.lastRefresh = now;
        info.lastToken = await safeToken(info.store);
      }
    }
    if (hoverValues === 'plain') await this.loadPlainValues(ws, chosen);
    else this.plain.clear();
    this.log.info(`refreshed ${[...states.keys()].join(', ')}`);
    return [...states.keys()];
  }

  /**
   * Services with a path no store was asked about: added or edited since the last refresh (a new
   * service folder, a new ReplicatedFig source). Their paths are "unknown", never "missing", until
   * `fillGaps` asks. Each unchanged service is checked once per refresh.
   */
  gaps(ws: WorkspaceModel): Service[] {
    const states = [...this.envStates.values()];
    if (states.length === 0) return [];
    const out: Service[] = [];
    for (const s of ws.services) {
      if (this.asked.has(s.expected)) continue;
      let gap = false;
      for (const p of s.expected.values()) {
        for (const st of states) if (isUnasked(st, p.path)) gap = true;
        if (gap) break;
      }
      if (gap) out.push(s);
      else this.asked.add(s.expected);
    }
    return out;
  }

  /** Asks every store about `services` only and adds the answers to the current states. Never throws. */
  async fillGaps(ws: WorkspaceModel, services: Service[]): Promise<boolean> {
    const stores = new Map([...this.stores()].filter(([env]) => this.envStates.has(env)));
    if (services.length === 0 || stores.size === 0) return false;
    let states: Map<string, EnvState>;
    try {
      states = await gatherEnvStates({ ...ws, services }, stores);
    } catch (e) {
      this.log.warn(`could not read the stores for new services: ${describeError(e)}`);
      return false;
    }
    const next = new Map(this.envStates);
    for (const [env, add] of states) {
      const cur = next.get(env);
      if (!cur) continue;
      next.set(env, {
        env,
        params: new Map([...cur.params, ...add.params]),
        listedPrefixes: [...new Set([...cur.listedPrefixes, ...add.listedPrefixes])],
        knownMissing: new Set([...cur.knownMissing, ...add.knownMissing]),
        failures: [...cur.failures, ...add.failures],
        brokenMerges: new Set([...cur.brokenMerges, ...add.brokenMerges]),
      });
    }
    this.envStates = next;
    this.log.info(`read the stores for ${services.length} new or changed service(s)`);
    return true;
  }

  /** String values of declared, not-likely-secret parameters; SecureString is never requested. */
  private async loadPlainValues(ws: WorkspaceModel, stores: Map<string, ParameterStore>): Promise<void> {
    const names = new Set<string>();
    for (const s of ws.services) for (const p of s.expected.values()) if (!p.likelySecret) names.add(p.path);
    for (const [env, store] of stores) {
      const st = this.envStates.get(env);
      const wanted = [...names].filter((n) => st?.params.get(n)?.type === 'String');
      const m = new Map<string, string>();
      if (wanted.length) {
        try {
          const r = await store.getValues(wanted, { decrypt: false });
          for (const [name, l] of r) if (l.state === 'found' && l.value.meta.type === 'String' && l.value.value !== undefined) m.set(name, l.value.value);
        } catch (e) {
          this.log.warn(`could not read plain values in ${env}: ${describeError(e)}`);
        }
      }
      this.plain.set(env, m);
    }
  }

  plainValue(env: string, path: string): string | undefined {
    return this.plain.get(env)?.get(path);
  }

  /** Environments whose change token moved since the last refresh. */
  async changedEnvs(): Promise<string[]> {
    const out: string[] = [];
    for (const [env, info] of this.envInfo) {
      if (!info.store || info.lastRefresh === undefined) continue;
      const t = await safeToken(info.store);
      if (t !== undefined && t !== info.lastToken) out.push(env);
    }
    return out;
  }

  /** Recursive listing under a prefix, cached until the next refresh (tree view). */
  list(env: string, prefix: string): Promise<import('../store/types').ListResult> | undefined {
    const store = this.store(env);
    if (!store) return undefined;
    const key = `${env}\u0000${prefix}`;
    let p = this.listCache.get(key);
    if (!p) {
      p = store.list(prefix).catch((e) => ({ parameters: [], failure: { kind: 'other' as const, message: `listing failed (${describeError(e)})` } }));
      this.listCache.set(key, p);
    }
    return p;
  }

  invalidateLists(env?: string): void {
    if (!env) this.listCache.clear();
    else for (const k of [...this.listCache.keys()]) if (k.startsWith(`${env}\u0000`)) this.listCache.delete(k);
  }

  async disposeStores(): Promise<void> {
    for (const info of this.envInfo.values()) {
      try {
        await info.store?.dispose?.();
      } catch {
        // Disposing is best effort.
      }
    }
    this.envInfo.clear();
  }
}

async function safeToken(store: ParameterStore | undefined): Promise<string | undefined> {
  try {
    return await store?.changeToken();
  } catch {
    return undefined;
  }
}
