import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, chooseOption, confirmDialog, hasBrowser, launchBrowser, screenshot, startServer, type Server } from './harness.js';

const choose = (page: Page, testId: string, text: string, exact = false): Promise<void> => chooseOption(page, testId, text, { exact });

describe.skipIf(!hasBrowser)('inventory in the browser', () => {
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

  it('receives a lot, reserves it, runs a stocktake with a shortage, approves it, and the ledger agrees with the balances', async () => {
    const page = await browser.newPage();
    try {
      // Sign in through the API (the session cookie lands in the browser context).
      expect((await page.request.post(`${server.url}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } })).status()).toBe(200);
      // A warehouse of its own so the stocktake holds just this lot.
      const wh = await page.request.post(`${server.url}/api/inventory/warehouses`, { data: { code: 'E2E', name: 'E2E 冷库', tempZones: ['chilled'] } });
      expect(wh.status()).toBe(201);
      const warehouse = (await wh.json()) as { id: string };
      expect((await page.request.post(`${server.url}/api/inventory/locations`, { data: { warehouseId: warehouse.id, code: 'E-01', zone: 'chilled' } })).status()).toBe(201);

      // Receive 50 kg of broccoli into a new lot.
      await page.goto(`${server.url}/inventory/stock`);
      await page.getByTestId('open-receipt').click();
      await choose(page, 'receipt-product', 'P-BROC-SD');
      await page.getByTestId('receipt-lot-code').fill('E2E-LOT-1');
      await page.getByTestId('receipt-production-date').click();
      await page.keyboard.type(new Date().toISOString().slice(0, 10));
      await page.keyboard.press('Enter');
      await choose(page, 'receipt-location', 'E-01');
      await page.getByTestId('receipt-quantity').fill('50');
      await choose(page, 'receipt-unit', 'kg', true);
      await page.getByTestId('receipt-submit').click();
      await page.locator('.ant-message').getByText('E2E-LOT-1').waitFor();

      // Open the lot and reserve 12 kg.
      await page.getByTestId('stock-tab-lot').click();
      await page.getByRole('link', { name: 'E2E-LOT-1' }).first().click();
      await page.getByTestId('lot-on-hand').filter({ hasText: '50.000' }).waitFor();
      await page.getByTestId('lot-reserve').click();
      await page.getByTestId('reserve-ref').fill('SO-E2E-1');
      await page.getByTestId('reserve-quantity').fill('12');
      await choose(page, 'reserve-unit', 'kg', true);
      await page.getByTestId('reserve-submit').click();
      await page.getByTestId('lot-reserved').filter({ hasText: '12.000' }).waitFor();

      // Stocktake of the E2E warehouse: counted 47.5 kg, a 2.5 kg shortage explained as dehydration.
      await page.goto(`${server.url}/inventory/stocktakes`);
      await page.getByTestId('stocktake-create').click();
      await choose(page, 'stocktake-warehouse', 'E2E');
      await page.getByTestId('stocktake-create-submit').click();
      await page.getByTestId('count-E2E-LOT-1-E-01').fill('47.5');
      expect(await page.getByText('50.000').count()).toBe(0); // blind: no book quantity on the counting screen
      await page.getByTestId('stocktake-save-counts').click();
      await page.locator('.ant-message').waitFor();
      await page.getByTestId('stocktake-submit').click();
      await page.getByTestId('variance-E2E-LOT-1-E-01').filter({ hasText: '-2.500' }).waitFor();
      await page.getByTestId('reason-E2E-LOT-1-E-01').click();
      await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').last().locator('.ant-select-item-option').nth(1).click();
      await screenshot(page, 'inventory-stocktake-review');
      await page.getByTestId('stocktake-save-reasons').click();
      await page.getByTestId('stocktake-approve').click();
      // approval asks first and shows the variance it will post
      const said = await confirmDialog(page, 'stocktake-approve-confirm', { confirm: true, screenshotAs: 'inventory-stocktake-approve-confirm' });
      expect(said).toContain('-2.500');
      await page
        .getByTestId('stocktake-status')
        .filter({ hasText: /已审批|Approved/ })
        .waitFor();

      // The lot: on hand 47.500, still 12 reserved, and the ledger sums to the balance.
      await page.getByRole('link', { name: 'E2E-LOT-1' }).click();
      await page.getByTestId('lot-on-hand').filter({ hasText: '47.500' }).waitFor();
      expect(await page.getByTestId('lot-reserved').textContent()).toBe('12.000');
      expect(await page.getByTestId('ledger-sum').textContent()).toBe('47.500');
      expect(await page.getByTestId('balance-E-01').textContent()).toBe('47.500');
      await screenshot(page, 'inventory-lot-after-stocktake');
      await page.goto(`${server.url}/inventory/stock`);
      await page.getByTestId('stock-tab-location').click();
      await page.getByPlaceholder(/产品、批次号或库位|Product, lot code or location/).fill('E2E-LOT-1');
      await page.keyboard.press('Enter');
      await page.getByText('E2E-LOT-1').first().waitFor();
      await screenshot(page, 'inventory-stock-by-location');
      await page.goto(`${server.url}/inventory/replenishment`);
      await page.locator('.ant-table-row').first().waitFor();
      await screenshot(page, 'inventory-replenishment');
      const verify = await page.request.get(`${server.url}/api/inventory/stock?by=location&q=E2E-LOT-1`);
      expect(((await verify.json()) as { items: { onHand: string; reserved: string; available: string }[] }).items).toMatchObject([
        { onHand: '47.500', reserved: '12.000', available: '35.500' },
      ]);
    } catch (err) {
      await screenshot(page, 'inventory-failure');
      throw err;
    } finally {
      await page.close();
    }
  }, 240_000);
});
