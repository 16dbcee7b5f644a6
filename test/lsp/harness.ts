// In-process protocol harness: the real server over two PassThrough streams, a protocol client on
// the other ends, a temp local store. No child process, no editor.
import { PassThrough } from 'node:stream';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createConnection,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver/node';
import { startServer, type OrchardServer } from '../../server/src/lsp/server';
import { realTimers, type Logger, type ServerRuntime } from '../../server/src/lsp/runtime';
import { readFileLimited, readFileLimitedSync } from '../../server/src/lsp/main';
import { findConfigFiles, walkConfigFiles } from '../../server/src/model/scan';
import { openLocalStore } from '../../server/src/store/local';
import type { MachineSettings, OrchardSettings } from '../../server/src/lsp/protocol';
import type { ParameterStore } from '../../server/src/store/types';

export interface Harness {
  client: ProtocolConnection;
  server: OrchardServer;
  /** Every log line: the runtime logger and window/logMessage. */
  logs: string[];
  /** Every message the server sent, serialised (to prove what never leaves it). */
  wire: string[];
  root: string;
  storeDir: string;
  uri(rel: string): string;
  diagnostics: Map<string, Diagnostic[]>;
  waitForDiagnostics(uri: string, pred: (d: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  open(rel: string, text?: string): Promise<string>;
  change(rel: string, version: number, text: string): void;
  settings: OrchardSettings;
  notifications: { method: string; params: unknown }[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Announce `window.showDocument` (LSP 3.16); requests are recorded in `notifications`. */
  showDocument?: boolean;
  files: Record<string, string>;
  /** Runs on the workspace folder after the files are written, before the server starts (FIFOs...). */
  prepare?: (root: string) => void;
  settings?: OrchardSettings;
  /** Workspace trust sent in initializationOptions; 'unsent' omits it (clients other than VS Code). */
  trusted?: boolean | 'unsent';
  pull?: boolean;
  /** Seeds the store before the server starts: env → [name, value, type]. */
  seed?: Record<string, [string, string, 'String' | 'SecureString'][]>;
  diagnosticsDelayMs?: number;
  /** Poll interval of store change tokens (0 = off, the default here). */
  changePollMs?: number;
  /** Wraps each store (e.g. to count calls). */
  wrapStore?: (s: ParameterStore) => ParameterStore;
  /** Initialize without `workspace.configuration` (like Neovim 0.7): settings must be pushed. */
  noConfigCapability?: boolean;
  /** Sees what the server passes to its store factory (the settings it chose backends from). */
  onCreateStore?: (env: string, settings: OrchardSettings) => void;
  /** Wait for the server's full start (scan and first backend refresh); default true. */
  waitReady?: boolean;
  /** Per-request budget overrides (ms). */
  requestBudgetMs?: Record<string, number>;
  /** Sent as initializationOptions.machineSettings (what the VS Code client builds from machine scope). */
  machineSettings?: MachineSettings;
  /** Replaces the temp local store (e.g. an SSM store pointed at moto); `seed` is then ignored. */
  storeFactory?: (env: string) => ParameterStore;
  /** The runtime's parse cache (none by default, as when run from source). */
  parseCache?: ServerRuntime['parseCache'];
  /** The runtime's hook after the first full report (the server process favours memory from then on). */
  afterFirstReport?: ServerRuntime['afterFirstReport'];
  /** An existing folder to hold ws/ and store/ instead of a new temporary one; kept on close (a second server on the same files). */
  base?: string;
}

export async function seedStore(dir: string, seed: NonNullable<HarnessOptions['seed']>): Promise<void> {
  for (const [env, items] of Object.entries(seed)) {
    const s = openLocalStore({ dir, env });
    for (const [name, value, type] of items) {
      const r = await s.put({ name, value, type, overwrite: true });
      if (!r.ok) throw new Error(`seed failed for ${name}: ${r.reason}`);
    }
  }
}

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const base = opts.base ?? mkdtempSync(path.join(tmpdir(), 'orchard-lsp-'));
  const root = path.join(base, 'ws');
  const storeDir = path.join(base, 'store');
  mkdirSync(root, { recursive: true });
  mkdirSync(storeDir, { recursive: true });
  writeTree(root, opts.files);
  opts.prepare?.(root);
  if (opts.seed) await seedStore(storeDir, opts.seed);

  const logs: string[] = [];
  const wire: string[] = [];
  const logger: Logger = {
    error: (m) => logs.push(`error ${m}`),
    warn: (m) => logs.push(`warn ${m}`),
    info: (m) => logs.push(`info ${m}`),
    debug: (m) => logs.push(`debug ${m}`),
  };
  const up = new PassThrough();
  const down = new PassThrough();
  down.on('data', (b: Buffer) => wire.push(b.toString('utf8')));
  const serverConn = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  const server = startServer(serverConn, {
    timers: realTimers,
    readFile: readFileLimited,
    readFileSync: readFileLimitedSync,
    findConfigFiles,
    walkFiles: walkConfigFiles,
    createStore: (env, s) => {
      opts.onCreateStore?.(env, s);
      return (opts.wrapStore ?? ((x) => x))(opts.storeFactory?.(env) ?? openLocalStore({ dir: storeDir, env }));
    },
    logger,
    diagnosticsDelayMs: opts.diagnosticsDelayMs ?? 0,
    changePollMs: opts.changePollMs ?? 0,
    requestBudgetMs: opts.requestBudgetMs,
    parseCache: opts.parseCache,
    afterFirstReport: opts.afterFirstReport,
  });
  serverConn.listen();

  const client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const settings: OrchardSettings = { environments: ['dev', 'qa', 'prod'], refreshInterval: 0, ...opts.settings };
  const diagnostics = new Map<string, Diagnostic[]>();
  const waiters: (() => void)[] = [];
  const notifications: { method: string; params: unknown }[] = [];
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
  client.onRequest('client/registerCapability', (p: unknown) => {
    notifications.push({ method: 'client/registerCapability', params: p });
    return null;
  });
  client.onRequest('workspace/diagnostic/refresh', () => null);
  client.onNotification('window/logMessage', (m: { message: string }) => void logs.push(`client ${m.message}`));
  client.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: Diagnostic[] }) => {
    diagnostics.set(p.uri, p.diagnostics);
    for (const w of waiters.splice(0)) w();
  });
  client.onNotification('orchard/backendChanged', (p: unknown) => void notifications.push({ method: 'orchard/backendChanged', params: p }));
  client.onNotification('window/showMessage', (p: unknown) => void notifications.push({ method: 'window/showMessage', params: p }));
  client.onRequest('window/showMessageRequest', (p: unknown) => {
    notifications.push({ method: 'window/showMessage', params: p });
    return null;
  });
  client.onRequest('window/showDocument', (p: unknown) => {
    notifications.push({ method: 'window/showDocument', params: p });
    return { success: true };
  });
  client.listen();

  const rootUri = pathToFileURL(root).href;
  await client.sendRequest('initialize', {
    processId: null,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'ws' }],
    capabilities: {
      workspace: { configuration: !opts.noConfigCapability, didChangeWatchedFiles: { dynamicRegistration: true } },
      textDocument: opts.pull ? { diagnostic: { dynamicRegistration: false } } : {},
      ...(opts.showDocument ? { window: { showDocument: { support: true } } } : {}),
    },
    initializationOptions: { ...(opts.trusted === 'unsent' ? {} : { workspaceTrusted: opts.trusted ?? true }), ...(opts.machineSettings ? { machineSettings: opts.machineSettings } : {}) },
  });
  client.sendNotification('initialized', {});
  if (opts.waitReady !== false) await server.ready();

  const uri = (rel: string) => pathToFileURL(path.join(root, rel)).href;
  const h: Harness = {
    client,
    server,
    logs,
    wire,
    root,
    storeDir,
    uri,
    diagnostics,
    settings,
    notifications,
    async waitForDiagnostics(u, pred, timeoutMs = 10000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const d = diagnostics.get(u);
        if (d && pred(d)) return d;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for diagnostics of ${u}; have ${JSON.stringify(d?.map((x) => x.code))}`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, left);
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
    },
    async open(rel, text) {
      const u = uri(rel);
      const t = text ?? readFileSync(path.join(root, rel), 'utf8');
      const languageId = rel.endsWith('.py') ? 'python' : 'json';
      client.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId, version: 1, text: t } });
      return u;
    },
    change(rel, version, text) {
      client.sendNotification('textDocument/didChange', { textDocument: { uri: uri(rel), version }, contentChanges: [{ text }] });
    },
    async close() {
      await client.sendRequest('shutdown').catch(() => undefined);
      client.dispose();
      serverConn.dispose();
      await server.dispose();
      if (!opts.base) rmSync(base, { recursive: true, force: true });
    },
  };
  return h;
}

/** Splits fixture text at the `|` cursor marker: text without it and the marker's position. */
export function cursor(textWithMarker: string, marker = '|'): { text: string; line: number; character: number } {
  const i = textWithMarker.indexOf(marker);
  if (i < 0) throw new Error('no cursor marker');
  const text = textWithMarker.slice(0, i) + textWithMarker.slice(i + marker.length);
  const before = textWithMarker.slice(0, i);
  const line = before.split('\n').length - 1;
  return { text, line, character: i - (before.lastIndexOf('\n') + 1) };
}
