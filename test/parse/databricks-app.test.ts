// A Databricks app's app.yaml (parse/databricksApp.ts) and the source made from it (model/appSources.ts databricksSource).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlFile } from '../../server/src/parse/yaml';
import { parseDatabricksApp } from '../../server/src/parse/databricksApp';
import { databricksSource } from '../../server/src/model/hostedSources';
import { parseEnvFile } from '../../server/src/model/files';

const URI = 'file:///ws/app.yaml';
const read = (text: string, uri = URI) => parseDatabricksApp(parseYamlFile(text), uri);

const APP = `command: ['streamlit', 'run', 'app.py']
env:
  - name: 'DATABRICKS_WAREHOUSE_ID'
    valueFrom: 'sql-warehouse'
  - name: STREAMLIT_GATHER_USAGE_STATS
    value: 'false'
  - name: not a name
    value: x
`;

test("its env: a literal value, or valueFrom one of the app's resources", () => {
  const m = read(APP)!;
  assert.equal(m.kind, 'databricks-app');
  assert.deepEqual(m.entries.map((e) => [e.key, e.value ?? null, e.from ?? null, e.keyRange.start.line]), [
    ['DATABRICKS_WAREHOUSE_ID', null, 'sql-warehouse', 2],
    ['STREAMLIT_GATHER_USAGE_STATS', 'false', null, 4],
  ]);
  assert.deepEqual(m.errors, []);
  // `command` alone is one too (the app reads only what the platform sets).
  assert.deepEqual(read('command:\n  - gunicorn\n  - app:app\n')!.entries, []);
});

test('recognised by content, in app.yaml only: command and env alone, env a list of names', () => {
  for (const [text, uri] of [
    [APP, 'file:///ws/deploy.yaml'],
    ['runtime: python312\nenv_variables:\n  A: b\n', URI], // App Engine's
    ['command: [a]\nenv: []\nname: x\n', URI], // another key
    ['env:\n  A: b\n', URI], // a map, not a list
    ['command: run.sh\n', URI], // a string, not a sequence
    ['name: shop\nservices:\n  - name: web\n', URI], // a DigitalOcean spec
  ] as const) {
    assert.equal(read(text, uri), undefined, text);
  }
  assert.equal(parseEnvFile('source', APP, URI).kind, 'databricks-app');
  assert.equal(parseEnvFile('source', 'runtime: python312\n', URI).kind, 'app-engine');
});

test('the source: env and what Databricks Apps set, complete, entries never unused', () => {
  const s = databricksSource(read(APP)!);
  assert.equal(s.id, `databricks:${URI}`);
  assert.equal(s.label, 'Databricks app');
  assert.equal(s.complete, true);
  const byName = new Map(s.provides.map((p) => [p.name, p]));
  assert.equal(byName.get('DATABRICKS_WAREHOUSE_ID')!.detail, 'valueFrom resource sql-warehouse');
  assert.equal(byName.get('DATABRICKS_WAREHOUSE_ID')!.userDefined, false);
  assert.equal(byName.get('DATABRICKS_CLIENT_SECRET')!.sensitive, true);
  assert.ok(byName.get('DATABRICKS_APP_PORT'));
  assert.equal(databricksSource(read(`${APP}  - name: X\n    value: "{{ x }}"\n`)!).complete, false);
});
