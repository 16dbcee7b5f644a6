// dynaconf (read in its source: dynaconf/loaders/env_loader.py): `settings = Dynaconf(envvar_prefix=
// "MYAPP", settings_files=[…])` loads every `MYAPP_*` variable into the settings, under the name
// after the prefix; a key is looked up in any case and the variable is written in upper case.
// `settings.DATABASE_URL`, `settings["DATABASE_URL"]`, `settings.get("DATABASE_URL", default)`,
// `settings.as_bool("DEBUG")` read `MYAPP_DATABASE_URL` / `MYAPP_DEBUG`. The prefix defaults to
// DYNACONF; `envvar_prefix=False` loads every variable without one. None of these reads is
// required: the settings files Orchard does not read may give the value. Another module that
// imports the instance (`from app.config import settings`) reads through it the same way
// (pythonEnvLibs.ts readerHelper, model/appReads.ts).
import type { EnvHelperDef, ValueParse } from './envTypes';
import type { Range } from './types';
import type { SNode } from './pythonNode';
import { arg, emitRead, nameOf, type Args, type Walker } from './pythonEnvCtx';
import { literalString, unparen, type NameValue } from './pythonEnvNames';
import type { Binding, Scope } from './pythonEnvScope';

/** What an instance is besides its values: methods and attributes that are no setting's name. */
const NOT_A_SETTING = /^(?:_.*|[a-z_]+_for_dynaconf|get|get_fresh|get_environ|exists|exists_in_environ|as_\w+|set|setenv|setdefault|update|unset|keys|values|items|to_dict|as_dict|dynaconf_clone|from_env|using_env|reload|load_file|load_includes|configure|validators|store|loaded_by_loaders|current_env|current_namespace|environ|ENVVAR_PREFIX_FOR_DYNACONF|ENV_FOR_DYNACONF)$/;

/**
 * `Dynaconf(envvar_prefix=…)` / `LazySettings(…)`: the instance and the prefix of the variables it
 * loads (`MYAPP_`; `DYNACONF_` by default; none with `False`). A prefix that is not a literal, or
 * `None` (nothing is loaded from the environment), binds nothing.
 */
export function dynaconfInstance(a: Args): Binding {
  const p = a.kw.get('envvar_prefix') ?? a.kw.get('ENVVAR_PREFIX_FOR_DYNACONF');
  if (!p) return { k: 'dynaconf', prefix: 'DYNACONF_' };
  const u = unparen(p);
  if (u.type === 'false') return { k: 'dynaconf', prefix: '' };
  const s = literalString(u);
  // Several prefixes (`"A,B"`) load each: which one a deployment uses is not known here.
  if (s === undefined || s === '' || s.includes(',')) return { k: 'other' };
  return { k: 'dynaconf', prefix: `${s.toUpperCase()}_` };
}

/** The variable behind a key: the prefix and the key in upper case. */
function variable(prefix: string, v: NameValue): NameValue {
  return v.kind === 'static' && v.isStr ? { ...v, value: prefix + v.value.toUpperCase() } : { kind: 'dynamic' };
}

/** A module-level UPPER_SNAKE assignment at the start of a line: a Django setting. */
const MODULE_SETTING = /^([A-Z][A-Z0-9_]*)[ \t]*(?::[^=\n]*)?=(?!=)/gm;
/** At most this many settings of one module are read for (a generated module is not a settings file). */
const MAX_DJANGO_SETTINGS = 2000;

/**
 * dynaconf's Django extension (`settings = DjangoDynaconf(__name__, ENVVAR_PREFIX_FOR_DYNACONF=
 * "PULP")`, pulpcore): every upper-case setting of the module may be overridden by prefix + its
 * name (`PULP_SECRET_KEY`; prefix DJANGO by default), optionally; `.env` is loaded unless
 * `load_dotenv=False`. Returns the instance it binds, read like any other.
 */
export function djangoDynaconf(w: Walker, scope: Scope, n: SNode, a: Args, load: (w: Walker, n: SNode, path: SNode | undefined) => void): Binding {
  const given = a.kw.has('envvar_prefix') || a.kw.has('ENVVAR_PREFIX_FOR_DYNACONF') ? dynaconfInstance(a) : ({ k: 'dynaconf', prefix: 'DJANGO_' } as const);
  if (given.k !== 'dynaconf') return given;
  const dotenv = a.kw.get('load_dotenv');
  if (!dotenv || unparen(dotenv).type !== 'false') load(w, n, undefined);
  const seen = new Set<string>();
  MODULE_SETTING.lastIndex = 0;
  for (let m = MODULE_SETTING.exec(w.text); m && seen.size < MAX_DJANGO_SETTINGS; m = MODULE_SETTING.exec(w.text)) {
    if (seen.has(m[1])) continue;
    seen.add(m[1]);
    emitRead(w, scope, { value: { kind: 'static', value: given.prefix + m[1], isStr: true }, nameRange: w.span(m.index, m.index + m[1].length), node: n, via: 'library', required: false, parse: 'unknown' });
  }
  return given;
}

/** `settings.get("X", default)`, `settings.as_bool("X")`: an optional read of prefix + X. */
export function dynaconfGet(w: Walker, scope: Scope, n: SNode, a: Args, prefix: string, parse: ValueParse): void {
  const key = arg(a, 0, 'key');
  if (!key) return;
  const def = arg(a, 1, 'default');
  emitRead(w, scope, { value: variable(prefix, nameOf(scope, key)), nameRange: w.range(key), node: n, via: 'library', required: false, defaultNode: def, parse });
}

/** `settings["X"]`: an optional read of prefix + X. */
export function dynaconfItem(w: Walker, scope: Scope, n: SNode, key: SNode, prefix: string, parse: ValueParse): void {
  emitRead(w, scope, { value: variable(prefix, nameOf(scope, key)), nameRange: w.range(key), node: n, via: 'library', required: false, parse });
}

/** `settings.DATABASE_URL` (any case): an optional read of prefix + the name in upper case. */
export function dynaconfAttribute(w: Walker, scope: Scope, n: SNode, prefix: string, parse: ValueParse): boolean {
  const attr = n.childForFieldName('attribute');
  if (!attr || NOT_A_SETTING.test(attr.text)) return false;
  emitRead(w, scope, { value: { kind: 'static', value: prefix + attr.text.toUpperCase(), isStr: true }, nameRange: w.range(attr), node: n, via: 'library', required: false, parse });
  return true;
}

/** A module-level instance as a helper other modules read through (`from app.config import settings`). */
export function dynaconfHelper(name: string, range: Range, prefix: string): EnvHelperDef {
  return { name, qualifiedName: name, range, reads: [{ param: 0, paramName: 'key', prefix, suffix: '', via: 'library', required: false, parse: 'str', defaultParam: 1 }], methods: 'dynaconf' };
}

/** Imported names read by attribute (`settings.DATABASE_URL`) are recorded as calls of this method, for the model to resolve. */
export const ATTRIBUTE_READ = '__getattr__';
