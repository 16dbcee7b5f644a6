// A declared parameter whose presence an environment could not confirm (access denied, expired
// credentials, ...). Reported as a warning with the backend's reason, never as "missing".
import type { Finding, Rule } from '../types';
import { presenceOf } from '../presence';
import { alsoDeclaredAt, listEnvs, orderedEnvStates } from './util';

const CODE = 'unknown-in-env';

export const unknownInEnv: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: 'Whether a declared parameter exists could not be checked in an environment (with the reason).',
  needsBackend: true,
  run(ctx) {
    const states = orderedEnvStates(ctx);
    if (states.length === 0) return [];
    const out: Finding[] = [];
    for (const service of ctx.workspace.services) {
      for (const p of service.expected.values()) {
        const unknown: { env: string; why: string }[] = [];
        for (const st of states) {
          const pr = presenceOf(st, p.path);
          if (pr.state !== 'unknown') continue;
          const f = pr.failure;
          const why = f ? `${f.message}${f.hint ? ` (try: ${f.hint})` : ''}` : 'the backend was not asked about it';
          unknown.push({ env: st.env, why });
        }
        if (unknown.length === 0 || p.declaredAt.length === 0) continue;
        const envs = unknown.map((u) => u.env);
        // Environments failing for the same reason are named together: one store problem, one sentence.
        const byWhy = new Map<string, string[]>();
        for (const u of unknown) byWhy.set(u.why, [...(byWhy.get(u.why) ?? []), u.env]);
        const detail = [...byWhy].map(([why, es]) => `in ${listEnvs(es)}: ${why}`).join('; ');
        // One finding per parameter, where it is declared (config.py first); other sites related.
        const site = p.declaredAt[0];
        const related = alsoDeclaredAt(p.declaredAt);
        out.push({
          code: CODE,
          severity: 'warning',
          message: `Could not check ${p.path} ${detail}`,
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
