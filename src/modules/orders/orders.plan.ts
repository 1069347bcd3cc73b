/**
 * Order plans: what an order operation will write, built from what it read, without a database (decision 0009).
 *
 * Every builder checks the transition against the order state table from the status read (the writer then writes the
 * status only over that status), computes the exposure change from the transition (exposureOfTransition(), the one
 * place that decides it), and lists the reservations to release or make, the audit entries and the messages. The one
 * writer, applyOrderPlan() in orders.writer.ts, applies a plan; it is the only caller of the exposure door.
 */
import type { Actor } from '../../platform/auth/actor.js';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import type { AuditEntry } from '../../platform/audit/audit.service.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import type { CustomerMessagePayload, NotifyPayload } from '../../platform/notifications/notifications.service.js';
import { StateErrors, planTransitions } from '../../platform/state-machine.js';
import { exposureDelta, type ExposureDelta } from './orders.exposure.js';
import { OrderErrors } from './orders.errors.js';
import { AMENDABLE, OPEN_APPROVED, orderMachine } from './orders.states.js';
import type { OrderStatus, orderLines, orderReviewResults, orderReviewRuns, orders } from './orders.tables.js';
import type { RuleResult } from './review.rules.js';

type OrderRow = typeof orders.$inferSelect;
export type LineRow = typeof orderLines.$inferSelect;
export type HistoryRow = ReturnType<typeof planTransitions>[number];

export type OrderEvent =
  | 'ask_customer'
  | 'back_to_draft'
  | 'submit'
  | 'auto_approve'
  | 'send_to_review'
  | 'approve'
  | 'reject'
  | 'reservation_failed'
  | 'start_production'
  | 'mark_ready'
  | 'ship'
  | 'deliver'
  | 'complete'
  | 'cancel';

export type AdvanceEvent = 'start_production' | 'mark_ready' | 'ship' | 'deliver' | 'complete';

/** What a plan builder needs of the order it read (under the row lock). */
export type OrderSnapshot = Pick<
  OrderRow,
  'id' | 'number' | 'customerId' | 'customerName' | 'status' | 'totalFen' | 'deliveryDate' | 'salesOwnerId' | 'createdBy' | 'contactId' | 'addressId' | 'lastReviewRunId'
>;

/** Columns a status change may set besides status, version and updatedAt. */
export type OrderColumns = Partial<Pick<OrderRow, 'approvedAt' | 'submittedAt' | 'statusReason' | 'lastReviewRunId' | 'questions'>>;

/** One reservation to issue (picked stock leaves the bin), in the product's base unit. */
export type IssueLine = { reservationId: string; quantity: string };

/** One line to reserve, in the product's base unit. */
export type ReserveLine = { refLineId: string; productId: string; quantity: string; unit: string; minRemainingShelfLifeDays?: number };

/** The status change of a plan: from the status read, by an event of the state table, to its target. */
export type StatusChange = {
  from: OrderStatus;
  /** Null: the status stays (to = from) and only the columns are rewritten, with no history row. */
  event: OrderEvent | null;
  to: OrderStatus;
  /** Who the history row names (a reviewer, or the system for the review engine's moves). */
  actor: Actor;
  reason: string | null;
  data?: unknown;
  set: OrderColumns;
};

export type PlannedAudit = {
  actor: Actor;
  entry: AuditEntry;
  /** The writer adds the number of reservations it released under this key of `after`. */
  releasedCountAs?: string;
};

/** A new order's rows, as its plan made them (createPlan(), placePlan()). */
export type NewOrder = {
  order: OrderRow;
  lines: LineRow[];
  /** Its history from nothing: `create`, and for an order placed straight through `submit` and `auto_approve`. */
  history: HistoryRow[];
  /** The review run that approved it (placePlan()), or null. */
  review: { run: typeof orderReviewRuns.$inferInsert; results: (typeof orderReviewResults.$inferInsert)[] } | null;
};

/** Columns an amendment rewrites. */
export type AmendColumns = Partial<
  Pick<OrderRow, 'contactId' | 'addressId' | 'deliveryRegion' | 'deliveryDate' | 'deliveryDateTo' | 'salesOwnerId' | 'coldChain' | 'paymentTermsDays' | 'notes' | 'totalFen'>
>;

/** An amendment: the order row rewritten over the version and status read, and its lines replaced when they changed. */
export type OrderUpdate = { status: OrderStatus; version: number; set: AmendColumns; lines: LineRow[] | null };

export type OrderPlan = {
  orderId: string;
  customerId: string;
  /** The order's total as read (a new order's total), for the writer's check of the exposure change. */
  totalFen: number;
  /** A new order's rows (the plan then has no status change: its history is in `create.history`); null otherwise. */
  create: NewOrder | null;
  /** An amendment of the order row and lines (no status change); null otherwise. */
  update: OrderUpdate | null;
  change: StatusChange | null;
  reservations: {
    /** Release the order's active reservations, recorded as done by this user; none when null. */
    release: Actor | null;
    /** Reserve these lines (all or none, FEFO) after the status change; none when null. */
    reserve: { onDate: string | null; lines: ReserveLine[] } | null;
    /** Issue these reservations (reserved → issued), recorded as done by this user, with the ledger reason; none when absent. */
    issue?: { actor: Actor; reason: string; lines: IssueLine[] } | null;
    /** Release these reservations only (what a short pick left reserved but not on the shelf); none when absent. */
    releaseIds?: { actor: Actor; ids: string[] } | null;
  };
  /** The change of the customer's exposure, applied under the credit lock; null when the plan does not change it. */
  exposure: ExposureDelta | null;
  audit: PlannedAudit[];
  notify: NotifyPayload[];
  customerMessages: CustomerMessagePayload[];
};

// ---------------------------------------------------------------- the rules every builder shares

/** The status an event leads to from `from`, or INVALID_TRANSITION (the same error transition() raises). */
export function checkTransition(from: OrderStatus, event: OrderEvent): OrderStatus {
  const def = orderMachine.events[event];
  if (!def || !def.from.includes(from)) throw new DomainError(StateErrors.INVALID_TRANSITION, { entity: orderMachine.entity, from, event });
  return def.to;
}

const open = (s: OrderStatus) => OPEN_APPROVED.includes(s);
const counted = (s: OrderStatus) => open(s) || s === 'completed';

/**
 * The exposure change of a status change: an order counts against its customer's credit while it is open and approved
 * (OPEN_APPROVED), and as an approved order so far (the "new customer" rule) while it is open approved or completed.
 * Null when neither changes.
 */
export function exposureOfTransition(o: Pick<OrderSnapshot, 'customerId' | 'totalFen'>, from: OrderStatus, to: OrderStatus, reason: string): ExposureDelta | null {
  const fen = (open(to) ? o.totalFen : 0) - (open(from) ? o.totalFen : 0);
  const n = (counted(to) ? 1 : 0) - (counted(from) ? 1 : 0);
  if (open(from) === open(to) && n === 0) return null;
  return exposureDelta(o.customerId, fen, n, reason);
}

/**
 * The exposure change of a plan, the one rule for it: a new order counts from nothing (a draft) to its status; an
 * amendment of an order that counts changes the exposure by the difference of its totals; a status change by
 * exposureOfTransition(). The writer checks every plan's `exposure` against it.
 */
export function exposureOfPlan(p: Pick<OrderPlan, 'customerId' | 'totalFen' | 'create' | 'update' | 'change'>): ExposureDelta | null {
  if (p.create) return exposureOfTransition(p.create.order, 'draft', p.create.order.status, 'order.create');
  if (p.update) {
    const to = p.update.set.totalFen ?? p.totalFen;
    return open(p.update.status) && to !== p.totalFen ? exposureDelta(p.customerId, to - p.totalFen, 0, 'order.amend') : null;
  }
  return p.change ? exposureOfTransition(p, p.change.from, p.change.to, `order.${p.change.event ?? 'update'}`) : null;
}

function change(o: OrderSnapshot, event: OrderEvent, actor: Actor, reason: string | null, set: OrderColumns = {}, data?: unknown): StatusChange {
  return { from: o.status, event, to: checkTransition(o.status, event), actor, reason, set, ...(data === undefined ? {} : { data }) };
}

function plan(o: OrderSnapshot, c: StatusChange | null, rest: Partial<Omit<OrderPlan, 'orderId' | 'customerId' | 'totalFen' | 'change' | 'exposure'>>): OrderPlan {
  const parts = { customerId: o.customerId, totalFen: o.totalFen, create: rest.create ?? null, update: rest.update ?? null, change: c };
  return {
    orderId: o.id,
    ...parts,
    reservations: rest.reservations ?? { release: null, reserve: null },
    exposure: exposureOfPlan(parts),
    audit: rest.audit ?? [],
    notify: rest.notify ?? [],
    customerMessages: rest.customerMessages ?? [],
  };
}

function requireReason(reason: string | null | undefined): string {
  const why = reason?.trim();
  if (!why) throw new DomainError(OrderErrors.ORDER_REASON_REQUIRED, {}, [{ field: 'reason', code: 'FIELD_REQUIRED' }]);
  return why;
}

// ---------------------------------------------------------------- builders

/**
 * Submits an order: with questions for the customer it waits in needs_confirmation (from a draft by ask_customer; one
 * already waiting gets the new questions); otherwise it is submitted, and the caller runs the review engine.
 */
export function submitPlan(o: OrderSnapshot, actor: Actor, questions: OrderRow['questions'], now: Date): OrderPlan {
  checkTransition(o.status, 'submit');
  const codes = questions.map((q) => q.code);
  if (questions.length) {
    const c: StatusChange =
      o.status === 'draft'
        ? change(o, 'ask_customer', actor, null, { questions }, { questions: codes })
        : { from: o.status, event: null, to: o.status, actor, reason: null, set: { questions } };
    return plan(o, c, { audit: [{ actor, entry: { action: 'order.needs-confirmation', entity: 'order', entityId: o.id, after: { questions: codes } } }] });
  }
  const c = change(o, 'submit', actor, null, { questions: [], submittedAt: now, statusReason: null });
  return plan(o, c, { audit: [{ actor, entry: { action: 'order.submit', entity: 'order', entityId: o.id, after: { number: o.number } } }] });
}

/** A reviewer approves (optional note): approved now, its lines reserved (the writer reports a shortage). */
export function approvePlan(o: OrderSnapshot, actor: Actor, note: string | null | undefined, now: Date, reserve: ReserveLine[]): OrderPlan {
  const c = change(o, 'approve', actor, note?.trim() || null, { approvedAt: now, statusReason: null });
  return plan(o, c, {
    reservations: { release: null, reserve: reserve.length ? { onDate: o.deliveryDate, lines: reserve } : null },
    audit: [{ actor, entry: { action: 'order.approve', entity: 'order', entityId: o.id, after: { note: note ?? null } } }],
  });
}

/** The review engine approves (every rule passed): approved by the system, its lines reserved. */
export function autoApprovePlan(o: OrderSnapshot, runId: string, now: Date, reserve: ReserveLine[]): OrderPlan {
  const c = change(o, 'auto_approve', SYSTEM_ACTOR, null, { approvedAt: now, statusReason: null, lastReviewRunId: runId }, { runId });
  return plan(o, c, {
    reservations: { release: null, reserve: reserve.length ? { onDate: o.deliveryDate, lines: reserve } : null },
    audit: [{ actor: SYSTEM_ACTOR, entry: { action: 'order.auto-approve', entity: 'order', entityId: o.id, after: { runId } } }],
  });
}

/** The review engine sends the order to a reviewer (a rule warned or failed); an approved order's reservations are released. */
export function sendToReviewPlan(o: OrderSnapshot, actor: Actor, runId: string, codes: string[]): OrderPlan {
  const c = change(o, 'send_to_review', SYSTEM_ACTOR, codes.join(', '), { statusReason: codes.join(', ') }, { runId });
  return plan(o, c, { reservations: { release: o.status === 'approved' ? actor : null, reserve: null } });
}

/** Stock was short when an approved order reserved: back to review with INVENTORY_INSUFFICIENT. */
export function reservationFailedPlan(o: OrderSnapshot, runId: string, shortage: unknown): OrderPlan {
  const c = change(o, 'reservation_failed', SYSTEM_ACTOR, 'INVENTORY_INSUFFICIENT', { statusReason: 'INVENTORY_INSUFFICIENT', approvedAt: null }, { runId, error: shortage });
  return plan(o, c, {
    audit: [{ actor: SYSTEM_ACTOR, entry: { action: 'order.reservation-failed', entity: 'order', entityId: o.id, after: { reason: 'INVENTORY_INSUFFICIENT' } } }],
  });
}

/**
 * A reviewer rejects with a reason: the sales owner is notified in-app and, when the customer can be reached, a message is
 * queued, addressed by `recipient.name` (an individual's name in clear: the outbox stores its payload encrypted) or the
 * order's customer name.
 */
export function rejectPlan(
  o: OrderSnapshot,
  actor: Actor,
  reason: string | null | undefined,
  to: { channel: 'email' | 'sms'; recipient: string; name?: string | null } | null,
): OrderPlan {
  const why = requireReason(reason);
  const dear = to?.name ?? o.customerName;
  const c = change(o, 'reject', actor, why, { statusReason: why });
  const owners = [o.salesOwnerId ?? o.createdBy].filter((x): x is string => !!x);
  return plan(o, c, {
    audit: [{ actor, entry: { action: 'order.reject', entity: 'order', entityId: o.id, after: { reason: why } } }],
    notify: [
      {
        ...(owners.length ? { userIds: owners } : { roles: ['sales'] }),
        title: { zh: `订单 ${o.number} 被驳回`, en: `Order ${o.number} was rejected` },
        body: { zh: `客户:${o.customerName}。原因:${why}`, en: `Customer: ${o.customerName}. Reason: ${why}` },
        link: `/orders/${o.id}`,
      },
    ],
    customerMessages: to
      ? [
          {
            channel: to.channel,
            recipient: to.recipient,
            subject: { zh: `您的订单 ${o.number} 未能受理`, en: `Your order ${o.number} could not be accepted` },
            body: {
              zh: `尊敬的${dear}:很抱歉,订单 ${o.number} 未通过审核,原因:${why}。如有疑问请联系您的客服。`,
              en: `Dear ${dear}, we are sorry: order ${o.number} was not accepted. Reason: ${why}. Please contact your sales representative.`,
            },
          },
        ]
      : [],
  });
}

/** Cancels an order before shipment, with a reason: its reservations are released and, when it was approved, its exposure. */
export function cancelPlan(o: OrderSnapshot, actor: Actor, reason: string | null | undefined): OrderPlan {
  const why = requireReason(reason);
  const c = change(o, 'cancel', actor, why, { statusReason: why });
  return plan(o, c, {
    reservations: { release: actor, reserve: null },
    audit: [
      {
        actor,
        entry: { action: 'order.cancel', entity: 'order', entityId: o.id, before: { status: o.status }, after: { reason: why } },
        releasedCountAs: 'releasedReservations',
      },
    ],
  });
}

/** Moves an order through the later states (production, ready, shipped, delivered, completed); completing releases its exposure. */
export function advancePlan(o: OrderSnapshot, actor: Actor, event: AdvanceEvent, reason?: string | null): OrderPlan {
  const c = change(o, event, actor, reason ?? null);
  return plan(o, c, {
    audit: [{ actor, entry: { action: `order.${event}`, entity: 'order', entityId: o.id, before: { status: o.status }, after: { status: c.to } } }],
  });
}

/** An approved order whose lines changed stays approved: its reservations are released and made again for the new lines. */
export function reReservePlan(o: OrderSnapshot, actor: Actor, reserve: ReserveLine[]): OrderPlan {
  if (o.status !== 'approved') throw new DomainError(StateErrors.INVALID_TRANSITION, { entity: orderMachine.entity, from: o.status, event: 'reserve' });
  return plan(o, null, { reservations: { release: actor, reserve: reserve.length ? { onDate: o.deliveryDate, lines: reserve } : null } });
}

// ---------------------------------------------------------------- new orders and amendments

/** The rows of a new order agree with each other: lines of this order, the total their sum. A mismatch is a bug of the caller. */
function checkRows(o: OrderRow, lines: LineRow[]): void {
  const sum = lines.reduce((s, l) => s + l.amountFen, 0);
  if (sum !== o.totalFen || lines.some((l) => l.orderId !== o.id)) throw new Error(`order plan for ${o.id}: its lines do not add up to the order (${sum} ≠ ${o.totalFen})`);
}

/** Creates a draft order (checked and priced by the service): the rows, its `create` history row and `order.create`. No exposure, no reservation. */
export function createPlan(o: OrderRow, lines: LineRow[], actor: Actor): OrderPlan {
  if (o.status !== orderMachine.initial) throw new DomainError(StateErrors.INVALID_TRANSITION, { entity: orderMachine.entity, from: o.status, event: 'create' });
  checkRows(o, lines);
  const history = planTransitions(orderMachine, o.id, null, [{ event: 'create', actor }], o.createdAt);
  return plan(o, null, {
    create: { order: o, lines, history, review: null },
    audit: [
      {
        actor,
        entry: { action: 'order.create', entity: 'order', entityId: o.id, after: { number: o.number, customerId: o.customerId, totalFen: o.totalFen, lines: lines.length } },
      },
    ],
  });
}

/**
 * Places an order straight through (complete, every rule passed): created, submitted and approved by the system in one
 * write, with the review run, its lines reserved and the customer's exposure added (from nothing to approved); one
 * audit row (`order.place`) for what saving, submitting, the automatic approval and the reservation record apart.
 * `submitted` is the order as reviewed (status submitted); `newId` makes the rows' ids.
 */
export function placePlan(p: {
  submitted: OrderRow;
  lines: LineRow[];
  actor: Actor;
  results: RuleResult[];
  runId: string;
  reserve: ReserveLine[];
  now: Date;
  newId: () => string;
}): OrderPlan {
  const { submitted: o, lines, actor, runId, now } = p;
  if (o.status !== 'submitted') throw new DomainError(StateErrors.INVALID_TRANSITION, { entity: orderMachine.entity, from: o.status, event: 'auto_approve' });
  if (p.results.some((r) => r.outcome !== 'pass')) throw new Error(`order plan for ${o.id}: placed straight through with a rule that did not pass`);
  checkRows(o, lines);
  const approved: OrderRow = { ...o, status: checkTransition('submitted', 'auto_approve'), approvedAt: now, lastReviewRunId: runId };
  const history = planTransitions(
    orderMachine,
    o.id,
    null,
    [
      { event: 'create', actor },
      { event: 'submit', actor },
      { event: 'auto_approve', actor: SYSTEM_ACTOR, data: { runId } },
    ],
    now,
  );
  const run = { id: runId, orderId: o.id, trigger: 'submit', outcome: 'approved', actorName: SYSTEM_ACTOR.username, at: now } as const;
  const results = p.results.map((r) => ({ id: p.newId(), runId, orderId: o.id, rule: r.rule, outcome: r.outcome, code: r.code, details: r.details, rerun: true }));
  return plan(approved, null, {
    create: { order: approved, lines, history, review: { run, results } },
    reservations: { release: null, reserve: p.reserve.length ? { onDate: o.deliveryDate, lines: p.reserve } : null },
    audit: [
      {
        actor,
        entry: {
          action: 'order.place',
          entity: 'order',
          entityId: o.id,
          after: { customerId: o.customerId, totalFen: o.totalFen, lines: lines.length, status: 'approved', approvedBy: SYSTEM_ACTOR.username, runId },
        },
      },
    ],
  });
}

/** What an amendment changed: the lines, the delivery date (or window), the address; the rules these touch run again. */
export type AmendChanged = { lines: boolean; date: boolean; address: boolean };

/**
 * Amends an order before shipment (checked and priced by the service): the row rewritten over the version read, the
 * lines replaced when they changed (an approved order's reservations are released; the re-review reserves again), and
 * for an order that counts against credit the exposure changed by the difference of the totals. The status does not
 * change here: the re-review of the rules the change touches moves it with its own plans.
 */
export function amendPlan(p: {
  before: OrderSnapshot & Pick<OrderRow, 'version' | 'coldChain' | 'paymentTermsDays' | 'notes' | 'deliveryDateTo'>;
  oldLineCount: number;
  set: AmendColumns & { totalFen: number };
  lines: LineRow[] | null;
  changed: AmendChanged;
  actor: Actor;
  reason: string | null;
}): OrderPlan {
  const { before: o, actor } = p;
  if (!AMENDABLE.includes(o.status)) throw new DomainError(OrderErrors.ORDER_NOT_EDITABLE, { status: o.status });
  const lines = p.changed.lines ? p.lines : null;
  if (lines) checkRows({ ...(o as OrderRow), totalFen: p.set.totalFen }, lines);
  return plan(o, null, {
    update: { status: o.status, version: o.version, set: p.set, lines },
    reservations: { release: lines && o.status === 'approved' ? actor : null, reserve: null },
    audit: [
      {
        actor,
        entry: {
          action: 'order.amend',
          entity: 'order',
          entityId: o.id,
          before: { totalFen: o.totalFen, deliveryDate: o.deliveryDate, addressId: o.addressId, lines: p.oldLineCount },
          after: {
            totalFen: p.set.totalFen,
            deliveryDate: p.set.deliveryDate === undefined ? o.deliveryDate : p.set.deliveryDate,
            addressId: p.set.addressId === undefined ? o.addressId : p.set.addressId,
            lines: p.lines?.length ?? p.oldLineCount,
            changed: p.changed,
            reason: p.reason,
          },
        },
      },
    ],
  });
}

/** What a confirmed pick list took from one order: the reservations issued and those found short (released). */
export type PickedOrder = {
  pickListId: string;
  pickListNumber: string;
  issues: IssueLine[];
  /** Reservations the pick found short on the shelf: their remainder is released (the backorder line shows it). */
  shortReservationIds: string[];
  backorderLines: number;
};

/**
 * A pick of an order is confirmed: the picked reservations are issued (reserved → issued) and the short ones released,
 * and an approved (or in-production) order becomes ready; an order already ready (a later pick) keeps its status.
 */
export function pickPlan(o: OrderSnapshot, actor: Actor, p: PickedOrder): OrderPlan {
  if (!p.issues.length && !p.shortReservationIds.length) throw new Error(`pick plan for ${o.id}: nothing picked and nothing short`);
  const c = o.status === 'ready' ? null : change(o, 'mark_ready', actor, null, {}, { pickList: p.pickListNumber });
  return plan(o, c, {
    reservations: {
      release: null,
      reserve: null,
      issue: p.issues.length ? { actor, reason: `pick ${p.pickListNumber}`, lines: p.issues } : null,
      releaseIds: p.shortReservationIds.length ? { actor, ids: p.shortReservationIds } : null,
    },
    audit: [
      {
        actor,
        entry: {
          action: 'order.pick',
          entity: 'order',
          entityId: o.id,
          before: { status: o.status },
          after: { status: c?.to ?? o.status, pickList: p.pickListNumber, issued: p.issues.length, short: p.shortReservationIds.length, backorderLines: p.backorderLines },
        },
      },
    ],
  });
}

/** A shipment left with a carrier: the order is shipped and, when the customer can be reached, gets the tracking number. */
export function shipPlan(
  o: OrderSnapshot,
  actor: Actor,
  s: { shipmentNumber: string; carrierName: string; trackingNumber: string | null; trackingUrl: string | null },
  recipient: { channel: 'email' | 'sms'; recipient: string; name?: string | null } | null,
): OrderPlan {
  const c = change(o, 'ship', actor, null, {}, { shipment: s.shipmentNumber });
  const track = s.trackingNumber ? `${s.trackingNumber}${s.trackingUrl ? ` (${s.trackingUrl})` : ''}` : null;
  return plan(o, c, {
    audit: [{ actor, entry: { action: 'order.ship', entity: 'order', entityId: o.id, before: { status: o.status }, after: { status: c.to, ...s } } }],
    customerMessages:
      recipient && track
        ? [
            {
              channel: recipient.channel,
              recipient: recipient.recipient,
              subject: { zh: `您的订单 ${o.number} 已发货`, en: `Your order ${o.number} has shipped` },
              body: {
                zh: `尊敬的${recipient.name ?? o.customerName}:订单 ${o.number} 已由 ${s.carrierName} 发出,运单号 ${track}。`,
                en: `Dear ${recipient.name ?? o.customerName}, order ${o.number} left with ${s.carrierName}, tracking number ${track}.`,
              },
            },
          ]
        : [],
  });
}

/** Delivery confirmed (time, receiver): the order is delivered. */
export function deliverPlan(o: OrderSnapshot, actor: Actor, d: { shipmentNumber: string; receiver: string; deliveredAt: Date }): OrderPlan {
  const c = change(o, 'deliver', actor, null, {}, { shipment: d.shipmentNumber, receiver: d.receiver });
  return plan(o, c, {
    audit: [
      {
        actor,
        entry: { action: 'order.deliver', entity: 'order', entityId: o.id, before: { status: o.status }, after: { status: c.to, ...d, deliveredAt: d.deliveredAt.toISOString() } },
      },
    ],
  });
}
