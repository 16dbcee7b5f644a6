// Secrets reaching logs: a sensitive variable's value passed to print / logging (unless reduced to
// `bool(x)`, `len(x)`, `x is None`, which the parser already leaves out), and printing or logging the
// whole environment (the seed's `print(os.environ)` shows every secret the charm passes).
import type { Finding, Rule } from '../../types';
import { isSensitiveName } from '../../../parse/sensitive';

export const envSecretLogged: Rule = {
  code: 'env-secret-logged',
  defaultSeverity: 'warning',
  description: 'The value of a sensitive variable is passed to print or a logger.',
  needsBackend: false,
  perApp: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const app of ctx.workspace.apps ?? []) {
      for (const l of app.logged) {
        if (l.logged.wholeEnvironment) continue;
        const secret = l.names.filter(isSensitiveName);
        if (secret.length === 0) continue;
        out.push({
          code: 'env-secret-logged',
          severity: 'warning',
          message: `${l.logged.callee}(...) writes the value of ${secret.join(', ')} to the output; log bool(value) or a fixed mask instead`,
          uri: l.uri,
          range: l.logged.range,
          data: l.logged.wrap?.length ? { fix: 'wrap-bool', ranges: l.logged.wrap } : undefined,
        });
      }
    }
    return out;
  },
};

export const envEnvironmentLogged: Rule = {
  code: 'env-environment-logged',
  defaultSeverity: 'warning',
  description: 'The whole environment (os.environ) is printed or logged, secrets included.',
  needsBackend: false,
  perApp: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const app of ctx.workspace.apps ?? []) {
      for (const l of app.logged) {
        if (!l.logged.wholeEnvironment) continue;
        out.push({
          code: 'env-environment-logged',
          severity: 'warning',
          message: `${l.logged.callee}(...) writes the whole environment to the output, with every secret the platform passes to the app (charm secrets, database passwords)`,
          uri: l.uri,
          range: l.logged.range,
        });
      }
    }
    return out;
  },
};
