// Facts about environment variables, as the parsers read them from single files. The model layer
// (`model/apps.ts`) joins them into apps: the variables each app READS (Python code) and the ones
// each SOURCE PROVIDES to it (charm options, `.env`, compose, Helm values, code that writes
// `os.environ`, Figgy override variables). Pure data with ranges, like `types.ts`.
import type { Located, ParseError, Range } from './types';

// ---------------------------------------------------------------------------------------------
// Python: what a module reads from (and writes to) the environment

/** How a read's value is parsed by the code (a wrapper call, a typed getter, a field type). */
export type ValueParse = 'str' | 'int' | 'float' | 'bool' | 'json' | 'list' | 'dict' | 'url' | 'path' | 'unknown';

/**
 * A variable name as the code builds it. `name` is set when the whole name is known from this file
 * (a literal, a module constant, an f-string of constants). Otherwise `parts` keeps what depends on
 * identifiers imported from other modules, for the model to resolve; neither → dynamic.
 */
export interface EnvName {
  name?: string;
  parts?: EnvNamePart[];
  /** Where the name is written (the string literal, the constant, the field name). */
  range: Range;
}

export type EnvNamePart =
  | { kind: 'lit'; value: string }
  /**
   * An identifier bound in this module by an import (`from .names import DB_VAR`), or an attribute of
   * an imported module written dotted (`names.DB_VAR` after `import app.names as names`). Unbound
   * UPPER_SNAKE names in a module with a star import (`from .base import *`) are kept this way too.
   */
  | { kind: 'import'; local: string };

/** How a read was written; decides requiredness and what hovers explain. */
export type ReadVia =
  | 'environ-subscript' // os.environ["X"]
  | 'environ-get' // os.environ.get("X", d)
  | 'getenv' // os.getenv("X", d)
  | 'contains' // "X" in os.environ
  | 'setdefault' // os.environ.setdefault("X", d)
  | 'helper' // a workspace function that passes its argument to a read
  | 'flask-config' // app.config["X"] after app.config.from_prefixed_env()
  | 'pydantic' // a BaseSettings field
  | 'django-environ' // env("X"), env.bool("X"), env.db()
  | 'library' // a library call that reads a fixed variable (dj_database_url.config() → DATABASE_URL)
  | 'figgy'; // figgy-lib's environment override of a Fig (joined in by the model, never parsed)

export interface PyEnvRead {
  name: EnvName;
  /** The whole read expression (e.g. the `os.environ.get(...)` call, the field statement). */
  range: Range;
  via: ReadVia;
  /** True when a missing variable fails at run time (KeyError, ImproperlyConfigured, ValidationError). */
  required: boolean;
  /** The default expression when one is given (`None` counts as a default for optional reads). */
  default?: { text: string; value?: string | null; range: Range };
  parse: ValueParse;
  /** pydantic-settings matches names case-insensitively unless `case_sensitive=True`. */
  caseInsensitive?: boolean;
  /** Helper reads: the helper's name and where it is defined (filled in by the model). */
  helper?: string;
  /** For Flask config reads: the config key as written (`TOKEN` for `FLASK_TOKEN`). */
  configKey?: string;
  /** For pydantic fields: class and field name (hover), and whether the field type is a secret type. */
  field?: { className: string; field: string; secretType: boolean };
  /**
   * A pydantic field the module's own call of its settings class passes in (`AppSettings(SECRET=…)`,
   * or `**values`, which may hold any field): where that call is. Such a read is not required.
   */
  passedIn?: Range;
  /**
   * Other names that provide the same setting: the read is satisfied when any of them is provided
   * (pydantic `AliasChoices`, a nested model's `PARENT__CHILD` variables and the parent's JSON
   * variable, django-environ `FileAwareEnv`'s `X_FILE`). Each name also has its own read. With
   * alternatives, `required` means the setting fails when none of them is provided: a consumer
   * must not report this name missing while an alternative is provided.
   */
  alternatives?: EnvName[];
  /**
   * A required read inside `if "FEATURE_TOKEN" in os.environ:` (a presence test of other names):
   * required only when one of these is set. A consumer must not report it missing while no source
   * provides any of them (the feature may be off everywhere).
   */
  requiredWhen?: string[];
  /** The code keeps the value as a secret (starlette's `cast=Secret`), whatever its name. */
  secret?: boolean;
  /** django-configurations: the class attribute the value is bound to (`SECRET_KEY` of `class Build(Base)`). */
  setting?: { cls: string; attr: string };
  /**
   * Its default reaches only development, test or build configurations: the class is named so
   * (`Development`, `Test`, `Build`…), or every other class of the module that inherits the
   * setting sets it again (`Production.SECRET_KEY = values.SecretValue()`).
   */
  devOnly?: true;
}

/** `os.environ["X"] = v`, `os.environ.update(X=v)`, `os.putenv`: the code provides X itself. */
export interface PyEnvWrite {
  name: EnvName;
  range: Range;
  /** Literal value written, when it is one (for the placeholder / plaintext checks). */
  value?: Located<string>;
}

/**
 * A function defined in this module whose parameter reaches a read: `def get_env(name, default=None):
 * return os.environ.get(name, default)`. Calls of it anywhere in the workspace become reads.
 */
export interface EnvHelperDef {
  name: string;
  /** Dotted for methods: `Settings.get`; module-level functions have no dot. */
  qualifiedName: string;
  range: Range;
  /**
   * What reading the variable named by the argument at `param` does; several for `X` and `X_FILE`.
   * `param` counts call-site positional arguments (a method's `self` / `cls` is not counted);
   * `via` is the read form inside the helper (the model reports such reads as `helper`).
   */
  reads: {
    param: number;
    paramName: string;
    prefix: string;
    suffix: string;
    via: ReadVia;
    required: boolean;
    parse: ValueParse;
    /** Index of the parameter that carries the default, if any. */
    defaultParam?: number;
  }[];
  /**
   * A reader object bound at module level (`env = environ.Env()`), for the modules that import it:
   * its library, whose getters (`env.bool("X")`) read like a call of it, each with its own default
   * position and parse (pythonEnvLibs.ts `readerMethod`).
   */
  methods?: 'django-environ' | 'environs' | 'envparse' | 'dynaconf';
  /** Names the object itself gives a default (django-environ's scheme): their reads are never required. */
  optionalNames?: readonly string[];
}

/** A call that may be a helper call: the callee as written and its arguments that may be names. */
export interface PyCandidateCall {
  /** `get_env_variable`, `utils.get_env_variable`, `env_adapter.bool`. */
  callee: string;
  range: Range;
  /** Positional arguments that are names (literal / constant / imported), by position. */
  args: { index: number; name: EnvName }[];
  /** Keyword arguments given (names only), to know whether a default was passed. */
  keywords: string[];
  /** Number of positional arguments. */
  argCount: number;
  /** The type wrapper around the call (`int(...)`, `json.loads(...)`), when there is one. */
  parse: ValueParse;
  /**
   * Presence tests around the call, as for a read made here: names proven set (`if "X" in
   * os.environ:`; `*` when a `try:` handles any missing variable) and the feature switches it is under.
   */
  guards?: string[];
  requiredWhen?: string[];
}

/** `from X import a as b` / `import X.Y as Z`; the model resolves constants and helpers through these. */
export interface PyImport {
  /** Module as written, with leading dots for relative imports (`.settings`, `..names`). */
  module: string;
  /** Imported names (`from` form); empty for `import X`. */
  names: { name: string; local: string }[];
  /** `import X.Y as Z`: Z (or X when there is no alias). */
  local?: string;
  range: Range;
}

/**
 * A module-level string constant, evaluated statically (`PREFIX = "APP_"`, `DB_VAR = "A" + "B"`);
 * only unconditional assignments whose value is known in this file. `range` is the assigned name.
 */
export interface PyConst {
  name: string;
  value: string;
  range: Range;
}

/** `app.config.from_prefixed_env(prefix="FLASK")`: the config object and the variable prefix it loads. */
export interface FlaskPrefixedEnv {
  /** The config expression as written (`app.config`, `self.app.config`). */
  config: string;
  /** The prefix argument as Flask takes it, without the `_` it appends (`FLASK`: variables `FLASK_*`). */
  prefix: string;
  range: Range;
}

/** `app.config["X"]`, `app.config.get("X")`: maps to `PREFIX_X` only when from_prefixed_env runs. */
export interface FlaskConfigRead {
  config: string;
  key: string;
  keyRange: Range;
  range: Range;
  required: boolean;
  default?: { text: string; range: Range };
}

/** A secret value (or the whole environment) passed to print/logging. */
export interface PyLogged {
  range: Range;
  /**
   * Variables whose values reach the call (directly or through a local or module name bound to a
   * read) and that are sensitive by name (`isSensitiveEnvName`, deliberately broad) or not resolved in this file (import
   * parts, for the model to judge). A log call reached only by non-sensitive values is not recorded.
   */
  names: EnvName[];
  /** `print(os.environ)`, `logger.info(dict(os.environ))`, `pprint(os.environ.items())`. */
  wholeEnvironment: boolean;
  /** The call as written (`logger.info`, `print`), for messages. */
  callee: string;
  /** Argument expressions (or f-string interpolations) carrying a sensitive value: where `bool(...)` goes. */
  wrap?: Range[];
}

export interface PythonEnvFacts {
  reads: PyEnvRead[];
  writes: PyEnvWrite[];
  helpers: EnvHelperDef[];
  calls: PyCandidateCall[];
  imports: PyImport[];
  consts: PyConst[];
  flaskPrefixed: FlaskPrefixedEnv[];
  flaskConfigReads: FlaskConfigRead[];
  /** Keys the code assigns on a Flask config (`app.config["X"] = …`, `update(X=…)`, `from_mapping`): not env reads. */
  flaskConfigWrites: string[];
  /**
   * `app.config.from_object(…)`, `from_pyfile`, `from_file`, `from_envvar`: the config takes keys
   * from an object or file Orchard does not read, so any key may be set there.
   */
  flaskConfigLoads: Range[];
  /**
   * canonicalwebteam.flask_base's `FlaskBase(...)`: it copies every `FLASK_X` variable to `X` when
   * the app is made (load_plain_env_variables), so a read of `X` anywhere in the app is satisfied by
   * `FLASK_X` too (paas-charm's Flask option variables).
   */
  flaskPlainEnv: Range[];
  logged: PyLogged[];
  /** Reads whose name cannot be known statically (`os.environ[name]` with a run-time name). */
  dynamicReads: Range[];
  /**
   * Writes whose name cannot be known statically (`os.environ[key] = v`, `os.environ.setdefault(key, v)`
   * in a loop): the code may provide any variable, so what it provides is not fully known.
   */
  dynamicWrites: Range[];
  /** The whole environment is handed on (`subprocess.run(env=os.environ)`, `dict(os.environ)`): anything may be read. */
  passesWholeEnvironment: Range[];
  /** `load_dotenv(...)` / `read_env(...)` calls: the app loads a `.env` itself. */
  loadsDotenv: { range: Range; path?: string }[];
  /**
   * The module's pydantic settings classes at module level, for modules that import them
   * (model/appReads.ts ModuleIndex.settingsBase): the name, a static `env_prefix`, and for a class
   * whose settings base is imported, that base as written (`tentative`).
   */
  settingsClasses?: PySettingsClass[];
  /**
   * The reads of classes deriving from an imported class named `…Settings` (`class
   * AppSettings(BaseAppSettings)`, the base in another module): made only when the model finds
   * that base is a settings class of the workspace; the prefix of the base then applies unless
   * the class sets its own.
   */
  tentativeReads?: PyTentativeReads[];
}

export interface PySettingsClass {
  name: string;
  prefix?: string;
  tentative?: string;
}

export interface PyTentativeReads {
  /** The imported base as written (`BaseAppSettings`, `base.BaseAppSettings`). */
  base: string;
  /** The class's own config sets `env_prefix` (the base's does not apply). */
  ownPrefix: boolean;
  reads: PyEnvRead[];
  dynamic: Range[];
}

// ---------------------------------------------------------------------------------------------
// Sources of values

/** One `KEY=value` line of a `.env` file. */
export interface DotenvEntry {
  key: string;
  keyRange: Range;
  /** Unquoted, unescaped value as python-dotenv would read it; null for a bare `KEY` line. */
  value: string | null;
  valueRange?: Range;
  quote?: '"' | "'";
  exported: boolean;
  /** `${VAR}` / `${VAR:-default}` references inside the value (python-dotenv expands these). */
  refs: { name: string; range: Range }[];
  /** Whole line range. */
  range: Range;
  /** A trailing comment on the line (allow markers live there). */
  comment?: string;
}

export interface DotenvModel {
  uri: string;
  kind: 'dotenv';
  entries: DotenvEntry[];
  errors: ParseError[];
}

export type CharmOptionType = 'string' | 'int' | 'float' | 'boolean' | 'secret';

export interface CharmOption {
  name: string;
  nameRange: Range;
  /** The option's whole entry (key and body). */
  range: Range;
  type?: Located<string>;
  default?: { value: string | number | boolean | null; text: string; range: Range };
  optional?: Located<boolean>;
  description?: string;
}

export interface CharmEndpoint {
  name: string;
  nameRange: Range;
  interface?: string;
  optional?: boolean;
  range: Range;
}

export type CharmFramework = 'flask' | 'django' | 'fastapi' | 'go' | 'expressjs' | 'spring-boot';

/** charmcraft.yaml (or an expanded charm's config.yaml + metadata.yaml) as paas-charm reads it. */
export interface CharmModel {
  uri: string;
  kind: 'charm';
  /** Which file this is: the unified charmcraft.yaml, or a legacy config.yaml / metadata.yaml. */
  file: 'charmcraft' | 'config' | 'metadata';
  name?: Located;
  /** `extensions: [flask-framework]` entries as written. */
  extensions: Located[];
  framework?: { value: CharmFramework; range: Range; from: 'extension' | 'options' };
  options: CharmOption[];
  /** Range of the `config.options` (or config.yaml `options`) map key, for "add option" edits. */
  optionsRange?: Range;
  requires: CharmEndpoint[];
  requiresRange?: Range;
  errors: ParseError[];
}

export interface ComposeEnvEntry {
  key: string;
  keyRange: Range;
  /** null: `KEY` alone (passed through from the shell), undefined: not a scalar. */
  value?: string | null;
  valueRange?: Range;
}

export interface ComposeService {
  name: string;
  nameRange: Range;
  range: Range;
  /** `build: .` or `build: {context: ./app}` as written (relative to the compose file's folder). */
  buildContext?: Located;
  /** `build: {dockerfile: ...}` as written (relative to the build context). */
  dockerfile?: Located;
  /** `build: {target: ...}`: the Dockerfile stage the image is built from (default: the last). */
  target?: Located;
  image?: Located;
  envFiles: (Located & { required: boolean })[];
  environment: ComposeEnvEntry[];
}

export interface ComposeModel {
  uri: string;
  kind: 'compose';
  services: ComposeService[];
  /** `${VAR}` / `$VAR` interpolations anywhere in the file (compose reads these from `.env` / the shell). */
  interpolations: { name: string; range: Range; hasDefault: boolean; required: boolean }[];
  errors: ParseError[];
}

/** A Helm values entry that becomes an environment variable (or looks like one). */
export interface HelmEnvEntry {
  key: string;
  keyRange: Range;
  value?: string | null;
  valueRange?: Range;
  /** Path of map keys to the entry (`diffgramSecrets`, `env`, ...). */
  path: string[];
  /** Under a secret-looking section, or given through `valueFrom.secretKeyRef`. */
  secret: boolean;
  /** `valueFrom:` (a reference to a Secret / ConfigMap): provided, but no literal value here. */
  reference: boolean;
}

export interface HelmValuesModel {
  uri: string;
  kind: 'helm-values';
  entries: HelmEnvEntry[];
  /** Paths of the non-empty lists and maps (`env`, `config`, `envFrom`…): what a chart's template writes from them is not nothing. */
  filled?: string[];
  errors: ParseError[];
}

/** One variable a Dockerfile's `ENV` sets in the image it builds. */
export interface DockerfileEnvEntry {
  key: string;
  keyRange: Range;
  /** The value as the container sees it; undefined when it expands `$VAR` at build time. */
  value?: string;
  valueRange?: Range;
  /** The stage (`AS name`) whose instruction it is, when named. */
  stage?: string;
}

/** One `FROM` of a Dockerfile and the `ENV` settings that follow it, in order. */
export interface DockerfileStage {
  /** `AS name`, lower-cased (Docker compares stage names without case). */
  name?: string;
  /** The image or stage it starts from, lower-cased, as written (`base`, `python:3.12-slim`). */
  from: string;
  entries: DockerfileEnvEntry[];
}

export interface DockerfileModel {
  uri: string;
  kind: 'dockerfile';
  /** The final stage's variables (and those of the stages it is built on), last setting of each key. */
  entries: DockerfileEnvEntry[];
  /** Every stage, in order: a build with a target (compose `build.target`) takes another chain (parse/dockerfile.ts imageOf). */
  stages?: DockerfileStage[];
  /** The image the final stage starts from, through named stages, lower-cased, without registry, tag or digest (`python`, `keycloak/keycloak`). */
  baseImage?: string;
  /** The lines of every `ENV` and `ARG` instruction (continued lines and comments inside included), any stage. */
  settings?: { keyword: 'ENV' | 'ARG'; startLine: number; endLine: number }[];
  errors: ParseError[];
}

// The deployment platforms' manifests (Heroku's app.json, a Render Blueprint, a DigitalOcean app
// spec) live in platformTypes.ts.
export type * from './platformTypes';

// ---------------------------------------------------------------------------------------------
// Credentials found in a file (issue: plaintext credentials in CI files, settings and source)

export type CredentialSeverity = 'error' | 'warning' | 'info';

/**
 * One plaintext credential candidate that survived every safe-form filter. The secret itself is
 * never stored: only where it is, a 4-character preview and a fingerprint.
 */
export interface CredentialFinding {
  /** Detector id from the rules table (stable code suffix), e.g. `aws-access-key-id`. */
  detector: string;
  severity: CredentialSeverity;
  /** The secret's own range (what a fix replaces). */
  range: Range;
  /** The key / variable / option it is assigned to, when known (`AWS_SECRET_ACCESS_KEY`). */
  keyName?: string;
  keyRange?: Range;
  /** At most the first 4 characters and `…`. */
  preview: string;
  /** Stable across line moves: a hash over detector, key name and secret (not reversible to the secret). */
  fingerprint: string;
  /** Where in the file's structure it sits; decides the fix (`github-env`, `travis-env`, `dotenv`, `python`...). */
  context: string;
  /** Detector title for messages ("AWS access key id"). */
  title: string;
}
