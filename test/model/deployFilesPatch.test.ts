// A keystroke in one deployment file of web/ (a Dockerfile, Heroku's app.json, a fly.toml, a
// Databricks app.yaml, a serverless.yml, a SAM template, a Terraform file, a zappa_settings.json, a
// .chalice/config.json, an ECS task definition) replaces its model in place: patchWorkspace must give
// what buildWorkspace gives, only web/'s app made anew unless the file's shape changed.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initPython } from '../../server/src/parse/python';
import { initTerraform } from '../../server/src/parse/terraform';
import { buildWorkspace, type BuildInput } from '../../server/src/model/build';
import { patchWorkspace } from '../../server/src/model/patch';
import { built } from './buildInput.helpers';
import { addEnvFile } from '../../server/src/model/scan';
import { parseEnvFile, type EnvFileKind } from '../../server/src/model/files';
import type { EnvListName } from '../../server/src/model/types';
import { renewed, withOne } from './sourcesPatch.helpers';

before(async () => {
  await initPython();
  await initTerraform();
});

const DOCKERFILE_URI = 'file:///ws/web/Dockerfile';
const withDockerfile = (text: string) => withOne('dockerfiles', 'dockerfile', DOCKERFILE_URI, text);
const FLY_FIRST = 'app = "web"\n[env]\n  PORT = "8080"\n';
const DBX_FIRST = 'command: [gunicorn, app:app]\nenv:\n  - name: PORT\n    value: "8080"\n';
const SAM_FIRST = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Web:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n      Environment:\n        Variables:\n          PORT: "8080"\n';
const ECS_FIRST = '{"family": "web", "containerDefinitions": [{"name": "web", "image": "web:latest", "environment": [{"name": "PORT", "value": "8080"}]}]}';
const CHALICE_FIRST = '{"app_name": "web", "environment_variables": {"PORT": "8080"}, "stages": {"dev": {}}}';
const TF_FIRST = 'data "archive_file" "web" {\n  type        = "zip"\n  source_dir  = path.module\n  output_path = "web.zip"\n}\n\nresource "aws_lambda_function" "web" {\n  filename = data.archive_file.web.output_path\n  runtime  = "python3.12"\n  environment {\n    variables = {\n      PORT = "8080"\n    }\n  }\n}\n';
const TF_ECS_FIRST = 'resource "aws_ecs_task_definition" "web" {\n  family = "web"\n  container_definitions = jsonencode([\n    {\n      name  = "web"\n      image = "web:latest"\n      environment = [{ name = "PORT", value = "8080" }]\n    }\n  ])\n}\n';
const TF_ECS_MODULE_FIRST = 'module "web" {\n  source = "terraform-aws-modules/ecs/aws//modules/container-definition"\n  name   = "web"\n  image  = "web:latest"\n  environment = [{ name = "PORT", value = "8080" }]\n}\nresource "aws_ecs_task_definition" "web" {\n  family = "web"\n  container_definitions = jsonencode([module.web.json_map_object])\n}\n';
const TF_ECS_LOCALS_FIRST = 'locals {\n  containers = [{ name = "web", image = "web:latest", environment = [{ name = "PORT", value = "8080" }] }]\n}\nresource "aws_ecs_task_definition" "web" {\n  family = "web"\n  container_definitions = jsonencode(local.containers)\n}\n';
const ZAPPA_FIRST = '{"dev": {"app_function": "app.app", "environment_variables": {"PORT": "8080"}}}';
const SLS_FIRST = 'service: web\nprovider:\n  name: aws\n  runtime: python3.12\n  environment:\n    PORT: "8080"\n';

const ONE_FILE: { name: string; list: EnvListName; kind: EnvFileKind; uri: string; source: string; first: string; edits: [string, string, string[]?][] }[] = [
  {
    name: 'Dockerfile',
    list: 'dockerfiles',
    kind: 'dockerfile',
    uri: DOCKERFILE_URI,
    source: 'dockerfile:file:///ws/web/Dockerfile',
    first: 'FROM python:3.12\nENV PORT=8080\n',
    edits: [
      ['a variable added', 'FROM python:3.12\nENV PORT=8080 SECRET_KEY=x\n'],
      ['a half-typed instruction', 'FROM python:3.12\nENV PORT=8080 SEC'],
      ['a new final stage (the old ENV no longer reaches the image)', 'FROM python:3.12\nENV PORT=8080\nFROM python:3.12-slim\n'],
    ],
  },
  {
    name: 'app.json',
    list: 'appJson',
    kind: 'app-json',
    uri: 'file:///ws/web/app.json',
    source: 'heroku:file:///ws/web/app.json',
    first: '{"env": {"PORT": "8080"}}',
    edits: [
      ['a variable added', '{"env": {"PORT": "8080", "SECRET_KEY": {"generator": "secret"}}}'],
      ['a half-typed entry', '{"env": {"PORT": "8080", "SEC'],
      ['an add-on Orchard does not know (the source becomes incomplete)', '{"env": {"PORT": "8080"}, "addons": ["mailgun"]}'],
    ],
  },
  {
    name: 'fly.toml',
    list: 'fly',
    kind: 'fly',
    uri: 'file:///ws/web/fly.toml',
    source: 'fly:file:///ws/web/fly.toml',
    first: FLY_FIRST,
    edits: [
      ['a variable added', `${FLY_FIRST}  SECRET_KEY = "k"\n`],
      ['a half-typed line (the file is then not read)', `${FLY_FIRST}  SECRET_KEY = "k`],
      ['the app renamed', FLY_FIRST.replace('"web"', '"web-2"')],
    ],
  },
  {
    name: 'Databricks app.yaml',
    list: 'databricksApp',
    kind: 'source',
    uri: 'file:///ws/web/app.yaml',
    source: 'databricks:file:///ws/web/app.yaml',
    first: DBX_FIRST,
    edits: [
      ['a variable added', `${DBX_FIRST}  - name: SECRET_KEY\n    valueFrom: secret\n`],
      ['a value typed', DBX_FIRST.replace('"8080"', '"8081"')],
    ],
  },
  {
    name: 'serverless.yml',
    list: 'serverless',
    kind: 'serverless',
    uri: 'file:///ws/web/serverless.yml',
    source: 'sls:file:///ws/web/serverless.yml',
    first: SLS_FIRST,
    edits: [
      ['a variable added', `${SLS_FIRST}    SECRET_KEY: \${ssm:/web/SECRET_KEY}\n`],
      ['a function with its own environment', `${SLS_FIRST}functions:\n  api:\n    handler: app.handler\n    environment:\n      API_ONLY: "1"\n`],
      ['the service renamed', SLS_FIRST.replace('service: web', 'service: web-2')],
      ['a plugin that adds a .env (the source becomes incomplete)', `${SLS_FIRST}plugins:\n  - serverless-dotenv-plugin\n`],
    ],
  },
  {
    name: 'SAM template',
    list: 'sam',
    kind: 'source',
    uri: 'file:///ws/web/template.yaml',
    source: 'sam:file:///ws/web/template.yaml#file:///ws/web',
    first: SAM_FIRST,
    edits: [
      ['a variable added', `${SAM_FIRST}          API_KEY: '{{resolve:ssm:/web/api-key}}'\n`],
      ['Globals added', SAM_FIRST.replace('Resources:', 'Globals:\n  Function:\n    Environment:\n      Variables:\n        LOG_FORMAT: json\nResources:')],
    ],
  },
  {
    name: 'Terraform file',
    list: 'terraform',
    kind: 'source',
    uri: 'file:///ws/web/main.tf',
    source: 'tf:file:///ws/web/main.tf#file:///ws/web',
    first: TF_FIRST,
    edits: [
      ['a variable added', TF_FIRST.replace('PORT = "8080"', 'PORT = "8080"\n      TABLE = aws_dynamodb_table.t.name')],
      ['the variables given by an expression', TF_FIRST.replace(/\{\n {6}PORT = "8080"\n {4}\}/, 'var.env')],
      // (A function added is a new source's or joins this one: the apps are built again.)
      ['a function added', `${TF_FIRST}resource "aws_lambda_function" "worker" {\n  filename = data.archive_file.web.output_path\n  runtime = "python3.12"\n}\n`, ['(root)', 'api', 'plain', 'web']],
    ],
  },
  {
    name: 'Terraform ECS task definition',
    list: 'terraform',
    kind: 'source',
    uri: 'file:///ws/web/main.tf',
    source: 'ecs:file:///ws/web/main.tf#web/web',
    first: TF_ECS_FIRST,
    edits: [
      ['a variable added', TF_ECS_FIRST.replace('"8080" }]', '"8080" }, { name = "DEBUG", value = "1" }]')],
      ['a secret added', TF_ECS_FIRST.replace('}]\n', '}]\n      secrets = [{ name = "DB_PASSWORD", valueFrom = aws_ssm_parameter.db.arn }]\n')],
      ['the environment given by an expression', TF_ECS_FIRST.replace('[{ name = "PORT", value = "8080" }]', 'var.env')],
      // (A container added is a new source: the apps are built again.)
      ['a container added', TF_ECS_FIRST.replace('  ])', '    , { name = "worker", image = "web:latest" }\n  ])'), ['(root)', 'api', 'plain', 'web']],
    ],
  },
  {
    name: 'Terraform ECS container definition module',
    list: 'terraform',
    kind: 'source',
    uri: 'file:///ws/web/main.tf',
    source: 'ecs:file:///ws/web/main.tf#web/web',
    first: TF_ECS_MODULE_FIRST,
    edits: [
      // (A task's containers from a module: which module is the folder's files' to say, so the apps are built again.)
      ['a variable added', TF_ECS_MODULE_FIRST.replace('"8080" }]', '"8080" }, { name = "DEBUG", value = "1" }]'), ['(root)', 'api', 'plain', 'web']],
      ['the module removed', TF_ECS_MODULE_FIRST.replace(/^module[^]*?\n}\n/, ''), ['(root)', 'api', 'plain', 'web']],
    ],
  },
  {
    name: 'Terraform ECS containers of a locals block',
    list: 'terraform',
    kind: 'source',
    uri: 'file:///ws/web/main.tf',
    source: 'ecs:file:///ws/web/main.tf#web/web',
    first: TF_ECS_LOCALS_FIRST,
    edits: [['a variable added', TF_ECS_LOCALS_FIRST.replace('"8080" }]', '"8080" }, { name = "DEBUG", value = "1" }]'), ['(root)', 'api', 'plain', 'web']]],
  },
  {
    name: 'zappa_settings.json',
    list: 'zappa',
    kind: 'zappa',
    uri: 'file:///ws/web/zappa_settings.json',
    source: 'zappa:file:///ws/web/zappa_settings.json#dev',
    first: ZAPPA_FIRST,
    edits: [
      ['a variable added', ZAPPA_FIRST.replace('"8080"}', '"8080", "SECRET_KEY": "k"}')],
      ['a half-typed entry', ZAPPA_FIRST.replace('"8080"}', '"8080", "SEC')],
      // (A new stage is a new source: the apps are built again.)
      ['a stage added', ZAPPA_FIRST.replace(/}$/, ', "prod": {"extends": "dev", "remote_env": "s3://b/p.json"}}'), ['(root)', 'api', 'plain', 'web']],
    ],
  },
  {
    name: '.chalice/config.json',
    list: 'chalice',
    kind: 'chalice',
    uri: 'file:///ws/web/.chalice/config.json',
    source: 'chalice:file:///ws/web/.chalice/config.json#dev',
    first: CHALICE_FIRST,
    edits: [
      ['a variable added', CHALICE_FIRST.replace('"8080"}', '"8080", "SECRET_KEY": "k"}')],
      ['a stage variable added', CHALICE_FIRST.replace('"dev": {}', '"dev": {"environment_variables": {"DEBUG": "1"}}')],
    ],
  },
  {
    name: 'ECS task definition',
    list: 'ecs',
    kind: 'source',
    uri: 'file:///ws/web/task-definition.json',
    source: 'ecs:file:///ws/web/task-definition.json#web',
    first: ECS_FIRST,
    edits: [
      ['a variable added', ECS_FIRST.replace('"8080"}]', '"8080"}, {"name": "DEBUG", "value": "1"}]')],
      ['a secret added', ECS_FIRST.replace('}]}]}', '}], "secrets": [{"name": "DB_PASSWORD", "valueFrom": "/web/db"}]}]}')],
      // (A container added is a new source: the apps are built again.)
      ['a container added', ECS_FIRST.replace(']}]}', ']}, {"name": "worker", "image": "web:latest"}]}'), ['(root)', 'api', 'plain', 'web']],
    ],
  },
];

for (const f of ONE_FILE) {
  for (const [what, text, renewedApps = ['web']] of f.edits) {
    test(`${f.name} edit, ${what}: patched equals built, ${renewedApps.length === 1 ? 'only that app is new' : 'every app built again'}`, () => {
      const first = withOne(f.list, f.kind, f.uri, f.first);
      assert.ok(buildWorkspace(first).apps!.find((a) => a.root.endsWith('/web'))!.sources.some((s) => s.id === f.source));
      const prev = built(first);
      const inp: BuildInput = { ...first, env: { ...first.env!, [f.list]: withOne(f.list, f.kind, f.uri, text).env![f.list] } };
      const got = patchWorkspace(prev, inp);
      assert.ok(got, 'patched');
      assert.deepEqual(got, buildWorkspace(inp));
      assert.deepEqual(renewed(prev, got).sort(), renewedApps);
    });
  }
}

test('a Chalice config beside its template, edited: its stages stay unknown, patched equals built', () => {
  const TEMPLATE_URI = 'file:///ws/web/.chalice/config_template.json';
  const withTemplate = (text: string): BuildInput => {
    const inp = withOne('chalice', 'chalice', 'file:///ws/web/.chalice/config.json', text);
    const sink = { env: { ...inp.env!, chalice: [...(inp.env!.chalice ?? [])] }, credentials: [...(inp.credentials ?? [])] };
    addEnvFile(sink, parseEnvFile('chalice', '{"version": "2.0", "app_name": "web"}', TEMPLATE_URI));
    return { ...inp, env: sink.env, credentials: sink.credentials };
  };
  const first = withTemplate(CHALICE_FIRST);
  const dev = buildWorkspace(first).apps!.find((a) => a.root.endsWith('/web'))!.sources.find((s) => s.kind === 'chalice')!;
  assert.equal(dev.complete, false);
  const prev = built(first);
  // (The template unchanged: the same model, as the language server keeps it.)
  const edited = withOne('chalice', 'chalice', 'file:///ws/web/.chalice/config.json', CHALICE_FIRST.replace('"8080"}', '"8081"}')).env!.chalice!;
  const inp: BuildInput = { ...first, env: { ...first.env!, chalice: first.env!.chalice!.map((m) => (m.template ? m : edited[0])) } };
  const got = patchWorkspace(prev, inp);
  assert.ok(got, 'patched');
  assert.deepEqual(got, buildWorkspace(inp));
  assert.deepEqual(renewed(prev, got), ['web']);
});

test("a Dockerfile edited onto another program's image leaves the app's sources: patched equals built", () => {
  const first = withDockerfile('FROM python:3.12\nENV PORT=8080\n');
  const prev = built(first);
  const inp: BuildInput = { ...first, env: { ...first.env!, dockerfiles: withDockerfile('FROM nginx:1.27\nENV PORT=8080\n').env!.dockerfiles } };
  const got = patchWorkspace(prev, inp)!;
  assert.deepEqual(got, buildWorkspace(inp));
  assert.ok(!got.apps!.some((a) => a.sources.some((s) => s.kind === 'dockerfile')));
});
