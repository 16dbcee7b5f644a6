// Expressions that read or write the environment: os.environ / getenv forms, typed wrappers,
// the library and Flask calls of pythonEnvLibs.ts, whole-environment uses, print/logging calls,
// and calls that may be workspace helpers. Works on mirrored statements; the statement walker
// (pythonEnv.ts) calls visit() on each expression it keeps.
import type { EnvNamePart, PyCandidateCall, ValueParse } from './envTypes';
import type { SNode } from './pythonNode';
import { ANY_READ, arg, argsOf, dictEntries, dictKeys, emitRead, nameOf, writeEntries, writeTo, type Args, type ReadSpec, type Walker } from './pythonEnvCtx';
import { FLASK_CONFIG_LOADERS, castParse, configText, decouple, djenvCall, dotenv, flaskBase, flaskConfigCall, flaskEnv, flaskPrefixed, isConfigObject, libraryRead, starletteRead, authlibRegister, mitolInit, mitolRead } from './pythonEnvLibs';
import { helperShape, isUpperSnake, kids, literalString, unparen } from './pythonEnvNames';
import { calleeText, isEnviron, resolve, type Scope } from './pythonEnvScope';
import { logCallee, recordLogged } from './pythonEnvLog';
import { callSwitchKey, provenSet, switchNames, underGuard } from './pythonEnvGuards';
import { passedToConstructor } from './pythonEnvSettings';
import { ATTRIBUTE_READ, djangoDynaconf, dynaconfAttribute, dynaconfGet, dynaconfItem } from './pythonEnvDynaconf';
import { everettRead } from './pythonEnvEverett';

const MAX_DEPTH = 200;

function visitAll(w: Walker, scope: Scope, nodes: readonly SNode[], depth: number, except?: readonly (SNode | undefined)[]): void {
  for (const c of nodes) if (!except || !except.includes(c)) visit(w, scope, c, 'unknown', depth + 1);
}

/** Visits an expression for reads, writes and logged values; `parse` is what a wrapper makes of its value. */
export function visit(w: Walker, scope: Scope, n: SNode, parse: ValueParse = 'unknown', depth = 0): void {
  if (depth > MAX_DEPTH || !w.tick()) return;
  switch (n.type) {
    case 'call':
      return visitCall(w, scope, n, parse, depth);
    case 'subscript':
      return visitSubscript(w, scope, n, parse, depth);
    case 'comparison_operator':
      return visitComparison(w, scope, n, depth);
    case 'identifier': {
      const b = scope.lookup(n.text);
      if (b?.k === 'environ') w.whole(n);
      else if (b?.k === 'tracked' || b?.k === 'env-copy') w.flow++;
      return;
    }
    case 'attribute': {
      if (isEnviron(scope, n)) return w.whole(n);
      const obj = n.childForFieldName('object');
      const ob = obj ? resolve(scope, obj) : undefined;
      if (ob?.k === 'dynaconf' && dynaconfAttribute(w, scope, n, ob.prefix, parse)) return;
      if (ob?.k === 'import' && obj?.type === 'identifier') importedAttribute(w, n, obj, parse);
      if (obj) visit(w, scope, obj, 'unknown', depth + 1);
      return;
    }
    case 'string':
      for (const c of kids(n)) {
        if (c.type !== 'interpolation') continue;
        const e = c.childForFieldName('expression');
        if (e) visit(w, scope, e, 'str', depth + 1);
      }
      return;
    case 'boolean_operator': {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (left && right && n.childForFieldName('operator')?.type === 'or') {
        // `os.environ.get("X") or "fallback"`: the fallback is the read's default.
        const outer = w.orDefault;
        w.orDefault = { read: unparen(left), value: right };
        try {
          visit(w, scope, left, parse, depth + 1);
        } finally {
          w.orDefault = outer;
        }
        return visit(w, scope, right, parse, depth + 1);
      }
      if (left && right && n.childForFieldName('operator')?.type === 'and') {
        // `"X" in os.environ and os.environ["X"]`: the right side runs only when the left is true.
        visit(w, scope, left, parse, depth + 1);
        return underGuard(w, provenSet(w, left), () => visit(w, scope, right, parse, depth + 1), switchNames(w, left, scope));
      }
      for (const c of kids(n)) visit(w, scope, c, parse, depth + 1);
      return;
    }
    case 'parenthesized_expression':
      for (const c of kids(n)) visit(w, scope, c, parse, depth + 1);
      return;
    case 'conditional_expression': {
      const [a, cond, b] = kids(n);
      // The condition first: what it proves set guards `a` (`os.environ["X"] if "X" in os.environ else d`).
      if (cond) visit(w, scope, cond, 'unknown', depth + 1);
      if (a) underGuard(w, cond ? provenSet(w, cond) : [], () => visit(w, scope, a, parse, depth + 1), cond ? switchNames(w, cond, scope) : []);
      if (b) visit(w, scope, b, parse, depth + 1);
      return;
    }
    case 'keyword_argument': {
      const v = n.childForFieldName('value');
      if (v) visit(w, scope, v, 'unknown', depth + 1);
      return;
    }
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
    case 'comment':
      return;
    default:
      for (const c of kids(n)) visit(w, scope, c, 'unknown', depth + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// calls

const BUILTIN_WRAPPERS: Record<string, ValueParse> = { int: 'int', float: 'float', bool: 'bool', str: 'str', Path: 'path', PurePath: 'path', urlparse: 'url', urlsplit: 'url' };
/** Builtins that look only at the environment's names (or its size), never at its values. */
const KEYS_ONLY = new Set(['len', 'list', 'sorted', 'set', 'frozenset', 'tuple', 'iter', 'bool']);
const TRANSPARENT = new Set(['lower', 'upper', 'strip', 'lstrip', 'rstrip', 'casefold', 'title', 'capitalize']);
const BOOL_ADAPTER = /^(?:bool|boolean|to_bool|tobool|as_bool|asbool|str2bool|strtobool|str_to_bool|parse_bool|get_bool|getbool|env_bool|is_true|truthy)$/i;
const NO_CANDIDATE = new Set([
  'print', 'getattr', 'setattr', 'hasattr', 'delattr', 'isinstance', 'issubclass', 'str', 'int', 'float', 'bool', 'len', 'dict', 'list', 'tuple', 'set',
  'frozenset', 'type', 'super', 'repr', 'format', 'open', 'range', 'enumerate', 'zip', 'map', 'filter', 'sorted', 'min', 'max', 'sum', 'any', 'all',
  'iter', 'next', 'vars', 'id', 'hash', 'callable', 'globals', 'locals', 'exec', 'eval', 'compile', '__import__',
]);

function visitCall(w: Walker, scope: Scope, n: SNode, parse: ValueParse, depth: number): void {
  const fn = n.childForFieldName('function');
  if (!fn) return visitAll(w, scope, kids(n), depth);
  const a = argsOf(n);
  const b = resolve(scope, fn);
  if (b) {
    switch (b.k) {
      case 'getenv':
        read(w, scope, n, a, 'getenv', 'key', parse);
        return visitAll(w, scope, a.all, depth);
      case 'putenv': {
        const name = arg(a, 0, 'key');
        if (name) writeTo(w, scope, name, n, arg(a, 1, 'value'));
        return visitAll(w, scope, a.all, depth);
      }
      case 'load-dotenv':
        dotenv(w, n, arg(a, 0, 'dotenv_path'));
        return visitAll(w, scope, a.all, depth);
      case 'djdb-config':
        libraryRead(w, scope, n, fn, a, 'DATABASE_URL', 'env', 'url', false);
        return visitAll(w, scope, a.all, depth);
      case 'decouple-config':
        decouple(w, scope, n, a, parse);
        return visitAll(w, scope, a.all, depth);
      case 'flask-env':
        flaskEnv(w, scope, n, a, parse);
        return visitAll(w, scope, a.all, depth);
      case 'flask-base':
        flaskBase(w, scope, n, fn);
        return visitAll(w, scope, a.all, depth);
      case 'starlette-config':
        starletteRead(w, scope, n, a, b.prefix, parse);
        return visitAll(w, scope, a.all, depth);
      case 'authlib-register':
        authlibRegister(w, scope, n, a, b.prefix);
        return visitAll(w, scope, a.all, depth);
      case 'mitol-get':
        mitolRead(w, scope, n, a, b.parse);
        return visitAll(w, scope, a.all, depth);
      case 'dynaconf-get':
        dynaconfGet(w, scope, n, a, b.prefix, b.parse !== 'unknown' ? b.parse : parse);
        return visitAll(w, scope, a.all, depth);
      case 'everett':
        everettRead(w, scope, n, a, b.prefix, parse, castParse);
        return visitAll(w, scope, a.all, depth);
      case 'dynaconf-django':
        djangoDynaconf(w, scope, n, a, dotenv);
        return visitAll(w, scope, a.all, depth);
      case 'mitol-init':
        mitolInit(w, scope, n, fn, a);
        return visitAll(w, scope, a.all, depth);
      case 'mitol-features':
        // Every FEATURE_* variable, whatever its name: what the app reads is then not fully known.
        w.push('passesWholeEnvironment', w.range(n));
        return visitAll(w, scope, a.all, depth);
      case 'starlette-secret':
        w.inSecret++;
        try {
          return wrap(w, scope, a, parse, depth);
        } finally {
          w.inSecret--;
        }
      case 'json-loads':
        return wrap(w, scope, a, 'json', depth);
      case 'bool-adapter':
        return wrap(w, scope, a, 'bool', depth);
      case 'djenv':
        djenvCall(w, scope, n, fn, b.env, '__call__', a, parse);
        return visitAll(w, scope, a.all, depth);
      case 'model-class': {
        // `Settings(_env_file=".env")`: pydantic-settings loads that file for this instance.
        const file = a.kw.get('_env_file');
        if (b.cls.settings && file && file.type !== 'none') dotenv(w, n, file);
        passedToConstructor(w, b.cls, a, n);
        return visitAll(w, scope, a.all, depth);
      }
      case 'tracked':
      case 'param':
      case 'other':
      case 'import':
      case 'module':
      case 'function':
        break;
      default:
        return visitAll(w, scope, a.all, depth);
    }
  }
  if (fn.type === 'identifier' && !scope.lookup(fn.text)) {
    const name = fn.text;
    const wrapper = BUILTIN_WRAPPERS[name];
    if (wrapper) return wrap(w, scope, a, wrapper, depth);
    if (KEYS_ONLY.has(name) && a.pos.length === 1 && isEnviron(scope, a.pos[0], true)) return;
  }
  if (fn.type === 'attribute') {
    const obj = fn.childForFieldName('object');
    const meth = fn.childForFieldName('attribute')?.text ?? '';
    if (obj && handleMethod(w, scope, n, fn, obj, meth, a, parse, depth)) return;
  }
  const log = logCallee(scope, fn);
  if (log) {
    w.inLog++;
    try {
      visitAll(w, scope, a.all, depth);
    } finally {
      w.inLog--;
    }
    return recordLogged(w, scope, n, log, a.all);
  }
  candidate(w, scope, n, fn, a, parse);
  visit(w, scope, fn, 'unknown', depth + 1);
  visitAll(w, scope, a.all, depth);
}

/** Method calls with a meaning; false when `obj.meth(...)` is an ordinary call. */
function handleMethod(w: Walker, scope: Scope, n: SNode, fn: SNode, obj: SNode, meth: string, a: Args, parse: ValueParse, depth: number): boolean {
  const ob = resolve(scope, obj);
  if (ob && (ob.k === 'environ' || ob.k === 'env-copy')) {
    environMethod(w, scope, n, meth, a, parse, ob.k === 'environ', depth);
    return true;
  }
  if (ob?.k === 'djenv') {
    if (meth === 'read_env') dotenv(w, n, arg(a, 0, 'env_file') ?? a.kw.get('path'));
    // envparse: `.env` beside the calling module, else in the nearest folder above that has one.
    else if (meth === 'read_envfile' && ob.env.flavor === 'envparse') dotenv(w, n, arg(a, 0, 'path'));
    else if (meth !== 'prefix') djenvCall(w, scope, n, fn, ob.env, meth, a, parse);
    visitAll(w, scope, a.all, depth);
    return true;
  }
  if (ob?.k === 'djenv-class' && (meth === 'read_env' || (meth === 'read_envfile' && ob.flavor === 'envparse'))) {
    dotenv(w, n, ob.flavor === 'envparse' ? arg(a, 0, 'path') : (arg(a, 0, 'env_file') ?? a.kw.get('path')));
    visitAll(w, scope, a.all, depth);
    return true;
  }
  if (meth === 'from_prefixed_env') {
    flaskPrefixed(w, scope, n, obj, a);
    visitAll(w, scope, a.all, depth);
    return true;
  }
  if (isConfigObject(obj) && (meth === 'get' || meth === 'update' || meth === 'from_mapping' || meth === 'setdefault' || FLASK_CONFIG_LOADERS.has(meth))) {
    flaskConfigCall(w, scope, n, obj, meth, a);
    visitAll(w, scope, a.all, depth, meth === 'get' ? [a.pos[0]] : undefined);
    return true;
  }
  if (TRANSPARENT.has(meth)) {
    visit(w, scope, obj, parse, depth + 1);
    visitAll(w, scope, a.all, depth);
    return true;
  }
  if (meth === 'split' || meth === 'splitlines') {
    visit(w, scope, obj, 'list', depth + 1);
    visitAll(w, scope, a.all, depth);
    return true;
  }
  if (logCallee(scope, fn)) return false;
  // `env_adapter.bool(os.getenv("X"))`, `utils.to_int(...)`: a value adapter around a read.
  const adapted: ValueParse | undefined = BOOL_ADAPTER.test(meth) ? 'bool' : meth === 'int' || meth === 'to_int' ? 'int' : meth === 'float' ? 'float' : undefined;
  if (adapted && a.pos.length > 0) {
    candidate(w, scope, n, fn, a, parse);
    visit(w, scope, obj, 'unknown', depth + 1);
    wrap(w, scope, a, adapted, depth);
    return true;
  }
  return false;
}

/** `int(x)`, `json.loads(x)`: the first argument's value is parsed so. */
function wrap(w: Walker, scope: Scope, a: Args, parse: ValueParse, depth: number): void {
  const first = a.pos[0];
  if (first) visit(w, scope, first, parse, depth + 1);
  visitAll(w, scope, a.all, depth, [first]);
}

function read(w: Walker, scope: Scope, n: SNode, a: Args, via: ReadSpec['via'], keyKw: string, parse: ValueParse): void {
  const key = arg(a, 0, keyKw);
  if (!key) return;
  const def = arg(a, 1, 'default');
  emitRead(w, scope, { value: nameOf(scope, key), nameRange: w.range(key), node: n, via, required: false, defaultNode: def, parse });
}

function environMethod(w: Walker, scope: Scope, n: SNode, meth: string, a: Args, parse: ValueParse, real: boolean, depth: number): void {
  const key = arg(a, 0, 'key');
  const def = arg(a, 1, 'default');
  let via: ReadSpec['via'];
  let required = false;
  let withDefault = true;
  switch (meth) {
    case 'get':
      via = 'environ-get';
      break;
    case 'pop':
      via = 'environ-get';
      required = !def;
      break;
    case 'setdefault':
      via = 'setdefault';
      break;
    case '__getitem__':
      via = 'environ-subscript';
      required = true;
      withDefault = false;
      break;
    case '__contains__':
      via = 'contains';
      withDefault = false;
      break;
    case 'update':
      if (real) environUpdate(w, scope, a, n);
      return visitAll(w, scope, a.all, depth);
    case 'copy':
    case 'items':
    case 'values':
    case '__iter__':
      w.whole(n);
      return visitAll(w, scope, a.all, depth);
    default:
      return visitAll(w, scope, a.all, depth);
  }
  const entries = key ? dictKeys(scope, key) : undefined;
  if (key && entries) {
    // A loop over a dict of names (`for k, v in DEFAULTS.items(): os.environ.setdefault(k, v)`): each one.
    for (const e of entries) emitRead(w, scope, { value: { kind: 'static', value: e.key, isStr: true }, nameRange: w.range(key), node: n, via, required, parse });
  } else if (key) emitRead(w, scope, { value: nameOf(scope, key), nameRange: w.range(key), node: n, via, required, defaultNode: withDefault ? def : undefined, parse });
  // `os.environ.setdefault(NAME, v)` also sets NAME when it is unset: from there on the code provides it.
  if (key && real && meth === 'setdefault') writeTo(w, scope, key, n, def);
  visitAll(w, scope, a.all, depth);
}

function environUpdate(w: Walker, scope: Scope, a: Args, n: SNode): void {
  const first = a.pos[0] ? unparen(a.pos[0]) : undefined;
  const named = first ? dictEntries(scope, first, 'str-dict') : undefined;
  if (first && named) writeEntries(w, named, first, n);
  // `os.environ.update(values)`: names known only at run time.
  else if (first && first.type !== 'dictionary') w.push('dynamicWrites', w.range(n));
  if (first?.type === 'dictionary') {
    for (const pair of kids(first)) {
      if (pair.type !== 'pair') continue;
      const k = pair.childForFieldName('key');
      if (k) writeTo(w, scope, k, pair, pair.childForFieldName('value') ?? undefined);
    }
  }
  for (const c of a.all) {
    if (c.type !== 'keyword_argument') continue;
    const k = c.childForFieldName('name');
    if (k) writeTo(w, scope, k, c, c.childForFieldName('value') ?? undefined, k.text);
  }
}

// ---------------------------------------------------------------------------------------------
// subscripts, comparisons

function visitSubscript(w: Walker, scope: Scope, n: SNode, parse: ValueParse, depth: number): void {
  const value = n.childForFieldName('value');
  const key = n.childForFieldName('subscript');
  if (value && key && isEnviron(scope, value, true)) {
    emitRead(w, scope, { value: nameOf(scope, key), nameRange: w.range(key), node: n, via: 'environ-subscript', required: true, parse });
    return;
  }
  const vb = value && key ? resolve(scope, value) : undefined;
  if (vb?.k === 'dynaconf') {
    dynaconfItem(w, scope, n, key!, vb.prefix, parse);
    return;
  }
  if (value && key && isConfigObject(value)) {
    const k = nameOf(scope, key);
    if (k.kind === 'static' && k.isStr) {
      w.push('flaskConfigReads', { config: configText(value), key: k.value, keyRange: w.range(key), range: w.range(n), required: true });
      return;
    }
  }
  visitAll(w, scope, kids(n), depth);
}

const BOOLISH = /^(?:1|0|true|false|yes|no|on|off|y|n|t|f|enabled?|disabled?)$/i;

function visitComparison(w: Walker, scope: Scope, n: SNode, depth: number): void {
  const operands = kids(n);
  const ops = n.children.filter((c): c is SNode => !!c && !c.isNamed).map((c) => c.type);
  if (operands.length === 2 && ops.length === 1) {
    const [left, right] = operands;
    const op = ops[0];
    if ((op === 'in' || op === 'not in') && (isEnviron(scope, right, true) || isEnvironKeys(scope, right))) {
      emitRead(w, scope, { value: nameOf(scope, left), nameRange: w.range(left), node: n, via: 'contains', required: false, parse: 'unknown' });
      visit(w, scope, left, 'unknown', depth + 1);
      return;
    }
    if (op === 'in' || op === 'not in' || op === '==' || op === '!=') {
      const lits = boolLiterals(right);
      if (lits) {
        visit(w, scope, left, 'bool', depth + 1);
        return;
      }
      if (boolLiterals(left)) {
        visit(w, scope, right, 'bool', depth + 1);
        return;
      }
    }
  }
  visitAll(w, scope, operands, depth);
}

function isEnvironKeys(scope: Scope, n: SNode): boolean {
  const u = unparen(n);
  if (u.type !== 'call') return false;
  const fn = u.childForFieldName('function');
  return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'keys' && isEnviron(scope, fn.childForFieldName('object'), true);
}

/** A string literal or a tuple/list/set of them, all bool-like (`("1", "true", "yes")`). */
function boolLiterals(n: SNode): boolean {
  const u = unparen(n);
  const items = u.type === 'tuple' || u.type === 'list' || u.type === 'set' ? kids(u) : [u];
  if (!items.length) return false;
  return items.every((i) => {
    const s = i.type === 'string' ? literalString(i) : undefined;
    return s !== undefined && BOOLISH.test(s);
  });
}

// ---------------------------------------------------------------------------------------------
// candidate helper calls

/**
 * `settings.DATABASE_URL` on an imported name: recorded as a call of its `__getattr__` with that
 * name, which the model resolves when the name is a reader object another module defines (a
 * dynaconf instance). UPPER_SNAKE attributes only: they are how settings are spelled.
 */
function importedAttribute(w: Walker, n: SNode, obj: SNode, parse: ValueParse): void {
  const attr = n.childForFieldName('attribute');
  if (!attr || !isUpperSnake(attr.text)) return;
  w.push('calls', { callee: `${obj.text}.${ATTRIBUTE_READ}`, range: w.range(n), args: [{ index: 0, name: { name: attr.text, range: w.range(attr) } }], keywords: [], argCount: 1, parse });
}

/**
 * Any other call that passes something name-like (an UPPER_SNAKE literal or constant, an imported
 * identifier, an f-string of those) may be a workspace helper: recorded for the model to match.
 * Inside a function, a call passing a parameter-derived name is remembered as a forward.
 */
function candidate(w: Walker, scope: Scope, n: SNode, fn: SNode, a: Args, parse: ValueParse): void {
  if (fn.type === 'identifier' && NO_CANDIDATE.has(fn.text) && !scope.lookup(fn.text)) return;
  if (!a.pos.length) return;
  const args: PyCandidateCall['args'] = [];
  const fnInfo = scope.function;
  const limit = Math.min(a.pos.length, 8);
  for (let i = 0; i < limit; i++) {
    const p = a.pos[i];
    if (p.type !== 'string' && p.type !== 'identifier' && p.type !== 'attribute' && p.type !== 'binary_operator' && p.type !== 'concatenated_string') continue;
    const v = nameOf(scope, p);
    if (v.kind === 'static') {
      if (v.isStr && isUpperSnake(v.value)) args.push({ index: i, name: { name: v.value, range: w.range(p) } });
    } else if (v.kind === 'parts') {
      const shape = helperShape(v);
      if (shape && fnInfo && fn.type === 'identifier') {
        const next = a.pos[i + 1] ? unparen(a.pos[i + 1]) : undefined;
        const nb = next?.type === 'identifier' ? scope.lookup(next.text) : undefined;
        fnInfo.forwards.push({
          callee: fn.text,
          argIndex: i,
          param: shape.index,
          paramName: shape.name,
          prefix: shape.prefix,
          suffix: shape.suffix,
          parse,
          defaultParam: nb?.k === 'param' ? nb.index : undefined,
        });
      } else if (!shape && !v.parts.some((x) => x.kind === 'param')) {
        args.push({ index: i, name: { parts: v.parts as EnvNamePart[], range: w.range(p) } });
      }
    }
  }
  if (!args.length) return;
  const call: PyCandidateCall = { callee: calleeText(fn), range: w.range(n), args, keywords: a.kwNames, argCount: a.pos.length, parse };
  // What a read here would be under: the model makes the call's reads optional or switched the same way.
  const guards = w.guards.length ? w.guards.filter((g) => g === ANY_READ || !g.startsWith('\u0000')) : w.guards;
  if (guards.length) call.guards = [...new Set(guards.map((g) => (g === ANY_READ ? '*' : g)))];
  if (w.switches.length) call.requiredWhen = [...new Set(w.switches)];
  w.push('calls', call);
  const first = args.find((x) => x.name.name !== undefined);
  if (first) w.callKeys.set(n.id, callSwitchKey(call.callee, first.index, first.name.name!));
}
