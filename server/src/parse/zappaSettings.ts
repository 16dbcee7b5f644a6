// Zappa's `zappa_settings.json` → ZappaSettingsModel: what each stage's Lambda function gets. Each
// top-level key is a stage (`dev`, `production`) deployed with `zappa deploy <stage>`; a stage may
// `extends` another (a shallow merge: a stage's own `environment_variables` replace the other's
// whole). `environment_variables` are set in `os.environ` by Zappa's handler, `aws_environment_variables`
// as the function's own; `remote_env` (or `remote_env_bucket` + `remote_env_file`) loads more from
// S3 when the function starts. Zappa's handler also sets SERVERTYPE, FRAMEWORK, PROJECT and STAGE,
// and DJANGO_SETTINGS_MODULE from `django_settings` (model/lambdaSources.ts zappaSources).
//
// Recognised by name and content: a JSON object of stages, one at least with Zappa's keys. Pure,
// never throws, bounded; undefined for any other JSON.
import type { Node } from 'jsonc-parser';
import type { ZappaStage, ZappaSettingsModel } from './platformTypes';
import { jsonEnvEntries, nodeRange, jsonEntryInsert, objectProps, readJsonDocument } from './jsonDoc';
import { detach } from './text';
import { VAR_NAME } from './varNames';

const READER = 'Zappa';
const MAX_ITEMS = 2_000;
/** Keys only a Zappa stage has, one of which a stage must hold. */
const ZAPPA_KEYS = ['app_function', 'django_settings', 'project_name', 's3_bucket', 'aws_region', 'profile_name', 'runtime', 'environment_variables', 'aws_environment_variables', 'extends', 'keep_warm', 'lambda_handler', 'remote_env'];

/** `zappa_settings.json`: the name Zappa reads (its YAML and TOML forms are not read). */
export function isZappaSettingsName(base: string): boolean {
  return base === 'zappa_settings.json';
}

function str(n: Node | undefined): string | undefined {
  return n?.type === 'string' && typeof n.value === 'string' ? detach(n.value) : undefined;
}

/** Reads a zappa_settings.json; undefined when the JSON is not Zappa's. Never throws. */
export function parseZappaSettings(text: string, uri: string): ZappaSettingsModel | undefined {
  try {
    const doc = readJsonDocument(text, 'zappa_settings.json', uri, READER);
    if (doc.root?.type !== 'object') return undefined;
    const stages: ZappaStage[] = [];
    for (const p of objectProps(doc.root).slice(0, MAX_ITEMS)) {
      const v = p.value;
      if (v?.type !== 'object') continue;
      const keys = objectProps(v);
      const get = (k: string) => keys.filter((x) => x.key === k).pop()?.value;
      const s: ZappaStage = { name: p.key, nameRange: nodeRange(doc, p.keyNode), zappa: keys.some((x) => ZAPPA_KEYS.includes(x.key)) };
      const ext = str(get('extends'));
      if (ext) s.extends = ext;
      const env = jsonEnvEntries(doc, get('environment_variables'));
      if (env) s.env = env;
      const aws = jsonEnvEntries(doc, get('aws_environment_variables'));
      if (aws) s.awsEnv = aws;
      if (get('remote_env') || get('remote_env_bucket') || get('remote_env_file')) s.remoteEnv = true;
      const project = str(get('project_name'));
      if (project) s.project = project;
      const django = str(get('django_settings'));
      if (django) s.djangoSettings = django;
      stages.push(s);
    }
    if (!stages.some((s) => s.zappa)) return undefined;
    return { uri, kind: 'zappa', stages, errors: [...doc.errors] };
  } catch {
    // Defensive: a bug here is not the user's problem; the file is then only scanned for credentials.
    return undefined;
  }
}

/**
 * Where and what to insert to add `"NAME": ""` to the stage's own `environment_variables` (the
 * empty value is the user's to type). Undefined when the file has syntax errors, the stage is not
 * there, or it has no `environment_variables` object of its own (one added to a stage that
 * `extends` another would replace that stage's whole), or already sets the name there.
 */
export function zappaEntryInsert(text: string, stage: string, name: string): { offset: number; insert: string } | undefined {
  if (!VAR_NAME.test(name)) return undefined;
  const doc = readJsonDocument(text, 'zappa_settings.json', '', READER);
  if (doc.root?.type !== 'object' || doc.errors.some((e) => e.severity === 'error')) return undefined;
  const s = objectProps(doc.root).filter((p) => p.key === stage).pop()?.value;
  const env = s?.type === 'object' ? objectProps(s).filter((p) => p.key === 'environment_variables').pop()?.value : undefined;
  if (env?.type !== 'object' || objectProps(env).some((p) => p.key === name)) return undefined;
  return jsonEntryInsert(text, env, `"${name}": ""`);
}
