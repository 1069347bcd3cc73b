import type { APIRequestContext, Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, chooseOption, hasBrowser, launchBrowser, screenshot, startServer, type Server } from './harness.js';

const day = (n: number): string => new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);
const monday = (d: string): string => {
  const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + (dow === 0 ? -6 : 1 - dow));
  return x.toISOString().slice(0, 10);
};

async function post<T>(r: APIRequestContext, url: string, data: unknown, status = 201, method: 'post' | 'put' = 'post'): Promise<T> {
  const res = await r[method](url, { data: data as object });
  expect(res.status(), await res.text()).toBe(status);
  return (await res.json()) as T;
}

describe.skipIf(!hasBrowser)('procurement and production planning in the browser', () => {
  let server: Server;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('approves a supplier, sends a purchase order and receives part of it into stock as a lot', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const api = page.request;
    const u = server.url;
    expect((await api.post(`${u}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } })).status()).toBe(200);
    const wh = await post<{ id: string }>(api, `${u}/api/inventory/warehouses`, { code: 'MAT', name: '物料库', tempZones: ['ambient'] });
    await post(api, `${u}/api/inventory/locations`, { warehouseId: wh.id, code: 'M-01', zone: 'ambient' });
    const seed = await post<{ id: string }>(api, `${u}/api/catalog/products`, {
      code: 'M-SEED-1',
      name: '西兰花种子',
      kind: 'material',
      materialType: 'seed',
      category: '种子',
      baseUnit: 'kg',
      shelfLifeDays: 365,
    });
    const supplier = await post<{ id: string }>(api, `${u}/api/procurement/suppliers`, { name: '寿光种业有限公司', contactName: '李明', phone: '13800000001' });
    await post(api, `${u}/api/procurement/suppliers/${supplier.id}/documents`, { type: 'seed_licence', number: 'SC-2026-01', expiresOn: day(300) });

    await page.goto(`${u}/procurement/suppliers/${supplier.id}`);
    await page.getByTestId('supplier-approve').click();
    await page.getByTestId('supplier-status').filter({ hasText: '已批准' }).waitFor();

    const po = await post<{ id: string }>(api, `${u}/api/procurement/orders`, {
      supplierId: supplier.id,
      warehouseId: wh.id,
      expectedDate: day(3),
      lines: [{ productId: seed.id, unit: 'kg', quantity: '20', unitPriceFen: 8800 }],
    });
    await page.goto(`${u}/procurement/orders/${po.id}`);
    await page.getByTestId('po-send').click();
    await page.getByTestId('po-status').filter({ hasText: '已发送' }).waitFor();
    await page.getByTestId('po-receive').click();
    await page.getByTestId('receive-0-qty').fill('12');
    await page.getByTestId('receive-0-lot').fill('SG-LOT-77');
    await chooseOption(page, 'receive-0-location', 'M-01');
    await page.getByTestId('receive-form-ok').click();
    await page.getByTestId('po-status').filter({ hasText: '部分收货' }).waitFor({ timeout: 20_000 });
    await page.getByText('SG-LOT-77').waitFor();
    await screenshot(page, 'procurement-po-received');
    const detail = (await (await api.get(`${u}/api/procurement/orders/${po.id}`)).json()) as { receipts: { lotId: string }[] };
    const lot = (await (await api.get(`${u}/api/inventory/lots/${detail.receipts[0]!.lotId}`)).json()) as { lot?: { sourceRef: string }; sourceRef?: string };
    expect(JSON.stringify(lot)).toContain('SG-LOT-77');
    await page.close();
  }, 240_000);

  it('forecast → MPS → back-scheduled plan → confirmed with tasks → harvest completed on a phone → lot in stock', async () => {
    const desk = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await desk.newPage();
    const api = page.request;
    const u = server.url;
    expect((await api.post(`${u}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } })).status()).toBe(200);
    const wh = await post<{ id: string }>(api, `${u}/api/inventory/warehouses`, { code: 'COLD', name: '冷库', tempZones: ['chilled'] });
    await post(api, `${u}/api/inventory/locations`, { warehouseId: wh.id, code: 'C-01', zone: 'chilled' });
    const broc = await post<{ id: string }>(api, `${u}/api/catalog/products`, {
      code: 'P-BROC',
      name: '西兰花',
      kind: 'produce',
      category: '蔬菜',
      baseUnit: 'kg',
      shelfLifeDays: 14,
    });
    const base = await post<{ id: string }>(api, `${u}/api/quality/bases`, { code: 'B-SG', name: '寿光基地' });
    const field = await post<{ id: string }>(api, `${u}/api/quality/fields`, { baseId: base.id, code: 'F-01', name: '一号大棚' });
    await post(api, `${u}/api/planning/calendars`, {
      productId: broc.id,
      season: '冬春',
      sowFrom: day(0).slice(5),
      sowTo: day(30).slice(5),
      harvestFrom: day(30).slice(5),
      harvestTo: day(90).slice(5),
      growthDays: 40,
      expectedYieldPerMu: '1500',
    });
    const week = monday(day(60));
    await post(api, `${u}/api/planning/forecasts`, { items: [{ productId: broc.id, weekStart: week, quantity: '800' }] }, 200, 'put');

    await page.goto(`${u}/planning/mps`);
    await page.getByTestId('mps-total-net').filter({ hasText: '800.000' }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'planning-mps');

    const plan = await post<{ id: string; stages: { kind: string }[] }>(api, `${u}/api/planning/plans`, {
      productId: broc.id,
      quantity: '800',
      deliveryDate: day(60),
      resourceType: 'field',
      resourceId: field.id,
    });
    expect(plan.stages.map((s) => s.kind)).toEqual(['planting', 'cultivation', 'harvest', 'processing', 'packaging']);
    await page.goto(`${u}/planning/plans`);
    await page.getByTestId('gantt-row').first().waitFor();
    await page.goto(`${u}/planning/plans/${plan.id}`);
    await page.getByTestId('plan-confirm').click();
    await page.getByTestId('plan-status').filter({ hasText: '已确认' }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'planning-plan-detail');
    await desk.close();

    // Field staff on a phone: start the harvest task and complete it with the quantity and a cold-store bin.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const mobile = await phone.newPage();
    expect((await mobile.request.post(`${u}/api/auth/login`, { data: { username: 'admin', password: ADMIN_PASSWORD } })).status()).toBe(200);
    await mobile.goto(`${u}/planning/tasks`);
    await mobile.getByText('全部任务').click();
    const card = mobile.getByTestId('task-harvest');
    await card.getByTestId('task-start').click();
    await card.getByTestId('task-complete').waitFor();
    await screenshot(mobile, 'planning-tasks-phone');
    await card.getByTestId('task-complete').click();
    await mobile.getByTestId('task-quantity').fill('780');
    await chooseOption(mobile, 'task-location', 'C-01');
    await mobile.getByTestId('task-action-ok').click();
    await card.waitFor({ state: 'detached', timeout: 20_000 });

    const tasks = (await (await mobile.request.get(`${u}/api/planning/tasks?planId=${plan.id}&pageSize=100`)).json()) as {
      items: { kind: string; status: string; lotId: string | null }[];
    };
    const harvest = tasks.items.find((x) => x.kind === 'harvest')!;
    expect(harvest.status).toBe('done');
    const lot = await (await mobile.request.get(`${u}/api/inventory/lots/${harvest.lotId}`)).text();
    expect(lot).toContain('780.000');
    await phone.close();
  }, 300_000);
});
