// The sources an app's variables come from, made from one file's model each: a `.env` file, a
// compose service's `environment`, Helm values, a Dockerfile's images, Heroku's app.json, a Render
// Blueprint's services, a DigitalOcean app spec's components, a Kubernetes workload's containers
// (App Engine's, Fly.io's and Databricks' files: hostedSources.ts). planApps (apps.ts) decides which
// app each belongs to; appsPatch.ts makes one again from an edited file's new model.
import type { ChartEnv } from './helmChart';
import type { AppJsonModel, ComposeModel, ComposeService, DoAppSpecModel, DoComponent, DockerfileModel, DotenvModel, HelmValuesModel, K8sContainer, K8sEnvEntry, K8sKeys, K8sManifestModel, K8sWorkload, RenderBlueprintModel, RenderEnvEntry, RenderService } from '../parse/envTypes';
import type { Range } from '../parse/types';
import { imageOf, type DockerImage } from '../parse/dockerfile';
import { isSensitiveName } from '../parse/sensitive';
import { envFolderPath } from '../parse/credentials';
import type { AppSource, ProvidedVar } from './types';
import { fileNameOf } from './uris';
import { entryVar, ZERO } from './sourceEntry';

const baseOf = fileNameOf;

/** How each `.env` source reached its app (compose env_file, loaded by code), to make it again from a new model. */
const dotenvVia = new WeakMap<AppSource, string | undefined>();

/** A `.env` source made again from the file's new model, reached the same way (appsPatch.ts). */
export function dotenvSourceAgain(old: AppSource, m: DotenvModel): AppSource {
  return dotenvSource(m, dotenvVia.get(old));
}

/**
 * A `.env` source's name: its file name, or for a file of a folder of environment files its path
 * from that folder (`.envs/.local/.django` and `.envs/.production/.django` are both `.django`).
 */
function dotenvLabel(uri: string): string {
  return envFolderPath(uri) ?? baseOf(uri);
}

/** Codes of a `.env` file's errors that say it was not read at all. */
const NOT_READ = new Set(['binary-file', 'file-too-large', 'file-unreadable']);

export function dotenvSource(m: DotenvModel, via?: string): AppSource {
  // A key set twice provides its last value (python-dotenv's); the earlier line has a parse warning.
  const last = new Map(m.entries.map((e) => [e.key, e]));
  const provides: ProvidedVar[] = m.entries.filter((e) => last.get(e.key) === e).map((e) => ({
    name: e.key,
    uri: m.uri,
    range: e.keyRange,
    entryRange: e.range,
    value: e.value,
    valueRange: e.valueRange,
    sensitive: isSensitiveName(e.key),
    detail: via ? `${dotenvLabel(m.uri)} (${via})` : dotenvLabel(m.uri),
    userDefined: true,
  }));
  const source: AppSource = { id: `dotenv:${m.uri}`, kind: 'dotenv', label: dotenvLabel(m.uri), uri: m.uri, provides, complete: true };
  // A file not read (binary, too large, a FIFO): what it sets is unknown, not missing.
  const unread = m.errors.find((e) => NOT_READ.has(e.code));
  if (unread) Object.assign(source, { complete: false, incompleteReason: `${source.label} was not read (${unread.code})` });
  dotenvVia.set(source, via);
  return source;
}

/** A compose service's `environment:` as its app's source. */
export function composeEnvSource(c: ComposeModel, s: ComposeService): AppSource {
  return {
    id: `compose:${c.uri}#${s.name}`,
    kind: 'compose',
    label: `compose ${s.name}`,
    uri: c.uri,
    complete: true,
    provides: s.environment.map((e) => entryVar(c.uri, e, { sensitive: isSensitiveName(e.key), detail: `compose service ${s.name}: environment`, userDefined: true })),
  };
}

/**
 * What of a compose file decides apps and their sources besides `environment` values: the services
 * with a build context (each an app's root), their env_file lists, whether they set `environment`.
 * Two models with the same shape make the same plan but for those sources (appsPatch.ts).
 */
export function composeShape(c: ComposeModel): string {
  return JSON.stringify(c.services.filter((s) => s.buildContext).map((s) => [s.name, s.buildContext!.value, s.dockerfile?.value, s.target?.value, s.envFiles.map((e) => [e.value, e.required]), s.environment.length > 0]));
}

/**
 * A Helm values file's entries. Beside a `Chart.yaml` (`chart`), the chart's templates decide the
 * container's environment (they often add their own `env` entries, oncall's `_env.tpl`): when they
 * are understood (model/helmChart.ts), the entries at the values paths they write as variables are
 * what reaches the container (pixoo-rest's `environment.timezone` feeds a template's `TZ`, it is no
 * variable itself); otherwise the source is incomplete, so a read it does not list is unknown, not
 * "not provided".
 */
export function helmSource(m: HelmValuesModel, chart?: ChartEnv): AppSource {
  // A chart whose templates are understood passes on only the values paths they write as variables.
  const passed = chart && !chart.reason ? new Set(chart.valuesPaths) : undefined;
  const entries = passed ? m.entries.filter((e) => passed.has(e.path.join('.'))) : m.entries;
  const provides: ProvidedVar[] = entries.map((e) => ({
    name: e.key,
    uri: m.uri,
    range: e.keyRange,
    value: e.reference ? undefined : e.value,
    valueRange: e.valueRange,
    sensitive: e.secret || isSensitiveName(e.key),
    detail: `${baseOf(m.uri)}: ${[...e.path, e.key].join('.')}${e.reference ? ' (from a Secret / ConfigMap)' : ''}`,
    userDefined: true,
  }));
  const templated = m.errors.some((e) => e.code === 'yaml-templated');
  const reason = chart?.reason ?? (templated ? 'template syntax hides part of the file' : undefined);
  return { id: `helm:${m.uri}`, kind: 'helm', label: baseOf(m.uri), uri: m.uri, provides, complete: !reason, incompleteReason: reason };
}

/** What a chart's templates set (`web templates`): literal `env` entries, rendered ConfigMaps' keys, included templates' entries. */
export function chartSource(dir: string, chart: ChartEnv): AppSource {
  const byName = new Map<string, ProvidedVar>();
  for (const p of chart.provides) if (!byName.has(p.name)) byName.set(p.name, p);
  // Its file: the template of the app's first container with env entries (where a quick fix adds one), else Chart.yaml.
  return { id: `helm-chart:${dir}`, kind: 'helm', label: `${baseOf(dir)} templates`, uri: chart.main ?? `${dir}/Chart.yaml`, provides: [...byName.values()], complete: !chart.reason, incompleteReason: chart.reason };
}

/**
 * Base images of another program than a Python app (a database, a proxy, a Node front end): a
 * Dockerfile built on one, even inside the app's folder, makes that program's image, and its ENV
 * is not the app's. Matched on the image's last path segment.
 */
const OTHER_PROGRAM_IMAGE =
  /(?:^|\/)(?:node|nginx|nginxinc|openresty|httpd|caddy|traefik|haproxy|envoy|varnish|postgres|postgis|postgresql|mysql|mariadb|redis|valkey|memcached|mongo|mongodb|rabbitmq|elasticsearch|opensearch|kibana|grafana|prometheus|keycloak|minio|localstack|graphql-engine|golang|ruby|php|openjdk|eclipse-temurin|amazoncorretto|maven|gradle|dolt|dolt-sql-server|clickhouse-server|cassandra|couchdb|neo4j|influxdb|mssql-server|solr|zookeeper|kafka|mosquitto|vault|consul)$/;

/** A Dockerfile that may build the app's image: not built on another program's (below, planApps). */
export function mayBeAppImage(m: Pick<DockerfileModel, 'baseImage'>): boolean {
  return !m.baseImage || !OTHER_PROGRAM_IMAGE.test(m.baseImage);
}

/**
 * What of a Dockerfile decides whether it is an app's image, for each target: its stages and what
 * each starts from. Two models of the same shape differ only in what their images set (appsPatch.ts).
 */
export function dockerfileShape(m: DockerfileModel): string {
  return JSON.stringify([m.baseImage, m.stages?.map((s) => [s.name, s.from])]);
}

/**
 * The variables the images of a Dockerfile set (the last stage's ENV, or each compose target's: a
 * key from the first target that sets it). Not a deployment's source on its own (sourcesKnown.ts):
 * the container gets most of its environment where it runs. And not "unused" when nothing reads
 * them: an image's ENV also configures Python, pip and the system (userDefined). Undefined when no
 * target makes the app's image (another program's base image, or no such stage).
 */
export function dockerfileSource(m: DockerfileModel, targets: readonly string[] = ['']): AppSource | undefined {
  const images = targets.map((t) => (t === '' ? { entries: m.entries, baseImage: m.baseImage } : imageOf(m, t))).filter((i): i is DockerImage => i !== undefined && mayBeAppImage(i));
  if (images.length === 0) return undefined;
  const label = baseOf(m.uri);
  const byName = new Map<string, ProvidedVar>();
  for (const e of images.flatMap((i) => i.entries)) {
    if (byName.has(e.key)) continue;
    byName.set(e.key, entryVar(m.uri, e, { sensitive: isSensitiveName(e.key), detail: `${label}: ENV${e.stage ? ` (stage ${e.stage})` : ''}`, userDefined: false }));
  }
  const source: AppSource = { id: `dockerfile:${m.uri}`, kind: 'dockerfile', label, uri: m.uri, provides: [...byName.values()], complete: true };
  dockerTargets.set(source, targets);
  return source;
}

/** The compose targets each Dockerfile source stands for, to make it again from a new model. */
const dockerTargets = new WeakMap<AppSource, readonly string[]>();

/** A Dockerfile source made again from the file's new model, for the same targets (appsPatch.ts). */
export function dockerfileSourceAgain(old: AppSource, m: DockerfileModel): AppSource | undefined {
  return dockerfileSource(m, dockerTargets.get(old));
}

/** Variables Heroku's add-ons set, by service (`as` renames them to `<AS>_URL`). */
const ADDON_VARS: Record<string, readonly string[]> = {
  'heroku-postgresql': ['DATABASE_URL'],
  'heroku-redis': ['REDIS_URL', 'REDIS_TLS_URL'],
};
/** What Heroku sets in every dyno. */
const DYNO_VARS: readonly [string, string][] = [
  ['PORT', 'the port the web process listens on'],
  ['DYNO', "the dyno's name"],
];

/**
 * Heroku's app.json as the source of an app deployed from it: its `env` entries (a value, one the
 * deployer is asked for, or a secret Heroku generates), the variables of the add-ons Orchard knows
 * (heroku-postgresql's `DATABASE_URL`, heroku-redis') and what every dyno gets (`PORT`, `DYNO`). Another
 * add-on sets variables Orchard does not list: the source is then incomplete, so a read it does not
 * list is unknown, not "not provided".
 */
export function herokuSource(m: AppJsonModel): AppSource {
  const label = baseOf(m.uri);
  const provides: ProvidedVar[] = m.entries.map((e) => {
    // An empty value is an empty field of the deploy form: the deployer is asked, as without one.
    const value = e.generated || e.value === '' ? undefined : e.value;
    return {
      name: e.key,
      uri: m.uri,
      range: e.keyRange,
      value,
      valueRange: value === undefined ? undefined : e.valueRange,
      sensitive: e.generated || isSensitiveName(e.key),
      // (Shown beside the source's label, in hovers and the tree: not repeated here.)
      detail: e.generated ? 'a secret Heroku generates' : value !== undefined ? 'env value' : `asked when deploying (${e.required ? 'required' : 'optional'})`,
      userDefined: true,
    };
  });
  const named = new Set(provides.map((p) => p.name));
  const unknown: string[] = [];
  for (const a of m.addons) {
    const vars = ADDON_VARS[a.name];
    if (!vars) {
      if (!unknown.includes(a.name)) unknown.push(a.name);
      continue;
    }
    for (const name of a.as ? [`${a.as}_URL`] : vars) {
      if (named.has(name)) continue;
      named.add(name);
      provides.push({ name, uri: m.uri, range: a.range, sensitive: true, detail: `set by the add-on ${a.name}`, userDefined: false });
    }
  }
  for (const [name, what] of DYNO_VARS) {
    if (named.has(name)) continue;
    provides.push({ name, uri: m.uri, range: m.envRange ?? ZERO, sensitive: false, detail: `set by Heroku in every dyno: ${what}`, userDefined: false });
  }
  const source: AppSource = { id: `heroku:${m.uri}`, kind: 'heroku', label, uri: m.uri, provides, complete: unknown.length === 0 };
  if (unknown.length) {
    const list = unknown.length > 3 ? `${unknown.slice(0, 3).join(', ')} and ${unknown.length - 3} more` : unknown.join(', ');
    source.incompleteReason = `the add-on${unknown.length > 1 ? 's' : ''} ${list} set${unknown.length > 1 ? '' : 's'} variables Orchard does not list`;
  }
  return source;
}

/** What Render sets in every service (and PORT in a web service: 10000 unless set). */
const RENDER_VARS: readonly [string, string][] = [
  ['RENDER', '"true" on Render'],
  ['IS_PULL_REQUEST', 'whether this is a pull request preview'],
  ['RENDER_SERVICE_ID', "the service's id"],
  ['RENDER_SERVICE_NAME', "the service's name"],
  ['RENDER_SERVICE_TYPE', "the service's type"],
  ['RENDER_INSTANCE_ID', "the instance's id"],
  ['RENDER_DISCOVERY_SERVICE', "the DNS name of the service's instances"],
  ['RENDER_CPU_COUNT', "the instance type's CPUs"],
  ['RENDER_GIT_BRANCH', 'the branch deployed'],
  ['RENDER_GIT_COMMIT', 'the commit deployed'],
  ['RENDER_GIT_REPO_SLUG', 'the repository deployed'],
  ['RENDER_EXTERNAL_HOSTNAME', "a web service's onrender.com host name (empty for other types)"],
  ['RENDER_EXTERNAL_URL', "a web service's onrender.com URL (empty for other types)"],
];

function renderEntryVar(m: RenderBlueprintModel, e: RenderEnvEntry, group?: string): ProvidedVar {
  const how =
    e.kind === 'value' ? 'value' : e.kind === 'generated' ? 'a secret Render generates' : e.kind === 'asked' ? 'asked in the Render Dashboard (sync: false)' : `from ${e.kind} ${e.from ?? '(unnamed)'}`;
  return {
    name: e.key,
    uri: m.uri,
    range: e.keyRange,
    value: e.kind === 'value' ? e.value : undefined,
    valueRange: e.kind === 'value' ? e.valueRange : undefined,
    sensitive: e.kind === 'generated' || e.kind === 'database' || isSensitiveName(e.key),
    detail: group ? `${how} (group ${group})` : how,
    userDefined: true,
  };
}

/**
 * One service of a Render Blueprint as its app's source: its `envVars`, the groups it takes in
 * (`fromGroup`; a later setting of a key wins, the service's own over a group's) and what Render sets
 * itself. A group the file does not define (made in the Dashboard) or template syntax in the file
 * makes it incomplete: a read it does not list is then unknown, never "not provided".
 */
export function renderSource(m: RenderBlueprintModel, s: RenderService): AppSource {
  const byName = new Map<string, ProvidedVar>();
  const missing: string[] = [];
  for (const g of s.groups) {
    const group = m.groups.find((x) => x.name === g.name);
    if (!group) {
      if (!missing.includes(g.name)) missing.push(g.name);
      continue;
    }
    for (const e of group.entries) byName.set(e.key, renderEntryVar(m, e, g.name));
  }
  for (const e of s.entries) byName.set(e.key, renderEntryVar(m, e));
  for (const [name, what] of s.type === 'web' ? [['PORT', 'the port the service listens on: 10000 unless set'] as [string, string], ...RENDER_VARS] : RENDER_VARS) {
    if (!byName.has(name)) byName.set(name, { name, uri: m.uri, range: s.nameRange, sensitive: false, detail: `set by Render: ${what}`, userDefined: false });
  }
  const source: AppSource = { id: `render:${m.uri}#${s.name}`, kind: 'render', label: `render ${s.name}`, uri: m.uri, provides: [...byName.values()], complete: true };
  const reasons: string[] = [];
  if (missing.length) reasons.push(`the environment group${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not defined in ${baseOf(m.uri)} (made in the Render Dashboard)`);
  if (m.templated) reasons.push('template syntax hides part of the file');
  if (reasons.length) Object.assign(source, { complete: false, incompleteReason: reasons.join('; ') });
  return source;
}

/** What of a Blueprint decides its services' apps: their names, types and folders (appsPatch.ts). */
export function renderShape(m: RenderBlueprintModel): string {
  return JSON.stringify(m.services.map((s) => [s.name, s.type, s.rootDir]));
}

/**
 * One component of a DigitalOcean app spec as its app's source: the app-wide `envs` and its own
 * (its own setting of a key wins), except what only the build sees (`scope: BUILD_TIME`), and
 * `PORT` for a service. Template syntax makes it incomplete.
 */
export function doSource(m: DoAppSpecModel, c: DoComponent): AppSource {
  const byName = new Map<string, ProvidedVar>();
  const buildOnly: { name: string; range: Range }[] = [];
  for (const e of [...m.appEntries, ...c.entries]) {
    if (e.buildOnly) {
      buildOnly.push({ name: e.key, range: e.keyRange });
      continue;
    }
    const detail = e.value !== undefined ? 'value' : e.secret ? 'a secret App Platform keeps encrypted' : 'filled in by App Platform';
    byName.set(e.key, entryVar(m.uri, e, { sensitive: e.secret || isSensitiveName(e.key), detail, userDefined: true }));
  }
  if (c.kind === 'service' && !byName.has('PORT')) {
    byName.set('PORT', { name: 'PORT', uri: m.uri, range: c.nameRange, sensitive: false, detail: "set by App Platform: the service's http_port", userDefined: false });
  }
  const source: AppSource = { id: `do:${m.uri}#${c.name}`, kind: 'digitalocean', label: `app spec ${c.name}`, uri: m.uri, provides: [...byName.values()], complete: !m.templated };
  if (buildOnly.length) source.buildOnly = buildOnly;
  if (m.templated) source.incompleteReason = 'template syntax hides part of the file';
  return source;
}

/** What of an app spec decides its components' apps: their names, kinds and folders (appsPatch.ts). */
export function doShape(m: DoAppSpecModel): string {
  return JSON.stringify(m.components.map((c) => [c.name, c.kind, c.sourceDir]));
}

/** How a Kubernetes `valueFrom` gives a container its value, for hovers and the tree. */
const K8S_FROM: Record<NonNullable<K8sEnvEntry['from']>, string> = {
  secret: "a Secret's key",
  'config-map': "a ConfigMap's key",
  field: 'a field of the pod',
  resource: "the container's resources",
};

/** A container that may run the app: not another program's image (redis, postgres, nginx…). */
export function mayBeAppContainer(c: K8sContainer): boolean {
  return mayBeAppImage({ baseImage: c.image });
}

/**
 * One container of a Kubernetes workload as its app's source: its `env` (a literal value, or a
 * `valueFrom` provided without one) and what its `envFrom` takes in from a ConfigMap or Secret of
 * `data` (the manifests of the file's folder: `configmap.yml` beside `deployment.yml`), with its
 * prefix. An `envFrom` of an object defined elsewhere (another folder, `kubectl create secret`, an
 * operator) makes it incomplete: what that sets is unknown, never "not provided". Its own `env`
 * wins over `envFrom`, as in Kubernetes.
 */
export function k8sSource(m: K8sManifestModel, w: K8sWorkload, c: K8sContainer, data: readonly K8sKeys[] = m.data): AppSource {
  const byName = new Map<string, ProvidedVar>();
  const elsewhere: string[] = [];
  const unread: string[] = [];
  for (const e of c.envFrom) {
    // (Overlays may each generate it: their keys together.)
    const found = e.name === undefined ? [] : data.filter((d) => d.from === e.from && d.name === e.name);
    if (found.length === 0) {
      elsewhere.push(`${e.from === 'secret' ? 'Secret' : 'ConfigMap'} ${e.name ?? '(unnamed)'}`);
      continue;
    }
    for (const keys of found) {
      if (keys.unread?.length) unread.push(...keys.unread);
      for (const k of keys.keys) {
        const name = `${e.prefix ?? ''}${k.key}`;
        if (byName.has(name)) continue;
        byName.set(name, { name, uri: k.uri ?? keys.uri ?? m.uri, range: k.range, sensitive: e.from === 'secret' || isSensitiveName(name), detail: `from ${e.from === 'secret' ? 'Secret' : 'ConfigMap'} ${keys.name}`, userDefined: false });
      }
    }
  }
  for (const e of c.entries) {
    // Never "unused": the manifest is the app's by its folder only, and its container may run
    // code that is not the app's modules (nautobot's development/kubernetes/ runs the package).
    byName.set(e.key, entryVar(m.uri, e, { sensitive: e.from === 'secret' || isSensitiveName(e.key), detail: e.from ? K8S_FROM[e.from] : 'value', userDefined: false }));
  }
  const label = w.containers.filter(mayBeAppContainer).length > 1 ? `k8s ${w.name}/${c.name}` : `k8s ${w.name}`;
  const source: AppSource = { id: `k8s:${m.uri}#${w.kind}/${w.name}/${c.name}`, kind: 'kubernetes', label, uri: m.uri, provides: [...byName.values()], complete: elsewhere.length === 0 && unread.length === 0 };
  if (elsewhere.length) source.incompleteReason = `envFrom takes in ${elsewhere.join(', ')}, not defined in this folder's manifests or a kustomization building on it`;
  else if (unread.length) source.incompleteReason = `envFrom takes in keys of ${[...new Set(unread)].join(', ')}, which Orchard did not read`;
  return source;
}

/**
 * What of a file of manifests decides its containers' apps and what other files' containers take
 * in: workloads, containers and their images, and its ConfigMaps' and Secrets' keys with their
 * places (appsPatch.ts).
 */
export function k8sShape(m: K8sManifestModel): string {
  return JSON.stringify([m.workloads.map((w) => [w.kind, w.name, w.containers.map((c) => [c.name, c.image])]), m.data]);
}
