// `FigStore(..., lazy_load=True)` defers fetching until first use, so a missing parameter surfaces
// only when read in production. Figgy recommends it for local runs only.
import type { Finding, Rule } from '../types';

const CODE = 'lazy-load-outside-local';

export const lazyLoadOutsideLocal: Rule = {
  code: CODE,
  defaultSeverity: 'info',
  description: 'lazy_load=True not guarded by a local-run check (quiet when the run is local).',
  needsBackend: false,
  run(ctx) {
    if (ctx.settings.localRun) return [];
    const out: Finding[] = [];
    for (const py of ctx.workspace.pythonFiles) {
      for (const call of py.lazyLoadCalls) {
        if (call.localGuard) continue;
        out.push({
          code: CODE,
          severity: 'info',
          message: 'lazy_load=True outside a local-run check: parameters are fetched on first use, so a missing one fails only when read; Figgy recommends lazy loading for local runs only',
          uri: py.uri,
          range: call.range,
        });
      }
    }
    return out;
  },
};
