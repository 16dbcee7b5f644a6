// The workspace index: which services exist, what each declares, and where.
import type { FigDecl, FigKind, FiggyJsonModel, FigStoreClass, PythonConfigModel, Range, SecretsJsonModel } from '../parse/types';

/** Where something is written: a file and a range in it. */
export interface SourceRef {
  uri: string;
  range: Range;
}

export type ExpectedOrigin =
  | 'app' // AppFig / app_figs
  | 'shared' // SharedFig / shared_figs
  | 'replicated' // ReplicatedFig / replicate_figs destination
  | 'merged' // MergeFig / merged_figs destination
  | 'merge-ref' // a merge reference under the twig
  | 'replicate-from'; // replicate_from.parameters

/** One parameter the service expects to exist in every environment. */
export interface ExpectedParam {
  /** Full SSM path. */
  path: string;
  origin: ExpectedOrigin;
  /** Replication source for `replicated` (and `replicate-from`). */
  source?: string;
  /** Where it is declared; config.py first when both declare it. */
  declaredAt: SourceRef[];
  /** config.py attribute, when declared there. */
  attr?: string;
  kind?: FigKind;
  /** Environment-override variable name (figgy-lib). */
  envVar?: string;
  /** Merged values are always SecureString; SharedFigs usually carry secrets. */
  likelySecret: boolean;
}

export interface ServiceConfigPy {
  model: PythonConfigModel;
  cls: FigStoreClass;
}

export interface Service {
  /** Stable id: the twig when known, else the declaring file's uri. */
  id: string;
  twig?: string;
  /** Root folder of the service (the folder tree config.py and figgy.json share). */
  root: string;
  configPy?: ServiceConfigPy;
  /** The figgy.json that belongs to this service, with its imports already merged. */
  figgyJson?: FiggyJsonModel;
  /** figgy-secrets.json files whose destinations fall under this service's twig. */
  secrets: SecretsJsonModel[];
  /** Everything the service expects to exist, keyed by full path. */
  expected: Map<string, ExpectedParam>;
}

export interface WorkspaceModel {
  services: Service[];
  /** Twelve-factor apps: reads and sources of environment variables (empty in a Figgy-only workspace). */
  apps?: App[];
  /** The source files of apps: charms, `.env`, compose and Helm values files. */
  envFiles?: EnvFiles;
  /** Plaintext credentials per scanned file (CI files, sources, settings). */
  credentials?: FileCredentials[];
  /** Fingerprints of credentials the user accepted (`orchard check --write-baseline`). */
  credentialBaseline?: ReadonlySet<string>;
  /**
   * What git says of files that matter for secrets (local override files, `.env*`): committed
   * (`tracked`), covered by `.gitignore` (`ignored`) or neither. Absent outside a git work tree.
   */
  gitStatus?: ReadonlyMap<string, 'tracked' | 'ignored' | 'untracked'>;
  /** The workspace folders (uris) the model was built from. */
  roots?: string[];
  /** Every parsed Python file (also those without FigStore classes, for the lazy_load rule). */
  pythonFiles: PythonConfigModel[];
  figgyJsonFiles: FiggyJsonModel[];
  secretsFiles: SecretsJsonModel[];
}

export type { FigDecl };

// ---------------------------------------------------------------------------------------------
// Apps and their variables (twelve-factor): who reads an environment variable, who provides it.

/** Where a source's variables come from; one app can have several sources (charm, .env, compose, Helm, a Dockerfile's ENV, Heroku's app.json, a Render service, a DigitalOcean app spec's component). */
export type SourceKind = 'charm' | 'dotenv' | 'compose' | 'helm' | 'dockerfile' | 'heroku' | 'render' | 'digitalocean' | 'kubernetes' | 'app-engine' | 'fly' | 'databricks' | 'serverless' | 'sam' | 'zappa' | 'chalice' | 'ecs' | 'terraform' | 'cdk' | 'code';

/** One variable (or, for a secret option, a family `PREFIX_OPTION_<KEY>`) a source provides. */
export interface ProvidedVar {
  /** Exact name; for a family, the prefix every member starts with. */
  name: string;
  /** A family: any `name + KEY` where KEY is an upper-cased Juju secret key. */
  family?: boolean;
  /** Where the user changes it: the option entry, the `.env` key, the compose / values key. */
  uri: string;
  range: Range;
  /** The whole entry (an option's block, a `.env` line), for edits that remove it. */
  entryRange?: Range;
  /** Literal value when the source holds one (never printed for sensitive names). */
  value?: string | null;
  valueRange?: Range;
  sensitive: boolean;
  /** One line for hovers and the tree: `option credentials (secret), one variable per key`. */
  detail: string;
  /** Written by the user (an option, an entry), so "nothing reads it" is worth saying; built-ins are not. */
  userDefined: boolean;
  /** paas-charm provenance, when the charm provides it. */
  charm?: { option?: string; optionType?: string; endpoint?: string; builtin?: boolean; secretKeys?: boolean; readByCharm?: boolean };
}

export interface AppSource {
  /** Stable within the app: `charm`, `dotenv:<uri>`, `compose:<uri>#<service>`, `helm:<uri>`, `dockerfile:<uri>`, `heroku:<uri>`, `render:<uri>#<service>`, `do:<uri>#<component>`, `k8s:<uri>#<workload>/<container>`, `gae:<uri>`, `fly:<uri>`, `databricks:<uri>`, `sls:<uri>`, `sam:<uri>#<code folder>`, `zappa:<uri>#<stage>`, `chalice:<uri>#<stage>`, `ecs:<uri>#<container>`, `tf:<uri>#<code folder>`, `cdk:<uri>#<code folder>`, `code`. */
  id: string;
  kind: SourceKind;
  /** Short label for the tree and the matrix (`charm`, `.env`, `compose web`, `values.yaml`). */
  label: string;
  uri: string;
  provides: ProvidedVar[];
  /** False when the source may provide names Orchard cannot see (template syntax, charm code that builds the environment...). */
  complete: boolean;
  incompleteReason?: string;
  /** Variables it sets for the build only (a DigitalOcean `scope: BUILD_TIME`, App Engine's `build_env_variables`, Fly's `[build.args]`): the running app does not get them. */
  buildOnly?: { name: string; range: Range }[];
}

/** One read of a variable by the app's code, with its name resolved. */
export interface AppRead {
  uri: string;
  name: string;
  read: import('../parse/envTypes').PyEnvRead;
  sensitive: boolean;
}

export interface App {
  /** Stable id: the root folder uri. */
  id: string;
  /** Folder name (or charm name) for display. */
  label: string;
  /** Root folder uri. */
  root: string;
  /** How the boundary was found. */
  kind: 'charm' | 'compose' | 'folder' | 'configured';
  /** paas-charm framework of the app's charm, when it has one. */
  framework?: import('../parse/envTypes').CharmFramework;
  /** The charm's files (charmcraft.yaml, or config.yaml + metadata.yaml). */
  charm?: import('../parse/envTypes').CharmModel[];
  /** What paas-charm makes of the charm: variables, skipped options, collisions, notes. */
  charmEnv?: import('./paasCharm').CharmEnvironment;
  /** Python files of the app (charm code excluded). */
  pythonUris: string[];
  /** Files of the app in languages whose reads Orchard does not follow (an entrypoint.sh, a Node service). */
  otherCodeUris?: string[];
  /** Prefixes of the Flask config loads from the environment (`config.from_prefixed_env()`), when any. */
  flaskPrefixes?: string[];
  reads: AppRead[];
  sources: AppSource[];
  /** Reads whose names are not known statically, or the whole environment handed on: "unused" cannot be told. */
  opaque: { uri: string; range: Range }[];
  /** Values of variables (or the whole environment) passed to print / logging, names resolved. */
  logged: { uri: string; logged: import('../parse/envTypes').PyLogged; names: string[] }[];
}

export interface EnvFiles {
  charms: import('../parse/envTypes').CharmModel[];
  dotenv: import('../parse/envTypes').DotenvModel[];
  compose: import('../parse/envTypes').ComposeModel[];
  helm: import('../parse/envTypes').HelmValuesModel[];
  /** Dockerfiles: the ENV of the image each builds (absent: none). */
  dockerfiles?: import('../parse/envTypes').DockerfileModel[];
  /** Heroku's app.json manifests (absent: none). */
  appJson?: import('../parse/envTypes').AppJsonModel[];
  /** Render Blueprints (absent: none). */
  render?: import('../parse/envTypes').RenderBlueprintModel[];
  /** DigitalOcean App Platform specs (absent: none). */
  doApp?: import('../parse/envTypes').DoAppSpecModel[];
  /** Kubernetes manifests: workloads, ConfigMaps, Secrets (absent: none). */
  k8s?: import('../parse/envTypes').K8sManifestModel[];
  /** Google App Engine services' files (absent: none). */
  appEngine?: import('../parse/envTypes').AppEngineModel[];
  /** Fly.io apps' fly.toml (absent: none). */
  fly?: import('../parse/envTypes').FlyTomlModel[];
  /** Databricks apps' app.yaml (absent: none). */
  databricksApp?: import('../parse/envTypes').DatabricksAppModel[];
  /** Serverless Framework services' serverless.yml (absent: none). */
  serverless?: import('../parse/envTypes').ServerlessModel[];
  /** AWS SAM templates (absent: none). */
  sam?: import('../parse/envTypes').SamTemplateModel[];
  /** Zappa's zappa_settings.json (absent: none). */
  zappa?: import('../parse/envTypes').ZappaSettingsModel[];
  /** AWS Chalice projects' .chalice/config.json (absent: none). */
  chalice?: import('../parse/envTypes').ChaliceConfigModel[];
  /** Amazon ECS task definitions (absent: none). */
  ecs?: import('../parse/envTypes').EcsTaskDefModel[];
  /** Terraform files declaring Lambda functions or archives (absent: none). */
  terraform?: import('../parse/envTypes').TerraformModel[];
  /** Source files in other languages than Python (shell, JS/TS, Go, Ruby…): code Orchard does not read for variables. */
  code?: string[];
  /** Files of Helm charts' `templates/` folders: their containers' environment and named templates (absent: none). */
  helmTemplates?: import('../parse/envTypes').HelmTemplateModel[];
  /** Folders holding a Helm chart's `Chart.yaml`: their templates (helmTemplates) and values files make the chart's environment. */
  charts?: string[];
}

/**
 * The lists of EnvFiles that hold one model per file (in the order the parse-error rule reports
 * them): what an edit of one file swaps in place (model/patch.ts, lsp/workspaceBuild.ts).
 */
export const ENV_LISTS = ['charms', 'dotenv', 'compose', 'helm', 'dockerfiles', 'appJson', 'render', 'doApp', 'k8s', 'appEngine', 'fly', 'databricksApp', 'serverless', 'sam', 'zappa', 'chalice', 'ecs', 'terraform', 'helmTemplates'] as const;
export type EnvListName = (typeof ENV_LISTS)[number];
/** The model one of those lists holds. */
export type EnvListModel<K extends EnvListName = EnvListName> = NonNullable<EnvFiles[K]>[number];

/** What the credential scanner found in one file (and whether git would commit it). */
export interface FileCredentials {
  uri: string;
  findings: import('../parse/envTypes').CredentialFinding[];
  /** Skipped-file notices (binary, too large). */
  notices: import('../parse/types').ParseError[];
}
