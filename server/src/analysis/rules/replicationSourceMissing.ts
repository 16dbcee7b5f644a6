// A replication source that an environment positively lacks: Figgy cannot copy it, so the
// destination will be missing or stale. Covers ReplicatedFig sources, replicate_figs keys,
// replicate_from and figgy-secrets.json sources. Unreadable sources (AccessDenied on /dba for a dev
// role is the normal case) are unknown, never missing, and produce nothing here.
import type { Finding, Rule } from '../types';
import type { Range } from '../../parse/types';
import { presenceOf } from '../presence';
import { serviceDecls, secretEntries } from '../../model/decls';
import { declLabel, orderedEnvStates, rangeKey } from './util';

const CODE = 'replication-source-missing';

interface SourceSite {
  uri: string;
  range: Range;
  source: string;
  dest: string;
  what: string;
}

export const replicationSourceMissing: Rule = {
  code: CODE,
  defaultSeverity: 'error',
  description: 'A replication source (ReplicatedFig, replicate_figs, replicate_from, figgy-secrets.json) does not exist in an environment.',
  needsBackend: true,
  run(ctx) {
    const states = orderedEnvStates(ctx);
    if (states.length === 0) return [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const service of ctx.workspace.services) {
      const sites: SourceSite[] = [];
      for (const d of serviceDecls(service)) {
        if (!d.source) continue;
        sites.push({ uri: d.uri, range: d.source.range, source: d.source.value, dest: d.path, what: declLabel(d, service) });
      }
      for (const e of secretEntries(service)) {
        if (!e.sourcePath || !e.destPath) continue;
        sites.push({ uri: e.uri, range: e.source.range, source: e.sourcePath, dest: e.destPath, what: 'figgy-secrets.json entry' });
      }
      for (const s of sites) {
        for (const st of states) {
          if (presenceOf(st, s.source).state !== 'missing') continue;
          const key = `${rangeKey(s.uri, s.range)}|${st.env}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({
            code: CODE,
            severity: 'error',
            message: `Replication source ${s.source} is missing in ${st.env}, so Figgy cannot copy it to ${s.dest} (${s.what})`,
            uri: s.uri,
            range: s.range,
            envs: [st.env],
          });
        }
      }
    }
    return out;
  },
};
