// Settings modules in several real-world styles: their facts match the reviewed *.expected.json.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { mayReadEnv } from '../../server/src/parse/pythonEnv';
import { compact, envFacts, fixture, FIXTURES, initEnvParser, readsSummary } from './pyenv.helpers';

before(initEnvParser);

const NAMES = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.py'))
  .map((f) => f.replace(/\.py$/, ''))
  .sort();

describe('fixtures match their expected JSON', () => {
  test('every style is present', () => {
    assert.deepEqual(NAMES, ['diffgram_settings', 'django_environ', 'django_os_environ', 'fastapi_settings', 'flask_paas', 'no_env', 'secrets_py']);
  });
  for (const name of NAMES) {
    test(name, () => {
      const got = compact(envFacts(fixture(`${name}.py`)));
      const expected = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.expected.json`), 'utf8'));
      assert.deepEqual(got, expected);
    });
  }
});

describe('what each style must show', () => {
  test('Diffgram settings: the hard-coded secret default is visible to the insecure-default rule', () => {
    const { facts } = envFacts(fixture('diffgram_settings.py'));
    const sk = facts.reads.find((x) => x.name.name === 'SECRET_KEY');
    assert.equal(sk?.default?.value, 'secret_key');
    assert.equal(sk?.required, false);
    assert.equal(facts.loadsDotenv.length, 1);
    assert.deepEqual(
      facts.logged.map((l) => l.names.map((n) => n.name)),
      [['DATABASE_URL'], ['MAILGUN_KEY']],
      'print(bool(SECRET_KEY)) is safe; printing DATABASE_URL or MAILGUN_KEY is not',
    );
  });

  test('secrets.py provides variables and reads almost nothing', () => {
    const { facts } = envFacts(fixture('secrets_py.py'));
    assert.deepEqual([...new Set(facts.writes.map((w) => w.name.name))], ['USER_PASSWORDS_SECRET', 'DB_SECRET', 'SECRET_KEY', 'DATABASE_URL']);
    assert.deepEqual(readsSummary(facts), ['DIFFGRAM_SYSTEM_MODE environ-get unknown ="sandbox"', 'DATABASE_URL setdefault unknown ="postgresql://postgres:postgres@localhost/diffgram"']);
  });

  test('Flask on paas-charm: FLASK_* through app.config, integrations through os.environ', () => {
    const { facts } = envFacts(fixture('flask_paas.py'));
    assert.deepEqual(facts.flaskPrefixed.map((p) => p.prefix), ['FLASK']);
    assert.deepEqual(
      facts.flaskConfigReads.filter((x) => x.config === 'app.config').map((x) => [x.key, x.required]),
      [
        ['GREETING', false],
        ['WORKERS', true],
        ['USER_NAME', false],
      ],
    );
    assert.ok(facts.reads.some((x) => x.name.name === 'POSTGRESQL_DB_CONNECT_STRING'));
    assert.equal(facts.passesWholeEnvironment.length, 1, 'jsonify(dict(os.environ))');
    assert.equal(facts.logged.length, 1);
  });

  test('a module without environment access has no facts and mayReadEnv says so', () => {
    const text = fixture('no_env.py');
    assert.equal(mayReadEnv(text), false);
    const { facts } = envFacts(text);
    assert.deepEqual([facts.reads, facts.writes, facts.calls, facts.logged, facts.consts], [[], [], [], [], []]);
  });

  test('every other fixture passes the pre-test', () => {
    for (const n of NAMES.filter((x) => x !== 'no_env')) assert.equal(mayReadEnv(fixture(`${n}.py`)), true, n);
  });
});
