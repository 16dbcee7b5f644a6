// A relative name written with a leading `/` that is not under the twig: figgy-lib and figgy-cli drop
// the `/` and put it under the twig anyway (`/app/other/x` under `/app/svc` → `/app/svc/app/other/x`).
import type { Finding, Rule } from '../types';
import { serviceDecls } from '../../model/decls';
import { rangeKey } from './util';

const CODE = 'leading-slash-name';

export const leadingSlashName: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: 'A name starting with "/" that is not under the twig silently lands under the twig.',
  needsBackend: false,
  run(ctx) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const service of ctx.workspace.services) {
      for (const d of serviceDecls(service)) {
        if (d.origin === 'replicate-from') continue;
        // figgy-cli prefixes only app_figs and shared_figs; other figgy.json names are taken as written (name-outside-twig).
        if (d.from === 'figgy.json' && d.origin !== 'app' && d.origin !== 'shared') continue;
        const name = d.name.value;
        if (!name.startsWith('/') || name.startsWith(d.twig)) continue;
        const key = rangeKey(d.uri, d.name.range);
        if (seen.has(key)) continue;
        seen.add(key);
        const tool = d.from === 'config.py' ? 'figgy-lib' : 'figgy-cli';
        out.push({
          code: CODE,
          severity: 'warning',
          message: `Name ${name} starts with "/" but is not under the twig ${d.twig.replace(/\/+$/, '')}: ${tool} puts it under the twig, at ${d.path}`,
          uri: d.uri,
          range: d.name.range,
        });
      }
    }
    return out;
  },
};
