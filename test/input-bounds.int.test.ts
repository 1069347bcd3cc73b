import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate, clock } from '../src/platform/clock.js';
import { makeProduct as makeStockProduct, makeWarehouse } from '../src/modules/inventory/inventory.test-support.js';
import { fixture, makeCustomer, makeProduct, type CustomerFx, type Fixture, type ProductFx } from '../src/modules/orders/orders.test-support.js';
import { json, testApp, type TestApp } from './helpers/app.js';

type Problem = { code: string; detail: string; errors: { field: string; label: string; code: string; message: string }[] };

let t: TestApp;
let f: Fixture;
let customer: CustomerFx;
let product: ProductFx;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = (await t.loginAs(['admin'])).cookie;
  f = fixture(t, admin);
  customer = await makeCustomer(f);
  product = await makeProduct(f);
});
afterAll(async () => t?.close());

const order = (quantity: string, locale = 'zh-CN') =>
  t.app.inject({
    method: 'POST',
    url: '/api/orders',
    headers: { cookie: admin, 'accept-language': locale },
    payload: {
      customerId: customer.id,
      addressId: customer.addressId,
      lines: [
        { productId: product.id, quantity: '1', unit: 'kg' },
        { productId: product.id, quantity, unit: 'kg' },
      ],
    },
  });

describe('inputs are bounded and explained', () => {
  it('an order line quantity cannot be negative (0 = not known yet, asked before placing); the error names the field by its label, never its path or the validator’s text', async () => {
    const res = await order('-3');
    expect(res.statusCode).toBe(400);
    const p = json<Problem>(res);
    expect(p.errors).toEqual([{ field: 'lines.1.quantity', label: '明细第 2 行 · 数量', code: 'FIELD_QUANTITY_NEGATIVE', message: '数量不能为负数。' }]);
    expect(p.detail).toContain('明细第 2 行 · 数量:数量不能为负数。');
    expect(p.detail).not.toMatch(/lines\.1|Number must|Invalid/);
    const en = json<Problem>(await order('-3', 'en-US'));
    expect(en.errors[0]).toMatchObject({ label: 'Line 2 · Quantity', message: 'The quantity cannot be negative.' });
    const typo = json<Problem>(await order('1.2.3', 'en-US'));
    expect(typo.errors[0]).toMatchObject({ label: 'Line 2 · Quantity', code: 'FIELD_INVALID_QUANTITY' });
  });

  it('a quantity above the configured sanity maximum is refused naming the field; raising the setting allows it', async () => {
    const res = await order('5000000');
    expect(res.statusCode).toBe(400);
    expect(json<Problem>(res).errors[0]).toMatchObject({ field: 'lines.1.quantity', label: '明细第 2 行 · 数量', code: 'FIELD_QUANTITY_TOO_BIG' });
    expect(json<Problem>(res).errors[0]!.message).toContain('1000000');
    const put = await t.app.inject({ method: 'PUT', url: '/api/admin/settings/input.maxQuantity', headers: { cookie: admin }, payload: { value: 10_000_000 } });
    expect(put.statusCode).toBe(200);
    const again = await order('5000000');
    expect(json<Problem>(again).errors?.some((e) => e.code === 'FIELD_QUANTITY_TOO_BIG') ?? false).toBe(false);
    await t.app.inject({ method: 'PUT', url: '/api/admin/settings/input.maxQuantity', headers: { cookie: admin }, payload: { value: 1_000_000 } });
  });

  it('a receipt’s production date cannot be in the future (Shanghai business date), and its quantity must be positive', async () => {
    const productId = await makeStockProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db);
    const tomorrow = businessDate(new Date(clock.now().getTime() + 36 * 3600_000));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/inventory/receipts',
      headers: { cookie: admin },
      payload: { productId, locationId: locations[0]!.id, quantity: '0', unit: 'kg', lot: { productionDate: tomorrow } },
    });
    expect(res.statusCode).toBe(400);
    const p = json<Problem>(res);
    expect(p.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'lot.productionDate', label: '新批次 · 生产日期', code: 'FIELD_DATE_IN_FUTURE' }),
        expect.objectContaining({ field: 'quantity', label: '数量', code: 'FIELD_QUANTITY_NOT_POSITIVE' }),
      ]),
    );
    const today = businessDate(clock.now());
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/inventory/receipts',
      headers: { cookie: admin },
      payload: { productId, locationId: locations[0]!.id, quantity: '5', unit: 'kg', lot: { productionDate: today } },
    });
    expect(ok.statusCode).toBe(201);
  });

  it('a file that is not an Excel workbook gets our own message in the user’s language, on the field file', async () => {
    const boundary = '----agri-bounds';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="orders.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      Buffer.from('客户编码,产品编码,数量\nC1,P1,3\n'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    for (const url of ['/api/orders/imports', '/api/customers/import']) {
      const res = await t.app.inject({ method: 'POST', url, payload: body, headers: { cookie: admin, 'content-type': `multipart/form-data; boundary=${boundary}` } });
      expect(res.statusCode).toBe(400);
      const p = json<Problem>(res);
      expect(p.code).toBe('UPLOAD_NOT_XLSX');
      expect(p.detail).toContain('不是 Excel 工作簿');
      expect(p.errors[0]).toMatchObject({ field: 'file', label: '文件' });
    }
  });
});
