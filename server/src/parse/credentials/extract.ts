// Line-wise key/value extraction for files scanned without a structural parser (and for shell
// scripts inside CI YAML). A small tokenizer walks each line once: it skips string literals,
// notes where a comment starts, and at each assignment operator (`=`, `:`, `:=`, `=>`) reads the
// name before it and the value after it. Handles `NAME = "v"`, `name: "v"`, `"name": "v"`,
// `export NAME=v`, `name := "v"`, `password: str = "v"`, `Password string = "v"`,
// `cfg["password"] = "v"`, `--password=v`, `--password v`, `os.getenv("NAME", "v")` and
// `process.env.NAME || "v"`. Linear: every character is visited a bounded number of times.
import type { Assignment, CredentialFileKind } from './types';
import { classifyName } from './names';
import { detach } from '../text';

export interface ExtractOptions {
  kind: CredentialFileKind;
  /** Context for the assignments found (`dotenv`, `python-assign`, `github-run`, ...). */
  context: string;
}

/** Longest name / value read; longer ones are cut (a credential is far shorter). */
const MAX_KEY = 200;
const MAX_VALUE = 4096;

const CODE_KINDS = new Set<CredentialFileKind>(['python', 'js', 'go', 'json']);
/** Type words written between a name and `=` (`Password string = "x"`, `String password = ...` is handled by order). */
const TYPE_WORDS = new Set(['string', 'str', 'String', 'bytes', '[]byte', 'char', '*string', 'SecretStr', 'Secret', 'any', 'object', 'const', 'var', 'let', 'val']);

function isIdent(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 /* _ */ || c === 46 /* . */ || c === 45 /* - */ || c === 36 /* $ */ || c === 64 /* @ */;
}
const isSpace = (c: number) => c === 32 || c === 9;
/** Files read line by line without a language of their own (`text`), or in one we do not model (`code`). */
const isTextLike = (kind: CredentialFileKind) => kind === 'text' || kind === 'code';
const DOCTEST = /^[ \t]*(?:>>>|\.\.\.)(?:[ \t]|$)/;
const isQuote = (c: number) => c === 34 || c === 39 || c === 96;

/** Index of the closing quote on the line, or -1. */
function findClose(text: string, open: number, lineEnd: number, escapes: boolean): number {
  const q = text.charCodeAt(open);
  const stop = Math.min(lineEnd, open + 1 + MAX_VALUE);
  for (let i = open + 1; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (escapes && c === 92 /* \ */) {
      i++;
      continue;
    }
    if (c === q) return i;
  }
  return -1;
}

function commentAt(kind: CredentialFileKind, text: string, i: number, lineStart: number): number {
  const c = text.charCodeAt(i);
  const prev = i > lineStart ? text.charCodeAt(i - 1) : 32;
  if (c === 35 /* # */ && (isSpace(prev) || i === lineStart) && kind !== 'js' && kind !== 'go' && kind !== 'json') return 1;
  if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47 && (kind === 'js' || kind === 'go' || kind === 'json' || isTextLike(kind))) {
    // `//` after a scheme colon is a URL, not a comment.
    return prev === 58 /* : */ ? 0 : 2;
  }
  if (c === 59 /* ; */ && kind === 'ini' && text.slice(lineStart, i).trim() === '') return 1;
  return 0;
}

interface Span {
  start: number;
  end: number;
}

/** Lines longer than this are scanned without the memo (their text as a key costs what a scan does). */
const MAX_MEMO_LINE = 1000;

/**
 * What one document's earlier extractions found on each line, by the line's text, for the next
 * extraction (an open document: a keystroke changes one line of thousands). A line's assignments
 * depend on its own text only (scanLine reads nothing outside [line start, line end)), so a line
 * seen before gives the same assignments, moved to where the line now starts. Lines no longer in
 * the document are dropped when they outnumber the document's own lines.
 */
export class LineMemo {
  private lines = new Map<string, Assignment[]>();
  private opts = '';
  private seen = 0;
  /** Lines whose assignments came from the memo in the last extraction (tests, stats). */
  reused = 0;

  begin(opts: ExtractOptions): void {
    const key = `${opts.kind}\0${opts.context}`;
    if (key !== this.opts) this.lines = new Map();
    this.opts = key;
    this.seen = 0;
    this.reused = 0;
  }

  /** The assignments of the line text[ls, le) (offsets relative to ls), from the memo or scanned. */
  line(text: string, ls: number, le: number, opts: ExtractOptions): Assignment[] {
    this.seen++;
    const key = text.slice(ls, le);
    const known = this.lines.get(key);
    if (known) {
      this.reused++;
      return known;
    }
    const found: Assignment[] = [];
    scanLine(text, ls, le, opts, found);
    // Kept strings are copies: a slice would keep this version's whole text alive in the memo.
    const rel = found.length === 0 ? NONE : found.map((a) => ({ ...shift(a, -ls), key: detach(a.key), value: detach(a.value) }));
    this.lines.set(detach(key), rel);
    return rel;
  }

  end(): void {
    // Each keystroke leaves one stale line behind: start again once they outnumber the live ones.
    if (this.lines.size > 2 * this.seen + 64) this.lines = new Map();
  }
}

const NONE: Assignment[] = [];

function shift(a: Assignment, by: number): Assignment {
  return { ...a, keyStart: a.keyStart + by, keyEnd: a.keyEnd + by, valueStart: a.valueStart + by, valueEnd: a.valueEnd + by };
}

/** Extracts the assignments of text[from, to) into `out` (with `memo`, reusing the lines its last extraction saw). */
export function extractAssignments(text: string, from: number, to: number, opts: ExtractOptions, out: Assignment[], memo?: LineMemo): void {
  memo?.begin(opts);
  let ls = from;
  while (ls < to) {
    let le = text.indexOf('\n', ls);
    if (le < 0 || le > to) le = to;
    const lineEnd = le > ls && text.charCodeAt(le - 1) === 13 ? le - 1 : le;
    if (memo && lineEnd - ls <= MAX_MEMO_LINE) {
      for (const a of memo.line(text, ls, lineEnd, opts)) out.push(shift(a, ls));
    } else scanLine(text, ls, lineEnd, opts, out);
    ls = le + 1;
  }
  memo?.end();
}

function scanLine(text: string, ls: number, le: number, opts: ExtractOptions, out: Assignment[]): void {
  const { kind } = opts;
  const escapes = kind !== 'shell' && kind !== 'dotenv';
  const spans: Span[] = [];
  // A Python session shown in a docstring (`>>> alice = {'passphrase': 'sekrit'}` and its `... `
  // lines, a doctest) is documentation: judged as a comment is.
  let inComment = (kind === 'python' || isTextLike(kind)) && DOCTEST.test(text.slice(ls, Math.min(le, ls + 80)));
  let commentStart = inComment ? ls : le;
  // Where the last Go / Helm template action (`{{ … }}`) on this line opened and closed.
  let actionOpen = -1;
  let actionClose = -1;
  let i = ls;
  while (i < le) {
    const c = text.charCodeAt(i);
    if ((c === 123 || c === 125) && i + 1 < le && text.charCodeAt(i + 1) === c) {
      if (c === 123) actionOpen = i;
      else actionClose = i;
    }
    if (isQuote(c)) {
      const close = findClose(text, i, le, escapes || c === 34);
      if (close < 0) {
        // An unterminated quote swallows what its search read: every character is read once, even
        // on a line of `"\"\"\…` (a retry from each quote would be quadratic).
        i = Math.min(le, i + 1 + MAX_VALUE);
        continue;
      }
      spans.push({ start: i, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (!inComment) {
      const cl = commentAt(kind, text, i, ls);
      if (cl > 0) {
        inComment = true;
        commentStart = i;
        i += cl;
        continue;
      }
    }
    let opLen = 0;
    let envOr = false;
    const next = i + 1 < le ? text.charCodeAt(i + 1) : -1;
    if (c === 61 /* = */) {
      const prev = i > ls ? text.charCodeAt(i - 1) : -1;
      if (next === 61 || (prev >= 0 && '!<>=+-*/%&|^~'.includes(String.fromCharCode(prev)))) {
        i += next === 61 ? 2 : 1;
        continue;
      }
      opLen = next === 62 /* > */ ? 2 : 1;
    } else if (c === 58 /* : */) {
      if (next === 61) opLen = 2;
      else if (next === 58) {
        i += 2;
        continue;
      } else if (next === -1 || isSpace(next) || isQuote(next)) opLen = 1;
    } else if ((c === 124 && next === 124) || (c === 63 && next === 63)) {
      // `process.env.NAME || "v"`, `?? "v"`: a default written for an environment variable.
      if (kind === 'js') {
        opLen = 2;
        envOr = true;
      }
    } else if (c === 44 /* , */ && (CODE_KINDS.has(kind) || isTextLike(kind))) {
      envDefault(text, i, ls, le, spans, opts, inComment, out);
    }
    if (opLen === 0) {
      i++;
      continue;
    }
    let key = keyBefore(text, i, ls, spans, c === 61 && opLen === 1);
    // Python: `api_key: "MasterAPIKey | None" = None` is an annotation (a dict's keys are quoted).
    if (key && kind === 'python' && !inComment && c === 58 && opLen === 1 && !isQuote(text.charCodeAt(key.end))) key = undefined;
    if (key && (!envOr || /(?:^|\.)env\.[A-Za-z_]\w*$/.test(key.name))) {
      const value = valueAfter(text, i + opLen, le, kind, escapes);
      // `{{ $pw := randAlphaNum 16 | b64enc }}`: in a template action only a quoted value is a literal.
      if (value && !value.quoted && actionOpen > actionClose) {
        i = Math.max(i + opLen, value.valueEnd);
        continue;
      }
      if (value) {
        const cut = envOr ? key.name.lastIndexOf('env.') + 4 : 0;
        out.push({ key: key.name.slice(cut), keyStart: key.start + cut, keyEnd: key.end, ...value, context: envOr ? 'env-default' : opts.context, inComment });
        // A bare value is not re-read for assignments (keeps `a=a=a=…` linear).
        if (!value.quoted) {
          i = Math.max(i + opLen, value.valueEnd);
          continue;
        }
      }
    }
    i += opLen;
  }
  if (kind === 'shell' || kind === 'yaml' || isTextLike(kind)) flags(text, ls, le, commentStart, opts, out);
}

interface Key {
  name: string;
  start: number;
  end: number;
}

function spanEndingAt(spans: Span[], end: number): Span | undefined {
  for (let k = spans.length - 1; k >= 0 && spans[k].end >= end; k--) if (spans[k].end === end) return spans[k];
  return undefined;
}

function readIdentBack(text: string, end: number, ls: number): Key | undefined {
  let k = end;
  while (k > ls && end - k < MAX_KEY && isIdent(text.charCodeAt(k - 1))) k--;
  if (k === end) return undefined;
  return { name: text.slice(k, end), start: k, end };
}

function skipSpaceBack(text: string, j: number, ls: number): number {
  while (j > ls && isSpace(text.charCodeAt(j - 1))) j--;
  return j;
}

function clean(k: Key): Key | undefined {
  const m = /^[-$@]*/.exec(k.name);
  const cut = m ? m[0].length : 0;
  const name = k.name.slice(cut).replace(/[.\-]+$/, '');
  if (!/[A-Za-z]/.test(name)) return undefined;
  return { name, start: k.start + cut, end: k.start + cut + name.length };
}

function keyBefore(text: string, op: number, ls: number, spans: Span[], plainEquals: boolean): Key | undefined {
  const j = skipSpaceBack(text, op, ls);
  if (j <= ls) return undefined;
  const last = text.charCodeAt(j - 1);
  if (isQuote(last)) {
    const s = spanEndingAt(spans, j);
    if (!s) return undefined;
    // `cond ? "new-password" : "current-password"`: the branches of a conditional, not a key and its value.
    const b = skipSpaceBack(text, s.start, ls);
    if (b > ls && text.charCodeAt(b - 1) === 63 /* ? */) return undefined;
    return clean({ name: text.slice(s.start + 1, s.end - 1), start: s.start + 1, end: s.end - 1 });
  }
  if (last === 93 /* ] */) {
    // cfg["password"] = ...
    const s = spanEndingAt(spans, skipSpaceBack(text, j - 1, ls));
    return s ? clean({ name: text.slice(s.start + 1, s.end - 1), start: s.start + 1, end: s.end - 1 }) : undefined;
  }
  const ident = readIdentBack(text, j, ls);
  if (!ident) return undefined;
  if (plainEquals) {
    const p = skipSpaceBack(text, ident.start, ls);
    // `password: str = "v"` (Python / TypeScript annotations)
    if (p > ls && text.charCodeAt(p - 1) === 58 && text.charCodeAt(p - 2) !== 58) {
      const named = readIdentBack(text, skipSpaceBack(text, p - 1, ls), ls);
      if (named) return clean(named);
    }
    // `Password string = "v"` (Go), `secret const = ...` never: only known type words.
    if (TYPE_WORDS.has(ident.name) && p < ident.start && p > ls) {
      const named = readIdentBack(text, p, ls);
      if (named) return clean(named);
    }
  }
  return clean(ident);
}

interface Value {
  value: string;
  valueStart: number;
  valueEnd: number;
  quoted: boolean;
}

function valueAfter(text: string, from: number, le: number, kind: CredentialFileKind, escapes: boolean): Value | undefined {
  let k = from;
  while (k < le && isSpace(text.charCodeAt(k))) k++;
  if (k >= le) return undefined;
  let fString = false;
  // Python string prefixes (f"", r"", b"", rb""...).
  if (kind === 'python' || isTextLike(kind)) {
    const m = /^[rRbBuUfF]{1,2}(?=["'])/.exec(text.slice(k, k + 3));
    if (m) {
      fString = /f/i.test(m[0]);
      k += m[0].length;
    }
  }
  const c = text.charCodeAt(k);
  // `KEY=   # comment`: nothing is assigned (the comment starts after the blank).
  if (c === 35 && k > from) return undefined;
  if (isQuote(c)) {
    if (text.startsWith('"""', k) || text.startsWith("'''", k)) return undefined;
    const close = findClose(text, k, le, escapes || c === 34);
    if (close < 0) return undefined;
    const value = text.slice(k + 1, close);
    if (fString && value.includes('{')) return undefined;
    // In code, a literal joined to more (`'Macaroon root=' + token`) is only part of the value.
    if ((CODE_KINDS.has(kind) || kind === 'code') && joinedAfter(text, close + 1, le)) return undefined;
    return { value, valueStart: k + 1, valueEnd: close, quoted: true };
  }
  if (CODE_KINDS.has(kind) || kind === 'code') return undefined; // an expression, not a literal
  let end: number;
  if (kind === 'shell') {
    end = k;
    while (end < le && end - k < MAX_VALUE && !/[\s;&|)`<>]/.test(text[end])) end++;
  } else {
    end = Math.min(le, k + MAX_VALUE);
    const hash = text.slice(k, end).search(/\s[#;]|\s\/\/\s/);
    if (hash >= 0) end = k + hash;
    while (end > k && isSpace(text.charCodeAt(end - 1))) end--;
    if (kind === 'text' && text.charCodeAt(end - 1) === 44) end--; // trailing comma in a list
  }
  if (end <= k) return undefined;
  const value = text.slice(k, end);
  // YAML/JSON structure indicators and calls are not literal values.
  if (/^[{\[|>&*!]/.test(value) || /^[A-Za-z_][\w.]*\s{0,2}[(\[]/.test(value)) return undefined;
  return { value, valueStart: k, valueEnd: end, quoted: false };
}

/** A `+` after a closing quote (spaces between): the string is concatenated with what follows. */
function joinedAfter(text: string, from: number, le: number): boolean {
  let k = from;
  while (k < le && isSpace(text.charCodeAt(k))) k++;
  return text.charCodeAt(k) === 43 /* + */;
}

/** `os.getenv("NAME", "v")`, `os.environ.get("NAME", default="v")`, `env("NAME", "v")`. */
function envDefault(text: string, comma: number, ls: number, le: number, spans: Span[], opts: ExtractOptions, inComment: boolean, out: Assignment[]): void {
  const j = skipSpaceBack(text, comma, ls);
  const s = spanEndingAt(spans, j);
  if (!s) return;
  const before = skipSpaceBack(text, s.start, ls);
  if (before <= ls || text.charCodeAt(before - 1) !== 40 /* ( */) return;
  // A call's arguments (`getenv("X", "v")`), not a tuple (`('PW', 'PW (Palau)')`, a table of codes).
  if (before - 2 < ls || !isIdent(text.charCodeAt(before - 2))) return;
  const name = text.slice(s.start + 1, s.end - 1);
  if (!/^[A-Z][A-Z0-9_]{1,100}$/.test(name)) return;
  let k = comma + 1;
  while (k < le && isSpace(text.charCodeAt(k))) k++;
  const m = /^default\s{0,3}=\s{0,3}/.exec(text.slice(k, k + 20));
  if (m) k += m[0].length;
  const v = valueAfter(text, k, le, 'python', true);
  if (!v || !v.quoted) return;
  out.push({ key: name, keyStart: s.start + 1, keyEnd: s.end - 1, ...v, context: 'env-default', inComment });
}

const FLAG = /(?<![\w-])--?([A-Za-z][\w-]{1,60})[ \t]{1,3}("(?:[^"\\\r\n]|\\.){1,500}"|'[^'\r\n]{1,500}'|[^\s"'\-$][^\s"';&|]{0,500})/g;

/**
 * `--password hunter2`, `-token 'x'` on command lines (the `--password=x` form is an assignment).
 * Only flags with a sensitive name: `git push --mirror https://…` is a switch and an argument, and
 * a token in that URL is not "assigned to mirror".
 */
function flags(text: string, ls: number, le: number, commentStart: number, opts: ExtractOptions, out: Assignment[]): void {
  const line = text.slice(ls, le);
  if (!line.includes('-')) return;
  FLAG.lastIndex = 0;
  for (let m = FLAG.exec(line); m; m = FLAG.exec(line)) {
    if (!classifyName(m[1])) continue;
    const keyStart = ls + m.index + m[0].indexOf(m[1]);
    const raw = m[2];
    const quoted = raw[0] === '"' || raw[0] === "'";
    const valueStart = ls + m.index + m[0].length - raw.length + (quoted ? 1 : 0);
    const value = quoted ? raw.slice(1, -1) : raw;
    // (In a comment, `--db-password flags),` is prose about the flag: judged as comments are.)
    out.push({ key: m[1], keyStart, keyEnd: keyStart + m[1].length, value, valueStart, valueEnd: valueStart + value.length, quoted, context: opts.context, inComment: keyStart >= commentStart });
  }
}
