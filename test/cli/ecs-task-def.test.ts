// An ECS task definition's containers as the app's sources, through the built CLI: environment and
// secrets provided (a secret's SSM parameter named, never a value), another read not; a sidecar is
// not a source; values never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary password with a quote, a backslash and a newline escape (JSON). */
const CANARY = 'Kd2\\"wq\\\\6ht\\nZm-canary-39';

const TASK = `{
  "family": "shop-web",
  "containerDefinitions": [
    {
      "name": "web",
      "image": "<IMAGE>",
      "environment": [{"name": "DB_HOST", "value": "db.internal"}, {"name": "DB_PASSWORD", "value": "${CANARY}"}],
      "secrets": [{"name": "API_TOKEN", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/shop/api-token"}]
    },
    {"name": "xray", "image": "amazon/aws-xray-daemon", "environment": [{"name": "AWS_XRAY_DAEMON_ADDRESS", "value": "0.0.0.0:2000"}]}
  ]
}
`;

const APP = 'import os\nH = os.environ["DB_HOST"]\nP = os.environ["DB_PASSWORD"]\nT = os.environ["API_TOKEN"]\nK = os.environ["OPENAI_API_KEY"]\n';

test("an ECS task definition's app container is the app's source; a sidecar is not; no value printed", () => {
  withTree({ '.aws/task-definition.json': TASK, 'app.py': APP }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [
      ['credential-password-assignment', '.aws/task-definition.json', 7],
      ['env-not-provided', 'app.py', 5],
    ]);
    assert.equal(fs[1].message, 'OPENAI_API_KEY is required here but ecs shop-web does not provide it');
    const env = cli(root, ['env', root]);
    assert.match(env, /API_TOKEN \(secret\)\s+required\s+✓/);
    assert.doesNotMatch(env, /xray/);
    const json = cli(root, ['env', root, '--format', 'json']);
    const out = `${JSON.stringify(fs)}${env}${json}${cli(root, ['check', root, '--parse-only'], [0, 1])}`;
    for (const part of ['canary', 'wq', 'ht\\n', '6ht']) assert.ok(!out.includes(part), part);
  });
});

test("a task definition beside the code it runs makes that folder an app: other folders' reads are not judged against it", () => {
  const worker = '{"family": "worker", "containerDefinitions": [{"name": "worker", "image": "worker", "environment": [{"name": "QUEUE_URL", "value": "q"}]}]}';
  withTree({ 'worker/task_definition.json': worker, 'worker/task.py': 'import os\nQ = os.environ["QUEUE_URL"]\nB = os.environ["BUCKET"]\n', 'site/app.py': 'import os\nK = os.environ["SITE_KEY"]\n' }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.message]), [['env-not-provided', 'worker/task.py', 'BUCKET is required here but ecs worker does not provide it']]);
    assert.match(cli(root, ['env', root]), /worker \(app\)[^]*QUEUE_URL\s+required\s+✓/);
  });
});
