// Entry of the language server bundle (`dist/server.js`): `--stdio` for any editor, `--node-ipc`
// for VS Code. Builds the Node runtime and hands over to startServer; nothing else lives here.
import { BUILD_ID, ParseCache, cacheRoot } from '../model/parseCache';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { MAX_FILE_BYTES, findConfigFiles, walkConfigFiles } from '../model/scan';
import { createStore, UnavailableStore } from '../store/factory';
import { effectiveEnvs, loadConfig, mergeConfig, type ConfigOverrides, type EnvConfig } from '../store/config';
import { startServer } from './server';
import { readRegularFile, readRegularFileSync, type ReadOutcome } from '../fsread';
import { realTimers, type Logger, type ServerRuntime } from './runtime';
import type { OrchardSettings } from './protocol';
import type { ParameterStore } from '../store/types';
import { quietSdkNodeWarning } from '../store/sdkWarnings';
import { version as packageVersion } from '../../../package.json';
import { setFlagsFromString } from 'node:v8';

const VERSION: string = packageVersion;

/**
 * Backend per environment from the user's config file, overlaid with `backends` and
 * `localStoreDir` from the client's machine settings (startServer passes nothing else here, so a
 * workspace cannot set them). An environment nobody configured uses the embedded local store.
 * Never throws.
 */
export function defaultStoreFactory(env: string, settings: OrchardSettings, onWarning?: (message: string) => void): ParameterStore {
  const loaded = loadConfig();
  if (!loaded.ok) return new UnavailableStore(env, { kind: 'other', message: loaded.error });
  let config = loaded.config;
  if (settings.backends && typeof settings.backends === 'object') {
    config = mergeConfig(config, { environments: settings.backends as ConfigOverrides['environments'] }, { trusted: true }).config;
  }
  const dir = typeof settings.localStoreDir === 'string' && settings.localStoreDir ? settings.localStoreDir : undefined;
  let cfg: EnvConfig = config.environments[env] ?? { backend: 'local' };
  if (cfg.backend === 'local' && !cfg.dir && dir) cfg = { ...cfg, dir };
  return createStore(env, cfg, { onWarning });
}

/** Workspace files for the server: regular files only, at most MAX_FILE_BYTES (see fsread.ts). */
export function readFileLimited(p: string): Promise<ReadOutcome> {
  return readRegularFile(p, { maxBytes: MAX_FILE_BYTES });
}

/** readFileLimited without the thread pool (FIFOs and devices are still refused without waiting). */
export function readFileLimitedSync(p: string): ReadOutcome {
  return readRegularFileSync(p, { maxBytes: MAX_FILE_BYTES });
}

/** `allowImportsFrom` from the user config file (never from settings a workspace can set). */
export function userAllowedImportFolders(): string[] {
  const loaded = loadConfig();
  return loaded.ok ? (loaded.config.allowImportsFrom ?? []) : [];
}

function delayFromEnv(v: string | undefined): number | undefined {
  const n = v === undefined || v === '' ? NaN : Number(v);
  return Number.isInteger(n) && n >= 0 && n <= 10_000 ? n : undefined;
}

const USAGE = `Usage: orchard-language-server (--stdio | --node-ipc | --socket=<port> | --pipe=<name>)

The Orchard language server (Figgy parameters, twelve-factor variables, plaintext credentials).
Editors start it with one transport flag; see the README for Neovim, Helix and Emacs set-ups.

Options:
  --stdio            talk LSP over standard input and output
  --node-ipc         talk over Node IPC (VS Code)
  --socket=<port>    connect to a socket on 127.0.0.1
  --pipe=<name>      connect to a named pipe
  --version          print the version and exit
  --help             print this help and exit
`;

/** Answers --help / --version and refuses a missing transport; undefined when the server should start. */
export function cliPreflight(argv: readonly string[]): { out?: string; err?: string; code: number } | undefined {
  if (argv.includes('--help') || argv.includes('-h')) return { out: USAGE, code: 0 };
  if (argv.includes('--version') || argv.includes('-v')) return { out: `${VERSION}\n`, code: 0 };
  if (!argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe') || a.startsWith('--clientProcessId'))) {
    return { err: 'orchard-language-server: no transport given: start it with --stdio (or --node-ipc, --socket=<port>, --pipe=<name>); --help for more\n', code: 2 };
  }
  return undefined;
}

/**
 * Once every file's diagnostics are out, V8 favours memory over speed for the rest of the session:
 * its heap grows less ahead of need and, when the server goes idle, it compacts and gives back the
 * pages start-up used. Measured side by side (bench/lsp.ts "after 10 s idle", 2,000 services): RSS
 * 170-184 → 132-140 MiB; at 10,000 services 465-476 → 366-369 MiB; start-up untouched; keystroke
 * p95 in a config.py unchanged within noise, in a twelve-factor app's .env 16 → 32 ms (under the
 * 50 ms goal). Not from the first instruction on (`--optimize-for-size` on the command line): that
 * cost start-up 20-60% more CPU in collections.
 */
function favourMemory(): void {
  setFlagsFromString('--optimize-for-size');
}

function main(): void {
  const pre = cliPreflight(process.argv.slice(2));
  if (pre) {
    if (pre.out) process.stdout.write(pre.out);
    if (pre.err) process.stderr.write(pre.err);
    process.exitCode = pre.code;
    return;
  }
  quietSdkNodeWarning();
  const connection = createConnection(ProposedFeatures.all);
  // Logs go to the client's output channel (window/logMessage); callers never pass values.
  const logger: Logger = {
    error: (m) => connection.console.error(m),
    warn: (m) => connection.console.warn(m),
    info: (m) => connection.console.info(m),
    debug: (m) => connection.console.log(m),
  };
  const build = BUILD_ID;
  const runtime: ServerRuntime = {
    timers: realTimers,
    readFile: readFileLimited,
    readFileSync: readFileLimitedSync,
    findConfigFiles,
    walkFiles: walkConfigFiles,
    createStore: (env, settings) => defaultStoreFactory(env, settings, (m) => logger.warn(m)),
    allowImportsFrom: userAllowedImportFolders,
    defaultEnvs: () => {
      const loaded = loadConfig();
      return loaded.ok ? effectiveEnvs(loaded.config) : [];
    },
    logger,
    // Shared with `orchard check` (same folder, same build): either one's scan spares the other's parsing.
    parseCache: build === undefined ? undefined : (root) => ParseCache.open({ dir: cacheRoot(), root, build }),
    // Debounce of diagnostics after an edit (default 150 ms); 0 in benches and the start-up race test.
    diagnosticsDelayMs: delayFromEnv(process.env.ORCHARD_DIAGNOSTICS_DELAY_MS),
    afterFirstReport: favourMemory,
  };
  startServer(connection, runtime);
  connection.listen();
}

// The bundle's own server and helpers, for benches that time the shipped code in-process (bench/lsp.ts).
export { startServer, realTimers, findConfigFiles };

if (require.main === module) main();
