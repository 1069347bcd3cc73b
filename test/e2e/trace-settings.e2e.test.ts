import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, hasBrowser, launchBrowser, screenshot, signIn, startServer, type Server } from './harness.js';

let server: Server;
let browser: Browser;

describe.skipIf(!hasBrowser)('GS1 settings (browser)', () => {
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses a GLN with a wrong check digit on the settings screen with a field message, and saves a valid one', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    await signIn(page, server.url, 'admin', ADMIN_PASSWORD);
    await page.goto(`${server.url}/admin/settings`);
    const row = page.getByTestId('setting-trace.gs1.locationGlns');
    await row.waitFor({ timeout: 30_000 });
    await row.scrollIntoViewIfNeeded();
    const input = row.locator('input');
    await input.fill('WH1=6912345000018');
    await row.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => row.innerText(), { timeout: 15_000 }).toContain('每项应为');
    await screenshot(page, 'settings-gln-invalid');
    await input.fill('WH1=6912345000017, B1=6912345000024');
    await row.getByRole('button', { name: /保\s*存/ }).click();
    await expect.poll(() => page.locator('.ant-message').innerText(), { timeout: 15_000 }).toContain('地点 GLN');
    await expect.poll(() => row.innerText()).not.toContain('每项应为');
    await screenshot(page, 'settings-gln-saved');
    await ctx.close();
  });
});
