// Go to definition and find references across a variable's reads and sources: from a read, the
// entries that provide it (charm option, `.env` line, compose / Helm key); from an entry, the reads.
import type { Position } from '../../parse/types';
import type { WorkspaceModel } from '../../model/types';
import type { LocationPlain } from '../types';
import { envOccurrenceAt, variablesOf } from './occurrences';

function uniq(locs: LocationPlain[]): LocationPlain[] {
  const seen = new Set<string>();
  return locs.filter((l) => {
    const k = `${l.uri}#${l.range.start.line}:${l.range.start.character}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function envDefinition(ws: WorkspaceModel, uri: string, pos: Position): LocationPlain[] | undefined {
  const o = envOccurrenceAt(ws, uri, pos);
  if (!o) return undefined;
  const vars = variablesOf(o);
  if (o.kind === 'read') return uniq(vars.flatMap((v) => v.provided.map((p) => ({ uri: p.v.uri, range: p.v.range }))));
  return uniq(vars.flatMap((v) => v.reads.map((r) => ({ uri: r.uri, range: r.read.name.range }))));
}

export function envReferences(ws: WorkspaceModel, uri: string, pos: Position, includeDeclaration: boolean): LocationPlain[] | undefined {
  const o = envOccurrenceAt(ws, uri, pos);
  if (!o) return undefined;
  const vars = variablesOf(o);
  const out: LocationPlain[] = [];
  for (const v of vars) {
    for (const r of v.reads) out.push({ uri: r.uri, range: r.read.name.range });
    if (includeDeclaration) for (const p of v.provided) out.push({ uri: p.v.uri, range: p.v.range });
  }
  return uniq(out);
}
