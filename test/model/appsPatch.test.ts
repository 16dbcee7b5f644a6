// patchApps (through patchWorkspace, the language server's keystroke path) must give exactly what
// buildWorkspace gives, over chains of random edits of a twelve-factor workspace whose modules import
// constants and helpers from each other, load .env files, log, write variables, hold charm code and
// Figgy declarations; and it must keep the App objects of apps the edit cannot reach.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initPython, parsePython } from '../../server/src/parse/python';
import { buildInput } from './buildInput.helpers';
import { buildWorkspace } from '../../server/src/model/build';
import { patchWorkspace, type Built } from '../../server/src/model/patch';
import { MODULES, NAMES, editsArb, input, startArb, withVariant } from './appsWorkspace.helpers';

before(async () => {
  await initPython();
});

test('patched apps equal built apps over chains of random edits, and untouched apps keep their objects', () => {
  let patchedWithApps = 0;
  let kept = 0;
  fc.assert(
    fc.property(
      startArb,
      editsArb(1, 8),
      (start, edits) => {
        let cur = input(start);
        let built: Built = { input: cur, opts: {}, ws: buildWorkspace(cur) };
        for (const [at, v] of edits) {
          const next = withVariant(cur, at, v);
          const want = buildWorkspace(next);
          const got = patchWorkspace(built, next);
          const ws = got ?? want;
          if (got) {
            assert.deepEqual(got, want);
            const before = built.ws.apps ?? [];
            if (before.length > 0) patchedWithApps++;
            for (const app of got.apps ?? []) if (before.includes(app)) kept++;
            // An app that is the same object must be one the edited file cannot belong to.
            for (const app of got.apps ?? []) {
              if (before.includes(app)) assert.ok(!(`${MODULES[at].uri}`.startsWith(`${app.root}/`)), `${app.root} holds the edited file yet was kept`);
            }
          }
          cur = next;
          built = { input: next, opts: {}, ws };
        }
      },
    ),
    { numRuns: 150, seed: 4242 },
  );
  assert.ok(patchedWithApps > 100, `edits patched with apps present: ${patchedWithApps}`);
  assert.ok(kept > 100, `apps kept as the same object: ${kept}`);
});

test('long chains of edits (past the module index flattening its layers) still equal a fresh build', () => {
  fc.assert(
    fc.property(editsArb(40, 60), (edits) => {
      let cur = input(MODULES.map(() => 0));
      let built: Built = { input: cur, opts: {}, ws: buildWorkspace(cur) };
      let patched = 0;
      for (const [at, v] of edits) {
        const next = withVariant(cur, at, v);
        const got = patchWorkspace(built, next);
        if (got) patched++;
        const ws = got ?? buildWorkspace(next);
        if (got) assert.deepEqual(got, buildWorkspace(next));
        cur = next;
        built = { input: next, opts: {}, ws };
      }
      return patched >= 0;
    }),
    { numRuns: 6, seed: 9 },
  );
});

test('forty patched edits in a row (the module index then flattens its layers) still resolve imports', () => {
  const at = MODULES.findIndex((m) => m.uri === 'file:///ws/a/settings.py');
  let cur = input(MODULES.map(() => 0));
  let built: Built = { input: cur, opts: {}, ws: buildWorkspace(cur) };
  for (let k = 0; k < 40; k++) {
    const next = withVariant(cur, at, k % 2);
    const got = patchWorkspace(built, next);
    assert.ok(got, `edit ${k} patched`);
    assert.deepEqual(got, buildWorkspace(next), `edit ${k}`);
    assert.ok(got.apps!.find((a) => a.root === 'file:///ws/a')!.reads.some((r) => r.name === 'APP_DB'), 'the imported prefix is resolved');
    cur = next;
    built = { input: next, opts: {}, ws: got };
  }
});

test('every edit of one module from one variant to another patches exactly (boundaries, charm code, Figgy-only files)', () => {
  let patched = 0;
  for (const others of [0, 1]) {
    const base = MODULES.map(() => others);
    for (let at = 0; at < MODULES.length; at++) {
      for (let from = 0; from < MODULES[at].variants.length; from++) {
        const first = input(base.map((v, i) => (i === at ? from : v)));
        const built: Built = { input: first, opts: {}, ws: buildWorkspace(first) };
        for (let to = 0; to < MODULES[at].variants.length; to++) {
          if (to === from) continue;
          const next = withVariant(first, at, to);
          const got = patchWorkspace(built, next);
          if (!got) continue;
          patched++;
          assert.deepEqual(got, buildWorkspace(next), `${MODULES[at].uri}: variant ${from} → ${to}`);
        }
      }
    }
  }
  assert.ok(patched > 150, `edits patched: ${patched}`);
});

test('an edit that changes what importers see of a module rebuilds every app (an importer elsewhere reads through it)', () => {
  const first = input(MODULES.map(() => 0));
  const built: Built = { input: first, opts: {}, ws: buildWorkspace(first) };
  const at = MODULES.findIndex((m) => m.variants === NAMES);
  const next = withVariant(first, at, NAMES.findIndex((v) => v.includes('PREFIX = "SVC_"')));
  const got = patchWorkspace(built, next);
  assert.ok(got);
  assert.deepEqual(got, buildWorkspace(next));
  const a = got.apps!.find((x) => x.root === 'file:///ws/a');
  assert.ok(a?.reads.some((r) => r.name === 'SVC_DB'), 'the importer in another app reads the new name');
  for (const app of got.apps!) assert.ok(!built.ws.apps!.includes(app), 'no app object kept');
});

test("an edit of a CDK stack module's functions builds their apps' sources again (patched equals built)", () => {
  const stack = (vars: string) => parsePython(`from aws_cdk import aws_lambda as _lambda\ndef build(scope):\n    _lambda.Function(scope, "Api", runtime=_lambda.Runtime.PYTHON_3_12, code=_lambda.Code.from_asset("lambda"), environment={${vars}})\n`, 'file:///ws/stack.py');
  const handler = parsePython('import os\nT = os.environ["TABLE_NAME"]\n', 'file:///ws/lambda/app.py');
  const first = buildInput({ python: [stack('"OTHER": "x"'), handler] });
  const prev: Built = { input: first, opts: {}, ws: buildWorkspace(first) };
  const api = prev.ws.apps!.find((a) => a.root === 'file:///ws/lambda')!;
  assert.deepEqual(api.sources.map((s) => s.label), ['cdk Api']);
  const next = { ...first, python: [stack('"TABLE_NAME": "orders"'), handler] };
  const want = buildWorkspace(next);
  assert.deepEqual(patchWorkspace(prev, next) ?? want, want);
  assert.ok(want.apps!.find((a) => a.root === 'file:///ws/lambda')!.sources[0].provides.some((p) => p.name === 'TABLE_NAME'));
});
