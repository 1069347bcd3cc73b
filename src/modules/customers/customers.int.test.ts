import ExcelJS from 'exceljs';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clock, fixedClock, setClock, systemClock, businessDate } from '../../platform/clock.js';
import { inTransaction } from '../../platform/db/client.js';
import { auditLog } from '../../platform/platform.tables.js';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { customerAddresses, customerContacts, customers } from './customers.tables.js';
import { runQualificationAlerts } from './customers.service.js';
import { withUsciCheck } from './usci.js';

let t: TestApp;
let sales: string;
let logistics: string;
const USCI = withUsciCheck('91330106MA2B3C4D5');

type Problem = { code: string; errors?: { field: string; code: string }[] };
type Detail = {
  id: string;
  code: string;
  status: string;
  contacts: { id: string; name: string; phone: string | null; email: string | null }[];
  addresses: { address: string; phone: string; regionName: string }[];
  qualifications: { id: string; expiringSoon: boolean; expired: boolean }[];
  piiMasked: boolean;
};

const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, cookie: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

function multipart(filename: string, contentType: string, data: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----agri-test-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, data, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(url: string, cookie: string, filename: string, contentType: string, data: Buffer) {
  const m = multipart(filename, contentType, data);
  return t.app.inject({ method: 'POST', url, payload: m.payload, headers: { ...m.headers, cookie } });
}

async function sheet(rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('客户');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function customerCount(): Promise<number> {
  const [r] = await t.database.db.select({ n: count() }).from(customers);
  return r!.n;
}

let companyId: string;

beforeAll(async () => {
  t = await testApp();
  sales = (await t.loginAs(['sales'])).cookie;
  logistics = (await t.loginAs(['logistics'])).cookie;
  const res = await req('POST', '/api/customers', sales, {
    name: '杭州鲜丰超市有限公司',
    kind: 'company',
    usci: USCI.toLowerCase(),
    regionCode: '330106',
    creditLimitFen: 5_000_000,
    paymentTermsDays: 30,
    group: '商超',
    tags: ['重点', '重点', ' 冷链 '],
  });
  expect(res.statusCode, res.body).toBe(201);
  companyId = json<Detail>(res).id;
  const contact = await req('POST', `/api/customers/${companyId}/contacts`, sales, { name: '张伟', phone: '139-0571-0001', email: 'zhangwei@example.cn', isPrimary: true });
  expect(contact.statusCode, contact.body).toBe(201);
  const address = await req('POST', `/api/customers/${companyId}/addresses`, sales, {
    label: '配送中心',
    regionCode: '330106',
    address: '文三路 477 号 3 楼',
    receiver: '张伟',
    phone: '13905710001',
    isDefault: true,
  });
  expect(address.statusCode, address.body).toBe(201);
});
afterAll(async () => {
  setClock(systemClock);
  await t?.close();
});

describe('customer master data', () => {
  it('creates a prospect with a generated code, normalised USCI and de-duplicated tags', async () => {
    const c = json<Detail & { usci: string; tags: string[]; regionName: string }>(await req('GET', `/api/customers/${companyId}`, sales));
    expect(c.status).toBe('prospect');
    expect(c.code).toMatch(/^CU\d{8}-\d{4}$/);
    expect(c.usci).toBe(USCI);
    expect(c.tags).toEqual(['重点', '冷链']);
    expect(c.regionName).toBe('浙江省 杭州市 西湖区');
  });

  it('rejects a USCI with a wrong check character and a duplicate USCI', async () => {
    const before = await customerCount();
    const bad = await req('POST', '/api/customers', sales, { name: 'X', kind: 'company', usci: '91350100M000100Y44' });
    expect(bad.statusCode).toBe(400);
    expect(json<Problem>(bad).errors![0]).toMatchObject({ field: 'usci', code: 'CUSTOMER_USCI_INVALID' });
    const dup = await req('POST', '/api/customers', sales, { name: 'Y', kind: 'company', usci: USCI });
    expect(dup.statusCode).toBe(409);
    expect(json<Problem>(dup).code).toBe('CUSTOMER_USCI_TAKEN');
    const region = await req('POST', '/api/customers', sales, { name: 'Z', kind: 'individual', regionCode: '999999' });
    expect(json<Problem>(region).code).toBe('CUSTOMER_REGION_UNKNOWN');
    expect(await customerCount()).toBe(before);
  });

  it('refuses customer writes to roles without customers:manage', async () => {
    expect((await req('POST', '/api/customers', logistics, { name: 'L', kind: 'individual' })).statusCode).toBe(403);
    expect((await req('GET', '/api/customers', (await t.loginAs(['qc'])).cookie)).statusCode).toBe(403);
  });

  it('moves through its lifecycle with history; suspension needs a reason', async () => {
    const noUsci = json<Detail>(await req('POST', '/api/customers', sales, { name: '无代码公司', kind: 'company' }));
    const blocked = await req('POST', `/api/customers/${noUsci.id}/activate`, sales, {});
    expect(blocked.statusCode).toBe(409);
    expect(json<Problem>(blocked).code).toBe('CUSTOMER_USCI_REQUIRED');

    expect(json<Detail>(await req('POST', `/api/customers/${companyId}/activate`, sales, {})).status).toBe('active');
    const noReason = await req('POST', `/api/customers/${companyId}/suspend`, sales, {});
    expect(noReason.statusCode).toBe(400);
    expect(json<Detail>(await req('POST', `/api/customers/${companyId}/suspend`, sales, { reason: '逾期未付' })).status).toBe('suspended');
    const again = await req('POST', `/api/customers/${companyId}/activate`, sales, {});
    expect(again.statusCode).toBe(409);
    expect(json<Problem>(again).code).toBe('INVALID_TRANSITION');
    expect(json<Detail>(await req('POST', `/api/customers/${companyId}/reinstate`, sales, {})).status).toBe('active');
    const history = json<{ items: { toState: string; reason: string | null }[] }>(await req('GET', `/api/customers/${companyId}/history`, sales));
    expect(history.items.map((h) => h.toState)).toEqual(['prospect', 'active', 'suspended', 'active']);
    expect(history.items[2]!.reason).toBe('逾期未付');
  });
});

describe('personal data', () => {
  it('stores contact and address personal data encrypted', async () => {
    const [c] = await t.database.db.select().from(customerContacts).where(eq(customerContacts.customerId, companyId));
    const [a] = await t.database.db.select().from(customerAddresses).where(eq(customerAddresses.customerId, companyId));
    const raw = JSON.stringify([c, a]);
    expect(raw).not.toContain('张伟');
    expect(raw).not.toContain('13905710001');
    expect(raw).not.toContain('文三路');
    expect(c!.nameEnc).toMatch(/^v1:/);
  });

  it('shows personal data to roles with pii:read and masks it for the others', async () => {
    const clear = json<Detail>(await req('GET', `/api/customers/${companyId}`, sales));
    expect(clear.piiMasked).toBe(false);
    expect(clear.contacts[0]).toMatchObject({ name: '张伟', phone: '139-0571-0001', email: 'zhangwei@example.cn' });
    expect(clear.addresses[0]).toMatchObject({ address: '文三路 477 号 3 楼', phone: '13905710001' });
    const masked = json<Detail>(await req('GET', `/api/customers/${companyId}`, logistics));
    expect(masked.piiMasked).toBe(true);
    expect(masked.contacts[0]!.phone).toBe('139****0001');
    expect(masked.contacts[0]!.email).toBe('z***@example.cn');
    expect(masked.addresses[0]!.address).not.toContain('477');
    expect(masked.addresses[0]!.regionName).toBe('浙江省 杭州市 西湖区');
  });

  it('keeps plain personal data out of the audit log', async () => {
    const rows = await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, companyId));
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['customer.create', 'customer.contact.add', 'customer.address.add']));
    expect(JSON.stringify(rows)).not.toContain('13905710001');
  });

  it('finds customers by name and code, and by contact or address phone only for roles with pii:read', async () => {
    const findAs = async (who: string, q: string) => json<{ items: { id: string }[] }>(await req('GET', `/api/customers?q=${encodeURIComponent(q)}`, who)).items.map((c) => c.id);
    const find = (q: string) => findAs(sales, q);
    expect(await findAs(logistics, '鲜丰')).toEqual([companyId]);
    const code = json<Detail>(await req('GET', `/api/customers/${companyId}`, sales)).code;
    expect(await findAs(logistics, code)).toEqual([companyId]);
    expect(await find('13905710001')).toEqual([companyId]);
    expect(await find('139 0571 0001')).toEqual([companyId]);
    expect(await find('13905710002')).toEqual([]);
    // Without pii:read a phone number finds nothing: the search cannot confirm a number the role only sees masked.
    expect(await findAs(logistics, '13905710001')).toEqual([]);
    const search = json<{ items: { id: string }[] }>(await req('GET', '/api/customers/search?q=13905710001', sales));
    expect(search.items.map((c) => c.id)).toEqual([companyId]);
  });

  it('archives a contact instead of deleting it', async () => {
    const c = json<Detail>(await req('GET', `/api/customers/${companyId}`, sales)).contacts[0]!;
    const extra = json<{ id: string }>(await req('POST', `/api/customers/${companyId}/contacts`, sales, { name: '临时', phone: '13700000000' }));
    expect((await req('DELETE', `/api/customers/${companyId}/contacts/${extra.id}`, sales)).statusCode).toBe(204);
    const after = json<Detail>(await req('GET', `/api/customers/${companyId}`, sales));
    expect(after.contacts.map((x) => x.id)).toEqual([c.id]);
    const rows = await t.database.db.select().from(customerContacts).where(eq(customerContacts.id, extra.id));
    expect(rows[0]!.archivedAt).not.toBeNull();
  });
});

describe('qualifications and expiry alerts', () => {
  it('flags documents inside the alert window and alerts once per expiry date', async () => {
    const clockAt = fixedClock('2026-11-27T02:00:00Z');
    setClock(clockAt);
    try {
      const today = businessDate(clock.now());
      expect(today).toBe('2026-11-27');
      const soon = json<{ id: string; expiringSoon: boolean }>(
        await req('POST', `/api/customers/${companyId}/qualifications`, sales, { type: 'food_permit', number: 'JY13301060001', issuedOn: '2021-12-10', expiresOn: '2026-12-10' }),
      );
      expect(soon.expiringSoon).toBe(true);
      const far = await req('POST', `/api/customers/${companyId}/qualifications`, sales, {
        type: 'business_licence',
        number: USCI,
        issuedOn: '2020-01-01',
        expiresOn: '2040-01-01',
      });
      expect(json<{ expiringSoon: boolean }>(far).expiringSoon).toBe(false);
      const bad = await req('POST', `/api/customers/${companyId}/qualifications`, sales, { type: 'other', number: 'X', issuedOn: '2026-01-02', expiresOn: '2026-01-01' });
      expect(json<Problem>(bad).code).toBe('QUALIFICATION_DATES_INVALID');

      const expiring = json<{ items: { id: string; daysLeft: number }[] }>(await req('GET', '/api/customers/qualifications/expiring', sales));
      expect(expiring.items.map((q) => [q.id, q.daysLeft])).toEqual([[soon.id, 13]]);
      const flagged = json<{ items: { id: string }[] }>(await req('GET', '/api/customers?qualificationAlert=true', sales));
      expect(flagged.items.map((c) => c.id)).toEqual([companyId]);

      const sent: string[] = [];
      const notify = async (_db: unknown, n: { body: { zh: string } }) => {
        sent.push(n.body.zh);
      };
      expect(await inTransaction(t.database.db, (db) => runQualificationAlerts(db, notify))).toBe(1);
      expect(sent[0]).toContain('2026-12-10');
      expect(await inTransaction(t.database.db, (db) => runQualificationAlerts(db, notify))).toBe(0);

      // A renewal with a new expiry date re-arms the alert once it enters the window again.
      await req('PATCH', `/api/customers/${companyId}/qualifications/${soon.id}`, sales, { expiresOn: '2027-01-31' });
      expect(await inTransaction(t.database.db, (db) => runQualificationAlerts(db, notify))).toBe(0);
      clockAt.set('2027-01-10T02:00:00Z');
      expect(await inTransaction(t.database.db, (db) => runQualificationAlerts(db, notify))).toBe(1);
    } finally {
      setClock(systemClock);
    }
  });

  it('uploads a scan and links it to a qualification', async () => {
    const pdf = Buffer.from('%PDF-1.4 fake');
    const up = await upload(`/api/customers/${companyId}/files`, sales, '执照.pdf', 'application/pdf', pdf);
    expect(up.statusCode, up.body).toBe(201);
    const fileId = json<{ id: string }>(up).id;
    const q = await req('POST', `/api/customers/${companyId}/qualifications`, sales, { type: 'other', number: 'F-1', fileId });
    expect(q.statusCode).toBe(201);
    const down = await req('GET', `/api/customers/${companyId}/files/${fileId}`, logistics);
    expect(down.rawPayload.equals(pdf)).toBe(true);
    const exe = await upload(`/api/customers/${companyId}/files`, sales, 'x.exe', 'application/x-msdownload', Buffer.from('MZ'));
    expect(exe.statusCode).toBe(415);
  });
});

describe('Excel import and export', () => {
  const header = [
    '客户编码',
    '客户名称',
    '类型',
    '统一社会信用代码',
    '状态',
    '信用额度(元)',
    '账期(天)',
    '信用等级',
    '行政区划代码',
    '客户组',
    '标签',
    '联系人',
    '联系电话',
    '收货地址',
  ];

  it('imports every row with its contact and address', async () => {
    const file = await sheet([
      header,
      [
        'IMP-1',
        '南京鼓楼惠民超市',
        '企业',
        withUsciCheck('92320106MA3Q4R5T6'),
        '启用',
        '12345.67',
        '30',
        'B',
        '320106',
        '商超',
        '社区,新店',
        '孙丽',
        '13851400007',
        '中山北路 200 号',
      ],
      ['IMP-2', '个人客户', '个人', '', '', '', '', '', '', '', '', '', '', ''],
    ]);
    const res = await upload('/api/customers/import', sales, 'c.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', file);
    expect(res.statusCode, res.body).toBe(200);
    expect(json<{ imported: number }>(res).imported).toBe(2);
    const c = json<{ items: (Detail & { creditLimitFen: number; status: string; tags: string[] })[] }>(await req('GET', '/api/customers?q=IMP-1', sales)).items[0]!;
    expect(c).toMatchObject({ creditLimitFen: 1_234_567, status: 'active', tags: ['社区', '新店'] });
    const detail = json<Detail>(await req('GET', `/api/customers/${c.id}`, sales));
    expect(detail.contacts[0]!.phone).toBe('13851400007');
    expect(detail.addresses[0]!.address).toBe('中山北路 200 号');
  });

  it('imports nothing and reports each bad cell by row and field', async () => {
    const before = await customerCount();
    const file = await sheet([
      header,
      ['IMP-3', '好客户', '企业', '', '', '', '', '', '', '', '', '', '', ''],
      ['IMP-4', '坏客户', '公司?', '', '', 'abc', '', 'E', '', '', '', '', '', ''],
      ['IMP-1', '重复编码', '个人', '91350100M000100Y44', '', '', '', '', '', '', '', '', '', ''],
    ]);
    const res = await upload('/api/customers/import', sales, 'c.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', file);
    expect(res.statusCode).toBe(422);
    const body = json<Problem>(res);
    expect(body.code).toBe('IMPORT_HAS_ERRORS');
    expect(body.errors!.map((e) => e.field)).toEqual(expect.arrayContaining(['rows.3.kind', 'rows.3.creditLimit', 'rows.3.creditRating', 'rows.4.usci']));
    expect(await customerCount()).toBe(before);
  });

  it('rejects a file without the required columns', async () => {
    const res = await upload('/api/customers/import', sales, 'c.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', await sheet([['foo'], ['bar']]));
    expect(res.statusCode).toBe(400);
    expect(json<Problem>(res).code).toBe('IMPORT_MISSING_COLUMNS');
  });

  it('exports the filtered list and serves an import template', async () => {
    const xlsx = await req('GET', '/api/customers/export.xlsx?status=active', sales);
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBeGreaterThan(1);
    expect((await req('GET', '/api/customers/import-template.xlsx', sales)).statusCode).toBe(200);
  });

  it('lists the regions below a province for pickers', async () => {
    const res = json<{ items: { code: string; name: string }[] }>(await req('GET', '/api/regions?parent=330000', logistics));
    expect(res.items[0]).toEqual({ code: '330100', name: '杭州市', level: 'city', parentCode: '330000' });
  });
});
