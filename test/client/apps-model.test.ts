// The App Variables view's presentation (client/src/tree/appsModel.ts): a variable is "missing" only
// where the rules would say so (analysis/rules/env/util.ts sourcesKnown).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AppInfo, AppVariableInfo } from '../../server/src/lsp/protocol';
import { appView, variableState } from '../../client/src/tree/appsModel';
import { stageGap } from '../../server/src/model/sourcesKnown';

const at = { uri: 'file:///w/app/settings.py', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } } };
const read: AppVariableInfo = { name: 'EMAIL_HOST', sensitive: false, required: true, reads: [{ ...at, required: true }], provided: [] };
const app = (sources: AppInfo['sources']): AppInfo => ({ id: 'a', label: 'app', root: 'file:///w/app', kind: 'folder', sources, variables: [read] });
const src = (kind: AppInfo['sources'][number]['kind'], complete = true) => ({ id: kind, label: kind === 'dotenv' ? '.env' : kind, kind, uri: 'file:///w/app/x', complete });

test('a read nobody provides: missing with a deployment source, unknown with only the code\'s own writes, none or an incomplete source', () => {
  assert.equal(variableState(app([src('dotenv')]), read), 'missing');
  assert.equal(variableState(app([src('dotenv'), src('code')]), read), 'missing');
  assert.equal(variableState(app([src('code')]), read), 'unknown');
  assert.equal(variableState(app([]), read), 'unknown');
  assert.equal(variableState(app([src('dotenv', false)]), read), 'unknown');
});

test('a read only test code makes: not missing, and its read says it is test code', () => {
  const inTests: AppVariableInfo = { name: 'E2E_URL', sensitive: false, required: false, reads: [{ ...at, uri: 'file:///w/app/tests/test_e2e.py', required: true, inTests: true }], provided: [] };
  const a = { ...app([src('dotenv')]), variables: [inTests] };
  // No source provides it, but it is not required: no error mark on the variable or the app.
  assert.equal(variableState(a, inTests), 'missing');
  assert.equal(appView({ type: 'variable', app: a, variable: inTests }).icon, 'symbol-variable');
  assert.doesNotMatch(appView({ type: 'app', app: a }).description ?? '', /✗/);
  const view = appView({ type: 'read', app: a, variable: inTests, at: inTests.reads[0] });
  assert.equal(view.description, 'read, required (test code)');
  assert.equal(appView({ type: 'read', app: a, variable: read, at: read.reads[0] }).description, 'read, required');
});

test('a read given under another name it accepts (FLASK_X for X): provided, and the row says through which', () => {
  const viaFlask: AppVariableInfo = { name: 'GREENHOUSE_API_KEY', sensitive: true, required: false, reads: [{ ...at, required: true }], provided: [], satisfiedBy: ['FLASK_GREENHOUSE_API_KEY'] };
  const a = { ...app([src('charm')]), variables: [viaFlask] };
  assert.equal(variableState(a, viaFlask), 'provided');
  const view = appView({ type: 'variable', app: a, variable: viaFlask });
  assert.equal(view.description, 'charm ✗ · via FLASK_GREENHOUSE_API_KEY');
  assert.equal(view.icon, 'key');
  assert.match(view.tooltip ?? '', /Provided via FLASK_GREENHOUSE_API_KEY/);
});

test('a source row: how the value came beside the source, its file not said twice; a source that only names itself: provides it', () => {
  const provided = { ...read, provided: [{ ...at, uri: 'file:///w/app/.envs/.local/.django', sourceId: 'dotenv', detail: '.envs/.local/.django (compose web env_file)' }] };
  const s = { ...src('dotenv'), label: '.envs/.local/.django' };
  const a = { ...app([s]), variables: [provided] };
  assert.equal(appView({ type: 'source', app: a, variable: provided, source: s, at: provided.provided[0] }).description, 'compose web env_file');
  const plain = { ...provided.provided[0], detail: '.envs/.local/.django' };
  assert.equal(appView({ type: 'source', app: a, variable: provided, source: s, at: plain }).description, 'provides it');
});

test('a source that sets the variable for the build only: ✗, says so, and a click goes to its entry', () => {
  const entry = { start: { line: 3, character: 8 }, end: { line: 3, character: 17 } };
  const s = { ...src('digitalocean'), label: 'app spec web', uri: 'file:///w/app/.do/app.yaml', buildOnly: [{ name: 'EMAIL_HOST', range: entry }] };
  const a = app([s]);
  const view = appView({ type: 'source', app: a, variable: read, source: s });
  assert.equal(view.label, '✗ app spec web');
  assert.equal(view.description, 'sets it for the build only (scope: BUILD_TIME)');
  assert.match(view.tooltip, /^app spec web sets it for the build only \(scope: BUILD_TIME\): the running app does not get EMAIL_HOST\n\.do\/app\.yaml:4$/);
  assert.deepEqual(view.open, { uri: s.uri, range: entry });
  // Another variable of the same source: plainly not provided.
  const other: AppVariableInfo = { ...read, name: 'OTHER' };
  assert.equal(appView({ type: 'source', app: { ...a, variables: [other] }, variable: other, source: s }).description, 'does not provide it');
  assert.equal(variableState(a, read), 'missing');
});

test("a variable one Zappa stage lacks while another sets it: missing (as env-not-provided says), and the app counts it; a stage that may load it (remote_env) does not", () => {
  const dev = { id: 'zappa:file:///w/app/zappa_settings.json#dev', label: 'zappa dev', kind: 'zappa' as const, uri: 'file:///w/app/zappa_settings.json', complete: true };
  const prod = { ...dev, id: 'zappa:file:///w/app/zappa_settings.json#production', label: 'zappa production' };
  const v: AppVariableInfo = { ...read, name: 'LOG_FORMAT', provided: [{ ...at, sourceId: dev.id, detail: 'environment_variables' }] };
  const a = { ...app([dev, prod]), variables: [v] };
  assert.equal(variableState(a, v), 'missing');
  assert.match(appView({ type: 'app', app: a }).description ?? '', /✗1/);
  assert.equal(appView({ type: 'variable', app: a, variable: v }).description, 'zappa dev ✓ · zappa production ✗');
  assert.equal(variableState({ ...a, sources: [dev, { ...prod, complete: false }] }, v), 'provided');
  // Two sources of other kinds (a .env and compose): one providing is enough, as before.
  const env = { ...src('dotenv') };
  assert.equal(variableState({ ...app([env, src('compose')]), variables: [v] }, { ...v, provided: [{ ...at, sourceId: 'dotenv', detail: '.env' }] }), 'provided');
});

test('a stage gap over many stages (hostile input) is found in linear time', () => {
  const stages = Array.from({ length: 3000 }, (_, i) => ({ id: `z#${i}`, label: `zappa s${i}`, kind: 'zappa' as const, uri: 'file:///w/app/zappa_settings.json', complete: true }));
  const t0 = performance.now();
  assert.equal(stageGap(stages, stages), undefined);
  assert.deepEqual(stageGap(stages, stages.slice(1))?.missing.map((s) => s.label), ['zappa s0']);
  assert.ok(performance.now() - t0 < 1_000, `took ${performance.now() - t0} ms`);
});
