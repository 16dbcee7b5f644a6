// Which names hold secrets. A name is split into words (snake, kebab, dotted, camelCase); it is
// sensitive when a sensitive word is followed only by neutral qualifiers (`DB_PASSWORD_PROD`), and
// not when anything else follows (`PASSWORD_MIN_LENGTH`, `KEY_PATH`, `TOKEN_URL`, `secretName`) or
// when the word is qualified as public (`public_key`, `next_page_token`).

export type NameClass =
  /** passwords and passphrases: any non-placeholder value is a finding */
  | 'password'
  /** secrets, tokens, API keys, credentials, DSNs, connection strings */
  | 'secret'
  /** the AWS secret access key's own names: the value is expected to be 40 base64 characters */
  | 'aws-secret';

const MAX_NAME = 200;

/** Splits `DB_PASSWORD`, `dbPassword`, `db-password`, `spring.datasource.password`, `APIKey` into lower-case words. */
export function splitWords(name: string): string[] {
  const s = name.slice(0, MAX_NAME);
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9ñ]+/)
    .filter((w) => w.length > 0);
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'pw', 'pass', 'passphrase', 'passcode', 'passwort', 'contrasena', 'contraseña', 'senha', 'pword']);
/** Verbs that make `<verb>_password` the name of an action (`update_password`, `forgot_password`, allauth's `change_password` rate limit). */
const PASSWORD_ACTIONS = new Set(['update', 'change', 'forgot', 'forgotten', 'lost', 'show', 'hide', 'toggle', 'reset', 'recover', 'remember']);
/** Words that are secret on their own. */
const SECRET_WORDS = new Set(['secret', 'token', 'apikey', 'secretkey', 'privatekey', 'accesskey', 'authkey', 'masterkey', 'signingkey', 'encryptionkey', 'credential', 'credentials', 'creds', 'dsn', 'connectionstring', 'connstr', 'authorization', 'passkey', 'apitoken', 'authtoken', 'accesstoken', 'bearertoken']);
/** `key` is secret only after one of these (`api_key`, `secret_key`, `private_key`...). */
const KEY_QUALIFIERS = new Set([
  'api', 'secret', 'private', 'priv', 'access', 'auth', 'client', 'signing', 'sign', 'encryption', 'encrypt', 'enc', 'crypt',
  'crypto', 'cipher', 'aes', 'hmac', 'jwt', 'master', 'account', 'service', 'app', 'application', 'session', 'storage',
  'subscription', 'license', 'licence', 'deploy', 'ssh', 'rsa', 'gpg', 'pgp', 'webhook', 'admin', 'root', 'shared', 'sendgrid',
  'stripe', 'mailgun', 'twilio', 'openai', 'anthropic', 'google', 'maps', 'firebase', 'algolia', 'pusher', 'sentry', 'rest',
  'developer', 'dev', 'x', 'consumer', 'user', 'db', 'database', 'cookie', 'csrf', 'token', 'security', 'decryption', 'wrapping',
]);
/** `token` qualified by one of these is not a credential (`next_page_token`, `csrf_token` in a template, a chat widget's `websiteToken`, published in every page, a design system's `colorToken = 'gray-550'`, a media's public `friendly_token`). */
const TOKEN_NOT = new Set(['website', 'widget', 'page', 'next', 'continuation', 'cancellation', 'cancel', 'pagination', 'cursor', 'sync', 'lexer', 'max', 'min', 'eos', 'bos', 'pad', 'unk', 'sep', 'cls', 'mask', 'special', 'start', 'end', 'stop', 'num', 'count', 'total', 'input', 'output', 'prompt', 'completion', 'csrf', 'xsrf', 'form', 'idempotency', 'request', 'trace', 'color', 'colour', 'design', 'theme', 'spacing', 'font', 'typography', 'radius', 'shadow', 'palette', 'style', 'css', 'friendly']);
/** `secret` qualified by one of these names a Kubernetes / Vault secret object, not a value (`existingSecret`). */
const SECRET_NOT = new Set(['existing', 'external', 'sealed', 'kubernetes', 'k8s', 'docker', 'image', 'pull', 'tls', 'use', 'create', 'mount', 'volume', 'vault', 'cluster', 'provider', 'store']);
/** Words that may follow a sensitive word without changing what the name holds. */
const NEUTRAL_AFTER = new Set([
  'prod', 'production', 'dev', 'development', 'staging', 'stage', 'stg', 'test', 'testing', 'qa', 'uat', 'local', 'live',
  'sandbox', 'preprod', 'value', 'val', 'b64', 'base64', 'hex', 'raw', 'plain', 'plaintext', 'str', 'string', 'text', 'data',
  'base', 'old', 'new', 'current', 'previous', 'prev', 'primary', 'secondary', 'main', 'v1', 'v2', 'v3', 'secret', 'key',
  'token', 'pass', 'password',
]);
/** Qualifiers that make a key public or non-secret (`public_key`, `primary_key` of a table, `sort_key`). */
const KEY_NOT = new Set(['public', 'pub', 'primary', 'foreign', 'sort', 'partition', 'cache', 'idempotency', 'hash', 'range', 'object', 'map', 'dict', 'lookup', 'index', 'unique', 'composite', 'natural', 'surrogate', 'group', 'routing', 'row', 'column', 'translation', 'i18n', 'locale', 'message', 'label', 'registry', 'site', 'recaptcha', 'publishable', 'anon']);

/** AWS secret access key names: aws_secret_access_key, AWS_SECRET_KEY, secretAccessKey, aws_secret. */
function isAwsSecretName(words: string[]): boolean {
  const j = words.join('_');
  return /(?:^|_)secret_access_key$/.test(j) || /^(?:.*_)?aws_secret(?:_key)?$/.test(j) || j === 'secretaccesskey';
}

function sensitiveAt(words: string[], i: number): NameClass | undefined {
  const w = words[i];
  const prev = i > 0 ? words[i - 1] : undefined;
  if (PASSWORD_WORDS.has(w)) {
    // `pass` and `pw` are ambiguous alone ("first pass"); they count when qualified or alone in an
    // assignment. A strength's name is a password meter's label or class (`shortPass: "label-important"`).
    if ((w === 'pass' || w === 'pw') && prev && /^(?:first|second|third|single|multi|one|two|by|max|min|num|count|bypass|short|long|bad|good|strong|weak|medium|fair|poor|great)$/.test(prev)) return undefined;
    // An action on a password names an option, an event or a message, not the password: Ansible's
    // `update_password: always`, `forgot_password: "forgot_password_clicked"`, `hide_password` labels.
    if (prev && PASSWORD_ACTIONS.has(prev) && i === words.length - 1) return undefined;
    return 'password';
  }
  if (w === 'key' || w === 'keys') {
    if (w === 'keys') return undefined;
    if (!prev || KEY_NOT.has(prev) || !KEY_QUALIFIERS.has(prev)) return undefined;
    return 'secret';
  }
  if (w === 'secret' && prev && SECRET_NOT.has(prev)) return undefined;
  if (w === 'token') {
    if (prev && TOKEN_NOT.has(prev)) return undefined;
    return 'secret';
  }
  if (w === 'string' && prev && (prev === 'connection' || prev === 'conn')) return 'secret';
  if (w === 'str' && prev === 'conn') return 'secret';
  if (SECRET_WORDS.has(w)) return 'secret';
  return undefined;
}

/** Words that make a name a switch about the secret that follows them. */
export const SWITCH_WORDS = new Set(['use', 'enable', 'enabled', 'disable', 'disabled', 'allow', 'require', 'requires', 'skip']);

/** The class of a name, or undefined when it does not hold a secret. */
export function classifyName(name: string): NameClass | undefined {
  // An ISO 3166-2 subdivision code (`MU-PW`, `PW-212`: Palau's) keys a table of places, not a password.
  if (/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(name)) return undefined;
  const words = splitWords(name);
  if (words.length === 0 || words.length > 16) return undefined;
  if (isAwsSecretName(words)) return 'aws-secret';
  // The last sensitive word decides; everything after it must be a neutral qualifier.
  for (let i = words.length - 1; i >= 0; i--) {
    const cls = sensitiveAt(words, i);
    if (cls === undefined) {
      if (NEUTRAL_AFTER.has(words[i]) || /^\d+$/.test(words[i])) continue;
      return undefined;
    }
    // A public/publishable qualifier anywhere before the word makes it public (`stripe_publishable_key`).
    if (words.slice(0, i).some((w) => w === 'public' || w === 'publishable' || w === 'anon')) return undefined;
    // A switch: whether to use one, not the secret (`USE_ID_TOKEN`, `ENABLE_API_KEY_AUTH`). Not for
    // passwords: a network device's `enable_password` is one.
    if (cls !== 'password' && words.slice(0, i).some((w) => SWITCH_WORDS.has(w))) return undefined;
    // Inside a named secret object: the key an existing Kubernetes Secret holds it under (Helm's
    // `existingSecretPasswordKey: valkey-password`), not the password.
    if (words.slice(0, i).some((w, j) => w === 'secret' && j > 0 && SECRET_NOT.has(words[j - 1]))) return undefined;
    return cls;
  }
  return undefined;
}
