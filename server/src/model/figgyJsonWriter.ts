// Renders figgy.json from a config.py FigStore class, byte for byte as figgy-lib 1.0.0 writes it.
//
// What figgy-lib's `ConfigWriter.write(fig_store, file_name="figgy.json", destination_dir="")` does
// (figtools/figgy.python.lib, src/figgy/writer.py, read for this port):
// - Builds an OrderedDict with exactly these keys in this order, each always present even when empty:
//   "twig" (the class's TWIG as written), "app_figs" [], "replicate_figs" {}, "shared_figs" [],
//   "merged_figs" {}. Empty ones render as `[]` / `{}`.
// - Walks `fig_store.figs`, which is `dir(self)` minus `__`-prefixed names, `TWIG` and `figs`: Python's
//   dir() is sorted by code point and includes what the class inherits, so figs come in attribute-name
//   order (ADMIRED_PERSON before SECRET_ADMIRER), not declaration order, and one Fig bound to two
//   attributes is written twice.
//     AppFig      → app_figs.append(name)
//     ReplicatedFig → replicate_figs[source as written] = name (a repeated source keeps its first
//                   position and the last destination, as dict assignment does)
//     SharedFig   → shared_figs.append(name)
//     MergeFig    → merged_figs[name] = pattern, where each Fig in the pattern becomes `${<its name>}`,
//                   or `${<its name>:uri}` when it is `in` uri_encode (identity, or Fig.__eq__, which
//                   compares names), and strings stay as they are. A single-string pattern is iterated
//                   by Python character by character, so it becomes a list of one-character strings.
//   name = the name if it starts with TWIG, else TWIG.rstrip("/") + "/" + name.lstrip("/"); None when
//   the Fig's twig is unset or empty. The store sets the twig of its own Figs only: a Fig of another
//   class or of the module inside a pattern renders `${None}`.
// - Serialises with `json.dumps(config, indent=4)`: 4-space indent, ", " never used (items end with ","
//   and a newline), ": " after keys, ensure_ascii (every char outside space..~ is \uXXXX, lowercase hex,
//   surrogate pairs for astral chars), None as null, and NO trailing newline. The file is opened in
//   text mode, so on Windows the newlines would be \r\n; we render \n.
import { fullPath } from '../parse/paths';
import type { FigDecl, FigStoreClass, MergePart } from '../parse/types';
import { figKey, storeFigs } from './decls';

export interface RenderedFiggyJson {
  text: string;
  /** Things figgy-lib would have resolved at run time that we could not resolve statically, or that crash it. */
  problems: string[];
}

export type PyJson = string | null | PyJson[] | { dict: [string, PyJson][] };

/** Python's json string encoding with ensure_ascii=True. */
export function pyJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}

/** `json.dumps(value, indent=4)` for the shapes figgy.json uses: strings, lists and ordered dicts. */
export function pyJsonDumps(value: PyJson, level = 0): string {
  const pad = (n: number) => ' '.repeat(4 * n);
  if (value === null) return 'null';
  if (typeof value === 'string') return pyJsonString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad(level + 1) + pyJsonDumps(v, level + 1)).join(',\n')}\n${pad(level)}]`;
  }
  const items = value.dict;
  if (items.length === 0) return '{}';
  return `{\n${items.map(([k, v]) => `${pad(level + 1)}${pyJsonString(k)}: ${pyJsonDumps(v, level + 1)}`).join(',\n')}\n${pad(level)}}`;
}

/** A dict with Python's assignment semantics: a re-assigned key keeps its first position. */
class PyDict {
  readonly dict: [string, PyJson][] = [];
  set(k: string, v: PyJson): void {
    const e = this.dict.find((x) => x[0] === k);
    if (e) e[1] = v;
    else this.dict.push([k, v]);
  }
}

/** Why figgy-lib fails on a non-Fig attribute, or undefined when it may not. */
function nonFigProblem(attr: string, what: string | undefined): string | undefined {
  if (what === 'unknown') return `${attr}: what it is bound to is known only at run time; figgy-lib fails when the FigStore is created unless it is a Fig`;
  if (what === 'descriptor') return undefined;
  return `${attr} is not a Fig: figgy-lib fails when the FigStore is created, before it can write figgy.json`;
}

/** One entry ConfigWriter writes, with the Fig it comes from. */
export interface WrittenEntry {
  fig: FigDecl;
  /** Full name (null: figgy-lib's None, when the twig is empty). */
  name: string | null;
}

/**
 * What ConfigWriter puts into figgy.json for a store, as data: each list and dict in the order it
 * writes them. `unknown` names the sections where a Fig could not be worked out statically (its
 * entry is missing here, so what figgy.json has there cannot be judged).
 */
export interface WrittenFiggyJson {
  twig: string;
  appFigs: WrittenEntry[];
  replicateFigs: (WrittenEntry & { source: string })[];
  sharedFigs: WrittenEntry[];
  mergedFigs: (WrittenEntry & { pattern: PyJson[]; exact: boolean })[];
  unknown: Set<'app' | 'shared' | 'replicated' | 'merged'>;
  problems: string[];
}

const SECTION = { AppFig: 'app', SharedFig: 'shared', ReplicatedFig: 'replicated', MergeFig: 'merged' } as const;

export function writtenFiggyJson(cls: FigStoreClass, twig: string): WrittenFiggyJson {
  const out: WrittenFiggyJson = { twig, appFigs: [], replicateFigs: [], sharedFigs: [], mergedFigs: [], unknown: new Set(), problems: [] };
  const problems = out.problems;
  for (const n of cls.nonFigs) {
    const p = nonFigProblem(n.attr, n.what);
    if (p) problems.push(p);
  }
  const figs = storeFigs(cls);
  // The store sets the twig of each of its Figs (objects shared by attributes count once).
  const attached = new Map<string, FigDecl>();
  for (const f of figs) if (!attached.has(f.objectId)) attached.set(f.objectId, f);
  const byAttr = new Map(figs.map((f) => [f.attr, f] as const));
  const nameOf = (f: FigDecl): string | null | undefined => (f.name?.value === undefined ? undefined : twig ? fullPath(twig, f.name.value) : null);

  for (const f of figs) {
    const attr = figKey(f);
    const name = nameOf(f);
    if (name === undefined) {
      problems.push(`${attr}: its name cannot be worked out statically, so it is left out`);
      out.unknown.add(SECTION[f.kind]);
      continue;
    }
    switch (f.kind) {
      case 'AppFig':
        out.appFigs.push({ fig: f, name });
        break;
      case 'SharedFig':
        out.sharedFigs.push({ fig: f, name });
        break;
      case 'ReplicatedFig': {
        if (f.source?.value === undefined) {
          problems.push(`${attr}: its source cannot be worked out statically, so it is left out`);
          out.unknown.add('replicated');
          break;
        }
        // A dict: a repeated source keeps its first position and takes the last destination.
        const at = out.replicateFigs.findIndex((e) => e.source === f.source!.value);
        const e = { fig: f, name, source: f.source.value };
        if (at >= 0) out.replicateFigs[at] = e;
        else out.replicateFigs.push(e);
        break;
      }
      case 'MergeFig': {
        const before = problems.length;
        const pattern = renderPattern(f, { attached, byAttr, nameOf }, problems);
        const e = { fig: f, name, pattern, exact: problems.length === before };
        const at = out.mergedFigs.findIndex((x) => x.name === name);
        if (at >= 0) out.mergedFigs[at] = e;
        else out.mergedFigs.push(e);
        break;
      }
    }
  }
  return out;
}

export function renderFiggyJsonChecked(cls: FigStoreClass, twig: string): RenderedFiggyJson {
  const w = writtenFiggyJson(cls, twig);
  const replicate = new PyDict();
  for (const e of w.replicateFigs) replicate.set(e.source, e.name);
  const merged = new PyDict();
  // json.dumps writes a None key as "null".
  for (const e of w.mergedFigs) merged.set(e.name ?? 'null', e.pattern);
  const doc = new PyDict();
  doc.set('twig', twig);
  doc.set('app_figs', w.appFigs.map((e) => e.name));
  doc.set('replicate_figs', { dict: replicate.dict });
  doc.set('shared_figs', w.sharedFigs.map((e) => e.name));
  doc.set('merged_figs', { dict: merged.dict });
  return { text: pyJsonDumps({ dict: doc.dict }), problems: w.problems };
}

interface Figs {
  attached: Map<string, FigDecl>;
  byAttr: Map<string, FigDecl>;
  nameOf: (f: FigDecl) => string | null | undefined;
}

/** The Fig object a pattern / uri_encode element names (hand-built models may give only the attribute). */
function objectOf(p: Extract<MergePart, { kind: 'attr' }>, figs: Figs): string | undefined {
  return p.objectId ?? figs.byAttr.get(p.attr)?.objectId;
}

/** Fig.name of an object: its name under the store's twig when the store holds it, else None. */
function objectName(id: string, figs: Figs): string | null | undefined {
  const f = figs.attached.get(id);
  return f ? figs.nameOf(f) : null;
}

function renderPattern(f: FigDecl, figs: Figs, problems: string[]): PyJson[] {
  const p = f.pattern;
  if (!p) {
    problems.push(`${f.attr}: its pattern cannot be worked out statically (or is None, which figgy-lib cannot iterate); written as an empty list`);
    return [];
  }
  if (p.form === 'string') return Array.from(p.value);
  /** `p in self.uri_encode`: identity, then Fig.__eq__ (equal names; None == None). */
  const inUri = (id: string, name: string | null): boolean | undefined => {
    for (const u of f.uriEncode ?? []) {
      if (u.kind !== 'attr') {
        problems.push(`${f.attr}: a uri_encode element is not a Fig; figgy-lib's Fig.__eq__ fails on it (AttributeError)`);
        return undefined;
      }
      const uid = objectOf(u, figs);
      if (uid === undefined) return undefined;
      if (uid === id) return true;
      const un = objectName(uid, figs);
      if (un === undefined) return undefined;
      if (un === name) return true;
    }
    return false;
  };
  return p.parts.map((part: MergePart): string => {
    switch (part.kind) {
      case 'literal':
        return part.value;
      case 'ref':
        return `\${${part.path}${part.uri ? ':uri' : ''}}`;
      case 'attr': {
        const id = objectOf(part, figs);
        const n = id === undefined ? undefined : objectName(id, figs);
        const uri = id === undefined || n === undefined ? undefined : inUri(id, n);
        if (id === undefined || n === undefined || uri === undefined) {
          problems.push(`${f.attr}: pattern element ${part.attr} cannot be worked out statically; written as its text`);
          return part.attr;
        }
        return `\${${n ?? 'None'}${uri ? ':uri' : ''}}`;
      }
      case 'unknown':
        problems.push(`${f.attr}: a pattern element cannot be worked out statically; written as its source text`);
        return part.text;
    }
  });
}

/** figgy.json text exactly as figgy-lib's ConfigWriter would write it for this class and twig. */
export function renderFiggyJson(cls: FigStoreClass, twig: string): string {
  return renderFiggyJsonChecked(cls, twig).text;
}
