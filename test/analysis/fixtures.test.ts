// Fixture workspaces through the real parsers: every finding must sit exactly on a `«code|text»` marker
// and every marker must be matched (see test/fixtures/rules/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseFiggyJson } from '../../server/src/parse/figgyJson';
import { parseSecretsJson } from '../../server/src/parse/secretsJson';
import { initPython, parsePython } from '../../server/src/parse/python';
import { before } from 'node:test';
import { buildWorkspace } from '../../server/src/model/build';
import { runRules } from '../../server/src/analysis/index';
import type { Range } from '../../server/src/parse/types';
import { ctx, loadState, walk } from './helpers';

before(async () => {
  await initPython();
});

const ROOT = join(__dirname, '..', 'fixtures', 'rules');

interface Marker {
  codes: string[];
  range: Range;
}

/** Removes `«codes|text»` markers, returning the clean text and each marker's range in it. */
export function stripMarkers(src: string): { text: string; markers: Marker[] } {
  let text = '';
  let line = 0;
  let col = 0;
  const markers: Marker[] = [];
  const open: { codes: string[]; start: { line: number; character: number } }[] = [];
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (ch === '«') {
      const bar = src.indexOf('|', i);
      open.push({ codes: src.slice(i + 1, bar).split(','), start: { line, character: col } });
      i = bar;
      continue;
    }
    if (ch === '»') {
      const o = open.pop()!;
      markers.push({ codes: o.codes, range: { start: o.start, end: { line, character: col } } });
      continue;
    }
    text += ch;
    if (ch === '\n') {
      line++;
      col = 0;
    } else col += ch.length;
  }
  return { text, markers };
}



const key = (code: string, uri: string, r: Range) => `${code} ${uri} ${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

for (const name of readdirSync(ROOT).filter((n) => statSync(join(ROOT, n)).isDirectory()).sort()) {
  test(`fixture ${name}: findings match the markers exactly`, () => {
    const dir = join(ROOT, name);
    const input = { python: [] as ReturnType<typeof parsePython>[], figgyJson: [] as ReturnType<typeof parseFiggyJson>[], secrets: [] as ReturnType<typeof parseSecretsJson>[] };
    const expected: string[] = [];
    for (const file of walk(dir)) {
      const rel = relative(dir, file);
      const uri = `file:///fixture/${name}/${rel}`;
      const base = rel.split('/').pop();
      if (base !== 'figgy.json' && base !== 'figgy-secrets.json' && !base?.endsWith('.py')) continue;
      const { text, markers } = stripMarkers(readFileSync(file, 'utf8'));
      for (const m of markers) for (const c of m.codes) expected.push(key(c, uri, m.range));
      if (base?.endsWith('.py')) input.python.push(parsePython(text, uri));
      else if (base === 'figgy.json') input.figgyJson.push(parseFiggyJson(text, uri));
      else input.secrets.push(parseSecretsJson(text, uri));
    }
    const ws = buildWorkspace(input);
    const findings = runRules(ctx(ws, loadState(join(dir, 'state.json'))));
    const actual = findings.map((f) => key(f.code, f.uri, f.range));
    assert.deepEqual([...actual].sort(), [...expected].sort(), findings.map((f) => `${f.code}: ${f.message}`).join('\n'));
  });
}

test('stripMarkers computes ranges in the cleaned text', () => {
  const { text, markers } = stripMarkers('ab «x,y|cd»\n«z|e»f');
  assert.equal(text, 'ab cd\nef');
  assert.deepEqual(markers, [
    { codes: ['x', 'y'], range: { start: { line: 0, character: 3 }, end: { line: 0, character: 5 } } },
    { codes: ['z'], range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } } },
  ]);
});
