// A Fly.io app's fly.toml (parse/flyToml.ts) and the source made from it (model/appSources.ts flySource).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isFlyTomlName, parseFlyToml } from '../../server/src/parse/flyToml';
import { flySource } from '../../server/src/model/hostedSources';
import { classifyEnvFile } from '../../server/src/model/files';

const URI = 'file:///ws/fly.toml';

const FLY = `# fly.toml app configuration file
app = "shop-web"
primary_region = "ams"

[build]
  dockerfile = "Dockerfile"
  [build.args]
    NPM_TOKEN = "x"

[env]
  DJANGO_DEBUG = "false"
  WORKERS = 4
  "QUOTED_NAME" = 'literal'
  not.a = "dotted"

[[services]]
  internal_port = 8000
  [services.concurrency]
    hard_limit = 25
`;

test('the names Fly deploys from: fly.toml and fly.<name>.toml', () => {
  for (const n of ['fly.toml', 'fly.staging.toml', 'fly.production-eu.toml']) assert.ok(isFlyTomlName(n), n);
  for (const n of ['pyproject.toml', 'fly.yaml', 'myfly.toml', 'fly..toml']) assert.ok(!isFlyTomlName(n), n);
  assert.equal(classifyEnvFile('/ws/deploy/fly.staging.toml'), 'fly');
});

test("its app, [env] entries with their places (numbers as written, quoted keys), [build.args]; other tables' keys are not the app's", () => {
  const m = parseFlyToml(FLY, URI);
  assert.equal(m.app, 'shop-web');
  assert.equal(m.primaryRegion, true);
  assert.deepEqual(m.entries.map((e) => [e.key, e.value, e.keyRange.start.line, e.keyRange.start.character]), [
    ['DJANGO_DEBUG', 'false', 10, 2],
    ['WORKERS', '4', 11, 2],
    ['QUOTED_NAME', 'literal', 12, 2],
  ]);
  assert.deepEqual(m.entries[0].entryRange, { start: { line: 10, character: 2 }, end: { line: 10, character: 24 } });
  assert.deepEqual(m.buildArgs.map((e) => e.key), ['NPM_TOKEN']);
  assert.deepEqual(m.errors, []);
  // The same table written inline or with dotted keys.
  assert.deepEqual(parseFlyToml('app = "a"\nenv = { A = "1", B = "2" }\n', URI).entries.map((e) => e.key), ['A', 'B']);
  assert.deepEqual(parseFlyToml('env.A = "1"\n[build]\nargs = { C = "x" }\n', URI).entries.map((e) => e.key), ['A']);
  assert.deepEqual(parseFlyToml('[build]\nargs = { C = "x" }\n', URI).buildArgs.map((e) => e.key), ['C']);
});

test('a broken, deeply nested or binary file: one clear error, nothing read, never a throw', () => {
  for (const [text, code] of [
    ['app = "x\n[env\n', 'toml-syntax'],
    [`a = ${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'toml-too-deep'],
    [`env = ${'{x='.repeat(50_000)}1${'}'.repeat(50_000)}`, 'toml-too-deep'],
    ['\u0000\u0001\u0002', 'toml-syntax'],
  ] as const) {
    const started = performance.now();
    const m = parseFlyToml(text, URI);
    assert.ok(performance.now() - started < 2_000);
    assert.deepEqual(m.errors.map((e) => e.code), [code], text.slice(0, 40));
    assert.equal(m.unread, true);
    assert.deepEqual(m.entries, []);
  }
  // Brackets inside strings and comments are not nesting.
  assert.deepEqual(parseFlyToml(`a = "${'['.repeat(300)}" # ${'{'.repeat(300)}\n[env]\nA = "1"\n`, URI).entries.map((e) => e.key), ['A']);
});

test("the source: [env] and what Fly sets, always incomplete (secrets are set with fly secrets set), entries never unused, build args the build's only", () => {
  const s = flySource(parseFlyToml(FLY, URI));
  assert.equal(s.id, `fly:${URI}`);
  assert.equal(s.kind, 'fly');
  assert.equal(s.label, 'fly shop-web');
  assert.equal(s.complete, false);
  assert.equal(s.incompleteReason, 'secrets are set with fly secrets set, not in the file');
  const byName = new Map(s.provides.map((p) => [p.name, p]));
  assert.equal(byName.get('DJANGO_DEBUG')!.value, 'false');
  assert.equal(byName.get('DJANGO_DEBUG')!.userDefined, false);
  assert.ok(byName.get('FLY_REGION'));
  assert.ok(byName.get('PRIMARY_REGION'));
  assert.deepEqual(s.buildOnly?.map((b) => b.name), ['NPM_TOKEN']);
  // No primary_region: no PRIMARY_REGION; no app name: the file's name.
  const bare = flySource(parseFlyToml('[env]\nA = "1"\n', 'file:///ws/fly.staging.toml'));
  assert.equal(bare.label, 'fly.staging.toml');
  assert.ok(!bare.provides.some((p) => p.name === 'PRIMARY_REGION'));
  assert.equal(flySource(parseFlyToml('app = "x', URI)).incompleteReason, 'fly.toml was not read');
});
