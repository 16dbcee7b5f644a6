// Zappa's zappa_settings.json (parse/zappaSettings.ts) and the sources made from its stages
// (model/lambdaSources.ts zappaSources).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseZappaSettings } from '../../server/src/parse/zappaSettings';
import { zappaSources } from '../../server/src/model/lambdaSources';
import { parseEnvFile } from '../../server/src/model/files';

const URI = 'file:///ws/zappa_settings.json';

const SETTINGS = `{
  "base": {
    "app_function": "app.app",
    "project_name": "shop",
    "environment_variables": {"DB_HOST": "db.internal", "LOG_FORMAT": "json", "WORKERS": 4}
  },
  "dev": {"extends": "base", "aws_environment_variables": {"FEATURE_X": "1", "DB_HOST": "ignored"}},
  "production": {
    "extends": "base",
    "django_settings": "shop.settings.prod",
    "environment_variables": {"DB_HOST": "db.prod.internal"},
    "remote_env": "s3://shop-secrets/prod.json"
  },
  "loop": {"extends": "loop2", "s3_bucket": "b"},
  "loop2": {"extends": "loop", "s3_bucket": "b"},
  "notes": "not a stage"
}`;

test("each stage's own keys: environment_variables, aws_environment_variables, extends, remote_env", () => {
  const m = parseZappaSettings(SETTINGS, URI)!;
  assert.equal(m.kind, 'zappa');
  assert.deepEqual(m.stages.map((s) => [s.name, s.extends ?? null, s.env?.map((e) => `${e.key}=${e.value}`) ?? null, s.awsEnv?.map((e) => e.key) ?? null, s.remoteEnv ?? false]), [
    ['base', null, ['DB_HOST=db.internal', 'LOG_FORMAT=json', 'WORKERS=4'], null, false],
    ['dev', 'base', null, ['FEATURE_X', 'DB_HOST'], false],
    ['production', 'base', ['DB_HOST=db.prod.internal'], null, true],
    ['loop', 'loop2', null, null, false],
    ['loop2', 'loop', null, null, false],
  ]);
  assert.deepEqual(m.errors, []);
  assert.equal(m.stages[0].env![0].keyRange.start.line, 4);
});

test('recognised by name and content: stages holding Zappa keys; another file is only scanned', () => {
  assert.equal(parseZappaSettings('{"name": "x", "version": "1"}', URI), undefined);
  assert.equal(parseZappaSettings('[1, 2]', URI), undefined);
  assert.equal(parseZappaSettings('{"a": {"b": 1}}', URI), undefined);
  assert.equal(parseEnvFile('zappa', SETTINGS, URI).kind, 'zappa');
  assert.equal(parseEnvFile('zappa', '{"a": {"b": 1}}', URI).kind, 'source');
  // Broken JSON: what could be read, with the syntax error said as Zappa reads the file.
  const broken = parseZappaSettings('{"dev": {"app_function": "app.app", "environment_variables": {"A": "1",}}}', URI)!;
  assert.deepEqual(broken.stages[0].env?.map((e) => e.key), ['A']);
  assert.equal(broken.errors[0]?.code, 'json-syntax');
});

test("the sources: one per stage, with extends applied whole (a stage's own environment_variables replace the base's), Zappa's and Lambda's variables", () => {
  const [base, dev, prod, loop] = zappaSources(parseZappaSettings(SETTINGS, URI)!);
  assert.deepEqual([base.label, dev.label, prod.label, loop.label], ['zappa base', 'zappa dev', 'zappa production', 'zappa loop']);
  const names = (s: typeof base) => new Map(s.provides.map((p) => [p.name, p]));
  const d = names(dev);
  assert.equal(d.get('LOG_FORMAT')!.detail, 'environment_variables of base (extended)');
  // The handler sets environment_variables over the function's own.
  assert.equal(d.get('DB_HOST')!.value, 'db.internal');
  assert.equal(d.get('FEATURE_X')!.detail, 'aws_environment_variables');
  assert.equal(d.get('PROJECT')!.detail, "set by Zappa: the project's name");
  assert.equal(d.get('AWS_LAMBDA_FUNCTION_NAME')!.userDefined, false);
  const p = names(prod);
  assert.equal(p.get('DB_HOST')!.value, 'db.prod.internal');
  assert.ok(!p.has('LOG_FORMAT'), "production's own environment_variables replace base's");
  assert.equal(p.get('DJANGO_SETTINGS_MODULE')!.detail, 'set by Zappa: shop.settings.prod (django_settings)');
  assert.equal(prod.complete, false);
  assert.equal(prod.incompleteReason, 'remote_env loads more variables from S3 when the function starts');
  assert.equal(dev.complete, true);
  assert.ok(!names(loop).has('PROJECT'), 'a loop of extends ends');
});

test('a long chain of extends (hostile input) is followed a bounded way, fast', () => {
  const n = 1500;
  const stages = Array.from({ length: n }, (_, i) => `"s${i}": {"extends": "s${i + 1}", "s3_bucket": "b"}`).join(', ');
  const text = `{${stages}, "s${n}": {"app_function": "a.app", "environment_variables": {"DEEP": "1"}}}`;
  const t0 = performance.now();
  const sources = zappaSources(parseZappaSettings(text, URI)!);
  assert.ok(performance.now() - t0 < 2_000, `took ${performance.now() - t0} ms`);
  assert.equal(sources.length, n + 1);
  // Within 32 stages the inherited variable is found; beyond, the chain stops (no value, no hang).
  assert.ok(sources[n - 10].provides.some((p) => p.name === 'DEEP'));
  assert.ok(!sources[0].provides.some((p) => p.name === 'DEEP'));
});
