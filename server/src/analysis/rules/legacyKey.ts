// Older figgy.json key names that still work but have a current replacement.
import type { Finding, Rule } from '../types';

const CODE = 'legacy-key';

export const legacyKey: Rule = {
  code: CODE,
  defaultSeverity: 'info',
  description: 'An older figgy.json key name (e.g. app_parameters); names the current replacement.',
  needsBackend: false,
  run(ctx) {
    const out: Finding[] = [];
    for (const fj of ctx.workspace.figgyJsonFiles) {
      for (const k of fj.legacyKeys) {
        out.push({
          code: CODE,
          severity: 'info',
          message: `"${k.key}" is an older figgy.json key name; use "${k.replacement}"`,
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
