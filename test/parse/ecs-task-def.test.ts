// An Amazon ECS task definition (parse/ecsTaskDef.ts) and the sources made from its containers
// (model/hostedSources.ts ecsSource).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ecsSecretFrom, parseEcsTaskDef } from '../../server/src/parse/ecsTaskDef';
import { ecsSource, mayBeAppEcsContainer } from '../../server/src/model/hostedSources';
import { parseEnvFile } from '../../server/src/model/files';

const URI = 'file:///ws/.aws/task-definition.json';

const TASK = `{
  "family": "shop-web",
  "containerDefinitions": [
    {
      "name": "web",
      "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:latest",
      "environment": [
        {"name": "DB_HOST", "value": "db.internal"},
        {"name": "WORKERS", "value": 4},
        {"name": "RELEASE", "value": "<RELEASE>"}
      ],
      "secrets": [
        {"name": "DB_PASSWORD", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/shop/prod/db-password"},
        {"name": "STRIPE_KEY", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe-AbC123:key::"},
        {"name": "API_TOKEN", "valueFrom": "/shop/prod/api-token"}
      ]
    },
    {"name": "xray", "image": "amazon/aws-xray-daemon:3.x"},
    {"name": "worker", "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:latest", "environmentFiles": [{"value": "arn:aws:s3:::b/worker.env", "type": "s3"}]}
  ]
}`;

test("each container's environment and secrets (where each secret comes from), environmentFiles noted", () => {
  const m = parseEcsTaskDef(TASK, URI)!;
  assert.equal(m.kind, 'ecs');
  assert.equal(m.family, 'shop-web');
  assert.deepEqual(m.containers.map((c) => [c.name, c.image, c.environmentFiles ?? false]), [
    ['web', 'shop', false],
    ['xray', 'amazon/aws-xray-daemon', false],
    ['worker', 'shop', true],
  ]);
  assert.deepEqual(m.containers[0].entries.map((e) => [e.key, e.value ?? null, e.from ?? null]), [
    ['DB_HOST', 'db.internal', null],
    ['WORKERS', '4', null],
    ['RELEASE', null, 'filled in when deploying'],
    ['DB_PASSWORD', null, 'SSM parameter /shop/prod/db-password'],
    ['STRIPE_KEY', null, 'Secrets Manager secret shop/stripe'],
    ['API_TOKEN', null, 'SSM parameter /shop/prod/api-token'],
  ]);
  assert.equal(ecsSecretFrom('arn:aws:ssm:eu-west-1:1:parameter/plain'), 'SSM parameter /plain');
  assert.deepEqual(m.errors, []);
});

test('recognised by content, in any JSON file; also `aws ecs describe-task-definition` output', () => {
  assert.equal(parseEcsTaskDef('{"name": "x", "containerDefinitions": "no"}', URI), undefined);
  assert.equal(parseEcsTaskDef('{"name": "x"}', URI), undefined);
  assert.equal(parseEcsTaskDef(`{"taskDefinition": ${TASK}}`, URI)!.containers.length, 3);
  assert.equal(parseEnvFile('source', TASK, 'file:///ws/deploy/ecs-web.json').kind, 'ecs');
  assert.equal(parseEnvFile('source', '{"a": 1}', 'file:///ws/x.json').kind, 'source');
});

test("the sources: an app container each (not a sidecar's), secrets sensitive, what ECS sets; incomplete with environmentFiles", () => {
  const m = parseEcsTaskDef(TASK, URI)!;
  assert.deepEqual(m.containers.map(mayBeAppEcsContainer), [true, false, true]);
  const web = ecsSource(m, m.containers[0]);
  assert.equal(web.label, 'ecs shop-web/web');
  assert.equal(web.complete, true);
  const byName = new Map(web.provides.map((p) => [p.name, p]));
  assert.equal(byName.get('DB_PASSWORD')!.detail, 'secrets (from SSM parameter /shop/prod/db-password)');
  assert.equal(byName.get('DB_PASSWORD')!.sensitive, true);
  assert.equal(byName.get('DB_HOST')!.detail, 'environment');
  assert.equal(byName.get('DB_HOST')!.userDefined, false);
  assert.ok(byName.has('ECS_CONTAINER_METADATA_URI_V4'));
  const worker = ecsSource(m, m.containers[2]);
  assert.equal(worker.complete, false);
  assert.equal(worker.incompleteReason, 'environmentFiles load more variables from S3 when the task starts');
});

test('a template a deploy step fills in (not JSON until then): no syntax error, its containers unknown', () => {
  const m = parseEcsTaskDef('{"family": "web", "cpu": ${CPU}, "containerDefinitions": [{"name": "web", "image": "web", "environment": [{"name": "A", "value": "1"}]}]}', URI)!;
  assert.equal(m.templated, true);
  assert.deepEqual(m.errors, []);
  const s = ecsSource(m, m.containers[0]);
  assert.equal(s.complete, false);
  assert.equal(s.incompleteReason, 'template slots a deploy step fills in hide part of the file');
  // A family a script fills in: the file is a template, its containers unknown (a Step Functions
  // pattern's task gets its variables from the run's overrides).
  assert.equal(parseEcsTaskDef('{"family": "<TASKNAME>", "containerDefinitions": [{"name": "web", "image": "<IMAGE>"}]}', URI)!.templated, true);
  assert.equal(parseEcsTaskDef('{"family": "web", "containerDefinitions": [{"name": "web", "image": "<IMAGE>"}]}', URI)!.templated, undefined);
  // Plain broken JSON is an error in its place.
  assert.equal(parseEcsTaskDef('{"family": "web", "containerDefinitions": [{"name": "web",}]}', URI)!.errors[0].code, 'json-syntax');
});
