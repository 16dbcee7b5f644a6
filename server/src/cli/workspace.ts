// The workspace under a CLI command's PATH: walked, scanned and built (the engine side of the CLI).
import * as path from 'node:path';
import { scanWorkspace, walkConfigFiles, type ScannedFiles } from '../model/scan';
import { toUri } from '../model/uris';
import type { WalkResult } from '../model/walk';
import { BUILD_ID, ParseCache, cacheRoot } from '../model/parseCache';
import { buildWorkspace, type PairingMode } from '../model/build';
import type { WorkspaceModel } from '../model/types';
import { requirePath } from './context';
import { collectGarbage } from './memory';

export interface LoadOptions {
  pairing?: PairingMode;
  /** Folders outside `target` that figgy.json imports may read (config `allowImportsFrom`, `--allow-imports-from`). */
  allowImportsFrom?: string[];
  /** Globs narrowing which `*.json` files are read as Figgy files (`none`: only figgy.json names). */
  jsonFiles?: string[];
  /** Folders that are twelve-factor apps (`--app-root`). */
  appRoots?: string[];
  /** Globs (gitignore syntax) of files and folders not to read. */
  exclude?: string[];
  /** The walk, already done by `walkTarget` with the same options. */
  walk?: WalkResult;
  /** Sees the scanned files before the model is built (what was read beyond the walk). */
  onScanned?: (s: ScannedFiles) => void;
  /**
   * The parse cache (model/parseCache.ts): by default on, in cacheRoot(), for a built Orchard (from
   * source no build identifies the parser: off unless `build` is given); `false` (`--no-cache`): off.
   */
  parseCache?: { dir?: string; build?: string } | false;
}

/**
 * Scans and builds the workspace under `target`. figgy.json imports stay inside `target` unless the
 * user allowed more folders.
 */
export async function loadWorkspace(target: string, opts: LoadOptions = {}): Promise<WorkspaceModel> {
  requirePath(target);
  const root = path.resolve(target);
  const cache = openParseCache(root, opts.parseCache);
  const scanned = await scanWorkspace(root, { allowImportsFrom: (opts.allowImportsFrom ?? []).map((d) => path.resolve(d)), jsonFiles: jsonGlobs(opts), exclude: opts.exclude, walk: opts.walk, syncIo: true, cache });
  opts.onScanned?.(scanned);
  // The scan's garbage goes before the model grows on it (cli/memory.ts); not worth it for small trees.
  if (modelCount(scanned) >= LARGE_SCAN) collectGarbage();
  const appRoots = opts.appRoots?.map((d) => toUri(path.resolve(d)).replace(/\/+$/, ''));
  return buildWorkspace(scanned, { pairing: opts.pairing, appRoots });
}

/** Scanned files from which a full collection pays off between the scan and the model. */
const LARGE_SCAN = 256;

function modelCount(s: ScannedFiles): number {
  const { charms, dotenv, compose, helm } = s.env;
  return s.python.length + s.figgyJson.length + s.secrets.length + s.credentials.length + charms.length + dotenv.length + compose.length + helm.length;
}

function openParseCache(root: string, o: LoadOptions['parseCache']): ParseCache | undefined {
  if (o === false) return undefined;
  const build = o?.build ?? BUILD_ID;
  return build === undefined ? undefined : ParseCache.open({ dir: o?.dir ?? cacheRoot(), root, build });
}

function jsonGlobs(opts: LoadOptions): string[] | undefined {
  return opts.jsonFiles?.length === 1 && opts.jsonFiles[0] === 'none' ? [] : opts.jsonFiles;
}

/** The walk loadWorkspace does for these options (the check cache walks first, then passes it on). */
export function walkTarget(target: string, opts: LoadOptions = {}): Promise<WalkResult> {
  requirePath(target);
  return walkConfigFiles(path.resolve(target), { jsonFiles: jsonGlobs(opts), exclude: opts.exclude, syncIo: true });
}
