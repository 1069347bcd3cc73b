import { and, asc, count, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { codeLabel } from '../../platform/i18n/codes.js';
import { assertCan, customerScope, type Actor } from '../../platform/auth/actor.js';
import { auditInsertFromSqlTemplate, auditRowValues, auditRowsSql, auditValues, recordAudit, type AuditEntry } from '../../platform/audit/audit.service.js';
import { businessDate, clock } from '../../platform/clock.js';
import { inTransaction, isRetryable, queryRows, statement, type Db } from '../../platform/db/client.js';
import { newId } from '../../platform/db/columns.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError, errorMessage } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import { fmtQty, positiveQty, Q, qty, type Qty } from '../../platform/quantity.js';
import { historyOf, recordInitialState, transition } from '../../platform/state-machine.js';
import { convertQuantity, getProduct, getProducts, toBaseQuantity, type ProductInfo } from '../catalog/index.js';
import { InventoryErrors } from './inventory.errors.js';
import { emitLotEvent, runLotStatusGuards } from './inventory.events.js';
import {
  locations,
  lots,
  reservations,
  stockBalances,
  stockLedger,
  warehouses,
  type LotSource,
  type LotStatus,
  type MovementKind,
  type ReservationStatus,
  type TempZone,
} from './inventory.tables.js';
import { lotMachine, type LotEvent } from './lots.states.js';
import { afterFefoSql, allocatableSql, allocateFefo, fefoKeySql, fefoOrderSql, lotRefusal, reservationCutoff, usableLotSql } from './fefo.js';
import { reservationsOfCustomerSql } from './reservation-owners.js';

// ---------------------------------------------------------------- helpers

/** Adds days to a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function today(): string {
  return businessDate(clock.now());
}

function fieldError(code: string, field: string, params: Record<string, unknown> = {}): DomainError {
  return new DomainError(code, params, [{ field, code, params }]);
}

/** Parses a positive quantity, naming the field on failure. */
function positive(value: string, field = 'quantity'): Qty {
  try {
    return positiveQty(value);
  } catch (err) {
    if (err instanceof DomainError) throw new DomainError(err.code, err.params, [{ field, code: err.code, params: err.params }]);
    throw err;
  }
}

async function productOrThrow(db: Db, productId: string, field = 'productId'): Promise<ProductInfo> {
  const p = await getProduct(db, productId);
  if (!p) throw fieldError('PRODUCT_NOT_FOUND_REF', field, { productId });
  return p;
}

/** Converts a positive entered quantity to the product's base unit (exact, or UNIT_NOT_CONVERTIBLE / QUANTITY_INEXACT). */
async function toBase(db: Db, productId: string, quantity: string, unit: string): Promise<Qty> {
  positive(quantity);
  try {
    return qty(await toBaseQuantity(db, productId, quantity, unit));
  } catch (err) {
    if (err instanceof DomainError && !err.fields.length)
      throw new DomainError(err.code, err.params, [{ field: err.code === 'UNIT_NOT_CONVERTIBLE' ? 'unit' : 'quantity', code: err.code, params: err.params }]);
    throw err;
  }
}

/** toBase() for an already loaded product (no query). */
function toBaseOf(product: ProductInfo, quantity: string, unit: string): Qty {
  positive(quantity);
  try {
    return qty(convertQuantity(product, quantity, unit, product.baseUnit));
  } catch (err) {
    if (err instanceof DomainError && !err.fields.length)
      throw new DomainError(err.code, err.params, [{ field: err.code === 'UNIT_NOT_CONVERTIBLE' ? 'unit' : 'quantity', code: err.code, params: err.params }]);
    throw err;
  }
}

// ---------------------------------------------------------------- warehouses and locations

export type WarehouseView = { id: string; code: string; name: string; tempZones: string[]; address: string | null; active: boolean; locationCount: number; createdAt: Date };
export type LocationView = { id: string; warehouseId: string; warehouseCode: string; code: string; zone: TempZone; active: boolean; createdAt: Date };

export async function createWarehouse(db: Db, actor: Actor, input: { code: string; name: string; tempZones: TempZone[]; address?: string | null }): Promise<WarehouseView> {
  const code = input.code.trim().toUpperCase();
  const [taken] = await db.select({ id: warehouses.id }).from(warehouses).where(eq(warehouses.code, code));
  if (taken) throw fieldError(InventoryErrors.WAREHOUSE_CODE_TAKEN, 'code', { code });
  const [row] = await db
    .insert(warehouses)
    .values({ code, name: input.name.trim(), tempZones: [...new Set(input.tempZones)], address: input.address ?? null })
    .returning();
  await recordAudit(db, actor, { action: 'warehouse.create', entity: 'warehouse', entityId: row!.id, after: row });
  return { ...row!, locationCount: 0 };
}

export async function updateWarehouse(
  db: Db,
  actor: Actor,
  id: string,
  input: { name?: string; tempZones?: TempZone[]; address?: string | null; active?: boolean },
): Promise<WarehouseView> {
  const [before] = await db.select().from(warehouses).where(eq(warehouses.id, id));
  if (!before) throw new DomainError(InventoryErrors.WAREHOUSE_NOT_FOUND);
  const [row] = await db
    .update(warehouses)
    .set({
      name: input.name?.trim() ?? before.name,
      tempZones: input.tempZones ? [...new Set(input.tempZones)] : before.tempZones,
      address: input.address === undefined ? before.address : input.address,
      active: input.active ?? before.active,
      updatedAt: clock.now(),
    })
    .where(eq(warehouses.id, id))
    .returning();
  await recordAudit(db, actor, { action: 'warehouse.update', entity: 'warehouse', entityId: id, before, after: row });
  const [n] = await db.select({ n: count() }).from(locations).where(eq(locations.warehouseId, id));
  return { ...row!, locationCount: n?.n ?? 0 };
}

export async function listWarehouses(db: Db, f: { q?: string; active?: boolean; page: number; pageSize: number; sort?: string }): Promise<Page<WarehouseView>> {
  const conds: SQL[] = [];
  if (f.q) conds.push(sql`(${warehouses.code} ilike ${`%${f.q}%`} or ${warehouses.name} ilike ${`%${f.q}%`})`);
  if (f.active !== undefined) conds.push(eq(warehouses.active, f.active));
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { code: warehouses.code, name: warehouses.name, createdAt: warehouses.createdAt }, [asc(warehouses.code)]);
  const [rows, total] = await Promise.all([
    db
      .select({ w: warehouses, locationCount: sql<number>`(select count(*)::int from locations l where l.warehouse_id = ${warehouses.id})` })
      .from(warehouses)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(warehouses).where(where),
  ]);
  return { items: rows.map((r) => ({ ...r.w, locationCount: Number(r.locationCount) })), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

export async function createLocation(db: Db, actor: Actor, input: { warehouseId: string; code: string; zone: TempZone }): Promise<LocationView> {
  const [wh] = await db.select().from(warehouses).where(eq(warehouses.id, input.warehouseId));
  if (!wh) throw fieldError(InventoryErrors.WAREHOUSE_NOT_FOUND, 'warehouseId');
  if (!wh.tempZones.includes(input.zone)) throw fieldError(InventoryErrors.LOCATION_ZONE_INVALID, 'zone', { zone: input.zone });
  const code = input.code.trim().toUpperCase();
  const [taken] = await db
    .select({ id: locations.id })
    .from(locations)
    .where(and(eq(locations.warehouseId, wh.id), eq(locations.code, code)));
  if (taken) throw fieldError(InventoryErrors.LOCATION_CODE_TAKEN, 'code', { code });
  const [row] = await db.insert(locations).values({ warehouseId: wh.id, code, zone: input.zone }).returning();
  await recordAudit(db, actor, { action: 'location.create', entity: 'location', entityId: row!.id, after: row });
  return { ...row!, warehouseCode: wh.code };
}

export async function setLocationActive(db: Db, actor: Actor, id: string, active: boolean): Promise<LocationView> {
  const loc = await loadLocation(db, id);
  const [row] = await db.update(locations).set({ active }).where(eq(locations.id, id)).returning();
  await recordAudit(db, actor, { action: active ? 'location.enable' : 'location.disable', entity: 'location', entityId: id, before: { active: loc.active }, after: { active } });
  return { ...row!, warehouseCode: loc.warehouseCode };
}

export async function listLocations(
  db: Db,
  f: { warehouseId?: string; zone?: string; q?: string; active?: boolean; page: number; pageSize: number; sort?: string },
): Promise<Page<LocationView>> {
  const conds: SQL[] = [];
  if (f.warehouseId) conds.push(eq(locations.warehouseId, f.warehouseId));
  if (f.zone) conds.push(sql`${locations.zone} = ${f.zone}`);
  if (f.active !== undefined) conds.push(eq(locations.active, f.active));
  if (f.q) conds.push(sql`${locations.code} ilike ${`%${f.q}%`}`);
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { code: locations.code, zone: locations.zone, warehouse: warehouses.code }, [asc(warehouses.code), asc(locations.code)]);
  const [rows, total] = await Promise.all([
    db
      .select({ l: locations, warehouseCode: warehouses.code })
      .from(locations)
      .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(locations).where(where),
  ]);
  return { items: rows.map((r) => ({ ...r.l, warehouseCode: r.warehouseCode })), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

type LocationRow = typeof locations.$inferSelect & { warehouseCode: string };

async function loadLocation(db: Db, id: string, field = 'locationId'): Promise<LocationRow> {
  const [r] = await db
    .select({ l: locations, warehouseCode: warehouses.code })
    .from(locations)
    .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
    .where(eq(locations.id, id));
  if (!r) throw fieldError(InventoryErrors.LOCATION_NOT_FOUND, field);
  return { ...r.l, warehouseCode: r.warehouseCode };
}

function assertLocationInWarehouse(loc: LocationRow, warehouseId: string | undefined, field: string): void {
  if (warehouseId && loc.warehouseId !== warehouseId) throw fieldError(InventoryErrors.LOCATION_WAREHOUSE_MISMATCH, field, { location: loc.code });
}

// ---------------------------------------------------------------- lots

export type LotInfo = {
  id: string;
  productId: string;
  lotCode: string;
  origin: string | null;
  productionDate: string;
  harvestDate: string | null;
  expiryDate: string;
  qualityStatus: LotStatus;
  sourceType: LotSource;
  sourceRef: string | null;
  fieldId: string | null;
  platformTraceCode: string | null;
  disposition: string | null;
  expired: boolean;
  createdAt: Date;
};

type LotRow = typeof lots.$inferSelect;

function lotInfo(r: LotRow): LotInfo {
  return {
    id: r.id,
    productId: r.productId,
    lotCode: r.lotCode,
    origin: r.origin,
    productionDate: r.productionDate,
    harvestDate: r.harvestDate,
    expiryDate: r.expiryDate,
    qualityStatus: r.qualityStatus,
    sourceType: r.sourceType,
    sourceRef: r.sourceRef,
    fieldId: r.fieldId,
    platformTraceCode: r.platformTraceCode,
    disposition: r.disposition,
    expired: r.expiryDate < today(),
    createdAt: r.createdAt,
  };
}

export type CreateLotInput = {
  productId: string;
  lotCode?: string;
  origin?: string | null;
  productionDate: string;
  harvestDate?: string | null;
  expiryDate?: string;
  qualityStatus?: 'quarantined' | 'released';
  sourceType: LotSource;
  sourceRef?: string | null;
  fieldId?: string | null;
  platformTraceCode?: string | null;
};

/** Creates a lot; the expiry date comes from the product's shelf life unless given. */
export async function createLot(db: Db, actor: Actor, input: CreateLotInput): Promise<LotInfo> {
  const product = await productOrThrow(db, input.productId);
  let expiryDate = input.expiryDate;
  if (!expiryDate) {
    if (product.shelfLifeDays === null || product.shelfLifeDays === undefined) throw fieldError(InventoryErrors.LOT_EXPIRY_REQUIRED, 'expiryDate');
    expiryDate = addDays(input.productionDate, product.shelfLifeDays);
  }
  if (expiryDate < input.productionDate) throw fieldError(InventoryErrors.LOT_DATES_INVALID, 'expiryDate');
  const lotCode = input.lotCode?.trim() || (await nextDocNumber(db, 'LOT', clock.now()));
  const [taken] = await db
    .select({ id: lots.id })
    .from(lots)
    .where(and(eq(lots.productId, product.id), eq(lots.lotCode, lotCode)));
  if (taken) throw fieldError(InventoryErrors.LOT_CODE_TAKEN, 'lotCode', { lotCode });
  const status = input.qualityStatus ?? 'quarantined';
  const [row] = await db
    .insert(lots)
    .values({
      productId: product.id,
      lotCode,
      origin: input.origin ?? product.originRegion ?? null,
      productionDate: input.productionDate,
      harvestDate: input.harvestDate ?? null,
      expiryDate,
      qualityStatus: status,
      sourceType: input.sourceType,
      sourceRef: input.sourceRef ?? null,
      fieldId: input.fieldId ?? null,
      platformTraceCode: input.platformTraceCode ?? null,
      createdBy: actor.username,
    })
    .returning();
  // A lot created as released passes the same release gates as a quarantined lot being released (quality's source
  // checks and sampling plans): creating it released is not a way around them. The insert rolls back when refused.
  if (status === 'released') await runLotStatusGuards(db, { id: row!.id, productId: product.id, fromStatus: 'quarantined' }, 'release');
  await recordInitialState(db, actor, lotMachine, row!.id, status);
  await recordAudit(db, actor, { action: 'lot.create', entity: 'lot', entityId: row!.id, after: row });
  await emitLotEvent({ type: 'lot.created', lotId: row!.id, productId: product.id, at: clock.now(), db, actor });
  return lotInfo(row!);
}

export async function getLot(db: Db, id: string): Promise<LotInfo | null> {
  const [r] = await db.select().from(lots).where(eq(lots.id, id));
  return r ? lotInfo(r) : null;
}

export async function getLots(db: Db, ids: string[]): Promise<Map<string, LotInfo>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select()
    .from(lots)
    .where(inArray(lots.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, lotInfo(r)]));
}

async function loadLot(db: Db, id: string, field = 'lotId', forUpdate = false): Promise<LotRow> {
  const q = db.select().from(lots).where(eq(lots.id, id));
  const [r] = forUpdate ? await q.for('update') : await q;
  if (!r) throw fieldError(InventoryErrors.LOT_NOT_FOUND, field);
  return r;
}

/** The one check every reserve/pick/issue/ship path runs: the lot must be released and not expired. */
export function assertLotUsable(lot: Pick<LotRow, 'lotCode' | 'qualityStatus' | 'expiryDate'>, onDate: string = today(), field = 'lotId', minRemainingShelfLifeDays = 0): void {
  const why = lotRefusal(lot, onDate, minRemainingShelfLifeDays);
  if (why === 'not_released') throw fieldError(InventoryErrors.LOT_NOT_RELEASED, field, { lotCode: lot.lotCode, status: lot.qualityStatus });
  if (why === 'expired') throw fieldError(InventoryErrors.LOT_EXPIRED, field, { lotCode: lot.lotCode, expiryDate: lot.expiryDate });
  if (why === 'shelf_life') throw fieldError(InventoryErrors.LOT_SHELF_LIFE_TOO_SHORT, field, { lotCode: lot.lotCode, days: minRemainingShelfLifeDays });
}

/** Moves a lot through its quality-status machine (quality module and the lots:status endpoint). */
export async function changeLotStatus(
  db: Db,
  actor: Actor,
  lotId: string,
  event: LotEvent,
  opts: { reason: string; disposition?: 'rework' | 'downgrade' | 'destroy' },
): Promise<LotInfo> {
  if (!opts.reason?.trim()) throw fieldError('FIELD_REQUIRED', 'reason');
  const lot = await loadLot(db, lotId, 'lotId', true);
  await runLotStatusGuards(db, { id: lot.id, productId: lot.productId, fromStatus: lot.qualityStatus }, event);
  const to = await transition(db, actor, lotMachine, {
    id: lot.id,
    from: lot.qualityStatus,
    event,
    reason: opts.reason.trim(),
    data: opts.disposition ? { disposition: opts.disposition } : null,
  });
  const [row] = await db
    .update(lots)
    .set({ qualityStatus: to, disposition: event === 'reject' ? (opts.disposition ?? null) : lot.disposition, updatedAt: clock.now() })
    .where(and(eq(lots.id, lot.id), eq(lots.qualityStatus, lot.qualityStatus)))
    .returning();
  if (!row) throw new DomainError('CONFLICT');
  await recordAudit(db, actor, {
    action: `lot.${event}`,
    entity: 'lot',
    entityId: lot.id,
    before: { qualityStatus: lot.qualityStatus },
    after: { qualityStatus: to, reason: opts.reason, disposition: opts.disposition ?? null },
  });
  await emitLotEvent({ type: 'lot.status', lotId: lot.id, productId: lot.productId, at: clock.now(), db, actor, fromStatus: lot.qualityStatus, toStatus: to, reason: opts.reason });
  return lotInfo(row);
}

export async function lotStatusHistory(db: Db, lotId: string) {
  return historyOf(db, lotMachine.entity, lotId);
}

export type LotBalance = { locationId: string; locationCode: string; warehouseId: string; warehouseCode: string; zone: string; onHand: string; reserved: string };

export async function lotBalances(db: Db, lotId: string): Promise<LotBalance[]> {
  const rows = await db
    .select({ b: stockBalances, locationCode: locations.code, zone: locations.zone, warehouseCode: warehouses.code })
    .from(stockBalances)
    .innerJoin(locations, eq(locations.id, stockBalances.locationId))
    .innerJoin(warehouses, eq(warehouses.id, stockBalances.warehouseId))
    .where(eq(stockBalances.lotId, lotId))
    .orderBy(asc(warehouses.code), asc(locations.code));
  return rows.map((r) => ({
    locationId: r.b.locationId,
    locationCode: r.locationCode,
    warehouseId: r.b.warehouseId,
    warehouseCode: r.warehouseCode,
    zone: r.zone,
    onHand: fmtQty(r.b.onHand),
    reserved: fmtQty(r.b.reserved),
  }));
}

// ---------------------------------------------------------------- ledger and balances

type Leg = {
  movementId: string;
  kind: MovementKind;
  lot: LotRow;
  location: LocationRow;
  /** Signed change of on-hand, base unit. */
  delta: Qty;
  /** Change of the reserved quantity (consumption of reservations: negative). */
  reservedDelta?: Qty;
  /** 'free': what is taken must be unreserved stock; 'nonneg': only on hand ≥ 0 (stocktake corrections). */
  guard: 'free' | 'nonneg';
  baseUnit: string;
  entered: { quantity: Qty; unit: string };
  reason?: string | null;
  refType?: string | null;
  refId?: string | null;
};

async function freeOf(db: Db, lotId: string, locationId: string): Promise<string> {
  const [b] = await db
    .select({ onHand: stockBalances.onHand, reserved: stockBalances.reserved })
    .from(stockBalances)
    .where(and(eq(stockBalances.lotId, lotId), eq(stockBalances.locationId, locationId)));
  if (!b) return '0.000';
  return fmtQty(Q.max(new Q(b.onHand).minus(b.reserved), 0));
}

/** Writes one ledger row and applies it to the cached balance, atomically guarded against going negative. */
async function postLeg(db: Db, actor: Actor, leg: Leg): Promise<string> {
  const dRes = leg.reservedDelta ?? new Q(0);
  const d = leg.delta.toFixed(3);
  const r = dRes.toFixed(3);
  const now = clock.now();
  if (leg.delta.gt(0) && dRes.eq(0)) {
    await db
      .insert(stockBalances)
      .values({ productId: leg.lot.productId, lotId: leg.lot.id, locationId: leg.location.id, warehouseId: leg.location.warehouseId, onHand: d, reserved: '0', updatedAt: now })
      .onConflictDoUpdate({ target: [stockBalances.lotId, stockBalances.locationId], set: { onHand: sql`${stockBalances.onHand} + ${d}::numeric`, updatedAt: now } });
  } else {
    // 'free': the part not covered by consumed reservations (−d + r) must fit in the unreserved stock.
    const guard =
      leg.guard === 'free'
        ? sql`${stockBalances.onHand} + ${d}::numeric >= 0 and (${r}::numeric - ${d}::numeric) <= greatest(${stockBalances.onHand} - ${stockBalances.reserved}, 0)`
        : sql`${stockBalances.onHand} + ${d}::numeric >= 0`;
    const rows = await db
      .update(stockBalances)
      .set({ onHand: sql`${stockBalances.onHand} + ${d}::numeric`, reserved: sql`${stockBalances.reserved} + ${r}::numeric`, updatedAt: now })
      .where(and(eq(stockBalances.lotId, leg.lot.id), eq(stockBalances.locationId, leg.location.id), guard, sql`${stockBalances.reserved} + ${r}::numeric >= 0`))
      .returning({ lotId: stockBalances.lotId });
    if (!rows.length) {
      const available = leg.guard === 'free' ? await freeOf(db, leg.lot.id, leg.location.id) : fmtQty((await onHandOf(db, leg.lot.id, leg.location.id)) ?? '0');
      throw fieldError(InventoryErrors.INVENTORY_INSUFFICIENT, 'quantity', { requested: fmtQty(leg.delta.abs()), available });
    }
  }
  const [row] = await db
    .insert(stockLedger)
    .values({
      movementId: leg.movementId,
      kind: leg.kind,
      at: now,
      productId: leg.lot.productId,
      lotId: leg.lot.id,
      locationId: leg.location.id,
      warehouseId: leg.location.warehouseId,
      quantity: d,
      unit: leg.baseUnit,
      enteredQuantity: leg.entered.quantity.toFixed(3),
      enteredUnit: leg.entered.unit,
      userId: actor.userId,
      userName: actor.username,
      reason: leg.reason ?? null,
      refType: leg.refType ?? null,
      refId: leg.refId ?? null,
    })
    .returning({ id: stockLedger.id });
  return row!.id;
}

async function onHandOf(db: Db, lotId: string, locationId: string): Promise<string | null> {
  const [b] = await db
    .select({ onHand: stockBalances.onHand })
    .from(stockBalances)
    .where(and(eq(stockBalances.lotId, lotId), eq(stockBalances.locationId, locationId)));
  return b?.onHand ?? null;
}

function assertLotOfProduct(lot: LotRow, productId: string | undefined): void {
  if (productId && lot.productId !== productId) throw fieldError(InventoryErrors.LOT_PRODUCT_MISMATCH, 'lotId', { lotCode: lot.lotCode });
}

export type MovementInput = {
  lotId: string;
  locationId: string;
  quantity: string;
  unit: string;
  reason?: string | null;
  refType?: string | null;
  refId?: string | null;
  productId?: string;
  warehouseId?: string;
};

/** Receipt into a lot at a location (any quality status: quarantined goods are received too). */
export async function receiveStock(db: Db, actor: Actor, input: MovementInput): Promise<{ ledgerId: string }> {
  const lot = await loadLot(db, input.lotId);
  assertLotOfProduct(lot, input.productId);
  const location = await loadLocation(db, input.locationId);
  assertLocationInWarehouse(location, input.warehouseId, 'locationId');
  if (!location.active) throw fieldError(InventoryErrors.LOCATION_INACTIVE, 'locationId', { location: location.code });
  const product = await productOrThrow(db, lot.productId);
  const base = await toBase(db, lot.productId, input.quantity, input.unit);
  const ledgerId = await postLeg(db, actor, {
    movementId: newId(),
    kind: 'receipt',
    lot,
    location,
    delta: base,
    guard: 'free',
    baseUnit: product.baseUnit,
    entered: { quantity: qty(input.quantity), unit: input.unit },
    reason: input.reason,
    refType: input.refType,
    refId: input.refId,
  });
  await recordAudit(db, actor, {
    action: 'stock.receipt',
    entity: 'lot',
    entityId: lot.id,
    after: {
      ledgerId,
      locationId: location.id,
      quantity: base.toFixed(3),
      unit: product.baseUnit,
      entered: `${input.quantity} ${input.unit}`,
      refType: input.refType ?? null,
      refId: input.refId ?? null,
    },
  });
  await emitLotEvent({
    type: 'stock.received',
    lotId: lot.id,
    productId: lot.productId,
    at: clock.now(),
    db,
    actor,
    ledgerId,
    locationId: location.id,
    warehouseId: location.warehouseId,
    quantity: base.toFixed(3),
    unit: product.baseUnit,
    reason: input.reason ?? null,
    refType: input.refType ?? null,
    refId: input.refId ?? null,
  });
  return { ledgerId };
}

type ReservationRow = typeof reservations.$inferSelect;

/**
 * Issues stock to a customer/order/production. Refuses lots that are not released or are expired.
 * Active reservations of the same reference on this lot and location are consumed first; the rest must be unreserved stock.
 */
export async function issueStock(
  db: Db,
  actor: Actor,
  input: MovementInput & { reason: string; reservationId?: string },
): Promise<{ ledgerId: string; consumedReservationIds: string[] }> {
  const lot = await loadLot(db, input.lotId);
  assertLotOfProduct(lot, input.productId);
  assertLotUsable(lot);
  const location = await loadLocation(db, input.locationId);
  assertLocationInWarehouse(location, input.warehouseId, 'locationId');
  const product = await productOrThrow(db, lot.productId);
  const base = await toBase(db, lot.productId, input.quantity, input.unit);

  let candidates: ReservationRow[] = [];
  if (input.reservationId) {
    const [r] = await db.select().from(reservations).where(eq(reservations.id, input.reservationId)).for('update');
    if (!r) throw fieldError(InventoryErrors.RESERVATION_NOT_FOUND, 'reservationId');
    if (r.status !== 'active') throw fieldError(InventoryErrors.RESERVATION_NOT_ACTIVE, 'reservationId');
    if (r.lotId !== lot.id || r.locationId !== location.id) throw fieldError(InventoryErrors.LOT_PRODUCT_MISMATCH, 'lotId', { lotCode: lot.lotCode });
    if (base.gt(r.quantity)) throw fieldError(InventoryErrors.RESERVATION_EXCEEDED, 'quantity', { requested: base.toFixed(3), reserved: fmtQty(r.quantity) });
    candidates = [r];
  } else if (input.refType && input.refId) {
    candidates = await db
      .select()
      .from(reservations)
      .where(
        and(
          eq(reservations.refType, input.refType),
          eq(reservations.refId, input.refId),
          eq(reservations.lotId, lot.id),
          eq(reservations.locationId, location.id),
          eq(reservations.status, 'active'),
        ),
      )
      .orderBy(asc(reservations.createdAt), asc(reservations.id))
      .for('update');
  }
  let remaining = base;
  let consumed = new Q(0);
  const consumedIds: string[] = [];
  const now = clock.now();
  for (const r of candidates) {
    if (remaining.lte(0)) break;
    const take = Q.min(remaining, r.quantity);
    const left = new Q(r.quantity).minus(take);
    await db
      .update(reservations)
      .set({ quantity: left.toFixed(3), status: left.eq(0) ? 'consumed' : 'active', closedAt: left.eq(0) ? now : null })
      .where(eq(reservations.id, r.id));
    consumedIds.push(r.id);
    consumed = consumed.plus(take);
    remaining = remaining.minus(take);
  }
  const ledgerId = await postLeg(db, actor, {
    movementId: newId(),
    kind: 'issue',
    lot,
    location,
    delta: base.neg(),
    reservedDelta: consumed.neg(),
    guard: 'free',
    baseUnit: product.baseUnit,
    entered: { quantity: qty(input.quantity), unit: input.unit },
    reason: input.reason,
    refType: input.refType ?? candidates[0]?.refType ?? null,
    refId: input.refId ?? candidates[0]?.refId ?? null,
  });
  await recordAudit(db, actor, {
    action: 'stock.issue',
    entity: 'lot',
    entityId: lot.id,
    after: {
      ledgerId,
      locationId: location.id,
      quantity: base.toFixed(3),
      unit: product.baseUnit,
      consumedReservationIds: consumedIds,
      refType: input.refType ?? null,
      refId: input.refId ?? null,
    },
  });
  await emitLotEvent({
    type: 'stock.issued',
    lotId: lot.id,
    productId: lot.productId,
    at: clock.now(),
    db,
    actor,
    ledgerId,
    locationId: location.id,
    warehouseId: location.warehouseId,
    quantity: base.toFixed(3),
    unit: product.baseUnit,
    reason: input.reason,
    refType: input.refType ?? null,
    refId: input.refId ?? null,
  });
  return { ledgerId, consumedReservationIds: consumedIds };
}

/** Issues against one reservation (the picking path): same checks as issueStock. */
export async function consumeReservation(db: Db, actor: Actor, input: { reservationId: string; quantity?: string; unit?: string; reason?: string }): Promise<{ ledgerId: string }> {
  const [r] = await db.select().from(reservations).where(eq(reservations.id, input.reservationId));
  if (!r) throw new DomainError(InventoryErrors.RESERVATION_NOT_FOUND);
  const product = await productOrThrow(db, r.productId);
  const res = await issueStock(db, actor, {
    lotId: r.lotId,
    locationId: r.locationId,
    quantity: input.quantity ?? fmtQty(r.quantity),
    unit: input.quantity ? (input.unit ?? product.baseUnit) : product.baseUnit,
    reason: input.reason ?? 'reservation',
    refType: r.refType,
    refId: r.refId,
    reservationId: r.id,
  });
  return { ledgerId: res.ledgerId };
}

/** Moves free stock of a lot between two locations (any quality status: quarantine moves are internal). */
/**
 * Chilled or frozen stock (by the product's temperature profile, or the bin it leaves) moved into a bin of another
 * temperature zone: the zones, or null when the move keeps the cold chain (or the stock needs none).
 */
export function coldZoneChange(tempProfile: string, fromZone: string, toZone: string): { from: string; to: string } | null {
  const needs = tempProfile === 'frozen' || tempProfile === 'chilled' ? tempProfile : fromZone === 'frozen' || fromZone === 'chilled' ? fromZone : null;
  return needs && toZone !== needs ? { from: needs, to: toZone } : null;
}

/**
 * What a receipt of the product should default to: released when a new lot of it could be released now (no gate of
 * quality refuses it), quarantined (with the gate's reason) when it must be inspected first.
 */
export async function receiptDefaults(db: Db, actor: Actor, productId: string): Promise<{ qualityStatus: 'quarantined' | 'released'; reason: string | null }> {
  await productOrThrow(db, productId);
  try {
    await runLotStatusGuards(db, { id: '00000000-0000-7000-8000-000000000000', productId, fromStatus: 'quarantined' }, 'release');
  } catch (e) {
    if (e instanceof DomainError) return { qualityStatus: 'quarantined', reason: errorMessage(e.code, actor.locale, e.params) };
    throw e;
  }
  return { qualityStatus: 'released', reason: null };
}

export async function transferStock(
  db: Db,
  actor: Actor,
  input: {
    lotId: string;
    fromLocationId: string;
    toLocationId: string;
    quantity: string;
    unit: string;
    reason?: string | null;
    toWarehouseId?: string;
    refType?: string | null;
    refId?: string | null;
  },
): Promise<{ movementId: string; ledgerIds: string[] }> {
  if (input.fromLocationId === input.toLocationId) throw fieldError(InventoryErrors.INVENTORY_SAME_LOCATION, 'toLocationId');
  const lot = await loadLot(db, input.lotId);
  const from = await loadLocation(db, input.fromLocationId, 'fromLocationId');
  const to = await loadLocation(db, input.toLocationId, 'toLocationId');
  assertLocationInWarehouse(to, input.toWarehouseId, 'toLocationId');
  if (!to.active) throw fieldError(InventoryErrors.LOCATION_INACTIVE, 'toLocationId', { location: to.code });
  const product = await productOrThrow(db, lot.productId);
  const zoneChange = coldZoneChange(product.tempProfile, from.zone, to.zone);
  if (zoneChange && !input.reason?.trim())
    throw fieldError(InventoryErrors.TRANSFER_ZONE_REASON_REQUIRED, 'reason', {
      lotCode: lot.lotCode,
      location: to.code,
      zone: codeLabel('tempZone', zoneChange.from, actor.locale),
      toZone: codeLabel('tempZone', zoneChange.to, actor.locale),
    });
  const base = await toBase(db, lot.productId, input.quantity, input.unit);
  // Lock both balance rows in a fixed order so opposite transfers cannot deadlock.
  await db
    .select({ l: stockBalances.locationId })
    .from(stockBalances)
    .where(and(eq(stockBalances.lotId, lot.id), inArray(stockBalances.locationId, [from.id, to.id])))
    .orderBy(asc(stockBalances.locationId))
    .for('update');
  const movementId = newId();
  const common = {
    movementId,
    kind: 'transfer' as const,
    lot,
    baseUnit: product.baseUnit,
    entered: { quantity: qty(input.quantity), unit: input.unit },
    reason: input.reason,
    refType: input.refType,
    refId: input.refId,
    guard: 'free' as const,
  };
  const outId = await postLeg(db, actor, { ...common, location: from, delta: base.neg() });
  const inId = await postLeg(db, actor, { ...common, location: to, delta: base });
  await recordAudit(db, actor, {
    action: 'stock.transfer',
    entity: 'lot',
    entityId: lot.id,
    after: {
      movementId,
      from: from.id,
      to: to.id,
      quantity: base.toFixed(3),
      unit: product.baseUnit,
      ...(zoneChange ? { zoneChange: { from: zoneChange.from, to: zoneChange.to }, reason: input.reason } : {}),
    },
  });
  await emitLotEvent({
    type: 'stock.moved',
    lotId: lot.id,
    productId: lot.productId,
    at: clock.now(),
    db,
    actor,
    ledgerId: inId,
    fromLocationId: from.id,
    toLocationId: to.id,
    warehouseId: to.warehouseId,
    quantity: base.toFixed(3),
    unit: product.baseUnit,
    reason: input.reason ?? null,
  });
  return { movementId, ledgerIds: [outId, inId] };
}

/** A signed correction (found/lost stock) with a reason; a loss may only take unreserved stock. */
export async function adjustStock(
  db: Db,
  actor: Actor,
  input: { lotId: string; locationId: string; quantity: string; unit: string; reason: string; refType?: string | null; refId?: string | null; allowReserved?: boolean },
): Promise<{ ledgerId: string }> {
  let signed: Qty;
  try {
    signed = qty(input.quantity);
  } catch (err) {
    if (err instanceof DomainError) throw fieldError(err.code, 'quantity', err.params);
    throw err;
  }
  if (signed.eq(0)) throw fieldError(InventoryErrors.INVENTORY_ZERO_ADJUSTMENT, 'quantity');
  const lot = await loadLot(db, input.lotId);
  const location = await loadLocation(db, input.locationId);
  const product = await productOrThrow(db, lot.productId);
  const magnitude = await toBase(db, lot.productId, signed.abs().toFixed(3), input.unit);
  const delta = signed.isNeg() ? magnitude.neg() : magnitude;
  const ledgerId = await postLeg(db, actor, {
    movementId: newId(),
    kind: 'adjustment',
    lot,
    location,
    delta,
    guard: input.allowReserved ? 'nonneg' : 'free',
    baseUnit: product.baseUnit,
    entered: { quantity: signed.abs(), unit: input.unit },
    reason: input.reason,
    refType: input.refType,
    refId: input.refId,
  });
  await recordAudit(db, actor, {
    action: 'stock.adjust',
    entity: 'lot',
    entityId: lot.id,
    after: {
      ledgerId,
      locationId: location.id,
      quantity: delta.toFixed(3),
      unit: product.baseUnit,
      reason: input.reason,
      refType: input.refType ?? null,
      refId: input.refId ?? null,
    },
  });
  await emitLotEvent({
    type: 'stock.moved',
    lotId: lot.id,
    productId: lot.productId,
    at: clock.now(),
    db,
    actor,
    ledgerId,
    locationId: location.id,
    warehouseId: location.warehouseId,
    quantity: delta.toFixed(3),
    unit: product.baseUnit,
    reason: input.reason,
  });
  return { ledgerId };
}

/** Writes off stock (spoiled, rejected and destroyed …) from any lot status. */
export async function scrapStock(
  db: Db,
  actor: Actor,
  input: { lotId: string; locationId: string; quantity: string; unit: string; reason: string; refType?: string | null; refId?: string | null },
): Promise<{ ledgerId: string }> {
  const lot = await loadLot(db, input.lotId);
  const location = await loadLocation(db, input.locationId);
  const product = await productOrThrow(db, lot.productId);
  const base = await toBase(db, lot.productId, input.quantity, input.unit);
  const ledgerId = await postLeg(db, actor, {
    movementId: newId(),
    kind: 'scrap',
    lot,
    location,
    delta: base.neg(),
    guard: 'free',
    baseUnit: product.baseUnit,
    entered: { quantity: qty(input.quantity), unit: input.unit },
    reason: input.reason,
    refType: input.refType,
    refId: input.refId,
  });
  await recordAudit(db, actor, {
    action: 'stock.scrap',
    entity: 'lot',
    entityId: lot.id,
    after: { ledgerId, locationId: location.id, quantity: base.toFixed(3), unit: product.baseUnit, reason: input.reason },
  });
  await emitLotEvent({
    type: 'stock.moved',
    lotId: lot.id,
    productId: lot.productId,
    at: clock.now(),
    db,
    actor,
    ledgerId,
    locationId: location.id,
    warehouseId: location.warehouseId,
    quantity: base.neg().toFixed(3),
    unit: product.baseUnit,
    reason: input.reason,
  });
  return { ledgerId };
}

/** Posts a stocktake correction (may leave reservations uncovered: the count is the physical truth). */
export async function postStocktakeAdjustment(db: Db, actor: Actor, input: { lotId: string; locationId: string; delta: Qty; reason: string; refId: string }): Promise<string> {
  const lot = await loadLot(db, input.lotId);
  const location = await loadLocation(db, input.locationId);
  const product = await productOrThrow(db, lot.productId);
  return postLeg(db, actor, {
    movementId: newId(),
    kind: 'adjustment',
    lot,
    location,
    delta: input.delta,
    guard: 'nonneg',
    baseUnit: product.baseUnit,
    entered: { quantity: input.delta.abs(), unit: product.baseUnit },
    reason: input.reason,
    refType: 'stocktake',
    refId: input.refId,
  });
}

// ---------------------------------------------------------------- reservations

export type ReserveInput = {
  refType: string;
  refId: string;
  refLineId?: string;
  productId: string;
  quantity: string;
  lotId?: string;
  minRemainingShelfLifeDays?: number;
  onDate?: string;
  /** Forces the incremental lock-as-needed path (the fallback of the single statement); for tests. */
  path?: 'single-statement' | 'incremental';
};
export type ReserveResult = { reservationIds: string[]; allocations: { lotId: string; locationId: string; quantity: string }[] };

type Candidate = { lot_id: string; location_id: string; on_hand: string; reserved: string; expiry_date: string; production_date: string };

const candidateFree = (c: Candidate): Qty => Q.max(new Q(c.on_hand).minus(c.reserved), 0);

/**
 * Balance rows of the product with free stock that a reservation may take, in FEFO order, after a keyset position
 * (none when afterLot is null), at most `limit` rows (all when null), optionally locked: one compiled statement each.
 */
function candidatesSql(lock: boolean): SQL {
  const ph = (k: string) => sql.placeholder(k);
  return sql`select b.lot_id, b.location_id, b.on_hand::text as on_hand, b.reserved::text as reserved, l.expiry_date::text as expiry_date, l.production_date::text as production_date
      from stock_balances b join lots l on l.id = b.lot_id
      where ${allocatableSql(sql`${ph('productId')}::uuid`, sql`${ph('cutoff')}::date`)}
        and (${ph('lotId')}::uuid is null or b.lot_id = ${ph('lotId')}::uuid)
        and (${ph('afterLot')}::uuid is null
             or ${afterFefoSql(sql`${ph('afterExpiry')}::date`, sql`${ph('afterProduction')}::date`, sql`${ph('afterLot')}::uuid`, sql`${ph('afterLocation')}::uuid`)})
      order by ${fefoOrderSql}
      limit ${ph('limit')}::int
      ${lock ? sql`for update of b` : sql``}`;
}
const lockRows = statement<Candidate>('inventory_candidates_lock', () => candidatesSql(true));
const lookAhead = statement<Candidate>('inventory_candidates_ahead', () => candidatesSql(false));

function candidateValues(productId: string, cutoff: string, lotId: string | undefined, after: Candidate | null, limit: number | null): Record<string, unknown> {
  return {
    productId,
    cutoff,
    lotId: lotId ?? null,
    afterLot: after?.lot_id ?? null,
    afterExpiry: after?.expiry_date ?? null,
    afterProduction: after?.production_date ?? null,
    afterLocation: after?.location_id ?? null,
    limit,
  };
}

/**
 * Locks, in FEFO order, only as many balance rows with free stock as cover `quantity` (all of them when short).
 * The first row is locked straight away (the usual case: one lot covers the line); when more are needed an
 * unlocked look-ahead says how many, and exactly those are locked next. FOR UPDATE re-checks each row after
 * waiting for a concurrent reservation, so rows that filled up meanwhile are skipped and the loop goes on.
 */
async function lockCandidates(db: Db, productId: string, cutoff: string, lotId: string | undefined, quantity: Qty): Promise<Candidate[]> {
  const locked: Candidate[] = [];
  let covered = new Q(0);
  let limit: number | null = 1;
  for (;;) {
    const after = locked.at(-1) ?? null;
    const rows = await lockRows(db, candidateValues(productId, cutoff, lotId, after, limit));
    for (const r of rows) {
      locked.push(r);
      covered = covered.plus(candidateFree(r));
    }
    if (covered.gte(quantity) || limit === null || rows.length < limit) return locked;
    const ahead = await lookAhead(db, candidateValues(productId, cutoff, lotId, locked.at(-1)!, null));
    if (!ahead.length) return locked;
    let acc = covered;
    let need = 0;
    for (const r of ahead) {
      need += 1;
      acc = acc.plus(candidateFree(r));
      if (acc.gte(quantity)) break;
    }
    limit = acc.gte(quantity) ? need : null;
  }
}

/**
 * Reserves base-unit quantity FEFO across released, unexpired lots (or one lot), honouring a minimum
 * remaining shelf life. Locks the balance rows it allocates in FEFO order (SELECT … FOR UPDATE), so concurrent
 * reservations queue and never oversell; throws INVENTORY_INSUFFICIENT before writing anything when short.
 */
export async function reserve(db: Db, actor: Actor, input: ReserveInput): Promise<ReserveResult> {
  const quantity = positive(input.quantity);
  const product = await productOrThrow(db, input.productId);
  return reserveWith(db, actor, product, quantity, input);
}

/**
 * The usual reservation in one statement (docs/decisions/0003-single-statement-reservation.md): an unlocked FEFO
 * look-ahead says how many balance rows cover the quantity (plus one spare); exactly those are locked FOR UPDATE in
 * FEFO order (rows that filled up meanwhile drop out after the lock wait), allocated with running sums, and the
 * balances, reservations and audit row are written by the same statement — all or nothing (agri_assert). Needs no
 * surrounding transaction. Returns null, having written nothing, when concurrent reservations used up the looked-ahead
 * rows so that more rows might cover the quantity; the caller then takes the incremental path.
 */
type OneStatementRow = { available: string; locked: number; wanted: number; id: string | null; lot_id: string | null; location_id: string | null; quantity: string | null };

/** The statement of reserveInOneStatement(), for any product (and, in the lot variant, one lot). */
function reserveStatementSql(byLot: boolean): SQL {
  const ph = (k: string) => sql.placeholder(k);
  const filter = sql`${allocatableSql(sql`${ph('productId')}::uuid`, sql`${ph('cutoff')}::date`)}
    ${byLot ? sql`and b.lot_id = ${ph('lotId')}::uuid` : sql``}`;
  const fefo = fefoOrderSql;
  const q = sql`${ph('quantity')}::numeric`;
  const after = sql`jsonb_build_object('productId', ${ph('productId')}::text, 'quantity', ${ph('quantity')}::text, 'refLineId', ${ph('refLineId')}::text,
      'allocations', (select jsonb_agg(jsonb_build_object('lotId', p.lot_id, 'locationId', p.location_id, 'quantity', p.take::text) order by p.rn) from pick p))`;
  return sql`with need as (
          select count(*)::int + 1 as n from (
            select sum(b.on_hand - b.reserved) over (order by ${fefo} rows between unbounded preceding and 1 preceding) as before
            from stock_balances b join lots l on l.id = b.lot_id where ${filter}) x
          where coalesce(x.before, 0) < ${q}),
        cand as (
          select b.lot_id, b.location_id, b.on_hand - b.reserved as free, l.expiry_date, l.production_date
          from stock_balances b join lots l on l.id = b.lot_id where ${filter}
          order by ${fefo} limit (select n from need) for update of b),
        alloc as (
          select lot_id, location_id, free, row_number() over f as rn,
                 least(free, ${q} - coalesce(sum(free) over (f rows between unbounded preceding and 1 preceding), 0)) as take
          from cand window f as (order by ${fefoKeySql()})),
        tot as (select coalesce(sum(free), 0) as available, count(*)::int as locked from alloc),
        pick as (select a.lot_id, a.location_id, a.rn, round(a.take, 3) as take, agri_uuidv7() as id from alloc a, tot
                 where tot.available >= ${q} and a.take > 0),
        u as (update stock_balances b set reserved = b.reserved + p.take, updated_at = ${ph('now')}::timestamptz from pick p
              where b.lot_id = p.lot_id and b.location_id = p.location_id and b.on_hand - b.reserved >= p.take returning b.lot_id),
        r as (insert into reservations (id, ref_type, ref_id, ref_line_id, product_id, lot_id, location_id, quantity, original_quantity, created_by)
              select p.id, ${ph('refType')}::text, ${ph('refId')}::text, ${ph('refLineId')}::text, ${ph('productId')}::uuid, p.lot_id, p.location_id, p.take, p.take, ${ph('auditActorName')}::text
              from pick p returning id),
        a as (${auditInsertFromSqlTemplate({ action: 'stock.reserve', entity: 'reservation', entityId: sql`${ph('refType')}::text || ':' || ${ph('refId')}::text` }, after, sql`exists (select 1 from pick)`)} returning 1),
        ok as (select agri_assert((select count(*) from u) = (select count(*) from pick) and (select count(*) from r) = (select count(*) from pick)
                                  and (select count(*) from a) = least((select count(*) from pick), 1), 'reservation rows changed during the statement') as ok)
        select t.available::text as available, t.locked, (select n from need) as wanted, p.id, p.lot_id, p.location_id, p.take::text as quantity
        from tot t left join pick p on (select ok from ok) order by p.rn`;
}

const reserveFefo = statement<OneStatementRow>('inventory_reserve_fefo', () => reserveStatementSql(false));
const reserveLot = statement<OneStatementRow>('inventory_reserve_lot', () => reserveStatementSql(true));

async function reserveInOneStatement(db: Db, actor: Actor, product: ProductInfo, quantity: Qty, input: ReserveInput, cutoff: string): Promise<ReserveResult | null> {
  const q = quantity.toFixed(3);
  const rows = await (input.lotId ? reserveLot : reserveFefo)(db, {
    productId: product.id,
    cutoff,
    lotId: input.lotId ?? null,
    quantity: q,
    refType: input.refType,
    refId: input.refId,
    refLineId: input.refLineId ?? null,
    now: clock.now().toISOString(),
    ...auditValues(actor),
  });
  const first = rows[0]!;
  if (!first.id) {
    if (first.locked >= first.wanted) return null;
    throw fieldError(InventoryErrors.INVENTORY_INSUFFICIENT, 'quantity', { requested: q, available: new Q(first.available).toFixed(3) });
  }
  const allocations = rows.map((r) => ({ lotId: r.lot_id!, locationId: r.location_id!, quantity: r.quantity! }));
  return { reservationIds: rows.map((r) => r.id!), allocations };
}

/** The write of the incremental path: the locked rows' balances, one reservation per allocation, and the audit row. */
const reserveLocked = statement<{ id: string }>('inventory_reserve_locked', () => {
  const ph = (k: string) => sql.placeholder(k);
  return sql`with v (id, lot_id, location_id, q) as (
          select id::uuid, lot::uuid, loc::uuid, q::numeric
          from unnest(${ph('ids')}::text[], ${ph('lots')}::text[], ${ph('locations')}::text[], ${ph('quantities')}::text[]) as x(id, lot, loc, q)),
        u as (update stock_balances b set reserved = b.reserved + v.q, updated_at = ${ph('now')}::timestamptz
              from v where b.lot_id = v.lot_id and b.location_id = v.location_id and b.on_hand - b.reserved >= v.q
              returning b.lot_id, b.location_id),
        r as (insert into reservations (id, ref_type, ref_id, ref_line_id, product_id, lot_id, location_id, quantity, original_quantity, created_by)
              select v.id, ${ph('refType')}::text, ${ph('refId')}::text, ${ph('refLineId')}::text, ${ph('productId')}::uuid, v.lot_id, v.location_id, v.q, v.q, ${ph('actorName')}::text
              from v join u on u.lot_id = v.lot_id and u.location_id = v.location_id
              returning id),
        a as (${auditRowsSql('a')} returning 1)
        select r.id from r`;
});

/** reserve() for an already loaded product and parsed quantity; writes the reservation and its audit row in one statement. */
/** Thrown (internally) when a reservation outside a transaction cannot be done in one statement. */
class NeedsTransaction extends Error {}

async function reserveWith(db: Db, actor: Actor, product: ProductInfo, quantity: Qty, input: ReserveInput, inTx = true): Promise<ReserveResult> {
  const onDate = input.onDate ?? today();
  const minDays = input.minRemainingShelfLifeDays ?? 0;
  const cutoff = reservationCutoff(onDate, minDays);
  if (input.lotId) {
    const lot = await loadLot(db, input.lotId);
    assertLotOfProduct(lot, product.id);
    assertLotUsable(lot, onDate, 'lotId', minDays);
  }
  // One statement on both engines (PGlite too, since statement() prepares it once there); a caller (a test) may ask
  // for the incremental path, which is also the fallback when the statement cannot cover the request.
  const single = input.path !== 'incremental';
  const fast = single ? await reserveInOneStatement(db, actor, product, quantity, input, cutoff) : null;
  if (fast) return fast;
  if (!inTx) throw new NeedsTransaction();
  const candidates = await lockCandidates(db, product.id, cutoff, input.lotId, quantity);
  const plan = allocateFefo(
    candidates.map((c) => ({ expiryDate: c.expiry_date, productionDate: c.production_date, lotId: c.lot_id, locationId: c.location_id, free: candidateFree(c) })),
    quantity,
  );
  const allocations = plan.allocations.map((a) => ({ id: newId(), lotId: a.candidate.lotId, locationId: a.candidate.locationId, quantity: a.quantity.toFixed(3) }));
  const insufficient = () => fieldError(InventoryErrors.INVENTORY_INSUFFICIENT, 'quantity', { requested: quantity.toFixed(3), available: plan.available.toFixed(3) });
  if (plan.short.gt(0)) throw insufficient();
  // One statement: raise `reserved` on the locked rows (still guarded) and insert a reservation for each row updated.
  const out = allocations.map((a) => ({ lotId: a.lotId, locationId: a.locationId, quantity: a.quantity }));
  const audit: AuditEntry = {
    action: 'stock.reserve',
    entity: 'reservation',
    entityId: `${input.refType}:${input.refId}`,
    after: { productId: product.id, quantity: quantity.toFixed(3), refLineId: input.refLineId ?? null, allocations: out },
  };
  // The audit row is written only when every allocation was inserted (the statement fails as a whole otherwise).
  const inserted = await reserveLocked(db, {
    ids: allocations.map((a) => a.id),
    lots: allocations.map((a) => a.lotId),
    locations: allocations.map((a) => a.locationId),
    quantities: allocations.map((a) => a.quantity),
    now: clock.now().toISOString(),
    refType: input.refType,
    refId: input.refId,
    refLineId: input.refLineId ?? null,
    productId: product.id,
    actorName: actor.username,
    ...auditRowValues('a', actor, [audit]),
  });
  if (inserted.length !== allocations.length) throw insufficient();
  return { reservationIds: allocations.map((a) => a.id), allocations: out };
}

async function releaseRows(db: Db, rows: ReservationRow[]): Promise<number> {
  const now = clock.now();
  for (const r of rows) {
    await db
      .update(stockBalances)
      .set({ reserved: sql`greatest(${stockBalances.reserved} - ${r.quantity}::numeric, 0)`, updatedAt: now })
      .where(and(eq(stockBalances.lotId, r.lotId), eq(stockBalances.locationId, r.locationId)));
    await db.update(reservations).set({ status: 'released', closedAt: now }).where(eq(reservations.id, r.id));
  }
  return rows.length;
}

/** Releases the active reservations of a reference (optionally one line); returns how many were released. */
export async function releaseReservations(db: Db, actor: Actor, input: { refType: string; refId: string; refLineId?: string }): Promise<number> {
  const rows = await db
    .select()
    .from(reservations)
    .where(
      and(
        eq(reservations.refType, input.refType),
        eq(reservations.refId, input.refId),
        eq(reservations.status, 'active'),
        input.refLineId ? eq(reservations.refLineId, input.refLineId) : undefined,
      ),
    )
    .orderBy(asc(reservations.lotId), asc(reservations.locationId), asc(reservations.id))
    .for('update');
  const n = await releaseRows(db, rows);
  if (n)
    await recordAudit(db, actor, {
      action: 'stock.release',
      entity: 'reservation',
      entityId: `${input.refType}:${input.refId}`,
      after: { refLineId: input.refLineId ?? null, released: rows.map((r) => r.id) },
    });
  return n;
}

export async function releaseReservation(db: Db, actor: Actor, id: string): Promise<ReservationView> {
  const [r] = await db.select().from(reservations).where(eq(reservations.id, id)).for('update');
  if (!r) throw new DomainError(InventoryErrors.RESERVATION_NOT_FOUND);
  if (r.status !== 'active') throw new DomainError(InventoryErrors.RESERVATION_NOT_ACTIVE);
  await releaseRows(db, [r]);
  await recordAudit(db, actor, {
    action: 'stock.release',
    entity: 'reservation',
    entityId: r.id,
    before: { status: r.status, quantity: r.quantity },
    after: { status: 'released' },
  });
  return (await reservationViews(db, [{ ...r, status: 'released' }]))[0]!;
}

export type ReservationView = {
  id: string;
  refType: string;
  refId: string;
  refLineId: string | null;
  productId: string;
  productCode: string | null;
  productName: string | null;
  lotId: string;
  lotCode: string;
  expiryDate: string;
  locationId: string;
  locationCode: string;
  quantity: string;
  originalQuantity: string;
  unit: string | null;
  status: ReservationStatus;
  createdBy: string;
  createdAt: Date;
  closedAt: Date | null;
};

async function reservationViews(db: Db, rows: ReservationRow[]): Promise<ReservationView[]> {
  const lotMap = await getLots(
    db,
    rows.map((r) => r.lotId),
  );
  const locRows = rows.length
    ? await db
        .select({ id: locations.id, code: locations.code })
        .from(locations)
        .where(
          inArray(
            locations.id,
            rows.map((r) => r.locationId),
          ),
        )
    : [];
  const locMap = new Map(locRows.map((l) => [l.id, l.code]));
  const products = await getProducts(
    db,
    rows.map((r) => r.productId),
  );
  return rows.map((r) => ({
    id: r.id,
    refType: r.refType,
    refId: r.refId,
    refLineId: r.refLineId,
    productId: r.productId,
    productCode: products.get(r.productId)?.code ?? null,
    productName: products.get(r.productId)?.name ?? null,
    lotId: r.lotId,
    lotCode: lotMap.get(r.lotId)?.lotCode ?? '',
    expiryDate: lotMap.get(r.lotId)?.expiryDate ?? '',
    locationId: r.locationId,
    locationCode: locMap.get(r.locationId) ?? '',
    quantity: fmtQty(r.quantity),
    originalQuantity: fmtQty(r.originalQuantity),
    unit: products.get(r.productId)?.baseUnit ?? null,
    status: r.status,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    closedAt: r.closedAt,
  }));
}

/** Reservations, newest first; a customer-scoped actor sees only those of its own customer's references (reservation-owners.ts). */
export async function listReservations(
  db: Db,
  actor: Actor,
  f: { refType?: string; refId?: string; productId?: string; lotId?: string; status?: ReservationStatus; page: number; pageSize: number; sort?: string },
): Promise<Page<ReservationView>> {
  const conds: SQL[] = [];
  const scope = customerScope(actor);
  if (scope !== null) conds.push(reservationsOfCustomerSql(scope));
  if (f.refType) conds.push(eq(reservations.refType, f.refType));
  if (f.refId) conds.push(eq(reservations.refId, f.refId));
  if (f.productId) conds.push(eq(reservations.productId, f.productId));
  if (f.lotId) conds.push(eq(reservations.lotId, f.lotId));
  if (f.status) conds.push(eq(reservations.status, f.status));
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { createdAt: reservations.createdAt, quantity: reservations.quantity, status: reservations.status }, [
    sql`${reservations.createdAt} desc`,
    asc(reservations.id),
  ]);
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(reservations)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(reservations).where(where),
  ]);
  return { items: await reservationViews(db, rows), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

/** Available to promise (base unit): on hand − reserved in released lots that are not expired (or expire before onDate + min shelf life). */
export async function availableQuantity(db: Db, productId: string, opts: { onDate?: string; minRemainingShelfLifeDays?: number } = {}): Promise<string> {
  const cutoff = reservationCutoff(opts.onDate, opts.minRemainingShelfLifeDays);
  const rows = await queryRows<{ q: string | null }>(
    db,
    sql`select coalesce(sum(greatest(b.on_hand - b.reserved, 0)), 0)::text as q
        from stock_balances b join lots l on l.id = b.lot_id
        where b.product_id = ${productId} and ${usableLotSql(sql`${cutoff}::date`)}`,
  );
  return fmtQty(rows[0]?.q ?? '0');
}

// ---------------------------------------------------------------- ledger listing and verification

export type LedgerView = {
  id: string;
  seq: number;
  movementId: string;
  kind: MovementKind;
  at: Date;
  productId: string;
  lotId: string;
  lotCode: string;
  locationId: string;
  locationCode: string;
  warehouseId: string;
  warehouseCode: string;
  quantity: string;
  unit: string;
  enteredQuantity: string;
  enteredUnit: string;
  userName: string;
  reason: string | null;
  refType: string | null;
  refId: string | null;
};

export type LedgerFilter = {
  lotId?: string;
  productId?: string;
  locationId?: string;
  warehouseId?: string;
  kind?: MovementKind;
  refType?: string;
  refId?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
  sort?: string;
};

export async function listLedger(db: Db, f: LedgerFilter): Promise<Page<LedgerView>> {
  const conds: SQL[] = [];
  if (f.lotId) conds.push(eq(stockLedger.lotId, f.lotId));
  if (f.productId) conds.push(eq(stockLedger.productId, f.productId));
  if (f.locationId) conds.push(eq(stockLedger.locationId, f.locationId));
  if (f.warehouseId) conds.push(eq(stockLedger.warehouseId, f.warehouseId));
  if (f.kind) conds.push(eq(stockLedger.kind, f.kind));
  if (f.refType) conds.push(eq(stockLedger.refType, f.refType));
  if (f.refId) conds.push(eq(stockLedger.refId, f.refId));
  if (f.from) conds.push(sql`${stockLedger.at} >= ${f.from}`);
  if (f.to) conds.push(sql`${stockLedger.at} <= ${f.to}`);
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { at: stockLedger.at, seq: stockLedger.seq, kind: stockLedger.kind }, [sql`${stockLedger.seq} desc`]);
  const [rows, total] = await Promise.all([
    db
      .select({ e: stockLedger, lotCode: lots.lotCode, locationCode: locations.code, warehouseCode: warehouses.code })
      .from(stockLedger)
      .innerJoin(lots, eq(lots.id, stockLedger.lotId))
      .innerJoin(locations, eq(locations.id, stockLedger.locationId))
      .innerJoin(warehouses, eq(warehouses.id, stockLedger.warehouseId))
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(stockLedger).where(where),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.e.id,
      seq: r.e.seq,
      movementId: r.e.movementId,
      kind: r.e.kind,
      at: r.e.at,
      productId: r.e.productId,
      lotId: r.e.lotId,
      lotCode: r.lotCode,
      locationId: r.e.locationId,
      locationCode: r.locationCode,
      warehouseId: r.e.warehouseId,
      warehouseCode: r.warehouseCode,
      quantity: fmtQty(r.e.quantity),
      unit: r.e.unit,
      enteredQuantity: fmtQty(r.e.enteredQuantity),
      enteredUnit: r.e.enteredUnit,
      userName: r.e.userName,
      reason: r.e.reason,
      refType: r.e.refType,
      refId: r.e.refId,
    })),
    total: total[0]?.n ?? 0,
    page: f.page,
    pageSize: f.pageSize,
  };
}

export type Drift = { lotId: string; locationId: string; cachedOnHand: string; ledgerOnHand: string; cachedReserved: string; activeReserved: string };
export type VerifyStockResult = { ok: boolean; checked: number; drifts: Drift[] };

/** How a long verification runs: lots per batch, a callback after each (it may throw to stop), and whether to yield between batches. */
export type VerifyStockOptions = { batch?: number; progress?: (done: number, total: number) => void; yieldBetween?: boolean };

/**
 * Recomputes every balance from the ledger and the active reservations and reports any difference. It runs over the
 * lots in batches (each lot's balances, ledger and reservations read by one statement, so in one snapshot), yielding
 * between batches when asked so that other requests are served on the embedded database's one session.
 */
export async function verifyStock(db: Db, opts: VerifyStockOptions = {}): Promise<VerifyStockResult> {
  const batch = opts.batch ?? 2000;
  const total = (await queryRows<{ n: number }>(db, sql`select count(*)::int as n from lots`))[0]?.n ?? 0;
  const drifts: Drift[] = [];
  let checked = 0;
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const lotIds = (await queryRows<{ id: string }>(db, sql`select id from lots where id > ${after}::uuid order by id limit ${batch}`)).map((r) => r.id);
    if (lotIds.length === 0) break;
    after = lotIds[lotIds.length - 1]!;
    const ids = sql`${`{${lotIds.join(',')}}`}::uuid[]`;
    const rows = await queryRows<{ lot_id: string; location_id: string; cached_on_hand: string; ledger_on_hand: string; cached_reserved: string; active_reserved: string }>(
      db,
      sql`with l as (select lot_id, location_id, sum(quantity) q from stock_ledger where lot_id = any(${ids}) group by lot_id, location_id),
               r as (select lot_id, location_id, sum(quantity) q from reservations where status = 'active' and lot_id = any(${ids}) group by lot_id, location_id),
               k as (select lot_id, location_id from l union select lot_id, location_id from r union select lot_id, location_id from stock_balances where lot_id = any(${ids}))
          select k.lot_id, k.location_id,
                 coalesce(b.on_hand, 0)::text as cached_on_hand, coalesce(l.q, 0)::text as ledger_on_hand,
                 coalesce(b.reserved, 0)::text as cached_reserved, coalesce(r.q, 0)::text as active_reserved
          from k
          left join stock_balances b on b.lot_id = k.lot_id and b.location_id = k.location_id
          left join l on l.lot_id = k.lot_id and l.location_id = k.location_id
          left join r on r.lot_id = k.lot_id and r.location_id = k.location_id
          order by k.lot_id, k.location_id`,
    );
    for (const r of rows) {
      if (!new Q(r.cached_on_hand).eq(r.ledger_on_hand) || !new Q(r.cached_reserved).eq(r.active_reserved)) {
        drifts.push({
          lotId: r.lot_id,
          locationId: r.location_id,
          cachedOnHand: fmtQty(r.cached_on_hand),
          ledgerOnHand: fmtQty(r.ledger_on_hand),
          cachedReserved: fmtQty(r.cached_reserved),
          activeReserved: fmtQty(r.active_reserved),
        });
      }
    }
    checked += rows.length;
    done += lotIds.length;
    opts.progress?.(done, Math.max(total, done));
    if (lotIds.length < batch) break;
    if (opts.yieldBetween) await new Promise<void>((r) => setImmediate(r));
  }
  return { ok: drifts.length === 0, checked, drifts };
}

/** Raises when the actor cannot approve (used by services reachable from several routes). */
export function assertApprover(actor: Actor): void {
  assertCan(actor, 'inventory:approve');
}

// ---------------------------------------------------------------- composite operations used by the HTTP routes

export type ReceiptInput = {
  productId: string;
  lotId?: string;
  lot?: Omit<CreateLotInput, 'productId' | 'sourceType'> & { sourceType?: LotSource };
  warehouseId?: string;
  locationId: string;
  quantity: string;
  unit: string;
  reason?: string;
  refType?: string;
  refId?: string;
};

/** A receipt: into an existing lot of the product, or a new lot created in the same transaction. */
export async function receive(db: Db, actor: Actor, input: ReceiptInput): Promise<{ ledgerId: string; lot: LotInfo }> {
  await productOrThrow(db, input.productId);
  // Validate location and quantity before creating anything (a failure rolls back anyway).
  const location = await loadLocation(db, input.locationId);
  assertLocationInWarehouse(location, input.warehouseId, 'locationId');
  await toBase(db, input.productId, input.quantity, input.unit);
  let lot: LotInfo;
  if (input.lotId) {
    const row = await loadLot(db, input.lotId);
    assertLotOfProduct(row, input.productId);
    lot = lotInfo(row);
  } else {
    if (!input.lot) throw fieldError('FIELD_REQUIRED', 'lotId');
    lot = await createLot(db, actor, {
      ...input.lot,
      productId: input.productId,
      sourceType: input.lot?.sourceType ?? 'receipt',
      sourceRef: input.lot?.sourceRef ?? input.refId ?? null,
    });
  }
  const { ledgerId } = await receiveStock(db, actor, {
    lotId: lot.id,
    locationId: location.id,
    quantity: input.quantity,
    unit: input.unit,
    reason: input.reason ?? null,
    refType: input.refType ?? null,
    refId: input.refId ?? null,
  });
  return { ledgerId, lot };
}

type ManyRow = {
  idx: number;
  q: string;
  available: string;
  locked: number;
  wanted: number;
  id: string | null;
  lot_id: string | null;
  location_id: string | null;
  quantity: string | null;
};

/**
 * reserveInOneStatement() for several lines of different products at once (an order's lines): each line FEFO with its own
 * look-ahead and locked rows, all lines or none, one audit row for the request (`after.lines`, in line order). Lines are locked in product order,
 * so two such statements cannot deadlock each other.
 */
function reserveManySql(n: number): SQL {
  return sql`with ${reservationCtesSql(n)}
        select t.idx, t.q::text as q, t.available::text as available, t.locked, t.wanted, p.id, p.lot_id, p.location_id, p.take::text as quantity
        from tot t left join pick p on p.idx = t.idx and (select ok from ok) order by t.idx, p.rn`;
}

/**
 * The CTEs of reserveManySql() (without `with` and without a final select), for a statement that writes other rows
 * together with the reservations of n lines (an order's straight-through write). `gate`, when given, must hold for
 * the lines to be read at all: it is evaluated before any stock row is locked (e.g. that a guard CTE of the caller
 * updated its row), so the caller's own locks come first. The caller's statement reads `enough` (`ok`: every line is
 * covered and reserved) and `ok` (asserts the written rows; raises 40001 when they changed); its own CTEs must not be
 * named ln, need, cand, alloc, tot, enough, pick, u, r, a or ok. The values are reservationValues(). With `audit: 'caller'`
 * the statement writes no audit row of its own: `a` then holds the row's `after` (`lines`, with their allocations), for
 * the caller's audit row of the same request.
 */
export function reservationCtesSql(n: number, gate?: SQL, opts: { audit?: 'row' | 'caller' } = {}): SQL {
  const ph = (k: string) => sql.placeholder(k);
  // The lines as a VALUES list of exactly n rows (one statement per line count): PostgreSQL then estimates the generic plan
  // as well as a custom one and keeps it, where an unnest of array parameters made it plan every execution anew.
  const values = sql.join(
    Array.from(
      { length: n },
      (_, i) => sql`(${ph(`idx${i}`)}::int, ${ph(`product${i}`)}::uuid, ${ph(`q${i}`)}::text, ${ph(`refLine${i}`)}::text, ${ph(`cutoff${i}`)}::date, ${sql.raw(String(i + 1))})`,
    ),
    sql`, `,
  );
  const fefo = fefoOrderSql;
  const filter = allocatableSql(sql`ln.product_id`, sql`ln.cutoff`);
  const after = sql`jsonb_build_object('productId', ln.product_id::text, 'quantity', ln.q_text, 'refLineId', ln.ref_line_id,
      'allocations', (select jsonb_agg(jsonb_build_object('lotId', p.lot_id, 'locationId', p.location_id, 'quantity', p.take::text) order by p.rn) from pick p where p.idx = ln.idx))`;
  return sql`ln as (
          select x.idx, x.product_id, x.q_text::numeric as q, x.q_text, x.ref_line_id, x.cutoff, x.ord
          from (values ${values}) as x(idx, product_id, q_text, ref_line_id, cutoff, ord)${gate ? sql` where ${gate}` : sql``}),
        need as (
          select ln.idx, (select count(*)::int + 1 from (
              select sum(b.on_hand - b.reserved) over (order by ${fefo} rows between unbounded preceding and 1 preceding) as before
              from stock_balances b join lots l on l.id = b.lot_id where ${filter}) x
            where coalesce(x.before, 0) < ln.q) as n
          from ln),
        cand as (
          select ln.idx, c.lot_id, c.location_id, c.free, c.expiry_date, c.production_date
          from (select * from ln order by ord) ln
          cross join lateral (
            select b.lot_id, b.location_id, b.on_hand - b.reserved as free, l.expiry_date, l.production_date
            from stock_balances b join lots l on l.id = b.lot_id where ${filter}
            order by ${fefo} limit (select n from need where need.idx = ln.idx) for update of b) c),
        alloc as (
          select c.idx, c.lot_id, c.location_id, c.free, row_number() over f as rn,
                 least(c.free, ln.q - coalesce(sum(c.free) over (f rows between unbounded preceding and 1 preceding), 0)) as take
          from cand c join ln on ln.idx = c.idx
          window f as (partition by c.idx order by ${fefoKeySql('c')})),
        tot as (
          select ln.idx, ln.q, coalesce(sum(a.free), 0) as available, count(a.lot_id)::int as locked, (select n from need where need.idx = ln.idx) as wanted
          from ln left join alloc a on a.idx = ln.idx group by ln.idx, ln.q),
        enough as (select bool_and(available >= q) as ok from tot),
        pick as (select a.idx, a.lot_id, a.location_id, a.rn, round(a.take, 3) as take, agri_uuidv7() as id from alloc a, enough
                 where enough.ok and a.take > 0),
        u as (update stock_balances b set reserved = b.reserved + p.take, updated_at = ${ph('now')}::timestamptz from pick p
              where b.lot_id = p.lot_id and b.location_id = p.location_id and b.on_hand - b.reserved >= p.take returning b.lot_id),
        r as (insert into reservations (id, ref_type, ref_id, ref_line_id, product_id, lot_id, location_id, quantity, original_quantity, created_by)
              select p.id, ${ph('refType')}::text, ${ph('refId')}::text, ln.ref_line_id, ln.product_id, p.lot_id, p.location_id, p.take, p.take, ${ph('auditActorName')}::text
              from pick p join ln on ln.idx = p.idx returning id),
        a as (${
          opts.audit === 'caller'
            ? sql`select jsonb_build_object('lines', (select jsonb_agg(${after} order by ln.idx) from ln)) as after from enough where enough.ok`
            : sql`insert into audit_log (id, at, actor_id, actor_name, action, entity, entity_id, ip, before, after)
              select agri_uuidv7(), ${ph('auditAt')}::timestamptz, ${ph('auditActorId')}::uuid, ${ph('auditActorName')}::text, 'stock.reserve', 'reservation',
                     ${ph('refType')}::text || ':' || ${ph('refId')}::text, ${ph('auditIp')}::text, null,
                     jsonb_build_object('lines', (select jsonb_agg(${after} order by ln.idx) from ln))
              from enough where enough.ok returning 1`
        }),
        ok as (select agri_assert((select count(*) from u) = (select count(*) from pick) and (select count(*) from r) = (select count(*) from pick)
                                  and (select count(*) from a) = (case when (select ok from enough) then 1 else 0 end),
                                  'reservation rows changed during the statement') as ok)`;
}

/** Orders have a few lines; longer requests take the line-by-line path. */
const MANY_MAX_LINES = 12;
const reserveManyByCount = new Map<number, ReturnType<typeof statement<ManyRow>>>();
function reserveManyFefo(n: number): ReturnType<typeof statement<ManyRow>> {
  let st = reserveManyByCount.get(n);
  if (!st) reserveManyByCount.set(n, (st = statement<ManyRow>(`inventory_reserve_many_${n}`, () => reserveManySql(n))));
  return st;
}

/** A line of reservationCtesSql(): its index in the caller's lines, the product, the quantity in the base unit and the earliest expiry date allowed. */
export type ReservationLine = { index: number; refLineId?: string | null; productId: string; base: string; cutoff: string };

/** The values of reservationCtesSql() for these lines (of different products; locked in product order). */
export function reservationValues(actor: Actor, refType: string, refId: string, lines: ReservationLine[]): Record<string, unknown> {
  const sorted = [...lines].sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
  const values: Record<string, unknown> = { refType, refId, now: clock.now().toISOString(), ...auditValues(actor) };
  sorted.forEach((l, i) => {
    values[`idx${i}`] = l.index;
    values[`product${i}`] = l.productId;
    values[`q${i}`] = l.base;
    values[`refLine${i}`] = l.refLineId ?? null;
    values[`cutoff${i}`] = l.cutoff;
  });
  return values;
}

type ManyLine = { index: number; refLineId?: string; product: ProductInfo; base: Qty; cutoff: string };

/**
 * The lines of reserveLines() in one statement (PostgreSQL, two or more lines of different products, FEFO): null when
 * concurrent reservations used up looked-ahead rows of a short line, so that the line-by-line path should decide.
 */
async function reserveManyInOneStatement(
  db: Db,
  actor: Actor,
  refType: string,
  refId: string,
  lines: ManyLine[],
): Promise<{ reservationIds: string[]; allocations: { lineIndex: number; lotId: string; locationId: string; quantity: string }[] } | null> {
  const rows = await reserveManyFefo(lines.length)(
    db,
    reservationValues(
      actor,
      refType,
      refId,
      lines.map((l) => ({ index: l.index, refLineId: l.refLineId, productId: l.product.id, base: l.base.toFixed(3), cutoff: l.cutoff })),
    ),
  );
  const byLine = new Map<number, ManyRow[]>();
  for (const r of rows) byLine.set(r.idx, [...(byLine.get(r.idx) ?? []), r]);
  const short = [...byLine.values()].map((rs) => rs[0]!).filter((r) => new Q(r.available).lt(r.q));
  if (short.length) {
    if (short.some((r) => r.locked >= r.wanted)) return null;
    const first = short.sort((a, b) => a.idx - b.idx)[0]!;
    throw new DomainError(InventoryErrors.INVENTORY_INSUFFICIENT, { requested: new Q(first.q).toFixed(3), available: new Q(first.available).toFixed(3) }, [
      {
        field: `lines.${first.idx}.quantity`,
        code: InventoryErrors.INVENTORY_INSUFFICIENT,
        params: { requested: new Q(first.q).toFixed(3), available: new Q(first.available).toFixed(3) },
      },
    ]);
  }
  const picked = rows.filter((r) => r.id).sort((a, b) => a.idx - b.idx);
  return {
    reservationIds: picked.map((r) => r.id!),
    allocations: picked.map((r) => ({ lineIndex: r.idx, lotId: r.lot_id!, locationId: r.location_id!, quantity: r.quantity! })),
  };
}

/**
 * Several reservation lines in one all-or-nothing operation; each line's quantity is converted to the base unit exactly.
 * `known` may hold products the caller already loaded (they are not read again).
 */
export async function reserveLines(
  db: Db,
  actor: Actor,
  input: {
    refType: string;
    refId: string;
    onDate?: string;
    lines: { refLineId?: string; productId: string; quantity: string; unit: string; lotId?: string; minRemainingShelfLifeDays?: number }[];
  },
  known?: ReadonlyMap<string, ProductInfo>,
  inTx = true,
): Promise<{ reservationIds: string[]; allocations: { lineIndex: number; lotId: string; locationId: string; quantity: string }[] }> {
  const products = new Map<string, ProductInfo>(known ?? []);
  const onLine = (i: number, err: unknown): unknown =>
    err instanceof DomainError
      ? new DomainError(
          err.code,
          err.params,
          err.fields.map((f) => ({ ...f, field: `lines.${i}.${f.field}` })),
        )
      : err;
  // Every line is checked before anything is reserved.
  const checked: { product: ProductInfo; base: Qty }[] = [];
  for (const [i, line] of input.lines.entries()) {
    try {
      positive(line.quantity);
      const product = products.get(line.productId) ?? (await productOrThrow(db, line.productId));
      products.set(product.id, product);
      checked.push({ product, base: toBaseOf(product, line.quantity, line.unit) });
    } catch (err) {
      throw onLine(i, err);
    }
  }
  // Several lines of different products (an order's), FEFO: one statement for all of them.
  const distinct = new Set(checked.map((c) => c.product.id)).size === checked.length;
  if (checked.length > 1 && checked.length <= MANY_MAX_LINES && distinct && input.lines.every((l) => !l.lotId)) {
    const onDate = input.onDate ?? today();
    const many = await reserveManyInOneStatement(
      db,
      actor,
      input.refType,
      input.refId,
      checked.map((c, i) => ({
        index: i,
        refLineId: input.lines[i]!.refLineId,
        product: c.product,
        base: c.base,
        cutoff: reservationCutoff(onDate, input.lines[i]!.minRemainingShelfLifeDays),
      })),
    );
    if (many) return many;
    if (!inTx) throw new NeedsTransaction();
  }
  // Line by line in product order (as the statement above locks), so two reservations of the same products cannot deadlock.
  const order = input.lines.map((_, i) => i).sort((a, b) => (checked[a]!.product.id < checked[b]!.product.id ? -1 : checked[a]!.product.id > checked[b]!.product.id ? 1 : a - b));
  const perLine: { ids: string[]; allocations: { lineIndex: number; lotId: string; locationId: string; quantity: string }[] }[] = [];
  for (const i of order) {
    const line = input.lines[i]!;
    const { product, base } = checked[i]!;
    try {
      const r = await reserveWith(
        db,
        actor,
        product,
        base,
        {
          refType: input.refType,
          refId: input.refId,
          refLineId: line.refLineId,
          productId: line.productId,
          quantity: base.toFixed(3),
          lotId: line.lotId,
          minRemainingShelfLifeDays: line.minRemainingShelfLifeDays,
          onDate: input.onDate,
        },
        inTx,
      );
      perLine[i] = { ids: r.reservationIds, allocations: r.allocations.map((a) => ({ ...a, lineIndex: i })) };
    } catch (err) {
      throw onLine(i, err);
    }
  }
  return { reservationIds: perLine.flatMap((x) => x.ids), allocations: perLine.flatMap((x) => x.allocations) };
}

/**
 * reserveLines() for a caller without a transaction (the reservations API): a one-line request is written by a single
 * statement, with no BEGIN/COMMIT round trips; anything else, or a one-line request that needs the incremental path,
 * runs reserveLines() in a transaction.
 */
export async function reserveLinesAutocommit(db: Db, actor: Actor, input: Parameters<typeof reserveLines>[2]): ReturnType<typeof reserveLines> {
  if (input.lines.length === 1) {
    try {
      return await reserveLines(db, actor, input, undefined, false);
    } catch (err) {
      if (!(err instanceof NeedsTransaction) && !isRetryable(err)) throw err;
    }
  }
  return inTransaction(db, (tx) => reserveLines(tx, actor, input));
}

export type LotListItem = LotInfo & { productCode: string | null; productName: string | null; unit: string | null; onHand: string; reserved: string };

export async function listLots(
  db: Db,
  f: { q?: string; productId?: string; status?: LotStatus; expired?: boolean; expiringWithinDays?: number; inStock?: boolean; page: number; pageSize: number; sort?: string },
): Promise<Page<LotListItem>> {
  const d = today();
  const conds: SQL[] = [];
  if (f.q) conds.push(sql`${lots.lotCode} ilike ${`%${f.q}%`}`);
  if (f.productId) conds.push(eq(lots.productId, f.productId));
  if (f.status) conds.push(eq(lots.qualityStatus, f.status));
  if (f.expired === true) conds.push(sql`${lots.expiryDate} < ${d}::date`);
  if (f.expired === false) conds.push(sql`${lots.expiryDate} >= ${d}::date`);
  if (f.expiringWithinDays !== undefined) conds.push(sql`${lots.expiryDate} >= ${d}::date and ${lots.expiryDate} <= ${addDays(d, f.expiringWithinDays)}::date`);
  const onHand = sql<string>`coalesce((select sum(b.on_hand) from stock_balances b where b.lot_id = ${lots.id}), 0)::text`;
  const reserved = sql<string>`coalesce((select sum(b.reserved) from stock_balances b where b.lot_id = ${lots.id}), 0)::text`;
  if (f.inStock) conds.push(sql`exists (select 1 from stock_balances b where b.lot_id = ${lots.id} and b.on_hand > 0)`);
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(
    f.sort,
    { lotCode: lots.lotCode, expiryDate: lots.expiryDate, productionDate: lots.productionDate, createdAt: lots.createdAt, qualityStatus: lots.qualityStatus },
    [sql`${lots.createdAt} desc`, asc(lots.id)],
  );
  const [rows, total] = await Promise.all([
    db
      .select({ l: lots, onHand, reserved })
      .from(lots)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(lots).where(where),
  ]);
  const products = await getProducts(
    db,
    rows.map((r) => r.l.productId),
  );
  return {
    items: rows.map((r) => {
      const p = products.get(r.l.productId);
      return { ...lotInfo(r.l), productCode: p?.code ?? null, productName: p?.name ?? null, unit: p?.baseUnit ?? null, onHand: fmtQty(r.onHand), reserved: fmtQty(r.reserved) };
    }),
    total: total[0]?.n ?? 0,
    page: f.page,
    pageSize: f.pageSize,
  };
}

/** A lot with its balances per location, status history and (latest 500) ledger rows. */
export async function lotDetail(db: Db, id: string) {
  const row = await loadLot(db, id, 'id');
  const p = await getProduct(db, row.productId);
  const balances = await lotBalances(db, id);
  const onHand = balances.reduce((s, b) => s.plus(b.onHand), new Q(0));
  const reserved = balances.reduce((s, b) => s.plus(b.reserved), new Q(0));
  const history = (await lotStatusHistory(db, id)).map((h) => ({ fromState: h.fromState, toState: h.toState, event: h.event, actorName: h.actorName, reason: h.reason, at: h.at }));
  const ledger = await listLedger(db, { lotId: id, page: 1, pageSize: 500, sort: 'seq' });
  return {
    ...lotInfo(row),
    productCode: p?.code ?? null,
    productName: p?.name ?? null,
    unit: p?.baseUnit ?? null,
    onHand: onHand.toFixed(3),
    reserved: reserved.toFixed(3),
    balances,
    history,
    ledger: ledger.items,
  };
}
