// `orchard check` on a tree large enough for worker threads (the built CLI, dist/parseWorker.js
// beside it): the same bytes and exit code with ORCHARD_PARSE_WORKERS=2 as with none, in every format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WORKER_MIN_BYTES } from '../../server/src/model/parsePool';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

test('orchard check: worker threads change nothing in the output (text, JSON, SARIF, --parse-only)', { timeout: 180_000 }, () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'orchard-cli-workers-'));
  try {
    const ws = path.join(tmp, 'ws');
    // Every fixture of the test suite (broken, binary, hostile and real-project shapes) and the example service 100 times.
    cpSync(path.join(ROOT, 'test', 'fixtures'), path.join(ws, 'fixtures'), { recursive: true });
    for (let i = 0; i < 100; i++) cpSync(path.join(ROOT, 'examples', 'flask-service'), path.join(ws, `svc-${i}`), { recursive: true });
    // Workers start only for files of WORKER_MIN_BYTES or more: every fifth service gets a large module.
    for (let i = 0; i < 100; i += 5) {
      const lines = ['import os', ''];
      for (let k = 0; lines.join('\n').length < WORKER_MIN_BYTES + 512; k++) lines.push(`SETTING_${k} = os.environ.get("SVC_${i}_SETTING_${k}", "default-${k}")`);
      writeFileSync(path.join(ws, `svc-${i}`, 'settings_big.py'), lines.join('\n') + '\n');
    }
    const config = path.join(tmp, 'config.json');
    writeFileSync(config, JSON.stringify({ environments: { dev: { backend: 'local' } }, defaultEnvs: ['dev'] }));
    const store = path.join(tmp, 'store');
    const check = (workers: string, ...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, 'check', ws, '--store', store, '--no-cache', ...args], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', ORCHARD_CONFIG: config, ORCHARD_PARSE_WORKERS: workers },
        timeout: 60_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    assert.equal(spawnSync(process.execPath, [CLI, 'store', 'init', '--store', store], { encoding: 'utf8' }).status, 0);
    for (const args of [['--format', 'text'], ['--format', 'json'], ['--format', 'sarif'], ['--format', 'json', '--parse-only']]) {
      const pooled = check('2', ...args);
      const single = check('0', ...args);
      assert.ok(pooled.out.length > 10_000, `${args.join(' ')}: ${pooled.err}`);
      assert.equal(pooled.code, single.code, args.join(' '));
      assert.equal(pooled.out, single.out, args.join(' '));
      assert.equal(pooled.err, single.err, args.join(' '));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
