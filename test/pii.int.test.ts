import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { moduleSealers } from '../src/modules/index.js';
import { listPriceLists } from '../src/modules/catalog/prices.service.js';
import { createCustomer } from '../src/modules/customers/customers.service.js';
import { fixture, makeProduct, resetFixtures, type Fixture } from '../src/modules/orders/orders.test-support.js';
import { SYSTEM_ACTOR } from '../src/platform/auth/actor.js';
import { fixedClock, setClock, systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { platformSealers, sealPlaintextAtRest } from '../src/platform/crypto/at-rest.js';
import { createPiiCipher, pii, setDecryptFailureLog, UNDECRYPTABLE } from '../src/platform/crypto/pii.js';
import { inTransaction, queryRows, type Database } from '../src/platform/db/client.js';
import { recordProvisionalAnswer } from '../src/platform/http/idempotency.js';
import { deliverOutbox } from '../src/platform/outbox/outbox.service.js';
import { prepare } from '../src/server.js';
import { json, testApp, type TestApp } from './helpers/app.js';
import { engine, freshDatabase, type TestDatabase } from './helpers/db.js';

/*
 * R7.3, personal data: encrypted at rest (individuals' names, prospects' contacts, outbox payloads, saved idempotent
 * answers, recorded customer messages), masked in audit rows and in the request log, masked for roles without pii:read
 * (order detail, Excel exports, search), and a value the key cannot open reads as a placeholder, never a 500.
 * A missing or wrong key is a start-up error: see test/key-fingerprint.int.test.ts.
 */

const clock = fixedClock('2026-12-01T02:00:00Z'); // Tuesday 10:00 in Shanghai
const DELIVERY = '2026-12-04';

// The personal data of one individual customer; none of it may appear in clear at rest, in an audit row or in the log.
const NAME = '王小明';
const CONTACT_PHONE = '13912340001';
const EMAIL = 'wangxm@example.cn';
const STREET = '南京东路 100 号 2 室';
const ADDRESS = `上海市黄浦区${STREET}`;
const RECEIVER = '王小红';
const ADDRESS_PHONE = '13912340002';
const PROSPECT = '城南农贸李老板';
const PROSPECT_PHONE = '13712345678';
const CLEAR = [NAME, CONTACT_PHONE, EMAIL, STREET, RECEIVER, ADDRESS_PHONE];

let t: TestApp;
let f: Fixture;
let sales: { cookie: string; userId: string; username: string };
let logistics: { cookie: string; userId: string };
let reviewer: { cookie: string };
let product: { id: string };

type Individual = { id: string; code: string; contactId: string; addressId: string };
type OrderDetail = {
  id: string;
  number: string;
  status: string;
  customerName: string;
  contact: { name: string; phone: string | null } | null;
  address: { address: string; receiver: string; phone: string } | null;
};

let n = 0;
/** An individual customer (active, credit limit in fen) with a contact and a default address, through the API. */
async function individual(creditLimitFen = 10_000_000, name = NAME): Promise<Individual> {
  n += 1;
  const c = await f.call<{ id: string; code: string }>({
    method: 'POST',
    url: '/api/customers',
    cookie: sales.cookie,
    payload: { code: `PII${n}`, name, kind: 'individual', status: 'active', creditLimitFen, paymentTermsDays: 0, regionCode: '310101' },
    expect: 201,
  });
  const ct = await f.call<{ id: string }>({
    method: 'POST',
    url: `/api/customers/${c.id}/contacts`,
    cookie: sales.cookie,
    payload: { name, phone: CONTACT_PHONE, email: EMAIL, isPrimary: true },
    expect: 201,
  });
  const a = await f.call<{ id: string }>({
    method: 'POST',
    url: `/api/customers/${c.id}/addresses`,
    cookie: sales.cookie,
    payload: { label: '家', regionCode: '310101', address: ADDRESS, receiver: RECEIVER, phone: ADDRESS_PHONE, isDefault: true },
    expect: 201,
  });
  return { id: c.id, code: c.code, contactId: ct.id, addressId: a.id };
}

const placeOrder = (c: Individual, submit: boolean, kg = '2') =>
  f.call<OrderDetail>({
    method: 'POST',
    url: '/api/orders',
    cookie: sales.cookie,
    payload: { customerId: c.id, addressId: c.addressId, contactId: c.contactId, deliveryDate: DELIVERY, lines: [{ productId: product.id, quantity: kg, unit: 'kg' }], submit },
    expect: 201,
  });

const rowsText = async (query: ReturnType<typeof sql>) => JSON.stringify(await queryRows(t.database.db, query));
const clearIn = (text: string) => CLEAR.filter((v) => text.includes(v));

let person: Individual;
let straight: OrderDetail;
let drafted: OrderDetail;

beforeAll(async () => {
  setClock(clock);
  resetFixtures();
  t = await testApp();
  const admin = await t.loginAs(['admin']);
  f = fixture(t, admin.cookie);
  sales = await t.loginAs(['sales']);
  logistics = await t.loginAs(['logistics']);
  reviewer = await t.loginAs(['reviewer']);
  await f.call({ method: 'PUT', url: '/api/admin/settings/orders.review.newCustomerManual', payload: { value: false }, expect: 200 });
  product = await makeProduct(f, { stockKg: '1000' });
  person = await individual();
  // One order straight through (the single-statement hot path: its one audit row is order.place), one saved as a draft.
  straight = await placeOrder(person, true);
  drafted = await placeOrder(person, false);
}, 180_000);
afterAll(async () => {
  setClock(systemClock);
  await t?.close();
});

describe(`personal data at rest (${engine})`, { timeout: 120_000 }, () => {
  it("an individual customer's name is stored encrypted: the name column holds only its masked form, in the customer row and in every order's snapshot (the single-statement path as the others)", async () => {
    const [c] = await queryRows<{ name: string; name_enc: string; name_idx: string }>(t.database.db, sql`select name, name_enc, name_idx from customers where id = ${person.id}`);
    expect(c!.name).toBe('王****');
    expect(pii().decrypt(c!.name_enc)).toBe(NAME);
    expect(c!.name_idx).toBe(pii().blindIndex(NAME));
    const audit = await queryRows<{ action: string }>(t.database.db, sql`select action from audit_log where entity = 'order' and entity_id = ${straight.id}`);
    expect(audit.map((a) => a.action)).toEqual(['order.place']);
    for (const o of [straight, drafted]) {
      const [row] = await queryRows<{ customer_name: string; customer_name_enc: string }>(
        t.database.db,
        sql`select customer_name, customer_name_enc from orders where id = ${o.id}`,
      );
      expect(row!.customer_name).toBe('王****');
      expect(pii().decrypt(row!.customer_name_enc)).toBe(NAME);
    }
    // Contacts and addresses were encrypted before: nothing of this customer is in clear in any of its rows.
    const stored = await rowsText(sql`select c.*, ct.*, a.* from customers c
      join customer_contacts ct on ct.customer_id = c.id join customer_addresses a on a.customer_id = c.id where c.id = ${person.id}`);
    expect(clearIn(stored)).toEqual([]);
    expect(clearIn(await rowsText(sql`select * from orders where customer_id = ${person.id}`))).toEqual([]);
    // Read back in clear by a role with pii:read.
    expect(straight.customerName).toBe(NAME);
    expect(json<{ name: string }>(await t.app.inject({ url: `/api/customers/${person.id}`, headers: { cookie: sales.cookie } })).name).toBe(NAME);
  });

  it("a prospect's name and phone in an inquiry are stored encrypted (the name column masked), and read back in clear with pii:read", async () => {
    const iq = await f.call<{ id: string; prospectName: string; prospectPhone: string }>({
      method: 'POST',
      url: '/api/inquiries',
      cookie: sales.cookie,
      payload: { channel: 'phone', prospectName: PROSPECT, prospectPhone: PROSPECT_PHONE, needs: [{ description: '富士苹果', quantity: '50', unit: 'kg' }] },
      expect: 201,
    });
    expect(iq).toMatchObject({ prospectName: PROSPECT, prospectPhone: PROSPECT_PHONE });
    const [row] = await queryRows<{ prospect_name: string; prospect_name_enc: string; prospect_phone_enc: string }>(
      t.database.db,
      sql`select prospect_name, prospect_name_enc, prospect_phone_enc from inquiries where id = ${iq.id}`,
    );
    expect(row!.prospect_name).not.toContain('李老板');
    expect(pii().decrypt(row!.prospect_name_enc)).toBe(PROSPECT);
    expect(pii().decrypt(row!.prospect_phone_enc)).toBe(PROSPECT_PHONE);
    const stored = await rowsText(sql`select * from inquiries where id = ${iq.id}`);
    expect(stored).not.toContain(PROSPECT);
    expect(stored).not.toContain(PROSPECT_PHONE);
    // Found by the full name (blind index) by a role with pii:read.
    const found = json<{ items: { id: string }[] }>(await t.app.inject({ url: `/api/inquiries?q=${encodeURIComponent(PROSPECT)}`, headers: { cookie: sales.cookie } }));
    expect(found.items.map((i) => i.id)).toEqual([iq.id]);
  });

  it('audit rows keep masked values: no name, phone, e-mail or address of the customer in clear, in any audit row, the single-statement one included', async () => {
    // A phone number and an e-mail in free text are masked too (an order's notes, a reason).
    const noted = await f.call<{ id: string }>({
      method: 'POST',
      url: '/api/orders',
      cookie: sales.cookie,
      payload: {
        customerId: person.id,
        addressId: person.addressId,
        deliveryDate: DELIVERY,
        notes: `到了打 ${ADDRESS_PHONE} 或发邮件 ${EMAIL}`,
        lines: [{ productId: product.id, quantity: '1', unit: 'kg' }],
      },
      expect: 201,
    });
    await f.call({ method: 'PATCH', url: `/api/orders/${noted.id}`, cookie: sales.cookie, payload: { notes: `改为联系 ${CONTACT_PHONE}` }, expect: 200 });
    const audit = await rowsText(sql`select action, before, after from audit_log`);
    expect(clearIn(audit)).toEqual([]);
    expect(audit).not.toContain(PROSPECT_PHONE);
    // The masked forms are kept, so the row still tells what changed.
    const contact = await queryRows<{ after: { name: string; phone: string; email: string } }>(
      t.database.db,
      sql`select after from audit_log where action = 'customer.contact.add' and entity_id = ${person.id}`,
    );
    expect(contact[0]!.after).toMatchObject({ name: '王****', phone: '139****0001', email: 'w***@example.cn' });
    const place = await queryRows<{ after: Record<string, unknown> }>(t.database.db, sql`select after from audit_log where action = 'order.place' and entity_id = ${straight.id}`);
    expect(place[0]!.after).toMatchObject({ number: straight.number, customerId: person.id, status: 'approved' });
  });

  it('outbox payloads, recorded customer messages and saved idempotent answers (the provisional one too) are stored encrypted, and read back in clear', async () => {
    // Over the credit limit: in review; rejected, a message to the customer is queued.
    const small = await individual(100);
    const o = await placeOrder(small, true);
    expect(o.status).toBe('in_review');
    await f.call({ method: 'POST', url: `/api/orders/${o.id}/reject`, cookie: reviewer.cookie, payload: { reason: '超出信用额度' }, expect: 200 });
    const outbox = await queryRows<{ payload: unknown }>(t.database.db, sql`select payload from outbox`);
    expect(outbox.length).toBeGreaterThan(0);
    for (const r of outbox) expect(Object.keys(r.payload as object)).toEqual(['enc']);
    expect(clearIn(JSON.stringify(outbox))).toEqual([]);
    await deliverOutbox(t.database.db, { clock: fixedClock(new Date(Date.now() + 60_000)), maxAttempts: 3 });
    const msgs = await queryRows<{ recipient: string; body: string }>(t.database.db, sql`select recipient, body from outbound_messages`);
    expect(clearIn(JSON.stringify(msgs))).toEqual([]);
    const opened = msgs.map((m) => ({ recipient: pii().decrypt(m.recipient), body: pii().decrypt(m.body) })).filter((m) => m.body.includes(o.number));
    // Addressed by the customer's own name (in clear only inside the encrypted message).
    expect(opened).toEqual([{ recipient: EMAIL, body: expect.stringContaining(`尊敬的${NAME}`) }]);

    // A saved answer: stored sealed, replayed in clear.
    const key = crypto.randomUUID();
    const body = { name: '王大明', phone: '13912340009', email: 'wdm@example.cn' };
    const add = () => t.app.inject({ method: 'POST', url: `/api/customers/${small.id}/contacts`, headers: { cookie: sales.cookie, 'idempotency-key': key }, payload: body });
    const first = await add();
    expect(first.statusCode, first.body).toBe(201);
    const [saved] = await queryRows<{ response: unknown; provisional: boolean }>(t.database.db, sql`select response, provisional from idempotency_keys where key = ${key}`);
    expect(Object.keys(saved!.response as object)).toEqual(['enc']);
    expect(JSON.stringify(saved)).not.toContain('13912340009');
    const again = await add();
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(json(again)).toEqual(json(first));

    // A provisional answer (written by the work's transaction, replayed when the process died before answering): sealed too.
    const provisionalKey = crypto.randomUUID();
    const other = { name: '王二明', phone: '13912340010' };
    const requestHash = crypto.createHash('sha256').update(JSON.stringify(other)).digest('hex');
    const answer = { ...json<Record<string, unknown>>(first), id: crypto.randomUUID(), name: other.name, phone: other.phone, email: null };
    await inTransaction(t.database.db, async (db) => {
      await db.execute(
        sql`insert into idempotency_keys (user_id, key, route, request_hash, claimed_by) values (${sales.userId}, ${provisionalKey}, 'POST /api/customers/:id/contacts', ${requestHash}, 'gone')`,
      );
      const req = { idempotency: { userId: sales.userId, key: provisionalKey }, routeOptions: { schema: { response: { 201: {} } } } } as unknown as FastifyRequest;
      await recordProvisionalAnswer(db, req, answer);
    });
    const [prov] = await queryRows<{ response: unknown; provisional: boolean; status_code: number }>(
      t.database.db,
      sql`select response, provisional, status_code from idempotency_keys where key = ${provisionalKey}`,
    );
    expect(prov).toMatchObject({ provisional: true, status_code: 201 });
    expect(Object.keys(prov!.response as object)).toEqual(['enc']);
    expect(JSON.stringify(prov)).not.toContain('13912340010');
    const replay = await t.app.inject({
      method: 'POST',
      url: `/api/customers/${small.id}/contacts`,
      headers: { cookie: sales.cookie, 'idempotency-key': provisionalKey },
      payload: other,
    });
    expect(replay.statusCode, replay.body).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(json(replay)).toMatchObject({ id: answer.id, name: other.name, phone: other.phone });
  });
});

describe(`masking for roles without pii:read (${engine})`, { timeout: 120_000 }, () => {
  it('order detail shows the contact, receiver, phone and address masked to a role without pii:read, in clear to one with it', async () => {
    const url = `/api/orders/${straight.id}`;
    const masked = json<OrderDetail>(await t.app.inject({ url, headers: { cookie: logistics.cookie } }));
    expect(masked.customerName).toBe('王****');
    expect(masked.contact).toEqual({ id: person.contactId, name: '王****', phone: '139****0001' });
    expect(masked.address).toMatchObject({ address: '上海市黄浦区****', receiver: '王****', phone: '139****0002' });
    expect(clearIn(JSON.stringify(masked))).toEqual([]);
    const clear = json<OrderDetail>(await t.app.inject({ url, headers: { cookie: sales.cookie } }));
    expect(clear.customerName).toBe(NAME);
    expect(clear.contact).toMatchObject({ name: NAME, phone: CONTACT_PHONE });
    expect(clear.address).toMatchObject({ address: ADDRESS, receiver: RECEIVER, phone: ADDRESS_PHONE });
    // The order list too.
    const list = json<{ items: { id: string; customerName: string }[] }>(await t.app.inject({ url: `/api/orders?customerId=${person.id}`, headers: { cookie: logistics.cookie } }));
    expect(list.items.map((o) => o.customerName)).toEqual(list.items.map(() => '王****'));
  });

  it("Excel exports of orders and customers show an individual's name masked to a role without pii:read", async () => {
    const cells = async (url: string, cookie: string) => {
      const res = await t.app.inject({ url, headers: { cookie } });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const out: string[] = [];
      wb.worksheets[0]!.eachRow((row) => row.eachCell((cell) => out.push(String(cell.value))));
      return out.join('\n');
    };
    const orders = await cells(`/api/orders/export.xlsx?customerId=${person.id}`, logistics.cookie);
    expect(orders).toContain(straight.number);
    expect(orders).toContain('王****');
    expect(orders).not.toContain(NAME);
    const customers = await cells(`/api/customers/export.xlsx?q=${person.code}`, logistics.cookie);
    expect(customers).toContain(person.code);
    expect(customers).not.toContain(NAME);
    // With pii:read the export has the name.
    expect(await cells(`/api/orders/export.xlsx?customerId=${person.id}`, sales.cookie)).toContain(NAME);
  });

  it('a search by a full phone number or full name finds nothing for a role without pii:read (it cannot confirm a number it only sees masked); with pii:read it finds the customer', async () => {
    const ids = async (url: string, cookie: string) => json<{ items: { id: string }[] }>(await t.app.inject({ url, headers: { cookie } })).items.map((x) => x.id);
    for (const q of [CONTACT_PHONE, ADDRESS_PHONE, NAME]) {
      expect(await ids(`/api/customers?q=${encodeURIComponent(q)}`, logistics.cookie)).toEqual([]);
      expect(await ids(`/api/customers/search?q=${encodeURIComponent(q)}`, logistics.cookie)).toEqual([]);
      expect(await ids(`/api/orders?q=${encodeURIComponent(q)}`, logistics.cookie)).toEqual([]);
      expect(await ids(`/api/customers?q=${encodeURIComponent(q)}`, sales.cookie)).toContain(person.id);
      expect(await ids(`/api/orders?q=${encodeURIComponent(q)}`, sales.cookie)).toEqual(expect.arrayContaining([straight.id, drafted.id]));
    }
    // A wrong number finds nothing for either.
    expect(await ids(`/api/customers?q=13912349999`, sales.cookie)).toEqual([]);
  });
});

describe(`an individual's name in clear for roles with pii:read, masked for the others, on every screen that shows it (${engine})`, { timeout: 120_000 }, () => {
  const cellsOf = async (url: string, cookie: string) => {
    const res = await t.app.inject({ url, headers: { cookie } });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const out: string[] = [];
    wb.worksheets[0]!.eachRow((row) => row.eachCell((cell) => out.push(String(cell.value))));
    return out.join('\n');
  };

  it("price lists (list, detail, export) show a customer's price list with the individual's name in clear to pii:read; the service's default and the audit row keep it masked", async () => {
    const list = await f.call<{ id: string; customerName: string }>({
      method: 'POST',
      url: '/api/catalog/price-lists',
      payload: { name: '个人价', customerId: person.id, validFrom: '2026-11-01', lines: [{ productId: product.id, unit: 'kg', unitPriceFen: 1200 }] },
      expect: 201,
    });
    expect(list.customerName).toBe(NAME);
    const get = <T>(url: string, cookie: string) => t.app.inject({ url, headers: { cookie } }).then((r) => json<T>(r));
    expect((await get<{ customerName: string }>(`/api/catalog/price-lists/${list.id}`, reviewer.cookie)).customerName).toBe(NAME);
    const page = await get<{ items: { id: string; customerName: string }[] }>(`/api/catalog/price-lists?customerId=${person.id}`, reviewer.cookie);
    expect(page.items.find((x) => x.id === list.id)?.customerName).toBe(NAME);
    expect(await cellsOf(`/api/catalog/price-lists/export.xlsx?customerId=${person.id}`, reviewer.cookie)).toContain(NAME);
    // No role without pii:read may read prices: the service's default view (no pii:read) is masked, as is the audit row.
    expect((await listPriceLists(t.database.db, { customerId: person.id, page: 1, pageSize: 10 })).items[0]?.customerName).toBe('王****');
    expect(clearIn(await rowsText(sql`select after from audit_log where entity_id = ${list.id}`))).toEqual([]);
  });

  it('the expiring-qualifications list shows the name in clear to pii:read, masked to a role without it', async () => {
    await f.call({
      method: 'POST',
      url: `/api/customers/${person.id}/qualifications`,
      cookie: sales.cookie,
      payload: { type: 'other', number: 'Q-PII-1', expiresOn: '2026-12-10' },
      expect: 201,
    });
    const names = async (cookie: string) =>
      json<{ items: { customerId: string; customerName: string }[] }>(await t.app.inject({ url: '/api/customers/qualifications/expiring?pageSize=200', headers: { cookie } }))
        .items.filter((q) => q.customerId === person.id)
        .map((q) => q.customerName);
    expect(await names(sales.cookie)).toEqual([NAME]);
    expect(await names(logistics.cookie)).toEqual(['王****']);
    expect(await cellsOf('/api/customers/qualifications/expiring/export.xlsx', logistics.cookie)).not.toContain(NAME);
  });

  it("the forward trace graph's customer node and the recall preview and report show the name in clear to pii:read, masked to the others; the report lists orders by number", async () => {
    const [r] = await queryRows<{ lot_id: string }>(t.database.db, sql`select lot_id from reservations where ref_type = 'order' and ref_id = ${straight.id} limit 1`);
    const lotId = r!.lot_id;
    const aftersales = await t.loginAs(['aftersales']);
    const warehouse = await t.loginAs(['warehouse']);
    type Trace = { customers: { customerId: string; customerName: string }[]; graph: { nodes: { id: string; kind: string; label: string }[] } };
    const trace = async (cookie: string) => json<Trace>(await t.app.inject({ url: `/api/trace/lots/${lotId}/forward`, headers: { cookie } }));
    const node = (tr: Trace, id: string) => tr.graph.nodes.find((x) => x.id === id)?.label;
    const clear = await trace(aftersales.cookie);
    expect(node(clear, `customer:${person.id}`)).toBe(NAME);
    expect(clear.customers.find((c) => c.customerId === person.id)?.customerName).toBe(NAME);
    expect(node(clear, `order:${straight.id}`)).toBe(straight.number);
    const masked = await trace(warehouse.cookie);
    expect(node(masked, `customer:${person.id}`)).toBe('王****');
    expect(clearIn(JSON.stringify(masked))).toEqual([]);

    const manager = await t.loginAs(['manager']);
    const scope = { kind: 'lot', lotId };
    const preview = json<{ customers: { customerId: string; customerName: string }[] }>(
      await t.app.inject({ method: 'POST', url: '/api/trace/recalls/preview', headers: { cookie: manager.cookie }, payload: { scope } }),
    );
    expect(preview.customers.find((c) => c.customerId === person.id)?.customerName).toBe(NAME);
    const recall = await f.call<{ id: string }>({ method: 'POST', url: '/api/trace/recalls', payload: { scope, reason: '演练', drill: true }, expect: 201 });
    // The recorded impact keeps the masked name (at rest).
    expect(clearIn(await rowsText(sql`select impact from trace_recalls where id = ${recall.id}`))).toEqual([]);
    const withPii = await cellsOf(`/api/trace/recalls/${recall.id}/report.xlsx`, aftersales.cookie);
    expect(withPii).toContain(NAME);
    expect(withPii).toContain(straight.number);
    expect(withPii).not.toContain(straight.id);
    const withoutPii = await cellsOf(`/api/trace/recalls/${recall.id}/report.xlsx`, warehouse.cookie);
    expect(withoutPii).toContain('王****');
    expect(withoutPii).toContain(straight.number);
    expect(withoutPii).not.toContain(NAME);
  });
});

describe(`values the key cannot open (${engine})`, { timeout: 120_000 }, () => {
  it('a corrupt *_enc value reads as a placeholder with 200, never a 500 (customer detail, order detail, inquiry)', async () => {
    const broken = await individual(10_000_000, '赵小刚');
    const o = await placeOrder(broken, false);
    // A ciphertext of another key (as after a key mix-up or a restore from elsewhere): well-formed, but it does not open.
    const bad = createPiiCipher(crypto.randomBytes(32)).encrypt('赵小刚');
    await t.database.db.execute(sql`update customers set name_enc = ${bad} where id = ${broken.id}`);
    await t.database.db.execute(sql`update customer_contacts set phone_enc = ${bad}, name_enc = 'not even a ciphertext' where id = ${broken.contactId}`);
    await t.database.db.execute(sql`update customer_addresses set receiver_enc = ${bad} where id = ${broken.addressId}`);
    await t.database.db.execute(sql`update orders set customer_name_enc = ${bad} where id = ${o.id}`);
    // Each value that cannot be opened is reported (the app's log), without the value.
    const reported: string[] = [];
    setDecryptFailureLog((info, msg) => reported.push(`${msg}: ${info.error}`));
    for (const cookie of [sales.cookie, logistics.cookie]) {
      const c = await t.app.inject({ url: `/api/customers/${broken.id}`, headers: { cookie } });
      expect(c.statusCode, c.body).toBe(200);
      const detail = json<{ name: string; contacts: { name: string; phone: string }[]; addresses: { receiver: string }[] }>(c);
      expect(detail.contacts[0]).toMatchObject({ name: UNDECRYPTABLE, phone: UNDECRYPTABLE });
      expect(detail.addresses[0]!.receiver).toBe(UNDECRYPTABLE);
      const od = await t.app.inject({ url: `/api/orders/${o.id}`, headers: { cookie } });
      expect(od.statusCode, od.body).toBe(200);
      expect(json<OrderDetail>(od).contact).toMatchObject({ name: UNDECRYPTABLE, phone: UNDECRYPTABLE });
      expect(json<OrderDetail>(od).address!.receiver).toBe(UNDECRYPTABLE);
      const list = await t.app.inject({ url: `/api/orders?customerId=${broken.id}`, headers: { cookie } });
      expect(list.statusCode, list.body).toBe(200);
    }
    expect(json<{ name: string }>(await t.app.inject({ url: `/api/customers/${broken.id}`, headers: { cookie: sales.cookie } })).name).toBe(UNDECRYPTABLE);
    expect(json<OrderDetail>(await t.app.inject({ url: `/api/orders/${o.id}`, headers: { cookie: sales.cookie } })).customerName).toBe(UNDECRYPTABLE);
    // Without pii:read the masked name stored beside the ciphertext is shown, as always.
    expect(json<OrderDetail>(await t.app.inject({ url: `/api/orders/${o.id}`, headers: { cookie: logistics.cookie } })).customerName).toBe('赵****');
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.every((r) => r.startsWith('personal data value cannot be decrypted') && !r.includes(bad))).toBe(true);
  });
});

describe(`the request log (${engine})`, { timeout: 120_000 }, () => {
  it('never holds a phone number or an e-mail address: not in URLs, bodies, logged objects, messages or errors', async () => {
    const chunks: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    const app = await buildApp({ database: t.database, config: { ...loadConfig({}), dataDir: '.tmp/test-data', bodyLimitBytes: 1_048_576, logLevel: 'trace' }, logStream: stream });
    await app.ready();
    try {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: sales.username, password: 'Passw0rd!' } });
      expect(login.statusCode).toBe(200);
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const get = (url: string) => app.inject({ url, headers: { cookie } });
      expect((await get(`/api/customers?q=${CONTACT_PHONE}`)).statusCode).toBe(200);
      expect((await get(`/api/customers/search?q=${encodeURIComponent(EMAIL)}`)).statusCode).toBe(200);
      expect((await get(`/api/orders?q=${encodeURIComponent('139 1234 0002')}&status=approved`)).statusCode).toBe(200);
      // A path holding an e-mail (a 400 or 404), and a refused body holding a phone (400 with the field named).
      expect((await get(`/api/customers/${encodeURIComponent(EMAIL)}`)).statusCode).toBeGreaterThanOrEqual(400);
      const refused = await app.inject({
        method: 'POST',
        url: `/api/customers/${person.id}/contacts`,
        headers: { cookie },
        payload: { name: NAME, phone: CONTACT_PHONE, email: 'not an e-mail' },
      });
      expect(refused.statusCode).toBe(400);
      const added = await app.inject({
        method: 'POST',
        url: `/api/customers/${person.id}/contacts`,
        headers: { cookie },
        payload: { name: '王三', phone: '13912340003', email: 'ws@example.cn' },
      });
      expect(added.statusCode).toBe(201);
      // What code logs itself: objects with personal fields, messages and errors quoting a number.
      app.log.info({ phone: CONTACT_PHONE, contact: { email: EMAIL }, note: `请致电 ${ADDRESS_PHONE}` }, `customer ${EMAIL} called from ${CONTACT_PHONE}`);
      app.log.error(new Error(`could not send to ${ADDRESS_PHONE} / ${EMAIL}`), 'delivery failed');
      app.log.warn({ err: new Error(`bounce from ${EMAIL}`) }, 'mail bounced');
    } finally {
      await app.close();
    }
    const log = chunks.join('');
    expect(log).toContain('incoming request');
    expect(log).toContain('delivery failed');
    for (const v of [CONTACT_PHONE, ADDRESS_PHONE, '13912340003', '139 1234 0002', EMAIL, 'ws@example.cn', encodeURIComponent(EMAIL)]) expect(log, v).not.toContain(v);
    // Masked, not dropped: the log still tells which number (its ends) was involved.
    expect(log).toContain('139****0001');
  });
});

describe(`start-up sealing of personal data left in clear (${engine})`, { timeout: 180_000 }, () => {
  it('rows written in clear (an older version) are sealed by the start-up sealers, and sealing again changes nothing', async () => {
    const db = t.database.db;
    // Put back in clear what older versions stored so: names, an inquiry's prospect, outbox payloads, saved answers, messages.
    const clearCustomer = await individual(10_000_000, '钱小多');
    const o = await placeOrder(clearCustomer, false);
    const iq = await f.call<{ id: string }>({
      method: 'POST',
      url: '/api/inquiries',
      cookie: sales.cookie,
      payload: { channel: 'visit', prospectName: '孙老板', needs: [{ description: '梨' }] },
      expect: 201,
    });
    await db.execute(sql`update customers set name = '钱小多', name_enc = null, name_idx = null where id = ${clearCustomer.id}`);
    await db.execute(sql`update orders set customer_name = '钱小多', customer_name_enc = null where id = ${o.id}`);
    await db.execute(sql`update inquiries set prospect_name = '孙老板', prospect_name_enc = null, prospect_name_idx = null where id = ${iq.id}`);
    await db.execute(
      sql`insert into outbox (id, topic, payload, status) values (${crypto.randomUUID()}, 'test.clear', ${JSON.stringify({ recipient: '13800001111' })}::jsonb, 'done')`,
    );
    await db.execute(sql`update idempotency_keys set response = ${JSON.stringify({ phone: '13800002222' })}::jsonb where user_id = ${sales.userId} and provisional = false`);
    await db.execute(
      sql`insert into outbound_messages (id, source_id, channel, recipient, subject, body) values (${crypto.randomUUID()}, ${crypto.randomUUID()}, 'sms', '13800003333', 's', '尊敬的钱小多')`,
    );
    const sealers = [...platformSealers, ...moduleSealers];
    const first = await sealPlaintextAtRest(db, sealers, 2);
    expect(first).toMatchObject({ 'customers.name': 1, 'orders.customer_name': 1, 'inquiries.prospect_name': 1, 'outbox.payload': 1, 'outbound_messages.recipient': 1 });
    expect(first['idempotency_keys.response']).toBeGreaterThanOrEqual(1);
    const everything = sql`select (select json_agg(c) from customers c) as c, (select json_agg(o) from orders o) as o, (select json_agg(i) from inquiries i) as i,
      (select json_agg(x) from outbox x) as x, (select json_agg(k) from idempotency_keys k) as k, (select json_agg(m) from outbound_messages m) as m`;
    const sealed = await rowsText(everything);
    for (const v of ['钱小多', '孙老板', '13800001111', '13800002222', '13800003333']) expect(sealed, v).not.toContain(v);
    // Read back in clear, as if never left in clear.
    expect(json<{ name: string }>(await t.app.inject({ url: `/api/customers/${clearCustomer.id}`, headers: { cookie: sales.cookie } })).name).toBe('钱小多');
    expect(json<OrderDetail>(await t.app.inject({ url: `/api/orders/${o.id}`, headers: { cookie: sales.cookie } })).customerName).toBe('钱小多');
    expect(json<{ prospectName: string }>(await t.app.inject({ url: `/api/inquiries/${iq.id}`, headers: { cookie: sales.cookie } })).prospectName).toBe('孙老板');
    const [m] = await queryRows<{ recipient: string; body: string }>(db, sql`select recipient, body from outbound_messages where channel = 'sms' and subject = 's'`);
    expect([pii().decrypt(m!.recipient), pii().decrypt(m!.body)]).toEqual(['13800003333', '尊敬的钱小多']);
    // Idempotent: a second run finds nothing and leaves every row as it was.
    const second = await sealPlaintextAtRest(db, sealers, 2);
    expect(Object.values(second).every((x) => x === 0)).toBe(true);
    expect(await rowsText(everything)).toBe(sealed);
  });

  it('the server start seals them (prepare() prints what it sealed) and a start after that seals nothing', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-pii-'));
    let pg: TestDatabase | null = null;
    try {
      if (engine === 'postgres') pg = await freshDatabase();
      const config = { ...loadConfig({}), databaseUrl: pg?.url, dataDir, secret: 'test-secret', adminPassword: 'Adm1nPassw0rd' };
      const start = async () => {
        const printed: string[] = [];
        const { database } = await prepare(config, (s) => printed.push(s));
        return { database, printed: printed.join('\n') };
      };
      const one = await start();
      const c = await inTransaction(one.database.db, (db) => createCustomer(db, SYSTEM_ACTOR, { name: '周小样', kind: 'individual' }));
      await one.database.db.execute(sql`update customers set name = '周小样', name_enc = null, name_idx = null where id = ${c.id}`);
      await one.database.close();
      const two = await start();
      expect(two.printed).toMatch(/Encrypted personal data left in clear \/ 已加密遗留的明文个人信息: .*customers\.name 1/);
      const row = async (database: Database) =>
        (await queryRows<{ name: string; name_enc: string }>(database.db, sql`select name, name_enc from customers where id = ${c.id}`))[0]!;
      const sealed = await row(two.database);
      expect(sealed.name).toBe('周****');
      expect(pii().decrypt(sealed.name_enc)).toBe('周小样');
      await two.database.close();
      const three = await start();
      expect(three.printed).not.toMatch(/Encrypted personal data left in clear/);
      expect(await row(three.database)).toEqual(sealed);
      await three.database.close();
    } finally {
      await pg?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
