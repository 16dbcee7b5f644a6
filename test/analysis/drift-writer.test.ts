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
