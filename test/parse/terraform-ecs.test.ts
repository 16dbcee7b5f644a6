// A Terraform file's `aws_ecs_task_definition` resources (parse/terraformEcs.ts through
// parseTerraform) and the sources made from them (model/hostedSources.ts terraformTaskSources).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initTerraform, parseTerraform } from '../../server/src/parse/terraform';
import { terraformTaskSources } from '../../server/src/model/hostedSources';
import { terraformResolver } from '../../server/src/model/hostedSources';
import { isContainerTemplateName, parseEcsContainerFile } from '../../server/src/parse/ecsTaskDef';
import { parseEnvFile } from '../../server/src/model/files';
import type { TerraformModel } from '../../server/src/parse/platformTypes';

before(async () => {
  await initTerraform();
});

const URI = 'file:///ws/terraform/ecs.tf';
const read = (text: string) => parseTerraform(text, URI);

const HCL = `resource "aws_ecs_task_definition" "app" {
  family                = "shop"
  container_definitions = jsonencode([
    {
      name  = "web"
      image = "\${aws_ecr_repository.app.repository_url}:latest"
      environment = [
        { name = "DB_HOST", value = aws_db_instance.db.address },
        { "name" : "MODE", "value" : "prod" },
        { name = "PORT", value = 8080 },
        { name = "PREFIX", value = "\${var.stage}-shop" },
      ]
      secrets = [
        { name = "DB_PASSWORD", valueFrom = aws_ssm_parameter.pw.arn },
        { name = "API_TOKEN", valueFrom = "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/api-token" },
      ]
    },
    {
      name        = "proxy"
      image       = "nginx:1.25"
      environment = [{ name = "NGINX_PORT", value = "80" }]
    },
    {
      name  = "xray"
      image = "public.ecr.aws/xray/aws-xray-daemon:3.3"
    }
  ])
}
`;

type Row = [string, string, number];
const rows = (m: TerraformModel | undefined, task: string, container: string): Row[] =>
  m!.tasks.find((t) => t.id === task)!.containers.find((c) => c.name === container)!.entries.map((e) => [e.key, e.value ?? `${e.secret ? 'secret ' : ''}from ${e.from}`, e.keyRange.start.line]);

test('jsonencode: each container, its environment (values, what Terraform fills in) and secrets (where from), in place', () => {
  const m = read(HCL)!;
  assert.deepEqual(m.tasks.map((t) => [t.id, t.family, t.form, t.unknown, t.containers.map((c) => [c.name, c.image])]), [
    ['app', 'shop', 'hcl', undefined, [['web', ''], ['proxy', 'nginx'], ['xray', 'xray/aws-xray-daemon']]],
  ]);
  assert.deepEqual(rows(m, 'app', 'web'), [
    ['DB_HOST', 'from Terraform: aws_db_instance.db.address', 7],
    ['MODE', 'prod', 8],
    ['PORT', '8080', 9],
    // A template's literal parts are not said (they may be a secret's).
    ['PREFIX', 'from Terraform, when applying', 10],
    ['DB_PASSWORD', 'secret from Terraform: aws_ssm_parameter.pw.arn', 13],
    ['API_TOKEN', 'secret from SSM parameter /shop/api-token', 14],
  ]);
  const web = m.tasks[0].containers[0];
  const at = (r: { start: { line: number; character: number }; end: { character: number } }) => HCL.split('\n')[r.start.line].slice(r.start.character, r.end.character);
  assert.deepEqual([at(web.entries[1].valueRange!), at(web.entries[1].keyRange), at(web.nameRange)], ['"prod"', '"MODE"', '"web"']);
});

test("the sources: the app's container only (not nginx's, not a sidecar's), secrets sensitive, what ECS sets", () => {
  const m = read(HCL)!;
  const sources = terraformTaskSources(m);
  assert.deepEqual(sources.map((s) => [s.id, s.label, s.kind, s.complete]), [[`ecs:${URI}#app/web`, 'ecs shop', 'ecs', true]]);
  const byName = new Map(sources[0].provides.map((p) => [p.name, p]));
  assert.equal(byName.get('DB_HOST')!.detail, 'environment (Terraform: aws_db_instance.db.address)');
  assert.equal(byName.get('DB_PASSWORD')!.detail, 'secrets (from Terraform: aws_ssm_parameter.pw.arn)');
  assert.equal(byName.get('DB_PASSWORD')!.sensitive, true);
  assert.equal(byName.get('API_TOKEN')!.detail, 'secrets (from SSM parameter /shop/api-token)');
  assert.equal(byName.get('MODE')!.value, 'prod');
  assert.equal(byName.get('MODE')!.userDefined, false);
  assert.equal(byName.get('ECS_CONTAINER_METADATA_URI_V4')!.detail, 'set by ECS: the task metadata endpoint (v4)');
  assert.ok(!byName.has('NGINX_PORT'));
});

test('a heredoc of JSON: read in place; `${…}` outside a string is a number once applied, inside one a slot Terraform fills', () => {
  const text = `resource "aws_ecs_task_definition" "worker" {
  family = "worker"
  container_definitions = <<-DEFINITION
  [
    {
      "name": "worker",
      "image": "\${var.image}",
      "cpu": \${var.cpu},
      "environment": [
        { "name": "DB_HOST", "value": "\${aws_db_instance.db.address}" },
        { "name": "QUEUE", "value": "jobs" }
      ],
      "secrets": [{ "name": "DB_PASSWORD", "valueFrom": "\${aws_secretsmanager_secret.db.arn}" }],
      "environmentFiles": [{ "value": "arn:aws:s3:::bucket/app.env", "type": "s3" }]
    }
  ]
  DEFINITION
}
`;
  const m = read(text)!;
  assert.deepEqual([m.tasks[0].form, m.tasks[0].unknown, m.tasks[0].containers[0].environmentFiles], ['json', undefined, true]);
  assert.deepEqual(rows(m, 'worker', 'worker'), [
    ['DB_HOST', 'from Terraform: aws_db_instance.db.address', 9],
    ['QUEUE', 'jobs', 10],
    ['DB_PASSWORD', 'secret from Terraform: aws_secretsmanager_secret.db.arn', 12],
  ]);
  const q = m.tasks[0].containers[0].entries[1];
  assert.equal(text.split('\n')[q.valueRange!.start.line].slice(q.valueRange!.start.character, q.valueRange!.end.character), '"jobs"');
  const [s] = terraformTaskSources(m);
  assert.deepEqual([s.complete, s.incompleteReason], [false, 'environmentFiles load more variables from S3 when the task starts']);
  // The same with CRLF line ends, and as `<<EOF` (no indentation stripped).
  const crlf = read(text.replace(/\n/g, '\r\n').replace('<<-DEFINITION', '<<DEFINITION'))!;
  assert.deepEqual(rows(crlf, 'worker', 'worker'), rows(m, 'worker', 'worker'));
});

test('a quoted string of JSON (as terraform import writes it): read, every place the string', () => {
  const m = read('resource "aws_ecs_task_definition" "imported" {\n  container_definitions = "[{\\"name\\":\\"flask\\",\\"environment\\":[{\\"name\\":\\"MODE\\",\\"value\\":\\"a\\\\\\"b\\"}],\\"secrets\\":[{\\"name\\":\\"MYSQL_PASSWORD\\",\\"valueFrom\\":\\"/flask/db/password\\"}]}]"\n  family = "flask-test-app"\n}\n')!;
  assert.deepEqual(rows(m, 'imported', 'flask'), [
    ['MODE', 'a"b', 1],
    ['MYSQL_PASSWORD', 'secret from SSM parameter /flask/db/password', 1],
  ]);
  assert.equal(m.tasks[0].containers[0].entries[0].valueRange, undefined);
  assert.equal(terraformTaskSources(m)[0].label, 'ecs flask-test-app');
});

test('what Orchard does not follow makes the task (or the container) unknown, said why, never quoting a value', () => {
  const m = read(`resource "aws_ecs_task_definition" "tpl" {
  container_definitions = templatefile("\${path.module}/task.json.tpl", { image = var.image })
}
resource "aws_ecs_task_definition" "file" {
  container_definitions = file("task-definition.json")
}
resource "aws_ecs_task_definition" "data" {
  container_definitions = data.template_file.task.rendered
}
resource "aws_ecs_task_definition" "mod" {
  container_definitions = module.web_container.json_map_encoded_list
}
resource "aws_ecs_task_definition" "locals" {
  container_definitions = jsonencode(local.containers)
}
resource "aws_ecs_task_definition" "directives" {
  container_definitions = <<EOF
[%{ for c in var.containers }{"name": "\${c}"}%{ endfor }]
EOF
}
resource "aws_ecs_task_definition" "mixed" {
  container_definitions = jsonencode([
    module.sidecar.json_map_object,
    {
      name        = "web"
      environment = [for k, v in var.env : { name = k, value = v }]
      secrets     = [{ name = "API_KEY", valueFrom = "/web/api-key" }, { name = var.extra, valueFrom = "/web/x" }]
    },
    {
      name        = "api"
      environment = concat(local.common, [{ name = "TOKEN", value = "sk_live_CANARY\\"q" }])
    }
  ])
}
`)!;
  assert.deepEqual(m.tasks.map((t) => [t.id, t.unknown ?? (t.modules ? `modules ${t.modules}` : `locals ${t.locals}`)]), [
    ['tpl', 'its container definitions are rendered from task.json.tpl, which Orchard cannot read as container definitions'],
    ['file', 'its container definitions are rendered from task-definition.json, which Orchard cannot read as container definitions'],
    ['data', 'its container definitions are rendered by the template_file data source task, whose template Orchard cannot read'],
    ['mod', 'modules web_container'],
    ['locals', 'locals containers'],
    ['directives', 'its container definitions are a template with directives (`%{ … }`), which Orchard does not follow'],
    ['mixed', 'modules sidecar'],
  ]);
  const mixed = m.tasks[6].containers;
  assert.deepEqual(mixed.map((c) => [c.name, c.unknown]), [
    ['web', 'its environment is computed by Terraform; an entry of its secrets is computed by Terraform'],
    ['api', 'its environment is computed by Terraform'],
  ]);
  const sources = terraformTaskSources(m);
  assert.deepEqual(sources.map((s) => [s.id.slice(URI.length + 5), s.label, s.complete]), [
    ['tpl', 'ecs tpl', false],
    ['file', 'ecs file', false],
    ['data', 'ecs data', false],
    ['mod', 'ecs mod', false],
    ['locals', 'ecs locals', false],
    ['directives', 'ecs directives', false],
    ['mixed/web', 'ecs mixed/web', false],
    ['mixed/api', 'ecs mixed/api', false],
  ]);
  assert.equal(sources[6].incompleteReason, "its environment is computed by Terraform; an entry of its secrets is computed by Terraform; a container definition is module sidecar's output, which Orchard cannot read");
  assert.equal(sources[3].incompleteReason, "a container definition is module web_container's output, which Orchard cannot read");
  // A task read whole gives only what ECS sets beside its reason.
  assert.ok(sources[0].provides.every((p) => p.detail.startsWith('set by ECS')));
  assert.ok(!JSON.stringify(m).includes('CANARY'));
  assert.ok(!JSON.stringify(sources).includes('CANARY'));
});

test("a plaintext value in a container's environment is found under its variable's name, in HCL and in a heredoc", () => {
  const text = `resource "aws_ecs_task_definition" "app" {
  container_definitions = jsonencode([{ name = "web", environment = [{ name = "DB_PASSWORD", value = "Xk9#mQ2vL7pR4tW8zB3n" }] }])
}
resource "aws_ecs_task_definition" "job" {
  container_definitions = <<EOF
[{"name": "job", "environment": [{"name": "API_SECRET_KEY", "value": "q8Zr3Lk2Vx9Pw4Ty7Nm1"}]}]
EOF
}
`;
  const f = parseEnvFile('source', text, URI);
  assert.equal(f.kind, 'terraform');
  assert.deepEqual(f.credentials.findings.map((x) => [x.range.start.line, x.detector, x.keyName]), [
    [1, 'password-assignment', 'DB_PASSWORD'],
    [5, 'secret-assignment', 'API_SECRET_KEY'],
  ]);
});

test('hostile input: a huge heredoc, many tasks, deep nesting: bounded, never a throw', () => {
  const big = `resource "aws_ecs_task_definition" "a" {\n  container_definitions = <<EOF\n[{"name": "a", "environment": [${Array.from({ length: 5000 }, (_, i) => `{"name": "V${i}", "value": "${i}"}`).join(',')}]}]\nEOF\n}\n`;
  const t0 = performance.now();
  const m = read(big)!;
  assert.equal(m.tasks[0].containers[0].entries.length, 2000);
  const many = read(Array.from({ length: 300 }, (_, i) => `resource "aws_ecs_task_definition" "t${i}" {\n  container_definitions = <<EOF\n[{"name": "c"}]\nEOF\n}\n`).join(''))!;
  assert.equal(many.tasks.length, 200);
  const deep = read(`resource "aws_ecs_task_definition" "d" {\n  container_definitions = jsonencode(${'['.repeat(50_000)})\n}\n`);
  assert.ok(deep === undefined || deep.tasks.length <= 1);
  assert.ok(performance.now() - t0 < 5000, `${performance.now() - t0} ms`);
});

test("a file of container definitions a task renders: read by content, each `${…}` a slot, directives unknown", () => {
  const tpl = `[
  {
    "name": "web",
    "image": "\${image}",
    "cpu": \${cpu},
    "environment": [
      { "name": "DB_HOST", "value": "\${db_host}" },
      { "name": "DATABASE_URL", "value": "postgres://\${user}:\${password}@\${host}/app" },
      { "name": "MODE", "value": "prod" }
    ],
    "secrets": [{ "name": "DB_PASSWORD", "valueFrom": "\${db_password_arn}" }]
  }
]
`;
  const m = parseEcsContainerFile(tpl, 'file:///ws/terraform/templates/app.json.tpl')!;
  assert.deepEqual([m.fragment, m.templated], [true, undefined]);
  assert.deepEqual(m.containers[0].entries.map((e) => [e.key, e.value ?? `${e.secret ? 'secret ' : ''}from ${e.from}`, e.keyRange.start.line]), [
    ['DB_HOST', 'from Terraform template variable db_host', 6],
    ['DATABASE_URL', 'from Terraform, when applying', 7],
    ['MODE', 'prod', 8],
    ['DB_PASSWORD', 'secret from Terraform template variable db_password_arn', 10],
  ]);
  const directives = parseEcsContainerFile('[\n%{ for n in names }\n{"name": "${n}", "image": "x"},\n%{ endfor }\n{"name": "w", "image": "w"}\n]\n', 'file:///ws/t.tftpl')!;
  assert.deepEqual([directives.templated, directives.containers], [true, []]);
  // Not container definitions: another template, an object, a list of other things.
  for (const other of ['#!/bin/bash\necho ${name}\n', '{"name": "x", "image": "y"}', '[{"id": 1, "title": "a"}]', '[1, 2]']) assert.equal(parseEcsContainerFile(other, 'file:///ws/x.tftpl'), undefined, other);
  assert.deepEqual(['task.json.tpl', 'app.json.tftpl', 'containers.tftpl', 'task_definition.tpl', 'web.tpl', 'task.json'].map(isContainerTemplateName), [true, true, true, true, false, false]);
});

test('a task names its file directly or through a template_file data source of its folder (Terraform 0.11 syntax too)', () => {
  const tasks = parseTerraform(`resource "aws_ecs_task_definition" "a" {
  container_definitions = templatefile("\${path.module}/templates/a.json.tpl", { image = var.image })
}
resource "aws_ecs_task_definition" "b" {
  container_definitions = "\${data.template_file.b.rendered}"
}
resource "aws_ecs_task_definition" "c" {
  container_definitions = file(var.defs)
}
`, URI)!;
  assert.deepEqual(tasks.tasks.map((t) => [t.id, t.renders, t.template, t.unknown]), [
    ['a', './templates/a.json.tpl', undefined, 'its container definitions are rendered from templates/a.json.tpl, which Orchard cannot read as container definitions'],
    ['b', undefined, 'b', 'its container definitions are rendered by the template_file data source b, whose template Orchard cannot read'],
    ['c', undefined, undefined, 'its container definitions are rendered from a file Terraform computes the path of'],
  ]);
  const data = parseTerraform('data "template_file" "b" {\n  template = "${file("${path.module}/task-definitions/b.json")}"\n  vars {\n    image = "${var.image}"\n  }\n}\ndata "template_file" "inline" {\n  template = <<EOF\n[]\nEOF\n}\n', 'file:///ws/terraform/data.tf')!;
  assert.deepEqual(data.templates, [{ name: 'b', file: './task-definitions/b.json' }, { name: 'inline' }]);
  const a = parseEcsContainerFile('[{"name": "a", "image": "${image}", "environment": [{"name": "A_URL", "value": "${url}"}]}]', 'file:///ws/terraform/templates/a.json.tpl')!;
  const b = parseEcsContainerFile('[{"name": "b", "image": "${image}", "environment": [{"name": "B_URL", "value": "u"}]}]', 'file:///ws/terraform/task-definitions/b.json')!;
  const sources = terraformTaskSources(tasks, terraformResolver([tasks, data], [a, b]));
  assert.deepEqual(sources.map((s) => [s.id.slice(URI.length + 5), s.uri, s.complete, s.provides.filter((p) => p.userDefined === false && !p.detail.startsWith('set by ECS')).map((p) => `${p.name} ${p.uri.split('/').pop()} ${p.range.start.line}`)]), [
    ['a/a', a.uri, true, ['A_URL a.json.tpl 0']],
    ['b/b', b.uri, true, ['B_URL b.json 0']],
    ['c', URI, false, []],
  ]);
  // Without the files read, the tasks are unknown (never "nothing provided").
  assert.deepEqual(terraformTaskSources(tasks).map((s) => s.complete), [false, false, false]);
});

test("terraform-aws-modules' ECS service module: its container_definitions map's containers, by key, are a task's", () => {
  const m = parseTerraform(`module "api" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "~> 5.0"
  name    = "shop-api"
  container_definitions = {
    api = {
      image       = "\${aws_ecr_repository.api.repository_url}:latest"
      environment = [{ name = "DB_HOST", value = aws_db_instance.db.address }]
      secrets     = [{ name = "DB_PASSWORD", valueFrom = "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/db" }]
    }
    "fluent-bit" = {
      image = "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"
    }
  }
}
module "computed" {
  source                = "terraform-aws-modules/ecs/aws//modules/service"
  container_definitions = local.containers
}
module "other" {
  source = "terraform-aws-modules/vpc/aws"
}
`, URI)!;
  assert.deepEqual(m.tasks.map((t) => [t.id, t.family, t.unknown, t.containers.map((c) => c.name)]), [
    ['api', 'shop-api', undefined, ['api', 'fluent-bit']],
    ['computed', undefined, 'its container definitions are computed by Terraform', []],
  ]);
  assert.deepEqual(rows(m, 'api', 'api'), [
    ['DB_HOST', 'from Terraform: aws_db_instance.db.address', 7],
    ['DB_PASSWORD', 'secret from SSM parameter /shop/db', 8],
  ]);
  // FireLens's image is a sidecar's: one app container, so the label is the task's.
  assert.deepEqual(terraformTaskSources(m).map((s) => [s.id.slice(URI.length + 5), s.label, s.complete]), [['api/api', 'ecs shop-api', true], ['computed', 'ecs computed', false]]);
});

test("container definition modules (terraform-aws-modules', Cloud Posse's) a task lists, also from another file of the folder", () => {
  const defs = parseTerraform(`module "web" {
  source = "terraform-aws-modules/ecs/aws//modules/container-definition"
  name   = "web"
  image  = "shop:latest"
  environment = [{ name = "MODE", value = "prod" }]
}
module "worker" {
  source          = "cloudposse/ecs-container-definition/aws"
  version         = "0.61.1"
  container_name  = "worker"
  container_image = var.image
  map_environment = { QUEUE_URL = aws_sqs_queue.jobs.url, LOG_LEVEL = "info" }
  map_secrets     = { API_KEY = "/shop/api-key" }
}
module "sidecar" {
  source          = "cloudposse/ecs-container-definition/aws"
  container_name  = "proxy"
  container_image = "nginx:1.25"
}
`, 'file:///ws/terraform/containers.tf')!;
  assert.deepEqual(defs.containerModules!.map((x) => [x.name, x.container.name, x.container.image, x.container.entries.map((e) => `${e.key}=${e.value ?? `${e.secret ? 'secret ' : ''}from ${e.from}`}`)]), [
    ['web', 'web', 'shop', ['MODE=prod']],
    ['worker', 'worker', '', ['QUEUE_URL=from Terraform: aws_sqs_queue.jobs.url', 'LOG_LEVEL=info', 'API_KEY=secret from SSM parameter /shop/api-key']],
    ['sidecar', 'proxy', 'nginx', []],
  ]);
  const tasks = parseTerraform(`resource "aws_ecs_task_definition" "shop" {
  family                = "shop"
  container_definitions = jsonencode([module.web.json_map_object, module.worker.json_map_object, module.sidecar.json_map_object])
}
resource "aws_ecs_task_definition" "legacy" {
  family                = "legacy"
  container_definitions = "[\${module.web.json_map_encoded}]"
}
resource "aws_ecs_task_definition" "missing" {
  container_definitions = module.elsewhere.json_map_encoded_list
}
`, URI)!;
  assert.deepEqual(tasks.tasks.map((t) => [t.id, t.modules]), [['shop', ['web', 'worker', 'sidecar']], ['legacy', ['web']], ['missing', ['elsewhere']]]);
  const sources = terraformTaskSources(tasks, terraformResolver([tasks, defs], []));
  assert.deepEqual(sources.map((s) => [s.id.slice(URI.length + 5), s.label, s.uri.split('/').pop(), s.complete, s.incompleteReason]), [
    ['shop/web', 'ecs shop/web', 'containers.tf', true, undefined],
    ['shop/worker', 'ecs shop/worker', 'containers.tf', true, undefined],
    ['legacy/web', 'ecs legacy', 'containers.tf', true, undefined],
    ['missing', 'ecs missing', 'ecs.tf', false, "a container definition is module elsewhere's output, which Orchard cannot read"],
  ]);
  assert.equal(sources[1].provides.find((p) => p.name === 'API_KEY')!.sensitive, true);
});

test("a plaintext value in a container definition module's environment is found under its variable's name", () => {
  const f = parseEnvFile('source', 'module "web" {\n  source      = "terraform-aws-modules/ecs/aws//modules/container-definition"\n  name        = "web"\n  environment = [{ name = "DB_PASSWORD", value = "Xk9#mQ2vL7pR4tW8zB3n" }]\n}\n', URI);
  assert.deepEqual(f.credentials.findings.map((x) => [x.range.start.line, x.detector, x.keyName]), [[3, 'password-assignment', 'DB_PASSWORD']]);
});

test('a task listing locals of its folder (`jsonencode(local.containers)`, `[local.web]`) takes their containers; another local or one not found is unknown', () => {
  const locals = parseTerraform(`locals {
  name = "shop"
  containers = [
    {
      name         = "web"
      image        = "\${aws_ecr_repository.web.repository_url}:latest"
      portMappings = [{ containerPort = 8000 }]
      environment  = [{ name = "DB_HOST", value = aws_db_instance.db.address }, { name = "DB_PASSWORD", value = "Xk9#mQ2vL7pR4tW8zB3n" }]
    }
  ]
  worker = {
    name        = "worker"
    image       = "shop:latest"
    environment = [{ name = "QUEUE", value = "jobs" }]
  }
  tags = { team = "shop" }
}
`, 'file:///ws/terraform/locals.tf')!;
  assert.deepEqual(locals.containerLocals!.map((l) => [l.name, l.containers.map((c) => [c.name, c.entries.map((e) => e.key)])]), [
    ['containers', [['web', ['DB_HOST', 'DB_PASSWORD']]]],
    ['worker', [['worker', ['QUEUE']]]],
  ]);
  const tasks = parseTerraform(`resource "aws_ecs_task_definition" "web" {
  family                = "shop-web"
  container_definitions = jsonencode(local.containers)
}
resource "aws_ecs_task_definition" "worker" {
  family                = "shop-worker"
  container_definitions = jsonencode([local.worker])
}
resource "aws_ecs_task_definition" "other" {
  container_definitions = jsonencode(local.tags)
}
`, URI)!;
  assert.deepEqual(tasks.tasks.map((t) => [t.id, t.locals, t.unknown]), [['web', ['containers'], undefined], ['worker', ['worker'], undefined], ['other', ['tags'], undefined]]);
  const sources = terraformTaskSources(tasks, terraformResolver([tasks, locals], []));
  assert.deepEqual(sources.map((s) => [s.id.slice(URI.length + 5), s.label, s.uri.split('/').pop(), s.complete, s.incompleteReason]), [
    ['web/web', 'ecs shop-web', 'locals.tf', true, undefined],
    ['worker/worker', 'ecs shop-worker', 'locals.tf', true, undefined],
    ['other', 'ecs other', 'ecs.tf', false, 'its container definitions are local.tags, which Orchard cannot read as container definitions'],
  ]);
  // The password in the local's container is found under its name.
  const f = parseEnvFile('source', 'locals {\n  containers = [{ name = "web", image = "x", environment = [{ name = "DB_PASSWORD", value = "Xk9#mQ2vL7pR4tW8zB3n" }] }]\n}\n', 'file:///ws/terraform/locals.tf');
  assert.deepEqual(f.credentials.findings.map((x) => [x.detector, x.keyName]), [['password-assignment', 'DB_PASSWORD']]);
});
