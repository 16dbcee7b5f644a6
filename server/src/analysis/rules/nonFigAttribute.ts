// figgy-lib sets `.twig` on every FigStore attribute other than `__`-prefixed ones, TWIG and `figs`
// when the store is created, so a plain value or a method fails at start-up (error). A staticmethod
// or a nested class takes the attribute, and fails only without lazy_load (reading its `.name`); what
// a call or a decorator returns is known only at run time (warnings). The value itself is never quoted
// (it may be a secret).
import type { Finding, Rule } from '../types';

const CODE = 'non-fig-attribute';

export const nonFigAttribute: Rule = {
  code: CODE,
  defaultSeverity: 'error',
  description: 'A FigStore class attribute that is not a Fig; figgy-lib fails at start-up.',
  needsBackend: false,
  run(ctx) {
    const out: Finding[] = [];
    for (const py of ctx.workspace.pythonFiles) {
      for (const cls of py.classes) {
        for (const nf of cls.nonFigs) {
          const name = `${cls.className}.${nf.attr}`;
          let severity: Finding['severity'] = 'error';
          let message: string;
          switch (nf.what) {
            case 'method':
              message = `${name} is a method: figgy-lib sets .twig on every attribute of a FigStore when it is created, and a bound method takes no attributes (AttributeError at start-up). Move it out of the class`;
              break;
            case 'descriptor':
              severity = 'warning';
              message = `${name} is not a Fig: figgy-lib accepts it only with lazy_load=True; without, it reads ${nf.attr}.name at start-up and fails (AttributeError). Move it out of the class`;
              break;
            case 'unknown':
              severity = 'warning';
              message = `${name} is bound to something Orchard cannot evaluate statically; figgy-lib fails at start-up unless it is an AppFig, SharedFig, ReplicatedFig or MergeFig`;
              break;
            default:
              message = `${name} is not a Fig: figgy-lib fails at start-up, because every FigStore attribute other than TWIG, figs and dunders must be an AppFig, SharedFig, ReplicatedFig or MergeFig`;
          }
          out.push({ code: CODE, severity, message, uri: py.uri, range: nf.range });
        }
      }
    }
    return out;
  },
};
