// The warm-check cache of the built CLI: an unchanged tree, settings and local store are answered
// from disk with byte-identical output and exit code; any change to a file, a file's git/ignore
// status, the store, the settings or the format is a miss; --no-cache and a damaged cache still
// give the full answer; the cache holds no value.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const EXAMPLE = path.join(ROOT, 'examples', 'flask-service');
const CANARY = 'CANARY-cache-"q"-\\\\-\n-7f3a';

let tmp: string;
let ws: string;
let store: string;
let cache: string;
let config: string;

function orchard(args: string[], input = ''): { code: number; out: string; err: string; ms: number } {
  const t = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: tmp, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ORCHARD_CONFIG: config, ORCHARD_CACHE_DIR: cache }, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr, ms: Date.now() - t };
}

const check = (...extra: string[]) => orchard(['check', ws, '--store', store, ...extra]);
/** Entries in the cache folder (one meta file per checked path and settings). */
const entries = () => readdirSync(path.join(cache, 'check')).filter((n) => /^[0-9a-f]{32}\.json$/.test(n));
/** Makes a file look older than the cache entry, so only its content can tell a change. */
const age = (file: string) => utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'orchard-cache-'));
  ws = path.join(tmp, 'ws');
  store = path.join(tmp, 'store');
  cache = path.join(tmp, 'cache');
  cpSync(EXAMPLE, ws, { recursive: true });
  for (const f of ['src/config.py', 'figgy/figgy.json', 'figgy/figgy-secrets.json']) age(path.join(ws, f));
  config = path.join(tmp, 'config.json');
  writeFileSync(config, JSON.stringify({ environments: { dev: { backend: 'local' }, qa: { backend: 'local' } }, defaultEnvs: ['dev', 'qa'] }));
  assert.equal(orchard(['put', '/app/demo-service/secret-admirer', '--env', 'dev', '--secure', '--value-file', '-', '--store', store], CANARY).code, 0);
});

after(() => rmSync(tmp, { recursive: true, force: true }));

test('an unchanged tree is answered from the cache: same bytes, same exit code; changes are misses', () => {
  const cold = check('--format', 'json');
  assert.equal(cold.code, 1, cold.err);
  assert.equal(entries().length, 1, 'the cold run wrote one entry');
  const meta = path.join(cache, 'check', entries()[0]);
  const results = () => readdirSync(path.join(cache, 'check')).filter((n) => !/^[0-9a-f]{32}\.json$/.test(n)).map((n) => [n, statSync(path.join(cache, 'check', n)).mtimeMs]);
  // A hit may add the walk's folder stamps to the entry (once its folders are a second old): nothing else changes.
  const described = () => {
    const { walk: _stamps, ...rest } = JSON.parse(readFileSync(meta, 'utf8')) as Record<string, unknown>;
    return rest;
  };
  const before = [results(), described()];
  const warm = check('--format', 'json');
  assert.deepEqual([results(), described()], before, 'a hit: nothing recomputed or rewritten');
  assert.equal(warm.code, cold.code);
  assert.equal(warm.out, cold.out, 'byte-identical output');
  const full = check('--format', 'json', '--no-cache');
  assert.equal(full.out, cold.out, '--no-cache gives the same answer');

  // Another format of the same result: rendered from the cached findings, identical to a full run.
  const text = check();
  assert.equal(text.out, check('--no-cache').out);
  assert.match(text.out, /missing-in-env/);

  // A file's content changes with the same size and an old mtime: the hash tells.
  const py = path.join(ws, 'src', 'config.py');
  const original = readFileSync(py, 'utf8');
  writeFileSync(py, original.replace('AppFig("third-wheel")', 'AppFig("third-wheex")'));
  age(py);
  const edited = check('--format', 'json');
  assert.notEqual(edited.out, cold.out);
  assert.match(edited.out, /third-wheex/);
  // The entry now describes the edited tree; the first result's files are gone (named by state, never mixed up).
  assert.equal(readdirSync(path.join(cache, 'check')).filter((n) => n.endsWith('.findings.json')).length, 1);
  writeFileSync(py, original);
  age(py);
  assert.equal(check('--format', 'json').out, cold.out, 'back to the first content: the first answer');

  // A write to the store is a miss (its change token moved).
  assert.equal(orchard(['put', '/app/demo-service/third-wheel', '--env', 'qa', '--value-file', '-', '--store', store], 'w').code, 0);
  const afterPut = check('--format', 'json');
  assert.doesNotMatch(afterPut.out, /third-wheel[^"]*is missing in [^"]*qa/);
  assert.notEqual(afterPut.out, cold.out);

  // A new file (a second service) and different settings are misses.
  writeFileSync(path.join(ws, 'src', 'other_config.py'), 'from figgy.figs import *\nfrom figgy.fig_store import FigStore\nclass More(FigStore):\n    TWIG: str = "/app/more"\n    X = AppFig("x")\n');
  assert.match(check('--format', 'json').out, /\/app\/more\/x/);
  assert.doesNotMatch(check('--format', 'json', '--severity', 'missing-in-env=off').out, /missing-in-env/);
  assert.match(check('--format', 'json').out, /missing-in-env/);
});

test('a hit loads only the command line: the engine (dist/engine.js) loads on a miss, for --no-cache, and for other commands', () => {
  // Preloaded: says on stderr when the CLI requires its engine file.
  const spy = path.join(tmp, 'engine-spy.js');
  writeFileSync(spy, `const M = require('module'); const load = M._load; M._load = function (req, ...rest) { if (/engine\\.js$/.test(req)) process.stderr.write('engine loaded\\n'); return load.call(this, req, ...rest); };`);
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, ['-r', spy, CLI, ...args], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ORCHARD_CONFIG: config, ORCHARD_CACHE_DIR: cache }, maxBuffer: 64 * 1024 * 1024 });
    return { code: r.status, out: r.stdout, engine: r.stderr.includes('engine loaded') };
  };
  const args = ['check', ws, '--store', store, '--format', 'sarif', '--fail-on', 'never'];
  // The test before wrote into the tree's folders: a folder changed within a second of a walk is not
  // trusted to replay it (the engine walks again), and with the parse cache the checks since may
  // have taken less than that. Wait it out, so what this test sees is the hit path alone.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1100);
  const first = run(args);
  const second = run(args);
  assert.deepEqual([first.code, second.code], [0, 0]);
  assert.equal(second.out, first.out);
  assert.equal(second.engine, false, 'a hit with its output stored');
  assert.equal(run([...args, '--no-cache']).engine, true, '--no-cache');
  assert.equal(run(['rules']).engine, true, 'orchard rules');
  assert.equal(run(['--version']).engine, false, '--version');
  // An unknown rule in --severity is still a usage error (checked by the engine before it walks).
  const bad = run([...args, '--severity', 'no-such-rule=off']);
  assert.equal(bad.code, 2);
  assert.equal(bad.engine, true);
});

test('another build of the same version does not answer from this build\'s entries (nor this one from its)', () => {
  // The same bundle with another build id, as a rebuild from changed sources has.
  const other = path.join(tmp, 'other-dist');
  cpSync(path.join(ROOT, 'dist'), other, { recursive: true });
  let replaced = 0;
  for (const f of ['cli.js', 'engine.js']) {
    const file = path.join(other, f);
    const text = readFileSync(file, 'utf8').replace(/(var BUILD_ID = [^"]*")[0-9a-f]+"/, (_m, head: string) => {
      replaced++;
      return `${head}0123456789abcdef0123456789abcdef"`;
    });
    writeFileSync(file, text);
  }
  assert.equal(replaced, 2, 'both bundles carry the build id');
  const spy = path.join(tmp, 'engine-spy-2.js');
  writeFileSync(spy, `const M = require('module'); const load = M._load; M._load = function (req, ...rest) { if (/engine\\.js$/.test(req)) process.stderr.write('engine loaded\\n'); return load.call(this, req, ...rest); };`);
  const run = (cli: string) => {
    const r = spawnSync(process.execPath, ['-r', spy, cli, 'check', ws, '--store', store, '--format', 'json', '--fail-on', 'never'], { cwd: tmp, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ORCHARD_CONFIG: config, ORCHARD_CACHE_DIR: cache }, maxBuffer: 64 * 1024 * 1024 });
    assert.equal(r.status, 0, r.stderr);
    return { out: r.stdout, engine: r.stderr.includes('engine loaded') };
  };
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1100);
  run(CLI);
  const warm = run(CLI);
  assert.equal(warm.engine, false, 'this build: a hit');
  const first = run(path.join(other, 'cli.js'));
  assert.equal(first.engine, true, 'the other build: a miss');
  assert.equal(first.out, warm.out);
  assert.equal(run(path.join(other, 'cli.js')).engine, false, 'the other build: a hit on its own entry');
  assert.equal(run(CLI).engine, false, 'this build: its entry is still there');
});

test('a damaged cache entry is a miss, never an error; the cache holds no value', () => {
  const good = check('--format', 'json', '--no-cache');
  for (const n of readdirSync(path.join(cache, 'check'))) writeFileSync(path.join(cache, 'check', n), '{"format":1, broken');
  const r = check('--format', 'json');
  assert.equal(r.out, good.out);
  assert.equal(r.err, '');
  for (const n of readdirSync(path.join(cache, 'check'))) {
    const text = readFileSync(path.join(cache, 'check', n), 'utf8');
    for (const piece of CANARY.split('\n')) assert.ok(!text.includes(piece), `${n} holds part of the secret`);
  }
});

test('a large result is written in pieces: warm and cold give the same bytes, and a reader that stops early ends the run cleanly', async () => {
  const big = path.join(tmp, 'big');
  for (let i = 0; i < 60; i++) {
    const dir = path.join(big, `svc-${i}`);
    cpSync(path.join(EXAMPLE, 'figgy'), path.join(dir, 'figgy'), { recursive: true });
    cpSync(path.join(EXAMPLE, 'src'), path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'figgy', 'figgy.json'), readFileSync(path.join(dir, 'figgy', 'figgy.json'), 'utf8').replaceAll('demo-service', `svc-${i}`));
  }
  for (const format of ['json', 'sarif', 'text']) {
    const cold = orchard(['check', big, '--store', store, '--format', format]);
    assert.ok(cold.out.length > 4 * 65536, `${format}: ${cold.out.length} characters, several writes`);
    if (format !== 'text') assert.doesNotThrow(() => JSON.parse(cold.out), format);
    const warm = orchard(['check', big, '--store', store, '--format', format]);
    assert.equal(warm.out, cold.out, `${format}: warm = cold`);
    assert.equal(orchard(['check', big, '--store', store, '--format', format, '--no-cache']).out, cold.out, `${format}: --no-cache = cold`);
  }
  const { spawn } = await import('node:child_process');
  const env = { ...process.env, NO_COLOR: '1', ORCHARD_CONFIG: config, ORCHARD_CACHE_DIR: cache };
  const json = ['check', big, '--store', store, '--format', 'json'];
  const expected = orchard(json).out;
  // stdout a file (written directly), and a pipe its reader leaves full for a while (the direct
  // writes meet a full pipe and the rest goes through the stream): the same bytes as the cold run.
  const file = path.join(tmp, 'out.json');
  const fd = openSync(file, 'w');
  const toFile = spawnSync(process.execPath, [CLI, ...json], { cwd: tmp, env, stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  assert.equal(toFile.status, 1);
  assert.equal(readFileSync(file, 'utf8'), expected, 'warm, stdout a file');
  for (const args of [json, [...json, '--no-cache']]) {
    const slow = spawn(process.execPath, [CLI, ...args], { cwd: tmp, env });
    slow.stdout.pause();
    await new Promise((r) => setTimeout(r, 300));
    const chunks: Buffer[] = [];
    slow.stdout.on('data', (d: Buffer) => chunks.push(d));
    slow.stdout.resume();
    assert.equal(await new Promise<number | null>((resolve) => slow.on('close', resolve)), 1);
    assert.equal(Buffer.concat(chunks).toString('utf8'), expected, `${args.at(-1)}: a pipe full for 300 ms`);
  }
  // `orchard check … | head -c 100`: the reader goes away after the first bytes, cold and warm.
  for (const args of [[...json, '--no-cache'], json]) {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: tmp, env });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(err, '', `${args.at(-1)}: no stack trace when stdout closes`);
    assert.equal(code, 1, `${args.at(-1)}: the exit code still says what was found`);
  }
});

test('once its folders are a second old, a warm check replays the walk, still sees a file added or removed, and renews stale stamps', async () => {
  const tree = path.join(tmp, 'replay');
  cpSync(EXAMPLE, tree, { recursive: true });
  // Folders changed within a second of a walk are not trusted: wait until these are older.
  await new Promise((r) => setTimeout(r, 1100));
  const cold = orchard(['check', tree, '--store', store, '--format', 'json']);
  assert.ok(entryOf(tree), 'the entry records the folders it listed');
  assert.equal(orchard(['check', tree, '--store', store, '--format', 'json']).out, cold.out, 'replayed: the same answer');
  const extra = path.join(tree, 'src', 'more_config.py');
  writeFileSync(extra, 'from figgy.figs import *\nfrom figgy.fig_store import FigStore\nclass More(FigStore):\n    TWIG: str = "/app/more"\n    X = AppFig("x")\n');
  assert.match(orchard(['check', tree, '--store', store, '--format', 'json']).out, /\/app\/more\/x/, 'a new file is found');
  unlinkSync(extra);
  assert.equal(orchard(['check', tree, '--store', store, '--format', 'json']).out, cold.out, 'the file removed: the first answer again');
  // A folder changed and changed back (same result, a hit that has to walk): once a second old, its
  // new stamp replaces the stale one, so later hits replay the walk again.
  const src = path.join(tree, 'src');
  const srcStamp = () => {
    const st = statSync(src);
    const e = entryOf(tree);
    return { now: `:${st.mtimeMs}:${st.ctimeMs}:`, kept: e?.walk?.dirs[src] };
  };
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal(orchard(['check', tree, '--store', store, '--format', 'json']).out, cold.out);
  assert.ok(srcStamp().kept?.includes(srcStamp().now), 'stamped on a hit');
  const scratch = path.join(src, 'scratch.txt');
  writeFileSync(scratch, 'x');
  unlinkSync(scratch);
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal(orchard(['check', tree, '--store', store, '--format', 'json']).out, cold.out);
  const { now, kept } = srcStamp();
  assert.ok(kept?.includes(now), `the folder's current stamp replaces the stale one: ${kept} (now ${now})`);
});

/** The cache entry whose walk listed `tree`. */
function entryOf(tree: string): { walk?: { dirs: Record<string, string> } } | undefined {
  return readdirSync(path.join(cache, 'check'))
    .filter((n) => /^[0-9a-f]{32}\.json$/.test(n))
    .map((n) => {
      try {
        return JSON.parse(readFileSync(path.join(cache, 'check', n), 'utf8')) as { walk?: { dirs: Record<string, string> } };
      } catch {
        return {}; // the damaged entries of the test above
      }
    })
    .find((e) => e.walk && Object.keys(e.walk.dirs).includes(tree));
}
