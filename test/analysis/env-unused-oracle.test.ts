// env-unused decides most apps alone (an app that shares no source file with another is judged by its
// own reads, once per app object) and looks at apps together only where they share files. Checked
// against the rule's plain definition, every app against every other, on random workspaces where a
// .env is shared (compose passes it, another app's code loads it) and compose interpolates from it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initPython } from '../../server/src/parse/python';
import { buildWorkspace } from '../../server/src/model/build';
import { patchWorkspace, type Built } from '../../server/src/model/patch';
import { appVariables } from '../../server/src/model/appVariables';
import { consumedByRuntime } from '../../server/src/model/appReads';
import { envUnused } from '../../server/src/analysis/rules/env/unused';
import type { Finding, RuleContext } from '../../server/src/analysis/types';
import type { App, ProvidedVar, WorkspaceModel } from '../../server/src/model/types';
import { MODULES, editsArb, input, startArb, withVariant } from '../model/appsWorkspace.helpers';

before(async () => {
  await initPython();
});

const dirOf = (uri: string) => uri.slice(0, uri.lastIndexOf('/'));
const keyOf = (p: ProvidedVar) => `${p.uri}#${p.range.start.line}:${p.range.start.character}`;

function readable(app: App): boolean {
  if (app.opaque.length > 0 || app.pythonUris.length === 0 || (app.otherCodeUris?.length ?? 0) > 0) return false;
  return !app.framework || app.framework === 'flask' || app.framework === 'django' || app.framework === 'fastapi';
}

/** The rule as defined: every entry against the reads of every app holding it. */
function reference(ws: WorkspaceModel): Finding[] {
  const out: Finding[] = [];
  const interpolated = new Map<string, Set<string>>();
  for (const c of ws.envFiles?.compose ?? []) {
    const s = interpolated.get(dirOf(c.uri)) ?? new Set<string>();
    for (const i of c.interpolations) s.add(i.name);
    interpolated.set(dirOf(c.uri), s);
  }
  const used = new Set<string>();
  const unknown = new Set<string>();
  for (const app of ws.apps ?? []) {
    if (!readable(app)) for (const s of app.sources) for (const p of s.provides) unknown.add(keyOf(p));
    else for (const v of appVariables(app)) if (v.reads.length > 0) for (const p of v.provided) used.add(keyOf(p.v));
  }
  const reported = new Set<string>();
  for (const app of ws.apps ?? []) {
    if (!readable(app)) continue;
    const usedOptions = new Set<string>();
    for (const s of app.sources) for (const p of s.provides) if (used.has(keyOf(p)) && p.charm?.option) usedOptions.add(p.charm.option);
    for (const s of app.sources) {
      for (const p of s.provides) {
        const key = keyOf(p);
        // An entry the charm's own code reads (an option it handles itself) is in use.
        if (!p.userDefined || p.charm?.readByCharm || used.has(key) || unknown.has(key) || reported.has(key)) continue;
        if (p.charm?.option && usedOptions.has(p.charm.option)) continue;
        if (!p.family && consumedByRuntime(p.name, app.flaskPrefixes ?? [])) continue;
        if (s.kind === 'dotenv' && interpolated.get(dirOf(s.uri))?.has(p.name)) continue;
        reported.add(key);
        const what = p.charm?.option ? `option ${p.charm.option} (${p.family ? `${p.name}<KEY>` : p.name})` : p.name;
        out.push({ code: 'env-unused', severity: 'info', message: `${what} is not read by ${app.label}'s code`, uri: p.uri, range: p.range, tags: ['unnecessary'], data: { fix: 'remove-entry', name: p.charm?.option ?? p.name, appId: app.id } });
      }
    }
  }
  return out;
}

test('env-unused equals its plain definition, with and without apps sharing a .env', () => {
  let shared = 0;
  let found = 0;
  fc.assert(
    fc.property(startArb, (choice) => {
      const ws = buildWorkspace(input(choice));
      const ctx: RuleContext = { workspace: ws, envStates: new Map(), settings: { envs: [], severities: {} } };
      const got = envUnused.run(ctx);
      assert.deepEqual(got, reference(ws));
      found += got.length;
      const bEnv = (ws.apps ?? []).filter((a) => a.sources.some((s) => s.uri === 'file:///ws/b/.env'));
      if (bEnv.length > 1) shared++;
    }),
    { numRuns: 300, seed: 11 },
  );
  assert.ok(shared > 20, `workspaces where two apps share b/.env: ${shared}`);
  assert.ok(found > 300, `findings compared: ${found}`);
});

test('env-unused equals its plain definition over chains of edits (the last output patched where it can be)', () => {
  let steps = 0;
  fc.assert(
    fc.property(
      startArb,
      editsArb(1, 8),
      (start, edits) => {
        let cur = input(start);
        let built: Built = { input: cur, opts: {}, ws: buildWorkspace(cur) };
        const ctx = (ws: WorkspaceModel): RuleContext => ({ workspace: ws, envStates: new Map(), settings: { envs: [], severities: {} } });
        assert.deepEqual(envUnused.run(ctx(built.ws)), reference(built.ws));
        for (const [at, v] of edits) {
          const next = withVariant(cur, at, v);
          const ws = patchWorkspace(built, next) ?? buildWorkspace(next);
          assert.deepEqual(envUnused.run(ctx(ws)), reference(ws));
          steps++;
          cur = next;
          built = { input: next, opts: {}, ws };
        }
      },
    ),
    { numRuns: 150, seed: 12 },
  );
  assert.ok(steps > 500, `edits: ${steps}`);
});

test('env-unused with the same apps and other compose files (interpolation decides again)', () => {
  const ws = buildWorkspace(input(MODULES.map(() => 1)));
  const ctx = (w: WorkspaceModel): RuleContext => ({ workspace: w, envStates: new Map(), settings: { envs: [], severities: {} } });
  assert.deepEqual(envUnused.run(ctx(ws)), reference(ws));
  const compose = (ws.envFiles?.compose ?? []).map((c) => ({ ...c, interpolations: [] }));
  const other: WorkspaceModel = { ...ws, envFiles: { ...ws.envFiles!, compose } };
  const want = reference(other);
  assert.notDeepEqual(want, reference(ws), 'the interpolation mattered');
  assert.deepEqual(envUnused.run(ctx(other)), want);
});

test('an app that stops loading another app\'s .env: that app is judged alone again (ONLY_A becomes unused)', () => {
  const at = MODULES.findIndex((m) => m.uri === 'file:///ws/a/settings.py');
  const loadsB = MODULES[at].variants.findIndex((v) => v.includes('load_dotenv("../b/.env")'));
  const loadsOwn = MODULES[at].variants.findIndex((v) => v.includes('load_dotenv(".env")'));
  const first = input(MODULES.map((_, i) => (i === at ? loadsB : 0)));
  const built: Built = { input: first, opts: {}, ws: buildWorkspace(first) };
  const ctx = (w: WorkspaceModel): RuleContext => ({ workspace: w, envStates: new Map(), settings: { envs: [], severities: {} } });
  assert.deepEqual(envUnused.run(ctx(built.ws)), reference(built.ws));
  assert.ok(!reference(built.ws).some((f) => f.message.startsWith('ONLY_A ')), 'read by a while a loads b/.env');
  const ws = patchWorkspace(built, withVariant(first, at, loadsOwn));
  assert.ok(ws, 'the same imports: patched, not rebuilt');
  const want = reference(ws);
  assert.ok(want.some((f) => f.message.startsWith('ONLY_A ')), JSON.stringify(want.map((f) => f.message)));
  assert.deepEqual(envUnused.run(ctx(ws)), want);
});
