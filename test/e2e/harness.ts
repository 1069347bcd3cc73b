import { execSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const hasBrowser = fs.existsSync(CHROMIUM);
export const ADMIN_PASSWORD = 'Admin12345';
export const DEMO_PASSWORD = 'demo1234';

if (!hasBrowser) console.log(`[skipped] browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);

export type Server = { url: string; dataDir: string; stop: () => Promise<void>; log: () => string };

let portSeq = 3400 + Math.floor(Math.random() * 400);

/** Builds the web app if needed and starts a real server on a fresh embedded database. */
export async function startServer(opts: { demo?: boolean; env?: Record<string, string | undefined> } = {}): Promise<Server> {
  execSync('node scripts/ensure-web.mjs', { stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-e2e-'));
  const port = portSeq++;
  // opts.env overrides (a key set to undefined is removed: e.g. no LOG_LEVEL, to see the default).
  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: '',
    PORT: String(port),
    AGRI_OMS_DATA_DIR: dataDir,
    AGRI_OMS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child: ChildProcess = spawn(process.execPath, ['bin/agri-oms.mjs', 'serve', ...(opts.demo ? [] : ['--no-demo'])], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // starting
    }
    // Up to 5 minutes: loading the demo company takes about 7 s on an idle machine, but once took over 2 minutes while
    // the other test projects and a second test run loaded both cores.
    if (i > 1500) throw new Error(`server did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    dataDir,
    log: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Signs in through the login page. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('main-menu').waitFor({ timeout: 30_000 });
}

/**
 * Signs in with a one-time password (an account an admin created or reset): the app shows only the password change;
 * sets `newPassword` and waits for the menu.
 */
export async function signInWithOneTimePassword(page: Page, baseUrl: string, username: string, oneTime: string, newPassword: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(oneTime);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('forced-password-change').waitFor({ timeout: 30_000 });
  await page.getByTestId('password-current').fill(oneTime);
  await page.getByTestId('password-new').fill(newPassword);
  await page.getByTestId('password-confirm').fill(newPassword);
  await page.getByTestId('password-submit').click();
  await page.getByTestId('main-menu').waitFor({ timeout: 30_000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync('.tmp/screenshots', { recursive: true });
  await page.screenshot({ path: `.tmp/screenshots/${name}.png`, fullPage: true });
}

/**
 * Picks an option of an antd Select: opens it by test id, optionally types to search, clicks the matching option and
 * waits for the dropdown to close. Under load a click can land while the filtered list re-renders (the dropdown then
 * stays open); the click is retried on the fresh option a few times before the test fails.
 */
export async function chooseOption(page: Page, testId: string, text: string, opts: { exact?: boolean; type?: boolean } = {}): Promise<void> {
  await page.getByTestId(testId).click();
  if (opts.type !== false) await page.keyboard.type(text);
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last();
  const option = dropdown
    .locator('.ant-select-item-option')
    .filter({ hasText: opts.exact ? new RegExp(`^${text}$`) : text })
    .first();
  for (let attempt = 1; ; attempt++) {
    await option.click();
    try {
      await dropdown.waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt >= 4) throw err;
    }
  }
}

/**
 * Answers the confirmation dialog of a destructive action (web/src/app/confirm.tsx): waits for it (an accessible
 * dialog), optionally picks its choice and types its reason, then confirms or cancels, and waits until it has gone.
 * Returns the consequence it stated, so a test can check that it names the object and what will happen.
 */
export async function confirmDialog(page: Page, testId: string, opts: { confirm: boolean; reason?: string; choice?: string; screenshotAs?: string }): Promise<string> {
  const dialog = page.getByRole('dialog').filter({ has: page.getByTestId(`${testId}-dialog`) });
  await dialog.waitFor({ timeout: 20_000 });
  const consequence = (await page.getByTestId(`${testId}-consequence`).innerText()).trim();
  if (opts.choice) await chooseOption(page, `${testId}-choice`, opts.choice, { type: false });
  if (opts.reason) await page.getByTestId(`${testId}-reason`).fill(opts.reason);
  if (opts.screenshotAs) {
    await page.waitForTimeout(400); // the dialog's opening animation
    await screenshot(page, opts.screenshotAs);
  }
  await page.getByTestId(`${testId}-${opts.confirm ? 'ok' : 'cancel'}`).click();
  await dialog.waitFor({ state: 'hidden', timeout: 20_000 });
  return consequence;
}

/** Pastes text into a search picker as a barcode scanner or a paste would (one input event), without picking an option. */
export async function scanInto(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.insertText(text);
}

/** The text a picker (antd Select) shows as its chosen value. */
export async function pickedText(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).innerText()).trim();
}
