// A Render Blueprint's services as apps' sources, through the built CLI: `orchard check` (not
// provided, placeholder, unused, a password in a `value`) and `orchard env` (one column per service).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary password with a quote and a backslash (YAML single-quoted: '' is one quote). */
const CANARY = `Zr8''kq\\2mvTq-canary-77`;

const check = checkTree;

const BLUEPRINT = `services:
  - type: web
    name: api
    runtime: python
    rootDir: backend
    envVars:
      - key: SECRET_KEY
        generateValue: true
      - key: DATABASE_URL
        fromDatabase:
          name: db
          property: connectionString
      - key: API_TOKEN
        value: changeme
      - key: DB_PASSWORD
        value: '${CANARY}'
      - key: UNUSED_FLAG
        value: "1"
      - fromGroup: shared
envVarGroups:
  - name: shared
    envVars:
      - key: SENTRY_DSN
        sync: false
databases:
  - name: db
`;

const SETTINGS = [
  'import os',
  'SECRET_KEY = os.environ["SECRET_KEY"]',
  'DATABASE_URL = os.environ["DATABASE_URL"]',
  'PORT = int(os.environ["PORT"])',
  'TOKEN = os.environ["API_TOKEN"]',
  'PW = os.environ["DB_PASSWORD"]',
  'DSN = os.environ["SENTRY_DSN"]',
  'ON_RENDER = os.environ["RENDER"]',
  'MISSING = os.environ["MISSING_ONE"]',
  '',
].join('\n');

test('a Render service gives its envVars, its groups and what Render sets to the app in its rootDir: one finding per problem', () => {
  withTree({ 'render.yaml': BLUEPRINT, 'backend/settings.py': SETTINGS, 'frontend/app.py': 'import os\nX = os.environ["FRONT_ONLY"]\n' }, (root) => {
    const fs = check(root);
    assert.deepEqual(
      fs.map((f) => [f.code, f.file, f.line]),
      [
        ['env-placeholder-value', 'render.yaml', 14],
        ['env-unused', 'render.yaml', 17],
        // The password in clear is found as DB_PASSWORD's (`key:` / `value:`), not "value"'s.
        ['credential-password-assignment', 'render.yaml', 16],
        ['env-not-provided', 'backend/settings.py', 9],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1])) || Number(a[2]) - Number(b[2])),
      JSON.stringify(fs.map((f) => [f.code, f.file, f.line])),
    );
    const by = (code: string) => fs.find((f) => f.code === code)!;
    assert.match(by('env-not-provided').message, /^MISSING_ONE is required here but render api does not provide it/);
    assert.match(by('env-unused').message, /^UNUSED_FLAG is not read by backend's code/);
    assert.match(by('env-placeholder-value').message, /^render api gives API_TOKEN a placeholder.*"sync: false"/);
    assert.match(by('credential-password-assignment').message, /assigned to DB_PASSWORD/);
    const out = JSON.stringify(fs);
    for (const part of ['kq', 'canary', 'vTq']) assert.ok(!out.includes(part), part);
    const env = cli(root, ['env', root]);
    assert.match(env, /render api/);
    assert.ok(!env.includes('canary') && !env.includes('Zr8'), 'no secret value in orchard env');
  });
});

test('a group made in the Render Dashboard: what it sets is unknown, so nothing is "not provided"', () => {
  const text = BLUEPRINT.replace('- fromGroup: shared', '- fromGroup: shared\n      - fromGroup: dashboard-only');
  withTree({ 'render.yaml': text, 'backend/settings.py': SETTINGS }, (root) => {
    assert.ok(!check(root).some((f) => f.code === 'env-not-provided'));
    assert.match(cli(root, ['env', root]), /render api: the environment group dashboard-only is not defined in render\.yaml/);
  });
});

test("a Blueprint for another program beside the app (polar's infra/tailscale/render.yaml) is not the app's source", () => {
  const files = {
    '.env': 'A=1\n',
    'app/settings.py': 'import os\nA = os.environ["A"]\nKEY = os.environ["TAILSCALE_AUTHKEY"]\n',
    'infra/tailscale/render.yaml': 'services:\n  - type: worker\n    name: subnet-router\n    env: docker\n    envVars:\n      - key: TAILSCALE_AUTHKEY\n        sync: false\n',
  };
  withTree(files, (root) => {
    assert.deepEqual(check(root).map((f) => [f.code, f.file, f.line]), [['env-not-provided', 'app/settings.py', 3]]);
    assert.ok(!cli(root, ['env', root]).includes('render subnet-router'));
  });
});
