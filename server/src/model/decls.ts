// Declarations of a service in one normalised shape, whichever file they come from, with full SSM
// paths computed once. Rules and the builder both read these, so a path is derived in one place.
import type { FigDecl, FigKind, FiggyJsonModel, FigStoreClass, Located, MergePart, Range } from '../parse/types';
import type { ExpectedOrigin, Service } from './types';
import { deriveTwig } from '../parse/figgyJson';
import { sameList } from './identity';
import { cliNamespace, cliSanitize, cliStandardize, cliStringRefs, envOverrideName, fullPath, isUnderTwig, mergeRef } from '../parse/paths';

export type DeclSource = 'config.py' | 'figgy.json';

export interface Decl {
  from: DeclSource;
  uri: string;
  origin: Exclude<ExpectedOrigin, 'merge-ref'>;
  /** Full SSM path. */
  path: string;
  /** Name as written (relative or absolute). */
  name: Located;
  /** Where findings about this declaration go (config.py: the attribute; figgy.json: the entry). */
  range: Range;
  attr?: string;
  kind?: FigKind;
  fig?: FigDecl;
  /** Replication source as written and as a full path. */
  source?: Located;
  /** Merge pattern (MergeFig / merged_figs); `text`: the single-string form as written. */
  merge?: { form: 'list' | 'string'; parts: MergePart[]; range: Range; text?: string };
  /** The twig this path was computed against, as written. */
  twig: string;
  /** figgy-cli's namespace for a figgy.json declaration (the twig with a trailing `/`). */
  namespace?: string;
  envVar?: string;
}

/** A merge reference resolved to a full path, or why it cannot be. */
export interface MergeRef {
  decl: Decl;
  part: MergePart;
  /** Full path, when the reference resolves. */
  path?: string;
  uri: boolean;
  /** config.py: the referenced Fig is not one of the store's, so figgy-lib renders it `${None}`. */
  undeclaredAttr?: string;
  /** figgy-cli counts this element as a name the service expects (it starts with the namespace). */
  expected?: boolean;
}

const KIND_ORIGIN: Record<FigKind, Decl['origin']> = {
  AppFig: 'app',
  SharedFig: 'shared',
  ReplicatedFig: 'replicated',
  MergeFig: 'merged',
};

/** The twig string a class's paths are computed against (as written, figgy-lib does not normalise). */
export function classTwig(cls: FigStoreClass): string | undefined {
  return cls.twig?.value;
}

/** The name `dir()` lists for a Fig attribute (mangled for `__x`). */
export function figKey(f: FigDecl): string {
  return f.dirName ?? f.attr;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Python's str ordering (by code point), which is what dir() sorts with. */
export function comparePy(a: string, b: string): number {
  // Without surrogate pairs, UTF-16 order is code point order.
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const ca = Array.from(a);
  const cb = Array.from(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = ca[i].codePointAt(0)! - cb[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/**
 * The Figs of a store as figgy-lib's `FigStore.figs` lists them: every attribute in `dir()` order
 * whose final binding is a Fig, this class's own and those it inherits from FigStore classes of the file.
 */
export function storeFigs(cls: FigStoreClass): readonly FigDecl[] {
  let out = storeFigsMemo.get(cls);
  if (!out) {
    out = [...cls.figs.filter((f) => !f.shadowedBy), ...(cls.inherited ?? [])].sort((a, b) => comparePy(figKey(a), figKey(b)));
    storeFigsMemo.set(cls, out);
  }
  return out;
}

// The models are not changed after extraction, so what is derived from one object is derived once:
// a keystroke in a large config.py gets a new class, but keeps the FigDecl of every other statement.
const storeFigsMemo = new WeakMap<FigStoreClass, readonly FigDecl[]>();
/** The Decl itself (it holds the uri and twig it was made for): no wrapper object per declaration. */
const declMemo = new WeakMap<FigDecl, Decl>();
const mergeRefsMemo = new WeakMap<readonly Decl[], { cls: FigStoreClass | undefined; refs: MergeRef[] }>();

/** figgy-lib's Fig.name: kept when it starts with the twig, else put under it; None without a twig. */
export function libFullName(twig: string | undefined, name: string): string | null {
  return twig ? fullPath(twig, name) : null;
}

/** figgy.json twig, or the namespace taken from an app_figs entry as the CLI does when `twig` is absent. */
export function jsonTwig(fj: FiggyJsonModel): string | undefined {
  if (fj.twig) return fj.twig.value;
  if (fj.derivedTwig?.value) return fj.derivedTwig.value;
  // Models built without the parser: derive as the parser does.
  return deriveTwig(fj.appFigs).twig?.value;
}

/** Python keeps only the last assignment of a class attribute: the Figs that actually exist. */
export function liveFigs(cls: FigStoreClass): Set<FigDecl> {
  return new Set(storeFigs(cls));
}

/** Figs overwritten by a later assignment of the same attribute, with where that happens. */
export function shadowedFigs(cls: FigStoreClass): { fig: FigDecl; by: Range }[] {
  return cls.figs.filter((f) => f.shadowedBy).map((f) => ({ fig: f, by: f.shadowedBy! }));
}

export function configPyDecls(uri: string, cls: FigStoreClass, twigOverride?: string): Decl[] {
  const twig = classTwig(cls) ?? twigOverride;
  if (!twig) return [];
  const out: Decl[] = [];
  for (const fig of storeFigs(cls)) if (fig.name) out.push(configPyDecl(uri, twig, fig, fig.name));
  return out;
}

/** The declaration of one named Fig (derived once per FigDecl, file and twig). */
function configPyDecl(uri: string, twig: string, fig: FigDecl, name: Located): Decl {
  const known = declMemo.get(fig);
  if (known && known.uri === uri && known.twig === twig) return known;
  const d: Decl = {
    from: 'config.py',
    uri,
    origin: KIND_ORIGIN[fig.kind],
    path: fullPath(twig, name.value),
    name,
    range: fig.attrRange,
    attr: figKey(fig),
    kind: fig.kind,
    fig,
    twig,
    envVar: envOverrideName(twig, name.value),
  };
  if (fig.kind === 'ReplicatedFig' && fig.source) d.source = fig.source;
  if (fig.kind === 'MergeFig' && fig.pattern) {
    d.merge = fig.pattern.form === 'list' ? { form: 'list', parts: fig.pattern.parts, range: fig.pattern.range } : { form: 'string', parts: [], range: fig.pattern.range };
  }
  declMemo.set(fig, d);
  return d;
}

/**
 * figgy.json declarations with the names figgy-cli's validate computes: app_figs and shared_figs
 * standardised under the namespace; replicate_figs destinations and merged_figs keys as written
 * (figgy-cli adds no twig to them); replicate_from parameters appended to the namespace.
 */
export function figgyJsonDecls(fj: FiggyJsonModel, twigOverride?: string): Decl[] {
  const twig = jsonTwig(fj) ?? twigOverride;
  if (twig === undefined) return [];
  const ns = cliNamespace(twig);
  const mk = (origin: Decl['origin'], name: Located, path: string, extra: Partial<Decl> = {}): Decl => ({
    from: 'figgy.json',
    // Entries merged in from an imported file carry that file's uri.
    uri: name.uri ?? fj.uri,
    origin,
    path,
    name,
    range: name.range,
    twig,
    namespace: ns,
    envVar: envOverrideName(twig, name.value),
    ...extra,
  });
  const out: Decl[] = [];
  for (const a of fj.appFigs) out.push(mk('app', a, cliStandardize(ns, a.value)));
  for (const s of fj.sharedFigs) out.push(mk('shared', s, cliStandardize(ns, s.value)));
  for (const r of fj.replicateFigs) out.push(mk('replicated', r.dest, r.dest.value, { source: r.source }));
  for (const m of fj.mergedFigs) {
    const merge: Decl['merge'] = { form: m.value.form, parts: m.value.parts, range: m.value.range };
    if (m.value.form === 'string') merge.text = m.value.value;
    out.push(mk('merged', m.dest, m.dest.value, { merge }));
  }
  const rf = fj.replicateFrom;
  // figgy-cli uses replicate_from only when both source_twig and parameters are given (and non-empty).
  if (rf?.sourceTwig?.value && rf.parameters.length) {
    const src = cliNamespace(rf.sourceTwig.value);
    for (const p of rf.parameters) out.push(mk('replicate-from', p, ns + p.value, { source: { value: src + p.value, range: p.range } }));
  }
  return out;
}

/** The text of a figgy.json merged list element, as written. */
function elementText(p: MergePart): string | undefined {
  if (p.kind === 'literal') return p.value;
  if (p.kind === 'ref') return mergeRef(p.path, p.uri);
  if (p.kind === 'unknown') return p.text;
  return undefined;
}

/** Every merge reference of the given declarations, resolved to full paths where possible (do not change the list). */
export function mergeRefs(decls: readonly Decl[], cls?: FigStoreClass): MergeRef[] {
  const known = mergeRefsMemo.get(decls);
  if (known && known.cls === cls) return known.refs;
  const refs = decls.some((d) => d.merge) ? resolveMergeRefs(decls, cls) : [];
  mergeRefsMemo.set(decls, { cls, refs });
  return refs;
}

function resolveMergeRefs(decls: readonly Decl[], cls?: FigStoreClass): MergeRef[] {
  const store = cls ? storeFigs(cls) : [];
  const byObject = new Map<string, Decl>();
  for (const d of decls) if (d.from === 'config.py' && d.fig) if (!byObject.has(d.fig.objectId)) byObject.set(d.fig.objectId, d);
  const byAttr = new Map(store.map((f) => [f.attr, f.objectId] as const));
  const out: MergeRef[] = [];
  for (const d of decls) {
    if (!d.merge) continue;
    if (d.from === 'figgy.json') {
      const ns = d.namespace ?? cliNamespace(d.twig);
      if (d.merge.form === 'string' && d.merge.text !== undefined) {
        // figgy-cli reads a single-string value with its own pattern: `:uri` references do not match.
        const found = new Set(cliStringRefs(d.merge.text));
        for (const part of d.merge.parts) {
          if (part.kind !== 'ref') continue;
          const counted = !part.uri && found.has(part.path);
          out.push({ decl: d, part, path: part.path, uri: part.uri, expected: counted && part.path.startsWith(ns) });
        }
        continue;
      }
      for (const part of d.merge.parts) {
        const text = elementText(part);
        if (text === undefined) continue;
        const clean = cliSanitize(text);
        const expected = clean.startsWith(ns);
        if (part.kind === 'ref') out.push({ decl: d, part, path: clean, uri: part.uri, expected });
        else if (expected) out.push({ decl: d, part, path: clean, uri: false, expected });
      }
      continue;
    }
    const ns = cliNamespace(d.twig);
    const uriIds = new Set((d.fig?.uriEncode ?? []).flatMap((p) => (p.kind === 'attr' ? [p.objectId ?? byAttr.get(p.attr) ?? ''] : [])));
    const uriPaths = new Set([...uriIds].flatMap((id) => (byObject.get(id) ? [byObject.get(id)!.path] : [])));
    for (const part of d.merge.parts) {
      if (part.kind === 'literal') {
        // ConfigWriter writes a literal as it is; figgy-cli expects it when it names a path in the namespace.
        const clean = cliSanitize(part.value);
        if (part.value.includes('${') || clean.startsWith(ns)) out.push({ decl: d, part, path: clean, uri: part.value.includes(':uri}'), expected: clean.startsWith(ns) });
      } else if (part.kind === 'attr') {
        const id = part.objectId ?? byAttr.get(part.attr);
        const target = id ? byObject.get(id) : undefined;
        if (target) out.push({ decl: d, part, path: target.path, uri: uriIds.has(target.fig!.objectId) || uriPaths.has(target.path), expected: target.path.startsWith(ns) });
        else if (id && !store.some((f) => f.objectId === id)) out.push({ decl: d, part, uri: false, undeclaredAttr: part.attr });
        // A Fig of the store whose name is not static: nothing to resolve, nothing to report.
      }
    }
  }
  return out;
}

// Every rule asks for a service's declarations; compute them once per service. The key parts guard
// against a service object whose files were swapped after first use.
const declCache = new WeakMap<Service, { py?: FigStoreClass; fj?: FiggyJsonModel; twig?: string; decls: Decl[] }>();

/** Declarations of a service from config.py then figgy.json (config.py first, as in `declaredAt`). */
export function serviceDecls(service: Service): Decl[] {
  const c = declCache.get(service);
  if (c && c.py === service.configPy?.cls && c.fj === service.figgyJson && c.twig === service.twig) return c.decls;
  const out: Decl[] = [];
  if (service.configPy) out.push(...configPyDecls(service.configPy.model.uri, service.configPy.cls, service.twig));
  if (service.figgyJson) out.push(...figgyJsonDecls(service.figgyJson, service.twig));
  declCache.set(service, { py: service.configPy?.cls, fj: service.figgyJson, twig: service.twig, decls: out });
  return out;
}

/** Merge references of a service (config.py and figgy.json). */
export function serviceMergeRefs(service: Service): MergeRef[] {
  return mergeRefs(serviceDecls(service), service.configPy?.cls);
}

/** Full paths the service declares explicitly (not counting merge references). */
export function declaredPaths(service: Service): Set<string> {
  return new Set(serviceDecls(service).map((d) => d.path));
}

/** The service's name as figgy-secrets.json's `${SERVICE_NAME}` means it: the twig's last segment. */
export function serviceName(service: Service): string | undefined {
  return service.twig?.split('/').filter(Boolean).pop();
}

/**
 * Substitutes `${SERVICE_NAME}` in a figgy-secrets.json path with the service's name. Other variables
 * are ones the CLI would ask for and Orchard cannot know: then the path is unresolved (undefined).
 */
export function resolveSecretPath(text: string, name: string | undefined): string | undefined {
  let unresolved = false;
  const out = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_m, v: string) => {
    if (v === 'SERVICE_NAME' && name) return name;
    unresolved = true;
    return '';
  });
  return unresolved ? undefined : out;
}

export interface SecretEntry {
  uri: string;
  source: Located;
  dest: Located;
  /** Paths with `${SERVICE_NAME}` substituted; undefined when other variables remain. */
  sourcePath?: string;
  destPath?: string;
}

/** figgy-secrets.json entries of a service whose destination falls under its twig. */
export function secretEntries(service: Service): SecretEntry[] {
  const name = serviceName(service);
  const out: SecretEntry[] = [];
  for (const f of service.secrets) {
    for (const r of f.replicateFigs) {
      const destPath = resolveSecretPath(r.dest.value, name);
      if (destPath && service.twig && !isUnderTwig(service.twig, destPath)) continue;
      out.push({ uri: f.uri, source: r.source, dest: r.dest, sourcePath: resolveSecretPath(r.source.value, name), destPath });
    }
  }
  return out;
}

/** At most this many replaced Figs are patched into the previous lists (a keystroke replaces one). */
export const MAX_REPLACED = 8;

/**
 * Figs of `next` that replace Figs of `prev` one for one at the same index, each under the same
 * dir() key and equally shadowed; undefined when the lists differ otherwise or in too many places.
 */
function replacedFigs(prev: FigStoreClass, next: FigStoreClass): [FigDecl, FigDecl][] | undefined {
  if (prev.figs.length !== next.figs.length || !sameList(prev.inherited ?? [], next.inherited ?? [])) return undefined;
  const out: [FigDecl, FigDecl][] = [];
  for (let i = 0; i < next.figs.length; i++) {
    const a = prev.figs[i];
    const b = next.figs[i];
    if (a === b) continue;
    if (out.length === MAX_REPLACED || figKey(a) !== figKey(b) || Boolean(a.shadowedBy) !== Boolean(b.shadowedBy)) return undefined;
    out.push([a, b]);
  }
  return out;
}

/**
 * serviceDecls(next) for a service patched after an edit of its config.py (model/patch.ts): when its
 * class is `prev`'s with a few Figs replaced one for one (same key, same shadowing: a keystroke inside
 * one statement of a large class), `prev`'s sorted Figs and declarations with those entries swapped,
 * instead of sorting and deriving every Fig again. The same lists as serviceDecls (tested); otherwise
 * serviceDecls itself.
 */
export function serviceDeclsAfter(prev: Service, next: Service): Decl[] {
  const a = prev.configPy;
  const b = next.configPy;
  const pairs = a && b && a.model.uri === b.model.uri && prev.figgyJson === next.figgyJson && prev.twig === next.twig && classTwig(a.cls) === classTwig(b.cls) ? replacedFigs(a.cls, b.cls) : undefined;
  if (!pairs || !storeFigsMemo.has(a!.cls)) return serviceDecls(next);
  const twig = classTwig(b!.cls) ?? next.twig;
  const sorted = storeFigs(a!.cls).slice();
  const decls = serviceDecls(prev).slice();
  for (const [old, neu] of pairs) {
    if (neu.shadowedBy) continue; // neither is a Fig of the store
    const i = sorted.indexOf(old);
    if (i < 0 || Boolean(old.name) !== Boolean(neu.name)) return serviceDecls(next);
    sorted[i] = neu;
    if (!neu.name || twig === undefined) continue;
    const j = decls.findIndex((d) => d.fig === old);
    if (j < 0) return serviceDecls(next);
    decls[j] = configPyDecl(b!.model.uri, twig, neu, neu.name);
  }
  storeFigsMemo.set(b!.cls, sorted);
  declCache.set(next, { py: b!.cls, fj: next.figgyJson, twig: next.twig, decls });
  return decls;
}

