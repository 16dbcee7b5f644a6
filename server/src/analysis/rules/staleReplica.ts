// A replica older than its source: Figgy's replication has not copied the latest change (or the
// mapping is gone). Only claimed when both timestamps are known in that environment.
import type { Finding, Rule } from '../types';
import type { Range } from '../../parse/types';
import { secretEntries } from '../../model/decls';
import { fileNameOf } from '../../model/uris';
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
      // One finding per (replica, source): at the first site (config.py first), every stale env named.
      const byPair = new Map<string, (typeof pairs)[number]>();
      for (const pr of pairs) {
        const k = `${pr.dest}\u0000${pr.source}`;
        const have = byPair.get(k);
        if (have) have.sites.push(...pr.sites.filter((x) => !have.sites.some((y) => rangeKey(y.uri, y.range) === rangeKey(x.uri, x.range))));
        else byPair.set(k, { ...pr, sites: [...pr.sites] });
      }
      for (const pr of byPair.values()) {
        const stale: string[] = [];
        for (const st of states) {
          const d = st.params.get(pr.dest);
          const s = st.params.get(pr.source);
          if (!d || !s) continue;
          const dt = Date.parse(d.lastModified);
          const stt = Date.parse(s.lastModified);
          if (!Number.isFinite(dt) || !Number.isFinite(stt) || dt >= stt) continue;
          stale.push(`${st.env} (replica modified ${d.lastModified}, source ${s.lastModified})`);
        }
        if (stale.length === 0 || pr.sites.length === 0) continue;
        pr.sites.sort((a, b) => siteRank(a.uri) - siteRank(b.uri));
        const [site, ...rest] = pr.sites;
        const key = `${rangeKey(site.uri, site.range)}|${pr.source}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const related = rest
          .filter((r) => r.uri !== site.uri || r.range.start.line !== site.range.start.line)
          .map((r) => ({ uri: r.uri, range: r.range, message: `also replicated here (${fileNameOf(r.uri)})` }));
        const envs = stale.map((x) => x.slice(0, x.indexOf(' ')));
        out.push({
          code: CODE,
          severity: 'info',
          message: `Replica ${pr.dest} is older than its source ${pr.source} in ${stale.join('; ')}: Figgy's replication has not copied the latest change`,
          uri: site.uri,
          range: site.range,
          envs,
          ...(related.length ? { related } : {}),
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
