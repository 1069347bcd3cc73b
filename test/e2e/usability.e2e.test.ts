import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOption, hasBrowser, launchBrowser, screenshot, startServer, type Server } from './harness.js';

let fresh: Server;
let browser: Browser;

describe.skipIf(!hasBrowser)('first start and one-time passwords (browser)', () => {
  beforeAll(async () => {
    // As a newcomer starts it: no admin password given, no LOG_LEVEL.
    fresh = await startServer({ env: { AGRI_OMS_ADMIN_PASSWORD: undefined, LOG_LEVEL: undefined } });
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await fresh?.stop();
  });

  it('the first start prints the admin one-time password last, requests are not logged by default, and the first sign-in must change it', async () => {
    await expect.poll(() => fresh.log(), { timeout: 20_000 }).toContain('└');
    const startOutput = fresh.log();
    const lines = startOutput.split('\n').filter((l) => l.trim());
    const pwLine = lines.findIndex((l) => l.includes('one-time password:'));
    expect(pwLine).toBeGreaterThan(0);
    // Only the rest of the box follows the password line.
    expect(lines.slice(pwLine + 1).every((l) => /[│└]/.test(l))).toBe(true);
    const password = /one-time password: (\S+)/.exec(lines[pwLine]!)![1]!;

    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    await page.goto(`${fresh.url}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('forced-password-change').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(300);
    await screenshot(page, 'usability-forced-password-change');
    // No other screen opens until it is changed.
    await page.goto(`${fresh.url}/admin/users`);
    await page.getByTestId('forced-password-change').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('main-menu').count()).toBe(0);
    await page.getByTestId('password-current').fill(password);
    await page.getByTestId('password-new').fill('short');
    await page.getByTestId('password-confirm').fill('short');
    await page.getByTestId('password-submit').click();
    await expect.poll(() => page.locator('.ant-form-item-explain-error').first().innerText()).toContain('至少 8 位');
    await page.getByTestId('password-new').fill('Admin5678new');
    await page.getByTestId('password-confirm').fill('Admin5678new');
    await page.getByTestId('password-submit').click();
    await page.getByTestId('main-menu').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('table').innerText(), { timeout: 15_000 }).toContain('admin');

    // The user menu offers the change at any time.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('user-menu-password').click();
    await page.getByTestId('password-current').waitFor();
    await screenshot(page, 'usability-change-password');

    expect(fresh.log()).not.toMatch(/incoming request|request completed/);

    // The audit screen filters by object with a picker (type, then search by name) and names the actions.
    await page.goto(`${fresh.url}/admin/audit`);
    await chooseOption(page, 'audit-entity', '用户', { type: false });
    await chooseOption(page, 'audit-object', 'admin');
    await page.getByTestId('list-search').locator('button[type=submit]').click();
    await expect.poll(() => page.locator('.ant-table-tbody').innerText(), { timeout: 15_000 }).toContain('用户 修改密码');
    const rows = await page.locator('.ant-table-tbody tr').allInnerTexts();
    expect(rows.every((r) => !/\buser\.|auth\./.test(r))).toBe(true);
    await screenshot(page, 'usability-audit-object-filter');
    await ctx.close();
  });
});
