// A DigitalOcean App Platform spec → DoAppSpecModel: the environment of each component that runs
// code (services, workers, jobs). `.do/app.yaml` is the spec `doctl apps create --spec` and the
// GitHub action read; `.do/deploy.template.yaml` (the Deploy to DigitalOcean button) holds one
// under `spec:`. App-wide `envs` reach every component; each entry has a `key`, a `value`, a
// `scope` (`RUN_TIME`, `BUILD_TIME`, `RUN_AND_BUILD_TIME` by default) and a `type` (`SECRET`
// values are encrypted once App Platform has them: `EV[1:…]`). A value naming a bindable variable
// (`${db.DATABASE_URL}`) is filled in by App Platform: provided, no literal. Static sites and
// functions are not read (the former only build; the latter are not the app's processes).
//
// Pure, never throws, bounded; a file of another shape is undefined (then only scanned).
import type { DoAppSpecModel, DoComponent, DoEnvEntry } from './envTypes';
import type { ParseError } from './types';
import { isMap, isSeq, nodeRange, parseYamlFile, scalarString, seqItems, type YamlFile, type YNode } from './yaml';
import { finishedErrors, listItemInsert, pairGet, yamlCtx, type YamlCtx } from './envYaml';
import { isReference } from './credentials/values';
import { VAR_NAME } from './varNames';

const KINDS = [
  ['services', 'service'],
  ['workers', 'worker'],
  ['jobs', 'job'],
] as const;
const MAX_ITEMS = 2_000;

/** `.do/app.yaml` / `.do/deploy.template.yaml` (and `.yml`). */
export function isDoAppSpecPath(p: string): boolean {
  return /(?:^|\/)\.do\/(?:app|deploy\.template)\.ya?ml$/.test(p);
}

function entriesOf(ctx: YamlCtx, list: unknown): DoEnvEntry[] {
  const out: DoEnvEntry[] = [];
  for (const item of seqItems(ctx.doc, list).slice(0, MAX_ITEMS)) {
    const keyPair = pairGet(ctx, item, 'key');
    const key = scalarString(keyPair?.value);
    if (!keyPair || key === undefined || !VAR_NAME.test(key)) continue;
    const e: DoEnvEntry = {
      key,
      keyRange: nodeRange(ctx.f, keyPair.value as YNode),
      secret: scalarString(pairGet(ctx, item, 'type')?.value)?.toUpperCase() === 'SECRET',
      buildOnly: scalarString(pairGet(ctx, item, 'scope')?.value)?.toUpperCase() === 'BUILD_TIME',
    };
    const v = pairGet(ctx, item, 'value')?.value;
    const value = scalarString(v);
    // An encrypted secret (`EV[1:…]`) or a bound variable (`${db.DATABASE_URL}`) is no literal: the
    // credential scan's test of a value kept elsewhere says which.
    if (value !== undefined && !isReference(value)) {
      e.value = value;
      e.valueRange = nodeRange(ctx.f, v as YNode);
    }
    out.push(e);
  }
  return out;
}

/** The spec: the document, or what the Deploy to DigitalOcean template wraps in `spec:`. */
function specOf(ctx: YamlCtx, root: unknown): unknown {
  const wrapped = pairGet(ctx, root, 'spec')?.value;
  return isMap(wrapped) ? wrapped : root;
}

/** Reads an app spec from its YAML; undefined when the file is not one. Never throws. */
export function parseDoAppSpec(f: YamlFile, uri: string): DoAppSpecModel | undefined {
  try {
    const doc = f.docs[0];
    if (!doc || !isMap(doc.contents)) return undefined;
    const ctx = yamlCtx(f, doc);
    const spec = specOf(ctx, doc.contents);
    if (!['services', 'workers', 'jobs', 'envs', 'static_sites'].some((k) => isSeq(pairGet(ctx, spec, k)?.value))) return undefined;
    // (Template syntax is said by the sources it makes incomplete, not as a notice of its own.)
    const errors: ParseError[] = f.errors.filter((e) => e.code !== 'yaml-templated');
    const model: DoAppSpecModel = { uri, kind: 'do-app', appEntries: entriesOf(ctx, pairGet(ctx, spec, 'envs')?.value), components: [], errors };
    if (f.templated) model.templated = true;
    const seen = new Set<string>();
    for (const [key, kind] of KINDS) {
      for (const c of seqItems(ctx.doc, pairGet(ctx, spec, key)?.value).slice(0, MAX_ITEMS)) {
        const namePair = pairGet(ctx, c, 'name');
        const name = scalarString(namePair?.value);
        // A prebuilt image from a registry is not the workspace's code.
        if (name === undefined || seen.has(name) || pairGet(ctx, c, 'image')) continue;
        seen.add(name);
        const component: DoComponent = { name, nameRange: nodeRange(ctx.f, namePair!.value as YNode), kind, entries: entriesOf(ctx, pairGet(ctx, c, 'envs')?.value) };
        const dir = scalarString(pairGet(ctx, c, 'source_dir')?.value)?.trim().replace(/^\.?\/+/, '').replace(/\/+$/, '');
        if (dir) component.sourceDir = dir;
        model.components.push(component);
      }
    }
    model.errors = finishedErrors(ctx, errors);
    return model;
  } catch {
    // Defensive: a bug here is not the user's problem; the file is then only scanned for credentials.
    return undefined;
  }
}

/**
 * How to give the component `component` the variable `name` at run time, as a text edit at
 * `offset` (replacing `length` characters): when the spec sets it for the build only (its own or an
 * app-wide `scope: BUILD_TIME` entry), that scope becomes `RUN_AND_BUILD_TIME`; otherwise a new
 * entry `- key: NAME` / `scope: RUN_TIME` (and `type: SECRET` for a secret) after the last of its
 * `envs`, indented alike, or a new `envs` after its `name:`, whose value is set in App Platform
 * (Orchard never invents one). Undefined when the file is not a readable spec (syntax errors,
 * template syntax) or has no such component.
 */
export function doEntryEdit(text: string, component: string, name: string, secret: boolean): { offset: number; length: number; insert: string; scope?: true } | undefined {
  if (!VAR_NAME.test(name)) return undefined;
  const f = parseYamlFile(text);
  const doc = f.docs[0];
  if (!doc || f.templated || f.errors.length || doc.errors.length || !parseDoAppSpec(f, '')) return undefined;
  const ctx = yamlCtx(f, doc);
  const spec = specOf(ctx, doc.contents);
  const c = KINDS.flatMap(([key]) => seqItems(ctx.doc, pairGet(ctx, spec, key)?.value)).find((x) => scalarString(pairGet(ctx, x, 'name')?.value) === component);
  if (!c) return undefined;
  for (const list of [pairGet(ctx, c, 'envs')?.value, pairGet(ctx, spec, 'envs')?.value]) {
    const entry = seqItems(ctx.doc, list).find((e) => scalarString(pairGet(ctx, e, 'key')?.value) === name);
    const scope = pairGet(ctx, entry, 'scope')?.value as YNode | undefined;
    if (entry && scalarString(scope)?.toUpperCase() === 'BUILD_TIME' && scope?.range) {
      return { offset: scope.range[0], length: scope.range[1] - scope.range[0], insert: 'RUN_AND_BUILD_TIME', scope: true };
    }
    // Set for the run as well in the component's own envs: nothing to add there (the finding is elsewhere).
    if (entry) return undefined;
  }
  const at = listItemInsert(text, ctx, c, 'envs', [`key: ${name}`, 'scope: RUN_TIME', ...(secret ? ['type: SECRET'] : [])]);
  return at ? { ...at, length: 0 } : undefined;
}
