// Agreement of Orchard with the real figgy-lib and figgy-cli on every .py / .json file under the
// given folders (development tool; tests use the fixtures this produces, never the real tools).
//
//   FIGGY_LIB_SRC=<figgy.python.lib>/src FIGGY_CLI_SRC=<figgy-cli>/src \
//     npx tsx scripts/oracle/measure.ts [--verbose] [--write-expected] DIR...
//
// Which figgy-cli path answers for a JSON file: `figgy-secrets.json`, and any other file whose
// top-level keys have no "twig" and no "app_figs" but a "replicate_figs", is an owner's file
// (`sync --replication-only`); every other JSON file is checked with `config validate`.
// --write-expected writes `<file>.expected.json` next to each file with the tool's answer.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { initPython } from '../../server/src/parse/python';
import { compareJson, comparePython, viewJson, viewPython, type CliAnswer, type LibAnswer, type ReplicationAnswer } from '../../test/oracle/view';

const here = path.dirname(__filename);
const SEEDS = [0, 1, 2, 3, 4, 5, 6, 7];

function walk(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((n) => {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) return walk(p);
      return /\.(py|json)$/.test(n) && !n.endsWith('.expected.json') ? [p] : [];
    })
    .sort();
}

function python(script: string, pythonPath: string, args: string[], seed = 0): Record<string, unknown> {
  if (args.length === 0) return {};
  const out = execFileSync('python', [path.join(here, script), ...args], {
    env: { ...process.env, PYTHONPATH: pythonPath, PYTHONHASHSEED: String(seed) },
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out.toString('utf8')) as Record<string, unknown>;
}

function topKeys(file: string): string[] | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : undefined;
  } catch {
    return undefined;
  }
}

const FIGGY_KEYS = ['twig', 'app_figs', 'replicate_figs', 'shared_figs', 'merged_figs', 'replicate_from', 'import', 'namespace', 'app_parameters', 'shared_parameters', 'merged_parameters', 'replication_config'];

function hasFiggyKey(file: string): boolean {
  const keys = topKeys(file);
  // Unreadable JSON counts: a broken figgy.json is still a Figgy file.
  return keys === undefined ? /figgy/.test(path.basename(file)) || /"(twig|app_figs|replicate_figs)"/.test(readFileSync(file, 'utf8')) : keys.some((k) => FIGGY_KEYS.includes(k));
}

function importsOf(file: string): string[] {
  if (!file.endsWith('.json')) return [];
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as { import?: unknown };
    if (!Array.isArray(v.import)) return [];
    const stem = file.slice(0, -'.json'.length);
    return v.import.filter((i): i is string => typeof i === 'string').map((i) => path.resolve(stem, i));
  } catch {
    return [];
  }
}

export function isOwnerFile(file: string): boolean {
  if (path.basename(file) === 'figgy-secrets.json') return true;
  if (path.basename(file) === 'figgy.json') return false;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
    const keys = Object.keys(v);
    return keys.includes('replicate_figs') && !keys.includes('twig') && !keys.includes('app_figs');
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const write = args.includes('--write-expected');
  const dirs = args.filter((a) => !a.startsWith('--'));
  const lib = process.env.FIGGY_LIB_SRC;
  const cli = process.env.FIGGY_CLI_SRC;
  if (!lib || !cli || dirs.length === 0) {
    console.error('usage: FIGGY_LIB_SRC=... FIGGY_CLI_SRC=... tsx scripts/oracle/measure.ts [--verbose] [--write-expected] DIR...');
    process.exit(2);
  }
  await initPython();
  const files = dirs.flatMap(walk).map((f) => path.resolve(f));
  const py = files.filter((f) => f.endsWith('.py'));
  // A file another one imports is part of that one (figgy-cli looks in the folder named after the
  // importing file), and a JSON file without any Figgy key is not a Figgy file at all.
  const imported = new Set(files.flatMap(importsOf));
  const json = files.filter((f) => f.endsWith('.json') && !imported.has(f) && hasFiggyKey(f));
  const owner = json.filter(isOwnerFile);
  const plain = json.filter((f) => !owner.includes(f));
  const libAnswers = python('lib_oracle.py', lib, py) as Record<string, LibAnswer>;
  // figgy-cli derives a missing twig from `set(app_figs).pop()`, whose choice follows Python's string
  // hash seed: an answer that changes with the seed is no answer a user can rely on (an error).
  const runs = SEEDS.map((seed) => python('cli_oracle.py', `${cli}${path.delimiter}${here}`, plain, seed) as Record<string, CliAnswer>);
  const cliAnswers: Record<string, CliAnswer> = {};
  for (const f of plain) {
    const distinct = new Set(runs.map((r) => JSON.stringify(r[f])));
    cliAnswers[f] = distinct.size === 1 ? runs[0][f] : { verdict: 'error', error: `the answer depends on Python's hash seed (${distinct.size} different answers over ${SEEDS.length} seeds)` };
  }
  const replAnswers = python('cli_oracle.py', `${cli}${path.delimiter}${here}`, ['--replication-only', ...owner]) as Record<string, ReplicationAnswer>;

  const tally = { py: [0, 0], json: [0, 0], falseErrors: 0 };
  for (const f of py) {
    const a = libAnswers[f];
    const v = viewPython(f);
    const diff = comparePython(a, v);
    tally.py[1]++;
    if (!diff) tally.py[0]++;
    if (a.verdict === 'ok' && v.verdict === 'error') tally.falseErrors++;
    if (write) writeFileSync(`${f}.expected.json`, `${JSON.stringify({ tool: 'figgy-lib 1.0.0', ...a }, null, 2)}\n`);
    if (verbose || diff) console.log(`${diff ? 'DIFF' : 'same'} ${path.relative(process.cwd(), f)}${diff ? `: ${diff}` : ''}`);
  }
  for (const f of json) {
    const v = await viewJson(f);
    const c = cliAnswers[f];
    const r = replAnswers[f];
    const diff = compareJson(c, r, v);
    tally.json[1]++;
    if (!diff) tally.json[0]++;
    if ((c ?? r).verdict === 'ok' && v.verdict === 'error') tally.falseErrors++;
    if (write) {
      const body = c ? { tool: 'figgy-cli config validate', ...c } : { tool: 'figgy-cli config sync --replication-only', ...r };
      // Messages quote the absolute path of the file: keep only its name.
      const text = JSON.stringify(body, null, 2).split(`${path.dirname(f)}${path.sep}`).join('');
      writeFileSync(`${f}.expected.json`, `${text}\n`);
    }
    if (verbose || diff) console.log(`${diff ? 'DIFF' : 'same'} ${path.relative(process.cwd(), f)}${diff ? `: ${diff}` : ''}`);
  }
  console.log(`config.py: ${tally.py[0]}/${tally.py[1]} agree with figgy-lib`);
  console.log(`JSON:      ${tally.json[0]}/${tally.json[1]} agree with figgy-cli`);
  console.log(`total:     ${tally.py[0] + tally.json[0]}/${tally.py[1] + tally.json[1]}; error verdicts on files the tool accepts: ${tally.falseErrors}`);
}

void main();
