// An AWS CDK stack in Python as its Lambda functions' code folders' sources, through the built CLI:
// `Code.from_asset("lambda")` from the CDK app's folder, a Node.js function's folder left alone, a
// value never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary password with a quote, a backslash and a newline escape (Python string escapes). */
const CANARY = 'Kd5\\"wq\\\\3nz\\nPa-canary-64';

const STACK = `from aws_cdk import Stack, aws_lambda as _lambda


class ShopStack(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        fn = _lambda.Function(
            self,
            "Orders",
            runtime=_lambda.Runtime.PYTHON_3_12,
            code=_lambda.Code.from_asset("lambda"),
            handler="app.handler",
            environment={"TABLE_NAME": "orders", "DB_PASSWORD": "${CANARY}"},
        )
        fn.add_environment("STAGE", self.node.try_get_context("stage"))
        _lambda.Function(self, "Web", runtime=_lambda.Runtime.NODEJS_20_X, code=_lambda.Code.from_asset("web"), handler="index.handler")
`;

test("a CDK stack's Python functions are their code folders' sources: their environment and Lambda's; no value printed", () => {
  withTree({ 'cdk.json': '{"app": "python3 app.py"}', 'app.py': 'import aws_cdk as cdk\nfrom stacks.shop import ShopStack\napp = cdk.App()\nShopStack(app, "Shop")\napp.synth()\n', 'stacks/shop.py': STACK, 'lambda/app.py': 'import os\nT = os.environ["TABLE_NAME"]\nP = os.environ["DB_PASSWORD"]\nS = os.environ["STAGE"]\nK = os.environ["API_KEY"]\n', 'web/app.py': 'import os\nX = os.environ["WEB_ONLY"]\n' }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [
      ['env-not-provided', 'lambda/app.py', 5],
      ['credential-password-assignment', 'stacks/shop.py', 13],
    ]);
    assert.equal(fs[0].message, 'API_KEY is required here but cdk Orders does not provide it');
    const env = cli(root, ['env', root]);
    assert.match(env, /lambda \(app\)[^]*cdk Orders[^]*STAGE\s+required\s+✓/);
    assert.doesNotMatch(env, /cdk Web/);
    const out = `${JSON.stringify(fs)}${env}${cli(root, ['env', root, '--format', 'json'])}${cli(root, ['check', root, '--parse-only'], [0, 1])}`;
    for (const part of ['canary', 'wq', 'nz\\n', '3nz']) assert.ok(!out.includes(part), part);
  });
});

test("a CDK stack's ECS service is the source of the app its image is built from: environment, secrets from SSM, what ECS sets; no value printed", () => {
  const stack = `import os
from aws_cdk import Stack, aws_ecs as ecs, aws_ecs_patterns as ecs_patterns


class WebStack(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        ecs_patterns.ApplicationLoadBalancedFargateService(
            self,
            "Web",
            task_image_options=ecs_patterns.ApplicationLoadBalancedTaskImageOptions(
                image=ecs.ContainerImage.from_asset("app"),
                environment={"DB_HOST": "db.internal", "DB_PASSWORD": "${CANARY}"},
                secrets={"API_TOKEN": ecs.Secret.from_ssm_parameter(token)},
            ),
        )
`;
  const app = 'import os\nH = os.environ["DB_HOST"]\nP = os.environ["DB_PASSWORD"]\nT = os.environ["API_TOKEN"]\nR = os.environ["ECS_CONTAINER_METADATA_URI_V4"]\nK = os.environ["PAYMENTS_URL"]\n';
  withTree({ 'cdk.json': '{"app": "python3 app.py"}', 'app.py': 'import aws_cdk as cdk\nfrom stacks.web import WebStack\napp = cdk.App()\nWebStack(app, "Web")\napp.synth()\n', 'stacks/web.py': stack, 'app/Dockerfile': 'FROM python:3.12\nCOPY src /app\n', 'app/src/main.py': app }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line, f.message.split(':')[0]]), [
      ['env-not-provided', 'app/src/main.py', 6, 'PAYMENTS_URL is required here but Dockerfile and cdk Web do not provide it'],
      ['credential-password-assignment', 'stacks/web.py', 13, 'Password assigned to DB_PASSWORD in clear text (Kd5\\…)'],
    ]);
    const json = cli(root, ['env', root, '--format', 'json']);
    assert.match(json, /secrets \(from SSM parameter token\)/);
    const out = `${JSON.stringify(fs)}${cli(root, ['env', root])}${json}`;
    for (const part of ['canary', 'wq', 'nz\\n', '3nz']) assert.ok(!out.includes(part), part);
  });
});
