import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieOf, json, PASSWORD, testApp, type TestApp } from '../../../test/helpers/app.js';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { fixedClock, setClock, systemClock } from '../../platform/clock.js';
import { openJson } from '../../platform/crypto/pii.js';
import { inTransaction } from '../../platform/db/client.js';
import { auditLog, outbox } from '../../platform/platform.tables.js';
import { approvedOrder, fixture, makeCustomer, makeProduct, setup, type Fixture } from '../logistics/logistics.test-support.js';
import { machineProblems } from '../../platform/state-machine.js';
import { runEscalations } from './exceptions.service.js';
import { exceptionMachine, feedbackMachine } from './tracking.states.js';

// Thursday 2026-04-30 16:00 in Shanghai; 1–5 May is the Labour Day holiday, Saturday 9 May a make-up workday (调休).
const clock = fixedClock('2026-04-30T08:00:00Z');

let t: TestApp;
let f: Fixture;
type User = { cookie: string; userId: string; username: string };
let admin: User;
let handler: User;
let logistics: User;
let sales: User;
let manager: User;
let viewer: User;

/** Moves the faked clock and signs everyone in again (a jump of days would expire the sessions). */
async function at(iso: string): Promise<void> {
  clock.set(iso);
  for (const u of [admin, handler, logistics, sales, manager, viewer]) {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    u.cookie = cookieOf(res);
  }
  f = fixture(t, admin.cookie);
}

type Problem = { code: string; errors?: { field: string; code: string }[] };
type Exc = {
  id: string;
  number: string;
  status: string;
  responseDueAt: string;
  resolutionDueAt: string;
  escalationLevel: number;
  escalatedToId: string | null;
  responseOverdue: boolean;
  resolutionOverdue: boolean;
  responsePlan: string | null;
  resolution: string | null;
  ageWorkingHours: number;
  actions: { id: string; text: string; doneAt: string | null }[];
};

const req = (method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown, lang = 'zh-CN') =>
  t.app.inject({ method, url, headers: { cookie, 'accept-language': lang }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function open(body: Record<string, unknown>): Promise<Exc> {
  const res = await req('POST', '/api/tracking/exceptions', handler.cookie, { type: 'logistics_delay', severity: 'high', title: '冷链车辆故障', ownerId: handler.userId, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return json<Exc>(res);
}

async function escalationMessages(number: string): Promise<{ roles?: string[]; userIds?: string[] }[]> {
  const rows = await t.database.db.select({ payload: outbox.payload }).from(outbox).where(eq(outbox.topic, 'notify.users')).orderBy(asc(outbox.createdAt), asc(outbox.id));
  return rows.map((r) => openJson(r.payload) as { title: { zh: string }; roles?: string[]; userIds?: string[] }).filter((p) => p.title.zh.startsWith(`异常 ${number} 升级`));
}

beforeAll(async () => {
  setClock(clock);
  t = await testApp();
  await setup(t);
  admin = await t.loginAs(['admin']);
  handler = await t.loginAs(['logistics']);
  logistics = await t.loginAs(['logistics']);
  sales = await t.loginAs(['sales']);
  manager = await t.loginAs(['manager']);
  viewer = await t.loginAs(['trainer']);
});
afterAll(async () => {
  setClock(systemClock);
  await t?.close();
});

describe('exception timers in working hours (platform calendar)', () => {
  it('skips the Labour Day holiday: 4 working hours from Thursday 16:00 fall on Wednesday 6 May 11:00', async () => {
    await at('2026-04-30T08:00:00Z');
    const x = await open({});
    expect(x.status).toBe('open');
    expect(x.number).toMatch(/^EX20260430-\d{4}$/);
    expect(x.responseDueAt).toBe('2026-05-06T03:00:00.000Z');
    // 2 h on 30 April, 9 h on 6 May, 7 h on 7 May → 16:00 on 7 May
    expect(x.resolutionDueAt).toBe('2026-05-07T08:00:00.000Z');
  });

  it('counts the make-up workday: 4 working hours from Friday 8 May 17:00 end on Saturday 9 May 12:00', async () => {
    await at('2026-05-08T09:00:00Z');
    const x = await open({ title: '调休日测试' });
    expect(x.responseDueAt).toBe('2026-05-09T04:00:00.000Z');
    // 1 h Friday, 9 h Saturday (调休), Sunday off, 8 h Monday → 17:00 on 11 May
    expect(x.resolutionDueAt).toBe('2026-05-11T09:00:00.000Z');
  });
});

describe('exception lifecycle', () => {
  it('moves open → responding → resolved → closed with a plan, a resolution, actions, history and audit', async () => {
    await at('2026-05-11T02:00:00Z');
    const x = await open({ actions: [{ text: '联系承运商换车' }] });
    expect(x.actions).toHaveLength(1);
    const noPlan = await req('POST', `/api/tracking/exceptions/${x.id}/respond`, handler.cookie, {});
    expect(noPlan.statusCode).toBe(400);
    expect(json<Problem>(noPlan).errors![0]).toMatchObject({ field: 'text', code: 'EXCEPTION_PLAN_REQUIRED' });
    const responding = json<Exc>(await req('POST', `/api/tracking/exceptions/${x.id}/respond`, handler.cookie, { text: '改派备用冷藏车' }));
    expect(responding.status).toBe('responding');
    expect(responding.responsePlan).toBe('改派备用冷藏车');
    const early = await req('POST', `/api/tracking/exceptions/${x.id}/close`, handler.cookie, {});
    expect(early.statusCode).toBe(409);
    expect(json<Problem>(early).code).toBe('INVALID_TRANSITION');
    const withAction = json<Exc>(await req('POST', `/api/tracking/exceptions/${x.id}/actions`, handler.cookie, { text: '通知客户', ownerId: logistics.userId }));
    const done = json<Exc>(await req('POST', `/api/tracking/exceptions/${x.id}/actions/${withAction.actions[1]!.id}/done`, handler.cookie));
    expect(done.actions[1]!.doneAt).not.toBeNull();
    await at('2026-05-11T05:00:00Z');
    const resolved = json<Exc>(await req('POST', `/api/tracking/exceptions/${x.id}/resolve`, handler.cookie, { text: '已改派,货物当日送达' }));
    expect(resolved.status).toBe('resolved');
    expect(resolved.ageWorkingHours).toBe(3);
    expect(json<Exc>(await req('POST', `/api/tracking/exceptions/${x.id}/close`, handler.cookie, {})).status).toBe('closed');
    const audits = await t.database.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, x.id));
    expect(audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['exception.create', 'exception.respond', 'exception.action.add', 'exception.action.done', 'exception.resolve', 'exception.close']),
    );
  });

  it('rejects a deadline in the past, an unknown owner and writes by roles without exceptions:manage', async () => {
    await at('2026-05-11T02:00:00Z');
    const past = await req('POST', '/api/tracking/exceptions', handler.cookie, {
      type: 'quality_problem',
      severity: 'low',
      title: 'X',
      ownerId: handler.userId,
      resolutionDueAt: '2026-05-10T00:00:00Z',
    });
    expect(past.statusCode).toBe(400);
    expect(json<Problem>(past).errors![0]).toMatchObject({ field: 'resolutionDueAt', code: 'EXCEPTION_DEADLINE_PAST' });
    const ghost = await req('POST', '/api/tracking/exceptions', handler.cookie, {
      type: 'quality_problem',
      severity: 'low',
      title: 'X',
      ownerId: '01890000-0000-7000-8000-000000000000',
    });
    expect(ghost.statusCode).toBe(400);
    expect(json<Problem>(ghost).errors![0]).toMatchObject({ field: 'ownerId', code: 'EXCEPTION_OWNER_UNKNOWN' });
    const badType = await req('POST', '/api/tracking/exceptions', handler.cookie, { type: 'meteor', severity: 'low', title: 'X', ownerId: handler.userId });
    expect(badType.statusCode).toBe(400);
    expect((await req('POST', '/api/tracking/exceptions', viewer.cookie, { type: 'quality_problem', severity: 'low', title: 'X', ownerId: handler.userId })).statusCode).toBe(403);
  });
});

describe('escalation owner → department head → management', () => {
  it('escalates by hand only to a user holding the next level’s role', async () => {
    await at('2026-05-11T02:00:00Z');
    const x = await open({ title: '手工升级' });
    const wrong = await req('POST', `/api/tracking/exceptions/${x.id}/escalate`, handler.cookie, { toUserId: sales.userId, reason: '需要支援' });
    expect(wrong.statusCode).toBe(400);
    expect(json<Problem>(wrong).errors![0]).toMatchObject({ field: 'toUserId', code: 'EXCEPTION_ESCALATION_ROLE' });
    const en = await req('POST', `/api/tracking/exceptions/${x.id}/escalate`, handler.cookie, { toUserId: sales.userId, reason: 'help' }, 'en-US');
    expect(json<{ detail: string }>(en).detail).toContain('does not hold the role "logistics"');
    const l1 = json<Exc>(await req('POST', `/api/tracking/exceptions/${x.id}/escalate`, handler.cookie, { toUserId: logistics.userId, reason: '需要支援' }));
    expect(l1).toMatchObject({ escalationLevel: 1, escalatedToId: logistics.userId });
    const notManager = await req('POST', `/api/tracking/exceptions/${x.id}/escalate`, handler.cookie, { toUserId: logistics.userId, reason: '再升级' });
    expect(json<Problem>(notManager).errors![0]).toMatchObject({ field: 'toUserId', code: 'EXCEPTION_ESCALATION_ROLE' });
    expect(json<Exc>(await req('POST', `/api/tracking/exceptions/${x.id}/escalate`, handler.cookie, { toUserId: manager.userId, reason: '再升级' })).escalationLevel).toBe(2);
    const top = await req('POST', `/api/tracking/exceptions/${x.id}/escalate`, handler.cookie, { toUserId: manager.userId, reason: '再升级' });
    expect(top.statusCode).toBe(409);
    expect(json<Problem>(top).code).toBe('EXCEPTION_ESCALATION_TOP');
  });

  it('the job escalates an unanswered exception after its working-hour deadline, not during the holiday', async () => {
    await at('2026-04-30T08:00:00Z');
    const x = await open({ title: '节假日升级' });
    const get = async () => json<Exc>(await req('GET', `/api/tracking/exceptions/${x.id}`, handler.cookie));
    // 3 May is a holiday: 67 wall-clock hours later but no working hour has passed since 18:00 on 30 April
    await at('2026-05-03T03:00:00Z');
    await inTransaction(t.database.db, (db) => runEscalations(db, SYSTEM_ACTOR));
    expect((await get()).escalationLevel).toBe(0);
    await at('2026-05-06T02:30:00Z'); // 10:30, due 11:00
    await inTransaction(t.database.db, (db) => runEscalations(db, SYSTEM_ACTOR));
    expect((await get()).escalationLevel).toBe(0);
    await at('2026-05-06T03:30:00Z');
    await inTransaction(t.database.db, (db) => runEscalations(db, SYSTEM_ACTOR));
    const l1 = await get();
    expect(l1).toMatchObject({ escalationLevel: 1, responseOverdue: true });
    expect(await escalationMessages(x.number)).toEqual([expect.objectContaining({ roles: ['logistics'] })]);
    // resolution due 16:00 on 7 May; management a response window (4 working hours) later: 11:00 on 8 May
    await at('2026-05-08T02:30:00Z');
    await inTransaction(t.database.db, (db) => runEscalations(db, SYSTEM_ACTOR));
    expect((await get()).escalationLevel).toBe(1);
    await at('2026-05-08T03:30:00Z');
    await inTransaction(t.database.db, (db) => runEscalations(db, SYSTEM_ACTOR));
    expect((await get()).escalationLevel).toBe(2);
    const msgs = await escalationMessages(x.number);
    expect(msgs).toHaveLength(2);
    expect(msgs[1]).toMatchObject({ roles: ['manager'] });
    await inTransaction(t.database.db, (db) => runEscalations(db, SYSTEM_ACTOR));
    expect(await escalationMessages(x.number)).toHaveLength(2);
  });
});

describe('exception lists and board', () => {
  it('filters, sorts, counts by status and severity and exports', async () => {
    await at('2026-05-12T02:00:00Z');
    await open({ type: 'cold_chain_excursion', severity: 'critical', title: '温度超标 8.5°C' });
    const crit = json<{ items: { severity: string; title: string }[]; total: number }>(
      await req('GET', '/api/tracking/exceptions?severity=critical&sort=-createdAt', handler.cookie),
    );
    expect(crit.total).toBe(1);
    expect(crit.items[0]!.title).toBe('温度超标 8.5°C');
    const q = json<{ total: number }>(await req('GET', `/api/tracking/exceptions?q=${encodeURIComponent('调休')}`, handler.cookie));
    expect(q.total).toBe(1);
    const overdue = json<{ items: { resolutionOverdue: boolean; responseOverdue: boolean }[] }>(await req('GET', '/api/tracking/exceptions?overdue=true', handler.cookie));
    expect(overdue.items.length).toBeGreaterThan(0);
    expect(overdue.items.every((i) => i.resolutionOverdue || i.responseOverdue)).toBe(true);
    const board = json<{ cells: { status: string; severity: string; count: number }[] }>(await req('GET', '/api/tracking/exceptions/board', manager.cookie));
    expect(board.cells.find((c) => c.status === 'open' && c.severity === 'critical')?.count).toBe(1);
    expect(board.cells.find((c) => c.status === 'closed')?.count).toBe(1);
    const xlsx = await req('GET', '/api/tracking/exceptions/export.xlsx?type=cold_chain_excursion', handler.cookie);
    expect(xlsx.statusCode).toBe(200);
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
    const bad = await req('GET', '/api/tracking/exceptions?sort=bogus', handler.cookie);
    expect(bad.statusCode).toBe(400);
  });
});

describe('order timeline', () => {
  it('merges the order history and its exceptions in Shanghai time with the current stage and expected delivery', async () => {
    await at('2026-12-01T02:00:00Z');
    const c = await makeCustomer(f);
    const p = await makeProduct(f, { stockKg: '50' });
    const o = await approvedOrder(f, c, [{ productId: p.id, kg: '10' }], '2026-12-04');
    await at('2026-12-01T03:15:00Z');
    const x = await open({ type: 'customer_dispute', severity: 'medium', title: '客户要求改期', orderId: o.id });
    const res = await req('GET', `/api/tracking/orders/${o.id}/timeline`, sales.cookie);
    expect(res.statusCode, res.body).toBe(200);
    const tl = json<{
      timeZone: string;
      currentStage: string;
      status: string;
      expectedDeliveryDate: string;
      expectedDeliveryBasis: string;
      events: { at: string; localTime: string; stage: string; kind: string; refId: string }[];
    }>(res);
    expect(tl.timeZone).toBe('Asia/Shanghai');
    expect(tl.status).toBe('approved');
    expect(tl.currentStage).toBe('planning');
    expect(tl).toMatchObject({ expectedDeliveryDate: '2026-12-04', expectedDeliveryBasis: 'requested_date' });
    expect(tl.events[0]!.kind).toBe('order.create');
    const ex = tl.events.find((e) => e.kind === 'exception.opened')!;
    expect(ex).toMatchObject({ refId: x.id, stage: 'exception', at: '2026-12-01T03:15:00.000Z', localTime: '2026-12-01 11:15:00' });
    expect(tl.events.map((e) => e.at)).toEqual([...tl.events.map((e) => e.at)].sort());
    expect((await req('GET', '/api/tracking/orders/01890000-0000-7000-8000-000000000000/timeline', sales.cookie)).statusCode).toBe(404);
  });
});

describe('customer feedback', () => {
  type Fb = { id: string; number: string; status: string; replyDueAt: string; replyOverdue: boolean; reply: string | null; replyChannel: string | null };
  it('sets the reply deadline in working hours, records the reply and queues it to the contact', async () => {
    await at('2026-12-01T02:00:00Z'); // Tuesday 10:00
    const c = await makeCustomer(f);
    const res = await req('POST', '/api/tracking/feedback', sales.cookie, {
      category: 'packaging',
      customerId: c.id,
      contactId: c.contactId,
      rating: 2,
      content: '泡沫箱破损,部分菠菜压坏',
      ownerId: sales.userId,
    });
    expect(res.statusCode, res.body).toBe(201);
    const fb = json<Fb>(res);
    expect(fb.number).toMatch(/^FB20261201-\d{4}$/);
    // default 18 working hours: 8 h Tuesday, 9 h Wednesday, 1 h Thursday → 10:00 on 3 December
    expect(fb.replyDueAt).toBe('2026-12-03T02:00:00.000Z');
    const replied = json<Fb>(await req('POST', `/api/tracking/feedback/${fb.id}/reply`, sales.cookie, { reply: '已安排补发,并改用加厚包装。' }));
    expect(replied).toMatchObject({ status: 'replied', reply: '已安排补发,并改用加厚包装。' });
    const msgs = (await t.database.db.select({ payload: outbox.payload }).from(outbox).where(eq(outbox.topic, 'notify.customer')))
      .map((r) => openJson(r.payload) as { subject: { zh: string }; body: { zh: string } })
      .filter((m) => m.subject.zh.includes(fb.number));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.body.zh).toContain('已安排补发');
    const again = await req('POST', `/api/tracking/feedback/${fb.id}/reply`, sales.cookie, { reply: '再次回复' });
    expect(again.statusCode).toBe(409);
    expect(json<Problem>(again).code).toBe('INVALID_TRANSITION');
  });

  it('refuses a reply without a contact, a past deadline and a contact of another customer', async () => {
    await at('2026-12-01T02:00:00Z');
    const c = await makeCustomer(f);
    const other = await makeCustomer(f);
    const noContact = json<Fb>(
      await req('POST', '/api/tracking/feedback', sales.cookie, { category: 'delivery_time', customerId: c.id, content: '晚到两小时', ownerId: sales.userId }),
    );
    const r = await req('POST', `/api/tracking/feedback/${noContact.id}/reply`, sales.cookie, { reply: '抱歉' });
    expect(r.statusCode).toBe(409);
    expect(json<Problem>(r).code).toBe('FEEDBACK_NO_RECIPIENT');
    const past = await req('POST', '/api/tracking/feedback', sales.cookie, {
      category: 'quality',
      customerId: c.id,
      content: 'x',
      ownerId: sales.userId,
      replyDueAt: '2026-11-30T00:00:00Z',
    });
    expect(json<Problem>(past).errors![0]).toMatchObject({ field: 'replyDueAt', code: 'EXCEPTION_DEADLINE_PAST' });
    const mismatch = await req('POST', '/api/tracking/feedback', sales.cookie, {
      category: 'quality',
      customerId: c.id,
      contactId: other.contactId,
      content: 'x',
      ownerId: sales.userId,
    });
    expect(json<Problem>(mismatch).errors![0]).toMatchObject({ field: 'contactId', code: 'FEEDBACK_CONTACT_MISMATCH' });
    expect((await req('POST', '/api/tracking/feedback', handler.cookie, { category: 'quality', customerId: c.id, content: 'x', ownerId: sales.userId })).statusCode).toBe(403);
  });

  it('lists with search, filter, sort, overdue, analysis by category and Excel export', async () => {
    await at('2026-12-04T02:00:00Z'); // after the first deadlines
    const list = json<{ total: number; items: { category: string }[] }>(await req('GET', '/api/tracking/feedback?category=delivery_time&sort=-createdAt', sales.cookie));
    expect(list.total).toBe(1);
    const q = json<{ total: number }>(await req('GET', `/api/tracking/feedback?q=${encodeURIComponent('菠菜')}`, sales.cookie));
    expect(q.total).toBe(1);
    const overdue = json<{ items: { replyOverdue: boolean; status: string }[] }>(await req('GET', '/api/tracking/feedback?overdue=true', sales.cookie));
    expect(overdue.items.map((i) => i.status)).toEqual(['open']);
    const period = json<{ total: number }>(await req('GET', '/api/tracking/feedback?from=2026-12-02&to=2026-12-31', sales.cookie));
    expect(period.total).toBe(0);
    const analysis = json<{ items: { category: string; count: number; open: number }[] }>(await req('GET', '/api/tracking/feedback/analysis', manager.cookie));
    expect(analysis.items).toEqual(
      expect.arrayContaining([
        { category: 'packaging', count: 1, open: 0 },
        { category: 'delivery_time', count: 1, open: 1 },
      ]),
    );
    const xlsx = await req('GET', '/api/tracking/feedback/export.xlsx', sales.cookie, undefined, 'en-US');
    expect(xlsx.statusCode).toBe(200);
    expect(String(xlsx.headers['content-type'])).toContain('spreadsheetml');
  });
});

describe('state tables', () => {
  it('every exception and feedback state is reachable and only closed is terminal', () => {
    expect(machineProblems(exceptionMachine)).toEqual([]);
    expect(machineProblems(feedbackMachine)).toEqual([]);
  });
});
