// Environment-variable facts from Python modules (parse/pythonEnv.ts): os.environ and getenv in
// every spelling, wrappers, names, helpers, writes, logging, whole-environment hand-offs; positive
// and negative, with exact ranges where they matter.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isSensitiveEnvName } from '../../server/src/parse/pythonEnv';
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

describe('Figgy FigStore class bodies', () => {
  test('reads and calls by a literal name are found there; Figs among call arguments are not names', () => {
    const f = facts(
      [
        'import os',
        'from figgy.figs import *',
        'from figgy.fig_store import FigStore',
        'from .helpers import get_env',
        'APP = "payments"',
        'class Figs(FigStore):',
        '    TWIG = f"/app/{APP}"',
        '    DB_USER = SharedFig("replicated/sql/user")',
        '    DB_URL = MergeFig(name="sql-url", pattern=["mysql://", DB_USER])',
        '    REGION = AppFig("region", default=os.environ.get("AWS_REGION", "eu-west-1"))',
        '    TOKEN = AppFig(get_env("APP_TOKEN"))',
        '    PATHED = AppFig(FIRST + "/" + SECOND)',
        '',
      ].join('\n'),
    );
    assert.deepEqual(readsSummary(f), ['AWS_REGION environ-get unknown ="eu-west-1"']);
    assert.deepEqual(f.calls.map((c) => c.callee), ['get_env']);
    assert.deepEqual(f.consts.map((c) => c.name), ['APP']);
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

  test('setdefault on os.environ reads and writes; a loop over a dict of defaults sets each entry; a run-time name is a dynamic write (python-discord site)', () => {
    const f = facts('import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\nDEFAULTS = {"SUPER_USERNAME": "admin", "DEBUG": True}\nfor key, value in DEFAULTS.items():\n    os.environ.setdefault(key, value)\n    os.environ[key + "_X"] = value\nfor k in DEFAULTS:\n    os.environ[k] = "1"\nos.environ.update(DEFAULTS)\nos.environ.update(load_values())\n');
    assert.deepEqual(f.writes.map((w) => [w.name.name, w.value?.value, w.range.start.line]), [
      ['DJANGO_SETTINGS_MODULE', 'site.settings', 1],
      ['SUPER_USERNAME', 'admin', 4],
      ['DEBUG', undefined, 4],
      ['SUPER_USERNAME', '1', 7],
      ['DEBUG', '1', 7],
      ['SUPER_USERNAME', 'admin', 8],
      ['DEBUG', undefined, 8],
    ]);
    assert.deepEqual(f.reads.map((r) => [r.name.name, r.via, r.range.start.line]), [
      ['DJANGO_SETTINGS_MODULE', 'setdefault', 1],
      ['SUPER_USERNAME', 'setdefault', 4],
      ['DEBUG', 'setdefault', 4],
    ]);
    assert.deepEqual(f.dynamicWrites.map((x) => x.start.line), [5, 9]);
    // Bound conditionally, or computed: the loop's names are known only at run time.
    const cond = facts('import os\nif X:\n    D = {"A_B": "1"}\nfor k, v in D.items():\n    os.environ.setdefault(k, v)\n');
    assert.deepEqual([cond.writes, cond.dynamicWrites.length], [[], 1]);
    // A copy's setdefault sets nothing in the environment; a literal that is no variable name is nothing.
    const copy = facts('import os\nenv = os.environ.copy()\nenv.setdefault("A_B", "1")\nos.environ["not a name"] = "1"\n');
    assert.deepEqual(copy.writes, []);
    assert.deepEqual(copy.dynamicWrites, []);
  });

  test('a read in a try whose handler lets a missing variable pass is optional; one whose handler raises or exits stays required (paws-data-pipeline)', () => {
    const req = (src: string) => facts(`import os, sys\n${src}`).reads.map((r) => `${r.name.name} ${r.required}`);
    assert.deepEqual(req('try:\n    A = os.environ["A"]\n    B = os.environ["B"]\nexcept KeyError:\n    logger.critical("no secrets")\n'), ['A false', 'B false']);
    assert.deepEqual(req('try:\n    A = os.environ["A"]\nexcept Exception:\n    A = None\n'), ['A false']);
    assert.deepEqual(req('try:\n    A = os.environ["A"]\nexcept (ValueError, LookupError):\n    pass\n'), ['A false']);
    assert.deepEqual(req('try:\n    A = os.environ["A"]\nexcept:\n    pass\n'), ['A false']);
    assert.deepEqual(req('try:\n    A = os.environ["A"]\nexcept KeyError:\n    raise ImproperlyConfigured("set A")\n'), ['A true']);
    assert.deepEqual(req('try:\n    A = os.environ["A"]\nexcept KeyError:\n    sys.exit(1)\n'), ['A true']);
    assert.deepEqual(req('try:\n    A = os.environ["A"]\nexcept ValueError:\n    pass\n'), ['A true']);
    // The handler of an inner try does not cover the outer try's body.
    assert.deepEqual(req('try:\n    A = os.environ["A"]\n    try:\n        B = os.environ["B"]\n    except KeyError:\n        B = None\nexcept ValueError:\n    pass\n'), ['A true', 'B false']);
    // Nor a read after the try.
    assert.deepEqual(req('try:\n    A = os.environ["A"]\nexcept KeyError:\n    pass\nC = os.environ["C"]\n'), ['A false', 'C true']);
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
        '    ⟨p5|logger.info("connect %s", os.environ["POSTGRESQL_DB_CONNECT_STRING"])⟩',
        '    logger.info("timeout %s", os.environ["DB_CONNECT_TIMEOUT"])',
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
        [r(at.p5), 'logger.info', ['POSTGRESQL_DB_CONNECT_STRING'], false],
      ],
    );
  });

  test('what a call returns is the value only for conversions and string methods, not for any call it was given to', () => {
    const { text, at } = marked(
      [
        'import os, logging',
        'log = logging.getLogger(__name__)',
        'TOKEN = os.environ["GITHUB_TOKEN"]',
        'PASSWORD = os.getenv("DB_PASSWORD")',
        'repo = Github(login_or_token=TOKEN).get_repo("org/repo")',
        'pulls = list(repo.get_pulls())',
        'print(f"merged: {pulls}")',
        'client = make_client(TOKEN)',
        'log.info("client %s", client.name)',
        '⟨a|print("token", TOKEN.strip())⟩',
        '⟨b|log.info("pw %s", str(PASSWORD))⟩',
        '⟨c|log.info("dsn %s", "{}:{}".format("u", PASSWORD))⟩',
        'url = f"postgres://u:{PASSWORD}@h/db"',
        '⟨d|log.info("url %s", url)⟩',
      ].join('\n'),
    );
    const f = facts(text);
    assert.deepEqual(
      f.logged.map((l) => [r(l.range), l.names.map((n) => n.name)]),
      [
        [r(at.a), ['GITHUB_TOKEN']],
        [r(at.b), ['DB_PASSWORD']],
        [r(at.c), ['DB_PASSWORD']],
        [r(at.d), ['DB_PASSWORD']],
      ],
    );
  });

  test('a key of a dict literal carries only its own value (canonical.com recaptcha config)', () => {
    const { text, at } = marked(
      [
        'import os, logging',
        'logger = logging.getLogger(__name__)',
        'def load():',
        '    config = {',
        '        "enabled": os.getenv("RECAPTCHA_ENABLED", "false") != "false",',
        '        "api_key": os.getenv("RECAPTCHA_API_KEY"),',
        '        "score_threshold": float(os.getenv("RECAPTCHA_SCORE_THRESHOLD", "0.5")),',
        '    }',
        '    msg = (f"enabled={config[\'enabled\']} ", f"threshold={config.get(\'score_threshold\')}")',
        '    logger.info(msg)',
        '    ⟨a|logger.info("key %s", config["api_key"])⟩',
        '    ⟨b|logger.info("config %s", config)⟩',
        '    ⟨c|logger.info("x %s", config.get("api_key", ""))⟩',
        '    ⟨d|logger.info("x %s", config[name])⟩',
        '    return config',
      ].join('\n'),
    );
    const f = facts(text);
    assert.deepEqual(
      f.logged.map((l) => [r(l.range), l.names.map((n) => n.name)]),
      [
        [r(at.a), ['RECAPTCHA_API_KEY']],
        [r(at.b), ['RECAPTCHA_API_KEY']],
        [r(at.c), ['RECAPTCHA_API_KEY']],
        [r(at.d), ['RECAPTCHA_API_KEY']],
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
    for (const s of ['SECRET_KEY', 'DB_PASSWORD', 'API_TOKEN', 'AWS_ACCESS_KEY_ID', 'db_pass', 'FERNET_KEY', 'SENTRY_DSN', 'DATABASE_URL', 'apiKey', 'GOOGLE_CREDENTIALS', 'AZURE_CONNECTION_STRING', 'POSTGRESQL_DB_CONNECT_STRING', 'PASSWORD_SALT', 'GITHUB_PAT']) {
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

describe('value switches', () => {
  const when = (src: string) => Object.fromEntries(facts(src).reads.filter((x) => x.required).map((x) => [x.name.name, x.requiredWhen]));

  test('a block under a read that is false while unset (or a variable holding one) is required only when it is set', () => {
    const src = [
      'import environ, os',
      'env = environ.Env()',
      'USE_S3 = env.bool("USE_S3_MEDIA", False)',
      'STATIC = env.bool("USE_S3_STATIC", default=False)',
      'if env.bool("ENABLE_EMAIL", False):',
      '    H = env.str("EMAIL_HOST")',
      'if USE_S3 or STATIC:',
      '    K = env.str("AWS_KEY")',
      'if os.environ.get("SENTRY_ON", "").lower() in ("1", "true"):',
      '    D = os.environ["SENTRY_DSN"]',
      '',
    ].join('\n');
    assert.deepEqual(when(src), { EMAIL_HOST: ['ENABLE_EMAIL'], AWS_KEY: ['USE_S3_MEDIA', 'USE_S3_STATIC'], SENTRY_DSN: ['SENTRY_ON'] });
  });

  test('not a switch: a true default, a negation, a negative comparison, the else branch', () => {
    const src = [
      'import environ, os',
      'env = environ.Env()',
      'if env.bool("CACHE", True):',
      '    C = os.environ["CACHE_URL"]',
      'if not env.bool("OFFLINE", False):',
      '    O = os.environ["ONLINE_URL"]',
      'if os.getenv("LEVEL", "0") != "1":',
      '    L = os.environ["LEVEL_URL"]',
      'MODE_SET = env("STORAGE", default="local")',
      'if MODE_SET == "local":',
      '    S = os.environ["LOCAL_DIR"]',
      'if os.getenv("MODE"):',
      '    pass',
      'else:',
      '    M = os.environ["MODE_DEFAULT_URL"]',
      '',
    ].join('\n');
    assert.deepEqual(when(src), { CACHE_URL: undefined, ONLINE_URL: undefined, LEVEL_URL: undefined, LOCAL_DIR: undefined, MODE_DEFAULT_URL: undefined });
  });

  test('a comparison of an optional read that is false while it is unset: `MODE == "s3"` with the default "local"', () => {
    const src = [
      'import environ, os',
      'env = environ.Env()',
      'STORAGE = env("STORAGE", default="local")',
      'if STORAGE == "s3":',
      '    K = env("AWS_KEY")',
      'if os.getenv("LEVEL", "0") != "0":',
      '    L = os.environ["LEVEL_URL"]',
      // The compared value is no literal, or the default is not known here: it cannot be shown to run while unset.
      'if STORAGE == BACKENDS.GCS:',
      '    G = env("GCS_KEY")',
      'if env("KIND", default=DEFAULT_KIND) == "remote":',
      '    R = env("REMOTE_URL")',
      'if os.environ.get("TIER") == "paid":',
      '    P = env("BILLING_KEY")',
      '',
    ].join('\n');
    assert.deepEqual(when(src), { AWS_KEY: ['STORAGE'], LEVEL_URL: ['LEVEL'], GCS_KEY: ['STORAGE'], REMOTE_URL: ['KIND'], BILLING_KEY: ['TIER'] });
  });

  test('a value computed from an optional read by code not followed: compared or tested, a switch; never the value itself', () => {
    const src = [
      'import environ, os',
      'env = environ.Env()',
      // HackSoftware's Styleguide: the strategy as an enum, compared with an enum member.
      'STRATEGY = env_to_enum(EmailSendingStrategy, env("EMAIL_SENDING_STRATEGY", default="local"))',
      'if STRATEGY == EmailSendingStrategy.MAILTRAP:',
      '    H = env("MAILTRAP_EMAIL_HOST")',
      'FLAG = parse_flag(os.getenv("FEATURE_X")).enabled',
      'if FLAG:',
      '    X = os.environ["FEATURE_X_KEY"]',
      // From a required read (no default) the block runs whenever the app starts: still required.
      'KIND = to_enum(K, env("KIND"))',
      'if KIND == K.A:',
      '    A = env("A_URL")',
      // A digest of a secret is not the secret: printing it logs nothing.
      'DIGEST = digest(os.getenv("API_TOKEN", ""))',
      'print(DIGEST)',
      '',
    ].join('\n');
    assert.deepEqual(when(src), { MAILTRAP_EMAIL_HOST: ['EMAIL_SENDING_STRATEGY'], FEATURE_X_KEY: ['FEATURE_X'], KIND: undefined, A_URL: undefined });
    assert.deepEqual(facts(src).logged, []);
  });

  test('a reader imported from another module: its call in a condition, or a value derived from one, switches on a key the model resolves', () => {
    const src = [
      'from .env import env, to_enum',
      'S = to_enum(E, env("STRATEGY", default="local"))',
      'if S == E.MAILTRAP:',
      '    H = env("MAILTRAP_HOST")',
      'if env.bool("USE_X", False):',
      '    X = env("X_KEY")',
      'plain = env("PLAIN")',
      '',
    ].join('\n');
    const calls = Object.fromEntries(facts(src).calls.map((c) => [c.args[0].name.name, c.requiredWhen?.map((k) => k.split('\u0002').slice(-1)[0])]));
    assert.deepEqual(calls, { STRATEGY: undefined, MAILTRAP_HOST: ['STRATEGY'], USE_X: undefined, X_KEY: ['USE_X'], PLAIN: undefined });
  });
});
