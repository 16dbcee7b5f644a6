// Whole-workspace rules (twelve-factor, credentials, stray-parameter, plugins) run on every
// analysis, yet after one edit few of their findings change: per-app rules and memoized rules return
// the very objects they returned before for what did not change. WholeRules keeps each rule's last
// findings grouped by file and every file's combined run, and regroups only the files a rule's new
// list differs in (compared with its last list by identity, from both ends), so the work after an
// edit is a scan of each rule's list, not a new grouping of every finding of the workspace.
import type { Finding, Rule } from './types';
import { sameList } from '../model/identity';

/** Findings of one file in rule order, with each one's rule index (for a stable merge). */
export type Run = { findings: Finding[]; ranks: number[] };

/** One rule's findings (severities applied), in its own order, and the rule's index. */
export interface RuleResult {
  rule: Rule;
  rank: number;
  fs: readonly Finding[];
}

interface RuleRun {
  rank: number;
  fs: readonly Finding[];
  /** The findings by file (all of one rule: the rank is the rule's). */
  byUri: Map<string, Finding[]>;
}

/**
 * Every file's findings from the whole-workspace rules (`extras`, owned: valid until the next
 * update), and what may have changed: the files in `before`, each with its run before; or, when a
 * rule is new or the key changed, any file (`previous`: every file's run before).
 */
export type WholeResult =
  | { extras: ReadonlyMap<string, Run>; before: ReadonlyMap<string, Run | undefined> }
  | { extras: ReadonlyMap<string, Run>; previous: ReadonlyMap<string, Run> };

/** Above this many changed files of one rule its grouping is made again from scratch. */
const REGROUP = 64;

function group(fs: readonly Finding[], into = new Map<string, Finding[]>(), only?: ReadonlySet<string>): Map<string, Finding[]> {
  for (let k = 0; k < fs.length; k++) {
    const u = fs[k].uri;
    if (only && !only.has(u)) continue;
    const g = into.get(u);
    if (g) g.push(fs[k]);
    else into.set(u, [fs[k]]);
  }
  return into;
}

export class WholeRules {
  private key?: string;
  private rules = new Map<Rule, RuleRun>();
  private extras = new Map<string, Run>();

  /**
   * Takes every whole-workspace rule's complete result (in rule order) and says what changed.
   * `key` names the rule list, ranks and severities: another key starts over.
   */
  update(key: string, results: readonly RuleResult[]): WholeResult {
    let all = key !== this.key;
    if (all) this.rules = new Map();
    this.key = key;
    const dirty = new Set<string>();
    const next = new Map<Rule, RuleRun>();
    for (const { rule, rank, fs } of results) {
      const old = this.rules.get(rule);
      if (!old || old.rank !== rank) {
        all = true;
        next.set(rule, { rank, fs, byUri: group(fs) });
        continue;
      }
      if (old.fs === fs || sameList(old.fs, fs)) {
        next.set(rule, old.fs === fs ? old : { ...old, fs });
        continue;
      }
      // The findings between the common beginning and the common end are the changed ones.
      const n = Math.min(fs.length, old.fs.length);
      let i = 0;
      while (i < n && fs[i] === old.fs[i]) i++;
      let j = 0;
      while (j < n - i && fs[fs.length - 1 - j] === old.fs[old.fs.length - 1 - j]) j++;
      const touched = new Set<string>();
      for (let k = i; k < old.fs.length - j; k++) touched.add(old.fs[k].uri);
      for (let k = i; k < fs.length - j; k++) touched.add(fs[k].uri);
      let byUri: Map<string, Finding[]>;
      if (touched.size > REGROUP) byUri = group(fs);
      else {
        // The old grouping is not needed any more: updated in place for the touched files.
        byUri = old.byUri;
        for (const u of touched) byUri.delete(u);
        group(fs, byUri, touched);
      }
      for (const u of touched) dirty.add(u);
      next.set(rule, { rank, fs, byUri });
    }
    this.rules = next;
    const combined = (u: string): Run | undefined => {
      const run: Run = { findings: [], ranks: [] };
      for (const { rule } of results) {
        const r = next.get(rule)!;
        const g = r.byUri.get(u);
        if (!g) continue;
        for (const f of g) {
          run.findings.push(f);
          run.ranks.push(r.rank);
        }
      }
      return run.findings.length ? run : undefined;
    };
    if (all) {
      const previous = this.extras;
      this.extras = new Map();
      const uris = new Set<string>();
      for (const r of next.values()) for (const u of r.byUri.keys()) uris.add(u);
      for (const u of uris) this.extras.set(u, combined(u)!);
      return { extras: this.extras, previous };
    }
    const before = new Map<string, Run | undefined>();
    for (const u of dirty) {
      before.set(u, this.extras.get(u));
      const run = combined(u);
      if (run) this.extras.set(u, run);
      else this.extras.delete(u);
    }
    return { extras: this.extras, before };
  }
}
