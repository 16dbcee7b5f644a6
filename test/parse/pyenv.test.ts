// Environment-variable facts from Python modules (parse/pythonEnv.ts): every form the twelve-factor
// issue lists, positive and negative, with exact ranges where they matter.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clearEnvCaches, isSensitiveEnvName, mayReadEnv } from '../../server/src/parse/pythonEnv';
import type { PyEnvRead, PythonEnvFacts } from '../../server/src/parse/envTypes';
import { envFacts, initEnvParser, r, readsSummary } from './pyenv.helpers';
import { marked } from './python.helpers';

before(initEnvParser);

function facts(src: string): PythonEnvFacts {
  const { facts, errors } = envFacts(src);
  assert.deepEqual(errors, [], 'no extraction errors');
  return facts;
}

function reads(src: string): string[] {
  return readsSummary(facts(src));
}

function one(src: string): PyEnvRead {
  const f = facts(src);
  assert.equal(f.reads.length, 1, `one read expected, got ${readsSummary(f).join(' | ') || 'none'}`);
  return f.reads[0];
}

describe('os.environ and getenv', () => {
  test('subscript is a required read; get/getenv are optional with their default', () => {
    assert.deepEqual(
      reads(
        [
          'import os',
          'A = os.environ["A"]',
          "B = os.environ.get('B')",
          'C = os.environ.get("C", "c-default")',
          'D = os.getenv("D", default="d")',
          'E = os.environ.get(key="E", default=None)',
          'F = os.environ.pop("F")',
        ].join('\n'),
      ),
      ['A environ-subscript required unknown', 'B environ-get unknown', 'C environ-get unknown ="c-default"', 'D getenv unknown ="d"', 'E environ-get unknown =null', 'F environ-get required unknown'],
    );
  });

  test('`or` gives an optional read its default (Flask config classes write it so)', () => {
    assert.deepEqual(
      reads(
        [
          'import os',
          'class Config:',
          "    SECRET_KEY = os.environ.get('SECRET_KEY') or 'hard to guess string'",
          '    PORT = int(os.getenv("PORT") or 8000)',
          '    TOKEN = os.environ["TOKEN"] or "x"',
          '    A = os.getenv("A", "given") or "other"',
          '    B = os.getenv("B") and "x"',
        ].join('\n'),
      ),
      [
        'SECRET_KEY environ-get unknown ="hard to guess string"',
        'PORT getenv int ="8000"',
        'TOKEN environ-subscript required unknown',
        'A getenv unknown ="given"',
        'B getenv unknown',
      ],
    );
  });

  test('exact ranges: the name is the literal, the read is the whole expression', () => {
    const { text, at } = marked('import os\nSECRET_KEY = ⟨read|os.environ.get(⟨name|"SECRET_KEY"⟩, ⟨def|"secret_key"⟩)⟩\n');
    const x = one(text);
    assert.equal(r(x.range), r(at.read));
    assert.equal(r(x.name.range), r(at.name));
    assert.deepEqual(x.default, { text: '"secret_key"', value: 'secret_key', range: at.def });
  });

  test('ranges count UTF-16 code units after non-ASCII text', () => {
    const { text, at } = marked('import os\nπ = "🍏"; X = ⟨read|os.environ[⟨name|"ETE_X"⟩]⟩\n');
    const x = one(text);
    assert.equal(r(x.range), r(at.read));
    assert.equal(r(x.name.range), r(at.name));
    assert.equal(at.read.start.character, 14, 'π counts one code unit, the apple two');
    const odd = facts('import os\nX = os.environ["ÉTÉ 🍏"]\n');
    assert.deepEqual(odd.reads, [], 'a name with spaces or symbols is not a plausible variable name');
    assert.equal(odd.dynamicReads.length, 1);
  });

  test('from os import environ / getenv, with any alias, and import os as o', () => {
    assert.deepEqual(
      reads(['from os import environ as ENV, getenv as ge', 'import os as o', 'A = ENV["A"]', 'B = ge("B")', 'C = o.environ.get("C")', 'D = o.getenv("D")'].join('\n')),
      ['A environ-subscript required unknown', 'B getenv unknown', 'C environ-get unknown', 'D getenv unknown'],
    );
  });

  test('an alias assigned from os.environ reads the environment', () => {
    assert.deepEqual(reads('import os\nE = os.environ\nX = E["X"]\nget = os.getenv\nY = get("Y")\n'), ['X environ-subscript required unknown', 'Y getenv unknown']);
  });

  test('"X" in os.environ, not in, in os.environ.keys(), setdefault', () => {
    assert.deepEqual(
      reads('import os\nif "A" in os.environ: pass\nif "B" not in os.environ.keys(): pass\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")\n'),
      ['A contains unknown', 'B contains unknown', 'DJANGO_SETTINGS_MODULE setdefault unknown ="app.settings"'],
    );
  });

  test('negative: other mappings, methods and names that only look alike', () => {
    assert.deepEqual(
      reads(
        [
          'import os',
          'environ_like = {}',
          'A = environ_like["A"]',
          'B = request.environ.get("B")',
          'C = os.path.join("C", "D")',
          'D = config.get("D")',
          'del os.environ["E"]',
          'n = len(os.environ)',
          'keys = sorted(os.environ)',
          '# os.environ["COMMENTED"]',
          's = "os.environ[\'IN_STRING\']"',
        ].join('\n'),
      ),
      [],
    );
  });

  test('a bound name shadows the canonical one', () => {
    assert.deepEqual(reads('def app(environ, start_response):\n    return environ.get("PATH_INFO")\n'), []);
    assert.deepEqual(reads('import environ\nX = environ.get("X")\n'), []);
  });
});

describe('typed wrappers', () => {
  test('int, float, bool, json.loads, strtobool, adapters, split, .lower() in (...)', () => {
    assert.deepEqual(
      reads(
        [
          'import os, json',
          'from json import loads',
          'from distutils.util import strtobool',
          'A = int(os.environ["A"])',
          'B = float(os.getenv("B", "1.5"))',
          'C = json.loads(os.environ.get("C", "{}"))',
          'D = loads(os.environ["D"])',
          'E = strtobool(os.getenv("E", "false"))',
          'F = env_adapter.bool(os.getenv("F"))',
          'G = os.getenv("G", "").lower() in ("1", "true", "yes")',
          'H = os.environ.get("H", "").split(",")',
          'I = os.environ.get("I") == "true"',
          'J = os.environ.get("J") == "production"',
          'K = int(os.getenv("K") or 5)',
        ].join('\n'),
      ),
      [
        'A environ-subscript required int',
        'B getenv float ="1.5"',
        'C environ-get json ="{}"',
        'D environ-subscript required json',
        'E getenv bool ="false"',
        'F getenv bool',
        'G getenv bool =""',
        'H environ-get list =""',
        'I environ-get bool',
        'J environ-get unknown',
        'K getenv int ="5"',
      ],
    );
  });
});

describe('names built from constants, f-strings and imports', () => {
  test('module constants, concatenation, f-strings, % and format', () => {
    assert.deepEqual(
      reads(
        [
          'import os',
          'PREFIX = "FLASK"',
          'NAME = "TOKEN"',
          'N = 2',
          'A = os.environ[f"{PREFIX}_{NAME}"]',
          'B = os.getenv(PREFIX + "_" + NAME)',
          'C = os.getenv("%s_DEBUG" % PREFIX)',
          'D = os.getenv("{}_PORT".format(PREFIX))',
          'E = os.getenv(f"WORKER_{N}")',
          'F = os.getenv("app_mode".upper())',
          'G = os.getenv("A" "B")',
        ].join('\n'),
      ),
      ['FLASK_TOKEN environ-subscript required unknown', 'FLASK_TOKEN getenv unknown', 'FLASK_DEBUG getenv unknown', 'FLASK_PORT getenv unknown', 'WORKER_2 getenv unknown', 'APP_MODE getenv unknown', 'AB getenv unknown'],
    );
  });

  test('imported constants stay parts for the model; consts and imports are emitted for other modules', () => {
    const f = facts(['import os', 'from .names import DB_VAR, PREFIX as P', 'import app.names as names', 'A = os.environ[DB_VAR]', 'B = os.getenv(f"{P}_KEY")', 'C = os.getenv(names.OTHER)', 'LOCAL = "X_" + "Y"'].join('\n'));
    assert.deepEqual(
      f.reads.map((x) => x.name.parts),
      [[{ kind: 'import', local: 'DB_VAR' }], [{ kind: 'import', local: 'P' }, { kind: 'lit', value: '_KEY' }], [{ kind: 'import', local: 'names.OTHER' }]],
    );
    assert.deepEqual(
      f.imports.map((i) => [i.module, i.names, i.local]),
      [
        ['os', [], 'os'],
        ['.names', [{ name: 'DB_VAR', local: 'DB_VAR' }, { name: 'PREFIX', local: 'P' }], undefined],
        ['app.names', [], 'names'],
      ],
    );
    assert.deepEqual(f.consts.map((c) => [c.name, c.value, r(c.range)]), [['LOCAL', 'X_Y', '6:0-6:5']]);
  });

  test('a constant built from an import keeps its parts', () => {
    const f = facts('import os\nfrom .base import PREFIX\nDB_VAR = PREFIX + "_DB"\nX = os.environ[DB_VAR]\n');
    assert.deepEqual(f.reads[0].name.parts, [{ kind: 'import', local: 'PREFIX' }, { kind: 'lit', value: '_DB' }]);
    assert.deepEqual(f.consts, []);
  });

  test('unbound UPPER names under a star import are import parts; lower-case ones are dynamic', () => {
    const f = facts('import os\nfrom .base import *\nX = os.environ[DB_VAR]\nY = os.environ[db_var]\n');
    assert.deepEqual(f.reads[0].name.parts, [{ kind: 'import', local: 'DB_VAR' }]);
    assert.equal(f.dynamicReads.length, 1);
    assert.deepEqual(f.imports[1].names, [{ name: '*', local: '*' }]);
  });

  test('names not known statically are dynamic and never reads', () => {
    const { text, at } = marked(
      [
        'import os',
        'if DEBUG:',
        '    DB_VAR = "DEV_DB"',
        'else:',
        '    DB_VAR = "PROD_DB"',
        'A = ⟨a|os.environ[DB_VAR]⟩',
        'for name in ["X", "Y"]:',
        '    B = ⟨b|os.getenv(name)⟩',
        'C = ⟨c|os.environ[get_name()]⟩',
        'D = ⟨d|os.environ[f"{x!r}"]⟩',
        'E = ⟨e|os.environ.get(b"BYTES")⟩',
      ].join('\n'),
    );
    const f = facts(text);
    assert.deepEqual(f.reads, []);
    assert.deepEqual(f.dynamicReads.map(r), ['a', 'b', 'c', 'd', 'e'].map((k) => r(at[k])));
  });

  test('a constant reassigned by a statement without markers is no longer known', () => {
    const f = facts('import os\nNAME = "A"\nNAME = compute()\nX = os.environ[NAME]\n');
    assert.deepEqual(f.reads, []);
    assert.equal(f.dynamicReads.length, 1);
    assert.deepEqual(f.consts, []);
  });
});

describe('helpers', () => {
  test('a function passing its parameter to a read is a helper; envsecret reads NAME_FILE too', () => {
    const f = facts(
      [
        'import os',
        'from django.core.exceptions import ImproperlyConfigured',
        'def get_env_variable(var_name):',
        '    try:',
        '        return os.environ[var_name]',
        '    except KeyError:',
        '        raise ImproperlyConfigured("Set the %s environment variable" % var_name)',
        '',
        'def envsecret(name, default=None):',
        '    path = os.environ.get(name + "_FILE")',
        '    if path:',
        '        with open(path) as fh:',
        '            return fh.read().strip()',
        '    return os.environ.get(name, default)',
        '',
        'def env_int(name, default=0):',
        '    return int(os.getenv(f"APP_{name}", default))',
        '',
        'SECRET_KEY = get_env_variable("SECRET_KEY")',
        'DB_PASSWORD = envsecret("DB_PASSWORD", "x")',
      ].join('\n'),
    );
    assert.deepEqual(f.reads, [], 'helper bodies are not reads of a variable named like the parameter');
    assert.deepEqual(f.dynamicReads, []);
    assert.deepEqual(
      f.helpers.map((h) => [h.qualifiedName, r(h.range), h.reads.map((x) => `${x.param}:${x.prefix}<${x.paramName}>${x.suffix} ${x.via}${x.required ? ' required' : ''} ${x.parse} d=${x.defaultParam}`)]),
      [
        ['get_env_variable', '2:4-2:20', ['0:<var_name> environ-subscript required unknown d=undefined']],
        ['envsecret', '8:4-8:13', ['0:<name>_FILE environ-get unknown d=undefined', '0:<name> environ-get unknown d=1']],
        ['env_int', '15:4-15:11', ['0:APP_<name> getenv int d=1']],
      ],
    );
    assert.deepEqual(
      f.calls.map((c) => [c.callee, c.args.map((a) => `${a.index}=${a.name.name}`), c.argCount, c.keywords]),
      [
        ['get_env_variable', ['0=SECRET_KEY'], 1, []],
        ['envsecret', ['0=DB_PASSWORD'], 2, []],
      ],
    );
  });

  test('methods skip self; local variables and nested helpers are followed', () => {
    const f = facts(
      [
        'import os',
        'class Env:',
        '    def get(self, key, default=None):',
        '        full = "APP_" + key',
        '        return os.environ.get(full, default)',
        '    @staticmethod',
        '    def raw(key):',
        '        return os.environ[key]',
        'def get_env(name, default=None):',
        '    return os.getenv(name, default)',
        'def get_secret(name):',
        '    return get_env(name + "_SECRET")',
      ].join('\n'),
    );
    assert.deepEqual(
      f.helpers.map((h) => [h.qualifiedName, h.reads.map((x) => `${x.param}:${x.prefix}*${x.suffix}${x.defaultParam !== undefined ? ` d${x.defaultParam}` : ''}`)]),
      [
        ['Env.get', ['0:APP_* d1']],
        ['Env.raw', ['0:*']],
        ['get_env', ['0:* d1']],
        ['get_secret', ['0:*_SECRET']],
      ],
    );
  });

  test('candidate calls: UPPER_SNAKE literals, constants, imports, wrappers; not lower-case strings or builtins', () => {
    const f = facts(
      [
        'from .settings import get_env_variable, DB_VAR',
        'from . import utils',
        'NAME = "API_KEY"',
        'A = int(utils.get_env_variable("PORT", default=8000))',
        'B = get_env_variable(NAME)',
        'C = get_env_variable(DB_VAR)',
        'D = get_env_variable("not a name")',
        'E = getattr(settings, "DEBUG")',
        'F = print("HELLO")',
      ].join('\n'),
    );
    assert.deepEqual(
      f.calls.map((c) => [c.callee, c.args.map((a) => a.name.name ?? JSON.stringify(a.name.parts)), c.keywords, c.parse]),
      [
        ['utils.get_env_variable', ['PORT'], ['default'], 'int'],
        ['get_env_variable', ['API_KEY'], [], 'unknown'],
        ['get_env_variable', ['[{"kind":"import","local":"DB_VAR"}]'], [], 'unknown'],
      ],
    );
  });
});

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
      'APP_api_token pydantic required str',
      'APP_debug pydantic bool ="False"',
      'SERVICE_NAME pydantic str ="svc"',
      'URL_A pydantic str =null',
      'URL_B pydantic str =null',
      'APP_hosts pydantic json =([])',
      'APP_db pydantic json =(Database())',
      'APP_db__host pydantic str',
      'APP_db__port pydantic int',
      'APP_password pydantic str ="hunter2"',
      'APP_limit pydantic required int',
      'APP_CONSTANT pydantic unknown ="1"',
    ]);
    const token = f.reads[0];
    assert.equal(token.caseInsensitive, true);
    assert.deepEqual(token.field, { className: 'Settings', field: 'api_token', secretType: true });
    assert.equal(r(token.name.range), '8:4-8:13');
    assert.equal(r(token.range), '8:4-8:24');
    assert.deepEqual(f.reads[3].alternatives?.map((a) => a.name), ['URL_B']);
    assert.deepEqual(f.reads[6].alternatives?.map((a) => a.name), ['APP_db__host', 'APP_db__port']);
    assert.deepEqual(f.reads[7].alternatives?.map((a) => a.name), ['APP_db']);
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

  test('environs: same API, default as the second argument, read_env loads .env', () => {
    const f = facts(['from environs import Env', 'env = Env()', 'env.read_env()', 'A = env("A", "a")', 'B = env.int("B", 5)', 'C = env.list("C")', 'D = env.str(name="D")'].join('\n'));
    assert.deepEqual(readsSummary(f), ['A library unknown ="a"', 'B library int ="5"', 'C library required list', 'D library required str']);
    assert.equal(f.loadsDotenv.length, 1);
  });

  test('pydantic Settings(_env_file=...) loads that file', () => {
    const f = facts('from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    a: int = 1\ns = S(_env_file="prod.env")\n');
    assert.deepEqual(f.loadsDotenv.map((d) => d.path), ['prod.env']);
  });

  test('negative: dotenv_values does not load into the environment', () => {
    assert.deepEqual(facts('from dotenv import dotenv_values\nconfig = dotenv_values(".env")\n').loadsDotenv, []);
  });
});

describe('writes provide, they do not read', () => {
  test('subscript assignment, update, putenv (Diffgram secrets.py style)', () => {
    const { text, at } = marked(
      [
        'import os',
        'if DIFFGRAM_SYSTEM_MODE in ["testing_e2e", "testing"]:',
        "    ⟨w1|os.environ[⟨n1|'USER_PASSWORDS_SECRET'⟩] = ⟨v1|'secret_for_test_env'⟩⟩",
        "elif DIFFGRAM_SYSTEM_MODE == 'sandbox':",
        "    os.environ['SECRET_KEY'] = make_key()",
        'os.environ.update({"A": "1"}, B="2")',
        'os.putenv("C", "3")',
        'os.environ[name] = "dynamic"',
      ].join('\n'),
    );
    const f = facts(text);
    assert.deepEqual(f.reads, []);
    assert.deepEqual(f.dynamicReads, []);
    assert.deepEqual(
      f.writes.map((w) => [w.name.name, w.value?.value]),
      [
        ['USER_PASSWORDS_SECRET', 'secret_for_test_env'],
        ['SECRET_KEY', undefined],
        ['A', '1'],
        ['B', '2'],
        ['C', '3'],
      ],
    );
    assert.equal(r(f.writes[0].range), r(at.w1));
    assert.equal(r(f.writes[0].name.range), r(at.n1));
    assert.equal(r(f.writes[0].value!.range), r(at.v1));
  });

  test('augmented assignment both reads and writes', () => {
    const f = facts('import os\nos.environ["PATH"] += ":/opt/bin"\n');
    assert.deepEqual(readsSummary(f), ['PATH environ-subscript required unknown']);
    assert.deepEqual(f.writes.map((w) => w.name.name), ['PATH']);
  });
});

describe('logging of sensitive values', () => {
  test('direct, through module and local names; not through bool/len/is None/if', () => {
    const { text, at } = marked(
      [
        'import os, logging',
        'logger = logging.getLogger(__name__)',
        'SECRET_KEY = os.environ.get("SECRET_KEY", "dev")',
        'DEBUG = os.environ.get("DEBUG")',
        '⟨p1|print(SECRET_KEY)⟩',
        'print(DEBUG)',
        'print(bool(SECRET_KEY), len(SECRET_KEY), SECRET_KEY is None, "set" if SECRET_KEY else "unset")',
        'def connect():',
        '    password = os.environ["DB_PASSWORD"]',
        '    ⟨p2|logger.info("connecting with %s", password)⟩',
        '    logger.debug("password set: %s", password is not None)',
        '    if password:',
        '        logger.info("have a password")',
        '    ⟨p3|logging.warning(f"token={os.getenv(\'API_TOKEN\')}")⟩',
        '    ⟨p4|app.logger.error("db " + os.environ["DATABASE_URL"])⟩',
        '    logger.info(mask(password))',
      ].join('\n'),
    );
    const f = facts(text);
    assert.deepEqual(
      f.logged.map((l) => [r(l.range), l.callee, l.names.map((n) => n.name), l.wholeEnvironment]),
      [
        [r(at.p1), 'print', ['SECRET_KEY'], false],
        [r(at.p2), 'logger.info', ['DB_PASSWORD'], false],
        [r(at.p3), 'logging.warning', ['API_TOKEN'], false],
        [r(at.p4), 'app.logger.error', ['DATABASE_URL'], false],
      ],
    );
  });

  test('the whole environment printed or logged', () => {
    const f = facts(['import os', 'from pprint import pprint', 'print(os.environ)', 'logger.info(dict(os.environ))', 'pprint(os.environ.items())', 'print(list(os.environ))', 'print(os.environ.keys())'].join('\n'));
    assert.deepEqual(
      f.logged.map((l) => [l.callee, l.wholeEnvironment]),
      [
        ['print', true],
        ['logger.info', true],
        ['pprint', true],
      ],
    );
    assert.deepEqual(f.passesWholeEnvironment, [], 'logged is not also passed on');
  });

  test('isSensitiveEnvName', () => {
    for (const s of ['SECRET_KEY', 'DB_PASSWORD', 'API_TOKEN', 'AWS_ACCESS_KEY_ID', 'db_pass', 'FERNET_KEY', 'SENTRY_DSN', 'DATABASE_URL', 'apiKey', 'GOOGLE_CREDENTIALS', 'AZURE_CONNECTION_STRING', 'POSTGRESQL_DB_CONNECT_STRING']) {
      assert.equal(isSensitiveEnvName(s), true, s);
    }
    for (const s of ['DEBUG', 'PORT', 'PASSENGER_COUNT', 'KEYBOARD', 'ALLOWED_HOSTS', 'LOG_LEVEL', 'TOKENIZER_MODEL']) assert.equal(isSensitiveEnvName(s), false, s);
  });
});

describe('the whole environment handed on', () => {
  test('subprocess env=, dict(os.environ) / copy() assigned, iteration', () => {
    const { text, at } = marked(
      [
        'import os, subprocess',
        'subprocess.run(["ls"], env=⟨a|os.environ⟩)',
        'e = ⟨b|dict(os.environ)⟩',
        'e2 = ⟨c|os.environ.copy()⟩',
        'e3 = ⟨d|{**os.environ, "X": "1"}⟩',
        'for k, v in ⟨e|os.environ.items()⟩:',
        '    pass',
        'Y = e["Y"]',
      ].join('\n'),
    );
    const f = facts(text);
    assert.deepEqual(f.passesWholeEnvironment.map(r), ['a', 'b', 'c', 'd', 'e'].map((k) => r(at[k])));
    assert.deepEqual(readsSummary(f), ['Y environ-subscript required unknown'], 'a read through a copy still reads the environment');
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
