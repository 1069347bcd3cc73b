import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { businessDate, fixedClock, setClock } from '../../platform/clock.js';
import { inTransaction, type Db } from '../../platform/db/client.js';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { createProduct } from '../catalog/catalog.service.js';
import { issueStock } from '../inventory/index.js';
import { createLocation, createWarehouse, receive } from '../inventory/inventory.service.js';
import { createOrder } from '../orders/orders.service.js';
import { fixture, makeCustomer, type CustomerFx } from '../orders/orders.test-support.js';
import { createBase, createField, createHarvest, createInspection, createStandard } from '../quality/index.js';
import { createProcessingRun, epcisDocument, fsmaRows } from './index.js';

const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
const FIX = path.resolve(import.meta.dirname, '../../../test/fixtures/epcis');

/** The validator the EPCIS tests use: ajv (draft-07) + formats over GS1's official EPCIS 2.0 JSON Schema. */
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(FIX, 'EPCIS-JSON-Schema.json'), 'utf8')) as object);

type Qty = { epcClass: string; quantity?: number; uom?: string };
type Ev = {
  type: string;
  eventTime: string;
  action?: string;
  bizStep: string;
  disposition?: string;
  quantityList?: Qty[];
  inputQuantityList?: Qty[];
  outputQuantityList?: Qty[];
  readPoint?: { id: string };
  bizLocation?: { id: string };
  sourceList?: { type: string; source: string }[];
  destinationList?: { type: string; destination: string }[];
  bizTransactionList?: { type: string; bizTransaction: string }[];
  ilmd?: Record<string, unknown>;
  transformationID?: string;
  'agri:result'?: string;
};

const WH_GLN = '6912345000017'; // starts with the company prefix 6912345 → SGLN
const BASE_GLN = '6141410000014'; // another company's prefix → GS1 Digital Link /414/
const CUSTOMER_GLN = '4000000000013';
const PREFIX = '6912345';

let t: TestApp;
let db: Db;
const A = SYSTEM_ACTOR;
const run = <T>(fn: (db: Db) => Promise<T>) => inTransaction(db, fn);
const ids = {} as Record<string, string>;
let customer: CustomerFx;
let orderNumber: string;
let admin: string;

async function putSetting(key: string, value: unknown) {
  return t.app.inject({ method: 'PUT', url: `/api/admin/settings/${key}`, headers: { cookie: admin }, payload: { value } });
}

const events = async (): Promise<Ev[]> =>
  ((await epcisDocument(db, { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') })).epcisBody as { eventList: Ev[] }).eventList;
const ofLot = (evs: Ev[], lotCode: string) => evs.filter((e) => [...(e.quantityList ?? []), ...(e.outputQuantityList ?? [])].some((q) => q.epcClass.endsWith(`/${lotCode}`)));

beforeAll(async () => {
  t = await testApp();
  db = t.database.db;
  setClock(fixedClock('2026-06-15T02:00:00Z')); // 10:00 in Shanghai
  admin = (await t.loginAs(['admin'])).cookie;
  expect((await putSetting('trace.gs1.companyPrefix', PREFIX)).statusCode).toBe(200);
  customer = await makeCustomer(fixture(t, admin));
  const glns = `WH1=${WH_GLN}\nB1=${BASE_GLN}\n${customer.code}=${CUSTOMER_GLN}`;
  expect((await putSetting('trace.gs1.locationGlns', glns)).statusCode).toBe(200);
  await run(async (tx) => {
    const base = { kind: 'produce' as const, category: '蔬菜', baseUnit: 'kg', shelfLifeDays: 10, storageConditions: '7–13℃ 冷藏', originRegion: '370700' };
    ids.tom = (await createProduct(tx, A, { ...base, code: 'FTOM', name: '番茄' })).id;
    ids.pack = (
      await createProduct(tx, A, {
        ...base,
        code: 'FTOMPK',
        name: '番茄礼盒',
        spec: '5kg/箱',
        units: [{ unit: '箱', factorToBase: '5', sellable: true }],
        gtin: '06912345678902',
        labelStandard: 'GB7718-2025',
        prepackaged: true,
      })
    ).id;
    const wh = await createWarehouse(tx, A, { code: 'WH1', name: '一号冷库', tempZones: ['cool'], address: '山东省寿光市冷链园 8 号' });
    ids.loc = (await createLocation(tx, A, { warehouseId: wh.id, code: 'C-01', zone: 'cool' })).id;
    const b = await createBase(tx, A, { code: 'B1', name: '寿光基地', regionCode: '370783' });
    ids.f1 = (await createField(tx, A, { baseId: b.id, code: 'F1', name: '一号棚', crops: ['番茄'] })).id;
    const num = (code: string, max: string) => ({ code, name: code, unit: 'mg/kg', type: 'number' as const, min: null, max, allowed: [] });
    const periodic = { mode: 'periodic' as const, sampleSize: 1, periodDays: 365 };
    const soil = await createStandard(tx, A, { code: 'FSOIL', name: '土壤', checkType: 'soil', stages: ['source'], parameters: [num('cd', '0.3')], samplingPlan: periodic });
    const water = await createStandard(tx, A, { code: 'FWATER', name: '灌溉水', checkType: 'water', stages: ['source'], parameters: [num('pb', '0.1')], samplingPlan: periodic });
    ids.res = (
      await createStandard(tx, A, {
        code: 'FRES',
        name: '农残',
        stages: ['finished', 'pre_shipment'],
        parameters: [num('residue', '0.5')],
        samplingPlan: { mode: 'every_lot', sampleSize: 1, periodDays: null },
      })
    ).id;
    for (const [std, code, v] of [
      [soil.id, 'cd', 0.1],
      [water.id, 'pb', 0.01],
    ] as const)
      await createInspection(tx, A, {
        stage: 'source',
        standardId: std,
        fieldId: ids.f1,
        inspectedOn: '2026-03-01',
        validUntil: '2027-03-01',
        values: [{ code, value: v }],
        sign: true,
      });
    // harvested two days ago, typed in today
    ids.h1 = (
      await createHarvest(tx, A, { fieldId: ids.f1, productId: ids.tom, quantity: '100', unit: 'kg', harvestedOn: '2026-06-13', locationId: ids.loc, lotCode: 'FH1' })
    ).lotId;
    ids.h2 = (
      await createHarvest(tx, A, { fieldId: ids.f1, productId: ids.tom, quantity: '40', unit: 'kg', harvestedOn: '2026-06-13', locationId: ids.loc, lotCode: 'FH2' })
    ).lotId;
    // inspected yesterday, signed today
    await createInspection(tx, A, { stage: 'finished', standardId: ids.res, lotId: ids.h1, inspectedOn: '2026-06-14', values: [{ code: 'residue', value: 0.1 }], sign: true });
    // inspected and failed today: the lot is held
    await createInspection(tx, A, { stage: 'finished', standardId: ids.res, lotId: ids.h2, inspectedOn: '2026-06-15', values: [{ code: 'residue', value: 0.9 }], sign: true });
    const r = await createProcessingRun(tx, A, {
      kind: 'pack',
      runOn: '2026-06-15',
      inputs: [{ lotId: ids.h1, locationId: ids.loc, quantity: '100', unit: 'kg' }],
      outputs: [
        { productId: ids.pack, lotCode: 'FP1', quantity: '10', unit: '箱', locationId: ids.loc },
        { productId: ids.pack, lotCode: 'FP2', quantity: '45', unit: 'kg', locationId: ids.loc },
      ],
    });
    ids.p1 = r.lines.find((l) => l.lotCode === 'FP1')!.lotId;
    await createInspection(tx, A, { stage: 'finished', standardId: ids.res, lotId: ids.p1, inspectedOn: '2026-06-15', values: [{ code: 'residue', value: 0.1 }], sign: true });
    const order = await createOrder(tx, A, {
      customerId: customer.id,
      addressId: customer.addressId,
      contactId: customer.contactId,
      lines: [{ productId: ids.pack, quantity: '2', unit: '箱', unitPriceFen: 10_000 }],
    });
    orderNumber = order.number;
    await issueStock(tx, A, { lotId: ids.p1, locationId: ids.loc, quantity: '2', unit: '箱', reason: 'ship', refType: 'order', refId: order.id });
  });
  // bought in from a supplier at 01:30 Shanghai time on 16 June (still 15 June in UTC)
  setClock(fixedClock('2026-06-15T17:30:00Z'));
  await run(async (tx) => {
    ids.bought = (
      await receive(tx, A, {
        productId: ids.tom,
        lot: { lotCode: 'FB1', productionDate: '2026-06-14', origin: '530100' },
        locationId: ids.loc,
        quantity: '30',
        unit: 'kg',
        refType: 'purchase',
        refId: 'PO-778',
      })
    ).lot.id;
  });
  setClock(fixedClock('2026-06-16T02:00:00Z'));
}, 180_000);
afterAll(async () => t?.close());

describe('FSMA 204 sortable spreadsheet', () => {
  const sheet = () => fsmaRows(db, new Date('2026-06-01T00:00:00+08:00'), new Date('2026-06-30T23:59:59+08:00'));

  it('gives the Harvesting row the harvest date, quantity and unit', async () => {
    const rows = (await sheet()).filter((r) => r.cte === 'Harvesting' && r.tlcBatch === 'FH1');
    expect(rows).toEqual([expect.objectContaining({ eventDate: '2026-06-13', quantity: '100', uom: 'kg', productDescription: '番茄' })]);
  });

  it('puts a purchased lot as Receiving, never Harvesting', async () => {
    const rows = (await sheet()).filter((r) => r.tlcBatch === 'FB1');
    expect(rows.map((r) => r.cte)).toEqual(['Receiving']);
    expect(rows[0]).toMatchObject({ quantity: '30', uom: 'kg', refDocNumber: 'PO-778' });
    expect(rows[0]!.shipTo).toContain('一号冷库');
  });

  it('dates events by the Shanghai business date, not the UTC date', async () => {
    const row = (await sheet()).find((r) => r.tlcBatch === 'FB1')!;
    expect(row.eventDate).toBe('2026-06-16');
    // and a period of Shanghai days includes it: 16 June only
    const day = await fsmaRows(db, new Date('2026-06-16T00:00:00+08:00'), new Date('2026-06-16T23:59:59.999+08:00'));
    expect(day.map((r) => r.tlcBatch)).toContain('FB1');
  });

  it('names ship-from and ship-to places (names, GLNs, addresses) and the order number on Shipping rows', async () => {
    const ship = (await sheet()).filter((r) => r.cte === 'Shipping');
    expect(ship).toHaveLength(1);
    const r = ship[0]!;
    expect(r).toMatchObject({ tlcBatch: 'FP1', quantity: '10', uom: 'kg', refDocType: 'Purchase Order', refDocNumber: orderNumber });
    expect(r.shipFrom).toContain('一号冷库');
    expect(r.shipFrom).toContain(`GLN ${WH_GLN}`);
    expect(r.shipFrom).toContain('山东省寿光市冷链园 8 号');
    expect(r.shipTo).toContain('订单测试客户');
    expect(r.shipTo).toContain(`GLN ${CUSTOMER_GLN}`);
    expect(r.shipTo).toContain('上海市黄浦区测试路 1 号');
  });

  it('masks the ship-to street address for a reader without pii:read', async () => {
    const r = (await fsmaRows(db, new Date('2026-06-01T00:00:00+08:00'), new Date('2026-06-30T23:59:59+08:00'), { pii: false })).find((x) => x.cte === 'Shipping')!;
    expect(r.shipTo).not.toContain('测试路 1 号');
    expect(r.shipTo).toContain(`GLN ${CUSTOMER_GLN}`);
  });
});

describe('EPCIS 2.0 export', () => {
  it('keeps every official GS1 example valid under the validator our documents pass', async () => {
    const dir = path.join(FIX, 'examples');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonld'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const ok = validate(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
      expect({ f, errors: validate.errors ?? [] }).toEqual({ f, errors: [] });
      expect(ok).toBe(true);
    }
    const doc = await epcisDocument(db, { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
    validate(doc);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('names places by SGLN (company prefix) or GS1 Digital Link /414/ when a GLN is set', async () => {
    const evs = await events();
    const commission = ofLot(evs, 'FH1').find((e) => e.bizStep === 'commissioning')!;
    expect(commission.bizLocation?.id).toBe(`https://id.gs1.org/414/${BASE_GLN}`);
    expect(commission.readPoint?.id).toBe(`https://id.gs1.org/414/${BASE_GLN}/254/F1`);
    const receipt = ofLot(evs, 'FB1').find((e) => e.bizStep === 'receiving')!;
    expect(receipt.bizLocation?.id).toBe('urn:epc:id:sgln:6912345.00001.0');
    expect(receipt.readPoint?.id).toBe('urn:epc:id:sgln:6912345.00001.C-01');
  });

  it('refuses an invalid GLN or company prefix with a 400 field error and keeps the setting', async () => {
    admin = (await t.loginAs(['admin'])).cookie; // the clock moved a day since the first login
    const bad = await putSetting('trace.gs1.locationGlns', 'WH1=6912345000018'); // wrong check digit
    expect(bad.statusCode).toBe(400);
    expect(json<{ code: string; errors: { field: string; code: string; message: string }[] }>(bad)).toMatchObject({
      code: 'SETTING_INVALID',
      errors: [{ field: 'value', code: 'FIELD_INVALID_GLN' }],
    });
    expect((await putSetting('trace.gs1.locationGlns', 'WH1=691234500001')).statusCode).toBe(400); // 12 digits
    expect((await putSetting('trace.gs1.companyPrefix', '69A12')).statusCode).toBe(400);
    const list = json<{ items: { key: string; value: unknown }[] }>(await t.app.inject({ url: '/api/admin/settings', headers: { cookie: admin } }));
    expect(list.items.find((s) => s.key === 'trace.gs1.locationGlns')?.value).toContain(`WH1=${WH_GLN}`);
    expect(list.items.find((s) => s.key === 'trace.gs1.companyPrefix')?.value).toBe(PREFIX);
  });

  it('gives every class-level event quantities with a UN/CEFACT uom', async () => {
    const evs = await events();
    expect(evs.length).toBeGreaterThan(8);
    for (const e of evs) {
      const qs = [...(e.quantityList ?? []), ...(e.inputQuantityList ?? []), ...(e.outputQuantityList ?? [])];
      expect(qs.length, `${e.type} ${e.bizStep}`).toBeGreaterThan(0);
      for (const q of qs) {
        expect(typeof q.quantity, `${e.bizStep} ${q.epcClass}`).toBe('number');
        expect(q.uom, `${e.bizStep} ${q.epcClass}`).toMatch(/^[A-Z0-9]{2,3}$/);
      }
    }
    const commission = ofLot(evs, 'FH1').find((e) => e.bizStep === 'commissioning')!;
    expect(commission.quantityList).toEqual([expect.objectContaining({ quantity: 100, uom: 'KGM' })]);
  });

  it('times events by their business time: the harvest date, the inspection time', async () => {
    const evs = await events();
    const commission = ofLot(evs, 'FH1').find((e) => e.bizStep === 'commissioning')!;
    expect(businessDate(new Date(commission.eventTime))).toBe('2026-06-13');
    const inspected = ofLot(evs, 'FH1').find((e) => e.bizStep === 'inspecting' && e.disposition === 'conformant')!;
    expect(businessDate(new Date(inspected.eventTime))).toBe('2026-06-14');
    const failed = ofLot(evs, 'FH2').find((e) => e.bizStep === 'inspecting' && e.disposition === 'non_conformant')!;
    expect(failed.eventTime).toBe('2026-06-15T02:00:00.000Z'); // inspected and signed today: the signing time
  });

  it('records the hold after the inspection that caused it', async () => {
    const evs = ofLot(await events(), 'FH2');
    const failed = evs.findIndex((e) => e.bizStep === 'inspecting' && e.disposition === 'non_conformant');
    const hold = evs.findIndex((e) => e.bizStep === 'holding');
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(hold).toBeGreaterThan(failed);
    expect(evs.filter((e) => e.bizStep === 'holding')).toHaveLength(1);
    expect(new Date(evs[hold]!.eventTime).getTime()).toBeGreaterThanOrEqual(new Date(evs[failed]!.eventTime).getTime());
  });

  it('carries cbvmda master data (countryOfOrigin, lotNumber, itemExpirationDate) for commissioned and processed lots', async () => {
    const evs = await events();
    const h1 = ofLot(evs, 'FH1').find((e) => e.bizStep === 'commissioning')!;
    expect(h1.ilmd).toMatchObject({ 'cbvmda:countryOfOrigin': 'CN', 'cbvmda:lotNumber': 'FH1', 'cbvmda:itemExpirationDate': '2026-06-23' });
    const bought = ofLot(evs, 'FB1').find((e) => e.bizStep === 'commissioning')!;
    expect(bought.ilmd).toMatchObject({ 'cbvmda:countryOfOrigin': 'CN', 'cbvmda:lotNumber': 'FB1', 'cbvmda:itemExpirationDate': '2026-06-24' });
    const tf = evs.filter((e) => e.type === 'TransformationEvent');
    expect(tf.map((e) => e.ilmd?.['cbvmda:lotNumber']).sort()).toEqual(['FP1', 'FP2']);
    for (const e of tf) expect(e.ilmd).toMatchObject({ 'cbvmda:countryOfOrigin': 'CN', 'cbvmda:itemExpirationDate': '2026-06-25' });
    expect(new Set(tf.map((e) => e.transformationID)).size).toBe(1);
  });

  it('gives shipping events a sourceList and a destinationList', async () => {
    const ship = (await events()).filter((e) => e.bizStep === 'shipping');
    expect(ship).toHaveLength(1);
    expect(ship[0]!.sourceList).toEqual([{ type: 'location', source: 'urn:epc:id:sgln:6912345.00001.0' }]);
    expect(ship[0]!.destinationList).toEqual([
      { type: 'owning_party', destination: `https://id.gs1.org/414/${CUSTOMER_GLN}` },
      { type: 'location', destination: `https://id.gs1.org/414/${CUSTOMER_GLN}` },
    ]);
    expect(ship[0]!.bizTransactionList?.[0]?.type).toBe('po');
  });
});
