// Zappa's stages as their app's sources, through the built CLI: each stage a column, what it
// gives and what it does not, values never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary password with a quote, a backslash and a newline escape (JSON). */
const CANARY = 'Vq5\\"md\\\\7kp\\nWs-canary-64';

const SETTINGS = `{
  "dev": {
    "app_function": "app.app",
    "environment_variables": {"DB_HOST": "db.internal", "DB_PASSWORD": "${CANARY}", "LOG_FORMAT": "json"}
  },
  "production": {
    "extends": "dev",
    "environment_variables": {"DB_HOST": "db.prod.internal", "DB_PASSWORD": "${CANARY}"}
  }
}
`;

// production's own environment_variables replace dev's whole: LOG_FORMAT is dev's only.
const APP = 'import os\nH = os.environ["DB_HOST"]\nP = os.environ["DB_PASSWORD"]\nS = os.environ["STAGE"]\nK = os.environ["OPENAI_API_KEY"]\nL = os.environ["LOG_FORMAT"]\n';

test("zappa_settings.json's stages are the app's sources: each stage's variables and Zappa's; another read not provided, nor one a stage lacks; no value printed", () => {
  withTree({ 'zappa_settings.json': SETTINGS, 'app.py': APP }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [
      ['env-not-provided', 'app.py', 5],
      ['env-not-provided', 'app.py', 6],
      ['credential-password-assignment', 'zappa_settings.json', 4],
      ['credential-password-assignment', 'zappa_settings.json', 8],
    ]);
    assert.equal(fs[0].message, 'OPENAI_API_KEY is required here but zappa dev and zappa production do not provide it');
    assert.equal(fs[1].message, 'LOG_FORMAT is required here but zappa production does not provide it (zappa dev does)');
    const env = cli(root, ['env', root]);
    assert.match(env, /zappa dev\s+zappa production/);
    assert.match(env, /STAGE\s+required\s+✓\s+✓/);
    const json = cli(root, ['env', root, '--format', 'json']);
    const out = `${JSON.stringify(fs)}${env}${json}${cli(root, ['check', root, '--parse-only'], [0, 1])}`;
    for (const part of ['canary', 'md', 'kp\\n', '7kp']) assert.ok(!out.includes(part), part);
  });
});
