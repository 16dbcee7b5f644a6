// Keeping values we sent out of error messages built from what a server answered.
//
// Two layers. Structure first: for a request that carried a value (PutParameter), AWS's free text
// is never used; only the error code and, for validation errors, which member failed and a
// recognised constraint are kept. Masking second, on every message: each value we sent is replaced
// in every encoding a server could echo it in (raw, JSON string, URL/form encoding, base64 at any
// alignment, XML/HTML entities), so even an unexpected echo (or a value in an error *code*) is cut.

export const MASK = '***';

/** Values shorter than this are not masked inside other text (they would mangle it); layer one covers them. */
const MIN_MASKED = 4;

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function xmlEscapeNumeric(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The part of base64(prefix + value) that depends only on the value, for each of the three alignments. */
function base64Cores(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const out: string[] = [];
  for (let align = 0; align < 3; align++) {
    const b64 = Buffer.concat([Buffer.alloc(align), bytes]).toString('base64').replace(/=+$/, '');
    // Drop the first group when it mixes in prefix bytes and the last one (it mixes in what follows).
    const core = b64.slice(align === 0 ? 0 : 4, Math.max(0, b64.length - 4));
    if (core.length >= 8) {
      out.push(core);
      out.push(core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return out;
}

/** Every form in which `value` may come back inside a message. */
export function encodingsOf(value: string): string[] {
  if (value.length < MIN_MASKED) return [];
  const json = JSON.stringify(value).slice(1, -1);
  const forms = new Set<string>([
    value,
    json,
    // JSON with non-ASCII escaped (\uXXXX), as some serialisers write it
    json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    escape(value),
    xmlEscape(value),
    xmlEscapeNumeric(value),
    xmlEscape(json),
    ...base64Cores(value),
  ]);
  // Longest first, so a longer encoding is masked before a shorter one inside it.
  return [...forms].filter((f) => f.length >= MIN_MASKED).sort((a, b) => b.length - a.length);
}

/** Replaces every encoding of every secret in `text` with MASK (case-insensitive for percent-escapes). */
export function maskSecrets(text: string, secrets: readonly string[] | undefined): string {
  let t = text;
  for (const s of secrets ?? []) {
    if (!s) continue;
    for (const form of encodingsOf(s)) {
      if (t.includes(form)) t = t.split(form).join(MASK);
      else if (/%[0-9A-F]{2}/.test(form)) {
        const lower = form.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
        if (t.includes(lower)) t = t.split(lower).join(MASK);
      }
    }
  }
  return t;
}

/** Constraint texts AWS uses in validation errors that carry no request data. */
const KNOWN_CONSTRAINTS = [
  /^Member must have length (?:less|greater) than or equal to \d+$/,
  /^Member must not be null$/,
  /^Member must satisfy enum value set: \[[A-Za-z0-9_, -]{0,200}\]$/,
  /^Member must have value (?:less|greater) than or equal to \d+$/,
];

/** Request members of PutParameter (the one call that sends values) that AWS may name in a validation error. */
const KNOWN_MEMBERS = /^(?:value|name|description|type|keyId|allowedPattern|tier|policies|dataType|overwrite|tags(?:\.\d+\.member\.(?:key|value))?)$/i;

/**
 * For a validation error about a request that carried a value: which members failed and why, in
 * AWS's wording when it is one of the known value-free constraints, without anything quoted from
 * the request. Empty when nothing recognisable is there.
 */
export function validationSummary(message: string | undefined): string {
  if (!message) return '';
  const parts: string[] = [];
  const re = / at '([A-Za-z][A-Za-z0-9.]{0,40})' failed to satisfy constraint: (.*?)(?=; Value | at '|$)/gs;
  for (const m of message.matchAll(re)) {
    if (!KNOWN_MEMBERS.test(m[1])) continue;
    const constraint = m[2].trim().replace(/[;.]$/, '');
    const known = KNOWN_CONSTRAINTS.some((k) => k.test(constraint));
    parts.push(`'${m[1]}'${known ? `: ${constraint}` : ''}`);
    if (parts.length >= 5) break;
  }
  return parts.length ? ` (failed: ${[...new Set(parts)].join('; ')})` : '';
}
