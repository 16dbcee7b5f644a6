// The credential scanner on realistic files of every format (expected findings in
// test/fixtures/credentials/expected.json), the rules table's own examples, and every safe form.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanCredentials, RULES, DETECTOR_IDS, classifyCredentialFile, inferCiFlavor } from '../../server/src/parse/credentials';
import type { CredentialFileKind } from '../../server/src/parse/credentials';
import { lineIndex } from '../../server/src/parse/text';
import { FIXTURES, TOKENS, fixture, rows, scanFixture, type Row } from './credentials.helpers';
import { BASE64, synth } from '../../server/src/parse/credentials/synth';

const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as { file: string; uri: string; kind: CredentialFileKind; findings: Row[] }[];

function scan(text: string, uri = 'file:///ws/x.txt', kind: CredentialFileKind = 'text') {
  return scanCredentials({ text, uri, kind }).findings;
}

describe('credential fixtures (realistic CI, settings and source files)', () => {
  for (const e of expected) {
    test(`${e.file} as ${e.uri}`, () => {
      const findings = scanFixture(e.file, { uri: `file:///ws/${e.uri}`, kind: e.kind });
      assert.deepEqual(rows(findings), e.findings);
    });
  }

  test('every finding range covers exactly the planted credential (or the named value)', () => {
    const planted = new Set(Object.values(TOKENS));
    let checked = 0;
    for (const e of expected) {
      const text = fixture(e.file);
      const idx = lineIndex(text);
      for (const f of scanFixture(e.file, { uri: `file:///ws/${e.uri}`, kind: e.kind })) {
        const s = text.slice(idx.offsetAt(f.range.start), idx.offsetAt(f.range.end));
        assert.ok(s.length > 0);
        assert.equal(f.preview, `${s.slice(0, Math.min(4, Math.floor(s.length / 3)))}…`);
        if (planted.has(s)) checked++;
        if (f.keyRange && f.keyName) assert.equal(text.slice(idx.offsetAt(f.keyRange.start), idx.offsetAt(f.keyRange.end)), f.keyName);
      }
    }
    assert.ok(checked >= 30, `only ${checked} planted tokens matched exactly`);
  });

  test('every detector id of the table has a fixture finding or an example', () => {
    const seen = new Set(expected.flatMap((e) => e.findings.map((r) => r[0])));
    for (const id of DETECTOR_IDS) assert.ok(seen.has(id) || RULES.some((r) => r.id === id && r.examples.secret.length > 0), id);
  });
});

describe('rules table', () => {
  for (const rule of RULES) {
    if (rule.kind === 'ci') continue;
    test(`${rule.id} (${rule.kind}): true examples found, false examples not`, () => {
      assert.ok(rule.examples.secret.length > 0, 'needs a true example');
      assert.ok(rule.examples.safe.length > 0, 'needs a false example');
      for (const s of rule.examples.secret) assert.ok(scan(s).some((f) => f.detector === rule.id), `missed: ${JSON.stringify(s.slice(0, 40))}`);
      for (const s of rule.examples.safe) assert.deepEqual(scan(s).filter((f) => f.detector === rule.id), [], `false positive: ${JSON.stringify(s.slice(0, 40))}`);
    });
  }

  test('keywords are lower case; regexes are global and have no unbounded nested quantifier', () => {
    for (const r of RULES) {
      for (const k of r.keywords) assert.equal(k, k.toLowerCase(), r.id);
      if (!r.regex) continue;
      if (r.kind !== 'name') assert.ok(r.regex.global, `${r.id} must be global`);
      const src = r.regex.source;
      // A group followed by an unbounded quantifier is the classic catastrophic shape.
      assert.doesNotMatch(src, /\)[+*]|\)\{\d+,\}/, `${r.id}: quantified group`);
      // Unbounded quantifiers only on single characters ending a pattern (`=*`), never on classes in the middle.
      assert.doesNotMatch(src.replace(/=\*\)*$/, ''), /\][+*]|\]\{\d+,\}/, `${r.id}: unbounded class quantifier`);
    }
  });
});

describe('safe forms are never reported', () => {
  const cases: [string, string, string, CredentialFileKind][] = [
    ['Travis list secure', '.travis.yml', 'env:\n  global:\n    - secure: "' + 'Ab1Cd2Ef3'.repeat(20) + '="\n', 'yaml'],
    ['Travis map secure', '.travis.yml', 'deploy:\n  password: {secure: "' + 'Zx9Yw8Vu7'.repeat(20) + '="}\n  api_key:\n    secure: "' + 'Qp1Wo2Ei3'.repeat(20) + '"\n', 'yaml'],
    ['Travis matrix secure', '.travis.yml', 'env:\n  jobs:\n    - secure: "' + 'Mn4Bv5Cx6'.repeat(20) + '"\n', 'yaml'],
    ['GitHub secrets/vars/env expressions', '.github/workflows/a.yml', 'env:\n  DB_PASSWORD: ${{ secrets.DB_PASSWORD }}\n  API_KEY: ${{ vars.API_KEY }}\n  TOKEN: ${{ env.TOKEN }}\n  SECRET: ${{ secrets[format(\'{0}_KEY\', matrix.env)] }}\njobs:\n  a:\n    secrets: inherit\n', 'yaml'],
    ['shell references', '.gitlab-ci.yml', 'variables:\n  DB_PASSWORD: $DB_PASSWORD\n  API_TOKEN: ${API_TOKEN}\n  SECRET_KEY: "$(cat /run/secrets/key)"\n  WIN_PASSWORD: "%WIN_PASSWORD%"\n', 'yaml'],
    ['CircleCI contexts', '.circleci/config.yml', 'workflows:\n  main:\n    jobs:\n      - deploy:\n          context: [aws-prod, slack-secrets]\n', 'yaml'],
    ['CodeBuild parameter-store / secrets-manager', 'buildspec.yml', 'env:\n  parameter-store:\n    DB_PASSWORD: prod-db-password\n  secrets-manager:\n    API_TOKEN: prod/api:token-value-x9\n', 'yaml'],
    ['SOPS values and metadata', 'secrets.yaml', 'password: ENC[AES256_GCM,data:Zm9vYmFy,iv:abc=,tag:def=,type:str]\nsops:\n    age:\n        - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n          enc: |\n            -----BEGIN AGE ENCRYPTED FILE-----\n            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBqZW5jcnlwdGVkc3R1ZmY=\n            -----END AGE ENCRYPTED FILE-----\n    mac: ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]\n', 'yaml'],
    ['SOPS dotenv', '.env', 'DB_PASSWORD=ENC[AES256_GCM,data:Tr2x0Q==,iv:8Jz3kq0G6Yb0bQ==,tag:0Lq2Rz8ocUq==,type:str]\n', 'dotenv'],
    ['Ansible vault tag and payload', 'vars.yml', 'db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6231336539666234306139346433616338376437376461363365363430623138\n  6134333665353966363534333632666535333761666131620a66353764643664\n', 'yaml'],
    ['Ansible vault file', 'vault.yml', '$ANSIBLE_VAULT;1.1;AES256\n6231336539666234306139346433616338376437376461363365363430623138\n', 'yaml'],
    ['placeholders', '.env', ['change-me', 'changeme', 'xxxxxxxxxxxx', '<token>', 'your-api-key', '!!!SET DB_PASSWORD!!!', '***', 'REPLACE_ME', 'TODO', 'dummy', 'example', '', 'your_token_here', 'test_password_123', 'supersecretpassword', 'abcdef123456', 'aaaa1111', 'ffff9999', 'abababab'].map((v, i) => `DB_PASSWORD_${i}=${v}`).join('\n'), 'dotenv'],
    ['documented examples', '.env', 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nAWS_SECRET_KEY=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n', 'dotenv'],
    ['non-secret values on sensitive names', '.env', 'PASSWORD_REQUIRED=true\nTOKEN_TTL=3600\nAPI_KEY_FILE=/run/secrets/api_key\nSECRET_KEY_PATH=./keys/app.pem\nDB_PASSWORD=DB_PASSWORD_FROM_VAULT\nAUTH_TOKEN=https://auth.example.org/token\nPRIVATE_KEY=id_rsa.pem\n', 'dotenv'],
    ['non-sensitive names', 'a.yml', 'key_path: /etc/k\ntoken_url: https://x.example/token\npassword_min_length: 12\npublic_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabg"\ncache_key: deps-v1-a8f3\nnext_page_token: CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA0\nexistingSecret: app-secrets\n', 'yaml'],
    ['allow markers', '.env', 'DB_PASSWORD=xk2-Pq9-Lm4 # orchard: allow\nAPI_KEY=Zm9vYmFyYmF6cXV4 # pragma: allowlist secret\n# pragma: allowlist nextline secret\nTOKEN=Qm9vYmFyYmF6cXV4\nSECRET=Vm9vYmFyYmF6cXV4 # gitleaks:allow\n# orchard: allow\nPASSWORD=Wm9vYmFyYmF6cXV4\n', 'dotenv'],
    ['identifiers on key/token names; default credentials of well-known images', 'config.js', "const STORAGE_KEY = 'user-settings';\nconst TOKEN_HEADER_KEY = 'authToken';\nconst cfg = { keystorePassword: 'changeit', dbPassword: 'wordpress' };\n", 'js'],
    [
      'stored password hashes (a fixture\'s user rows, htpasswd, LDAP)',
      'fixtures/users.json',
      '[{"fields": {"password": "pbkdf2_sha256$600000$zQKWzgiFtsrRNaYd2owW0c$Y5NyUP57J53f4YV7JfP+AUMBGFvHd3QGHQv4O7UhSLQ="}},\n {"fields": {"password": "argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHQ$WpFoZ0Zb3z9Pq1bJkq8u4A"}},\n {"password": "$2b$12$KIXQJ7v9bF4pG5s6wV8uPeQm1nT2rY3zX4cD5eF6gH7iJ8kL9mN0o"},\n {"userPassword": "{SSHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g9dWZvP2Qm"}]\n',
      'json',
    ],
    [
      'samples shown to people: a form field\'s placeholder, a schema\'s example',
      'form.tsx',
      'const fields = [{ key: "GITLAB_CLIENT_SECRET", placeholder: "gloas-f79cfa9a03c97f6ffab303177a5a6778a53c61e3914ba093412f68a9298a1b28" }];\nconst s = { token: { type: "string", example: "ghp_R8x2kQ9vLm4nT7wP3sZ6yB1cD5fG0hJ2kL9m" } };\n<input tokenPlaceholder="glpat-Xq7RtY2mKp9LzN4vB8cW" />\n',
      'js',
    ],
    [
      "a doc comment's @example sample (openapi-typescript writes a schema's example so)",
      'src/client/v1.ts',
      '/**\n * Secret\n * @example whsec_ovyN6cPrTv56AApvzCaJno08SSmGJmgbWilb33N2JuK\n */\nsecret: string\n  // @example sk_live_51H8qZtKpQ2xLmN4vB7cW9yR3\n',
      'js',
    ],
    ['a Python f-string of a slot in code held by YAML', 'templates/list.yml', 'implementation:\n  script: |\n    def run(token):\n        headers = {"Authorization": f"Bearer {token}"}\n', 'yaml'],
    ['a versioned storage key; a schema reference; a cookie name with a digit in a word', 'hooks.ts', 'const STORAGE_KEY = "cases-visible-columns:v1"\nconst COOKIE_KEY = "polar_oauth2_state"\nconst m = { secret: "#/components/schemas/SecretArtifact" }\n', 'js'],
    ['a shortened sample key shown in a form', 'form.tsx', 'placeholder={`-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1Xq8z2vY3kHnPbW9pJ4rT5sU6wK\n9bV3nHpQ7rTaB4eYhN2dWfL5mC8xR1oZ0gD7uF6iX3c\n…\nhQ4kR2bJ8nVwPzL0aXmS9tE1yU6sJ0oZ4eY7dWfL5mC\n-----END RSA PRIVATE KEY-----`}\n', 'js'],
    ['names in code generated from a schema', 'src/client/schemas.gen.ts', 'export const S = { api_key: "Zr8kq2mvTqW9x7Lp", password: "Zr8kq2mvTqW9" };\n', 'js'],
    ['a lookup key naming the password; a storage key of words; a conditional\'s branches; a shortened token; a stand-in in a comment', 'connector.tsx', '_PASSWORD_KEY = "imap_password"\nexport const VIDEO_BACKGROUND_STORAGE_KEY = "craft-video-background";\nconst a = { autoComplete: isSignup ? "new-password" : "current-password" };\nconst MOCK_ACCESS_TOKEN = "xoxe.xoxp-1-Mi0yLTU5MTAx...MDkwN2U0YjlmZmI4YzA1NTYwZjNlMjRiZDYwNGU0ZA";\n// k8s-up.sh --opensearch-password \'YourStrongPwHere\'\n', 'js'],
    ['a description with an arrow; lexer states; a vendor prefix with a stub after it', 'settings.py', 'D = {"ZVONOK_API_KEY": "API public key. You can get it in Profile->Settings section."}\nR = [{"token": "@rematch", "next": "@pop"}]\nstripe.api_key = "sk_test_123"\nwebhook_secret = "whsec_123"\nA = {"access_token": "xoxp-1234"}\n', 'python'],
    ['what a test says of the values it tries; a keyword argument inside a template tag', 'templates/email/activate.txt', "{% set link = url_for('auth.activate', token=token, _external=True) %}\n{{ url_for('x', token=token) }}\n", 'text'],
    ['words a test writes as passwords and tokens', 'tests/test_auth.py', 'user = UserFactory(password="goodpassword!")\nd = {"password": "a-very-good-password!", "token": "validtoken123"}\n', 'python'],
    ['durations and sizes on password and token names', '.env', 'RESET_PASSWORD_LOCK_TIME=15 minutes\nTOKEN_REFRESH_AFTER=5 seconds\nPASSWORD_CACHE=10 MB\n', 'dotenv'],
    [
      'a local container whose password is a user name again',
      'docker-compose.yml',
      'services:\n  db:\n    environment:\n      - POSTGRES_USER=saleor\n      - POSTGRES_PASSWORD=saleor\n  mq:\n    environment:\n      RABBITMQ_DEFAULT_USER: shopmq\n      RABBITMQ_DEFAULT_PASS: shopmq\n  maria:\n    environment:\n      MARIADB_USER: paperless\n      MARIADB_ROOT_PASSWORD: paperless\n',
      'yaml',
    ],
    ['a minified bundle: no name rules', 'static/js/zxcvbn.min.js', 'var m=e?"This is a very common password":"english_wikipedia";var c={password:"Zr8#kq!2mvTq"};\n', 'js'],
    ['a translation catalog', 'frontend/lang/messages/uk-UA.json', '{"user": {"invalid-current-password": "Невірний поточний пароль", "forgot-password": "Нагадати пароль"}}\n', 'json'],
    ['a Rails locale file', 'config/locales/de.yml', 'de:\n  password: "Zr8kq2mvTqW9"\n', 'yaml'],
    ['a package.json script that runs a file', 'package.json', '{"scripts": {"change-password": "node scripts/change-password.js", "reset-password": "python ./tools/reset_pw.py --all"}}\n', 'json'],
    ['a catalog under intl/messages', 'public/intl/messages/th-TH.json', '{"label.password": "รหัสผ่าน", "label.current-password": "Parola"}\n', 'json'],
    [
      'messages in other languages on password names',
      'app/strings.json',
      '{"invalid_password": "Contraseña inválida", "password_hint": "请输入密码", "reset_password": "Неверный пароль", "ko_password": "비밀번호를 입력하세요"}\n',
      'json',
    ],
    ['a JS catalog named after its locale (lnbits)', 'lnbits/static/i18n/pt-BR.js', "window.localisation.br = {\n  change_password: 'Alterar senha',\n  secret_key: 'Chave secreta',\n  password: 'Senha2'\n}\n", 'js'],
    ['a PHP catalog in a locale folder (Laravel)', 'resources/lang/de/passwords.php', "<?php\nreturn [\n    'password' => 'Zr8kq2mvTqW9',\n];\n", 'text'],
    ['an emoji written as escapes (a vendored emoji map)', 'static/vendor/showdown.js', "var emojis = {\n  'secret':'\\u3299\\ufe0f',\n  'key':'\\ud83d\\udd11'\n};\n", 'js'],
    ['the published CAPTCHA test keys (reCAPTCHA, hCaptcha, Turnstile)', '.env', 'CAPTCHA_TESTING_API_KEY=6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI\nRECAPTCHA_SECRET_KEY=6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe\nHCAPTCHA_SECRET=0x0000000000000000000000000000000000000000\nTURNSTILE_SECRET_KEY=1x0000000000000000000000000000000AA\n', 'dotenv'],
    [
      "a CI job's environment repeating its service container's password (netbox)",
      '.github/workflows/release.yml',
      'jobs:\n  smoke:\n    runs-on: ubuntu-latest\n    services:\n      postgres:\n        image: postgres:17\n        env:\n          POSTGRES_USER: pgadmin\n          POSTGRES_PASSWORD: Zr8kq2mvTqW9\n    env:\n      DB_PASSWORD: Zr8kq2mvTqW9\n      POSTGRES_USER: netbox\n      POSTGRES_PASSWORD: pgadmin\n',
      'yaml',
    ],
    [
      "a Kubernetes Secret's base64 data that decodes to a stand-in",
      'k8s/secrets.yaml',
      'kind: Secret\napiVersion: v1\nmetadata:\n  name: recipes\ndata:\n  postgresql-password: ZGItcGFzc3dvcmQ=\n  postgresql-postgres-password: cG9zdGdyZXMtdXNlci1wYXNzd29yZA==\n',
      'yaml',
    ],
    ['an instruction written as the value', 'authelia/configuration.yml', "storage:\n  encryption_key: 'you_must_generate_a_random_string_of_more_than_twenty_chars_and_configure_this'\n", 'yaml'],
    ['a script starting a local database whose password is its user name', 'scripts/run-postgres.sh', 'docker run -d \\\n  -e POSTGRES_USER=linkding \\\n  -e POSTGRES_PASSWORD=linkding \\\n  postgres\nexport LD_DB_USER=linkding\nexport LD_DB_PASSWORD=linkding\n', 'shell'],
    ['a BuildKit secret spec in a Dockerfile comment (Flagsmith)', 'Dockerfile', '# $ docker build \\\n#     --secret="id=sse_pgp_pkey,src=./sse_pgp_pkey.key" \\\n#     --secret="id=github_private_cloud_token,env=GH_TOKEN" .\nRUN --mount=type=secret,id=gh_token,env=GH_TOKEN make\n', 'text'],
    ['a dotted class path on a token name (Django REST settings)', 'settings/common.py', 'DJOSER = {\n    "SERIALIZERS": {\n        "token": "custom_auth.serializers.CustomTokenSerializer",\n    },\n}\n', 'python'],
    ['a value that says what should be there (cs.canonical.com .env)', '.env', 'GOOGLE_PRIVATE_KEY=base64encodedprivatekey\nAPI_KEY=hex-encoded-api-key\n', 'dotenv'],
    ['a PEM block with a stand-in for its body (specs.canonical.com .env)', '.env', 'GOOGLE_PRIVATE_KEY="-----BEGIN PRIV' + 'ATE KEY-----\\nREFPLACE_ME\\n-----END PRIV' + 'ATE KEY-----"\nKEY2="-----BEGIN PRIV' + 'ATE KEY-----\\n...\\n-----END PRIV' + 'ATE KEY-----"\n', 'dotenv'],
    ['an OAuth consumer key that is a host and a path (ubuntu-com-security-api, Launchpad)', 'webapp/auth.py', 'CONSUMER_KEY = "ubuntu.com/security"\ndata = {"oauth_consumer_key": "ubuntu.com/security"}\n', 'python'],
    ['command-line flags a config key is passed with (mcp-server-operator)', 'src/server.py', 'KEY_TO_FLAG = {\n    "client_id": "--oauth-client-id",\n    "client_secret": "--oauth-client-secret",\n    "password": "--db-password",\n}\n', 'python'],
    ['Python annotations written as strings', 'core/dataclasses.py', 'class AuthorData:\n    api_key: "MasterAPIKey | None" = None\n\ndef changed_by(user: "FFAdminUser | None", api_key: "MasterAPIKey | None") -> str:\n    pass\n', 'python'],
    ['a session key name starting with an underscore', 'views/user.py', '_NEW_REFRESH_TOKEN_SESSION_KEY = "_wger_new_refresh_token"\n', 'python'],
    [
      'a Compose file by its shape, whose password is its user name and a stand-in (Flagsmith)',
      'docker/db/.pgpool.yml',
      'services:\n  pg-0:\n    image: bitnami/postgresql-repmgr\n    environment:\n      - REPMGR_USERNAME=repmgr\n      - REPMGR_PASSWORD=repmgrpassword\n',
      'yaml',
    ],
    ['a URL password made of its user name and a stand-in (wger)', 'settings/main.py', "URI = env.str('PS_URI', 'post" + "gres://powersync_storage:powersync_password@db:5432/wger')\n", 'python'],
    ['a public Algolia search key in a Docusaurus config', 'website/docusaurus.config.ts', "algolia: {\n  appId: 'GZAPCBLIEE',\n  apiKey: '00987f2d774d7787dcae25294463294c',\n  indexName: 'flagsmith',\n},\n", 'js'],
    ['a database key name built of words (searxng)', 'botdetection/link_token.py', "TOKEN_KEY = 'SearXNG_limiter.token'\n", 'python'],
    ['GitHub\'s documented installation token in a test (readthedocs.org)', 'oauth/views.py', 'INSTALLATION = {"token": "' + 'ghs_' + '16C7e42F292c6912E7710c838347Ae178B4a"}\n', 'python'],
    ['a browser storage key in camelCase (Ghostwriter)', 'plain_editors/cvss.tsx', 'const CVSS_VERSION_STORAGE_KEY = "ghostwriter.cvssCalculatorVersion";\n', 'js'],
    ['a variable named between # as the value (superdesk)', 'data_sample/ingest_providers.json', '[{"config": {"username": "wenn", "password": "#ENV_AAP_PASSWORD#"}}]\n', 'json'],
    ['a Google key on a name that says it is public: a browser key (SurfSense\'s InnerTube key)', 'youtube/innertube.py', 'INNERTUBE_PUBLIC_API_KEY = "AIza' + 'SyAO_FJ2SlqU8Q4STEHLGCilw_Y9_11qcW8"\n', 'python'],
    ['a password flag in a comment, spoken of in prose (SurfSense)', 'docker/scripts/install.sh', '# migrate-database.sh manually first (with --db-user / --db-password flags),\n', 'shell'],
    ['HTTP Basic credentials of a documented default, secret:key (private-gpt)', 'settings.yaml', 'server:\n  auth:\n    enabled: false\n    secret: "Basic c2VjcmV0OmtleQ=="\n', 'yaml'],
    ['a value that says not to use it in production (tecken)', 'docker/config/local_dev.env', 'SECRET_KEY=DontusethisinproductionbutitneedsbelongforCI1234567890\n', 'dotenv'],
    ['a PostHog project key: write-only, for clients (mem0\'s telemetry)', 'telemetry.py', 'POSTHOG_API_KEY = "' + 'phc_' + 'hgJkUVJFYtmaJqrvf6CYN67TIQ8yhXAkWzUn9AMU4yX"\n', 'python'],
    ['help text for an --api-key option naming its variable (mem0)', 'cli/app.py', 'OPTIONS = {"--api-key": "Override API key (env: MEM0_API_KEY)."}\n', 'python'],
    ['a variable named in a script\'s embedded Python (mem0)', 'scripts/migrate.sh', 'python3 - <<EOF\npayload = {\n    "api_key": POSTHOG_API_KEY,\n}\nEOF\n', 'shell'],
    ['a CI script writing a test database\'s config, the password its user name (pgadmin4)', '.github/workflows/run-tests.yml', 'jobs:\n  a:\n    steps:\n      - run: |\n          @echo.      "db_username": "enterprisedb",\n          @echo.      "db_password": "enterprisedb",\n', 'yaml'],
    ['a sentence ending after "secret:" in a text document (chroma\'s example speech)', 'documents/state_of_the_union_2022.txt', 'Our First Lady calls America’s best-kept secret: community colleges.\n', 'text'],
    ['a cookie value built from % directives (liberapay)', 'models/participant.py', "creds = '%i:%i:%s' % (self.id, self.session.id, self.session.secret)\n", 'python'],
    ['a connection string to the Azurite emulator, its published key (pulpcore CI)', 'scripts/install.sh', 'export AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://ci-azurite:10000/devstoreaccount1;"\n', 'shell'],
    ['what a log shows instead of the value (Radicale)', 'radicale/app/__init__.py', 'headers["HTTP_AUTHORIZATION"] = "Basic **masked**"\n', 'python'],
    ['the word password translated, in a translation table (aleph)', 'ui/src/content/translations.json', '{"de": {"password_auth.password": "Passwort", "settings.new_password": "Neues Passwort"}, "es": {"password_auth.password": "Contraseña"}, "pt": {"settings.current_password": "Senha atual"}, "ru": {"password_auth.password": "Пароль"}, "bs": {"password_auth.password": "Šifra"}}\n', 'json'],
    ['an example response in an API description (kpi\'s drf-spectacular schema)', 'static/openapi/schema_v2.json', '{"examples": {"Login": {"value": {"meta": {"session_token": "ufwcig0zen9skyd545jc0fkq813ghar2"}}}}}\n', 'json'],
    ['an example request in an OpenAPI YAML file', 'docs/openapi.yaml', 'components:\n  examples:\n    login:\n      value:\n        password: Zr8kq2mvTqW9\n', 'yaml'],
    ['a minified bundle named like any script (kpi\'s vendored swagger-ui-bundle.js)', 'static/js/swagger/swagger-ui-bundle.js', '!function(){' + 'var a=1;'.repeat(800) + 'var m={allPass:"overEvery",anyPass:"overSome"};}();\n', 'js'],
    ['a cookie\'s name with a numeronym in it (baserow)', 'modules/core/module.js', "export default {\n  detectBrowserLanguage: { useCookie: true, cookieKey: 'i18n-language' },\n}\n", 'js'],
    ['postcode patterns keyed by country (django-oscar)', 'address/abstract_models.py', 'POSTCODES = {\n    "PT": r"^[0-9]{4}(-?[0-9]{3})?$",\n    "PW": r"^[0-9]{5}$",\n}\n', 'python'],
    ['ISO 3166-2 subdivision codes (umami)', 'public/iso-3166-2.json', '{"MU-PW": "Plaines Wilhems", "PW-212": "Melekeok"}\n', 'json'],
    ['an env file whose password is its user name (django-on-docker)', '.env.prod.db', 'POSTGRES_USER=hello_django\nPOSTGRES_PASSWORD=hello_django\nPOSTGRES_DB=hello_django_prod\n', 'dotenv'],
    ['a sentence as a key is a message', 'messages.json', '{"This is a very common password": "Zr8kq2mvTqW"}\n', 'json'],
    ['a message of two words mapped to its translation key (open-notebook)', 'lib/utils/error-handler.ts', 'const MAP = {\n  "Invalid password": "apiErrors.invalidPassword",\n  "Missing token": "apiErrors.unauthorized",\n}\n', 'js'],
    ['a passphrase in a docstring\'s interactive example (securedrop\'s gnupg module)', 'pretty_bad_protocol/gnupg.py', 'def gen_key_input(self, **kwargs):\n    \"\"\"\n    >>> alice = { \'name_real\': \'Alice\',\n    ...     \'passphrase\': \'sekrit\'}\n    >>> password = "hunter22"\n    \"\"\"\n', 'python'],
    ['stand-ins written as phrases, with sizes in them (La Suite docs\' env.d/development/common)', 'env.d/development/common', '# OIDC_STORE_REFRESH_TOKEN_KEY="your-32-byte-encryption-key=="\nSEARCH_INDEXER_SECRET=find-api-key-for-docs-with-exactly-50-chars-length  # Key generated by create_demo\n', 'dotenv'],
    ['a hand-typed UUID that counts (moto\'s mock network firewall)', 'moto/networkfirewall/models.py', 'self.update_token = "1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d"\n', 'python'],
    ['a test result\'s colour map with a `pass` key (treeherder)', 'ui/helpers/display.js', "export const resultColorMap = {\n  pass: 'success',\n  fail: 'danger',\n};\n", 'js'],
    ['a media\'s public id named friendly_token (mediacms\' sample media list)', 'assets/sample-media-file.mp3.json', '[{"friendly_token": "MPpjNAJ37", "url": "https://videojs.example.org/view?m=MPpjNAJ37"}]\n', 'json'],
    ['a Perl array as the value and a Perl hash in a comment (modoboa\'s amavisd.conf)', 'docker/amavis_config/amavisd.conf', "@storage_sql_dsn = @lookup_sql_dsn;  # none, same, or separate database\n# @storage_redis_dsn = ( {server=>'127.0.0.1:6379', db_id=>1} );\n", 'ini'],
    ['a form\'s visibility rules written name=value (modoboa\'s OVH SMS backend)', 'core/sms_backends/ovh.py', 'visibility_rules = {\n    "sms_ovh_application_key": "sms_provider=ovh",\n    "sms_ovh_application_secret": "sms_provider=ovh",\n}\n', 'python'],
    ['a password a shell script generates between backticks (mediacms\' prestart.sh)', 'deploy/docker/prestart.sh', 'RANDOM_ADMIN_PASS=`python -c "import secrets;chars = \'abcdefghijklmnopqrstuvwxyz0123456789\';print(\'\'.join(secrets.choice(chars) for i in range(10)))"`\n', 'shell'],
    ['a design system\'s colour token (La Suite docs)', 'components/OnboardingStepIcon.tsx', "export const Icon = ({ size = '32px', colorToken = 'gray-550' }) => null;\nconst themeToken = 'primary-700';\n", 'js'],
    ['a literal joined to a value in code (anbox-cloud.io)', 'static/js/sdk.js', "const headers = {\n  'Authorization': 'Macaroon root=' + this._options.authToken,\n  password: 'Zr8kq2mvTqW9' +\n    suffix,\n};\n", 'js'],
    ['an authorization scheme before a format slot', 'client.py', 'authorization = "Bearer %s" % (tok)\nheaders = {"Authorization": "Token {}".format(t)}\nbasic = "Basic {0}"\n', 'python'],
    ['a URL whose password is a word of its user name', 'settings.py', '# default="post' + 'gres://saleor_read_only:saleor@localhost:5432/saleor"\n', 'python'],
    ['an Ansible option naming an action on a password (jumpserver)', 'playbooks/change_secret/main.yml', '- name: change\n  ansible.builtin.user:\n    name: "{{ account.username }}"\n    update_password: always\n', 'yaml'],
    [
      'event names and message keys naming an action on a password (plane)',
      'src/event-tracker/core.ts',
      'export const AUTH = {\n  forgot_password: "forgot_password_clicked",\n};\nconst label = t(show ? "aria_labels.auth_forms.hide_password" : "aria_labels.auth_forms.show_password");\n',
      'js',
    ],
    ['a cache key name with format slots (jumpserver)', 'models/applet.py', "prefer_host_account_key = 'applet_host_prefer_account_{}_{}'.format(user.id, host.id)\nsession_key = 'login:%s:token'\n", 'python'],
    [
      'an HTTP Digest header filled from a format template (httplib2, vendored in many App Engine apps)',
      'external/httplib2/__init__.py',
      "        headers['authorization'] = 'Digest username=\"%s\", realm=\"%s\", nonce=\"%s\", uri=\"%s\", algorithm=%s, response=%s, qop=%s, nc=%08x, cnonce=\"%s\"' % (\n            self.credentials[0],)\n        headers['authorization'] = 'OAuth oauth_consumer_key=\"{}\", oauth_signature=\"{}\"'.format(k, s)\n",
      'python',
    ],
    ['an example cut short with two dots, in a comment (an OAuth library\'s docs)', 'static/oauth.js', '/* SignatureMethod expects an accessor object to be like this:\n   {tokenSecret: "lakjsdflkj...", consumerSecret: "QOUEWRI..", accessorSecret: "xcmvzc..."}\n */\n', 'js'],
    [
      "a password-strength meter's labels and their classes (a jQuery plugin's defaults)",
      'static/js/plugins.js',
      'var defaults = {\n  shortPass: "label-important",\n  shortPassText: "Too short",\n  badPass: "label-important",\n  goodPassText: "Good",\n  strongPass: "label-success",\n  weakPwText: "Weak password",\n};\n',
      'js',
    ],
    ['an authorization scheme with word parameters (a WSSE header)', 'sdk/sms/huawei.py', "headers = {\n    'Authorization': 'WSSE realm=\"SDP\",profile=\"UsernameToken\",type=\"Appkey\"',\n}\n", 'python'],
    ['a Terraform for expression over a key resource (figgy)', 'terraform/lambda_policies.tf', 'resources = concat([for x in aws_kms_key.encryption_key : x.arn], [aws_kms_key.replication_key.arn])\n', 'code'],
    [
      "a CI job's database URL with its service container's password (ihatemoney)",
      '.github/workflows/ci.yml',
      "jobs:\n  test:\n    runs-on: ubuntu-latest\n    services:\n      postgres:\n        image: postgres:17\n        env:\n          POSTGRES_USER: postgres\n          POSTGRES_PASSWORD: ihatemoney\n    steps:\n      - run: pytest\n        env:\n          DATABASE_URI: ${{\n            matrix.database == 'postgresql'\n              && 'postgresql+psycopg2://postgres:ihatemoney@localhost:5432/ihatemoney_ci'\n            }}\n          OTHER_URI: postgresql://app:ihatemoney@localhost/app\n",
      'yaml',
    ],
    ['a lock name of words joined by colons on a token name (kitsune)', 'kitsune/settings.py', 'WIKI_REBUILD_TOKEN = "sumo:wiki:full-rebuild"\n', 'python'],
    [
      'an example in a YAML description block (nautobot settings schema)',
      'core/settings.yaml',
      "NAPALM_ARGS:\n  details: |-\n    Example:\n\n    ```python\n    NAPALM_ARGS = {\n        'api_key': '472071a93b60a1bd1fafb401d9f8ef41',\n    }\n    ```\n",
      'yaml',
    ],
    [
      'a field-to-fieldset map whose password field shares its value with other fields (pretalx)',
      'mail/forms/config.py',
      'FIELDSETS = {\n    "mail_from": "mail_settings",\n    "smtp_host": "mail_settings",\n    "smtp_username": "mail_settings",\n    "smtp_password": "mail_settings",\n}\n',
      'python',
    ],
    [
      "a Keycloak realm export's stored hash records",
      'development/realm.json',
      '{"credentials": [{"type": "password", "secretData": "{\\"value\\":\\"mV1b4nP7BC1G4pY9wlo3IWArn3a5y7w96WpivmMdQaSYENBZF/vz0dMvz8cx4mVPahH/tzScb2vZnN/GzEL0gg==\\",\\"salt\\":\\"QN6A8ckQ0o02eUl4crwgxQ==\\"}", "credentialData": "{\\"hashIterations\\":27500,\\"algorithm\\":\\"pbkdf2-sha256\\"}"}]}\n',
      'json',
    ],
    ['a JSON-LD context naming its terms (takahe)', 'core/ld.py', 'CONTEXT = {\n    "password": "sec:password",\n    "privateKeyPem": "sec:privateKeyPem",\n}\n', 'python'],
    ['a commented-out line whose value is itself a comment (bookwyrm)', '.env.example', '# AZURE_ACCOUNT_KEY=      # "base64-encoded-access-key"\nAZURE_SECRET_KEY=   # fill in\n', 'dotenv'],
    ['a key made of alphabet and digit runs (python-zulip-api)', 'zulip/integrations/codebase/zulip_codebase_config.py', 'CODEBASE_API_KEY = "1234561234567abcdef"\n', 'python'],
    ["a URL parser's test table (ArchiveBox)", 'archivebox/misc/util.py', 'URLS = [\n    ("http://us:pa@ex.co:42/a", []),\n    ("http://-.~_!$&()*+,;=:%40:80%2f::::::@example.c\'om", []),\n]\n', 'python'],
    ['stand-ins in an .env.example: a word and a counting number, an instruction as the value (mitxonline)', '.env.example', 'KEYCLOAK_SVC_KEYSTORE_PASSWORD=supersecret123456789\nAPISIX_SESSION_SECRET_KEY=must_be_at_least_16_chars\n', 'dotenv'],
    ['PL/pgSQL assignments (dispatch): only quoted literals are values in SQL', 'search/expressions.sql', '    state.current_token := state.current_token || state.current_char;\n    state.current_token = state.current_token || state.current_char;\n', 'code'],
    ["Bandit's nosec and ruff's S105 markers (django-allauth, nautobot)", 'allauth/account/app_settings.py', '"change_password": "5/m/user",  # nosec\nSECRET_KEY = "Zr8kq2mvTqW9xLpQ"  # noqa: S105  # hardcoded-password-string\nDB_PASSWORD = "Zr8kq2mvTqW9xLpQ"  # noqa: E501, S105\n', 'python'],
    ['an AWS Signature Version 4 header in a scanner payload (Nettacker)', 'modules/vuln/crushftp.yaml', 'headers:\n  Authorization: "AWS4-HMAC-SHA256 Credential=crushadmin/"\n', 'yaml'],
    ["a container's password equal to its database's name (dispatch)", 'docker/docker-compose.yml', 'services:\n  db:\n    environment:\n      POSTGRES_USER: postgres\n      POSTGRES_PASSWORD: dispatch # Default password, change it\n      POSTGRES_DB: dispatch\n', 'yaml'],
    ['the alphabet and the number row, an AZERTY row (zds-site)', 'zds/api/utils.py', 'CLEARTEXT_SECRET = "abcdefghijklmnopqrstuvwxyz1234567890"\nDB_PASSWORD = "azerty"\n', 'python'],
    ["a Helm chart's key of an existing Secret, a password generated in a template action (DefectDojo)", 'helm/defectdojo/values.yaml', 'valkey:\n  auth:\n    existingSecret: defectdojo-valkey-specific\n    existingSecretPasswordKey: valkey-password\n    externalSecretTokenKey: api-token\n', 'yaml'],
    ['a Go template action assigning a pipeline (DefectDojo)', 'helm/defectdojo/templates/secret-postgresql.yaml', 'data:\n{{- if .Values.x }}\n  {{- $postgresRandomPassword := randAlphaNum 16 | b64enc | quote }}\n  {{ .Values.key }}: {{ $postgresRandomPassword }}\n  {{- $token = .Values.apiToken }}\n{{- end }}\n', 'yaml'],
    ['a table of codes and labels: tuples, not getter calls (netbox IATA / ISO 3166 data)', 'netbox/extras/data/iata.py', 'IATA = (\n    (\'DSN\', \'DSN (Ordos Ejin Horo Airport, Inner Mongolia, CN)\'),\n    (\'PWD\', \'PWD (Sherwood, Montana, US)\'),\n    ["PW", "PW (Palau)"],\n)\n', 'python'],
    ["allauth's rate limits on a password action, PyOTP's documented example secret (Tandoor, simple-login)", 'recipes/settings.py', 'ACCOUNT_RATE_LIMITS = {\n    "change_password": "1/m/user",\n}\nuser = User(otp_secret="base32secret3232")\n', 'python'],
    ["an error message with a link on an api_key key; a chat widget's website token (khoj)", 'models.py', 'error["api_key"] = "Set API key to use default Firecrawl. Get API key from https://firecrawl.dev."\nCHATWOOT = {"websiteToken": "5uV5aZq7Nf2tKxQ9"}\n', 'python'],
    ["Dovecot's lookup keys with its variables, a sentinel password for a failed lookup (Mailu)", 'core/dovecot/conf/auth.conf', 'password_key = passdb/%u\nuser_key = userdb/%{user}\nshared_key = shared/%d/%n\n', 'text'],
    ['a sentinel value', 'core/admin/mailu/internal/nginx.py', "user_email = 'invalid'\npassword = 'invalid'\n", 'python'],
    ['Python reads, not literals', 'settings.py', 'SECRET_KEY = os.environ["SECRET_KEY"]\nDB_PASSWORD = get_secret("db")\nAPI_TOKEN = settings.API_TOKEN\npassword = f"{user}:{pw}"\n', 'python'],
  ];
  for (const [name, uri, text, kind] of cases) {
    test(name, () => assert.deepEqual(rows(scanCredentials({ text, uri: `file:///ws/${uri}`, kind }).findings), []));
  }

  test('the user-name and hash exemptions stay narrow: another service\'s user, another password, a plain password beside a hash', () => {
    const compose = 'services:\n  db:\n    environment:\n      - APP_USER=saleor\n      - POSTGRES_PASSWORD=saleor-Db-77x\n      - MYSQL_USER=shop\n      - MYSQL_PASSWORD=Zr8kq2mvTq\n';
    assert.deepEqual(scan(compose, 'file:///ws/docker-compose.yml', 'yaml').map((f) => f.keyName), ['POSTGRES_PASSWORD', 'MYSQL_PASSWORD']);
    // A Secret's data that decodes to a random value, or is not base64 of text, is still judged.
    const secret = (v: string) => scan(`kind: Secret\napiVersion: v1\nmetadata:\n  name: s\ndata:\n  db-password: ${v}\n`, 'file:///ws/k8s/secret.yaml', 'yaml').map((f) => f.keyName);
    assert.deepEqual(secret(Buffer.from('Zr8kq2mvTqW9').toString('base64')), ['db-password']);
    // A script whose password is not a user name of the script is still one.
    assert.deepEqual(scan('export DB_USER=app\nexport DB_PASSWORD=Zr8kq2mvTqW9\n', 'file:///ws/run.sh', 'shell').map((f) => f.keyName), ['DB_PASSWORD']);
    assert.deepEqual(scan('DB_USER=app\nDB_PASSWORD=Zr8kq2mvTqW9\n', 'file:///ws/.env', 'dotenv').map((f) => f.keyName), ['DB_PASSWORD']);
    // A Python dict's quoted key is still a key; a bare key in a JS object too; a 32-hex apiKey without a search index beside it is still one.
    assert.deepEqual(scan('CFG = {"api_key": "Zr8kq2mvTqW9x7Lp"}\n', 'file:///ws/app.py', 'python').map((f) => f.keyName), ['api_key']);
    assert.deepEqual(scan("const c = { apiKey: 'Zr8kq2mvTqW9x7Lp' };\n", 'file:///ws/app.js', 'js').map((f) => f.keyName), ['apiKey']);
    assert.deepEqual(scan("const c = { appId: 'X', apiKey: '00987f2d774d7787dcae25294463294c' };\n", 'file:///ws/app.js', 'js').map((f) => f.keyName), ['apiKey']);
    // A password that holds the user name beside a random part is still one.
    assert.deepEqual(scan('URL=post' + 'gres://repmgr:repmgr-Zr8kq2mvTq@db/app\n', 'file:///ws/.env', 'dotenv').map((f) => f.detector), ['url-password']);
    // A long identifier-like value of one long random part is still a token; a password beside a country-code-like name too.
    assert.deepEqual(scan("API_TOKEN = 'prod-ZrkQmvTqWxLpYbNaHc'\n", 'file:///ws/app.py', 'python').map((f) => f.keyName), ['API_TOKEN']);
    assert.deepEqual(scan('{"DB_PW": "Zr8kq2mvTqW9", "PW": "Zr8kq2mvTqW9"}\n', 'file:///ws/app.json', 'json').map((f) => f.keyName), ['DB_PW', 'PW']);
    // A namespaced term that is not the key's name, a value right after `=` starting with `#`, a key
    // with a random run beside sequences, a URL password of four letters or digits: still found.
    assert.deepEqual(scan('CTX = {"password": "sec:Zr8kq2mvTqW9"}\n', 'file:///ws/ld.py', 'python').map((f) => f.keyName), ['password']);
    assert.deepEqual(scan('API_KEY=#Zr8kq2mvTqW9x\n', 'file:///ws/.env', 'dotenv').map((f) => f.keyName), ['API_KEY']);
    assert.deepEqual(scan('API_KEY = "1234561234567abcdefZr8kq"\n', 'file:///ws/app.py', 'python').map((f) => f.keyName), ['API_KEY']);
    assert.deepEqual(scan('U = "http://us:Zk4r@ex.co/"\n', 'file:///ws/app.py', 'python').map((f) => f.detector), ['url-password']);
    // A PEM block with a real body in an assignment is still found.
    const pem = '-----BEGIN PRIV' + 'ATE KEY-----\\n' + synth(BASE64, 64, 21) + '\\n' + synth(BASE64, 64, 22) + '\\n-----END PRIV' + 'ATE KEY-----';
    assert.equal(scan(`GOOGLE_PRIVATE_KEY="${pem}"\n`, 'file:///ws/.env', 'dotenv').length, 1);
    // A PEM block in its own right (not an assignment) is still found; a versioned value with a
    // random part too; a JSON pointer needs its `#/` start.
    assert.equal(scan(`${pem.replace(/\\n/g, '\n')}\n`, 'file:///ws/notes.txt', 'text').length, 1);
    assert.deepEqual(scan('const API_KEY = "Zr8kq2mvTqW9xLpq:v1"\nconst SECRET = "components/Zr8kq2mvTqW9"\n', 'file:///ws/a.ts', 'js').map((f) => f.keyName), ['API_KEY', 'SECRET']);
    assert.deepEqual(scan('FAKE_WALLET_SECRET="ToTheMoon1"\n', 'file:///ws/.env', 'dotenv').map((f) => f.keyName), ['FAKE_WALLET_SECRET']);
    // A key or password that merely contains a word of its kind, a quoted key after a comma, a whole token: still found.
    assert.deepEqual(scan('const CFG = { "db_password": "Zr8kq2mvTqW9", "api_key": "tok_Zr8kq2mvTqW9xLp" };\n', 'file:///ws/a.ts', 'js').map((f) => f.keyName), ['db_password', 'api_key']);
    assert.equal(scan('const T = "xoxp-1-Mi0yLTU5MTAxMzYyNTI4NDEtNTkxMDEzNjI1MzY0OC01OTE5NzE4ODI4NDgy";\n', 'file:///ws/a.ts', 'js').length, 1);
    // A vendor prefix with a random part after it is still a key; a handle with digits after `@` is judged.
    assert.deepEqual(scan('stripe.api_key = "sk_live_Zr8kq2mvTqW9xLpaaZZ"\nT = {"token": "@Zr8kq2mvTqW9"}\n', 'file:///ws/app.py', 'python').map((f) => f.keyName), ['stripe.api_key', 'token']);
    // Mixed case in a host-and-path shape, or dotted without a path: still a secret.
    assert.deepEqual(scan('CFG = {"api_key": "Zr8kq2.acme.io/Xy9Wq", "token": "Zr8kq2mvTqW9.xLpq7"}\n', 'file:///ws/app.py', 'python').map((f) => f.keyName), ['api_key', 'token']);
    // A value starting with dashes that is not a plain flag (digits and mixed case, a single dash) is still one.
    assert.deepEqual(scan('CFG = {"password": "--Zr8kq2mvTqW9", "token": "-zr8kq2mvtqw9xlpq"}\n', 'file:///ws/app.py', 'python').map((f) => f.keyName), ['password', 'token']);
    // A word with a number that does not count up is still a password.
    assert.deepEqual(scan('DB_PASSWORD=supersecret1938274650\n', 'file:///ws/.env', 'dotenv').map((f) => f.keyName), ['DB_PASSWORD']);
    // Another noqa code allows nothing; a quoted SQL literal is still a value; a password unlike the database's name still counts.
    assert.deepEqual(scan('DB_PASSWORD = "Zr8kq2mvTqW9xLpQ"  # noqa: E501\n', 'file:///ws/app.py', 'python').map((f) => f.keyName), ['DB_PASSWORD']);
    assert.deepEqual(scan("SET app.db_password = 'Zr8kq2mvTqW9xLpQ';\n", 'file:///ws/init.sql', 'code').map((f) => f.keyName), ['app.db_password']);
    assert.deepEqual(scan('services:\n  db:\n    environment:\n      POSTGRES_DB: dispatch\n      POSTGRES_PASSWORD: Zr8kq2mvTq\n', 'file:///ws/docker-compose.yml', 'yaml').map((f) => f.keyName), ['POSTGRES_PASSWORD']);
    // A CI job's own password that no service container of the file has is still one.
    const job = 'jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres\n        env:\n          POSTGRES_PASSWORD: localpw\n    env:\n      DEPLOY_PASSWORD: Zr8kq2mvTqW9\n';
    assert.deepEqual(scan(job, 'file:///ws/.github/workflows/deploy.yml', 'yaml').map((f) => f.keyName), ['DEPLOY_PASSWORD']);
    assert.deepEqual(scan('DB_URL=post' + 'gres://saleor_ro:Qx7-saleor-Zr@db:5432/saleor\n', 'file:///ws/.env', 'dotenv').map((f) => f.detector), ['url-password']);
    assert.deepEqual(scan('{"password": "pbkdf2_Zr8#kq!2mvTq"}\n', 'file:///ws/app.json', 'json').map((f) => f.detector), ['password-assignment']);
    // A non-ASCII password of one word, or CJK around a long ASCII run, may be a password; a catalog still gets the token shapes.
    assert.deepEqual(scan('{"password": "Пароль2024секрет", "db_password": "密码Zr8kq2mvTq"}\n', 'file:///ws/app.json', 'json').map((f) => f.keyName), ['password', 'db_password']);
    assert.deepEqual(scan(`{"token": "${TOKENS.AKIA}"}\n`, 'file:///ws/locales/en.json', 'json').map((f) => f.detector), ['aws-access-key-id']);
    // A password with a space and a slash is still one unless a token is a file path with an extension.
    assert.deepEqual(scan('{"password": "Zr8k q2/mvTqW9"}\n', 'file:///ws/app.json', 'json').map((f) => f.detector), ['password-assignment']);
    // Code in such a folder is not a catalog: the name rules still apply there.
    assert.deepEqual(scan('DB_PASSWORD = "Zr8kq2mvTqW9"\n', 'file:///ws/app/messages/client.py', 'python').map((f) => f.detector), ['password-assignment']);
    assert.deepEqual(scan("export const password = 'Zr8kq2mvTqW9';\n", 'file:///ws/src/i18n/index.js', 'js').map((f) => f.detector), ['password-assignment']);
    assert.deepEqual(scan("export const password = 'Zr8kq2mvTqW9';\n", 'file:///ws/src/locales/src/app.js', 'js').map((f) => f.detector), ['password-assignment']);
    // Escapes are decoded before the value is judged, not dropped: a real password written with one is still found.
    assert.deepEqual(scan("var c = {'secret': 'Zr8kq\\u00e92mvTqW9'};\n", 'file:///ws/app.js', 'js').map((f) => f.detector), ['secret-assignment']);
    // A password named after an action only as the last word; a new or enable password is one; a slot beside a random part is still a token.
    assert.deepEqual(scan('new_password: Zr8kq2mvTqW9\nenable_password: Zr8kq2mvTqW9\nreset_password_to: Zr8kq2mvTqW9\n', 'file:///ws/vars.yml', 'yaml').map((f) => f.keyName), ['new_password', 'enable_password']);
    assert.deepEqual(scan("API_TOKEN = 'sk_{}_Zr8kq2mvTqW9xLp'\n", 'file:///ws/app.py', 'python').map((f) => f.keyName), ['API_TOKEN']);
    // A digest response (digits) is still a credential; a quoted Terraform password too; a CI URL with another password too.
    assert.equal(scan('headers = {"Authorization": \'Digest username="bob", response="6629fae49393a05397450978507c4ef1"\'}\n', 'file:///ws/app.py', 'python').length, 1);
    assert.deepEqual(scan('password = "Zr8kq2mvTqW9"\n', 'file:///ws/main.tf', 'code').map((f) => f.keyName), ['password']);
    const ci = 'jobs:\n  t:\n    services:\n      db:\n        image: postgres\n        env:\n          POSTGRES_PASSWORD: localpw\n    env:\n      DB_URL: postgresql://app:Zr8kq2mvTqW9@localhost/app\n';
    assert.deepEqual(scan(ci, 'file:///ws/.github/workflows/ci.yml', 'yaml').map((f) => f.detector), ['url-password']);
    // A value shared only with names that hold the password too (`PGPASSWORD`, `REDISCLI_AUTH`) or with one other field is still a password.
    assert.deepEqual(scan('MYSQL_PASSWORD: decinablesprewad\nPGPASSWORD: decinablesprewad\nREDISCLI_AUTH: decinablesprewad\nDB_HOST: decinablesprewad\n', 'file:///ws/cm.yaml', 'yaml').map((f) => f.keyName), ['MYSQL_PASSWORD']);
    // A config file in a block scalar under another key is still read.
    assert.deepEqual(scan('config:\n  app.yaml: |\n    db:\n      password: Zr8kq2mvTqW9\n', 'file:///ws/values.yaml', 'yaml').map((f) => f.keyName), ['password']);
    // Only the published test keys: another reCAPTCHA secret of the same shape is reported.
    assert.deepEqual(scan('RECAPTCHA_SECRET_KEY=6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWf\n', 'file:///ws/.env', 'dotenv').map((f) => f.detector), ['secret-assignment']);
  });

  test('a lookup key is a template only where a variable is a whole segment', () => {
    const text = 'password_key = passdb/%u\napi_token = abc/%u9x7QkLmZ\n';
    assert.deepEqual(rows(scanCredentials({ text, uri: 'file:///ws/conf/auth.conf', kind: 'text' }).findings).map((r) => r[1]), [2]);
  });

  test('in a template action a quoted literal is still a value; beside an existing-Secret key, a password still is one', () => {
    const tpl = 'data:\n  {{- $pw := "Zr8kq2mvTqW9xLpQ" }}\n  {{- $gen := randAlphaNum 16 }}\n';
    assert.deepEqual(rows(scanCredentials({ text: tpl, uri: 'file:///ws/chart/templates/s.yaml', kind: 'yaml' }).findings).map((r) => r[1]), [2]);
    const values = 'auth:\n  existingSecretPasswordKey: valkey-password\n  adminPassword: Zr8kq2mvTqW9xLpQ\n';
    assert.deepEqual(rows(scanCredentials({ text: values, uri: 'file:///ws/chart/values.yaml', kind: 'yaml' }).findings).map((r) => r[1]), [3]);
  });

  test('a credential-shaped value inside a Travis secure blob is not reported', () => {
    const blob = 'Ab1Cd2Ef3'.repeat(4) + '/' + TOKENS.AKIA + '/' + 'Gh4Ij5Kl6'.repeat(4);
    assert.deepEqual(scan(`env:\n  global:\n    - secure: "${blob}"\n`, 'file:///ws/.travis.yml', 'yaml'), []);
  });

  test('lock files: only specific shapes, never the generic name rules', () => {
    const lock = `{"packages": {"node_modules/x": {"integrity": "sha512-${'Qm9v'.repeat(20)}", "password": "not-a-real-field-9x"}}, "resolved": "https://u:${TOKENS.NPM}@registry.example.org/x.tgz"}`;
    const f = scanCredentials({ text: lock, uri: 'file:///ws/package-lock.json', kind: 'json' }).findings;
    assert.deepEqual(f.map((x) => x.detector), ['npm-token']);
  });

  test('in a minified bundle the token shapes still count', () => {
    const bundle = '!function(){' + 'var a=1;'.repeat(800) + `var k="${TOKENS.AKIA}";}();\n`;
    assert.deepEqual(scan(bundle, 'file:///ws/static/app.bundle.js', 'js').map((f) => f.detector), ['aws-access-key-id']);
  });

  test('under a label of words only an identifier is a message key; a random value is still a password; a token qualified by a design word is none, an access token is one', () => {
    assert.deepEqual(scan('const M = {\n  "Admin password": "Zr8kq2mv&TqW9",\n};\n', 'file:///ws/app.ts', 'js').map((f) => f.keyName), ['Admin password']);
    // In a doctest a random value is still one (documentation writes stand-ins; a pasted key is not one).
    assert.deepEqual(scan('    >>> gpg.gen_key(passphrase="Zr8kq2mv&TqW9xP4LbQ7n")\n', 'file:///ws/gnupg.py', 'python').map((f) => f.keyName), ['passphrase']);
    // A UUID that does not count is still judged; a password in leetspeak is a (weak) password.
    assert.deepEqual(scan('UPDATE_TOKEN = "3f2a9c1e-7b4d-4e8a-9c2f-1d5b6a7e8f90"\nDB_PASSWORD = "P@55w0rd!"\n', 'file:///ws/app.py', 'python').map((f) => f.keyName), ['UPDATE_TOKEN', 'DB_PASSWORD']);
    // A word on a qualified name, or anything else on `pass` alone, is still a password.
    assert.deepEqual(scan("DB_PASS = 'dragon'\nconst c = { pass: 'Zr8kq2mvTqW9' };\n", 'file:///ws/app.js', 'js').map((f) => f.keyName), ['DB_PASS', 'pass']);
    // Between backticks in JavaScript a string is a literal; a random value after name= is still judged.
    assert.deepEqual(scan('const password = `Zr8kq2mvTqW9`;\nconst c = { api_key: "key=Zr8kq2mvTqW9x" };\n', 'file:///ws/app.js', 'js').map((f) => f.keyName), ['password', 'api_key']);
    assert.deepEqual(scan("const accessToken = 'Zr8kq2mvTqW9xP4LbQ7n';\nconst colorToken = 'Zr8kq2mvTqW9xP4LbQ7n';\n", 'file:///ws/app.ts', 'js').map((f) => f.keyName), ['accessToken']);
  });

  test('a token in the query of a link to an image is the CDN\'s signed URL, shown to every reader; in a link to an API it is one', () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const jwt = `${b64({ typ: 'JWT', alg: 'HS256' })}.${b64({ sub: 'urn:app:', aud: ['urn:service:image.operations'] })}.omuS3D1RmFiZCy9OSXiIita-HxVGrBok3_7asq0rflw`;
    assert.deepEqual(scan(`![castle](https://images.example.net/f/abc/castle-fullview.jpg?w=600&token=${jwt})\n`, 'file:///ws/docs/tutorial.md', 'text'), []);
    assert.deepEqual(scan(`curl "https://api.example.net/v1/items?token=${jwt}"\n`, 'file:///ws/docs/tutorial.md', 'text').map((f) => f.detector), ['jwt']);
  });

  test("a PostHog personal API key is a secret, unlike a project key", () => {
    assert.deepEqual(scan('POSTHOG_PERSONAL_API_KEY = "' + 'phx_' + 'hgJkUVJFYtmaJqrvf6CYN67TIQ8yhXAkWzUn9AMU4yX"\n', 'file:///ws/app.py', 'python').map((f) => f.detector), ['secret-assignment']);
  });

  test('HTTP Basic credentials are judged by their password: a stand-in is not reported, a real one is', () => {
    const basic = (pair: string) => `server:\n  auth:\n    secret: "Basic ${Buffer.from(pair).toString('base64')}"\n`;
    assert.deepEqual(scan(basic('secret:key'), 'file:///ws/settings.yaml', 'yaml'), []);
    assert.deepEqual(scan(basic('admin:admin'), 'file:///ws/settings.yaml', 'yaml'), []);
    assert.deepEqual(scan(basic('admin:Zr8kq2mvTqW9'), 'file:///ws/settings.yaml', 'yaml').map((f) => f.detector), ['secret-assignment']);
  });

  test('set -x without secrets in scope is not reported; with a secret reference it is', () => {
    const plain = 'jobs:\n  a:\n    steps:\n      - run: |\n          set -x\n          make\n';
    assert.deepEqual(scan(plain, 'file:///ws/.github/workflows/a.yml', 'yaml'), []);
    const withSecret = 'jobs:\n  a:\n    steps:\n      - env:\n          TOKEN: ${{ secrets.TOKEN }}\n        run: |\n          set -ex\n          ./deploy "$TOKEN"\n';
    assert.deepEqual(rows(scan(withSecret, 'file:///ws/.github/workflows/a.yml', 'yaml')), [['ci-set-x', 7, 'se…', 'github-run', null]]);
    const gitlab = 'deploy:\n  script:\n    - set -o xtrace\n    - curl -u "bot:$DEPLOY_TOKEN" https://x.example\n';
    assert.deepEqual(scan(gitlab, 'file:///ws/.gitlab-ci.yml', 'yaml').map((f) => f.detector), ['ci-set-x']);
    // A password written in the file (a service container's, sentry-python's test jobs) is no secret set -x could reveal.
    const literal = 'jobs:\n  a:\n    env:\n      TEST_POSTGRES_PASSWORD: sentry\n      TEST_MYSQL_PASSWORD: sentry\n    steps:\n      - run: |\n          set -x\n          ./scripts/runtox.sh\n';
    const setx = (text: string, uri: string) => scan(text, uri, 'yaml').filter((f) => f.detector === 'ci-set-x');
    assert.deepEqual(setx(literal, 'file:///ws/.github/workflows/a.yml'), []);
    // A secret in the scope's environment is on a traced command line only when the script expands
    // it (or sources a file that may); a program it runs reads it from the environment, untraced
    // (saleor's `GH_TOKEN: ${{ github.token }}` for `gh api`).
    const fromStore = literal.replace('TEST_MYSQL_PASSWORD: sentry', 'TEST_MYSQL_PASSWORD: ${{ secrets.MYSQL }}');
    assert.deepEqual(setx(fromStore, 'file:///ws/.github/workflows/a.yml'), []);
    assert.equal(setx(fromStore.replace('./scripts/runtox.sh', 'mysql -p"$TEST_MYSQL_PASSWORD" -e "select 1"'), 'file:///ws/.github/workflows/a.yml').length, 1);
    assert.equal(setx(fromStore.replace('./scripts/runtox.sh', 'mysql -p"${{ env.TEST_MYSQL_PASSWORD }}"'), 'file:///ws/.github/workflows/a.yml').length, 1);
    assert.equal(setx(fromStore.replace('./scripts/runtox.sh', '. ./scripts/env.sh && make'), 'file:///ws/.github/workflows/a.yml').length, 1);
    const ghToken = 'jobs:\n  a:\n    steps:\n      - env:\n          GH_TOKEN: ${{ github.token }}\n        run: |\n          set -ux\n          LATEST=$(gh api "/repos/${GITHUB_REPOSITORY}/releases/latest" --jq .tag_name)\n';
    assert.deepEqual(setx(ghToken, 'file:///ws/.github/workflows/a.yml'), []);
    // Names not known (`secrets: inherit`): any trace may print one.
    const inherit = 'jobs:\n  a:\n    secrets: inherit\n    steps:\n      - run: |\n          set -x\n          make\n';
    assert.equal(setx(inherit, 'file:///ws/.github/workflows/a.yml').length, 1);
    const travis = 'env:\n  global:\n    - DB_PASSWORD=sentry\nscript:\n  - set -x\n  - make test\n';
    assert.deepEqual(setx(travis, 'file:///ws/.travis.yml'), []);
    assert.equal(setx(travis.replace('DB_PASSWORD=sentry', 'DB_PASSWORD=$PROD_DB_PASSWORD'), 'file:///ws/.travis.yml').length, 1);
  });
});

describe('specific beats generic; ranges and fingerprints', () => {
  test('a GitHub token on GITHUB_TOKEN is one github-pat finding, not also a secret-assignment', () => {
    const f = scan(`GITHUB_TOKEN=${TOKENS.GHP}\n`, 'file:///ws/.env', 'dotenv');
    assert.deepEqual(f.map((x) => [x.detector, x.keyName]), [['github-pat', 'GITHUB_TOKEN']]);
  });

  test('an AWS key pair beside each other: both found, the secret by the pair rule without a name', () => {
    const f = scan(`access ${TOKENS.AKIA}\nsecret ${TOKENS.AWS_SECRET}\n`);
    assert.deepEqual(f.map((x) => x.detector), ['aws-access-key-id', 'aws-secret-access-key']);
    const far = scan(`access ${TOKENS.AKIA}\n${'\n'.repeat(10)}secret ${TOKENS.AWS_SECRET}\n`);
    assert.deepEqual(far.map((x) => x.detector), ['aws-access-key-id']);
  });

  test('a password with RFC 3986 sub-delims in URL userinfo', () => {
    for (const pw of ['S3cr3tPassw0rd!', 'p4ss(w0rd)x', 'a*b+c,d;e=f9', 'Pa55$w0rd&x']) {
      const f = scan(`DATABASE_URL=postgres://app:${pw}@db:5432/app`, 'file:///ws/.env', 'dotenv');
      assert.deepEqual(f.map((x) => x.detector), ['url-password'], pw);
    }
  });

  test('fingerprints do not depend on the line, do depend on the secret', () => {
    const a = scan(`API_KEY=${TOKENS.GHP}`, 'file:///ws/.env', 'dotenv')[0];
    const b = scan(`\n\n# moved\nAPI_KEY=${TOKENS.GHP}`, 'file:///ws/.env', 'dotenv')[0];
    const c = scan(`API_KEY=${TOKENS.GHP2}`, 'file:///ws/.env', 'dotenv')[0];
    assert.equal(a.fingerprint, b.fingerprint);
    assert.notEqual(a.fingerprint, c.fingerprint);
    assert.match(a.fingerprint, /^[0-9a-f]{32}$/);
  });

  test('CRLF files: ranges on the right line and column', () => {
    const text = `A=1\r\nDB_PASSWORD=hunter2hunter2\r\n`;
    const [f] = scan(text, 'file:///ws/.env', 'dotenv');
    assert.deepEqual(f.range, { start: { line: 1, character: 12 }, end: { line: 1, character: 26 } });
  });
});

describe('binary and huge files', () => {
  test('binary: one notice, no scan', () => {
    const r = scanCredentials({ text: `\0\0ELF ${TOKENS.GHP}`, uri: 'file:///ws/a.bin', kind: 'text' });
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.notices.map((n) => n.code), ['binary-file']);
  });
  test('huge: one notice above the limit (configurable)', () => {
    const text = `TOKEN=${TOKENS.GHP}\n` + 'x'.repeat(200);
    const r = scanCredentials({ text, uri: 'file:///ws/a.txt', kind: 'text' }, { maxChars: 100 });
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.notices.map((n) => n.code), ['file-too-large']);
    assert.equal(scanCredentials({ text, uri: 'file:///ws/a.txt', kind: 'text' }).findings.length, 1);
  });
});

describe('file classification', () => {
  test('CI flavors and kinds from paths', () => {
    const cases: [string, string | undefined, string | undefined][] = [
      ['.travis.yml', 'yaml', 'travis'],
      ['.github/workflows/ci.yaml', 'yaml', 'github'],
      ['.github/actions/notify/action.yml', 'yaml', 'github'],
      ['.circleci/config.yml', 'yaml', 'circleci'],
      ['.gitlab-ci.yml', 'yaml', 'gitlab'],
      ['bitbucket-pipelines.yml', 'yaml', 'bitbucket'],
      ['buildspec.yml', 'yaml', 'codebuild'],
      ['appspec.yml', 'yaml', 'codedeploy'],
      ['Jenkinsfile', 'text', 'jenkins'],
      ['.env.production', 'dotenv', undefined],
      ['prod.env', 'dotenv', undefined],
      ['app/settings.py', 'python', undefined],
      ['src/config.ts', 'js', undefined],
      ['cmd/main.go', 'go', undefined],
      ['infra/main.tf', 'code', undefined],
      ['src/search/expressions.sql', 'code', undefined],
      ['app/models/user.rb', 'code', undefined],
      ['Dockerfile', 'text', undefined],
      ['.npmrc', 'ini', undefined],
      ['pyproject.toml', 'toml', undefined],
      ['logo.png', undefined, undefined],
    ];
    for (const [p, kind, flavor] of cases) {
      assert.equal(classifyCredentialFile(`file:///ws/${p}`)?.kind, kind, p);
      assert.equal(inferCiFlavor(`file:///ws/${p}`), flavor, p);
    }
  });
});

test('a `key:` / `value:` list item (Render Blueprints, DigitalOcean app specs) names its value, as a Kubernetes `name:` / `value:` one does', () => {
  const yaml = 'services:\n  - name: api\n    envVars:\n      - key: DB_PASSWORD\n        value: Zr8kq2mvTq-77x\n      - key: LOG_LEVEL\n        value: Zr8kq2mvTq-77y\n';
  assert.deepEqual(scan(yaml, 'file:///ws/render.yaml', 'yaml').map((f) => [f.detector, f.keyName, f.range.start.line]), [['password-assignment', 'DB_PASSWORD', 4]]);
  // A DigitalOcean app spec keeps a secret encrypted once App Platform has it: `EV[1:…:…]` is no secret in clear.
  const spec = 'services:\n  - name: web\n    envs:\n      - key: DJANGO_SECRET_KEY\n        type: SECRET\n        value: EV[1:q0Zr8kq2mvTqW9aX3bC4dE5fG6hI7jK8:lM9nO0pQ1rS2tU3vW4xY5zA6bC7dE8fG9hI0jK1lM2nO3pQ4rS5==]\n';
  assert.deepEqual(scan(spec, 'file:///ws/.do/app.yaml', 'yaml'), []);
  assert.equal(scan(spec.replace(/EV\[[^\]]*\]/, 'q0Zr8kq2mvTqW9aX3bC4dE5fG6hI7jK8'), 'file:///ws/.do/app.yaml', 'yaml').length, 1);
  // With both, `name:` is the variable (a Kubernetes EnvVar whose value names a key).
  assert.deepEqual(scan('env:\n  - name: API_TOKEN\n    key: other\n    value: Zr8kq2mvTq-77z\n', 'file:///ws/k8s.yaml', 'yaml').map((f) => f.keyName), ['API_TOKEN']);
});

test('only the @example tag makes a doc comment a sample: the same token in another comment or in code is found', () => {
  const token = `whsec_${synth(BASE64, 40, 7)}`;
  const at = (text: string) => scan(text, 'file:///ws/src/client.ts', 'js').map((f) => [f.detector, f.range.start.line]);
  assert.deepEqual(at(`/**\n * @example ${token}\n */\n`), []);
  assert.deepEqual(at(`/**\n * The secret: ${token}\n */\n`), [['stripe-webhook-secret', 1]]);
  assert.deepEqual(at(`const example = "@example";\nconst s = "${token}";\n`), [['stripe-webhook-secret', 1]]);
});
