// Figgy's replicator stores "KEY: <name> is missing. Cannot complete merge key." when a merge
// reference is missing: the parameter looks present but its value is broken. The engine only passes
// a yes/no per path (EnvState.brokenMerges), never the value.
import type { Finding, Rule } from '../types';
import { alsoDeclaredAt, listEnvs, orderedEnvStates } from './util';

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
        const envs = states.filter((st) => st.brokenMerges.has(p.path)).map((st) => st.env);
        if (envs.length === 0 || p.declaredAt.length === 0) continue;
        // One finding per parameter, where it is declared (config.py first); other sites related.
        const site = p.declaredAt[0];
        const related = alsoDeclaredAt(p.declaredAt);
        out.push({
          code: CODE,
          severity: 'error',
          message: `Merged parameter ${p.path} in ${listEnvs(envs)} holds Figgy's "Cannot complete merge key" text instead of a value: one of its references was missing when Figgy built it; create it, then re-run figgy config sync`,
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
