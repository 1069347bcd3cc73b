import { and, asc, count, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import { can, type Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { businessDate, clock } from '../../platform/clock.js';
import { queryRows, type Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError, type FieldIssue } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import { fmtQty, qty } from '../../platform/quantity.js';
import { defineSetting, getSetting } from '../../platform/settings/settings.service.js';
import { recordInitialState, transition } from '../../platform/state-machine.js';
import { convertQuantity, getProducts, type ProductInfo } from '../catalog/index.js';
import { createLot, getLots, listLots, listWarehouses, lotBalancesOf, receiveStock } from '../inventory/index.js';
import { createInspection, inspectionsOfLots } from '../quality/index.js';
import { ProcurementErrors } from './procurement.errors.js';
import { poMachine, supplierMachine, type SupplierEvent } from './procurement.states.js';
import {
  materialLevels,
  purchaseOrderLines,
  purchaseOrders,
  purchaseReceipts,
  supplierDocuments,
  suppliers,
  type PoStatus,
  type SupplierDocumentType,
  type SupplierStatus,
} from './procurement.tables.js';

export const overReceiptTolerancePct = defineSetting({
  key: 'procurement.overReceiptTolerancePct',
  module: 'procurement',
  type: 'number',
  default: 5,
  min: 0,
  max: 100,
  label: { zh: '采购超收容差', en: 'Purchase over-receipt tolerance' },
  description: {
    zh: '一个采购单行累计收货最多可超出订购数量的百分比;超出即拒收。',
    en: 'How far (percent) the total received on a purchase order line may exceed the ordered quantity; more is refused.',
  },
  unit: { zh: '%', en: '%' },
});

export const supplierDocumentAlertDays = defineSetting({
  key: 'procurement.documentAlertDays',
  module: 'procurement',
  type: 'integer',
  default: 30,
  min: 1,
  max: 365,
  label: { zh: '供应商资质到期提醒提前天数', en: 'Supplier document expiry alert (days ahead)' },
  description: { zh: '供应商资质在此天数内到期时在列表中提示。', en: 'Supplier documents expiring within this many days are flagged in the list.' },
  unit: { zh: '天', en: 'days' },
});

export const ratingWeightQuality = defineSetting({
  key: 'procurement.ratingWeightQuality',
  module: 'procurement',
  type: 'integer',
  default: 50,
  min: 0,
  max: 100,
  label: { zh: '供应商评分权重:来料检验', en: 'Supplier rating weight: incoming inspection' },
  description: { zh: '来料检验合格率在综合评分中的权重。', en: 'Weight of the incoming inspection pass rate in the overall rating.' },
});
export const ratingWeightOnTime = defineSetting({
  key: 'procurement.ratingWeightOnTime',
  module: 'procurement',
  type: 'integer',
  default: 30,
  min: 0,
  max: 100,
  label: { zh: '供应商评分权重:准时交货', en: 'Supplier rating weight: on-time delivery' },
  description: { zh: '准时收货比例在综合评分中的权重。', en: 'Weight of the on-time receipt share in the overall rating.' },
});
export const ratingWeightPrice = defineSetting({
  key: 'procurement.ratingWeightPrice',
  module: 'procurement',
  type: 'integer',
  default: 20,
  min: 0,
  max: 100,
  label: { zh: '供应商评分权重:价格', en: 'Supplier rating weight: price' },
  description: {
    zh: '价格得分(与其他供应商同物料均价相比)在综合评分中的权重。',
    en: "Weight of the price score (against other suppliers' average price of the same material) in the overall rating.",
  },
});

const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const today = (): string => businessDate(clock.now());
function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
const fieldError = (code: string, field: string, params: Record<string, unknown> = {}): DomainError => new DomainError(code, params, [{ field, code, params }]);

type SupplierRow = typeof suppliers.$inferSelect;
type DocRow = typeof supplierDocuments.$inferSelect;
type PoRow = typeof purchaseOrders.$inferSelect;
type LevelRow = typeof materialLevels.$inferSelect;

// ---------------------------------------------------------------- suppliers

export type SupplierDocument = {
  id: string;
  type: SupplierDocumentType;
  number: string;
  issuedOn: string | null;
  expiresOn: string | null;
  expired: boolean;
  expiringSoon: boolean;
};

export type SupplierRating = {
  /** Share of signed incoming inspections that passed (0–100), null without inspections. */
  qualityScore: number | null;
  inspections: number;
  /** Share of receipts on or before the expected date (0–100), null without receipts. */
  onTimeScore: number | null;
  receipts: number;
  /** 100 at or below the other suppliers' average price of the same materials, less the dearer it is; null when nothing to compare. */
  priceScore: number | null;
  /** Weighted over the scores that exist; null when none does. */
  score: number | null;
  grade: 'A' | 'B' | 'C' | 'D' | null;
};

export type SupplierView = {
  id: string;
  code: string;
  name: string;
  usci: string | null;
  status: SupplierStatus;
  contactName: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  leadDays: number;
  note: string | null;
  nextDocumentExpiry: string | null;
  documentAlert: boolean;
  /** May receive a purchase order now: approved and no expired document. */
  canOrder: boolean;
  createdAt: Date;
  updatedAt: Date;
};
export type SupplierDetail = SupplierView & { documents: SupplierDocument[]; rating: SupplierRating };

function docView(d: DocRow, alertDays: number): SupplierDocument {
  const t = today();
  return {
    id: d.id,
    type: d.type,
    number: d.number,
    issuedOn: d.issuedOn,
    expiresOn: d.expiresOn,
    expired: d.expiresOn !== null && d.expiresOn < t,
    expiringSoon: d.expiresOn !== null && d.expiresOn >= t && d.expiresOn <= addDays(t, alertDays),
  };
}

async function docsOf(db: Db, ids: string[]): Promise<Map<string, DocRow[]>> {
  const m = new Map<string, DocRow[]>(ids.map((id) => [id, []]));
  if (!ids.length) return m;
  const rows = await db
    .select()
    .from(supplierDocuments)
    .where(and(inArray(supplierDocuments.supplierId, ids), isNull(supplierDocuments.archivedAt)))
    .orderBy(asc(supplierDocuments.type), asc(supplierDocuments.createdAt));
  for (const r of rows) m.get(r.supplierId)?.push(r);
  return m;
}

function supplierView(r: SupplierRow, docs: DocRow[], alertDays: number): SupplierView {
  const t = today();
  const expiries = docs
    .map((d) => d.expiresOn)
    .filter((d): d is string => !!d)
    .sort();
  const next = expiries[0] ?? null;
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    usci: r.usci,
    status: r.status,
    contactName: r.contactName,
    phone: r.phone,
    email: r.email,
    address: r.address,
    leadDays: r.leadDays,
    note: r.note,
    nextDocumentExpiry: next,
    documentAlert: next !== null && next <= addDays(t, alertDays),
    canOrder: r.status === 'approved' && docs.length > 0 && !docs.some((d) => d.expiresOn !== null && d.expiresOn < t),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

async function loadSupplier(db: Db, id: string, ref = false): Promise<SupplierRow> {
  const notFound = () => (ref ? fieldError(ProcurementErrors.SUPPLIER_NOT_FOUND_REF, 'supplierId') : new DomainError(ProcurementErrors.SUPPLIER_NOT_FOUND));
  if (!ANY_UUID.test(id)) throw notFound();
  const [r] = await db.select().from(suppliers).where(eq(suppliers.id, id));
  if (!r) throw notFound();
  return r;
}

/** Refuses a supplier that may not receive a purchase order: not approved, or with an expired document (field `supplierId`). */
export async function assertSupplierCanOrder(db: Db, supplierId: string): Promise<SupplierRow> {
  const s = await loadSupplier(db, supplierId, true);
  if (s.status !== 'approved') throw fieldError(ProcurementErrors.SUPPLIER_NOT_APPROVED, 'supplierId', { code: s.code, status: s.status });
  const docs = (await docsOf(db, [s.id])).get(s.id) ?? [];
  const expired = docs.find((d) => d.expiresOn !== null && d.expiresOn < today());
  if (expired) throw fieldError(ProcurementErrors.SUPPLIER_DOCUMENT_EXPIRED, 'supplierId', { code: s.code, number: expired.number, expiresOn: expired.expiresOn });
  if (!docs.length) throw fieldError(ProcurementErrors.SUPPLIER_DOCUMENT_REQUIRED, 'supplierId');
  return s;
}

const clamp = (n: number): number => Math.max(0, Math.min(100, Math.round(n)));

/** The rating of some suppliers from their incoming inspections, on-time receipts and prices, in a few queries. */
export async function supplierRatings(db: Db, ids: string[]): Promise<Map<string, SupplierRating>> {
  const out = new Map<string, SupplierRating>();
  if (!ids.length) return out;
  const [receipts, weights] = await Promise.all([
    db
      .select({ supplierId: purchaseReceipts.supplierId, lotId: purchaseReceipts.lotId, onTime: purchaseReceipts.onTime })
      .from(purchaseReceipts)
      .where(inArray(purchaseReceipts.supplierId, ids)),
    Promise.all([getSetting(db, ratingWeightQuality), getSetting(db, ratingWeightOnTime), getSetting(db, ratingWeightPrice)]),
  ]);
  const inspections = await inspectionsOfLots(db, [...new Set(receipts.map((r) => r.lotId))]);
  const resultsOfLot = new Map<string, string[]>();
  for (const i of inspections) if (i.lotId) resultsOfLot.set(i.lotId, [...(resultsOfLot.get(i.lotId) ?? []), i.result]);
  // Price: each line's price against the average of all open/closed (not cancelled) lines of the same product and unit.
  const prices = await queryRows<{ supplier_id: string; ratio: string | null }>(
    db,
    sql`
    with l as (
      select o.supplier_id, l.product_id, l.unit, l.unit_price_fen::numeric as p
      from purchase_order_lines l join purchase_orders o on o.id = l.po_id
      where o.status <> 'cancelled' and l.unit_price_fen > 0),
    avgp as (select product_id, unit, avg(p) as a, count(distinct supplier_id) as n from l group by product_id, unit)
    select l.supplier_id, avg(l.p / avgp.a)::text as ratio
    from l join avgp using (product_id, unit)
    where avgp.n > 1 and l.supplier_id in (${sql.join(
      ids.map((id) => sql`${id}::uuid`),
      sql`, `,
    )})
    group by l.supplier_id`,
  );
  const ratioOf = new Map(prices.map((r) => [r.supplier_id, r.ratio === null ? null : Number(r.ratio)]));
  const [wq, wt, wp] = weights;
  for (const id of ids) {
    const mine = receipts.filter((r) => r.supplierId === id);
    const results = mine.flatMap((r) => resultsOfLot.get(r.lotId) ?? []);
    const qualityScore = results.length ? clamp((100 * results.filter((x) => x === 'pass').length) / results.length) : null;
    const onTimeScore = mine.length ? clamp((100 * mine.filter((r) => r.onTime).length) / mine.length) : null;
    const ratio = ratioOf.get(id) ?? null;
    const priceScore = ratio === null ? null : clamp(100 - Math.max(0, ratio - 1) * 200);
    const parts = (
      [
        [qualityScore, wq],
        [onTimeScore, wt],
        [priceScore, wp],
      ] as [number | null, number][]
    ).filter((p): p is [number, number] => p[0] !== null && p[1] > 0);
    const weight = parts.reduce((s, p) => s + p[1], 0);
    const score = weight ? clamp(parts.reduce((s, p) => s + p[0] * p[1], 0) / weight) : null;
    const grade = score === null ? null : score >= 90 ? 'A' : score >= 75 ? 'B' : score >= 60 ? 'C' : 'D';
    out.set(id, { qualityScore, inspections: results.length, onTimeScore, receipts: mine.length, priceScore, score, grade });
  }
  return out;
}

export type SupplierFilter = { q?: string; status?: SupplierStatus; documentAlert?: boolean; page: number; pageSize: number; sort?: string };

export async function listSuppliers(db: Db, f: SupplierFilter): Promise<Page<SupplierView & { rating: SupplierRating }>> {
  const alertDays = await getSetting(db, supplierDocumentAlertDays);
  const conds: SQL[] = [];
  if (f.q) conds.push(sql`(${suppliers.name} ilike ${`%${f.q}%`} or ${suppliers.code} ilike ${`%${f.q}%`} or ${suppliers.usci} = ${f.q.toUpperCase()})`);
  if (f.status) conds.push(eq(suppliers.status, f.status));
  if (f.documentAlert)
    conds.push(sql`exists (select 1 from supplier_documents d where d.supplier_id = ${suppliers.id} and d.archived_at is null and d.expires_on <= ${addDays(today(), alertDays)})`);
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { code: suppliers.code, name: suppliers.name, status: suppliers.status, createdAt: suppliers.createdAt }, [asc(suppliers.code)]);
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(suppliers)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(suppliers).where(where),
  ]);
  const ids = rows.map((r) => r.id);
  const [docs, ratings] = await Promise.all([docsOf(db, ids), supplierRatings(db, ids)]);
  return {
    items: rows.map((r) => ({ ...supplierView(r, docs.get(r.id) ?? [], alertDays), rating: ratings.get(r.id)! })),
    total: total[0]?.n ?? 0,
    page: f.page,
    pageSize: f.pageSize,
  };
}

export async function getSupplierDetail(db: Db, id: string): Promise<SupplierDetail> {
  const r = await loadSupplier(db, id);
  const [docs, ratings, alertDays] = await Promise.all([docsOf(db, [id]), supplierRatings(db, [id]), getSetting(db, supplierDocumentAlertDays)]);
  const d = docs.get(id) ?? [];
  return { ...supplierView(r, d, alertDays), documents: d.map((x) => docView(x, alertDays)), rating: ratings.get(id)! };
}

export type SupplierInput = {
  code?: string;
  name: string;
  usci?: string | null;
  contactName?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  leadDays?: number;
  note?: string | null;
};

async function checkSupplierCode(db: Db, code: string | undefined, exceptId: string | null): Promise<void> {
  if (!code) return;
  const [dup] = await db
    .select({ id: suppliers.id })
    .from(suppliers)
    .where(and(eq(suppliers.code, code), exceptId ? ne(suppliers.id, exceptId) : undefined));
  if (dup) throw fieldError(ProcurementErrors.SUPPLIER_CODE_TAKEN, 'code', { code });
}

/** Creates a supplier, pending approval; code SU20261208-0001 when not given. */
export async function createSupplier(db: Db, actor: Actor, input: SupplierInput): Promise<SupplierDetail> {
  const code = input.code?.trim() || undefined;
  await checkSupplierCode(db, code, null);
  const [r] = await db
    .insert(suppliers)
    .values({
      code: code ?? (await nextDocNumber(db, 'SU', clock.now())),
      name: input.name.trim(),
      usci: input.usci?.trim().toUpperCase() || null,
      contactName: input.contactName ?? null,
      phone: input.phone ?? null,
      email: input.email ?? null,
      address: input.address ?? null,
      leadDays: input.leadDays ?? 7,
      note: input.note ?? null,
    })
    .returning();
  await recordInitialState(db, actor, supplierMachine, r!.id);
  await recordAudit(db, actor, { action: 'supplier.create', entity: 'supplier', entityId: r!.id, after: r });
  return getSupplierDetail(db, r!.id);
}

export async function updateSupplier(db: Db, actor: Actor, id: string, patch: Partial<SupplierInput>): Promise<SupplierDetail> {
  const before = await loadSupplier(db, id);
  const code = patch.code?.trim() || undefined;
  await checkSupplierCode(db, code, id);
  const [after] = await db
    .update(suppliers)
    .set({
      code: code ?? before.code,
      name: patch.name?.trim() ?? before.name,
      usci: patch.usci === undefined ? before.usci : patch.usci?.trim().toUpperCase() || null,
      contactName: patch.contactName === undefined ? before.contactName : patch.contactName,
      phone: patch.phone === undefined ? before.phone : patch.phone,
      email: patch.email === undefined ? before.email : patch.email,
      address: patch.address === undefined ? before.address : patch.address,
      leadDays: patch.leadDays ?? before.leadDays,
      note: patch.note === undefined ? before.note : patch.note,
      updatedAt: clock.now(),
    })
    .where(eq(suppliers.id, id))
    .returning();
  await recordAudit(db, actor, { action: 'supplier.update', entity: 'supplier', entityId: id, before, after });
  return getSupplierDetail(db, id);
}

/** Approve (needs at least one document and none expired), suspend (needs a reason) or reinstate a supplier. */
export async function changeSupplierStatus(db: Db, actor: Actor, id: string, event: SupplierEvent, reason: string | null): Promise<SupplierDetail> {
  const before = await loadSupplier(db, id);
  if (event === 'suspend' && !reason?.trim()) throw fieldError(ProcurementErrors.SUPPLIER_REASON_REQUIRED, 'reason');
  const docs = (await docsOf(db, [id])).get(id) ?? [];
  const to = await transition(db, actor, supplierMachine, {
    id,
    from: before.status,
    event,
    reason: reason?.trim() || null,
    guard: () => {
      if (event === 'suspend') return null;
      if (!docs.length) return ProcurementErrors.SUPPLIER_DOCUMENT_REQUIRED;
      return null;
    },
  });
  if (event !== 'suspend') {
    const expired = docs.find((d) => d.expiresOn !== null && d.expiresOn < today());
    if (expired) throw new DomainError(ProcurementErrors.SUPPLIER_DOCUMENT_EXPIRED, { code: before.code, number: expired.number, expiresOn: expired.expiresOn });
  }
  const updated = await db
    .update(suppliers)
    .set({ status: to, updatedAt: clock.now() })
    .where(and(eq(suppliers.id, id), eq(suppliers.status, before.status)))
    .returning({ id: suppliers.id });
  if (!updated.length) throw new DomainError('CONFLICT');
  await recordAudit(db, actor, { action: `supplier.${event}`, entity: 'supplier', entityId: id, before: { status: before.status }, after: { status: to, reason } });
  return getSupplierDetail(db, id);
}

export type SupplierDocumentInput = { type: SupplierDocumentType; number: string; issuedOn?: string | null; expiresOn?: string | null };

function checkDocDates(issuedOn: string | null | undefined, expiresOn: string | null | undefined): void {
  if (issuedOn && expiresOn && expiresOn < issuedOn) throw fieldError(ProcurementErrors.DOCUMENT_DATES_INVALID, 'expiresOn');
}

export async function addSupplierDocument(db: Db, actor: Actor, supplierId: string, input: SupplierDocumentInput): Promise<SupplierDocument> {
  await loadSupplier(db, supplierId);
  checkDocDates(input.issuedOn, input.expiresOn);
  const [d] = await db
    .insert(supplierDocuments)
    .values({ supplierId, type: input.type, number: input.number.trim(), issuedOn: input.issuedOn ?? null, expiresOn: input.expiresOn ?? null })
    .returning();
  const view = docView(d!, await getSetting(db, supplierDocumentAlertDays));
  await recordAudit(db, actor, { action: 'supplier.document.add', entity: 'supplier', entityId: supplierId, after: view });
  return view;
}

async function loadDoc(db: Db, supplierId: string, id: string): Promise<DocRow> {
  const [d] = await db
    .select()
    .from(supplierDocuments)
    .where(and(eq(supplierDocuments.id, id), eq(supplierDocuments.supplierId, supplierId), isNull(supplierDocuments.archivedAt)));
  if (!d) throw new DomainError(ProcurementErrors.DOCUMENT_NOT_FOUND);
  return d;
}

export async function updateSupplierDocument(db: Db, actor: Actor, supplierId: string, id: string, patch: Partial<SupplierDocumentInput>): Promise<SupplierDocument> {
  const before = await loadDoc(db, supplierId, id);
  const next = {
    type: patch.type ?? before.type,
    number: patch.number?.trim() ?? before.number,
    issuedOn: patch.issuedOn === undefined ? before.issuedOn : patch.issuedOn,
    expiresOn: patch.expiresOn === undefined ? before.expiresOn : patch.expiresOn,
  };
  checkDocDates(next.issuedOn, next.expiresOn);
  const [d] = await db.update(supplierDocuments).set(next).where(eq(supplierDocuments.id, id)).returning();
  const alertDays = await getSetting(db, supplierDocumentAlertDays);
  const view = docView(d!, alertDays);
  await recordAudit(db, actor, { action: 'supplier.document.update', entity: 'supplier', entityId: supplierId, before: docView(before, alertDays), after: view });
  return view;
}

export async function archiveSupplierDocument(db: Db, actor: Actor, supplierId: string, id: string): Promise<void> {
  const before = await loadDoc(db, supplierId, id);
  await db.update(supplierDocuments).set({ archivedAt: clock.now() }).where(eq(supplierDocuments.id, id));
  await recordAudit(db, actor, { action: 'supplier.document.archive', entity: 'supplier', entityId: supplierId, before: docView(before, 0) });
}

// ---------------------------------------------------------------- purchase orders

export type PoLineView = {
  id: string;
  lineNo: number;
  productId: string;
  productCode: string;
  productName: string;
  unit: string;
  quantity: string;
  unitPriceFen: number;
  amountFen: number;
  receivedQuantity: string;
  openQuantity: string;
};
export type PoReceiptView = {
  id: string;
  lineId: string;
  lotId: string;
  lotCode: string | null;
  lotStatus: string | null;
  locationId: string;
  quantity: string;
  supplierLotNo: string;
  receivedOn: string;
  onTime: boolean;
  inspectionId: string | null;
  receivedBy: string;
};
export type PoView = {
  id: string;
  code: string;
  supplierId: string;
  supplierCode: string;
  supplierName: string;
  warehouseId: string;
  status: PoStatus;
  expectedDate: string;
  totalFen: number;
  note: string | null;
  sentAt: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
};
export type PoDetail = PoView & { lines: PoLineView[]; receipts: PoReceiptView[] };

export type PoLineInput = { productId: string; unit: string; quantity: string; unitPriceFen: number };
export type PoInput = { supplierId: string; warehouseId: string; expectedDate: string; note?: string | null; lines: PoLineInput[] };

async function assertWarehouse(db: Db, warehouseId: string): Promise<void> {
  const page = await listWarehouses(db, { active: true, page: 1, pageSize: 200 });
  if (!page.items.some((w) => w.id === warehouseId)) throw fieldError(ProcurementErrors.PO_WAREHOUSE_UNKNOWN, 'warehouseId');
}

/** Checks the lines (known products, convertible units, one line per product) and prices them; nothing is written. */
async function checkLines(db: Db, lines: PoLineInput[]): Promise<{ products: Map<string, ProductInfo>; rows: (PoLineInput & { amountFen: number; quantity: string })[] }> {
  const products = await getProducts(
    db,
    lines.map((l) => l.productId),
  );
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  const rows = lines.map((l, i) => {
    const p = products.get(l.productId);
    let quantity = l.quantity;
    if (!p) issues.push({ field: `lines.${i}.productId`, code: 'PRODUCT_NOT_FOUND' });
    else {
      try {
        convertQuantity(p, l.quantity, l.unit, p.baseUnit);
        quantity = fmtQty(qty(l.quantity));
      } catch (e) {
        issues.push({ field: `lines.${i}.unit`, code: e instanceof DomainError ? e.code : 'UNIT_NOT_CONVERTIBLE', params: { unit: l.unit } });
      }
      if (seen.has(p.id)) issues.push({ field: `lines.${i}.productId`, code: ProcurementErrors.PO_DUPLICATE_PRODUCT });
      seen.add(p.id);
    }
    const amountFen = qty(l.quantity).times(l.unitPriceFen).toDecimalPlaces(0).toNumber();
    return { ...l, quantity, amountFen };
  });
  if (issues.length) throw new DomainError('VALIDATION_FAILED', {}, issues);
  return { products, rows };
}

async function loadPo(db: Db, id: string, forUpdate = false): Promise<PoRow> {
  if (!ANY_UUID.test(id)) throw new DomainError(ProcurementErrors.PO_NOT_FOUND);
  const q = db.select().from(purchaseOrders).where(eq(purchaseOrders.id, id));
  const [r] = forUpdate ? await q.for('update') : await q;
  if (!r) throw new DomainError(ProcurementErrors.PO_NOT_FOUND);
  return r;
}

async function poViews(db: Db, rows: PoRow[]): Promise<PoView[]> {
  const ids = [...new Set(rows.map((r) => r.supplierId))];
  const sup = ids.length ? await db.select({ id: suppliers.id, code: suppliers.code, name: suppliers.name }).from(suppliers).where(inArray(suppliers.id, ids)) : [];
  const byId = new Map(sup.map((s) => [s.id, s]));
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    supplierId: r.supplierId,
    supplierCode: byId.get(r.supplierId)?.code ?? '',
    supplierName: byId.get(r.supplierId)?.name ?? '',
    warehouseId: r.warehouseId,
    status: r.status,
    expectedDate: r.expectedDate,
    totalFen: r.totalFen,
    note: r.note,
    sentAt: r.sentAt,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }));
}

export async function getPurchaseOrder(db: Db, id: string): Promise<PoDetail> {
  const po = await loadPo(db, id);
  const [[view], lines, receipts] = await Promise.all([
    poViews(db, [po]),
    db.select().from(purchaseOrderLines).where(eq(purchaseOrderLines.poId, id)).orderBy(asc(purchaseOrderLines.lineNo)),
    db.select().from(purchaseReceipts).where(eq(purchaseReceipts.poId, id)).orderBy(asc(purchaseReceipts.createdAt)),
  ]);
  const [products, lotMap] = await Promise.all([
    getProducts(
      db,
      lines.map((l) => l.productId),
    ),
    getLots(
      db,
      receipts.map((r) => r.lotId),
    ),
  ]);
  return {
    ...view!,
    lines: lines.map((l) => ({
      id: l.id,
      lineNo: l.lineNo,
      productId: l.productId,
      productCode: products.get(l.productId)?.code ?? '',
      productName: products.get(l.productId)?.name ?? '',
      unit: l.unit,
      quantity: fmtQty(l.quantity),
      unitPriceFen: l.unitPriceFen,
      amountFen: l.amountFen,
      receivedQuantity: fmtQty(l.receivedQuantity),
      openQuantity: fmtQty(qty(l.quantity).minus(l.receivedQuantity).clamp(0, Infinity)),
    })),
    receipts: receipts.map((r) => ({
      id: r.id,
      lineId: r.lineId,
      lotId: r.lotId,
      lotCode: lotMap.get(r.lotId)?.lotCode ?? null,
      lotStatus: lotMap.get(r.lotId)?.qualityStatus ?? null,
      locationId: r.locationId,
      quantity: fmtQty(r.quantity),
      supplierLotNo: r.supplierLotNo,
      receivedOn: r.receivedOn,
      onTime: r.onTime,
      inspectionId: r.inspectionId,
      receivedBy: r.receivedBy,
    })),
  };
}

export type PoFilter = { q?: string; status?: PoStatus; supplierId?: string; overdue?: boolean; page: number; pageSize: number; sort?: string };

export async function listPurchaseOrders(db: Db, f: PoFilter): Promise<Page<PoView>> {
  const conds: SQL[] = [];
  if (f.q)
    conds.push(sql`(${purchaseOrders.code} ilike ${`%${f.q}%`} or exists (select 1 from suppliers s where s.id = ${purchaseOrders.supplierId} and s.name ilike ${`%${f.q}%`}))`);
  if (f.status) conds.push(eq(purchaseOrders.status, f.status));
  if (f.supplierId) conds.push(eq(purchaseOrders.supplierId, f.supplierId));
  if (f.overdue) conds.push(sql`${purchaseOrders.status} in ('sent', 'partially_received') and ${purchaseOrders.expectedDate} < ${today()}`);
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(
    f.sort,
    { code: purchaseOrders.code, status: purchaseOrders.status, expectedDate: purchaseOrders.expectedDate, totalFen: purchaseOrders.totalFen, createdAt: purchaseOrders.createdAt },
    [sql`${purchaseOrders.createdAt} desc`],
  );
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(purchaseOrders)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(purchaseOrders).where(where),
  ]);
  return { items: await poViews(db, rows), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

/** Creates a draft purchase order to an approved supplier with valid documents. */
export async function createPurchaseOrder(db: Db, actor: Actor, input: PoInput): Promise<PoDetail> {
  await assertSupplierCanOrder(db, input.supplierId);
  await assertWarehouse(db, input.warehouseId);
  if (input.expectedDate < today()) throw fieldError(ProcurementErrors.PO_EXPECTED_DATE_PAST, 'expectedDate');
  const { rows } = await checkLines(db, input.lines);
  const [po] = await db
    .insert(purchaseOrders)
    .values({
      code: await nextDocNumber(db, 'PO', clock.now()),
      supplierId: input.supplierId,
      warehouseId: input.warehouseId,
      expectedDate: input.expectedDate,
      totalFen: rows.reduce((s, l) => s + l.amountFen, 0),
      note: input.note ?? null,
      createdBy: actor.username,
    })
    .returning();
  await db
    .insert(purchaseOrderLines)
    .values(
      rows.map((l, i) => ({ poId: po!.id, lineNo: i + 1, productId: l.productId, unit: l.unit, quantity: l.quantity, unitPriceFen: l.unitPriceFen, amountFen: l.amountFen })),
    );
  await recordInitialState(db, actor, poMachine, po!.id);
  const view = await getPurchaseOrder(db, po!.id);
  await recordAudit(db, actor, { action: 'purchase_order.create', entity: 'purchase_order', entityId: po!.id, after: view });
  return view;
}

/** Replaces a draft's header fields and lines. */
export async function updatePurchaseOrder(db: Db, actor: Actor, id: string, patch: Partial<PoInput>): Promise<PoDetail> {
  const before = await loadPo(db, id, true);
  if (before.status !== 'draft') throw new DomainError(ProcurementErrors.PO_NOT_EDITABLE, { code: before.code, status: before.status });
  const beforeView = await getPurchaseOrder(db, id);
  if (patch.supplierId && patch.supplierId !== before.supplierId) await assertSupplierCanOrder(db, patch.supplierId);
  if (patch.warehouseId && patch.warehouseId !== before.warehouseId) await assertWarehouse(db, patch.warehouseId);
  if (patch.expectedDate && patch.expectedDate < today()) throw fieldError(ProcurementErrors.PO_EXPECTED_DATE_PAST, 'expectedDate');
  let totalFen = before.totalFen;
  if (patch.lines) {
    const { rows } = await checkLines(db, patch.lines);
    await db.delete(purchaseOrderLines).where(eq(purchaseOrderLines.poId, id));
    await db
      .insert(purchaseOrderLines)
      .values(rows.map((l, i) => ({ poId: id, lineNo: i + 1, productId: l.productId, unit: l.unit, quantity: l.quantity, unitPriceFen: l.unitPriceFen, amountFen: l.amountFen })));
    totalFen = rows.reduce((s, l) => s + l.amountFen, 0);
  }
  await db
    .update(purchaseOrders)
    .set({
      supplierId: patch.supplierId ?? before.supplierId,
      warehouseId: patch.warehouseId ?? before.warehouseId,
      expectedDate: patch.expectedDate ?? before.expectedDate,
      note: patch.note === undefined ? before.note : patch.note,
      totalFen,
      updatedAt: clock.now(),
    })
    .where(eq(purchaseOrders.id, id));
  const view = await getPurchaseOrder(db, id);
  await recordAudit(db, actor, { action: 'purchase_order.update', entity: 'purchase_order', entityId: id, before: beforeView, after: view });
  return view;
}

/** Sends (the supplier must still be approved with valid documents) or cancels a purchase order. */
export async function changePoStatus(db: Db, actor: Actor, id: string, event: 'send' | 'cancel', reason: string | null): Promise<PoDetail> {
  const before = await loadPo(db, id, true);
  if (event === 'send') await assertSupplierCanOrder(db, before.supplierId);
  const to = await transition(db, actor, poMachine, { id, from: before.status, event, reason });
  const updated = await db
    .update(purchaseOrders)
    .set({ status: to, updatedAt: clock.now(), ...(event === 'send' ? { sentAt: clock.now() } : {}) })
    .where(and(eq(purchaseOrders.id, id), eq(purchaseOrders.status, before.status)))
    .returning({ id: purchaseOrders.id });
  if (!updated.length) throw new DomainError('CONFLICT');
  await recordAudit(db, actor, { action: `purchase_order.${event}`, entity: 'purchase_order', entityId: id, before: { status: before.status }, after: { status: to, reason } });
  return getPurchaseOrder(db, id);
}

export type ReceiptLineInput = {
  lineId: string;
  quantity: string;
  supplierLotNo: string;
  locationId: string;
  productionDate: string;
  expiryDate?: string | null;
  /** Incoming inspection values, when the material's stock policy names a standard. */
  inspection?: { values: { code: string; value: unknown }[]; sampleSize?: number; note?: string | null } | null;
};
export type ReceiptInput = { receivedOn?: string; lines: ReceiptLineInput[] };

function prefixed(e: unknown, prefix: string): unknown {
  if (!(e instanceof DomainError) || !e.fields.length) return e;
  return new DomainError(
    e.code,
    e.params,
    e.fields.map((f) => ({ ...f, field: `${prefix}.${f.field}` })),
  );
}

/**
 * Receives some of a sent purchase order: each line becomes a new lot (sourceType receipt, the supplier's lot number
 * kept with the receipt) received at a location of the order's warehouse through inventory's service. A material whose
 * stock policy names an inspection standard is received quarantined with an incoming inspection (signed when the
 * receiver may sign, which releases a passing lot). More than ordered plus the tolerance is refused; all or nothing.
 */
export async function receivePurchaseOrder(db: Db, actor: Actor, id: string, input: ReceiptInput): Promise<PoDetail> {
  const po = await loadPo(db, id, true);
  if (po.status !== 'sent' && po.status !== 'partially_received') throw new DomainError(ProcurementErrors.PO_NOT_RECEIVABLE, { code: po.code, status: po.status });
  const receivedOn = input.receivedOn ?? today();
  const [lines, tolerance, supplier] = await Promise.all([
    db.select().from(purchaseOrderLines).where(eq(purchaseOrderLines.poId, id)),
    getSetting(db, overReceiptTolerancePct),
    loadSupplier(db, po.supplierId),
  ]);
  const byId = new Map(lines.map((l) => [l.id, l]));
  const adding = new Map<string, ReturnType<typeof qty>>();
  input.lines.forEach((r, i) => {
    const line = byId.get(r.lineId);
    if (!line) throw fieldError(ProcurementErrors.PO_LINE_NOT_FOUND, `lines.${i}.lineId`);
    const sum = (adding.get(line.id) ?? qty(0)).plus(r.quantity);
    adding.set(line.id, sum);
    const limit = qty(line.quantity).times(qty(100).plus(tolerance)).dividedBy(100);
    if (qty(line.receivedQuantity).plus(sum).greaterThan(limit))
      throw fieldError(ProcurementErrors.PO_OVER_RECEIPT, `lines.${i}.quantity`, {
        lineNo: line.lineNo,
        ordered: fmtQty(line.quantity),
        unit: line.unit,
        received: fmtQty(line.receivedQuantity),
        quantity: fmtQty(sum),
        tolerance,
      });
  });
  const levels = await db
    .select()
    .from(materialLevels)
    .where(
      and(
        eq(materialLevels.warehouseId, po.warehouseId),
        inArray(
          materialLevels.productId,
          lines.map((l) => l.productId),
        ),
      ),
    );
  const standardOf = new Map(levels.map((l) => [l.productId, l.inspectionStandardId]));
  const signs = can(actor, 'quality:inspect');
  for (const [i, r] of input.lines.entries()) {
    const line = byId.get(r.lineId)!;
    const standardId = standardOf.get(line.productId) ?? null;
    try {
      const lot = await createLot(db, actor, {
        productId: line.productId,
        productionDate: r.productionDate,
        ...(r.expiryDate ? { expiryDate: r.expiryDate } : {}),
        origin: supplier.name,
        qualityStatus: standardId ? 'quarantined' : 'released',
        sourceType: 'receipt',
        sourceRef: `${po.code}/${r.supplierLotNo}`,
      });
      await receiveStock(db, actor, {
        lotId: lot.id,
        locationId: r.locationId,
        warehouseId: po.warehouseId,
        quantity: r.quantity,
        unit: line.unit,
        reason: `PO ${po.code}`,
        refType: 'purchase_order',
        refId: po.id,
      });
      let inspectionId: string | null = null;
      if (standardId && r.inspection) {
        const insp = await createInspection(db, actor, {
          stage: 'finished',
          standardId,
          lotId: lot.id,
          inspectedOn: receivedOn,
          values: r.inspection.values,
          ...(r.inspection.sampleSize ? { sampleSize: r.inspection.sampleSize } : {}),
          note: r.inspection.note ?? `PO ${po.code}`,
          sign: signs,
        });
        inspectionId = insp.id;
      }
      await db.insert(purchaseReceipts).values({
        poId: po.id,
        lineId: line.id,
        supplierId: po.supplierId,
        lotId: lot.id,
        locationId: r.locationId,
        quantity: fmtQty(qty(r.quantity)),
        supplierLotNo: r.supplierLotNo.trim(),
        receivedOn,
        onTime: receivedOn <= po.expectedDate,
        inspectionId,
        receivedBy: actor.username,
      });
    } catch (e) {
      throw prefixed(e, `lines.${i}`);
    }
  }
  for (const [lineId, q] of adding)
    await db
      .update(purchaseOrderLines)
      .set({ receivedQuantity: sql`${purchaseOrderLines.receivedQuantity} + ${fmtQty(q)}::numeric` })
      .where(eq(purchaseOrderLines.id, lineId));
  const after = await db.select().from(purchaseOrderLines).where(eq(purchaseOrderLines.poId, id));
  const complete = after.every((l) => qty(l.receivedQuantity).greaterThanOrEqualTo(l.quantity));
  const to = await transition(db, actor, poMachine, { id, from: po.status, event: complete ? 'receive_all' : 'receive_part' });
  await db
    .update(purchaseOrders)
    .set({ status: to, updatedAt: clock.now() })
    .where(and(eq(purchaseOrders.id, id), eq(purchaseOrders.status, po.status)));
  const view = await getPurchaseOrder(db, id);
  await recordAudit(db, actor, {
    action: 'purchase_order.receive',
    entity: 'purchase_order',
    entityId: id,
    before: { status: po.status },
    after: { status: to, receivedOn, lines: input.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity, supplierLotNo: l.supplierLotNo })) },
  });
  return view;
}

// ---------------------------------------------------------------- material stock policy, alerts and replenishment

export type MaterialLevelInput = {
  productId: string;
  warehouseId: string;
  safetyStock: string;
  reorderPoint: string;
  reorderQuantity?: string;
  supplierId?: string | null;
  unitPriceFen?: number | null;
  inspectionStandardId?: string | null;
};

export type MaterialLevelView = {
  id: string;
  productId: string;
  productCode: string;
  productName: string;
  materialType: string | null;
  baseUnit: string;
  warehouseId: string;
  safetyStock: string;
  reorderPoint: string;
  reorderQuantity: string;
  supplierId: string | null;
  supplierName: string | null;
  unitPriceFen: number | null;
  inspectionStandardId: string | null;
  /** Free stock in the warehouse (on hand − reserved, released and unexpired lots), base unit. */
  available: string;
  /** Still to come on open purchase orders to this warehouse, base unit. */
  onOrder: string;
  alert: 'ok' | 'reorder' | 'below_safety';
  /** What to order now so that available + on order reaches the reorder point + safety stock (or the fixed reorder quantity). */
  proposedQuantity: string;
};

/** Sets (creates or replaces) the stock policy of a material in a warehouse. */
export async function setMaterialLevel(db: Db, actor: Actor, input: MaterialLevelInput): Promise<MaterialLevelView> {
  const products = await getProducts(db, [input.productId]);
  const p = products.get(input.productId);
  if (!p) throw fieldError('PRODUCT_NOT_FOUND', 'productId');
  if (p.kind !== 'material') throw fieldError(ProcurementErrors.MATERIAL_NOT_MATERIAL, 'productId', { code: p.code });
  await assertWarehouse(db, input.warehouseId);
  if (qty(input.safetyStock).greaterThan(input.reorderPoint)) throw fieldError(ProcurementErrors.MATERIAL_LEVEL_INVALID, 'safetyStock');
  if (input.supplierId) await loadSupplier(db, input.supplierId, true);
  const values = {
    productId: input.productId,
    warehouseId: input.warehouseId,
    safetyStock: fmtQty(qty(input.safetyStock)),
    reorderPoint: fmtQty(qty(input.reorderPoint)),
    reorderQuantity: fmtQty(qty(input.reorderQuantity ?? '0')),
    supplierId: input.supplierId ?? null,
    unitPriceFen: input.unitPriceFen ?? null,
    inspectionStandardId: input.inspectionStandardId ?? null,
    updatedAt: clock.now(),
  };
  const [before] = await db
    .select()
    .from(materialLevels)
    .where(and(eq(materialLevels.productId, input.productId), eq(materialLevels.warehouseId, input.warehouseId)));
  const [row] = before
    ? await db.update(materialLevels).set(values).where(eq(materialLevels.id, before.id)).returning()
    : await db.insert(materialLevels).values(values).returning();
  await recordAudit(db, actor, { action: 'procurement.material_level.set', entity: 'material_level', entityId: row!.id, before: before ?? null, after: row });
  return (await levelViews(db, [row!]))[0]!;
}

/** Free stock per (product, warehouse) through inventory's reads: released, unexpired lots' on hand − reserved. */
async function freeStock(db: Db, productIds: string[]): Promise<Map<string, ReturnType<typeof qty>>> {
  const out = new Map<string, ReturnType<typeof qty>>();
  for (const productId of new Set(productIds)) {
    const page = await listLots(db, { productId, status: 'released', expired: false, inStock: true, page: 1, pageSize: 200 });
    const balances = await lotBalancesOf(
      db,
      page.items.map((l) => l.id),
    );
    for (const list of balances.values())
      for (const b of list) {
        const k = `${productId}|${b.warehouseId}`;
        out.set(k, (out.get(k) ?? qty(0)).plus(b.onHand).minus(b.reserved));
      }
  }
  return out;
}

async function levelViews(db: Db, rows: LevelRow[]): Promise<MaterialLevelView[]> {
  const productIds = rows.map((r) => r.productId);
  const supplierIds = [...new Set(rows.map((r) => r.supplierId).filter((x): x is string => !!x))];
  const [products, sups, stock, open] = await Promise.all([
    getProducts(db, productIds),
    supplierIds.length ? db.select({ id: suppliers.id, name: suppliers.name }).from(suppliers).where(inArray(suppliers.id, supplierIds)) : Promise.resolve([]),
    freeStock(db, productIds),
    productIds.length
      ? db
          .select({
            productId: purchaseOrderLines.productId,
            unit: purchaseOrderLines.unit,
            quantity: purchaseOrderLines.quantity,
            received: purchaseOrderLines.receivedQuantity,
            warehouseId: purchaseOrders.warehouseId,
          })
          .from(purchaseOrderLines)
          .innerJoin(purchaseOrders, eq(purchaseOrders.id, purchaseOrderLines.poId))
          .where(and(inArray(purchaseOrders.status, ['draft', 'sent', 'partially_received']), inArray(purchaseOrderLines.productId, productIds)))
      : Promise.resolve([]),
  ]);
  const supName = new Map(sups.map((s) => [s.id, s.name]));
  const onOrder = new Map<string, ReturnType<typeof qty>>();
  for (const l of open) {
    const p = products.get(l.productId);
    if (!p) continue;
    const left = qty(l.quantity).minus(l.received);
    if (left.lessThanOrEqualTo(0)) continue;
    const k = `${l.productId}|${l.warehouseId}`;
    onOrder.set(k, (onOrder.get(k) ?? qty(0)).plus(convertQuantity(p, fmtQty(left), l.unit, p.baseUnit)));
  }
  return rows.map((r) => {
    const p = products.get(r.productId);
    const k = `${r.productId}|${r.warehouseId}`;
    const available = stock.get(k) ?? qty(0);
    const coming = onOrder.get(k) ?? qty(0);
    const projected = available.plus(coming);
    const alert = available.lessThan(r.safetyStock) ? 'below_safety' : available.lessThanOrEqualTo(r.reorderPoint) ? 'reorder' : 'ok';
    let proposed = qty(0);
    if (projected.lessThanOrEqualTo(r.reorderPoint)) {
      proposed = qty(r.reorderQuantity).greaterThan(0) ? qty(r.reorderQuantity) : qty(r.reorderPoint).plus(r.safetyStock).minus(projected);
      if (proposed.lessThan(0)) proposed = qty(0);
    }
    return {
      id: r.id,
      productId: r.productId,
      productCode: p?.code ?? '',
      productName: p?.name ?? '',
      materialType: p?.materialType ?? null,
      baseUnit: p?.baseUnit ?? '',
      warehouseId: r.warehouseId,
      safetyStock: fmtQty(r.safetyStock),
      reorderPoint: fmtQty(r.reorderPoint),
      reorderQuantity: fmtQty(r.reorderQuantity),
      supplierId: r.supplierId,
      supplierName: r.supplierId ? (supName.get(r.supplierId) ?? null) : null,
      unitPriceFen: r.unitPriceFen,
      inspectionStandardId: r.inspectionStandardId,
      available: fmtQty(available),
      onOrder: fmtQty(coming),
      alert,
      proposedQuantity: fmtQty(proposed),
    };
  });
}

export type MaterialLevelFilter = { q?: string; warehouseId?: string; alert?: boolean; page: number; pageSize: number; sort?: string };

/** Material stock policies with stock, on-order and alert; `alert` keeps only those at or below the reorder point. */
export async function listMaterialLevels(db: Db, f: MaterialLevelFilter): Promise<Page<MaterialLevelView>> {
  const conds: SQL[] = [];
  if (f.warehouseId) conds.push(eq(materialLevels.warehouseId, f.warehouseId));
  if (f.q) conds.push(sql`exists (select 1 from products p where p.id = ${materialLevels.productId} and (p.code ilike ${`%${f.q}%`} or p.name ilike ${`%${f.q}%`}))`);
  const rows = await db
    .select()
    .from(materialLevels)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(...orderByOf(f.sort, { createdAt: materialLevels.createdAt, updatedAt: materialLevels.updatedAt }, [asc(materialLevels.createdAt)]));
  let views = await levelViews(db, rows);
  if (f.alert) views = views.filter((v) => v.alert !== 'ok' || qty(v.proposedQuantity).greaterThan(0));
  const start = offsetOf(f);
  return { items: views.slice(start, start + f.pageSize), total: views.length, page: f.page, pageSize: f.pageSize };
}

/**
 * Turns the replenishment proposal of the given stock policies into draft purchase orders in one step: one order per
 * (supplier, warehouse), one line per material at its proposed quantity (or the quantity given) and the policy's price.
 */
export async function replenish(db: Db, actor: Actor, input: { items: { levelId: string; quantity?: string }[]; expectedDate?: string }): Promise<{ orders: PoDetail[] }> {
  if (!input.items.length) throw fieldError(ProcurementErrors.REPLENISH_NOTHING, 'items');
  const rows = await db
    .select()
    .from(materialLevels)
    .where(
      inArray(
        materialLevels.id,
        input.items.map((i) => i.levelId),
      ),
    );
  const views = new Map((await levelViews(db, rows)).map((v) => [v.id, v]));
  const groups = new Map<string, { supplierId: string; warehouseId: string; lines: PoLineInput[] }>();
  input.items.forEach((item, i) => {
    const v = views.get(item.levelId);
    if (!v) throw fieldError(ProcurementErrors.MATERIAL_LEVEL_NOT_FOUND, `items.${i}.levelId`);
    if (!v.supplierId) throw fieldError(ProcurementErrors.REPLENISH_NO_SUPPLIER, `items.${i}.levelId`, { code: v.productCode });
    const quantity = item.quantity ?? v.proposedQuantity;
    if (!qty(quantity).greaterThan(0)) throw fieldError('FIELD_TOO_SMALL', `items.${i}.quantity`, { minimum: 0 });
    const k = `${v.supplierId}|${v.warehouseId}`;
    const g = groups.get(k) ?? { supplierId: v.supplierId, warehouseId: v.warehouseId, lines: [] };
    g.lines.push({ productId: v.productId, unit: v.baseUnit, quantity, unitPriceFen: v.unitPriceFen ?? 0 });
    groups.set(k, g);
  });
  const orders: PoDetail[] = [];
  for (const g of groups.values()) {
    const s = await loadSupplier(db, g.supplierId);
    const expectedDate = input.expectedDate ?? addDays(today(), s.leadDays);
    try {
      orders.push(await createPurchaseOrder(db, actor, { supplierId: g.supplierId, warehouseId: g.warehouseId, expectedDate, lines: g.lines, note: null }));
    } catch (e) {
      // The supplier's state is the reason, named on the items that needed it.
      if (e instanceof DomainError && e.fields.some((f) => f.field === 'supplierId')) {
        const idx = input.items.findIndex((it) => views.get(it.levelId)?.supplierId === g.supplierId);
        throw new DomainError(e.code, e.params, [{ field: `items.${idx}.levelId`, code: e.code, params: e.params }]);
      }
      throw e;
    }
  }
  return { orders };
}
