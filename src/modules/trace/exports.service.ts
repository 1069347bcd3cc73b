import { asc, eq, inArray } from 'drizzle-orm';
import { clock } from '../../platform/clock.js';
import { regionPath } from '../customers/index.js';
import type { Db } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { toXlsx, type Column } from '../../platform/http/excel.js';
import { getProducts } from '../catalog/index.js';
import { getLot, getLots } from '../inventory/index.js';
import { fieldsByIds, harvestsOfLots, inspectionsOfLots } from '../quality/index.js';
import { VOC, eventWhere, eventsOfLots, gtin14 } from './events.service.js';
import { ancestorLotIds } from './genealogy.service.js';
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
    '@context': [EPCIS_CONTEXT, { agri: VOC }],
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

export async function fsmaRows(db: Db, from: Date, to: Date): Promise<FsmaRow[]> {
  const rows = await db.select().from(traceEvents).where(eventWhere({ from, to })).orderBy(asc(traceEvents.eventTime), asc(traceEvents.seq));
  const lotIds = [...new Set(rows.flatMap((r) => r.lotIds))];
  const lots = await getLots(db, lotIds);
  const products = await getProducts(db, [...new Set([...lots.values()].map((l) => l.productId))]);
  const out: FsmaRow[] = [];
  for (const r of rows) {
    const cte = r.eventType === 'TransformationEvent' ? (r.bizStep === 'packing' ? 'Initial Packing' : 'Transformation') : CTE[r.bizStep];
    if (!cte) continue;
    const body = r.body as {
      quantityList?: { quantity?: number; uom?: string }[];
      outputQuantityList?: { quantity?: number; uom?: string }[];
      readPoint?: { id: string };
      bizLocation?: { id: string };
      bizTransactionList?: { type: string; bizTransaction: string }[];
    };
    const nOut = body.outputQuantityList?.length ?? 0;
    r.lotIds.forEach((lotId, i) => {
      const lot = lots.get(lotId);
      if (!lot) return;
      // transformation: one row per output lot (the TLC is assigned there); outputs are the last lot ids
      if (r.eventType === 'TransformationEvent' && i < r.lotIds.length - nOut) return;
      const q = r.eventType === 'TransformationEvent' ? body.outputQuantityList?.[i - (r.lotIds.length - nOut)] : body.quantityList?.[i];
      const p = products.get(lot.productId);
      const tx = body.bizTransactionList?.[0];
      out.push({
        tlcGtin: p?.gtin ? gtin14(p.gtin) : '',
        tlcBatch: lot.lotCode,
        cte,
        eventDate: r.eventTime.toISOString().slice(0, 10),
        quantity: q?.quantity != null ? String(q.quantity) : '',
        uom: q?.uom ?? '',
        productDescription: p ? `${p.name}${p.spec ? ` ${p.spec}` : ''}` : '',
        shipFrom: cte === 'Shipping' ? (body.readPoint?.id ?? '') : '',
        shipTo: cte === 'Shipping' ? (tx?.bizTransaction ?? '') : '',
        tlcSource: lot.origin ?? '',
        refDocType: tx?.type ?? '',
        refDocNumber: tx?.bizTransaction.split('/').pop() ?? '',
      });
    });
  }
  return out;
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
