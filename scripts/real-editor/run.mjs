// Real-editor test runner: installs what is missing (cached), builds and packages the VSIX,
// seeds a temporary local store, starts code-server in its own process group, runs the UI test
// and/or the extension-host tests, always stops the group, then searches everything the run
// produced (page text, output channel and server logs, ext-host console) for the canary secrets.
// usage: node scripts/real-editor/run.mjs [--ui] [--ext] [--untrusted] [--no-setup] [--no-build]
// (default: all three: UI test, extension-host tests, UI test in Restricted Mode)
// --no-build packages dist/ as it is (faster iterations after `npm run build`).
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CACHE = process.env.EDITOR_CACHE || join(ROOT, '.cache', 'editor');
const RUN = join(CACHE, 'run');
const args = new Set(process.argv.slice(2));
const some = args.has('--ui') || args.has('--ext') || args.has('--untrusted') || args.has('--apps');
const wantUi = args.has('--ui') || !some;
const wantExt = args.has('--ext') || !some;
const wantUntrusted = args.has('--untrusted') || !some;
const wantApps = args.has('--apps') || !some;
const t0 = Date.now();
const times = {};
const log = (...a) => console.log(`[editor ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

function timed(name, fn) {
  const s = Date.now();
  const r = fn();
  times[name] = (Date.now() - s) / 1000;
  return r;
}
async function timedAsync(name, fn) {
  const s = Date.now();
  try { return await fn(); } finally { times[name] = (Date.now() - s) / 1000; }
}
function sh(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { cwd: opts.cwd ?? ROOT, stdio: opts.capture ? 'pipe' : 'inherit', encoding: 'utf8', env: { ...process.env, ...opts.env } });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (exit ${r.status})${opts.capture ? `\n${r.stdout}\n${r.stderr}` : ''}`);
  return r.stdout;
}

/** Runs a node driver script, echoing and keeping its output; resolves with the exit code. */
function runDriver(script, env, outFile, timeoutMs) {
  return new Promise((res) => {
    const child = spawn(process.execPath, [script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    const onData = (d) => { chunks.push(d); process.stdout.write(d); };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => { chunks.push(Buffer.from(`\n[runner] ${script} timed out after ${timeoutMs} ms\n`)); child.kill('SIGKILL'); }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); writeFileSync(outFile, Buffer.concat(chunks)); res(code ?? 1); });
  });
}

function killGroup(pid) {
  if (!pid) return;
  try { process.kill(-pid, 'SIGTERM'); } catch { return; }
  const end = Date.now() + 5000;
  while (Date.now() < end) {
    try { process.kill(-pid, 0); } catch { return; }
    spawnSync('sleep', ['0.1']);
  }
  try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
}

/** Files under `dir` (recursively) containing a needle, skipping `skip` directories. */
let searched = 0;
function filesContaining(dir, needles, skip) {
  const hits = [];
  const walk = (d) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      let st;
      try { st = statSync(p); } catch { continue; }
      if (st.isDirectory()) { if (!skip.includes(p)) walk(p); continue; }
      if (!st.isFile() || st.size > 50 * 1024 * 1024) continue;
      const text = readFileSync(p).toString('latin1');
      searched++;
      for (const needle of needles) if (text.includes(needle)) hits.push(`${p}: ${needle.slice(0, 6)}…`);
    }
  };
  walk(dir);
  return hits;
}

let csPid;
const cleanups = [];
const cleanup = () => {
  killGroup(csPid);
  csPid = undefined;
  while (cleanups.length) cleanups.pop()();
};
process.on('SIGINT', () => { cleanup(); process.exit(130); });
process.on('SIGTERM', () => { cleanup(); process.exit(143); });

let failed = false;
try {
  if (!args.has('--no-setup')) timed('setup', () => sh('bash', [join(ROOT, 'scripts/real-editor/setup.sh')]));
  rmSync(RUN, { recursive: true, force: true });
  mkdirSync(join(RUN, 'out'), { recursive: true });

  if (!args.has('--no-build')) timed('build', () => sh('npm', ['run', '-s', 'build']));
  const vsix = join(RUN, 'orchard.vsix');
  // Package from a snapshot of the build, so a concurrent `npm run build` in the checkout cannot
  // swap bundles under the test.
  const pkgDir = join(RUN, 'pkg');
  for (const f of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'schemas', 'syntaxes', 'resources']) {
    if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(pkgDir, f), { recursive: true });
  }
  // The dist files .vscodeignore lets into the VSIX (`!dist/<name>` or `!dist/*.<ext>`).
  const shipped = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n').filter((l) => l.startsWith('!dist/')).map((l) => l.slice('!dist/'.length).trim());
  const ships = (n) => shipped.some((g) => (g.startsWith('*.') ? n.endsWith(g.slice(1)) : n === g));
  for (const f of readdirSync(join(ROOT, 'dist')).filter(ships)) cpSync(join(ROOT, 'dist', f), join(pkgDir, 'dist', f));
  timed('package', () => sh(join(ROOT, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', vsix], { capture: true, cwd: pkgDir }));
  log(`packaged ${vsix} (${(statSync(vsix).size / 1024).toFixed(0)} KiB)`);

  // Canaries: a secret seeded in the store and a value typed during the test. Neither may show up.
  const canary = `CANARY${randomBytes(6).toString('hex')}`;
  const plainCanary = `PLAINCANARY${randomBytes(6).toString('hex')}`;
  const typedCanary = `TYPEDCANARY${randomBytes(6).toString('hex')}`;
  // An AWS access key id shape (AKIA + 16 base32 characters) the scanner must report, never echo.
  const keyCanary = `AKIA${Array.from(randomBytes(16), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('')}`;
  const store = join(RUN, 'store');
  const ws = join(RUN, 'ws');
  const example = join(ROOT, 'examples', 'flask-service');
  cpSync(existsSync(example) ? example : join(ROOT, 'test', 'editor', 'fixtures', 'flask-service'), ws, { recursive: true });
  timed('seed', () => sh(process.execPath, ['--import', 'tsx', 'scripts/real-editor/seed-store.ts', store], { env: { ORCHARD_CANARY: canary, ORCHARD_PLAIN_CANARY: plainCanary }, capture: true }));

  // The typed value reaches the ext-host test through a file outside the searched folder: an
  // environment variable would show up in code-server's own trace of its environment.
  const typedFile = join(mkdtempSync(join(tmpdir(), 'orchard-typed-')), 'value');
  writeFileSync(typedFile, typedCanary, { mode: 0o600 });
  cleanups.push(() => rmSync(dirname(typedFile), { recursive: true, force: true }));
  const settings = join(RUN, 'settings.json');
  writeFileSync(settings, JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'editor.hover.delay': 100,
    'orchard.environments': ['dev', 'qa'],
    'orchard.localStoreDir': store,
    // verbose traces put every protocol message into the output channel: the canary check covers them
    'orchard.trace.server': 'verbose',
    'orchard.refreshInterval': 0,
    // only matters when trust is on (the untrusted run): open restricted, without the modal prompt
    'security.workspace.trust.startupPrompt': 'never',
  }, null, 2));

  const startCs = (runDir, env) => {
    const line = timed(`code-server start${env.CS_TRUST ? ' (trust on)' : ''}`, () => sh('bash', [join(ROOT, 'scripts/real-editor/start-code-server.sh')], {
      capture: true, env: { RUN: runDir, VSIX: vsix, SETTINGS_JSON: settings, ...env },
    })).trim().split('\n').pop();
    const [port, pid] = line.split(' ');
    csPid = Number(pid);
    log(`code-server on 127.0.0.1:${port}, process group ${pid}`);
    return port;
  };
  const driverEnv = (port, workspace) => ({ CS_PORT: port, WS: workspace, OUT: join(RUN, 'out'), NODE_PATH: join(CACHE, 'driver', 'node_modules') });

  if (wantUi || wantExt) {
  const port = startCs(RUN, { ORCHARD_TYPED_CANARY_FILE: typedFile, CS_EXTRA_ARGS: `--log trace${wantExt ? ' --vscode-option enable-smoke-test-driver' : ''}` });
  const extDir = readdirSync(join(RUN, 'exts')).find((n) => n.startsWith('orchard-dev.orchard-'));
  if (!extDir) throw new Error('the VSIX did not install');

  const common = driverEnv(port, ws);
  if (wantUi) {
    const code = await timedAsync('ui test', () => runDriver(join(ROOT, 'test/editor/ui.js'), common, join(RUN, 'ui.log'), 240_000));
    log(`UI test: ${code === 0 ? 'passed' : 'FAILED'}`);
    failed ||= code !== 0;
  }
  if (wantExt) {
    const code = await timedAsync('extension-host tests', () => runDriver(join(ROOT, 'test/editor/ext-host.js'), {
      ...common,
      EXT_DEV: join(RUN, 'exts', extDir),
      EXT_TESTS: join(ROOT, 'test/editor/suite/index.js'),
    }, join(RUN, 'ext.log'), 240_000));
    log(`extension-host tests: ${code === 0 ? 'passed' : 'FAILED'}`);
    failed ||= code !== 0;
  }
  killGroup(csPid);
  csPid = undefined;
  }

  if (wantUntrusted) {
    // Workspace trust on and the folder never trusted: parse-only rules, no store access. A
    // non-Fig attribute is added so that a parse-level diagnostic proves the server did run.
    const ws2 = join(RUN, 'ws-untrusted');
    cpSync(ws, ws2, { recursive: true });
    const cfg = join(ws2, 'src', 'config.py');
    writeFileSync(cfg, readFileSync(cfg, 'utf8').replace(/^(\s+THIRD_WHEEL = .*)$/m, '$1\n    NOT_A_FIG = "plain text"'));
    const port = startCs(join(RUN, 'untrusted'), { CS_TRUST: '1', CS_EXTRA_ARGS: '--log trace' });
    const code = await timedAsync('untrusted UI test', () => runDriver(join(ROOT, 'test/editor/ui-untrusted.js'), driverEnv(port, ws2), join(RUN, 'ui-untrusted.log'), 180_000));
    log(`untrusted UI test: ${code === 0 ? 'passed' : 'FAILED'}`);
    failed ||= code !== 0;
    killGroup(csPid);
    csPid = undefined;
  }
  let wsApps;
  if (wantApps) {
    // The twelve-factor example with a plaintext key planted in a workflow that is never opened:
    // the Problems panel must report it, and nothing the editor shows may hold it in full.
    wsApps = join(RUN, 'ws-apps');
    cpSync(join(ROOT, 'examples', 'twelve-factor'), wsApps, { recursive: true });
    mkdirSync(join(wsApps, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(wsApps, '.github', 'workflows', 'deploy.yml'), `name: deploy\non: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      AWS_ACCESS_KEY_ID: ${keyCanary}\n    steps:\n      - run: ./deploy.sh\n`);
    const port = startCs(join(RUN, 'apps'), { CS_EXTRA_ARGS: '--log trace' });
    const code = await timedAsync('apps UI test', () => runDriver(join(ROOT, 'test/editor/ui-apps.js'), driverEnv(port, wsApps), join(RUN, 'ui-apps.log'), 180_000));
    log(`apps UI test: ${code === 0 ? 'passed' : 'FAILED'}`);
    failed ||= code !== 0;
    // The quick fix moved the key: the workflow now references a secret and holds no key.
    const wf = readFileSync(join(wsApps, '.github', 'workflows', 'deploy.yml'), 'utf8');
    if (code === 0 && (wf.includes(keyCanary) || !wf.includes('${{ secrets.AWS_ACCESS_KEY_ID }}'))) {
      failed = true;
      log(`apps UI test: the workflow was not rewritten to a secret reference:\n${wf}`);
    }
    killGroup(csPid);
    csPid = undefined;
  }
  cleanup();

  // Everything the run wrote except the store itself (which legitimately holds the values).
  // The apps workspace holds the planted key in its workflow file: everything else is searched.
  const hits = filesContaining(RUN, [canary, plainCanary, typedCanary, keyCanary], [store, ...(wsApps ? [wsApps] : [])]);
  const nSearched = searched;
  // positive control: the search does find a plain value where it is legitimately stored
  if (filesContaining(store, [plainCanary], []).length === 0) throw new Error('canary search is broken: the seeded plain value was not found in the store');
  if (hits.length) {
    failed = true;
    log(`CANARY LEAK in:\n  ${hits.join('\n  ')}`);
  } else log(`canary check: no secret in page text, output channel, server logs or ext-host console (${nSearched} files under ${RUN} searched)`);
} catch (e) {
  failed = true;
  log(`ERROR: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  cleanup();
}
log(`times (s): ${Object.entries(times).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
log(failed ? 'REAL-EDITOR TESTS FAILED' : 'REAL-EDITOR TESTS PASSED');
process.exit(failed ? 1 : 0);
