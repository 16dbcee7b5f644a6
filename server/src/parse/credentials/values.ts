// What a candidate value IS, before any detector decides it is a credential: a reference to a
// secret kept elsewhere (`${{ secrets.X }}`, `$VAR`, `ENC[...]`, `EV[1:…]`, an SSM path), a placeholder
// (`change-me`, `<token>`, `your-api-key`), something that is plainly not a secret (a boolean,
// a number, a path, a URL without a password), or a plaintext value. Every test here is on the
// value's structure, never on luck of entropy. Pure, bounded: values are capped before testing.
// (Placeholders are told in placeholders.ts, re-exported here.)
import { createHash } from 'node:crypto';
import { isPlaceholder, madeFromUser, MAX_VALUE, segmentable } from './placeholders';

export { echoesName, isPlaceholder, madeFromUser } from './placeholders';

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  const n = s.length;
  for (const k of counts.values()) {
    const p = k / n;
    h -= p * Math.log2(p);
  }
  return h;
}

export type ValueVerdict =
  /** Points at a secret kept elsewhere, or is encrypted: always safe. */
  | 'reference'
  /** A stand-in written where the real value goes. */
  | 'placeholder'
  /** A shape no credential has (boolean, number, path, URL without userinfo, name). */
  | 'not-secret'
  /** Plain text that may be a credential. */
  | 'plain';

// --- references and encrypted forms -------------------------------------------------------------

/**
 * GitHub Actions / Azure expressions, Jinja/Helm/Go templates, ERB, Octopus, Concourse; a value
 * read from inside a template tag up to its close (`token=token, _external=True) %}`).
 */
const TEMPLATE = /\$\{\{|\{\{|\{%|<%|#\{|\(\(\s{0,3}[A-Za-z_][\w.-]{0,100}\s{0,3}\)\)|\s(?:%\}|\}\})/;
/**
 * `${NAME}`, `$(cmd)` anywhere; `$NAME` / `$env:NAME` at the start or after a separator (a `$`
 * inside a run of letters and digits, `k9$pQ7`, is part of a password); `%NAME%`, `@NAME@`,
 * configparser's `%(name)s`.
 */
const SHELL_REF = /\$[{(]|(?:^|[^A-Za-z0-9])\$[A-Za-z_]|%[A-Za-z_][A-Za-z0-9_]{0,100}%|@[A-Za-z_][A-Za-z0-9_]{0,100}@|%\([A-Za-z_][\w.\-]{0,100}\)[sdr]/;
/** A Perl array (or a Ruby instance variable) as the whole value: the statement's `;` or a snake_case name (amavisd.conf's `@storage_sql_dsn = @lookup_sql_dsn;`). */
const PERL_ARRAY = /^@[A-Za-z_]\w{0,100};$|^@[a-z][a-z0-9]{0,40}(?:_[a-z0-9]{1,40}){1,8}$/;
/** A whole value that names a secret store entry instead of holding the secret. */
const STORE_REF =
  /^(?:arn:aws[\w-]{0,20}:(?:secretsmanager|ssm|kms):|\{\{resolve:|vault:|op:\/\/|ref\+|sm:\/\/|gcp:\/\/|gcpsm:\/\/|awssm:\/\/|awsssm:\/\/|azurekeyvault:|keyvault:|doppler:\/\/|projects\/[\w-]{1,100}\/secrets\/)/i;
/** Expressions that read a secret at run time, as whole values. */
const CODE_REF = /^(?:secrets|vars|env|inputs|needs|steps|github|matrix)(?:\.[\w-]{1,100}|\[[^\]\n]{1,200}\]){1,6}$/;
/**
 * A BuildKit secret mount or `docker build --secret` spec (`id=gh_token,env=GH_TOKEN`,
 * `id=pgp_key,src=./pgp.key`): where the build reads the secret, not the secret.
 */
const BUILD_SECRET = /^id=[\w.-]{1,100}(?:,(?:src|source|env|type|target|dst|required|mode|uid|gid)=[^,\s]{1,300}){0,6}$/;
/** SOPS-encrypted value. */
const SOPS = /^ENC\[[A-Z0-9_]{2,30},/;
/** A DigitalOcean App Platform secret as its app spec keeps it once encrypted (`EV[1:…:…]`). */
const DO_ENCRYPTED = /^EV\[\d{1,3}:[A-Za-z0-9+/=_-]{8,}:[A-Za-z0-9+/=_-]{8,}\]$/;
/** Ansible Vault payload. */
const VAULT = /^\s{0,10}\$ANSIBLE_VAULT;/;

/**
 * The whole value is a format directive filled at run time: `%s`, `%v`, `{}`, `{0}`, `{password}`,
 * possibly after an authorization scheme (`Bearer %s`, `Token {}`).
 */
const FORMAT_SLOT = /^(?:(?:Bearer|Basic|Token|Bot|Digest)\s{1,3})?(?:%[-+ #0]?\d{0,3}(?:\.\d{1,3})?[sdvqrx]|\{[\w.]{0,60}(?::[^{}]{0,20})?\})$/i;

/** Only `%` directives and separators: a format filled at run time (liberapay's session cookie `'%i:%i:%s' % (…)`). */
const FORMAT_SLOTS = /^(?:%[-+ #0]?\d{0,3}(?:\.\d{1,3})?[sdifrxXoeEgGcv](?:[:;,|/ _.@-]{1,3}|$)){2,8}$/;

/** A Python f-string literal as written (what follows it on the line may be taken in too): its quote and contents. */
const F_STRING = /^[rR]?[fF][rR]?(["'])([^"'\n]{0,200})(\1|$)/;

/**
 * A lookup key with the server's variables in it, filled per request: Dovecot's `passdb/%u`,
 * `userdb/%{user}`, `shared/%d/%n` (a path of words, one segment of them a `%` variable).
 */
const KEY_TEMPLATE = /^[\w.-]{1,60}(?:\/[\w.%{}-]{1,60}){1,8}$/;
const KEY_VARIABLE = /\/(?:%[a-zA-Z]|%\{[\w:.]{1,40}\})(?=$|[/@.-])/;

export function isReference(v: string): boolean {
  const s = v.trim().slice(0, MAX_VALUE);
  // A Python f-string read as text (code in a YAML block): `f"Bearer {token}"` is filled at run time.
  // (Read as shell words, it ends at its first space: `f"Bearer`.)
  const f = F_STRING.exec(s);
  if (f && (FORMAT_SLOT.test(f[2]) || (!f[3] && /^(?:Bearer|Basic|Token|Bot|Digest)$/i.test(f[2])))) return true;
  return SOPS.test(s) || DO_ENCRYPTED.test(s) || VAULT.test(s) || TEMPLATE.test(s) || SHELL_REF.test(s) || STORE_REF.test(s) || CODE_REF.test(s) || PERL_ARRAY.test(s) || FORMAT_SLOT.test(s) || FORMAT_SLOTS.test(s) || BUILD_SECRET.test(s) || (KEY_TEMPLATE.test(s) && KEY_VARIABLE.test(s));
}

// --- shapes that are never a credential ---------------------------------------------------------

const BOOL_NULL = /^(?:true|false|yes|no|on|off|y|n|null|none|nil|undefined|~|enabled|disabled|enable|disable)$/i;
const NUMBER = /^[+-]?(?:\d{1,40}(?:\.\d{0,40})?|\.\d{1,40})(?:e[+-]?\d{1,4})?(?:ms|s|m|h|d|w|k|kb|mb|gb|tb|ki|mi|gi|%|px)?$/i;
const HEX_COLOR = /^#[0-9a-f]{3,8}$/i;
/** A lexer state or token class by name (Monaco's Monarch `{ token: '@rematch', next: '@pop' }`), a handle. */
const STATE_NAME = /^@[A-Za-z][A-Za-z.]{0,40}$/;
/** A JSON Schema / OpenAPI reference (`#/components/schemas/SecretArtifact`). */
const JSON_POINTER = /^#\/[\w.~%-]{1,100}(?:\/[\w.~%-]{1,100}){0,12}$/;
/** Absolute, home-relative, explicit-relative and Windows paths. */
const PATH = /^(?:\/[\w.@+\-]|~\/|\.{1,2}\/|[A-Za-z]:[\\/]|\\\\)/;
/** A file name or relative path ending in an extension secrets are stored in (the file, not the secret). */
const FILE_NAME = /^[\w.@+\-/\\]{0,300}\.(?:pem|key|crt|cer|der|p12|pfx|jks|keystore|json|ya?ml|txt|env|ini|cfg|conf|toml|gpg|asc|pub|ppk|kdbx|xml|properties|sh|py|js|ts)$/i;
/** A relative path or route of lower-case words: `routes/main`, `applications/netbox`. */
const REL_PATH = /^[a-z][a-z0-9_-]{0,60}(?:\/[a-z0-9_.-]{1,60}){1,12}\/?$/;
/** scheme://... (credentials in userinfo are the url-password detector's job). */
const URL = /^[A-Za-z][A-Za-z0-9+.\-]{1,30}:\/\//;
const EMAIL = /^[^@\s]{1,64}@[A-Za-z0-9.\-]{1,200}\.[A-Za-z]{2,24}$/;
/** An anchored regular expression (`^[0-9]{5}$`, a postcode pattern): a pattern, not a secret. */
const REGEX = /^\^.{0,300}\$$/;
const REGEX_PART = /\[[^\]]{1,60}\]|\\[dDwWsSbB.]|\{\d{1,3}(?:,\d{0,3})?\}|\(\?[:=!<]|[^\\][+*?]\)?\$$/;
/**
 * An authorization scheme with parameters that are words (`WSSE realm="SDP",profile="UsernameToken",type="Appkey"`):
 * the header's fixed part; the credential goes in another header or parameter (a digest or a token has digits).
 */
const AUTH_PARAMS = /^[A-Za-z][\w-]{1,20} [A-Za-z][\w-]{0,30}="[A-Za-z][A-Za-z -]{0,40}"(?:, ?[A-Za-z][\w-]{0,30}="[A-Za-z][A-Za-z -]{0,40}"){0,10}$/;
/**
 * An authorization header's template whose parameters are all format slots (httplib2's `Digest
 * username="%s", realm="%s", …, nc=%08x` filled with `%`, an `OAuth k="{}"` filled with `.format`):
 * the values come at run time.
 */
const AUTH_TEMPLATE = /^[A-Za-z][\w-]{1,20} [A-Za-z][\w-]{0,30}=("?)(?:%[-+ #0]?\d{0,3}[sdixX]|\{[\w.]{0,30}\})\1(?:, ?[A-Za-z][\w-]{0,30}=("?)(?:%[-+ #0]?\d{0,3}[sdixX]|\{[\w.]{0,30}\})\2){1,15}$/;
/**
 * An AWS Signature Version 4 header (`AWS4-HMAC-SHA256 Credential=AKID/…, SignedHeaders=…, Signature=…`):
 * an access key id and one request's signature, valid for minutes; the secret key never travels.
 */
const AWS_SIGV4 = /^AWS4-HMAC-SHA256 Credential=/;
/** A dotted import path ending in a class (`custom_auth.serializers.CustomTokenSerializer`, `org.acme.auth.TokenFilter`). */
const CLASS_PATH = /^[a-z_][a-z0-9_]{0,60}(?:\.[a-z_][a-z0-9_]{0,60}){1,12}\.[A-Z][A-Za-z0-9_]{0,80}$/;
/** An environment variable name (`DB_PASSWORD`) or a dotted setting name (`spring.datasource.password`). */
const NAME_LIKE = /^(?:[A-Z][A-Z0-9]{0,50}(?:_[A-Z0-9]{1,50}){1,12}|[a-z][a-z0-9]{0,50}(?:\.[a-z][a-z0-9_-]{0,50}){1,12})$/;
/** A host name with a path, no scheme (`ubuntu.com/security`, Launchpad's OAuth consumer key): an address or a name, lower case. */
const HOST_PATH = /^[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,24}(?:\/[a-z0-9._~-]{1,100}){1,12}\/?$/;
/** A Perl or Ruby hash written as the value (`( {server=>'127.0.0.1:6379', db_id=>1} );`). */
const HASH_LITERAL = /^\(?\s{0,3}\{[^{}]{0,500}=>[^{}]{0,500}\}\s{0,3}\)?;?$/;
/** A condition or a setting written as `name=value` (a form's visibility rule, `"sms_provider=ovh"`). */
const NAME_EQUALS = /^[a-z][a-z0-9_]{2,40}=[a-z][a-z_.-]{0,40}$/;
/** A command-line option (`--oauth-client-secret`, `--db-password`): a flag the value is passed with, not the value. */
const CLI_FLAG = /^--[a-z][a-z0-9]{0,40}(?:-[a-z0-9]{1,40}){0,12}$/;
/** A quantity with its unit: `15 minutes`, `5 seconds`, `2 hours`, `10 MB` (a duration or size setting). */
const QUANTITY = /^[+-]?\d{1,12}(?:\.\d{1,6})?\s{0,3}(?:ms|s|m|h|d|w|millis(?:econds?)?|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|bytes?|[kmgtp]i?b)$/i;
/** A stored hash's record as JSON (a Keycloak realm export's `secretData` / `credentialData`: salt, iterations, algorithm). */
const HASH_RECORD = /^\{\s{0,3}"[^"]{0,40}"\s{0,3}:[^\n]{0,2000}"(?:salt|hashIterations|hash_iterations|algorithm)"\s{0,3}:|^\{\s{0,3}"(?:salt|hashIterations|hash_iterations|algorithm)"\s{0,3}:/;
/**
 * A stored password hash (a fixture's user row, an htpasswd line): Django's `pbkdf2_sha256$…`,
 * modular crypt `$2b$12$…`, `$argon2id$…`, `$6$…`, LDAP's `{SSHA}…`. Not a password in clear text.
 */
const PASSWORD_HASH =
  /^(?:(?:pbkdf2_sha(?:1|256)|argon2|bcrypt(?:_sha256)?|scrypt|sha1|md5|unsalted_sha1|crypt)\$[\w.+/=$,-]{16,}|\$(?:2[abxy]?|1|5|6|apr1|argon2(?:id|i|d)|scrypt|pbkdf2(?:-sha(?:1|256|512))?|y|gy|7)\$[\w.+/=$,-]{16,}|\{(?:SSHA(?:256|512)?|SHA(?:256|512)?|SMD5|MD5|CRYPT|PBKDF2(?:-SHA(?:1|256|512))?|ARGON2)\}[\w.+/=$-]{16,})$/i;
/**
 * Natural language beyond ASCII: two or more words with a letter outside ASCII (`Неверный пароль`,
 * `Contraseña inválida`), or Chinese, Japanese or Korean text without a long ASCII run in it.
 */
const INTL_WORDS = /^(?=[^]*[^\x00-\x7F])[\p{L}\p{M}\p{N}'’,.!?…:;()«»„“”"\-–—]{1,40}(?:\s{1,3}[\p{L}\p{M}\p{N}'’,.!?…:;()«»„“”"\-–—{}]{1,40}){1,60}$/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{2}/u;
/**
 * The word "password" in a language, in a label of up to four words without digits (a translation
 * table's `"settings.new_password": "Neues Passwort"`, aleph): what a form shows, not a password.
 */
const PASSWORD_WORD = /(?:^|[\s'’"«„(])(?:passwor[dt]|kennwort|contrase[ñn]a|senha|mot de passe|wachtwoord|has[łl]o|parola|l[öo]senord|adgangskode|passord|salasana|jelsz[óo]|heslo|[šs]ifr[ae]|geslo|пароль|лозинка|şifre|parool|slapta[žz]odis|parole|κωδικός)(?=$|[\s'’".,:!?»“)])/iu;

function isPasswordLabel(s: string): boolean {
  return !/\d/.test(s) && s.split(/\s+/).length <= 4 && PASSWORD_WORD.test(s);
}

/** A command line that runs a file (`node scripts/change-password.js`, a package.json script). */
const COMMAND = /^[A-Za-z][\w.+-]{0,40}(?:\s{1,3}\S{1,200}){1,30}$/;
const RUNS_FILE = /(?:^|\s)(?:\.{0,2}\/)?[\w.-]{1,100}\/[\w./-]{0,200}\.[A-Za-z]{1,5}(?=\s|$)/;

function isCommandLine(s: string): boolean {
  return COMMAND.test(s) && RUNS_FILE.test(s);
}

function isNaturalLanguage(s: string): boolean {
  return INTL_WORDS.test(s) || (CJK.test(s) && !/[A-Za-z0-9]{6}/.test(s));
}
/** Prose: three or more words of letters, or two or more lower-case words ending a sentence (`community colleges.`). */
const PROSE = /^[A-Za-z'’,]{1,30}(?:\s{1,3}[A-Za-z'’,.!?]{1,30}){2,}$|^[a-z]{2,30}(?:[ \t][a-z]{2,30})+[.!?]$/;

/** Words about a secret, with a space: a message or label (`Invalid password`, `API key missing`), not the secret. */
const MESSAGE = /^(?=[^\n]{0,80}$)(?=.*\s)(?=.*\b(?:pass(?:word|phrase)?|secret|token|key|credentials?|invalid|incorrect|wrong|missing|required)\b)[A-Za-z][A-Za-z0-9_ '’,.!?:;()\-]*$/i;

/** A sentence (an error message, a description): four or more words, digits, punctuation, links and `->` allowed. */
const SENTENCE = /^[A-Za-z][\w'’,.!?:;()\-]{0,30}(?:\s{1,3}[\w'’,.!?:;()\-/@=&#%~+>]{1,100}){3,}$/;

function isSentence(s: string): boolean {
  if (!SENTENCE.test(s)) return false;
  // At least two ordinary lower-case words, so four random tokens with spaces are not a sentence.
  return (s.match(/(?:^|\s)[a-z]{3,}(?=[\s,.!?:;]|$)/g) ?? []).length >= 2;
}

/**
 * A PostHog project API key (`phc_…`): write-only and meant for the browser and clients, as PostHog
 * documents (mem0's and chroma's telemetry). Its personal API keys (`phx_…`) are secrets.
 */
const PUBLIC_KEY = /^phc_[A-Za-z0-9]{32,64}$/;

export function isNotSecretShape(v: string): boolean {
  const s = v.trim().slice(0, MAX_VALUE);
  return PUBLIC_KEY.test(s) || isPasswordLabel(s) || BOOL_NULL.test(s) || JSON_POINTER.test(s) || STATE_NAME.test(s) || NUMBER.test(s) || QUANTITY.test(s) || PASSWORD_HASH.test(s) || HASH_RECORD.test(s.replace(/\\"/g, '"')) || HEX_COLOR.test(s) || PATH.test(s) || REL_PATH.test(s) || FILE_NAME.test(s) || URL.test(s) || EMAIL.test(s) || NAME_LIKE.test(s) || CLI_FLAG.test(s) || HASH_LITERAL.test(s) || NAME_EQUALS.test(s) || HOST_PATH.test(s) || CLASS_PATH.test(s) || AUTH_PARAMS.test(s) || AUTH_TEMPLATE.test(s) || AWS_SIGV4.test(s) || (REGEX.test(s) && REGEX_PART.test(s)) || PROSE.test(s) || isSentence(s) || MESSAGE.test(s) || isNaturalLanguage(s) || isCommandLine(s);
}

/**
 * Lower-case words joined by separators, each pronounceable, not all of one length (an app password
 * is four groups of four letters): `craft-video-background`, a storage key's name.
 */
function isSlug(v: string): boolean {
  return isSlugParts(v.split(/[-_.:]/));
}

function isSlugParts(parts: readonly string[], acronyms = 0): boolean {
  if (parts.length < 2 || parts.length > 8) return false;
  if (!parts.every((p) => /^[a-z]{2,15}$/.test(p))) return false;
  if (parts.filter((p) => p.length >= 4 && !/[aeiouy]/.test(p)).length > acronyms) return false;
  return parts.some((p) => p.length >= 5) && new Set(parts.map((p) => p.length)).size > 1;
}

/**
 * Letters in words joined by `-`, `_`, `.` or `:`, short or of low entropy: on a key or token name an
 * identifier (`STORAGE_KEY = 'user-settings'`, `LDAP_EMAIL_KEY = 'mail'`, a lock name `sumo:wiki:full-rebuild`), not the key. (On a
 * password name the same word is a weak password.)
 */
/** Lower-case words joined camelCase, each of two letters or more (`cvssCalculatorVersion`). */
const CAMEL_WORDS = /^[a-z]{2,}(?:[A-Z][a-z]{2,})+$/;

export function isIdentifierValue(v: string): boolean {
  // A versioned storage key (`cases-visible-columns:v1`) is judged by its words.
  v = v.replace(/[-_.:]v\d{1,3}$/, '');
  // A name with format slots filled at run time (`'applet_host_prefer_account_{}_{}'.format(…)`,
  // `'cache:%s:token'`) is judged by its fixed words.
  if (/\{\w{0,40}\}|%[sd]/.test(v)) v = v.replace(/[-_.:]*(?:\{\w{0,40}\}|%[sd])/g, '').replace(/^[-_.:]+/, '');
  // (A lower-case word may end in a digit or two: `oauth2`, `s3`; `ToTheMoon1` is a passphrase. A
  // numeronym is a word: `i18n`, `k8s`, `a11y` — baserow's `cookieKey: 'i18n-language'`.)
  if (!/^_{0,2}(?:[A-Za-z]{1,60}|[a-z]{1,60}\d{1,2}|[a-z]\d{1,2}[a-z])(?:[-_.:](?:[A-Za-z]{1,60}|[a-z]{1,60}\d{1,2}|[a-z]\d{1,2}[a-z])){0,10}$/.test(v)) return false;
  if (entropy(v) < 3.8 || v.length < 20) return true;
  if (isSlug(v)) return true;
  // A camelCase part is its words: `ghostwriter.cvssCalculatorVersion`, a browser storage key.
  // (Of three words or more, one may be an acronym without a vowel: `cvss`.)
  const split = v.split(/[-_.:]+/);
  if (split.some((p) => CAMEL_WORDS.test(p))) {
    const words = split.flatMap((p) => (CAMEL_WORDS.test(p) ? p.split(/(?=[A-Z])/) : [p])).map((p) => p.toLowerCase());
    if (words.length >= 3 && isSlugParts(words, 1)) return true;
  }
  // Long and varied, yet made of short parts with a word of its own among them (`SearXNG_limiter.token`).
  const parts = v.toLowerCase().split(/[-_.:]+/).filter((p) => p.length > 0);
  return parts.length >= 2 && parts.some((p) => p.length >= 4 && segmentable(p)) && parts.every((p) => p.length <= 10 || segmentable(p));
}

/**
 * A PEM block whose body is no key (`-----BEGIN PRIVATE KEY-----\nREPLACE_ME\n-----END …`, an
 * example `.env`'s stand-in): under 64 base64 characters between its armour lines, the length the
 * private-key detector asks of a real one.
 */
export function isStandInPem(v: string): boolean {
  const m = /^\s*-----BEGIN [A-Z0-9 ]{1,60}-----([^]{0,4096}?)-----END [A-Z0-9 ]{1,60}-----\s*$/.exec(v.slice(0, 8192));
  if (!m) return false;
  const body = m[1].replace(/\\[nr]/g, '\n').replace(/^[A-Za-z-]{1,40}:.*$/gm, '');
  return body.replace(/[^A-Za-z0-9+/=]/g, '').length < 64 || /[^A-Za-z0-9+/=\s]/.test(body);
}

/**
 * HTTP Basic credentials whose password is a stand-in or the user's name: private-gpt's default
 * `secret: "Basic c2VjcmV0OmtleQ=="` is `secret:key`, documented as such beside it.
 */
function isStandInBasicAuth(v: string): boolean {
  const m = /^Basic\s{1,3}([A-Za-z0-9+/]{4,1024}={0,2})$/.exec(v.trim());
  const text = m ? decodeBase64Text(m[1]) : undefined;
  const colon = text?.indexOf(':') ?? -1;
  if (!text || colon < 0) return false;
  const password = text.slice(colon + 1);
  return password.length < 4 || madeFromUser(password, text.slice(0, colon)) || isPlaceholder(password);
}

/** The one-stop verdict for a value assigned to a sensitive name. */
export function valueVerdict(v: string): ValueVerdict {
  if (isReference(v)) return 'reference';
  if (isPlaceholder(v) || isStandInPem(v) || isStandInBasicAuth(v)) return 'placeholder';
  if (isNotSecretShape(v)) return 'not-secret';
  return 'plain';
}

/**
 * Words that mark a token-shaped match as fake (documentation, fixtures): checked on the random
 * part only, never on the fixed prefix (`sk_test_` is a real Stripe prefix).
 */
const FAKE_WORDS = /example|sample|dummy|fake|placeholder|redacted|notreal|not_real|changeme|xxxx|0000000|1234567|abcdefg/i;

export function looksFake(body: string): boolean {
  return FAKE_WORDS.test(body) || /^(.)\1+$/.test(body);
}

/**
 * Keys published in vendor documentation for local emulators and tests, valid for everyone: Azurite's
 * (the Azure storage emulator), reCAPTCHA's test site and secret key, hCaptcha's test secret and
 * site keys, Cloudflare Turnstile's dummy site and secret keys, PyOTP's example secret.
 */
const PUBLISHED = new Set([
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  '6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI',
  '6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe',
  '0x0000000000000000000000000000000000000000',
  '10000000-ffff-ffff-ffff-000000000001',
  '20000000-ffff-ffff-ffff-000000000002',
  '30000000-ffff-ffff-ffff-000000000003',
  '1x00000000000000000000AA',
  '2x00000000000000000000AB',
  '1x00000000000000000000BB',
  '2x00000000000000000000BB',
  '3x00000000000000000000FF',
  '1x0000000000000000000000000000000AA',
  '2x0000000000000000000000000000000AA',
  '3x0000000000000000000000000000000AA',
  // PyOTP's documented example TOTP secret.
  'base32secret3232',
]);

/**
 * Published tokens written like real ones, by their SHA-256 (the bundle must not hold them in the
 * clear: packaging tools refuse an extension that seems to ship a token): the installation access
 * token of GitHub's REST API reference ("Create an installation access token for an app"), which
 * test suites copy (readthedocs.org's GitHub App tests).
 */
const PUBLISHED_SHA256 = new Set(['797c0ce414586cc8eb6929afe947c720e3e4d351dd070a6fe39f630beaab3054']);

function isPublished(secret: string): boolean {
  return PUBLISHED.has(secret) || (secret.length >= 20 && secret.length <= 100 && PUBLISHED_SHA256.has(createHash('sha256').update(secret).digest('hex')));
}

/**
 * A Kubernetes Secret's `data` value decoded, when it is base64 of printable text (`ZGItcGFzc3dvcmQ=`
 * is `db-password`); undefined otherwise (a `stringData` value, binary data).
 */
export function decodeBase64Text(v: string): string | undefined {
  if (v.length < 4 || v.length > 4096 || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v)) return undefined;
  const text = Buffer.from(v, 'base64').toString('utf8');
  return /^[\x20-\x7E\t]+$/.test(text) ? text : undefined;
}

/**
 * A quoted value's `\uXXXX`, `\u{…}` and `\xXX` escapes decoded, to judge what the string holds
 * (`'\u3299\ufe0f'` is one emoji, not a 12-character secret). Other escapes stay as written.
 */
export function decodeEscapes(v: string): string {
  if (!/\\[ux]/.test(v)) return v;
  return v.replace(/\\(?:u([0-9A-Fa-f]{4})|u\{([0-9A-Fa-f]{1,6})\}|x([0-9A-Fa-f]{2}))/g, (all, u4: string, ub: string, x2: string) => {
    const cp = parseInt(u4 ?? ub ?? x2, 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
  });
}

/** AWS's documented example credentials (`AKIAIOSFODNN7EXAMPLE`, `…EXAMPLEKEY`), anything written like them, published emulator keys. */
export function isDocumentedExample(secret: string): boolean {
  if (/EXAMPLE/.test(secret) || /example(?:key)?$/i.test(secret) || isPublished(secret)) return true;
  // An Azure storage connection string to the Azurite emulator (its published account and key; pulpcore's CI).
  const key = /(?:^|;)\s*AccountKey=([^;\s]{20,200})/i.exec(secret);
  return key !== null && PUBLISHED.has(key[1]);
}
