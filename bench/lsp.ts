// `node --import tsx bench/lsp.ts` (not a test): keystroke-to-diagnostics latency of the Orchard
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
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createConnection, createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver/node';
import type * as ServerMain from '../server/src/lsp/main';
import { openLocalStore } from '../server/src/store/local';
import type { ParameterMeta, ParameterStore } from '../server/src/store/types';
import { SERVER_EXEC_ARGV } from '../client/src/serverFlags';
import { settingsPy, writeApp } from './twelveFactor';

const KEYS = Number(process.env.ORCHARD_BENCH_KEYS ?? 60);
const SERVICES = Number(process.env.ORCHARD_BENCH_SERVICES ?? 2000);
const APPS = Number(process.env.ORCHARD_BENCH_APPS ?? 2000);
const DELAY = Number(process.env.ORCHARD_BENCH_DELAY_MS ?? 0);
/** Seconds after start-up at which the idle server's RSS is read (besides 1 s after). */
const IDLE_RSS_S = Math.max(1, Number(process.env.ORCHARD_BENCH_IDLE_RSS_S ?? 10));
/**
 * Node flags of the workspace server process: the VS Code extension's (client/src/serverFlags.ts)
 * unless ORCHARD_BENCH_SERVER_ARGV replaces them ("" for none), then ORCHARD_BENCH_NODE_FLAGS
 * (e.g. --cpu-prof) added.
 */
function serverArgv(): string[] {
  const words = (s: string | undefined) => (s ?? '').split(' ').filter(Boolean);
  const base = process.env.ORCHARD_BENCH_SERVER_ARGV !== undefined ? words(process.env.ORCHARD_BENCH_SERVER_ARGV) : [...SERVER_EXEC_ARGV];
  return [...base, ...words(process.env.ORCHARD_BENCH_NODE_FLAGS)];
}


function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

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

interface Client {
  lastCount: number;
  /** Called with every publishDiagnostics (besides the waiters). */
  onPublish?: (p: { uri: string; version?: number; diagnostics: unknown[] }) => void;
  /** Called with every window/logMessage. */
  onLog?: (message: string) => void;
  conn: ProtocolConnection;
  nextDiagnostics(uri: string, version?: number): Promise<void>;
  close(): void;
}

/**
 * `versioned`: the server publishes an open document's diagnostics with its version (Orchard does;
 * yaml-language-server and Pyright do not). A waiter for a version then takes only a publish of that
 * version or a later one: an unversioned publish is the file's diagnostics from disk, sent before the
 * document was opened, and counting it would time the open or the keystroke before the server did its work.
 */
function clientFor(down: PassThrough, up: PassThrough, settings: unknown, versioned = false): Client {
  const conn = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const waiters: { uri: string; version?: number; resolve: () => void }[] = [];
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  conn.onRequest('client/registerCapability', () => null);
  conn.onNotification('window/logMessage', (p: { message: string }) => client.onLog?.(p.message));
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: unknown[] }) => {
    client.lastCount = p.diagnostics.length;
    client.onPublish?.(p);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      const fresh = w.version === undefined || (p.version === undefined ? !versioned : p.version >= w.version);
      if (w.uri === p.uri && fresh) {
        waiters.splice(i, 1);
        w.resolve();
      }
    }
  });
  conn.listen();
  const client: Client = {
    lastCount: 0,
    conn,
    nextDiagnostics: (uri, version) => new Promise<void>((resolve) => waiters.push({ uri, version, resolve })),
    close: () => conn.dispose(),
  };
  return client;
}

/** KEYS keystrokes at (editLine, editCol) typing `char` then deleting it, the first of them sent as version `after` + 1. */
/** Whether `p` settles within `ms` (its value is not needed). */
function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  return Promise.race([p.then(() => true), late]).finally(() => clearTimeout(timer));
}

async function keystrokes(c: Client, uri: string, text: string, editLine: number, editCol: number, after = 1, char = 'x', guardMs = 0): Promise<number[]> {
  const times: number[] = [];
  let version = after;
  const profile = await startProfile();
  // Typing characters at one place (into a string, a name, between tokens), then deleting them again:
  // every keystroke is one change.
  for (let k = 0; k < KEYS; k++) {
    version++;
    const typing = k < KEYS / 2;
    const col = editCol + (typing ? k : KEYS - k - 1);
    const change = typing
      ? { range: { start: { line: editLine, character: col }, end: { line: editLine, character: col } }, text: char }
      : { range: { start: { line: editLine, character: col }, end: { line: editLine, character: col + 1 } }, text: '' };
    const wait = c.nextDiagnostics(uri, version);
    const t0 = performance.now();
    c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    // With a guard, a keystroke that brings no publish (nothing changed for that file) counts as missing.
    if (guardMs > 0 ? await within(wait, guardMs) : (await wait, true)) times.push(performance.now() - t0);
  }
  await profile?.stop();
  if (process.env.ORCHARD_BENCH_TIMES) console.log(`          each keystroke (ms): ${times.map((t) => t.toFixed(0)).join(' ')}`);
  void text;
  return times;
}

/**
 * ORCHARD_BENCH_PROFILE=<dir>: a CPU profile of this process over the timed keystrokes only (not
 * start-up or the first diagnostics), one .cpuprofile per run, for Chrome DevTools or speedscope.
 */
async function startProfile(): Promise<{ stop(): Promise<void> } | undefined> {
  const dir = process.env.ORCHARD_BENCH_PROFILE;
  if (!dir) return undefined;
  const inspector = await import('node:inspector/promises');
  const session = new inspector.Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `keystrokes-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`          CPU profile of the keystrokes: ${file}`);
      session.disconnect();
    },
  };
}

/** A further run of keystrokes on the same line: where (from the line's text) and what is typed. */
interface MoreTyping {
  at: (line: string) => number;
  char: string;
}

/**
 * Opens `text` as `uri`, times its first diagnostics, then types into the first `needle` string
 * of the file's second half (`skip` characters into it) and times every keystroke. `more`: further
 * runs on the same line (e.g. into a name rather than a string), one after the other.
 */
async function openAndType(c: Client, uri: string, languageId: string, text: string, needle: string, skip: number, more: MoreTyping[] = []): Promise<{ firstMs: number; times: number[]; more: number[][]; lines: number }> {
  const t0 = performance.now();
  const first = c.nextDiagnostics(uri, 1);
  c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  await first;
  const firstMs = performance.now() - t0;
  const lines = text.split('\n');
  const mid = Math.floor(lines.length / 2);
  const line = lines.findIndex((l, i) => i >= mid && l.includes(needle));
  const col = lines[line].indexOf(needle) + needle.length + skip;
  const times = await keystrokes(c, uri, text, line, col);
  // Each run types and deletes as many characters: the text is `text` again, KEYS versions later.
  const runs: number[][] = [];
  for (const m of more) runs.push(await keystrokes(c, uri, text, line, m.at(lines[line]), 1 + KEYS * (runs.length + 1), m.char));
  return { firstMs, times, more: runs, lines: lines.length };
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

function serviceFiles(i: number): { py: string; json: string } {
  const twig = `/app/svc-${i}`;
  const py = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', `SERVICE_NAME: str = "svc-${i}"`, '', 'class Figs(FigStore):', '    TWIG: str = f"/app/{SERVICE_NAME}"'];
  const app: string[] = [];
  for (let k = 0; k < 10; k++) {
    py.push(`    SETTING_${k} = AppFig("setting-${k}")`);
    app.push(`${twig}/setting-${k}`);
  }
  py.push('    DB_USER = SharedFig("replicated/sql/user")', '    DB_HOST = ReplicatedFig("replicated/sql/host", source="/shared/db/host")', '');
  const json = JSON.stringify({ twig, app_figs: app.sort(), replicate_figs: { '/shared/db/host': `${twig}/replicated/sql/host` }, shared_figs: [`${twig}/replicated/sql/user`], merged_figs: {} }, null, 4);
  return { py: py.join('\n'), json };
}

/** The server bundle (ORCHARD_BENCH_SERVER: another build, to compare two side by side). */
const BUNDLE = process.env.ORCHARD_BENCH_SERVER ?? path.join(__dirname, '..', 'dist', 'server.js');

/** Resident and peak resident memory of a process, from /proc (Linux), in MiB. */
function procMemory(pid: number): { rss: number; peak: number } | undefined {
  try {
    const st = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(st)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** A generated workspace for the server-process runs: its files, which published files mean "ready", and where to type. */
interface BenchWorkspace {
  /** What one unit is called in the output (services, apps). */
  unit: string;
  count: number;
  files: number;
  write(root: string): void;
  /** The files whose first diagnostics complete start-up (each has findings). */
  counts(uri: string): boolean;
  /** The file typed into: its text and the line / column of the edit. */
  edit(root: string): { uri: string; text: string; line: number; col: number };
  /** A second file typed into after the first (not Python: a figgy.json, a .env). */
  also?(root: string): { uri: string; text: string; line: number; col: number; languageId: string; what: string };
}

function figgyWorkspace(): BenchWorkspace {
  return {
    unit: 'services',
    count: SERVICES,
    files: SERVICES * 2,
    write(root) {
      for (let i = 0; i < SERVICES; i++) {
        const dir = path.join(root, `svc-${i}`);
        mkdirSync(path.join(dir, 'src'), { recursive: true });
        mkdirSync(path.join(dir, 'figgy'), { recursive: true });
        const f = serviceFiles(i);
        writeFileSync(path.join(dir, 'src', 'config.py'), f.py);
        writeFileSync(path.join(dir, 'figgy', 'figgy.json'), f.json);
      }
    },
    counts: (uri) => uri.endsWith('/src/config.py'),
    edit(root) {
      const text = serviceFiles(7).py;
      const lines = text.split('\n');
      const line = lines.findIndex((x) => x.includes('AppFig("'));
      return { uri: pathToFileURL(path.join(root, 'svc-7', 'src', 'config.py')).href, text, line, col: lines[line].indexOf('AppFig("') + 9 };
    },
    also(root) {
      // Inside a parameter name of figgy.json: it no longer matches config.py while typed.
      const text = serviceFiles(7).json;
      const lines = text.split('\n');
      const line = lines.findIndex((x) => x.includes('setting-0'));
      return { uri: pathToFileURL(path.join(root, 'svc-7', 'figgy', 'figgy.json')).href, text, line, col: lines[line].indexOf('setting-0') + 8, languageId: 'json', what: 'figgy.json' };
    },
  };
}

/** Twelve-factor apps as `npm run bench` generates them (settings.py, .env, compose, every fourth a charm). */
function twelveFactorWorkspace(): BenchWorkspace {
  return {
    unit: 'apps',
    count: APPS,
    files: APPS * 3 + Math.ceil(APPS / 4),
    write(root) {
      for (let i = 0; i < APPS; i++) writeApp(root, i);
    },
    counts: (uri) => uri.endsWith('/settings.py'),
    edit(root) {
      const text = settingsPy(7);
      const lines = text.split('\n');
      const line = lines.findIndex((x) => x.includes('"DEBUG", "'));
      // Inside the default value: the read's facts change with every keystroke.
      return { uri: pathToFileURL(path.join(root, 'app-7', 'settings.py')).href, text, line, col: lines[line].indexOf('"DEBUG", "') + 11 };
    },
    also(root) {
      if (process.env.ORCHARD_BENCH_SECOND === 'charmcraft.yaml') {
        // Inside an option's name (app-8 has a charm): an option no code reads while typed.
        const file = path.join(root, 'app-8', 'charm', 'charmcraft.yaml');
        const text = readFileSync(file, 'utf8');
        const lines = text.split('\n');
        const line = lines.findIndex((x) => x.trim() === 'greeting:');
        return { uri: pathToFileURL(file).href, text, line, col: lines[line].indexOf('greeting') + 4, languageId: 'yaml', what: 'charmcraft.yaml' };
      }
      if (process.env.ORCHARD_BENCH_SECOND === 'compose.yaml') {
        // Inside a variable's name in the compose service's environment: one the app does not read while typed.
        const file = path.join(root, 'app-7', 'compose.yaml');
        const text = readFileSync(file, 'utf8');
        const lines = text.split('\n');
        const line = lines.findIndex((x) => x.includes('APP7_SETTING_1'));
        return { uri: pathToFileURL(file).href, text, line, col: lines[line].indexOf('APP7_SETTING_1') + 6, languageId: 'yaml', what: 'compose.yaml' };
      }
      // Inside a variable's name in .env: a variable the app does not read while typed.
      const text = readFileSync(path.join(root, 'app-7', '.env'), 'utf8');
      const lines = text.split('\n');
      const line = lines.findIndex((x) => x.startsWith('DEBUG='));
      return { uri: pathToFileURL(path.join(root, 'app-7', '.env')).href, text, line, col: 5, languageId: 'dotenv', what: '.env' };
    },
  };
}

/**
 * The built server as its own process over stdio on `w` written to a temp folder, with a local store
 * of dev, qa, prod and a parse cache of its own (empty: the first start is a cold one). `again`: a
 * second server on the folder an earlier launch wrote (its parse cache as that server left it).
 */
async function launchServer(w: BenchWorkspace, prefix: string, again?: string): Promise<{ base: string; root: string; child: ChildProcess; c: Client }> {
  if (!existsSync(BUNDLE)) throw new Error('dist/server.js is missing: run `npm run build` first');
  const base = again ?? mkdtempSync(path.join(os.tmpdir(), prefix));
  const root = path.join(base, 'ws');
  const storeDir = path.join(base, 'store');
  if (!again) {
    w.write(root);
    for (const env of ['dev', 'qa', 'prod']) {
      const r = await openLocalStore({ dir: storeDir, env }).put({ name: '/bench/init', value: '1', type: 'String', overwrite: true });
      if (!r.ok) throw new Error(`store init failed: ${r.reason}`);
    }
  }
  const env = { ...process.env, ORCHARD_STORE_DIR: storeDir, ORCHARD_CACHE_DIR: path.join(base, 'cache'), ORCHARD_DIAGNOSTICS_DELAY_MS: '0' };
  const child = spawn(process.execPath, [...serverArgv(), BUNDLE, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env });
  const c = clientFor(child.stdout as unknown as PassThrough, child.stdin as unknown as PassThrough, { environments: ['dev', 'qa', 'prod'], refreshInterval: 0 }, true);
  return { base, root, child, c };
}

/** A clean shutdown (a CPU profile or heap snapshot is written on exit); killed if it hangs. `keep`: the folder stays (for a restart). */
async function stopServer(s: { base: string; child: ChildProcess; c: Client }, keep = false): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  await Promise.race([s.c.conn.sendRequest('shutdown').then(() => s.c.conn.sendNotification('exit')), new Promise((r) => setTimeout(r, 5000))]).catch(() => undefined);
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
  s.c.close();
  s.child.kill();
  if (!keep) rmSync(s.base, { recursive: true, force: true });
}

/**
 * Initialises a launched server on its folder and waits until every counted file has diagnostics:
 * the time that took, the server's CPU seconds until then, and its log lines with durations.
 */
async function untilReady(server: { root: string; child: ChildProcess; c: Client }, w: BenchWorkspace): Promise<{ readyMs: number; readyCpuS: number; phases: string[] }> {
  const { root, child, c } = server;
  const seen = new Set<string>();
  // The server's own account of its start-up phases (its log lines with durations).
  const phases: string[] = [];
  c.onLog = (m) => {
    if (/ in \d+ ms/.test(m)) phases.push(m.replace(/^\[\w+\s*[\d:.]*\]\s*/, ''));
  };
  let allSeen!: () => void;
  const ready = new Promise<void>((r) => (allSeen = r));
  c.onPublish = (p) => {
    if (w.counts(p.uri) && p.diagnostics.length > 0) seen.add(p.uri);
    if (seen.size === w.count) allSeen();
  };
  const rootUri = pathToFileURL(root).href;
  const t0 = performance.now();
  await c.conn.sendRequest('initialize', { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'ws' }], capabilities: { workspace: { configuration: true } }, initializationOptions: { workspaceTrusted: true } });
  c.conn.sendNotification('initialized', {});
  const stuck = setTimeout(() => {
    console.error(`still waiting: ${seen.size} of ${w.count} files have diagnostics`);
  }, 120_000);
  await ready;
  clearTimeout(stuck);
  const readyMs = performance.now() - t0;
  // CPU the server used until then (start-up included): less moved than wall time by other load on the machine.
  return { readyMs, readyCpuS: procCpuSeconds(child.pid!), phases };
}

/** A second server on the folder the first one left (its parse cache filled): until ready, and its RSS a second later. */
async function restart(w: BenchWorkspace, base: string): Promise<{ readyMs: number; readyCpuS: number; rssMiB: number; phases: string[] }> {
  const server = await launchServer(w, '', base);
  try {
    const r = await untilReady(server, w);
    await new Promise((res) => setTimeout(res, 1000));
    return { ...r, rssMiB: procMemory(server.child.pid!)?.rss ?? NaN };
  } finally {
    await stopServer(server);
  }
}

/**
 * The built language server as its own process over stdio (what an editor starts), on a generated
 * workspace: time until every counted file has its diagnostics, its memory then (and its peak), and
 * keystroke → diagnostics in one file, messages and all.
 */
interface OtherEdit {
  what: string;
  /** Keystrokes that brought a publish within the guard time, of all typed. */
  timed: number;
  of: number;
  openMs: number;
  p50: number;
  p95: number;
}

async function serverProcess(w: BenchWorkspace): Promise<{ wsP50: number; wsP95: number; openMs: number; other?: OtherEdit; readyMs: number; readyCpuS: number; rssMiB: number; idleMiB: number; peakMiB: number; phases: string[]; again: { readyMs: number; readyCpuS: number; rssMiB: number; phases: string[] } }> {
  const server = await launchServer(w, 'orchard-bench-mem-');
  const { root, child, c } = server;
  let done = false;
  try {
    const { readyMs, readyCpuS, phases } = await untilReady(server, w);
    await new Promise((r) => setTimeout(r, 1000));
    const mem = procMemory(child.pid!);
    // What a user sees in a process list a little later: the server idle, nothing typed yet.
    await new Promise((r) => setTimeout(r, (IDLE_RSS_S - 1) * 1000));
    const idle = procMemory(child.pid!);
    // (ORCHARD_BENCH_NODE_FLAGS=--heapsnapshot-signal=SIGUSR2: a heap snapshot of the server at this point.)
    if (process.env.ORCHARD_BENCH_NODE_FLAGS?.includes('heapsnapshot-signal')) {
      child.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 15000));
    }
    const e = w.edit(root);
    const opened = c.nextDiagnostics(e.uri, 1);
    const tOpen = performance.now();
    c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: e.uri, languageId: 'python', version: 1, text: e.text } });
    await opened;
    const openMs = performance.now() - tOpen;
    const wsTimes = await keystrokes(c, e.uri, e.text, e.line, e.col);
    let other: OtherEdit | undefined;
    const o = w.also?.(root);
    if (o) {
      const shown = c.nextDiagnostics(o.uri, 1);
      const t = performance.now();
      c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: o.uri, languageId: o.languageId, version: 1, text: o.text } });
      const openMs = (await within(shown, 5000)) ? performance.now() - t : NaN;
      const times = await keystrokes(c, o.uri, o.text, o.line, o.col, 1, 'x', 3000);
      other = { what: o.what, openMs, p50: pct(times, 50), p95: pct(times, 95), timed: times.length, of: KEYS };
    }
    const after = procMemory(child.pid!);
    // The edits above were never saved: the files on disk are the ones the first server parsed.
    await stopServer(server, true);
    done = true;
    const again = await restart(w, server.base);
    return { wsP50: pct(wsTimes, 50), wsP95: pct(wsTimes, 95), openMs, other, readyMs, readyCpuS, rssMiB: mem?.rss ?? NaN, idleMiB: idle?.rss ?? NaN, peakMiB: after?.peak ?? NaN, phases, again };
  } finally {
    if (!done) await stopServer(server);
  }
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
function procCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields 14 and 15 of stat (utime, stime), counted after the command name: indexes 11 and 12
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * `--pull-idle`: a pull client (VS Code's) on the generated Figgy workspace, nothing changing. VS
 * Code's client asks workspace/diagnostic again 2 s after every answer; this does the same for
 * IDLE_S seconds after the first full report and counts the answers, their bytes and the server's
 * CPU time, with one edit at the end (how long until the pull in flight reports it).
 */
async function pullIdle(w: BenchWorkspace, idleS: number): Promise<void> {
  const server = await launchServer(w, 'orchard-bench-pull-');
  const { root, child, c } = server;
  c.conn.onRequest('workspace/diagnostic/refresh', () => null);
  type Item = { uri: string; kind: string; resultId?: string };
  const ids = new Map<string, string>();
  const pull = async (): Promise<{ items: Item[]; bytes: number }> => {
    // A partialResultToken, as VS Code's client sends (the server holds a pull only for such clients).
    const r = (await c.conn.sendRequest('workspace/diagnostic', { previousResultIds: [...ids].map(([uri, value]) => ({ uri, value })), partialResultToken: 'bench' })) as { items: Item[] };
    for (const i of r.items) if (i.resultId) ids.set(i.uri, i.resultId);
    return { items: r.items, bytes: JSON.stringify(r).length };
  };
  try {
    const rootUri = pathToFileURL(root).href;
    const t0 = performance.now();
    await c.conn.sendRequest('initialize', { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'ws' }], capabilities: { workspace: { configuration: true, diagnostics: { refreshSupport: true } }, textDocument: { diagnostic: { dynamicRegistration: false } } }, initializationOptions: { workspaceTrusted: true } });
    c.conn.sendNotification('initialized', {});
    const first = await pull();
    const readyMs = performance.now() - t0;
    const cpu0 = procCpuSeconds(child.pid!);
    const end = performance.now() + idleS * 1000;
    let answers = 0;
    let bytes = 0;
    let inFlight: Promise<{ items: Item[]; bytes: number }> | undefined;
    while (performance.now() < end) {
      await new Promise((r) => setTimeout(r, 2000));
      inFlight = pull();
      const r = await Promise.race([inFlight, new Promise<undefined>((res) => setTimeout(() => res(undefined), Math.max(0, end - performance.now())))]);
      if (!r) break;
      inFlight = undefined;
      answers++;
      bytes += r.bytes;
    }
    const cpu = procCpuSeconds(child.pid!) - cpu0;
    // One edit: the pull in flight (or the next one) reports it.
    const e = w.edit(root);
    const t1 = performance.now();
    c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: e.uri, languageId: 'python', version: 1, text: e.text } });
    let seenMs = NaN;
    for (let k = 0; k < 10 && Number.isNaN(seenMs); k++) {
      const r = await (inFlight ?? pull());
      inFlight = undefined;
      if (r.items.some((i) => i.uri === e.uri && i.kind === 'full')) seenMs = performance.now() - t1;
    }
    const f = (n: number) => n.toFixed(1);
    console.log(`pull idle ${w.count} ${w.unit}, ${BUNDLE}: first workspace report after ${f(readyMs)} ms (${first.items.length} files, ${(first.bytes / 1024).toFixed(0)} KiB); then ${idleS} s with nothing changing: ${answers} answers, ${(bytes / 1024).toFixed(0)} KiB, server CPU ${f(cpu)} s; an opened file in a report after ${f(seenMs)} ms`);
  } finally {
    await stopServer(server);
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

async function workspaceOnly(): Promise<void> {
  const f = (n: number) => n.toFixed(1);
  const kinds = process.argv.includes('--twelve-factor-only') ? [twelveFactorWorkspace()] : process.argv.includes('--figgy-only') ? [figgyWorkspace()] : [figgyWorkspace(), twelveFactorWorkspace()];
  for (const w of kinds) {
    const m = await serverProcess(w);
    console.log(`workspace ${w.count} ${w.unit} (${w.files} files), 3 envs, ${path.relative(process.cwd(), BUNDLE)} as its own process (node ${serverArgv().join(' ') || 'without flags'}): every ${w.unit === 'apps' ? 'settings.py' : 'config.py'}'s diagnostics after ${f(m.readyMs)} ms (server CPU ${m.readyCpuS.toFixed(2)} s); RSS then ${f(m.rssMiB)} MiB, after ${IDLE_RSS_S} s idle ${f(m.idleMiB)} MiB, peak ${f(m.peakMiB)} MiB`);
    console.log(`          opening one ${w.unit === 'apps' ? 'settings.py' : 'config.py'} of that workspace → its diagnostics: ${f(m.openMs)} ms; then a keystroke → diagnostics (over stdio): p50 ${f(m.wsP50)} ms, p95 ${f(m.wsP95)} ms`);
    if (m.other) console.log(`          opening the same ${w.unit === 'apps' ? 'app' : 'service'}'s ${m.other.what} → its diagnostics: ${Number.isNaN(m.other.openMs) ? 'none published within 5 s (no findings in it)' : `${f(m.other.openMs)} ms`}; then a keystroke → diagnostics: p50 ${f(m.other.p50)} ms, p95 ${f(m.other.p95)} ms (${m.other.timed} of ${m.other.of} keystrokes brought a publish within 3 s)`);
    console.log(`          server log: ${m.phases.join('; ') || '(no timed lines)'}`);
    console.log(`          restarted on the same folder (parse cache as the first server left it): every ${w.unit === 'apps' ? 'settings.py' : 'config.py'}'s diagnostics after ${f(m.again.readyMs)} ms (server CPU ${m.again.readyCpuS.toFixed(2)} s), ${(m.again.readyMs / m.readyMs).toFixed(2)}x the first start; RSS then ${f(m.again.rssMiB)} MiB`);
    console.log(`          server log: ${m.again.phases.join('; ') || '(no timed lines)'}`);
  }
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
