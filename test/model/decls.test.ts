import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initPython, parsePython } from '../../server/src/parse/python';
import { configPyDecls, mergeRefs, storeFigs } from '../../server/src/model/decls';

before(async () => {
  await initPython();
});

const SRC = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', 'class Figs(FigStore):', '    TWIG = "/app/svc"', '    B = AppFig("b")', '    A = AppFig("a")', '    M = MergeFig(name="m", pattern=[A, ":", B])', ''].join('\n');

test('what is derived from one model object is derived once, and again for another twig, uri or class', () => {
  const cls = parsePython(SRC, 'file:///w/config.py').classes[0];
  assert.equal(storeFigs(cls), storeFigs(cls));
  assert.deepEqual(storeFigs(cls).map((f) => f.attr), ['A', 'B', 'M']);
  const d1 = configPyDecls('file:///w/config.py', cls);
  const d2 = configPyDecls('file:///w/config.py', cls);
  assert.notEqual(d1, d2);
  d1.forEach((d, i) => assert.equal(d, d2[i]));
  // The same Figs under another twig or in another file are other declarations.
  const other = configPyDecls('file:///w/other.py', { ...cls, twig: undefined }, '/app/other');
  assert.deepEqual(other.map((d) => d.path), ['/app/other/a', '/app/other/b', '/app/other/m']);
  assert.deepEqual(other.map((d) => d.uri), ['file:///w/other.py', 'file:///w/other.py', 'file:///w/other.py']);
  assert.deepEqual(d1.map((d) => d.path), ['/app/svc/a', '/app/svc/b', '/app/svc/m']);
  // Merge references: once per list of declarations and class.
  const refs = mergeRefs(d1, cls);
  assert.equal(mergeRefs(d1, cls), refs);
  assert.deepEqual(refs.map((r) => r.path), ['/app/svc/a', '/app/svc/b']);
  assert.notEqual(mergeRefs(d1, undefined), refs);
  assert.deepEqual(mergeRefs(d1.filter((d) => !d.merge), cls), []);
});
