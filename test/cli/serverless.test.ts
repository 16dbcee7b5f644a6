// A Serverless Framework service's serverless.yml as its app's source, through the built CLI: what
// its environments and Lambda give, what they do not, a Node.js service's file not the app's, and
// values never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary password with a quote, a backslash and a newline escape (YAML double-quoted). */
const CANARY = 'Qv7\\"pz\\\\4wb\\nLx-canary-31';

const SLS = `service: billing
provider:
  name: aws
  runtime: python3.12
  environment:
    TABLE: !Ref UsersTable
    SLACK_URL: \${ssm:/billing/slack-url}
    DB_PASSWORD: "${CANARY}"
functions:
  report:
    handler: src/handler.main
    environment:
      GROUP_BY: SERVICE
`;

const HANDLER = 'import os\nT = os.environ["TABLE"]\nU = os.environ["SLACK_URL"]\nG = os.environ["GROUP_BY"]\nR = os.environ["AWS_REGION"]\nP = os.environ["DB_PASSWORD"]\nK = os.environ["OPENAI_API_KEY"]\n\ndef main(event, context):\n    return T\n';

test("serverless.yml is its Python functions' source: environments and Lambda's variables provided, another read not; no value printed", () => {
  withTree({ 'serverless.yml': SLS, 'src/handler.py': HANDLER }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [
      ['credential-password-assignment', 'serverless.yml', 8],
      ['env-not-provided', 'src/handler.py', 7],
    ]);
    assert.equal(fs[1].message, 'OPENAI_API_KEY is required here but serverless billing does not provide it');
    const env = cli(root, ['env', root]);
    assert.match(env, /serverless billing/);
    for (const name of ['TABLE', 'SLACK_URL', 'GROUP_BY', 'AWS_REGION']) assert.match(env, new RegExp(`${name}\\s+required\\s+✓`));
    assert.match(env, /OPENAI_API_KEY \(secret\)\s+required\s+✗/);
    const json = cli(root, ['env', root, '--format', 'json']);
    const out = `${JSON.stringify(fs)}${env}${json}${cli(root, ['check', root, '--parse-only'], [0, 1])}`;
    for (const part of ['canary', 'pz', 'wb\\n', '4wb']) assert.ok(!out.includes(part), part);
  });
});

test("a Node.js service's serverless.yml is not a Python app's source", () => {
  withTree({ 'serverless.yml': SLS.replace('python3.12', 'nodejs20.x').replace(/ {4}DB_PASSWORD.*\n/, ''), 'src/handler.py': HANDLER }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => f.code), []);
    assert.doesNotMatch(cli(root, ['env', root]), /serverless billing/);
  });
});
