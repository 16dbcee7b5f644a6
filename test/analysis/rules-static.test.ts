// Rules that need no backend: declarations, figgy.json, figgy-secrets.json and parse errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkspace } from '../../server/src/model/build';
import { mergeRefUndeclared } from '../../server/src/analysis/rules/mergeRefUndeclared';
import { mergeStringForm } from '../../server/src/analysis/rules/mergeStringForm';
import { figgyJsonDrift } from '../../server/src/analysis/rules/figgyJsonDrift';
import { replicateFromFigsKey } from '../../server/src/analysis/rules/replicateFromFigsKey';
import { replicatedNameTwice } from '../../server/src/analysis/rules/replicatedNameTwice';
import { nonFigAttribute } from '../../server/src/analysis/rules/nonFigAttribute';
import { duplicateDeclaration, duplicateReplicationDestination } from '../../server/src/analysis/rules/duplicates';
import { leadingSlashName } from '../../server/src/analysis/rules/leadingSlashName';
import { secretDestinationUndeclared } from '../../server/src/analysis/rules/secretDestinationUndeclared';
import { lazyLoadOutsideLocal } from '../../server/src/analysis/rules/lazyLoadOutsideLocal';
import { legacyKey } from '../../server/src/analysis/rules/legacyKey';
import { parseError } from '../../server/src/analysis/rules/parseError';
import type { FigDecl, FiggyJsonModel, PythonConfigModel, SecretsJsonModel } from '../../server/src/parse/types';
import { brief, cls, ctx, demoClass, demoJson, demoSecrets, fig, fj, loc, mergedList, py, rng, secrets, FJ_URI, PY_URI, TWIG } from './helpers';

function ws(o: { figs?: FigDecl[]; json?: FiggyJsonModel | null; sec?: SecretsJsonModel[]; pyExtra?: Partial<PythonConfigModel>; twig?: string }) {
  return buildWorkspace({
    python: o.figs === undefined && o.pyExtra === undefined ? [py(PY_URI, [demoClass({ twig: o.twig })])] : [py(PY_URI, [demoClass({ figs: o.figs, twig: o.twig })], o.pyExtra)],
    figgyJson: o.json === null ? [] : [o.json ?? demoJson()],
    secrets: o.sec ?? [demoSecrets()],
  });
}
const demoFigs = () => demoClass().figs;

test('the demo as written triggers no static rule', () => {
  const c = ctx(ws({}));
  for (const r of [mergeRefUndeclared, mergeStringForm, figgyJsonDrift, replicateFromFigsKey, replicatedNameTwice, nonFigAttribute, duplicateDeclaration, duplicateReplicationDestination, leadingSlashName, secretDestinationUndeclared, lazyLoadOutsideLocal, legacyKey, parseError]) {
    assert.deepEqual(r.run(c), [], r.code);
  }
});

test('merge-ref-undeclared: a Fig the store does not hold (${None}), a path outside the twig; refs under the twig are expected, not reported', () => {
  const figs = [
    ...demoFigs().slice(0, 4),
    // `objectId` of a Fig object that is no attribute of the store (a module-level Fig): figgy-lib writes ${None}.
    fig('SQL_CONN', 'MergeFig', 'replicated/sql-connection', { line: 14, pattern: ['mysql://', { attr: 'MODULE_FIG', objectId: 'fig@2:13' }, { attr: 'SQL_PASSWORD' }, { unknown: 'f()' }] }),
  ];
  const json = demoJson({
    mergedFigs: [{ dest: loc(`${TWIG}/replicated/sql-connection`, 8, 8), value: mergedList(8, ['x', `\${${TWIG}/not-declared}`, '${/shared/elsewhere:uri}', `\${${TWIG}/secret-admirer}`]) }],
  });
  const w = ws({ figs, json });
  const fs = mergeRefUndeclared.run(ctx(w));
  assert.deepEqual(brief(fs), ['merge-ref-undeclared@config.py:14:62-72', 'merge-ref-undeclared@figgy.json:11:8-34'].sort());
  const byLine = new Map(fs.map((f) => [`${f.uri.split('/').pop()}:${f.range.start.line}`, f.message]));
  assert.equal(byLine.get('config.py:14'), 'Figs.SQL_CONN merges MODULE_FIG, which is not a Fig of Figs: the store never sets its twig, so figgy-lib writes ${None} for it and the merged value can never be built');
  assert.equal(
    byLine.get('figgy.json:11'),
    `Merge reference \${/shared/elsewhere:uri} in merged_figs entry ${TWIG}/replicated/sql-connection points outside the twig ${TWIG}/: figgy config validate does not check it, and if it is missing Figgy stores a broken merged value`,
  );
  // figgy-cli counts ${/app/demo-service/not-declared} as a name the service expects: it is expected, nothing to report.
  assert.equal(w.services.find((s) => s.figgyJson)!.expected.get(`${TWIG}/not-declared`)?.origin, 'merge-ref');
});

test('merge-string-form: config.py pattern string and figgy.json string form, with the list fix', () => {
  const figs = [...demoFigs().slice(0, 4), fig('SQL_CONN', 'MergeFig', 'replicated/sql-connection', { line: 14, pattern: 'mysql://${/app/demo-service/replicated/sql/user}' })];
  const strJson = demoJson({
    mergedFigs: [
      { dest: loc(`${TWIG}/replicated/sql-connection`, 8, 8), value: { form: 'string', value: 'x${/a}', parts: [], range: rng(8, 55, 63) } },
    ],
  });
  const fs = mergeStringForm.run(ctx(ws({ figs, json: strJson })));
  assert.deepEqual(brief(fs), ['merge-string-form@config.py:14:49-99', 'merge-string-form@figgy.json:8:55-63']);
  assert.equal(fs[1].message, `merged_figs entry ${TWIG}/replicated/sql-connection is a single string; Figgy's replicator mishandles that form, write it as a list of literals and \${/path} references`);
  assert.deepEqual(fs[0].data, { fix: 'merge-to-list', dest: `${TWIG}/replicated/sql-connection` });
  // The literal pattern text is never echoed.
  assert.ok(!fs.some((f) => f.message.includes('mysql://')));
});

test('figgy-json-drift: each direction, kind, replication source, merge pattern, with exact messages', () => {
  const base = demoJson();
  const json = demoJson({
    appFigs: [loc(`${TWIG}/extra`, 2, 16)],
    sharedFigs: [loc(`${TWIG}/replicated/sql/user`, 3, 19)],
    replicateFigs: [{ source: loc('/shared/other/dns', 6, 8), dest: loc(`${TWIG}/replicated/sql/hostname`, 6, 44) }],
    mergedFigs: [{ dest: base.mergedFigs[0].dest, value: mergedList(8, ['mysql://', `\${${TWIG}/replicated/sql/user:uri}`, ':', `\${${TWIG}/replicated/sql/password}`, '@', `\${${TWIG}/replicated/sql/hostname}`]) }],
    // password listed as an app fig instead of shared
  });
  json.appFigs.push(loc(`${TWIG}/replicated/sql/password`, 4, 16));
  const fs = figgyJsonDrift.run(ctx(ws({ json })));
  const msgs = fs.map((f) => `${f.uri.split('/').pop()}:${f.range.start.line}:${f.range.start.character} ${f.message}`);
  assert.deepEqual(msgs, [
    `config.py:10:4 figgy.json lacks app_figs entry ${TWIG}/secret-admirer, which ConfigWriter writes for Figs.SECRET_ADMIRER`,
    `figgy.json:2:16 config.py (class Figs) lacks an AppFig for figgy.json app_figs entry ${TWIG}/extra`,
    `figgy.json:4:16 Figs.SQL_PASSWORD is a SharedFig in config.py but figgy.json lists ${TWIG}/replicated/sql/password in app_figs`,
    `figgy.json:6:8 figgy.json replicates ${TWIG}/replicated/sql/hostname from /shared/other/dns, but ConfigWriter writes source /shared/resources/dbs/fig-db/dns for Figs.SQL_HOSTNAME`,
    `figgy.json:8:50 merged_figs ${TWIG}/replicated/sql-connection differs from Figs.SQL_CONN's pattern in config.py: element 4 is \${${TWIG}/replicated/sql/password} in figgy.json but \${${TWIG}/replicated/sql/password:uri} in config.py`,
  ]);
  for (const f of fs) assert.deepEqual(f.data, { fix: 'regenerate-figgy-json', serviceId: TWIG });
});

test('figgy-json-drift: reverse direction for shared/replicated/merged, literal differences not quoted, twig mismatch alone', () => {
  const onlyApp = [demoFigs()[0]];
  const fs = figgyJsonDrift.run(ctx(ws({ figs: onlyApp })));
  assert.deepEqual(fs.map((f) => f.message.replace(/ entry .*/, '')), [
    'config.py (class Figs) lacks a SharedFig for figgy.json shared_figs',
    'config.py (class Figs) lacks a SharedFig for figgy.json shared_figs',
    'config.py (class Figs) lacks a ReplicatedFig for figgy.json replicate_figs',
    'config.py (class Figs) lacks a MergeFig for figgy.json merged_figs',
  ]);
  const base = demoJson();
  const lit = demoJson({ mergedFigs: [{ dest: base.mergedFigs[0].dest, value: mergedList(8, ['postgres://', `\${${TWIG}/replicated/sql/user:uri}`, ':', `\${${TWIG}/replicated/sql/password:uri}`, '@', `\${${TWIG}/replicated/sql/hostname}`]) }] });
  const litF = figgyJsonDrift.run(ctx(ws({ json: lit })));
  assert.equal(litF.length, 1);
  assert.match(litF[0].message, /: element 1 is a different literal$/);
  assert.ok(!litF[0].message.includes('postgres'));
  const short = demoJson({ mergedFigs: [{ dest: base.mergedFigs[0].dest, value: mergedList(8, ['mysql://', `\${${TWIG}/replicated/sql/user:uri}`]) }] });
  assert.match(figgyJsonDrift.run(ctx(ws({ json: short })))[0].message, /figgy.json has 2 elements, config.py 6; element 3 is absent in figgy.json but a literal in config.py$/);
  const other = demoJson({ twig: loc('/app/old-name', 1, 12) });
  const tw = figgyJsonDrift.run(ctx(ws({ json: other })));
  assert.deepEqual(tw.map((f) => f.message), [`figgy.json twig /app/old-name differs from TWIG ${TWIG} of Figs in config.py`]);
  assert.deepEqual(brief(tw), ['figgy-json-drift@figgy.json:1:12-27']);
  // No figgy.json: nothing to drift from.
  assert.deepEqual(figgyJsonDrift.run(ctx(ws({ json: null }))), []);
});

test('replicate-from-figs-key: the docs\' "figs" key is flagged, "parameters" is fine', () => {
  const figs = fj('file:///r/figgy.json', {
    twig: loc('/app/s', 1, 10),
    replicateFrom: { sourceTwig: loc('/app/up', 3, 20), parameters: [], figsKey: rng(4, 4, 10), range: rng(2, 2, 1, 6) },
  });
  const fs = replicateFromFigsKey.run(ctx(buildWorkspace({ python: [], figgyJson: [figs], secrets: [] })));
  assert.deepEqual(brief(fs), ['replicate-from-figs-key@figgy.json:4:4-10']);
  assert.equal(
    fs[0].message,
    'replicate_from uses "figs", which figgy-cli ignores: it reads "parameters", so nothing is replicated from /app/up. Figgy\'s docs say "figs"; Orchard follows the CLI',
  );
  assert.deepEqual(fs[0].data, { fix: 'rename-key', from: 'figs', to: 'parameters' });
  const ok = fj('file:///r/figgy.json', { twig: loc('/app/s', 1, 10), replicateFrom: { sourceTwig: loc('/app/up', 3, 20), parameters: [loc('a', 4, 6)], range: rng(2, 2, 1, 6) } });
  assert.deepEqual(replicateFromFigsKey.run(ctx(buildWorkspace({ python: [], figgyJson: [ok], secrets: [] }))), []);
});

test('replicated-name-twice comes from argErrors and is not repeated by parse-error', () => {
  const twice = fig('SQL_PORT', 'ReplicatedFig', '/shared/port', {
    line: 20,
    argErrors: [{ code: 'replicated-name-twice', message: 'name given twice', range: rng(20, 30, 44), severity: 'error' }, { code: 'syntax', message: 'x', range: rng(20, 1, 2), severity: 'error' }],
  });
  const w = ws({ figs: [...demoFigs(), twice] });
  const fs = replicatedNameTwice.run(ctx(w));
  assert.deepEqual(brief(fs), ['replicated-name-twice@config.py:20:30-44']);
  assert.match(fs[0].message, /^Figs\.SQL_PORT: ReplicatedFig gets "name" twice .* TypeError/);
  assert.deepEqual(fs[0].data, { fix: 'replicated-args' });
  assert.deepEqual(parseError.run(ctx(w)).map((f) => f.code), ['syntax']);
});

test('non-fig-attribute: flagged without quoting the value', () => {
  const w = buildWorkspace({ python: [py(PY_URI, [cls('Figs', TWIG, [], [{ attr: 'DB_PASSWORD', range: rng(5, 4, 30), valueText: '"hunter2-canary"' }])])], figgyJson: [], secrets: [] });
  const fs = nonFigAttribute.run(ctx(w));
  assert.deepEqual(brief(fs), ['non-fig-attribute@config.py:5:4-30']);
  assert.ok(fs[0].message.startsWith('Figs.DB_PASSWORD is not a Fig: figgy-lib fails at start-up'));
  assert.ok(!fs[0].message.includes('hunter2'));
});

test('duplicate-declaration and duplicate-replication-destination', () => {
  const figs = [
    ...demoFigs(),
    fig('ADMIRER_AGAIN', 'AppFig', `${TWIG}/secret-admirer`, { line: 20 }),
    fig('HOST_AGAIN', 'ReplicatedFig', 'replicated/sql/hostname', { line: 21, source: '/shared/other/dns' }),
  ];
  const json = demoJson();
  json.sharedFigs.push(loc(`${TWIG}/secret-admirer`, 5, 19));
  const w = ws({ figs, json });
  const dup = duplicateDeclaration.run(ctx(w));
  assert.deepEqual(brief(dup), ['duplicate-declaration@config.py:20:4-17', 'duplicate-declaration@figgy.json:5:19-53']);
  // figgy-lib accepts both; what happens is in the message, at the severity it deserves.
  assert.deepEqual(dup.map((f) => f.severity), ['warning', 'info']);
  assert.equal(dup[0].message, `${TWIG}/secret-admirer is declared twice in config.py: Figs.SECRET_ADMIRER and Figs.ADMIRER_AGAIN; ConfigWriter lists it twice in app_figs, and figgy-cli rejects such a figgy.json ('Your configuration has duplicate keys')`);
  assert.equal(dup[1].message, `${TWIG}/secret-admirer is declared twice in figgy.json: app_figs entry and shared_figs entry; figgy-cli counts it once`);
  assert.equal(dup[0].related?.[0].range.start.line, 10);
  const repl = duplicateReplicationDestination.run(ctx(w));
  assert.deepEqual(brief(repl), ['duplicate-replication-destination@config.py:21:54-73']);
  assert.equal(repl[0].severity, 'warning');
  assert.equal(
    repl[0].message,
    `${TWIG}/replicated/sql/hostname is declared twice in config.py: Figs.SQL_HOSTNAME and Figs.HOST_AGAIN; ConfigWriter writes both replicate_figs mappings (from /shared/resources/dbs/fig-db/dns and /shared/other/dns), and figgy-cli rejects two sources for one destination`,
  );
  // Same source twice: one mapping in the written figgy.json, harmless.
  const same = ws({ figs: [...demoFigs(), fig('H2', 'ReplicatedFig', 'replicated/sql/hostname', { line: 22, source: '/shared/resources/dbs/fig-db/dns' })] });
  assert.deepEqual(duplicateReplicationDestination.run(ctx(same)), []);
  const sameDup = duplicateDeclaration.run(ctx(same));
  assert.deepEqual(brief(sameDup), ['duplicate-declaration@config.py:22:4-6']);
  assert.equal(sameDup[0].severity, 'info');
});

test('duplicate-declaration in figgy.json: errors where figgy-cli rejects the file, info where it counts the name once', () => {
  const j = fj(FJ_URI, {
    twig: loc(TWIG, 1, 10),
    appFigs: [loc('a', 2, 4), loc('a', 3, 4), loc(`${TWIG}/a`, 4, 4)],
    sharedFigs: [loc('s', 5, 4), loc('s', 6, 4)],
    replicateFigs: [
      { source: loc('/shared/one', 7, 4), dest: loc(`${TWIG}/x`, 7, 30) },
      { source: loc('/shared/two', 8, 4), dest: loc(`${TWIG}/x`, 8, 30) },
    ],
  });
  const w = buildWorkspace({ python: [], figgyJson: [j], secrets: [] });
  const dup = duplicateDeclaration.run(ctx(w));
  assert.deepEqual(dup.map((f) => [f.range.start.line, f.severity]), [
    [3, 'error'],
    [4, 'info'],
    [6, 'info'],
  ]);
  assert.match(dup[0].message, /figgy-cli rejects the file/);
  const repl = duplicateReplicationDestination.run(ctx(w));
  assert.deepEqual(repl.map((f) => [f.range.start.line, f.severity]), [[8, 'error']]);
});

test('duplicate-declaration: a re-assigned attribute is dead; only the last assignment is expected', () => {
  const figs = [fig('A', 'AppFig', 'first', { line: 5 }), fig('B', 'AppFig', 'b', { line: 6 }), fig('A', 'SharedFig', 'second', { line: 7 })];
  // As the parser marks it: the first A is re-bound by the statement on line 7.
  figs[0].shadowedBy = figs[2].attrRange;
  const w = buildWorkspace({ python: [py('file:///r/s/config.py', [cls('Figs', '/app/s', figs)])], figgyJson: [], secrets: [] });
  assert.deepEqual([...w.services[0].expected.keys()].sort(), ['/app/s/b', '/app/s/second']);
  const fs = duplicateDeclaration.run(ctx(w));
  assert.deepEqual(brief(fs), ['duplicate-declaration@config.py:5:4-5']);
  assert.equal(fs[0].message, 'Figs.A is assigned again on line 8; Python keeps only the last assignment, so this AppFig is not part of the store');
  assert.equal(fs[0].severity, 'warning');
  assert.deepEqual(fs[0].tags, ['unnecessary']);
  assert.equal(fs[0].related?.[0].range.start.line, 7);
});

test('leading-slash-name: says where the name really lands; names under the twig are fine', () => {
  const w = buildWorkspace({
    python: [py('file:///r/svc/config.py', [cls('Figs', '/app/svc', [fig('X', 'AppFig', '/app/other/x', { line: 3 }), fig('Y', 'AppFig', '/app/svc/y', { line: 4 }), fig('Z', 'AppFig', 'z', { line: 5 })])])],
    figgyJson: [fj('file:///r/svc/figgy.json', { twig: loc('/app/svc', 1, 10), sharedFigs: [loc('/dba/thing', 2, 4), loc('/app/svc/ok', 3, 4)] })],
    secrets: [],
  });
  const fs = leadingSlashName.run(ctx(w));
  assert.deepEqual(brief(fs), ['leading-slash-name@config.py:3:11-25', 'leading-slash-name@figgy.json:2:4-16']);
  assert.equal(fs[0].message, 'Name /app/other/x starts with "/" but is not under the twig /app/svc: figgy-lib puts it under the twig, at /app/svc/app/other/x');
  assert.equal(fs[1].message, 'Name /dba/thing starts with "/" but is not under the twig /app/svc: figgy-cli puts it under the twig, at /app/svc/dba/thing');
});

test('secret-destination-undeclared: missing, declared with another kind, and fine', () => {
  const figs = demoFigs().filter((f) => f.attr !== 'SQL_PASSWORD');
  const json = demoJson({ sharedFigs: [loc(`${TWIG}/replicated/sql/user`, 3, 19)], appFigs: [loc(`${TWIG}/secret-admirer`, 2, 16), loc(`${TWIG}/replicated/sql/password`, 4, 16)] });
  const fs = secretDestinationUndeclared.run(ctx(ws({ figs, json })));
  assert.deepEqual(brief(fs), ['secret-destination-undeclared@figgy-secrets.json:3:51-97']);
  assert.equal(fs[0].message, `figgy-secrets.json replicates into ${TWIG}/replicated/sql/password, which service ${TWIG} lists in app_figs instead of shared_figs`);
  assert.deepEqual(fs[0].data, { fix: 'declare-shared', path: `${TWIG}/replicated/sql/password`, serviceId: TWIG });
  const none = secretDestinationUndeclared.run(ctx(ws({ figs, json: null })));
  assert.equal(none[0].message, `figgy-secrets.json replicates into ${TWIG}/replicated/sql/password, but service ${TWIG} does not declare it as a SharedFig (config.py) or in shared_figs (figgy.json)`);
  const asApp = secretDestinationUndeclared.run(ctx(ws({ figs: [...figs, fig('SQL_PASSWORD', 'AppFig', 'replicated/sql/password', { line: 12 })], json: null })));
  assert.equal(asApp[0].message, `figgy-secrets.json replicates into ${TWIG}/replicated/sql/password, which service ${TWIG} declares as AppFig Figs.SQL_PASSWORD instead of a SharedFig`);
  // A destination outside the service's twig is another service's business.
  const other = secrets('file:///repo/svc/figgy/figgy-secrets.json', [['/dba/x', '/app/other-service/x']]);
  assert.deepEqual(secretDestinationUndeclared.run(ctx(ws({ sec: [other] }))), []);
});

test('lazy-load-outside-local: unguarded call reported, guarded call and local runs quiet', () => {
  const pyExtra = { lazyLoadCalls: [{ range: rng(30, 7, 40), localGuard: false }, { range: rng(33, 7, 40), localGuard: true }] };
  const w = ws({ figs: demoFigs(), pyExtra });
  assert.deepEqual(brief(lazyLoadOutsideLocal.run(ctx(w))), ['lazy-load-outside-local@config.py:30:7-40']);
  assert.deepEqual(lazyLoadOutsideLocal.run(ctx(w, [], { localRun: true })), []);
});

test('legacy-key: names the replacement, deprecated tag, rename fix', () => {
  const j = fj('file:///r/figgy.json', { twig: loc('/app/s', 1, 10), legacyKeys: [{ key: 'app_parameters', replacement: 'app_figs', range: rng(2, 4, 20) }] });
  const fs = legacyKey.run(ctx(buildWorkspace({ python: [], figgyJson: [j], secrets: [] })));
  assert.deepEqual(brief(fs), ['legacy-key@figgy.json:2:4-20']);
  assert.equal(fs[0].message, `"app_parameters" is an old figgy.json key name that today's figgy-cli ignores: nothing under it is checked or synced; rename it to "app_figs"`);
  assert.equal(fs[0].severity, 'warning');
  assert.deepEqual(fs[0].tags, ['deprecated']);
  assert.deepEqual(fs[0].data, { fix: 'rename-key', from: 'app_parameters', to: 'app_figs' });
  // Neither twig nor app_figs under today's names: figgy-cli rejects the file, an error with the same fix.
  const old = fj('file:///r/figgy.json', { legacyKeys: [{ key: 'namespace', replacement: 'twig', range: rng(1, 4, 15) }] });
  const fo = legacyKey.run(ctx(buildWorkspace({ python: [], figgyJson: [old], secrets: [] })));
  assert.deepEqual(fo.map((f) => [f.severity, f.data]), [['error', { fix: 'rename-key', from: 'namespace', to: 'twig' }]]);
  assert.match(fo[0].message, /rejects this file/);
});

test('parse-error: every parser error becomes a finding with its own code, severity, file and related info', () => {
  const p = py(PY_URI, [], { errors: [{ code: 'twig-unresolved', message: 'cannot resolve TWIG', range: rng(2, 4, 9), severity: 'warning' }] });
  const j = fj(FJ_URI, {
    twig: loc('/app/s', 1, 10),
    errors: [
      { code: 'json-syntax', message: 'bad', range: rng(3, 1, 2), severity: 'error' },
      { code: 'json-import-duplicate', message: 'dup', range: rng(1, 1, 5), severity: 'error', uri: 'file:///repo/svc/figgy/part.json', related: [{ uri: FJ_URI, range: rng(4, 1, 5), message: 'first' }] },
    ],
  });
  const s: SecretsJsonModel = { uri: 'file:///repo/svc/figgy/figgy-secrets.json', replicateFigs: [], variables: [], errors: [{ code: 'json-type', message: 't', range: rng(0, 0, 1), severity: 'info' }] };
  const fs = parseError.run(ctx(buildWorkspace({ python: [p], figgyJson: [j], secrets: [s] })));
  assert.deepEqual(
    fs.map((f) => [f.code, f.severity, f.uri.split('/').pop()]),
    [
      ['twig-unresolved', 'warning', 'config.py'],
      ['json-syntax', 'error', 'figgy.json'],
      ['json-import-duplicate', 'error', 'part.json'],
      ['json-type', 'info', 'figgy-secrets.json'],
    ],
  );
  assert.deepEqual(fs[2].related, [{ uri: FJ_URI, range: rng(4, 1, 5), message: 'first' }]);
});
