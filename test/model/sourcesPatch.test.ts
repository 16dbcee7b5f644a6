// A keystroke in a `.env`, charm, Helm values file, Dockerfile, app.json, render.yaml, app spec or Kubernetes manifest replaces one model in place. patchWorkspace
// must then give exactly what buildWorkspace gives, finishing again only the apps the file is given
// to (inside the app, through a compose env_file, loaded by the app's code, the charm's own app) and
// keeping every other App object.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { initPython, parsePython } from '../../server/src/parse/python';
import { initTerraform } from '../../server/src/parse/terraform';
import { buildWorkspace, type BuildInput } from '../../server/src/model/build';
import { patchWorkspace } from '../../server/src/model/patch';
import { buildInput, built } from './buildInput.helpers';
import { addEnvFile } from '../../server/src/model/scan';
import { parseEnvFile } from '../../server/src/model/files';
import type { EnvFiles, FileCredentials } from '../../server/src/model/types';
import { API_ENV, SHARED_ENV, WEB_ENV, dotenvModel, editDotenv, input, renewed, short } from './sourcesPatch.helpers';

before(async () => {
  await initPython();
  await initTerraform();
});

test('the workspace this test builds has the apps it means to', () => {
  const apps = buildWorkspace(input()).apps!;
  const byRoot = new Map(apps.map((a) => [short(a.root), a]));
  // (plain/ holds a .env and code: an app of its own, whichever module comes first.)
  assert.deepEqual([...byRoot.keys()].sort(), ['(root)', 'api', 'plain', 'web']);
  assert.ok(byRoot.get('api')!.sources.some((s) => s.uri === API_ENV), 'api is given app.env by compose');
  assert.ok(byRoot.get('(root)')!.sources.some((s) => s.uri === SHARED_ENV), 'worker/run.py loads shared/.env');
  assert.ok(byRoot.get('web')!.sources.some((s) => s.uri === WEB_ENV));
});

test('which folder apps there are does not depend on the order modules come in', () => {
  const first = input();
  const roots = (inp: BuildInput) => buildWorkspace(inp).apps!.map((a) => [short(a.root), [...a.pythonUris].sort()]);
  const expected = roots(first);
  assert.deepEqual(roots({ ...first, python: [...first.python].reverse() }), expected);
  // plain/app.py after worker/run.py (whose app is the workspace root) is still plain/'s.
  const order = ['worker/run.py', 'plain/app.py', 'web/settings.py', 'api/main.py'].map((p) => first.python.find((f) => f.uri.endsWith(p))!);
  assert.deepEqual(roots({ ...first, python: order }), expected);
});

for (const [what, uri, text, expect] of [
  // (The root app is finished again each time: its code loads a .env itself.)
  ['a value typed in the .env inside an app', WEB_ENV, 'PORT=80800\nSECRET_KEY=\n', ['(root)', 'web']],
  ['a variable added to it', WEB_ENV, 'PORT=8080\nSECRET_KEY=\nDEBUG=1\n', ['(root)', 'web']],
  ['a variable removed from it (PORT is then missing)', WEB_ENV, 'SECRET_KEY=\n', ['(root)', 'web']],
  ['a half-typed line', WEB_ENV, 'PORT=8080\nSECRET_KEY=\nDEB', ['(root)', 'web']],
  ["the compose service's env_file", API_ENV, 'API_TOKEN=abcd\nEXTRA=1\n', ['(root)', 'api']],
  ['a .env an app loads itself', SHARED_ENV, 'QUEUE_URL=amqp://other\n', ['(root)']],
  ['a .env inside an app that holds it among its sources', 'file:///ws/plain/.env', 'B=2\n', ['(root)', 'plain']],
] as const) {
  test(`.env edit, ${what}: patched equals built, only the apps given it are new`, () => {
    const first = input();
    const prev = built(first);
    const next = editDotenv(first, uri, text);
    const got = patchWorkspace(prev, next);
    assert.ok(got, 'patched');
    assert.deepEqual(got, buildWorkspace(next));
    assert.deepEqual(renewed(prev, got).sort(), [...expect]);
  });
}

test('the source detail of a compose env_file survives the patch (how the file reached the app)', () => {
  const first = input();
  const got = patchWorkspace(built(first), editDotenv(first, API_ENV, 'API_TOKEN=x\n'))!;
  const api = got.apps!.find((a) => a.root.endsWith('/api'))!;
  const src = api.sources.find((s) => s.uri === API_ENV)!;
  assert.match(src.provides[0].detail ?? '', /compose api env_file/);
});

test('a .env model at the place of another file is refused (the file list changed)', () => {
  const first = input();
  const prev = built(first);
  const dotenv = first.env!.dotenv.slice();
  dotenv[0] = dotenvModel('file:///ws/web/.env.local', 'PORT=1\n');
  assert.equal(patchWorkspace(prev, { ...first, env: { ...first.env!, dotenv } }), undefined);
});

test('successive .env edits patch from the patched workspace and still equal a build', () => {
  let inp = input();
  let prev = built(inp);
  const texts = ['PORT=1\n', 'PORT=12\nSECRET_KEY=s3cr3t\n', 'SECRET_KEY=s3cr3t\n', '# nothing\n', 'PORT=8080\nSECRET_KEY=\n'];
  for (const t of texts) {
    const next = editDotenv(inp, WEB_ENV, t);
    const got = patchWorkspace(prev, next);
    assert.ok(got);
    assert.deepEqual(got, buildWorkspace(next));
    prev = { input: next, opts: {}, ws: got };
    inp = next;
  }
});

// Charm and Helm values files: the same in-place patch (their place decides boundaries, their
// content what the app is given).
const CHARM_URI = 'file:///ws/rock/charm/charmcraft.yaml';
const HELM_URI = 'file:///ws/web/chart/values.yaml';
const charm = (opts: string, name = 'rock') =>
  `name: ${name}\ntype: charm\nsummary: s\ndescription: d\nextensions:\n  - flask-framework\nconfig:\n  options:\n${opts}`;
const HELM = 'env:\n  - name: PORT\n    value: "8080"\n';

function withCharmAndHelm(charmText: string, helmText: string): BuildInput {
  const base = input();
  const sink: { env: EnvFiles; credentials: FileCredentials[] } = { env: { ...base.env!, dotenv: [...base.env!.dotenv], charms: [], helm: [] }, credentials: [...(base.credentials ?? [])] };
  addEnvFile(sink, parseEnvFile('charmcraft', charmText, CHARM_URI));
  addEnvFile(sink, parseEnvFile('helm-values', helmText, HELM_URI));
  return {
    ...base,
    python: [...base.python, parsePython('import os\nTOKEN = os.environ["FLASK_API_TOKEN"]\nG = os.environ.get("FLASK_GREETING")\n', 'file:///ws/rock/app.py')],
    env: sink.env,
    credentials: sink.credentials,
  };
}

const OPTS = '    greeting:\n      type: string\n      default: hi\n    api-token:\n      type: secret\n';

test('charm and Helm values in the workspace: each belongs to the app this test means', () => {
  const ws = buildWorkspace(withCharmAndHelm(charm(OPTS), HELM));
  const rock = ws.apps!.find((a) => a.root.endsWith('/rock'))!;
  assert.equal(rock.kind, 'charm');
  assert.ok(ws.apps!.find((a) => a.root.endsWith('/web'))!.sources.some((s) => s.kind === 'helm'));
});

for (const [what, charmText, helmText, expect] of [
  ['an option added to the charm', charm(`${OPTS}    debug:\n      type: boolean\n      default: false\n`), HELM, ['rock']],
  ['an option removed (its variable is then read and not provided)', charm('    greeting:\n      type: string\n      default: hi\n'), HELM, ['rock']],
  ['a half-typed option', charm(`${OPTS}    deb`), HELM, ['rock']],
  ['a value typed into the Helm values', charm(OPTS), 'env:\n  - name: PORT\n    value: "80800"\n', ['web']],
  ['a variable added to them', charm(OPTS), `${HELM}  - name: DEBUG\n    value: "1"\n`, ['web']],
] as const) {
  test(`charm / Helm edit, ${what}: patched equals built, only that app is new`, () => {
    const first = withCharmAndHelm(charm(OPTS), HELM);
    const prev = built(first);
    const next = withCharmAndHelm(charmText, helmText);
    // The same objects for every file but the edited one.
    const keep = <T extends { uri: string }>(a: T[], b: T[]) => b.map((m, i) => (JSON.stringify(m) === JSON.stringify(a[i]) ? a[i] : m));
    const inp: BuildInput = { ...first, env: { ...first.env!, charms: keep(first.env!.charms, next.env!.charms), helm: keep(first.env!.helm, next.env!.helm) }, credentials: first.credentials };
    const got = patchWorkspace(prev, inp);
    assert.ok(got, 'patched');
    assert.deepEqual(got, buildWorkspace(inp));
    assert.deepEqual(renewed(prev, got).sort(), [...expect]);
  });
}

test("a charm's new name builds the apps again (the name is the app's label)", () => {
  const first = withCharmAndHelm(charm(OPTS), HELM);
  const prev = built(first);
  const next = withCharmAndHelm(charm(OPTS, 'stone'), HELM);
  const inp: BuildInput = { ...first, env: { ...first.env!, charms: next.env!.charms } };
  const got = patchWorkspace(prev, inp)!;
  assert.deepEqual(got, buildWorkspace(inp));
  assert.deepEqual(renewed(prev, got).sort(), ['(root)', 'api', 'plain', 'rock', 'web'], 'every app built again');
  assert.equal(got.apps!.find((a) => a.root.endsWith('/rock'))!.label, 'stone');
});

// A Render Blueprint at the root whose service runs web/: its source made again from the new model (only web/ is new).
const RENDER_URI = 'file:///ws/render.yaml';

function withRender(text: string): BuildInput {
  const base = input();
  const sink: { env: EnvFiles; credentials: FileCredentials[] } = { env: { ...base.env!, render: [] }, credentials: [...(base.credentials ?? [])] };
  addEnvFile(sink, parseEnvFile('render', text, RENDER_URI));
  return { ...base, env: sink.env, credentials: sink.credentials };
}

const RENDER_FIRST = 'services:\n  - type: web\n    name: web\n    rootDir: web\n    envVars:\n      - key: PORT\n        value: 8080\n';
for (const [what, text, renewedApps] of [
  ['a variable added', `${RENDER_FIRST}      - key: SECRET_KEY\n        generateValue: true\n`, ['web']],
  ['a group taken in that the file does not define', `${RENDER_FIRST}      - fromGroup: elsewhere\n`, ['web']],
  ['the service renamed (a full build of the apps)', RENDER_FIRST.replace('name: web', 'name: site'), undefined],
] as const) {
  test(`render.yaml edit, ${what}: patched equals built`, () => {
    const first = withRender(RENDER_FIRST);
    assert.ok(buildWorkspace(first).apps!.find((a) => a.root.endsWith('/web'))!.sources.some((s) => s.id === `render:${RENDER_URI}#web`));
    const prev = built(first);
    const inp: BuildInput = { ...first, env: { ...first.env!, render: withRender(text).env!.render } };
    const got = patchWorkspace(prev, inp);
    assert.ok(got, 'patched');
    assert.deepEqual(got, buildWorkspace(inp));
    if (renewedApps) assert.deepEqual(renewed(prev, got), renewedApps);
  });
}

// A DigitalOcean app spec whose service runs web/: its source made again from the new model.
const DO_URI = 'file:///ws/.do/app.yaml';

function withDoSpec(text: string): BuildInput {
  const base = input();
  const sink: { env: EnvFiles; credentials: FileCredentials[] } = { env: { ...base.env!, doApp: [] }, credentials: [...(base.credentials ?? [])] };
  addEnvFile(sink, parseEnvFile('do-app', text, DO_URI));
  return { ...base, env: sink.env, credentials: sink.credentials };
}

const DO_FIRST = 'services:\n  - name: web\n    source_dir: web\n    envs:\n      - key: PORT\n        value: "8080"\n';
for (const [what, text, renewedApps] of [
  ['a variable added', `${DO_FIRST}      - key: SECRET_KEY\n        type: SECRET\n`, ['web']],
  ['an app-wide variable added', `envs:\n  - key: SECRET_KEY\n    type: SECRET\n${DO_FIRST}`, ['web']],
  ['the component moved (a full build of the apps)', DO_FIRST.replace('source_dir: web', 'source_dir: api'), undefined],
] as const) {
  test(`app spec edit, ${what}: patched equals built`, () => {
    const first = withDoSpec(DO_FIRST);
    assert.ok(buildWorkspace(first).apps!.find((a) => a.root.endsWith('/web'))!.sources.some((s) => s.id === `do:${DO_URI}#web`));
    const prev = built(first);
    const inp: BuildInput = { ...first, env: { ...first.env!, doApp: withDoSpec(text).env!.doApp } };
    const got = patchWorkspace(prev, inp);
    assert.ok(got, 'patched');
    assert.deepEqual(got, buildWorkspace(inp));
    if (renewedApps) assert.deepEqual(renewed(prev, got), renewedApps);
  });
}

// Kubernetes manifests in web/k8s/: the container's source made again from the new model.
const K8S_URI = 'file:///ws/web/k8s/deployment.yaml';

function withK8s(text: string): BuildInput {
  const base = input();
  const sink: { env: EnvFiles; credentials: FileCredentials[] } = { env: { ...base.env!, k8s: [] }, credentials: [...(base.credentials ?? [])] };
  // As the scan files it: a YAML file of no other kind, known by its content.
  addEnvFile(sink, parseEnvFile('source', text, K8S_URI));
  return { ...base, env: sink.env, credentials: sink.credentials };
}

const K8S_FIRST = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: shop/web:1\n          env:\n            - name: PORT\n              value: "8080"\n';
for (const [what, text, renewedApps] of [
  ['a variable added', `${K8S_FIRST}            - name: SECRET_KEY\n              valueFrom:\n                secretKeyRef: {name: web, key: secret-key}\n`, ['web']],
  ['an envFrom of a ConfigMap added with the ConfigMap (new keys: a full build of the apps)', `${K8S_FIRST.replace('          env:', '          envFrom:\n            - configMapRef: {name: web-config}\n          env:')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  SECRET_KEY: x\n`, undefined],
  ['a value typed (the same keys in their places)', K8S_FIRST.replace('"8080"', '"8081"'), ['web']],
  ["the container's image changed to another program's (a full build of the apps)", K8S_FIRST.replace('shop/web:1', 'redis:7'), undefined],
  ['a ConfigMap key added, which containers of other files may take in (a full build of the apps)', `${K8S_FIRST}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  A: "1"\n`, undefined],
] as const) {
  test(`Kubernetes manifest edit, ${what}: patched equals built`, () => {
    const first = withK8s(K8S_FIRST);
    assert.ok(buildWorkspace(first).apps!.find((a) => a.root.endsWith('/web'))!.sources.some((s) => s.id === `k8s:${K8S_URI}#Deployment/web/web`));
    const prev = built(first);
    const inp: BuildInput = { ...first, env: { ...first.env!, k8s: withK8s(text).env!.k8s } };
    const got = patchWorkspace(prev, inp);
    assert.ok(got, 'patched');
    assert.deepEqual(got, buildWorkspace(inp));
    if (renewedApps) assert.deepEqual(renewed(prev, got), renewedApps);
  });
}

// An App Engine service's file in web/: its source made again from the new model.
const GAE_URI = 'file:///ws/web/app.yaml';
const INCLUDED_URI = 'file:///ws/web/secrets.yaml';

function withGae(text: string, included?: string): BuildInput {
  const base = input();
  const sink: { env: EnvFiles; credentials: FileCredentials[] } = { env: { ...base.env!, appEngine: [] }, credentials: [...(base.credentials ?? [])] };
  // As the scan files them: YAML files of no other kind, known by their content.
  addEnvFile(sink, parseEnvFile('source', text, GAE_URI));
  if (included !== undefined) addEnvFile(sink, parseEnvFile('source', included, INCLUDED_URI));
  return { ...base, env: sink.env, credentials: sink.credentials };
}

const GAE_FIRST = 'runtime: python312\nenv_variables:\n  PORT: "8080"\n';
for (const [what, text, included, renewedApps] of [
  ['a variable added', `${GAE_FIRST}  SECRET_KEY: "k"\n`, undefined, ['web']],
  ['a build-only entry added', `${GAE_FIRST}build_env_variables:\n  NPM_TOKEN: x\n`, undefined, ['web']],
  ["the runtime changed to another program's (a full build of the apps)", GAE_FIRST.replace('python312', 'nodejs20'), undefined, undefined],
  ['an included file typed in (a full build of the apps)', `${GAE_FIRST}includes:\n  - secrets.yaml\n`, 'env_variables:\n  SECRET_KEY: "k2"\n', undefined],
] as const) {
  test(`App Engine file edit, ${what}: patched equals built`, () => {
    const first = withGae(included === undefined ? GAE_FIRST : `${GAE_FIRST}includes:\n  - secrets.yaml\n`, included === undefined ? undefined : 'env_variables:\n  SECRET_KEY: "k"\n');
    assert.ok(buildWorkspace(first).apps!.find((a) => a.root.endsWith('/web'))!.sources.some((s) => s.id === `gae:${GAE_URI}`));
    const prev = built(first);
    const inp: BuildInput = { ...first, env: { ...first.env!, appEngine: withGae(text, included).env!.appEngine } };
    const got = patchWorkspace(prev, inp);
    assert.ok(got, 'patched');
    assert.deepEqual(got, buildWorkspace(inp));
    if (renewedApps) assert.deepEqual(renewed(prev, got), renewedApps);
  });
}

// A Dockerfile outside the app that compose builds with a target: its ENV patched in place for that
// target; a stage renamed (the target may now name another chain, or none) builds every app again.
const TARGETED_URI = 'file:///ws/images/Dockerfile';
const TARGETED = 'FROM python:3.12-slim AS base\nENV API_TOKEN=from-image\nFROM base AS prod\nENV PORT=1\nFROM base AS test\nENV TEST_ONLY=1\n';

function withTargeted(text: string): BuildInput {
  const base = input();
  const sink: { env: EnvFiles; credentials: FileCredentials[] } = { env: { ...base.env!, compose: [], dockerfiles: [] }, credentials: [...(base.credentials ?? [])] };
  addEnvFile(sink, parseEnvFile('compose', 'services:\n  api:\n    build: {context: ./api, dockerfile: ../images/Dockerfile, target: prod}\n    env_file: ./api/config/app.env\n', COMPOSE_URI));
  addEnvFile(sink, parseEnvFile('dockerfile', text, TARGETED_URI));
  return { ...base, env: sink.env, credentials: sink.credentials };
}

for (const [what, text, expect] of [
  ["a value typed into the target's stage", TARGETED.replace('PORT=1', 'PORT=12'), ['api']],
  ['a variable added to the last stage (not the target)', `${TARGETED}ENV LATE=1\n`, ['api']],
  ['the target stage renamed (no such stage now)', TARGETED.replace('AS prod', 'AS production'), ['all']],
] as const) {
  test(`Dockerfile built by compose with a target, ${what}: patched equals built`, () => {
    const first = withTargeted(TARGETED);
    const api = buildWorkspace(first).apps!.find((a) => a.root.endsWith('/api'))!;
    assert.deepEqual(api.sources.find((s) => s.kind === 'dockerfile')?.provides.map((p) => p.name), ['API_TOKEN', 'PORT']);
    const prev = built(first);
    const inp: BuildInput = { ...first, env: { ...first.env!, dockerfiles: withTargeted(text).env!.dockerfiles } };
    const got = patchWorkspace(prev, inp)!;
    assert.deepEqual(got, buildWorkspace(inp));
    if (expect[0] === 'all') assert.ok(got.apps!.every((a) => !prev.ws.apps!.includes(a)));
    else assert.deepEqual(renewed(prev, got), [...expect]);
  });
}

// Compose: `environment` values patch the service's app; its apps (build contexts) or env_file
// lists changing build every app again.
const COMPOSE_URI = 'file:///ws/compose.yaml';
const compose = (env: string, build = './api') => `services:\n  api:\n    build: ${build}\n    env_file: ./api/config/app.env\n${env}`;

function withCompose(text: string): BuildInput {
  const base = input();
  const sink: { env: EnvFiles; credentials: FileCredentials[] } = { env: { ...base.env!, compose: [] }, credentials: [...(base.credentials ?? [])] };
  addEnvFile(sink, parseEnvFile('compose', text, COMPOSE_URI));
  return { ...base, env: sink.env, credentials: sink.credentials };
}

for (const [what, text, expect] of [
  ['a value typed into a service environment', compose('    environment:\n      LOG_LEVEL: debug\n'), ['api']],
  ['a variable added to it', compose('    environment:\n      LOG_LEVEL: info\n      API_TOKEN: t\n'), ['api']],
  ['its environment emptied (a source less)', compose('    environment: {}\n'), ['all']],
  ['another build context (the app moves)', compose('    environment:\n      LOG_LEVEL: info\n', './web'), ['all']],
] as const) {
  test(`compose edit, ${what}: patched equals built`, () => {
    const first = withCompose(compose('    environment:\n      LOG_LEVEL: info\n'));
    const prev = built(first);
    const next = withCompose(text);
    const inp: BuildInput = { ...first, env: { ...first.env!, compose: next.env!.compose } };
    const got = patchWorkspace(prev, inp);
    assert.ok(got, 'patched');
    assert.deepEqual(got, buildWorkspace(inp));
    // A changed shape builds every app again: no App object is kept.
    if (expect[0] === 'all') assert.ok(got.apps!.every((a) => !prev.ws.apps!.includes(a)));
    else assert.deepEqual(renewed(prev, got), [...expect]);
  });
}

test('two sources of one app with the same file name are labelled by their path below the app', () => {
  const inp = buildInput({
    envFiles: [
      ['dotenv', 'file:///ws/svc/.env', 'A=1\n'],
      ['dockerfile', 'file:///ws/svc/Dockerfile', 'FROM python:3.12\nENV B=1\n'],
      ['dockerfile', 'file:///ws/svc/mcp/Dockerfile', 'FROM python:3.12\nENV C=1\n'],
      // A uri a client sent with a stray `%`: labelled as written, never an exception.
      ['dockerfile', 'file:///ws/svc/odd%zz/Dockerfile', 'FROM python:3.12\nENV D=1\n'],
    ],
    python: [parsePython('import os\nA = os.environ["A"]\n', 'file:///ws/svc/app.py')],
  });
  const app = buildWorkspace(inp).apps!.find((a) => a.root === 'file:///ws/svc')!;
  assert.deepEqual(app.sources.map((s) => s.label), ['.env', 'Dockerfile', 'mcp/Dockerfile', 'odd%zz/Dockerfile']);
});

test('services of one name in two compose files are labelled with their file (SurfSense: backend in dev and e2e files)', () => {
  const compose = (env: string) => `services:\n  backend:\n    build: ../svc\n    environment:\n      ${env}: "1"\n  worker:\n    build: ../svc\n`;
  const inp = buildInput({
    envFiles: [
      ['compose', 'file:///ws/docker/docker-compose.dev.yml', compose('A')],
      ['compose', 'file:///ws/docker/docker-compose.e2e.yml', compose('B')],
    ],
    python: [parsePython('import os\nA = os.environ["A"]\n', 'file:///ws/svc/app.py')],
  });
  const app = buildWorkspace(inp).apps!.find((a) => a.root === 'file:///ws/svc')!;
  assert.deepEqual(app.sources.map((s) => s.label), ['compose backend (dev)', 'compose backend (e2e)']);
  // The plain docker-compose.yml keeps its whole name; cookiecutter-django's local.yml is `local`.
  const other = buildInput({
    envFiles: [
      ['compose', 'file:///ws/docker/docker-compose.yml', compose('A')],
      ['compose', 'file:///ws/docker/local.yml', compose('B')],
    ],
    python: [parsePython('import os\nA = os.environ["A"]\n', 'file:///ws/svc/app.py')],
  });
  assert.deepEqual(buildWorkspace(other).apps!.find((a) => a.root === 'file:///ws/svc')!.sources.map((s) => s.label), ['compose backend (docker-compose.yml)', 'compose backend (local)']);
});

// A keystroke in a module patches the apps first: the plan a later edit of a deployment file patches
// from must keep what that edit reads of the other files of its folder (a ConfigMap another
// manifest defines, an archive another .tf file declares).
for (const [what, list, files, edited] of [
  [
    "a Kubernetes manifest's ConfigMap of another file",
    'k8s',
    [
      [K8S_URI, K8S_FIRST.replace('          env:', '          envFrom:\n            - configMapRef: {name: web-config}\n          env:')],
      ['file:///ws/web/k8s/configmap.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  SECRET_KEY: x\n'],
    ],
    (t: string) => t.replace('"8080"', '"8081"'),
  ],
  [
    "a Terraform function's archive of another file",
    'terraform',
    [
      ['file:///ws/web/lambda.tf', 'resource "aws_lambda_function" "web" {\n  filename = data.archive_file.web.output_path\n  runtime  = "python3.12"\n  environment {\n    variables = { PORT = "8080" }\n  }\n}\n'],
      ['file:///ws/web/data.tf', 'data "archive_file" "web" {\n  source_dir  = path.module\n  output_path = "web.zip"\n}\n'],
    ],
    (t: string) => t.replace('"8080"', '"8081"'),
  ],
] as const) {
  test(`after a module edit, ${what} is still known to a patch of the file`, () => {
    const base = input();
    const sink: { env: EnvFiles; credentials: FileCredentials[] } = { env: { ...base.env!, [list]: [] }, credentials: [...(base.credentials ?? [])] };
    for (const [uri, text] of files) addEnvFile(sink, parseEnvFile('source', text, uri));
    const first: BuildInput = { ...base, env: sink.env, credentials: sink.credentials };
    const source = buildWorkspace(first).apps!.find((a) => a.root.endsWith('/web'))!.sources.find((s) => s.uri === files[0][0])!;
    assert.ok(source.provides.some((p) => p.name === (list === 'k8s' ? 'SECRET_KEY' : 'PORT')), 'the other file is read');
    // A module of web/ edited (its shape the same): the apps are patched.
    const python = first.python.map((m) => (m.uri.endsWith('/web/settings.py') ? parsePython('import os\nPORT = os.environ["PORT"]\nKEY = os.environ.get("SECRET_KEY", "prod")\n', m.uri) : m));
    const second: BuildInput = { ...first, python };
    const afterModule = patchWorkspace(built(first), second);
    assert.ok(afterModule, 'patched');
    // Then the deployment file edited.
    const [uri, text] = files[0];
    const model = parseEnvFile('source', edited(text), uri);
    const env = { ...second.env! } as unknown as Record<string, { uri: string }[]>;
    env[list] = env[list].map((m) => (m.uri === uri ? (model as unknown as Record<string, { uri: string }>)[list] : m));
    const third: BuildInput = { ...second, env: env as unknown as EnvFiles };
    const got = patchWorkspace({ input: second, opts: {}, ws: afterModule }, third);
    assert.ok(got, 'patched');
    assert.deepEqual(got, buildWorkspace(third));
  });
}
