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
// input: test/model/appsPatch.test.ts checks it on random edits. `patchAppsSources` does the same
// for a keystroke in a `.env`, Helm values, Dockerfile, app.json, render.yaml, app spec, Kubernetes manifest, App Engine file,
// fly.toml, Databricks app.yaml, serverless.yml, SAM template, zappa_settings.json, .chalice/config.json, ECS task definition, charm or compose file (test/model/sourcesPatch.test.ts).
import type { PythonConfigModel } from '../parse/types';
import type { TerraformModel } from '../parse/envTypes';
import type { App, AppSource, EnvListModel, EnvListName, Service } from './types';
import { appsOf, dirOf, planOf, touchesEnvironment } from './apps';
import { mayRunPython } from './hostedApps';
import { composeEnvSource, composeShape, doShape, doSource, dockerfileShape, dockerfileSourceAgain, dotenvSourceAgain, helmSource, herokuSource, k8sShape, k8sSource, mayBeAppImage, renderShape, renderSource } from './appSources';
import { appEngineSource, databricksSource, ecsShape, ecsSource, flySource, terraformTaskShape, terraformTaskSources } from './hostedSources';
import { terraformFunctionsByDir, terraformShape, terraformSource, samFunctionsByDir, samShape, samSource, serverlessMayRunPython, serverlessSource, zappaSources, chaliceSources } from './lambdaSources';

/** What importers can see of a module (ModuleIndex.importedConst / helper / settingsBase follow these), ranges left out. */
function exported(f: PythonConfigModel): string {
  const e = f.env;
  return e ? JSON.stringify([e.consts, e.helpers, e.imports, e.settingsClasses ?? []], (k, v: unknown) => (k === 'range' ? undefined : v)) : '';
}

function sameShape(x: PythonConfigModel, y: PythonConfigModel): boolean {
  return (
    x.uri === y.uri &&
    touchesEnvironment(x) === touchesEnvironment(y) &&
    Boolean(x.charmCode) === Boolean(y.charmCode) &&
    exported(x) === exported(y) &&
    // A CDK stack's functions are its code folders' sources: any change of them builds the apps again.
    (x.cdk === undefined) === (y.cdk === undefined) &&
    (x.cdk === undefined || JSON.stringify(x.cdk) === JSON.stringify(y.cdk))
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
      // The rest of the plan (the roots in the same order, the folders' Kubernetes data and Terraform
      // archives, what compose targets) stays: a later edit of a source file patches from it.
      ...plan,
      drafts: plan.drafts.map((d, i) => (touched.has(i) ? { ...d, python: d.python.map(swap) } : d)),
      idx: plan.idx.replacing(replaced),
      charmCode: plan.charmCode.map(swap),
      services,
      byRoot,
    },
    (i) => (touched.has(i) ? undefined : prev[i]),
  );
}

/** Old → new models of the same files, swapped in place in the input (the file list is the same). */
/** Per list of twelve-factor models: the models an edit swapped in place, old → new. */
export type SourceEdits = { readonly [K in EnvListName]: ReadonlyMap<EnvListModel<K>, EnvListModel<K>> };

/**
 * The apps after new models of `.env`, Helm values, app.json, charm and compose files (the same files), from the apps
 * built before; undefined when a full buildApps is needed. A source file's place (its folder)
 * decides app boundaries, its content only what it provides, so the plan stays and only the apps
 * given a changed file are finished again: a `.env` inside the app or through a compose env_file (and
 * every app whose code loads `.env` files itself: which file a load reaches is decided when the app
 * is finished), Helm values or an app.json inside the app, the charm's files (a charm whose name changes is
 * refused: the name is the app's label), a compose service's `environment` (a compose file whose
 * services, build contexts or env_file lists change is refused: those are the apps). Every other
 * App object is kept.
 */
export function patchAppsSources(prev: readonly App[], edits: SourceEdits): App[] | undefined {
  const plan = planOf(prev);
  if (!plan) return undefined;
  // Copied only when a `.env` changed (2,000 entries at 2,000 apps, on every keystroke otherwise).
  const dotenvByUri = edits.dotenv.size ? new Map(plan.dotenvByUri) : undefined;
  const again = new Map<string, (old: AppSource) => AppSource>();
  for (const [x, y] of edits.dotenv) {
    // (A Kustomize generator's `envs` file gives a folder's ConfigMap keys: built again.)
    if (x.uri !== y.uri || plan.dotenvByUri.get(x.uri) !== x || plan.kustomizeEnvFiles?.has(y.uri)) return undefined;
    dotenvByUri!.set(y.uri, y);
    again.set(`dotenv:${y.uri}`, (old) => (old.complete ? dotenvSourceAgain(old, y) : old));
  }
  // A chart's template, or a chart's values file (what its templates take from the values may change): build again.
  if (edits.helmTemplates.size > 0) return undefined;
  for (const [x, y] of edits.helm) {
    if (x.uri !== y.uri || plan.charts?.has(dirOf(y.uri))) return undefined;
    again.set(`helm:${y.uri}`, () => helmSource(y));
  }
  for (const [x, y] of edits.dockerfiles) {
    // Built on another program's image now, or no longer (for a compose target: any stage or base
    // changed): the file may join or leave an app's sources.
    if (x.uri !== y.uri || mayBeAppImage(x) !== mayBeAppImage(y)) return undefined;
    if (plan.targeted?.has(y.uri) && dockerfileShape(x) !== dockerfileShape(y)) return undefined;
    again.set(`dockerfile:${y.uri}`, (old) => dockerfileSourceAgain(old, y) ?? old);
  }
  for (const [x, y] of edits.appJson) {
    if (x.uri !== y.uri) return undefined;
    again.set(`heroku:${y.uri}`, () => herokuSource(y));
  }
  for (const [x, y] of edits.render) {
    // Only what the services are given may differ: the services themselves (their apps) are the same.
    if (x.uri !== y.uri || renderShape(x) !== renderShape(y)) return undefined;
    for (const s of y.services) again.set(`render:${y.uri}#${s.name}`, () => renderSource(y, s));
  }
  for (const [x, y] of edits.doApp) {
    if (x.uri !== y.uri || doShape(x) !== doShape(y)) return undefined;
    for (const c of y.components) again.set(`do:${y.uri}#${c.name}`, () => doSource(y, c));
  }
  for (const [x, y] of edits.k8s) {
    // Only what the containers are given may differ: the workloads, containers, images and ConfigMap / Secret keys are the same.
    if (x.uri !== y.uri || k8sShape(x) !== k8sShape(y)) return undefined;
    // (Its ConfigMaps' and Secrets' keys are the same too, so the folder's are the plan's.)
    const data = plan.k8sData?.get(dirOf(y.uri)) ?? [];
    for (const w of y.workloads) for (const c of w.containers) again.set(`k8s:${y.uri}#${w.kind}/${w.name}/${c.name}`, () => k8sSource(y, w, c, data));
  }
  for (const [x, y] of edits.appEngine) {
    // A runtime that may run Python or not decides whether the file's folder is an app's; the files
    // a service includes are read through it (not patched: the apps are built again).
    if (x.uri !== y.uri || x.included || y.included || x.includes.length || y.includes.length || mayRunPython(x) !== mayRunPython(y)) return undefined;
    again.set(`gae:${y.uri}`, () => appEngineSource(y));
  }
  for (const [x, y] of edits.fly) {
    if (x.uri !== y.uri) return undefined;
    again.set(`fly:${y.uri}`, () => flySource(y));
  }
  for (const [x, y] of edits.databricksApp) {
    if (x.uri !== y.uri) return undefined;
    again.set(`databricks:${y.uri}`, () => databricksSource(y));
  }
  for (const [x, y] of edits.serverless) {
    // Whether its functions may run Python decides whether the file's folder is an app's.
    if (x.uri !== y.uri || serverlessMayRunPython(x) !== serverlessMayRunPython(y)) return undefined;
    again.set(`sls:${y.uri}`, () => serverlessSource(y));
  }
  for (const [x, y] of edits.sam) {
    // Which folders hold which functions decides the apps and their sources: the same, or build again.
    const byDir = samFunctionsByDir(y);
    if (x.uri !== y.uri || samShape(samFunctionsByDir(x)) !== samShape(byDir)) return undefined;
    for (const [dir, fns] of byDir) again.set(`sam:${y.uri}#${dir}`, () => samSource(y, dir, fns));
  }
  for (const [x, y] of edits.zappa) {
    // The stages are the sources: the same ones, or build again.
    const now = zappaSources(y);
    if (x.uri !== y.uri || zappaSources(x).map((s) => s.id).join('\n') !== now.map((s) => s.id).join('\n')) return undefined;
    for (const s of now) again.set(s.id, () => s);
  }
  for (const [x, y] of edits.terraform) {
    // Which folders hold which functions decides the apps: the same functions, code and archives, or build again.
    // (A task's containers from another file — a template, a module —: the folder's files say which, so build again.)
    if (x.uri !== y.uri || terraformShape(x) !== terraformShape(y) || terraformTaskShape(x) !== terraformTaskShape(y) || !plan.tfArchives || [x, y].some(rendersAFile)) return undefined;
    for (const [dir, fns] of terraformFunctionsByDir(y, plan.tfArchives)) again.set(`tf:${y.uri}#${dir}`, () => terraformSource(y, dir, fns));
    for (const s of terraformTaskSources(y)) again.set(s.id, () => s);
  }
  for (const [x, y] of edits.ecs) {
    // Only what the containers are given may differ: the containers and their images are the same.
    // (The containers a Terraform file renders are its task's: build again.)
    if (x.uri !== y.uri || ecsShape(x) !== ecsShape(y) || x.fragment || y.fragment) return undefined;
    for (const c of y.containers) again.set(`ecs:${y.uri}#${c.name}`, () => ecsSource(y, c));
  }
  for (const [x, y] of edits.chalice) {
    // A template beside the config makes its stages unknown: an edit of the template builds again,
    // and an edited config keeps what its stages were (the template is still there, or not).
    if (x.template || y.template) return undefined;
    const now = chaliceSources(y);
    if (x.uri !== y.uri || chaliceSources(x).map((s) => s.id).join('\n') !== now.map((s) => s.id).join('\n')) return undefined;
    for (const s of now) again.set(s.id, (old) => (old.complete ? s : { ...s, complete: false, incompleteReason: old.incompleteReason }));
  }
  for (const [x, y] of edits.charms) if (x.uri !== y.uri || x.name?.value !== y.name?.value) return undefined;
  for (const [x, y] of edits.compose) {
    // Only `environment` values may differ: the apps (build contexts) and env_file lists are the same.
    if (x.uri !== y.uri || composeShape(x) !== composeShape(y)) return undefined;
    for (const sv of y.services) if (sv.buildContext && sv.environment.length > 0) again.set(`compose:${y.uri}#${sv.name}`, () => composeEnvSource(y, sv));
  }
  const swapSource = (s: AppSource): AppSource => again.get(s.id)?.(s) ?? s;
  const loadsDotenv = edits.dotenv.size > 0;
  const touched = new Set<number>();
  const drafts = plan.drafts.map((d, i) => {
    const given = d.sources.some((s) => again.has(s.id)) || d.inside.some((s) => again.has(s.id));
    const charm = d.charm?.some((c) => edits.charms.has(c));
    if (!given && !charm && !(loadsDotenv && d.python.some((f) => f.env?.loadsDotenv?.length))) return d;
    touched.add(i);
    if (!given && !charm) return d;
    const next = { ...d, sources: d.sources.map(swapSource), inside: d.inside.map(swapSource) };
    if (charm) next.charm = d.charm!.map((c) => edits.charms.get(c) ?? c);
    return next;
  });
  return appsOf({ ...plan, drafts, dotenvByUri: dotenvByUri ?? plan.dotenvByUri }, (i) => (touched.has(i) ? undefined : prev[i]));
}

/** A Terraform file with a task whose containers may be another file's, or a `template_file`, container module or local a task may name. */
function rendersAFile(m: TerraformModel): boolean {
  return m.tasks.some((t) => t.renders !== undefined || t.template !== undefined || t.modules?.length || t.locals?.length) || (m.templates?.length ?? 0) > 0 || (m.containerModules?.length ?? 0) > 0 || (m.containerLocals?.length ?? 0) > 0;
}
