/**
 * The order writer: the one function that applies order plans (orders.plan.ts) inside the caller's transaction.
 *
 * In this order, so every order path takes its locks alike (customer row before stock rows):
 *  1. the exposure change through the credit door (changeExposure(): the customer's credit lock);
 *  2. a new order's rows (order, lines, history, review run), or an amendment's (the row over the version read, the
 *     lines replaced), or the status change: the history row (transition(), which checks the state table again) and the
 *     status, written only over the status the plan was built from (ORDER_VERSION_CONFLICT otherwise);
 *  3. the reservations released (the inventory module's door);
 *  4. the audit rows (the platform's recordAudit());
 *  4b. the reservations issued (a pick: reserved → issued) and the short ones released, through the inventory module;
 *  5. the reservations made, in a savepoint: a shortage is reported (`reserved: false`), not thrown, and the caller
 *     applies the follow-on plan (reservationFailedPlan());
 *  6. the notifications and customer messages (outbox).
 */
import { and, eq, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { notifyUsers, queueCustomerMessage } from '../../platform/notifications/notifications.service.js';
import { recordTransitions, transition } from '../../platform/state-machine.js';
import { consumeReservation, releaseReservation, releaseReservations, reserveLines, type ProductInfo } from './deps.js';
import { changeExposure, rememberExposureRead, type Exposure } from './orders.exposure.js';
import { writeInOneStatement } from './orders.hotpath.js';

/** The straight-through order's reads in one statement (orders.hotpath.ts), for the service that builds its plan. */
export { readForOrder as readForStraightThrough, type OrderReads } from './orders.hotpath.js';
import { OrderErrors } from './orders.errors.js';
import { exposureOfPlan, type OrderPlan } from './orders.plan.js';
import { orderMachine } from './orders.states.js';
import { orderLines, orderReviewResults, orderReviewRuns, orders, type OrderStatus } from './orders.tables.js';

type OrderRow = typeof orders.$inferSelect;

export type Applied = {
  /** The status written (the plan's target), or null when the plan changes no status. */
  status: OrderStatus | null;
  /** How many reservations were released. */
  released: number;
  /** Whether the planned reservations were made (true when none were planned); `shortage` is the inventory's error params otherwise. */
  reserved: boolean;
  shortage?: Record<string, unknown>;
};

/**
 * Writes an order's new status, only over the status the caller read and checked its transition from: when the row
 * holds another status by now, nothing is written and the caller's transaction fails with ORDER_VERSION_CONFLICT.
 */
export async function setStatus(db: Db, id: string, from: OrderStatus, status: OrderStatus, extra: Partial<OrderRow> = {}): Promise<void> {
  const rows = await db
    .update(orders)
    .set({ status, updatedAt: clock.now(), version: sql`${orders.version} + 1`, ...extra })
    .where(and(eq(orders.id, id), eq(orders.status, from)))
    .returning({ id: orders.id });
  if (!rows.length) throw new DomainError(OrderErrors.ORDER_VERSION_CONFLICT);
}

/**
 * A plan is one of: a new order, an amendment, a status change (or none of these: reservations only); and its exposure
 * change is the one exposureOfPlan() gives (the builders compute it so; a plan written by hand without it is a bug,
 * not a fast path).
 */
function checkPlan(plan: OrderPlan): void {
  if ([plan.create, plan.update, plan.change].filter((x) => x !== null).length > 1) throw new Error(`order plan for ${plan.orderId}: more than one of create, update, change`);
  const expected = exposureOfPlan(plan);
  if (
    (expected === null) !== (plan.exposure === null) ||
    (expected && plan.exposure && (expected.deltaFen !== plan.exposure.deltaFen || expected.approvedOrders !== plan.exposure.approvedOrders))
  )
    throw new Error(`order plan for ${plan.orderId}: its exposure change does not match the plan (${plan.change?.from ?? '-'} → ${plan.change?.to ?? '-'})`);
}

/** Applies a plan in the caller's transaction (see the file's comment for the order of the writes). */
export async function applyOrderPlan(db: Db, plan: OrderPlan, known?: ReadonlyMap<string, ProductInfo>): Promise<Applied> {
  const c = plan.change;
  checkPlan(plan);
  if (plan.exposure) await changeExposure(db, plan.exposure);
  if (plan.create) {
    const n = plan.create;
    await db.insert(orders).values(n.order);
    if (n.lines.length) await db.insert(orderLines).values(n.lines);
    await recordTransitions(db, n.history);
    if (n.review) {
      await db.insert(orderReviewRuns).values(n.review.run);
      if (n.review.results.length) await db.insert(orderReviewResults).values(n.review.results);
    }
  }
  if (plan.update) {
    const u = plan.update;
    const rows = await db
      .update(orders)
      .set({ ...u.set, updatedAt: clock.now(), version: u.version + 1 })
      .where(and(eq(orders.id, plan.orderId), eq(orders.version, u.version), eq(orders.status, u.status)))
      .returning({ id: orders.id });
    if (!rows.length) throw new DomainError(OrderErrors.ORDER_VERSION_CONFLICT);
    if (u.lines) {
      await db.delete(orderLines).where(eq(orderLines.orderId, plan.orderId));
      if (u.lines.length) await db.insert(orderLines).values(u.lines);
    }
  }
  if (c) {
    const to = c.event
      ? await transition(db, c.actor, orderMachine, { id: plan.orderId, from: c.from, event: c.event, reason: c.reason, ...(c.data === undefined ? {} : { data: c.data }) })
      : c.from;
    await setStatus(db, plan.orderId, c.from, to, c.set);
  }
  const released = plan.reservations.release ? await releaseReservations(db, plan.reservations.release, { refType: 'order', refId: plan.orderId }) : 0;
  for (const a of plan.audit) {
    const after = a.releasedCountAs ? { ...(a.entry.after as Record<string, unknown>), [a.releasedCountAs]: released } : a.entry.after;
    await recordAudit(db, a.actor, { ...a.entry, after });
  }
  const issue = plan.reservations.issue;
  if (issue) {
    for (const l of issue.lines) await consumeReservation(db, issue.actor, { reservationId: l.reservationId, quantity: l.quantity, reason: issue.reason });
  }
  const releaseIds = plan.reservations.releaseIds;
  if (releaseIds) for (const id of releaseIds.ids) await releaseReservation(db, releaseIds.actor, id);
  let reserved = true;
  let shortage: Record<string, unknown> | undefined;
  const r = plan.reservations.reserve;
  if (r?.lines.length) {
    try {
      // In a savepoint: when stock is short nothing of the reservation is kept and the caller records the order back in review.
      await db.transaction((sp) =>
        reserveLines(sp as unknown as Db, SYSTEM_ACTOR, { refType: 'order', refId: plan.orderId, onDate: r.onDate ?? undefined, lines: r.lines }, known),
      );
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'INVENTORY_INSUFFICIENT') throw err;
      reserved = false;
      shortage = err.params;
    }
  }
  for (const n of plan.notify) await notifyUsers(db, n);
  for (const m of plan.customerMessages) await queueCustomerMessage(db, m);
  return { status: c?.to ?? null, released, reserved, ...(shortage ? { shortage } : {}) };
}

/** The statement takes 1 to this many reservation lines (one prepared statement per count). */
export const ONE_STATEMENT_MAX_LINES = 12;

/**
 * Why a plan is not one the statement can write, or null: it must be a new order placed straight through (placePlan():
 * rows, history, the review run, one audit row), reserving every one of its lines, of different products, with nothing
 * else to do (no release, no messages).
 */
export function oneStatementRefusal(plan: OrderPlan): string | null {
  const n = plan.create;
  if (!n?.review) return 'not a new order placed straight through';
  if (plan.change || plan.update || plan.reservations.release || plan.notify.length || plan.customerMessages.length) return 'more than a new order to write';
  if (plan.audit.length !== 1 || plan.audit[0]!.releasedCountAs) return 'not one audit row';
  const r = plan.reservations.reserve?.lines ?? [];
  if (!r.length || r.length !== n.lines.length) return 'a line with nothing to reserve';
  if (r.length > ONE_STATEMENT_MAX_LINES) return `more than ${ONE_STATEMENT_MAX_LINES} lines`;
  if (new Set(r.map((l) => l.productId)).size !== r.length) return 'two lines of one product';
  return null;
}

/**
 * The single-statement write of a placed order's plan (placePlan(); orders.hotpath.ts), the optimisation placeOrder()
 * chose with singleStatementRefusal() and oneStatementRefusal(): without a transaction, the statement takes the
 * customer's credit lock only if the customer row is the version its reads saw, reserves and writes the plan's rows,
 * or writes nothing and says why (`again`: the customer changed, worth reading again). When written, the exposure read
 * for the version before plus the plan's exposure change is kept for the row's new version.
 */
export async function placeInOneStatement(
  db: Db,
  plan: OrderPlan,
  at: { customerVersion: string; number: string | null; exposureBefore: Exposure },
): Promise<{ written: true; number: string } | { written: false; why: string; again: boolean }> {
  const refusal = oneStatementRefusal(plan);
  if (refusal) return { written: false, why: refusal, again: false };
  checkPlan(plan);
  const r = await writeInOneStatement(db, plan, at);
  if (!r.written)
    return r.refusal === 'stock short' ? { written: false, why: 'stock short', again: false } : { written: false, why: 'the customer changed since it was read', again: true };
  rememberExposureRead(db, plan.customerId, r.version, {
    openApprovedFen: at.exposureBefore.openApprovedFen + plan.exposure!.deltaFen,
    previousApprovedOrders: at.exposureBefore.previousApprovedOrders + plan.exposure!.approvedOrders,
  });
  return { written: true, number: r.number };
}
