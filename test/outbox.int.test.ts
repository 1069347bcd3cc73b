import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/platform/clock.js';
import { addWorkingDays, isWorkday } from '../src/platform/calendar/calendar.service.js';
import { inTransaction } from '../src/platform/db/client.js';
import { notifyUsers, queueCustomerMessage } from '../src/platform/notifications/notifications.service.js';
import { deliverOutbox, enqueue, registerOutboxHandler } from '../src/platform/outbox/outbox.service.js';
import { outbox, outboundMessages } from '../src/platform/platform.tables.js';
import { json, testApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t?.close());

/**
 * A delivery clock for messages just queued: PostgreSQL stamps next_attempt_at with now() in microseconds, so a clock taken
 * from Date in the same millisecond (truncated) could read just before it and find nothing due.
 */
const deliveryClock = () => fixedClock(new Date(Date.now() + 1));

describe('outbox and notifications', () => {
  it('delivers a role notification to every user of the role, once, with unread count and mark-read', async () => {
    const a = await t.loginAs(['reviewer'], { username: 'rev_a' });
    const b = await t.loginAs(['reviewer'], { username: 'rev_b' });
    const other = await t.loginAs(['warehouse'], { username: 'wh_other' });
    await inTransaction(t.database.db, (db) =>
      notifyUsers(db, { roles: ['reviewer'], title: { zh: '待审核订单', en: 'Order to review' }, body: { zh: 'SO1 等待审核', en: 'SO1 awaits review' }, link: '/orders/review' }),
    );
    const clock = deliveryClock();
    expect((await deliverOutbox(t.database.db, { clock, maxAttempts: 3 })).delivered).toBe(1);
    expect((await deliverOutbox(t.database.db, { clock, maxAttempts: 3 })).delivered).toBe(0);
    for (const u of [a, b]) expect(json<{ count: number }>(await t.app.inject({ url: '/api/notifications/unread-count', headers: { cookie: u.cookie } })).count).toBe(1);
    expect(json<{ count: number }>(await t.app.inject({ url: '/api/notifications/unread-count', headers: { cookie: other.cookie } })).count).toBe(0);
    const list = json<{ items: { id: string; title: string }[] }>(await t.app.inject({ url: '/api/notifications', headers: { cookie: a.cookie, 'accept-language': 'en' } }));
    expect(list.items[0]!.title).toBe('Order to review');
    expect((await t.app.inject({ method: 'POST', url: `/api/notifications/${list.items[0]!.id}/read`, headers: { cookie: a.cookie } })).statusCode).toBe(204);
    expect(json<{ count: number }>(await t.app.inject({ url: '/api/notifications/unread-count', headers: { cookie: a.cookie } })).count).toBe(0);
    // another user cannot mark someone else's notification
    expect((await t.app.inject({ method: 'POST', url: `/api/notifications/${list.items[0]!.id}/read`, headers: { cookie: other.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'POST', url: '/api/notifications/read-all', headers: { cookie: b.cookie } })).statusCode).toBe(204);
    expect(json<{ count: number }>(await t.app.inject({ url: '/api/notifications/unread-count', headers: { cookie: b.cookie } })).count).toBe(0);
  });

  it('retries a failing consumer with backoff and dead-letters it after the maximum attempts', async () => {
    let calls = 0;
    registerOutboxHandler('test.flaky', async () => {
      calls += 1;
      throw new Error('carrier down');
    });
    const id = await inTransaction(t.database.db, (db) => enqueue(db, 'test.flaky', { n: 1 }));
    const clock = deliveryClock();
    await deliverOutbox(t.database.db, { clock, maxAttempts: 3, baseDelayMs: 1000 });
    let [row] = await t.database.db.select().from(outbox).where(eq(outbox.id, id));
    expect(row!.status).toBe('pending');
    expect(row!.attempts).toBe(1);
    expect(row!.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 1000);
    await deliverOutbox(t.database.db, { clock, maxAttempts: 3 });
    expect(calls).toBe(1); // not due yet
    clock.advance(1000);
    await deliverOutbox(t.database.db, { clock, maxAttempts: 3, baseDelayMs: 1000 });
    [row] = await t.database.db.select().from(outbox).where(eq(outbox.id, id));
    expect(row!.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 2000);
    clock.advance(2000);
    await deliverOutbox(t.database.db, { clock, maxAttempts: 3, baseDelayMs: 1000 });
    [row] = await t.database.db.select().from(outbox).where(eq(outbox.id, id));
    expect(row!.status).toBe('dead');
    expect(row!.lastError).toContain('carrier down');
    expect(calls).toBe(3);
  });

  it('records customer messages through the outbound sender exactly once per message', async () => {
    await inTransaction(t.database.db, (db) =>
      queueCustomerMessage(db, {
        channel: 'sms',
        recipient: '13800000000',
        subject: { zh: '订单已驳回', en: 'Order rejected' },
        body: { zh: '原因:信用额度不足', en: 'Reason: credit' },
      }),
    );
    const clock = deliveryClock();
    await deliverOutbox(t.database.db, { clock, maxAttempts: 3 });
    const sent = await t.database.db.select().from(outboundMessages);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe('订单已驳回');
  });
});

describe('working days (Chinese statutory calendar)', () => {
  it('skips the National Day holiday and counts the make-up Saturday', async () => {
    // 2026-09-30 (Wed) + 1 working day: Oct 1–7 are holidays (2026-10-08 is a normal Thursday)
    expect((await addWorkingDays(t.database.db, '2026-09-30', 1)).date).toBe('2026-10-08');
    expect(await isWorkday(t.database.db, '2026-10-10')).toBe(true); // 调休 Saturday
    expect(await isWorkday(t.database.db, '2026-10-01')).toBe(false);
  });

  it('does not count the start day (期间开始之日不计算在内)', async () => {
    expect((await addWorkingDays(t.database.db, '2026-11-23', 1)).date).toBe('2026-11-24');
    expect((await addWorkingDays(t.database.db, '2026-11-27', 1)).date).toBe('2026-11-30');
  });

  it('flags results beyond the covered years instead of guessing silently', async () => {
    const inside = await addWorkingDays(t.database.db, '2026-06-01', 7);
    expect(inside.beyondCoverage).toBe(false);
    const beyond = await addWorkingDays(t.database.db, '2026-12-28', 7);
    expect(beyond.beyondCoverage).toBe(true);
  });
});
