import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { businessDate, clock } from '../../platform/clock.js';
import { newId } from '../../platform/db/columns.js';
import type { Db } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { Q } from '../../platform/quantity.js';
import { getProducts, type ProductInfo } from '../catalog/index.js';
import { getLots, locationPlaces, lotBalancesOf, onLotEvent, type LotInfo } from '../inventory/index.js';
import { getField, inspectionsOfLots, onQualityEvent, type QualityEvent } from '../quality/index.js';
import { glnPlaceUri } from './gs1.js';
import { ID_BASE, binPlace, fieldPlace, type Place } from './places.js';
import { TraceErrors } from './trace.errors.js';
import { gs1Config } from './trace.settings.js';
import { traceEvents } from './trace.tables.js';
import { offsetOf } from '../../platform/http/list.js';
import { getOrderLookup } from './genealogy.service.js';

export { ID_BASE };
export const VOC = `${ID_BASE}/voc/`;

const UOM: Record<string, string> = { kg: 'KGM', g: 'GRM', t: 'TNE', 斤: 'KGM', 箱: 'CT', 件: 'H87', 个: 'H87', 盒: 'BX', 袋: 'BG', l: 'LTR', L: 'LTR' };
export const uomOf = (unit: string): string => UOM[unit] ?? 'H87';

/** GTIN-14 from a GTIN-8/12/13/14. */
export const gtin14 = (gtin: string): string => gtin.padStart(14, '0');

/** The class-level identifier of a lot: GS1 Digital Link when the product has a GTIN, else our own URI. */
export function epcClassOf(lot: Pick<LotInfo, 'lotCode'>, product: Pick<ProductInfo, 'gtin' | 'code'> | undefined): string {
  if (product?.gtin) return `https://id.gs1.org/01/${gtin14(product.gtin)}/10/${encodeURIComponent(lot.lotCode)}`;
  return `${ID_BASE}/lot/${encodeURIComponent(product?.code ?? 'unknown')}/${encodeURIComponent(lot.lotCode)}`;
}

export const bizTxUri = (kind: string, id: string): string => `${ID_BASE}/${kind}/${encodeURIComponent(id)}`;

export type QuantityRef = { lotId: string; quantity?: string | null; unit?: string | null };

export type NewTraceEvent = {
  eventType: 'ObjectEvent' | 'TransformationEvent' | 'AggregationEvent';
  action?: 'ADD' | 'OBSERVE' | 'DELETE';
  bizStep: string;
  disposition?: string;
  /** ObjectEvent lots. */
  lots?: QuantityRef[];
  inputs?: QuantityRef[];
  outputs?: QuantityRef[];
  readPoint?: string | null;
  bizLocation?: string | null;
  bizTransactions?: { type: string; id: string }[];
  sources?: { type: string; id: string }[];
  destinations?: { type: string; id: string }[];
  ilmd?: Record<string, unknown>;
  extra?: Record<string, unknown>;
  refType?: string | null;
  refId?: string | null;
  transformationId?: string;
  eventTime?: Date;
  errorDeclaration?: { reason: string; correctiveEventIDs?: string[] };
  correctsEventId?: string;
};

export type TraceEventRow = typeof traceEvents.$inferSelect;

/**
 * The class-level quantities of an event, each with its UN/CEFACT unit: the given quantity, or (for steps that do not
 * move stock: inspection, hold, release) the lot's quantity on hand in its product's base unit.
 */
async function quantityList(db: Db, refs: QuantityRef[]): Promise<{ epcClass: string; quantity: number; uom: string }[]> {
  const lots = await getLots(
    db,
    refs.map((r) => r.lotId),
  );
  const products = await getProducts(db, [...new Set([...lots.values()].map((l) => l.productId))]);
  const missing = refs.filter((r) => !r.quantity).map((r) => r.lotId);
  const balances = missing.length ? await lotBalancesOf(db, missing) : new Map<string, { onHand: string }[]>();
  return refs.map((r) => {
    const lot = lots.get(r.lotId);
    const product = lot ? products.get(lot.productId) : undefined;
    const epcClass = lot ? epcClassOf(lot, product) : `${ID_BASE}/lot-id/${r.lotId}`;
    if (r.quantity) return { epcClass, quantity: Number(r.quantity), uom: uomOf(r.unit ?? product?.baseUnit ?? 'kg') };
    const onHand = (balances.get(r.lotId) ?? []).reduce((sum, b) => sum.add(b.onHand), new Q(0));
    return { epcClass, quantity: Number(onHand.toFixed(3)), uom: uomOf(product?.baseUnit ?? 'kg') };
  });
}

/**
 * The business time of a dated step (harvest date, inspection date, run date): the record's own time when it falls on
 * that business day (Asia/Shanghai), else the start of that business day.
 */
export function businessTime(day: string | null | undefined, at: Date): Date {
  if (!day || businessDate(at) === day) return at;
  return new Date(`${day}T00:00:00+08:00`);
}

/** ISO 3166-1 alpha-2 country of a lot's origin: a GB/T 2260 region code (or a Chinese place) is CN. */
export const countryOf = (origin: string | null | undefined): string => (origin && /^[A-Z]{2}$/.test(origin) ? origin : 'CN');

/** CBV master data of a commissioned or processed lot (ILMD). */
export function lotMasterData(lot: Pick<LotInfo, 'lotCode' | 'expiryDate' | 'origin' | 'productionDate' | 'harvestDate'>): Record<string, unknown> {
  return {
    'cbvmda:countryOfOrigin': countryOf(lot.origin),
    'cbvmda:lotNumber': lot.lotCode,
    'cbvmda:itemExpirationDate': lot.expiryDate,
    'agri:productionDate': lot.productionDate,
    'agri:expiryDate': lot.expiryDate,
  };
}

/** Appends one EPCIS-shaped event (the table refuses updates and deletes). */
export async function recordTraceEvent(db: Db, actor: Actor, e: NewTraceEvent): Promise<TraceEventRow> {
  const id = newId();
  const eventTime = e.eventTime ?? clock.now();
  const body: Record<string, unknown> = {
    type: e.eventType,
    eventTime: eventTime.toISOString(),
    eventTimeZoneOffset: '+08:00',
    eventID: `urn:uuid:${id}`,
  };
  if (e.errorDeclaration)
    body.errorDeclaration = {
      declarationTime: clock.now().toISOString(),
      reason: e.errorDeclaration.reason,
      ...(e.errorDeclaration.correctiveEventIDs ? { correctiveEventIDs: e.errorDeclaration.correctiveEventIDs } : {}),
    };
  if (e.eventType === 'TransformationEvent') {
    body.inputQuantityList = await quantityList(db, e.inputs ?? []);
    body.outputQuantityList = await quantityList(db, e.outputs ?? []);
    if (e.transformationId) body.transformationID = e.transformationId;
  } else {
    body.epcList = [];
    body.action = e.action ?? 'OBSERVE';
    body.quantityList = await quantityList(db, e.lots ?? []);
  }
  body.bizStep = e.bizStep;
  if (e.disposition) body.disposition = e.disposition;
  if (e.readPoint) body.readPoint = { id: e.readPoint };
  if (e.bizLocation) body.bizLocation = { id: e.bizLocation };
  if (e.bizTransactions?.length) body.bizTransactionList = e.bizTransactions.map((t) => ({ type: t.type, bizTransaction: t.id }));
  if (e.sources?.length) body.sourceList = e.sources.map((s) => ({ type: s.type, source: s.id }));
  if (e.destinations?.length) body.destinationList = e.destinations.map((s) => ({ type: s.type, destination: s.id }));
  if (e.ilmd) body.ilmd = e.ilmd;
  if (e.extra) Object.assign(body, e.extra);
  const lotIds = [...new Set([...(e.lots ?? []), ...(e.inputs ?? []), ...(e.outputs ?? [])].map((l) => l.lotId))];
  const [row] = await db
    .insert(traceEvents)
    .values({
      id,
      eventId: body.eventID as string,
      eventType: e.eventType,
      action: e.eventType === 'TransformationEvent' ? null : (e.action ?? 'OBSERVE'),
      bizStep: e.bizStep,
      disposition: e.disposition ?? null,
      eventTime,
      recordTime: clock.now(),
      lotIds,
      refType: e.refType ?? null,
      refId: e.refId ?? null,
      correctsEventId: e.correctsEventId ?? null,
      body,
      actorName: actor.username,
    })
    .returning();
  return row!;
}

/** A correction: a new event that repeats the erroneous one with an errorDeclaration (the original stays). */
export async function declareEventError(db: Db, actor: Actor, eventId: string, reason: string): Promise<TraceEventRow> {
  const [orig] = await db.select().from(traceEvents).where(eq(traceEvents.id, eventId));
  if (!orig) throw new DomainError(TraceErrors.TRACE_EVENT_NOT_FOUND);
  const id = newId();
  const body = {
    ...orig.body,
    eventID: `urn:uuid:${id}`,
    errorDeclaration: { declarationTime: clock.now().toISOString(), reason: reason.includes(':') ? reason : 'incorrect_data' },
  };
  const [row] = await db
    .insert(traceEvents)
    .values({
      id,
      eventId: body.eventID,
      eventType: orig.eventType,
      action: orig.action,
      bizStep: orig.bizStep,
      disposition: orig.disposition,
      eventTime: orig.eventTime,
      recordTime: clock.now(),
      lotIds: orig.lotIds,
      refType: 'error_declaration',
      refId: reason,
      correctsEventId: orig.eventId,
      body,
      actorName: actor.username,
    })
    .returning();
  return row!;
}

export type EventFilter = { lotId?: string; from?: Date; to?: Date; bizStep?: string; page: number; pageSize: number };

export function eventWhere(f: { lotId?: string; from?: Date; to?: Date; bizStep?: string }): SQL | undefined {
  const conds: SQL[] = [];
  if (f.lotId) conds.push(sql`${traceEvents.lotIds} @> array[${f.lotId}]::uuid[]`);
  if (f.from) conds.push(sql`${traceEvents.eventTime} >= ${f.from}`);
  if (f.to) conds.push(sql`${traceEvents.eventTime} <= ${f.to}`);
  if (f.bizStep) conds.push(eq(traceEvents.bizStep, f.bizStep));
  return conds.length ? and(...conds) : undefined;
}

export async function listTraceEvents(db: Db, f: EventFilter): Promise<{ items: TraceEventRow[]; total: number; page: number; pageSize: number }> {
  const where = eventWhere(f);
  const [items, total] = await Promise.all([
    db.select().from(traceEvents).where(where).orderBy(desc(traceEvents.eventTime), desc(traceEvents.seq)).limit(f.pageSize).offset(offsetOf(f)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(traceEvents)
      .where(where),
  ]);
  return { items, total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

export async function eventsOfLots(db: Db, lotIds: string[]): Promise<TraceEventRow[]> {
  if (!lotIds.length) return [];
  return db
    .select()
    .from(traceEvents)
    .where(sql`${traceEvents.lotIds} && ${sql.raw(`ARRAY[${lotIds.map((l) => `'${l.replace(/[^0-9a-f-]/gi, '')}'`).join(',')}]::uuid[]`)}`)
    .orderBy(asc(traceEvents.eventTime), asc(traceEvents.seq));
}

// ---------------------------------------------------------------- listeners
const STATUS_STEP: Record<string, { bizStep: string; disposition: string; action: 'OBSERVE' | 'DELETE' }> = {
  on_hold: { bizStep: 'holding', disposition: 'non_sellable_other', action: 'OBSERVE' },
  released: { bizStep: 'inspecting', disposition: 'active', action: 'OBSERVE' },
  rejected: { bizStep: 'holding', disposition: 'non_sellable_other', action: 'OBSERVE' },
};

/** The bin of a stock event as an EPCIS place (GLN-based when the warehouse has one). */
async function placeOf(db: Db, locationId: string | null | undefined): Promise<Place | null> {
  if (!locationId) return null;
  const [cfg, rows] = await Promise.all([gs1Config(db), locationPlaces(db, [locationId])]);
  const l = rows.get(locationId);
  return l ? binPlace(cfg, l) : { readPoint: `${ID_BASE}/loc/${locationId}`, bizLocation: `${ID_BASE}/loc/${locationId}`, name: locationId, gln: null, address: null };
}

async function hasCommissioning(db: Db, lotId: string): Promise<boolean> {
  const rows = await db
    .select({ id: traceEvents.id })
    .from(traceEvents)
    .where(and(sql`${traceEvents.lotIds} @> array[${lotId}]::uuid[]`, eq(traceEvents.bizStep, 'commissioning')))
    .limit(1);
  return rows.length > 0;
}

/** The ship-to of an order: the customer (owning party) and its delivery place (GLN when the customer code has one). */
async function shipTo(db: Db, orderId: string): Promise<{ type: string; id: string }[]> {
  const lookup = getOrderLookup();
  const o = lookup ? (await lookup(db, [orderId], { contacts: false })).get(orderId) : undefined;
  if (!o) return [];
  const cfg = await gs1Config(db);
  const gln = o.customerCode ? cfg.glns.get(o.customerCode.toUpperCase()) : undefined;
  const party = gln ? glnPlaceUri(gln, cfg.companyPrefix) : `${ID_BASE}/party/${encodeURIComponent(o.customerId)}`;
  const place = gln ? glnPlaceUri(gln, cfg.companyPrefix) : o.addressId ? `${ID_BASE}/address/${o.addressId}` : party;
  return [
    { type: 'owning_party', id: party },
    { type: 'location', id: place },
  ];
}

const INSPECTION_REASON = /^inspection (\S+) (failed|passed)$/;

/** A status change made by signInspection() while it signs (its inspection is signed and has no lot decision yet). */
async function decidedByInspection(db: Db, lotId: string, reason: string | null | undefined): Promise<boolean> {
  const m = INSPECTION_REASON.exec(reason ?? '');
  if (!m) return false;
  return (await inspectionsOfLots(db, [lotId])).some((i) => i.number === m[1] && i.lotDecision === null);
}

let registered = false;

/** Records inventory and quality steps as trace events inside their transactions. */
export function registerTraceListeners(): void {
  if (registered) return;
  registered = true;
  onLotEvent(async (e) => {
    const { db, actor } = e;
    const lot = (await getLots(db, [e.lotId])).get(e.lotId);
    if (!lot) return;
    // A lot is commissioned at its first receipt (harvest or purchase), when its quantity is known; processing
    // outputs are commissioned by their TransformationEvent.
    if (e.type === 'lot.created') return;
    if (e.type === 'lot.status') {
      const s = STATUS_STEP[e.toStatus ?? ''];
      if (!s) return;
      // A hold or release decided by a signed inspection is recorded right after that inspection's event (below).
      if (await decidedByInspection(db, lot.id, e.reason)) return;
      const destroyed = e.toStatus === 'rejected' && lot.disposition === 'destroy';
      await recordTraceEvent(db, actor, {
        eventType: 'ObjectEvent',
        action: destroyed ? 'DELETE' : s.action,
        bizStep: destroyed ? 'destroying' : s.bizStep,
        disposition: destroyed ? 'destroyed' : s.disposition,
        lots: [{ lotId: lot.id }],
        refType: 'lot.status',
        refId: `${e.fromStatus ?? ''}>${e.toStatus ?? ''}`,
        extra: { 'agri:reason': e.reason ?? '', 'agri:qualityStatus': e.toStatus ?? '' },
        eventTime: e.at,
      });
      return;
    }
    const q = { lotId: lot.id, quantity: e.quantity ?? null, unit: e.unit ?? null };
    const tx = e.refType && e.refId ? [{ type: e.refType === 'order' ? 'po' : e.refType === 'return' ? 'rma' : 'desadv', id: bizTxUri(e.refType, e.refId) }] : [];
    const at = e.locationId ? { 'agri:locationId': e.locationId } : {};
    if (e.type === 'stock.received') {
      if (e.refType === 'processing') return; // the TransformationEvent commissions processing outputs
      const place = await placeOf(db, e.locationId);
      if (lot.sourceType !== 'processing' && !(await hasCommissioning(db, lot.id))) {
        const ilmd = lotMasterData(lot);
        let where = place;
        if (lot.fieldId) {
          const field = await getField(db, lot.fieldId);
          ilmd['agri:field'] = field.code;
          ilmd['agri:base'] = field.baseName;
          ilmd['agri:harvestDate'] = lot.harvestDate ?? lot.productionDate;
          where = fieldPlace(await gs1Config(db), field);
        }
        if (lot.origin) ilmd['agri:origin'] = lot.origin;
        await recordTraceEvent(db, actor, {
          eventType: 'ObjectEvent',
          action: 'ADD',
          bizStep: 'commissioning',
          disposition: 'active',
          lots: [q],
          readPoint: where?.readPoint,
          bizLocation: where?.bizLocation,
          ilmd,
          refType: 'lot',
          refId: lot.id,
          extra: { 'agri:source': lot.sourceType, ...at },
          // A harvest lot comes into being on its harvest date, not when it was typed in.
          eventTime: lot.sourceType === 'harvest' ? businessTime(lot.harvestDate, e.at) : e.at,
        });
      }
      if (e.refType === 'harvest') return; // the harvest itself: commissioning only
      const returned = e.refType === 'return';
      await recordTraceEvent(db, actor, {
        eventType: 'ObjectEvent',
        action: 'OBSERVE',
        bizStep: 'receiving',
        disposition: returned ? 'returned' : 'active',
        lots: [q],
        readPoint: place?.readPoint,
        bizLocation: place?.bizLocation,
        bizTransactions: tx,
        destinations: place ? [{ type: 'location', id: place.bizLocation }] : [],
        refType: e.refType ?? null,
        refId: e.refId ?? null,
        extra: at,
        eventTime: e.at,
      });
    } else if (e.type === 'stock.issued') {
      if (e.refType === 'processing') return;
      const shipping = e.refType === 'order' || e.refType === 'shipment';
      const place = await placeOf(db, e.locationId);
      await recordTraceEvent(db, actor, {
        eventType: 'ObjectEvent',
        action: 'OBSERVE',
        bizStep: shipping ? 'shipping' : 'removing',
        disposition: shipping ? 'in_transit' : 'inactive',
        lots: [q],
        readPoint: place?.readPoint,
        bizLocation: place?.bizLocation,
        bizTransactions: tx,
        sources: shipping && place ? [{ type: 'location', id: place.bizLocation }] : [],
        destinations: shipping && e.refType === 'order' && e.refId ? await shipTo(db, e.refId) : [],
        refType: e.refType ?? null,
        refId: e.refId ?? null,
        extra: at,
        eventTime: e.at,
      });
    } else if (e.type === 'stock.moved') {
      const place = await placeOf(db, e.toLocationId);
      await recordTraceEvent(db, actor, {
        eventType: 'ObjectEvent',
        action: 'OBSERVE',
        bizStep: 'storing',
        disposition: 'active',
        lots: [q],
        readPoint: place?.readPoint,
        bizLocation: place?.bizLocation,
        refType: e.refType ?? null,
        refId: e.refId ?? null,
        extra: e.toLocationId ? { 'agri:locationId': e.toLocationId } : {},
        eventTime: e.at,
      });
    }
  });
  onQualityEvent(async (e: QualityEvent) => {
    if (e.type !== 'inspection.signed' || !e.inspection.lotId) return;
    const i = e.inspection;
    // When the inspection was made (its date; the signing time when signed that day), not when the row was written.
    const inspectedAt = businessTime(i.inspectedOn, i.signedAt ?? clock.now());
    await recordTraceEvent(e.db, e.actor, {
      eventType: 'ObjectEvent',
      action: 'OBSERVE',
      bizStep: 'inspecting',
      disposition: i.result === 'pass' ? 'conformant' : 'non_conformant',
      lots: [{ lotId: i.lotId! }],
      bizTransactions: [{ type: 'testres', id: bizTxUri('inspection', i.number) }],
      refType: 'inspection',
      refId: i.id,
      extra: { 'agri:stage': i.stage, 'agri:result': i.result },
      eventTime: inspectedAt,
    });
    // The hold (or release) the inspection caused follows it, never before it.
    if (i.lotDecision === 'hold' || i.lotDecision === 'release') {
      const toStatus = i.lotDecision === 'hold' ? 'on_hold' : 'released';
      const s = STATUS_STEP[toStatus]!;
      const now = clock.now();
      await recordTraceEvent(e.db, e.actor, {
        eventType: 'ObjectEvent',
        action: s.action,
        bizStep: s.bizStep,
        disposition: s.disposition,
        lots: [{ lotId: i.lotId! }],
        refType: 'lot.status',
        refId: `inspection>${toStatus}`,
        extra: { 'agri:reason': `inspection ${i.number} ${i.result === 'pass' ? 'passed' : 'failed'}`, 'agri:qualityStatus': toStatus, 'agri:inspection': i.number },
        eventTime: now > inspectedAt ? now : inspectedAt,
      });
    }
  });
}
