// The local store's key file: read, or created on the first SecureString write — unless the
// folder's store files already hold sealed values, in which case a missing key must be restored
// (a new key would make those values unrecoverable even after the old key is found again).
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { ensureKey, readKey, type KeyRead } from './crypto';
import { parseTempName } from './local-fs';
import { LIMITS, readRegularFile } from '../fsread';
import type { StoreFailure } from './types';

/**
 * The key of the store in `dir` (`file`: the environment's store file, for messages). `create`: make
 * one when none exists and no store file holds sealed values. Failures are `corrupt`, naming files,
 * never a value.
 */
export async function loadKey(
  keyFile: string,
  dir: string,
  file: string,
  create: boolean,
): Promise<{ ok: true; found: Extract<KeyRead, { state: 'found' }> } | { ok: false; failure: StoreFailure }> {
  let r = await readKey(keyFile);
  if (r.state === 'missing' && create) {
    const sealedIn = await filesWithSealedValues(dir);
    if (sealedIn.length > 0) {
      return {
        ok: false,
        failure: {
          kind: 'corrupt',
          message: `the key file ${keyFile} is missing but ${sealedIn.join(', ')} hold encrypted values; restore the key file (a new key would not decrypt them)`,
        },
      };
    }
    r = await ensureKey(keyFile);
  }
  if (r.state === 'found') return { ok: true, found: r };
  const message = r.state === 'missing' ? `the key file ${keyFile} is missing, so SecureString values in ${file} cannot be decrypted` : r.message;
  return { ok: false, failure: { kind: 'corrupt', message } };
}

/** The store files of `dir` holding sealed (SecureString) values. */
async function filesWithSealedValues(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names) {
    if (!n.endsWith('.json') || parseTempName(n)) continue;
    const r = await readRegularFile(path.join(dir, n), { maxBytes: LIMITS.storeFile });
    if (r.ok && r.text.includes('"sealed"')) out.push(n);
  }
  return out;
}
