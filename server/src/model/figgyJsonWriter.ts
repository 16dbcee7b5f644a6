// Renders figgy.json from a config.py FigStore class, byte for byte as figgy-lib 1.0.0 writes it.
//
// What figgy-lib's `ConfigWriter.write(fig_store, file_name="figgy.json", destination_dir="")` does
// (figtools/figgy.python.lib, src/figgy/writer.py, read for this port):
// - Builds an OrderedDict with exactly these keys in this order, each always present even when empty:
//   "twig" (the class's TWIG as written), "app_figs" [], "replicate_figs" {}, "shared_figs" [],
//   "merged_figs" {}. Empty ones render as `[]` / `{}`.
// - Walks `fig_store.figs`, which is `dir(self)` minus dunders, `TWIG` and `figs`: Python's dir() is
//   sorted by code point, so figs come in attribute-name order (ADMIRED_PERSON before SECRET_ADMIRER),
//   not declaration order.
//     AppFig      → app_figs.append(full name)
//     ReplicatedFig → replicate_figs[source as written] = full name (a repeated source keeps its first
//                   position and the last destination, as dict assignment does)
//     SharedFig   → shared_figs.append(full name)
//     MergeFig    → merged_figs[full name] = pattern, where each Fig in the pattern becomes
//                   `${<full name>}`, or `${<full name>:uri}` when it is (==, i.e. same full name) in
//                   uri_encode, and strings stay as they are. A single-string pattern is iterated by
//                   Python character by character, so it becomes a list of one-character strings.
//   Full name = the name if it starts with TWIG, else TWIG.rstrip("/") + "/" + name.lstrip("/").
// - Serialises with `json.dumps(config, indent=4)`: 4-space indent, ", " never used (items end with ","
//   and a newline), ": " after keys, ensure_ascii (every char outside space..~ is \uXXXX, lowercase hex,
//   surrogate pairs for astral chars), and NO trailing newline. The file is opened in text mode, so on
//   Windows the newlines would be \r\n; we render \n.
import { fullPath, mergeRef } from '../parse/paths';
import type { FigDecl, FigStoreClass, MergePart } from '../parse/types';

export interface RenderedFiggyJson {
  text: string;
  /** Things figgy-lib would have resolved at run time that we could not resolve statically, or that crash it. */
  problems: string[];
}

type PyJson = string | PyJson[] | { dict: [string, PyJson][] };

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
  if (typeof value === 'string') return pyJsonString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => pad(level + 1) + pyJsonDumps(v, level + 1)).join(',\n')}\n${pad(level)}]`;
  }
  const items = value.dict;
  if (items.length === 0) return '{}';
  return `{\n${items.map(([k, v]) => `${pad(level + 1)}${pyJsonString(k)}: ${pyJsonDumps(v, level + 1)}`).join(',\n')}\n${pad(level)}}`;
}

/** Python's str ordering (by code point), which is what dir() sorts with. */
function comparePy(a: string, b: string): number {
  const ca = Array.from(a);
  const cb = Array.from(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i].codePointAt(0)! - cb[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
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

export function renderFiggyJsonChecked(cls: FigStoreClass, twig: string): RenderedFiggyJson {
  const problems: string[] = [];
  // A re-assigned class attribute keeps only its last value.
  const byAttr = new Map<string, FigDecl>();
  for (const f of cls.figs) byAttr.set(f.attr, f);
  for (const n of cls.nonFigs) {
    problems.push(`${n.attr} is not a Fig: figgy-lib fails when the FigStore is created, before it can write figgy.json`);
  }
  const nameOf = (f: FigDecl): string | undefined => (f.name?.value === undefined ? undefined : fullPath(twig, f.name.value));

  const appFigs: string[] = [];
  const replicate = new PyDict();
  const shared: string[] = [];
  const merged = new PyDict();

  for (const attr of [...byAttr.keys()].sort(comparePy)) {
    const f = byAttr.get(attr)!;
    const name = nameOf(f);
    if (name === undefined) {
      problems.push(`${attr}: its name cannot be worked out statically, so it is left out`);
      continue;
    }
    switch (f.kind) {
      case 'AppFig':
        appFigs.push(name);
        break;
      case 'SharedFig':
        shared.push(name);
        break;
      case 'ReplicatedFig':
        if (f.source?.value === undefined) problems.push(`${attr}: its source cannot be worked out statically, so it is left out`);
        else replicate.set(f.source.value, name);
        break;
      case 'MergeFig':
        merged.set(name, renderPattern(f, byAttr, nameOf, problems));
        break;
    }
  }
  const doc = new PyDict();
  doc.set('twig', twig);
  doc.set('app_figs', appFigs);
  doc.set('replicate_figs', { dict: replicate.dict });
  doc.set('shared_figs', shared);
  doc.set('merged_figs', { dict: merged.dict });
  return { text: pyJsonDumps({ dict: doc.dict }), problems };
}

function renderPattern(
  f: FigDecl,
  byAttr: Map<string, FigDecl>,
  nameOf: (f: FigDecl) => string | undefined,
  problems: string[],
): string[] {
  const p = f.pattern;
  if (!p) {
    problems.push(`${f.attr}: its pattern cannot be worked out statically; written as an empty list`);
    return [];
  }
  if (p.form === 'string') return Array.from(p.value);
  const uriNames = new Set<string>();
  for (const u of f.uriEncode ?? []) {
    const target = u.kind === 'attr' ? byAttr.get(u.attr) : undefined;
    const n = target && nameOf(target);
    if (n !== undefined) uriNames.add(n);
  }
  return p.parts.map((part: MergePart): string => {
    switch (part.kind) {
      case 'literal':
        return part.value;
      case 'ref':
        return mergeRef(part.path, part.uri);
      case 'attr': {
        const target = byAttr.get(part.attr);
        const n = target && nameOf(target);
        if (n === undefined) {
          problems.push(`${f.attr}: pattern element ${part.attr} is not a Fig of this class with a known name; written as its text`);
          return part.attr;
        }
        return mergeRef(n, uriNames.has(n));
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
