// `node --import tsx bench/lsp.ts` (not a test; the client in lspClient.ts, the server-process runs in
// lspWorkspace.ts): keystroke-to-diagnostics latency of the Orchard
// server (the built bundle's code) on a generated 5,000-line config.py, the same for yaml-language-server on a YAML file of
// similar size through the same kind of in-process client, Pyright on the same config.py (its own
// process over stdio), and the built server (dist/server.js, its own process over stdio) on a
// synthetic workspace of 2,000 Figgy services and one of 2,000 twelve-factor apps: start-up, memory from /proc, keystrokes.
// Prints measured numbers only. `--big-file-only` (the 5,000-line runs with yaml-language-server and Pyright),
// `--workspace-only` (both workspaces), `--figgy-only`, `--twelve-factor-only`,
// `--pull-idle` (a pull client polling the Figgy workspace as VS Code's does while nothing changes).
//   ORCHARD_BENCH_KEYS (default 60), ORCHARD_BENCH_SERVICES (default 2000), ORCHARD_BENCH_APPS (default 2000),
//   ORCHARD_BENCH_DELAY_MS (default 0), ORCHARD_BENCH_IDLE_RSS_S (when the idle server's RSS is read again, default 10), ORCHARD_BENCH_IDLE_S (--pull-idle: seconds of idle polling, default 20),
//   ORCHARD_BENCH_SERVER_ARGV / ORCHARD_BENCH_NODE_FLAGS (the workspace server's node flags: serverArgv),
//   ORCHARD_BENCH_SECOND=charmcraft.yaml | compose.yaml (the apps' second file typed into, instead of a .env),
//   ORCHARD_BENCH_PROFILE=<dir> (a CPU profile of the in-process keystrokes: startProfile),
//   ORCHARD_BENCH_TIMES=1 (print every keystroke's time, in order)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import type * as ServerMain from '../server/src/lsp/main';
import type { ParameterMeta, ParameterStore } from '../server/src/store/types';
import { clientFor, KEYS, openAndType, pct } from './lspClient';
import { BUNDLE, figgyWorkspace, pullIdle, workspaceOnly } from './lspWorkspace';

const DELAY = Number(process.env.ORCHARD_BENCH_DELAY_MS ?? 0);

function bigConfigPy(lines: number): { text: string; figs: number } {
  const out = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', 'SERVICE_NAME: str = "bench-service"', '', '', 'class Figs(FigStore):', '    TWIG: str = f"/app/{SERVICE_NAME}"'];
  let figs = 0;
  while (out.length < lines - 1) {
    const k = figs++;
    if (k % 50 === 1) out.push(`    SHARED_${k} = SharedFig("shared/item-${k}")`);
    else if (k % 50 === 2) out.push(`    REPL_${k} = ReplicatedFig(name="repl/item-${k}", source="/shared/item-${k}")`);
    else out.push(`    SETTING_${k} = AppFig("setting-${k}")`);
  }
  out.push('');
  return { text: out.join('\n'), figs };
}

function bigYaml(lines: number): string {
  const out: string[] = ['services:'];
  let i = 0;
  while (out.length < lines - 1) {
    out.push(`  svc${i}:`, `    image: "registry.example/app-${i}:1.${i % 10}"`, `    replicas: ${i % 7}`, `    env:`, `      - name: SETTING_${i}`, `        value: "v${i}"`);
    i++;
  }
  out.push('');
  return out.join('\n');
}

/**
 * Read-only in-memory backend for the latency runs: seeding 5,000 parameters through the local
 * store's locked, fsync'd writes takes minutes, and keystrokes never touch the backend anyway
 * (diagnostics read the gathered state only).
 */
function memoryStore(env: string, names: string[]): ParameterStore {
  const metas = new Map<string, ParameterMeta>(names.map((name) => [name, { name, type: 'String', version: 1, lastModified: '2026-01-01T00:00:00.000Z' }]));
  const fail = { ok: false as const, reason: 'failed' as const, failure: { kind: 'other' as const, message: 'read-only bench store' } };
  return {
    env,
    kind: 'memory',
    list: async (prefix) => ({ parameters: [...metas.values()].filter((m) => m.name.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) }),
    describe: async (ns) => new Map(ns.map((n) => [n, metas.has(n) ? { state: 'found' as const, value: metas.get(n)! } : { state: 'missing' as const }])),
    getValues: async (ns) => new Map(ns.map((n) => [n, metas.has(n) ? { state: 'found' as const, value: { meta: metas.get(n)!, value: 'v' } } : { state: 'missing' as const }])),
    put: async () => fail,
    delete: async () => fail,
    history: async () => ({ state: 'missing' }),
    identity: async () => ({ state: 'found', value: { id: `memory:${env}`, description: 'bench' } }),
    changeToken: async () => '1',
  };
}

/**
 * The built bundle's server code (dist/server.js, or ORCHARD_BENCH_SERVER), loaded into this
 * process: the big-file runs time the code users run, not the TypeScript sources through tsx (whose
 * keep-names helper alone cost ~4% of a keystroke), with the in-memory store below.
 */
function builtServer(): typeof ServerMain {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` first`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(BUNDLE) as typeof ServerMain;
}

interface OrchardLatency {
  p50: number;
  p95: number;
  /** Keystrokes typing into the same declaration's attribute name (kept tree, like a string's content). */
  name: { p50: number; p95: number };
  /** Keystrokes typing spaces between two of its tokens (kept tree after the first blank; the one touching `=` is parsed again). */
  spaces: { p50: number; p95: number };
  lines: number;
  figs: number;
  firstMs: number;
  diagnostics: number;
}

async function orchardLatency(missingInQa: number): Promise<OrchardLatency> {
  const base = mkdtempSync(path.join(os.tmpdir(), 'orchard-bench-lsp-'));
  const root = path.join(base, 'ws');
  mkdirSync(path.join(root, 'src'), { recursive: true });
  const { text, figs } = bigConfigPy(5000);
  writeFileSync(path.join(root, 'src', 'config.py'), text);
  const all: string[] = [];
  for (const m of text.matchAll(/(AppFig|SharedFig)\("([^"]+)"\)|ReplicatedFig\(name="([^"]+)", source="([^"]+)"\)/g)) {
    if (m[2]) all.push(`/app/bench-service/${m[2]}`);
    else all.push(`/app/bench-service/${m[3]}`, m[4]);
  }
  const stores = new Map([
    ['dev', memoryStore('dev', all)],
    ['qa', memoryStore('qa', all.filter((_n, i) => i % Math.max(1, Math.floor(all.length / Math.max(1, missingInQa))) !== 0 || missingInQa === 0))],
  ]);
  let diagnostics = 0;

  const up = new PassThrough();
  const down = new PassThrough();
  const sc = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  const { startServer, realTimers, readFileLimited, readFileLimitedSync, findConfigFiles } = builtServer();
  const server = startServer(sc, {
    timers: realTimers,
    readFile: readFileLimited,
    readFileSync: readFileLimitedSync,
    findConfigFiles,
    createStore: (env) => stores.get(env)!,
    diagnosticsDelayMs: DELAY,
    changePollMs: 0,
  });
  sc.listen();
  const c = clientFor(down, up, { environments: ['dev', 'qa'], refreshInterval: 0 }, true);
  const rootUri = pathToFileURL(root).href;
  await c.conn.sendRequest('initialize', { processId: null, rootUri, workspaceFolders: [{ uri: rootUri, name: 'ws' }], capabilities: { workspace: { configuration: true } }, initializationOptions: { workspaceTrusted: true } });
  c.conn.sendNotification('initialized', {});
  await server.ready();
  const uri = pathToFileURL(path.join(root, 'src', 'config.py')).href;
  // Edit inside the name string of a declaration in the middle of the file, then inside its attribute
  // name, then spaces after its `=` (the blank typed or deleted right at the `=` is parsed again; blanks
  // after a blank keep the tree).
  const more = [
    { at: (l: string) => l.indexOf('SETTING_') + 3, char: 'x' },
    { at: (l: string) => l.indexOf(' = ') + 2, char: ' ' },
  ];
  const { firstMs, times, more: [name, spaces], lines } = await openAndType(c, uri, 'python', text, 'AppFig("', 3, more);
  diagnostics = c.lastCount;
  c.close();
  sc.dispose();
  await server.dispose();
  rmSync(base, { recursive: true, force: true });
  const pcts = (xs: number[]) => ({ p50: pct(xs, 50), p95: pct(xs, 95) });
  return { ...pcts(times), name: pcts(name), spaces: pcts(spaces), lines, figs, firstMs, diagnostics };
}

async function yamlLatency(): Promise<{ p50: number; p95: number; lines: number; firstMs: number }> {
  // yaml-language-server's own copy of vscode-languageserver, so its connection matches its code.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yls = require('yaml-language-server/out/server/src/yamlServerInit') as typeof import('yaml-language-server/out/server/src/yamlServerInit');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settingsMod = require('yaml-language-server/out/server/src/yamlSettings') as { SettingsState: new () => { validationDelayMs: number } };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const schemaMod = require('yaml-language-server/out/server/src/languageservice/services/schemaRequestHandler') as { workspaceContext: unknown };
  let yamlLs: { createConnection: typeof createConnection };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    yamlLs = require(require.resolve('vscode-languageserver/node', { paths: [path.dirname(require.resolve('yaml-language-server/package.json'))] }));
  } catch {
    yamlLs = { createConnection };
  }
  const up = new PassThrough();
  const down = new PassThrough();
  const sc = yamlLs.createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  const settings = new settingsMod.SettingsState();
  settings.validationDelayMs = DELAY;
  const noTelemetry = { send() {}, sendError() {}, sendTrack() {} };
  const init = new yls.YAMLServerInit(sc as never, settings as never, schemaMod.workspaceContext as never, (() => Promise.reject(new Error('no schemas'))) as never, noTelemetry as never);
  init.start();
  const c = clientFor(down, up, { yaml: { validate: true, schemas: {} } });
  const base = mkdtempSync(path.join(os.tmpdir(), 'orchard-bench-yaml-'));
  const file = path.join(base, 'big.yaml');
  const text = bigYaml(5000);
  writeFileSync(file, text);
  const rootUri = pathToFileURL(base).href;
  await c.conn.sendRequest('initialize', { processId: null, rootUri, workspaceFolders: [{ uri: rootUri, name: 'b' }], capabilities: { workspace: { configuration: true } } });
  c.conn.sendNotification('initialized', {});
  const { firstMs, times, lines } = await openAndType(c, pathToFileURL(file).href, 'yaml', text, 'value: "', 1);
  // Left connected: yaml-language-server may still be validating and throws on a disposed connection.
  rmSync(base, { recursive: true, force: true });
  return { p50: pct(times, 50), p95: pct(times, 95), lines, firstMs };
}

/**
 * Pyright (the Python type checker behind Pylance) on the same 5,000-line config.py, as its own
 * process over stdio: keystroke → next publishDiagnostics for that version. Skipped, and said so,
 * when the pyright package is not installed.
 */
async function pyrightLatency(): Promise<{ p50: number; p95: number; lines: number; firstMs: number } | string> {
  let server: string;
  try {
    server = path.join(path.dirname(require.resolve('pyright/package.json')), 'langserver.index.js');
  } catch {
    return 'pyright is not installed (npm install)';
  }
  const base = mkdtempSync(path.join(os.tmpdir(), 'orchard-bench-pyright-'));
  const file = path.join(base, 'src', 'config.py');
  mkdirSync(path.dirname(file), { recursive: true });
  const { text } = bigConfigPy(5000);
  writeFileSync(file, text);
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const c = clientFor(child.stdout as unknown as PassThrough, child.stdin as unknown as PassThrough, {});
  try {
    const rootUri = pathToFileURL(base).href;
    await c.conn.sendRequest('initialize', { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'b' }], capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } } });
    c.conn.sendNotification('initialized', {});
    const { firstMs, times, lines } = await openAndType(c, pathToFileURL(file).href, 'python', text, 'AppFig("', 3);
    return { p50: pct(times, 50), p95: pct(times, 95), lines, firstMs };
  } finally {
    c.close();
    child.kill();
    rmSync(base, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const f = (n: number) => n.toFixed(1);
  console.log(`keystroke → diagnostics, ${KEYS} keystrokes each, debounce ${DELAY} ms on both servers`);
  const orchardRuns: OrchardLatency[] = [];
  for (const missing of [50, 5000]) {
    const o = await orchardLatency(missing);
    orchardRuns.push(o);
    console.log(`orchard   config.py ${o.lines} lines (${o.figs} figs, ${o.diagnostics} diagnostics): first diagnostics ${f(o.firstMs)} ms; per keystroke p50 ${f(o.p50)} ms, p95 ${f(o.p95)} ms; then in an attribute name p50 ${f(o.name.p50)} ms, p95 ${f(o.name.p95)} ms; then spaces between tokens p50 ${f(o.spaces.p50)} ms, p95 ${f(o.spaces.p95)} ms`);
  }
  const y = await yamlLatency();
  console.log(`yaml-ls   big.yaml  ${y.lines} lines: first diagnostics ${f(y.firstMs)} ms; per keystroke p50 ${f(y.p50)} ms, p95 ${f(y.p95)} ms`);
  const p = await pyrightLatency();
  if (typeof p === 'string') console.log(`pyright   skipped: ${p}`);
  else console.log(`pyright   config.py ${p.lines} lines: first diagnostics ${f(p.firstMs)} ms; per keystroke p50 ${f(p.p50)} ms, p95 ${f(p.p95)} ms`);
  // Each Orchard run against the same yaml-language-server and Pyright runs.
  for (const o of orchardRuns) {
    console.log(`ratios    ${o.diagnostics} diagnostics: orchard/yaml-ls keystroke p95 ${(o.p95 / y.p95).toFixed(2)}x (in an attribute name ${(o.name.p95 / y.p95).toFixed(2)}x, spaces ${(o.spaces.p95 / y.p95).toFixed(2)}x)${typeof p === 'string' ? '' : `; orchard/pyright p95 ${(o.p95 / p.p95).toFixed(2)}x`} (same run)`);
  }
  if (!process.argv.includes('--big-file-only')) await workspaceOnly();
}

/** `--orchard-only`: the two big-file runs alone (for profiling the edit path). */
async function orchardOnly(): Promise<void> {
  for (const missing of [50, 5000]) {
    const o = await orchardLatency(missing);
    console.log(`orchard   config.py ${o.lines} lines (${o.diagnostics} diagnostics): per keystroke p50 ${o.p50.toFixed(1)} ms, p95 ${o.p95.toFixed(1)} ms; then in an attribute name p50 ${o.name.p50.toFixed(1)} ms, p95 ${o.name.p95.toFixed(1)} ms; then spaces between tokens p50 ${o.spaces.p50.toFixed(1)} ms, p95 ${o.spaces.p95.toFixed(1)} ms`);
  }
}

(process.argv.includes('--pull-idle') ? pullIdle(figgyWorkspace(), Number(process.env.ORCHARD_BENCH_IDLE_S ?? 20)) : process.argv.includes('--workspace-only') || process.argv.includes('--twelve-factor-only') || process.argv.includes('--figgy-only') ? workspaceOnly() : process.argv.includes('--orchard-only') ? orchardOnly() : main()).then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
