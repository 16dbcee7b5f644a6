// A Fly.io app's fly.toml as its app's source, through the built CLI: what [env] and Fly give, that
// what secrets set is unknown (never "not provided"), build args the build's only, a broken file
// reported once, and values never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary password with a quote, a backslash and a newline escape (TOML basic string). */
const CANARY = 'Zr8\\"kq\\\\2mv\\nTq-canary-77';

const FLY = `app = "shop-web"
primary_region = "ams"

[build.args]
  NPM_TOKEN = "x"

[env]
  DJANGO_DEBUG = "false"
  DB_PASSWORD = "${CANARY}"
`;

const SETTINGS = 'import os\nDEBUG = os.environ["DJANGO_DEBUG"]\nDB = os.environ["DB_PASSWORD"]\nREGION = os.environ["FLY_REGION"]\nKEY = os.environ["SECRET_KEY"]\nT = os.environ["NPM_TOKEN"]\n';

test("fly.toml is the app's source: [env] and Fly's own variables provided, a secret's unknown, a build arg the build's only; no value printed", () => {
  withTree({ 'fly.toml': FLY, 'shop/settings.py': SETTINGS, '.env': 'DJANGO_DEBUG=1\n' }, (root) => {
    const fs = checkTree(root);
    // SECRET_KEY and NPM_TOKEN may be Fly secrets: nothing is "not provided" with fly.toml there.
    assert.deepEqual(fs.filter((f) => f.code.startsWith('env-')).map((f) => f.code), []);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [['credential-password-assignment', 'fly.toml', 9]]);
    const env = cli(root, ['env', root]);
    assert.match(env, /FLY_REGION\s+required\s+✗\s+✓/);
    assert.match(env, /SECRET_KEY \(secret\)\s+required\s+✗\s+\?/);
    assert.match(env, /NPM_TOKEN \(secret\)\s+required\s+✗\s+✗ build only/);
    assert.match(env, /\? fly shop-web: secrets are set with fly secrets set, not in the file/);
    assert.match(env, /build only: fly shop-web sets these for the build \(\[build\.args\]\)/);
    const json = cli(root, ['env', root, '--format', 'json']);
    const out = `${JSON.stringify(fs)}${env}${json}${cli(root, ['check', root, '--parse-only'], [0, 1])}`;
    for (const part of ['canary', 'kq', 'mv\\n', '2mv']) assert.ok(!out.includes(part), part);
  });
  // Without fly.toml the same reads are "not provided" by the .env.
  withTree({ 'shop/settings.py': SETTINGS, '.env': 'DJANGO_DEBUG=1\n' }, (root) => {
    assert.equal(checkTree(root).filter((f) => f.code === 'env-not-provided').length, 4);
  });
});

test('a fly.toml that is not TOML is one error in its place, and what it sets is unknown', () => {
  withTree({ 'fly.toml': 'app = "x\n[env\n', 'shop/settings.py': SETTINGS, '.env': 'DJANGO_DEBUG=1\n' }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [['toml-syntax', 'fly.toml', 1]]);
    assert.match(cli(root, ['env', root]), /\? fly\.toml: fly\.toml was not read/);
  });
});
