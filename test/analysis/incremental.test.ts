// IncrementalAnalyzer must equal runRules exactly (same findings, same order): on the rule fixtures
// (alone and all in one workspace) and on random edits of a generated multi-service workspace, where
// unchanged files keep their parsed model objects exactly as the language server's document cache does.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { parseFiggyJson } from '../../server/src/parse/figgyJson';
import { parseSecretsJson } from '../../server/src/parse/secretsJson';
import { initPython, parsePython } from '../../server/src/parse/python';
import { buildWorkspace, computeExpected, type BuildInput } from '../../server/src/model/build';
import { patchWorkspace, type Built } from '../../server/src/model/patch';
import { resolveImports } from '../../server/src/model/scan';
import { ALL_RULES, runRules } from '../../server/src/analysis/index';
import { IncrementalAnalyzer, sliceWorkspace } from '../../server/src/analysis/incremental';
import type { EnvState, Finding, Rule, RuleContext, Severity } from '../../server/src/analysis/types';
import { loadState, meta, walk } from './helpers';

before(async () => {
  await initPython();
});

const ROOT = join(__dirname, '..', 'fixtures', 'rules');

/** Fixture text without its `«code|text»` markers (their ranges are fixtures.test.ts's business). */
function stripMarkers(src: string): { text: string } {
  return { text: src.replace(/«[^|]*\|/g, '').replace(/»/g, '') };
}



function loadFixture(name: string, into: BuildInput): EnvState[] {
  const dir = join(ROOT, name);
  for (const file of walk(dir)) {
    const rel = relative(dir, file);
    const uri = `file:///fixture/${name}/${rel}`;
    const base = rel.split('/').pop()!;
    if (base !== 'figgy.json' && base !== 'figgy-secrets.json' && !base.endsWith('.py')) continue;
    const { text } = stripMarkers(readFileSync(file, 'utf8'));
    if (base.endsWith('.py')) into.python.push(parsePython(text, uri));
    else if (base === 'figgy.json') into.figgyJson.push(parseFiggyJson(text, uri));
    else into.secrets.push(parseSecretsJson(text, uri));
  }
  return loadState(join(dir, 'state.json'));
}

function same(ctx: RuleContext, opts: { parseOnly?: boolean; rules?: readonly Rule[] } = {}, a = new IncrementalAnalyzer()): void {
  const want = runRules(ctx, opts);
  assert.deepEqual(a.run(ctx, opts), want);
  // A second run over the same objects reuses every slice and still gives the same answer.
  assert.deepEqual(a.run(ctx, opts), want);
  assert.equal(a.stats.reused, a.stats.slices);
}

const FIXTURES = readdirSync(ROOT).filter((n) => statSync(join(ROOT, n)).isDirectory()).sort();

for (const name of FIXTURES) {
  test(`incremental equals runRules on fixture ${name} (with state, parse-only, severities)`, () => {
    const input: BuildInput = { python: [], figgyJson: [], secrets: [] };
    const states = loadFixture(name, input);
    const ws = buildWorkspace(input);
    const envStates = new Map(states.map((s) => [s.env, s]));
    const envs = states.map((s) => s.env);
    const base = runRules({ workspace: ws, envStates, settings: { envs, severities: {} } });
    assert.ok(base.length > 0, 'the fixture yields findings (a comparison of two empty lists proves nothing)');
    same({ workspace: ws, envStates, settings: { envs, severities: {} } });
    same({ workspace: ws, envStates, settings: { envs, severities: {} } }, { parseOnly: true });
    same({ workspace: ws, envStates, settings: { envs: [...envs].reverse(), severities: { 'figgy-json-drift': 'off', 'missing-in-env': 'hint', 'json-syntax': 'warning' } } });
  });
}

test('incremental equals runRules on all rule fixtures in one workspace', () => {
  const input: BuildInput = { python: [], figgyJson: [], secrets: [] };
  const states = new Map<string, EnvState>();
  for (const name of FIXTURES) for (const s of loadFixture(name, input)) if (!states.has(s.env)) states.set(s.env, s);
  const ws = buildWorkspace(input);
  assert.ok(sliceWorkspace(ws).length >= FIXTURES.length, 'fixtures in different folders are independent slices');
  same({ workspace: ws, envStates: states, settings: { envs: [...states.keys()], severities: {} } });
});

test('a rule that throws gives the same single internal finding as runRules', () => {
  const input: BuildInput = { python: [], figgyJson: [], secrets: [] };
  for (const name of FIXTURES) loadFixture(name, input);
  const ws = buildWorkspace(input);
  const ctx: RuleContext = { workspace: ws, envStates: new Map(), settings: { envs: [], severities: {} } };
  // A rule outside ALL_RULES runs whole-workspace.
  const boom: Rule = { code: 'boom', defaultSeverity: 'error', description: 'throws', needsBackend: false, run: () => { throw new TypeError('x'); } };
  const rules = [...ALL_RULES, boom];
  const a = new IncrementalAnalyzer();
  const got = a.run(ctx, { rules });
  assert.deepEqual(got, runRules(ctx, { rules }));
  assert.equal(got.filter((f) => f.code === 'internal-error').length, 1);
  // A slice-local rule that throws on one fixture's data: its findings from the other slices are dropped too.
  const victim = ALL_RULES.find((r) => r.code === 'legacy-key')!;
  const orig = victim.run;
  victim.run = (c) => {
    if (c.workspace.figgyJsonFiles.some((f) => f.uri.includes('/py-demo/'))) throw new TypeError('x');
    return orig(c);
  };
  try {
    const got2 = new IncrementalAnalyzer().run(ctx);
    const want = runRules(ctx);
    assert.ok(orig(ctx).length > 0, 'legacy-key has findings in other fixtures, which must be dropped');
    assert.deepEqual(got2, want);
    assert.equal(want.filter((f) => f.code === 'internal-error').length, 1);
  } finally {
    victim.run = orig;
  }
});

// ---------------------------------------------------------------------------------------------
// Random edits of a generated workspace

const N = 6;
const pyUri = (i: number) => `file:///ws/svc-${i}/src/config.py`;
const jsonUri = (i: number) => `file:///ws/svc-${i}/figgy/figgy.json`;

function configPy(i: number, v: number): string {
  const head = ['from figgy.figs import *', 'from figgy.fig_store import FigStore', `SERVICE_NAME: str = "svc-${i}"`, ''];
  const twig = v === 1 ? `/app/svc-${(i + 1) % N}` : v === 2 ? `/app/svc-0/sub-${i}` : `/app/svc-${i}`;
  const body = [
    'class Figs(FigStore):',
    `    TWIG = "${twig}"`,
    '    A = AppFig("a")',
    '    DB_PASS = SharedFig("db/pass")',
    '    HOST = ReplicatedFig("host", source="/shared/dns")',
    '    URL = MergeFig(name="url", pattern=["x://", DB_PASS, "@", HOST, "${/shared/other}"])',
  ];
  switch (v) {
    case 3:
      return [...head, ...body.slice(0, 3), '    B = AppFig("b'].join('\n');
    case 4:
      return [...head, ...body, '    A = AppFig("a2")', '    S = MergeFig(name="s", pattern="${/app/x}")', '    X = 3', `    R = ReplicatedFig("/shared/z", name="y")`, '', 'f = Figs(lazy_load=True)'].join('\n');
    case 5:
      return ['import os', 'X = 1'].join('\n');
    case 6:
      return [...head, ...body, '', 'class More(FigStore):', `    TWIG = "/app/svc-${i}-more"`, '    C = AppFig("c")'].join('\n');
    // Keystrokes: a name typed on, a line added above the Figs (every range below moves).
    case 7:
      return [...head, ...body.slice(0, 2), '    A = AppFig("ab")', ...body.slice(3)].join('\n') + '\n';
    case 8:
      return [...head, body[0], '    # a comment', ...body.slice(1)].join('\n') + '\n';
    default:
      return [...head, ...body].join('\n') + '\n';
  }
}

function figgyJson(i: number, v: number): string {
  const t = `/app/svc-${i}`;
  const base: Record<string, unknown> = {
    twig: t,
    app_figs: [`${t}/a`],
    shared_figs: [`${t}/db/pass`],
    replicate_figs: { '/shared/dns': `${t}/host` },
    merged_figs: { [`${t}/url`]: ['x://', `\${${t}/db/pass}`, '@', `\${${t}/host}`, '${/shared/other}'] },
  };
  switch (v) {
    case 1:
      return JSON.stringify({ ...base, app_figs: [`${t}/a`, `${t}/extra`, `${t}/a`], replicate_figs: { '/shared/dns2': `${t}/host` } });
    case 2:
      return '{ "twig": "' + t + '", "app_figs": [';
    case 3:
      return JSON.stringify({ app_parameters: [`${t}/a`], replicate_from: { source_twig: '/app/svc-0', figs: ['x'] } });
    case 4:
      return JSON.stringify({ ...base, twig: `/app/svc-${(i + 2) % N}` });
    case 5:
      return JSON.stringify({ ...base, import: ['../../common/figgy.json'] });
    default:
      return JSON.stringify(base);
  }
}

function secretsJson(v: number): string {
  const dests = v === 0 ? { '/dba/pass': '/app/${SERVICE_NAME}/db/pass' } : v === 1 ? { '/dba/pass': '/app/svc-1/db/pass', '/dba/user': '/app/svc-2/db/user' } : { '/dba/pass': '/app/svc-3/db/pass', '/dba/key': '/app/svc-3/a' };
  return JSON.stringify({ replicate_figs: dests });
}

const COMMON = JSON.stringify({ app_figs: ['/app/svc-0/common', '/app/svc-0/common'] });

function states(seed: number): Map<string, EnvState> {
  const mk = (env: string, k: number): EnvState => {
    const params = new Map<string, ReturnType<typeof meta>>();
    for (let i = 0; i < N; i++) {
      if ((i + k + seed) % 3 !== 0) params.set(`/app/svc-${i}/a`, meta(`/app/svc-${i}/a`));
      params.set(`/app/svc-${i}/host`, meta(`/app/svc-${i}/host`, '2023-01-01T00:00:00.000Z'));
      params.set(`/app/svc-${i}/stray-${k}`, meta(`/app/svc-${i}/stray-${k}`));
      params.set(`/app/svc-0/sub-${i}/a`, meta(`/app/svc-0/sub-${i}/a`));
    }
    params.set('/shared/dns', meta('/shared/dns', '2024-06-01T00:00:00.000Z'));
    return {
      env,
      params,
      listedPrefixes: Array.from({ length: N }, (_, i) => `/app/svc-${i}`).filter((_, i) => i !== seed % N),
      knownMissing: new Set(['/shared/other', '/dba/pass']),
      failures: [{ prefix: `/app/svc-${(seed + 1) % N}`, failure: { kind: 'access-denied', message: 'AccessDenied' } }],
      brokenMerges: new Set([`/app/svc-${(seed + 2) % N}/url`]),
    };
  };
  return new Map([
    ['dev', mk('dev', 0)],
    ['prod', mk('prod', 1)],
  ]);
}

/** Every service's config.py (variant 0) and figgy.json (the given variant), parsed, with the JSON texts. */
function startFiles(jsonVariant: (i: number) => number) {
  const texts = new Map<string, string>();
  const py = new Map<string, ReturnType<typeof parsePython>>();
  const raw = new Map<string, ReturnType<typeof parseFiggyJson>>();
  for (let i = 0; i < N; i++) {
    py.set(pyUri(i), parsePython(configPy(i, 0), pyUri(i)));
    texts.set(jsonUri(i), figgyJson(i, jsonVariant(i)));
    raw.set(jsonUri(i), parseFiggyJson(texts.get(jsonUri(i))!, jsonUri(i)));
  }
  return { texts, py, raw };
}

type Edit = { kind: 'py' | 'json' | 'secrets' | 'env' | 'settings'; i: number; v: number };

const SEVERITIES: Record<string, Severity>[] = [{}, { 'stray-parameter': 'off' }, { 'missing-in-env': 'warning', 'duplicate-declaration': 'off' }];

test('incremental equals runRules over random edits of a multi-service workspace', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({ kind: fc.constantFrom<Edit['kind']>('py', 'py', 'json', 'json', 'secrets', 'env', 'settings'), i: fc.nat({ max: N - 1 }), v: fc.nat({ max: 6 }) }),
        { minLength: 1, maxLength: 12 },
      ),
      async (edits: Edit[]) => {
        const { texts, py, raw } = startFiles((i) => (i === 4 ? 5 : 0));
        py.set('file:///ws/tools/app.py', parsePython('from figgy.fig_store import FigStore\nfrom config import Figs\nf = Figs(lazy_load=True)\n', 'file:///ws/tools/app.py'));
        texts.set('file:///ws/common/figgy.json', COMMON);
        let secrets = [parseSecretsJson(secretsJson(0), 'file:///ws/svc-1/figgy-secrets.json'), parseSecretsJson(secretsJson(2), 'file:///ws/figgy-secrets.json')];
        let env = states(0);
        let severities = SEVERITIES[0];
        const resolved = new Map<object, Awaited<ReturnType<typeof resolveImports>>>();
        const read = async (p: string) => {
          const t = texts.get(`file://${p}`);
          return t === undefined ? { unreadable: 'absent' } : { text: t };
        };
        const analyzer = new IncrementalAnalyzer();
        for (const e of [{ kind: 'settings', i: 0, v: 0 } as Edit, ...edits]) {
          if (e.kind === 'py') py.set(pyUri(e.i), parsePython(configPy(e.i, e.v), pyUri(e.i)));
          else if (e.kind === 'json') {
            texts.set(jsonUri(e.i), figgyJson(e.i, e.v % 6));
            raw.set(jsonUri(e.i), parseFiggyJson(texts.get(jsonUri(e.i))!, jsonUri(e.i)));
          } else if (e.kind === 'secrets') secrets = [secrets[0], parseSecretsJson(secretsJson(e.v % 3), 'file:///ws/figgy-secrets.json')];
          else if (e.kind === 'env') env = e.v % 3 === 0 ? new Map() : states(e.v);
          else severities = SEVERITIES[e.v % SEVERITIES.length];
          // Like the document cache: an unchanged file keeps its model object, imports are resolved once per model.
          const figgy = [];
          for (const m of raw.values()) {
            if (!resolved.has(m)) resolved.set(m, await resolveImports(m, read));
            figgy.push(resolved.get(m)!);
          }
          const ws = buildWorkspace({ python: [...py.values()], figgyJson: figgy, secrets });
          // buildWorkspace reuses `expected` of services whose inputs are unchanged objects: it must equal a fresh computation.
          for (const s of ws.services) assert.deepEqual(s.expected, computeExpected(s));
          const ctx: RuleContext = { workspace: ws, envStates: env, settings: { envs: ['dev', 'prod'], severities } };
          assert.deepEqual(analyzer.run(ctx), runRules(ctx));
          assert.deepEqual(analyzer.run(ctx, { parseOnly: true }), runRules(ctx, { parseOnly: true }));
          // One edited file leaves most slices untouched: their findings are reused, not recomputed.
          if (e.kind === 'py' || e.kind === 'json') assert.ok(analyzer.stats.reused > 0 && analyzer.stats.reused < analyzer.stats.slices + 1);
        }
        assert.equal(analyzer.stats.fallbacks, 0);
      },
    ),
    { numRuns: 60 },
  );
});

test('patched builds and delta runs over random edits equal fresh builds and runRules; unchanged files keep their arrays', async () => {
  let patchedBuilds = 0;
  let patchedRuns = 0;
  let patchedJson = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({ kind: fc.constantFrom<Edit['kind']>('py', 'py', 'py', 'py', 'json', 'secrets', 'env', 'settings'), i: fc.nat({ max: N - 1 }), v: fc.nat({ max: 8 }) }),
        { minLength: 1, maxLength: 15 },
      ),
      async (edits: Edit[]) => {
        const { py, raw } = startFiles(() => 0);
        let secrets = [parseSecretsJson(secretsJson(0), 'file:///ws/svc-1/figgy-secrets.json')];
        let env = states(0);
        let severities = SEVERITIES[0];
        const analyzer = new IncrementalAnalyzer();
        let built: Built | undefined;
        let last = new Map<string, Finding[]>();
        for (const e of edits) {
          if (e.kind === 'py') py.set(pyUri(e.i), parsePython(configPy(e.i, e.v), pyUri(e.i)));
          else if (e.kind === 'json') raw.set(jsonUri(e.i), parseFiggyJson(figgyJson(e.i, e.v % 5), jsonUri(e.i)));
          else if (e.kind === 'secrets') secrets = [parseSecretsJson(secretsJson(e.v % 3), 'file:///ws/svc-1/figgy-secrets.json')];
          else if (e.kind === 'env') env = e.v % 3 === 0 ? new Map() : states(e.v);
          else severities = SEVERITIES[e.v % SEVERITIES.length];
          const input: BuildInput = { python: [...py.values()], figgyJson: [...raw.values()], secrets };
          const fresh = buildWorkspace(input);
          const patched = built && patchWorkspace(built, input);
          if (patched) {
            patchedBuilds++;
            if (e.kind === 'json') patchedJson++;
            assert.deepEqual(patched, fresh);
          }
          const ws = patched ?? fresh;
          built = { input, opts: {}, ws };
          const ctx: RuleContext = { workspace: ws, envStates: env, settings: { envs: ['dev', 'prod'], severities } };
          const d = analyzer.runDelta(ctx);
          if (analyzer.stats.patched) patchedRuns++;
          const want = new Map<string, Finding[]>();
          for (const f of runRules(ctx)) want.set(f.uri, [...(want.get(f.uri) ?? []), f]);
          assert.deepEqual(new Map([...d.byUri].sort(([a], [b]) => (a < b ? -1 : 1))), want);
          // `changed` names exactly the files whose array is not last run's (or that are gone).
          for (const [uri, fs] of d.byUri) assert.equal(d.changed.has(uri), last.get(uri) !== fs, uri);
          for (const uri of d.changed) assert.ok(d.byUri.has(uri) || last.has(uri), uri);
          last = new Map(d.byUri);
        }
        assert.equal(analyzer.stats.fallbacks, 0);
      },
    ),
    { numRuns: 80 },
  );
  // Both fast paths were taken (not only the full build and run they must equal).
  assert.ok(patchedBuilds > 20 && patchedRuns > 20 && patchedJson > 5, `patched builds ${patchedBuilds} (${patchedJson} after a figgy.json edit), patched runs ${patchedRuns}`);
});
