import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { flat, lineIndex, detach, position, range, sharedName } from '../../server/src/parse/text';
import { parsePython, initPython } from '../../server/src/parse/python';
import { parseFiggyJson } from '../../server/src/parse/figgyJson';
import type { Range } from '../../server/src/parse/types';

test('equal positions and ranges are one frozen object; the values are what was asked', () => {
  const a = position(3, 7);
  assert.equal(position(3, 7), a);
  assert.deepEqual(a, { line: 3, character: 7 });
  assert.ok(Object.isFrozen(a));
  const r = range(position(1, 2), { line: 1, character: 9 });
  assert.equal(range({ line: 1, character: 2 }, position(1, 9)), r);
  assert.deepEqual(r, { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } });
  assert.ok(Object.isFrozen(r));
  assert.notEqual(range(position(1, 2), position(1, 8)), r);
});

test('positions past the shared bounds are made fresh, with the right values', () => {
  for (const [line, character] of [[20_000, 1], [1, 5_000], [100_000, 100_000]]) {
    const p = position(line, character);
    assert.deepEqual(p, { line, character });
    assert.notEqual(position(line, character), p);
    assert.deepEqual(range(position(0, 0), p), { start: { line: 0, character: 0 }, end: { line, character } });
  }
  // A long line's positions (a minified file) keep their columns.
  const text = `${'x'.repeat(3000)}\nab`;
  const li = lineIndex(text);
  assert.deepEqual(li.positionAt(2500), { line: 0, character: 2500 });
  assert.deepEqual(li.rangeAt(3001, 2), { start: { line: 1, character: 0 }, end: { line: 1, character: 2 } });
});

test('property: range(start, end) equals { start, end } by value, whatever the numbers', () => {
  const n = fc.oneof(fc.nat(40), fc.nat(2_000_000));
  fc.assert(
    fc.property(n, n, n, n, (a, b, c, d) => {
      const r = range({ line: a, character: b }, { line: c, character: d });
      assert.deepEqual(r, { start: { line: a, character: b }, end: { line: c, character: d } });
      assert.deepEqual(position(a, b), { line: a, character: b });
    }),
    { numRuns: 500 },
  );
});

test('two services alike share their models\' ranges (what keeps a large workspace small)', async () => {
  await initPython();
  const py = (i: number) => `from figgy.figs import *\nfrom figgy.fig_store import FigStore\nclass Figs(FigStore):\n    TWIG = "/app/s${i}"\n    A = AppFig("a")\n`;
  const ranges = (v: unknown, out: Range[] = []): Range[] => {
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.start && o.end && typeof (o.start as { line?: unknown }).line === 'number') out.push(o as unknown as Range);
      else for (const x of Object.values(o)) ranges(x, out);
    }
    return out;
  };
  const a = ranges(parsePython(py(1), 'file:///a/config.py'));
  const b = ranges(parsePython(py(2), 'file:///b/config.py'));
  assert.ok(a.length >= 3, `ranges in a Python model: ${a.length}`);
  assert.equal(a.length, b.length);
  a.forEach((r, i) => assert.equal(b[i], r));
  const json = (i: number) => JSON.stringify({ twig: `/app/s${i}`, app_figs: [`/app/s${i}/a`] }, null, 2);
  const ja = ranges(parseFiggyJson(json(1), 'file:///a/figgy.json'));
  const jb = ranges(parseFiggyJson(json(2), 'file:///b/figgy.json'));
  assert.ok(ja.length >= 2);
  ja.forEach((r, i) => assert.equal(jb[i], r));
});

test('flat, detach and sharedName give back the same characters, whatever the string was built from', () => {
  const text = `prefix ${'x'.repeat(40)} /app/service-name/replicated/sql/password suffix`;
  const cut = text.slice(text.indexOf('/app'), text.indexOf(' suffix'));
  const built = ['/app/', 'service-name', '/replicated/', 'sql/password'].reduce((a, b) => a + b);
  for (const s of [cut, built, '', 'DB_PASSWORD', 'é⚠︎\u{1F511} key', '\ud800 lone', `${'long-name-'.repeat(10)}`, text.repeat(3)]) {
    assert.equal(flat(s), s);
    assert.equal(detach(s), s);
    assert.equal(sharedName(s), s);
    assert.equal(sharedName(s), sharedName(`${s}`));
  }
  fc.assert(fc.property(fc.string({ maxLength: 100 }), (s) => flat(s) === s && detach(s) === s && sharedName(s) === s));
});
