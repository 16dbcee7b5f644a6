// The credential rules: one table, written as data for Orchard (not taken from another scanner).
//
// Kinds of rule:
// - `shape`: a regex over the whole text finds the credential by its own format (a provider
//   prefix and a body). Each regex starts with a literal or a look-behind that excludes its own body
//   characters, so a match can only start at the beginning of a run, and every quantifier is
//   bounded: the scan is linear in the text (tests time it on hostile lines).
// - `pair`: a shape that is a credential only beside another finding (an AWS secret key within a few
//   lines of an access key id; a Twilio auth token beside an account SID).
// - `name`: a value assigned to a sensitive name (`DB_PASSWORD: …`), found by the structural YAML
//   walk or the line-wise key/value extractor; `regex` (if any) is the shape the value must have.
// - `ci`: a structural CI finding that is not a credential (`set -x` in a step holding secrets).
//
// `keywords` are lower-case substrings; a rule runs only when one of them is in the lower-cased
// text. `entropy` is a floor in bits per character over the `body` group (or the secret). The
// examples are run by the tests: every `secret` example must be found by exactly this rule, every
// `safe` example by no rule. Examples are assembled with `cat`/`synth` so this file holds no
// credential-shaped literal.
import type { CredentialSeverity } from '../envTypes';
import { ALNUM, BASE32, BASE64, DIGITS, HEX, UPPER, URLSAFE, b64url, cat, synth } from './synth';

export type RuleKind = 'shape' | 'pair' | 'name' | 'ci';

/** Extra structural checks a shape needs beyond its regex (implemented in `checks.ts`). */
export type RuleCheck = 'private-key' | 'jwt' | 'url-password' | 'conn-string' | 'google-api-key' | 'slack-webhook' | 'aws-secret-pair' | 'twilio-auth-pair';

export interface CredentialRule {
  id: string;
  title: string;
  severity: CredentialSeverity;
  kind: RuleKind;
  /** Global regex with a named group `secret` (the credential) and optionally `body` (its random part). */
  regex?: RegExp;
  keywords: string[];
  entropy: number;
  check?: RuleCheck;
  /** `name` rules: which names (see names.ts) and the shortest value that counts. */
  names?: 'password' | 'secret' | 'aws-secret';
  minLength?: number;
  /** Lines around an anchor finding, for `pair` rules. */
  withinLines?: number;
  examples: { secret: string[]; safe: string[] };
}

const B = '(?<![A-Za-z0-9_\\-])'; // start boundary for URL-safe token bodies
const E = '(?![A-Za-z0-9_\\-])'; // end boundary

const akia = (seed: number) => cat('AK', 'IA', synth(BASE32, 16, seed));
const awsSecret = (seed: number) => synth(BASE64, 40, seed);

export const RULES: readonly CredentialRule[] = [
  {
    id: 'aws-access-key-id',
    title: 'AWS access key id',
    severity: 'error',
    kind: 'shape',
    regex: /(?<![A-Za-z0-9])(?<secret>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])(?<body>[A-Z2-7]{16}))(?![A-Za-z0-9])/g,
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    entropy: 2.5,
    examples: {
      secret: [akia(1), cat('AS', 'IA', synth(BASE32, 16, 2)), `aws_access_key_id = ${akia(3)}`],
      safe: [cat('AKIA', 'IOSFODNN7', 'EXAMPLE'), cat('AKIA', 'AAAAAAAAAAAAAAAA'), cat('AKIA', synth(BASE32, 15, 4)), cat('xAKIA', synth(BASE32, 16, 5))],
    },
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    severity: 'error',
    kind: 'name',
    names: 'aws-secret',
    regex: /^(?<secret>[A-Za-z0-9/+]{40})$/,
    keywords: ['secret'],
    entropy: 3.5,
    examples: {
      secret: [`aws_secret_access_key = ${awsSecret(6)}`, `AWS_SECRET_ACCESS_KEY: "${awsSecret(7)}"`],
      safe: [cat('aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'), 'AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}'],
    },
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    severity: 'error',
    kind: 'pair',
    check: 'aws-secret-pair',
    withinLines: 5,
    regex: /(?<![A-Za-z0-9/+=])(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g,
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    entropy: 4.0,
    examples: {
      secret: [`id ${akia(8)}\nkey ${awsSecret(9)}`],
      safe: [`id ${akia(10)}\ncommit ${synth(HEX, 40, 11)}`, `no key here\nkey ${awsSecret(12)}`],
    },
  },
  {
    id: 'private-key',
    title: 'private key',
    severity: 'error',
    kind: 'shape',
    check: 'private-key',
    regex: /(?<secret>-----BEGIN[ A-Z0-9]{0,40}PRIVATE KEY(?: BLOCK)?-----)/g,
    keywords: ['-----begin'],
    entropy: 0,
    examples: {
      secret: [cat('-----BEGIN RSA PRIV', 'ATE KEY-----\n', synth(BASE64, 64, 13), '\n', synth(BASE64, 64, 14), '\n-----END RSA PRIV', 'ATE KEY-----')],
      safe: [cat('-----BEGIN PRIV', 'ATE KEY-----\n...\n-----END PRIV', 'ATE KEY-----'), cat('-----BEGIN PUBLIC KEY-----\n', synth(BASE64, 64, 15), '\n-----END PUBLIC KEY-----')],
    },
  },
  {
    id: 'github-pat',
    title: 'GitHub personal access token',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>ghp_(?<body>[A-Za-z0-9]{36}))${E}`, 'g'),
    keywords: ['ghp_'],
    entropy: 3.0,
    examples: { secret: [cat('gh', 'p_', synth(ALNUM, 36, 16))], safe: [cat('gh', 'p_', 'x'.repeat(36)), cat('gh', 'p_', synth(ALNUM, 35, 17))] },
  },
  {
    id: 'github-oauth-token',
    title: 'GitHub OAuth token',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>gho_(?<body>[A-Za-z0-9]{36}))${E}`, 'g'),
    keywords: ['gho_'],
    entropy: 3.0,
    examples: { secret: [cat('gh', 'o_', synth(ALNUM, 36, 18))], safe: [cat('gh', 'o_', synth(ALNUM, 36, 19), 'x')] },
  },
  {
    id: 'github-app-token',
    title: 'GitHub App token',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>gh[us]_(?<body>[A-Za-z0-9]{36}))${E}`, 'g'),
    keywords: ['ghu_', 'ghs_'],
    entropy: 3.0,
    examples: { secret: [cat('gh', 's_', synth(ALNUM, 36, 20)), cat('gh', 'u_', synth(ALNUM, 36, 21))], safe: [cat('gh', 's_', '0'.repeat(36))] },
  },
  {
    id: 'github-refresh-token',
    title: 'GitHub refresh token',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>ghr_(?<body>[A-Za-z0-9]{36,76}))${E}`, 'g'),
    keywords: ['ghr_'],
    entropy: 3.0,
    examples: { secret: [cat('gh', 'r_', synth(ALNUM, 36, 22))], safe: [cat('gh', 'r_', 'abc')] },
  },
  {
    id: 'github-fine-grained-pat',
    title: 'GitHub fine-grained personal access token',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>github_pat_(?<body>[A-Za-z0-9]{22}_[A-Za-z0-9]{59}))${E}`, 'g'),
    keywords: ['github_pat_'],
    entropy: 3.0,
    examples: { secret: [cat('github', '_pat_', synth(ALNUM, 22, 23), '_', synth(ALNUM, 59, 24))], safe: [cat('github', '_pat_', synth(ALNUM, 20, 25))] },
  },
  {
    id: 'gitlab-pat',
    title: 'GitLab personal access token',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>glpat-(?<body>[A-Za-z0-9_\\-]{20,300}(?:\\.[A-Za-z0-9_\\-]{1,40}){0,3}))${E}`, 'g'),
    keywords: ['glpat-'],
    entropy: 3.0,
    examples: { secret: [cat('glp', 'at-', synth(URLSAFE, 20, 26))], safe: [cat('glp', 'at-', 'xxxxxxxxxxxxxxxxxxxx'), cat('glp', 'at-', 'short')] },
  },
  {
    id: 'gitlab-token',
    title: 'GitLab deploy, runner or trigger token',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>(?:gldt|glrt|glptt|glcbt|glft|glimt|glagent|gloas)-(?<body>[A-Za-z0-9_\\-]{20,300}(?:\\.[A-Za-z0-9_\\-]{1,40}){0,3}))${E}`, 'g'),
    keywords: ['gldt-', 'glrt-', 'glptt-', 'glcbt-', 'glft-', 'glimt-', 'glagent-', 'gloas-'],
    entropy: 3.0,
    examples: { secret: [cat('glr', 't-', synth(URLSAFE, 24, 27)), cat('glpt', 't-', synth(HEX, 40, 28))], safe: [cat('glr', 't-', 'REPLACE_ME')] },
  },
  {
    id: 'slack-token',
    title: 'Slack token',
    severity: 'error',
    kind: 'shape',
    regex: /(?<![A-Za-z0-9_\-.])(?<secret>xox(?:[abposr]|e(?:\.xox[bp])?)-(?<body>[0-9]{1,14}-[A-Za-z0-9\-]{10,250}))(?![A-Za-z0-9_\-])/g,
    keywords: ['xoxa-', 'xoxb-', 'xoxp-', 'xoxo-', 'xoxs-', 'xoxr-', 'xoxe'],
    entropy: 3.0,
    examples: {
      secret: [cat('xo', 'xb-', synth(DIGITS, 12, 29), '-', synth(DIGITS, 13, 30), '-', synth(ALNUM, 24, 31))],
      safe: [cat('xo', 'xb-', '000000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx'), cat('xo', 'xb-', 'your-token-here')],
    },
  },
  {
    id: 'slack-app-token',
    title: 'Slack app-level token',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>xapp-(?<body>[0-9]-[A-Z0-9]{6,14}-[0-9]{6,16}-[A-Za-z0-9]{30,80}))${E}`, 'g'),
    keywords: ['xapp-'],
    entropy: 3.0,
    examples: { secret: [cat('xa', 'pp-1-', synth(UPPER + DIGITS, 11, 32), '-', synth(DIGITS, 13, 33), '-', synth(HEX, 64, 34))], safe: [cat('xa', 'pp-1-ABC-1-x')] },
  },
  {
    id: 'slack-webhook',
    title: 'Slack incoming webhook URL',
    severity: 'error',
    kind: 'shape',
    regex: /(?<secret>https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(?<body>[A-Za-z0-9_\/+\-]{20,200}))/g,
    keywords: ['hooks.slack.com'],
    entropy: 3.0,
    // The URL's last part is the token (24 characters or more); a word there is a stand-in.
    check: 'slack-webhook',
    examples: {
      secret: [cat('https://hooks.', 'slack.com/services/T', synth(UPPER + DIGITS, 8, 35), '/B', synth(UPPER + DIGITS, 10, 36), '/', synth(ALNUM, 24, 37))],
      safe: [
        cat('https://hooks.', 'slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'),
        cat('https://hooks.', 'slack.com/services/'),
        cat('{"webhook_url": "https://hooks.', 'slack.com/services/T024BE7LD/B024BE7LD/secret"}'),
      ],
    },
  },
  {
    id: 'stripe-live-key',
    title: 'Stripe live secret key',
    severity: 'error',
    kind: 'shape',
    regex: /(?<![A-Za-z0-9_])(?<secret>(?:sk|rk)_live_(?<body>[A-Za-z0-9]{16,247}))(?![A-Za-z0-9])/g,
    keywords: ['sk_live_', 'rk_live_'],
    entropy: 3.0,
    examples: { secret: [cat('sk', '_live_', synth(ALNUM, 24, 38)), cat('rk', '_live_', synth(ALNUM, 99, 39))], safe: [cat('pk', '_live_', synth(ALNUM, 24, 40)), cat('sk', '_live_', 'xxxxxxxxxxxxxxxxxxxxxxxx')] },
  },
  {
    id: 'stripe-test-key',
    title: 'Stripe test secret key',
    severity: 'info',
    kind: 'shape',
    regex: /(?<![A-Za-z0-9_])(?<secret>(?:sk|rk)_test_(?<body>[A-Za-z0-9]{16,247}))(?![A-Za-z0-9])/g,
    keywords: ['sk_test_', 'rk_test_'],
    entropy: 3.0,
    examples: { secret: [cat('sk', '_test_', synth(ALNUM, 24, 41))], safe: [cat('pk', '_test_', synth(ALNUM, 24, 42))] },
  },
  {
    id: 'stripe-webhook-secret',
    title: 'Stripe webhook signing secret',
    severity: 'error',
    kind: 'shape',
    regex: /(?<![A-Za-z0-9_])(?<secret>whsec_(?<body>[A-Za-z0-9+/=]{24,100}))(?![A-Za-z0-9+/=])/g,
    keywords: ['whsec_'],
    entropy: 3.0,
    examples: { secret: [cat('wh', 'sec_', synth(ALNUM, 32, 43))], safe: [cat('wh', 'sec_', '...')] },
  },
  {
    id: 'google-api-key',
    title: 'Google API key',
    severity: 'warning',
    kind: 'shape',
    check: 'google-api-key',
    regex: new RegExp(`${B}(?<secret>AIza(?<body>[A-Za-z0-9_\\-]{35}))${E}`, 'g'),
    keywords: ['aiza'],
    entropy: 3.0,
    examples: {
      secret: [cat('AI', 'za', synth(URLSAFE, 35, 44))],
      safe: [`const firebaseConfig = {\n  apiKey: "${cat('AI', 'za', synth(URLSAFE, 35, 45))}",\n  authDomain: "demo.firebaseapp.com",\n};`],
    },
  },
  {
    id: 'google-oauth-client-secret',
    title: 'Google OAuth client secret',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>GOCSPX-(?<body>[A-Za-z0-9_\\-]{28}))${E}`, 'g'),
    keywords: ['gocspx-'],
    entropy: 3.0,
    examples: { secret: [cat('GOC', 'SPX-', synth(URLSAFE, 28, 46))], safe: [cat('GOC', 'SPX-', 'x'.repeat(28))] },
  },
  {
    id: 'npm-token',
    title: 'npm access token',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>npm_(?<body>[A-Za-z0-9]{36}))${E}`, 'g'),
    keywords: ['npm_'],
    entropy: 3.0,
    examples: { secret: [cat('np', 'm_', synth(ALNUM, 36, 47))], safe: ['npm_config_registry', cat('np', 'm_', 'x'.repeat(36))] },
  },
  {
    id: 'pypi-token',
    title: 'PyPI API token',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>pypi-(?<body>Ag(?:EIcHlwaS5vcmc|ENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_\\-]{50,2000}))${E}`, 'g'),
    keywords: ['pypi-ag'],
    entropy: 3.0,
    examples: { secret: [cat('py', 'pi-', 'AgEIcHlwaS5vcmc', synth(URLSAFE, 70, 48))], safe: [cat('py', 'pi-', 'AgEIcHlwaS5vcmc', 'short')] },
  },
  {
    id: 'sendgrid-api-key',
    title: 'SendGrid API key',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>SG\\.(?<body>[A-Za-z0-9_\\-]{22}\\.[A-Za-z0-9_\\-]{43}))${E}`, 'g'),
    keywords: ['sg.'],
    entropy: 3.0,
    examples: { secret: [cat('S', 'G.', synth(URLSAFE, 22, 49), '.', synth(URLSAFE, 43, 50))], safe: ['SG.settings.value'] },
  },
  {
    id: 'twilio-api-key',
    title: 'Twilio API key',
    severity: 'warning',
    kind: 'shape',
    regex: /(?<![A-Za-z0-9])(?<secret>SK(?<body>[0-9a-f]{32}))(?![A-Za-z0-9])/g,
    keywords: ['sk'],
    entropy: 3.0,
    examples: { secret: [cat('S', 'K', synth(HEX, 32, 51))], safe: [cat('S', 'K', '0'.repeat(32)), cat('S', 'K', synth(HEX, 31, 52))] },
  },
  {
    id: 'twilio-auth-token',
    title: 'Twilio auth token',
    severity: 'error',
    kind: 'pair',
    check: 'twilio-auth-pair',
    withinLines: 3,
    regex: /(?<![A-Za-z0-9])(?<secret>[0-9a-f]{32})(?![A-Za-z0-9])/g,
    keywords: ['ac'],
    entropy: 3.0,
    examples: { secret: [`sid = "${cat('A', 'C', synth(HEX, 32, 53))}"\ntoken = "${synth(HEX, 32, 54)}"`], safe: [`checksum = "${synth(HEX, 32, 55)}"`] },
  },
  {
    id: 'openai-api-key',
    title: 'OpenAI API key',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>sk-(?:proj-|svcacct-|admin-)?(?<body>[A-Za-z0-9_\\-]{16,200}T3BlbkFJ[A-Za-z0-9_\\-]{16,200}))${E}`, 'g'),
    keywords: ['t3blbkfj'],
    entropy: 3.0,
    examples: { secret: [cat('sk', '-proj-', synth(URLSAFE, 40, 56), 'T3Blbk', 'FJ', synth(URLSAFE, 40, 57))], safe: [cat('sk', '-proj-', 'T3Blbk', 'FJ')] },
  },
  {
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>sk-ant-(?:api|admin)[0-9]{2}-(?<body>[A-Za-z0-9_\\-]{80,120}))${E}`, 'g'),
    keywords: ['sk-ant-'],
    entropy: 3.0,
    examples: { secret: [cat('sk', '-ant-', 'api03-', synth(URLSAFE, 93, 58))], safe: [cat('sk', '-ant-', 'api03-', 'xxx')] },
  },
  {
    id: 'huggingface-token',
    title: 'Hugging Face access token',
    severity: 'error',
    kind: 'shape',
    regex: new RegExp(`${B}(?<secret>hf_(?<body>[A-Za-z]{34}))${E}`, 'g'),
    keywords: ['hf_'],
    entropy: 3.0,
    examples: { secret: [cat('h', 'f_', synth(UPPER + 'abcdefghijklmnopqrstuvwxyz', 34, 59))], safe: ['hf_hub_download', cat('h', 'f_', 'x'.repeat(34))] },
  },
  {
    id: 'azure-storage-key',
    title: 'Azure storage account key',
    severity: 'error',
    kind: 'shape',
    regex: /(?<![A-Za-z0-9])AccountKey=(?<secret>(?<body>[A-Za-z0-9+/]{86})==)/g,
    keywords: ['accountkey='],
    entropy: 4.0,
    examples: { secret: [`DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=${synth(BASE64, 86, 60)}==;EndpointSuffix=core.windows.net`], safe: ['AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='] },
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    severity: 'warning',
    kind: 'shape',
    check: 'jwt',
    regex: /(?<![A-Za-z0-9_\-])(?<secret>eyJ[A-Za-z0-9_\-]{10,4000}\.eyJ[A-Za-z0-9_\-]{4,16000}\.(?<body>[A-Za-z0-9_\-]{16,4000}))(?![A-Za-z0-9_\-])/g,
    keywords: ['eyj'],
    entropy: 3.0,
    examples: {
      secret: [cat(b64url('{"alg":"HS256","typ":"JWT"}'), '.', b64url('{"sub":"1234567890","role":"service_role"}'), '.', synth(URLSAFE, 43, 61))],
      safe: [
        cat(b64url('{"alg":"HS256","typ":"JWT"}'), '.', b64url('{"iss":"supabase","role":"anon"}'), '.', synth(URLSAFE, 43, 62)),
        cat('eyJ', synth(URLSAFE, 20, 63), '.eyJ', synth(URLSAFE, 20, 64), '.', synth(URLSAFE, 20, 65)),
      ],
    },
  },
  {
    id: 'url-password',
    title: 'password in a URL',
    severity: 'error',
    kind: 'shape',
    check: 'url-password',
    // scheme://user:password@host — the password may hold RFC 3986 sub-delims (! $ & ' ( ) * + , ; =).
    // (The scheme is a look-behind so that the regex starts at the literal `://`, which V8 finds fast.)
    regex: /(?<=(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{1,30}):\/\/(?<user>[^\s:/?#@"'`<>\\{}|^\[\]]{0,128}):(?<secret>[^\s/?#@"'`<>\\{}|^\[\]]{1,256})@(?=[A-Za-z0-9\[._%\-])/g,
    keywords: ['://'],
    entropy: 0,
    examples: {
      secret: [cat('DATABASE_URL=post', 'gres://app:S3cr3tPassw0rd!@db/app'), cat('am', 'qp://svc:Zk4r9;wq@rabbit:5672/')],
      safe: [cat('post', 'gres://postgres:postgres@localhost/app'), cat('post', 'gres://app:${DB_PASSWORD}@db/app'), 'https://example.com/a@b', 'redis://:changeme@redis:6379', 'http://host:8080@x'],
    },
  },
  {
    id: 'connection-string-password',
    title: 'password in a connection string',
    severity: 'error',
    kind: 'shape',
    check: 'conn-string',
    // `Server=…;User Id=…;Password=…;` (ADO.NET, ODBC, JDBC-style key=value lists ended by `;`).
    regex: /(?<![A-Za-z0-9_])(?:password|Password|PASSWORD|pwd|Pwd|PWD)\s{0,3}=\s{0,3}(?<secret>[^;"'\s<>{}][^;"'\r\n<>]{0,200}?)\s{0,3}(?=;)/g,
    keywords: ['password=', 'pwd=', 'password =', 'pwd ='],
    entropy: 0,
    examples: {
      secret: ['"Server=sql.internal;Database=app;User Id=app;Password=Js0n-Sql-Pw!;"', 'Driver={ODBC Driver 18};Server=db;Uid=sa;Pwd=Odbc-Pw-77;'],
      safe: ['Server=sql;User Id=app;Password=${DB_PASSWORD};', 'Server=sql;User Id=app;Password=changeme;', 'if (password=check()); then'],
    },
  },
  {
    id: 'authorization-header',
    title: 'credential in an Authorization header',
    severity: 'error',
    kind: 'shape',
    regex: /(?<![A-Za-z0-9_\-])[Aa]uthorization["']?\s{0,3}[:=]\s{0,3}["']?(?:Bearer|bearer|Basic|basic|Token|token)\s{1,3}(?<secret>(?<body>[A-Za-z0-9._~+/\-]{16,2000}=*))/g,
    keywords: ['authorization'],
    entropy: 3.2,
    examples: {
      secret: [`curl -H "Authorization: Bearer ${synth(URLSAFE, 40, 66)}" https://api.example.org`],
      safe: ['curl -H "Authorization: Bearer $API_TOKEN" https://api.example.org', 'Authorization: Bearer <token>', '"Example header: `Authorization: Bearer opc_org.abc123xyz.xYz...`"'],
    },
  },
  {
    id: 'password-assignment',
    title: 'plaintext password',
    severity: 'error',
    kind: 'name',
    names: 'password',
    minLength: 6,
    keywords: ['pass', 'pwd', 'pw', 'contrase', 'senha'],
    entropy: 0,
    examples: {
      secret: ['DB_PASSWORD: hunter2hunter2', 'export SMTP_PASS="Zr8#kq!2mv"', 'password = "s3cr3t-Tr0ub4dor"'],
      safe: ['DB_PASSWORD: change-me', 'DB_PASSWORD: ${DB_PASSWORD}', 'PASSWORD_MIN_LENGTH: 12', "password = ''", 'DB_PASSWORD: !!!SET DB_PASSWORD!!!', 'password: postgres', 'DB_PASSWORD=your-password-here'],
    },
  },
  {
    id: 'secret-assignment',
    title: 'plaintext secret',
    severity: 'error',
    kind: 'name',
    names: 'secret',
    minLength: 8,
    keywords: ['secret', 'token', 'key', 'credential', 'creds', 'dsn', 'conn', 'authorization'],
    entropy: 0,
    examples: {
      secret: [`API_KEY: ${synth(ALNUM, 32, 67)}`, 'SECRET_KEY = "hunter2hunter2"', `clientSecret: '${synth(URLSAFE, 30, 68)}'`],
      safe: ['KEY_PATH: /etc/app/key.pem', 'TOKEN_URL: https://auth.example.org/token', 'public_key: "ssh-ed25519 AAAA"', 'SECRET_KEY = os.environ["SECRET_KEY"]', 'API_KEY: <your-api-key>', 'token: ${{ secrets.GITHUB_TOKEN }}', 'SECRET_KEY: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]'],
    },
  },
  {
    id: 'ci-set-x',
    title: 'set -x in a CI step that handles secrets',
    severity: 'warning',
    kind: 'ci',
    keywords: ['set -', 'xtrace', 'bash -x', 'sh -x'],
    entropy: 0,
    examples: { secret: [], safe: [] },
  },
];

/** Rules by id (the first row of an id; `aws-secret-access-key` has a name row and a pair row). */
export const RULE_BY_ID: ReadonlyMap<string, CredentialRule> = new Map([...RULES].reverse().map((r) => [r.id, r]));

/** The detector ids, in table order, without repeats (for docs and `orchard rules`). */
export const DETECTOR_IDS: readonly string[] = [...new Set(RULES.map((r) => r.id))];
