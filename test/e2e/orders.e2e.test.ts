import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOption, DEMO_PASSWORD, hasBrowser, launchBrowser, screenshot, startServer, type Server } from './harness.js';

const choose = (page: Page, testId: string, text: string): Promise<void> => chooseOption(page, testId, text);

function inDays(n: number): string {
  const d = new Date(Date.now() + 8 * 3_600_000);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

type Option = { code: string; units: { unit: string; unitPriceFen: number | null; factorToBase: string }[]; available: string; inSeason: boolean };

describe.skipIf(!hasBrowser)('orders in the browser', () => {
  let server: Server;
  let browser: Browser;
  let sales: BrowserContext;
  let reviewer: BrowserContext;
  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
    sales = await browser.newContext();
    reviewer = await browser.newContext();
    for (const [ctx, username] of [
      [sales, 'sales'],
      [reviewer, 'reviewer'],
    ] as const) {
      expect((await ctx.request.post(`${server.url}/api/auth/login`, { data: { username, password: DEMO_PASSWORD } })).status()).toBe(200);
    }
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('turns a phone inquiry into an order that is approved automatically; an order over the credit limit is rejected from the queue and the sales owner is notified', async () => {
    const page = await sales.newPage();
    try {
      const date = inDays(10);
      const customers = (await (await page.request.get(`${server.url}/api/customers/search?q=C0002`)).json()) as { items: { id: string; code: string }[] };
      const good = customers.items.find((c) => c.code === 'C0002')!;
      const options = (await (await page.request.get(`${server.url}/api/orders/product-options?customerId=${good.id}&date=${date}`)).json()) as { items: Option[] };
      const product = options.items.find((p) => p.inSeason && p.units[0]?.unitPriceFen && Number(p.available) >= 20 * Number(p.units[0].factorToBase));
      expect(product, 'a demo product in season, priced and in stock').toBeTruthy();

      // A phone inquiry from C0002 with one need.
      await page.goto(`${server.url}/inquiries`);
      await page.getByTestId('inquiry-create').click();
      await choose(page, 'inquiry-customer', 'C0002');
      await choose(page, 'inquiry-need-product-0', product!.code);
      await page.getByTestId('inquiry-need-qty-0').fill('2');
      await page.getByTestId('inquiry-need-date-0').click();
      await page.keyboard.type(date);
      await page.keyboard.press('Enter');
      await page.getByTestId('inquiry-save').click();
      const created = (await page
        .locator('.ant-message')
        .getByText(/IQ\d{8}-\d{4}/)
        .first()
        .textContent())!;
      const inquiryNumber = /IQ\d{8}-\d{4}/.exec(created)![0];
      await page.getByTestId(`inquiry-convert-${inquiryNumber}`).click();
      await page.getByTestId('inquiry-convert-ok').click();
      // The draft order opens; submit it and see it approved by the system.
      await page.getByTestId('order-detail').waitFor();
      await page.getByTestId('order-submit').click();
      await page.locator('[data-testid="order-status"][data-status="approved"]').waitFor({ timeout: 30_000 });
      await page.getByTestId('timeline-auto_approve').waitFor();
      await screenshot(page, 'orders-auto-approved');

      // Order entry on the phone: C0009 has a credit limit of 10,000 yuan; this line is worth about 20,000.
      await page.goto(`${server.url}/orders/new`);
      await choose(page, 'order-customer', 'C0009');
      await page.getByTestId('order-delivery-date').click();
      await page.keyboard.type(date);
      await page.keyboard.press('Enter');
      await choose(page, 'order-line-product-0', product!.code);
      await page.getByTestId('order-line-qty-0').fill(String(Math.ceil(2_000_000 / product!.units[0]!.unitPriceFen!)));
      await page.getByTestId('order-save-submit').click();
      await page.locator('[data-testid="order-status"][data-status="in_review"]').waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="rule-CREDIT_LIMIT_EXCEEDED"]').first().waitFor();
      const number = (await page.getByTestId('order-number').textContent())!.trim();

      // The reviewer finds it in the queue with the credit failure highlighted, and rejects it with a reason.
      const rp = await reviewer.newPage();
      await rp.goto(`${server.url}/orders/review`);
      await rp.getByTestId(`queue-order-${number}`).waitFor();
      const row = rp.locator('tr', { has: rp.getByTestId(`queue-order-${number}`) });
      await row.locator('[data-testid="rule-CREDIT_LIMIT_EXCEEDED"]').waitFor();
      await rp.getByTestId(`queue-reject-${number}`).click();
      await rp.getByTestId('queue-reject-reason').fill('超出信用额度,请先回款');
      await rp.getByTestId('queue-reject-ok').click();
      // The dialog closes once the rejection is saved (it stays open with an error message otherwise).
      await rp.getByTestId('queue-reject-reason').waitFor({ state: 'detached', timeout: 30_000 });
      await rp.getByTestId(`queue-order-${number}`).waitFor({ state: 'detached' });
      await screenshot(rp, 'orders-review-queue');

      // The sales owner sees the notification (delivered by the outbox worker within a few seconds).
      await page.goto(`${server.url}/orders`);
      let found = false;
      for (let i = 0; i < 30 && !found; i++) {
        await page.getByTestId('notification-bell').click();
        // The list loads when it opens: give it a few seconds before looking again after a reload.
        found = await page
          .getByTestId('notification-list')
          .getByText(number)
          .first()
          .waitFor({ timeout: 4000 })
          .then(
            () => true,
            () => false,
          );
        if (found) break;
        await page.keyboard.press('Escape');
        await page.waitForTimeout(1000);
        await page.reload();
      }
      // The list is open when the notification was found; otherwise open it for the last look.
      if (!found) await page.getByTestId('notification-bell').click();
      await page.getByTestId('notification-list').getByText(number).first().waitFor();
      await screenshot(page, 'orders-rejection-notified');
    } catch (err) {
      await screenshot(page, 'orders-failure');
      for (const [i, p] of reviewer.pages().entries()) await screenshot(p, `orders-failure-reviewer-${i}`).catch(() => undefined);
      throw err;
    } finally {
      await page.close();
    }
  }, 240_000);
});
