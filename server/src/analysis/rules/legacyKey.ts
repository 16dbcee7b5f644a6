// Older figgy.json key names (namespace, app_parameters, ...). Today's figgy-cli does not read them:
// a file that has neither "twig" nor "app_figs" under their current names is rejected (error); in any
// other file the old keys are silently ignored, so what they declare is never checked (warning).
// Either way the quick fix renames the key.
import type { Finding, Rule } from '../types';

const CODE = 'legacy-key';

export const legacyKey: Rule = {
  code: CODE,
  defaultSeverity: 'error',
  description: 'An old figgy.json key name (namespace, app_parameters, ...) that figgy-cli no longer reads; names the current one.',
  needsBackend: false,
  run(ctx) {
    const out: Finding[] = [];
    for (const fj of ctx.workspace.figgyJsonFiles) {
      const rejected = fj.twig === undefined && fj.appFigs.length === 0;
      for (const k of fj.legacyKeys) {
        out.push({
          code: CODE,
          severity: rejected ? 'error' : 'warning',
          message: rejected
            ? `"${k.key}" is an old figgy.json key name that today's figgy-cli does not read, so it rejects this file (no "twig" or "app_figs"); rename it to "${k.replacement}"`
            : `"${k.key}" is an old figgy.json key name that today's figgy-cli ignores: nothing under it is checked or synced; rename it to "${k.replacement}"`,
          uri: fj.uri,
          range: k.range,
          tags: ['deprecated'],
          data: { fix: 'rename-key', from: k.key, to: k.replacement },
        });
      }
    }
    return out;
  },
};
