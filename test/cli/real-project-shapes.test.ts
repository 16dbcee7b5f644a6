// Shapes met in real public repositories that were false alarms (or misses), through the built CLI:
// each case is a small tree written here, checked with --parse-only --format json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TOKENS } from '../parse/credentials.helpers';

const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

interface JsonFinding {
  code: string;
  file: string;
  line: number;
  severity: string;
  message: string;
}

function check(files: Record<string, string>): JsonFinding[] {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-shapes-'));
  try {
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    const r = spawnSync(process.execPath, [CLI, 'check', root, '--parse-only', '--format', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: path.join(root, '.config'), ORCHARD_CONFIG: '', ORCHARD_STORE_DIR: path.join(root, '.store') },
      timeout: 60_000,
    });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    return (JSON.parse(r.stdout) as JsonFinding[]).map((f) => ({ ...f, file: path.relative(root, f.file) }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const KEY = TOKENS.AKIA;

/** The environment findings as [code, file, line]. */
const envFindings = (fs: JsonFinding[]) => fs.filter((f) => f.code.startsWith('env-')).map((f) => [f.code, f.file, f.line]);

test('a README: a documented password is not a finding, a real token shape still is', () => {
  const fs = check({
    'README.md': ['Log in to the demo:', '- username: admin', '- password: tryportainer', '', '    DATABASE_URL=mysql://root:whalehello@db:3306/mysql', '', `    export AWS_ACCESS_KEY_ID=${KEY}`, ''].join('\n'),
  });
  assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [['credential-aws-access-key-id', 'README.md', 7]]);
});

test('a format directive in the password slot of a URL is filled at run time, not a password', () => {
  const fs = check({ 'main.go': 'package main\n\nvar dsn = fmt.Sprintf("postgres://postgres:%s@db:5432/example", pw)\nvar dsn2 = "postgres://app:{}@db/app"\n' });
  assert.deepEqual(fs, []);
});

test('a password in a unit-test folder (`_unit-test/`, `integration-tests/`) is info, not an error', () => {
  const fs = check({ '_unit-test/migrate-test.sh': 'cat > settings.py <<EOF\nDATABASES = {"PASSWORD": "s3ntry-Pw-77"}\nEOF\n' });
  assert.deepEqual(fs.map((f) => [f.code, f.severity]), [['credential-password-assignment', 'info']]);
});

test('.env.patch is a diff, .env.gpg is encrypted: neither is read as a .env', () => {
  const fs = check({
    '.env': 'A=1\n',
    'patches/.env.patch': '--- .env\n+++ .env.new\n@@ -1,2 +1,3 @@\n A=1\n+B=2\n',
    'secrets/.env.gpg': '-----BEGIN PGP MESSAGE-----\nhQEMA\n-----END PGP MESSAGE-----\n',
    'app.py': 'import os\nA = os.environ["A"]\n',
  });
  assert.deepEqual(fs, []);
});

test('variables the shell or the CI runner sets are never "not provided"', () => {
  const fs = check({
    '.env': 'APP_MODE=prod\n',
    'app.py': 'import os\nMODE = os.environ["APP_MODE"]\nTMP = os.environ["RUNNER_TEMP"]\nHOME = os.environ["HOME"]\nSHA = os.environ["GITHUB_SHA"]\nMISSING = os.environ["APP_REGION"]\n',
  });
  assert.deepEqual(fs.filter((f) => f.code === 'env-not-provided').map((f) => f.line), [6]);
});

test('test code reads what its runner sets up: never "not provided" there; the same name read by the app still is', () => {
  // DefectDojo's tests/base_test_class.py reads CHROMEDRIVER, exported by the integration-test entrypoint.
  const fs = check({
    '.env': 'APP_MODE=prod\n',
    'app.py': 'import os\nMODE = os.environ["APP_MODE"]\nREGION = os.environ["APP_REGION"]\n',
    'tests/base_test_class.py': 'import os\nDRIVER = os.environ["CHROMEDRIVER"]\nREGION = os.environ["APP_REGION"]\n',
    'app/test_views.py': 'import os\nURL = os.environ["E2E_URL"]\n',
  });
  assert.deepEqual(
    fs.filter((f) => f.code === 'env-not-provided').map((f) => [f.file, f.line]),
    [['app.py', 3]],
  );
});

test('printing the result of a call made with a token is not printing the token', () => {
  const fs = check({
    'scripts/changelog.py': 'import os\nTOKEN = os.environ["GITHUB_TOKEN"]\nrepo = Github(login_or_token=TOKEN).get_repo("o/r")\nprint(f"repo {repo}")\nprint("token", TOKEN)\n',
  });
  assert.deepEqual(fs.filter((f) => f.code === 'env-secret-logged').map((f) => f.line), [5]);
});

test('a charm written with ops alone is not judged as a paas-charm one; a script under .github/ is not app code', () => {
  const fs = check({
    'config.yaml': 'options:\n  smtp_password:\n    type: string\n    default: ""\n  site_name:\n    type: string\n    default: forum\n',
    'metadata.yaml': 'name: forum-k8s\nrequires:\n  database:\n    interface: postgresql_client\ncontainers:\n  forum:\n    resource: forum-image\n',
    'src/charm.py': 'import ops\n\nclass ForumCharm(ops.CharmBase):\n    pass\n',
    '.env': 'SITE=1\n',
    'app.py': 'import os\nSITE = os.environ["SITE"]\n',
    '.github/scripts/release.py': 'import os\nTAG = os.environ["TAG"]\n',
  });
  assert.deepEqual(fs.map((f) => f.code), ['charm-sensitive-string-option']);
});

test('chart-testing values (a chart\'s ci/*-values.yaml) and a value that restates its name are not deployment secrets', () => {
  const fs = check({
    'chart/ci/ingress-values.yaml': 'postgresql:\n  auth:\n    password: test-pg-forum-77\n',
    'ci/base.env': 'FORUM__MEMCACHED_PASSWORD=memcached_password\nFORUM__EMAIL_PASSWORD=outgoing_email_password\n',
  });
  assert.deepEqual(fs.map((f) => [f.code, f.file, f.severity]), [['credential-password-assignment', 'chart/ci/ingress-values.yaml', 'info']]);
});

test('an app with a shell entrypoint may read what its Python does not: no "not read" there', () => {
  const app = { 'app/manage.py': 'import os\nDEBUG = os.environ.get("DEBUG")\n', 'app/.env': 'DEBUG=1\nDB_HOST=db\n' };
  const without = check(app);
  assert.deepEqual(without.filter((f) => f.code === 'env-unused').map((f) => f.line), [2], 'without the entrypoint, DB_HOST is unused');
  const withEntrypoint = check({ ...app, 'app/docker-entrypoint.sh': '#!/bin/sh\nuntil nc -z "$DB_HOST" 5432; do sleep 1; done\nexec "$@"\n', 'app/static/site.js': 'console.log(1)\n' });
  assert.deepEqual(withEntrypoint.filter((f) => f.code === 'env-unused'), []);
});

test('os.environ.setdefault provides its variable, a loop over a dict of defaults each entry; a loop by run-time names makes "not provided" unknown (python-discord site)', () => {
  const compose = 'services:\n  web:\n    build: .\n    environment:\n      APP_MODE: prod\n';
  const known = check({
    'docker-compose.yml': compose,
    'manage.py': 'import os\nos.environ.setdefault("SUPER_USERNAME", "admin")\nprint(os.environ["APP_MODE"], os.environ["SUPER_USERNAME"], os.environ["APP_REGION"])\n',
  });
  assert.deepEqual(known.filter((f) => f.code === 'env-not-provided').map((f) => f.line), [3], JSON.stringify(known));
  const loop = check({
    'docker-compose.yml': compose,
    'manage.py': 'import os\nDEFAULT_ENVS = {"SUPER_USERNAME": "admin"}\nfor key, value in DEFAULT_ENVS.items():\n    os.environ.setdefault(key, value)\nprint(os.environ["SUPER_USERNAME"], os.environ["APP_REGION"])\n',
  });
  assert.deepEqual(loop.filter((f) => f.code === 'env-not-provided').map((f) => f.message.split(' ')[0]), ['APP_REGION'], JSON.stringify(loop));
  const computed = check({
    'docker-compose.yml': compose,
    'manage.py': 'import os, json\nDEFAULT_ENVS = json.load(open("defaults.json"))\nfor key, value in DEFAULT_ENVS.items():\n    os.environ.setdefault(key, value)\nprint(os.environ["SUPER_USERNAME"], os.environ["APP_REGION"])\n',
  });
  assert.deepEqual(computed.filter((f) => f.code === 'env-not-provided'), [], JSON.stringify(computed));
  // A test setting variables by run-time names sets them for its own process (nautobot's settings-schema test).
  const test = check({
    'docker-compose.yml': compose,
    'manage.py': 'import os\nprint(os.environ["APP_MODE"], os.environ["APP_REGION"])\n',
    'tests/test_settings.py': 'import os\ndef test_env(names):\n    for name in names:\n        os.environ[name] = "x"\n',
  });
  assert.deepEqual(test.filter((f) => f.code === 'env-not-provided').map((f) => [f.file, f.line]), [['manage.py', 2]], JSON.stringify(test));
});

test('an Env instance imported from base settings reads: used .env lines are not "unused", missing ones are "not provided"', () => {
  // django split settings: `env = environ.Env(...)` in base.py, other modules import it by name or by `*`.
  const fs = check({
    'site/.env': 'SECRET_KEY=s3\nDATABASE_URL=postgres://db/app\nLEFTOVER=1\n',
    'site/settings/__init__.py': '',
    'site/settings/base.py': 'import environ\nenv = environ.Env(DEBUG=(bool, False))\n',
    'site/settings/production.py': 'from .base import *\nSECRET_KEY = env("SECRET_KEY")\nDEBUG = env("DEBUG")\nWORKERS = env.int("WORKERS", default=2)\nREGION = env.str("AWS_REGION")\n',
    'site/settings/database.py': 'from .base import env\nDATABASES = {"default": env.db_url("DATABASE_URL")}\n',
  });
  const got = envFindings(fs);
  assert.deepEqual(got, [
    ['env-unused', 'site/.env', 3],
    ['env-not-provided', 'site/settings/production.py', 5],
  ]);
});

test('an imported Env whose module sets env.prefix reads the prefixed names', () => {
  const fs = check({
    'svc/.env': 'APP_TOKEN=t\nTOKEN=unprefixed\n',
    'svc/conf/__init__.py': '',
    'svc/conf/base.py': 'import environ\nenv = environ.Env()\nenv.prefix = "APP_"\n',
    'svc/conf/prod.py': 'from .base import env\nTOKEN = env("TOKEN")\nREGION = env("REGION")\n',
  });
  assert.deepEqual(
    envFindings(fs),
    [
      ['env-unused', 'svc/.env', 2],
      ['env-not-provided', 'svc/conf/prod.py', 3],
    ],
  );
});

test('python-decouple: an AutoConfig or Config instance, or config re-exported, reads like decouple.config', () => {
  // wemake-django-template: `config = AutoConfig(search_path=...)` in components/__init__.py, imported elsewhere.
  const fs = check({
    'proj/config/.env': 'DJANGO_SECRET_KEY=s3\nDOMAIN_NAME=example.com\nUNUSED_THING=1\n',
    'proj/server/__init__.py': '',
    'proj/server/settings/__init__.py': '',
    'proj/server/settings/components/__init__.py': 'from decouple import AutoConfig\nconfig = AutoConfig(search_path="config")\n',
    'proj/server/settings/components/common.py': 'from server.settings.components import config\nSECRET_KEY = config("DJANGO_SECRET_KEY")\nHOST = config("DJANGO_DATABASE_HOST", default="localhost")\nPORT = config("DJANGO_DATABASE_PORT", cast=int)\n',
    'proj/server/settings/environments/production.py': 'from server.settings.components import config\nALLOWED = [config("DOMAIN_NAME")]\n',
    'proj/server/other.py': 'from decouple import Config, RepositoryEnv\ncfg = Config(RepositoryEnv(".env"))\nTOKEN = cfg("API_TOKEN")\n',
  });
  const got = envFindings(fs);
  // UNUSED_THING alone is unused; API_TOKEN is required and nowhere; PORT's `cast=` keyword is taken as
  // a possible default (decouple's config(option, default, cast)): not reported.
  assert.deepEqual(got, [
    ['env-unused', 'proj/config/.env', 3],
    ['env-not-provided', 'proj/server/other.py', 3],
  ]);
});

test("a .env that another program's container gets as env_file (a database, Keycloak) is not the app's to call unused", () => {
  // nautobot's development/: keycloak.env for the keycloak and postgres images; dev.env for the app.
  const fs = check({
    'dev/docker-compose.yml': [
      'services:',
      '  web:',
      '    build: {context: ../, dockerfile: docker/Dockerfile}',
      '    image: "local/app:dev"',
      '    env_file: [dev.env]',
      '  worker:',
      '    image: "local/app:dev"',
      '    env_file: [worker.env]',
      '',
    ].join('\n'),
    'dev/docker-compose.keycloak.yml': 'services:\n  web:\n    environment:\n      - "ENABLE_OIDC=True"\n  keycloak:\n    image: "quay.io/keycloak/keycloak:21.0"\n    env_file:\n      - keycloak.env\n',
    'dev/keycloak.env': 'KEYCLOAK_ADMIN=admin\nDB_VENDOR=postgres\n',
    'dev/dev.env': 'APP_MODE=dev\nAPP_STALE=1\n',
    'dev/worker.env': 'WORKER_STALE=1\n',
    'app.py': 'import os\nMODE = os.environ["APP_MODE"]\nOIDC = os.getenv("ENABLE_OIDC")\n',
  });
  // The app's own image run as a worker is still the app: worker.env's unused line is reported.
  assert.deepEqual(
    fs.filter((f) => f.code === 'env-unused').map((f) => [f.file, f.line]),
    [
      ['dev/dev.env', 2],
      ['dev/worker.env', 1],
    ],
  );
});

test('a helper call under a presence test or a feature switch is guarded like a read made there', () => {
  const fs = check({
    'svc/.env': 'USE_S3=1\n',
    'svc/settings/__init__.py': '',
    'svc/settings/base.py': 'import environ, os\nenv = environ.Env()\ndef get_env(name):\n    return os.environ[name]\n',
    'svc/settings/prod.py': [
      'import os',
      'from .base import env, get_env',
      'if "SENTRY_DSN" in os.environ:',
      '    DSN = env("SENTRY_DSN")',
      'try:',
      '    TOKEN = get_env("OPTIONAL_TOKEN")',
      'except KeyError:',
      '    TOKEN = None',
      'if os.getenv("USE_MAILTRAP") == "1":',
      '    HOST = env("MAILTRAP_HOST")',
      'if os.getenv("USE_S3") == "1":',
      '    KEY = get_env("AWS_KEY")',
      '',
    ].join('\n'),
  });
  // Only AWS_KEY: its switch USE_S3 is set by .env; nothing sets USE_MAILTRAP.
  assert.deepEqual(
    fs.filter((f) => f.code === 'env-not-provided').map((f) => [f.file, f.line]),
    [['svc/settings/prod.py', 12]],
  );
});

test("a Dockerfile's ENV provides variables to the app whose folder holds it (final stage only), never unused, never a placeholder", () => {
  // nautobot sets prometheus_multiproc_dir in its Dockerfile; images commonly set DJANGO_SETTINGS_MODULE.
  const files: Record<string, string> = {
    'svc/.env': 'SECRET_KEY=\n',
    'svc/docker/Dockerfile': [
      'FROM python:3.12 AS builder',
      'ENV BUILD_ONLY=1',
      'FROM python:3.12-slim AS base',
      'ENV PYTHONUNBUFFERED=1 \\',
      '    DATABASE_URL=postgres://db/app',
      'FROM base AS final',
      'ENV prometheus_multiproc_dir=/tmp/prom API_TOKEN=changeme APP_PORT=9000',
      '',
    ].join('\n'),
    'svc/settings.py': [
      'import os',
      'SECRET_KEY = os.environ["SECRET_KEY"]',
      'DATABASE_URL = os.environ["DATABASE_URL"]',
      'PROM = os.environ["prometheus_multiproc_dir"]',
      'BUILD = os.environ["BUILD_ONLY"]',
      'TOKEN = os.environ["API_TOKEN"]',
      // mealie: APP_PORT is its entrypoint's; not a near miss of this optional read.
      'PORT = os.environ.get("API_PORT", "9000")',
      '',
    ].join('\n'),
  };
  // BUILD_ONLY is a builder stage's; .env's empty SECRET_KEY is a placeholder, the Dockerfile's changeme is not reported.
  assert.deepEqual(envFindings(check(files)), [
    ['env-placeholder-value', 'svc/.env', 1],
    ['env-not-provided', 'svc/settings.py', 5],
  ]);
  // An app whose only source is a Dockerfile: what it gets where it runs is unknown, so nothing is "not provided".
  assert.deepEqual(envFindings(check({ 'solo/Dockerfile': 'FROM python:3.12\nENV A=1\n', 'solo/app.py': 'import os\nB = os.environ["B"]\n' })), []);
  // A binary file named Dockerfile: one notice, as for any skipped file.
  assert.deepEqual(
    check({ 'bin/Dockerfile': 'FROM x\0\u0001ENV A=1\n' }).map((f) => [f.code, f.file, f.line]),
    [['binary-file', 'bin/Dockerfile', 1]],
  );
  // A Dockerfile of another program inside the app's folder (a database, a Node front end) is not the app's image.
  const other: Record<string, string> = { ...files, 'svc/docker/db/Dockerfile': 'FROM postgres:16\nENV ALSO_READ=1\n', 'svc/web/Dockerfile': 'FROM node:20-alpine\nENV FRONT=1\n', 'svc/dev/Dockerfile-dolt': 'FROM dolthub/dolt-sql-server:1.58.2\nENV FRONT=1\n' };
  other['svc/settings.py'] += 'X = os.environ["ALSO_READ"]\nY = os.environ["FRONT"]\n';
  assert.deepEqual(envFindings(check(other)), [
    ['env-placeholder-value', 'svc/.env', 1],
    ['env-not-provided', 'svc/settings.py', 5],
    ['env-not-provided', 'svc/settings.py', 8],
    ['env-not-provided', 'svc/settings.py', 9],
  ]);
});

test('a Dockerfile compose builds is the image of the app it builds, wherever it is, from the target stage', () => {
  // mealie / wemake: `build: {context: ., dockerfile: ./docker/Dockerfile, target: production}`.
  const files: Record<string, string> = {
    'proj/docker-compose.yml': [
      'services:',
      '  web:',
      '    build:',
      '      context: ./backend',
      '      dockerfile: ../images/app.Dockerfile',
      '      target: production',
      '    env_file: [.env]',
      '',
    ].join('\n'),
    'proj/.env': 'FROM_ENV=1\n',
    'proj/images/app.Dockerfile': [
      'FROM python:3.12-slim AS base',
      'ENV IN_BASE=1',
      'FROM base AS production',
      'ENV IN_PRODUCTION=1',
      'FROM base AS test',
      'ENV IN_TEST=1',
      '',
    ].join('\n'),
    'proj/backend/settings.py': 'import os\nA = os.environ["FROM_ENV"]\nB = os.environ["IN_BASE"]\nC = os.environ["IN_PRODUCTION"]\nD = os.environ["IN_TEST"]\n',
  };
  // IN_TEST is the last stage's, not the target's.
  assert.deepEqual(envFindings(check(files)), [['env-not-provided', 'proj/backend/settings.py', 5]]);
  // Without a target, the last stage: IN_PRODUCTION is then not provided.
  const untargeted = { ...files, 'proj/docker-compose.yml': files['proj/docker-compose.yml'].replace('      target: production\n', '') };
  assert.deepEqual(envFindings(check(untargeted)), [['env-not-provided', 'proj/backend/settings.py', 4]]);
  // A target no stage has: Docker refuses the build, so the Dockerfile provides nothing.
  const missing = { ...files, 'proj/docker-compose.yml': files['proj/docker-compose.yml'].replace('target: production', 'target: prod') };
  assert.deepEqual(envFindings(check(missing)), [
    ['env-not-provided', 'proj/backend/settings.py', 3],
    ['env-not-provided', 'proj/backend/settings.py', 4],
    ['env-not-provided', 'proj/backend/settings.py', 5],
  ]);
});

test("an override compose file in a subfolder resolves its paths from its project's folder above it", () => {
  // wemake's docker/docker-compose.prod.yml and nautobot's development/kubernetes/: written for the
  // folder of the compose file they are used with (`-f docker-compose.yml -f deploy/….yml`).
  const files: Record<string, string> = {
    'proj/docker-compose.yml': 'services:\n  web:\n    build: .\n    env_file: [config/app.env]\n',
    'proj/config/app.env': 'APP_MODE=1\n',
    'proj/config/caddy.env': 'TLS_EMAIL=a@example.com\n',
    'proj/docker/Dockerfile': 'FROM python:3.12-slim AS base\nFROM base AS production\nENV PROD_ONLY=1\nFROM base AS test\n',
    'proj/deploy/docker-compose.prod.yml': [
      'services:',
      '  web:',
      '    build: {context: ., dockerfile: ./docker/Dockerfile, target: production}',
      '  caddy:',
      '    image: caddy:2',
      '    env_file: ./config/caddy.env',
      '',
    ].join('\n'),
    'proj/app.py': 'import os\nA = os.environ["APP_MODE"]\nB = os.environ["PROD_ONLY"]\n',
  };
  // PROD_ONLY comes from the target stage of ../docker/Dockerfile; TLS_EMAIL is Caddy's (another image).
  assert.deepEqual(envFindings(check(files)), []);
  // An override in the project's own folder is read from there, as before: nothing found there, nothing moves.
  const own = { ...files, 'proj/deploy/docker-compose.prod.yml': 'services:\n  api:\n    build: ./api\n    env_file: [api.env]\n', 'proj/deploy/api.env': 'API_MODE=1\n', 'proj/deploy/api/main.py': 'import os\nC = os.environ["API_MODE"]\nD = os.environ["ONLY_HERE"]\n' };
  assert.deepEqual(envFindings(check(own)), [
    ['env-not-provided', 'proj/app.py', 3],
    ['env-unused', 'proj/config/caddy.env', 1],
    ['env-not-provided', 'proj/deploy/api/main.py', 3],
  ]);
  // A service whose `.env` is left out of git but whose Dockerfile is there stays in its folder,
  // though the folder above resolves more of its paths.
  const gitignored = {
    'mono/docker-compose.yml': 'services:\n  web:\n    build: .\n    env_file: [.env]\n',
    'mono/.env': 'WEB_MODE=1\n',
    'mono/Dockerfile': 'FROM python:3.12-slim\n',
    'mono/web.py': 'import os\nM = os.environ["WEB_MODE"]\n',
    'mono/services/api/docker-compose.yml': 'services:\n  api:\n    build: .\n    env_file: [.env]\n',
    'mono/services/api/Dockerfile': 'FROM python:3.12-slim\nENV API_PORT=8000\n',
    'mono/services/api/main.py': 'import os\nP = os.environ["API_PORT"]\nK = os.environ["API_KEY"]\n',
  };
  // The api app's env file is missing (unknown: nothing claimed), and it is not the root app's.
  assert.deepEqual(envFindings(check(gitignored)), []);
});

test("a switch on a value an imported reader gives, through a wrapper: HackSoftware's email strategy enum", () => {
  const fs = check({
    '.env': 'DJANGO_DEBUG=1\n',
    'config/__init__.py': '',
    'config/env.py': [
      'import environ',
      'env = environ.Env()',
      'def env_to_enum(enum_cls, value):',
      '    for x in enum_cls:',
      '        if x.value == value:',
      '            return x',
      '    raise ImproperlyConfigured(value)',
      '',
    ].join('\n'),
    'config/settings/email_sending.py': [
      'from config.env import env, env_to_enum',
      'from styleguide.emails.enums import EmailSendingStrategy',
      'EMAIL_SENDING_STRATEGY = env_to_enum(EmailSendingStrategy, env("EMAIL_SENDING_STRATEGY", default="local"))',
      'if EMAIL_SENDING_STRATEGY == EmailSendingStrategy.MAILTRAP:',
      '    EMAIL_HOST = env("MAILTRAP_EMAIL_HOST")',
      'if env.bool("SENTRY_ENABLED", default=False):',
      '    SENTRY_DSN = env("SENTRY_DSN")',
      // A required read under a switch on a required read is required.
      'TIER = env_to_enum(Tier, env("TIER"))',
      'if TIER == Tier.PAID:',
      '    BILLING = env("BILLING_KEY")',
      '',
    ].join('\n'),
  });
  // MAILTRAP_EMAIL_HOST and SENTRY_DSN only when a source sets the switch; TIER and BILLING_KEY always.
  assert.deepEqual(
    envFindings(fs).filter(([c]) => c === 'env-not-provided'),
    [
      ['env-not-provided', 'config/settings/email_sending.py', 8],
      ['env-not-provided', 'config/settings/email_sending.py', 10],
    ],
  );
  // Once .env picks the strategy, its block's variables are required.
  const on = check({ '.env': 'EMAIL_SENDING_STRATEGY=mailtrap\n', 'config/__init__.py': '', 'config/env.py': 'import environ\nenv = environ.Env()\ndef env_to_enum(c, v):\n    return c(v)\n', 'config/settings/email_sending.py': 'from config.env import env, env_to_enum\nS = env_to_enum(E, env("EMAIL_SENDING_STRATEGY", default="local"))\nif S == E.MAILTRAP:\n    EMAIL_HOST = env("MAILTRAP_EMAIL_HOST")\n' });
  assert.deepEqual(
    envFindings(on).filter(([c]) => c === 'env-not-provided'),
    [['env-not-provided', 'config/settings/email_sending.py', 4]],
  );
});

test("a build path naming $PWD is read from the folder compose runs in: the one from which its Dockerfile exists (baserow's deploy/all-in-one)", () => {
  const files: Record<string, string> = {
    'proj/deploy/all-in-one/docker-compose.yml': [
      'services:',
      '  baserow:',
      '    build:',
      '      dockerfile: $PWD/deploy/all-in-one/Dockerfile',
      '      context: $PWD',
      '    environment:',
      '      FROM_COMPOSE: "1"',
      '',
    ].join('\n'),
    'proj/deploy/all-in-one/Dockerfile': 'FROM python:3.12-slim\nENV FROM_IMAGE=1\n',
    'proj/settings.py': 'import os\nA = os.environ["FROM_COMPOSE"]\nB = os.environ["FROM_IMAGE"]\nC = os.environ["NOBODY"]\n',
  };
  // The repository's root is the service's code: its compose environment and its image provide A and B.
  assert.deepEqual(envFindings(check(files)), [['env-not-provided', 'proj/settings.py', 4]]);
  // `${PWD}` and a default (`${APP_DIR:-.}` from the root's compose file) read the same way.
  const braced = { ...files, 'proj/deploy/all-in-one/docker-compose.yml': files['proj/deploy/all-in-one/docker-compose.yml'].replace('$PWD/deploy', '${PWD}/deploy').replace('context: $PWD', 'context: ${PWD}') };
  assert.deepEqual(envFindings(check(braced)), [['env-not-provided', 'proj/settings.py', 4]]);
  const dflt = { 'proj/docker-compose.yml': 'services:\n  web:\n    build: {context: "${APP_DIR:-.}"}\n    environment: {FROM_COMPOSE: "1"}\n', 'proj/Dockerfile': 'FROM python:3.12-slim\nENV FROM_IMAGE=1\n', 'proj/settings.py': files['proj/settings.py'] };
  assert.deepEqual(envFindings(check(dflt)), [['env-not-provided', 'proj/settings.py', 4]]);
  // A variable the files cannot tell: no app is made of a folder named `$APP_DIR`, and nothing is said.
  const unknown = { ...dflt, 'proj/docker-compose.yml': dflt['proj/docker-compose.yml'].replace('${APP_DIR:-.}', '$APP_DIR') };
  assert.deepEqual(envFindings(check(unknown)), []);
});

test("cookiecutter-django's local.yml / production.yml are compose files; its postgres and nginx services are not the app (Ghostwriter)", () => {
  const files: Record<string, string> = {
    'proj/local.yml': [
      'services:',
      '  django:',
      '    build: {context: ., dockerfile: ./compose/local/django/Dockerfile}',
      '    environment:',
      '      - DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY}',
      '      - FROM_COMPOSE=1',
      '  postgres:',
      '    build: {context: ., dockerfile: ./compose/production/postgres/Dockerfile}',
      '    environment:',
      '      - POSTGRES_PASSWORD=change-me',
      '',
    ].join('\n'),
    'proj/compose/local/django/Dockerfile': 'FROM python:3.12-slim\nENV FROM_IMAGE=1\n',
    'proj/compose/production/postgres/Dockerfile': 'FROM postgres:16\n',
    'proj/config/settings.py': 'import os\nA = os.environ["FROM_COMPOSE"]\nB = os.environ["FROM_IMAGE"]\nC = os.environ["DJANGO_SECRET_KEY"]\nD = os.environ["NOBODY"]\n',
    // Another YAML file of one of those names is what it is (an Ansible inventory, mkdocs' docs.yml).
    'proj/deploy/production.yml': 'all:\n  hosts:\n    web: {ansible_host: 10.0.0.1}\n',
  };
  // The django service's environment and image provide A, B and C (its value comes from where
  // compose runs: no placeholder); the postgres service's change-me is postgres's, not the app's.
  assert.deepEqual(envFindings(check(files)), [['env-not-provided', 'proj/config/settings.py', 5]]);
  // As any other name would: the same files under docker-compose.yml.
  const renamed = { ...files, 'proj/docker-compose.yml': files['proj/local.yml'] };
  delete (renamed as Record<string, string | undefined>)['proj/local.yml'];
  assert.deepEqual(envFindings(check(renamed)), [['env-not-provided', 'proj/config/settings.py', 5]]);
});
