// figgy.json imports for the language server: where an import may read (the workspace folders and
// what the user allowed; a file outside every folder only beside itself), and each model's merged
// result kept while the files it read say the same, so an unchanged figgy.json keeps its merged
// model object between rebuilds (the incremental analyzer keys on model identity).
import * as path from 'node:path';
import type { FiggyJsonModel } from '../parse/types';
import { isInside, resolveImports, type ConfigRead, type ImportPolicy } from '../model/scan';
import { toPath } from '../model/uris';

export class ImportResolver {
  private policy: ImportPolicy = { roots: [] };
  /** policyFor per file, for the current policy (asked for every figgy.json on every rebuild). */
  private policies = new Map<string, ImportPolicy>();
  private readonly merged = new WeakMap<FiggyJsonModel, { reads: { path: string; result: string }[]; model: FiggyJsonModel; policy: ImportPolicy }>();

  /** The workspace folders (paths) and the folders the user allowed imports from. */
  setRoots(roots: readonly string[], allowed: string[]): void {
    this.policy = { roots: [...roots], allowed };
    this.policies.clear();
  }

  /** The model with its imports merged in: the same object as last time when nothing it read changed. */
  async resolve(m: FiggyJsonModel, read: (p: string) => Promise<ConfigRead>): Promise<FiggyJsonModel> {
    if (m.imports.length === 0) return m;
    const policy = this.policyFor(m.uri);
    const c = this.merged.get(m);
    if (c && c.policy === policy) {
      let same = true;
      for (const r of c.reads) {
        if (JSON.stringify(await read(r.path)) !== r.result) {
          same = false;
          break;
        }
      }
      if (same) return c.model;
    }
    const reads: { path: string; result: string }[] = [];
    const model = await resolveImports(
      m,
      async (p) => {
        const r = await read(p);
        reads.push({ path: p, result: JSON.stringify(r) });
        return r;
      },
      policy,
    );
    this.merged.set(m, { reads, model, policy });
    return model;
  }

  /** A file outside every workspace folder may import from its own folder only. */
  private policyFor(uri: string): ImportPolicy {
    const known = this.policies.get(uri);
    if (known) return known;
    const p = toPath(uri);
    const { roots, allowed } = this.policy;
    const within = roots.some((r) => isInside(p, r) && p !== path.resolve(r));
    const policy = within ? this.policy : { roots: [path.dirname(p)], allowed };
    this.policies.set(uri, policy);
    return policy;
  }
}
