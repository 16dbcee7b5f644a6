// Every place a parameter path is written: config.py declarations and pattern references,
// figgy.json entries and merge references, figgy-secrets.json mappings. Definition, references,
// hover and code lens all start from here, so "what is at the cursor" is answered in one place.
import type { FigDecl, FigStoreClass, FiggyJsonModel, PythonConfigModel, Range, SecretsJsonModel, Position } from '../parse/types';
import type { Service, WorkspaceModel } from '../model/types';
import { fullPath, normaliseTwig } from '../parse/paths';
import { substituteTemplate } from '../analysis/engine';
import { contains, rangeSize } from './positions';

export type OccurrenceRole =
  /** A config.py declaration (attribute name or its `name` argument). */
  | 'decl-py'
  /** A figgy.json entry that declares the path (app_figs, shared_figs, destinations...). */
  | 'decl-json'
  /** A figgy-secrets.json destination (templated). */
  | 'decl-secrets'
  /** A merge reference: `${/path}` in figgy.json or an attribute in a MergeFig pattern / uri_encode. */
  | 'ref'
  /** A replication source. */
  | 'source';

export interface Occurrence {
  /** Full path; for figgy-secrets.json the template with `${VAR}` left in. */
  path: string;
  uri: string;
  range: Range;
  role: OccurrenceRole;
  /** figgy-secrets.json only: the template as written. */
  template?: boolean;
  decl?: FigDecl;
  cls?: FigStoreClass;
}

export function pythonModel(ws: WorkspaceModel, uri: string): PythonConfigModel | undefined {
  return ws.pythonFiles.find((m) => m.uri === uri) ?? ws.services.find((s) => s.configPy?.model.uri === uri)?.configPy?.model;
}

export function figgyJsonModel(ws: WorkspaceModel, uri: string): FiggyJsonModel | undefined {
  return ws.figgyJsonFiles.find((m) => m.uri === uri);
}

export function secretsModel(ws: WorkspaceModel, uri: string): SecretsJsonModel | undefined {
  return ws.secretsFiles.find((m) => m.uri === uri);
}

function dirOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/') + 1);
}

/** The service a file belongs to: by ownership, then by twig, then by folder. */
export function serviceForUri(ws: WorkspaceModel, uri: string): Service | undefined {
  const owned = ws.services.find(
    (s) => s.configPy?.model.uri === uri || s.figgyJson?.uri === uri || s.secrets.some((x) => x.uri === uri),
  );
  if (owned) return owned;
  const fj = figgyJsonModel(ws, uri);
  if (fj?.twig) {
    const t = normaliseTwig(fj.twig.value);
    const byTwig = ws.services.find((s) => s.twig === t);
    if (byTwig) return byTwig;
  }
  const dir = dirOf(uri);
  let best: Service | undefined;
  for (const s of ws.services) {
    const root = s.root.endsWith('/') ? s.root : `${s.root}/`;
    if ((dir.startsWith(root) || dir.startsWith(`file://${root}`)) && (!best || s.root.length > best.root.length)) best = s;
  }
  return best;
}

export function classTwig(cls: FigStoreClass, service?: Service): string | undefined {
  const t = cls.twig?.value ?? service?.twig;
  return t ? normaliseTwig(t) : undefined;
}

export function declPath(decl: FigDecl, twig: string | undefined): string | undefined {
  if (!decl.name || !twig) return undefined;
  return fullPath(twig, decl.name.value);
}

function pythonOccurrences(ws: WorkspaceModel, m: PythonConfigModel): Occurrence[] {
  const out: Occurrence[] = [];
  const service = serviceForUri(ws, m.uri);
  for (const cls of m.classes) {
    const twig = classTwig(cls, service);
    const byAttr = new Map<string, string>();
    for (const d of cls.figs) {
      const p = declPath(d, twig);
      if (p) byAttr.set(d.attr, p);
    }
    for (const d of cls.figs) {
      const p = byAttr.get(d.attr);
      if (p) {
        out.push({ path: p, uri: m.uri, range: d.attrRange, role: 'decl-py', decl: d, cls });
        if (d.name) out.push({ path: p, uri: m.uri, range: d.name.range, role: 'decl-py', decl: d, cls });
      }
      if (d.source) out.push({ path: d.source.value, uri: m.uri, range: d.source.range, role: 'source', decl: d, cls });
      const refs = [...(d.pattern?.form === 'list' ? d.pattern.parts : []), ...(d.uriEncode ?? [])];
      for (const part of refs) {
        if (part.kind !== 'attr') continue;
        const target = byAttr.get(part.attr);
        if (target) out.push({ path: target, uri: m.uri, range: part.range, role: 'ref', decl: d, cls });
      }
    }
  }
  return out;
}

function jsonOccurrences(ws: WorkspaceModel, m: FiggyJsonModel): Occurrence[] {
  const out: Occurrence[] = [];
  const t = m.twig?.value ?? serviceForUri(ws, m.uri)?.twig;
  const twig = t ? normaliseTwig(t) : undefined;
  const abs = (v: string) => (twig ? fullPath(twig, v) : v);
  const add = (path: string, range: Range, role: OccurrenceRole) => out.push({ path, uri: m.uri, range, role });
  for (const a of m.appFigs) add(abs(a.value), a.range, 'decl-json');
  for (const s of m.sharedFigs) add(abs(s.value), s.range, 'decl-json');
  for (const r of m.replicateFigs) {
    add(abs(r.dest.value), r.dest.range, 'decl-json');
    add(r.source.value, r.source.range, 'source');
  }
  for (const e of m.mergedFigs) {
    add(abs(e.dest.value), e.dest.range, 'decl-json');
    for (const part of e.value.parts) if (part.kind === 'ref') add(part.path, part.range, 'ref');
  }
  if (m.replicateFrom) for (const p of m.replicateFrom.parameters) add(abs(p.value), p.range, 'decl-json');
  return out;
}

function secretsOccurrences(m: SecretsJsonModel): Occurrence[] {
  return m.replicateFigs.flatMap((r) => [
    { path: r.dest.value, uri: m.uri, range: r.dest.range, role: 'decl-secrets' as const, template: true },
    { path: r.source.value, uri: m.uri, range: r.source.range, role: 'source' as const, template: true },
  ]);
}

export function documentOccurrences(ws: WorkspaceModel, uri: string): Occurrence[] {
  const py = pythonModel(ws, uri);
  if (py) return pythonOccurrences(ws, py);
  const fj = figgyJsonModel(ws, uri);
  if (fj) return jsonOccurrences(ws, fj);
  const sj = secretsModel(ws, uri);
  if (sj) return secretsOccurrences(sj);
  return [];
}

export function workspaceOccurrences(ws: WorkspaceModel): Occurrence[] {
  const seen = new Set<string>();
  const out: Occurrence[] = [];
  const files = [...ws.pythonFiles.map((m) => m.uri), ...ws.figgyJsonFiles.map((m) => m.uri), ...ws.secretsFiles.map((m) => m.uri)];
  for (const s of ws.services) if (s.configPy) files.push(s.configPy.model.uri);
  for (const uri of files) {
    if (seen.has(uri)) continue;
    seen.add(uri);
    out.push(...documentOccurrences(ws, uri));
  }
  return out;
}

/** The innermost occurrence under the cursor. */
export function occurrenceAt(ws: WorkspaceModel, uri: string, pos: Position): Occurrence | undefined {
  let best: Occurrence | undefined;
  for (const o of documentOccurrences(ws, uri)) {
    if (contains(o.range, pos) && (!best || rangeSize(o.range) < rangeSize(best.range))) best = o;
  }
  return best;
}

/** Concrete paths a figgy-secrets.json template stands for, one per service it can apply to. */
export function expandTemplate(ws: WorkspaceModel, template: string): string[] {
  if (!template.includes('${')) return [template];
  const out = new Set<string>();
  for (const s of ws.services) {
    const p = substituteTemplate(template, s);
    if (p && s.twig && (p === s.twig || p.startsWith(`${s.twig}/`))) out.add(p);
  }
  return [...out];
}

/** Whether an occurrence stands for `path` (templates match after substitution). */
export function occurrenceMatches(ws: WorkspaceModel, o: Occurrence, path: string): boolean {
  if (!o.template) return o.path === path;
  if (o.role === 'source') {
    return ws.services.some((s) => substituteTemplate(o.path, s) === path);
  }
  return expandTemplate(ws, o.path).includes(path);
}

/** Concrete paths an occurrence stands for. */
export function occurrencePaths(ws: WorkspaceModel, o: Occurrence): string[] {
  if (!o.template) return [o.path];
  if (o.role === 'source') {
    const out = new Set<string>();
    for (const s of ws.services) {
      const p = substituteTemplate(o.path, s);
      if (p) out.add(p);
    }
    return [...out];
  }
  return expandTemplate(ws, o.path);
}
