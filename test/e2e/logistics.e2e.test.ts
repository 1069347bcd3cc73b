import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOption, DEMO_PASSWORD, hasBrowser, launchBrowser, screenshot, startServer, type Server } from './harness.js';

function inDays(n: number): string {
  const d = new Date(Date.now() + 8 * 3_600_000);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

type Option = { id: string; code: string; units: { unit: string; unitPriceFen: number | null; factorToBase: string }[]; available: string; inSeason: boolean };

describe.skipIf(!hasBrowser)('fulfilment in the browser', () => {
  let server: Server;
  let browser: Browser;
  let sales: BrowserContext;
  let logistics: BrowserContext;
  let warehouse: BrowserContext;
  beforeAll(async () => {
    server = await startServer({ demo: true });
    browser = await launchBrowser();
    sales = await browser.newContext();
    logistics = await browser.newContext();
    warehouse = await browser.newContext();
    for (const [ctx, username] of [
      [sales, 'sales'],
      [logistics, 'logistics'],
      [warehouse, 'warehouse'],
    ] as const) {
      expect((await ctx.request.post(`${server.url}/api/auth/login`, { data: { username, password: DEMO_PASSWORD } })).status()).toBe(200);
    }
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the whole way out: a carrier contract, the delivery method, a pick by scanned lot codes (a wrong lot refused), packing, a failed then passed pre-dispatch check, dispatch and delivery (order completed)', async () => {
    // An approved order of a demo customer, entered through the API by sales.
    const api = sales.request;
    const date = inDays(10);
    const customer = ((await (await api.get(`${server.url}/api/customers/search?q=C0002`)).json()) as { items: { id: string; code: string }[] }).items.find(
      (c) => c.code === 'C0002',
    )!;
    const detail = (await (await api.get(`${server.url}/api/customers/${customer.id}`)).json()) as { addresses: { id: string }[]; contacts: { id: string }[] };
    const options = (await (await api.get(`${server.url}/api/orders/product-options?customerId=${customer.id}&date=${date}`)).json()) as { items: Option[] };
    const product = options.items.find((p) => p.inSeason && p.units[0]?.unitPriceFen && Number(p.available) >= 10 * Number(p.units[0].factorToBase))!;
    expect(product, 'a demo product in season, priced and in stock').toBeTruthy();
    const info = (await (await api.get(`${server.url}/api/catalog/products/${product.id}`)).json()) as { tempMinC: number | null; tempMaxC: number | null };
    const draft = await api.post(`${server.url}/api/orders`, {
      headers: { 'idempotency-key': crypto.randomUUID() },
      data: {
        customerId: customer.id,
        addressId: detail.addresses[0]!.id,
        contactId: detail.contacts[0]!.id,
        deliveryDate: date,
        lines: [{ productId: product.id, quantity: '2', unit: product.units[0]!.unit }],
      },
    });
    expect(draft.status(), await draft.text()).toBe(201);
    const orderId = ((await draft.json()) as { id: string }).id;
    const submitted = (await (await api.post(`${server.url}/api/orders/${orderId}/submit`)).json()) as { status: string; number: string };
    expect(submitted.status).toBe('approved');

    // Logistics enters a carrier and a cold-chain contract that holds the product's band.
    const page = await logistics.newPage();
    const code = `E2E${Date.now() % 100000}`;
    await page.goto(`${server.url}/logistics/carriers`);
    await page.getByTestId('carrier-create').click();
    await page.getByTestId('carrier-code').fill(code);
    await page.getByTestId('carrier-name').fill('顺达冷链');
    await page.getByTestId('carrier-submit').click();
    await page.getByRole('cell', { name: code, exact: true }).waitFor();
    await page.getByRole('tab', { name: '运输合同' }).click();
    await page.getByTestId('contract-create').click();
    await chooseOption(page, 'contract-carrier', code);
    await page.getByTestId('contract-number').fill(`K${code}`);
    await page.getByTestId('contract-temp-min').fill(String(info.tempMinC ?? 0));
    await page.getByTestId('contract-temp-max').fill(String(info.tempMaxC ?? 4));
    await page.getByTestId('contract-submit').click();
    await page.getByRole('cell', { name: `K${code}`, exact: true }).waitFor();
    await screenshot(page, 'logistics-contracts');

    // The delivery method: the new contract is proposed with its cost; choosing it is recorded.
    await page.goto(`${server.url}/logistics/orders/${orderId}/delivery`);
    const row = page.locator('tr', { hasText: `K${code}` });
    await row.getByTestId('delivery-choose').click();
    await page.getByTestId('delivery-chosen').waitFor();
    expect(await page.getByTestId('delivery-chosen').innerText()).toContain(`K${code}`);
    await screenshot(page, 'logistics-delivery-method');

    // The warehouse makes a pick list from the orders to ship and confirms it by scanning.
    const wh = await warehouse.newPage();
    await wh.goto(`${server.url}/logistics/fulfilment`);
    await wh.locator('tr', { hasText: submitted.number }).locator('input[type=checkbox]').check();
    await wh.getByTestId('make-pick-list').click();
    await wh.getByTestId('pick-scan').waitFor();
    const pl = (await (await warehouse.request.get(`${server.url}/api/logistics/pick-lists?q=${submitted.number}`)).json()) as { items: { id: string }[] };
    const scan = wh.getByTestId('pick-scan').locator('input');
    const list = (await (await warehouse.request.get(`${server.url}/api/logistics/pick-lists/${pl.items[0]!.id}`)).json()) as { lines: { seq: number; lotCode: string }[] };
    expect(list.lines.length).toBeGreaterThan(0);
    // A lot code that is not on the list is refused at the scanner.
    await scan.fill('NOT-A-LOT');
    await scan.press('Enter');
    await wh.locator('.ant-message').getByText('NOT-A-LOT').waitFor();
    // Typed into a line, a wrong lot is refused by the server with the line named.
    await wh.getByTestId('pick-lot-1').fill('WRONG-LOT');
    await wh.getByTestId('pick-confirm').click();
    await wh.getByTestId('pick-problem').waitFor();
    expect(await wh.getByTestId('pick-problem').innerText()).toContain('WRONG-LOT');
    await screenshot(wh, 'logistics-pick-wrong-lot');
    await wh.getByTestId('pick-lot-1').fill('');
    for (const l of list.lines) {
      await scan.fill(l.lotCode);
      await scan.press('Enter');
    }
    await wh.getByTestId('pick-confirm').click();
    await wh.getByText('已确认').first().waitFor();
    await screenshot(wh, 'logistics-pick-confirmed');
    const order = (await (await api.get(`${server.url}/api/orders/${orderId}`)).json()) as { status: string };
    expect(order.status).toBe('ready');

    // Packing, the pre-dispatch check (a product too warm fails it), dispatch and delivery.
    const created = await warehouse.request.post(`${server.url}/api/logistics/shipments`, { headers: { 'idempotency-key': crypto.randomUUID() }, data: { orderId } });
    expect(created.status(), await created.text()).toBe(201);
    const shipmentId = ((await created.json()) as { id: string }).id;
    await wh.goto(`${server.url}/logistics/shipments/${shipmentId}`);
    await wh.getByTestId('pack-type-0').fill('泡沫箱');
    await wh.getByTestId('pack-kg-0').fill('2.02');
    await wh.getByTestId('pack-save').click();
    await wh.getByText('(00) ').first().waitFor();
    await wh.getByTestId('check-packaging').check();
    await wh.getByTestId('check-labels').check();
    const mid = info.tempMinC !== null && info.tempMaxC !== null ? (info.tempMinC + info.tempMaxC) / 2 : 1;
    if (await wh.getByTestId('check-temp').count()) await wh.getByTestId('check-temp').fill(String((info.tempMaxC ?? 4) + 5));
    await wh.getByTestId('check-submit').click();
    await wh.locator('[data-testid="check-result"].ant-alert-error').waitFor();
    await screenshot(wh, 'logistics-check-failed');
    if (await wh.getByTestId('check-temp').count()) await wh.getByTestId('check-temp').fill(String(mid));
    await wh.getByTestId('check-submit').click();
    await wh.locator('[data-testid="shipment-status"][data-status="checked"]').waitFor();

    const lp = await logistics.newPage();
    await lp.goto(`${server.url}/logistics/shipments/${shipmentId}`);
    await lp.getByTestId('dispatch-tracking').fill(`SF${Date.now()}`);
    await lp.getByTestId('dispatch-submit').click();
    await lp.locator('[data-testid="shipment-status"][data-status="dispatched"]').waitFor();
    expect(((await (await api.get(`${server.url}/api/orders/${orderId}`)).json()) as { status: string }).status).toBe('shipped');
    await lp.getByTestId('deliver-receiver').fill('王店长');
    await lp.getByTestId('deliver-submit').click();
    await lp.locator('[data-testid="shipment-status"][data-status="delivered"]').waitFor();
    await screenshot(lp, 'logistics-shipment-delivered');
    expect(((await (await api.get(`${server.url}/api/orders/${orderId}`)).json()) as { status: string }).status).toBe('completed');
  }, 300_000);
});
