import { count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { clock } from '../../platform/clock.js';
import { queryRows, type Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { offsetOf, type Page } from '../../platform/http/list.js';
import { Q, fmtQty, positiveQty } from '../../platform/quantity.js';
import { getProduct, getProducts, toBaseQuantity } from '../catalog/index.js';
import { activeReservationsOfLots, createLot, getLot, getLots, issueStock, lotBalancesOf, receiveStock, type LotInfo } from '../inventory/index.js';
import { getOrderSummaries } from '../orders/index.js';
import { applicationsOfFields, fieldsByIds, harvestsOfLots, inspectionsOfLots, sourceChecksOfFields } from '../quality/index.js';
import { businessTime, lotMasterData, recordTraceEvent } from './events.service.js';
import { binPlaces } from './places.js';
import { TraceErrors } from './trace.errors.js';
import { lotLinks, processingLines, processingRuns, type ProcessKind } from './trace.tables.js';

export type RunInput = {
  kind: ProcessKind;
  runOn: string;
  inputs: { lotId: string; locationId: string; quantity: string; unit: string }[];
  outputs: { productId: string; lotCode?: string; quantity: string; unit: string; locationId: string; expiryDate?: string }[];
  overYieldReason?: string | null;
  note?: string | null;
};

export type RunRow = typeof processingRuns.$inferSelect;
export type RunView = RunRow & { lines: (typeof processingLines.$inferSelect & { lotCode: string })[] };

/** Runs a processing step: released inputs are issued, output lots created (quarantined) with genealogy links. */
export async function createProcessingRun(db: Db, actor: Actor, input: RunInput): Promise<RunView> {
  const seen = new Set<string>();
  const ins: { lot: LotInfo; locationId: string; quantity: string; unit: string; base: InstanceType<typeof Q> }[] = [];
  for (const [i, line] of input.inputs.entries()) {
    const key = `${line.lotId}/${line.locationId}`;
    if (seen.has(key)) throw new DomainError(TraceErrors.PROCESSING_DUPLICATE_INPUT, {}, [{ field: `inputs.${i}.lotId`, code: TraceErrors.PROCESSING_DUPLICATE_INPUT }]);
    seen.add(key);
    const lot = await getLot(db, line.lotId);
    if (!lot) throw new DomainError('LOT_NOT_FOUND', {}, [{ field: `inputs.${i}.lotId`, code: 'LOT_NOT_FOUND' }]);
    if (lot.qualityStatus !== 'released') {
      const params = { lotCode: lot.lotCode, status: lot.qualityStatus };
      throw new DomainError(TraceErrors.PROCESSING_LOT_NOT_RELEASED, params, [{ field: `inputs.${i}.lotId`, code: TraceErrors.PROCESSING_LOT_NOT_RELEASED, params }]);
    }
    positiveQty(line.quantity);
    ins.push({ lot, locationId: line.locationId, quantity: line.quantity, unit: line.unit, base: new Q(await toBaseQuantity(db, lot.productId, line.quantity, line.unit)) });
  }
  const outs: { productId: string; lotCode?: string; quantity: string; unit: string; locationId: string; expiryDate?: string; base: InstanceType<typeof Q> }[] = [];
  for (const [i, o] of input.outputs.entries()) {
    const p = await getProduct(db, o.productId);
    if (!p) throw new DomainError('PRODUCT_NOT_FOUND', {}, [{ field: `outputs.${i}.productId`, code: 'PRODUCT_NOT_FOUND' }]);
    positiveQty(o.quantity);
    outs.push({ ...o, base: new Q(await toBaseQuantity(db, o.productId, o.quantity, o.unit)) });
  }
  const inTotal = ins.reduce((s, x) => s.add(x.base), new Q(0));
  const outTotal = outs.reduce((s, x) => s.add(x.base), new Q(0));
  if (outTotal.gt(inTotal) && !input.overYieldReason?.trim()) {
    const params = { input: fmtQty(inTotal), output: fmtQty(outTotal) };
    throw new DomainError(TraceErrors.PROCESSING_OUTPUT_EXCEEDS_INPUT, params, [{ field: 'overYieldReason', code: TraceErrors.PROCESSING_OUTPUT_EXCEEDS_INPUT, params }]);
  }
  const number = await nextDocNumber(db, 'PR', clock.now());
  const [run] = await db
    .insert(processingRuns)
    .values({
      number,
      kind: input.kind,
      runOn: input.runOn,
      inputTotal: fmtQty(inTotal),
      outputTotal: fmtQty(outTotal),
      lossTotal: fmtQty(inTotal.sub(outTotal)),
      yieldRatio: inTotal.gt(0) ? outTotal.div(inTotal).toFixed(4) : '0.0000',
      overYieldReason: input.overYieldReason ?? null,
      note: input.note ?? null,
      createdBy: actor.username,
    })
    .returning();
  for (const x of ins) {
    await issueStock(db, actor, {
      lotId: x.lot.id,
      locationId: x.locationId,
      quantity: x.quantity,
      unit: x.unit,
      reason: `processing ${number}`,
      refType: 'processing',
      refId: run!.id,
    });
    await db.insert(processingLines).values({
      runId: run!.id,
      direction: 'in',
      lotId: x.lot.id,
      productId: x.lot.productId,
      locationId: x.locationId,
      quantity: fmtQty(x.quantity),
      unit: x.unit,
      baseQuantity: fmtQty(x.base),
    });
  }
  const outLots: { lot: LotInfo; quantity: string; unit: string; base: InstanceType<typeof Q> }[] = [];
  for (const o of outs) {
    const lot = await createLot(db, actor, {
      productId: o.productId,
      ...(o.lotCode ? { lotCode: o.lotCode } : {}),
      ...(o.expiryDate ? { expiryDate: o.expiryDate } : {}),
      origin: ins[0]?.lot.origin ?? null,
      productionDate: input.runOn,
      qualityStatus: 'quarantined',
      sourceType: 'processing',
      sourceRef: number,
    });
    await receiveStock(db, actor, {
      lotId: lot.id,
      locationId: o.locationId,
      quantity: o.quantity,
      unit: o.unit,
      reason: `processing ${number}`,
      refType: 'processing',
      refId: run!.id,
    });
    await db.insert(processingLines).values({
      runId: run!.id,
      direction: 'out',
      lotId: lot.id,
      productId: o.productId,
      locationId: o.locationId,
      quantity: fmtQty(o.quantity),
      unit: o.unit,
      baseQuantity: fmtQty(o.base),
    });
    outLots.push({ lot, quantity: o.quantity, unit: o.unit, base: o.base });
  }
  // Genealogy: each input is attributed to the outputs in proportion to their share of the output.
  const links = ins.flatMap((x) =>
    outLots.map((o) => ({ runId: run!.id, inputLotId: x.lot.id, outputLotId: o.lot.id, quantity: outTotal.gt(0) ? x.base.mul(o.base).div(outTotal).toFixed(3) : '0.000' })),
  );
  if (links.length) await db.insert(lotLinks).values(links);
  // One TransformationEvent per output lot (all with the run's transformationID), so that each output carries its own
  // master data (lot number, expiry) as ILMD; its inputs are the input quantities attributed to it (base units).
  const inProducts = await getProducts(db, [...new Set(ins.map((x) => x.lot.productId))]);
  const outPlaces = await binPlaces(
    db,
    outs.map((o) => o.locationId),
  );
  for (const [k, o] of outLots.entries()) {
    const place = outPlaces.get(outs[k]!.locationId);
    await recordTraceEvent(db, actor, {
      eventType: 'TransformationEvent',
      bizStep: input.kind === 'pack' ? 'packing' : 'commissioning',
      disposition: 'active',
      inputs: ins.map((x) => ({
        lotId: x.lot.id,
        quantity: outTotal.gt(0) ? x.base.mul(o.base).div(outTotal).toFixed(3) : '0',
        unit: inProducts.get(x.lot.productId)?.baseUnit ?? x.unit,
      })),
      outputs: [{ lotId: o.lot.id, quantity: o.quantity, unit: o.unit }],
      transformationId: `urn:uuid:${run!.id}`,
      readPoint: place?.readPoint,
      bizLocation: place?.bizLocation,
      ilmd: lotMasterData(o.lot),
      refType: 'processing',
      refId: run!.id,
      extra: { 'agri:process': input.kind, 'agri:run': number, 'agri:locationId': outs[k]!.locationId },
      eventTime: businessTime(input.runOn, clock.now()),
    });
  }
  await recordAudit(db, actor, {
    action: 'trace.processing.create',
    entity: 'processing_run',
    entityId: run!.id,
    after: { ...run, inputs: input.inputs, outputs: outLots.map((o) => o.lot.lotCode) },
  });
  return getProcessingRun(db, run!.id);
}

export async function getProcessingRun(db: Db, id: string): Promise<RunView> {
  const [run] = await db.select().from(processingRuns).where(eq(processingRuns.id, id));
  if (!run) throw new DomainError('NOT_FOUND');
  const lines = await db.select().from(processingLines).where(eq(processingLines.runId, id));
  const lots = await getLots(
    db,
    lines.map((l) => l.lotId),
  );
  return { ...run, lines: lines.map((l) => ({ ...l, lotCode: lots.get(l.lotId)?.lotCode ?? '' })) };
}

export async function listProcessingRuns(db: Db, f: { q?: string; page: number; pageSize: number }): Promise<Page<RunRow>> {
  const where = f.q ? sql`${processingRuns.number} ilike ${`%${f.q}%`}` : undefined;
  const [items, total] = await Promise.all([
    db.select().from(processingRuns).where(where).orderBy(desc(processingRuns.createdAt)).limit(f.pageSize).offset(offsetOf(f)),
    db.select({ n: count() }).from(processingRuns).where(where),
  ]);
  return { items, total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

// ---------------------------------------------------------------- backward & forward closure
/** All lots upstream of the given lots (inclusive), via the genealogy links. */
export async function ancestorLotIds(db: Db, lotIds: string[]): Promise<string[]> {
  if (!lotIds.length) return [];
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with recursive up(id) as (select unnest(${sql.raw(uuidArray(lotIds))}) union select l.input_lot_id from trace_lot_links l join up on l.output_lot_id = up.id) select id from up`,
  );
  return rows.map((r) => r.id);
}

/** All lots downstream of the given lots (inclusive). */
export async function descendantLotIds(db: Db, lotIds: string[]): Promise<string[]> {
  if (!lotIds.length) return [];
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with recursive down(id) as (select unnest(${sql.raw(uuidArray(lotIds))}) union select l.output_lot_id from trace_lot_links l join down on l.input_lot_id = down.id) select id from down`,
  );
  return rows.map((r) => r.id);
}

function uuidArray(ids: string[]): string {
  return `ARRAY[${ids.map((i) => `'${i.replace(/[^0-9a-f-]/gi, '')}'`).join(',')}]::uuid[]`;
}

export async function linksAmong(db: Db, lotIds: string[]): Promise<(typeof lotLinks.$inferSelect)[]> {
  if (!lotIds.length) return [];
  return db.select().from(lotLinks).where(inArray(lotLinks.outputLotId, lotIds));
}

type LinkRow = typeof lotLinks.$inferSelect;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The genealogy links upstream of a lot and the lots they close over, in one statement: the recursive closure
 * (served by `trace_links_out_idx`) feeds the link lookup. Every ancestor other than the lot is the input of one of
 * the links, so the lot ids are the lot plus the links' inputs.
 */
async function upstreamLinks(db: Db, lotId: string): Promise<{ ids: string[]; links: LinkRow[] }> {
  const links = await db
    .select()
    .from(lotLinks)
    .where(
      sql`${lotLinks.outputLotId} in (with recursive up(id) as (select ${lotId}::uuid union select l.input_lot_id from trace_lot_links l join up on l.output_lot_id = up.id) select id from up)`,
    );
  return { ids: [...new Set([lotId, ...links.map((l) => l.inputLotId)])], links };
}

/** The links downstream of a lot and the lots they reach (the lot plus the links' outputs), via `trace_links_in_idx`. */
async function downstreamLinks(db: Db, lotId: string): Promise<{ ids: string[]; links: LinkRow[] }> {
  const links = await db
    .select()
    .from(lotLinks)
    .where(
      sql`${lotLinks.inputLotId} in (with recursive down(id) as (select ${lotId}::uuid union select l.output_lot_id from trace_lot_links l join down on l.input_lot_id = down.id) select id from down)`,
    );
  return { ids: [...new Set([lotId, ...links.map((l) => l.outputLotId)])], links };
}

/** Graph depth of every lot reachable from `start` over `links` (breadth first; `from`/`to` pick the direction). */
function depths(start: string, links: LinkRow[], from: 'inputLotId' | 'outputLotId', to: 'inputLotId' | 'outputLotId'): Map<string, number> {
  const next = new Map<string, LinkRow[]>();
  for (const l of links) {
    const list = next.get(l[from]);
    if (list) list.push(l);
    else next.set(l[from], [l]);
  }
  const depth = new Map<string, number>([[start, 0]]);
  let frontier = [start];
  while (frontier.length) {
    const nextFrontier: string[] = [];
    for (const id of frontier)
      for (const l of next.get(id) ?? []) {
        if (!depth.has(l[to])) {
          depth.set(l[to], (depth.get(id) ?? 0) + 1);
          nextFrontier.push(l[to]);
        }
      }
    frontier = nextFrontier;
  }
  return depth;
}

export type GraphNode = {
  id: string;
  kind: 'lot' | 'field' | 'input' | 'check' | 'location' | 'order' | 'customer';
  label: string;
  sub?: string | null;
  status?: string | null;
  depth: number;
};
export type GraphEdge = { from: string; to: string; label?: string | null };

export type LotSummary = {
  id: string;
  lotCode: string;
  productId: string;
  productName: string;
  qualityStatus: string;
  sourceType: string;
  productionDate: string;
  expiryDate: string;
};

async function lotSummaries(db: Db, ids: string[]): Promise<Map<string, LotSummary>> {
  const lots = await getLots(db, ids);
  const products = await getProducts(db, [...new Set([...lots.values()].map((l) => l.productId))]);
  const out = new Map<string, LotSummary>();
  for (const l of lots.values())
    out.set(l.id, {
      id: l.id,
      lotCode: l.lotCode,
      productId: l.productId,
      productName: products.get(l.productId)?.name ?? '',
      qualityStatus: l.qualityStatus,
      sourceType: l.sourceType,
      productionDate: l.productionDate,
      expiryDate: l.expiryDate,
    });
  return out;
}

export type BackwardTrace = {
  lot: LotSummary;
  lots: LotSummary[];
  links: { inputLotId: string; outputLotId: string; quantity: string; runId: string }[];
  harvestLots: { lotId: string; lotCode: string; fieldId: string; harvestedOn: string }[];
  fields: { id: string; code: string; name: string; baseName: string }[];
  inputApplications: {
    id: string;
    fieldId: string;
    materialId: string;
    materialLotCode: string | null;
    appliedOn: string;
    safeHarvestOn: string;
    dose: string;
    doseUnit: string;
  }[];
  sourceChecks: { id: string; fieldId: string | null; checkType: string | null; result: string; inspectedOn: string; validUntil: string | null }[];
  inspections: { id: string; lotId: string | null; number: string; stage: string; result: string; inspectedOn: string }[];
  graph: { nodes: GraphNode[]; edges: GraphEdge[] };
};

/** Lot → input lots → harvest lots → fields → input applications and source checks. */
export async function backwardTrace(db: Db, lotId: string): Promise<BackwardTrace> {
  // The closure and its links in one statement, then three independent chains in parallel: lots → products,
  // harvests → fields/applications/checks, inspections. The lot itself is among the summaries when it exists.
  if (!UUID.test(lotId)) throw new DomainError('LOT_NOT_FOUND');
  const { ids, links } = await upstreamLinks(db, lotId);
  const fieldsOf = async () => {
    const harvests = await harvestsOfLots(db, ids);
    const fieldIds = [...new Set(harvests.map((h) => h.fieldId))];
    const [fieldRows, allApps, checks] = await Promise.all([fieldsByIds(db, fieldIds), applicationsOfFields(db, fieldIds), sourceChecksOfFields(db, fieldIds)]);
    return { harvests, fieldRows, allApps, checks };
  };
  const [summaries, { harvests, fieldRows, allApps, checks }, insp] = await Promise.all([lotSummaries(db, ids), fieldsOf(), inspectionsOfLots(db, ids)]);
  if (!summaries.has(lotId)) throw new DomainError('LOT_NOT_FOUND');
  const lastHarvest = new Map<string, string>();
  for (const h of harvests) if ((lastHarvest.get(h.fieldId) ?? '') < h.harvestedOn) lastHarvest.set(h.fieldId, h.harvestedOn);
  // an application counts when it precedes one of the traced harvests of its field
  const apps = allApps.filter((a) => a.appliedOn <= (lastHarvest.get(a.fieldId) ?? ''));
  // graph: depth 0 = the lot, growing upstream
  const depth = depths(lotId, links, 'outputLotId', 'inputLotId');
  const maxLot = Math.max(0, ...depth.values());
  const nodes: GraphNode[] = [...summaries.values()].map((s) => ({
    id: s.id,
    kind: 'lot',
    label: s.lotCode,
    sub: s.productName,
    status: s.qualityStatus,
    depth: depth.get(s.id) ?? 0,
  }));
  const edges: GraphEdge[] = links.map((l) => ({ from: l.inputLotId, to: l.outputLotId, label: l.quantity }));
  for (const f of fieldRows) nodes.push({ id: f.id, kind: 'field', label: f.code, sub: `${f.baseName} ${f.name}`, depth: maxLot + 1 });
  for (const h of harvests) edges.push({ from: h.fieldId, to: h.lotId, label: h.harvestedOn });
  for (const a of apps) {
    nodes.push({ id: a.id, kind: 'input', label: a.materialLotCode ?? a.materialId.slice(0, 8), sub: a.appliedOn, depth: maxLot + 2 });
    edges.push({ from: a.id, to: a.fieldId, label: `${a.dose}${a.doseUnit}` });
  }
  for (const c of checks) {
    nodes.push({ id: c.id, kind: 'check', label: `${c.checkType ?? ''} ${c.number}`, sub: c.result, status: c.result, depth: maxLot + 2 });
    if (c.fieldId) edges.push({ from: c.id, to: c.fieldId });
  }
  return {
    lot: summaries.get(lotId)!,
    lots: [...summaries.values()],
    links: links.map((l) => ({ inputLotId: l.inputLotId, outputLotId: l.outputLotId, quantity: l.quantity, runId: l.runId })),
    harvestLots: harvests.map((h) => ({ lotId: h.lotId, lotCode: h.lotCode, fieldId: h.fieldId, harvestedOn: h.harvestedOn })),
    fields: fieldRows.map((f) => ({ id: f.id, code: f.code, name: f.name, baseName: f.baseName })),
    inputApplications: apps.map((a) => ({
      id: a.id,
      fieldId: a.fieldId,
      materialId: a.materialId,
      materialLotCode: a.materialLotCode,
      appliedOn: a.appliedOn,
      safeHarvestOn: a.safeHarvestOn,
      dose: a.dose,
      doseUnit: a.doseUnit,
    })),
    sourceChecks: checks.map((c) => ({ id: c.id, fieldId: c.fieldId, checkType: c.checkType, result: c.result, inspectedOn: c.inspectedOn, validUntil: c.validUntil })),
    inspections: insp.map((i) => ({ id: i.id, lotId: i.lotId, number: i.number, stage: i.stage, result: i.result, inspectedOn: i.inspectedOn })),
    graph: { nodes, edges },
  };
}

export type StockRow = { lotId: string; lotCode: string; locationId: string; locationCode: string; warehouseCode: string; onHand: string; reserved: string };
export type OrderRow = {
  orderId: string;
  /** The order's number (absent in recalls recorded before it was kept). */
  orderNumber?: string | null;
  lotId: string;
  lotCode: string;
  quantity: string;
  status: string;
  customerId: string | null;
  customerName: string | null;
};

/** Pluggable lookup of an order's customer (the orders module registers it; ids only otherwise). */
export type OrderLookup = (
  db: Db,
  orderIds: string[],
  /** `contacts: false` when only the customer is needed (traces); phone/email may then be null. `names`: an individual customer's name in clear (default: `contacts`). */
  opts?: { contacts?: boolean; names?: boolean },
) => Promise<Map<string, OrderRef>>;

/** What trace needs of an order: its customer, number and ship-to (the delivery address id, when set). */
export type OrderRef = {
  customerId: string;
  customerName: string;
  number: string | null;
  email: string | null;
  phone: string | null;
  customerCode?: string | null;
  addressId?: string | null;
};

/** Default: the orders module's batched order summaries (order → customer, contact phone); one query plus contacts. */
const ordersModuleLookup: OrderLookup = async (db, orderIds, opts) => {
  const out = new Map<string, OrderRef>();
  const found = await getOrderSummaries(
    db,
    orderIds.filter((id) => UUID.test(id)),
    { contacts: opts?.contacts ?? true, names: opts?.names },
  );
  for (const [id, o] of found)
    out.set(id, {
      customerId: o.customerId,
      customerName: o.customerName,
      number: o.number,
      email: null,
      phone: o.contactPhone,
      customerCode: o.customerCode,
      addressId: o.addressId,
    });
  return out;
};
let orderLookup: OrderLookup | null = ordersModuleLookup;
export function setOrderLookup(fn: OrderLookup): void {
  orderLookup = fn;
}
export function getOrderLookup(): OrderLookup | null {
  return orderLookup;
}

export type ForwardTrace = {
  lot: LotSummary;
  lots: LotSummary[];
  links: { inputLotId: string; outputLotId: string; quantity: string; runId: string }[];
  stock: StockRow[];
  orders: OrderRow[];
  customers: { customerId: string; customerName: string }[];
  graph: { nodes: GraphNode[]; edges: GraphEdge[] };
};

/** How a reader sees a trace: `showPii` (pii:read) shows an individual customer's name in clear; stored impacts keep it masked. */
export type TraceViewOpts = { showPii?: boolean };

/** Stock, order reservations (active or consumed) and customers of a set of lots. */
export async function downstreamOf(
  db: Db,
  lotIds: string[],
  opts: TraceViewOpts = {},
): Promise<{ stock: StockRow[]; orders: OrderRow[]; customers: { customerId: string; customerName: string }[] }> {
  // one query for all balances, one for all order reservations (both in parallel), one batched order lookup
  const [balances, reservations] = await Promise.all([lotBalancesOf(db, lotIds), activeReservationsOfLots(db, lotIds, 'order')]);
  const stock: StockRow[] = [];
  const orders: OrderRow[] = [];
  for (const id of lotIds) {
    for (const b of balances.get(id) ?? []) {
      if (new Q(b.onHand).gt(0))
        stock.push({
          lotId: id,
          lotCode: b.lotCode,
          locationId: b.locationId,
          locationCode: b.locationCode,
          warehouseCode: b.warehouseCode,
          onHand: b.onHand,
          reserved: b.reserved,
        });
    }
    for (const r of reservations.get(id) ?? [])
      orders.push({ orderId: r.refId, lotId: id, lotCode: r.lotCode, quantity: r.originalQuantity, status: r.status, customerId: null, customerName: null });
  }
  const lookup = orderLookup ? await orderLookup(db, [...new Set(orders.map((o) => o.orderId))], { contacts: false, names: opts.showPii ?? false }) : new Map();
  const customers = new Map<string, string>();
  for (const o of orders) {
    const c = lookup.get(o.orderId);
    if (c) {
      o.customerId = c.customerId;
      o.orderNumber = c.number;
      o.customerName = c.customerName;
      customers.set(c.customerId, c.customerName);
    }
  }
  return { stock, orders, customers: [...customers].map(([customerId, customerName]) => ({ customerId, customerName })) };
}

/** Lot → derived lots → stock, orders, customers. */
export async function forwardTrace(db: Db, lotId: string, opts: TraceViewOpts = {}): Promise<ForwardTrace> {
  if (!UUID.test(lotId)) throw new DomainError('LOT_NOT_FOUND');
  const { ids, links } = await downstreamLinks(db, lotId);
  const [summaries, down] = await Promise.all([lotSummaries(db, ids), downstreamOf(db, ids, opts)]);
  if (!summaries.has(lotId)) throw new DomainError('LOT_NOT_FOUND');
  const depth = depths(lotId, links, 'inputLotId', 'outputLotId');
  const maxLot = Math.max(0, ...depth.values());
  const nodes: GraphNode[] = [...summaries.values()].map((s) => ({
    id: s.id,
    kind: 'lot',
    label: s.lotCode,
    sub: s.productName,
    status: s.qualityStatus,
    depth: depth.get(s.id) ?? 0,
  }));
  const edges: GraphEdge[] = links.map((l) => ({ from: l.inputLotId, to: l.outputLotId, label: l.quantity }));
  for (const s of down.stock) {
    const id = `loc:${s.lotId}:${s.locationId}`;
    nodes.push({ id, kind: 'location', label: `${s.warehouseCode}/${s.locationCode}`, sub: s.onHand, depth: maxLot + 1 });
    edges.push({ from: s.lotId, to: id });
  }
  const seenOrder = new Set<string>();
  for (const o of down.orders) {
    const id = `order:${o.orderId}`;
    if (!seenOrder.has(id)) nodes.push({ id, kind: 'order', label: o.orderNumber ?? o.orderId.slice(0, 8), sub: o.status, depth: maxLot + 1 });
    seenOrder.add(id);
    edges.push({ from: o.lotId, to: id, label: o.quantity });
    if (o.customerId) edges.push({ from: id, to: `customer:${o.customerId}` });
  }
  for (const c of down.customers) nodes.push({ id: `customer:${c.customerId}`, kind: 'customer', label: c.customerName, depth: maxLot + 2 });
  return {
    lot: summaries.get(lotId)!,
    lots: [...summaries.values()],
    links: links.map((l) => ({ inputLotId: l.inputLotId, outputLotId: l.outputLotId, quantity: l.quantity, runId: l.runId })),
    ...down,
    graph: { nodes, edges },
  };
}
