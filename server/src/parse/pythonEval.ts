// Static evaluation of the few Python expressions a config.py uses to build names: string literals,
// f-strings over constants, `+` concatenation and names of constants defined earlier. Anything else
// is reported as "not static" together with the node that stopped the evaluation.
import { SIMPLE_LITERAL, type SNode } from './pythonNode';

/** A constant known in some scope: its text (and whether it is a str), or why it has no static value. */
export type ConstEntry = { value: string; isStr: boolean } | { why: string };

export type Lookup = (name: string) => ConstEntry | undefined;

export type EvalResult = { ok: true; value: string; isStr: boolean } | { ok: false; node: SNode; why: string };

const MAX_DEPTH = 50;
const MAX_VALUE = 10_000;

/** Short single-line source excerpt for messages (source code, never a value read from a store). */
export function excerpt(text: string, max = 40): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function fail(node: SNode, why: string): EvalResult {
  return { ok: false, node, why };
}

/** Evaluates `node` to a string when it is static; `requireStr` rejects ints (only f-strings format them). */
export function evalStatic(node: SNode, lookup: Lookup, requireStr = true, depth = 0): EvalResult {
  const r = evalNode(node, lookup, depth);
  if (r.ok && requireStr && !r.isStr) return fail(node, `\`${excerpt(node.text)}\` is not a string`);
  return r;
}

function evalNode(node: SNode, lookup: Lookup, depth: number): EvalResult {
  if (depth > MAX_DEPTH) return fail(node, 'the expression is nested too deeply');
  switch (node.type) {
    case 'string':
      return evalStringLiteral(node, lookup, depth);
    case 'concatenated_string': {
      let out = '';
      for (const part of node.namedChildren) {
        if (!part || part.type === 'comment') continue;
        const r = evalStringLiteral(part, lookup, depth + 1);
        if (!r.ok) return r;
        out += r.value;
      }
      return { ok: true, value: out, isStr: true };
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c && c.type !== 'comment');
      return inner ? evalNode(inner, lookup, depth + 1) : fail(node, 'empty parentheses');
    }
    case 'binary_operator': {
      const op = node.childForFieldName('operator');
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!op || op.type !== '+' || !left || !right) return fail(node, `\`${excerpt(node.text)}\` is not a static string (only + is evaluated)`);
      const l = evalStatic(left, lookup, true, depth + 1);
      if (!l.ok) return l;
      const r = evalStatic(right, lookup, true, depth + 1);
      if (!r.ok) return r;
      if (l.value.length + r.value.length > MAX_VALUE) return fail(node, 'the value is too long');
      return { ok: true, value: l.value + r.value, isStr: true };
    }
    case 'identifier': {
      const name = node.text;
      const entry = lookup(name);
      if (!entry) return fail(node, `\`${name}\` is not a constant defined before this point`);
      if ('why' in entry) return fail(node, `\`${name}\` has no static value (${entry.why})`);
      return { ok: true, value: entry.value, isStr: entry.isStr };
    }
    case 'integer': {
      const t = node.text.replace(/_/g, '');
      if (/^\d+$/.test(t)) return { ok: true, value: String(BigInt(t)), isStr: false };
      return fail(node, `\`${excerpt(node.text)}\` is not a decimal integer`);
    }
    case 'call':
      return fail(node, `\`${excerpt(node.text)}\` is a call, evaluated only at run time`);
    default:
      return fail(node, `\`${excerpt(node.text)}\` is not a static string`);
  }
}

/** One `string` node: prefix, content with escapes, and (f-strings) interpolations of constants. */
function evalStringLiteral(node: SNode, lookup: Lookup, depth: number): EvalResult {
  if (node.type !== 'string') return evalNode(node, lookup, depth + 1);
  // Fast path: most names are simple literals, and walking the string's children is costly in wasm.
  const simple = SIMPLE_LITERAL.exec(node.text);
  if (simple) return { ok: true, value: simple[1] ?? simple[2], isStr: true };
  const start = node.children[0];
  const prefix = start && start.type === 'string_start' ? start.text.replace(/['"]+$/, '').toLowerCase() : '';
  if (prefix.includes('b')) return fail(node, 'a bytes literal is not a str');
  if (prefix.includes('t')) return fail(node, 'a template string is not a str');
  const raw = prefix.includes('r');
  let out = '';
  for (const c of node.children) {
    if (!c) continue;
    if (c.type === 'string_content') {
      const r = decodeContent(c, raw);
      if (!r.ok) return r;
      out += r.value;
    } else if (c.type === 'interpolation') {
      const r = evalInterpolation(c, lookup, depth);
      if (!r.ok) return r;
      out += r.value;
    } else if (c.type === 'ERROR' || c.isMissing) {
      return fail(node, 'the string is incomplete');
    }
    if (out.length > MAX_VALUE) return fail(node, 'the value is too long');
  }
  return { ok: true, value: out, isStr: true };
}

function evalInterpolation(node: SNode, lookup: Lookup, depth: number): EvalResult {
  const expr = node.childForFieldName('expression');
  if (!expr) return fail(node, 'empty f-string placeholder');
  const conv = node.childForFieldName('type_conversion');
  if (conv && conv.text !== '!s') return fail(node, `the conversion \`${conv.text}\` is not evaluated statically`);
  if (node.childForFieldName('format_specifier')) return fail(node, 'format specifiers are not evaluated statically');
  // `{X=}` (self-documenting) renders the expression text too.
  if (node.children.some((c) => c && c.type === '=')) return fail(node, '`=` in an f-string placeholder is not evaluated statically');
  return evalStatic(expr, lookup, false, depth + 1);
}

/** string_content text with escapes decoded (unless raw) and f-string `{{`/`}}` un-doubled. */
function decodeContent(node: SNode, raw: boolean): EvalResult {
  const text = node.text;
  const base = node.startIndex;
  let out = '';
  let at = 0;
  for (const c of node.children) {
    if (!c) continue;
    const s = c.startIndex - base;
    const e = c.endIndex - base;
    out += text.slice(at, s);
    const piece = text.slice(s, e);
    if (c.type === 'escape_interpolation') out += piece[0];
    else if (c.type === 'escape_sequence') {
      if (raw) out += piece;
      else {
        const d = decodeEscape(piece);
        if (d === undefined) return fail(c, `the escape \`${piece}\` is not evaluated statically`);
        out += d;
      }
    } else out += piece;
    at = e;
  }
  out += text.slice(at);
  return { ok: true, value: out, isStr: true };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '', '\r\n': '', '\r': '',
};

/** Python escape sequence → text; undefined for `\N{...}` (needs the Unicode name table). */
export function decodeEscape(seq: string): string | undefined {
  const body = seq.slice(1);
  if (body in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[body];
  const hex = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))$/.exec(body);
  if (hex) {
    const cp = parseInt(hex[1] ?? hex[2] ?? hex[3], 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
  }
  if (/^[0-7]{1,3}$/.test(body)) return String.fromCodePoint(parseInt(body, 8));
  if (body.startsWith('N{')) return undefined;
  // Unknown escapes keep their backslash in Python.
  return seq;
}
