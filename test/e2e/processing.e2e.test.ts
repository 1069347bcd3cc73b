import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, hasBrowser, launchBrowser, screenshot, signIn, startServer, type Server } from './harness.js';

let server: Server;
let browser: Browser;

/** Opens an antd select by test id, optionally types to search, and takes the first option. */
async function pick(page: Page, testId: string, text?: string): Promise<void> {
  await page.getByTestId(testId).click();
  if (text) await page.keyboard.type(text);
  await page.waitForTimeout(800);
  await page.keyboard.press('Enter');
}

describe.skipIf(!hasBrowser)('processing run screen (browser, demo company)', () => {
  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('records a washing run by picking a released lot, its location, an output product and unit, and lists it with yield', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
    await signIn(page, server.url, 'production', DEMO_PASSWORD);
    await page.goto(`${server.url}/trace`);
    const form = page.getByTestId('run-form');
    await form.waitFor();
    await form.locator('.ant-select').first().click();
    await page.keyboard.press('Enter');
    // The run date is typed (clicking in the calendar lost clicks during its animation on a loaded machine), and the
    // calendar must be gone before the lot picker below it can be clicked.
    const date = form.locator('.ant-picker input');
    await date.click();
    await date.fill(new Date().toISOString().slice(0, 10));
    await date.press('Enter');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.ant-picker-dropdown:visible').count(), { timeout: 10_000 }).toBe(0);
    expect(await date.inputValue()).toBe(new Date().toISOString().slice(0, 10));
    await pick(page, 'run-input-lot-0', 'CUKE');
    await pick(page, 'run-input-location-0');
    await page.getByTestId('run-input-quantity-0').fill('10');
    await page.getByTestId('run-input-unit-0').fill('kg');
    await pick(page, 'run-output-product-0', 'CUKE');
    await pick(page, 'run-output-location-0');
    await page.getByTestId('run-output-quantity-0').fill('9');
    await pick(page, 'run-output-unit-0');
    await page.getByTestId('run-submit').click();
    await expect.poll(() => page.locator('table').first().innerText(), { timeout: 20_000 }).toContain('0.9000');
    await screenshot(page, 'processing-run');
    await page.close();
  });
});
