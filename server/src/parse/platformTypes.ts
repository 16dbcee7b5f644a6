// What the deployment platforms' manifests give an app: Heroku's `app.json`
// (parse/herokuAppJson.ts), a Render Blueprint (parse/renderBlueprint.ts) and a DigitalOcean App
// Platform spec (parse/doAppSpec.ts). Types only; envTypes.ts re-exports them.
import type { ParseError, Range } from './types';

/** One variable of a Heroku app.json's `env`. */
export interface AppJsonEnvEntry {
  key: string;
  keyRange: Range;
  /** `"KEY": "value"` or `{"value": …}`; absent when the deployer is asked for it (or Heroku generates it). */
  value?: string;
  valueRange?: Range;
  /** `required` (Heroku's default: true): the deploy does not start without a value. */
  required: boolean;
  /** `generator: "secret"`: Heroku sets a random value when the app is created. */
  generated: boolean;
}

/** An add-on the manifest provisions: its plan's service (`heroku-postgresql`) and `as` (the variables' prefix). */
export interface AppJsonAddon {
  name: string;
  as?: string;
  range: Range;
}

/** Heroku's app.json (parse/herokuAppJson.ts): what an app deployed from it is given. */
export interface AppJsonModel {
  uri: string;
  kind: 'app-json';
  entries: AppJsonEnvEntry[];
  addons: AppJsonAddon[];
  /** The `env` key, where variables set for every dyno (PORT, DYNO) are placed. */
  envRange?: Range;
  errors: ParseError[];
}

/** How a Render Blueprint entry gets its value. */
export type RenderEnvKind = 'value' | 'generated' | 'asked' | 'database' | 'service';

/** One `envVars` entry of a Render service or environment group (`fromGroup` entries are the service's `groups`). */
export interface RenderEnvEntry {
  key: string;
  keyRange: Range;
  kind: RenderEnvKind;
  /** `value:` as written (numbers and booleans too: Render passes them as strings). */
  value?: string;
  valueRange?: Range;
  /** The database or service `fromDatabase` / `fromService` names. */
  from?: string;
}

/** A service of a Render Blueprint that runs code (web, worker, private service, cron job). */
export interface RenderService {
  name: string;
  nameRange: Range;
  type: string;
  /** `rootDir`: the service's folder, from the Blueprint's folder (a monorepo's app). */
  rootDir?: string;
  entries: RenderEnvEntry[];
  /** `fromGroup` entries, in order. */
  groups: { name: string; range: Range }[];
}

/** A Render Blueprint (`render.yaml`, parse/renderBlueprint.ts): its code services and environment groups. */
export interface RenderBlueprintModel {
  uri: string;
  kind: 'render';
  services: RenderService[];
  groups: { name: string; entries: RenderEnvEntry[] }[];
  /** Template syntax (`{{project_name}}`: a project template) hides part of the file. */
  templated?: boolean;
  errors: ParseError[];
}

/** One `envs` entry of a DigitalOcean App Platform spec (app-wide or a component's). */
export interface DoEnvEntry {
  key: string;
  keyRange: Range;
  /** The value as written, when it is one: not an encrypted secret (`EV[…]`) nor a bindable `${…}`. */
  value?: string;
  valueRange?: Range;
  /** `type: SECRET`. */
  secret: boolean;
  /** `scope: BUILD_TIME`: only the build sees it, not the running app. */
  buildOnly: boolean;
}

/** A component of an app spec that runs code: a service, a worker or a job. */
export interface DoComponent {
  name: string;
  nameRange: Range;
  kind: 'service' | 'worker' | 'job';
  /** `source_dir`, from the repository's root. */
  sourceDir?: string;
  entries: DoEnvEntry[];
}

/** A DigitalOcean App Platform spec (`.do/app.yaml`, `.do/deploy.template.yaml`; parse/doAppSpec.ts). */
export interface DoAppSpecModel {
  uri: string;
  kind: 'do-app';
  /** App-wide `envs`: every component gets them (a component's own setting of a key wins). */
  appEntries: DoEnvEntry[];
  components: DoComponent[];
  templated?: boolean;
  errors: ParseError[];
}

/** One `env` entry of a Kubernetes container: a literal `value`, or `valueFrom` another object. */
export interface K8sEnvEntry {
  key: string;
  keyRange: Range;
  value?: string;
  valueRange?: Range;
  /** `valueFrom`: a Secret's or ConfigMap's key, a field of the pod, a resource limit. */
  from?: 'secret' | 'config-map' | 'field' | 'resource';
}

/** One `envFrom` of a container: every key of a ConfigMap or Secret, with an optional prefix. */
export interface K8sEnvFrom {
  from: 'secret' | 'config-map';
  name?: string;
  prefix?: string;
  range: Range;
}

/** A container of a workload. */
export interface K8sContainer {
  name: string;
  nameRange: Range;
  /** The image, lower-cased, without registry, tag or digest (`python`, `bitnami/redis`). */
  image?: string;
  entries: K8sEnvEntry[];
  envFrom: K8sEnvFrom[];
}

/** A workload that runs containers: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod. */
export interface K8sWorkload {
  kind: string;
  name: string;
  nameRange: Range;
  containers: K8sContainer[];
}

/** The keys of a ConfigMap or Secret a file defines (what an `envFrom` of a manifest in the same folder takes in). */
export interface K8sKeys {
  from: 'secret' | 'config-map';
  name: string;
  /** `uri`: a key from another file than the object's (a Kustomize generator's `envs` file). */
  keys: { key: string; range: Range; uri?: string }[];
  /** The file that defines it (its keys' ranges are there). */
  uri?: string;
  /** A Kustomize generator's `envs` files, as written (relative to the kustomization's folder): their keys are the generated object's too. */
  envFiles?: string[];
  /** Those of its `envs` files Orchard did not read (not in the workspace, not a `.env` file): its keys are then not all known. */
  unread?: string[];
}

/**
 * What sets a container's environment (or a ConfigMap's keys) in a Helm chart's template besides
 * its literal entries: the YAML of a values path (`toYaml .Values.env`, a `range` over it), a named
 * template (`include "app.env" .`), or an action Orchard does not follow.
 */
export type HelmTplSetter = { kind: 'values'; path: string; range: Range } | { kind: 'include'; name: string; range: Range } | { kind: 'opaque'; /** As the messages quote it: `{{ tpl .Values.x . }}`, `the name {{ $k | upper }}`. */ text: string; range: Range };

/** An `envFrom` of a container in a Helm template: `name` as written (template actions kept, spaces collapsed). */
export interface HelmTplEnvFrom {
  from: 'secret' | 'config-map';
  name?: string;
  prefix?: string;
  range: Range;
}

/** A container of a workload a Helm template renders. */
export interface HelmTplContainer {
  /** `Deployment` / `CronJob`… */
  workload: string;
  name: string;
  /** Its image when written literally (lower-cased, without registry or tag: `redis`), for telling another program's container. */
  image?: string;
  entries: K8sEnvEntry[];
  /** What else sets its `env`. */
  env: HelmTplSetter[];
  envFrom: HelmTplEnvFrom[];
  /** What else sets its `envFrom`. */
  envFromSetters: HelmTplSetter[];
  /** Actions writing keys of the container itself (`{{- include "app.probes" . | nindent 10 }}`): they may write `env`. */
  other: HelmTplSetter[];
}

/** A ConfigMap or Secret a Helm template renders: its name as written, its literal keys, what else writes keys. */
export interface HelmTplData {
  from: 'secret' | 'config-map';
  name: string;
  keys: { key: string; range: Range }[];
  setters: HelmTplSetter[];
}

/** A named template (`define`): the `- name:` entries and actions of its body, for an `include` in an env list. */
export interface HelmTplDefine {
  name: string;
  entries: { key: string; range: Range }[];
  setters: HelmTplSetter[];
  /** Its body writes an `env:` or `envFrom:` key (it matters where it is included at a container's level). */
  writesEnv: boolean;
}

/** A Helm chart's template (`templates/*.yaml`, `*.tpl`; parse/helmTemplate.ts). */
export interface HelmTemplateModel {
  uri: string;
  kind: 'helm-template';
  containers: HelmTplContainer[];
  data: HelmTplData[];
  defines: HelmTplDefine[];
  /** Part of the file could not be read (YAML broken once the actions are set aside, too many actions): where and why. */
  unread?: { message: string; range: Range };
  errors: ParseError[];
}

/** Kubernetes manifests (any YAML file holding workloads, ConfigMaps or Secrets; parse/k8sManifest.ts). */
export interface K8sManifestModel {
  uri: string;
  kind: 'k8s';
  workloads: K8sWorkload[];
  data: K8sKeys[];
  /** A `kustomization.yaml`: the folders and files its `resources` / `bases` name, as written (its generators are in `data`). */
  kustomize?: { resources: string[] };
  errors: ParseError[];
}

/** One variable a hosted platform's file sets (App Engine, Fly.io, Databricks, Serverless). */
export interface PlatformEntry {
  key: string;
  keyRange: Range;
  /** The whole entry (`KEY: value`, `KEY = value`, a list item): a quick fix removes its lines. */
  entryRange: Range;
  /** The value as written; absent when it is filled in elsewhere (a deploy script's `${SECRET_KEY}`, a resource, SSM). */
  value?: string;
  valueRange?: Range;
}

/** One `env_variables` (or `build_env_variables`) entry of an App Engine service's file. */
export type AppEngineEntry = PlatformEntry;

/** A Google App Engine service's file (`app.yaml`, or any name by content; parse/appEngine.ts). */
export interface AppEngineModel {
  uri: string;
  kind: 'app-engine';
  /** `service:` (legacy `module:`), else `default`. */
  service: string;
  /** `runtime:`, lower-cased (`python312`, `python27`, `custom`); empty in an included file. */
  runtime: string;
  runtimeRange: Range;
  /** `env: flex`: the flexible environment. */
  flexible: boolean;
  entries: AppEngineEntry[];
  /** `build_env_variables`: only the build sees them. */
  buildEntries: AppEngineEntry[];
  /** The `env_variables` key, where what the runtime sets is placed. */
  envRange?: Range;
  /** `includes`: other files whose directives (their `env_variables` too) are merged in. */
  includes: { path: string; range: Range }[];
  /** No `runtime`: a file of directives a service's `includes` names (often git-ignored secrets). */
  included?: boolean;
  templated?: boolean;
  errors: ParseError[];
}

/** One `[env]` (or `[build.args]`) entry of a fly.toml. */
export type FlyEnvEntry = PlatformEntry;

/** A Fly.io app's `fly.toml` (parse/flyToml.ts). */
export interface FlyTomlModel {
  uri: string;
  kind: 'fly';
  /** `app = "…"`: the Fly app's name. */
  app?: string;
  /** `primary_region` is set (Fly then sets PRIMARY_REGION). */
  primaryRegion?: boolean;
  /** `[env]`: set in every Machine. */
  entries: FlyEnvEntry[];
  /** `[build.args]`: only the image build sees them. */
  buildArgs: FlyEnvEntry[];
  /** The file was not read (not TOML, too large): what it sets is unknown. */
  unread?: boolean;
  errors: ParseError[];
}

/** One `env` entry of a Databricks app's app.yaml: a literal `value`, or `valueFrom` a resource. */
export interface DatabricksEnvEntry extends PlatformEntry {
  /** `valueFrom`: the key of the app's resource (a secret, a SQL warehouse…) whose value Databricks fills in. */
  from?: string;
}

/** A Databricks app's `app.yaml` (parse/databricksApp.ts). */
export interface DatabricksAppModel {
  uri: string;
  kind: 'databricks-app';
  entries: DatabricksEnvEntry[];
  /** The `env` key, where what the platform sets is placed. */
  envRange?: Range;
  templated?: boolean;
  errors: ParseError[];
}

/** One environment entry of a Lambda function's (serverless.yml, a SAM template): every function's (the provider's, Globals') or one function's. */
export interface LambdaEnvEntry extends PlatformEntry {
  /** Where a value not written here comes from (`SSM parameter /app/key`, `CloudFormation, when deploying`). */
  from?: string;
  /** The function whose `environment` holds it; absent: `provider.environment` (every function's). */
  fn?: string;
  /** An ECS container's `secrets` item: its value is filled in from `from` when the task starts. */
  secret?: boolean;
}

/** A Serverless Framework service's `serverless.yml` (parse/serverless.ts). */
export interface ServerlessModel {
  uri: string;
  kind: 'serverless';
  /** `service:` (absent when a variable). */
  service?: string;
  /** The provider's runtime, then each function's own (`python3.12`, `nodejs20.x`; `image`: a container image function); empty: the Framework's default, Node.js. */
  runtimes: string[];
  entries: LambdaEnvEntry[];
  /** The `provider` key, and its `environment` key when there is one: where what Lambda sets is placed. */
  providerRange: Range;
  envRange?: Range;
  /** Why part of the functions' environment cannot be read here (a variable, a plugin); empty: all of it is in the file. */
  unknown: string[];
  templated?: boolean;
  errors: ParseError[];
}

/** One Lambda function of a SAM template (`AWS::Serverless::Function`, `AWS::Lambda::Function`). */
export interface SamFunction {
  /** The resource's logical id. */
  id: string;
  idRange: Range;
  /** `Runtime`, lower-cased (absent: Globals', or an image's). */
  runtime?: string;
  /** `PackageType: Image`: a container image function. */
  image?: boolean;
  /** `CodeUri`: the folder of its code, from the template's (a file's folder; absent: the template's folder). */
  codeUri?: string;
  /** Its code is not a local folder (S3, an archive, `InlineCode`, a Lambda::Function's `Code`): no app's. */
  codeElsewhere?: boolean;
  /** Its own `Environment.Variables` (`fn` is its id). */
  entries: LambdaEnvEntry[];
  /** Why its environment cannot be read here (a CloudFormation function in its place). */
  unknown?: string;
}

/** An AWS SAM template (parse/samTemplate.ts): any YAML file with SAM's `Transform`. */
export interface SamTemplateModel {
  uri: string;
  kind: 'sam';
  /** `Globals.Function.Environment.Variables`: every function's. */
  globals: LambdaEnvEntry[];
  /** `Globals.Function.Runtime`. */
  globalsRuntime?: string;
  /** The `Function` key of `Globals`. */
  globalsRange?: Range;
  globalsUnknown?: string;
  functions: SamFunction[];
  templated?: boolean;
  errors: ParseError[];
}

/** A Lambda function an AWS CDK stack in Python declares (parse/pythonCdk.ts). */
export interface CdkFunction {
  /** The construct's id (`"OrdersFunction"`), else the name it is bound to. */
  id: string;
  idRange: Range;
  /** `python` (a Python runtime, PythonFunction), `other` (Node.js, Java…); absent: not said (an image). */
  runtime?: 'python' | 'other';
  /** Its code's folder: from the module's folder (`file`) or the CDK app's (`cwd`: where cdk.json is); an ECS container's image's build folder. */
  code?: { base: 'file' | 'cwd'; path: string };
  /** An ECS container (`add_container`, `ContainerDefinition`, an `ecs_patterns` service's image options), not a Lambda function. */
  ecs?: true;
  /** An ECS container's registry image (`ContainerImage.from_registry("redis")`) as k8sManifest.ts imageName leaves it. */
  image?: string;
  /** Its code is no folder Orchard can find (S3, inline, a computed path). */
  codeElsewhere?: boolean;
  /** `environment={…}` and `add_environment` entries (`fn` is its id). */
  entries: LambdaEnvEntry[];
  envRange?: Range;
  /** Why its environment cannot be read whole here. */
  unknown?: string;
}

/** A Lambda function of a Terraform file: an `aws_lambda_function` resource, or a terraform-aws-modules/lambda module. */
export interface TerraformFunction {
  /** The resource's or the module's name. */
  id: string;
  idRange: Range;
  /** A terraform-aws-modules/lambda module (`environment_variables`, `source_path`). */
  module?: boolean;
  /** `runtime`, lower-cased; `${…}` when an expression gives it; absent or empty: not said. */
  runtime?: string;
  /** The `data "archive_file"` its `filename` (or `source_code_hash`) names. */
  archive?: string;
  /** Its `filename` as written when it names no archive: an archive's `output_path`, or a zip built elsewhere. */
  output?: string;
  /** The module's `source_path` (a folder or a file), from the file's folder. */
  sourcePath?: string;
  /** Its code is no local folder (S3, an image, a computed path, a prebuilt package). */
  codeElsewhere?: boolean;
  /** Its environment's variables (`fn` is its id). */
  entries: LambdaEnvEntry[];
  /** The `environment` block, and the `variables` (the module's `environment_variables`) value. */
  envRange?: Range;
  varsRange?: Range;
  /** Why its environment cannot be read whole here. */
  unknown?: string;
}

/** A `data "archive_file"` of a Terraform file: the folder or file it zips (from the file's folder). */
export interface TerraformArchive {
  name: string;
  dir?: string;
  file?: string;
  output?: string;
  /** Its content is given inline or by an expression: no folder of the workspace. */
  elsewhere?: boolean;
}

/** An `aws_ecs_task_definition` resource of a Terraform file (parse/terraformEcs.ts). */
export interface TerraformTask {
  /** The resource's name. */
  id: string;
  idRange: Range;
  /** `family`, when a plain literal name. */
  family?: string;
  /** Its containers, as an ECS task definition file's (places in the .tf file). */
  containers: EcsContainer[];
  /** Why its containers cannot be read (whole) here: computed by Terraform, rendered from a file. */
  unknown?: string;
  /** How `container_definitions` is written: HCL objects (`jsonencode`) or JSON text (a heredoc, a quoted string). */
  form?: 'hcl' | 'json';
  /** A heredoc's JSON: where it is in the file. */
  jsonRange?: Range;
  /** The file it renders them from (`file(…)`, `templatefile(…)`), from the Terraform file's folder. */
  renders?: string;
  /** The `template_file` data source it renders them with (`data.template_file.<name>.rendered`). */
  template?: string;
  /** Container definition modules of its folder whose output is among its containers (`module.web.json_map_object`). */
  modules?: string[];
  /** Locals of its folder whose containers are among its (`jsonencode(local.containers)`, `[local.web]`). */
  locals?: string[];
}

/** A `locals` value that is container definitions (a list of them, or one): the containers, for the task that names it. */
export interface TerraformContainerLocal {
  name: string;
  containers: EcsContainer[];
}

/** A container definition module (`terraform-aws-modules/ecs/aws//modules/container-definition`, `cloudposse/ecs-container-definition/aws`): the container it defines, for the task that names it. */
export interface TerraformContainerModule {
  name: string;
  container: EcsContainer;
}

/** A `data "template_file"` of a Terraform file: the file its `template` reads (`file(…)`), from the file's folder. */
export interface TerraformTemplate {
  name: string;
  file?: string;
}

/** A Terraform file's Lambda functions and archives (parse/terraform.ts) and ECS task definitions (parse/terraformEcs.ts). */
export interface TerraformModel {
  uri: string;
  kind: 'terraform';
  functions: TerraformFunction[];
  archives: TerraformArchive[];
  tasks: TerraformTask[];
  /** Its `template_file` data sources (a task may name one declared in another file of the folder). */
  templates?: TerraformTemplate[];
  /** Its container definition modules (a task may name one declared in another file of the folder). */
  containerModules?: TerraformContainerModule[];
  /** Its locals that are container definitions (a task may name one declared in another file of the folder). */
  containerLocals?: TerraformContainerLocal[];
  /** The grammar met syntax it cannot read: what was read may be partial. */
  unreadable?: boolean;
  errors: ParseError[];
}

/** One stage of a zappa_settings.json (`dev`, `production`): its own keys, before `extends` is applied. */
export interface ZappaStage {
  name: string;
  nameRange: Range;
  /** It holds one of Zappa's keys (not a stray object). */
  zappa: boolean;
  /** `extends`: the stage whose settings this one starts from (its own keys win, whole). */
  extends?: string;
  /** `environment_variables` (set in os.environ by Zappa's handler); absent: not its own. */
  env?: PlatformEntry[];
  /** `aws_environment_variables` (the function's own environment); absent: not its own. */
  awsEnv?: PlatformEntry[];
  /** `remote_env` / `remote_env_bucket` + `remote_env_file`: more variables from S3 at start. */
  remoteEnv?: boolean;
  /** `project_name` (Zappa sets PROJECT). */
  project?: string;
  /** `django_settings` (Zappa sets DJANGO_SETTINGS_MODULE). */
  djangoSettings?: string;
}

/** Zappa's `zappa_settings.json` (parse/zappaSettings.ts). */
export interface ZappaSettingsModel {
  uri: string;
  kind: 'zappa';
  stages: ZappaStage[];
  errors: ParseError[];
}

/** One stage of a Chalice project (`stages.<name>` of `.chalice/config.json`). */
export interface ChaliceStage {
  name: string;
  nameRange: Range;
  /** Its own `environment_variables` (merged over the top-level ones). */
  env?: PlatformEntry[];
  /** `lambda_functions.<fn>.environment_variables` of the stage (merged over the stage's, for that function). */
  functions: { name: string; env: PlatformEntry[] }[];
}

/** AWS Chalice's `.chalice/config.json` (parse/chaliceConfig.ts). */
export interface ChaliceConfigModel {
  uri: string;
  kind: 'chalice';
  /** A template of config.json (`config_template.json`), not the file Chalice reads. */
  template?: boolean;
  appName?: string;
  /** Top-level `environment_variables`: every stage's. */
  env?: PlatformEntry[];
  /** `stages`; none: Chalice deploys `dev` from the top-level settings. */
  stages: ChaliceStage[];
  errors: ParseError[];
}

/** One container of an ECS task definition. */
export interface EcsContainer {
  name: string;
  nameRange: Range;
  /** `image` as parse/k8sManifest.ts imageName leaves it: no registry, tag or digest, lower-cased (`shop`, `postgres`). */
  image: string;
  /** `environment` (a value) and `secrets` (`from`: the SSM parameter or Secrets Manager secret). */
  entries: LambdaEnvEntry[];
  /** `environmentFiles`: variables from files in S3, not in the workspace. */
  environmentFiles?: boolean;
  /** Why its environment cannot be read whole here (Terraform computes a list). */
  unknown?: string;
  /** A Terraform `jsonencode` container's `environment` and `secrets` lists (`[ … ]`): where a quick fix adds an entry. */
  envList?: Range;
  secretsList?: Range;
}

/** An Amazon ECS task definition (parse/ecsTaskDef.ts): any JSON file with `containerDefinitions`. */
export interface EcsTaskDefModel {
  uri: string;
  kind: 'ecs';
  family?: string;
  containers: EcsContainer[];
  /** Not JSON until a deploy step fills its template slots in (`"cpu": ${CPU}`). */
  templated?: boolean;
  /** Container definitions a Terraform file renders (parseEcsContainerFile): the containers of the task that names the file, not a source of their own. */
  fragment?: boolean;
  errors: ParseError[];
}
