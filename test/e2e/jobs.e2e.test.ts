import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, hasBrowser, launchBrowser, screenshot, signIn, startServer, type Server } from './harness.js';

let server: Server;
let browser: Browser;

describe.skipIf(!hasBrowser)('background jobs screen (browser)', () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the admin each job with its last run, result and instance, in Chinese and in English', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 800 } });
    const page = await ctx.newPage();
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/admin/jobs`);
    const table = page.locator('table');
    // The outbox runs every second: its row shows a finished run on this server's instance.
    await expect.poll(() => table.innerText(), { timeout: 30_000 }).toContain('消息投递');
    await expect.poll(async () => (await page.reload(), await table.innerText()), { timeout: 30_000 }).toContain('成功');
    // The hourly jobs run their current period soon after start too.
    // Polled on the loaded table: right after a reload it is still empty, which contains no '尚未运行' either.
    const reloaded = async () => {
      await page.reload();
      await table.getByText('批次临期与过期提醒').waitFor();
      return table.innerText();
    };
    await expect.poll(reloaded, { timeout: 30_000 }).not.toContain('尚未运行');
    const text = await table.innerText();
    expect(text).toContain('批次临期与过期提醒');
    expect(text).toContain('客户资质到期提醒');
    expect(text).toMatch(/:\d+/); // host:pid of the instance
    await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
    await screenshot(page, 'admin-jobs-zh');
    await page.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(() => table.innerText()).toContain('Message delivery');
    expect(await table.innerText()).toContain('OK');
    expect(await page.getByTestId('main-menu').innerText()).toContain('Background jobs');
    await page.locator('.ant-spin-blur').waitFor({ state: 'detached' });
    await screenshot(page, 'admin-jobs-en');
    await ctx.close();
  });
});
