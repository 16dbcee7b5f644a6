// `node --import tsx bench/pyupdate.ts` (not a test): the Python part of a keystroke alone —
// PythonDocParser.update (tree-sitter's incremental re-parse, the Figgy extraction with its reused
// statements and evaluations, the environment reader) on the 5,000-line config.py that bench/lsp.ts
// types into, 60 keystrokes typed into and deleted from one string. Prints measured numbers only.
// To compare two commits, bundle this file in each (esbuild --bundle --platform=node, with the two
// .wasm files beside the bundle) and run them one after the other.
import { initPython, PythonDocParser } from '../server/src/parse/python';
import { lineIndex } from '../server/src/parse/text';

const KEYS = 60;

async function main(): Promise<void> {
  await initPython();
  const out = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', 'SERVICE_NAME: str = "bench-service"', '', '', 'class Figs(FigStore):', '    TWIG: str = f"/app/{SERVICE_NAME}"'];
  for (let k = 0; out.length < 4999; k++) {
    if (k % 50 === 1) out.push(`    SHARED_${k} = SharedFig("shared/item-${k}")`);
    else if (k % 50 === 2) out.push(`    REPL_${k} = ReplicatedFig(name="repl/item-${k}", source="/shared/item-${k}")`);
    else out.push(`    SETTING_${k} = AppFig("setting-${k}")`);
  }
  let text = out.join('\n') + '\n';
  const doc = new PythonDocParser('file:///bench/config.py');
  const t0 = performance.now();
  doc.parse(text);
  const first = performance.now() - t0;
  const line = 2600;
  const col = text.split('\n')[line].indexOf('"') + 3;
  const times: number[] = [];
  for (let i = 0; i < KEYS; i++) {
    const typing = i < KEYS / 2;
    const c = col + (typing ? i : KEYS - 1 - i);
    const off = lineIndex(text).offsetAt({ line, character: c });
    const next = typing ? text.slice(0, off) + 'x' + text.slice(off) : text.slice(0, off) + text.slice(off + 1);
    const t = performance.now();
    doc.update(next, [{ range: { start: { line, character: c }, end: { line, character: typing ? c : c + 1 } }, text: typing ? 'x' : '' }]);
    times.push(performance.now() - t);
    text = next;
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))].toFixed(1);
  console.log(`PythonDocParser on a 5,000-line config.py: first parse ${first.toFixed(1)} ms; per keystroke (${KEYS}) p50 ${pct(50)} ms, p95 ${pct(95)} ms; last update reused ${doc.lastReused} statements, ${doc.lastEvalsReused} evaluations`);
  doc.dispose();
}

void main();
