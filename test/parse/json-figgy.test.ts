import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFiggyJson, MAX_JSON_CHARS } from '../../server/src/parse/figgyJson';
import type { FiggyJsonModel, MergePart } from '../../server/src/parse/types';
import { marked, textAt } from './json-markers';

const FIX = join(__dirname, '..', 'fixtures', 'json');
const URI = 'file:///ws/svc/figgy/figgy.json';

function codes(m: FiggyJsonModel): string[] {
  return m.errors.map((e) => e.code);
}

function partSummary(p: MergePart): string {
  switch (p.kind) {
    case 'literal':
      return `lit:${p.value}`;
    case 'ref':
      return `ref:${p.path}${p.uri ? ':uri' : ''}`;
    case 'unknown':
      return `unknown:${p.text}`;
    case 'attr':
      return `attr:${p.attr}`;
  }
}

describe('parseFiggyJson: the spec example', () => {
  const text = readFileSync(join(FIX, 'spec-figgy.json'), 'utf8');
  const m = parseFiggyJson(text, URI);

  test('reads every section without errors', () => {
    assert.deepEqual(m.errors, []);
    assert.equal(m.uri, URI);
    assert.equal(m.twig?.value, '/app/demo-service');
    assert.equal(m.derivedTwig, undefined);
    assert.deepEqual(m.appFigs.map((a) => a.value), ['/app/demo-service/admired-person', '/app/demo-service/secret-admirer']);
    assert.deepEqual(m.sharedFigs.map((a) => a.value), ['/app/demo-service/replicated/sql/password', '/app/demo-service/replicated/sql/user']);
    assert.deepEqual(
      m.replicateFigs.map((r) => [r.source.value, r.dest.value]),
      [
        ['/shared/resources/dbs/fig-db/dns', '/app/demo-service/replicated/sql/hostname'],
        ['/shared/resources/dbs/fig-db/port', '/app/demo-service/replicated/sql/port'],
      ],
    );
    assert.equal(m.mergedFigs.length, 1);
    const mf = m.mergedFigs[0];
    assert.equal(mf.dest.value, '/app/demo-service/replicated/sql-connection');
    assert.equal(mf.value.form, 'list');
    assert.deepEqual(mf.value.parts.map(partSummary), [
      'lit:mysql://',
      'ref:/app/demo-service/replicated/sql/user:uri',
      'lit::',
      'ref:/app/demo-service/replicated/sql/password:uri',
      'lit:@',
      'ref:/app/demo-service/replicated/sql/hostname',
      'lit::',
      'ref:/app/demo-service/replicated/sql/port',
    ]);
    assert.deepEqual(m.imports, []);
    assert.deepEqual(m.legacyKeys, []);
    assert.equal(m.replicateFrom, undefined);
  });

  test('every located value covers exactly its quoted JSON string', () => {
    const all = [
      m.twig!,
      ...m.appFigs,
      ...m.sharedFigs,
      ...m.replicateFigs.flatMap((r) => [r.source, r.dest]),
      ...m.mergedFigs.map((x) => x.dest),
    ];
    for (const l of all) assert.equal(textAt(text, l.range), JSON.stringify(l.value));
    for (const p of m.mergedFigs[0].value.parts) {
      const s = p.kind === 'ref' ? `\${${p.path}${p.uri ? ':uri' : ''}}` : p.kind === 'literal' ? p.value : '?';
      assert.equal(textAt(text, p.range), JSON.stringify(s));
    }
    assert.ok(textAt(text, m.mergedFigs[0].value.range).startsWith('['));
    assert.ok(textAt(text, m.mergedFigs[0].value.range).endsWith(']'));
  });
});

describe('parseFiggyJson: keys', () => {
  test('replicate_from with parameters, import, ignored service/plugins', () => {
    const { text, ranges } = marked(`{
  "twig": "/app/a/",
  "replicate_from": ⟦{"source_twig": ⟦"/app/other"⟧, "parameters": [⟦"x/y"⟧, "z"]}⟧,
  "import": [⟦"../common.json"⟧],
  "service": {"anything": [1, 2]},
  "plugins": "whatever"
}`);
    const m = parseFiggyJson(text, URI);
    assert.deepEqual(m.errors, []);
    assert.equal(m.twig?.value, '/app/a/');
    assert.deepEqual(m.replicateFrom?.range, ranges[0]);
    assert.equal(m.replicateFrom?.sourceTwig?.value, '/app/other');
    assert.deepEqual(m.replicateFrom?.sourceTwig?.range, ranges[1]);
    assert.deepEqual(m.replicateFrom?.parameters.map((p) => p.value), ['x/y', 'z']);
    assert.deepEqual(m.replicateFrom?.parameters[0].range, ranges[2]);
    assert.equal(m.replicateFrom?.figsKey, undefined);
    assert.deepEqual(m.imports.map((i) => i.value), ['../common.json']);
    assert.deepEqual(m.imports[0].range, ranges[3]);
  });

  test("replicate_from with the docs' `figs` key records figsKey and reads no parameters", () => {
    const { text, ranges } = marked('{"twig": "/app/a", "replicate_from": {"source_twig": "/app/o", ⟦"figs"⟧: ["p"]}}');
    const m = parseFiggyJson(text, URI);
    assert.deepEqual(m.errors, []);
    assert.deepEqual(m.replicateFrom?.figsKey, ranges[0]);
    assert.deepEqual(m.replicateFrom?.parameters, []);
  });

  test('unknown keys are warnings at the key, at top level and inside replicate_from', () => {
    const { text, ranges } = marked('{"twig": "/app/a", ⟦"app_fig"⟧: [], "replicate_from": {⟦"source"⟧: "/app/o"}}');
    const m = parseFiggyJson(text, URI);
    const unk = m.errors.filter((e) => e.code === 'json-unknown-key');
    assert.equal(unk.length, 2);
    assert.ok(unk.every((e) => e.severity === 'warning'));
    assert.deepEqual(unk.map((e) => e.range), ranges);
    assert.match(unk[0].message, /app_fig/);
  });

  test('merged_figs single-string form is split into located parts (escapes included)', () => {
    const { text, ranges } = marked(String.raw`{"twig": "/app/a", "merged_figs": {"url": "⟦postgres:\/\/⟧⟦${'$'}{/app/a/user:uri}⟧⟦@h\u0041st:⟧⟦${'$'}{/app/a/port}⟧⟦/db${'$'}{oops⟧"}}`);
    const m = parseFiggyJson(text, URI);
    assert.deepEqual(m.errors, []);
    const v = m.mergedFigs[0].value;
    assert.equal(v.form, 'string');
    assert.equal(v.form === 'string' && v.value, 'postgres://${/app/a/user:uri}@hAst:${/app/a/port}/db${oops');
    assert.deepEqual(v.parts.map(partSummary), ['lit:postgres://', 'ref:/app/a/user:uri', 'lit:@hAst:', 'ref:/app/a/port', 'unknown:/db${oops']);
    assert.deepEqual(v.parts.map((p) => p.range), ranges);
  });

  test('merged_figs list: only an exact ${/p} or ${/p:uri} is a ref; other text with ${ is unknown', () => {
    const m = parseFiggyJson('{"twig": "/app/a", "merged_figs": {"d": ["${/a}", "${/b:uri}", "x${/c}", "${/d:url}", "plain", "$", ""]}}', URI);
    assert.deepEqual(m.errors, []);
    assert.deepEqual(m.mergedFigs[0].value.parts.map(partSummary), ['ref:/a', 'ref:/b:uri', 'unknown:x${/c}', 'unknown:${/d:url}', 'lit:plain', 'lit:$', 'lit:']);
  });

  test('relative names are kept as written', () => {
    const m = parseFiggyJson('{"twig": "/app/a", "app_figs": ["x", "/y"], "shared_figs": ["s/t"], "replicate_figs": {"/shared/q": "r"}}', URI);
    assert.deepEqual(m.appFigs.map((a) => a.value), ['x', '/y']);
    assert.deepEqual(m.sharedFigs.map((a) => a.value), ['s/t']);
    assert.equal(m.replicateFigs[0].dest.value, 'r');
  });
});

describe('parseFiggyJson: legacy keys', () => {
  // Today's figgy-cli reads none of the old names: they declare nothing and are only recorded for the
  // legacy-key rule (with their replacement for the rename fix).
  const cases: [string, string, string][] = [
    ['namespace', 'twig', '"/app/old"'],
    ['app_parameters', 'app_figs', '["/app/old/a"]'],
    ['shared_parameters', 'shared_figs', '["s"]'],
    ['merged_parameters', 'merged_figs', '{"d": ["${/p}"]}'],
    ['replication_config', 'replicate_figs', '{"/shared/s": "d"}'],
  ];
  for (const [old, rep, value] of cases) {
    test(`${old} is recorded with its replacement and declares nothing`, () => {
      const { text, ranges } = marked(`{"twig": "/app/new", ⟦"${old}"⟧: ${value}}`);
      const m = parseFiggyJson(text, URI);
      assert.deepEqual(m.errors, []);
      assert.equal(m.twig?.value, '/app/new');
      assert.deepEqual([m.appFigs, m.sharedFigs, m.mergedFigs, m.replicateFigs], [[], [], [], []]);
      assert.deepEqual(m.legacyKeys, [{ key: old, replacement: rep, range: ranges[0] }]);
    });
  }

  test('only old names: no twig, and no json-no-twig error either (the legacy-key errors say it, with the fix)', () => {
    const m = parseFiggyJson('{"namespace": "/app/old/", "app_parameters": ["/app/old/a"]}', URI);
    assert.equal(m.twig, undefined);
    assert.deepEqual(codes(m), []);
    assert.equal(m.legacyKeys.length, 2);
    // Only an old shared_parameters: nothing tells the namespace, so json-no-twig stays.
    assert.deepEqual(codes(parseFiggyJson('{"shared_parameters": ["s"]}', URI)), ['json-no-twig']);
  });
});

describe('parseFiggyJson: errors with exact ranges', () => {
  test('comments are syntax errors', () => {
    const { text, ranges } = marked('{"twig": "/app/a" ⟦// hi⟧\n}');
    const m = parseFiggyJson(text, URI);
    assert.deepEqual(codes(m), ['json-syntax']);
    assert.deepEqual(m.errors[0].range, ranges[0]);
    assert.match(m.errors[0].message, /comment/);
    assert.equal(m.twig?.value, '/app/a');
  });

  test('a trailing comma is named as such', () => {
    const { text, ranges } = marked('{"twig": "/app/a", "app_figs": ["x",⟦]⟧}');
    const m = parseFiggyJson(text, URI);
    assert.deepEqual(codes(m), ['json-syntax']);
    assert.deepEqual(m.errors[0].range, ranges[0]);
    assert.match(m.errors[0].message, /trailing comma/);
  });

  test('missing comma, unterminated string, empty file, byte-order mark', () => {
    let { text, ranges } = marked('{"twig": "/app/a" ⟦"app_figs"⟧: []}');
    let m = parseFiggyJson(text, URI);
    assert.equal(m.errors[0].code, 'json-syntax');
    assert.deepEqual(m.errors[0].range, ranges[0]);
    assert.match(m.errors[0].message, /expected ","/);

    ({ text, ranges } = marked('{"twig": ⟦"/app/a}⟧'));
    m = parseFiggyJson(text, URI);
    assert.equal(m.errors[0].code, 'json-syntax');
    assert.deepEqual(m.errors[0].range, ranges[0]);
    assert.match(m.errors[0].message, /unterminated string/);

    m = parseFiggyJson('  \n', URI);
    assert.deepEqual(codes(m), ['json-syntax']);
    assert.match(m.errors[0].message, /empty/);

    m = parseFiggyJson('\ufeff{"twig": "/app/a"}', URI);
    assert.equal(m.errors[0].code, 'json-syntax');
    assert.match(m.errors[0].message, /byte-order mark/);
  });

  test('wrong types are reported at the offending value and skipped', () => {
    const { text, ranges } = marked(`{
  "twig": "/app/a",
  "app_figs": ["ok", ⟦3⟧, ⟦null⟧],
  "shared_figs": ⟦"not-a-list"⟧,
  "replicate_figs": {"/shared/x": ⟦["d"]⟧, "/shared/y": "fine"},
  "merged_figs": {"m": ⟦{"a": 1}⟧, "n": ["a", ⟦false⟧]},
  "replicate_from": {"source_twig": ⟦7⟧, "parameters": ⟦{}⟧},
  "import": ⟦"one.json"⟧
}`);
    const m = parseFiggyJson(text, URI);
    assert.ok(m.errors.every((e) => e.code === 'json-type' && e.severity === 'error'), JSON.stringify(m.errors));
    assert.deepEqual(m.errors.map((e) => e.range), ranges);
    assert.deepEqual(m.appFigs.map((a) => a.value), ['ok']);
    assert.deepEqual(m.sharedFigs, []);
    assert.deepEqual(m.replicateFigs.map((r) => r.source.value), ['/shared/y']);
    assert.deepEqual(m.mergedFigs.map((x) => x.dest.value), ['n']);
    assert.deepEqual(m.mergedFigs[0].value.parts.map(partSummary), ['lit:a']);
    assert.equal(m.replicateFrom?.sourceTwig, undefined);
    assert.deepEqual(m.imports, []);
  });

  test('a root that is not an object, and a twig that is not a string', () => {
    let m = parseFiggyJson('["/app/a/x"]', URI);
    assert.deepEqual(codes(m), ['json-type']);
    const { text, ranges } = marked('{"twig": ⟦["/app/a"]⟧, "app_figs": ["/app/a/x"]}');
    m = parseFiggyJson(text, URI);
    assert.deepEqual(codes(m), ['json-type']);
    assert.deepEqual(m.errors[0].range, ranges[0]);
    assert.equal(m.twig, undefined);
    // figgy-cli takes "" as the namespace "/": accepted, with a warning.
    m = parseFiggyJson('{"twig": ""}', URI);
    assert.deepEqual(m.errors.map((e) => [e.code, e.severity]), [['json-twig', 'warning']]);
    assert.equal(m.twig?.value, '');
  });

  test('duplicate keys: a warning on the later one, last value kept (as Python does, so figgy-cli accepts it)', () => {
    const { text, ranges } = marked('{⟦"twig"⟧: "/app/first", ⟦"twig"⟧: "/app/second", "replicate_figs": {⟦"/s"⟧: "a", ⟦"/s"⟧: "b"}}');
    const m = parseFiggyJson(text, URI);
    assert.deepEqual(codes(m), ['json-duplicate-key', 'json-duplicate-key']);
    assert.ok(m.errors.every((e) => e.severity === 'warning'));
    assert.equal(m.twig?.value, '/app/second');
    assert.deepEqual(m.replicateFigs.map((r) => r.dest.value), ['b']);
    // Errors come in document order of the groups: top level first, then replicate_figs.
    assert.deepEqual(m.errors[0].range, ranges[1]);
    assert.deepEqual(m.errors[0].related?.[0].range, ranges[0]);
    assert.deepEqual(m.errors[1].range, ranges[3]);
    assert.deepEqual(m.errors[1].related?.[0].range, ranges[2]);
  });
});

describe('parseFiggyJson: no twig', () => {
  test('derived when every app_figs entry is under one /app/<service>/ (info, recorded at the first)', () => {
    const { text, ranges } = marked('{"app_figs": [⟦"/app/svc-1/a/b"⟧, "/app/svc-1/c"]}');
    const m = parseFiggyJson(text, URI);
    assert.equal(m.twig, undefined);
    assert.deepEqual(m.derivedTwig, { value: '/app/svc-1', range: ranges[0] });
    assert.deepEqual(codes(m), ['json-no-twig']);
    assert.equal(m.errors[0].severity, 'info');
    assert.deepEqual(m.errors[0].range, ranges[0]);
    assert.match(m.errors[0].message, /\/app\/svc-1/);
  });

  // figgy-cli picks the entry with set(app_figs).pop(): which one depends on Python's hash seed.
  test('an entry without the prefix, or two services: error at that entry (figgy-cli picks one at random)', () => {
    let { text, ranges } = marked('{"app_figs": ["/app/svc/a", ⟦"relative"⟧]}');
    let m = parseFiggyJson(text, URI);
    assert.equal(m.derivedTwig, undefined);
    assert.deepEqual(m.errors.map((e) => [e.code, e.severity, e.range]), [['json-no-twig', 'error', ranges[0]]]);
    assert.match(m.errors[0].message, /at random/);
    ({ text, ranges } = marked('{"app_figs": ["/app/one/a", ⟦"/app/two/b"⟧]}'));
    m = parseFiggyJson(text, URI);
    assert.deepEqual(m.errors.map((e) => [e.code, e.severity, e.range]), [['json-no-twig', 'error', ranges[0]]]);
    assert.match(m.errors[0].message, /\/app\/one and \/app\/two/);
  });

  test('app_figs without a derivable entry: error at that entry', () => {
    const { text, ranges } = marked('{"app_figs": [⟦"a"⟧, "/shared/x/y", "/app/no-slash"]}');
    const m = parseFiggyJson(text, URI);
    assert.equal(m.derivedTwig, undefined);
    assert.deepEqual(codes(m), ['json-no-twig']);
    assert.equal(m.errors[0].severity, 'error');
    assert.deepEqual(m.errors[0].range, ranges[0]);
  });

  test('an empty app_figs: error at the app_figs key', () => {
    const { text, ranges } = marked('{⟦"app_figs"⟧: []}');
    const m = parseFiggyJson(text, URI);
    assert.deepEqual(m.errors.map((e) => [e.code, e.severity, e.range]), [['json-no-twig', 'error', ranges[0]]]);
  });

  test('neither twig nor app_figs: error at the opening brace', () => {
    const { text, ranges } = marked('\n  ⟦{⟧"shared_figs": ["a"]}');
    const m = parseFiggyJson(text, URI);
    assert.deepEqual(codes(m), ['json-no-twig']);
    assert.equal(m.errors[0].severity, 'error');
    assert.deepEqual(m.errors[0].range, ranges[0]);
  });
});

describe('parseFiggyJson: positions and hostile input', () => {
  test('columns count UTF-16 code units and CRLF line ends are handled', () => {
    const { text, ranges } = marked('{\r\n  "twig": "/app/a", "service": "🍎🍐",\r\n  "app_figs": [⟦"é"⟧]\r\n}');
    const m = parseFiggyJson(text, URI);
    assert.deepEqual(m.appFigs[0].range, ranges[0]);
    assert.deepEqual(ranges[0], { start: { line: 2, character: 15 }, end: { line: 2, character: 18 } });
    const { text: t2, ranges: r2 } = marked('{"service": "🍎", "twig": ⟦"/app/a"⟧}');
    const m2 = parseFiggyJson(t2, URI);
    assert.deepEqual(m2.twig?.range, r2[0]);
    assert.equal(r2[0].start.character, 26); // the apple is two code units
  });

  test('input over 5 MB: one clear error, empty model, fast', () => {
    const big = `{"app_figs": [${'"x",'.repeat(Math.ceil(MAX_JSON_CHARS / 4))}"y"]}`;
    const t0 = performance.now();
    const m = parseFiggyJson(big, URI);
    assert.ok(performance.now() - t0 < 500);
    assert.deepEqual(codes(m), ['json-too-large']);
    assert.deepEqual(m.appFigs, []);
    assert.match(m.errors[0].message, /5 MB/);
  });

  test('binary input (NUL byte): one clear error at the NUL, empty model', () => {
    const { text, ranges } = marked('{"twig": "/app/a"⟦\u0000⟧}');
    const m = parseFiggyJson(text, URI);
    assert.deepEqual(codes(m), ['json-binary']);
    assert.deepEqual(m.errors[0].range, ranges[0]);
    assert.equal(m.twig, undefined);
  });

  test('a secret-looking value never appears in any message', () => {
    const secret = 'hunter2-SECRET-value';
    const m = parseFiggyJson(`{"twig": "/app/a", "app_figs": [{"v": "${secret}"}], "merged_figs": {"d": 5}, "extra": "${secret}"`, URI);
    assert.ok(m.errors.length >= 3);
    for (const e of m.errors) assert.ok(!e.message.includes(secret), e.message);
  });
});
