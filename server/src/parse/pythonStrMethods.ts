// The str methods a config.py builds names with (lower, replace, "/".join([...]), strip, format...),
// as CPython computes them. Checked against CPython (test/parse/python-value.test.ts). Pure.
import { isErr, typeName, type PyValue, type Res } from './pythonValue';
import { formatMethod } from './pythonFormat';

// ---------------------------------------------------------------------------------------------
// str methods

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
