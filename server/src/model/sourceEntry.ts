// What the sources of apps' variables share (model/appSources.ts, model/hostedSources.ts): an
// entry of a file as a provided variable, and the place of what a platform sets without an entry.
import type { Range } from '../parse/types';
import type { ProvidedVar } from './types';

/** What a file's entry (a key, its place, the value as written) provides; `how` is the source's own say. */
export function entryVar(uri: string, e: { key: string; keyRange: Range; value?: string | null; valueRange?: Range }, how: Pick<ProvidedVar, 'sensitive' | 'detail' | 'userDefined'>): ProvidedVar {
  return { name: e.key, uri, range: e.keyRange, value: e.value, valueRange: e.valueRange, ...how };
}

/** The start of a file: where a platform's own variables are placed when the file names no better spot. */
export const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
