// A DigitalOcean app spec's components as apps' sources, through the built CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

const SPEC = `name: shop
envs:
  - key: LOG_LEVEL
    value: info
  # Read by Django's createsuperuser --noinput, not by the app's code: never "unused".
  - key: DJANGO_SUPERUSER_PASSWORD
    type: SECRET
    value: EV[1:NOgKW4ZHWWw+iXGxEMS6RIb9j1KmJNtW:Mt6/S4WO1wexvBl80p8Xm2mELiTXwQgBiWuSeX98bCHwEw==]
services:
  - name: web
    source_dir: backend
    envs:
      - key: DJANGO_SECRET_KEY
        type: SECRET
        value: EV[1:q0Zr8kq2mvTqW9aX3bC4dE5fG6hI7jK8:lM9nO0pQ1rS2tU3vW4xY5zA6bC7dE8fG9hI0jK1lM2nO3pQ4rS5]
      - key: DATABASE_URL
        value: \${db.DATABASE_URL}
      - key: API_TOKEN
        value: changeme
      - key: UNUSED_FLAG
        value: "1"
databases:
  - name: db
`;

const SETTINGS = 'import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\nDB = os.environ["DATABASE_URL"]\nPORT = os.environ["PORT"]\nTOKEN = os.environ["API_TOKEN"]\nLVL = os.environ["LOG_LEVEL"]\nX = os.environ["MISSING_ONE"]\n';

test('a component gives the app in its source_dir the app-wide and its own envs; an encrypted secret is no finding', () => {
  withTree({ '.do/app.yaml': SPEC, 'backend/settings.py': SETTINGS }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [
      ['env-placeholder-value', '.do/app.yaml', 19],
      ['env-unused', '.do/app.yaml', 20],
      ['env-not-provided', 'backend/settings.py', 7],
    ]);
    assert.match(fs[0].message, /^app spec web gives API_TOKEN a placeholder.*type: SECRET/);
    assert.match(fs[2].message, /^MISSING_ONE is required here but app spec web does not provide it/);
    const env = cli(root, ['env', root]);
    assert.match(env, /app spec web/);
    assert.ok(!env.includes('EV[1') && !env.includes('changeme'), 'no value in orchard env');
  });
});

test("the deploy button's template is read the same way; a spec whose component lives elsewhere gives this app nothing", () => {
  const template = `spec:\n${SPEC.replace(/^/gm, '  ')}`;
  withTree({ '.do/deploy.template.yaml': template, 'backend/settings.py': SETTINGS }, (root) => {
    assert.deepEqual(checkTree(root).filter((f) => f.code === 'env-not-provided').map((f) => f.line), [7]);
  });
  withTree({ '.do/app.yaml': SPEC.replace('source_dir: backend', 'source_dir: frontend'), 'backend/settings.py': SETTINGS, '.env': 'A=1\n' }, (root) => {
    assert.ok(!cli(root, ['env', root]).includes('app spec web'));
  });
});

test('a variable the spec sets for the build only: "not provided" says so, with the entry as related information', () => {
  const spec = 'services:\n  - name: web\n    envs:\n      - key: NPM_TOKEN\n        scope: BUILD_TIME\n        type: SECRET\n';
  withTree({ '.do/app.yaml': spec, 'settings.py': 'import os\nTOKEN = os.environ["NPM_TOKEN"]\n' }, (root) => {
    const out = JSON.parse(cli(root, ['check', root, '--parse-only', '--format', 'sarif'], [0, 1])) as { runs: { results: { ruleId: string; message: { text: string }; relatedLocations?: { message?: { text: string }; physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    const r = out.runs[0].results.find((x) => x.ruleId === 'env-not-provided')!;
    assert.equal(r.message.text, 'NPM_TOKEN is required here but app spec web sets it for the build only (scope: BUILD_TIME)');
    assert.ok(r.relatedLocations?.some((l) => l.physicalLocation.region.startLine === 4 && /build only/.test(l.message?.text ?? '')), JSON.stringify(r.relatedLocations));
    // `orchard env` tells the same story: the cell, a note, and the JSON's entry.
    const env = cli(root, ['env', root]);
    assert.match(env, /NPM_TOKEN \(secret\)\s+required\s+✗ build only/);
    assert.match(env, /build only: app spec web sets these for the build \(scope: BUILD_TIME\); the running app does not get them/);
    const json = JSON.parse(cli(root, ['env', root, '--format', 'json'])) as { variables: { name: string; buildOnlyIn?: { file: string }[] }[] }[];
    const at = json[0].variables.find((v) => v.name === 'NPM_TOKEN')?.buildOnlyIn;
    assert.deepEqual(at?.map((b) => ({ ...b, file: b.file.replace(root, '') })), [{ source: 'app spec web', file: '/.do/app.yaml', line: 4 }]);
  });
  // With another source: each source named once, for what it does.
  withTree({ '.do/app.yaml': spec, '.env': 'OTHER=1\n', 'settings.py': 'import os\nTOKEN = os.environ["NPM_TOKEN"]\n' }, (root) => {
    const f = checkTree(root).find((x) => x.code === 'env-not-provided');
    assert.equal(f?.message, 'NPM_TOKEN is required here but .env does not provide it; app spec web sets it for the build only');
  });
});
