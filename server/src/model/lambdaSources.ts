// The sources made from the files of AWS Lambda's deployment tools: a Serverless Framework service's
// `serverless.yml`, an AWS SAM template's functions (by code folder), a Zappa stage, a Chalice stage,
// a Terraform file's or a CDK stack's functions (by code folder) —
// each function environment's entries (every function's, or some functions': the hover names them),
// where a value resolved when deploying comes from, and what Lambda sets itself; and a CDK stack's
// ECS containers, by the folder their image is built from (what ECS sets, not Lambda). planApps (apps.ts)
// gives each to the app whose code it deploys; appsPatch.ts makes one again from an edited file's model.
import type { CdkFunction, ChaliceConfigModel, LambdaEnvEntry, PlatformEntry, SamFunction, SamTemplateModel, ServerlessModel, TerraformArchive, TerraformFunction, TerraformModel, ZappaSettingsModel, ZappaStage } from '../parse/envTypes';
import type { Range } from '../parse/types';
import { isSensitiveName } from '../parse/sensitive';
import type { AppSource, ProvidedVar } from './types';
import { dirOf, fileNameOf, isUnder } from './uris';
import { ecsProvides } from './hostedSources';
import { resolveFile, resolveFolder } from './composeBuild';
import { entryVar, ZERO } from './sourceEntry';

const baseOf = fileNameOf;

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

/** A source incomplete for these reasons (none: complete); five said, the rest counted. */
function withReasons(source: AppSource, reasons: readonly string[]): AppSource {
  const all = [...new Set(reasons)];
  if (!all.length) return source;
  const said = all.length > 5 ? [...all.slice(0, 5), `and ${all.length - 5} more`] : all;
  return Object.assign(source, { complete: false, incompleteReason: said.join('; ') });
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

/** A source's label from its functions' ids: `SAM Api, Orders`, `terraform a, b, c +2`. */
function functionsLabel(prefix: string, fns: readonly { id: string }[]): string {
  const ids = fns.map((f) => f.id);
  return `${prefix} ${ids.length > 3 ? `${ids.slice(0, 3).join(', ')} +${ids.length - 3}` : ids.join(', ')}`;
}

/** Why each function's environment cannot be read whole, named by the function (`Api's Variables are …`). */
function functionReasons(fns: readonly { id: string; unknown?: string }[]): string[] {
  return fns.flatMap((f) => (f.unknown ? [`${f.id}'s ${f.unknown.replace(/^its /, '')}`] : []));
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
  const named = /^template\.ya?ml$/.test(baseOf(m.uri)) ? '' : ` (${baseOf(m.uri)})`;
  const label = `${functionsLabel('SAM', fns)}${named}`;
  const entries = [...m.globals, ...fns.flatMap((f) => f.entries)];
  const provides = lambdaProvides(m.uri, 'Globals', entries, m.globalsRange ?? fns[0]?.idRange ?? ZERO);
  const reasons = [...(m.globalsUnknown ? [m.globalsUnknown] : []), ...functionReasons(fns), ...(m.templated ? ['template syntax hides part of the file'] : [])];
  return withReasons({ id: `sam:${m.uri}#${dir}`, kind: 'sam', label, uri: m.uri, provides, complete: true }, reasons);
}

/** A Terraform function that may run Python: a Python runtime, or one not said or computed. */
function terraformMayRunPython(f: TerraformFunction): boolean {
  return !f.runtime || f.runtime === '${…}' || f.runtime.startsWith('python');
}

/** The `archive_file` data sources of each folder's Terraform files: a module is a folder, and a function may name an archive another of its files declares. */
export function terraformArchives(models: readonly TerraformModel[]): Map<string, TerraformArchive[]> {
  const out = new Map<string, TerraformArchive[]>();
  for (const m of models) if (m.archives.length) out.set(dirOf(m.uri), [...(out.get(dirOf(m.uri)) ?? []), ...m.archives]);
  return out;
}

/** A path's folder from `dir`: a `.py` file's folder, else the path itself. */
function codeFolder(dir: string, p: string): string {
  return /\.py$/i.test(p) ? dirOf(resolveFile(dir, p)) : resolveFolder(dir, p);
}

/**
 * The folder a Terraform function's code is: its archive's `source_dir` (a `source_file`'s folder),
 * found by name or by the zip path its `filename` shares with the archive's `output_path`; the
 * module's `source_path`. Undefined when its code is not a folder of the workspace (S3, an image, a
 * zip built by something else, a computed path).
 */
function terraformCodeDir(dir: string, f: TerraformFunction, archives: readonly TerraformArchive[]): string | undefined {
  if (f.codeElsewhere) return undefined;
  if (f.sourcePath !== undefined) return codeFolder(dir, f.sourcePath);
  const a = f.archive !== undefined ? archives.find((x) => x.name === f.archive) : archives.find((x) => x.output !== undefined && f.output !== undefined && resolveFile(dir, x.output) === resolveFile(dir, f.output));
  if (!a || a.elsewhere) return undefined;
  return a.dir !== undefined ? resolveFolder(dir, a.dir) : a.file !== undefined ? codeFolder(dir, a.file) : undefined;
}

/** A Terraform file's functions that may run Python and whose code is a local folder, by that folder. */
export function terraformFunctionsByDir(m: TerraformModel, archives: ReadonlyMap<string, readonly TerraformArchive[]>): Map<string, TerraformFunction[]> {
  const out = new Map<string, TerraformFunction[]>();
  const here = archives.get(dirOf(m.uri)) ?? [];
  for (const f of m.functions) {
    const dir = terraformMayRunPython(f) ? terraformCodeDir(dirOf(m.uri), f, here) : undefined;
    if (dir !== undefined) out.set(dir, [...(out.get(dir) ?? []), f]);
  }
  return out;
}

/** What decides a Terraform file's sources and apps: its functions' code and runtimes, and its archives. */
export function terraformShape(m: TerraformModel): string {
  return JSON.stringify([m.functions.map((f) => [f.id, terraformMayRunPython(f), f.codeElsewhere, f.archive, f.output, f.sourcePath]), m.archives]);
}

/**
 * The functions of a Terraform file whose code is `dir`, as one source of the app that code is (as
 * a SAM template's): each function's `environment` (the hover names the functions of a key) and
 * what Lambda sets. Complete unless an expression gives a function's variables (`var.env`,
 * `merge(…)`), a dynamic block, or syntax the grammar cannot read hides part of the file.
 */
export function terraformSource(m: TerraformModel, dir: string, fns: readonly TerraformFunction[]): AppSource {
  const provides = lambdaProvides(m.uri, 'environment', fns.flatMap((f) => f.entries), fns[0]?.envRange ?? fns[0]?.idRange ?? ZERO);
  const reasons = [...functionReasons(fns), ...(m.unreadable ? ['part of the file is syntax Orchard cannot read'] : [])];
  return withReasons({ id: `tf:${m.uri}#${dir}`, kind: 'terraform', label: functionsLabel('terraform', fns), uri: m.uri, provides, complete: true }, reasons);
}

/** How many folders above a CDK module its app's folder (cdk.json's) is looked for. */
const MAX_CDK_UP = 8;

/**
 * A CDK module's functions that may run Python and whose code is a folder holding Python modules
 * (`moduleDirs`), by that folder. A path from the module's folder is resolved there; a plain one is
 * from the CDK app's folder (where `cdk deploy` runs, cdk.json's), looked for from the module's
 * folder up to the workspace root (`top`): the first whose path reaches a folder of modules.
 */
export function cdkFunctionsByDir(uri: string, fns: readonly CdkFunction[], moduleDirs: ReadonlySet<string>, top: string | undefined): Map<string, CdkFunction[]> {
  const out = new Map<string, CdkFunction[]>();
  // (An ECS container's image is built from a folder whose modules may be in its subfolders: `app/` of `app/src/main.py`.)
  const below = fns.some((f) => f.ecs) ? [...moduleDirs] : [];
  for (const f of fns) {
    const holdsModules = f.ecs ? (dir: string) => below.some((m) => isUnder(m, dir)) : (dir: string) => moduleDirs.has(dir);
    if (f.runtime === 'other' || !f.code) continue;
    const path = /\.py$/i.test(f.code.path) ? f.code.path.replace(/[^/]*$/, '') || '.' : f.code.path;
    let dir: string | undefined;
    if (f.code.base === 'file') dir = resolveFolder(dirOf(uri), path);
    else {
      for (let at = dirOf(uri), i = 0; i < MAX_CDK_UP; i++, at = dirOf(at)) {
        const cand = resolveFolder(at, path);
        if (holdsModules(cand)) {
          dir = cand;
          break;
        }
        if (top === undefined || at === top || !at.startsWith(top)) break;
      }
    }
    if (dir !== undefined && holdsModules(dir)) out.set(dir, [...(out.get(dir) ?? []), f]);
  }
  return out;
}

/**
 * The functions of a CDK module whose code is `dir`, as one source of the app that code is (as a SAM
 * template's): each function's environment and what Lambda sets (ECS containers: their environment
 * and secrets and what ECS sets, hostedSources.ts ecsProvides). Complete unless an environment is
 * computed (a variable, `**other`, a computed key).
 */
export function cdkSource(uri: string, dir: string, fns: readonly CdkFunction[]): AppSource {
  const containers = fns.filter((f) => f.ecs);
  const provides = containers.length === fns.length ? ecsProvides(uri, containers.map((f) => ({ name: f.id, entries: f.entries })), containers[0]?.idRange ?? ZERO, containers.length > 1) : lambdaProvides(uri, 'environment', fns.flatMap((f) => f.entries), fns[0]?.envRange ?? fns[0]?.idRange ?? ZERO);
  return withReasons({ id: `cdk:${uri}#${dir}`, kind: 'cdk', label: functionsLabel('cdk', fns), uri, provides, complete: true }, functionReasons(fns));
}

/** How many stages an `extends` chain is followed through (a real one has two or three). */
const MAX_EXTENDS = 32;

/** A file's stages by name (the last of a repeated name, as JSON readers keep it), made once per file. */
const stagesByName = new WeakMap<ZappaSettingsModel, Map<string, ZappaStage>>();

/**
 * A Zappa stage's settings as Zappa deploys them: its own keys, then those of the stages it
 * `extends` (nearest first; a key is taken whole from the first stage that has it, as Zappa's
 * shallow merge does). A chain that loops, names no stage or passes 32 stages stops there.
 */
function zappaSetting<K extends 'env' | 'awsEnv' | 'remoteEnv' | 'project' | 'djangoSettings'>(m: ZappaSettingsModel, stage: ZappaStage, key: K): { value: ZappaStage[K]; from: ZappaStage } | undefined {
  let byName = stagesByName.get(m);
  if (!byName) stagesByName.set(m, (byName = new Map(m.stages.map((x) => [x.name, x]))));
  const seen = new Set<string>();
  for (let s: ZappaStage | undefined = stage; s && !seen.has(s.name) && seen.size < MAX_EXTENDS; s = s.extends === undefined ? undefined : byName.get(s.extends)) {
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
