// Which variable names hold secrets, and which values are placeholders rather than real settings.
// The credential scanner's name classes (parse/credentials/names.ts) decide what counts as a
// credential; for the twelve-factor side (redaction, insecure defaults, logged secrets) a name is
// sensitive on wider evidence, as the spec asks: any SECRET, PASSWORD, PASS, TOKEN, KEY,
// CREDENTIAL(S), CONNECTION_STRING or DSN part (`FERNET_KEY`, `MAILGUN_KEY`) counts.
import { SWITCH_WORDS, classifyName } from './credentials/names';
import { isPlaceholder } from './credentials/values';

/** Name parts that make a name sensitive (spec: SECRET, PASSWORD, PASS, TOKEN, KEY, CREDENTIAL(S), DSN...). */
const SENSITIVE_PARTS = new Set([
  'SECRET', 'SECRETS', 'PASSWORD', 'PASSWORDS', 'PASSWD', 'PWD', 'PASS', 'PASSPHRASE', 'TOKEN', 'TOKENS',
  'KEY', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'DSN', 'PRIVATE', 'SALT', 'PAT',
]);

/**
 * A trailing part that makes the name describe the secret rather than hold it: `SECRET_KEY_FILE`
 * (a path), `TOKEN_URL`, `TRUSTED_KEY_SERVERS` (where keys come from), `PASSWORD_MIN_LENGTH`, `AWS_ACCESS_KEY_ID`, `SECRET_KEY_ID` (a Juju secret id).
 */
const DESCRIBING_TAIL = new Set([
  'FILE', 'PATH', 'DIR', 'NAME', 'ID', 'IDS', 'URL', 'URLS', 'URI', 'ENDPOINT', 'ENDPOINTS', 'HOST', 'HOSTS', 'SERVER', 'SERVERS', 'PORT', 'LENGTH', 'LEN', 'SIZE', 'TYPE',
  'ALGORITHM', 'ALG', 'ENABLED', 'DISABLED', 'REQUIRED', 'TTL', 'EXPIRY', 'EXPIRES', 'EXPIRATION', 'LIFETIME', 'TIMEOUT',
  'PREFIX', 'SUFFIX', 'FIELD', 'HEADER', 'PARAM', 'ROTATION', 'VERSION', 'FORMAT', 'LOCATION', 'ARN', 'REF', 'SOURCE',
  'MODE', 'ENCODING', 'COUNT', 'MIN', 'MAX', 'POLICY', 'PROVIDER', 'BACKEND', 'STORE', 'REGION', 'HINT', 'LABEL',
  // who, not what: `KEY_CLOAK_MASTER_USER`, `SMTP_CREDENTIALS_USERNAME`
  'USER', 'USERNAME', 'USERS', 'LOGIN', 'EMAIL',
  // how long, not what: `ACCESS_TOKEN_EXPIRE_MINUTES`, `EMAIL_RESET_TOKEN_EXPIRE_HOURS`
  'EXPIRE', 'SECONDS', 'SECS', 'MINUTES', 'MINS', 'HOURS', 'HRS', 'DAYS', 'WEEKS', 'MS', 'INTERVAL', 'DELAY', 'RETRIES', 'LIMIT',
  // `RESET_PASSWORD_LOCK_TIME`, `TOKEN_UPDATE_LAST_LOGIN_THRESHOLD`, `SESSION_TOKEN_MAX_AGE`, `PASSWORD_HASHERS`
  'TIME', 'THRESHOLD', 'AGE', 'DURATION', 'WINDOW', 'PERIOD', 'ATTEMPTS', 'TRIES', 'RATE', 'CAPACITY',
  'HASHER', 'HASHERS', 'VALIDATOR', 'VALIDATORS', 'STRENGTH', 'COMPLEXITY', 'PATTERN', 'REGEX', 'TEMPLATE', 'ATTRIBUTE', 'ATTR',
  // which cache holds them: `AWS_SNS_KEY_CACHE = "default"` (fx-private-relay)
  'CACHE',
]);

/** Words before a plural that make it a number of them (`MAX_TOKENS`, `NUM_TOKENS`). */
const COUNT_WORDS = new Set(['MAX', 'MIN', 'NUM', 'NUMBER', 'TOTAL', 'COUNT', 'LIMIT']);

/** A password is never published, whatever it belongs to (`PUBLIC_KEY_PASSWORD`). */
const PASSWORD_PARTS = new Set(['PASSWORD', 'PASSWD', 'PASS', 'PWD', 'PW', 'PASSPHRASE']);
/** A qualifier before KEY that makes it a non-secret key (`PUBLIC_KEY`, `SORT_KEY`, `CACHE_KEY`). */
const HARMLESS_KEY_QUALIFIER = new Set(['PUBLIC', 'PUB', 'SORT', 'PRIMARY', 'PARTITION', 'CACHE', 'FOREIGN', 'ROUTING', 'LOOKUP', 'IDEMPOTENCY', 'HASH', 'RANGE', 'MAP', 'DICT', 'GROUP', 'SHORTCUT', 'HOT', 'SITE', 'LICENSE', 'PRODUCT']);

/** Splits `DB_PASSWORD`, `dbPassword`, `db-password`, `db.password` into upper-case parts. */
export function nameParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p.toUpperCase());
}

/**
 * Verdicts per name: the workspace model asks about every read and provided variable of every app on
 * each rebuild, over a few thousand distinct names. Bounded; cleared when full.
 */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 50_000;

/** True when a variable / key name conventionally holds a secret. */
export function isSensitiveName(name: string): boolean {
  let v = verdicts.get(name);
  if (v === undefined) {
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(name, (v = judgeName(name)));
  }
  return v;
}

function judgeName(name: string): boolean {
  if (classifyName(name) !== undefined) return true;
  const parts = nameParts(name);
  if (parts.length === 0) return false;
  // `CONNECTION_STRING`, `CONNSTR`: credentials embedded in a connection string.
  const joined = parts.join('_');
  if (/(^|_)(CONNECTION_STRING|CONN_STR|CONNSTR|CONNECTIONSTRING)$/.test(joined)) return true;
  if (DESCRIBING_TAIL.has(parts[parts.length - 1]) && parts.length > 1) return false;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (!SENSITIVE_PARTS.has(p)) continue;
    if (p === 'KEY' && i > 0 && HARMLESS_KEY_QUALIFIER.has(parts[i - 1])) continue;
    if (p === 'PRIVATE' && parts[i + 1] !== 'KEY') continue;
    if (p === 'PAT' && parts.length > 2) continue;
    // A rate or a count: `STRIPE_TOKENS_PER_UNIT`, `MAX_TOKENS` (a language model's), `KEYS_PER_PAGE`.
    if (parts[i + 1] === 'PER' || (p === 'TOKENS' && i > 0 && COUNT_WORDS.has(parts[i - 1]))) continue;
    // Published on purpose, as the credential scanner's names say too (classifyName): `PUBLIC_SENTRY_DSN`,
    // `STRIPE_PUBLISHABLE_KEY`, `NEXT_PUBLIC_API_KEY`, `SUPABASE_ANON_KEY`.
    if (!PASSWORD_PARTS.has(p) && parts.slice(0, i).some((q) => q === 'PUBLIC' || q === 'PUBLISHABLE' || q === 'ANON')) continue;
    // A switch about the secret (`USE_ID_TOKEN`), as classifyName says too (never for a password).
    if (!PASSWORD_PARTS.has(p) && parts.slice(0, i).some((q) => SWITCH_WORDS.has(q.toLowerCase()))) continue;
    return true;
  }
  return false;
}

/** True when a value is a placeholder (`change-me`, `xxx`, `<token>`, `!!!SET X!!!`, empty...): the scanner's own test. */
export function isPlaceholderValue(value: string): boolean {
  return isPlaceholder(value);
}
