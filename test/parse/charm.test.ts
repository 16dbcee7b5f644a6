import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { frameworkOfExtension, parseCharm } from '../../server/src/parse/charm';
import { parseYamlFile } from '../../server/src/parse/yaml';
import type { CharmModel } from '../../server/src/parse/envTypes';
import { CHARMS, charmOf, loadCharm } from '../model/charms.helpers';
import { assertRangesInside, compact, slice } from './env.helpers';

function option(m: CharmModel, name: string) {
  const o = m.options.find((x) => x.name === name);
  assert.ok(o, `no option ${name}`);
  return o;
}

describe('fixtures match their expected JSON', () => {
  for (const dir of readdirSync(CHARMS).filter((d) => !d.endsWith('.json'))) {
    test(dir, () => {
      for (const m of loadCharm(dir)) {
        const base = m.uri.slice(m.uri.lastIndexOf('/') + 1).replace(/\.yaml$/, '');
        const text = readFileSync(path.join(CHARMS, dir, `${base}.yaml`), 'utf8');
        assertRangesInside(m, text);
        assert.deepEqual(compact(m), JSON.parse(readFileSync(path.join(CHARMS, dir, `${base}.expected.json`), 'utf8')), `${dir}/${base}`);
      }
    });
  }
});

describe('framework', () => {
  const expected: [string, string | undefined, string | undefined][] = [
    ['flask-ext', 'flask', 'extension'],
    ['django-ext', 'django', 'extension'],
    ['fastapi-ext', 'fastapi', 'extension'],
    ['go-ext', 'go', 'extension'],
    ['expressjs-ext', 'expressjs', 'extension'],
    ['spring-boot-ext', 'spring-boot', 'extension'],
    ['flask-expanded', 'flask', 'options'],
    ['django-expanded', 'django', 'options'],
    ['fastapi-expanded', 'fastapi', 'options'],
    ['expressjs-expanded', 'expressjs', 'options'],
    ['spring-boot-expanded', 'spring-boot', 'options'],
    // Go's options are ExpressJS's without node-env: not claimed.
    ['go-expanded', undefined, undefined],
  ];
  for (const [dir, fw, from] of expected) {
    test(`${dir}: ${fw ?? 'unknown'}`, () => {
      const ms = loadCharm(dir);
      const withFw = ms.find((m) => m.framework);
      assert.equal(withFw?.framework?.value, fw);
      assert.equal(withFw?.framework?.from, from);
    });
  }

  test('extension names', () => {
    assert.equal(frameworkOfExtension('spring-boot-framework'), 'spring-boot');
    assert.equal(frameworkOfExtension('flask-framework'), 'flask');
    assert.equal(frameworkOfExtension('rails-framework'), undefined);
    assert.equal(frameworkOfExtension('flask'), undefined);
  });

  test('the range of a framework from options is the option that decided it', () => {
    const text = 'name: x\nconfig:\n  options:\n    token: {type: string}\n    node-env: {type: string, default: production}\n';
    const m = charmOf(text);
    assert.equal(m.framework?.value, 'expressjs');
    assert.equal(slice(text, m.framework!.range), 'node-env');
  });
});

describe('options and endpoints', () => {
  test('ranges: name, whole entry without the trailing newline, type, default, optional', () => {
    const text = 'config:\n  options:\n    workers:\n      type: int\n      default: 4\n      optional: true\n      description: Workers.\n    next: {type: string}\n';
    const m = charmOf(text);
    const o = option(m, 'workers');
    assert.equal(slice(text, o.nameRange), 'workers');
    assert.equal(slice(text, o.range), 'workers:\n      type: int\n      default: 4\n      optional: true\n      description: Workers.');
    assert.equal(slice(text, o.type!.range), 'int');
    assert.deepEqual([o.default!.value, o.default!.text, slice(text, o.default!.range)], [4, '4', '4']);
    assert.deepEqual([o.optional!.value, slice(text, o.optional!.range)], [true, 'true']);
    assert.equal(o.description, 'Workers.');
    assert.equal(slice(text, m.optionsRange!), 'options');
    assert.equal(slice(text, option(m, 'next').range), 'next: {type: string}');
  });

  test('defaults keep their YAML type and source text', () => {
    const m = charmOf('config:\n  options:\n    a: {type: string, default: "8080"}\n    b: {type: float, default: 1.50}\n    c: {type: boolean, default: false}\n    d: {type: string, default: }\n');
    assert.deepEqual(
      m.options.map((o) => [o.name, o.default?.value, o.default?.text]),
      [
        ['a', '8080', '8080'],
        ['b', 1.5, '1.50'],
        ['c', false, 'false'],
        ['d', null, ''],
      ],
    );
    assert.deepEqual(m.errors, []);
  });

  test('anchors and merge keys in options are followed', () => {
    const text = 'x-common: &str {type: string, description: shared}\nconfig:\n  options:\n    a: *str\n    b:\n      <<: *str\n      default: hi\n';
    const m = charmOf(text);
    assert.deepEqual(m.options.map((o) => [o.name, o.type?.value, o.default?.value ?? null]), [
      ['a', 'string', null],
      ['b', 'string', 'hi'],
    ]);
  });

  test('legacy config.yaml (top-level options) and metadata.yaml (name, requires)', () => {
    const [config, metadata] = loadCharm('go-expanded');
    assert.equal(config.file, 'config');
    assert.equal(config.options.length, 8);
    assert.deepEqual(config.requires, []);
    assert.equal(metadata.file, 'metadata');
    assert.equal(metadata.name?.value, 'go-k8s');
    assert.deepEqual(metadata.options, []);
    assert.deepEqual(
      metadata.requires.map((e) => [e.name, e.interface, e.optional ?? null]).slice(0, 3),
      [
        ['ingress', 'ingress', null],
        ['logging', 'loki_push_api', null],
        ['postgresql', 'postgresql_client', true],
      ],
    );
    const text = readFileSync(path.join(CHARMS, 'go-expanded', 'metadata.yaml'), 'utf8');
    assert.equal(slice(text, metadata.requiresRange!), 'requires');
  });

  test('charmcraft.yaml: name, extensions, options and requires', () => {
    const [m] = loadCharm('flask-ext');
    assert.equal(m.name?.value, 'shop-api');
    assert.deepEqual(m.extensions.map((e) => e.value), ['flask-framework']);
    assert.equal(m.options.length, 10);
    assert.deepEqual(m.requires.map((e) => e.name), ['postgresql', 'redis', 'cache', 'smtp', 'google-oauth', 's3']);
    assert.equal(m.requires[0].optional, false);
    assert.deepEqual(m.errors, []);
  });
});

describe('errors', () => {
  test('malformed entries of the broken fixture, each on its line', () => {
    const [m] = loadCharm('broken');
    assert.deepEqual(
      m.errors.map((e) => [e.code, e.range.start.line]),
      [
        ['charm-extensions', 2],
        ['charm-option-no-type', 5],
        ['charm-option-type', 8],
        ['charm-option-malformed', 9],
        ['charm-option-malformed', 10],
        ['charm-option-default-type', 13],
        ['charm-option-default-type', 16],
        ['charm-option-default-type', 22],
        ['charm-option-default-type', 25],
        ['charm-option-optional', 28],
        ['charm-option-default', 31],
        ['charm-option-duplicate', 34],
        ['charm-endpoint-no-interface', 37],
        ['charm-endpoint-malformed', 39],
        ['charm-endpoint-optional', 42],
      ],
    );
    // The later duplicate wins, as in YAML loaders.
    assert.equal(m.options.filter((o) => o.name === 'twice').length, 1);
    assert.equal(option(m, 'twice').type?.value, 'int');
    // `default: yes` on a boolean is fine for charmcraft's YAML 1.1.
    assert.ok(!m.errors.some((e) => e.message.includes('"enabled"')));
  });

  test('YAML syntax errors are in the model; a non-map document is one error', () => {
    const m = charmOf('config:\n  options:\n    a: {type: string\n');
    assert.ok(m.errors.some((e) => e.code === 'yaml-syntax'));
    const list = charmOf('- a\n- b\n');
    assert.deepEqual(list.errors.map((e) => e.code), ['charm-not-a-map']);
    assert.deepEqual(charmOf('').errors, []);
    assert.deepEqual(charmOf('# only a comment\n').errors, []);
  });

  test('a templated charm file gives one notice, not one error per line', () => {
    const text = 'name: {{ name }}\nconfig:\n  options:\n{% for o in opts %}\n    {{ o }}: {type: string}\n{% endfor %}\n    real: {type: int}\n';
    const m = charmOf(text);
    assert.ok(m.errors.length <= 2, JSON.stringify(m.errors.map((e) => e.code)));
    assert.ok(m.errors.every((e) => e.severity !== 'error' || e.code !== 'yaml-syntax'));
  });

  test('messages name options but never quote a value', () => {
    const canary = 'sk_live_"Qz9\'\\bSl4';
    const text = `config:\n  options:\n    tok:\n      type: int\n      default: ${JSON.stringify(canary)}\n    sec:\n      type: string\n      default: 12345678901234\n    bad:\n      type: ${JSON.stringify(canary)}\n`;
    const m = charmOf(text);
    assert.ok(m.errors.length >= 2);
    for (const e of m.errors) for (const part of ['sk_live', 'Qz9', 'bSl4', '12345678901234']) assert.ok(!e.message.includes(part), e.message);
  });
});

test('every fixture file is covered by an expected JSON', () => {
  for (const dir of readdirSync(CHARMS).filter((d) => !d.endsWith('.json'))) {
    for (const f of readdirSync(path.join(CHARMS, dir)).filter((x) => x.endsWith('.yaml'))) {
      assert.ok(existsSync(path.join(CHARMS, dir, f.replace(/\.yaml$/, '.expected.json'))), `${dir}/${f}`);
    }
  }
  assert.ok(parseCharm(parseYamlFile('name: a'), 'u', 'metadata').name);
});
