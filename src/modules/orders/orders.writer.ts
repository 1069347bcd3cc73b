/**
 * The order writer: the one function that applies order plans (orders.plan.ts) inside the caller's transaction.
 *
 * In this order, so every order path takes its locks alike (customer row before stock rows):
 *  1. the exposure change through the credit door (changeExposure(): the customer's credit lock);
 *  2. the status change: the history row (transition(), which checks the state table again) and the status, written
 *     only over the status the plan was built from (ORDER_VERSION_CONFLICT otherwise);
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
import { transition } from '../../platform/state-machine.js';
import { consumeReservation, releaseReservation, releaseReservations, reserveLines, type ProductInfo } from './deps.js';
import { changeExposure, rememberExposureRead, type Exposure } from './orders.exposure.js';
import { writeInOneStatement, type OneStatementOrder } from './orders.hotpath.js';

export type { OneStatementOrder };
import { OrderErrors } from './orders.errors.js';
import { exposureOfTransition, type OrderPlan } from './orders.plan.js';
import { orderMachine } from './orders.states.js';
import { orders, type OrderStatus } from './orders.tables.js';

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

/** Applies a plan in the caller's transaction (see the file's comment for the order of the writes). */
export async function applyOrderPlan(db: Db, plan: OrderPlan, known?: ReadonlyMap<string, ProductInfo>): Promise<Applied> {
  const c = plan.change;
  // A status change that moves the order into or out of its customer's exposure must carry that change (the plan
  // builders compute it with exposureOfTransition(); a plan written by hand without it is a bug, not a fast path).
  const expected = c ? exposureOfTransition({ customerId: plan.customerId, totalFen: plan.totalFen }, c.from, c.to, '') : null;
  if (
    (expected === null) !== (plan.exposure === null) ||
    (expected && plan.exposure && (expected.deltaFen !== plan.exposure.deltaFen || expected.approvedOrders !== plan.exposure.approvedOrders))
  )
    throw new Error(`order plan for ${plan.orderId}: its exposure change does not match ${c?.from ?? '-'} → ${c?.to ?? '-'}`);
  if (plan.exposure) await changeExposure(db, plan.exposure);
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

/**
 * The single-statement write of a straight-through order (orders.hotpath.ts), the optimisation placeOrder() chose with
 * singleStatementRefusal(): the statement takes the customer's credit lock only if the customer row is the version its
 * reads saw, reserves and writes everything, or writes nothing and says why. When written, the exposure read for the
 * version before plus this order (exposureOfTransition(), as for any approval) is kept for the row's new version.
 */
export async function placeInOneStatement(
  db: Db,
  o: OneStatementOrder & { exposureBefore: Exposure },
): Promise<{ written: true; number: string } | { written: false; refusal: 'customer changed' | 'stock short' }> {
  const r = await writeInOneStatement(db, o);
  if (!r.written) return r;
  const delta = exposureOfTransition(o.approved, 'submitted', 'approved', 'order.place')!;
  rememberExposureRead(db, o.approved.customerId, r.version, {
    openApprovedFen: o.exposureBefore.openApprovedFen + delta.deltaFen,
    previousApprovedOrders: o.exposureBefore.previousApprovedOrders + delta.approvedOrders,
  });
  return { written: true, number: r.number };
}
