// A Databricks app's app.yaml as its app's source, through the built CLI: what its env and the
// platform give, what they do not, and values never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary password with a quote, a backslash and a newline escape (YAML double-quoted). */
const CANARY = 'Zr8\\"kq\\\\2mv\\nTq-canary-77';

const APP_YAML = `command: ["streamlit", "run", "app.py"]
env:
  - name: DATABRICKS_WAREHOUSE_ID
    valueFrom: sql-warehouse
  - name: DB_PASSWORD
    value: "${CANARY}"
`;

const APP = 'import os\nW = os.environ["DATABRICKS_WAREHOUSE_ID"]\nH = os.environ["DATABRICKS_HOST"]\nP = os.environ["DB_PASSWORD"]\nK = os.environ["OPENAI_API_KEY"]\n';

test("app.yaml of a Databricks app is its source: env and the platform's variables provided, another read not; no value printed", () => {
  withTree({ 'app.yaml': APP_YAML, 'app.py': APP }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [
      ['env-not-provided', 'app.py', 5],
      ['credential-password-assignment', 'app.yaml', 6],
    ]);
    assert.equal(fs[0].message, 'OPENAI_API_KEY is required here but Databricks app does not provide it');
    const env = cli(root, ['env', root]);
    assert.match(env, /DATABRICKS_HOST\s+required\s+✓/);
    assert.match(env, /DATABRICKS_WAREHOUSE_ID\s+required\s+✓/);
    const json = cli(root, ['env', root, '--format', 'json']);
    const out = `${JSON.stringify(fs)}${env}${json}${cli(root, ['check', root, '--parse-only'], [0, 1])}`;
    for (const part of ['canary', 'kq', 'mv\\n', '2mv']) assert.ok(!out.includes(part), part);
  });
});
