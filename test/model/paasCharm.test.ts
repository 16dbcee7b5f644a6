import { describe, test } from 'node:test';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { charmEnvironment, charmVariables, encodeEnv, reverseVariable, type ProvidedVar } from '../../server/src/model/paasCharm';
import { environmentAt } from '../../server/src/model/paasCharmState';
import { CHARMS, charmOf, loadCharm, summary } from './charms.helpers';

function names(vars: ProvidedVar[]): string[] {
  return vars.map((v) => v.name + (v.family ? '<KEY>' : ''));
}

function find(vars: ProvidedVar[], name: string): ProvidedVar {
  const v = vars.find((x) => x.name === name);
  assert.ok(v, `${name} not provided; got ${names(vars).join(', ')}`);
  return v;
}

const FLASK = (options: string, requires = '') => charmOf(`name: app\nextensions: [flask-framework]\nconfig:\n  options:\n${options}${requires ? `requires:\n${requires}` : ''}`);

describe('fixtures match their expected variables', () => {
  for (const dir of readdirSync(CHARMS).filter((d) => !d.endsWith('.json'))) {
    test(dir, () => {
      const env = charmEnvironment(loadCharm(dir));
      assert.deepEqual(summary(env), JSON.parse(readFileSync(path.join(CHARMS, dir, 'variables.expected.json'), 'utf8')));
    });
  }
});

describe('user options', () => {
  test('prefix per framework, `-` → `_`, upper case', () => {
    const opts = '    config-option-name: {type: string}\n';
    const prefixes: Record<string, string> = { flask: 'FLASK_', django: 'DJANGO_', fastapi: 'APP_', go: 'APP_', expressjs: 'APP_', 'spring-boot': 'APP_' };
    for (const [fw, prefix] of Object.entries(prefixes)) {
      const vars = charmVariables(charmOf(`name: a\nextensions: [${fw}-framework]\nconfig:\n  options:\n${opts}`));
      const v = find(vars, `${prefix}CONFIG_OPTION_NAME`);
      assert.equal(v.charm.option, 'config-option-name');
      assert.equal(v.userDefined, true);
    }
  });

  test('int, float and boolean defaults arrive JSON-encoded; strings as they are', () => {
    const vars = charmVariables(FLASK('    n: {type: int, default: 42}\n    f: {type: float, default: 2}\n    g: {type: float, default: 0.25}\n    b: {type: boolean, default: true}\n    y: {type: boolean, default: yes}\n    s: {type: string, default: "42"}\n'));
    assert.deepEqual(
      ['FLASK_N', 'FLASK_F', 'FLASK_G', 'FLASK_B', 'FLASK_Y', 'FLASK_S'].map((n) => [find(vars, n).value, find(vars, n).charm.jsonEncoded ?? false]),
      [
        ['42', true],
        ['2.0', true],
        ['0.25', true],
        ['true', true],
        ['true', true],
        ['42', false],
      ],
    );
    assert.equal(encodeEnv(false), 'false');
  });

  test('an option without default is there once set; optional: false makes it always there (the charm blocks otherwise)', () => {
    const vars = charmVariables(FLASK('    a: {type: string}\n    b: {type: string, optional: false}\n'));
    assert.equal(find(vars, 'FLASK_A').charm.availability, 'when-set');
    assert.deepEqual([find(vars, 'FLASK_B').charm.availability, find(vars, 'FLASK_B').charm.required], ['always', true]);
  });

  test('a secret option is a family PREFIX_OPTION_<KEY>, sensitive', () => {
    const vars = charmVariables(FLASK('    credentials: {type: secret, description: username and password}\n'));
    const v = find(vars, 'FLASK_CREDENTIALS_');
    assert.deepEqual([v.family, v.sensitive, v.charm.secretKeys, v.charm.kind], [true, true, true, 'secret-option']);
    // With keys set, as paas-charm's test_secret_configuration does.
    const env = environmentAt(charmEnvironment(FLASK('    credentials: {type: secret}\n')), { config: { credentials: { username: 'api', 'pass-word': 'x' } } });
    assert.ok(env.has('FLASK_CREDENTIALS_USERNAME'));
    assert.ok(env.has('FLASK_CREDENTIALS_PASS_WORD'));
  });

  test('skipped options say why: app- (silently dropped), <framework>- and webserver- (reserved), framework setting names', () => {
    const env = charmEnvironment(FLASK('    app-banner: {type: string}\n    flask-custom: {type: string}\n    webserver-foo: {type: int}\n    secret-key: {type: string}\n    env: {type: string}\n    fine: {type: string}\n'));
    assert.deepEqual(
      env.skipped.map((s) => [s.option, s.reason]),
      [
        ['app-banner', 'app-prefix'],
        ['flask-custom', 'framework-prefix'],
        ['webserver-foo', 'webserver-prefix'],
        ['secret-key', 'framework-field'],
        ['env', 'framework-field'],
      ],
    );
    assert.match(env.skipped[0].message, /without a word/);
    assert.ok(!env.provided.some((p) => p.charm.option === 'app-banner' || p.charm.option === 'env'));
    assert.ok(env.provided.some((p) => p.name === 'FLASK_FINE'));
  });

  test("an expanded charm's own framework options are not reported as skipped", () => {
    for (const dir of ['flask-expanded', 'django-expanded', 'fastapi-expanded', 'expressjs-expanded', 'spring-boot-expanded']) {
      assert.deepEqual(charmEnvironment(loadCharm(dir)).skipped, [], dir);
    }
  });
});

describe('framework built-ins and run-time values', () => {
  test('Flask through the extension: preferred URL scheme HTTPS, secret key always, the rest once set', () => {
    const vars = charmVariables(FLASK('    token: {type: string}\n'));
    assert.equal(find(vars, 'FLASK_PREFERRED_URL_SCHEME').value, 'HTTPS');
    assert.deepEqual([find(vars, 'FLASK_SECRET_KEY').charm.availability, find(vars, 'FLASK_SECRET_KEY').sensitive], ['always', true]);
    for (const n of ['FLASK_ENV', 'FLASK_DEBUG', 'FLASK_PERMANENT_SESSION_LIFETIME', 'FLASK_APPLICATION_ROOT', 'FLASK_SESSION_COOKIE_SECURE']) assert.equal(find(vars, n).charm.availability, 'when-set', n);
    assert.equal(find(vars, 'FLASK_BASE_URL').charm.availability, 'always');
    assert.equal(find(vars, 'FLASK_PEER_FQDNS').charm.availability, 'with-peers');
    assert.equal(find(vars, 'HTTP_PROXY').charm.availability, 'with-proxy');
    // Gunicorn settings are not environment variables.
    assert.ok(!vars.some((v) => /WEBSERVER|WORKERS$/.test(v.name)));
  });

  test('Django: debug false by default through the extension, allowed hosts always (JSON list with the app host)', () => {
    const vars = charmVariables(charmOf('name: a\nextensions: [django-framework]\n'));
    assert.equal(find(vars, 'DJANGO_DEBUG').value, 'false');
    const hosts = find(vars, 'DJANGO_ALLOWED_HOSTS');
    assert.deepEqual([hosts.charm.availability, hosts.value, hosts.charm.jsonEncoded], ['always', null, true]);
  });

  test('unprefixed built-ins of FastAPI, ExpressJS, Spring Boot; APP_ ones of Go', () => {
    const of = (fw: string) => names(charmVariables(charmOf(`name: a\nextensions: [${fw}-framework]\n`)));
    assert.deepEqual(of('fastapi').filter((n) => !/PROXY|proxy/.test(n)), ['UVICORN_PORT', 'UVICORN_HOST', 'WEB_CONCURRENCY', 'UVICORN_LOG_LEVEL', 'METRICS_PORT', 'METRICS_PATH', 'APP_SECRET_KEY', 'APP_BASE_URL', 'APP_PEER_FQDNS', 'PYTHONPATH', 'UVICORN_LOG_CONFIG']);
    assert.deepEqual(of('go').filter((n) => !/PROXY|proxy/.test(n)), ['APP_PORT', 'APP_METRICS_PORT', 'APP_METRICS_PATH', 'APP_SECRET_KEY', 'APP_BASE_URL', 'APP_PEER_FQDNS']);
    assert.deepEqual(of('expressjs').filter((n) => !/PROXY|proxy/.test(n)), ['NODE_ENV', 'PORT', 'METRICS_PORT', 'METRICS_PATH', 'APP_SECRET_KEY', 'APP_BASE_URL', 'APP_PEER_FQDNS']);
    const spring = of('spring-boot');
    for (const n of ['APP_METRICS_PORT', 'SERVER_PORT', 'MANAGEMENT_SERVER_PORT', 'METRICS_PATH', 'SECRET_KEY', 'APP_SECRET_KEY', 'OTEL_TRACES_EXPORTER', 'server.forward-headers-strategy']) assert.ok(spring.includes(n), n);
  });

  test('FastAPI JSON logging variables only with paas-config.yaml JSON logs', () => {
    const c = charmOf('name: a\nextensions: [fastapi-framework]\n');
    assert.equal(find(charmVariables(c), 'PYTHONPATH').charm.availability, 'with-json-logging');
    assert.equal(find(charmVariables(c, { jsonLogging: true }), 'PYTHONPATH').charm.availability, 'always');
  });
});

describe('integrations', () => {
  test('database endpoints give the 12 URL parts, credentials sensitive, unprefixed', () => {
    const vars = charmVariables(FLASK('    a: {type: string}\n', '  postgresql: {interface: postgresql_client, optional: false}\n  mysql: {interface: mysql_client}\n'));
    const pg = vars.filter((v) => v.charm.endpoint === 'postgresql');
    assert.equal(pg.length, 12);
    assert.deepEqual(pg.filter((v) => v.sensitive).map((v) => v.name), ['POSTGRESQL_DB_CONNECT_STRING', 'POSTGRESQL_DB_NETLOC', 'POSTGRESQL_DB_PASSWORD']);
    assert.ok(pg.every((v) => v.charm.required && v.charm.availability === 'when-related'));
    assert.equal(vars.filter((v) => v.charm.endpoint === 'mysql').length, 12);
  });

  test('an endpoint not named as paas-charm expects gives no variables and a note', () => {
    const env = charmEnvironment(FLASK('    a: {type: string}\n', '  db: {interface: postgresql_client}\n  cache: {interface: redis}\n  redis: {interface: redis_client}\n'));
    assert.ok(!env.provided.some((v) => v.charm.kind === 'integration'));
    assert.deepEqual(env.notes.map((n) => n.code), ['endpoint-name', 'endpoint-name', 'endpoint-interface']);
  });

  test('every integration of issue 7 is known', () => {
    const req = ['postgresql: {interface: postgresql_client}', 'mysql: {interface: mysql_client}', 'mongodb: {interface: mongodb_client}', 'redis: {interface: redis}', 'valkey: {interface: valkey_client}', 'rabbitmq: {interface: rabbitmq}', 's3: {interface: s3}', 'saml: {interface: saml}', 'smtp: {interface: smtp}', 'tracing: {interface: tracing}', 'openfga: {interface: openfga}', 'oidc: {interface: oauth}'];
    const vars = charmVariables(FLASK('    a: {type: string}\n', req.map((r) => `  ${r}\n`).join('')));
    const byEp = new Map<string, string[]>();
    for (const v of vars) if (v.charm.kind === 'integration') byEp.set(v.charm.endpoint!, [...(byEp.get(v.charm.endpoint!) ?? []), v.name]);
    assert.deepEqual([...byEp.keys()], ['postgresql', 'mysql', 'mongodb', 'redis', 'valkey', 'rabbitmq', 's3', 'saml', 'smtp', 'tracing', 'openfga', 'oidc']);
    assert.ok(byEp.get('smtp')!.includes('SMTP_SKIP_SSL_VERIFY'));
    assert.ok(byEp.get('rabbitmq')!.includes('RABBITMQ_VHOST') && byEp.get('rabbitmq')!.includes('RABBITMQ_CONNECT_STRINGS'));
    assert.ok(byEp.get('valkey')!.includes('VALKEY_MODE') && !byEp.get('valkey')!.some((n) => n.includes('TLS')));
    assert.deepEqual(byEp.get('tracing'), ['OTEL_SERVICE_NAME', 'OTEL_EXPORTER_OTLP_ENDPOINT']);
    assert.equal(byEp.get('oidc')![0], 'FLASK_OIDC_CLIENT_ID');
    assert.ok(find(vars, 'FLASK_OIDC_CLIENT_SECRET').sensitive);
    // The extension adds the OAuth options, which reach the app as user options.
    assert.equal(find(vars, 'FLASK_OIDC_REDIRECT_PATH').value, '/callback');
    assert.equal(find(vars, 'FLASK_OIDC_SCOPES').charm.injected, true);
  });

  test('OAuth: an endpoint with "-" keeps it in the names (noted); two oauth endpoints block the charm', () => {
    const dash = charmEnvironment(FLASK('    a: {type: string}\n', '  google-oauth: {interface: oauth}\n'));
    assert.ok(dash.provided.some((v) => v.name === 'FLASK_GOOGLE-OAUTH_CLIENT_ID'));
    assert.deepEqual(dash.notes.map((n) => n.code), ['oauth-endpoint-name']);
    const two = charmEnvironment(FLASK('    a: {type: string}\n', '  a: {interface: oauth}\n  b: {interface: oauth}\n'));
    assert.ok(!two.provided.some((v) => v.name.endsWith('_CLIENT_ID')));
    assert.deepEqual(two.notes.map((n) => n.code), ['oauth-several', 'oauth-several']);
  });
});

describe('collisions', () => {
  test('two options to one name; an option on a name paas-charm writes; secret families overlapping', () => {
    const env = charmEnvironment(
      FLASK('    foo-bar: {type: string}\n    foo_bar: {type: string}\n    base-url: {type: string}\n    api: {type: secret}\n    api-token: {type: secret}\n    secret: {type: secret}\n    oidc-client-id: {type: string}\n', '  oidc: {interface: oauth}\n'),
    );
    const by = new Map(env.collisions.map((c) => [c.name, c]));
    assert.deepEqual([...by.keys()].sort(), ['FLASK_API_TOKEN_*', 'FLASK_BASE_URL', 'FLASK_FOO_BAR', 'FLASK_OIDC_CLIENT_ID', 'FLASK_SECRET_KEY'].sort());
    assert.match(by.get('FLASK_BASE_URL')!.message, /app sees the paas-charm value/);
    assert.match(by.get('FLASK_OIDC_CLIENT_ID')!.message, /integration oidc value once related/);
    assert.match(by.get('FLASK_SECRET_KEY')!.message, /would also be what secret option secret gives if it held a key "key" \(its description lists no keys\)/);
    assert.equal(by.get('FLASK_SECRET_KEY')!.possible, true);
    assert.equal(by.get('FLASK_BASE_URL')!.possible, undefined);
  });

  test('a secret whose description lists its keys collides only through those keys', () => {
    const listed = '    turnstile-verify-url: {type: string}\n    turnstile-site-key: {type: string}\n    turnstile:\n      type: secret\n      description: |\n        Must contain following keys:\n          site-key: Unique site ID\n          secret-key: Secret for API calls\n';
    const found = charmEnvironment(FLASK(listed)).collisions;
    assert.deepEqual(found.map((c) => c.name), ['FLASK_TURNSTILE_SITE_KEY']);
    assert.equal(found[0].possible, undefined);
    assert.match(found[0].message, /is also what secret option turnstile gives for its key "site-key"/);
    // No list of keys (or no talk of keys): any key may come, so both are possible collisions.
    const unlisted = '    turnstile-verify-url: {type: string}\n    turnstile-site-key: {type: string}\n    turnstile:\n      type: secret\n      description: Secrets for the challenge.\n';
    assert.deepEqual(charmEnvironment(FLASK(unlisted)).collisions.map((c) => c.name).sort(), ['FLASK_TURNSTILE_SITE_KEY', 'FLASK_TURNSTILE_VERIFY_URL']);
    assert.deepEqual(charmEnvironment(FLASK(unlisted)).collisions.map((c) => c.possible), [true, true]);
    // Two secret families overlap only through a listed key that starts with the other's suffix.
    const families = (desc: string) => charmEnvironment(FLASK(`    api:\n      type: secret\n      description: ${desc}\n    api-token: {type: secret}\n`)).collisions.map((c) => c.name);
    assert.deepEqual(families('"Keys: `user`, `password`."'), []);
    assert.deepEqual(families('"Keys: `token-id`, `user`."'), ['FLASK_API_TOKEN_*']);
  });

  test('an ExpressJS user option secret-key replaces the generated APP_SECRET_KEY', () => {
    const env = charmEnvironment(loadCharm('expressjs-ext'));
    assert.deepEqual(env.collisions.map((c) => c.name), ['APP_SECRET_KEY']);
    const at = environmentAt(env, { config: { 'secret-key': 'mine' }, secretKey: 'generated' });
    assert.equal(at.get('APP_SECRET_KEY'), 'mine');
    assert.equal(environmentAt(env, { secretKey: 'generated' }).get('APP_SECRET_KEY'), 'generated');
  });
});

describe('reverseVariable', () => {
  const charm = FLASK('    api: {type: secret}\n    api-token: {type: secret}\n    token: {type: string}\n    credentials: {type: secret}\n', '  postgresql: {interface: postgresql_client}\n');

  test('an exact variable: its option, endpoint or built-in', () => {
    const t = reverseVariable('FLASK_TOKEN', charm);
    assert.equal(t?.kind, 'exact');
    assert.equal(t?.var.charm.option, 'token');
    assert.equal(reverseVariable('POSTGRESQL_DB_PASSWORD', charm)?.var.charm.endpoint, 'postgresql');
    assert.equal(reverseVariable('FLASK_DEBUG', charm)?.var.charm.option, 'flask-debug');
  });

  test('a secret key: strip the prefix, longest option, the rest is the Juju key', () => {
    const a = reverseVariable('FLASK_CREDENTIALS_USERNAME', charm);
    assert.deepEqual(a?.kind === 'secret-key' && [a.option, a.key, a.keyValid], ['credentials', 'username', true]);
    const b = reverseVariable('FLASK_API_TOKEN_VALUE', charm);
    assert.deepEqual(b?.kind === 'secret-key' && [b.option, b.key], ['api-token', 'value']);
    // Only `api` can give a key "token-value-x"... and the longest still wins when its key is valid.
    const c = reverseVariable('FLASK_API_KEY', charm);
    assert.deepEqual(c?.kind === 'secret-key' && [c.option, c.key, c.keyValid], ['api', 'key', true]);
  });

  test('a key Juju would refuse is reported as such; no candidate → undefined', () => {
    const k = reverseVariable('FLASK_CREDENTIALS_X', charm);
    assert.deepEqual(k?.kind === 'secret-key' && [k.option, k.key, k.keyValid], ['credentials', 'x', false]);
    assert.equal(reverseVariable('DJANGO_TOKEN', charm), undefined);
    assert.equal(reverseVariable('FLASK_CREDENTIALS_', charm), undefined);
  });
});

describe('paas-charm 2 (unreleased 2.0.dev0)', () => {
  test('Flask/Django read app-secret-key; metrics variables always; Go loses APP_ on its settings; FastAPI port 8000', () => {
    const flask = charmEnvironment(charmOf('name: a\nextensions: [flask-framework]\n'), { paasCharmMajor: 2 });
    assert.equal(find(flask.provided, 'FLASK_SECRET_KEY').charm.option, 'app-secret-key');
    assert.equal(find(flask.provided, 'FLASK_METRICS_PORT').value, '9102');
    const go = names(charmVariables(charmOf('name: a\nextensions: [go-framework]\n'), { paasCharmMajor: 2 }));
    assert.ok(go.includes('PORT') && go.includes('METRICS_PORT') && go.includes('APP_SECRET_KEY') && !go.includes('APP_PORT'));
    // Without a webserver-port option (charmcraft's extension still adds one, default 8080), 2.0's default is 8000.
    assert.equal(find(charmVariables(charmOf('name: a\n'), { paasCharmMajor: 2, framework: 'fastapi' }), 'UVICORN_PORT').value, '8000');
    assert.equal(find(charmVariables(charmOf('name: a\n'), { framework: 'fastapi' }), 'UVICORN_PORT').value, '8080');
    const spring = names(charmVariables(charmOf('name: a\nextensions: [spring-boot-framework]\n'), { paasCharmMajor: 2 }));
    assert.ok(!spring.includes('METRICS_PORT') && !spring.includes('MANAGEMENT_SERVER_PORT'));
  });
});

describe('unknown framework', () => {
  test('no prefix, so option variables are not listed and the environment is incomplete; integrations still are', () => {
    const env = charmEnvironment(loadCharm('go-expanded'));
    assert.equal(env.complete, false);
    assert.deepEqual(env.notes.map((n) => n.code), ['framework-unknown']);
    assert.ok(!env.provided.some((p) => p.charm.kind === 'option'));
    assert.ok(env.provided.some((p) => p.name === 'POSTGRESQL_DB_CONNECT_STRING'));
    const given = charmEnvironment(loadCharm('go-expanded'), { framework: 'go' });
    assert.equal(given.complete, true);
    assert.equal(given.frameworkFrom, 'given');
    assert.ok(given.provided.some((p) => p.name === 'APP_USER_DEFINED_CONFIG'));
  });
});

test('messages and details never carry option values', () => {
  const canary = 'sk_live_"Qz9\'\\bSl4';
  const env = charmEnvironment(FLASK(`    token: {type: string, default: ${JSON.stringify(canary)}}\n    app-x: {type: string, default: ${JSON.stringify(canary)}}\n    token_: {type: string}\n`));
  const texts = [...env.provided.map((p) => p.detail), ...env.skipped.map((s) => s.message), ...env.collisions.map((c) => c.message), ...env.notes.map((n) => n.message)];
  for (const t of texts) for (const part of ['sk_live', 'Qz9', 'bSl4']) assert.ok(!t.includes(part), t);
  // The value itself is kept for the model (placeholder checks), never in text.
  assert.equal(find(env.provided, 'FLASK_TOKEN').value, canary);
});

describe('properties', () => {
  // Option names as Juju allows them (lower case, digits, dashes) and keys matching Juju's secret-key rule.
  const option = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,6}){0,3}$/).filter((o) => !/^(flask|webserver|app)-/.test(o) && !['env', 'debug', 'secret-key', 'permanent-session-lifetime', 'application-root', 'session-cookie-secure', 'preferred-url-scheme'].includes(o));
  const key = fc.stringMatching(/^[a-z](-?[a-z0-9]){2,8}$/);

  test('a secret option and a key: the variable paas-charm makes reverses to that option and key', () => {
    fc.assert(
      fc.property(option, key, (o, k) => {
        const charm = FLASK(`    ${o}: {type: secret}\n`);
        const name = `FLASK_${o.replace(/-/g, '_').toUpperCase()}_${k.replace(/-/g, '_').toUpperCase()}`;
        // A name paas-charm itself writes (option `secret`, key `key` → FLASK_SECRET_KEY) is a collision, tested apart.
        fc.pre(!charmVariables(charm).some((v) => !v.family && v.name === name));
        const env = environmentAt(charmEnvironment(charm), { config: { [o]: { [k]: 'v' } } });
        assert.ok(env.has(name), name);
        const r = reverseVariable(name, charm);
        assert.ok(r && r.kind === 'secret-key', name);
        assert.deepEqual([r.option, r.key, r.keyValid], [o, k, true]);
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  test('a string option: its variable reverses to it, and two options differing only by - and _ collide', () => {
    fc.assert(
      fc.property(option, (o) => {
        const charm = FLASK(`    ${o}: {type: string}\n`);
        const r = reverseVariable(`FLASK_${o.replace(/-/g, '_').toUpperCase()}`, charm);
        assert.equal(r?.kind === 'exact' && r.var.charm.option, o);
        if (o.includes('-')) {
          const twin = o.replace(/-/g, '_');
          const env = charmEnvironment(FLASK(`    ${o}: {type: string}\n    ${twin}: {type: string}\n`));
          assert.ok(env.collisions.some((c) => c.vars.map((v) => v.charm.option).join() === `${o},${twin}`));
        }
      }),
      { numRuns: 200, seed: 19 },
    );
  });
});
