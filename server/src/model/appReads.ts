// Resolves what Python modules read from the environment across files: names built from imported
// constants, calls of helper functions defined elsewhere in the workspace, Flask config keys loaded
// by `from_prefixed_env`. Pure over the parsed facts; a name that cannot be resolved stays dynamic
// (it makes "unused" unknowable) and never becomes a read.
import type { EnvHelperDef, EnvName, PyCandidateCall, PyEnvRead, PythonEnvFacts, PyTentativeReads } from '../parse/envTypes';
import type { PythonConfigModel, Range } from '../parse/types';
import { isSensitiveName } from '../parse/sensitive';
import { readerMethod } from '../parse/pythonEnvLibs';
import { parseCallSwitchKey } from '../parse/pythonEnvGuards';
import type { AppRead } from './types';
import { isTestPath } from './testPaths';
import { dirOf } from './uris';

/** How deep a chain of re-exports (`from .a import X` in b, `from .b import X` in c) is followed. */
const MAX_IMPORT_HOPS = 6;

function stripPy(uri: string): string {
  return uri.endsWith('/__init__.py') ? uri.slice(0, -'/__init__.py'.length) : uri.replace(/\.py$/, '');
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Python modules of the workspace by dotted-name suffix, for import resolution without a sys.path. */
export class ModuleIndex {
  private byUri = new Map<string, PythonConfigModel>();
  /** Last path segment of the module (`names` for `.../pkg/names.py` and `.../names/__init__.py`). */
  private byTail = new Map<string, PythonConfigModel[]>();

  constructor(files: readonly PythonConfigModel[]) {
    for (const f of files) {
      if (!f.env) continue;
      this.byUri.set(f.uri, f);
      const mod = stripPy(f.uri);
      const tail = mod.slice(mod.lastIndexOf('/') + 1);
      let l = this.byTail.get(tail);
      if (!l) this.byTail.set(tail, (l = []));
      l.push(f);
    }
  }

  /** Replaced entries over the index this one was made from (replacing), and how deep that chain is. */
  private base?: ModuleIndex;
  private depth = 0;

  private uri(u: string): PythonConfigModel | undefined {
    return this.byUri.get(u) ?? this.base?.uri(u);
  }

  private tail(t: string): PythonConfigModel[] | undefined {
    return this.byTail.get(t) ?? this.base?.tail(t);
  }

  /**
   * This index with modules replaced by new models of the same files (each keeping or lacking
   * environment facts like the one it replaces): what `new ModuleIndex` of the new list gives. Made
   * in the time of the replacements (a layer over this one; every 16 layers, one flat copy).
   */
  replacing(replaced: ReadonlyMap<PythonConfigModel, PythonConfigModel>): ModuleIndex {
    const out = new ModuleIndex([]);
    if (this.depth >= 16) {
      out.byUri = this.flatUris();
      out.byTail = this.flatTails();
    } else {
      out.base = this;
      out.depth = this.depth + 1;
    }
    for (const [x, y] of replaced) {
      if (this.uri(x.uri) !== x) continue;
      out.byUri.set(y.uri, y);
      const mod = stripPy(y.uri);
      const tail = mod.slice(mod.lastIndexOf('/') + 1);
      out.byTail.set(tail, out.tail(tail)!.map((f) => (f === x ? y : f)));
    }
    return out;
  }

  private flatUris(): Map<string, PythonConfigModel> {
    const m = this.base ? this.base.flatUris() : new Map<string, PythonConfigModel>();
    for (const [k, v] of this.byUri) m.set(k, v);
    return m;
  }

  private flatTails(): Map<string, PythonConfigModel[]> {
    const m = this.base ? this.base.flatTails() : new Map<string, PythonConfigModel[]>();
    for (const [k, v] of this.byTail) m.set(k, v);
    return m;
  }

  file(uri: string): PythonConfigModel | undefined {
    return this.uri(uri);
  }

  /** The module `module` (as written in an import in `fromUri`), or undefined when not in the workspace. */
  resolve(fromUri: string, module: string): PythonConfigModel | undefined {
    const dots = /^\.*/.exec(module)![0].length;
    const rest = module.slice(dots);
    const segs = rest ? rest.split('.') : [];
    if (dots > 0) {
      let base = dirOf(fromUri);
      for (let i = 1; i < dots; i++) base = dirOf(base);
      const path = segs.length ? `${base}/${segs.join('/')}` : base;
      return this.uri(`${path}.py`) ?? this.uri(`${path}/__init__.py`);
    }
    if (segs.length === 0) return undefined;
    const want = `/${segs.join('/')}`;
    let best: PythonConfigModel | undefined;
    let bestScore = -1;
    for (const f of this.tail(segs[segs.length - 1]) ?? []) {
      if (!stripPy(f.uri).endsWith(want)) continue;
      const score = commonPrefix(f.uri, fromUri);
      if (score > bestScore) {
        best = f;
        bestScore = score;
      }
    }
    return best;
  }

  /** The module and original name an identifier bound by an import in `fromUri` refers to. */
  private imported(fromUri: string, local: string): { module?: PythonConfigModel; name?: string } | undefined {
    const f = this.uri(fromUri);
    for (const imp of f?.env?.imports ?? []) {
      const n = imp.names.find((x) => x.local === local);
      if (n) {
        const m = this.resolve(fromUri, imp.module);
        // `from pkg import mod`: the name may be a submodule rather than a name defined in pkg.
        const sub = this.resolve(fromUri, imp.module.endsWith('.') ? `${imp.module}${n.name}` : `${imp.module}.${n.name}`);
        if (m && (defines(m, n.name) || !sub)) return { module: m, name: n.name };
        return { module: sub };
      }
      if (imp.local === local) return { module: this.resolve(fromUri, imp.module) };
    }
    // `from .base import *`: the first star-imported module that defines the name (a constant or a helper).
    for (const imp of f?.env?.imports ?? []) {
      if (imp.names[0]?.name !== '*') continue;
      const m = this.resolve(fromUri, imp.module);
      if (m && m !== f && defines(m, local)) return { module: m, name: local };
    }
    return undefined;
  }

  /** The string value of an identifier imported into `fromUri`, following re-exports. */
  importedConst(fromUri: string, local: string, hops = 0): string | undefined {
    if (hops > MAX_IMPORT_HOPS) return undefined;
    const t = this.imported(fromUri, local);
    if (!t?.module || !t.name) return undefined;
    const c = t.module.env?.consts.find((x) => x.name === t.name);
    if (c) return c.value;
    return this.importedConst(t.module.uri, t.name, hops + 1);
  }

  /**
   * The settings class an imported base names (`BaseAppSettings`, `base.BaseAppSettings`), seen
   * from `fromUri`, following re-exports and bases imported in turn: its `env_prefix` (the nearest
   * one set), or undefined when it is not a pydantic settings class of the workspace.
   */
  settingsBase(fromUri: string, base: string, hops = 0): { prefix?: string } | undefined {
    if (hops > MAX_IMPORT_HOPS) return undefined;
    const dot = base.lastIndexOf('.');
    const t = dot < 0 ? this.imported(fromUri, base) : this.imported(fromUri, base.slice(0, dot));
    if (!t?.module) return undefined;
    const name = dot < 0 ? t.name : t.name ? `${t.name}.${base.slice(dot + 1)}` : base.slice(dot + 1);
    if (!name) return undefined;
    if (name.includes('.')) return this.settingsBase(t.module.uri, name, hops + 1);
    const c = t.module.env?.settingsClasses?.find((x) => x.name === name);
    if (!c) return this.settingsBase(t.module.uri, name, hops + 1);
    if (!c.tentative) return { prefix: c.prefix };
    const up = this.settingsBase(t.module.uri, c.tentative, hops + 1);
    return up && { prefix: c.prefix ?? up.prefix };
  }

  /** The helper a call's callee (`get_env`, `utils.get_env`) names, seen from `fromUri`. */
  helper(fromUri: string, callee: string, hops = 0): { def: EnvHelperDef; uri: string } | undefined {
    if (hops > MAX_IMPORT_HOPS) return undefined;
    const f = this.uri(fromUri);
    const own = lastHelper(f, callee);
    if (own) return { def: own, uri: fromUri };
    const dot = callee.indexOf('.');
    if (dot > 0) {
      // A method of a reader object bound here (`env.bool` of `env = environ.Env()`).
      const head = callee.slice(0, dot);
      const meth = callee.slice(dot + 1);
      const obj = lastHelper(f, head);
      const def = obj?.methods !== undefined ? methodDef(obj, meth) : undefined;
      if (def) return { def, uri: fromUri };
    }
    if (dot < 0) {
      const t = this.imported(fromUri, callee);
      if (!t?.module || !t.name) return undefined;
      return this.helper(t.module.uri, t.name, hops + 1);
    }
    // `utils.get_env` with `import utils` / `from pkg import utils`; `Env.get` with `from x import Env`.
    const head = callee.slice(0, dot);
    const tail = callee.slice(dot + 1);
    const t = this.imported(fromUri, head);
    if (!t?.module) return undefined;
    if (t.name) return this.helper(t.module.uri, `${t.name}.${tail}`, hops + 1);
    return this.helper(t.module.uri, tail, hops + 1);
  }
}

/** The module's last helper of that name (Python keeps the last definition; `env.prefix = …` makes a new reader). */
function lastHelper(m: PythonConfigModel | undefined, name: string): EnvHelperDef | undefined {
  const hs = m?.env?.helpers ?? [];
  for (let i = hs.length - 1; i >= 0; i--) if (hs[i].qualifiedName === name) return hs[i];
  return undefined;
}

/** True when module `m` defines `name` itself: a constant, a helper, or a reader object. */
function defines(m: PythonConfigModel, name: string): boolean {
  return Boolean(m.env?.consts.some((c) => c.name === name) || m.env?.helpers.some((h) => h.qualifiedName === name) || m.env?.settingsClasses?.some((c) => c.name === name));
}

/** Each reader object's methods as helpers, made once (the same object for every call). */
const methodDefs = new WeakMap<EnvHelperDef, Map<string, EnvHelperDef>>();

function methodDef(obj: EnvHelperDef, meth: string): EnvHelperDef | undefined {
  let byMeth = methodDefs.get(obj);
  if (!byMeth) methodDefs.set(obj, (byMeth = new Map()));
  let def = byMeth.get(meth);
  if (!def) {
    const m = readerMethod(obj.methods!, meth);
    if (!m) return undefined;
    // The `_FILE` variant of FileAwareEnv stays a path and optional.
    const reads = obj.reads.map((r) => ({ ...r, defaultParam: m.defaultParam, parse: r.suffix === '_FILE' ? r.parse : m.parse }));
    def = { name: obj.name, qualifiedName: `${obj.qualifiedName}.${meth}`, range: obj.range, reads, optionalNames: obj.optionalNames };
    byMeth.set(meth, def);
  }
  return def;
}

/** The full name of an EnvName in `uri`, or undefined when it depends on something unknown. */
export function resolveName(idx: ModuleIndex, uri: string, n: EnvName): string | undefined {
  if (n.name !== undefined) return n.name;
  if (!n.parts) return undefined;
  let out = '';
  for (const p of n.parts) {
    if (p.kind === 'lit') out += p.value;
    else {
      const v = idx.importedConst(uri, p.local);
      if (v === undefined) return undefined;
      out += v;
    }
  }
  return out;
}

/** What one module reads, with names resolved through the workspace; unresolvable reads are returned apart. */
export interface ModuleReads {
  reads: AppRead[];
  dynamic: { uri: string; range: Range }[];
}

function appRead(uri: string, name: string, read: PyEnvRead): AppRead {
  return { uri, name, read, sensitive: isSensitiveName(name) || Boolean(read.field?.secretType || read.secret) };
}

/** Direct reads and helper calls of one module. Flask config reads need the app (see flaskReads). */
export function moduleReads(idx: ModuleIndex, file: PythonConfigModel): ModuleReads {
  const facts = file.env;
  const out: ModuleReads = { reads: [], dynamic: [] };
  if (!facts) return out;
  for (const r of facts.reads) {
    const name = resolveName(idx, file.uri, r.name);
    if (name === undefined) {
      out.dynamic.push({ uri: file.uri, range: r.name.range });
      continue;
    }
    const alternatives = r.alternatives?.map((a) => ({ ...a, name: resolveName(idx, file.uri, a) }));
    const read: PyEnvRead = { ...r, name: { ...r.name, name }, alternatives };
    if (r.requiredWhen) switchedBy(idx, file, read, r.requiredWhen);
    out.reads.push(appRead(file.uri, name, read));
  }
  for (const d of facts.dynamicReads) out.dynamic.push({ uri: file.uri, range: d });
  for (const g of facts.tentativeReads ?? []) tentativeReads(idx, file, g, out);
  for (const c of facts.calls) {
    const h = idx.helper(file.uri, c.callee);
    if (!h) continue;
    for (const spec of h.def.reads) {
      const arg = c.args.find((a) => a.index === spec.param);
      if (!arg) continue;
      const read = helperRead(idx, file, c, h, spec, arg);
      if (!read) {
        out.dynamic.push({ uri: file.uri, range: arg.name.range });
        continue;
      }
      if (read.required && c.requiredWhen) switchedBy(idx, file, read, c.requiredWhen);
      out.reads.push(appRead(file.uri, read.name.name!, read));
    }
  }
  return out;
}

/**
 * The reads of a class deriving from an imported `…Settings` class, when the workspace shows that
 * base is a settings class: its prefix applies to field names unless the class sets its own.
 * Otherwise (a plain model, a library's class) the class reads nothing Orchard can tell.
 */
function tentativeReads(idx: ModuleIndex, file: PythonConfigModel, g: PyTentativeReads, out: ModuleReads): void {
  const base = idx.settingsBase(file.uri, g.base);
  if (!base) return;
  const prefix = g.ownPrefix ? '' : (base.prefix ?? '');
  for (const r of g.reads) {
    const resolved = resolveName(idx, file.uri, r.name);
    if (resolved === undefined) {
      out.dynamic.push({ uri: file.uri, range: r.name.range });
      continue;
    }
    // (A field read under its own name: case-insensitive reads are named in upper case.)
    const own = r.field !== undefined && r.field.field.toUpperCase() === resolved.toUpperCase();
    const name = prefix && own ? (r.caseInsensitive ? `${prefix}${resolved}`.toUpperCase() : `${prefix}${resolved}`) : resolved;
    out.reads.push(appRead(file.uri, name, { ...r, name: { ...r.name, name } }));
  }
  for (const d of g.dynamic) out.dynamic.push({ uri: file.uri, range: d });
}

type Helper = NonNullable<ReturnType<ModuleIndex['helper']>>;

/** The read a helper call makes through one of the helper's parameters; undefined when its name is not known statically. */
function helperRead(idx: ModuleIndex, file: PythonConfigModel, c: PyCandidateCall, h: Helper, spec: EnvHelperDef['reads'][number], arg: PyCandidateCall['args'][number]): PyEnvRead | undefined {
  const base = resolveName(idx, file.uri, arg.name);
  if (base === undefined) return undefined;
  const name = `${spec.prefix}${base}${spec.suffix}`;
  const passedDefault = spec.defaultParam !== undefined && (c.argCount > spec.defaultParam || c.keywords.length > 0);
  // Under a presence test of its name (or a `try:` that handles a missing one) the call cannot fail for it.
  const guarded = c.guards !== undefined && (c.guards.includes('*') || c.guards.includes(name));
  return {
    name: { name, range: arg.name.range },
    range: c.range,
    via: 'helper',
    required: spec.required && !passedDefault && !h.def.optionalNames?.includes(base) && !guarded,
    parse: c.parse !== 'unknown' && c.parse !== 'str' ? c.parse : spec.parse,
    helper: h.def.qualifiedName,
  };
}

/**
 * A required read under feature switches: required only when a source sets one of them. A switch
 * on a helper call's value (pythonEnvGuards.ts callSwitchKey: `if env.bool("USE_X", False):`, `S =
 * to_enum(E, env("MODE", default="x"))` … `if S == E.X:`) is the variable that call reads when
 * that read is optional; a call that reads nothing, or a variable it requires, switches nothing.
 */
function switchedBy(idx: ModuleIndex, file: PythonConfigModel, read: PyEnvRead, when: readonly string[]): void {
  const names = [...new Set(when.flatMap((k) => switchVariable(idx, file, k)))].filter((n) => n !== read.name.name);
  if (names.length) read.requiredWhen = names;
  else delete read.requiredWhen;
}

function switchVariable(idx: ModuleIndex, file: PythonConfigModel, key: string): string[] {
  const k = parseCallSwitchKey(key);
  if (!k) return [key];
  const c = file.env?.calls.find((x) => x.callee === k.callee && x.args.some((a) => a.index === k.index && a.name.name === k.name));
  const h = c && idx.helper(file.uri, c.callee);
  const spec = h?.def.reads.find((s) => s.param === k.index);
  const arg = c?.args.find((a) => a.index === k.index);
  const read = c && h && spec && arg ? helperRead(idx, file, c, h, spec, arg) : undefined;
  return read && !read.required ? [read.name.name!] : [];
}

/**
 * Flask config keys of an app's modules as environment reads: `app.config["TOKEN"]` reads
 * `FLASK_TOKEN` when some module of the app calls `config.from_prefixed_env()` (prefix `FLASK`, or the
 * one given) and no module assigns the key itself. Values arrive JSON-decoded.
 */
export function flaskReads(files: readonly PythonConfigModel[], roots?: readonly string[]): AppRead[] {
  const prefixed: { config: string; prefix: string }[] = [];
  const written = new Set<string>();
  // `config.from_object("webapp.config")`: any key may come from there, so none is required of the environment.
  let loaded = false;
  for (const f of files) {
    for (const p of f.env?.flaskPrefixed ?? []) prefixed.push(p);
    // A test that sets a key (`app.config["TOKEN"] = "x"`) configures its own app, not the deployed one's.
    if ((f.env?.flaskConfigWrites.length || f.env?.flaskConfigLoads?.length) && isTestPath(f.uri, roots)) continue;
    for (const k of f.env?.flaskConfigWrites ?? []) written.add(k);
    if (f.env?.flaskConfigLoads?.length) loaded = true;
  }
  if (prefixed.length === 0) return [];
  const out: AppRead[] = [];
  for (const f of files) {
    for (const r of f.env?.flaskConfigReads ?? []) {
      if (written.has(r.key)) continue;
      const p = prefixed.find((x) => x.config === r.config) ?? prefixed[0];
      const name = `${p.prefix}_${r.key}`;
      out.push(
        appRead(f.uri, name, {
          name: { name, range: r.keyRange },
          range: r.range,
          via: 'flask-config',
          required: r.required && !loaded,
          default: r.default ? { text: r.default.text, range: r.default.range } : undefined,
          parse: 'json',
          configKey: r.key,
        }),
      );
    }
  }
  return out;
}

/**
 * canonicalwebteam.flask_base copies every `FLASK_X` to `X` when its app is made
 * (load_plain_env_variables): in an app whose code makes one, a read of `X` is satisfied by a source
 * that provides `FLASK_X` (a paas-charm Flask option). Such a read gets `FLASK_X` as an alternative,
 * and `FLASK_X` a read of its own at the same place (the option is read, not unused). Only for the
 * names some source provides as `FLASK_X`: the others stay as written.
 */
export function withFlaskPlainEnv(reads: readonly AppRead[], files: readonly PythonConfigModel[], sources: readonly { provides: readonly { name: string; family?: boolean }[] }[], roots: readonly string[]): AppRead[] {
  if (!files.some((f) => f.env?.flaskPlainEnv?.length && !isTestPath(f.uri, roots))) return reads as AppRead[];
  const exact = new Set<string>();
  const families: string[] = [];
  for (const s of sources) for (const p of s.provides) if (p.name.startsWith('FLASK_')) (p.family ? families.push(p.name) : exact.add(p.name));
  if (exact.size === 0 && families.length === 0) return reads as AppRead[];
  const out: AppRead[] = [];
  for (const r of reads) {
    const flask = `FLASK_${r.name}`;
    const given = exact.has(flask) || families.some((f) => flask.startsWith(f) && flask.length > f.length);
    if (r.name.startsWith('FLASK_') || !given || r.read.alternatives?.some((a) => a.name === flask)) {
      out.push(r);
      continue;
    }
    const alternative = { name: flask, range: r.read.name.range };
    out.push({ ...r, read: { ...r.read, alternatives: [...(r.read.alternatives ?? []), alternative] } });
    out.push(appRead(r.uri, flask, { ...r.read, name: { ...r.read.name, name: flask }, required: false, requiredWhen: undefined, alternatives: [{ name: r.name, range: r.read.name.range }] }));
  }
  return out;
}

/** Keys Flask itself and common extensions read from `app.config`: `FLASK_<key>` is used even if no app code reads it. */
const FLASK_CONSUMED = new Set([
  'SECRET_KEY', 'SECRET_KEY_FALLBACKS', 'DEBUG', 'TESTING', 'PROPAGATE_EXCEPTIONS', 'TRAP_HTTP_EXCEPTIONS', 'TRAP_BAD_REQUEST_ERRORS',
  'SESSION_COOKIE_NAME', 'SESSION_COOKIE_DOMAIN', 'SESSION_COOKIE_PATH', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SECURE',
  'SESSION_COOKIE_PARTITIONED', 'SESSION_COOKIE_SAMESITE', 'PERMANENT_SESSION_LIFETIME', 'SESSION_REFRESH_EACH_REQUEST',
  'USE_X_SENDFILE', 'SEND_FILE_MAX_AGE_DEFAULT', 'TRUSTED_HOSTS', 'SERVER_NAME', 'APPLICATION_ROOT', 'PREFERRED_URL_SCHEME',
  'MAX_CONTENT_LENGTH', 'MAX_FORM_MEMORY_SIZE', 'MAX_FORM_PARTS', 'TEMPLATES_AUTO_RELOAD', 'EXPLAIN_TEMPLATE_LOADING',
  'MAX_COOKIE_SIZE', 'PROVIDE_AUTOMATIC_OPTIONS', 'ENV', 'JSON_AS_ASCII', 'JSON_SORT_KEYS', 'JSONIFY_PRETTYPRINT_REGULAR', 'JSONIFY_MIMETYPE',
]);
const FLASK_EXTENSION_PREFIXES = ['SQLALCHEMY_', 'MAIL_', 'CACHE_', 'WTF_', 'CELERY_', 'BABEL_', 'SECURITY_', 'JWT_', 'CORS_', 'SESSION_', 'LOGIN_', 'RQ_', 'OIDC_', 'SENTRY_', 'RECAPTCHA_', 'UPLOADED_', 'MONGODB_', 'REDIS_', 'RATELIMIT_', 'TALISMAN_', 'DEBUG_TB_', 'OAUTH'];

/**
 * Variables that a process's libraries read without app code doing so: the Python runtime, web
 * servers, cloud SDKs (AWS Lambda Powertools' `POWERTOOLS_*`), Django's `createsuperuser --noinput` (`DJANGO_SUPERUSER_*`), the build of a
 * platform (Heroku's `DISABLE_COLLECTSTATIC`, Render's `PYTHON_VERSION`, `POETRY_VERSION`,
 * `UV_VERSION`, `NODE_VERSION`), and (with `from_prefixed_env`) Flask's own configuration keys. A
 * source entry with one of these names is not "unused".
 */
export function consumedByRuntime(name: string, flaskPrefixes: readonly string[]): boolean {
  if (/^(PYTHON[A-Z_]*|PATH|HOME|TZ|LANG|LANGUAGE|LC_[A-Z]+|TERM|USER|SHELL|TMPDIR|PORT|HOST|WEB_CONCURRENCY|GUNICORN_CMD_ARGS|FORWARDED_ALLOW_IPS|UVICORN_[A-Z_]+|HYPERCORN_[A-Z_]+|DJANGO_SETTINGS_MODULE|DJANGO_CONFIGURATION|DJANGO_SUPERUSER_[A-Z_]+|FLASK_APP|FLASK_ENV|FLASK_DEBUG|FLASK_RUN_[A-Z_]+|CELERY_[A-Z_]+|AWS_[A-Z_]+|GOOGLE_[A-Z_]+|GCLOUD_[A-Z_]+|AZURE_[A-Z_]+|OTEL_[A-Z_]+|SENTRY_[A-Z_]+|POWERTOOLS_[A-Z_]+|NEW_RELIC_[A-Z_]+|DD_[A-Z_]+|REQUESTS_CA_BUNDLE|SSL_CERT_[A-Z_]+|CURL_CA_BUNDLE|NO_PROXY|HTTPS?_PROXY|no_proxy|https?_proxy|NODE_ENV|NODE_OPTIONS|PIP_[A-Z_]+|POETRY_[A-Z_]+|UV_[A-Z_]+|NODE_VERSION|DISABLE_COLLECTSTATIC|VIRTUAL_ENV|COMPOSE_[A-Z_]+|DOCKER_[A-Z_]+|KUBERNETES_[A-Z_]+)$/.test(name)) return true;
  for (const p of flaskPrefixes) {
    if (!name.startsWith(`${p}_`)) continue;
    const key = name.slice(p.length + 1);
    if (FLASK_CONSUMED.has(key) || FLASK_EXTENSION_PREFIXES.some((x) => key.startsWith(x))) return true;
  }
  return false;
}

/** Prefixes loaded by `from_prefixed_env` in these modules. */
export function flaskPrefixes(files: readonly { env?: PythonEnvFacts }[]): string[] {
  const out = new Set<string>();
  for (const f of files) for (const p of f.env?.flaskPrefixed ?? []) out.add(p.prefix);
  return [...out];
}
