// The file kinds of the twelve-factor and credential jobs: which parser a path calls for, and one
// dispatcher that turns a file's text into its facts (charm, `.env`, compose, Helm values, a
// Dockerfile's ENV, Heroku's app.json, a Render Blueprint, a DigitalOcean app spec) and the
// plaintext credentials it holds.
// Pure: callers read the text (model/scan.ts, the language server).
import type { AppJsonModel, CharmModel, ComposeModel, CredentialFinding, DoAppSpecModel, DockerfileModel, DotenvModel, HelmTemplateModel, HelmValuesModel, RenderBlueprintModel } from '../parse/envTypes';
import type { ParseError } from '../parse/types';
import { isMap, keyString, mapGet, mapPairs, parseYamlFile, type YamlFile } from '../parse/yaml';
import { parseDotenv } from '../parse/dotenv';
import { parseCharm } from '../parse/charm';
import { parseCompose } from '../parse/compose';
import { parseHelmValues } from '../parse/helmValues';
import { isHelmTemplatePath, readHelmTemplate } from '../parse/helmTemplate';
import { parseDockerfile } from '../parse/dockerfile';
import { appJsonAssignments, isAppJsonName, parseAppJson } from '../parse/herokuAppJson';
import { isRenderBlueprintName, parseRenderBlueprint } from '../parse/renderBlueprint';
import { isDoAppSpecPath, parseDoAppSpec } from '../parse/doAppSpec';
import { parseK8sManifests } from '../parse/k8sManifest';
import { parseAppEngine } from '../parse/appEngine';
import { parseDatabricksApp } from '../parse/databricksApp';
import { isFlyTomlName, parseFlyToml } from '../parse/flyToml';
import { isServerlessName, parseServerless } from '../parse/serverless';
import { parseSamTemplate } from '../parse/samTemplate';
import { isZappaSettingsName, parseZappaSettings } from '../parse/zappaSettings';
import { isChaliceConfigPath, parseChaliceConfig } from '../parse/chaliceConfig';
import { ecsAssignments, isContainerTemplateName, parseEcsContainerFile, parseEcsTaskDef } from '../parse/ecsTaskDef';
import { isTerraformPath, parseTerraform } from '../parse/terraform';
import type { AppEngineModel, DatabricksAppModel, FlyTomlModel, K8sManifestModel, ChaliceConfigModel, EcsTaskDefModel, SamTemplateModel, TerraformModel, ServerlessModel, ZappaSettingsModel } from '../parse/platformTypes';
import { classifyCredentialFile, inferCiFlavor, isEnvFolderFile, isGgshieldConfigName, isGithubSecretScanningPath, isGitleaksConfigName, isLockFile, isSecretsBaselineName, parseGgshieldConfig, parseGithubSecretScanning, parseGitleaksConfig, parseSecretsBaseline, scanCredentials, type CiFlavor, type CredentialAllow, type CredentialScanInput, type LineMemo } from '../parse/credentials';
import type { EnvListModel, EnvListName, FileCredentials } from './types';

export type EnvFileKind = 'charmcraft' | 'charm-config' | 'charm-metadata' | 'dotenv' | 'compose' | 'helm-values' | 'dockerfile' | 'app-json' | 'render' | 'do-app' | 'k8s' | 'app-engine' | 'databricks-app' | 'fly' | 'serverless' | 'sam' | 'zappa' | 'chalice' | 'ecs' | 'terraform' | 'helm-template' | 'ci' | 'source';

function norm(p: string): string {
  return p.replace(/\\/g, '/');
}

function baseOf(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** The twelve-factor / credential kind of a path, or undefined (Python files are `python`, handled by the Figgy side). */
export function classifyEnvFile(filePath: string): EnvFileKind | undefined {
  const p = norm(filePath);
  const b = baseOf(p);
  if (inferCiFlavor(p)) return 'ci';
  if (isDoAppSpecPath(p)) return 'do-app';
  if (b === 'charmcraft.yaml') return 'charmcraft';
  if (b === 'config.yaml') return 'charm-config';
  if (b === 'metadata.yaml') return 'charm-metadata';
  if (/^(docker-)?compose(\.[^/]+)?\.ya?ml$/.test(b) || COMPOSE_BY_CONTENT.test(b)) return 'compose';
  if (/^values([.-][^/]*)?\.ya?ml$/.test(b)) return 'helm-values';
  // The container definitions a Terraform file renders (`templates/task.json.tpl`): read by content.
  if (isContainerTemplateName(b)) return 'source';
  // A chart's named templates (`_helpers.tpl`): read for the `define`s its templates include.
  if (/\.tpl$/i.test(b) && isHelmTemplatePath(p)) return 'helm-template';
  if (isDockerfileName(b)) return 'dockerfile';
  if (isAppJsonName(b)) return 'app-json';
  if (isRenderBlueprintName(b)) return 'render';
  if (isFlyTomlName(b)) return 'fly';
  if (isServerlessName(b)) return 'serverless';
  if (isZappaSettingsName(b)) return 'zappa';
  if (isChaliceConfigPath(p)) return 'chalice';
  const c = classifyCredentialFile(p);
  if (!c || c.kind === 'python') return undefined;
  return c.kind === 'dotenv' ? 'dotenv' : 'source';
}

/**
 * Names compose files have had in projects made from cookiecutter-django before 2023 (`local.yml`,
 * `production.yml`, `docs.yml`, run with `docker compose -f local.yml up`; Ghostwriter) and their
 * kin: compose files only when their content is (looksLikeCompose), else any other YAML file.
 */
const COMPOSE_BY_CONTENT = /^(?:local|production|prod|staging|stage|docs|dev|development)\.ya?ml$/;

/** A compose file's shape: a `services:` map with a service that has an `image` or a `build`. */
export function looksLikeCompose(y: YamlFile): boolean {
  const doc = y.docs[0];
  if (!doc) return false;
  const services = mapGet(doc, doc.contents, 'services');
  if (!services || !isMap(services.value)) return false;
  return mapPairs(doc, services.value).some((p) => mapGet(doc, p.value, 'image') !== undefined || mapGet(doc, p.value, 'build') !== undefined);
}

/** A file in another language, a template or a backup that only starts with "Dockerfile" (`Dockerfile.py`, `Dockerfile.j2`). */
const NOT_A_DOCKERFILE = /\.(?:py|json|ya?ml|toml|md|rst|txt|sh|ps1|bat|j2|jinja2?|tmpl|tpl|template|in|erb|mustache|hbs|orig|bak|old|swp|lock|sample|example|dist)$/i;

/** `Dockerfile`, `Dockerfile.prod`, `Dockerfile-dev`, `web.Dockerfile`, `app.dockerfile`, `Containerfile`. */
export function isDockerfileName(base: string): boolean {
  if (NOT_A_DOCKERFILE.test(base)) return false;
  return /^(?:dockerfile|containerfile)(?:[.-][\w.-]*)?$/i.test(base) || /^[\w.-]+\.(?:dockerfile|containerfile)$/i.test(base);
}

/** A `config.yaml` in Juju's shape: `options:` whose entries have a `type:`. */
export function looksLikeCharmConfig(y: YamlFile): boolean {
  const doc = y.docs[0];
  if (!doc) return false;
  const opts = mapGet(doc, doc.contents, 'options');
  if (!opts || !isMap(opts.value)) return false;
  const entries = mapPairs(doc, opts.value);
  return entries.length === 0 || entries.some((p) => mapGet(doc, p.value, 'type') !== undefined);
}

/** A `metadata.yaml` in Juju's shape: a `name:` and charm keys (`requires`, `provides`, `containers`...). */
export function looksLikeCharmMetadata(y: YamlFile): boolean {
  const doc = y.docs[0];
  if (!doc || !isMap(doc.contents)) return false;
  const keys = new Set(mapPairs(doc, doc.contents).map(keyString));
  return keys.has('name') && ['requires', 'provides', 'peers', 'containers', 'resources', 'assumes'].some((k) => keys.has(k));
}

/** What one twelve-factor / credential file yields. */
export interface EnvFileModel {
  uri: string;
  kind: EnvFileKind;
  charm?: CharmModel;
  dotenv?: DotenvModel;
  compose?: ComposeModel;
  helm?: HelmValuesModel;
  dockerfile?: DockerfileModel;
  appJson?: AppJsonModel;
  render?: RenderBlueprintModel;
  doApp?: DoAppSpecModel;
  /** Kubernetes manifests (kind `k8s`: a YAML file of no other kind whose content holds workloads). */
  k8s?: K8sManifestModel;
  /** A Google App Engine service's file (kind `app-engine`: a YAML file of no other kind with App Engine's `runtime` and keys). */
  appEngine?: AppEngineModel;
  /** A Fly.io app's fly.toml. */
  fly?: FlyTomlModel;
  /** A Databricks app's app.yaml (kind `databricks-app`, by content). */
  databricksApp?: DatabricksAppModel;
  /** A Serverless Framework service's serverless.yml. */
  serverless?: ServerlessModel;
  /** An AWS SAM template (kind `sam`, by content). */
  sam?: SamTemplateModel;
  /** Zappa's zappa_settings.json. */
  zappa?: ZappaSettingsModel;
  /** AWS Chalice's .chalice/config.json. */
  chalice?: ChaliceConfigModel;
  /** An Amazon ECS task definition (kind `ecs`, by content). */
  ecs?: EcsTaskDefModel;
  /** A Terraform file declaring Lambda functions or archives (kind `terraform`, by content). */
  terraform?: TerraformModel;
  /** A file of a Helm chart's `templates/` (kind `helm-template`: a `.tpl`, or a YAML file there with template actions). */
  helmTemplate?: HelmTemplateModel;
  credentials: FileCredentials;
}

type Lang = CredentialScanInput['kind'];

/** The scanner's reading of a file (YAML structure, dotenv, a language's line syntax). */
function languageOf(uri: string, kind: EnvFileKind): Lang {
  if (kind === 'dotenv') return 'dotenv';
  return classifyCredentialFile(uri)?.kind ?? 'text';
}

function scanned(uri: string, text: string, lang: Lang, yaml?: YamlFile, ciFlavor?: CiFlavor, lineMemo?: LineMemo, allow?: CredentialAllow): FileCredentials {
  const r = scanCredentials({ text, uri, kind: lang, yaml, ciFlavor, allow }, { lineMemo });
  return { uri, findings: r.findings, notices: r.notices };
}

export interface ParseEnvOptions {
  /** Scan for plaintext credentials (off for files git ignores: a local `.env` is where secrets belong). */
  scanCredentials?: boolean;
  /**
   * Read a `.env` file as compose reads an `env_file` (parse/dotenv.ts DotenvOptions.compose): for a
   * file only a compose file names (lemur's `docker/lemur-env`). Default: only a folder of
   * environment files' (`env.d/common`).
   */
  compose?: boolean;
  /** What other scanners' files (gitleaks', detect-secrets', GitGuardian's, GitHub's) allow in this file (model/allowlists.ts). */
  credentialAllow?: CredentialAllow;
}

const NO_CREDENTIALS = (uri: string): FileCredentials => ({ uri, findings: [], notices: [] });

/**
 * A `.env` file a compose `env_file` names that is there but was not read (a FIFO, denied, too
 * large): no entries, so its variables are unknown (model/appSources.ts), and `e` says why in its place.
 */
export function unreadDotenv(uri: string, e: ParseError): EnvFileModel {
  return { uri, kind: 'dotenv', dotenv: { uri, kind: 'dotenv', entries: [], errors: [e] }, credentials: NO_CREDENTIALS(uri) };
}

/** Codes of whole-file notices: the file was not read at all (said once per file). */
const SKIPPED_FILE = new Set(['binary-file', 'file-too-large']);

/**
 * The credential scanner's skipped-file notices, minus the ones the file's facts parser already
 * gave (a binary `.env` is one notice, not one per reader).
 */
export function withoutRepeatedNotices(c: FileCredentials, errors: readonly ParseError[]): FileCredentials {
  const said = new Set(errors.filter((e) => SKIPPED_FILE.has(e.code)).map((e) => e.code));
  if (said.size === 0 || !c.notices.some((n) => said.has(n.code))) return c;
  return { ...c, notices: c.notices.filter((n) => !said.has(n.code)) };
}

/** Parses one file of a twelve-factor / credential kind. Never throws. */
export function parseEnvFile(kind: EnvFileKind, text: string, uri: string, opts: ParseEnvOptions = {}): EnvFileModel {
  const out = parseEnvFacts(kind, text, uri, opts);
  out.credentials = withoutRepeatedNotices(out.credentials, envFileErrors(out));
  return out;
}

function parseEnvFacts(kind: EnvFileKind, text: string, uri: string, opts: ParseEnvOptions): EnvFileModel {
  const scan = opts.scanCredentials !== false;
  const lang = languageOf(uri, kind);
  const out: EnvFileModel = { uri, kind, credentials: NO_CREDENTIALS(uri) };
  const allow = opts.credentialAllow;
  const credentials = (u: string, t: string, l: Lang, yaml?: YamlFile, ciFlavor?: CiFlavor) => scanned(u, t, l, yaml, ciFlavor, undefined, allow);
  // A gitleaks, GitGuardian or GitHub secret scanning configuration or a detect-secrets baseline
  // lists what its team judged not to be leaks: not scanned itself; what Orchard cannot read of it is said in its place (the
  // scans apply the rest: model/allowlists.ts).
  const allowlistErrors = otherScannerFileErrors(uri, text);
  if (allowlistErrors) {
    out.credentials = { uri, findings: [], notices: allowlistErrors };
    return out;
  }
  switch (kind) {
    case 'dotenv': {
      out.dotenv = parseDotenv(text, uri, { compose: opts.compose ?? isEnvFolderFile(uri) });
      if (scan) out.credentials = credentials(uri, text, 'dotenv');
      return out;
    }
    case 'charmcraft':
    case 'charm-config':
    case 'charm-metadata': {
      const y = parseYamlFile(text);
      const which = kind === 'charmcraft' ? 'charmcraft' : kind === 'charm-config' ? 'config' : 'metadata';
      // `config.yaml` / `metadata.yaml` are common names: only charm-shaped ones are charm files.
      const isCharm = which === 'charmcraft' || (which === 'config' ? looksLikeCharmConfig(y) : looksLikeCharmMetadata(y));
      if (isCharm) out.charm = parseCharm(y, uri, which);
      else out.kind = 'source';
      if (scan) out.credentials = credentials(uri, text, 'yaml', y);
      return out;
    }
    case 'compose': {
      const y = parseYamlFile(text);
      if (COMPOSE_BY_CONTENT.test(baseOf(uri)) && !looksLikeCompose(y)) {
        out.kind = 'source';
        if (scan) out.credentials = credentials(uri, text, 'yaml', y);
        return out;
      }
      out.compose = parseCompose(y, uri);
      if (scan) out.credentials = credentials(uri, text, 'yaml', y);
      return out;
    }
    case 'helm-values': {
      const y = parseYamlFile(text);
      out.helm = parseHelmValues(y, uri);
      if (scan) out.credentials = credentials(uri, text, 'yaml', y);
      return out;
    }
    case 'dockerfile': {
      out.dockerfile = parseDockerfile(text, uri);
      if (scan) out.credentials = inDockerfile(credentials(uri, text, lang), out.dockerfile);
      return out;
    }
    case 'app-json': {
      // Heroku's manifest, or another program's app.json (Expo's): then only scanned, as any JSON.
      const m = parseAppJson(text, uri);
      if (m) out.appJson = m;
      else out.kind = 'source';
      if (scan) {
        const r = scanCredentials({ text, uri, kind: lang, allow, assignments: m && appJsonAssignments(m, text) });
        out.credentials = { uri, findings: r.findings, notices: r.notices };
      }
      return out;
    }
    case 'render':
    case 'do-app': {
      // A platform's manifest (Render's Blueprint, a DigitalOcean app spec), or another program's
      // file of that name: then only scanned, as any YAML.
      const y = parseYamlFile(text);
      if (kind === 'render') out.render = parseRenderBlueprint(y, uri);
      else out.doApp = parseDoAppSpec(y, uri);
      if (!out.render && !out.doApp) out.kind = 'source';
      if (scan) out.credentials = credentials(uri, text, 'yaml', y);
      return out;
    }
    case 'serverless': {
      // A Serverless service's file, or another program's of that name: then only scanned, as any YAML.
      const y = parseYamlFile(text);
      const m = parseServerless(y, uri);
      if (m) out.serverless = m;
      else out.kind = 'source';
      if (scan) out.credentials = credentials(uri, text, 'yaml', y);
      return out;
    }
    case 'zappa':
    case 'chalice': {
      // Zappa's settings or a Chalice project's config, or another program's file of that name: then only scanned, as any JSON.
      const m = kind === 'zappa' ? parseZappaSettings(text, uri) : parseChaliceConfig(text, uri);
      if (m?.kind === 'zappa') out.zappa = m;
      else if (m?.kind === 'chalice') out.chalice = m;
      else out.kind = 'source';
      if (scan) out.credentials = credentials(uri, text, lang);
      return out;
    }
    case 'fly': {
      out.fly = parseFlyToml(text, uri);
      if (scan) out.credentials = credentials(uri, text, lang);
      return out;
    }
    case 'ci': {
      const flavor = inferCiFlavor(uri);
      const y = lang === 'yaml' ? parseYamlFile(text) : undefined;
      if (scan) out.credentials = credentials(uri, text, lang, y, flavor);
      return out;
    }
    case 'helm-template':
    case 'k8s':
    case 'app-engine':
    case 'databricks-app':
    case 'sam':
    case 'ecs':
    case 'terraform':
    case 'source': {
      // A Terraform file declaring Lambda functions (or the archives of their code).
      const tf = lang === 'code' && isTerraformPath(uri) ? parseTerraform(text, uri) : undefined;
      if (tf) {
        out.kind = 'terraform';
        out.terraform = tf;
        if (scan) {
          // An ECS container's `{ name = "X", value = "…" }` — a task's, a container module's, a local's —:
          // the value is X's (a line-wise reader would take it for `value`'s). `terraform-ecs` in HCL,
          // `ecs-environment` in a heredoc of JSON (whose entry moves into `secrets`).
          const hcl = [...tf.tasks.filter((t) => t.form === 'hcl').flatMap((t) => t.containers), ...(tf.containerModules ?? []).map((x) => x.container), ...(tf.containerLocals ?? []).flatMap((l) => l.containers)];
          const json = tf.tasks.filter((t) => t.form !== 'hcl').flatMap((t) => t.containers);
          const assignments = [...ecsAssignments({ containers: hcl }, text, 'terraform-ecs'), ...ecsAssignments({ containers: json }, text)];
          const r = scanCredentials({ text, uri, kind: lang, allow, assignments: assignments.length ? assignments : undefined });
          out.credentials = { uri, findings: r.findings, notices: r.notices };
        }
        return out;
      }
      // An ECS task definition: any JSON file with containerDefinitions; or the containers a Terraform
      // file renders (a JSON array of them, `task.json.tpl`), the task's that names the file.
      const ecs = lang === 'json' ? (parseEcsTaskDef(text, uri) ?? parseEcsContainerFile(text, uri)) : isContainerTemplateName(baseOf(uri)) ? parseEcsContainerFile(text, uri) : undefined;
      if (ecs) {
        out.kind = 'ecs';
        out.ecs = ecs;
        if (scan) {
          const r = scanCredentials({ text, uri, kind: lang, allow, assignments: ecsAssignments(ecs, text) });
          out.credentials = { uri, findings: r.findings, notices: r.notices };
        }
        return out;
      }
      // A Helm chart's template: its model, and its YAML with the actions set aside for the credential
      // scan (the structure they would break is walked). `.tpl` files are read for their templates only.
      const helm = isHelmTemplatePath(uri) && (kind === 'helm-template' || (lang === 'yaml' && text.includes('{{'))) ? readHelmTemplate(text, uri, scan && lang === 'yaml') : undefined;
      if (helm?.model || kind === 'helm-template') {
        out.kind = helm?.model ? 'helm-template' : 'source';
        if (helm?.model) out.helmTemplate = helm.model;
        if (scan && lang === 'yaml') out.credentials = credentials(uri, text, lang, helm?.yaml ?? parseYamlFile(text));
        return out;
      }
      const y = lang === 'yaml' ? parseYamlFile(text) : undefined;
      // Kubernetes manifests, App Engine services', Databricks apps' files and SAM templates: known by their content.
      const k8s = y && parseK8sManifests(y, uri);
      const appEngine = y && !k8s ? parseAppEngine(y, uri) : undefined;
      const databricksApp = y && !k8s && !appEngine ? parseDatabricksApp(y, uri) : undefined;
      const sam = y && !k8s && !appEngine && !databricksApp ? parseSamTemplate(y, uri) : undefined;
      out.kind = k8s ? 'k8s' : appEngine ? 'app-engine' : databricksApp ? 'databricks-app' : sam ? 'sam' : 'source';
      if (k8s) out.k8s = k8s;
      if (appEngine) out.appEngine = appEngine;
      if (databricksApp) out.databricksApp = databricksApp;
      if (sam) out.sam = sam;
      if (scan) out.credentials = credentials(uri, text, lang, y);
      return out;
    }
  }
}

/** The errors of another secret scanner's file (undefined: the file is not one). */
function otherScannerFileErrors(uri: string, text: string): ParseError[] | undefined {
  const base = baseOf(uri);
  if (isGithubSecretScanningPath(uri)) return parseGithubSecretScanning(text).errors;
  if (isGitleaksConfigName(base)) return parseGitleaksConfig(text).errors;
  if (isSecretsBaselineName(base)) return parseSecretsBaseline(text).errors;
  if (isGgshieldConfigName(base)) return parseGgshieldConfig(text).errors;
  return undefined;
}

/**
 * A Dockerfile's credentials with the instruction they sit in as context (`dockerfile-env`,
 * `dockerfile-arg`, `dockerfile-run` for any other: RUN, heredocs, labels): where the value goes
 * instead differs (features/env/credentialActions.ts). The reader gives the instructions' lines.
 */
function inDockerfile(c: FileCredentials, m: DockerfileModel): FileCredentials {
  if (c.findings.length === 0) return c;
  const contextAt = (line: number): string => {
    const s = m.settings?.find((x) => x.startLine <= line && line <= x.endLine);
    return s ? `dockerfile-${s.keyword.toLowerCase()}` : 'dockerfile-run';
  };
  return { ...c, findings: c.findings.map((f) => ({ ...f, context: contextAt(f.range.start.line) })) };
}

/**
 * Credentials in a Python file (the Figgy / env parser reads its structure separately; pass its
 * errors so a skipped file is reported once). An open document passes its LineMemo.
 */
export function pythonCredentials(text: string, uri: string, errors: readonly ParseError[] = [], lineMemo?: LineMemo, allow?: CredentialAllow): FileCredentials {
  return withoutRepeatedNotices(scanned(uri, text, 'python', undefined, undefined, lineMemo, allow), errors);
}

/**
 * The list of the build input (EnvFiles) each kind's model goes to. Every kind but CI and other
 * source files has one: a kind added without its list does not compile (the language server's
 * builder swaps an edited file's model in that list, and a kind it did not know lost its edits).
 */
const ENV_LIST_OF: Record<Exclude<EnvFileKind, 'ci' | 'source'>, EnvListName> = {
  charmcraft: 'charms',
  'charm-config': 'charms',
  'charm-metadata': 'charms',
  dotenv: 'dotenv',
  compose: 'compose',
  'helm-values': 'helm',
  dockerfile: 'dockerfiles',
  'app-json': 'appJson',
  render: 'render',
  'do-app': 'doApp',
  k8s: 'k8s',
  'app-engine': 'appEngine',
  fly: 'fly',
  'databricks-app': 'databricksApp',
  serverless: 'serverless',
  sam: 'sam',
  zappa: 'zappa',
  chalice: 'chalice',
  ecs: 'ecs',
  terraform: 'terraform',
  'helm-template': 'helmTemplates',
};

/** The list a file of this kind's model belongs to (none for CI and other source files). */
export function envListOf(kind: EnvFileKind): EnvListName | undefined {
  return kind === 'ci' || kind === 'source' ? undefined : ENV_LIST_OF[kind];
}

/** The one model a file yields (charm, `.env`, compose, Helm, Dockerfile, a platform's manifest), if any. */
export function envModelOf(m: EnvFileModel): EnvListModel | undefined {
  return m.charm ?? m.dotenv ?? m.compose ?? m.helm ?? m.dockerfile ?? m.appJson ?? m.render ?? m.doApp ?? m.k8s ?? m.appEngine ?? m.fly ?? m.databricksApp ?? m.serverless ?? m.sam ?? m.zappa ?? m.chalice ?? m.ecs ?? m.terraform ?? m.helmTemplate;
}

/** Errors of the facts of a file, for the parse-error rule. */
export function envFileErrors(m: EnvFileModel): ParseError[] {
  return [...(envModelOf(m)?.errors ?? [])];
}

export type { CredentialFinding };
export { isLockFile };
