// Kubernetes manifests → K8sManifestModel: the environment of each container of the workloads a
// YAML file holds (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod; one document
// each, `---` between them), and the keys of the ConfigMaps and Secrets it defines, which an
// `envFrom` of a manifest in the same folder takes in. A container's `env` entry is a literal `value` or a
// `valueFrom` (a Secret's or ConfigMap's key, a field of the pod, a resource limit): provided either
// way, without a literal for the latter.
//
// Recognised by content (manifests have any name): a document with `apiVersion` and a workload or
// ConfigMap / Secret `kind`. A file with template syntax (a Helm chart's `templates/`, whose values
// are read from values.yaml) is not read here. Pure, never throws, bounded; undefined for any
// other YAML file (then it is only scanned for credentials).
import type { K8sContainer, K8sEnvEntry, K8sEnvFrom, K8sKeys, K8sManifestModel, K8sWorkload } from './platformTypes';
import type { ParseError } from './types';
import { isMap, keyString, nodeRange, scalarString, seqItems, type YamlFile, type YNode } from './yaml';
import { finishedErrors, MAX_MERGED_PER_FILE, pairGet, pairsOf, yamlCtx, type YamlCtx } from './envYaml';
import { LOOSE_VAR_NAME } from './varNames';

/** Where each workload kind keeps its pod spec (a Map: a `kind` is any text the file says). */
export const POD_SPEC = new Map<string, readonly string[]>([
  ['Pod', ['spec']],
  ['Deployment', ['spec', 'template', 'spec']],
  ['StatefulSet', ['spec', 'template', 'spec']],
  ['DaemonSet', ['spec', 'template', 'spec']],
  ['ReplicaSet', ['spec', 'template', 'spec']],
  ['Job', ['spec', 'template', 'spec']],
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
]);
/** Documents, containers and entries read at most (a real manifest has tens). */
const MAX_ITEMS = 2_000;

function str(ctx: YamlCtx, map: unknown, key: string): string | undefined {
  return scalarString(pairGet(ctx, map, key)?.value);
}

function at(ctx: YamlCtx, map: unknown, path: readonly string[]): unknown {
  let node = map;
  for (const k of path) node = pairGet(ctx, node, k)?.value;
  return node;
}

/** `registry.example.com:5000/team/app:1.2@sha256:…` → `team/app`; Docker Hub's `library/` dropped. */
export function imageName(image: string): string {
  let s = image.trim().toLowerCase().replace(/@.*$/, '');
  const parts = s.split('/');
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) parts.shift();
  s = parts.join('/').replace(/:[^/]*$/, '');
  return s.replace(/^library\//, '');
}

function envEntries(ctx: YamlCtx, list: unknown): K8sEnvEntry[] {
  const out: K8sEnvEntry[] = [];
  for (const item of seqItems(ctx.doc, list).slice(0, MAX_ITEMS)) {
    const namePair = pairGet(ctx, item, 'name');
    const key = scalarString(namePair?.value);
    if (!namePair || key === undefined || !LOOSE_VAR_NAME.test(key)) continue;
    const e: K8sEnvEntry = { key, keyRange: nodeRange(ctx.f, namePair.value as YNode) };
    const valueFrom = pairGet(ctx, item, 'valueFrom')?.value;
    const value = pairGet(ctx, item, 'value');
    if (isMap(valueFrom)) {
      e.from = pairGet(ctx, valueFrom, 'secretKeyRef') ? 'secret' : pairGet(ctx, valueFrom, 'configMapKeyRef') ? 'config-map' : pairGet(ctx, valueFrom, 'resourceFieldRef') ? 'resource' : 'field';
    } else if (value && scalarString(value.value) !== undefined) {
      e.value = scalarString(value.value);
      e.valueRange = nodeRange(ctx.f, value.value as YNode);
    } else e.value = '';
    out.push(e);
  }
  return out;
}

function envFroms(ctx: YamlCtx, list: unknown): K8sEnvFrom[] {
  const out: K8sEnvFrom[] = [];
  for (const item of seqItems(ctx.doc, list).slice(0, MAX_ITEMS)) {
    const secret = pairGet(ctx, item, 'secretRef');
    const ref = secret ?? pairGet(ctx, item, 'configMapRef');
    if (!ref) continue;
    const e: K8sEnvFrom = { from: secret ? 'secret' : 'config-map', range: nodeRange(ctx.f, (ref.key ?? item) as YNode) };
    const name = str(ctx, ref.value, 'name');
    if (name !== undefined) e.name = name;
    const prefix = str(ctx, item, 'prefix');
    if (prefix) e.prefix = prefix;
    out.push(e);
  }
  return out;
}

function containers(ctx: YamlCtx, podSpec: unknown): K8sContainer[] {
  const out: K8sContainer[] = [];
  for (const c of seqItems(ctx.doc, pairGet(ctx, podSpec, 'containers')?.value).slice(0, MAX_ITEMS)) {
    const namePair = pairGet(ctx, c, 'name');
    const name = scalarString(namePair?.value);
    if (name === undefined) continue;
    const container: K8sContainer = { name, nameRange: nodeRange(ctx.f, namePair!.value as YNode), entries: envEntries(ctx, pairGet(ctx, c, 'env')?.value), envFrom: envFroms(ctx, pairGet(ctx, c, 'envFrom')?.value) };
    const image = str(ctx, c, 'image');
    if (image) container.image = imageName(image);
    out.push(container);
  }
  return out;
}

function keysOf(ctx: YamlCtx, map: unknown): K8sKeys['keys'] {
  return pairsOf(ctx, map)
    .slice(0, MAX_ITEMS)
    .flatMap((p) => {
      const key = keyString(p);
      return key !== undefined && LOOSE_VAR_NAME.test(key) && p.key ? [{ key, range: nodeRange(ctx.f, p.key as YNode) }] : [];
    });
}

/** `kustomization.yaml` / `.yml`: the file `kustomize build` reads in a folder. */
export function isKustomizationPath(uri: string): boolean {
  return /\/kustomization\.ya?ml$/.test(uri);
}

/**
 * A kustomization's ConfigMap / Secret generators (`configMapGenerator`, `secretGenerator`): the
 * keys of their `literals` (`KEY=value`) and `files` (`key=path`, else the file's name), and their
 * `envs` files (read by the model layer); and the `resources` / `bases` it builds on.
 */
function kustomization(ctx: YamlCtx, uri: string, root: unknown): K8sManifestModel {
  const data: K8sKeys[] = [];
  for (const [key, from] of [['configMapGenerator', 'config-map'], ['secretGenerator', 'secret']] as const) {
    for (const g of seqItems(ctx.doc, pairGet(ctx, root, key)?.value).slice(0, MAX_ITEMS)) {
      const name = str(ctx, g, 'name');
      if (name === undefined) continue;
      const d: K8sKeys = { from, name, keys: [], uri };
      for (const lit of seqItems(ctx.doc, pairGet(ctx, g, 'literals')?.value).slice(0, MAX_ITEMS)) {
        const text = scalarString(lit);
        const k = text === undefined ? undefined : /^\s*([^=\s]+)\s*=/.exec(text)?.[1];
        if (!k || !LOOSE_VAR_NAME.test(k)) continue;
        const r = nodeRange(ctx.f, lit as YNode);
        const quoted = /^["']/.test(ctx.f.text.slice((lit as YNode).range?.[0] ?? 0));
        const start = { line: r.start.line, character: r.start.character + (quoted ? 1 : 0) };
        d.keys.push({ key: k, range: { start, end: { line: start.line, character: start.character + k.length } } });
      }
      for (const file of seqItems(ctx.doc, pairGet(ctx, g, 'files')?.value).slice(0, MAX_ITEMS)) {
        const text = scalarString(file);
        const k = text === undefined ? undefined : text.includes('=') ? text.slice(0, text.indexOf('=')).trim() : text.slice(text.lastIndexOf('/') + 1);
        if (k && LOOSE_VAR_NAME.test(k)) d.keys.push({ key: k, range: nodeRange(ctx.f, file as YNode) });
      }
      const envs = [...seqItems(ctx.doc, pairGet(ctx, g, 'envs')?.value).map(scalarString), str(ctx, g, 'env')].filter((x): x is string => Boolean(x));
      if (envs.length) d.envFiles = envs;
      data.push(d);
    }
  }
  const resources = ['resources', 'bases'].flatMap((k) => seqItems(ctx.doc, pairGet(ctx, root, k)?.value).map(scalarString)).filter((x): x is string => Boolean(x));
  return { uri, kind: 'k8s', workloads: [], data, kustomize: { resources: resources.slice(0, MAX_ITEMS) }, errors: [] };
}

/** Reads the workloads and ConfigMaps / Secrets of a YAML file; undefined when it holds neither. Never throws. */
export function parseK8sManifests(f: YamlFile, uri: string): K8sManifestModel | undefined {
  try {
    if (f.templated) return undefined;
    // A kustomization: its generators make ConfigMaps and Secrets for the manifests it builds.
    if (isKustomizationPath(uri) && f.docs[0] && isMap(f.docs[0].contents)) {
      const m = kustomization(yamlCtx(f, f.docs[0]), uri, f.docs[0].contents);
      return m.data.length > 0 || m.kustomize!.resources.length > 0 ? m : undefined;
    }
    const workloads: K8sWorkload[] = [];
    const data: K8sKeys[] = [];
    // (The file's YAML errors are the credential scan's to report, as for any YAML file.)
    const errors: ParseError[] = [];
    // One merge-key budget for the whole file, whatever the number of documents.
    const budget = { left: MAX_MERGED_PER_FILE };
    let ctx: YamlCtx | undefined;
    for (const doc of f.docs.slice(0, MAX_ITEMS)) {
      if (!isMap(doc.contents)) continue;
      ctx = yamlCtx(f, doc, budget);
      const kind = str(ctx, doc.contents, 'kind');
      if (kind === undefined || str(ctx, doc.contents, 'apiVersion') === undefined) continue;
      const namePair = pairGet(ctx, at(ctx, doc.contents, ['metadata']), 'name');
      const name = scalarString(namePair?.value);
      if (name === undefined) continue;
      if (kind === 'ConfigMap' || kind === 'Secret') {
        const maps = kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData'];
        data.push({ from: kind === 'Secret' ? 'secret' : 'config-map', name, keys: maps.flatMap((k) => keysOf(ctx!, pairGet(ctx!, doc.contents, k)?.value)), uri });
        continue;
      }
      const path = POD_SPEC.get(kind);
      if (!path) continue;
      workloads.push({ kind, name, nameRange: nodeRange(f, namePair!.value as YNode), containers: containers(ctx, at(ctx, doc.contents, path)) });
    }
    if (workloads.length === 0 && data.length === 0) return undefined;
    return { uri, kind: 'k8s', workloads, data, errors: ctx ? finishedErrors(ctx, errors) : errors };
  } catch {
    // Defensive: a bug here is not the user's problem; the file is then only scanned for credentials.
    return undefined;
  }
}
