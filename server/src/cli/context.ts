// What every CLI command needs: the user's configuration, one store per environment (the workspace:
// workspace.ts). Light on purpose: the warm check (check.ts) loads this without the engine.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { PairingMode } from '../model/build';
import { loadConfig, mergeConfig, type OrchardConfig, type EnvConfig } from '../store/config';
import { createStore } from '../store/factory';
import type { ParameterStore } from '../store/types';

/** A problem the user can fix (bad flag, bad config): printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A UsageError from this bundle or from the engine's (dist/engine.js has its own copy of the class). */
export function isUsageError(e: unknown): e is UsageError {
  return e instanceof Error && e.name === 'UsageError';
}

export interface GlobalOptions {
  config?: string;
  store?: string;
  /** How figgy.json files are paired with config.py classes (see model/build.ts). */
  pairing?: PairingMode;
  /** Globs of JSON files recognised as Figgy files by their content (`none`: only the standard names). */
  jsonFiles?: string[];
  /** SSM flags: any of these puts the selected environments on SSM with these settings. */
  profile?: string;
  region?: string;
  roleArn?: string;
  endpoint?: string;
  /** Folders outside PATH that figgy.json imports may read (added to the config's allowImportsFrom). */
  allowImportsFrom?: string[];
}

/** The names in `--env` (or the configured defaults), checked for shape only. */
function splitEnvList(value: string | undefined, cfg: OrchardConfig): string[] {
  if (value !== undefined && value.trim() === '') throw new UsageError('--env is empty: name one or more environments, e.g. --env dev,qa');
  const envs = value !== undefined
    ? value.split(',').map((e) => e.trim()).filter(Boolean)
    : cfg.defaultEnvs ?? Object.keys(cfg.environments);
  if (envs.length === 0) throw new UsageError('no environment given: use --env dev,qa,...');
  for (const e of envs) {
    // Not echoed: a value typed in the wrong place must not end up in a log.
    if (!/^[A-Za-z0-9_-]+$/.test(e)) throw new UsageError('invalid environment name in --env: use letters, digits, "-" and "_", separated by commas');
  }
  return [...new Set(envs)];
}

/**
 * The environments a command works on. A name the configuration does not define is a usage error
 * (a typo must not silently read an empty local store and report everything "missing"), unless the
 * user config sets `allowAdHocEnvironments`.
 */
export function parseEnvList(value: string | undefined, cfg: OrchardConfig): string[] {
  const envs = splitEnvList(value, cfg);
  if (cfg.allowAdHocEnvironments) return envs;
  const unknown = envs.filter((e) => !Object.prototype.hasOwnProperty.call(cfg.environments, e));
  if (unknown.length) {
    const known = Object.keys(cfg.environments);
    throw new UsageError(
      `environment ${unknown.join(', ')} is not defined in your Orchard config (defined: ${known.join(', ') || 'none'}); add it under "environments", or set "allowAdHocEnvironments": true`,
    );
  }
  return envs;
}

export function loadCliConfig(opts: GlobalOptions & { env?: string }): OrchardConfig {
  const r = loadConfig(opts.config);
  if (!r.ok) throw new UsageError(r.error);
  const flags = { profile: opts.profile, region: opts.region, roleArn: opts.roleArn, endpoint: opts.endpoint };
  if (Object.values(flags).every((v) => v === undefined)) return r.config;
  // Flags are the user's own words, so they may set an endpoint (a repository never can).
  const set = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  // SSM flags define the named environments, so any name is fine here.
  const envs = splitEnvList(opts.env, r.config);
  const environments = Object.fromEntries(envs.map((e) => {
    const cur = r.config.environments[e];
    return [e, cur?.backend === 'ssm' ? set : { backend: 'ssm' as const, ...set }];
  }));
  const merged = mergeConfig(r.config, { environments }, { trusted: true });
  return merged.config;
}

/** The backend for one environment; `--store DIR` points every local environment at DIR. */
export function envConfigFor(cfg: OrchardConfig, env: string, opts: GlobalOptions): EnvConfig {
  const c: EnvConfig = cfg.environments[env] ?? { backend: 'local' };
  if (c.backend === 'local' && opts.store) return { ...c, dir: path.resolve(opts.store) };
  return c;
}

/** Store warnings (loose file modes, a store created) on stderr, each once per run. */
const warned = new Set<string>();
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`orchard: warning: ${message}\n`);
}

export function openStores(cfg: OrchardConfig, envs: string[], opts: GlobalOptions): Map<string, ParameterStore> {
  return new Map(envs.map((env) => [env, createStore(env, envConfigFor(cfg, env, opts), { onWarning: warnOnce })]));
}

/** A mistyped path is an error, never an empty workspace that "has nothing to check". */
export function requirePath(target: string): void {
  try {
    statSync(path.resolve(target));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' || code === 'ENOTDIR' ? `${target}: no such file or folder` : `${target}: cannot be read (${code ?? 'error'})`);
  }
}

/** The folders imports may read from besides the workspace: user config plus flags. */
export function importFolders(cfg: OrchardConfig, opts: GlobalOptions): string[] {
  return [...(cfg.allowImportsFrom ?? []), ...(opts.allowImportsFrom ?? [])];
}
