// An AWS SAM template's functions as their apps' sources, through the built CLI: each code folder's
// app gets Globals' and its functions' variables and what Lambda sets; a Node.js function's folder
// is not a Python app's; values never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary password with a quote, a backslash and a newline escape (YAML double-quoted). */
const CANARY = 'Hw3\\"tj\\\\8nc\\nRb-canary-52';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Environment:
      Variables:
        TABLE_NAME: !Ref Orders
Resources:
  ApiFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: api/
      Handler: app.handler
      Environment:
        Variables:
          DB_PASSWORD: "${CANARY}"
          API_KEY: '{{resolve:ssm:/shop/api-key}}'
  WorkerFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: worker/
      Handler: app.handler
  WebFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: web/
      Runtime: nodejs20.x
  Orders:
    Type: AWS::DynamoDB::Table
`;

const API = 'import os\nT = os.environ["TABLE_NAME"]\nP = os.environ["DB_PASSWORD"]\nK = os.environ["API_KEY"]\nR = os.environ["AWS_REGION"]\n';
const WORKER = 'import os\nT = os.environ["TABLE_NAME"]\nK = os.environ["API_KEY"]\n';

test("a SAM template's functions are their code folders' sources: Globals, their own variables and Lambda's; no value printed", () => {
  // A variant beside template.yaml (deployed only with `sam deploy -t`) is not the app's source.
  const variant = TEMPLATE.replace("          API_KEY: '{{resolve:ssm:/shop/api-key}}'\n", '').replace(/ {10}DB_PASSWORD.*\n/, '');
  // `sam build`'s output (a copy of the template and code) is not walked.
  withTree({ 'template.yaml': TEMPLATE, 'early_template.yaml': variant, '.aws-sam/build/template.yaml': TEMPLATE, '.aws-sam/build/ApiFunction/app.py': API, 'api/app.py': API, 'worker/app.py': WORKER, 'web/app.py': 'import os\nX = os.environ["WEB_ONLY"]\n' }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [
      ['credential-password-assignment', 'template.yaml', 16],
      ['env-not-provided', 'worker/app.py', 3],
    ]);
    assert.equal(fs[1].message, 'API_KEY is required here but SAM WorkerFunction does not provide it');
    const env = cli(root, ['env', root]);
    assert.match(env, /api \(app\)[^]*SAM ApiFunction[^]*TABLE_NAME\s+required\s+✓/);
    assert.match(env, /API_KEY \(secret\)\s+required\s+✓/);
    assert.doesNotMatch(env, /SAM WebFunction|early_template/);
    const json = cli(root, ['env', root, '--format', 'json']);
    const out = `${JSON.stringify(fs)}${env}${json}${cli(root, ['check', root, '--parse-only'], [0, 1])}`;
    for (const part of ['canary', 'tj', 'nc\\n', '8nc']) assert.ok(!out.includes(part), part);
  });
});
