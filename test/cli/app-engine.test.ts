// Google App Engine services' files as apps' sources, through the built CLI: found by content under
// any name, given to the app whose folder the file deploys, what the runtime sets, build-only
// entries, `includes` read when the file is there and unknown when not, another runtime's service
// left out, and values never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary password with a quote, a backslash and a newline escape (YAML double-quoted). */
const CANARY = 'Zr8\\"kq\\\\2mv\\nTq-canary-77';

const APP_YAML = `runtime: python312
entrypoint: gunicorn -b :$PORT shop.wsgi
env_variables:
  DJANGO_DEBUG: "false"
  DB_PASSWORD: "${CANARY}"
  NOT_READ: "1"
build_env_variables:
  NPM_TOKEN: "x"
`;

const SETTINGS = 'import os\nDEBUG = os.environ["DJANGO_DEBUG"]\nDB = os.environ["DB_PASSWORD"]\nPORT = int(os.environ["PORT"])\nREGION = os.environ["GAE_SERVICE"]\nX = os.environ["MISSING_ONE"]\nT = os.environ["NPM_TOKEN"]\n';

test("app.yaml is the app's source: what it and the runtime give, what it does not, the build's own; no value printed", () => {
  withTree({ 'app.yaml': APP_YAML, 'shop/settings.py': SETTINGS }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [
      ['credential-password-assignment', 'app.yaml', 5],
      ['env-unused', 'app.yaml', 6],
      ['env-not-provided', 'shop/settings.py', 6],
      ['env-not-provided', 'shop/settings.py', 7],
    ]);
    assert.equal(fs[2].message, 'MISSING_ONE is required here but app.yaml does not provide it');
    assert.equal(fs[3].message, 'NPM_TOKEN is required here but app.yaml sets it for the build only (build_env_variables)');
    const env = cli(root, ['env', root]);
    assert.match(env, /PORT\s+required\s+✓/);
    assert.match(env, /NPM_TOKEN \(secret\)\s+required\s+✗ build only/);
    assert.match(env, /build only: app.yaml sets these for the build \(build_env_variables\)/);
    const json = cli(root, ['env', root, '--format', 'json']);
    const out = `${JSON.stringify(fs)}${env}${json}${cli(root, ['check', root, '--parse-only'], [0, 1])}`;
    for (const part of ['canary', 'kq', 'mv\\n', '2mv']) assert.ok(!out.includes(part), part);
  });
});

test('includes: the named file read when it is in the workspace, else what it sets is unknown (nothing "not provided")', () => {
  const including = APP_YAML.replace('build_env_variables:\n  NPM_TOKEN: "x"\n', 'includes:\n  - secret_env.yaml\n');
  withTree({ 'app.yaml': including, 'shop/settings.py': SETTINGS }, (root) => {
    assert.deepEqual(checkTree(root).filter((f) => f.code === 'env-not-provided'), []);
    assert.match(cli(root, ['env', root]), /\? app\.yaml: includes secret_env\.yaml, which Orchard could not read/);
  });
  withTree({ 'app.yaml': including, 'secret_env.yaml': 'env_variables:\n  MISSING_ONE: "given"\n', 'shop/settings.py': SETTINGS }, (root) => {
    assert.deepEqual(checkTree(root).filter((f) => f.code === 'env-not-provided').map((f) => f.line), [7]);
    assert.match(cli(root, ['env', root]), /MISSING_ONE\s+required\s+✓/);
  });
});

test("a service of another runtime, or in another program's folder, gives the app nothing; each Python service gives its own", () => {
  withTree({ 'frontend/app.yaml': 'runtime: nodejs20\nenv_variables:\n  API_URL: x\n', 'frontend/package.json': '{}', 'shop/settings.py': SETTINGS, '.env': 'OTHER=1\n' }, (root) => {
    assert.doesNotMatch(cli(root, ['env', root]), /app\.yaml|App Engine/);
  });
  withTree({ 'api/api.yaml': 'runtime: python312\nservice: api\nenv_variables:\n  A: "1"\n', 'api/main.py': 'import os\nA = os.environ["A"]\nB = os.environ["B"]\n' }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.message]), [['env-not-provided', 'api/main.py', 'B is required here but App Engine api does not provide it']]);
  });
});
