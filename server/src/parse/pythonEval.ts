// Static evaluation of the expressions a config.py builds names and patterns from, as Python would
// evaluate them at import: literals (strings with escapes, f-strings with conversions and format
// specs, numbers, tuples, lists, dicts), names of constants bound before this point, + - * / // % **,
// %-formatting, str methods (lower, replace, "/".join([...]), format...), str()/int()/len()/repr(),
// subscripts and slices, conditional expressions. Anything else stops with the reason and the node.
import type { SNode } from './pythonNode';
import { evalStringLiteral, evalStringNode } from './pythonStrings';
import { equal, isErr, toRepr, toStr, truthy, typeName, type Err, type PyValue } from './pythonValue';
import { convertAndFormat, percentFormat } from './pythonFormat';
import { strMethod } from './pythonStrMethods';

/** A name known in some scope: its value, or why it has no static value. */
export type ConstEntry = { value: PyValue } | { why: string };

export type Lookup = (name: string) => ConstEntry | undefined;

/** How the evaluator reaches its surroundings: names, and calls it does not evaluate itself (Fig constructors). */
export interface EvalEnv {
  lookup: Lookup;
  /** A call the environment evaluates (e.g. `AppFig(...)` → a Fig object); undefined: not one of its calls. */
  call?: (node: SNode) => EvalResult | undefined;
  /** Names bound to modules (`os`, `figgy`): attribute calls on them run only at run time. */
  isModule?: (name: string) => boolean;
  /** An attribute the environment resolves (`BaseFigs.USER`); undefined: not one it knows. */
  attribute?: (node: SNode) => EvalResult | undefined;
}

export type EvalResult =
  | { ok: true; value: PyValue }
  | {
      ok: false;
      node: SNode;
      why: string;
      /** Python itself raises here (TypeError, KeyError...): the program fails at import. */
      raises?: boolean;
      /** The identifier that has no binding in scope (NameError, unless bound where the parser cannot see). */
      unbound?: string;
    };

const MAX_DEPTH = 50;
const MAX_VALUE = 10_000;
const MAX_ITEMS = 1_000;

/** Short single-line source excerpt for messages (source code, never a value read from a store). */
export function excerpt(text: string, max = 40): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function fail(node: SNode, why: string, raises = false): EvalResult {
  return { ok: false, node, why, ...(raises ? { raises } : {}) };
}

export function fromErr(node: SNode, e: Err): EvalResult {
  return fail(node, e.err, e.raises);
}

export function ok(value: PyValue): EvalResult {
  return { ok: true, value };
}

export function named(node: SNode): SNode[] {
  return node.namedChildren.filter((c): c is SNode => c !== null && c.type !== 'comment');
}

/** Evaluates `node`; `requireStr` rejects values that are not str (names must be str). */
export function evalStatic(node: SNode, env: EvalEnv | Lookup, requireStr = true, depth = 0): EvalResult {
  const e: EvalEnv = typeof env === 'function' ? { lookup: env } : env;
  const r = evalNode(node, e, depth);
  if (r.ok && r.value.t === 'str' && r.value.v.length > MAX_VALUE) return fail(node, 'the value is too long');
  if (r.ok && requireStr && r.value.t !== 'str') return fail(node, `\`${excerpt(node.text)}\` is a ${typeName(r.value)}, not a str`);
  return r;
}

function evalNode(node: SNode, env: EvalEnv, depth: number): EvalResult {
  if (depth > MAX_DEPTH) return fail(node, 'the expression is nested too deeply');
  const d = depth + 1;
  switch (node.type) {
    case 'string':
      return evalStringNode(node, env, d, evalNode);
    case 'concatenated_string': {
      let out = '';
      for (const part of named(node)) {
        const r = evalStringLiteral(part, env, d, evalNode);
        if (!r.ok) return r;
        if (r.value.t !== 'str') return fail(part, 'cannot mix bytes and str literals', true);
        out += r.value.v;
        if (out.length > MAX_VALUE) return fail(node, 'the value is too long');
      }
      return ok({ t: 'str', v: out });
    }
    case 'parenthesized_expression': {
      const inner = named(node)[0];
      return inner ? evalNode(inner, env, d) : fail(node, 'empty parentheses');
    }
    case 'integer':
      return evalInteger(node);
    case 'float': {
      const t = node.text.replace(/_/g, '');
      if (/[jJ]$/.test(t)) return fail(node, 'complex numbers are not evaluated statically');
      const v = Number(t);
      return Number.isNaN(v) ? fail(node, 'not a float literal') : ok({ t: 'float', v });
    }
    case 'true':
    case 'false':
      return ok({ t: 'bool', v: node.type === 'true' });
    case 'none':
      return ok({ t: 'none' });
    case 'identifier':
      return evalName(node, env);
    case 'tuple':
    case 'list':
    case 'expression_list':
    case 'pattern_list': {
      const items: PyValue[] = [];
      for (const c of named(node)) {
        if (c.type === 'list_splat') return fail(c, '* unpacking is not evaluated statically');
        const r = evalNode(c, env, d);
        if (!r.ok) return r;
        items.push(r.value);
        if (items.length > MAX_ITEMS) return fail(node, 'too many items');
      }
      return ok({ t: node.type === 'list' ? 'list' : 'tuple', items });
    }
    case 'dictionary': {
      const entries: [PyValue, PyValue][] = [];
      for (const c of named(node)) {
        if (c.type !== 'pair') return fail(c, '** unpacking is not evaluated statically');
        const k = c.childForFieldName('key');
        const v = c.childForFieldName('value');
        if (!k || !v) return fail(c, 'incomplete dictionary entry');
        const kr = evalNode(k, env, d);
        if (!kr.ok) return kr;
        const vr = evalNode(v, env, d);
        if (!vr.ok) return vr;
        const at = entries.findIndex(([x]) => equal(x, kr.value) === true);
        if (at >= 0) entries[at][1] = vr.value;
        else entries.push([kr.value, vr.value]);
      }
      return ok({ t: 'dict', entries });
    }
    case 'unary_operator': {
      const op = node.childForFieldName('operator')?.type;
      const arg = node.childForFieldName('argument');
      if (!arg) return fail(node, 'incomplete expression');
      const r = evalNode(arg, env, d);
      if (!r.ok) return r;
      const v = r.value;
      if (v.t === 'int' || v.t === 'bool') {
        const n = v.t === 'int' ? v.v : BigInt(v.v);
        if (op === '-') return ok({ t: 'int', v: -n });
        if (op === '+') return ok({ t: 'int', v: n });
        if (op === '~') return ok({ t: 'int', v: -n - 1n });
      }
      if (v.t === 'float' && (op === '-' || op === '+')) return ok({ t: 'float', v: op === '-' ? -v.v : v.v });
      return fail(node, `bad operand type for unary ${op}: '${typeName(v)}'`, true);
    }
    case 'not_operator': {
      const arg = node.childForFieldName('argument');
      const r = arg ? evalNode(arg, env, d) : fail(node, 'incomplete expression');
      if (!r.ok) return r;
      const t = truthy(r.value);
      return t === undefined ? fail(node, 'truth value not known statically') : ok({ t: 'bool', v: !t });
    }
    case 'boolean_operator': {
      const op = node.childForFieldName('operator')?.type;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return fail(node, 'incomplete expression');
      const l = evalNode(left, env, d);
      if (!l.ok) return l;
      const t = truthy(l.value);
      if (t === undefined) return fail(left, 'truth value not known statically');
      if ((op === 'and' && !t) || (op === 'or' && t)) return l;
      return evalNode(right, env, d);
    }
    case 'conditional_expression': {
      const [a, cond, b] = named(node);
      if (!a || !cond || !b) return fail(node, 'incomplete expression');
      const c = evalNode(cond, env, d);
      if (!c.ok) return c;
      const t = truthy(c.value);
      if (t === undefined) return fail(cond, 'truth value not known statically');
      return evalNode(t ? a : b, env, d);
    }
    case 'comparison_operator':
      return evalComparison(node, env, d);
    case 'binary_operator':
      return evalBinary(node, env, d);
    case 'subscript':
      return evalSubscript(node, env, d);
    case 'call':
      return evalCall(node, env, d);
    case 'attribute':
      return env.attribute?.(node) ?? fail(node, `\`${excerpt(node.text)}\` is an attribute, evaluated only at run time`);
    default:
      return fail(node, `\`${excerpt(node.text)}\` is not a static value`);
  }
}

function evalInteger(node: SNode): EvalResult {
  const t = node.text.replace(/_/g, '').toLowerCase();
  if (/[jl]$/.test(t)) return fail(node, `\`${excerpt(node.text)}\` is not an int literal`);
  try {
    if (/^0[box]/.test(t)) return ok({ t: 'int', v: BigInt(t) });
    if (/^\d+$/.test(t)) return ok({ t: 'int', v: BigInt(t) });
  } catch {
    /* fall through */
  }
  return fail(node, `\`${excerpt(node.text)}\` is not an int literal`);
}

function evalName(node: SNode, env: EvalEnv): EvalResult {
  const name = node.text;
  const entry = env.lookup(name);
  if (!entry) return { ok: false, node, why: `\`${name}\` is not defined at this point`, unbound: name };
  if ('why' in entry) return fail(node, `\`${name}\` has no static value (${entry.why})`);
  return ok(entry.value);
}

function evalComparison(node: SNode, env: EvalEnv, d: number): EvalResult {
  const operands = named(node);
  const ops = node.children.filter((c): c is SNode => c !== null && !c.isNamed).map((c) => c.type);
  if (ops.length !== operands.length - 1) return fail(node, 'comparison chains are not evaluated statically');
  let prev = evalNode(operands[0], env, d);
  if (!prev.ok) return prev;
  for (let i = 0; i < ops.length; i++) {
    const next = evalNode(operands[i + 1], env, d);
    if (!next.ok) return next;
    const op = ops[i];
    if (op !== '==' && op !== '!=') return fail(node, `the comparison \`${op}\` is not evaluated statically`);
    const e = equal(prev.value, next.value);
    if (e === undefined) return fail(node, 'the comparison is not known statically');
    if ((op === '==') !== e) return ok({ t: 'bool', v: false });
    prev = next;
  }
  return ok({ t: 'bool', v: true });
}

function asInt(v: PyValue): bigint | undefined {
  return v.t === 'int' ? v.v : v.t === 'bool' ? BigInt(v.v) : undefined;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

function evalBinary(node: SNode, env: EvalEnv, d: number): EvalResult {
  const op = node.childForFieldName('operator')?.type ?? '';
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  if (!left || !right) return fail(node, 'incomplete expression');
  const l = evalNode(left, env, d);
  if (!l.ok) return l;
  const r = evalNode(right, env, d);
  if (!r.ok) return r;
  const a = l.value;
  const b = r.value;
  const bad = () => fail(node, `unsupported operand types for ${op}: '${typeName(a)}' and '${typeName(b)}'`, a.t !== 'fig' && b.t !== 'fig');
  if (op === '%' && a.t === 'str') {
    const s = percentFormat(a.v, b);
    return isErr(s) ? fromErr(node, s) : ok({ t: 'str', v: s });
  }
  if (a.t === 'str' && b.t === 'str') return op === '+' ? ok({ t: 'str', v: a.v + b.v }) : bad();
  if ((a.t === 'list' && b.t === 'list') || (a.t === 'tuple' && b.t === 'tuple')) {
    return op === '+' ? ok({ t: a.t, items: [...a.items, ...b.items] }) : bad();
  }
  const ia = asInt(a);
  const ib = asInt(b);
  if (op === '*' && (a.t === 'str' || a.t === 'list' || a.t === 'tuple') && ib !== undefined) return repeat(node, a, ib);
  if (op === '*' && (b.t === 'str' || b.t === 'list' || b.t === 'tuple') && ia !== undefined) return repeat(node, b, ia);
  if (ia !== undefined && ib !== undefined) {
    switch (op) {
      case '+':
        return ok({ t: 'int', v: ia + ib });
      case '-':
        return ok({ t: 'int', v: ia - ib });
      case '*':
        return ok({ t: 'int', v: ia * ib });
      case '//':
        return ib === 0n ? fail(node, 'integer division or modulo by zero', true) : ok({ t: 'int', v: floorDiv(ia, ib) });
      case '%':
        return ib === 0n ? fail(node, 'integer division or modulo by zero', true) : ok({ t: 'int', v: ia - floorDiv(ia, ib) * ib });
      case '**':
        return ib < 0n || ib > 64n ? fail(node, 'this power is not evaluated statically') : ok({ t: 'int', v: ia ** ib });
      default:
        return fail(node, `the operator ${op} is not evaluated statically`);
    }
  }
  return bad();
}

function repeat(node: SNode, v: PyValue, n: bigint): EvalResult {
  const times = n < 0n ? 0 : Number(n);
  if (v.t === 'str') {
    if (v.v.length * times > MAX_VALUE) return fail(node, 'the value is too long');
    return ok({ t: 'str', v: v.v.repeat(times) });
  }
  if (v.t === 'list' || v.t === 'tuple') {
    if (v.items.length * times > MAX_ITEMS) return fail(node, 'too many items');
    const items: PyValue[] = [];
    for (let i = 0; i < times; i++) items.push(...v.items);
    return ok({ t: v.t, items });
  }
  return fail(node, 'cannot repeat this value');
}

function evalSubscript(node: SNode, env: EvalEnv, d: number): EvalResult {
  const valueNode = node.childForFieldName('value');
  const subs = named(node).filter((c) => c !== valueNode && c.id !== valueNode?.id);
  if (!valueNode || subs.length !== 1) return fail(node, 'this subscript is not evaluated statically');
  const base = evalNode(valueNode, env, d);
  if (!base.ok) return base;
  const v = base.value;
  const sub = subs[0];
  const seq: PyValue[] | string[] | undefined = v.t === 'str' ? Array.from(v.v) : v.t === 'list' || v.t === 'tuple' ? v.items : undefined;
  if (sub.type === 'slice') {
    if (!seq) return fail(node, `cannot slice a ${typeName(v)}`, true);
    const parts: (bigint | undefined)[] = [];
    // slice children: [start] ':' [stop] [':' [step]]
    let cur: bigint | undefined;
    let seen = 0;
    for (const c of sub.children) {
      if (!c) continue;
      if (c.type === ':') {
        parts.push(cur);
        cur = undefined;
        seen++;
        continue;
      }
      const r = evalNode(c, env, d);
      if (!r.ok) return r;
      const n = r.value.t === 'none' ? undefined : asInt(r.value);
      if (n === undefined && r.value.t !== 'none') return fail(c, 'slice indices must be integers', true);
      cur = n;
    }
    parts.push(cur);
    if (seen > 2) return fail(sub, 'invalid slice');
    const items = sliceOf(seq.length, parts[0], parts[1], parts[2]);
    if (!items) return fail(sub, 'slice step cannot be zero', true);
    if (v.t === 'str') return ok({ t: 'str', v: items.map((i) => (seq as string[])[i]).join('') });
    return ok({ t: v.t as 'list' | 'tuple', items: items.map((i) => (seq as PyValue[])[i]) });
  }
  const k = evalNode(sub, env, d);
  if (!k.ok) return k;
  if (v.t === 'dict') {
    const hit = v.entries.find(([x]) => equal(x, k.value) === true);
    return hit ? ok(hit[1]) : fail(sub, `KeyError: ${excerpt(sub.text)}`, true);
  }
  const i = asInt(k.value);
  if (!seq || i === undefined) return fail(node, `\`${excerpt(node.text)}\` is not evaluated statically`, Boolean(seq));
  const at = i < 0n ? BigInt(seq.length) + i : i;
  if (at < 0n || at >= BigInt(seq.length)) return fail(sub, 'index out of range', true);
  const el = seq[Number(at)];
  return ok(typeof el === 'string' ? { t: 'str', v: el } : el);
}

/** Indices selected by a Python slice over a sequence of `len` items; undefined for step 0. */
function sliceOf(len: number, start?: bigint, stop?: bigint, step?: bigint): number[] | undefined {
  const st = step === undefined ? 1 : Number(step);
  if (st === 0) return undefined;
  const norm = (x: bigint | undefined, dflt: number, lo: number, hi: number): number => {
    if (x === undefined) return dflt;
    let n = Number(x);
    if (n < 0) n += len;
    return Math.min(Math.max(n, lo), hi);
  };
  const out: number[] = [];
  if (st > 0) {
    const a = norm(start, 0, 0, len);
    const b = norm(stop, len, 0, len);
    for (let i = a; i < b; i += st) out.push(i);
  } else {
    const a = norm(start, len - 1, -1, len - 1);
    const b = norm(stop, -1, -1, len - 1);
    for (let i = a; i > b; i += st) out.push(i);
  }
  return out;
}

interface Args {
  args: PyValue[];
  kwargs: Map<string, PyValue>;
}

function evalArgs(node: SNode | null, env: EvalEnv, d: number): { ok: true; value: Args } | Extract<EvalResult, { ok: false }> {
  const out: Args = { args: [], kwargs: new Map() };
  if (!node) return { ok: true, value: out };
  if (node.type !== 'argument_list') return fail(node, 'generator arguments are not evaluated statically') as Extract<EvalResult, { ok: false }>;
  for (const a of named(node)) {
    if (a.type === 'keyword_argument') {
      const n = a.childForFieldName('name');
      const v = a.childForFieldName('value');
      if (!n || !v) return fail(a, 'incomplete argument') as Extract<EvalResult, { ok: false }>;
      const r = evalNode(v, env, d);
      if (!r.ok) return r;
      out.kwargs.set(n.text, r.value);
    } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
      return fail(a, '* and ** arguments are not evaluated statically') as Extract<EvalResult, { ok: false }>;
    } else {
      const r = evalNode(a, env, d);
      if (!r.ok) return r;
      out.args.push(r.value);
    }
  }
  return { ok: true, value: out };
}

const BUILTIN_CALLS = new Set(['str', 'repr', 'ascii', 'int', 'len', 'format']);

function evalCall(node: SNode, env: EvalEnv, d: number): EvalResult {
  const hooked = env.call?.(node);
  if (hooked) return hooked;
  const fn = node.childForFieldName('function');
  const argsNode = node.childForFieldName('arguments');
  if (!fn) return fail(node, 'incomplete call');
  if (fn.type === 'attribute') {
    const obj = fn.childForFieldName('object');
    const meth = fn.childForFieldName('attribute');
    if (!obj || !meth) return fail(node, 'incomplete call');
    if (obj.type === 'identifier' && env.isModule?.(obj.text) && !env.lookup(obj.text)) {
      return fail(node, `\`${excerpt(node.text)}\` is a call, evaluated only at run time`);
    }
    const target = evalNode(obj, env, d);
    if (!target.ok) return target.raises || target.unbound ? target : fail(node, `\`${excerpt(node.text)}\` is a call, evaluated only at run time`);
    if (target.value.t !== 'str') return fail(node, `\`${excerpt(node.text)}\`: methods of a ${typeName(target.value)} are not evaluated statically`);
    const a = evalArgs(argsNode, env, d);
    if (!a.ok) return a;
    const r = strMethod(target.value.v, meth.text, a.value.args, a.value.kwargs);
    return isErr(r) ? fromErr(node, r) : ok(r);
  }
  if (fn.type === 'identifier' && BUILTIN_CALLS.has(fn.text) && !env.lookup(fn.text)) {
    const a = evalArgs(argsNode, env, d);
    if (!a.ok) return a;
    return builtinCall(node, fn.text, a.value);
  }
  return fail(node, `\`${excerpt(node.text)}\` is a call, evaluated only at run time`);
}

function builtinCall(node: SNode, name: string, { args, kwargs }: Args): EvalResult {
  if (kwargs.size > 0) return fail(node, `keyword arguments to ${name}() are not evaluated statically`);
  const [x, y] = args;
  switch (name) {
    case 'str':
    case 'repr':
    case 'ascii': {
      if (!x) return ok({ t: 'str', v: '' });
      const s = name === 'str' ? toStr(x) : toRepr(x, name === 'ascii');
      return isErr(s) ? fromErr(node, s) : ok({ t: 'str', v: s });
    }
    case 'int': {
      if (!x) return ok({ t: 'int', v: 0n });
      if (x.t === 'int') return ok(x);
      if (x.t === 'bool') return ok({ t: 'int', v: BigInt(x.v) });
      if (x.t === 'str' && !y && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(x.v)) return ok({ t: 'int', v: BigInt(x.v.trim().replace(/_/g, '')) });
      return fail(node, `\`${excerpt(node.text)}\` is not evaluated statically`, x.t === 'str');
    }
    case 'len': {
      if (!x) return fail(node, 'len() takes exactly one argument', true);
      if (x.t === 'str') return ok({ t: 'int', v: BigInt(Array.from(x.v).length) });
      if (x.t === 'list' || x.t === 'tuple') return ok({ t: 'int', v: BigInt(x.items.length) });
      if (x.t === 'dict') return ok({ t: 'int', v: BigInt(x.entries.length) });
      return fail(node, `object of type '${typeName(x)}' has no len()`, x.t !== 'fig');
    }
    case 'format': {
      if (!x) return fail(node, 'format() needs a value', true);
      const spec = y === undefined ? '' : y.t === 'str' ? y.v : undefined;
      if (spec === undefined) return fail(node, 'format() spec must be a str', true);
      const s = convertAndFormat(x, undefined, spec);
      return isErr(s) ? fromErr(node, s) : ok({ t: 'str', v: s });
    }
  }
  return fail(node, `\`${name}()\` is not evaluated statically`);
}
