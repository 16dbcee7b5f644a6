// figgy.json → FiggyJsonModel. Pure and total: any input gives a model plus errors, never an exception.
//
// Ranges: keys and string values are located by their whole JSON string token, quotes included (so an
// edit that replaces the range must write a quoted string). Merge parts of the single-string form are
// located by the exact characters inside the string (escapes accounted for).
//
// Semantics follow figgy-cli (which reads the file with Python's json module): comments and trailing
// commas are errors, a repeated key keeps its last value, and the twig may be derived from app_figs.
import { parseTree, type Node } from 'jsonc-parser';
import { parseMergeRef } from './paths';
import { range as rangeOf } from './text';
import type {
  FiggyJsonModel,
  LegacyKey,
  Located,
  MergedEntry,
  MergePart,
  ParseError,
  Range,
  ReplicationEntry,
} from './types';
import { dedupeProps, err, locString, locStringList, MAX_JSON_CHARS, nodeRange, objectProps, readJsonDocument, typeName, type JsonDoc } from './jsonDoc';

export { MAX_JSON_CHARS };

// ---------------------------------------------------------------------------------------------
// Merge parts

/**
 * Maps each UTF-16 index of a string token's decoded value to its source offset (length value+1; the last
 * entry is the closing quote). Undefined when the token does not decode to `value` (broken token).
 */
export function stringOffsets(text: string, node: Node, value: string): number[] | undefined {
  const start = node.offset + 1;
  const end = node.offset + node.length - 1;
  if (text.charCodeAt(node.offset) !== 34 || end < start) return undefined;
  const map: number[] = [];
  let i = start;
  let decoded = '';
  while (i < end) {
    const c = text[i];
    if (c === '\\') {
      const e = text[i + 1];
      let ch: string | undefined;
      let len = 2;
      if (e === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return undefined;
        ch = String.fromCharCode(parseInt(hex, 16));
        len = 6;
      } else {
        ch = ({ '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e];
      }
      if (ch === undefined) return undefined;
      map.push(i);
      decoded += ch;
      i += len;
    } else {
      map.push(i);
      decoded += c;
      i++;
    }
  }
  if (decoded !== value) return undefined;
  map.push(end);
  return map;
}

/** One element of a merged_figs list: exactly `${/p}` / `${/p:uri}` is a ref; other text with `${` is suspect. */
export function listPart(value: string, range: Range): MergePart {
  const ref = parseMergeRef(value);
  if (ref) return { kind: 'ref', path: ref.path, uri: ref.uri, range };
  if (value.includes('${')) return { kind: 'unknown', text: value, range };
  return { kind: 'literal', value, range };
}

/** Splits the single-string form on `${...}` refs, each part located inside the string. */
export function stringParts(doc: JsonDoc, node: Node, value: string): MergePart[] {
  const offsets = stringOffsets(doc.text, node, value);
  const whole = nodeRange(doc, node);
  const at = (a: number, b: number): Range => (offsets ? rangeOf(doc.idx.positionAt(offsets[a]), doc.idx.positionAt(offsets[b])) : whole);
  const parts: MergePart[] = [];
  const re = /\$\{[^}]*\}/g;
  let last = 0;
  const literal = (a: number, b: number) => {
    if (b <= a) return;
    const s = value.slice(a, b);
    parts.push(s.includes('${') ? { kind: 'unknown', text: s, range: at(a, b) } : { kind: 'literal', value: s, range: at(a, b) });
  };
  for (let m = re.exec(value); m; m = re.exec(value)) {
    literal(last, m.index);
    const end = m.index + m[0].length;
    const ref = parseMergeRef(m[0]);
    parts.push(ref ? { kind: 'ref', path: ref.path, uri: ref.uri, range: at(m.index, end) } : { kind: 'unknown', text: m[0], range: at(m.index, end) });
    last = end;
  }
  literal(last, value.length);
  return parts;
}

// ---------------------------------------------------------------------------------------------
// figgy.json

export const FIGGY_JSON_KEYS = ['twig', 'app_figs', 'replicate_figs', 'shared_figs', 'merged_figs', 'replicate_from', 'import', 'service', 'plugins'] as const;

/** Top-level keys that only a Figgy file has (current and old names); `import` alone is too common. */
const CONTENT_KEYS = new Set(['twig', 'app_figs', 'replicate_figs', 'shared_figs', 'merged_figs', 'replicate_from', 'namespace', 'app_parameters', 'shared_parameters', 'merged_parameters', 'replication_config']);
const CONTENT_HINT = /"(?:twig|app_figs|replicate_figs|shared_figs|merged_figs|replicate_from|namespace|app_parameters|shared_parameters|merged_parameters|replication_config)"\s*:/;

/**
 * What a JSON file is by its content: a figgy.json (any Figgy key), an owner's replication file
 * (`replicate_figs` without `twig` / `app_figs`, what `figgy config sync --replication-only` reads),
 * or not a Figgy file. Real repositories name these `ci-config.json`, `figgy-dba.json`,
 * `data_repl_conf.json`... Pure; cheap for unrelated JSON (a text check before any parsing).
 */
export function classifyJsonText(text: string): 'figgy-json' | 'secrets-json' | undefined {
  if (text.length > MAX_JSON_CHARS || !CONTENT_HINT.test(text)) return undefined;
  const root = parseTree(text, [], { disallowComments: false, allowTrailingComma: true });
  if (!root || root.type !== 'object') return undefined;
  const keys = objectProps(root).map((p) => p.key);
  if (!keys.some((k) => CONTENT_KEYS.has(k))) return undefined;
  const owner = keys.includes('replicate_figs') && !keys.some((k) => k !== 'replicate_figs' && CONTENT_KEYS.has(k));
  return owner ? 'secrets-json' : 'figgy-json';
}

/** Older key names and their current replacement. */
export const LEGACY_KEYS: Readonly<Record<string, string>> = {
  namespace: 'twig',
  app_parameters: 'app_figs',
  shared_parameters: 'shared_figs',
  merged_parameters: 'merged_figs',
  replication_config: 'replicate_figs',
};

const KNOWN = new Set<string>(FIGGY_JSON_KEYS);
// figgy-cli's Utils.parse_namespace: `^(/app/[A-Za-z0-9_-]+/).*` (the namespace keeps no trailing `/` here).
const SERVICE_ROOT = /^(\/app\/[A-Za-z0-9_-]+)\//;

export function emptyFiggyJson(uri: string): FiggyJsonModel {
  return { uri, appFigs: [], sharedFigs: [], replicateFigs: [], mergedFigs: [], imports: [], legacyKeys: [], errors: [] };
}

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** `{source: dest}` objects (replicate_figs). Repeated sources keep the last mapping, as Python does. */
export function parseReplication(doc: JsonDoc, n: Node | undefined, what: string, errors: ParseError[]): ReplicationEntry[] {
  if (!n) return [];
  if (n.type !== 'object') {
    errors.push(err('json-type', `${what} must be an object mapping source paths to destination paths, not ${typeName(n)}`, nodeRange(doc, n)));
    return [];
  }
  const props = dedupeProps(doc, objectProps(n), (k) => k, what, errors);
  const out: ReplicationEntry[] = [];
  for (const p of props.values()) {
    const dest = locString(doc, p.value, `the destination of "${p.key}" in ${what}`, errors);
    if (dest) out.push({ source: { value: p.key, range: nodeRange(doc, p.keyNode) }, dest });
  }
  return out;
}

function parseMerged(doc: JsonDoc, n: Node | undefined, key: string, errors: ParseError[]): MergedEntry[] {
  if (!n) return [];
  if (n.type !== 'object') {
    errors.push(err('json-type', `${key} must be an object mapping destination paths to lists, not ${typeName(n)}`, nodeRange(doc, n)));
    return [];
  }
  const out: MergedEntry[] = [];
  for (const p of dedupeProps(doc, objectProps(n), (k) => k, key, errors).values()) {
    const dest: Located = { value: p.key, range: nodeRange(doc, p.keyNode) };
    const v = p.value;
    if (!v) continue;
    if (v.type === 'string' && typeof v.value === 'string') {
      out.push({ dest, value: { form: 'string', value: v.value, parts: stringParts(doc, v, v.value), range: nodeRange(doc, v) } });
    } else if (v.type === 'array') {
      const parts: MergePart[] = [];
      for (const el of v.children ?? []) {
        const s = locString(doc, el, `each element of ${key} "${p.key}"`, errors);
        if (s) parts.push(listPart(s.value, s.range));
      }
      out.push({ dest, value: { form: 'list', parts, range: nodeRange(doc, v) } });
    } else {
      errors.push(err('json-type', `${key} "${p.key}" must be a list of strings and \${/path} references, not ${typeName(v)}`, nodeRange(doc, v)));
    }
  }
  return out;
}

function parseReplicateFrom(doc: JsonDoc, n: Node | undefined, errors: ParseError[]): FiggyJsonModel['replicateFrom'] {
  if (!n) return undefined;
  if (n.type !== 'object') {
    errors.push(err('json-type', `replicate_from must be an object with "source_twig" and "parameters", not ${typeName(n)}`, nodeRange(doc, n)));
    return undefined;
  }
  const props = dedupeProps(doc, objectProps(n), (k) => k, 'replicate_from', errors);
  const rf: NonNullable<FiggyJsonModel['replicateFrom']> = { parameters: [], range: nodeRange(doc, n) };
  for (const [k, p] of props) {
    if (k === 'source_twig') rf.sourceTwig = locString(doc, p.value, 'replicate_from.source_twig', errors);
    else if (k === 'parameters') rf.parameters = locStringList(doc, p.value, 'replicate_from.parameters', errors);
    else if (k === 'figs') {
      // Figgy's docs say `figs`; the CLI reads only `parameters`. The rule layer reports it; keep the key's place.
      rf.figsKey = nodeRange(doc, p.keyNode);
    } else {
      errors.push(err('json-unknown-key', `unknown key "${k}" in replicate_from (expected "source_twig" and "parameters")`, nodeRange(doc, p.keyNode), 'warning'));
    }
  }
  return rf;
}

/** Parses figgy.json text. Never throws; `uri` is only recorded. */
export function parseFiggyJson(text: string, uri: string): FiggyJsonModel {
  const model = emptyFiggyJson(uri);
  try {
    fill(model, text);
  } catch (e) {
    // Defensive: a bug here must not take down the server; report it where the user will see it.
    model.errors.push(err('json-internal', `internal error while reading figgy.json: ${(e as Error)?.message ?? 'unknown'}`, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }));
  }
  return model;
}

function fill(model: FiggyJsonModel, text: string): void {
  const doc = readJsonDocument(text, 'figgy.json', model.uri);
  const errors = model.errors;
  errors.push(...doc.errors);
  const root = doc.root;
  if (!root) return;
  if (root.type !== 'object') {
    errors.push(err('json-type', `figgy.json must contain a JSON object, not ${typeName(root)}`, nodeRange(doc, root)));
    return;
  }
  const all = objectProps(root);
  for (const p of all) {
    const rep = LEGACY_KEYS[p.key];
    // Old key names are what today's figgy-cli ignores: they declare nothing (the legacy-key rule says so).
    if (rep) model.legacyKeys.push({ key: p.key, replacement: rep, range: nodeRange(doc, p.keyNode) } satisfies LegacyKey);
    else if (!KNOWN.has(p.key)) {
      errors.push(err('json-unknown-key', `unknown key "${p.key}"; Figgy ignores it`, nodeRange(doc, p.keyNode), 'warning'));
    }
  }
  const props = dedupeProps(
    doc,
    all.filter((p) => KNOWN.has(p.key)),
    (k) => k,
    'figgy.json',
    errors,
  );
  const val = (k: string) => props.get(k)?.value;

  const name = (k: string) => props.get(k)?.key ?? k;
  if (props.has('twig')) {
    const t = locString(doc, val('twig'), name('twig'), errors);
    if (t && t.value === '') {
      errors.push(err('json-twig', 'twig is empty: figgy-cli then uses the namespace "/" and puts every name at the root of Parameter Store; use the service namespace, e.g. "/app/my-service"', t.range, 'warning'));
    } else if (t && !t.value.startsWith('/')) {
      errors.push(err('json-twig', `twig ${t.value} does not start with "/": figgy-cli puts names under "${t.value.replace(/\/+$/, '')}/...", which Parameter Store does not accept as a path`, t.range, 'warning'));
    }
    if (t) model.twig = t;
  }
  model.appFigs = locStringList(doc, val('app_figs'), name('app_figs'), errors);
  model.sharedFigs = locStringList(doc, val('shared_figs'), name('shared_figs'), errors);
  model.replicateFigs = parseReplication(doc, val('replicate_figs'), name('replicate_figs'), errors);
  model.mergedFigs = parseMerged(doc, val('merged_figs'), name('merged_figs'), errors);
  model.replicateFrom = parseReplicateFrom(doc, val('replicate_from'), errors);
  model.imports = locStringList(doc, val('import'), 'import', errors);
  if (!model.replicateFrom) delete model.replicateFrom;

  if (!props.has('twig')) {
    const rootBrace = doc.idx.rangeAt(root.offset, 1);
    const d = deriveTwig(model.appFigs);
    if (d.twig) {
      model.derivedTwig = d.twig;
      errors.push(err('json-no-twig', noTwigDerivedMessage(d.twig.value), d.twig.range, 'info'));
    } else if (model.appFigs.length > 0 || !model.legacyKeys.some((k) => k.replacement === 'twig' || k.replacement === 'app_figs')) {
      // (Without app_figs but with an old `namespace` / `app_parameters`, the legacy-key errors say this, with the rename fix.)
      const at = d.culprit?.range ?? (props.has('app_figs') ? nodeRange(doc, props.get('app_figs')!.keyNode) : rootBrace);
      errors.push(err('json-no-twig', d.why ?? NO_TWIG_MESSAGE, at));
    }
  }
}

const NO_TWIG_MESSAGE =
  'no "twig" and no app_figs entry of the form /app/<service>/...: Figgy cannot tell which service this is; add "twig": "/app/<service>"';

function noTwigDerivedMessage(twig: string): string {
  return `no "twig": Figgy takes the service namespace ${twig} from this app_figs entry; consider adding "twig": "${twig}"`;
}

/**
 * What figgy-cli does without a twig: it takes the `/app/<service>/` prefix of an app_figs entry
 * picked from a set (`set(app_figs).pop()`, so any of them). The namespace is certain only when every
 * entry has the same prefix; otherwise the CLI fails or picks one by chance.
 */
export function deriveTwig(appFigs: Located[]): { twig?: Located; why?: string; culprit?: Located } {
  if (appFigs.length === 0) return { why: NO_TWIG_MESSAGE };
  let ns: string | undefined;
  for (const a of appFigs) {
    const m = SERVICE_ROOT.exec(a.value);
    if (!m) {
      return {
        why: `no "twig": figgy-cli takes the namespace from an app_figs entry it picks at random, and ${a.value} has no /app/<service>/ prefix, so validate and sync fail whenever it picks this one; add "twig": "/app/<service>"`,
        culprit: a,
      };
    }
    if (ns !== undefined && m[1] !== ns) {
      return {
        why: `no "twig": figgy-cli takes the namespace from an app_figs entry it picks at random, and the entries name two services (${ns} and ${m[1]}), so the namespace changes from run to run; add "twig"`,
        culprit: a,
      };
    }
    ns = m[1];
  }
  const first = appFigs[0];
  return { twig: { value: ns!, range: first.range, ...(first.uri ? { uri: first.uri } : {}) } };
}

// ---------------------------------------------------------------------------------------------
// Import merging

/**
 * Where figgy-cli reads an `import` entry from: the folder named after the importing file without
 * `.json` (Utils.get_ci_config: `f"{path[:-5]}/{entry}"`), so `figgy/figgy.json` imports `extra.json`
 * from `figgy/figgy/extra.json`, not from beside it. Pure path arithmetic on `/`-separated paths.
 */
export function importTarget(filePath: string, entry: string): string {
  const stem = filePath.replace(/\.json$/, '');
  const parts: string[] = [];
  for (const seg of `${stem}/${entry}`.split('/')) {
    if (seg === '' || seg === '.') {
      if (parts.length === 0 && seg === '') parts.push('');
      continue;
    }
    if (seg === '..' && parts.length > 0 && parts[parts.length - 1] !== '..' && parts[parts.length - 1] !== '') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/') || '/';
}

function withUri<T extends { range: Range; uri?: string }>(x: T, uri: string): T {
  return x.uri ? x : { ...x, uri };
}

function locKey(l: Located, fallbackUri: string): string {
  return `${l.uri ?? fallbackUri}:${l.range.start.line + 1}`;
}

/**
 * Merges imported figgy.json models into `base` as figgy-cli does: lists are concatenated, objects are
 * unioned (a key present in both is an error on the later one), and any other value in an imported file
 * (e.g. its own `twig`) makes the CLI stop. Entries from imported files carry their `uri`. The CLI does
 * not follow imports of imported files; their `import` entries are concatenated like any list. Pure.
 */
export function mergeFiggyJson(base: FiggyJsonModel, imported: FiggyJsonModel[]): FiggyJsonModel {
  const out: FiggyJsonModel = {
    ...base,
    appFigs: [...base.appFigs],
    sharedFigs: [...base.sharedFigs],
    replicateFigs: [...base.replicateFigs],
    mergedFigs: [...base.mergedFigs],
    imports: [...base.imports],
    legacyKeys: [...base.legacyKeys],
    errors: [...base.errors],
    ...(base.replicateFrom ? { replicateFrom: { ...base.replicateFrom, parameters: [...base.replicateFrom.parameters] } } : {}),
  };
  for (const imp of imported) {
    const u = imp.uri;
    // Problems inside the imported file are reported against that file.
    for (const e of imp.errors) {
      if (e.code === 'json-no-twig') continue; // an imported file needs no twig of its own
      out.errors.push({ ...e, uri: e.uri ?? u });
    }
    if (imp.twig) {
      out.errors.push({
        code: 'json-import-scalar',
        message: `an imported file cannot set "twig": figgy-cli stops with "Unable to merge config values" (the twig belongs in ${out.uri.split('/').pop()})`,
        range: imp.twig.range,
        severity: 'error',
        uri: u,
      });
    }
    out.appFigs.push(...imp.appFigs.map((l) => withUri(l, u)));
    out.sharedFigs.push(...imp.sharedFigs.map((l) => withUri(l, u)));
    out.imports.push(...imp.imports.map((l) => withUri(l, u)));

    const dup = (what: string, later: Located, earlier: Located) => {
      out.errors.push({
        code: 'json-import-duplicate',
        message: `${what} "${later.value}" is also defined in ${locKey(earlier, out.uri)}; figgy-cli refuses overlapping keys between imported files`,
        range: later.range,
        severity: 'error',
        uri: later.uri ?? u,
        related: [{ uri: earlier.uri ?? out.uri, range: earlier.range, message: `"${earlier.value}" first defined here` }],
      });
    };
    for (const r of imp.replicateFigs) {
      const source = withUri(r.source, u);
      const prev = out.replicateFigs.find((x) => x.source.value === r.source.value);
      if (prev) dup('replicate_figs source', source, prev.source);
      else out.replicateFigs.push({ source, dest: withUri(r.dest, u) });
    }
    for (const m of imp.mergedFigs) {
      const dest = withUri(m.dest, u);
      const prev = out.mergedFigs.find((x) => x.dest.value === m.dest.value);
      if (prev) dup('merged_figs destination', dest, prev.dest);
      else out.mergedFigs.push({ ...m, dest });
    }
    if (imp.replicateFrom) {
      const irf = imp.replicateFrom;
      if (!out.replicateFrom) {
        out.replicateFrom = {
          ...irf,
          ...(irf.sourceTwig ? { sourceTwig: withUri(irf.sourceTwig, u) } : {}),
          parameters: irf.parameters.map((l) => withUri(l, u)),
        };
      } else {
        // replicate_from is an object: any key present on both sides collides (figgy-cli unions objects).
        const cur = out.replicateFrom;
        if (irf.sourceTwig) {
          if (cur.sourceTwig) dup('replicate_from key source_twig =', withUri(irf.sourceTwig, u), cur.sourceTwig);
          else cur.sourceTwig = withUri(irf.sourceTwig, u);
        }
        if (irf.parameters.length) {
          if (cur.parameters.length) dup('replicate_from key parameters, entry', withUri(irf.parameters[0], u), cur.parameters[0]);
          else cur.parameters = irf.parameters.map((l) => withUri(l, u));
        }
      }
    }
  }
  // Without a twig the CLI derives the namespace after merging, over every app_figs entry, imported ones too.
  if (!out.twig && imported.some((i) => i.appFigs.length)) {
    const d = deriveTwig(out.appFigs);
    delete out.derivedTwig;
    if (d.twig) out.derivedTwig = d.twig;
    const at = d.twig ?? d.culprit;
    const replacement: ParseError = d.twig
      ? { code: 'json-no-twig', severity: 'info', message: noTwigDerivedMessage(d.twig.value), range: d.twig.range }
      : { code: 'json-no-twig', severity: 'error', message: d.why ?? NO_TWIG_MESSAGE, range: at?.range ?? out.errors.find((e) => e.code === 'json-no-twig' && !e.uri)?.range ?? ZERO };
    if (at?.uri) replacement.uri = at.uri;
    if (at) replacement.related = [{ uri: at.uri ?? out.uri, range: at.range, message: d.twig ? 'the namespace comes from this entry' : 'this entry' }];
    out.errors = [...out.errors.filter((e) => !(e.code === 'json-no-twig' && !e.uri)), replacement];
  }
  return out;
}
