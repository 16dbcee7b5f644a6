// AWS Chalice's .chalice/config.json (parse/chaliceConfig.ts) and the sources made from its stages
// (model/lambdaSources.ts chaliceSources).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chaliceEntryInsert, parseChaliceConfig } from '../../server/src/parse/chaliceConfig';
import { chaliceProjects, chaliceSources } from '../../server/src/model/lambdaSources';
import { classifyEnvFile, parseEnvFile } from '../../server/src/model/files';

const URI = 'file:///ws/.chalice/config.json';

const CONFIG = `{
  "version": "2.0",
  "app_name": "shop",
  "environment_variables": {"TABLE": "foo", "LOG_FORMAT": "json"},
  "stages": {
    "dev": {"api_gateway_stage": "api", "environment_variables": {"S3BUCKET": "devbucket"}},
    "prod": {
      "environment_variables": {"S3BUCKET": "prodbucket", "TABLE": "prodtable"},
      "lambda_functions": {"worker": {"environment_variables": {"WORKER_ONLY": "1"}}}
    }
  }
}`;

test('the top-level and each stage\'s environment_variables, and a stage\'s functions\'', () => {
  const m = parseChaliceConfig(CONFIG, URI)!;
  assert.equal(m.kind, 'chalice');
  assert.equal(m.appName, 'shop');
  assert.deepEqual(m.env!.map((e) => e.key), ['TABLE', 'LOG_FORMAT']);
  assert.deepEqual(m.stages.map((s) => [s.name, s.env?.map((e) => `${e.key}=${e.value}`), s.functions.map((f) => [f.name, f.env.map((e) => e.key)])]), [
    ['dev', ['S3BUCKET=devbucket'], []],
    ['prod', ['S3BUCKET=prodbucket', 'TABLE=prodtable'], [['worker', ['WORKER_ONLY']]]],
  ]);
  assert.equal(classifyEnvFile('/ws/.chalice/config.json'), 'chalice');
  assert.equal(classifyEnvFile('/ws/config.json'), 'source');
  assert.equal(parseEnvFile('chalice', '{"name": "x"}', URI).kind, 'source');
});

test('the sources: one per stage, merged as Chalice merges them (the stage\'s value over the top-level one), a function\'s named', () => {
  const [dev, prod] = chaliceSources(parseChaliceConfig(CONFIG, URI)!);
  assert.deepEqual([dev.label, prod.label, dev.complete], ['chalice dev', 'chalice prod', true]);
  const p = new Map(prod.provides.map((x) => [x.name, x]));
  assert.equal(p.get('TABLE')!.value, 'prodtable');
  assert.equal(p.get('LOG_FORMAT')!.value, 'json');
  assert.equal(p.get('WORKER_ONLY')!.detail, 'environment of function worker');
  assert.ok(p.has('AWS_LAMBDA_FUNCTION_NAME'));
  assert.equal(new Map(dev.provides.map((x) => [x.name, x])).get('TABLE')!.value, 'foo');
  // No stages: Chalice deploys dev from the top-level settings.
  const [only] = chaliceSources(parseChaliceConfig('{"app_name": "a", "environment_variables": {"A": "1"}}', URI)!);
  assert.equal(only.label, 'chalice dev');
  assert.ok(only.provides.some((x) => x.name === 'A'));
});

test("the quick fix's insert: the top-level environment_variables, never a name already there or a broken file", () => {
  const at = chaliceEntryInsert(CONFIG, 'REGION')!;
  assert.match(CONFIG.slice(0, at.offset) + at.insert + CONFIG.slice(at.offset), /"LOG_FORMAT": "json", "REGION": ""\}/);
  const crlf = '{\r\n  "app_name": "a",\r\n  "environment_variables": {\r\n    "A": "1"\r\n  }\r\n}\r\n';
  const c = chaliceEntryInsert(crlf, 'REGION')!;
  assert.equal(crlf.slice(0, c.offset) + c.insert + crlf.slice(c.offset), '{\r\n  "app_name": "a",\r\n  "environment_variables": {\r\n    "A": "1",\r\n    "REGION": ""\r\n  }\r\n}\r\n');
  assert.equal(chaliceEntryInsert(CONFIG, 'TABLE'), undefined);
  assert.equal(chaliceEntryInsert('{"app_name": "a"}', 'REGION'), undefined);
  assert.equal(chaliceEntryInsert('{"app_name": "a", "environment_variables": {"A": "1",}}', 'REGION'), undefined);
});

test('a template of the config beside it (a build script writes config.json from it when deploying): its stages are unknown', () => {
  assert.equal(classifyEnvFile('/ws/.chalice/config_template.json'), 'chalice');
  const template = parseChaliceConfig('{"version": "2.0", "app_name": "shop", "stages": {}}', 'file:///ws/.chalice/config_template.json')!;
  assert.equal(template.template, true);
  const config = parseChaliceConfig(CONFIG, URI)!;
  const [dev] = chaliceProjects([config, template]).get('file:///ws')!;
  assert.equal(dev.complete, false);
  assert.equal(dev.incompleteReason, "config.json is written from config_template.json when deploying (a build script's values are not in the workspace)");
  assert.deepEqual([...chaliceProjects([config]).get('file:///ws')!].map((s) => s.complete), [true, true]);
});
