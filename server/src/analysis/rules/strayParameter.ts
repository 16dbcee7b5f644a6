// Parameters under a service's twig that nothing declares: what `figgy config prune` would offer to
// delete. Only claimed for environments whose twig listing completed.
import type { Finding, Rule } from '../types';
import { isUnderTwig } from '../../parse/paths';
import { failureFor, prefixCovers } from '../presence';
import { orderedEnvStates, twigSite } from './util';

const CODE = 'stray-parameter';
const SHOWN = 10;

export const strayParameter: Rule = {
  code: CODE,
  defaultSeverity: 'info',
  description: 'Parameters under the twig that nothing declares (what figgy config prune would delete), per environment.',
  needsBackend: true,
  run(ctx) {
    const out: Finding[] = [];
    const states = orderedEnvStates(ctx);
    for (const service of ctx.workspace.services) {
      const twig = service.twig;
      if (!twig) continue;
      const site = twigSite(service);
      if (!site) continue;
      // Nested twigs belong to other services: their parameters are not strays of this one.
      const nested = ctx.workspace.services.map((s) => s.twig).filter((t): t is string => !!t && t !== twig && isUnderTwig(twig, t));
      for (const st of states) {
        if (!st.listedPrefixes.some((p) => prefixCovers(p, twig)) || failureFor(st, twig)) continue;
        const stray = [...st.params.keys()]
          .filter((n) => isUnderTwig(twig, n) && n !== twig && !service.expected.has(n) && !nested.some((t) => isUnderTwig(t, n)))
          .sort();
        if (stray.length === 0) continue;
        const shown = stray.slice(0, SHOWN).join(', ');
        const more = stray.length > SHOWN ? ` and ${stray.length - SHOWN} more` : '';
        const noun = stray.length === 1 ? 'parameter' : 'parameters';
        out.push({
          code: CODE,
          severity: 'info',
          message: `${stray.length} ${noun} under ${twig} in ${st.env} ${stray.length === 1 ? 'is' : 'are'} declared nowhere; figgy config prune would delete: ${shown}${more}`,
          uri: site.uri,
          range: site.range,
          envs: [st.env],
          data: { fix: 'prune', paths: stray, env: st.env },
        });
      }
    }
    return out;
  },
};
