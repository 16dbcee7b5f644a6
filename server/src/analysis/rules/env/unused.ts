// A source entry written by the user (a charm option, a `.env` line, a compose `environment` key, a
// Helm values entry) that nothing reads. Not said when it cannot be known: the app reads names
// Orchard cannot resolve, hands the whole environment on, has no Python code Orchard reads (Go,
// Node, Java charms) or also has code in such a language (a shell entrypoint), or the variable is one the runtime or a library reads by itself.
import type { Finding, Rule } from '../../types';
import type { App, ProvidedVar } from '../../../model/types';
import { appVariables } from '../../../model/apps';
import { consumedByRuntime, flaskPrefixes } from '../../../model/appReads';

const CODE = 'env-unused';

function dirOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/'));
}

function readable(app: App): boolean {
  // Code in another language (an entrypoint.sh, a Node service) may read what Python does not.
  if (app.opaque.length > 0 || app.pythonUris.length === 0 || (app.otherCodeUris?.length ?? 0) > 0) return false;
  return !app.framework || app.framework === 'flask' || app.framework === 'django' || app.framework === 'fastapi';
}

export const envUnused: Rule = {
  code: CODE,
  defaultSeverity: 'info',
  description: 'A charm option, .env line, compose environment key or Helm values entry that nothing in the app reads.',
  needsBackend: false,
  run(ctx) {
    const ws = ctx.workspace;
    const out: Finding[] = [];
    if (!ws.apps?.length) return out;
    // Compose reads `${VAR}` from the `.env` beside it: those entries are used by compose itself.
    const interpolated = new Map<string, Set<string>>();
    for (const c of ws.envFiles?.compose ?? []) {
      const dir = dirOf(c.uri);
      let s = interpolated.get(dir);
      if (!s) interpolated.set(dir, (s = new Set()));
      for (const i of c.interpolations) s.add(i.name);
    }
    const pyFiles = new Map(ws.pythonFiles.map((f) => [f.uri, f]));
    const keyOf = (p: ProvidedVar) => `${p.uri}#${p.range.start.line}:${p.range.start.character}`;
    // A `.env` two apps share (compose passes it, code loads it) is unused only when neither reads
    // an entry; an app whose reads are unknowable makes its sources' entries unknowable too.
    const usedKeys = new Set<string>();
    const unknownKeys = new Set<string>();
    const readable_ = new Map<string, boolean>();
    for (const app of ws.apps ?? []) {
      const ok = readable(app);
      readable_.set(app.id, ok);
      if (!ok) {
        for (const s of app.sources) for (const p of s.provides) unknownKeys.add(keyOf(p));
        continue;
      }
      for (const v of appVariables(app)) if (v.reads.length > 0) for (const p of v.provided) usedKeys.add(keyOf(p.v));
    }
    const reported = new Set<string>();
    for (const app of ws.apps ?? []) {
      if (!readable_.get(app.id)) continue;
      const flask = flaskPrefixes(app.pythonUris.map((u) => pyFiles.get(u) ?? {}));
      // An option is used when any variable it becomes is read (a secret option: any of its keys).
      const usedOptions = new Set<string>();
      for (const s of app.sources) for (const p of s.provides) if (usedKeys.has(keyOf(p)) && p.charm?.option) usedOptions.add(p.charm.option);
      for (const s of app.sources) {
        for (const p of s.provides) {
          const key = keyOf(p);
          if (!p.userDefined || usedKeys.has(key) || unknownKeys.has(key)) continue;
          if (p.charm?.option && usedOptions.has(p.charm.option)) continue;
          if (!p.family && consumedByRuntime(p.name, flask)) continue;
          if (s.kind === 'dotenv' && interpolated.get(dirOf(s.uri))?.has(p.name)) continue;
          if (reported.has(key)) continue;
          reported.add(key);
          const what = p.charm?.option ? `option ${p.charm.option} (${p.family ? `${p.name}<KEY>` : p.name})` : p.name;
          out.push({
            code: CODE,
            severity: 'info',
            message: `${what} is not read by ${app.label}'s code`,
            uri: p.uri,
            range: p.range,
            tags: ['unnecessary'],
            data: { fix: 'remove-entry', name: p.charm?.option ?? p.name, appId: app.id },
          });
        }
      }
    }
    return out;
  },
};
