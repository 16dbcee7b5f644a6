// A keystroke in a figgy.json replaces one figgy.json model. patchWorkspace must then give exactly
// what buildWorkspace gives (its services' expected parameters, the app that reads their override
// variables), and refuse when pairing or the file list could change (another twig, imports).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initPython, parsePython } from '../../server/src/parse/python';
import { parseFiggyJson } from '../../server/src/parse/figgyJson';
import { buildWorkspace, type BuildInput } from '../../server/src/model/build';
import { patchWorkspace } from '../../server/src/model/patch';
import { buildInput, built } from './buildInput.helpers';

before(async () => {
  await initPython();
});

const JA = 'file:///ws/svc-a/figgy/figgy.json';
const JB = 'file:///ws/svc-b/figgy/figgy.json';

const py = (twig: string, figs: string[]) =>
  ['from figgy.figs import *', 'from figgy.fig_store import FigStore', '', 'class Figs(FigStore):', `    TWIG = "${twig}"`, ...figs.map((f) => `    ${f.toUpperCase().replace(/-/g, '_')} = AppFig("${f}")`), ''].join('\n');

const json = (twig: string, appFigs: string[], extra = '') => `{\n  "twig": "${twig}",\n  "app_figs": [${appFigs.map((f) => `"${f}"`).join(', ')}]${extra}\n}\n`;

/** svc-a: config.py + figgy.json beside a .env (its config.py is an app's module); svc-b: a figgy.json alone. */
function input(a: string, b: string): BuildInput {
  return buildInput({
    python: [parsePython(py('/app/a', ['setting', 'other']), 'file:///ws/svc-a/src/config.py')],
    figgyJson: [parseFiggyJson(a, JA), parseFiggyJson(b, JB)],
    envFiles: [['dotenv', 'file:///ws/svc-a/.env', 'SETTING=1\n']],
  });
}

function editJson(prev: BuildInput, at: number, text: string): BuildInput {
  const figgyJson = prev.figgyJson.slice();
  figgyJson[at] = parseFiggyJson(text, figgyJson[at].uri);
  return { ...prev, figgyJson };
}

for (const [what, at, text] of [
  ['a parameter typed into a paired figgy.json (not in config.py: drift)', 0, json('/app/a', ['setting', 'other', 'third'])],
  ['a parameter removed from it', 0, json('/app/a', ['setting'])],
  ['a half-typed name', 0, json('/app/a', ['setting', 'oth'])],
  ['broken JSON while typing', 0, '{\n  "twig": "/app/a",\n  "app_figs": ["setting", "oth'],
  ['the twig written with a trailing slash (the same twig)', 0, json('/app/a/', ['setting', 'other'])],
  ['a shared parameter added to a lone figgy.json', 1, json('/app/b', ['one'], ',\n  "shared_figs": ["/shared/db/password"]')],
] as const) {
  test(`figgy.json edit, ${what}: patched equals built`, () => {
    const first = input(json('/app/a', ['setting', 'other']), json('/app/b', ['one']));
    const prev = built(first);
    const next = editJson(first, at, text);
    const got = patchWorkspace(prev, next);
    assert.ok(got, 'patched');
    assert.deepEqual(got, buildWorkspace(next));
    const changed = prev.ws.services.findIndex((s) => s.figgyJson === first.figgyJson[at]);
    got.services.forEach((s, i) => (i === changed ? assert.notEqual(s, prev.ws.services[i]) : assert.equal(s, prev.ws.services[i], 'the other service is the same object')));
  });
}

test("a paired figgy.json edit finishes its config.py's app again (the app reads the service's override variables)", () => {
  const first = input(json('/app/a', ['setting', 'other']), json('/app/b', ['one']));
  const prev = built(first);
  const app = prev.ws.apps!.findIndex((a) => a.pythonUris.includes('file:///ws/svc-a/src/config.py'));
  assert.ok(app >= 0, 'svc-a is an app module (a .env beside it)');
  const next = editJson(first, 0, json('/app/a', ['setting', 'other', 'third']));
  const got = patchWorkspace(prev, next)!;
  assert.notEqual(got.apps![app], prev.ws.apps![app]);
  assert.deepEqual(got.apps, buildWorkspace(next).apps);
});

for (const [what, text] of [
  ['another twig (pairing may change)', json('/app/other', ['setting', 'other'])],
  ['no twig any more', '{\n  "app_figs": ["setting", "other"]\n}\n'],
  ['an import (its model is merged from other files)', json('/app/a', ['setting'], ',\n  "import": ["common.json"]')],
] as const) {
  test(`figgy.json edit with ${what}: refused`, () => {
    const first = input(json('/app/a', ['setting', 'other']), json('/app/b', ['one']));
    assert.equal(patchWorkspace(built(first), editJson(first, 0, text)), undefined);
  });
}
