// The ConfigMaps' and Secrets' keys an `envFrom` of a Kubernetes manifest can take in, by folder:
// those the manifests of its folder define or a Kustomize generator there makes
// (`configMapGenerator` / `secretGenerator` in a `kustomization.yaml`), and those of every
// kustomization's folder that builds on it — through `resources` / `bases` (an overlay's
// `../../base`), theirs in turn, 8 deep. A generator's `envs` files give their `.env` keys; one
// Orchard did not read leaves the object's keys not all known. Pure.
import type { DotenvModel, K8sKeys, K8sManifestModel } from '../parse/envTypes';
import { dirOf } from './uris';
import { resolveFile, resolveFolder } from './composeBuild';

/** Kustomizations followed through `resources` at most. */
const MAX_DEPTH = 8;

export interface K8sData {
  /** The keys an `envFrom` of a manifest in each folder can take in. */
  byDir: Map<string, K8sKeys[]>;
  /** The `.env` files generators read (an edit of one changes a folder's keys: the apps are built again). */
  envFiles: Set<string>;
}

/** The folders a kustomization in `dir` builds on, its own first. */
function reached(dir: string, kustomizations: ReadonlyMap<string, K8sManifestModel>): string[] {
  const out = [dir];
  const seen = new Set(out);
  let frontier = [dir];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const d of frontier) {
      for (const r of kustomizations.get(d)?.kustomize?.resources ?? []) {
        // A remote base (`github.com/…`, `https://…`) is no folder of the workspace; a file resource is its folder's.
        if (/^[\w.+-]+:\/\/|^github\.com\//.test(r)) continue;
        const target = /\.ya?ml$/.test(r) ? dirOf(resolveFile(d, r)) : resolveFolder(d, r);
        if (seen.has(target)) continue;
        seen.add(target);
        out.push(target);
        next.push(target);
      }
    }
    frontier = next;
  }
  return out;
}

/** Every folder's ConfigMap / Secret keys, the generators' `envs` files read through `dotenvByUri`. */
export function k8sDataByFolder(k8s: readonly K8sManifestModel[], dotenvByUri: ReadonlyMap<string, DotenvModel>): K8sData {
  const own = new Map<string, K8sKeys[]>();
  const envFiles = new Set<string>();
  const kustomizations = new Map<string, K8sManifestModel>();
  for (const m of k8s) if (m.kustomize) kustomizations.set(dirOf(m.uri), m);
  for (const m of k8s) {
    if (m.data.length === 0) continue;
    const dir = dirOf(m.uri);
    const data = m.data.map((d) => {
      if (!d.envFiles?.length) return d;
      const keys = [...d.keys];
      const unread: string[] = [];
      for (const p of d.envFiles) {
        const uri = resolveFile(dir, p);
        envFiles.add(uri);
        const env = dotenvByUri.get(uri);
        if (!env) unread.push(p);
        else for (const e of env.entries) keys.push({ key: e.key, range: e.keyRange, uri });
      }
      return unread.length ? { ...d, keys, unread } : { ...d, keys };
    });
    own.set(dir, [...(own.get(dir) ?? []), ...data]);
  }
  const byDir = new Map(own);
  // What a kustomization's folder defines (its generators, the manifests beside it: an overlay's
  // configmap.yaml) reaches the folders it builds on.
  for (const dir of kustomizations.keys()) {
    const mine = own.get(dir);
    if (!mine) continue;
    for (const at of reached(dir, kustomizations).slice(1)) byDir.set(at, [...(byDir.get(at) ?? []), ...mine]);
  }
  return { byDir, envFiles };
}
