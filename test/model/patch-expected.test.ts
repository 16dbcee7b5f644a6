// A keystroke inside one statement of a large FigStore class: the patched service's declarations and
// expected parameters are derived from the previous build's (model/decls.ts serviceDeclsAfter,
// model/build.ts memoExpectedAfter). They must equal a fresh build's, in the same order, whatever
// the edits; and the derivation must actually be taken, or this test proves nothing.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initPython, parsePython, PythonDocParser, type PythonTextChange } from '../../server/src/parse/python';
import { parseFiggyJson } from '../../server/src/parse/figgyJson';
import { parseSecretsJson } from '../../server/src/parse/secretsJson';
import { lineIndex } from '../../server/src/parse/text';
import { buildWorkspace, type BuildInput } from '../../server/src/model/build';
import { patchWorkspace, type Built } from '../../server/src/model/patch';
import { serviceDecls, storeFigs } from '../../server/src/model/decls';
import type { WorkspaceModel } from '../../server/src/model/types';
import { missingInEnv } from '../../server/src/analysis/rules/missingInEnv';
import { ctx, state } from '../analysis/helpers';

before(async () => {
  await initPython();
});

const PY = 'file:///ws/svc/src/config.py';
const JSON_URI = 'file:///ws/svc/figgy/figgy.json';
const SECRETS = 'file:///ws/owner/figgy-secrets.json';

/** A class of Figs of every kind, some sharing a name or an attribute, optionally a MergeFig. */
function source(merge: boolean): string {
  const lines = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', '', 'class Figs(FigStore):', '    TWIG = "/app/svc"'];
  for (let k = 0; k < 12; k++) {
    if (k % 5 === 1) lines.push(`    SHARED_${k} = SharedFig("db/shared-${k}")`);
    else if (k % 5 === 2) lines.push(`    REPL_${k} = ReplicatedFig("repl/item-${k}", source="/shared/item-${k}")`);
    else lines.push(`    SETTING_${k} = AppFig("setting-${k}")`);
  }
  lines.push('    TWICE = AppFig("setting-0")', '    SETTING_3 = AppFig("again-3")');
  if (merge) lines.push('    URL = MergeFig(name="url", pattern=["x://", SETTING_0, "@", SHARED_1])');
  lines.push('', 'FIGS = Figs(lazy_load=True)', '');
  return lines.join('\n');
}

function ordered(ws: WorkspaceModel) {
  return ws.services.map((s) => ({ id: s.id, expected: [...s.expected.entries()], decls: serviceDecls(s), figs: s.configPy ? storeFigs(s.configPy.cls) : [] }));
}

function change(text: string, start: number, end: number, insert: string): { c: PythonTextChange; next: string } {
  const li = lineIndex(text);
  return { c: { range: { start: li.positionAt(start), end: li.positionAt(end) }, text: insert }, next: text.slice(0, start) + insert + text.slice(end) };
}

test('patched after keystrokes in one statement: the same declarations and expected parameters as a fresh build, in order', () => {
  let checked = 0;
  // Patched builds whose expected parameters are partly the previous build's objects: the derivation
  // was taken (a computed map has only new objects).
  let derived = 0;
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.boolean(),
      fc.boolean(),
      // Mostly a character typed or deleted right after an opening quote of a name; sometimes anywhere.
      // `whole`: the name is replaced, often by another Fig's (two declarations of one path).
      fc.array(
        fc.record({ quote: fc.nat(), anywhere: fc.nat({ max: 9 }), whole: fc.boolean(), at: fc.nat(), del: fc.nat({ max: 2 }), ins: fc.constantFrom('x', 'db/', '-', '', 'setting-4', 'setting-0', 'db/shared-1', 'repl/item-2', 'url', '"', '\n') }),
        { minLength: 1, maxLength: 12 },
      ),
      (merge, withJson, withSecrets, edits) => {
        let text = source(merge);
        const doc = new PythonDocParser(PY);
        const figgyJson = withJson ? [parseFiggyJson(JSON.stringify({ twig: '/app/svc', app_figs: ['/app/svc/setting-0', '/app/svc/setting-4'], shared_figs: ['/app/svc/db/shared-1'] }), JSON_URI)] : [];
        const secrets = withSecrets ? [parseSecretsJson(JSON.stringify({ replicate_figs: { '/dba/x': '/app/svc/setting-5x', '/dba/y': '/app/svc/db/shared-6' } }), SECRETS)] : [];
        const input = (): BuildInput => ({ python: [doc.update(text, [])], figgyJson, secrets });
        doc.parse(text);
        const first = input();
        let built: Built = { input: first, opts: {}, ws: buildWorkspace(first) };
        for (const e of edits) {
          const quotes = [...text.matchAll(/\("/g)].map((m) => m.index! + 2);
          const at = e.anywhere === 0 ? e.at % (text.length + 1) : quotes[e.quote % quotes.length];
          const close = text.indexOf('"', at);
          const end = e.anywhere === 0 ? Math.min(text.length, at + e.del) : e.whole && close >= 0 ? close : at;
          const { c, next } = change(text, at, end, e.ins);
          text = next;
          const inp: BuildInput = { python: [doc.update(text, [c])], figgyJson, secrets };
          // From a model of its own (a full parse): nothing derived from the patched one is shared.
          const fresh = buildWorkspace({ python: [parsePython(text, PY)], figgyJson, secrets });
          const patched = patchWorkspace(built, inp);
          if (patched) {
            assert.deepEqual(patched, fresh);
            assert.deepEqual(ordered(patched), ordered(fresh));
            checked++;
            const before = new Set(built.ws.services.flatMap((x) => [...x.expected.values()]));
            if (patched.services.some((x) => [...x.expected.values()].some((p) => before.has(p)))) derived++;
          }
          // (The next patch starts from a build of this input's own models.)
          built = { input: inp, opts: {}, ws: patched ?? buildWorkspace(inp) };
        }
        doc.dispose();
      },
    ),
    { numRuns: 150 },
  );
  assert.ok(checked > 300, `patched builds checked: ${checked}`);
  assert.ok(derived > 50, `derived from the previous build ${derived} times`);
});

test('an unchanged parameter is the very same object after a keystroke in another statement', () => {
  let text = source(false);
  const doc = new PythonDocParser(PY);
  doc.parse(text);
  const first: BuildInput = { python: [doc.update(text, [])], figgyJson: [], secrets: [] };
  const before = buildWorkspace(first);
  const at = text.indexOf('AppFig("setting-8') + 'AppFig("'.length;
  assert.ok(at > 'AppFig("'.length);
  const { c, next } = change(text, at, at, 'z');
  text = next;
  const inp: BuildInput = { python: [doc.update(text, [c])], figgyJson: [], secrets: [] };
  const after = patchWorkspace({ input: first, opts: {}, ws: before }, inp)!;
  const [s0, s1] = [before.services[0], after.services[0]];
  assert.equal(s1.expected.get('/app/svc/setting-4'), s0.expected.get('/app/svc/setting-4'));
  assert.equal(s1.expected.get('/app/svc/setting-8'), undefined);
  assert.equal(s1.expected.get('/app/svc/zsetting-8')?.attr, 'SETTING_8');
  assert.deepEqual([...s1.expected.keys()], [...buildWorkspace({ ...inp, python: [parsePython(text, PY)] }).services[0].expected.keys()]);
  doc.dispose();
});

test('missing-in-env on a large patched service: the findings of a fresh run, those of unchanged parameters kept as objects', () => {
  const lines = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', '', 'class Figs(FigStore):', '    TWIG = "/app/svc"'];
  for (let k = 0; k < 150; k++) lines.push(k % 7 === 3 ? `    SHARED_${k} = SharedFig("db/shared-${k}")` : k % 7 === 4 ? `    REPL_${k} = ReplicatedFig("repl/item-${k}", source="/shared/item-${k}")` : `    SETTING_${k} = AppFig("setting-${k}")`);
  lines.push('', 'FIGS = Figs(lazy_load=True)', '');
  let text = lines.join('\n');
  const secrets = [parseSecretsJson(JSON.stringify({ replicate_figs: { '/dba/x': '/app/svc/db/shared-10' } }), SECRETS)];
  // qa lacks every fourth parameter and a replication source; prod is a new state object half-way.
  const qa = state('qa', { listed: ['/app/svc', '/shared'], params: Array.from({ length: 150 }, (_, k) => (k % 4 ? [`/app/svc/setting-${k}`, `/app/svc/db/shared-${k}`, `/app/svc/repl/item-${k}`] : [])).flat().concat(['/shared/item-4']) });
  let prod = state('prod', { listed: ['/app/svc'], params: [] });
  const doc = new PythonDocParser(PY);
  doc.parse(text);
  let input: BuildInput = { python: [doc.update(text, [])], figgyJson: [], secrets };
  let ws = buildWorkspace(input);
  let last = missingInEnv.run(ctx(ws, [qa, prod]));
  let kept = 0;
  for (let i = 0; i < 40; i++) {
    if (i === 20) prod = state('prod', { listed: ['/app/svc'], params: ['/app/svc/setting-12', '/app/svc/setting-16'] });
    const quotes = [...text.matchAll(/\("/g)].map((m) => m.index! + 2);
    const at = quotes[(i * 37) % quotes.length];
    const { c, next } = change(text, at, at, i % 3 ? 'x' : 'setting-8');
    text = next;
    const inp: BuildInput = { python: [doc.update(text, [c])], figgyJson: [], secrets };
    ws = patchWorkspace({ input, opts: {}, ws }, inp) ?? buildWorkspace(inp);
    input = inp;
    const got = missingInEnv.run(ctx(ws, [qa, prod]));
    const want = missingInEnv.run(ctx(buildWorkspace({ python: [parsePython(text, PY)], figgyJson: [], secrets }), [qa, prod]));
    assert.deepEqual(got, want);
    kept += got.filter((f) => last.includes(f)).length;
    last = got;
  }
  doc.dispose();
  assert.ok(kept > 1000, `findings kept as objects: ${kept}`);
  // The same parameter objects in a service with other secrets or another class name: not taken from the memo.
  const s = ws.services[0];
  const others = { ...s, secrets: [parseSecretsJson(JSON.stringify({ replicate_figs: { '/dba/y': '/app/svc/db/shared-3' } }), SECRETS)] };
  const renamed = { ...s, configPy: { ...s.configPy!, cls: { ...s.configPy!.cls, className: 'Other' } } };
  for (const svc of [others, renamed]) {
    const fresh = buildWorkspace({ python: [parsePython(text, PY)], figgyJson: [], secrets: svc.secrets });
    const want = missingInEnv.run(ctx({ ...fresh, services: [{ ...fresh.services[0], configPy: svc.configPy }] }, [qa, prod]));
    assert.deepEqual(missingInEnv.run(ctx({ ...ws, services: [svc] }, [qa, prod])), want);
  }
});
