/**
 * Shipments of a ready order: packed into packages (SSCC, package type, per-package quantity and actual weight —
 * catch weight: the amount to invoice follows the actual weight within the tolerance setting, beyond it an approval),
 * checked before dispatch (R4.4: packaging, labels, product temperature within the band, lots released; who and when),
 * dispatched with the chosen carrier and a tracking number (the order is shipped and the customer told, through the
 * order core), delivered with receiver and proof (the order is delivered, and completed when nothing is backordered)
 * or failed with a reason. Temperature readings per shipment flag excursions and put the shipment's lots on hold.
 */
import { and, asc, count, desc, eq, ne, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError, type FieldIssue } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import { notifyUsers } from '../../platform/notifications/notifications.service.js';
import { Q } from '../../platform/quantity.js';
import { getSetting } from '../../platform/settings/settings.service.js';
import { recordInitialState, transition } from '../../platform/state-machine.js';
import { needsOf } from './carriers.service.js';
import { advanceOrder, changeLotStatus, deliverOrder, getLots, getOrder, getProducts, gs1CheckDigit, shipOrder } from './deps.js';
import { LogisticsErrors } from './logistics.errors.js';
import { CatchWeightTolerancePct, ExcursionMinutes, Gs1CompanyPrefix } from './logistics.settings.js';
import { shipmentMachine, type ShipmentEvent } from './logistics.states.js';
import {
  backorders,
  carrierContracts,
  carriers,
  deliveryChoices,
  dispatchChecks,
  pickListLines,
  pickLists,
  shipmentLines,
  shipmentPackages,
  shipments,
  temperatureReadings,
  type CheckResult,
  type ShipmentStatus,
} from './logistics.tables.js';

type ShipmentRow = typeof shipments.$inferSelect;
type LineRow = typeof shipmentLines.$inferSelect;
type PackageRow = typeof shipmentPackages.$inferSelect;
type CheckRow = typeof dispatchChecks.$inferSelect;

export type ShipmentSummary = Omit<ShipmentRow, 'tempMinC' | 'tempMaxC'> & { tempMinC: number | null; tempMaxC: number | null };
export type ShipmentDetail = ShipmentSummary & {
  lines: (Omit<LineRow, 'deviationPct'> & { deviationPct: number | null })[];
  packages: PackageRow[];
  checks: (Omit<CheckRow, 'productTempC'> & { productTempC: number | null })[];
  readings: { at: Date; celsius: number; deviceId: string; outOfBand: boolean }[];
};

const num = (v: string | null): number | null => (v === null ? null : Number(v));
const fieldError = (code: string, field: string, params: Record<string, unknown> = {}) => new DomainError(code, params, [{ field, code }]);

function summaryOf(r: ShipmentRow): ShipmentSummary {
  return { ...r, tempMinC: num(r.tempMinC), tempMaxC: num(r.tempMaxC) };
}

async function loadRow(db: Db, id: string, lock = false): Promise<ShipmentRow> {
  const q = db.select().from(shipments).where(eq(shipments.id, id));
  const [r] = lock ? await q.for('update') : await q;
  if (!r) throw new DomainError(LogisticsErrors.SHIPMENT_NOT_FOUND);
  return r;
}

function refuse(s: ShipmentRow, action: string): DomainError {
  return new DomainError(LogisticsErrors.SHIPMENT_STATE, { number: s.number, status: s.status, action });
}

async function move(db: Db, actor: Actor, s: ShipmentRow, event: ShipmentEvent, set: Partial<ShipmentRow>, reason?: string | null): Promise<void> {
  const to = await transition(db, actor, shipmentMachine, { id: s.id, from: s.status, event, reason: reason ?? null });
  const rows = await db
    .update(shipments)
    .set({ ...set, status: to, updatedAt: clock.now() })
    .where(and(eq(shipments.id, s.id), eq(shipments.status, s.status)))
    .returning({ id: shipments.id });
  if (!rows.length) throw refuse(s, event);
}

export async function getShipment(db: Db, actor: Actor, id: string): Promise<ShipmentDetail> {
  const s = await loadRow(db, id);
  await getOrder(db, actor, s.orderId); // scope: a customer user sees only its own order's shipments
  const [lines, packages, checks, readings] = await Promise.all([
    db.select().from(shipmentLines).where(eq(shipmentLines.shipmentId, id)).orderBy(asc(shipmentLines.lineNo)),
    db.select().from(shipmentPackages).where(eq(shipmentPackages.shipmentId, id)).orderBy(asc(shipmentPackages.seq)),
    db.select().from(dispatchChecks).where(eq(dispatchChecks.shipmentId, id)).orderBy(desc(dispatchChecks.checkedAt), desc(dispatchChecks.id)),
    db.select().from(temperatureReadings).where(eq(temperatureReadings.shipmentId, id)).orderBy(asc(temperatureReadings.at)),
  ]);
  return {
    ...summaryOf(s),
    lines: lines.map((l) => ({ ...l, deviationPct: num(l.deviationPct) })),
    packages,
    checks: checks.map((c) => ({ ...c, productTempC: num(c.productTempC) })),
    readings: readings.map((r) => ({ at: r.at, celsius: Number(r.celsius), deviceId: r.deviceId, outOfBand: r.outOfBand })),
  };
}

export async function listShipments(
  db: Db,
  f: { q?: string; status?: ShipmentStatus; orderId?: string; carrierId?: string; excursion?: boolean; page: number; pageSize: number; sort?: string },
): Promise<Page<ShipmentSummary>> {
  const conds: SQL[] = [];
  if (f.q)
    conds.push(
      sql`(${shipments.number} ilike ${`%${f.q}%`} or ${shipments.orderNumber} ilike ${`%${f.q}%`} or ${shipments.customerName} ilike ${`%${f.q}%`} or ${shipments.trackingNumber} ilike ${`%${f.q}%`})`,
    );
  if (f.status) conds.push(eq(shipments.status, f.status));
  if (f.orderId) conds.push(eq(shipments.orderId, f.orderId));
  if (f.carrierId) conds.push(eq(shipments.carrierId, f.carrierId));
  if (f.excursion !== undefined) conds.push(eq(shipments.excursion, f.excursion));
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(
    f.sort,
    { number: shipments.number, status: shipments.status, createdAt: shipments.createdAt, dispatchedAt: shipments.dispatchedAt, deliveredAt: shipments.deliveredAt },
    [desc(shipments.createdAt), desc(shipments.number)],
  );
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(shipments)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(shipments).where(where),
  ]);
  return { items: rows.map(summaryOf), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

/** The lots picked per order line, from the order's confirmed pick lists. */
async function pickedLots(db: Db, orderId: string): Promise<Map<string, { lotId: string; lotCode: string; quantity: string }[]>> {
  const rows = await db
    .select({ lineId: pickListLines.orderLineId, lotId: pickListLines.lotId, lotCode: pickListLines.lotCode, quantity: pickListLines.pickedQuantity })
    .from(pickListLines)
    .innerJoin(pickLists, eq(pickLists.id, pickListLines.pickListId))
    .where(and(eq(pickListLines.orderId, orderId), eq(pickLists.status, 'confirmed'), sql`${pickListLines.pickedQuantity} > 0`));
  const out = new Map<string, { lotId: string; lotCode: string; quantity: string }[]>();
  for (const r of rows) if (r.lineId) out.set(r.lineId, [...(out.get(r.lineId) ?? []), { lotId: r.lotId, lotCode: r.lotCode, quantity: r.quantity! }]);
  return out;
}

/** Opens the shipment of a ready order: one line per picked order line, at the picked quantity. */
export async function createShipment(db: Db, actor: Actor, input: { orderId: string }): Promise<ShipmentDetail> {
  const order = await getOrder(db, actor, input.orderId);
  if (order.status !== 'ready')
    throw new DomainError(LogisticsErrors.ORDER_NOT_READY_FOR_LOGISTICS, { number: order.number, status: order.status }, [
      { field: 'orderId', code: LogisticsErrors.ORDER_NOT_READY_FOR_LOGISTICS },
    ]);
  const [existing] = await db
    .select({ number: shipments.number })
    .from(shipments)
    .where(and(eq(shipments.orderId, order.id), ne(shipments.status, 'failed')));
  if (existing) throw fieldError(LogisticsErrors.SHIPMENT_EXISTS, 'orderId', { number: order.number, shipment: existing.number });
  const products = await getProducts(
    db,
    order.lines.map((l) => l.productId).filter((x): x is string => !!x),
  );
  const needs = needsOf(order, products);
  const lots = await pickedLots(db, order.id);
  const number = await nextDocNumber(db, 'SH', clock.now());
  const [s] = await db
    .insert(shipments)
    .values({
      number,
      orderId: order.id,
      orderNumber: order.number,
      customerName: order.customerName,
      coldChain: needs.coldChain,
      dueDate: order.deliveryDateTo ?? order.deliveryDate,
      tempMinC: needs.band ? needs.band.min.toFixed(1) : null,
      tempMaxC: needs.band ? needs.band.max.toFixed(1) : null,
      createdBy: actor.displayName,
    })
    .returning();
  const lines = order.lines
    .filter((l) => l.productId)
    .map((l) => {
      const picked = lots.get(l.id);
      const nominal = picked ? picked.reduce((a, x) => a.plus(x.quantity), new Q(0)) : new Q(l.baseQuantity ?? l.quantity);
      const amount = l.baseQuantity && new Q(l.baseQuantity).gt(0) ? new Q(l.amountFen).mul(nominal).div(l.baseQuantity).toDecimalPlaces(0).toNumber() : l.amountFen;
      return {
        shipmentId: s!.id,
        orderLineId: l.id,
        lineNo: l.lineNo,
        productId: l.productId!,
        productName: l.productName ?? '',
        catchWeight: products.get(l.productId!)?.catchWeight ?? false,
        unit: l.baseUnit ?? l.unit,
        nominalQuantity: nominal.toFixed(3),
        orderedAmountFen: amount,
        invoicedAmountFen: amount,
        lots: picked ?? [],
      };
    });
  if (lines.length) await db.insert(shipmentLines).values(lines);
  await recordInitialState(db, actor, shipmentMachine, s!.id);
  await recordAudit(db, actor, { action: 'shipment.create', entity: 'shipment', entityId: s!.id, after: { number, order: order.number, lines: lines.length } });
  return getShipment(db, actor, s!.id);
}

async function nextSscc(db: Db): Promise<string> {
  const prefix = (await getSetting(db, Gs1CompanyPrefix)).replace(/\D/g, '').slice(0, 10) || '6901234';
  const [r] = await db.select({ n: sql<string>`nextval('sscc_serial')::text` }).from(sql`(select 1) as one`);
  const serial = String(Number(r!.n) % 10 ** (16 - prefix.length)).padStart(16 - prefix.length, '0');
  const body = `0${prefix}${serial}`; // extension digit 0 + company prefix + serial = 17 digits
  return `${body}${gs1CheckDigit(body)}`;
}

/**
 * Records the packages (replacing earlier ones while packing): each names its order line, package type, quantity and,
 * for catch-weight products, its actual kg. The lines' invoiced amounts follow the actual weight; a deviation beyond
 * the tolerance needs an approval before dispatch. A checked shipment that is repacked needs a new check.
 */
export async function packShipment(
  db: Db,
  actor: Actor,
  id: string,
  input: { packages: { orderLineId: string; packageType: string; quantity: string; actualKg?: string | null }[] },
): Promise<ShipmentDetail> {
  let s = await loadRow(db, id, true);
  if (s.status === 'checked') {
    await move(db, actor, s, 'repack', {});
    s = { ...s, status: 'packing' };
  }
  if (s.status !== 'packing') throw refuse(s, 'pack');
  const lines = await db.select().from(shipmentLines).where(eq(shipmentLines.shipmentId, id));
  const byId = new Map(lines.map((l) => [l.orderLineId, l]));
  const issues: (FieldIssue & { params?: Record<string, unknown> })[] = [];
  input.packages.forEach((p, i) => {
    const l = byId.get(p.orderLineId);
    if (!l) return issues.push({ field: `packages.${i}.orderLineId`, code: LogisticsErrors.PACKAGE_LINE_UNKNOWN });
    if (l.catchWeight && !p.actualKg) issues.push({ field: `packages.${i}.actualKg`, code: LogisticsErrors.PACKAGE_WEIGHT_REQUIRED, params: { product: l.productName } });
  });
  for (const l of lines) {
    const packed = input.packages.filter((p) => p.orderLineId === l.orderLineId).reduce((a, p) => a.plus(p.quantity), new Q(0));
    if (!packed.eq(l.nominalQuantity))
      issues.push({ field: 'packages', code: LogisticsErrors.PACKAGE_QUANTITY_MISMATCH, params: { lineNo: l.lineNo, packed: packed.toFixed(3), nominal: l.nominalQuantity } });
  }
  if (issues.length) throw issues.length === 1 ? new DomainError(issues[0]!.code, issues[0]!.params ?? {}, issues) : new DomainError('VALIDATION_FAILED', {}, issues);

  const tolerance = await getSetting(db, CatchWeightTolerancePct);
  await db.delete(shipmentPackages).where(eq(shipmentPackages.shipmentId, id));
  let seq = 0;
  for (const p of input.packages)
    await db.insert(shipmentPackages).values({
      shipmentId: id,
      seq: ++seq,
      sscc: await nextSscc(db),
      packageType: p.packageType.trim(),
      orderLineId: p.orderLineId,
      quantity: new Q(p.quantity).toFixed(3),
      actualKg: p.actualKg ? new Q(p.actualKg).toFixed(3) : null,
    });
  let beyond = false;
  for (const l of lines) {
    const mine = input.packages.filter((p) => p.orderLineId === l.orderLineId);
    if (!l.catchWeight || !mine.length) continue;
    const actual = mine.reduce((a, p) => a.plus(p.actualKg ?? p.quantity), new Q(0));
    const nominal = new Q(l.nominalQuantity);
    const deviation = nominal.gt(0) ? actual.minus(nominal).div(nominal).mul(100) : new Q(0);
    if (deviation.abs().gt(tolerance)) beyond = true;
    const invoiced = nominal.gt(0) ? new Q(l.orderedAmountFen).mul(actual).div(nominal).toDecimalPlaces(0).toNumber() : l.orderedAmountFen;
    await db
      .update(shipmentLines)
      .set({ actualKg: actual.toFixed(3), deviationPct: deviation.toFixed(2), invoicedAmountFen: invoiced })
      .where(eq(shipmentLines.id, l.id));
  }
  await db
    .update(shipments)
    .set({ weightStatus: beyond ? 'needs_approval' : 'ok', weightApprovedBy: null, weightApprovedAt: null, updatedAt: clock.now() })
    .where(eq(shipments.id, id));
  await recordAudit(db, actor, {
    action: 'shipment.pack',
    entity: 'shipment',
    entityId: id,
    after: { packages: input.packages.length, weightStatus: beyond ? 'needs_approval' : 'ok', tolerancePct: tolerance },
  });
  return getShipment(db, actor, id);
}

/** Approves actual weights beyond the tolerance (the invoiced amounts stay those of the actual weights). */
export async function approveWeights(db: Db, actor: Actor, id: string, note: string | null): Promise<ShipmentDetail> {
  const s = await loadRow(db, id, true);
  if (s.weightStatus !== 'needs_approval') throw new DomainError(LogisticsErrors.WEIGHT_APPROVAL_NOT_NEEDED);
  if (s.status !== 'packing' && s.status !== 'checked') throw refuse(s, 'approve weights');
  await db.update(shipments).set({ weightStatus: 'approved', weightApprovedBy: actor.displayName, weightApprovedAt: clock.now() }).where(eq(shipments.id, id));
  await recordAudit(db, actor, {
    action: 'shipment.approve-weights',
    entity: 'shipment',
    entityId: id,
    before: { weightStatus: s.weightStatus },
    after: { weightStatus: 'approved', note },
  });
  return getShipment(db, actor, id);
}

/**
 * The pre-dispatch check (R4.4): packaging intact and reinforced, labels present (as the checker saw them), the product
 * temperature within the products' band (cold chain), and every picked lot still released (read now). Every attempt
 * is recorded with who and when; a pass moves the shipment to checked, a failure keeps it from leaving.
 */
export async function checkShipment(
  db: Db,
  actor: Actor,
  id: string,
  input: { packagingIntact: boolean; labelsPresent: boolean; productTempC?: number | null; note?: string | null },
): Promise<ShipmentDetail> {
  const s = await loadRow(db, id, true);
  if (s.status !== 'packing') throw refuse(s, 'check');
  const [packs] = await db.select({ n: count() }).from(shipmentPackages).where(eq(shipmentPackages.shipmentId, id));
  if (!packs?.n) throw refuse(s, 'check without packages');
  const lines = await db.select().from(shipmentLines).where(eq(shipmentLines.shipmentId, id));
  const lots = await getLots(
    db,
    lines.flatMap((l) => l.lots.map((x) => x.lotId)),
  );
  const notReleased = [...lots.values()].filter((l) => l.qualityStatus !== 'released' || l.expired).map((l) => `${l.lotCode} (${l.qualityStatus})`);
  const results: CheckResult[] = [
    { item: 'packaging_intact', passed: input.packagingIntact, note: input.note ?? null },
    { item: 'labels_present', passed: input.labelsPresent, note: null },
  ];
  if (s.coldChain) {
    if (input.productTempC === null || input.productTempC === undefined) throw fieldError(LogisticsErrors.CHECK_TEMPERATURE_REQUIRED, 'productTempC');
    const min = num(s.tempMinC);
    const max = num(s.tempMaxC);
    const inBand = (min === null || input.productTempC >= min) && (max === null || input.productTempC <= max);
    results.push({ item: 'temperature_in_band', passed: inBand, note: `${input.productTempC} °C / ${min ?? '-'}–${max ?? '-'} °C` });
  }
  results.push({ item: 'lots_released', passed: notReleased.length === 0, note: notReleased.join(', ') || null });
  const passed = results.every((r) => r.passed);
  await db.insert(dispatchChecks).values({
    shipmentId: id,
    results,
    productTempC: input.productTempC === null || input.productTempC === undefined ? null : input.productTempC.toFixed(1),
    passed,
    checkedBy: actor.displayName,
    checkedAt: clock.now(),
  });
  if (passed) await move(db, actor, s, 'pass_check', {});
  await recordAudit(db, actor, { action: passed ? 'shipment.check-pass' : 'shipment.check-fail', entity: 'shipment', entityId: id, after: { results } });
  return getShipment(db, actor, id);
}

/**
 * Dispatches a checked shipment with the order's chosen delivery method: a carrier needs a tracking number (not used by
 * any other shipment), the own fleet a driver and vehicle. The order becomes shipped and the customer gets the tracking
 * number (order core: shipPlan).
 */
export async function dispatchShipment(
  db: Db,
  actor: Actor,
  id: string,
  input: { trackingNumber?: string | null; driver?: string | null; vehicle?: string | null },
): Promise<ShipmentDetail> {
  const s = await loadRow(db, id, true);
  if (s.status === 'packing') throw new DomainError(LogisticsErrors.DISPATCH_CHECK_REQUIRED);
  if (s.status !== 'checked') throw refuse(s, 'dispatch');
  if (s.weightStatus === 'needs_approval') throw new DomainError(LogisticsErrors.WEIGHT_APPROVAL_REQUIRED, { tolerance: await getSetting(db, CatchWeightTolerancePct) });
  const [choice] = await db
    .select({ d: deliveryChoices, carrier: carriers, contractNumber: carrierContracts.number })
    .from(deliveryChoices)
    .innerJoin(carriers, eq(carriers.id, deliveryChoices.carrierId))
    .innerJoin(carrierContracts, eq(carrierContracts.id, deliveryChoices.contractId))
    .where(eq(deliveryChoices.orderId, s.orderId));
  if (!choice) throw new DomainError(LogisticsErrors.DELIVERY_METHOD_REQUIRED, { number: s.orderNumber });
  const tracking = input.trackingNumber?.trim() || null;
  if (choice.carrier.ownFleet) {
    if (!input.driver?.trim() || !input.vehicle?.trim()) throw fieldError(LogisticsErrors.DRIVER_REQUIRED, input.driver?.trim() ? 'vehicle' : 'driver');
  } else if (!tracking) throw fieldError(LogisticsErrors.TRACKING_NUMBER_REQUIRED, 'trackingNumber');
  if (tracking) {
    const [taken] = await db
      .select({ number: shipments.number })
      .from(shipments)
      .where(and(eq(shipments.trackingNumber, tracking), ne(shipments.id, id)));
    if (taken) throw fieldError(LogisticsErrors.TRACKING_NUMBER_TAKEN, 'trackingNumber', { tracking, shipment: taken.number });
  }
  const trackingUrl = tracking && choice.carrier.trackingUrlTemplate ? choice.carrier.trackingUrlTemplate.replace('{tracking}', encodeURIComponent(tracking)) : null;
  const now = clock.now();
  await move(db, actor, s, 'dispatch', {
    carrierId: choice.carrier.id,
    contractId: choice.d.contractId,
    carrierName: choice.carrier.name,
    trackingNumber: tracking,
    trackingUrl,
    driver: input.driver?.trim() || null,
    vehicle: input.vehicle?.trim() || null,
    dispatchedAt: now,
    dispatchedBy: actor.displayName,
  });
  await shipOrder(db, actor, s.orderId, { shipmentNumber: s.number, carrierName: choice.carrier.name, trackingNumber: tracking, trackingUrl });
  await recordAudit(db, actor, {
    action: 'shipment.dispatch',
    entity: 'shipment',
    entityId: id,
    after: { carrier: choice.carrier.code, contract: choice.contractNumber, tracking },
  });
  return getShipment(db, actor, id);
}

/** Delivery confirmed with time, receiver and proof: the order is delivered, and completed when nothing is backordered. */
export async function deliverShipment(
  db: Db,
  actor: Actor,
  id: string,
  input: { deliveredAt: Date; receiver: string; proofNote?: string | null; damaged?: boolean },
): Promise<ShipmentDetail> {
  const s = await loadRow(db, id, true);
  if (s.status !== 'dispatched') throw refuse(s, 'deliver');
  if (s.dispatchedAt && input.deliveredAt < s.dispatchedAt)
    throw fieldError(LogisticsErrors.DELIVERY_BEFORE_DISPATCH, 'deliveredAt', { dispatchedAt: s.dispatchedAt.toISOString() });
  if (input.deliveredAt.getTime() > clock.now().getTime() + 60_000) throw fieldError(LogisticsErrors.DELIVERY_IN_FUTURE, 'deliveredAt');
  await move(db, actor, s, 'deliver', { deliveredAt: input.deliveredAt, receiver: input.receiver.trim(), proofNote: input.proofNote ?? null, damaged: input.damaged ?? false });
  await deliverOrder(db, actor, s.orderId, { shipmentNumber: s.number, receiver: input.receiver.trim(), deliveredAt: input.deliveredAt });
  const [open] = await db
    .select({ n: count() })
    .from(backorders)
    .where(and(eq(backorders.orderId, s.orderId), eq(backorders.status, 'open')));
  if (!open?.n) await advanceOrder(db, actor, s.orderId, 'complete', `shipment ${s.number}`);
  await recordAudit(db, actor, { action: 'shipment.deliver', entity: 'shipment', entityId: id, after: { receiver: input.receiver, deliveredAt: input.deliveredAt.toISOString() } });
  return getShipment(db, actor, id);
}

/** A delivery that failed (refused, nobody there …), with the reason; the order stays shipped. */
export async function failShipment(db: Db, actor: Actor, id: string, reason: string): Promise<ShipmentDetail> {
  const s = await loadRow(db, id, true);
  if (s.status !== 'dispatched') throw refuse(s, 'fail');
  await move(db, actor, s, 'fail', { failedReason: reason.trim() }, reason);
  await recordAudit(db, actor, { action: 'shipment.fail', entity: 'shipment', entityId: id, after: { reason } });
  return getShipment(db, actor, id);
}

export type ReadingInput = { at: string; celsius: number | string; deviceId: string };

/** Parses a logger CSV (time, °C, device id; a header row is skipped): the readings and the file's row number of each. */
export function parseReadingsCsv(text: string): { readings: ReadingInput[]; rows: number[] } {
  const readings: ReadingInput[] = [];
  const rows: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const [at = '', c = '', device = ''] = line.split(/[,;\t]/).map((x) => x.trim());
    if (i === 0 && Number.isNaN(Date.parse(at))) return; // header
    readings.push({ at, celsius: c, deviceId: device });
    rows.push(i + 1);
  });
  return { readings, rows };
}

/**
 * Records temperature readings (all or none: a wrong row is reported by row and nothing is saved). A run of readings
 * out of the products' band longer than the excursion setting flags the shipment and puts its lots on hold for QC.
 */
export async function addReadings(
  db: Db,
  actor: Actor,
  id: string,
  readings: ReadingInput[],
  fileRows?: number[],
): Promise<{ saved: number; excursion: boolean; heldLots: string[] }> {
  const s = await loadRow(db, id, true);
  const issues: FieldIssue[] = [];
  const rows = readings.map((r, j) => {
    const i = fileRows ? fileRows[j]! : j;
    const at = new Date(r.at);
    const c = typeof r.celsius === 'number' ? r.celsius : Number(String(r.celsius).replace(',', '.'));
    if (!r.at || Number.isNaN(at.getTime())) issues.push({ field: `${fileRows ? 'rows' : 'readings'}.${i}.at`, code: 'FIELD_INVALID' });
    if (String(r.celsius).trim() === '' || !Number.isFinite(c) || c < -60 || c > 60)
      issues.push({ field: `${fileRows ? 'rows' : 'readings'}.${i}.celsius`, code: 'FIELD_INVALID' });
    if (!r.deviceId?.trim() || r.deviceId.length > 64) issues.push({ field: `${fileRows ? 'rows' : 'readings'}.${i}.deviceId`, code: 'FIELD_INVALID' });
    return { at, c, deviceId: r.deviceId?.trim() ?? '' };
  });
  if (issues.length) throw new DomainError(LogisticsErrors.READINGS_INVALID, { count: new Set(issues.map((x) => x.field.split('.')[1])).size }, issues);
  const min = num(s.tempMinC);
  const max = num(s.tempMaxC);
  const out = (c: number) => (min !== null && c < min) || (max !== null && c > max);
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insert(temperatureReadings)
      .values(rows.slice(i, i + 1000).map((r) => ({ shipmentId: id, at: r.at, celsius: r.c.toFixed(1), deviceId: r.deviceId, outOfBand: out(r.c) })));
  // The longest run out of band over all readings of the shipment (by time).
  const all = await db
    .select({ at: temperatureReadings.at, out: temperatureReadings.outOfBand })
    .from(temperatureReadings)
    .where(eq(temperatureReadings.shipmentId, id))
    .orderBy(asc(temperatureReadings.at));
  const limitMs = (await getSetting(db, ExcursionMinutes)) * 60_000;
  let start: Date | null = null;
  let excursion = false;
  for (const r of all) {
    if (r.out) {
      start ??= r.at;
      if (r.at.getTime() - start.getTime() > limitMs) excursion = true;
    } else start = null;
  }
  const heldLots: string[] = [];
  if (excursion && !s.excursion) {
    await db.update(shipments).set({ excursion: true, updatedAt: clock.now() }).where(eq(shipments.id, id));
    const lines = await db.select().from(shipmentLines).where(eq(shipmentLines.shipmentId, id));
    const lots = await getLots(
      db,
      lines.flatMap((l) => l.lots.map((x) => x.lotId)),
    );
    for (const lot of lots.values())
      if (lot.qualityStatus === 'released') {
        await changeLotStatus(db, actor, lot.id, 'hold', { reason: `temperature excursion in shipment ${s.number}` });
        heldLots.push(lot.lotCode);
      }
    await recordAudit(db, actor, { action: 'shipment.excursion', entity: 'shipment', entityId: id, after: { heldLots, limitMinutes: limitMs / 60_000 } });
    // The exception goes to the logistics owner; QC decides on the held lots (release, downgrade or reject).
    await notifyUsers(db, {
      roles: ['logistics', 'qc'],
      title: { zh: `发运单 ${s.number} 运输温度超标`, en: `Temperature excursion in shipment ${s.number}` },
      body: {
        zh: `订单 ${s.orderNumber}(${s.customerName}):温度超出 ${s.tempMinC ?? '-'}–${s.tempMaxC ?? '-'} °C 超过 ${limitMs / 60_000} 分钟。已冻结批次:${heldLots.join('、') || '—'},请质检决定放行、降级或拒收。`,
        en: `Order ${s.orderNumber} (${s.customerName}): out of ${s.tempMinC ?? '-'}–${s.tempMaxC ?? '-'} °C for more than ${limitMs / 60_000} minutes. Lots on hold: ${heldLots.join(', ') || '—'}; QC to release, downgrade or reject.`,
      },
      link: `/logistics/shipments/${id}`,
    });
  }
  await recordAudit(db, actor, { action: 'shipment.readings', entity: 'shipment', entityId: id, after: { saved: rows.length } });
  return { saved: rows.length, excursion: excursion || s.excursion, heldLots };
}

export type CarrierPerformance = {
  carrierId: string;
  carrierCode: string;
  carrierName: string;
  dispatched: number;
  delivered: number;
  onTime: number;
  failed: number;
  excursions: number;
  damaged: number;
  onTimeRate: number | null;
  excursionRate: number | null;
  damageRate: number | null;
};

/** Per carrier, shipments dispatched in the period (business dates, Asia/Shanghai): on-time, excursion and damage rates. */
export async function carrierPerformance(db: Db, f: { from: string; to: string }): Promise<CarrierPerformance[]> {
  const day = sql`(${shipments.dispatchedAt} at time zone 'Asia/Shanghai')::date`;
  const rows = await db
    .select({
      carrierId: carriers.id,
      carrierCode: carriers.code,
      carrierName: carriers.name,
      dispatched: sql<number>`count(*)::int`,
      delivered: sql<number>`(count(*) filter (where ${shipments.status} = 'delivered'))::int`,
      onTime: sql<number>`(count(*) filter (where ${shipments.status} = 'delivered' and (${shipments.dueDate} is null or (${shipments.deliveredAt} at time zone 'Asia/Shanghai')::date <= ${shipments.dueDate})))::int`,
      failed: sql<number>`(count(*) filter (where ${shipments.status} = 'failed'))::int`,
      excursions: sql<number>`(count(*) filter (where ${shipments.excursion}))::int`,
      damaged: sql<number>`(count(*) filter (where ${shipments.damaged}))::int`,
    })
    .from(shipments)
    .innerJoin(carriers, eq(carriers.id, shipments.carrierId))
    .where(and(sql`${day} >= ${f.from}::date`, sql`${day} <= ${f.to}::date`))
    .groupBy(carriers.id, carriers.code, carriers.name)
    .orderBy(asc(carriers.code));
  const rate = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);
  return rows.map((r) => ({
    ...r,
    onTimeRate: rate(Number(r.onTime), Number(r.delivered)),
    excursionRate: rate(Number(r.excursions), Number(r.dispatched)),
    damageRate: rate(Number(r.damaged), Number(r.delivered)),
  }));
}
