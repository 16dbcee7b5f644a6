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
