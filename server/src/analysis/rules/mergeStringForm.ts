// The single-string merged value: Figgy's replicator mishandles it, so offer the list form.
import type { Finding, Rule } from '../types';
import { serviceDecls } from '../../model/decls';
import { declLabel, rangeKey } from './util';

const CODE = 'merge-string-form';

export const mergeStringForm: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: "A merged value written as one string instead of a list; Figgy's replicator mishandles it.",
  needsBackend: false,
  run(ctx) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const service of ctx.workspace.services) {
      for (const d of serviceDecls(service)) {
        if (d.merge?.form !== 'string') continue;
        const key = rangeKey(d.uri, d.merge.range);
        if (seen.has(key)) continue;
        seen.add(key);
        const what = d.from === 'config.py' ? `${declLabel(d, service)} pattern` : `merged_figs entry ${d.path}`;
        out.push({
          code: CODE,
          severity: 'warning',
          message: `${what} is a single string; Figgy's replicator mishandles that form, write it as a list of literals and \${/path} references`,
          uri: d.uri,
          range: d.merge.range,
          data: { fix: 'merge-to-list', dest: d.path },
        });
      }
    }
    return out;
  },
};
