// A read whose name no source provides while a source provides an almost equal one: another
// framework's prefix in a paas-charm app (`FLASK_TOKEN` read, `DJANGO_TOKEN` provided), or a
// spelling slip (`SMTP_SKIPSSL_VERIFY` read, `SMTP_SKIP_SSL_VERIFY` provided). Optional reads count:
// a misspelt optional read silently takes its default.
import type { Finding, Rule } from '../../types';
import { sourcesKnown } from '../../../model/sourcesKnown';
import { appVariables } from '../../../model/appVariables';
import { nearMiss, sortedReads } from './util';

const CODE = 'env-name-mismatch';

export const envNameMismatch: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: 'The code reads a variable no source provides, and a source provides an almost equal name (wrong framework prefix, typo).',
  needsBackend: false,
  perApp: true,
  run(ctx) {
    const out: Finding[] = [];
    for (const app of ctx.workspace.apps ?? []) {
      if (!sourcesKnown(app.sources)) continue;
      const vars = appVariables(app);
      for (const v of vars) {
        if (v.provided.length > 0 || v.reads.length === 0) continue;
        const m = nearMiss(v, vars);
        if (!m) continue;
        const why =
          m.kind === 'prefix' && app.framework
            ? ` (this is a ${app.framework} charm: its options arrive under ${m.name.slice(0, m.name.indexOf('_') + 1)})`
            : '';
        for (const r of sortedReads(v.reads)) {
          out.push({
            code: CODE,
            severity: 'warning',
            message: `${v.name} is provided by no source; ${m.provided.source.label} provides ${m.name}${why}. Did you mean ${m.name}?`,
            uri: r.uri,
            range: r.read.name.range,
            related: [{ uri: m.provided.v.uri, range: m.provided.v.range, message: `${m.name} is provided here` }],
            data: { fix: 'rename-read', to: m.name },
          });
        }
      }
    }
    return out;
  },
};
