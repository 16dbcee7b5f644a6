// A declared parameter that an environment positively does not have. One finding per parameter, at
// its declaration (config.py when there is one; other sites are related information), naming every
// environment where it is missing; "could not tell" never counts (see unknown-in-env). Environments
// where a replicated parameter's source is missing are replication-source-missing's: one problem.
import type { Finding, RelatedInfo, Rule } from '../types';
import { isMissing } from '../presence';
import { alsoDeclaredAt, listEnvs, orderedEnvStates } from './util';
import type { ExpectedParam, Service } from '../../model/types';
import type { EnvState } from '../types';
import { secretEntries, serviceMergeRefs } from '../../model/decls';
import { sameList } from '../../model/identity';

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

/** A replicated parameter's environments where the source is missing: replication-source-missing says those. */
function sourceMissingIn(p: ExpectedParam, st: EnvState): boolean {
  return (p.origin === 'replicated' || p.origin === 'replicate-from') && p.source !== undefined && isMissing(st, p.source);
}

/**
 * What the user acts on instead of typing a value: the figgy-secrets.json entry that shares a
 * SharedFig, and the references of a MergeFig that are missing where it is.
 */
function howItComes(service: Service, p: ExpectedParam, states: EnvState[]): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  if (p.origin === 'shared') {
    // The service's own figgy-secrets.json entries (the ones sharing into its namespace): slice-local.
    for (const e of secretEntries(service)) {
      if (e.destPath === p.path) out.push({ uri: e.uri, range: e.dest.range, message: `shared by this figgy-secrets.json entry (from ${e.sourcePath ?? e.source.value}): its owner runs the sync` });
    }
  }
  if (p.origin === 'merged') {
    for (const r of serviceMergeRefs(service)) {
      // The references as written where the finding is (config.py's, not figgy.json's copy as well).
      if (r.decl.path !== p.path || !r.path || r.decl.uri !== p.declaredAt[0]?.uri) continue;
      const lacking = states.filter((st) => isMissing(st, r.path!)).map((st) => st.env);
      if (lacking.length) out.push({ uri: r.decl.uri, range: r.part.range, message: `reference ${r.path} is missing in ${listEnvs(lacking)}` });
    }
  }
  return out.slice(0, 20);
}

/**
 * A large service's findings by parameter, for the next run: after a keystroke in one statement of a
 * large class every other ExpectedParam is the same object (model/build.ts memoExpectedAfter), and
 * its finding depends only on it, the environments' states and the service's class name, secrets and
 * twig. Merged parameters (their related information reads every merge reference) are not kept, nor
 * are small services' (recomputing them is cheap, and their slice is reused when unchanged).
 */
const MEMO_MIN_PARAMS = 100;
/** What the finding was made from besides the parameter (not the Service: it would keep its whole model alive). */
interface Memo {
  states: readonly EnvState[];
  twig: string | undefined;
  className: string | undefined;
  secrets: Service['secrets'];
  finding: Finding;
}
const memo = new WeakMap<ExpectedParam, Memo>();

function memoFor(p: ExpectedParam, service: Service, states: readonly EnvState[]): Finding | undefined {
  const m = memo.get(p);
  if (!m || !sameList(m.states, states)) return undefined;
  const same = m.twig === service.twig && m.className === service.configPy?.cls.className && sameList(m.secrets, service.secrets);
  return same ? m.finding : undefined;
}

export const missingInEnv: Rule = {
  code: CODE,
  defaultSeverity: 'error',
  description: 'A declared parameter does not exist in an environment (figgy config validate would fail). One finding where it is declared (config.py when there is one), naming every environment.',
  needsBackend: true,
  run(ctx) {
    const states = orderedEnvStates(ctx);
    if (states.length === 0) return [];
    const out: Finding[] = [];
    for (const service of ctx.workspace.services) {
      const keep = service.expected.size >= MEMO_MIN_PARAMS;
      for (const p of service.expected.values()) {
        if (p.declaredAt.length === 0 || !states.some((st) => isMissing(st, p.path))) continue;
        const known = keep ? memoFor(p, service, states) : undefined;
        if (known) {
          out.push(known);
          continue;
        }
        // filter + map, not push: a pushed-to array keeps room for 17 (V8), in every finding.
        const missing = states.filter((st) => isMissing(st, p.path) && !sourceMissingIn(p, st)).map((st) => st.env);
        if (missing.length === 0) continue;
        const label = p.attr ? ` (${service.configPy?.cls.className ?? 'FigStore'}.${p.attr})` : '';
        // One problem, one diagnostic: where the user declares it (config.py first), the rest related.
        const site = p.declaredAt[0];
        const related = [...alsoDeclaredAt(p.declaredAt), ...howItComes(service, p, states.filter((st) => missing.includes(st.env)))];
        const finding: Finding = {
          code: CODE,
          severity: 'error',
          message: `${p.path}${label} is missing in ${listEnvs(missing)}${why(p)}`,
          uri: site.uri,
          range: site.range,
          envs: missing,
          ...(related.length ? { related } : {}),
          data: { fix: 'add-parameter', path: p.path, envs: missing, likelySecret: p.likelySecret, origin: p.origin },
        };
        if (keep && p.origin !== 'merged') memo.set(p, { states, twig: service.twig, className: service.configPy?.cls.className, secrets: service.secrets, finding });
        out.push(finding);
      }
    }
    return out;
  },
};
