// Every twelve-factor rule end to end (built CLI, --parse-only, JSON): one workspace that triggers it
// and one, as close as possible, that must not. Facts: ../shared/spec/twelve-factor*.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BASE64, synth } from '../../server/src/parse/credentials/synth';
import { CLI, git, writeFiles, type CliFinding } from './tree.helpers';

type F = CliFinding;

function check(files: Record<string, string>, repo?: 'untracked' | 'committed', under = ''): F[] {
  const top = mkdtempSync(path.join(os.tmpdir(), 'orchard-12f-'));
  const root = path.join(top, under);
  mkdirSync(root, { recursive: true });
  try {
    writeFiles(root, files);
    if (repo) git(root, ['init', '-q']);
    if (repo === 'committed') {
      git(root, ['add', '-A']);
      git(root, ['commit', '-q', '-m', 'x']);
    }
    const r = spawnSync(process.execPath, [CLI, 'check', root, '--parse-only', '--format', 'json', '--fail-on', 'never'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: path.join(root, '.config'), ORCHARD_CONFIG: '', ORCHARD_STORE_DIR: path.join(root, '.store') },
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as F[]).map((f) => ({ ...f, file: path.relative(root, f.file) }));
  } finally {
    rmSync(top, { recursive: true, force: true });
  }
}

const codes = (fs: F[], code: string) => fs.filter((f) => f.code === code);
/** The environment findings as [code, file, line]. */
const envFindings = (fs: F[]) => fs.filter((f) => f.code.startsWith('env-')).map((f) => [f.code, f.file, f.line]);

type EnvVar = { name: string; read: string; requiredWhen?: string[]; satisfiedBy?: string[] };
type EnvApp = { app: string; sources: { label: string }[]; variables: EnvVar[] };

/** `orchard env` over these files: its JSON (the apps) and its text. */
function env(files: Record<string, string>): { apps: EnvApp[]; text: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-12f-'));
  try {
    writeFiles(root, files);
    const json = spawnSync(process.execPath, [CLI, 'env', root, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(json.status, 0, json.stderr);
    return { apps: JSON.parse(json.stdout) as EnvApp[], text: spawnSync(process.execPath, [CLI, 'env', root], { encoding: 'utf8' }).stdout };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const charm = (options: string, ext = 'flask-framework') =>
  `name: shop\ntype: charm\nbase: ubuntu@24.04\nplatforms:\n  amd64:\nsummary: s\ndescription: d\nextensions:\n  - ${ext}\nconfig:\n  options:\n${options}`;
const opt = (name: string, body: string) => `    ${name}:\n      description: x\n${body.split('\n').map((l) => `      ${l}`).join('\n')}\n`;

test('env-not-provided: a required read nobody provides; an optional read or a provided one is fine', () => {
  const yes = check({ '.env': 'A=1\n', 'app.py': 'import os\nA = os.environ["A"]\nB = os.environ["SHOP_REGION"]\n' });
  assert.deepEqual(codes(yes, 'env-not-provided').map((f) => [f.file, f.line]), [['app.py', 3]]);
  const no = check({ '.env': 'A=1\n', 'app.py': 'import os\nA = os.environ["A"]\nB = os.environ.get("SHOP_REGION", "eu")\n' });
  assert.deepEqual(codes(no, 'env-not-provided'), []);
});

test('env-name-mismatch: a typo of a provided name is named, with the provided one offered', () => {
  const yes = check({ '.env': 'SMTP_SKIP_SSL_VERIFY=1\n', 'app.py': 'import os\nV = os.environ["SMTP_SKIPSSL_VERIFY"]\n' });
  const m = codes(yes, 'env-name-mismatch');
  assert.equal(m.length, 1);
  assert.match(m[0].message, /Did you mean SMTP_SKIP_SSL_VERIFY\?/);
  assert.deepEqual(codes(yes, 'env-not-provided'), [], 'one problem, one finding');
  const no = check({ '.env': 'SMTP_SKIP_SSL_VERIFY=1\n', 'app.py': 'import os\nV = os.environ["SMTP_SKIP_SSL_VERIFY"]\n' });
  assert.deepEqual(codes(no, 'env-name-mismatch'), []);
});

test('env-name-mismatch: not toward a provided name the app reads itself (two providers, STRIKE_ and STRIPE_)', () => {
  const app = 'import os\nA = os.environ.get("STRIKE_API_ENDPOINT", "https://api.strike.me")\nB = os.environ.get("STRIPE_API_ENDPOINT", "https://api.stripe.com")\nC = os.environ["STRIPE_API_KEY"]\nD = os.environ["STRIKE_API_KEY"]\n';
  const fs = check({ '.env': 'STRIKE_API_ENDPOINT=https://api.strike.me/v1\nSTRIKE_API_KEY=x\n', 'app.py': app });
  assert.deepEqual(codes(fs, 'env-name-mismatch'), []);
  // The required read nobody provides is still said, once, by env-not-provided.
  assert.deepEqual(codes(fs, 'env-not-provided').map((f) => f.line), [4]);
});

test('env-unused: a .env line nothing reads; not when the app passes the whole environment on', () => {
  const yes = check({ '.env': 'A=1\nORPHAN=2\n', 'app.py': 'import os\nA = os.environ["A"]\n' });
  assert.deepEqual(codes(yes, 'env-unused').map((f) => [f.file, f.line]), [['.env', 2]]);
  const no = check({ '.env': 'A=1\nORPHAN=2\n', 'app.py': 'import os, subprocess\nA = os.environ["A"]\nsubprocess.run(["x"], env=dict(os.environ))\n' });
  assert.deepEqual(codes(no, 'env-unused'), []);
});

test('apps are named as their folders read, not as their uris encode them (a cookiecutter template, spaces, a literal %)', () => {
  const found = check({ '.env': 'A=1\nORPHAN=2\n', 'app.py': 'import os\nA = os.environ["A"]\n' }, undefined, '{{cookiecutter.project_name}} 100% done');
  assert.deepEqual(codes(found, 'env-unused').map((f) => f.message), ["ORPHAN is not read by {{cookiecutter.project_name}} 100% done's code"]);
});

test('env-insecure-default: a secret with a hard-coded fallback; a non-secret default or none is fine', () => {
  const yes = check({ '.env': 'SECRET_KEY=x9\n', 'settings.py': 'import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev-secret-key-123")\n' });
  assert.equal(codes(yes, 'env-insecure-default').length, 1);
  const no = check({ '.env': 'SECRET_KEY=x9\nPAGE=1\n', 'settings.py': 'import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nPAGE = int(os.environ.get("PAGE", "20"))\n' });
  assert.deepEqual(codes(no, 'env-insecure-default'), []);
});

test('env-insecure-default: in development settings (a settings package\'s dev.py, a development/ folder) info, said so; production settings stay warnings', () => {
  const read = 'import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev_hardcoded_secret_key")\n';
  const fs = check({ '.env': 'SECRET_KEY=x9\n', 'site/settings/__init__.py': '', 'site/settings/dev.py': read, 'site/settings/production.py': read, 'development/app_config.py': read, 'local_settings.py': read });
  assert.deepEqual(
    codes(fs, 'env-insecure-default').map((f) => [f.file, f.severity, /\(development settings: lower severity\)$/.test(f.message)]),
    [
      ['development/app_config.py', 'info', true],
      ['local_settings.py', 'warning', false],
      ['site/settings/dev.py', 'info', true],
      ['site/settings/production.py', 'warning', false],
    ],
  );
});

test('env-insecure-default: a django-configurations default only development, test or build classes use is info; one a production class inherits stays a warning', () => {
  const settings = [
    'from configurations import Configuration, values',
    'class Base(Configuration):',
    '    SECRET_KEY = values.Value("ThisIsAnExampleKeyForDevPurposeOnly")',
    '    API_TOKEN = values.Value("dev-api-token-for-local-use")',
    'class Development(Base):',
    '    pass',
    'class Build(Base):',
    '    SIGNING_SECRET = values.Value("DummyKey")',
    'class Production(Base):',
    '    SECRET_KEY = values.SecretValue()',
    'class Staging(Production):',
    '    pass',
    '',
  ].join('\n');
  const fs = check({ '.env': 'DJANGO_SECRET_KEY=x9\n', 'app/settings.py': settings });
  assert.deepEqual(
    codes(fs, 'env-insecure-default').map((f) => [f.line, f.severity, /\(development settings: lower severity\)$/.test(f.message)]),
    [
      [3, 'info', true],
      [4, 'warning', false],
      [8, 'info', true],
    ],
  );
});

test('folders of environment files (env.d/, .envs/) named by compose env_file are read, as compose reads them (KEY: value too); a .env keeps python-dotenv\'s reading', () => {
  const files = {
    'compose.yml': 'services:\n  app:\n    build: .\n    env_file:\n      - env.d/development/common\n      - .envs/.local/.django\n',
    Dockerfile: 'FROM python:3.12\n',
    'app/settings.py': 'import os\nA = os.environ["DJANGO_ALLOWED_HOSTS"]\nB = os.environ["KEYCLOAK_ADMIN"]\nC = os.environ["REDIS_URL"]\n',
    'env.d/development/common': 'DJANGO_ALLOWED_HOSTS=*\nKEYCLOAK_ADMIN: admin\n',
    '.envs/.local/.django': 'REDIS_URL=redis://redis:6379/0\n',
    '.envs/.production/.django': 'DJANGO_SECRET_KEY=Zr8kq2mvTqW9xP4LbQ7n\n',
    '.env': 'OTHER: 1\n',
  };
  const fs = check(files);
  assert.deepEqual(envFindings(fs).filter(([c]) => c === 'env-not-provided'), []);
  assert.deepEqual(
    fs.filter((f) => f.code === 'dotenv-syntax' || f.code.startsWith('credential-')).map((f) => [f.code, f.file, f.line, f.message.split(':')[0]]),
    [
      ['dotenv-syntax', '.env', 1, 'python-dotenv cannot parse this line'],
      ['credential-secret-assignment', '.envs/.production/.django', 1, 'Secret assigned to DJANGO_SECRET_KEY in clear text (Zr8k…)'],
    ],
  );
  const listed = env(files).apps.flatMap((a) => a.sources.map((s) => s.label));
  // Named by their path from the folder: `.envs/.local/.django` and `.envs/.production/.django` are both `.django`.
  assert.ok(listed.includes('env.d/development/common') && listed.includes('.envs/.local/.django'), listed.join(', '));
});

test('env-placeholder-value: a placeholder in a development folder of environment files (.envs/.local/, env.d/development/) is expected; in .envs/.production/ it is reported', () => {
  const files = {
    'docker-compose.local.yml': 'services:\n  django:\n    build: .\n    env_file:\n      - .envs/.local/.django\n      - env.d/development/common\n',
    'docker-compose.production.yml': 'services:\n  django:\n    build: .\n    env_file:\n      - .envs/.production/.django\n',
    Dockerfile: 'FROM python:3.12\n',
    'config/settings.py': 'import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nPW = os.environ["POSTGRES_PASSWORD"]\n',
    '.envs/.local/.django': 'DJANGO_SECRET_KEY=!!!SET DJANGO_SECRET_KEY!!!\n',
    'env.d/development/common': 'POSTGRES_PASSWORD=changeme\n',
    '.envs/.production/.django': 'DJANGO_SECRET_KEY=!!!SET DJANGO_SECRET_KEY!!!\nPOSTGRES_PASSWORD=Zr8kq2mvTqW9\n',
  };
  assert.deepEqual(codes(check(files), 'env-placeholder-value').map((f) => [f.file, f.line]), [['.envs/.production/.django', 1]]);
  // In a project template (cookiecutter-django itself) the values are the template's: its hook fills them in.
  const template = Object.fromEntries(Object.entries(files).map(([k, v]) => [`{{cookiecutter.project_slug}}/${k}`, v]));
  assert.deepEqual(codes(check(template), 'env-placeholder-value'), []);
});

test('what git tracks is not ignored: a .env committed with git add -f although .gitignore lists it, and a tracked file in an ignored folder, are scanned; an untracked ignored .env is not', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-12f-'));
  try {
    writeFiles(root, {
      '.gitignore': '.env\n.env.local\nenv.d/\n',
      '.env': 'DB_PASSWORD=Zr8kq2mvTqW9\n',
      '.env.local': 'DB_PASSWORD=Zr8kq2mvTqW9\n',
      'env.d/common': 'API_TOKEN=Zr8kq2mvTqW9xP4LbQ7n\n',
      'env.d/local': 'API_TOKEN=Zr8kq2mvTqW9xP4LbQ7n\n',
    });
    git(root, ['init', '-q']);
    git(root, ['add', '.gitignore']);
    git(root, ['add', '-f', '.env', 'env.d/common']);
    git(root, ['commit', '-q', '-m', 'x']);
    const r = spawnSync(process.execPath, [CLI, 'check', root, '--parse-only', '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: path.join(root, '.config'), ORCHARD_CONFIG: '', ORCHARD_STORE_DIR: path.join(root, '.store') } });
    assert.equal(r.status, 0, r.stderr);
    const found = (JSON.parse(r.stdout) as F[]).filter((f) => f.code.startsWith('credential-')).map((f) => [path.relative(root, f.file), f.code]);
    assert.deepEqual(found, [['.env', 'credential-password-assignment'], ['env.d/common', 'credential-secret-assignment']]);
    // The text summary names what was checked, not "nothing to check".
    const text = spawnSync(process.execPath, [CLI, 'check', root, '--parse-only', '--fail-on', 'never'], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: path.join(root, '.config'), ORCHARD_CONFIG: '', ORCHARD_STORE_DIR: path.join(root, '.store') } });
    assert.match(text.stdout, /\ncredentials: 2 error\(s\)/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('env-not-provided: a read under a presence test is optional; other guards are not presence tests', () => {
  const guarded = [
    'import os',
    'if "A1" in os.environ:',
    '    V = os.environ["A1"]',
    'if (x and "A2" in os.environ):',
    '    V = os.environ["A2"]',
    'V = os.environ["A3"] if "A3" in os.environ else None',
    'V = os.getenv("A4") and os.environ["A4"]',
    'if x:',
    '    pass',
    'elif os.environ.get("A5") == "1":',
    '    V = os.environ["A5"]',
    'def url_from_env(name):',
    '    if name in os.environ:',
    '        return os.environ[name]',
    '    return None',
    'V = url_from_env("A6")',
    // Unset sends control elsewhere: an else, or a helper returning its default first (paperless-ngx).
    'if "A7" not in os.environ:',
    '    V = None',
    'else:',
    '    V = os.environ["A7"]',
    'if os.getenv("A8") is None:',
    '    V = None',
    'elif x:',
    '    V = os.environ["A8"]',
    'def get_int_from_env(key, default=None):',
    '    if key not in os.environ:',
    '        return default',
    '    return int(os.environ[key])',
    'V = get_int_from_env("A9")',
    'def token():',
    '    if not os.environ.get("A10"):',
    '        return None',
    '    # the token',
    '    return os.environ["A10"]',
  ].join('\n');
  assert.deepEqual(codes(check({ '.env': 'OTHER=1\n', 'settings.py': `${guarded}\n` }), 'env-not-provided'), []);
  const unguarded = [
    'import os',
    'if "B1" not in os.environ:',
    '    pass',
    'V = os.environ["B1"]',
    'if os.getenv("DEBUG"):',
    '    V = os.environ["B2"]',
    'if os.getenv("B3", "on"):',
    '    V = os.environ["B3"]',
    'if "B4" in os.environ or x:',
    '    V = os.environ["B4"]',
    'if "B5" in os.environ:',
    '    pass',
    'else:',
    '    V = os.environ["B5"]',
    'if not os.getenv("B6"):',
    '    V = os.environ["B6"]',
    // Failing when unset is requiring it; a guard ends with its block; `and` proves nothing unset.
    'def need(key):',
    '    if key not in os.environ:',
    '        raise RuntimeError(key)',
    '    return os.environ[key]',
    'V = need("B7")',
    'def leave_early():',
    '    if "B8" not in os.environ:',
    '        return',
    '    if x:',
    '        if "B9" not in os.environ:',
    '            return',
    '    return os.environ["B9"]',
    'V = os.environ["B8"]',
    'if "B10" not in os.environ and x:',
    '    V = None',
    'else:',
    '    V = os.environ["B10"]',
  ].join('\n');
  const found = codes(check({ '.env': 'OTHER=1\n', 'settings.py': `${unguarded}\n` }), 'env-not-provided');
  // B2 sits under a test of DEBUG: required only when DEBUG is set, which no source does.
  assert.deepEqual(found.map((f) => f.message.split(' ')[0]), ['B1', 'B3', 'B4', 'B5', 'B6', 'B7', 'B9', 'B8', 'B10']);
  const on = codes(check({ '.env': 'DEBUG=1\n', 'settings.py': `${unguarded}\n` }), 'env-not-provided');
  assert.deepEqual(on.map((f) => f.message.split(' ')[0]), ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B9', 'B8', 'B10']);
  assert.match(on[1].message, /^B2 is required here when DEBUG is set \(\.env sets it\) but \.env does not provide it$/);
});

test('env-not-provided: a feature switch off in every source leaves the reads under it unreported', () => {
  const settings = 'import os\nif "CDN_TOKEN" in os.environ or "CDN_BEARER" in os.environ:\n    ZONE = os.environ["CDN_ZONE"]\nBUCKET = os.environ["S3_BUCKET"] if os.getenv("S3_ON") else None\n';
  assert.deepEqual(codes(check({ '.env': 'OTHER=1\n', 'settings.py': settings }), 'env-not-provided'), []);
  const on = codes(check({ '.env': 'CDN_BEARER=x\nS3_ON=1\n', 'settings.py': settings }), 'env-not-provided');
  assert.deepEqual(on.map((f) => [f.line, f.message.split(' ')[0]]), [[3, 'CDN_ZONE'], [4, 'S3_BUCKET']]);
  assert.match(on[0].message, /when CDN_BEARER is set/);
  // `orchard env` says the same: required only when a switch is set.
  const { apps, text } = env({ 'settings.py': settings, '.env': 'OTHER=1\n' });
  const vars = apps[0].variables;
  assert.deepEqual(vars.find((v) => v.name === 'CDN_ZONE'), { ...vars.find((v) => v.name === 'CDN_ZONE'), read: 'required', requiredWhen: ['CDN_TOKEN', 'CDN_BEARER'] });
  assert.match(text, /CDN_ZONE\s+if CDN_TOKEN\/CDN_BEARER\s/);
});

test('env-not-provided: a read only test code makes is "in tests" in orchard env, and not reported', () => {
  // The test also sets APP_ONLY and reads T_OPT: for its own process, so neither changes what the app needs.
  const files = {
    '.env': 'OTHER=1\n',
    'app/settings.py': 'import os\nA = os.environ["APP_ONLY"]\nB = os.environ["BOTH"]\n',
    'app/tests/test_e2e.py': 'import os\nos.environ["APP_ONLY"] = "x"\nU = os.environ["E2E_URL"]\nB = os.environ["BOTH"]\nT = os.environ.get("T_OPT")\n',
  };
  assert.deepEqual(codes(check(files), 'env-not-provided').map((f) => [f.file, f.message.split(' ')[0]]), [['app/settings.py', 'APP_ONLY'], ['app/settings.py', 'BOTH']]);
  const { apps, text } = env(files);
  assert.deepEqual(apps[0].variables.filter((v) => v.name !== 'OTHER').map((v) => [v.name, v.read]), [['APP_ONLY', 'required'], ['BOTH', 'required'], ['E2E_URL', 'tests'], ['T_OPT', 'tests']]);
  assert.match(text, /E2E_URL\s+in tests\s/);
});

test('env-not-provided: a block under a setting that is off unless set (env.bool("X", False), or a variable holding it) is a feature switch', () => {
  const settings = [
    'import environ',
    'env = environ.Env()',
    'USE_S3 = env.bool("USE_S3_MEDIA_FILES", False)',
    'if env.bool("ENABLE_EMAIL", False):',
    '    EMAIL_HOST = env.str("EMAIL_HOST")',
    'if USE_S3:',
    '    BUCKET = env.str("AWS_STORAGE_BUCKET_NAME")',
    'SECRET_KEY = env.str("SECRET_KEY")',
    '',
  ].join('\n');
  assert.deepEqual(codes(check({ '.env': 'OTHER=1\n', 'settings.py': settings }), 'env-not-provided').map((f) => f.message.split(' ')[0]), ['SECRET_KEY']);
  const on = codes(check({ '.env': 'ENABLE_EMAIL=true\nUSE_S3_MEDIA_FILES=1\nSECRET_KEY=x\n', 'settings.py': settings }), 'env-not-provided');
  assert.deepEqual(on.map((f) => f.message), [
    'EMAIL_HOST is required here when ENABLE_EMAIL is set (.env sets it) but .env does not provide it',
    'AWS_STORAGE_BUCKET_NAME is required here when USE_S3_MEDIA_FILES is set (.env sets it) but .env does not provide it',
  ]);
});

test('env-not-provided: not when the only source is the app\'s own code writing variables (the deployment\'s values are unknown)', () => {
  const script = 'import os\nos.environ["DJANGO_SETTINGS_MODULE"] = "app.settings"\nDSN = os.environ["SENTRY_DSN"]\n';
  assert.deepEqual(codes(check({ 'handler.py': script }), 'env-not-provided'), []);
  // `orchard env` says why nothing is claimed.
  assert.match(env({ 'handler.py': script }).text, /only the app's own code sets variables \(no charm, \.env, compose or Helm values\): where the others come from is unknown/);
  // A Dockerfile beside it is the image, not the deployment: still nothing claimed, and the note names both.
  const withImage = { 'handler.py': script, Dockerfile: 'FROM python:3.12-slim\nENV PYTHONUNBUFFERED=1\n' };
  assert.deepEqual(codes(check(withImage), 'env-not-provided'), []);
  assert.match(env(withImage).text, /only the app's image \(Dockerfile\) and its own code set variables \(no charm/);
  // With a deployment source beside it, the read is reported, naming that source.
  const withEnv = codes(check({ 'handler.py': script, '.env': 'OTHER=1\n' }), 'env-not-provided');
  assert.deepEqual(withEnv.map((f) => f.message.split(' ')[0]), ['SENTRY_DSN']);
});

test('env-insecure-default: durations and thresholds on PASSWORD / TOKEN names are settings; test code is info', () => {
  const settings = 'import os\nLOCK = os.environ.get("RESET_PASSWORD_LOCK_TIME", "15 minutes")\nT = os.environ.get("TOKEN_UPDATE_LAST_LOGIN_THRESHOLD", "5 seconds")\nAGE = os.environ.get("SESSION_TOKEN_MAX_AGE", "3600")\n';
  assert.deepEqual(codes(check({ '.env': 'OTHER=1\n', 'settings.py': settings }), 'env-insecure-default'), []);
  const conftest = 'import os\nPW = os.environ.get("AVALARA_PASSWORD", "Zq81-kx-test")\n';
  const inTests = codes(check({ '.env': 'OTHER=1\n', 'app/settings.py': 'import os\nX = os.environ.get("OTHER")\n', 'tests/conftest.py': conftest }), 'env-insecure-default');
  assert.deepEqual(inTests.map((f) => [f.file, f.severity]), [['tests/conftest.py', 'info']]);
  assert.match(inTests[0].message, /\(test code: lower severity\)$/);
  const inApp = codes(check({ '.env': 'OTHER=1\n', 'settings.py': conftest }), 'env-insecure-default');
  assert.deepEqual(inApp.map((f) => f.severity), ['warning']);
  // A word on a key name is an identifier (an LDAP attribute); a pattern describes, it does not hold.
  const ldap =
    'import os\nK = os.environ.get("LDAP_EMAIL_KEY", "mail")\nP = os.environ.get("THROTTLE_PASS_RESET_PATTERN", "10/hour")\nW = os.environ.get("LDAP_BIND_PASSWORD", "admin")\nS = os.environ.get("DJANGO_SECRET_KEY", "secret")\nT = os.environ.get("API_TOKEN", "dev-token")\n';
  assert.deepEqual(codes(check({ '.env': 'OTHER=1\n', 'settings.py': ldap }), 'env-insecure-default').map((f) => f.line), [4, 5, 6]);
  // A value that says there is none is no key (La Suite meet's summary service); on a secret's name it is still the secret.
  const none = 'import os\nK = os.environ.get("DOCS_API_KEY", "NO_API_KEY")\nT = os.environ.get("HOOK_TOKEN", "not-set")\nS = os.environ.get("DJANGO_SECRET_KEY", "not-set")\n';
  assert.deepEqual(codes(check({ '.env': 'OTHER=1\n', 'settings.py': none }), 'env-insecure-default').map((f) => f.line), [4]);
});

test('env-environment-logged: one variable read by a name not known statically is not the whole environment', () => {
  const app = 'import logging, os\nfrom os import environ\ndef f(key):\n    logging.info("%s=%s", key, environ[key])\n    logging.info("%s", os.environ[key])\n    logging.info("%s", os.environ)\n';
  assert.deepEqual(codes(check({ '.env': 'OTHER=1\n', 'app.py': app }), 'env-environment-logged').map((f) => f.line), [6]);
});

test('credential-jwt: a token in test code is info, elsewhere a warning', () => {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const jwt = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ exp: 946684800, sub: 'u1' })}.NHpdD2X8ub4SE_MZLBedWa57FCpntGaN_r6f8kNKdUs`;
  const py = `TOKEN = "${jwt}"\n`;
  const found = check({ 'tests/unit/test_auth.py': py, 'app/client.py': py }).filter((f) => f.code === 'credential-jwt');
  assert.deepEqual(found.map((f) => [f.file, f.severity]).sort(), [['app/client.py', 'warning'], ['tests/unit/test_auth.py', 'info']]);
  assert.match(found.find((f) => f.file.startsWith('tests/'))!.message, /test code: lower severity/);
});

test('credentials in a file written to be copied (.env.example): a value judged by its name is a warning; a token shape stays an error', () => {
  const env = `ECLAIR_PASS=Zr8kq2mvTqW9\nAWS_ACCESS_KEY_ID=${'AKIA'}Z7QKXWMR2PJ4VN3T\n`;
  const found = check({ '.env.example': env, 'deploy/.env': env }).filter((f) => f.code.startsWith('credential-'));
  assert.deepEqual(
    found.map((f) => [f.file, f.code, f.severity]).sort(),
    [
      ['.env.example', 'credential-aws-access-key-id', 'error'],
      ['.env.example', 'credential-password-assignment', 'warning'],
      ['deploy/.env', 'credential-aws-access-key-id', 'error'],
      ['deploy/.env', 'credential-password-assignment', 'error'],
    ],
  );
  assert.match(found.find((f) => f.file === '.env.example' && f.code === 'credential-password-assignment')!.message, /written to be copied: whoever copies it runs with this value/);
});

test('credentials in documentation, examples and demos folders are warnings; a test environment file and a test-environments folder are test code', () => {
  const env = 'DB_PASSWORD=Zr8kq2mvTqW9\n';
  const py = 'DB_PASSWORD = "Zr8kq2mvTqW9"\n';
  const found = check({
    'docs/install/.env': env,
    'examples/flask/.env': env,
    'apps/accounts/demos/go/demo.go': 'var DbPassword = "Zr8kq2mvTqW9"\n',
    '.env.test': env,
    'web/.env-test': env,
    'spread.yaml': 'backends:\n  multipass:\n    systems:\n      - ubuntu-24.04-64:\n          username: spread\n          password: Zr8kq2mvTqW9\n',
    'scripts/test-environments/oidc/.env': env,
    'deploy/.env': env,
    'api/e2etests/seed.py': py,
    'api/app/settings/test.py': py,
    'ecommerce/fixtures.py': py,
    'zds/member/api/tests.py': py,
  }).filter((f) => f.code === 'credential-password-assignment');
  assert.deepEqual(
    found.map((f) => [f.file, f.severity]).sort(),
    [
      ['.env.test', 'info'],
      ['api/app/settings/test.py', 'info'],
      ['api/e2etests/seed.py', 'info'],
      ['apps/accounts/demos/go/demo.go', 'warning'],
      ['deploy/.env', 'error'],
      ['docs/install/.env', 'warning'],
      ['ecommerce/fixtures.py', 'info'],
      ['examples/flask/.env', 'warning'],
      ['scripts/test-environments/oidc/.env', 'info'],
      ['spread.yaml', 'info'],
      ['web/.env-test', 'info'],
      ['zds/member/api/tests.py', 'info'],
    ],
  );
});

test('credentials in test code: a private key a test signs with is a warning; a CI-only compose file is test code', () => {
  const pem = ['-----BEGIN RSA PRIV' + 'ATE KEY-----', synth(BASE64, 64, 901), synth(BASE64, 64, 902), '-----END RSA PRIV' + 'ATE KEY-----'].join('\\n');
  const py = `KEY = "${pem}"\n`;
  const compose = 'services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: Zr8kq2mvTqW9\n';
  const found = check({ 'tests/settings.py': py, 'app/keys.py': py, '.ci/compose.ci.yaml': compose, 'compose.yaml': compose }).filter((f) => f.code.startsWith('credential-'));
  assert.deepEqual(
    found.map((f) => [f.file, f.code, f.severity]).sort(),
    [
      ['.ci/compose.ci.yaml', 'credential-password-assignment', 'info'],
      ['app/keys.py', 'credential-private-key', 'error'],
      ['compose.yaml', 'credential-password-assignment', 'error'],
      ['tests/settings.py', 'credential-private-key', 'warning'],
    ],
  );
});

test('credentials whose name says they are made up for tests, Ansible molecule scenarios and factory_boy factories are test data: info, said so; other names stay errors', () => {
  const py = 'test_otp_secret = "JHCOGO7VCER3EJ4L"\nFAKE_WALLET_SECRET = "Zr8kq2mvTqW9"\nmockIdToken = "Zr8kq2mvTqW9xP4L"\nlatest_secret = "Zr8kq2mvTqW9"\ntestnet_token = "Zr8kq2mvTqW9xP4L"\n';
  const molecule = 'driver:\n  options:\n    ansible_connection_options:\n      ansible_become_pass: Zr8kq2mvTqW9\n';
  const factories = 'import factory\nclass UserFactory(factory.django.DjangoModelFactory):\n    password = "Zr8kq2mvTqW9"\n';
  const found = check({ 'loaddata.py': py, '.env.example': 'FAKE_WALLET_SECRET=Zr8kq2mvTqW9\n', 'molecule/staging/molecule.yml': molecule, 'core/factories.py': factories }).filter((f) => f.code.startsWith('credential-'));
  assert.deepEqual(
    found.map((f) => [f.file, f.line, f.severity, /\((?:a test value by its name|test code): lower severity/.exec(f.message)?.[0] ?? '']).sort(),
    [
      ['.env.example', 1, 'info', '(a test value by its name: lower severity'],
      ['core/factories.py', 3, 'info', '(test code: lower severity'],
      ['loaddata.py', 1, 'info', '(a test value by its name: lower severity'],
      ['loaddata.py', 2, 'info', '(a test value by its name: lower severity'],
      ['loaddata.py', 3, 'info', '(a test value by its name: lower severity'],
      ['loaddata.py', 4, 'error', ''],
      ['loaddata.py', 5, 'error', ''],
      ['molecule/staging/molecule.yml', 4, 'info', '(test code: lower severity'],
    ],
  );
});

test('key files are scanned: an SSH private key (id_rsa), a .key and a .pem with a private key block are errors; a certificate .pem gives nothing', () => {
  const pem = ['-----BEGIN RSA PRIV' + 'ATE KEY-----', synth(BASE64, 64, 911), synth(BASE64, 64, 912), '-----END RSA PRIV' + 'ATE KEY-----', ''].join('\n');
  const cert = ['-----BEGIN CERTIFICATE-----', synth(BASE64, 64, 913), synth(BASE64, 64, 914), '-----END CERTIFICATE-----', ''].join('\n');
  const found = check({ 'deploy/id_rsa': pem, 'deploy/id_rsa.pub': 'ssh-rsa AAAAB3NzaC1yc2E deploy@ci\n', 'certs/server.key': pem, 'certs/bundle.pem': cert + pem, 'certs/ca.pem': cert }).filter((f) => f.code.startsWith('credential-'));
  assert.deepEqual(
    found.map((f) => [f.file, f.code, f.severity]).sort(),
    [
      ['certs/bundle.pem', 'credential-private-key', 'error'],
      ['certs/server.key', 'credential-private-key', 'error'],
      ['deploy/id_rsa', 'credential-private-key', 'error'],
    ],
  );
});

test('test code and examples are told by the path below the checked folder, not by where the checkout lives', () => {
  const files = { 'deploy/.env': 'DB_PASSWORD=Zr8kq2mvTqW9\n', 'tests/.env': 'DB_PASSWORD=Zr8kq2mvTqW9\n' };
  for (const under of ['tests/proj', 'examples/proj', 'docs']) {
    const found = check(files, undefined, under).filter((f) => f.code === 'credential-password-assignment');
    assert.deepEqual(found.map((f) => [f.file, f.severity]).sort(), [['deploy/.env', 'error'], ['tests/.env', 'info']], under);
  }
});

test('env-placeholder-value: not for a fake that test code sets up', () => {
  const app = 'import os\nS = os.environ["API_SECRET"]\n';
  const test = 'import os\nos.environ["API_SECRET"] = "fake_secret"\n';
  assert.deepEqual(codes(check({ 'app.py': app, 'tests/test_api.py': test }), 'env-placeholder-value'), []);
  assert.deepEqual(codes(check({ 'app.py': app, 'setup_env.py': test }), 'env-placeholder-value').map((f) => f.file), ['setup_env.py']);
});

test('env-secret-logged and env-environment-logged; bool(x) is not the value', () => {
  const yes = check({ '.env': 'DB_PASSWORD=x\n', 'app.py': 'import os, logging\nPW = os.environ["DB_PASSWORD"]\nlogging.info("pw %s", PW)\nprint(os.environ)\n' });
  assert.deepEqual(codes(yes, 'env-secret-logged').map((f) => f.line), [3]);
  assert.deepEqual(codes(yes, 'env-environment-logged').map((f) => f.line), [4]);
  const no = check({ '.env': 'DB_PASSWORD=x\n', 'app.py': 'import os, logging\nPW = os.environ["DB_PASSWORD"]\nlogging.info("pw set: %s", bool(PW))\nprint(sorted(os.environ))\n' });
  assert.deepEqual([...codes(no, 'env-secret-logged'), ...codes(no, 'env-environment-logged')], []);
  // Its first or last few characters, as a preview shows them (socorro's fetch script), are not the value; a longer slice is.
  const preview = 'import os\nT = os.environ.get("API_TOKEN")\nprint("token: %s%s" % (T[:4], "x" * (len(T) - 4)))\nprint(T[-4:])\nprint(T[:12])\n';
  assert.deepEqual(codes(check({ '.env': 'API_TOKEN=x\n', 'fetch.py': preview }), 'env-secret-logged').map((f) => f.line), [5]);
});

test('env-local-secrets-file: a secrets.py override that .gitignore does not cover; covered is fine', () => {
  const files = { 'app/settings.py': 'import os\ntry:\n    from .secrets import *\nexcept ImportError:\n    pass\nDEBUG = os.environ.get("DEBUG")\n', 'app/secrets.py': 'SECRET_KEY = "k3y-Zq81-local-only"\n', '.env': 'DEBUG=1\n' };
  assert.deepEqual(codes(check(files, 'untracked'), 'env-local-secrets-file').map((f) => f.message), ['secrets.py sets SECRET_KEY but .gitignore does not cover it: the next "git add ." commits it']);
  assert.match(codes(check(files, 'committed'), 'env-local-secrets-file')[0]?.message ?? '', /is committed to git/);
  assert.deepEqual(codes(check({ ...files, '.gitignore': 'app/secrets.py\n' }, 'untracked'), 'env-local-secrets-file'), []);
  assert.deepEqual(codes(check(files), 'env-local-secrets-file'), [], 'outside a git work tree nothing can be told');
});

test('env-placeholder-value: a placeholder for a required secret; a real-looking value is not this rule', () => {
  const yes = check({ '.env': 'API_TOKEN=change-me\n', 'app.py': 'import os\nT = os.environ["API_TOKEN"]\n' });
  assert.equal(codes(yes, 'env-placeholder-value').length, 1);
  const no = check({ '.env': 'API_TOKEN=\n', 'app.py': 'import os\nT = os.environ.get("API_TOKEN")\n' });
  assert.deepEqual(codes(no, 'env-placeholder-value'), []);
});

test('a key set twice in .env: its last value counts, the earlier line is a warning, the placeholder is reported once (canonical.com)', () => {
  const fs = check({ '.env': 'SMTP_PASS=smtp_pass\nSMTP_USER=me\n# SMTP\nSMTP_PASS=smtp_pass\n', 'app.py': 'import os\nP = os.environ["SMTP_PASS"]\nU = os.environ["SMTP_USER"]\n' });
  assert.deepEqual(codes(fs, 'env-placeholder-value').map((f) => [f.file, f.line]), [['.env', 4]]);
  const dup = codes(fs, 'dotenv-duplicate-key');
  assert.deepEqual(dup.map((f) => [f.file, f.line, f.severity]), [['.env', 1, 'warning']]);
  assert.match(dup[0].message, /SMTP_PASS is set again on line 4/);
  assert.equal(dup[0].message.includes('smtp_pass'), false, 'no value in the message');
  // The last value is what the app gets: a real value after a placeholder is not a placeholder.
  const fixed = check({ '.env': 'API_TOKEN=change-me\nAPI_TOKEN=${TOKEN_FROM_VAULT}\n', 'app.py': 'import os\nT = os.environ["API_TOKEN"]\n' });
  assert.deepEqual(codes(fixed, 'env-placeholder-value'), []);
});

test('charm-option-dropped (app- prefix) and charm-option-reserved (webserver-, flask-)', () => {
  const fs = check({ 'charmcraft.yaml': charm(opt('app-mode', 'type: string') + opt('webserver-workers', 'type: int') + opt('flask-debug', 'type: boolean') + opt('flask-custom', 'type: string') + opt('greeting', 'type: string\ndefault: hi') + opt('ratio', 'type: percent')) });
  assert.deepEqual(codes(fs, 'charm-option-dropped').map((f) => f.message.match(/option "?([\w-]+)/)?.[1]), ['app-mode']);
  // A reserved prefix, and options the extension adds itself ("overlapping keys"): charmcraft refuses all three.
  assert.deepEqual(codes(fs, 'charm-option-reserved').map((f) => f.message.match(/option "?([\w-]+)/)?.[1]).sort(), ['flask-custom', 'flask-debug', 'webserver-workers']);
  assert.match(codes(fs, 'charm-integration').map((f) => f.message).join('\n'), /option "ratio" has a type paas-charm does not know/);
  const clean = check({ 'charmcraft.yaml': charm(opt('greeting', 'type: string\ndefault: hi')), 'app.py': 'import os\nG = os.environ.get("FLASK_GREETING")\n' });
  assert.deepEqual([...codes(clean, 'charm-option-dropped'), ...codes(clean, 'charm-option-reserved')], []);
  // An oauth endpoint's options are merged after charmcraft's overlap check: declaring one overrides
  // its default (netbox-k8s-operator); the app reads the declared default, not the extension's.
  const oidc = check({
    'charmcraft.yaml': `${charm(opt('oidc-redirect-path', 'type: string\ndefault: /oauth/complete/oidc/'))}requires:\n  oidc:\n    interface: oauth\n    optional: true\n`,
    'app.py': 'import os\nP = os.environ["FLASK_OIDC_REDIRECT_PATH"]\nS = os.environ["FLASK_OIDC_SCOPES"]\n',
  });
  assert.deepEqual([...codes(oidc, 'charm-option-reserved'), ...codes(oidc, 'env-not-provided')], [], JSON.stringify(oidc));
});

test('charm-option-collision: two options, one variable', () => {
  const fs = check({ 'charmcraft.yaml': charm(opt('api-url', 'type: string') + opt('api_url', 'type: string')) });
  assert.equal(codes(fs, 'charm-option-collision').length, 1);
  assert.deepEqual(codes(check({ 'charmcraft.yaml': charm(opt('api-url', 'type: string')) }), 'charm-option-collision'), []);
});

test('charm-option-collision: through a secret key the description lists, a warning; through any key (none listed), information', () => {
  const sev = (desc: string) =>
    check({ 'charmcraft.yaml': charm(opt('badgr-url', 'type: string') + `    badgr:\n      type: secret\n      description: ${desc}\n`) })
      .filter((f) => f.code === 'charm-option-collision')
      .map((f) => f.severity);
  assert.deepEqual(sev('Badgr credentials for badge management'), ['info']);
  assert.deepEqual(sev('"Keys: `url`, `token`."'), ['warning']);
  assert.deepEqual(sev('"Keys: `user`, `password`."'), []);
});

test('charm-required-with-default and charm-secret-default', () => {
  const fs = check({ 'charmcraft.yaml': charm(opt('region', 'type: string\noptional: false\ndefault: eu') + opt('creds', 'type: secret\ndefault: hunter2')) });
  assert.equal(codes(fs, 'charm-required-with-default').length, 1);
  assert.equal(codes(fs, 'charm-secret-default').length, 1);
  const ok = check({ 'charmcraft.yaml': charm(opt('region', 'type: string\noptional: false') + opt('creds', 'type: secret\ndefault: secret:cdbl7sbvp25c77ihf0tg')) });
  assert.deepEqual([...codes(ok, 'charm-required-with-default'), ...codes(ok, 'charm-secret-default')], []);
});

test('charm-sensitive-string-option: a password option of type string; type secret is fine', () => {
  assert.equal(codes(check({ 'charmcraft.yaml': charm(opt('smtp-password', 'type: string')) }), 'charm-sensitive-string-option').length, 1);
  assert.deepEqual(codes(check({ 'charmcraft.yaml': charm(opt('smtp-password', 'type: secret')) }), 'charm-sensitive-string-option'), []);
  // Where keys come from is no key (synapse-operator's `trusted_key_servers`); a signing key still is.
  assert.deepEqual(codes(check({ 'charmcraft.yaml': charm(opt('trusted-key-servers', 'type: string')) }), 'charm-sensitive-string-option'), []);
  assert.equal(codes(check({ 'charmcraft.yaml': charm(opt('signing-key', 'type: string')) }), 'charm-sensitive-string-option').length, 1);
  // A DSN published to browsers on purpose (canonical-cla-ui's `public-sentry-dsn`) is no secret.
  assert.deepEqual(codes(check({ 'charmcraft.yaml': charm(opt('public-sentry-dsn', 'type: string')) }), 'charm-sensitive-string-option'), []);
});

test('charm-integration: an endpoint paas-charm does not listen on by that name', () => {
  const base = charm(opt('greeting', 'type: string\ndefault: hi'));
  const fs = check({ 'charmcraft.yaml': `${base}requires:\n  database:\n    interface: postgresql_client\n    limit: 1\n` });
  assert.equal(codes(fs, 'charm-integration').length, 1);
  const ok = check({ 'charmcraft.yaml': `${base}requires:\n  postgresql:\n    interface: postgresql_client\n    limit: 1\n` });
  assert.deepEqual(codes(ok, 'charm-integration'), []);
});

test('a Figgy config.py alone is no app (its overrides are optional reads nothing provides); beside a .env it is one', () => {
  const py = 'from figgy.figs import *\nfrom figgy.fig_store import FigStore\nclass Figs(FigStore):\n    TWIG: str = "/app/s"\n    DB_HOST = AppFig("db/host")\n';
  const apps = (files: Record<string, string>) => env(files).apps;

  assert.deepEqual(apps({ 'svc/src/config.py': py }), []);
  const withEnv = apps({ 'svc/src/config.py': py, 'svc/.env': 'DB_HOST=db.local\nUNUSED_THING=1\n' });
  assert.equal(withEnv.length, 1);
  assert.ok(withEnv[0].variables.some((v) => v.name === 'DB_HOST'), JSON.stringify(withEnv[0].variables));
  // The .env's variables are judged: the override is read (by figgy-lib), the other one is not.
  const found = check({ 'svc/src/config.py': py, 'svc/.env': 'DB_HOST=db.local\nUNUSED_THING=1\n' });
  assert.ok(found.some((f) => f.code === 'env-unused' && f.message.includes('UNUSED_THING')), JSON.stringify(found));
  assert.ok(!found.some((f) => f.code === 'env-unused' && f.message.includes('DB_HOST')));
});

test('Flask config keys a test sets (app.config["KEY"] = …) are still read from the environment by the app', () => {
  const files = {
    'charmcraft.yaml': charm(opt('flavours', 'type: string')),
    'app.py': 'from flask import Flask\napp = Flask(__name__)\napp.config.from_prefixed_env()\nF = app.config.get("FLAVOURS", "")\nR = app.config.get("ROUTES")\napp.config["ROUTES"] = {}\n',
    'tests/test_app.py': 'from app import app\napp.config["FLAVOURS"] = "- small: [x]"\n',
  };
  const vars = env(files).apps[0].variables;
  const read = (n: string) => vars.find((v) => v.name === n)?.read;
  assert.equal(read('FLASK_FLAVOURS'), 'optional', JSON.stringify(vars));
  // The app's own code setting a key: that key is the code's, not the environment's.
  assert.equal(read('FLASK_ROUTES'), undefined, JSON.stringify(vars));
});

test('charm code that sets variables itself (xiilib, paas-charm): they are provided; an option or endpoint it handles is neither unused nor miswired', () => {
  const charmCode = [
    'import json',
    'import ops',
    'import xiilib.flask',
    'class FlaskCharm(xiilib.flask.Charm):',
    '    _RELATION_NAME = "amqp"',
    '    def _env(self):',
    '        vhost = self.config.get("vhost")',
    '        return {"FLASK_RABBITMQ_URIS": json.dumps([vhost])}',
    '',
  ].join('\n');
  const files = {
    'charm/charmcraft.yaml': `${charm(opt('vhost', 'type: string\ndefault: /') + opt('greeting', 'type: string'))}requires:\n  amqp:\n    interface: rabbitmq\n`,
    'charm/src/charm.py': charmCode,
    'app.py': 'from flask import Flask\napp = Flask(__name__)\napp.config.from_prefixed_env()\nURIS = app.config["RABBITMQ_URIS"]\nMISSING = app.config["NOT_SET"]\n',
  };
  const fs = check(files);
  // Provided by the charm's code: not reported. NOT_SET is still nobody's.
  assert.deepEqual(codes(fs, 'env-not-provided').map((f) => f.message.split(' ')[0]), ['FLASK_NOT_SET'], JSON.stringify(fs));
  // vhost is read by the charm's code; greeting by nobody.
  assert.deepEqual(codes(fs, 'env-unused').map((f) => f.message.split(' ')[1]), ['greeting'], JSON.stringify(fs));
  // The charm's code handles "amqp" itself.
  assert.deepEqual(codes(fs, 'charm-integration'), [], JSON.stringify(fs));
  // orchard env (and the view, the hover) say who reads the option and who sets the variable.
  const vars = (env(files).apps[0].variables as (EnvVar & { providedBy: { detail: string }[] })[]);
  assert.deepEqual(vars.find((v) => v.name === 'FLASK_VHOST')?.providedBy.map((p) => p.detail), ["option vhost (string), also read by the charm's code"]);
  assert.deepEqual(vars.find((v) => v.name === 'FLASK_RABBITMQ_URIS')?.providedBy.map((p) => p.detail), ["set by the charm's code (charm.py)"]);
  // Without that code the same charm has the three findings.
  const plain = check({ ...files, 'charm/src/charm.py': 'import ops\nimport paas_charm.flask\nclass C(paas_charm.flask.Charm):\n    pass\n' });
  assert.deepEqual(codes(plain, 'env-not-provided').map((f) => f.message.split(' ')[0]).sort(), ['FLASK_NOT_SET', 'FLASK_RABBITMQ_URIS']);
  assert.deepEqual(codes(plain, 'env-unused').map((f) => f.message.split(' ')[1]).sort(), ['greeting', 'vhost']);
  assert.equal(codes(plain, 'charm-integration').length, 1);
});

test('canonicalwebteam.flask_base: FlaskBase copies FLASK_X to X, so an option read by its plain name is provided and read', () => {
  const site = (app: string) =>
    check({
      'charm/charmcraft.yaml': charm(opt('greenhouse-api-key', 'type: string') + opt('unused-thing', 'type: string')),
      'app.py': app,
      '.env': 'SECRET_KEY=Zr8kq2mvTqW9xLpQ\n',
    });
  const withBase = site('import os\nfrom canonicalwebteam.flask_base.app import FlaskBase\napp = FlaskBase(__name__, "site")\nKEY = os.environ["GREENHOUSE_API_KEY"]\n');
  assert.deepEqual(codes(withBase, 'env-not-provided'), [], JSON.stringify(withBase));
  assert.deepEqual(codes(withBase, 'env-unused').map((f) => f.message.split(' ')[1]), ['unused-thing'], JSON.stringify(withBase));
  // A plain Flask app gets no such copy: the read is not provided and the option unused; .env's SECRET_KEY is read by nobody.
  const plain = site('import os\nfrom flask import Flask\napp = Flask(__name__)\nKEY = os.environ["GREENHOUSE_API_KEY"]\n');
  assert.deepEqual(codes(plain, 'env-not-provided').map((f) => f.message.split(' ')[0]), ['GREENHOUSE_API_KEY']);
  // Neither name given: one finding, on the plain name, saying the other would do too.
  const neither = check({ 'app.py': 'from canonicalwebteam.flask_base.env import get_flask_env\nKEY = get_flask_env("API_KEY", error=True)\n', '.env': 'OTHER=1\n' });
  assert.deepEqual(codes(neither, 'env-not-provided').map((f) => f.message), ['API_KEY is required here but .env does not provide it (nor FLASK_API_KEY, which it also accepts)']);
  const unused = codes(plain, 'env-unused').map((f) => (f.message.startsWith('option ') ? f.message.split(' ')[1] : f.message.split(' ')[0]));
  assert.deepEqual(unused.sort(), ['SECRET_KEY', 'greenhouse-api-key', 'unused-thing'].sort());
});

test('a .env the code loads that also lies inside the app is one source: one column, one finding per entry', () => {
  const files = { 'webapp/app.py': 'import os\nimport dotenv\ndotenv.load_dotenv(".env")\nKEY = os.environ["SECRET_KEY"]\n', '.env': 'SECRET_KEY=changeme\n', 'requirements.txt': 'flask\n' };
  const fs = check(files);
  assert.equal(codes(fs, 'env-placeholder-value').length, 1, JSON.stringify(fs));
  assert.deepEqual(env(files).apps.map((a) => a.sources.map((s) => s.label)), [['.env']]);
});

test('orchard env: a variable given only under another name its reads accept says through which (text and JSON)', () => {
  const files = {
    'charm/charmcraft.yaml': charm(opt('greenhouse-api', 'type: secret')),
    'app.py': 'import os\nfrom canonicalwebteam.flask_base.app import FlaskBase\napp = FlaskBase(__name__, "site")\nKEY = os.environ["GREENHOUSE_API_KEY"]\n',
  };
  const { apps, text } = env(files);
  const vars = apps[0].variables;
  assert.deepEqual(vars.find((v) => v.name === 'GREENHOUSE_API_KEY')?.satisfiedBy, ['FLASK_GREENHOUSE_API_KEY']);
  assert.equal(vars.find((v) => v.name === 'FLASK_GREENHOUSE_API_KEY')?.satisfiedBy, undefined);
  assert.match(text, /GREENHOUSE_API_KEY \(secret\)\s+required \(via FLASK_GREENHOUSE_API_KEY\)/);
});

test('starlette Config: its env file is a source of the reads through it, across modules; a Secret-cast variable is a secret', () => {
  const files = {
    'app/config.py':
      'from starlette.config import Config\nfrom starlette.datastructures import Secret\nconfig = Config(".env")\n' +
      'DEBUG = config("DEBUG", cast=bool, default=False)\nDATABASE_URL = config("DATABASE_URL")\nSIGNING = config("SIGNING", cast=Secret)\n',
    'app/mail.py': 'from app.config import config\nSMTP_HOST = config("SMTP_HOST")\n',
    'app/.env': 'DEBUG=true\nSIGNING=Zr8kq2mvTqW9\nUNUSED_THING=1\n',
    'requirements.txt': 'starlette\n',
  };
  const fs = check(files);
  assert.deepEqual(codes(fs, 'env-not-provided').map((f) => f.message.split(' ')[0]).sort(), ['DATABASE_URL', 'SMTP_HOST'], JSON.stringify(fs));
  assert.deepEqual(codes(fs, 'env-unused').map((f) => f.message.split(' ')[0]), ['UNUSED_THING'], JSON.stringify(fs));
  const { text } = env(files);
  assert.match(text, /SIGNING \(secret\)\s+required/);
  assert.match(text, /DEBUG\s+optional/);
});

test("a .env in a subfolder none of the app's code is in is another program's (a web front end's); one in a deployment folder is the app's; one beside code in a subfolder makes that folder an app", () => {
  const files = {
    'app.py': 'import os\nTOKEN = os.environ["API_TOKEN"]\nDEBUG = os.environ.get("DEBUG")\n',
    '.env': 'DEBUG=1\n',
    'clients/web/.env.template': 'NEXT_PUBLIC_API_URL=http://localhost:8000\nAPI_TOKEN=\n',
    'clients/web/src/index.ts': 'export const url = process.env.NEXT_PUBLIC_API_URL;\n',
    'docker/.env.example': 'DEBUG=0\n',
    'worker/jobs.py': 'import os\nQUEUE = os.environ.get("QUEUE")\n',
    'worker/.env.local': 'QUEUE=default\n',
  };
  // (worker/ is an app of its own, as it would be were its module read before app.py.)
  assert.deepEqual(env(files).apps.map((a) => a.sources.map((s) => s.label).sort()), [['.env', '.env.example'], ['.env.local']]);
  const fs = check(files);
  assert.deepEqual(codes(fs, 'env-not-provided').map((f) => f.message), ['API_TOKEN is required here but .env and .env.example do not provide it'], JSON.stringify(fs));
  assert.deepEqual(codes(fs, 'env-unused').map((f) => f.file), [], JSON.stringify(fs));
});

test("Helm values beside a Chart.yaml are not the container's whole environment: the chart's templates add to it, so a read they do not list is unknown", () => {
  const files = {
    'app.py': 'import os\nTOKEN = os.environ["API_TOKEN"]\nLEVEL = os.environ.get("LOG_LEVEL")\n',
    'chart/values.yaml': 'env:\n  - name: LOG_LEVEL\n    value: info\n',
  };
  // Values alone (no Chart.yaml): read as the whole list, so API_TOKEN is not provided.
  assert.deepEqual(codes(check(files), 'env-not-provided').map((f) => f.message.split(' ')[0]), ['API_TOKEN']);
  // In a chart: its templates (templates/_env.tpl here) may set API_TOKEN; nothing is claimed missing.
  const charted = { ...files, 'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n', 'chart/templates/_env.tpl': '{{- define "app.env" -}}\n- name: API_TOKEN\n  valueFrom: {secretKeyRef: {name: app, key: token}}\n{{- end }}\n' };
  const fs = check(charted);
  assert.deepEqual(codes(fs, 'env-not-provided'), [], JSON.stringify(fs));
  assert.deepEqual(codes(fs, 'env-unused'), [], JSON.stringify(fs));
  assert.match(env(charted).text, /LOG_LEVEL\s+optional\s+✓/);
});

test("a chart whose templates Orchard understands is the container's whole environment: a read neither they nor the values set is not provided; a secret's value never printed", () => {
  const files = {
    'app.py': 'import os\nTOKEN = os.environ["API_TOKEN"]\nLEVEL = os.environ.get("LOG_LEVEL")\nDB = os.environ["DATABASE_URL"]\nPORT = os.environ["PORT"]\n',
    'chart/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
    'chart/values.yaml': 'env:\n  - name: LOG_LEVEL\n    value: info\n',
    'chart/templates/deployment.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: "{{ .Values.image }}"\n' +
      '          env:\n            - name: PORT\n              value: "8000"\n            - name: DATABASE_URL\n              value: "postgres://app:Kq\\"7\\\\n@db/app"\n            - name: NODE_EXTRA_CA_CERTS\n              value: /etc/ca.pem\n            {{- toYaml .Values.env | nindent 12 }}\n',
  };
  const fs = check(files);
  assert.deepEqual(codes(fs, 'env-not-provided').map((f) => [f.file, f.message]), [['app.py', 'API_TOKEN is required here but values.yaml and chart templates do not provide it']], JSON.stringify(fs));
  // A template's entry no module reads is never "unused": the chart's containers may run other code.
  assert.deepEqual(codes(fs, 'env-unused'), [], JSON.stringify(fs));
  const out = env(files).text;
  assert.match(out, /PORT\s+required\s+✗\s+✓/);
  assert.ok(!out.includes('Kq'), out);
  // A template writing env Orchard does not follow: unknown again, and the reason says where.
  const opaque = { ...files, 'chart/templates/deployment.yaml': files['chart/templates/deployment.yaml'].replace('toYaml .Values.env', 'tpl .Values.envTemplate .') };
  assert.deepEqual(codes(check(opaque), 'env-not-provided'), []);
  assert.match(env(opaque).text, /templates\/deployment\.yaml:18 writes the environment with \{\{ tpl \.Values\.envTemplate \. \| nindent 12 \}\}/);
});

test("authlib's OAuth(config).register('github') reads GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET: a .env giving them is not unused", () => {
  const fs = check({
    'app/auth.py':
      'from starlette.config import Config\nfrom authlib.integrations.starlette_client import OAuth\nconfig = Config(".env")\noauth = OAuth(config)\n' +
      'oauth.register(name="github", access_token_url="https://github.com/login/oauth/access_token")\n',
    'app/.env': 'GITHUB_CLIENT_ID=Iv1.abc\nGITHUB_CLIENT_SECRET=\nSTRAY=1\n',
    'requirements.txt': 'authlib\n',
  });
  assert.deepEqual(codes(fs, 'env-unused').map((f) => f.message.split(' ')[0]), ['STRAY'], JSON.stringify(fs));
});

test('django-configurations: a SecretValue the .env does not give is required and not provided; a DJANGO_ entry it reads is not unused', () => {
  const fs = check({
    'proj/settings.py':
      'from configurations import Configuration, values\nclass Dev(Configuration):\n    DEBUG = values.BooleanValue(False)\n    SECRET_KEY = values.SecretValue()\n',
    'proj/.env': 'DJANGO_DEBUG=true\nSTRAY=1\n',
    'requirements.txt': 'django-configurations\n',
  });
  assert.deepEqual(codes(fs, 'env-not-provided').map((f) => f.message.split(' ')[0]), ['DJANGO_SECRET_KEY'], JSON.stringify(fs));
  assert.deepEqual(codes(fs, 'env-unused').map((f) => f.message.split(' ')[0]), ['STRAY'], JSON.stringify(fs));
});

test('env-placeholder-value: an entry a YAML anchor merges into several compose services is one finding naming them all', () => {
  const compose = [
    'x-environment: &py-env',
    '  SECRET_KEY: change-me',
    'services:',
    '  web:',
    '    build: .',
    '    environment: *py-env',
    '  celery:',
    '    build: .',
    '    environment:',
    '      <<: *py-env',
    '',
  ].join('\n');
  const found = codes(check({ 'docker-compose.yml': compose, 'app.py': 'import os\nK = os.environ["SECRET_KEY"]\n' }), 'env-placeholder-value');
  assert.deepEqual(found.map((f) => [f.file, f.line]), [['docker-compose.yml', 2]]);
  assert.match(found[0].message, /^compose web, compose celery give SECRET_KEY a placeholder/);
});

test("mitol.common.envs (MIT Open Learning): get_string(name=…, required=True) without a default is required; with one it is not", () => {
  const settings = [
    'from mitol.common.envs import get_bool, get_features, get_string',
    'from mitol.common import envs',
    'BASE_URL = get_string(name="SITE_BASE_URL", default=None, description="The base URL", required=True)',
    'ENVIRONMENT = get_string(name="SITE_ENVIRONMENT", default="dev", description="Where it runs", required=True)',
    'DEBUG = get_bool(name="DEBUG", default=False, description="Debug mode")',
    'KEY = envs.get_string(name="MAILGUN_KEY", default="", description="Mailgun", required=True)',
  ].join('\n');
  const found = check({ 'main/settings.py': `${settings}\n`, 'main/__init__.py': '', '.env': 'DEBUG=False\nSITE_ENVIRONMENT=prod\nMAILGUN_KEY=\n' });
  assert.deepEqual(codes(found, 'env-not-provided').map((f) => f.message.split(' ')[0]), ['SITE_BASE_URL']);
  assert.deepEqual(codes(found, 'env-unused'), [], 'every .env entry is read');
  assert.deepEqual(codes(found, 'env-placeholder-value').map((f) => f.line), [3], 'an empty value for a required secret');
  // get_features() reads every FEATURE_* variable: what the app reads is no longer fully known.
  const extra = check({ 'main/settings.py': `${settings}\nFEATURES = get_features()\n`, 'main/__init__.py': '', '.env': 'DEBUG=True\nFEATURE_X=1\nOTHER=1\n' });
  assert.deepEqual(codes(extra, 'env-unused'), []);
  assert.deepEqual(codes(check({ 'main/settings.py': `${settings}\n`, 'main/__init__.py': '', '.env': 'DEBUG=True\nFEATURE_X=1\n' }), 'env-unused').map((f) => f.message.split(' ')[0]), ['FEATURE_X']);
});

test('envparse: an Env another module makes reads through its getters; env(var, default) is optional, env(var) required', () => {
  const files = {
    'app/__init__.py': '',
    'app/conf.py': 'from envparse import Env\nenv = Env()\nenv.read_envfile()\n',
    'app/settings.py': 'from app.conf import env\nKEY = env("API_KEY")\nPORT = env("PORT", 8000, int)\nDBG = env.bool("DEBUG", default=False)\n',
    '.env': 'DEBUG=1\nUNUSED_X=1\n',
  };
  const found = check(files);
  assert.deepEqual(codes(found, 'env-not-provided').map((f) => [f.file, f.message.split(' ')[0]]), [['app/settings.py', 'API_KEY']]);
  assert.deepEqual(codes(found, 'env-unused').map((f) => f.message.split(' ')[0]), ['UNUSED_X']);
});

test('pydantic-settings matched regardless of case: a lower-case field is said in upper case and one variable with an os.getenv of it; either spelling in .env gives it', () => {
  const settings = 'from pydantic_settings import BaseSettings\nimport os\nclass Bot(BaseSettings, env_prefix="bot_", env_file=".env"):\n    token: str\nTOKEN_SET = os.getenv("BOT_TOKEN") is not None\n';
  const missing = check({ 'app/settings.py': settings, 'app/__init__.py': '', '.env': 'OTHER=1\n' });
  assert.deepEqual(codes(missing, 'env-not-provided').map((f) => f.message.split(' ')[0]), ['BOT_TOKEN']);
  for (const line of ['BOT_TOKEN=x9\n', 'bot_token=x9\n']) {
    const given = check({ 'app/settings.py': settings, 'app/__init__.py': '', '.env': line });
    assert.deepEqual([...codes(given, 'env-not-provided'), ...codes(given, 'env-unused')], [], line);
  }
});

test('Flask: after config.from_object(...) a config key may come from that object, so its FLASK_ variable is read but not required (snapcraft.io)', () => {
  const app = (load: string) => `import flask\napp = flask.Flask(__name__)\napp.config.from_prefixed_env()\n${load}\nDIR = app.config["CONTENT_DIRECTORY"]\n`;
  const files = (load: string) => ({ 'webapp/__init__.py': '', 'webapp/app.py': app(load), 'webapp/config.py': 'CONTENT_DIRECTORY = {"PAGES": "content/"}\n', '.env': 'FLASK_DEBUG=1\n' });
  assert.deepEqual(codes(check(files('')), 'env-not-provided').map((f) => f.message.split(' ')[0]), ['FLASK_CONTENT_DIRECTORY']);
  for (const load of ['app.config.from_object("webapp.config")', 'app.config.from_pyfile("settings.cfg")']) {
    assert.deepEqual(codes(check(files(load)), 'env-not-provided'), [], load);
  }
});

test('env-placeholder-value: not for a source set up for local development (debug on, a development mode, a .env beside the charm)', () => {
  const app = 'import os\nK = os.environ["SECRET_KEY"]\n';
  const found = (env: string, extra: Record<string, string> = {}) => codes(check({ 'app.py': app, '.env': env, ...extra }), 'env-placeholder-value').length;
  assert.equal(found('SECRET_KEY=insecure_dev_key\n'), 1);
  assert.equal(found('SECRET_KEY=insecure_dev_key\nDEBUG=False\n'), 1);
  for (const dev of ['FLASK_DEBUG=true', 'DEVEL=1', 'ENVIRONMENT=development', 'DEBUG=${DEBUG:-True}']) assert.equal(found(`${dev}\nSECRET_KEY=insecure_dev_key\n`), 0, dev);
  const charm = { 'charm/charmcraft.yaml': 'name: site\ntype: charm\nextensions: [flask-framework]\n', 'requirements.txt': 'flask\n' };
  assert.equal(found('SECRET_KEY=insecure_dev_key\n', charm), 0, 'the charm deploys the app; its .env is for dotrun');
  const compose = 'services:\n  migrate:\n    build: .\n    environment:\n      SECRET_KEY: change-me\n';
  assert.equal(found('OTHER=1\n', { 'docker-compose.yaml': compose }), 1);
  assert.equal(found('OTHER=1\n', { ...charm, 'docker-compose.yaml': compose }), 0, 'nor a compose file beside the charm');
  // A debug switch of the app's own prefix (DefectDojo's DD_DEBUG), a file named for development;
  // a compose default is judged as the value it gives (`${DD_ADMIN_PASSWORD:-admin}` gives admin).
  const dd = 'services:\n  uwsgi:\n    build: .\n    environment:\n      DD_DEBUG: "True"\n      SECRET_KEY: "${SECRET_KEY:-change-me}"\n';
  assert.equal(found('OTHER=1\n', { 'docker-compose.yml': dd }), 0, 'DD_DEBUG');
  assert.equal(found('OTHER=1\n', { 'docker-compose.yml': dd.replace('      DD_DEBUG: "True"\n', '') }), 1, 'the default is a placeholder');
  assert.equal(found('OTHER=1\n', { 'docker-compose.override.dev.yml': dd.replace('      DD_DEBUG: "True"\n', '') }), 0, 'a compose file for development');
  assert.equal(found('OTHER=1\n', { '.env.local': 'SECRET_KEY=insecure_dev_key\n' }), 0, 'a .env for local use');
});

test("python-dotenv's dotenv_values: {**dotenv_values(\".env.shared\"), **os.environ} loads those files; reads through it are reads", () => {
  const app = 'import os\nfrom dotenv import dotenv_values\nconfig = {**dotenv_values(".env.shared"), **dotenv_values(".env.secret"), **os.environ}\nDB = config["DATABASE_URL"]\nKEY = config["API_KEY"]\n';
  const found = check({ 'app.py': app, '.env.shared': 'DATABASE_URL=postgres://db/app\n', '.env.secret': 'API_TOKEN=Zr8kq2mvTqW9\n' });
  assert.deepEqual(codes(found, 'env-not-provided').map((f) => [f.line, f.message]), [[5, 'API_KEY is required here but .env.shared and .env.secret do not provide it']]);
  const alone = check({ 'app.py': 'from dotenv import dotenv_values\nvals = dotenv_values()\nKEY = vals["API_KEY"]\n', '.env': 'API_KEY=x\nLEFT=1\n' });
  assert.deepEqual([...codes(alone, 'env-not-provided'), ...codes(alone, 'env-unused').map((f) => f.message.split(' ')[0])], ['LEFT']);
});

test('split Django settings: a settings module no source selects with DJANGO_SETTINGS_MODULE, nor a selected one imports, is required only when selected (python.org)', () => {
  const files = (module: string | undefined) => ({
    'site/__init__.py': '',
    'site/settings/__init__.py': 'from .base import *\n',
    'site/settings/base.py': 'import os\nDATABASE_URL = os.environ["DATABASE_URL"]\n',
    'site/settings/local.py': 'from .base import *\nDEBUG = True\n',
    'site/settings/cabotage.py': 'import os\nfrom .base import *\nSECRET_KEY = os.environ["SECRET_KEY"]\n',
    'docker-compose.yml': `services:\n  web:\n    build: .\n    environment:\n${module ? `      DJANGO_SETTINGS_MODULE: ${module}\n` : ''}      OTHER: "1"\n`,
  });
  const missing = (module: string | undefined) => codes(check(files(module)), 'env-not-provided').map((f) => f.message.split(' ')[0]).sort();
  assert.deepEqual(missing('site.settings.local'), ['DATABASE_URL'], 'base.py runs (local imports it); cabotage.py does not');
  assert.deepEqual(missing('site.settings.cabotage'), ['DATABASE_URL', 'SECRET_KEY']);
  assert.deepEqual(missing(undefined), ['DATABASE_URL', 'SECRET_KEY'], 'nothing named: every module may run');
  assert.deepEqual(missing('elsewhere.settings'), ['DATABASE_URL', 'SECRET_KEY'], 'a module not in the workspace: what runs is unknown');
  assert.deepEqual(missing('site.settings'), ['DATABASE_URL', 'SECRET_KEY'], 'a package picks its modules itself');
});

test('dynaconf: an instance another module imports reads prefix + name by attribute and get; nothing it reads is required, nor unused', () => {
  const fs = check({
    '.env': 'MYAPP_REDIS_URL=redis://cache:6379\nMYAPP_API_TOKEN=x9\nMYAPP_LOG_LEVEL=debug\nMYAPP_ORPHAN=1\n',
    'app/__init__.py': '',
    'app/config.py': 'from dynaconf import Dynaconf\nsettings = Dynaconf(envvar_prefix="MYAPP", settings_files=["settings.toml"])\nLOG_LEVEL = settings.get("LOG_LEVEL", "INFO")\n',
    'app/main.py': 'from app.config import settings\n\ndef handler():\n    return settings.REDIS_URL, settings.get("API_TOKEN"), settings.DATABASE_URL\n',
  });
  // DATABASE_URL may come from settings.toml: not "missing"; only the line nothing reads is said.
  assert.deepEqual(envFindings(fs), [['env-unused', '.env', 4]]);
});

test('everett: a read without a default is required; the .env basic_config() loads provides it; another module calls the instance (tecken)', () => {
  const settings = 'from everett.manager import ConfigManager\n_config = ConfigManager.basic_config()\nSECRET = _config("OIDC_RP_CLIENT_SECRET", doc="OIDC RP client secret.")\nPORT = _config("STATSD_PORT", default="8125", parser=int)\nDB = _config("host", namespace="db")\n';
  const fs = check({
    '.env': 'OIDC_RP_CLIENT_SECRET=x9\nSTATSD_PORT=9125\nORPHAN=1\nSENTRY_DSN=https://sentry.example.org/1\n',
    'svc/__init__.py': '',
    'svc/settings.py': settings,
    'svc/sentry.py': 'from svc.settings import _config\nDSN = _config("SENTRY_DSN", default="")\n',
  });
  assert.deepEqual(
    envFindings(fs),
    [
      ['env-unused', '.env', 3],
      ['env-not-provided', 'svc/settings.py', 5],
    ],
  );
});
