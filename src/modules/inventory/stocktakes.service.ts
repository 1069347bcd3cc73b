import { and, asc, count, eq, sql, type SQL } from 'drizzle-orm';
import { can, type Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { clock } from '../../platform/clock.js';
import { queryRows, type Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import { fmtQty, Q, qty } from '../../platform/quantity.js';
import { historyOf, recordInitialState, transition } from '../../platform/state-machine.js';
import { getProducts, listProductIds } from '../catalog/index.js';
import { InventoryErrors } from './inventory.errors.js';
import { postStocktakeAdjustment } from './inventory.service.js';
import { locations, lots, stocktakeLines, stocktakes, warehouses, type StocktakeStatus, type TempZone, type VarianceReason } from './inventory.tables.js';
import { stocktakeMachine } from './lots.states.js';

export type StocktakeLineView = {
  id: string;
  productId: string;
  productCode: string | null;
  productName: string | null;
  unit: string | null;
  lotId: string;
  lotCode: string;
  expiryDate: string;
  locationId: string;
  locationCode: string;
  zone: string;
  countedQuantity: string | null;
  /** Hidden (null) from counters and while counting: blind count. */
  expectedQuantity: string | null;
  variance: string | null;
  reasonCode: VarianceReason | null;
  note: string | null;
  countedBy: string | null;
  countedAt: Date | null;
};

export type StocktakeView = {
  id: string;
  number: string;
  warehouseId: string;
  warehouseCode: string;
  zone: string | null;
  category: string | null;
  status: StocktakeStatus;
  note: string | null;
  createdBy: string;
  createdAt: Date;
  submittedAt: Date | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  lineCount: number;
  countedCount: number;
  /** Whether expected quantities and variances are shown to this actor at this step. */
  blind: boolean;
};

export type StocktakeDetail = StocktakeView & {
  lines: StocktakeLineView[];
  history: { fromState: string | null; toState: string; event: string; actorName: string; reason: string | null; at: Date }[];
};

type StRow = typeof stocktakes.$inferSelect;

/** Expected quantities are shown only to approvers, and only once counting is over. */
export function isBlind(actor: Actor, status: StocktakeStatus): boolean {
  return status === 'counting' || !can(actor, 'inventory:approve');
}

async function loadStocktake(db: Db, id: string, forUpdate = false): Promise<StRow> {
  const q = db.select().from(stocktakes).where(eq(stocktakes.id, id));
  const [r] = forUpdate ? await q.for('update') : await q;
  if (!r) throw new DomainError(InventoryErrors.STOCKTAKE_NOT_FOUND);
  return r;
}

/** Opens a stocktake for a warehouse (optionally one zone and/or product category): snapshots the expected quantities. */
export async function createStocktake(
  db: Db,
  actor: Actor,
  input: { warehouseId: string; zone?: TempZone | null; category?: string | null; note?: string | null },
): Promise<StocktakeDetail> {
  const [wh] = await db.select().from(warehouses).where(eq(warehouses.id, input.warehouseId));
  if (!wh) throw new DomainError(InventoryErrors.WAREHOUSE_NOT_FOUND, {}, [{ field: 'warehouseId', code: InventoryErrors.WAREHOUSE_NOT_FOUND }]);
  const productIds = input.category ? await listProductIds(db, { category: input.category }) : null;
  if (productIds && !productIds.length) throw new DomainError(InventoryErrors.STOCKTAKE_EMPTY);
  const rows = await queryRows<{ product_id: string; lot_id: string; location_id: string; on_hand: string }>(
    db,
    sql`select b.product_id, b.lot_id, b.location_id, b.on_hand::text as on_hand
        from stock_balances b join locations l on l.id = b.location_id
        where b.warehouse_id = ${wh.id} and b.on_hand > 0
          ${input.zone ? sql`and l.zone = ${input.zone}` : sql``}
          ${
            productIds
              ? sql`and b.product_id in (${sql.join(
                  productIds.map((p) => sql`${p}`),
                  sql`, `,
                )})`
              : sql``
          }
        order by l.code, b.lot_id`,
  );
  if (!rows.length) throw new DomainError(InventoryErrors.STOCKTAKE_EMPTY);
  const number = await nextDocNumber(db, 'ST', clock.now());
  const [st] = await db
    .insert(stocktakes)
    .values({ number, warehouseId: wh.id, zone: input.zone ?? null, category: input.category ?? null, note: input.note ?? null, createdBy: actor.username })
    .returning();
  await db
    .insert(stocktakeLines)
    .values(rows.map((r) => ({ stocktakeId: st!.id, productId: r.product_id, lotId: r.lot_id, locationId: r.location_id, expectedQuantity: fmtQty(r.on_hand) })));
  await recordInitialState(db, actor, stocktakeMachine, st!.id);
  await recordAudit(db, actor, {
    action: 'stocktake.create',
    entity: 'stocktake',
    entityId: st!.id,
    after: { number, warehouseId: wh.id, zone: input.zone ?? null, category: input.category ?? null, lines: rows.length },
  });
  return getStocktake(db, actor, st!.id);
}

export type CountInput = { lineId?: string; lotId?: string; locationId?: string; countedQuantity: string; note?: string | null };

/** Blind count entry: counters record what they see; lines found outside the snapshot may be added (expected 0). */
export async function enterCounts(db: Db, actor: Actor, id: string, counts: CountInput[]): Promise<StocktakeDetail> {
  const st = await loadStocktake(db, id, true);
  if (st.status !== 'counting') throw new DomainError(InventoryErrors.STOCKTAKE_NOT_COUNTING, { number: st.number });
  const now = clock.now();
  for (const [i, c] of counts.entries()) {
    let counted;
    try {
      counted = qty(c.countedQuantity);
    } catch (err) {
      if (err instanceof DomainError) throw new DomainError(err.code, err.params, [{ field: `counts.${i}.countedQuantity`, code: err.code, params: err.params }]);
      throw err;
    }
    if (counted.lt(0))
      throw new DomainError('QUANTITY_INVALID', { value: c.countedQuantity }, [{ field: `counts.${i}.countedQuantity`, code: 'FIELD_TOO_SMALL', params: { minimum: 0 } }]);
    if (c.lineId) {
      const rows = await db
        .update(stocktakeLines)
        .set({ countedQuantity: counted.toFixed(3), note: c.note ?? null, countedBy: actor.username, countedAt: now })
        .where(and(eq(stocktakeLines.id, c.lineId), eq(stocktakeLines.stocktakeId, st.id)))
        .returning({ id: stocktakeLines.id });
      if (!rows.length)
        throw new DomainError(InventoryErrors.STOCKTAKE_LINE_NOT_FOUND, { lineId: c.lineId }, [
          { field: `counts.${i}.lineId`, code: InventoryErrors.STOCKTAKE_LINE_NOT_FOUND, params: { lineId: c.lineId } },
        ]);
      continue;
    }
    if (!c.lotId || !c.locationId) throw new DomainError('VALIDATION_FAILED', {}, [{ field: `counts.${i}.lineId`, code: 'FIELD_REQUIRED' }]);
    const [lot] = await db.select().from(lots).where(eq(lots.id, c.lotId));
    if (!lot) throw new DomainError(InventoryErrors.LOT_NOT_FOUND, {}, [{ field: `counts.${i}.lotId`, code: InventoryErrors.LOT_NOT_FOUND }]);
    const [loc] = await db.select().from(locations).where(eq(locations.id, c.locationId));
    if (!loc) throw new DomainError(InventoryErrors.LOCATION_NOT_FOUND, {}, [{ field: `counts.${i}.locationId`, code: InventoryErrors.LOCATION_NOT_FOUND }]);
    if (loc.warehouseId !== st.warehouseId)
      throw new DomainError(InventoryErrors.LOCATION_WAREHOUSE_MISMATCH, { location: loc.code }, [
        { field: `counts.${i}.locationId`, code: InventoryErrors.LOCATION_WAREHOUSE_MISMATCH, params: { location: loc.code } },
      ]);
    await db
      .insert(stocktakeLines)
      .values({
        stocktakeId: st.id,
        productId: lot.productId,
        lotId: lot.id,
        locationId: loc.id,
        expectedQuantity: '0',
        countedQuantity: counted.toFixed(3),
        note: c.note ?? null,
        countedBy: actor.username,
        countedAt: now,
      })
      .onConflictDoUpdate({
        target: [stocktakeLines.stocktakeId, stocktakeLines.lotId, stocktakeLines.locationId],
        set: { countedQuantity: counted.toFixed(3), note: c.note ?? null, countedBy: actor.username, countedAt: now },
      });
  }
  await recordAudit(db, actor, {
    action: 'stocktake.count',
    entity: 'stocktake',
    entityId: st.id,
    after: { counts: counts.map((c) => ({ lineId: c.lineId ?? null, lotId: c.lotId ?? null, locationId: c.locationId ?? null, countedQuantity: c.countedQuantity })) },
  });
  return getStocktake(db, actor, st.id);
}

/** Ends counting: every line needs a count. */
export async function submitStocktake(db: Db, actor: Actor, id: string): Promise<StocktakeDetail> {
  const st = await loadStocktake(db, id, true);
  if (st.status === 'approved') throw new DomainError(InventoryErrors.STOCKTAKE_ALREADY_APPROVED, { number: st.number });
  const [missing] = await db
    .select({ n: count() })
    .from(stocktakeLines)
    .where(and(eq(stocktakeLines.stocktakeId, st.id), sql`${stocktakeLines.countedQuantity} is null`));
  if ((missing?.n ?? 0) > 0) throw new DomainError(InventoryErrors.STOCKTAKE_UNCOUNTED, { count: missing!.n });
  const to = await transition(db, actor, stocktakeMachine, { id: st.id, from: st.status, event: 'submit' });
  await db.update(stocktakes).set({ status: to, submittedAt: clock.now() }).where(eq(stocktakes.id, st.id));
  await recordAudit(db, actor, { action: 'stocktake.submit', entity: 'stocktake', entityId: st.id, before: { status: st.status }, after: { status: to } });
  return getStocktake(db, actor, st.id);
}

/** The reviewer explains each variance with a reason code. */
export async function setVarianceReasons(
  db: Db,
  actor: Actor,
  id: string,
  reasons: { lineId: string; reasonCode: VarianceReason; note?: string | null }[],
): Promise<StocktakeDetail> {
  const st = await loadStocktake(db, id, true);
  if (st.status === 'approved') throw new DomainError(InventoryErrors.STOCKTAKE_ALREADY_APPROVED, { number: st.number });
  if (st.status !== 'submitted') throw new DomainError(InventoryErrors.STOCKTAKE_NOT_SUBMITTED, { number: st.number });
  for (const [i, r] of reasons.entries()) {
    const rows = await db
      .update(stocktakeLines)
      .set({ reasonCode: r.reasonCode, ...(r.note !== undefined ? { note: r.note } : {}) })
      .where(and(eq(stocktakeLines.id, r.lineId), eq(stocktakeLines.stocktakeId, st.id)))
      .returning({ id: stocktakeLines.id });
    if (!rows.length)
      throw new DomainError(InventoryErrors.STOCKTAKE_LINE_NOT_FOUND, { lineId: r.lineId }, [
        { field: `reasons.${i}.lineId`, code: InventoryErrors.STOCKTAKE_LINE_NOT_FOUND, params: { lineId: r.lineId } },
      ]);
  }
  await recordAudit(db, actor, { action: 'stocktake.reasons', entity: 'stocktake', entityId: st.id, after: { reasons } });
  return getStocktake(db, actor, st.id);
}

/** Manager approval: posts every variance to the ledger as an adjustment with its reason code. Approving twice is a 409. */
export async function approveStocktake(db: Db, actor: Actor, id: string): Promise<StocktakeDetail> {
  const st = await loadStocktake(db, id, true);
  if (st.status === 'approved') throw new DomainError(InventoryErrors.STOCKTAKE_ALREADY_APPROVED, { number: st.number });
  if (st.status !== 'submitted') throw new DomainError(InventoryErrors.STOCKTAKE_NOT_SUBMITTED, { number: st.number });
  const lines = await db.select().from(stocktakeLines).where(eq(stocktakeLines.stocktakeId, st.id)).orderBy(asc(stocktakeLines.lotId), asc(stocktakeLines.locationId));
  const variances = lines.map((l) => ({ line: l, delta: new Q(l.countedQuantity ?? l.expectedQuantity).minus(l.expectedQuantity) })).filter((v) => !v.delta.eq(0));
  const missing = variances.filter((v) => !v.line.reasonCode);
  if (missing.length)
    throw new DomainError(
      InventoryErrors.STOCKTAKE_REASON_REQUIRED,
      { count: missing.length },
      missing.map((v) => ({ field: `lines.${v.line.id}.reasonCode`, code: 'FIELD_REQUIRED' })),
    );
  const to = await transition(db, actor, stocktakeMachine, { id: st.id, from: st.status, event: 'approve' });
  const upd = await db
    .update(stocktakes)
    .set({ status: to, approvedBy: actor.username, approvedAt: clock.now() })
    .where(and(eq(stocktakes.id, st.id), eq(stocktakes.status, 'submitted')))
    .returning({ id: stocktakes.id });
  if (!upd.length) throw new DomainError(InventoryErrors.STOCKTAKE_ALREADY_APPROVED, { number: st.number });
  const ledgerIds: string[] = [];
  for (const v of variances)
    ledgerIds.push(await postStocktakeAdjustment(db, actor, { lotId: v.line.lotId, locationId: v.line.locationId, delta: v.delta, reason: v.line.reasonCode!, refId: st.number }));
  await recordAudit(db, actor, {
    action: 'stocktake.approve',
    entity: 'stocktake',
    entityId: st.id,
    before: { status: st.status },
    after: {
      status: to,
      adjustments: variances.map((v) => ({ lotId: v.line.lotId, locationId: v.line.locationId, delta: v.delta.toFixed(3), reason: v.line.reasonCode })),
      ledgerIds,
    },
  });
  return getStocktake(db, actor, st.id);
}

export async function cancelStocktake(db: Db, actor: Actor, id: string, reason: string): Promise<StocktakeDetail> {
  const st = await loadStocktake(db, id, true);
  if (st.status === 'approved') throw new DomainError(InventoryErrors.STOCKTAKE_ALREADY_APPROVED, { number: st.number });
  const to = await transition(db, actor, stocktakeMachine, { id: st.id, from: st.status, event: 'cancel', reason });
  await db.update(stocktakes).set({ status: to }).where(eq(stocktakes.id, st.id));
  await recordAudit(db, actor, { action: 'stocktake.cancel', entity: 'stocktake', entityId: st.id, before: { status: st.status }, after: { status: to, reason } });
  return getStocktake(db, actor, st.id);
}

async function viewOf(db: Db, actor: Actor, st: StRow): Promise<StocktakeView> {
  const [wh] = await db.select({ code: warehouses.code }).from(warehouses).where(eq(warehouses.id, st.warehouseId));
  const [c] = await db
    .select({ n: count(), counted: sql<number>`count(${stocktakeLines.countedQuantity})::int` })
    .from(stocktakeLines)
    .where(eq(stocktakeLines.stocktakeId, st.id));
  return { ...st, warehouseCode: wh?.code ?? '', lineCount: c?.n ?? 0, countedCount: Number(c?.counted ?? 0), blind: isBlind(actor, st.status) };
}

export async function getStocktake(db: Db, actor: Actor, id: string): Promise<StocktakeDetail> {
  const st = await loadStocktake(db, id);
  const view = await viewOf(db, actor, st);
  const rows = await db
    .select({ l: stocktakeLines, lotCode: lots.lotCode, expiryDate: lots.expiryDate, locationCode: locations.code, zone: locations.zone })
    .from(stocktakeLines)
    .innerJoin(lots, eq(lots.id, stocktakeLines.lotId))
    .innerJoin(locations, eq(locations.id, stocktakeLines.locationId))
    .where(eq(stocktakeLines.stocktakeId, st.id))
    .orderBy(asc(locations.code), asc(lots.lotCode));
  const products = await getProducts(
    db,
    rows.map((r) => r.l.productId),
  );
  const blind = view.blind;
  const lines: StocktakeLineView[] = rows.map(({ l, lotCode, expiryDate, locationCode, zone }) => ({
    id: l.id,
    productId: l.productId,
    productCode: products.get(l.productId)?.code ?? null,
    productName: products.get(l.productId)?.name ?? null,
    unit: products.get(l.productId)?.baseUnit ?? null,
    lotId: l.lotId,
    lotCode,
    expiryDate,
    locationId: l.locationId,
    locationCode,
    zone,
    countedQuantity: l.countedQuantity === null ? null : fmtQty(l.countedQuantity),
    expectedQuantity: blind ? null : fmtQty(l.expectedQuantity),
    variance: blind || l.countedQuantity === null ? null : new Q(l.countedQuantity).minus(l.expectedQuantity).toFixed(3),
    reasonCode: l.reasonCode,
    note: l.note,
    countedBy: l.countedBy,
    countedAt: l.countedAt,
  }));
  const history = (await historyOf(db, stocktakeMachine.entity, st.id)).map((h) => ({
    fromState: h.fromState,
    toState: h.toState,
    event: h.event,
    actorName: h.actorName,
    reason: h.reason,
    at: h.at,
  }));
  return { ...view, lines, history };
}

export async function listStocktakes(
  db: Db,
  actor: Actor,
  f: { warehouseId?: string; status?: StocktakeStatus; q?: string; page: number; pageSize: number; sort?: string },
): Promise<Page<StocktakeView>> {
  const conds: SQL[] = [];
  if (f.warehouseId) conds.push(eq(stocktakes.warehouseId, f.warehouseId));
  if (f.status) conds.push(eq(stocktakes.status, f.status));
  if (f.q) conds.push(sql`${stocktakes.number} ilike ${`%${f.q}%`}`);
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { number: stocktakes.number, createdAt: stocktakes.createdAt, status: stocktakes.status }, [sql`${stocktakes.createdAt} desc`]);
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(stocktakes)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(stocktakes).where(where),
  ]);
  const items: StocktakeView[] = [];
  for (const r of rows) items.push(await viewOf(db, actor, r));
  return { items, total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}
