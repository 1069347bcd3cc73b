import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { openJson } from '../../platform/crypto/pii.js';
import { inTransaction, queryRows } from '../../platform/db/client.js';
import { addDays, availableQuantity, createLot, receiveStock, reserve, today, verifyStock } from './inventory.service.js';
import { makeProduct, makeWarehouse, TEST_ACTOR } from './inventory.test-support.js';
import { scanExpiryAlerts } from './stock.reports.js';

let t: TestApp;
let wk: string; // warehouse keeper cookie
let mgr: string; // manager cookie
let qc: string;
let admin: string;

beforeAll(async () => {
  t = await testApp();
  wk = (await t.loginAs(['warehouse'])).cookie;
  mgr = (await t.loginAs(['manager'])).cookie;
  qc = (await t.loginAs(['qc'])).cookie;
  admin = (await t.loginAs(['admin'])).cookie;
});
afterAll(async () => t?.close());

type Snapshot = { ledger: number; lots: number; reservations: number; balances: string; stocktakeApprovals: number };

async function snapshot(): Promise<Snapshot> {
  const [r] = await queryRows<{ ledger: number; lots: number; reservations: number; balances: string | null; approvals: number }>(
    t.database.db,
    sql`select (select count(*)::int from stock_ledger) as ledger, (select count(*)::int from lots) as lots, (select count(*)::int from reservations) as reservations,
               (select string_agg(lot_id || ':' || location_id || ':' || on_hand || ':' || reserved, ',' order by lot_id, location_id) from stock_balances) as balances,
               (select count(*)::int from stock_ledger where ref_type = 'stocktake') as approvals`,
  );
  return { ledger: r!.ledger, lots: r!.lots, reservations: r!.reservations, balances: r!.balances ?? '', stocktakeApprovals: r!.approvals };
}

async function post(cookie: string, url: string, payload: unknown) {
  return t.app.inject({ method: 'POST', url, headers: { cookie }, payload: payload as Record<string, unknown> });
}

async function lotIn(
  productId: string,
  locationId: string,
  quantity: string,
  opts: { expiryDate?: string; status?: 'released' | 'quarantined'; productionDate?: string } = {},
): Promise<string> {
  return inTransaction(t.database.db, async (db) => {
    const lot = await createLot(db, TEST_ACTOR, {
      productId,
      productionDate: opts.productionDate ?? addDays(today(), -1),
      expiryDate: opts.expiryDate,
      qualityStatus: opts.status ?? 'released',
      sourceType: 'receipt',
    });
    await receiveStock(db, TEST_ACTOR, { lotId: lot.id, locationId, quantity, unit: 'kg' });
    return lot.id;
  });
}

describe('receipts and unit conversion', () => {
  it('receives 3 箱 as exactly 30.000 kg and records the entered unit in the ledger', async () => {
    const productId = await makeProduct(t.database.db);
    const { warehouse, locations } = await makeWarehouse(t.database.db);
    const res = await post(wk, '/api/inventory/receipts', {
      productId,
      lot: { productionDate: today(), qualityStatus: 'released' },
      warehouseId: warehouse.id,
      locationId: locations[0]!.id,
      quantity: '3',
      unit: '箱',
    });
    expect(res.statusCode, res.body).toBe(201);
    const { lot } = json<{ lot: { id: string; expiryDate: string; qualityStatus: string } }>(res);
    expect(lot.expiryDate).toBe(addDays(today(), 30));
    const more = await post(wk, '/api/inventory/receipts', { productId, lotId: lot.id, locationId: locations[0]!.id, quantity: '3', unit: '斤' });
    expect(more.statusCode, more.body).toBe(201);
    const grams = await post(wk, '/api/inventory/receipts', { productId, lotId: lot.id, locationId: locations[0]!.id, quantity: '1', unit: 'g' });
    expect(grams.statusCode, grams.body).toBe(201);
    const detail = json<{ onHand: string; ledger: { quantity: string; enteredQuantity: string; enteredUnit: string; unit: string }[] }>(
      await t.app.inject({ url: `/api/inventory/lots/${lot.id}`, headers: { cookie: wk } }),
    );
    expect(detail.onHand).toBe('31.501');
    expect(detail.ledger.map((l) => [l.quantity, l.enteredQuantity, l.enteredUnit, l.unit])).toEqual([
      ['30.000', '3.000', '箱', 'kg'],
      ['1.500', '3.000', '斤', 'kg'],
      ['0.001', '1.000', 'g', 'kg'],
    ]);
  });

  it('rejects a conversion that is not exact (0.5 g) with QUANTITY_INEXACT and writes nothing', async () => {
    const productId = await makeProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db);
    const lotId = await lotIn(productId, locations[0]!.id, '5');
    const before = await snapshot();
    const res = await post(wk, '/api/inventory/receipts', { productId, lotId, locationId: locations[0]!.id, quantity: '0.5', unit: 'g' });
    expect(res.statusCode).toBe(400);
    expect(json(res).code).toBe('QUANTITY_INEXACT');
    expect(await snapshot()).toEqual(before);
  });
});

describe('bad input is a 4xx with a code and writes nothing', () => {
  let productId: string;
  let otherProductId: string;
  let whA: Awaited<ReturnType<typeof makeWarehouse>>;
  let whB: Awaited<ReturnType<typeof makeWarehouse>>;
  let lotId: string;
  let otherLotId: string;
  let expiredLotId: string;

  beforeAll(async () => {
    productId = await makeProduct(t.database.db);
    otherProductId = await makeProduct(t.database.db);
    whA = await makeWarehouse(t.database.db);
    whB = await makeWarehouse(t.database.db);
    lotId = await lotIn(productId, whA.locations[0]!.id, '100');
    otherLotId = await lotIn(otherProductId, whA.locations[0]!.id, '100');
    expiredLotId = await lotIn(productId, whA.locations[0]!.id, '20', { productionDate: addDays(today(), -40), expiryDate: addDays(today(), -1) });
  });

  const cases: [string, () => [string, string, unknown], number, string][] = [
    [
      'unknown product',
      () => [
        wk,
        '/api/inventory/receipts',
        { productId: '01900000-0000-7000-8000-000000000000', lot: { productionDate: today() }, locationId: whA.locations[0]!.id, quantity: '1', unit: 'kg' },
      ],
      400,
      'PRODUCT_NOT_FOUND_REF',
    ],
    ['negative quantity', () => [wk, '/api/inventory/receipts', { productId, lotId, locationId: whA.locations[0]!.id, quantity: '-5', unit: 'kg' }], 400, 'VALIDATION_FAILED'],
    ['non-numeric quantity', () => [wk, '/api/inventory/issues', { lotId, locationId: whA.locations[0]!.id, quantity: 'ten', unit: 'kg', reason: 'x' }], 400, 'VALIDATION_FAILED'],
    ['unconvertible unit', () => [wk, '/api/inventory/receipts', { productId, lotId, locationId: whA.locations[0]!.id, quantity: '1', unit: '吨' }], 400, 'UNIT_NOT_CONVERTIBLE'],
    [
      'lot of another product (receipt)',
      () => [wk, '/api/inventory/receipts', { productId, lotId: otherLotId, locationId: whA.locations[0]!.id, quantity: '1', unit: 'kg' }],
      400,
      'LOT_PRODUCT_MISMATCH',
    ],
    [
      'lot of another product (reservation)',
      () => [wk, '/api/inventory/reservations', { refType: 'order', refId: 'BAD-1', lines: [{ productId, lotId: otherLotId, quantity: '1', unit: 'kg' }] }],
      400,
      'LOT_PRODUCT_MISMATCH',
    ],
    [
      'expired lot (reservation)',
      () => [wk, '/api/inventory/reservations', { refType: 'order', refId: 'BAD-2', lines: [{ productId, lotId: expiredLotId, quantity: '1', unit: 'kg' }] }],
      409,
      'LOT_EXPIRED',
    ],
    [
      'expired lot (issue)',
      () => [wk, '/api/inventory/issues', { lotId: expiredLotId, locationId: whA.locations[0]!.id, quantity: '1', unit: 'kg', reason: 'ship', refType: 'order', refId: 'X' }],
      409,
      'LOT_EXPIRED',
    ],
    [
      'location of another warehouse (receipt)',
      () => [wk, '/api/inventory/receipts', { productId, lotId, warehouseId: whA.warehouse.id, locationId: whB.locations[0]!.id, quantity: '1', unit: 'kg' }],
      400,
      'LOCATION_WAREHOUSE_MISMATCH',
    ],
    [
      'location of another warehouse (transfer)',
      () => [
        wk,
        '/api/inventory/transfers',
        { lotId, fromLocationId: whA.locations[0]!.id, toLocationId: whB.locations[0]!.id, toWarehouseId: whA.warehouse.id, quantity: '1', unit: 'kg' },
      ],
      400,
      'LOCATION_WAREHOUSE_MISMATCH',
    ],
    [
      'more than available (issue)',
      () => [wk, '/api/inventory/issues', { lotId, locationId: whA.locations[0]!.id, quantity: '100.001', unit: 'kg', reason: 'ship' }],
      409,
      'INVENTORY_INSUFFICIENT',
    ],
    [
      'second line short (reservation is all or nothing)',
      () => [
        wk,
        '/api/inventory/reservations',
        {
          refType: 'order',
          refId: 'BAD-3',
          lines: [
            { productId, quantity: '50', unit: 'kg' },
            { productId, quantity: '51', unit: 'kg' },
          ],
        },
      ],
      409,
      'INVENTORY_INSUFFICIENT',
    ],
  ];

  it.each(cases)('refuses %s', async (_name, make, status, code) => {
    const [cookie, url, payload] = make();
    const before = await snapshot();
    const res = await post(cookie, url, payload);
    expect(res.statusCode, res.body).toBe(status);
    expect(json(res).code).toBe(code);
    expect(await snapshot()).toEqual(before);
  });
});

describe('lot quality status', () => {
  it('refuses to reserve, issue or FEFO-allocate quarantined, held and rejected lots, each with LOT_NOT_RELEASED', async () => {
    const productId = await makeProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db);
    const quarantined = await lotIn(productId, locations[0]!.id, '10', { status: 'quarantined' });
    const held = await lotIn(productId, locations[0]!.id, '10');
    const rejected = await lotIn(productId, locations[0]!.id, '10', { status: 'quarantined' });
    expect((await post(qc, `/api/inventory/lots/${held}/status`, { event: 'hold', reason: '复检' })).statusCode).toBe(200);
    expect((await post(qc, `/api/inventory/lots/${rejected}/status`, { event: 'reject', reason: '农残超标', disposition: 'destroy' })).statusCode).toBe(200);
    for (const lotId of [quarantined, held, rejected]) {
      const r = await post(wk, '/api/inventory/reservations', { refType: 'order', refId: 'Q', lines: [{ productId, lotId, quantity: '1', unit: 'kg' }] });
      expect(r.statusCode).toBe(409);
      expect(json(r).code).toBe('LOT_NOT_RELEASED');
      const i = await post(wk, '/api/inventory/issues', { lotId, locationId: locations[0]!.id, quantity: '1', unit: 'kg', reason: 'ship' });
      expect(json(i).code).toBe('LOT_NOT_RELEASED');
    }
    const fefo = await post(wk, '/api/inventory/reservations', { refType: 'order', refId: 'Q2', lines: [{ productId, quantity: '1', unit: 'kg' }] });
    expect(fefo.statusCode).toBe(409);
    expect(json(fefo).code).toBe('INVENTORY_INSUFFICIENT');
    expect(await availableQuantity(t.database.db, productId)).toBe('0.000');
    // Scrap of a rejected lot is allowed (destroy disposition).
    expect((await post(wk, '/api/inventory/scraps', { lotId: rejected, locationId: locations[0]!.id, quantity: '10', unit: 'kg', reason: 'destroy' })).statusCode).toBe(201);
  });

  it('refuses to pick (consume) a reservation once its lot is put on hold or has expired', async () => {
    const productId = await makeProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db);
    const lotId = await lotIn(productId, locations[0]!.id, '10');
    const r = json<{ reservationIds: string[] }>(
      await post(wk, '/api/inventory/reservations', { refType: 'order', refId: 'HOLD-1', lines: [{ productId, quantity: '4', unit: 'kg' }] }),
    );
    expect((await post(qc, `/api/inventory/lots/${lotId}/status`, { event: 'hold', reason: '客户投诉' })).statusCode).toBe(200);
    const before = await snapshot();
    const pick = await post(wk, `/api/inventory/reservations/${r.reservationIds[0]}/consume`, {});
    expect(pick.statusCode).toBe(409);
    expect(json(pick).code).toBe('LOT_NOT_RELEASED');
    expect(await snapshot()).toEqual(before);
    expect(await availableQuantity(t.database.db, productId)).toBe('0.000');
    expect((await post(qc, `/api/inventory/lots/${lotId}/status`, { event: 'release', reason: '复检合格' })).statusCode).toBe(200);
    expect(await availableQuantity(t.database.db, productId, { onDate: addDays(today(), 31) })).toBe('0.000');
    expect(
      (await inTransaction(t.database.db, (db) => reserve(db, TEST_ACTOR, { refType: 'order', refId: 'LATE', productId, quantity: '1', onDate: addDays(today(), 31) })).catch(
        (e: unknown) => e,
      )) as { code: string },
    ).toMatchObject({ code: 'INVENTORY_INSUFFICIENT' });
    const ok = await post(wk, `/api/inventory/reservations/${r.reservationIds[0]}/consume`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json<{ onHand: string; reserved: string }>(await t.app.inject({ url: `/api/inventory/lots/${lotId}`, headers: { cookie: wk } }))).toMatchObject({
      onHand: '6.000',
      reserved: '0.000',
    });
  });

  it('needs lots:status to change a status and keeps the history', async () => {
    const productId = await makeProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db);
    const lotId = await lotIn(productId, locations[0]!.id, '10', { status: 'quarantined' });
    expect((await post(wk, `/api/inventory/lots/${lotId}/status`, { event: 'release', reason: 'ok' })).statusCode).toBe(403);
    expect((await post(qc, `/api/inventory/lots/${lotId}/status`, { event: 'release', reason: '检验合格' })).statusCode).toBe(200);
    const bad = await post(qc, `/api/inventory/lots/${lotId}/status`, { event: 'reject', reason: 'x' });
    expect(bad.statusCode).toBe(409);
    expect(json(bad).code).toBe('INVALID_TRANSITION');
    const d = json<{ history: { fromState: string | null; toState: string; reason: string | null }[] }>(
      await t.app.inject({ url: `/api/inventory/lots/${lotId}`, headers: { cookie: wk } }),
    );
    expect(d.history.map((h) => [h.fromState, h.toState, h.reason])).toEqual([
      [null, 'quarantined', null],
      ['quarantined', 'released', '检验合格'],
    ]);
  });
});

describe('reservations', () => {
  it('allocates FEFO across lots, honouring the minimum remaining shelf life', async () => {
    const productId = await makeProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db);
    const soon = await lotIn(productId, locations[0]!.id, '10', { expiryDate: addDays(today(), 3) });
    const later = await lotIn(productId, locations[1]!.id, '10', { expiryDate: addDays(today(), 20) });
    const latest = await lotIn(productId, locations[0]!.id, '10', { expiryDate: addDays(today(), 25) });
    const r = await inTransaction(t.database.db, (db) => reserve(db, TEST_ACTOR, { refType: 'order', refId: 'F1', productId, quantity: '15' }));
    expect(r.allocations).toEqual([
      { lotId: soon, locationId: locations[0]!.id, quantity: '10.000' },
      { lotId: later, locationId: locations[1]!.id, quantity: '5.000' },
    ]);
    expect(await availableQuantity(t.database.db, productId, { minRemainingShelfLifeDays: 10 })).toBe('15.000');
    const m = await inTransaction(t.database.db, (db) => reserve(db, TEST_ACTOR, { refType: 'order', refId: 'F2', productId, quantity: '12', minRemainingShelfLifeDays: 10 }));
    expect(m.allocations).toEqual([
      { lotId: later, locationId: locations[1]!.id, quantity: '5.000' },
      { lotId: latest, locationId: locations[0]!.id, quantity: '7.000' },
    ]);
    await expect(
      inTransaction(t.database.db, (db) => reserve(db, TEST_ACTOR, { refType: 'order', refId: 'F3', productId, quantity: '1', lotId: soon, minRemainingShelfLifeDays: 10 })),
    ).rejects.toMatchObject({ code: 'LOT_SHELF_LIFE_TOO_SHORT' });
  });

  it('reserves several lines of different products at once, each FEFO with its shelf-life cutoff, all or nothing, one audit row listing the lines', async () => {
    const a = await makeProduct(t.database.db);
    const b = await makeProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db);
    const aSoon = await lotIn(a, locations[0]!.id, '5', { expiryDate: addDays(today(), 3) });
    const aMid = await lotIn(a, locations[0]!.id, '10', { expiryDate: addDays(today(), 5) });
    const aLater = await lotIn(a, locations[1]!.id, '10', { expiryDate: addDays(today(), 20) });
    const bLot = await lotIn(b, locations[0]!.id, '3', { expiryDate: addDays(today(), 20) });
    const res = await post(wk, '/api/inventory/reservations', {
      refType: 'order',
      refId: 'ML-1',
      lines: [
        { refLineId: 'L1', productId: a, quantity: '8', unit: 'kg' },
        { refLineId: 'L2', productId: b, quantity: '2', unit: 'kg' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(json<{ allocations: unknown[] }>(res).allocations).toEqual([
      { lineIndex: 0, lotId: aSoon, locationId: locations[0]!.id, quantity: '5.000' },
      { lineIndex: 0, lotId: aMid, locationId: locations[0]!.id, quantity: '3.000' },
      { lineIndex: 1, lotId: bLot, locationId: locations[0]!.id, quantity: '2.000' },
    ]);
    const audit = await queryRows<{ after: { lines: { productId: string; quantity: string; refLineId: string; allocations: unknown[] }[] } }>(
      t.database.db,
      sql`select after from audit_log where action = 'stock.reserve' and entity_id = 'order:ML-1' order by seq`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after.lines.map((x) => [x.productId, x.quantity, x.refLineId, x.allocations.length])).toEqual([
      [a, '8.000', 'L1', 2],
      [b, '2.000', 'L2', 1],
    ]);
    // A short second line reserves nothing, the first line included; a shelf-life cutoff skips the lot with free stock that expires too soon.
    const before = await snapshot();
    const short = await post(wk, '/api/inventory/reservations', {
      refType: 'order',
      refId: 'ML-2',
      lines: [
        { productId: a, quantity: '1', unit: 'kg', minRemainingShelfLifeDays: 10 },
        { productId: b, quantity: '2', unit: 'kg' },
      ],
    });
    expect(short.statusCode, short.body).toBe(409);
    expect(json<{ code: string; errors: { field: string }[] }>(short)).toMatchObject({ code: 'INVENTORY_INSUFFICIENT', errors: [{ field: 'lines.1.quantity' }] });
    expect(await snapshot()).toEqual(before);
    const ok = await post(wk, '/api/inventory/reservations', {
      refType: 'order',
      refId: 'ML-3',
      lines: [
        { productId: b, quantity: '1', unit: 'kg' },
        { productId: a, quantity: '2', unit: 'kg', minRemainingShelfLifeDays: 10 },
      ],
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json<{ allocations: unknown[] }>(ok).allocations).toEqual([
      { lineIndex: 0, lotId: bLot, locationId: locations[0]!.id, quantity: '1.000' },
      { lineIndex: 1, lotId: aLater, locationId: locations[1]!.id, quantity: '2.000' },
    ]);
    expect((await verifyStock(t.database.db)).ok).toBe(true);
  });

  it('consumes the reservation of the same reference on issue and releases the rest', async () => {
    const productId = await makeProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db);
    const lotId = await lotIn(productId, locations[0]!.id, '20');
    const res = await post(wk, '/api/inventory/reservations', { refType: 'order', refId: 'SO-1', lines: [{ refLineId: 'L1', productId, quantity: '1', unit: '箱' }] });
    expect(res.statusCode, res.body).toBe(201);
    expect(await availableQuantity(t.database.db, productId)).toBe('10.000');
    // 11 kg of free stock would be short: 10 free + only via the reservation.
    const issue = await post(wk, '/api/inventory/issues', { lotId, locationId: locations[0]!.id, quantity: '6', unit: 'kg', reason: 'ship', refType: 'order', refId: 'SO-1' });
    expect(issue.statusCode, issue.body).toBe(201);
    const list = json<{ items: { status: string; quantity: string }[] }>(
      await t.app.inject({ url: '/api/inventory/reservations?refType=order&refId=SO-1', headers: { cookie: wk } }),
    );
    expect(list.items).toMatchObject([{ status: 'active', quantity: '4.000' }]);
    const rel = await post(wk, '/api/inventory/reservations/release', { refType: 'order', refId: 'SO-1' });
    expect(json(rel)).toEqual({ released: 1 });
    expect(await availableQuantity(t.database.db, productId)).toBe('14.000');
    expect((await verifyStock(t.database.db)).ok).toBe(true);
  });
});

describe('stocktakes', () => {
  it('hides expected quantities from counters, needs a reason per variance, posts adjustments on approval and refuses a second approval', async () => {
    const productId = await makeProduct(t.database.db);
    const { warehouse, locations } = await makeWarehouse(t.database.db);
    const lotA = await lotIn(productId, locations[0]!.id, '50');
    await lotIn(productId, locations[1]!.id, '20');
    const created = await post(wk, '/api/inventory/stocktakes', { warehouseId: warehouse.id });
    expect(created.statusCode, created.body).toBe(201);
    const st = json<{ id: string; lines: { id: string; lotId: string; expectedQuantity: string | null }[] }>(created);
    expect(st.lines).toHaveLength(2);
    expect(st.lines.every((l) => l.expectedQuantity === null)).toBe(true);
    const mgrView = json<{ lines: { expectedQuantity: string | null }[] }>(await t.app.inject({ url: `/api/inventory/stocktakes/${st.id}`, headers: { cookie: mgr } }));
    expect(mgrView.lines.every((l) => l.expectedQuantity === null)).toBe(true);
    const lineA = st.lines.find((l) => l.lotId === lotA)!;
    const lineB = st.lines.find((l) => l.lotId !== lotA)!;
    const counted = await t.app.inject({
      method: 'PUT',
      url: `/api/inventory/stocktakes/${st.id}/counts`,
      headers: { cookie: wk },
      payload: {
        counts: [
          { lineId: lineA.id, countedQuantity: '47.5' },
          { lineId: lineB.id, countedQuantity: '20' },
        ],
      },
    });
    expect(counted.statusCode, counted.body).toBe(200);
    expect(json<{ lines: { expectedQuantity: string | null; variance: string | null }[] }>(counted).lines.every((l) => l.expectedQuantity === null && l.variance === null)).toBe(
      true,
    );
    expect((await post(wk, `/api/inventory/stocktakes/${st.id}/submit`, {})).statusCode).toBe(200);
    const afterSubmitCounter = json<{ lines: { expectedQuantity: string | null }[] }>(await t.app.inject({ url: `/api/inventory/stocktakes/${st.id}`, headers: { cookie: wk } }));
    expect(afterSubmitCounter.lines.every((l) => l.expectedQuantity === null)).toBe(true);
    const review = json<{ lines: { id: string; expectedQuantity: string; variance: string }[] }>(
      await t.app.inject({ url: `/api/inventory/stocktakes/${st.id}`, headers: { cookie: mgr } }),
    );
    expect(review.lines.find((l) => l.id === lineA.id)).toMatchObject({ expectedQuantity: '50.000', variance: '-2.500' });
    expect((await post(wk, `/api/inventory/stocktakes/${st.id}/approve`, {})).statusCode).toBe(403);
    const before = await snapshot();
    const noReason = await post(mgr, `/api/inventory/stocktakes/${st.id}/approve`, {});
    expect(noReason.statusCode).toBe(400);
    expect(json(noReason).code).toBe('STOCKTAKE_REASON_REQUIRED');
    expect(await snapshot()).toEqual(before);
    expect(
      (
        await t.app.inject({
          method: 'PUT',
          url: `/api/inventory/stocktakes/${st.id}/reasons`,
          headers: { cookie: mgr },
          payload: { reasons: [{ lineId: lineA.id, reasonCode: 'dehydration' }] },
        })
      ).statusCode,
    ).toBe(200);
    const ok = await post(mgr, `/api/inventory/stocktakes/${st.id}/approve`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    const lot = json<{ onHand: string; ledger: { kind: string; quantity: string; reason: string; refType: string }[] }>(
      await t.app.inject({ url: `/api/inventory/lots/${lotA}`, headers: { cookie: wk } }),
    );
    expect(lot.onHand).toBe('47.500');
    expect(lot.ledger.at(-1)).toMatchObject({ kind: 'adjustment', quantity: '-2.500', reason: 'dehydration', refType: 'stocktake' });
    const mid = await snapshot();
    const twice = await post(mgr, `/api/inventory/stocktakes/${st.id}/approve`, {});
    expect(twice.statusCode).toBe(409);
    expect(json(twice).code).toBe('STOCKTAKE_ALREADY_APPROVED');
    expect(await snapshot()).toEqual(mid);
    expect((await verifyStock(t.database.db)).ok).toBe(true);
  });
});

describe('stock overview, replenishment, alerts and verification', () => {
  it('shows available versus blocked stock by product, lot and location and exports it', async () => {
    const productId = await makeProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db);
    await lotIn(productId, locations[0]!.id, '30');
    await lotIn(productId, locations[1]!.id, '5', { status: 'quarantined' });
    await lotIn(productId, locations[1]!.id, '7', { productionDate: addDays(today(), -40), expiryDate: addDays(today(), -2) });
    const byProduct = json<{ items: { onHand: string; available: string; blocked: string; lotCount: number }[] }>(
      await t.app.inject({ url: `/api/inventory/stock?by=product&productId=${productId}`, headers: { cookie: wk } }),
    );
    expect(byProduct.items).toMatchObject([{ onHand: '42.000', available: '30.000', blocked: '12.000', lotCount: 3, expired: true }]);
    const byLot = json<{ total: number }>(await t.app.inject({ url: `/api/inventory/stock?by=lot&productId=${productId}`, headers: { cookie: wk } }));
    expect(byLot.total).toBe(3);
    const sorted = json<{ items: { onHand: string }[] }>(await t.app.inject({ url: `/api/inventory/stock?by=lot&productId=${productId}&sort=-onHand`, headers: { cookie: wk } }));
    expect(sorted.items.map((i) => i.onHand)).toEqual(['30.000', '7.000', '5.000']); // numeric, not text order
    const byLoc = json<{ items: { locationCode: string }[] }>(
      await t.app.inject({ url: `/api/inventory/stock?by=location&locationId=${locations[1]!.id}`, headers: { cookie: wk } }),
    );
    expect(byLoc.items).toHaveLength(2);
    const x = await t.app.inject({ url: `/api/inventory/stock/export.xlsx?by=location&productId=${productId}`, headers: { cookie: wk } });
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
  });

  it('suggests replenishment when stock expiring before use and reservations push projected stock under the reorder point', async () => {
    const productId = await makeProduct(t.database.db, { reorderPoint: '50', safetyStock: '10' });
    const { locations } = await makeWarehouse(t.database.db);
    await lotIn(productId, locations[0]!.id, '60', { expiryDate: addDays(today(), 1) });
    await lotIn(productId, locations[0]!.id, '40');
    await inTransaction(t.database.db, (db) => reserve(db, TEST_ACTOR, { refType: 'order', refId: 'R1', productId, quantity: '35', minRemainingShelfLifeDays: 5 }));
    const page = json<{ items: { productId: string; projectedAvailable: string; expiringBeforeUse: string; suggestedQuantity: string; urgency: string }[] }>(
      await t.app.inject({ url: '/api/inventory/replenishment?pageSize=200', headers: { cookie: mgr } }),
    );
    expect(page.items.find((i) => i.productId === productId)).toMatchObject({
      expiringBeforeUse: '60.000',
      projectedAvailable: '5.000',
      suggestedQuantity: '55.000',
      urgency: 'critical',
    });
    expect((await t.app.inject({ url: '/api/inventory/replenishment/export.xlsx', headers: { cookie: mgr } })).statusCode).toBe(200);
  });

  it('queues one near-expiry and one expired alert per lot through the outbox', async () => {
    const productId = await makeProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db);
    await lotIn(productId, locations[0]!.id, '3', { expiryDate: addDays(today(), 2) });
    await lotIn(productId, locations[0]!.id, '3', { productionDate: addDays(today(), -40), expiryDate: addDays(today(), -1) });
    const first = await inTransaction(t.database.db, (db) => scanExpiryAlerts(db));
    expect(first.nearExpiry).toBeGreaterThanOrEqual(1);
    expect(first.expired).toBeGreaterThanOrEqual(1);
    // Outbox payloads are stored encrypted (decision 0010).
    const queued = await queryRows<{ payload: unknown }>(t.database.db, sql`select payload from outbox where topic = 'notify.users'`);
    expect(queued.filter((q) => JSON.stringify(openJson(q.payload)).includes('/inventory/lots/')).length).toBeGreaterThanOrEqual(2);
    expect(await inTransaction(t.database.db, (db) => scanExpiryAlerts(db))).toEqual({ nearExpiry: 0, expired: 0 });
  });

  it('stock verify reports a cached balance that drifted from the ledger', async () => {
    const productId = await makeProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db);
    const lotId = await lotIn(productId, locations[0]!.id, '8');
    expect((await verifyStock(t.database.db)).ok).toBe(true);
    await t.database.db.execute(sql`update stock_balances set on_hand = on_hand + 1 where lot_id = ${lotId}`);
    const r = await verifyStock(t.database.db);
    expect(r.ok).toBe(false);
    expect(r.drifts).toEqual([{ lotId, locationId: locations[0]!.id, cachedOnHand: '9.000', ledgerOnHand: '8.000', cachedReserved: '0.000', activeReserved: '0.000' }]);
    await t.database.db.execute(sql`update stock_balances set on_hand = on_hand - 1 where lot_id = ${lotId}`);
  });

  it('lets only warehouse managers create warehouses and locations, inside the warehouse zones', async () => {
    expect((await post(wk, '/api/inventory/warehouses', { code: 'X1', name: 'x', tempZones: ['ambient'] })).statusCode).toBe(403);
    const w = await post(admin, '/api/inventory/warehouses', { code: 'X1', name: '测试', tempZones: ['ambient'] });
    expect(w.statusCode).toBe(201);
    const bad = await post(admin, '/api/inventory/locations', { warehouseId: json<{ id: string }>(w).id, code: 'F1', zone: 'frozen' });
    expect(json(bad).code).toBe('LOCATION_ZONE_INVALID');
  });
});

describe('append-only history', () => {
  it('refuses to update or delete stock-ledger and state-history rows (database triggers)', async () => {
    const productId = await makeProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db);
    await lotIn(productId, locations[0]!.id, '3');
    const before = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from stock_ledger`);
    expect(before[0]!.n).toBeGreaterThan(0);
    await expect(t.database.db.execute(sql`update stock_ledger set quantity = 0`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`delete from stock_ledger`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`delete from state_history`)).rejects.toThrow();
    const after = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from stock_ledger`);
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});
