// A Databricks app's `app.yaml` → DatabricksAppModel: what Databricks Apps give the app's process.
// The file sits at the app's root and holds `command` (how the app starts, a sequence) and `env`:
// a list of `name` with a literal `value`, or a `valueFrom` naming one of the app's resources (a
// secret, a SQL warehouse, a database), whose value Databricks fills in. Nothing else sets the
// app's environment but the platform's own variables.
//
// Recognised by content in a file named `app.yaml` / `app.yml`: only those two keys, and `env` a
// list of entries with a `name` or `command` a sequence. Pure, never throws, bounded; undefined for
// any other YAML file.
import type { DatabricksAppModel, DatabricksEnvEntry } from './platformTypes';
import type { ParseError } from './types';
import { isMap, isSeq, keyString, nodeRange, scalarString, seqItems, type YamlFile, type YNode } from './yaml';
import { finishedErrors, pairGet, pairsOf, yamlCtx } from './envYaml';
import { LOOSE_VAR_NAME } from './varNames';

const APP_YAML = /(?:^|\/)app\.ya?ml$/;
const KEYS = new Set(['command', 'env']);
const MAX_ITEMS = 2_000;

/** Reads a Databricks app's app.yaml; undefined when the YAML is not one. Never throws. */
export function parseDatabricksApp(f: YamlFile, uri: string): DatabricksAppModel | undefined {
  try {
    const doc = f.docs[0];
    if (!APP_YAML.test(uri) || !doc || f.docs.length > 1 || !isMap(doc.contents)) return undefined;
    const ctx = yamlCtx(f, doc);
    const pairs = pairsOf(ctx, doc.contents);
    if (pairs.length === 0 || !pairs.every((p) => KEYS.has(keyString(p) ?? ''))) return undefined;
    const env = pairGet(ctx, doc.contents, 'env')?.value;
    const items = seqItems(ctx.doc, env);
    const command = pairGet(ctx, doc.contents, 'command')?.value;
    if (!isSeq(command) && !(isSeq(env) && items.some((i) => pairGet(ctx, i, 'name')))) return undefined;
    const entries: DatabricksEnvEntry[] = [];
    for (const item of items.slice(0, MAX_ITEMS)) {
      const namePair = pairGet(ctx, item, 'name');
      const key = scalarString(namePair?.value);
      if (!namePair || key === undefined || !LOOSE_VAR_NAME.test(key)) continue;
      const e: DatabricksEnvEntry = { key, keyRange: nodeRange(f, namePair.value as YNode), entryRange: nodeRange(f, item as YNode) };
      const from = scalarString(pairGet(ctx, item, 'valueFrom')?.value);
      const value = pairGet(ctx, item, 'value');
      if (from !== undefined) e.from = from;
      else if (value && scalarString(value.value) !== undefined) {
        e.value = scalarString(value.value);
        e.valueRange = nodeRange(f, value.value as YNode);
      }
      entries.push(e);
    }
    const errors: ParseError[] = f.errors.filter((e) => e.code !== 'yaml-templated');
    const model: DatabricksAppModel = { uri, kind: 'databricks-app', entries, errors: finishedErrors(ctx, errors) };
    if (f.templated) model.templated = true;
    const envPair = pairGet(ctx, doc.contents, 'env');
    if (envPair?.key) model.envRange = nodeRange(f, envPair.key as YNode);
    return model;
  } catch {
    // Defensive: a bug here is not the user's problem; the file is then only scanned for credentials.
    return undefined;
  }
}
