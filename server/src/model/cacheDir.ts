// Where Orchard keeps its caches (the warm-check cache of `orchard check`, the parse cache). Its own
// file: the CLI's command line takes it in without the parse cache's dependencies.
import * as os from 'node:os';
import * as path from 'node:path';

/** `--cache-dir`, else $ORCHARD_CACHE_DIR, else $XDG_CACHE_HOME/orchard, else ~/.cache/orchard. */
export function cacheRoot(explicit?: string): string {
  if (explicit) return path.resolve(explicit);
  if (process.env.ORCHARD_CACHE_DIR) return path.resolve(process.env.ORCHARD_CACHE_DIR);
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'orchard');
}
