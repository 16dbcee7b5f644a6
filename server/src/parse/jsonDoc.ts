// Strict JSON for figgy.json, figgy-secrets.json and Heroku's app.json: the document as jsonc-parser's
// tree with line ranges, syntax errors in the words of the program that reads the file (Figgy unless
// told), and the helpers the parsers read objects, strings and repeated keys with. Pure and total,
// like the parsers that use it.
import { createScanner, parseTree, SyntaxKind, type Node, type ParseError as JsoncError } from 'jsonc-parser';
import { detach, lineIndex, type LineIndex } from './text';
import type { Located, ParseError, Range } from './types';
import type { PlatformEntry } from './platformTypes';
import type { Assignment } from './credentials/types';
import { LOOSE_VAR_NAME } from './varNames';

/** Larger inputs are refused: no real figgy.json comes near this, and parsing it would stall an editor. */
export const MAX_JSON_CHARS = 5 * 1024 * 1024;
/** Deeper nesting is refused before parsing: jsonc-parser descends recursively (200,000 `[` overflow its stack). */
export const MAX_JSON_DEPTH = 256;

export interface JsonDoc {
  uri: string;
  text: string;
  idx: LineIndex;
  /** Root value when the text could be read as JSON at all (possibly with recovered errors). */
  root?: Node;
  errors: ParseError[];
}

const syntaxMessages = (reader: string): Record<number, string> => ({
  1: 'unexpected character; expected a JSON value, "," or a closing bracket',
  2: 'invalid number',
  3: 'expected a property name in double quotes',
  4: 'expected a value',
  5: 'expected ":" after the property name',
  6: 'expected ","',
  7: 'expected "}"',
  8: 'expected "]"',
  9: 'unexpected content after the end of the JSON value',
  10: `comments are not allowed: ${reader} reads this file with a strict JSON parser`,
  11: `unterminated comment (comments are not allowed in ${reader === 'Figgy' ? 'figgy.json' : 'this file'} anyway)`,
  12: 'unterminated string',
  13: 'unterminated number',
  14: 'invalid \\u escape in string',
  15: 'invalid escape character in string',
  16: 'invalid character in string (control characters must be escaped)',
});
const FIGGY_MESSAGES = syntaxMessages('Figgy');

export function err(code: string, message: string, range: Range, severity: ParseError['severity'] = 'error'): ParseError {
  return { code, message, range, severity };
}

/** Range of a node (whole token or whole container). */
export function nodeRange(doc: JsonDoc, n: Node): Range {
  return doc.idx.rangeAt(n.offset, n.length);
}

/**
 * Reads text as strict JSON. Refuses huge, binary or too deeply nested input with one error and no
 * tree; otherwise returns jsonc-parser's fault-tolerant tree plus syntax errors mapped to
 * `json-syntax`, said as `reader` (the program that reads the file) reads it.
 */
export function readJsonDocument(text: string, fileLabel: string, uri: string, reader = 'Figgy'): JsonDoc {
  const t = typeof text === 'string' ? text : '';
  if (t.length > MAX_JSON_CHARS) {
    const idx = lineIndex('');
    const mb = (t.length / (1024 * 1024)).toFixed(1);
    return {
      uri,
      text: '',
      idx,
      errors: [err('json-too-large', `${fileLabel} is too large to check (${mb} MB of text; the limit is 5 MB)`, idx.rangeAt(0, 0))],
    };
  }
  const idx = lineIndex(t);
  const nul = t.indexOf('\u0000');
  if (nul >= 0) {
    return {
      uri,
      text: t,
      idx,
      errors: [err('json-binary', `${fileLabel} looks like a binary file (it contains a NUL byte), not JSON`, idx.rangeAt(nul, 1))],
    };
  }
  const doc: JsonDoc = { uri, text: t, idx, errors: [] };
  if (t.trim() === '') {
    doc.errors.push(err('json-syntax', `${fileLabel} is empty; ${reader} needs a JSON object`, idx.rangeAt(0, t.length)));
    return doc;
  }
  const deep = tooDeepAt(t);
  if (deep !== undefined) {
    doc.errors.push(err('json-too-deep', `${fileLabel} is not read: its values are nested more than ${MAX_JSON_DEPTH} levels deep`, idx.rangeAt(deep, 1)));
    return doc;
  }
  const messages = reader === 'Figgy' ? FIGGY_MESSAGES : syntaxMessages(reader);
  const raw: JsoncError[] = [];
  doc.root = parseTree(withPythonConstants(t), raw, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  let lastOffset = -1;
  for (const e of raw) {
    // jsonc-parser often reports two problems at one spot ("expected name", "expected value"): keep the first.
    if (e.offset === lastOffset) continue;
    lastOffset = e.offset;
    let message = messages[e.error] ?? 'invalid JSON';
    if (e.offset === 0 && t.charCodeAt(0) === 0xfeff) message = `the file starts with a byte-order mark, which ${reader}'s JSON reader rejects`;
    else if ((e.error === 3 || e.error === 4) && /,\s*$/.test(t.slice(Math.max(0, e.offset - 200), e.offset)) && /^[}\]]/.test(t.slice(e.offset, e.offset + 1))) {
      message = `trailing comma: ${reader}'s strict JSON reader does not allow a "," before a closing bracket`;
    }
    doc.errors.push(err('json-syntax', message, idx.rangeAt(e.offset, e.length)));
  }
  return doc;
}

/** Where the text first opens more than MAX_JSON_DEPTH objects or lists at once (strings skipped), if anywhere. */
function tooDeepAt(text: string): number | undefined {
  // Cheap test first: a figgy.json or app.json rarely holds that many brackets at all.
  let brackets = 0;
  for (let i = 0; i < text.length && brackets <= MAX_JSON_DEPTH; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) brackets++;
  }
  if (brackets <= MAX_JSON_DEPTH) return undefined;
  const sc = createScanner(text, true);
  let depth = 0;
  for (let k = sc.scan(); k !== SyntaxKind.EOF; k = sc.scan()) {
    if (k === SyntaxKind.OpenBraceToken || k === SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_JSON_DEPTH) return sc.getTokenOffset();
    } else if (k === SyntaxKind.CloseBraceToken || k === SyntaxKind.CloseBracketToken) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/**
 * Python's json module (figgy-cli's reader) also accepts NaN, Infinity and -Infinity as values. They
 * are read as numbers of the same length here (offsets unchanged; no Figgy key holds a number).
 */
function withPythonConstants(text: string): string {
  if (!/NaN|Infinity/.test(text)) return text;
  const sc = createScanner(text, false);
  let out = '';
  let at = 0;
  for (let k = sc.scan(); k !== SyntaxKind.EOF; k = sc.scan()) {
    if (k !== SyntaxKind.Unknown) continue;
    const v = sc.getTokenValue();
    if (v !== 'NaN' && v !== 'Infinity') continue;
    const off = sc.getTokenOffset();
    out += text.slice(at, off) + `0e${'0'.repeat(v.length - 2)}`;
    at = off + v.length;
  }
  return out + text.slice(at);
}

/** Property nodes of an object with their key node and (maybe missing) value node. */
export interface Prop {
  key: string;
  keyNode: Node;
  value?: Node;
  node: Node;
}

export function objectProps(obj: Node): Prop[] {
  const out: Prop[] = [];
  for (const p of obj.children ?? []) {
    const k = p.children?.[0];
    if (p.type !== 'property' || !k || typeof k.value !== 'string') continue;
    out.push({ key: detach(k.value), keyNode: k, value: p.children?.[1], node: p });
  }
  return out;
}

export function typeName(n: Node | undefined): string {
  if (!n) return 'nothing';
  switch (n.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    default:
      return n.type;
  }
}

/** A string node as Located, or a `json-type` error at the value. */
export function locString(doc: JsonDoc, n: Node | undefined, what: string, errors: ParseError[]): Located | undefined {
  if (n && n.type === 'string' && typeof n.value === 'string') return { value: detach(n.value), range: nodeRange(doc, n) };
  // A missing value already produced a syntax error; do not pile a type error on top.
  if (!n) return undefined;
  errors.push(err('json-type', `${what} must be a string, not ${typeName(n)}`, nodeRange(doc, n)));
  return undefined;
}

/** A list of strings; non-string elements are reported and skipped. */
export function locStringList(doc: JsonDoc, n: Node | undefined, what: string, errors: ParseError[]): Located[] {
  if (!n) return [];
  if (n.type !== 'array') {
    errors.push(err('json-type', `${what} must be a list of strings, not ${typeName(n)}`, nodeRange(doc, n)));
    return [];
  }
  const out: Located[] = [];
  for (const el of n.children ?? []) {
    const l = locString(doc, el, `each entry of ${what}`, errors);
    if (l) out.push(l);
  }
  return out;
}

/**
 * Groups properties by (canonical) key. A key given again — or given under both its old and new name —
 * is reported on each later occurrence. Python's json keeps the last occurrence of a repeated key; between
 * an old and a new name the new one wins (the CLI knows only the new one).
 */
export function dedupeProps(
  doc: JsonDoc,
  props: Prop[],
  canonical: (key: string) => string,
  where: string,
  errors: ParseError[],
  reader = 'Figgy',
): Map<string, Prop> {
  const groups = new Map<string, Prop[]>();
  for (const p of props) {
    const c = canonical(p.key);
    const g = groups.get(c);
    if (g) g.push(p);
    else groups.set(c, [p]);
  }
  const out = new Map<string, Prop>();
  for (const [c, g] of groups) {
    const exact = g.filter((p) => p.key === c);
    const winner = exact.length ? exact[exact.length - 1] : g[g.length - 1];
    const first = g[0];
    for (const p of g.slice(1)) {
      const message =
        p.key === first.key
          ? `"${p.key}" appears more than once in ${where}; ${reader} uses only the last one`
          : `"${first.key}" and "${p.key}" mean the same key in ${where}; only "${winner.key}" is used`;
      // JSON readers (Python's json module, figgy-cli's) keep the last value without complaint: the file is accepted.
      const e = err('json-duplicate-key', message, nodeRange(doc, p.keyNode), 'warning');
      e.related = [{ uri: doc.uri, range: nodeRange(doc, first.keyNode), message: `first "${first.key}" is here` }];
      errors.push(e);
    }
    out.set(c, winner);
  }
  return out;
}


/**
 * Where and what to insert to add `entry` (`"NAME": …` to an object, `{…}` to an array) to the node
 * `obj`, after its last property or item in its layout: one per line, indented as the last, or on
 * the same line when they share one; in an empty one, on a line of its own. Keeps the text's line ends.
 */
export function jsonEntryInsert(text: string, obj: Node, entry: string): { offset: number; insert: string } {
  const props = obj.children ?? [];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indentAt = (offset: number) => /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', offset - 1) + 1))![0];
  if (props.length === 0) {
    const indent = indentAt(obj.offset);
    return { offset: obj.offset + 1, insert: `${eol}${indent}  ${entry}${eol}${indent}` };
  }
  const last = props[props.length - 1];
  const lineStart = text.lastIndexOf('\n', last.offset - 1) + 1;
  const before = text.slice(lineStart, last.offset);
  return { offset: last.offset + last.length, insert: /\S/.test(before) ? `, ${entry}` : `,${eol}${before}${entry}` };
}

/**
 * An object of environment variables (`{"NAME": "value"}`: Zappa's and Chalice's
 * `environment_variables`) as entries: a string, number or boolean value as JSON wrote it, another
 * (an object, null) without one. Undefined when the node is not an object; at most 2,000 entries.
 */
export function jsonEnvEntries(doc: JsonDoc, obj: Node | undefined): PlatformEntry[] | undefined {
  if (obj?.type !== 'object') return undefined;
  const out: PlatformEntry[] = [];
  for (const p of objectProps(obj).slice(0, 2_000)) {
    if (!LOOSE_VAR_NAME.test(p.key)) continue;
    const e: PlatformEntry = { key: p.key, keyRange: nodeRange(doc, p.keyNode), entryRange: nodeRange(doc, p.node) };
    if (p.value && (p.value.type === 'string' || p.value.type === 'number' || p.value.type === 'boolean')) {
      e.value = p.value.type === 'string' && typeof p.value.value === 'string' ? detach(p.value.value) : String(p.value.value);
      e.valueRange = nodeRange(doc, p.value);
    }
    out.push(e);
  }
  return out;
}

/**
 * A JSON string value as the credential scan's assignment of the variable `key` (whose name sits at
 * `keyRange`, quotes included): for shapes where the value is not the line's own key's (Heroku's
 * `"DB_PASSWORD": {"value": …}`, ECS's `{"name": "DB_PASSWORD", "value": …}`). Undefined for a value
 * that is not a quoted string.
 */
export function jsonValueAssignment(text: string, idx: LineIndex, key: string, keyRange: Range, valueRange: Range, context: string): Assignment | undefined {
  const valueStart = idx.offsetAt(valueRange.start) + 1;
  const valueEnd = idx.offsetAt(valueRange.end) - 1;
  if (valueEnd < valueStart || text[valueStart - 1] !== '"') return undefined;
  return { key, keyStart: idx.offsetAt(keyRange.start) + 1, keyEnd: idx.offsetAt(keyRange.end) - 1, value: text.slice(valueStart, valueEnd), valueStart, valueEnd, quoted: true, context, inComment: false };
}
