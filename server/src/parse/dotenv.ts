// `.env` files → DotenvModel, read the way python-dotenv 1.2.x reads them (`dotenv/parser.py`), so
// what Orchard says a `.env` provides is what `load_dotenv()` really sets. Never throws; linear time.
//
// python-dotenv's grammar, per statement (a "binding"):
//   whitespace (blank lines too) · optional `export ` · key (`'quoted'` or a run without `=`, `#`,
//   whitespace) · spaces · optionally `=` spaces value · optional `# comment` · end of line.
//   A value is `'single'` (only \\ and \' are escapes), `"double"` (\\ \' \" \a \b \f \n \r \t \v) —
//   both may span lines — or unquoted: the rest of the line, cut at the first whitespace followed by
//   `#`, right-stripped. `KEY` alone gives None; `KEY=` gives "". A statement that does not match is
//   skipped with a warning: here it is an error with its range, and parsing goes on after that line,
//   from exactly where python-dotenv goes on.
// Differences with python-dotenv kept on purpose:
//   - a UTF-8 BOM is dropped (python-dotenv does so after 1.2.2, on its main branch);
//   - python-dotenv opens files with universal newlines, so `\r\n` and `\r` are newlines and a quoted
//     value spanning lines gets `\n`; Orchard reads the raw text and does the same translation.
//   - entries whose key holds template syntax (`{{`, `{%`) are dropped, and a templated file gets one
//     notice instead of an error per template line;
//   - a file only compose reads (`DotenvOptions.compose`: a folder of environment files' `env.d/common`)
//     also takes compose-go's `KEY: value`, and its messages name compose.
// `${VAR}` / `${VAR:-default}` references are recorded as python-dotenv's `_posix_variable` finds them
// (in every value, quoted or not; a bare `$VAR` is not expanded by python-dotenv, so not recorded).
import type { DotenvEntry, DotenvModel } from './envTypes';
import type { Range } from './types';
import { lineIndex, range as sharedRange, unreadableText, type LineIndex } from './text';

/** Above this many characters a `.env` file is not parsed (they are a few KB). */
export const MAX_DOTENV_CHARS = 2 * 1024 * 1024;
/** At most this many syntax errors are reported per file; the last one counts the rest. */
export const MAX_DOTENV_ERRORS = 20;

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Python's `str.isspace()` (= `\s` of Python's `re`), which python-dotenv's regexes use. */
export function isPySpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

function isNewline(c: number): boolean {
  return c === 10 || c === 13;
}

/** `[^\S\r\n]`: whitespace that does not end a line. */
function isHSpace(c: number): boolean {
  return !isNewline(c) && isPySpace(c);
}

class Fail {
  constructor(readonly reason: string) {}
}

interface Decoded {
  value: string;
  /** Source offset of each decoded character (and one past the last); absent when offsets map 1:1. */
  map?: Int32Array;
}

const DOUBLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * Decodes a quoted value's content [from, to): newlines translated to `\n` (universal newlines), then
 * the escapes python-dotenv decodes for this quote kind.
 */
function decodeQuoted(text: string, from: number, to: number, quote: '"' | "'"): Decoded {
  let plain = true;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 92 /* \ */ || c === 13) {
      plain = false;
      break;
    }
  }
  if (plain) return { value: text.slice(from, to) };
  const out: string[] = [];
  const map = new Int32Array(to - from + 1);
  let n = 0;
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (ch === '\r') {
      map[n++] = i;
      out.push('\n');
      if (text.charCodeAt(i + 1) === 10 && i + 1 < to) i++;
      continue;
    }
    if (ch === '\\' && i + 1 < to) {
      const next = text[i + 1];
      const rep = quote === '"' ? DOUBLE_ESCAPES[next] : next === '\\' || next === "'" ? next : undefined;
      if (rep !== undefined) {
        map[n++] = i;
        out.push(rep);
        i++;
        continue;
      }
    }
    map[n++] = i;
    out.push(ch);
  }
  map[n] = to;
  return { value: out.join(''), map: map.subarray(0, n + 1) };
}

/**
 * `${name}` / `${name:-default}` as python-dotenv's `_posix_variable` finds them (names are anything
 * but `}` and `:`), each with the range of its name. Linear: the next `}` and `:` are precomputed.
 */
function posixRefs(value: string, toOffset: (i: number) => number, idx: LineIndex): { name: string; range: Range }[] {
  const refs: { name: string; range: Range }[] = [];
  if (!value.includes('${')) return refs;
  const n = value.length;
  const nextBrace = new Int32Array(n + 1);
  const nextColon = new Int32Array(n + 1);
  nextBrace[n] = -1;
  nextColon[n] = -1;
  for (let i = n - 1; i >= 0; i--) {
    nextBrace[i] = value[i] === '}' ? i : nextBrace[i + 1];
    nextColon[i] = value[i] === ':' ? i : nextColon[i + 1];
  }
  let i = 0;
  while (i < n - 1) {
    if (value[i] !== '$' || value[i + 1] !== '{') {
      i++;
      continue;
    }
    const nameStart = i + 2;
    const brace = nextBrace[nameStart] ?? -1;
    if (brace < 0) break; // no `}` anywhere after: no later match either
    const colon = nextColon[nameStart] ?? -1;
    let end = -1;
    let nameEnd = brace;
    if (colon >= 0 && colon < brace) {
      nameEnd = colon;
      // `:-default}`; any other `:` fails at this `$`.
      if (value[colon + 1] === '-') end = nextBrace[colon + 2] ?? -1;
    } else end = brace;
    if (end < 0) {
      i++;
      continue;
    }
    const s = toOffset(nameStart);
    const e = toOffset(nameEnd);
    refs.push({ name: value.slice(nameStart, nameEnd), range: { start: idx.positionAt(s), end: idx.positionAt(e) } });
    i = end + 1;
  }
  return refs;
}

/** Jinja / Go template markers (`${#` is not one: it is a `${` reference to a name starting with `#`). */
const TEMPLATE = /\{\{|\{%|(?<!\$)\{#/;

export interface DotenvOptions {
  /**
   * Read as compose reads an `env_file` (compose-go's dotenv): `KEY: value` sets KEY as `KEY=value`
   * does. For the files of a folder of environment files (`env.d/development/common`,
   * `.envs/.local/.django`), which only compose reads.
   */
  compose?: boolean;
}

/** Parses a `.env` file. Never throws. */
export function parseDotenv(text: string, uri: string, opts: DotenvOptions = {}): DotenvModel {
  const model: DotenvModel = { uri, kind: 'dotenv', entries: [], errors: [] };
  const unreadable = unreadableText(text, MAX_DOTENV_CHARS, 'for .env files', 'a .env text file');
  if (unreadable) {
    model.errors.push(unreadable);
    return model;
  }
  try {
    new DotenvReader(text, model, opts.compose === true).run();
  } catch (e) {
    // The reader does not throw by design; this guards against a bug turning into a crash.
    model.errors.push({ code: 'parse-internal', message: `internal error while reading .env: ${e instanceof Error ? e.name : typeof e}`, range: ZERO, severity: 'error' });
  }
  return model;
}

class DotenvReader {
  private readonly idx: LineIndex;
  private readonly n: number;
  private pos: number;
  private errorCount = 0;
  private readonly templated: boolean;
  private templateSkips = 0;
  private firstTemplateAt = -1;

  /** Who reads the file, as the messages name it. */
  private readonly reader: string;

  constructor(
    private readonly text: string,
    private readonly model: DotenvModel,
    private readonly compose = false,
  ) {
    this.reader = compose ? 'compose' : 'python-dotenv';
    this.idx = lineIndex(text);
    this.n = text.length;
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.templated = TEMPLATE.test(text);
  }

  run(): void {
    while (this.pos < this.n) this.binding();
    if (this.errorCount > MAX_DOTENV_ERRORS) {
      const last = this.model.errors[this.model.errors.length - 1];
      last.message += ` (and ${this.errorCount - MAX_DOTENV_ERRORS} more lines ${this.reader} cannot parse)`;
    }
    this.repeatedKeys();
    if (this.templateSkips > 0) {
      this.model.errors.push({
        code: 'dotenv-templated',
        message: `template syntax ({{ }} / {% %}) on ${this.templateSkips} line${this.templateSkips === 1 ? '' : 's'}: those lines are not read as variables`,
        range: this.range(this.firstTemplateAt, this.eol(this.firstTemplateAt)),
        severity: 'info',
      });
    }
  }

  /**
   * A key set again later: python-dotenv keeps the last value, so the earlier line has no effect.
   * Not in a template with `{% if %}` / `{% for %}` blocks (Mailu's `mailu.env`): which of its lines
   * the rendered file keeps is the template's choice.
   */
  private repeatedKeys(): void {
    if (this.templated && /\{%-?\s*(?:if|for)\b/.test(this.text)) return;
    const last = new Map<string, DotenvEntry>();
    for (const e of this.model.entries) last.set(e.key, e);
    if (last.size === this.model.entries.length) return;
    let n = 0;
    for (const e of this.model.entries) {
      const final = last.get(e.key)!;
      if (final === e || ++n > MAX_DOTENV_ERRORS) continue;
      this.model.errors.push({
        code: 'dotenv-duplicate-key',
        message: `${e.key} is set again on line ${final.keyRange.start.line + 1}, and ${this.reader} keeps the last value: this line has no effect`,
        range: e.keyRange,
        severity: 'warning',
      });
    }
    if (n > MAX_DOTENV_ERRORS) this.model.errors[this.model.errors.length - 1].message += ` (and ${n - MAX_DOTENV_ERRORS} more lines set a key again)`;
  }

  private templateSkip(at: number): void {
    this.templateSkips++;
    if (this.firstTemplateAt < 0) this.firstTemplateAt = at;
  }

  private range(from: number, to: number): Range {
    return sharedRange(this.idx.positionAt(from), this.idx.positionAt(to));
  }

  private c(i: number): number {
    return i < this.n ? this.text.charCodeAt(i) : -1;
  }

  private skipHSpace(): void {
    while (this.pos < this.n && isHSpace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  /** End of the line that holds `i` (the offset of its line break, or the end of the text). */
  private eol(i: number): number {
    while (i < this.n && !isNewline(this.text.charCodeAt(i))) i++;
    return i;
  }

  private binding(): void {
    const t = this.text;
    while (this.pos < this.n && isPySpace(t.charCodeAt(this.pos))) this.pos++;
    if (this.pos >= this.n) return;
    const start = this.pos;
    try {
      let exported = false;
      if (t.startsWith('export', this.pos) && isHSpace(this.c(this.pos + 6))) {
        this.pos += 6;
        this.skipHSpace();
        exported = true;
      }
      const key = this.key();
      const keyEnd = this.pos;
      this.skipHSpace();
      let value: string | null = null;
      let valueFrom = -1;
      let valueTo = -1;
      let quote: '"' | "'" | undefined;
      let decoded: Decoded | undefined;
      let contentFrom = -1;
      let comment: string | undefined;
      // (Compose also takes `KEY: value`, "yaml-style", as compose-go's dotenv parser says.)
      if (this.c(this.pos) === 61 /* = */ || (this.compose && this.c(this.pos) === 58 /* : */)) {
        this.pos++;
        this.skipHSpace();
        valueFrom = this.pos;
        const q = this.c(this.pos);
        if (q === 39 || q === 34) {
          quote = q === 39 ? "'" : '"';
          const close = this.closingQuote(this.pos, q);
          contentFrom = this.pos + 1;
          decoded = decodeQuoted(t, contentFrom, close, quote);
          value = decoded.value;
          this.pos = close + 1;
          valueTo = this.pos;
        } else if (q === -1 || isNewline(q)) {
          value = '';
          valueTo = valueFrom;
        } else {
          const end = this.eol(this.pos);
          const cut = commentCut(t, this.pos, end);
          let stop = cut < 0 ? end : cut;
          while (stop > this.pos && isPySpace(t.charCodeAt(stop - 1))) stop--;
          value = t.slice(this.pos, stop);
          valueTo = stop;
          if (cut >= 0) comment = t.slice(t.indexOf('#', cut) + 1, end).trim();
          this.pos = end;
        }
      }
      // Optional `# comment` (only after a quoted value or a bare key: an unquoted value took the line).
      {
        let p = this.pos;
        while (p < this.n && isHSpace(t.charCodeAt(p))) p++;
        if (this.c(p) === 35 /* # */) {
          const end = this.eol(p);
          comment = t.slice(p + 1, end).trim();
          this.pos = end;
        }
      }
      const lineEnd = this.pos;
      this.skipHSpace();
      const c = this.c(this.pos);
      if (c === 13) this.pos += this.c(this.pos + 1) === 10 ? 2 : 1;
      else if (c === 10) this.pos++;
      else if (c !== -1) {
        throw new Fail(
          key === null
            ? `${this.reader} cannot parse this line`
            : value === null
              ? `${this.reader} cannot parse this line: after the name it expects "=" or the end of the line`
              : `${this.reader} cannot parse this line: unexpected text after the closing ${quote === '"' ? 'double' : 'single'} quote`,
        );
      }
      if (key === null) return; // a comment line
      // `{{ name }}=…`, `{# comment #}`: template syntax where the name is, not a variable.
      if (this.templated && TEMPLATE.test(t.slice(start, keyEnd + 1))) {
        this.templateSkip(start);
        return;
      }
      const entry: DotenvEntry = {
        key: key.value,
        keyRange: key.range,
        value,
        exported,
        refs: [],
        range: this.range(start, lineEnd),
      };
      if (value !== null) {
        entry.valueRange = this.range(valueFrom, valueTo);
        if (quote) entry.quote = quote;
        const base = quote ? contentFrom : valueFrom;
        const map = decoded?.map;
        entry.refs = posixRefs(value, map ? (i) => map[Math.min(i, map.length - 1)] : (i) => base + i, this.idx);
      }
      if (comment !== undefined) entry.comment = comment;
      this.model.entries.push(entry);
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      // `_rest_of_line`: python-dotenv goes on after the rest of the line where it failed.
      const end = this.eol(this.pos);
      this.pos = end;
      const c = this.c(this.pos);
      if (c === 13) this.pos += this.c(this.pos + 1) === 10 ? 2 : 1;
      else if (c === 10) this.pos++;
      this.fail(start, end, e.reason);
    }
  }

  private fail(from: number, to: number, reason: string): void {
    if (this.templated && TEMPLATE.test(this.text.slice(from, Math.min(to, from + 10_000)))) {
      this.templateSkip(from);
      return;
    }
    this.errorCount++;
    if (this.errorCount > MAX_DOTENV_ERRORS) return;
    const startLine = this.idx.positionAt(from).line;
    const endLine = this.idx.positionAt(to).line;
    const spans = endLine > startLine ? ` (a quoted value opened on line ${startLine + 1} runs to line ${endLine + 1}; close it on its own line)` : '';
    this.model.errors.push({ code: 'dotenv-syntax', message: `${reason}; the line is ignored${spans}`, range: this.range(from, to), severity: 'error' });
  }

  /** `'quoted'` or unquoted key; null for a comment line (`#` where the key would start). */
  private key(): { value: string; range: Range } | null {
    const t = this.text;
    const c = this.c(this.pos);
    if (c === 35) return null;
    if (c === 39) {
      const close = t.indexOf("'", this.pos + 1);
      if (close < 0 || close === this.pos + 1) throw new Fail(close < 0 ? `${this.reader} cannot parse this line: the quoted name has no closing quote` : `${this.reader} cannot parse this line: the quoted name is empty`);
      const from = this.pos + 1;
      this.pos = close + 1;
      return { value: t.slice(from, close).replace(/\r\n?/g, '\n'), range: this.range(from, close) };
    }
    const from = this.pos;
    while (this.pos < this.n) {
      const k = t.charCodeAt(this.pos);
      if (k === 61 || k === 35 || isPySpace(k) || (k === 58 && this.compose)) break;
      this.pos++;
    }
    if (this.pos === from) throw new Fail(`${this.reader} cannot parse this line: it does not start with a variable name`);
    return { value: t.slice(from, this.pos), range: this.range(from, this.pos) };
  }

  /**
   * The closing quote of a value opened at `open`, as the regex `'((?:\\'|[^'])*)'` (or with `"`)
   * matches it: `\` + quote is taken as a pair on the way; at the end of the text without a free
   * quote, the engine backtracks to the quote of the last pair.
   */
  private closingQuote(open: number, q: number): number {
    const t = this.text;
    let lastPair = -1;
    for (let i = open + 1; i < this.n; i++) {
      const c = t.charCodeAt(i);
      if (c === 92 && t.charCodeAt(i + 1) === q) {
        lastPair = i + 1;
        i++;
        continue;
      }
      if (c === q) return i;
    }
    if (lastPair >= 0) return lastPair;
    throw new Fail(`${this.reader} cannot parse this line: the ${q === 34 ? 'double' : 'single'}-quoted value has no closing quote`);
  }
}

/** Where `re.sub(r"\s+#.*", "", part)` cuts an unquoted value in [from, to): the first whitespace run followed by `#`. */
function commentCut(t: string, from: number, to: number): number {
  let runStart = -1;
  for (let i = from; i < to; i++) {
    const c = t.charCodeAt(i);
    if (isPySpace(c)) {
      if (runStart < 0) runStart = i;
    } else {
      if (c === 35 && runStart >= 0) return runStart;
      runStart = -1;
    }
  }
  return -1;
}
