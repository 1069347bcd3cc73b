/**
 * The credit lock and the customer exposure cache: the one door through which a customer's exposure changes.
 *
 * A customer's exposure is the sum of its open approved orders (OPEN_APPROVED). It is kept per version of the
 * customer's row (exposureCache below), which is exact only because every change of it takes the credit lock — an
 * UPDATE of the customer row that gives it a new version (decision 0007). This file makes that a rule of the code:
 *  - changeExposure() is the only function that applies an exposure change; it takes an ExposureDelta, which only the
 *    plan builders (orders.plan.ts) can make (exposureDelta() is restricted to them by eslint, and `as ExposureDelta`
 *    is a lint error everywhere);
 *  - changeExposure() is called only by the order writer (orders.writer.ts), and the customers module's lock and
 *    version-check SQL are imported only here and by the writer (eslint.config.js, no-restricted-imports).
 * Reading the exposure (customerExposure(), exposureSql() for the straight-through reads) and the cache (knownExposure,
 * rememberExposureRead) is open to the order reads.
 */
import { sql } from 'drizzle-orm';
import { lockCustomerRow } from '../customers/index.js';
import { rootOf, statement, type Db } from '../../platform/db/client.js';
import { OPEN_APPROVED } from './orders.states.js';

declare const exposureDeltaBrand: unique symbol;

/** A change of one customer's open approved amount, made by a plan builder from the transition it checked. */
export type ExposureDelta = {
  readonly customerId: string;
  /** Change of the open approved amount, in fen (positive: the order now counts against the credit limit). */
  readonly deltaFen: number;
  /** Change of the number of approved orders so far (the "new customer" rule counts them). */
  readonly approvedOrders: number;
  /** Why (the order event), for the reader of a plan. */
  readonly reason: string;
  readonly [exposureDeltaBrand]: true;
};

/** For orders.plan.ts only (eslint): the plan builder's way to state an exposure change. */
export function exposureDelta(customerId: string, deltaFen: number, approvedOrders: number, reason: string): ExposureDelta {
  if (!Number.isSafeInteger(deltaFen)) throw new Error(`exposure delta must be whole fen: ${deltaFen}`);
  return { customerId, deltaFen, approvedOrders, reason } as Omit<ExposureDelta, typeof exposureDeltaBrand> as ExposureDelta;
}

export type Exposure = { openApprovedFen: number; previousApprovedOrders: number };

// ---------------------------------------------------------------- the credit lock

/** Customers whose credit lock a transaction (or savepoint) handle holds already: taken again, it would be a round trip for nothing. */
const held = new WeakMap<object, Set<string>>();

/**
 * Takes the customer's credit lock until the end of the transaction (once per transaction handle): an UPDATE of the
 * customer row, so the row's version changes and a kept exposure for the old version is never used again. A savepoint
 * is its own handle, so a lock taken in a savepoint that is rolled back is not counted for the outer transaction.
 */
async function takeCreditLock(db: Db, customerId: string): Promise<void> {
  let s = held.get(db);
  if (s?.has(customerId)) return;
  await lockCustomerRow(db, customerId);
  if (!s) held.set(db, (s = new Set()));
  s.add(customerId);
}

/**
 * The credit lock for a credit decision that reads the exposure first (the review engine): taken before the exposure is
 * read, so two reviews of one customer cannot both use the last of its limit. The change that follows from the
 * decision is applied by the writer through changeExposure() (the lock is then held already: no second round trip).
 */
export async function holdCreditLock(db: Db, customerId: string): Promise<void> {
  await takeCreditLock(db, customerId);
}

/**
 * Applies an exposure change (for orders.writer.ts only, eslint): takes the customer's credit lock — which gives the
 * customer row a new version — and drops the exposure kept for the customer. The exposure itself is not stored: it is
 * the sum over the customer's orders, whose status the writer changes in the same transaction.
 */
export async function changeExposure(db: Db, delta: ExposureDelta): Promise<void> {
  await takeCreditLock(db, delta.customerId);
  exposuresOf(rootOf(db)).delete(delta.customerId);
}

// ---------------------------------------------------------------- the exposure kept per version of the customer row

/**
 * A customer's exposure as of a version of its row (xmin), per database. Exact for as long as the row is that version:
 * every change of a customer's exposure goes through changeExposure() (or the single-statement writer's version check),
 * which writes the row. The straight-through path reads it instead of summing the customer's open orders, and after
 * its write stores the exposure with its own order for the row's new version. At most EXPOSURE_CACHE_MAX customers per
 * database (the oldest entry goes first).
 */
const exposureCache = new WeakMap<object, Map<string, { version: string; exposure: Exposure }>>();
const EXPOSURE_CACHE_MAX = 10_000;

function exposuresOf(db: Db): Map<string, { version: string; exposure: Exposure }> {
  let m = exposureCache.get(db);
  if (!m) exposureCache.set(db, (m = new Map()));
  return m;
}

/** Keeps the exposure read (or written by the single-statement writer) for a version of the customer row. */
export function rememberExposureRead(db: Db, customerId: string, version: string, exposure: Exposure): void {
  const m = exposuresOf(db);
  m.delete(customerId);
  if (m.size >= EXPOSURE_CACHE_MAX) m.delete(m.keys().next().value!);
  m.set(customerId, { version, exposure });
}

/** The exposure kept for this version of the customer row, or null. */
export function knownExposure(db: Db, customerId: string, version: string | null): Exposure | null {
  const hit = version ? exposuresOf(db).get(customerId) : undefined;
  return hit && hit.version === version ? hit.exposure : null;
}

// ---------------------------------------------------------------- reading the exposure

/** The customer's open approved amount (s, fen as text) and approved orders so far (n), excluding one order: placeholders of exposureValues(). */
export const exposureSql = () => sql`select sum(total_fen) filter (where status = any(${sql.placeholder('open')}::text[]))::text as s, count(*)::int as n
    from orders where customer_id = ${sql.placeholder('customerId')}::uuid and id <> ${sql.placeholder('exceptId')}::uuid and status = any(${sql.placeholder('counted')}::text[])`;
const exposureOf = statement<{ s: string | null; n: number }>('orders_customer_exposure', exposureSql);
export const exposureOfRow = (row: { s: string | null; n: number } | null | undefined) => ({ openApprovedFen: Number(row?.s ?? 0), previousApprovedOrders: row?.n ?? 0 });

export const exposureValues = (customerId: string, exceptId: string) => ({ customerId, exceptId, open: [...OPEN_APPROVED], counted: [...OPEN_APPROVED, 'completed'] });

/** A customer's exposure summed over its orders (excluding one), read now. */
export async function customerExposure(db: Db, customerId: string, exceptId: string): Promise<Exposure> {
  const [row] = await exposureOf(db, exposureValues(customerId, exceptId));
  return exposureOfRow(row);
}
