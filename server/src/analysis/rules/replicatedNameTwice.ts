// `ReplicatedFig("/shared/x", name="y")`: the positional order is (name, source), so Python raises
// TypeError at import (Figgy's own demo README has this). The parser records it as an argError.
import type { Finding, Rule } from '../types';
import { isNameTwiceError } from './util';

const CODE = 'replicated-name-twice';

export const replicatedNameTwice: Rule = {
  code: CODE,
  defaultSeverity: 'error',
  description: 'ReplicatedFig gets `name` both positionally and by keyword; Python raises TypeError at import.',
  needsBackend: false,
  run(ctx) {
    const out: Finding[] = [];
    for (const py of ctx.workspace.pythonFiles) {
      for (const cls of py.classes) {
        for (const fig of cls.figs) {
          const errs = fig.argErrors.filter((e) => isNameTwiceError(e.code));
          if (errs.length === 0) continue;
          out.push({
            code: CODE,
            severity: 'error',
            message: `${cls.className}.${fig.attr}: ${fig.kind} gets "name" twice (positionally and as name=); Python raises TypeError: got multiple values for argument 'name'. The positional order is (name, source)`,
            uri: py.uri,
            range: errs[0].range,
            data: { fix: 'replicated-args' },
          });
        }
      }
    }
    return out;
  },
};
