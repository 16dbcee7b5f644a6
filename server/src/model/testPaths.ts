// Test code by its path: the credential rules lower a finding's severity there, the twelve-factor
// rules skip placeholder and insecure-default findings there, and the app model ignores a test's
// writes to the environment by run-time name (a test sets variables for its own process).
import { innermostRoot } from './uris';

/** Test code and fixtures (`tests.py`, Django's test module; `settings/testing.py`, `configuration_testing.py`; a Bitcoin `regtest/` network's data; a `regression/` suite; Ansible's `molecule/` scenarios; `fixtures/`, `fixtures.py` / `.json` / `.yaml`, factory_boy's `factories.py`; and a Helm chart's `ci/*values.yaml`, chart-testing's inputs; `spread.yaml`, the spread test runner's machines): a password there is usually a fixture. */
const TEST_PATH =
  /\/(?:[\w-]*[-_])?(?:tests?|testing|__tests__|spec|specs|fixtures?|testdata|e2e|regtest|regression|molecule)(?:[-_][\w-]*)?\/|\/(?:e2e|unit|integration|functional|acceptance|smoke|api)tests?\/|\/(?:test_[^/]*|tests?\.py|conftest\.py|pytest_plugins?\.py|fixtures?\.(?:py|json|ya?ml)|factories\.py|\.env[.-]test(?:ing)?|test\.env|spread\.ya?ml)$|\/settings\/(?:ci|tests?|testing)\.py$|\/(?:configuration|config|settings|conf)_(?:ci|tests?|testing)\.py$|\/(?:docker-)?compose[.-](?:ci|tests?|testing|e2e|cypress)(?:[.-][\w.-]*)?\.ya?ml$|_tests?\.[a-z]+$|\.(?:test|spec)\.[a-z]+$|\/ci\/[^/]*values[^/]*\.ya?ml$/i;

/** True for a file of test code or test data (by its path below the workspace folder, or the app folder given as root: see belowRoot). */
export function isTestPath(uri: string, roots?: readonly string[]): boolean {
  return TEST_PATH.test(belowRoot(uri, roots));
}

/**
 * Settings written for development only: a settings package's `dev.py` / `development.py` /
 * `local.py`, `settings_dev.py`, `dev_settings.py`, and code in a `dev/` or `development/` folder
 * (nautobot's `development/nautobot_config.py`). Not `local_settings.py`: Django projects keep a
 * machine's own settings there, production's included.
 */
const DEVELOPMENT_SETTINGS =
  /\/settings\/(?:dev|devel|develop|development|local|local_dev|localdev)\.py$|\/(?:settings|config|configuration|conf)[_.-](?:dev|devel|develop|development)\.py$|\/(?:dev|devel|develop|development)[_.-](?:settings|config)\.py$|\/(?:dev|development)\/(?:[^/]+\/)*[^/]+\.py$/i;

/** True for a Python module of development settings (see DEVELOPMENT_SETTINGS), by its path below the workspace folder. */
export function isDevelopmentSettingsPath(uri: string, roots?: readonly string[]): boolean {
  return DEVELOPMENT_SETTINGS.test(belowRoot(uri, roots));
}

/**
 * The part of `uri` below the workspace folder holding it, from its `/` (`/tests/x.py`): what the
 * path tests look at, so a checkout under `~/tests/` or `~/examples/` does not make every file test
 * code or an example. The uri itself when no folder holds it (or none is known).
 */
export function belowRoot(uri: string, roots?: readonly string[]): string {
  const root = innermostRoot(uri, roots ?? []);
  return root ? uri.slice(root.length) : uri;
}

/**
 * A file of a project template (cookiecutter's `{{cookiecutter.project_slug}}/`, copier's
 * `{{ name }}/`, a `{% if %}` folder): its values are the template's, filled in when a project is
 * made from it (cookiecutter-django's `!!!SET DJANGO_SECRET_KEY!!!`, replaced by its hook).
 */
export function isProjectTemplatePath(uri: string): boolean {
  return /\/[^/]*(?:\{\{|\{%|%7B%7B|%7B%25)/i.test(uri);
}
