import { defineMachine } from '../../platform/state-machine.js';
import { INQUIRY_STATUSES, ORDER_STATUSES, type InquiryStatus, type OrderStatus } from './orders.tables.js';

/** States in which an order can still be amended (lines, date, address). */
export const AMENDABLE: readonly OrderStatus[] = ['draft', 'needs_confirmation', 'in_review', 'approved'];
/** States before shipment, from which an order can be cancelled. */
export const CANCELLABLE: readonly OrderStatus[] = ['draft', 'needs_confirmation', 'submitted', 'in_review', 'approved', 'in_production', 'ready'];
/** Approved and not finished: counts against the customer's credit and holds reservations. */
export const OPEN_APPROVED: readonly OrderStatus[] = ['approved', 'in_production', 'ready', 'shipped', 'delivered'];

/**
 * The order lifecycle. Later states (in_production … completed) are declared here and driven by later modules.
 * Submitting runs the completeness check (→ needs_confirmation) and then the review engine (→ approved | in_review).
 */
export const orderMachine = defineMachine<OrderStatus, string>({
  entity: 'order',
  states: ORDER_STATUSES,
  initial: 'draft',
  terminal: ['rejected', 'cancelled', 'completed'],
  events: {
    ask_customer: { from: ['draft'], to: 'needs_confirmation' },
    back_to_draft: { from: ['needs_confirmation'], to: 'draft' },
    submit: { from: ['draft', 'needs_confirmation'], to: 'submitted' },
    auto_approve: { from: ['submitted', 'in_review'], to: 'approved' },
    send_to_review: { from: ['submitted', 'approved'], to: 'in_review' },
    approve: { from: ['in_review'], to: 'approved' },
    reject: { from: ['in_review'], to: 'rejected' },
    reservation_failed: { from: ['approved'], to: 'in_review' },
    start_production: { from: ['approved'], to: 'in_production' },
    mark_ready: { from: ['approved', 'in_production'], to: 'ready' },
    ship: { from: ['ready'], to: 'shipped' },
    deliver: { from: ['shipped'], to: 'delivered' },
    complete: { from: ['delivered'], to: 'completed' },
    cancel: { from: CANCELLABLE, to: 'cancelled' },
  },
});

export const inquiryMachine = defineMachine<InquiryStatus, string>({
  entity: 'inquiry',
  states: INQUIRY_STATUSES,
  initial: 'open',
  terminal: ['converted', 'lost'],
  events: {
    quote: { from: ['open'], to: 'quoted' },
    convert: { from: ['open', 'quoted'], to: 'converted' },
    lose: { from: ['open', 'quoted'], to: 'lost' },
  },
});
