import crypto from 'node:crypto';
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { clock } from '../../platform/clock.js';
import { inTransaction, isRetryable, type Db } from '../../platform/db/client.js';
import { INSTANCE_ID } from '../../platform/db/presence.js';
import { DomainError, errorMessage } from '../../platform/errors/domain-error.js';
import { readXlsx, toXlsx } from '../../platform/http/excel.js';
import { quantityLimitIssues } from '../../platform/http/input-bounds.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { QTY_PATTERN } from '../../platform/quantity.js';
import { customerAddressList, getProducts, listProductIds, searchCustomers } from './deps.js';
import { OrderErrors } from './orders.errors.js';
import { createOrder, placeOrder, type OrderLineInput } from './orders.service.js';
import { orderImportJobs, orders, type ImportRowReport } from './orders.tables.js';

export const MAX_IMPORT_ROWS = 5000;

/** Template columns: header "中文 / English"; either half is accepted when reading. */
const COLUMNS = [
  {
    key: 'ref',
    zh: '订单参考号',
    en: 'Order ref',
    hint: { zh: '同一参考号的多行合并为一张订单;留空则每行一张订单', en: 'Rows with the same ref form one order; empty = one order per row' },
  },
  { key: 'customerCode', zh: '客户编码', en: 'Customer code', hint: { zh: '必填', en: 'required' } },
  { key: 'deliveryDate', zh: '送达日期', en: 'Delivery date', hint: { zh: 'YYYY-MM-DD', en: 'YYYY-MM-DD' } },
  { key: 'addressLabel', zh: '收货地址标签', en: 'Address label', hint: { zh: '客户档案中的地址标签;留空用默认地址', en: 'Label of a customer address; empty = default address' } },
  { key: 'productCode', zh: '产品编码', en: 'Product code', hint: { zh: '必填', en: 'required' } },
  { key: 'spec', zh: '规格', en: 'Spec', hint: { zh: '可选', en: 'optional' } },
  { key: 'quantity', zh: '数量', en: 'Quantity', hint: { zh: '最多 3 位小数', en: 'up to 3 decimals' } },
  { key: 'unit', zh: '单位', en: 'Unit', hint: { zh: '如 kg、箱', en: 'e.g. kg, 箱' } },
  { key: 'unitPrice', zh: '单价(元)', en: 'Unit price (yuan)', hint: { zh: '留空按价格表', en: 'empty = price list' } },
  { key: 'priceReason', zh: '改价原因', en: 'Price change reason', hint: { zh: '单价与价格表不同时必填', en: 'required when the price differs from the list' } },
  { key: 'notes', zh: '备注', en: 'Notes', hint: { zh: '可选', en: 'optional' } },
] as const;
type ColKey = (typeof COLUMNS)[number]['key'];

/** Rows whose order ref starts with this are the template's examples: skipped on import. */
const EXAMPLE_REF = /^\s*(示例|EXAMPLE)/i;

/** The downloadable template with example rows (marked 示例/EXAMPLE in the order ref, skipped when imported). */
export async function importTemplate(): Promise<Buffer> {
  return toXlsx(
    'orders',
    COLUMNS.map((c) => ({ header: `${c.zh} / ${c.en}`, key: c.key, width: 22, value: (r: Record<string, string>) => r[c.key] ?? null })),
    [
      {
        ref: '示例 EXAMPLE-1',
        customerCode: 'C0001',
        deliveryDate: '2026-12-05',
        addressLabel: '',
        productCode: 'P-APPLE-FJ',
        spec: '80mm',
        quantity: '10',
        unit: '箱',
        unitPrice: '',
        priceReason: '',
        notes: '示例行:导入时跳过,请换成您的订单参考号 / example row: skipped on import, use your own order ref',
      },
      {
        ref: '示例 EXAMPLE-1',
        customerCode: 'C0001',
        deliveryDate: '2026-12-05',
        addressLabel: '',
        productCode: 'P-ORANGE',
        spec: '',
        quantity: '25.5',
        unit: 'kg',
        unitPrice: '',
        priceReason: '',
        notes: '',
      },
    ],
  );
}

function mapHeaders(headers: string[]): Map<ColKey, string> {
  const out = new Map<ColKey, string>();
  for (const h of headers) {
    const parts = h
      .split('/')
      .map((p) => p.trim().toLowerCase())
      .filter(Boolean);
    for (const c of COLUMNS) if (parts.includes(c.zh.toLowerCase()) || parts.includes(c.en.toLowerCase()) || h.trim() === c.key) out.set(c.key, h);
  }
  return out;
}

export type ImportJobView = {
  id: string;
  fileName: string;
  mode: 'draft' | 'submit';
  status: 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  created: number;
  skipped: number;
  failed: number;
  report: ImportRowReport[];
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

function jobView(j: typeof orderImportJobs.$inferSelect, locale: Locale): ImportJobView {
  return {
    id: j.id,
    fileName: j.fileName,
    mode: j.mode,
    status: j.status,
    total: j.total,
    processed: j.processed,
    created: j.created,
    skipped: j.skipped,
    failed: j.failed,
    report: j.report,
    error: j.error === OrderErrors.IMPORT_INTERRUPTED ? errorMessage(j.error, locale, { processed: j.processed, total: j.total }) : j.error,
    createdAt: j.createdAt,
    finishedAt: j.finishedAt,
  };
}

type Group = { key: string; rows: { rowNumber: number; values: Record<ColKey, string> }[] };

/** Reads and groups the rows; throws for an unreadable file (nothing is written). */
export async function parseImport(buf: Buffer): Promise<{ hash: string; groups: Group[]; rowCount: number }> {
  let parsed: Awaited<ReturnType<typeof readXlsx>>;
  try {
    parsed = await readXlsx(buf);
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError(OrderErrors.IMPORT_FILE_INVALID, { reason: (err as Error).message.slice(0, 100) }, [
      { field: 'file', code: OrderErrors.IMPORT_FILE_INVALID, params: { reason: (err as Error).message.slice(0, 100) } },
    ]);
  }
  const cols = mapHeaders(parsed.headers);
  for (const k of ['customerCode', 'productCode', 'quantity', 'unit'] as const) {
    if (!cols.has(k)) {
      const c = COLUMNS.find((x) => x.key === k)!;
      throw new DomainError(OrderErrors.IMPORT_FILE_INVALID, { reason: `${c.zh} / ${c.en}?` }, [
        { field: 'file', code: OrderErrors.IMPORT_FILE_INVALID, params: { reason: `${c.zh} / ${c.en}?` } },
      ]);
    }
  }
  if (parsed.rows.length > MAX_IMPORT_ROWS)
    throw new DomainError(OrderErrors.IMPORT_TOO_MANY_ROWS, { max: MAX_IMPORT_ROWS }, [
      { field: 'file', code: OrderErrors.IMPORT_TOO_MANY_ROWS, params: { max: MAX_IMPORT_ROWS } },
    ]);
  const hash = crypto.createHash('sha256').update(buf).digest('hex');
  const groups = new Map<string, Group>();
  const refHeader = cols.get('ref');
  const rows = parsed.rows.filter((r) => !(refHeader && EXAMPLE_REF.test(r.values[refHeader] ?? '')));
  for (const r of rows) {
    const values = Object.fromEntries(COLUMNS.map((c) => [c.key, (cols.has(c.key) ? r.values[cols.get(c.key)!] : '') ?? ''])) as Record<ColKey, string>;
    const ref = values.ref.trim();
    const gk = ref ? `ref:${ref}` : `row:${r.rowNumber}`;
    const g = groups.get(gk) ?? { key: '', rows: [] };
    g.rows.push({ rowNumber: r.rowNumber, values });
    groups.set(gk, g);
  }
  // The natural key of an imported order: the file hash + the number of its first row.
  const out = [...groups.values()].map((g) => ({ ...g, key: `${hash}:${g.rows[0]!.rowNumber}` }));
  return { hash, groups: out, rowCount: rows.length };
}

/** Creates the job row; the rows are processed by runImport (in the background from the route). */
export async function startImport(db: Db, actor: Actor, file: { fileName: string; hash: string; total: number; mode: 'draft' | 'submit' }): Promise<ImportJobView> {
  const [j] = await db
    .insert(orderImportJobs)
    .values({
      fileName: file.fileName.slice(0, 200),
      fileHash: file.hash,
      mode: file.mode,
      total: file.total,
      claimedBy: INSTANCE_ID,
      createdBy: actor.userId,
      createdAt: clock.now(),
    })
    .returning();
  await recordAudit(db, actor, {
    action: 'order.import.start',
    entity: 'order_import',
    entityId: j!.id,
    after: { fileName: file.fileName, hash: file.hash, total: file.total, mode: file.mode },
  });
  return jobView(j!, actor.locale);
}

export async function getImportJob(db: Db, actor: Actor, id: string): Promise<ImportJobView> {
  const [j] = await db.select().from(orderImportJobs).where(eq(orderImportJobs.id, id));
  if (!j || (j.createdBy !== actor.userId && actor.userId !== null && !actor.permissions.has('orders:review'))) throw new DomainError(OrderErrors.IMPORT_JOB_NOT_FOUND);
  return jobView(j, actor.locale);
}

export async function listImportJobs(db: Db, actor: Actor): Promise<ImportJobView[]> {
  const rows = await db.select().from(orderImportJobs).orderBy(desc(orderImportJobs.createdAt)).limit(20);
  return rows.filter((j) => j.createdBy === actor.userId || actor.permissions.has('orders:review')).map((j) => jobView(j, actor.locale));
}

const YMD = /^\d{4}-\d{2}-\d{2}$/;

/** Turns a group of rows into an order input; per-row field errors when a cell is wrong. */
async function buildInput(
  db: Db,
  actor: Actor,
  g: Group,
  locale: Locale,
  cache: Map<string, unknown>,
): Promise<{ input: Parameters<typeof createOrder>[2] | null; errors: Map<number, { field: string; message: string }[]> }> {
  const errors = new Map<number, { field: string; message: string }[]>();
  const err = (row: number, field: ColKey, code: string, params: Record<string, unknown> = {}) => {
    const c = COLUMNS.find((x) => x.key === field)!;
    errors.set(row, [...(errors.get(row) ?? []), { field: locale === 'en-US' ? c.en : c.zh, message: errorMessage(code, locale, params) }]);
  };
  const first = g.rows[0]!;
  const code = first.values.customerCode.trim();
  let customerId: string | null = null;
  if (!code) err(first.rowNumber, 'customerCode', 'FIELD_REQUIRED');
  else {
    const key = `c:${code}`;
    if (!cache.has(key)) cache.set(key, (await searchCustomers(db, actor, code)).find((c) => c.code.toLowerCase() === code.toLowerCase()) ?? null);
    const c = cache.get(key) as { id: string } | null;
    if (!c) err(first.rowNumber, 'customerCode', OrderErrors.ORDER_CUSTOMER_UNKNOWN);
    else customerId = c.id;
  }
  const date = first.values.deliveryDate.trim();
  if (date && (!YMD.test(date) || Number.isNaN(Date.parse(date)))) err(first.rowNumber, 'deliveryDate', 'FIELD_INVALID_FORMAT', { format: 'YYYY-MM-DD' });
  let addressId: string | null = null;
  if (customerId) {
    const akey = `a:${customerId}`;
    if (!cache.has(akey)) cache.set(akey, await customerAddressList(db, actor, customerId));
    const addresses = cache.get(akey) as Awaited<ReturnType<typeof customerAddressList>>;
    const label = first.values.addressLabel.trim();
    const a = label ? addresses.find((x) => x.label === label) : (addresses.find((x) => x.isDefault) ?? addresses[0]);
    if (label && !a) err(first.rowNumber, 'addressLabel', OrderErrors.ORDER_ADDRESS_UNKNOWN);
    addressId = a?.id ?? null;
    if (!addressId && !label) {
      // No address list available: the address of the customer's latest order (else the order asks for one).
      const lkey = `l:${customerId}`;
      if (!cache.has(lkey)) {
        const [last] = await db
          .select({ id: orders.addressId })
          .from(orders)
          .where(and(eq(orders.customerId, customerId), isNotNull(orders.addressId)))
          .orderBy(desc(orders.createdAt))
          .limit(1);
        cache.set(lkey, last?.id ?? null);
      }
      addressId = cache.get(lkey) as string | null;
    }
  }
  const lines: OrderLineInput[] = [];
  for (const r of g.rows) {
    const v = r.values;
    if (v.customerCode.trim() && v.customerCode.trim() !== code) err(r.rowNumber, 'customerCode', 'FIELD_INVALID');
    const pcode = v.productCode.trim();
    let productId: string | null = null;
    if (!pcode) err(r.rowNumber, 'productCode', 'FIELD_REQUIRED');
    else {
      const key = `p:${pcode}`;
      if (!cache.has(key)) {
        const ids = await listProductIds(db, { q: pcode });
        const ps = ids.length ? await getProducts(db, ids.slice(0, 50)) : new Map();
        cache.set(key, [...ps.values()].find((p: { code: string }) => p.code.toLowerCase() === pcode.toLowerCase())?.id ?? null);
      }
      productId = cache.get(key) as string | null;
      if (!productId) err(r.rowNumber, 'productCode', OrderErrors.ORDER_PRODUCT_UNKNOWN);
    }
    const q = v.quantity.trim();
    if (!q) err(r.rowNumber, 'quantity', 'FIELD_REQUIRED');
    else if (!QTY_PATTERN.test(q)) err(r.rowNumber, 'quantity', 'FIELD_INVALID_QUANTITY');
    else if (Number(q) < 0) err(r.rowNumber, 'quantity', 'FIELD_QUANTITY_NEGATIVE');
    else for (const issue of await quantityLimitIssues(db, [{ field: 'quantity', value: q }])) err(r.rowNumber, 'quantity', issue.code, issue.params);
    if (!v.unit.trim()) err(r.rowNumber, 'unit', 'FIELD_REQUIRED');
    let unitPriceFen: number | null = null;
    const price = v.unitPrice.trim();
    if (price) {
      if (!/^\d{1,9}(\.\d{1,2})?$/.test(price)) err(r.rowNumber, 'unitPrice', 'FIELD_INVALID_FORMAT', { format: '0.00' });
      else {
        const [yuan, jiao = ''] = price.split('.');
        unitPriceFen = Number(yuan) * 100 + Number(jiao.padEnd(2, '0'));
      }
    }
    lines.push({ productId, quantity: q, unit: v.unit.trim(), spec: v.spec.trim() || null, unitPriceFen, priceOverrideReason: v.priceReason.trim() || null });
  }
  if (errors.size || !customerId) return { input: null, errors };
  const notes = g.rows
    .map((r) => r.values.notes.trim())
    .filter(Boolean)
    .join('; ');
  return { input: { customerId, addressId, deliveryDate: date || null, notes: notes || null, channel: 'import', lines }, errors };
}

/** A batch of an import ends after this many lines or this much time (whichever first); then other requests get their turn. */
export const IMPORT_BATCH_LINES = 100;
export const IMPORT_BATCH_MS = 40;

type RowErrors = Map<number, { field: string; message: string }[]>;
type GroupOutcome = { reports: ImportRowReport[]; created: number; skipped: number; failed: number };

/**
 * One order of the file. In draft mode it is created inside its own savepoint of the batch's transaction (its failure
 * undoes only itself); in submit mode it is placed by placeOrder() on the database itself — one order, one atomic write
 * (the single statement of the straight-through path, else its own transaction under the credit lock) — so the import
 * takes the same fast path as an order entered by hand. `existing` holds the batch's orders already imported by key.
 */
async function importGroup(
  db: Db,
  actor: Actor,
  g: Group,
  mode: 'draft' | 'submit',
  cache: Map<string, unknown>,
  existing: Map<string, { id: string; number: string }>,
): Promise<GroupOutcome> {
  const rowsAs = (r: Omit<ImportRowReport, 'row'>) => g.rows.map((x) => ({ row: x.rowNumber, ...r }));
  const write = async (w: Db) => {
    const exists = existing.get(g.key);
    if (exists) return { exists };
    const { input, errors } = await buildInput(w, actor, g, actor.locale, cache);
    if (!input) return { errors };
    try {
      return { order: mode === 'submit' ? await placeOrder(w, actor, input, { importKey: g.key }) : await createOrder(w, actor, input, { importKey: g.key }) };
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      // Field errors of the order map back to rows: lines.N.* → the N-th row of the group.
      const first = g.rows[0]!.rowNumber;
      const fields = e.fields.length ? e.fields : [{ field: '', code: e.code, params: e.params }];
      for (const f of fields) {
        const m = /^lines\.(\d+)\.(\w+)/.exec(f.field);
        const row = m ? (g.rows[Number(m[1])]?.rowNumber ?? first) : first;
        errors.set(row, [...(errors.get(row) ?? []), { field: m ? m[2]! : f.field, message: errorMessage(f.code, actor.locale, { ...e.params, ...(f.params ?? {}) }) }]);
      }
      // Thrown so that the savepoint undoes whatever the order wrote before it was refused (placeOrder wrote nothing).
      throw Object.assign(new Error('row-errors'), { rowErrors: errors });
    }
  };
  try {
    const out = mode === 'submit' ? await write(db) : await inTransaction(db, write);
    if (out.exists) return { reports: rowsAs({ ok: true, skipped: true, orderId: out.exists.id, orderNumber: out.exists.number, errors: [] }), created: 0, skipped: 1, failed: 0 };
    if (out.order) return { reports: rowsAs({ ok: true, orderId: out.order.id, orderNumber: out.order.number, errors: [] }), created: 1, skipped: 0, failed: 0 };
    const errors = out.errors!;
    return { reports: g.rows.map((r) => ({ row: r.rowNumber, ok: false, errors: errors.get(r.rowNumber) ?? [] })), created: 0, skipped: 0, failed: 1 };
  } catch (e) {
    const rowErrors = (e as { rowErrors?: RowErrors }).rowErrors;
    if (rowErrors) return { reports: g.rows.map((r) => ({ row: r.rowNumber, ok: false, errors: rowErrors.get(r.rowNumber) ?? [] })), created: 0, skipped: 0, failed: 1 };
    // The same file imported at the same time by another request: its order won.
    if ((e as { code?: string }).code === '23505' || (e as { cause?: { code?: string } }).cause?.code === '23505')
      return { reports: rowsAs({ ok: true, skipped: true, errors: [] }), created: 0, skipped: 1, failed: 0 };
    // A serialization failure the savepoint could not retry away: the whole batch is retried (draft mode).
    if (mode === 'draft' && isRetryable(e)) throw e;
    return { reports: rowsAs({ ok: false, errors: [{ field: '', message: (e as Error).message.slice(0, 200) }] }), created: 0, skipped: 0, failed: 1 };
  }
}

/** Lets the event loop read and serve other requests (on PGlite the one session is free between batches). */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The orders of these groups already imported (by their natural key), read in one statement. */
async function importedOrders(db: Db, groups: Group[]): Promise<Map<string, { id: string; number: string }>> {
  const keys = groups.map((g) => g.key);
  if (!keys.length) return new Map();
  const rows = await db.select({ key: orders.importKey, id: orders.id, number: orders.number }).from(orders).where(inArray(orders.importKey, keys));
  return new Map(rows.map((r) => [r.key!, { id: r.id, number: r.number }]));
}

/** The groups of the next batch: at least one, then while under IMPORT_BATCH_LINES lines. */
function nextBatch(groups: Group[], from: number): Group[] {
  const out: Group[] = [];
  let lines = 0;
  for (let i = from; i < groups.length && (i === from || lines + groups[i]!.rows.length <= IMPORT_BATCH_LINES); i++) {
    out.push(groups[i]!);
    lines += groups[i]!.rows.length;
  }
  return out;
}

/**
 * Processes the rows of an import job in bounded batches (≤ IMPORT_BATCH_LINES lines or ≈ IMPORT_BATCH_MS), then the
 * event loop serves other requests before the next batch. Draft mode: each batch is one transaction with a savepoint
 * per order and the job's progress. Submit mode: each order is placed by itself (placeOrder(), atomic), the batch's
 * progress is written after its orders; a crash in between leaves progress behind the orders, which a re-import of the
 * file skips by key. A file imported before creates nothing twice.
 */
export async function runImport(root: Db, actor: Actor, jobId: string, groups: Group[], mode: 'draft' | 'submit'): Promise<void> {
  const cache = new Map<string, unknown>();
  let processed = 0;
  let next = 0;
  while (next < groups.length) {
    await yieldToEventLoop();
    const from = next;
    const candidates = nextBatch(groups, from);
    const run = async (db: Db) => {
      const existing = await importedOrders(db, candidates);
      const outcome: GroupOutcome = { reports: [], created: 0, skipped: 0, failed: 0 };
      const started = performance.now();
      let lines = 0;
      let n = 0;
      for (const g of candidates) {
        if (n > 0 && performance.now() - started >= IMPORT_BATCH_MS) break;
        const o = await importGroup(db, actor, g, mode, cache, existing);
        outcome.reports.push(...o.reports);
        outcome.created += o.created;
        outcome.skipped += o.skipped;
        outcome.failed += o.failed;
        lines += g.rows.length;
        n += 1;
      }
      await progress(db, jobId, processed + lines, outcome);
      return { outcome, end: from + n, lines };
    };
    let batch: { outcome: GroupOutcome; end: number; lines: number };
    try {
      batch = mode === 'submit' ? await run(root) : await inTransaction(root, run);
    } catch (e) {
      // The batch could not commit (after its retries): its first order is reported failed, the next batch goes on.
      const g = groups[from]!;
      const outcome: GroupOutcome = {
        reports: g.rows.map((r) => ({ row: r.rowNumber, ok: false, errors: [{ field: '', message: (e as Error).message.slice(0, 200) }] })),
        created: 0,
        skipped: 0,
        failed: 1,
      };
      await progress(root, jobId, processed + g.rows.length, outcome);
      batch = { outcome, end: from + 1, lines: g.rows.length };
    }
    processed += batch.lines;
    next = batch.end;
  }
  await root.update(orderImportJobs).set({ status: 'done', finishedAt: clock.now() }).where(eq(orderImportJobs.id, jobId));
}

async function progress(db: Db, jobId: string, processed: number, o: GroupOutcome): Promise<void> {
  await db
    .update(orderImportJobs)
    .set({
      processed,
      created: sql`${orderImportJobs.created} + ${o.created}`,
      skipped: sql`${orderImportJobs.skipped} + ${o.skipped}`,
      failed: sql`${orderImportJobs.failed} + ${o.failed}`,
      report: sql`${orderImportJobs.report} || ${JSON.stringify(o.reports)}::jsonb`,
    })
    .where(eq(orderImportJobs.id, jobId));
}

/** Marks a job failed when processing stopped on an unexpected error. */
export async function failImport(root: Db, jobId: string, err: unknown): Promise<void> {
  await root
    .update(orderImportJobs)
    .set({ status: 'failed', error: (err as Error).message?.slice(0, 500) ?? 'error', finishedAt: clock.now() })
    .where(eq(orderImportJobs.id, jobId));
}

/** The per-row report as a spreadsheet. */
export async function importReportXlsx(job: ImportJobView, locale: Locale): Promise<Buffer> {
  const en = locale === 'en-US';
  return toXlsx(
    en ? 'Import report' : '导入报告',
    [
      { header: en ? 'Row' : '行号', key: 'row', value: (r: ImportRowReport) => r.row },
      {
        header: en ? 'Result' : '结果',
        key: 'ok',
        value: (r) => (r.skipped ? (en ? 'already imported' : '已导入过') : r.ok ? (en ? 'created' : '已创建') : en ? 'error' : '错误'),
      },
      { header: en ? 'Order' : '订单号', key: 'order', value: (r) => r.orderNumber ?? null },
      { header: en ? 'Errors' : '错误', key: 'errors', width: 60, value: (r) => r.errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ') },
    ],
    job.report,
  );
}
