// What the server needs from its host, injected so tests (and other hosts) control time, files
// and backends. `main.ts` builds the Node runtime; protocol tests build their own.
import type { ParameterStore } from '../store/types';
import type { ReadOutcome } from '../fsread';
import type { WalkResult } from '../model/walk';
import type { ParseCache } from '../model/parseCache';
import type { OrchardSettings } from './protocol';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Log sink. Callers pass messages built from paths, codes and error names only, never values. */
export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export interface ServerRuntime {
  timers: Timers;
  /** Reads a regular file's text within the size limit; otherwise says why not (vanished, too large, a FIFO, denied). */
  readFile(path: string): Promise<ReadOutcome>;
  /**
   * The same read, synchronous: the start-up scan reads with it in time-boxed slices (an async read
   * per file cost more than the read itself). Optional: without it the scan reads asynchronously.
   */
  readFileSync?(path: string): ReadOutcome;
  /** Lists config files (by absolute path) under a root folder. */
  findConfigFiles(root: string): Promise<string[]>;
  /**
   * The same walk with what `.gitignore` and the user's excludes cover and what git tracks (the
   * credential scan skips ignored files; local-secrets rules need git's view). Optional: without it
   * nothing counts as ignored.
   */
  walkFiles?(root: string, opts: { exclude?: readonly string[] }): Promise<WalkResult>;
  /**
   * Outcomes of earlier scans of a workspace folder (model/parseCache.ts), for the start-up scan and
   * rescans: unchanged files are not parsed again. Optional: without it every file is parsed.
   */
  parseCache?(root: string): ParseCache | undefined;
  /** One backend per environment; called again when settings change. */
  createStore(env: string, settings: OrchardSettings): ParameterStore | Promise<ParameterStore>;
  logger?: Logger;
  /** Folders the user allows figgy.json imports to read outside the workspace (user config only). */
  allowImportsFrom?(): string[];
  /** The environments used when neither the client nor the settings name any (the CLI's: user config `defaultEnvs`, else its environments). */
  defaultEnvs?(): string[];
  /** Debounce of push diagnostics after a change (ms). Tests use 0. Default 150. */
  diagnosticsDelayMs?: number;
  /** Overrides of the per-request wall-clock budgets (ms) by request name (tests). */
  requestBudgetMs?: Record<string, number>;
  /** How often to poll stores' change tokens (ms); 0 disables. Default 2000. */
  changePollMs?: number;
  now?: () => Date;
  /**
   * Called once, after start-up, when every file's diagnostics went out for the first time (pushed,
   * or answered to a workspace pull). The server process uses it to tell V8 to favour memory from
   * then on.
   */
  afterFirstReport?(): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms) => {
    const h = setInterval(fn, ms);
    // Background refresh must never keep a finished process alive.
    h.unref?.();
    return h;
  },
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };
