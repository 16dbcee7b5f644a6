// The JSON schemas VS Code uses for figgy.json / figgy-secrets.json (contributes.jsonValidation).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';

const ROOT = join(__dirname, '..', '..');
const FIX = join(__dirname, '..', 'fixtures', 'json');
const load = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

function compile(file: string) {
  // strict: every keyword must be known; VS Code's own annotation keywords are declared explicitly.
  // strictRequired is off: `anyOf: [{required: [twig]}, ...]` is standard draft-07 that it flags needlessly.
  const ajv = new Ajv({ strict: true, strictRequired: false, allErrors: true });
  for (const k of ['deprecationMessage', 'markdownDescription']) ajv.addKeyword({ keyword: k, schemaType: 'string' });
  return ajv.compile(load(join(ROOT, 'schemas', file)));
}

describe('schemas/figgy.schema.json', () => {
  const validate = compile('figgy.schema.json');
  const spec = load(join(FIX, 'spec-figgy.json'));

  test('is draft-07 and accepts the spec example and the writer golden', () => {
    assert.equal(load(join(ROOT, 'schemas', 'figgy.schema.json')).$schema, 'http://json-schema.org/draft-07/schema#');
    assert.ok(validate(spec), JSON.stringify(validate.errors));
    assert.ok(validate(load(join(FIX, 'writer-spec.golden.json'))), JSON.stringify(validate.errors));
    assert.ok(validate({ app_figs: ['/app/x/a'], replicate_from: { source_twig: '/app/o', parameters: ['p'] }, import: ['c.json'], service: 1, plugins: [] }));
  });

  const bad: [string, unknown][] = [
    ['no twig and no app_figs', { shared_figs: ['a'] }],
    ['app_figs not a list', { twig: '/app/a', app_figs: 'x' }],
    ['app_figs element not a string', { twig: '/app/a', app_figs: [1] }],
    ['duplicate app_figs', { twig: '/app/a', app_figs: ['x', 'x'] }],
    ['path with a space', { twig: '/app/a', app_figs: ['a b'] }],
    ['path with //', { twig: '/app/a', shared_figs: ['a//b'] }],
    ['relative replication source', { twig: '/app/a', replicate_figs: { 'shared/x': 'y' } }],
    ['merge element mixing text and a ref', { twig: '/app/a', merged_figs: { d: ['x${/a}'] } }],
    ['merge ref with a bad suffix', { twig: '/app/a', merged_figs: { d: ['${/a:url}'] } }],
    ['merge ref without leading slash', { twig: '/app/a', merged_figs: { d: ['${a}'] } }],
    ['unknown top-level key', { twig: '/app/a', app_fig: [] }],
    ['unknown replicate_from key', { twig: '/app/a', replicate_from: { source: '/app/o' } }],
  ];
  for (const [what, doc] of bad) {
    test(`rejects: ${what}`, () => assert.equal(validate(doc), false));
  }

  test('legacy keys validate like their replacement and carry a deprecation message naming it', () => {
    const schema = load(join(ROOT, 'schemas', 'figgy.schema.json'));
    const legacy: Record<string, string> = {
      namespace: 'twig',
      app_parameters: 'app_figs',
      shared_parameters: 'shared_figs',
      merged_parameters: 'merged_figs',
      replication_config: 'replicate_figs',
    };
    for (const [old, rep] of Object.entries(legacy)) {
      assert.match(schema.properties[old].deprecationMessage, new RegExp(`"${rep}"`));
    }
    assert.ok(validate({ namespace: '/app/a', app_parameters: ['x'], merged_parameters: { d: ['${/p}'] }, replication_config: { '/shared/s': 'd' } }));
    assert.equal(validate({ namespace: '/app/a', app_parameters: [3] }), false);
    // The docs' `figs` key and the single-string merge form are flagged too.
    assert.match(schema.properties.replicate_from.properties.figs.deprecationMessage, /parameters/);
    assert.ok(validate({ twig: '/app/a', merged_figs: { d: 'mysql://${/app/a/u}' } }));
  });

  test('every property has a description or a deprecation message', () => {
    const schema = load(join(ROOT, 'schemas', 'figgy.schema.json'));
    for (const [k, v] of Object.entries<Record<string, unknown>>(schema.properties)) {
      const target = typeof v.$ref === 'string' ? { ...schema.definitions[v.$ref.split('/').pop()!], ...v } : v;
      assert.ok(target.description || target.deprecationMessage, k);
    }
  });
});

describe('schemas/figgy-secrets.schema.json', () => {
  const validate = compile('figgy-secrets.schema.json');

  test('accepts the spec example', () => {
    assert.ok(validate(load(join(FIX, 'spec-figgy-secrets.json'))), JSON.stringify(validate.errors));
  });

  test('rejects other keys, a missing replicate_figs, destinations outside /app/ and broken templates', () => {
    assert.equal(validate({}), false);
    assert.equal(validate({ replicate_figs: {}, twig: '/app/a' }), false);
    assert.equal(validate({ replicate_figs: { '/dba/x': '/shared/y' } }), false);
    assert.equal(validate({ replicate_figs: { '/dba/${SERVICE NAME}/x': '/app/s/y' } }), false);
    assert.equal(validate({ replicate_figs: { '/dba/x': 5 } }), false);
    assert.ok(validate({ replicate_figs: { '/data/${A}/${B_2}/x': '/app/${A}/y' } }));
  });
});
