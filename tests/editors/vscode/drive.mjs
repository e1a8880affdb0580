// Playwright (playwright-core + Debian chromium) driver for the http-status-ls VS Code extension
// running in code-server. Started by run.sh, which installs the packaged .vsix and starts code-server.
// Env: CS_URL (code-server base URL), WS (absolute folder opened), LSP_FILE (file in WS), OUT (results),
//      LOGS (code-server's logs folder: the client's trace shows what the server was sent),
//      SETTINGS (absolute path of the user settings.json, edited live to test `http-status-ls.rules`),
//      CHROMIUM (default /usr/bin/chromium), SCREENSHOTS=docs also writes the small README images.
// Steps on an axum handler registered with `post(login)` that returns `StatusCode::FOUND`:
// the squiggle + the Problems panel row, the status-bar item, the hover ("302 Found"), a live change
// of `http-status-ls.rules` (warning -> error without a restart), the quick fix via Ctrl+. and the
// document then saying `StatusCode::SEE_OTHER`, and "http-status-ls: Restart server".
// MODE=missing: http-status-ls.path points at no file; expects the install notification instead.
// MODE=crossfile: LSP_FILE is an Express handler whose `POST` is declared in another file
// (routes/cart.js): expects the redirect-changes-method squiggle and Problems row, nothing more.
// EXPECT_SOURCE (e.g. "bundled with the extension"): the client's log must say the server was
// started from there (run.sh sets it when the server is the one a platform .vsix carries).
// Writes OUT/result.json (per-step ms + checks) and screenshots; exit 0 pass, 1 a check failed, 2 crash.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const E = process.env;
const out = E.OUT;
const BEFORE = E.MODE === 'crossfile' ? 'res.redirect("/cart")' : 'StatusCode::FOUND';
const AFTER = 'StatusCode::SEE_OTHER';
const HOVER_TOKEN = 'FOUND';
const EXPECT_HOVER = '302 Found';
const FIX_TITLE = '303 See Other';
fs.mkdirSync(out, { recursive: true });
const res = { steps: {}, checks: {} };
const t0 = Date.now();
let page;

async function step(name, fn) { // times each step, records the error and a screenshot, keeps going
  const s = Date.now();
  try {
    await fn();
    if (!(name in res.checks)) res.checks[name] = true;
  } catch (e) {
    res.checks[name] = false;
    res[`${name}_error`] = String(e).split('\n')[0].slice(0, 400);
    await page?.screenshot({ path: path.join(out, `fail-${name}.png`) }).catch(() => {});
  } finally {
    res.steps[name] = Date.now() - s;
  }
}

function traceLogs() { // the client's log files (output channels are files under code-server's logs folder)
  const logs = [];
  const walk = (d) => { for (const f of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, f.name);
    if (f.isDirectory()) walk(p); else if (f.name.includes('http-status-ls')) logs.push(p);
  } };
  walk(E.LOGS);
  return logs;
}

async function checkSource() { // which binary the extension started, from its log
  const started = () => traceLogs().flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'))
    .filter((l) => l.includes('starting '));
  for (let i = 0; i < 50 && started().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  res.server_started = started()[0]?.replace(/^.*starting /, '') ?? null;
  res.checks.server_source = !E.EXPECT_SOURCE || (res.server_started ?? '').includes(`(${E.EXPECT_SOURCE})`);
}

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-chromium-'));
// Playwright refuses --user-data-dir in args: a fresh profile is launchPersistentContext(dir).
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: E.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage'],
});
let code = 2;
try {
  page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(15000);
  const shot = (name, opts = {}) => page.screenshot({ path: path.join(out, `${name}.png`), ...opts });
  const line = (text) => page.locator('.monaco-editor .view-line', { hasText: text }).first();
  // the on-screen box of `token` in the editor (text nodes; the line is split into token spans)
  const boxOf = (token) => page.evaluate((token) => {
    for (const l of document.querySelectorAll('.monaco-editor .view-line')) {
      const walker = document.createTreeWalker(l, NodeFilter.SHOW_TEXT);
      for (let n; (n = walker.nextNode());) {
        const i = n.textContent.indexOf(token);
        if (i < 0) continue;
        const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + token.length);
        const b = r.getBoundingClientRect();
        return { x: b.x + b.width / 2, y: b.y + b.height / 2, left: b.x, top: b.y };
      }
    }
    return null;
  }, token);
  // a screenshot clipped to the editor around a widget, for the README (small PNGs)
  const docShot = async (name, widget) => {
    if (E.SCREENSHOTS !== 'docs') return;
    const editor = await page.locator('.editor-group-container .monaco-editor').first().boundingBox();
    const w = widget ? await page.locator(widget).first().boundingBox() : null;
    const x = Math.max(0, editor.x);
    const y = Math.max(0, editor.y);
    const bottom = Math.min(editor.y + editor.height, Math.max(y + 260, w ? w.y + w.height + 16 : 0));
    const right = Math.min(editor.x + editor.width, Math.max(x + 640, w ? w.x + w.width + 16 : 0));
    await shot(`docs-${name}`, { clip: { x, y, width: right - x, height: bottom - y } });
  };

  await step('load_workbench', async () => {
    await page.goto(`${E.CS_URL}/?folder=${encodeURIComponent(E.WS)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60000 });
  });

  await step('open_file', async () => {
    for (let attempt = 0; attempt < 3; attempt++) { // the first Ctrl+P can be lost while the workbench restores
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').waitFor({ timeout: 10000 });
      await page.keyboard.type(E.LSP_FILE, { delay: 20 });
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(E.LSP_FILE) }).first();
      if (!(await row.waitFor({ timeout: 10000 }).then(() => true, () => false))) continue;
      await page.keyboard.press('Enter');
      if (await line(BEFORE).waitFor({ timeout: 10000 }).then(() => true, () => false)) break;
    }
    await line(BEFORE).waitFor({ timeout: 1000 });
  });
  if (res.checks.open_file === false) throw new Error(`could not open ${E.LSP_FILE}`);

  if (E.MODE === 'missing') { // http-status-ls.path points nowhere: a notification says how to install
    await step('missing_notification', async () => {
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'cargo install --path server' });
      await toast.first().waitFor({ timeout: 20000 });
      res.notification = (await toast.first().innerText()).replace(/\s+/g, ' ');
      const item = page.locator('.statusbar-item', { hasText: 'http-status-ls' }).first();
      res.status_bar_icon = await item.locator('.codicon').first().getAttribute('class');
      res.checks.missing_notification = res.notification.includes('http-status-ls.path')
        && (res.status_bar_icon || '').includes('codicon-error');
      await page.waitForTimeout(500); // the toast slides in
      await shot('missing-binary');
    });
    code = Object.values(res.checks).every(Boolean) ? 0 : 1;
    throw null; // done: skip the normal steps
  }

  if (E.MODE === 'crossfile') { // the method comes from routes/cart.js, read by the server's index
    await step('cross_file_diagnostic', async () => {
      await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 20000 });
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'redirect-changes-method' }).first();
      await row.waitFor({ timeout: 10000 });
      res.problems = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
      res.checks.cross_file_diagnostic = res.problems.join('\n').includes('POST');
      await shot('crossfile-diagnostic');
    });
    await step('server_source', checkSource);
    code = Object.values(res.checks).every(Boolean) ? 0 : 1;
    throw null;
  }

  await step('diagnostic', async () => { // the squiggle in the editor, then the Problems panel
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 20000 });
    await page.keyboard.press('Control+Shift+M'); // View: Problems
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'redirect-changes-method' }).first()
      .waitFor({ timeout: 10000 });
    res.problems = await page.locator('.markers-panel .monaco-list-row').allInnerTexts();
    res.checks.diagnostic = res.problems.join('\n').includes('redirect-changes-method');
    await shot('1-diagnostic');
  });

  await step('status_bar', async () => { // the extension's status-bar item says the server runs
    const item = page.locator('.statusbar-item', { hasText: 'http-status-ls' }).first();
    await item.waitFor({ timeout: 5000 });
    res.status_bar = (await item.getAttribute('aria-label')) || (await item.innerText());
    res.status_bar_icon = await item.locator('.codicon').first().getAttribute('class').catch(() => null);
    res.checks.status_bar = (res.status_bar_icon || '').includes('codicon-check');
  });
  if (!res.checks.status_bar) throw new Error(`the server is not running (status bar: ${res.status_bar}); see vscode-logs/`);

  await step('server_source', checkSource);

  await step('hover', async () => { // a real mouse hover over the pixels of `FOUND`
    await page.keyboard.press('Control+J'); // close the panel: more room for the hover widget
    const box = await boxOf(HOVER_TOKEN);
    if (!box) throw new Error(`${HOVER_TOKEN} is not visible in the editor`);
    await page.mouse.move(box.x - 40, box.y + 200);
    await page.mouse.move(box.x, box.y, { steps: 5 });
    const hover = page.locator('.monaco-hover:not(.hidden) .monaco-hover-content', { hasText: EXPECT_HOVER });
    await hover.first().waitFor({ timeout: 15000 });
    await page.waitForTimeout(400); // let the widget's fade-in finish before the screenshot
    res.hover = await page.locator('.monaco-hover:not(.hidden) .monaco-hover-content').first().innerText();
    res.checks.hover = res.hover.includes(EXPECT_HOVER);
    await shot('2-hover');
    await docShot('hover', '.monaco-hover:not(.hidden)');
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');
  });

  await step('settings_live', async () => { // `http-status-ls.rules` reaches the diagnostics without a restart
    // as a user does it: Preferences: Open User Settings (JSON), edit, save, back to the file
    // (code-server does not notice a settings.json written behind its back)
    const settings = JSON.parse(fs.readFileSync(E.SETTINGS, 'utf8'));
    settings['http-status-ls.rules'] = { 'redirect-changes-method': 'error' };
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10000 });
    await page.keyboard.type('Preferences: Open User Settings (JSON)', { delay: 10 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open User Settings (JSON)' }).first()
      .waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'settings.json' }).waitFor({ timeout: 10000 });
    await page.locator('.editor-group-container .monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+A');
    // paste, not type: typing JSON into the editor meets auto-closing brackets
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: E.CS_URL });
    await page.evaluate((text) => navigator.clipboard.writeText(text), JSON.stringify(settings, null, 2));
    await page.keyboard.press('Control+V');
    await page.keyboard.press('Control+S');
    for (let i = 0; i < 50 && !fs.readFileSync(E.SETTINGS, 'utf8').includes('"error"'); i++) await page.waitForTimeout(100);
    JSON.parse(fs.readFileSync(E.SETTINGS, 'utf8')); // what VS Code saved is the JSON we typed
    await page.locator('.tab', { hasText: path.basename(E.LSP_FILE) }).first().click();
    await line(BEFORE).waitFor({ timeout: 10000 });
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 15000 });
    res.checks.settings_live = (await page.locator('.monaco-editor .squiggly-warning').count()) === 0;
    // and the server was told (http-status-ls.trace.server = verbose logs the notification with its params)
    const logs = traceLogs();
    const sent = () => logs.some((f) => /Sending notification 'workspace\/didChangeConfiguration'[\s\S]*"error"/.test(fs.readFileSync(f, 'utf8')));
    for (let i = 0; i < 30 && !sent(); i++) await page.waitForTimeout(100);
    res.checks.settings_sent_to_server = sent();
    res.trace_logs = logs.map((f) => path.relative(E.LOGS, f));
  });

  await step('quick_fix', async () => { // caret on the token, Ctrl+. , pick "Use `303 See Other`"
    const box = await boxOf(HOVER_TOKEN);
    await page.mouse.click(box.x, box.y);
    await page.mouse.move(5, 400);
    await page.keyboard.press('Control+.');
    const items = page.locator('.action-widget .monaco-list-row.action');
    await items.first().waitFor({ timeout: 10000 });
    res.quick_fixes = await items.allInnerTexts();
    await shot('3-quickfix-menu');
    await docShot('quickfix', '.action-widget');
    // clicking a row of this menu times out in Playwright (never "stable"): use the keyboard
    if (!res.quick_fixes.some((t) => t.includes(FIX_TITLE))) throw new Error(`no quick fix containing "${FIX_TITLE}"`);
    for (let i = 0; i < res.quick_fixes.length; i++) {
      const label = await page.locator('.action-widget .monaco-list-row.action.focused').getAttribute('aria-label');
      if (label && label.includes(FIX_TITLE)) break;
      await page.keyboard.press('ArrowDown');
    }
    res.quick_fix_applied = await page.locator('.action-widget .monaco-list-row.action.focused').getAttribute('aria-label');
    await page.keyboard.press('Enter');
    await line(AFTER).waitFor({ timeout: 10000 });
    res.line_after_fix = (await line(AFTER).innerText()).replace(/\u00a0/g, ' ');
    res.found_left = await page.locator('.monaco-editor .view-line', { hasText: BEFORE }).count();
    // the whole document, as VS Code writes it: save (Ctrl+S) and read the file back
    await page.keyboard.press('Control+S');
    const file = path.join(E.WS, E.LSP_FILE);
    for (let i = 0; i < 50 && !fs.readFileSync(file, 'utf8').includes(AFTER); i++) await page.waitForTimeout(100);
    res.document_after_fix = fs.readFileSync(file, 'utf8');
    res.checks.document = res.document_after_fix.includes(AFTER) && !res.document_after_fix.includes(BEFORE);
    res.checks.quick_fix = res.line_after_fix.includes(AFTER) && res.found_left === 0;
    // the fixed code is no longer flagged
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached', timeout: 10000 });
    await shot('4-after-fix');
  });
  await step('restart', async () => { // the command palette's "http-status-ls: Restart server"
    await page.keyboard.press('Control+Shift+P');
    await page.locator('.quick-input-widget input').waitFor({ timeout: 10000 });
    await page.keyboard.type('http-status-ls: Restart server', { delay: 10 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Restart server' }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
    const traced = () => traceLogs().map((f) => fs.readFileSync(f, 'utf8').split("Sending request 'initialize").length - 1)
      .reduce((a, b) => a + b, 0);
    for (let i = 0; i < 100 && traced() < 2; i++) await page.waitForTimeout(100);
    res.initialize_requests = traced();
    const item = page.locator('.statusbar-item', { hasText: 'http-status-ls' }).first();
    await item.locator('.codicon-check').waitFor({ timeout: 10000 });
    res.checks.restart = res.initialize_requests >= 2;
  });
  code = Object.values(res.checks).every(Boolean) && Object.keys(res.checks).length >= 11 ? 0 : 1;
} catch (e) {
  if (e !== null) res.error = String(e);
} finally {
  res.total_ms = Date.now() - t0;
  fs.writeFileSync(path.join(out, 'result.json'), JSON.stringify(res, null, 2));
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
console.log(JSON.stringify(res, null, 2));
process.exit(code);
