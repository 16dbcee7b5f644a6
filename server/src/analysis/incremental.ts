// Incremental rule runs for large workspaces. The workspace is cut into independent slices (services
// that share any file, with exactly those files; files of no service on their own), rules run per
// slice, and a slice whose inputs are the same objects as last run reuses its previous findings.
// The result equals `runRules` exactly (same findings, same order); see test/analysis/incremental.test.ts.
//
// Why slices are independent: every rule except `stray-parameter` reads only the services it iterates
// and their own files, and de-duplicates by file uri; the slicing unions every uri a model refers to
// (imported figgy.json entries carry their file's uri), so no uri belongs to two slices.
// `stray-parameter` reads the twigs of all services (a nested service's twig is not a stray of its
// parent), so it stays whole-workspace. Rules not listed in SLICE_LOCAL (plugins, test rules) run
// whole-workspace too. Service ids depend on the whole workspace (twig clashes), so they are part of
// a slice's key. A rule that throws anywhere makes the run fall back to `runRules`, which reports it.
import type { FiggyJsonModel, PythonConfigModel, SecretsJsonModel } from '../parse/types';
import type { Service, WorkspaceModel } from '../model/types';
import type { EnvState, Finding, Rule, RuleContext, Severity } from './types';
import { ALL_RULES, FIGGY_RULES, compareFindings, runRules, type RunOptions } from './index';
import { strayParameter } from './rules/strayParameter';

/**
 * Rules checked to read nothing outside the services and files of the context they are given. The
 * twelve-factor and credential rules read apps and scanned files, which slices do not carry: they run
 * whole-workspace.
 */
export const SLICE_LOCAL: ReadonlySet<Rule> = new Set(FIGGY_RULES.filter((r) => r !== strayParameter));

type AnyModel = PythonConfigModel | FiggyJsonModel | SecretsJsonModel;

export interface Slice {
  services: Service[];
  pythonFiles: PythonConfigModel[];
  figgyJsonFiles: FiggyJsonModel[];
  secretsFiles: SecretsJsonModel[];
}

/** Every `uri` string reachable in a parsed model (its own and those of merged-in files). */
const urisOfModel = new WeakMap<object, string[]>();
function modelUris(m: AnyModel): string[] {
  let u = urisOfModel.get(m);
  if (u) return u;
  // A Python model is one file's parse: nothing in it names another file (checked over 1,345 real
  // files), and walking 5,000 declarations per keystroke was a sixth of the big-file edit path.
  if ('classes' in m && 'importsFiggy' in m) {
    u = [m.uri];
    urisOfModel.set(m, u);
    return u;
  }
  const out = new Set<string>([m.uri]);
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (k === 'uri' && typeof x === 'string') out.add(x);
      else walk(x);
    }
  };
  walk(m);
  u = [...out];
  urisOfModel.set(m, u);
  return u;
}

/** Cuts a workspace into independent slices; each keeps the workspace's order of services and files. */
export function sliceWorkspace(ws: WorkspaceModel): Slice[] {
  const parent: number[] = [];
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const union = (a: number, b: number): void => {
    const x = find(a);
    const y = find(b);
    if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
  };
  const byUri = new Map<string, number>();
  const byModel = new Map<object, number>();
  const node = (m: AnyModel): number => {
    let i = byModel.get(m);
    if (i !== undefined) return i;
    i = parent.length;
    parent.push(i);
    byModel.set(m, i);
    for (const u of modelUris(m)) {
      const j = byUri.get(u);
      if (j === undefined) byUri.set(u, i);
      else union(i, j);
    }
    return i;
  };
  const py = ws.pythonFiles.map(node);
  const fj = ws.figgyJsonFiles.map(node);
  const sec = ws.secretsFiles.map(node);
  const svc = ws.services.map((s) => {
    const files: AnyModel[] = [...(s.configPy ? [s.configPy.model] : []), ...(s.figgyJson ? [s.figgyJson] : []), ...s.secrets];
    const ns = files.map(node);
    for (const n of ns) union(ns[0], n);
    return ns[0];
  });
  const slices = new Map<number, Slice>();
  const at = (i: number | undefined): Slice => {
    const r = i === undefined ? -1 : find(i);
    let s = slices.get(r);
    if (!s) slices.set(r, (s = { services: [], pythonFiles: [], figgyJsonFiles: [], secretsFiles: [] }));
    return s;
  };
  ws.services.forEach((s, i) => at(svc[i]).services.push(s));
  ws.pythonFiles.forEach((m, i) => at(py[i]).pythonFiles.push(m));
  ws.figgyJsonFiles.forEach((m, i) => at(fj[i]).figgyJsonFiles.push(m));
  ws.secretsFiles.forEach((m, i) => at(sec[i]).secretsFiles.push(m));
  return [...slices.values()];
}

/** Findings of one slice, sorted, cut into runs per uri; `ranks` holds each finding's rule index. */
interface SliceResult {
  runs: Map<string, { findings: Finding[]; ranks: number[] }>;
}

let nextId = 1;
const ids = new WeakMap<object, number>();
function idOf(o: object): number {
  let i = ids.get(o);
  if (i === undefined) ids.set(o, (i = nextId++));
  return i;
}

function sliceKey(s: Slice): string {
  const parts: string[] = [];
  parts.push(s.pythonFiles.map(idOf).join(','), s.figgyJsonFiles.map(idOf).join(','), s.secretsFiles.map(idOf).join(','));
  for (const v of s.services) {
    parts.push(
      `${JSON.stringify(v.id)}:${JSON.stringify(v.twig ?? null)}:${v.configPy ? `${idOf(v.configPy.model)}.${idOf(v.configPy.cls)}` : '-'}:${v.figgyJson ? idOf(v.figgyJson) : '-'}:${v.secrets.map(idOf).join('.')}`,
    );
  }
  return parts.join('|');
}

class RuleThrew extends Error {}

const MAX_CACHES = 2;

/** Applies the severity overrides exactly as `runRules` does. */
function withSeverity(rule: Rule, found: Finding[], sev: Record<string, Severity>, into: Finding[], ranks: number[], rank: number): void {
  for (const f of found) {
    const o = sev[f.code] ?? (f.code !== rule.code ? sev[rule.code] : undefined);
    if (o === 'off') continue;
    into.push(o ? { ...f, severity: o } : f);
    ranks.push(rank);
  }
}

/** Stable sort of findings by `compareFindings`, keeping ranks alongside. */
function sortWithRanks(findings: Finding[], ranks: number[]): { findings: Finding[]; ranks: number[] } {
  const idx = findings.map((_, i) => i);
  idx.sort((a, b) => compareFindings(findings[a], findings[b]) || a - b);
  return { findings: idx.map((i) => findings[i]), ranks: idx.map((i) => ranks[i]) };
}

export interface IncrementalStats {
  slices: number;
  reused: number;
  fallbacks: number;
}

/** Runs rules like `runRules`, reusing the findings of slices whose inputs did not change. Keep one per consumer. */
export class IncrementalAnalyzer {
  /** Slice results per global key (env states, settings, rules); two are kept so a parse-only run between two full ones does not evict them. */
  private readonly caches = new Map<string, Map<string, SliceResult>>();
  readonly stats: IncrementalStats = { slices: 0, reused: 0, fallbacks: 0 };

  run(ctx: RuleContext, opts: RunOptions = {}): Finding[] {
    const out: Finding[] = [];
    for (const fs of this.runGrouped(ctx, opts).values()) for (const f of fs) out.push(f);
    return out;
  }

  /**
   * The same findings grouped by file, in file order. A file whose findings all come from a reused
   * slice gets the very array it got last time, so consumers can skip it by identity.
   */
  runGrouped(ctx: RuleContext, opts: RunOptions = {}): Map<string, Finding[]> {
    const sev: Record<string, Severity> = ctx.settings.severities ?? {};
    const rules = opts.rules ?? ALL_RULES;
    const active: { rule: Rule; rank: number }[] = [];
    rules.forEach((rule, rank) => {
      if (sev[rule.code] === 'off') return;
      if (rule.needsBackend && (opts.parseOnly || ctx.envStates.size === 0)) return;
      active.push({ rule, rank });
    });
    const local = active.filter((a) => SLICE_LOCAL.has(a.rule));
    const whole = active.filter((a) => !SLICE_LOCAL.has(a.rule));

    // Anything outside the services and files changes every slice's findings: start over.
    const envKey = ctx.envStates.size === 0 ? 'none' : String(idOf(ctx.envStates));
    const gk = `${envKey}|${JSON.stringify(ctx.settings)}|${local.map((a) => `${idOf(a.rule)}@${a.rank}`).join(',')}`;
    const prev = this.caches.get(gk) ?? new Map<string, SliceResult>();
    this.caches.delete(gk);

    const next = new Map<string, SliceResult>();
    const groups = new Map<string, { findings: Finding[]; ranks: number[] }>();
    const slices = sliceWorkspace(ctx.workspace);
    this.stats.slices = slices.length;
    this.stats.reused = 0;
    try {
      for (const s of slices) {
        const key = sliceKey(s);
        let r = next.get(key) ?? prev.get(key);
        if (r) this.stats.reused++;
        else r = this.runSlice(s, ctx.envStates, ctx, local, sev);
        next.set(key, r);
        for (const [uri, run] of r.runs) {
          // A uri in two slices would make the order of equal findings depend on slicing: be exact instead.
          if (groups.has(uri)) throw new RuleThrew('shared uri');
          groups.set(uri, run);
        }
      }
    } catch (e) {
      if (!(e instanceof RuleThrew)) throw e;
      this.stats.fallbacks++;
      return groupByUri(runRules(ctx, opts));
    }
    this.caches.set(gk, next);
    while (this.caches.size > MAX_CACHES) this.caches.delete(this.caches.keys().next().value!);

    // Whole-workspace rules: run every time, merged into the per-uri runs by (order, rule index).
    const extras = new Map<string, { findings: Finding[]; ranks: number[] }>();
    for (const { rule, rank } of whole) {
      let found: Finding[];
      try {
        found = rule.run(ctx);
      } catch {
        this.stats.fallbacks++;
        return groupByUri(runRules(ctx, opts));
      }
      const fs: Finding[] = [];
      const rs: number[] = [];
      withSeverity(rule, found, sev, fs, rs, rank);
      fs.forEach((f, i) => {
        let g = extras.get(f.uri);
        if (!g) extras.set(f.uri, (g = { findings: [], ranks: [] }));
        g.findings.push(f);
        g.ranks.push(rs[i]);
      });
    }

    const uris = new Set(groups.keys());
    for (const u of extras.keys()) uris.add(u);
    const out = new Map<string, Finding[]>();
    for (const uri of [...uris].sort()) {
      const a = groups.get(uri);
      const x = extras.get(uri);
      if (!x) {
        out.set(uri, a!.findings);
        continue;
      }
      const b = sortWithRanks(x.findings, x.ranks);
      if (!a) {
        out.set(uri, b.findings);
        continue;
      }
      const merged: Finding[] = [];
      let i = 0;
      let j = 0;
      while (i < a.findings.length || j < b.findings.length) {
        if (j >= b.findings.length) merged.push(a.findings[i++]);
        else if (i >= a.findings.length) merged.push(b.findings[j++]);
        else {
          const c = compareFindings(a.findings[i], b.findings[j]) || a.ranks[i] - b.ranks[j];
          merged.push(c <= 0 ? a.findings[i++] : b.findings[j++]);
        }
      }
      out.set(uri, merged);
    }
    return out;
  }

  private runSlice(s: Slice, envStates: Map<string, EnvState>, ctx: RuleContext, local: { rule: Rule; rank: number }[], sev: Record<string, Severity>): SliceResult {
    const sub: RuleContext = { workspace: { ...s }, envStates, settings: ctx.settings };
    const findings: Finding[] = [];
    const ranks: number[] = [];
    for (const { rule, rank } of local) {
      let found: Finding[];
      try {
        found = rule.run(sub);
      } catch {
        throw new RuleThrew(rule.code);
      }
      withSeverity(rule, found, sev, findings, ranks, rank);
    }
    const sorted = sortWithRanks(findings, ranks);
    const runs = new Map<string, { findings: Finding[]; ranks: number[] }>();
    sorted.findings.forEach((f, i) => {
      let g = runs.get(f.uri);
      if (!g) runs.set(f.uri, (g = { findings: [], ranks: [] }));
      g.findings.push(f);
      g.ranks.push(sorted.ranks[i]);
    });
    return { runs };
  }
}

/** Findings (already in file order) grouped by file. */
function groupByUri(findings: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const l = out.get(f.uri);
    if (l) l.push(f);
    else out.set(f.uri, [f]);
  }
  return out;
}
