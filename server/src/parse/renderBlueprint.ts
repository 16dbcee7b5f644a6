// A Render Blueprint (`render.yaml`) → RenderBlueprintModel: the environment of each service that
// runs code (web, worker, private service, cron job) and the environment groups services take in
// with `fromGroup`. An `envVars` entry is a `key` with a `value`, `generateValue: true` (Render makes
// a random secret), `sync: false` (asked in the Render Dashboard), `fromDatabase` or `fromService`
// (another resource's connection string, host, port or variable). Services of a project's
// environments (`projects[].environments[].services`) count as the root's do; groups are looked up
// by name in the whole file. What Render sets itself (PORT, RENDER_*) is added by the model
// (model/appSources.ts renderSource).
//
// A YAML file named render.yaml that has none of `services`, `envVarGroups`, `projects` as a list is
// someone else's: undefined (it is then only scanned for credentials). Pure, never throws, bounded.
import type { Pair } from 'yaml';
import type { RenderBlueprintModel, RenderEnvEntry, RenderService } from './envTypes';
import type { ParseError } from './types';
import { isMap, isSeq, keyString, nodeRange, parseYamlFile, scalarString, seqItems, type YamlFile, type YNode } from './yaml';
import { finishedErrors, listItemInsert, pairGet, pairsOf, structureError, yamlCtx, type YamlCtx } from './envYaml';
import { LOOSE_VAR_NAME } from './varNames';

/** Service types that run the app's code (`keyvalue` / `redis` are Render's own Key Value). */
const CODE_TYPES = new Set(['web', 'worker', 'pserv', 'cron']);
/** Services and entries read at most (a real Blueprint has tens). */
const MAX_ITEMS = 2_000;

/** Whether a file name is the one Render reads its Blueprint from. */
export function isRenderBlueprintName(base: string): boolean {
  return base === 'render.yaml';
}

function str(ctx: YamlCtx, map: unknown, key: string): string | undefined {
  return scalarString(pairGet(ctx, map, key)?.value);
}

function entriesOf(ctx: YamlCtx, list: unknown, errors: ParseError[], groups?: RenderService['groups']): RenderEnvEntry[] {
  const out: RenderEnvEntry[] = [];
  for (const item of seqItems(ctx.doc, list).slice(0, MAX_ITEMS)) {
    if (!isMap(item)) continue;
    const group = pairGet(ctx, item, 'fromGroup');
    const keyPair = pairGet(ctx, item, 'key');
    const key = scalarString(keyPair?.value);
    if (!keyPair || key === undefined) {
      const name = scalarString(group?.value);
      if (name !== undefined && groups) groups.push({ name, range: nodeRange(ctx.f, group!.value as YNode) });
      else if (name === undefined) errors.push(structureError('render-env', 'an envVars entry needs a "key" (or "fromGroup" in a service)', nodeRange(ctx.f, item as YNode), 'warning'));
      continue;
    }
    if (!LOOSE_VAR_NAME.test(key)) continue;
    const e: RenderEnvEntry = { key, keyRange: nodeRange(ctx.f, keyPair.value as YNode), kind: 'asked' };
    const value = pairGet(ctx, item, 'value');
    const fromDb = pairGet(ctx, item, 'fromDatabase');
    const fromSvc = pairGet(ctx, item, 'fromService');
    if (value && scalarString(value.value) !== undefined) {
      e.kind = 'value';
      e.value = scalarString(value.value);
      e.valueRange = nodeRange(ctx.f, value.value as YNode);
    } else if (scalarString(pairGet(ctx, item, 'generateValue')?.value) === 'true') e.kind = 'generated';
    else if (fromDb) {
      e.kind = 'database';
      e.from = str(ctx, fromDb.value, 'name');
    } else if (fromSvc) {
      e.kind = 'service';
      e.from = str(ctx, fromSvc.value, 'name');
    }
    out.push(e);
  }
  return out;
}

/** The lists of services and of groups, at the root and in projects' environments. */
function lists(ctx: YamlCtx, root: unknown, key: 'services' | 'envVarGroups'): YNode[] {
  const out = [...seqItems(ctx.doc, pairGet(ctx, root, key)?.value)];
  for (const project of seqItems(ctx.doc, pairGet(ctx, root, 'projects')?.value)) {
    if (key === 'envVarGroups') out.push(...seqItems(ctx.doc, pairGet(ctx, project, key)?.value));
    for (const env of seqItems(ctx.doc, pairGet(ctx, project, 'environments')?.value)) out.push(...seqItems(ctx.doc, pairGet(ctx, env, key)?.value));
  }
  return out.slice(0, MAX_ITEMS);
}

/** Reads a Render Blueprint from its YAML; undefined when the file is not one. Never throws. */
export function parseRenderBlueprint(f: YamlFile, uri: string): RenderBlueprintModel | undefined {
  try {
    const doc = f.docs[0];
    if (!doc || !isMap(doc.contents)) return undefined;
    const ctx = yamlCtx(f, doc);
    const root = doc.contents;
    const top = new Set(pairsOf(ctx, root).map((p: Pair) => keyString(p)));
    if (!['services', 'envVarGroups', 'projects'].some((k) => top.has(k) && isSeq(pairGet(ctx, root, k)?.value))) return undefined;
    // (Template syntax is said by the sources it makes incomplete, not as a notice of its own.)
    const errors: ParseError[] = f.errors.filter((e) => e.code !== 'yaml-templated');
    const model: RenderBlueprintModel = { uri, kind: 'render', services: [], groups: [], errors };
    if (f.templated) model.templated = true;
    const seen = new Set<string>();
    for (const s of lists(ctx, root, 'services')) {
      if (!isMap(s)) continue;
      const type = str(ctx, s, 'type');
      const namePair = pairGet(ctx, s, 'name');
      const name = scalarString(namePair?.value);
      // Static sites and prebuilt images do not run the workspace's code.
      const runtime = str(ctx, s, 'runtime') ?? str(ctx, s, 'env');
      // (A name given twice, in two environments of a project: the first; a source is one service.)
      if (!type || !CODE_TYPES.has(type) || name === undefined || seen.has(name) || runtime === 'static' || runtime === 'image' || pairGet(ctx, s, 'image')) continue;
      seen.add(name);
      const service: RenderService = { name, nameRange: nodeRange(ctx.f, namePair!.value as YNode), type, entries: [], groups: [] };
      const rootDir = str(ctx, s, 'rootDir');
      if (rootDir && rootDir.trim() !== '' && rootDir.trim() !== '.') service.rootDir = rootDir.trim();
      service.entries = entriesOf(ctx, pairGet(ctx, s, 'envVars')?.value, errors, service.groups);
      model.services.push(service);
    }
    for (const g of lists(ctx, root, 'envVarGroups')) {
      const name = str(ctx, g, 'name');
      if (name !== undefined) model.groups.push({ name, entries: entriesOf(ctx, pairGet(ctx, g, 'envVars')?.value, errors) });
    }
    model.errors = finishedErrors(ctx, errors);
    return model;
  } catch {
    // Defensive: a bug here is not the user's problem; the file is then only scanned for credentials.
    return undefined;
  }
}

/**
 * Where and what to insert so the Blueprint's service `service` asks for `name` in the Render
 * Dashboard (`- key: NAME` / `sync: false`: Orchard never invents a value): after the last entry
 * of its `envVars`, indented alike, or a new `envVars` after its `name:`. Undefined when the file
 * is not a readable Blueprint (syntax errors, template syntax) or has no such service.
 */
export function renderEntryInsert(text: string, service: string, name: string): { offset: number; insert: string } | undefined {
  if (!LOOSE_VAR_NAME.test(name)) return undefined;
  const f = parseYamlFile(text);
  const doc = f.docs[0];
  if (!doc || f.templated || f.errors.length || doc.errors.length || !parseRenderBlueprint(f, '')) return undefined;
  const ctx = yamlCtx(f, doc);
  const s = lists(ctx, doc.contents, 'services').find((x) => isMap(x) && str(ctx, x, 'name') === service);
  return s ? listItemInsert(text, ctx, s, 'envVars', [`key: ${name}`, 'sync: false']) : undefined;
}
