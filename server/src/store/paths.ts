// Where the embedded local store keeps its files by default. Never inside a workspace: a store
// holds (encrypted) secrets and its key, and a workspace is what people commit and share.
import * as os from 'node:os';
import * as path from 'node:path';

export interface StoreDirContext {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * `$ORCHARD_STORE_DIR` if set, else the platform's per-user data folder + `orchard/store`:
 * Linux/other `$XDG_DATA_HOME` (fallback `~/.local/share`), macOS `~/Library/Application Support`,
 * Windows `%LOCALAPPDATA%` (fallback `~\AppData\Local`). The context parameter exists for tests.
 */
export function defaultStoreDir(ctx: StoreDirContext = {}): string {
  const env = ctx.env ?? process.env;
  const platform = ctx.platform ?? process.platform;
  const home = ctx.home ?? os.homedir();
  const explicit = env.ORCHARD_STORE_DIR;
  if (explicit && explicit.trim() !== '') return explicit;
  if (platform === 'win32') {
    const base = env.LOCALAPPDATA && env.LOCALAPPDATA.trim() !== '' ? env.LOCALAPPDATA : path.win32.join(home, 'AppData', 'Local');
    return path.win32.join(base, 'orchard', 'store');
  }
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', 'orchard', 'store');
  }
  // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'share');
  return path.posix.join(base, 'orchard', 'store');
}
