// Whether a parameter exists in one environment, from the state gathered before rules run.
// "Missing" is claimed only when the backend positively said so (a complete listing that covers the
// path, or a lookup that came back absent); every other gap is "unknown", so a failure is never
// reported as absence.
import type { EnvState, Presence } from './types';
import type { StoreFailure } from '../store/types';

/** `/a/b/` and `/a/b` are the same prefix; `` and `/` cover everything. */
function normPrefix(prefix: string): string {
  const p = prefix.replace(/\/+$/, '');
  return p === '' ? '/' : p;
}

/** True when `prefix` covers `path`: equal, or an ancestor on a `/` boundary. */
export function prefixCovers(prefix: string, path: string): boolean {
  const p = normPrefix(prefix);
  if (p === '/') return true;
  return path === p || path.startsWith(`${p}/`);
}

interface Index {
  listedLen: number;
  failuresLen: number;
  listed: Set<string>;
  failures: Map<string, StoreFailure>;
  /** Per folder of a path (`/a/b` for `/a/b/c`): whether a listing covers it, its failure (null: none). */
  listedDirs: Map<string, boolean>;
  failedDirs: Map<string, StoreFailure | null>;
}

/** `/a/b/c` → `/a/b`; `/a` → `/`; `/` → undefined (nothing above the root). */
function parentOf(path: string): string | undefined {
  if (path === '/') return undefined;
  const i = path.lastIndexOf('/');
  return i > 0 ? path.slice(0, i) : '/';
}

/**
 * Whether `path` or a folder above it is in `prefixes` (`/` counts only with `root`). Asked for
 * every declared path of every service (90,000 questions at 2,000 services and three
 * environments); paths share folders, so each folder's answer is kept in `memo`.
 */
export function coveredBy(prefixes: ReadonlySet<string>, memo: Map<string, boolean>, path: string, root = true): boolean {
  if (prefixes.has(path)) return true;
  const dir = parentOf(path);
  if (dir === undefined || (dir === '/' && !root)) return false;
  let r = memo.get(dir);
  if (r === undefined) memo.set(dir, (r = coveredBy(prefixes, memo, dir, root)));
  return r;
}

function failureAt(idx: Index, path: string): StoreFailure | null {
  const own = idx.failures.get(path);
  if (own) return own;
  const dir = parentOf(path);
  if (dir === undefined) return null;
  let r = idx.failedDirs.get(dir);
  if (r === undefined) idx.failedDirs.set(dir, (r = failureAt(idx, dir)));
  return r;
}

// Rules ask about thousands of paths against thousands of listed twigs: index each state once.
// The lengths guard against a state that was extended after it was first indexed.
const cache = new WeakMap<EnvState, Index>();

function indexOf(state: EnvState): Index {
  const c = cache.get(state);
  if (c && c.listedLen === state.listedPrefixes.length && c.failuresLen === state.failures.length) return c;
  const failures = new Map<string, StoreFailure>();
  for (const f of state.failures) {
    const k = normPrefix(f.prefix);
    if (!failures.has(k)) failures.set(k, f.failure);
  }
  const idx: Index = {
    listedLen: state.listedPrefixes.length,
    failuresLen: state.failures.length,
    listed: new Set(state.listedPrefixes.map(normPrefix)),
    failures,
    listedDirs: new Map(),
    failedDirs: new Map(),
  };
  cache.set(state, idx);
  return idx;
}

/** The most specific failure that covers `path`, if any. */
export function failureFor(state: EnvState, path: string): StoreFailure | undefined {
  const idx = indexOf(state);
  if (idx.failures.size === 0) return undefined;
  return failureAt(idx, path) ?? undefined;
}

/** True when a complete listing covers `path`. */
export function isListed(state: EnvState, path: string): boolean {
  const idx = indexOf(state);
  return idx.listed.size > 0 && coveredBy(idx.listed, idx.listedDirs, path);
}

// Answers without a payload are shared (rules ask for every declared path on every keystroke).
const MISSING: Presence = Object.freeze({ state: 'missing' });
const UNKNOWN: Presence = Object.freeze({ state: 'unknown' });

export function presenceOf(state: EnvState, path: string): Presence {
  const meta = state.params.get(path);
  if (meta) return { state: 'present', meta };
  if (state.knownMissing.has(path)) return MISSING;
  // A failure wins over a listing: if any read covering this path failed, absence proves nothing.
  const failure = failureFor(state, path);
  if (failure) return { state: 'unknown', failure };
  if (isListed(state, path)) return MISSING;
  return UNKNOWN;
}

/**
 * True when nothing the store said covers `path`: no value, no lookup, no listing, no failure
 * (presenceOf gives `unknown` without a failure). The language server asks the stores about such paths.
 */
export function isUnasked(state: EnvState, path: string): boolean {
  if (state.params.get(path) || state.knownMissing.has(path)) return false;
  return failureFor(state, path) === undefined && !isListed(state, path);
}

/** True when the environment positively lacks `path` (presenceOf(...).state === 'missing', without the answer object). */
export function isMissing(state: EnvState, path: string): boolean {
  if (state.params.get(path)) return false;
  if (state.knownMissing.has(path)) return true;
  return failureFor(state, path) === undefined && isListed(state, path);
}
