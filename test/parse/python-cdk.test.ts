// AWS CDK stacks in Python (parse/pythonCdk.ts): the Lambda functions a module declares, their
// code folder and environment; the sources made from them (model/lambdaSources.ts cdkFunctionsByDir
// / cdkSource).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initPython, parsePython } from '../../server/src/parse/python';
import { cdkFunctionsByDir, cdkSource } from '../../server/src/model/lambdaSources';

before(async () => {
  await initPython();
});

const URI = 'file:///ws/stacks/orders.py';

const STACK = `import os
from pathlib import Path
from aws_cdk import Stack, aws_lambda as _lambda, aws_dynamodb as dynamodb
from aws_cdk.aws_lambda_python_alpha import PythonFunction


class OrdersStack(Stack):
    def __init__(self, scope, construct_id, **kwargs):
        super().__init__(scope, construct_id, **kwargs)
        table = dynamodb.Table(self, "Orders")
        self.api = _lambda.Function(
            self,
            "OrdersApi",
            runtime=_lambda.Runtime.PYTHON_3_12,
            code=_lambda.Code.from_asset("lambda"),
            handler="app.handler",
            environment={
                "TABLE_NAME": table.table_name,
                "LOG_LEVEL": "INFO",
                "RETRIES": 3,
                "PREFIX": f"{construct_id}-x",
            },
        )
        self.api.add_environment("REGION_NAME", self.region)
        PythonFunction(self, "Worker", entry=os.path.join(os.path.dirname(__file__), "..", "worker"), runtime=_lambda.Runtime.PYTHON_3_11)
        _lambda.DockerImageFunction(self, "Batch", code=_lambda.DockerImageCode.from_image_asset(str(Path(__file__).parent.parent / "batch")))
        _lambda.Function(self, "Web", runtime=_lambda.Runtime.NODEJS_20_X, code=_lambda.Code.from_asset("web"), handler="index.handler")
        _lambda.Function(self, "Inline", runtime=_lambda.Runtime.PYTHON_3_12, code=_lambda.Code.from_inline("def handler(e, c): pass"), handler="index.handler")
`;

test('the functions a CDK stack declares: id, runtime, code folder (from the app folder or the module), environment and add_environment', () => {
  const m = parsePython(STACK, URI);
  const fns = m.cdk!;
  assert.deepEqual(fns.map((f) => [f.id, f.runtime, f.code, f.codeElsewhere ?? false]), [
    ['OrdersApi', 'python', { base: 'cwd', path: 'lambda' }, false],
    ['Worker', 'python', { base: 'file', path: './../worker' }, false],
    ['Batch', undefined, { base: 'file', path: './../batch' }, false],
    ['Web', 'other', { base: 'cwd', path: 'web' }, false],
    ['Inline', 'python', undefined, true],
  ]);
  assert.deepEqual(fns[0].entries.map((e) => [e.key, e.value ?? `from ${e.from}`]), [
    ['TABLE_NAME', 'from CDK: table.table_name'],
    ['LOG_LEVEL', 'INFO'],
    ['RETRIES', '3'],
    // An f-string's literal parts are not said.
    ['PREFIX', 'from CDK, when deploying'],
    ['REGION_NAME', 'from CDK: self.region'],
  ]);
  assert.deepEqual(fns[0].entries[0].keyRange, { start: { line: 17, character: 16 }, end: { line: 17, character: 28 } });
  assert.equal(fns[0].unknown, undefined);
});

test('sources by code folder: a plain path from the CDK app folder found upwards, a module-relative one from the module; only folders of Python modules', () => {
  const m = parsePython(STACK, URI);
  const modules = new Set(['file:///ws/lambda', 'file:///ws/worker', 'file:///ws/web', 'file:///ws/stacks']);
  const byDir = cdkFunctionsByDir(URI, m.cdk!, modules, 'file:///ws');
  // (batch/ holds no module; web/ is Node.js; Inline has no folder.)
  assert.deepEqual([...byDir].map(([d, fns]) => [d, fns.map((f) => f.id)]), [
    ['file:///ws/lambda', ['OrdersApi']],
    ['file:///ws/worker', ['Worker']],
  ]);
  const s = cdkSource(URI, 'file:///ws/lambda', byDir.get('file:///ws/lambda')!);
  assert.equal(s.id, 'cdk:file:///ws/stacks/orders.py#file:///ws/lambda');
  assert.equal(s.label, 'cdk OrdersApi');
  assert.equal(s.complete, true);
  const byName = new Map(s.provides.map((p) => [p.name, p]));
  assert.equal(byName.get('TABLE_NAME')!.detail, 'environment of function OrdersApi (from CDK: table.table_name)');
  assert.equal(byName.get('AWS_LAMBDA_FUNCTION_NAME')!.userDefined, false);
});

test('an environment CDK computes makes the source unknown, without quoting a value', () => {
  const m = parsePython(`from aws_cdk import aws_lambda as lambda_
def build(scope, env_vars, secret):
    lambda_.Function(scope, "A", runtime=lambda_.Runtime.PYTHON_3_12, code=lambda_.Code.from_asset("a"), environment=env_vars)
    lambda_.Function(scope, "B", runtime=lambda_.Runtime.PYTHON_3_12, code=lambda_.Code.from_asset("b"), environment={**COMMON, "K": "sk_live_CANARY"})
    lambda_.Function(scope, "C", runtime=lambda_.Runtime.PYTHON_3_12, code=lambda_.Code.from_asset("c"), environment={secret.name: "x"})
    lambda_.Function(scope, "D", runtime=lambda_.Runtime.PYTHON_3_12, code=lambda_.Code.from_asset("d"), environment=dict(TABLE="t", **extra))
    lambda_.Function(scope, "E", runtime=lambda_.Runtime.PYTHON_3_12, code=lambda_.Code.from_asset("e"), environment=dict(TABLE="t", MODE=mode))
`, 'file:///ws/app.py');
  assert.deepEqual(m.cdk!.map((f) => [f.id, f.unknown]), [
    ['A', 'its environment is env_vars (evaluated when deploying)'],
    ['B', 'its environment takes in another dict (**…)'],
    ['C', 'a key of its environment is computed'],
    ['D', 'its environment takes in another dict'],
    ['E', undefined],
  ]);
  assert.deepEqual(m.cdk![4].entries.map((e) => [e.key, e.value ?? `from ${e.from}`]), [['TABLE', 't'], ['MODE', 'from CDK: mode']]);
  const s = cdkSource('file:///ws/app.py', 'file:///ws/b', [m.cdk![1]]);
  assert.equal(s.complete, false);
  assert.ok(!(s.incompleteReason ?? '').includes('CANARY'));
});

test('a module that does not import aws_cdk (a Powertools handler), or is broken, declares nothing and never throws', () => {
  assert.equal(parsePython('# uses aws_lambda somewhere else\nX = 1\n', 'file:///ws/a.py').cdk, undefined);
  // A Powertools handler names aws_lambda too: not a CDK module.
  assert.equal(parsePython('import os\nfrom aws_lambda_powertools import Logger\nFunction(self, "F", code=Code.from_asset("a"))\nT = os.environ["T"]\n', 'file:///ws/h.py').cdk, undefined);
  const broken = parsePython('from aws_cdk import aws_lambda as l\nl.Function(self, "F", code=l.Code.from_asset("x"), environment={"A": \n', 'file:///ws/b.py');
  assert.ok(Array.isArray(broken.cdk) || broken.cdk === undefined);
  // Deep nesting in an argument: bounded.
  const t0 = performance.now();
  parsePython(`from aws_cdk import aws_lambda as l\nl.Function(self, "F", code=l.Code.from_asset("x"), environment={"A": ${'['.repeat(5000)}${']'.repeat(5000)}})\n`, 'file:///ws/c.py');
  assert.ok(performance.now() - t0 < 3000);
});

const ECS_STACK = `import os
from aws_cdk import Stack, aws_ecs as ecs, aws_ecs_patterns as ecs_patterns


class WebStack(Stack):
    def __init__(self, scope, id, **kwargs):
        super().__init__(scope, id, **kwargs)
        ecs_patterns.ApplicationLoadBalancedFargateService(
            self,
            "Web",
            task_image_options=ecs_patterns.ApplicationLoadBalancedTaskImageOptions(
                image=ecs.ContainerImage.from_asset(os.path.join(os.path.dirname(__file__), "..", "app")),
                environment={"DB_HOST": db.instance_endpoint.hostname, "MODE": "prod"},
                secrets={"DB_PASSWORD": ecs.Secret.from_secrets_manager(db_secret, "password"), "TOKEN": ecs.Secret.from_ssm_parameter(token)},
            ),
        )
        ecs_patterns.ScheduledFargateTask(
            self,
            "Nightly",
            scheduled_fargate_task_image_options={"image": ecs.ContainerImage.from_asset("worker"), "environment": dict(QUEUE="jobs")},
        )
        td = ecs.FargateTaskDefinition(self, "Tasks")
        td.add_container("redis", image=ecs.ContainerImage.from_registry("redis:7"), environment={"X": "1"})
        td.add_container("api", image=ecs.ContainerImage.from_asset(directory="../app"), environment=common_env)
        ecs.ContainerDefinition(self, "Sidecar", task_definition=td, image=ecs.ContainerImage.from_ecr_repository(repo))
`;

test("a CDK stack's ECS containers: the folder their image is built from, environment and secrets (where each comes from), registry images", () => {
  const m = parsePython(ECS_STACK, URI);
  const cs = m.cdk!;
  assert.deepEqual(cs.map((c) => [c.id, c.ecs, c.code?.base, c.code?.path, c.image, c.codeElsewhere ?? false, c.unknown]), [
    ['Web', true, 'file', './../app', undefined, false, undefined],
    ['Nightly', true, 'cwd', 'worker', undefined, false, undefined],
    ['redis', true, undefined, undefined, 'redis', true, undefined],
    ['api', true, 'cwd', '../app', undefined, false, 'its environment is common_env (evaluated when deploying)'],
    ['Sidecar', true, undefined, undefined, undefined, true, undefined],
  ]);
  assert.deepEqual(cs[0].entries.map((e) => [e.key, e.value ?? `${e.secret ? 'secret ' : ''}from ${e.from}`]), [
    ['DB_HOST', 'from CDK: db.instance_endpoint.hostname'],
    ['MODE', 'prod'],
    ['DB_PASSWORD', 'secret from Secrets Manager secret db_secret'],
    ['TOKEN', 'secret from SSM parameter token'],
  ]);
  assert.deepEqual(cs[1].entries.map((e) => [e.key, e.value]), [['QUEUE', 'jobs']]);
  // The image's folder holds the app's modules below it (app/src/main.py): that app's source, with what ECS sets.
  const byDir = cdkFunctionsByDir(URI, cs, new Set(['file:///ws/app/src', 'file:///ws/stacks']), 'file:///ws');
  assert.deepEqual([...byDir].map(([d, fns]) => [d, fns.map((f) => f.id)]), [['file:///ws/app', ['Web', 'api']]]);
  const s = cdkSource(URI, 'file:///ws/app', byDir.get('file:///ws/app')!);
  assert.deepEqual([s.label, s.complete, s.incompleteReason], ['cdk Web, api', false, "api's environment is common_env (evaluated when deploying)"]);
  const byName = new Map(s.provides.map((p) => [p.name, p]));
  assert.deepEqual([byName.get('DB_PASSWORD')!.detail, byName.get('DB_PASSWORD')!.sensitive, byName.get('DB_PASSWORD')!.userDefined], ['secrets of container Web (from Secrets Manager secret db_secret)', true, false]);
  assert.equal(byName.get('DB_HOST')!.detail, 'environment of container Web (CDK: db.instance_endpoint.hostname)');
  assert.equal(byName.get('ECS_CONTAINER_METADATA_URI_V4')!.detail, 'set by ECS: the task metadata endpoint (v4)');
  assert.ok(!byName.has('AWS_LAMBDA_FUNCTION_NAME'));
});
