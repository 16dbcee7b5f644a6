// A Chalice project's stages as its app's sources, through the built CLI: a column per stage, what
// each gives and what none gives, values never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary password with a quote, a backslash and a newline escape (JSON). */
const CANARY = 'Tn4\\"gx\\\\9rd\\nPy-canary-18';

const CONFIG = `{
  "version": "2.0",
  "app_name": "shop",
  "environment_variables": {"TABLE": "orders"},
  "stages": {
    "dev": {"environment_variables": {"DB_PASSWORD": "${CANARY}"}},
    "prod": {"environment_variables": {"TABLE": "orders-prod"}}
  }
}
`;

const APP = 'import os\nfrom chalice import Chalice\napp = Chalice(app_name="shop")\nT = os.environ["TABLE"]\nP = os.environ.get("DB_PASSWORD")\nK = os.environ["OPENAI_API_KEY"]\n';

test("a Chalice project's stages are its app's sources: merged variables per stage; another read not provided; no value printed", () => {
  withTree({ '.chalice/config.json': CONFIG, 'app.py': APP }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [
      ['credential-password-assignment', '.chalice/config.json', 6],
      ['env-not-provided', 'app.py', 6],
    ]);
    assert.equal(fs[1].message, 'OPENAI_API_KEY is required here but chalice dev and chalice prod do not provide it');
    const env = cli(root, ['env', root]);
    assert.match(env, /chalice dev\s+chalice prod/);
    assert.match(env, /DB_PASSWORD \(secret\)\s+optional\s+✓\s+✗/);
    assert.match(env, /TABLE\s+required\s+✓\s+✓/);
    const json = cli(root, ['env', root, '--format', 'json']);
    const out = `${JSON.stringify(fs)}${env}${json}${cli(root, ['check', root, '--parse-only'], [0, 1])}`;
    for (const part of ['canary', 'gx', 'rd\\n', '9rd']) assert.ok(!out.includes(part), part);
  });
});
