import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { clock } from '../../platform/clock.js';
import { newId } from '../../platform/db/columns.js';
import type { Db } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { getProducts, type ProductInfo } from '../catalog/index.js';
import { getLots, onLotEvent, type LotInfo } from '../inventory/index.js';
import { getField, onQualityEvent, type QualityEvent } from '../quality/index.js';
import { TraceErrors } from './trace.errors.js';
import { traceEvents } from './trace.tables.js';
import { offsetOf } from '../../platform/http/list.js';

export const ID_BASE = 'https://id.agri-oms.cn';
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

export const locationUri = (locationId: string): string => `${ID_BASE}/loc/${locationId}`;
export const fieldUri = (fieldCode: string): string => `${ID_BASE}/field/${encodeURIComponent(fieldCode)}`;
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

async function quantityList(db: Db, refs: QuantityRef[]): Promise<{ epcClass: string; quantity?: number; uom?: string }[]> {
  const lots = await getLots(
    db,
    refs.map((r) => r.lotId),
  );
  const products = await getProducts(db, [...new Set([...lots.values()].map((l) => l.productId))]);
  return refs.map((r) => {
    const lot = lots.get(r.lotId);
    const epcClass = lot ? epcClassOf(lot, products.get(lot.productId)) : `${ID_BASE}/lot-id/${r.lotId}`;
    return r.quantity ? { epcClass, quantity: Number(r.quantity), uom: uomOf(r.unit ?? 'kg') } : { epcClass };
  });
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

let registered = false;

/** Records inventory and quality steps as trace events inside their transactions. */
export function registerTraceListeners(): void {
  if (registered) return;
  registered = true;
  onLotEvent(async (e) => {
    const { db, actor } = e;
    const lot = (await getLots(db, [e.lotId])).get(e.lotId);
    if (!lot) return;
    if (e.type === 'lot.created') {
      if (lot.sourceType === 'processing') return; // the TransformationEvent commissions processing outputs
      const ilmd: Record<string, unknown> = { 'agri:productionDate': lot.productionDate, 'agri:expiryDate': lot.expiryDate };
      let bizLocation: string | null = null;
      if (lot.fieldId) {
        const field = await getField(db, lot.fieldId);
        ilmd['agri:field'] = field.code;
        ilmd['agri:base'] = field.baseName;
        ilmd['agri:harvestDate'] = lot.harvestDate ?? lot.productionDate;
        bizLocation = fieldUri(field.code);
      }
      if (lot.origin) ilmd['agri:origin'] = lot.origin;
      await recordTraceEvent(db, actor, {
        eventType: 'ObjectEvent',
        action: 'ADD',
        bizStep: 'commissioning',
        disposition: 'active',
        lots: [{ lotId: lot.id }],
        bizLocation,
        ilmd,
        refType: 'lot',
        refId: lot.id,
        eventTime: e.at,
      });
      return;
    }
    if (e.type === 'lot.status') {
      const s = STATUS_STEP[e.toStatus ?? ''];
      if (!s) return;
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
    if (e.type === 'stock.received') {
      if (e.refType === 'processing' || e.refType === 'harvest') return; // commissioning / transformation already recorded
      const returned = e.refType === 'return';
      await recordTraceEvent(db, actor, {
        eventType: 'ObjectEvent',
        action: 'OBSERVE',
        bizStep: 'receiving',
        disposition: returned ? 'returned' : 'active',
        lots: [q],
        readPoint: e.locationId ? locationUri(e.locationId) : null,
        bizTransactions: tx,
        refType: e.refType ?? null,
        refId: e.refId ?? null,
        eventTime: e.at,
      });
    } else if (e.type === 'stock.issued') {
      if (e.refType === 'processing') return;
      const shipping = e.refType === 'order' || e.refType === 'shipment';
      await recordTraceEvent(db, actor, {
        eventType: 'ObjectEvent',
        action: 'OBSERVE',
        bizStep: shipping ? 'shipping' : 'removing',
        disposition: shipping ? 'in_transit' : 'inactive',
        lots: [q],
        readPoint: e.locationId ? locationUri(e.locationId) : null,
        bizTransactions: tx,
        refType: e.refType ?? null,
        refId: e.refId ?? null,
        eventTime: e.at,
      });
    } else if (e.type === 'stock.moved') {
      await recordTraceEvent(db, actor, {
        eventType: 'ObjectEvent',
        action: 'OBSERVE',
        bizStep: 'storing',
        disposition: 'active',
        lots: [q],
        readPoint: e.toLocationId ? locationUri(e.toLocationId) : null,
        refType: e.refType ?? null,
        refId: e.refId ?? null,
        eventTime: e.at,
      });
    }
  });
  onQualityEvent(async (e: QualityEvent) => {
    if (e.type !== 'inspection.signed' || !e.inspection.lotId) return;
    const i = e.inspection;
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
    });
  });
}
