// The language server: owns the document cache, the backend cache, settings, trust and the
// lifecycle; diagnostics are published by diagnostics.ts, the language features registered by
// languageFeatures.ts, the document and file events by documentEvents.ts and the custom requests by
// custom/apps/credentials.ts. `startServer` is used
// by `main.ts` (stdio / node IPC) and by the protocol tests (in-memory streams).
import {
  DidChangeConfigurationNotification,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type CancellationToken,
  type DocumentDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import type { Finding } from '../analysis/types';
import type { WorkspaceModel } from '../model/types';
import { initPython } from '../parse/python';
import { toPath, toUri } from '../model/uris';
import { renderFiggyJson } from '../model/figgyJsonWriter';
import type { FeatureContext } from '../features/types';
import { BackendCache, describeError } from './backend';
import { DocumentCache } from './documents';
import { registerWatchers } from './watchers';
import { registerDocumentEvents } from './documentEvents';
export { WATCHED_GLOBS } from './watchers';
import { registerCustomRequests } from './custom';
import { registerLanguageFeatures } from './languageFeatures';
import { registerAppsRequest } from './apps';
import { registerCredentialRequests } from './credentials';
import { registerServerCommands, SERVER_COMMAND_IDS } from './serverCommands';
import { makeGuard, type Guard } from './guard';
import { DiagnosticsPublisher, WORKSPACE_PULL_HOLD_MS } from './diagnostics';
import {
  BackendChangedNotification,
  MachineSettingsNotification,
  SETTINGS_SECTION,
  TrustChangedNotification,
  type BackendChangedParams,
  type MachineSettings,
  type OrchardInitOptions,
  type OrchardSettings,
  type TrustChangedParams,
} from './protocol';
import { silentLogger, type ServerRuntime } from './runtime';
import { version as packageVersion } from '../../../package.json';

export const DEFAULT_ENVS = ['dev'];

const DEFAULT_REFRESH_SECONDS = 60;


/** Handle returned to tests and the entry point. */
export interface OrchardServer {
  /** Resolves when the initial scan and first backend refresh are done. */
  ready(): Promise<void>;
  /** Waits for pending push diagnostics (tests). */
  idle(): Promise<void>;
  readonly docs: DocumentCache;
  readonly backend: BackendCache;
  dispose(): Promise<void>;
}

export interface ServerState {
  connection: Connection;
  runtime: ServerRuntime;
  docs: DocumentCache;
  backend: BackendCache;
  log: NonNullable<ServerRuntime['logger']>;
  envs(): string[];
  trusted(): boolean;
  settings(): OrchardSettings;
  workspace(): Promise<WorkspaceModel>;
  ready(): Promise<void>;
  setEnvs(envs: string[]): Promise<void>;
  /** Re-reads the stores of `envs` (default all), then notifies the client and recomputes diagnostics. */
  refresh(reason: BackendChangedParams['reason'], envs?: string[]): Promise<string[]>;
  /** One file's current findings (what its diagnostics stand for: code actions look them up). */
  findingsOf(uri: string): Promise<readonly Finding[]>;
  guard: Guard;
}

/** How long after the push that follows a scan its parse cache is written (ms). */
const PARSE_CACHE_DELAY_MS = 3000;

export function startServer(connection: Connection, runtime: ServerRuntime): OrchardServer {
  const log = runtime.logger ?? silentLogger;
  const docs = new DocumentCache(runtime);
  const backend = new BackendCache(runtime, log);
  const timers = runtime.timers;
  const guard = makeGuard(runtime, log);
  // The Python grammar loads (wasm compile) while the client and server shake hands; a failure is
  // reported where start-up awaits it again (initPython retries).
  void initPython().catch(() => undefined);

  let roots: string[] = [];
  let settings: OrchardSettings = {};
  /** Backends, store folder and value display: from the client's machine scope only (see protocol.ts). */
  let machine: MachineSettings = {};
  let warnedWorkspaceBackends = false;
  let initOptions: OrchardInitOptions = {};
  let envs: string[] = DEFAULT_ENVS;
  let trusted = false;
  let pullDiagnostics = false;
  let configCapable = false;
  let watchRegistrable = false;
  let configRegistrable = false;
  let showDocument = false;
  let disposed = false;

  let readyResolve!: () => void;
  const readyPromise = new Promise<void>((r) => (readyResolve = r));
  // Language features need the files, not the backends: a store that is slow to answer (or never
  // does) must not hold hover or completion hostage. They wait for this; diagnostics for readyPromise.
  let scannedResolve!: () => void;
  const scannedPromise = new Promise<void>((r) => (scannedResolve = r));
  let refreshTimer: unknown;
  let pollTimer: unknown;

  // Diagnostics: findings of the whole workspace, pushed or pulled (lsp/diagnostics.ts).
  const diagnostics = new DiagnosticsPublisher({
    connection,
    docs,
    backend,
    log,
    timers,
    delayMs: runtime.diagnosticsDelayMs ?? 150,
    ready: readyPromise,
    trusted: () => trusted,
    envs: () => envs,
    settings: () => settings,
    pulls: () => pullDiagnostics,
    disposed: () => disposed,
  });
  const schedulePush = (): void => diagnostics.schedule();
  /**
   * Writes the parse caches a scan filled PARSE_CACHE_DELAY_MS after the push it led to (the first
   * diagnostics never wait for it, and the user's first requests seldom meet it), giving the message
   * loop a turn every few milliseconds; at shutdown if it has not run by then.
   */
  let cacheTimer: unknown;
  const writeCaches = (pause?: () => Promise<void>): Promise<void> =>
    docs.saveParseCaches(pause).catch((e: unknown) => log.warn(`parse cache not saved: ${describeError(e)}`));
  const saveParseCaches = (): void => {
    timers.setTimeout(() => {
      void diagnostics.idle().then(() => {
        if (disposed) return;
        if (cacheTimer !== undefined) timers.clearTimeout(cacheTimer);
        cacheTimer = timers.setTimeout(() => {
          cacheTimer = undefined;
          void writeCaches(() => new Promise((r) => setImmediate(r)));
        }, PARSE_CACHE_DELAY_MS);
      });
    }, 0);
  };

  // ------------------------------------------------------------------------------------------
  // Settings, trust, backend

  function hoverPolicy(): 'never' | 'plain' {
    return machine.hover?.values === 'plain' ? 'plain' : 'never';
  }

  /** Keeps only well-formed machine settings (a client could send anything). */
  function cleanMachine(m: unknown): MachineSettings {
    if (!m || typeof m !== 'object') return {};
    const o = m as MachineSettings;
    const out: MachineSettings = {};
    if (o.backends && typeof o.backends === 'object' && !Array.isArray(o.backends)) out.backends = o.backends;
    if (typeof o.localStoreDir === 'string' && o.localStoreDir) out.localStoreDir = o.localStoreDir;
    if (o.hover?.values === 'plain' || o.hover?.values === 'never') out.hover = { values: o.hover.values };
    return out;
  }

  /** What the store factory sees: machine-scoped values only, never the workspace's. */
  function storeSettings(): OrchardSettings {
    return { backends: machine.backends, localStoreDir: machine.localStoreDir };
  }

  /**
   * Settings come from `workspace/configuration` when the client answers it; clients that cannot
   * (Neovim 0.7, many others) push them with `didChangeConfiguration` instead (`pushed`).
   */
  async function loadSettings(pushed?: unknown): Promise<void> {
    if (!configCapable && pushed && typeof pushed === 'object') settings = pushed as OrchardSettings;
    if (configCapable) {
      try {
        const s = (await connection.workspace.getConfiguration({ section: SETTINGS_SECTION })) as OrchardSettings | null;
        settings = s && typeof s === 'object' ? s : {};
      } catch (e) {
        log.warn(`could not read settings: ${describeError(e)}`);
      }
    }
    if (!warnedWorkspaceBackends && (settings.backends !== undefined || settings.localStoreDir || settings.hover?.values === 'plain')) {
      warnedWorkspaceBackends = true;
      log.warn(
        'ignoring orchard.backends, orchard.localStoreDir and orchard.hover.values from workspace/configuration: backends come from your Orchard config file (or, in VS Code, machine-scoped settings), so a project cannot redirect them',
      );
    }
    const fromSettings = Array.isArray(settings.environments) ? settings.environments.filter((e) => typeof e === 'string' && e) : [];
    envs = initOptions.environments?.length ? initOptions.environments : fromSettings.length ? fromSettings : envs;
    diagnostics.settingsChanged();
  }

  async function reconfigureBackend(): Promise<void> {
    await backend.configure(envs, storeSettings(), trusted);
    diagnostics.backendChanged();
    startTimers();
  }

  function startTimers(): void {
    if (refreshTimer !== undefined) timers.clearInterval(refreshTimer);
    if (pollTimer !== undefined) timers.clearInterval(pollTimer);
    refreshTimer = pollTimer = undefined;
    if (!trusted || disposed) return;
    const secs = typeof settings.refreshInterval === 'number' ? settings.refreshInterval : DEFAULT_REFRESH_SECONDS;
    if (secs > 0) refreshTimer = timers.setInterval(() => void refresh('refresh'), Math.max(5, secs) * 1000);
    const poll = runtime.changePollMs ?? 2000;
    if (poll > 0) {
      pollTimer = timers.setInterval(() => {
        void backend
          .changedEnvs()
          .then((changed) => (changed.length ? refresh('watcher', changed) : undefined))
          .catch((e) => log.warn(`change poll failed: ${describeError(e)}`));
      }, poll);
    }
  }

  async function refresh(reason: BackendChangedParams['reason'], which?: string[]): Promise<string[]> {
    if (!trusted || disposed) return [];
    const ws = await docs.workspace();
    const done = await backend.refresh(ws, hoverPolicy(), which);
    diagnostics.refreshed();
    if (done.length) {
      void Promise.resolve(connection.sendNotification(BackendChangedNotification.method, { envs: done, reason } satisfies BackendChangedParams)).catch(() => undefined);
    }
    schedulePush();
    return done;
  }

  const state: ServerState = {
    connection,
    runtime,
    docs,
    backend,
    log,
    envs: () => envs,
    trusted: () => trusted,
    settings: () => settings,
    workspace: () => docs.workspace(),
    ready: () => readyPromise,
    setEnvs: async (next) => {
      envs = next.filter((e) => typeof e === 'string' && e.length > 0);
      diagnostics.settingsChanged();
      await reconfigureBackend();
      await refresh('settings');
    },
    refresh,
    findingsOf: async (uri) => (await diagnostics.findings()).get(uri) ?? [],
    guard,
  };

  /** What the pure features read (the language features module adds getText for files not open). */
  async function featureContext(): Promise<FeatureContext> {
    await scannedPromise;
    const ws = await docs.workspace();
    const ctx: FeatureContext = {
      workspace: ws,
      envStates: trusted ? backend.envStates : new Map(),
      envs,
      hoverValues: hoverPolicy(),
      plainValue: (env, path) => backend.plainValue(env, path),
      sourcePaths: sourcePaths(),
      getText: (uri) => docs.text(uri),
      renderFiggyJson,
    };
    return ctx;
  }

  function sourcePaths(): string[] {
    const out = new Set<string>();
    for (const st of backend.envStates.values()) for (const p of st.params.keys()) if (!p.startsWith('/app/')) out.add(p);
    for (const p of sharedListing) out.add(p);
    return [...out].sort();
  }
  let sharedListing: string[] = [];
  async function loadSharedListing(): Promise<void> {
    const env = envs.find((e) => backend.store(e));
    if (!env) return;
    const r = await backend.list(env, '/shared');
    if (r) sharedListing = r.parameters.map((p) => p.name);
  }

  // ------------------------------------------------------------------------------------------
  // Lifecycle

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    pullDiagnostics = Boolean(caps.textDocument?.diagnostic);
    configCapable = Boolean(caps.workspace?.configuration);
    watchRegistrable = Boolean(caps.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    configRegistrable = Boolean(caps.workspace?.didChangeConfiguration?.dynamicRegistration);
    showDocument = Boolean(caps.window?.showDocument?.support);
    initOptions = (params.initializationOptions ?? {}) as OrchardInitOptions;
    // VS Code always says; any other client started the server itself, which is trust enough.
    trusted = initOptions.workspaceTrusted !== false;
    const fallback = runtime.defaultEnvs?.().filter((e) => typeof e === 'string' && e) ?? [];
    if (fallback.length) envs = fallback;
    machine = cleanMachine(initOptions.machineSettings);
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    roots = folders.map((u) => toPath(u));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', "'", '/', '$', '{', '(', ',', '='], resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: ['quickfix', 'source', 'refactor.rewrite'] },
        executeCommandProvider: { commands: SERVER_COMMAND_IDS },
        ...(pullDiagnostics ? { diagnosticProvider: { identifier: 'orchard', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
        workspace: { workspaceFolders: { supported: true } },
      },
      serverInfo: { name: 'orchard-language-server', version: packageVersion },
    };
  });

  connection.onInitialized(() => {
    void (async () => {
      try {
        if (watchRegistrable) {
          await registerWatchers(connection);
        }
        if (configRegistrable) await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
      } catch (e) {
        log.warn(`registration failed: ${describeError(e)}`);
      }
      try {
        await initPython();
        await loadSettings();
        docs.setJsonFiles(settings.figgyJsonFiles);
        docs.setScanOptions({ exclude: settings.exclude, appRoots: settings.apps?.roots, parseCache: settings.parseCache }, roots[0]);
        const t0 = performance.now();
        const n = await docs.scan(roots).finally(() => scannedResolve());
        watchComposeNamed();
        const t1 = performance.now();
        const threads = docs.scanThreads ? ` (${docs.scanThreads.inWorkers} parsed on ${docs.scanThreads.workers} worker thread(s))` : '';
        const cached = docs.scanCache ? `; ${docs.scanCache.hits} unchanged since the last scan (parse cache${docs.scanCache.disabled ? ` not used: ${docs.scanCache.disabled}` : ''})` : '';
        log.info(`scanned ${roots.length} folder(s) in ${Math.round(t1 - t0)} ms: ${n} config file(s)${threads}${cached}; environments ${envs.join(', ')}; ${trusted ? 'trusted' : 'untrusted: parse-only'}`);
        await reconfigureBackend();
        await refresh('refresh');
        await loadSharedListing().catch(() => undefined);
        log.info(`stores read in ${Math.round(performance.now() - t1)} ms`);
      } catch (e) {
        log.error(`initialisation failed: ${describeError(e)}`);
      } finally {
        scannedResolve();
        readyResolve();
        diagnostics.schedule(true);
        saveParseCaches();
        void diagnostics.firstReport.then(() => runtime.afterFirstReport?.());
      }
    })();
  });

  connection.onDidChangeConfiguration((params) => {
    void (async () => {
      await readyPromise;
      const envsBefore = envs.join('\n');
      const intervalBefore = settings.refreshInterval;
      await loadSettings((params?.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION]);
      // Which JSON files are Figgy files changed: read the folders again.
      const jsonChanged = docs.setJsonFiles(settings.figgyJsonFiles);
      const excludeChanged = docs.setScanOptions({ exclude: settings.exclude, appRoots: settings.apps?.roots, parseCache: settings.parseCache }, roots[0]);
      if (jsonChanged || excludeChanged) {
        await docs.scan(roots);
        watchComposeNamed();
        saveParseCaches();
      }
      diagnostics.invalidate();
      if (envs.join('\n') !== envsBefore) {
        await reconfigureBackend();
        await refresh('settings');
      } else {
        // The same environments: the stores and what they said stay (reopening them made every
        // hover say "unknown" until they were read again); only the refresh timer may change.
        if (settings.refreshInterval !== intervalBefore) startTimers();
        schedulePush();
      }
    })().catch((e) => log.error(`settings change failed: ${describeError(e)}`));
  });

  connection.onNotification(MachineSettingsNotification.method, (p: MachineSettings) => {
    void (async () => {
      await readyPromise;
      const next = cleanMachine(p);
      if (JSON.stringify(next) === JSON.stringify(machine)) return;
      machine = next;
      diagnostics.settingsChanged();
      diagnostics.invalidate();
      await reconfigureBackend();
      await refresh('settings');
    })().catch((e) => log.error(`machine settings change failed: ${describeError(e)}`));
  });

  connection.onNotification(TrustChangedNotification.method, (p: TrustChangedParams) => {
    void (async () => {
      await readyPromise;
      if (Boolean(p?.trusted) === trusted) return;
      trusted = Boolean(p?.trusted);
      diagnostics.invalidate();
      await reconfigureBackend();
      await refresh('trust');
      schedulePush();
    })().catch((e) => log.error(`trust change failed: ${describeError(e)}`));
  });

  // ------------------------------------------------------------------------------------------
  // Documents and files (documentEvents.ts)

  const { watchComposeNamed } = registerDocumentEvents({
    connection,
    docs,
    diagnostics,
    log,
    roots: () => roots,
    watchRegistrable: () => watchRegistrable,
    schedulePush,
    saveParseCaches,
  });

  // ------------------------------------------------------------------------------------------
  // Features

  connection.languages.diagnostics.on(
    guard('diagnostics', { kind: 'full' as const, items: [] as Diagnostic[] } as DocumentDiagnosticReport, async (p: { textDocument: { uri: string }; previousResultId?: string }) =>
      diagnostics.forDocument(p.textDocument.uri, typeof p.previousResultId === 'string' ? p.previousResultId : undefined),
    ) as Parameters<typeof connection.languages.diagnostics.on>[0],
  );

  // Held open only for clients that stream (a partialResultToken, as VS Code's sends; the library
  // takes it out of the params and hands a reporter instead): one that pulls once and waits for the
  // answer (a command in another editor) gets it at once.
  const workspacePull = guard('workspaceDiagnostics', { items: [] as WorkspaceDocumentDiagnosticReport[] }, async (p: { previousResultIds?: { uri: string; value: string }[]; streams: boolean }, token) => ({
    items: await diagnostics.workspaceReport(p.previousResultIds ?? [], token, p.streams ? WORKSPACE_PULL_HOLD_MS : 0),
  }));
  connection.languages.diagnostics.onWorkspace(((p: { previousResultIds?: { uri: string; value: string }[] }, token: CancellationToken, _progress: unknown, partial: unknown) =>
    workspacePull({ previousResultIds: p?.previousResultIds, streams: partial !== undefined }, token)) as Parameters<typeof connection.languages.diagnostics.onWorkspace>[0]);

  registerLanguageFeatures(state, featureContext);
  registerCustomRequests(state);
  registerAppsRequest(state);
  registerCredentialRequests(state);
  registerServerCommands(connection, () => showDocument);

  connection.onShutdown(async () => {
    await dispose();
  });

  async function dispose(): Promise<void> {
    if (disposed) return;
    disposed = true;
    if (refreshTimer !== undefined) timers.clearInterval(refreshTimer);
    if (pollTimer !== undefined) timers.clearInterval(pollTimer);
    diagnostics.dispose();
    // What the last scan parsed and no timer has written yet (nothing when there is none).
    if (cacheTimer !== undefined) timers.clearTimeout(cacheTimer);
    cacheTimer = undefined;
    await writeCaches();
    await backend.disposeStores();
  }

  return {
    ready: () => readyPromise,
    idle: async () => {
      await readyPromise;
      await diagnostics.idle();
    },
    docs,
    backend,
    dispose,
  };
}

export { toUri };
