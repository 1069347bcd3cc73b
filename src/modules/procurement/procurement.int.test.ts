import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate, clock } from '../../platform/clock.js';
import { inTransaction } from '../../platform/db/client.js';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { lotBalances } from '../inventory/index.js';
import { makeProduct, makeWarehouse, TEST_ACTOR } from '../inventory/inventory.test-support.js';
import { createStandard } from '../quality/index.js';
import { purchaseOrders, purchaseReceipts } from './procurement.tables.js';

let t: TestApp;
let buyer: string;
let manager: string;
let keeper: string;
let keeperQc: string;
let whId: string;
let locId: string;
let seedId: string;
let bagId: string;
let produceId: string;
let standardId: string;

type Problem = { code: string; errors?: { field: string; code: string }[] };
type Supplier = {
  id: string;
  code: string;
  status: string;
  canOrder: boolean;
  rating: { qualityScore: number | null; onTimeScore: number | null; priceScore: number | null; score: number | null; grade: string | null };
};
type Po = {
  id: string;
  code: string;
  status: string;
  totalFen: number;
  lines: { id: string; quantity: string; receivedQuantity: string; amountFen: number }[];
  receipts: { lotId: string; supplierLotNo: string; onTime: boolean; lotStatus: string | null; inspectionId: string | null }[];
};

const day = (n = 0): string => {
  const d = new Date(`${businessDate(clock.now())}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const req = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, cookie: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function poCount(): Promise<number> {
  const [r] = await t.database.db.select({ n: count() }).from(purchaseOrders);
  return r!.n;
}
async function receiptCount(): Promise<number> {
  const [r] = await t.database.db.select({ n: count() }).from(purchaseReceipts);
  return r!.n;
}

/** A supplier with a valid licence, approved by the manager. */
async function approvedSupplier(name: string): Promise<Supplier> {
  const s = json<Supplier>(await req('POST', '/api/procurement/suppliers', buyer, { name, leadDays: 3 }));
  expect((await req('POST', `/api/procurement/suppliers/${s.id}/documents`, buyer, { type: 'business_licence', number: `L-${name}`, expiresOn: day(400) })).statusCode).toBe(201);
  const ok = await req('POST', `/api/procurement/suppliers/${s.id}/approve`, manager, {});
  expect(ok.statusCode, ok.body).toBe(200);
  return json<Supplier>(ok);
}

async function sentPo(supplierId: string, lines: { productId: string; unit: string; quantity: string; unitPriceFen: number }[], expectedDate = day(5)): Promise<Po> {
  const po = await req('POST', '/api/procurement/orders', buyer, { supplierId, warehouseId: whId, expectedDate, lines });
  expect(po.statusCode, po.body).toBe(201);
  const sent = await req('POST', `/api/procurement/orders/${json<Po>(po).id}/send`, buyer, {});
  expect(sent.statusCode, sent.body).toBe(200);
  return json<Po>(sent);
}

beforeAll(async () => {
  t = await testApp();
  buyer = (await t.loginAs(['planner'])).cookie;
  manager = (await t.loginAs(['manager'])).cookie;
  keeper = (await t.loginAs(['warehouse'])).cookie;
  keeperQc = (await t.loginAs(['warehouse', 'qc'])).cookie;
  const db = t.database.db;
  seedId = await makeProduct(db, { kind: 'material', shelfLifeDays: 365 });
  bagId = await makeProduct(db, { kind: 'material', shelfLifeDays: 720 });
  produceId = await makeProduct(db);
  const wh = await makeWarehouse(db, ['ambient'], 1);
  whId = wh.warehouse.id;
  locId = wh.locations[0]!.id;
  standardId = await inTransaction(
    db,
    async (tx) =>
      (
        await createStandard(tx, TEST_ACTOR, {
          code: `IN-${process.pid}`,
          name: '种子来料检验',
          productId: seedId,
          stages: ['finished'],
          parameters: [{ code: 'germ', name: '发芽率', unit: '%', type: 'number', min: '85', max: null, allowed: [] }],
          samplingPlan: { mode: 'every_lot', sampleSize: 1, periodDays: null },
        })
      ).id,
  );
});
afterAll(async () => {
  await t?.close();
});

describe('suppliers', () => {
  it('an unapproved supplier cannot receive a purchase order, and nothing is saved', async () => {
    const s = json<Supplier>(await req('POST', '/api/procurement/suppliers', buyer, { name: '未审批种业' }));
    expect(s.status).toBe('pending');
    expect(s.code).toMatch(/^SU\d{8}-\d{4}$/);
    const before = await poCount();
    const res = await req('POST', '/api/procurement/orders', buyer, {
      supplierId: s.id,
      warehouseId: whId,
      expectedDate: day(3),
      lines: [{ productId: seedId, unit: 'kg', quantity: '10', unitPriceFen: 1000 }],
    });
    expect(res.statusCode).toBe(409);
    expect(json<Problem>(res).code).toBe('SUPPLIER_NOT_APPROVED');
    expect(json<Problem>(res).errors![0]).toMatchObject({ field: 'supplierId', code: 'SUPPLIER_NOT_APPROVED' });
    expect(await poCount()).toBe(before);
  });

  it('approval needs a valid document and the suppliers:approve permission; an expired document blocks approval and new orders', async () => {
    const s = json<Supplier>(await req('POST', '/api/procurement/suppliers', buyer, { name: '证照种业' }));
    expect(json<Problem>(await req('POST', `/api/procurement/suppliers/${s.id}/approve`, manager, {})).code).toBe('SUPPLIER_DOCUMENT_REQUIRED');
    const badDates = await req('POST', `/api/procurement/suppliers/${s.id}/documents`, buyer, { type: 'seed_licence', number: 'X1', issuedOn: day(0), expiresOn: day(-1) });
    expect(badDates.statusCode).toBe(400);
    expect(json<Problem>(badDates).errors![0]).toMatchObject({ field: 'expiresOn', code: 'DOCUMENT_DATES_INVALID' });
    const expired = json<{ id: string; expired: boolean }>(
      await req('POST', `/api/procurement/suppliers/${s.id}/documents`, buyer, { type: 'seed_licence', number: 'X2', expiresOn: day(-1) }),
    );
    expect(expired.expired).toBe(true);
    expect(json<Problem>(await req('POST', `/api/procurement/suppliers/${s.id}/approve`, manager, {})).code).toBe('SUPPLIER_DOCUMENT_EXPIRED');
    expect((await req('POST', `/api/procurement/suppliers/${s.id}/approve`, buyer, {})).statusCode).toBe(403);
    await req('PATCH', `/api/procurement/suppliers/${s.id}/documents/${expired.id}`, buyer, { expiresOn: day(200) });
    const approved = json<Supplier>(await req('POST', `/api/procurement/suppliers/${s.id}/approve`, manager, {}));
    expect(approved.status).toBe('approved');
    expect(approved.canOrder).toBe(true);
    // The licence lapses: the approved supplier can no longer receive an order.
    await req('PATCH', `/api/procurement/suppliers/${s.id}/documents/${expired.id}`, buyer, { expiresOn: day(-2) });
    const res = await req('POST', '/api/procurement/orders', buyer, {
      supplierId: s.id,
      warehouseId: whId,
      expectedDate: day(3),
      lines: [{ productId: seedId, unit: 'kg', quantity: '1', unitPriceFen: 1 }],
    });
    expect(res.statusCode).toBe(409);
    expect(json<Problem>(res).code).toBe('SUPPLIER_DOCUMENT_EXPIRED');
    const suspend = await req('POST', `/api/procurement/suppliers/${s.id}/suspend`, manager, {});
    expect(json<Problem>(suspend).code).toBe('SUPPLIER_REASON_REQUIRED');
    const history = json<{ items: { toState: string }[] }>(await req('GET', `/api/procurement/suppliers/${s.id}/history`, buyer));
    expect(history.items.map((h) => h.toState)).toEqual(['pending', 'approved']);
  });

  it('lists, filters, sorts and exports suppliers', async () => {
    const page = json<{ items: Supplier[]; total: number }>(await req('GET', '/api/procurement/suppliers?status=pending&sort=-name&pageSize=5', buyer));
    expect(page.total).toBeGreaterThan(0);
    expect(page.items.every((s) => s.status === 'pending')).toBe(true);
    expect((await req('GET', '/api/procurement/suppliers?sort=bogus', buyer)).statusCode).toBe(400);
    const x = await req('GET', '/api/procurement/suppliers/export.xlsx', buyer);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheet');
    expect((await req('GET', '/api/procurement/suppliers', (await t.loginAs(['sales'])).cookie)).statusCode).toBe(403);
  });
});

describe('purchase orders', () => {
  it('refuses bad lines and a past expected date with field errors, saving nothing', async () => {
    const s = await approvedSupplier('校验种业');
    const before = await poCount();
    const bad = await req('POST', '/api/procurement/orders', buyer, {
      supplierId: s.id,
      warehouseId: whId,
      expectedDate: day(3),
      lines: [
        { productId: seedId, unit: 'pallet', quantity: '1', unitPriceFen: 100 },
        { productId: '00000000-0000-4000-8000-000000000000', unit: 'kg', quantity: '1', unitPriceFen: 100 },
        { productId: bagId, unit: 'kg', quantity: '1', unitPriceFen: 100 },
        { productId: bagId, unit: 'kg', quantity: '2', unitPriceFen: 100 },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(json<Problem>(bad).errors!.map((e) => [e.field, e.code])).toEqual([
      ['lines.0.unit', 'UNIT_NOT_CONVERTIBLE'],
      ['lines.1.productId', 'PRODUCT_NOT_FOUND'],
      ['lines.3.productId', 'PO_DUPLICATE_PRODUCT'],
    ]);
    const past = await req('POST', '/api/procurement/orders', buyer, {
      supplierId: s.id,
      warehouseId: whId,
      expectedDate: day(-1),
      lines: [{ productId: seedId, unit: 'kg', quantity: '1', unitPriceFen: 100 }],
    });
    expect(json<Problem>(past).errors![0]).toMatchObject({ field: 'expectedDate', code: 'PO_EXPECTED_DATE_PAST' });
    const negative = await req('POST', '/api/procurement/orders', buyer, {
      supplierId: s.id,
      warehouseId: whId,
      expectedDate: day(1),
      lines: [{ productId: seedId, unit: 'kg', quantity: '-5', unitPriceFen: 100 }],
    });
    expect(negative.statusCode).toBe(400);
    expect(json<Problem>(negative).errors![0]!.field).toBe('lines.0.quantity');
    expect(await poCount()).toBe(before);
  });

  it('goes draft → sent → partially received → received, prices in fen, with a PDF and lots carrying the supplier lot number', async () => {
    const s = await approvedSupplier('收货种业');
    const draft = json<Po>(
      await req('POST', '/api/procurement/orders', buyer, {
        supplierId: s.id,
        warehouseId: whId,
        expectedDate: day(5),
        lines: [
          { productId: bagId, unit: '箱', quantity: '10', unitPriceFen: 12_345 },
          { productId: produceId, unit: 'kg', quantity: '2.5', unitPriceFen: 333 },
        ],
      }),
    );
    expect(draft.status).toBe('draft');
    expect(draft.lines.map((l) => l.amountFen)).toEqual([123_450, 833]);
    expect(draft.totalFen).toBe(124_283);
    const early = await req('POST', `/api/procurement/orders/${draft.id}/receipts`, keeper, {
      lines: [{ lineId: draft.lines[0]!.id, quantity: '1', supplierLotNo: 'S1', locationId: locId, productionDate: day(-10) }],
    });
    expect(early.statusCode).toBe(409);
    expect(json<Problem>(early).code).toBe('PO_NOT_RECEIVABLE');
    const sent = json<Po>(await req('POST', `/api/procurement/orders/${draft.id}/send`, buyer, {}));
    expect(sent.status).toBe('sent');
    expect(json<Problem>(await req('PATCH', `/api/procurement/orders/${draft.id}`, buyer, { note: 'x' })).code).toBe('PO_NOT_EDITABLE');
    const pdf = await req('GET', `/api/procurement/orders/${draft.id}/pdf`, buyer);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');

    const part = await req('POST', `/api/procurement/orders/${draft.id}/receipts`, keeper, {
      lines: [{ lineId: draft.lines[0]!.id, quantity: '4', supplierLotNo: 'SUP-LOT-7', locationId: locId, productionDate: day(-10) }],
    });
    expect(part.statusCode, part.body).toBe(201);
    const p1 = json<Po>(part);
    expect(p1.status).toBe('partially_received');
    expect(p1.lines[0]!.receivedQuantity).toBe('4.000');
    expect(p1.receipts[0]).toMatchObject({ supplierLotNo: 'SUP-LOT-7', onTime: true, lotStatus: 'released' });
    const balances = await lotBalances(t.database.db, p1.receipts[0]!.lotId);
    expect(balances[0]).toMatchObject({ locationId: locId, onHand: '40.000' }); // 4 箱 = 40 kg

    // 10 箱 ordered, 5 % tolerance: 4 + 7 = 11 > 10.5 is refused, nothing received.
    const receiptsBefore = await receiptCount();
    const over = await req('POST', `/api/procurement/orders/${draft.id}/receipts`, keeper, {
      lines: [
        { lineId: draft.lines[1]!.id, quantity: '2.5', supplierLotNo: 'P1', locationId: locId, productionDate: day(-1) },
        { lineId: draft.lines[0]!.id, quantity: '7', supplierLotNo: 'SUP-LOT-8', locationId: locId, productionDate: day(-10) },
      ],
    });
    expect(over.statusCode).toBe(422);
    expect(json<Problem>(over).errors![0]).toMatchObject({ field: 'lines.1.quantity', code: 'PO_OVER_RECEIPT' });
    expect(await receiptCount()).toBe(receiptsBefore);

    const rest = await req('POST', `/api/procurement/orders/${draft.id}/receipts`, keeper, {
      lines: [
        { lineId: draft.lines[0]!.id, quantity: '6.5', supplierLotNo: 'SUP-LOT-8', locationId: locId, productionDate: day(-10) },
        { lineId: draft.lines[1]!.id, quantity: '2.5', supplierLotNo: 'P1', locationId: locId, productionDate: day(-1) },
      ],
    });
    expect(rest.statusCode, rest.body).toBe(201);
    expect(json<Po>(rest).status).toBe('received');
    expect(
      json<Problem>(
        await req('POST', `/api/procurement/orders/${draft.id}/receipts`, keeper, {
          lines: [{ lineId: draft.lines[0]!.id, quantity: '0.1', supplierLotNo: 'Z', locationId: locId, productionDate: day(-1) }],
        }),
      ).code,
    ).toBe('PO_NOT_RECEIVABLE');
    expect(json<Problem>(await req('POST', `/api/procurement/orders/${draft.id}/cancel`, buyer, {})).code).toBe('INVALID_TRANSITION');
    const history = json<{ items: { toState: string }[] }>(await req('GET', `/api/procurement/orders/${draft.id}/history`, buyer));
    expect(history.items.map((h) => h.toState)).toEqual(['draft', 'sent', 'partially_received', 'received']);
    const list = json<{ items: Po[] }>(await req('GET', `/api/procurement/orders?status=received&q=${draft.code}`, buyer));
    expect(list.items.map((p) => p.id)).toEqual([draft.id]);
    expect((await req('GET', '/api/procurement/orders/export.xlsx', buyer)).statusCode).toBe(200);
  });

  it('receives a material that needs an incoming inspection quarantined, releasing it when the signed inspection passes', async () => {
    const s = await approvedSupplier('检验种业');
    const level = await req('PUT', '/api/procurement/material-levels', buyer, {
      productId: seedId,
      warehouseId: whId,
      safetyStock: '0',
      reorderPoint: '0',
      inspectionStandardId: standardId,
    });
    expect(level.statusCode, level.body).toBe(200);
    const po = await sentPo(s.id, [{ productId: seedId, unit: 'kg', quantity: '10', unitPriceFen: 2000 }]);
    const noInspection = json<Po>(
      await req('POST', `/api/procurement/orders/${po.id}/receipts`, keeper, {
        lines: [{ lineId: po.lines[0]!.id, quantity: '2', supplierLotNo: 'G1', locationId: locId, productionDate: day(-3) }],
      }),
    );
    expect(noInspection.receipts[0]).toMatchObject({ lotStatus: 'quarantined', inspectionId: null });
    const bad = await req('POST', `/api/procurement/orders/${po.id}/receipts`, keeperQc, {
      lines: [{ lineId: po.lines[0]!.id, quantity: '2', supplierLotNo: 'G2', locationId: locId, productionDate: day(-3), inspection: { values: [{ code: 'nope', value: 1 }] } }],
    });
    expect(bad.statusCode).toBe(400);
    expect(json<Problem>(bad).errors![0]!.field).toBe('lines.0.values.0.code');
    const passed = json<Po>(
      await req('POST', `/api/procurement/orders/${po.id}/receipts`, keeperQc, {
        lines: [{ lineId: po.lines[0]!.id, quantity: '3', supplierLotNo: 'G3', locationId: locId, productionDate: day(-3), inspection: { values: [{ code: 'germ', value: 92 }] } }],
      }),
    );
    expect(passed.receipts[1]).toMatchObject({ supplierLotNo: 'G3', lotStatus: 'released' });
    expect(passed.receipts[1]!.inspectionId).not.toBeNull();
    const failed = json<Po>(
      await req('POST', `/api/procurement/orders/${po.id}/receipts`, keeperQc, {
        lines: [{ lineId: po.lines[0]!.id, quantity: '1', supplierLotNo: 'G4', locationId: locId, productionDate: day(-3), inspection: { values: [{ code: 'germ', value: 60 }] } }],
      }),
    );
    expect(failed.receipts[2]!.lotStatus).toBe('on_hold');
    // Rating: one of two inspections passed; all receipts on time.
    const rated = json<Supplier>(await req('GET', `/api/procurement/suppliers/${s.id}`, buyer));
    expect(rated.rating).toMatchObject({ qualityScore: 50, onTimeScore: 100 });
    await req('PUT', '/api/procurement/material-levels', buyer, { productId: seedId, warehouseId: whId, safetyStock: '0', reorderPoint: '0', inspectionStandardId: null });
  });

  it('rates a dearer supplier lower on price and a late one lower on time', async () => {
    const cheap = await approvedSupplier('便宜包材');
    const dear = await approvedSupplier('昂贵包材');
    await sentPo(cheap.id, [{ productId: bagId, unit: 'kg', quantity: '1', unitPriceFen: 1000 }]);
    const late = await sentPo(dear.id, [{ productId: bagId, unit: 'kg', quantity: '1', unitPriceFen: 2000 }]);
    await t.database.db
      .update(purchaseOrders)
      .set({ expectedDate: day(-1) })
      .where(eq(purchaseOrders.id, late.id));
    await req('POST', `/api/procurement/orders/${late.id}/receipts`, keeper, {
      lines: [{ lineId: late.lines[0]!.id, quantity: '1', supplierLotNo: 'L', locationId: locId, productionDate: day(-1) }],
    });
    const a = json<Supplier>(await req('GET', `/api/procurement/suppliers/${cheap.id}`, buyer)).rating;
    const b = json<Supplier>(await req('GET', `/api/procurement/suppliers/${dear.id}`, buyer)).rating;
    expect(a.priceScore).toBe(100);
    expect(b.priceScore!).toBeLessThan(a.priceScore!);
    expect(b.onTimeScore).toBe(0);
    expect(b.grade).toBe('D');
  });
});

describe('materials: safety stock, reorder point, alerts and replenishment', () => {
  it('refuses a safety stock above the reorder point, negative levels and produce', async () => {
    const above = await req('PUT', '/api/procurement/material-levels', buyer, { productId: bagId, warehouseId: whId, safetyStock: '50', reorderPoint: '10' });
    expect(json<Problem>(above).errors![0]).toMatchObject({ field: 'safetyStock', code: 'MATERIAL_LEVEL_INVALID' });
    const negative = await req('PUT', '/api/procurement/material-levels', buyer, { productId: bagId, warehouseId: whId, safetyStock: '-1', reorderPoint: '10' });
    expect(negative.statusCode).toBe(400);
    expect(json<Problem>(negative).errors![0]!.field).toBe('safetyStock');
    const produce = await req('PUT', '/api/procurement/material-levels', buyer, { productId: produceId, warehouseId: whId, safetyStock: '1', reorderPoint: '10' });
    expect(json<Problem>(produce).code).toBe('MATERIAL_NOT_MATERIAL');
  });

  it('alerts below the reorder point and turns the proposal into draft purchase orders in one step', async () => {
    const s = await approvedSupplier('补货包材');
    const material = await makeProduct(t.database.db, { kind: 'material', shelfLifeDays: 365 });
    const noSupplier = await makeProduct(t.database.db, { kind: 'material', shelfLifeDays: 365 });
    const level = json<{ id: string; alert: string; proposedQuantity: string; available: string }>(
      await req('PUT', '/api/procurement/material-levels', buyer, {
        productId: material,
        warehouseId: whId,
        safetyStock: '20',
        reorderPoint: '50',
        supplierId: s.id,
        unitPriceFen: 150,
      }),
    );
    expect(level).toMatchObject({ alert: 'below_safety', available: '0.000', proposedQuantity: '70.000' });
    const orphan = json<{ id: string }>(
      await req('PUT', '/api/procurement/material-levels', buyer, { productId: noSupplier, warehouseId: whId, safetyStock: '1', reorderPoint: '2' }),
    );
    const alerts = json<{ items: { id: string }[] }>(await req('GET', `/api/procurement/material-levels?alert=true&warehouseId=${whId}`, buyer));
    expect(alerts.items.map((i) => i.id)).toEqual(expect.arrayContaining([level.id, orphan.id]));
    const before = await poCount();
    const refused = await req('POST', '/api/procurement/replenishment', buyer, { items: [{ levelId: level.id }, { levelId: orphan.id }] });
    expect(refused.statusCode).toBe(422);
    expect(json<Problem>(refused).errors![0]).toMatchObject({ field: 'items.1.levelId', code: 'REPLENISH_NO_SUPPLIER' });
    expect(await poCount()).toBe(before);
    const made = await req('POST', '/api/procurement/replenishment', buyer, { items: [{ levelId: level.id }] });
    expect(made.statusCode, made.body).toBe(201);
    const orders = json<{ orders: (Po & { expectedDate: string })[] }>(made).orders;
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'draft', totalFen: 10_500, expectedDate: day(3) });
    expect(orders[0]!.lines[0]!.quantity).toBe('70.000');
    // The draft counts as on order: nothing more is proposed.
    const after = json<{ items: { id: string; onOrder: string; proposedQuantity: string }[] }>(
      await req('GET', `/api/procurement/material-levels?warehouseId=${whId}&pageSize=200`, buyer),
    );
    expect(after.items.find((i) => i.id === level.id)).toMatchObject({ onOrder: '70.000', proposedQuantity: '0.000' });
  });
});
