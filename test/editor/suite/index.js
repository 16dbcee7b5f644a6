// Extension-host test entry (the run() contract of @vscode/test-electron's extensionTestsPath).
// A minimal sequential runner: loads every sibling *.test.js, each exporting `tests` as
// [name, async fn] pairs, runs them in order in the real extension host, and rejects if any failed.
const fs = require('fs');
const path = require('path');

exports.run = async function run() {
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  let failed = 0;
  let passed = 0;
  for (const f of files) {
    for (const [name, fn] of require(path.join(__dirname, f)).tests) {
      const t = Date.now();
      try {
        await fn();
        passed++;
        console.log(`TEST ok   ${name} (${Date.now() - t} ms)`);
      } catch (e) {
        failed++;
        console.log(`TEST FAIL ${name} (${Date.now() - t} ms): ${e && e.stack ? e.stack.split('\n').slice(0, 4).join(' | ') : e}`);
      }
    }
  }
  console.log(`TEST summary: ${passed} passed, ${failed} failed`);
  if (failed) throw new Error(`${failed} extension-host test(s) failed`);
};
