// config.py is the source of truth and figgy.json is generated from it (ConfigWriter at LOCAL_RUN), so
// the two drift. Each difference is reported once, at the side where it is visible, with the exact
// difference; literal pattern elements are never quoted (they are user text that could be sensitive).
import type { Finding, Rule } from '../types';
import type { Range } from '../../parse/types';
import type { Service } from '../../model/types';
import { mergeRef, normaliseTwig, parseMergeRef } from '../../parse/paths';
import { configPyDecls, figgyJsonDecls, jsonTwig, classTwig, type Decl } from '../../model/decls';
import { JSON_KEY, PY_KIND, ZERO_RANGE } from './util';

const CODE = 'figgy-json-drift';

type Elem = { ref: string } | { literal: string };

/** A merge pattern as figgy.json would hold it, or undefined when not statically known. */
function renderPattern(d: Decl, byAttr: Map<string, Decl>): Elem[] | undefined {
  if (!d.merge || d.merge.form !== 'list') return undefined;
  const uriAttrs = new Set((d.fig?.uriEncode ?? []).flatMap((p) => (p.kind === 'attr' ? [p.attr] : [])));
  const out: Elem[] = [];
  for (const p of d.merge.parts) {
    if (p.kind === 'literal') {
      const r = parseMergeRef(p.value);
      out.push(r ? { ref: mergeRef(r.path, r.uri) } : { literal: p.value });
    } else if (p.kind === 'ref') out.push({ ref: mergeRef(p.path, p.uri) });
    else if (p.kind === 'attr') {
      const t = byAttr.get(p.attr);
      if (!t) return undefined;
      out.push({ ref: mergeRef(t.path, uriAttrs.has(p.attr)) });
    } else return undefined;
  }
  return out;
}

function describe(e: Elem | undefined): string {
  if (!e) return 'absent';
  return 'ref' in e ? e.ref : 'a literal';
}

function sameElem(a: Elem, b: Elem): boolean {
  return 'ref' in a ? 'ref' in b && a.ref === b.ref : 'literal' in b && a.literal === b.literal;
}

function patternDifference(j: Elem[], c: Elem[]): string | undefined {
  const n = Math.max(j.length, c.length);
  for (let i = 0; i < n; i++) {
    const a = j[i];
    const b = c[i];
    if (a && b && sameElem(a, b)) continue;
    if (a && b && 'literal' in a && 'literal' in b) return `element ${i + 1} is a different literal`;
    if (!a || !b) return `figgy.json has ${j.length} elements, config.py ${c.length}; element ${i + 1} is ${describe(a)} in figgy.json but ${describe(b)} in config.py`;
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
  if (ct && jt && normaliseTwig(ct) !== normaliseTwig(jt)) {
    // Every path would differ; the twig is the one real difference.
    push(fj.uri, fj.twig?.range ?? ZERO_RANGE, `figgy.json twig ${normaliseTwig(jt)} differs from TWIG ${normaliseTwig(ct)} of ${cls.className} in config.py`);
    return out;
  }
  const cDecls = configPyDecls(py.model.uri, cls, service.twig);
  // replicate_from has no config.py counterpart: figgy-lib cannot express it.
  const jDecls = figgyJsonDecls(fj, service.twig).filter((d) => d.origin !== 'replicate-from');
  const cBy = new Map<string, Decl>();
  for (const d of cDecls) if (!cBy.has(d.path)) cBy.set(d.path, d);
  const jBy = new Map<string, Decl>();
  for (const d of jDecls) if (!jBy.has(d.path)) jBy.set(d.path, d);
  const byAttr = new Map(cDecls.filter((d) => d.attr).map((d) => [d.attr!, d]));

  for (const [path, c] of cBy) {
    if (!jBy.has(path)) {
      push(c.uri, c.range, `figgy.json lacks ${JSON_KEY[c.origin]} entry ${path} declared by ${cls.className}.${c.attr} in config.py`);
    }
  }
  for (const [path, j] of jBy) {
    const c = cBy.get(path);
    if (!c) {
      const kind = PY_KIND[j.origin as keyof typeof PY_KIND];
      push(j.uri, j.range, `config.py (class ${cls.className}) lacks ${kind === 'AppFig' ? 'an' : 'a'} ${kind} for figgy.json ${JSON_KEY[j.origin]} entry ${path}`);
      continue;
    }
    if (c.origin !== j.origin) {
      push(j.uri, j.range, `${cls.className}.${c.attr} is a ${c.kind} in config.py but figgy.json lists ${path} in ${JSON_KEY[j.origin]}`);
      continue;
    }
    if (c.origin === 'replicated' && c.source && j.source && c.source.value !== j.source.value) {
      push(j.uri, j.source.range, `figgy.json replicates ${path} from ${j.source.value}, but ${cls.className}.${c.attr} in config.py uses source ${c.source.value}`);
    }
    if (c.origin === 'merged' && j.merge?.form === 'list') {
      const cp = renderPattern(c, byAttr);
      const jp = renderPattern(j, byAttr);
      const diff = cp && jp ? patternDifference(jp, cp) : undefined;
      if (diff) push(j.uri, j.merge.range, `merged_figs ${path} differs from ${cls.className}.${c.attr}'s pattern in config.py: ${diff}`);
    }
  }
  return out;
}

export const figgyJsonDrift: Rule = {
  code: CODE,
  defaultSeverity: 'warning',
  description: 'config.py and its figgy.json disagree (missing entries either way, kinds, replication sources, merge patterns, twig).',
  needsBackend: false,
  run(ctx) {
    return ctx.workspace.services.flatMap(driftFindings);
  },
};
