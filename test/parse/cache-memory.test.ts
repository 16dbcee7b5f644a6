// The caches kept between extractions of an open document (credential lines, environment-statement
// mirrors and replays) are keyed by statement or line text. A key cut from the document is, in V8, a
// view of the whole text of that version: 200 keystrokes kept 200 versions alive (31 MiB for a 0.23
// MiB settings.py, 64 MiB for a 0.3 MiB config.py) before the keys were copied (parse/text.ts detach).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { initPython, PythonDocParser } from '../../server/src/parse/python';
import { lineIndex } from '../../server/src/parse/text';
import { LineMemo, scanCredentials } from '../../server/src/parse/credentials';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

before(async () => {
  await initPython();
});

/** Heap growth in MiB over `edits` keystrokes, after full collections. */
function growth(edits: number, keystroke: (i: number) => void): number {
  keystroke(-1);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < edits; i++) keystroke(i);
  gc();
  return (process.memoryUsage().heapUsed - before) / 1048576;
}

test('the credential line memo keeps no old version of the document alive', () => {
  const lines = Array.from({ length: 5000 }, (_, k) => `    SETTING_${k} = AppFig("setting-${k}")  # a comment to make the line longer`);
  const memo = new LineMemo();
  const mib = growth(200, (i) => {
    if (i >= 0) lines[(i * 37) % lines.length] = `    SETTING_${i} = AppFig("edited-${i}")  # a comment to make the line longer`;
    scanCredentials({ text: lines.join('\n'), uri: 'file:///ws/config.py', kind: 'python' }, { lineMemo: memo });
  });
  assert.ok(mib < 10, `heap grew ${mib.toFixed(1)} MiB over 200 keystrokes (text ${(lines.join('\n').length / 1048576).toFixed(2)} MiB)`);
});

test('the environment extraction caches keep no old version of the document alive', () => {
  const lines = ['import os', ...Array.from({ length: 3000 }, (_, k) => `SETTING_${k} = os.environ.get("SETTING_${k}", "default value ${k} with padding")`)];
  let text = lines.join('\n');
  const doc = new PythonDocParser('file:///ws/settings.py');
  doc.parse(text);
  const mib = growth(200, (i) => {
    if (i < 0) return;
    const at = text.indexOf('"default value 1500') + 1;
    const li = lineIndex(text);
    text = text.slice(0, at) + 'x' + text.slice(at);
    doc.update(text, [{ range: { start: li.positionAt(at), end: li.positionAt(at) }, text: 'x' }]);
  });
  doc.dispose();
  assert.ok(mib < 10, `heap grew ${mib.toFixed(1)} MiB over 200 keystrokes`);
});

test('a FigStore class spliced keystroke after keystroke keeps no old version of the document alive', () => {
  const lines = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', '', 'class Figs(FigStore):', '    TWIG = "/app/svc"'];
  for (let k = 0; k < 3000; k++) lines.push(`    SETTING_${k} = AppFig("setting-${k}-with-a-longer-name")`);
  lines.push('');
  let text = lines.join('\n');
  const doc = new PythonDocParser('file:///ws/config.py');
  doc.parse(text);
  let kept: unknown;
  const mib = growth(200, (i) => {
    if (i < 0) return;
    // Each keystroke in another statement: every statement's Fig is made in a different version.
    const at = text.indexOf(`AppFig("setting-${(i * 13) % 3000}-`) + 'AppFig("'.length;
    const li = lineIndex(text);
    text = text.slice(0, at) + 'x' + text.slice(at);
    kept = doc.update(text, [{ range: { start: li.positionAt(at), end: li.positionAt(at) }, text: 'x' }]);
  });
  assert.ok(kept);
  doc.dispose();
  assert.ok(mib < 10, `heap grew ${mib.toFixed(1)} MiB over 200 keystrokes (text ${(text.length / 1048576).toFixed(2)} MiB)`);
});
