// `orchard/apps`: the twelve-factor apps of the workspace for the client's App Variables view.
// Names, places and labels only: a value never leaves here.
import { appVariables, inTestCode, providedNames, requiredNow, satisfiedBy } from '../model/appVariables';
import type { App, WorkspaceModel } from '../model/types';
import { AppsRequest, type AppInfo, type AppsResult, type AppVariableInfo } from './protocol';
import type { ServerState } from './server';

export function appsInfo(ws: WorkspaceModel): AppsResult {
  const apps: AppInfo[] = (ws.apps ?? []).map((a) => ({
    id: a.id,
    label: a.label,
    root: a.root,
    kind: a.kind,
    framework: a.framework,
    sources: a.sources.map((s) => ({ id: s.id, label: s.label, kind: s.kind, uri: s.uri, complete: s.complete, incompleteReason: s.incompleteReason, buildOnly: s.buildOnly })),
    variables: variablesInfo(a, ws.roots),
  }));
  return { apps };
}

/**
 * A variable is required as env-not-provided judges it (requiredNow), so the view's "missing" marks
 * match the Problems panel; each read is described as written, as `orchard env` does (required,
 * required when a switch is set, optional).
 */
function variablesInfo(a: App, roots: readonly string[] | undefined): AppVariableInfo[] {
  const vars = appVariables(a, { hideUnreadBuiltins: true });
  const provided = providedNames(vars);
  return vars.map((v) => ({
    name: v.name,
    sensitive: v.sensitive,
    required: v.reads.some((r) => requiredNow(r, provided, roots)),
    reads: v.reads.map((r) => ({
      uri: r.uri,
      range: r.read.name.range,
      required: r.read.required && !r.read.requiredWhen,
      ...(r.read.required && r.read.requiredWhen ? { requiredWhen: r.read.requiredWhen } : {}),
      ...(inTestCode(r.uri, roots) ? { inTests: true as const } : {}),
    })),
    provided: v.provided.map((p) => ({ uri: p.v.uri, range: p.v.range, sourceId: p.source.id, detail: p.v.detail })),
    ...withSatisfiedBy(satisfiedBy(v, provided)),
  }));
}

function withSatisfiedBy(names: string[]): { satisfiedBy?: string[] } {
  return names.length ? { satisfiedBy: names } : {};
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
