// A replication source that an environment positively lacks: Figgy cannot copy it, so the
// destination will be missing or stale. Covers ReplicatedFig sources, replicate_figs keys,
// replicate_from and figgy-secrets.json sources. Unreadable sources (AccessDenied on /dba for a dev
// role is the normal case) are unknown, never missing, and produce nothing here.
import type { Finding, Rule } from '../types';
import type { Range } from '../../parse/types';
import { isMissing } from '../presence';
import { serviceDecls, secretEntries } from '../../model/decls';
import { declLabel, listEnvs, orderedEnvStates, rangeKey } from './util';

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
      // One problem per (source, destination): at its first site (config.py before figgy.json before
      // figgy-secrets.json), naming every environment; other sites are related information.
      const groups = new Map<string, SourceSite[]>();
      for (const s of sites) {
        const k = `${s.source}\u0000${s.dest}`;
        groups.set(k, [...(groups.get(k) ?? []), s]);
      }
      for (const group of groups.values()) {
        group.sort((a, b) => siteRank(a.uri) - siteRank(b.uri));
        const s = group[0];
        const envs = states.filter((st) => isMissing(st, s.source)).map((st) => st.env);
        if (envs.length === 0) continue;
        const key = `${rangeKey(s.uri, s.range)}|${s.source}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const destMissing = envs.filter((e) => {
          const st = states.find((x) => x.env === e);
          return st !== undefined && isMissing(st, s.dest);
        });
        const dest = destMissing.length === 0 ? s.dest : destMissing.length === envs.length ? `${s.dest}, which is missing there too` : `${s.dest} (missing in ${listEnvs(destMissing)} too)`;
        const related = group
          .slice(1)
          .filter((o) => o.uri !== s.uri || o.range.start.line !== s.range.start.line)
          .map((o) => ({ uri: o.uri, range: o.range, message: `also replicated here (${o.what})` }));
        out.push({
          code: CODE,
          severity: 'error',
          message: `Replication source ${s.source} is missing in ${listEnvs(envs)}, so Figgy cannot copy it to ${dest} (${s.what})`,
          uri: s.uri,
          range: s.range,
          envs,
          ...(related.length ? { related } : {}),
          data: { fix: 'add-parameter', path: s.source, envs, likelySecret: false, origin: 'replication-source' },
        });
      }
    }
    return out;
  },
};

/** config.py first, then figgy.json, then figgy-secrets.json. */
function siteRank(uri: string): number {
  return uri.endsWith('.py') ? 0 : uri.endsWith('figgy-secrets.json') ? 2 : 1;
}
