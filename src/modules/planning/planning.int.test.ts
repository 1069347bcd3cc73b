import ExcelJS from 'exceljs';
import crypto from 'node:crypto';
import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate, clock } from '../../platform/clock.js';
import { inTransaction } from '../../platform/db/client.js';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { createLot, lotBalances, receiveStock } from '../inventory/index.js';
import { makeProduct, makeWarehouse, TEST_ACTOR } from '../inventory/inventory.test-support.js';
import { createBase, createField } from '../quality/index.js';
import { addDays, backSchedule, weekStartOf } from './planning.service.js';
import { forecasts, plans } from './planning.tables.js';

let t: TestApp;
let planner: string;
let boss: string;
let worker: { cookie: string; userId: string };
let productId: string;
let fieldId: string;
let locId: string;

type Problem = { code: string; detail?: string; errors?: { field: string; code: string }[] };
type Stage = { id: string; kind: string; startDate: string; endDate: string; responsibleId: string | null };
type Task = { id: string; kind: string; status: string; assigneeId: string | null; lotId: string | null; late: boolean; photoIds: string[] };
type Plan = {
  id: string;
  code: string;
  status: string;
  atRisk: boolean;
  riskReason: string | null;
  overrideReason: string | null;
  stages: Stage[];
  tasks: Task[];
  capacityIssues: { name: string; date: string; load: string; capacity: string }[];
};

const day = (n = 0): string => {
  const d = new Date(`${businessDate(clock.now())}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const md = (n: number): string => day(n).slice(5);
const req = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, cookie: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function planCount(): Promise<number> {
  const [r] = await t.database.db.select({ n: count() }).from(plans);
  return r!.n;
}
function multipart(filename: string, contentType: string, data: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----agri-plan-boundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`);
  return { payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
const upload = (url: string, cookie: string, filename: string, contentType: string, data: Buffer) => {
  const m = multipart(filename, contentType, data);
  return t.app.inject({ method: 'POST', url, payload: m.payload, headers: { ...m.headers, cookie } });
};
async function sheet(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('预测');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

beforeAll(async () => {
  t = await testApp();
  planner = (await t.loginAs(['planner'])).cookie;
  boss = (await t.loginAs(['planner', 'manager'])).cookie;
  worker = await t.loginAs(['production']);
  const db = t.database.db;
  productId = await makeProduct(db, { shelfLifeDays: 10 });
  const wh = await makeWarehouse(db, ['chilled'], 1);
  locId = wh.locations[0]!.id;
  fieldId = await inTransaction(db, async (tx) => {
    const base = await createBase(tx, TEST_ACTOR, { code: `PB${process.pid}`, name: '计划基地' });
    return (await createField(tx, TEST_ACTOR, { baseId: base.id, code: `PF${process.pid}`, name: '一号地' })).id;
  });
  const cal = await req('POST', '/api/planning/calendars', planner, {
    productId,
    season: '冬春',
    sowFrom: md(0),
    sowTo: md(40),
    harvestFrom: md(20),
    harvestTo: md(90),
    growthDays: 30,
    expectedYieldPerMu: '2500',
  });
  expect(cal.statusCode, cal.body).toBe(201);
});
afterAll(async () => {
  await t?.close();
});

describe('crop calendars and back-scheduling', () => {
  it('refuses a calendar date that is not a month-day', async () => {
    const bad = await req('POST', '/api/planning/calendars', planner, {
      productId,
      season: 'x',
      sowFrom: '02-30',
      sowTo: '03-01',
      harvestFrom: '13-01',
      harvestTo: '06-01',
      growthDays: 10,
      expectedYieldPerMu: '1',
    });
    expect(bad.statusCode).toBe(400);
    expect(json<Problem>(bad).errors!.map((e) => e.field)).toEqual(['sowFrom', 'harvestFrom']);
  });

  it('back-schedules packaging, processing, harvest and planting from the delivery date', () => {
    const s = backSchedule('2027-03-10', { growthDays: 30, plantingDays: 2, harvestDays: 3, processingDays: 1, packagingDays: 1 });
    expect(s.map((x) => [x.kind, x.startDate, x.endDate])).toEqual([
      ['planting', '2027-02-03', '2027-02-04'],
      ['cultivation', '2027-02-05', '2027-03-04'],
      ['harvest', '2027-03-05', '2027-03-07'],
      ['processing', '2027-03-08', '2027-03-08'],
      ['packaging', '2027-03-09', '2027-03-09'],
    ]);
  });

  it('makes a back-scheduled draft plan with a responsible person per stage', async () => {
    const res = await req('POST', '/api/planning/plans', planner, {
      productId,
      quantity: '300',
      deliveryDate: day(60),
      responsibleId: worker.userId,
      resourceType: 'field',
      resourceId: fieldId,
    });
    expect(res.statusCode, res.body).toBe(201);
    const p = json<Plan>(res);
    expect(p.status).toBe('draft');
    expect(p.stages.map((s) => s.kind)).toEqual(['planting', 'cultivation', 'harvest', 'processing', 'packaging']);
    expect(p.stages.at(-1)!.endDate).toBe(day(59));
    expect(p.stages[0]!.startDate).toBe(day(60 - 1 - 1 - 1 - 3 + 1 - 30));
    expect(p.stages.every((s) => s.responsibleId === worker.userId)).toBe(true);
  });

  it('says when a plan cannot be ready by the delivery date, saving nothing', async () => {
    const before = await planCount();
    const res = await req('POST', '/api/planning/plans', planner, { productId, quantity: '10', deliveryDate: day(20) });
    expect(res.statusCode).toBe(422);
    const p = json<Problem>(res);
    expect(p.code).toBe('PLAN_CANNOT_BE_READY');
    expect(p.errors![0]!.field).toBe('deliveryDate');
    expect(p.detail).toContain(day(36 - 1)); // earliest: today + 30 growth + 3 harvest + 1 + 1 + delivery day
    expect(await planCount()).toBe(before);
  });

  it('refuses a harvest outside the window, a stage after delivery and a stage ending before it starts', async () => {
    const before = await planCount();
    const outside = await req('POST', '/api/planning/plans', planner, { productId, quantity: '10', deliveryDate: day(120) });
    expect(json<Problem>(outside).code).toBe('PLAN_OUTSIDE_HARVEST_WINDOW');
    const late = await req('POST', '/api/planning/plans', planner, {
      productId,
      quantity: '10',
      deliveryDate: day(50),
      stages: [{ kind: 'harvest', startDate: day(45), endDate: day(51) }],
    });
    expect(json<Problem>(late).errors![0]).toMatchObject({ field: 'stages.0.endDate', code: 'PLAN_ENDS_AFTER_DELIVERY' });
    const backwards = await req('POST', '/api/planning/plans', planner, {
      productId,
      quantity: '10',
      deliveryDate: day(50),
      stages: [{ kind: 'harvest', startDate: day(45), endDate: day(44) }],
    });
    expect(json<Problem>(backwards).errors![0]).toMatchObject({ field: 'stages.0.endDate', code: 'PLAN_STAGE_DATES_INVALID' });
    const zero = await req('POST', '/api/planning/plans', planner, { productId, quantity: '0', deliveryDate: day(60) });
    expect(zero.statusCode).toBe(400);
    expect(await planCount()).toBe(before);
  });
});

describe('capacity and confirmation', () => {
  let first: Plan;
  let second: Plan;

  it('refuses a negative capacity', async () => {
    const res = await req('PUT', '/api/planning/capacities', planner, { resourceType: 'field', resourceId: fieldId, name: '一号地', dailyCapacity: '-5' });
    expect(res.statusCode).toBe(400);
    expect(json<Problem>(res).errors![0]!.field).toBe('dailyCapacity');
  });

  it('blocks confirmation over capacity unless a manager overrides with a reason', async () => {
    expect((await req('PUT', '/api/planning/capacities', planner, { resourceType: 'field', resourceId: fieldId, name: '一号地', dailyCapacity: '100' })).statusCode).toBe(200);
    first = json<Plan>(
      await req('POST', '/api/planning/plans', planner, {
        productId,
        quantity: '150',
        deliveryDate: day(70),
        resourceType: 'field',
        resourceId: fieldId,
        responsibleId: worker.userId,
      }),
    );
    const ok = await req('POST', `/api/planning/plans/${first.id}/confirm`, planner, {});
    expect(ok.statusCode, ok.body).toBe(200);
    first = json<Plan>(ok);
    expect(first.status).toBe('confirmed');
    second = json<Plan>(await req('POST', '/api/planning/plans', planner, { productId, quantity: '240', deliveryDate: day(70), resourceType: 'field', resourceId: fieldId }));
    // Planting (2 days) on the field: 240 / 2 + 150 / 2 = 195 a day.
    expect(second.capacityIssues[0]).toMatchObject({ stageSeq: 1, name: '一号地', load: '195.000', capacity: '100.000' });
    const refused = await req('POST', `/api/planning/plans/${second.id}/confirm`, planner, {});
    expect(refused.statusCode).toBe(409);
    expect(json<Problem>(refused).code).toBe('PLAN_OVER_CAPACITY');
    expect((await req('POST', `/api/planning/plans/${second.id}/confirm`, planner, { overrideReason: '赶订单' })).statusCode).toBe(403);
    const still = json<Plan>(await req('GET', `/api/planning/plans/${second.id}`, planner));
    expect(still.status).toBe('draft');
    expect(still.tasks).toEqual([]);
    const overridden = await req('POST', `/api/planning/plans/${second.id}/confirm`, boss, { overrideReason: '加班采收' });
    expect(overridden.statusCode, overridden.body).toBe(200);
    expect(json<Plan>(overridden)).toMatchObject({ status: 'confirmed', overrideReason: '加班采收' });
  });

  it('generates tasks from the stages, assigned to the stage responsible with the stage end as due date', () => {
    expect(first.tasks.map((x) => x.kind)).toEqual(
      expect.arrayContaining(['sowing', 'irrigation', 'fertilising', 'pest_control', 'scouting', 'harvest', 'cleaning', 'processing', 'packing']),
    );
    expect(first.tasks.every((x) => x.assigneeId === worker.userId && x.status === 'open')).toBe(true);
  });

  it('a task cannot be completed before it started; a blocked task puts the plan at risk at once, a late one too', async () => {
    const sow = first.tasks.find((x) => x.kind === 'sowing')!;
    const early = await req('POST', `/api/planning/tasks/${sow.id}/complete`, worker.cookie, {});
    expect(early.statusCode).toBe(409);
    expect(json<Problem>(early).code).toBe('TASK_NOT_STARTED');
    expect((await req('POST', `/api/planning/tasks/${sow.id}/start`, planner, {})).statusCode).toBe(403);
    expect(json<Task>(await req('POST', `/api/planning/tasks/${sow.id}/start`, worker.cookie, {})).status).toBe('in_progress');
    expect(json<Plan>(await req('GET', `/api/planning/plans/${first.id}`, planner)).status).toBe('in_progress');
    const noReason = await req('POST', `/api/planning/tasks/${sow.id}/block`, worker.cookie, {});
    expect(json<Problem>(noReason).errors![0]).toMatchObject({ field: 'reason', code: 'TASK_BLOCK_REASON_REQUIRED' });
    await req('POST', `/api/planning/tasks/${sow.id}/block`, worker.cookie, { reason: '种子未到' });
    const risky = json<Plan>(await req('GET', `/api/planning/plans/${first.id}`, planner));
    expect(risky.atRisk).toBe(true);
    expect(risky.riskReason).toContain('种子未到');
    const atRisk = json<{ items: { id: string }[] }>(await req('GET', '/api/planning/plans?atRisk=true', planner));
    expect(atRisk.items.map((p) => p.id)).toContain(first.id);
    await req('POST', `/api/planning/tasks/${sow.id}/unblock`, worker.cookie, {});
    expect(json<Plan>(await req('GET', `/api/planning/plans/${first.id}`, planner)).atRisk).toBe(false);
    // Overdue: the due date moved into the past.
    const scout = first.tasks.find((x) => x.kind === 'scouting')!;
    await req('PATCH', `/api/planning/tasks/${scout.id}`, planner, { assigneeId: worker.userId, dueDate: day(-1) });
    const late = json<Plan>(await req('GET', `/api/planning/plans/${first.id}`, planner));
    expect(late.atRisk).toBe(true);
    expect(late.tasks.find((x) => x.id === scout.id)!.late).toBe(true);
    const progress = await req('POST', `/api/planning/tasks/${sow.id}/progress`, worker.cookie, { progressPct: 150 });
    expect(progress.statusCode).toBe(400);
  });

  it('completing a harvest task puts the harvest lot in stock; problem photos must be images', async () => {
    const harvest = first.tasks.find((x) => x.kind === 'harvest')!;
    await req('POST', `/api/planning/tasks/${harvest.id}/start`, worker.cookie, {});
    const missing = await req('POST', `/api/planning/tasks/${harvest.id}/complete`, worker.cookie, { quantity: '120' });
    expect(missing.statusCode).toBe(400);
    expect(json<Problem>(missing).errors!.map((e) => e.field)).toEqual(['unit', 'locationId']);
    const done = await req('POST', `/api/planning/tasks/${harvest.id}/complete`, worker.cookie, { quantity: '120', unit: 'kg', locationId: locId });
    expect(done.statusCode, done.body).toBe(200);
    const task = json<Task>(done);
    expect(task.status).toBe('done');
    expect(task.lotId).not.toBeNull();
    expect((await lotBalances(t.database.db, task.lotId!))[0]).toMatchObject({ locationId: locId, onHand: '120.000' });
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(20)]);
    const photo = await upload(`/api/planning/tasks/${harvest.id}/photos`, worker.cookie, '虫害.png', 'image/png', png);
    expect(photo.statusCode, photo.body).toBe(201);
    const text = await upload(`/api/planning/tasks/${harvest.id}/photos`, worker.cookie, 'x.png', 'image/png', Buffer.from('not an image'));
    expect(text.statusCode).toBe(415);
    const mine = json<{ items: Task[] }>(await req('GET', '/api/planning/tasks?mine=true&pageSize=100', worker.cookie));
    expect(mine.items.find((x) => x.id === harvest.id)!.photoIds).toHaveLength(1);
  });
});

describe('forecasts and the MPS', () => {
  it('imports forecasts from Excel all or nothing, and the MPS nets orders or forecast (the larger) against stock and open plans', async () => {
    const mps0 = await makeProduct(t.database.db, { shelfLifeDays: 10 });
    const code = json<{ items: { id: string; code: string }[] }>(await req('GET', `/api/catalog/products?pageSize=200`, boss)).items.find((p) => p.id === mps0)!.code;
    const w1 = weekStartOf(day(14));
    const w2 = weekStartOf(day(21));
    const [before] = await t.database.db.select({ n: count() }).from(forecasts);
    const bad = await upload(
      '/api/planning/forecasts/import',
      planner,
      'f.xlsx',
      'application/octet-stream',
      await sheet([
        ['产品编码', '周一日期', '数量'],
        [code, w1, '100'],
        ['NOPE', day(15), 'x'],
      ]),
    );
    expect(bad.statusCode).toBe(422);
    expect(json<Problem>(bad).errors!.map((e) => e.field)).toEqual(expect.arrayContaining(['rows.3.productCode', 'rows.3.quantity']));
    const [still] = await t.database.db.select({ n: count() }).from(forecasts);
    expect(still!.n).toBe(before!.n);
    const good = await upload(
      '/api/planning/forecasts/import',
      planner,
      'f.xlsx',
      'application/octet-stream',
      await sheet([
        ['产品编码', '周一日期', '数量'],
        [code, w1, '100'],
        [code, w2, '50'],
      ]),
    );
    expect(good.statusCode, good.body).toBe(200);
    // 30 kg released in stock: week 1 needs 70 more, week 2 all 50.
    await inTransaction(t.database.db, async (tx) => {
      const lot = await createLot(tx, TEST_ACTOR, { productId: mps0, productionDate: day(0), qualityStatus: 'released', sourceType: 'receipt' });
      await receiveStock(tx, TEST_ACTOR, { lotId: lot.id, locationId: locId, quantity: '30', unit: 'kg' });
    });
    const page = json<{ items: { productId: string; weeks: { weekStart: string; forecast: string; demand: string; net: string }[] }[]; weekStarts: string[] }>(
      await req('GET', `/api/planning/mps?productId=${mps0}&weeks=6`, planner),
    );
    const row = page.items[0]!;
    const cell = (w: string) => row.weeks.find((x) => x.weekStart === w)!;
    expect(cell(w1)).toMatchObject({ forecast: '100.000', demand: '100.000', net: '70.000' });
    expect(cell(w2)).toMatchObject({ forecast: '50.000', net: '50.000' });
    // A plan delivering in week 1 covers it.
    const plan = await req('POST', '/api/planning/plans', planner, {
      productId: mps0,
      quantity: '120',
      deliveryDate: w1,
      stages: [{ kind: 'harvest', startDate: day(1), endDate: day(3) }],
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const after = json<{ items: { weeks: { weekStart: string; net: string; projected: string }[] }[] }>(await req('GET', `/api/planning/mps?productId=${mps0}&weeks=6`, planner))
      .items[0]!;
    expect(after.weeks.find((x) => x.weekStart === w1)).toMatchObject({ net: '0.000', projected: '50.000' });
    expect(after.weeks.find((x) => x.weekStart === w2)).toMatchObject({ net: '0.000', projected: '0.000' });
    // An approved order for 90 kg delivering in week 2 (rows written as the order core would; the MPS only reads them):
    // demand there is max(order 90, forecast 50) = 90, of which the plan's 50 left over covers 50.
    const orderId = crypto.randomUUID();
    await t.database.db.execute(
      sql`insert into orders (id, number, customer_id, customer_code, customer_name, delivery_date, channel, status) values (${orderId}, 'SO-MPS-1', ${crypto.randomUUID()}, 'C1', '客户', ${addDays(w2, 2)}, 'phone', 'approved')`,
    );
    await t.database.db.execute(
      sql`insert into order_lines (id, order_id, line_no, product_id, quantity, unit, base_quantity, order_created_at) values (${crypto.randomUUID()}, ${orderId}, 1, ${mps0}, 90, 'kg', 90, now())`,
    );
    const withOrder = json<{ items: { weeks: { weekStart: string; orders: string; demand: string; net: string }[] }[] }>(
      await req('GET', `/api/planning/mps?productId=${mps0}&weeks=6`, planner),
    ).items[0]!;
    expect(withOrder.weeks.find((x) => x.weekStart === w2)).toMatchObject({ orders: '90.000', demand: '90.000', net: '40.000' });
    const bogus = await req('PUT', '/api/planning/forecasts', planner, {
      items: [{ productId: mps0, weekStart: day(15) === weekStartOf(day(15)) ? day(16) : day(15), quantity: '1' }],
    });
    expect(json<Problem>(bogus).errors![0]).toMatchObject({ field: 'items.0.weekStart', code: 'FORECAST_WEEK_NOT_MONDAY' });
    expect((await req('GET', '/api/planning/mps/export.xlsx', planner)).statusCode).toBe(200);
    expect((await req('GET', '/api/planning/plans/export.xlsx', planner)).statusCode).toBe(200);
  });
});
