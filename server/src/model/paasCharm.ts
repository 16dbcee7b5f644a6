// The environment paas-charm 1.12.x (and, with `paasCharmMajor: 2`, the unreleased 2.0) gives a
// 12-factor app, computed statically from its charm files: every variable with where it comes from
// (option, secret key family, framework setting, integration, runtime), when it is there
// (always / when the option is set / when related...), its default as the app sees it (JSON-encoded
// for int/float/boolean) and whether it holds a credential. Pure; the tables are in paasCharmData.ts.
//
// Order of writes in paas-charm's `App.gen_environment` (later wins): user options, framework
// settings, `{prefix}BASE_URL`, `{prefix}SECRET_KEY` (only when not yet set), proxies,
// `{prefix}PEER_FQDNS`, integrations (unprefixed). The same environment goes to Pebble services
// named `*-worker`, and to `*-scheduler` services on unit 0 (WORKER_NOTE).
import type { CharmFramework, CharmModel, CharmOption, CharmOptionType } from '../parse/envTypes';
import type { Range } from '../parse/types';
import {
  DATABASE_INTERFACES,
  frameworkSpec,
  INTEGRATIONS,
  OAUTH_SENSITIVE,
  OAUTH_SUFFIXES,
  oauthInjectedOptions,
  PROXY_VARS,
  SPRING_OTEL_OFF,
  springOauthVars,
  type FieldSpec,
  type FrameworkSpec,
} from './paasCharmData';
import { collisions, documentedSecretKeys, reverseIn, type ReverseMatch, type VariableCollision } from './paasCharmNames';

export { JUJU_SECRET_KEY } from './paasCharmData';
export { reverseIn, type ReverseMatch, type VariableCollision } from './paasCharmNames';

export const WORKER_NOTE = 'paas-charm gives the same environment to Pebble services named *-worker, and to *-scheduler services on unit 0';

/** When a variable is in the app's environment. */
export type Availability =
  | 'always' // a default, a framework setting with a value, a runtime value the charm always sets
  | 'when-set' // once the operator sets the option (`juju config`)
  | 'when-related' // once the integration is related
  | 'when-not-related' // Spring Boot's OTEL_*_EXPORTER=none without tracing
  | 'with-peers' // PEER_FQDNS, once the peer relation knows the units
  | 'with-proxy' // Juju model proxy settings or the http-proxy integration
  | 'with-json-logging'; // paas-config.yaml framework_logging_format: json (FastAPI)

export type CharmVarKind = 'option' | 'secret-option' | 'builtin' | 'runtime' | 'proxy' | 'integration';

/** paas-charm provenance of a provided variable. */
export interface CharmVarOrigin {
  kind: CharmVarKind;
  /** The charm option behind it (user option, framework option, or charmcraft-injected option). */
  option?: string;
  optionType?: string;
  /** The `requires:` endpoint behind it. */
  endpoint?: string;
  interface?: string;
  /** A framework setting or a value paas-charm computes (BASE_URL, SECRET_KEY...): nothing to declare. */
  builtin?: boolean;
  /** A `type: secret` option: one variable per key of the Juju secret (`name` is the prefix). */
  secretKeys?: boolean;
  /** The keys a secret option's description lists (`site-key: …` lines, `` `site-key` ``), when it lists any. */
  documentedKeys?: string[];
  availability: Availability;
  /** `optional: false` option or endpoint: the charm blocks until it is set / related. */
  required?: boolean;
  /** paas-charm passes the value through json.dumps (int, float, boolean options; lists). */
  jsonEncoded?: boolean;
  /** Added by charmcraft's extension, not written in the charm file. */
  injected?: boolean;
  /**
   * Built-ins: the framework setting (pydantic field, e.g. `preferred_url_scheme`); runtime values:
   * what paas-charm computes (`base_url`, `secret_key`, `peer_fqdns`, `metrics`, `json_logging`,
   * `otel_off`, `forward_headers`, `prometheus`).
   */
  setting?: string;
}

/** One variable (or, for a secret option, a family `PREFIX_OPTION_<KEY>`) the charm provides. */
export interface ProvidedVar {
  /** Exact name; for a family, the prefix every member starts with (ends with `_`). */
  name: string;
  family?: boolean;
  /** Where the user changes it: the option, the endpoint, the extension entry (built-ins). */
  uri: string;
  range: Range;
  /** The option's or endpoint's whole entry. */
  entryRange?: Range;
  /** Value as the app sees it when known statically (a default, JSON-encoded when not a string); null: set at run time. */
  value?: string | null;
  valueRange?: Range;
  sensitive: boolean;
  /** One line for hovers and the tree. */
  detail: string;
  /** Written by the user (an option they declared), so "nothing reads it" is worth saying. */
  userDefined: boolean;
  charm: CharmVarOrigin;
}

export type SkipReason = 'framework-prefix' | 'webserver-prefix' | 'app-prefix' | 'framework-field';

/** A declared option that never reaches the app as a variable. */
export interface SkippedOption {
  option: string;
  uri: string;
  range: Range;
  reason: SkipReason;
  /** For app-/framework-field: charmcraft packs it and paas-charm silently drops it. */
  message: string;
}

export interface CharmNote {
  code: 'framework-unknown' | 'endpoint-name' | 'endpoint-interface' | 'oauth-several' | 'oauth-endpoint-name' | 'option-overlap' | 'option-type';
  message: string;
  /** The integration endpoint the note is about (endpoint-name, endpoint-interface). */
  endpoint?: string;
  uri: string;
  range: Range;
}

export interface CharmEnvironment {
  framework?: CharmFramework;
  frameworkFrom?: 'extension' | 'options' | 'given';
  provided: ProvidedVar[];
  skipped: SkippedOption[];
  collisions: VariableCollision[];
  notes: CharmNote[];
  /** False when the framework (hence the prefixes) is unknown: user options are then not listed. */
  complete: boolean;
  /** Pebble services that get this same environment besides the main one (WORKER_NOTE). */
  alsoFor: string[];
}

export interface CharmEnvOptions {
  /** paas-charm major version (from the charm's requirements); 1 (1.12.x) unless said. */
  paasCharmMajor?: 1 | 2;
  /** The framework when the charm files do not say (known from the charm's code). */
  framework?: CharmFramework;
  /** paas-config.yaml asks for JSON logs (FastAPI then also gets PYTHONPATH, UVICORN_LOG_CONFIG). */
  jsonLogging?: boolean;
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Python's `json.dumps` of a config value, as `encode_env` does (strings pass as they are). */
export function encodeEnv(v: string | number | boolean, type?: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (type === 'float' && Number.isInteger(v)) return `${v}.0`;
  return String(v);
}

/** `option-name` → `OPTION_NAME` (paas-charm: `replace("-", "_")` then `upper()`). */
export function optionVariableSuffix(option: string): string {
  return option.replace(/-/g, '_').toUpperCase();
}

interface EffOption {
  name: string;
  type?: string;
  default?: string | number | boolean | null;
  optional?: boolean;
  uri: string;
  decl?: CharmOption;
  injected: boolean;
}

function models(charm: CharmModel | readonly CharmModel[]): readonly CharmModel[] {
  return Array.isArray(charm) ? (charm as readonly CharmModel[]) : [charm as CharmModel];
}

const YAML11_TRUE = /^(y|yes|true|on)$/i;
const YAML11_FALSE = /^(n|no|false|off)$/i;

/** A declared default as Juju holds it (charmcraft reads YAML 1.1: a plain `yes` is a boolean). */
function defaultOf(o: CharmOption): string | number | boolean | null | undefined {
  const d = o.default;
  if (!d) return undefined;
  if (o.type?.value === 'boolean' && typeof d.value === 'string') return YAML11_TRUE.test(d.value) ? true : YAML11_FALSE.test(d.value) ? false : d.value;
  return d.value;
}

/** Computes what paas-charm puts in the app's environment for this charm. */
export function charmEnvironment(charm: CharmModel | readonly CharmModel[], opts: CharmEnvOptions = {}): CharmEnvironment {
  const ms = models(charm);
  const major = opts.paasCharmMajor ?? 1;
  const home = ms.find((m) => m.file === 'charmcraft') ?? ms[0];
  const homeUri = home?.uri ?? '';
  const fwModel = ms.find((m) => m.framework?.from === 'extension') ?? ms.find((m) => m.framework);
  const framework = fwModel?.framework?.value ?? opts.framework;
  const frameworkFrom: CharmEnvironment['frameworkFrom'] = fwModel?.framework ? fwModel.framework.from : opts.framework ? 'given' : undefined;
  const env: CharmEnvironment = { framework, frameworkFrom, provided: [], skipped: [], collisions: [], notes: [], complete: framework !== undefined, alsoFor: ['*-worker', '*-scheduler (unit 0 only)'] };
  // Where built-ins and run-time values point: the `extensions:` entry, else the charm's name.
  const named = ms.find((m) => m.name);
  const anchor =
    fwModel?.framework?.from === 'extension'
      ? { uri: fwModel.uri, range: fwModel.framework.range }
      : named?.name
        ? { uri: named.uri, range: named.name.range }
        : fwModel?.framework
          ? { uri: fwModel.uri, range: fwModel.framework.range }
          : { uri: homeUri, range: ZERO };
  const requires = ms.flatMap((m) => m.requires.map((e) => ({ e, uri: m.uri })));
  const oauthEps = requires.filter((r) => r.e.interface === 'oauth');

  if (!framework) {
    env.notes.push({ code: 'framework-unknown', message: 'the paas-charm framework is not known (no `extensions:` and no framework-specific option): option variables cannot be named', uri: anchor.uri, range: anchor.range });
    integrations(env, undefined, requires, anchor);
    return env;
  }
  const spec = frameworkSpec(framework, major);
  const viaExtension = fwModel?.framework?.from === 'extension';

  // The options the deployed charm has: declared ones, plus what the extension injects.
  const eff = new Map<string, EffOption>();
  for (const m of ms) {
    for (const o of m.options) {
      eff.set(o.name, { name: o.name, type: o.type?.value, default: defaultOf(o), optional: o.optional?.value, uri: m.uri, decl: o, injected: false });
    }
  }
  if (viaExtension) {
    for (const [name, io] of Object.entries(spec.injected)) {
      const d = eff.get(name);
      if (d?.decl) {
        env.notes.push({ code: 'option-overlap', message: `option "${name}" is also added by the ${framework}-framework extension: charmcraft refuses to pack the charm ("overlapping keys")`, uri: d.uri, range: d.decl.nameRange });
        continue;
      }
      eff.set(name, { name, type: io.type, default: io.default, uri: anchor.uri, injected: true });
    }
    // The options of an `oauth` endpoint are added after charmcraft's overlap check and merged into
    // the user's: declaring one (netbox-k8s's `oidc-redirect-path`) overrides its default; what the
    // declaration leaves out comes from the extension.
    for (const r of oauthEps) {
      for (const [name, io] of Object.entries(oauthInjectedOptions(framework, r.e.name))) {
        const d = eff.get(name);
        // (charmcraft keeps a declared field unless it is empty or false, as Python's `if value:`.)
        if (d?.decl) eff.set(name, { ...d, type: d.type || io.type, default: d.default || io.default });
        else eff.set(name, { name, type: io.type, default: io.default, uri: anchor.uri, injected: true });
      }
    }
  }

  const fieldNames = new Set(spec.fields.map((f) => f.field));
  const frameworkOwned = new Set<string>(Object.keys(spec.injected));
  for (const f of spec.fields) {
    if (f.option) frameworkOwned.add(f.option);
    if (f.alsoFrom) frameworkOwned.add(f.alsoFrom);
  }
  const oauthOptionNames = new Set(oauthEps.flatMap((r) => Object.keys(oauthInjectedOptions(framework, r.e.name))));

  // 1. User options.
  for (const o of eff.values()) {
    const reason = skipReason(o.name, framework, fieldNames);
    if (reason) {
      if (o.decl && !frameworkOwned.has(o.name)) env.skipped.push({ option: o.name, uri: o.uri, range: o.decl.nameRange, reason, message: skipMessage(o.name, reason, framework, spec) });
      continue;
    }
    if (o.type !== undefined && !['string', 'int', 'float', 'boolean', 'secret'].includes(o.type) && o.decl) {
      env.notes.push({ code: 'option-type', message: `option "${o.name}" has a type paas-charm does not know: the charm fails with "Invalid option type"`, uri: o.uri, range: o.decl.nameRange });
    }
    const userDefined = !o.injected && !frameworkOwned.has(o.name) && !oauthOptionNames.has(o.name);
    const name = `${spec.prefix}${optionVariableSuffix(o.name)}`;
    const hasDefault = o.default !== undefined && o.default !== null;
    const base = {
      uri: o.uri,
      range: o.decl?.nameRange ?? anchor.range,
      entryRange: o.decl?.range,
      userDefined,
    };
    const required = o.optional === false;
    if (o.type === 'secret') {
      env.provided.push({
        ...base,
        name: `${name}_`,
        family: true,
        value: hasDefault ? null : undefined,
        sensitive: true,
        detail: `option ${o.name} (secret): one variable per key of the Juju secret, ${name}_<KEY>`,
        charm: {
          kind: 'secret-option',
          option: o.name,
          optionType: 'secret',
          secretKeys: true,
          availability: hasDefault || required ? 'always' : 'when-set',
          required,
          injected: o.injected || undefined,
          documentedKeys: documentedSecretKeys(o.decl?.description),
        },
      });
      continue;
    }
    const json = o.type === 'int' || o.type === 'float' || o.type === 'boolean';
    env.provided.push({
      ...base,
      name,
      value: hasDefault ? encodeEnv(o.default as string | number | boolean, o.type) : undefined,
      valueRange: hasDefault ? o.decl?.default?.range : undefined,
      sensitive: false,
      detail: `option ${o.name}${o.type ? ` (${o.type})` : ''}${o.injected ? ', added by the extension' : ''}`,
      charm: { kind: 'option', option: o.name, optionType: o.type, availability: hasDefault || required ? 'always' : 'when-set', required, jsonEncoded: json || undefined, injected: o.injected || undefined },
    });
  }

  // 2. Framework settings.
  for (const f of spec.fields) builtinField(env, spec, f, eff, anchor);
  for (const m of major === 2 && spec.metrics ? ['PORT', 'PATH'] : []) {
    const v = m === 'PORT' ? String(spec.metrics!.port) : spec.metrics!.path;
    env.provided.push(runtimeVar(`${spec.builtinPrefix}METRICS_${m}`, anchor, v, `metrics ${m.toLowerCase()} (paas-config.yaml, default ${v})`, 'always', 'metrics'));
  }
  // 3-6. BASE_URL, SECRET_KEY, proxies, PEER_FQDNS.
  env.provided.push(runtimeVar(`${spec.prefix}BASE_URL`, anchor, null, 'the ingress URL, or the Kubernetes service URL without ingress', 'always', 'base_url'));
  const secretName = `${spec.prefix}SECRET_KEY`;
  const existing = env.provided.find((p) => p.name === secretName && p.charm.kind === 'builtin');
  if (existing) {
    existing.charm.availability = 'always';
    existing.detail += '; generated and shared by the charm when unset';
    existing.value = existing.value ?? null;
  } else {
    env.provided.push({ ...runtimeVar(secretName, anchor, null, 'secret key generated and shared by the charm (rotate-secret-key action)', 'always', 'secret_key'), sensitive: true });
  }
  const proxyEp = requires.find((r) => r.e.name === 'http-proxy' && r.e.interface === 'http_proxy');
  for (const p of PROXY_VARS) {
    env.provided.push({
      ...runtimeVar(p, proxyEp ? { uri: proxyEp.uri, range: proxyEp.e.nameRange } : anchor, null, proxyEp ? 'proxy from the http-proxy integration or the Juju model settings' : "proxy from the Juju model's proxy settings", 'with-proxy', 'proxy'),
      charm: { kind: 'proxy', builtin: true, availability: 'with-proxy', endpoint: proxyEp?.e.name, interface: proxyEp?.e.interface, setting: 'proxy' },
    });
  }
  env.provided.push(runtimeVar(`${spec.prefix}PEER_FQDNS`, anchor, null, "comma-separated FQDNs of the app's units (peer relation)", 'with-peers', 'peer_fqdns'));
  if (framework === 'fastapi') {
    env.provided.push(runtimeVar('PYTHONPATH', anchor, '/tmp/fastapi/log_config', 'JSON logging handler (paas-config.yaml)', opts.jsonLogging ? 'always' : 'with-json-logging', 'json_logging'));
    env.provided.push(runtimeVar('UVICORN_LOG_CONFIG', anchor, '/tmp/fastapi/log_config/uvicorn-log-config.json', 'JSON logging config (paas-config.yaml)', opts.jsonLogging ? 'always' : 'with-json-logging', 'json_logging'));
  }
  // 7. Integrations (and Spring Boot's own properties).
  integrations(env, framework, requires, anchor);
  if (framework === 'spring-boot') springExtras(env, spec, eff, anchor);
  env.collisions = collisions(env.provided);
  return env;
}

/** The variables paas-charm provides (charmEnvironment's `provided`). */
export function charmVariables(charm: CharmModel | readonly CharmModel[], opts?: CharmEnvOptions): ProvidedVar[] {
  return charmEnvironment(charm, opts).provided;
}

function skipReason(option: string, fw: CharmFramework, fieldNames: Set<string>): SkipReason | undefined {
  if (option.startsWith(`${fw}-`)) return 'framework-prefix';
  if (option.startsWith('webserver-')) return 'webserver-prefix';
  if (option.startsWith('app-')) return 'app-prefix';
  // Options named like a framework setting are dropped from the user options (the setting itself
  // comes from its own option: `metrics-port` feeds Go's `metrics_port`, a user `debug` feeds nothing).
  if (fieldNames.has(option.replace(/-/g, '_'))) return 'framework-field';
  return undefined;
}

function skipMessage(option: string, reason: SkipReason, fw: CharmFramework, spec: FrameworkSpec): string {
  switch (reason) {
    case 'framework-prefix':
      return `option "${option}" never reaches the app: "${fw}-" is reserved for the ${fw} framework (charmcraft refuses it with the extension)`;
    case 'webserver-prefix':
      return `option "${option}" never reaches the app: "webserver-" is reserved for web server settings (charmcraft refuses it with the extension)`;
    case 'app-prefix':
      return `option "${option}" never reaches the app: paas-charm drops every option starting with "app-" without a word`;
    case 'framework-field': {
      const key = option.replace(/-/g, '_');
      const f = spec.fields.find((x) => x.field === key);
      return `option "${option}" never reaches the app: its name is the ${fw} setting "${key}", which paas-charm keeps for ${f?.option ? `option "${f.option}"` : 'itself'}`;
    }
  }
}

function runtimeVar(name: string, at: { uri: string; range: Range }, value: string | null, detail: string, availability: Availability, setting: string): ProvidedVar {
  return { name, uri: at.uri, range: at.range, value, sensitive: false, detail, userDefined: false, charm: { kind: 'runtime', builtin: true, availability, setting } };
}

function builtinField(env: CharmEnvironment, spec: FrameworkSpec, f: FieldSpec, eff: Map<string, EffOption>, anchor: { uri: string; range: Range }): void {
  const o = f.option ? eff.get(f.option) : undefined;
  const also = f.alsoFrom ? eff.get(f.alsoFrom) : undefined;
  const name = `${spec.builtinPrefix}${f.field.toUpperCase()}`;
  let value: string | null | undefined;
  let availability: Availability;
  if (f.transform === 'hosts') {
    value = null; // the configured hosts plus the app's own host, as a JSON list
    availability = 'always';
  } else if (o && o.default !== undefined && o.default !== null) {
    value = encodeEnv(o.default, f.type);
    availability = 'always';
  } else if (f.fieldDefault !== undefined) {
    value = encodeEnv(f.fieldDefault, f.type);
    availability = 'always';
  } else if (o || also) {
    availability = 'when-set';
  } else return;
  if (value && f.transform === 'upper') value = value.toUpperCase();
  const at = o?.decl ? { uri: o.uri, range: o.decl.nameRange } : anchor;
  const json = f.type === 'int' || f.type === 'boolean' || f.type === 'float' || f.type === 'list';
  env.provided.push({
    name,
    uri: at.uri,
    range: at.range,
    entryRange: o?.decl?.range,
    value,
    valueRange: o?.decl?.default?.range,
    sensitive: Boolean(f.sensitive),
    detail: `${f.option ? `option ${f.option}` : 'framework setting'} (${f.field}${f.transform === 'hosts' ? ', JSON list with the app host added' : ''})`,
    userDefined: false,
    charm: { kind: 'builtin', builtin: true, option: f.option, optionType: o?.type ?? f.type, availability, jsonEncoded: json || undefined, injected: o?.injected || undefined, setting: f.field },
  });
}

type Req = { e: CharmModel['requires'][number]; uri: string };

function integrations(env: CharmEnvironment, fw: CharmFramework | undefined, requires: Req[], anchor: { uri: string; range: Range }): void {
  const spring = fw === 'spring-boot';
  const wired = new Set<string>();
  for (const r of requires) {
    const { e } = r;
    const db = e.interface ? DATABASE_INTERFACES[e.interface] : undefined;
    if (db && e.name !== db) {
      env.notes.push({ code: 'endpoint-name', message: `paas-charm listens for ${e.interface} on an endpoint named "${db}" only: endpoint "${e.name}" gives the app no variables`, uri: r.uri, range: e.nameRange, endpoint: e.name });
      continue;
    }
    const spec = INTEGRATIONS.find((i) => i.endpoint === e.name);
    if (!spec) {
      const byInterface = INTEGRATIONS.find((i) => i.interface === e.interface);
      if (byInterface) env.notes.push({ code: 'endpoint-name', message: `paas-charm wires ${byInterface.interface} only on an endpoint named "${byInterface.endpoint}": endpoint "${e.name}" gives the app no variables`, uri: r.uri, range: e.nameRange, endpoint: e.name });
      continue;
    }
    if (e.interface !== spec.interface) {
      env.notes.push({ code: 'endpoint-interface', message: `endpoint "${e.name}" gives the app no variables: paas-charm wires it only with interface ${spec.interface}`, uri: r.uri, range: e.nameRange, endpoint: e.name });
      continue;
    }
    if (wired.has(spec.endpoint)) continue;
    wired.add(spec.endpoint);
    const useSpring = spring && spec.spring;
    const names = useSpring ? (spec.spring!.both ? [...spec.vars, ...spec.spring!.vars] : spec.spring!.vars) : spec.vars;
    const secret = new Set(useSpring ? [...spec.sensitive, ...spec.spring!.sensitive] : spec.sensitive);
    for (const n of names) env.provided.push(integrationVar(n, r, secret.has(n)));
  }
  if (spring && !wired.has('tracing')) {
    const tracing = requires.find((r) => r.e.name === 'tracing');
    for (const n of SPRING_OTEL_OFF) {
      env.provided.push(runtimeVar(n, tracing ? { uri: tracing.uri, range: tracing.e.nameRange } : anchor, 'none', 'OpenTelemetry exporter off (no tracing integration)', 'always', 'otel_off'));
    }
  } else if (spring) {
    const tracing = requires.find((r) => r.e.name === 'tracing')!;
    for (const n of SPRING_OTEL_OFF) env.provided.push(runtimeVar(n, { uri: tracing.uri, range: tracing.e.nameRange }, 'none', 'OpenTelemetry exporter off until tracing is related', 'when-not-related', 'otel_off'));
  }
  const oauth = requires.filter((r) => r.e.interface === 'oauth');
  if (oauth.length > 1) {
    for (const r of oauth) env.notes.push({ code: 'oauth-several', message: 'paas-charm supports one oauth endpoint: with several, the charm blocks ("Multiple OAuth relations are not supported")', uri: r.uri, range: r.e.nameRange });
  } else if (oauth.length === 1 && fw) {
    const r = oauth[0];
    if (spring) {
      for (const n of springOauthVars(r.e.name)) env.provided.push(integrationVar(n, r, /client-secret$/.test(n)));
    } else {
      const head = fw === 'flask' || fw === 'django' ? fw.toUpperCase() : 'APP';
      // paas-charm upper-cases the endpoint name but keeps its `-`.
      if (r.e.name.includes('-')) env.notes.push({ code: 'oauth-endpoint-name', message: `endpoint "${r.e.name}" makes variables like ${head}_${r.e.name.toUpperCase()}_CLIENT_ID: paas-charm keeps the "-", so shells and most libraries cannot read them`, uri: r.uri, range: r.e.nameRange });
      for (const s of OAUTH_SUFFIXES) env.provided.push(integrationVar(`${head}_${r.e.name.toUpperCase()}_${s}`, r, OAUTH_SENSITIVE.includes(s)));
    }
  }
}

function integrationVar(name: string, r: Req, sensitive: boolean): ProvidedVar {
  const required = r.e.optional === false;
  return {
    name,
    uri: r.uri,
    range: r.e.nameRange,
    entryRange: r.e.range,
    value: null,
    sensitive,
    detail: `integration ${r.e.name}${r.e.interface ? ` (${r.e.interface})` : ''}`,
    userDefined: false,
    charm: { kind: 'integration', endpoint: r.e.name, interface: r.e.interface, availability: 'when-related', required: required || undefined },
  };
}

function springExtras(env: CharmEnvironment, spec: FrameworkSpec, eff: Map<string, EffOption>, anchor: { uri: string; range: Range }): void {
  const profiles = env.provided.find((p) => p.name === 'APP_PROFILES');
  if (profiles) env.provided.push({ ...profiles, name: 'spring.profiles.active', detail: 'option app-profiles (Spring profiles)', charm: { ...profiles.charm } });
  env.provided.push(runtimeVar('server.forward-headers-strategy', anchor, 'framework', 'set by paas-charm for the ingress prefix', 'always', 'forward_headers'));
  const pathField = spec.fields.find((f) => f.field === 'metrics_path');
  const o = eff.get('metrics-path');
  const path = o?.default != null ? String(o.default) : (pathField?.fieldDefault as string | undefined) ?? '/actuator/prometheus';
  const parts = path.split('/').filter(Boolean);
  const at = o?.decl ? { uri: o.uri, range: o.decl.nameRange } : anchor;
  env.provided.push(runtimeVar('management.endpoints.web.exposure.include', at, 'prometheus', 'metrics endpoint (metrics-path)', 'always', 'prometheus'));
  env.provided.push(runtimeVar('management.endpoints.web.base-path', at, `/${parts.slice(0, -1).join('/')}`, 'metrics endpoint (metrics-path)', 'always', 'prometheus'));
  env.provided.push(runtimeVar('management.endpoints.web.path-mapping.prometheus', at, parts[parts.length - 1] ?? '', 'metrics endpoint (metrics-path)', 'always', 'prometheus'));
}

/**
 * Which option / secret key / endpoint / built-in provides `name`. An exact variable first (the last
 * write, as the app sees it); else the secret families whose prefix starts the name: the rest is the
 * key (upper-cased, `-` as `_`), read back as a Juju key; the longest option with a valid key wins.
 */
export function reverseVariable(name: string, charm: CharmModel | readonly CharmModel[], opts?: CharmEnvOptions): ReverseMatch | undefined {
  return reverseIn(name, charmVariables(charm, opts));
}

export type { CharmOptionType };
