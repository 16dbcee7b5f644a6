// Heroku's app.json (parse/herokuAppJson.ts) and the app source made from it (model/appSources.ts herokuSource).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appJsonAssignments, parseAppJson } from '../../server/src/parse/herokuAppJson';
import { readJsonDocument } from '../../server/src/parse/jsonDoc';
import { herokuSource } from '../../server/src/model/appSources';

const URI = 'file:///ws/app.json';

test('env entries: a string value, an object with value / required / generator, and what each gives the app', () => {
  const text = JSON.stringify(
    {
      name: 'demo',
      env: {
        SITE_URL: { description: 'Base URL', required: true },
        ADMIN_EMAIL: 'admin@example.org',
        SECRET_KEY: { description: 'Django secret', generator: 'secret' },
        WORKERS: { value: '2', required: false },
        OPTIONAL_TOKEN: { required: false },
      },
      addons: ['heroku-postgresql:essential-0', { plan: 'heroku-redis:mini', as: 'CACHE' }],
    },
    null,
    2,
  );
  const m = parseAppJson(text, URI)!;
  assert.deepEqual(m.errors, []);
  assert.deepEqual(
    m.entries.map((e) => [e.key, e.value, e.required, e.generated]),
    [
      ['SITE_URL', undefined, true, false],
      ['ADMIN_EMAIL', 'admin@example.org', true, false],
      ['SECRET_KEY', undefined, true, true],
      ['WORKERS', '2', false, false],
      ['OPTIONAL_TOKEN', undefined, false, false],
    ],
  );
  // Ranges: the key's place (line 3 is SITE_URL's), the value's place.
  assert.equal(m.entries[0].keyRange.start.line, 3);
  const admin = m.entries[1];
  assert.equal(text.split('\n')[admin.valueRange!.start.line].slice(admin.valueRange!.start.character, admin.valueRange!.end.character), '"admin@example.org"');
  assert.deepEqual(m.addons.map((a) => [a.name, a.as]), [['heroku-postgresql', undefined], ['heroku-redis', 'CACHE']]);

  const s = herokuSource(m);
  assert.equal(s.kind, 'heroku');
  assert.equal(s.complete, true);
  assert.deepEqual(
    s.provides.map((p) => [p.name, p.value ?? null, p.sensitive, p.userDefined, p.detail]),
    [
      ['SITE_URL', null, false, true, 'asked when deploying (required)'],
      ['ADMIN_EMAIL', 'admin@example.org', false, true, 'env value'],
      ['SECRET_KEY', null, true, true, 'a secret Heroku generates'],
      ['WORKERS', '2', false, true, 'env value'],
      ['OPTIONAL_TOKEN', null, true, true, 'asked when deploying (optional)'],
      ['DATABASE_URL', null, true, false, 'set by the add-on heroku-postgresql'],
      ['CACHE_URL', null, true, false, 'set by the add-on heroku-redis'],
      ['PORT', null, false, false, 'set by Heroku in every dyno: the port the web process listens on'],
      ['DYNO', null, false, false, "set by Heroku in every dyno: the dyno's name"],
    ],
  );
});

test('an empty value is an empty field of the deploy form: asked for, not a value (never a placeholder)', () => {
  const s = herokuSource(parseAppJson('{"env": {"DB_PASSWORD": {"value": "", "required": false}, "NAME": {"value": ""}}}', URI)!);
  assert.deepEqual(
    s.provides.filter((p) => p.userDefined).map((p) => [p.name, p.value, p.valueRange, p.detail]),
    [
      ['DB_PASSWORD', undefined, undefined, 'asked when deploying (optional)'],
      ['NAME', undefined, undefined, 'asked when deploying (required)'],
    ],
  );
});

test("the credential scan's assignments: a {\"value\": …} entry under its variable's name, offsets inside the quotes", () => {
  const text = '{\n  "env": {\n    "DB_PASSWORD": {"description": "d", "value": "s3cr\\"et"},\n    "PLAIN": "x",\n    "ASKED": {"required": true}\n  }\n}\n';
  const got = appJsonAssignments(parseAppJson(text, URI)!, text);
  assert.deepEqual(
    got.map((a) => [a.key, text.slice(a.keyStart, a.keyEnd), a.value, text.slice(a.valueStart, a.valueEnd), a.context]),
    // (The string form is the line-wise reader's; the value as written, escapes kept, as that reader gives it.)
    [['DB_PASSWORD', 'DB_PASSWORD', 's3cr\\"et', 's3cr\\"et', 'json']],
  );
});

test('an add-on Orchard does not know makes the source incomplete (its variables are unknown, not missing)', () => {
  const m = parseAppJson('{"env": {"A": "1"}, "addons": ["mailgun:starter", "papertrail", "newrelic:wayne", "memcachier", "heroku-postgresql"]}', URI)!;
  const s = herokuSource(m);
  assert.equal(s.complete, false);
  assert.equal(s.incompleteReason, 'the add-ons mailgun, papertrail, newrelic and 1 more set variables Orchard does not list');
  assert.ok(s.provides.some((p) => p.name === 'DATABASE_URL'));
  assert.equal(herokuSource(parseAppJson('{"env": {}, "addons": ["sendgrid"]}', URI)!).incompleteReason, 'the add-on sendgrid sets variables Orchard does not list');
});

test("other programs' app.json are not Heroku's: Expo, React Native, no env object, env of another shape", () => {
  for (const text of [
    '{"expo": {"name": "x"}, "env": {"A": "1"}}',
    '{"name": "MyApp", "displayName": "My App"}',
    '{"env": "production"}',
    '{"env": {"A": ["x"]}}',
    '{"env": {"A": 1}}',
    '[]',
    '',
    'not json',
    '\u0000\u0001binary',
  ]) {
    assert.equal(parseAppJson(text, URI), undefined, text);
  }
});

test('what Heroku would refuse or ignore is a warning in its place; a broken file keeps what it can read', () => {
  const text = ['{', '  "env": {', '    "GOOD": "1",', '    "BAD-NAME": "x",', '    "N": {"value": 5, "required": "yes", "generator": "uuid"},', '    "GOOD": "2"', '  }', '}', ''].join('\n');
  const m = parseAppJson(text, URI)!;
  assert.deepEqual(
    m.errors.map((e) => [e.code, e.range.start.line, e.severity]),
    [
      ['json-duplicate-key', 5, 'warning'],
      ['app-json-name', 3, 'warning'],
      ['app-json-type', 4, 'warning'],
      ['app-json-type', 4, 'warning'],
      ['app-json-type', 4, 'warning'],
    ],
  );
  assert.match(m.errors[0].message, /Heroku uses only the last one/);
  assert.deepEqual(m.entries.map((e) => [e.key, e.value, e.required]), [['GOOD', '2', true], ['N', undefined, true]]);
  // A trailing comma: said in Heroku's words, the entries still read.
  const broken = parseAppJson('{"env": {"A": "1",}}', URI)!;
  assert.deepEqual(broken.errors.map((e) => e.code), ['json-syntax']);
  assert.match(broken.errors[0].message, /Heroku's strict JSON reader/);
  assert.deepEqual(broken.entries.map((e) => e.key), ['A']);
});

test('hostile input: deep nesting, a huge file and many entries are bounded, never thrown', () => {
  // jsonc-parser descends recursively: 200,000 nested lists would overflow its stack.
  const deep = `{"env": {"A": "1"}, "x": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
  const t0 = performance.now();
  assert.equal(parseAppJson(deep, URI), undefined);
  const doc = readJsonDocument(deep, 'figgy.json', URI);
  assert.deepEqual(doc.errors.map((e) => e.code), ['json-too-deep']);
  assert.equal(doc.root, undefined);
  // Brackets inside strings are not nesting.
  assert.deepEqual(readJsonDocument(`{"twig": "/app/x", "s": "${'['.repeat(5000)}"}`, 'figgy.json', URI).errors, []);
  assert.equal(parseAppJson(`{"env": {"A": "${'x'.repeat(6 * 1024 * 1024)}"}}`, URI), undefined);
  const many = parseAppJson(`{"env": {${Array.from({ length: 5000 }, (_, i) => `"V${i}": "${i}"`).join(',')}}}`, URI)!;
  assert.equal(many.entries.length, 2000);
  assert.ok(performance.now() - t0 < 5000, `took ${performance.now() - t0} ms`);
});
