// A DigitalOcean App Platform spec (parse/doAppSpec.ts) and the sources made from its components (model/appSources.ts doSource).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYamlFile } from '../../server/src/parse/yaml';
import { isDoAppSpecPath, parseDoAppSpec } from '../../server/src/parse/doAppSpec';
import { doSource } from '../../server/src/model/appSources';

const URI = 'file:///ws/.do/app.yaml';
const read = (text: string) => parseDoAppSpec(parseYamlFile(text), URI);

const SPEC = `name: shop
envs:
  - key: LOG_LEVEL
    value: info
  - key: SHARED
    value: app-wide
services:
  - name: web
    source_dir: /backend
    envs:
      - key: DJANGO_SECRET_KEY
        type: SECRET
        value: EV[1:q0Zr8kq2mvTqW9aX3bC4dE5fG6hI7jK8:lM9nO0pQ1rS2tU3vW4xY5zA6bC7dE8fG9hI0jK1lM2nO3pQ4rS5]
      - key: DATABASE_URL
        scope: RUN_TIME
        value: \${db.DATABASE_URL}
      - key: NPM_TOKEN
        scope: BUILD_TIME
        type: SECRET
      - key: SHARED
        value: own
workers:
  - name: queue
    envs:
      - key: CONCURRENCY
        value: 4
  - name: prebuilt
    image:
      registry_type: DOCKER_HUB
      repository: nginx
static_sites:
  - name: site
    envs:
      - key: SITE_ONLY
        value: x
databases:
  - name: db
    engine: PG
`;

test('the paths App Platform and the deploy button read', () => {
  for (const p of ['/r/.do/app.yaml', '/r/.do/app.yml', '/r/.do/deploy.template.yaml', '.do/deploy.template.yml']) assert.ok(isDoAppSpecPath(p), p);
  for (const p of ['/r/app.yaml', '/r/do/app.yaml', '/r/.do/other.yaml']) assert.ok(!isDoAppSpecPath(p), p);
});

test('components that run code, app-wide and own envs, encrypted and bound values, build-only ones', () => {
  const m = read(SPEC)!;
  assert.deepEqual(m.errors, []);
  assert.deepEqual(m.components.map((c) => [c.name, c.kind, c.sourceDir]), [['web', 'service', 'backend'], ['queue', 'worker', undefined]]);
  const web = doSource(m, m.components[0]);
  assert.deepEqual(
    web.provides.map((p) => [p.name, p.value ?? null, p.sensitive, p.userDefined, p.detail]),
    [
      ['LOG_LEVEL', 'info', false, true, 'value'],
      // The component's own setting wins over the app-wide one.
      ['SHARED', 'own', false, true, 'value'],
      ['DJANGO_SECRET_KEY', null, true, true, 'a secret App Platform keeps encrypted'],
      ['DATABASE_URL', null, false, true, 'filled in by App Platform'],
      ['PORT', null, false, false, "set by App Platform: the service's http_port"],
    ],
  );
  assert.equal(web.label, 'app spec web');
  assert.equal(web.complete, true);
  // A worker gets no PORT; a number value is kept as written.
  const queue = doSource(m, m.components[1]);
  assert.deepEqual(queue.provides.map((p) => [p.name, p.value]), [['LOG_LEVEL', 'info'], ['SHARED', 'app-wide'], ['CONCURRENCY', '4']]);
});

test("the deploy button's template wraps the spec; other YAML is not a spec; template syntax makes it incomplete", () => {
  const wrapped = read(`spec:\n  name: x\n  services:\n    - name: api\n      envs:\n        - key: A\n          value: "1"\n`)!;
  assert.deepEqual(wrapped.components.map((c) => c.name), ['api']);
  for (const text of ['name: x\n', 'services: {a: 1}\n', '', '- a\n']) assert.equal(read(text), undefined, text);
  const tpl = read('services:\n  - name: api\n    envs:\n      - key: A\n        value: {{ a }}\n')!;
  assert.deepEqual(tpl.components.map((c) => [c.name, doSource(tpl, c).complete]), [['api', false]]);
});

test('hostile input stays bounded', () => {
  const t0 = performance.now();
  const many = `services:\n${Array.from({ length: 3000 }, (_, i) => `  - name: s${i}\n    envs:\n      - key: K${i}\n        value: "${i}"\n`).join('')}`;
  assert.equal(read(many)!.components.length, 2000);
  read(`services:\n  - name: x\n    envs: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
  assert.ok(performance.now() - t0 < 5000);
});
