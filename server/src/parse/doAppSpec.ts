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
import { isMap, isSeq, nodeRange, scalarString, seqItems, type YamlFile, type YNode } from './yaml';
import { finishedErrors, pairGet, yamlCtx, type YamlCtx } from './envYaml';
import { isReference } from './credentials/values';

const KINDS = [
  ['services', 'service'],
  ['workers', 'worker'],
  ['jobs', 'job'],
] as const;
const MAX_ITEMS = 2_000;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

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

/** Reads an app spec from its YAML; undefined when the file is not one. Never throws. */
export function parseDoAppSpec(f: YamlFile, uri: string): DoAppSpecModel | undefined {
  try {
    const doc = f.docs[0];
    if (!doc || !isMap(doc.contents)) return undefined;
    const ctx = yamlCtx(f, doc);
    // The Deploy to DigitalOcean template wraps the spec in `spec:`.
    const wrapped = pairGet(ctx, doc.contents, 'spec')?.value;
    const spec = isMap(wrapped) ? wrapped : doc.contents;
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
