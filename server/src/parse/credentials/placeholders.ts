// Stand-ins for a credential: a value made only of placeholder words (`change-me`,
// `your_api_key_here`), counting or keyboard sequences, a value that echoes its own name, or a
// password made from its user's name. Pure, bounded (values are capped before testing).

/** Values longer than this are judged by their first MAX_VALUE characters (here and in values.ts). */
export const MAX_VALUE = 4096;

/**
 * Words a placeholder is made of (`change-me`, `your_api_key_here`, `test-password`, `dummy123`).
 * A value split on separators, case changes and digits — or run together (`supersecretkey`) — into
 * these words only is a stand-in, not a credential.
 */
const VOCAB = new Set(
  (
    'a an the my your our their this that here there it is to for of in on with and or not no ' +
    'change changeme changethis me replace replaceme insert put enter fill set add update edit use ' +
    'todo tbd fixme xxx dummy example examples sample samples placeholder fake mock stub test tests testing invalid disabled ' +
    'demo default defaults none null nil undefined empty blank unset unknown required optional ' +
    'secret secrets password passwords passwd pass pwd pw passphrase token tokens key keys api apikey ' +
    'access private public auth credential credentials cred creds value values string str text ' +
    'foo bar baz qux quux xyz abc dev development local localhost ci staging prod production ' +
    'admin administrator root user users username usr guest postgres postgresql pg mysql mariadb redis ' +
    'mongo mongodb rabbitmq rabbit amqp db database app application service svc server client ' +
    'super very real notreal dont do go hidden redacted masked removed omitted insecure unsafe ' +
    'django flask rails laravel spring node web site project company org domain host name ' +
    'new old temp tmp generated generate random some any secure strong weak simple word ' +
    // what a test says of the value it tries (`goodpassword!`, `validtoken123`, `another-password`)
    'good bad valid correct incorrect wrong right another other initial current brand ' +
    // default credentials of well-known images and tools (a local container's, not a secret)
    'changeit wordpress drupal joomla keycloak airflow superset grafana sonar sonarqube jenkins gitea minio minioadmin ' +
    'elastic kibana nextcloud odoo magento strapi directus hasura welcome ' +
    // services a stand-in is often named after (`test-memcached`, `outgoing_email_password`)
    'memcached memcache elasticsearch opensearch kafka zookeeper smtp email mail ldap internal external outgoing incoming ' +
    // what the value should be, said instead of it (`base64encodedprivatekey`)
    'base encoded encode hex pem json ' +
    // a vendor's token prefix with nothing random after it (`sk_test_123`, `whsec_123`, `xoxp-1234`)
    'sk pk rk whsec xoxa xoxb xoxe xoxp xapp ghp gho ghs ghu glpat'
  ).split(/\s+/),
);

const MAX_WORD = 14;

/** True when `s` (lower-case letters only) is a concatenation of vocabulary words. */
export function segmentable(s: string): boolean {
  if (s.length === 0) return true;
  if (s.length > 64) return false;
  const ok = new Array<boolean>(s.length + 1).fill(false);
  ok[0] = true;
  for (let i = 1; i <= s.length; i++) {
    for (let w = 1; w <= Math.min(MAX_WORD, i); w++) {
      if (ok[i - w] && VOCAB.has(s.slice(i - w, i))) {
        ok[i] = true;
        break;
      }
    }
  }
  return ok[s.length];
}

/**
 * Hex whose digits count up and whose letters run through a…f, however interleaved:
 * `1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d` (moto's stand-in update token), a UUID typed by hand.
 */
function isCountingHex(lower: string): boolean {
  const s = lower.replace(/-/g, '');
  if (s.length < 8 || !/^[0-9a-f]+$/.test(s)) return false;
  const digits = s.replace(/[a-f]/g, '');
  const letters = s.replace(/[0-9]/g, '');
  const counts = (run: string, alphabet: string) => run.length >= 4 && [...run].every((c, i) => i === 0 || alphabet.indexOf(c) === (alphabet.indexOf(run[i - 1]) + 1) % alphabet.length);
  return counts(digits, '0123456789') && counts(letters, 'abcdef');
}

/** Alphabet, digits (also as the keyboard's number row, 1…0), QWERTY and AZERTY letter rows. */
const SEQUENCES = ['0123456789', '1234567890', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'azertyuiop', 'qsdfghjklm', 'wxcvbn', '9876543210'];

/**
 * `123456`, `abcdef`, `qwerty`, `abcdef123456`, `1234561234567abcdef`: every run of letters or digits
 * is a keyboard/alphabet sequence, or sequences of at least three characters one after another.
 */
function isSequential(lower: string): boolean {
  const alnum = lower.replace(/[^a-z0-9]/g, '');
  if (alnum.length < 4) return false;
  const runs = lower.match(/[a-z]+|[0-9]+/g) ?? [];
  return runs.length <= 3 && runs.every((r) => SEQUENCES.some((seq) => seq.includes(r)) || sequencePieces(r));
}

/** The run splits where a character does not continue a sequence; every piece is 3+ characters. */
function sequencePieces(run: string): boolean {
  if (run.length > 64) return false;
  let start = 0;
  for (let j = 1; j <= run.length; j++) {
    if (j < run.length && SEQUENCES.some((seq) => seq.includes(run.slice(j - 1, j + 1)))) continue;
    if (j - start < 3) return false;
    start = j;
  }
  return true;
}

/**
 * The value is one short period (2-20 chars, itself a keyboard/alphabet sequence) repeated at least
 * twice, the last copy possibly cut short. Linear: at most 20 passes over a bounded value. A repeated
 * word that is not a sequence (`hunter2hunter2`) stays a possible secret.
 */
function isRepeatedSequence(lower: string): boolean {
  const n = lower.length;
  if (n < 8 || n > 256) return false;
  for (let p = 2; p <= 20 && p * 2 <= n; p++) {
    let i = p;
    while (i < n && lower.charCodeAt(i) === lower.charCodeAt(i - p)) i++;
    if (i === n) return isSequential(lower.slice(0, p));
  }
  return false;
}

/** Placeholder test for a plain value (references are tested separately). */
export function isPlaceholder(v: string): boolean {
  const s = v.trim().slice(0, MAX_VALUE);
  if (s.length === 0) return true;
  const lower = s.toLowerCase();
  // Wrapped stand-ins: <token>, [your key], {api_key}, !!!SET X!!!, __SECRET__, %%X%%.
  if (/^<[^<>]{1,200}>$/.test(s) || /^\[[^\[\]]{1,200}\]$/.test(s) || /^\{[^{}:,"]{1,200}\}$/.test(s)) return true;
  // A <placeholder> inside (`Bearer <token>`, `user:<password>@host`).
  if (/<[A-Za-z][\w .\-]{0,60}>/.test(s)) return true;
  if (/^!!!.{0,200}!!!$/.test(s) || /^__[A-Za-z0-9_]{1,200}__$/.test(s) || /^%%.{1,200}%%$/.test(s)) return true;
  // A variable's name between `#` (superdesk's ingest providers: `"password": "#ENV_AAP_PASSWORD#"`),
  // or as code refers to it, the statement's `,` taken in (`"api_key": POSTHOG_API_KEY,` in a
  // script's embedded Python, mem0).
  if (/^#[A-Z][A-Z0-9_]{1,100}#$/.test(s) || /^[A-Z]{2,}(?:_[A-Z0-9]+)+[,;]$/.test(s)) return true;
  // Only masking characters, or one character repeated: ***, xxxxx, ....., 00000000, -.
  if (/^[*x.#?_\-…•]+$/i.test(s) || /^(.)\1{2,}$/s.test(s)) return true;
  // A few runs of one character each, or two characters in all: aaaa1111, ffff9999, abababab.
  if (/^(.)\1{2,}(.)\2{2,}(?:(.)\3{2,})?$/s.test(s) || (s.length >= 4 && new Set(s).size <= 2)) return true;
  // A run of x/X or * used as a mask inside (sk_live_xxxxxxxx, AKIA************), an ellipsis, or
  // an example cut short with two dots (`consumerSecret: "QOUEWRI.."` in an OAuth library's docs).
  if (/x{4}|X{4}|\*{3}|…|\.\.\.|[A-Za-z0-9]\.\.$/.test(s)) return true;
  if (/(?:^|[^a-z])(?:your|my|insert|replace|enter|put|add)(?:[-_ .]?(?:own|real|actual|new))?[-_ .]?(?:api|secret|token|key|password|pass|pwd|access|app|client|auth|github|aws|slack|stripe|db|database)/i.test(s)) {
    return true;
  }
  // `your-jwt-secret`, `my_app_token`, `insert-key-here`: a stand-in spelled as a phrase.
  if (/^(?:your|my|insert|replace|enter|put|add|set)[-_ .][A-Za-z]{1,30}(?:[-_ .][A-Za-z]{1,30}){0,6}$/i.test(s)) return true;
  // With sizes in it and base64's padding: `your-32-byte-encryption-key==` (La Suite docs).
  if (/^(?:your|insert|replace|enter)[-_ .][A-Za-z0-9]{1,30}(?:[-_ .][A-Za-z0-9]{1,30}){1,7}=*$/i.test(s)) return true;
  // A phrase written as the value, words and small numbers joined, two of them words that only
  // join others: `find-api-key-for-docs-with-exactly-50-chars-length` (La Suite docs).
  if (/^[a-z]{1,15}(?:[-_][a-z]{1,15}|[-_]\d{1,3}){5,11}$/i.test(s) && (s.match(/(?:^|[-_])(?:for|with|the|of|to|and|in|on|by|at|from|is|be)(?=[-_]|$)/gi) ?? []).length >= 2) return true;
  if (isSequential(lower)) return true;
  if (isCountingHex(lower)) return true;
  // An instruction written as the value: `you_must_generate_a_random_string_…_and_configure_this`,
  // `must_be_at_least_16_chars`.
  if (/^[a-z0-9]{1,20}(?:[-_ ][a-z0-9]{1,20}){4,}$/i.test(s) && /(?:^|[-_ ])(?:generate|configure|change|replace|insert|enter|fill|put|set|update|provide|must[-_ ]be|at[-_ ]least)(?:[-_ ]|$)/i.test(s)) return true;
  // Says so itself: `dummyKeyWithMinimumLength---`, `not-a-real-secret`, `example_password`,
  // `DontusethisinproductionbutitneedsbelongforCI1234567890` (tecken's local_dev.env), what a
  // log shows instead of the value (`Basic **masked**`, Radicale).
  if (/dummy|placeholder|example|sample|fake|not[-_ ]?a[-_ ]?(?:real[-_ ]?)?secret|notreal|change[-_ ]?(?:me|this|it)|do[-_ ]?n[o']?t[-_ ]?use|not[-_ ]?for[-_ ]?prod|\*masked\*|\*redacted\*|\[(?:masked|redacted)\]/i.test(s)) return true;
  // A keyboard or alphabet run repeated: `0123456789abcdef0123456789abcdef01234567`, `abcabcabc`.
  if (isRepeatedSequence(lower)) return true;
  // Made only of placeholder words (any separators, digits, case): change-me, test_password_123.
  const letters = lower.replace(/[^a-z]+/g, ' ').trim();
  if (letters.length === 0) return false; // digits/symbols only: judged by the shape tests
  const digits = lower.replace(/[^0-9]/g, '');
  // A password with a long number in it is not a stand-in, unless the number counts up (`supersecret123456789`).
  if (digits.length > 6 && !SEQUENCES.some((seq) => seq.includes(digits))) return false;
  return letters.split(' ').every((w) => segmentable(w));
}

/**
 * The value restates its own name: `ZULIP__MEMCACHED_PASSWORD=memcached_password`,
 * `api_token: my-api-token`. Every word of the value is a word of the name or a placeholder word,
 * and one of them is the name's own.
 */
export function echoesName(value: string, name: string): boolean {
  const words = (t: string) => t.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z]+/).filter(Boolean);
  // A namespaced term naming the key (`"password": "sec:password"`, a JSON-LD context's entry).
  const term = /^[a-z]{1,10}:([A-Za-z][\w-]{0,60})$/.exec(value);
  if (term && words(term[1]).join(' ') === words(name.slice(0, 200)).join(' ')) return true;
  const vs = words(value.slice(0, 200));
  if (vs.length === 0 || /\d{4,}/.test(value)) return false;
  const ns = new Set(words(name.slice(0, 200)));
  return vs.some((w) => ns.has(w)) && vs.every((w) => ns.has(w) || segmentable(w));
}

/**
 * A password made from its user name: the name again, one of its words (`saleor_read_only:saleor`),
 * or the name (or a word of it) with stand-in words around it (`repmgr` / `repmgrpassword`,
 * `powersync_storage:powersync_password`). A local default named after the service, not a secret.
 */
export function madeFromUser(password: string, user: string): boolean {
  const p = password.toLowerCase();
  const u = user.trim().toLowerCase();
  if (p.length === 0 || u.length === 0) return false;
  if (p === u) return true;
  const words = u.split(/[-_.]+/).filter((w) => w.length > 0);
  if (words.includes(p)) return true;
  for (const w of new Set([u, ...words])) {
    if (w.length < 3) continue;
    const at = p.indexOf(w);
    if (at >= 0 && isPlaceholder(p.slice(0, at) + ' ' + p.slice(at + w.length))) return true;
  }
  return false;
}
