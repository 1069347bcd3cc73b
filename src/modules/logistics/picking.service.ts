/**
 * Pick lists: from the active reservations of one order or a wave of several, allocated over each order line's
 * reservations in FEFO order (the inventory's allocator) and walked bin by bin; confirmed by scanning or typing each
 * line's lot code. A wrong or held lot is refused; what could not be picked leaves a backorder line. The stock issue
 * (reserved → issued) and the order's move to ready go through the order core (confirmOrderPick → pickPlan).
 */
import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { clock } from '../../platform/clock.js';
import { queryRows, type Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError, type FieldIssue } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import { Q, fmtQty, type Qty } from '../../platform/quantity.js';
import { recordInitialState, transition } from '../../platform/state-machine.js';
import { allocateFefo, compareFefo, confirmOrderPick, getLots, getOrder, listReservations, locationPlaces, type ReservationView } from './deps.js';
import { LogisticsErrors } from './logistics.errors.js';
import { pickListMachine } from './logistics.states.js';
import { backorders, pickListLines, pickLists, type BackorderStatus, type PickStatus } from './logistics.tables.js';

type PickListRow = typeof pickLists.$inferSelect;
type LineRow = typeof pickListLines.$inferSelect;
type BackorderRow = typeof backorders.$inferSelect;

export type PickListSummary = PickListRow & { lineCount: number; shortLines: number };
export type PickListDetail = PickListSummary & { lines: LineRow[]; backorders: BackorderRow[] };

const PICKABLE = ['approved', 'in_production', 'ready'];
/** The first key of the pick-list advisory locks (the second is the order id's hash). */
const PICK_LOCK_KEY = 7_401_015;
const walkCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** The walk through the warehouse: by warehouse, then bin code in natural order (A-2 before A-10). */
export function compareWalk(a: { warehouseCode: string; locationCode: string }, b: { warehouseCode: string; locationCode: string }): number {
  return walkCollator.compare(a.warehouseCode, b.warehouseCode) || walkCollator.compare(a.locationCode, b.locationCode);
}

type Planned = Omit<typeof pickListLines.$inferInsert, 'pickListId' | 'seq'> & { fefo: { expiryDate: string; productionDate: string; lotId: string; locationId: string } };

/** The lines of one order: each order line's reservations, allocated in FEFO order over what is still reserved. */
async function plannedLines(db: Db, actor: Actor, orderId: string, orderNumber: string): Promise<Planned[]> {
  const res = (await listReservations(db, actor, { refType: 'order', refId: orderId, status: 'active', page: 1, pageSize: 500 })).items.filter((r) => new Q(r.quantity).gt(0));
  const lots = await getLots(
    db,
    res.map((r) => r.lotId),
  );
  const places = await locationPlaces(
    db,
    res.map((r) => r.locationId),
  );
  const byLine = new Map<string, ReservationView[]>();
  for (const r of res) byLine.set(r.refLineId ?? r.productId, [...(byLine.get(r.refLineId ?? r.productId) ?? []), r]);
  const out: Planned[] = [];
  for (const rs of byLine.values()) {
    const candidates = rs.map((r) => ({
      r,
      expiryDate: r.expiryDate,
      productionDate: lots.get(r.lotId)?.productionDate ?? r.expiryDate,
      lotId: r.lotId,
      locationId: r.locationId,
      free: r.quantity,
    }));
    const total = rs.reduce((s, r) => s.plus(r.quantity), new Q(0));
    for (const a of allocateFefo(candidates, total).allocations) {
      const r = a.candidate.r;
      out.push({
        orderId,
        orderNumber,
        orderLineId: r.refLineId && /^[0-9a-f-]{36}$/i.test(r.refLineId) ? r.refLineId : null,
        reservationId: r.id,
        productId: r.productId,
        productCode: r.productCode ?? '',
        productName: r.productName ?? '',
        lotId: r.lotId,
        lotCode: r.lotCode,
        expiryDate: r.expiryDate,
        locationId: r.locationId,
        locationCode: places.get(r.locationId)?.code ?? r.locationCode,
        warehouseCode: places.get(r.locationId)?.warehouseCode ?? '',
        unit: r.unit ?? '',
        quantity: a.quantity.toFixed(3),
        fefo: a.candidate,
      });
    }
  }
  return out;
}

async function openListOf(db: Db, orderId: string): Promise<string | null> {
  const [r] = await db
    .select({ number: pickLists.number })
    .from(pickLists)
    .where(and(eq(pickLists.status, 'open'), sql`${orderId}::uuid = any(${pickLists.orderIds})`));
  return r?.number ?? null;
}

/** Makes a pick list for one order or a wave of several (approved, in production or ready, with stock reserved and no open pick list). */
export async function createPickList(db: Db, actor: Actor, input: { orderIds: string[]; note?: string | null }): Promise<PickListDetail> {
  const ids = [...new Set(input.orderIds)];
  // One pick list at a time per order: two pickers making lists for the same order wait for each other (ids in a
  // fixed order, so two waves cannot deadlock), and the second sees the first list as open.
  for (const id of [...ids].sort()) await queryRows(db, sql`select pg_advisory_xact_lock(${PICK_LOCK_KEY}, hashtext(${id}))`);
  const planned: Planned[] = [];
  const numbers: string[] = [];
  for (const [i, id] of ids.entries()) {
    const o = await getOrder(db, actor, id);
    const field = `orderIds.${i}`;
    if (!PICKABLE.includes(o.status))
      throw new DomainError(LogisticsErrors.ORDER_NOT_READY_FOR_LOGISTICS, { number: o.number, status: o.status }, [
        { field, code: LogisticsErrors.ORDER_NOT_READY_FOR_LOGISTICS },
      ]);
    const open = await openListOf(db, id);
    if (open) throw new DomainError(LogisticsErrors.PICK_ALREADY_LISTED, { number: o.number, pickList: open }, [{ field, code: LogisticsErrors.PICK_ALREADY_LISTED }]);
    const lines = await plannedLines(db, actor, id, o.number);
    if (!lines.length) throw new DomainError(LogisticsErrors.PICK_NOTHING_TO_PICK, { number: o.number }, [{ field, code: LogisticsErrors.PICK_NOTHING_TO_PICK }]);
    planned.push(...lines);
    numbers.push(o.number);
  }
  planned.sort((a, b) => compareWalk(a, b) || compareFefo(a.fefo, b.fefo) || a.orderNumber.localeCompare(b.orderNumber));
  const number = await nextDocNumber(db, 'PK', clock.now());
  const [list] = await db
    .insert(pickLists)
    .values({ number, orderIds: ids, orderNumbers: numbers, note: input.note ?? null, createdBy: actor.displayName })
    .returning();
  await db.insert(pickListLines).values(planned.map(({ fefo: _f, ...l }, i) => ({ ...l, pickListId: list!.id, seq: i + 1 })));
  await recordInitialState(db, actor, pickListMachine, list!.id);
  await recordAudit(db, actor, { action: 'pick-list.create', entity: 'pick_list', entityId: list!.id, after: { number, orders: numbers, lines: planned.length } });
  return getPickList(db, list!.id);
}

export async function getPickList(db: Db, id: string): Promise<PickListDetail> {
  const [list] = await db.select().from(pickLists).where(eq(pickLists.id, id));
  if (!list) throw new DomainError(LogisticsErrors.PICK_LIST_NOT_FOUND);
  const [lines, bos] = await Promise.all([
    db.select().from(pickListLines).where(eq(pickListLines.pickListId, id)).orderBy(asc(pickListLines.seq)),
    db
      .select()
      .from(backorders)
      .where(inArray(backorders.pickListLineId, db.select({ id: pickListLines.id }).from(pickListLines).where(eq(pickListLines.pickListId, id))))
      .orderBy(asc(backorders.createdAt)),
  ]);
  return { ...list, lineCount: lines.length, shortLines: lines.filter((l) => l.status === 'short').length, lines, backorders: bos };
}

export async function listPickLists(
  db: Db,
  f: { q?: string; status?: PickStatus; orderId?: string; page: number; pageSize: number; sort?: string },
): Promise<Page<PickListSummary>> {
  const conds: SQL[] = [];
  if (f.q) conds.push(sql`(${pickLists.number} ilike ${`%${f.q}%`} or array_to_string(${pickLists.orderNumbers}, ' ') ilike ${`%${f.q}%`})`);
  if (f.status) conds.push(eq(pickLists.status, f.status));
  if (f.orderId) conds.push(sql`${f.orderId}::uuid = any(${pickLists.orderIds})`);
  const where = conds.length ? and(...conds) : undefined;
  const lineCount = sql<number>`(select count(*)::int from ${pickListLines} l where l.pick_list_id = pick_lists.id)`;
  const shortLines = sql<number>`(select count(*)::int from ${pickListLines} l where l.pick_list_id = pick_lists.id and l.status = 'short')`;
  const order = orderByOf(f.sort, { number: pickLists.number, status: pickLists.status, createdAt: pickLists.createdAt, confirmedAt: pickLists.confirmedAt }, [
    desc(pickLists.createdAt),
    desc(pickLists.number),
  ]);
  const [rows, total] = await Promise.all([
    db
      .select({ p: pickLists, lineCount, shortLines })
      .from(pickLists)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(pickLists).where(where),
  ]);
  return { items: rows.map((r) => ({ ...r.p, lineCount: Number(r.lineCount), shortLines: Number(r.shortLines) })), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

export async function listBackorders(
  db: Db,
  f: { q?: string; status?: BackorderStatus; orderId?: string; page: number; pageSize: number; sort?: string },
): Promise<Page<BackorderRow>> {
  const conds: SQL[] = [];
  if (f.q)
    conds.push(
      sql`(${backorders.orderNumber} ilike ${`%${f.q}%`} or ${backorders.productCode} ilike ${`%${f.q}%`} or ${backorders.productName} ilike ${`%${f.q}%`} or ${backorders.pickListNumber} ilike ${`%${f.q}%`})`,
    );
  if (f.status) conds.push(eq(backorders.status, f.status));
  if (f.orderId) conds.push(eq(backorders.orderId, f.orderId));
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { createdAt: backorders.createdAt, orderNumber: backorders.orderNumber, productCode: backorders.productCode, quantity: backorders.quantity }, [
    desc(backorders.createdAt),
    asc(backorders.id),
  ]);
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(backorders)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(backorders).where(where),
  ]);
  return { items: rows, total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

async function lockOpen(db: Db, id: string): Promise<PickListRow> {
  const [list] = await db.select().from(pickLists).where(eq(pickLists.id, id)).for('update');
  if (!list) throw new DomainError(LogisticsErrors.PICK_LIST_NOT_FOUND);
  if (list.status !== 'open') throw new DomainError(LogisticsErrors.PICK_LIST_NOT_OPEN, { number: list.number, status: list.status });
  return list;
}

const fail = (issues: (FieldIssue & { params?: Record<string, unknown> })[]): DomainError =>
  issues.length === 1 ? new DomainError(issues[0]!.code, issues[0]!.params ?? {}, issues) : new DomainError('VALIDATION_FAILED', {}, issues);

/**
 * Confirms a pick list: every line with the lot code scanned or typed and the quantity taken. A wrong lot, a lot that is
 * no longer released, or more than reserved is refused (nothing is written); less than reserved leaves a backorder line.
 */
export async function confirmPickList(db: Db, actor: Actor, id: string, input: { lines: { lineId: string; lotCode: string; quantity: string }[] }): Promise<PickListDetail> {
  const list = await lockOpen(db, id);
  const lines = await db.select().from(pickListLines).where(eq(pickListLines.pickListId, id)).orderBy(asc(pickListLines.seq));
  const byId = new Map(lines.map((l) => [l.id, l]));
  const lots = await getLots(
    db,
    lines.map((l) => l.lotId),
  );
  const issues: (FieldIssue & { params?: Record<string, unknown> })[] = [];
  const given = new Map<string, { lotCode: string; picked: Qty }>();
  input.lines.forEach((g, i) => {
    const l = byId.get(g.lineId);
    if (!l) return issues.push({ field: `lines.${i}.lineId`, code: LogisticsErrors.PICK_LINE_UNKNOWN });
    const picked = new Q(g.quantity);
    if (picked.lt(0)) return issues.push({ field: `lines.${i}.quantity`, code: 'FIELD_TOO_SMALL', params: { minimum: 0 } });
    if (picked.gt(0) && g.lotCode.trim().toUpperCase() !== l.lotCode.toUpperCase())
      return issues.push({ field: `lines.${i}.lotCode`, code: LogisticsErrors.PICK_WRONG_LOT, params: { scanned: g.lotCode.trim(), seq: l.seq, lotCode: l.lotCode } });
    const lot = lots.get(l.lotId);
    if (picked.gt(0) && lot && lot.qualityStatus !== 'released')
      return issues.push({ field: `lines.${i}.lotCode`, code: LogisticsErrors.PICK_LOT_HELD, params: { lotCode: l.lotCode, status: lot.qualityStatus } });
    if (picked.gt(l.quantity))
      return issues.push({
        field: `lines.${i}.quantity`,
        code: LogisticsErrors.PICK_EXCEEDS_RESERVED,
        params: { seq: l.seq, picked: fmtQty(picked), reserved: fmtQty(l.quantity) },
      });
    given.set(l.id, { lotCode: g.lotCode.trim(), picked });
  });
  for (const l of lines)
    if (!given.has(l.id) && !input.lines.some((g) => g.lineId === l.id))
      issues.push({ field: 'lines', code: LogisticsErrors.PICK_LINE_MISSING, params: { seq: l.seq, lotCode: l.lotCode } });
  if (issues.length) throw fail(issues);

  const now = clock.now();
  // Orders in a fixed order (by id), so two waves over the same orders take their row locks alike.
  for (const orderId of [...list.orderIds].sort()) {
    const mine = lines.filter((l) => l.orderId === orderId);
    const issuesOf = mine.filter((l) => given.get(l.id)!.picked.gt(0)).map((l) => ({ reservationId: l.reservationId, quantity: given.get(l.id)!.picked.toFixed(3) }));
    const short = mine.filter((l) => given.get(l.id)!.picked.lt(l.quantity));
    for (const l of short)
      await db.insert(backorders).values({
        pickListLineId: l.id,
        pickListNumber: list.number,
        orderId,
        orderNumber: l.orderNumber,
        orderLineId: l.orderLineId,
        productId: l.productId,
        productCode: l.productCode,
        productName: l.productName,
        unit: l.unit,
        quantity: new Q(l.quantity).minus(given.get(l.id)!.picked).toFixed(3),
      });
    await confirmOrderPick(db, actor, orderId, {
      pickListId: list.id,
      pickListNumber: list.number,
      issues: issuesOf,
      shortReservationIds: short.map((l) => l.reservationId),
      backorderLines: short.length,
    });
  }
  for (const l of lines) {
    const g = given.get(l.id)!;
    await db
      .update(pickListLines)
      .set({ pickedQuantity: g.picked.toFixed(3), scannedLotCode: g.lotCode || null, status: g.picked.lt(l.quantity) ? 'short' : 'picked' })
      .where(eq(pickListLines.id, l.id));
  }
  await transition(db, actor, pickListMachine, { id, from: 'open', event: 'confirm' });
  await db
    .update(pickLists)
    .set({ status: 'confirmed', confirmedBy: actor.displayName, confirmedAt: now })
    .where(and(eq(pickLists.id, id), eq(pickLists.status, 'open')));
  await recordAudit(db, actor, {
    action: 'pick-list.confirm',
    entity: 'pick_list',
    entityId: id,
    before: { status: 'open' },
    after: { status: 'confirmed', lines: lines.map((l) => ({ seq: l.seq, lotCode: l.lotCode, quantity: l.quantity, picked: given.get(l.id)!.picked.toFixed(3) })) },
  });
  return getPickList(db, id);
}

/** Cancels an open pick list (with a reason); the reservations stay with their orders. */
export async function cancelPickList(db: Db, actor: Actor, id: string, reason: string): Promise<PickListDetail> {
  await lockOpen(db, id);
  await transition(db, actor, pickListMachine, { id, from: 'open', event: 'cancel', reason });
  await db
    .update(pickLists)
    .set({ status: 'cancelled' })
    .where(and(eq(pickLists.id, id), eq(pickLists.status, 'open')));
  await recordAudit(db, actor, { action: 'pick-list.cancel', entity: 'pick_list', entityId: id, before: { status: 'open' }, after: { status: 'cancelled', reason } });
  return getPickList(db, id);
}
