// A Terraform `aws_ecs_task_definition`'s containers as the app's sources, through the built CLI:
// from the app's root, a `terraform/` or `infra/` folder; a read it does not give is reported, one
// it gives from SSM is provided (named, never a value); a task rendered from a file is unknown, so
// nothing is "missing"; a plaintext value is found under its variable's name and never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTree, cli, withTree } from './tree.helpers';

/** A canary password with a quote, a backslash and a newline escape (HCL). */
const CANARY = 'Kd2\\"wq\\\\6ht\\nZm-canary-39';

const TASK = `resource "aws_ecs_task_definition" "web" {
  family                   = "shop-web"
  requires_compatibilities = ["FARGATE"]
  container_definitions = jsonencode([
    {
      name  = "web"
      image = "\${aws_ecr_repository.web.repository_url}:latest"
      environment = [
        { name = "DB_HOST", value = aws_db_instance.db.address },
        { name = "DB_PASSWORD", value = "${CANARY}" },
      ]
      secrets = [{ name = "API_TOKEN", valueFrom = aws_ssm_parameter.api_token.arn }]
    },
    {
      name        = "xray"
      image       = "amazon/aws-xray-daemon"
      environment = [{ name = "AWS_XRAY_DAEMON_ADDRESS", value = "0.0.0.0:2000" }]
    }
  ])
}
`;

const APP = 'import os\nH = os.environ["DB_HOST"]\nP = os.environ["DB_PASSWORD"]\nT = os.environ["API_TOKEN"]\nK = os.environ["OPENAI_API_KEY"]\n';

test("a Terraform ECS task definition's app container is the app's source, from terraform/ or infra/; no value printed", () => {
  for (const folder of ['terraform', 'infra/aws']) {
    withTree({ [`${folder}/ecs.tf`]: TASK, 'app.py': APP, Dockerfile: 'FROM python:3.12\nCOPY . /app\n' }, (root) => {
      const fs = checkTree(root);
      assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [
        ['env-not-provided', 'app.py', 5],
        ['credential-password-assignment', `${folder}/ecs.tf`, 10],
      ]);
      assert.equal(fs[0].message, 'OPENAI_API_KEY is required here but Dockerfile and ecs shop-web do not provide it');
      const env = cli(root, ['env', root]);
      assert.match(env, /API_TOKEN \(secret\)\s+required\s+✗\s+✓/);
      assert.doesNotMatch(env, /xray/);
      const json = cli(root, ['env', root, '--format', 'json']);
      assert.match(json, /secrets \(from Terraform: aws_ssm_parameter\.api_token\.arn\)/);
      const out = `${JSON.stringify(fs)}${env}${json}${cli(root, ['check', root, '--parse-only'], [0, 1])}`;
      for (const part of ['canary', 'wq', 'ht\\n', '6ht']) assert.ok(!out.includes(part), part);
    });
  }
});

test('a task rendered from a template file Orchard cannot read is unknown: nothing is reported missing, the reason is shown', () => {
  const rendered = 'resource "aws_ecs_task_definition" "web" {\n  family = "web"\n  container_definitions = templatefile("${path.module}/task.json.tpl", { image = var.image })\n}\n';
  withTree({ 'terraform/ecs.tf': rendered, 'app.py': APP }, (root) => {
    assert.deepEqual(checkTree(root), []);
    assert.match(cli(root, ['env', root]), /\? ecs web: its container definitions are rendered from task\.json\.tpl, which Orchard cannot read as container definitions/);
  });
});

test("a .tf file in a folder that is neither the app's root, a deployment folder nor a Terraform one is not the app's", () => {
  withTree({ 'tools/loadtest/main.tf': TASK.replace(/\{ name = "DB_PASSWORD"[^\n]*\n/, ''), 'app.py': APP, '.env': 'DB_HOST=x\n' }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line]), [
      ['env-not-provided', 'app.py', 3],
      ['env-not-provided', 'app.py', 4],
      ['env-not-provided', 'app.py', 5],
    ]);
    assert.doesNotMatch(cli(root, ['env', root]), /ecs/);
  });
});

test('a task rendered from a template of container definitions takes its containers (a template_file of another file too); a value there is found, never printed', () => {
  const tf = 'resource "aws_ecs_task_definition" "web" {\n  family = "shop-web"\n  container_definitions = data.template_file.web.rendered\n}\n';
  const data = 'data "template_file" "web" {\n  template = file("${path.module}/templates/web.json.tpl")\n  vars = { db_host = aws_db_instance.db.address }\n}\n';
  const tpl = `[\n  {\n    "name": "web",\n    "image": "\${image}",\n    "cpu": \${cpu},\n    "environment": [\n      { "name": "DB_HOST", "value": "\${db_host}" },\n      { "name": "DB_PASSWORD", "value": "${CANARY}" }\n    ],\n    "secrets": [{ "name": "API_TOKEN", "valueFrom": "\${api_token_arn}" }]\n  }\n]\n`;
  withTree({ 'terraform/ecs.tf': tf, 'terraform/data.tf': data, 'terraform/templates/web.json.tpl': tpl, 'app.py': APP }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line, f.severity]), [
      ['env-not-provided', 'app.py', 5, 'warning'],
      ['credential-password-assignment', 'terraform/templates/web.json.tpl', 8, 'error'],
    ]);
    assert.equal(fs[0].message, 'OPENAI_API_KEY is required here but ecs shop-web does not provide it');
    const env = cli(root, ['env', root]);
    assert.match(env, /DB_HOST\s+required\s+✓/);
    const json = cli(root, ['env', root, '--format', 'json']);
    assert.match(json, /environment \(Terraform template variable db_host\)/);
    assert.match(json, /secrets \(from Terraform template variable api_token_arn\)/);
    const out = `${JSON.stringify(fs)}${env}${json}`;
    for (const part of ['canary', 'wq', 'ht\\n', '6ht']) assert.ok(!out.includes(part), part);
  });
});

test("terraform-aws-modules' ECS service and container definition modules give the app's containers", () => {
  const service = 'module "api" {\n  source = "terraform-aws-modules/ecs/aws//modules/service"\n  name   = "shop-api"\n  container_definitions = {\n    api = {\n      image       = "shop:latest"\n      environment = [{ name = "DB_HOST", value = aws_db_instance.db.address }]\n      secrets     = [{ name = "API_TOKEN", valueFrom = aws_ssm_parameter.token.arn }]\n    }\n  }\n}\n';
  withTree({ 'infra/ecs.tf': service, 'app.py': APP }, (root) => {
    const fs = checkTree(root);
    assert.deepEqual(fs.map((f) => [f.code, f.file, f.line, f.message]), [
      ['env-not-provided', 'app.py', 3, 'DB_PASSWORD is required here but ecs shop-api does not provide it'],
      ['env-not-provided', 'app.py', 5, 'OPENAI_API_KEY is required here but ecs shop-api does not provide it'],
    ]);
  });
  const containers = 'module "web" {\n  source          = "cloudposse/ecs-container-definition/aws"\n  container_name  = "web"\n  container_image = "shop:latest"\n  map_environment = { DB_HOST = "db.internal", DB_PASSWORD = var.db_password, API_TOKEN = "x", OPENAI_API_KEY = var.openai }\n}\n';
  const task = 'resource "aws_ecs_task_definition" "web" {\n  family                = "shop-web"\n  container_definitions = jsonencode([module.web.json_map_object])\n}\n';
  withTree({ 'terraform/containers.tf': containers, 'terraform/task.tf': task, 'app.py': APP }, (root) => {
    // Each entry in its place: a placeholder secret is reported in the module's file.
    assert.deepEqual(checkTree(root).map((f) => [f.code, f.file, f.line, f.message]), [
      ['env-placeholder-value', 'terraform/containers.tf', 5, 'ecs shop-web gives API_TOKEN a placeholder, and the app requires it as a secret: set a real value (or remove the line so start-up fails loudly)'],
    ]);
    assert.match(cli(root, ['env', root]), /OPENAI_API_KEY \(secret\)\s+required\s+✓/);
  });
});
