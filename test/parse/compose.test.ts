import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseCompose } from '../../server/src/parse/compose';
import { parseYamlFile } from '../../server/src/parse/yaml';
import type { ComposeModel, ComposeService } from '../../server/src/parse/envTypes';
import { assertRangesInside, compact, ENV_FIXTURES, readFixture, slice } from './env.helpers';

const URI = 'file:///app/compose.yaml';

function parse(text: string): ComposeModel {
  const m = parseCompose(parseYamlFile(text), URI);
  assertRangesInside(m, text);
  return m;
}

function svc(m: ComposeModel, name: string): ComposeService {
  const s = m.services.find((x) => x.name === name);
  assert.ok(s, `no service ${name}`);
  return s;
}

describe('fixtures match their expected JSON', () => {
  for (const f of readdirSync(path.join(ENV_FIXTURES, 'compose')).filter((x) => x.endsWith('.yml'))) {
    test(f, () => {
      const text = readFixture('compose', f);
      const m = parseCompose(parseYamlFile(text), `file:///fixtures/${f}`);
      assertRangesInside(m, text);
      assert.deepEqual(compact(m), JSON.parse(readFixture('compose', f.replace(/\.yml$/, '.expected.json'))));
    });
  }
});

describe('services', () => {
  const text = readFixture('compose', 'anchors.yml');
  const m = parse(text);

  test('build as a path, as {context}, and as {dockerfile} only (the compose folder)', () => {
    assert.equal(svc(m, 'api').buildContext?.value, './api');
    assert.equal(svc(m, 'worker').buildContext?.value, './worker');
    assert.equal(svc(m, 'migrate').buildContext?.value, '.');
    assert.equal(slice(text, svc(m, 'migrate').buildContext!.range), 'build');
    assert.equal(svc(m, 'db').buildContext, undefined);
    assert.equal(svc(m, 'cache').image?.value, 'redis:7');
  });

  test('build.target: the stage, as written, with its range', () => {
    const t = 'services:\n  web:\n    build:\n      context: .\n      target: production\n  api:\n    build: ./api\n';
    const c = parse(t);
    assert.equal(slice(t, svc(c, 'web').target!.range), 'production');
    assert.equal(svc(c, 'web').target!.value, 'production');
    assert.equal(svc(c, 'api').target, undefined);
  });

  test('a merged-in image and env_file come from the x- block', () => {
    const api = svc(m, 'api');
    assert.equal(api.image?.value, 'registry.example.com/shop/api:${TAG:-latest}');
    assert.deepEqual(api.envFiles.map((e) => [e.value, e.required]), [['.env', true]]);
  });

  test('env_file as a list of paths and {path, required}', () => {
    assert.deepEqual(
      svc(m, 'worker').envFiles.map((e) => [e.value, e.required, slice(text, e.range)]),
      [
        ['.env', true, '.env'],
        ['./worker.env', false, './worker.env'],
        ['./override.env', true, './override.env'],
      ],
    );
  });

  test('environment map with a merge key: merged entries keep the anchor ranges, own keys win', () => {
    const env = svc(m, 'api').environment;
    assert.deepEqual(
      env.map((e) => [e.key, e.value]),
      [
        ['DATABASE_URL', 'postgres://app:${DB_PASSWORD:?set DB_PASSWORD}@db:5432/app'],
        ['CACHE_URL', 'redis://cache:6379/0'],
        ['LOG_LEVEL', 'debug'],
        ['FEATURE_X', 'true'],
        ['PASSTHROUGH', null],
        ['EMPTY', ''],
      ],
    );
    const db = env.find((e) => e.key === 'DATABASE_URL')!;
    assert.equal(db.keyRange.start.line, 3, 'points into x-common-env, where the user edits it');
    assert.equal(slice(text, env.find((e) => e.key === 'LOG_LEVEL')!.valueRange!), 'debug');
  });

  test('environment list: KEY=value, quoted, KEY alone (from the shell), KEY= (empty)', () => {
    const env = svc(m, 'worker').environment;
    assert.deepEqual(
      env.map((e) => [e.key, e.value, slice(text, e.keyRange), e.valueRange ? slice(text, e.valueRange) : undefined]),
      [
        ['QUEUE', 'default', 'QUEUE', 'default'],
        ['CONCURRENCY', '${WORKER_CONCURRENCY:-2}', 'CONCURRENCY', '${WORKER_CONCURRENCY:-2}'],
        ['FROM_SHELL', null, 'FROM_SHELL', undefined],
        ['EMPTY_VALUE', '', 'EMPTY_VALUE', ''],
        ['PRICE', '$$5', 'PRICE', '$$5'],
      ],
    );
  });

  test('compose file format 1 (services at the top level)', () => {
    const v1 = parse(readFixture('compose', 'legacy-v1.yml'));
    assert.deepEqual(v1.services.map((s) => s.name), ['web', 'redis']);
    assert.deepEqual(svc(v1, 'web').environment.map((e) => [e.key, e.value]), [
      ['SECRET_KEY', null],
      ['DEBUG', '1'],
    ]);
  });
});

describe('interpolations', () => {
  test('every form, with name ranges, defaults and required markers; $$ is a literal', () => {
    const text = [
      'services:',
      '  a:',
      '    image: app:${TAG:-latest}',
      '    command: echo $HOME $$NOT_ME $${NOT_ME_EITHER} ${REQ:?must be set} ${REQ2?} ${ALT:+x} ${ALT2+y} ${PLAIN} ${DEF-d}',
      '    environment:',
      '      URL: "https://${HOST:-${FALLBACK_HOST}}/x"',
      '  # ${IN_A_COMMENT} is not read',
      '',
    ].join('\n');
    const m = parse(text);
    assert.deepEqual(
      m.interpolations.map((i) => [i.name, slice(text, i.range), i.hasDefault, i.required]),
      [
        ['TAG', 'TAG', true, false],
        ['HOME', 'HOME', false, false],
        ['REQ', 'REQ', false, true],
        ['REQ2', 'REQ2', false, true],
        ['ALT', 'ALT', true, false],
        ['ALT2', 'ALT2', true, false],
        ['PLAIN', 'PLAIN', false, false],
        ['DEF', 'DEF', true, false],
        ['HOST', 'HOST', true, false],
        ['FALLBACK_HOST', 'FALLBACK_HOST', false, false],
      ],
    );
    assert.deepEqual(m.errors, []);
  });

  test('invalid templates are errors with a range; keys are not interpolated', () => {
    const text = 'services:\n  a:\n    image: x\n    labels:\n      ${KEY_IS_NOT_READ}: "${1BAD}"\n';
    const m = parse(text);
    assert.deepEqual(m.interpolations, []);
    assert.deepEqual(m.errors.map((e) => [e.code, slice(text, e.range)]), [['compose-interpolation', '${1BAD}']]);
  });

  test('a default of `{}` is valid, as compose-go reads it (mathesar): no error, the variable has a default', () => {
    const text = 'services:\n  a:\n    environment:\n      SSO: ${SSO_CONFIG_DICT:-{}}\n      FILES: "${FILE_STORAGE_DICT-{}}"\n      OPEN: ${OPEN_DICT:-{}\n      BAD: ${NO_DEFAULT{}}\n';
    const m = parse(text);
    assert.deepEqual(
      m.interpolations.map((i) => [i.name, i.hasDefault]),
      [
        ['SSO_CONFIG_DICT', true],
        ['FILE_STORAGE_DICT', true],
        ['OPEN_DICT', true],
      ],
    );
    // Without an operator there is no default to run to the line's end: still an invalid template.
    assert.deepEqual(m.errors.map((e) => [e.code, slice(text, e.range)]), [['compose-interpolation', '${']]);
  });

  test('block scalars: ranges stay on the source lines', () => {
    const text = 'services:\n  a:\n    entrypoint: |\n      run --user ${APP_USER}\n      --token $TOKEN\n';
    const m = parse(text);
    assert.deepEqual(m.interpolations.map((i) => [i.name, i.range.start.line, slice(text, i.range)]), [
      ['APP_USER', 3, 'APP_USER'],
      ['TOKEN', 4, 'TOKEN'],
    ]);
  });
});

describe('errors', () => {
  test('malformed parts are errors on their lines, the rest is read', () => {
    const m = parse(readFixture('compose', 'broken.yml'));
    assert.deepEqual(
      m.errors.map((e) => [e.code, e.range.start.line]),
      [
        ['compose-service', 2],
        ['compose-env-file', 5],
        ['compose-environment', 6],
        ['compose-env-file', 10],
        ['compose-environment', 13],
        ['compose-environment', 14],
        ['compose-interpolation', 18],
      ],
    );
    assert.deepEqual(svc(m, 'worker').environment.map((e) => e.key), ['NESTED', 'LIST', 'OK']);
  });

  test("an override file's merge tags: `!reset` clears a service or its environment, `!override` replaces (DefectDojo)", () => {
    const m = parse('services:\n  nginx: !reset\n  web:\n    environment: !reset []\n  worker:\n    environment: !reset\n  api:\n    environment: !override\n      MODE: test\n  bad: oops\n');
    assert.deepEqual(
      m.errors.map((e) => [e.code, e.range.start.line]),
      [['compose-service', 9]],
    );
    assert.deepEqual(svc(m, 'api').environment.map((e) => e.key), ['MODE']);
    assert.deepEqual(svc(m, 'web').environment, []);
  });

  test("a templated compose file's `KEY: {{ VAR }}` is the template's value, not a map (tutor): the key is read, no error", () => {
    const m = parse('services:\n  lms:\n    image: {{ DOCKER_IMAGE }}\n    environment:\n      SERVICE_VARIANT: lms\n      UWSGI_WORKERS: {{ OPENEDX_LMS_UWSGI_WORKERS }}\n      BAD: {a: 1}\n');
    assert.deepEqual(m.errors.map((e) => [e.code, e.range.start.line]), [['compose-environment', 6]]);
    assert.deepEqual(svc(m, 'lms').environment.map((e) => [e.key, e.value]), [['SERVICE_VARIANT', 'lms'], ['UWSGI_WORKERS', undefined], ['BAD', undefined]]);
  });

  test('a templated compose file: one notice, no flood', () => {
    const m = parse(readFixture('compose', 'templated.yml'));
    assert.deepEqual(m.errors.map((e) => e.code), ['yaml-templated']);
  });

  test('messages never quote values', () => {
    const canary = 'sk_live_Qz9bSl4';
    const m = parse(`services:\n  a:\n    environment:\n      X: {v: ${canary}}\n    command: "\${${canary} x}"\n`);
    assert.ok(m.errors.length >= 2);
    for (const e of m.errors) assert.ok(!e.message.includes('sk_live'), e.message);
  });

  test('empty and non-map documents', () => {
    assert.deepEqual(parse('').services, []);
    assert.deepEqual(parse('- a\n').errors.map((e) => e.code), ['compose-not-a-map']);
    assert.deepEqual(parse('services:\n').services, []);
    assert.deepEqual(parse('services: [a]\n').errors.map((e) => e.code), ['compose-services']);
  });
});
