// patchWorkspace (the language server's keystroke path) must give exactly what buildWorkspace gives,
// and must refuse when pairing could change. Apps are the subtle part: a config.py that is an app's
// module feeds the app its override variables; one that is not must leave the apps untouched.
// (Random edits of a Figgy workspace are in test/analysis/incremental.test.ts.)
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initPython, parsePython } from '../../server/src/parse/python';
import { buildWorkspace, type BuildInput } from '../../server/src/model/build';
import { patchWorkspace } from '../../server/src/model/patch';
import { buildInput, built } from './buildInput.helpers';

before(async () => {
  await initPython();
});

const A = 'file:///ws/svc-a/src/config.py';
const B = 'file:///ws/svc-b/src/config.py';
const APP = 'file:///ws/web/app.py';

function figgy(twig: string, figs: string[], extraLine = ''): string {
  return ['from figgy.figs import *', 'from figgy.fig_store import FigStore', '', 'class Figs(FigStore):', `    TWIG = "${twig}"`, ...(extraLine ? [extraLine] : []), ...figs.map((f) => `    ${f.toUpperCase().replace(/-/g, '_')} = AppFig("${f}")`), ''].join('\n');
}

/** svc-a sits beside a .env (so its config.py is an app's module); svc-b does not; web/ is a plain app. */
function input(a: string, b: string): BuildInput {
  return buildInput({
    python: [parsePython(a, A), parsePython(b, B), parsePython('import os\nPORT = os.environ["PORT"]\nDEBUG = os.environ.get("DEBUG")\n', APP)],
    envFiles: [
      ['dotenv', 'file:///ws/svc-a/.env', 'SETTING=1\nOTHER=2\n'],
      ['dotenv', 'file:///ws/web/.env', 'PORT=8080\n'],
    ],
  });
}

/** The next input: the same objects except the Python file at `at`. */
function edit(prev: BuildInput, at: number, text: string): BuildInput {
  const python = prev.python.slice();
  python[at] = parsePython(text, python[at].uri);
  return { ...prev, python };
}

test('an edit of a config.py that is no app module patches its service and keeps the apps object', () => {
  const first = input(figgy('/app/a', ['setting']), figgy('/app/b', ['one']));
  const prev = built(first);
  const next = edit(first, 1, figgy('/app/b', ['one', 'two'], '    # typed'));
  const got = patchWorkspace(prev, next);
  assert.ok(got);
  assert.deepEqual(got, buildWorkspace(next));
  assert.equal(got.apps?.length, prev.ws.apps?.length);
  got.apps?.forEach((app, i) => assert.equal(app, prev.ws.apps?.[i], 'every app is the same object'));
  assert.equal(got.services[0], prev.ws.services[0], 'the other service is the same object');
  assert.notEqual(got.services[1], prev.ws.services[1]);
  assert.ok(got.services[1].expected.has('/app/b/two'));
});

test("an edit of a config.py that is an app's module rebuilds the apps (its overrides are the app's reads)", () => {
  const first = input(figgy('/app/a', ['setting']), figgy('/app/b', ['one']));
  const prev = built(first);
  assert.ok(prev.ws.apps?.some((a) => a.pythonUris.includes(A)), 'svc-a is an app module (a .env above it)');
  const next = edit(first, 0, figgy('/app/a', ['setting', 'other']));
  const got = patchWorkspace(prev, next);
  assert.ok(got);
  assert.notEqual(got.apps, prev.ws.apps);
  assert.deepEqual(got, buildWorkspace(next));
  const i = prev.ws.apps!.findIndex((a) => a.pythonUris.includes(A));
  got.apps!.forEach((app, k) => (k === i ? assert.notEqual(app, prev.ws.apps![k], 'its app is finished again') : assert.equal(app, prev.ws.apps![k], 'the other apps are kept')));
});

test('an edit of an app module that changes what it reads rebuilds the apps', () => {
  const first = input(figgy('/app/a', ['setting']), figgy('/app/b', ['one']));
  const prev = built(first);
  const next = edit(first, 2, 'import os\nPORT = os.environ["PORT"]\nTOKEN = os.environ["TOKEN"]\n');
  const got = patchWorkspace(prev, next);
  assert.ok(got);
  assert.deepEqual(got, buildWorkspace(next));
  assert.ok(got.apps?.some((a) => a.reads.some((r) => r.name === 'TOKEN')));
});

test('edits that can change pairing, ids or the file set are refused (a full build follows)', () => {
  const first = input(figgy('/app/a', ['setting']), figgy('/app/b', ['one']));
  const prev = built(first);
  assert.equal(patchWorkspace(prev, edit(first, 1, figgy('/app/b2', ['one']))), undefined, 'twig changed');
  assert.equal(patchWorkspace(prev, edit(first, 1, figgy('/app/b', ['one']).replace('class Figs', 'class Other'))), undefined, 'class renamed');
  assert.equal(patchWorkspace(prev, edit(first, 1, 'X = 1\n')), undefined, 'no longer a Figgy file');
  assert.equal(patchWorkspace(prev, { ...first, python: first.python.slice(0, 2) }), undefined, 'a file gone');
  assert.equal(patchWorkspace(prev, { ...first, secrets: [...first.secrets] }), prev.ws, 'same objects: the same model');
  assert.equal(patchWorkspace(prev, { ...first, env: { ...first.env!, dotenv: first.env!.dotenv.slice(1) } }), undefined, 'a source gone');
  assert.equal(patchWorkspace(prev, first, { pairing: 'twig' }), undefined, 'other options');
});
