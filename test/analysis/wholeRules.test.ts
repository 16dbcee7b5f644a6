// WholeRules regroups only what a rule's new list differs in. Over random sequences of rule results
// (each list keeps some of the previous objects, drops some, adds new ones, in any position), its
// per-file runs must equal a grouping from scratch, and every file whose run changed must be among
// the ones it reports (with its previous run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WholeRules, type RuleResult, type Run } from '../../server/src/analysis/wholeRules';
import type { Finding, Rule } from '../../server/src/analysis/types';

const RULES: Rule[] = [0, 1, 2].map((i) => ({ code: `r${i}`, defaultSeverity: 'warning', description: '', needsBackend: false, run: () => [] }));

function fromScratch(results: readonly RuleResult[]): Map<string, Run> {
  const out = new Map<string, Run>();
  for (const { fs, rank } of results) {
    for (const f of fs) {
      const g = out.get(f.uri) ?? { findings: [], ranks: [] };
      g.findings.push(f);
      g.ranks.push(rank);
      out.set(f.uri, g);
    }
  }
  return out;
}

const sorted = (m: ReadonlyMap<string, Run>) => new Map([...m].sort(([a], [b]) => (a < b ? -1 : 1)));

/** One edit of a list: old[0, a) + new findings + old[b, end), a <= b (fractions of the old length). */
const edit = fc.record({ a: fc.double({ min: 0, max: 1, noNaN: true }), b: fc.double({ min: 0, max: 1, noNaN: true }), fresh: fc.array(fc.nat(90), { maxLength: 80 }), same: fc.boolean() });

test('WholeRules equals a grouping from scratch and reports every changed file', () => {
  let incremental = 0;
  fc.assert(
    fc.property(fc.array(fc.array(edit, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 6 }), fc.nat(3), (steps, keyChange) => {
      const w = new WholeRules();
      let last: RuleResult[] = RULES.map((rule, rank) => ({ rule, rank, fs: [] }));
      let prevExtras = new Map<string, Run>();
      steps.forEach((perRule, step) => {
        const results: RuleResult[] = perRule.map((e, i) => {
          const old = last[i];
          if (e.same) return old;
          const a = Math.floor(Math.min(e.a, e.b) * old.fs.length);
          const b = Math.floor(Math.max(e.a, e.b) * old.fs.length);
          // New findings, and now and then an old object again (a rule may repeat one).
          const mid: Finding[] = e.fresh.map((u) =>
            u % 5 === 0 && old.fs.length ? old.fs[u % old.fs.length] : { code: RULES[i].code, severity: 'warning', message: `m${u}`, uri: `file:///f${u % 30}`, range: { start: { line: u, character: 0 }, end: { line: u, character: 1 } } },
          );
          const fs = [...old.fs.slice(0, a), ...mid, ...old.fs.slice(b)];
          return { rule: RULES[i], rank: i, fs };
        });
        const key = step === keyChange ? `k${step}` : 'k';
        const r = w.update(key, results);
        const want = fromScratch(results);
        assert.deepEqual(sorted(r.extras), sorted(want));
        if ('before' in r) {
          for (const [u, run] of want) {
            if (JSON.stringify(prevExtras.get(u)) !== JSON.stringify(run)) assert.ok(r.before.has(u), `${u} changed but is not reported`);
          }
          for (const u of prevExtras.keys()) if (!want.has(u)) assert.ok(r.before.has(u), `${u} lost its findings but is not reported`);
          incremental++;
          for (const [u, run] of r.before) assert.deepEqual(run, prevExtras.get(u), `${u}: the run before`);
        } else {
          assert.deepEqual(sorted(r.previous), sorted(prevExtras));
        }
        prevExtras = new Map([...r.extras].map(([u, run]) => [u, { findings: [...run.findings], ranks: [...run.ranks] }]));
        last = results;
      });
    }),
    { numRuns: 300, seed: 3 },
  );
  assert.ok(incremental > 200, `incremental updates: ${incremental}`);
});
