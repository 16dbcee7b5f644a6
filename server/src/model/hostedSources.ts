// The sources made from a hosted platform's app file: a Google App Engine service's `app.yaml`, a
// Fly.io app's `fly.toml`, a Databricks app's `app.yaml`, an ECS task definition's containers (a JSON
// file's, or a Terraform `aws_ecs_task_definition`'s) — each file's entries and what the
// platform sets itself (AWS Lambda's tools: lambdaSources.ts). planApps (apps.ts) gives each to the
// app whose code the file's folder holds; appsPatch.ts makes one again from an edited file's new model.
import type { AppEngineModel, DatabricksAppModel, EcsContainer, EcsTaskDefModel, FlyTomlModel, LambdaEnvEntry, TerraformModel, TerraformTask } from '../parse/envTypes';
import type { Range } from '../parse/types';
import { isSensitiveName } from '../parse/sensitive';
import type { AppSource, ProvidedVar } from './types';
import { dirOf, fileNameOf } from './uris';
import { resolveFile } from './composeBuild';
import { entryVar, ZERO } from './sourceEntry';
import { mayBeAppImage } from './appSources';

const baseOf = fileNameOf;

/** What App Engine's runtime sets in every instance (second-generation standard runtimes). */
const GAE_VARS: readonly [string, string][] = [
  ['PORT', 'the port the instance listens on'],
  ['GAE_APPLICATION', "the App Engine application's id"],
  ['GAE_DEPLOYMENT_ID', "the deployment's id"],
  ['GAE_ENV', '"standard"'],
  ['GAE_INSTANCE', "the instance's id"],
  ['GAE_MEMORY_MB', "the instance's memory"],
  ['GAE_RUNTIME', 'the runtime of app.yaml'],
  ['GAE_SERVICE', "the service's name"],
  ['GAE_VERSION', "the version's label"],
  ['GOOGLE_CLOUD_PROJECT', "the project's id"],
];
/** What the flexible environment sets. */
const GAE_FLEX_VARS = new Set(['PORT', 'GAE_INSTANCE', 'GAE_MEMORY_MB', 'GAE_SERVICE', 'GAE_VERSION', 'GOOGLE_CLOUD_PROJECT']);

/**
 * An App Engine service's file as its app's source: `env_variables` and what the runtime sets (PORT,
 * GAE_*, GOOGLE_CLOUD_PROJECT), with the `env_variables` of the files its `includes` names
 * (`included`: those found, by uri; its own setting of a key wins). A `build_env_variables` entry
 * reaches the build only. Incomplete when an included file is not in the workspace (often a
 * git-ignored one of secrets), when template syntax hides part of it, and on a first-generation
 * runtime (`python27`), whose instances also get request and server variables Orchard does not list:
 * then a read it does not list is unknown, never "not provided".
 */
export function appEngineSource(m: AppEngineModel, included: ReadonlyMap<string, AppEngineModel> = new Map()): AppSource {
  const label = m.service === 'default' ? baseOf(m.uri) : `App Engine ${m.service}`;
  const byName = new Map<string, ProvidedVar>();
  const unread: string[] = [];
  for (const inc of m.includes) {
    const x = included.get(resolveFile(dirOf(m.uri), inc.path));
    if (!x) {
      unread.push(inc.path);
      continue;
    }
    for (const e of x.entries) byName.set(e.key, { ...entryVar(x.uri, e, { sensitive: isSensitiveName(e.key), detail: `env_variables of ${baseOf(x.uri)} (included)`, userDefined: true }), entryRange: e.entryRange });
  }
  for (const e of m.entries) {
    byName.set(e.key, { ...entryVar(m.uri, e, { sensitive: isSensitiveName(e.key), detail: e.value === undefined ? 'env_variables (filled in when deploying)' : 'env_variables', userDefined: true }), entryRange: e.entryRange });
  }
  const firstGen = /^(?:python27|java8|php55)$/.test(m.runtime);
  if (!firstGen) {
    for (const [name, what] of GAE_VARS) {
      if (byName.has(name) || (m.flexible && !GAE_FLEX_VARS.has(name))) continue;
      byName.set(name, { name, uri: m.uri, range: m.envRange ?? m.runtimeRange, sensitive: false, detail: `set by App Engine: ${what}`, userDefined: false });
    }
  }
  const source: AppSource = { id: `gae:${m.uri}`, kind: 'app-engine', label, uri: m.uri, provides: [...byName.values()], complete: true };
  const buildOnly = m.buildEntries.filter((e) => !byName.has(e.key)).map((e) => ({ name: e.key, range: e.keyRange }));
  if (buildOnly.length) source.buildOnly = buildOnly;
  const reasons: string[] = [];
  if (unread.length) reasons.push(`includes ${unread.join(', ')}, which Orchard could not read (not in the workspace, or not a file of env_variables)`);
  if (firstGen) reasons.push(`the ${m.runtime} runtime also sets request and server variables Orchard does not list`);
  if (m.templated) reasons.push('template syntax hides part of the file');
  if (reasons.length) Object.assign(source, { complete: false, incompleteReason: reasons.join('; ') });
  return source;
}

/** What Fly.io sets in every Machine (PRIMARY_REGION when fly.toml has `primary_region`). */
const FLY_VARS: readonly [string, string][] = [
  ['FLY_APP_NAME', "the app's name"],
  ['FLY_MACHINE_ID', "the Machine's id"],
  ['FLY_ALLOC_ID', "the Machine's id"],
  ['FLY_REGION', "the Machine's region"],
  ['FLY_PUBLIC_IP', "the Machine's public IPv6 address"],
  ['FLY_PRIVATE_IP', "the Machine's private IPv6 address"],
  ['FLY_IMAGE_REF', 'the image the Machine runs'],
  ['FLY_MACHINE_VERSION', "the Machine's version"],
  ['FLY_PROCESS_GROUP', "the Machine's process group"],
  ['FLY_VM_MEMORY_MB', "the Machine's memory"],
];

/**
 * A Fly.io app's fly.toml as its app's source: `[env]` and what Fly sets in every Machine. Always
 * incomplete: secrets are set with `fly secrets set` (and attached Postgres or Redis set
 * DATABASE_URL / REDIS_URL that way), never in the file, so a read it does not list is unknown,
 * never "not provided". Its entries are never "unused" either: a Machine's environment is also read
 * by the image's entrypoint and servers (gunicorn settings, shell scripts) Orchard does not follow.
 * `[build.args]` reach the image build only.
 */
export function flySource(m: FlyTomlModel): AppSource {
  const label = m.app ? `fly ${m.app}` : baseOf(m.uri);
  const byName = new Map<string, ProvidedVar>();
  for (const e of m.entries) byName.set(e.key, { ...entryVar(m.uri, e, { sensitive: isSensitiveName(e.key), detail: '[env]', userDefined: false }), entryRange: e.entryRange });
  const at = m.entries[0]?.keyRange ?? ZERO;
  for (const [name, what] of m.primaryRegion ? [...FLY_VARS, ['PRIMARY_REGION', 'fly.toml\'s primary_region'] as [string, string]] : FLY_VARS) {
    if (!byName.has(name)) byName.set(name, { name, uri: m.uri, range: at, sensitive: false, detail: `set by Fly.io: ${what}`, userDefined: false });
  }
  const source: AppSource = {
    id: `fly:${m.uri}`,
    kind: 'fly',
    label,
    uri: m.uri,
    provides: [...byName.values()],
    complete: false,
    incompleteReason: m.unread ? `${baseOf(m.uri)} was not read` : 'secrets are set with fly secrets set, not in the file',
  };
  const buildOnly = m.buildArgs.filter((e) => !byName.has(e.key)).map((e) => ({ name: e.key, range: e.keyRange }));
  if (buildOnly.length) source.buildOnly = buildOnly;
  return source;
}

/** What Databricks Apps set in every app (and for a Streamlit app, its server's address and port). */
const DATABRICKS_VARS: readonly [string, string, boolean][] = [
  ['DATABRICKS_APP_NAME', "the app's name", false],
  ['DATABRICKS_WORKSPACE_ID', "the workspace's id", false],
  ['DATABRICKS_HOST', "the workspace's URL", false],
  ['DATABRICKS_APP_PORT', 'the port the app listens on', false],
  ['DATABRICKS_CLIENT_ID', "the app's service principal's client id", false],
  ['DATABRICKS_CLIENT_SECRET', "the app's service principal's OAuth secret", true],
  ['STREAMLIT_SERVER_ADDRESS', "a Streamlit app's server address", false],
  ['STREAMLIT_SERVER_PORT', "a Streamlit app's server port", false],
];

/**
 * A Databricks app's app.yaml as its app's source: its `env` (a literal, or `valueFrom` one of the
 * app's resources, filled in by Databricks) and what the platform sets. Complete: nothing else sets
 * the app's environment (template syntax aside). Entries are never "unused": frameworks read their
 * own (`STREAMLIT_GATHER_USAGE_STATS`), which Orchard does not follow.
 */
export function databricksSource(m: DatabricksAppModel): AppSource {
  const byName = new Map<string, ProvidedVar>();
  for (const e of m.entries) {
    const detail = e.from !== undefined ? `valueFrom resource ${e.from}` : 'env value';
    byName.set(e.key, { ...entryVar(m.uri, e, { sensitive: isSensitiveName(e.key), detail, userDefined: false }), entryRange: e.entryRange });
  }
  for (const [name, what, sensitive] of DATABRICKS_VARS) {
    if (!byName.has(name)) byName.set(name, { name, uri: m.uri, range: m.envRange ?? ZERO, sensitive, detail: `set by Databricks Apps: ${what}`, userDefined: false });
  }
  const source: AppSource = { id: `databricks:${m.uri}`, kind: 'databricks', label: 'Databricks app', uri: m.uri, provides: [...byName.values()], complete: !m.templated };
  if (m.templated) source.incompleteReason = 'template syntax hides part of the file';
  return source;
}

/** What ECS sets in every container (Fargate also the region). */
const ECS_VARS: readonly [string, string][] = [
  ['ECS_CONTAINER_METADATA_URI', "the task metadata endpoint"],
  ['ECS_CONTAINER_METADATA_URI_V4', "the task metadata endpoint (v4)"],
  ['AWS_EXECUTION_ENV', 'AWS_ECS_FARGATE or AWS_ECS_EC2'],
  ['AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', "the task role's credentials endpoint"],
  ['AWS_REGION', "the task's region (Fargate)"],
  ['AWS_DEFAULT_REGION', "the task's region (Fargate)"],
];

/** A sidecar's image (X-Ray, the OpenTelemetry collector, FireLens, Datadog, CloudWatch, App Mesh): not the app's container. */
const SIDECAR = /(?:^|\/)(?:aws-xray-daemon|aws-otel-collector|aws-for-fluent-bit|fluent-bit|fluentd|agent|cloudwatch-agent|aws-appmesh-envoy|newrelic-infra|datadog-agent)$/;

/** An ECS container that may run the app: not a sidecar's nor another program's image (postgres, nginx). */
export function mayBeAppEcsContainer(c: EcsContainer): boolean {
  return !SIDECAR.test(c.image) && mayBeAppImage({ baseImage: c.image });
}

/** How many of a task definition's containers may run the app, counted once per list. */
const appContainerCount = new WeakMap<readonly EcsContainer[], number>();
function appContainers(containers: readonly EcsContainer[]): number {
  let n = appContainerCount.get(containers);
  if (n === undefined) appContainerCount.set(containers, (n = containers.filter(mayBeAppEcsContainer).length));
  return n;
}

/**
 * One container of an ECS task definition as its app's source: its `environment` and `secrets` (an
 * SSM parameter or a Secrets Manager secret, filled in when the task starts: the hover says which)
 * and what ECS sets. Incomplete with `environmentFiles` (files in S3). Its entries are never
 * "unused": the container may run code that is not the app's modules.
 */
export function ecsSource(m: EcsTaskDefModel, c: EcsContainer): AppSource {
  const apps = appContainers(m.containers);
  const label = `ecs ${m.family ?? baseOf(m.uri)}${apps > 1 ? `/${c.name}` : ''}`;
  return containerSource(m.uri, `ecs:${m.uri}#${c.name}`, label, c, m.templated ? ['template slots a deploy step fills in hide part of the file'] : []);
}

/**
 * What ECS containers are given: each entry (a secret's source named; the container too when
 * `named`: several share a source), a key written twice in a container its last, in several the
 * first container's; then what ECS sets (placed at `at`). Never "unused": a container may run
 * programs that are not the app's modules (a server, a worker) that read them.
 */
export function ecsProvides(uri: string, containers: readonly { name: string; entries: readonly LambdaEnvEntry[] }[], at: Range, named: boolean): ProvidedVar[] {
  const byName = new Map<string, ProvidedVar>();
  for (const c of containers) {
    const own = new Map<string, ProvidedVar>();
    for (const e of c.entries) {
      const secret = e.secret === true;
      const where = `${secret ? 'secrets' : 'environment'}${named ? ` of container ${c.name}` : ''}`;
      const detail = secret ? `${where} (from ${e.from})` : e.from ? `${where} (${e.from})` : where;
      own.set(e.key, { ...entryVar(uri, e, { sensitive: secret || isSensitiveName(e.key), detail, userDefined: false }), entryRange: e.entryRange });
    }
    for (const [k, v] of own) if (!byName.has(k)) byName.set(k, v);
  }
  for (const [name, what] of ECS_VARS) if (!byName.has(name)) byName.set(name, { name, uri, range: at, sensitive: false, detail: `set by ECS: ${what}`, userDefined: false });
  return [...byName.values()];
}

function containerSource(uri: string, id: string, label: string, c: EcsContainer, more: readonly string[]): AppSource {
  const source: AppSource = { id, kind: 'ecs', label, uri, provides: ecsProvides(uri, [c], c.nameRange, false), complete: true };
  const reasons = [...(c.environmentFiles ? ['environmentFiles load more variables from S3 when the task starts'] : []), ...(c.unknown ? [c.unknown] : []), ...more];
  if (reasons.length) {
    source.complete = false;
    source.incompleteReason = reasons.join('; ');
  }
  return source;
}

/** A Terraform task's containers, each with the file it is written in, and why part of them is unknown. */
export interface TaskParts {
  parts: { c: EcsContainer; uri: string }[];
  unknown?: string;
}

/**
 * A Terraform task's containers: its own; a file's it renders (`templatefile(…)`, or the
 * `template_file` data source of its folder it names), when Orchard read that file as container
 * definitions; and the containers of its folder's container definition modules and locals it lists
 * (`module.web.json_map_object`, `jsonencode(local.containers)`).
 */
export function terraformResolver(terraform: readonly TerraformModel[], ecs: readonly EcsTaskDefModel[]): (m: TerraformModel, t: TerraformTask) => TaskParts {
  const fragments = new Map(ecs.filter((x) => x.fragment).map((x) => [x.uri, x]));
  const templates = new Map<string, string>();
  const modules = new Map<string, { c: EcsContainer; uri: string }>();
  const locals = new Map<string, { c: EcsContainer; uri: string }[]>();
  for (const m of terraform) {
    for (const t of m.templates ?? []) if (t.file !== undefined) templates.set(`${dirOf(m.uri)}#${t.name}`, t.file);
    for (const x of m.containerModules ?? []) modules.set(`${dirOf(m.uri)}#${x.name}`, { c: x.container, uri: m.uri });
    for (const l of m.containerLocals ?? []) locals.set(`${dirOf(m.uri)}#${l.name}`, l.containers.map((c) => ({ c, uri: m.uri })));
  }
  return (m, t) => {
    const dir = dirOf(m.uri);
    const reasons: string[] = [];
    let parts = t.containers.map((c) => ({ c, uri: m.uri }));
    if (t.renders !== undefined || t.template !== undefined) {
      const p = t.renders ?? templates.get(`${dir}#${t.template}`);
      const file = p === undefined ? undefined : fragments.get(resolveFile(dir, p));
      if (file) parts = file.containers.map((c) => ({ c, uri: file.uri }));
      if (file?.templated) reasons.push('template directives or slots hide part of its container definitions');
      if (!file && t.unknown) reasons.push(t.unknown);
    } else if (t.unknown) reasons.push(t.unknown);
    for (const name of t.modules ?? []) {
      const x = modules.get(`${dir}#${name}`);
      if (x) parts.push(x);
      else reasons.push(`a container definition is module ${name}'s output, which Orchard cannot read`);
    }
    for (const name of t.locals ?? []) {
      const x = locals.get(`${dir}#${name}`);
      if (x) parts.push(...x);
      else reasons.push(`its container definitions are local.${name}, which Orchard cannot read as container definitions`);
    }
    return { parts, ...(reasons.length ? { unknown: reasons.join('; ') } : {}) };
  };
}

/**
 * The sources of a Terraform file's ECS task definitions (`aws_ecs_task_definition`, the ECS
 * service module): one per container that may run the app, as a task definition file's; a task
 * whose containers Orchard cannot read (Terraform computes them) is one source that says so, holding
 * only what ECS sets. `resolve` gives a task's containers with the files they are written in (a
 * template it renders, a container definition module or local of its folder: terraformResolver); by
 * default the file's own.
 */
export function terraformTaskSources(m: TerraformModel, resolve: (m: TerraformModel, t: TerraformTask) => TaskParts = terraformResolver([m], [])): AppSource[] {
  return m.tasks.flatMap((t) => {
    const label = `ecs ${t.family ?? t.id}`;
    const { parts, unknown } = resolve(m, t);
    const more = [...(unknown && parts.length ? [unknown] : []), ...(m.unreadable ? ['part of the file is syntax Orchard cannot read'] : [])];
    if (!parts.length) {
      const whole: EcsContainer = { name: t.id, nameRange: t.idRange, image: '', entries: [], unknown: unknown ?? 'it has no container definitions' };
      return [containerSource(m.uri, `ecs:${m.uri}#${t.id}`, label, whole, more)];
    }
    const apps = parts.filter((p) => mayBeAppEcsContainer(p.c));
    return apps.map((p) => containerSource(p.uri, `ecs:${m.uri}#${t.id}/${p.c.name}`, `${label}${apps.length > 1 ? `/${p.c.name}` : ''}`, p.c, more));
  });
}

/** What of a task definition decides its sources: its containers, their images and names. */
export function ecsShape(m: EcsTaskDefModel): string {
  return JSON.stringify([m.family, m.containers.map((c) => [c.name, c.image])]);
}

/** What of a Terraform file's task definitions decides their sources: the sources' ids and labels. */
export function terraformTaskShape(m: TerraformModel): string {
  return JSON.stringify(terraformTaskSources(m).map((s) => [s.id, s.label]));
}
