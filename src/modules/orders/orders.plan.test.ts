import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, type Actor } from '../../platform/auth/actor.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { oneStatementRefusal } from './orders.writer.js';
import {
  advancePlan,
  amendPlan,
  approvePlan,
  autoApprovePlan,
  cancelPlan,
  checkTransition,
  createPlan,
  exposureOfPlan,
  deliverPlan,
  pickPlan,
  shipPlan,
  exposureOfTransition,
  placePlan,
  rejectPlan,
  reReservePlan,
  reservationFailedPlan,
  sendToReviewPlan,
  type LineRow,
  type OrderPlan,
  type OrderSnapshot,
  type ReserveLine,
} from './orders.plan.js';
import type { orders } from './orders.tables.js';
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

  it("the message to an individual customer is addressed by the recipient's clear name, the in-app note to staff keeps the masked snapshot", () => {
    const o = { ...order('in_review'), customerName: '王****' };
    const p = rejectPlan(o, reviewer, '信用额度不足', { channel: 'sms', recipient: '13800000000', name: '王小明' });
    expect(p.customerMessages[0]!.body.zh).toContain('尊敬的王小明');
    expect(Object.keys(p.customerMessages[0]!)).not.toContain('name');
    expect(p.notify[0]!.body.zh).toContain('王****');
    expect(p.notify[0]!.body.zh).not.toContain('王小明');
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

// ---------------------------------------------------------------- new orders and amendments

function row(status: OrderStatus, lines: LineRow[]): typeof orders.$inferSelect {
  return {
    ...order(
      status,
      lines.reduce((s, l) => s + l.amountFen, 0),
    ),
    customerCode: 'C001',
    customerNameEnc: null,
    deliveryRegion: null,
    deliveryDateTo: null,
    coldChain: false,
    paymentTermsDays: 30,
    notes: null,
    channel: 'phone',
    inquiryId: null,
    questions: [],
    statusReason: null,
    importKey: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
    submittedAt: status === 'submitted' ? now : null,
    approvedAt: null,
  };
}

function lineRow(n: number, productId: string | null, amountFen: number): LineRow {
  return {
    id: `l${n}`,
    orderId: order('draft').id,
    lineNo: n,
    productId,
    description: null,
    spec: null,
    quantity: '10.000',
    unit: 'kg',
    baseQuantity: '10.000',
    unitPriceFen: amountFen / 10,
    listPriceFen: amountFen / 10,
    floorPriceFen: null,
    priceListId: null,
    priceOverrideReason: null,
    amountFen,
    orderCreatedAt: now,
  };
}

const two = [lineRow(1, 'p1', 10_000), lineRow(2, 'p2', 2_300)];
const reserveOf = (ls: LineRow[]): ReserveLine[] =>
  ls.map((l) => ({ refLineId: l.id, productId: l.productId!, quantity: l.baseQuantity!, unit: 'kg', minRemainingShelfLifeDays: 3 }));
const pass = (rule: string) => ({ rule, outcome: 'pass', code: 'OK', details: {} }) as unknown as Parameters<typeof placePlan>[0]['results'][number];
let seq = 0;
const ids = () => `id-${++seq}`;
const placed = (ls = two, results = [pass('credit'), pass('availability')]) =>
  placePlan({ submitted: row('submitted', ls), lines: ls, actor: reviewer, results, runId: 'run-1', reserve: reserveOf(ls), now, newId: ids });

describe('new-order and amendment plans (no database)', () => {
  it('creating a draft writes the order, its lines and its `create` history row, audits order.create, and changes no exposure or stock', () => {
    const p = createPlan(row('draft', two), two, reviewer);
    expect(p.create?.order.status).toBe('draft');
    expect(p.create?.lines).toBe(two);
    expect(p.create?.history).toMatchObject([{ fromState: null, toState: 'draft', event: 'create', actorName: 'reviewer' }]);
    expect(p.create?.review).toBeNull();
    expect(p.change).toBeNull();
    expect(p.exposure).toBeNull();
    expect(p.reservations).toEqual({ release: null, reserve: null });
    expect(p.audit.map((a) => a.entry)).toEqual([
      {
        action: 'order.create',
        entity: 'order',
        entityId: order('draft').id,
        after: { number: 'SO20261207-0001', customerId: order('draft').customerId, totalFen: 12_300, lines: 2 },
      },
    ]);
  });

  it('a new order must start as a draft, with lines of this order that add up to its total', () => {
    expect(code(() => createPlan(row('approved', two), two, reviewer))).toBe('INVALID_TRANSITION');
    expect(code(() => createPlan({ ...row('draft', two), totalFen: 1 }, two, reviewer))).toMatch(/do not add up/);
    expect(code(() => createPlan(row('draft', two), [{ ...two[0]!, orderId: 'other' }, two[1]!], reviewer))).toMatch(/do not add up/);
  });

  it('placing straight through writes create → submit → auto_approve, the passing run, one order.place row, reserves every line and adds the order to the exposure', () => {
    const p = placed();
    expect(p.create?.order).toMatchObject({ status: 'approved', approvedAt: now, lastReviewRunId: 'run-1' });
    expect(p.create?.history.map((h) => [h.fromState, h.event, h.toState, h.actorName])).toEqual([
      [null, 'create', 'draft', 'reviewer'],
      ['draft', 'submit', 'submitted', 'reviewer'],
      ['submitted', 'auto_approve', 'approved', SYSTEM_ACTOR.username],
    ]);
    expect(p.create?.review?.run).toMatchObject({ id: 'run-1', trigger: 'submit', outcome: 'approved' });
    expect(p.create?.review?.results.map((r) => [r.rule, r.runId, r.rerun])).toEqual([
      ['credit', 'run-1', true],
      ['availability', 'run-1', true],
    ]);
    expect(p.exposure).toMatchObject({ customerId: order('draft').customerId, deltaFen: 12_300, approvedOrders: 1 });
    expect(p.reservations).toEqual({ release: null, reserve: { onDate: '2026-12-09', lines: reserveOf(two) } });
    expect(p.audit.map((a) => a.entry.action)).toEqual(['order.place']);
    expect(p.audit[0]!.entry.after).toMatchObject({ status: 'approved', totalFen: 12_300, lines: 2, runId: 'run-1' });
  });

  it('placing straight through refuses an order that is not the submitted one reviewed, or a run with a rule that did not pass', () => {
    expect(code(() => placePlan({ submitted: row('draft', two), lines: two, actor: reviewer, results: [], runId: 'r', reserve: [], now, newId: ids }))).toBe('INVALID_TRANSITION');
    expect(code(() => placed(two, [{ ...pass('credit'), outcome: 'warn' } as never]))).toMatch(/did not pass/);
  });

  it('the one-statement write takes exactly a placed order reserving all its lines (1 to 12, different products), and says why not otherwise', () => {
    expect(oneStatementRefusal(placed())).toBeNull();
    expect(oneStatementRefusal(createPlan(row('draft', two), two, reviewer))).toBe('not a new order placed straight through');
    expect(oneStatementRefusal(approvePlan(order('in_review'), reviewer, null, now, [line]))).toBe('not a new order placed straight through');
    const p = placed();
    expect(oneStatementRefusal({ ...p, reservations: { ...p.reservations, reserve: { onDate: null, lines: reserveOf(two).slice(1) } } })).toBe('a line with nothing to reserve');
    expect(oneStatementRefusal({ ...p, audit: [...p.audit, ...p.audit] })).toBe('not one audit row');
    expect(oneStatementRefusal({ ...p, notify: [{ roles: ['sales'], title: { zh: '', en: '' }, body: { zh: '', en: '' } } as never] })).toBe('more than a new order to write');
    const same = [lineRow(1, 'p1', 100), lineRow(2, 'p1', 100)];
    expect(oneStatementRefusal(placed(same))).toBe('two lines of one product');
    const many = Array.from({ length: 13 }, (_, i) => lineRow(i + 1, `p${i}`, 100));
    expect(oneStatementRefusal(placed(many))).toBe('more than 12 lines');
  });

  const before = (status: OrderStatus) => ({ ...row(status, two), totalFen: 12_300 });
  const amend = (status: OrderStatus, lines: LineRow[] | null, totalFen: number, changedLines = lines !== null) =>
    amendPlan({
      before: before(status),
      oldLineCount: 2,
      set: { deliveryDate: '2026-12-10', totalFen },
      lines,
      changed: { lines: changedLines, date: true, address: false },
      actor: reviewer,
      reason: '客户改量',
    });

  it('amending an approved order writes over the version read, replaces the lines, releases its reservations and changes its exposure by the difference', () => {
    const fewer = [lineRow(1, 'p1', 10_000)];
    const p = amend('approved', fewer, 10_000);
    expect(p.update).toEqual({ status: 'approved', version: 1, set: { deliveryDate: '2026-12-10', totalFen: 10_000 }, lines: fewer });
    expect(p.change).toBeNull();
    expect(p.exposure).toMatchObject({ deltaFen: -2_300, approvedOrders: 0 });
    expect(p.reservations).toEqual({ release: reviewer, reserve: null });
    expect(p.audit[0]!.entry).toMatchObject({
      action: 'order.amend',
      before: { totalFen: 12_300, lines: 2 },
      after: { totalFen: 10_000, deliveryDate: '2026-12-10', lines: 1, changed: { lines: true, date: true, address: false }, reason: '客户改量' },
    });
  });

  it('amending an order that does not count against credit (draft, in review) changes no exposure and releases nothing', () => {
    for (const s of ['draft', 'needs_confirmation', 'in_review'] as const) {
      const p = amend(s, [lineRow(1, 'p1', 10_000)], 10_000);
      expect(p.exposure, s).toBeNull();
      expect(p.reservations.release, s).toBeNull();
    }
  });

  it('amending only the date keeps the lines and reservations and, with the total unchanged, the exposure', () => {
    const p = amend('approved', two, 12_300, false);
    expect(p.update?.lines).toBeNull();
    expect(p.reservations.release).toBeNull();
    expect(p.exposure).toBeNull();
  });

  it('an order past approval (or closed) cannot be amended: ORDER_NOT_EDITABLE', () => {
    for (const s of orderMachine.states.filter((x) => !['draft', 'needs_confirmation', 'in_review', 'approved'].includes(x)))
      expect(
        code(() => amend(s, null, 12_300)),
        s,
      ).toBe('ORDER_NOT_EDITABLE');
  });

  it('the writer’s exposure check agrees with every builder: exposureOfPlan() of a built plan is its exposure', () => {
    const plans: OrderPlan[] = [
      placed(),
      createPlan(row('draft', two), two, reviewer),
      amend('approved', [lineRow(1, 'p1', 10_000)], 10_000),
      cancelPlan(order('approved'), reviewer, 'x'),
    ];
    for (const p of plans) expect(exposureOfPlan(p)?.deltaFen ?? null).toBe(p.exposure?.deltaFen ?? null);
  });
});
