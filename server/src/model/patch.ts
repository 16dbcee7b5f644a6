// A keystroke in one config.py changes one Python model. Rebuilding the workspace for it pairs,
// names and matches every service again and rebuilds every app: work that grows with the workspace.
// `patchWorkspace` instead takes the last build and replaces only the services declared in the
// changed files, when the edit cannot have changed anything the rest of the build depends on:
// - the same files in the same order, every non-Python input the very same objects;
// - per changed file: same uri, same `importsFiggy`, the same FigStore classes (name, abstract,
//   resolved twig) in the same order: pairing, service ids and figgy-secrets.json matching use only
//   those, so they come out the same;
// - apps: only those at or above a changed file's folder are finished again (model/appsPatch.ts),
//   unless the edit can move an app boundary; then every app is built again (still without re-pairing);
// - a figgy.json's new model (same file, no imports before or after, the same twig): its services
//   keep their pairing, ids and secrets files; their expected parameters are computed again, and the
//   apps holding their config.py (which read their override variables) are finished again;
// - new models of `.env`, Helm values, charm and compose files (same files, same places in the
//   input): no service depends on them; the apps given them are finished again (appsPatch.ts
//   patchAppsSources), unless a compose file's apps (build contexts, env_file lists) or a charm's
//   name changed: then every app is built again.
// The result equals `buildWorkspace` of the new input: test/analysis/incremental.test.ts checks it on
// random edits, test/model/patch.test.ts the apps cases.
import type { FiggyJsonModel, PythonConfigModel } from '../parse/types';
import { ENV_LISTS, type EnvListModel, type EnvListName, type Service, type WorkspaceModel } from './types';
import { buildApps } from './apps';
import { patchApps, patchAppsSources, type SourceEdits } from './appsPatch';
import { memoExpectedAfter, serviceClasses, type BuildInput, type BuildOptions } from './build';
import { classTwig, jsonTwig } from './decls';
import { sameList } from './identity';
import { normaliseTwig } from '../parse/paths';

export interface Built {
  input: BuildInput;
  opts: BuildOptions;
  ws: WorkspaceModel;
}

function sameClasses(a: PythonConfigModel, b: PythonConfigModel): boolean {
  if (a.importsFiggy !== b.importsFiggy || a.classes.length !== b.classes.length) return false;
  for (let i = 0; i < a.classes.length; i++) {
    const x = a.classes[i];
    const y = b.classes[i];
    if (x.className !== y.className || Boolean(x.abstract) !== Boolean(y.abstract)) return false;
    const tx = classTwig(x);
    const ty = classTwig(y);
    if (tx !== ty && (tx === undefined || ty === undefined || normaliseTwig(tx) !== normaliseTwig(ty))) return false;
  }
  return true;
}

function sameOpts(a: BuildOptions, b: BuildOptions): boolean {
  return (a.pairing ?? 'auto') === (b.pairing ?? 'auto') && sameList(a.appRoots ?? [], b.appRoots ?? []);
}

/** Old → new figgy.json models in place with the same twig and no imports (see replacedInPlace). */
function replacedJson(a: readonly FiggyJsonModel[], b: readonly FiggyJsonModel[]): Map<FiggyJsonModel, FiggyJsonModel> | undefined {
  const out = replacedInPlace(a, b);
  for (const [x, y] of out ?? []) {
    if (x.imports.length || y.imports.length) return undefined;
    const tx = jsonTwig(x);
    const ty = jsonTwig(y);
    if (tx !== ty && (tx === undefined || ty === undefined || normaliseTwig(tx) !== normaliseTwig(ty))) return undefined;
  }
  return out;
}

/** Old → new models at the same places of two lists of the same files; undefined when the lists differ otherwise. */
function replacedInPlace<T extends { uri: string }>(a: readonly T[], b: readonly T[]): Map<T, T> | undefined {
  if (a.length !== b.length) return undefined;
  const out = new Map<T, T>();
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (a[i].uri !== b[i].uri) return undefined;
    out.set(a[i], b[i]);
  }
  return out;
}

/**
 * The workspace of `next`, patched from `prev` when only Python models changed in ways that leave
 * pairing intact, or `.env` models in place; undefined when a full `buildWorkspace` is needed.
 */
export function patchWorkspace(prev: Built, next: BuildInput, opts: BuildOptions = {}): WorkspaceModel | undefined {
  const a = prev.input;
  if (!sameOpts(prev.opts, opts)) return undefined;
  if (!sameList(a.secrets, next.secrets)) return undefined;
  const jsons = replacedJson(a.figgyJson, next.figgyJson);
  if (!jsons) return undefined;
  const ea = a.env ?? { charms: [], dotenv: [], compose: [], helm: [] };
  const eb = next.env ?? { charms: [], dotenv: [], compose: [], helm: [] };
  if (!sameList(ea.code, eb.code)) return undefined;
  // Each list of twelve-factor models: the same files, some models swapped in place.
  const edits: Partial<Record<EnvListName, Map<EnvListModel, EnvListModel>>> = {};
  let sourceEdits = 0;
  for (const k of ENV_LISTS) {
    const r = replacedInPlace<EnvListModel>(ea[k] ?? [], eb[k] ?? []);
    if (!r) return undefined;
    edits[k] = r;
    sourceEdits += r.size;
  }
  if (!sameList(a.roots ?? [], next.roots ?? []) || a.gitStatus !== next.gitStatus || a.baseline !== next.baseline) return undefined;
  if (a.python.length !== next.python.length) return undefined;

  const replaced = new Map<PythonConfigModel, PythonConfigModel>();
  for (let i = 0; i < next.python.length; i++) {
    const x = a.python[i];
    const y = next.python[i];
    if (x === y) continue;
    if (x.uri !== y.uri || !sameClasses(x, y)) return undefined;
    replaced.set(x, y);
  }
  if (replaced.size === 0 && jsons.size === 0 && sourceEdits === 0 && sameList(a.credentials ?? [], next.credentials ?? [])) return prev.ws;

  // A config.py whose service's figgy.json changed: its app reads the service's override variables.
  const appModules = new Map(replaced);
  const services: Service[] = prev.ws.services.map((s) => {
    const m = s.configPy && replaced.get(s.configPy.model);
    const j = s.figgyJson && jsons.get(s.figgyJson);
    if (!m && !j) return s;
    const patched: Service = { ...s, secrets: [...s.secrets], expected: new Map() };
    if (m) patched.configPy = { model: m, cls: serviceClasses(m)[serviceClasses(s.configPy!.model).indexOf(s.configPy!.cls)] };
    if (j) patched.figgyJson = j;
    patched.expected = memoExpectedAfter(s, patched);
    if (j && !m && s.configPy) appModules.set(s.configPy.model, s.configPy.model);
    return patched;
  });
  let apps = prev.ws.apps && patchApps(prev.ws.apps, appModules, services);
  if (apps && sourceEdits > 0) apps = patchAppsSources(apps, edits as SourceEdits);
  apps ??= buildApps({ python: next.python, ...eb, services, roots: next.roots ?? [], appRoots: opts.appRoots });
  return { ...prev.ws, services, pythonFiles: next.python, figgyJsonFiles: next.figgyJson, apps, envFiles: next.env ?? prev.ws.envFiles, credentials: next.credentials ?? [] };
}
