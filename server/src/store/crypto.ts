// At-rest encryption for the embedded local store: AES-256-GCM with a random 12-byte IV per
// value and AAD binding each ciphertext to (env, name, version), so a sealed value copied onto
// another parameter or version fails authentication instead of decrypting. The 32-byte key lives
// in a 0600 file beside the store. Nothing here throws on bad input and no message carries a value.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { LIMITS, readRegularFile } from '../fsread';

export const KEY_FILE_NAME = '.orchard-key';
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A SecureString value as stored: all binary fields base64. */
export interface SealedValue {
  alg: 'A256GCM';
  /** Fingerprint of the key that sealed it, so "wrong key" can be told apart from "tampered". */
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

export type KeyRead =
  | { state: 'found'; key: Buffer; kid: string }
  | { state: 'missing' }
  | { state: 'bad'; message: string };

export type OpenResult = { ok: true; value: string } | { ok: false; message: string };

/** Short public fingerprint of a key (a hash prefix; reveals nothing usable about the key). */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('orchard-key-id\0').update(key).digest('hex').slice(0, 16);
}

/** Unambiguous AAD: JSON of a tuple cannot collide across different (env, name, version). */
export function aadFor(env: string, name: string, version: number): Buffer {
  return Buffer.from(JSON.stringify(['orchard-local-v1', env, name, version]), 'utf8');
}

export function seal(key: Buffer, plaintext: string, aad: Buffer): SealedValue {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    alg: 'A256GCM',
    kid: keyId(key),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Structural check used by the file-format validator. */
export function isSealedValue(v: unknown): v is SealedValue {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return (
    o.alg === 'A256GCM' &&
    typeof o.kid === 'string' &&
    typeof o.iv === 'string' &&
    typeof o.tag === 'string' &&
    typeof o.data === 'string' &&
    B64.test(o.iv) &&
    B64.test(o.tag) &&
    B64.test(o.data)
  );
}

export function open(key: Buffer, sealed: SealedValue, aad: Buffer): OpenResult {
  if (sealed.kid !== keyId(key)) {
    return { ok: false, message: 'it was encrypted with a different key than the current key file' };
  }
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    return { ok: false, message: 'its encrypted form is malformed' };
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    const out = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    return { ok: true, value: out.toString('utf8') };
  } catch {
    // GCM authentication failed: tampered ciphertext/tag/IV, or moved to another parameter.
    return { ok: false, message: 'it failed authentication (the stored ciphertext was altered or moved)' };
  }
}

function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** Reads the key file. Never throws; never creates anything. */
export async function readKey(keyFile: string): Promise<KeyRead> {
  // A regular file of a few bytes: anything else (a FIFO, a device, a huge file) is refused unread.
  const r = await readRegularFile(keyFile, { maxBytes: LIMITS.keyFile });
  if (!r.ok) {
    if (r.reason === 'missing') return { state: 'missing' };
    return { state: 'bad', message: `cannot read key file ${keyFile} (${r.message})` };
  }
  const trimmed = r.text.trim();
  const key = B64.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length !== KEY_BYTES) {
    return { state: 'bad', message: `key file ${keyFile} is malformed (expected ${KEY_BYTES} bytes, base64)` };
  }
  return { state: 'found', key, kid: keyId(key) };
}

/**
 * Returns the store key, creating it if absent. Racing creators end up with one key: each writes a
 * complete private temp file and `link`s it to the final name, which fails with EEXIST for every
 * loser, who then reads the winner's key. The key file is therefore never seen half-written.
 */
export async function ensureKey(keyFile: string): Promise<KeyRead> {
  const existing = await readKey(keyFile);
  if (existing.state !== 'missing') return existing;
  const dir = path.dirname(keyFile);
  const tmp = path.join(dir, `${KEY_FILE_NAME}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const key = randomBytes(KEY_BYTES);
  try {
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    const fh = await fsp.open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(`${key.toString('base64')}\n`, 'utf8');
      await fh.chmod(0o600); // umask cannot widen it, but a pre-set ACL default might.
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await fsp.link(tmp, keyFile);
    } catch (e) {
      const code = errCode(e);
      if (code !== 'EEXIST') {
        // Filesystems without hard links: fall back to an exclusive rename-free create.
        if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
          await createExclusive(keyFile, key);
        } else {
          throw e;
        }
      }
    }
    await syncDir(dir);
  } catch (e) {
    return { state: 'bad', message: `cannot create key file ${keyFile} (${errCode(e) ?? 'error'})` };
  } finally {
    await fsp.unlink(tmp).catch(() => undefined);
  }
  return readKey(keyFile);
}

async function createExclusive(keyFile: string, key: Buffer): Promise<void> {
  let fh;
  try {
    fh = await fsp.open(keyFile, 'wx', 0o600);
  } catch (e) {
    if (errCode(e) === 'EEXIST') return;
    throw e;
  }
  try {
    await fh.writeFile(`${key.toString('base64')}\n`, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync a directory so a rename/link in it is durable. Not supported everywhere (Windows). */
export async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch {
    // EISDIR/EPERM/EINVAL on platforms that cannot fsync directories: nothing more we can do.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}
