// pydantic settings classes that derive from a settings class of another module (nsidnev's FastAPI
// RealWorld app: `class AppSettings(BaseAppSettings)`, the base in app/core/settings/base.py), through
// the built CLI: their fields are read under the base's prefix; a class deriving from an imported
// model that is not a settings class, or from a class outside the workspace, reads nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, writeFiles } from './tree.helpers';

type Var = { name: string; read: string; sensitive: boolean };

function variables(files: Record<string, string>): [string, string, boolean][] {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-pyd-'));
  try {
    writeFiles(root, files);
    const apps = JSON.parse(cli(root, ['env', root, '--format', 'json'])) as { variables: Var[] }[];
    return apps.flatMap((a) => a.variables.map((v): [string, string, boolean] => [v.name, v.read, v.sensitive])).sort();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const BASE = [
  'from pydantic_settings import BaseSettings, SettingsConfigDict',
  '',
  'class BaseAppSettings(BaseSettings):',
  '    model_config = SettingsConfigDict(env_prefix="APP_")',
  '    app_env: str = "prod"',
  '',
].join('\n');

const FILES: Record<string, string> = {
  'app/__init__.py': '',
  'app/core/__init__.py': 'from .settings.base import BaseAppSettings\n',
  'app/core/settings/__init__.py': '',
  'app/core/settings/base.py': BASE,
  'app/core/settings/app.py': [
    'from typing import Optional',
    'from pydantic import SecretStr',
    'from app.core.settings.base import BaseAppSettings',
    '',
    'class AppSettings(BaseAppSettings):',
    '    database_url: str',
    '    secret_key: SecretStr',
    '    debug: bool = False',
    '    maybe: Optional[str]',
    '',
  ].join('\n'),
  // Through the package's re-export, with a prefix of its own.
  'app/other.py': [
    'from pydantic_settings import SettingsConfigDict',
    'from app import core',
    '',
    'class OtherSettings(core.BaseAppSettings):',
    '    model_config = SettingsConfigDict(env_prefix="OTHER_")',
    '    token: str',
    '',
  ].join('\n'),
  // Named like settings, but a plain model; and a library's class.
  'app/schemas.py': 'from pydantic import BaseModel\n\nclass UserSettings(BaseModel):\n    theme: str = "light"\n',
  'app/prefs.py': 'from app.schemas import UserSettings\nfrom somelib import LibrarySettings\n\nclass Prefs(UserSettings):\n    font: str\n\nclass Lib(LibrarySettings):\n    colour: str\n',
};

test('pydantic: a settings class deriving from one of another module reads its fields under that prefix (or its own)', () => {
  assert.deepEqual(variables(FILES), [
    ['APP_APP_ENV', 'optional', false],
    ['APP_DATABASE_URL', 'required', false],
    ['APP_DEBUG', 'optional', false],
    ['APP_MAYBE', 'optional', false],
    ['APP_SECRET_KEY', 'required', true],
    ['OTHER_TOKEN', 'required', true],
  ]);
});

test('pydantic: without a prefix anywhere the field names are read; a base that is not in the workspace reads nothing', () => {
  const files: Record<string, string> = { ...FILES, 'app/core/settings/base.py': BASE.replace('    model_config = SettingsConfigDict(env_prefix="APP_")\n', '') };
  delete files['app/other.py'];
  assert.deepEqual(variables(files), [
    ['APP_ENV', 'optional', false],
    ['DATABASE_URL', 'required', false],
    ['DEBUG', 'optional', false],
    ['MAYBE', 'optional', false],
    ['SECRET_KEY', 'required', true],
  ]);
});

test('pydantic: a field the module passes in where it builds such a class is not required', () => {
  const files = { ...FILES, 'app/core/settings/app.py': `${FILES['app/core/settings/app.py']}\nsettings = AppSettings(database_url=make_url())\n` };
  const vars = variables(files);
  assert.deepEqual(vars.find(([n]) => n === 'APP_DATABASE_URL'), ['APP_DATABASE_URL', 'optional', false]);
  assert.deepEqual(vars.find(([n]) => n === 'APP_SECRET_KEY'), ['APP_SECRET_KEY', 'required', true]);
});
