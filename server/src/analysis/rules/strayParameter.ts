// Parameters under a service's twig that nothing declares: what `figgy config prune` would offer to
// delete. Only claimed for environments whose twig listing completed.
import type { EnvState, Finding, Rule } from '../types';
import { failureFor, isListed } from '../presence';
import { orderedEnvStates, serviceTwigs, twigSite } from './util';
import { sameList } from '../../model/identity';

const CODE = 'stray-parameter';
const SHOWN = 10;

/** Names under `twig` from a sorted list, by binary search (thousands of twigs × thousands of names). */
function namesUnder(sorted: string[], twig: string): string[] {
  const lo = `${twig}/`;
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (sorted[m] < lo) a = m + 1;
    else b = m;
  }
  const out: string[] = [];
  for (let i = a; i < sorted.length && sorted[i].startsWith(lo); i++) out.push(sorted[i]);
  return out;
}

/** Sorted parameter names of an environment state; EnvStates are not mutated once gathered, so this is memoised by identity. */
const sortedByState = new WeakMap<EnvState, string[]>();
function sortedNamesOf(st: EnvState): string[] {
  let s = sortedByState.get(st);
  if (!s) sortedByState.set(st, (s = [...st.params.keys()].sort()));
  return s;
}

/** True when a twig strictly between `twig` and `name` belongs to another service. */
function inNestedTwig(name: string, twig: string, twigs: ReadonlySet<string>): boolean {
  for (let p = name.slice(0, name.lastIndexOf('/')); p.length > twig.length; p = p.slice(0, p.lastIndexOf('/'))) {
    if (twigs.has(p)) return true;
  }
  return false;
}

/**
 * A service's findings depend on the service (immutable once built), the env states (immutable once
 * gathered) and the twig set: the same inputs give the same finding objects, so a keystroke in one
 * service of 10,000 re-checks one (and consumers see the others unchanged by identity).
 */
const memo = new WeakMap<object, { states: EnvState[]; twigs: ReadonlySet<string>; out: Finding[] }>();

export const strayParameter: Rule = {
  code: CODE,
  defaultSeverity: 'info',
  description: 'Parameters under the twig that nothing declares (what figgy config prune would delete), per environment.',
  needsBackend: true,
  run(ctx) {
    const out: Finding[] = [];
    const states = orderedEnvStates(ctx);
    const twigs = serviceTwigs(ctx.workspace.services);
    const sortedNames = new Map(states.map((st) => [st.env, sortedNamesOf(st)]));
    for (const service of ctx.workspace.services) {
      const twig = service.twig;
      if (!twig) continue;
      const known = memo.get(service);
      if (known && known.twigs === twigs && sameList(known.states, states)) {
        for (const f of known.out) out.push(f);
        continue;
      }
      const mine: Finding[] = [];
      memo.set(service, { states, twigs, out: mine });
      const site = twigSite(service);
      if (!site) continue;
      for (const st of states) {
        if (!isListed(st, twig) || failureFor(st, twig)) continue;
        // Parameters of a nested service's twig are that service's business, not strays of this one.
        const stray = namesUnder(sortedNames.get(st.env)!, twig).filter((n) => !service.expected.has(n) && !inNestedTwig(n, twig, twigs));
        if (stray.length === 0) continue;
        const shown = stray.slice(0, SHOWN).join(', ');
        const more = stray.length > SHOWN ? ` and ${stray.length - SHOWN} more` : '';
        const noun = stray.length === 1 ? 'parameter' : 'parameters';
        mine.push({
          code: CODE,
          severity: 'info',
          message: `${stray.length} ${noun} under ${twig} in ${st.env} ${stray.length === 1 ? 'is' : 'are'} declared nowhere; figgy config prune would delete: ${shown}${more}`,
          uri: site.uri,
          range: site.range,
          envs: [st.env],
          data: { fix: 'prune', paths: stray, env: st.env },
        });
      }
      for (const f of mine) out.push(f);
    }
    return out;
  },
};
