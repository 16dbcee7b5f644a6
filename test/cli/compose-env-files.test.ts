// Files a compose `env_file` names that no convention names (Netflix lemur's `docker/lemur-env`,
// netbox-docker's `env/netbox.env` in a folder walks skip): read as compose reads them, through the
// built CLI. Before, each was "not found", so the app's variables were unknown and its credentials unread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TOKENS } from '../parse/credentials.helpers';
import { cli, git, writeFiles } from './tree.helpers';

interface F {
  code: string;
  file: string;
  line: number;
}
type Source = { label: string; complete: boolean; incompleteReason?: string };

function inTree<T>(files: Record<string, string>, fn: (root: string) => T, prepare?: (root: string) => void): T {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-envfile-'));
  try {
    writeFiles(root, files);
    prepare?.(root);
    return fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const findings = (root: string): [string, string, number][] =>
  (JSON.parse(cli(root, ['check', root, '--parse-only', '--format', 'json', '--fail-on', 'never'])) as F[]).map((f) => [f.code, path.relative(root, f.file), f.line]);
const sources = (root: string): Source[] => (JSON.parse(cli(root, ['env', root, '--format', 'json'])) as { sources: Source[] }[]).flatMap((a) => a.sources);

const TREE = {
  'deploy/docker-compose.yml': ['services:', '  web:', '    build: .', '    env_file: [app-env, local-secrets, "${STAGE_ENV:-stage}.vars", ../env/shared.env]', ''].join('\n'),
  'deploy/Dockerfile': 'FROM python:3.12-slim\n',
  // compose-go's `KEY: value` on line 2.
  'deploy/app-env': `APP_MODE=1\nAPI_KEY_ID: ${TOKENS.AKIA}\n`,
  'deploy/local-secrets': `DB_KEY_ID=${TOKENS.AKIA}\n`,
  'deploy/.gitignore': 'local-secrets\n',
  'deploy/stage.vars': 'STAGE_FLAG=1\n',
  // `env/` is a folder walks skip (a virtualenv's usual name).
  'env/shared.env': 'SHARED=1\n',
  'deploy/app.py': ['import os', 'A = os.environ["APP_MODE"]', 'B = os.environ["API_KEY_ID"]', 'C = os.environ["DB_KEY_ID"]', 'D = os.environ["STAGE_FLAG"]', 'E = os.environ["SHARED"]', 'F = os.environ["NOT_SET"]', ''].join('\n'),
};

test('compose env_file: a file of any name is read as compose reads it: its variables provided, its credentials found unless git ignores it', () => {
  const got = inTree(TREE, findings);
  assert.deepEqual(
    got.filter(([code]) => code.startsWith('env-') || code.startsWith('credential-')),
    [
      ['credential-aws-access-key-id', 'deploy/app-env', 2],
      ['env-not-provided', 'deploy/app.py', 7],
    ],
  );
  const src = inTree(TREE, sources);
  assert.deepEqual(
    src.map((s) => [s.label, s.complete]),
    [
      ['app-env', true],
      ['local-secrets', true],
      ['stage.vars', true],
      ['shared.env', true],
      ['Dockerfile', true],
    ],
  );
});

test('compose env_file: one git tracks is scanned though .gitignore lists it; one git ignores is not', () => {
  const commit = (root: string) => {
    git(root, ['init', '-q']);
    git(root, ['add', '-A']);
    git(root, ['add', '-f', 'deploy/local-secrets']);
    git(root, ['commit', '-q', '-m', 'x']);
  };
  assert.deepEqual(
    inTree(TREE, findings, commit).filter(([code]) => code.startsWith('credential-')),
    [
      ['credential-aws-access-key-id', 'deploy/app-env', 2],
      ['credential-aws-access-key-id', 'deploy/local-secrets', 1],
    ],
  );
  const untracked = (root: string) => {
    git(root, ['init', '-q']);
    git(root, ['add', '-A']);
    git(root, ['commit', '-q', '-m', 'x']);
  };
  assert.deepEqual(
    inTree(TREE, findings, untracked).filter(([code]) => code.startsWith('credential-')),
    [['credential-aws-access-key-id', 'deploy/app-env', 1 + 1]],
  );
});

test('compose env_file: a path naming a variable with no default is unknown, not missing; a FIFO is not waited on', () => {
  const files = { ...TREE, 'deploy/docker-compose.yml': 'services:\n  web:\n    build: .\n    env_file: [app-env, "${WHICH}/x.env", fifo-env, bin-env]\n', 'deploy/bin-env': 'A=1\0\0\n' };
  const src = inTree(files, sources, (root) => assert.equal(spawnSync('mkfifo', [path.join(root, 'deploy', 'fifo-env')]).status, 0));
  const which = src.find((s) => s.label === '${WHICH}/x.env');
  assert.equal(which?.complete, false);
  assert.match(which?.incompleteReason ?? '', /names a variable Orchard cannot tell/);
  // A file there but not read (binary, a FIFO): unknown too.
  assert.deepEqual(src.filter((s) => s.label.endsWith('-env') && s.label !== 'app-env').map((s) => [s.label, s.complete, s.incompleteReason]), [
    ['fifo-env', false, 'fifo-env was not read (file-unreadable)'],
    ['bin-env', false, 'bin-env was not read (binary-file)'],
  ]);
  // Nothing is called missing while a source is unknown.
  const started = Date.now();
  const got = inTree(files, findings, (root) => assert.equal(spawnSync('mkfifo', [path.join(root, 'deploy', 'fifo-env')]).status, 0));
  assert.ok(Date.now() - started < 30_000);
  assert.deepEqual(got.filter(([code]) => code.startsWith('env-')), []);
  assert.ok(got.some(([, file]) => file === 'deploy/fifo-env'), `the FIFO is said to be unreadable: ${JSON.stringify(got)}`);
});

test('compose env_file: a warm check sees a change in a file only compose names', () => {
  inTree(TREE, (root) => {
    const run = () => findings(root).filter(([code]) => code.startsWith('credential-'));
    assert.deepEqual(run(), [['credential-aws-access-key-id', 'deploy/app-env', 2]]);
    writeFiles(root, { 'deploy/app-env': 'APP_MODE=1\n' });
    assert.deepEqual(run(), []);
    writeFiles(root, { 'deploy/stage.vars': `STAGE_KEY_ID=${TOKENS.AKIA}\n` });
    assert.deepEqual(run(), [['credential-aws-access-key-id', 'deploy/stage.vars', 1]]);
  });
});

test('compose env_file: a file outside the folder checked is not read, and said to be outside, not missing', () => {
  const src = inTree(TREE, (root) => (JSON.parse(cli(root, ['env', path.join(root, 'deploy'), '--format', 'json'])) as { sources: Source[] }[]).flatMap((a) => a.sources));
  const shared = src.find((s) => s.label === '../env/shared.env');
  assert.equal(shared?.complete, false);
  assert.equal(shared?.incompleteReason, 'env_file ../env/shared.env is outside the workspace: not read');
});

test("compose env_file: a path's variable takes the value the project's .env gives it, else its default", () => {
  const files = {
    'deploy/docker-compose.yml': 'services:\n  web:\n    build: .\n    env_file: ["vars/${STAGE:-dev}.vars"]\n',
    'deploy/Dockerfile': 'FROM python:3.12-slim\n',
    'deploy/vars/dev.vars': 'DEV_ONLY=1\n',
    'deploy/vars/prod.vars': 'STAGE_FLAG=1\n',
    'deploy/app.py': 'import os\nA = os.environ["STAGE_FLAG"]\n',
  };
  const envOf = (f: Record<string, string>) => inTree(f, findings).filter(([code]) => code.startsWith('env-'));
  const byDefault = [
    ['env-not-provided', 'deploy/app.py', 2],
    ['env-unused', 'deploy/vars/dev.vars', 1],
  ];
  assert.deepEqual(envOf(files), byDefault);
  assert.deepEqual(envOf({ ...files, 'deploy/.env': 'STAGE=prod\n' }), []);
  // An empty value does not replace a `:-` default.
  assert.deepEqual(envOf({ ...files, 'deploy/.env': 'STAGE=\n' }), byDefault);
});
