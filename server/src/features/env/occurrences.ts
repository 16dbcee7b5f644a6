// What variable is at a position: a read in Python, or an entry of a source (charm option, `.env`
// line, compose / Helm key). Hover, definition, references, completion and code actions of the
// twelve-factor side all start here.
import type { Position } from '../../parse/types';
import type { App, AppRead, AppSource, ProvidedVar, WorkspaceModel } from '../../model/types';
import { appVariables, provides, type AppVariable } from '../../model/appVariables';
import { contains, rangeSize } from '../positions';

export type EnvOccurrence =
  | { kind: 'read'; app: App; name: string; read: AppRead }
  | { kind: 'provided'; app: App; name: string; source: AppSource; v: ProvidedVar };

/** The narrowest read or source entry under the cursor. */
export function envOccurrenceAt(ws: WorkspaceModel, uri: string, pos: Position): EnvOccurrence | undefined {
  let best: EnvOccurrence | undefined;
  let size = Infinity;
  const consider = (o: EnvOccurrence, r: { start: Position; end: Position }): void => {
    const s = rangeSize(r);
    if (contains(r, pos) && s < size) {
      best = o;
      size = s;
    }
  };
  for (const app of ws.apps ?? []) {
    for (const r of app.reads) if (r.uri === uri) consider({ kind: 'read', app, name: r.name, read: r }, r.read.name.range);
    for (const s of app.sources) {
      for (const v of s.provides) if (v.uri === uri) consider({ kind: 'provided', app, name: v.name, source: s, v }, v.range);
    }
  }
  return best;
}

/** The variable (reads + providers) an occurrence is about; for a secret-option family, every read it feeds. */
export function variablesOf(o: EnvOccurrence): AppVariable[] {
  const vars = appVariables(o.app);
  if (o.kind === 'read') return vars.filter((v) => v.name === o.name);
  if (o.v.family) return vars.filter((v) => v.provided.some((p) => p.v === o.v));
  // An option can become several variables (none here, but an option with `-` and `_` twins can):
  // everything this exact entry provides.
  return vars.filter((v) => v.provided.some((p) => p.v === o.v) || (v.reads.length > 0 && provides(o.v, v.name)));
}

/** The app a file belongs to (by its reads or sources). */
export function appForUri(ws: WorkspaceModel, uri: string): App | undefined {
  for (const app of ws.apps ?? []) {
    if (app.pythonUris.includes(uri)) return app;
    if (app.sources.some((s) => s.uri === uri || s.provides.some((p) => p.uri === uri))) return app;
    if (app.charm?.some((c) => c.uri === uri)) return app;
  }
  return undefined;
}
