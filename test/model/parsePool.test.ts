// The parse pool (model/parsePool.ts) with the built worker (dist/parseWorker.js, built by `npm test`
// before the tests run): outcomes equal to a parse on this thread for every fixture file, scans equal
// with and without workers, and no file lost when a worker cannot start, crashes or never answers.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initPython } from '../../server/src/parse/python';
import { initTerraform } from '../../server/src/parse/terraform';
import { runParseJob, type ParseJob } from '../../server/src/model/parseJob';
import { ParsePool, WORKER_MIN_BYTES, defaultWorkerCount } from '../../server/src/model/parsePool';
import { classifyFile, jsonCandidateMatcher, scanWorkspace } from '../../server/src/model/scan';
import { toUri } from '../../server/src/model/uris';
import { classifyEnvFile } from '../../server/src/model/files';

const ROOT = path.resolve(__dirname, '..', '..');
const WORKER = path.join(ROOT, 'dist', 'parseWorker.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const CANARY = 'CANARY-pool-"q"-\\\\-\n-e41b';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

/** The job the scan would make of a fixture file (undefined for files it does not read). */
function jobOf(file: string): ParseJob | undefined {
  const named = classifyFile(file);
  const envKind = named ? undefined : classifyEnvFile(file);
  const jsonCandidate = !named && jsonCandidateMatcher()(file);
  if (!named && !envKind && !jsonCandidate) return undefined;
  return { uri: toUri(file), text: readFileSync(file, 'utf8'), named, jsonCandidate, envKind, scanSecrets: true };
}

before(async () => {
  assert.ok(existsSync(WORKER), `${WORKER} is missing: run npm run build first`);
  await initPython();
  await initTerraform();
});

test('a worker loads the Terraform grammar when a batch first holds a .tf file: the same outcomes as on this thread', async () => {
  const tf = (i: number) => `data "archive_file" "a${i}" {\n  source_dir  = "\${path.module}/src"\n  output_path = "a.zip"\n}\nresource "aws_lambda_function" "f${i}" {\n  filename = data.archive_file.a${i}.output_path\n  runtime  = "python3.12"\n  environment {\n    variables = { TOKEN = "${CANARY.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}" }\n  }\n}\n`;
  const jobs: ParseJob[] = Array.from({ length: 40 }, (_, i) => ({ uri: `file:///ws/infra${i}/main.tf`, text: tf(i), envKind: 'source', scanSecrets: true }));
  const pool = new ParsePool({ workers: 1, script: WORKER, minJobBytes: 0 });
  try {
    pool.start();
    await pool.whenStarted();
    const tickets = jobs.map((j) => pool.submit(j));
    const outcomes = await Promise.all(tickets.map((t) => pool.result(t)));
    for (let i = 0; i < jobs.length; i++) {
      assert.deepStrictEqual(outcomes[i], runParseJob(jobs[i]), jobs[i].uri);
      const o = outcomes[i];
      assert.ok(o.kind === 'env' && o.env.terraform?.functions[0].entries[0].value === CANARY, jobs[i].uri);
    }
    assert.ok(pool.stats.inWorkers > 0, `the worker ran jobs: ${JSON.stringify(pool.stats)}`);
  } finally {
    await pool.close();
  }
});

test('every fixture file parses to the same outcome in a worker as on this thread (plain data, same shape)', async () => {
  const jobs = filesUnder(FIXTURES).map(jobOf).filter((j): j is ParseJob => j !== undefined);
  jobs.push({ uri: 'file:///ws/.env', text: `API_TOKEN="${CANARY}"\n`, envKind: 'dotenv', scanSecrets: true });
  assert.ok(jobs.length > 300, `${jobs.length} fixture jobs`);
  const pool = new ParsePool({ workers: 2, script: WORKER, minJobBytes: 0 });
  try {
    // Started first: this thread runs queued jobs while it waits, and on a busy machine it could
    // parse every fixture before a worker has loaded its bundle.
    pool.start();
    await pool.whenStarted();
    const tickets = jobs.map((j) => pool.submit(j));
    // Asked for out of order: each answer belongs to its own job.
    const outcomes = await Promise.all([...tickets].reverse().map((t) => pool.result(t)));
    outcomes.reverse();
    for (let i = 0; i < jobs.length; i++) assert.deepStrictEqual(outcomes[i], runParseJob(jobs[i]), jobs[i].uri);
    assert.ok(pool.stats.inWorkers > 0, `the workers ran jobs: ${JSON.stringify(pool.stats)}`);
    assert.equal(pool.stats.inWorkers + pool.stats.inline, jobs.length);
    assert.equal(pool.stats.workerFailures, 0);
  } finally {
    await pool.close();
  }
});

test('a scan with worker threads gives the same models, in the same order, as one without', async () => {
  const pool = new ParsePool({ workers: 2, script: WORKER, minJobBytes: 0 });
  try {
    pool.start();
    await pool.whenStarted();
    const withWorkers = await scanWorkspace(FIXTURES, { pool });
    const without = await scanWorkspace(FIXTURES, { pool: false });
    assert.ok(pool.stats.inWorkers > 0, JSON.stringify(pool.stats));
    assert.ok(withWorkers.python.length > 20 && withWorkers.figgyJson.length > 20 && withWorkers.credentials.length > 5);
    assert.deepStrictEqual(withWorkers, without);
  } finally {
    await pool.close();
  }
});

test('no file is lost when workers cannot start, crash, answer wrongly, hang, or never say they are ready', { timeout: 60_000 }, async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'orchard-pool-'));
  try {
    const crash = path.join(tmp, 'crash.js');
    writeFileSync(crash, "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', () => { throw new Error('boom'); });\nparentPort.postMessage({ ready: true });\n");
    const wrong = path.join(tmp, 'wrong.js');
    writeFileSync(wrong, "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', () => parentPort.postMessage({ outcomes: [] }));\nparentPort.postMessage({ ready: true });\n");
    const stuck = path.join(tmp, 'stuck.js');
    writeFileSync(stuck, "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', () => { for (;;); });\nparentPort.postMessage({ ready: true });\n");
    const silent = path.join(tmp, 'silent.js');
    writeFileSync(silent, "setInterval(() => {}, 1000);\n");
    const jobs: ParseJob[] = Array.from({ length: 80 }, (_, i) => ({ uri: `file:///ws/svc-${i}/src/config.py`, text: `from figgy.figs import *\nclass Figs(FigStore):\n    TWIG = "/app/svc-${i}"\n    A = AppFig("a")\n`, named: 'python', scanSecrets: true }));
    for (const script of [crash, wrong, stuck, silent, path.join(tmp, 'missing.js')]) {
      const pool = new ParsePool({ workers: 2, script, batchDeadlineMs: 300, minJobBytes: 0 });
      try {
        // Jobs go out once the workers say they are ready (the silent one never does).
        pool.start();
        await Promise.race([pool.whenStarted(), new Promise((r) => setTimeout(r, script === silent ? 200 : 10_000))]);
        const tickets = jobs.map((j) => pool.submit(j));
        const outcomes = [];
        for (const t of tickets) outcomes.push(await pool.result(t));
        assert.deepStrictEqual(outcomes, jobs.map(runParseJob), path.basename(script));
        if (script !== silent) assert.ok(pool.stats.workerFailures > 0 || pool.stats.workers === 0, `${path.basename(script)}: ${JSON.stringify(pool.stats)}`);
      } finally {
        await pool.close();
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('small files run on this thread: the workers start with the first file of WORKER_MIN_BYTES or more', async () => {
  const small: ParseJob[] = Array.from({ length: 40 }, (_, i) => ({ uri: `file:///ws/svc-${i}/src/config.py`, text: `from figgy.figs import *\nclass Figs(FigStore):\n    TWIG = "/app/svc-${i}"\n    A = AppFig("a")\n`, named: 'python', scanSecrets: true }));
  const lines = ['from figgy.figs import *', 'class Figs(FigStore):', '    TWIG = "/app/big"'];
  for (let i = 0; lines.join('\n').length < WORKER_MIN_BYTES; i++) lines.push(`    SETTING_${i} = AppFig("setting-${i}")`);
  const large: ParseJob = { uri: 'file:///ws/big/src/config.py', text: lines.join('\n') + '\n', named: 'python', scanSecrets: true };
  const pool = new ParsePool({ workers: 1, script: WORKER });
  try {
    const outcomes = [];
    for (const t of small.map((j) => pool.submit(j))) outcomes.push(await pool.result(t));
    assert.deepStrictEqual(outcomes, small.map(runParseJob));
    assert.deepEqual(pool.stats, { workers: 0, inWorkers: 0, inline: small.length, workerFailures: 0 });
    const t = pool.submit(large);
    assert.equal(pool.stats.workers, 1, 'a large file starts the worker');
    await pool.whenStarted();
    assert.deepStrictEqual(await pool.result(t), runParseJob(large));
    assert.equal(pool.stats.inWorkers + pool.stats.inline, small.length + 1);
  } finally {
    await pool.close();
  }
});

test('worker count: ORCHARD_PARSE_WORKERS decides when set; else one per spare core, at most 3', () => {
  assert.equal(defaultWorkerCount({ ORCHARD_PARSE_WORKERS: '0' }), 0);
  assert.equal(defaultWorkerCount({ ORCHARD_PARSE_WORKERS: ' 3 ' }), 3);
  assert.equal(defaultWorkerCount({ ORCHARD_PARSE_WORKERS: '99' }), 16);
  const cores = os.availableParallelism();
  assert.equal(defaultWorkerCount({ ORCHARD_PARSE_WORKERS: 'many' }), Math.max(0, Math.min(3, cores - 1)));
});
