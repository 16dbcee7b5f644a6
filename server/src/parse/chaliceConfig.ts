// AWS Chalice's `.chalice/config.json` → ChaliceConfigModel: what each stage's Lambda functions get.
// `environment_variables` at the top are every stage's; a stage's (`stages.<name>`) are merged over
// them key by key, and a function's (`stages.<name>.lambda_functions.<fn>`) over those, as Chalice's
// config merges them. A project without `stages` still deploys `dev`.
//
// Recognised by path (`.chalice/config.json`) and content: a JSON object with Chalice's keys. Pure,
// never throws, bounded; undefined for any other JSON.
import type { Node } from 'jsonc-parser';
import type { ChaliceConfigModel, ChaliceStage } from './platformTypes';
import { jsonEnvEntries, nodeRange, jsonEntryInsert, objectProps, readJsonDocument } from './jsonDoc';
import { VAR_NAME } from './varNames';
import { detach } from './text';

const MAX_ITEMS = 2_000;
const CHALICE_KEYS = ['app_name', 'version', 'stages', 'environment_variables', 'lambda_functions', 'api_gateway_stage', 'manage_iam_role', 'iam_policy_file', 'autogen_policy', 'lambda_timeout', 'lambda_memory_size'];

/**
 * `.chalice/config.json`, where Chalice reads its project's settings, or a template of it in the same
 * folder (`config_template.json`: a build script writes config.json from it when deploying).
 */
export function isChaliceConfigPath(path: string): boolean {
  return /(?:^|\/)\.chalice\/(?:config\.json|[\w.-]*template[\w.-]*\.json)$/i.test(path);
}

const last = (obj: Node | undefined, key: string) => (obj?.type === 'object' ? objectProps(obj).filter((p) => p.key === key).pop() : undefined);

/** Reads a Chalice project's config; undefined when the JSON is not Chalice's. Never throws. */
export function parseChaliceConfig(text: string, uri: string): ChaliceConfigModel | undefined {
  try {
    const doc = readJsonDocument(text, 'config.json', uri, 'Chalice');
    const root = doc.root;
    if (root?.type !== 'object' || !objectProps(root).some((p) => CHALICE_KEYS.includes(p.key))) return undefined;
    const model: ChaliceConfigModel = { uri, kind: 'chalice', stages: [], errors: [...doc.errors] };
    if (!/\/config\.json$/.test(uri)) model.template = true;
    const appName = last(root, 'app_name')?.value;
    if (appName?.type === 'string' && typeof appName.value === 'string') model.appName = detach(appName.value);
    const env = jsonEnvEntries(doc, last(root, 'environment_variables')?.value);
    if (env) model.env = env;
    const objects = (n: Node | undefined) => (n?.type === 'object' ? objectProps(n).slice(0, MAX_ITEMS) : []);
    for (const p of objects(last(root, 'stages')?.value)) {
      if (p.value?.type !== 'object') continue;
      const stage: ChaliceStage = { name: p.key, nameRange: nodeRange(doc, p.keyNode), functions: [] };
      const own = jsonEnvEntries(doc, last(p.value, 'environment_variables')?.value);
      if (own) stage.env = own;
      for (const f of objects(last(p.value, 'lambda_functions')?.value)) {
        const fnEnv = jsonEnvEntries(doc, last(f.value, 'environment_variables')?.value);
        if (fnEnv) stage.functions.push({ name: f.key, env: fnEnv });
      }
      model.stages.push(stage);
    }
    return model;
  } catch {
    // Defensive: a bug here is not the user's problem; the file is then only scanned for credentials.
    return undefined;
  }
}

/**
 * Where and what to insert to add `"NAME": ""` to the top-level `environment_variables` (every
 * stage's; the empty value is the user's to type). Undefined when the file has syntax errors, has
 * no such object, or already sets the name there.
 */
export function chaliceEntryInsert(text: string, name: string): { offset: number; insert: string } | undefined {
  if (!VAR_NAME.test(name)) return undefined;
  const doc = readJsonDocument(text, 'config.json', '', 'Chalice');
  if (doc.root?.type !== 'object' || doc.errors.some((e) => e.severity === 'error')) return undefined;
  const env = last(doc.root, 'environment_variables')?.value;
  if (env?.type !== 'object' || objectProps(env).some((p) => p.key === name)) return undefined;
  return jsonEntryInsert(text, env, `"${name}": ""`);
}
