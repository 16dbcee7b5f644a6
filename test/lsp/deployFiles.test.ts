// Typing into a deployment file through the real server (a Dockerfile, Heroku's app.json, a Render
// Blueprint, a DigitalOcean app spec, a Kubernetes manifest, App Engine, Fly.io, Databricks,
// Serverless, SAM, Terraform): the last build is patched, a never-opened module's finding follows,
// the read's hover names the source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness';
import { APP, FILES, hoverOnRead, listsSource, notProvided, typingPatches } from './env.helpers';

test("typing ENV into an open Dockerfile patches the app's sources: a never-opened module's finding follows, without a full build", { timeout: 60_000 }, async (t) => {
  const dockerfile = 'FROM python:3.12-slim\nENV FLASK_GREETING=hi\n';
  const h = await startHarness({ files: { ...FILES, 'rock/.env': 'FLASK_GREETING=hi\n', 'rock/Dockerfile': dockerfile } });
  t.after(() => h.close());
  const appUri = h.uri('rock/app.py');
  await h.waitForDiagnostics(appUri, notProvided, 20_000);
  await h.server.idle();
  const full = h.server.docs.stats.fullBuilds;
  await h.open('rock/Dockerfile', dockerfile);
  // (Empty: a value would be a plaintext credential, a finding of its own.)
  h.change('rock/Dockerfile', 2, `${dockerfile}ENV DATABASE_PASS`);
  h.change('rock/Dockerfile', 3, `${dockerfile}ENV DATABASE_PASSWORD=\n`);
  await h.waitForDiagnostics(appUri, (d) => !notProvided(d), 20_000);
  // Into a builder stage it does not reach the image: the finding is back.
  h.change('rock/Dockerfile', 4, `FROM python:3.12 AS builder\nENV DATABASE_PASSWORD=\n${dockerfile}`);
  await h.waitForDiagnostics(appUri, notProvided, 20_000);
  await h.server.idle();
  assert.equal(h.server.docs.stats.fullBuilds, full, 'no full build for a Dockerfile edit');
  // The App Variables view lists the Dockerfile as one of the app's sources.
  assert.ok(await listsSource(h, 'dockerfile', 'Dockerfile'));
});

test("Heroku's app.json: typing an entry patches the app's sources, its own warnings follow, another program's app.json is none", { timeout: 60_000 }, async (t) => {
  const manifest = '{\n  "env": {\n    "FLASK_GREETING": "hi"\n  }\n}\n';
  const h = await startHarness({ files: { ...FILES, 'rock/app.json': manifest } });
  t.after(() => h.close());
  const appUri = h.uri('rock/app.py');
  const jsonUri = h.uri('rock/app.json');
  const before = await h.waitForDiagnostics(appUri, notProvided, 20_000);
  // The quick fix edits app.json although it is not open (its text read for the request).
  const diag = before.find((x) => x.code === 'env-not-provided' && x.range.start.line === 7)!;
  const actions = (await h.client.sendRequest('textDocument/codeAction', { textDocument: { uri: appUri }, range: diag.range, context: { diagnostics: [diag] } })) as {
    title: string;
    edit?: { changes: Record<string, { newText: string }[]> };
  }[];
  const add = actions.find((a) => a.title === 'Add DATABASE_PASSWORD to app.json (asked when deploying)');
  assert.ok(add, actions.map((a) => a.title).join(' | '));
  assert.deepEqual(add.edit!.changes[jsonUri].map((e) => e.newText), [',\n    "DATABASE_PASSWORD": {"required": true}']);
  await h.server.idle();
  const full = h.server.docs.stats.fullBuilds;
  await h.open('rock/app.json', manifest);
  const withPassword = '{\n  "env": {\n    "FLASK_GREETING": "hi",\n    "DATABASE_PASSWORD": {"required": true, "value": 5}\n  }\n}\n';
  h.change('rock/app.json', 2, withPassword);
  await h.waitForDiagnostics(appUri, (d) => !notProvided(d), 20_000);
  // Its own warning, in its place: a value Heroku refuses.
  const own = await h.waitForDiagnostics(jsonUri, (d) => d.some((x) => x.code === 'app-json-type'), 20_000);
  assert.deepEqual(own.filter((x) => x.code === 'app-json-type').map((x) => x.range.start.line), [3]);
  await h.server.idle();
  assert.equal(h.server.docs.stats.fullBuilds, full, 'no full build for an app.json edit');
  assert.ok(await listsSource(h, 'heroku', 'app.json'));
  // Hover and navigation from the manifest's entry to the code that reads it, and back.
  const onKey = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri: jsonUri }, position: { line: 3, character: 8 } })) as { contents: { value: string } } | null;
  assert.match(onKey?.contents.value ?? '', /DATABASE_PASSWORD/);
  assert.match(onKey?.contents.value ?? '', /app\.py:8/);
  await h.open('rock/app.py', APP);
  const def = (await h.client.sendRequest('textDocument/definition', { textDocument: { uri: appUri }, position: { line: 7, character: 20 } })) as { uri: string; range: { start: { line: number } } }[];
  assert.ok(def.some((l) => l.uri === jsonUri && l.range.start.line === 3), JSON.stringify(def));
  // Made Expo's: no longer a source (the finding is back) and no Heroku warning.
  h.change('rock/app.json', 3, '{"expo": {"name": "x"}, "env": {"DATABASE_PASSWORD": "x"}}\n');
  await h.waitForDiagnostics(appUri, notProvided, 20_000);
  await h.waitForDiagnostics(jsonUri, (d) => !d.some((x) => x.code === 'app-json-type'), 20_000);
});

test("a Render Blueprint: typing an entry into a service patches its app's sources; a password in a value is found as its key's", { timeout: 60_000 }, async (t) => {
  const blueprint = 'services:\n  - type: web\n    name: rock\n    rootDir: rock\n    envVars:\n      - key: FLASK_GREETING\n        value: hi\n';
  const h = await startHarness({ files: { ...FILES, 'render.yaml': blueprint } });
  t.after(() => h.close());
  const appUri = h.uri('rock/app.py');
  const yamlUri = h.uri('render.yaml');
  const before = await h.waitForDiagnostics(appUri, notProvided, 20_000);
  // The quick fix edits render.yaml although it is not open.
  const diag = before.find((x) => x.code === 'env-not-provided' && x.range.start.line === 7)!;
  const actions = (await h.client.sendRequest('textDocument/codeAction', { textDocument: { uri: appUri }, range: diag.range, context: { diagnostics: [diag] } })) as { title: string; edit?: { changes: Record<string, { newText: string }[]> } }[];
  const add = actions.find((a) => a.title === 'Add DATABASE_PASSWORD to render rock in render.yaml (asked in the Dashboard)');
  assert.ok(add, actions.map((a) => a.title).join(' | '));
  assert.deepEqual(add.edit!.changes[yamlUri].map((e) => e.newText), ['\n      - key: DATABASE_PASSWORD\n        sync: false']);
  await h.server.idle();
  const full = h.server.docs.stats.fullBuilds;
  await h.open('render.yaml', blueprint);
  h.change('render.yaml', 2, `${blueprint}      - key: DATABASE_PASSWORD\n        sync: false\n`);
  await h.waitForDiagnostics(appUri, (d) => !notProvided(d), 20_000);
  await h.server.idle();
  assert.equal(h.server.docs.stats.fullBuilds, full, 'no full build for a render.yaml edit');
  assert.ok(await listsSource(h, 'render', 'render rock'));
  // A value in clear for a password: a credential finding in its place, named by its key.
  h.change('render.yaml', 3, `${blueprint}      - key: DATABASE_PASSWORD\n        value: Zr8kq2mvTq-real-77\n`);
  const d = await h.waitForDiagnostics(yamlUri, (x) => x.some((y) => y.code === 'credential-password-assignment'), 20_000);
  assert.deepEqual(d.filter((y) => y.code === 'credential-password-assignment').map((y) => [y.range.start.line, /DATABASE_PASSWORD/.test(String(y.message))]), [[8, true]]);
});

test("a DigitalOcean app spec: typing an entry into a component patches its app's sources", { timeout: 60_000 }, async (t) => {
  const spec = 'services:\n  - name: rock\n    source_dir: rock\n    envs:\n      - key: FLASK_GREETING\n        value: hi\n';
  const h = await startHarness({ files: { ...FILES, '.do/app.yaml': spec } });
  t.after(() => h.close());
  const appUri = h.uri('rock/app.py');
  const before = await h.waitForDiagnostics(appUri, notProvided, 20_000);
  // The quick fix edits the spec although it is not open: a secret's entry, its value set in App Platform.
  const diag = before.find((x) => x.code === 'env-not-provided' && x.range.start.line === 7)!;
  const actions = (await h.client.sendRequest('textDocument/codeAction', { textDocument: { uri: appUri }, range: diag.range, context: { diagnostics: [diag] } })) as { title: string; edit?: { changes: Record<string, { newText: string }[]> } }[];
  const add = actions.find((a) => a.title === 'Add DATABASE_PASSWORD to app spec rock in .do/app.yaml (type: SECRET, value set in App Platform)');
  assert.ok(add, actions.map((a) => a.title).join(' | '));
  assert.deepEqual(add.edit!.changes[h.uri('.do/app.yaml')].map((e) => e.newText), ['\n      - key: DATABASE_PASSWORD\n        scope: RUN_TIME\n        type: SECRET']);
  await h.server.idle();
  const full = h.server.docs.stats.fullBuilds;
  await h.open('.do/app.yaml', spec);
  h.change('.do/app.yaml', 2, `${spec}      - key: DATABASE_PASSWORD\n        type: SECRET\n`);
  await h.waitForDiagnostics(appUri, (d) => !notProvided(d), 20_000);
  await h.server.idle();
  assert.equal(h.server.docs.stats.fullBuilds, full, 'no full build for an app spec edit');
  assert.ok(await listsSource(h, 'digitalocean', 'app spec rock'));
  // Set for the build only: the finding, the hover and the apps view all say so, at the entry.
  h.change('.do/app.yaml', 3, `${spec}      - key: DATABASE_PASSWORD\n        type: SECRET\n        scope: BUILD_TIME\n`);
  await h.waitForDiagnostics(appUri, (d) => notProvided(d) && d.some((x) => /DATABASE_PASSWORD .* sets it for the build only/.test(String(x.message))), 20_000);
  const hover = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri: appUri }, position: { line: 7, character: 22 } })) as { contents: { value: string } } | null;
  assert.match(hover?.contents.value ?? '', /\| app spec rock \| ✗ sets it for the build only \(scope: BUILD_TIME\) \|/);
  const after = (await h.client.sendRequest('orchard/apps', {})) as { apps: { sources: { kind: string; buildOnly?: { name: string; range: { start: { line: number } } }[] }[] }[] };
  const spec2 = after.apps.flatMap((a) => a.sources).find((s) => s.kind === 'digitalocean');
  assert.deepEqual(spec2?.buildOnly?.map((b) => [b.name, b.range.start.line]), [['DATABASE_PASSWORD', 6]]);
});

test("a Kubernetes manifest (known by its content): typing an entry into a container patches its app's sources", { timeout: 60_000 }, async (t) => {
  const manifest = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: rock\nspec:\n  template:\n    spec:\n      containers:\n        - name: rock\n          image: shop/rock:1\n          env:\n            - name: FLASK_GREETING\n              value: hi\n';
  const h = await startHarness({ files: { ...FILES, 'rock/k8s/app.yaml': manifest } });
  t.after(() => h.close());
  const appUri = h.uri('rock/app.py');
  await h.waitForDiagnostics(appUri, notProvided, 20_000);
  await h.server.idle();
  const full = h.server.docs.stats.fullBuilds;
  await h.open('rock/k8s/app.yaml', manifest);
  h.change('rock/k8s/app.yaml', 2, `${manifest}            - name: DATABASE_PASSWORD\n              valueFrom:\n                secretKeyRef: {name: rock, key: db-password}\n`);
  await h.waitForDiagnostics(appUri, (d) => !notProvided(d), 20_000);
  await h.server.idle();
  assert.equal(h.server.docs.stats.fullBuilds, full, 'no full build for a manifest edit');
  assert.ok(await listsSource(h, 'kubernetes', 'k8s rock'));
  // Hover on the manifest's entry: the variable it becomes and the code that reads it.
  const hover = (await h.client.sendRequest('textDocument/hover', { textDocument: { uri: h.uri('rock/k8s/app.yaml') }, position: { line: 11, character: 22 } })) as { contents: { value: string } } | null;
  assert.match(hover?.contents.value ?? '', /FLASK_GREETING/);
  assert.match(hover?.contents.value ?? '', /app\.py/);
});

test("an App Engine service's app.yaml (known by its content): typing an entry patches its app's sources; the read's hover names app.yaml and how its value comes", { timeout: 60_000 }, async (t) => {
  const appYaml = 'runtime: python312\nentrypoint: gunicorn -b :$PORT app:app\nenv_variables:\n  FLASK_GREETING: hi\n';
  const { h, appUri } = await typingPatches(t, 'rock/app.yaml', appYaml, '  DATABASE_PASSWORD: ${DB_PASSWORD}\n', 'an app.yaml');
  assert.ok(await listsSource(h, 'app-engine', 'app.yaml'));
  // Hover on the read of DATABASE_PASSWORD: app.yaml provides it (its value filled in when deploying).
  const hover = await hoverOnRead(h, appUri);
  assert.match(hover, /app\.yaml/);
  assert.match(hover, /filled in when deploying/);
});

test("a fly.toml: typing an [env] entry patches its app's sources (what secrets set stays unknown); the read's hover names it", { timeout: 60_000 }, async (t) => {
  const fly = 'app = "rock"\n[env]\n  FLASK_GREETING = "hi"\n';
  const h = await startHarness({ files: { ...FILES, 'rock/fly.toml': fly } });
  t.after(() => h.close());
  const appUri = h.uri('rock/app.py');
  // (Start-up is done once the workflow's key is published.)
  await h.waitForDiagnostics(h.uri('.github/workflows/deploy.yml'), (d) => d.length > 0, 20_000);
  await h.server.idle();
  // With fly.toml, DATABASE_PASSWORD may be a Fly secret: unknown, not "not provided".
  assert.ok(!notProvided(h.diagnostics.get(appUri) ?? []));
  const full = h.server.docs.stats.fullBuilds;
  await h.open('rock/fly.toml', fly);
  // (An empty value: a password in it would be a credential finding, and the file's new entry in
  // the credentials list a full build.)
  h.change('rock/fly.toml', 2, `${fly}  DATABASE_PASSWORD = ""\n`);
  await h.server.idle();
  const hover = await hoverOnRead(h, appUri);
  assert.match(hover, /fly rock/);
  assert.match(hover, /\[env\]/);
  assert.equal(h.server.docs.stats.fullBuilds, full, 'no full build for a fly.toml edit');
});

test("a Databricks app's app.yaml (known by its content): typing an env entry patches its app's sources", { timeout: 60_000 }, async (t) => {
  const appYaml = 'command: [flask, run]\nenv:\n  - name: FLASK_GREETING\n    value: hi\n';
  const { h } = await typingPatches(t, 'rock/app.yaml', appYaml, '  - name: DATABASE_PASSWORD\n    valueFrom: db-password\n', 'an app.yaml');
  assert.ok(await listsSource(h, 'databricks', 'Databricks app'));
});

test("a serverless.yml: typing an environment entry patches its app's sources; the read's hover says where the value comes from, never the value", { timeout: 60_000 }, async (t) => {
  const sls = 'service: rock\nprovider:\n  name: aws\n  runtime: python3.12\n  environment:\n    FLASK_GREETING: hi\n';
  const { h, appUri } = await typingPatches(t, 'rock/serverless.yml', sls, '    DATABASE_PASSWORD: ${ssm:/rock/DATABASE_PASSWORD}\n', 'a serverless.yml');
  const hover = await hoverOnRead(h, appUri);
  assert.match(hover, /serverless rock/);
  assert.match(hover, /provider environment \(from SSM parameter \/rock\/DATABASE_PASSWORD\)/);
});

test("an AWS SAM template (known by its content): typing a function's variable patches its code folder's app; the read's hover names the function", { timeout: 60_000 }, async (t) => {
  const template = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Web:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: rock/\n      Runtime: python3.12\n      Environment:\n        Variables:\n          FLASK_GREETING: hi\n';
  const { h, appUri } = await typingPatches(t, 'template.yaml', template, "          DATABASE_PASSWORD: '{{resolve:ssm:/rock/db-password}}'\n", 'a template');
  const hover = await hoverOnRead(h, appUri);
  assert.match(hover, /SAM Web/);
  assert.match(hover, /environment of function Web \(from SSM parameter \/rock\/db-password\)/);
});

// (Before any Terraform file is on disk in this process: the grammar is not loaded yet.)
test('a Terraform file opened in a workspace that had none: its grammar loads, the open file is read and its function is the app\'s source', { timeout: 60_000 }, async (t) => {
  const h = await startHarness({ files: FILES });
  t.after(() => h.close());
  const appUri = h.uri('rock/app.py');
  await h.waitForDiagnostics(appUri, notProvided, 20_000);
  await h.open('rock/lambda.tf', 'data "archive_file" "rock" {\n  source_dir  = path.module\n  output_path = "rock.zip"\n}\nresource "aws_lambda_function" "rock" {\n  filename = data.archive_file.rock.output_path\n  runtime  = "python3.12"\n  environment {\n    variables = { DATABASE_PASSWORD = data.aws_ssm_parameter.db.value }\n  }\n}\n');
  await h.waitForDiagnostics(appUri, (d) => !notProvided(d), 20_000);
  assert.ok(await listsSource(h, 'terraform', 'terraform rock'));
});

test("a Terraform file: typing a function's variable patches its code folder's app; the read's hover names the function and the expression", { timeout: 60_000 }, async (t) => {
  const tf = 'data "archive_file" "rock" {\n  type        = "zip"\n  source_dir  = "${path.module}/../rock"\n  output_path = "rock.zip"\n}\n\nresource "aws_lambda_function" "web" {\n  filename = data.archive_file.rock.output_path\n  runtime  = "python3.12"\n  environment {\n    variables = {\n      FLASK_GREETING = "hi"\n    }\n  }\n}\n';
  const { h, appUri } = await typingPatches(t, 'infra/main.tf', tf, (first) => first.replace('FLASK_GREETING = "hi"', 'FLASK_GREETING = "hi"\n      DATABASE_PASSWORD = data.aws_ssm_parameter.db.value'), 'a Terraform file');
  const hover = await hoverOnRead(h, appUri);
  assert.match(hover, /terraform web/);
  assert.match(hover, /environment of function web \(from Terraform: data\.aws_ssm_parameter\.db\.value\)/);
});

test("an AWS CDK stack module: typing a function's environment entry in the open stack gives its code folder's app the variable; the read's hover names the function", { timeout: 60_000 }, async (t) => {
  const stack = 'from aws_cdk import Stack, aws_lambda as _lambda\n\nclass RockStack(Stack):\n    def __init__(self, scope, cid):\n        super().__init__(scope, cid)\n        _lambda.Function(self, "Rock", runtime=_lambda.Runtime.PYTHON_3_12, code=_lambda.Code.from_asset("rock"), handler="app.handler", environment={\n            "FLASK_GREETING": "hi",\n        })\n';
  const h = await startHarness({ files: { ...FILES, 'stack.py': stack } });
  t.after(() => h.close());
  const appUri = h.uri('rock/app.py');
  await h.waitForDiagnostics(appUri, notProvided, 20_000);
  assert.ok(await listsSource(h, 'cdk', 'cdk Rock'));
  await h.open('stack.py', stack);
  h.change('stack.py', 2, stack.replace('"FLASK_GREETING": "hi",', '"FLASK_GREETING": "hi",\n            "DATABASE_PASSWORD": db_secret.secret_value.unsafe_unwrap(),'));
  await h.waitForDiagnostics(appUri, (d) => !notProvided(d), 20_000);
  const hover = await hoverOnRead(h, appUri);
  assert.match(hover, /cdk Rock/);
  assert.match(hover, /environment of function Rock \(from CDK, when deploying\)/);
});
