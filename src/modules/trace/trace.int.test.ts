import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { fixedClock, setClock } from '../../platform/clock.js';
import { inTransaction, queryRows, type Db } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { createProduct } from '../catalog/catalog.service.js';
import { getLot, issueStock, reserve } from '../inventory/index.js';
import { createLocation, createWarehouse } from '../inventory/inventory.service.js';
import { createBase, createField, createHarvest, createInspection, createStandard, recordInputApplication } from '../quality/index.js';
import { recallReportPdf } from './recall.service.js';
import { backwardTrace, createProcessingRun, createRecall, epcisDocument, ensureTraceCode, forwardTrace, recallImpact, setOrderLookup } from './index.js';

const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
const FIX = path.resolve(import.meta.dirname, '../../../test/fixtures/epcis');

let t: TestApp;
let db: Db;
const A = SYSTEM_ACTOR;
const run = <T>(fn: (db: Db) => Promise<T>) => inTransaction(db, fn);
async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return 'NO_ERROR';
}

const ids = {} as Record<string, string>;

beforeAll(async () => {
  t = await testApp();
  db = t.database.db;
  setClock(fixedClock('2026-06-15T02:00:00Z'));
  await run(async (tx) => {
    ids.tom = (
      await createProduct(tx, A, {
        code: 'TOM',
        name: '番茄',
        kind: 'produce',
        category: '蔬菜',
        baseUnit: 'kg',
        shelfLifeDays: 10,
        storageConditions: '7–13℃ 冷藏',
        originRegion: '370700',
        tempProfile: 'chilling_sensitive',
      })
    ).id;
    ids.pack = (
      await createProduct(tx, A, {
        code: 'TOMPK',
        name: '番茄礼盒',
        kind: 'produce',
        category: '蔬菜',
        spec: '5kg/箱',
        baseUnit: 'kg',
        units: [{ unit: '箱', factorToBase: '5', sellable: true }],
        shelfLifeDays: 10,
        storageConditions: '7–13℃ 冷藏',
        originRegion: '370700',
        gtin: '06912345678902',
        labelStandard: 'GB7718-2025',
        prepackaged: true,
      })
    ).id;
    ids.pest = (
      await createProduct(tx, A, { code: 'PES1', name: '吡虫啉', kind: 'material', materialType: 'pesticide', category: '农药', baseUnit: 'kg', phiDays: 7, allowedUse: true })
    ).id;
    const wh = await createWarehouse(tx, A, { code: 'WH1', name: '一号冷库', tempZones: ['cool'] });
    ids.loc = (await createLocation(tx, A, { warehouseId: wh.id, code: 'C-01', zone: 'cool' })).id;
    const base = await createBase(tx, A, { code: 'B1', name: '寿光基地', regionCode: '370783' });
    ids.f1 = (await createField(tx, A, { baseId: base.id, code: 'F1', name: '一号棚', crops: ['番茄'] })).id;
    ids.f2 = (await createField(tx, A, { baseId: base.id, code: 'F2', name: '二号棚', crops: ['番茄'] })).id;
    const num = (code: string, max: string) => ({ code, name: code, unit: 'mg/kg', type: 'number' as const, min: null, max, allowed: [] });
    ids.soil = (
      await createStandard(tx, A, {
        code: 'SOIL',
        name: '土壤',
        checkType: 'soil',
        stages: ['source'],
        parameters: [num('cd', '0.3')],
        samplingPlan: { mode: 'periodic', sampleSize: 1, periodDays: 365 },
      })
    ).id;
    ids.water = (
      await createStandard(tx, A, {
        code: 'WATER',
        name: '灌溉水',
        checkType: 'water',
        stages: ['source'],
        parameters: [num('pb', '0.1')],
        samplingPlan: { mode: 'periodic', sampleSize: 1, periodDays: 365 },
      })
    ).id;
    ids.res = (
      await createStandard(tx, A, {
        code: 'TOM-RES',
        name: '番茄农残',
        stages: ['finished', 'in_process', 'pre_shipment'],
        parameters: [num('residue', '0.5'), { code: 'look', name: '外观', unit: null, type: 'grade', min: null, max: null, allowed: ['A', 'B'] }],
        samplingPlan: { mode: 'every_lot', sampleSize: 3, periodDays: null },
      })
    ).id;
    for (const f of [ids.f1, ids.f2]) {
      await createInspection(tx, A, {
        stage: 'source',
        standardId: ids.soil,
        fieldId: f,
        inspectedOn: '2026-03-01',
        validUntil: '2027-03-01',
        values: [{ code: 'cd', value: 0.1 }],
        sign: true,
      });
      await createInspection(tx, A, {
        stage: 'source',
        standardId: ids.water,
        fieldId: f,
        inspectedOn: '2026-03-01',
        validUntil: '2027-03-01',
        values: [{ code: 'pb', value: '0.01' }],
        sign: true,
      });
    }
    ids.app = (
      await recordInputApplication(tx, A, {
        fieldId: ids.f1,
        materialId: ids.pest,
        materialLotCode: 'PES-2605',
        dose: '0.2',
        doseUnit: 'kg',
        appliedOn: '2026-06-05',
        operator: '张三',
      })
    ).id;
  });
}, 120_000);
afterAll(async () => t?.close());

const pass = (lotId: string) => (tx: Db) =>
  createInspection(tx, A, {
    stage: 'finished',
    standardId: ids.res,
    lotId,
    inspectedOn: '2026-06-14',
    values: [
      { code: 'residue', value: 0.1 },
      { code: 'look', value: 'A' },
    ],
    sign: true,
  });

describe('harvest and the pre-harvest interval', () => {
  it('refuses a harvest dated before the pesticide pre-harvest interval ends (HARVEST_PHI_NOT_ELAPSED)', async () => {
    expect(await code(run((tx) => createHarvest(tx, A, { fieldId: ids.f1, productId: ids.tom, quantity: '10', unit: 'kg', harvestedOn: '2026-06-11', locationId: ids.loc })))).toBe(
      'HARVEST_PHI_NOT_ELAPSED',
    );
  });

  it('puts harvest lots into inventory as quarantined', async () => {
    await run(async (tx) => {
      ids.h1 = (
        await createHarvest(tx, A, { fieldId: ids.f1, productId: ids.tom, quantity: '100', unit: 'kg', harvestedOn: '2026-06-12', locationId: ids.loc, lotCode: 'H1' })
      ).lotId;
      ids.h2 = (
        await createHarvest(tx, A, { fieldId: ids.f1, productId: ids.tom, quantity: '80', unit: 'kg', harvestedOn: '2026-06-13', locationId: ids.loc, lotCode: 'H2' })
      ).lotId;
      ids.h3 = (
        await createHarvest(tx, A, { fieldId: ids.f2, productId: ids.tom, quantity: '120', unit: 'kg', harvestedOn: '2026-06-13', locationId: ids.loc, lotCode: 'H3' })
      ).lotId;
    });
    expect((await getLot(db, ids.h1!))?.qualityStatus).toBe('quarantined');
  });

  it('refuses to process a lot that is not released', async () => {
    expect(
      await code(
        run((tx) =>
          createProcessingRun(tx, A, {
            kind: 'pack',
            runOn: '2026-06-14',
            inputs: [{ lotId: ids.h1!, locationId: ids.loc, quantity: '10', unit: 'kg' }],
            outputs: [{ productId: ids.pack, quantity: '2', unit: '箱', locationId: ids.loc }],
          }),
        ),
      ),
    ).toBe('PROCESSING_LOT_NOT_RELEASED');
  });

  it('releases a lot when its signed inspection passes', async () => {
    await run(async (tx) => {
      for (const l of [ids.h1!, ids.h2!, ids.h3!]) await pass(l)(tx);
    });
    expect((await getLot(db, ids.h3!))?.qualityStatus).toBe('released');
  });
});

describe('2 fields → 3 harvest lots → mixed run → 2 packed lots → 3 orders', () => {
  it('runs a mixed processing run with genealogy, yield and loss', async () => {
    const r = await run((tx) =>
      createProcessingRun(tx, A, {
        kind: 'pack',
        runOn: '2026-06-14',
        inputs: [
          { lotId: ids.h1!, locationId: ids.loc, quantity: '100', unit: 'kg' },
          { lotId: ids.h2!, locationId: ids.loc, quantity: '50', unit: 'kg' },
          { lotId: ids.h3!, locationId: ids.loc, quantity: '120', unit: 'kg' },
        ],
        outputs: [
          { productId: ids.pack, lotCode: 'P1', quantity: '26', unit: '箱', locationId: ids.loc },
          { productId: ids.pack, lotCode: 'P2', quantity: '120', unit: 'kg', locationId: ids.loc },
        ],
      }),
    );
    expect([r.inputTotal, r.outputTotal, r.lossTotal, r.yieldRatio]).toEqual(['270.000', '250.000', '20.000', '0.9259']);
    ids.p1 = r.lines.find((l) => l.lotCode === 'P1')!.lotId;
    ids.p2 = r.lines.find((l) => l.lotCode === 'P2')!.lotId;
    await run(async (tx) => {
      await pass(ids.p1!)(tx);
      await pass(ids.p2!)(tx);
      await reserve(tx, A, { refType: 'order', refId: 'O1', productId: ids.pack, quantity: '50', lotId: ids.p1 });
      await reserve(tx, A, { refType: 'order', refId: 'O2', productId: ids.pack, quantity: '30', lotId: ids.p1 });
      await reserve(tx, A, { refType: 'order', refId: 'O3', productId: ids.pack, quantity: '40', lotId: ids.p2 });
    });
    setOrderLookup(async (_db, orderIds) => {
      const m = new Map<string, { customerId: string; customerName: string; number: string | null; email: string | null; phone: string | null }>();
      const c: Record<string, [string, string]> = { O1: ['C-A', '鲜果超市'], O2: ['C-A', '鲜果超市'], O3: ['C-B', '绿园餐饮'] };
      for (const o of orderIds) if (c[o]) m.set(o, { customerId: c[o][0], customerName: c[o][1], number: o, email: `${c[o][0]}@example.cn`, phone: null });
      return m;
    });
  });

  it('traces a packed lot backward to its harvest lots, fields, inputs and source checks', async () => {
    const b = await backwardTrace(db, ids.p1!);
    expect(b.lots.map((l) => l.lotCode).sort()).toEqual(['H1', 'H2', 'H3', 'P1']);
    expect(b.harvestLots.map((h) => h.lotCode).sort()).toEqual(['H1', 'H2', 'H3']);
    expect(b.fields.map((f) => f.code).sort()).toEqual(['F1', 'F2']);
    expect(b.inputApplications.map((a) => a.id)).toEqual([ids.app]);
    expect(b.sourceChecks).toHaveLength(4);
    expect(b.links).toHaveLength(3);
  });

  it('traces a harvest lot forward to derived lots, stock, orders and customers', async () => {
    const f = await forwardTrace(db, ids.h3!);
    expect(f.lots.map((l) => l.lotCode).sort()).toEqual(['H3', 'P1', 'P2']);
    expect(f.orders.map((o) => `${o.orderId}:${o.lotCode}:${o.quantity}`).sort()).toEqual(['O1:P1:50.000', 'O2:P1:30.000', 'O3:P2:40.000']);
    expect(f.customers.map((c) => c.customerName).sort()).toEqual(['绿园餐饮', '鲜果超市']);
    expect(f.stock.map((s) => `${s.lotCode}:${s.onHand}`).sort()).toEqual(['P1:130.000', 'P2:120.000']);
    const h2 = await forwardTrace(db, ids.h2!);
    expect(h2.stock.map((s) => `${s.lotCode}:${s.onHand}`).sort()).toEqual(['H2:30.000', 'P1:130.000', 'P2:120.000']);
  });

  it('computes the recall impact of a field exactly', async () => {
    const f2 = await recallImpact(db, { kind: 'field', fieldId: ids.f2 });
    expect(f2.lots.map((l) => l.lotCode)).toEqual(['H3', 'P1', 'P2']);
    expect(f2.orders.map((o) => o.orderId).sort()).toEqual(['O1', 'O2', 'O3']);
    expect(f2.customers.map((c) => c.customerId).sort()).toEqual(['C-A', 'C-B']);
    const mat = await recallImpact(db, { kind: 'material_lot', materialLotCode: 'PES-2605' });
    expect(mat.lots.map((l) => l.lotCode)).toEqual(['H1', 'H2', 'P1', 'P2']);
    const range = await recallImpact(db, { kind: 'date_range', from: '2026-06-13', to: '2026-06-13' });
    expect(range.lots.map((l) => l.lotCode)).toEqual(['H2', 'H3', 'P1', 'P2']);
  });

  it('exports an EPCIS 2.0 document that validates against the official schema', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(FIX, 'EPCIS-JSON-Schema.json'), 'utf8')) as object);
    const example = JSON.parse(fs.readFileSync(path.join(FIX, 'examples/Example_9.6.4-TransformationEvent.jsonld'), 'utf8')) as object;
    expect(validate(example)).toBe(true);
    const doc = await epcisDocument(db, { lotId: ids.p1! });
    const ok = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    const events = (doc.epcisBody as { eventList: { type: string; bizStep: string; transformationID?: string }[] }).eventList;
    // one TransformationEvent per output lot (P1, P2: each with its own ILMD), all of the one run's transformationID
    const tf = events.filter((e) => e.type === 'TransformationEvent');
    expect(tf).toHaveLength(2);
    expect(new Set(tf.map((e) => e.transformationID)).size).toBe(1);
    expect(events.filter((e) => e.bizStep === 'commissioning').length).toBe(3);
    const all = await epcisDocument(db, { from: new Date('2026-01-01'), to: new Date('2027-01-01') });
    expect(validate(all)).toBe(true);
  });

  it('executes a recall: holds every affected lot and queues one notice per customer', async () => {
    const r = await run((tx) => createRecall(tx, A, { scope: { kind: 'field', fieldId: ids.f2 }, reason: '农残超标', execute: true }));
    expect(r.status).toBe('executed');
    for (const l of [ids.h3!, ids.p1!, ids.p2!]) expect((await getLot(db, l))?.qualityStatus).toBe('on_hold');
    expect((await getLot(db, ids.h2!))?.qualityStatus).toBe('released');
    const msgs = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from outbox where topic = 'notify.customer'`);
    expect(msgs[0]!.n).toBe(2);
  });

  it('renders the executed recall as a PDF report (lots, stock, orders, customers to contact) in both languages', async () => {
    const [r] = await queryRows<{ id: string }>(db, sql`select id from trace_recalls order by created_at desc limit 1`);
    for (const locale of ['zh-CN', 'en-US'] as const) {
      const pdf = await recallReportPdf(db, { ...A, locale }, r!.id);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(5_000);
    }
  });

  it('has inventory refuse to reserve or issue a held lot', async () => {
    expect(await code(run((tx) => reserve(tx, A, { refType: 'order', refId: 'O4', productId: ids.pack, quantity: '5', lotId: ids.p1 })))).toMatch(
      /LOT_NOT_RELEASED|INVENTORY_INSUFFICIENT/,
    );
    expect(await code(run((tx) => issueStock(tx, A, { lotId: ids.p1!, locationId: ids.loc, quantity: '5', unit: 'kg', reason: 'ship', refType: 'order', refId: 'O1' })))).toBe(
      'LOT_NOT_RELEASED',
    );
    expect(
      await code(
        run((tx) =>
          createProcessingRun(tx, A, {
            kind: 'cut',
            runOn: '2026-06-15',
            inputs: [{ lotId: ids.p2!, locationId: ids.loc, quantity: '5', unit: 'kg' }],
            outputs: [{ productId: ids.tom, quantity: '5', unit: 'kg', locationId: ids.loc }],
          }),
        ),
      ),
    ).toBe('PROCESSING_LOT_NOT_RELEASED');
  });

  it('never updates or deletes trace events (the trigger refuses)', async () => {
    const before = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from trace_events`);
    expect(before[0]!.n).toBeGreaterThan(5);
    await expect(db.execute(sql`update trace_events set biz_step = 'other'`)).rejects.toThrow();
    await expect(db.execute(sql`delete from trace_events`)).rejects.toThrow();
    const after = await queryRows<{ n: number; steps: number }>(db, sql`select count(*)::int as n, count(*) filter (where biz_step = 'other')::int as steps from trace_events`);
    expect(after[0]).toEqual({ n: before[0]!.n, steps: 0 });
  });
});

describe('HTTP: bad input is a 4xx, never a 5xx', () => {
  let qc: string;
  let prod: string;
  beforeAll(async () => {
    qc = (await t.loginAs(['qc'])).cookie;
    prod = (await t.loginAs(['production'])).cookie;
  });

  it('answers an inspection value of the wrong type with 400 and a field error', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/quality/inspections',
      headers: { cookie: qc },
      payload: {
        stage: 'finished',
        standardId: ids.res,
        lotId: ids.h2,
        inspectedOn: '2026-06-15',
        values: [
          { code: 'residue', value: 'lots' },
          { code: 'look', value: 'A' },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(json<{ errors: { field: string; code: string }[] }>(res).errors).toContainEqual(expect.objectContaining({ field: 'values.0.value', code: 'FIELD_INVALID_TYPE' }));
  });

  it('holds a lot and opens a non-conformance when a residue inspection fails', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/quality/inspections',
      headers: { cookie: qc },
      payload: {
        stage: 'pre_shipment',
        standardId: ids.res,
        lotId: ids.h2,
        inspectedOn: '2026-06-15',
        values: [
          { code: 'residue', value: 0.9 },
          { code: 'look', value: 'A' },
        ],
        sign: true,
      },
    });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ result: 'fail', status: 'signed', lotDecision: 'hold' });
    expect((await getLot(db, ids.h2!))?.qualityStatus).toBe('on_hold');
    const nc = json<{ items: { lotId: string; status: string }[] }>(await t.app.inject({ url: `/api/quality/non-conformances?lotId=${ids.h2}`, headers: { cookie: qc } }));
    expect(nc.items).toEqual([expect.objectContaining({ lotId: ids.h2, status: 'open' })]);
  });

  it('refuses to let a user without quality:inspect sign', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/quality/inspections',
      headers: { cookie: prod },
      payload: {
        stage: 'finished',
        standardId: ids.res,
        lotId: ids.h2,
        inspectedOn: '2026-06-15',
        values: [
          { code: 'residue', value: 0.1 },
          { code: 'look', value: 'A' },
        ],
        sign: true,
      },
    });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a processing output larger than its inputs without a reason', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/trace/processing-runs',
      headers: { cookie: prod },
      payload: {
        kind: 'wash',
        runOn: '2026-06-15',
        inputs: [{ lotId: ids.h1, locationId: ids.loc, quantity: '1', unit: 'kg' }],
        outputs: [{ productId: ids.tom, quantity: '2', unit: 'kg', locationId: ids.loc }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(json<{ code: string; errors: { field: string }[] }>(res)).toMatchObject({ code: 'PROCESSING_OUTPUT_EXCEEDS_INPUT', errors: [{ field: 'overYieldReason' }] });
  });

  it('refuses a label with a missing required field (LABEL_FIELD_MISSING)', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/trace/labels/preview', headers: { cookie: qc }, payload: { lotId: ids.p1, netWeight: '5' } });
    expect(res.statusCode).toBe(422);
    const body = json<{ code: string; errors: { field: string }[] }>(res);
    expect(body.code).toBe('LABEL_FIELD_MISSING');
    expect(body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['producerName', 'licenceNo', 'allergens']));
  });

  it('prints a label PDF with GS1-128 and a Digital Link QR when the fields are complete', async () => {
    const payload = {
      lotId: ids.p1,
      netWeight: '5',
      producerName: '寿光鲜蔬合作社',
      producerAddress: '山东省寿光市',
      producerContact: '0536-1234567',
      licenceNo: 'SC11037078300001',
      standardCode: 'GB/T 20372',
      allergens: '无',
    };
    const pre = await t.app.inject({ method: 'POST', url: '/api/trace/labels/preview', headers: { cookie: qc }, payload });
    expect(pre.statusCode).toBe(200);
    expect(json<{ gs1128: string }>(pre).gs1128).toBe('(01)06912345678902(11)260614(17)260624(3102)000500(10)P1');
    expect(JSON.stringify(json(pre))).toContain('山东省 潍坊市'); // origin printed as region names, not the GB/T 2260 code
    const res = await t.app.inject({ method: 'POST', url: '/api/trace/labels/pdf', headers: { cookie: qc }, payload });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    if (process.env.LABEL_PDF_OUT) fs.writeFileSync(process.env.LABEL_PDF_OUT, res.rawPayload);
  });

  it('answers an unknown trace code with a 404 problem and a known one without commercial data', async () => {
    const res = await t.app.inject({ url: '/api/public/trace/NOPE123' });
    expect(res.statusCode).toBe(404);
    expect(json(res).code).toBe('TRACE_CODE_NOT_FOUND');
    const c = await run((tx) => ensureTraceCode(tx, ids.p1!));
    const ok = await t.app.inject({ url: `/api/public/trace/${c}` });
    expect(ok.statusCode).toBe(200);
    const body = json<{ product: { name: string }; harvestDate: string; processing: unknown[]; inspections: unknown[] }>(ok);
    expect(body.product.name).toBe('番茄礼盒');
    expect(body.harvestDate).toBe('2026-06-12');
    expect(body.processing).toEqual([{ kind: 'pack', runOn: '2026-06-14' }]);
    // (the random trace code itself may contain any letters, e.g. "O1": look at everything but the code)
    expect(JSON.stringify({ ...body, code: undefined })).not.toMatch(/鲜果超市|"O1"|张三|price|customer/);
    expect(Object.keys(body)).not.toContain('orders');
  });

  it('exports the FSMA 204 spreadsheet as CSV and XLSX', async () => {
    const csv = await t.app.inject({ url: '/api/trace/fsma204.csv?from=2026-01-01&to=2026-12-31', headers: { cookie: qc } });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('Traceability Lot Code - Batch');
    expect(csv.body).toMatch(/06912345678902,P1,Initial Packing/);
    const x = await t.app.inject({ url: '/api/trace/fsma204.xlsx?from=2026-01-01&to=2026-12-31', headers: { cookie: qc } });
    expect(x.statusCode).toBe(200);
  });
});
