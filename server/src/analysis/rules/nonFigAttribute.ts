// figgy-lib treats every FigStore class attribute other than dunders, TWIG and `figs` as a Fig; any
// other value crashes it at start-up. The value itself is never quoted (it may be a secret).
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
          out.push({
            code: CODE,
            severity: 'error',
            message: `${cls.className}.${nf.attr} is not a Fig: figgy-lib fails at start-up, because every FigStore attribute other than TWIG, figs and dunders must be an AppFig, SharedFig, ReplicatedFig or MergeFig`,
            uri: py.uri,
            range: nf.range,
          });
        }
      }
    }
    return out;
  },
};
