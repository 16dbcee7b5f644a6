// A Google App Engine service's file (parse/appEngine.ts) and the source made from it (model/appSources.ts appEngineSource).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlFile } from '../../server/src/parse/yaml';
import { appEngineEntryInsert, parseAppEngine } from '../../server/src/parse/appEngine';
import { appEngineSource } from '../../server/src/model/hostedSources';
import { parseEnvFile } from '../../server/src/model/files';

const URI = 'file:///ws/app.yaml';
const read = (text: string, uri = URI) => parseAppEngine(parseYamlFile(text), uri);

const APP = `runtime: python312
service: api
entrypoint: gunicorn -b :$PORT main:app
instance_class: F2

env_variables:
  DJANGO_DEBUG: "false"
  WORKERS: 4
  DB_HOST: \${DB_HOST}
  not a name: x

build_env_variables:
  GOOGLE_PYTHON_VERSION: "3.12"

includes:
  - secrets.yaml
`;

test("a service's file: its service, runtime, env_variables (a value a deploy script fills in has none), build-only entries and includes", () => {
  const m = read(APP)!;
  assert.equal(m.kind, 'app-engine');
  assert.equal(m.service, 'api');
  assert.equal(m.runtime, 'python312');
  assert.equal(m.flexible, false);
  assert.deepEqual(m.entries.map((e) => [e.key, e.value ?? null, e.keyRange.start.line]), [
    ['DJANGO_DEBUG', 'false', 6],
    ['WORKERS', '4', 7],
    ['DB_HOST', null, 8],
  ]);
  assert.deepEqual(m.entries[0].entryRange, { start: { line: 6, character: 2 }, end: { line: 6, character: 23 } });
  assert.deepEqual(m.buildEntries.map((e) => e.key), ['GOOGLE_PYTHON_VERSION']);
  assert.deepEqual(m.includes.map((i) => [i.path, i.range.start.line]), [['secrets.yaml', 15]]);
  assert.deepEqual(m.errors, []);
  // Without `service:` the service is `default`; the flexible environment is said by `env: flex`.
  const flex = read('runtime: python\nenv: flex\nenv_variables:\n  A: b\n')!;
  assert.equal(flex.service, 'default');
  assert.equal(flex.flexible, true);
  assert.equal(read('runtime: python27\napi_version: 1\nmodule: worker\nthreadsafe: true\n')!.service, 'worker');
});

test('recognised by content only: a runtime of App Engine and one of its keys', () => {
  for (const other of [
    'runtime: python312\n', // nothing else of App Engine's
    'runtime: docker\nenv_variables:\n  A: b\n', // not an App Engine runtime
    'name: x\nruntime: python3.12\nhandler: main.handler\n', // a function's manifest
    'provider:\n  runtime: python3.12\n  environment:\n    A: b\n', // serverless.yml
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  A: b\n',
    'runtime: python312\nenv_variables:\n  A: b\n---\nruntime: python312\n', // two documents
    '- runtime: python312\n',
    'env_variables:\n  A: b\nsteps:\n  - run: x\n', // keys App Engine has not
    'env_variables: [A]\n',
  ]) {
    assert.equal(read(other, 'file:///ws/service.yaml'), undefined, other);
  }
  // A file of directives a service includes: no runtime, env_variables among App Engine's keys.
  const inc = read('env_variables:\n  SECRET_KEY: "k"\n', 'file:///ws/secrets.yaml')!;
  assert.equal(inc.included, true);
  assert.deepEqual(inc.entries.map((e) => e.key), ['SECRET_KEY']);
  // Through the file reader: a YAML file of no other kind, under any name.
  assert.equal(parseEnvFile('source', APP, 'file:///ws/deploy/api-staging.yaml').kind, 'app-engine');
  assert.equal(parseEnvFile('source', 'runtime: python312\n', 'file:///ws/api.yaml').kind, 'source');
  // In app.yaml, the runtime alone (the smallest service's file).
  assert.equal(parseEnvFile('source', 'runtime: python312\n', 'file:///ws/app.yaml').kind, 'app-engine');
  assert.equal(parseEnvFile('source', 'runtime: docker\n', 'file:///ws/app.yaml').kind, 'source');
  // Broken YAML never throws.
  assert.doesNotThrow(() => read('runtime: python312\nenv_variables:\n  A: "unterminated\n'));
});

test('the source: env_variables, what the runtime sets (fewer in the flexible environment), build-only entries', () => {
  const s = appEngineSource(read(APP.replace('includes:\n  - secrets.yaml\n', ''))!);
  assert.equal(s.id, `gae:${URI}`);
  assert.equal(s.label, 'App Engine api');
  assert.equal(s.complete, true);
  const byName = new Map(s.provides.map((p) => [p.name, p]));
  assert.deepEqual([...byName.keys()], ['DJANGO_DEBUG', 'WORKERS', 'DB_HOST', 'PORT', 'GAE_APPLICATION', 'GAE_DEPLOYMENT_ID', 'GAE_ENV', 'GAE_INSTANCE', 'GAE_MEMORY_MB', 'GAE_RUNTIME', 'GAE_SERVICE', 'GAE_VERSION', 'GOOGLE_CLOUD_PROJECT']);
  assert.equal(byName.get('DJANGO_DEBUG')!.userDefined, true);
  assert.equal(byName.get('DB_HOST')!.value, undefined);
  assert.equal(byName.get('DB_HOST')!.detail, 'env_variables (filled in when deploying)');
  assert.equal(byName.get('PORT')!.userDefined, false);
  assert.deepEqual(s.buildOnly?.map((b) => b.name), ['GOOGLE_PYTHON_VERSION']);
  const flex = appEngineSource(read('runtime: custom\nenv: flex\nenv_variables:\n  PORT: "9000"\n')!);
  assert.equal(flex.label, 'app.yaml');
  assert.deepEqual(flex.provides.map((p) => [p.name, p.userDefined]), [['PORT', true], ['GAE_INSTANCE', false], ['GAE_MEMORY_MB', false], ['GAE_SERVICE', false], ['GAE_VERSION', false], ['GOOGLE_CLOUD_PROJECT', false]]);
});

test('incomplete: an included file not read, template syntax, a first-generation runtime; an included file read gives its entries (the service\'s own win)', () => {
  const m = read(APP)!;
  const s = appEngineSource(m);
  assert.equal(s.complete, false);
  assert.equal(s.incompleteReason, 'includes secrets.yaml, which Orchard could not read (not in the workspace, or not a file of env_variables)');
  const inc = read('env_variables:\n  SECRET_KEY: "k"\n  WORKERS: "8"\n', 'file:///ws/secrets.yaml')!;
  const withInc = appEngineSource(m, new Map([[inc.uri, inc]]));
  assert.equal(withInc.complete, true);
  const byName = new Map(withInc.provides.map((p) => [p.name, p]));
  assert.equal(byName.get('SECRET_KEY')!.uri, 'file:///ws/secrets.yaml');
  assert.equal(byName.get('SECRET_KEY')!.sensitive, true);
  assert.equal(byName.get('WORKERS')!.uri, URI);
  assert.equal(byName.get('WORKERS')!.value, '4');
  const old = appEngineSource(read('runtime: python27\napi_version: 1\nthreadsafe: true\nenv_variables:\n  A: b\n')!);
  assert.equal(old.complete, false);
  assert.match(old.incompleteReason!, /python27 runtime also sets request and server variables/);
  assert.ok(!old.provides.some((p) => p.name === 'PORT'));
  const templated = appEngineSource(read('runtime: python312\nenv_variables:\n  A: {{ a }}\n')!);
  assert.equal(templated.complete, false);
});

test('the quick fix\'s insert: after the last env_variables entry, indented alike, or a new env_variables after runtime; never a flow mapping, a broken file or a name already set', () => {
  const apply = (text: string, name: string) => {
    const at = appEngineEntryInsert(text, name);
    return at && text.slice(0, at.offset) + at.insert + text.slice(at.offset);
  };
  assert.equal(apply('runtime: python312\nenv_variables:\n    A: "1"\n    B: |\n      two\n      lines\nhandlers: []\n', 'REGION'), 'runtime: python312\nenv_variables:\n    A: "1"\n    B: |\n      two\n      lines\n    REGION: ""\nhandlers: []\n');
  assert.equal(apply('runtime: python312\nentrypoint: x\n', 'REGION'), 'runtime: python312\nenv_variables:\n  REGION: ""\nentrypoint: x\n');
  assert.equal(apply('runtime: python312\r\nenv_variables:\r\n  A: b', 'REGION'), 'runtime: python312\r\nenv_variables:\r\n  A: b\r\n  REGION: ""');
  assert.equal(apply('runtime: python312\r\nentrypoint: x\r\n', 'REGION'), 'runtime: python312\r\nenv_variables:\r\n  REGION: ""\r\nentrypoint: x\r\n');
  for (const text of ['runtime: python312\nenv_variables: {A: b}\n', 'runtime: python312\nenv_variables:\n  A: "b\n', 'runtime: python312\nenv_variables:\n  REGION: x\n', 'env_variables:\n  A: b\n']) {
    assert.equal(appEngineEntryInsert(text, 'REGION'), undefined, text);
  }
  assert.equal(appEngineEntryInsert('runtime: python312\nentrypoint: x\n', 'not a name'), undefined);
});
