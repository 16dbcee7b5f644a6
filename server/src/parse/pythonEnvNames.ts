// Static evaluation of the expressions Python code uses to build environment-variable names:
// literals (with escapes and f-strings), `+`, `%s` / `.format()` over constants, and names that
// stand for constants, for identifiers imported from other modules (kept as parts for the model)
// or, inside a function, for its parameters (helper functions). Also: sensitive-name test, default
// values, small node helpers. Pure; works on mirrored statements (SNode) only.
import type { EnvName, EnvNamePart } from './envTypes';
import type { Range } from './types';
import { SIMPLE_LITERAL, type SNode } from './pythonNode';

/** One piece of a name: literal text, an imported identifier, or a parameter of the enclosing function. */
export type NamePiece = EnvNamePart | { kind: 'param'; index: number; name: string };

/** What an identifier stands for when it is used to build a name. */
export type NameRef =
  | { kind: 'const'; value: string; isStr: boolean }
  | { kind: 'import'; local: string }
  | { kind: 'param'; index: number; name: string }
  /** A name assigned a partly known value (`DB_VAR = PREFIX + "DB"` with PREFIX imported). */
  | { kind: 'parts'; parts: NamePiece[] }
  | { kind: 'unknown' };

export type NameLookup = (id: string) => NameRef;

export type NameValue =
  | { kind: 'static'; value: string; isStr: boolean }
  | { kind: 'parts'; parts: NamePiece[] }
  | { kind: 'dynamic' };

const MAX_DEPTH = 40;
const MAX_LEN = 4096;
const DYNAMIC: NameValue = { kind: 'dynamic' };

/** Named children without comments; a simple literal's parts are never read (the mirror skips them). */
export function kids(n: SNode): readonly SNode[] {
  if (n.type === 'string' && SIMPLE_LITERAL.test(n.text)) return [];
  const named = n.namedChildren;
  let clean = true;
  for (const c of named) if (!c || c.type === 'comment') clean = false;
  if (clean) return named as readonly SNode[];
  const out: SNode[] = [];
  for (const c of named) if (c && c.type !== 'comment') out.push(c);
  return out;
}

/** The first named non-comment child. */
export function firstKid(n: SNode): SNode | undefined {
  return kids(n)[0];
}

/** Strips parentheses: `((x))` → `x`. */
export function unparen(n: SNode): SNode {
  let cur = n;
  for (let i = 0; i < MAX_DEPTH && cur.type === 'parenthesized_expression'; i++) {
    const inner = firstKid(cur);
    if (!inner) break;
    cur = inner;
  }
  return cur;
}

/** Dotted text of `a.b.c` (identifiers and attributes only), else undefined. */
export function dottedName(n: SNode | null | undefined): string | undefined {
  const parts: string[] = [];
  let cur: SNode | null | undefined = n;
  for (let i = 0; cur && i < MAX_DEPTH; i++) {
    if (cur.type === 'identifier') {
      parts.unshift(cur.text);
      return parts.join('.');
    }
    if (cur.type !== 'attribute') return undefined;
    const attr = cur.childForFieldName('attribute');
    if (!attr) return undefined;
    parts.unshift(attr.text);
    cur = cur.childForFieldName('object');
  }
  return undefined;
}

/** Python string literal → its value (undefined when it is not a plain str literal, or an f-string). */
export function literalString(n: SNode): string | undefined {
  const r = evalName(n, () => ({ kind: 'unknown' }));
  return r.kind === 'static' && r.isStr ? r.value : undefined;
}

/** Evaluates a name expression to a static value, parts for the model, or dynamic. */
export function evalName(n: SNode, lookup: NameLookup, depth = 0): NameValue {
  if (depth > MAX_DEPTH) return DYNAMIC;
  switch (n.type) {
    case 'string':
      return stringValue(n, lookup, depth);
    case 'concatenated_string': {
      const acc = new Acc();
      for (const part of kids(n)) if (!acc.add(stringValue(part, lookup, depth + 1), true)) return DYNAMIC;
      return acc.result(true);
    }
    case 'parenthesized_expression': {
      const inner = firstKid(n);
      return inner ? evalName(inner, lookup, depth + 1) : DYNAMIC;
    }
    case 'binary_operator': {
      const op = n.childForFieldName('operator')?.type;
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (!left || !right) return DYNAMIC;
      if (op === '+') {
        const acc = new Acc();
        if (!acc.add(evalName(left, lookup, depth + 1), true) || !acc.add(evalName(right, lookup, depth + 1), true)) return DYNAMIC;
        return acc.result(true);
      }
      if (op === '%') return percentFormat(left, right, lookup, depth);
      return DYNAMIC;
    }
    case 'identifier': {
      const ref = lookup(n.text);
      if (ref.kind === 'const') return { kind: 'static', value: ref.value, isStr: ref.isStr };
      if (ref.kind === 'import') return { kind: 'parts', parts: [{ kind: 'import', local: ref.local }] };
      if (ref.kind === 'param') return { kind: 'parts', parts: [{ kind: 'param', index: ref.index, name: ref.name }] };
      if (ref.kind === 'parts') return { kind: 'parts', parts: ref.parts };
      return DYNAMIC;
    }
    case 'attribute': {
      // `names.DB_VAR` where `names` is an imported module: the model resolves `names.DB_VAR`.
      const dotted = dottedName(n);
      const head = dotted?.split('.')[0];
      if (!dotted || !head) return DYNAMIC;
      const ref = lookup(head);
      if (ref.kind === 'import') return { kind: 'parts', parts: [{ kind: 'import', local: ref.local + dotted.slice(head.length) }] };
      return DYNAMIC;
    }
    case 'integer': {
      const t = n.text.replace(/_/g, '');
      return /^\d{1,30}$/.test(t) ? { kind: 'static', value: String(BigInt(t)), isStr: false } : DYNAMIC;
    }
    case 'call':
      return callValue(n, lookup, depth);
    default:
      return DYNAMIC;
  }
}

/** Accumulates pieces, merging adjacent literals. */
class Acc {
  private parts: NamePiece[] = [];
  private len = 0;
  add(v: NameValue, requireStr: boolean): boolean {
    if (v.kind === 'dynamic') return false;
    if (v.kind === 'static') {
      if (requireStr && !v.isStr) return false;
      this.lit(v.value);
    } else {
      for (const p of v.parts) {
        if (p.kind === 'lit') this.lit(p.value);
        else this.parts.push(p);
      }
    }
    return this.len <= MAX_LEN;
  }
  lit(s: string): void {
    this.len += s.length;
    if (!s) return;
    const last = this.parts[this.parts.length - 1];
    if (last && last.kind === 'lit') this.parts[this.parts.length - 1] = { kind: 'lit', value: last.value + s };
    else this.parts.push({ kind: 'lit', value: s });
  }
  result(isStr: boolean): NameValue {
    if (this.len > MAX_LEN) return DYNAMIC;
    if (this.parts.every((p) => p.kind === 'lit')) return { kind: 'static', value: this.parts.map((p) => (p as { value: string }).value).join(''), isStr };
    return { kind: 'parts', parts: this.parts };
  }
}

function stringValue(n: SNode, lookup: NameLookup, depth: number): NameValue {
  if (n.type !== 'string') return evalName(n, lookup, depth + 1);
  const simple = SIMPLE_LITERAL.exec(n.text);
  if (simple) return { kind: 'static', value: simple[1] ?? simple[2], isStr: true };
  const all = n.children;
  const start = all[0];
  const prefix = start && start.type === 'string_start' ? start.text.replace(/['"]+$/, '').toLowerCase() : '';
  if (prefix.includes('b') || prefix.includes('t')) return DYNAMIC;
  const raw = prefix.includes('r');
  const acc = new Acc();
  for (const c of all) {
    if (!c) continue;
    if (c.type === 'string_content') {
      const s = decodeContent(c, raw);
      if (s === undefined) return DYNAMIC;
      acc.lit(s);
    } else if (c.type === 'interpolation') {
      const expr = c.childForFieldName('expression');
      const conv = c.childForFieldName('type_conversion');
      if (!expr || (conv && conv.text !== '!s') || c.childForFieldName('format_specifier')) return DYNAMIC;
      if (c.children.some((k) => k && k.type === '=')) return DYNAMIC;
      if (!acc.add(evalName(expr, lookup, depth + 1), false)) return DYNAMIC;
    } else if (c.type === 'ERROR' || c.isMissing) {
      return DYNAMIC;
    }
  }
  return acc.result(true);
}

/** `"%s_KEY" % NAME` / `"%s_%s" % (A, B)` with plain `%s` only. */
function percentFormat(left: SNode, right: SNode, lookup: NameLookup, depth: number): NameValue {
  const fmt = evalName(left, lookup, depth + 1);
  if (fmt.kind !== 'static' || !fmt.isStr) return DYNAMIC;
  const r = unparen(right);
  const args = r.type === 'tuple' ? kids(r) : [right];
  const pieces = fmt.value.split(/(%%|%s)/);
  const acc = new Acc();
  let i = 0;
  for (const p of pieces) {
    if (p === '%%') acc.lit('%');
    else if (p === '%s') {
      const a = args[i++];
      if (!a || !acc.add(evalName(a, lookup, depth + 1), false)) return DYNAMIC;
    } else if (p.includes('%')) return DYNAMIC;
    else acc.lit(p);
  }
  return i === args.length ? acc.result(true) : DYNAMIC;
}

/** `"{}_KEY".format(NAME)` (positional `{}` / `{0}` only), `NAME.upper()` / `.lower()` of a static value. */
function callValue(n: SNode, lookup: NameLookup, depth: number): NameValue {
  const fn = n.childForFieldName('function');
  const argList = n.childForFieldName('arguments');
  if (!fn || fn.type !== 'attribute' || !argList || argList.type !== 'argument_list') return DYNAMIC;
  const meth = fn.childForFieldName('attribute')?.text;
  const obj = fn.childForFieldName('object');
  if (!obj) return DYNAMIC;
  const args = kids(argList);
  if (meth === 'upper' || meth === 'lower') {
    if (args.length) return DYNAMIC;
    const v = evalName(obj, lookup, depth + 1);
    if (v.kind !== 'static' || !v.isStr) return DYNAMIC;
    return { kind: 'static', value: meth === 'upper' ? v.value.toUpperCase() : v.value.toLowerCase(), isStr: true };
  }
  if (meth !== 'format' || args.some((a) => a.type === 'keyword_argument' || a.type === 'list_splat' || a.type === 'dictionary_splat')) return DYNAMIC;
  const fmt = evalName(obj, lookup, depth + 1);
  if (fmt.kind !== 'static' || !fmt.isStr) return DYNAMIC;
  const acc = new Acc();
  let next = 0;
  for (const p of fmt.value.split(/(\{\{|\}\}|\{\d*\})/)) {
    if (p === '{{') acc.lit('{');
    else if (p === '}}') acc.lit('}');
    else if (/^\{\d*\}$/.test(p)) {
      const idx = p.length > 2 ? Number(p.slice(1, -1)) : next++;
      const a = args[idx];
      if (!a || !acc.add(evalName(a, lookup, depth + 1), false)) return DYNAMIC;
    } else if (p.includes('{') || p.includes('}')) return DYNAMIC;
    else acc.lit(p);
  }
  return acc.result(true);
}

/** string_content text with escapes decoded (unless raw) and `{{` / `}}` un-doubled. */
function decodeContent(c: SNode, raw: boolean): string | undefined {
  const text = c.text;
  const base = c.startIndex;
  let out = '';
  let at = 0;
  for (const k of c.children) {
    if (!k) continue;
    const s = k.startIndex - base;
    const e = k.endIndex - base;
    out += text.slice(at, s);
    const piece = text.slice(s, e);
    if (k.type === 'escape_interpolation') out += piece[0];
    else if (k.type === 'escape_sequence') {
      if (raw) out += piece;
      else {
        const d = unescape(piece);
        if (d === undefined) return undefined;
        out += d;
      }
    } else out += piece;
    at = e;
  }
  return out + text.slice(at);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };

function unescape(seq: string): string | undefined {
  const body = seq.slice(1);
  if (body in ESCAPES) return ESCAPES[body];
  if (body === '\n' || body === '\r\n' || body === '\r') return '';
  const m = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([0-7]{1,3}))$/.exec(body);
  if (m) {
    const cp = m[4] !== undefined ? parseInt(m[4], 8) : parseInt(m[1] ?? m[2] ?? m[3], 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : undefined;
  }
  if (body.startsWith('N{')) return undefined;
  return seq; // unknown escapes keep their backslash
}

// ---------------------------------------------------------------------------------------------
// names

/**
 * Whether a statically known name can be an environment variable name as code uses it. Names with
 * spaces, braces, `=`, `$`, `%` or quotes come from templates (`{{ cookiecutter.x }}_KEY`) or
 * are not names at all: they are treated as dynamic, never as reads.
 */
export function isPlausibleEnvName(name: string): boolean {
  return name.length > 0 && name.length <= 256 && /^[A-Za-z0-9_.:/@+-]+$/.test(name) && !/^[0-9]/.test(name);
}

/** UPPER_SNAKE: what an environment variable name passed to an unknown helper looks like. */
export function isUpperSnake(s: string): boolean {
  return /^[A-Z_][A-Z0-9_]*$/.test(s) && /[A-Z]/.test(s) && s.length >= 2;
}

const SENSITIVE_WORDS = new Set(['KEY', 'KEYS', 'PASS', 'PWD', 'DSN', 'SECRET', 'SECRETS', 'TOKEN', 'TOKENS', 'CREDS', 'PASSPHRASE', 'SALT', 'PAT']);
const SENSITIVE_PARTS = ['PASSWORD', 'PASSWD', 'SECRET', 'APITOKEN', 'AUTHTOKEN', 'ACCESSTOKEN', 'CREDENTIAL', 'APIKEY', 'PRIVATEKEY', 'CONNECTION_STRING', 'CONNECT_STRING', 'DATABASE_URL', 'DB_URL'];

/**
 * The twelve-factor spec's default notion of a sensitive variable, kept broad: its name contains
 * SECRET, PASSWORD, PASS, TOKEN, KEY, CREDENTIAL(S), SALT, PAT, a connection string or DSN (as a
 * word or, for the long words, anywhere), or it is a database URL (those carry credentials).
 * camelCase and lower-case names (pydantic fields) are split the same way. It decides which names
 * PyLogged keeps; rules may apply a narrower notion to those.
 */
export function isSensitiveEnvName(name: string): boolean {
  const upper = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  if (SENSITIVE_PARTS.some((p) => upper.includes(p))) return true;
  return upper.split(/[^A-Z0-9]+/).some((w) => SENSITIVE_WORDS.has(w));
}

/** An EnvName from an evaluated value; undefined when it has to be a dynamic read. */
export function envNameOf(v: NameValue, range: Range): EnvName | undefined {
  if (v.kind === 'static') return v.isStr && isPlausibleEnvName(v.value) ? { name: v.value, range } : undefined;
  if (v.kind === 'parts') {
    if (v.parts.some((p) => p.kind === 'param')) return undefined;
    for (const p of v.parts) if (p.kind === 'lit' && !/^[A-Za-z0-9_.:/@+-]*$/.test(p.value)) return undefined;
    return { parts: v.parts as EnvNamePart[], range };
  }
  return undefined;
}

/** `prefix + name` (django-environ `env.prefix`, pydantic `env_prefix`). */
export function prefixed(prefix: NameValue, v: NameValue): NameValue {
  if (prefix.kind === 'static' && prefix.value === '') return v;
  const acc = new Acc();
  if (!acc.add(prefix, true) || !acc.add(v, true)) return DYNAMIC;
  return acc.result(true);
}

/** A parameter-derived name inside a helper: exactly one parameter with literal text around it. */
export function helperShape(v: NameValue): { index: number; name: string; prefix: string; suffix: string } | undefined {
  if (v.kind !== 'parts') return undefined;
  const params = v.parts.filter((p) => p.kind === 'param');
  if (params.length !== 1 || v.parts.some((p) => p.kind === 'import')) return undefined;
  const at = v.parts.indexOf(params[0]);
  const lit = (ps: NamePiece[]) => ps.map((p) => (p.kind === 'lit' ? p.value : '')).join('');
  const p = params[0] as { index: number; name: string };
  return { index: p.index, name: p.name, prefix: lit(v.parts.slice(0, at)), suffix: lit(v.parts.slice(at + 1)) };
}

/** Short one-line source text for a default's `text` (values stay in models, never in messages). */
export function sourceText(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The value of a default expression: a str literal's value, null for None, the text of a number or bool. */
export function defaultValue(n: SNode): string | null | undefined {
  const u = unparen(n);
  if (u.type === 'none') return null;
  if (u.type === 'true' || u.type === 'false' || u.type === 'integer' || u.type === 'float') return u.text;
  if (u.type === 'unary_operator' && /^-\s*[0-9]/.test(u.text)) return u.text.replace(/\s+/g, '');
  return literalString(u);
}
