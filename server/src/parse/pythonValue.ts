// Python values as a config.py builds names from them, with str() and repr() exactly as CPython
// writes them. Formatting is in pythonFormat.ts, str methods in pythonStrMethods.ts. Pure; an
// operation that is not modelled returns an Err with the reason instead of guessing.

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
