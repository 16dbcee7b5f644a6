// The warm cache's walk replay (cli/checkCache.ts): the last walk is reused only while no folder it
// listed and no ignore file it looked for has changed; anything that could change the list of
// files (a file or folder added, removed or renamed, an ignore file edited, a folder's permissions)
// makes the caller walk again. File contents are not its concern (the fingerprint hashes them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fingerprint, replayWalk, walkStamps } from '../../server/src/cli/checkCache';
import { walkConfigFiles } from '../../server/src/model/scan';

function tree(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-replay-'));
  for (const d of ['svc/src', 'svc/figgy', 'app/deploy', 'app/local']) mkdirSync(path.join(root, d), { recursive: true });
  writeFileSync(path.join(root, 'svc/src/config.py'), 'from figgy.figs import *\n');
  writeFileSync(path.join(root, 'svc/figgy/figgy.json'), '{"twig": "/app/svc"}');
  writeFileSync(path.join(root, 'app/.env'), 'A=1\n');
  writeFileSync(path.join(root, 'app/local/.env'), 'B=2\n');
  writeFileSync(path.join(root, 'app/.gitignore'), 'nothing-yet\n');
  return root;
}

/** A walk and its stamps as if it had started 10 s from now (so nothing counts as changed around it). */
async function walked(root: string) {
  const walk = await walkConfigFiles(root, { syncIo: true });
  const stamps = walkStamps(walk, Date.now() + 10_000);
  assert.ok(stamps, 'stamped');
  return { walk, entry: { files: fingerprint(walk).files, walk: stamps } };
}

test('an unchanged tree replays its walk: the same files, the same ignored ones', async () => {
  const root = tree();
  try {
    writeFileSync(path.join(root, 'app/.gitignore'), '.env\n');
    const { walk, entry } = await walked(root);
    assert.ok(walk.ignored.size > 0, 'the ignore file matters here');
    const r = replayWalk(entry, root);
    assert.ok(r);
    assert.deepEqual(r.walk.files, walk.files);
    assert.deepEqual(r.walk.ignored, walk.ignored);
    assert.equal(r.walk.truncated, walk.truncated);
    // A file's content is not the listing's business: still replayed.
    writeFileSync(path.join(root, 'svc/src/config.py'), 'from figgy.figs import *\nclass Figs: pass\n');
    assert.ok(replayWalk(entry, root));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('whatever could change the list of files makes the caller walk again', async () => {
  const changes: [string, (root: string) => void][] = [
    ['a file added', (r) => writeFileSync(path.join(r, 'svc/src/other.py'), 'import os\n')],
    ['a file removed', (r) => unlinkSync(path.join(r, 'app/.env'))],
    ['a file renamed', (r) => renameSync(path.join(r, 'svc/figgy/figgy.json'), path.join(r, 'svc/figgy/old.json'))],
    ['a folder added', (r) => mkdirSync(path.join(r, 'svc/new'))],
    ['a folder removed', (r) => rmSync(path.join(r, 'app/deploy'), { recursive: true })],
    ['an ignore file edited', (r) => writeFileSync(path.join(r, 'app/.gitignore'), 'local/\n')],
    ['an ignore file added', (r) => writeFileSync(path.join(r, 'svc/.gitignore'), 'src/\n')],
    ['a folder made unreadable', (r) => chmodSync(path.join(r, 'app/local'), 0o000)],
  ];
  for (const [what, change] of changes) {
    const root = tree();
    try {
      const { entry } = await walked(root);
      change(root);
      assert.equal(replayWalk(entry, root), undefined, what);
    } finally {
      chmodSync(path.join(root, 'app/local'), 0o755);
      rmSync(root, { recursive: true, force: true });
    }
  }
});

test('a folder changed around the walk is not trusted: no stamps, so the next check walks', async () => {
  const root = tree();
  try {
    const walk = await walkConfigFiles(root, { syncIo: true });
    assert.equal(walkStamps(walk, Date.now()), undefined, 'folders created just now');
    assert.equal(walkStamps(await walkConfigFiles(root, {}), Date.now() + 10_000), undefined, 'an asynchronous walk records no listing');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
