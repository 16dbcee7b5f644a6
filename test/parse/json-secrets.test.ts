import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSecretsJson } from '../../server/src/parse/secretsJson';
import { marked, textAt } from './json-markers';

const URI = 'file:///ws/svc/figgy/figgy-secrets.json';

describe('parseSecretsJson', () => {
  test('the spec example: entries as written, template variables collected once', () => {
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'json', 'spec-figgy-secrets.json'), 'utf8');
    const m = parseSecretsJson(text, URI);
    assert.deepEqual(m.errors, []);
    assert.equal(m.uri, URI);
    assert.deepEqual(
      m.replicateFigs.map((r) => [r.source.value, r.dest.value]),
      [
        ['/dba/secrets/mysql/${SERVICE_NAME}/user', '/app/${SERVICE_NAME}/replicated/sql/user'],
        ['/dba/secrets/mysql/${SERVICE_NAME}/password', '/app/${SERVICE_NAME}/replicated/sql/password'],
      ],
    );
    for (const r of m.replicateFigs) {
      assert.equal(textAt(text, r.source.range), JSON.stringify(r.source.value));
      assert.equal(textAt(text, r.dest.range), JSON.stringify(r.dest.value));
    }
    assert.deepEqual(m.variables, ['SERVICE_NAME']);
  });

  test('several variables in first-appearance order; malformed templates are not variables', () => {
    const m = parseSecretsJson('{"replicate_figs": {"/dba/${DB}/${ENV_1}/x": "/app/${SVC}/${DB}", "/dba/${ bad }/${}": "/app/s/y"}}', URI);
    assert.deepEqual(m.variables, ['DB', 'ENV_1', 'SVC']);
  });

  test('a variable only in destinations is never asked for by figgy-cli: warning at that destination', () => {
    const { text, ranges } = marked('{"replicate_figs": {"/dba/${DB}/user": ⟦"/app/${SERVICE_NAME}/user"⟧}}');
    const m = parseSecretsJson(text, URI);
    assert.deepEqual(m.errors.map((e) => [e.code, e.severity]), [['json-secrets-unasked-var', 'warning']]);
    assert.deepEqual(m.errors[0].range, ranges[0]);
    assert.match(m.errors[0].message, /SERVICE_NAME/);
  });

  test('other keys are warnings (at the key); missing replicate_figs is an error', () => {
    let { text, ranges } = marked('{⟦"twig"⟧: "/app/a", "replicate_figs": {}, ⟦"app_figs"⟧: []}');
    let m = parseSecretsJson(text, URI);
    assert.deepEqual(m.errors.map((e) => [e.code, e.severity]), [
      ['json-unknown-key', 'warning'],
      ['json-unknown-key', 'warning'],
    ]);
    assert.deepEqual(m.errors.map((e) => e.range), ranges);

    ({ text, ranges } = marked('⟦{⟧"shared": 1}'));
    m = parseSecretsJson(text, URI);
    assert.deepEqual(m.errors.map((e) => e.code), ['json-unknown-key', 'json-missing-key']);
    assert.deepEqual(m.errors[1].range, ranges[0]);
  });

  test('wrong types, duplicates and syntax errors are reported, never thrown', () => {
    const { text, ranges } = marked('{"replicate_figs": {⟦"/a"⟧: "/app/x/1", ⟦"/a"⟧: "/app/x/2", "/b": ⟦7⟧}}');
    const m = parseSecretsJson(text, URI);
    assert.deepEqual(m.errors.map((e) => e.code), ['json-duplicate-key', 'json-type']);
    assert.deepEqual(m.errors[0].range, ranges[1]);
    assert.deepEqual(m.errors[0].related?.[0], { uri: URI, range: ranges[0], message: 'first "/a" is here' });
    assert.deepEqual(m.errors[1].range, ranges[2]);
    assert.deepEqual(m.replicateFigs.map((r) => r.dest.value), ['/app/x/2']);

    assert.deepEqual(parseSecretsJson('{"replicate_figs": [', URI).errors.map((e) => e.code).slice(0, 1), ['json-syntax']);
    assert.deepEqual(parseSecretsJson('{"replicate_figs": []}', URI).errors.map((e) => e.code), ['json-type']);
    assert.deepEqual(parseSecretsJson('"x"', URI).errors.map((e) => e.code), ['json-type']);
    assert.deepEqual(parseSecretsJson('\u0000\u0001', URI).errors.map((e) => e.code), ['json-binary']);
  });
});
