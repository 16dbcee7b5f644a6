// The environment Orchard computes for a charm, checked against the environments canonical/paas-charm
// v1 asserts in its own unit tests (transcribed in test/fixtures/charms/paas-charm-v1.expectations.json).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { charmEnvironment } from '../../server/src/model/paasCharm';
import { environmentAt, type DeployState } from '../../server/src/model/paasCharmState';
import type { CharmFramework } from '../../server/src/parse/envTypes';
import { CHARMS, loadCharm } from './charms.helpers';

interface Case {
  id: string;
  source: string;
  charm: string;
  framework?: CharmFramework;
  jsonLogging?: boolean;
  state: DeployState;
  env: Record<string, string | null>;
  integrationNames: string[];
  subset?: boolean;
  absent?: string[];
}

const doc = JSON.parse(readFileSync(path.join(CHARMS, 'paas-charm-v1.expectations.json'), 'utf8')) as { cases: Case[] };

describe('paas-charm v1 unit-test environments', () => {
  test('the transcription covers every framework', () => {
    const fws = new Set(doc.cases.map((c) => c.charm.replace(/-(expanded|ext)$/, '')));
    assert.deepEqual([...fws].sort(), ['django', 'expressjs', 'fastapi', 'flask', 'go', 'spring-boot']);
    assert.ok(doc.cases.length >= 30);
  });

  for (const c of doc.cases) {
    test(`${c.id} (${c.source})`, () => {
      const env = charmEnvironment(loadCharm(c.charm), { framework: c.framework, jsonLogging: c.jsonLogging });
      const got = environmentAt(env, { ...c.state, jsonLogging: c.jsonLogging });
      const kind = new Map(env.provided.map((p) => [p.name, p.charm.kind]));
      const isIntegration = (n: string) => kind.get(n) === 'integration';
      for (const [name, value] of Object.entries(c.env)) {
        assert.ok(got.has(name), `${name} missing; got ${[...got.keys()].join(', ')}`);
        const v = got.get(name);
        if (v !== null && value !== null) assert.equal(v, value, name);
      }
      for (const n of c.integrationNames) {
        assert.ok(got.has(n), `integration variable ${n} missing`);
        assert.ok(isIntegration(n), `${n} should come from an integration`);
      }
      for (const n of c.absent ?? []) assert.ok(!got.has(n), `${n} should be absent`);
      if (!c.subset) {
        const extra = [...got.keys()].filter((n) => !isIntegration(n) && !(n in c.env));
        assert.deepEqual(extra, [], 'variables paas-charm does not set');
        const extraIntegration = [...got.keys()].filter((n) => isIntegration(n) && !c.integrationNames.includes(n));
        // paas-charm drops URL parts that are None; the names Orchard lists are the possible ones.
        assert.deepEqual(extraIntegration, [], 'integration variables the test did not see');
      }
    });
  }
});
