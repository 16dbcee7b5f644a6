// Twelve-factor apps: where an app's boundary is, which Python modules are its code, and which
// sources (charm, `.env`, compose, Helm values, code writing `os.environ`) provide its variables.
//
// Boundaries, first match wins, then apps with the same root folder are one app:
// 1. configured roots (`orchard.apps.roots` / `--app-root`): each folder is an app;
// 2. a charm: `charmcraft.yaml` (or an expanded charm's `config.yaml` + `metadata.yaml`) in a folder
//    named `charm` makes its parent (the rock project) the app; anywhere else, the charm's own folder;
// 3. a compose service with a `build` context: that folder;
// 4. otherwise the nearest folder above a module that holds a `.env*` file, Heroku's app.json, a
//    Render service (its `rootDir`), a DigitalOcean component (`source_dir`), an App Engine
//    service's file, a fly.toml, a Databricks app.yaml, a serverless.yml, a SAM function's CodeUri, a zappa_settings.json or a Chalice project, else the workspace root (for each module, whichever folder apps came first).
// A module belongs to the app with the nearest root above it. Charm code (anything inside a `charm/`
// folder of a rock project, or a module importing `ops` / `paas_charm`) is not app code.
import type { AppEngineModel, AppJsonModel, CharmModel, ComposeModel, DatabricksAppModel, DoAppSpecModel, DoComponent, DockerfileModel, DotenvModel, FlyTomlModel, HelmTemplateModel, HelmValuesModel, K8sKeys, K8sManifestModel, RenderBlueprintModel, RenderService, SamTemplateModel, ServerlessModel, ZappaSettingsModel, ChaliceConfigModel, EcsTaskDefModel, TerraformArchive, TerraformModel } from '../parse/envTypes';
import type { PythonConfigModel } from '../parse/types';
import { imageOf } from '../parse/dockerfile';
import type { App, AppSource, Service } from './types';
import { ModuleIndex } from './appReads';
import { dirOf, fileNameOf, innermostRoot, isUnder } from './uris';
import { chartSource, composeEnvSource, doSource, dockerfileSource, dotenvSource, helmSource, herokuSource, k8sSource, mayBeAppContainer, mayBeAppImage, renderSource } from './appSources';
import { hostedPlan } from './hostedApps';
import { chartEnv } from './helmChart';
import { k8sDataByFolder } from './kustomize';
import { composeVars, envFileTarget, resolveFile, resolveFolder, serviceBuild, type ComposeVars } from './composeBuild';
import { finishApp, servicesIn } from './appFinish';

export { dirOf, resolveFile, resolveFolder };

export interface AppsInput {
  python: readonly PythonConfigModel[];
  charms: readonly CharmModel[];
  dotenv: readonly DotenvModel[];
  compose: readonly ComposeModel[];
  helm: readonly HelmValuesModel[];
  dockerfiles?: readonly DockerfileModel[];
  /** Heroku's app.json manifests. */
  appJson?: readonly AppJsonModel[];
  /** Render Blueprints. */
  render?: readonly RenderBlueprintModel[];
  /** DigitalOcean App Platform specs. */
  doApp?: readonly DoAppSpecModel[];
  /** Kubernetes manifests (workloads, ConfigMaps, Secrets). */
  k8s?: readonly K8sManifestModel[];
  /** Google App Engine services' files. */
  appEngine?: readonly AppEngineModel[];
  /** Fly.io apps' fly.toml. */
  fly?: readonly FlyTomlModel[];
  /** Databricks apps' app.yaml. */
  databricksApp?: readonly DatabricksAppModel[];
  /** Serverless Framework services' serverless.yml. */
  serverless?: readonly ServerlessModel[];
  /** AWS SAM templates. */
  sam?: readonly SamTemplateModel[];
  /** Zappa's zappa_settings.json. */
  zappa?: readonly ZappaSettingsModel[];
  /** AWS Chalice projects' .chalice/config.json. */
  chalice?: readonly ChaliceConfigModel[];
  /** Amazon ECS task definitions. */
  ecs?: readonly EcsTaskDefModel[];
  /** Terraform files declaring Lambda functions or archives. */
  terraform?: readonly TerraformModel[];
  /** Source files in other languages (their reads are not followed). */
  code?: readonly string[];
  /** Files of Helm charts' `templates/` folders. */
  helmTemplates?: readonly HelmTemplateModel[];
  /** Folders holding a Helm chart (`Chart.yaml`). */
  charts?: readonly string[];
  /** Figgy services: their override variables are reads of the app holding config.py. */
  services: readonly Service[];
  /** Workspace root folder uris. */
  roots: readonly string[];
  /** Configured app root folder uris. */
  appRoots?: readonly string[];
}

/** A uri's last segment, decoded: apps and sources are labelled with it. */
const baseOf = fileNameOf;

/** Folders that hold Dockerfiles rather than the service's code. */
const INFRA_DIRS = /^(?:\.?docker|dockerfiles?|deploy(?:ment)?s?|build|ci|\.ci|infra|ops|compose|containers?|images?|\.devcontainer|tools|scripts)(?:\/|$)/i;

/** Code that runs in a browser or a test run, never in the app's process. */
const BROWSER_OR_TEST = /\/(?:static|assets|public|dist|build|vendor|www|tests?|__tests__|spec|e2e|docs?)\//;
const CI_SCRIPTS = /\/\.(?:github|gitlab|circleci|buildkite|woodpecker)\//;

/** Folders below an app's root that hold its infrastructure's Terraform code (`terraform/`, `infra/aws/ecs`), besides ENV_DIRS. */
const TERRAFORM_DIRS = /(?:^|\/)(?:terraform|\.?tf|iac|infrastructure|aws|ecs|fargate)(?:\/|$)/i;

/**
 * Folders below an app's root whose `.env*` files configure the app's deployment though no code
 * lives there (`docker/.env.example`, `.envs/.production/.django`, `deploy/prod.env`,
 * `proj/config/.env`).
 */
const ENV_DIRS = /(?:^|\/)(?:\.aws|\.?docker|dockerfiles?|deploy(?:ment)?s?|ci|\.ci|infra|ops|compose|containers?|\.devcontainer|\.?envs?|environments?|config|conf|settings|k8s|kubernetes|manifests?|kustomize|helm|charts?|dev|local)(?:\/|$)/i;

/**
 * The folder each compose file's relative paths start from (by the file's uri). Compose resolves
 * every file of a multi-file project (`-f docker-compose.yml -f docker/docker-compose.prod.yml`)
 * from the first file's folder, so an override kept in a subfolder is written for a folder above
 * it. A file's own folder, unless none of its env_file and dockerfile references resolves to a file
 * that exists (`exists`) from there and some do from a folder above it that holds a compose file
 * (the nearest such). One that resolves there stays (a service's `.env` left out of git does not
 * move it).
 */
export function composeBaseDirs(compose: readonly ComposeModel[], exists: (uri: string) => boolean, vars?: (dir: string) => ComposeVars | undefined): Map<string, string> {
  const composeDirs = new Set(compose.map((c) => dirOf(c.uri)));
  const out = new Map<string, string>();
  const found = (c: ComposeModel, dir: string): number => {
    let n = 0;
    for (const s of c.services) {
      for (const ef of s.envFiles) {
        const t = envFileTarget(dir, ef.value, vars?.(dir));
        if (t !== undefined && exists(t)) n++;
      }
      const b = s.buildContext ? serviceBuild(dir, s, exists) : undefined;
      if (b && exists(b.dockerfile)) n++;
    }
    return n;
  };
  for (const c of compose) {
    const own = dirOf(c.uri);
    let base = own;
    const refs = c.services.reduce((n, s) => n + s.envFiles.length + (s.buildContext ? 1 : 0), 0);
    if (refs > 0 && found(c, own) === 0) {
      for (let d = dirOf(own); d.length > 'file://'.length; d = dirOf(d)) {
        if (composeDirs.has(d) && found(c, d) > 0) {
          base = d;
          break;
        }
      }
    }
    out.set(c.uri, base);
  }
  return out;
}

/**
 * A file written to be copied, by its name: `.env.example`, `.env.sample`, `.env.template`,
 * `.env.dist`, `example.env`, `docker-compose.example.yml`, `cypress.env.template.json`.
 */
export function isExampleFile(uri: string): boolean {
  return /(^|[./_-])(example|sample|template|dist|tmpl|tpl)([./_-]|$)/i.test(baseOf(uri));
}

/** An example env file or `.env.defaults`: documentation (or fallbacks), not a deployment's values. */
export function isExampleEnvFile(uri: string): boolean {
  return isExampleFile(uri) || /(^|[./_-])defaults?([./_-]|$)/i.test(baseOf(uri));
}

/** The module reads, writes, logs or loads variables (a Figgy config.py without any is "Figgy only"). */
export function touchesEnvironment(f: PythonConfigModel): boolean {
  const e = f.env;
  return !!e && [e.reads, e.writes, e.calls, e.dynamicReads, e.dynamicWrites, e.passesWholeEnvironment, e.loadsDotenv, e.flaskConfigReads, e.logged].some((l) => l && l.length > 0);
}

function isCharmCode(f: PythonConfigModel): boolean {
  return f.charmCode !== undefined || (f.env?.imports ?? []).some((i) => /^(ops|paas_charm|charms)(\.|$)/.test(i.module));
}

export interface Draft {
  root: string;
  kind: App['kind'];
  label: string;
  charm?: CharmModel[];
  charmDir?: string;
  /** Sources found before the code is looked at (compose env_file and environment). */
  sources: AppSource[];
  /** `.env*` files and Helm values inside the app (listed after the `.env` files the code loads). */
  inside: AppSource[];
  python: PythonConfigModel[];
  /** Files in languages whose reads Orchard does not follow. */
  otherCode?: string[];
}

/** Everything finishApp needs besides a draft. */
export interface AppsPlan {
  /** Ordered by root. */
  drafts: Draft[];
  idx: ModuleIndex;
  dotenvByUri: ReadonlyMap<string, DotenvModel>;
  /** Modules with paas-charm charm code. */
  charmCode: PythonConfigModel[];
  services: readonly Service[];
  /** Each draft's index by root (made on first use: appsPatch.ts). */
  byRoot?: Map<string, number>;
  /** Dockerfiles compose builds with a `target` (whether an app's image may depend on any stage). */
  targeted?: ReadonlySet<string>;
  /** The ConfigMaps' and Secrets' keys of each folder's Kubernetes manifests and the Kustomize generators building on it (what an `envFrom` there takes in). */
  k8sData?: ReadonlyMap<string, readonly K8sKeys[]>;
  /** The `.env` files Kustomize generators read: an edit of one changes a folder's keys (built again). */
  kustomizeEnvFiles?: ReadonlySet<string>;
  /** The folder each compose file's paths start from (composeBaseDirs), by the file's uri; env-unused reads them too. */
  composeBases?: ReadonlyMap<string, string>;
  /** The `archive_file` data sources of each folder's Terraform files (where a function there finds its code). */
  tfArchives?: ReadonlyMap<string, readonly TerraformArchive[]>;
  /** Folders holding a Helm chart: an edit of one's values file may change what its templates are known to set (built again). */
  charts?: ReadonlySet<string>;
}

/**
 * Where the apps are and what belongs to each: boundaries, modules, the sources that do not depend
 * on code. finishApp turns a draft into an App.
 */
export function planApps(input: AppsInput): AppsPlan {
  const drafts = new Map<string, Draft>();
  const draft = (root: string, kind: App['kind'], label: string): Draft => {
    let d = drafts.get(root);
    if (!d) drafts.set(root, (d = { root, kind, label, sources: [], inside: [], python: [] }));
    return d;
  };

  for (const r of input.appRoots ?? []) draft(r.replace(/\/+$/, ''), 'configured', baseOf(r.replace(/\/+$/, '')));

  // Charms, grouped by folder (charmcraft.yaml, or config.yaml + metadata.yaml).
  const charmDirs = new Map<string, CharmModel[]>();
  for (const c of input.charms) {
    const dir = dirOf(c.uri);
    charmDirs.set(dir, [...(charmDirs.get(dir) ?? []), c]);
  }
  for (const [dir, models] of charmDirs) {
    const root = baseOf(dir) === 'charm' ? dirOf(dir) : dir;
    const name = models.find((m) => m.name)?.name?.value;
    const d = draft(root, 'charm', name ?? baseOf(root));
    if (d.kind !== 'configured') d.kind = 'charm';
    d.charm = models;
    d.charmDir = dir;
  }

  // Compose services with a build context; their env_file and environment are their sources.
  const dotenvByUri = new Map(input.dotenv.map((m) => [m.uri, m]));
  const usedByCompose = new Set<string>();
  // The Dockerfiles compose builds (by uri): for each app, the targets ('' for the last stage).
  const built = new Map<string, Map<Draft, Set<string>>>();
  const dockerfileByUri = new Map((input.dockerfiles ?? []).map((m) => [m.uri, m]));
  const dockerfileUris = new Set(dockerfileByUri.keys());
  const bases = composeBaseDirs(input.compose, (u) => dotenvByUri.has(u) || dockerfileUris.has(u), (dir) => composeVars(dir, dotenvByUri));
  for (const c of input.compose) {
    const dir = bases.get(c.uri)!;
    for (const s of c.services) {
      if (!s.buildContext) continue;
      // (A path naming a variable Orchard cannot tell, `context: $APP_DIR`: no app of it.)
      const build = serviceBuild(dir, s, (u) => dockerfileUris.has(u));
      if (!build) continue;
      // A service that builds another program's image (cookiecutter-django's `postgres` and `nginx`
      // built from `compose/production/postgres/Dockerfile` with the project's root as context) is
      // not the app: its environment and env files are that program's.
      const image = dockerfileByUri.get(build.dockerfile);
      const made = image && (s.target ? imageOf(image, s.target.value) : image);
      if (made && !mayBeAppImage(made)) continue;
      // `context: .` with `dockerfile: frontend/Dockerfile`: the service is the code in frontend/.
      // (Not for folders that only hold Docker files: docker/Dockerfile still builds the context's
      // code; nor for a Dockerfile outside the context: `dockerfile: ../images/app.Dockerfile`.)
      const { context, dockerfile, dockerfileDir } = build;
      const codeDir = dockerfileDir && !INFRA_DIRS.test(dockerfileDir) ? dockerfileDir : undefined;
      const root = codeDir ? resolveFolder(context, codeDir) : context;
      const d = draft(root, 'compose', baseOf(root));
      let apps = built.get(dockerfile);
      if (!apps) built.set(dockerfile, (apps = new Map()));
      let targets = apps.get(d);
      if (!targets) apps.set(d, (targets = new Set()));
      targets.add(s.target?.value ?? '');
      const via = `compose ${s.name} env_file`;
      for (const ef of s.envFiles) {
        const target = envFileTarget(dir, ef.value, composeVars(dir, dotenvByUri));
        if (target === undefined) {
          // Which file it is depends on the shell's environment: unknown, not missing.
          const id = `dotenv:${c.uri}#${ef.value}`;
          if (ef.required && !d.sources.some((x) => x.id === id)) {
            d.sources.push({ id, kind: 'dotenv', label: ef.value, uri: c.uri, provides: [], complete: false, incompleteReason: `env_file ${ef.value} names a variable Orchard cannot tell` });
          }
          continue;
        }
        const m = dotenvByUri.get(target);
        if (m) {
          usedByCompose.add(target);
          if (!d.sources.some((x) => x.id === `dotenv:${target}`)) d.sources.push(dotenvSource(m, via));
        } else if (ef.required && !d.sources.some((x) => x.id === `dotenv:${target}`)) {
          // Outside every workspace folder nothing is read: whether it is there is not known.
          const why = input.roots.length > 0 && innermostRoot(target, input.roots) === undefined ? 'is outside the workspace: not read' : 'was not found';
          d.sources.push({ id: `dotenv:${target}`, kind: 'dotenv', label: ef.value, uri: c.uri, provides: [], complete: false, incompleteReason: `env_file ${ef.value} ${why}` });
        }
      }
      if (s.environment.length > 0) d.sources.push(composeEnvSource(c, s));
    }
  }

  // Folder apps: modules (and Figgy config.py files) outside every app so far.
  // The nearest app root at or above a uri: walk up its folders (O(depth), not O(apps) per file).
  // Answers are remembered per folder while no app is added (files share their folders' answers).
  let nearestOf = new Map<string, Draft | null>();
  let draftsSeen = drafts.size;
  const nearest = (uri: string): Draft | undefined => {
    if (drafts.size !== draftsSeen) {
      nearestOf = new Map();
      draftsSeen = drafts.size;
    }
    const own = drafts.get(uri);
    if (own) return own;
    const walked: string[] = [];
    let found: Draft | undefined;
    for (let d = dirOf(uri); d; ) {
      const known = nearestOf.get(d);
      if (known !== undefined) {
        found = known ?? undefined;
        break;
      }
      walked.push(d);
      const hit = drafts.get(d);
      if (hit) {
        found = hit;
        break;
      }
      const up = dirOf(d);
      if (up === d || up.length < 'file://'.length) break;
      d = up;
    }
    for (const w of walked) nearestOf.set(w, found ?? null);
    return found;
  };
  // Folders an app is deployed from: a `.env*` file's, Heroku's app.json's, a Render service's, a
  // DigitalOcean component's, an App Engine service's, a Fly app's, a Databricks app's, a Serverless
  // service's (of Python functions), a SAM function's code folder (`CodeUri`), a Zappa or Chalice
  // project's, an ECS task definition's.
  const envDirs = new Set([...input.dotenv, ...(input.appJson ?? [])].map((m) => dirOf(m.uri)));
  for (const m of input.render ?? []) for (const s of m.services) envDirs.add(renderServiceDir(m, s));
  for (const m of input.doApp ?? []) for (const c of m.components) envDirs.add(doComponentDir(m, c));
  const hosted = hostedPlan(input);
  for (const dir of hosted.dirs) envDirs.add(dir);
  const workspaceRoot = (uri: string): string | undefined => innermostRoot(uri, input.roots);
  const folderRoot = (uri: string): string => {
    const top = workspaceRoot(uri);
    for (let dir = dirOf(uri); dir && (!top || isUnder(dir, top)); dir = dirOf(dir)) {
      if (envDirs.has(dir)) return dir;
      if (dir === top) break;
    }
    return top ?? dirOf(uri);
  };
  const figgyPy = new Set(input.services.map((s) => s.configPy?.model.uri).filter((u): u is string => Boolean(u)));
  // Scripts of the CI service (`.github/scripts/release.py`) run in the CI job, not in the app.
  const code = input.python.filter((f) => (f.env || figgyPy.has(f.uri)) && !CI_SCRIPTS.test(f.uri));
  // A Figgy config.py makes a folder app only where a .env or Helm values could set its override
  // variables: alone, its overrides are optional reads nothing provides, so such an app has nothing
  // to check (and one app of every config.py in a 10,000-service tree was most of a keystroke).
  const sourceDirs = new Set([...envDirs, ...input.helm.map((m) => dirOf(m.uri))]);
  const sourceAbove = (uri: string): boolean => {
    if (sourceDirs.size === 0) return false;
    const top = workspaceRoot(uri);
    for (let dir = dirOf(uri); dir && (!top || isUnder(dir, top)); dir = dirOf(dir)) {
      if (sourceDirs.has(dir)) return true;
      if (dir === top || dirOf(dir) === dir) break;
    }
    return false;
  };
  const figgyOnly = (f: PythonConfigModel): boolean => figgyPy.has(f.uri) && !touchesEnvironment(f);
  for (const f of code) {
    // (Inside a folder app made by another module, the module's own folder root still counts:
    // which folder apps there are does not depend on the order modules come in.)
    const inside = nearest(f.uri);
    if (inside && inside.kind !== 'folder') continue;
    if (figgyOnly(f) && !sourceAbove(f.uri)) continue;
    const root = folderRoot(f.uri);
    draft(root, 'folder', baseOf(root));
  }

  // Modules to apps (charm code excluded).
  for (const f of code) {
    const d = nearest(f.uri);
    if (!d) continue;
    if (d.charmDir && ((d.charmDir !== d.root && isUnder(f.uri, d.charmDir)) || isCharmCode(f))) continue;
    d.python.push(f);
  }

  // Sources that sit inside an app: `.env*` files (unless compose already passes them), Helm
  // values, Dockerfiles and Heroku's app.json. They come after the `.env` files the app's code loads (finishApp).
  // (Not one in a subfolder none of the app's modules is in, outside the deployment folders: it is
  // another program's, such as a web front end's `clients/web/.env.template`.)
  for (const m of input.dotenv) {
    if (usedByCompose.has(m.uri)) continue;
    const d = nearest(m.uri);
    if (d && configures(d, dirOf(m.uri))) d.inside.push(dotenvSource(m));
  }
  // A chart's values files and what its templates set: one source of the templates (`web templates`)
  // beside one per values file, each unknown unless the templates are understood (model/helmChart.ts).
  // A chart unpacked in another's `charts/` (a dependency) or running other programs' images only
  // (a redis chart) is not the app's: neither it nor its values are a source.
  const chartDirs = new Set(input.charts ?? []);
  const dependency = (dir: string) => /\/charts\/[^/]+$/.test(dir) && chartDirs.has(dirOf(dirOf(dir)));
  const charts = new Map([...chartDirs].filter((dir) => !dependency(dir)).map((dir) => [dir, chartEnv(dir, (input.helmTemplates ?? []).filter((t) => t.uri.startsWith(`${dir}/templates/`)), input.helm.filter((m) => dirOf(m.uri) === dir))] as const));
  const notTheApps = (dir: string) => dependency(dir) || charts.get(dir)?.otherProgram === true;
  for (const m of input.helm) {
    const d = notTheApps(dirOf(m.uri)) ? undefined : nearest(m.uri);
    if (d) d.inside.push(helmSource(m, charts.get(dirOf(m.uri))));
  }
  for (const [dir, chart] of charts) {
    const d = chart.otherProgram ? undefined : nearest(`${dir}/Chart.yaml`);
    if (d) d.inside.push(chartSource(dir, chart));
  }
  // A Dockerfile compose builds is the image of the apps it builds it for (wherever it is, with
  // their targets); another one, of the app whose folder holds it.
  for (const m of input.dockerfiles ?? []) {
    const apps = built.get(m.uri);
    const given: [Draft | undefined, string[]][] = apps ? [...apps].map(([d, t]) => [d, [...t].sort()]) : [[nearest(m.uri), ['']]];
    for (const [d, targets] of given) {
      const source = d ? dockerfileSource(m, targets) : undefined;
      if (source) d!.inside.push(source);
    }
  }
  for (const m of input.appJson ?? []) {
    const d = nearest(m.uri);
    if (d) d.inside.push(herokuSource(m));
  }
  // A platform's service (a Render service from its `rootDir`, else the Blueprint's folder; a
  // DigitalOcean component from its `source_dir`): the app at or above that folder, when it runs that
  // app's code — the app's root, or a folder some of its modules are in (not a Blueprint in
  // `infra/tailscale/` for a Tailscale router next to the app).
  const runsIn = (dir: string): Draft | undefined => {
    const d = nearest(`${dir}/-`);
    return d && (d.root === dir || d.python.some((f) => isUnder(f.uri, dir))) ? d : undefined;
  };
  for (const m of input.render ?? []) for (const s of m.services) runsIn(renderServiceDir(m, s))?.inside.push(renderSource(m, s));
  for (const m of input.doApp ?? []) for (const c of m.components) runsIn(doComponentDir(m, c))?.inside.push(doSource(m, c));
  hosted.attach(runsIn);
  // A Kubernetes workload's containers, as a `.env` is: the app whose folder holds the manifest, from
  // its root or a deployment folder (`k8s/`, `deploy/`, `manifests/`). Not a container of another
  // program's image (redis, postgres, nginx): its environment is that program's.
  // (An `envFrom` takes in a ConfigMap or Secret of any manifest of the same folder, or one a
  // kustomization there or building on that folder generates: kustomize.ts.)
  const { byDir: k8sData, envFiles: kustomizeEnvFiles } = k8sDataByFolder(input.k8s ?? [], dotenvByUri);
  for (const m of input.k8s ?? []) {
    const d = m.workloads.length ? nearest(m.uri) : undefined;
    if (!d || !configures(d, dirOf(m.uri))) continue;
    const data = k8sData.get(dirOf(m.uri)) ?? [];
    for (const w of m.workloads) for (const c of w.containers) if (mayBeAppContainer(c)) d.inside.push(k8sSource(m, w, c, data));
  }
  // An ECS task definition's containers, as a Kubernetes workload's (hostedApps.ts).
  hosted.attachInFolder((uri, terraform) => {
    const d = nearest(uri);
    return d && (configures(d, dirOf(uri)) || (terraform && TERRAFORM_DIRS.test(dirOf(uri).slice(d.root.length + 1)))) ? d : undefined;
  });

  for (const u of input.code ?? []) {
    if (CI_SCRIPTS.test(u) || BROWSER_OR_TEST.test(u)) continue;
    const d = nearest(u);
    if (d) (d.otherCode ??= []).push(u);
  }

  const sorted = [...drafts.values()].sort((a, b) => (a.root < b.root ? -1 : a.root > b.root ? 1 : 0));
  return {
    drafts: sorted,
    // Every module's name, for following imports: only needed when some app has modules.
    idx: sorted.some((d) => d.python.length > 0) ? new ModuleIndex(input.python) : new ModuleIndex([]),
    dotenvByUri,
    charmCode: input.python.filter((f) => f.charmCode),
    services: input.services,
    composeBases: bases,
    k8sData,
    kustomizeEnvFiles,
    tfArchives: hosted.tfArchives,
    charts: chartDirs,
    targeted: new Set([...built].filter(([, apps]) => [...apps.values()].some((t) => !t.has('') || t.size > 1)).map(([uri]) => uri)),
  };
}

/** A Render service's folder: its `rootDir` from the Blueprint's folder, else the Blueprint's. */
function renderServiceDir(m: RenderBlueprintModel, s: RenderService): string {
  return s.rootDir ? resolveFolder(dirOf(m.uri), s.rootDir) : dirOf(m.uri);
}

/** A DigitalOcean component's folder: its `source_dir` from the repository's root (the folder holding `.do/`). */
function doComponentDir(m: DoAppSpecModel, c: DoComponent): string {
  const root = dirOf(dirOf(m.uri));
  return c.sourceDir ? resolveFolder(root, c.sourceDir) : root;
}

/** Whether a `.env*` file in `dir` (at or below the app's root) is the app's: see planApps. */
function configures(d: Draft, dir: string): boolean {
  if (dir === d.root || d.kind === 'configured') return true;
  if (ENV_DIRS.test(dir.slice(d.root.length + 1))) return true;
  return d.python.some((f) => isUnder(f.uri, dir));
}

/** How each apps list was built, for patching it after an edit (appsPatch.ts). */
const plans = new WeakMap<readonly App[], AppsPlan>();

export function planOf(apps: readonly App[]): AppsPlan | undefined {
  return plans.get(apps);
}

/**
 * The apps of a plan, remembered with it (planOf). `kept(i)`: an app of the plan this one was
 * patched from that is still exact for draft i (appsPatch.ts); the others are finished here.
 */
export function appsOf(plan: AppsPlan, kept: (i: number) => App | undefined = () => undefined): App[] {
  const reused = plan.drafts.map((_, i) => kept(i));
  const modules = new Set<PythonConfigModel>();
  plan.drafts.forEach((d, i) => {
    if (!reused[i]) for (const f of d.python) modules.add(f);
  });
  const servicesOf = servicesIn(plan.services, modules);
  const apps = plan.drafts.map((d, i) => reused[i] ?? finishApp(d, plan, servicesOf));
  plans.set(apps, plan);
  return apps;
}

/** Builds every app of the workspace. Pure; the result is ordered by root. */
export function buildApps(input: AppsInput): App[] {
  return appsOf(planApps(input));
}
