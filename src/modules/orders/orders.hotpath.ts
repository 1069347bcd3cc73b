/**
 * Hot path: the straight-through order's reads in one statement and its single-statement write (decisions 0004, 0007,
 * 0008, 0009). Imported only by the order writer (eslint: no-restricted-imports), which applies the write as the
 * optimisation of the order's plan that placeOrder() chose with singleStatementRefusal()/oneStatementRefusal(), and
 * passes the reads on to the service. The only file that combines other modules' statement parts — their `*.hotpath.ts`
 * files: customers (the row-version check and read), catalog (products and prices), inventory (free stock, the FEFO
 * reservation CTEs) — into one statement; no other file of any module reads another module's tables or `xmin`.
 */
import { sql, type SQL } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { auditRowValues, auditRowsSql } from '../../platform/audit/audit.service.js';
import { insertRowsSql, isRetryable, rowValues, statement, type Db } from '../../platform/db/client.js';
import { docNumberTemplate, docNumberValues } from '../../platform/docnum.js';
import { historyRowValues, historyRowsSql } from '../../platform/state-machine.js';
import { listSql, listValues, isTransaction } from '../../platform/db/client.js';
import { productIdsToRead, type PricesReadAhead, type ProductInfo } from '../catalog/index.js';
import { beginPricingRead, keepForPricing, keptForPricing, productsForPricingOf, productsForPricingSql } from '../catalog/catalog.hotpath.js';
import type { CustomerInfo } from '../customers/index.js';
import { customerUnchangedSql, customerVersionSql } from '../customers/customers.hotpath.js';
import { reservationCutoff } from '../inventory/index.js';
import { availabilityOf, availabilitySql, availabilityValues, reservationCtesSql, reservationValues } from '../inventory/inventory.hotpath.js';
import { exposureOfRow, exposureSql, exposureValues, rememberExposureRead as rememberExposure, type Exposure } from './orders.exposure.js';
import type { OrderPlan } from './orders.plan.js';
import { orderLines, orderReviewResults, orderReviewRuns, orders } from './orders.tables.js';

const PLACE_ORDER = { override: { number: sql`(select number from num)` } };

/**
 * The CTEs that write a straight-through order: the order, its lines, its history, the review run and its results, and
 * its one audit row (`order.place`), completed with the number and the reservations' lots (`reserved`, from the
 * reservation CTEs' `a`).
 */
const placeCtes = sql`o as (${insertRowsSql(orders, 'o', PLACE_ORDER)} returning number),
      l as (${insertRowsSql(orderLines, 'l')}),
      h as (${historyRowsSql('h')}),
      rr as (${insertRowsSql(orderReviewRuns, 'rr')}),
      rs as (${insertRowsSql(orderReviewResults, 'rs')}),
      oa as (${auditRowsSql('oa', (after) => sql`${after} || jsonb_build_object('number', (select number from num), 'reserved', (select a.after -> 'lines' from a))`)})`;

/** The order number: taken by the statement itself (PGlite, docNumberTemplate()), or before it outside (PostgreSQL). */
const numberGiven = sql`select ${sql.placeholder('number')}::text as number`;

/** Messages of the straight-through statement's refusals (raised as SQLSTATE 40001 by agri_assert, so nothing is written). */
const CUSTOMER_CHANGED = 'order: the customer changed since it was read';
const STOCK_SHORT = 'order: stock short';

/**
 * The whole straight-through order in one autocommit statement, without a transaction (placeStraightThroughUnlocked()):
 *  1. `g` takes the customer's credit lock only if the row is the version the reads saw (customerUnchangedSql()); the
 *     reservation lines are gated on it, so the customer row is locked before any stock row, as on every order path;
 *  2. the reservations of every line, FEFO (the inventory module's reservationCtesSql());
 *  3. the order's rows (placeCtes).
 * The final select raises — and the statement writes nothing — when the customer changed or stock is short.
 * One statement per line count (the reservation lines are a VALUES list).
 */
function placeReserveSql(num: SQL, n: number): SQL {
  return sql`with num as (${num}),
      g as (${customerUnchangedSql('customer')}),
      ${reservationCtesSql(n, sql`exists (select 1 from g)`, { audit: 'caller' })},
      ${placeCtes}
    select case when not exists (select 1 from g) then agri_assert(false, ${sql.raw(`'${CUSTOMER_CHANGED}'`)})
                when not coalesce((select ok from enough), false) then agri_assert(false, ${sql.raw(`'${STOCK_SHORT}'`)})
                else (select ok from ok) end as ok,
           (select number from o) as number, (select version from g) as version`;
}
type Placed = { number: string; version: string };
const placeReserveByKey = new Map<string, ReturnType<typeof statement<Placed>>>();
function placeReserve(n: number, numbered: boolean): ReturnType<typeof statement<Placed>> {
  const key = `${numbered ? 'numbered_' : ''}${n}`;
  let st = placeReserveByKey.get(key);
  if (!st) placeReserveByKey.set(key, (st = statement(`orders_place_reserve_${key}`, () => placeReserveSql(numbered ? numberGiven : docNumberTemplate(), n))));
  return st;
}

/**
 * Writes a plan oneStatementRefusal() let through in one statement (the caller checked it). Its refusals — it wrote
 * nothing — are answers, not errors: the customer changed since the reads (a credit review took the lock; worth
 * reading again), or stock is short. Returns the number and the customer row's new version when written.
 * `customerVersion`: the customer row's version the reads saw; `number`: the order number taken already (PostgreSQL,
 * outside), or null: the statement takes it (PGlite).
 */
export async function writeInOneStatement(
  db: Db,
  plan: OrderPlan,
  at: { customerVersion: string; number: string | null },
): Promise<{ written: true; number: string; version: string } | { written: false; refusal: 'customer changed' | 'stock short' }> {
  const n = plan.create!;
  const o = n.order;
  const r = plan.reservations.reserve!;
  const audit = plan.audit[0]!;
  const reserve = r.lines.map((l, index) => ({
    index,
    refLineId: l.refLineId,
    productId: l.productId,
    base: l.quantity,
    cutoff: reservationCutoff(r.onDate, l.minRemainingShelfLifeDays),
  }));
  try {
    const written = await placeReserve(reserve.length, !!at.number)(db, {
      ...rowValues(orders, 'o', [o], PLACE_ORDER),
      ...rowValues(orderLines, 'l', n.lines),
      ...historyRowValues('h', n.history),
      ...rowValues(orderReviewRuns, 'rr', [n.review!.run]),
      ...rowValues(orderReviewResults, 'rs', n.review!.results),
      ...auditRowValues('oa', audit.actor, [audit.entry]),
      ...(at.number ? { number: at.number } : docNumberValues('SO', o.createdAt)),
      customerId: o.customerId,
      customerVersion: at.customerVersion,
      ...reservationValues(SYSTEM_ACTOR, 'order', o.id, reserve),
    });
    const { number, version } = written[0]!;
    return { written: true, number, version };
  } catch (err) {
    // The database's own message (drizzle wraps it in an error whose message is the query's text, which holds both).
    const refusal = (err as { cause?: { message?: string } }).cause?.message ?? (err as { message?: string }).message;
    if (refusal === STOCK_SHORT) return { written: false, refusal: 'stock short' };
    if (refusal === CUSTOMER_CHANGED || isRetryable(err)) return { written: false, refusal: 'customer changed' };
    throw err;
  }
}

// ---------------------------------------------------------------- the straight-through reads

/**
 * What a straight-through order reads before its write, in one statement (no lock; the write checks the customer row's
 * version): its products and their prices (the catalog's rows; left out when the catalog keeps them), the customer's
 * exposure (left out when it is kept for the row's version) and the products' free stock (one row of kind 'x').
 */
function orderReadsSql(ids: SQL, exposure: boolean, catalog: boolean): SQL {
  const stock = sql`coalesce((select json_agg(a) from (${availabilitySql('a', ids)}) a), '[]'::json)`;
  const extra = exposure
    ? sql`json_build_object('exposure', (select row_to_json(e) from (${exposureSql()}) e), 'version', ${customerVersionSql('customer')}, 'stock', ${stock})`
    : sql`json_build_object('stock', ${stock})`;
  return catalog ? productsForPricingSql(extra, ids) : sql`select 'x' as kind, ${extra} as extra`;
}
/**
 * One statement per product count up to 12 (the ids as a list PostgreSQL can plan once for), then one for any count;
 * each with the customer's exposure (and the customer row's version it belongs to) or without (known already), and
 * with the products and their price lines or without (kept by the catalog: keptForPricing()).
 */
const ORDER_READS_LISTED = 12;
const orderReadsByKey = new Map<string, ReturnType<typeof statement<Record<string, unknown>>>>();
function orderReads(n: number, exposure: boolean, catalog: boolean): ReturnType<typeof statement<Record<string, unknown>>> {
  const k = n >= 1 && n <= ORDER_READS_LISTED ? n : 0;
  const key = `${k || 'any'}${exposure ? '' : '_stock'}${catalog ? '' : '_only'}`;
  let st = orderReadsByKey.get(key);
  if (!st)
    orderReadsByKey.set(
      key,
      (st = statement(`orders_order_reads_${key}`, () => orderReadsSql(k ? listSql('pid', k, 'uuid') : sql`${sql.placeholder('ids')}::uuid[]`, exposure, catalog))),
    );
  return st;
}

export type OrderReads = {
  read: { products: Map<string, ProductInfo>; prices: PricesReadAhead };
  exposure: Exposure;
  free: Map<string, string>;
};

/**
 * The order's reads in one statement. With `known` (the exposure as of the customer row's version the caller read) the
 * exposure is not read again; otherwise, outside a transaction, the exposure read is remembered for the row's version
 * the same statement saw.
 */
export async function readForOrder(
  db: Db,
  orderId: string,
  customer: CustomerInfo,
  productIds: string[],
  date: string,
  onDate: string | null,
  known: Exposure | null = null,
): Promise<OrderReads> {
  const ids = productIdsToRead(productIds);
  const scope = { customerId: customer.id, group: customer.group, date };
  const kept = keptForPricing(db, ids, scope);
  const mark = kept ? null : beginPricingRead(db);
  const rows = await orderReads(
    ids.length,
    !known,
    !kept,
  )(db, {
    ...(ids.length >= 1 && ids.length <= ORDER_READS_LISTED ? listValues('pid', ids) : { ids }),
    ...(kept ? {} : { group: customer.group, date }),
    ...(known ? { customerId: customer.id } : { ...exposureValues(customer.id, orderId), customerId: customer.id }),
    ...availabilityValues('a', ids, { onDate: onDate ?? undefined, minRemainingShelfLifeDays: customer.minRemainingShelfLifeDays ?? undefined }),
  });
  const extra = rows.find((r) => r.kind === 'x')!.extra as {
    exposure?: { s: string | null; n: number } | null;
    version?: string | null;
    stock: { product_id: string; q: string | null }[];
  };
  const exposure = known ?? exposureOfRow(extra.exposure);
  if (!known && extra.version && !isTransaction(db)) rememberExposure(db, customer.id, extra.version, exposure);
  let read = kept;
  if (!read) {
    read = productsForPricingOf(rows, ids, scope);
    keepForPricing(db, mark!, read);
  }
  return {
    read,
    exposure,
    free: availabilityOf(ids, extra.stock),
  };
}
