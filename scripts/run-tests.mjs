// Runs every test/**/*.test.ts with node's own test runner (through tsx).
// Node 20's --test does not expand globs, so the file list is built here.
// ORCHARD_TEST_FILTER=<substring> narrows the run while developing.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}
const filter = process.env.ORCHARD_TEST_FILTER;
const files = walk('test').filter((f) => !filter || f.includes(filter)).sort();
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// `orchard check` keeps a warm cache: the tests' goes to a folder of their own, removed afterwards.
const cacheDir = mkdtempSync(join(tmpdir(), 'orchard-test-cache-'));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env: { ...process.env, ORCHARD_CACHE_DIR: cacheDir } });
rmSync(cacheDir, { recursive: true, force: true });
process.exit(r.status ?? 1);
