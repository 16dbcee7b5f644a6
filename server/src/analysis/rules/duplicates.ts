// The same parameter declared more than once, at the severity of what really happens:
// - figgy.json: figgy-cli rejects a file whose app_figs list an entry twice as written, or whose
//   replicate_figs map two sources to one destination (errors); any other repeat (an entry given
//   relative and absolute, shared_figs twice, one name in two lists) is counted once (info).
// - config.py: figgy-lib accepts every repeat. An attribute assigned twice keeps its last value (the
//   earlier Fig is dead code, warning); two Figs with one full name are both listed by ConfigWriter,
//   which makes a figgy.json figgy-cli rejects for AppFigs and ReplicatedFigs, and keeps one of two
//   MergeFig patterns or one of two destinations of a replication source (warnings); other repeats
//   are harmless (info).
import type { Finding, Rule, RuleContext } from '../types';
import { figKey, serviceDecls, shadowedFigs, type Decl } from '../../model/decls';
import type { Service } from '../../model/types';
import { declLabel, JSON_KEY } from './util';

const DUP = 'duplicate-declaration';
const DUP_REPL = 'duplicate-replication-destination';

function label(d: Decl, s: Service): string {
  return d.from === 'config.py' ? declLabel(d, s) : `${JSON_KEY[d.origin]} entry`;
}

function related(first: Decl, s: Service) {
  return [{ uri: first.uri, range: first.range, message: `first declared here (${label(first, s)})` }];
}

function shadowed(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const py of ctx.workspace.pythonFiles) {
    for (const cls of py.classes) {
      for (const { fig, by } of shadowedFigs(cls)) {
        out.push({
          code: DUP,
          severity: 'warning',
          message: `${cls.className}.${fig.attr} is assigned again on line ${by.start.line + 1}; Python keeps only the last assignment, so this ${fig.kind} is not part of the store`,
          uri: py.uri,
          range: fig.attrRange,
          tags: ['unnecessary'],
          related: [{ uri: py.uri, range: by, message: 'the assignment that counts' }],
        });
      }
    }
  }
  return out;
}

/**
 * The declarations of each path declared more than once, in input order, by first declaration (a
 * path declared once, as nearly all are, costs one map entry and no array: this runs on every
 * keystroke in a large file).
 */
function repeatedPaths(decls: readonly Decl[]): Decl[][] {
  const first = new Map<string, Decl>();
  const groups = new Map<string, Decl[]>();
  for (const d of decls) {
    const f = first.get(d.path);
    if (f === undefined) first.set(d.path, d);
    else {
      const g = groups.get(d.path);
      if (g) g.push(d);
      else groups.set(d.path, [f, d]);
    }
  }
  if (groups.size === 0) return [];
  // In the order each path was first declared, as before.
  const out: Decl[][] = [];
  for (const path of first.keys()) {
    const g = groups.get(path);
    if (g) out.push(g);
  }
  return out;
}

/** config.py: Figs of one store that share a full name or a replication source. */
function configPyRepeats(s: Service, decls: Decl[], which: 'plain' | 'replication'): Finding[] {
  const out: Finding[] = [];
  const cls = s.configPy!.cls;
  const bySource = (a: Decl, b: Decl) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  for (const unordered of repeatedPathsOnce(decls)) {
    // The later declaration (in the file) is the repeat.
    const group = [...unordered].sort(bySource);
    const first = group[0];
    for (const d of group.slice(1)) {
      const sameObject = first.fig?.objectId === d.fig?.objectId;
      const kinds = new Set([first.kind, d.kind]);
      let severity: Finding['severity'] = 'info';
      let why = 'figgy-cli counts it once';
      let code = DUP;
      if (kinds.size === 1 && first.kind === 'AppFig') {
        severity = 'warning';
        why = "ConfigWriter lists it twice in app_figs, and figgy-cli rejects such a figgy.json ('Your configuration has duplicate keys')";
      } else if (kinds.size === 1 && first.kind === 'ReplicatedFig' && first.source?.value !== d.source?.value) {
        severity = 'warning';
        code = DUP_REPL;
        why = `ConfigWriter writes both replicate_figs mappings (from ${first.source?.value} and ${d.source?.value}), and figgy-cli rejects two sources for one destination`;
      } else if (kinds.size === 1 && first.kind === 'MergeFig' && !sameObject) {
        severity = 'warning';
        why = `ConfigWriter keeps only one of the two patterns (the one of ${[first, d].map((x) => x.attr!).sort().pop()})`;
      }
      if ((code === DUP_REPL) !== (which === 'replication')) continue;
      const what = sameObject ? `${cls.className}.${d.attr} is the same Fig as ${cls.className}.${first.attr}` : `${d.path} is declared twice in config.py: ${label(first, s)} and ${label(d, s)}`;
      const range = code === DUP_REPL ? d.source?.range ?? d.range : d.range;
      out.push({ code, severity, message: `${what}; ${why}`, uri: d.uri, range, related: related(first, s) });
    }
  }
  if (which === 'plain') {
    // One replication source for two destinations: ConfigWriter's dict keeps the last one (attribute order).
    const bySource = new Map<string, Decl[]>();
    for (const d of decls) if (d.kind === 'ReplicatedFig' && d.source) bySource.set(d.source.value, [...(bySource.get(d.source.value) ?? []), d]);
    for (const group of bySource.values()) {
      const dests = new Set(group.map((d) => d.path));
      if (dests.size < 2) continue;
      const ordered = [...group].sort((a, b) => (figKey(a.fig!) < figKey(b.fig!) ? -1 : 1));
      const kept = ordered[ordered.length - 1];
      for (const d of ordered.slice(0, -1)) {
        if (d.path === kept.path) continue;
        out.push({
          code: DUP,
          severity: 'warning',
          message: `${cls.className}.${d.attr} and ${cls.className}.${kept.attr} replicate the same source ${d.source!.value}; ConfigWriter keeps one destination per source, so figgy.json gets only ${kept.path} and ${d.path} is never replicated`,
          uri: d.uri,
          range: d.source!.range,
          related: [{ uri: kept.uri, range: kept.range, message: 'the mapping ConfigWriter keeps' }],
        });
      }
    }
  }
  return out;
}

/** figgy.json: entries figgy-cli rejects (exact app_figs repeats, one destination twice) or counts once. */
function figgyJsonRepeats(s: Service, decls: Decl[], which: 'plain' | 'replication'): Finding[] {
  const out: Finding[] = [];
  const apps = new Map<string, Decl>();
  const dests = new Map<string, Decl>();
  const byPath = new Map<string, Decl>();
  const reported = new Set<Decl>();
  for (const d of decls) {
    if (d.origin === 'app') {
      const prev = apps.get(d.name.value);
      if (prev) {
        reported.add(d);
        if (which === 'plain') {
          out.push({
            code: DUP,
            severity: 'error',
            message: `app_figs lists ${d.name.value} twice; figgy-cli rejects the file ('Your configuration has duplicate keys')`,
            uri: d.uri,
            range: d.range,
            related: related(prev, s),
          });
        }
      } else apps.set(d.name.value, d);
    }
    if (d.origin === 'replicated') {
      const prev = dests.get(d.name.value);
      if (prev) {
        reported.add(d);
        if (which === 'replication') {
          out.push({
            code: DUP_REPL,
            severity: 'error',
            message: `${d.path} has two replication sources in figgy.json: ${prev.source?.value} and ${d.source?.value}; figgy-cli rejects duplicate replicate_figs destinations`,
            uri: d.uri,
            range: d.source?.range ?? d.range,
            related: related(prev, s),
          });
        }
      } else dests.set(d.name.value, d);
    }
  }
  if (which === 'replication') return out;
  for (const d of decls) {
    if (d.origin === 'replicate-from') continue;
    const prev = byPath.get(d.path);
    if (!prev) {
      byPath.set(d.path, d);
      continue;
    }
    if (reported.has(d)) continue;
    const where = label(prev, s) === label(d, s) ? `is listed twice in figgy.json ${JSON_KEY[d.origin]}` : `is declared twice in figgy.json: ${label(prev, s)} and ${label(d, s)}`;
    out.push({ code: DUP, severity: 'info', message: `${d.path} ${where}; figgy-cli counts it once`, uri: d.uri, range: d.range, related: related(prev, s) });
  }
  return out;
}

// A service's declarations split by file, computed once for both rules of this module.
const split = new WeakMap<readonly Decl[], { py: Decl[]; fj: Decl[] }>();

function byFile(decls: readonly Decl[]): { py: Decl[]; fj: Decl[] } {
  let s = split.get(decls);
  if (!s) split.set(decls, (s = { py: decls.filter((d) => d.from === 'config.py'), fj: decls.filter((d) => d.from === 'figgy.json') }));
  return s;
}

// The repeated paths of a list of config.py declarations, for both rules (the list is not changed).
const repeats = new WeakMap<readonly Decl[], Decl[][]>();

function repeatedPathsOnce(decls: readonly Decl[]): Decl[][] {
  let r = repeats.get(decls);
  if (!r) repeats.set(decls, (r = repeatedPaths(decls)));
  return r;
}

function collect(ctx: RuleContext, which: 'plain' | 'replication'): Finding[] {
  const out: Finding[] = which === 'plain' ? shadowed(ctx) : [];
  for (const service of ctx.workspace.services) {
    const { py, fj } = byFile(serviceDecls(service));
    if (service.configPy && py.length) out.push(...configPyRepeats(service, py, which));
    if (fj.length) out.push(...figgyJsonRepeats(service, fj, which));
  }
  return out;
}

export const duplicateDeclaration: Rule = {
  code: DUP,
  defaultSeverity: 'warning',
  description: 'A parameter declared more than once: an error where figgy-cli rejects the file, a warning where a declaration is lost, info where it is harmless.',
  needsBackend: false,
  run: (ctx) => collect(ctx, 'plain'),
};

export const duplicateReplicationDestination: Rule = {
  code: DUP_REPL,
  defaultSeverity: 'error',
  description: 'Two replication sources for one destination (figgy-cli rejects it in figgy.json; ConfigWriter writes it from config.py).',
  needsBackend: false,
  run: (ctx) => collect(ctx, 'replication'),
};

