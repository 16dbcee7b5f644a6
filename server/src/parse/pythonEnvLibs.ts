// Library calls that read the environment or load `.env` files, and Flask's config object:
// django-environ / environs (`env("X")`, typed getters, URL helpers with their default variables,
// the per-variable scheme, `prefix`, FileAwareEnv's `X_FILE`), dj-database-url, python-decouple,
// python-dotenv, starlette's `Config`, `app.config.from_prefixed_env()` and `app.config["X"]` reads
// and writes.
import type { EnvHelperDef, EnvName, EnvNamePart, FlaskConfigRead, ValueParse } from './envTypes';
import type { Range } from './types';
import type { SNode } from './pythonNode';
import { arg, argsOf, emitRead, nameOf, type Args, type ReadSpec, type Walker } from './pythonEnvCtx';
import { dottedName, kids, literalString, unparen, type NameValue } from './pythonEnvNames';
import { DYNACONF_GETTERS, resolve, type Binding, type EnvInstance, type Scope, type SchemeEntry } from './pythonEnvScope';
import { ATTRIBUTE_READ, dynaconfHelper } from './pythonEnvDynaconf';
import { everettHelper } from './pythonEnvEverett';

const BOOL_CAST = /^(?:bool|boolean|to_bool|tobool|as_bool|asbool|str2bool|strtobool|str_to_bool|parse_bool|get_bool|getbool|env_bool|is_true|truthy)$/i;

export function dotenv(w: Walker, n: SNode, pathArg: SNode | undefined): void {
  const path = pathArg ? literalString(pathArg) : undefined;
  w.push('loadsDotenv', path !== undefined ? { range: w.range(n), path } : { range: w.range(n) });
}

/** `dj_database_url.config()` → DATABASE_URL; `config(env="X", default=...)`. */
export function libraryRead(w: Walker, scope: Scope, n: SNode, fn: SNode, a: Args, fixed: string, kw: string, parse: ValueParse, required: boolean): void {
  const key = arg(a, 0, kw);
  const value: NameValue = key ? nameOf(scope, key) : { kind: 'static', value: fixed, isStr: true };
  emitRead(w, scope, { value, nameRange: w.range(key ?? fn), node: n, via: 'library', required, defaultNode: a.kw.get('default'), parse });
}

/** python-decouple `config("X", default=..., cast=bool)`: reads the environment, then `.env` / settings.ini. */
export function decouple(w: Walker, scope: Scope, n: SNode, a: Args, parse: ValueParse): void {
  const key = arg(a, 0, 'option');
  if (!key) return;
  const def = arg(a, 1, 'default');
  const cast = a.kw.get('cast');
  const p = cast ? castParse(cast) : parse;
  emitRead(w, scope, { value: nameOf(scope, key), nameRange: w.range(key), node: n, via: 'library', required: !def, defaultNode: def, parse: p });
  if (w.rec) w.rec.bad = true; // whether it notes .env depends on earlier statements
  if (!w.decoupleNoted) {
    w.decoupleNoted = true;
    w.push('loadsDotenv', { range: w.range(n) });
  }
}

export function castParse(cast: SNode): ValueParse {
  const t = dottedName(unparen(cast)) ?? '';
  if (t === 'bool' || BOOL_CAST.test(t.split('.').pop() ?? '')) return 'bool';
  if (t === 'int' || t === 'float' || t === 'str' || t === 'list' || t === 'dict') return t;
  if (t === 'tuple') return 'list';
  if (t === 'json.loads' || t === 'loads') return 'json';
  if (/(?:Csv|CommaSeparatedStrings)$/.test(t)) return 'list';
  if (cast.type === 'call') return /Csv/.test(cast.text) ? 'list' : 'unknown';
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------
// django-environ / environs

const GETTER_PARSE: Record<string, ValueParse> = {
  str: 'str', bool: 'bool', int: 'int', float: 'float', json: 'json', list: 'list', tuple: 'list', dict: 'dict', url: 'url', path: 'path',
  db_url: 'url', db: 'url', database_url: 'url', cache_url: 'url', cache: 'url', email_url: 'url', email: 'url', search_url: 'url',
  decimal: 'float', date: 'unknown', datetime: 'unknown', timedelta: 'unknown', uuid: 'str', log_level: 'str', enum: 'str',
};
const URL_DEFAULT_VARS: Record<string, string> = {
  db_url: 'DATABASE_URL', db: 'DATABASE_URL', database_url: 'DATABASE_URL', cache_url: 'CACHE_URL', cache: 'CACHE_URL',
  email_url: 'EMAIL_URL', email: 'EMAIL_URL', search_url: 'SEARCH_URL',
};
/** Positional index of `default` per getter (after var, and cast for list/tuple/dict/get_value). */
const DEFAULT_INDEX: Record<string, number> = { __call__: 2, get_value: 2, list: 2, tuple: 2, dict: 2 };

/**
 * What `env.<method>(name, …)` reads through an `Env` instance another module bound: where its
 * default goes (django-environ's follows `cast` in some getters; environs' is always second) and how
 * the value is parsed. Undefined for a method that is no getter.
 */
export function readerMethod(library: NonNullable<EnvHelperDef['methods']>, meth: string): { defaultParam: number; parse: ValueParse } | undefined {
  if (library === 'dynaconf') {
    if (meth === ATTRIBUTE_READ) return { defaultParam: 1, parse: 'unknown' };
    return Object.hasOwn(DYNACONF_GETTERS, meth) ? { defaultParam: 1, parse: DYNACONF_GETTERS[meth] } : undefined;
  }
  const parse = meth === 'get_value' ? 'unknown' : Object.hasOwn(GETTER_PARSE, meth) ? GETTER_PARSE[meth] : undefined;
  if (parse === undefined) return undefined;
  return { defaultParam: library === 'django-environ' ? (DEFAULT_INDEX[meth] ?? 1) : 1, parse };
}

const DECOUPLE_READS: EnvHelperDef['reads'] = Object.freeze([
  Object.freeze({ param: 0, paramName: 'option', prefix: '', suffix: '', via: 'library' as const, required: true, parse: 'str' as const, defaultParam: 1 }),
]) as EnvHelperDef['reads'];

/**
 * A module-level name bound to an environment reader (a django-environ / environs `Env` instance,
 * python-decouple's `config` or an `AutoConfig` / `Config` instance, a starlette `Config`), as a helper other modules'
 * calls resolve to (`from .base import env`; `env.bool("DEBUG")`). Undefined for other bindings.
 * `range` is asked only for a reader (most module-level names are not one).
 */
export function readerHelper(name: string, range: () => Range, b: Binding): EnvHelperDef | undefined {
  if (b.k === 'decouple-config') return { name, qualifiedName: name, range: range(), reads: DECOUPLE_READS };
  if (b.k === 'dynaconf') return dynaconfHelper(name, range(), b.prefix);
  if (b.k === 'everett') return everettHelper(name, range(), b.prefix);
  if (b.k === 'starlette-config') {
    const reads: EnvHelperDef['reads'] = [{ param: 0, paramName: 'key', prefix: b.prefix, suffix: '', via: 'library', required: true, parse: 'str', defaultParam: 2 }];
    return { name, qualifiedName: name, range: range(), reads };
  }
  if (b.k !== 'djenv') return undefined;
  const { env } = b;
  const environs = env.flavor === 'environs';
  const via = env.flavor === 'django-environ' ? ('django-environ' as const) : ('library' as const);
  const paramName = environs ? 'name' : 'var';
  // FileAwareEnv: X or X_FILE; which one a deployment gives is not known here, so neither is required.
  // An open scheme (`Env(**SCHEMA)`) may give any name a default: no read through it is required.
  const reads: EnvHelperDef['reads'] = [{ param: 0, paramName, prefix: env.prefix, suffix: '', via, required: !env.fileAware && !env.open, parse: 'str', defaultParam: env.flavor === 'django-environ' ? 2 : 1 }];
  if (env.fileAware) reads.push({ param: 0, paramName, prefix: env.prefix, suffix: '_FILE', via, required: false, parse: 'path', defaultParam: 2 });
  const optional = [...env.scheme].filter(([, e]) => e.default).map(([k]) => k);
  const def: EnvHelperDef = { name, qualifiedName: name, range: range(), reads, methods: env.flavor };
  if (optional.length) def.optionalNames = optional;
  return def;
}

export function djenvCall(w: Walker, scope: Scope, n: SNode, fn: SNode, env: EnvInstance, meth: string, a: Args, parse: ValueParse): void {
  const known = meth === '__call__' || meth === 'get_value' || meth in GETTER_PARSE;
  if (!known) return;
  const implicit = URL_DEFAULT_VARS[meth];
  const keyword = env.flavor === 'environs' ? 'name' : 'var';
  const key = arg(a, 0, keyword);
  if (!key && !implicit) return;
  let value: NameValue = key ? nameOf(scope, key) : { kind: 'static', value: implicit, isStr: true };
  const nameStatic = value.kind === 'static' ? value.value : undefined;
  const schemeEntry = nameStatic !== undefined ? env.scheme.get(nameStatic) : undefined;
  if (env.prefix) value = prefixValue(env.prefix, value);
  // environs: `env(name, default)`, `env.list(name, default, subcast=...)`; envparse: `env(var,
  // default, cast)`, its getters take the default by keyword.
  const defNode = arg(a, env.flavor === 'django-environ' ? (DEFAULT_INDEX[meth] ?? 1) : 1, 'default');
  const castNode = meth === '__call__' || meth === 'get_value' ? arg(a, env.flavor === 'envparse' ? 2 : 1, 'cast') : undefined;
  let p: ValueParse = GETTER_PARSE[meth] ?? (castNode ? castParse(castNode) : (schemeEntry?.parse as ValueParse | undefined) ?? (env.flavor === 'envparse' ? 'str' : parse));
  if (p === 'unknown' && parse !== 'unknown') p = parse;
  const spec: ReadSpec = {
    value,
    nameRange: w.range(key ?? fn),
    node: n,
    via: env.flavor === 'django-environ' ? 'django-environ' : 'library',
    // (An open scheme may give a name it does not list a default.)
    required: !defNode && !schemeEntry?.default && !(env.open && !schemeEntry),
    defaultNode: defNode,
    default: defNode ? undefined : schemeEntry?.default,
    parse: p,
  };
  if (env.fileAware) {
    const fileValue = prefixValue('', appendLit(value, '_FILE'));
    const mainName = emitRead(w, scope, { ...spec, alternatives: altName(fileValue, spec.nameRange) });
    emitRead(w, scope, { ...spec, value: fileValue, required: false, parse: 'path', alternatives: mainName ? [mainName] : undefined });
    return;
  }
  emitRead(w, scope, spec);
}

/**
 * canonicalwebteam.flask_base's `get_flask_env("X", default=None, error=False)`: `X`, else
 * `FLASK_X`, else the default; it fails only with `error=True`, no default and neither set. Two
 * reads, each the other's alternative; the plain one carries the requirement.
 */
export function flaskEnv(w: Walker, scope: Scope, n: SNode, a: Args, parse: ValueParse): void {
  const key = arg(a, 0, 'key');
  if (!key) return;
  const def = arg(a, 1, 'default');
  const hasDefault = def !== undefined && def.type !== 'none';
  const error = arg(a, 2, 'error');
  const value = nameOf(scope, key);
  const nameRange = w.range(key);
  const flask = prefixValue('FLASK_', value);
  const spec: ReadSpec = { value, nameRange, node: n, via: 'library', required: error?.type === 'true' && !hasDefault, defaultNode: hasDefault ? def : undefined, parse: parse === 'unknown' ? 'str' : parse };
  const plain = emitRead(w, scope, { ...spec, alternatives: altName(flask, nameRange) });
  // The requirement is the plain name's (one finding when neither is set).
  emitRead(w, scope, { ...spec, value: flask, required: false, alternatives: plain ? [plain] : undefined });
}

/**
 * canonicalwebteam.flask_base's `FlaskBase(__name__, "site")` (2.x and 3.x): it requires
 * `SECRET_KEY` or `FLASK_SECRET_KEY`, reads `DEBUG` / `FLASK_DEBUG`, loads the app's config from
 * `FLASK_*` (from_prefixed_env, whatever the app is called: config `""` matches any) and copies every
 * `FLASK_X` to `X` (flaskPlainEnv).
 */
export function flaskBase(w: Walker, scope: Scope, n: SNode, fn: SNode): void {
  const at = w.range(fn);
  for (const [key, required] of [['SECRET_KEY', true], ['DEBUG', false]] as const) {
    const spec: ReadSpec = { value: { kind: 'static', value: key, isStr: true }, nameRange: at, node: n, via: 'library', required, parse: key === 'DEBUG' ? 'bool' : 'str' };
    emitRead(w, scope, { ...spec, alternatives: [{ name: `FLASK_${key}`, range: at }] });
    emitRead(w, scope, { ...spec, value: { kind: 'static', value: `FLASK_${key}`, isStr: true }, required: false, alternatives: [{ name: key, range: at }] });
  }
  w.push('flaskPrefixed', { config: '', prefix: 'FLASK', range: w.range(n) });
  w.push('flaskPlainEnv', w.range(n));
}

/**
 * starlette's `Config(env_file, environ, env_prefix)`: an instance reads `env_prefix + key` from the
 * environment, else from the env file it loaded (a file that does not exist only warns). A prefix
 * that is not a literal leaves its reads' names unknown: no binding then.
 */
export function starletteConfig(w: Walker, a: Args, n: SNode): Binding {
  const prefixNode = arg(a, 2, 'env_prefix');
  const prefix = prefixNode ? literalString(prefixNode) : '';
  if (prefix === undefined) return { k: 'other' };
  // `Config(".env" if os.path.isfile(".env") else None)`: the file it loads when there is one.
  let file = arg(a, 0, 'env_file');
  if (file && unparen(file).type === 'conditional_expression') file = kids(unparen(file))[0];
  if (file && unparen(file).type !== 'none') dotenv(w, n, file);
  return { k: 'starlette-config', prefix };
}

/** `config("X", cast=bool, default=False)` (or `config.get`): required without a default (KeyError). */
export function starletteRead(w: Walker, scope: Scope, n: SNode, a: Args, prefix: string, parse: ValueParse): void {
  const key = arg(a, 0, 'key');
  if (!key) return;
  const cast = arg(a, 1, 'cast');
  const def = arg(a, 2, 'default');
  const secret = !!cast && /(?:^|\.)Secret$/.test(dottedName(unparen(cast)) ?? '');
  const p = cast && !secret ? castParse(cast) : parse;
  emitRead(w, scope, { value: prefixValue(prefix, nameOf(scope, key)), nameRange: w.range(key), node: n, via: 'library', required: !def, defaultNode: def, parse: p, ...(secret ? { secret } : {}) });
}

/**
 * MIT Open Learning's `mitol.common.envs`: `get_string(name="X", default=…, description=…,
 * required=True)` (keyword-only) reads `X`, else the default. `required` is checked by `validate()`
 * against the value, so a required variable with a default other than `None` / `""` is never missing.
 */
export function mitolRead(w: Walker, scope: Scope, n: SNode, a: Args, parse: ValueParse): void {
  const key = a.kw.get('name');
  if (!key) return;
  const def = a.kw.get('default');
  const empty = !def || def.type === 'none' || literalString(def) === '';
  const required = a.kw.get('required')?.type === 'true' && empty;
  emitRead(w, scope, { value: nameOf(scope, key), nameRange: w.range(key), node: n, via: 'library', required, defaultNode: def, parse });
}

/** mitol's `init_app_settings(namespace="APP", site_name="Site")`: two optional reads defaulting to those. */
export function mitolInit(w: Walker, scope: Scope, n: SNode, fn: SNode, a: Args): void {
  for (const [name, kw] of [['APP_SETTINGS_NAMESPACE', 'namespace'], ['SITE_NAME', 'site_name']] as const) {
    const def = a.kw.get(kw);
    emitRead(w, scope, { value: { kind: 'static', value: name, isStr: true }, nameRange: w.range(fn), node: n, via: 'library', required: false, defaultNode: def, parse: 'str' });
  }
}

/** What authlib's registry looks up for each client (`{NAME}_{PARAM}`, upper case, through the Config). */
const AUTHLIB_PARAMS = ['client_id', 'client_secret', 'request_token_url', 'request_token_params', 'access_token_url', 'access_token_params', 'refresh_token_url', 'refresh_token_params', 'authorize_url', 'authorize_params', 'api_base_url', 'client_kwargs', 'server_metadata_url'];

/** `OAuth(config)` (authlib's starlette registry) over a starlette Config: the registry reads through it. */
export function authlibConfig(scope: Scope, a: Args): Binding | undefined {
  const c = arg(a, 0, 'config');
  const b = c ? resolve(scope, unparen(c)) : undefined;
  return b?.k === 'starlette-config' ? { k: 'authlib-oauth', prefix: b.prefix } : undefined;
}

/**
 * `oauth.register("google", server_metadata_url=…)`: authlib reads `GOOGLE_CLIENT_ID`,
 * `GOOGLE_CLIENT_SECRET` and each other client parameter from the Config, optionally; a parameter
 * the call passes wins over the Config's (unless `overwrite=True`), so it is not read for.
 */
export function authlibRegister(w: Walker, scope: Scope, n: SNode, a: Args, prefix: string): void {
  const nameNode = arg(a, 0, 'name');
  const name = nameNode ? literalString(nameNode) : undefined;
  if (!nameNode || name === undefined || !/^[\w-]{1,60}$/.test(name)) return;
  const overwrite = a.kw.get('overwrite');
  const all = !!overwrite && overwrite.type !== 'false';
  for (const p of AUTHLIB_PARAMS) {
    if (!all && a.kw.has(p)) continue;
    const value: NameValue = { kind: 'static', value: prefix + `${name}_${p}`.toUpperCase(), isStr: true };
    emitRead(w, scope, { value, nameRange: w.range(nameNode), node: n, via: 'library', required: false, parse: p.endsWith('_kwargs') || p.endsWith('_params') ? 'dict' : 'str' });
  }
}

/** django-configurations' URL values: their own variable, no prefix (unless given). */
const DJCONF_URL: Record<string, string> = { DatabaseURLValue: 'DATABASE_URL', CacheURLValue: 'CACHE_URL', SearchURLValue: 'SEARCH_URL', EmailURLValue: 'EMAIL_URL' };

function djconfParse(cls: string): ValueParse {
  if (cls === 'BooleanValue') return 'bool';
  if (/Integer/.test(cls)) return 'int';
  if (cls === 'FloatValue' || cls === 'DecimalValue') return 'float';
  if (/(?:List|Tuple|Set|Backends)Value$/.test(cls)) return 'list';
  if (cls === 'DictValue') return 'dict';
  if (cls === 'PathValue') return 'path';
  if (/URL/.test(cls)) return 'url';
  return 'str';
}

/**
 * django-configurations' `values.XValue(default, environ=True, environ_name=None,
 * environ_prefix="DJANGO", environ_required=False)` (its source, configurations/values.py): bound to
 * an attribute `NAME` of a class (`target`) it reads `DJANGO_NAME` (`environ_prefix` + `_` +
 * `environ_name` or the attribute's name upper-cased; no prefix when None or empty); anywhere else it
 * reads only when `environ_name` is given. `SecretValue` and `environ_required=True` fail without
 * it; `environ=False` reads nothing; the URL values read DATABASE_URL, CACHE_URL… unprefixed.
 */
export function djconfValue(w: Walker, scope: Scope, n: SNode, a: Args, cls: string, target: SNode | undefined): void {
  const environ = a.kw.get('environ');
  if (environ && environ.type === 'false') return;
  const nameNode = a.kw.get('environ_name');
  const given = nameNode ? literalString(nameNode) : undefined;
  if (nameNode && given === undefined) return;
  const base = given ?? DJCONF_URL[cls] ?? target?.text.toUpperCase();
  if (!base) return;
  const prefixNode = a.kw.get('environ_prefix');
  let prefix: string | undefined = DJCONF_URL[cls] ? '' : 'DJANGO';
  if (prefixNode) prefix = prefixNode.type === 'none' ? '' : literalString(prefixNode);
  if (prefix === undefined) return;
  prefix = prefix.replace(/_$/, '');
  const requiredNode = a.kw.get('environ_required');
  const required = cls === 'SecretValue' || (!!requiredNode && requiredNode.type === 'true');
  const def = a.pos[0] ?? a.kw.get('default');
  const value: NameValue = { kind: 'static', value: prefix ? `${prefix}_${base}` : base, isStr: true };
  const setting = target && scope.kind === 'class' && scope.className ? { cls: scope.className, attr: target.text } : undefined;
  emitRead(w, scope, { value, nameRange: w.range(nameNode ?? target ?? n), node: n, via: 'library', required, defaultNode: required ? undefined : def, parse: djconfParse(cls), setting });
}

function prefixValue(prefix: string, v: NameValue): NameValue {
  if (!prefix) return v;
  if (v.kind === 'static') return { ...v, value: prefix + v.value };
  if (v.kind === 'parts') return { kind: 'parts', parts: [{ kind: 'lit', value: prefix }, ...v.parts] };
  return v;
}

function appendLit(v: NameValue, s: string): NameValue {
  if (v.kind === 'static') return { ...v, value: v.value + s };
  if (v.kind === 'parts') return { kind: 'parts', parts: [...v.parts, { kind: 'lit', value: s }] };
  return v;
}

function altName(v: NameValue, range: Range): EnvName[] | undefined {
  if (v.kind === 'static') return [{ name: v.value, range }];
  if (v.kind === 'parts' && !v.parts.some((p) => p.kind === 'param')) return [{ parts: v.parts as EnvNamePart[], range }];
  return undefined;
}

/**
 * `environ.Env(DEBUG=(bool, False), HOSTS=(list, []), PORT=int)`: per-variable cast and default,
 * also from a dict literal splatted in (`**{"DEBUG": (bool, False)}`); any other `**SCHEMA` (imported,
 * computed) leaves the scheme open.
 */
export function envInstance(w: Walker, a: Args, fileAware: boolean, flavor: EnvInstance['flavor']): EnvInstance {
  const env: EnvInstance = { scheme: new Map(), prefix: '', fileAware, flavor };
  for (const c of a.all) {
    if (c.type === 'dictionary_splat') {
      const d = kids(c)[0] ? unparen(kids(c)[0]) : undefined;
      if (d?.type !== 'dictionary') {
        env.open = true;
        continue;
      }
      for (const p of kids(d)) {
        const name = p.type === 'pair' ? literalString(p.childForFieldName('key') ?? p) : undefined;
        const v = p.childForFieldName('value');
        if (name !== undefined && v) env.scheme.set(name, schemeEntryOf(w, v));
        else if (p.type === 'dictionary_splat') env.open = true;
      }
      continue;
    }
    if (c.type !== 'keyword_argument') continue;
    const name = c.childForFieldName('name')?.text;
    const v = c.childForFieldName('value');
    if (name && v) env.scheme.set(name, flavor === 'envparse' ? envparseEntry(w, v) : schemeEntryOf(w, v));
  }
  return env;
}

/**
 * envparse's schema entry: a cast (`MAIL_ENABLED=bool`) or a dict of `cast`, `subcast` and
 * `default` (`SMTP_LOGIN=dict(cast=str, default="x")`). A `**splat` or positional part of that dict
 * may hold a default, so it counts as one (the read is then optional).
 */
function envparseEntry(w: Walker, v: SNode): SchemeEntry {
  const u = unparen(v);
  const fields = new Map<string, SNode>();
  if (u.type === 'dictionary') {
    for (const p of kids(u)) {
      const k = p.type === 'pair' ? literalString(p.childForFieldName('key') ?? p) : undefined;
      const val = p.childForFieldName('value');
      if (k !== undefined && val) fields.set(k, val);
      else if (p.type === 'dictionary_splat') fields.set('default', p);
    }
  } else if (u.type === 'call' && dottedName(u.childForFieldName('function') ?? u) === 'dict') {
    const a = argsOf(u);
    for (const [k, val] of a.kw) fields.set(k, val);
    const other = a.all.find((c) => c.type !== 'keyword_argument');
    if (other) fields.set('default', other);
  } else return { parse: castParse(u) };
  const entry: SchemeEntry = {};
  const cast = fields.get('cast');
  if (cast) entry.parse = castParse(cast);
  const def = fields.get('default');
  if (def) {
    entry.default = { text: def.text.slice(0, 500), range: w.range(def) };
    const dv = literalOrConst(def);
    if (dv !== undefined) entry.default.value = dv;
  }
  return entry;
}

/** `(bool, False)`: a cast and a default; `int`: a cast. */
function schemeEntryOf(w: Walker, v: SNode): SchemeEntry {
  const u = unparen(v);
  if (u.type !== 'tuple') return { parse: castParse(u) };
  const [cast, def] = kids(u);
  const entry: SchemeEntry = {};
  if (cast) entry.parse = castParse(cast);
  if (def) entry.default = { text: def.text.slice(0, 500), range: w.range(def) };
  const dv = def ? literalOrConst(def) : undefined;
  if (entry.default && dv !== undefined) entry.default.value = dv;
  return entry;
}

function literalOrConst(n: SNode): string | null | undefined {
  const u = unparen(n);
  if (u.type === 'none') return null;
  if (u.type === 'true' || u.type === 'false' || u.type === 'integer' || u.type === 'float') return u.text;
  return literalString(u);
}

// ---------------------------------------------------------------------------------------------
// Flask config

/** `app.config`, `self.app.config`, `current_app.config`: an attribute named `config`. */
export function isConfigObject(n: SNode): boolean {
  return n.type === 'attribute' && n.childForFieldName('attribute')?.text === 'config';
}

export function configText(n: SNode): string {
  return dottedName(n) ?? n.text.replace(/\s+/g, '');
}

export function flaskPrefixed(w: Walker, scope: Scope, n: SNode, obj: SNode, a: Args): void {
  const p = arg(a, 0, 'prefix');
  const v = p ? nameOf(scope, p) : undefined;
  if (p && !(v && v.kind === 'static' && v.isStr)) {
    w.push('dynamicReads', w.range(n));
    return;
  }
  w.push('flaskPrefixed', { config: configText(obj), prefix: v && v.kind === 'static' ? v.value : 'FLASK', range: w.range(n) });
}

/** Flask config methods that take keys from an object or file (`from_object("webapp.config")`). */
export const FLASK_CONFIG_LOADERS = new Set(['from_object', 'from_pyfile', 'from_file', 'from_envvar']);

export function flaskConfigCall(w: Walker, scope: Scope, n: SNode, obj: SNode, meth: string, a: Args): void {
  const config = configText(obj);
  if (meth === 'get') {
    const key = a.pos[0];
    const k = key ? nameOf(scope, key) : undefined;
    if (!key || !k || k.kind !== 'static' || !k.isStr) return;
    const def = arg(a, 1, 'default');
    const read: FlaskConfigRead = { config, key: k.value, keyRange: w.range(key), range: w.range(n), required: false };
    if (def) read.default = { text: def.text.slice(0, 500), range: w.range(def) };
    w.push('flaskConfigReads', read);
    return;
  }
  if (FLASK_CONFIG_LOADERS.has(meth)) {
    w.push('flaskConfigLoads', w.range(n));
    return;
  }
  if (meth === 'setdefault') {
    const k = a.pos[0] ? nameOf(scope, a.pos[0]) : undefined;
    if (k && k.kind === 'static' && k.isStr) w.push('flaskConfigWrites', k.value);
    return;
  }
  const first = a.pos[0] ? unparen(a.pos[0]) : undefined;
  if (first?.type === 'dictionary') {
    for (const pair of kids(first)) {
      const k = pair.type === 'pair' ? pair.childForFieldName('key') : null;
      const v = k ? nameOf(scope, k) : undefined;
      if (v && v.kind === 'static' && v.isStr) w.push('flaskConfigWrites', v.value);
    }
  }
  for (const k of a.kwNames) w.push('flaskConfigWrites', k);
}

export function flaskConfigWrite(w: Walker, scope: Scope, target: SNode): boolean {
  const value = target.childForFieldName('value');
  const key = target.childForFieldName('subscript');
  if (!value || !key || !isConfigObject(value)) return false;
  const k = nameOf(scope, key);
  if (k.kind === 'static' && k.isStr) w.push('flaskConfigWrites', k.value);
  return true;
}
