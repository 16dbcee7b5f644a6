// A replica older than its source: Figgy's replication has not copied the latest change (or the
// mapping is gone). Only claimed when both timestamps are known in that environment.
import type { Finding, Rule } from '../types';
import type { Range } from '../../parse/types';
import { secretEntries } from '../../model/decls';
import { orderedEnvStates, rangeKey } from './util';

const CODE = 'stale-replica';

export const staleReplica: Rule = {
  code: CODE,
  defaultSeverity: 'info',
  description: "A replicated parameter was last modified before its source (replication has not caught up).",
  needsBackend: true,
  run(ctx) {
    const states = orderedEnvStates(ctx);
    if (states.length === 0) return [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const service of ctx.workspace.services) {
      const pairs: { dest: string; source: string; sites: { uri: string; range: Range }[] }[] = [];
      for (const p of service.expected.values()) if (p.source) pairs.push({ dest: p.path, source: p.source, sites: p.declaredAt });
      for (const e of secretEntries(service)) {
        if (e.destPath && e.sourcePath) pairs.push({ dest: e.destPath, source: e.sourcePath, sites: [{ uri: e.uri, range: e.dest.range }] });
      }
      for (const pr of pairs) {
        for (const st of states) {
          const d = st.params.get(pr.dest);
          const s = st.params.get(pr.source);
          if (!d || !s) continue;
          const dt = Date.parse(d.lastModified);
          const stt = Date.parse(s.lastModified);
          if (!Number.isFinite(dt) || !Number.isFinite(stt) || dt >= stt) continue;
          for (const site of pr.sites) {
            const key = `${rangeKey(site.uri, site.range)}|${st.env}|${pr.source}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push({
              code: CODE,
              severity: 'info',
              message: `Replica ${pr.dest} in ${st.env} (modified ${d.lastModified}) is older than its source ${pr.source} (modified ${s.lastModified}): Figgy's replication has not copied the latest change`,
              uri: site.uri,
              range: site.range,
              envs: [st.env],
            });
          }
        }
      }
    }
    return out;
  },
};
