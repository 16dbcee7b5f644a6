// A Helm chart's templates (`templates/*.yaml`, `_helpers.tpl`) → HelmTemplateModel: for each
// container of the workloads a template renders, its literal `env` entries and `envFrom`s, and every
// other thing that writes them — a values path's YAML (`{{- toYaml .Values.env | nindent 12 }}`,
// `{{- range $k, $v := .Values.env }}` around `- name: {{ $k }}`), a named template (`include
// "app.env" .`), or an action Orchard does not follow; the keys of the ConfigMaps and Secrets a
// template renders (an `envFrom` takes them in, matched by the name as written); and the `define`s,
// whose bodies an `include` stands for. The model layer (model/helmChart.ts) decides from these
// whether the chart's environment is fully known. The Go template is set aside first
// (helmTemplateText.ts), so the YAML reader sees the same offsets. Pure, never throws, bounded.
import type { HelmTemplateModel, HelmTplContainer, HelmTplData, HelmTplDefine, HelmTplEnvFrom, HelmTplSetter, K8sEnvEntry } from './platformTypes';
import type { Range } from './types';
import { isMap, keyString, nodeOffsets, nodeRange, parseYamlFile, scalarString, seqItems, type YamlFile, type YNode } from './yaml';
import { pairGet, pairsOf, yamlCtx, type YamlCtx } from './envYaml';
import { imageName, POD_SPEC } from './k8sManifest';
import { LOOSE_VAR_NAME } from './varNames';
import { MAX_ACTIONS, PLACEHOLDER, templateText, type TplAction, type TplFrame, type TplText } from './helmTemplateText';
import { lineStarts, range as mkRange, position } from './text';
import type { Pair } from 'yaml';

/** A document rendering a workload, a ConfigMap or a Secret (what is read of a template's YAML). */
const RENDERS = /^[ \t]*kind:[ \t]*["']?(?:Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob|Pod|ConfigMap|Secret)["']?[ \t]*(?:#.*)?$/m;
/** Enclosing blocks looked through at most (a real template nests a few). */
const MAX_DEPTH = 64;
/** Items read at most per list (a real chart has tens). */
const MAX_ITEMS = 2_000;

/** A file of a chart's `templates/` folder Helm renders or includes (not its test pods in `templates/tests/`). */
export function isHelmTemplatePath(p: string): boolean {
  return /\/templates\/(?:[^/]+\/)*[^/]+\.(?:ya?ml|tpl)$/i.test(p) && !/\/templates\/tests\//i.test(p);
}

interface Ctx {
  text: string;
  t: TplText;
  f: YamlFile;
  y: YamlCtx;
  /** Per line, the column of its first character once actions are set aside; −1: blank or a comment. */
  indent: Int32Array;
}

function lineRange(t: TplText, a: TplAction): Range {
  const col = (o: number, l: number) => o - t.starts[l];
  return mkRange(position(a.line, col(a.start, a.line)), position(a.endLine, col(a.end, a.endLine)));
}

/** What an action that writes YAML sets; undefined for blocks, comments and assignments. */
function setterOf(t: TplText, a: TplAction): HelmTplSetter | undefined {
  const range = lineRange(t, a);
  if (a.kind === 'values') return { kind: 'values', path: a.path!, range };
  if (a.kind === 'include') return { kind: 'include', name: a.name!, range };
  if (a.kind === 'output') return { kind: 'opaque', text: `{{ ${a.inner.length > 60 ? `${a.inner.slice(0, 57)}…` : a.inner} }}`, range };
  return undefined;
}

function indents(yaml: string, starts: readonly number[]): Int32Array {
  const out = new Int32Array(starts.length);
  for (let l = 0; l < starts.length; l++) {
    const end = l + 1 < starts.length ? starts[l + 1] : yaml.length;
    let i = starts[l];
    while (i < end && (yaml[i] === ' ' || yaml[i] === '\t')) i++;
    out[l] = i >= end || yaml[i] === '\n' || yaml[i] === '\r' || yaml[i] === '#' ? -1 : i - starts[l];
  }
  return out;
}

/** The lines after a key at (`line`, `col`) that belong to its value: up to the next line indented no deeper. */
function blockEnd(ctx: Ctx, line: number, col: number): number {
  let l = line + 1;
  while (l < ctx.indent.length && (ctx.indent[l] < 0 || ctx.indent[l] > col)) l++;
  return l;
}

/** Index of the first action on `line` or after (actions are in text order). */
function firstAction(ctx: Ctx, line: number): number {
  const a = ctx.t.actions;
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid].line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The column an action alone on its line writes at: its `nindent` / `indent` argument, else where it stands. */
function writesAt(ctx: Ctx, a: TplAction): number {
  const m = /\|\s*n?indent\s+(\d+)/.exec(a.inner);
  return m ? Number(m[1]) : a.start - ctx.t.starts[a.line];
}

interface KeyAt {
  line: number;
  col: number;
  /** Offset where the key ends. */
  after: number;
  /** First line past its value's block. */
  end: number;
}

/** An action writes into a key's value: after the key on its line, or alone on a line of its block, written deeper than the key. */
function writesInto(ctx: Ctx, a: TplAction, k: KeyAt): boolean {
  if (a.line === k.line) return a.start >= k.after;
  return a.alone && a.line > k.line && a.line < k.end && writesAt(ctx, a) > k.col;
}

/** What the actions writing into a key's value set. */
function settersIn(ctx: Ctx, k: KeyAt): HelmTplSetter[] {
  const out: HelmTplSetter[] = [];
  for (let i = firstAction(ctx, k.line); i < ctx.t.actions.length; i++) {
    const a = ctx.t.actions[i];
    if (a.line >= k.end) break;
    if (!writesInto(ctx, a, k)) continue;
    const s = setterOf(ctx.t, a);
    if (s) out.push(s);
  }
  return out;
}

/** The text a node was written as (template actions kept), spaces collapsed. */
function written(ctx: Ctx, node: unknown): string | undefined {
  const off = nodeOffsets(node as YNode);
  if (!off) return undefined;
  return ctx.text
    .slice(off[0], off[1])
    .replace(/^["']|["']$/g, '')
    .replace(/\{\{-\s*/g, '{{ ')
    .replace(/\s*-\}\}/g, ' }}')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The `range` block whose variable (or `.`) a computed name stands for: `{{ $k }}`, `{{ .name }}`. */
function rangedName(raw: string, frame: TplFrame | undefined, range: Range): HelmTplSetter {
  const m = /^\{\{-?\s*(\$\w+|\.name|\$\w+\.name)\s*(?:\|\s*s?quote\s*)?-?\}\}$/.exec(raw.trim());
  for (let f = frame, n = 0; m && f && n < MAX_DEPTH; f = f.parent, n++) {
    if (f.kind !== 'range') continue;
    const v = m[1];
    const byKey = f.keyVar && v === f.keyVar;
    const byItem = (v === '.name' && !f.valVar) || (f.valVar !== undefined && v === `${f.valVar}.name`);
    if ((byKey || byItem) && f.path) return { kind: 'values', path: f.path, range };
    break;
  }
  const name = raw.trim();
  return { kind: 'opaque', text: `the name ${name.length > 60 ? `${name.slice(0, 57)}…` : name}`, range };
}

function envEntries(ctx: Ctx, list: unknown, setters: HelmTplSetter[]): K8sEnvEntry[] {
  const out: K8sEnvEntry[] = [];
  for (const item of seqItems(ctx.y.doc, list).slice(0, MAX_ITEMS)) {
    const namePair = pairGet(ctx.y, item, 'name');
    const key = scalarString(namePair?.value);
    if (!namePair || key === undefined) continue;
    const keyRange = nodeRange(ctx.f, namePair.value as YNode);
    if (key.includes(PLACEHOLDER)) {
      setters.push(rangedName(written(ctx, namePair.value) ?? key, ctx.t.frames[keyRange.start.line], keyRange));
      continue;
    }
    if (!LOOSE_VAR_NAME.test(key)) continue;
    const e: K8sEnvEntry = { key, keyRange };
    const valueFrom = pairGet(ctx.y, item, 'valueFrom')?.value;
    const value = scalarString(pairGet(ctx.y, item, 'value')?.value);
    if (isMap(valueFrom)) e.from = pairGet(ctx.y, valueFrom, 'secretKeyRef') ? 'secret' : pairGet(ctx.y, valueFrom, 'configMapKeyRef') ? 'config-map' : pairGet(ctx.y, valueFrom, 'resourceFieldRef') ? 'resource' : 'field';
    else if (value !== undefined && !value.includes(PLACEHOLDER)) {
      e.value = value;
      e.valueRange = nodeRange(ctx.f, pairGet(ctx.y, item, 'value')!.value as YNode);
    }
    out.push(e);
  }
  return out;
}

function envFroms(ctx: Ctx, list: unknown): HelmTplEnvFrom[] {
  const out: HelmTplEnvFrom[] = [];
  for (const item of seqItems(ctx.y.doc, list).slice(0, MAX_ITEMS)) {
    const secret = pairGet(ctx.y, item, 'secretRef');
    const ref = secret ?? pairGet(ctx.y, item, 'configMapRef');
    if (!ref) continue;
    const e: HelmTplEnvFrom = { from: secret ? 'secret' : 'config-map', range: nodeRange(ctx.f, (ref.key ?? item) as YNode) };
    const name = written(ctx, pairGet(ctx.y, ref.value, 'name')?.value);
    if (name) e.name = name;
    const prefix = scalarString(pairGet(ctx.y, item, 'prefix')?.value);
    if (prefix) e.prefix = prefix;
    out.push(e);
  }
  return out;
}

/** Where a pair's key is, and its value's block. */
function keyAt(ctx: Ctx, p: Pair): KeyAt | undefined {
  const off = nodeOffsets(p.key as YNode);
  if (!off) return undefined;
  const r = nodeRange(ctx.f, p.key as YNode);
  return { line: r.start.line, col: r.start.character, after: off[1], end: blockEnd(ctx, r.start.line, r.start.character) };
}

function container(ctx: Ctx, workload: string, c: unknown): HelmTplContainer | undefined {
  const namePair = pairGet(ctx.y, c, 'name');
  const name = written(ctx, namePair?.value);
  if (!isMap(c) || name === undefined) return undefined;
  const out: HelmTplContainer = { workload, name, entries: [], env: [], envFrom: [], envFromSetters: [], other: [] };
  const image = scalarString(pairGet(ctx.y, c, 'image')?.value);
  if (image && !image.includes(PLACEHOLDER)) out.image = imageName(image);
  // The container's own lines: from its first key to the next line indented less.
  const pairs = pairsOf(ctx.y, c);
  const first = pairs[0] && keyAt(ctx, pairs[0]);
  if (!first) return out;
  const itemEnd = (() => {
    let l = first.line + 1;
    while (l < ctx.indent.length && (ctx.indent[l] < 0 || ctx.indent[l] >= first.col)) l++;
    return l;
  })();
  const keys: KeyAt[] = [];
  for (const p of pairs) {
    const k = keyAt(ctx, p);
    if (!k) continue;
    keys.push(k);
    const key = keyString(p);
    if (key === 'env') {
      out.env.push(...settersIn(ctx, k));
      out.entries = envEntries(ctx, p.value, out.env);
    } else if (key === 'envFrom') {
      out.envFromSetters.push(...settersIn(ctx, k));
      out.envFrom = envFroms(ctx, p.value);
    }
  }
  // Actions alone on a line of the container that write into none of its keys write keys of the container.
  for (let i = firstAction(ctx, first.line); i < ctx.t.actions.length; i++) {
    const a = ctx.t.actions[i];
    if (a.line >= itemEnd) break;
    if (!a.alone || a.line < first.line || writesAt(ctx, a) < first.col || keys.some((k) => writesInto(ctx, a, k))) continue;
    const s = setterOf(ctx.t, a);
    if (s) out.other.push(s);
  }
  return out;
}

function dataKeys(ctx: Ctx, p: Pair | undefined, d: HelmTplData): void {
  if (!p) return;
  const k = keyAt(ctx, p);
  if (k) d.setters.push(...settersIn(ctx, k));
  for (const q of pairsOf(ctx.y, p.value).slice(0, MAX_ITEMS)) {
    const key = keyString(q);
    if (key === undefined || !q.key) continue;
    const range = nodeRange(ctx.f, q.key as YNode);
    if (key.includes(PLACEHOLDER)) d.setters.push(rangedName(written(ctx, q.key) ?? key, ctx.t.frames[range.start.line], range));
    else if (LOOSE_VAR_NAME.test(key)) d.keys.push({ key, range });
  }
}

/** The innermost `define` a block is in (memoised: nested blocks share their parents'). */
function defineOf(f: TplFrame | undefined, memo: Map<TplFrame, TplFrame | undefined>): TplFrame | undefined {
  const chain: TplFrame[] = [];
  let found: TplFrame | undefined;
  for (let x = f; x; x = x.parent) {
    if (memo.has(x)) {
      found = memo.get(x);
      break;
    }
    if (x.kind === 'define') {
      found = x;
      break;
    }
    chain.push(x);
  }
  for (const x of chain) memo.set(x, found);
  if (f?.kind === 'define') memo.set(f, f);
  return found;
}

/** The `define`s of a file: their bodies' `- name:` entries and the actions that write YAML in them. */
function defines(text: string, t: TplText): HelmTplDefine[] {
  const ctx = { text, t };
  const byFrame = new Map<TplFrame, HelmTplDefine>();
  const out: HelmTplDefine[] = [];
  for (const d of ctx.t.defines) {
    const def: HelmTplDefine = { name: d.name ?? '', entries: [], setters: [], writesEnv: false };
    byFrame.set(d, def);
    out.push(def);
  }
  if (out.length === 0) return out;
  const memo = new Map<TplFrame, TplFrame | undefined>();
  // Each line once: it belongs to the innermost define its start is in.
  for (let l = 0; l < ctx.t.starts.length; l++) {
    const d = defineOf(ctx.t.frames[l], memo);
    const def = d && byFrame.get(d);
    if (!def || l <= d!.line) continue;
    const lineText = ctx.text.slice(ctx.t.starts[l], l + 1 < ctx.t.starts.length ? ctx.t.starts[l + 1] : ctx.text.length);
    if (/^\s*(?:-\s+)?(?:env|envFrom)\s*:/.test(lineText)) def.writesEnv = true;
    const m = /^(\s*-\s+name:\s*)(.*?)\s*$/.exec(lineText);
    if (!m) continue;
    const raw = m[2].replace(/^(["'])(.*)\1$/, '$2');
    const range = mkRange(position(l, m[1].length), position(l, m[1].length + m[2].length));
    if (raw.includes('{{')) def.setters.push(rangedName(raw, ctx.t.frames[l], range));
    else if (LOOSE_VAR_NAME.test(raw) && def.entries.length < MAX_ITEMS) def.entries.push({ key: raw, range });
  }
  for (const a of ctx.t.actions) {
    if (!a.alone) continue;
    const d = defineOf(a.frame, memo);
    const def = d && byFrame.get(d);
    if (!def || a.line <= d!.line) continue;
    const s = setterOf(ctx.t, a);
    if (s && def.setters.length < MAX_ITEMS) def.setters.push(s);
  }
  return out;
}

/** Reads a chart template; undefined when it renders no workload, ConfigMap, Secret nor define. Never throws. */
export function parseHelmTemplate(text: string, uri: string): HelmTemplateModel | undefined {
  return readHelmTemplate(text, uri, false).model;
}

/**
 * A chart template's model, and (`withYaml`) its YAML as read with the actions set aside — the
 * original text at the same offsets, so the credential scan walks the structure a template's actions
 * would otherwise break (`- name: DB_PASSWORD` / `value: "…"` under `env:` beside a `{{- toYaml … }}`
 * line). One YAML parse serves both.
 */
export function readHelmTemplate(text: string, uri: string, withYaml: boolean): { model?: HelmTemplateModel; yaml?: YamlFile } {
  try {
    const t = templateText(text);
    const renders = RENDERS.test(text);
    const neutral = withYaml || renders ? parseYamlFile(t.yaml) : undefined;
    const yaml = neutral && withYaml ? { ...neutral, text } : undefined;
    const model = modelOf(text, uri, t, renders ? neutral : undefined);
    return model ? { model, yaml } : { yaml };
  } catch {
    // Defensive: a bug here is not the user's problem; the chart is then read as unknown.
    return {};
  }
}

function modelOf(text: string, uri: string, t: TplText, f: YamlFile | undefined): HelmTemplateModel | undefined {
  const model: HelmTemplateModel = { uri, kind: 'helm-template', containers: [], data: [], defines: [], errors: [] };
  model.defines = defines(text, t);
  if (t.truncated) model.unread = { message: `more than ${MAX_ACTIONS.toLocaleString('en-US')} template actions`, range: mkRange(position(0, 0), position(0, 0)) };
  // Only a file rendering a workload, a ConfigMap or a Secret is read as YAML (a chart's CRDs run to megabytes).
  const ctx: Ctx | undefined = f && { text, t, f, y: yamlCtx(f, f.docs[0]), indent: indents(t.yaml, t.starts) };
  for (const doc of ctx ? f!.docs.slice(0, MAX_ITEMS) : []) {
    const off = nodeOffsets(doc.contents as YNode);
    const docText = off ? t.yaml.slice(off[0], off[1]) : '';
    if (doc.errors.length > 0) {
      if (/\b(?:containers|data|stringData)\s*:/.test(docText) && !model.unread) {
        const e = doc.errors[0];
        const at = f!.index.positionAt(e.pos[0]);
        model.unread = { message: `its YAML does not parse once the template actions are set aside (${e.code})`, range: mkRange(at, at) };
      }
      continue;
    }
    if (!isMap(doc.contents) || !ctx) continue;
    ctx.y = yamlCtx(f!, doc);
    const kind = scalarString(pairGet(ctx.y, doc.contents, 'kind')?.value);
    if (kind === undefined) continue;
    if (kind === 'ConfigMap' || kind === 'Secret') {
      const name = written(ctx, pairGet(ctx.y, pairGet(ctx.y, doc.contents, 'metadata')?.value, 'name')?.value);
      if (name === undefined) continue;
      const d: HelmTplData = { from: kind === 'Secret' ? 'secret' : 'config-map', name, keys: [], setters: [] };
      for (const k of kind === 'Secret' ? ['data', 'stringData'] : ['data']) dataKeys(ctx, pairGet(ctx.y, doc.contents, k), d);
      model.data.push(d);
      continue;
    }
    const path = POD_SPEC.get(kind);
    if (!path) continue;
    let spec: unknown = doc.contents;
    for (const k of path) spec = pairGet(ctx.y, spec, k)?.value;
    for (const c of seqItems(doc, pairGet(ctx.y, spec, 'containers')?.value).slice(0, MAX_ITEMS)) {
      const got = container(ctx, kind, c);
      if (got) model.containers.push(got);
    }
  }
  if (model.containers.length === 0 && model.data.length === 0 && model.defines.length === 0 && !model.unread) return undefined;
  return model;
}


/**
 * Where `- name: NAME` / `value: ""` goes in a chart template: after the last literal `env` entry of
 * its first container that has one and may run the app (`mayRunApp` of its literal image), at that
 * entry's indentation, before whatever follows it (an `include`, the next key). Undefined: no such container.
 */
export function helmEnvEntryInsert(text: string, uri: string, name: string, mayRunApp: (image: string) => boolean): { offset: number; insert: string; container: string } | undefined {
  const m = parseHelmTemplate(text, uri);
  const c = m?.containers.find((x) => x.entries.length > 0 && (!x.image || mayRunApp(x.image)));
  if (!c) return undefined;
  const starts = lineStarts(text);
  const last = c.entries[c.entries.length - 1].keyRange.start;
  const lineText = (l: number) => text.slice(starts[l], l + 1 < starts.length ? starts[l + 1] : text.length).replace(/\r?\n$|\r$/, '');
  const dash = /^(\s*)-\s/.exec(lineText(last.line));
  if (!dash) return undefined;
  const col = dash[1].length;
  // The entry ends before the next line written no deeper than its dash.
  let end = last.line + 1;
  while (end < starts.length && (lineText(end).trim() === '' || /^\s*/.exec(lineText(end))![0].length > col)) end++;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const pad = ' '.repeat(col);
  const entry = `${pad}- name: ${name}${eol}${pad}  value: ""${eol}`;
  if (end >= starts.length) return { offset: text.length, insert: (text.endsWith('\n') ? '' : eol) + entry, container: c.name };
  return { offset: starts[end], insert: entry, container: c.name };
}
