// The one engine behind the editor and the CLI: asks each environment's store what exists, in as few
// calls as the backend allows, and hands the answers to the pure rules. Rules never do I/O.
import type { EnvState } from './types';
import type { Service, WorkspaceModel } from '../model/types';
import type { ParameterStore } from '../store/types';
import { normaliseTwig } from '../parse/paths';
import { resolveSecretPath, secretEntries, serviceName } from '../model/decls';
import { coveredBy } from './presence';

/** `/a/b/c` → [`/a/b`, `/a`]: the prefixes whose recursive listing would cover the path. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) out.push(path.slice(0, i));
  return out;
}

/** Figgy's replicator stores this text when a merge reference cannot be resolved. */
export const BROKEN_MERGE_TEXT = 'Cannot complete merge key';

export interface GatherOptions {
  /**
   * Read merged values to find Figgy's "Cannot complete merge key" marker. The value is inspected in
   * memory and dropped; only a yes/no leaves this function. Off when the caller must not decrypt.
   */
  checkMergedValues?: boolean;
}

/** A figgy-secrets.json path with the service's `${SERVICE_NAME}` filled in; undefined if other variables remain. */
export function substituteTemplate(text: string, service: Service): string | undefined {
  return resolveSecretPath(text, serviceName(service));
}

/** Every replication source a service depends on (config.py, figgy.json, figgy-secrets.json, replicate_from). */
export function replicationSources(service: Service): string[] {
  const out = new Set<string>();
  for (const p of service.expected.values()) if (p.source) out.add(p.source);
  for (const e of secretEntries(service)) if (e.sourcePath) out.add(e.sourcePath);
  return [...out];
}

function emptyState(env: string): EnvState {
  return { env, params: new Map(), listedPrefixes: [], knownMissing: new Set(), failures: [], brokenMerges: new Set() };
}

/** Gathers one environment's state for every service: one listing per twig, batched lookups for the rest. */
export async function gatherEnvState(ws: WorkspaceModel, store: ParameterStore, opts: GatherOptions = {}): Promise<EnvState> {
  const state = emptyState(store.env);
  const twigs = new Set(ws.services.map((s) => s.twig).filter((t): t is string => Boolean(t)).map(normaliseTwig));
  // Nested twigs are covered by their parent's recursive listing.
  const roots = [...twigs].filter((t) => !ancestors(t).some((a) => twigs.has(a))).sort();
  const rootSet = new Set(roots);
  const listedDirs = new Map<string, boolean>();
  const listed = (p: string): boolean => coveredBy(rootSet, listedDirs, p, false);

  await Promise.all(
    roots.map(async (twig) => {
      const r = await store.list(twig);
      for (const p of r.parameters) state.params.set(p.name, p);
      if (r.failure) state.failures.push({ prefix: twig, failure: r.failure });
      else state.listedPrefixes.push(twig);
    }),
  );

  const outside = new Set<string>();
  for (const s of ws.services) {
    for (const src of replicationSources(s)) if (!listed(src)) outside.add(src);
    for (const p of s.expected.values()) if (!listed(p.path)) outside.add(p.path);
  }
  if (outside.size > 0) {
    const found = await store.describe([...outside].sort());
    for (const [name, l] of found) {
      if (l.state === 'found') state.params.set(name, l.value);
      else if (l.state === 'missing') state.knownMissing.add(name);
      else state.failures.push({ prefix: name, failure: l.failure });
    }
  }

  if (opts.checkMergedValues !== false) {
    const merged = ws.services.flatMap((s) => [...s.expected.values()].filter((p) => p.origin === 'merged' && state.params.has(p.path)).map((p) => p.path));
    if (merged.length > 0) {
      const values = await store.getValues([...new Set(merged)], { decrypt: true });
      for (const [name, l] of values) {
        if (l.state === 'found' && l.value.value?.includes(BROKEN_MERGE_TEXT)) state.brokenMerges.add(name);
      }
    }
  }
  return state;
}

/** Gathers every environment concurrently; a failing environment yields failures, never an exception. */
export async function gatherEnvStates(
  ws: WorkspaceModel,
  stores: Map<string, ParameterStore>,
  opts: GatherOptions = {},
): Promise<Map<string, EnvState>> {
  const entries = await Promise.all(
    [...stores.entries()].map(async ([env, store]): Promise<[string, EnvState]> => {
      try {
        return [env, await gatherEnvState(ws, store, opts)];
      } catch (e) {
        // A backend bug must not become "missing": mark everything under every twig unknown.
        const st = emptyState(env);
        const message = `the ${store.kind} backend failed unexpectedly (${(e as Error).name})`;
        for (const s of ws.services) if (s.twig) st.failures.push({ prefix: s.twig, failure: { kind: 'other', message } });
        st.failures.push({ prefix: '/', failure: { kind: 'other', message } });
        return [env, st];
      }
    }),
  );
  return new Map(entries);
}
