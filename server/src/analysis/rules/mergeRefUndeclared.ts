// Merge references that do not point at something the service declares: a config.py pattern attribute
// that is not a Fig of the class, a figgy.json `${/path}` under the twig that nothing declares, or a
// reference outside the twig (sync never checks it exists, and a missing one yields a broken value).
import type { Finding, Rule } from '../types';
import { isUnderTwig, mergeRef } from '../../parse/paths';
import { declaredPaths, serviceDecls, mergeRefs } from '../../model/decls';
import { declLabel, rangeKey } from './util';

const CODE = 'merge-ref-undeclared';

export const mergeRefUndeclared: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: 'A merge reference names an undeclared Fig or path, or a path outside the twig.',
  needsBackend: false,
  run(ctx) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const service of ctx.workspace.services) {
      const decls = serviceDecls(service);
      const declared = declaredPaths(service);
      const cls = service.configPy?.cls;
      for (const r of mergeRefs(decls, cls)) {
        const key = rangeKey(r.decl.uri, r.part.range);
        if (seen.has(key)) continue;
        const where = `${declLabel(r.decl, service)}${r.decl.from === 'figgy.json' ? ` ${r.decl.path}` : ''}`;
        let message: string | undefined;
        if (r.undeclaredAttr) {
          message = `${where} merges ${r.undeclaredAttr}, which is not a Fig of class ${cls?.className ?? 'FigStore'}: figgy-lib cannot render it as a merge reference`;
        } else if (r.path && service.twig && !isUnderTwig(service.twig, r.path)) {
          message = `Merge reference ${mergeRef(r.path, r.uri)} in ${where} points outside the twig ${service.twig}: figgy config sync does not check it, and if it is missing Figgy stores a broken merged value`;
        } else if (r.path && service.twig && !declared.has(r.path)) {
          message = `Merge reference ${mergeRef(r.path, r.uri)} in ${where} is not declared by the service (no app_figs, shared_figs, replicate_figs or merged_figs entry, no Fig in config.py)`;
        }
        if (!message) continue;
        seen.add(key);
        out.push({ code: CODE, severity: 'warning', message, uri: r.decl.uri, range: r.part.range });
      }
    }
    return out;
  },
};
