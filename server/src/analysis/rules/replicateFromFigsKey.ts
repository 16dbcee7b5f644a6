// Figgy's docs show `replicate_from: {"figs": [...]}` but figgy-cli reads only `parameters`, so the
// documented form silently replicates nothing. figgy-cli accepts the file, hence a warning.
import type { Finding, Rule } from '../types';

const CODE = 'replicate-from-figs-key';

export const replicateFromFigsKey: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: 'replicate_from uses "figs" (as Figgy\'s docs say); figgy-cli reads only "parameters" and ignores it.',
  needsBackend: false,
  run(ctx) {
    const out: Finding[] = [];
    for (const fj of ctx.workspace.figgyJsonFiles) {
      const rf = fj.replicateFrom;
      if (!rf?.figsKey) continue;
      const from = rf.sourceTwig?.value ? ` from ${rf.sourceTwig.value}` : '';
      out.push({
        code: CODE,
        severity: 'warning',
        message: `replicate_from uses "figs", which figgy-cli ignores: it reads "parameters", so nothing is replicated${from}. Figgy's docs say "figs"; Orchard follows the CLI`,
        uri: fj.uri,
        range: rf.figsKey,
        data: { fix: 'rename-key', from: 'figs', to: 'parameters' },
      });
    }
    return out;
  },
};
