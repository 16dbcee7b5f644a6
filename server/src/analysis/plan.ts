// `figgy config sync` semantics as a pure plan: what would be created, what only an owner can share,
// what is stray, and what cannot be decided because the backend did not answer. The CLI and the
// language server both apply this plan; neither decides on its own what "missing" means.
import type { EnvState } from './types';
import type { ExpectedParam, Service, WorkspaceModel } from '../model/types';
import { isMissing, presenceOf } from './presence';
import { fullPath, isUnderTwig, parseMergeRef } from '../parse/paths';

export type PlanItem =
  /** A value the user must supply (AppFig / app_figs). */
  | { action: 'create'; path: string; param: ExpectedParam }
  /** Copy of an existing source (what Figgy's replicator would write). */
  | { action: 'replicate'; path: string; source: string; param: ExpectedParam }
  /** Assembled from existing parts (what Figgy's merge Lambda would write). Always SecureString. */
  | { action: 'merge'; path: string; parts: MergeTemplatePart[]; param: ExpectedParam }
  /** Missing, but not ours to create: a shared secret, or a copy whose source is missing/unreadable. */
  | { action: 'blocked'; path: string; reason: string; param: ExpectedParam };

export type MergeTemplatePart = { literal: string } | { ref: string; uri: boolean };

export interface SyncPlan {
  env: string;
  serviceId: string;
  twig?: string;
  items: PlanItem[];
  /** Parameters under the twig that nothing declares (what `prune` would delete). */
  stray: string[];
  /** Set when the twig could not be listed: no plan can be trusted then. */
  unknown?: string;
}

/** Merge pattern of a merged parameter as full-path references, from config.py or figgy.json. */
export function mergeTemplate(service: Service, dest: string): MergeTemplatePart[] | undefined {
  const twig = service.twig;
  // Relative figgy.json names resolve exactly as Figgy does, not by suffix.
  const fj = service.figgyJson?.mergedFigs.find((m) => (twig ? fullPath(twig, m.dest.value) : m.dest.value) === dest);
  const cls = service.configPy?.cls;
  const decl = cls?.figs.find((f) => f.kind === 'MergeFig' && service.expected.get(dest)?.attr === f.attr);
  if (decl?.pattern?.form === 'list' && service.twig) {
    const byAttr = new Map(cls!.figs.map((f) => [f.attr, f]));
    const uriAttrs = new Set((decl.uriEncode ?? []).flatMap((p) => (p.kind === 'attr' ? [p.attr] : [])));
    const out: MergeTemplatePart[] = [];
    for (const p of decl.pattern.parts) {
      if (p.kind === 'literal') out.push({ literal: p.value });
      else if (p.kind === 'attr') {
        const ref = byAttr.get(p.attr);
        const refPath = ref?.name ? [...service.expected.values()].find((e) => e.attr === p.attr)?.path : undefined;
        if (!refPath) return undefined;
        out.push({ ref: refPath, uri: uriAttrs.has(p.attr) });
      } else return undefined;
    }
    return out;
  }
  if (fj && fj.value.form === 'list') {
    const out: MergeTemplatePart[] = [];
    for (const p of fj.value.parts) {
      if (p.kind === 'literal') {
        const ref = parseMergeRef(p.value);
        out.push(ref ? { ref: ref.path, uri: ref.uri } : { literal: p.value });
      } else if (p.kind === 'ref') out.push({ ref: p.path, uri: p.uri });
      else return undefined;
    }
    return out;
  }
  return undefined;
}

/** Builds the sync plan of one service in one environment. Pure. */
export function planSync(service: Service, state: EnvState): SyncPlan {
  const plan: SyncPlan = { env: state.env, serviceId: service.id, twig: service.twig, items: [], stray: [] };
  if (service.twig && !state.listedPrefixes.some((p) => isUnderTwig(p, service.twig!))) {
    const f = state.failures.find((x) => isUnderTwig(x.prefix, service.twig!) || isUnderTwig(service.twig!, x.prefix));
    plan.unknown = f?.failure.message ?? `the ${state.env} store could not list ${service.twig}`;
    return plan;
  }
  const missing = [...service.expected.values()].filter((p) => isMissing(state, p.path));
  const willExist = new Set<string>();
  for (const p of service.expected.values()) if (presenceOf(state, p.path).state === 'present') willExist.add(p.path);
  for (const p of missing) if (p.origin === 'app' || p.origin === 'merge-ref') willExist.add(p.path);

  for (const p of missing.sort((a, b) => a.path.localeCompare(b.path))) {
    if (p.origin === 'app') {
      plan.items.push({ action: 'create', path: p.path, param: p });
    } else if ((p.origin === 'replicated' || p.origin === 'replicate-from') && p.source) {
      const src = presenceOf(state, p.source);
      if (src.state === 'present') {
        plan.items.push({ action: 'replicate', path: p.path, source: p.source, param: p });
        willExist.add(p.path);
      } else {
        const why = src.state === 'missing' ? `its source ${p.source} is missing in ${state.env}` : `its source ${p.source} cannot be read (${src.failure?.message ?? 'unknown'})`;
        plan.items.push({ action: 'blocked', path: p.path, reason: why, param: p });
      }
    } else if (p.origin === 'shared') {
      plan.items.push({
        action: 'blocked',
        path: p.path,
        reason: 'a shared parameter: its owner shares it (figgy config sync --replication-only --config figgy-secrets.json)',
        param: p,
      });
    } else if (p.origin === 'merge-ref') {
      plan.items.push({ action: 'create', path: p.path, param: p });
    }
  }
  for (const p of missing.filter((m) => m.origin === 'merged')) {
    const parts = mergeTemplate(service, p.path);
    if (!parts) {
      plan.items.push({ action: 'blocked', path: p.path, reason: 'its merge pattern cannot be resolved statically', param: p });
      continue;
    }
    const absent = parts.flatMap((x) => ('ref' in x && !willExist.has(x.ref) ? [x.ref] : []));
    if (absent.length) plan.items.push({ action: 'blocked', path: p.path, reason: `merge parts missing: ${absent.join(', ')}`, param: p });
    else plan.items.push({ action: 'merge', path: p.path, parts, param: p });
  }
  if (service.twig && state.listedPrefixes.some((pre) => isUnderTwig(pre, service.twig!))) {
    for (const name of [...state.params.keys()].sort()) {
      if (isUnderTwig(service.twig, name) && !service.expected.has(name)) plan.stray.push(name);
    }
  }
  return plan;
}

export function planWorkspace(ws: WorkspaceModel, state: EnvState): SyncPlan[] {
  return ws.services.filter((s) => s.twig).map((s) => planSync(s, state));
}

/** Figgy's merge: `${path}` → value, `${path:uri}` → quote_plus(value). */
export function assembleMerge(parts: MergeTemplatePart[], values: Map<string, string>): string | undefined {
  let out = '';
  for (const p of parts) {
    if ('literal' in p) out += p.literal;
    else {
      const v = values.get(p.ref);
      if (v === undefined) return undefined;
      out += p.uri ? quotePlus(v) : v;
    }
  }
  return out;
}

/** Python's urllib.parse.quote_plus with its default safe set. */
export function quotePlus(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*~]/g, (c) => (c === '~' ? c : `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .replace(/%20/g, '+');
}
