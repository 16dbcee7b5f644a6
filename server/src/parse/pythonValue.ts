// Python values as a config.py builds names from them, and the str operations that produce text
// exactly as CPython does: str()/repr(), format specs (f-strings, format()), %-formatting and the
// str methods a name is commonly built with. Pure; an operation it does not model returns an Err
// with the reason instead of guessing.

/** A Fig object created by a constructor call (identity matters: figgy-lib shares them between stores). */
export interface FigRef {
  t: 'fig';
  /** Unique per constructor call in the file. */
  id: string;
}

export type PyValue =
  | { t: 'str'; v: string }
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'tuple'; items: PyValue[] }
  | { t: 'list'; items: PyValue[] }
  | { t: 'dict'; entries: [PyValue, PyValue][] }
  | FigRef;

/** Why an operation has no static result. `typeError`: Python itself raises (the program is wrong). */
export interface Err {
  err: string;
  raises?: boolean;
}

export type Res<T> = T | Err;

export function isErr<T>(r: Res<T>): r is Err {
  return typeof r === 'object' && r !== null && 'err' in r;
}

export const str = (v: string): PyValue => ({ t: 'str', v });
export const int = (v: bigint): PyValue => ({ t: 'int', v });

const MAX_TEXT = 10_000;

export function typeName(v: PyValue): string {
  switch (v.t) {
    case 'fig':
      return 'Fig';
    case 'none':
      return 'NoneType';
    default:
      return v.t;
  }
}

// ---------------------------------------------------------------------------------------------
// str() and repr()

const NON_PRINTABLE = /[\p{C}\p{Z}]/u;

/** repr() of a str, as CPython writes it (quote choice, escapes, non-printable characters). */
export function reprStr(s: string, asciiOnly = false): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x7f) out += ch;
    else if (asciiOnly || (ch !== ' ' && NON_PRINTABLE.test(ch)) || (cp >= 0xd800 && cp <= 0xdfff)) {
      if (cp <= 0xff) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if (cp <= 0xffff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
    } else out += ch;
  }
  return out + quote;
}

/** repr() of a float: the shortest round-tripping digits, in CPython's layout. */
export function reprFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expPart] = x.toExponential().split('e');
  const exp = Number(expPart);
  const neg = mant.startsWith('-');
  const digits = mant.replace(/^-/, '').replace('.', '');
  let body: string;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  } else if (exp < 0) {
    body = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    body = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  } else {
    body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return neg ? `-${body}` : body;
}

export function toStr(v: PyValue): Res<string> {
  switch (v.t) {
    case 'str':
      return v.v;
    case 'int':
      return v.v.toString();
    case 'float':
      return reprFloat(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'fig':
      // str(fig) is its value, fetched from Parameter Store at run time.
      return { err: 'str() of a Fig is its value, known only at run time' };
    default:
      return toRepr(v);
  }
}

export function toRepr(v: PyValue, asciiOnly = false): Res<string> {
  switch (v.t) {
    case 'str':
      return reprStr(v.v, asciiOnly);
    case 'list':
    case 'tuple': {
      const parts: string[] = [];
      for (const i of v.items) {
        const r = toRepr(i, asciiOnly);
        if (isErr(r)) return r;
        parts.push(r);
      }
      if (v.t === 'list') return `[${parts.join(', ')}]`;
      return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
    }
    case 'dict': {
      const parts: string[] = [];
      for (const [k, val] of v.entries) {
        const a = toRepr(k, asciiOnly);
        const b = toRepr(val, asciiOnly);
        if (isErr(a)) return a;
        if (isErr(b)) return b;
        parts.push(`${a}: ${b}`);
      }
      return `{${parts.join(', ')}}`;
    }
    case 'fig':
      return { err: 'repr() of a Fig object is not a static text' };
    default:
      return toStr(v);
  }
}

export function truthy(v: PyValue): boolean | undefined {
  switch (v.t) {
    case 'str':
      return v.v.length > 0;
    case 'int':
      return v.v !== 0n;
    case 'float':
      return v.v !== 0;
    case 'bool':
      return v.v;
    case 'none':
      return false;
    case 'tuple':
    case 'list':
      return v.items.length > 0;
    case 'dict':
      return v.entries.length > 0;
    case 'fig':
      return true;
  }
}

export function equal(a: PyValue, b: PyValue): boolean | undefined {
  const num = (x: PyValue): number | bigint | undefined => (x.t === 'int' ? x.v : x.t === 'bool' ? BigInt(x.v) : x.t === 'float' ? x.v : undefined);
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return typeof na === typeof nb ? na === nb : Number(na) === Number(nb);
  if (a.t === 'str' && b.t === 'str') return a.v === b.v;
  if (a.t === 'none' || b.t === 'none') return a.t === b.t;
  if ((a.t === 'list' && b.t === 'list') || (a.t === 'tuple' && b.t === 'tuple')) {
    if (a.items.length !== b.items.length) return false;
    for (let i = 0; i < a.items.length; i++) {
      const e = equal(a.items[i], b.items[i]);
      if (e !== true) return e;
    }
    return true;
  }
  if (a.t !== b.t) return a.t === 'fig' || b.t === 'fig' ? undefined : false;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// format specs: [[fill]align][sign][z][#][0][width][grouping][.precision][type]

interface Spec {
  fill: string;
  align?: string;
  sign: string;
  /** A sign character was written in the spec. */
  signGiven?: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping?: string;
  precision?: number;
  type: string;
}

const SPEC_RE = /^(?:(.)?([<>=^]))?([+\- ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([a-zA-Z%])?$/su;

function parseSpec(spec: string): Res<Spec> {
  const m = SPEC_RE.exec(spec);
  if (!m) return { err: `Invalid format specifier '${spec}'`, raises: true };
  const [, fill, align, sign, z, alt, zero, width, grouping, precision, type] = m;
  if (z) return { err: 'the z format option is not evaluated statically' };
  return {
    // The `0` flag pads with zeros unless a fill is given, whatever the alignment; numbers then
    // default to `=` alignment (strings stay left-aligned).
    fill: fill ?? (zero ? '0' : ' '),
    align,
    sign: sign ?? '-',
    signGiven: sign !== undefined,
    alt: Boolean(alt),
    zero: Boolean(zero),
    width: width ? Number(width) : 0,
    grouping,
    precision: precision === undefined ? undefined : Number(precision),
    type: type ?? '',
  };
}

function pad(body: string, s: Spec, defaultAlign: string, signPrefix = ''): string {
  const align = s.align ?? defaultAlign;
  const len = Array.from(signPrefix + body).length;
  const n = Math.max(0, s.width - len);
  if (n === 0) return signPrefix + body;
  const fill = s.fill.repeat(n);
  switch (align) {
    case '<':
      return signPrefix + body + fill;
    case '>':
      return fill + signPrefix + body;
    case '=':
      return signPrefix + fill + body;
    default: {
      const left = Math.floor(n / 2);
      return s.fill.repeat(left) + signPrefix + body + s.fill.repeat(n - left);
    }
  }
}

function group(digits: string, sep: string, every: number): string {
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % every === 0) out += sep;
    out += digits[i];
  }
  return out;
}

/** format(value, spec) for str, int and bool (floats only with an empty spec). */
export function formatValue(v: PyValue, spec: string): Res<string> {
  if (spec === '') return toStr(v);
  const s = parseSpec(spec);
  if (isErr(s)) return s;
  if (v.t === 'str') {
    if (s.type !== '' && s.type !== 's') return { err: `Unknown format code '${s.type}' for object of type 'str'`, raises: true };
    if (s.sign !== '-' || s.alt || s.grouping) return { err: 'Sign, alternate form or grouping not allowed in string format specifier', raises: true };
    if (s.align === '=') return { err: "'=' alignment not allowed in string format specifier", raises: true };
    const body = s.precision === undefined ? v.v : Array.from(v.v).slice(0, s.precision).join('');
    return pad(body, s, '<');
  }
  if (v.t === 'int' || v.t === 'bool') {
    // bool is an int: any non-empty spec formats it as 0 / 1.
    return formatInt(v.t === 'int' ? v.v : BigInt(v.v), s);
  }
  return { err: `format spec on a ${typeName(v)} is not evaluated statically` };
}

function formatInt(n: bigint, spec: Spec, explicitSign = true): Res<string> {
  const s: Spec = { ...spec, align: spec.align ?? (spec.zero ? '=' : undefined) };
  if (s.precision !== undefined && 'bcdoxXn'.includes(s.type || 'd')) return { err: 'Precision not allowed in integer format specifier', raises: true };
  if (s.grouping === ',' && s.type !== '' && s.type !== 'd') return { err: `Cannot specify ',' with '${s.type}'.`, raises: true };
  if (s.grouping === '_' && !'dbxXo'.includes(s.type || 'd')) return { err: `Cannot specify '_' with '${s.type}'.`, raises: true };
  if (s.type === 'c' && explicitSign && s.signGiven) return { err: "Sign not allowed with integer format specifier 'c'", raises: true };
  if (s.type === 'c' && s.alt) return { err: "Alternate form (#) not allowed with integer format specifier 'c'", raises: true };
  const neg = n < 0n;
  const abs = neg ? -n : n;
  let body: string;
  let prefix = '';
  switch (s.type) {
    case '':
    case 'd':
    case 'n':
      body = abs.toString(10);
      break;
    case 'b':
      body = abs.toString(2);
      prefix = s.alt ? '0b' : '';
      break;
    case 'o':
      body = abs.toString(8);
      prefix = s.alt ? '0o' : '';
      break;
    case 'x':
      body = abs.toString(16);
      prefix = s.alt ? '0x' : '';
      break;
    case 'X':
      body = abs.toString(16).toUpperCase();
      prefix = s.alt ? '0X' : '';
      break;
    case 'c': {
      if (n < 0n || n > 0x10ffffn) return { err: '%c arg not in range(0x110000)', raises: true };
      return pad(String.fromCodePoint(Number(n)), s, '>');
    }
    default:
      return { err: `format code '${s.type}' on an int is not evaluated statically` };
  }
  const sign = neg ? '-' : s.sign === '+' ? '+' : s.sign === ' ' ? ' ' : '';
  const every = s.type !== '' && 'xXob'.includes(s.type) ? 4 : 3;
  if (s.grouping) body = group(body, s.grouping, every);
  if (s.align === '=' && s.fill === '0' && s.grouping) {
    // Padding with "0" after the sign keeps the grouping going into the padding, as CPython does.
    const want = s.width - sign.length - prefix.length;
    const raw = body.replace(/[,_]/g, '');
    let digits = raw;
    let grouped = group(digits, s.grouping, every);
    while (grouped.length < want) {
      digits = `0${digits}`;
      grouped = group(digits, s.grouping, every);
    }
    return sign + prefix + grouped;
  }
  return pad(body, s, '>', sign + prefix);
}

// ---------------------------------------------------------------------------------------------
// printf-style: "..." % value

const PRINTF_RE = /%(?:\(([^)]*)\))?([#0\- +]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])?/gsu;

export function percentFormat(fmt: string, arg: PyValue): Res<string> {
  const args = arg.t === 'tuple' ? arg.items : [arg];
  const mapping = arg.t === 'dict' ? arg : undefined;
  let next = 0;
  let out = '';
  let last = 0;
  for (const m of fmt.matchAll(PRINTF_RE)) {
    out += fmt.slice(last, m.index);
    last = m.index! + m[0].length;
    const [, key, flags, width, precision, conv] = m;
    if (!conv) return { err: 'incomplete format', raises: true };
    if (conv === '%') {
      out += '%';
      continue;
    }
    let v: PyValue | undefined;
    if (key !== undefined) {
      if (!mapping) return { err: 'format requires a mapping', raises: true };
      v = mapping.entries.find(([k]) => k.t === 'str' && k.v === key)?.[1];
      if (!v) return { err: `KeyError: '${key}'`, raises: true };
    } else {
      if (width === '*' || precision === '*') return { err: '* width in % formatting is not evaluated statically' };
      v = args[next++];
      if (!v) return { err: 'not enough arguments for format string', raises: true };
    }
    const spec: Spec = {
      fill: flags.includes('0') && !flags.includes('-') ? '0' : ' ',
      align: flags.includes('-') ? '<' : flags.includes('0') ? '=' : '>',
      sign: flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '-',
      alt: flags.includes('#'),
      zero: flags.includes('0'),
      width: width ? Number(width) : 0,
      precision: precision === undefined ? undefined : Number(precision),
      type: '',
    };
    let piece: Res<string>;
    if (conv === 's' || conv === 'r' || conv === 'a') {
      const t = conv === 's' ? toStr(v) : toRepr(v, conv === 'a');
      if (isErr(t)) return t;
      const body = spec.precision === undefined ? t : Array.from(t).slice(0, spec.precision).join('');
      piece = pad(body, { ...spec, fill: ' ', align: spec.align === '<' ? '<' : '>' }, '>');
    } else if ('diuxXoc'.includes(conv)) {
      const n = v.t === 'int' ? v.v : v.t === 'bool' ? BigInt(v.v) : undefined;
      if (n === undefined) {
        if (v.t === 'str' && conv !== 'c') return { err: `%${conv} format: a real number is required, not str`, raises: true };
        if (conv === 'c' && v.t === 'str' && Array.from(v.v).length === 1) {
          piece = pad(v.v, { ...spec, fill: ' ' }, '>');
          out += piece;
          continue;
        }
        return { err: `%${conv} on a ${typeName(v)} is not evaluated statically` };
      }
      const type = conv === 'i' || conv === 'u' ? 'd' : conv;
      if (type === 'c') {
        // %c ignores the 0 and sign flags: space padding, right-aligned unless `-`.
        const ch = String.fromCodePoint(Number(n));
        if (n < 0n || n > 0x10ffffn) return { err: '%c arg not in range(0x110000)', raises: true };
        out += pad(ch, { ...spec, fill: ' ', align: spec.align === '<' ? '<' : '>' }, '>');
        continue;
      }
      piece = formatInt(n, { ...spec, type, precision: undefined, alt: spec.alt && type !== 'd' && type !== 'c' }, false);
      // %#o is 0o in Python 3; precision on ints means minimum digits.
      if (!isErr(piece) && spec.precision !== undefined) {
        const digits = (n < 0n ? -n : n).toString(type === 'x' || type === 'X' ? 16 : type === 'o' ? 8 : 10);
        if (digits.length < spec.precision) return { err: '%-format precision on an int is not evaluated statically' };
      }
    } else {
      return { err: `%${conv} on a ${typeName(v)} is not evaluated statically` };
    }
    if (isErr(piece)) return piece;
    out += piece;
    if (out.length > MAX_TEXT) return { err: 'the value is too long' };
  }
  out += fmt.slice(last);
  if (!mapping && next < args.length) return { err: 'not all arguments converted during string formatting', raises: true };
  return out;
}

// ---------------------------------------------------------------------------------------------
// str.format

function lookupField(field: string, args: PyValue[], kwargs: Map<string, PyValue>, auto: { n: number; manual: boolean; auto: boolean }): Res<PyValue> {
  const m = /^([^.[]*)(.*)$/su.exec(field)!;
  const head = m[1];
  let v: PyValue | undefined;
  if (head === '') {
    if (auto.manual) return { err: 'cannot switch from manual field specification to automatic field numbering', raises: true };
    auto.auto = true;
    v = args[auto.n++];
    if (!v) return { err: `Replacement index ${auto.n - 1} out of range for positional args tuple`, raises: true };
  } else if (/^\d+$/.test(head)) {
    if (auto.auto) return { err: 'cannot switch from automatic field numbering to manual field specification', raises: true };
    auto.manual = true;
    v = args[Number(head)];
    if (!v) return { err: `Replacement index ${head} out of range for positional args tuple`, raises: true };
  } else {
    v = kwargs.get(head);
    if (!v) return { err: `KeyError: '${head}'`, raises: true };
  }
  let rest = m[2];
  while (rest) {
    const idx = /^\[([^\]]*)\](.*)$/su.exec(rest);
    if (!idx) return { err: 'attribute access in a format field is not evaluated statically' };
    const key = idx[1];
    rest = idx[2];
    if (v.t === 'list' || v.t === 'tuple') {
      if (!/^\d+$/.test(key)) return { err: 'a non-integer index into a sequence', raises: true };
      v = v.items[Number(key)];
      if (!v) return { err: 'IndexError: index out of range', raises: true };
    } else if (v.t === 'dict') {
      const k: PyValue = /^\d+$/.test(key) ? { t: 'int', v: BigInt(key) } : { t: 'str', v: key };
      v = v.entries.find(([x]) => equal(x, k) === true)?.[1];
      if (!v) return { err: `KeyError: '${key}'`, raises: true };
    } else return { err: `indexing a ${typeName(v)} in a format field is not evaluated statically` };
  }
  return v;
}

/** Splits `{...}` replacement fields, with `{{`/`}}` un-doubled. */
export function formatMethod(fmt: string, args: PyValue[], kwargs: Map<string, PyValue>): Res<string> {
  const auto = { n: 0, manual: false, auto: false };
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i];
    if (c === '}') {
      if (fmt[i + 1] !== '}') return { err: "Single '}' encountered in format string", raises: true };
      out += '}';
      i += 2;
      continue;
    }
    if (c !== '{') {
      out += c;
      i++;
      continue;
    }
    if (fmt[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    // Find the matching `}` (one level of nested fields inside the spec).
    let depth = 1;
    let j = i + 1;
    for (; j < fmt.length && depth > 0; j++) {
      if (fmt[j] === '{') depth++;
      else if (fmt[j] === '}') depth--;
    }
    if (depth !== 0) return { err: "expected '}' before end of string", raises: true };
    const inner = fmt.slice(i + 1, j - 1);
    i = j;
    const fm = /^([^!:]*)(?:!([^:]*))?(?::(.*))?$/su.exec(inner)!;
    const v = lookupField(fm[1], args, kwargs, auto);
    if (isErr(v)) return v;
    let spec = fm[3] ?? '';
    if (spec.includes('{')) {
      const s = formatMethod(spec, args.slice(), kwargs);
      if (isErr(s)) return s;
      spec = s;
    }
    const piece = convertAndFormat(v, fm[2], spec);
    if (isErr(piece)) return piece;
    out += piece;
    if (out.length > MAX_TEXT) return { err: 'the value is too long' };
  }
  return out;
}

/** `!s` / `!r` / `!a` then a format spec, as f-strings and str.format apply them. */
export function convertAndFormat(v: PyValue, conv: string | undefined, spec: string): Res<string> {
  let val = v;
  if (conv !== undefined && conv !== '') {
    if (!['s', 'r', 'a'].includes(conv)) return { err: `Unknown conversion specifier ${conv}`, raises: true };
    const t = conv === 's' ? toStr(v) : toRepr(v, conv === 'a');
    if (isErr(t)) return t;
    val = { t: 'str', v: t };
  }
  return formatValue(val, spec);
}

// ---------------------------------------------------------------------------------------------
// str methods

const WS = /^[\s\u001c-\u001f\u0085]+|[\s\u001c-\u001f\u0085]+$/gu;

function stripChars(s: string, chars: string | undefined, left: boolean, right: boolean): string {
  const set = chars === undefined ? undefined : new Set(Array.from(chars));
  const arr = Array.from(s);
  const isStrip = (ch: string) => (set ? set.has(ch) : /[\s\u001c-\u001f\u0085]/u.test(ch));
  let a = 0;
  let b = arr.length;
  if (left) while (a < b && isStrip(arr[a])) a++;
  if (right) while (b > a && isStrip(arr[b - 1])) b--;
  return arr.slice(a, b).join('');
}

function argStr(args: PyValue[], i: number, name: string): Res<string | undefined> {
  const a = args[i];
  if (!a || a.t === 'none') return undefined;
  if (a.t !== 'str') return { err: `${name}() argument must be str, not ${typeName(a)}`, raises: true };
  return a.v;
}

function isCased(ch: string): boolean {
  return ch.toLowerCase() !== ch.toUpperCase();
}

/** str.title() / capitalize() use title case for the first letter of a word. */
function titleChar(ch: string): string {
  const t = ch.toUpperCase();
  return Array.from(t).length === 1 ? t : ch.toUpperCase();
}

/** Calls `s.<name>(*args, **kwargs)` for the str methods names are built with. */
export function strMethod(s: string, name: string, args: PyValue[], kwargs: Map<string, PyValue>): Res<PyValue> {
  const S = (v: string): PyValue => ({ t: 'str', v });
  if (kwargs.size > 0 && name !== 'format') return { err: `keyword arguments to str.${name}() are not evaluated statically` };
  // Title case and case folding follow Unicode tables JavaScript does not expose: ASCII only.
  if (['title', 'capitalize', 'swapcase', 'casefold'].includes(name) && /[^\x00-\x7f]/.test(s)) {
    return { err: `str.${name}() of non-ASCII text is not evaluated statically` };
  }
  switch (name) {
    case 'lower':
      return S(s.toLowerCase());
    case 'upper':
      return S(s.toUpperCase());
    case 'casefold':
      return S(s.toLowerCase());
    case 'swapcase':
      return S(Array.from(s, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''));
    case 'capitalize': {
      const arr = Array.from(s);
      return S(arr.length ? titleChar(arr[0]) + arr.slice(1).join('').toLowerCase() : '');
    }
    case 'title': {
      let prevCased = false;
      let out = '';
      for (const ch of s) {
        out += prevCased ? ch.toLowerCase() : titleChar(ch);
        prevCased = isCased(ch);
      }
      return S(out);
    }
    case 'strip':
    case 'lstrip':
    case 'rstrip': {
      const chars = argStr(args, 0, name);
      if (isErr(chars)) return chars;
      return S(stripChars(s, chars, name !== 'rstrip', name !== 'lstrip'));
    }
    case 'replace': {
      const a = args[0];
      const b = args[1];
      const c = args[2];
      if (a?.t !== 'str' || b?.t !== 'str') return { err: 'replace() arguments must be str', raises: true };
      let count = -1n;
      if (c) {
        if (c.t !== 'int') return { err: 'replace() count must be an int', raises: true };
        count = c.v;
      }
      return S(replaceCount(s, a.v, b.v, count));
    }
    case 'removeprefix':
    case 'removesuffix': {
      const a = args[0];
      if (a?.t !== 'str') return { err: `${name}() argument must be str`, raises: true };
      if (name === 'removeprefix') return S(a.v && s.startsWith(a.v) ? s.slice(a.v.length) : s);
      return S(a.v && s.endsWith(a.v) ? s.slice(0, s.length - a.v.length) : s);
    }
    case 'join': {
      const a = args[0];
      const items = a?.t === 'list' || a?.t === 'tuple' ? a.items : a?.t === 'str' ? Array.from(a.v, (c) => S(c)) : undefined;
      if (!items) return { err: `str.join() of a ${a ? typeName(a) : 'nothing'} is not evaluated statically` };
      const parts: string[] = [];
      for (const [i, it] of items.entries()) {
        if (it.t !== 'str') return { err: `sequence item ${i}: expected str instance, ${typeName(it)} found`, raises: it.t !== 'fig' };
        parts.push(it.v);
      }
      return S(parts.join(s));
    }
    case 'format': {
      const r = formatMethod(s, args, kwargs);
      return isErr(r) ? r : S(r);
    }
    case 'zfill': {
      const w = args[0];
      if (w?.t !== 'int') return { err: 'zfill() needs an int', raises: true };
      const width = Number(w.v);
      const arr = Array.from(s);
      if (arr.length >= width) return S(s);
      const sign = arr[0] === '+' || arr[0] === '-' ? arr[0] : '';
      return S(sign + '0'.repeat(width - arr.length) + arr.slice(sign ? 1 : 0).join(''));
    }
    case 'ljust':
    case 'rjust':
    case 'center': {
      const w = args[0];
      const f = args[1];
      if (w?.t !== 'int') return { err: `${name}() needs an int width`, raises: true };
      const fill = f === undefined ? ' ' : f.t === 'str' && Array.from(f.v).length === 1 ? f.v : undefined;
      if (fill === undefined) return { err: 'The fill character must be exactly one character long', raises: true };
      const len = Array.from(s).length;
      const n = Math.max(0, Number(w.v) - len);
      if (name === 'ljust') return S(s + fill.repeat(n));
      if (name === 'rjust') return S(fill.repeat(n) + s);
      // CPython's center: left = marg / 2 + (marg & width & 1).
      const left = Math.floor(n / 2) + (n & Number(w.v) & 1);
      return S(fill.repeat(left) + s + fill.repeat(n - left));
    }
    case 'split':
    case 'rsplit': {
      const sep = argStr(args, 0, name);
      if (isErr(sep)) return sep;
      if (args[1]) return { err: `${name}() with maxsplit is not evaluated statically` };
      if (sep === '') return { err: 'empty separator', raises: true };
      const parts = sep === undefined ? s.split(/[\s\u001c-\u001f\u0085]+/u).filter((p) => p !== '') : s.split(sep);
      return { t: 'list', items: parts.map(S) };
    }
    case 'startswith':
    case 'endswith': {
      const a = args[0];
      if (a?.t !== 'str') return { err: `${name}() with a ${a ? typeName(a) : 'missing'} argument is not evaluated statically` };
      return { t: 'bool', v: name === 'startswith' ? s.startsWith(a.v) : s.endsWith(a.v) };
    }
    default:
      return { err: `str.${name}() is not evaluated statically` };
  }
}

function replaceCount(s: string, a: string, b: string, count: bigint): string {
  if (count < 0n) {
    if (a === '') return b + Array.from(s).join(b) + (s ? b : '');
    return s.split(a).join(b);
  }
  let out = '';
  let rest = s;
  let n = count;
  if (a === '') {
    const chars = Array.from(s);
    let i = 0;
    while (n > 0n && i <= chars.length) {
      out += b + (chars[i] ?? '');
      i++;
      n--;
    }
    return out + chars.slice(i).join('');
  }
  while (n > 0n) {
    const at = rest.indexOf(a);
    if (at < 0) break;
    out += rest.slice(0, at) + b;
    rest = rest.slice(at + a.length);
    n--;
  }
  return out + rest;
}

export const STRIP_WS = WS;
