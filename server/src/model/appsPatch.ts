// A keystroke in one module changes one Python model. Rebuilding every app for it (buildApps) is
// work that grows with the workspace: at 2,000 apps ~190 ms, and every app a new object, so every
// rule result and every file's diagnostics looked new. `patchApps` finishes again only the apps at
// or above the edited file's folder and keeps every other App object, when the edit cannot have
// moved a boundary or changed what another module sees of the edited one:
// - the module keeps its file, whether it touches the environment (a Figgy-only config.py makes no
//   app) and whether it has paas-charm charm code;
// - its constants, helpers and imports (all that other modules resolve through it: ModuleIndex;
//   the imports and the charm code decide whether it is charm code, model/apps.ts isCharmCode) are
//   equal apart from their ranges, and it has environment facts in both or in neither.
// Otherwise undefined: the caller builds the apps again. The result equals buildApps of the new
// input: test/model/appsPatch.test.ts checks it on random edits.
import type { PythonConfigModel } from '../parse/types';
import type { DotenvModel } from '../parse/envTypes';
import type { App, AppSource, Service } from './types';
import { appsOf, dirOf, dotenvSourceAgain, planOf, touchesEnvironment } from './apps';

/** What importers can see of a module (ModuleIndex.importedConst / helper follow these), ranges left out. */
function exported(f: PythonConfigModel): string {
  const e = f.env;
  return e ? JSON.stringify([e.consts, e.helpers, e.imports], (k, v: unknown) => (k === 'range' ? undefined : v)) : '';
}

function sameShape(x: PythonConfigModel, y: PythonConfigModel): boolean {
  return (
    x.uri === y.uri &&
    touchesEnvironment(x) === touchesEnvironment(y) &&
    Boolean(x.charmCode) === Boolean(y.charmCode) &&
    exported(x) === exported(y)
  );
}

/**
 * The apps after `replaced` (old model → new model of the same file) and the new services, from the
 * apps built before; undefined when a full buildApps is needed.
 */
export function patchApps(prev: readonly App[], replaced: ReadonlyMap<PythonConfigModel, PythonConfigModel>, services: readonly Service[]): App[] | undefined {
  const plan = planOf(prev);
  if (!plan) return undefined;
  for (const [x, y] of replaced) if (!sameShape(x, y)) return undefined;
  // A module belongs to the nearest app above it, and charm code to the charm's app above it: the
  // apps whose root is the file or one of its folders are the ones to finish again.
  if (!plan.byRoot) {
    const m = new Map<string, number>();
    plan.drafts.forEach((d, i) => m.set(d.root, i));
    plan.byRoot = m;
  }
  const { byRoot } = plan;
  const touched = new Set<number>();
  for (const y of replaced.values()) {
    for (let at = y.uri; at.length > 'file://'.length; ) {
      const i = byRoot.get(at);
      if (i !== undefined) touched.add(i);
      const up = dirOf(at);
      if (up === at) break;
      at = up;
    }
  }
  const swap = (f: PythonConfigModel) => replaced.get(f) ?? f;
  return appsOf(
    {
      drafts: plan.drafts.map((d, i) => (touched.has(i) ? { ...d, python: d.python.map(swap) } : d)),
      idx: plan.idx.replacing(replaced),
      dotenvByUri: plan.dotenvByUri,
      charmCode: plan.charmCode.map(swap),
      services,
      // The same roots in the same order.
      byRoot,
    },
    (i) => (touched.has(i) ? undefined : prev[i]),
  );
}

/**
 * The apps after `replaced` (old model → new model of the same `.env` file), from the apps built
 * before; undefined when a full buildApps is needed. A `.env` file's place (its folder) decides app
 * boundaries, its content only what it provides: the apps given it (compose env_file, a file inside
 * the app) are finished again, and so are apps whose code loads `.env` files itself (which file a
 * load resolves to is decided when the app is finished); every other App object is kept.
 */
export function patchAppsDotenv(prev: readonly App[], replaced: ReadonlyMap<DotenvModel, DotenvModel>): App[] | undefined {
  const plan = planOf(prev);
  if (!plan) return undefined;
  const dotenvByUri = new Map(plan.dotenvByUri);
  const ids = new Set<string>();
  for (const [x, y] of replaced) {
    if (x.uri !== y.uri || plan.dotenvByUri.get(x.uri) !== x) return undefined;
    dotenvByUri.set(y.uri, y);
    ids.add(`dotenv:${y.uri}`);
  }
  const again = (s: AppSource): AppSource => (s.kind === 'dotenv' && s.complete && s.uri && ids.has(s.id) ? dotenvSourceAgain(s, dotenvByUri.get(s.uri)!) : s);
  const touched = new Set<number>();
  const drafts = plan.drafts.map((d, i) => {
    const given = d.sources.some((s) => ids.has(s.id)) || d.inside.some((s) => ids.has(s.id));
    if (!given && !d.python.some((f) => f.env?.loadsDotenv?.length)) return d;
    touched.add(i);
    return given ? { ...d, sources: d.sources.map(again), inside: d.inside.map(again) } : d;
  });
  return appsOf({ ...plan, drafts, dotenvByUri }, (i) => (touched.has(i) ? undefined : prev[i]));
}
