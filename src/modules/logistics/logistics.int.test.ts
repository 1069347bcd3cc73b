import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { engine, skipReason } from '../../../test/helpers/db.js';
import { fixedClock, setClock, systemClock } from '../../platform/clock.js';
import { openJson } from '../../platform/crypto/pii.js';
import { queryRows } from '../../platform/db/client.js';
import { verifyStock } from '../inventory/index.js';
import { gs1CheckDigit } from '../trace/index.js';
import { approvedOrder, makeBins, makeCustomer, makeProduct, receiveLot, setup, uniq, type Fixture } from './logistics.test-support.js';

const clock = fixedClock('2026-12-01T02:00:00Z'); // Tuesday 10:00 in Shanghai
const DELIVERY = '2026-12-04';

type Problem = { code: string; detail?: string; title?: string; errors?: { field: string; code: string; message?: string }[] };
type Contract = { id: string; number: string; state: string };
type Proposal = {
  weightKg: string;
  needs: { coldChain: boolean; tempBand: string | null };
  options: { contractId: string; costFen: number; rateBasis: string; arrivalDate: string }[];
  excluded: { contractId: string; reasons: { code: string; message: string }[] }[];
  chosen: { contractId: string; costFen: number } | null;
};
type PickLine = {
  id: string;
  seq: number;
  orderId: string;
  lotCode: string;
  locationCode: string;
  quantity: string;
  reservationId: string;
  status: string;
  pickedQuantity: string | null;
};
type PickList = { id: string; number: string; status: string; orderNumbers: string[]; lines: PickLine[]; backorders: { orderId: string; quantity: string; status: string }[] };

let t: TestApp;
let f: Fixture;
let warehouse: { cookie: string };
let logistics: { cookie: string };
let sales: { cookie: string };

beforeAll(async () => {
  setClock(clock);
  t = await testApp();
  f = await setup(t);
  warehouse = await t.loginAs(['warehouse']);
  logistics = await t.loginAs(['logistics']);
  sales = await t.loginAs(['sales']);
});
afterAll(async () => {
  await t?.close();
  setClock(systemClock);
});

const raw = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, cookie: string, payload?: unknown, lang = 'zh-CN') =>
  t.app.inject({ method, url, headers: { cookie, 'accept-language': lang }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

async function carrier(code = `CA${uniq()}`, extra: Record<string, unknown> = {}): Promise<{ id: string; code: string }> {
  return f.call({
    method: 'POST',
    url: '/api/logistics/carriers',
    cookie: logistics.cookie,
    payload: { code, name: `顺达冷链${code}`, nameEn: `Shunda ${code}`, ...extra },
    expect: 201,
  });
}
async function contract(carrierId: string, body: Record<string, unknown>): Promise<Contract> {
  return f.call({
    method: 'POST',
    url: '/api/logistics/contracts',
    cookie: logistics.cookie,
    payload: { carrierId, number: `K${uniq()}`, serviceType: 'cold_chain', tempMinC: 0, tempMaxC: 2, transitDays: 1, validFrom: '2026-01-01', validTo: '2026-12-31', ...body },
    expect: 201,
  });
}

describe('carriers and contracts', () => {
  it('a carrier list searches, filters, sorts, paginates and exports', async () => {
    const a = await carrier(`ZZA${uniq()}`);
    await carrier(`ZZB${uniq()}`, { ownFleet: true });
    await contract(a.id, {});
    const page = await f.call<{ items: { code: string; validContracts: number }[]; total: number }>({ url: '/api/logistics/carriers?q=ZZ&sort=-code&pageSize=1' });
    expect(page.total).toBe(2);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]!.code.startsWith('ZZB')).toBe(true);
    const own = await f.call<{ items: { code: string }[] }>({ url: '/api/logistics/carriers?q=ZZ&ownFleet=true' });
    expect(own.items.map((c) => c.code.slice(0, 3))).toEqual(['ZZB']);
    const withValid = await f.call<{ items: { code: string; validContracts: number }[] }>({ url: `/api/logistics/carriers?q=${a.code}` });
    expect(withValid.items[0]!.validContracts).toBe(1);
    const xlsx = await raw('GET', '/api/logistics/carriers/export.xlsx?q=ZZ', f.admin);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });

  it('a contract whose end is before its start, or a cold-chain service without a band, is refused with the field named', async () => {
    const a = await carrier();
    const dates = await raw('POST', '/api/logistics/contracts', logistics.cookie, {
      carrierId: a.id,
      number: `K${uniq()}`,
      serviceType: 'standard',
      transitDays: 1,
      validFrom: '2026-12-01',
      validTo: '2026-11-01',
    });
    expect(dates.statusCode).toBe(400);
    expect(json<Problem>(dates)).toMatchObject({ code: 'CONTRACT_DATES_INVALID', errors: [{ field: 'validTo' }] });
    const band = await raw(
      'POST',
      '/api/logistics/contracts',
      logistics.cookie,
      { carrierId: a.id, number: `K${uniq()}`, serviceType: 'cold_chain', transitDays: 1, validFrom: '2026-01-01', validTo: '2026-12-31' },
      'en-US',
    );
    expect(band.statusCode).toBe(400);
    expect(json<Problem>(band)).toMatchObject({ code: 'CONTRACT_TEMP_BAND_INVALID', errors: [{ field: 'tempMinC' }] });
    expect(json<Problem>(band).detail ?? json<Problem>(band).title).toMatch(/cold-chain service needs a temperature band/);
    const dup = await raw('POST', '/api/logistics/carriers', logistics.cookie, { code: a.code, name: 'x' });
    expect(dup.statusCode).toBe(409);
    expect(json<Problem>(dup).code).toBe('CARRIER_CODE_TAKEN');
  });

  it('the contract list shows each contract as valid, expired or not yet valid and filters by it', async () => {
    const a = await carrier();
    const valid = await contract(a.id, {});
    const expired = await contract(a.id, { validTo: '2026-11-30' });
    const future = await contract(a.id, { validFrom: '2027-01-01', validTo: '2027-12-31' });
    const all = await f.call<{ items: Contract[] }>({ url: `/api/logistics/contracts?carrierId=${a.id}&sort=validTo` });
    expect(all.items.map((c) => [c.number, c.state])).toEqual([
      [expired.number, 'expired'],
      [valid.number, 'valid'],
      [future.number, 'not_started'],
    ]);
    const onlyExpired = await f.call<{ items: Contract[] }>({ url: `/api/logistics/contracts?carrierId=${a.id}&state=expired` });
    expect(onlyExpired.items.map((c) => c.number)).toEqual([expired.number]);
    expect((await raw('GET', `/api/logistics/contracts/export.xlsx?carrierId=${a.id}`, f.admin)).statusCode).toBe(200);
  });

  it('sales staff can read nothing of logistics and warehouse staff cannot manage carriers', async () => {
    expect((await raw('GET', '/api/logistics/carriers', sales.cookie)).statusCode).toBe(403);
    expect((await raw('POST', '/api/logistics/carriers', warehouse.cookie, { code: `X${uniq()}`, name: 'x' })).statusCode).toBe(403);
    expect((await raw('GET', '/api/logistics/carriers', warehouse.cookie)).statusCode).toBe(200);
  });
});

describe('delivery method proposal', () => {
  it('proposes the contracts that reach the region by the delivery date at the products’ temperature, cheapest first, and says why the others are excluded', async () => {
    const c = await makeCustomer(f, { regionCode: '310101' });
    const p = await makeProduct(f, { stockKg: '50', coldChain: true });
    const o = await approvedOrder(f, c, [{ productId: p.id, kg: '14' }], DELIVERY);
    expect(o.status).toBe('approved');
    const a = await carrier();
    const base = await contract(a.id, { regions: ['310000'], perKgFen: 200, perShipmentFen: 1000 });
    const regional = await contract(a.id, { perKgFen: 300, perShipmentFen: 2000, regionRates: [{ regionCode: '310100', perKgFen: 100, perShipmentFen: 500 }] });
    const expired = await contract(a.id, { validTo: '2026-11-30' });
    const ambient = await contract(a.id, { serviceType: 'standard', tempMinC: null, tempMaxC: null });
    const frozen = await contract(a.id, { tempClass: 'frozen', tempMinC: -25, tempMaxC: -18 });
    const slow = await contract(a.id, { transitDays: 5 });
    const elsewhere = await contract(a.id, { regions: ['440000'] });

    const zh = await f.call<Proposal>({ url: `/api/logistics/orders/${o.id}/delivery-options`, cookie: logistics.cookie });
    expect(zh.weightKg).toBe('14.000');
    expect(zh.needs).toMatchObject({ coldChain: true, tempBand: '0–2 °C' });
    const mine = (id: string) => zh.options.find((x) => x.contractId === id);
    expect(mine(regional.id)).toMatchObject({ costFen: 500 + 14 * 100, rateBasis: '310100', arrivalDate: '2026-12-02' });
    expect(mine(base.id)).toMatchObject({ costFen: 1000 + 14 * 200, rateBasis: 'base' });
    expect(zh.options.indexOf(mine(regional.id)!)).toBeLessThan(zh.options.indexOf(mine(base.id)!));
    const why = (id: string) => zh.excluded.find((x) => x.contractId === id)?.reasons.map((r) => r.code);
    expect(why(expired.id)).toEqual(['CONTRACT_EXPIRED']);
    expect(why(ambient.id)).toEqual(['NOT_COLD_CHAIN']);
    expect(why(frozen.id)).toEqual(['TEMPERATURE_MISMATCH']);
    expect(why(slow.id)).toEqual(['TOO_SLOW']);
    expect(why(elsewhere.id)).toEqual(['REGION_NOT_SERVED']);
    expect(zh.excluded.find((x) => x.contractId === slow.id)!.reasons[0]!.message).toBe('在途 5 天,2026-12-06 才能送达,晚于交货日 2026-12-04');

    const en = json<Proposal>(await raw('GET', `/api/logistics/orders/${o.id}/delivery-options`, logistics.cookie, undefined, 'en-US'));
    expect(en.excluded.find((x) => x.contractId === expired.id)!.reasons[0]!.message).toBe('the contract expired on 2026-11-30');
  });

  it('an expired contract cannot be chosen; an eligible one is recorded with its cost and audited', async () => {
    const c = await makeCustomer(f);
    const p = await makeProduct(f, { stockKg: '50', coldChain: true });
    const o = await approvedOrder(f, c, [{ productId: p.id, kg: '10' }], DELIVERY);
    const a = await carrier();
    const expired = await contract(a.id, { validTo: '2026-11-30' });
    const ok = await contract(a.id, { perKgFen: 150, perShipmentFen: 800, minChargeFen: 5000 });
    const refused = await raw('PUT', `/api/logistics/orders/${o.id}/delivery-method`, logistics.cookie, { contractId: expired.id }, 'en-US');
    expect(refused.statusCode).toBe(409);
    expect(json<Problem>(refused)).toMatchObject({ code: 'CONTRACT_NOT_ELIGIBLE', errors: [{ field: 'contractId' }] });
    expect(JSON.stringify(json(refused))).toContain('expired on 2026-11-30');
    const chosen = await f.call<{ contractId: string; costFen: number; arrivalDate: string }>({
      method: 'PUT',
      url: `/api/logistics/orders/${o.id}/delivery-method`,
      cookie: logistics.cookie,
      payload: { contractId: ok.id },
      expect: 200,
    });
    expect(chosen).toMatchObject({ contractId: ok.id, costFen: 5000, arrivalDate: '2026-12-02' }); // 800 + 1500 < minimum 5000
    const proposal = await f.call<Proposal>({ url: `/api/logistics/orders/${o.id}/delivery-options` });
    expect(proposal.chosen).toMatchObject({ contractId: ok.id, costFen: 5000 });
    const audit = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from audit_log where action = 'order.delivery-method' and entity_id = ${o.id}`);
    expect(audit[0]!.n).toBe(1);
    expect((await raw('PUT', `/api/logistics/orders/${o.id}/delivery-method`, warehouse.cookie, { contractId: ok.id })).statusCode).toBe(403);
  });
});

async function pickScene(kgs: string[] = ['14']) {
  const c = await makeCustomer(f);
  const p = await makeProduct(f, { stockKg: '0', coldChain: true });
  const bins = await makeBins(f, ['B-1', 'A-10', 'A-2']);
  const k = uniq();
  // FEFO: LB (expires first) in B-1, LC in A-10, LA (expires last) in A-2; the walk goes, B-1.
  const lb = await receiveLot(f, p.id, bins['B-1']!, '5', '2026-12-10', `LB${k}`);
  const lc = await receiveLot(f, p.id, bins['A-10']!, '5', '2026-12-15', `LC${k}`);
  const la = await receiveLot(f, p.id, bins['A-2']!, '20', '2026-12-20', `LA${k}`);
  const orders = [];
  for (const kg of kgs) orders.push(await approvedOrder(f, c, [{ productId: p.id, kg }], DELIVERY));
  return { c, p, bins, lots: { la, lb, lc }, orders };
}

const pickList = (orderIds: string[], cookie = warehouse.cookie) => raw('POST', '/api/logistics/pick-lists', cookie, { orderIds });
const confirm = (id: string, lines: { lineId: string; lotCode: string; quantity: string }[], lang = 'zh-CN') =>
  raw('POST', `/api/logistics/pick-lists/${id}/confirm`, warehouse.cookie, { lines }, lang);
const allOf = (pl: PickList) => pl.lines.map((l) => ({ lineId: l.id, lotCode: l.lotCode, quantity: l.quantity }));
const reservationsOf = (orderId: string) =>
  queryRows<{ quantity: string; status: string }>(
    t.database.db,
    sql`select quantity::text, status from reservations where ref_type = 'order' and ref_id = ${orderId} order by created_at, id`,
  );
const issuedOf = async (orderId: string) =>
  (
    await queryRows<{ q: string | null }>(
      t.database.db,
      sql`select sum(-quantity)::text as q from stock_ledger where kind = 'issue' and ref_type = 'order' and ref_id = ${orderId}`,
    )
  )[0]!.q;

describe('pick lists', () => {
  it('lists an order’s reservations in FEFO order per line and walks the bins in natural order (A-2, A-10, B-1)', async () => {
    const s = await pickScene(['14']);
    const res = await pickList([s.orders[0]!.id]);
    expect(res.statusCode).toBe(201);
    const pl = json<PickList>(res);
    expect(pl.number).toMatch(/^PK20261201-\d{4}$/);
    expect(pl.lines.map((l) => [l.seq, l.locationCode, l.lotCode, l.quantity])).toEqual([
      [1, 'A-2', s.lots.la.lotCode, '4.000'],
      [2, 'A-10', s.lots.lc.lotCode, '5.000'],
      [3, 'B-1', s.lots.lb.lotCode, '5.000'],
    ]);
    const again = await pickList([s.orders[0]!.id]);
    expect(again.statusCode).toBe(409);
    expect(json<Problem>(again)).toMatchObject({ code: 'PICK_ALREADY_LISTED', errors: [{ field: 'orderIds.0' }] });
    expect((await pickList([s.orders[0]!.id], sales.cookie)).statusCode).toBe(403);
  });

  it('a wrong lot code, a held lot or more than reserved is refused with the line named, and nothing is issued', async () => {
    const s = await pickScene(['14']);
    const pl = json<PickList>(await pickList([s.orders[0]!.id]));
    const lines = allOf(pl);
    const wrong = await confirm(
      pl.id,
      lines.map((l, i) => (i === 1 ? { ...l, lotCode: s.lots.la.lotCode } : l)),
      'en-US',
    );
    expect(wrong.statusCode).toBe(422);
    expect(json<Problem>(wrong)).toMatchObject({ code: 'PICK_WRONG_LOT', errors: [{ field: 'lines.1.lotCode' }] });
    expect(JSON.stringify(json(wrong))).toContain(`is not lot ${s.lots.lc.lotCode}`);
    const more = await confirm(
      pl.id,
      lines.map((l, i) => (i === 0 ? { ...l, quantity: '4.5' } : l)),
    );
    expect(more.statusCode).toBe(422);
    expect(json<Problem>(more)).toMatchObject({ code: 'PICK_EXCEEDS_RESERVED', errors: [{ field: 'lines.0.quantity' }] });
    await f.call({ method: 'POST', url: `/api/inventory/lots/${s.lots.lb.id}/status`, payload: { event: 'hold', reason: '温度异常待查' }, expect: 200 });
    const held = await confirm(pl.id, lines);
    expect(held.statusCode).toBe(409);
    expect(json<Problem>(held)).toMatchObject({ code: 'PICK_LOT_HELD', errors: [{ field: 'lines.2.lotCode' }] });
    const missing = await confirm(pl.id, lines.slice(0, 2));
    expect(missing.statusCode).toBe(400);
    expect(json<Problem>(missing).code).toBe('PICK_LINE_MISSING');
    expect(await issuedOf(s.orders[0]!.id)).toBeNull();
    expect((await reservationsOf(s.orders[0]!.id)).every((r) => r.status === 'active')).toBe(true);
    expect((await f.call<{ status: string }>({ url: `/api/orders/${s.orders[0]!.id}` })).status).toBe('approved');
  });

  it('confirming issues the picked stock (reserved → issued), makes the order ready, and a short pick leaves a visible backorder line', async () => {
    const s = await pickScene(['14']);
    const order = s.orders[0]!;
    const pl = json<PickList>(await pickList([order.id]));
    // Lot codes typed in lower case are the same lot; the last bin has only 3 of 5 kg.
    const lines = allOf(pl).map((l, i) => (i === 2 ? { ...l, quantity: '3' } : i === 0 ? { ...l, lotCode: l.lotCode.toLowerCase() } : l));
    const res = await confirm(pl.id, lines);
    expect(res.statusCode).toBe(200);
    const done = json<PickList>(res);
    expect(done.status).toBe('confirmed');
    expect(done.lines.map((l) => [l.status, l.pickedQuantity])).toEqual([
      ['picked', '4.000'],
      ['picked', '5.000'],
      ['short', '3.000'],
    ]);
    expect(done.backorders).toMatchObject([{ orderId: order.id, quantity: '2.000', status: 'open' }]);
    expect(await issuedOf(order.id)).toBe('12.000');
    expect((await reservationsOf(order.id)).map((r) => r.status).sort()).toEqual(['consumed', 'consumed', 'released']);
    const o = await f.call<{ status: string; timeline: { kind: string; event?: string }[] }>({ url: `/api/orders/${order.id}` });
    expect(o.status).toBe('ready');
    expect(o.timeline.filter((e) => e.kind === 'state').map((e) => e.event)).toContain('mark_ready');
    const bo = await f.call<{ items: { orderNumber: string; quantity: string }[]; total: number }>({
      url: `/api/logistics/backorders?orderId=${order.id}`,
      cookie: logistics.cookie,
    });
    expect(bo.items).toMatchObject([{ orderNumber: order.number, quantity: '2.000' }]);
    const twice = await confirm(pl.id, lines);
    expect(twice.statusCode).toBe(409);
    expect(json<Problem>(twice).code).toBe('PICK_LIST_NOT_OPEN');
    expect((await verifyStock(t.database.db)).drifts).toEqual([]);
    const audit = await queryRows<{ action: string }>(t.database.db, sql`select action from audit_log where entity_id = ${order.id} and action = 'order.pick'`);
    expect(audit).toHaveLength(1);
  });

  it('a wave picks several orders on one list; confirming makes each of them ready', async () => {
    const s = await pickScene(['6', '8']);
    const res = await pickList(s.orders.map((o) => o.id));
    expect(res.statusCode).toBe(201);
    const pl = json<PickList>(res);
    expect(pl.orderNumbers).toEqual(s.orders.map((o) => o.number));
    expect(new Set(pl.lines.map((l) => l.orderId))).toEqual(new Set(s.orders.map((o) => o.id)));
    const seqs = pl.lines.map((l) => l.locationCode);
    expect(seqs).toEqual([...seqs].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    expect((await confirm(pl.id, allOf(pl))).statusCode).toBe(200);
    for (const o of s.orders) expect((await f.call<{ status: string }>({ url: `/api/orders/${o.id}` })).status).toBe('ready');
    expect(await issuedOf(s.orders[0]!.id)).toBe('6.000');
    expect(await issuedOf(s.orders[1]!.id)).toBe('8.000');
    const list = await f.call<{ items: { number: string; status: string; lineCount: number; shortLines: number }[] }>({
      url: `/api/logistics/pick-lists?q=${s.orders[1]!.number}&status=confirmed`,
    });
    expect(list.items.map((x) => [x.number, x.lineCount, x.shortLines])).toEqual([[pl.number, pl.lines.length, 0]]);
    expect((await raw('GET', `/api/logistics/pick-lists/export.xlsx?q=${pl.number}`, f.admin)).statusCode).toBe(200);
    const printed = await raw('GET', `/api/logistics/pick-lists/${pl.id}/pick-list.pdf`, warehouse.cookie);
    expect(printed.statusCode).toBe(200);
    expect(printed.headers['content-type']).toBe('application/pdf');
    expect(printed.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('an order that is not approved cannot be picked', async () => {
    const c = await makeCustomer(f);
    const p = await makeProduct(f, { stockKg: '10' });
    const d = await f.call<{ id: string }>({
      method: 'POST',
      url: '/api/orders',
      payload: { customerId: c.id, addressId: c.addressId, contactId: c.contactId, deliveryDate: DELIVERY, lines: [{ productId: p.id, quantity: '1', unit: 'kg' }] },
      expect: 201,
    });
    const res = await pickList([d.id]);
    expect(res.statusCode).toBe(409);
    expect(json<Problem>(res)).toMatchObject({ code: 'ORDER_NOT_READY_FOR_LOGISTICS', errors: [{ field: 'orderIds.0' }] });
  });
});

const onPostgres = engine === 'postgres';
if (!onPostgres) skipReason('pick race: only PostgreSQL has concurrent connections (PGlite is single-connection); run with TEST_DATABASE_URL');

describe.skipIf(!onPostgres)('two pickers confirming the same pick list (PostgreSQL)', () => {
  it('never issue the stock twice: one confirms, the other is told the list is no longer open', async () => {
    const s = await pickScene(['9']);
    const order = s.orders[0]!;
    const pl = json<PickList>(await pickList([order.id]));
    const results = await Promise.all([confirm(pl.id, allOf(pl)), confirm(pl.id, allOf(pl)), confirm(pl.id, allOf(pl))]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    expect(await issuedOf(order.id)).toBe('9.000');
    expect((await verifyStock(t.database.db)).drifts).toEqual([]);
  });
});

type Shipment = {
  id: string;
  number: string;
  status: string;
  weightStatus: string;
  trackingNumber: string | null;
  trackingUrl: string | null;
  excursion: boolean;
  lines: {
    orderLineId: string;
    nominalQuantity: string;
    actualKg: string | null;
    orderedAmountFen: number;
    invoicedAmountFen: number;
    deviationPct: number | null;
    lots: { lotCode: string }[];
  }[];
  packages: { sscc: string }[];
  checks: { passed: boolean; checkedBy: string; results: { item: string; passed: boolean }[] }[];
};

/** A ready order (picked in full) of a catch-weight, cold-chain product, with a delivery method chosen. */
async function readyOrder(kg = '10', opts: { ownFleet?: boolean } = {}) {
  const s = await pickScene([kg]);
  await f.call({ method: 'PATCH', url: `/api/catalog/products/${s.p.id}`, payload: { catchWeight: true }, expect: 200 });
  const order = s.orders[0]!;
  const pl = json<PickList>(await pickList([order.id]));
  expect((await confirm(pl.id, allOf(pl))).statusCode).toBe(200);
  const a = await carrier(`CR${uniq()}`, { trackingUrlTemplate: 'https://track.example/{tracking}', ownFleet: opts.ownFleet ?? false });
  const k = await contract(a.id, {});
  await f.call({ method: 'PUT', url: `/api/logistics/orders/${order.id}/delivery-method`, cookie: logistics.cookie, payload: { contractId: k.id }, expect: 200 });
  const sh = json<Shipment>(await raw('POST', '/api/logistics/shipments', warehouse.cookie, { orderId: order.id }));
  return { ...s, order, shipment: sh };
}
const post = (url: string, cookie: string, payload: unknown, lang = 'zh-CN') => raw('POST', url, cookie, payload, lang);
const pack = (id: string, packages: unknown[]) => raw('PUT', `/api/logistics/shipments/${id}/packages`, warehouse.cookie, { packages });
const passCheck = (id: string, productTempC = 1) => post(`/api/logistics/shipments/${id}/check`, warehouse.cookie, { packagingIntact: true, labelsPresent: true, productTempC });

describe('packing with catch weight', () => {
  it('the invoiced amount follows the actual weight within the tolerance; beyond it dispatch waits for an approval', async () => {
    const s = await readyOrder('10');
    const line = s.shipment.lines[0]!;
    expect(line).toMatchObject({ nominalQuantity: '10.000', orderedAmountFen: 10_000 });
    const within = await pack(s.shipment.id, [
      { orderLineId: line.orderLineId, packageType: '泡沫箱', quantity: '5', actualKg: '5.1' },
      { orderLineId: line.orderLineId, packageType: '泡沫箱', quantity: '5', actualKg: '5.2' },
    ]);
    expect(within.statusCode).toBe(200);
    const a = json<Shipment>(within);
    expect(a.weightStatus).toBe('ok');
    expect(a.lines[0]).toMatchObject({ actualKg: '10.300', invoicedAmountFen: 10_300, deviationPct: 3 });
    expect(a.packages).toHaveLength(2);
    for (const p of a.packages) expect(p.sscc).toMatch(/^0\d{17}$/);
    for (const p of a.packages) expect(gs1CheckDigit(p.sscc.slice(0, 17))).toBe(Number(p.sscc[17]));
    const labels = await raw('GET', `/api/logistics/shipments/${s.shipment.id}/labels.pdf`, warehouse.cookie);
    expect(labels.statusCode).toBe(200);
    expect(labels.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const beyond = json<Shipment>(await pack(s.shipment.id, [{ orderLineId: line.orderLineId, packageType: '泡沫箱', quantity: '10', actualKg: '11' }]));
    expect(beyond).toMatchObject({ weightStatus: 'needs_approval', lines: [{ invoicedAmountFen: 11_000 }] });
    expect((await passCheck(s.shipment.id)).statusCode).toBe(200);
    const blocked = await post(`/api/logistics/shipments/${s.shipment.id}/dispatch`, logistics.cookie, { trackingNumber: `T${uniq()}` });
    expect(blocked.statusCode).toBe(409);
    expect(json<Problem>(blocked).code).toBe('WEIGHT_APPROVAL_REQUIRED');
    expect((await post(`/api/logistics/shipments/${s.shipment.id}/approve-weights`, warehouse.cookie, {})).statusCode).toBe(403);
    const manager = await t.loginAs(['manager']);
    expect(json<Shipment>(await post(`/api/logistics/shipments/${s.shipment.id}/approve-weights`, manager.cookie, { note: '客户同意' })).weightStatus).toBe('approved');
  });

  it('packages must hold what the shipment carries, and a catch-weight package needs its actual weight', async () => {
    const s = await readyOrder('6');
    const line = s.shipment.lines[0]!;
    const short = await pack(s.shipment.id, [{ orderLineId: line.orderLineId, packageType: '箱', quantity: '5', actualKg: '5' }]);
    expect(short.statusCode).toBe(422);
    expect(json<Problem>(short).code).toBe('PACKAGE_QUANTITY_MISMATCH');
    const noWeight = await pack(s.shipment.id, [{ orderLineId: line.orderLineId, packageType: '箱', quantity: '6' }]);
    expect(noWeight.statusCode).toBe(400);
    expect(json<Problem>(noWeight)).toMatchObject({ code: 'PACKAGE_WEIGHT_REQUIRED', errors: [{ field: 'packages.0.actualKg' }] });
  });
});

describe('pre-dispatch check and dispatch', () => {
  it('a failed check (temperature out of band, held lot) is recorded with who and when and blocks dispatch; a passing one lets it go', async () => {
    const s = await readyOrder('5');
    const line = s.shipment.lines[0]!;
    await pack(s.shipment.id, [{ orderLineId: line.orderLineId, packageType: '泡沫箱', quantity: '5', actualKg: '5' }]);
    const warm = json<Shipment>(await passCheck(s.shipment.id, 6.5));
    expect(warm.status).toBe('packing');
    expect(warm.checks[0]).toMatchObject({ passed: false, checkedBy: expect.any(String) });
    expect(warm.checks[0]!.results.find((r) => r.item === 'temperature_in_band')!.passed).toBe(false);
    const noCheck = await post(`/api/logistics/shipments/${s.shipment.id}/dispatch`, logistics.cookie, { trackingNumber: `T${uniq()}` }, 'en-US');
    expect(noCheck.statusCode).toBe(409);
    expect(json<Problem>(noCheck).code).toBe('DISPATCH_CHECK_REQUIRED');
    const lotId = (await queryRows<{ id: string }>(t.database.db, sql`select id from lots where lot_code = ${line.lots[0]!.lotCode}`))[0]!.id;
    await f.call({ method: 'POST', url: `/api/inventory/lots/${lotId}/status`, payload: { event: 'hold', reason: '待复检' }, expect: 200 });
    const held = json<Shipment>(await passCheck(s.shipment.id, 1));
    expect(held.status).toBe('packing');
    expect(held.checks[0]!.results.find((r) => r.item === 'lots_released')!.passed).toBe(false);
    await f.call({ method: 'POST', url: `/api/inventory/lots/${lotId}/status`, payload: { event: 'release', reason: '复检合格' }, expect: 200 });
    expect(json<Shipment>(await passCheck(s.shipment.id, 1)).status).toBe('checked');
    expect((await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from dispatch_checks where shipment_id = ${s.shipment.id}`))[0]!.n).toBe(3);
  });

  it('dispatch ships the order with the carrier and tracking number (customer told); delivery before dispatch is refused; delivery completes the order', async () => {
    const s = await readyOrder('5');
    const line = s.shipment.lines[0]!;
    await pack(s.shipment.id, [{ orderLineId: line.orderLineId, packageType: '泡沫箱', quantity: '5', actualKg: '5' }]);
    await passCheck(s.shipment.id);
    const noTracking = await post(`/api/logistics/shipments/${s.shipment.id}/dispatch`, logistics.cookie, {});
    expect(json<Problem>(noTracking)).toMatchObject({ code: 'TRACKING_NUMBER_REQUIRED', errors: [{ field: 'trackingNumber' }] });
    const tracking = `SF${uniq()}`;
    const res = await post(`/api/logistics/shipments/${s.shipment.id}/dispatch`, logistics.cookie, { trackingNumber: tracking });
    expect(res.statusCode).toBe(200);
    expect(json<Shipment>(res)).toMatchObject({ status: 'dispatched', trackingNumber: tracking, trackingUrl: `https://track.example/${tracking}` });
    expect((await f.call<{ status: string }>({ url: `/api/orders/${s.order.id}` })).status).toBe('shipped');
    // Outbox payloads are stored encrypted (decision 0010): opened to look inside.
    const outbox = await queryRows<{ payload: unknown }>(t.database.db, sql`select payload from outbox order by created_at desc limit 20`);
    expect(outbox.some((o) => JSON.stringify(openJson(o.payload)).includes(tracking))).toBe(true);

    // The same tracking number on another shipment is refused.
    const other = await readyOrder('5');
    await pack(other.shipment.id, [{ orderLineId: other.shipment.lines[0]!.orderLineId, packageType: '箱', quantity: '5', actualKg: '5' }]);
    await passCheck(other.shipment.id);
    const reused = await post(`/api/logistics/shipments/${other.shipment.id}/dispatch`, logistics.cookie, { trackingNumber: tracking });
    expect(reused.statusCode).toBe(409);
    expect(json<Problem>(reused)).toMatchObject({ code: 'TRACKING_NUMBER_TAKEN', errors: [{ field: 'trackingNumber' }] });

    const early = await post(`/api/logistics/shipments/${s.shipment.id}/deliver`, logistics.cookie, { deliveredAt: '2026-11-30T02:00:00Z', receiver: '张三' });
    expect(early.statusCode).toBe(400);
    expect(json<Problem>(early)).toMatchObject({ code: 'DELIVERY_BEFORE_DISPATCH', errors: [{ field: 'deliveredAt' }] });
    const done = await post(`/api/logistics/shipments/${s.shipment.id}/deliver`, logistics.cookie, {
      deliveredAt: '2026-12-01T02:00:00Z',
      receiver: '张三',
      proofNote: '签字照片已存',
    });
    expect(done.statusCode).toBe(200);
    const o = await f.call<{ status: string; timeline: { kind: string; event?: string }[] }>({ url: `/api/orders/${s.order.id}` });
    expect(o.status).toBe('completed');
    expect(o.timeline.filter((e) => e.kind === 'state').map((e) => e.event)).toEqual(expect.arrayContaining(['mark_ready', 'ship', 'deliver', 'complete']));
    const list = await f.call<{ items: { number: string }[] }>({ url: `/api/logistics/shipments?q=${tracking}&status=delivered` });
    expect(list.items.map((x) => x.number)).toEqual([s.shipment.number]);
    expect((await raw('GET', `/api/logistics/shipments/export.xlsx?q=${tracking}`, f.admin)).statusCode).toBe(200);
    const note = await raw('GET', `/api/logistics/shipments/${s.shipment.id}/delivery-note.pdf`, logistics.cookie, undefined, 'en-US');
    expect(note.statusCode).toBe(200);
    expect(note.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('cold-chain temperatures', () => {
  it('a CSV with garbage rows is refused row by row and nothing is saved; readings out of band longer than the setting flag an excursion and hold the lots', async () => {
    const s = await readyOrder('5');
    const csv = (rows: string[]) => {
      const boundary = 'XBOUNDARY';
      const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="logger.csv"\r\nContent-Type: text/csv\r\n\r\n${rows.join('\n')}\r\n--${boundary}--\r\n`;
      return t.app.inject({
        method: 'POST',
        url: `/api/logistics/shipments/${s.shipment.id}/temperatures.csv`,
        headers: { cookie: logistics.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
    };
    const bad = await csv(['time,celsius,device', '2026-12-01T03:00:00Z,1.5,L1', 'yesterday,abc,L1', '2026-12-01T03:10:00Z,,L1']);
    expect(bad.statusCode).toBe(422);
    expect(json<Problem>(bad)).toMatchObject({ code: 'READINGS_INVALID' });
    expect(json<Problem>(bad).errors!.map((e) => e.field)).toEqual(['rows.3.at', 'rows.3.celsius', 'rows.4.celsius']);
    expect((await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from temperature_readings where shipment_id = ${s.shipment.id}`))[0]!.n).toBe(0);
    const rows = ['time,celsius,device'];
    for (let m = 0; m <= 50; m += 5) rows.push(`2026-12-01T03:${String(m).padStart(2, '0')}:00Z,${m >= 10 ? '6.5' : '1.0'},L1`);
    const ok = await csv(rows);
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toMatchObject({ saved: 11, excursion: true });
    const lots = await queryRows<{ status: string }>(t.database.db, sql`select quality_status as status from lots where lot_code = ${s.shipment.lines[0]!.lots[0]!.lotCode}`);
    expect(lots[0]!.status).toBe('on_hold');
    const flagged = await f.call<{ items: { id: string }[] }>({ url: `/api/logistics/shipments?excursion=true&orderId=${s.order.id}` });
    expect(flagged.items.map((x) => x.id)).toEqual([s.shipment.id]);
    const link = `/logistics/shipments/${s.shipment.id}`;
    const queued = await queryRows<{ payload: unknown }>(t.database.db, sql`select payload from outbox order by created_at desc limit 50`);
    expect(queued.filter((q) => JSON.stringify(openJson(q.payload)).includes(link)).length).toBeGreaterThan(0);
  });
});

describe('carrier performance', () => {
  it('counts per carrier the shipments dispatched in the period, delivered on time, with excursions or damage', async () => {
    const s = await readyOrder('5');
    await pack(s.shipment.id, [{ orderLineId: s.shipment.lines[0]!.orderLineId, packageType: '箱', quantity: '5', actualKg: '5' }]);
    await passCheck(s.shipment.id);
    const shipped = json<{ carrierId: string }>(await post(`/api/logistics/shipments/${s.shipment.id}/dispatch`, logistics.cookie, { trackingNumber: `P${uniq()}` }));
    await post(`/api/logistics/shipments/${s.shipment.id}/deliver`, logistics.cookie, { deliveredAt: '2026-12-01T02:00:00Z', receiver: '李四', damaged: true });
    const perf = await f.call<{
      items: { carrierId: string; dispatched: number; delivered: number; onTime: number; damaged: number; onTimeRate: number; damageRate: number; excursionRate: number }[];
    }>({
      url: '/api/logistics/carriers/performance?from=2026-12-01&to=2026-12-31',
      cookie: logistics.cookie,
    });
    expect(perf.items.find((x) => x.carrierId === shipped.carrierId)).toMatchObject({
      dispatched: 1,
      delivered: 1,
      onTime: 1,
      damaged: 1,
      onTimeRate: 100,
      damageRate: 100,
      excursionRate: 0,
    });
    const before = await f.call<{ items: { carrierId: string }[] }>({ url: '/api/logistics/carriers/performance?from=2026-11-01&to=2026-11-30' });
    expect(before.items.find((x) => x.carrierId === shipped.carrierId)).toBeUndefined();
  });
});

describe.skipIf(!onPostgres)('two pickers making and confirming pick lists for the same reservations (PostgreSQL)', () => {
  it('only one pick list is made for an order at a time, and however the confirms race the stock is issued once', async () => {
    const s = await pickScene(['7']);
    const order = s.orders[0]!;
    const made = await Promise.all([pickList([order.id]), pickList([order.id]), pickList([order.id])]);
    expect(made.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    expect(made.filter((r) => r.statusCode === 409).every((r) => json<Problem>(r).code === 'PICK_ALREADY_LISTED')).toBe(true);
    const pl = json<PickList>(made.find((r) => r.statusCode === 201)!);
    const confirms = await Promise.all([confirm(pl.id, allOf(pl)), confirm(pl.id, allOf(pl))]);
    expect(confirms.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await issuedOf(order.id)).toBe('7.000');
    expect((await verifyStock(t.database.db)).drifts).toEqual([]);
  });
});
