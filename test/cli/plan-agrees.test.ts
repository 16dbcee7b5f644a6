// Truthful and once: on the demo store, each environment's count of missing parameters in the sync
// plan equals the number of error diagnostics `orchard check` gives for that environment, and no
// problem is reported twice (config.py and figgy.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SERVICE = path.join(ROOT, 'examples', 'flask-service');

test('sync --plan counts per environment equal check errors per environment; one finding per problem', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orchard-agree-'));
  try {
    const env = { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: path.join(dir, 'xdg'), ORCHARD_CONFIG: '', ORCHARD_STORE_DIR: '' };
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT, env, timeout: 60_000 });
    const demo = run(['demo', '--dir', path.join(dir, 'demo')]);
    assert.equal(demo.status, 0, demo.stderr);
    const config = /--config (\S+)/.exec(demo.stdout)?.[1];
    assert.ok(config, demo.stdout);
    const check = run(['check', SERVICE, '--config', config!, '--env', 'qa,prod', '--format', 'json']);
    const findings = JSON.parse(check.stdout) as { file: string; line: number; severity: string; code: string; envs?: string[] }[];
    const errors = findings.filter((f) => f.severity === 'error');
    // No problem twice: one error per (code, parameter line) and none of the store findings in figgy.json.
    assert.ok(!errors.some((f) => f.file.endsWith('figgy.json')), JSON.stringify(errors.map((f) => `${f.file}:${f.line} ${f.code}`)));
    for (const e of ['qa', 'prod']) {
      const plan = run(['sync', SERVICE, '--config', config!, '--env', e, '--plan']);
      const m = /^\s+(\d+) missing/m.exec(plan.stdout);
      assert.ok(m, plan.stdout);
      const diagnostics = errors.filter((f) => f.envs?.includes(e)).length;
      assert.equal(Number(m![1]), diagnostics, `${e}: plan says ${m![1]} missing, check gives ${diagnostics} errors\n${plan.stdout}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
