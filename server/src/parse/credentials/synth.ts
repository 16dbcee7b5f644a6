// Deterministic synthetic token bodies for the rules' examples, the tests and the benchmark. The
// credential-shaped strings Orchard's own sources need are built from a fixed prefix and one of
// these bodies at run time, so no committed file holds a string that secret scanners take for a
// live credential.

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const DIGITS = '0123456789';
export const ALNUM = UPPER + LOWER + DIGITS;
export const BASE32 = UPPER + '234567';
export const BASE64 = ALNUM + '+/';
export const URLSAFE = ALNUM + '_-';
export const HEX = '0123456789abcdef';

/** `n` characters from `alphabet`, pseudo-random but the same for the same seed. */
export function synth(alphabet: string, n: number, seed: number): string {
  let x = (seed * 2654435761 + 12345) >>> 0 || 1;
  let out = '';
  for (let i = 0; i < n; i++) {
    // xorshift32
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
}

/** Joins parts: keeps credential prefixes and bodies apart in the source text. */
export const cat = (...parts: string[]): string => parts.join('');

/** base64url of a string (JWT parts). */
export function b64url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}
