import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, type Actor } from '../../platform/auth/actor.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import {
  advancePlan,
  approvePlan,
  autoApprovePlan,
  cancelPlan,
  checkTransition,
  deliverPlan,
  pickPlan,
  shipPlan,
  exposureOfTransition,
  rejectPlan,
  reReservePlan,
  reservationFailedPlan,
  sendToReviewPlan,
  type OrderSnapshot,
  type ReserveLine,
} from './orders.plan.js';
import { CANCELLABLE, OPEN_APPROVED, orderMachine } from './orders.states.js';
import type { OrderStatus } from './orders.tables.js';

const reviewer = { userId: '00000000-0000-0000-0000-0000000000aa', username: 'reviewer', displayName: 'Reviewer' } as unknown as Actor;
const now = new Date('2026-12-07T02:00:00Z');

function order(status: OrderStatus, totalFen = 12_300): OrderSnapshot {
  return {
    id: '00000000-0000-0000-0000-000000000001',
    number: 'SO20261207-0001',
    customerId: '00000000-0000-0000-0000-0000000000c1',
    customerName: '鲜果超市',
    status,
    totalFen,
    deliveryDate: '2026-12-09',
    salesOwnerId: '00000000-0000-0000-0000-0000000000s1',
    createdBy: null,
    contactId: null,
    addressId: null,
    lastReviewRunId: null,
  };
}

const line: ReserveLine = { refLineId: 'l1', productId: 'p1', quantity: '10.000', unit: 'kg' };

function code(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof DomainError ? err.code : String(err);
  }
}

describe('order plans (no database)', () => {
  it('every builder refuses an event the state table does not allow from the status read, with INVALID_TRANSITION', () => {
    expect(code(() => approvePlan(order('draft'), reviewer, null, now, []))).toBe('INVALID_TRANSITION');
    expect(code(() => approvePlan(order('approved'), reviewer, null, now, []))).toBe('INVALID_TRANSITION');
    expect(code(() => rejectPlan(order('approved'), reviewer, 'no', null))).toBe('INVALID_TRANSITION');
    expect(code(() => cancelPlan(order('shipped'), reviewer, 'no'))).toBe('INVALID_TRANSITION');
    expect(code(() => advancePlan(order('in_review'), reviewer, 'ship'))).toBe('INVALID_TRANSITION');
    expect(code(() => autoApprovePlan(order('draft'), 'run', now, []))).toBe('INVALID_TRANSITION');
    expect(code(() => reservationFailedPlan(order('in_review'), 'run', {}))).toBe('INVALID_TRANSITION');
    expect(code(() => reReservePlan(order('in_review'), reviewer, [line]))).toBe('INVALID_TRANSITION');
  });

  it('checkTransition agrees with the state table for every status and event', () => {
    for (const s of orderMachine.states)
      for (const [event, def] of Object.entries(orderMachine.events)) {
        const got = code(() => checkTransition(s, event as Parameters<typeof checkTransition>[1]));
        expect(got, `${s} --${event}`).toBe(def.from.includes(s) ? null : 'INVALID_TRANSITION');
      }
  });

  it('a reason is required to reject or cancel (ORDER_REASON_REQUIRED), before the transition is checked', () => {
    expect(code(() => rejectPlan(order('in_review'), reviewer, '  ', null))).toBe('ORDER_REASON_REQUIRED');
    expect(code(() => cancelPlan(order('draft'), reviewer, ''))).toBe('ORDER_REASON_REQUIRED');
  });

  it('approving adds the order to its customer’s exposure and reserves its lines; the status is written over in_review only', () => {
    const p = approvePlan(order('in_review'), reviewer, ' ok ', now, [line]);
    expect(p.change).toMatchObject({ from: 'in_review', event: 'approve', to: 'approved', reason: 'ok', set: { approvedAt: now, statusReason: null } });
    expect(p.exposure).toMatchObject({ customerId: order('in_review').customerId, deltaFen: 12_300, approvedOrders: 1 });
    expect(p.reservations).toEqual({ release: null, reserve: { onDate: '2026-12-09', lines: [line] } });
    expect(p.audit.map((a) => a.entry.action)).toEqual(['order.approve']);
  });

  it('approving an order without lines to reserve plans no reservation', () => {
    expect(approvePlan(order('in_review'), reviewer, null, now, []).reservations.reserve).toBeNull();
  });

  it('the automatic approval adds the exposure, records the run, and is done by the system', () => {
    const p = autoApprovePlan(order('submitted'), 'run-1', now, [line]);
    expect(p.change).toMatchObject({ event: 'auto_approve', to: 'approved', actor: SYSTEM_ACTOR, data: { runId: 'run-1' }, set: { lastReviewRunId: 'run-1' } });
    expect(p.exposure).toMatchObject({ deltaFen: 12_300, approvedOrders: 1 });
  });

  it('rejecting an order in review changes no exposure (an order in review does not count) and notifies the owner and the customer', () => {
    const p = rejectPlan(order('in_review'), reviewer, '信用额度不足', { channel: 'sms', recipient: '13800000000' });
    expect(p.change).toMatchObject({ from: 'in_review', to: 'rejected', reason: '信用额度不足', set: { statusReason: '信用额度不足' } });
    expect(p.exposure).toBeNull();
    expect(p.reservations).toEqual({ release: null, reserve: null });
    expect(p.notify).toHaveLength(1);
    expect(p.notify[0]!.userIds).toEqual([order('in_review').salesOwnerId]);
    expect(p.customerMessages).toMatchObject([{ channel: 'sms', recipient: '13800000000' }]);
    expect(rejectPlan(order('in_review'), reviewer, 'x', null).customerMessages).toEqual([]);
  });

  it('cancelling an approved (or later, open) order releases its exposure and its reservations', () => {
    for (const s of OPEN_APPROVED.filter((x) => CANCELLABLE.includes(x))) {
      const p = cancelPlan(order(s), reviewer, '客户取消');
      expect(p.exposure, s).toMatchObject({ deltaFen: -12_300, approvedOrders: -1 });
      expect(p.reservations.release, s).toBe(reviewer);
      expect(p.audit[0]).toMatchObject({ entry: { action: 'order.cancel', before: { status: s } }, releasedCountAs: 'releasedReservations' });
    }
  });

  it('cancelling an order that was never approved changes no exposure (no credit lock) but still releases any reservation', () => {
    for (const s of CANCELLABLE.filter((x) => !OPEN_APPROVED.includes(x))) {
      const p = cancelPlan(order(s), reviewer, '客户取消');
      expect(p.exposure, s).toBeNull();
      expect(p.reservations.release, s).toBe(reviewer);
    }
  });

  it('sending an approved order back to review releases its exposure and reservations; a submitted one changes neither', () => {
    const a = sendToReviewPlan(order('approved'), reviewer, 'run', ['CREDIT_NEAR_LIMIT', 'NEW_CUSTOMER']);
    expect(a.change).toMatchObject({ to: 'in_review', reason: 'CREDIT_NEAR_LIMIT, NEW_CUSTOMER', actor: SYSTEM_ACTOR });
    expect(a.exposure).toMatchObject({ deltaFen: -12_300, approvedOrders: -1 });
    expect(a.reservations.release).toBe(reviewer);
    const s = sendToReviewPlan(order('submitted'), reviewer, 'run', ['X']);
    expect(s.exposure).toBeNull();
    expect(s.reservations.release).toBeNull();
  });

  it('a failed reservation takes the order out of its customer’s exposure again', () => {
    const p = reservationFailedPlan(order('approved'), 'run', { productId: 'p1' });
    expect(p.change).toMatchObject({ to: 'in_review', set: { statusReason: 'INVENTORY_INSUFFICIENT', approvedAt: null } });
    expect(p.exposure).toMatchObject({ deltaFen: -12_300, approvedOrders: -1 });
  });

  it('advancing: production, ready, shipped and delivered keep the exposure; completing releases it but still counts the order as approved', () => {
    const steps: [OrderStatus, Parameters<typeof advancePlan>[2], OrderStatus][] = [
      ['approved', 'start_production', 'in_production'],
      ['in_production', 'mark_ready', 'ready'],
      ['ready', 'ship', 'shipped'],
      ['shipped', 'deliver', 'delivered'],
    ];
    for (const [from, event, to] of steps) {
      const p = advancePlan(order(from), reviewer, event);
      expect(p.change).toMatchObject({ from, to });
      expect(p.exposure, event).toBeNull();
    }
    const done = advancePlan(order('delivered'), reviewer, 'complete');
    expect(done.exposure).toMatchObject({ deltaFen: -12_300, approvedOrders: 0 });
    expect(done.audit[0]!.entry).toMatchObject({ action: 'order.complete', before: { status: 'delivered' }, after: { status: 'completed' } });
  });

  it('re-reserving an approved order releases and reserves without a status or exposure change', () => {
    const p = reReservePlan(order('approved'), reviewer, [line]);
    expect(p.change).toBeNull();
    expect(p.exposure).toBeNull();
    expect(p.reservations).toEqual({ release: reviewer, reserve: { onDate: '2026-12-09', lines: [line] } });
  });

  it('the exposure change of any transition is the difference of the order counting before and after, in whole fen', () => {
    const o = order('draft', 9_999);
    for (const from of orderMachine.states)
      for (const to of orderMachine.states) {
        const d = exposureOfTransition(o, from, to, 'x');
        const fen = (OPEN_APPROVED.includes(to) ? 9_999 : 0) - (OPEN_APPROVED.includes(from) ? 9_999 : 0);
        if (fen === 0 && (OPEN_APPROVED.includes(from) || from === 'completed') === (OPEN_APPROVED.includes(to) || to === 'completed')) expect(d, `${from}→${to}`).toBeNull();
        else expect(d?.deltaFen, `${from}→${to}`).toBe(fen);
      }
  });

  it('a confirmed pick issues the picked reservations and releases the short ones; approved or in production becomes ready, ready stays, without an exposure change', () => {
    const picked = { pickListId: 'pl1', pickListNumber: 'PK20261207-0001', issues: [{ reservationId: 'r1', quantity: '4.000' }], shortReservationIds: ['r2'], backorderLines: 1 };
    for (const from of ['approved', 'in_production'] as const) {
      const p = pickPlan(order(from), reviewer, picked);
      expect(p.change).toMatchObject({ from, event: 'mark_ready', to: 'ready' });
      expect(p.exposure).toBeNull();
      expect(p.reservations).toMatchObject({
        release: null,
        reserve: null,
        issue: { actor: reviewer, reason: 'pick PK20261207-0001', lines: [{ reservationId: 'r1', quantity: '4.000' }] },
        releaseIds: { actor: reviewer, ids: ['r2'] },
      });
      expect(p.audit[0]!.entry).toMatchObject({ action: 'order.pick', after: { status: 'ready', issued: 1, short: 1, backorderLines: 1 } });
    }
    expect(pickPlan(order('ready'), reviewer, picked).change).toBeNull();
    for (const from of ['draft', 'submitted', 'in_review', 'shipped', 'cancelled'] as const)
      expect(
        code(() => pickPlan(order(from), reviewer, picked)),
        from,
      ).toBe('INVALID_TRANSITION');
  });

  it('shipping moves ready to shipped and sends the tracking number to the customer; delivering moves shipped to delivered; neither changes exposure', () => {
    const s = { shipmentNumber: 'SH1', carrierName: '顺达冷链', trackingNumber: 'SF123', trackingUrl: 'https://t.example/SF123' };
    const p = shipPlan(order('ready'), reviewer, s, { channel: 'sms', recipient: '13900000001' });
    expect(p.change).toMatchObject({ from: 'ready', to: 'shipped' });
    expect(p.exposure).toBeNull();
    expect(p.customerMessages).toHaveLength(1);
    expect(p.customerMessages[0]!.body.zh).toContain('SF123');
    expect(shipPlan(order('ready'), reviewer, { ...s, trackingNumber: null }, { channel: 'sms', recipient: '1' }).customerMessages).toEqual([]);
    expect(code(() => shipPlan(order('approved'), reviewer, s, null))).toBe('INVALID_TRANSITION');
    const d = deliverPlan(order('shipped'), reviewer, { shipmentNumber: 'SH1', receiver: '张三', deliveredAt: now });
    expect(d.change).toMatchObject({ from: 'shipped', to: 'delivered' });
    expect(d.exposure).toBeNull();
    expect(code(() => deliverPlan(order('ready'), reviewer, { shipmentNumber: 'SH1', receiver: '张三', deliveredAt: now }))).toBe('INVALID_TRANSITION');
  });
});
