// A secret owner's figgy-secrets.json replicates into a path the service does not declare as a
// SharedFig / shared_figs: the app never reads it, and figgy config sync would prompt for it.
import type { Finding, Rule } from '../types';
import { secretEntries, serviceDecls } from '../../model/decls';
import { JSON_KEY, rangeKey } from './util';

const CODE = 'secret-destination-undeclared';

export const secretDestinationUndeclared: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: 'A figgy-secrets.json destination is not declared as a SharedFig / shared_figs by its service.',
  needsBackend: false,
  run(ctx) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const service of ctx.workspace.services) {
      const decls = serviceDecls(service);
      for (const e of secretEntries(service)) {
        if (!e.destPath) continue;
        const at = decls.filter((d) => d.path === e.destPath);
        if (at.some((d) => d.origin === 'shared')) continue;
        const key = `${rangeKey(e.uri, e.dest.range)}|${service.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const svc = service.twig ?? service.id;
        let message: string;
        if (at.length > 0) {
          const d = at[0];
          message =
            d.from === 'config.py'
              ? `figgy-secrets.json replicates into ${e.destPath}, which service ${svc} declares as ${d.kind} ${service.configPy?.cls.className ?? 'FigStore'}.${d.attr} instead of a SharedFig`
              : `figgy-secrets.json replicates into ${e.destPath}, which service ${svc} lists in ${JSON_KEY[d.origin]} instead of shared_figs`;
        } else {
          message = `figgy-secrets.json replicates into ${e.destPath}, but service ${svc} does not declare it as a SharedFig (config.py) or in shared_figs (figgy.json)`;
        }
        out.push({
          code: CODE,
          severity: 'warning',
          message,
          uri: e.uri,
          range: e.dest.range,
          data: { fix: 'declare-shared', path: e.destPath, serviceId: service.id },
        });
      }
    }
    return out;
  },
};
