// Every test stage after typecheck and build (see package.json "test"):
//   1. real editor: the VSIX in code-server (UI, extension host, Restricted Mode) — installs are cached
//   2. Neovim as a second LSP client over stdio
//   3. unit, property, store, AWS (moto), protocol and built-bundle tests with node's test runner
// The node runner goes last so its summary closes the output; every stage runs even if an earlier
// one failed, and the exit code is non-zero if any failed.
// ORCHARD_SKIP_EDITOR=1 skips stages 1 and 2 for quick local runs (CI never sets it).
import { spawn } from 'node:child_process';

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const stages = [];
const t0 = Date.now();
if (process.env.ORCHARD_SKIP_EDITOR !== '1') {
  stages.push(['real editor (code-server)', await run(process.execPath, ['scripts/real-editor/run.mjs', '--no-build'])]);
  stages.push(['neovim', await run('bash', ['test/nvim/run.sh'])]);
} else {
  console.log('ORCHARD_SKIP_EDITOR=1: real-editor and Neovim stages skipped');
}
const unit = await run(process.execPath, ['scripts/run-tests.mjs']);
stages.push(['node test runner', unit]);

const count = (re) => Number(re.exec(unit.out)?.[1] ?? 0);
const unitPass = count(/^ℹ pass (\d+)$/m);
const unitFail = count(/^ℹ fail (\d+)$/m);
const other = stages.filter(([name]) => name !== 'node test runner');
const failedStages = stages.filter(([, r]) => r.code !== 0);
console.log('');
// CI shows the end of the output: say again, here, which tests failed and why (their own lines).
const FAILURE_LINE = /✖|\bFAIL(ED)?\b|^not ok|timed out|AssertionError|\bERROR\b|CANARY LEAK/;
for (const [name, r] of failedStages) {
  const lines = r.out.split('\n').filter((l) => FAILURE_LINE.test(l) && !/^ℹ fail/.test(l));
  console.log(`failures in ${name}:`);
  for (const l of lines.slice(0, 25)) console.log(`  ${l.trim().slice(0, 300)}`);
  if (lines.length > 25) console.log(`  … ${lines.length - 25} more lines in the output above`);
}
for (const [name, r] of stages) console.log(`stage ${r.code === 0 ? 'ok    ' : 'FAILED'} ${name}`);
console.log(`all stages in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
// One line in the plain form CI reads: unit tests counted one by one, each other stage as one test.
const passed = unitPass + other.filter(([, r]) => r.code === 0).length;
const failed = unitFail + other.filter(([, r]) => r.code !== 0).length + (unit.code !== 0 && unitFail === 0 ? 1 : 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedStages.length ? 1 : 0);
