// The environment a deployed charm hands its app for one configuration: charmEnvironment's
// variables played through paas-charm's write order with given `juju config` values, related
// endpoints, peers and proxies. Values only known at run time (BASE_URL without a given one,
// integration data) are null. Pure; used for "what does the app get" views and to check the mapping
// against paas-charm's own test expectations.
import type { CharmEnvironment, ProvidedVar } from './paasCharm';
import { encodeEnv } from './paasCharm';

export type ConfigValue = string | number | boolean | Record<string, string> | null;

export interface DeployState {
  /** `juju config` values by option name; a secret option takes the secret's content (key → value). */
  config?: Record<string, ConfigValue>;
  /** Endpoint names that are related. */
  related?: readonly string[];
  /** The peer relation knows the units (PEER_FQDNS is set). */
  peers?: boolean;
  /** Juju model proxy settings. */
  proxy?: { http?: string; https?: string; no?: string };
  /** BASE_URL's value; false when the charm has none (paas-charm unit tests that build the state by hand). */
  baseUrl?: string | false;
  /** The generated secret key. */
  secretKey?: string;
  /** The app's own host, appended to Django's allowed hosts. */
  appHost?: string;
  jsonLogging?: boolean;
}

/** Python's json.dumps of a list of strings (`["a", "b"]`, with its ", " separator). */
function pyJsonList(items: string[]): string {
  return `[${items.map((s) => JSON.stringify(s)).join(', ')}]`;
}

function configured(state: DeployState, option: string | undefined): ConfigValue | undefined {
  if (!option || !state.config || !Object.prototype.hasOwnProperty.call(state.config, option)) return undefined;
  return state.config[option];
}

/** Name → value (null: known only at run time) of the app's environment in `state`. */
export function environmentAt(env: CharmEnvironment, state: DeployState = {}): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const related = new Set(state.related ?? []);
  const set = (name: string, value: string | null) => {
    out.delete(name); // keep insertion order = write order for the last write
    out.set(name, value);
  };
  for (const v of env.provided) {
    const c = v.charm;
    switch (c.kind) {
      case 'option': {
        const cv = configured(state, c.option);
        if (cv !== undefined && cv !== null && typeof cv !== 'object') set(v.name, encodeEnv(cv, c.optionType));
        else if (cv === undefined && c.availability === 'always' && v.value !== undefined) set(v.name, v.value);
        break;
      }
      case 'secret-option': {
        const cv = configured(state, c.option);
        if (cv && typeof cv === 'object') for (const [k, x] of Object.entries(cv)) set(`${v.name}${k.replace(/-/g, '_').toUpperCase()}`, x);
        break;
      }
      case 'builtin':
        builtin(v, state, set, out);
        break;
      case 'runtime':
        runtime(v, state, env, related, set, out);
        break;
      case 'proxy': {
        const lower = v.name.toLowerCase();
        const val = lower === 'http_proxy' ? state.proxy?.http : lower === 'https_proxy' ? state.proxy?.https : state.proxy?.no;
        if (val) set(v.name, val);
        break;
      }
      case 'integration':
        if (c.endpoint && related.has(c.endpoint)) set(v.name, null);
        break;
    }
  }
  return out;
}

type Setter = (name: string, value: string | null) => void;

function builtin(v: ProvidedVar, state: DeployState, set: Setter, out: Map<string, string | null>): void {
  const c = v.charm;
  const cv = configured(state, c.option);
  if (/secret_key$/.test(c.setting ?? '') && c.availability === 'always') {
    // A framework secret option, else (only when nothing wrote the name) the generated key.
    const id = c.option ? configured(state, `${c.option}-id`) : undefined;
    if (typeof cv === 'string' && cv) set(v.name, cv);
    else if (id && typeof id === 'object' && typeof id.value === 'string') set(v.name, id.value);
    else if (!out.has(v.name)) set(v.name, state.secretKey ?? null);
    return;
  }
  if (c.setting === 'allowed_hosts') {
    const hosts = typeof cv === 'string' && cv ? cv.split(',').map((h) => h.trim()) : [];
    if (state.appHost && !hosts.includes(state.appHost)) hosts.push(state.appHost);
    set(v.name, state.appHost === undefined ? null : pyJsonList(hosts));
    return;
  }
  if (cv !== undefined && cv !== null && typeof cv !== 'object') {
    const s = encodeEnv(cv, c.optionType);
    set(v.name, c.setting === 'preferred_url_scheme' ? s.toUpperCase() : s);
  } else if (c.availability === 'always' && v.value !== undefined) set(v.name, v.value);
}

function runtime(v: ProvidedVar, state: DeployState, env: CharmEnvironment, related: Set<string>, set: Setter, out: Map<string, string | null>): void {
  const c = v.charm;
  const name = v.name;
  if (c.setting === 'base_url') {
    if (state.baseUrl !== false) set(name, state.baseUrl ?? null);
    return;
  }
  if (c.setting === 'secret_key') {
    if (!out.has(name)) set(name, state.secretKey ?? null);
    return;
  }
  if (c.setting === 'peer_fqdns') {
    if (state.peers) set(name, null);
    return;
  }
  if (c.setting === 'prometheus') {
    // Computed from metrics-path, which may be configured.
    const path = configured(state, 'metrics-path');
    if (typeof path === 'string') {
      const parts = path.split('/').filter(Boolean);
      if (name.endsWith('base-path')) set(name, `/${parts.slice(0, -1).join('/')}`);
      else if (name.endsWith('prometheus') && name.includes('path-mapping')) set(name, parts[parts.length - 1] ?? '');
      else set(name, v.value ?? null);
    } else set(name, v.value ?? null);
    return;
  }
  switch (c.availability) {
    case 'always':
      set(name, v.value ?? null);
      break;
    case 'with-json-logging':
      if (state.jsonLogging) set(name, v.value ?? null);
      break;
    case 'when-not-related':
      if (!env.provided.some((p) => p.charm.kind === 'integration' && p.charm.endpoint === 'tracing' && related.has('tracing'))) set(name, v.value ?? null);
      break;
    default:
      break;
  }
}
