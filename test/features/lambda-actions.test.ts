// The quick fixes that add a missing variable to an AWS Lambda tool's file (Serverless, SAM, Zappa,
// Chalice, ECS, Terraform) or remove an unused entry, pure: real parsers and rules over fixture
// texts, the edits applied to the text and the result read back.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initPython } from '../../server/src/parse/python';
import { initTerraform } from '../../server/src/parse/terraform';
import { runRules } from '../../server/src/analysis';
import { envCodeActions } from '../../server/src/features/env/codeActions';
import { ROOT, apply, context, run } from './envActions.helpers';

before(async () => {
  await initPython();
  await initTerraform();
});

test('a variable a Serverless service does not give its functions: the fix adds it to provider.environment, a secret read from SSM; the finding goes away', () => {
  const handler = 'import os\nREGION = os.environ["REPORT_REGION"]\nK = os.environ["STRIPE_API_KEY"]\n';
  const sls = 'service: billing\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n  report:\n    handler: handler.main\n';
  const { ctx, texts, findings } = run({ 'handler.py': handler, 'serverless.yml': sls });
  assert.deepEqual(findings.map((f) => f.message), ['REPORT_REGION is required here but serverless billing does not provide it', 'STRIPE_API_KEY is required here but serverless billing does not provide it']);
  const actions = envCodeActions(ctx, findings).filter((a) => a.title.includes('serverless.yml'));
  assert.deepEqual(actions.map((a) => a.title), ['Add REPORT_REGION to serverless.yml provider environment', 'Add STRIPE_API_KEY to serverless.yml provider environment (from SSM parameter /billing/STRIPE_API_KEY)']);
  const once = apply(texts.get(`${ROOT}/serverless.yml`)!, actions[0].edit!.changes[`${ROOT}/serverless.yml`]);
  assert.equal(once, 'service: billing\nprovider:\n  name: aws\n  runtime: python3.12\n  environment:\n    REPORT_REGION: ""\nfunctions:\n  report:\n    handler: handler.main\n');
  const next = run({ 'handler.py': handler, 'serverless.yml': once });
  const twice = apply(once, envCodeActions(next.ctx, next.findings).find((a) => a.title.includes('STRIPE_API_KEY'))!.edit!.changes[`${ROOT}/serverless.yml`]);
  assert.match(twice, /    REPORT_REGION: ""\n    STRIPE_API_KEY: \$\{ssm:\/billing\/STRIPE_API_KEY\}\nfunctions:/);
  assert.deepEqual(run({ 'handler.py': handler, 'serverless.yml': twice }).findings, []);
});

test("a variable a SAM function does not get: the fix adds it to Globals' variables (never for a secret); the finding goes away", () => {
  const template = 'Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Runtime: python3.12\n    Environment:\n      Variables:\n        A: "1"\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n';
  const code = 'import os\nREGION = os.environ["REPORT_REGION"]\nK = os.environ["STRIPE_API_KEY"]\n';
  const { ctx, texts, findings } = run({ 'app.py': code, 'template.yaml': template });
  assert.deepEqual(findings.map((f) => f.message), ['REPORT_REGION is required here but SAM Fn does not provide it', 'STRIPE_API_KEY is required here but SAM Fn does not provide it']);
  const actions = envCodeActions(ctx, findings).filter((a) => a.title.includes('template.yaml'));
  assert.deepEqual(actions.map((a) => a.title), ['Add REPORT_REGION to template.yaml Globals environment']);
  const fixed = apply(texts.get(`${ROOT}/template.yaml`)!, actions[0].edit!.changes[`${ROOT}/template.yaml`]);
  assert.equal(fixed, template.replace('        A: "1"\n', '        A: "1"\n        REPORT_REGION: ""\n'));
  assert.deepEqual(run({ 'app.py': code, 'template.yaml': fixed }).findings.map((f) => f.message), ['STRIPE_API_KEY is required here but SAM Fn does not provide it']);
});

test("a variable no Zappa stage gives: the fix adds it to a stage's own environment_variables (not to one that extends another, never a secret); the finding goes away", () => {
  const settings = '{\n  "dev": {\n    "app_function": "app.app",\n    "environment_variables": {\n      "A": "1"\n    }\n  },\n  "production": {"extends": "dev", "memory_size": 512}\n}\n';
  const code = 'import os\nREGION = os.environ["REPORT_REGION"]\nK = os.environ["STRIPE_API_KEY"]\n';
  const { ctx, texts, findings } = run({ 'app.py': code, 'zappa_settings.json': settings });
  assert.deepEqual(findings.map((f) => f.message), ['REPORT_REGION is required here but zappa dev and zappa production do not provide it', 'STRIPE_API_KEY is required here but zappa dev and zappa production do not provide it']);
  const actions = envCodeActions(ctx, findings).filter((a) => a.title.includes('zappa_settings.json'));
  assert.deepEqual(actions.map((a) => a.title), ['Add REPORT_REGION to zappa_settings.json dev environment_variables']);
  const fixed = apply(texts.get(`${ROOT}/zappa_settings.json`)!, actions[0].edit!.changes[`${ROOT}/zappa_settings.json`]);
  assert.equal(fixed, settings.replace('      "A": "1"\n', '      "A": "1",\n      "REPORT_REGION": ""\n'));
  assert.deepEqual(run({ 'app.py': code, 'zappa_settings.json': fixed }).findings.map((f) => f.message), ['STRIPE_API_KEY is required here but zappa dev and zappa production do not provide it']);
});

test('a variable no Chalice stage gives: one fix for every stage, into the top-level environment_variables; the finding goes away', () => {
  const config = '{\n  "app_name": "shop",\n  "environment_variables": {\n    "A": "1"\n  },\n  "stages": {"dev": {}, "prod": {}}\n}\n';
  const code = 'import os\nREGION = os.environ["REPORT_REGION"]\n';
  const { ctx, texts, findings } = run({ 'app.py': code, '.chalice/config.json': config });
  assert.deepEqual(findings.map((f) => f.message), ['REPORT_REGION is required here but chalice dev and chalice prod do not provide it']);
  const actions = envCodeActions(ctx, findings).filter((a) => a.title.includes('.chalice'));
  assert.deepEqual(actions.map((a) => a.title), ['Add REPORT_REGION to .chalice/config.json environment_variables']);
  const fixed = apply(texts.get(`${ROOT}/.chalice/config.json`)!, actions[0].edit!.changes[`${ROOT}/.chalice/config.json`]);
  assert.equal(fixed, config.replace('    "A": "1"\n', '    "A": "1",\n    "REPORT_REGION": ""\n'));
  assert.deepEqual(run({ 'app.py': code, '.chalice/config.json': fixed }).findings, []);
});

test('a variable an ECS container does not get: the fix adds it to its environment, a secret to its secrets from SSM; the findings go away', () => {
  const task = '{\n  "family": "shop-web",\n  "containerDefinitions": [\n    {\n      "name": "web",\n      "image": "shop",\n      "environment": [\n        {"name": "A", "value": "1"}\n      ],\n      "secrets": []\n    }\n  ]\n}\n';
  const code = 'import os\nREGION = os.environ["REPORT_REGION"]\nK = os.environ["STRIPE_API_KEY"]\n';
  const { ctx, texts, findings } = run({ 'app.py': code, 'task-definition.json': task });
  assert.deepEqual(findings.map((f) => f.message), ['REPORT_REGION is required here but ecs shop-web does not provide it', 'STRIPE_API_KEY is required here but ecs shop-web does not provide it']);
  const actions = envCodeActions(ctx, findings).filter((a) => a.title.includes('task-definition.json'));
  assert.deepEqual(actions.map((a) => a.title), ['Add REPORT_REGION to task-definition.json web environment', 'Add STRIPE_API_KEY to task-definition.json web secrets (from SSM parameter /shop-web/STRIPE_API_KEY)']);
  const once = apply(texts.get(`${ROOT}/task-definition.json`)!, actions[0].edit!.changes[`${ROOT}/task-definition.json`]);
  assert.equal(once, task.replace('        {"name": "A", "value": "1"}\n', '        {"name": "A", "value": "1"},\n        {"name": "REPORT_REGION", "value": ""}\n'));
  const next = run({ 'app.py': code, 'task-definition.json': once });
  const twice = apply(once, envCodeActions(next.ctx, next.findings).find((a) => a.title.includes('STRIPE_API_KEY'))!.edit!.changes[`${ROOT}/task-definition.json`]);
  assert.match(twice, /"secrets": \[\n {8}\{"name": "STRIPE_API_KEY", "valueFrom": "\/shop-web\/STRIPE_API_KEY"\}\n {6}\]/);
  JSON.parse(twice);
  assert.deepEqual(run({ 'app.py': code, 'task-definition.json': twice }).findings, []);
});

test("a variable a Terraform function does not get: the fix adds it to each of the folder's functions' variables (never a secret); the finding goes away", () => {
  // The archive is another file's of the module (data.tf), as in many real modules.
  const data = 'data "archive_file" "src" {\n  source_dir  = "${path.module}/../src"\n  output_path = "src.zip"\n}\n';
  const lambda = 'resource "aws_lambda_function" "report" {\n  filename = data.archive_file.src.output_path\n  runtime  = "python3.12"\n  environment {\n    variables = {\n      A = "1"\n    }\n  }\n}\n';
  const code = 'import os\nREGION = os.environ["REPORT_REGION"]\nK = os.environ["STRIPE_API_KEY"]\n';
  const files = { 'src/app.py': code, 'infra/data.tf': data };
  const { ctx, texts, findings } = run({ ...files, 'infra/lambda.tf': lambda });
  assert.deepEqual(findings.map((f) => f.message), ['REPORT_REGION is required here but terraform report does not provide it', 'STRIPE_API_KEY is required here but terraform report does not provide it']);
  const actions = envCodeActions(ctx, findings).filter((a) => a.title.includes('lambda.tf'));
  assert.deepEqual(actions.map((a) => a.title), ['Add REPORT_REGION to lambda.tf report environment']);
  const fixed = apply(texts.get(`${ROOT}/infra/lambda.tf`)!, actions[0].edit!.changes[`${ROOT}/infra/lambda.tf`]);
  assert.equal(fixed, lambda.replace('      A = "1"\n', '      A = "1"\n      REPORT_REGION = ""\n'));
  assert.deepEqual(run({ ...files, 'infra/lambda.tf': fixed }).findings.map((f) => f.message), ['STRIPE_API_KEY is required here but terraform report does not provide it']);
});

test("a variable a CDK stack's function does not get: the fix adds it to its environment dict (never a secret); the finding goes away", () => {
  const stack = (env: string) => `from aws_cdk import Stack, aws_lambda as _lambda\n\nclass S(Stack):\n    def __init__(self, scope, cid):\n        super().__init__(scope, cid)\n        _lambda.Function(self, "Report", runtime=_lambda.Runtime.PYTHON_3_12, code=_lambda.Code.from_asset("src"), handler="app.handler", environment=${env})\n`;
  const code = 'import os\nREGION = os.environ["REPORT_REGION"]\nK = os.environ["STRIPE_API_KEY"]\n';
  const first = stack('{\n            "A": "1",\n        }');
  const { ctx, texts, findings } = run({ 'src/app.py': code, 'stack.py': first });
  assert.deepEqual(findings.map((f) => f.message), ['REPORT_REGION is required here but cdk Report does not provide it', 'STRIPE_API_KEY is required here but cdk Report does not provide it']);
  const actions = envCodeActions(ctx, findings).filter((a) => a.title.includes('stack.py'));
  assert.deepEqual(actions.map((a) => a.title), ['Add REPORT_REGION to stack.py Report environment']);
  const fixed = apply(texts.get(`${ROOT}/stack.py`)!, actions[0].edit!.changes[`${ROOT}/stack.py`]);
  assert.equal(fixed, stack('{\n            "A": "1",\n            "REPORT_REGION": "",\n        }'));
  assert.deepEqual(run({ 'src/app.py': code, 'stack.py': fixed }).findings.map((f) => f.message), ['STRIPE_API_KEY is required here but cdk Report does not provide it']);
  // One line, no trailing comma; an empty dict.
  for (const [env, want] of [['{"A": "1"}', '{"A": "1", "REPORT_REGION": ""}'], ['{}', '{"REPORT_REGION": ""}']]) {
    const r = run({ 'src/app.py': code, 'stack.py': stack(env) });
    const fix = envCodeActions(r.ctx, r.findings).find((a) => a.title === 'Add REPORT_REGION to stack.py Report environment')!;
    assert.equal(apply(stack(env), fix.edit!.changes[`${ROOT}/stack.py`]), stack(want));
  }
});

test('an unused entry: the fix removes its lines when it has them to itself, never a line it shares with another entry; in JSON the property and its comma', () => {
  const unused = (files: Record<string, string>) => {
    const { ctx, texts } = context(files);
    const findings = runRules({ workspace: ctx.workspace, envStates: new Map(), settings: { envs: ['dev'], severities: {} } }).filter((f) => f.code === 'env-unused');
    return { ctx, texts, findings };
  };
  const code = 'import os\nT = os.environ["TABLE"]\n';
  const data = 'data "archive_file" "src" {\n  source_dir  = "${path.module}/../src"\n  output_path = "src.zip"\n}\n';
  const lambda = (vars: string) => `resource "aws_lambda_function" "report" {\n  filename = data.archive_file.src.output_path\n  runtime  = "python3.12"\n  environment {\n    variables = ${vars}\n  }\n}\n`;
  const multi = lambda('{\n      TABLE = "t"\n      OLD   = "x" # left over\n    }');
  const r = unused({ 'src/app.py': code, 'infra/data.tf': data, 'infra/lambda.tf': multi });
  assert.deepEqual(r.findings.map((f) => f.message), ["OLD is not read by src's code"]);
  const actions = envCodeActions(r.ctx, r.findings);
  assert.deepEqual(actions.map((a) => a.title), ['Remove unused OLD']);
  const fixed = apply(multi, actions[0].edit!.changes[`${ROOT}/infra/lambda.tf`]);
  assert.equal(fixed, lambda('{\n      TABLE = "t"\n    }'));
  assert.deepEqual(unused({ 'src/app.py': code, 'infra/data.tf': data, 'infra/lambda.tf': fixed }).findings, []);
  // On one line with TABLE: removing the line would remove TABLE too.
  const one = unused({ 'src/app.py': code, 'infra/data.tf': data, 'infra/lambda.tf': lambda('{ TABLE = "t", OLD = "x" }') });
  assert.deepEqual(one.findings.map((f) => f.message), ["OLD is not read by src's code"]);
  assert.deepEqual(envCodeActions(one.ctx, one.findings).map((a) => a.title), []);
  // A YAML flow mapping the same (a serverless.yml's `environment: {…}`).
  const sls = unused({ 'handler.py': code, 'serverless.yml': 'service: s\nprovider:\n  name: aws\n  runtime: python3.12\n  environment: {TABLE: t, OLD: x}\n' });
  assert.deepEqual(sls.findings.map((f) => f.message), ["OLD is not read by ws's code"]);
  assert.deepEqual(envCodeActions(sls.ctx, sls.findings).map((a) => a.title), []);
  // JSON (Zappa, Chalice): the property and its comma go, the file stays JSON, also on one line.
  for (const [vars, left] of [
    ['{\n      "TABLE": "t",\n      "OLD": "x"\n    }', '{\n      "TABLE": "t"\n    }'],
    ['{\n      "OLD": "x",\n      "TABLE": "t"\n    }', '{\n      "TABLE": "t"\n    }'],
    ['{"TABLE": "t", "OLD": "x"}', '{"TABLE": "t"}'],
    ['{\n      "OLD": "x"\n    }', '{}'],
  ]) {
    const settings = `{\n  "dev": {\n    "app_function": "app.app",\n    "environment_variables": ${vars}\n  }\n}\n`;
    const z = unused({ 'app.py': code, 'zappa_settings.json': settings });
    const fix = envCodeActions(z.ctx, z.findings).find((a) => a.title === 'Remove unused OLD')!;
    const after = apply(settings, fix.edit!.changes[`${ROOT}/zappa_settings.json`]);
    assert.equal(after, settings.replace(vars, left));
    assert.deepEqual(JSON.parse(after).dev.environment_variables, left === '{}' ? {} : { TABLE: 't' });
  }
  // A .env line, as before.
  const env = unused({ 'app.py': code, '.env': 'TABLE=t\nOLD=x\n' });
  const envFix = envCodeActions(env.ctx, env.findings).find((a) => a.title === 'Remove unused OLD')!;
  assert.equal(apply('TABLE=t\nOLD=x\n', envFix.edit!.changes[`${ROOT}/.env`]), 'TABLE=t\n');
});

test('a variable a Terraform ECS container does not get: in HCL, a heredoc and a rendered template, the fix adds it in the file\'s own syntax and layout; the findings go away', () => {
  const code = 'import os\nREGION = os.environ["REPORT_REGION"]\nK = os.environ["STRIPE_API_KEY"]\n';
  const hcl = 'resource "aws_ecs_task_definition" "web" {\n  family = "shop-web"\n  container_definitions = jsonencode([{\n    name = "web"\n    environment = [\n      { name = "A", value = "1" },\n    ]\n    secrets = []\n  }])\n}\n';
  const tf = 'terraform/ecs.tf';
  const { ctx, texts, findings } = run({ 'app.py': code, [tf]: hcl });
  assert.deepEqual(findings.map((f) => f.message), ['REPORT_REGION is required here but ecs shop-web does not provide it', 'STRIPE_API_KEY is required here but ecs shop-web does not provide it']);
  const actions = envCodeActions(ctx, findings).filter((a) => a.title.includes('ecs.tf'));
  assert.deepEqual(actions.map((a) => a.title), ['Add REPORT_REGION to ecs.tf web environment', 'Add STRIPE_API_KEY to ecs.tf web secrets (from SSM parameter /shop-web/STRIPE_API_KEY)']);
  const once = apply(texts.get(`${ROOT}/${tf}`)!, actions[0].edit!.changes[`${ROOT}/${tf}`]);
  assert.equal(once, hcl.replace('      { name = "A", value = "1" },\n', '      { name = "A", value = "1" },\n      { name = "REPORT_REGION", value = "" },\n'));
  const next = run({ 'app.py': code, [tf]: once });
  const twice = apply(once, envCodeActions(next.ctx, next.findings).find((a) => a.title.includes('STRIPE_API_KEY'))!.edit!.changes[`${ROOT}/${tf}`]);
  assert.ok(twice.includes('    secrets = [{ name = "STRIPE_API_KEY", valueFrom = "/shop-web/STRIPE_API_KEY" }]\n'), twice);
  assert.deepEqual(run({ 'app.py': code, [tf]: twice }).findings, []);
  // One line, without a trailing comma.
  const flat = hcl.replace('environment = [\n      { name = "A", value = "1" },\n    ]', 'environment = [{ name = "A", value = "1" }]');
  const f = run({ 'app.py': code, [tf]: flat });
  const flatOnce = apply(flat, envCodeActions(f.ctx, f.findings).find((a) => a.title.startsWith('Add REPORT_REGION to ecs.tf'))!.edit!.changes[`${ROOT}/${tf}`]);
  assert.ok(flatOnce.includes('environment = [{ name = "A", value = "1" }, { name = "REPORT_REGION", value = "" }]'), flatOnce);

  // A heredoc of JSON, with a slot outside a string: the JSON entry, in place.
  const heredoc = 'resource "aws_ecs_task_definition" "web" {\n  family = "shop-web"\n  container_definitions = <<EOF\n[\n  {\n    "name": "web",\n    "cpu": ${var.cpu},\n    "environment": [\n      {"name": "A", "value": "1"}\n    ]\n  }\n]\nEOF\n}\n';
  const h = run({ 'app.py': code, [tf]: heredoc });
  const hFix = envCodeActions(h.ctx, h.findings).find((a) => a.title === 'Add REPORT_REGION to ecs.tf web environment')!;
  const hOnce = apply(heredoc, hFix.edit!.changes[`${ROOT}/${tf}`]);
  assert.equal(hOnce, heredoc.replace('      {"name": "A", "value": "1"}\n', '      {"name": "A", "value": "1"},\n      {"name": "REPORT_REGION", "value": ""}\n'));

  // A template the task renders: the entry goes into the template.
  const task = 'resource "aws_ecs_task_definition" "web" {\n  family = "shop-web"\n  container_definitions = templatefile("${path.module}/templates/web.json.tpl", {})\n}\n';
  const tpl = '[\n  {\n    "name": "web",\n    "image": "${image}",\n    "environment": [\n      {"name": "A", "value": "${a}"}\n    ]\n  }\n]\n';
  const tplPath = 'terraform/templates/web.json.tpl';
  const t = run({ 'app.py': code, [tf]: task, [tplPath]: tpl });
  const tFix = envCodeActions(t.ctx, t.findings).find((a) => a.title === 'Add REPORT_REGION to web.json.tpl web environment')!;
  const tOnce = apply(tpl, tFix.edit!.changes[`${ROOT}/${tplPath}`]);
  assert.equal(tOnce, tpl.replace('      {"name": "A", "value": "${a}"}\n', '      {"name": "A", "value": "${a}"},\n      {"name": "REPORT_REGION", "value": ""}\n'));
  assert.deepEqual(run({ 'app.py': code, [tf]: task, [tplPath]: tOnce }).findings.map((x) => x.message), ['STRIPE_API_KEY is required here but ecs shop-web does not provide it']);
});

test("a variable a CDK stack's ECS container does not get: the fix adds it to the container's environment dict; the finding goes away", () => {
  const stack = (env: string) => `from aws_cdk import Stack, aws_ecs as ecs\n\nclass S(Stack):\n    def __init__(self, scope, cid):\n        super().__init__(scope, cid)\n        td = ecs.FargateTaskDefinition(self, "Td")\n        td.add_container("web", image=ecs.ContainerImage.from_asset("src"), environment=${env})\n`;
  const code = 'import os\nREGION = os.environ["REPORT_REGION"]\n';
  const r = run({ 'src/app.py': code, 'stack.py': stack('{"A": "1"}') });
  assert.deepEqual(r.findings.map((f) => f.message), ['REPORT_REGION is required here but cdk web does not provide it']);
  const fix = envCodeActions(r.ctx, r.findings).find((a) => a.title === 'Add REPORT_REGION to stack.py web environment')!;
  const fixed = apply(stack('{"A": "1"}'), fix.edit!.changes[`${ROOT}/stack.py`]);
  assert.equal(fixed, stack('{"A": "1", "REPORT_REGION": ""}'));
  assert.deepEqual(run({ 'src/app.py': code, 'stack.py': fixed }).findings, []);
});

test("a variable a Terraform ECS container of a locals block does not get: the fix adds it where the container is written, in the locals' file", () => {
  const code = 'import os\nREGION = os.environ["REPORT_REGION"]\n';
  const locals = 'locals {\n  containers = [\n    {\n      name        = "web"\n      image       = "shop:latest"\n      environment = [\n        { name = "A", value = "1" }\n      ]\n    }\n  ]\n}\n';
  const task = 'resource "aws_ecs_task_definition" "web" {\n  family                = "shop-web"\n  container_definitions = jsonencode(local.containers)\n}\n';
  const r = run({ 'app.py': code, 'terraform/locals.tf': locals, 'terraform/ecs.tf': task });
  assert.deepEqual(r.findings.map((f) => f.message), ['REPORT_REGION is required here but ecs shop-web does not provide it']);
  const fix = envCodeActions(r.ctx, r.findings).find((a) => a.title === 'Add REPORT_REGION to locals.tf web environment')!;
  const fixed = apply(locals, fix.edit!.changes[`${ROOT}/terraform/locals.tf`]);
  assert.equal(fixed, locals.replace('        { name = "A", value = "1" }\n', '        { name = "A", value = "1" },\n        { name = "REPORT_REGION", value = "" }\n'));
  assert.deepEqual(run({ 'app.py': code, 'terraform/locals.tf': fixed, 'terraform/ecs.tf': task }).findings, []);
});
