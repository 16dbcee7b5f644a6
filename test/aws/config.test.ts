// User config: loading, one-line errors with positions, defaults, merging and the endpoint invariant.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, effectiveEnvs, loadConfig, loadUserConfig, mergeConfig, parseConfigText, userConfigPath } from '../../server/src/store/config';

/** Temporary folders made here, removed after the suite: tests leave nothing behind. */
const made: string[] = [];
const tempDir = (prefix: string): string => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
};
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('orchard config', () => {
  it('defaults: dev, qa, stage, prod on the local backend when nothing is configured', () => {
    const home = tempDir('orchard-cfg-');
    const r = loadUserConfig({ HOME: home });
    assert.equal(r.ok, true);
    const cfg = r.ok ? r.config : defaultConfig();
    assert.deepEqual(effectiveEnvs(cfg), ['dev', 'qa', 'stage', 'prod']);
    assert.ok(Object.values(cfg.environments).every((e) => e.backend === 'local'));
  });
  it('finds the file through ORCHARD_CONFIG or XDG_CONFIG_HOME', () => {
    assert.equal(userConfigPath({ ORCHARD_CONFIG: '/x/c.json', XDG_CONFIG_HOME: '/y' }), '/x/c.json');
    assert.equal(userConfigPath({ XDG_CONFIG_HOME: '/y' }), '/y/orchard/config.json');
    assert.equal(userConfigPath({ HOME: '/h' }), '/h/.config/orchard/config.json');
    const xdg = tempDir('orchard-xdg-');
    mkdirSync(join(xdg, 'orchard'));
    writeFileSync(join(xdg, 'orchard', 'config.json'), '{ "environments": { "dev": { "backend": "ssm", "profile": "figgy-dev", "region": "us-east-1" }, "qa": { "backend": "ssm", "roleArn": "arn:aws:iam::123456789012:role/figgy-qa-dev" } } }');
    const r = loadUserConfig({ XDG_CONFIG_HOME: xdg });
    assert.equal(r.ok, true);
    if (r.ok) {
      assert.deepEqual(r.config.environments.dev, { backend: 'ssm', profile: 'figgy-dev', region: 'us-east-1' });
      assert.deepEqual(effectiveEnvs(r.config), ['dev', 'qa']);
    }
    const missing = loadConfig('/definitely/not/here.json');
    assert.equal(missing.ok, false);
    assert.match(missing.ok ? '' : missing.error, /no such file/);
  });
  it('bad JSON: one line per error with file:line:col', () => {
    const r = parseConfigText('{\n  "environments": {\n    "dev": { "backend": "ssm", }\n  }\n}', 'c.json');
    assert.equal(r.errors.length >= 1, true);
    assert.match(r.errors[0], /^c\.json:3:\d+: invalid JSON/);
    assert.ok(r.errors.every((e) => !e.includes('\n')));
  });
  it('bad shape: unknown keys, wrong types, bad region/ARN/endpoint, undefined default env', () => {
    const text = `{
  "enviroments": {},
  "environments": {
    "dev": { "backend": "ssm", "region": "mars", "roleArn": "role", "endpoint": "ftp://x", "maxAttempts": 99, "colour": 1 },
    "qa": { "backend": "cloud" },
    "bad name": { "backend": "local" }
  },
  "defaultEnvs": ["dev", "prod"],
  "cacheTtlSeconds": -1
}`;
    const r = parseConfigText(text, 'c.json');
    assert.equal(r.config, undefined);
    const joined = r.errors.join('\n');
    for (const re of [/c\.json:2:3: unknown key "enviroments"/, /region/, /roleArn/, /endpoint/, /maxAttempts/, /unknown key "colour"/, /c\.json:5:24: "environments\.qa\.backend" must be "local" or "ssm"/, /environment name "bad name"/, /"prod", which is not in "environments"/, /cacheTtlSeconds/]) {
      assert.match(joined, re);
    }
  });
  it('never throws on arbitrary text', () => {
    for (const t of ['', 'null', '[]', '"x"', '{"environments": []}', '{"environments": {"a": null}}', '{{{', '\u0000']) {
      const r = parseConfigText(t);
      assert.ok(r.errors.length > 0 || r.config, t);
    }
  });
  it('merges flags/settings; untrusted sources cannot set an endpoint', () => {
    const base = parseConfigText('{"environments": {"dev": {"backend": "ssm", "profile": "p", "endpoint": "http://127.0.0.1:5000"}}}').config!;
    const trusted = mergeConfig(base, { environments: { dev: { region: 'eu-west-1' }, ci: { backend: 'ssm', profile: 'ci' } }, cacheTtlSeconds: 5 }, { trusted: true });
    assert.deepEqual(trusted.config.environments.dev, { backend: 'ssm', profile: 'p', endpoint: 'http://127.0.0.1:5000', region: 'eu-west-1' });
    assert.deepEqual(trusted.config.environments.ci, { backend: 'ssm', profile: 'ci' });
    assert.equal(trusted.config.cacheTtlSeconds, 5);
    const repo = mergeConfig(base, { environments: { dev: { endpoint: 'https://evil.example' }, qa: { backend: 'ssm', endpoint: 'https://evil.example' } } }, { trusted: false });
    assert.equal(repo.refused.length, 2);
    assert.equal((repo.config.environments.dev as { endpoint?: string }).endpoint, 'http://127.0.0.1:5000', 'the user config endpoint stays');
    assert.equal((repo.config.environments.qa as { endpoint?: string }).endpoint, undefined);
    // Switching backend starts that environment afresh.
    assert.deepEqual(mergeConfig(base, { environments: { dev: { backend: 'local' } } }, { trusted: true }).config.environments.dev, { backend: 'local' });
    assert.equal((base.environments.dev as { region?: string }).region, undefined, 'base not mutated');
  });
});
