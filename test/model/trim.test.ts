import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trimLists } from '../../server/src/model/trim';
import { runParseJob, runParseJobHere } from '../../server/src/model/parseJob';
import { initPython } from '../../server/src/parse/python';

test('trimLists: every list becomes a copy with the same entries; one list stays one list', () => {
  const shared = [1, 2];
  const frozen = Object.freeze([{ a: 1 }]);
  class Box {
    items = [1];
  }
  const box = new Box();
  const items: unknown[] = [];
  items.push({ name: 'a', tags: [] as string[] }, { name: 'b', tags: ['x'] });
  const model = { items, left: { shared }, right: { shared }, frozen, box, nested: [[['deep']]], self: undefined as unknown };
  model.self = model;
  const before = structuredClone(model);
  before.box = box; // (a clone loses the class)
  const out = trimLists(model);
  assert.equal(out, model);
  assert.deepEqual(model, before);
  assert.notEqual(model.items, items, 'a list filled by push is replaced by a copy');
  assert.equal(model.left.shared, model.right.shared, 'a list reached twice is still one list');
  assert.notEqual(model.left.shared, shared);
  assert.equal(model.frozen, frozen);
  assert.equal(model.box, box);
  assert.equal(box.items.length, 1);
  (model.items as { tags: string[] }[])[0].tags.push('later');
  assert.deepEqual((model.items as { tags: string[] }[])[0].tags, ['later'], 'trimmed lists can still grow');
});

test('trimLists leaves a model larger than its bound as it is', () => {
  const big = { rows: Array.from({ length: 250_000 }, (_, i) => ({ i })) };
  const rows = big.rows;
  trimLists(big);
  assert.equal(big.rows, rows);
});

test('runParseJobHere gives the model runParseJob gives', async () => {
  await initPython();
  const text = [
    'import os',
    'from figgy.figs import AppFig, SharedFig',
    'from figgy.fig_store import FigStore',
    'class Figs(FigStore):',
    '    TWIG = "/app/demo"',
    '    A = AppFig("a")',
    '    B = SharedFig("shared/b")',
    'DEBUG = os.environ.get("DEBUG", "0")',
  ].join('\n');
  const job = { uri: 'file:///w/config.py', text, named: 'python' as const, scanSecrets: true };
  assert.deepEqual(runParseJobHere(job), runParseJob(job));
  const json = { uri: 'file:///w/figgy.json', text: '{"twig": "/app/demo", "app_figs": ["/app/demo/a"]}', named: 'figgy-json' as const, scanSecrets: true };
  assert.deepEqual(runParseJobHere(json), runParseJob(json));
});
