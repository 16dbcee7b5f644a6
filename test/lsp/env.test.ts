// The twelve-factor and credential jobs through the real server: diagnostics in every kind of file
// (also never opened), hover on a read, navigation read ↔ option ↔ .env, the App Variables request,
// and moving a plaintext credential into the store (the value never crosses the protocol).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness';
import { openLocalStore } from '../../server/src/store/local';
import { APP, CHARM, FILES, KEY_ID, SECRET, WORKFLOW, moveFirstCredential, notProvided } from './env.helpers';

test('twelve-factor diagnostics reach files nobody opened, with hover, navigation and the apps view', { timeout: 60_000 }, async (t) => {
  const h = await startHarness({ files: FILES });
  t.after(() => h.close());
  // Not opened: the charm's dropped/unused options and the workflow's key are published after the scan.
  const wf = await h.waitForDiagnostics(h.uri('.github/workflows/deploy.yml'), (d) => d.some((x) => String(x.code).startsWith('credential-')), 20_000);
  const cred = wf.find((x) => x.code === 'credential-aws-access-key-id');
  assert.ok(cred, JSON.stringify(wf));
  assert.equal(cred.range.start.line, 6);
  assert.ok(!JSON.stringify(wf).includes(KEY_ID), 'the key is never echoed');
  const charm = await h.waitForDiagnostics(h.uri('rock/charm/charmcraft.yaml'), (d) => d.length > 0, 20_000);
  const codes = charm.map((d) => String(d.code));
  assert.ok(codes.includes('charm-sensitive-string-option'), codes.join());
  assert.ok(codes.includes('env-unused'), codes.join());
  const app = await h.waitForDiagnostics(h.uri('rock/app.py'), (d) => d.some((x) => x.code === 'env-not-provided'), 20_000);
  const np = app.filter((d) => d.code === 'env-not-provided');
  assert.deepEqual(np.map((d) => d.range.start.line), [7], 'DATABASE_PASSWORD is read and provided by nothing; the option-backed reads are fine');

  const uri = await h.open('rock/app.py', APP);
  const hover = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 25 } })) as { contents: { value: string } } | null;
  assert.ok(hover, 'hover on a read');
  assert.match(hover.contents.value, /FLASK_API_TOKEN/);
  assert.match(hover.contents.value, /api-token/);
  assert.match(hover.contents.value, /juju config/);
  // A read under a presence test of another variable: required only when that one is set (and not reported, since nothing sets it).
  const when = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 26 } })) as { contents: { value: string } } | null;
  assert.match(when?.contents.value ?? '', /FLASK_CDN_ZONE`\*\* — required when `FLASK_CDN_TOKEN` is set/);

  const def = (await h.client.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: 5, character: 25 } })) as { uri: string; range: { start: { line: number } } }[];
  assert.ok(def.some((l) => l.uri === h.uri('rock/charm/charmcraft.yaml') && l.range.start.line === 11), JSON.stringify(def));

  type Var = { name: string; sensitive: boolean; required: boolean; reads: { required: boolean; requiredWhen?: string[] }[]; provided: unknown[] };
  const apps = (await h.client.sendRequest('orchard/apps', {})) as { apps: { label: string; variables: Var[] }[] };
  assert.equal(apps.apps.length, 1);
  const names = apps.apps[0].variables.map((v) => v.name);
  assert.ok(names.includes('FLASK_API_TOKEN') && names.includes('DATABASE_PASSWORD'), names.join());
  // The view's "required" is the rule's: DATABASE_PASSWORD is; FLASK_CDN_ZONE only when FLASK_CDN_TOKEN is set, which nothing does.
  const byName = new Map(apps.apps[0].variables.map((v) => [v.name, v]));
  assert.equal(byName.get('DATABASE_PASSWORD')?.required, true);
  assert.deepEqual([byName.get('FLASK_CDN_ZONE')?.required, byName.get('FLASK_CDN_ZONE')?.reads], [false, [{ ...byName.get('FLASK_CDN_ZONE')?.reads[0], required: false, requiredWhen: ['FLASK_CDN_TOKEN'] }]]);
  // A test's read: required as written, but not the app's requirement (no diagnostic, no "missing" mark).
  assert.deepEqual([byName.get('E2E_BASE_URL')?.required, byName.get('E2E_BASE_URL')?.reads.map((r) => r.required)], [false, [true]]);
  assert.deepEqual(h.diagnostics.get(h.uri('rock/tests/test_app.py')) ?? [], []);
  assert.ok(!JSON.stringify(apps).includes(SECRET) && !JSON.stringify(apps).includes('hello'), 'no values in the apps view');
  assert.ok(!h.logs.join('\n').includes(KEY_ID) && !h.logs.join('\n').includes(SECRET));
});

test('a plaintext key moves into the store as a SecureString and the workflow gets ${{ secrets.X }}', { timeout: 60_000 }, async (t) => {
  const h = await startHarness({ files: FILES, trusted: true });
  t.after(() => h.close());
  const uri = await h.open('.github/workflows/deploy.yml', WORKFLOW);
  const d = await h.waitForDiagnostics(uri, (x) => x.some((y) => y.code === 'credential-aws-access-key-id'), 20_000);
  const diag = d.find((y) => y.code === 'credential-aws-access-key-id')!;
  const actions = (await h.client.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } })) as {
    title: string;
    command?: { command: string; arguments: { fingerprint: string; name: string; path: string }[] };
    edit?: { changes: Record<string, { newText: string }[]> };
  }[];
  const move = actions.find((a) => a.command?.command === 'orchard.moveCredential');
  assert.ok(move, actions.map((a) => a.title).join(' | '));
  assert.match(move.title, /secrets\.AWS_ACCESS_KEY_ID/);
  const allow = actions.find((a) => /orchard: allow/.test(a.title));
  assert.equal(allow?.edit?.changes[uri][0].newText, ' # orchard: allow');
  const args = move.command!.arguments[0];
  assert.ok(!JSON.stringify(args).includes(KEY_ID), 'the command carries no value');

  const r = (await h.client.sendRequest('orchard/credential/move', { ...args, env: 'dev', overwrite: false })) as { ok: boolean; changes: Record<string, { newText: string; range: { start: { line: number } } }[]>; hint: string };
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.changes[uri].map((e) => e.newText), ['${{ secrets.AWS_ACCESS_KEY_ID }}']);
  assert.match(r.hint, /gh secret set AWS_ACCESS_KEY_ID/);
  assert.ok(!JSON.stringify(r).includes(KEY_ID));
  const store = openLocalStore({ dir: h.storeDir, env: 'dev' });
  const v = (await store.getValues([args.path], { decrypt: true })).get(args.path);
  assert.ok(v?.state === 'found' && v.value.value === KEY_ID && v.value.meta.type === 'SecureString', 'the store holds the key as a SecureString');
  // Again: the parameter exists, nothing is overwritten without saying so.
  const again = (await h.client.sendRequest('orchard/credential/move', { ...args, env: 'dev', overwrite: false })) as { ok: boolean; reason?: string };
  assert.deepEqual(again, { ok: false, reason: 'exists' });
  assert.ok(!h.logs.join('\n').includes(KEY_ID));
});

test("a plaintext key in a serverless.yml moves into the store and the file reads it from SSM when deploying (${ssm:<path>})", { timeout: 60_000 }, async (t) => {
  const sls = `service: rock\nprovider:\n  name: aws\n  runtime: python3.12\n  environment:\n    UPSTREAM_SECRET_ACCESS_KEY: "${SECRET}"\n`;
  const h = await startHarness({ files: { ...FILES, 'rock/serverless.yml': sls }, trusted: true });
  t.after(() => h.close());
  const { uri, title, args, r } = await moveFirstCredential(h, 'rock/serverless.yml', sls);
  assert.ok(title.includes(`\${ssm:${args.path}}`), title);
  const [edit] = r.changes[uri];
  assert.equal(edit.newText, `\${ssm:${args.path}}`);
  // The quotes go with the value: the line reads the parameter.
  const line = sls.split('\n')[5];
  assert.equal(line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character), `    UPSTREAM_SECRET_ACCESS_KEY: \${ssm:${args.path}}`);
  assert.match(r.hint, /Serverless reads .* from SSM Parameter Store when deploying/);
  const store = openLocalStore({ dir: h.storeDir, env: 'dev' });
  const v = (await store.getValues([args.path], { decrypt: true })).get(args.path);
  assert.ok(v?.state === 'found' && v.value.value === SECRET && v.value.meta.type === 'SecureString', 'the store holds the key as a SecureString');
  assert.ok(!JSON.stringify(r).includes(SECRET) && !h.logs.join('\n').includes(SECRET));
});

test('a plaintext secret with a quote, a backslash and a newline escape in an ECS task definition moves into the store as the value it stands for, and the container reads it from secrets', { timeout: 60_000 }, async (t) => {
  // The JSON text escapes them; the store gets the decoded value, the file never keeps it.
  const raw = 'Wq4\\"zt\\\\8pv\\nKc-canary-71';
  const decoded = 'Wq4"zt\\8pv\nKc-canary-71';
  const task = `{\n  "family": "rock",\n  "containerDefinitions": [\n    {\n      "name": "web",\n      "image": "rock",\n      "environment": [\n        {"name": "UPSTREAM_PASSWORD", "value": "${raw}"}\n      ]\n    }\n  ]\n}\n`;
  assert.equal(JSON.parse(task).containerDefinitions[0].environment[0].value, decoded);
  const h = await startHarness({ files: { ...FILES, 'rock/task-definition.json': task }, trusted: true });
  t.after(() => h.close());
  const { uri, title, args, r } = await moveFirstCredential(h, 'rock/task-definition.json', task);
  assert.match(title, /secrets valueFrom/);
  const lines = task.split('\n');
  const off = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  let out = task;
  for (const e of [...r.changes[uri]].sort((a, b) => off(b.range.start) - off(a.range.start))) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  const web = JSON.parse(out).containerDefinitions[0];
  assert.deepEqual(web.secrets, [{ name: 'UPSTREAM_PASSWORD', valueFrom: args.path }]);
  assert.deepEqual(web.environment, []);
  const store = openLocalStore({ dir: h.storeDir, env: 'dev' });
  const v = (await store.getValues([args.path], { decrypt: true })).get(args.path);
  assert.ok(v?.state === 'found' && v.value.value === decoded, 'the store holds the value the JSON stands for');
  const seen = `${JSON.stringify(r)}${h.logs.join('\n')}`;
  for (const part of ['canary', 'zt', '8pv']) assert.ok(!seen.includes(part), part);
});

test('a plaintext password with a quote, a backslash and a newline escape in a Terraform file moves into the store as the value it stands for, and the function reads it through a data "aws_ssm_parameter"', { timeout: 60_000 }, async (t) => {
  const raw = 'Vb7\\"qm\\\\5rx\\nTe-canary-38';
  const decoded = 'Vb7"qm\\5rx\nTe-canary-38';
  const tf = `resource "aws_lambda_function" "rock" {\n  filename = "rock.zip"\n  runtime  = "python3.12"\n  environment {\n    variables = {\n      UPSTREAM_PASSWORD = "${raw}"\n    }\n  }\n}\n`;
  const h = await startHarness({ files: { ...FILES, 'infra/main.tf': tf }, trusted: true });
  t.after(() => h.close());
  const { uri, title, args, r } = await moveFirstCredential(h, 'infra/main.tf', tf);
  assert.match(title, /data\.aws_ssm_parameter\.upstream_password\.value/);
  const lines = tf.split('\n');
  const off = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  let out = tf;
  for (const e of [...r.changes[uri]].sort((a, b) => off(b.range.start) - off(a.range.start))) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  assert.equal(out, tf.replace(`"${raw}"`, 'data.aws_ssm_parameter.upstream_password.value') + `\ndata "aws_ssm_parameter" "upstream_password" {\n  name = "${args.path}"\n}\n`);
  assert.match(r.hint, /Terraform reads .* from SSM Parameter Store when applying/);
  const store = openLocalStore({ dir: h.storeDir, env: 'dev' });
  const v = (await store.getValues([args.path], { decrypt: true })).get(args.path);
  assert.ok(v?.state === 'found' && v.value.value === decoded, 'the store holds the value the HCL string stands for');
  const seen = `${JSON.stringify(r)}${h.logs.join('\n')}`;
  for (const part of ['canary', 'qm', '5rx']) assert.ok(!seen.includes(part), part);
});

test('typing in a .env file, a workflow and a charm patches the workspace model, and every file that depends on them follows', { timeout: 60_000 }, async (t) => {
  const h = await startHarness({ files: { ...FILES, 'rock/.env': 'FLASK_GREETING=hi\n' } });
  t.after(() => h.close());
  const appUri = h.uri('rock/app.py');
  await h.waitForDiagnostics(appUri, notProvided, 20_000);
  await h.server.idle();
  const full = h.server.docs.stats.fullBuilds;
  // Provide DATABASE_PASSWORD in the .env: app.py (never opened) loses its finding.
  const envUri = await h.open('rock/.env', 'FLASK_GREETING=hi\n');
  h.change('rock/.env', 2, 'FLASK_GREETING=hi\nDATABASE_PASSWORD=\n');
  h.change('rock/.env', 3, 'FLASK_GREETING=hi\nDATABASE_PASSWORD=x\n');
  await h.waitForDiagnostics(appUri, (d) => !notProvided(d), 20_000);
  // And take it away again: the finding is back.
  h.change('rock/.env', 4, 'FLASK_GREETING=hi\n');
  await h.waitForDiagnostics(appUri, notProvided, 20_000);
  h.client.sendNotification('textDocument/didClose', { textDocument: { uri: envUri } });
  // A second key typed into the workflow: its credential findings follow, still without a rebuild.
  const wfText = WORKFLOW.replace('    steps:', `      AWS_SECRET_ACCESS_KEY: ${SECRET}\n    steps:`);
  const wf = await h.open('.github/workflows/deploy.yml', WORKFLOW);
  h.change('.github/workflows/deploy.yml', 2, wfText);
  const found = await h.waitForDiagnostics(wf, (d) => d.some((x) => x.code === 'credential-aws-secret-access-key'), 20_000);
  assert.ok(!JSON.stringify(found).includes(SECRET), 'the key is never echoed');
  // The charm's unused option deleted in the editor: its env-unused finding goes.
  const charmUri = h.uri('rock/charm/charmcraft.yaml');
  const unusedKnob = (d: { code?: unknown; message: unknown }[]) => d.some((x) => x.code === 'env-unused' && String(x.message).includes('unused-knob'));
  await h.waitForDiagnostics(charmUri, unusedKnob, 20_000);
  await h.open('rock/charm/charmcraft.yaml', CHARM);
  h.change('rock/charm/charmcraft.yaml', 2, CHARM.replace('    unused-knob:\n      type: int\n      default: 3\n', ''));
  await h.waitForDiagnostics(charmUri, (d) => !unusedKnob(d), 20_000);
  await h.server.idle();
  assert.equal(h.server.docs.stats.fullBuilds, full, 'no full build for a .env, workflow or charm edit');
  assert.ok(h.server.docs.stats.patchedBuilds > 0);
});

test('parse errors of .env, compose and charm files reach the Problems panel as they reach the CLI (not only Figgy files)', { timeout: 60_000 }, async (t) => {
  const files = {
    '.env': 'SMTP_PASS=smtp_pass\nnot a binding\nSMTP_PASS=smtp_pass\n',
    'compose.yaml': 'services:\n  web:\n    build: .\n    env_file: .env\n  bad: oops\n',
    'app.py': 'import os\nP = os.environ["SMTP_PASS"]\n',
  };
  const h = await startHarness({ files });
  t.after(() => h.close());
  const env = await h.waitForDiagnostics(h.uri('.env'), (d) => d.some((x) => x.code === 'dotenv-duplicate-key'), 20_000);
  assert.deepEqual(
    env.map((x) => [x.code, x.range.start.line]).sort(),
    [
      ['dotenv-duplicate-key', 0],
      ['dotenv-syntax', 1],
      ['env-placeholder-value', 2],
    ],
  );
  const compose = await h.waitForDiagnostics(h.uri('compose.yaml'), (d) => d.length > 0, 20_000);
  assert.deepEqual(compose.map((x) => [x.code, x.range.start.line]), [['compose-service', 4]]);
  // An edit keeps them (the incremental path), and a fixed line drops its own.
  await h.open('.env', 'SMTP_PASS=smtp_pass\nSMTP_PASS=smtp_pass\n');
  const edited = await h.waitForDiagnostics(h.uri('.env'), (d) => !d.some((x) => x.code === 'dotenv-syntax'), 20_000);
  assert.deepEqual(
    edited.map((x) => [x.code, x.range.start.line]).sort(),
    [
      ['dotenv-duplicate-key', 0],
      ['env-placeholder-value', 1],
    ],
  );
});
