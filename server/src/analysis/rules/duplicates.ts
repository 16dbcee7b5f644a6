// The same full path declared twice within one file (config.py class or figgy.json lists), and the
// special case of two replication sources for one destination. Each later occurrence is reported,
// pointing back at the first.
import type { Finding, Rule } from '../types';
import { serviceDecls, shadowedFigs, type Decl } from '../../model/decls';
import type { Service } from '../../model/types';
import { declLabel, JSON_KEY, rangeKey } from './util';

const DUP = 'duplicate-declaration';
const DUP_REPL = 'duplicate-replication-destination';

function label(d: Decl, s: Service): string {
  return d.from === 'config.py' ? declLabel(d, s) : JSON_KEY[d.origin];
}

function collect(ctx: Parameters<Rule['run']>[0], which: 'plain' | 'replication'): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  if (which === 'plain') {
    // An attribute assigned twice: Python keeps the last value, the earlier declaration is dead.
    for (const py of ctx.workspace.pythonFiles) {
      for (const cls of py.classes) {
        for (const { fig, by } of shadowedFigs(cls)) {
          seen.add(rangeKey(py.uri, fig.attrRange));
          out.push({
            code: DUP,
            severity: 'error',
            message: `${cls.className}.${fig.attr} is assigned again on line ${by.attrRange.start.line + 1}; Python keeps only the last assignment, so this declaration is ignored`,
            uri: py.uri,
            range: fig.attrRange,
            tags: ['unnecessary'],
            related: [{ uri: py.uri, range: by.attrRange, message: 'the assignment that counts' }],
          });
        }
      }
    }
  }
  for (const service of ctx.workspace.services) {
    const groups = new Map<string, Decl[]>();
    for (const d of serviceDecls(service)) {
      const k = `${d.uri}\n${d.path}`;
      const g = groups.get(k);
      if (g) g.push(d);
      else groups.set(k, [d]);
    }
    for (const g of groups.values()) {
      const first = g[0];
      for (const d of g.slice(1)) {
        const key = rangeKey(d.uri, d.range);
        if (seen.has(key)) continue;
        const repl = first.origin === 'replicated' && d.origin === 'replicated' && first.source && d.source && first.source.value !== d.source.value;
        if ((which === 'replication') !== Boolean(repl)) continue;
        seen.add(key);
        const file = d.from;
        const related = [{ uri: first.uri, range: first.range, message: `first declared here (${label(first, service)})` }];
        if (repl) {
          out.push({
            code: DUP_REPL,
            severity: 'error',
            message: `${d.path} has two replication sources in ${file}: ${first.source!.value} and ${d.source!.value}; Figgy keeps only one mapping per destination`,
            uri: d.uri,
            range: d.source!.range,
            related,
          });
        } else {
          out.push({
            code: DUP,
            severity: 'error',
            message:
              label(first, service) === label(d, service)
                ? `${d.path} is listed twice in ${file} ${label(d, service)}`
                : `${d.path} is declared twice in ${file}: ${label(first, service)} and ${label(d, service)}`,
            uri: d.uri,
            range: d.range,
            related,
          });
        }
      }
    }
  }
  return out;
}

export const duplicateDeclaration: Rule = {
  code: DUP,
  defaultSeverity: 'error',
  description: 'The same full parameter path is declared twice in config.py or in figgy.json.',
  needsBackend: false,
  run: (ctx) => collect(ctx, 'plain'),
};

export const duplicateReplicationDestination: Rule = {
  code: DUP_REPL,
  defaultSeverity: 'error',
  description: 'Two replication sources for one destination.',
  needsBackend: false,
  run: (ctx) => collect(ctx, 'replication'),
};
