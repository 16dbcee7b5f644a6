// Where values read from the environment flow: into names (`token = os.environ["API_TOKEN"]`), and
// into print / logging calls (PyLogged). Values inside bool(), len(), comparisons, `is None` tests,
// `if x` conditions and masking/hashing calls, and a few characters of them (`x[:4]`), are not
// their values any more and do not count.
import type { EnvName } from './envTypes';
import type { SNode } from './pythonNode';
import type { Walker } from './pythonEnvCtx';
import { dottedName, isSensitiveEnvName, kids, literalString, unparen } from './pythonEnvNames';
import { calleeText, isEnviron, resolve, type Scope } from './pythonEnvScope';

const MAX_DEPTH = 100;

export interface Flow {
  names: EnvName[];
  whole: boolean;
}

const SAFE_BUILTINS = new Set(['bool', 'len', 'type', 'isinstance', 'issubclass', 'id', 'hash', 'callable', 'hasattr']);
const KEYS_ONLY = new Set(['len', 'list', 'sorted', 'set', 'frozenset', 'tuple', 'iter']);
/** Calls whose result says something about a value without being it. */
const SAFE_CALL = /(?:^|_)(?:mask|masked|redact|redacted|hash|hashed|censor|censored|obfuscate|obfuscated|sha\d*|md5|digest|hexdigest|encrypt|encrypted|fingerprint|exists|is_set|present|bool|len)(?:_|$)/i;

/** `[:n]` or `[-n:]` with n at most 4: a value's first or last few characters. */
function isShortSlice(n: SNode | null | undefined): boolean {
  if (!n || n.type !== 'slice') return false;
  const t = n.text.replace(/\s+/g, '');
  return /^:[1-4]$/.test(t) || /^-[1-4]:$/.test(t) || /^0:[1-4]$/.test(t);
}

/** The environment values `n` evaluates to (or contains), with the suppressions above. */
export function valueFlow(w: Walker, scope: Scope, n: SNode, out: Flow, depth = 0): void {
  if (depth > MAX_DEPTH) return;
  const recorded = w.nodeNames.get(n.id);
  if (recorded) {
    out.names.push(...recorded);
    return;
  }
  switch (n.type) {
    case 'identifier': {
      const b = scope.lookup(n.text);
      if (b?.k === 'tracked') out.names.push(...b.names);
      else if (b?.k === 'environ' || b?.k === 'env-copy') out.whole = true;
      return;
    }
    case 'attribute': {
      if (isEnviron(scope, n)) {
        out.whole = true;
        return;
      }
      const obj = n.childForFieldName('object');
      if (obj) valueFlow(w, scope, obj, out, depth + 1);
      return;
    }
    case 'call':
      return callFlow(w, scope, n, out, depth);
    case 'subscript': {
      const v = n.childForFieldName('value');
      // `os.environ[key]` with a name not known statically: one variable's value, not the whole
      // environment (a read with a static name was recorded above).
      if (v && isEnviron(scope, v, true)) return;
      // A few characters of it (`token[:4]`, `token[-4:]`), as a preview shows: not the value.
      if (isShortSlice(n.childForFieldName('subscript'))) return;
      const one = v && fieldOf(scope, v, n.childForFieldName('subscript'));
      if (one) out.names.push(...one);
      else if (v) valueFlow(w, scope, v, out, depth + 1);
      return;
    }
    case 'conditional_expression': {
      const [a, , b] = kids(n);
      if (a) valueFlow(w, scope, a, out, depth + 1);
      if (b) valueFlow(w, scope, b, out, depth + 1);
      return;
    }
    case 'keyword_argument': {
      const v = n.childForFieldName('value');
      if (v) valueFlow(w, scope, v, out, depth + 1);
      return;
    }
    case 'string':
      for (const c of kids(n)) {
        const e = c.type === 'interpolation' ? c.childForFieldName('expression') : null;
        if (e) valueFlow(w, scope, e, out, depth + 1);
      }
      return;
    case 'comparison_operator':
    case 'not_operator':
    case 'lambda':
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return;
    default:
      for (const c of kids(n)) valueFlow(w, scope, c, out, depth + 1);
  }
}

/** `cfg["key"]` where `cfg` holds a dict literal with that key: what the key's value carries. */
function fieldOf(scope: Scope, obj: SNode, key: SNode | null | undefined): EnvName[] | undefined {
  if (obj.type !== 'identifier' || !key) return undefined;
  const b = scope.lookup(obj.text);
  if (b?.k !== 'tracked' || !b.fields) return undefined;
  const k = literalString(key);
  return k !== undefined && Object.prototype.hasOwnProperty.call(b.fields, k) ? b.fields[k] : undefined;
}

function callFlow(w: Walker, scope: Scope, n: SNode, out: Flow, depth: number): void {
  const fn = n.childForFieldName('function');
  if (!fn) return;
  const argList = n.childForFieldName('arguments');
  const args = argList ? (argList.type === 'argument_list' ? kids(argList) : [argList]) : [];
  if (fn.type === 'identifier' && !scope.lookup(fn.text)) {
    if (SAFE_BUILTINS.has(fn.text)) return;
    if (KEYS_ONLY.has(fn.text) && args.length === 1 && isEnviron(scope, args[0], true)) return;
  }
  const dotted = dottedName(fn) ?? '';
  const last = dotted.split('.').pop() ?? '';
  if (SAFE_CALL.test(last)) return;
  if (fn.type === 'attribute') {
    const obj = fn.childForFieldName('object');
    const meth = fn.childForFieldName('attribute')?.text ?? '';
    if (obj && isEnviron(scope, obj, true)) {
      if (meth === 'items' || meth === 'values' || meth === 'copy' || meth === '__iter__') out.whole = true;
      return; // keys(), get() etc. (reads are recorded by node above)
    }
    // `cfg.get("enabled")` of a dict literal: that key's value only (or the default).
    const one = obj && meth === 'get' ? fieldOf(scope, obj, args[0]) : undefined;
    if (one) {
      out.names.push(...one);
      for (const a of args.slice(1)) valueFlow(w, scope, a, out, depth + 1);
      return;
    }
    // `token.strip()`, `"{}:{}".format(user, pw)`, `", ".join(parts)`: the value, reshaped. A method of
    // some other object (`Github(login_or_token=TOKEN).get_repo(…)`) returns that object's data, not
    // the value it was given.
    if (STRING_METHODS.has(meth)) {
      if (obj) valueFlow(w, scope, obj, out, depth + 1);
      for (const a of args) valueFlow(w, scope, a, out, depth + 1);
      return;
    }
    if (!VALUE_CALLS.has(dotted)) return;
  } else if (fn.type === 'identifier' && !scope.lookup(fn.text)) {
    if (!VALUE_CALLS.has(fn.text)) return;
  } else if (fn.type === 'identifier') {
    // A function of this module: what it returns is not known here; its result is not the value.
    return;
  } else return;
  for (const a of args) valueFlow(w, scope, a, out, depth + 1);
}

/** Methods whose result is their receiver's (and arguments') text, reshaped. */
const STRING_METHODS = new Set([
  'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'casefold', 'title', 'capitalize', 'swapcase', 'encode', 'decode',
  'format', 'format_map', 'replace', 'join', 'split', 'rsplit', 'splitlines', 'partition', 'rpartition',
  'removeprefix', 'removesuffix', 'zfill', 'ljust', 'rjust', 'center', 'expandtabs', 'translate', 'get', 'pop', 'setdefault',
  'copy', 'items', 'values', 'hex',
]);
/** Functions whose result carries their arguments' values (conversions, containers, encodings). */
const VALUE_CALLS = new Set([
  'str', 'repr', 'ascii', 'format', 'bytes', 'bytearray', 'int', 'float', 'list', 'tuple', 'set', 'frozenset', 'dict', 'sorted', 'reversed',
  'json.dumps', 'json.loads', 'pprint.pformat', 'base64.b64encode', 'base64.urlsafe_b64encode', 'base64.b64decode', 'base64.b16encode',
  'binascii.hexlify', 'urllib.parse.quote', 'urllib.parse.quote_plus', 'urllib.parse.unquote', 'quote', 'quote_plus', 'codecs.encode', 'textwrap.shorten',
]);

const PRINT_FUNCTIONS = new Set(['print', 'pprint', 'pp']);
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log', 'msg']);
const LOGGER_OBJECT = /(?:^|_)(?:log|logs|logger|loggers|logging)$/i;

/** `print`, `logging.info`, `logger.warning`, `app.logger.error`, `sys.stderr.write`...: the callee text, else undefined. */
export function logCallee(scope: Scope, fn: SNode): string | undefined {
  if (fn.type === 'identifier') {
    const b = scope.lookup(fn.text);
    return PRINT_FUNCTIONS.has(fn.text) && (!b || b.k === 'import') ? fn.text : undefined;
  }
  if (fn.type !== 'attribute') return undefined;
  const obj = fn.childForFieldName('object');
  const meth = fn.childForFieldName('attribute')?.text ?? '';
  if (!obj) return undefined;
  const objName = dottedName(obj);
  const lastObj = objName?.split('.').pop() ?? '';
  let hit = false;
  if (LOG_METHODS.has(meth)) {
    if (LOGGER_OBJECT.test(lastObj) || resolve(scope, obj)?.k === 'logging-module') hit = true;
    else if (obj.type === 'call' && /getLogger$|get_logger$/.test(dottedName(obj.childForFieldName('function')) ?? '')) hit = true;
  }
  if ((meth === 'pprint' || meth === 'pp') && lastObj === 'pprint') hit = true;
  if (meth === 'write' && (objName === 'sys.stdout' || objName === 'sys.stderr')) hit = true;
  if ((meth === 'echo' || meth === 'secho') && (lastObj === 'click' || lastObj === 'typer')) hit = true;
  if ((meth === 'print' || meth === 'log') && /console$/i.test(lastObj)) hit = true;
  if (meth === 'warn' && lastObj === 'warnings') hit = true;
  return hit ? calleeText(fn) : undefined;
}

/** After the arguments were visited (their reads recorded): what of the environment reaches the call. */
export function recordLogged(w: Walker, scope: Scope, call: SNode, callee: string, args: readonly SNode[]): void {
  const flow: Flow = { names: [], whole: false };
  for (const a of args) valueFlow(w, scope, a, flow);
  const seen = new Set<string>();
  const names: EnvName[] = [];
  for (const n of flow.names) {
    const key = n.name ?? JSON.stringify(n.parts);
    if (seen.has(key)) continue;
    if (n.name !== undefined ? !isSensitiveEnvName(n.name) : !n.parts?.some((p) => p.kind === 'import')) continue;
    seen.add(key);
    names.push(n);
  }
  if (names.length || flow.whole) w.push('logged', { range: w.range(call), names, wholeEnvironment: flow.whole, callee, wrap: wrapTargets(w, scope, args) });
}

/** A flow carries a sensitive value (by name, or through an import Orchard judges later). */
function sensitive(f: Flow): boolean {
  return f.names.some((n) => (n.name !== undefined ? isSensitiveEnvName(n.name) : n.parts?.some((p) => p.kind === 'import')));
}

/** Expressions whose value is interpolated or passed as is: what `bool(...)` can wrap. */
const WRAPPABLE = new Set(['identifier', 'attribute', 'call', 'subscript']);

/**
 * Where `bool(...)` goes for a logged secret: each argument (keyword values too) that is an
 * expression carrying a sensitive value, and each such f-string interpolation. Strings built by
 * `+` or `%` are left out (no single expression to wrap); then the fix is not offered.
 */
function wrapTargets(w: Walker, scope: Scope, args: readonly SNode[]): import('./types').Range[] {
  const out: import('./types').Range[] = [];
  const visit = (a: SNode, depth: number): void => {
    if (depth > 4) return;
    const n = unparen(a);
    if (n.type === 'keyword_argument') {
      const v = n.childForFieldName('value');
      if (v) visit(v, depth + 1);
      return;
    }
    if (n.type === 'string') {
      for (const c of kids(n)) {
        if (c.type !== 'interpolation') continue;
        const e = kids(c).find((k) => k.type !== '{' && k.type !== '}' && k.type !== 'type_conversion' && k.type !== 'format_specifier' && k.type !== '=');
        if (e) visit(e, depth + 1);
      }
      return;
    }
    if (n.type === 'concatenated_string') {
      for (const c of kids(n)) visit(c, depth + 1);
      return;
    }
    if (!WRAPPABLE.has(n.type)) return;
    const f: Flow = { names: [], whole: false };
    valueFlow(w, scope, n, f);
    if (sensitive(f)) out.push(w.range(n));
  };
  for (const a of args) visit(a, 0);
  return out;
}

/** Names of the environment values an assigned expression carries (for `tracked` bindings). */
export function carried(w: Walker, scope: Scope, value: SNode): EnvName[] {
  const flow: Flow = { names: [], whole: false };
  valueFlow(w, scope, unparen(value), flow);
  return flow.names;
}
