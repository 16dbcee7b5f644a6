// UI test of the twelve-factor and credential side in real VS Code (code-server): a charm app whose
// files are never opened still shows its problems in the Problems panel, a plaintext key in a
// workflow is reported without echoing it, a hover on a read names its sources, and the App
// Variables view lists the app's variables with ✓/✗ per source. Screenshots: ui-apps-*.png.
// env: CS_PORT, WS (workspace folder), OUT (artefacts dir). Run by scripts/real-editor/run.mjs.
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const port = process.env.CS_PORT;
const ws = process.env.WS;
const out = process.env.OUT;
const t0 = Date.now();
const log = (...a) => console.log(`[ui-apps ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
let snap = 0;

async function saveText(page, name) {
  // Without the screen-reader alert region: when a quick fix is focused, VS Code's code-action widget
  // announces "Context: <word at the diagnostic's start> at line …", i.e. the file's own text (here
  // the very key the quick fix replaces). That is the editor reading the document, not Orchard output.
  const text = await page.evaluate(() => {
    const aria = [...document.querySelectorAll('.monaco-aria-container')];
    const saved = aria.map((a) => a.innerText);
    for (const a of aria) a.innerText = '';
    const t = document.body.innerText;
    aria.forEach((a, i) => (a.innerText = saved[i]));
    return t;
  });
  fs.writeFileSync(path.join(out, `page-apps-${String(++snap).padStart(2, '0')}-${name}.txt`), text);
  return text;
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  let ok = false;
  try {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    log('workbench loaded');

    // 1. hover on a read in app.py: the sources and the charm's juju command
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type('app.py');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'app.py' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Enter');
    const line = page.locator('.monaco-editor .view-line', { hasText: 'FLASK_CREDENTIALS_USERNAME' }).first();
    await line.waitFor({ timeout: 30000 });
    await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first().waitFor({ timeout: 60000 });
    const token = line.locator('span > span', { hasText: 'FLASK_CREDENTIALS_USERNAME' }).first();
    const box = await token.boundingBox();
    await page.mouse.move(box.x + 2, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
    const hover = page.locator('.monaco-hover', { hasText: 'credentials' });
    await hover.first().waitFor({ state: 'visible', timeout: 30000 });
    const hoverText = await hover.first().innerText();
    log('hover text:', JSON.stringify(hoverText.slice(0, 400)));
    if (!/juju/.test(hoverText)) throw new Error('the hover does not say how to set the secret with juju');
    await saveText(page, 'hover');
    await page.screenshot({ path: path.join(out, 'ui-apps-hover.png') });
    await page.mouse.move(700, 880);

    // 2. the App Variables view: the app, its variables, ✓/✗ per source
    await page.locator('.activitybar .action-item a[aria-label^="Orchard"]').first().click();
    const sidebar = page.locator('.part.sidebar');
    const header = sidebar.locator('.pane-header', { hasText: 'App Variables' }).first();
    await header.waitFor({ timeout: 30000 });
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
    const appRow = sidebar.locator('.monaco-list-row', { hasText: 'greeter' }).first();
    await appRow.waitFor({ timeout: 30000 });
    if ((await appRow.getAttribute('aria-expanded')) !== 'true') await appRow.click();
    const varRow = sidebar.locator('.monaco-list-row', { hasText: 'SENTRY_DSN' }).first();
    await varRow.waitFor({ timeout: 30000 });
    log('variable row:', JSON.stringify(await varRow.innerText()));
    if (!/✗/.test(await varRow.innerText())) throw new Error('SENTRY_DSN is not marked missing in its sources');
    await saveText(page, 'apps-view');
    await page.screenshot({ path: path.join(out, 'ui-apps-view.png') });
    // 4. Problems of files nobody opened: the workflow's key (preview only) and the app's unprovided read.
    await page.keyboard.press('Control+Shift+M');
    const keyRow = page.locator('.markers-panel .monaco-list-row', { hasText: 'AWS access key id' });
    await keyRow.first().waitFor({ timeout: 90000 });
    log('Problems row:', JSON.stringify(await keyRow.first().innerText()));
    const readRow = page.locator('.markers-panel .monaco-list-row', { hasText: 'SENTRY_DSN is required here' });
    await readRow.first().waitFor({ timeout: 30000 });
    await saveText(page, 'problems');
    await page.screenshot({ path: path.join(out, 'ui-apps-problems.png') });

    // 5. Fix in one step: from the Problems row, the quick fix moves the key into the store and
    // replaces it with a GitHub secret reference (the driver of run.mjs then checks the file).
    await keyRow.first().dblclick();
    const keyLine = page.locator('.monaco-editor .view-line', { hasText: 'AWS_ACCESS_KEY_ID' }).first();
    await keyLine.waitFor({ timeout: 30000 });
    // The row selects the key itself; collapse the selection (VS Code's screen-reader text quotes a
    // selection) and stay inside the diagnostic's range.
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+.');
    const moveItem = page.locator('.action-widget .monaco-list-row', { hasText: 'Move AWS_ACCESS_KEY_ID to the parameter store' }).first();
    if (!(await moveItem.waitFor({ timeout: 10000 }).then(() => true, () => false))) {
      // (Seen on a loaded machine: the key press reached the Problems row the double-click came
      // from, not the editor, and no menu opened. Put the cursor in the key and ask again.)
      log('no quick fix menu after 10 s: clicking into the key and asking again');
      await keyLine.locator('span', { hasText: 'AKIA' }).first().click();
      await page.keyboard.press('Control+.');
      await moveItem.waitFor({ timeout: 30000 });
    }
    log('quick fix:', JSON.stringify(await moveItem.innerText()));
    await page.screenshot({ path: path.join(out, 'ui-apps-quickfix.png') });
    await moveItem.click();
    const input = page.locator('.quick-input-widget');
    await input.waitFor({ state: 'visible', timeout: 30000 });
    // Environment pick (when several), then the path, prefilled: accept both as offered.
    for (let i = 0; i < 2; i++) {
      await page.waitForTimeout(500);
      if (!(await input.isVisible())) break;
      log('prompt:', JSON.stringify((await input.innerText()).slice(0, 200)));
      await page.keyboard.press('Enter');
    }
    await page.locator('.monaco-editor .view-line', { hasText: 'secrets.AWS_ACCESS_KEY_ID' }).first().waitFor({ timeout: 30000 });
    const toast = page.locator('.notifications-toasts', { hasText: 'Moved AWS_ACCESS_KEY_ID' }).first();
    await toast.waitFor({ timeout: 30000 });
    log('toast:', JSON.stringify((await toast.innerText()).slice(0, 300)));
    await page.keyboard.press('Control+S');
    await page.waitForTimeout(1000);
    await saveText(page, 'moved');
    await page.screenshot({ path: path.join(out, 'ui-apps-moved.png') });

    // 6. the walkthrough a new user is offered
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type('Welcome: Open Walkthrough');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Walkthrough' }).first().click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with Orchard' }).first().click({ timeout: 30000 });
    await page.locator('.gettingStartedContainer', { hasText: 'Your first sync' }).first().waitFor({ timeout: 30000 });
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(out, 'ui-apps-walkthrough.png') });
    log('walkthrough shown');

    ok = true;
  } catch (e) {
    log('FAIL:', String(e && e.message).split('\n')[0]);
    await saveText(page, 'failure').catch(() => {});
    await page.screenshot({ path: path.join(out, 'ui-apps-failure.png') }).catch(() => {});
  } finally {
    await browser.close();
  }
  process.exit(ok ? 0 : 1);
})();
