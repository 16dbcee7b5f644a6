// A small twelve-factor workspace whose modules come in variants: they import constants and helpers
// from each other, load .env files, log, write variables, hold charm code and Figgy declarations.
// Edits swap a module for another variant (test/model/appsPatch.test.ts,
// test/analysis/incremental-apps.test.ts).
import fc from 'fast-check';
import { parsePython } from '../../server/src/parse/python';
import type { BuildInput } from '../../server/src/model/build';
import { buildInput, type EnvFileSpec } from './buildInput.helpers';

export const NAMES = [
  'import os\nPREFIX = "APP_"\ndef get_env(name, default=None):\n    return os.environ.get(name, default)\n',
  'import os\nPREFIX = "APP_"\ndef get_env(name, default=None):\n    return os.environ.get(name, default)\nLEVEL = os.environ.get("LOG_LEVEL", "info")\n',
  '\n\nimport os\nPREFIX = "APP_"\ndef get_env(name, default=None):\n    return os.environ.get(name, default)\n',
  'import os\nPREFIX = "SVC_"\ndef get_env(name, default=None):\n    return os.environ.get(name, default)\n',
  'import os\nPREFIX = "APP_"\ndef get_env(name, default="x"):\n    return os.environ[name]\n',
  'PREFIX = "APP_"\n',
  // Reader objects other modules import (by name or with `*`).
  'import os, environ\nenv = environ.Env(DEBUG=(bool, False))\nPREFIX = "APP_"\ndef get_env(name, default=None):\n    return os.environ.get(name, default)\n',
  'from decouple import config\nimport environ\nenv = environ.Env()\nPREFIX = "APP_"\n',
];

const SETTINGS_A = [
  'import os\nfrom shared.names import PREFIX, get_env\nDB = os.environ[f"{PREFIX}DB"]\nTOKEN = get_env("API_TOKEN")\n',
  'import os\nfrom shared.names import PREFIX, get_env\nDB = os.environ[f"{PREFIX}DB"]\nTOKEN = get_env("API_TOKEN", "changeme")\nprint(os.environ["SECRET_KEY"])\n',
  'import os\nfrom shared.names import PREFIX, get_env\nDB = os.environ.get(f"{PREFIX}DB", "sqlite://")\nos.environ["WRITTEN"] = "1"\n',
  'import os\nfrom shared.names import PREFIX\nDB = os.environ[f"{PREFIX}DB"]\nNAME = "a"\n',
  'import os\nfrom dotenv import load_dotenv\nload_dotenv("../b/.env")\nDB = os.environ["DB"]\nONLY_A = os.environ["ONLY_A"]\n',
  'import os\nKEY = os.environ.get(name)\n',
  'import os\nfrom dotenv import load_dotenv\nload_dotenv(".env")\nDB = os.environ["APP_DB"]\n',
  'X = 1\n',
  'import os\nfrom shared.names import env\nDB = env("APP_DB")\nDEBUG = env.bool("DEBUG")\nif "API_TOKEN" in os.environ:\n    TOKEN = env("API_TOKEN")\n',
  'from shared.names import *\nDB = env.str("APP_DB", default="sqlite://")\nTOKEN = config("API_TOKEN")\nif DB == "postgres":\n    PW = env("DB_PASSWORD")\n',
];

const SETTINGS_B = [
  'import os\nPORT = os.environ["PORT"]\nDEBUG = os.environ.get("DEBUG", "false")\n',
  'import os\nPORT = os.environ["PORT"]\nDEBUG = os.environ.get("DEBUG", "true")\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev-secret")\n',
  'import os\nimport logging\nPORT = os.environ["PORT"]\nlogging.info(os.environ)\n',
  'import os\nimport subprocess\nsubprocess.run(["x"], env=os.environ)\n',
];

const FLASK = [
  'import os\nX = os.environ["FLASK_X"]\n',
  'import os\nX = os.environ["FLASK_X"]\n# a paas_charm helper\n',
  'import ops\nimport os\nX = os.environ["FLASK_X"]\n',
  'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.config.from_prefixed_env()\nTOKEN = app.config["TOKEN"]\n',
  'import os\nfrom flask import Flask\napp = Flask(__name__)\napp.config.from_prefixed_env()\nTOKEN = app.config["TOKEN"]\nGREETING = os.environ.get("FLASK_GREETING", "hi")\n',
  'import os\nfrom flask import Flask\napp = Flask(__name__)\nGREETING = os.environ["FLASK_GREETING"]\n',
  'import os\nfrom flask import Flask\napp = Flask(__name__)\nUSER = os.environ["FLASK_API_CREDS_USERNAME"]\n',
  'import os\nfrom canonicalwebteam.flask_base.app import FlaskBase\napp = FlaskBase(__name__, "x")\nT = os.environ["TOKEN"]\nU = os.environ.get("API_CREDS_USERNAME")\n',
];

const CHARM = [
  'import ops\nimport paas_charm.flask\nclass C(paas_charm.flask.Charm):\n    configuration_prefix = "APP_"\n',
  'import ops\nimport paas_charm.django\nclass C(paas_charm.django.Charm):\n    def gen_environment(self):\n        return {}\n',
  'import ops\nimport paas_charm.flask\nclass C(paas_charm.flask.Charm):\n    pass\n',
  'import ops\nimport os\nimport paas_charm.flask\nclass C(paas_charm.flask.Charm):\n    pass\nX = os.environ.get("JUJU_VERSION")\n',
  'import ops\nimport xiilib.flask\nclass C(xiilib.flask.Charm):\n    def env(self):\n        return {"FLASK_X": self.config.get("greeting")}\n',
];

const CONFIG_E = [
  'import os\nfrom figgy.figs import *\nfrom figgy.fig_store import FigStore\n\nclass Figs(FigStore):\n    TWIG = "/app/e"\n    DB_HOST = AppFig("db-host")\n',
  'import os\nfrom figgy.figs import *\nfrom figgy.fig_store import FigStore\n\nclass Figs(FigStore):\n    TWIG = "/app/e"\n    DB_HOST = AppFig("db-host")\n    API_KEY = AppFig("api-key")\n',
  'import os\nfrom figgy.figs import *\nfrom figgy.fig_store import FigStore\nMODE = os.environ.get("MODE", "dev")\n\nclass Figs(FigStore):\n    TWIG = "/app/e"\n    DB_HOST = AppFig("db-host")\n',
];

/** A Figgy config.py with no .env above it makes an app only while it touches the environment itself. */
const CONFIG_G = [
  'import os\ndef get_env(name):\n    return os.environ.get(name)\nfrom figgy.figs import *\nfrom figgy.fig_store import FigStore\n\nclass Figs(FigStore):\n    TWIG = "/app/g"\n    HOST = AppFig("host")\n',
  'import os\ndef get_env(name):\n    return os.environ.get(name)\nMODE = get_env("MODE")\nfrom figgy.figs import *\nfrom figgy.fig_store import FigStore\n\nclass Figs(FigStore):\n    TWIG = "/app/g"\n    HOST = AppFig("host")\n',
  'from figgy.figs import *\nfrom figgy.fig_store import FigStore\n\nclass Figs(FigStore):\n    TWIG = "/app/g"\n    HOST = AppFig("host")\n',
  'import os\nfrom figgy.figs import *\nfrom figgy.fig_store import FigStore\nMODE = os.environ.get("MODE", "dev")\n\nclass Figs(FigStore):\n    TWIG = "/app/g"\n    HOST = AppFig("host")\n',
];

/** Files, their variants, in the order the scanner lists them (by path). */
export const MODULES: { uri: string; variants: string[] }[] = [
  { uri: 'file:///ws/a/settings.py', variants: SETTINGS_A },
  { uri: 'file:///ws/a/sub/extra.py', variants: SETTINGS_B },
  { uri: 'file:///ws/b/settings.py', variants: SETTINGS_B },
  { uri: 'file:///ws/c/app.py', variants: FLASK },
  { uri: 'file:///ws/c/charm/src/charm.py', variants: CHARM },
  { uri: 'file:///ws/e/config.py', variants: CONFIG_E },
  { uri: 'file:///ws/f/settings.py', variants: SETTINGS_B },
  { uri: 'file:///ws/g/config.py', variants: CONFIG_G },
  { uri: 'file:///ws/shared/names.py', variants: NAMES },
];

const ENV_FILES: EnvFileSpec[] = [
  ['dotenv', 'file:///ws/a/.env', 'APP_DB=postgres://db\nAPI_TOKEN=\nUNUSED=1\n'],
  ['dotenv', 'file:///ws/b/.env', 'PORT=8000\nDB=x\nSECRET_KEY=change-me\nONLY_A=1\n'],
  ['compose', 'file:///ws/b/compose.yaml', 'services:\n  web:\n    build: .\n    env_file: .env\n    environment:\n      DEBUG: "1"\n      URL: "http://localhost:${PORT}/${DB}"\n'],
  ['charmcraft', 'file:///ws/c/charm/charmcraft.yaml', 'name: c\ntype: charm\nextensions:\n  - flask-framework\nconfig:\n  options:\n    token:\n      type: string\n    greeting:\n      type: string\n      default: hi\n    api-creds:\n      type: secret\n'],
  ['dotenv', 'file:///ws/e/.env', 'DB_HOST=h\n'],
  ['dotenv', 'file:///ws/f/.env', 'PORT=1\n'],
  ['dotenv', 'file:///ws/shared/.env', 'LOG_LEVEL=debug\n'],
];

export function input(choice: number[]): BuildInput {
  return buildInput({ python: MODULES.map((m, i) => parsePython(m.variants[choice[i] % m.variants.length], m.uri)), envFiles: ENV_FILES });
}


/** The input with module `at` swapped for its variant `v` (modulo the variants), every other model the same object. */
export function withVariant(cur: BuildInput, at: number, v: number): BuildInput {
  const python = cur.python.slice();
  python[at] = parsePython(MODULES[at].variants[v % MODULES[at].variants.length], MODULES[at].uri);
  return { ...cur, python };
}

/** A starting variant per module. */
export const startArb = fc.array(fc.nat(20), { minLength: MODULES.length, maxLength: MODULES.length });

/** A chain of edits: [module, variant]. */
export const editsArb = (minLength: number, maxLength: number) => fc.array(fc.tuple(fc.nat(MODULES.length - 1), fc.nat(20)), { minLength, maxLength });
