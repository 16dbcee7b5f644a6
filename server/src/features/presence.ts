// Presence of a path in one environment for display. The decision itself lives in analysis/ so the
// editor and the CLI never disagree; an environment without gathered state is simply unknown.
import type { EnvState, Presence } from '../analysis/types';
import { presenceOf } from '../analysis/presence';

export function presenceIn(state: EnvState | undefined, path: string): Presence {
  return state ? presenceOf(state, path) : { state: 'unknown' };
}

export const PRESENCE_MARK = { present: '✓', missing: '✗', unknown: '?' } as const;
