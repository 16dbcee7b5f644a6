import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { helmValuesEntryInsert, isEnvKey, parseHelmValues } from '../../server/src/parse/helmValues';
import { parseYamlFile } from '../../server/src/parse/yaml';
import type { HelmValuesModel } from '../../server/src/parse/envTypes';
import { assertRangesInside, compact, ENV_FIXTURES, readFixture, slice } from './env.helpers';

function parse(text: string): HelmValuesModel {
  const m = parseHelmValues(parseYamlFile(text), 'file:///chart/values.yaml');
  assertRangesInside(m, text);
  return m;
}

const rows = (m: HelmValuesModel) => m.entries.map((e) => [e.key, e.value ?? null, e.path.join('.'), e.secret, e.reference]);

describe('fixtures match their expected JSON', () => {
  for (const f of readdirSync(path.join(ENV_FIXTURES, 'helm')).filter((x) => x.endsWith('.yaml'))) {
    test(f, () => {
      const text = readFixture('helm', f);
      const m = parseHelmValues(parseYamlFile(text), `file:///fixtures/${f}`);
      assertRangesInside(m, text);
      // (Which lists and maps are filled is a test of its own, below.)
      const { filled: _filled, ...entries } = m;
      assert.deepEqual(compact(entries), JSON.parse(readFixture('helm', f.replace(/\.yaml$/, '.expected.json'))));
    });
  }
});

test("the paths of the non-empty lists and maps (what a chart's template writes from them is not nothing); empty ones are not listed", () => {
  const m = parse('env:\n  - name: A\n    value: "1"\nenvFrom: []\nconfig:\n  nested:\n    items: [1]\n  empty: {}\nimage: {repository: x}\nname: x\n');
  assert.deepEqual(m.filled, ['env', 'config', 'config.nested', 'config.nested.items', 'image']);
});

describe('shapes', () => {
  test('Diffgram: maps of variable names, secret by section name', () => {
    const m = parse(readFixture('helm', 'diffgram-values.yaml'));
    assert.equal(m.entries.length, 12);
    assert.ok(m.entries.filter((e) => e.path[0] === 'diffgramSecrets').every((e) => e.secret && !e.reference));
    assert.ok(m.entries.filter((e) => e.path[0] === 'diffgramSettings').every((e) => !e.secret));
    const mailgun = m.entries.find((e) => e.key === 'MAILGUN_KEY')!;
    assert.equal(mailgun.value, null);
    assert.equal(m.entries.find((e) => e.key === 'PROCESS_MEDIA_NUM_FRAMES_THREADS')!.value, '4');
  });

  test('EnvVar lists: value, valueFrom secretKeyRef / configMapKeyRef / fieldRef; not httpHeaders', () => {
    const text = readFixture('helm', 'env-list.yaml');
    const m = parse(text);
    assert.deepEqual(rows(m), [
      ['LOG_LEVEL', 'info', 'env', false, false],
      ['WORKERS', '4', 'env', false, false],
      ['DATABASE_PASSWORD', null, 'env', true, true],
      ['FEATURE_FLAGS', null, 'env', false, true],
      ['POD_IP', null, 'env', false, true],
      ['QUEUE', 'default', 'worker.extraEnvVars', false, false],
      ['CONCURRENCY', '8', 'worker.containerEnv', false, false],
      ['API_TOKEN', 'tok-123', 'secretEnv', true, false],
      ['MIGRATE_ONLY', 'true', 'initContainers.env', false, false],
    ]);
    const lvl = m.entries[0];
    assert.equal(slice(text, lvl.keyRange), 'LOG_LEVEL');
    assert.equal(slice(text, lvl.valueRange!), 'info');
  });

  test('env maps (any case), {value}/{valueFrom} entries, *Settings and *Secrets blocks (upper-case entries only)', () => {
    assert.deepEqual(rows(parse(readFixture('helm', 'env-map.yaml'))), [
      ['LOG_LEVEL', 'debug', 'app.env', false, false],
      ['log_format', 'json', 'app.env', false, false],
      ['TIMEOUT', '30', 'app.env', false, false],
      ['DB_PASSWORD', null, 'app.env', true, true],
      ['API_URL', 'https://api.example.com', 'app.env', false, false],
      ['SENTRY_DSN', 'https://key@sentry.example.com/1', 'app.environment', false, false],
      ['CACHE_TTL', '300', 'app.appSettings', false, false],
      ['STRIPE_KEY', 'sk_test_123', 'app.secrets', true, false],
    ]);
  });

  test('ordinary chart values yield nothing (helm create, a Bitnami-style database chart)', () => {
    assert.deepEqual(parse(readFixture('helm', 'helm-create.yaml')).entries, []);
    const bitnami = parse(readFixture('helm', 'bitnami-style.yaml'));
    assert.deepEqual(bitnami.entries, []);
    assert.deepEqual(bitnami.errors, []);
  });

  test('a lone upper-case key, or a map mixing cases, is not taken for variables', () => {
    assert.deepEqual(parse('config:\n  SINGLE_KEY: x\nlabels:\n  APP_NAME: a\n  tier: web\nflags:\n  DEBUG: true\n  VERBOSE: false\n').entries, []);
    assert.deepEqual(parse('limits:\n  CPU_MAX: 2\n  MEM_MAX: 4\n').entries.map((e) => e.key), ['CPU_MAX', 'MEM_MAX']);
  });

  test('anchors: an entry reached twice through aliases is listed once', () => {
    const m = parse('x-env: &env\n  - name: SHARED\n    value: "1"\napi:\n  env: *env\nworker:\n  env: *env\n');
    assert.deepEqual(m.entries.map((e) => e.key), ['SHARED']);
  });

  test('env-named keys', () => {
    for (const k of ['env', 'Env', 'extraEnv', 'extraEnvVars', 'containerEnv', 'EXTRA_ENV', 'extra-env', 'environment', 'environmentVariables', 'envs']) assert.ok(isEnvKey(k), k);
    for (const k of ['dev', 'seven', 'envFrom', 'extraEnvVarsCM', 'extraEnvVarsSecret', 'development', 'tenv']) assert.ok(!isEnvKey(k), k);
  });

  test('a templated values file: what parses is read, one notice', () => {
    const m = parse(readFixture('helm', 'templated-values.yaml'));
    assert.deepEqual(m.entries.map((e) => e.key), ['PUBLIC_URL']);
    assert.deepEqual(m.errors.map((e) => e.code), ['yaml-templated']);
  });
});

test("a values file's insertion for a chart's quick fix: after the last item of an EnvVar list or the last entry of a map at the path; none into a flow or empty value, or for a name there already", () => {
  const apply = (text: string, at: { offset: number; insert: string } | undefined) => (at ? text.slice(0, at.offset) + at.insert + text.slice(at.offset) : undefined);
  const list = 'image: web\nenv:\n  - name: LOG_LEVEL\n    value: info\n  - name: PORT\n    value: "8000"\nreplicas: 2\n';
  assert.equal(apply(list, helmValuesEntryInsert(list, 'env', 'WORKERS')), 'image: web\nenv:\n  - name: LOG_LEVEL\n    value: info\n  - name: PORT\n    value: "8000"\n  - name: WORKERS\n    value: ""\nreplicas: 2\n');
  const nested = 'app:\n  config:\n    CACHE_TTL: "300"\n';
  assert.equal(apply(nested, helmValuesEntryInsert(nested, 'app.config', 'WORKERS')), 'app:\n  config:\n    CACHE_TTL: "300"\n    WORKERS: ""\n');
  // What it wrote is read back as an entry at that path.
  assert.deepEqual(rows(parse(apply(list, helmValuesEntryInsert(list, 'env', 'WORKERS'))!)).map((r) => r[0]), ['LOG_LEVEL', 'PORT', 'WORKERS']);
  // Windows line ends kept.
  const crlf = list.replace(/\n/g, '\r\n');
  assert.equal(apply(crlf, helmValuesEntryInsert(crlf, 'env', 'WORKERS')), apply(list, helmValuesEntryInsert(list, 'env', 'WORKERS'))!.replace(/\n/g, '\r\n'));
  assert.equal(helmValuesEntryInsert('env: [{name: A, value: b}]\n', 'env', 'WORKERS'), undefined);
  assert.equal(helmValuesEntryInsert('env: []\n', 'env', 'WORKERS'), undefined);
  assert.equal(helmValuesEntryInsert(list, 'env', 'PORT'), undefined);
  assert.equal(helmValuesEntryInsert(list, 'missing', 'WORKERS'), undefined);
});
