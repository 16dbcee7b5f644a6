// IncrementalAnalyzer on twelve-factor workspaces, the language server's keystroke path: after each
// random edit (patched workspace, runDelta) every file's findings equal runRules', the files said to
// have changed are exactly those whose findings differ from the previous edit's, and per-app rules
// keep the findings of the apps the edit cannot reach.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { initPython, parsePython } from '../../server/src/parse/python';
import { buildWorkspace } from '../../server/src/model/build';
import { patchWorkspace, type Built } from '../../server/src/model/patch';
import { ENV_RULES, runRules } from '../../server/src/analysis/index';
import { IncrementalAnalyzer, equalData } from '../../server/src/analysis/incremental';
import type { Finding, RuleContext, Severity } from '../../server/src/analysis/types';
import { MODULES, editsArb, input, startArb, withVariant } from '../model/appsWorkspace.helpers';

before(async () => {
  await initPython();
});

function grouped(fs: Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of fs) out.set(f.uri, [...(out.get(f.uri) ?? []), f]);
  return out;
}

test('runDelta over random twelve-factor edits: runRules findings, and exactly the changed files', () => {
  let reported = 0;
  let unchangedSeen = 0;
  fc.assert(
    fc.property(
      startArb,
      editsArb(1, 6),
      fc.constantFrom<Record<string, Severity>>({}, { 'env-unused': 'warning', 'env-not-provided': 'off' }),
      (start, edits, severities) => {
        let cur = input(start);
        let built: Built = { input: cur, opts: {}, ws: buildWorkspace(cur) };
        const a = new IncrementalAnalyzer();
        const ctxOf = (ws: Built['ws']): RuleContext => ({ workspace: ws, envStates: new Map(), settings: { envs: [], severities } });
        let before = grouped(runRules(ctxOf(built.ws), { parseOnly: true }));
        a.runDelta(ctxOf(built.ws), { parseOnly: true });
        for (const [at, v] of edits) {
          const next = withVariant(cur, at, v);
          const ws = patchWorkspace(built, next) ?? buildWorkspace(next);
          const want = grouped(runRules(ctxOf(ws), { parseOnly: true }));
          const d = a.runDelta(ctxOf(ws), { parseOnly: true });
          assert.deepEqual(new Map([...d.byUri].sort(([x], [y]) => (x < y ? -1 : 1))), new Map([...want].sort(([x], [y]) => (x < y ? -1 : 1))));
          const differ = new Set([...want.keys(), ...before.keys()].filter((u) => !isDeepStrictEqual(want.get(u), before.get(u))));
          assert.deepEqual([...d.changed].sort(), [...differ].sort(), 'changed files');
          reported += want.size;
          unchangedSeen += [...want.keys()].filter((u) => !differ.has(u)).length;
          cur = next;
          built = { input: next, opts: {}, ws };
          before = want;
        }
      },
    ),
    { numRuns: 80, seed: 77 },
  );
  assert.ok(reported > 300, `files with findings seen: ${reported}`);
  assert.ok(unchangedSeen > 100, `files whose findings an edit left alone: ${unchangedSeen}`);
});

test('per-app rules run again only for the app an edit reaches', () => {
  const first = input(MODULES.map(() => 1));
  const built: Built = { input: first, opts: {}, ws: buildWorkspace(first) };
  let calls: string[] = [];
  const spied = ENV_RULES.map((r) => ({ ...r, run: (ctx: RuleContext) => (calls.push(...(ctx.workspace.apps ?? []).map((x) => x.root)), r.run(ctx)) }));
  const a = new IncrementalAnalyzer();
  const ctxOf = (ws: Built['ws']): RuleContext => ({ workspace: ws, envStates: new Map(), settings: { envs: [], severities: {} } });
  a.runDelta(ctxOf(built.ws), { parseOnly: true, rules: spied });
  assert.ok(spied.some((r) => r.perApp));
  const at = MODULES.findIndex((m) => m.uri === 'file:///ws/b/settings.py');
  const ws = patchWorkspace(built, withVariant(first, at, 0));
  assert.ok(ws);
  calls = [];
  const d = a.runDelta(ctxOf(ws), { parseOnly: true, rules: spied });
  const perAppCalls = calls.filter((root) => root !== undefined);
  const others = spied.filter((r) => !r.perApp).length;
  // Whole-workspace rules see every app once each; per-app rules only app b (and the root app above it, if any).
  const perApp = perAppCalls.length - others * ws.apps!.length;
  assert.ok(perApp <= 2 * spied.filter((r) => r.perApp).length, `per-app runs after one edit: ${perApp}`);
  assert.ok([...d.changed].every((u) => u.startsWith('file:///ws/b/')), `changed: ${[...d.changed].join(', ')}`);
  assert.deepEqual([...d.byUri.values()].flat().length, runRules(ctxOf(ws), { parseOnly: true }).length);
});

test('a full run that finds the same as the last one says no file changed', () => {
  const first = input(MODULES.map(() => 1));
  const ws = buildWorkspace(first);
  const a = new IncrementalAnalyzer();
  const ctx = (severities: Record<string, Severity>): RuleContext => ({ workspace: ws, envStates: new Map(), settings: { envs: [], severities } });
  const d1 = a.runDelta(ctx({}), { parseOnly: true });
  assert.ok(d1.byUri.size > 3);
  // Other settings start a full run (every slice's findings are made again); none of them differs.
  const d2 = a.runDelta({ ...ctx({ 'no-such-rule': 'warning' }), workspace: buildWorkspace(first) }, { parseOnly: true });
  assert.deepEqual([...d2.changed], []);
  for (const [uri, fs] of d2.byUri) assert.equal(fs, d1.byUri.get(uri), `${uri} keeps its array`);
});

test('an edit that changes no finding of its file says no file changed', () => {
  const at = MODULES.findIndex((m) => m.uri === 'file:///ws/e/config.py');
  // A name with a leading slash: a finding of a Figgy rule, which runs per service slice.
  const text = MODULES[at].variants[0].replace('AppFig("db-host")', 'AppFig("/db-host")');
  const first = input(MODULES.map(() => 0));
  first.python[at] = parsePython(text, MODULES[at].uri);
  const built: Built = { input: first, opts: {}, ws: buildWorkspace(first) };
  const a = new IncrementalAnalyzer();
  const ctxOf = (ws: Built['ws']): RuleContext => ({ workspace: ws, envStates: new Map(), settings: { envs: [], severities: {} } });
  const d1 = a.runDelta(ctxOf(built.ws), { parseOnly: true });
  assert.ok(d1.byUri.get(MODULES[at].uri)?.length, 'the file has findings');
  const python = first.python.slice();
  python[at] = parsePython(`${text}# a comment\n`, MODULES[at].uri);
  const ws = patchWorkspace(built, { ...first, python });
  assert.ok(ws);
  const d2 = a.runDelta(ctxOf(ws), { parseOnly: true });
  assert.deepEqual([...d2.changed], []);
});

test('equalData: equal for a copy of any JSON value, unequal once anything in it differs', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.jsonValue(), (x, y) => {
      assert.equal(equalData(x, JSON.parse(JSON.stringify(x))), true);
      assert.equal(equalData(x, y), JSON.stringify(x) === JSON.stringify(y) || isDeepStrictEqual(x, y));
      assert.equal(equalData({ v: x, gone: undefined }, { v: x }), true, 'an undefined property is an absent one');
      assert.equal(equalData([x], [x, x]), false);
    }),
    { numRuns: 500, seed: 5 },
  );
});
