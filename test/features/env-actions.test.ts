// Twelve-factor and credential quick fixes, pure: real parsers and rules over fixture texts, the
// edits applied to the text and the result read back.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initPython } from '../../server/src/parse/python';
import { initTerraform } from '../../server/src/parse/terraform';
import { parseEnvFile } from '../../server/src/model/files';
import { runRules } from '../../server/src/analysis';
import type { FeatureContext } from '../../server/src/features/types';
import { envCodeActions } from '../../server/src/features/env/codeActions';
import { credentialActions, credentialName, credentialValue, referenceEdits, referencePlan } from '../../server/src/features/env/credentialActions';
import { envHover } from '../../server/src/features/env/hover';
import { ROOT, apply, context, run } from './envActions.helpers';

before(async () => {
  await initPython();
  await initTerraform();
});

test('a logged secret: the fix wraps exactly the secret-carrying arguments in bool(), and the finding goes away', () => {
  const app = [
    'import os',
    'import logging',
    'log = logging.getLogger(__name__)',
    'token = os.environ["API_TOKEN"]',
    'name = os.environ.get("APP_NAME", "x")',
    'print("token:", token, name)',
    'log.info(f"using {token} for {name}")',
    '',
  ].join('\n');
  const { ctx, texts } = context({ 'app.py': app, '.env': 'API_TOKEN=\nAPP_NAME=demo\n' });
  const findings = runRules({ workspace: ctx.workspace, envStates: new Map(), settings: { envs: ['dev'], severities: {} } }).filter((f) => f.code === 'env-secret-logged');
  assert.equal(findings.length, 2, JSON.stringify(findings.map((f) => f.message)));
  const actions = envCodeActions(ctx, findings);
  assert.equal(actions.length, 2);
  let text = texts.get(`${ROOT}/app.py`)!;
  text = apply(text, [...actions[0].edit!.changes[`${ROOT}/app.py`], ...actions[1].edit!.changes[`${ROOT}/app.py`]]);
  assert.match(text, /print\("token:", bool\(token\), name\)/);
  assert.match(text, /log\.info\(f"using \{bool\(token\)\} for \{name\}"\)/);
  const again = context({ 'app.py': text, '.env': 'API_TOKEN=\nAPP_NAME=demo\n' });
  const left = runRules({ workspace: again.ctx.workspace, envStates: new Map(), settings: { envs: ['dev'], severities: {} } }).filter((f) => f.code === 'env-secret-logged');
  assert.deepEqual(left, [], 'bool(value) is not the value');
});

test('credential names and reference forms follow the file world', () => {
  assert.equal(credentialName('aws_secret_access_key', 'aws-secret-access-key'), 'AWS_SECRET_ACCESS_KEY');
  assert.equal(credentialName('apiToken', 'generic'), 'API_TOKEN');
  assert.equal(credentialName(undefined, 'github-pat'), 'GITHUB_PAT');
  assert.equal(referencePlan('github-env', 'file:///w/.github/workflows/a.yml', 'X', '/ci/w/x', 'dev').text, '${{ secrets.X }}');
  assert.equal(referencePlan('travis-env-global', 'file:///w/.travis.yml', 'X', '/ci/w/x', 'dev').action, 'delete-line');
  assert.match(referencePlan('travis-env-global', 'file:///w/.travis.yml', 'X', '/ci/w/x', 'dev').hint, /travis encrypt X=.*orchard get \/ci\/w\/x --env dev --reveal.*--add env\.global/);
  assert.equal(referencePlan('gitlab-script', 'file:///w/.gitlab-ci.yml', 'X', '/p', 'dev').text, '$X');
  assert.equal(referencePlan('dotenv', 'file:///w/.env', 'X', '/p', 'dev').action, 'empty');
  assert.equal(referencePlan('python-assign', 'file:///w/s.py', 'X', '/p', 'dev').text, 'os.environ["X"]');
  assert.equal(referencePlan('js-assign', 'file:///w/s.js', 'X', '/p', 'dev').text, 'process.env.X');
  assert.equal(referencePlan('serverless-environment', 'file:///w/serverless.yml', 'X', '/ci/w/x', 'dev').text, '${ssm:/ci/w/x}');
});

test('an ECS container\'s plaintext variable becomes a secrets item of the same name from the parameter; the JSON stays valid', () => {
  const task = '{\n    "family": "shop",\n    "containerDefinitions": [\n        {\n            "name": "web",\n            "environment": [\n                {"name": "A", "value": "1"},\n                {"name": "DB_PASSWORD", "value": "hunter2-x9"}\n            ]\n        }\n    ]\n}\n';
  const line = task.split('\n')[7];
  const r = { start: { line: 7, character: line.indexOf('hunter2') }, end: { line: 7, character: line.indexOf('hunter2') + 'hunter2-x9'.length } };
  const plan = referencePlan('ecs-environment', 'file:///w/task-definition.json', 'DB_PASSWORD', '/ci/w/db_password', 'dev');
  assert.equal(plan.action, 'ecs-secret');
  assert.match(plan.hint, /ECS reads \/ci\/w\/db_password from SSM Parameter Store when the task starts/);
  const out = apply(task, referenceEdits(task, r, plan, 'file:///w/task-definition.json'));
  const web = JSON.parse(out).containerDefinitions[0];
  assert.deepEqual(web.environment, [{ name: 'A', value: '1' }]);
  assert.deepEqual(web.secrets, [{ name: 'DB_PASSWORD', valueFrom: '/ci/w/db_password' }]);
  assert.ok(!out.includes('hunter2'));
  // The file's layout kept: the other item as written, the new list on a line of its own.
  assert.match(out, /"environment": \[\n {16}\{"name": "A", "value": "1"\}\n {12}\],\n {12}"secrets": \[\{"name": "DB_PASSWORD", "valueFrom": "\/ci\/w\/db_password"\}\]\n/);
  // Into an existing secrets list, after its last item; a one-line file stays one line.
  const more = apply(task.replace('            ]\n        }', '            ],\n            "secrets": [\n                {"name": "B", "valueFrom": "/b"}\n            ]\n        }'), referenceEdits(task.replace('            ]\n        }', '            ],\n            "secrets": [\n                {"name": "B", "valueFrom": "/b"}\n            ]\n        }'), r, plan, 'x'));
  assert.deepEqual(JSON.parse(more).containerDefinitions[0].secrets, [{ name: 'B', valueFrom: '/b' }, { name: 'DB_PASSWORD', valueFrom: '/ci/w/db_password' }]);
  const flat = '{"containerDefinitions": [{"name": "web", "environment": [{"name": "DB_PASSWORD", "value": "hunter2-x9"}]}]}';
  const f = flat.indexOf('hunter2');
  const flatOut = apply(flat, referenceEdits(flat, { start: { line: 0, character: f }, end: { line: 0, character: f + 10 } }, plan, 'x'));
  assert.equal(flatOut, '{"containerDefinitions": [{"name": "web", "environment": [], "secrets": [{"name": "DB_PASSWORD", "valueFrom": "/ci/w/db_password"}]}]}');
  // Not an environment item's value (a stray JSON key): nothing is edited.
  assert.deepEqual(referenceEdits('{"password": "hunter2-x9"}', { start: { line: 0, character: 14 }, end: { line: 0, character: 24 } }, plan, 'file:///w/x.json'), []);
});

test('reference edits: quotes go with a code reference, Python gets import os, a .env keeps its key', () => {
  const py = 'API_KEY = "sk-abc"\n';
  const r = { start: { line: 0, character: 11 }, end: { line: 0, character: 17 } };
  assert.equal(apply(py, referenceEdits(py, r, referencePlan('python-assign', 'file:///w/s.py', 'API_KEY', '/p', 'dev'), 'file:///w/s.py')), 'import os\nAPI_KEY = os.environ["API_KEY"]\n');
  const env = 'A=1\nAPI_KEY="sk-abc"\n';
  const r2 = { start: { line: 1, character: 9 }, end: { line: 1, character: 15 } };
  assert.equal(apply(env, referenceEdits(env, r2, referencePlan('dotenv', 'file:///w/.env', 'API_KEY', '/p', 'dev'), 'file:///w/.env')), 'A=1\nAPI_KEY=\n');
  const travis = 'env:\n  global:\n    - API_KEY=sk-abc\n    - OTHER=1\n';
  const r3 = { start: { line: 2, character: 14 }, end: { line: 2, character: 20 } };
  assert.equal(apply(travis, referenceEdits(travis, r3, referencePlan('travis-env-global', 'file:///w/.travis.yml', 'API_KEY', '/p', 'dev'), 'file:///w/.travis.yml')), 'env:\n  global:\n    - OTHER=1\n');
});

test('credential actions: a move command without the value, and an allow marker in the file comment syntax', () => {
  const key = 'AKIA' + 'Q3EGRQWXJ2Z7N4PH';
  const { ctx } = context({ '.github/workflows/ci.yml': `on: push\njobs:\n  a:\n    runs-on: x\n    env:\n      AWS_ACCESS_KEY_ID: ${key}\n    steps:\n      - run: echo\n` });
  const findings = runRules({ workspace: ctx.workspace, envStates: new Map(), settings: { envs: ['dev'], severities: {} } }).filter((f) => f.code.startsWith('credential-'));
  assert.equal(findings.length, 1);
  const actions = credentialActions(ctx, findings);
  assert.equal(actions.length, 2);
  assert.equal(actions[0].command?.command, 'orchard.moveCredential');
  assert.ok(!JSON.stringify(actions).includes(key));
  assert.equal((actions[0].command?.arguments?.[0] as { path: string }).path, '/ci/ws/aws_access_key_id');
  assert.deepEqual(actions[1].edit?.changes[findings[0].uri].map((e) => e.newText), [' # orchard: allow']);
});

test('hover on a settings field the module passes in where it builds the class: optional, and where', () => {
  const settings = [
    'from pydantic_settings import BaseSettings',
    'class AppSettings(BaseSettings):',
    '    SECRET: str',
    '    HOST: str',
    'def build(secret):',
    '    return AppSettings(SECRET=secret)',
    '',
  ].join('\n');
  const { ctx } = context({ 'settings.py': settings, '.env': 'OTHER=1\n' });
  const at = (line: number, character: number) => envHover(ctx, `${ROOT}/settings.py`, { line, character })?.markdown ?? '';
  assert.match(at(2, 5), /^\*\*`SECRET`\*\* — optional here: the module passes it in where it builds `AppSettings` \(line 6\) · sensitive/);
  assert.match(at(3, 5), /^\*\*`HOST`\*\* — required/);
  const found = runRules({ workspace: ctx.workspace, envStates: new Map(), settings: { envs: ['dev'], severities: {} } }).filter((f) => f.code === 'env-not-provided');
  assert.deepEqual(found.map((f) => f.message.split(' ')[0]), ['HOST']);
});

test('hover on a read through a helper under a switch: the head, then the note in a paragraph of its own; a Dockerfile-only app says so', () => {
  const settings = ['import environ', 'env = environ.Env()', 'def get(name):', '    return env(name)', 'if env.bool("USE_MAIL", False):', '    HOST = get("MAIL_HOST")', ''].join('\n');
  const { ctx } = context({ 'settings.py': settings, '.env': 'OTHER=1\n' });
  const md = envHover(ctx, `${ROOT}/settings.py`, { line: 5, character: 16 })?.markdown ?? '';
  // Markdown joins adjacent lines: the note must not run into the head's sentence.
  assert.match(md, /^\*\*`MAIL_HOST`\*\* — required when `USE_MAIL` is set\n\nRead through `[\w.]*get`\(\)\./);
  const image = context({ 'app.py': 'import os\nX = os.environ["X"]\n', Dockerfile: 'FROM python:3.12\nENV X=1\n' });
  assert.match(envHover(image.ctx, `${ROOT}/app.py`, { line: 1, character: 18 })?.markdown ?? '', /Only `ws`'s image \(Dockerfile\) sets variables \(no charm/);
});

test("hover on a dynaconf setting read by attribute in another module: the variable and how it is read, no method name", () => {
  const { ctx } = context({
    'app/__init__.py': '',
    'app/config.py': 'from dynaconf import Dynaconf\nsettings = Dynaconf(envvar_prefix="MYAPP")\n',
    'app/main.py': 'from app.config import settings\nURL = settings.REDIS_URL\n',
    '.env': 'MYAPP_REDIS_URL=redis://cache\n',
  });
  const md = envHover(ctx, `${ROOT}/app/main.py`, { line: 1, character: 17 })?.markdown ?? '';
  assert.match(md, /^\*\*`MYAPP_REDIS_URL`\*\* — optional\n\nRead as an attribute of `settings`\./);
  assert.ok(!md.includes('__getattr__'), md);
});

test('hover on a read: each source row says how the value came, without naming its file twice (a compose env_file of a folder of environment files)', () => {
  const { ctx } = context({
    'compose.yml': 'services:\n  web:\n    build: .\n    env_file:\n      - .envs/.local/.django\n',
    Dockerfile: 'FROM python:3.12\n',
    'app/settings.py': 'import os\nREDIS_URL = os.environ["REDIS_URL"]\n',
    '.envs/.local/.django': 'REDIS_URL=redis://cache\n',
  });
  const md = envHover(ctx, `${ROOT}/app/settings.py`, { line: 1, character: 30 })?.markdown ?? '';
  assert.match(md, /\| \.envs\/\.local\/\.django \| ✓ compose web env_file = /, md);
});

test('a credential in a Dockerfile: by the instruction it sits in, the value leaves the image (ENV, ARG) or comes from a BuildKit secret (RUN)', () => {
  const ghp = (n: number) => `gh${'p_'}${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R'}${n}`;
  const text = ['FROM python:3.12', `ENV API_TOKEN="${ghp(1)}"`, 'ENV A=1 \\', `    GITHUB_TOKEN=${ghp(2)}`, `ENV LEGACY_TOKEN ${ghp(3)}`, `ARG DEPLOY_TOKEN=${ghp(4)}`, `RUN curl -H "Authorization: token ${ghp(5)}" https://example.invalid/`, ''].join('\n');
  const uri = 'file:///w/Dockerfile';
  const m = parseEnvFile('dockerfile', text, uri);
  const found = m.credentials.findings.map((f) => [f.range.start.line, f.context]);
  assert.deepEqual(found, [[1, 'dockerfile-env'], [3, 'dockerfile-env'], [4, 'dockerfile-env'], [5, 'dockerfile-arg'], [6, 'dockerfile-run']]);
  let fixed = text;
  for (const f of [...m.credentials.findings].reverse()) {
    const plan = referencePlan(f.context, uri, f.keyName ?? 'TOKEN', '/ci/w/token', 'dev');
    fixed = apply(fixed, referenceEdits(fixed, f.range, plan, uri));
    if (f.context === 'dockerfile-env') assert.match(plan.hint, /docker run -e/);
    else assert.match(plan.hint, /--secret id=/);
    assert.ok(!plan.hint.includes('gh' + 'p_'));
  }
  assert.deepEqual(fixed.split('\n').slice(1, 7), ['ENV API_TOKEN=""', 'ENV A=1 \\', '    GITHUB_TOKEN=""', 'ENV LEGACY_TOKEN ""', 'ARG DEPLOY_TOKEN=""', 'RUN curl -H "Authorization: token $TOKEN" https://example.invalid/']);
  // What the image still sets after the fix: the same names, empty.
  assert.deepEqual(parseEnvFile('dockerfile', fixed, uri).dockerfile!.entries.map((e) => [e.key, e.value]), [['API_TOKEN', ''], ['A', '1'], ['GITHUB_TOKEN', ''], ['LEGACY_TOKEN', '']]);
});

test('a secret-looking string option: paas-charm gets the type flipped by a quick fix; a charm written with ops alone gets advice only (its code reads the option)', () => {
  const options = 'config:\n  options:\n    github-token:\n      description: x\n      type: string\n';
  const paas = context({ 'charmcraft.yaml': `name: bot\ntype: charm\nextensions:\n  - flask-framework\n${options}`, 'app.py': 'import os\nT = os.environ.get("FLASK_GITHUB_TOKEN")\n' });
  const ops = context({
    'charmcraft.yaml': `name: bot\ntype: charm\n${options}`,
    'src/charm.py': 'import ops\nclass Bot(ops.CharmBase):\n    def layer(self):\n        return {"environment": {"GITHUB_TOKEN": self.config["github-token"]}}\n',
  });
  const finding = (ctx: FeatureContext) => {
    const fs = runRules({ workspace: ctx.workspace, envStates: new Map(), settings: { envs: ['dev'], severities: {} } }).filter((f) => f.code === 'charm-sensitive-string-option');
    assert.equal(fs.length, 1, JSON.stringify(fs));
    return fs[0];
  };
  const p = finding(paas.ctx);
  assert.match(p.message, /one variable per secret key/);
  const fix = envCodeActions(paas.ctx, [p]);
  assert.equal(fix.length, 1, JSON.stringify(fix));
  assert.match(apply(paas.texts.get(p.uri)!, fix[0].edit!.changes![p.uri]), /type: secret/);
  const o = finding(ops.ctx);
  assert.match(o.message, /charm's code then reads with model\.get_secret/);
  assert.doesNotMatch(o.message, /one variable per secret key/);
  assert.deepEqual(envCodeActions(ops.ctx, [o]), [], 'flipping the type would break the charm code that reads the option');
});

test('hover on a read another name also satisfies: each alternative and who provides it (flask_base FLASK_X, a pydantic alias)', () => {
  const app = ['import os', 'from canonicalwebteam.flask_base.app import FlaskBase', 'app = FlaskBase(__name__, "site")', 'KEY = os.environ["GREENHOUSE_API_KEY"]', 'HOST = os.environ["DB_HOST"]', ''].join('\n');
  const charm = 'name: site\ntype: charm\nextensions:\n  - flask-framework\nconfig:\n  options:\n    greenhouse-api:\n      type: secret\n';
  const { ctx } = context({ 'app.py': app, 'charmcraft.yaml': charm });
  const at = (line: number, character: number) => envHover(ctx, `${ROOT}/app.py`, { line, character })?.markdown ?? '';
  assert.match(at(3, 22), /Also satisfied by `FLASK_GREENHOUSE_API_KEY` \(✓ charm\)\./);
  // FLASK_DB_HOST is provided by nothing: the plain read gets no alternative, the hover no note.
  assert.doesNotMatch(at(4, 22), /Also satisfied/);
  const settings = ['from pydantic import AliasChoices, Field', 'from pydantic_settings import BaseSettings', 'class S(BaseSettings):', '    url: str = Field(validation_alias=AliasChoices("jira_url", "APP_JIRA_URL"))', ''].join('\n');
  const s = context({ 'settings.py': settings, '.env': 'APP_JIRA_URL=https://jira\n' });
  const hover = envHover(s.ctx, `${ROOT}/settings.py`, { line: 3, character: 52 })?.markdown ?? '';
  assert.match(hover, /Also satisfied by `APP_JIRA_URL` \(✓ \.env\)\./, hover);
});

test("a variable app.json does not give: the fix asks the deployer for it in the manifest's layout, and the finding goes away", () => {
  const app = 'import os\nDB = os.environ["DATABASE_URL"]\nKEY = os.environ["STRIPE_API_KEY"]\n';
  const run = (manifest: string) => {
    const { ctx, texts } = context({ 'settings.py': app, 'app.json': manifest });
    const findings = runRules({ workspace: ctx.workspace, envStates: new Map(), settings: { envs: ['dev'], severities: {} } }).filter((f) => f.code === 'env-not-provided');
    return { ctx, texts, findings };
  };
  const layouts: [string, string][] = [
    // One entry per line: the new one on its own line, indented alike.
    ['{\n  "name": "x",\n  "env": {\n    "SECRET_KEY": {"generator": "secret"}\n  },\n  "addons": ["heroku-postgresql"]\n}\n',
      '{\n  "name": "x",\n  "env": {\n    "SECRET_KEY": {"generator": "secret"},\n    "STRIPE_API_KEY": {"required": true}\n  },\n  "addons": ["heroku-postgresql"]\n}\n'],
    ['{"env": {"A": "1"}, "addons": ["heroku-postgresql"]}', '{"env": {"A": "1", "STRIPE_API_KEY": {"required": true}}, "addons": ["heroku-postgresql"]}'],
    ['{\n  "env": {},\n  "addons": ["heroku-postgresql"]\n}\n', '{\n  "env": {\n    "STRIPE_API_KEY": {"required": true}\n  },\n  "addons": ["heroku-postgresql"]\n}\n'],
  ];
  for (const [manifest, expected] of layouts) {
    const { ctx, texts, findings } = run(manifest);
    assert.deepEqual(findings.map((f) => f.message), ['STRIPE_API_KEY is required here but app.json does not provide it']);
    const actions = envCodeActions(ctx, findings).filter((a) => a.title.includes('app.json'));
    assert.deepEqual(actions.map((a) => a.title), ['Add STRIPE_API_KEY to app.json (asked when deploying)']);
    const fixed = apply(texts.get(`${ROOT}/app.json`)!, actions[0].edit!.changes[`${ROOT}/app.json`]);
    assert.equal(fixed, expected);
    assert.deepEqual(run(fixed).findings, [], fixed);
  }
  // A manifest with a syntax error is not edited.
  const broken = run('{"env": {"A": "1",}, "addons": ["heroku-postgresql"]}');
  assert.equal(broken.findings.length, 1);
  assert.deepEqual(envCodeActions(broken.ctx, broken.findings).filter((a) => a.title.includes('app.json')), []);
});

test("a variable a Render service does not give: the fix adds it to that service's envVars as asked in the Dashboard, and the finding goes away", () => {
  const app = 'import os\nKEY = os.environ["STRIPE_API_KEY"]\n';
  const run = (blueprint: string) => {
    const { ctx, texts } = context({ 'settings.py': app, 'render.yaml': blueprint });
    const findings = runRules({ workspace: ctx.workspace, envStates: new Map(), settings: { envs: ['dev'], severities: {} } }).filter((f) => f.code === 'env-not-provided');
    return { ctx, texts, findings };
  };
  const layouts: [string, string][] = [
    [
      'services:\n  - type: web\n    name: api\n    envVars:\n      - key: A\n        value: "1"\n  - type: worker\n    name: jobs\n',
      'services:\n  - type: web\n    name: api\n    envVars:\n      - key: A\n        value: "1"\n      - key: STRIPE_API_KEY\n        sync: false\n  - type: worker\n    name: jobs\n',
    ],
    // No envVars yet: a new list after the service's name.
    ['services:\n- type: web\n  name: api\n  runtime: python\n', 'services:\n- type: web\n  name: api\n  envVars:\n    - key: STRIPE_API_KEY\n      sync: false\n  runtime: python\n'],
  ];
  for (const [blueprint, expected] of layouts) {
    const { ctx, texts, findings } = run(blueprint);
    assert.deepEqual(findings.map((f) => f.message), [`STRIPE_API_KEY is required here but render api${blueprint.includes('jobs') ? ' and render jobs do' : ' does'} not provide it`]);
    const actions = envCodeActions(ctx, findings).filter((a) => a.title.includes('render.yaml'));
    assert.deepEqual(actions.map((a) => a.title)[0], 'Add STRIPE_API_KEY to render api in render.yaml (asked in the Dashboard)');
    const fixed = apply(texts.get(`${ROOT}/render.yaml`)!, actions[0].edit!.changes[`${ROOT}/render.yaml`]);
    assert.equal(fixed, expected);
    assert.deepEqual(run(fixed).findings, [], fixed);
  }
});

test("a variable a DigitalOcean component does not get: the fix adds it to that component's envs (run time, a secret's value set in App Platform), or gives a build-only one to the run too; the finding goes away", () => {
  const app = 'import os\nKEY = os.environ["STRIPE_API_KEY"]\n';
  const run = (spec: string, file = '.do/app.yaml') => {
    const { ctx, texts } = context({ 'settings.py': app, [file]: spec });
    const findings = runRules({ workspace: ctx.workspace, envStates: new Map(), settings: { envs: ['dev'], severities: {} } }).filter((f) => f.code === 'env-not-provided');
    return { ctx, texts, findings };
  };
  const add = 'Add STRIPE_API_KEY to app spec api in .do/app.yaml (type: SECRET, value set in App Platform)';
  const give = 'Give STRIPE_API_KEY to the running app too (scope: RUN_AND_BUILD_TIME in .do/app.yaml)';
  const layouts: [string, string, string][] = [
    [
      'name: shop\nservices:\n  - name: api\n    envs:\n      - key: A\n        value: "1"\nworkers:\n  - name: jobs\n',
      'name: shop\nservices:\n  - name: api\n    envs:\n      - key: A\n        value: "1"\n      - key: STRIPE_API_KEY\n        scope: RUN_TIME\n        type: SECRET\nworkers:\n  - name: jobs\n',
      add,
    ],
    // No envs yet: a new list after the component's name; items written without indentation under their key.
    ['services:\n- name: api\n  http_port: 8000\n', 'services:\n- name: api\n  envs:\n    - key: STRIPE_API_KEY\n      scope: RUN_TIME\n      type: SECRET\n  http_port: 8000\n', add],
    ['services:\n- name: api\n  envs:\n  -   key: A\n      value: "1"\n', 'services:\n- name: api\n  envs:\n  -   key: A\n      value: "1"\n  -   key: STRIPE_API_KEY\n      scope: RUN_TIME\n      type: SECRET\n', add],
    // Set for the build only, in the component or for the whole app: that entry's scope changes.
    ['services:\n  - name: api\n    envs:\n      - key: STRIPE_API_KEY\n        scope: BUILD_TIME\n', 'services:\n  - name: api\n    envs:\n      - key: STRIPE_API_KEY\n        scope: RUN_AND_BUILD_TIME\n', give],
    ['envs:\n  - key: STRIPE_API_KEY\n    scope: "BUILD_TIME"\nservices:\n  - name: api\n', 'envs:\n  - key: STRIPE_API_KEY\n    scope: RUN_AND_BUILD_TIME\nservices:\n  - name: api\n', give],
  ];
  for (const [spec, expected, title] of layouts) {
    const { ctx, texts, findings } = run(spec);
    assert.equal(findings.length, 1, spec);
    // (One fix per component the app gets variables from: the first layout has a worker too.)
    const actions = envCodeActions(ctx, findings).filter((a) => a.title.includes('.do/app.yaml'));
    assert.deepEqual(actions.map((a) => a.title), spec.includes('jobs') ? [title, title.replace('spec api', 'spec jobs')] : [title]);
    const fixed = apply(texts.get(`${ROOT}/.do/app.yaml`)!, actions[0].edit!.changes[`${ROOT}/.do/app.yaml`]);
    assert.equal(fixed, expected);
    assert.deepEqual(run(fixed).findings, [], fixed);
  }
  // The Deploy to DigitalOcean template: inside its spec.
  const template = run('spec:\n  name: shop\n  services:\n    - name: api\n', '.do/deploy.template.yaml');
  const t = envCodeActions(template.ctx, template.findings).filter((a) => a.title.includes('.do/'));
  assert.deepEqual(t.map((a) => a.title), ['Add STRIPE_API_KEY to app spec api in .do/deploy.template.yaml (type: SECRET, value set in App Platform)']);
  const fixedTemplate = apply(template.texts.get(`${ROOT}/.do/deploy.template.yaml`)!, t[0].edit!.changes[`${ROOT}/.do/deploy.template.yaml`]);
  assert.equal(fixedTemplate, 'spec:\n  name: shop\n  services:\n    - name: api\n      envs:\n        - key: STRIPE_API_KEY\n          scope: RUN_TIME\n          type: SECRET\n');
  // A variable that is not a secret: no `type: SECRET`.
  const plain = context({ 'settings.py': 'import os\nREGION = os.environ["REGION"]\n', '.do/app.yaml': 'services:\n  - name: api\n' });
  const plainFindings = runRules({ workspace: plain.ctx.workspace, envStates: new Map(), settings: { envs: ['dev'], severities: {} } }).filter((f) => f.code === 'env-not-provided');
  const p = envCodeActions(plain.ctx, plainFindings).filter((a) => a.title.includes('.do/'));
  assert.deepEqual(p.map((a) => a.title), ['Add REGION to app spec api in .do/app.yaml (value set in App Platform)']);
  assert.equal(apply(plain.texts.get(`${ROOT}/.do/app.yaml`)!, p[0].edit!.changes[`${ROOT}/.do/app.yaml`]), 'services:\n  - name: api\n    envs:\n      - key: REGION\n        scope: RUN_TIME\n');
  // Not edited: a flow sequence, a syntax error (the finding stays without a fix).
  for (const spec of ['services:\n  - name: api\n    envs: [{key: A, value: "1"}]\n', 'services:\n  - name: api\n    envs:\n      - key: A\n        value: "1\n']) {
    const r = run(spec);
    assert.equal(r.findings.length, 1, spec);
    assert.deepEqual(envCodeActions(r.ctx, r.findings).filter((a) => a.title.includes('.do/')), [], spec);
  }
});

test('a Render service whose envVars is a flow sequence is not edited line by line', () => {
  const { ctx } = context({ 'settings.py': 'import os\nKEY = os.environ["STRIPE_API_KEY"]\n', 'render.yaml': 'services:\n  - type: web\n    name: api\n    envVars: [{key: A, value: "1"}]\n' });
  const findings = runRules({ workspace: ctx.workspace, envStates: new Map(), settings: { envs: ['dev'], severities: {} } }).filter((f) => f.code === 'env-not-provided');
  assert.equal(findings.length, 1);
  assert.deepEqual(envCodeActions(ctx, findings).filter((a) => a.title.includes('render.yaml')), []);
});

test("a variable an App Engine service does not get: the fix adds it to env_variables with an empty value to fill in (never for a secret); the finding goes away", () => {
  const settings = 'import os\nREGION = os.environ["REGION"]\n';
  const appYaml = 'runtime: python312\nenv_variables:\n  A: "1"\nhandlers:\n  - url: /.*\n    script: auto\n';
  const { ctx, texts, findings } = run({ 'settings.py': settings, 'app.yaml': appYaml });
  assert.deepEqual(findings.map((f) => f.message), ['REGION is required here but app.yaml does not provide it']);
  const actions = envCodeActions(ctx, findings).filter((a) => a.title.includes('app.yaml'));
  assert.deepEqual(actions.map((a) => a.title), ['Add REGION to app.yaml env_variables']);
  const fixed = apply(texts.get(`${ROOT}/app.yaml`)!, actions[0].edit!.changes[`${ROOT}/app.yaml`]);
  assert.equal(fixed, 'runtime: python312\nenv_variables:\n  A: "1"\n  REGION: ""\nhandlers:\n  - url: /.*\n    script: auto\n');
  assert.deepEqual(run({ 'settings.py': settings, 'app.yaml': fixed }).findings, []);
  // A secret is not written into the file in the clear: no fix offered there.
  const secret = run({ 'settings.py': 'import os\nK = os.environ["STRIPE_API_KEY"]\n', 'app.yaml': appYaml });
  assert.equal(secret.findings.length, 1);
  assert.deepEqual(envCodeActions(secret.ctx, secret.findings).filter((a) => a.title.includes('app.yaml')), []);
});

test('a credential moved out of a Terraform file: read through one data "aws_ssm_parameter" per parameter (reused, or a new name when taken); a .tfvars entry goes', () => {
  const tf = 'resource "aws_db_instance" "db" {\n  password = "Pl41ntext-Passw0rd-9"\n}\n';
  const range = { start: { line: 1, character: 14 }, end: { line: 1, character: 34 } };
  const plan = referencePlan('source', 'file:///w/main.tf', 'DB_PASSWORD', '/shop/db', 'dev');
  assert.equal(plan.label, 'data.aws_ssm_parameter.db_password.value');
  const moved = apply(tf, referenceEdits(tf, range, plan, 'file:///w/main.tf'));
  assert.equal(moved, 'resource "aws_db_instance" "db" {\n  password = data.aws_ssm_parameter.db_password.value\n}\n\ndata "aws_ssm_parameter" "db_password" {\n  name = "/shop/db"\n}\n');
  // The same parameter again: the data source is reused; another parameter under the same name: a new one.
  const twice = `${moved}resource "x" "y" {\n  password = "An0ther-Passw0rd-77"\n}\n`;
  const at = { start: { line: 8, character: 14 }, end: { line: 8, character: 33 } };
  assert.deepEqual(referenceEdits(twice, at, plan, 'file:///w/main.tf').map((e) => e.newText), ['data.aws_ssm_parameter.db_password.value']);
  const other = referencePlan('source', 'file:///w/main.tf', 'DB_PASSWORD', '/shop/other', 'dev');
  assert.deepEqual(referenceEdits(twice, at, other, 'file:///w/main.tf').map((e) => e.newText), ['data.aws_ssm_parameter.db_password_2.value', '\ndata "aws_ssm_parameter" "db_password_2" {\n  name = "/shop/other"\n}\n']);
  const vars = referencePlan('source', 'file:///w/prod.tfvars', 'db_password', '/shop/db', 'dev');
  assert.equal(vars.action, 'delete-line');
  assert.match(vars.hint, /export TF_VAR_db_password=/);
});

test('what a moved credential is: the value a quoted literal stands for, its escapes decoded as the file reads them', () => {
  const value = (line: string, uri: string) => {
    const i = line.indexOf('Kx');
    const j = line.lastIndexOf('9z') + 2;
    return credentialValue(line, { start: { line: 0, character: i }, end: { line: 0, character: j } }, uri);
  };
  assert.equal(value('{"value": "Kx\\"q\\\\p\\n9z"}', 'file:///w/task-definition.json'), 'Kx"q\\p\n9z');
  assert.equal(value('KEY: "Kx\\"q\\\\p\\n9z"', 'file:///w/serverless.yml'), 'Kx"q\\p\n9z');
  assert.equal(value("KEY: 'Kx''q\\p9z'", 'file:///w/serverless.yml'), "Kx'q\\p9z");
  assert.equal(value('KEY = "Kx\\"q\\\\p\\n9z"', 'file:///w/settings.py'), 'Kx"q\\p\n9z');
  assert.equal(value("KEY = 'Kx\\'q\\n9z'", 'file:///w/settings.py'), "Kx'q\n9z");
  assert.equal(value('KEY = r"Kx\\d+9z"', 'file:///w/settings.py'), 'Kx\\d+9z');
  assert.equal(value('KEY = "Kx\\"q\\\\p\\n$${9z"', 'file:///w/main.tf'), 'Kx"q\\p\n${9z');
  assert.equal(value('KEY="Kx\\"q\\n9z"', 'file:///w/.env'), 'Kx"q\n9z');
  assert.equal(value("KEY='Kx\\'q\\n9z'", 'file:///w/.env'), "Kx'q\\n9z");
  // Unquoted, or a syntax Orchard does not decode (a shell script): as written.
  assert.equal(value('KEY=Kx\\n9z', 'file:///w/.env'), 'Kx\\n9z');
  assert.equal(value('export KEY="Kx\\"q9z"', 'file:///w/deploy.sh'), 'Kx\\"q9z');
});
