// model/git.ts: the work tree holding a folder, found without starting git where no `.git` exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trackedUnder, workTreeRoot } from '../../server/src/model/git';

test('workTreeRoot: none outside a repository; the top folder inside one, from any folder below it; trackedUnder lists what git tracks', () => {
  const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'orchard-git-')));
  try {
    const sub = path.join(tmp, 'repo', 'a', 'b');
    mkdirSync(sub, { recursive: true });
    // (os.tmpdir() is outside any repository on our machines and in CI.)
    assert.equal(workTreeRoot(sub), undefined);
    const repo = path.join(tmp, 'repo');
    assert.equal(spawnSync('git', ['init', '-q', repo]).status, 0);
    assert.equal(workTreeRoot(sub), repo);
    assert.equal(workTreeRoot(repo), repo);
    writeFileSync(path.join(sub, 'config.py'), 'X = 1\n');
    assert.equal(spawnSync('git', ['add', 'a/b/config.py'], { cwd: repo }).status, 0);
    assert.deepEqual([...(trackedUnder(repo) ?? [])], [path.join(sub, 'config.py')]);
    // A folder beside the repository is still outside it.
    mkdirSync(path.join(tmp, 'other'));
    assert.equal(workTreeRoot(path.join(tmp, 'other')), undefined);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
