// The parse cache (model/parseCache.ts) under `orchard check`'s scan: an unchanged tree comes back
// from it whole and checks the same as a fresh parse; a changed file alone is parsed again; values
// from the files never reach the disk in the clear; a damaged, foreign, special or concurrently
// written cache file is a miss, never an error or a hang.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ParseCache } from '../../server/src/model/parseCache';
import type { ParseJob, ParseOutcome } from '../../server/src/model/parseJob';
import { position, range } from '../../server/src/parse/text';
import { scanWorkspace, type ScannedFiles } from '../../server/src/model/scan';
import { check } from '../../server/src/cli/checkFull';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');
const CANARY = 'CANARY-pc-"q"-\'s\'-\\-\n-9c1e7';
const BUILD = 'test-build';

let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'orchard-parse-cache-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh folder with a copy of `from` (or the given files). */
function folder(name: string, from?: string, files: Record<string, string> = {}): string {
  const ws = path.join(tmp, name, 'ws');
  if (from) cpSync(from, ws, { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(ws, rel)), { recursive: true });
    writeFileSync(path.join(ws, rel), text);
  }
  return ws;
}

const cacheDir = (ws: string) => path.join(path.dirname(ws), 'cache');
const open = (ws: string, build = BUILD) => ParseCache.open({ dir: cacheDir(ws), root: ws, build });
const scan = (ws: string, cache?: ParseCache): Promise<ScannedFiles> => scanWorkspace(ws, { cache, pool: false, syncIo: true });
/** A scan as data: what a consumer of the scan could tell apart (undefined and absent alike, as JSON). */
const data = (s: ScannedFiles) => JSON.stringify({ ...s, gitStatus: [...(s.gitStatus ?? [])], baseline: [...(s.baseline ?? [])] });
const cacheFiles = (ws: string) => readdirSync(path.join(cacheDir(ws), 'parse')).filter((n) => n.endsWith('.cache'));

test('an unchanged tree comes back from the cache whole: every file a hit, the same scan and findings as parsing', async () => {
  const ws = folder('whole', FIXTURES);
  const first = open(ws);
  const parsed = await scan(ws, first);
  assert.equal(first.stats.hits, 0);
  assert.ok(first.stats.stored > 300, `stored ${first.stats.stored}`);
  assert.equal(cacheFiles(ws).length, 1);
  // Large enough that loading decodes it in several pieces, lines running across them.
  const size = statSync(path.join(cacheDir(ws), 'parse', cacheFiles(ws)[0])).size;
  assert.ok(size > 256 * 1024, `cache file of ${size} bytes`);
  const again = open(ws);
  const cached = await scan(ws, again);
  assert.equal(again.stats.hits, first.stats.stored);
  assert.equal(again.stats.stored, 0);
  assert.equal(data(cached), data(parsed));
  assert.equal(data(cached), data(await scan(ws)));
  // The whole check (models, rules, findings) from cached outcomes is the one from parsing.
  const store = path.join(tmp, 'whole', 'store');
  const opts = { format: 'json' as const, failOn: 'never' as const, store };
  const fromCache = await check(ws, opts, { parseCache: { dir: cacheDir(ws), build: BUILD } });
  const fresh = await check(ws, opts, { parseCache: false });
  assert.ok(fresh.findings.length > 100, `${fresh.findings.length} findings`);
  assert.deepEqual(fromCache.findings, fresh.findings);
});

test('ranges and positions come back as the shared ones; an outcome with a `~` key is not stored', async () => {
  const ws = folder('tuples', undefined, {});
  const job = (uri: string): ParseJob => ({ uri, text: uri, scanSecrets: false });
  const shared = range(position(3, 8), position(3, 30));
  // Beyond the shared bounds (a very long line): kept as it is, not shared.
  const far = { start: { line: 2, character: 5000 }, end: { line: 2, character: 5004 } };
  // Range-like but not a range (a third key), a four-number list, a position alone.
  const outcomes: Record<string, object> = {
    'file:///a': { kind: 'python', relevant: true, model: { uri: 'file:///a', r: shared, far, other: { start: position(1, 1), end: position(1, 2), note: 'x' }, nums: [1, 2, 3, 4], at: position(7, 1) } },
    'file:///b': { kind: 'python', relevant: true, model: { uri: 'file:///b', '~r': [1, 2, 3, 4] } },
    'file:///c': { kind: 'python', relevant: true, model: { uri: 'file:///c', list: [{ '~p': [1, 2] }] } },
  };
  const first = open(ws);
  for (const [uri, o] of Object.entries(outcomes)) first.remember(uri, ParseCache.keyOf(job(uri)), structuredClone(o) as ParseOutcome);
  await first.save();
  const again = open(ws);
  const a = again.lookup(job('file:///a'), ParseCache.keyOf(job('file:///a'))) as unknown as { model: Record<string, unknown> };
  assert.deepEqual(a, outcomes['file:///a']);
  assert.equal(a.model.r, shared, 'the shared range itself');
  assert.equal(a.model.at, position(7, 1), 'the shared position itself');
  assert.ok(Object.isFrozen(a.model.r));
  assert.ok(!Object.isFrozen(a.model.far));
  assert.equal((a.model.other as { start: unknown }).start, position(1, 1));
  // Keys that look like the file's own tags: not stored, parsed again next time.
  assert.equal(again.lookup(job('file:///b'), ParseCache.keyOf(job('file:///b'))), undefined);
  assert.equal(again.lookup(job('file:///c'), ParseCache.keyOf(job('file:///c'))), undefined);
  assert.equal(again.stats.hits, 1);
});

test('a changed file alone is parsed again; a deleted one leaves the cache', async () => {
  const ws = folder('changed', path.join(FIXTURES, 'apps'));
  const first = open(ws);
  await scan(ws, first);
  const py = (readdirSync(ws, { recursive: true }) as string[]).filter((n) => n.endsWith('.py')).sort();
  assert.ok(py.length > 5, `${py.length} .py files`);
  writeFileSync(path.join(ws, py[0]), `${readFileSync(path.join(ws, py[0]), 'utf8')}\nEXTRA = AppFig("extra")\n`);
  unlinkSync(path.join(ws, py[1]));
  const second = open(ws);
  const s = await scan(ws, second);
  assert.equal(second.stats.stored, 1);
  assert.equal(second.stats.hits, first.stats.stored - 2);
  assert.equal(data(s), data(await scan(ws)));
  // The deleted file's entry went with the save: the next scan stores nothing and hits the rest.
  const third = open(ws);
  await scan(ws, third);
  assert.deepEqual([third.stats.hits, third.stats.stored], [first.stats.stored - 1, 0]);
});

test('values from the files never reach the disk in the clear; the folder and files are private', async () => {
  const ws = folder('values', undefined, {
    '.env': `API_TOKEN="${CANARY.replace(/\n/g, '\\n')}"\nPLAIN=${CANARY.split('\n')[0]}\n`,
    'app/settings.py': `import os\nSECRET_KEY = os.environ.get("SECRET_KEY", ${JSON.stringify(CANARY)})\nDEBUG = os.getenv("DEBUG", "${CANARY.split('\n')[1]}")\n`,
    'config.py': `from figgy.figs import *\nclass Figs(FigStore):\n    TWIG = "/app/values"\n    TOKEN = AppFig("token", default=${JSON.stringify(CANARY)})\n`,
    // Characters beyond ASCII in a path and a value come back as they were.
    'données/.env': 'NOM=café ☕ \u{1F600}\nAUTRE=naïve\n',
  });
  const c = open(ws);
  const parsed = await scan(ws, c);
  // The scan holds the values (so the cache had them to store)...
  const held = data(parsed);
  assert.ok(held.includes(JSON.stringify(CANARY.split('\n')[0]).slice(1, -1)), 'the scan should hold the value');
  // ...and reads them back from the cache,
  const back = open(ws);
  assert.equal(data(await scan(ws, back)), held);
  assert.ok(back.stats.hits >= 4);
  assert.ok(held.includes('café ☕ \u{1F600}'), 'the non-ASCII value should be in the scan');
  // but no file of the cache folder holds any part of them, in any encoding.
  const dir = path.join(cacheDir(ws), 'parse');
  const pieces = [CANARY, ...CANARY.split('\n'), JSON.stringify(CANARY).slice(1, -1), 'CANARY-pc'];
  const needles = (p: string) => [Buffer.from(p, 'utf8'), Buffer.from(p, 'utf16le'), Buffer.from(Buffer.from(p).toString('base64')), Buffer.from(Buffer.from(p).toString('hex'))];
  for (const n of readdirSync(dir)) {
    const bytes = readFileSync(path.join(dir, n));
    for (const p of pieces) for (const needle of needles(p)) assert.ok(!bytes.includes(needle), `${n} holds ${JSON.stringify(p)} as ${JSON.stringify(needle.toString('latin1'))}`);
  }
  if (process.platform !== 'win32') {
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    for (const n of readdirSync(dir)) assert.equal(statSync(path.join(dir, n)).mode & 0o777, 0o600, n);
  }
});

test('a damaged, foreign or special cache file is a miss, never an error or a hang', async () => {
  const ws = folder('damaged', path.join(FIXTURES, 'dotenv'));
  const first = open(ws);
  const expected = data(await scan(ws, first));
  assert.ok(first.stats.stored > 3);
  const file = path.join(cacheDir(ws), 'parse', cacheFiles(ws)[0]);
  const good = readFileSync(file);
  const damaged: [string, () => void][] = [
    ['a byte flipped', () => writeFileSync(file, Buffer.from(good.map((b, i) => (i === good.length >> 1 ? b ^ 1 : b))))],
    ['cut short', () => writeFileSync(file, good.subarray(0, 40))],
    ['empty', () => writeFileSync(file, '')],
    ['another file', () => writeFileSync(file, '{"entries": []}\n')],
  ];
  if (process.platform !== 'win32') {
    damaged.push([
      'a FIFO',
      () => {
        unlinkSync(file);
        execFileSync('mkfifo', [file]);
      },
    ]);
  }
  for (const [what, damage] of damaged) {
    rmSync(file, { force: true });
    writeFileSync(file, good);
    damage();
    const t = Date.now();
    const c = open(ws);
    assert.equal(data(await scan(ws, c)), expected, what);
    assert.deepEqual([c.stats.hits, c.stats.stored], [0, first.stats.stored], what);
    assert.ok(Date.now() - t < 10_000, `${what}: ${Date.now() - t} ms`);
  }
  // Another build's cache is a file of its own; this one's entries are not read by it.
  const other = open(ws, 'another-build');
  await scan(ws, other);
  assert.equal(other.stats.hits, 0);
  // A key that is not the one the file was sealed with reads nothing.
  const key = path.join(cacheDir(ws), 'parse', 'key');
  const c = open(ws);
  await scan(ws, c);
  writeFileSync(key, Buffer.alloc(32, 7));
  const rekeyed = open(ws);
  await scan(ws, rekeyed);
  assert.equal(rekeyed.stats.hits, 0);
  if (process.platform !== 'win32') {
    // A key others can read, or one Orchard did not make: the cache is not used (and says why).
    chmodSync(key, 0o644);
    const loose = open(ws);
    assert.match(loose.stats.disabled ?? '', /other users/);
    await scan(ws, loose);
    assert.equal(loose.stats.hits, 0);
    chmodSync(key, 0o600);
    writeFileSync(key, 'short');
    assert.match(open(ws).stats.disabled ?? '', /not one Orchard made/);
  }
  // A cache folder that cannot be made: the scan goes on without one.
  const blocked = ParseCache.open({ dir: path.join(file, 'below-a-file'), root: ws, build: BUILD });
  assert.match(blocked.stats.disabled ?? '', /cannot be used/);
  assert.equal(data(await scan(ws, blocked)), expected);
});

test('scans saving the same folder at once leave one whole cache', async () => {
  const ws = folder('concurrent', path.join(FIXTURES, 'credentials'));
  const a = open(ws);
  const b = open(ws);
  await Promise.all([scanWorkspace(ws, { cache: a, pool: false }), scanWorkspace(ws, { cache: b, pool: false })]);
  assert.equal(cacheFiles(ws).length, 1);
  assert.equal(readdirSync(path.join(cacheDir(ws), 'parse')).filter((n) => n.endsWith('.tmp')).length, 0);
  const c = open(ws);
  await scan(ws, c);
  assert.equal(c.stats.hits, a.stats.stored);
  assert.ok(c.stats.hits > 3);
});
