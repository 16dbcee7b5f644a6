import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_RULES, INTERNAL_ERROR, ruleDocs, runRules } from '../../server/src/analysis/index';
import type { Rule } from '../../server/src/analysis/types';
import { buildWorkspace } from '../../server/src/model/build';
import { IncrementalAnalyzer } from '../../server/src/analysis/incremental';
import { ctx, demoClass, demoJson, demoSecrets, fig, py, rng, state, DEMO_PATHS, PY_URI, TWIG } from './helpers';

const ADMIRER = `${TWIG}/secret-admirer`;

function brokenWs() {
  const figs = [...demoClass().figs, fig('LEAD', 'AppFig', '/app/elsewhere/lead', { line: 20 })];
  return buildWorkspace({
    python: [py(PY_URI, [demoClass({ figs })], { errors: [{ code: 'syntax', message: 'unexpected token', range: rng(30, 0, 3), severity: 'error' }] })],
    figgyJson: [demoJson()],
    secrets: [demoSecrets()],
  });
}
const qa = () => state('qa', { params: DEMO_PATHS.filter((p) => p !== ADMIRER), listed: [TWIG] });

test('runRules: findings from every rule, sorted by file then position', () => {
  const fs = runRules(ctx(brokenWs(), [qa()]));
  const codes = new Set(fs.map((f) => f.code));
  for (const c of ['missing-in-env', 'syntax', 'leading-slash-name', 'figgy-json-drift']) assert.ok(codes.has(c), c);
  const keys = fs.map((f) => [f.uri, f.range.start.line, f.range.start.character] as const);
  const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
  assert.deepEqual(keys, sorted);
});

test('severity overrides apply by rule code and by a parse error\'s own code; off disables', () => {
  const base = runRules(ctx(brokenWs(), [qa()]));
  const over = runRules(ctx(brokenWs(), [qa()], { severities: { 'missing-in-env': 'warning', syntax: 'hint', 'leading-slash-name': 'off' } }));
  assert.ok(base.some((f) => f.code === 'leading-slash-name'));
  assert.ok(!over.some((f) => f.code === 'leading-slash-name'));
  assert.ok(over.filter((f) => f.code === 'missing-in-env').every((f) => f.severity === 'warning'));
  assert.equal(over.find((f) => f.code === 'syntax')?.severity, 'hint');
  assert.equal(base.find((f) => f.code === 'syntax')?.severity, 'error');
  const offParse = runRules(ctx(brokenWs(), [qa()], { severities: { 'parse-error': 'off' } }));
  assert.ok(!offParse.some((f) => f.code === 'syntax'));
  const offSyntaxOnly = runRules(ctx(brokenWs(), [qa()], { severities: { syntax: 'off' } }));
  assert.ok(!offSyntaxOnly.some((f) => f.code === 'syntax'));
  assert.equal(offSyntaxOnly.length, base.length - 1);
});

test('parseOnly and an empty backend skip rules that need backend state', () => {
  const parseOnly = runRules(ctx(brokenWs(), [qa()]), { parseOnly: true });
  const needBackend = new Set(ALL_RULES.filter((r) => r.needsBackend).map((r) => r.code));
  assert.ok(!parseOnly.some((f) => needBackend.has(f.code)));
  assert.ok(parseOnly.some((f) => f.code === 'syntax'));
  assert.deepEqual(runRules(ctx(brokenWs(), [])), parseOnly);
});

test('a throwing rule becomes one internal-error finding without user data; the others still run', () => {
  const secret = 'canary-Zx81-secret';
  const bomb: Rule = {
    code: 'bomb',
    defaultSeverity: 'error',
    description: 'throws',
    needsBackend: false,
    run() {
      throw new TypeError(`value ${secret} exploded`);
    },
  };
  const rules = [bomb, ...ALL_RULES];
  const fs = runRules(ctx(brokenWs(), [qa()]), { rules });
  const internal = fs.filter((f) => f.code === INTERNAL_ERROR);
  assert.equal(internal.length, 1);
  assert.equal(internal[0].message, "Orchard's rule bomb failed internally (TypeError); its findings are missing, the other rules ran normally");
  assert.ok(!JSON.stringify(fs).includes(secret));
  assert.deepEqual(fs.filter((f) => f.code !== INTERNAL_ERROR), runRules(ctx(brokenWs(), [qa()])));
  // A thrown non-Error is handled too.
  const odd: Rule = { ...bomb, code: 'odd', run: () => { throw secret; } };
  const fs2 = runRules(ctx(brokenWs(), []), { rules: [odd] });
  assert.equal(fs2.length, 1);
  assert.ok(!fs2[0].message.includes(secret));
});

test('ruleDocs: stable kebab-case codes, unique, covering the issue\'s rules', () => {
  const docs = ruleDocs();
  const codes = docs.map((d) => d.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const c of codes) assert.match(c, /^[a-z]+(-[a-z]+)*$/);
  for (const d of docs) assert.ok(d.description.length > 10, d.code);
  for (const c of [
    'missing-in-env', 'unknown-in-env', 'stray-parameter', 'replication-source-missing', 'merge-ref-undeclared', 'merge-string-form',
    'figgy-json-drift', 'replicate-from-figs-key', 'replicated-name-twice', 'non-fig-attribute', 'duplicate-declaration',
    'duplicate-replication-destination', 'leading-slash-name', 'secret-destination-undeclared', 'broken-merge-value',
    'lazy-load-outside-local', 'legacy-key', 'parse-error', 'stale-replica',
  ]) assert.ok(codes.includes(c), c);
  assert.deepEqual(docs.find((d) => d.code === 'missing-in-env'), {
    code: 'missing-in-env', defaultSeverity: 'error', needsBackend: true,
    description: 'A declared parameter does not exist in an environment (figgy config validate would fail). One finding where it is declared (config.py when there is one), naming every environment.',
  });
});

test('every finding of every rule uses the rule\'s default severity unless it passes a parse error through', () => {
  const fs = runRules(ctx(brokenWs(), [qa()]));
  const byCode = new Map(ALL_RULES.map((r) => [r.code, r.defaultSeverity]));
  for (const f of fs) if (byCode.has(f.code)) assert.equal(f.severity, byCode.get(f.code), f.code);
});

test('findings keep one frozen copy of each environment list, in runRules and in the incremental analyzer', () => {
  const c = ctx(brokenWs(), [qa(), state('dev', { listed: [TWIG] })]);
  for (const fs of [runRules(c), new IncrementalAnalyzer().run(c)]) {
    const missing = fs.filter((f) => f.code === 'missing-in-env');
    assert.ok(missing.length >= 3, `${missing.length} missing-in-env findings`);
    const seen = new Map<string, string[]>();
    let shared = 0;
    for (const f of missing) {
      assert.ok(f.envs && Object.isFrozen(f.envs));
      if (f.data?.fix === 'add-parameter') assert.equal(f.data.envs, f.envs);
      const k = f.envs.join(',');
      if (seen.has(k)) {
        assert.equal(f.envs, seen.get(k));
        shared++;
      } else seen.set(k, f.envs);
    }
    assert.ok(shared > 0, 'two findings about the same environments share their list');
  }
});
