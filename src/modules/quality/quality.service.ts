import { and, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { canTransition, recordInitialState, transition } from '../../platform/state-machine.js';
import { inspectionMachine, nonConformanceMachine } from './quality.states.js';
import { assertCan, type Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { businessDate, clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError, type FieldIssue } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import { Q, fmtQty, positiveQty, qty } from '../../platform/quantity.js';
import { getProduct } from '../catalog/index.js';
import { changeLotStatus, createLot, getLot, receiveStock, registerLotStatusGuard } from '../inventory/index.js';
import { QualityErrors } from './quality.errors.js';
import {
  bases,
  fields,
  harvests,
  inputApplications,
  inspections,
  nonConformances,
  standards,
  type Attachment,
  type Disposition,
  type InspectionStage,
  type MeasuredValue,
  type SamplingPlan,
  type SourceCheckType,
  type StandardParameter,
} from './quality.tables.js';

/** Adds whole days to a YYYY-MM-DD date. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- quality events (trace listens)
export type QualityEvent =
  { type: 'inspection.signed'; db: Db; actor: Actor; inspection: InspectionRow } | { type: 'input.applied'; db: Db; actor: Actor; application: InputApplicationRow };
type QualityListener = (e: QualityEvent) => Promise<void>;
const listeners: QualityListener[] = [];

/** In-process hook so the trace module records quality steps as trace events (same transaction). */
export function onQualityEvent(listener: QualityListener): void {
  if (!listeners.includes(listener)) listeners.push(listener);
}
async function emit(e: QualityEvent): Promise<void> {
  for (const l of listeners) await l(e);
}

// ---------------------------------------------------------------- bases & fields
export type BaseRow = typeof bases.$inferSelect;
export type FieldRow = typeof fields.$inferSelect;

export type BaseInput = {
  code: string;
  name: string;
  regionCode?: string | null;
  address?: string | null;
  areaMu?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  manager?: string | null;
};

async function assertUnique(db: Db, table: typeof bases | typeof fields | typeof standards, code: string): Promise<void> {
  const [row] = await db.select({ id: table.id }).from(table).where(eq(table.code, code));
  if (row) throw new DomainError('DUPLICATE', { field: code }, [{ field: 'code', code: 'DUPLICATE', params: { field: code } }]);
}

const coord = (v: number | null | undefined): string | null => (v == null ? null : v.toFixed(6));

export async function createBase(db: Db, actor: Actor, input: BaseInput): Promise<BaseRow> {
  await assertUnique(db, bases, input.code);
  const [row] = await db
    .insert(bases)
    .values({
      code: input.code,
      name: input.name,
      regionCode: input.regionCode ?? null,
      address: input.address ?? null,
      areaMu: input.areaMu ? fmtQty(positiveQty(input.areaMu)) : null,
      latitude: coord(input.latitude),
      longitude: coord(input.longitude),
      manager: input.manager ?? null,
    })
    .returning();
  await recordAudit(db, actor, { action: 'quality.base.create', entity: 'quality_base', entityId: row!.id, after: row });
  return row!;
}

export type FieldInput = {
  baseId: string;
  code: string;
  name: string;
  areaMu?: string | null;
  regionCode?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  crops?: string[];
};

export async function createField(db: Db, actor: Actor, input: FieldInput): Promise<FieldRow> {
  const base = await getBase(db, input.baseId);
  await assertUnique(db, fields, input.code);
  const [row] = await db
    .insert(fields)
    .values({
      baseId: base.id,
      code: input.code,
      name: input.name,
      areaMu: input.areaMu ? fmtQty(positiveQty(input.areaMu)) : null,
      regionCode: input.regionCode ?? base.regionCode,
      latitude: coord(input.latitude),
      longitude: coord(input.longitude),
      crops: input.crops ?? [],
    })
    .returning();
  await recordAudit(db, actor, { action: 'quality.field.create', entity: 'quality_field', entityId: row!.id, after: row });
  return row!;
}

export async function getBase(db: Db, id: string): Promise<BaseRow> {
  const [row] = await db.select().from(bases).where(eq(bases.id, id));
  if (!row) throw new DomainError(QualityErrors.BASE_NOT_FOUND, {}, [{ field: 'baseId', code: QualityErrors.BASE_NOT_FOUND }]);
  return row;
}

export async function getField(db: Db, id: string): Promise<FieldRow & { baseName: string; baseCode: string }> {
  const [row] = await db.select({ f: fields, baseName: bases.name, baseCode: bases.code }).from(fields).innerJoin(bases, eq(bases.id, fields.baseId)).where(eq(fields.id, id));
  if (!row) throw new DomainError(QualityErrors.FIELD_NOT_FOUND, {}, [{ field: 'fieldId', code: QualityErrors.FIELD_NOT_FOUND }]);
  return { ...row.f, baseName: row.baseName, baseCode: row.baseCode };
}

export type ListFilter = { page: number; pageSize: number; sort?: string; q?: string };

async function paged<T>(rowsQ: Promise<T[]>, totalQ: Promise<{ n: number }[]>, f: ListFilter): Promise<Page<T>> {
  const [items, total] = await Promise.all([rowsQ, totalQ]);
  return { items, total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

export async function listBases(db: Db, f: ListFilter): Promise<Page<BaseRow>> {
  const where = f.q ? sql`(${bases.code} ilike ${`%${f.q}%`} or ${bases.name} ilike ${`%${f.q}%`})` : undefined;
  const order = orderByOf(f.sort, { code: bases.code, name: bases.name, createdAt: bases.createdAt }, [sql`${bases.code} asc`]);
  return paged(
    db
      .select()
      .from(bases)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(bases).where(where),
    f,
  );
}

export type FieldView = FieldRow & { baseName: string; sourceStatus: SourceStatus[] };

export async function listFields(db: Db, f: ListFilter & { baseId?: string }): Promise<Page<FieldView>> {
  const conds: SQL[] = [];
  if (f.q) conds.push(sql`(${fields.code} ilike ${`%${f.q}%`} or ${fields.name} ilike ${`%${f.q}%`})`);
  if (f.baseId) conds.push(eq(fields.baseId, f.baseId));
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { code: fields.code, name: fields.name, createdAt: fields.createdAt }, [sql`${fields.code} asc`]);
  const page = await paged(
    db
      .select({ f: fields, baseName: bases.name })
      .from(fields)
      .innerJoin(bases, eq(bases.id, fields.baseId))
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(fields).where(where),
    f,
  );
  const today = businessDate(clock.now());
  const items: FieldView[] = [];
  for (const r of page.items) items.push({ ...r.f, baseName: r.baseName, sourceStatus: await fieldSourceStatus(db, r.f.id, today) });
  return { ...page, items };
}

// ---------------------------------------------------------------- source checks
export type SourceStatus = { checkType: SourceCheckType; state: 'ok' | 'failed' | 'expired' | 'missing'; inspectionId: string | null; validUntil: string | null };

/** The latest signed soil and water checks of a field and whether they allow a release on `onDate`. */
export async function fieldSourceStatus(db: Db, fieldId: string, onDate: string): Promise<SourceStatus[]> {
  const out: SourceStatus[] = [];
  for (const checkType of ['soil', 'water'] as const) {
    const [last] = await db
      .select()
      .from(inspections)
      .where(and(eq(inspections.fieldId, fieldId), eq(inspections.checkType, checkType), eq(inspections.stage, 'source'), eq(inspections.status, 'signed')))
      .orderBy(desc(inspections.inspectedOn), desc(inspections.signedAt))
      .limit(1);
    if (!last) out.push({ checkType, state: 'missing', inspectionId: null, validUntil: null });
    else if (last.result === 'fail') out.push({ checkType, state: 'failed', inspectionId: last.id, validUntil: last.validUntil });
    else if (last.validUntil && last.validUntil < onDate) out.push({ checkType, state: 'expired', inspectionId: last.id, validUntil: last.validUntil });
    else out.push({ checkType, state: 'ok', inspectionId: last.id, validUntil: last.validUntil });
  }
  return out;
}

// Every path that releases a lot (QC endpoint, inspections, decisions) passes through inventory's guard.
registerLotStatusGuard(async (db, lot, event) => {
  if (event !== 'release') return;
  await assertReleasable(db, lot.id);
  await assertSamplingPlans(db, lot);
});

/** Product standards that gate a release: active, for the lot's product, used at some stage before shipment. */
async function gatingStandards(db: Db, productId: string): Promise<(typeof standards.$inferSelect)[]> {
  const rows = await db
    .select()
    .from(standards)
    .where(and(eq(standards.productId, productId), eq(standards.active, true), sql`${standards.checkType} is null`));
  return rows.filter((s) => s.stages.some((st) => st !== 'pre_shipment'));
}

async function latestSigned(db: Db, standardId: string, lotId?: string): Promise<InspectionRow | null> {
  const [row] = await db
    .select()
    .from(inspections)
    .where(and(eq(inspections.standardId, standardId), eq(inspections.status, 'signed'), lotId ? eq(inspections.lotId, lotId) : undefined))
    // same day: the one signed last (UUIDv7 ids break ties between signatures in the same instant)
    .orderBy(desc(inspections.inspectedOn), desc(inspections.signedAt), desc(inspections.id))
    .limit(1);
  return row ?? null;
}

/**
 * The sampling plans of the product's standards, checked on every release (from quarantine or from hold):
 * - every_lot: the lot's latest signed inspection against the standard must exist and pass;
 * - periodic: the lot's own latest signed inspection, if it has one, must pass; without one, the latest signed
 *   inspection of the product against the standard must pass and be younger than periodDays business days
 *   (Asia/Shanghai): inspected on D, it covers releases on D … D + periodDays − 1.
 */
async function assertSamplingPlans(db: Db, lot: { id: string; productId: string }): Promise<void> {
  const stds = await gatingStandards(db, lot.productId);
  if (!stds.length) return;
  const info = await getLot(db, lot.id);
  const lotCode = info?.lotCode ?? lot.id;
  const today = businessDate(clock.now());
  for (const std of stds) {
    const own = await latestSigned(db, std.id, lot.id);
    if (std.samplingPlan.mode === 'every_lot' || own) {
      if (own?.result !== 'pass') throw new DomainError(QualityErrors.QUALITY_LOT_INSPECTION_REQUIRED, { standard: std.code, lot: lotCode });
      continue;
    }
    const periodDays = std.samplingPlan.periodDays ?? 1;
    const last = await latestSigned(db, std.id);
    if (!last || last.result !== 'pass' || addDays(last.inspectedOn, periodDays) <= today)
      throw new DomainError(QualityErrors.QUALITY_PERIODIC_INSPECTION_DUE, { standard: std.code, periodDays, lastOn: last?.inspectedOn ?? '—', lot: lotCode });
  }
}

/**
 * A harvest lot may be released only while its field's source checks are neither failed nor expired, and only when
 * the pre-harvest interval of every application on the field up to the harvest date had ended by then (checked again
 * here: an application recorded after the harvest but dated before it keeps the lot from ever being released, and so
 * from being reserved or shipped).
 */
async function assertReleasable(db: Db, lotId: string): Promise<void> {
  const [h] = await db.select({ fieldId: harvests.fieldId, harvestedOn: harvests.harvestedOn, lotCode: harvests.lotCode }).from(harvests).where(eq(harvests.lotId, lotId));
  if (!h) return;
  const field = await getField(db, h.fieldId);
  const block = await phiBlock(db, h.fieldId, h.harvestedOn);
  if (block) {
    const material = await getProduct(db, block.materialId);
    throw new DomainError(QualityErrors.RELEASE_PHI_NOT_ELAPSED, {
      lot: h.lotCode,
      harvestedOn: h.harvestedOn,
      field: field.code,
      material: material?.name ?? block.materialId,
      appliedOn: block.appliedOn,
      phiDays: block.phiDays,
      safeOn: block.safeHarvestOn,
    });
  }
  const bad = (await fieldSourceStatus(db, h.fieldId, businessDate(clock.now()))).find((s) => s.state === 'failed' || s.state === 'expired');
  if (bad) throw new DomainError(QualityErrors.SOURCE_CHECK_INVALID, { field: field.code, checkType: bad.checkType, state: bad.state });
}

// ---------------------------------------------------------------- input applications
export type InputApplicationRow = typeof inputApplications.$inferSelect;
export type InputApplicationInput = {
  fieldId: string;
  materialId: string;
  materialLotId?: string | null;
  materialLotCode?: string | null;
  dose: string;
  doseUnit: string;
  appliedOn: string;
  operator: string;
  note?: string | null;
};

export async function recordInputApplication(db: Db, actor: Actor, input: InputApplicationInput): Promise<InputApplicationRow> {
  const field = await getField(db, input.fieldId);
  const material = await getProduct(db, input.materialId);
  if (!material) throw new DomainError('PRODUCT_NOT_FOUND', {}, [{ field: 'materialId', code: 'PRODUCT_NOT_FOUND' }]);
  if (material.kind !== 'material')
    throw new DomainError(QualityErrors.INPUT_NOT_MATERIAL, { code: material.code }, [
      { field: 'materialId', code: QualityErrors.INPUT_NOT_MATERIAL, params: { code: material.code } },
    ]);
  if (!material.allowedUse)
    throw new DomainError(QualityErrors.INPUT_MATERIAL_NOT_ALLOWED, { code: material.code }, [
      { field: 'materialId', code: QualityErrors.INPUT_MATERIAL_NOT_ALLOWED, params: { code: material.code } },
    ]);
  let lotCode = input.materialLotCode ?? null;
  if (input.materialLotId) {
    const lot = await getLot(db, input.materialLotId);
    if (!lot) throw new DomainError('LOT_NOT_FOUND', {}, [{ field: 'materialLotId', code: 'LOT_NOT_FOUND' }]);
    if (lot.productId !== material.id) throw new DomainError('LOT_PRODUCT_MISMATCH', {}, [{ field: 'materialLotId', code: 'LOT_PRODUCT_MISMATCH' }]);
    lotCode = lot.lotCode;
  }
  const phiDays = material.materialType === 'pesticide' ? (material.phiDays ?? 0) : 0;
  const [row] = await db
    .insert(inputApplications)
    .values({
      fieldId: field.id,
      materialId: material.id,
      materialType: material.materialType,
      materialLotId: input.materialLotId ?? null,
      materialLotCode: lotCode,
      dose: fmtQty(positiveQty(input.dose)),
      doseUnit: input.doseUnit,
      appliedOn: input.appliedOn,
      phiDays,
      safeHarvestOn: addDays(input.appliedOn, phiDays),
      operator: input.operator,
      note: input.note ?? null,
      createdBy: actor.username,
    })
    .returning();
  await recordAudit(db, actor, { action: 'quality.input.apply', entity: 'quality_input_application', entityId: row!.id, after: row });
  await emit({ type: 'input.applied', db, actor, application: row! });
  return row!;
}

export type InputApplicationView = InputApplicationRow & { fieldCode: string; materialName: string };

export async function listInputApplications(db: Db, f: ListFilter & { fieldId?: string; materialLotId?: string }): Promise<Page<InputApplicationView>> {
  const conds: SQL[] = [];
  if (f.fieldId) conds.push(eq(inputApplications.fieldId, f.fieldId));
  if (f.materialLotId) conds.push(eq(inputApplications.materialLotId, f.materialLotId));
  if (f.q) conds.push(sql`(${inputApplications.materialLotCode} ilike ${`%${f.q}%`} or ${inputApplications.operator} ilike ${`%${f.q}%`})`);
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { appliedOn: inputApplications.appliedOn, safeHarvestOn: inputApplications.safeHarvestOn }, [
    desc(inputApplications.appliedOn),
    desc(inputApplications.createdAt),
  ]);
  const page = await paged(
    db
      .select({ a: inputApplications, fieldCode: fields.code })
      .from(inputApplications)
      .innerJoin(fields, eq(fields.id, inputApplications.fieldId))
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(inputApplications).where(where),
    f,
  );
  const items: InputApplicationView[] = [];
  for (const r of page.items) items.push({ ...r.a, fieldCode: r.fieldCode, materialName: (await getProduct(db, r.a.materialId))?.name ?? '' });
  return { ...page, items };
}

// ---------------------------------------------------------------- harvest
export type HarvestRow = typeof harvests.$inferSelect;
export type HarvestInput = {
  fieldId: string;
  productId: string;
  variety?: string | null;
  quantity: string;
  unit: string;
  harvestedOn: string;
  locationId: string;
  lotCode?: string;
};

/** The pre-harvest-interval gate: the latest safe day over every pesticide application on the field up to the harvest. */
export async function phiBlock(db: Db, fieldId: string, harvestedOn: string): Promise<InputApplicationRow | null> {
  const [row] = await db
    .select()
    .from(inputApplications)
    .where(and(eq(inputApplications.fieldId, fieldId), sql`${inputApplications.appliedOn} <= ${harvestedOn}`, sql`${inputApplications.safeHarvestOn} > ${harvestedOn}`))
    .orderBy(desc(inputApplications.safeHarvestOn))
    .limit(1);
  return row ?? null;
}

/**
 * The field's planting as its seed applications record it (sowing or transplanting is applying a `seed` input): the
 * latest one on or before `day`, and the first one after it. A field with seed applications only after the day was not
 * planted yet on that day; a field without any has no planting on record (nothing to check).
 */
async function plantingBefore(db: Db, fieldId: string, day: string): Promise<{ onOrBefore: string | null; after: string | null }> {
  const [r] = await db
    .select({
      onOrBefore: sql<string | null>`max(${inputApplications.appliedOn}) filter (where ${inputApplications.appliedOn} <= ${day})`,
      after: sql<string | null>`min(${inputApplications.appliedOn}) filter (where ${inputApplications.appliedOn} > ${day})`,
    })
    .from(inputApplications)
    .where(and(eq(inputApplications.fieldId, fieldId), eq(inputApplications.materialType, 'seed')));
  return { onOrBefore: r?.onOrBefore ?? null, after: r?.after ?? null };
}

export async function createHarvest(db: Db, actor: Actor, input: HarvestInput): Promise<HarvestRow & { qualityStatus: string }> {
  const field = await getField(db, input.fieldId);
  const product = await getProduct(db, input.productId);
  if (!product) throw new DomainError('PRODUCT_NOT_FOUND', {}, [{ field: 'productId', code: 'PRODUCT_NOT_FOUND' }]);
  if (product.kind !== 'produce')
    throw new DomainError(QualityErrors.HARVEST_NOT_PRODUCE, { code: product.code }, [
      { field: 'productId', code: QualityErrors.HARVEST_NOT_PRODUCE, params: { code: product.code } },
    ]);
  const quantity = positiveQty(input.quantity);
  // The gate below compares the harvest date with the applications: a harvest dated in the future would pass it.
  const today = businessDate(clock.now());
  if (input.harvestedOn > today) {
    const params = { date: input.harvestedOn, today };
    throw new DomainError(QualityErrors.HARVEST_DATE_IN_FUTURE, params, [{ field: 'harvestedOn', code: QualityErrors.HARVEST_DATE_IN_FUTURE, params }]);
  }
  const planted = await plantingBefore(db, field.id, input.harvestedOn);
  if (planted.after && !planted.onOrBefore) {
    const params = { date: input.harvestedOn, field: field.code, plantedOn: planted.after };
    throw new DomainError(QualityErrors.HARVEST_BEFORE_PLANTING, params, [{ field: 'harvestedOn', code: QualityErrors.HARVEST_BEFORE_PLANTING, params }]);
  }
  const block = await phiBlock(db, field.id, input.harvestedOn);
  if (block) {
    const material = await getProduct(db, block.materialId);
    const params = { field: field.code, material: material?.name ?? block.materialId, appliedOn: block.appliedOn, phiDays: block.phiDays, safeOn: block.safeHarvestOn };
    throw new DomainError(QualityErrors.HARVEST_PHI_NOT_ELAPSED, params, [{ field: 'harvestedOn', code: QualityErrors.HARVEST_PHI_NOT_ELAPSED, params }]);
  }
  const lot = await createLot(db, actor, {
    productId: product.id,
    ...(input.lotCode ? { lotCode: input.lotCode } : {}),
    origin: field.regionCode,
    productionDate: input.harvestedOn,
    harvestDate: input.harvestedOn,
    qualityStatus: 'quarantined',
    sourceType: 'harvest',
    sourceRef: field.code,
    fieldId: field.id,
  });
  const [row] = await db
    .insert(harvests)
    .values({
      fieldId: field.id,
      lotId: lot.id,
      lotCode: lot.lotCode,
      productId: product.id,
      variety: input.variety ?? product.variety,
      quantity: fmtQty(quantity),
      unit: input.unit,
      locationId: input.locationId,
      harvestedOn: input.harvestedOn,
      createdBy: actor.username,
    })
    .returning();
  await receiveStock(db, actor, {
    lotId: lot.id,
    locationId: input.locationId,
    quantity: fmtQty(quantity),
    unit: input.unit,
    reason: 'harvest',
    refType: 'harvest',
    refId: row!.id,
  });
  await recordAudit(db, actor, { action: 'quality.harvest.create', entity: 'quality_harvest', entityId: row!.id, after: row });
  return { ...row!, qualityStatus: 'quarantined' };
}

export async function listHarvests(db: Db, f: ListFilter & { fieldId?: string }): Promise<Page<HarvestRow & { fieldCode: string }>> {
  const conds: SQL[] = [];
  if (f.fieldId) conds.push(eq(harvests.fieldId, f.fieldId));
  if (f.q) conds.push(sql`${harvests.lotCode} ilike ${`%${f.q}%`}`);
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { harvestedOn: harvests.harvestedOn, lotCode: harvests.lotCode }, [desc(harvests.harvestedOn), desc(harvests.createdAt)]);
  const page = await paged(
    db
      .select({ h: harvests, fieldCode: fields.code })
      .from(harvests)
      .innerJoin(fields, eq(fields.id, harvests.fieldId))
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(harvests).where(where),
    f,
  );
  return { ...page, items: page.items.map((r) => ({ ...r.h, fieldCode: r.fieldCode })) };
}

export async function harvestOfLot(db: Db, lotId: string): Promise<HarvestRow | null> {
  const [row] = await db.select().from(harvests).where(eq(harvests.lotId, lotId));
  return row ?? null;
}

export async function harvestsOfLots(db: Db, lotIds: string[]): Promise<HarvestRow[]> {
  if (!lotIds.length) return [];
  return db.select().from(harvests).where(inArray(harvests.lotId, lotIds));
}

export async function harvestsOfField(db: Db, fieldId: string, fromDate?: string): Promise<HarvestRow[]> {
  return db
    .select()
    .from(harvests)
    .where(and(eq(harvests.fieldId, fieldId), fromDate ? sql`${harvests.harvestedOn} >= ${fromDate}` : undefined));
}

/** The id of a quality standard by its code, or null. */
export async function standardIdByCode(db: Db, code: string): Promise<string | null> {
  const [row] = await db.select({ id: standards.id }).from(standards).where(eq(standards.code, code));
  return row?.id ?? null;
}

export async function harvestsBetween(db: Db, from: string, to: string): Promise<HarvestRow[]> {
  return db
    .select()
    .from(harvests)
    .where(sql`${harvests.harvestedOn} between ${from} and ${to}`);
}

export async function applicationsOfFields(db: Db, fieldIds: string[]): Promise<InputApplicationRow[]> {
  if (!fieldIds.length) return [];
  return db.select().from(inputApplications).where(inArray(inputApplications.fieldId, fieldIds)).orderBy(inputApplications.appliedOn);
}

export async function applicationsOfMaterialLot(db: Db, ref: { materialLotId?: string; materialLotCode?: string }): Promise<InputApplicationRow[]> {
  if (ref.materialLotId) return db.select().from(inputApplications).where(eq(inputApplications.materialLotId, ref.materialLotId));
  if (ref.materialLotCode) return db.select().from(inputApplications).where(eq(inputApplications.materialLotCode, ref.materialLotCode));
  return [];
}

// ---------------------------------------------------------------- standards
export type StandardRow = typeof standards.$inferSelect;
export type StandardInput = {
  code: string;
  name: string;
  productId?: string | null;
  checkType?: SourceCheckType | null;
  stages: InspectionStage[];
  parameters: StandardParameter[];
  samplingPlan: SamplingPlan;
};

/** Field-level checks shared by create and update: limits in order, unique parameter codes, a period for periodic plans. */
function standardIssues(input: Pick<StandardInput, 'parameters' | 'samplingPlan'>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  input.parameters.forEach((p, i) => {
    if (p.min !== null) qty(p.min);
    if (p.max !== null) qty(p.max);
    if (p.min !== null && p.max !== null && new Q(p.min).gt(p.max)) issues.push({ field: `parameters.${i}.min`, code: 'FIELD_TOO_BIG', params: { maximum: p.max } });
    if (seen.has(p.code)) issues.push({ field: `parameters.${i}.code`, code: 'DUPLICATE', params: { field: p.code } });
    seen.add(p.code);
  });
  if (input.samplingPlan.mode === 'periodic' && !input.samplingPlan.periodDays) issues.push({ field: 'samplingPlan.periodDays', code: 'FIELD_REQUIRED' });
  return issues;
}

const planOf = (p: SamplingPlan): SamplingPlan => ({ mode: p.mode, sampleSize: p.sampleSize, periodDays: p.mode === 'periodic' ? (p.periodDays ?? null) : null });

export async function createStandard(db: Db, actor: Actor, input: StandardInput): Promise<StandardRow> {
  await assertUnique(db, standards, input.code);
  if (input.productId && !(await getProduct(db, input.productId))) throw new DomainError('PRODUCT_NOT_FOUND', {}, [{ field: 'productId', code: 'PRODUCT_NOT_FOUND' }]);
  const issues = standardIssues(input);
  if (issues.length) throw new DomainError('VALIDATION_FAILED', {}, issues);
  const [row] = await db
    .insert(standards)
    .values({
      code: input.code,
      name: input.name,
      productId: input.productId ?? null,
      checkType: input.checkType ?? null,
      stages: input.stages,
      parameters: input.parameters,
      samplingPlan: planOf(input.samplingPlan),
    })
    .returning();
  await recordAudit(db, actor, { action: 'quality.standard.create', entity: 'quality_standard', entityId: row!.id, after: row });
  return row!;
}

export type StandardUpdate = Partial<Omit<StandardInput, 'code'>> & { active?: boolean };

/**
 * Edits a standard in place (the audit log keeps the before/after of every edit). Signed inspections keep the
 * values and pass/fail they were signed with; the new limits and sampling plan apply from now on. The product
 * and check type cannot change once the standard has inspections.
 */
export async function updateStandard(db: Db, actor: Actor, id: string, input: StandardUpdate): Promise<StandardRow> {
  const before = await getStandard(db, id);
  const productId = input.productId === undefined ? before.productId : input.productId;
  const checkType = input.checkType === undefined ? before.checkType : input.checkType;
  if (productId !== before.productId || checkType !== before.checkType) {
    const [used] = await db.select({ id: inspections.id }).from(inspections).where(eq(inspections.standardId, id)).limit(1);
    if (used)
      throw new DomainError(QualityErrors.QUALITY_STANDARD_IN_USE, { standard: before.code }, [
        { field: productId !== before.productId ? 'productId' : 'checkType', code: QualityErrors.QUALITY_STANDARD_IN_USE, params: { standard: before.code } },
      ]);
    if (productId && !(await getProduct(db, productId))) throw new DomainError('PRODUCT_NOT_FOUND', {}, [{ field: 'productId', code: 'PRODUCT_NOT_FOUND' }]);
  }
  const next = {
    name: input.name ?? before.name,
    productId,
    checkType,
    stages: input.stages ?? before.stages,
    parameters: input.parameters ?? before.parameters,
    samplingPlan: planOf(input.samplingPlan ?? before.samplingPlan),
    active: input.active ?? before.active,
  };
  const issues = standardIssues(next);
  if (issues.length) throw new DomainError('VALIDATION_FAILED', {}, issues);
  const [row] = await db
    .update(standards)
    .set({ ...next, updatedAt: clock.now() })
    .where(eq(standards.id, id))
    .returning();
  await recordAudit(db, actor, { action: 'quality.standard.update', entity: 'quality_standard', entityId: id, before, after: row });
  return row!;
}

export async function getStandard(db: Db, id: string): Promise<StandardRow> {
  const [row] = await db.select().from(standards).where(eq(standards.id, id));
  if (!row) throw new DomainError(QualityErrors.STANDARD_NOT_FOUND, {}, [{ field: 'standardId', code: QualityErrors.STANDARD_NOT_FOUND }]);
  return row;
}

export async function listStandards(db: Db, f: ListFilter & { productId?: string }): Promise<Page<StandardRow>> {
  const conds: SQL[] = [];
  if (f.productId) conds.push(eq(standards.productId, f.productId));
  if (f.q) conds.push(sql`(${standards.code} ilike ${`%${f.q}%`} or ${standards.name} ilike ${`%${f.q}%`})`);
  const where = conds.length ? and(...conds) : undefined;
  return paged(
    db
      .select()
      .from(standards)
      .where(where)
      .orderBy(...orderByOf(f.sort, { code: standards.code, name: standards.name }, [sql`${standards.code} asc`]))
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(standards).where(where),
    f,
  );
}

// ---------------------------------------------------------------- inspections
export type InspectionRow = typeof inspections.$inferSelect;
export type InspectionInput = {
  stage: InspectionStage;
  standardId: string;
  lotId?: string | null;
  fieldId?: string | null;
  inspectedOn: string;
  validUntil?: string | null;
  sampleSize?: number;
  values: { code: string; value: unknown }[];
  labReportNo?: string | null;
  attachments?: Attachment[];
  note?: string | null;
  sign?: boolean;
};

/** Checks each measured value's type against its parameter and computes pass/fail from the limits. */
export function evaluateValues(
  params: StandardParameter[],
  values: { code: string; value: unknown }[],
): { values: MeasuredValue[]; result: 'pass' | 'fail'; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const out: MeasuredValue[] = [];
  const byCode = new Map(values.map((v, i) => [v.code, { v, i }]));
  values.forEach((v, i) => {
    if (!params.some((p) => p.code === v.code)) issues.push({ field: `values.${i}.code`, code: 'FIELD_UNKNOWN' });
  });
  params.forEach((p) => {
    const hit = byCode.get(p.code);
    if (!hit) {
      issues.push({ field: `values.${p.code}`, code: 'FIELD_REQUIRED' });
      return;
    }
    const path = `values.${hit.i}.value`;
    const raw = hit.v.value;
    if (p.type === 'number') {
      const s = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : null;
      if (s === null || !/^-?\d{1,11}(\.\d{1,6})?$/.test(s)) {
        issues.push({ field: path, code: 'FIELD_INVALID_TYPE', params: { expected: 'number' } });
        return;
      }
      const n = new Q(s);
      const pass = (p.min === null || n.gte(p.min)) && (p.max === null || n.lte(p.max));
      out.push({ code: p.code, value: s, pass });
    } else if (p.type === 'grade') {
      if (typeof raw !== 'string' || !raw.trim()) {
        issues.push({ field: path, code: 'FIELD_INVALID_TYPE', params: { expected: 'string' } });
        return;
      }
      out.push({ code: p.code, value: raw.trim(), pass: p.allowed.length === 0 || p.allowed.includes(raw.trim()) });
    } else {
      if (typeof raw !== 'boolean') {
        issues.push({ field: path, code: 'FIELD_INVALID_TYPE', params: { expected: 'boolean' } });
        return;
      }
      out.push({ code: p.code, value: raw, pass: raw });
    }
  });
  return { values: out, result: out.every((v) => v.pass) ? 'pass' : 'fail', issues };
}

export async function createInspection(db: Db, actor: Actor, input: InspectionInput): Promise<InspectionRow> {
  const standard = await getStandard(db, input.standardId);
  if (input.stage === 'source') {
    if (!input.fieldId) throw new DomainError(QualityErrors.INSPECTION_TARGET_REQUIRED, {}, [{ field: 'fieldId', code: 'FIELD_REQUIRED' }]);
    if (!standard.checkType) throw new DomainError(QualityErrors.INSPECTION_STANDARD_MISMATCH, {}, [{ field: 'standardId', code: QualityErrors.INSPECTION_STANDARD_MISMATCH }]);
    await getField(db, input.fieldId);
  } else {
    if (!input.lotId) throw new DomainError(QualityErrors.INSPECTION_TARGET_REQUIRED, {}, [{ field: 'lotId', code: 'FIELD_REQUIRED' }]);
    const lot = await getLot(db, input.lotId);
    if (!lot) throw new DomainError('LOT_NOT_FOUND', {}, [{ field: 'lotId', code: 'LOT_NOT_FOUND' }]);
    if (standard.productId && standard.productId !== lot.productId)
      throw new DomainError(QualityErrors.INSPECTION_STANDARD_MISMATCH, {}, [{ field: 'standardId', code: QualityErrors.INSPECTION_STANDARD_MISMATCH }]);
  }
  const evald = evaluateValues(standard.parameters, input.values);
  if (evald.issues.length) throw new DomainError('VALIDATION_FAILED', {}, evald.issues);
  const sampleSize = input.sampleSize ?? standard.samplingPlan.sampleSize;
  assertSampleSize(standard, sampleSize);
  const [row] = await db
    .insert(inspections)
    .values({
      number: await nextDocNumber(db, 'QC', clock.now()),
      stage: input.stage,
      standardId: standard.id,
      lotId: input.stage === 'source' ? null : (input.lotId ?? null),
      fieldId: input.stage === 'source' ? (input.fieldId ?? null) : null,
      checkType: input.stage === 'source' ? standard.checkType : null,
      inspectedOn: input.inspectedOn,
      validUntil: input.validUntil ?? null,
      sampleSize,
      values: evald.values,
      result: evald.result,
      labReportNo: input.labReportNo ?? null,
      attachments: input.attachments ?? [],
      note: input.note ?? null,
      createdBy: actor.username,
    })
    .returning();
  await recordInitialState(db, actor, inspectionMachine, row!.id);
  await recordAudit(db, actor, { action: 'quality.inspection.create', entity: 'quality_inspection', entityId: row!.id, after: row });
  if (input.sign) return signInspection(db, actor, row!.id);
  return row!;
}

const PLAN_CODES = new Set<string>([QualityErrors.QUALITY_LOT_INSPECTION_REQUIRED, QualityErrors.QUALITY_PERIODIC_INSPECTION_DUE]);

/** The sampling plan's sample size is a minimum: one inspection records one sample size for all its values. */
function assertSampleSize(standard: StandardRow, given: number): void {
  const required = standard.samplingPlan.sampleSize;
  if (given < required) {
    const params = { standard: standard.code, required, given };
    throw new DomainError(QualityErrors.QUALITY_SAMPLE_TOO_SMALL, params, [{ field: 'sampleSize', code: 'FIELD_TOO_SMALL', params: { minimum: required } }]);
  }
}

export async function getInspection(db: Db, id: string): Promise<InspectionRow> {
  const [row] = await db.select().from(inspections).where(eq(inspections.id, id));
  if (!row) throw new DomainError(QualityErrors.INSPECTION_NOT_FOUND);
  return row;
}

/**
 * Signs an inspection (quality:inspect only) and lets the result drive the lot:
 * a fail holds the lot and opens a non-conformance; a pass releases a quarantined lot.
 */
export async function signInspection(db: Db, actor: Actor, id: string): Promise<InspectionRow> {
  assertCan(actor, 'quality:inspect');
  const before = await getInspection(db, id);
  if (!canTransition(inspectionMachine, before.status, 'sign')) throw new DomainError(QualityErrors.INSPECTION_ALREADY_SIGNED);
  assertSampleSize(await getStandard(db, before.standardId), before.sampleSize);
  // Signed first, so the release guard (sampling plans) sees this inspection; all in one transaction. The status is
  // written only over the status the transition was checked from.
  const to = await transition(db, actor, inspectionMachine, { id, from: before.status, event: 'sign', data: { result: before.result } });
  const [signed] = await db
    .update(inspections)
    .set({ status: to, signedBy: actor.displayName, signedById: actor.userId, signedAt: clock.now() })
    .where(and(eq(inspections.id, id), eq(inspections.status, before.status)))
    .returning();
  if (!signed) throw new DomainError('CONFLICT');
  let decision: string | null = null;
  if (before.lotId) {
    const lot = await getLot(db, before.lotId);
    if (!lot) throw new DomainError('LOT_NOT_FOUND');
    if (before.result === 'fail' && (lot.qualityStatus === 'quarantined' || lot.qualityStatus === 'released')) {
      await changeLotStatus(db, actor, lot.id, 'hold', { reason: `inspection ${before.number} failed` });
      decision = 'hold';
    } else if (before.result === 'pass' && lot.qualityStatus === 'quarantined') {
      try {
        await changeLotStatus(db, actor, lot.id, 'release', { reason: `inspection ${before.number} passed` });
        decision = 'release';
      } catch (e) {
        // Another standard of the product still waits for its inspection: signed, the lot stays quarantined.
        if (!(e instanceof DomainError && PLAN_CODES.has(e.code))) throw e;
      }
    }
  }
  const row = decision ? (await db.update(inspections).set({ lotDecision: decision }).where(eq(inspections.id, id)).returning())[0]! : signed;
  if (row.result === 'fail') {
    const standard = await getStandard(db, row.standardId);
    const failed = row.values
      .filter((v) => !v.pass)
      .map((v) => {
        const p = standard.parameters.find((x) => x.code === v.code);
        return `${p?.name ?? v.code}=${String(v.value)}${p?.unit ?? ''}`;
      })
      .join('; ');
    await createNonConformance(db, actor, { inspectionId: row.id, lotId: row.lotId, fieldId: row.fieldId, description: `${row.number}: ${failed}` });
  }
  await recordAudit(db, actor, {
    action: 'quality.inspection.sign',
    entity: 'quality_inspection',
    entityId: id,
    before: { status: before.status },
    after: { status: 'signed', result: row.result, lotDecision: decision },
  });
  await emit({ type: 'inspection.signed', db, actor, inspection: row });
  return row;
}

export type InspectionView = InspectionRow & { standardName: string };

export async function listInspections(
  db: Db,
  f: ListFilter & { lotId?: string; fieldId?: string; stage?: InspectionStage; result?: 'pass' | 'fail' },
): Promise<Page<InspectionView>> {
  const conds: SQL[] = [];
  if (f.lotId) conds.push(eq(inspections.lotId, f.lotId));
  if (f.fieldId) conds.push(eq(inspections.fieldId, f.fieldId));
  if (f.stage) conds.push(eq(inspections.stage, f.stage));
  if (f.result) conds.push(eq(inspections.result, f.result));
  if (f.q) conds.push(sql`${inspections.number} ilike ${`%${f.q}%`}`);
  const where = conds.length ? and(...conds) : undefined;
  const page = await paged(
    db
      .select({ i: inspections, standardName: standards.name })
      .from(inspections)
      .innerJoin(standards, eq(standards.id, inspections.standardId))
      .where(where)
      .orderBy(...orderByOf(f.sort, { inspectedOn: inspections.inspectedOn, number: inspections.number }, [desc(inspections.createdAt)]))
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(inspections).where(where),
    f,
  );
  return { ...page, items: page.items.map((r) => ({ ...r.i, standardName: r.standardName })) };
}

/** Signed, passed inspections of the lots (for the public trace page and backward trace). */
export async function inspectionsOfLots(db: Db, lotIds: string[]): Promise<InspectionRow[]> {
  if (!lotIds.length) return [];
  return db
    .select()
    .from(inspections)
    .where(and(inArray(inspections.lotId, lotIds), eq(inspections.status, 'signed')))
    .orderBy(inspections.inspectedOn);
}

export async function sourceChecksOfFields(db: Db, fieldIds: string[]): Promise<InspectionRow[]> {
  if (!fieldIds.length) return [];
  return db
    .select()
    .from(inspections)
    .where(and(inArray(inspections.fieldId, fieldIds), eq(inspections.status, 'signed')))
    .orderBy(inspections.inspectedOn);
}

export async function fieldsByIds(db: Db, ids: string[]): Promise<(FieldRow & { baseName: string })[]> {
  if (!ids.length) return [];
  const rows = await db.select({ f: fields, baseName: bases.name }).from(fields).innerJoin(bases, eq(bases.id, fields.baseId)).where(inArray(fields.id, ids));
  return rows.map((r) => ({ ...r.f, baseName: r.baseName }));
}

// ---------------------------------------------------------------- lot decisions
export type LotDecisionInput = { event: 'release' | 'hold' | 'reject'; reason: string; disposition?: Disposition };

/** QC decides a lot: release (source checks must be valid), hold, or reject with a disposition. */
export async function decideLot(db: Db, actor: Actor, lotId: string, input: LotDecisionInput): Promise<{ lotId: string; qualityStatus: string }> {
  assertCan(actor, 'quality:inspect');
  const lot = await getLot(db, lotId);
  if (!lot) throw new DomainError('LOT_NOT_FOUND');
  if (input.event === 'reject' && !input.disposition) throw new DomainError(QualityErrors.DISPOSITION_REQUIRED, {}, [{ field: 'disposition', code: 'FIELD_REQUIRED' }]);
  await changeLotStatus(db, actor, lotId, input.event, { reason: input.reason, ...(input.disposition ? { disposition: input.disposition } : {}) });
  await recordAudit(db, actor, { action: `quality.lot.${input.event}`, entity: 'lot', entityId: lotId, before: { qualityStatus: lot.qualityStatus }, after: input });
  const after = await getLot(db, lotId);
  return { lotId, qualityStatus: after?.qualityStatus ?? lot.qualityStatus };
}

// ---------------------------------------------------------------- non-conformances
export type NcRow = typeof nonConformances.$inferSelect;
export type NcInput = {
  inspectionId?: string | null;
  lotId?: string | null;
  fieldId?: string | null;
  description: string;
  correctiveAction?: string | null;
  owner?: string | null;
  dueOn?: string | null;
};

export async function createNonConformance(db: Db, actor: Actor, input: NcInput): Promise<NcRow> {
  const [row] = await db
    .insert(nonConformances)
    .values({
      number: await nextDocNumber(db, 'NC', clock.now()),
      inspectionId: input.inspectionId ?? null,
      lotId: input.lotId ?? null,
      fieldId: input.fieldId ?? null,
      description: input.description,
      correctiveAction: input.correctiveAction ?? null,
      owner: input.owner ?? null,
      dueOn: input.dueOn ?? null,
    })
    .returning();
  await recordInitialState(db, actor, nonConformanceMachine, row!.id);
  await recordAudit(db, actor, { action: 'quality.nc.create', entity: 'quality_nc', entityId: row!.id, after: row });
  return row!;
}

export async function updateNonConformance(
  db: Db,
  actor: Actor,
  id: string,
  input: { correctiveAction?: string | null; owner?: string | null; dueOn?: string | null; close?: boolean; closedNote?: string | null },
): Promise<NcRow> {
  const [before] = await db.select().from(nonConformances).where(eq(nonConformances.id, id));
  if (!before) throw new DomainError(QualityErrors.NC_NOT_FOUND);
  // An open non-conformance may be edited; closing it is its one transition (a closed one is neither edited nor closed again).
  if (!canTransition(nonConformanceMachine, before.status, 'close')) throw new DomainError(QualityErrors.NC_ALREADY_CLOSED);
  const to = input.close ? await transition(db, actor, nonConformanceMachine, { id, from: before.status, event: 'close', reason: input.closedNote ?? null }) : before.status;
  const [row] = await db
    .update(nonConformances)
    .set({
      correctiveAction: input.correctiveAction === undefined ? before.correctiveAction : input.correctiveAction,
      owner: input.owner === undefined ? before.owner : input.owner,
      dueOn: input.dueOn === undefined ? before.dueOn : input.dueOn,
      ...(input.close ? { status: to, closedAt: clock.now(), closedNote: input.closedNote ?? null } : {}),
    })
    .where(and(eq(nonConformances.id, id), eq(nonConformances.status, before.status)))
    .returning();
  if (!row) throw new DomainError('CONFLICT');
  await recordAudit(db, actor, { action: input.close ? 'quality.nc.close' : 'quality.nc.update', entity: 'quality_nc', entityId: id, before, after: row });
  return row!;
}

export async function listNonConformances(db: Db, f: ListFilter & { status?: 'open' | 'closed'; lotId?: string }): Promise<Page<NcRow>> {
  const conds: SQL[] = [];
  if (f.status) conds.push(eq(nonConformances.status, f.status));
  if (f.lotId) conds.push(eq(nonConformances.lotId, f.lotId));
  if (f.q) conds.push(sql`(${nonConformances.number} ilike ${`%${f.q}%`} or ${nonConformances.description} ilike ${`%${f.q}%`})`);
  const where = conds.length ? and(...conds) : undefined;
  return paged(
    db
      .select()
      .from(nonConformances)
      .where(where)
      .orderBy(...orderByOf(f.sort, { number: nonConformances.number, dueOn: nonConformances.dueOn, createdAt: nonConformances.createdAt }, [desc(nonConformances.createdAt)]))
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(nonConformances).where(where),
    f,
  );
}
