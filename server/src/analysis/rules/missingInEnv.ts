// A declared parameter that an environment positively does not have. One finding per declaration site,
// naming every environment where it is missing; "could not tell" never counts (see unknown-in-env).
import type { Finding, RelatedInfo, Rule } from '../types';
import { presenceOf } from '../presence';
import { listEnvs, orderedEnvStates } from './util';
import type { ExpectedParam } from '../../model/types';

const CODE = 'missing-in-env';

function why(p: ExpectedParam): string {
  switch (p.origin) {
    case 'replicated':
    case 'replicate-from':
      return p.source ? ` (Figgy replicates it from ${p.source})` : '';
    case 'merged':
      return " (Figgy's merge Lambda builds it once its references exist)";
    case 'shared':
      return ' (its owner shares it into this namespace)';
    default:
      return '';
  }
}

export const missingInEnv: Rule = {
  code: CODE,
  defaultSeverity: 'error',
  description: 'A declared parameter does not exist in an environment (figgy config validate would fail).',
  needsBackend: true,
  run(ctx) {
    const states = orderedEnvStates(ctx);
    if (states.length === 0) return [];
    const out: Finding[] = [];
    for (const service of ctx.workspace.services) {
      for (const p of service.expected.values()) {
        const missing: { env: string; listed: boolean }[] = [];
        for (const st of states) {
          if (presenceOf(st, p.path).state === 'missing') missing.push({ env: st.env, listed: !st.knownMissing.has(p.path) });
        }
        if (missing.length === 0) continue;
        const envs = missing.map((m) => m.env);
        const label = p.attr ? ` (${service.configPy?.cls.className ?? 'FigStore'}.${p.attr})` : '';
        for (const site of p.declaredAt) {
          const related: RelatedInfo[] = missing.map((m) => ({
            uri: site.uri,
            range: site.range,
            message: m.listed ? `missing in ${m.env}: not among the parameters listed under ${service.twig ?? 'its prefix'}` : `missing in ${m.env}: looked up, not found`,
          }));
          out.push({
            code: CODE,
            severity: 'error',
            message: `${p.path}${label} is missing in ${listEnvs(envs)}${why(p)}`,
            uri: site.uri,
            range: site.range,
            envs,
            related,
            data: { fix: 'add-parameter', path: p.path, envs, likelySecret: p.likelySecret },
          });
        }
      }
    }
    return out;
  },
};
