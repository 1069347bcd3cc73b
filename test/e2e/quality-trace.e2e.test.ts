import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOption, DEMO_PASSWORD, hasBrowser, launchBrowser, screenshot, startServer, type Server } from './harness.js';

// a 1×1 PNG
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

const choose = (page: Page, testId: string, text: string): Promise<void> => chooseOption(page, testId, text, { type: false });

async function session(browser: Browser, url: string, username: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  expect((await page.request.post(`${url}/api/auth/login`, { data: { username, password: DEMO_PASSWORD } })).status()).toBe(200);
  return { context, page };
}

describe.skipIf(!hasBrowser)('quality and trace in the browser', () => {
  let server: Server;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('records a failed residue inspection, the lot is held and reserving it is refused', async () => {
    const { context, page } = await session(browser, server.url, 'qc');
    try {
      // for the reservation check below (through the API)
      const hv = (await (await page.request.get(`${server.url}/api/quality/harvests?q=HV-A2-01`)).json()) as { items: { lotId: string; productId: string }[] };
      const lot = hv.items[0]!;
      await page.goto(`${server.url}/quality`);
      await page.getByRole('tab', { name: '检验', exact: true }).click();
      await choose(page, 'inspection-standard', 'QS-CUKE');
      // the lot is picked by its code (no internal id is typed)
      await chooseOption(page, 'inspection-lot', 'HV-A2-01');
      const date = page.getByTestId('inspection-date');
      const dateInput = (await date.evaluate((e) => e.tagName)) === 'INPUT' ? date : date.locator('input');
      await dateInput.click();
      await dateInput.fill(new Date().toISOString().slice(0, 10));
      await dateInput.press('Enter');
      await page.getByTestId('inspection-value-imidacloprid').fill('5');
      await choose(page, 'inspection-value-appearance', '一级');
      await page.getByTestId('inspection-value-core_temp').fill('10');
      await page.getByTestId('inspection-form-submit').click();
      await expect.poll(() => page.getByTestId('inspection-outcome').textContent(), { timeout: 20_000 }).toContain('已冻结');
      await screenshot(page, 'quality-failed-inspection');

      // the signed inspection still takes a photo as evidence; its thumbnail shows in the drawer
      const number = ((await page.getByTestId('inspection-outcome').textContent()) ?? '').match(/QC\d{8}-\d{4}/)?.[0] ?? '';
      await page.getByTestId(`inspection-open-${number}`).click();
      await page.getByTestId('inspection-drawer').waitFor();
      await page.getByTestId('inspection-drawer').locator('input[type=file]').first().setInputFiles({ name: 'residue.png', mimeType: 'image/png', buffer: PNG });
      await page.getByTestId('inspection-photo').first().waitFor({ timeout: 20_000 });
      await screenshot(page, 'quality-inspection-photo');
      await page.keyboard.press('Escape');

      const wh = await session(browser, server.url, 'warehouse');
      const res = await wh.page.request.post(`${server.url}/api/inventory/reservations`, {
        data: { refType: 'order', refId: 'E2E-1', lines: [{ productId: lot.productId, quantity: '1', unit: 'kg', lotId: lot.lotId }] },
      });
      expect(res.status()).toBe(409);
      expect(((await res.json()) as { code: string }).code).toMatch(/LOT_NOT_RELEASED|INVENTORY_INSUFFICIENT/);
      await wh.context.close();
    } finally {
      await context.close();
    }
  });

  it('runs a recall from a field and shows the affected customers', async () => {
    const { context, page } = await session(browser, server.url, 'manager');
    try {
      await page.goto(`${server.url}/trace`);
      await page.getByRole('tab', { name: '召回' }).click();
      await choose(page, 'recall-field', 'SG-01-A1');
      await page.getByTestId('recall-preview').click();
      await page.getByTestId('recall-impact').waitFor({ timeout: 20_000 });
      await expect.poll(async () => (await page.getByTestId('recall-customers').textContent())?.trim().length ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
      await screenshot(page, 'trace-recall');
    } finally {
      await context.close();
    }
  });

  it('shows a friendly 404 on the public trace page without login', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${server.url}/t/NOSUCHCODE`);
      await page.getByTestId('public-trace-404').waitFor({ timeout: 20_000 });
    } finally {
      await page.close();
    }
  });
});
