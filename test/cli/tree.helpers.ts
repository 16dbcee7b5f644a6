// Small trees on disk for the built CLI's end-to-end tests: files written under a folder, a git
// repository made of them, the CLI run on them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

/** One finding of `orchard check --format json`. */
export interface CliFinding {
  code: string;
  file: string;
  line: number;
  severity: string;
  message: string;
}

/** Runs git in `cwd` with no user or system configuration; fails the test when git does. */
export function git(cwd: string, args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.org', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
  assert.equal(r.status, 0, r.stderr);
}

/** Writes `files` (paths relative to `root`) under `root`. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

/** The built CLI on `root` with a configuration and store of its own (under `root`): stdout; fails the test on exit codes other than `ok`. */
export function cli(root: string, args: string[], ok: number[] = [0]): string {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XDG_CONFIG_HOME: path.join(root, '.config'), ORCHARD_CONFIG: '', ORCHARD_STORE_DIR: path.join(root, '.store') },
    timeout: 60_000,
  });
  assert.ok(ok.includes(r.status ?? -1), `exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** Runs `run` on a fresh folder holding `files`, removed afterwards. */
export function withTree<T>(files: Record<string, string>, run: (root: string) => T): T {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-tree-'));
  try {
    writeFiles(root, files);
    return run(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** `orchard check ROOT --parse-only --format json`, file paths relative to `root`. */
export function checkTree(root: string): CliFinding[] {
  return (JSON.parse(cli(root, ['check', root, '--parse-only', '--format', 'json'], [0, 1])) as CliFinding[]).map((f) => ({ ...f, file: path.relative(root, f.file) }));
}
