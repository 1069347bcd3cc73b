import { and, asc, count, desc, eq, inArray, isNull, ne, notInArray, sql, type SQL } from 'drizzle-orm';
import { assertCan, type Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { businessDate, clock } from '../../platform/clock.js';
import { queryRows, type Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError, type FieldIssue } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import { users } from '../../platform/platform.tables.js';
import { fmtQty, qty, type Qty } from '../../platform/quantity.js';
import { defineSetting, getSetting } from '../../platform/settings/settings.service.js';
import { recordInitialState, transition } from '../../platform/state-machine.js';
import { getProducts, listProductIds } from '../catalog/index.js';
import { availableQuantities } from '../inventory/index.js';
import { createHarvest } from '../quality/index.js';
import { PlanningErrors } from './planning.errors.js';
import { planMachine, taskMachine, type TaskEvent } from './planning.states.js';
import {
  capacities,
  cropCalendars,
  forecasts,
  planStages,
  plans,
  taskPhotos,
  tasks,
  type PlanStatus,
  type ResourceType,
  type StageKind,
  type TaskKind,
  type TaskStatus,
} from './planning.tables.js';

const dayDefaults = (key: string, def: number, zh: string, en: string) =>
  defineSetting({
    key: `planning.${key}`,
    module: 'planning',
    type: 'integer',
    default: def,
    min: 1,
    max: 60,
    label: { zh, en },
    description: { zh: `倒排计划时${zh}占用的天数。`, en: `Days a back-scheduled plan gives to ${en.toLowerCase()}.` },
    unit: { zh: '天', en: 'days' },
  });
export const plantingDays = dayDefaults('plantingDays', 2, '播种/定植', 'Planting');
export const harvestDays = dayDefaults('harvestDays', 3, '采收', 'Harvest');
export const processingDays = dayDefaults('processingDays', 1, '加工', 'Processing');
export const packagingDays = dayDefaults('packagingDays', 1, '包装', 'Packaging');
export const mpsWeeks = defineSetting({
  key: 'planning.mpsWeeks',
  module: 'planning',
  type: 'integer',
  default: 12,
  min: 1,
  max: 104,
  label: { zh: '主生产计划周数', en: 'MPS horizon (weeks)' },
  description: { zh: '主生产计划(MPS)默认显示的周数。', en: 'How many weeks the master production schedule shows by default.' },
  unit: { zh: '周', en: 'weeks' },
});

const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const today = (): string => businessDate(clock.now());
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
const daysBetween = (a: string, b: string): number => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
/** The Monday of the ISO week of a day. */
export function weekStartOf(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, dow === 0 ? -6 : 1 - dow);
}
const fieldError = (code: string, field: string, params: Record<string, unknown> = {}): DomainError => new DomainError(code, params, [{ field, code, params }]);

/** Whether a day falls in a yearly MM-DD window (a window may wrap the new year, e.g. 11-01 … 02-28). */
export function inWindow(day: string, from: string, to: string): boolean {
  const md = day.slice(5);
  return from <= to ? md >= from && md <= to : md >= from || md <= to;
}

// ---------------------------------------------------------------- crop calendars

export type CalendarInput = {
  productId: string;
  baseId?: string | null;
  variety?: string | null;
  season: string;
  sowFrom: string;
  sowTo: string;
  transplantFrom?: string | null;
  transplantTo?: string | null;
  harvestFrom: string;
  harvestTo: string;
  growthDays: number;
  expectedYieldPerMu: string;
  active?: boolean;
};
type CalendarRow = typeof cropCalendars.$inferSelect;
export type CalendarView = Omit<CalendarRow, 'createdAt' | 'updatedAt'> & { productCode: string; productName: string };

async function calendarViews(db: Db, rows: CalendarRow[]): Promise<CalendarView[]> {
  const products = await getProducts(
    db,
    rows.map((r) => r.productId),
  );
  return rows.map(({ createdAt: _c, updatedAt: _u, ...r }) => ({
    ...r,
    expectedYieldPerMu: fmtQty(r.expectedYieldPerMu),
    productCode: products.get(r.productId)?.code ?? '',
    productName: products.get(r.productId)?.name ?? '',
  }));
}

async function assertProduct(db: Db, productId: string, field = 'productId') {
  const p = (await getProducts(db, [productId])).get(productId);
  if (!p) throw fieldError('PRODUCT_NOT_FOUND', field);
  return p;
}

export async function createCalendar(db: Db, actor: Actor, input: CalendarInput): Promise<CalendarView> {
  await assertProduct(db, input.productId);
  const [row] = await db
    .insert(cropCalendars)
    .values({ ...input, baseId: input.baseId ?? null, variety: input.variety ?? null, transplantFrom: input.transplantFrom ?? null, transplantTo: input.transplantTo ?? null })
    .returning();
  await recordAudit(db, actor, { action: 'planning.calendar.create', entity: 'crop_calendar', entityId: row!.id, after: row });
  return (await calendarViews(db, [row!]))[0]!;
}

export async function updateCalendar(db: Db, actor: Actor, id: string, patch: Partial<CalendarInput>): Promise<CalendarView> {
  const [before] = ANY_UUID.test(id) ? await db.select().from(cropCalendars).where(eq(cropCalendars.id, id)) : [];
  if (!before) throw new DomainError(PlanningErrors.CALENDAR_NOT_FOUND);
  if (patch.productId) await assertProduct(db, patch.productId);
  const [row] = await db
    .update(cropCalendars)
    .set({ ...patch, updatedAt: clock.now() })
    .where(eq(cropCalendars.id, id))
    .returning();
  await recordAudit(db, actor, { action: 'planning.calendar.update', entity: 'crop_calendar', entityId: id, before, after: row });
  return (await calendarViews(db, [row!]))[0]!;
}

export async function listCalendars(db: Db, f: { q?: string; productId?: string; page: number; pageSize: number; sort?: string }): Promise<Page<CalendarView>> {
  const conds: SQL[] = [];
  if (f.productId) conds.push(eq(cropCalendars.productId, f.productId));
  if (f.q)
    conds.push(
      sql`(${cropCalendars.season} ilike ${`%${f.q}%`} or ${cropCalendars.variety} ilike ${`%${f.q}%`} or exists (select 1 from products p where p.id = ${cropCalendars.productId} and (p.name ilike ${`%${f.q}%`} or p.code ilike ${`%${f.q}%`})))`,
    );
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { season: cropCalendars.season, growthDays: cropCalendars.growthDays, createdAt: cropCalendars.createdAt }, [asc(cropCalendars.createdAt)]);
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(cropCalendars)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(cropCalendars).where(where),
  ]);
  return { items: await calendarViews(db, rows), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

// ---------------------------------------------------------------- capacities

export type CapacityInput = { resourceType: ResourceType; resourceId: string; name: string; dailyCapacity: string };
type CapacityRow = typeof capacities.$inferSelect;

export async function setCapacity(db: Db, actor: Actor, input: CapacityInput): Promise<CapacityRow> {
  if (qty(input.dailyCapacity).isNegative()) throw fieldError('FIELD_TOO_SMALL', 'dailyCapacity', { minimum: 0 });
  const [before] = await db
    .select()
    .from(capacities)
    .where(and(eq(capacities.resourceType, input.resourceType), eq(capacities.resourceId, input.resourceId)));
  const values = { ...input, dailyCapacity: fmtQty(qty(input.dailyCapacity)), updatedAt: clock.now() };
  const [row] = before ? await db.update(capacities).set(values).where(eq(capacities.id, before.id)).returning() : await db.insert(capacities).values(values).returning();
  await recordAudit(db, actor, { action: 'planning.capacity.set', entity: 'capacity', entityId: row!.id, before: before ?? null, after: row });
  return { ...row!, dailyCapacity: fmtQty(row!.dailyCapacity) };
}

export async function listCapacities(db: Db): Promise<CapacityRow[]> {
  const rows = await db.select().from(capacities).orderBy(asc(capacities.resourceType), asc(capacities.name));
  return rows.map((r) => ({ ...r, dailyCapacity: fmtQty(r.dailyCapacity) }));
}

// ---------------------------------------------------------------- forecasts

export type ForecastInput = { productId: string; weekStart: string; quantity: string; note?: string | null };

/** Enters or replaces forecast quantities (per product and week); all or none. */
export async function setForecasts(db: Db, actor: Actor, items: ForecastInput[], fieldPrefix = 'items'): Promise<number> {
  const products = await getProducts(
    db,
    items.map((i) => i.productId),
  );
  const issues: FieldIssue[] = [];
  items.forEach((it, i) => {
    if (!products.has(it.productId)) issues.push({ field: `${fieldPrefix}.${i}.productId`, code: 'PRODUCT_NOT_FOUND' });
    if (weekStartOf(it.weekStart) !== it.weekStart) issues.push({ field: `${fieldPrefix}.${i}.weekStart`, code: PlanningErrors.FORECAST_WEEK_NOT_MONDAY });
    if (qty(it.quantity).isNegative()) issues.push({ field: `${fieldPrefix}.${i}.quantity`, code: 'FIELD_TOO_SMALL', params: { minimum: 0 } });
  });
  if (issues.length) throw new DomainError('VALIDATION_FAILED', {}, issues);
  for (const it of items)
    await db
      .insert(forecasts)
      .values({ productId: it.productId, weekStart: it.weekStart, quantity: fmtQty(qty(it.quantity)), note: it.note ?? null })
      .onConflictDoUpdate({ target: [forecasts.productId, forecasts.weekStart], set: { quantity: fmtQty(qty(it.quantity)), note: it.note ?? null, updatedAt: clock.now() } });
  await recordAudit(db, actor, { action: 'planning.forecast.set', entity: 'forecast', entityId: null, after: { count: items.length, items } });
  return items.length;
}

export async function listForecasts(db: Db, f: { productId?: string; from?: string; to?: string }) {
  const conds: SQL[] = [];
  if (f.productId) conds.push(eq(forecasts.productId, f.productId));
  if (f.from) conds.push(sql`${forecasts.weekStart} >= ${f.from}`);
  if (f.to) conds.push(sql`${forecasts.weekStart} <= ${f.to}`);
  const rows = await db
    .select()
    .from(forecasts)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(asc(forecasts.weekStart));
  const products = await getProducts(
    db,
    rows.map((r) => r.productId),
  );
  return rows.map((r) => ({
    id: r.id,
    productId: r.productId,
    productCode: products.get(r.productId)?.code ?? '',
    productName: products.get(r.productId)?.name ?? '',
    weekStart: r.weekStart,
    quantity: fmtQty(r.quantity),
    note: r.note,
  }));
}

/** Rows of an import sheet (product code, week Monday, quantity) as forecast inputs; errors per row as rows.<n>.<field>. */
export async function importForecastRows(db: Db, actor: Actor, rows: { rowNumber: number; code: string; weekStart: string; quantity: string }[]): Promise<number> {
  const issues: FieldIssue[] = [];
  const items: ForecastInput[] = [];
  const codes = [...new Set(rows.map((r) => r.code))];
  const idOfCode = new Map<string, string>();
  for (const code of codes) {
    const ids = await listProductIds(db, { q: code });
    const products = await getProducts(db, ids);
    for (const p of products.values()) if (p.code === code) idOfCode.set(code, p.id);
  }
  for (const r of rows) {
    const id = idOfCode.get(r.code);
    if (!id) issues.push({ field: `rows.${r.rowNumber}.productCode`, code: 'PRODUCT_NOT_FOUND' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(r.weekStart) || Number.isNaN(Date.parse(r.weekStart))) issues.push({ field: `rows.${r.rowNumber}.weekStart`, code: 'FIELD_INVALID_DATE' });
    else if (weekStartOf(r.weekStart) !== r.weekStart) issues.push({ field: `rows.${r.rowNumber}.weekStart`, code: PlanningErrors.FORECAST_WEEK_NOT_MONDAY });
    if (!/^\d{1,11}(\.\d{1,3})?$/.test(r.quantity)) issues.push({ field: `rows.${r.rowNumber}.quantity`, code: 'FIELD_INVALID_QUANTITY' });
    if (id) items.push({ productId: id, weekStart: r.weekStart, quantity: r.quantity });
  }
  if (issues.length) throw new DomainError(PlanningErrors.IMPORT_HAS_ERRORS, { count: issues.length }, issues);
  return setForecasts(db, actor, items);
}

// ---------------------------------------------------------------- plans

export type StageInput = {
  kind: StageKind;
  startDate: string;
  endDate: string;
  milestone?: string | null;
  responsibleId?: string | null;
  resourceType?: ResourceType | null;
  resourceId?: string | null;
};
export type PlanInput = {
  productId: string;
  quantity: string;
  deliveryDate: string;
  calendarId?: string | null;
  orderId?: string | null;
  note?: string | null;
  /** Omitted: back-scheduled from the delivery date with the crop calendar. */
  stages?: StageInput[];
  /** Defaults for the back-scheduled stages. */
  responsibleId?: string | null;
  resourceType?: ResourceType | null;
  resourceId?: string | null;
};

type PlanRow = typeof plans.$inferSelect;
type StageRow = typeof planStages.$inferSelect;
type TaskRow = typeof tasks.$inferSelect;

export type StageView = Omit<StageRow, 'planId'> & { responsibleName: string | null };
export type CapacityIssue = { stageSeq: number; resourceType: ResourceType; resourceId: string; name: string; date: string; load: string; capacity: string };
export type PlanView = {
  id: string;
  code: string;
  productId: string;
  productCode: string;
  productName: string;
  quantity: string;
  deliveryDate: string;
  calendarId: string | null;
  orderId: string | null;
  status: PlanStatus;
  /** A task is blocked or late. */
  atRisk: boolean;
  riskReason: string | null;
  overrideReason: string | null;
  note: string | null;
  startDate: string | null;
  endDate: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  stages: StageView[];
};
export type PlanDetail = PlanView & { capacityIssues: CapacityIssue[]; tasks: TaskView[] };

/**
 * Back-schedules the stages from the delivery date: packaging ends the day before delivery, processing before it,
 * harvest before that, and planting starts the crop's growth days before the harvest starts; cultivation fills the gap.
 */
export function backSchedule(
  deliveryDate: string,
  d: { growthDays: number; plantingDays: number; harvestDays: number; processingDays: number; packagingDays: number },
): { kind: StageKind; startDate: string; endDate: string; milestone: string }[] {
  const packEnd = addDays(deliveryDate, -1);
  const packStart = addDays(packEnd, -(d.packagingDays - 1));
  const procEnd = addDays(packStart, -1);
  const procStart = addDays(procEnd, -(d.processingDays - 1));
  const harvEnd = addDays(procStart, -1);
  const harvStart = addDays(harvEnd, -(d.harvestDays - 1));
  const plantStart = addDays(harvStart, -d.growthDays);
  const plantEnd = addDays(plantStart, d.plantingDays - 1);
  const out: { kind: StageKind; startDate: string; endDate: string; milestone: string }[] = [{ kind: 'planting', startDate: plantStart, endDate: plantEnd, milestone: 'sown' }];
  const cultStart = addDays(plantEnd, 1);
  const cultEnd = addDays(harvStart, -1);
  if (cultStart <= cultEnd) out.push({ kind: 'cultivation', startDate: cultStart, endDate: cultEnd, milestone: 'ready_to_harvest' });
  out.push(
    { kind: 'harvest', startDate: harvStart, endDate: harvEnd, milestone: 'harvested' },
    { kind: 'processing', startDate: procStart, endDate: procEnd, milestone: 'processed' },
    { kind: 'packaging', startDate: packStart, endDate: packEnd, milestone: 'packed' },
  );
  return out;
}

async function assertUsers(db: Db, ids: { id: string | null | undefined; field: string }[]): Promise<void> {
  const wanted = [...new Set(ids.map((i) => i.id).filter((x): x is string => !!x))];
  if (!wanted.length) return;
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, wanted), isNull(users.disabledAt)));
  const ok = new Set(rows.map((r) => r.id));
  const issues = ids.filter((i) => i.id && !ok.has(i.id)).map((i) => ({ field: i.field, code: PlanningErrors.USER_UNKNOWN }));
  if (issues.length) throw new DomainError(PlanningErrors.USER_UNKNOWN, {}, issues);
}

async function userNames(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const uniq = [...new Set(ids.filter((x): x is string => !!x))];
  if (!uniq.length) return new Map();
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, uniq));
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function findCalendar(db: Db, productId: string, calendarId: string | null | undefined): Promise<CalendarRow | null> {
  if (calendarId) {
    const [c] = await db.select().from(cropCalendars).where(eq(cropCalendars.id, calendarId));
    if (!c || c.productId !== productId) throw fieldError(PlanningErrors.CALENDAR_NOT_FOUND, 'calendarId');
    return c;
  }
  const [c] = await db
    .select()
    .from(cropCalendars)
    .where(and(eq(cropCalendars.productId, productId), eq(cropCalendars.active, true)))
    .orderBy(asc(cropCalendars.createdAt))
    .limit(1);
  return c ?? null;
}

/** The rules every set of stages obeys: dates in order, nothing after delivery, the harvest inside the calendar's window. */
function checkStages(stages: StageInput[], deliveryDate: string, calendar: CalendarRow | null): void {
  if (!stages.length) throw fieldError(PlanningErrors.PLAN_STAGES_REQUIRED, 'stages');
  stages.forEach((s, i) => {
    if (s.endDate < s.startDate) throw fieldError(PlanningErrors.PLAN_STAGE_DATES_INVALID, `stages.${i}.endDate`);
    if (s.endDate > deliveryDate) throw fieldError(PlanningErrors.PLAN_ENDS_AFTER_DELIVERY, `stages.${i}.endDate`, { end: s.endDate, deliveryDate });
  });
  if (calendar) {
    const i = stages.findIndex((s) => s.kind === 'harvest');
    const h = stages[i];
    if (h && (!inWindow(h.startDate, calendar.harvestFrom, calendar.harvestTo) || !inWindow(h.endDate, calendar.harvestFrom, calendar.harvestTo)))
      throw fieldError(PlanningErrors.PLAN_OUTSIDE_HARVEST_WINDOW, `stages.${i}.endDate`, {
        start: h.startDate,
        end: h.endDate,
        from: calendar.harvestFrom,
        to: calendar.harvestTo,
      });
  }
}

async function scheduleOf(db: Db, input: PlanInput, calendar: CalendarRow | null, productCode: string): Promise<StageInput[]> {
  if (input.stages) return input.stages;
  if (!calendar) throw fieldError(PlanningErrors.CALENDAR_REQUIRED, 'calendarId', { code: productCode });
  const d = {
    growthDays: calendar.growthDays,
    plantingDays: await getSetting(db, plantingDays),
    harvestDays: await getSetting(db, harvestDays),
    processingDays: await getSetting(db, processingDays),
    packagingDays: await getSetting(db, packagingDays),
  };
  const stages = backSchedule(input.deliveryDate, d);
  const sowOn = stages[0]!.startDate;
  if (sowOn < today()) {
    const lead = daysBetween(sowOn, input.deliveryDate);
    throw fieldError(PlanningErrors.PLAN_CANNOT_BE_READY, 'deliveryDate', {
      growthDays: calendar.growthDays,
      sowOn,
      earliest: addDays(today(), lead),
      deliveryDate: input.deliveryDate,
    });
  }
  return stages.map((s) => ({
    ...s,
    responsibleId: input.responsibleId ?? null,
    resourceType: s.kind === 'processing' || s.kind === 'packaging' ? null : (input.resourceType ?? null),
    resourceId: s.kind === 'processing' || s.kind === 'packaging' ? null : (input.resourceId ?? null),
  }));
}

/** Per stage on a resource with a capacity: the first day whose load (this plan + confirmed plans) is over capacity. */
async function capacityIssuesOf(db: Db, planId: string | null, quantity: string, stages: (StageInput & { seq: number })[]): Promise<CapacityIssue[]> {
  const onResource = stages.filter((s) => s.resourceType && s.resourceId);
  if (!onResource.length) return [];
  const caps = await db
    .select()
    .from(capacities)
    .where(
      inArray(
        capacities.resourceId,
        onResource.map((s) => s.resourceId!),
      ),
    );
  const capOf = new Map(caps.map((c) => [`${c.resourceType}|${c.resourceId}`, c]));
  const others = await db
    .select({ s: planStages, quantity: plans.quantity })
    .from(planStages)
    .innerJoin(plans, eq(plans.id, planStages.planId))
    .where(
      and(
        inArray(plans.status, ['confirmed', 'in_progress']),
        planId ? ne(plans.id, planId) : undefined,
        inArray(
          planStages.resourceId,
          onResource.map((s) => s.resourceId!),
        ),
      ),
    );
  const perDay = (q: string, start: string, end: string): Qty => qty(q).dividedBy(daysBetween(start, end) + 1);
  const issues: CapacityIssue[] = [];
  for (const s of onResource) {
    const cap = capOf.get(`${s.resourceType}|${s.resourceId}`);
    if (!cap) continue;
    const mine = perDay(quantity, s.startDate, s.endDate);
    for (let d = s.startDate; d <= s.endDate; d = addDays(d, 1)) {
      let load = mine;
      for (const o of others)
        if (o.s.resourceType === s.resourceType && o.s.resourceId === s.resourceId && o.s.startDate <= d && o.s.endDate >= d)
          load = load.plus(perDay(o.quantity, o.s.startDate, o.s.endDate));
      if (load.greaterThan(cap.dailyCapacity)) {
        issues.push({
          stageSeq: s.seq,
          resourceType: cap.resourceType,
          resourceId: cap.resourceId,
          name: cap.name,
          date: d,
          load: fmtQty(load.toDecimalPlaces(3)),
          capacity: fmtQty(cap.dailyCapacity),
        });
        break;
      }
    }
  }
  return issues;
}

async function loadPlan(db: Db, id: string, forUpdate = false): Promise<PlanRow> {
  if (!ANY_UUID.test(id)) throw new DomainError(PlanningErrors.PLAN_NOT_FOUND);
  const q = db.select().from(plans).where(eq(plans.id, id));
  const [r] = forUpdate ? await q.for('update') : await q;
  if (!r) throw new DomainError(PlanningErrors.PLAN_NOT_FOUND);
  return r;
}

async function planViews(db: Db, rows: PlanRow[]): Promise<PlanView[]> {
  const ids = rows.map((r) => r.id);
  const [products, stages, late] = await Promise.all([
    getProducts(
      db,
      rows.map((r) => r.productId),
    ),
    ids.length ? db.select().from(planStages).where(inArray(planStages.planId, ids)).orderBy(asc(planStages.seq)) : Promise.resolve([]),
    ids.length
      ? db
          .select({ planId: tasks.planId, title: tasks.title, dueDate: tasks.dueDate })
          .from(tasks)
          .where(and(inArray(tasks.planId, ids), notInArray(tasks.status, ['done', 'cancelled']), sql`${tasks.dueDate} < ${today()}`))
      : Promise.resolve([]),
  ]);
  const names = await userNames(
    db,
    stages.map((s) => s.responsibleId),
  );
  return rows.map((r) => {
    const mine = stages.filter((s) => s.planId === r.id);
    const lateTask = late.find((t) => t.planId === r.id);
    const open = r.status !== 'completed' && r.status !== 'cancelled';
    return {
      id: r.id,
      code: r.code,
      productId: r.productId,
      productCode: products.get(r.productId)?.code ?? '',
      productName: products.get(r.productId)?.name ?? '',
      quantity: fmtQty(r.quantity),
      deliveryDate: r.deliveryDate,
      calendarId: r.calendarId,
      orderId: r.orderId,
      status: r.status,
      atRisk: open && (r.atRisk || !!lateTask),
      riskReason: open ? (r.atRisk ? r.riskReason : lateTask ? `late: ${lateTask.title} (${lateTask.dueDate})` : null) : null,
      overrideReason: r.overrideReason,
      note: r.note,
      startDate: mine.map((s) => s.startDate).sort()[0] ?? null,
      endDate:
        mine
          .map((s) => s.endDate)
          .sort()
          .at(-1) ?? null,
      createdBy: r.createdBy,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      stages: mine.map(({ planId: _p, ...s }) => ({ ...s, responsibleName: s.responsibleId ? (names.get(s.responsibleId) ?? null) : null })),
    };
  });
}

export async function getPlan(db: Db, id: string): Promise<PlanDetail> {
  const r = await loadPlan(db, id);
  const [view] = await planViews(db, [r]);
  const issues = r.status === 'draft' ? await capacityIssuesOf(db, r.id, r.quantity, view!.stages) : [];
  const taskRows = await db.select().from(tasks).where(eq(tasks.planId, id)).orderBy(asc(tasks.dueDate), asc(tasks.createdAt));
  return { ...view!, capacityIssues: issues, tasks: await taskViews(db, taskRows) };
}

export type PlanFilter = { q?: string; status?: PlanStatus; productId?: string; atRisk?: boolean; from?: string; to?: string; page: number; pageSize: number; sort?: string };

export async function listPlans(db: Db, f: PlanFilter): Promise<Page<PlanView>> {
  const conds: SQL[] = [];
  if (f.q)
    conds.push(
      sql`(${plans.code} ilike ${`%${f.q}%`} or exists (select 1 from products p where p.id = ${plans.productId} and (p.name ilike ${`%${f.q}%`} or p.code ilike ${`%${f.q}%`})))`,
    );
  if (f.status) conds.push(eq(plans.status, f.status));
  if (f.productId) conds.push(eq(plans.productId, f.productId));
  if (f.from) conds.push(sql`${plans.deliveryDate} >= ${f.from}`);
  if (f.to) conds.push(sql`exists (select 1 from planning_plan_stages s where s.plan_id = ${plans.id} and s.start_date <= ${f.to})`);
  if (f.atRisk)
    conds.push(
      sql`${plans.status} not in ('completed', 'cancelled') and (${plans.atRisk} or exists (select 1 from planning_tasks t where t.plan_id = ${plans.id} and t.status not in ('done', 'cancelled') and t.due_date < ${today()}))`,
    );
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { code: plans.code, deliveryDate: plans.deliveryDate, status: plans.status, createdAt: plans.createdAt }, [desc(plans.createdAt)]);
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(plans)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(plans).where(where),
  ]);
  return { items: await planViews(db, rows), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

async function writeStages(db: Db, planId: string, stages: StageInput[]): Promise<void> {
  await db.insert(planStages).values(
    stages.map((s, i) => ({
      planId,
      seq: i + 1,
      kind: s.kind,
      startDate: s.startDate,
      endDate: s.endDate,
      milestone: s.milestone ?? null,
      responsibleId: s.responsibleId ?? null,
      resourceType: s.resourceType ?? null,
      resourceId: s.resourceId ?? null,
    })),
  );
}

/**
 * Makes a draft plan: the stages given, or back-scheduled from the delivery date with the crop calendar. A plan that
 * cannot be ready by the delivery date (sowing would have to be in the past) or whose harvest falls outside the
 * calendar's harvest window is refused, saying why.
 */
export async function createPlan(db: Db, actor: Actor, input: PlanInput, findOrder?: (id: string) => Promise<boolean>): Promise<PlanDetail> {
  const product = await assertProduct(db, input.productId);
  if (input.orderId && findOrder && !(await findOrder(input.orderId))) throw fieldError(PlanningErrors.ORDER_UNKNOWN, 'orderId');
  const calendar = await findCalendar(db, input.productId, input.calendarId);
  const stages = await scheduleOf(db, input, calendar, product.code);
  checkStages(stages, input.deliveryDate, calendar);
  await assertUsers(db, [{ id: input.responsibleId, field: 'responsibleId' }, ...stages.map((s, i) => ({ id: s.responsibleId, field: `stages.${i}.responsibleId` }))]);
  const [row] = await db
    .insert(plans)
    .values({
      code: await nextDocNumber(db, 'PP', clock.now()),
      productId: input.productId,
      quantity: fmtQty(qty(input.quantity)),
      deliveryDate: input.deliveryDate,
      calendarId: calendar?.id ?? null,
      orderId: input.orderId ?? null,
      note: input.note ?? null,
      createdBy: actor.username,
    })
    .returning();
  await writeStages(db, row!.id, stages);
  await recordInitialState(db, actor, planMachine, row!.id);
  const view = await getPlan(db, row!.id);
  await recordAudit(db, actor, { action: 'planning.plan.create', entity: 'production_plan', entityId: row!.id, after: view });
  return view;
}

/** Replaces the stages of a draft plan (same rules as when it was made). */
export async function updatePlanStages(db: Db, actor: Actor, id: string, stages: StageInput[]): Promise<PlanDetail> {
  const before = await loadPlan(db, id, true);
  if (before.status !== 'draft') throw new DomainError(PlanningErrors.PLAN_NOT_EDITABLE, { code: before.code, status: before.status });
  const calendar = before.calendarId ? ((await db.select().from(cropCalendars).where(eq(cropCalendars.id, before.calendarId)))[0] ?? null) : null;
  checkStages(stages, before.deliveryDate, calendar);
  await assertUsers(
    db,
    stages.map((s, i) => ({ id: s.responsibleId, field: `stages.${i}.responsibleId` })),
  );
  const beforeView = await getPlan(db, id);
  if (beforeView.tasks.length) await db.delete(tasks).where(eq(tasks.planId, id));
  await db.delete(planStages).where(eq(planStages.planId, id));
  await writeStages(db, id, stages);
  await db.update(plans).set({ updatedAt: clock.now() }).where(eq(plans.id, id));
  const view = await getPlan(db, id);
  await recordAudit(db, actor, { action: 'planning.plan.stages', entity: 'production_plan', entityId: id, before: beforeView.stages, after: view.stages });
  return view;
}

const TASK_KIND_OF_STAGE: Record<StageKind, TaskKind[]> = {
  planting: ['sowing'],
  cultivation: ['irrigation', 'fertilising', 'pest_control', 'scouting'],
  harvest: ['harvest'],
  processing: ['cleaning', 'processing'],
  packaging: ['packing'],
};
const TASK_TITLES: Record<TaskKind, string> = {
  sowing: '播种 / Sowing',
  transplant: '定植 / Transplant',
  irrigation: '灌溉 / Irrigation',
  fertilising: '施肥 / Fertilising',
  pest_control: '病虫害防治 / Pest control',
  scouting: '田间巡查 / Scouting',
  harvest: '采收 / Harvest',
  cleaning: '清洗 / Cleaning',
  processing: '加工 / Processing',
  packing: '包装 / Packing',
  other: '其他 / Other',
};

/**
 * Confirms a draft plan: over capacity on any day refuses it, unless the actor may override (planning:override) and
 * gives a reason, which is kept with the plan. Confirming generates the plan's tasks from its stages.
 */
export async function confirmPlan(db: Db, actor: Actor, id: string, overrideReason: string | null): Promise<PlanDetail> {
  const before = await loadPlan(db, id, true);
  const [view] = await planViews(db, [before]);
  const issues = before.status === 'draft' ? await capacityIssuesOf(db, id, before.quantity, view!.stages) : [];
  const reason = overrideReason?.trim() || null;
  if (issues.length) {
    if (!reason) {
      const first = issues[0]!;
      throw new DomainError(PlanningErrors.PLAN_OVER_CAPACITY, { name: first.name, date: first.date, load: first.load, capacity: first.capacity, issues }, [
        { field: 'overrideReason', code: PlanningErrors.PLAN_OVER_CAPACITY, params: { name: first.name, date: first.date, load: first.load, capacity: first.capacity } },
      ]);
    }
    assertCan(actor, 'planning:override');
  }
  const to = await transition(db, actor, planMachine, { id, from: before.status, event: 'confirm', reason, data: issues.length ? { overCapacity: issues } : undefined });
  const updated = await db
    .update(plans)
    .set({ status: to, overrideReason: issues.length ? reason : null, updatedAt: clock.now() })
    .where(and(eq(plans.id, id), eq(plans.status, before.status)))
    .returning({ id: plans.id });
  if (!updated.length) throw new DomainError('CONFLICT');
  const stages = view!.stages;
  const rows = stages.flatMap((s) =>
    TASK_KIND_OF_STAGE[s.kind].map((kind) => ({
      planId: id,
      stageId: s.id,
      kind,
      title: TASK_TITLES[kind],
      assigneeId: s.responsibleId,
      dueDate: s.endDate,
      fieldId: s.resourceType === 'field' ? s.resourceId : null,
    })),
  );
  if (rows.length) await db.insert(tasks).values(rows);
  await recordAudit(db, actor, {
    action: 'planning.plan.confirm',
    entity: 'production_plan',
    entityId: id,
    before: { status: before.status },
    after: { status: to, overrideReason: issues.length ? reason : null, overCapacity: issues, tasks: rows.length },
  });
  return getPlan(db, id);
}

export async function cancelPlan(db: Db, actor: Actor, id: string, reason: string | null): Promise<PlanDetail> {
  const before = await loadPlan(db, id, true);
  const to = await transition(db, actor, planMachine, { id, from: before.status, event: 'cancel', reason });
  await db
    .update(plans)
    .set({ status: to, updatedAt: clock.now() })
    .where(and(eq(plans.id, id), eq(plans.status, before.status)));
  await db
    .update(tasks)
    .set({ status: 'cancelled', updatedAt: clock.now() })
    .where(and(eq(tasks.planId, id), notInArray(tasks.status, ['done', 'cancelled'])));
  await recordAudit(db, actor, { action: 'planning.plan.cancel', entity: 'production_plan', entityId: id, before: { status: before.status }, after: { status: to, reason } });
  return getPlan(db, id);
}

// ---------------------------------------------------------------- tasks

export type TaskView = {
  id: string;
  planId: string;
  stageId: string | null;
  kind: TaskKind;
  title: string;
  assigneeId: string | null;
  assigneeName: string | null;
  dueDate: string;
  status: TaskStatus;
  late: boolean;
  progressPct: number;
  quantityDone: string | null;
  unit: string | null;
  problem: string | null;
  fieldId: string | null;
  locationId: string | null;
  lotId: string | null;
  photoIds: string[];
  startedAt: Date | null;
  completedAt: Date | null;
  planCode?: string;
  productName?: string;
};

async function taskViews(db: Db, rows: TaskRow[]): Promise<TaskView[]> {
  const ids = rows.map((r) => r.id);
  const [names, photos] = await Promise.all([
    userNames(
      db,
      rows.map((r) => r.assigneeId),
    ),
    ids.length ? db.select({ id: taskPhotos.id, taskId: taskPhotos.taskId }).from(taskPhotos).where(inArray(taskPhotos.taskId, ids)) : Promise.resolve([]),
  ]);
  const t = today();
  return rows.map((r) => ({
    id: r.id,
    planId: r.planId,
    stageId: r.stageId,
    kind: r.kind,
    title: r.title,
    assigneeId: r.assigneeId,
    assigneeName: r.assigneeId ? (names.get(r.assigneeId) ?? null) : null,
    dueDate: r.dueDate,
    status: r.status,
    late: r.status !== 'done' && r.status !== 'cancelled' && r.dueDate < t,
    progressPct: r.progressPct,
    quantityDone: r.quantityDone === null ? null : fmtQty(r.quantityDone),
    unit: r.unit,
    problem: r.problem,
    fieldId: r.fieldId,
    locationId: r.locationId,
    lotId: r.lotId,
    photoIds: photos.filter((p) => p.taskId === r.id).map((p) => p.id),
    startedAt: r.startedAt,
    completedAt: r.completedAt,
  }));
}

export type TaskFilter = { q?: string; status?: TaskStatus; planId?: string; assigneeId?: string; mine?: boolean; late?: boolean; page: number; pageSize: number; sort?: string };

export async function listTasks(db: Db, actor: Actor, f: TaskFilter): Promise<Page<TaskView>> {
  const conds: SQL[] = [];
  if (f.q) conds.push(sql`${tasks.title} ilike ${`%${f.q}%`}`);
  if (f.status) conds.push(eq(tasks.status, f.status));
  if (f.planId) conds.push(eq(tasks.planId, f.planId));
  if (f.assigneeId) conds.push(eq(tasks.assigneeId, f.assigneeId));
  if (f.mine && actor.userId) conds.push(eq(tasks.assigneeId, actor.userId));
  if (f.late) conds.push(sql`${tasks.status} not in ('done', 'cancelled') and ${tasks.dueDate} < ${today()}`);
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { dueDate: tasks.dueDate, status: tasks.status, kind: tasks.kind, createdAt: tasks.createdAt }, [asc(tasks.dueDate), asc(tasks.createdAt)]);
  const [rows, total] = await Promise.all([
    db
      .select({ t: tasks, planCode: plans.code, productId: plans.productId })
      .from(tasks)
      .innerJoin(plans, eq(plans.id, tasks.planId))
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(tasks).where(where),
  ]);
  const [views, products] = await Promise.all([
    taskViews(
      db,
      rows.map((r) => r.t),
    ),
    getProducts(
      db,
      rows.map((r) => r.productId),
    ),
  ]);
  return {
    items: views.map((v, i) => ({ ...v, planCode: rows[i]!.planCode, productName: products.get(rows[i]!.productId)?.name ?? '' })),
    total: total[0]?.n ?? 0,
    page: f.page,
    pageSize: f.pageSize,
  };
}

async function loadTask(db: Db, id: string): Promise<TaskRow> {
  if (!ANY_UUID.test(id)) throw new DomainError(PlanningErrors.TASK_NOT_FOUND);
  const [r] = await db.select().from(tasks).where(eq(tasks.id, id)).for('update');
  if (!r) throw new DomainError(PlanningErrors.TASK_NOT_FOUND);
  return r;
}

export async function getTask(db: Db, id: string): Promise<TaskView> {
  if (!ANY_UUID.test(id)) throw new DomainError(PlanningErrors.TASK_NOT_FOUND);
  const [r] = await db.select().from(tasks).where(eq(tasks.id, id));
  if (!r) throw new DomainError(PlanningErrors.TASK_NOT_FOUND);
  return (await taskViews(db, [r]))[0]!;
}

/** The plan is at risk while one of its tasks is blocked (late tasks count on read); the reason names the task. */
async function refreshPlanRisk(db: Db, planId: string): Promise<void> {
  const [blocked] = await db
    .select({ title: tasks.title, problem: tasks.problem })
    .from(tasks)
    .where(and(eq(tasks.planId, planId), eq(tasks.status, 'blocked')))
    .limit(1);
  await db
    .update(plans)
    .set({ atRisk: !!blocked, riskReason: blocked ? `blocked: ${blocked.title}${blocked.problem ? ` — ${blocked.problem}` : ''}` : null, updatedAt: clock.now() })
    .where(eq(plans.id, planId));
}

export type TaskActionInput = {
  reason?: string | null;
  progressPct?: number;
  quantity?: string | null;
  unit?: string | null;
  /** Harvest tasks: where the harvest lot is stored, and the field (when the stage names none). */
  locationId?: string | null;
  fieldId?: string | null;
};

/**
 * Moves a task: start, block (a problem report, marking the plan at risk at once), unblock, complete (only after it
 * started; a harvest task with a quantity creates the harvest lot in stock through quality's harvest service).
 */
export async function changeTask(db: Db, actor: Actor, id: string, event: TaskEvent, input: TaskActionInput): Promise<TaskView> {
  const before = await loadTask(db, id);
  if (event === 'complete' && before.status === 'open') throw new DomainError(PlanningErrors.TASK_NOT_STARTED);
  if (event === 'block' && !input.reason?.trim()) throw fieldError(PlanningErrors.TASK_BLOCK_REASON_REQUIRED, 'reason');
  const to = await transition(db, actor, taskMachine, { id, from: before.status, event, reason: input.reason?.trim() || null });
  const now = clock.now();
  const set: Partial<typeof tasks.$inferInsert> = { status: to, updatedAt: now };
  if (event === 'start') set.startedAt = now;
  if (event === 'block') set.problem = input.reason!.trim();
  if (input.progressPct !== undefined) set.progressPct = input.progressPct;
  if (input.quantity) {
    set.quantityDone = fmtQty(qty(input.quantity));
    set.unit = input.unit ?? before.unit;
  }
  if (event === 'complete') {
    set.completedAt = now;
    set.progressPct = 100;
    if (before.kind === 'harvest') {
      const fieldId = input.fieldId ?? before.fieldId;
      const plan = await loadPlan(db, before.planId);
      if (!input.quantity || !input.locationId || !fieldId || !input.unit)
        throw new DomainError(PlanningErrors.TASK_HARVEST_TARGET_REQUIRED, {}, [
          ...(!input.quantity ? [{ field: 'quantity', code: 'FIELD_REQUIRED' }] : []),
          ...(!input.unit ? [{ field: 'unit', code: 'FIELD_REQUIRED' }] : []),
          ...(!input.locationId ? [{ field: 'locationId', code: 'FIELD_REQUIRED' }] : []),
          ...(!fieldId ? [{ field: 'fieldId', code: 'FIELD_REQUIRED' }] : []),
        ]);
      const harvest = await createHarvest(db, actor, {
        fieldId,
        productId: plan.productId,
        quantity: input.quantity,
        unit: input.unit,
        harvestedOn: today(),
        locationId: input.locationId,
      });
      set.lotId = harvest.lotId;
      set.fieldId = fieldId;
      set.locationId = input.locationId;
    }
  }
  const updated = await db
    .update(tasks)
    .set(set)
    .where(and(eq(tasks.id, id), eq(tasks.status, before.status)))
    .returning({ id: tasks.id });
  if (!updated.length) throw new DomainError('CONFLICT');
  const plan = await loadPlan(db, before.planId, true);
  if (event === 'start' && plan.status === 'confirmed') {
    const p = await transition(db, actor, planMachine, { id: plan.id, from: plan.status, event: 'start' });
    await db.update(plans).set({ status: p, updatedAt: now }).where(eq(plans.id, plan.id));
  }
  if (event === 'block' || event === 'unblock' || before.status === 'blocked') await refreshPlanRisk(db, plan.id);
  if (event === 'complete') {
    const [left] = await db
      .select({ n: count() })
      .from(tasks)
      .where(and(eq(tasks.planId, plan.id), notInArray(tasks.status, ['done', 'cancelled'])));
    const current = await loadPlan(db, plan.id);
    if (!left?.n && (current.status === 'confirmed' || current.status === 'in_progress')) {
      const p = await transition(db, actor, planMachine, { id: plan.id, from: current.status, event: 'complete' });
      await db.update(plans).set({ status: p, updatedAt: now }).where(eq(plans.id, plan.id));
    }
  }
  const view = await getTask(db, id);
  await recordAudit(db, actor, {
    action: `planning.task.${event}`,
    entity: 'production_task',
    entityId: id,
    before: { status: before.status },
    after: { ...input, status: to, lotId: view.lotId },
  });
  return view;
}

/** Records progress (percent, quantity) on a started task without changing its state. */
export async function recordTaskProgress(db: Db, actor: Actor, id: string, input: { progressPct: number; quantity?: string | null; unit?: string | null }): Promise<TaskView> {
  const before = await loadTask(db, id);
  if (before.status !== 'in_progress') throw new DomainError(PlanningErrors.TASK_NOT_STARTED);
  await db
    .update(tasks)
    .set({
      progressPct: input.progressPct,
      ...(input.quantity ? { quantityDone: fmtQty(qty(input.quantity)), unit: input.unit ?? before.unit } : {}),
      updatedAt: clock.now(),
    })
    .where(eq(tasks.id, id));
  await recordAudit(db, actor, { action: 'planning.task.progress', entity: 'production_task', entityId: id, before: { progressPct: before.progressPct }, after: input });
  return getTask(db, id);
}

export type TaskInput = { kind: TaskKind; title: string; assigneeId?: string | null; dueDate: string; stageId?: string | null };

export async function addTask(db: Db, actor: Actor, planId: string, input: TaskInput): Promise<TaskView> {
  const plan = await loadPlan(db, planId);
  if (plan.status === 'completed' || plan.status === 'cancelled') throw new DomainError(PlanningErrors.PLAN_NOT_EDITABLE, { code: plan.code, status: plan.status });
  await assertUsers(db, [{ id: input.assigneeId, field: 'assigneeId' }]);
  const [row] = await db
    .insert(tasks)
    .values({ planId, kind: input.kind, title: input.title.trim(), assigneeId: input.assigneeId ?? null, dueDate: input.dueDate, stageId: input.stageId ?? null })
    .returning();
  await recordAudit(db, actor, { action: 'planning.task.create', entity: 'production_task', entityId: row!.id, after: row });
  return getTask(db, row!.id);
}

export async function assignTask(db: Db, actor: Actor, id: string, input: { assigneeId: string | null; dueDate?: string }): Promise<TaskView> {
  const before = await loadTask(db, id);
  await assertUsers(db, [{ id: input.assigneeId, field: 'assigneeId' }]);
  await db
    .update(tasks)
    .set({ assigneeId: input.assigneeId, dueDate: input.dueDate ?? before.dueDate, updatedAt: clock.now() })
    .where(eq(tasks.id, id));
  await recordAudit(db, actor, {
    action: 'planning.task.assign',
    entity: 'production_task',
    entityId: id,
    before: { assigneeId: before.assigneeId, dueDate: before.dueDate },
    after: input,
  });
  return getTask(db, id);
}

const PHOTO_TYPES: [string, (b: Buffer) => boolean][] = [
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8],
  ['image/png', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))],
  ['image/webp', (b) => b.subarray(0, 4).toString() === 'RIFF' && b.subarray(8, 12).toString() === 'WEBP'],
];

/** A problem photo (JPEG/PNG/WebP, decided by the content) attached to a task. */
export async function uploadTaskPhoto(db: Db, actor: Actor, taskId: string, file: { filename: string; data: Buffer }): Promise<{ id: string; size: number }> {
  await loadTask(db, taskId);
  const type = PHOTO_TYPES.find(([, is]) => is(file.data))?.[0];
  if (!type) throw fieldError(PlanningErrors.FILE_TYPE_NOT_ALLOWED, 'file');
  const [row] = await db
    .insert(taskPhotos)
    .values({ taskId, filename: file.filename, contentType: type, size: file.data.length, data: file.data, uploadedBy: actor.username })
    .returning({ id: taskPhotos.id });
  await recordAudit(db, actor, {
    action: 'planning.task.photo',
    entity: 'production_task',
    entityId: taskId,
    after: { photoId: row!.id, filename: file.filename, size: file.data.length },
  });
  return { id: row!.id, size: file.data.length };
}

export async function getTaskPhoto(db: Db, taskId: string, photoId: string) {
  const [row] = await db
    .select()
    .from(taskPhotos)
    .where(and(eq(taskPhotos.id, photoId), eq(taskPhotos.taskId, taskId)));
  if (!row) throw new DomainError('NOT_FOUND');
  return row;
}

// ---------------------------------------------------------------- MPS

export type MpsWeek = { weekStart: string; orders: string; forecast: string; demand: string; planned: string; projected: string; net: string };
export type MpsRow = { productId: string; productCode: string; productName: string; stock: string; totalNet: string; weeks: MpsWeek[] };

/**
 * The master production schedule per product and week: demand is the larger of approved orders (open lines by
 * delivery week) and the forecast; stock and open plans (by delivery week) cover it; what is left is the net requirement.
 * Orders before the first week count in the first week.
 */
export async function mps(
  db: Db,
  f: { from?: string; weeks?: number; productId?: string; q?: string; onlyNet?: boolean; page: number; pageSize: number },
): Promise<Page<MpsRow> & { weekStarts: string[] }> {
  const first = weekStartOf(f.from ?? today());
  const n = f.weeks ?? (await getSetting(db, mpsWeeks));
  const weekStarts = Array.from({ length: n }, (_, i) => addDays(first, 7 * i));
  const end = addDays(first, 7 * n);
  const productFilter = f.productId ? sql`and x.product_id = ${f.productId}::uuid` : sql``;
  // One statement: order demand (read from the order core's tables, never written), forecasts and open plans by week.
  const rows = await queryRows<{ product_id: string; wk: string; kind: 'o' | 'f' | 'p'; q: string }>(
    db,
    sql`select x.product_id::text as product_id, x.wk::text as wk, x.kind, sum(x.q)::text as q from (
      select l.product_id, greatest(date_trunc('week', coalesce(o.delivery_date, ${first}::date))::date, ${first}::date) as wk, 'o' as kind, coalesce(l.base_quantity, l.quantity) as q
        from order_lines l join orders o on o.id = l.order_id
        where o.status in ('approved', 'in_production', 'ready') and l.product_id is not null and coalesce(o.delivery_date, ${first}::date) < ${end}::date
      union all
      select f.product_id, f.week_start, 'f', f.quantity from planning_forecasts f where f.week_start >= ${first}::date and f.week_start < ${end}::date
      union all
      select p.product_id, greatest(date_trunc('week', p.delivery_date)::date, ${first}::date), 'p', p.quantity from planning_plans p
        where p.status in ('draft', 'confirmed', 'in_progress') and p.delivery_date < ${end}::date
    ) x where true ${productFilter} group by 1, 2, 3`,
  );
  // One row per product, week and kind: kept as text, parsed only for the rows netted.
  const byProduct = new Map<string, Map<string, { o?: string; f?: string; p?: string }>>();
  for (const r of rows) {
    const m = byProduct.get(r.product_id) ?? new Map<string, { o?: string; f?: string; p?: string }>();
    const wk = r.wk.slice(0, 10);
    const cell = m.get(wk) ?? {};
    cell[r.kind] = r.q;
    m.set(wk, cell);
    byProduct.set(r.product_id, m);
  }
  let ids = [...byProduct.keys()];
  const products = await getProducts(db, ids);
  if (f.q) {
    const q = f.q.toLowerCase();
    ids = ids.filter((id) => {
      const p = products.get(id);
      return !!p && (p.code.toLowerCase().includes(q) || p.name.toLowerCase().includes(q));
    });
  }
  ids.sort((a, b) => (products.get(a)?.code ?? '').localeCompare(products.get(b)?.code ?? ''));
  const rowOf = (id: string, stockOf: Map<string, string>): MpsRow => {
    const m = byProduct.get(id)!;
    let poh = qty(stockOf.get(id) ?? '0');
    let totalNet = qty(0);
    const weeks = weekStarts.map((wk) => {
      const raw = m.get(wk) ?? {};
      const c = { o: qty(raw.o ?? 0), f: qty(raw.f ?? 0), p: qty(raw.p ?? 0) };
      const demand = c.o.greaterThan(c.f) ? c.o : c.f;
      poh = poh.plus(c.p).minus(demand);
      let net = qty(0);
      if (poh.isNegative()) {
        net = poh.negated();
        poh = qty(0);
      }
      totalNet = totalNet.plus(net);
      return { weekStart: wk, orders: fmtQty(c.o), forecast: fmtQty(c.f), demand: fmtQty(demand), planned: fmtQty(c.p), projected: fmtQty(poh), net: fmtQty(net) };
    });
    const p = products.get(id);
    return { productId: id, productCode: p?.code ?? '', productName: p?.name ?? '', stock: fmtQty(stockOf.get(id) ?? '0'), totalNet: fmtQty(totalNet), weeks };
  };
  const start = offsetOf(f);
  if (!f.onlyNet) {
    // Only the page's rows are netted: the order is by product code, known before any netting.
    const pageIds = ids.slice(start, start + f.pageSize);
    const stockOf = await availableQuantities(db, pageIds);
    return { items: pageIds.map((id) => rowOf(id, stockOf)), total: ids.length, page: f.page, pageSize: f.pageSize, weekStarts };
  }
  const stockOf = await availableQuantities(db, ids);
  const out = ids.map((id) => rowOf(id, stockOf)).filter((r) => qty(r.totalNet).greaterThan(0));
  return { items: out.slice(start, start + f.pageSize), total: out.length, page: f.page, pageSize: f.pageSize, weekStarts };
}
