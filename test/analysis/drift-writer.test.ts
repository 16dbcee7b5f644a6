// The drift rule and the figgy.json writer must agree: a figgy.json freshly rendered from config.py
// (what the regenerate fix writes) has no drift, and a one-entry edit to it is reported.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initPython, parsePython } from '../../server/src/parse/python';
import { parseFiggyJson } from '../../server/src/parse/figgyJson';
import { renderFiggyJson } from '../../server/src/model/figgyJsonWriter';
import { buildWorkspace } from '../../server/src/model/build';
import { figgyJsonDrift } from '../../server/src/analysis/rules/figgyJsonDrift';
import { ctx } from './helpers';

before(async () => {
  await initPython();
});

// The py-demo fixture's config.py, markers removed: all four Fig kinds, uri_encode, a default.
const CONFIG = join(__dirname, '..', 'fixtures', 'rules', 'py-demo', 'src', 'config.py');
const configText = () => readFileSync(CONFIG, 'utf8').replace(/«[a-z,-]+\|/g, '').replace(/»/g, '');
const PY_URI = 'file:///w/svc/src/config.py';
const FJ_URI = 'file:///w/svc/figgy/figgy.json';

function driftOf(pyText: string, jsonText: string) {
  const py = parsePython(pyText, PY_URI);
  const ws = buildWorkspace({ python: [py], figgyJson: [parseFiggyJson(jsonText, FJ_URI)], secrets: [] });
  assert.equal(ws.services.length, 1);
  return figgyJsonDrift.run(ctx(ws));
}

test('a figgy.json rendered from config.py by the writer shows no drift; removing one entry shows exactly that', () => {
  const pyText = configText();
  const py = parsePython(pyText, PY_URI);
  const cls = py.classes[0];
  assert.ok(cls.twig, 'example twig resolves');
  const rendered = renderFiggyJson(cls, cls.twig!.value);
  assert.deepEqual(driftOf(pyText, rendered), []);
  const edited = rendered.replace(/\s*"\/app\/demo-service\/admired-person",?/, '');
  assert.notEqual(edited, rendered);
  const fs = driftOf(pyText, edited);
  assert.deepEqual(fs.map((f) => f.message), ['figgy.json lacks app_figs entry /app/demo-service/admired-person, which ConfigWriter writes for Figs.ADMIRED_PERSON']);
  assert.equal(fs[0].uri, PY_URI);
});

const HEAD = 'from figgy.figs import *\nfrom figgy.fig_store import FigStore\nimport os\n\n\nclass Figs(FigStore):\n    TWIG = "/app/demo-service"\n';

/** The figgy.json ConfigWriter writes for `body` (every Fig known statically). */
function written(body: string): string {
  const cls = parsePython(HEAD + body, PY_URI).classes[0];
  return renderFiggyJson(cls, cls.twig!.value);
}

test('uri_encode matches by name as Fig.__eq__ does: a second Fig with the same name is :uri too, and that is no drift', () => {
  const body = '    U = SharedFig("u")\n    U2 = SharedFig("u")\n    M = MergeFig("m", [U2, ":", U], uri_encode=[U])\n';
  const json = written(body);
  assert.deepEqual((JSON.parse(json) as { merged_figs: Record<string, string[]> }).merged_figs['/app/demo-service/m'], ['${/app/demo-service/u:uri}', ':', '${/app/demo-service/u:uri}']);
  assert.deepEqual(driftOf(HEAD + body, json), []);
  // A figgy.json written by hand without :uri on the first element differs from what ConfigWriter writes.
  const edited = json.replace('"${/app/demo-service/u:uri}",', '"${/app/demo-service/u}",');
  assert.deepEqual(driftOf(HEAD + body, edited).map((f) => f.message), [
    "merged_figs /app/demo-service/m differs from Figs.M's pattern in config.py: element 1 is ${/app/demo-service/u} in figgy.json but ${/app/demo-service/u:uri} in config.py",
  ]);
});

test('one replication source used twice: ConfigWriter keeps one destination, so figgy.json with only that one does not drift', () => {
  const body = '    A = ReplicatedFig("a", "/shared/s")\n    B = ReplicatedFig("b", "/shared/s")\n';
  const json = written(body);
  assert.deepEqual((JSON.parse(json) as { replicate_figs: Record<string, string> }).replicate_figs, { '/shared/s': '/app/demo-service/b' });
  assert.deepEqual(driftOf(HEAD + body, json), []);
});

test('a Fig whose name is only known at run time makes its section unknown: no "config.py lacks" for entries there', () => {
  const body = '    A = AppFig("a")\n    B = AppFig(os.environ["B_NAME"])\n';
  const json = '{\n    "twig": "/app/demo-service",\n    "app_figs": ["/app/demo-service/a", "/app/demo-service/from-env"]\n}';
  assert.deepEqual(driftOf(HEAD + body, json), []);
  // Other sections are still compared.
  const withShared = json.replace(']\n}', '],\n    "shared_figs": ["/app/demo-service/s"]\n}');
  assert.deepEqual(driftOf(HEAD + body, withShared).map((f) => f.message), ['config.py (class Figs) lacks a SharedFig for figgy.json shared_figs entry /app/demo-service/s']);
});
