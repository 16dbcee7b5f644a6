// The CLI's full collection between a scan and its model (cli/memory.ts): V8 hands out its
// collector at run time, and calling it frees what nothing references any more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectGarbage } from '../../server/src/cli/memory';

test('collectGarbage runs a full collection: an object only a WeakRef points to is gone after it', async () => {
  // A WeakRef's target stays alive until the job that made it ends: made in a function, checked later.
  const make = () => new WeakRef({ payload: new Array(1000).fill('x') });
  const ref = make();
  await new Promise((r) => setImmediate(r));
  assert.equal(collectGarbage(), true);
  assert.equal(ref.deref(), undefined);
  // Asked again, the same collector (no second run-time flag change).
  assert.equal(collectGarbage(), true);
});
