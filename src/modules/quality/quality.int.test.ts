import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { fixedClock, setClock } from '../../platform/clock.js';
import { inTransaction, queryRows, type Db } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { createProduct } from '../catalog/catalog.service.js';
import { getLot, reserve } from '../inventory/index.js';
import { createLocation, createWarehouse } from '../inventory/inventory.service.js';
import '../trace/index.js';
import { createBase, createField, createHarvest, createInspection, createStandard, decideLot, recordInputApplication } from './index.js';

let t: TestApp;
let db: Db;
const A = SYSTEM_ACTOR;
const ids = {} as Record<string, string>;
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

beforeAll(async () => {
  t = await testApp();
  db = t.database.db;
  setClock(fixedClock('2026-07-01T02:00:00Z'));
  await run(async (tx) => {
    ids.cuke = (await createProduct(tx, A, { code: 'CUKE', name: '黄瓜', kind: 'produce', category: '蔬菜', baseUnit: 'kg', shelfLifeDays: 7 })).id;
    ids.pest = (
      await createProduct(tx, A, { code: 'PEST', name: '毒死蜱', kind: 'material', materialType: 'pesticide', category: '农药', baseUnit: 'kg', phiDays: 10, allowedUse: true })
    ).id;
    ids.banned = (
      await createProduct(tx, A, { code: 'BAN', name: '禁用药', kind: 'material', materialType: 'pesticide', category: '农药', baseUnit: 'kg', phiDays: 10, allowedUse: false })
    ).id;
    const wh = await createWarehouse(tx, A, { code: 'W', name: '仓', tempZones: ['ambient'] });
    ids.loc = (await createLocation(tx, A, { warehouseId: wh.id, code: 'A1', zone: 'ambient' })).id;
    const base = await createBase(tx, A, { code: 'B', name: '基地' });
    ids.ok = (await createField(tx, A, { baseId: base.id, code: 'OK', name: '好地' })).id;
    ids.bad = (await createField(tx, A, { baseId: base.id, code: 'BAD', name: '坏地' })).id;
    ids.old = (await createField(tx, A, { baseId: base.id, code: 'OLD', name: '旧地' })).id;
    const p = { code: 'pb', name: '铅', unit: 'mg/kg', type: 'number' as const, min: null, max: '0.2', allowed: [] };
    ids.soil = (
      await createStandard(tx, A, {
        code: 'S',
        name: '土壤',
        checkType: 'soil',
        stages: ['source'],
        parameters: [p],
        samplingPlan: { mode: 'periodic', sampleSize: 1, periodDays: 365 },
      })
    ).id;
    ids.std = (
      await createStandard(tx, A, {
        code: 'C',
        name: '黄瓜标准',
        productId: ids.cuke,
        stages: ['finished'],
        parameters: [{ ...p, code: 'res', name: '农残' }],
        samplingPlan: { mode: 'every_lot', sampleSize: 1, periodDays: null },
      })
    ).id;
    await createInspection(tx, A, {
      stage: 'source',
      standardId: ids.soil,
      fieldId: ids.ok,
      inspectedOn: '2026-01-01',
      validUntil: '2026-12-31',
      values: [{ code: 'pb', value: 0.05 }],
      sign: true,
    });
    await createInspection(tx, A, {
      stage: 'source',
      standardId: ids.soil,
      fieldId: ids.bad,
      inspectedOn: '2026-01-01',
      validUntil: '2026-12-31',
      values: [{ code: 'pb', value: 0.5 }],
      sign: true,
    });
    await createInspection(tx, A, {
      stage: 'source',
      standardId: ids.soil,
      fieldId: ids.old,
      inspectedOn: '2025-01-01',
      validUntil: '2025-12-31',
      values: [{ code: 'pb', value: 0.05 }],
      sign: true,
    });
  });
});
afterAll(async () => t?.close());

const harvest = (fieldId: string, on: string) => (tx: Db) =>
  createHarvest(tx, A, { fieldId, productId: ids.cuke, quantity: '50', unit: 'kg', harvestedOn: on, locationId: ids.loc });
const inspect = (lotId: string, res: number) => (tx: Db) =>
  createInspection(tx, A, { stage: 'finished', standardId: ids.std, lotId, inspectedOn: '2026-07-01', values: [{ code: 'res', value: res }], sign: true });

describe('pre-harvest interval', () => {
  it('refuses an input that is not allowed for use', async () => {
    expect(
      await code(run((tx) => recordInputApplication(tx, A, { fieldId: ids.ok, materialId: ids.banned, dose: '1', doseUnit: 'kg', appliedOn: '2026-06-01', operator: 'x' }))),
    ).toBe('INPUT_MATERIAL_NOT_ALLOWED');
  });

  it('refuses a harvest the day before the interval ends and accepts it on the day it ends', async () => {
    await run((tx) => recordInputApplication(tx, A, { fieldId: ids.ok, materialId: ids.pest, dose: '0.5', doseUnit: 'kg', appliedOn: '2026-06-10', operator: '李四' }));
    expect(await code(run(harvest(ids.ok, '2026-06-19')))).toBe('HARVEST_PHI_NOT_ELAPSED');
    const h = await run(harvest(ids.ok, '2026-06-20'));
    expect(h.qualityStatus).toBe('quarantined');
    ids.lot = h.lotId;
  });

  it('answers the gate over HTTP with 409 and its own code', async () => {
    const { cookie } = await t.loginAs(['production']);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/quality/harvests',
      headers: { cookie },
      payload: { fieldId: ids.ok, productId: ids.cuke, quantity: '5', unit: 'kg', harvestedOn: '2026-06-15', locationId: ids.loc },
    });
    expect(res.statusCode).toBe(409);
    expect(json(res).code).toBe('HARVEST_PHI_NOT_ELAPSED');
  });
});

describe('the pre-harvest interval gate cannot be bypassed', () => {
  it('refuses a harvest dated after today in Asia/Shanghai with a field error on harvestedOn in zh-CN and en-US', async () => {
    const { cookie } = await t.loginAs(['production']);
    const payload = { fieldId: ids.ok, productId: ids.cuke, quantity: '5', unit: 'kg', harvestedOn: '2026-07-02', locationId: ids.loc };
    const zh = await t.app.inject({ method: 'POST', url: '/api/quality/harvests', headers: { cookie }, payload });
    expect(zh.statusCode).toBe(400);
    const pz = json<{ code: string; errors: { field: string; code: string; message: string }[] }>(zh);
    expect(pz.code).toBe('HARVEST_DATE_IN_FUTURE');
    expect(pz.errors).toContainEqual(expect.objectContaining({ field: 'harvestedOn', code: 'HARVEST_DATE_IN_FUTURE' }));
    expect(pz.errors[0]!.message).toContain('不能登记未来日期的采收');
    const en = await t.app.inject({ method: 'POST', url: '/api/quality/harvests', headers: { cookie, 'accept-language': 'en-US' }, payload });
    expect(json<{ errors: { message: string }[] }>(en).errors[0]!.message).toContain('cannot be dated in the future');
  });

  it('refuses a harvest dated before the field was sown or planted (its seed application), in zh-CN and en-US, and accepts one after', async () => {
    const base = await run((tx) => createBase(tx, A, { code: 'B-SOW', name: '播种基地' }));
    const fieldId = (await run((tx) => createField(tx, A, { baseId: base.id, code: 'SOWN', name: '新播地' }))).id;
    const seed = (
      await run((tx) => createProduct(tx, A, { code: 'SEED-CUKE', name: '黄瓜种子', kind: 'material', materialType: 'seed', category: '种子', baseUnit: 'kg', allowedUse: true }))
    ).id;
    await run((tx) => recordInputApplication(tx, A, { fieldId, materialId: seed, dose: '1', doseUnit: 'kg', appliedOn: '2026-06-20', operator: '张三' }));
    const { cookie } = await t.loginAs(['production']);
    const payload = { fieldId, productId: ids.cuke, quantity: '5', unit: 'kg', harvestedOn: '2026-06-19', locationId: ids.loc };
    const zh = await t.app.inject({ method: 'POST', url: '/api/quality/harvests', headers: { cookie }, payload });
    expect(zh.statusCode).toBe(400);
    const pz = json<{ code: string; errors: { field: string; code: string; message: string }[] }>(zh);
    expect(pz.code).toBe('HARVEST_BEFORE_PLANTING');
    expect(pz.errors).toContainEqual(expect.objectContaining({ field: 'harvestedOn', code: 'HARVEST_BEFORE_PLANTING' }));
    expect(pz.errors[0]!.message).toContain('2026-06-20');
    expect(pz.errors[0]!.message).toContain('不能登记播种前的采收');
    const en = await t.app.inject({ method: 'POST', url: '/api/quality/harvests', headers: { cookie, 'accept-language': 'en-US' }, payload });
    expect(json<{ errors: { message: string }[] }>(en).errors[0]!.message).toContain('cannot come before planting');
    expect(await code(run(harvest(fieldId, '2026-06-19')))).toBe('HARVEST_BEFORE_PLANTING');
    // nothing half-written: no harvest recorded for the field
    expect((await queryRows<{ n: number }>(db, sql`select count(*)::int as n from quality_harvests where field_id = ${fieldId}`))[0]!.n).toBe(0);
    const h = await run(harvest(fieldId, '2026-06-21'));
    expect(h.harvestedOn).toBe('2026-06-21');
  });

  it('takes today as the Shanghai business date: at 01:00 Shanghai (still yesterday in UTC) a harvest dated today is accepted, tomorrow is not', async () => {
    setClock(fixedClock('2026-06-30T17:00:00Z'));
    try {
      expect(await code(run(harvest(ids.ok, '2026-07-02')))).toBe('HARVEST_DATE_IN_FUTURE');
      const h = await run(harvest(ids.ok, '2026-07-01'));
      expect(h.harvestedOn).toBe('2026-07-01');
    } finally {
      setClock(fixedClock('2026-07-01T02:00:00Z'));
    }
  });

  it('refuses to release a harvest lot when an application recorded after the harvest is back-dated into its pre-harvest interval', async () => {
    const base = await run((tx) => createBase(tx, A, { code: 'B2', name: '二基地' }));
    const fieldId = (await run((tx) => createField(tx, A, { baseId: base.id, code: 'LATE', name: '补录地' }))).id;
    const h = await run(harvest(fieldId, '2026-06-28'));
    // recorded today, dated 2026-06-25: its 10-day interval ends on 2026-07-05, after the harvest
    await run((tx) => recordInputApplication(tx, A, { fieldId, materialId: ids.pest, dose: '0.5', doseUnit: 'kg', appliedOn: '2026-06-25', operator: '补录' }));
    expect(await code(run(inspect(h.lotId, 0.01)))).toBe('RELEASE_PHI_NOT_ELAPSED');
    expect(await code(run((tx) => decideLot(tx, A, h.lotId, { event: 'release', reason: 'ok' })))).toBe('RELEASE_PHI_NOT_ELAPSED');
    const { cookie } = await t.loginAs(['qc']);
    const res = await t.app.inject({ method: 'POST', url: `/api/inventory/lots/${h.lotId}/status`, headers: { cookie }, payload: { event: 'release', reason: '放行' } });
    expect(res.statusCode).toBe(409);
    expect(json(res).code).toBe('RELEASE_PHI_NOT_ELAPSED');
    expect((await getLot(db, h.lotId))?.qualityStatus).toBe('quarantined');
    // never released, so never reservable
    expect(await code(run((tx) => reserve(tx, A, { refType: 'test', refId: h.lotId, productId: ids.cuke, lotId: h.lotId, quantity: '1' })))).toBe('LOT_NOT_RELEASED');
  });
});

describe('source checks gate the release of a harvest', () => {
  it('refuses to release a harvest from a field whose source check failed', async () => {
    const h = await run(harvest(ids.bad, '2026-06-30'));
    expect(await code(run(inspect(h.lotId, 0.01)))).toBe('SOURCE_CHECK_INVALID');
    expect((await getLot(db, h.lotId))?.qualityStatus).toBe('quarantined');
  });

  it('refuses to release a harvest from a field whose source check expired', async () => {
    const h = await run(harvest(ids.old, '2026-06-30'));
    expect(await code(run((tx) => decideLot(tx, A, h.lotId, { event: 'release', reason: 'ok' })))).toBe('SOURCE_CHECK_INVALID');
  });

  it("refuses the release through inventory's QC status endpoint too (no bypass)", async () => {
    const h = await run(harvest(ids.bad, '2026-06-30'));
    const { cookie } = await t.loginAs(['qc']);
    const res = await t.app.inject({ method: 'POST', url: `/api/inventory/lots/${h.lotId}/status`, headers: { cookie }, payload: { event: 'release', reason: '放行' } });
    expect(res.statusCode).toBe(409);
    expect(json(res).code).toBe('SOURCE_CHECK_INVALID');
    expect((await getLot(db, h.lotId))?.qualityStatus).toBe('quarantined');
  });

  it('releases a harvest from a field with valid source checks when its inspection passes', async () => {
    await run(inspect(ids.lot!, 0.01));
    expect((await getLot(db, ids.lot!))?.qualityStatus).toBe('released');
  });
});

describe('QC decisions', () => {
  it('holds a released lot when a later inspection fails, then needs a disposition to reject it', async () => {
    await run(inspect(ids.lot!, 0.9));
    expect((await getLot(db, ids.lot!))?.qualityStatus).toBe('on_hold');
    expect(await code(run((tx) => decideLot(tx, A, ids.lot!, { event: 'reject', reason: 'residue' })))).toBe('DISPOSITION_REQUIRED');
    await run((tx) => decideLot(tx, A, ids.lot!, { event: 'reject', reason: 'residue', disposition: 'destroy' }));
    const lot = await getLot(db, ids.lot!);
    expect([lot?.qualityStatus, lot?.disposition]).toEqual(['rejected', 'destroy']);
    const ev = await queryRows<{ biz_step: string; action: string }>(
      db,
      sql`select biz_step, action from trace_events where ${ids.lot}::uuid = any(lot_ids) order by seq desc limit 1`,
    );
    expect(ev[0]).toEqual({ biz_step: 'destroying', action: 'DELETE' });
  });

  it('keeps a non-conformance visible until it is closed', async () => {
    const { cookie } = await t.loginAs(['qc']);
    // one from the failed soil check of field BAD, one from the failed residue inspection of the lot
    expect(json<{ total: number }>(await t.app.inject({ url: '/api/quality/non-conformances?status=open', headers: { cookie } })).total).toBe(2);
    const open = json<{ items: { id: string }[]; total: number }>(await t.app.inject({ url: `/api/quality/non-conformances?status=open&lotId=${ids.lot}`, headers: { cookie } }));
    expect(open.total).toBe(1);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/quality/non-conformances/${open.items[0]!.id}`,
      headers: { cookie },
      payload: { correctiveAction: '停用该药剂', owner: '周质检', dueOn: '2026-07-10', close: true },
    });
    expect(res.statusCode).toBe(200);
    expect(json<{ total: number }>(await t.app.inject({ url: '/api/quality/non-conformances?status=open', headers: { cookie } })).total).toBe(1);
    const x = await t.app.inject({ url: '/api/quality/non-conformances/export.xlsx', headers: { cookie } });
    expect(x.statusCode).toBe(200);
  });

  it('refuses a standard whose minimum exceeds its maximum', async () => {
    const { cookie } = await t.loginAs(['qc']);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/quality/standards',
      headers: { cookie },
      payload: {
        code: 'X',
        name: 'x',
        stages: ['finished'],
        parameters: [{ code: 'a', name: 'a', type: 'number', min: '2', max: '1' }],
        samplingPlan: { mode: 'every_lot', sampleSize: 1 },
      },
    });
    expect(res.statusCode).toBe(400);
  });
});
