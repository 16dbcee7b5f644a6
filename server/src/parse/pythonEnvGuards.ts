// Presence tests that guard a read: `if "X" in os.environ: V = os.environ["X"]`,
// `os.getenv("X") and os.environ["X"]`, `os.environ["X"] if "X" in os.environ else None`. A read
// under such a test does not fail when the variable is unset, so it is not required. Only tests that
// are true only when the variable is set count: a membership test, a get / getenv call without a
// default taken as true or compared equal to a string; `and` proves what either side proves, `or`
// what both prove, `not` and everything else nothing.
import type { SNode } from './pythonNode';
import type { Walker } from './pythonEnvCtx';
import { evalName, kids, unparen } from './pythonEnvNames';
import { nameLookup, resolve, type Scope } from './pythonEnvScope';

const MAX_DEPTH = 50;

/**
 * A candidate helper call as a switch key (`env("MODE", default="local")` with `env` imported):
 * the callee and one name argument, so the model can find the call again and take the variable it
 * reads (model/appReads.ts `switchedBy`). Text only, so a replayed statement keeps it.
 */
export function callSwitchKey(callee: string, index: number, name: string): string {
  return `\u0001${callee}\u0002${index}\u0002${name}`;
}

/** The parts of a key made by callSwitchKey, or undefined for a variable's name. */
export function parseCallSwitchKey(key: string): { callee: string; index: number; name: string } | undefined {
  if (!key.startsWith('\u0001')) return undefined;
  const [callee, index, name] = key.slice(1).split('\u0002');
  return name === undefined ? undefined : { callee, index: Number(index), name };
}

/**
 * The switch keys of a value computed by code Orchard does not follow from optional reads (a read
 * with a default, a variable holding one) or candidate helper calls: `to_enum(E, env("MODE",
 * default="local"))` → MODE. A call's arguments, an attribute's object, a subscript's value; `n`
 * must have been visited.
 */
export function derivedKeys(w: Walker, scope: Scope, n: SNode, depth = 0): string[] {
  if (depth > 4) return [];
  const u = unparen(n);
  const key = w.callKeys.get(u.id);
  if (key) return [key];
  const read = w.nodeNames.get(u.id);
  if (read) return read.flatMap((x) => (x.name !== undefined && w.unsetValues.has(x.name) ? [x.name] : []));
  switch (u.type) {
    case 'identifier': {
      const b = resolve(scope, u);
      if (b?.k === 'derived') return b.keys;
      return b?.k === 'tracked' ? b.names.flatMap((x) => (x.name !== undefined && w.unsetValues.has(x.name) ? [x.name] : [])) : [];
    }
    case 'call': {
      const args = u.childForFieldName('arguments');
      return args ? kids(args).flatMap((a) => derivedKeys(w, scope, a.type === 'keyword_argument' ? (a.childForFieldName('value') ?? a) : a, depth + 1)) : [];
    }
    case 'attribute': {
      const obj = u.childForFieldName('object');
      return obj ? derivedKeys(w, scope, obj, depth + 1) : [];
    }
    case 'subscript': {
      const v = u.childForFieldName('value');
      return v ? derivedKeys(w, scope, v, depth + 1) : [];
    }
    default:
      return [];
  }
}

/**
 * Names the expression `n` proves set when it is true (a helper's parameter counts by its shape).
 * Reads the names the walker resolved for its read expressions (Walker.nodeGuards), so `n` must
 * have been visited first.
 */
export function provenSet(w: Walker, n: SNode): string[] {
  return tested(w, n, 'both', 0);
}

/**
 * Names the expression `n` proves unset when it is true, so set where it is false (an `else:`, the
 * rest of a block after `if …: return`): `"X" not in os.environ`, `not <a presence test>`,
 * `os.getenv("X") is None`; `or` proves what either side does, anything else nothing.
 */
export function provenUnset(w: Walker, n: SNode, depth = 0): string[] {
  if (depth > MAX_DEPTH) return [];
  const u = unparen(n);
  switch (u.type) {
    case 'not_operator': {
      const arg = u.childForFieldName('argument');
      return arg ? tested(w, arg, 'both', depth + 1) : [];
    }
    case 'boolean_operator': {
      if (u.childForFieldName('operator')?.type !== 'or') return [];
      const left = u.childForFieldName('left');
      const right = u.childForFieldName('right');
      return [...(left ? provenUnset(w, left, depth + 1) : []), ...(right ? provenUnset(w, right, depth + 1) : [])];
    }
    case 'comparison_operator': {
      const ops = u.children.filter((c): c is SNode => !!c && !c.isNamed).map((c) => c.type);
      const operands = kids(u).map(unparen);
      if (ops.length !== 1 || operands.length !== 2) return [];
      if (ops[0] === 'not in') return namesOf(w, u);
      if (ops[0] !== 'is' && ops[0] !== '==') return [];
      const [l, r] = operands;
      if (r.type === 'none' && l.type === 'call') return getterNames(w, l);
      if (l.type === 'none' && r.type === 'call') return getterNames(w, r);
      return [];
    }
    default:
      return [];
  }
}

/**
 * The condition `n` as a switch: the names whose being set it looks at, in any positive position
 * (`A in os.environ or os.getenv("B")` → A, B), and the names it tests the value of when a read of
 * them is false while unset (`env.bool("ENABLE_EMAIL", False)`, or a variable holding such a read:
 * `USE_S3 = env.bool("USE_S3", False)` … `if USE_S3:`). Nothing under `not` or a negative
 * comparison. Only literal names count.
 */
export function switchNames(w: Walker, n: SNode, scope?: Scope): string[] {
  const out = tested(w, n, 'either', 0).filter((k) => !k.startsWith('\u0000'));
  if (scope) valueSwitches(w, scope, n, 0, out);
  return out.length > 1 ? [...new Set(out)] : out;
}

/** Comparisons whose truth needs the tested value to be there (`X == "1"`, `X > 0`, `X is not None`). */
const POSITIVE_OPS = new Set(['==', 'in', 'is not', '>', '>=', '<', '<=']);

function valueSwitches(w: Walker, scope: Scope, n: SNode, depth: number, out: string[]): void {
  if (depth > MAX_DEPTH) return;
  const u = unparen(n);
  if (u.type === 'not_operator' || u.type === 'lambda') return;
  if (u.type === 'comparison_operator') {
    const ops = u.children.filter((c): c is SNode => !!c && !c.isNamed).map((c) => c.type);
    comparedSwitches(w, scope, u, ops, out);
    if (!ops.every((o) => POSITIVE_OPS.has(o))) return;
  }
  for (const k of w.nodeGuards.get(u.id) ?? []) if (w.offWhenUnset.get(k) === true) out.push(k);
  if (u.type === 'identifier') {
    const b = resolve(scope, u);
    if (b?.k === 'derived') out.push(...b.keys);
    else if (b?.k === 'tracked') for (const nm of b.names) if (nm.name !== undefined && w.offWhenUnset.get(nm.name) === true) out.push(nm.name);
    return;
  }
  // `if env.bool("ENABLE_X", False):` with `env` imported: the model knows whether it reads one.
  const key = w.callKeys.get(u.id);
  if (key) out.push(key);
  for (const k of kids(u)) valueSwitches(w, scope, k, depth + 1, out);
}

/**
 * `X == L` / `X != L` on the value of optional reads of X (a variable holding one, or the read
 * itself): a switch when it is false while X is unset, judged from what the reads give then
 * (pythonEnvCtx.ts `unsetValues`). `==` is one unless L is a literal one of those values (a
 * default not known here, or an L that is no literal, cannot be shown true while unset); `!=` only
 * when L is a literal equal to every one of them (`MODE != "local"` with the default "local").
 */
function comparedSwitches(w: Walker, scope: Scope, u: SNode, ops: string[], out: string[]): void {
  const operands = kids(u);
  if (ops.length !== 1 || (ops[0] !== '==' && ops[0] !== '!=') || operands.length !== 2) return;
  for (const [side, other] of [operands, [operands[1], operands[0]]]) {
    // A value computed by code not followed, or a candidate call's: what it is while unset is unknown.
    const derived = derivedOnly(w, scope, side);
    if (derived.length) {
      out.push(...derived);
      continue;
    }
    const lit = literalValue(scope, other);
    for (const name of readNames(w, scope, side)) {
      const unset = w.unsetValues.get(name);
      if (!unset) continue;
      const sw = ops[0] === '==' ? lit === NO_LITERAL || !unset.has(lit) : lit !== NO_LITERAL && [...unset].every((v) => v === lit);
      if (sw) out.push(name);
    }
  }
}

/** The keys of a side that is a derived variable or a candidate call itself (not a read: those are judged by their unset values). */
function derivedOnly(w: Walker, scope: Scope, side: SNode): string[] {
  const u = unparen(side);
  if (u.type === 'identifier') {
    const b = resolve(scope, u);
    return b?.k === 'derived' ? b.keys : [];
  }
  const key = w.callKeys.get(u.id);
  return key ? [key] : [];
}

const NO_LITERAL = Symbol('no literal');

/** A literal's value as defaults are kept (strings unquoted, None null, numbers and booleans as written). */
function literalValue(scope: Scope, n: SNode): string | null | typeof NO_LITERAL {
  const u = unparen(n);
  if (u.type === 'none') return null;
  if (u.type === 'true' || u.type === 'false' || u.type === 'integer' || u.type === 'float') return u.text;
  const v = evalName(u, nameLookup(scope));
  return v.kind === 'static' && v.isStr ? v.value : NO_LITERAL;
}

/** The names whose reads `n` is: a read expression, or a variable holding reads. */
function readNames(w: Walker, scope: Scope, n: SNode): string[] {
  const u = unparen(n);
  if (u.type === 'identifier') {
    const b = resolve(scope, u);
    return b?.k === 'tracked' ? b.names.flatMap((x) => (x.name !== undefined ? [x.name] : [])) : [];
  }
  return (w.nodeGuards.get(u.id) ?? []).filter((k) => !k.startsWith('\u0000'));
}

/**
 * The names the presence tests in `n` look at, `and` joining both sides; `or` keeps the names of
 * both sides (`either`: a switch) or only those on both (`both`: proven set whichever side is true).
 */
function tested(w: Walker, n: SNode, or: 'both' | 'either', depth: number): string[] {
  if (depth > MAX_DEPTH) return [];
  const u = unparen(n);
  switch (u.type) {
    case 'boolean_operator': {
      const left = u.childForFieldName('left');
      const right = u.childForFieldName('right');
      if (or === 'both' && (!left || !right)) return [];
      const a = left ? tested(w, left, or, depth + 1) : [];
      const b = right ? tested(w, right, or, depth + 1) : [];
      return u.childForFieldName('operator')?.type === 'and' || or === 'either' ? [...a, ...b] : a.filter((x) => b.includes(x));
    }
    case 'comparison_operator': {
      const ops = u.children.filter((c): c is SNode => !!c && !c.isNamed).map((c) => c.type);
      const operands = kids(u);
      if (ops.length !== 1 || operands.length !== 2) return [];
      if (ops[0] === 'in') return namesOf(w, u);
      if (ops[0] !== '==') return [];
      const [l, r] = operands.map(unparen);
      if (r.type === 'string' && l.type === 'call') return getterNames(w, l);
      if (l.type === 'string' && r.type === 'call') return getterNames(w, r);
      return [];
    }
    case 'call':
      return getterNames(w, u);
    default:
      return [];
  }
}

/** A get / getenv call with the name as its only argument (a default could make it true when unset). */
function getterNames(w: Walker, call: SNode): string[] {
  const args = call.childForFieldName('arguments');
  return args && kids(args).length === 1 ? namesOf(w, call) : [];
}

/** The guard keys of the reads made by `n`: literal names, and a helper's parameter shapes. */
function namesOf(w: Walker, n: SNode): string[] {
  return w.nodeGuards.get(n.id) ?? [];
}

/**
 * Runs `body` with `names` proven set (required reads of them inside are not required) and under the
 * presence test of `switches` (other required reads inside are required only when one is set).
 */
export function underGuard(w: Walker, names: readonly string[], body: () => void, switches: readonly string[] = []): void {
  if (names.length === 0 && switches.length === 0) return body();
  const guards = w.guards.length;
  const sw = w.switches.length;
  w.guards.push(...names);
  w.switches.push(...switches);
  try {
    body();
  } finally {
    w.guards.length = guards;
    w.switches.length = sw;
  }
}

/**
 * The `try:` starting at `start` has a handler of its own that catches a missing variable
 * (`except KeyError:`, `LookupError`, `Exception`, `BaseException`, a bare `except:`) and neither
 * raises nor exits: a read in its body that fails is handled, so the variable is not required.
 * `except KeyError: raise ImproperlyConfigured(...)` keeps it required. Read from the text: the
 * handlers are the `except` lines at the `try`'s own indentation.
 */
export function tryLetsMissingPass(text: string, start: number, end: number): boolean {
  const indent = start - (text.lastIndexOf('\n', start - 1) + 1);
  const body = text.slice(start, Math.min(end, start + 100_000));
  const lines = body.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const m = /^([ \t]*)except\b([^:]*):(.*)$/.exec(lines[i]);
    if (!m || m[1].length !== indent) continue;
    if (m[2].trim() !== '' && !/\b(?:KeyError|LookupError|Exception|BaseException)\b/.test(m[2])) continue;
    // The handler's body: the rest of its line, then the lines indented deeper than `except`.
    const handler = [m[3]];
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j];
      if (l.trim() !== '' && l.length - l.trimStart().length <= indent) break;
      handler.push(l);
    }
    if (!/\braise\b|\bsys\.exit\b|(?:^|[^.\w])(?:exit|quit)\s*\(/.test(handler.join('\n'))) return true;
  }
  return false;
}

