import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkspace, configPyRoot, figgyJsonRoot } from '../../server/src/model/build';
import { declaredPaths, secretEntries, serviceName } from '../../server/src/model/decls';
import { cls, demoClass, demoJson, demoSecrets, fig, fj, loc, mergedList, py, secrets, DEMO_PATHS, FJ_URI, PY_URI, SEC_URI, TWIG } from '../analysis/helpers';

test('roots: figgy.json in a CLI search folder and config.py under src/', () => {
  assert.equal(figgyJsonRoot('file:///r/svc/figgy/figgy.json'), 'file:///r/svc');
  assert.equal(figgyJsonRoot('file:///r/svc/.figgy/figgy.json'), 'file:///r/svc');
  assert.equal(figgyJsonRoot('file:///r/svc/figgy.json'), 'file:///r/svc');
  assert.equal(figgyJsonRoot('file:///r/svc/other/figgy.json'), 'file:///r/svc/other');
  assert.equal(configPyRoot('file:///r/svc/src/config.py'), 'file:///r/svc');
  assert.equal(configPyRoot('file:///r/svc/src/app/config.py'), 'file:///r/svc');
  assert.equal(configPyRoot('file:///r/svc/config.py'), 'file:///r/svc');
  assert.equal(configPyRoot('file:///config.py'), 'file://');
});

test('demo service: config.py, figgy.json and figgy-secrets.json form one service', () => {
  const ws = buildWorkspace({ python: [py(PY_URI, [demoClass()])], figgyJson: [demoJson()], secrets: [demoSecrets()] });
  assert.equal(ws.services.length, 1);
  const s = ws.services[0];
  assert.equal(s.id, TWIG);
  assert.equal(s.twig, TWIG);
  assert.equal(s.root, 'file:///repo/svc');
  assert.equal(s.configPy?.cls.className, 'Figs');
  assert.equal(s.figgyJson?.uri, FJ_URI);
  assert.deepEqual(s.secrets.map((f) => f.uri), [SEC_URI]);
  assert.deepEqual([...s.expected.keys()].sort(), [...DEMO_PATHS].sort());
  const user = s.expected.get(`${TWIG}/replicated/sql/user`)!;
  assert.equal(user.origin, 'shared');
  assert.equal(user.attr, 'SQL_USER');
  assert.equal(user.kind, 'SharedFig');
  assert.equal(user.envVar, 'REPLICATED_SQL_USER');
  assert.equal(user.likelySecret, true);
  // config.py first, then figgy.json
  assert.deepEqual(user.declaredAt.map((r) => [r.uri, r.range.start.line]), [[PY_URI, 11], [FJ_URI, 3]]);
  const host = s.expected.get(`${TWIG}/replicated/sql/hostname`)!;
  assert.equal(host.origin, 'replicated');
  assert.equal(host.source, '/shared/resources/dbs/fig-db/dns');
  assert.equal(host.likelySecret, false);
  assert.equal(s.expected.get(`${TWIG}/secret-admirer`)!.likelySecret, false);
  assert.equal(s.expected.get(`${TWIG}/replicated/sql-connection`)!.likelySecret, true);
  assert.equal(serviceName(s), 'demo-service');
  assert.deepEqual(secretEntries(s).map((e) => [e.sourcePath, e.destPath]), [
    ['/dba/secrets/mysql/demo-service/user', `${TWIG}/replicated/sql/user`],
    ['/dba/secrets/mysql/demo-service/password', `${TWIG}/replicated/sql/password`],
  ]);
});

function svc(name: string, dir: string, twig = `/app/${name}`) {
  return {
    py: py(`file:///mono/${dir}/src/config.py`, [cls('Figs', twig, [fig('A', 'AppFig', 'a', { line: 5 })])]),
    json: fj(`file:///mono/${dir}/figgy/figgy.json`, { twig: loc(twig, 1, 10), appFigs: [loc('a', 2, 10)] }),
  };
}

test('monorepo: each figgy.json pairs with the config.py of its own folder, whatever the input order', () => {
  const a = svc('a', 'services/a');
  const b = svc('b', 'services/b');
  const c = svc('c', 'services/c');
  const ws = buildWorkspace({ python: [c.py, a.py, b.py], figgyJson: [b.json, a.json, c.json], secrets: [] });
  assert.equal(ws.services.length, 3);
  for (const s of ws.services) {
    const name = s.twig!.split('/').pop();
    assert.equal(s.figgyJson?.uri, `file:///mono/services/${name}/figgy/figgy.json`);
    assert.equal(s.root, `file:///mono/services/${name}`);
    assert.deepEqual([...s.expected.keys()], [`/app/${name}/a`]);
    assert.equal(s.expected.get(`/app/${name}/a`)!.declaredAt.length, 2);
  }
});

test('twig drift: a stale figgy.json beside config.py still pairs (auto, folder) but not in twig mode', () => {
  const a = svc('a', 'x');
  const stale = fj('file:///mono/x/figgy/figgy.json', { twig: loc('/app/old-name', 1, 10) });
  for (const pairing of ['auto', 'folder'] as const) {
    const ws = buildWorkspace({ python: [a.py], figgyJson: [stale], secrets: [] }, { pairing });
    assert.equal(ws.services.length, 1, pairing);
    assert.equal(ws.services[0].twig, '/app/a');
  }
  const ws = buildWorkspace({ python: [a.py], figgyJson: [stale], secrets: [] }, { pairing: 'twig' });
  assert.deepEqual(ws.services.map((s) => s.id).sort(), ['/app/a', '/app/old-name']);
});

test('a figgy.json far up the tree with another twig is not claimed by a nested service in auto mode', () => {
  const nested = svc('deep', 'a/b/c');
  const top = fj('file:///mono/figgy.json', { twig: loc('/app/top', 1, 10) });
  const auto = buildWorkspace({ python: [nested.py], figgyJson: [top], secrets: [] });
  assert.equal(auto.services.length, 2);
  const folder = buildWorkspace({ python: [nested.py], figgyJson: [top], secrets: [] }, { pairing: 'folder' });
  assert.equal(folder.services.length, 1);
  assert.equal(folder.services[0].root, 'file:///mono');
});

test('same twig in unrelated folders pairs in auto and twig modes, not in folder mode', () => {
  const p = svc('s', 'code').py;
  const j = fj('file:///elsewhere/figgy.json', { twig: loc('/app/s', 1, 10) });
  assert.equal(buildWorkspace({ python: [p], figgyJson: [j], secrets: [] }).services.length, 1);
  assert.equal(buildWorkspace({ python: [p], figgyJson: [j], secrets: [] }, { pairing: 'twig' }).services.length, 1);
  assert.equal(buildWorkspace({ python: [p], figgyJson: [j], secrets: [] }, { pairing: 'folder' }).services.length, 2);
});

test('two classes, one figgy.json: the one with the matching twig wins', () => {
  const file = py('file:///m/svc/config.py', [
    cls('Other', '/app/other', [fig('X', 'AppFig', 'x', { line: 3 })]),
    cls('Figs', '/app/svc', [fig('Y', 'AppFig', 'y', { line: 9 })]),
  ]);
  const j = fj('file:///m/svc/figgy.json', { twig: loc('/app/svc', 1, 10) });
  const ws = buildWorkspace({ python: [file], figgyJson: [j], secrets: [] });
  const svcS = ws.services.find((s) => s.twig === '/app/svc')!;
  assert.equal(svcS.figgyJson?.uri, 'file:///m/svc/figgy.json');
  assert.equal(ws.services.find((s) => s.twig === '/app/other')!.figgyJson, undefined);
});

test('expected: figgy.json names as figgy-cli reads them (relative app_figs prefixed, a relative merged key not), merge refs under the twig, replicate_from, no refs outside the twig', () => {
  const j = fj('file:///r/figgy.json', {
    twig: loc('/app/svc/', 1, 10),
    appFigs: [loc('a', 2, 4), loc('/other/c', 3, 4)],
    mergedFigs: [{ dest: loc('conn', 5, 4), value: mergedList(5, ['x://', '${/app/svc/ref-only}', '${/shared/outside}', '${/app/svc/a}']) }],
    replicateFrom: { sourceTwig: loc('/app/upstream', 10, 4), parameters: [loc('p1', 11, 4)], range: { start: { line: 9, character: 0 }, end: { line: 12, character: 1 } } },
  });
  const ws = buildWorkspace({ python: [], figgyJson: [j], secrets: [] });
  const s = ws.services[0];
  assert.equal(s.twig, '/app/svc');
  const e = s.expected;
  // figgy-cli uses merged_figs keys as written: `conn` is a name validate can never find (name-outside-twig), not expected.
  assert.deepEqual([...e.keys()].sort(), ['/app/svc/a', '/app/svc/other/c', '/app/svc/p1', '/app/svc/ref-only']);
  assert.equal(e.get('/app/svc/ref-only')!.origin, 'merge-ref');
  assert.equal(e.get('/app/svc/a')!.origin, 'app');
  assert.equal(e.get('/app/svc/a')!.declaredAt.length, 1);
  assert.equal(e.get('/app/svc/p1')!.origin, 'replicate-from');
  assert.equal(e.get('/app/svc/p1')!.source, '/app/upstream/p1');
  assert.deepEqual([...declaredPaths(s)].sort(), ['/app/svc/a', '/app/svc/other/c', '/app/svc/p1', 'conn']);
});

test('figgy.json without twig: namespace from an app_figs entry; ids unique when twigs collide', () => {
  const j1 = fj('file:///r/one/figgy.json', { appFigs: [loc('/app/dup/a', 2, 4)] });
  const j2 = fj('file:///r/two/figgy.json', { twig: loc('/app/dup', 1, 4), appFigs: [loc('b', 2, 4)] });
  const ws = buildWorkspace({ python: [], figgyJson: [j1, j2], secrets: [] });
  assert.deepEqual(ws.services.map((s) => s.twig), ['/app/dup', '/app/dup']);
  assert.deepEqual(ws.services.map((s) => s.id), ['/app/dup@file:///r/one/figgy.json', '/app/dup@file:///r/two/figgy.json']);
});

test('python files that do not import figgy form no service; unresolved twig uses the uri as id', () => {
  const noImport = py('file:///r/a/config.py', [demoClass()], { importsFiggy: false });
  const noTwig = py('file:///r/b/config.py', [cls('Figs', undefined, [fig('A', 'AppFig', 'a', { line: 3 })])]);
  const ws = buildWorkspace({ python: [noImport, noTwig], figgyJson: [], secrets: [] });
  assert.equal(ws.services.length, 1);
  assert.equal(ws.services[0].id, 'file:///r/b/config.py#Figs');
  assert.equal(ws.services[0].expected.size, 0);
  assert.equal(ws.pythonFiles.length, 2);
});

test('secrets: a ${SERVICE_NAME} template goes to the service whose folder holds it, or is ambiguous', () => {
  const a = svc('a', 'a');
  const b = svc('b', 'b');
  const tmpl: [string, string][] = [['/dba/${SERVICE_NAME}/pw', '/app/${SERVICE_NAME}/pw']];
  const inA = secrets('file:///mono/a/figgy/figgy-secrets.json', tmpl);
  const outside = secrets('file:///mono/owners/figgy-secrets.json', tmpl);
  const concrete = secrets('file:///mono/owners/b-secrets/figgy-secrets.json', [['/dba/b/pw', '/app/b/pw']]);
  const ws = buildWorkspace({ python: [a.py, b.py], figgyJson: [a.json, b.json], secrets: [inA, outside, concrete] });
  const sa = ws.services.find((s) => s.twig === '/app/a')!;
  const sb = ws.services.find((s) => s.twig === '/app/b')!;
  assert.deepEqual(sa.secrets.map((f) => f.uri), [inA.uri]);
  assert.deepEqual(sb.secrets.map((f) => f.uri), [concrete.uri]);
  // A lone service takes a template from anywhere.
  const one = buildWorkspace({ python: [a.py], figgyJson: [], secrets: [outside] });
  assert.deepEqual(one.services[0].secrets.map((f) => f.uri), [outside.uri]);
  assert.equal(one.services[0].expected.get('/app/a/a')!.likelySecret, false);
});

test('a destination fed by figgy-secrets.json is likely secret even if declared as an AppFig', () => {
  const p = py('file:///r/s/config.py', [cls('Figs', '/app/s', [fig('PW', 'AppFig', 'pw', { line: 3 })])]);
  const sec = secrets('file:///r/s/figgy-secrets.json', [['/dba/s/pw', '/app/${SERVICE_NAME}/pw']]);
  const ws = buildWorkspace({ python: [p], figgyJson: [], secrets: [sec] });
  assert.equal(ws.services[0].expected.get('/app/s/pw')!.likelySecret, true);
});
