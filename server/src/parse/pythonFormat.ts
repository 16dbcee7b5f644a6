// CPython's text formatting for the values of pythonValue.ts: format specs (f-strings, format()),
// %-formatting and str.format. Checked against CPython (test/parse/python-value.test.ts). Pure.
import { equal, isErr, toRepr, toStr, typeName, type PyValue, type Res } from './pythonValue';

const MAX_TEXT = 10_000;

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
