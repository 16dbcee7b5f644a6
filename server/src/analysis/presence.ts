// Whether a parameter exists in one environment, from the state gathered before rules run.
// "Missing" is claimed only when the backend positively said so (a complete listing that covers the
// path, or a lookup that came back absent); every other gap is "unknown", so a failure is never
// reported as absence.
import type { EnvState, Presence } from './types';
import type { StoreFailure } from '../store/types';

/** True when `prefix` covers `path`: equal, or an ancestor on a `/` boundary. */
export function prefixCovers(prefix: string, path: string): boolean {
  if (prefix === '' || prefix === '/') return true;
  if (prefix.endsWith('/')) return path.startsWith(prefix);
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The most specific failure that covers `path`, if any. */
export function failureFor(state: EnvState, path: string): StoreFailure | undefined {
  let best: { prefix: string; failure: StoreFailure } | undefined;
  for (const f of state.failures) {
    if (prefixCovers(f.prefix, path) && (!best || f.prefix.length > best.prefix.length)) best = f;
  }
  return best?.failure;
}

export function presenceOf(state: EnvState, path: string): Presence {
  const meta = state.params.get(path);
  if (meta) return { state: 'present', meta };
  if (state.knownMissing.has(path)) return { state: 'missing' };
  // A failure wins over a listing: if any read covering this path failed, absence proves nothing.
  const failure = failureFor(state, path);
  if (failure) return { state: 'unknown', failure };
  if (state.listedPrefixes.some((p) => prefixCovers(p, path))) return { state: 'missing' };
  return { state: 'unknown' };
}
