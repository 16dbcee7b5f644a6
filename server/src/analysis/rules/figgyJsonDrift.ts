// config.py is the source of truth and figgy.json is generated from it (ConfigWriter at LOCAL_RUN), so
// the two drift. The comparison is between what ConfigWriter would write for the store (model/
// figgyJsonWriter: dir() order, shared Fig objects, uri_encode by name, one destination per source)
// and the figgy.json as figgy-cli reads it (names standardised under the namespace), so two files that
// mean the same to figgy-cli do not drift. Where config.py holds a Fig Orchard cannot work out, that
// section of figgy.json is unknown: an entry there is never called undeclared. Each difference is
// reported once, where it is visible; literal pattern elements are never quoted (they are user text
// that could be sensitive).
import type { Finding, Rule } from '../types';
import type { MergePart, Range } from '../../parse/types';
import type { Service } from '../../model/types';
import { cliNamespace, cliStandardize, mergeRef } from '../../parse/paths';
import { classTwig, figKey, jsonTwig, serviceDecls, type Decl } from '../../model/decls';
import { writtenFiggyJson, type PyJson, type WrittenEntry } from '../../model/figgyJsonWriter';
import { JSON_KEY, PY_KIND, ZERO_RANGE } from './util';

const CODE = 'figgy-json-drift';

type Origin = 'app' | 'shared' | 'replicated' | 'merged';

/** A figgy.json merged element as text, the way it would compare with ConfigWriter's output. */
function jsonElement(p: MergePart): string | undefined {
  if (p.kind === 'literal') return p.value;
  if (p.kind === 'ref') return mergeRef(p.path, p.uri);
  if (p.kind === 'unknown') return p.text;
  return undefined;
}

function describe(e: PyJson | undefined): string {
  if (e === undefined) return 'absent';
  return typeof e === 'string' && /^\$\{[^}]*\}$/.test(e) ? e : 'a literal';
}

function patternDifference(j: PyJson[], c: PyJson[]): string | undefined {
  const n = Math.max(j.length, c.length);
  for (let i = 0; i < n; i++) {
    const a = j[i];
    const b = c[i];
    if (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b)) continue;
    if (a !== undefined && b !== undefined && describe(a) === 'a literal' && describe(b) === 'a literal') return `element ${i + 1} is a different literal`;
    if (a === undefined || b === undefined) return `figgy.json has ${j.length} elements, config.py ${c.length}; element ${i + 1} is ${describe(a)} in figgy.json but ${describe(b)} in config.py`;
    return `element ${i + 1} is ${describe(a)} in figgy.json but ${describe(b)} in config.py`;
  }
  return undefined;
}

function driftFindings(service: Service): Finding[] {
  const py = service.configPy;
  const fj = service.figgyJson;
  if (!py || !fj) return [];
  const cls = py.cls;
  const data = { fix: 'regenerate-figgy-json' as const, serviceId: service.id };
  const out: Finding[] = [];
  const push = (uri: string, range: Range, message: string): void => {
    out.push({ code: CODE, severity: 'warning', message, uri, range, data });
  };
  const ct = classTwig(cls);
  const jt = jsonTwig(fj);
  if (ct === undefined || jt === undefined) return out;
  const ns = cliNamespace(jt);
  if (cliNamespace(ct) !== ns) {
    // Every path would differ; the twig is the one real difference.
    push(fj.uri, fj.twig?.range ?? ZERO_RANGE, `figgy.json twig ${jt} differs from TWIG ${ct} of ${cls.className} in config.py`);
    return out;
  }
  const w = writtenFiggyJson(cls, ct);
  const pyUri = py.model.uri;
  /** figgy-cli's reading of a name ConfigWriter writes (a full name stays as it is). */
  const cliName = (e: WrittenEntry, origin: Origin) => (e.name === null ? 'None' : origin === 'app' || origin === 'shared' ? cliStandardize(ns, e.name) : e.name);

  const written = new Map<string, { origin: Origin; e: WrittenEntry; source?: string; pattern?: PyJson[]; exact?: boolean }>();
  const put = (origin: Origin, e: WrittenEntry, extra: { source?: string; pattern?: PyJson[]; exact?: boolean } = {}) => {
    const k = cliName(e, origin);
    if (!written.has(k)) written.set(k, { origin, e, ...extra });
  };
  for (const e of w.appFigs) put('app', e);
  for (const e of w.sharedFigs) put('shared', e);
  for (const e of w.replicateFigs) put('replicated', e, { source: e.source });
  for (const e of w.mergedFigs) put('merged', e, { pattern: e.pattern, exact: e.exact });

  // replicate_from has no config.py counterpart: figgy-lib cannot express it. (The service's
  // declarations are worked out once per service; their figgy.json part is figgyJsonDecls'.)
  const jDecls = serviceDecls(service).filter((d) => d.from === 'figgy.json' && d.origin !== 'replicate-from');
  const inJson = new Map<string, Decl>();
  for (const d of jDecls) if (!inJson.has(d.path)) inJson.set(d.path, d);

  for (const [path, c] of written) {
    if (inJson.has(path)) continue;
    push(pyUri, c.e.fig.attrRange, `figgy.json lacks ${JSON_KEY[c.origin]} entry ${path}, which ConfigWriter writes for ${cls.className}.${figKey(c.e.fig)}`);
  }
  for (const [path, j] of inJson) {
    const origin = j.origin as Origin;
    const c = written.get(path);
    if (!c) {
      // A section holding a Fig Orchard cannot work out may well have this entry: unknown, not missing.
      if (w.unknown.has(origin)) continue;
      const kind = PY_KIND[origin];
      push(j.uri, j.range, `config.py (class ${cls.className}) lacks ${kind === 'AppFig' ? 'an' : 'a'} ${kind} for figgy.json ${JSON_KEY[origin]} entry ${path}`);
      continue;
    }
    if (c.origin !== origin) {
      push(j.uri, j.range, `${cls.className}.${figKey(c.e.fig)} is a ${c.e.fig.kind} in config.py but figgy.json lists ${path} in ${JSON_KEY[origin]}`);
      continue;
    }
    if (origin === 'replicated' && j.source && c.source !== undefined && c.source !== j.source.value) {
      push(j.uri, j.source.range, `figgy.json replicates ${path} from ${j.source.value}, but ConfigWriter writes source ${c.source} for ${cls.className}.${figKey(c.e.fig)}`);
    }
    if (origin === 'merged' && j.merge && c.pattern && c.exact) {
      const jp: PyJson[] | undefined = j.merge.form === 'string' && j.merge.text !== undefined ? [j.merge.text] : j.merge.parts.map(jsonElement) as PyJson[];
      if (jp.some((x) => x === undefined)) continue;
      // ConfigWriter turns a single-string pattern into one-character strings; figgy.json may hold the string.
      const same = JSON.stringify(jp) === JSON.stringify(c.pattern) || (j.merge.form === 'string' && c.pattern.join('') === j.merge.text && c.e.fig.pattern?.form === 'string');
      const diff = same ? undefined : patternDifference(jp, c.pattern);
      if (diff) push(j.uri, j.merge.range, `merged_figs ${path} differs from ${cls.className}.${figKey(c.e.fig)}'s pattern in config.py: ${diff}`);
    }
  }
  return out;
}

export const figgyJsonDrift: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: 'config.py and its figgy.json disagree (what ConfigWriter would write vs. what figgy-cli reads: entries either way, kinds, replication sources, merge patterns, twig).',
  needsBackend: false,
  run(ctx) {
    return ctx.workspace.services.flatMap(driftFindings);
  },
};
