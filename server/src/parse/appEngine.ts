// A Google App Engine service's `app.yaml` → AppEngineModel: what `gcloud app deploy` gives the
// service's instances. `env_variables` are set in every instance (values are strings);
// `build_env_variables` only in the build (buildpacks); `includes` merges other files' directives
// (often a git-ignored file of secrets); the runtime itself sets PORT, GAE_* and GOOGLE_CLOUD_PROJECT.
// A service's file may have any name (`app.yaml`, `api.yaml`, `app-staging.yaml`): recognised by
// content, a top-level `runtime` of App Engine's and one of its own keys beside it (in `app.yaml`, the
// runtime alone: the smallest service's file is `runtime: python312`). A file of
// `env_variables` (and other directives) without `runtime` is one a service's `includes` may name
// (`included`): a source only through that service.
//
// Pure, never throws, bounded; undefined for any other YAML file (then it is only scanned).
import type { AppEngineEntry, AppEngineModel } from './platformTypes';
import type { ParseError } from './types';
import { isMap, keyString, nodeRange, parseYamlFile, scalarString, seqItems, type YamlFile, type YNode } from './yaml';
import { blockMapInsert, finishedErrors, pairGet, pairRange, pairsOf, yamlCtx, type YamlCtx } from './envYaml';
import { isReference } from './credentials/values';
import { LOOSE_VAR_NAME, VAR_NAME } from './varNames';

/** App Engine's runtimes (standard and flexible): `python312`, `python`, `custom`, `nodejs20`… */
const RUNTIME = /^(?:python\d*|python27|custom|nodejs\d*|go\d*|java\d*|php\d*|ruby\d*|aspnetcore|dotnet\d*)$/i;
/** Keys only an App Engine service's file has, one of which must sit beside `runtime`. */
const GAE_KEYS: readonly string[] = ['env_variables', 'build_env_variables', 'handlers', 'entrypoint', 'instance_class', 'automatic_scaling', 'basic_scaling', 'manual_scaling', 'includes', 'inbound_services', 'vpc_access_connector', 'runtime_config', 'app_engine_apis', 'service_account', 'service', 'threadsafe', 'api_version', 'libraries', 'env', 'beta_settings', 'readiness_check', 'liveness_check'];
const MAX_ITEMS = 2_000;
/** The name `gcloud app deploy` reads by default. */
const APP_YAML = /(?:^|\/)app\.ya?ml$/;

function entries(ctx: YamlCtx, map: unknown): AppEngineEntry[] {
  const out: AppEngineEntry[] = [];
  for (const p of pairsOf(ctx, map).slice(0, MAX_ITEMS)) {
    const key = keyString(p);
    if (key === undefined || !LOOSE_VAR_NAME.test(key) || !p.key) continue;
    const e: AppEngineEntry = { key, keyRange: nodeRange(ctx.f, p.key as YNode), entryRange: pairRange(ctx.f, p) };
    const value = scalarString(p.value);
    // A value a deploy script fills in (`${SECRET_KEY}`, envsubst) is provided without a literal.
    if (value !== undefined && !isReference(value)) {
      e.value = value;
      e.valueRange = nodeRange(ctx.f, p.value as YNode);
    }
    out.push(e);
  }
  return out;
}

/** Reads an App Engine service's file; undefined when the YAML is not one. Never throws. */
export function parseAppEngine(f: YamlFile, uri: string): AppEngineModel | undefined {
  try {
    const doc = f.docs[0];
    if (!doc || f.docs.length > 1 || !isMap(doc.contents)) return undefined;
    const ctx = yamlCtx(f, doc);
    const runtimePair = pairGet(ctx, doc.contents, 'runtime');
    const runtime = scalarString(runtimePair?.value)?.trim();
    // Without `runtime`: a file a service includes, when all it holds is App Engine's directives and `env_variables` among them.
    const included = !runtimePair && isMap(pairGet(ctx, doc.contents, 'env_variables')?.value) && pairsOf(ctx, doc.contents).every((p) => GAE_KEYS.includes(keyString(p) ?? ''));
    if (!included && (runtime === undefined || !RUNTIME.test(runtime) || !(APP_YAML.test(uri) || GAE_KEYS.some((k) => pairGet(ctx, doc.contents, k))))) return undefined;
    const servicePair = pairGet(ctx, doc.contents, 'service') ?? pairGet(ctx, doc.contents, 'module');
    const errors: ParseError[] = f.errors.filter((e) => e.code !== 'yaml-templated');
    const envPair = pairGet(ctx, doc.contents, 'env_variables');
    const model: AppEngineModel = {
      uri,
      kind: 'app-engine',
      service: scalarString(servicePair?.value)?.trim() || 'default',
      runtime: runtime?.toLowerCase() ?? '',
      runtimeRange: nodeRange(f, (runtimePair?.value ?? doc.contents) as YNode),
      flexible: /^flex(?:ible)?$/i.test(scalarString(pairGet(ctx, doc.contents, 'env')?.value)?.trim() ?? ''),
      entries: entries(ctx, envPair?.value),
      buildEntries: entries(ctx, pairGet(ctx, doc.contents, 'build_env_variables')?.value),
      includes: [],
      errors,
    };
    if (envPair?.key) model.envRange = nodeRange(f, envPair.key as YNode);
    for (const item of seqItems(ctx.doc, pairGet(ctx, doc.contents, 'includes')?.value).slice(0, MAX_ITEMS)) {
      const path = scalarString(item)?.trim();
      if (path) model.includes.push({ path, range: nodeRange(f, item) });
    }
    if (f.templated) model.templated = true;
    if (included) model.included = true;
    model.errors = finishedErrors(ctx, errors);
    return model;
  } catch {
    // Defensive: a bug here is not the user's problem; the file is then only scanned for credentials.
    return undefined;
  }
}

/**
 * Where and what to insert to add `NAME: ""` to the file's `env_variables` (after its last entry,
 * indented alike), or a new `env_variables:` after the `runtime:` line. The empty value is the
 * user's to fill in (Orchard never invents one). Undefined when the file is not a readable service
 * file (syntax errors, template syntax), `env_variables` is not a block mapping Orchard can extend,
 * or it already sets the name.
 */
export function appEngineEntryInsert(text: string, name: string): { offset: number; insert: string } | undefined {
  if (!VAR_NAME.test(name)) return undefined;
  const f = parseYamlFile(text);
  const doc = f.docs[0];
  const m = doc && !f.templated && !f.errors.length && !doc.errors.length ? parseAppEngine(f, '') : undefined;
  if (!m || m.included || m.entries.some((e) => e.key === name)) return undefined;
  return blockMapInsert(text, yamlCtx(f, doc), doc.contents, 'env_variables', ['runtime'], `${name}: ""`);
}
