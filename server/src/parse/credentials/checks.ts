// Structural checks some shapes need beyond their regex: a private key needs a body, a JWT a
// header that decodes to JSON with an algorithm, a URL password a plaintext value, a pair rule its
// anchor nearby. Pure; each check looks at a bounded window of the text.
import { entropy, isPlaceholder, madeFromUser, valueVerdict } from './values';
import { decodePercent } from '../text';

/** Where a private key block ends (exclusive), or undefined when there is no key material. */
export function privateKeyEnd(text: string, headerStart: number, headerEnd: number): number | undefined {
  const WINDOW = 64 * 1024;
  const limit = Math.min(text.length, headerEnd + WINDOW);
  const endAt = text.indexOf('-----END', headerEnd);
  let bodyEnd: number;
  let blockEnd: number;
  if (endAt >= 0 && endAt < limit) {
    bodyEnd = endAt;
    const close = text.indexOf('-----', endAt + 8);
    blockEnd = close >= 0 && close - endAt < 80 ? close + 5 : endAt + 8;
  } else {
    // No END line (truncated or cut by quoting): the body is the run of base64 and line breaks.
    let i = headerEnd;
    while (i < limit && /[A-Za-z0-9+/=\s\\:,-]/.test(text[i])) i++;
    bodyEnd = i;
    blockEnd = i;
  }
  const body = text.slice(headerEnd, bodyEnd).replace(/\\n|\\r/g, '\n');
  // PEM headers inside the block (Proc-Type, DEK-Info) are allowed; the base64 itself must be long.
  const b64 = body.replace(/^[A-Za-z-]{1,40}:.*$/gm, '').replace(/[^A-Za-z0-9+/=]/g, '');
  if (b64.length < 64 || isPlaceholder(b64) || entropy(b64) < 3.5) return undefined;
  return blockEnd;
}

function decodeB64url(s: string): string | undefined {
  try {
    return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

function jsonObject(s: string | undefined): Record<string, unknown> | undefined {
  if (!s) return undefined;
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A JWT is a credential when its header is JSON with a signing algorithm and its payload a JSON
 * object. Unsigned tokens (`alg: none`) and Supabase-style anonymous keys (`role: anon`, public by
 * design) are `public`; anything that does not decode is `invalid` (not a JWT at all).
 */
export function jwtKind(token: string): 'credential' | 'public' | 'invalid' {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0].length > 4000 || parts[1].length > 16000) return 'invalid';
  const header = jsonObject(decodeB64url(parts[0]));
  if (!header || typeof header.alg !== 'string') return 'invalid';
  const payload = jsonObject(decodeB64url(parts[1]));
  if (!payload) return 'invalid';
  if (header.alg.toLowerCase() === 'none' || payload.role === 'anon') return 'public';
  return 'credential';
}

/**
 * The password of `scheme://user:password@host` is a finding when it is plain text, not made from
 * the user name (`saleor_read_only:saleor`, `powersync_storage:powersync_password`: a local default).
 */
export function isUrlPassword(user: string, password: string): boolean {
  if (madeFromUser(decodePercent(password), user)) return false;
  if (/^\d{1,5}$/.test(password)) return false; // host:port written before an @ (not userinfo)
  const decoded = decodePercent(password);
  // Fewer than four letters or digits (`us:pa@`, `%40:80%2f::::@` in a URL parser's test table): no secret.
  if ((decoded.match(/[A-Za-z0-9]/g)?.length ?? 0) < 4) return false;
  return valueVerdict(decoded) === 'plain';
}

/** `Password=x;` counts inside a connection string: another `key=value;` part names a server, user or database. */
export function isConnectionStringPassword(text: string, at: number, password: string): boolean {
  const before = text.slice(Math.max(0, at - 300), at);
  // The password must follow a `;` and another part of the string must name the server, user or database.
  if (!/;\s{0,3}$/.test(before.slice(-4)) || !/(?:server|data source|host|address|uid|user id|user|username|database|initial catalog|port|driver|dsn|accountname)\s{0,3}=/i.test(before)) return false;
  return valueVerdict(password) === 'plain';
}

/** A 40-character AWS secret candidate: mixed case and digits (a git SHA or a word never is). */
export function looksLikeAwsSecret(s: string, floor: number): boolean {
  return /[a-z]/.test(s) && /[A-Z]/.test(s) && /[0-9]/.test(s) && entropy(s) >= floor;
}

/**
 * Algolia search configs (DocSearch in a Docusaurus or VitePress site) carry a search-only key that
 * is public by design: 32 hex digits as `apiKey` beside `appId` and `indexName`.
 */
export function nearAlgoliaSearchConfig(text: string, offset: number, value: string): boolean {
  if (!/^[0-9a-f]{32}$/.test(value)) return false;
  if (!/api_?key["']?\s{0,3}[:=]\s{0,3}["']?$/i.test(text.slice(Math.max(0, offset - 40), offset))) return false;
  const around = text.slice(Math.max(0, offset - 400), Math.min(text.length, offset + 400));
  return /index_?name/i.test(around) && /app_?id|application_?id|algolia/i.test(around);
}

/** Firebase web configs carry a browser API key that is public by design: `apiKey: "AIza…"` beside `authDomain`. */
export function nearFirebaseConfig(text: string, offset: number): boolean {
  if (!/api_?key["']?\s{0,3}[:=]\s{0,3}["']?$/i.test(text.slice(Math.max(0, offset - 40), offset))) return false;
  const around = text.slice(Math.max(0, offset - 400), Math.min(text.length, offset + 400));
  return /authDomain|firebaseapp\.com|firebaseConfig|messagingSenderId/i.test(around);
}
