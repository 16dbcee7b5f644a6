// `orchard/apps`: the twelve-factor apps of the workspace for the client's App Variables view.
// Names, places and labels only: a value never leaves here.
import { appVariables } from '../model/appVariables';
import type { WorkspaceModel } from '../model/types';
import { AppsRequest, type AppInfo, type AppsResult } from './protocol';
import type { ServerState } from './server';

export function appsInfo(ws: WorkspaceModel): AppsResult {
  const apps: AppInfo[] = (ws.apps ?? []).map((a) => ({
    id: a.id,
    label: a.label,
    root: a.root,
    kind: a.kind,
    framework: a.framework,
    sources: a.sources.map((s) => ({ id: s.id, label: s.label, kind: s.kind, uri: s.uri, complete: s.complete, incompleteReason: s.incompleteReason })),
    variables: appVariables(a, { hideUnreadBuiltins: true }).map((v) => ({
      name: v.name,
      sensitive: v.sensitive,
      required: v.reads.some((r) => r.read.required),
      reads: v.reads.map((r) => ({ uri: r.uri, range: r.read.name.range, required: r.read.required })),
      provided: v.provided.map((p) => ({ uri: p.v.uri, range: p.v.range, sourceId: p.source.id, detail: p.v.detail })),
    })),
  }));
  return { apps };
}

export function registerAppsRequest(state: ServerState): void {
  state.connection.onRequest(
    AppsRequest.method,
    state.guard('apps', { apps: [] } as AppsResult, async () => {
      await state.ready();
      return appsInfo(await state.workspace());
    }),
  );
}
