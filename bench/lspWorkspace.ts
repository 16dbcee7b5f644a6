// The server-process half of bench/lsp.ts: the built server (dist/server.js) as its own process
// over stdio on a generated workspace (2,000 Figgy services, or 2,000 twelve-factor apps): start-up
// until every file's diagnostics, memory from /proc, a restart on the parse cache, keystrokes, and
// `--pull-idle` (a pull client polling while nothing changes).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { openLocalStore } from '../server/src/store/local';
import { SERVER_EXEC_ARGV } from '../client/src/serverFlags';
import { settingsPy, writeApp } from './twelveFactor';
import { clientFor, KEYS, keystrokes, pct, within, type Client } from './lspClient';

const SERVICES = Number(process.env.ORCHARD_BENCH_SERVICES ?? 2000);
const APPS = Number(process.env.ORCHARD_BENCH_APPS ?? 2000);
/** Seconds after start-up at which the idle server's RSS is read (besides 1 s after). */
const IDLE_RSS_S = Math.max(1, Number(process.env.ORCHARD_BENCH_IDLE_RSS_S ?? 10));

/**
 * Node flags of the workspace server process: the VS Code extension's (client/src/serverFlags.ts)
 * unless ORCHARD_BENCH_SERVER_ARGV replaces them ("" for none), then ORCHARD_BENCH_NODE_FLAGS
 * (e.g. --cpu-prof) added.
 */
export function serverArgv(): string[] {
  const words = (s: string | undefined) => (s ?? '').split(' ').filter(Boolean);
  const base = process.env.ORCHARD_BENCH_SERVER_ARGV !== undefined ? words(process.env.ORCHARD_BENCH_SERVER_ARGV) : [...SERVER_EXEC_ARGV];
  return [...base, ...words(process.env.ORCHARD_BENCH_NODE_FLAGS)];
}

export function serviceFiles(i: number): { py: string; json: string } {
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
export const BUNDLE = process.env.ORCHARD_BENCH_SERVER ?? path.join(__dirname, '..', 'dist', 'server.js');

/** Resident and peak resident memory of a process, from /proc (Linux), in MiB. */
export function procMemory(pid: number): { rss: number; peak: number } | undefined {
  try {
    const st = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(st)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** A generated workspace for the server-process runs: its files, which published files mean "ready", and where to type. */
export interface BenchWorkspace {
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

export function figgyWorkspace(): BenchWorkspace {
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
export function twelveFactorWorkspace(): BenchWorkspace {
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
export async function pullIdle(w: BenchWorkspace, idleS: number): Promise<void> {
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

export async function workspaceOnly(): Promise<void> {
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
