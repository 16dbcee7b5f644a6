// Random workspaces and backend states: no rule may throw (which would surface as internal-error),
// and "missing" is never claimed for a path whose environment reported a failure covering it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildWorkspace } from '../../server/src/model/build';
import { runRules, INTERNAL_ERROR } from '../../server/src/analysis/index';
import type { FigKind, MergePart } from '../../server/src/parse/types';
import { cls, ctx, fig, fj, loc, mergedList, py, rng, secrets, state, DENIED } from './helpers';

const seg = fc.constantFrom('a', 'b', 'app', 'svc', 'shared', 'dba', '${SERVICE_NAME}', '', 'x-y');
const pathArb = fc.tuple(fc.boolean(), fc.array(seg, { minLength: 0, maxLength: 4 })).map(([abs, s]) => `${abs ? '/' : ''}${s.join('/')}`);
const twigArb = fc.option(fc.constantFrom('/app/svc', '/app/svc/', '/app/other', 'app/svc', '/app', '/'), { nil: undefined });
const kindArb = fc.constantFrom<FigKind>('AppFig', 'SharedFig', 'ReplicatedFig', 'MergeFig');
const attrArb = fc.constantFrom('A', 'B', 'C', 'D');

const figArb = fc.record({ attr: attrArb, kind: kindArb, name: pathArb, source: fc.option(pathArb, { nil: undefined }), noName: fc.boolean(), pattern: fc.option(fc.oneof(pathArb, fc.array(fc.oneof(pathArb, attrArb.map((a) => ({ attr: a }))), { maxLength: 4 })), { nil: undefined }) });

test('property: no rule throws on arbitrary declarations and states', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(figArb, { maxLength: 6 }), { maxLength: 3 }),
      fc.array(fc.record({ twig: twigArb, app: fc.array(pathArb, { maxLength: 3 }), refs: fc.array(pathArb, { maxLength: 3 }), repl: fc.array(fc.tuple(pathArb, pathArb), { maxLength: 2 }) }), { maxLength: 3 }),
      fc.array(twigArb, { minLength: 3, maxLength: 3 }),
      fc.array(fc.tuple(pathArb, pathArb), { maxLength: 3 }),
      fc.array(pathArb, { maxLength: 6 }),
      fc.array(pathArb, { maxLength: 3 }),
      (classes, jsons, twigs, secretPairs, params, failed) => {
        const python = classes.map((figs, i) =>
          py(`file:///w/s${i % 2}/src/config.py`, [
            cls(
              'Figs',
              twigs[i],
              figs.map((f, k) => fig(f.attr, f.kind, f.name, { line: k + 3, source: f.source, pattern: f.pattern as string | (string | { attr: string })[] | undefined, noName: f.noName })),
            ),
          ]),
        );
        const figgyJson = jsons.map((j, i) =>
          fj(`file:///w/s${i}/figgy/figgy.json`, {
            twig: j.twig === undefined ? undefined : loc(j.twig, 1, 4),
            appFigs: j.app.map((a, k) => loc(a, 2 + k, 4)),
            replicateFigs: j.repl.map(([s, d], k) => ({ source: loc(s, 8 + k, 4), dest: loc(d, 8 + k, 30) })),
            mergedFigs: [{ dest: loc(j.app[0] ?? 'm', 12, 4), value: mergedList(12, j.refs.map((r) => `\${${r}}`)) }],
          }),
        );
        const sec = [secrets('file:///w/s0/figgy/figgy-secrets.json', secretPairs)];
        const ws = buildWorkspace({ python, figgyJson, secrets: sec });
        const st = [
          state('dev', { params, listed: ['/app'] }),
          state('qa', { params, listed: ['/'], failures: failed.map((prefix) => ({ prefix, failure: DENIED })) }),
        ];
        const fs = runRules(ctx(ws, st));
        assert.deepEqual(fs.filter((f) => f.code === INTERNAL_ERROR), []);
        for (const f of fs) {
          assert.ok(f.range && f.uri !== undefined);
          if (f.code === 'missing-in-env' && f.envs?.includes('qa')) {
            const path = (f.data as { path: string }).path;
            assert.ok(!failed.some((p) => p === '' || p === '/' || path === p.replace(/\/+$/, '') || path.startsWith(`${p.replace(/\/+$/, '')}/`)), path);
          }
        }
      },
    ),
    { numRuns: 150 },
  );
});

test('unknown merge parts and unnamed figs are tolerated', () => {
  const parts: MergePart[] = [{ kind: 'unknown', text: 'f()', range: rng(3, 0, 3) }];
  const f = fig('M', 'MergeFig', 'm', { line: 3 });
  f.pattern = { form: 'list', parts, range: rng(3, 0, 5) };
  const ws = buildWorkspace({ python: [py('file:///w/config.py', [cls('Figs', '/app/w', [f, fig('N', 'AppFig', '', { line: 4, noName: true })])])], figgyJson: [], secrets: [] });
  assert.deepEqual([...ws.services[0].expected.keys()], ['/app/w/m']);
  assert.deepEqual(runRules(ctx(ws, [])).filter((x) => x.code === INTERNAL_ERROR), []);
});
