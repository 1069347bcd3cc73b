import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { fixedClock, setClock } from '../../platform/clock.js';
import { inTransaction, queryRows, type Db } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { createProduct } from '../catalog/catalog.service.js';
import { createLot, getLot } from '../inventory/index.js';
import { createLocation, createWarehouse } from '../inventory/inventory.service.js';
import { createInspection, createStandard, decideLot, updateStandard } from './index.js';

let t: TestApp;
let db: Db;
const A = SYSTEM_ACTOR;
const ids = {} as Record<string, string>;
const clock = fixedClock('2026-07-10T02:00:00Z'); // business date 2026-07-10 in Asia/Shanghai
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
let n = 0;
const lot = (productId: string) =>
  run(async (tx) => (await createLot(tx, A, { productId, lotCode: `L${++n}`, productionDate: '2026-07-01', sourceType: 'receipt', qualityStatus: 'quarantined' })).id);
const status = async (lotId: string) => (await getLot(db, lotId))?.qualityStatus;
const release = (lotId: string) => code(run((tx) => decideLot(tx, A, lotId, { event: 'release', reason: '放行' })));
const inspect = (standardId: string, lotId: string, value: number, opts: { on?: string; sign?: boolean; sampleSize?: number } = {}) =>
  run((tx) =>
    createInspection(tx, A, {
      stage: 'finished',
      standardId,
      lotId,
      inspectedOn: opts.on ?? '2026-07-10',
      values: [{ code: 'res', value }],
      sign: opts.sign ?? true,
      ...(opts.sampleSize ? { sampleSize: opts.sampleSize } : {}),
    }),
  );

beforeAll(async () => {
  t = await testApp();
  db = t.database.db;
  setClock(clock);
  const param = { code: 'res', name: '农残', unit: 'mg/kg', type: 'number' as const, min: null, max: '0.5', allowed: [] };
  await run(async (tx) => {
    for (const c of ['EVERY', 'PERIOD', 'TWO', 'FREE'])
      ids[c] = (await createProduct(tx, A, { code: c, name: c, kind: 'produce', category: '蔬菜', baseUnit: 'kg', shelfLifeDays: 30 })).id;
    const std = (code: string, productId: string, samplingPlan: { mode: 'every_lot' | 'periodic'; sampleSize: number; periodDays: number | null }) =>
      createStandard(tx, A, { code, name: code, productId, stages: ['finished'], parameters: [param], samplingPlan });
    ids.every = (await std('S-EVERY', ids.EVERY!, { mode: 'every_lot', sampleSize: 3, periodDays: null })).id;
    ids.period = (await std('S-PERIOD', ids.PERIOD!, { mode: 'periodic', sampleSize: 2, periodDays: 7 })).id;
    ids.twoA = (await std('S-TWO-A', ids.TWO!, { mode: 'every_lot', sampleSize: 1, periodDays: null })).id;
    ids.twoB = (await std('S-TWO-B', ids.TWO!, { mode: 'every_lot', sampleSize: 1, periodDays: null })).id;
    // a pre-shipment-only standard does not gate the release
    await createStandard(tx, A, {
      code: 'S-SHIP',
      name: 'ship',
      productId: ids.FREE!,
      stages: ['pre_shipment'],
      parameters: [param],
      samplingPlan: { mode: 'every_lot', sampleSize: 1, periodDays: null },
    });
  });
});
afterAll(async () => t?.close());

describe('sample size', () => {
  it('refuses an inspection with fewer samples than the sampling plan (422 QUALITY_SAMPLE_TOO_SMALL on sampleSize)', async () => {
    const l = await lot(ids.EVERY!);
    const { cookie } = await t.loginAs(['qc']);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/quality/inspections',
      headers: { cookie, 'accept-language': 'en-US' },
      payload: { stage: 'finished', standardId: ids.every, lotId: l, inspectedOn: '2026-07-10', sampleSize: 2, values: [{ code: 'res', value: 0.1 }] },
    });
    expect(res.statusCode).toBe(422);
    const body = json<{ code: string; detail: string; errors: { field: string }[] }>(res);
    expect(body.code).toBe('QUALITY_SAMPLE_TOO_SMALL');
    expect(body.errors[0]?.field).toBe('sampleSize');
    expect(body.detail).toContain('at least 3');
  });

  it('accepts an inspection with exactly the plan size, and takes the plan size when none is given', async () => {
    const l = await lot(ids.EVERY!);
    expect((await inspect(ids.every!, l, 0.1, { sampleSize: 3, sign: false })).sampleSize).toBe(3);
    expect((await inspect(ids.every!, l, 0.1, { sign: false })).sampleSize).toBe(3);
  });

  it('refuses to sign a draft whose sample size the plan has since outgrown', async () => {
    const l = await lot(ids.TWO!);
    const draft = await inspect(ids.twoA!, l, 0.1, { sign: false });
    await run((tx) => updateStandard(tx, A, ids.twoA!, { samplingPlan: { mode: 'every_lot', sampleSize: 5, periodDays: null } }));
    const { cookie } = await t.loginAs(['qc']);
    const res = await t.app.inject({ method: 'POST', url: `/api/quality/inspections/${draft.id}/sign`, headers: { cookie } });
    expect([res.statusCode, json(res).code]).toEqual([422, 'QUALITY_SAMPLE_TOO_SMALL']);
    await run((tx) => updateStandard(tx, A, ids.twoA!, { samplingPlan: { mode: 'every_lot', sampleSize: 1, periodDays: null } }));
  });
});

describe('every_lot sampling plan', () => {
  it('refuses to release a lot without a signed passing inspection of that lot (QUALITY_LOT_INSPECTION_REQUIRED)', async () => {
    const l = await lot(ids.EVERY!);
    expect(await release(l)).toBe('QUALITY_LOT_INSPECTION_REQUIRED');
    await inspect(ids.every!, l, 0.1, { sign: false }); // a draft does not count
    expect(await release(l)).toBe('QUALITY_LOT_INSPECTION_REQUIRED');
    expect(await status(l)).toBe('quarantined');
  });

  it("refuses it through inventory's lot status endpoint too (409, no bypass)", async () => {
    const l = await lot(ids.EVERY!);
    const { cookie } = await t.loginAs(['qc']);
    const res = await t.app.inject({ method: 'POST', url: `/api/inventory/lots/${l}/status`, headers: { cookie }, payload: { event: 'release', reason: '放行' } });
    expect([res.statusCode, json(res).code]).toEqual([409, 'QUALITY_LOT_INSPECTION_REQUIRED']);
  });

  it('refuses to create a lot already released (API or service), writing nothing, while its plan needs a lot inspection', async () => {
    const wh = await run((tx) => createWarehouse(tx, A, { code: 'WH-DIRECT', name: '直收仓', tempZones: ['chilled'] }));
    const loc = await run((tx) => createLocation(tx, A, { warehouseId: wh.id, code: 'D-01', zone: 'chilled' }));
    const { cookie } = await t.loginAs(['warehouse']);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/inventory/receipts',
      headers: { cookie },
      payload: { productId: ids.EVERY, locationId: loc.id, quantity: '5', unit: 'kg', lot: { lotCode: 'DIRECT-1', productionDate: '2026-07-01', qualityStatus: 'released' } },
    });
    expect([res.statusCode, json(res).code]).toEqual([409, 'QUALITY_LOT_INSPECTION_REQUIRED']);
    const byService = code(
      run((tx) => createLot(tx, A, { productId: ids.EVERY!, lotCode: 'DIRECT-2', productionDate: '2026-07-01', sourceType: 'receipt', qualityStatus: 'released' })),
    );
    expect(await byService).toBe('QUALITY_LOT_INSPECTION_REQUIRED');
    const rows = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from lots where lot_code like 'DIRECT-%'`);
    expect(rows[0]!.n).toBe(0);
    // a product without gating standards may still be received released
    const free = await run((tx) => createLot(tx, A, { productId: ids.FREE!, lotCode: 'DIRECT-3', productionDate: '2026-07-01', sourceType: 'receipt', qualityStatus: 'released' }));
    expect(free.qualityStatus).toBe('released');
  });

  it('refuses to release a lot through hold (quarantined → on_hold → released) without an inspection', async () => {
    const l = await lot(ids.EVERY!);
    await run((tx) => decideLot(tx, A, l, { event: 'hold', reason: '待检' }));
    expect(await release(l)).toBe('QUALITY_LOT_INSPECTION_REQUIRED');
  });

  it('releases the lot when its passing inspection is signed', async () => {
    const l = await lot(ids.EVERY!);
    const i = await inspect(ids.every!, l, 0.1);
    expect([i.status, i.lotDecision, await status(l)]).toEqual(['signed', 'release', 'released']);
  });

  it('keeps a lot whose latest inspection failed on hold until a new inspection passes', async () => {
    const l = await lot(ids.EVERY!);
    await inspect(ids.every!, l, 0.1);
    await inspect(ids.every!, l, 0.9);
    expect(await status(l)).toBe('on_hold');
    expect(await release(l)).toBe('QUALITY_LOT_INSPECTION_REQUIRED');
    await inspect(ids.every!, l, 0.2);
    expect(await release(l)).toBe('NO_ERROR');
    expect(await status(l)).toBe('released');
  });

  it('signs a passing inspection but keeps the lot quarantined while another every_lot standard of the product waits', async () => {
    const l = await lot(ids.TWO!);
    const a = await inspect(ids.twoA!, l, 0.1);
    expect([a.status, a.lotDecision, await status(l)]).toEqual(['signed', null, 'quarantined']);
    await inspect(ids.twoB!, l, 0.1);
    expect(await status(l)).toBe('released');
  });

  it('does not gate products whose only standard is for pre-shipment inspections', async () => {
    expect(await release(await lot(ids.FREE!))).toBe('NO_ERROR');
  });
});

describe('periodic sampling plan', () => {
  it('refuses a release while the product has no passing inspection within the period (QUALITY_PERIODIC_INSPECTION_DUE)', async () => {
    expect(await release(await lot(ids.PERIOD!))).toBe('QUALITY_PERIODIC_INSPECTION_DUE');
  });

  it('releases other lots of the product without their own inspection within periodDays of a passing one', async () => {
    ids.p1 = await lot(ids.PERIOD!);
    await inspect(ids.period!, ids.p1, 0.1, { on: '2026-07-10' });
    expect(await status(ids.p1)).toBe('released');
    clock.set('2026-07-16T15:00:00Z'); // 2026-07-16 23:00 in Shanghai: the 7th day, still covered
    expect(await release(await lot(ids.PERIOD!))).toBe('NO_ERROR');
  });

  it('refuses once the period has passed (business dates in Asia/Shanghai), with 409 over HTTP', async () => {
    clock.set('2026-07-16T16:00:00Z'); // 2026-07-17 00:00 in Shanghai: 7 days after the inspection
    const l = await lot(ids.PERIOD!);
    const { cookie } = await t.loginAs(['qc']);
    const res = await t.app.inject({ method: 'POST', url: `/api/quality/lots/${l}/decision`, headers: { cookie }, payload: { event: 'release', reason: '放行' } });
    expect([res.statusCode, json(res).code]).toEqual([409, 'QUALITY_PERIODIC_INSPECTION_DUE']);
    clock.set('2026-07-10T02:00:00Z');
  });

  it('refuses a release when the latest periodic inspection of the product failed', async () => {
    const bad = await lot(ids.PERIOD!);
    await inspect(ids.period!, bad, 0.9, { on: '2026-07-10' });
    expect(await status(bad)).toBe('on_hold');
    expect(await release(await lot(ids.PERIOD!))).toBe('QUALITY_PERIODIC_INSPECTION_DUE');
  });

  it('refuses to release a lot whose own latest inspection failed even within the period (QUALITY_LOT_INSPECTION_REQUIRED)', async () => {
    const l = await lot(ids.PERIOD!);
    await inspect(ids.period!, l, 0.9, { on: '2026-07-09' });
    await inspect(ids.period!, ids.p1!, 0.1, { on: '2026-07-10' }); // the product's latest passes again
    expect(await release(await lot(ids.PERIOD!))).toBe('NO_ERROR');
    expect(await release(l)).toBe('QUALITY_LOT_INSPECTION_REQUIRED');
  });
});

describe('editing a standard', () => {
  it('changes limits and the sampling plan, stamps updatedAt and audits before/after', async () => {
    const { cookie } = await t.loginAs(['qc']);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/quality/standards/${ids.period}`,
      headers: { cookie },
      payload: { name: '周检', samplingPlan: { mode: 'periodic', sampleSize: 4, periodDays: 14 } },
    });
    expect(res.statusCode).toBe(200);
    const s = json<{ name: string; samplingPlan: unknown; updatedAt: string | null; parameters: unknown[] }>(res);
    expect([s.name, s.samplingPlan, s.parameters.length]).toEqual(['周检', { mode: 'periodic', sampleSize: 4, periodDays: 14 }, 1]);
    expect(s.updatedAt).not.toBeNull();
    const audit = json<{ items: { action: string }[] }>(
      await t.app.inject({ url: `/api/admin/audit?entityId=${ids.period}`, headers: { cookie: (await t.loginAs(['admin'])).cookie } }),
    );
    expect(audit.items.map((a) => a.action)).toContain('quality.standard.update');
  });

  it('refuses a periodic plan without periodDays and a minimum above the maximum, per field (400)', async () => {
    const { cookie } = await t.loginAs(['qc']);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/quality/standards/${ids.period}`,
      headers: { cookie },
      payload: {
        samplingPlan: { mode: 'periodic', sampleSize: 1 },
        parameters: [{ code: 'res', name: '农残', type: 'number', min: '2', max: '1' }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(
      json<{ errors: { field: string }[] }>(res)
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(['parameters.0.min', 'samplingPlan.periodDays']);
  });

  it('refuses to move a standard that has inspections to another product (409 QUALITY_STANDARD_IN_USE), and needs quality:manage', async () => {
    const { cookie } = await t.loginAs(['qc']);
    const res = await t.app.inject({ method: 'PATCH', url: `/api/quality/standards/${ids.every}`, headers: { cookie }, payload: { productId: ids.FREE } });
    expect([res.statusCode, json(res).code]).toEqual([409, 'QUALITY_STANDARD_IN_USE']);
    const { cookie: planner } = await t.loginAs(['planner']);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/quality/standards/${ids.every}`, headers: { cookie: planner }, payload: { name: 'x' } })).statusCode).toBe(403);
  });

  it('stops gating releases once a standard is deactivated', async () => {
    await run((tx) => updateStandard(tx, A, ids.every!, { active: false }));
    expect(await release(await lot(ids.EVERY!))).toBe('NO_ERROR');
    await run((tx) => updateStandard(tx, A, ids.every!, { active: true }));
  });
});
