// Heroku's app.json as an app's source, through the built CLI: `orchard check` (not provided,
// placeholder, unused, the manifest's own warnings) and `orchard env` (its column, add-ons, PORT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary secret with a quote, a newline and a backslash, written into app.json as JSON escapes. */
const CANARY = 'Zr8"kq\n2m\\vTq-canary-77';

function tree(appJson: unknown, settings: string[]): Record<string, string> {
  return { 'svc/app.json': JSON.stringify(appJson, null, 2), 'svc/settings.py': ['import os', ...settings, ''].join('\n') };
}

const check = checkTree;

const MANIFEST = {
  name: 'svc',
  env: {
    SECRET_KEY: { description: 'Django secret', generator: 'secret' },
    API_TOKEN: { description: 'token', value: 'changeme' },
    DB_PASSWORD: { value: CANARY },
    SITE_URL: { required: true },
    UNUSED_FLAG: '1',
    WEB_CONCURRENCY: '2',
    // Read by Heroku's Python build, not the app: never "unused".
    DISABLE_COLLECTSTATIC: '1',
  },
  addons: ['heroku-postgresql:essential-0'],
};

const READS = [
  'SECRET_KEY = os.environ["SECRET_KEY"]',
  'DATABASE_URL = os.environ["DATABASE_URL"]',
  'PORT = int(os.environ["PORT"])',
  'TOKEN = os.environ["API_TOKEN"]',
  'DB_PASSWORD = os.environ["DB_PASSWORD"]',
  'SITE_URL = os.environ["SITE_URL"]',
  'MISSING = os.environ["MISSING_ONE"]',
];

test("app.json provides its env, its add-ons' and every dyno's variables: one finding per problem, each where it is fixed", () => {
  withTree(tree(MANIFEST, READS), (root) => {
    const fs = check(root);
    const env = fs.filter((f) => f.code.startsWith('env-'));
    assert.deepEqual(
      env.map((f) => [f.code, f.file, f.line]),
      [
        // "value": "changeme" for a secret the app requires; the line of its value.
        ['env-placeholder-value', 'svc/app.json', 10],
        ['env-unused', 'svc/app.json', 18],
        ['env-not-provided', 'svc/settings.py', 8],
      ],
    );
    assert.match(env[0].message, /^app\.json gives API_TOKEN a placeholder.*"generator": "secret"/);
    assert.match(env[2].message, /^MISSING_ONE is required here but app\.json does not provide it/);
    // The folder holding app.json is the app's root, as a `.env`'s is (not the folder checked).
    assert.match(env[1].message, /^UNUSED_FLAG is not read by svc's code/);
    // The password in clear is found as DB_PASSWORD's (not "value"'s), and never printed beyond its 4-character preview.
    assert.deepEqual(
      fs.filter((f) => f.code.startsWith('credential-')).map((f) => [f.code, f.file, f.line]),
      [['credential-password-assignment', 'svc/app.json', 13]],
    );
    assert.match(fs.find((f) => f.code.startsWith('credential-'))!.message, /assigned to DB_PASSWORD/);
    const out = JSON.stringify(fs);
    for (const part of ['kq', 'vTq-canary', '\\\\v', 'canary-77']) assert.ok(!out.includes(part), part);
  });
});

test('orchard env: an app.json column, generated and asked-for variables, and no value of a secret', () => {
  withTree(tree(MANIFEST, READS), (root) => {
    const text = cli(root, ['env', root]);
    const header = text.split('\n').find((l) => l.includes('variable'))!;
    assert.match(header, /app\.json/);
    const row = (name: string) => text.split('\n').find((l) => l.trim().startsWith(`${name} `) || l.trim().startsWith(`${name}  `))!;
    for (const name of ['SECRET_KEY', 'DATABASE_URL', 'PORT', 'SITE_URL', 'API_TOKEN']) assert.match(row(name), /✓/, name);
    assert.match(row('MISSING_ONE'), /✗/);
    assert.ok(!text.includes('canary') && !text.includes('Zr8'), 'no secret value in orchard env');
    const json = cli(root, ['env', root, '--format', 'json']);
    assert.ok(!json.includes('canary') && !json.includes('Zr8'), 'no secret value in orchard env --format json');
    assert.match(json, /"kind": ?"heroku"/);
  });
});

test('an add-on Orchard does not know: what it sets is unknown, so nothing is "not provided"', () => {
  withTree(tree({ ...MANIFEST, addons: ['heroku-postgresql', 'mailgun:starter'] }, READS), (root) => {
    const codes = check(root).map((f) => f.code);
    assert.ok(!codes.includes('env-not-provided'), codes.join());
    assert.match(cli(root, ['env', root]), /app\.json: the add-on mailgun sets variables Orchard does not list/);
  });
});

test("another program's app.json (Expo) is not a source; a broken Heroku manifest says why in its place", () => {
  withTree({ 'svc/app.json': '{"expo": {"name": "x", "extra": {"env": {"A": "1"}}}}', 'svc/settings.py': 'import os\nA = os.environ["A"]\n' }, (root) => {
    assert.deepEqual(check(root).filter((f) => f.code.startsWith('env-') || f.code.startsWith('app-json') || f.code.startsWith('json')), []);
    assert.ok(!cli(root, ['env', root]).includes('app.json'));
  });
  withTree({ 'svc/app.json': '{"env": {"A": "1", "B": {"value": 2},}}\n', 'svc/settings.py': 'import os\nA = os.environ["A"]\nB = os.environ["B"]\n' }, (root) => {
    assert.deepEqual(
      check(root).map((f) => [f.code, f.file, f.line, f.severity]),
      [
        ['app-json-type', 'svc/app.json', 1, 'warning'],
        ['json-syntax', 'svc/app.json', 1, 'error'],
      ],
    );
  });
});
