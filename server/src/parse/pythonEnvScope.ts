// What names mean while extracting environment facts: imports (os, django-environ, dotenv,
// pydantic, ...), aliases (`e = os.environ`), constants, function parameters and names that hold
// values read from the environment. One Scope per module, function and class body.
import type { EnvHelperDef, EnvName, PyImport, ValueParse } from './envTypes';
import type { Range } from './types';
import type { SNode } from './pythonNode';
import { dottedName, kids, type NameLookup, type NamePiece, type NameRef, type NameValue } from './pythonEnvNames';
import { sharedName } from './text';

export interface SchemeEntry {
  parse?: string;
  default?: { text: string; value?: string | null; range: Range };
}

/** A django-environ (or environs) `Env` instance. */
export interface EnvInstance {
  scheme: Map<string, SchemeEntry>;
  prefix: string;
  fileAware: boolean;
  flavor: 'django-environ' | 'environs' | 'envparse';
  /**
   * The scheme takes entries from elsewhere (`Env(**SCHEMA)` with SCHEMA imported or computed):
   * a name it does not list may have a default there, so a read of one is not required.
   */
  open?: boolean;
}

/** One entry of a dict literal: its string key and, when a string literal, its value. */
export interface DictEntry {
  key: string;
  value?: string;
}

export type Binding =
  | { k: 'os' }
  | { k: 'environ' } // os.environ or an alias of it
  | { k: 'env-copy' } // dict(os.environ), os.environ.copy(): reads through it are reads, writes are not
  | { k: 'getenv' }
  | { k: 'putenv' }
  | { k: 'djenv-module'; flavor: EnvInstance['flavor'] }
  | { k: 'djenv-class'; fileAware: boolean; flavor: EnvInstance['flavor'] }
  | { k: 'djenv'; env: EnvInstance }
  | { k: 'json-module' }
  | { k: 'json-loads' }
  | { k: 'dotenv-module' }
  | { k: 'load-dotenv' }
  | { k: 'dotenv-values' } // python-dotenv's dotenv_values(path): a dict of that file's entries
  | { k: 'djdb-module' }
  | { k: 'djdb-config' }
  | { k: 'decouple-module' }
  | { k: 'decouple-config' }
  | { k: 'decouple-class' } // AutoConfig / Config: an instance reads like decouple's config()
  | { k: 'flask-env' } // canonicalwebteam.flask_base's get_flask_env("X"): X, else FLASK_X
  | { k: 'flask-base' } // canonicalwebteam.flask_base's FlaskBase app class
  | { k: 'starlette-class' } // starlette.config.Config
  | { k: 'starlette-config'; prefix: string } // an instance: `config("X", cast=bool, default=False)` reads prefix + X
  | { k: 'starlette-secret' } // starlette.datastructures.Secret: what it wraps is a secret
  | { k: 'authlib-class' } // authlib's starlette OAuth registry class
  | { k: 'authlib-oauth'; prefix: string } // a registry over a starlette Config: `register("google")` reads GOOGLE_CLIENT_ID…
  | { k: 'authlib-register'; prefix: string }
  | { k: 'djconf-module' } // django-configurations' `values` module (or the package)
  | { k: 'djconf-value'; cls: string } // one of its Value classes: a class attribute reads DJANGO_<NAME>
  | { k: 'mitol-module' } // MIT Open Learning's mitol.common.envs (the module or its EnvParser `env`)
  | { k: 'mitol-get'; parse: ValueParse } // its get_string(name="X", default=…, required=…) and typed siblings
  | { k: 'mitol-features' } // its get_features(): every FEATURE_* variable
  | { k: 'mitol-init' } // its init_app_settings(namespace=…, site_name=…)
  | { k: 'dynaconf-module' } // the dynaconf package
  | { k: 'dynaconf-class' } // its Dynaconf / LazySettings class
  | { k: 'dynaconf-django' } // its Django extension, DjangoDynaconf
  | { k: 'dynaconf'; prefix: string } // an instance: `settings.X`, `settings.get("X")` read prefix + X (upper case)
  | { k: 'dynaconf-get'; prefix: string; parse: ValueParse } // its get / as_bool / as_int… methods
  | { k: 'everett-class' } // everett.manager.ConfigManager
  | { k: 'everett-basic' } // its basic_config()
  | { k: 'everett'; prefix: string } // an instance: `config("key", namespace=…)` reads (prefix + namespace + key) upper case
  | { k: 'everett-ns'; prefix: string } // its with_namespace()
  | { k: 'pydantic-module'; v1: boolean }
  | { k: 'pydantic'; what: string; v1: boolean }
  | { k: 'model-class'; cls: ModelClass }
  | { k: 'logging-module' }
  | { k: 'bool-adapter' }
  | { k: 'const'; value: string; isStr: boolean }
  | { k: 'import'; local: string }
  | { k: 'module' }
  | { k: 'param'; index: number; name: string }
  | { k: 'parts'; parts: NamePiece[] }
  /** `fields`: a dict literal's values by their string keys (`cfg = {"api_key": os.getenv(…)}`), so `cfg["enabled"]` carries only its own. */
  | { k: 'tracked'; names: EnvName[]; fields?: Record<string, EnvName[]> }
  /**
   * A value computed from optional reads by code not followed (`to_enum(E, env("MODE", default="x"))`,
   * or a call of an imported reader the model resolves): not the value itself (never logged as it),
   * but a comparison or truth test of it is a switch on `keys` (pythonEnvGuards.ts `derivedKeys`).
   */
  | { k: 'derived'; keys: string[] }
  /** A dict literal whose keys are all strings (`DEFAULTS = {"DEBUG": "true"}`), unconditionally bound. */
  | { k: 'str-dict'; entries: DictEntry[] }
  /** The key / value variable of a loop over such a dict (`for k, v in DEFAULTS.items():`). */
  | { k: 'dict-key'; entries: DictEntry[] }
  | { k: 'dict-value'; entries: DictEntry[] }
  | { k: 'function'; fn: FnInfo }
  | { k: 'other' };

/** A pydantic model class of this module (BaseSettings subclasses and plain BaseModels for nesting). */
export interface ModelClass {
  name: string;
  settings: boolean;
  /** pydantic v1 (`from pydantic import BaseSettings`): Optional fields default to None, `Field(env=...)`. */
  v1: boolean;
  fields: FieldInfo[];
  config: SettingsConfig;
  parents: ModelClass[];
  /**
   * A class taken as settings because it derives from an imported class named `…Settings` (as
   * written), which only the model can confirm: Optional fields and v1's `Field(env=…)` are read
   * leniently (either version), its reads are kept apart (PythonEnvFacts.tentativeReads).
   */
  tentative?: string;
}

export interface SettingsConfig {
  prefix?: { value: NameValue };
  caseSensitive?: boolean;
  nestedDelimiter?: string;
  prefixTarget?: 'variable' | 'alias' | 'all';
  /** `secrets_dir` set (not None): any field may come from a file there, which Orchard cannot see. */
  secretsDir?: boolean;
}

export interface FieldInfo {
  className: string;
  name: string;
  nameRange: Range;
  range: Range;
  parse: ValueParse;
  secretType: boolean;
  optionalType: boolean;
  nestedClass?: string;
  default?: { text: string; value?: string | null; range: Range };
  required: boolean;
  /** alias / validation_alias / AliasChoices / v1 `env=`: names replacing the field name. */
  aliases?: { node: SNode; kind: 'alias' | 'env' }[];
}

/** A function being walked: its parameters by call-site position, and the helper it may turn out to be. */
export interface FnInfo {
  name: string;
  qualifiedName: string;
  nameRange: Range;
  params: Map<string, number>;
  helper?: EnvHelperDef;
  /** Calls of other functions of this module that pass a parameter-derived name on. */
  forwards: Forward[];
}

export interface Forward {
  callee: string;
  argIndex: number;
  param: number;
  paramName: string;
  prefix: string;
  suffix: string;
  parse: ValueParse;
  defaultParam?: number;
}

export type ScopeKind = 'module' | 'function' | 'class';

/** A scope's names; `onSet` lets the replay cache (pythonEnvReplay.ts) record what a statement binds. */
export class Bindings extends Map<string, Binding> {
  onSet: ((name: string, b: Binding) => void) | undefined;
  override set(name: string, b: Binding): this {
    this.onSet?.(name, b);
    return super.set(name, b);
  }
}

export class Scope {
  readonly bindings = new Bindings();
  /** Module scope only: `from x import *` seen (unknown names may come from it). */
  starImport = false;
  /** Set while the replay cache records a statement: every name this scope is asked for. */
  onLookup: ((name: string, b: Binding | undefined) => void) | undefined;
  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | undefined,
    readonly fn?: FnInfo,
    readonly className?: string,
  ) {}

  /** Python's lookup: own bindings, then enclosing functions and the module (class bodies are skipped). */
  lookup(name: string): Binding | undefined {
    let found: Binding | undefined;
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.kind === 'class' && s !== this) continue;
      found = s.bindings.get(name);
      if (found) break;
    }
    this.onLookup?.(name, found);
    return found;
  }

  /** Replaces a binding where it lives (`env.prefix = ...` changes the module's `env`, also from a function). */
  rebind(name: string, b: Binding): void {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      if (s.kind === 'class' && s !== this) continue;
      if (s.bindings.has(name)) {
        s.bindings.set(name, b);
        return;
      }
    }
  }

  get module(): Scope {
    let s: Scope = this;
    while (s.parent) s = s.parent;
    return s;
  }

  /** The innermost function being walked, if any. */
  get function(): FnInfo | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.fn) return s.fn;
    return undefined;
  }
}

/** Names that mean the usual thing when nothing in the file binds them (star imports, implicit imports). */
const CANONICAL: Record<string, Binding> = {
  os: { k: 'os' },
  environ: { k: 'environ' },
  getenv: { k: 'getenv' },
  putenv: { k: 'putenv' },
  json: { k: 'json-module' },
  load_dotenv: { k: 'load-dotenv' },
  dj_database_url: { k: 'djdb-module' },
  BaseSettings: { k: 'pydantic', what: 'BaseSettings', v1: false },
  SettingsConfigDict: { k: 'pydantic', what: 'SettingsConfigDict', v1: false },
  Field: { k: 'pydantic', what: 'Field', v1: false },
  SecretStr: { k: 'pydantic', what: 'SecretStr', v1: false },
  SecretBytes: { k: 'pydantic', what: 'SecretBytes', v1: false },
  AliasChoices: { k: 'pydantic', what: 'AliasChoices', v1: false },
  AliasPath: { k: 'pydantic', what: 'AliasPath', v1: false },
  strtobool: { k: 'bool-adapter' },
  str2bool: { k: 'bool-adapter' },
  logging: { k: 'logging-module' },
};

export function bindingOf(scope: Scope, name: string): Binding | undefined {
  return scope.lookup(name) ?? CANONICAL[name];
}

const MODULES: Record<string, Binding> = {
  os: { k: 'os' },
  json: { k: 'json-module' },
  ujson: { k: 'json-module' },
  orjson: { k: 'json-module' },
  simplejson: { k: 'json-module' },
  environ: { k: 'djenv-module', flavor: 'django-environ' },
  environs: { k: 'djenv-module', flavor: 'environs' },
  envparse: { k: 'djenv-module', flavor: 'envparse' },
  dotenv: { k: 'dotenv-module' },
  dj_database_url: { k: 'djdb-module' },
  decouple: { k: 'decouple-module' },
  'configurations.values': { k: 'djconf-module' },
  'mitol.common.envs': { k: 'mitol-module' },
  dynaconf: { k: 'dynaconf-module' },
  pydantic: { k: 'pydantic-module', v1: true },
  pydantic_settings: { k: 'pydantic-module', v1: false },
  logging: { k: 'logging-module' },
};

const PYDANTIC_NAMES = new Set(['BaseSettings', 'SettingsConfigDict', 'Field', 'SecretStr', 'SecretBytes', 'AliasChoices', 'AliasPath', 'BaseModel', 'ConfigDict']);

/** envparse's `Env` class and its ready-made instance `env` (no schema). */
function envparseMember(name: string): Binding | undefined {
  if (name === 'Env') return { k: 'djenv-class', fileAware: false, flavor: 'envparse' };
  return name === 'env' ? { k: 'djenv', env: { scheme: new Map(), prefix: '', fileAware: false, flavor: 'envparse' } } : undefined;
}

/** mitol.common.envs' readers (module functions and methods of its EnvParser) and how each parses. */
const MITOL_GETTERS: Record<string, ValueParse> = {
  get_string: 'str', get_bool: 'bool', get_int: 'int', get_list_literal: 'list', get_delimited_list: 'list', get_crontab_kwargs: 'str',
};

function mitolMember(name: string): Binding | undefined {
  if (Object.hasOwn(MITOL_GETTERS, name)) return { k: 'mitol-get', parse: MITOL_GETTERS[name] };
  if (name === 'env') return { k: 'mitol-module' };
  if (name === 'get_features') return { k: 'mitol-features' };
  return name === 'init_app_settings' ? { k: 'mitol-init' } : undefined;
}

/**
 * dynaconf's readers of one value (`settings.get("X", default)`, `settings.as_bool("X")`) and how
 * each parses; `settings.X` and `settings["X"]` read the same way (pythonEnvDynaconf.ts).
 */
export const DYNACONF_GETTERS: Record<string, ValueParse> = {
  get: 'unknown', get_fresh: 'unknown', as_bool: 'bool', as_int: 'int', as_float: 'float', as_json: 'json',
};

/** The dynaconf package's `Dynaconf` / `LazySettings` class, and its legacy global `settings` (prefix DYNACONF). */
function dynaconfMember(name: string): Binding | undefined {
  if (name === 'Dynaconf' || name === 'LazySettings') return { k: 'dynaconf-class' };
  if (name === 'DjangoDynaconf') return { k: 'dynaconf-django' };
  return name === 'settings' ? { k: 'dynaconf', prefix: 'DYNACONF_' } : undefined;
}

/** What `from <mod> import <name>` binds. */
function fromImport(mod: string, name: string): Binding | undefined {
  switch (mod) {
    case 'os':
      return name === 'environ' ? { k: 'environ' } : name === 'getenv' ? { k: 'getenv' } : name === 'putenv' ? { k: 'putenv' } : undefined;
    case 'environ':
    case 'environs': {
      const flavor = mod === 'environ' ? 'django-environ' : 'environs';
      if (name === 'Env' || name === 'FileAwareEnv') return { k: 'djenv-class', fileAware: name === 'FileAwareEnv', flavor };
      return undefined;
    }
    case 'envparse':
      return envparseMember(name);
    case 'json':
    case 'ujson':
    case 'orjson':
    case 'simplejson':
      return name === 'loads' ? { k: 'json-loads' } : undefined;
    case 'dotenv':
      return name === 'load_dotenv' ? { k: 'load-dotenv' } : name === 'dotenv_values' ? { k: 'dotenv-values' } : undefined;
    case 'dj_database_url':
      return name === 'config' ? { k: 'djdb-config' } : undefined;
    case 'decouple':
      return name === 'config' ? { k: 'decouple-config' } : name === 'AutoConfig' || name === 'Config' ? { k: 'decouple-class' } : undefined;
    case 'pydantic':
    case 'pydantic_settings':
    case 'pydantic.v1':
    case 'pydantic.fields':
    case 'pydantic.types':
      if (!PYDANTIC_NAMES.has(name)) return undefined;
      // pydantic v1 had BaseSettings itself; v2 moved it to pydantic_settings.
      return { k: 'pydantic', what: name, v1: mod === 'pydantic.v1' || (mod === 'pydantic' && name === 'BaseSettings') };
    case 'starlette.config':
      return name === 'Config' ? { k: 'starlette-class' } : undefined;
    case 'starlette.datastructures':
      return name === 'Secret' ? { k: 'starlette-secret' } : undefined;
    case 'configurations':
      return name === 'values' ? { k: 'djconf-module' } : undefined;
    case 'configurations.values':
      return /^(?:[A-Z]\w*)?Value$/.test(name) ? { k: 'djconf-value', cls: name } : undefined;
    case 'authlib.integrations.starlette_client':
      return name === 'OAuth' ? { k: 'authlib-class' } : undefined;
    case 'mitol.common':
      return name === 'envs' ? { k: 'mitol-module' } : undefined;
    case 'dynaconf':
      return dynaconfMember(name);
    case 'everett.manager':
      return name === 'ConfigManager' ? { k: 'everett-class' } : undefined;
    case 'mitol.common.envs':
      return mitolMember(name);
    case 'canonicalwebteam.flask_base.env':
      return name === 'get_flask_env' ? { k: 'flask-env' } : undefined;
    case 'canonicalwebteam.flask_base.app':
      return name === 'FlaskBase' ? { k: 'flask-base' } : undefined;
    case 'distutils.util':
    case 'str2bool':
      return /bool/.test(name) ? { k: 'bool-adapter' } : undefined;
    default:
      return undefined;
  }
}

/** Binds an import statement's names in `scope`; returns the PyImports it declares. */
export function bindImport(scope: Scope, stmt: SNode, range: Range): PyImport[] {
  if (stmt.type === 'import_statement') {
    const out: PyImport[] = [];
    for (const item of kids(stmt)) {
      const aliased = item.type === 'aliased_import';
      const path = dottedPath(aliased ? item.childForFieldName('name') : item);
      if (!path) continue;
      const local = aliased ? item.childForFieldName('alias')?.text : path.split('.')[0];
      if (!local) continue;
      // `import a.b` binds `a` (the top package); `import a.b as c` binds c to a.b.
      scope.bindings.set(local, MODULES[aliased ? path : local] ?? { k: 'module' });
      out.push({ module: sharedName(path), names: [], local, range });
    }
    return out;
  }
  if (stmt.type !== 'import_from_statement') return [];
  const modNode = stmt.childForFieldName('module_name');
  const mod = modNode ? modNode.text.replace(/\s+/g, '') : '';
  const names: { name: string; local: string }[] = [];
  for (const item of stmt.children) {
    if (!item || !item.isNamed || (modNode && item.startIndex === modNode.startIndex)) continue;
    if (item.type === 'wildcard_import') {
      scope.module.starImport = true;
      names.push({ name: '*', local: '*' });
      continue;
    }
    if (item.type !== 'dotted_name' && item.type !== 'aliased_import') continue;
    const aliased = item.type === 'aliased_import';
    const name = dottedPath(aliased ? item.childForFieldName('name') : item);
    const local = aliased ? item.childForFieldName('alias')?.text : name;
    if (!name || !local) continue;
    names.push({ name, local });
    scope.bindings.set(local, fromImport(mod, name) ?? { k: 'import', local });
  }
  return mod ? [{ module: sharedName(mod), names, range }] : [];
}

function dottedPath(n: SNode | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === 'dotted_name' || n.type === 'identifier') return n.text.replace(/\s+/g, '');
  return undefined;
}

/** What an identifier / attribute chain refers to (`os.environ`, `environ.Env`, `json.loads`...). */
export function resolve(scope: Scope, n: SNode | null | undefined): Binding | undefined {
  if (!n) return undefined;
  if (n.type === 'parenthesized_expression') {
    const inner = kids(n)[0];
    return inner ? resolve(scope, inner) : undefined;
  }
  if (n.type === 'identifier') return bindingOf(scope, n.text);
  if (n.type !== 'attribute') return undefined;
  const attr = n.childForFieldName('attribute')?.text;
  const obj = resolve(scope, n.childForFieldName('object'));
  if (!attr || !obj) return undefined;
  switch (obj.k) {
    case 'os':
      return attr === 'environ' ? { k: 'environ' } : attr === 'getenv' ? { k: 'getenv' } : attr === 'putenv' ? { k: 'putenv' } : undefined;
    case 'djenv-module':
      if (obj.flavor === 'envparse') return envparseMember(attr);
      return attr === 'Env' || attr === 'FileAwareEnv' ? { k: 'djenv-class', fileAware: attr === 'FileAwareEnv', flavor: obj.flavor } : undefined;
    case 'json-module':
      return attr === 'loads' ? { k: 'json-loads' } : undefined;
    case 'dotenv-module':
      return attr === 'load_dotenv' ? { k: 'load-dotenv' } : attr === 'dotenv_values' ? { k: 'dotenv-values' } : undefined;
    case 'djdb-module':
      return attr === 'config' ? { k: 'djdb-config' } : undefined;
    case 'decouple-module':
      return attr === 'config' ? { k: 'decouple-config' } : attr === 'AutoConfig' || attr === 'Config' ? { k: 'decouple-class' } : undefined;
    case 'starlette-config':
      return attr === 'get' ? obj : undefined;
    case 'djconf-module':
      return /^(?:[A-Z]\w*)?Value$/.test(attr) ? { k: 'djconf-value', cls: attr } : undefined;
    case 'mitol-module':
      return mitolMember(attr);
    case 'dynaconf-module':
      return dynaconfMember(attr);
    case 'dynaconf':
      return Object.hasOwn(DYNACONF_GETTERS, attr) ? { k: 'dynaconf-get', prefix: obj.prefix, parse: DYNACONF_GETTERS[attr] } : undefined;
    case 'everett-class':
      return attr === 'basic_config' ? { k: 'everett-basic' } : undefined;
    case 'everett':
      return attr === 'with_namespace' ? { k: 'everett-ns', prefix: obj.prefix } : undefined;
    case 'authlib-oauth':
      return attr === 'register' ? { k: 'authlib-register', prefix: obj.prefix } : undefined;
    case 'pydantic-module':
      return PYDANTIC_NAMES.has(attr) ? { k: 'pydantic', what: attr, v1: obj.v1 && attr === 'BaseSettings' } : undefined;
    default:
      return undefined;
  }
}

/** True for `os.environ` and its aliases (`copies` also accepts dict(os.environ) copies bound to a name). */
export function isEnviron(scope: Scope, n: SNode | null | undefined, copies = false): boolean {
  const b = resolve(scope, n);
  return !!b && (b.k === 'environ' || (copies && b.k === 'env-copy'));
}

/** The NameLookup used to evaluate names in `scope` (constants, imports, parameters). */
export function nameLookup(scope: Scope): NameLookup {
  return (id: string): NameRef => {
    const b = scope.lookup(id);
    if (b) {
      if (b.k === 'const') return { kind: 'const', value: b.value, isStr: b.isStr };
      if (b.k === 'import' || b.k === 'module') return { kind: 'import', local: id };
      if (b.k === 'param') return { kind: 'param', index: b.index, name: b.name };
      if (b.k === 'parts') return { kind: 'parts', parts: b.parts };
      return { kind: 'unknown' };
    }
    // Unbound: with a star import the name may come from it; the model resolves it through the imports.
    return scope.module.starImport && /^[A-Z_][A-Z0-9_]*$/.test(id) ? { kind: 'import', local: id } : { kind: 'unknown' };
  };
}

/** `a.b.c` text of a callee, for candidate calls and messages. */
export function calleeText(fn: SNode): string {
  return dottedName(fn) ?? fn.text.replace(/\s+/g, '').slice(0, 80);
}
