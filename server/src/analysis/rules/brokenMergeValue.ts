// Figgy's replicator stores "KEY: <name> is missing. Cannot complete merge key." when a merge
// reference is missing: the parameter looks present but its value is broken. The engine only passes
// a yes/no per path (EnvState.brokenMerges), never the value.
import type { Finding, Rule } from '../types';
import { orderedEnvStates } from './util';

const CODE = 'broken-merge-value';

export const brokenMergeValue: Rule = {
  code: CODE,
  defaultSeverity: 'error',
  description: 'A merged parameter\'s stored value is Figgy\'s "Cannot complete merge key" text, per environment.',
  needsBackend: true,
  run(ctx) {
    const out: Finding[] = [];
    const states = orderedEnvStates(ctx);
    for (const service of ctx.workspace.services) {
      for (const p of service.expected.values()) {
        for (const st of states) {
          if (!st.brokenMerges.has(p.path)) continue;
          for (const site of p.declaredAt) {
            out.push({
              code: CODE,
              severity: 'error',
              message: `Merged parameter ${p.path} in ${st.env} holds Figgy's "Cannot complete merge key" text instead of a value: one of its references was missing when Figgy built it; create it, then re-run figgy config sync`,
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
