// UI test: drives code-server's workbench in headless Chromium (playwright-core) against the
// example service. Checks what a user sees: squiggles and a Problems row for the parameter qa
// lacks, a hover with the redacted value, and the Fig Orchard tree listing both environments.
// The page text is saved at each step for the runner's canary search.
// env: CS_PORT, WS (workspace folder), OUT (artefacts dir). Run by scripts/real-editor/run.mjs.
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const port = process.env.CS_PORT;
const ws = process.env.WS;
const out = process.env.OUT;
const t0 = Date.now();
const log = (...a) => console.log(`[ui ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
let snap = 0;

async function saveText(page, name) {
  const text = await page.evaluate(() => document.body.innerText);
  fs.writeFileSync(path.join(out, `page-${String(++snap).padStart(2, '0')}-${name}.txt`), text);
  return text;
}

/** Runs a command from the palette (F1) by its full title, as a user would pick it. */
async function runCommand(page, title, expect) {
  // With `expect` (a locator the command shows), a palette that lost the keystrokes or the click
  // (the workbench busy right after a view opened) is tried again, up to three times.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type(title);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().click({ timeout: 15000 });
    if (!expect) return;
    try {
      await expect.waitFor({ timeout: 10000 });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      log(`"${title}" did not show what it should (attempt ${attempt}); again`);
      await page.keyboard.press('Escape');
    }
  }
}

/** Waits for a rendered Orchard view (a webview: code-server's service worker can take seconds) to show `heading`; returns its text. */
async function waitForView(page, heading) {
  const until = Date.now() + 30000;
  for (;;) {
    for (const f of page.frames()) {
      if (!/webview\/browser\/pre\/fake\.html/.test(f.url())) continue;
      const text = await f.evaluate(() => (document.body ? document.body.innerText : '')).catch(() => '');
      if (!text.startsWith(heading)) continue;
      const el = await f.frameElement().catch(() => undefined);
      const visible = el && (await el.evaluate((e) => e.id === 'active-frame' && getComputedStyle(e).visibility === 'visible').catch(() => false));
      if (visible) { await page.waitForTimeout(300); return text; }
    }
    if (Date.now() > until) {
      const seen = await Promise.all(page.frames().filter((f) => /webview/.test(f.url())).map(async (f) => `${f.url().replace(/^.*\/pre\//, '')}: ${JSON.stringify((await f.evaluate(() => (document.body ? document.body.innerText : '')).catch(() => '')).slice(0, 60))}`));
      throw new Error(`the view "${heading}" was not rendered within 30 s; webview frames: ${seen.join(' | ')}`);
    }
    await page.waitForTimeout(250);
  }
}

async function expandRow(sidebar, label) {
  const row = sidebar.locator('.monaco-list-row', { has: sidebar.page().locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
  await row.waitFor({ timeout: 30000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  return row;
}

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  let ok = false;
  const timings = {};
  const mark = (k, since) => { timings[k] = ((Date.now() - since) / 1000).toFixed(1); };
  try {
    let s = Date.now();
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    mark('workbench', s);
    log('workbench loaded');

    // open src/config.py through Quick Open
    s = Date.now();
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').waitFor();
    await page.keyboard.type('config.py');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'config.py' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-line', { hasText: 'class Figs(FigStore)' }).waitFor({ timeout: 30000 });
    log('config.py open');

    // 1. diagnostics: a squiggle, and the Problems panel naming the parameter qa lacks
    await page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').first().waitFor({ timeout: 90000 });
    mark('first squiggle', s);
    log('squiggle shown');
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'third-wheel' }).filter({ hasText: 'missing in qa' });
    await row.first().waitFor({ timeout: 30000 });
    log('Problems row:', JSON.stringify(await row.first().innerText()));
    // One problem, one row: not again under figgy.json (which declares it too).
    await page.waitForTimeout(1500);
    const rows = await row.count();
    if (rows !== 1) throw new Error(`third-wheel missing in qa is in the Problems panel ${rows} times`);
    await saveText(page, 'problems');
    await page.screenshot({ path: path.join(out, 'ui-problems.png') });

    // 2. hover on the SQL_PASSWORD declaration: status per environment, value redacted
    s = Date.now();
    await page.keyboard.press('Escape');
    const line = page.locator('.monaco-editor .view-line', { hasText: 'SQL_PASSWORD = SharedFig' }).first();
    const token = line.locator('span > span', { hasText: 'replicated/sql/password' }).first();
    await token.waitFor({ timeout: 10000 });
    const hover = page.locator('.monaco-hover', { hasText: '/app/demo-service/replicated/sql/password' });
    // Code lenses arrive after the squiggles and push the lines down: aim at where the token is now,
    // and aim again if the layout moved under the pointer.
    for (let attempt = 1; ; attempt++) {
      const box = await token.boundingBox();
      await page.mouse.move(box.x + 2, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
      const shown = await hover.first().waitFor({ state: 'visible', timeout: 10000 }).then(() => true, () => false);
      if (shown) break;
      if (attempt === 3) throw new Error('no hover on replicated/sql/password after 3 attempts');
      log(`hover: not shown (attempt ${attempt}), aiming again`);
      await page.mouse.move(700, 880);
    }
    const hoverText = await hover.first().innerText();
    mark('hover', s);
    log('hover text:', JSON.stringify(hoverText.slice(0, 400)));
    if (!hoverText.includes('••••••')) throw new Error('hover does not show a redacted value');
    if (!/\bdev\b/.test(hoverText) || !/\bqa\b/.test(hoverText)) throw new Error('hover does not name both environments');
    await saveText(page, 'hover');
    await page.screenshot({ path: path.join(out, 'ui-hover.png') });
    await page.mouse.move(700, 880);

    // 3. the Fig Orchard tree: both environments list the service's parameters
    s = Date.now();
    await page.locator('.activitybar .action-item a[aria-label^="Orchard"]').first().click();
    const sidebar = page.locator('.part.sidebar');
    // a container with a single view shows it as "Orchard: Fig Orchard" in the title
    await sidebar.locator('.title-label, .pane-header', { hasText: 'Fig Orchard' }).first().waitFor({ timeout: 30000 });
    for (const env of ['dev', 'qa']) {
      await sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: env }).first().waitFor({ timeout: 30000 });
    }
    await expandRow(sidebar, 'dev');
    await expandRow(sidebar, 'app');
    await expandRow(sidebar, 'demo-service');
    await sidebar.locator('.monaco-list-row', { hasText: 'secret-admirer' }).first().waitFor({ timeout: 30000 });
    await saveText(page, 'tree-dev');
    log('tree: dev lists secret-admirer');
    // collapse everything, then the same path in qa, which lacks secret-admirer
    await sidebar.hover();
    await sidebar.locator('.action-label[aria-label^="Collapse All"]').first().click();
    await expandRow(sidebar, 'qa');
    await expandRow(sidebar, 'app');
    await expandRow(sidebar, 'demo-service');
    await sidebar.locator('.monaco-list-row', { hasText: 'admired-person' }).first().waitFor({ timeout: 30000 });
    // qa lacks secret-admirer: it is there as a missing entry, and the qa node counts what qa lacks
    const missingRow = sidebar.locator('.monaco-list-row', { hasText: 'secret-admirer' }).filter({ hasText: 'missing in qa' });
    await missingRow.first().waitFor({ timeout: 30000 });
    const qaRow = await sidebar.locator('.monaco-list-row[aria-level="1"]', { hasText: 'qa' }).first().innerText();
    if (!/\d+ missing/.test(qaRow)) throw new Error(`the qa node does not count what qa lacks: ${JSON.stringify(qaRow)}`);
    const bar = await page.locator('.statusbar-item', { hasText: 'Orchard:' }).first().innerText();
    log('status bar:', JSON.stringify(bar), 'qa node:', JSON.stringify(qaRow));
    if (!/qa ✗\d+/.test(bar)) throw new Error(`the status bar does not show what qa lacks: ${JSON.stringify(bar)}`);
    mark('tree', s);
    log('tree: qa lists admired-person, and secret-admirer as missing');
    await saveText(page, 'tree-qa');
    await page.screenshot({ path: path.join(out, 'ui-tree.png') });

    // 3b. Sync: the plan rendered beside the editor, and the dialog's counts are the Problems panel's
    await runCommand(page, 'Orchard: Sync Service');
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'demo-service' }).first();
    if (await pick.isVisible({ timeout: 3000 }).catch(() => false)) await pick.click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30000 });
    const dialogText = await dialog.innerText();
    log('sync dialog:', JSON.stringify(dialogText.slice(0, 300)));
    const problems = Number((await page.locator('.statusbar-item', { hasText: /\d/ }).filter({ has: page.locator('.codicon-error') }).first().innerText().catch(() => '')).match(/\d+/)?.[0] ?? NaN);
    const qaMissing = Number(/qa: (\d+) missing/.exec(dialogText)?.[1] ?? NaN);
    log('dialog qa missing:', qaMissing, 'errors in the status bar:', problems);
    if (!(qaMissing > 0) || qaMissing !== problems) throw new Error(`the sync dialog says qa: ${qaMissing} missing, the Problems count is ${problems}`);
    await page.screenshot({ path: path.join(out, 'ui-sync.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 10000 });
    // the plan itself, in its one reusable tab
    await page.locator('.tab', { hasText: 'Orchard Sync Plan' }).first().waitFor({ timeout: 15000 });
    await waitForView(page, 'Sync plan: /app/demo-service');
    await page.screenshot({ path: path.join(out, 'ui-sync-plan.png') });

    // 3c. Compare, rendered as a table in its own reusable tab
    await runCommand(page, 'Orchard: Compare Across Environments');
    await page.locator('.quick-input-widget', { hasText: 'Path prefix to compare' }).waitFor({ timeout: 15000 });
    await page.locator('.quick-input-widget input').fill('/app/demo-service');
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'Orchard Compare' }).first().waitFor({ timeout: 15000 });
    const cmp = await waitForView(page, 'Compare: /app/demo-service/');
    if (!/secret-admirer\s+✓ A 🔒\s+✗ missing\s+no/.test(cmp)) throw new Error(`compare table row not rendered: ${JSON.stringify(cmp.slice(0, 400))}`);
    log('compare view rendered:', JSON.stringify(cmp.split('\n').find((l) => l.includes('secret-admirer'))));
    const tabs = await page.locator('.tab', { hasText: /^Orchard (Sync Plan|Compare)/ }).all();
    const groups = new Set(await Promise.all(tabs.map((t) => t.evaluate((e) => e.closest('.editor-group-container') && [...document.querySelectorAll('.editor-group-container')].indexOf(e.closest('.editor-group-container'))))));
    if (groups.size !== 1) throw new Error(`Orchard views spread over ${groups.size} editor groups`);
    await page.screenshot({ path: path.join(out, 'ui-compare.png') });

    // 3d. History of a secret from the palette (environment, then path): versions, no value
    // The compare webview just opened can take the focus once it has loaded, which closes a quick
    // input (as it would for a user): the two prompts are tried again from the start then.
    for (let attempt = 1; ; attempt++) {
      try {
        await runCommand(page, 'Orchard: Show History', page.locator('.quick-input-widget input[placeholder="Environment"]'));
        await page.keyboard.type('dev');
        await page.keyboard.press('Enter');
        await page.locator('.quick-input-widget', { hasText: 'Full parameter path in dev' }).waitFor({ timeout: 15000 });
        await page.locator('.quick-input-widget input').fill('/app/demo-service/replicated/sql/user', { timeout: 10000 });
        await page.keyboard.press('Enter');
        break;
      } catch (e) {
        if (attempt >= 3) throw e;
        log(`Show History prompts lost (attempt ${attempt}: ${String(e && e.message).split('\n')[0]}); again`);
        await page.keyboard.press('Escape');
      }
    }
    const hist = await waitForView(page, '/app/demo-service/replicated/sql/user — dev');
    if (!/Version\s+Type\s+Modified/.test(hist) || !/SecureString/.test(hist)) throw new Error(`history table not rendered: ${JSON.stringify(hist.slice(0, 300))}`);
    log('history view rendered:', JSON.stringify(hist.split('\n').filter(Boolean).slice(0, 4)));
    await page.screenshot({ path: path.join(out, 'ui-history.png') });

    // 3e. Regenerate figgy.json from the palette: the example's figgy.json differs from what
    // ConfigWriter writes only by its final newline, and the toast says so
    await runCommand(page, 'Orchard: Regenerate figgy.json from config.py');
    await page.locator('.tab', { hasText: 'figgy.json' }).first().waitFor({ timeout: 30000 });
    // The toast, or (when the workbench already moved it to the notification centre) the centre
    let regen = page.locator('.notifications-toasts', { hasText: 'regenerated (formatting only)' }).first();
    if (!(await regen.waitFor({ timeout: 10000 }).then(() => true, () => false))) {
      await runCommand(page, 'Notifications: Show Notifications');
      regen = page.locator('.notifications-center', { hasText: 'regenerated (formatting only)' }).first();
      await regen.waitFor({ timeout: 15000 });
    }
    log('regenerate toast:', JSON.stringify((await regen.innerText()).slice(0, 200)));
    await page.screenshot({ path: path.join(out, 'ui-regenerate.png') });

    // 4. the output channel, visible part (its full text is in the log files the runner searches)
    await runCommand(page, 'Orchard: Show Output');
    await page.locator('.output-view, .panel .monaco-editor').first().waitFor({ timeout: 15000 });
    await saveText(page, 'output');
    ok = true;
  } catch (e) {
    log('FAIL:', String(e && e.message).split('\n')[0]);
    await page.screenshot({ path: path.join(out, 'ui-failure.png') }).catch(() => {});
    await saveText(page, 'failure').catch(() => {});
  } finally {
    await browser.close();
  }
  log(`timings (s): ${JSON.stringify(timings)}`);
  log(ok ? 'UI TEST PASSED' : 'UI TEST FAILED');
  process.exit(ok ? 0 : 1);
})();
