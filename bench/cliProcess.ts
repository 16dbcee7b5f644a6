// The built CLI as users run it (a process: start-up, bundle load, output to a file included) beside
// CPython reading and parsing the same files (`ast.parse` for .py, `json.load` for .json), rounds
// interleaved, medians. Peak RSS of each process from the kernel (ru_maxrss of the child).
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultWorkerCount } from '../server/src/model/parsePool';

const ROUNDS = Number(process.env.ORCHARD_BENCH_ROUNDS ?? 5);

const PY_REF = [
  'import ast, json, os, sys',
  'for d, dirs, files in os.walk(sys.argv[1]):',
  "    dirs[:] = [x for x in dirs if not x.startswith('.') and x != 'node_modules']",
  '    for f in files:',
  '        p = os.path.join(d, f)',
  "        if f.endswith('.py'):",
  "            with open(p, encoding='utf8') as h: ast.parse(h.read())",
  "        elif f.endswith('.json'):",
  "            with open(p, encoding='utf8') as h: json.load(h)",
].join('\n');

// Runs a command and reports wall time and the child's peak RSS (Linux ru_maxrss, KiB).
const TIMER = [
  'import resource, subprocess, sys, time',
  't = time.perf_counter()',
  'r = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], "wb"), stderr=subprocess.DEVNULL)',
  'w = time.perf_counter() - t',
  'print(w * 1000, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)',
].join('\n');

/** The cold check on one thread, beside the machine's default number of parse worker threads. */
const WORKERS_KIND = 'cold check on one thread (ORCHARD_PARSE_WORKERS=0)';
const FIRST_KIND = 'first check (empty cache folder: parses all, writes both caches)';
const CHANGED_KIND = 'one file changed (warm cache missed; the parse cache has every other file)';

interface Sample { ms: number; rssMiB: number; code: number }

function timed(cmd: string[], out: string, env: NodeJS.ProcessEnv = process.env): Sample | undefined {
  const r = spawnSync('python3', ['-c', TIMER, out, ...cmd], { encoding: 'utf8', env });
  if (r.status !== 0) return undefined;
  const [ms, kib, code] = r.stdout.trim().split(/\s+/).map(Number);
  return { ms, rssMiB: kib / 1024, code };
}

/** This process's environment without ORCHARD_PARSE_WORKERS: the machine's default parse workers. */
function machineDefault(): NodeJS.ProcessEnv {
  const { ORCHARD_PARSE_WORKERS: _unset, ...env } = process.env;
  return env;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `root`: a generated tree; `storeDir`: an initialised local store. Prints one block of lines. */
export function cliProcessBench(root: string, storeDir: string, label: string): void {
  const cli = path.resolve('dist', 'cli.js');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'orchard-bench-cli-'));
  const cacheDir = path.join(tmp, 'cache');
  const out = path.join(tmp, 'out');
  const withCache = (dir: string) => [process.execPath, cli, 'check', root, '--store', storeDir, '--format', 'json', '--cache-dir', dir];
  const base = withCache(cacheDir);
  // The file a "one file changed" run edits (a line appended each round): the first Python file.
  const edited = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.py')).sort()[0];
  const kinds: Record<string, (round: number) => string[]> = {
    'cold check (--no-cache)': () => [...base, '--no-cache'],
    [WORKERS_KIND]: () => [...base, '--no-cache'],
    'cold --parse-only (--no-cache)': () => [...base, '--parse-only', '--no-cache'],
    // The first check of a tree: nothing cached, both caches written.
    [FIRST_KIND]: (round) => withCache(path.join(tmp, `first-${round}`)),
    'warm check (cache hit)': () => base,
    // One file changed since the last check: a miss of the warm cache; the parse cache has the rest.
    [CHANGED_KIND]: (round) => {
      if (edited) appendFileSync(path.join(root, edited), `\n# bench round ${round}\n`);
      return base;
    },
    'CPython ast.parse + json.load': () => ['python3', '-c', PY_REF, root],
  };
  const defaults = machineDefault();
  const samples = new Map<string, Sample[]>(Object.keys(kinds).map((k) => [k, []]));
  try {
    // Fill the cache once, then interleave the kinds round by round.
    if (!timed(base, out, defaults)) {
      console.log(`${label}: the CLI could not run; process bench skipped`);
      return;
    }
    for (let i = 0; i < ROUNDS; i++) {
      for (const [k, cmdOf] of Object.entries(kinds)) {
        const cmd = cmdOf(i);
        if (k === CHANGED_KIND && !edited) continue;
        const s = timed(cmd, out, k === WORKERS_KIND ? { ...defaults, ORCHARD_PARSE_WORKERS: '0' } : defaults);
        if (s) samples.get(k)!.push(s);
      }
    }
    const py = samples.get('CPython ast.parse + json.load')!;
    const cold = samples.get('cold check (--no-cache)')!;
    if (!py.length || !cold.length) {
      console.log(`${label}: python3 or the CLI failed; process bench incomplete`);
      return;
    }
    const pyMs = median(py.map((s) => s.ms));
    const coldMs = median(cold.map((s) => s.ms));
    console.log(`${label}: processes, median of ${ROUNDS} interleaved rounds (wall, peak RSS); parse worker threads by default on this machine: ${defaultWorkerCount(defaults)}:`);
    for (const [k, xs] of samples) {
      if (!xs.length) continue;
      const ms = median(xs.map((s) => s.ms));
      const rss = median(xs.map((s) => s.rssMiB));
      const vsPy = k.startsWith('CPython') ? '' : `; ${(ms / pyMs).toFixed(2)}x CPython`;
      const vsCold = k.startsWith('warm') || k === CHANGED_KIND || k === FIRST_KIND ? `; ${(ms / coldMs).toFixed(2)}x cold` : '';
      console.log(`  ${k}: ${ms.toFixed(0)} ms, ${rss.toFixed(0)} MiB${vsPy}${vsCold}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * `orchard check --no-cache` on any tree (ORCHARD_BENCH_TREE: a real project, installed Python
 * packages...) on one thread and with the machine's default parse workers, rounds interleaved.
 */
export function workersBench(root: string, storeDir: string): void {
  const cli = path.resolve('dist', 'cli.js');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'orchard-bench-workers-'));
  const defaults = machineDefault();
  const kinds: Record<string, NodeJS.ProcessEnv> = {
    [`${defaultWorkerCount(defaults)} parse worker thread(s) (the default here)`]: defaults,
    'one thread (ORCHARD_PARSE_WORKERS=0)': { ...defaults, ORCHARD_PARSE_WORKERS: '0' },
  };
  const samples = new Map<string, Sample[]>(Object.keys(kinds).map((k) => [k, []]));
  try {
    for (let i = 0; i < ROUNDS; i++) {
      for (const [k, env] of Object.entries(kinds)) {
        const s = timed([process.execPath, cli, 'check', root, '--store', storeDir, '--format', 'json', '--no-cache'], path.join(tmp, 'out'), env);
        if (s) samples.get(k)!.push(s);
      }
    }
    console.log(`orchard check --no-cache ${root}: median of ${ROUNDS} interleaved rounds (wall, peak RSS):`);
    for (const [k, xs] of samples) if (xs.length) console.log(`  ${k}: ${median(xs.map((s) => s.ms)).toFixed(0)} ms, ${median(xs.map((s) => s.rssMiB)).toFixed(0)} MiB`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Standalone: `node --import tsx bench/cliProcess.ts DIR STORE`. */
if (process.argv[1]?.endsWith('cliProcess.ts') && process.argv[2]) {
  cliProcessBench(process.argv[2], process.argv[3], path.basename(process.argv[2]));
}
