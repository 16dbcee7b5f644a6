// The Go-template layer of a Helm chart's template: its actions (`{{ … }}`), which blocks
// (`if` / `with` / `range` / `define` … `end`) each line is inside, and the text with the actions set
// aside so the rest parses as YAML with the same offsets: a line holding only actions (`{{- if … }}`,
// `{{- toYaml .Values.env | nindent 12 }}`) and a `define`'s body become blank, an action inside a
// line becomes as many `·` (a character no variable name holds, so a computed name is seen as one).
// Pure, never throws; linear in the text, at most MAX_ACTIONS actions read.
import { lineIndex, lineStarts } from './text';

/** Actions read at most per file (a real template has hundreds). */
export const MAX_ACTIONS = 20_000;
/** The character an action inside a line becomes. */
export const PLACEHOLDER = '·';

/** A block an action opens: what `.` and the range variables stand for inside it. */
export interface TplFrame {
  kind: 'if' | 'with' | 'range' | 'define';
  parent?: TplFrame;
  /** `with .Values.p` → `p` (`.` is that value); `range … .Values.p` → `p` (what is iterated). */
  path?: string;
  /** `range $k, $v := …` → `$k`, `$v` (`range $v := …` → only `valVar`). */
  keyVar?: string;
  valVar?: string;
  /** `define "name"`. */
  name?: string;
  /** Line of the action that opened it, and of its `end` (−1 while open). */
  line: number;
  endLine: number;
}

export type TplActionKind = 'comment' | 'open' | 'else' | 'end' | 'assign' | 'include' | 'values' | 'output';

export interface TplAction {
  start: number;
  end: number;
  line: number;
  endLine: number;
  /** The action's text between the delimiters, trim markers and spaces removed. */
  inner: string;
  kind: TplActionKind;
  /** `include` / `template`: the named template. */
  name?: string;
  /** `values`: the `.Values` path whose YAML the action writes (`toYaml .Values.env`, `toYaml .` in `with .Values.env`). */
  path?: string;
  /** The block the action is in (for `open`, the one around the block it opens). */
  frame?: TplFrame;
  /** `open`: the block it opens. */
  opens?: TplFrame;
  /** Nothing else on its lines but other actions and spaces. */
  alone: boolean;
}

export interface TplText {
  /** The text with the actions set aside (same length and line breaks); made when first asked for. */
  readonly yaml: string;
  actions: TplAction[];
  /** Per line, the innermost block its start is in. */
  frames: (TplFrame | undefined)[];
  /** `define` blocks, with the lines of their bodies. */
  defines: TplFrame[];
  starts: readonly number[];
  /** More than MAX_ACTIONS actions: the rest of the file was not read. */
  truncated: boolean;
}

const VALUES_REF = /^\$?\.Values((?:\.[A-Za-z_][\w-]*)+)$/;

/** `.Values.a.b` / `$.Values.a.b` → `a.b`; `.` or `.x.y` inside `with .Values.p` → `p` / `p.x.y`. */
export function valuesPath(expr: string, frame: TplFrame | undefined): string | undefined {
  const e = expr.trim().replace(/^\((.*)\)$/, '$1').trim();
  const m = VALUES_REF.exec(e);
  if (m) return m[1].slice(1);
  if (e !== '.' && !/^(?:\.[A-Za-z_]\w*)+$/.test(e)) return undefined;
  // The innermost block that binds `.` (a few levels up at most).
  let f = frame;
  for (let n = 0; f && f.kind === 'if' && n < 64; n++) f = f.parent;
  if (!f || f.kind !== 'with' || !f.path) return undefined;
  return e === '.' ? f.path : f.path + e;
}

/** What an action does, from its text (trim markers removed). */
function classify(inner: string, frame: TplFrame | undefined, line: number): { kind: TplActionKind; name?: string; path?: string; opens?: TplFrame } {
  // A comment, or `fail` (rendering stops: it writes nothing).
  if (inner.startsWith('/*') || /^fail\b/.test(inner)) return { kind: 'comment' };
  let m: RegExpExecArray | null;
  if (/^else\b/.test(inner)) return { kind: 'else' };
  if (/^end\b/.test(inner)) return { kind: 'end' };
  if (/^if\b/.test(inner)) return { kind: 'open', opens: { kind: 'if', parent: frame, line, endLine: -1 } };
  if ((m = /^with\s+(.*)$/s.exec(inner))) return { kind: 'open', opens: { kind: 'with', parent: frame, path: valuesPath(m[1], frame), line, endLine: -1 } };
  if ((m = /^range\s+(?:(\$\w*)\s*(?:,\s*(\$\w+)\s*)?:?=\s*)?(.*)$/s.exec(inner))) {
    const opens: TplFrame = { kind: 'range', parent: frame, path: valuesPath(m[3], frame), line, endLine: -1 };
    if (m[2]) {
      opens.keyVar = m[1];
      opens.valVar = m[2];
    } else if (m[1]) opens.valVar = m[1];
    return { kind: 'open', opens };
  }
  if ((m = /^(?:define|block)\s+"([^"]*)"/.exec(inner))) return { kind: 'open', opens: { kind: 'define', parent: frame, name: m[1], line, endLine: -1 } };
  if (/^\$\w*\s*:?=/.test(inner)) return { kind: 'assign' };
  if ((m = /^(?:include|template)\s+"([^"]*)"/.exec(inner))) return { kind: 'include', name: m[1] };
  // `toYaml .Values.env | nindent 12`, `tpl (toYaml .Values.env) .`, `.Values.env | toYaml | indent 4`.
  if ((m = /^(?:tpl\s*\(\s*)?toYaml\s+\(?\s*([$.][\w.$-]*)/.exec(inner)) || (m = /^([$.][\w.$-]*)\s*\|\s*toYaml\b/.exec(inner))) {
    const path = valuesPath(m[1], frame);
    if (path) return { kind: 'values', path };
  }
  return { kind: 'output' };
}

/** Where an action opened at `at` ends (after its closing braces; a comment ends at its star-slash and braces); -1: unclosed. */
function actionEnd(text: string, at: number): number {
  let i = at + 2;
  if (text[i] === '-' && /\s/.test(text[i + 1] ?? '')) i += 2;
  while (text[i] === ' ' || text[i] === '\t') i++;
  if (text.startsWith('/*', i)) {
    const c = text.indexOf('*/', i + 2);
    if (c < 0) return -1;
    const close = text.indexOf('}}', c + 2);
    return close < 0 ? -1 : close + 2;
  }
  const close = text.indexOf('}}', at + 2);
  return close < 0 ? -1 : close + 2;
}

/** Reads a template's actions and blocks, and sets them aside for the YAML reader. Never throws. */
export function templateText(text: string): TplText {
  const index = lineIndex(text);
  const starts = lineStarts(text);
  const lineOf = (offset: number) => index.positionAt(offset).line;
  const actions: TplAction[] = [];
  const defines: TplFrame[] = [];
  let frame: TplFrame | undefined;
  let truncated = false;
  for (let at = text.indexOf('{{'); at >= 0; ) {
    if (actions.length >= MAX_ACTIONS) {
      truncated = true;
      break;
    }
    const end = actionEnd(text, at);
    if (end < 0) break;
    const inner = text
      .slice(at + 2, end - 2)
      .replace(/^-\s/, '')
      .replace(/\s-$/, '')
      .trim();
    const line = lineOf(at);
    const c = classify(inner, frame, line);
    const a: TplAction = { start: at, end, line, endLine: lineOf(end - 1), inner, kind: c.kind, frame, alone: false };
    if (c.name !== undefined) a.name = c.name;
    if (c.path !== undefined) a.path = c.path;
    if (c.opens) a.opens = c.opens;
    actions.push(a);
    if (c.opens) {
      frame = c.opens;
      if (c.opens.kind === 'define') defines.push(c.opens);
    } else if (c.kind === 'end' && frame) {
      frame.endLine = line;
      frame = frame.parent;
    }
    at = text.indexOf('{{', end);
  }
  // Lines holding nothing but actions and spaces: the text between a line's actions is blank.
  const lineEnd = (l: number) => (l + 1 < starts.length ? starts[l + 1] : text.length);
  const blankText = (from: number, to: number) => from >= to || /^\s*$/.test(text.slice(from, to));
  const aloneLine = new Uint8Array(starts.length);
  const onLine = new Map<number, TplAction[]>();
  for (const a of actions) for (let l = a.line; l <= a.endLine; l++) (onLine.get(l) ?? onLine.set(l, []).get(l)!).push(a);
  for (const [l, list] of onLine) {
    let pos = starts[l];
    let only = true;
    for (const a of list) {
      if (!blankText(pos, Math.max(pos, a.start))) only = false;
      pos = Math.max(pos, a.end);
    }
    if (only && blankText(pos, lineEnd(l))) aloneLine[l] = 1;
  }
  for (const a of actions) a.alone = aloneLine[a.line] === 1 && aloneLine[a.endLine] === 1;
  // A define's body is not output where it is written (each line once, however the defines nest).
  const inDefine = new Int32Array(starts.length + 1);
  for (const d of defines) {
    inDefine[d.line]++;
    inDefine[(d.endLine < 0 ? starts.length - 1 : d.endLine) + 1]--;
  }
  const blankLine = new Uint8Array(starts.length);
  for (let l = 0, depth = 0; l < starts.length; l++) {
    depth += inDefine[l];
    blankLine[l] = depth > 0 || aloneLine[l] ? 1 : 0;
  }
  let yaml: string | undefined;
  const neutral = () => (yaml ??= setAside(text, starts, actions, blankLine));
  // The block each line starts in.
  const frames: (TplFrame | undefined)[] = new Array(starts.length);
  let k = 0;
  let f: TplFrame | undefined;
  for (let l = 0; l < starts.length; l++) {
    while (k < actions.length && actions[k].end <= starts[l]) {
      const a = actions[k++];
      if (a.opens) f = a.opens;
      else if (a.kind === 'end' && f) f = f.parent;
    }
    frames[l] = f;
  }
  return {
    get yaml() {
      return neutral();
    },
    actions,
    frames,
    defines,
    starts,
    truncated,
  };
}

/** The text with the actions as placeholders and the lines of `blank` as spaces (line breaks kept). */
function setAside(text: string, starts: readonly number[], actions: readonly TplAction[], blank: Uint8Array): string {
  const parts: string[] = [];
  let pos = 0;
  for (const a of actions) {
    if (a.start < pos) continue;
    parts.push(text.slice(pos, a.start), text.slice(a.start, a.end).replace(/[^\r\n]/g, PLACEHOLDER));
    pos = a.end;
  }
  parts.push(text.slice(pos));
  const out = parts.join('');
  const lines: string[] = [];
  for (let l = 0; l < starts.length; l++) {
    const line = out.slice(starts[l], l + 1 < starts.length ? starts[l + 1] : out.length);
    lines.push(blank[l] ? line.replace(/[^\r\n]/g, ' ') : line);
  }
  return lines.join('');
}
