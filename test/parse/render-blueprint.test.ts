// A Render Blueprint (parse/renderBlueprint.ts) and the sources made from its services (model/appSources.ts renderSource).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlFile } from '../../server/src/parse/yaml';
import { parseRenderBlueprint } from '../../server/src/parse/renderBlueprint';
import { renderSource } from '../../server/src/model/appSources';

const URI = 'file:///ws/render.yaml';
const read = (text: string) => parseRenderBlueprint(parseYamlFile(text), URI);

const BLUEPRINT = `databases:
  - name: app-db
services:
  - type: web
    name: api
    runtime: python
    rootDir: backend
    envVars:
      - key: DJANGO_SECRET_KEY
        generateValue: true
      - key: DATABASE_URL
        fromDatabase:
          name: app-db
          property: connectionString
      - key: REDIS_URL
        fromService:
          type: keyvalue
          name: cache
          property: connectionString
      - key: STRIPE_API_KEY
        sync: false
      - key: WEB_CONCURRENCY
        value: 4
      - key: LOG_LEVEL
        value: debug
      - fromGroup: shared
  - type: worker
    name: jobs
    runtime: python
    envVars:
      - fromGroup: made-in-dashboard
  - type: keyvalue
    name: cache
  - type: web
    name: site
    runtime: static
  - type: pserv
    name: prebuilt
    image:
      url: docker.io/library/nginx
envVarGroups:
  - name: shared
    envVars:
      - key: LOG_LEVEL
        value: info
      - key: SENTRY_DSN
        sync: false
`;

test('services that run code, their entries of every kind, groups, rootDir', () => {
  const m = read(BLUEPRINT)!;
  assert.deepEqual(m.errors, []);
  assert.deepEqual(m.services.map((s) => [s.name, s.type, s.rootDir, s.groups.map((g) => g.name)]), [
    ['api', 'web', 'backend', ['shared']],
    ['jobs', 'worker', undefined, ['made-in-dashboard']],
  ]);
  assert.deepEqual(
    m.services[0].entries.map((e) => [e.key, e.kind, e.value, e.from]),
    [
      ['DJANGO_SECRET_KEY', 'generated', undefined, undefined],
      ['DATABASE_URL', 'database', undefined, 'app-db'],
      ['REDIS_URL', 'service', undefined, 'cache'],
      ['STRIPE_API_KEY', 'asked', undefined, undefined],
      ['WEB_CONCURRENCY', 'value', '4', undefined],
      ['LOG_LEVEL', 'value', 'debug', undefined],
    ],
  );
  assert.equal(m.services[0].entries[0].keyRange.start.line, 8);
  assert.deepEqual(m.groups.map((g) => [g.name, g.entries.map((e) => e.key)]), [['shared', ['LOG_LEVEL', 'SENTRY_DSN']]]);

  const api = renderSource(m, m.services[0]);
  assert.equal(api.id, 'render:file:///ws/render.yaml#api');
  assert.equal(api.label, 'render api');
  assert.equal(api.complete, true);
  const p = (name: string) => api.provides.find((x) => x.name === name)!;
  // The service's own LOG_LEVEL wins over the group's.
  assert.deepEqual([p('LOG_LEVEL').value, p('LOG_LEVEL').detail], ['debug', 'value']);
  assert.deepEqual([p('SENTRY_DSN').detail, p('SENTRY_DSN').userDefined], ['asked in the Render Dashboard (sync: false) (group shared)', true]);
  assert.deepEqual([p('DJANGO_SECRET_KEY').sensitive, p('DJANGO_SECRET_KEY').value], [true, undefined]);
  assert.deepEqual([p('DATABASE_URL').sensitive, p('DATABASE_URL').detail], [true, 'from database app-db']);
  assert.deepEqual([p('PORT').userDefined, p('RENDER').userDefined, p('RENDER_GIT_COMMIT').detail], [false, false, 'set by Render: the commit deployed']);

  // A group the file does not define was made in the Dashboard: what it sets is unknown.
  const jobs = renderSource(m, m.services[1]);
  assert.equal(jobs.complete, false);
  assert.equal(jobs.incompleteReason, 'the environment group made-in-dashboard is not defined in render.yaml (made in the Render Dashboard)');
  assert.ok(!jobs.provides.some((x) => x.name === 'PORT'), 'PORT is a web service’s');
});

test('services of projects’ environments, and their groups, count as the root’s do', () => {
  const m = read(`projects:
  - name: shop
    envVarGroups:
      - name: common
        envVars:
          - key: A
            value: "1"
    environments:
      - name: production
        services:
          - type: web
            name: shop-web
            runtime: python
            envVars:
              - fromGroup: common
`)!;
  assert.deepEqual(m.services.map((s) => s.name), ['shop-web']);
  const s = renderSource(m, m.services[0]);
  assert.equal(s.complete, true);
  assert.equal(s.provides.find((x) => x.name === 'A')?.value, '1');
});

test("another program's render.yaml is not a Blueprint; a project template's is incomplete; odd entries are warnings", () => {
  for (const text of ['name: x\nrender: true\n', 'services: {web: {}}\n', '- a\n- b\n', '', 'services:\n']) assert.equal(read(text), undefined, text);
  // A project template (cookiecutter's `{{project_name}}`): a service it names is not read, one it fills in is incomplete.
  const named = read('services:\n  - type: web\n    name: {{project_name}}\n    envVars:\n      - key: A\n        value: 1\n')!;
  assert.deepEqual([named.templated, named.services], [true, []]);
  const filled = read('services:\n  - type: web\n    name: api\n    envVars:\n      - key: A\n        value: {{a_value}}\n')!;
  assert.deepEqual(filled.services.map((s) => [s.name, renderSource(filled, s).complete, renderSource(filled, s).incompleteReason]), [['api', false, 'template syntax hides part of the file']]);
  const odd = read('services:\n  - type: web\n    name: api\n    envVars:\n      - value: orphan\n      - key: GOOD\n        value: "1"\n')!;
  assert.deepEqual(odd.errors.map((e) => [e.code, e.range.start.line, e.severity]), [['render-env', 4, 'warning']]);
  assert.deepEqual(odd.services[0].entries.map((e) => e.key), ['GOOD']);
});

test('hostile input: thousands of services and entries, deep nesting, merge-key bombs stay bounded', () => {
  const t0 = performance.now();
  const many = `services:\n${Array.from({ length: 3000 }, (_, i) => `  - type: worker\n    name: w${i}\n    envVars:\n      - key: K${i}\n        value: "${i}"\n`).join('')}`;
  assert.equal(read(many)!.services.length, 2000);
  const deep = `services:\n  - type: web\n    name: x\n    envVars: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
  read(deep);
  const bomb = `a: &a {k: 1}\nb: &b {<<: [*a, *a, *a, *a, *a, *a, *a, *a]}\nc: &c {<<: [*b, *b, *b, *b, *b, *b, *b, *b]}\nservices:\n  - type: web\n    name: x\n    <<: [*c, *c, *c, *c, *c, *c, *c, *c]\n`;
  read(bomb);
  assert.ok(performance.now() - t0 < 5000, `took ${performance.now() - t0} ms`);
});
