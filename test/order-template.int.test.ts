import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, makeCustomer, makeProduct, type Fixture } from '../src/modules/orders/orders.test-support.js';
import { json, testApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let f: Fixture;
let sales: string;
beforeAll(async () => {
  t = await testApp();
  f = fixture(t, (await t.loginAs(['admin'])).cookie);
  sales = (await t.loginAs(['sales'])).cookie;
});
afterAll(async () => t?.close());

type Job = { status: string; total: number; created: number; failed: number; report: { row: number; ok: boolean }[] };

async function upload(buf: Buffer): Promise<Job> {
  const boundary = '----agri-template';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\ndraft\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="orders.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    buf,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/orders/imports',
    headers: { cookie: sales, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(202);
  const id = json<{ id: string }>(res).id;
  for (let i = 0; i < 400; i++) {
    const job = await f.call<Job>({ url: `/api/orders/imports/${id}`, cookie: sales, expect: 200 });
    if (job.status !== 'running') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

describe('the Excel order template', () => {
  it('imports as downloaded: its example rows are marked 示例/EXAMPLE and skipped, real rows beside them are imported', async () => {
    const tpl = await t.app.inject({ url: '/api/orders/import/template.xlsx', headers: { cookie: sales } });
    const buf = tpl.rawPayload;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const refs: string[] = [];
    ws.eachRow((r, n) => n > 1 && refs.push(r.getCell(1).text));
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.every((r) => r.startsWith('示例'))).toBe(true);

    const asDownloaded = await upload(buf);
    expect(asDownloaded).toMatchObject({ status: 'done', total: 0, created: 0, failed: 0 });

    const c = await makeCustomer(f);
    const p = await makeProduct(f);
    ws.addRow(['R-REAL', c.code, '', '', p.code, '', '2', 'kg', '', '', '']);
    const mixed = await upload(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(mixed).toMatchObject({ status: 'done', total: 1, created: 1, failed: 0 });
  });
});
