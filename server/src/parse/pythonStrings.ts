// Python string literals as the evaluator reads them: prefixes, escapes, raw strings, implicit
// `{{`/`}}` in f-strings, and f-string placeholders (conversion, format spec with nested fields)
// formatted as CPython does. Pure.
import { SIMPLE_LITERAL, type SNode } from './pythonNode';
import { fail, fromErr, named, ok, type EvalEnv, type EvalResult } from './pythonEval';
import { isErr, toStr } from './pythonValue';
import { convertAndFormat } from './pythonFormat';

type EvalNode = (node: SNode, env: EvalEnv, depth: number) => EvalResult;

const MAX_VALUE = 10_000;

/** One `string` node: prefix, content with escapes, and (f-strings) interpolations. */
export function evalStringLiteral(node: SNode, env: EvalEnv, depth: number, evalNode: EvalNode): EvalResult {
  return node.type === 'string' ? evalStringNode(node, env, depth, evalNode) : evalNode(node, env, depth + 1);
}

/** evalStringLiteral for a node already known to be a `string` (reading a node's type is a call into wasm). */
export function evalStringNode(node: SNode, env: EvalEnv, depth: number, evalNode: EvalNode): EvalResult {
  // Fast path: most names are simple literals, and walking the string's children is costly in wasm.
  const simple = SIMPLE_LITERAL.exec(node.text);
  if (simple) return ok({ t: 'str', v: simple[1] ?? simple[2] });
  const start = node.children[0];
  const prefix = start && start.type === 'string_start' ? start.text.replace(/['"]+$/, '').toLowerCase() : '';
  if (prefix.includes('b')) return fail(node, 'a bytes literal is not a str');
  if (prefix.includes('t')) return fail(node, 'a template string is not a str');
  const raw = prefix.includes('r');
  let out = '';
  for (const c of node.children) {
    if (!c) continue;
    const type = c.type;
    if (type === 'string_content') {
      const r = decodeContent(c, raw);
      if (!r.ok) return r;
      out += (r.value as { v: string }).v;
    } else if (type === 'interpolation') {
      const r = evalInterpolation(c, env, depth, evalNode);
      if (!r.ok) return r;
      out += (r.value as { v: string }).v;
    } else if (type === 'ERROR' || c.isMissing) {
      return fail(node, 'the string is incomplete');
    }
    if (out.length > MAX_VALUE) return fail(node, 'the value is too long');
  }
  return ok({ t: 'str', v: out });
}

/** `{expr!conv:spec}` in an f-string: the value, converted and formatted as Python does. */
function evalInterpolation(node: SNode, env: EvalEnv, depth: number, evalNode: EvalNode): EvalResult {
  const expr = node.childForFieldName('expression');
  if (!expr) return fail(node, 'empty f-string placeholder', true);
  // `{X=}` (self-documenting) renders the expression text too.
  if (node.children.some((c) => c && c.type === '=')) return fail(node, '`=` in an f-string placeholder is not evaluated statically');
  const r = evalNode(expr, env, depth + 1);
  if (!r.ok) return r;
  const conv = node.childForFieldName('type_conversion')?.text.replace(/^!/, '');
  let spec = '';
  const specNode = node.childForFieldName('format_specifier');
  if (specNode) {
    // The spec's own text, with nested `{...}` fields replaced by their values.
    const base = specNode.startIndex;
    const text = specNode.text;
    let at = 0;
    for (const c of named(specNode)) {
      if (c.type !== 'format_expression') continue;
      spec += text.slice(at, c.startIndex - base);
      const e = c.childForFieldName('expression') ?? named(c)[0];
      const inner = e ? evalNode(e, env, depth + 1) : fail(c, 'empty nested field', true);
      if (!inner.ok) return inner;
      const v = toStr(inner.value);
      if (isErr(v)) return fromErr(c, v);
      spec += v;
      at = c.endIndex - base;
    }
    spec += text.slice(at);
    spec = spec.replace(/^:/, '');
  }
  const s = convertAndFormat(r.value, conv, spec);
  return isErr(s) ? fromErr(node, s) : ok({ t: 'str', v: s });
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
        const dec = decodeEscape(piece);
        if (dec === undefined) return fail(c, `the escape \`${piece}\` is not evaluated statically`);
        out += dec;
      }
    } else out += piece;
    at = e;
  }
  out += text.slice(at);
  return ok({ t: 'str', v: out });
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
