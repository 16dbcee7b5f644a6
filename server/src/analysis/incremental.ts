// Incremental rule runs for large workspaces. The workspace is cut into independent slices (services
// that share any file, with exactly those files; files of no service on their own), rules run per
// slice, and a slice whose inputs are the same objects as last run reuses its previous findings.
// The result equals `runRules` exactly (same findings, same order); see test/analysis/incremental.test.ts.
//
// Why slices are independent: every rule except `stray-parameter` reads only the services it iterates
// and their own files, and de-duplicates by file uri; the slicing unions every uri a model refers to
// (imported figgy.json entries carry their file's uri), so no uri belongs to two slices.
// `stray-parameter` reads the twigs of all services (a nested service's twig is not a stray of its
// parent), so it stays whole-workspace (it remembers each service's findings itself). Rules not
// listed in SLICE_LOCAL (plugins, test rules, twelve-factor and credential rules) run whole-workspace
// too. Service ids depend on the whole workspace (twig clashes), so they are part of a slice's key.
// A rule that throws anywhere makes the run fall back to `runRules`, which reports it.
//
// After an edit, `runDelta` patches the previous run instead (see patchRun): only the slices holding
// changed objects are visited, and it lists the files whose findings changed.
import { cutWorkspace, idOf, patchSlicing, sliceKey, type Slice, type Slicing } from './slices';
import { sameList } from '../model/identity';
import { WholeRules, type RuleResult, type Run, type WholeResult } from './wholeRules';
import { PerAppList } from './perAppList';
import type { App } from '../model/types';
export { sliceWorkspace } from './slices';
import type { Finding, Rule, RuleContext, Severity } from './types';
import { ALL_RULES, FIGGY_RULES, compareFindings, runRules, type RunOptions } from './index';
import { strayParameter } from './rules/strayParameter';
import { settle } from './settle';

/**
 * Rules checked to read nothing outside the services and files of the context they are given. The
 * twelve-factor and credential rules read apps and scanned files, which slices do not carry: they run
 * whole-workspace.
 */
export const SLICE_LOCAL: ReadonlySet<Rule> = new Set(FIGGY_RULES.filter((r) => r !== strayParameter));


/** Findings of one slice, sorted, cut into runs per uri; `ranks` holds each finding's rule index. */
interface SliceResult {
  runs: Map<string, Run>;
}

class RuleThrew extends Error {}

const MAX_CACHES = 2;

const NONE: Finding[] = [];

/** A finding with a severity override is a copy: the same copy each run, so reuse stays visible by identity. */
const overridden = new WeakMap<Finding, Finding>();

/** Applies the severity overrides exactly as `runRules` does. */
function withSeverity(rule: Rule, found: readonly Finding[], sev: Record<string, Severity>, into: Finding[], ranks: number[], rank: number): void {
  for (const f of found) {
    const o = sev[f.code] ?? (f.code !== rule.code ? sev[rule.code] : undefined);
    if (o === 'off') continue;
    let g = f;
    if (o) {
      g = overridden.get(f) ?? { ...f, severity: o };
      if (g.severity !== o) g = { ...f, severity: o };
      overridden.set(f, g);
    }
    into.push(g);
    ranks.push(rank);
  }
}

/** Stable sort of findings by `compareFindings`, keeping ranks alongside. */
function sortWithRanks(findings: Finding[], ranks: number[]): Run {
  const idx = findings.map((_, i) => i);
  idx.sort((a, b) => compareFindings(findings[a], findings[b]) || a - b);
  return { findings: idx.map((i) => findings[i]), ranks: idx.map((i) => ranks[i]) };
}

/** One file's findings: its slice's run merged with the whole-workspace rules' (by order, then rule index). */
function mergeRuns(a: Run | undefined, x: Run | undefined): Finding[] | undefined {
  if (!x) return a?.findings;
  const b = sortWithRanks(x.findings, x.ranks);
  if (!a) return b.findings;
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
  return merged;
}

function sameRun(a: Run | undefined, b: Run | undefined): boolean {
  if (!a || !b) return a === b;
  return sameList(a.findings, b.findings) && sameList(a.ranks, b.ranks);
}

/**
 * Equality of plain data (what findings are made of: strings, numbers, booleans, arrays, plain
 * objects; undefined properties count as absent, as in JSON). node's isDeepStrictEqual took ~5 µs a
 * finding: 28,000 findings compared after a full run cost 100-240 ms.
 */
export function equalData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    n++;
    if (!equalData(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) n--;
  return n === 0;
}

/** Lists of the same findings, as objects or by value (a rule run again makes equal new objects). */
function equalFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!equalData(a[i], b[i])) return false;
  return true;
}

/** Runs of the same findings, as objects or by value (a rule run again may make equal new objects). */
function equalRun(a: Run | undefined, b: Run | undefined): boolean {
  if (!a || !b) return a === b;
  return sameRun(a, b) || (sameList(a.ranks, b.ranks) && equalFindings(a.findings, b.findings));
}

export interface IncrementalStats {
  slices: number;
  reused: number;
  fallbacks: number;
  /** Whether the last run patched the previous one (only the slices of changed files were visited). */
  patched: boolean;
}

/** Every file's findings, and which files' lists are not the very arrays of the previous run. */
export interface FindingsDelta {
  /** Owned by the analyzer: valid until its next run; do not modify. Not in file order. */
  byUri: ReadonlyMap<string, Finding[]>;
  /** Added, changed or gone (then absent from byUri) since the previous run. */
  changed: ReadonlySet<string>;
}

/** What the last run produced, for patching it when only a few slices changed. */
interface RunState {
  gk: string;
  slicing: Slicing;
  results: SliceResult[];
  /** The slice whose run holds each uri. */
  owner: Map<string, number>;
  out: Map<string, Finding[]>;
}

interface Plan {
  gk: string;
  /** Whether any severity is set (else findings go out as the rules made them). */
  overrides: boolean;
  local: { rule: Rule; rank: number }[];
  whole: { rule: Rule; rank: number }[];
  sev: Record<string, Severity>;
}

/** Runs rules like `runRules`, reusing the findings of slices whose inputs did not change. Keep one per consumer. */
export class IncrementalAnalyzer {
  /** Slice results per global key (env states, settings, rules); two are kept so a parse-only run between two full ones does not evict them. */
  private readonly caches = new Map<string, Map<string, SliceResult>>();
  readonly stats: IncrementalStats = { slices: 0, reused: 0, fallbacks: 0, patched: false };
  private state?: RunState;
  private readonly whole = new WholeRules();
  /** Findings of per-app rules by app object (the settings and env states do not enter them). */
  private readonly appFindings = new WeakMap<App, Map<Rule, Finding[]>>();
  /** Each per-app rule's joined list, patched where apps were replaced. */
  private readonly perAppLists = new Map<Rule, PerAppList<Finding>>();
  private lastOut: ReadonlyMap<string, Finding[]> = new Map();

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
    const { byUri } = this.runDelta(ctx, opts);
    const out = new Map<string, Finding[]>();
    for (const uri of [...byUri.keys()].sort()) out.set(uri, byUri.get(uri)!);
    return out;
  }

  /**
   * Runs the rules and says which files' findings changed. After an edit of one service's files only
   * its slices, the whole-workspace rules and the files they report on are visited, whatever the size
   * of the workspace.
   */
  runDelta(ctx: RuleContext, opts: RunOptions = {}): FindingsDelta {
    const plan = this.plan(ctx, opts);
    const prev = this.state;
    this.stats.patched = false;
    if (prev && prev.gk === plan.gk) {
      const p = prev.slicing.ws === ctx.workspace ? { slicing: prev.slicing, touched: new Set<number>() } : patchSlicing(prev.slicing, ctx.workspace);
      const d = p && this.patchRun(prev, p.slicing, p.touched, ctx, plan);
      if (d) {
        this.stats.patched = true;
        return d;
      }
    }
    return this.fullRun(ctx, opts, plan);
  }

  private plan(ctx: RuleContext, opts: RunOptions): Plan {
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
    const gk = `${envKey}|${JSON.stringify(ctx.settings)}|${active.map((a) => `${idOf(a.rule)}@${a.rank}`).join(',')}`;
    return { gk, local, whole, sev, overrides: Object.keys(sev).length > 0 };
  }

  /**
   * A per-app rule's findings (Rule.perApp), one app at a time: an app that is the same object as
   * last run (model/appsPatch.ts keeps those an edit cannot reach) keeps its findings, and the
   * rule's list changes only where the replaced apps' parts are (PerAppList).
   */
  private runPerApp(rule: Rule, ctx: RuleContext): readonly Finding[] {
    let list = this.perAppLists.get(rule);
    if (!list) this.perAppLists.set(rule, (list = new PerAppList()));
    return list.join(ctx.workspace.apps ?? [], (app) => {
      let byRule = this.appFindings.get(app);
      if (!byRule) this.appFindings.set(app, (byRule = new Map()));
      let fs = byRule.get(rule);
      if (!fs) {
        fs = rule.run({ ...ctx, workspace: { ...ctx.workspace, apps: [app] } });
        settle(fs);
        // Most apps give most rules nothing: one shared empty list, not one per app and rule.
        byRule.set(rule, fs.length ? fs : NONE);
      }
      return fs;
    });
  }

  /** Whole-workspace rules: run every time (WholeRules regroups what changed); undefined when one throws. */
  private runWhole(ctx: RuleContext, plan: Plan): WholeResult | undefined {
    const results: RuleResult[] = [];
    try {
      for (const { rule, rank } of plan.whole) {
        const found = rule.perApp ? this.runPerApp(rule, ctx) : rule.run(ctx);
        if (!rule.perApp) settle(found);
        let fs = found;
        if (plan.overrides) {
          const copy: Finding[] = [];
          withSeverity(rule, found, plan.sev, copy, [], rank);
          fs = copy;
        }
        results.push({ rule, rank, fs });
      }
    } catch {
      return undefined;
    }
    return this.whole.update(plan.gk, results);
  }

  private fallback(ctx: RuleContext, opts: RunOptions): FindingsDelta {
    this.stats.fallbacks++;
    this.state = undefined;
    return this.finish(groupByUri(runRules(ctx, opts)));
  }

  /**
   * Records `out` as the latest result and says which files differ from the previous one (a file
   * whose findings are equal by value keeps the previous array).
   */
  private finish(out: Map<string, Finding[]>): FindingsDelta {
    const changed = new Set<string>();
    for (const [uri, fs] of out) {
      const old = this.lastOut.get(uri);
      if (old === fs) continue;
      if (old && equalFindings(old, fs)) out.set(uri, old);
      else changed.add(uri);
    }
    for (const uri of this.lastOut.keys()) if (!out.has(uri)) changed.add(uri);
    this.lastOut = out;
    return { byUri: out, changed };
  }

  private fullRun(ctx: RuleContext, opts: RunOptions, plan: Plan): FindingsDelta {
    const { gk } = plan;
    const prev = this.caches.get(gk) ?? new Map<string, SliceResult>();
    this.caches.delete(gk);

    const next = new Map<string, SliceResult>();
    const owner = new Map<string, number>();
    const slicing = cutWorkspace(ctx.workspace);
    const results: SliceResult[] = [];
    this.stats.slices = slicing.slices.length;
    this.stats.reused = 0;
    try {
      slicing.slices.forEach((s, k) => {
        const key = sliceKey(s);
        let r = next.get(key) ?? prev.get(key);
        if (r) this.stats.reused++;
        else r = this.runSlice(s, ctx, plan);
        next.set(key, r);
        results.push(r);
        for (const uri of r.runs.keys()) {
          // A uri in two slices would make the order of equal findings depend on slicing: be exact instead.
          if (owner.has(uri)) throw new RuleThrew('shared uri');
          owner.set(uri, k);
        }
      });
    } catch (e) {
      if (!(e instanceof RuleThrew)) throw e;
      return this.fallback(ctx, opts);
    }
    this.caches.set(gk, next);
    while (this.caches.size > MAX_CACHES) this.caches.delete(this.caches.keys().next().value!);

    const whole = this.runWhole(ctx, plan);
    if (!whole) return this.fallback(ctx, opts);
    const { extras } = whole;
    const uris = new Set(owner.keys());
    for (const u of extras.keys()) uris.add(u);
    const out = new Map<string, Finding[]>();
    for (const uri of [...uris].sort()) {
      const k = owner.get(uri);
      out.set(uri, mergeRuns(k === undefined ? undefined : results[k].runs.get(uri), extras.get(uri))!);
    }
    this.state = { gk, slicing, results, owner, out };
    return this.finish(out);
  }

  /**
   * The previous run with the touched slices re-run (or taken from the cache) and the whole-workspace
   * rules run again; undefined when that cannot be exact (a rule threw, a uri moved between slices).
   */
  private patchRun(prev: RunState, slicing: Slicing, touched: Set<number>, ctx: RuleContext, plan: Plan): FindingsDelta | undefined {
    const cache = this.caches.get(plan.gk);
    if (!cache) return undefined;
    const fresh = new Map<number, SliceResult>();
    const claimed = new Map<string, number>();
    this.stats.reused = 0;
    try {
      for (const k of touched) {
        const s = slicing.slices[k];
        let r = cache.get(sliceKey(s));
        if (r) this.stats.reused++;
        else r = this.runSlice(s, ctx, plan);
        fresh.set(k, r);
        for (const uri of r.runs.keys()) {
          const o = prev.owner.get(uri);
          if ((o !== undefined && o !== k && !touched.has(o)) || claimed.has(uri)) return undefined;
          claimed.set(uri, k);
        }
      }
    } catch (e) {
      if (!(e instanceof RuleThrew)) throw e;
      return undefined;
    }
    const whole = this.runWhole(ctx, plan);
    if (!whole) return undefined;
    const { extras } = whole;

    // Commit: from here on the previous state becomes the new one.
    this.stats.slices = slicing.slices.length;
    this.stats.reused += slicing.slices.length - touched.size;
    const candidates = new Set<string>();
    for (const [k, r] of fresh) {
      const old = prev.results[k];
      for (const uri of old.runs.keys()) {
        candidates.add(uri);
        if (prev.owner.get(uri) === k) prev.owner.delete(uri);
      }
      const oldKey = sliceKey(prev.slicing.slices[k]);
      if (cache.get(oldKey) === old) cache.delete(oldKey);
      cache.set(sliceKey(slicing.slices[k]), r);
    }
    for (const [uri, k] of claimed) {
      prev.owner.set(uri, k);
      candidates.add(uri);
    }
    for (const [k, r] of fresh) prev.results[k] = r;
    // A file the whole-workspace rules report on changes only when its findings from them do (by
    // value: a rebuilt app's equal findings are new objects).
    if ('before' in whole) {
      for (const [uri, x] of whole.before) if (!equalRun(x, extras.get(uri))) candidates.add(uri);
    } else {
      for (const [uri, x] of extras) if (!equalRun(whole.previous.get(uri), x)) candidates.add(uri);
      for (const uri of whole.previous.keys()) if (!extras.has(uri)) candidates.add(uri);
    }
    const changed = new Set<string>();
    for (const uri of candidates) {
      const k = prev.owner.get(uri);
      const merged = mergeRuns(k === undefined ? undefined : prev.results[k].runs.get(uri), extras.get(uri));
      const before = prev.out.get(uri);
      if (sameList(before, merged) || (before && merged && equalFindings(before, merged))) continue;
      changed.add(uri);
      if (merged) prev.out.set(uri, merged);
      else prev.out.delete(uri);
    }
    prev.slicing = slicing;
    this.lastOut = prev.out;
    return { byUri: prev.out, changed };
  }

  private runSlice(s: Slice, ctx: RuleContext, plan: Plan): SliceResult {
    const { local, sev } = plan;
    const sub: RuleContext = { workspace: { ...s }, envStates: ctx.envStates, settings: ctx.settings };
    const findings: Finding[] = [];
    const ranks: number[] = [];
    for (const { rule, rank } of local) {
      let found: Finding[];
      try {
        found = rule.run(sub);
        settle(found);
      } catch {
        throw new RuleThrew(rule.code);
      }
      withSeverity(rule, found, sev, findings, ranks, rank);
    }
    const sorted = sortWithRanks(findings, ranks);
    const runs = new Map<string, Run>();
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
