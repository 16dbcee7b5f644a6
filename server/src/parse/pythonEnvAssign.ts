// Assignments and augmented assignments in any scope: aliases of environment objects (`e =
// os.environ`, `env = environ.Env(...)`), copies of the environment, constants and names built
// from them, names that hold values read from the environment (for the logging flow), and writes
// (`os.environ["X"] = v`, `app.config["X"] = v`, `env.prefix = "APP_"`).
import type { SNode } from './pythonNode';
import type { EnvName } from './envTypes';
import { evalName, kids, literalString, unparen } from './pythonEnvNames';
import { isEnviron, nameLookup, resolve, type Binding, type DictEntry, type Scope } from './pythonEnvScope';
import { arg, argsOf, nameOf, writeTo, type Walker } from './pythonEnvCtx';
import { authlibConfig, djconfValue, dotenv, envInstance, flaskConfigWrite, readerHelper, starletteConfig } from './pythonEnvLibs';
import { djangoDynaconf, dynaconfInstance } from './pythonEnvDynaconf';
import { everettBasic, everettManager, everettNamespace } from './pythonEnvEverett';
import { visit } from './pythonEnvReads';
import { carried } from './pythonEnvLog';
import { derivedKeys } from './pythonEnvGuards';

/** Bindings worth recognising by name later (aliases of environment-reading objects). */
export const ALIASABLE = new Set<Binding['k']>([
  'os', 'environ', 'getenv', 'putenv', 'djenv', 'djenv-class', 'djenv-module', 'json-module', 'json-loads', 'dotenv-module', 'load-dotenv',
  'djdb-module', 'djdb-config', 'decouple-module', 'decouple-config', 'decouple-class', 'bool-adapter', 'model-class', 'logging-module', 'pydantic',
  'flask-env', 'flask-base', 'starlette-class', 'starlette-config', 'starlette-secret', 'authlib-class', 'authlib-oauth',
  'mitol-module', 'mitol-get', 'mitol-features', 'mitol-init', 'dynaconf-module', 'dynaconf-class', 'dynaconf-django', 'dynaconf', 'dynaconf-get',
  'everett-class', 'everett-basic', 'everett', 'everett-ns',
]);
/** Value types that can evaluate to a constant or a name built from constants. */
const NAME_LIKE = new Set(['string', 'concatenated_string', 'binary_operator', 'identifier', 'attribute', 'integer', 'call']);
const DYNAMIC = { kind: 'dynamic' } as const;


/** `dotenv_values(".env.shared")`: python-dotenv's dict of a file's entries (no environment). */
function dotenvValues(scope: Scope, n: SNode | undefined): SNode | undefined {
  const u = n ? unparen(n) : undefined;
  return u?.type === 'call' && resolve(scope, u.childForFieldName('function'))?.k === 'dotenv-values' ? u : undefined;
}

/**
 * `config = {**dotenv_values(".env.shared"), **os.environ}` (python-dotenv's documented way) or
 * `vals = dotenv_values()`: reads through it read those files' entries; the files count as loaded.
 */
function dotenvDict(w: Walker, scope: Scope, u: SNode): boolean {
  const calls = (u.type === 'dictionary' ? kids(u).map((k) => (k.type === 'dictionary_splat' ? dotenvValues(scope, kids(k)[0]) : undefined)) : [dotenvValues(scope, u)]).filter((c): c is SNode => !!c);
  // Which file a run-time path or a stream (`dotenv_values(stream=StringIO(text))`) reads is unknown.
  const files = calls.map((c) => argsOf(c)).filter((a) => !a.kw.has('stream') && !a.splat);
  if (calls.length === 0 || files.length < calls.length) return false;
  const paths = files.map((a) => arg(a, 0, 'dotenv_path'));
  if (paths.some((p) => p && literalString(p) === undefined)) return false;
  for (let i = 0; i < calls.length; i++) dotenv(w, calls[i], paths[i]);
  return true;
}

function isEnvCopy(scope: Scope, u: SNode): boolean {
  if (u.type === 'dictionary') return kids(u).some((k) => k.type === 'dictionary_splat' && isEnviron(scope, kids(k)[0]));
  if (u.type !== 'call') return false;
  const fn = u.childForFieldName('function');
  const a = argsOf(u);
  if (fn?.type === 'identifier' && fn.text === 'dict' && !scope.lookup('dict')) return a.pos.length === 1 && isEnviron(scope, a.pos[0]);
  return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'copy' && isEnviron(scope, fn.childForFieldName('object')) && a.all.length === 0;
}

/** Values that may be computed from a read by code not followed (a call, an attribute or item of one). */
const DERIVABLE = new Set(['call', 'attribute', 'subscript']);

/** `a = b = value`, `x: T = value`; `cond`: inside if/try/for/while/with (no constants made there). */
export function assignment(w: Walker, scope: Scope, a: SNode, cond: boolean): void {
  const targets: SNode[] = [];
  let value: SNode | undefined;
  let cur: SNode = a;
  for (let i = 0; i < 50; i++) {
    const left = cur.childForFieldName('left');
    if (left) targets.push(left);
    const right = cur.childForFieldName('right');
    if (!right) break;
    if (right.type !== 'assignment') {
      value = right;
      break;
    }
    cur = right;
  }
  if (!value) return;
  const u = unparen(value);
  const vb = resolve(scope, u);
  let bind: Binding | undefined;
  if (vb && ALIASABLE.has(vb.k) && (u.type === 'identifier' || u.type === 'attribute')) bind = vb;
  else if (isEnvCopy(scope, u)) {
    w.whole(u);
    bind = { k: 'env-copy' };
    dotenvDict(w, scope, u);
    if (u.type === 'dictionary') for (const k of kids(u)) if (k.type !== 'dictionary_splat') visit(w, scope, k);
  } else if (dotenvDict(w, scope, u)) {
    bind = { k: 'env-copy' };
    if (u.type === 'dictionary') for (const k of kids(u)) if (k.type !== 'dictionary_splat') visit(w, scope, k);
  } else if (u.type === 'call') bind = libraryInstance(w, scope, u, targets, value);
  if (!bind) {
    const flow = w.flow;
    visit(w, scope, value);
    const names = w.flow !== flow ? carried(w, scope, value) : [];
    const v = NAME_LIKE.has(u.type) ? evalName(value, nameLookup(scope)) : DYNAMIC;
    const derived = names.length || !DERIVABLE.has(u.type) ? [] : derivedKeys(w, scope, u);
    if (names.length) bind = { k: 'tracked', names, ...dictFields(w, scope, u) };
    else if (derived.length) bind = { k: 'derived', keys: [...new Set(derived)] };
    else if (cond) bind = { k: 'other' };
    else if (v.kind === 'static') bind = { k: 'const', value: v.value, isStr: v.isStr };
    else if (v.kind === 'parts') bind = { k: 'parts', parts: v.parts };
    else bind = (u.type === 'dictionary' && strDict(u)) || { k: 'other' };
  }
  for (const t of targets) target(w, scope, t, a, value, bind);
}

/**
 * `name = <a library's reader class>(…)`: the instance it binds (a django-environ / environs `Env`,
 * a decouple `AutoConfig`, a starlette `Config`, an authlib registry over one), or a
 * django-configurations Value, read here for the attribute it is bound to. Undefined for any other call.
 */
function libraryInstance(w: Walker, scope: Scope, call: SNode, targets: SNode[], value: SNode): Binding | undefined {
  const callee = resolve(scope, call.childForFieldName('function'));
  switch (callee?.k) {
    case 'djenv-class':
      return { k: 'djenv', env: envInstance(w, argsOf(call), callee.fileAware, callee.flavor) };
    case 'decouple-class':
      // `config = AutoConfig(search_path=...)`, `Config(RepositoryEnv(".env"))`: calls of it read like decouple's config().
      return { k: 'decouple-config' };
    case 'starlette-class':
      return starletteConfig(w, argsOf(call), call);
    case 'djconf-value': {
      // django-configurations: `DEBUG = values.BooleanValue(True)` in a Configuration class reads DJANGO_DEBUG.
      const t = targets.length === 1 && targets[0].type === 'identifier' ? targets[0] : undefined;
      djconfValue(w, scope, call, argsOf(call), callee.cls, t && scope.kind === 'class' ? t : undefined);
      visit(w, scope, value);
      return { k: 'other' };
    }
    case 'authlib-class':
      return authlibConfig(scope, argsOf(call));
    case 'dynaconf-class':
      return dynaconfInstance(argsOf(call));
    case 'dynaconf-django':
      return djangoDynaconf(w, scope, call, argsOf(call), dotenv);
    case 'everett-class':
      return everettManager(argsOf(call));
    case 'everett-basic':
      return everettBasic(w, call, argsOf(call), dotenv);
    case 'everett-ns':
      return everettNamespace(callee.prefix, argsOf(call));
    default:
      return undefined;
  }
}

const MAX_DICT_ENTRIES = 200;

/** A dict literal of string keys (values kept when string literals); undefined for any other dict. */
function strDict(u: SNode): Binding | undefined {
  const entries: DictEntry[] = [];
  for (const pair of kids(u)) {
    const k = pair.type === 'pair' ? pair.childForFieldName('key') : null;
    const key = k ? literalString(k) : undefined;
    if (key === undefined || entries.length >= MAX_DICT_ENTRIES) return undefined;
    const v = pair.childForFieldName('value');
    const value = v ? literalString(unparen(v)) : undefined;
    entries.push(value === undefined ? { key } : { key, value });
  }
  return entries.length ? { k: 'str-dict', entries } : undefined;
}

/**
 * A for loop's target over a dict of string keys (`for k, v in DEFAULTS.items():`, `for k in
 * DEFAULTS:`): the key variable stands for each key, the value variable for each value, so
 * `os.environ.setdefault(k, v)` in the body sets each entry.
 */
export function loopOverDict(scope: Scope, left: SNode, right: SNode): void {
  const r = unparen(right);
  let over: SNode | null = r;
  let items = false;
  if (r.type === 'call') {
    const fn = r.childForFieldName('function');
    const meth = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    if ((meth !== 'items' && meth !== 'keys') || argsOf(r).all.length > 0) return;
    items = meth === 'items';
    over = fn!.childForFieldName('object');
  }
  const d = over && over.type === 'identifier' ? scope.lookup(over.text) : undefined;
  if (d?.k !== 'str-dict') return;
  const targets = left.type === 'pattern_list' || left.type === 'tuple_pattern' ? kids(left) : [left];
  if (items ? targets.length !== 2 : targets.length !== 1) return;
  if (targets.some((t) => t.type !== 'identifier')) return;
  scope.bindings.set(targets[0].text, { k: 'dict-key', entries: d.entries });
  if (items) scope.bindings.set(targets[1].text, { k: 'dict-value', entries: d.entries });
}

/** A dict literal whose keys are all string literals: what each key's value carries (else nothing). */
function dictFields(w: Walker, scope: Scope, u: SNode): { fields?: Record<string, EnvName[]> } {
  if (u.type !== 'dictionary') return {};
  const fields: Record<string, EnvName[]> = Object.create(null);
  for (const pair of kids(u)) {
    const k = pair.type === 'pair' ? pair.childForFieldName('key') : null;
    const v = pair.type === 'pair' ? pair.childForFieldName('value') : null;
    const key = k ? literalString(k) : undefined;
    if (key === undefined || !v) return {};
    fields[key] = carried(w, scope, v);
  }
  return { fields };
}

function target(w: Walker, scope: Scope, t: SNode, stmt: SNode, value: SNode, bind: Binding): void {
  switch (t.type) {
    case 'identifier': {
      const name = t.text;
      scope.bindings.set(name, bind);
      if (scope.kind === 'module') {
        if (bind.k === 'const' && bind.isStr) w.setConst(name, bind.value, w.range(t));
        else w.deleteConst(name);
        // An environment reader other modules may import (`from .base import env`).
        const reader = readerHelper(name, () => w.range(t), bind);
        if (reader) w.push('helpers', reader);
      }
      // A module variable holding a read can be a switch later (`if USE_S3:`): statements using it are analysed.
      if (ALIASABLE.has(bind.k)) w.note(name);
      return;
    }
    case 'subscript': {
      const obj = t.childForFieldName('value');
      const key = t.childForFieldName('subscript');
      if (obj && key && isEnviron(scope, obj)) return writeTo(w, scope, key, stmt, value);
      if (obj && key && isEnviron(scope, obj, true)) return;
      if (flaskConfigWrite(w, scope, t)) return;
      return visit(w, scope, t);
    }
    case 'attribute': {
      const obj = t.childForFieldName('object');
      const attr = t.childForFieldName('attribute')?.text;
      const ob = resolve(scope, obj);
      if (ob?.k === 'djenv' && attr === 'prefix') {
        const v = nameOf(scope, value);
        // Bindings are never mutated (the replay cache fingerprints them): a new instance replaces it.
        if (v.kind === 'static' && v.isStr && obj?.type === 'identifier') {
          const b: Binding = { k: 'djenv', env: { ...ob.env, prefix: v.value } };
          scope.rebind(obj.text, b);
          // Importers see the object as the module leaves it: a later helper of the same name wins.
          const reader = scope.kind === 'module' ? readerHelper(obj.text, () => w.range(obj), b) : undefined;
          if (reader) w.push('helpers', reader);
        }
        return;
      }
      if (obj) visit(w, scope, obj);
      return;
    }
    case 'pattern_list':
    case 'tuple_pattern':
    case 'list_pattern': {
      const elems = kids(t);
      const u = unparen(value);
      const vals = u.type === 'expression_list' || u.type === 'tuple' || u.type === 'list' ? kids(u) : [];
      elems.forEach((e, i) => {
        if (e.type !== 'identifier') return target(w, scope, e, stmt, value, { k: 'other' });
        const names = vals.length === elems.length ? carried(w, scope, vals[i]) : [];
        target(w, scope, e, stmt, value, names.length ? { k: 'tracked', names } : { k: 'other' });
      });
      return;
    }
  }
}

/** `x += v`; `os.environ["PATH"] += v` both reads and writes. */
export function augmented(w: Walker, scope: Scope, a: SNode): void {
  const left = a.childForFieldName('left');
  const right = a.childForFieldName('right');
  if (right) visit(w, scope, right);
  if (!left) return;
  visit(w, scope, left);
  if (left.type === 'subscript' && isEnviron(scope, left.childForFieldName('value'))) {
    const key = left.childForFieldName('subscript');
    if (key) writeTo(w, scope, key, a);
  } else if (left.type === 'identifier') {
    const b = scope.lookup(left.text);
    const names = right ? carried(w, scope, right) : [];
    if (names.length) scope.bindings.set(left.text, { k: 'tracked', names: b?.k === 'tracked' ? [...b.names, ...names] : names });
    else if (b && b.k !== 'tracked') scope.bindings.set(left.text, { k: 'other' });
    if (scope.kind === 'module') w.deleteConst(left.text);
  }
}
