// The twelve-factor half of `npm run bench`: a generated monorepo of apps (settings.py reading
// variables, .env, compose with a build context, every fourth a paas-charm charmcraft.yaml), cold
// check and one-line edit, beside CPython's ast.parse + yaml.safe_load of the same files in the same
// run. Prints measured numbers only.   ORCHARD_BENCH_APPS (default 2000), ORCHARD_BENCH_EDITS (30)
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parsePython } from '../server/src/parse/python';
import { toUri } from '../server/src/model/uris';
import { buildWorkspace } from '../server/src/model/build';
import { patchWorkspace, type Built } from '../server/src/model/patch';
import { IncrementalAnalyzer } from '../server/src/analysis/incremental';
import { coldIndex } from './coldIndex';

const APPS = Number(process.env.ORCHARD_BENCH_APPS ?? 2000);
const EDITS = Number(process.env.ORCHARD_BENCH_EDITS ?? 30);
const ms = (x: number) => `${x.toFixed(2)} ms`;

/**
 * An app's settings: reads with defaults (half provided), required reads, and one required read no
 * source provides (SENTRY_DSN), so every settings.py has a true finding to publish (the LSP bench
 * waits for each file's diagnostics).
 */
export function settingsPy(i: number): string {
  const lines = ['import os', 'import json', '', `APP_NAME = "app-${i}"`];
  for (let k = 0; k < 8; k++) lines.push(`SETTING_${k} = os.environ.get("APP${i}_SETTING_${k}", "${k}")`);
  lines.push(`DATABASE_URL = os.environ["DATABASE_URL"]`, `SECRET_KEY = os.environ["SECRET_KEY"]`, `SENTRY_DSN = os.environ["SENTRY_DSN"]`, `FEATURES = json.loads(os.getenv("FEATURES", "[]"))`, `DEBUG = os.environ.get("DEBUG", "false") == "true"`, '');
  return lines.join('\n');
}

function dotenv(i: number): string {
  const lines = [`# local values of app ${i}`, 'DATABASE_URL=postgres://app@db/app', 'SECRET_KEY=', 'DEBUG=true'];
  for (let k = 0; k < 8; k += 2) lines.push(`APP${i}_SETTING_${k}=v${k}`);
  return `${lines.join('\n')}\n`;
}

function compose(i: number): string {
  return `services:\n  app${i}:\n    build: .\n    env_file: .env\n    environment:\n      FEATURES: '["a"]'\n      APP${i}_SETTING_1: "1"\n    ports:\n      - "80${String(i % 100).padStart(2, '0')}:8000"\n`;
}

function charmcraft(i: number): string {
  return `name: app-${i}\ntype: charm\nbase: ubuntu@24.04\nplatforms:\n  amd64:\nsummary: s\ndescription: d\nextensions:\n  - flask-framework\nconfig:\n  options:\n    greeting:\n      type: string\n      default: hi\n    api-token:\n      type: secret\n`;
}

function stats(xs: number[]): { p50: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: s[Math.floor(s.length * 0.5)], p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] };
}

/** Writes app `i` under `root` (settings.py, .env, compose.yaml, every fourth a charm); its Python and YAML files. */
export function writeApp(root: string, i: number): { py: string; yamls: string[] } {
  const dir = path.join(root, `app-${i}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'settings.py'), settingsPy(i));
  writeFileSync(path.join(dir, '.env'), dotenv(i));
  writeFileSync(path.join(dir, 'compose.yaml'), compose(i));
  const yamls = [path.join(dir, 'compose.yaml')];
  if (i % 4 === 0) {
    mkdirSync(path.join(dir, 'charm'), { recursive: true });
    writeFileSync(path.join(dir, 'charm', 'charmcraft.yaml'), charmcraft(i));
    yamls.push(path.join(dir, 'charm', 'charmcraft.yaml'));
  }
  return { py: path.join(dir, 'settings.py'), yamls };
}

export async function twelveFactorBench(): Promise<void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-bench-12f-'));
  try {
    const py: string[] = [];
    const yamls: string[] = [];
    for (let i = 0; i < APPS; i++) {
      const app = writeApp(root, i);
      py.push(app.py);
      yamls.push(...app.yamls);
    }
    console.log(`twelve-factor monorepo: ${APPS} apps, ${py.length} settings.py, ${APPS} .env, ${yamls.length} YAML files`);
    const { scanned, ws, findings, tScan, tBuild, tRules } = await coldIndex(root);
    const settings = { envs: [], severities: {} };
    const tCold = tScan + tBuild + tRules;
    console.log(`twelve-factor cold check: scan+parse ${ms(tScan)}, build model (${ws.apps?.length ?? 0} apps) ${ms(tBuild)}, rules ${ms(tRules)} (${findings.length} findings); total ${ms(tCold)}`);

    // One-line edit in one settings.py, the language server's path: re-parse it, patch the last build
    // (model/patch.ts; a full build when it cannot), rerun the rules incrementally (runDelta).
    const target = py[Math.floor(py.length / 2)];
    const uri = toUri(target);
    const original = readFileSync(target, 'utf8');
    const analyzer = new IncrementalAnalyzer();
    analyzer.runDelta({ workspace: ws, envStates: new Map(), settings }, { parseOnly: true });
    let last: Built = { input: scanned, opts: {}, ws };
    const times: number[] = [];
    let changed = 0;
    for (let k = 0; k < EDITS; k++) {
      const edited = original.replace('"DEBUG", "false"', `"DEBUG", "false-${k}"`);
      const t0 = performance.now();
      const model = parsePython(edited, uri);
      const input = { ...last.input, python: last.input.python.map((m) => (m.uri === uri ? model : m)) };
      const ws2 = patchWorkspace(last, input, last.opts) ?? buildWorkspace(input);
      changed = analyzer.runDelta({ workspace: ws2, envStates: new Map(), settings }, { parseOnly: true }).changed.size;
      times.push(performance.now() - t0);
      last = { input, opts: last.opts, ws: ws2 };
    }
    const e = stats(times);
    console.log(`twelve-factor one-line edit (${EDITS} edits; server path: patch + incremental rules; last edit changed the findings of ${changed} file(s)): p50 ${ms(e.p50)} p95 ${ms(e.p95)}`);

    // The same files through CPython's own parsers, in the same run.
    const list = path.join(root, 'files.json');
    writeFileSync(list, JSON.stringify({ py, yamls, envs: py.map((p) => path.join(path.dirname(p), '.env')) }));
    const r = spawnSync('python3', ['-c', [
      'import ast, json, sys, time',
      'try:\n    import yaml\nexcept ImportError:\n    yaml = None',
      'f = json.load(open(sys.argv[1]))',
      't = time.perf_counter()',
      'for p in f["py"]: ast.parse(open(p).read())',
      'for p in f["envs"]: [l.split("=", 1) for l in open(p).read().splitlines() if "=" in l and not l.startswith("#")]',
      'if yaml:\n    for p in f["yamls"]: yaml.safe_load(open(p))',
      'print((time.perf_counter() - t) * 1000, "yaml" if yaml else "no-yaml")',
    ].join('\n'), list], { encoding: 'utf8' });
    if (r.status === 0) {
      const [tPy, how] = r.stdout.trim().split(/\s+/);
      const label = how === 'yaml' ? 'CPython ast.parse + yaml.safe_load + .env split' : 'CPython ast.parse + .env split (PyYAML not installed: YAML not loaded)';
      console.log(`twelve-factor comparison: orchard cold check ${ms(tCold)}; ${label} ${ms(Number(tPy))}; ratio ${(tCold / Number(tPy)).toFixed(2)}x`);
    } else {
      console.log(`twelve-factor comparison skipped: python3 failed (${r.stderr.trim().split('\n').pop()})`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
