// Environment-variable facts from Python modules (parse/pythonEnv.ts): Flask, pydantic-settings,
// django-environ / environs / dj-database-url / decouple / dotenv, templated input, mayReadEnv, and
// replays of module-level statements between extractions.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clearEnvCaches, mayReadEnv } from '../../server/src/parse/pythonEnv';
import type { PythonEnvFacts } from '../../server/src/parse/envTypes';
import { envFacts, initEnvParser, r, readsSummary } from './pyenv.helpers';

before(initEnvParser);

function facts(src: string): PythonEnvFacts {
  const { facts, errors } = envFacts(src);
  assert.deepEqual(errors, [], 'no extraction errors');
  return facts;
}

function reads(src: string): string[] {
  return readsSummary(facts(src));
}

describe('Flask', () => {
  test('from_prefixed_env (default and prefix=), config reads, writes', () => {
    const f = facts(
      [
        'from flask import Flask, current_app',
        'app = Flask(__name__)',
        'app.config.from_prefixed_env()',
        'app.config.from_prefixed_env(prefix="MYAPP")',
        'app.config["MAIL_SERVER"] = "localhost"',
        'app.config.update(A=1, B=2)',
        'app.config.update({"C": 3})',
        'app.config.from_mapping(CELERY=dict(broker_url="x"))',
        'app.config.setdefault("D", 4)',
        'TOKEN = app.config["TOKEN"]',
        'def view():',
        '    return current_app.config.get("OTHER", "x"), app.config.get(name)',
      ].join('\n'),
    );
    assert.deepEqual(f.flaskPrefixed.map((p) => [p.config, p.prefix, r(p.range)]), [
      ['app.config', 'FLASK', '2:0-2:30'],
      ['app.config', 'MYAPP', '3:0-3:44'],
    ]);
    assert.deepEqual(f.flaskConfigWrites, ['MAIL_SERVER', 'A', 'B', 'C', 'CELERY', 'D']);
    assert.deepEqual(
      f.flaskConfigReads.map((x) => [x.config, x.key, r(x.keyRange), x.required, x.default?.text]),
      [
        ['app.config', 'TOKEN', '9:19-9:26', true, undefined],
        ['current_app.config', 'OTHER', '11:34-11:41', false, '"x"'],
      ],
    );
    assert.deepEqual(f.reads, []);
  });

  test('a prefix that is not static is dynamic, not FLASK', () => {
    const f = facts('app.config.from_prefixed_env(get_prefix())\n');
    assert.deepEqual(f.flaskPrefixed, []);
    assert.equal(f.dynamicReads.length, 1);
  });

  test('canonicalwebteam.flask_base: get_flask_env reads X, else FLASK_X; FlaskBase requires SECRET_KEY and loads FLASK_*', () => {
    const f = facts(
      [
        'from canonicalwebteam.flask_base.app import FlaskBase',
        'from canonicalwebteam.flask_base.env import get_flask_env',
        'app = FlaskBase(__name__, "site")',
        'URL = get_flask_env("DATABASE_URL")',
        'KEY = get_flask_env("API_KEY", error=True)',
        'OPT = get_flask_env("MODE", "dev", True)',
      ].join('\n'),
    );
    // The plain name carries the requirement; each name is the other's alternative.
    assert.deepEqual(readsSummary(f), [
      'SECRET_KEY library required str',
      'FLASK_SECRET_KEY library str',
      'DEBUG library bool',
      'FLASK_DEBUG library bool',
      'DATABASE_URL library str',
      'FLASK_DATABASE_URL library str',
      'API_KEY library required str',
      'FLASK_API_KEY library str',
      'MODE library str ="dev"',
      'FLASK_MODE library str ="dev"',
    ]);
    assert.deepEqual(f.reads.map((x) => x.alternatives?.map((a) => a.name).join()), ['FLASK_SECRET_KEY', 'SECRET_KEY', 'FLASK_DEBUG', 'DEBUG', 'FLASK_DATABASE_URL', 'DATABASE_URL', 'FLASK_API_KEY', 'API_KEY', 'FLASK_MODE', 'MODE']);
    assert.deepEqual(f.flaskPrefixed.map((p) => p.prefix), ['FLASK']);
    assert.deepEqual(f.flaskPlainEnv.map((x) => r(x)), ['2:6-2:33']);
    // Without the import it is someone else's function: nothing read.
    assert.deepEqual(reads('def get_flask_env(k):\n    return k\nX = get_flask_env("API_KEY", error=True)\n'), []);
    assert.ok(mayReadEnv('from canonicalwebteam.flask_base.app import FlaskBase\napp = FlaskBase(__name__, "x")\n'));
  });
});

describe('pydantic-settings', () => {
  test('fields, prefix on field names not aliases, AliasChoices, SecretStr, required, nested delimiter', () => {
    const f = facts(
      [
        'from typing import Optional',
        'from pydantic import AliasChoices, BaseModel, Field, SecretStr',
        'from pydantic_settings import BaseSettings, SettingsConfigDict',
        'class Database(BaseModel):',
        '    host: str = "localhost"',
        '    port: int = 5432',
        'class Settings(BaseSettings):',
        '    model_config = SettingsConfigDict(env_prefix="APP_", env_nested_delimiter="__", env_file=".env")',
        '    api_token: SecretStr',
        '    debug: bool = False',
        '    name: str = Field("svc", alias="SERVICE_NAME")',
        '    url: Optional[str] = Field(default=None, validation_alias=AliasChoices("URL_A", "URL_B"))',
        '    hosts: list[str] = []',
        '    db: Database = Database()',
        '    password: SecretStr = SecretStr("hunter2")',
        '    limit: int = Field(...)',
        '    _private: int = 3',
        '    CONSTANT: "ClassVar[int]" = 1',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), [
      'APP_API_TOKEN pydantic required str',
      'APP_DEBUG pydantic bool ="False"',
      'SERVICE_NAME pydantic str ="svc"',
      'URL_A pydantic str =null',
      'URL_B pydantic str =null',
      'APP_HOSTS pydantic json =([])',
      'APP_DB pydantic json =(Database())',
      'APP_DB__HOST pydantic str',
      'APP_DB__PORT pydantic int',
      'APP_PASSWORD pydantic str ="hunter2"',
      'APP_LIMIT pydantic required int',
      'APP_CONSTANT pydantic unknown ="1"',
    ]);
    const token = f.reads[0];
    assert.equal(token.caseInsensitive, true);
    assert.deepEqual(token.field, { className: 'Settings', field: 'api_token', secretType: true });
    assert.equal(r(token.name.range), '8:4-8:13');
    assert.equal(r(token.range), '8:4-8:24');
    assert.deepEqual(f.reads[3].alternatives?.map((a) => a.name), ['URL_B']);
    assert.deepEqual(f.reads[6].alternatives?.map((a) => a.name), ['APP_DB__HOST', 'APP_DB__PORT']);
    assert.deepEqual(f.reads[7].alternatives?.map((a) => a.name), ['APP_DB']);
    assert.deepEqual(f.loadsDotenv.map((d) => d.path), ['.env']);
  });

  test('env_prefix_target, case_sensitive, class keywords, inheritance with a new prefix', () => {
    const f = facts(
      [
        'from pydantic import Field',
        'from pydantic_settings import BaseSettings, SettingsConfigDict',
        'class Base(BaseSettings, env_prefix="B_", case_sensitive=True):',
        '    a: int',
        '    b: str = Field("x", alias="ALIAS_B")',
        'class Same(Base):',
        '    c: int = 1',
        'class Other(Base):',
        '    model_config = SettingsConfigDict(env_prefix="O_", env_prefix_target="all")',
      ].join('\n'),
    );
    assert.deepEqual(
      f.reads.map((x) => `${x.field?.className}.${x.field?.field}=${x.name.name}${x.caseInsensitive ? ' ci' : ''}`),
      ['Base.a=B_a', 'Other.a=O_a', 'Base.b=ALIAS_B', 'Other.b=O_ALIAS_B', 'Same.c=B_c'],
    );
  });

  test('a name matched regardless of case is said in upper case, as it is set (case-sensitive: as written)', () => {
    const src = (cs: string) =>
      ['from pydantic_settings import BaseSettings, SettingsConfigDict', 'class S(BaseSettings):', '    OAUTH2_KEY: str', '    db_url: str', `    model_config = SettingsConfigDict(env_prefix="polar_"${cs})`].join('\n');
    assert.deepEqual(facts(src('')).reads.map((x) => x.name.name), ['POLAR_OAUTH2_KEY', 'POLAR_DB_URL']);
    assert.deepEqual(facts(src(', case_sensitive=True')).reads.map((x) => x.name.name), ['polar_OAUTH2_KEY', 'polar_db_url']);
  });

  test('pydantic v1: BaseSettings from pydantic, class Config, Optional defaults to None, Field(env=...)', () => {
    const f = facts(
      [
        'from typing import Optional',
        'from pydantic import BaseSettings, Field',
        'class Settings(BaseSettings):',
        '    x: Optional[int]',
        '    y: str = Field(..., env="WHY")',
        '    z: str = Field("d", env=["Z1", "Z2"])',
        '    class Config:',
        '        env_prefix = "V_"',
        '        case_sensitive = True',
        '        env_file = ".env.local"',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), ['V_x pydantic int', 'WHY pydantic required str', 'Z1 pydantic str ="d"', 'Z2 pydantic str ="d"']);
    assert.equal(f.reads[0].caseInsensitive, undefined);
    assert.deepEqual(f.loadsDotenv.map((d) => d.path), ['.env.local']);
  });

  test('secrets_dir: a field may come from a file there, so none is required (None leaves them required)', () => {
    const f = facts(
      [
        'from pydantic_settings import BaseSettings, SettingsConfigDict',
        'class S(BaseSettings):',
        '    secret: str',
        '    model_config = SettingsConfigDict(env_file=".env", secrets_dir=initial.secrets_dir)',
        'class T(BaseSettings):',
        '    token: str',
        '    model_config = SettingsConfigDict(secrets_dir=None)',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), ['SECRET pydantic str', 'TOKEN pydantic required str']);
  });

  test('negative: plain BaseModel and unrelated classes are not settings', () => {
    assert.deepEqual(reads('from pydantic import BaseModel\nclass User(BaseModel):\n    name: str\nclass Thing:\n    token: str = "x"\n'), []);
  });
});

describe('django-environ, dj-database-url, python-dotenv, python-decouple', () => {
  test('Env scheme, typed getters, URL helpers with their default variables, read_env', () => {
    const f = facts(
      [
        'import environ',
        'env = environ.Env(DEBUG=(bool, False), ALLOWED_HOSTS=(list, []), PORT=int)',
        'environ.Env.read_env(".env")',
        'DEBUG = env("DEBUG")',
        'SECRET_KEY = env("SECRET_KEY")',
        'HOSTS = env.list("ALLOWED_HOSTS")',
        'PORT = env("PORT")',
        'TIMEOUT = env.int("TIMEOUT", default=30)',
        'FLAG = env.bool("FLAG", False)',
        'DATABASES = {"default": env.db()}',
        'OTHER = env.db_url("OTHER_DB_URL")',
        'CACHES = {"default": env.cache()}',
        'EMAIL = env.email_url(default="smtp://localhost")',
        'SEARCH = env.search_url()',
        'STATIC = env.path("STATIC_ROOT", default="/static")',
        'J = env.json("JSONCFG")',
        'S = env.str("NAME", multiline=True)',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), [
      'DEBUG django-environ bool ="False"',
      'SECRET_KEY django-environ required unknown',
      'ALLOWED_HOSTS django-environ list =([])',
      'PORT django-environ required int',
      'TIMEOUT django-environ int ="30"',
      'FLAG django-environ bool ="False"',
      'DATABASE_URL django-environ required url',
      'OTHER_DB_URL django-environ required url',
      'CACHE_URL django-environ required url',
      'EMAIL_URL django-environ url ="smtp://localhost"',
      'SEARCH_URL django-environ required url',
      'STATIC_ROOT django-environ path ="/static"',
      'JSONCFG django-environ required json',
      'NAME django-environ required str',
    ]);
    assert.deepEqual(f.loadsDotenv.map((d) => [r(d.range), d.path]), [['2:0-2:28', '.env']]);
    assert.equal(r(f.reads[6].name.range), '9:24-9:30', 'env.db(): the implicit name points at the callee');
  });

  test('a scheme splatted in: a dict literal is read; an imported one leaves names it may hold optional', () => {
    // DefectDojo: `env = environ.FileAwareEnv(DD_DEBUG=(bool, False), …, **AUDITLOG_ENV_SCHEMA)`.
    const f = facts(
      [
        'import environ',
        'from .audit import SCHEMA',
        'env = environ.Env(DEBUG=(bool, False), REQUIRED=(str,), **SCHEMA)',
        'A = env("DEBUG")',
        'B = env("REQUIRED")',
        'C = env("FROM_SCHEMA")',
        'env2 = environ.Env(**{"PORT": (int, 8000), "TOKEN": (str,)})',
        'D = env2.int("PORT")',
        'E = env2("TOKEN")',
        'F = env2("UNLISTED")',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), [
      'DEBUG django-environ bool ="False"',
      'REQUIRED django-environ required str',
      'FROM_SCHEMA django-environ unknown',
      'PORT django-environ int ="8000"',
      'TOKEN django-environ required str',
      'UNLISTED django-environ required unknown',
    ]);
    // Other modules' reads through the open instance are not required either.
    assert.deepEqual(f.helpers.map((h) => [h.name, h.reads.map((x) => x.required)]), [
      ['env', [false]],
      ['env2', [true]],
    ]);
  });

  test('Env imported by name, env.prefix, FileAwareEnv reads X_FILE as an alternative', () => {
    const f = facts(['from environ import Env, FileAwareEnv', 'env = Env()', 'env.prefix = "APP_"', 'A = env("A")', 'fenv = FileAwareEnv()', 'B = fenv("B")', 'Env.read_env()'].join('\n'));
    assert.deepEqual(readsSummary(f), ['APP_A django-environ required unknown', 'B django-environ required unknown', 'B_FILE django-environ path']);
    assert.deepEqual(f.reads[1].alternatives?.map((a) => a.name), ['B_FILE']);
    assert.equal(f.loadsDotenv.length, 1);
  });

  test('dj_database_url.config() reads DATABASE_URL (or env=); load_dotenv; decouple config()', () => {
    const f = facts(
      [
        'import dj_database_url',
        'from dotenv import load_dotenv, find_dotenv',
        'from decouple import config, Csv',
        'load_dotenv()',
        'load_dotenv(find_dotenv())',
        'load_dotenv(".env.local", override=True)',
        'A = dj_database_url.config(conn_max_age=600)',
        'B = dj_database_url.config(env="B_URL", default="sqlite://")',
        'C = config("SECRET_KEY")',
        'D = config("DEBUG", default=False, cast=bool)',
        'E = config("HOSTS", cast=Csv())',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), ['DATABASE_URL library url', 'B_URL library url ="sqlite://"', 'SECRET_KEY library required unknown', 'DEBUG library bool ="False"', 'HOSTS library required list']);
    assert.deepEqual(
      f.loadsDotenv.map((d) => d.path),
      [undefined, undefined, '.env.local', undefined].slice(0, f.loadsDotenv.length),
    );
    assert.equal(f.loadsDotenv.length, 4, 'three load_dotenv calls and decouple reading .env');
  });

  test('starlette Config: reads prefix + key from the environment, else the env file it loads; required without a default', () => {
    const f = facts(
      [
        'from starlette.config import Config',
        'from starlette.datastructures import CommaSeparatedStrings, Secret',
        'config = Config(".env", env_prefix="APP_")',
        'plain = Config()',
        'DEBUG = config("DEBUG", cast=bool, default=False)',
        'DATABASE_URL = config("DATABASE_URL")',
        'SECRET_KEY = config("SECRET_KEY", cast=Secret)',
        'HOSTS = config.get("ALLOWED_HOSTS", cast=CommaSeparatedStrings, default="")',
        'SESSION = config("SESSION_COOKIE", Secret, None)',
        'PORT = plain("PORT", int, 8000)',
        'VERCEL = Secret(config("VERCEL", default=""))',
        'local = Config(".env.local" if os.path.isfile(".env.local") else None)',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), [
      'APP_DEBUG library bool ="False"',
      'APP_DATABASE_URL library required unknown',
      'APP_SECRET_KEY library required unknown',
      'APP_ALLOWED_HOSTS library list =""',
      'APP_SESSION_COOKIE library unknown =null',
      'PORT library int ="8000"',
      'APP_VERCEL library unknown =""',
    ]);
    assert.deepEqual(f.reads.filter((x) => x.secret).map((x) => x.name.name), ['APP_SECRET_KEY', 'APP_SESSION_COOKIE', 'APP_VERCEL']);
    assert.deepEqual(f.loadsDotenv.map((d) => d.path), ['.env', '.env.local'], 'only an instance given a file loads one');
    // Another module's `from app.config import config`: calls of it read like the instance's.
    assert.deepEqual(f.helpers.map((h) => [h.name, h.reads.map((x) => `${x.prefix}{${x.paramName}} d=${x.defaultParam}${x.required ? ' required' : ''}`)]), [
      ['config', ['APP_{key} d=2 required']],
      ['plain', ['{key} d=2 required']],
      ['local', ['{key} d=2 required']],
    ]);
  });

  test('envparse: env(var, default, cast) and keyword-default getters; read_envfile loads .env; a schema gives casts and defaults', () => {
    const f = facts(
      [
        'from envparse import env, Env',
        'import envparse',
        'env.read_envfile()',
        'SECRET_KEY = env.str("SECRET_KEY", default=None)',
        'SERVER_NAME = env("SERVER_NAME", None)',
        'PORT = env("PORT", 8000, int)',
        'DEBUG = env.bool("DEBUG", default=False)',
        'DATABASE_URL = env("DATABASE_URL")',
        'HOSTS = envparse.env.list("HOSTS", default=[])',
        'typed = Env(MAIL_ENABLED=bool, SMTP_LOGIN=dict(cast=str, default="mail"), SMTP_PORT={"cast": int, "default": 25})',
        'MAIL = typed("MAIL_ENABLED")',
        'LOGIN = typed("SMTP_LOGIN")',
        'SMTP_PORT = typed("SMTP_PORT")',
        'Env.read_envfile("conf/.env")',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), [
      'SECRET_KEY library str =null',
      'SERVER_NAME library str =null',
      'PORT library int ="8000"',
      'DEBUG library bool ="False"',
      'DATABASE_URL library required str',
      'HOSTS library list =([])',
      'MAIL_ENABLED library required bool',
      'SMTP_LOGIN library str ="mail"',
      'SMTP_PORT library int ="25"',
    ]);
    assert.deepEqual(f.loadsDotenv.map((d) => d.path), [undefined, 'conf/.env']);
  });

  test('mitol.common.envs: keyword-only getters, typed; required only without a default; init_app_settings; get_features', () => {
    const f = facts(
      [
        'from mitol.common.envs import get_bool, get_delimited_list, get_features, get_int, get_string, init_app_settings',
        'import mitol.common.envs as menvs',
        'from mitol.common import envs',
        'init_app_settings(namespace="MITX", site_name="MITx Online")',
        'A = get_string(name="A_URL", default=None, description="d", required=True)',
        'B = get_string(name="B_ENV", default="dev", description="d", required=True)',
        'C = get_bool(name="C_FLAG", default=False, description="d")',
        'D = get_int(name="D_PORT", default=8000, description="d")',
        'E = get_delimited_list(name="E_HOSTS", default=[], description="d")',
        'F = envs.get_string(name="F_KEY", default="", description="d", required=True)',
        'G = menvs.env.get_int(name="G_N", default=1, description="d")',
        'H = get_string("H_POSITIONAL", default="x")',
        'FEATURES = get_features()',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), [
      'APP_SETTINGS_NAMESPACE library str ="MITX"',
      'SITE_NAME library str ="MITx Online"',
      'A_URL library required str =null',
      'B_ENV library str ="dev"',
      'C_FLAG library bool ="False"',
      'D_PORT library int ="8000"',
      'E_HOSTS library list =([])',
      'F_KEY library required str =""',
      'G_N library int ="1"',
    ]);
    assert.equal(f.passesWholeEnvironment.length, 1, 'get_features() reads every FEATURE_* variable');
    assert.ok(mayReadEnv('from mitol.common import envs\nX = envs.get_string(name=name, default="")\n'));
  });

  test('dynaconf: an instance reads prefix + key in upper case by attribute, item, get and as_* (never required); its prefix', () => {
    const f = facts(
      [
        'from dynaconf import Dynaconf',
        'settings = Dynaconf(envvar_prefix="myapp", settings_files=["settings.toml"])',
        'A = settings.get("LOG_LEVEL", "INFO")',
        'B = settings.as_bool("debug")',
        'C = settings["DATABASE_URL"]',
        'D = settings.app_name',
        'settings.validators.validate()',
        'E = int(settings.as_int("WORKERS", 2))',
        'F = settings.get(key_from_somewhere)',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), ['MYAPP_LOG_LEVEL library unknown ="INFO"', 'MYAPP_DEBUG library bool', 'MYAPP_DATABASE_URL library unknown', 'MYAPP_APP_NAME library unknown', 'MYAPP_WORKERS library int ="2"']);
    assert.equal(f.dynamicReads.length, 1, 'a key not known statically');
    assert.deepEqual(f.helpers.map((h) => [h.qualifiedName, h.methods, h.reads.map((x) => `${x.prefix}{${x.paramName}}${x.required ? ' required' : ''}`)]), [['settings', 'dynaconf', ['MYAPP_{key}']]]);
    // The default prefix is DYNACONF; envvar_prefix=False loads every variable as it is named; the legacy global instance.
    assert.deepEqual(reads('import dynaconf\nsettings = dynaconf.Dynaconf()\nA = settings.SECRET_KEY\n'), ['DYNACONF_SECRET_KEY library unknown']);
    assert.deepEqual(reads('from dynaconf import LazySettings\ns = LazySettings(envvar_prefix=False)\nA = s.redis_url\n'), ['REDIS_URL library unknown']);
    assert.deepEqual(reads('from dynaconf import settings\nA = settings.PORT\n'), ['DYNACONF_PORT library unknown']);
    // A prefix not known here, or several: no reads through it.
    assert.deepEqual(reads('from dynaconf import Dynaconf\ns = Dynaconf(envvar_prefix=PREFIX)\nA = s.X\nt = Dynaconf(envvar_prefix="A,B")\nB = t.Y\n'), []);
    // Another module's instance, read by attribute: a call of its __getattr__ for the model to resolve (UPPER_SNAKE names only).
    const other = facts('from app.config import settings\nA = settings.REDIS_URL\nB = settings.lower_name\n');
    assert.deepEqual(other.calls.map((c) => [c.callee, c.args.map((a) => a.name.name)]), [['settings.__getattr__', ['REDIS_URL']]]);
    assert.ok(mayReadEnv('from app.config import settings\nA = settings.REDIS_URL\n'));
    assert.ok(!mayReadEnv('from django.conf import settings\nA = settings.REDIS_URL\n'));
  });

  test("dynaconf's Django extension: each upper-case setting of the module may come from prefix + its name; .env loaded unless load_dotenv=False", () => {
    const pulp = facts('from dynaconf import DjangoDynaconf\nSECRET_KEY = "x"\nDEBUG: bool = False\nDEBUG = True\n  INDENTED = 1\nsettings = DjangoDynaconf(__name__, ENVVAR_PREFIX_FOR_DYNACONF="PULP", load_dotenv=False)\nurl = settings.REDIS_URL\n');
    assert.deepEqual(readsSummary(pulp), ['PULP_SECRET_KEY library unknown', 'PULP_DEBUG library unknown', 'PULP_REDIS_URL library unknown']);
    assert.deepEqual(pulp.loadsDotenv, []);
    const plain = facts('import dynaconf\nSECRET_KEY = "x"\ndynaconf.DjangoDynaconf(__name__)\n');
    assert.deepEqual(readsSummary(plain), ['DJANGO_SECRET_KEY library unknown']);
    assert.equal(plain.loadsDotenv.length, 1);
  });

  test('everett: ConfigManager instances read (namespace + key) in upper case, required without a default unless raise_error=False', () => {
    const f = facts(
      [
        'from everett.manager import ConfigManager, ConfigOSEnv, ConfigIniEnv, ListOf',
        '_config = ConfigManager.basic_config()',
        'SENTRY_DSN = _config("SENTRY_DSN", default="", doc="Sentry DSN or empty string")',
        'STATSD_PORT = _config("STATSD_PORT", default="8125", parser=int, doc="statsd port.")',
        'SECRET = _config("OIDC_RP_CLIENT_SECRET", doc="OIDC RP client secret.")',
        'HOSTS = _config("ALLOWED_HOSTS", parser=ListOf(str), raise_error=False)',
        'DB = _config("host", namespace="db")',
        'redis = _config.with_namespace("redis")',
        'R = redis("url", default="redis://")',
        'env_only = ConfigManager([ConfigOSEnv()])',
        'O = env_only("PLAIN")',
        'ini_only = ConfigManager([ConfigIniEnv("x.ini")])',
        'I = ini_only("NOT_FROM_ENV")',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), [
      'SENTRY_DSN library unknown =""',
      'STATSD_PORT library int ="8125"',
      'OIDC_RP_CLIENT_SECRET library required unknown',
      'ALLOWED_HOSTS library unknown',
      'DB_HOST library required unknown',
      'REDIS_URL library unknown ="redis://"',
      'PLAIN library required unknown',
    ]);
    assert.deepEqual(f.loadsDotenv.map((l) => l.path ?? '.env'), ['.env'], 'basic_config() loads .env');
    assert.deepEqual(f.helpers.map((h) => [h.qualifiedName, h.reads.map((x) => `${x.prefix}{${x.paramName}} d=${x.defaultParam}`)]), [
      ['_config', ['{key} d=2']],
      ['redis', ['REDIS_{key} d=2']],
      ['env_only', ['{key} d=2']],
    ]);
  });

  test("authlib's OAuth over a starlette Config: register(name) reads each client parameter it does not pass, optionally", () => {
    const f = facts(
      [
        'from starlette.config import Config',
        'from authlib.integrations.starlette_client import OAuth',
        'config = Config(".env", env_prefix="APP_")',
        'oauth = OAuth(config)',
        'oauth.register(name="google", server_metadata_url="https://accounts.google.com/.well-known/openid-configuration", client_kwargs={"scope": "openid"})',
        'oauth.register("gh", client_id="x", overwrite=True)',
        'bare = OAuth()',
        'bare.register("other")',
      ].join('\n'),
    );
    const names = f.reads.map((x) => `${x.name.name}${x.required ? ' required' : ''}`);
    assert.ok(names.includes('APP_GOOGLE_CLIENT_ID') && names.includes('APP_GOOGLE_CLIENT_SECRET'), names.join());
    assert.ok(!names.some((n) => /GOOGLE_(?:SERVER_METADATA_URL|CLIENT_KWARGS)/.test(n)), 'parameters the call passes are not read for');
    assert.ok(names.includes('APP_GH_CLIENT_ID'), 'overwrite=True reads every parameter');
    assert.equal(names.filter((n) => n.startsWith('APP_GOOGLE_')).length, 11);
    assert.ok(!names.some((n) => n.includes('OTHER') || n.endsWith(' required')), names.join());
  });

  test('django-configurations: a Value bound to a class attribute reads DJANGO_<NAME> (its source\'s rules for prefix, name, environ and required)', () => {
    const f = facts(
      [
        'from configurations import Configuration, values',
        'class Base(Configuration):',
        '    DEBUG = values.BooleanValue(False)',
        '    SECRET_KEY = values.SecretValue()',
        '    DATABASES = values.DatabaseURLValue("sqlite:///db.sqlite3")',
        '    ALLOWED_HOSTS = values.ListValue(["localhost"])',
        '    SENTRY_DSN = values.Value(None, environ_prefix=None)',
        '    API_TOKEN = values.Value(environ_required=True, environ_prefix="MYAPP_")',
        '    LOCAL_ONLY = values.Value("x", environ=False)',
        '    PORT = values.IntegerValue(8000, environ_name="APP_PORT")',
        'TIMEOUT = values.IntegerValue(5, environ_name="TIMEOUT")',
        'UNBOUND = values.Value("y")',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), [
      'DJANGO_DEBUG library bool ="False"',
      'DJANGO_SECRET_KEY library required str',
      'DATABASE_URL library url ="sqlite:///db.sqlite3"',
      'DJANGO_ALLOWED_HOSTS library list =(["localhost"])',
      'SENTRY_DSN library str =null',
      'MYAPP_API_TOKEN library required str',
      'DJANGO_APP_PORT library int ="8000"',
      'DJANGO_TIMEOUT library int ="5"',
    ]);
  });

  test('environs: same API, default as the second argument, read_env loads .env', () => {
    const f = facts(['from environs import Env', 'env = Env()', 'env.read_env()', 'A = env("A", "a")', 'B = env.int("B", 5)', 'C = env.list("C")', 'D = env.str(name="D")'].join('\n'));
    assert.deepEqual(readsSummary(f), ['A library unknown ="a"', 'B library int ="5"', 'C library required list', 'D library required str']);
    assert.equal(f.loadsDotenv.length, 1);
  });

  test('module-level readers are helpers for importing modules: Env instances, decouple config and AutoConfig / Config', () => {
    const helpers = (src: string) =>
      facts(src).helpers.map((h) => [h.qualifiedName, h.reads.map((x) => `${x.prefix}{${x.paramName}}${x.suffix} ${x.via}${x.required ? ' required' : ''} d=${x.defaultParam}`), h.methods ?? '-', h.optionalNames ?? []]);
    assert.deepEqual(helpers('import environ\nenv = environ.Env(DEBUG=(bool, False), HOSTS=(list, []), PORT=int)\nenv.prefix = "APP_"\n'), [
      ['env', ['{var} django-environ required d=2'], 'django-environ', ['DEBUG', 'HOSTS']],
      ['env', ['APP_{var} django-environ required d=2'], 'django-environ', ['DEBUG', 'HOSTS']],
    ]);
    assert.deepEqual(helpers('from environ import FileAwareEnv\nenv = FileAwareEnv()\n'), [['env', ['{var} django-environ d=2', '{var}_FILE django-environ d=2'], 'django-environ', []]]);
    assert.deepEqual(helpers('from environs import Env\nenv = Env()\n'), [['env', ['{name} library required d=1'], 'environs', []]]);
    assert.deepEqual(helpers('from decouple import config\n'), [['config', ['{option} library required d=1'], '-', []]]);
    assert.deepEqual(helpers('import decouple\nconfig = decouple.AutoConfig(search_path="conf")\nA = config("A_KEY")\n'), [['config', ['{option} library required d=1'], '-', []]]);
    assert.deepEqual(reads('from decouple import Config, RepositoryEnv\ncfg = Config(RepositoryEnv(".env"))\nB = cfg("B_KEY", default="b")\nC = cfg("C_KEY")\n'), ['B_KEY library unknown ="b"', 'C_KEY library required unknown']);
    // Bound inside a function, or to something else: not importable readers.
    assert.deepEqual(helpers('import environ\ndef f():\n    env = environ.Env()\n    return env("X")\nconfig = dict()\n'), []);
  });

  test('pydantic Settings(_env_file=...) loads that file', () => {
    const f = facts('from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    a: int = 1\ns = S(_env_file="prod.env")\n');
    assert.deepEqual(f.loadsDotenv.map((d) => d.path), ['prod.env']);
  });

  test('a settings class the module builds with fields passed in: those reads are not required (mealie)', () => {
    const cls = 'from pydantic_settings import BaseSettings\nclass Base(BaseSettings):\n    TOKEN: str\nclass S(Base):\n    SECRET: str\n    SESSION_SECRET: str\n    HOST: str\n';
    const required = (src: string) => facts(src).reads.filter((x) => x.required).map((x) => x.name.name);
    assert.deepEqual(required(cls), ['TOKEN', 'SECRET', 'SESSION_SECRET', 'HOST']);
    assert.deepEqual(required(`${cls}s = S(_env_file=".env")\n`), ['TOKEN', 'SECRET', 'SESSION_SECRET', 'HOST'], 'options are not fields');
    const named = facts(`${cls}def make(x):\n    return S(SECRET=x, TOKEN=x)\n`);
    assert.deepEqual(named.reads.filter((x) => x.required).map((x) => x.name.name), ['SESSION_SECRET', 'HOST']);
    assert.deepEqual(r(named.reads.find((x) => x.name.name === 'SECRET')!.passedIn!), '8:11-8:31');
    // `**values` may pass any field: none is required; the same on a second extraction (a module-level call is never replayed).
    clearEnvCaches();
    const splat = `${cls}values = {"SECRET": "x"}\nsettings = S(**values)\n`;
    assert.deepEqual(required(splat), []);
    assert.deepEqual(required(splat), []);
    // Another class's call passes nothing to this one.
    assert.deepEqual(required(`${cls}class Other(BaseSettings):\n    A: str\nother = Other(**values)\n`), ['TOKEN', 'SECRET', 'SESSION_SECRET', 'HOST']);
  });

  test('dotenv_values: the dict it returns is how the app reads that file, so the file counts as loaded; only when bound', () => {
    const f = facts('import dotenv\nconfig = dotenv.dotenv_values(".env.shared")\nX = config["DATABASE_URL"]\nmerged = {**dotenv_values(".env.secret"), "MODE": "x"}\n');
    // (`dotenv_values` alone is not imported there: `merged` loads nothing.)
    assert.deepEqual(f.loadsDotenv.map((d) => d.path), ['.env.shared']);
    assert.deepEqual(readsSummary(f), ['DATABASE_URL environ-subscript required unknown']);
    // A call whose dict is not kept loads nothing.
    assert.deepEqual(facts('from dotenv import dotenv_values\nprint(dotenv_values(".env"))\n').loadsDotenv, []);
    // Which file a run-time path or a stream reads is unknown: nothing loaded, nothing read through it.
    const unknown = facts('import os\nfrom io import StringIO\nfrom dotenv import dotenv_values\na = dotenv_values(os.path.join("a", ".env"))\nb = dotenv_values(stream=StringIO("X=1"))\nA = a["A_X"]\nB = b["B_Y"]\n');
    assert.deepEqual([unknown.loadsDotenv, unknown.reads], [[], []]);
  });
});

describe('templated and broken input', () => {
  test('Jinja in a .py file: names with template syntax are dynamic, the rest is still read', () => {
    const f = facts(
      [
        '{% if cookiecutter.use_env == "y" %}',
        'import os',
        'SECRET = os.environ["{{ cookiecutter.project_slug|upper }}_SECRET"]',
        'DEBUG = {{ cookiecutter.debug }}',
        '{% endif %}',
        'X = os.environ.get("REAL_ONE")',
        'def f({{ args }}):',
        '    return os.getenv("IN_F")',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), ['REAL_ONE environ-get unknown', 'IN_F getenv unknown']);
    assert.equal(f.dynamicReads.length, 1);
  });

  test('half-typed code still yields the complete reads', () => {
    assert.deepEqual(reads('import os\nA = os.environ["A"]\nB = os.environ.get("B",\nC = os.getenv("C")\n'), ['A environ-subscript required unknown', 'C getenv unknown'].filter((x) => x));
  });
});

describe('mayReadEnv', () => {
  test('true for files with anything to extract', () => {
    for (const s of [
      'import os\nos.environ["X"]',
      'from os import getenv',
      'class S(BaseSettings): pass',
      'app.config.from_prefixed_env()',
      'env = environ.Env()',
      'x = env("X")',
      'load_dotenv()',
      'DB_VAR = "DATABASE_URL"',
      'PREFIX = "app"',
      'get_env_variable("SECRET_KEY")',
      'x = app.config["A"]',
    ]) {
      assert.equal(mayReadEnv(s), true, s);
    }
  });

  test('false for code with none of it', () => {
    for (const s of ['def add(a, b):\n    return a + b\n', 'x = "lower case"\nprint(x)\n', '']) assert.equal(mayReadEnv(s), false, s);
  });
});

describe('module-level statements replayed from an earlier extraction', () => {
  test('a statement means something else when a name it uses changed above it', () => {
    clearEnvCaches();
    const tail = '\nX = os.environ[PREFIX + "X"]\nprint(SECRET)\nY = env("Y")\nZ = os.environ[DB_VAR]\n';
    const a = facts(`import os, environ\nPREFIX = "A_"\nSECRET = os.environ["SECRET_KEY"]\nenv = environ.Env()\nenv.prefix = "P_"${tail}`);
    assert.deepEqual(readsSummary(a), ['SECRET_KEY environ-subscript required unknown', 'A_X environ-subscript required unknown', 'P_Y django-environ required unknown']);
    assert.equal(a.dynamicReads.length, 1);
    const b = facts(`import os, environ\nfrom .names import *\nPREFIX = "B_"\nSECRET = "literal"\nenv = environ.Env()${tail}`);
    assert.deepEqual(readsSummary(b), ['B_X environ-subscript required unknown', 'Y django-environ required unknown', '{DB_VAR} environ-subscript required unknown']);
    assert.deepEqual(b.logged, [], 'SECRET no longer holds a read value');
    assert.deepEqual(b.dynamicReads, []);
  });

  test('replayed statements carry their own new ranges', () => {
    clearEnvCaches();
    const body = 'import os\nA = os.environ["A"]\nB = os.getenv("B", "b")\n';
    const first = facts(body);
    const moved = facts(`# a comment line\n\n${body}`);
    assert.deepEqual(
      moved.reads.map((x) => [r(x.range), r(x.name.range), x.default ? r(x.default.range) : '']),
      first.reads.map((x) => [r({ start: { line: x.range.start.line + 2, character: x.range.start.character }, end: { line: x.range.end.line + 2, character: x.range.end.character } }), r({ start: { line: x.name.range.start.line + 2, character: x.name.range.start.character }, end: { line: x.name.range.end.line + 2, character: x.name.range.end.character } }), x.default ? r({ start: { line: x.default.range.start.line + 2, character: x.default.range.start.character }, end: { line: x.default.range.end.line + 2, character: x.default.range.end.character } }) : '']),
    );
  });
});
