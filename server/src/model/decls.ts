// Declarations of a service in one normalised shape, whichever file they come from, with full SSM
// paths computed once. Rules and the builder both read these, so a path is derived in one place.
import type { FigDecl, FigKind, FiggyJsonModel, FigStoreClass, Located, MergePart, Range } from '../parse/types';
import type { ExpectedOrigin, Service } from './types';
import { envOverrideName, fullPath, isUnderTwig, parseMergeRef } from '../parse/paths';

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
  /** Merge pattern (MergeFig / merged_figs). */
  merge?: { form: 'list' | 'string'; parts: MergePart[]; range: Range };
  /** The twig this path was computed against, as written. */
  twig: string;
  envVar?: string;
}

/** A merge reference resolved to a full path, or why it cannot be. */
export interface MergeRef {
  decl: Decl;
  part: MergePart;
  /** Full path, when the reference resolves. */
  path?: string;
  uri: boolean;
  /** config.py: the referenced attribute is not a Fig of the class. */
  undeclaredAttr?: string;
}

const KIND_ORIGIN: Record<FigKind, Decl['origin']> = {
  AppFig: 'app',
  SharedFig: 'shared',
  ReplicatedFig: 'replicated',
  MergeFig: 'merged',
};

/** The twig string a class's paths are computed against (as written, figgy-lib does not normalise). */
export function classTwig(cls: FigStoreClass): string | undefined {
  return cls.twig?.value || undefined;
}

/** figgy.json twig, or the namespace taken from an app_figs entry as the CLI does when `twig` is absent. */
export function jsonTwig(fj: FiggyJsonModel): string | undefined {
  if (fj.twig?.value) return fj.twig.value;
  if (fj.derivedTwig?.value) return fj.derivedTwig.value;
  for (const a of fj.appFigs) {
    const m = /^\/app\/[A-Za-z0-9_-]+\//.exec(a.value);
    if (m) return m[0].replace(/\/$/, '');
  }
  return undefined;
}

/** Python keeps only the last assignment of a class attribute: the Figs that actually exist. */
export function liveFigs(cls: FigStoreClass): Set<FigDecl> {
  const last = new Map<string, FigDecl>();
  for (const f of cls.figs) last.set(f.attr, f);
  return new Set(last.values());
}

/** Figs overwritten by a later assignment of the same attribute, each with the one that wins. */
export function shadowedFigs(cls: FigStoreClass): { fig: FigDecl; by: FigDecl }[] {
  const last = new Map<string, FigDecl>();
  for (const f of cls.figs) last.set(f.attr, f);
  return cls.figs.filter((f) => last.get(f.attr) !== f).map((f) => ({ fig: f, by: last.get(f.attr)! }));
}

export function configPyDecls(uri: string, cls: FigStoreClass, twigOverride?: string): Decl[] {
  const twig = classTwig(cls) ?? twigOverride;
  if (!twig) return [];
  const out: Decl[] = [];
  const live = liveFigs(cls);
  for (const fig of cls.figs) {
    if (!fig.name || !live.has(fig)) continue;
    const d: Decl = {
      from: 'config.py',
      uri,
      origin: KIND_ORIGIN[fig.kind],
      path: fullPath(twig, fig.name.value),
      name: fig.name,
      range: fig.attrRange,
      attr: fig.attr,
      kind: fig.kind,
      fig,
      twig,
      envVar: envOverrideName(twig, fig.name.value),
    };
    if (fig.kind === 'ReplicatedFig' && fig.source) d.source = fig.source;
    if (fig.kind === 'MergeFig' && fig.pattern) {
      d.merge = fig.pattern.form === 'list' ? { form: 'list', parts: fig.pattern.parts, range: fig.pattern.range } : { form: 'string', parts: [], range: fig.pattern.range };
    }
    out.push(d);
  }
  return out;
}

export function figgyJsonDecls(fj: FiggyJsonModel, twigOverride?: string): Decl[] {
  const twig = jsonTwig(fj) ?? twigOverride;
  if (!twig) return [];
  const mk = (origin: Decl['origin'], name: Located, extra: Partial<Decl> = {}): Decl => ({
    from: 'figgy.json',
    // Entries merged in from an imported file carry that file's uri.
    uri: name.uri ?? fj.uri,
    origin,
    path: fullPath(twig, name.value),
    name,
    range: name.range,
    twig,
    envVar: envOverrideName(twig, name.value),
    ...extra,
  });
  const out: Decl[] = [];
  for (const a of fj.appFigs) out.push(mk('app', a));
  for (const s of fj.sharedFigs) out.push(mk('shared', s));
  for (const r of fj.replicateFigs) out.push(mk('replicated', r.dest, { source: r.source }));
  for (const m of fj.mergedFigs) out.push(mk('merged', m.dest, { merge: { form: m.value.form, parts: m.value.parts, range: m.value.range } }));
  const rf = fj.replicateFrom;
  if (rf) {
    for (const p of rf.parameters) {
      const src = rf.sourceTwig?.value ? fullPath(rf.sourceTwig.value, p.value) : undefined;
      out.push(mk('replicate-from', p, src && rf.sourceTwig ? { source: { value: src, range: p.range } } : {}));
    }
  }
  return out;
}

/** Every merge reference of the given declarations, resolved to full paths where possible. */
export function mergeRefs(decls: Decl[], cls?: FigStoreClass): MergeRef[] {
  const byAttr = new Map<string, Decl>();
  for (const d of decls) if (d.from === 'config.py' && d.attr) byAttr.set(d.attr, d);
  const figAttrs = new Set(cls?.figs.map((f) => f.attr) ?? []);
  const out: MergeRef[] = [];
  for (const d of decls) {
    if (!d.merge) continue;
    const uriAttrs = new Set((d.fig?.uriEncode ?? []).flatMap((p) => (p.kind === 'attr' ? [p.attr] : [])));
    for (const part of d.merge.parts) {
      if (part.kind === 'ref') out.push({ decl: d, part, path: part.path, uri: part.uri });
      else if (part.kind === 'literal') {
        // A literal that is exactly `${/path}` is a reference to Figgy's replicator either way.
        const r = parseMergeRef(part.value);
        if (r) out.push({ decl: d, part, path: r.path, uri: r.uri });
      } else if (part.kind === 'attr') {
        const target = byAttr.get(part.attr);
        if (target) out.push({ decl: d, part, path: target.path, uri: uriAttrs.has(part.attr) });
        else if (!figAttrs.has(part.attr)) out.push({ decl: d, part, uri: false, undeclaredAttr: part.attr });
        // A Fig of the class whose name is not static: nothing to resolve, nothing to report.
      } else if (d.from === 'config.py' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(part.text) && !figAttrs.has(part.text)) {
        // A bare name the parser could not resolve is no Fig of this class (module-level value or undefined).
        out.push({ decl: d, part, uri: false, undeclaredAttr: part.text });
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
