import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mergeFiggyJson, parseFiggyJson } from '../../server/src/parse/figgyJson';
import { marked } from './json-markers';

const BASE = 'file:///ws/svc/figgy.json';
const IMP = 'file:///ws/svc/common.json';
const IMP2 = 'file:///ws/svc/more.json';

describe('mergeFiggyJson', () => {
  test('lists are concatenated, objects unioned; imported entries carry their uri', () => {
    const base = parseFiggyJson(
      '{"twig": "/app/s", "app_figs": ["a"], "shared_figs": ["s1"], "replicate_figs": {"/shared/1": "r1"}, "merged_figs": {"m1": ["x"]}, "import": ["common.json"]}',
      BASE,
    );
    const imp = parseFiggyJson('{"app_figs": ["b"], "shared_figs": ["s2"], "replicate_figs": {"/shared/2": "r2"}, "merged_figs": {"m2": ["${/p}"]}, "import": ["nested.json"]}', IMP);
    const m = mergeFiggyJson(base, [imp]);
    assert.deepEqual(m.errors, []);
    assert.equal(m.uri, BASE);
    assert.equal(m.twig?.value, '/app/s');
    assert.deepEqual(m.appFigs.map((a) => [a.value, a.uri]), [['a', undefined], ['b', IMP]]);
    assert.deepEqual(m.sharedFigs.map((a) => [a.value, a.uri]), [['s1', undefined], ['s2', IMP]]);
    assert.deepEqual(m.replicateFigs.map((r) => [r.source.value, r.source.uri, r.dest.uri]), [
      ['/shared/1', undefined, undefined],
      ['/shared/2', IMP, IMP],
    ]);
    assert.deepEqual(m.mergedFigs.map((x) => [x.dest.value, x.dest.uri]), [['m1', undefined], ['m2', IMP]]);
    // figgy-cli does not follow an imported file's own imports; the list is concatenated like any other.
    assert.deepEqual(m.imports.map((i) => [i.value, i.uri]), [['common.json', undefined], ['nested.json', IMP]]);
    // Ranges of imported entries are those in the imported file.
    assert.deepEqual(m.appFigs[1].range, imp.appFigs[0].range);
  });

  test('a key defined in two files is an error on the later one, pointing at both', () => {
    const { text: bt, ranges: br } = marked('{"twig": "/app/s", "replicate_figs": {⟦"/shared/x"⟧: "a"}, "merged_figs": {⟦"m"⟧: ["1"]}}');
    const { text: it, ranges: ir } = marked('{"replicate_figs": {⟦"/shared/x"⟧: "b"}, "merged_figs": {⟦"m"⟧: ["2"]}}');
    const m = mergeFiggyJson(parseFiggyJson(bt, BASE), [parseFiggyJson(it, IMP)]);
    const dups = m.errors.filter((e) => e.code === 'json-import-duplicate');
    assert.equal(dups.length, 2);
    assert.deepEqual(dups.map((e) => [e.uri, e.range]), [
      [IMP, ir[0]],
      [IMP, ir[1]],
    ]);
    assert.deepEqual(dups.map((e) => e.related?.map((r) => [r.uri, r.range])), [[[BASE, br[0]]], [[BASE, br[1]]]]);
    assert.ok(dups.every((e) => e.severity === 'error'));
    // The first definition stays in the model; the conflicting one is not added.
    assert.deepEqual(m.replicateFigs.map((r) => r.dest.value), ['a']);
    assert.deepEqual(m.mergedFigs.map((x) => x.value.parts.length), [1]);
  });

  test('duplicates between two imported files point at the earlier imported file', () => {
    const base = parseFiggyJson('{"twig": "/app/s"}', BASE);
    const a = parseFiggyJson('{"merged_figs": {"m": ["1"]}}', IMP);
    const b = parseFiggyJson('{"merged_figs": {"m": ["2"]}}', IMP2);
    const m = mergeFiggyJson(base, [a, b]);
    assert.deepEqual(m.errors.map((e) => [e.code, e.uri, e.related?.[0].uri]), [['json-import-duplicate', IMP2, IMP]]);
  });

  test('an imported twig stops figgy-cli: json-import-scalar in the imported file', () => {
    const { text, ranges } = marked('{"twig": ⟦"/app/other"⟧, "app_figs": ["x"]}');
    const m = mergeFiggyJson(parseFiggyJson('{"twig": "/app/s"}', BASE), [parseFiggyJson(text, IMP)]);
    assert.deepEqual(m.errors.map((e) => [e.code, e.uri, e.range]), [['json-import-scalar', IMP, ranges[0]]]);
    assert.equal(m.twig?.value, '/app/s');
  });

  test("an imported file's own parse errors are kept, marked with its uri; its missing twig is not an error", () => {
    const m = mergeFiggyJson(parseFiggyJson('{"twig": "/app/s"}', BASE), [parseFiggyJson('{"app_figs": [1]}', IMP)]);
    assert.deepEqual(m.errors.map((e) => [e.code, e.uri]), [['json-type', IMP]]);
  });

  test('without a twig the namespace may come from an imported app_figs entry', () => {
    const base = parseFiggyJson('{"shared_figs": ["x"]}', BASE);
    assert.equal(base.errors[0].severity, 'error');
    const imp = parseFiggyJson('{"app_figs": ["/app/svc/a"]}', IMP);
    const m = mergeFiggyJson(base, [imp]);
    assert.equal(m.derivedTwig?.value, '/app/svc');
    assert.equal(m.derivedTwig?.uri, IMP);
    assert.deepEqual(m.errors.map((e) => [e.code, e.severity]), [['json-no-twig', 'info']]);
    assert.equal(m.errors[0].related?.[0].uri, IMP);
  });

  test('replicate_from: taken from an import when the base has none; overlapping keys collide', () => {
    const base = parseFiggyJson('{"twig": "/app/s"}', BASE);
    const imp = parseFiggyJson('{"replicate_from": {"source_twig": "/app/o", "parameters": ["p"]}}', IMP);
    let m = mergeFiggyJson(base, [imp]);
    assert.equal(m.replicateFrom?.sourceTwig?.uri, IMP);
    assert.deepEqual(m.replicateFrom?.parameters.map((p) => [p.value, p.uri]), [['p', IMP]]);

    const base2 = parseFiggyJson('{"twig": "/app/s", "replicate_from": {"source_twig": "/app/o", "parameters": ["q"]}}', BASE);
    m = mergeFiggyJson(base2, [imp]);
    assert.deepEqual(m.errors.map((e) => e.code), ['json-import-duplicate', 'json-import-duplicate']);
    assert.deepEqual(m.replicateFrom?.parameters.map((p) => p.value), ['q']);
  });

  test('is pure: the inputs are not modified', () => {
    const base = parseFiggyJson('{"twig": "/app/s", "app_figs": ["a"], "replicate_from": {"parameters": ["q"]}}', BASE);
    const imp = parseFiggyJson('{"app_figs": ["b"], "twig": "/app/t", "replicate_from": {"source_twig": "/app/o"}}', IMP);
    const before = JSON.stringify([base, imp]);
    const m = mergeFiggyJson(base, [imp]);
    assert.equal(JSON.stringify([base, imp]), before);
    assert.equal(m.appFigs.length, 2);
    assert.equal(m.replicateFrom?.sourceTwig?.value, '/app/o');
    assert.deepEqual(mergeFiggyJson(base, []), base);
  });
});
