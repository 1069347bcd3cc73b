import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessTime } from '../src/platform/clock.js';
import { codeLabel } from '../src/platform/i18n/codes.js';
import { makeProduct as makeStockProduct, makeWarehouse } from '../src/modules/inventory/inventory.test-support.js';
import { fixture, makeCustomer, makeProduct, type Fixture } from '../src/modules/orders/orders.test-support.js';
import { json, testApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let f: Fixture;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = (await t.loginAs(['admin'])).cookie;
  f = fixture(t, admin);
});
afterAll(async () => t?.close());

async function sheet(url: string, locale: 'zh-CN' | 'en-US'): Promise<{ headers: string[]; rows: Record<string, string>[] }> {
  const res = await t.app.inject({ url, headers: { cookie: admin, 'accept-language': locale } });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const headers: string[] = [];
  ws.getRow(1).eachCell((c, i) => (headers[i - 1] = c.text));
  const rows: Record<string, string>[] = [];
  ws.eachRow((r, n) => {
    if (n === 1) return;
    rows.push(Object.fromEntries(headers.map((h, i) => [h, r.getCell(i + 1).text])));
  });
  return { headers, rows };
}

describe('exports show codes by name and times in Shanghai business time', () => {
  it('the order export names the channel and the status, and states the zone of the creation time', async () => {
    const c = await makeCustomer(f);
    const p = await makeProduct(f);
    const o = await f.call<{ number: string; createdAt: string }>({
      method: 'POST',
      url: '/api/orders',
      payload: { customerId: c.id, channel: 'wechat', lines: [{ productId: p.id, quantity: '2', unit: 'kg' }] },
      expect: 201,
    });
    const zh = await sheet('/api/orders/export.xlsx', 'zh-CN');
    const row = zh.rows.find((r) => r['订单号'] === o.number)!;
    expect(row['渠道']).toBe('微信');
    expect(row['状态']).toBe('草稿');
    expect(zh.headers).toContain('创建时间(北京时间 UTC+8)');
    expect(row['创建时间(北京时间 UTC+8)']).toBe(businessTime(new Date(o.createdAt)));
    const en = await sheet('/api/orders/export.xlsx', 'en-US');
    const enRow = en.rows.find((r) => r.Number === o.number)!;
    expect(enRow.Channel).toBe('WeChat');
    expect(en.headers).toContain('Created (Asia/Shanghai, UTC+8)');
  });

  it('the audit export names actions and objects; the ledger export names movement kinds, zones and lot statuses', async () => {
    const audit = await sheet('/api/admin/audit/export.xlsx', 'zh-CN');
    const actions = audit.rows.map((r) => r['操作']);
    expect(actions).toContain('订单 新建');
    expect(actions.some((a) => /^[a-z]+\.[a-z.-]+$/.test(a ?? ''))).toBe(false);
    expect(audit.rows.map((r) => r['对象'])).toContain('订单');

    const productId = await makeStockProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db, ['chilled']);
    await f.call({
      method: 'POST',
      url: '/api/inventory/receipts',
      payload: { productId, locationId: locations[0]!.id, quantity: '3', unit: 'kg', lot: { productionDate: '2026-01-05' } },
      expect: 201,
    });
    const ledger = await sheet('/api/inventory/ledger/export.xlsx', 'zh-CN');
    expect(ledger.rows.map((r) => r['类型'])).toContain('收货');
    const time = ledger.headers.find((h) => h.startsWith('时间'));
    expect(time).toBe('时间(北京时间 UTC+8)');
    const stock = await sheet('/api/inventory/stock/export.xlsx?by=location', 'en-US');
    const mine = stock.rows.filter((r) => r.Location === 'B-1');
    expect(mine.map((r) => r.Zone)).toContain('Chilled');
    expect(mine.every((r) => ['Quarantined', 'Released', 'On hold', 'Rejected'].includes(r['Quality status']!))).toBe(true);
  });

  it('every audit action the system writes has a name in both languages', () => {
    const written = [
      'order.approve',
      'order.auto-approve',
      'stock.transfer',
      'user.change-password',
      'quality.inspection.sign',
      'trace.recall.execute',
      'auth.login.failed',
      'customer.qualification.add',
      'exception.create',
      'exception.escalate',
      'exception.action.done',
      'feedback.reply',
    ];
    for (const a of written) {
      expect(codeLabel('auditAction', a, 'zh-CN')).not.toBe(a);
      expect(codeLabel('auditAction', a, 'en-US')).not.toBe(a);
    }
    expect(codeLabel('auditAction', 'order.approve', 'zh-CN')).toBe('订单 审核通过');
    void json;
  });
});
