// figgy-cli puts the namespace (the twig with a trailing "/") in front of app_figs and shared_figs
// only; replicate_figs destinations and merged_figs keys are used exactly as written, and `figgy
// config validate` lists only the names under the namespace. So a relative destination or merge key,
// or one under another twig, is a name validate reports missing in every environment: the file can
// never validate. The fix for a relative name is to write it in full.
import type { Finding, Rule } from '../types';
import { serviceDecls } from '../../model/decls';
import { rangeKey } from './util';

const CODE = 'name-outside-twig';

export const nameOutsideTwig: Rule = {
  code: CODE,
  defaultSeverity: 'error',
  description: 'A figgy.json replicate_figs destination or merged_figs key not under the twig: figgy-cli uses it as written, so validate can never find it.',
  needsBackend: false,
  run(ctx) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const service of ctx.workspace.services) {
      for (const d of serviceDecls(service)) {
        if (d.from !== 'figgy.json' || (d.origin !== 'replicated' && d.origin !== 'merged') || !d.namespace) continue;
        if (d.path.startsWith(d.namespace)) continue;
        const key = rangeKey(d.uri, d.range);
        if (seen.has(key)) continue;
        seen.add(key);
        const what = d.origin === 'replicated' ? 'replicate_figs destination' : 'merged_figs key';
        const relative = !d.path.startsWith('/');
        const full = d.namespace + d.path.replace(/^\/+/, '');
        out.push({
          code: CODE,
          severity: 'error',
          message: relative
            ? `${what} ${d.path} is used as written: figgy-cli adds the twig only to app_figs and shared_figs, and figgy config validate looks for names under ${d.namespace} only, so it reports this one missing in every environment; write ${full}`
            : `${what} ${d.path} is not under the twig ${d.namespace}: figgy config validate lists only ${d.namespace}, so it reports this name missing in every environment (and figgy config sync refuses it)`,
          uri: d.uri,
          range: d.range,
          ...(relative ? { data: { fix: 'replace-string' as const, value: full } } : {}),
        });
      }
    }
    return out;
  },
};
