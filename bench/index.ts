// `npm run bench`: measures the engine on a generated monorepo (Figgy services, then twelve-factor
// apps: bench/twelveFactor.ts). Prints measured numbers only.
//   ORCHARD_BENCH_SERVICES (default 2000), ORCHARD_BENCH_APPS (default 2000), ORCHARD_BENCH_EDITS (default 30),
//   ORCHARD_BENCH_TREE (a real tree to check on one thread and with the default parse workers)
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parsePython } from '../server/src/parse/python';
import { toUri } from '../server/src/model/uris';
import { buildWorkspace } from '../server/src/model/build';
import { runRules } from '../server/src/analysis/index';
import { IncrementalAnalyzer } from '../server/src/analysis/incremental';
import { gatherEnvStates } from '../server/src/analysis/engine';
import { createStore } from '../server/src/store/factory';
import { twelveFactorBench } from './twelveFactor';
import { coldIndex } from './coldIndex';
import { cliProcessBench, workersBench } from './cliProcess';

const SERVICES = Number(process.env.ORCHARD_BENCH_SERVICES ?? 2000);
const EDITS = Number(process.env.ORCHARD_BENCH_EDITS ?? 30);

function configPy(i: number): string {
  const lines = [
    'from figgy.figs import *',
    'from figgy.fig_store import FigStore',
    `SERVICE_NAME: str = "svc-${i}"`,
    '',
    '',
    'class Figs(FigStore):',
    '    TWIG: str = f"/app/{SERVICE_NAME}"',
  ];
  for (let k = 0; k < 10; k++) lines.push(`    SETTING_${k} = AppFig("setting-${k}")`);
  lines.push('    DB_USER = SharedFig("replicated/sql/user")');
  lines.push('    DB_PASSWORD = SharedFig("replicated/sql/password")');
  lines.push('    DB_HOST = ReplicatedFig("replicated/sql/host", source="/shared/resources/dbs/main/dns")');
  lines.push('    DB_URL = MergeFig(name="replicated/sql-url", pattern=["mysql://", DB_USER, ":", DB_PASSWORD, "@", DB_HOST], uri_encode=[DB_USER, DB_PASSWORD])');
  return lines.join('\n') + '\n';
}

function figgyJson(i: number): string {
  const t = `/app/svc-${i}`;
  return JSON.stringify(
    {
      twig: t,
      app_figs: Array.from({ length: 10 }, (_, k) => `${t}/setting-${k}`),
      replicate_figs: { '/shared/resources/dbs/main/dns': `${t}/replicated/sql/host` },
      shared_figs: [`${t}/replicated/sql/password`, `${t}/replicated/sql/user`],
      merged_figs: { [`${t}/replicated/sql-url`]: ['mysql://', `\${${t}/replicated/sql/user:uri}`, ':', `\${${t}/replicated/sql/password:uri}`, '@', `\${${t}/replicated/sql/host}`] },
    },
    null,
    4,
  );
}

function stats(xs: number[]): { p50: number; p95: number; mean: number } {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p95: q(0.95), mean: xs.reduce((a, b) => a + b, 0) / xs.length };
}

const ms = (n: number) => `${n.toFixed(2)} ms`;

async function main(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-bench-'));
  try {
    const pyFiles: string[] = [];
    for (let i = 0; i < SERVICES; i++) {
      const dir = path.join(root, `svc-${i}`);
      mkdirSync(path.join(dir, 'src'), { recursive: true });
      mkdirSync(path.join(dir, 'figgy'), { recursive: true });
      const py = path.join(dir, 'src', 'config.py');
      writeFileSync(py, configPy(i));
      writeFileSync(path.join(dir, 'figgy', 'figgy.json'), figgyJson(i));
      pyFiles.push(py);
    }
    const totalLines = pyFiles.reduce((n, f) => n + readFileSync(f, 'utf8').split('\n').length, 0);
    console.log(`synthetic monorepo: ${SERVICES} services, ${SERVICES * 2} files, ${totalLines} lines of config.py`);

    // Cold index: read + parse every file, build the workspace model, run every parse-level rule.
    const { scanned, ws, findings: parseFindings, tScan, tBuild, tRules } = await coldIndex(root);
    let t: number;
    console.log(`cold index: scan+parse ${ms(tScan)}, build model ${ms(tBuild)}, parse-level rules ${ms(tRules)} (${parseFindings.length} findings); total ${ms(tScan + tBuild + tRules)}`);

    // Backend-level rules against an empty local store (every parameter missing: the worst case for findings).
    const storeDir = path.join(root, '.store');
    const stores = new Map(['dev', 'qa'].map((e) => [e, createStore(e, { backend: 'local', dir: storeDir })]));
    t = performance.now();
    const envStates = await gatherEnvStates(ws, stores);
    const tGather = performance.now() - t;
    t = performance.now();
    const all = runRules({ workspace: ws, envStates, settings: { envs: ['dev', 'qa'], severities: {} } });
    const tAll = performance.now() - t;
    console.log(`2 environments (local store): gather ${ms(tGather)}, all rules ${ms(tAll)} (${all.length} findings)`);

    // One-line edit in one config.py, the language server's path: re-parse that file, rebuild the model
    // from cached models (unchanged files keep their model objects), rerun rules incrementally (only the
    // slices whose files changed; equal to a full runRules). The full rerun is measured beside it.
    const target = pyFiles[Math.floor(SERVICES / 2)];
    const uri = toUri(target);
    const original = readFileSync(target, 'utf8');
    const settings = { envs: ['dev', 'qa'], severities: {} };
    const analyzer = new IncrementalAnalyzer();
    analyzer.run({ workspace: ws, envStates, settings });
    const edit = (k: number, full: boolean) => {
      const edited = original.replace('AppFig("setting-3")', `AppFig("setting-3-edit-${k}")`);
      const t0 = performance.now();
      const model = parsePython(edited, uri);
      const t1 = performance.now();
      const python = scanned.python.map((m) => (m.uri === uri ? model : m));
      const ws2 = buildWorkspace({ ...scanned, python });
      const t2 = performance.now();
      const ctx = { workspace: ws2, envStates, settings };
      if (full) runRules(ctx);
      else analyzer.run(ctx);
      const t3 = performance.now();
      return { parse: t1 - t0, build: t2 - t1, rules: t3 - t2, total: t3 - t0 };
    };
    const inc = Array.from({ length: EDITS }, (_, k) => edit(k, false));
    const full = Array.from({ length: Math.max(3, Math.ceil(EDITS / 3)) }, (_, k) => edit(EDITS + k, true));
    const ps = stats(inc.map((r) => r.parse));
    const bs = stats(inc.map((r) => r.build));
    const rs = stats(inc.map((r) => r.rules));
    const ts = stats(inc.map((r) => r.total));
    const fs = stats(full.map((r) => r.total));
    console.log(
      `one-line edit (${EDITS} edits, incremental rules; ${analyzer.stats.slices} slices, ${analyzer.stats.reused} reused): re-parse p50 ${ms(ps.p50)} p95 ${ms(ps.p95)}; rebuild p50 ${ms(bs.p50)}; rules p50 ${ms(rs.p50)}; re-parse + rebuild + rules p50 ${ms(ts.p50)} p95 ${ms(ts.p95)}`,
    );
    console.log(`one-line edit, full rules for comparison (${full.length} edits): re-parse + rebuild + all rules p50 ${ms(fs.p50)} p95 ${ms(fs.p95)}`);

    // Parser throughput beside CPython's own parser on the same files.
    t = performance.now();
    for (const f of pyFiles) parsePython(readFileSync(f, 'utf8'), toUri(f));
    const tOurs = performance.now() - t;
    // Outside the tree: the process bench below checks the tree, and a 70 KB file in it would start a
    // parse worker thread the generated files alone never start (+30-40 MiB, no faster on two cores).
    const listFile = `${root}-files.txt`;
    writeFileSync(listFile, pyFiles.join('\n'));
    const py = spawnSync(
      'python3',
      ['-c', [
        'import ast, sys, time',
        'files = open(sys.argv[1]).read().split("\\n")',
        'texts = [open(f).read() for f in files]',
        't = time.perf_counter()',
        'for s in texts: ast.parse(s)',
        'print((time.perf_counter() - t) * 1000)',
      ].join('\n'), listFile],
      { encoding: 'utf8' },
    );
    if (py.status === 0) {
      const tPy = Number(py.stdout.trim());
      console.log(`parse ${SERVICES} config.py: orchard (tree-sitter + model, incl. file read) ${ms(tOurs)}; CPython ast.parse ${ms(tPy)}; ratio ${(tOurs / tPy).toFixed(2)}x`);
    } else {
      console.log(`CPython ast.parse comparison skipped: python3 failed (${py.stderr.trim().split('\n').pop()})`);
    }
    // The built CLI as a process beside CPython on the same tree (a store that exists, every parameter missing).
    const cliStore = path.join(`${root}-store`, 'store');
    const init = spawnSync(process.execPath, [path.resolve('dist', 'cli.js'), 'store', 'init', '--store', cliStore], { encoding: 'utf8' });
    if (init.status !== 0) console.log(`process bench skipped: store init failed (${init.stderr.trim().split('\n').pop()})`);
    else {
      cliProcessBench(root, cliStore, `orchard check, ${SERVICES} services`);
      if (process.env.ORCHARD_BENCH_TREE) workersBench(path.resolve(process.env.ORCHARD_BENCH_TREE), cliStore);
    }
    await twelveFactorBench();
    const mem = process.memoryUsage();
    console.log(`memory after run: rss ${(mem.rss / 1048576).toFixed(0)} MiB, heap used ${(mem.heapUsed / 1048576).toFixed(0)} MiB`);
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(`${root}-store`, { recursive: true, force: true });
    rmSync(`${root}-files.txt`, { force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
