// Environment → backend configuration for the CLI and the language server.
//
// SECURITY INVARIANT: `endpoint` (and anything else that decides where signed requests and
// parameter values are sent) may come only from the user's own config file, environment
// variables or machine/application-scoped editor settings. It is never taken from a repository
// file or a workspace setting: a cloned repo must not be able to redirect PutParameter values or
// signed credentials to a server of its choosing. `mergeConfig` enforces this for overrides
// marked `trusted: false`, and `loadUserConfig` only reads from the user's config directory.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { LIMITS, readRegularFileSync } from '../fsread';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export type LocalEnvConfig = { backend: 'local'; dir?: string };
export type SsmEnvConfig = {
  backend: 'ssm';
  profile?: string;
  region?: string;
  roleArn?: string;
  externalId?: string;
  endpoint?: string;
  kmsKeyId?: string;
  allowedKmsKeys?: string[];
  timeoutMs?: number;
  maxAttempts?: number;
};
export type EnvConfig = LocalEnvConfig | SsmEnvConfig;

export interface OrchardConfig {
  environments: Record<string, EnvConfig>;
  /** Environments checked when none are named; defaults to every configured one, in order. */
  defaultEnvs?: string[];
  cacheTtlSeconds?: number;
  /** Folders outside the workspace that figgy.json `import` entries may read (absolute paths). */
  allowImportsFrom?: string[];
  /** Environments not listed under `environments` may be named (they use the local store). Default false. */
  allowAdHocEnvironments?: boolean;
}

export const DEFAULT_ENVS = ['dev', 'qa', 'stage', 'prod'] as const;
export const DEFAULT_CACHE_TTL_SECONDS = 60;
export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const MAX_MAX_ATTEMPTS = 10;

/** Nothing configured: every usual Figgy environment on the embedded local store. */
export function defaultConfig(): OrchardConfig {
  const environments: Record<string, EnvConfig> = {};
  for (const e of DEFAULT_ENVS) environments[e] = { backend: 'local' };
  return { environments, defaultEnvs: [...DEFAULT_ENVS], cacheTtlSeconds: DEFAULT_CACHE_TTL_SECONDS };
}

/** The environments a run uses when the user names none. */
export function effectiveEnvs(cfg: OrchardConfig): string[] {
  return cfg.defaultEnvs?.length ? [...cfg.defaultEnvs] : Object.keys(cfg.environments);
}

/** Where the user config lives: `$ORCHARD_CONFIG`, else `$XDG_CONFIG_HOME/orchard/config.json`. */
export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ORCHARD_CONFIG) return env.ORCHARD_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'orchard', 'config.json');
}

export type LoadResult =
  | { ok: true; config: OrchardConfig; file?: string }
  | { ok: false; file: string; errors: string[]; /** All errors on one line. */ error: string };

/**
 * Loads the user config: `file` when given (e.g. `--config`), else `userConfigPath(env)`. A missing
 * file at the default location means defaults; a file named explicitly or by `$ORCHARD_CONFIG` must
 * exist. Never throws; each error is one line, `file:line:col: message`.
 */
export function loadConfig(file?: string, env: NodeJS.ProcessEnv = process.env): LoadResult {
  const path = file ?? userConfigPath(env);
  const explicit = file !== undefined || Boolean(env.ORCHARD_CONFIG);
  // Regular files only, size-capped: a FIFO or device named as the config never hangs a command.
  const read = readRegularFileSync(path, { maxBytes: LIMITS.userConfig });
  if (!read.ok) {
    if (read.reason === 'missing' && !explicit) return { ok: true, config: defaultConfig() };
    const msg = `${path}: cannot read config (${read.message})`;
    return { ok: false, file: path, errors: [msg], error: msg };
  }
  const r = parseConfigText(read.text, path);
  return r.errors.length ? { ok: false, file: path, errors: r.errors, error: r.errors.join('; ') } : { ok: true, config: r.config!, file: path };
}

/** `loadConfig` at the user's config location. */
export function loadUserConfig(env: NodeJS.ProcessEnv = process.env): LoadResult {
  return loadConfig(undefined, env);
}

/** Parses and validates config JSON (comments allowed). Never throws. */
export function parseConfigText(text: string, file = '<config>'): { config?: OrchardConfig; errors: string[] } {
  const lines = lineStarts(text);
  const at = (offset: number) => {
    const { line, col } = position(lines, offset);
    return `${file}:${line}:${col}`;
  };
  const perrs: ParseError[] = [];
  const root = parseTree(text, perrs, { allowTrailingComma: false, disallowComments: false });
  if (perrs.length) {
    return { errors: perrs.map((p) => `${at(p.offset)}: invalid JSON (${printParseErrorCode(p.error)})`) };
  }
  if (!root) return { errors: [`${at(0)}: empty config file`] };
  const errors: string[] = [];
  const err = (n: Node, msg: string) => errors.push(`${at(n.offset)}: ${msg}`);
  const config = validateRoot(root, err);
  return errors.length ? { errors } : { config, errors };
}

type Err = (n: Node, msg: string) => void;

const ENV_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

function props(n: Node): [string, Node, Node][] {
  return (n.children ?? []).flatMap((p) => (p.children && p.children.length === 2 ? [[String(p.children[0].value), p.children[0], p.children[1]] as [string, Node, Node]] : []));
}

function validateRoot(root: Node, err: Err): OrchardConfig {
  const out = defaultConfig();
  if (root.type !== 'object') {
    err(root, 'the config must be a JSON object');
    return out;
  }
  let sawEnvs = false;
  let sawDefault = false;
  for (const [key, keyNode, v] of props(root)) {
    if (key === 'environments') {
      sawEnvs = true;
      if (v.type !== 'object') {
        err(v, '"environments" must be an object of environment name → backend settings');
        continue;
      }
      out.environments = {};
      for (const [envName, envKey, ev] of props(v)) {
        if (!ENV_NAME.test(envName)) err(envKey, `environment name "${envName}" may contain only letters, digits, "_" and "-"`);
        const ec = validateEnv(envName, ev, err);
        if (ec) out.environments[envName] = ec;
      }
    } else if (key === 'defaultEnvs') {
      sawDefault = true;
      const list = stringArray(v, 'defaultEnvs', err);
      if (list) out.defaultEnvs = list;
    } else if (key === 'cacheTtlSeconds') {
      if (v.type !== 'number' || typeof v.value !== 'number' || v.value < 0 || v.value > 86400) err(v, '"cacheTtlSeconds" must be a number from 0 to 86400');
      else out.cacheTtlSeconds = v.value;
    } else if (key === 'allowImportsFrom') {
      const list = stringArray(v, 'allowImportsFrom', err);
      if (list && list.some((d) => !isAbsolute(d))) err(v, '"allowImportsFrom" must list absolute folder paths');
      else if (list) out.allowImportsFrom = list;
    } else if (key === 'allowAdHocEnvironments') {
      if (v.type !== 'boolean') err(v, '"allowAdHocEnvironments" must be true or false');
      else out.allowAdHocEnvironments = v.value === true;
    } else if (key === '$schema') {
      // editors add it; harmless
    } else {
      err(keyNode, `unknown key "${key}" (expected environments, defaultEnvs, cacheTtlSeconds, allowImportsFrom, allowAdHocEnvironments)`);
    }
  }
  if (sawEnvs && !sawDefault) out.defaultEnvs = Object.keys(out.environments);
  if (out.defaultEnvs) {
    for (const e of out.defaultEnvs) {
      if (!(e in out.environments)) {
        const n = props(root).find(([k]) => k === 'defaultEnvs')?.[2] ?? root;
        err(n, `"defaultEnvs" names "${e}", which is not in "environments"`);
      }
    }
  }
  return out;
}

function stringArray(v: Node, what: string, err: Err): string[] | undefined {
  if (v.type !== 'array' || !(v.children ?? []).every((c) => c.type === 'string')) {
    err(v, `"${what}" must be an array of strings`);
    return undefined;
  }
  return (v.children ?? []).map((c) => String(c.value));
}

const SSM_KEYS = ['backend', 'profile', 'region', 'roleArn', 'externalId', 'endpoint', 'kmsKeyId', 'allowedKmsKeys', 'timeoutMs', 'maxAttempts'];

function validateEnv(name: string, v: Node, err: Err): EnvConfig | undefined {
  const where = `environments.${name}`;
  if (v.type !== 'object') {
    err(v, `"${where}" must be an object like {"backend": "ssm", "profile": "…"}`);
    return undefined;
  }
  const entries = props(v);
  const backendNode = entries.find(([k]) => k === 'backend')?.[2];
  if (!backendNode) {
    err(v, `"${where}" needs "backend": "local" or "ssm"`);
    return undefined;
  }
  if (backendNode.value === 'local') {
    const out: LocalEnvConfig = { backend: 'local' };
    for (const [k, kn, val] of entries) {
      if (k === 'backend') continue;
      if (k === 'dir') {
        if (val.type !== 'string' || !val.value) err(val, `"${where}.dir" must be a non-empty string`);
        else out.dir = String(val.value);
      } else err(kn, `unknown key "${k}" in "${where}" (a local backend takes only "dir")`);
    }
    return out;
  }
  if (backendNode.value !== 'ssm') {
    err(backendNode, `"${where}.backend" must be "local" or "ssm"`);
    return undefined;
  }
  const out: SsmEnvConfig = { backend: 'ssm' };
  for (const [k, kn, val] of entries) {
    if (k === 'backend') continue;
    if (!SSM_KEYS.includes(k)) {
      err(kn, `unknown key "${k}" in "${where}" (allowed: ${SSM_KEYS.slice(1).join(', ')})`);
      continue;
    }
    const str = (): string | undefined => {
      if (val.type !== 'string' || !val.value) {
        err(val, `"${where}.${k}" must be a non-empty string`);
        return undefined;
      }
      return String(val.value);
    };
    const int = (min: number, max: number): number | undefined => {
      if (val.type !== 'number' || !Number.isInteger(val.value) || val.value < min || val.value > max) {
        err(val, `"${where}.${k}" must be a whole number from ${min} to ${max}`);
        return undefined;
      }
      return val.value as number;
    };
    switch (k) {
      case 'profile': out.profile = str(); break;
      case 'externalId': out.externalId = str(); break;
      case 'kmsKeyId': out.kmsKeyId = str(); break;
      case 'region': {
        const s = str();
        if (s !== undefined && !REGION.test(s)) err(val, `"${where}.region" is not an AWS region name (e.g. us-east-1)`);
        else out.region = s;
        break;
      }
      case 'roleArn': {
        const s = str();
        if (s !== undefined && !ROLE_ARN.test(s)) err(val, `"${where}.roleArn" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
        else out.roleArn = s;
        break;
      }
      case 'endpoint': {
        const s = str();
        if (s !== undefined && !isHttpUrl(s)) err(val, `"${where}.endpoint" must be an http(s) URL`);
        else out.endpoint = s;
        break;
      }
      case 'allowedKmsKeys': out.allowedKmsKeys = stringArray(val, `${where}.allowedKmsKeys`, err); break;
      case 'timeoutMs': out.timeoutMs = int(100, 600_000); break;
      case 'maxAttempts': out.maxAttempts = int(1, MAX_MAX_ATTEMPTS); break;
    }
  }
  return out;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function position(starts: readonly number[], offset: number): { line: number; col: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo] + 1 };
}

/** Settings from CLI flags or editor settings, layered over the loaded config. */
export interface ConfigOverrides {
  /** Per-env fields; a `backend` switches the env's backend (other fields then start fresh). */
  environments?: Record<string, Partial<LocalEnvConfig> | Partial<SsmEnvConfig>>;
  defaultEnvs?: string[];
  cacheTtlSeconds?: number;
}

export interface MergeOptions {
  /**
   * True for the user's own sources: CLI flags, environment variables, machine/application-scoped
   * editor settings. False for anything a repository can influence (workspace settings, files in the
   * repo): then `endpoint` is dropped and reported, never applied.
   */
  trusted: boolean;
}

/** Layers overrides on a config. Pure; returns the new config and what was refused. */
export function mergeConfig(base: OrchardConfig, over: ConfigOverrides, opts: MergeOptions): { config: OrchardConfig; refused: string[] } {
  const refused: string[] = [];
  const environments: Record<string, EnvConfig> = {};
  for (const [k, v] of Object.entries(base.environments)) environments[k] = cloneEnv(v);
  for (const [name, o] of Object.entries(over.environments ?? {})) {
    const patch: Record<string, unknown> = { ...o };
    for (const k of Object.keys(patch)) if (patch[k] === undefined) delete patch[k];
    if (!opts.trusted && 'endpoint' in patch) {
      delete patch.endpoint;
      refused.push(`environments.${name}.endpoint (an endpoint may only come from your user config, environment variables or machine settings)`);
    }
    const prev = environments[name];
    const backend = (patch.backend as EnvConfig['backend'] | undefined) ?? prev?.backend ?? 'local';
    const start: Record<string, unknown> = prev && prev.backend === backend ? { ...prev } : { backend };
    environments[name] = { ...start, ...patch, backend } as EnvConfig;
  }
  const config: OrchardConfig = {
    environments,
    defaultEnvs: over.defaultEnvs ? [...over.defaultEnvs] : base.defaultEnvs ? [...base.defaultEnvs] : undefined,
    cacheTtlSeconds: over.cacheTtlSeconds ?? base.cacheTtlSeconds,
    ...(base.allowImportsFrom ? { allowImportsFrom: [...base.allowImportsFrom] } : {}),
  };
  return { config, refused };
}

function cloneEnv(e: EnvConfig): EnvConfig {
  return e.backend === 'ssm' && e.allowedKmsKeys ? { ...e, allowedKmsKeys: [...e.allowedKmsKeys] } : { ...e };
}
