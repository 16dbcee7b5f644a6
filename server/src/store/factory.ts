// Builds the backend for each environment from the configuration.
import { CachedStore } from './cache';
import { DEFAULT_CACHE_TTL_SECONDS, effectiveEnvs, type EnvConfig, type OrchardConfig } from './config';
import { openLocalStore } from './local';
import type { SsmStoreOptions } from './ssm';
import type { ParameterStore, StoreFailure } from './types';

export interface CreateStoreOptions {
  /** Local store: the `user` part of `local:<user>@<host>`. */
  user?: string;
  /** SSM: overrides the credential chain (tests, embedding). */
  credentials?: SsmStoreOptions['credentials'];
  /** Where a store reports what is worth knowing but not a failure (loose modes, a store created). */
  onWarning?: (message: string) => void;
}

/**
 * The SSM backend, on first use: the AWS SDK is a third of a bundle and most runs use the local
 * store. In the bundles this module is its own file (dist/ssm.js, scripts/build.mjs).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ssm = (): typeof import('./ssm') => require('./ssm');

/** One uncached backend for one environment. Never throws: a bad config gives a store that answers `unknown`. */
export function createStore(env: string, cfg: EnvConfig, opts: CreateStoreOptions = {}): ParameterStore {
  try {
    if (cfg.backend === 'ssm') return new (ssm().SsmStore)({ env, config: cfg, credentials: opts.credentials });
    if (cfg.backend === 'local') return openLocalStore({ env, dir: cfg.dir, user: opts.user, onWarning: opts.onWarning });
    return new UnavailableStore(env, { kind: 'other', message: `environment ${env}: unknown backend "${(cfg as { backend?: unknown }).backend}"` });
  } catch (e) {
    const name = e && typeof e === 'object' && typeof (e as Error).name === 'string' ? (e as Error).name : 'Error';
    return new UnavailableStore(env, { kind: 'other', message: `environment ${env}: the ${cfg.backend} backend could not start (${name})` });
  }
}

export interface CreateStoresOptions extends CreateStoreOptions {
  /** Wrap each store in a CachedStore with the config's TTL (default true). */
  cache?: boolean;
  /** Keep decrypted values in the (memory) cache for the TTL too; default false. */
  cacheDecrypted?: boolean;
}

/** One store per environment (default: the config's default environments), cached by default. */
export function createStores(config: OrchardConfig, envs: string[] = effectiveEnvs(config), opts: CreateStoresOptions = {}): Map<string, ParameterStore> {
  const ttlMs = (config.cacheTtlSeconds ?? DEFAULT_CACHE_TTL_SECONDS) * 1000;
  const out = new Map<string, ParameterStore>();
  for (const env of envs) {
    const cfg = config.environments[env];
    const store = cfg
      ? createStore(env, cfg, opts)
      : new UnavailableStore(env, {
          kind: 'other',
          message: `environment ${env} is not configured`,
          hint: 'add it under "environments" in your orchard config',
        });
    out.set(env, opts.cache === false ? store : new CachedStore(store, { ttlMs, cacheDecrypted: opts.cacheDecrypted }));
  }
  return out;
}

/** Stands in for an environment that cannot be used: every answer is `unknown`, never "missing". */
export class UnavailableStore implements ParameterStore {
  readonly kind = 'unavailable';
  constructor(readonly env: string, private readonly failure: StoreFailure) {}
  async list() {
    return { parameters: [], failure: this.failure };
  }
  async describe(names: string[]) {
    return new Map(names.map((n) => [n, { state: 'unknown' as const, failure: this.failure }]));
  }
  async getValues(names: string[]) {
    return new Map(names.map((n) => [n, { state: 'unknown' as const, failure: this.failure }]));
  }
  async put() {
    return { ok: false as const, reason: 'failed' as const, failure: this.failure };
  }
  async delete() {
    return { ok: false as const, reason: 'failed' as const, failure: this.failure };
  }
  async history() {
    return { state: 'unknown' as const, failure: this.failure };
  }
  async identity() {
    return { state: 'unknown' as const, failure: this.failure };
  }
  async changeToken() {
    return undefined;
  }
}
