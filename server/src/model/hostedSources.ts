// The sources made from a hosted platform's app file: a Google App Engine service's `app.yaml`, a
// Fly.io app's `fly.toml`, a Databricks app's `app.yaml`, a Serverless Framework service's
// `serverless.yml`, an AWS SAM template's functions, a Zappa or Chalice stage — each file's entries
// and what the platform sets itself. planApps (apps.ts) gives each to the app whose code the file's folder
// holds; appsPatch.ts makes one again from an edited file's new model.
import type { AppEngineModel, ChaliceConfigModel, DatabricksAppModel, FlyTomlModel, LambdaEnvEntry, PlatformEntry, SamFunction, SamTemplateModel, ServerlessModel, ZappaSettingsModel, ZappaStage } from '../parse/envTypes';
import type { Range } from '../parse/types';
import { isSensitiveName } from '../parse/sensitive';
import type { AppSource, ProvidedVar } from './types';
import { dirOf, fileNameOf } from './uris';
import { resolveFile, resolveFolder } from './composeBuild';
import { entryVar, ZERO } from './sourceEntry';

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

/** What AWS Lambda sets in every function's environment (Python runtimes). */
const LAMBDA_VARS: readonly [string, string, boolean][] = [
  ['AWS_REGION', 'the region the function runs in', false],
  ['AWS_DEFAULT_REGION', 'the region the function runs in', false],
  ['AWS_EXECUTION_ENV', 'the runtime, as AWS_Lambda_python3.12', false],
  ['AWS_LAMBDA_FUNCTION_NAME', "the function's name", false],
  ['AWS_LAMBDA_FUNCTION_MEMORY_SIZE', "the function's memory", false],
  ['AWS_LAMBDA_FUNCTION_VERSION', "the function's version", false],
  ['AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand or provisioned concurrency', false],
  ['AWS_LAMBDA_LOG_GROUP_NAME', "the function's CloudWatch log group", false],
  ['AWS_LAMBDA_LOG_STREAM_NAME', "the function's CloudWatch log stream", false],
  ['AWS_LAMBDA_RUNTIME_API', "the runtime API's address", false],
  ['AWS_ACCESS_KEY_ID', "the execution role's access key", false],
  ['AWS_SECRET_ACCESS_KEY', "the execution role's secret key", true],
  ['AWS_SESSION_TOKEN', "the execution role's session token", true],
  ['LAMBDA_TASK_ROOT', "the function's code folder", false],
  ['LAMBDA_RUNTIME_DIR', "the runtime's folder", false],
  ['_HANDLER', "the function's handler", false],
  ['_X_AMZN_TRACE_ID', 'the X-Ray tracing header', false],
  ['AWS_XRAY_CONTEXT_MISSING', 'X-Ray SDK setting', false],
  ['AWS_XRAY_DAEMON_ADDRESS', "the X-Ray daemon's address", false],
  ['TZ', 'UTC', false],
];

/** A Serverless service whose functions may run Python: a Python runtime, a container image's, or one given by a variable. */
export function serverlessMayRunPython(m: Pick<ServerlessModel, 'runtimes'>): boolean {
  return m.runtimes.some((r) => r.startsWith('python') || r === 'image' || r.includes('${'));
}

/**
 * A Lambda function environment's entries as provided variables: those every function gets
 * (`shared`: "provider environment", "Globals"), a key only some functions set naming them, and
 * what Lambda sets itself (placed at `at`). A value resolved when deploying says from where.
 */
function lambdaProvides(uri: string, shared: string, entries: readonly LambdaEnvEntry[], at: Range): ProvidedVar[] {
  const byName = new Map<string, ProvidedVar>();
  // A key only functions set: which ones (a shared entry is every function's).
  const everyFn = new Set(entries.filter((e) => e.fn === undefined).map((e) => e.key));
  const fns = new Map<string, string[]>();
  for (const e of entries) if (e.fn !== undefined && !everyFn.has(e.key)) fns.set(e.key, [...(fns.get(e.key) ?? []), e.fn]);
  for (const e of entries) {
    if (byName.has(e.key) && e.fn !== undefined) continue;
    const only = fns.get(e.key);
    const where = e.fn === undefined ? shared : `environment of function${only!.length > 1 ? 's' : ''} ${only!.join(', ')}`;
    const detail = e.from !== undefined ? `${where} (from ${e.from})` : where;
    byName.set(e.key, { ...entryVar(uri, e, { sensitive: isSensitiveName(e.key), detail, userDefined: true }), entryRange: e.entryRange });
  }
  addLambdaVars(byName, uri, at);
  return [...byName.values()];
}

/** What Lambda sets, for the names a function's own environment leaves (placed at `at`). */
function addLambdaVars(byName: Map<string, ProvidedVar>, uri: string, at: Range): void {
  for (const [name, what, sensitive] of LAMBDA_VARS) {
    if (!byName.has(name)) byName.set(name, { name, uri, range: at, sensitive, detail: `set by AWS Lambda: ${what}`, userDefined: false });
  }
}

/** A source incomplete for these reasons (none: complete). */
function withReasons(source: AppSource, reasons: readonly string[]): AppSource {
  return reasons.length ? Object.assign(source, { complete: false, incompleteReason: [...new Set(reasons)].join('; ') }) : source;
}

/**
 * A Serverless Framework service's serverless.yml as its app's source: `provider.environment` (every
 * function's), each function's `environment` (that function's: the hover names it) and what Lambda
 * sets. Complete unless part of the environment is read from elsewhere when deploying (a variable in
 * place of a mapping, serverless-dotenv-plugin) or template syntax hides it: Lambda sets nothing
 * else. A value Serverless resolves when deploying (`${ssm:/path}`) is provided, and the hover says
 * from where.
 */
export function serverlessSource(m: ServerlessModel): AppSource {
  const label = m.service ? `serverless ${m.service}` : baseOf(m.uri);
  const provides = lambdaProvides(m.uri, 'provider environment', m.entries, m.envRange ?? m.providerRange);
  return withReasons({ id: `sls:${m.uri}`, kind: 'serverless', label, uri: m.uri, provides, complete: true }, [...m.unknown, ...(m.templated ? ['template syntax hides part of the file'] : [])]);
}

/** A SAM function that may run Python: its runtime's (or Globals'), an image's, or none said. */
function samMayRunPython(m: SamTemplateModel, f: SamFunction): boolean {
  const runtime = f.runtime ?? m.globalsRuntime;
  return f.image === true || runtime === undefined || runtime.startsWith('python');
}

/**
 * A SAM template's functions that may run Python and whose code is a local folder, by that folder
 * (`CodeUri` from the template's; several functions often share one, each with its own handler).
 */
export function samFunctionsByDir(m: SamTemplateModel): Map<string, SamFunction[]> {
  const out = new Map<string, SamFunction[]>();
  for (const f of m.functions) {
    if (f.codeElsewhere || !samMayRunPython(m, f)) continue;
    const dir = f.codeUri ? resolveFolder(dirOf(m.uri), f.codeUri) : dirOf(m.uri);
    out.set(dir, [...(out.get(dir) ?? []), f]);
  }
  return out;
}

/** What decides a SAM template's sources and apps: its code folders and which functions each holds. */
export function samShape(byDir: ReadonlyMap<string, readonly SamFunction[]>): string {
  return JSON.stringify([...byDir].map(([dir, fns]) => [dir, fns.map((f) => f.id)]));
}

/**
 * The functions of a SAM template whose code is `dir`, as one source of the app that code is:
 * Globals' variables, each function's own (the hover names the functions of a key only they set)
 * and what Lambda sets. One source for the folder, not one per function: functions sharing a folder
 * share its modules, and which handler reaches which module is not followed. Complete unless a
 * CloudFormation function gives an environment (`!If`) or template syntax hides part of the file.
 */
export function samSource(m: SamTemplateModel, dir: string, fns: readonly SamFunction[]): AppSource {
  const ids = fns.map((f) => f.id);
  const named = /^template\.ya?ml$/.test(baseOf(m.uri)) ? '' : ` (${baseOf(m.uri)})`;
  const label = `SAM ${ids.length > 3 ? `${ids.slice(0, 3).join(', ')} +${ids.length - 3}` : ids.join(', ')}${named}`;
  const entries = [...m.globals, ...fns.flatMap((f) => f.entries)];
  const provides = lambdaProvides(m.uri, 'Globals', entries, m.globalsRange ?? fns[0]?.idRange ?? ZERO);
  const reasons = [...(m.globalsUnknown ? [m.globalsUnknown] : []), ...fns.flatMap((f) => (f.unknown ? [`${f.id}'s ${f.unknown.replace(/^its /, '')}`] : [])), ...(m.templated ? ['template syntax hides part of the file'] : [])];
  return withReasons({ id: `sam:${m.uri}#${dir}`, kind: 'sam', label, uri: m.uri, provides, complete: true }, reasons);
}

/**
 * A Zappa stage's settings as Zappa deploys them: its own keys, then those of the stages it
 * `extends` (nearest first; a key is taken whole from the first stage that has it, as Zappa's
 * shallow merge does). A chain that loops or names no stage stops there.
 */
function zappaSetting<K extends 'env' | 'awsEnv' | 'remoteEnv' | 'project' | 'djangoSettings'>(m: ZappaSettingsModel, stage: ZappaStage, key: K): { value: ZappaStage[K]; from: ZappaStage } | undefined {
  const seen = new Set<string>();
  for (let s: ZappaStage | undefined = stage; s && !seen.has(s.name); s = s.extends === undefined ? undefined : m.stages.find((x) => x.name === s!.extends)) {
    seen.add(s.name);
    if (s[key] !== undefined) return { value: s[key], from: s };
  }
  return undefined;
}

/** What Zappa's handler sets itself. */
const ZAPPA_VARS: readonly [string, string][] = [
  ['SERVERTYPE', '"AWS Lambda"'],
  ['FRAMEWORK', '"Zappa"'],
  ['PROJECT', "the project's name"],
  ['STAGE', "the stage's name"],
];

/**
 * Each stage of a zappa_settings.json as a source of the app its folder holds (`zappa <stage>`):
 * its `environment_variables` and `aws_environment_variables` (with `extends` applied), what Zappa's
 * handler sets (and DJANGO_SETTINGS_MODULE with `django_settings`) and what Lambda sets. Complete
 * unless the stage loads more from S3 (`remote_env`).
 */
export function zappaSources(m: ZappaSettingsModel): AppSource[] {
  const out: AppSource[] = [];
  for (const stage of m.stages) {
    if (!stage.zappa) continue;
    const byName = new Map<string, ProvidedVar>();
    // The handler sets environment_variables over the function's own (aws_environment_variables).
    for (const [key, what] of [['env', 'environment_variables'], ['awsEnv', 'aws_environment_variables']] as const) {
      const got = zappaSetting(m, stage, key);
      const detail = got && got.from !== stage ? `${what} of ${got.from.name} (extended)` : what;
      for (const e of (got?.value as PlatformEntry[] | undefined) ?? []) {
        if (!byName.has(e.key)) byName.set(e.key, { ...entryVar(m.uri, e, { sensitive: isSensitiveName(e.key), detail, userDefined: true }), entryRange: e.entryRange });
      }
    }
    const set = (name: string, detail: string) => byName.has(name) || byName.set(name, { name, uri: m.uri, range: stage.nameRange, sensitive: false, detail: `set by Zappa: ${detail}`, userDefined: false });
    for (const [name, what] of ZAPPA_VARS) if (name !== 'PROJECT' || zappaSetting(m, stage, 'project')) set(name, what);
    const django = zappaSetting(m, stage, 'djangoSettings')?.value;
    if (django !== undefined) set('DJANGO_SETTINGS_MODULE', `${django} (django_settings)`);
    addLambdaVars(byName, m.uri, stage.nameRange);
    const reasons = zappaSetting(m, stage, 'remoteEnv') ? ['remote_env loads more variables from S3 when the function starts'] : [];
    out.push(withReasons({ id: `zappa:${m.uri}#${stage.name}`, kind: 'zappa', label: `zappa ${stage.name}`, uri: m.uri, provides: [...byName.values()], complete: true }, reasons));
  }
  return out;
}

/** A Chalice project's folder: the one holding `.chalice/`. */
function chaliceProjectDir(m: Pick<ChaliceConfigModel, 'uri'>): string {
  return dirOf(dirOf(m.uri));
}

/**
 * Each stage of a Chalice project as a source of the app its folder holds (`chalice <stage>`; `dev`
 * when the config names none): the top-level `environment_variables`, the stage's over them, and a
 * function's (`lambda_functions`) for that function (the hover names it), as Chalice merges them;
 * and what Lambda sets. Complete (Chalice sets nothing else) unless a template of the config sits
 * beside it (`generated`: its name), from which a build script writes config.json when deploying.
 */
export function chaliceSources(m: ChaliceConfigModel, generated?: string): AppSource[] {
  const stages = m.stages.length ? m.stages : [{ name: 'dev', nameRange: ZERO, functions: [] }];
  return stages.map((stage) => {
    const own = new Set((stage.env ?? []).map((e) => e.key));
    const entries: LambdaEnvEntry[] = [...(m.env ?? []).filter((e) => !own.has(e.key)), ...(stage.env ?? []), ...stage.functions.flatMap((f) => f.env.map((e) => ({ ...e, fn: f.name })))];
    const provides = lambdaProvides(m.uri, 'environment_variables', entries, stage.nameRange);
    const reasons = generated ? [`config.json is written from ${generated} when deploying (a build script's values are not in the workspace)`] : [];
    return withReasons({ id: `chalice:${m.uri}#${stage.name}`, kind: 'chalice', label: `chalice ${stage.name}`, uri: m.uri, provides, complete: true }, reasons);
  });
}

/** The sources of a workspace's Chalice configs: each config.json's stages, by project folder (templates only mark theirs generated). */
export function chaliceProjects(models: readonly ChaliceConfigModel[]): Map<string, AppSource[]> {
  const out = new Map<string, AppSource[]>();
  for (const m of models) {
    if (m.template) continue;
    const dir = chaliceProjectDir(m);
    const template = models.find((t) => t.template && chaliceProjectDir(t) === dir);
    out.set(dir, [...(out.get(dir) ?? []), ...chaliceSources(m, template && fileNameOf(template.uri))]);
  }
  return out;
}
