import { asc, eq, inArray } from 'drizzle-orm';
import { businessDate, clock } from '../../platform/clock.js';
import { mask } from '../../platform/crypto/pii.js';
import { getCustomerAddress, regionPath } from '../customers/index.js';
import type { Db } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { toXlsx, type Column } from '../../platform/http/excel.js';
import { getProducts } from '../catalog/index.js';
import { getLot, getLots } from '../inventory/index.js';
import { fieldsByIds, harvestsOfLots, inspectionsOfLots } from '../quality/index.js';
import { VOC, eventWhere, eventsOfLots, gtin14, uomOf } from './events.service.js';
import { ancestorLotIds, getOrderLookup, type OrderRef } from './genealogy.service.js';
import { binPlaces } from './places.js';
import { gs1Config } from './trace.settings.js';
import { lotOfTraceCode } from './labels.service.js';
import { TraceErrors } from './trace.errors.js';
import { processingLines, processingRuns, traceEvents, type ProcessKind } from './trace.tables.js';

export const EPCIS_CONTEXT = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';

/** An EPCIS 2.0 JSON-LD document of the events of a lot (and its ancestry) or of a time window. */
export async function epcisDocument(db: Db, f: { lotId?: string; from?: Date; to?: Date; limit?: number }): Promise<Record<string, unknown>> {
  let rows;
  if (f.lotId) {
    if (!(await getLot(db, f.lotId))) throw new DomainError('LOT_NOT_FOUND');
    rows = await eventsOfLots(db, await ancestorLotIds(db, [f.lotId]));
  } else {
    rows = await db
      .select()
      .from(traceEvents)
      .where(eventWhere({ from: f.from, to: f.to }))
      .orderBy(asc(traceEvents.eventTime), asc(traceEvents.seq))
      .limit(f.limit ?? 100_000);
  }
  return {
    '@context': [EPCIS_CONTEXT, { agri: VOC, cbvmda: 'urn:epcglobal:cbv:mda:' }],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: clock.now().toISOString(),
    epcisBody: { eventList: rows.map((r) => r.body) },
  };
}

// ---------------------------------------------------------------- FSMA 204 sortable spreadsheet
export type FsmaRow = {
  tlcGtin: string;
  tlcBatch: string;
  cte: string;
  eventDate: string;
  quantity: string;
  uom: string;
  productDescription: string;
  shipFrom: string;
  shipTo: string;
  tlcSource: string;
  refDocType: string;
  refDocNumber: string;
};

const CTE: Record<string, string> = { commissioning: 'Harvesting', packing: 'Initial Packing', shipping: 'Shipping', receiving: 'Receiving', storing: 'Cooling' };

type EventBody = {
  quantityList?: { quantity?: number; uom?: string }[];
  outputQuantityList?: { quantity?: number; uom?: string }[];
  readPoint?: { id: string };
  bizLocation?: { id: string };
  bizTransactionList?: { type: string; bizTransaction: string }[];
  'agri:locationId'?: string;
};

/** The bin of a stock event: recorded as `agri:locationId` (older events: our readPoint URI). */
function locationIdOf(body: EventBody): string | null {
  if (body['agri:locationId']) return body['agri:locationId'];
  const m = /\/loc\/([0-9a-f-]{36})$/i.exec(body.readPoint?.id ?? '');
  return m ? m[1]! : null;
}

/** "name; GLN n; address": how a place reads in the sheet (the GLN and the address when known). */
const placeText = (name: string, gln: string | null, address: string | null): string => [name, gln ? `GLN ${gln}` : null, address].filter(Boolean).join('; ');

/**
 * The FSMA 204 sortable spreadsheet of a period: one row per (critical tracking event, lot). Harvesting rows are the
 * harvests (date, quantity and unit as harvested); lots bought in are Receiving; dates are Asia/Shanghai business
 * dates; Shipping rows name the ship-from bin/warehouse and the customer's delivery place, with the order number.
 * `pii: false` masks the street address of a ship-to place.
 */
export async function fsmaRows(db: Db, from: Date, to: Date, opts: { pii?: boolean } = {}): Promise<FsmaRow[]> {
  const rows = await db.select().from(traceEvents).where(eventWhere({ from, to })).orderBy(asc(traceEvents.eventTime), asc(traceEvents.seq));
  const lotIds = [...new Set(rows.flatMap((r) => r.lotIds))];
  const lots = await getLots(db, lotIds);
  const products = await getProducts(db, [...new Set([...lots.values()].map((l) => l.productId))]);
  const harvests = new Map((await harvestsOfLots(db, lotIds)).map((h) => [h.lotId, h]));
  const bodies = rows.map((r) => r.body as EventBody);
  const places = await binPlaces(
    db,
    bodies.map(locationIdOf).filter((x): x is string => !!x),
  );
  const orderIds = [...new Set(rows.filter((r) => r.bizStep === 'shipping' && r.refType === 'order' && r.refId).map((r) => r.refId!))];
  const lookup = getOrderLookup();
  const orders = lookup && orderIds.length ? await lookup(db, orderIds, { contacts: false }) : new Map<string, OrderRef>();
  const cfg = await gs1Config(db);
  const shipTos = new Map<string, string>();
  for (const [id, o] of orders) {
    const gln = o.customerCode ? (cfg.glns.get(o.customerCode.toUpperCase()) ?? null) : null;
    const a = o.addressId ? await getCustomerAddress(db, o.addressId) : null;
    const region = a ? (regionPath(a.regionCode) ?? a.regionCode) : null;
    const address = a ? [a.label, region, opts.pii === false ? mask(a.address) : a.address].filter(Boolean).join(' ') : null;
    shipTos.set(id, placeText(o.customerName, gln, address));
  }
  const out: FsmaRow[] = [];
  rows.forEach((r, n) => {
    const body = bodies[n]!;
    const cte = r.eventType === 'TransformationEvent' ? (r.bizStep === 'packing' ? 'Initial Packing' : 'Transformation') : CTE[r.bizStep];
    if (!cte) return;
    const nOut = body.outputQuantityList?.length ?? 0;
    const place = places.get(locationIdOf(body) ?? '');
    const here = place ? placeText(place.name, place.gln, place.address) : '';
    r.lotIds.forEach((lotId, i) => {
      const lot = lots.get(lotId);
      if (!lot) return;
      // transformation: one row per output lot (the TLC is assigned there); outputs are the last lot ids
      if (r.eventType === 'TransformationEvent' && i < r.lotIds.length - nOut) return;
      let q = r.eventType === 'TransformationEvent' ? body.outputQuantityList?.[i - (r.lotIds.length - nOut)] : body.quantityList?.[i];
      let eventDate = businessDate(r.eventTime);
      if (cte === 'Harvesting') {
        // Only a lot harvested from our own fields is Harvesting; a lot bought in is commissioned here but is Receiving.
        const h = lot.sourceType === 'harvest' ? harvests.get(lot.id) : undefined;
        if (!h) return;
        eventDate = h.harvestedOn;
        q = { quantity: Number(h.quantity), uom: h.unit };
      }
      const p = products.get(lot.productId);
      const tx = body.bizTransactionList?.[0];
      const order = cte === 'Shipping' && r.refType === 'order' && r.refId ? orders.get(r.refId) : undefined;
      out.push({
        tlcGtin: p?.gtin ? gtin14(p.gtin) : '',
        tlcBatch: lot.lotCode,
        cte,
        eventDate,
        quantity: q?.quantity != null ? String(q.quantity) : '',
        uom: cte === 'Harvesting' ? (q?.uom ?? '') : unitOf(q?.uom, p?.baseUnit),
        productDescription: p ? `${p.name}${p.spec ? ` ${p.spec}` : ''}` : '',
        shipFrom: cte === 'Shipping' ? here : '',
        shipTo: cte === 'Shipping' ? (r.refId ? (shipTos.get(r.refId) ?? '') : '') : cte === 'Receiving' ? here : '',
        tlcSource: lot.origin ? (/^\d{6}$/.test(lot.origin) ? (regionPath(lot.origin) ?? lot.origin) : lot.origin) : '',
        refDocType: order ? 'Purchase Order' : (tx?.type ?? ''),
        refDocNumber: order ? (order.number ?? '') : tx ? decodeURIComponent(tx.bizTransaction.split('/').pop() ?? '') : '',
      });
    });
  });
  return out;
}

/** The unit of a row in the unit people use (kg, 箱…): our unit when the UN/CEFACT code is the product's base unit's. */
function unitOf(uom: string | undefined, baseUnit: string | undefined): string {
  if (!uom) return '';
  if (baseUnit && uomOf(baseUnit) === uom) return baseUnit;
  return uom;
}

export const FSMA_COLUMNS: Column<FsmaRow>[] = [
  { header: 'Traceability Lot Code - GTIN', key: 'tlcGtin', value: (r) => r.tlcGtin },
  { header: 'Traceability Lot Code - Batch', key: 'tlcBatch', value: (r) => r.tlcBatch },
  { header: 'Critical Tracking Event', key: 'cte', value: (r) => r.cte },
  { header: 'Event Date', key: 'eventDate', value: (r) => r.eventDate },
  { header: 'Quantity', key: 'quantity', value: (r) => r.quantity },
  { header: 'Unit of Measure', key: 'uom', value: (r) => r.uom },
  { header: 'Product Description', key: 'productDescription', value: (r) => r.productDescription },
  { header: 'Ship-From Location', key: 'shipFrom', value: (r) => r.shipFrom },
  { header: 'Ship-To Location', key: 'shipTo', value: (r) => r.shipTo },
  { header: 'TLC Source Reference', key: 'tlcSource', value: (r) => r.tlcSource },
  { header: 'Reference Document Type', key: 'refDocType', value: (r) => r.refDocType },
  { header: 'Reference Document Number', key: 'refDocNumber', value: (r) => r.refDocNumber },
];

const csvCell = (v: unknown): string => {
  const s = v == null ? '' : String(v);
  return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s;
};

export function fsmaCsv(rows: FsmaRow[]): string {
  const lines = [FSMA_COLUMNS.map((c) => csvCell(c.header)).join(',')];
  for (const r of rows) lines.push(FSMA_COLUMNS.map((c) => csvCell(c.value(r))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function fsmaXlsx(rows: FsmaRow[]): Promise<Buffer> {
  return toXlsx('FSMA 204', FSMA_COLUMNS, rows);
}

// ---------------------------------------------------------------- public trace page data
export type PublicTrace = {
  code: string;
  product: { name: string; spec: string | null; category: string };
  lotCode: string;
  origin: string | null;
  harvestDate: string | null;
  productionDate: string;
  expiryDate: string;
  fields: { base: string; field: string; region: string | null }[];
  inspections: { stage: string; inspectedOn: string; result: 'pass' }[];
  processing: { kind: ProcessKind; runOn: string }[];
};

/** What a consumer may see: no personal or commercial data (no customers, prices, quantities, people). */
export async function publicTrace(db: Db, code: string): Promise<PublicTrace> {
  const lotId = await lotOfTraceCode(db, code);
  const lot = lotId ? await getLot(db, lotId) : null;
  if (!lot) throw new DomainError(TraceErrors.TRACE_CODE_NOT_FOUND, { code });
  const ids = await ancestorLotIds(db, [lot.id]);
  const products = await getProducts(db, [lot.productId]);
  const p = products.get(lot.productId);
  const harvests = await harvestsOfLots(db, ids);
  const fieldRows = await fieldsByIds(db, [...new Set(harvests.map((h) => h.fieldId))]);
  const insp = (await inspectionsOfLots(db, ids)).filter((i) => i.result === 'pass');
  const runs = await db
    .select({ kind: processingRuns.kind, runOn: processingRuns.runOn })
    .from(processingRuns)
    .innerJoin(processingLines, eq(processingLines.runId, processingRuns.id))
    .where(inArray(processingLines.lotId, ids.length ? ids : [lot.id]));
  const seenRuns = new Set<string>();
  return {
    code: code.toUpperCase(),
    product: { name: p?.name ?? '', spec: p?.spec ?? null, category: p?.category ?? '' },
    lotCode: lot.lotCode,
    origin: lot.origin && /^\d{6}$/.test(lot.origin) ? (regionPath(lot.origin) ?? lot.origin) : lot.origin,
    harvestDate: harvests.map((h) => h.harvestedOn).sort()[0] ?? lot.harvestDate,
    productionDate: lot.productionDate,
    expiryDate: lot.expiryDate,
    fields: fieldRows.map((f) => ({ base: f.baseName, field: f.name, region: f.regionCode })),
    inspections: insp.map((i) => ({ stage: i.stage, inspectedOn: i.inspectedOn, result: 'pass' as const })),
    processing: runs
      .filter((r) => {
        const k = `${r.kind}/${r.runOn}`;
        if (seenRuns.has(k)) return false;
        seenRuns.add(k);
        return true;
      })
      .sort((a, b) => a.runOn.localeCompare(b.runOn)),
  };
}
