import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, hasBrowser, launchBrowser, screenshot, signIn, signInWithOneTimePassword, startServer, type Server } from './harness.js';

let server: Server;
let browser: Browser;

describe.skipIf(!hasBrowser)('web shell (browser)', () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('admin signs in, switches to English and back, creates a warehouse user who sees only the permitted menu and a 403 page on a forbidden URL', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    const page = await ctx.newPage();
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    const menu = page.getByTestId('main-menu');
    await expect.poll(() => menu.innerText()).toContain('系统管理');
    await screenshot(page, 'shell-zh');

    await page.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(() => menu.innerText()).toContain('Administration');
    await screenshot(page, 'shell-en');
    await page.getByTestId('lang-switch').getByText('中文').click();
    await expect.poll(() => menu.innerText()).toContain('系统管理');

    await page.goto(`${server.url}/admin/users`);
    await page.getByTestId('user-create').click();
    await page.locator('#user_username').fill('keeper9');
    await page.locator('#user_displayName').fill('仓管九');
    await page.locator('#user_password').fill('Keeper1234');
    await page.locator('#user_roles').click();
    await page.locator('.ant-select-dropdown').getByText('仓管员', { exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('user-form-submit').click();
    await expect.poll(async () => page.locator('table').innerText(), { timeout: 15_000 }).toContain('keeper9');
    await screenshot(page, 'admin-users');

    const ctx2 = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    const p2 = await ctx2.newPage();
    await signInWithOneTimePassword(p2, server.url, 'keeper9', 'Keeper1234', 'MyKeeper5678');
    const text = await p2.getByTestId('main-menu').innerText();
    expect(text).not.toContain('系统管理');
    expect(text).toContain('库存管理');
    expect(text).not.toContain('客户管理');
    await p2.goto(`${server.url}/admin/users`);
    await p2.getByTestId('page-403').waitFor({ timeout: 15_000 });
    await screenshot(p2, 'forbidden');
    await p2.goto(`${server.url}/no/such/page`);
    await p2.getByTestId('page-404').waitFor({ timeout: 15_000 });
    await ctx.close();
    await ctx2.close();
  });

  it('the web app loads under its security headers: CSP, no framing, nosniff, and no policy violation while signing in and browsing', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 860 } });
    const page = await ctx.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    page.on('pageerror', (e) => violations.push(e.message));
    const doc = await page.goto(`${server.url}/login`);
    const headers = doc!.headers();
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    for (const p of ['/admin/users', '/admin/audit', '/inventory/warehouses', '/orders/new', '/trace']) {
      await page.goto(`${server.url}${p}`);
      await page.getByTestId('main-menu').waitFor({ timeout: 30_000 });
      await page.waitForLoadState('networkidle');
    }
    await screenshot(page, 'csp-browsing');
    expect(violations).toEqual([]);
    await ctx.close();
  });
});
