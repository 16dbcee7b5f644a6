import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Tree } from 'web-tree-sitter';
import { editsFor, initPython, parsePython, keepsStructure, PythonDocParser, retext, type PythonTextChange } from '../../server/src/parse/python';
import { lineIndex } from '../../server/src/parse/text';
import { fixture } from './python.helpers';
import { initEnvParser, parseTree } from './pyenv.helpers';

const URI = 'file:///work/config.py';

before(async () => {
  await initPython();
  await initEnvParser();
});

/** Every node of a tree, in order: type, offsets, points and text. */
function nodesOf(tree: Tree): string[] {
  const out: string[] = [];
  const c = tree.walk();
  const visit = (): void => {
    const n = c.currentNode;
    out.push(`${n.type} ${n.startIndex}-${n.endIndex} ${n.startPosition.row}:${n.startPosition.column}-${n.endPosition.row}:${n.endPosition.column} ${JSON.stringify(n.text)}`);
    if (c.gotoFirstChild()) {
      do visit();
      while (c.gotoNextSibling());
      c.gotoParent();
    }
  };
  visit();
  c.delete();
  return out;
}

/** An LSP change replacing [start, end) of `text` by `insert`, plus the resulting text. */
function change(text: string, start: number, end: number, insert: string): { c: PythonTextChange; next: string } {
  const li = lineIndex(text);
  return { c: { range: { start: li.positionAt(start), end: li.positionAt(end) }, text: insert }, next: text.slice(0, start) + insert + text.slice(end) };
}

describe('PythonDocParser', () => {
  test('typing a declaration character by character: incremental, same model as a full parse', () => {
    const doc = new PythonDocParser(URI);
    let text = fixture('spec_example.py');
    assert.deepEqual(doc.parse(text), parsePython(text, URI));
    assert.equal(doc.lastParse, 'full');
    const typed = '\n    NEW_ONE = AppFig("new/one", default="é🍏")';
    let at = text.indexOf('\n    SQL_CONNECTION_STRING');
    for (const ch of typed) {
      const { c, next } = change(text, at, at, ch);
      text = next;
      at += ch.length;
      const m = doc.update(text, [c]);
      // Letters typed at the end of a name keep the tree as it is (edited, not parsed).
      const how: string = doc.lastParse;
      assert.ok(how === 'incremental' || how === 'edited', how);
      assert.deepEqual(m, parsePython(text, URI), `after typing ${JSON.stringify(typed.slice(0, at))}`);
    }
    const m = doc.update(text, []);
    assert.ok(m.classes[0].figs.some((f) => f.attr === 'NEW_ONE' && f.name?.value === 'new/one' && f.default?.value === 'é🍏'));
    doc.dispose();
  });

  test('deleting a declaration backwards, several changes in one update', () => {
    const doc = new PythonDocParser(URI);
    let text = fixture('seed_variant.py');
    doc.parse(text);
    const line = '    THIRD_WHEEL = AppFig("third-wheel")  # <--- Add this\n';
    const start = text.indexOf(line);
    // Two changes in one event, the second relative to the text after the first.
    const a = change(text, start + line.length - 5, start + line.length - 1, '');
    const b = change(a.next, start, start + 4, '');
    text = b.next;
    assert.deepEqual(doc.update(text, [a.c, b.c]), parsePython(text, URI));
    assert.equal(doc.lastParse, 'incremental');
    doc.dispose();
  });

  test('CRLF text and non-ASCII edits', () => {
    const doc = new PythonDocParser(URI);
    let text = fixture('non_ascii.py').replace(/\n/g, '\r\n');
    doc.parse(text);
    const at = text.indexOf('"café') + 1;
    const edit = change(text, at, at + 4, '🍏🍏x');
    text = edit.next;
    const m = doc.update(text, [edit.c]);
    assert.equal(doc.lastParse, 'incremental');
    assert.deepEqual(m, parsePython(text, URI));
    assert.equal(m.classes[0].figs[0].name?.value, '🍏🍏x/🍏');
  });

  test('changes that do not match the text held fall back to a full parse', () => {
    const doc = new PythonDocParser(URI);
    const text = fixture('spec_example.py');
    doc.parse(text);
    const edited = text.replace('secret-admirer', 'secret-admirers');
    const wrong = change(text, 0, 0, 'garbage');
    assert.deepEqual(doc.update(edited, [wrong.c]), parsePython(edited, URI));
    assert.equal(doc.lastParse, 'full');
    // A whole-document change (no range) is a full parse too.
    assert.deepEqual(doc.update(text, [{ text }]), parsePython(text, URI));
    assert.equal(doc.lastParse, 'full');
  });

  test('a text without figgy drops the tree; dispose is idempotent; use after dispose re-parses', () => {
    const doc = new PythonDocParser(URI);
    const text = fixture('spec_example.py');
    doc.parse(text);
    const plain = 'print("hello")\n';
    assert.deepEqual(doc.update(plain, [{ text: plain }]).classes, []);
    assert.equal(doc.lastParse, 'skipped');
    const back = change(plain, 0, plain.length, text);
    assert.deepEqual(doc.update(text, [back.c]), parsePython(text, URI));
    assert.equal(doc.lastParse, 'full', 'no tree to reuse after a skipped text');
    doc.dispose();
    doc.dispose();
    assert.deepEqual(doc.update(text, [back.c]), parsePython(text, URI));
    assert.equal(doc.lastParse, 'full');
    doc.dispose();
  });

  test('editsFor computes tree-sitter points from \\n-only rows and UTF-16 columns', () => {
    const text = 'a🍏\r\nbc\n';
    const e = editsFor(text, [{ range: { start: { line: 1, character: 1 }, end: { line: 1, character: 2 } }, text: 'X\nY' }], 'a🍏\r\nbX\nY\n');
    assert.deepEqual(e, [
      {
        startIndex: 6,
        oldEndIndex: 7,
        newEndIndex: 9,
        startPosition: { row: 1, column: 1 },
        oldEndPosition: { row: 1, column: 2 },
        newEndPosition: { row: 2, column: 1 },
      },
    ]);
    assert.equal(editsFor(text, [{ text: 'x' }], 'x'), undefined);
  });

  test('property: random edit sequences give the same model as parsing the result from scratch', () => {
    const sources = ['spec_example.py', 'seed_variant.py', 'non_ascii.py', 'app_lazy.py'].map(fixture);
    const insert = fc.array(fc.constantFrom('(', ')', '[', ']', '"', "'", ',', '=', ' ', '\n', '    ', 'AppFig("x")', 'X = ', 'name=', 'é', '🍏', '#', ':', 'class A(FigStore):\n', 'f"{', '}', '\r\n', '\\'), { maxLength: 6 }).map((a) => a.join(''));
    const op = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat({ max: 30 }), insert });
    fc.assert(
      fc.property(fc.constantFrom(...sources), fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), (src, batches) => {
        const doc = new PythonDocParser(URI);
        try {
          let text = src;
          doc.parse(text);
          for (const batch of batches) {
            const changes: PythonTextChange[] = [];
            for (const o of batch) {
              // Keep surrogate pairs whole: LSP clients never split them.
              let start = Math.floor(o.at * text.length);
              if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start] ?? '')) start--;
              let end = Math.min(text.length, start + o.del);
              if (end < text.length && /[\uDC00-\uDFFF]/.test(text[end] ?? '')) end++;
              const { c, next } = change(text, start, end, o.insert);
              changes.push(c);
              text = next;
            }
            const got = doc.update(text, changes);
            assert.deepEqual(got, parsePython(text, URI));
          }
        } finally {
          doc.dispose();
        }
      }),
      { numRuns: 150, seed: 20240611 },
    );
  });
  test('a generated 5,000-line config.py: edits give the same model as a full parse, and unchanged statements are reused', () => {
    const lines = ['from figgy.figs import AppFig, SharedFig, ReplicatedFig, MergeFig', 'from figgy.fig_store import FigStore', 'PREFIX = "svc"', ''];
    for (let c = 0; c < 8; c++) {
      lines.push(`class Store${c}(FigStore):`, `    TWIG = f"/app/{PREFIX}-${c}"`);
      for (let i = 0; i < 556; i++) {
        if (i % 8 === 0) lines.push(`    # section ${i}`);
        const k = i % 10;
        if (k < 6) lines.push(`    APP_${i} = AppFig("app/${i}", default="d${i}")`);
        else if (k === 6) lines.push(`    SHARED_${i} = SharedFig(f"shared/{PREFIX}/${i}")`);
        else if (k === 7) lines.push(`    REPL_${i} = ReplicatedFig("/shared/r${i}", name="repl/${i}")`);
        else if (k === 8) lines.push(`    MERGE_${i} = MergeFig(name="merge/${i}", pattern=[APP_${i - 8}, ":", SHARED_${i - 2}])`);
        else lines.push(`    PLAIN_${i} = "value ${i}"`);
      }
      lines.push('');
    }
    lines.push('store = Store0(lazy_load=True)', '');
    let text = lines.join('\n');
    assert.ok(text.split('\n').length >= 5000);
    const doc = new PythonDocParser(URI);
    const first = doc.parse(text);
    assert.ok(first.classes.reduce((n, c) => n + c.figs.length, 0) >= 4000);
    // One character in a name, a statement broken and mended, a line added and removed, a CRLF edit.
    const at = (needle: string) => {
      const i = text.indexOf(needle);
      assert.notEqual(i, -1, needle);
      return i;
    };
    // Each step is found in the text as it is by then.
    const steps: (() => [number, number, string])[] = [
      () => [at('"app/300"') + 1, at('"app/300"') + 2, 'b'],
      () => [at('APP_301 = AppFig(') + 16, at('APP_301 = AppFig(') + 17, ''],
      () => [at('APP_301 = AppFig') + 16, at('APP_301 = AppFig') + 16, '('],
      () => [at('    APP_302'), at('    APP_302'), '    NEW = AppFig("new")\n'],
      () => [at('    NEW = AppFig("new")\n'), at('    NEW = AppFig("new")\n') + 24, ''],
      () => [at('class Store5'), at('class Store5'), '\r\n'],
    ];
    let reused = 0;
    for (const step of steps) {
      const [start, end, insert] = step();
      const { c, next } = change(text, start, end, insert);
      text = next;
      const m = doc.update(text, [c]);
      assert.equal(doc.lastParse, 'incremental');
      assert.deepEqual(m, parsePython(text, URI));
      reused += doc.lastReused;
    }
    assert.ok(reused > 4000 * steps.length, `reused ${reused} statements`);
    doc.dispose();
  });
  test('class evaluations reused across edits stay true to a full parse: imports, moved lines, lone CR, aliases', () => {
    const lines = ['from figgy.figs import AppFig, SharedFig', 'from figgy.fig_store import FigStore', 'P = "svc"', '', 'class Figs(FigStore):', '    TWIG = f"/app/{P}"'];
    for (let i = 0; i < 40; i++) lines.push(i % 5 === 4 ? `    ALIAS_${i} = APP_${i - 1}` : `    APP_${i} = AppFig("app/${i}", default="d${i}")`);
    lines.push('    SH = SharedFig("shared/x")', '    EXTRA = AppFig(SharedFig("nested"))', '');
    let text = lines.join('\n');
    const doc = new PythonDocParser(URI);
    assert.deepEqual(doc.parse(text), parsePython(text, URI));
    const edit = (needle: string, del: number, insert: string) => {
      const i = text.indexOf(needle);
      assert.notEqual(i, -1, needle);
      const { c, next } = change(text, i, i + del, insert);
      text = next;
      const m = doc.update(text, [c]);
      assert.deepEqual(m, parsePython(text, URI), `after replacing ${JSON.stringify(needle.slice(0, del))} by ${JSON.stringify(insert)}`);
      return m;
    };
    // A character in one name: every other evaluation is reused.
    edit('app/20"', 5, 'app/2x');
    assert.ok(doc.lastEvalsReused >= 30, `reused ${doc.lastEvalsReused}`);
    // The import now binds AppFig to SharedFig's place: reused statements must not keep their kind.
    let m = edit('AppFig, SharedFig', 17, 'SharedFig as AppFig');
    assert.ok(m.classes[0].figs.filter((f) => f.attr.startsWith('APP_')).every((f) => f.kind === 'SharedFig'));
    m = edit('SharedFig as AppFig', 19, 'AppFig, SharedFig');
    assert.ok(m.classes[0].figs.filter((f) => f.attr.startsWith('APP_')).every((f) => f.kind === 'AppFig'));
    // Lines added and removed above: positions and object ids move.
    edit('    APP_0 ', 0, '    NEW = AppFig("new")\n');
    edit('    NEW = AppFig("new")\n', 24, '');
    // A lone CR is a line break for LSP positions, not for tree-sitter rows (Fig object ids).
    edit('P = "svc"\n', 0, '# a\r');
    edit('# a\r', 4, '# a\n');
    // A later statement shadows APP_3, then goes: the reused APP_3 must not stay shadowed.
    m = edit('    SH = ', 0, '    APP_3 = AppFig("dup")\n');
    assert.ok(m.classes[0].figs.find((f) => f.attr === 'APP_3')?.shadowedBy);
    m = edit('    APP_3 = AppFig("dup")\n', 26, '');
    assert.ok(!m.classes[0].figs.find((f) => f.attr === 'APP_3')?.shadowedBy);
    // The evaluated value itself changes kind: a Fig becomes a plain value and back.
    edit('AppFig("app/10"', 6, 'str');
    edit('str("app/10"', 3, 'AppFig');
    assert.ok(doc.lastEvalsReused > 0);
    doc.dispose();
  });

  test('property: random edits of a class with aliases, nested Figs and module constants give the same model as a full parse', () => {
    const lines = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', 'import figgy.figs as F', 'P = "svc"', '', 'class Figs(FigStore):', '    TWIG = f"/app/{P}"'];
    for (let i = 0; i < 24; i++) {
      const k = i % 6;
      if (k === 0) lines.push(`    A${i} = AppFig("a/${i}")`);
      else if (k === 1) lines.push(`    B${i} = A${i - 1}`);
      else if (k === 2) lines.push(`    C${i} = F.SharedFig(f"{P}/c${i}")`);
      else if (k === 3) lines.push(`    D${i} = MergeFig(name="m/${i}", pattern=[A${i - 3}, ":", C${i - 1}])`);
      else if (k === 4) lines.push(`    E${i} = AppFig(AppFig("inner/${i}"))`);
      else lines.push(`    V${i} = "plain ${i}"`);
    }
    const src = lines.join('\n') + '\n';
    const insert = fc.array(fc.constantFrom('\n', '\r', '    ', 'X', '"', 'AppFig', 'SharedFig', 'F.', '(', ')', 'A0', ' = ', 'import figgy\n', 'P', '#', ','), { maxLength: 4 }).map((a) => a.join(''));
    const op = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat({ max: 12 }), insert });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 8 }), (ops) => {
        const doc = new PythonDocParser(URI);
        try {
          let text = src;
          doc.parse(text);
          for (const o of ops) {
            const start = Math.floor(o.at * text.length);
            const { c, next } = change(text, start, Math.min(text.length, start + o.del), o.insert);
            text = next;
            assert.deepEqual(doc.update(text, [c]), parsePython(text, URI));
          }
        } finally {
          doc.dispose();
        }
      }),
      { numRuns: 200, seed: 20261204 },
    );
  });

  test('property: keystrokes inside one statement of a large class splice it and give the same model as a full parse', () => {
    // A class of closed items with what could make a splice wrong: an open TWIG, two statements on
    // one line, a name bound twice, defs, dunder and private names, nested Figs, plain values, problems;
    // after it (in some variants) an alias reading the class, a subclass, a module-level reference,
    // another class reading it, the store created at module level.
    const base = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', 'P = "svc"', '', 'class Figs(FigStore):', '    TWIG = f"/app/{P}"'];
    for (let i = 0; i < 30; i++) {
      const k = i % 10;
      if (k === 0) base.push(`    A${i} = AppFig("a/${i}", default="d${i}")`);
      else if (k === 1) base.push(`    S${i} = SharedFig("s/${i}")`);
      else if (k === 2) base.push(`    R${i} = ReplicatedFig("/shared/r${i}", name="r/${i}")`);
      else if (k === 3) base.push(`    N${i} = AppFig(AppFig("inner/${i}"))`);
      else if (k === 4) base.push(`    V${i} = "plain ${i}"`);
      else if (k === 5) base.push(`    L${i} = AppFig("l/${i}"); M${i} = AppFig("m/${i}")`);
      else if (k === 6) base.push(`    DUP = AppFig("dup/${i}")`);
      else if (k === 7) base.push(`    def helper_${i}(self):`, '        return 1');
      else if (k === 8) base.push(`    __private_${i} = AppFig("p/${i}")`, `    __dunder_${i}__ = AppFig("u/${i}")`);
      else base.push(`    BAD_${i} = AppFig()`, `    T${i} = (AppFig("t/${i}"), 1)`, `    Z${i} = 1 / 0`);
    }
    base.push('    MERGED = MergeFig(name="merged", pattern=[A10, ":", S11])');
    const tails = [
      '',
      '    LAST = A0\n',
      '\nclass Sub(Figs):\n    TWIG = "/sub"\n',
      '\nX = Figs.A0\n',
      '\nclass Other(FigStore):\n    TWIG = "/o"\n    O = AppFig("o")\n',
      '\nclass Other(FigStore):\n    TWIG = "/o"\n    O = Figs.A0\n',
      '\nFIGS = Figs(P, lazy_load=True)\n',
    ];
    const sources = tails.map((t) => base.join('\n') + '\n' + t);
    const insert = fc.array(fc.constantFrom('x', '1', '"', '(', ')', ',', ' ', '=', 'AppFig', 'A0', 'P', '#', '\\', "'", '\n'), { minLength: 0, maxLength: 3 }).map((a) => a.join(''));
    // Most edits type into a string literal (after the n-th opening quote), as users mostly do.
    const anywhere = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), del: fc.nat({ max: 3 }), insert });
    const typing = fc.record({ quote: fc.nat(), skip: fc.nat({ max: 3 }), del: fc.nat({ max: 1 }), insert: fc.stringMatching(/^[a-z0-9 _/-]{0,2}$/) });
    // Or into the name a statement binds (renaming it), sometimes to a name the class or a later item uses.
    const naming = fc.record({ name: fc.nat(), skip: fc.nat({ max: 3 }), del: fc.nat({ max: 2 }), insert: fc.constantFrom('', 'x', 'Q_', '0', 'A', 'S1', 'DUP', 'P', 'TWIG', '__') });
    // Or replacing that name whole, often by one the class binds or reads (A10 and S11 are read by MERGED).
    const renaming = fc.record({ name: fc.nat(), to: fc.constantFrom('S1', 'DUP', 'A10', 'S11', 'P', 'TWIG', 'MERGED', 'Fresh', 'A0x') });
    const op = fc.oneof({ arbitrary: anywhere, weight: 1 }, { arbitrary: typing, weight: 2 }, { arbitrary: naming, weight: 1 }, { arbitrary: renaming, weight: 1 });
    const quotes = (t: string) => [...t.matchAll(/"(?=[a-z0-9])/g)].map((m) => m.index!);
    const names = (t: string) => [...t.matchAll(/^ {4}(?=\w+ = )/gm)].map((m) => m.index! + 4);
    let spliced = 0;
    let edited = 0;
    let renamed = 0;
    fc.assert(
      fc.property(fc.constantFrom(...sources), fc.array(op, { minLength: 1, maxLength: 10 }), (src, ops) => {
        const doc = new PythonDocParser(URI);
        try {
          let text = src;
          doc.parse(text);
          for (const o of ops) {
            const q = 'name' in o ? names(text) : quotes(text);
            const k = 'name' in o ? o.name : 'quote' in o ? o.quote : 0;
            let edit: { start: number; end: number; insert: string };
            if ('to' in o) {
              const start = q.length ? q[k % q.length] : 0;
              edit = { start, end: start + (/^\w*/.exec(text.slice(start))?.[0].length ?? 0), insert: o.to };
            } else {
              const start = 'at' in o ? Math.floor(o.at * text.length) : q.length ? Math.min(text.length, q[k % q.length] + o.skip + ('quote' in o ? 1 : 0)) : 0;
              edit = { start, end: Math.min(text.length, start + o.del), insert: o.insert };
            }
            const { c, next } = change(text, edit.start, edit.end, edit.insert);
            text = next;
            assert.deepEqual(doc.update(text, [c]), parsePython(text, URI));
            spliced += doc.lastSpliced;
            if (doc.lastParse === 'edited') edited++;
            if ('name' in o && doc.lastSpliced) renamed++;
          }
        } finally {
          doc.dispose();
        }
      }),
      { numRuns: 300, seed: 20261205 },
    );
    // The splice must have been taken, or this test says nothing about it.
    assert.ok(spliced >= 100, `spliced ${spliced} times`);
    // So must keeping the edited tree without a parse.
    assert.ok(edited >= 100, `edited tree kept ${edited} times`);
    // And splicing a statement whose name was typed into.
    assert.ok(renamed >= 30, `renamed statements spliced ${renamed} times`);
  });

  test('a later item that reads a name stops the splice of that name only; so does a later class naming the class', () => {
    let text = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', 'class Figs(FigStore):', '    TWIG = "/app/svc"', '    A = AppFig("a")', '    B = AppFig("b")', '    M = MergeFig(name="m", pattern=[A, ":x"])', ''].join('\n');
    const doc = new PythonDocParser(URI);
    doc.parse(text);
    const type = (needle: string): number => {
      const at = text.indexOf(needle) + needle.length;
      const { c, next } = change(text, at, at, 'q');
      text = next;
      assert.deepEqual(doc.update(text, [c]), parsePython(text, URI));
      return doc.lastSpliced;
    };
    assert.equal(type('AppFig("b'), 1);
    // M reads A: A is read in full.
    assert.equal(type('AppFig("a'), 0);
    // M's own value looks A up: read in full too.
    assert.equal(type('MergeFig(name="m'), 0);
    assert.equal(type('AppFig("b'), 1);
    // Creating the store at module level reads nothing of its namespace; a later class naming it does.
    text += 'FIGS = Figs("svc", lazy_load=True)\n';
    doc.parse(text);
    assert.equal(type('AppFig("b'), 1);
    text += 'class Sub(Figs):\n    pass\n';
    doc.parse(text);
    assert.equal(type('AppFig("b'), 0);
    doc.dispose();
  });

  test('typing inside one Fig of a 5,000-line class splices the class: every keystroke equal to a full parse', () => {
    const lines = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', 'class Figs(FigStore):', '    TWIG = "/app/big"'];
    for (let i = 0; i < 5000; i++) lines.push(`    SETTING_${i} = AppFig("setting-${i}")`);
    let text = lines.join('\n') + '\n';
    const doc = new PythonDocParser(URI);
    doc.parse(text);
    let at = text.indexOf('"setting-2500"') + 5;
    for (const insert of ['x', 'y', '', '', 'z']) {
      const { c, next } = insert ? change(text, at, at, insert) : change(text, at - 1, at, '');
      at += insert ? 1 : -1;
      text = next;
      const m = doc.update(text, [c]);
      assert.equal(doc.lastSpliced, 1);
      assert.equal(doc.lastParse, 'edited');
      assert.deepEqual(m, parsePython(text, URI));
    }
    assert.ok(text.includes('"settzing-2500"'));
    // Typing into the name a statement binds: spliced too, while the new name is one nothing else binds or reads.
    at = text.indexOf('SETTING_2500 ') + 3;
    for (const insert of ['x', 'y', '', '']) {
      const { c, next } = insert ? change(text, at, at, insert) : change(text, at - 1, at, '');
      at += insert ? 1 : -1;
      text = next;
      const m = doc.update(text, [c]);
      assert.equal(doc.lastSpliced, 1);
      assert.deepEqual(m, parsePython(text, URI));
    }
    // Renamed to a name another statement binds: read in full (the first binding is shadowed).
    const dup = text.indexOf('SETTING_2500 ') + 'SETTING_250'.length;
    const { c, next } = change(text, dup, dup + 1, '1');
    text = next;
    assert.deepEqual(doc.update(text, [c]), parsePython(text, URI));
    assert.equal(doc.lastSpliced, 0);
    assert.match(text, /SETTING_2501 = AppFig\("settzing-2500"\)/);
    doc.dispose();
  });

  test('blanks typed and deleted between the tokens of a 5,000-line class: no parse, every keystroke equal to a full parse', () => {
    const lines = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', 'class Figs(FigStore):', '    TWIG = "/app/big"'];
    for (let i = 0; i < 5000; i++) lines.push(`    SETTING_${i} = AppFig("setting-${i}", default = "d")  # note ${i}`);
    let text = lines.join('\n') + '\n';
    const doc = new PythonDocParser(URI);
    doc.parse(text);
    // After the blank before "=", after the one before "default", before the comment; then deleted again.
    const line = text.indexOf('    SETTING_2500 ');
    for (const [col, insert] of [[17, ' '], [18, '\t'], [19, ' '], [19, ''], [18, ''], [17, '']] as const) {
      const start = line + col;
      const { c, next } = insert ? change(text, start, start, insert) : change(text, start, start + 1, '');
      text = next;
      const m = doc.update(text, [c]);
      assert.equal(doc.lastParse, 'edited', `${JSON.stringify(insert)} at column ${col}`);
      assert.deepEqual(m, parsePython(text, URI));
    }
    for (const anchor of ['default = ', '"d")  #']) {
      const start = text.indexOf(anchor, line) + anchor.indexOf(' ') + 1;
      for (const { c, next } of [change(text, start, start, '  ')]) {
        text = next;
        assert.deepEqual(doc.update(text, [c]), parsePython(text, URI));
        assert.equal(doc.lastParse, 'edited', anchor);
      }
    }
    // Between two statements of one line, after the last token of a line, and between the tokens of
    // environment reads and constants (their facts' columns move): no parse, equal to a full parse.
    text += 'class More(FigStore):\n    TWIG = "/app/more"\n    L1 = AppFig("l/1"); M1 = AppFig("m/1")  \n';
    text += 'import os\nP = "X_"\nA = os.environ[P + "A"]; B = os.getenv("B", "d")  # b\nC = os.environ.get( "C" )\n';
    doc.parse(text);
    const spots: [string, number][] = [['; M1', 2], ['")  \n', 3], ['; B', 2], ['[P + ', 3], ['getenv("B", ', 12], ['( "C"', 2], ['"C" )', 4], ['# b', 0]];
    for (const [needle, k] of spots) {
      const start = text.indexOf(needle) + k;
      assert.ok(text[start - 1] === ' ', `${needle}: after a blank`);
      for (const insert of [' ', '\t ', '']) {
        const { c, next } = insert ? change(text, start, start, insert) : change(text, start, start + 1, '');
        text = next;
        assert.deepEqual(doc.update(text, [c]), parsePython(text, URI), `${JSON.stringify(insert)} at ${needle}`);
        assert.equal(doc.lastParse, 'edited', `${JSON.stringify(insert)} at ${needle}`);
      }
    }
    // A blank right after a token, or in the indentation: parsed again, still equal to a full parse.
    for (const start of [text.indexOf('AppFig', line) + 6, line + 2]) {
      const { c, next } = change(text, start, start, ' ');
      text = next;
      assert.deepEqual(doc.update(text, [c]), parsePython(text, URI));
      assert.equal(doc.lastParse, 'incremental');
    }
    doc.dispose();
  });

  /**
   * Random single edits of `src` (at `at`, deleting up to 3 characters, inserting `text`): for every
   * edit keepsStructure accepts, the old tree once edited (reading the new text) must equal a fresh
   * parse node by node, and getChangedRanges must report nothing outside the edited token. Returns how
   * many edits it accepted.
   */
  function checkKeepsStructure(src: string, at: fc.Arbitrary<number>, text: fc.Arbitrary<string>): number {
    let accepted = 0;
    fc.assert(
      fc.property(at, fc.nat({ max: 3 }), text, (start, del, insert) => {
        const end = Math.min(src.length, start + del);
        const next = src.slice(0, start) + insert + src.slice(end);
        const [e] = editsFor(src, [change(src, start, end, insert).c], next)!;
        const old = parseTree(src);
        // Read before old.edit(e), which moves the old tree's nodes.
        const token = old.rootNode.descendantForIndex(start, end)!;
        const [first, last] = [token.startIndex, token.endIndex + e.newEndIndex - e.oldEndIndex];
        const plain = keepsStructure(old, src, next, e);
        old.edit(e);
        // The edited tree, reading the new text, is what PythonDocParser keeps instead of parsing.
        const edited = plain ? nodesOf(retext(old, next)) : [];
        const tree = parseTree(next, old);
        const whole = parseTree(next);
        try {
          if (!plain) return;
          const fresh = nodesOf(whole);
          const i = fresh.findIndex((n, k) => n !== edited[k]);
          assert.ok(i < 0 && edited.length === fresh.length, `${JSON.stringify(insert)} at ${start} (deleting ${del}): ${edited[i]} instead of ${fresh[i]}`);
          assert.equal(tree.rootNode.hasError, false);
          accepted++;
          for (const r of old.getChangedRanges(tree)) assert.ok(r.startIndex >= first && r.endIndex <= last, `${JSON.stringify(insert)} at ${start}: ${r.startIndex}-${r.endIndex} outside ${first}-${last}`);
        } finally {
          old.delete();
          tree.delete();
          whole.delete();
        }
      }),
      { numRuns: 4000, seed: 20261205 },
    );
    return accepted;
  }

  /** Every offset inside (or at the end of) a node of one of `types` in `src`. */
  function offsetsIn(src: string, types: string[]): number[] {
    const whole = parseTree(src);
    try {
      assert.equal(whole.rootNode.hasError, false);
      return whole.rootNode.descendantsOfType(types).flatMap((n) => (n ? Array.from({ length: n.endIndex - n.startIndex + 1 }, (_, i) => n.startIndex + i) : []));
    } finally {
      whole.delete();
    }
  }

  test('property: an edit inside a string keepsStructure accepts leaves the edited tree equal to a fresh parse, node by node', () => {
    // Strings of every kind: f-strings with doubled braces and nested specs, raw and bytes, escapes of
    // every length, triple quotes holding quotes, implicit concatenation.
    const src = String.raw`import os
class Figs(FigStore):
    TWIG = f"/app/{NAME}"
    A = AppFig("setting-1")
    B = ReplicatedFig(name="x", source=r"/shared/a\b")
X = os.environ.get("KEY", f"pre{y}post")
x = """a""\"b{{c}}"""
y = f"{{a}}b\\c{d!r:>{w}}e"
z = rb"\x41\1234"
w = '''it's "q" \''' x'''
v = "\N{DASH}ab\u1234cd\n"
u = f'''{a}''{b}'"c"'''
t = "a" "b" f"{c}d"
`;
    // Most edits land inside a string's content, as typing does; the rest anywhere.
    const at = fc.oneof({ arbitrary: fc.constantFrom(...offsetsIn(src, ['string_content'])), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: src.length - 1 }), weight: 1 });
    const text = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z0-9 _/:.-]{0,3}$/), weight: 3 }, { arbitrary: fc.stringMatching(/^[a-z0-9\\"'{}\n]{0,3}$/), weight: 1 });
    const accepted = checkKeepsStructure(src, at, text);
    assert.ok(accepted > 300, `accepted ${accepted} edits`);
  });

  test('property: an edit inside a name keepsStructure accepts leaves the edited tree equal to a fresh parse, node by node', () => {
    // Names a letter or two away from keywords, hard and soft (print and exec statements, match, type,
    // async, lambda, None, not), names next to strings, calls, attributes and numbers; non-ASCII text
    // before them (offsets are UTF-16 code units on both sides).
    const src = `ünï = "é🍏"
import os
class Figs(FigStore):
    TWIG = f"/app/{NAM}"
    SETTING_1 = AppFig("setting-1")
    prin = AppFig(nam="x")
matc = os.environ.get(KE, 1)
typ = pri(exe, asyn, awai, lambd, Non, Tru, Fals)
if no and o or an:
    i = is_ + el + whil + ret + fo + wit + de + clas + impor + fro + glob + nonloca + yiel + pas + brea + contin + rais + tr + excep + finall + assert_
for x1 in rang(10):
    obj.attr2 = x1.va
cas = _
`;
    const at = fc.oneof({ arbitrary: fc.constantFrom(...offsetsIn(src, ['identifier'])), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: src.length - 1 }), weight: 1 });
    const text = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z_0-9]{0,2}$/), weight: 3 }, { arbitrary: fc.constantFrom('t', 'e', 'h', 'c', 'n', 'f', 'd', 's', 'y', 'l', 'a', 'r', 'k', 'ort', 'al', 'ue', 'se', 'ne', 'ass', 'ept', 'ally', 'ield', 'ith', 'ile', 'ss', 'eak', 'ue', 'ise'), weight: 3 }, { arbitrary: fc.stringMatching(/^[A-Z0-9 ."'(=:\n]{0,2}$/), weight: 1 });
    const accepted = checkKeepsStructure(src, at, text);
    assert.ok(accepted > 300, `accepted ${accepted} edits`);
  });

  test('property: blanks typed or deleted between tokens that keepsStructure accepts leave the edited tree equal to a fresh parse, node by node', () => {
    // Tokens that blanks must not split or join: multi-character operators, numbers of every form,
    // keywords next to brackets, Python 2 print, decorators, lambdas, walrus, match, type aliases;
    // blanks before comments, line ends, backslash continuations and inside brackets over lines; tabs;
    // f-strings whose interpolations hold blanks; implicit concatenation.
    const src = `import os
from figgy.figs import *
@decorator( x )
class Figs(FigStore):
    TWIG = f"/app/{NAME}"
    A = AppFig("setting-1",default=None)  # a comment  here
    B = ReplicatedFig(name = "x" , source=r"/shared/a")	
    C = MergeFig(name="m", pattern=[A,":", B])
x = 1.5e3 + 0x1f*2**3 // 4 - 1j if a==b else c != d
y = not  z and (w := 3) or lambda q,r=2: q<=r
print >>f, x
exec "code"
z = a[1:2,::3] ; v = {**d, 'k':-1}
u = 1 + \
    2
t = ( "a"  "b"
      f"{ c + d }e{f !r:>{ w }}" )
match cmd:
    case [ "go", d ] if d>1:
        pass
type Alias = list[ int ]
async def fn(a, *args, b: int = 3, **kw) -> None :
    return await g( a )
`;
    const blanks = [...src].flatMap((ch, i) => (ch === ' ' || ch === '\t' ? [i, i + 1] : []));
    const boundaries = Array.from({ length: src.length - 1 }, (_, i) => i + 1);
    const at = fc.oneof({ arbitrary: fc.constantFrom(...blanks), weight: 3 }, { arbitrary: fc.constantFrom(...boundaries), weight: 2 });
    const text = fc.oneof({ arbitrary: fc.stringMatching(/^[ \t]{0,3}$/), weight: 5 }, { arbitrary: fc.stringMatching(/^[ a-z=\n]{0,2}$/), weight: 1 });
    const accepted = checkKeepsStructure(src, at, text);
    assert.ok(accepted > 300, `accepted ${accepted} edits`);
  });

  test('keepsStructure refuses what could change the structure: escapes, quotes, braces, keywords, edits between tokens, trees with errors', () => {
    const refuses = (text: string, start: number, end: number, insert: string) => {
      const next = text.slice(0, start) + insert + text.slice(end);
      const [e] = editsFor(text, [change(text, start, end, insert).c], next)!;
      const tree = parseTree(text);
      try {
        return !keepsStructure(tree, text, next, e);
      } finally {
        tree.delete();
      }
    };
    const t = 'A = AppFig("ab\\nc")\nB = f"x{{y"\nC = "xyz"\n';
    assert.equal(refuses(t, t.indexOf('ab') + 1, t.indexOf('ab') + 1, 'q'), false, 'plain letters inside a name are accepted');
    assert.equal(refuses(t, t.indexOf('z"'), t.indexOf('z"') + 1, ''), false, 'deleting the last letter is accepted');
    assert.ok(refuses(t, t.indexOf('\\n') + 1, t.indexOf('\\n') + 2, ''), 'after a backslash');
    assert.ok(refuses(t, t.indexOf('c")'), t.indexOf('c")') + 1, ''), 'next to an escape sequence');
    assert.ok(refuses(t, t.indexOf('\\n'), t.indexOf('\\n'), 'q'), 'right before an escape sequence');
    assert.ok(refuses(t, t.indexOf('ab') + 1, t.indexOf('ab') + 1, '"'), 'a quote');
    assert.ok(refuses(t, t.indexOf('ab') + 1, t.indexOf('ab') + 1, '{'), 'a brace');
    assert.ok(refuses(t, t.indexOf('{{') + 1, t.indexOf('{{') + 1, 'z'), 'between doubled braces');
    assert.ok(refuses(t, t.indexOf('"ab') + 1, t.indexOf('"ab') + 1, 'z'), 'right after the opening quote');
    assert.ok(refuses(t, t.indexOf('= AppFig') + 1, t.indexOf('= AppFig') + 1, 'z'), 'between tokens');
    // Inside a name: letters, digits and underscores after its first character, unless a keyword is made or unmade.
    assert.equal(refuses(t, t.indexOf('AppFig') + 1, t.indexOf('AppFig') + 1, 'z_9'), false, 'inside a name');
    assert.equal(refuses(t, t.indexOf('AppFig') + 6, t.indexOf('AppFig') + 6, 'X'), false, 'at the end of a name');
    assert.ok(refuses(t, t.indexOf('AppFig'), t.indexOf('AppFig'), 'z'), 'at the start of a name');
    assert.ok(refuses(t, t.indexOf('AppFig') + 1, t.indexOf('AppFig') + 1, '.'), 'a dot in a name');
    const k = 'x = Non\ny = matchx\n';
    assert.ok(refuses(k, k.indexOf('Non') + 3, k.indexOf('Non') + 3, 'e'), 'making None');
    assert.ok(refuses(k, k.indexOf('matchx') + 5, k.indexOf('matchx') + 6, ''), 'making a soft keyword');
    const broken = 'A = AppFig("ab"\nB = (\n';
    assert.ok(refuses(broken, broken.indexOf('ab') + 1, broken.indexOf('ab') + 1, 'z'), 'a tree with errors');
    // Blanks: between tokens of a line, not in indentation, strings or comments, never joining tokens.
    const b = 'class Figs(FigStore):\n    A = AppFig("a b")  # c  d\n    B = not x == f"{ y }"\n    C = 1 + \\\n        2\n';
    const at = (s: string, k = 0) => b.indexOf(s) + k;
    assert.equal(refuses(b, at(' = AppFig') + 1, at(' = AppFig') + 1, ' '), false, 'a blank after a blank between tokens');
    assert.equal(refuses(b, at(' x ==') + 1, at(' x ==') + 1, '\t '), false, 'blanks after a keyword and its blank');
    assert.equal(refuses(b, at('  # c') + 1, at('  # c') + 2, ''), false, 'the second of two blanks before a comment');
    assert.ok(refuses(b, at(' = AppFig'), at(' = AppFig'), ' '), 'right after a token (tree.edit would stretch it)');
    assert.ok(refuses(b, at('(FigStore'), at('(FigStore'), ' '), 'between two tokens that touch');
    assert.ok(refuses(b, at('not x') + 3, at('not x') + 4, ''), 'the only blank between two tokens');
    assert.ok(refuses(b, at('    A'), at('    A'), ' '), 'indentation');
    assert.ok(refuses(b, at('    B') + 2, at('    B') + 3, ''), 'inside indentation');
    assert.ok(refuses(b, at('==') + 1, at('==') + 1, ' '), 'splitting an operator');
    assert.ok(refuses(b, at('AppFig') + 3, at('AppFig') + 3, ' '), 'splitting a name');
    assert.ok(refuses(b, at('{ y') + 2, at('{ y') + 2, ' '), 'inside an f-string interpolation');
    assert.ok(refuses(b, at('c  d') + 2, at('c  d') + 3, ''), 'inside a comment');
    assert.ok(refuses(b, at('\\\n') + 1, at('\\\n') + 1, ' '), 'after a line continuation');
  });
});
