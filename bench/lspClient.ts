// The LSP client side of bench/lsp.ts: a protocol connection that answers configuration and
// waits for a file's diagnostics (of a version, for servers that publish versions), and the timed
// keystrokes (type characters at one place, then delete them, one change each).
import { mkdirSync, writeFileSync } from 'node:fs';
import type { PassThrough } from 'node:stream';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type ProtocolConnection } from 'vscode-languageserver/node';

export const KEYS = Number(process.env.ORCHARD_BENCH_KEYS ?? 60);

export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export interface Client {
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
export function clientFor(down: PassThrough, up: PassThrough, settings: unknown, versioned = false): Client {
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

/** Whether `p` settles within `ms` (its value is not needed). */
export function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  return Promise.race([p.then(() => true), late]).finally(() => clearTimeout(timer));
}

/** KEYS keystrokes at (editLine, editCol) typing `char` then deleting it, the first of them sent as version `after` + 1. */
export async function keystrokes(c: Client, uri: string, text: string, editLine: number, editCol: number, after = 1, char = 'x', guardMs = 0): Promise<number[]> {
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
export async function startProfile(): Promise<{ stop(): Promise<void> } | undefined> {
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
export interface MoreTyping {
  at: (line: string) => number;
  char: string;
}

/**
 * Opens `text` as `uri`, times its first diagnostics, then types into the first `needle` string
 * of the file's second half (`skip` characters into it) and times every keystroke. `more`: further
 * runs on the same line (e.g. into a name rather than a string), one after the other.
 */
export async function openAndType(c: Client, uri: string, languageId: string, text: string, needle: string, skip: number, more: MoreTyping[] = []): Promise<{ firstMs: number; times: number[]; more: number[][]; lines: number }> {
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
