// Terraform ECS task definitions through the real server: a plaintext value in a container's
// environment moves into the store — in HCL as a data "aws_ssm_parameter" the entry reads, in a
// heredoc of JSON and in a rendered template into the container's `secrets` — and typing in the
// template the task renders changes what the app is given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness';
import { openLocalStore } from '../../server/src/store/local';
import { FILES, moveFirstCredential, type MoveAnswer } from './env.helpers';

/** The edits of a move applied to the text. */
function applied(text: string, r: MoveAnswer, uri: string): string {
  const lines = text.split('\n');
  const off = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  let out = text;
  for (const e of [...r.changes[uri]].sort((a, b) => off(b.range.start) - off(a.range.start))) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

async function storeHas(dir: string, path: string, value: string): Promise<boolean> {
  const v = (await openLocalStore({ dir, env: 'dev' }).getValues([path], { decrypt: true })).get(path);
  return v?.state === 'found' && v.value.value === value;
}

test('a plaintext password in a jsonencode container environment moves into the store; the entry reads it through a data "aws_ssm_parameter"', { timeout: 60_000 }, async (t) => {
  const raw = 'Pq3\\"vx\\\\7kd\\nMw-canary-52';
  const decoded = 'Pq3"vx\\7kd\nMw-canary-52';
  const tf = `resource "aws_ecs_task_definition" "rock" {\n  family = "rock"\n  container_definitions = jsonencode([{\n    name        = "web"\n    environment = [{ name = "UPSTREAM_PASSWORD", value = "${raw}" }]\n  }])\n}\n`;
  const h = await startHarness({ files: { ...FILES, 'infra/ecs.tf': tf }, trusted: true });
  t.after(() => h.close());
  const { uri, title, args, r } = await moveFirstCredential(h, 'infra/ecs.tf', tf);
  assert.match(title, /data\.aws_ssm_parameter\.upstream_password\.value/);
  assert.equal(applied(tf, r, uri), tf.replace(`"${raw}"`, 'data.aws_ssm_parameter.upstream_password.value') + `\ndata "aws_ssm_parameter" "upstream_password" {\n  name = "${args.path}"\n}\n`);
  assert.ok(await storeHas(h.storeDir, args.path, decoded), 'the store holds the value the HCL string stands for');
  const seen = `${JSON.stringify(r)}${h.logs.join('\n')}`;
  for (const part of ['canary', 'vx', '7kd']) assert.ok(!seen.includes(part), part);
});

test('in a heredoc of JSON and in a rendered template, the entry moves into the container\'s secrets as the parameter; the JSON stays JSON', { timeout: 60_000 }, async (t) => {
  const raw = 'Zt8\\"qa\\\\3mn\\nHb-canary-64';
  const decoded = 'Zt8"qa\\3mn\nHb-canary-64';
  const tf = `resource "aws_ecs_task_definition" "rock" {\n  family = "rock"\n  container_definitions = <<-EOF\n  [\n    {\n      "name": "web",\n      "cpu": \${var.cpu},\n      "environment": [\n        {"name": "MODE", "value": "prod"},\n        {"name": "UPSTREAM_PASSWORD", "value": "${raw}"}\n      ]\n    }\n  ]\n  EOF\n}\n`;
  const tpl = `[\n  {\n    "name": "web",\n    "image": "\${image}",\n    "cpu": \${cpu},\n    "environment": [{"name": "WORKER_PASSWORD", "value": "${raw}"}]\n  }\n]\n`;
  const h = await startHarness({ files: { ...FILES, 'infra/ecs.tf': tf, 'infra/templates/worker.json.tpl': tpl }, trusted: true });
  t.after(() => h.close());
  const heredoc = await moveFirstCredential(h, 'infra/ecs.tf', tf);
  assert.match(heredoc.title, /secrets valueFrom/);
  const out = applied(tf, heredoc.r, heredoc.uri);
  const json = out.slice(out.indexOf('<<-EOF') + 7, out.lastIndexOf('EOF')).replace('${var.cpu}', '1');
  const web = JSON.parse(json)[0];
  assert.deepEqual([web.environment, web.secrets], [[{ name: 'MODE', value: 'prod' }], [{ name: 'UPSTREAM_PASSWORD', valueFrom: heredoc.args.path }]]);
  assert.ok(await storeHas(h.storeDir, heredoc.args.path, decoded));
  const rendered = await moveFirstCredential(h, 'infra/templates/worker.json.tpl', tpl);
  assert.match(rendered.title, /secrets valueFrom/);
  const worker = JSON.parse(applied(tpl, rendered.r, rendered.uri).replace('${cpu}', '1'))[0];
  assert.deepEqual([worker.environment, worker.secrets], [[], [{ name: 'WORKER_PASSWORD', valueFrom: rendered.args.path }]]);
  assert.ok(await storeHas(h.storeDir, rendered.args.path, decoded));
  const seen = `${JSON.stringify([heredoc.r, rendered.r])}${h.logs.join('\n')}`;
  for (const part of ['canary', 'qa\\', '3mn']) assert.ok(!seen.includes(part), part);
});

test("typing a variable into the template a task renders gives it to the app: the read's finding goes", { timeout: 60_000 }, async (t) => {
  const tf = 'data "template_file" "rock" {\n  template = file("${path.module}/templates/rock.json.tpl")\n}\nresource "aws_ecs_task_definition" "rock" {\n  family = "rock"\n  container_definitions = data.template_file.rock.rendered\n}\n';
  const tpl = '[\n  {\n    "name": "web",\n    "image": "${image}",\n    "environment": [{"name": "MODE", "value": "prod"}]\n  }\n]\n';
  const app = 'import os\nMODE = os.environ["MODE"]\nURL = os.environ["PAYMENTS_URL"]\n';
  const h = await startHarness({ files: { 'svc/app.py': app, 'svc/terraform/ecs.tf': tf, 'svc/terraform/templates/rock.json.tpl': tpl } });
  t.after(() => h.close());
  const appUri = h.uri('svc/app.py');
  const missing = (d: { code?: unknown; message: unknown }[]) => d.some((x) => x.code === 'env-not-provided' && String(x.message).startsWith('PAYMENTS_URL is required here but ecs rock does not provide it'));
  await h.waitForDiagnostics(appUri, missing, 20_000);
  await h.open('svc/terraform/templates/rock.json.tpl', tpl);
  h.change('svc/terraform/templates/rock.json.tpl', 2, tpl.replace('"prod"}', '"prod"}, {"name": "PAYMENTS_URL", "value": "https://pay.internal"}'));
  await h.waitForDiagnostics(appUri, (d) => !d.some((x) => x.code === 'env-not-provided'), 20_000);
});
