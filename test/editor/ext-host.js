// Runs the extension-host suite (test/editor/suite/index.js, the run() contract of
// @vscode/test-electron's extensionTestsPath) inside code-server's Node extension host: the
// workbench URL payload names the extension and the tests; the exit code comes back through
// window.codeAutomationExit (needs code-server's --vscode-option enable-smoke-test-driver).
// env: CS_PORT, WS, EXT_DEV, EXT_TESTS, OUT, ORCHARD_TYPED_CANARY.
const { chromium } = require('playwright-core');
const path = require('path');

const port = process.env.CS_PORT;
const authority = `127.0.0.1:${port}`;
const remote = (p) => `vscode-remote://${authority}${p}`;
const payload = JSON.stringify([
  ['extensionDevelopmentPath', remote(process.env.EXT_DEV)],
  ['extensionTestsPath', remote(process.env.EXT_TESTS)],
  ['skipWelcome', 'true'],
]);
const url = `http://${authority}/?folder=${encodeURIComponent(process.env.WS)}&payload=${encodeURIComponent(payload)}`;

(async () => {
  const t0 = Date.now();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = await browser.newPage();
  const console_ = require('fs').createWriteStream(path.join(process.env.OUT, 'ext-host-console.log'));
  const done = new Promise((resolve) => {
    // everything goes to a file (searched for canaries); only test lines and errors to the console
    page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = (args || []).map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      console_.write(`[${type}] ${text}\n`);
      if (text.includes('TEST')) console.log('[ext-host]', text);
      else if (type === 'error') console.log('[ext-host error]', text.split('\n')[0].slice(0, 200));
    });
    page.exposeFunction('codeAutomationExit', (code) => resolve(code));
  });
  await page.goto(url);
  const code = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), 200000))]);
  if (code !== 0) await page.screenshot({ path: path.join(process.env.OUT, 'ext-failure.png') }).catch(() => {});
  console.log(`extension-host tests exit code: ${code} after ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  await browser.close();
  process.exit(code === 0 ? 0 : 1);
})();
