// CLI usage errors never repeat what was typed as a value; a mistyped --store is "no local store",
// never an empty one; `orchard store init` is how a store is made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { redactUsage } from '../../server/src/cli/main';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SECRET = 'hunter2"\\SEKRIT';

function orchard(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, input: '', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, text: r.stdout + r.stderr };
}

test('usage errors redact option values, invalid choices and stray words', () => {
  const cases: string[][] = [
    ['put', '/app/x', '--env', 'dev', `--value=${SECRET}`],
    ['check', `--format=${SECRET}`],
    ['check', '--fail-on', SECRET],
    [SECRET],
    ['check', `-x${SECRET}`],
    ['store', 'init', `--bogus=${SECRET}`],
    ['check', '--env', `dev,${SECRET}`],
    ['check', '--severity', SECRET],
  ];
  for (const args of cases) {
    const r = orchard(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.text}`);
    assert.ok(!r.text.includes('hunter2') && !r.text.includes('SEKRIT'), `${args.join(' ')} echoed the value: ${r.text}`);
  }
  // Still useful: the option name and the allowed choices.
  assert.match(orchard(['put', '/app/x', '--env', 'dev', `--value=${SECRET}`]).text, /unknown option '--value=…'/);
  assert.match(orchard(['check', '--format', SECRET]).text, /argument '…' is invalid\. Allowed choices are text, json, sarif/);
  assert.equal(redactUsage("error: unknown option '--valu'"), "error: unknown option '--valu'");
});

test('a --store folder that does not exist is unknown, not empty; store init creates it (0700, key 0600)', (t) => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'orchard-usage-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const typo = path.join(base, 'stroe');
  const ws = path.join(ROOT, 'examples', 'flask-service');
  const r = orchard(['check', ws, '--env', 'dev', '--store', typo, '--format', 'json'], { ORCHARD_CONFIG: '' , XDG_CONFIG_HOME: base });
  assert.equal(r.code, 2, r.text);
  const findings = JSON.parse(r.text.slice(0, r.text.lastIndexOf(']') + 1)) as { code: string; message: string }[];
  assert.ok(!findings.some((f) => f.code === 'missing-in-env'), 'nothing is reported missing from a store that does not exist');
  assert.ok(findings.some((f) => f.code === 'unknown-in-env' && /there is no local store at .*stroe/.test(f.message)));
  assert.equal(existsSync(typo), false, 'check did not create it');
  const g = orchard(['get', '/app/demo-service/admired-person', '--env', 'dev', '--store', typo], { XDG_CONFIG_HOME: base });
  assert.equal(g.code, 2);
  assert.match(g.text, /there is no local store at .*stroe .*try: orchard store init --store/);
  const init = orchard(['store', 'init', '--store', typo, '--env', 'dev'], { XDG_CONFIG_HOME: base });
  assert.equal(init.code, 0, init.text);
  assert.match(init.text, /created local store .*stroe/);
  assert.equal(statSync(typo).mode & 0o777, 0o700);
  assert.equal(statSync(path.join(typo, '.orchard-key')).mode & 0o777, 0o600);
  const after = orchard(['get', '/app/demo-service/admired-person', '--env', 'dev', '--store', typo], { XDG_CONFIG_HOME: base });
  assert.equal(after.code, 1, 'now an existing, empty store: the parameter is missing');
  assert.match(after.text, /does not exist in dev/);
});
