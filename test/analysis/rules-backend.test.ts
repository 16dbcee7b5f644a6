// Rules that read environment state: missing vs unknown, stray, replication sources, broken merges, stale replicas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkspace } from '../../server/src/model/build';
import { runRules } from '../../server/src/analysis/index';
import { missingInEnv } from '../../server/src/analysis/rules/missingInEnv';
import { unknownInEnv } from '../../server/src/analysis/rules/unknownInEnv';
import { strayParameter } from '../../server/src/analysis/rules/strayParameter';
import { replicationSourceMissing } from '../../server/src/analysis/rules/replicationSourceMissing';
import { brokenMergeValue } from '../../server/src/analysis/rules/brokenMergeValue';
import { staleReplica } from '../../server/src/analysis/rules/staleReplica';
import { brief, ctx, demoClass, demoJson, demoSecrets, meta, py, state, DEMO_PATHS, DENIED, PY_URI, TWIG } from './helpers';

const SRC = '/shared/resources/dbs/fig-db/dns';
const ADMIRER = `${TWIG}/secret-admirer`;
const HOST = `${TWIG}/replicated/sql/hostname`;
const CONN = `${TWIG}/replicated/sql-connection`;

function demoWs() {
  return buildWorkspace({ python: [py(PY_URI, [demoClass()])], figgyJson: [demoJson()], secrets: [demoSecrets()] });
}
const all = (except: string[] = []) => DEMO_PATHS.filter((p) => !except.includes(p));

test('missing-in-env: one finding per declaration site naming every env where it is missing', () => {
  const ws = demoWs();
  const dev = state('dev', { params: all(), listed: [TWIG] });
  const qa = state('qa', { params: all([ADMIRER, HOST]), listed: [TWIG] });
  const prod = state('prod', { params: all([ADMIRER]), listed: [TWIG] });
  const fs = missingInEnv.run(ctx(ws, [dev, qa, prod]));
  // One finding per parameter, at config.py; figgy.json's declaration is related information.
  assert.deepEqual(brief(fs), ['missing-in-env@config.py:10:4-18', 'missing-in-env@config.py:13:4-16']);
  assert.equal(fs[0].message, '/app/demo-service/secret-admirer (Figs.SECRET_ADMIRER) is missing in qa and prod');
  assert.deepEqual(fs[0].envs, ['qa', 'prod']);
  assert.deepEqual(fs[0].related?.map((r) => [r.uri.slice(r.uri.lastIndexOf('/') + 1), r.range.start.line, r.message]), [['figgy.json', 2, 'also declared here (figgy.json)']]);
  assert.deepEqual(fs[0].data, { fix: 'add-parameter', path: ADMIRER, envs: ['qa', 'prod'], likelySecret: false, origin: 'app' });
  assert.equal(fs[1].message, `${HOST} (Figs.SQL_HOSTNAME) is missing in qa (Figgy replicates it from ${SRC})`);
  assert.deepEqual(fs[1].envs, ['qa']);
  // Where the source is missing too, the destination is replication-source-missing's one finding.
  const qa2 = state('qa', { params: all([HOST]), listed: [TWIG], missing: [SRC] });
  assert.deepEqual(brief(missingInEnv.run(ctx(ws, [dev, qa2]))), []);
  assert.match(replicationSourceMissing.run(ctx(ws, [qa2]))[0].message, new RegExp(`^Replication source ${SRC} is missing in qa, so Figgy cannot copy it to ${HOST}, which is missing there too`));
  // Nothing missing anywhere: nothing reported.
  assert.deepEqual(missingInEnv.run(ctx(ws, [dev])), []);
  // No backend: nothing reported.
  assert.deepEqual(missingInEnv.run(ctx(ws, [])), []);
});

test('unknown is never missing: a failed listing yields unknown-in-env with the reason', () => {
  const ws = demoWs();
  const qa = state('qa', { params: [], listed: [], failures: [{ prefix: TWIG, failure: DENIED }] });
  const prod = state('prod', { params: all([ADMIRER]), listed: [TWIG] });
  const c = ctx(ws, [qa, prod]);
  const missing = missingInEnv.run(c);
  assert.deepEqual(missing.map((f) => [f.range.start.line, f.envs]), [[10, ['prod']]]);
  const unknown = unknownInEnv.run(c);
  assert.equal(unknown.length, DEMO_PATHS.length, 'one per parameter, not one per declaration site');
  const first = unknown.find((f) => f.range.start.line === 10)!;
  assert.equal(first.code, 'unknown-in-env');
  assert.equal(first.severity, 'warning');
  assert.equal(first.message, `Could not check ${ADMIRER} in qa: AccessDenied: role dev may not read /dba (try: use the dba role)`);
  assert.deepEqual(first.envs, ['qa']);
  // Not asked at all (no listing, no failure): unknown, and said so.
  const blind = unknownInEnv.run(ctx(ws, [state('stage')]));
  assert.match(blind[0].message, /in stage: the backend was not asked about it$/);
  assert.deepEqual(missingInEnv.run(ctx(ws, [state('stage')])), []);
});

test('stray-parameter: undeclared parameters under the twig, per env, on the twig; quiet when the listing failed', () => {
  const ws = demoWs();
  const strays = [`${TWIG}/old/b`, `${TWIG}/old/a`];
  const qa = state('qa', { params: [...all(), ...strays, '/app/other/x'], listed: [TWIG] });
  const fs = strayParameter.run(ctx(ws, [qa]));
  assert.deepEqual(brief(fs), ['stray-parameter@config.py:2:16-35']);
  assert.equal(fs[0].message, `2 parameters under ${TWIG} in qa are declared nowhere; figgy config prune would delete: ${TWIG}/old/a, ${TWIG}/old/b`);
  assert.deepEqual(fs[0].data, { fix: 'prune', paths: [`${TWIG}/old/a`, `${TWIG}/old/b`], env: 'qa' });
  const failed = state('qa', { params: strays, listed: [TWIG], failures: [{ prefix: '/', failure: DENIED }] });
  assert.deepEqual(strayParameter.run(ctx(ws, [failed])), []);
  assert.deepEqual(strayParameter.run(ctx(ws, [state('qa', { params: all(), listed: [TWIG] })])), []);
});

test('stray-parameter: a nested service twig is not stray of its parent', () => {
  const ws = buildWorkspace({
    python: [],
    figgyJson: [
      { ...demoJson(), uri: 'file:///r/p/figgy.json' },
      { ...demoJson({ twig: { value: `${TWIG}/child`, range: demoJson().twig!.range }, appFigs: [], sharedFigs: [], replicateFigs: [], mergedFigs: [] }), uri: 'file:///r/c/figgy.json' },
    ],
    secrets: [],
  });
  const qa = state('qa', { params: [...all(), `${TWIG}/child/x`], listed: [TWIG] });
  const fs = strayParameter.run(ctx(ws, [qa]));
  assert.deepEqual(fs.map((f) => (f.data as { paths: string[] }).paths), [[`${TWIG}/child/x`]]);
  assert.equal(fs[0].uri, 'file:///r/c/figgy.json');
});

test('replication-source-missing: config.py, figgy.json and figgy-secrets.json sources; AccessDenied is not missing', () => {
  const ws = demoWs();
  const qa = state('qa', {
    params: all(),
    listed: [TWIG],
    missing: [SRC, '/dba/secrets/mysql/demo-service/user'],
    failures: [{ prefix: '/dba/secrets/mysql/demo-service/password', failure: DENIED }],
  });
  const fs = replicationSourceMissing.run(ctx(ws, [qa]));
  // One finding per (source, destination): config.py's ReplicatedFig, with figgy.json's entry related.
  assert.deepEqual(brief(fs), ['replication-source-missing@config.py:13:56-90', 'replication-source-missing@figgy-secrets.json:2:4-45']);
  assert.equal(fs[0].message, `Replication source ${SRC} is missing in qa, so Figgy cannot copy it to ${HOST} (Figs.SQL_HOSTNAME)`);
  assert.deepEqual(fs[0].related?.map((r) => r.message), ['also replicated here (replicate_figs entry)']);
  assert.deepEqual(fs[0].data, { fix: 'add-parameter', path: SRC, envs: ['qa'], likelySecret: false, origin: 'replication-source' });
  assert.equal(fs[1].message, `Replication source /dba/secrets/mysql/demo-service/user is missing in qa, so Figgy cannot copy it to ${TWIG}/replicated/sql/user (figgy-secrets.json entry)`);
  // Everything present: nothing.
  assert.deepEqual(replicationSourceMissing.run(ctx(ws, [state('dev', { params: [...all(), SRC], listed: [TWIG] })])), []);
  // Denied everywhere: unknown, never missing.
  const denied = state('dev', { params: all(), listed: [TWIG], failures: [{ prefix: '/dba', failure: DENIED }, { prefix: '/shared', failure: DENIED }] });
  assert.deepEqual(replicationSourceMissing.run(ctx(ws, [denied])), []);
});

test('broken-merge-value: once per merged parameter, at its declaration, naming the envs', () => {
  const ws = demoWs();
  const qa = state('qa', { params: all(), listed: [TWIG], broken: [CONN] });
  const fs = brokenMergeValue.run(ctx(ws, [state('dev', { params: all(), listed: [TWIG] }), qa]));
  assert.deepEqual(brief(fs), ['broken-merge-value@config.py:14:4-12']);
  assert.deepEqual(fs[0].envs, ['qa']);
  assert.deepEqual(fs[0].related?.map((r) => r.message), ['also declared here (figgy.json)']);
  assert.match(fs[0].message, /^Merged parameter \/app\/demo-service\/replicated\/sql-connection in qa holds Figgy's "Cannot complete merge key" text/);
});

test('stale-replica: only when both timestamps are known and the replica is older', () => {
  const ws = demoWs();
  const older = state('qa', { params: [...all([HOST]), meta(HOST, '2024-01-01T00:00:00Z'), meta(SRC, '2024-02-01T00:00:00Z')], listed: [TWIG] });
  const fs = staleReplica.run(ctx(ws, [older]));
  assert.deepEqual(brief(fs), ['stale-replica@config.py:13:4-16']);
  assert.equal(fs[0].message, `Replica ${HOST} is older than its source ${SRC} in qa (replica modified 2024-01-01T00:00:00Z, source 2024-02-01T00:00:00Z): Figgy's replication has not copied the latest change`);
  assert.deepEqual(fs[0].related?.map((r) => r.message), ['also replicated here (figgy.json)']);
  const newer = state('qa', { params: [...all([HOST]), meta(HOST, '2024-03-01T00:00:00Z'), meta(SRC, '2024-02-01T00:00:00Z')], listed: [TWIG] });
  assert.deepEqual(staleReplica.run(ctx(ws, [newer])), []);
  const unknownSource = state('qa', { params: [...all([HOST]), meta(HOST, '2024-01-01T00:00:00Z')], listed: [TWIG] });
  assert.deepEqual(staleReplica.run(ctx(ws, [unknownSource])), []);
});

test('the full rule set on a healthy demo in three environments reports nothing', () => {
  const ws = demoWs();
  const ok = (env: string) =>
    state(env, { params: [...all(), SRC, '/dba/secrets/mysql/demo-service/user', '/dba/secrets/mysql/demo-service/password'], listed: [TWIG, '/shared', '/dba'] });
  assert.deepEqual(runRules(ctx(ws, [ok('dev'), ok('qa'), ok('prod')])), []);
});
