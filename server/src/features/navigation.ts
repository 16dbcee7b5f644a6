// Go-to-definition, find-references and document symbols across config.py, figgy.json,
// figgy-secrets.json and merge references. config.py is the source of truth, so a definition
// prefers its declaration, then figgy.json, then a figgy-secrets.json destination.
import type { Position } from '../parse/types';
import type { WorkspaceModel } from '../model/types';
import type { LocationPlain, SymbolPlain } from './types';
import {
  documentOccurrences,
  figgyJsonModel,
  occurrenceAt,
  occurrenceMatches,
  occurrencePaths,
  pythonModel,
  secretsModel,
  workspaceOccurrences,
  type Occurrence,
} from './occurrences';
import { cmpPos } from './positions';

const ROLE_ORDER: Record<Occurrence['role'], number> = { 'decl-py': 0, 'decl-json': 1, 'decl-secrets': 2, source: 3, ref: 4 };

function dedupe(locs: LocationPlain[]): LocationPlain[] {
  const seen = new Set<string>();
  return locs.filter((l) => {
    const k = `${l.uri}:${l.range.start.line}:${l.range.start.character}:${l.range.end.line}:${l.range.end.character}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Occurrences of every path the cursor's occurrence stands for, sorted declarations first. */
function related(ws: WorkspaceModel, uri: string, pos: Position): { at: Occurrence; all: Occurrence[] } | undefined {
  const at = occurrenceAt(ws, uri, pos);
  if (!at) return undefined;
  const paths = occurrencePaths(ws, at);
  if (paths.length === 0) return { at, all: [at] };
  const all = workspaceOccurrences(ws).filter((o) => paths.some((p) => occurrenceMatches(ws, o, p)));
  // attr + name both index a config.py declaration; keep the attribute (shorter, first) for definitions.
  all.sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.uri.localeCompare(b.uri) || cmpPos(a.range.start, b.range.start));
  return { at, all };
}

export function definition(ws: WorkspaceModel, uri: string, pos: Position): LocationPlain[] {
  const r = related(ws, uri, pos);
  if (!r) return [];
  const decls = r.all.filter((o) => o.role !== 'ref' && o.role !== 'source');
  const best = decls.length ? decls.filter((o) => o.role === decls[0].role) : [];
  // One location per file: the attribute of a config.py declaration rather than its name argument.
  const perFile = new Map<string, Occurrence>();
  for (const o of best) if (!perFile.has(o.uri)) perFile.set(o.uri, o);
  const out = [...perFile.values()].map((o) => ({ uri: o.uri, range: o.range }));
  // From a declaration in config.py, "definition" goes to the generated figgy.json entry instead.
  if (out.length === 1 && out[0].uri === uri && r.at.role === 'decl-py') {
    const next = r.all.find((o) => o.role === 'decl-json' || o.role === 'decl-secrets');
    if (next) return [{ uri: next.uri, range: next.range }];
  }
  return out;
}

export function references(ws: WorkspaceModel, uri: string, pos: Position, includeDeclaration = true): LocationPlain[] {
  const r = related(ws, uri, pos);
  if (!r) return [];
  const list = includeDeclaration ? r.all : r.all.filter((o) => o.role === 'ref' || o.role === 'source');
  return dedupe(list.map((o) => ({ uri: o.uri, range: o.range })));
}

function span(a: { start: Position }, b: { end: Position }) {
  return { start: a.start, end: b.end };
}

export function documentSymbols(ws: WorkspaceModel, uri: string): SymbolPlain[] {
  const py = pythonModel(ws, uri);
  if (py) {
    const paths = new Map<string, string>();
    for (const o of documentOccurrences(ws, uri)) if (o.role === 'decl-py' && o.decl) paths.set(o.decl.attr, o.path);
    return py.classes.map((cls) => ({
      name: cls.className,
      detail: cls.twig?.value ?? 'FigStore',
      kind: 'class' as const,
      range: cls.range,
      selectionRange: cls.nameRange,
      children: [
        ...(cls.twigRange ? [{ name: 'TWIG', detail: cls.twig?.value, kind: 'constant' as const, range: cls.twigRange, selectionRange: cls.twigRange }] : []),
        ...cls.figs.map((d) => ({
          name: d.attr,
          detail: `${d.kind}${paths.get(d.attr) ? ` ${paths.get(d.attr)}` : ''}`,
          kind: 'field' as const,
          range: d.range,
          selectionRange: d.attrRange,
        })),
      ],
    }));
  }
  const fj = figgyJsonModel(ws, uri);
  if (fj) {
    const out: SymbolPlain[] = [];
    if (fj.twig) out.push({ name: 'twig', detail: fj.twig.value, kind: 'namespace', range: fj.twig.range, selectionRange: fj.twig.range });
    const group = (name: string, items: { value: string; range: SymbolPlain['range'] }[]) => {
      if (items.length === 0) return;
      out.push({
        name,
        kind: 'array',
        range: span(items[0].range, items[items.length - 1].range),
        selectionRange: items[0].range,
        children: items.map((i) => ({ name: i.value, kind: 'string' as const, range: i.range, selectionRange: i.range })),
      });
    };
    group('app_figs', fj.appFigs);
    group('shared_figs', fj.sharedFigs);
    group('replicate_figs', fj.replicateFigs.map((r) => ({ value: `${r.source.value} → ${r.dest.value}`, range: span(r.source.range, r.dest.range) })));
    group('merged_figs', fj.mergedFigs.map((m) => ({ value: m.dest.value, range: span(m.dest.range, m.value.range) })));
    if (fj.replicateFrom) group('replicate_from', fj.replicateFrom.parameters);
    return out;
  }
  const sj = secretsModel(ws, uri);
  if (sj && sj.replicateFigs.length) {
    const items = sj.replicateFigs.map((r) => ({ value: `${r.source.value} → ${r.dest.value}`, range: span(r.source.range, r.dest.range) }));
    return [
      {
        name: 'replicate_figs',
        kind: 'object',
        range: span(items[0].range, items[items.length - 1].range),
        selectionRange: items[0].range,
        children: items.map((i) => ({ name: i.value, kind: 'string' as const, range: i.range, selectionRange: i.range })),
      },
    ];
  }
  return [];
}
