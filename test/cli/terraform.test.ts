// Terraform's Lambda functions as their code folders' apps' sources, through the built CLI: the
// archive another file of the module declares, the community module's source_path, a Node.js
// function's folder left alone, values never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary password with a quote, a backslash and a newline escape (HCL string escapes). */
const CANARY = 'Hw3\\"tj\\\\8nc\\nRb-canary-52';

const DATA = `data "archive_file" "api" {
  type        = "zip"
  source_dir  = "\${path.module}/../api"
  output_path = "\${path.module}/api.zip"
}
`;

const LAMBDA = `resource "aws_lambda_function" "api" {
  filename = data.archive_file.api.output_path
  runtime  = "python3.12"
  handler  = "app.handler"
  environment {
    variables = {
      TABLE_NAME  = aws_dynamodb_table.orders.name
      DB_PASSWORD = "${CANARY}"
    }
  }
}

resource "aws_lambda_function" "web" {
  filename = "web.zip"
  runtime  = "nodejs20.x"
}

module "worker" {
  source      = "terraform-aws-modules/lambda/aws"
  runtime     = "python3.12"
  source_path = "\${path.module}/../worker"
  environment_variables = var.worker_env
}
`;

const API = 'import os\nT = os.environ["TABLE_NAME"]\nP = os.environ["DB_PASSWORD"]\nR = os.environ["AWS_REGION"]\nK = os.environ["API_KEY"]\n';

test("Terraform's Lambda functions are their code folders' sources: their variables and Lambda's; no value printed", () => {
  // `.terraform/` (downloaded modules and providers) is not walked.
  withTree({ 'infra/data.tf': DATA, 'infra/lambda.tf': LAMBDA, 'infra/.terraform/modules/x/main.tf': LAMBDA, 'api/app.py': API, 'worker/app.py': 'import os\nQ = os.environ["QUEUE_URL"]\n', 'web/app.py': 'import os\nX = os.environ["WEB_ONLY"]\n' }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [
      ['env-not-provided', 'api/app.py', 5],
      ['credential-password-assignment', 'infra/lambda.tf', 8],
    ]);
    assert.equal(fs[0].message, 'API_KEY is required here but terraform api does not provide it');
    const env = cli(root, ['env', root]);
    assert.match(env, /api \(app\)[^]*terraform api[^]*TABLE_NAME\s+required\s+✓/);
    assert.match(env, /AWS_REGION\s+required\s+✓/);
    // The module's variables come from var.worker_env: unknown, never "not provided".
    assert.match(env, /worker \(app\)[^]*terraform worker[^]*QUEUE_URL\s+required\s+\?/);
    assert.doesNotMatch(env, /terraform web/);
    const json = cli(root, ['env', root, '--format', 'json']);
    const out = `${JSON.stringify(fs)}${env}${json}${cli(root, ['check', root, '--parse-only'], [0, 1])}`;
    for (const part of ['canary', 'tj', 'nc\\n', '8nc']) assert.ok(!out.includes(part), part);
  });
});
