// Handlers of the custom `orchard/...` requests (tree, details, reveal, put, delete, compare, sync,
// environments, status, refresh). Values pass through here only for reveal (out) and put/sync
// apply (in); they are never logged, cached or echoed in errors.
import { createHash } from 'node:crypto';
import { validateParameterName } from '../parse/paths';
import { planSync } from '../analysis/plan';
import { replicationSources, substituteTemplate } from '../analysis/engine';
import type { WorkspaceModel } from '../model/types';
import type { ParameterMeta, PutResult } from '../store/types';
import { failureInfo, describeError } from './backend';
import {
  CompareRequest,
  DeleteParameterRequest,
  ParameterDetailsRequest,
  PutParameterRequest,
  RefreshRequest,
  RevealValueRequest,
  SetEnvironmentsRequest,
  StatusRequest,
  SyncApplyRequest,
  SyncPlanRequest,
  TreeChildrenRequest,
  type CompareCell,
  type CompareParams,
  type CompareResult,
  type DeleteParameterParams,
  type DeleteParameterResult,
  type EnvStatus,
  type FailureInfo,
  type ParameterDetailsParams,
  type ParameterDetailsResult,
  type ParameterInfo,
  type PutParameterParams,
  type PutParameterResult,
  type RefreshParams,
  type RefreshResult,
  type RevealValueParams,
  type RevealValueResult,
  type SetEnvironmentsParams,
  type SetEnvironmentsResult,
  type StatusResult,
  type SyncApplyParams,
  type SyncApplyResult,
  type SyncEnvPlan,
  type SyncPlanParams,
  type SyncPlanResult,
  type TreeChildrenParams,
  type TreeChildrenResult,
  type TreeNode,
} from './protocol';
import type { ServerState } from './server';

function info(m: ParameterMeta): ParameterInfo {
  return { path: m.name, type: m.type, version: m.version, lastModified: m.lastModified, lastModifiedBy: m.lastModifiedBy, description: m.description };
}

const NO_BACKEND: FailureInfo = { kind: 'other', message: 'no backend for this environment (untrusted workspace or not configured)' };

function str(x: unknown): string {
  return typeof x === 'string' ? x : '';
}

/** Destinations (across the workspace) that replicate from `source`. */
export function replicationDestinations(ws: WorkspaceModel, source: string): string[] {
  const out = new Set<string>();
  for (const s of ws.services) {
    for (const p of s.expected.values()) if (p.source === source) out.add(p.path);
    for (const sf of s.secrets) {
      for (const r of sf.replicateFigs) {
        if (substituteTemplate(r.source.value, s) === source) {
          const d = substituteTemplate(r.dest.value, s);
          if (d) out.add(d);
        }
      }
    }
  }
  return [...out].sort();
}

function treeChildren(prefix: string, params: ParameterMeta[], ws: WorkspaceModel, complete = true): TreeNode[] {
  const base = prefix === '/' ? '' : prefix.replace(/\/+$/, '');
  const folders = new Map<string, number>();
  const leaves: TreeNode[] = [];
  const twigs = ws.services.map((s) => s.twig).filter((t): t is string => Boolean(t));
  for (const p of params) {
    if (!p.name.startsWith(`${base}/`)) continue;
    const rest = p.name.slice(base.length + 1);
    const slash = rest.indexOf('/');
    if (slash < 0) {
      const declared = ws.services.some((s) => s.expected.has(p.name)) || replicationDestinations(ws, p.name).length > 0;
      const underTwig = twigs.some((t) => p.name.startsWith(`${t}/`));
      leaves.push({ kind: 'parameter', path: p.name, label: rest, info: info(p), status: declared ? 'declared' : underTwig ? 'stray' : 'other' });
    } else {
      const f = `${base}/${rest.slice(0, slash)}`;
      folders.set(f, (folders.get(f) ?? 0) + 1);
    }
  }
  // Declared but absent (only from a complete listing: a failed one proves nothing).
  const missingIn = new Map<string, number>();
  if (complete) {
    const present = new Set(params.map((p) => p.name));
    const declared = new Set<string>();
    for (const svc of ws.services) for (const path of svc.expected.keys()) declared.add(path);
    for (const path of declared) {
      if (present.has(path) || !path.startsWith(`${base}/`)) continue;
      const rest = path.slice(base.length + 1);
      const slash = rest.indexOf('/');
      if (slash < 0) leaves.push({ kind: 'parameter', path, label: rest, status: 'missing' });
      else {
        const f = `${base}/${rest.slice(0, slash)}`;
        missingIn.set(f, (missingIn.get(f) ?? 0) + 1);
        if (!folders.has(f)) folders.set(f, 0);
      }
    }
  }
  const folderNodes: TreeNode[] = [...folders].map(([path, count]) => ({
    kind: 'folder',
    path,
    label: path.slice(path.lastIndexOf('/') + 1),
    count,
    ...(missingIn.has(path) ? { missing: missingIn.get(path) } : {}),
  }));
  folderNodes.sort((a, b) => a.label.localeCompare(b.label));
  leaves.sort((a, b) => a.label.localeCompare(b.label));
  return [...folderNodes, ...leaves];
}

export function registerCustomRequests(s: ServerState): void {
  const { connection, backend } = s;

  const needStore = (env: string) => {
    if (!s.trusted()) return undefined;
    return backend.store(str(env));
  };

  connection.onRequest(
    TreeChildrenRequest.method,
    s.guard('tree', undefined as unknown as TreeChildrenResult, async (p: TreeChildrenParams): Promise<TreeChildrenResult> => {
      await s.ready();
      const env = str(p?.env);
      const prefix = str(p?.prefix) || '/';
      const listing = backend.list(env, prefix === '/' ? '/' : prefix.replace(/\/+$/, ''));
      if (!listing) return { env, prefix, nodes: [], failure: NO_BACKEND };
      const r = await listing;
      const ws = await s.workspace();
      return { env, prefix, nodes: treeChildren(prefix, r.parameters, ws, !r.failure), failure: r.failure ? failureInfo(r.failure) : undefined };
    }),
  );

  connection.onRequest(
    ParameterDetailsRequest.method,
    s.guard('details', undefined as unknown as ParameterDetailsResult, async (p: ParameterDetailsParams): Promise<ParameterDetailsResult> => {
      await s.ready();
      const env = str(p?.env);
      const path = str(p?.path);
      const ws = await s.workspace();
      const declaredBy = ws.services.flatMap((svc) => {
        const e = svc.expected.get(path);
        return e ? e.declaredAt.map((d) => ({ serviceId: svc.id, uri: d.uri, line: d.range.start.line, attr: e.attr })) : [];
      });
      const replicatedFrom = ws.services.map((svc) => svc.expected.get(path)?.source).find(Boolean);
      const base = { env, path, declaredBy, replicatedFrom, replicatedTo: replicationDestinations(ws, path) };
      const store = needStore(env);
      if (!store) return { ...base, state: 'unknown', failure: NO_BACKEND };
      const d = (await store.describe([path])).get(path);
      if (!d) return { ...base, state: 'unknown' };
      if (d.state === 'unknown') return { ...base, state: 'unknown', failure: failureInfo(d.failure) };
      if (d.state === 'missing') return { ...base, state: 'missing' };
      let history: ParameterDetailsResult['history'];
      if (p?.history !== false) {
        const h = await store.history(path, { decrypt: false });
        if (h.state === 'found') {
          history = h.value.map((e) => ({ version: e.version, type: e.type, lastModified: e.lastModified, lastModifiedBy: e.lastModifiedBy, description: e.description, deleted: e.deleted }));
        }
      }
      return { ...base, state: 'present', info: info(d.value), history };
    }),
  );

  connection.onRequest(
    RevealValueRequest.method,
    s.guard('reveal', { state: 'unknown', failure: { kind: 'other', message: 'reveal failed' } } as RevealValueResult, async (p: RevealValueParams): Promise<RevealValueResult> => {
      await s.ready();
      const env = str(p?.env);
      const path = str(p?.path);
      const store = needStore(env);
      if (!store) return { state: 'unknown', failure: NO_BACKEND };
      const r = (await store.getValues([path], { decrypt: true })).get(path);
      s.log.info(`reveal requested by the user: ${env} ${path}`);
      if (!r) return { state: 'unknown', failure: { kind: 'other', message: 'no answer from the backend' } };
      if (r.state === 'missing') return { state: 'missing' };
      if (r.state === 'unknown') return { state: 'unknown', failure: failureInfo(r.failure) };
      if (r.value.value === undefined) return { state: 'unknown', failure: { kind: 'other', message: 'the backend returned no value' } };
      return { state: 'found', value: r.value.value, type: r.value.meta.type, version: r.value.meta.version };
    }),
  );

  async function put(env: string, p: { path: string; value: string; type: string; description?: string; overwrite: boolean }): Promise<PutParameterResult> {
    if (!s.trusted()) return { ok: false, reason: 'untrusted' };
    const store = backend.store(env);
    if (!store) return { ok: false, reason: 'failed', failure: NO_BACKEND };
    const path = str(p.path);
    const bad = validateParameterName(path);
    if (bad) return { ok: false, reason: 'invalid-name', message: bad };
    if (typeof p.value !== 'string') return { ok: false, reason: 'failed', failure: { kind: 'other', message: 'a value must be a string' } };
    const type = p.type === 'SecureString' ? 'SecureString' : 'String';
    let r: PutResult;
    try {
      r = await store.put({ name: path, value: p.value, type, description: typeof p.description === 'string' ? p.description : undefined, overwrite: p.overwrite === true });
    } catch (e) {
      return { ok: false, reason: 'failed', failure: { kind: 'other', message: `put failed (${describeError(e)})` } };
    }
    s.log.info(`put ${env} ${path} (${type}): ${r.ok ? `version ${r.version}` : r.reason}`);
    if (r.ok) return r;
    if (r.reason === 'exists') return { ok: false, reason: 'exists' };
    return { ok: false, reason: 'failed', failure: failureInfo(r.failure) };
  }

  connection.onRequest(
    PutParameterRequest.method,
    s.guard('put', { ok: false, reason: 'failed', failure: { kind: 'other', message: 'put failed' } } as PutParameterResult, async (p: PutParameterParams) => {
      await s.ready();
      const env = str(p?.env);
      const r = await put(env, p);
      if (r.ok) {
        backend.invalidateLists(env);
        await s.refresh('write', [env]);
      }
      return r;
    }),
  );

  connection.onRequest(
    DeleteParameterRequest.method,
    s.guard('delete', { ok: false, reason: 'failed', failure: { kind: 'other', message: 'delete failed' } } as DeleteParameterResult, async (p: DeleteParameterParams): Promise<DeleteParameterResult> => {
      await s.ready();
      if (!s.trusted()) return { ok: false, reason: 'untrusted' };
      const env = str(p?.env);
      const path = str(p?.path);
      const store = backend.store(env);
      if (!store) return { ok: false, reason: 'failed', failure: NO_BACKEND };
      // figgy-cli refuses to delete a replication source that still has destinations.
      const dests = replicationDestinations(await s.workspace(), path);
      if (dests.length) return { ok: false, reason: 'replication-source', destinations: dests };
      const r = await store.delete(path);
      s.log.info(`delete ${env} ${path}: ${r.ok ? 'ok' : r.reason}`);
      if (r.ok) {
        backend.invalidateLists(env);
        await s.refresh('write', [env]);
        return { ok: true };
      }
      return r.reason === 'missing' ? { ok: false, reason: 'missing' } : { ok: false, reason: 'failed', failure: failureInfo(r.failure) };
    }),
  );

  connection.onRequest(
    CompareRequest.method,
    s.guard('compare', { envs: [], rows: [], failures: [] } as CompareResult, async (p: CompareParams): Promise<CompareResult> => {
      await s.ready();
      const envs = Array.isArray(p?.envs) && p.envs.length ? p.envs.map(str) : s.envs();
      const failures: CompareResult['failures'] = [];
      let paths = new Set<string>(Array.isArray(p?.paths) ? p.paths.map(str) : []);
      const listed = new Map<string, Map<string, ParameterMeta>>();
      const listFailed = new Set<string>();
      for (const env of envs) {
        const store = needStore(env);
        if (!store) {
          failures.push({ env, failure: NO_BACKEND });
          listFailed.add(env);
          continue;
        }
        if (p?.prefix) {
          const r = await store.list(str(p.prefix));
          if (r.failure) {
            failures.push({ env, failure: failureInfo(r.failure) });
            listFailed.add(env);
          }
          listed.set(env, new Map(r.parameters.map((m) => [m.name, m])));
          for (const m of r.parameters) paths.add(m.name);
        }
      }
      paths = new Set([...paths].filter(Boolean).sort());
      const names = [...paths];
      const cells = new Map<string, Record<string, CompareCell>>(names.map((n) => [n, {}]));
      const hashes = new Map<string, Map<string, string>>(names.map((n) => [n, new Map()]));
      for (const env of envs) {
        const store = needStore(env);
        if (!store) {
          for (const n of names) cells.get(n)![env] = { state: 'unknown' };
          continue;
        }
        // Values are hashed as they arrive and dropped; only group numbers leave this function.
        const values = names.length ? await store.getValues(names, { decrypt: true }) : new Map();
        for (const n of names) {
          const l = values.get(n);
          if (!l || l.state === 'unknown') cells.get(n)![env] = { state: 'unknown' };
          else if (l.state === 'missing') cells.get(n)![env] = { state: listFailed.has(env) ? 'unknown' : 'missing' };
          else {
            cells.get(n)![env] = { state: 'present', type: l.value.meta.type, version: l.value.meta.version };
            if (l.value.value !== undefined) hashes.get(n)!.set(env, createHash('sha256').update(l.value.value).digest('hex'));
          }
        }
      }
      const rows = names.map((path) => {
        const row = cells.get(path)!;
        const h = hashes.get(path)!;
        const groups: string[] = [];
        for (const env of envs) {
          const hv = h.get(env);
          if (hv === undefined) continue;
          let g = groups.indexOf(hv);
          if (g < 0) g = groups.push(hv) - 1;
          row[env].group = g;
        }
        const states = envs.map((e) => row[e]?.state);
        const allEqual = states.some((x) => x === 'unknown') ? undefined : states.every((x) => x === 'present') && envs.every((e) => row[e].group === 0);
        return { path, cells: row, allEqual };
      });
      return { envs, rows, failures };
    }),
  );

  connection.onRequest(
    SyncPlanRequest.method,
    s.guard('syncPlan', { plans: [] } as SyncPlanResult, async (p: SyncPlanParams): Promise<SyncPlanResult> => {
      await s.ready();
      const ws = await s.workspace();
      const envs = Array.isArray(p?.envs) && p.envs.length ? p.envs.map(str) : s.envs();
      const services = ws.services.filter((svc) => svc.twig && (!p?.serviceId || svc.id === p.serviceId));
      const plans: SyncEnvPlan[] = [];
      for (const env of envs) {
        const st = s.trusted() ? backend.envStates.get(env) : undefined;
        const plan: SyncEnvPlan = { env, create: [], stray: [], unknown: [], blocked: [] };
        if (!st) {
          plan.failure = NO_BACKEND;
          plans.push(plan);
          continue;
        }
        for (const svc of services) {
          const sp = planSync(svc, st);
          if (sp.unknown) {
            plan.unknown.push(...[...svc.expected.keys()]);
            plan.failure = { kind: 'other', message: sp.unknown };
            continue;
          }
          plan.stray.push(...sp.stray);
          for (const item of sp.items) {
            const at = item.param.declaredAt[0];
            const base = { path: item.path, serviceId: svc.id, origin: item.param.origin, likelySecret: item.param.likelySecret, uri: at?.uri, line: at?.range.start.line };
            if (item.action === 'create') plan.create.push(base);
            else if (item.action === 'replicate') plan.create.push({ ...base, source: item.source });
            else if (item.action === 'merge') plan.create.push({ ...base, source: 'merge' });
            else plan.blocked!.push({ path: item.path, reason: item.reason });
          }
        }
        plans.push(plan);
      }
      return { plans };
    }),
  );

  connection.onRequest(
    SyncApplyRequest.method,
    s.guard('syncApply', { env: '', results: [] } as SyncApplyResult, async (p: SyncApplyParams): Promise<SyncApplyResult> => {
      await s.ready();
      const env = str(p?.env);
      const results: SyncApplyResult['results'] = [];
      for (const item of Array.isArray(p?.items) ? p.items : []) {
        // Sync never overwrites: an existing parameter comes back as `exists`.
        results.push({ path: str(item?.path), result: await put(env, { ...item, overwrite: false }) });
      }
      if (results.some((r) => r.result.ok)) {
        backend.invalidateLists(env);
        await s.refresh('write', [env]);
      }
      return { env, results };
    }),
  );

  connection.onRequest(
    SetEnvironmentsRequest.method,
    s.guard('setEnvironments', { envs: [] } as SetEnvironmentsResult, async (p: SetEnvironmentsParams) => {
      await s.ready();
      const envs = Array.isArray(p?.envs) ? p.envs.map(str).filter(Boolean) : [];
      if (envs.length) await s.setEnvs(envs);
      return { envs: s.envs() };
    }),
  );

  connection.onRequest(
    StatusRequest.method,
    s.guard('status', { envs: [], trusted: false, services: [] } as StatusResult, async (): Promise<StatusResult> => {
      await s.ready();
      const ws = await s.workspace();
      const envs: EnvStatus[] = [];
      for (const env of s.envs()) {
        const i = backend.envInfo.get(env);
        const st: EnvStatus = { env, backendKind: i?.store?.kind ?? 'none', lastRefresh: i?.lastRefresh?.toISOString(), failure: i?.failure };
        if (i?.store) {
          try {
            const id = await i.store.identity();
            if (id.state === 'found') {
              st.identity = id.value.id;
              st.identityDescription = id.value.description;
            } else if (id.state === 'unknown') st.failure = failureInfo(id.failure);
          } catch (e) {
            st.failure = { kind: 'other', message: `identity failed (${describeError(e)})` };
          }
        }
        // The sync plan's count: missing = to create + blocked, per environment (what Problems shows).
        const state = backend.envStates.get(env);
        if (state && s.trusted()) {
          const plans = ws.services.filter((svc) => svc.twig).map((svc) => planSync(svc, state));
          if (!plans.some((p) => p.unknown)) st.missing = plans.reduce((n, p) => n + p.items.length, 0);
        }
        envs.push(st);
      }
      return { envs, trusted: s.trusted(), services: ws.services.map((svc) => ({ id: svc.id, twig: svc.twig, root: svc.root })) };
    }),
  );

  connection.onRequest(
    RefreshRequest.method,
    s.guard('refresh', { refreshed: [], failures: [] } as RefreshResult, async (p: RefreshParams): Promise<RefreshResult> => {
      await s.ready();
      backend.invalidateLists();
      const refreshed = await s.refresh('refresh', Array.isArray(p?.envs) && p.envs.length ? p.envs.map(str) : undefined);
      const failures = s.envs().flatMap((env) => {
        const f = backend.envInfo.get(env)?.failure;
        return f ? [{ env, failure: f }] : [];
      });
      return { refreshed, failures };
    }),
  );

  void replicationSources;
}
