// PerAppList patches a joined list where apps were replaced in place. Over random sequences of
// apps lists (apps replaced, added, removed, reordered; parts of any length), the list must equal
// every part joined in order, parts must be asked for only for apps not at the same place as last
// time, and an unchanged apps list must give the very same list object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PerAppList } from '../../server/src/analysis/perAppList';
import type { App } from '../../server/src/model/types';

const app = (id: number): App => ({ id: `a${id}`, label: '', root: '', kind: 'folder', pythonUris: [], reads: [], sources: [], opaque: [], logged: [] });

test('PerAppList equals the parts joined in order, asking only for replaced apps', () => {
  let patched = 0;
  fc.assert(
    fc.property(
      fc.array(fc.nat(6), { minLength: 0, maxLength: 40 }),
      fc.array(fc.oneof(fc.record({ replace: fc.array(fc.nat(39), { maxLength: 4 }) }), fc.record({ resize: fc.nat(40) })), { minLength: 1, maxLength: 8 }),
      (sizes, steps) => {
        const parts = new Map<App, number[]>();
        const make = (n: number) => {
          const a = app(parts.size);
          parts.set(a, Array.from({ length: n }, (_, k) => parts.size * 100 + k));
          return a;
        };
        let apps = sizes.map(make);
        const list = new PerAppList<number>();
        const asked: App[] = [];
        const partOf = (a: App) => (asked.push(a), parts.get(a)!);
        let last = list.join(apps, partOf);
        for (const step of steps) {
          let next = apps.slice();
          if ('replace' in step) {
            for (const i of step.replace) if (i < next.length) next[i] = make(i % 5);
          } else {
            next = Array.from({ length: step.resize }, (_, i) => (i < apps.length && i % 3 ? apps[i] : make(i % 4)));
          }
          asked.length = 0;
          const got = list.join(next, partOf);
          assert.deepEqual(got, next.flatMap((a) => parts.get(a)!));
          if (next.length === apps.length) {
            patched++;
            for (const a of asked) assert.ok(!apps.includes(a) || apps.indexOf(a) !== next.indexOf(a), 'asked for an app at the same place');
          }
          assert.equal(list.join(next, partOf), got, 'the same list when nothing changed');
          last = got;
          apps = next;
        }
        void last;
      },
    ),
    { numRuns: 300, seed: 21 },
  );
  assert.ok(patched > 300, `patched joins: ${patched}`);
});
