// Findings as they are kept: a large workspace holds tens of thousands of them (28,000 for 2,000
// generated services with every parameter missing), through the rules' memos, the incremental
// analyzer and the CLI's output. Their messages are built by templates, which V8 keeps as trees of
// pieces (~3× the characters); environment lists repeat the same few combinations.
import { flat } from '../parse/text';
import type { Finding } from './types';

/** Distinct environment lists shared (frozen: nothing changes a finding's list in place). */
const sharedEnvLists = new Map<string, string[]>();
const MAX_SHARED_LISTS = 4096;

function sharedEnvs(envs: string[]): string[] {
  const key = envs.join('\n');
  const known = sharedEnvLists.get(key);
  if (known) return known;
  if (sharedEnvLists.size < MAX_SHARED_LISTS) sharedEnvLists.set(key, Object.freeze(envs.slice()) as string[]);
  return sharedEnvLists.get(key) ?? envs;
}

/** Makes a rule's new findings compact, in place (idempotent: a memoised finding may come again). */
export function settle(found: readonly Finding[]): void {
  for (const f of found) {
    flat(f.message);
    if (f.related) for (const r of f.related) flat(r.message);
    // A shared list is frozen: a finding seen before (a rule's memo, a whole-workspace rule run
    // again on a keystroke) costs no lookup.
    if (f.envs && !Object.isFrozen(f.envs)) {
      const envs = sharedEnvs(f.envs);
      if (f.data && 'envs' in f.data && f.data.envs === f.envs) f.data.envs = envs;
      f.envs = envs;
    }
  }
}
