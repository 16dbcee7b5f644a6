// Merge references that cannot work. A reference under the twig is a name figgy-cli expects (validate
// checks it like a declaration), so it is never reported here. What is reported:
// - config.py: a Fig in a pattern that is not one of the store's Figs (a module-level Fig, another
//   class's Fig): the store never sets its twig, so figgy-lib renders it `${None}`;
// - a `${/path}` outside the twig: figgy config validate does not check it, figgy config sync refuses
//   a merge whose first reference is outside the namespace, and if it is missing Figgy stores a
//   broken merged value.
import type { Finding, Rule } from '../types';
import { cliNamespace, mergeRef } from '../../parse/paths';
import { serviceDecls, mergeRefs } from '../../model/decls';
import { declLabel, rangeKey } from './util';

const CODE = 'merge-ref-undeclared';

export const mergeRefUndeclared: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: 'A merge pattern names a Fig the store does not hold (figgy-lib writes ${None}), or a reference outside the twig.',
  needsBackend: false,
  run(ctx) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const service of ctx.workspace.services) {
      const cls = service.configPy?.cls;
      for (const r of mergeRefs(serviceDecls(service), cls)) {
        const key = rangeKey(r.decl.uri, r.part.range);
        if (seen.has(key)) continue;
        const where = `${declLabel(r.decl, service)}${r.decl.from === 'figgy.json' ? ` ${r.decl.path}` : ''}`;
        const ns = r.decl.namespace ?? cliNamespace(r.decl.twig);
        let message: string | undefined;
        if (r.undeclaredAttr) {
          message = `${where} merges ${r.undeclaredAttr}, which is not a Fig of ${cls?.className ?? 'this store'}: the store never sets its twig, so figgy-lib writes \${None} for it and the merged value can never be built`;
        } else if (r.path !== undefined && !r.path.startsWith(ns)) {
          message = `Merge reference ${mergeRef(r.path, r.uri)} in ${where} points outside the twig ${ns}: figgy config validate does not check it, and if it is missing Figgy stores a broken merged value`;
        }
        if (!message) continue;
        seen.add(key);
        out.push({ code: CODE, severity: 'warning', message, uri: r.decl.uri, range: r.part.range });
      }
    }
    return out;
  },
};
