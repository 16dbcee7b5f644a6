// Helm values files → HelmValuesModel: the entries that become environment variables of the app.
// Values files have no schema, so this is a heuristic, tuned to say little on an ordinary chart:
//
// (a) lists under an env-named key (`env`, `extraEnv`, `extraEnvVars`, `envVars`, `environment`,
//     `containerEnv`... any key whose name ends in env / envs / envvars / environment /
//     environmentvariables, case-insensitive) whose items are Kubernetes EnvVar objects:
//     `{name, value}` or `{name, valueFrom: {secretKeyRef | configMapKeyRef | fieldRef…}}`.
//     A `{name, value}` list under any other key (`httpHeaders`, `args`) is not read.
// (b) maps of UPPER_SNAKE keys with scalar values, at any depth (Diffgram's `diffgramSecrets:` /
//     `diffgramSettings:`): at least two keys, every key upper snake case, at least one with `_`,
//     every value a scalar. Ordinary chart settings are camelCase, so they never qualify.
// (c) maps under an env-named key (as in (a)): every scalar entry whose key is a valid variable name,
//     whatever its case (`env: {log_level: debug}`), and `{KEY: {value: …}}` / `{KEY: {valueFrom: …}}`;
//     and maps under a key ending in `settings` / `secrets` / `secret`: their UPPER_SNAKE scalar entries.
//
// `secret` is set when a key on the path contains "secret" (`diffgramSecrets`, `secrets`,
// `secretEnv`) or the entry comes through `valueFrom.secretKeyRef`; `reference` when it comes through
// `valueFrom` (the value lives in a Secret / ConfigMap, not here). It also keeps the paths of the
// non-empty lists and maps (`filled`: what a chart's template writes from an empty one is nothing).
// Pure, never throws, bounded.
import type { HelmEnvEntry, HelmValuesModel } from './envTypes';
import type { ParseError } from './types';
import { deref, isAlias, isMap, isPair, isScalar, isSeq, keyString, MAX_YAML_DEPTH, nodeOffsets, nodeRange, parseYamlFile, scalarString, type YamlFile, type YNode } from './yaml';
import { blockMapInsert, budgetError, capStructureErrors, listItemInsert, pairGet, pairsOf, yamlCtx, type YamlCtx } from './envYaml';
import { LOOSE_VAR_NAME } from './varNames';

/** Non-empty lists and maps whose paths are kept (what a chart's template may write), at most, and how deep. */
const MAX_FILLED = 5_000;
const MAX_FILLED_DEPTH = 6;
/** Nodes visited at most per file (values files have thousands). */
const MAX_VISITED = 200_000;

const ENV_SUFFIX = /(env|envs|envvars?|envvariables|environment|environmentvars?|environmentvariables)$/i;
const SETTINGS_KEY = /(settings|secrets?)$/i;
const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const SECRETISH = /secret/i;

/**
 * A key that names an environment list or map: `env`, `extraEnv`, `extraEnvVars`, `containerEnv`,
 * `EXTRA_ENV`, `environment`, `environmentVariables`; the suffix must start a word (`dev` is not one).
 */
export function isEnvKey(key: string): boolean {
  const m = ENV_SUFFIX.exec(key);
  if (!m) return false;
  const at = key.length - m[0].length;
  if (at === 0) return true;
  const prev = key[at - 1];
  return /[-_.]/.test(prev) || (/[A-Z]/.test(key[at]) && /[a-z0-9]/.test(prev));
}

function isSettingsKey(key: string): boolean {
  return SETTINGS_KEY.test(key);
}

interface Ctx extends YamlCtx {
  model: HelmValuesModel;
  seen: Set<string>;
  /** Nodes left to visit. */
  visits: number;
}

/** Reads a values file. Never throws. */
export function parseHelmValues(file: YamlFile, uri: string): HelmValuesModel {
  const model: HelmValuesModel = { uri, kind: 'helm-values', entries: [], errors: [...file.errors] };
  try {
    const merged = { left: 100_000 };
    for (const doc of file.docs) {
      const ctx: Ctx = { ...yamlCtx(file, doc, merged), model, seen: new Set(), visits: MAX_VISITED };
      walk(ctx, doc.contents, [], 0);
      const over = budgetError(ctx);
      if (over) {
        model.errors.push(over);
        break;
      }
    }
  } catch (e) {
    model.errors.push(internal(e));
  }
  model.errors = capStructureErrors(model.errors);
  return model;
}

function internal(e: unknown): ParseError {
  return { code: 'parse-internal', message: `internal error while reading Helm values: ${e instanceof Error ? e.name : typeof e}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'error' };
}

function push(ctx: Ctx, e: HelmEnvEntry, keyNode: unknown): void {
  const off = nodeOffsets(keyNode as YNode);
  const id = `${e.key}@${off ? off[0] : `${e.keyRange.start.line}:${e.keyRange.start.character}`}`;
  if (ctx.seen.has(id)) return; // the same entry reached twice through an alias
  ctx.seen.add(id);
  ctx.model.entries.push(e);
}

function scalarEntry(ctx: Ctx, key: string, keyNode: unknown, valueNode: unknown, path: string[]): void {
  const v = deref(ctx.doc, valueNode);
  const e: HelmEnvEntry = { key, keyRange: nodeRange(ctx.f, keyNode as YNode), path, secret: path.some((p) => SECRETISH.test(p)), reference: false };
  if (isScalar(v)) {
    e.value = v.value === null || v.value === undefined ? null : typeof v.value === 'string' ? v.value : scalarString(v) ?? null;
    e.valueRange = nodeRange(ctx.f, v);
  } else e.value = null;
  push(ctx, e, keyNode);
}

/** `valueFrom: {secretKeyRef: …}` / `{configMapKeyRef: …}` / `{fieldRef: …}` → reference entry. */
function referenceEntry(ctx: Ctx, key: string, keyNode: unknown, valueFrom: unknown, path: string[]): void {
  const vf = deref(ctx.doc, valueFrom);
  const viaSecret = isMap(vf) && pairsOf(ctx, vf).some((p) => keyString(p) === 'secretKeyRef');
  push(ctx, { key, keyRange: nodeRange(ctx.f, keyNode as YNode), path, secret: viaSecret || path.some((p) => SECRETISH.test(p)), reference: true }, keyNode);
}

function get(ctx: Ctx, map: unknown, key: string) {
  for (const p of pairsOf(ctx, map)) if (keyString(p) === key) return p;
  return undefined;
}

/** (a): Kubernetes EnvVar items of a list under an env-named key. */
function envList(ctx: Ctx, seq: unknown, path: string[]): void {
  const s = deref(ctx.doc, seq);
  if (!isSeq(s)) return;
  for (const raw of s.items) {
    const item = deref(ctx.doc, raw);
    if (!isMap(item)) continue;
    const name = get(ctx, item, 'name');
    const nameNode = name ? deref(ctx.doc, name.value) : undefined;
    const key = scalarString(nameNode);
    if (!name || key === undefined || !LOOSE_VAR_NAME.test(key)) continue;
    const value = get(ctx, item, 'value');
    const valueFrom = get(ctx, item, 'valueFrom');
    if (valueFrom) referenceEntry(ctx, key, nameNode, valueFrom.value, path);
    else if (value) scalarEntry(ctx, key, nameNode, value.value, path);
  }
}

/** (c): a map under an env-named key; `upperOnly` for `*Settings` / `*Secrets` maps. */
function envMap(ctx: Ctx, map: unknown, path: string[], upperOnly: boolean): void {
  for (const p of pairsOf(ctx, map)) {
    const key = keyString(p);
    if (key === undefined || !(upperOnly ? UPPER_SNAKE.test(key) : LOOSE_VAR_NAME.test(key))) continue;
    const v = deref(ctx.doc, p.value);
    if (isScalar(v) || v === null || v === undefined) scalarEntry(ctx, key, p.key, v, path);
    else if (!upperOnly && isMap(v)) {
      const value = get(ctx, v, 'value');
      const valueFrom = get(ctx, v, 'valueFrom') ?? (get(ctx, v, 'secretKeyRef') || get(ctx, v, 'configMapKeyRef') ? { value: v } : undefined);
      if (valueFrom) referenceEntry(ctx, key, p.key, valueFrom.value, path);
      else if (value) scalarEntry(ctx, key, p.key, value.value, path);
    }
  }
}

/** (b): every key UPPER_SNAKE (one at least with `_`), at least two, every value a scalar. */
function looksLikeEnvMap(ctx: Ctx, map: unknown): boolean {
  const pairs = pairsOf(ctx, map);
  if (pairs.length < 2) return false;
  let underscore = false;
  for (const p of pairs) {
    const k = keyString(p);
    if (k === undefined || !UPPER_SNAKE.test(k)) return false;
    if (k.includes('_')) underscore = true;
    const v = deref(ctx.doc, p.value);
    if (!(v === null || v === undefined || isScalar(v))) return false;
  }
  return underscore;
}

function walk(ctx: Ctx, node: unknown, path: string[], depth: number): void {
  // Aliases are not followed: what they point at is walked where the anchor is defined (alias
  // chains would otherwise multiply the work).
  if (depth > MAX_YAML_DEPTH || ctx.visits-- <= 0 || isAlias(node)) return;
  const n = node;
  if (isSeq(n)) {
    for (const i of n.items) walk(ctx, i, path, depth + 1);
    return;
  }
  if (!isMap(n)) return;
  if (depth > 0 && looksLikeEnvMap(ctx, n)) {
    envMap(ctx, n, path, true);
    return;
  }
  for (const p of n.items) {
    if (!isPair(p)) continue;
    const key = keyString(p);
    if (key === undefined || key === '<<') continue;
    const v = deref(ctx.doc, p.value);
    const here = [...path, key];
    if ((isSeq(v) || isMap(v)) && v.items.length > 0 && depth < MAX_FILLED_DEPTH && (ctx.model.filled ??= []).length < MAX_FILLED) ctx.model.filled.push(here.join('.'));
    if (isEnvKey(key) && isSeq(v)) {
      envList(ctx, v, here);
      continue;
    }
    if (isEnvKey(key) && isMap(v)) {
      envMap(ctx, v, here, false);
      continue;
    }
    if (isSettingsKey(key) && isMap(v) && !looksLikeEnvMap(ctx, v)) {
      envMap(ctx, v, here, true);
      // Settings maps may also hold nested blocks of their own.
    }
    walk(ctx, p.value, here, depth + 1);
  }
}

/**
 * Where `NAME` goes in a values file at `path` (a chart's templates write that path as variables):
 * a `- name: NAME` / `value: ""` item after the last of a block list of EnvVar items, or `NAME: ""`
 * after the last entry of a block map. Undefined when the path is not such a list or map with
 * entries, the file is templated or broken, or NAME is there already.
 */
export function helmValuesEntryInsert(text: string, path: string, name: string): { offset: number; insert: string } | undefined {
  const f = parseYamlFile(text);
  const doc = f.docs[0];
  if (!doc || f.templated || f.errors.length > 0 || doc.errors.length > 0 || !LOOSE_VAR_NAME.test(name)) return undefined;
  const ctx = yamlCtx(f, doc);
  const keys = path.split('.');
  let parent: unknown = doc.contents;
  for (const k of keys.slice(0, -1)) parent = deref(doc, pairGet(ctx, parent, k)?.value);
  const pair = pairGet(ctx, parent, keys[keys.length - 1]);
  const value = deref(doc, pair?.value);
  if (isSeq(value) && value.items.length > 0) {
    const names = value.items.map((i) => scalarString(pairGet(ctx, deref(doc, i), 'name')?.value));
    if (names.includes(name) || names.some((n) => n === undefined)) return undefined;
    return listItemInsert(text, ctx, parent, keys[keys.length - 1], [`name: ${name}`, 'value: ""']);
  }
  if (isMap(value) && value.items.length > 0) {
    if (pairGet(ctx, value, name)) return undefined;
    return blockMapInsert(text, ctx, parent, keys[keys.length - 1], [], `${name}: ""`);
  }
  return undefined;
}
