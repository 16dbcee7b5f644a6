// The on-disk shape of one environment's file (`<dir>/<env>.json`) and its strict validator.
// Anything that does not match exactly is "corrupt": the store then answers `unknown` and refuses
// to write, so a hand-edited or damaged file is never silently replaced.
import { validateParameterName } from '../parse/paths';
import type { ParameterType } from './types';
import { isSealedValue, type SealedValue } from './crypto';

export const FILE_FORMAT = 'orchard-local-store';
export const FILE_FORMAT_VERSION = 1;

/** One version of a parameter, or a deletion marker. Versions are unique and increasing per name. */
export interface StoredVersion {
  version: number;
  type: ParameterType;
  lastModified: string;
  lastModifiedBy?: string;
  description?: string;
  /** String values only. */
  value?: string;
  /** SecureString values only. */
  sealed?: SealedValue;
  /** Deletion marker: the parameter did not exist after this point (until a later version). */
  deleted?: true;
}

export interface StoreData {
  env: string;
  /** Commit counter: +1 on every committed write. */
  serial: number;
  /** name → history, oldest first. A Map so names such as `__proto__` are just keys. */
  params: Map<string, StoredVersion[]>;
}

interface FileShape {
  format: string;
  formatVersion: number;
  env: string;
  serial: number;
  parameters: Record<string, { history: StoredVersion[] }>;
}

export function emptyData(env: string): StoreData {
  return { env, serial: 0, params: new Map() };
}

/** The live version, or undefined when the parameter never existed or its last entry is a deletion. */
export function currentOf(history: StoredVersion[] | undefined): StoredVersion | undefined {
  const last = history?.[history.length - 1];
  return last && !last.deleted ? last : undefined;
}

export function serialise(data: StoreData): string {
  const parameters = Object.fromEntries(
    [...data.params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, history]) => [name, { history }]),
  );
  const shape: FileShape = { format: FILE_FORMAT, formatVersion: FILE_FORMAT_VERSION, env: data.env, serial: data.serial, parameters };
  return `${JSON.stringify(shape, null, 2)}\n`;
}

export type ParseOutcome = { ok: true; data: StoreData } | { ok: false; reason: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const VERSION_KEYS = new Set(['version', 'type', 'lastModified', 'lastModifiedBy', 'description', 'value', 'sealed', 'deleted']);

/**
 * Validates the whole file. Reasons name keys and positions only, never values (JSON.parse's own
 * message can quote file text, which may be a String value, so it is not passed on).
 */
export function parseStoreFile(text: string, expectedEnv: string): ParseOutcome {
  if (text.trim() === '') return { ok: false, reason: 'the file is empty' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'it is not valid JSON (truncated or edited by hand?)' };
  }
  if (!isObj(raw)) return { ok: false, reason: 'the top level is not an object' };
  if (raw.format !== FILE_FORMAT) return { ok: false, reason: `"format" is not "${FILE_FORMAT}"` };
  if (raw.formatVersion !== FILE_FORMAT_VERSION) {
    return { ok: false, reason: `unsupported "formatVersion" (this Orchard reads ${FILE_FORMAT_VERSION})` };
  }
  if (raw.env !== expectedEnv) {
    // Sealed values are bound to their env, so a file copied from another env cannot be read here.
    return { ok: false, reason: `it belongs to environment ${JSON.stringify(typeof raw.env === 'string' ? raw.env : '?')}, not "${expectedEnv}"` };
  }
  if (typeof raw.serial !== 'number' || !Number.isSafeInteger(raw.serial) || raw.serial < 0) {
    return { ok: false, reason: '"serial" is not a non-negative integer' };
  }
  if (!isObj(raw.parameters)) return { ok: false, reason: '"parameters" is not an object' };
  const params = new Map<string, StoredVersion[]>();
  for (const [name, entry] of Object.entries(raw.parameters)) {
    const bad = validateParameterName(name);
    if (bad) return { ok: false, reason: `parameter name ${JSON.stringify(name)} is invalid: ${bad}` };
    if (!isObj(entry) || !Array.isArray(entry.history) || entry.history.length === 0) {
      return { ok: false, reason: `parameter ${name} has no "history" list` };
    }
    let prev = 0;
    for (let i = 0; i < entry.history.length; i++) {
      const problem = checkVersion(entry.history[i], prev);
      if (problem) return { ok: false, reason: `parameter ${name}, history[${i}]: ${problem}` };
      prev = (entry.history[i] as StoredVersion).version;
    }
    params.set(name, entry.history as StoredVersion[]);
  }
  return { ok: true, data: { env: expectedEnv, serial: raw.serial, params } };
}

function checkVersion(v: unknown, prev: number): string | undefined {
  if (!isObj(v)) return 'not an object';
  for (const k of Object.keys(v)) if (!VERSION_KEYS.has(k)) return `unexpected key "${k}"`;
  if (typeof v.version !== 'number' || !Number.isSafeInteger(v.version) || v.version <= prev) {
    return '"version" must be an integer greater than the previous one';
  }
  if (v.type !== 'String' && v.type !== 'SecureString') return '"type" must be String or SecureString';
  if (typeof v.lastModified !== 'string' || !ISO.test(v.lastModified)) return '"lastModified" is not an ISO-8601 time';
  if (v.lastModifiedBy !== undefined && typeof v.lastModifiedBy !== 'string') return '"lastModifiedBy" is not a string';
  if (v.description !== undefined && typeof v.description !== 'string') return '"description" is not a string';
  if (v.deleted !== undefined) {
    if (v.deleted !== true) return '"deleted" must be true when present';
    if (v.value !== undefined || v.sealed !== undefined) return 'a deletion marker carries no value';
    return undefined;
  }
  if (v.type === 'String') {
    if (typeof v.value !== 'string') return 'a String version needs a string "value"';
    if (v.sealed !== undefined) return 'a String version must not be sealed';
  } else {
    // A SecureString with a plain "value" would be a secret in the clear: refuse the file.
    if (v.value !== undefined) return 'a SecureString version must not hold a plain "value"';
    if (!isSealedValue(v.sealed)) return 'a SecureString version needs a well-formed "sealed" value';
  }
  return undefined;
}
