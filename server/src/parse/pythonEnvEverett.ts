// everett (Mozilla's configuration library; read in its source, src/everett/manager.py):
// `config = ConfigManager.basic_config()` reads the environment, then the `.env` file it loads;
// `config("STATSD_PORT", default="8125", parser=int)` reads `STATSD_PORT`, and fails without a
// default (ConfigurationMissingError) unless `raise_error=False`. A namespace comes before the key,
// and the environment's name is upper case: `config("host", namespace="db")` and
// `config.with_namespace("db")("host")` read `DB_HOST`. `ConfigManager([...])` reads the
// environment only when its sources include `ConfigOSEnv()`. An instance another module imports is
// a helper there (pythonEnvLibs.ts readerHelper).
import type { EnvHelperDef, ValueParse } from './envTypes';
import type { Range } from './types';
import type { SNode } from './pythonNode';
import { arg, emitRead, nameOf, type Args, type Walker } from './pythonEnvCtx';
import { literalString, unparen, type NameValue } from './pythonEnvNames';
import type { Binding, Scope } from './pythonEnvScope';

/** `ConfigManager.basic_config(env_file=".env")`: the environment, then that file (loaded). */
export function everettBasic(w: Walker, n: SNode, a: Args, load: (w: Walker, n: SNode, path: SNode | undefined) => void): Binding {
  load(w, n, arg(a, 0, 'env_file'));
  return { k: 'everett', prefix: '' };
}

/** `ConfigManager([ConfigOSEnv(), …])`: reads the environment only with ConfigOSEnv among its sources. */
export function everettManager(a: Args): Binding {
  const envs = arg(a, 0, 'environments');
  return envs && /\bConfigOSEnv\s*\(/.test(envs.text) ? { k: 'everett', prefix: '' } : { k: 'other' };
}

/** `config.with_namespace("db")`: its reads are prefixed `DB_`. A namespace not known statically: no binding. */
export function everettNamespace(prefix: string, a: Args): Binding {
  const ns = arg(a, 0, 'namespace');
  const s = ns ? literalString(unparen(ns)) : undefined;
  return s === undefined ? { k: 'other' } : { k: 'everett', prefix: prefix + namespacePrefix(s) };
}

function namespacePrefix(ns: string): string {
  return ns ? `${ns.toUpperCase()}_` : '';
}

function upperName(prefix: string, v: NameValue): NameValue {
  return v.kind === 'static' && v.isStr ? { ...v, value: (prefix + v.value).toUpperCase() } : { kind: 'dynamic' };
}

/** `config("KEY", namespace=…, default=…, parser=…, raise_error=…)`. */
export function everettRead(w: Walker, scope: Scope, n: SNode, a: Args, prefix: string, parse: ValueParse, castParse: (cast: SNode) => ValueParse): void {
  const key = arg(a, 0, 'key');
  if (!key) return;
  const nsNode = arg(a, 1, 'namespace');
  const ns = nsNode ? literalString(unparen(nsNode)) : '';
  const def = arg(a, 2, 'default');
  const raise = a.kw.get('raise_error');
  const parser = a.kw.get('parser');
  const value = ns === undefined ? ({ kind: 'dynamic' } as const) : upperName(prefix + namespacePrefix(ns), nameOf(scope, key));
  const required = !def && !(raise && unparen(raise).type === 'false');
  emitRead(w, scope, { value, nameRange: w.range(key), node: n, via: 'library', required, defaultNode: def, parse: parser ? castParse(parser) : parse });
}

/** A module-level instance as a helper other modules call (`from tecken.settings import _config`). */
export function everettHelper(name: string, range: Range, prefix: string): EnvHelperDef {
  return { name, qualifiedName: name, range, reads: [{ param: 0, paramName: 'key', prefix, suffix: '', via: 'library', required: true, parse: 'str', defaultParam: 2 }] };
}
