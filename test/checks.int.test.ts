import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStock } from '../src/modules/inventory/index.js';
import { settleChecks, type CheckJob } from '../src/platform/checks/checks.service.js';
import { queryRows } from '../src/platform/db/client.js';
import { loadDemo } from '../src/platform/demo.js';
import { json, testApp, type TestApp } from './helpers/app.js';
import { engine } from './helpers/db.js';
import { tamper } from './helpers/tamper.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  await loadDemo(t.database);
  admin = (await t.loginAs(['admin'])).cookie;
});
afterAll(async () => t?.close());

const start = (kind: string, cookie = admin) => t.app.inject({ method: 'POST', url: `/api/admin/checks/${kind}`, headers: { cookie } });
const get = (id: string, cookie = admin) => t.app.inject({ method: 'GET', url: `/api/admin/checks/${id}`, headers: { cookie } });

async function finished(id: string): Promise<CheckJob> {
  await settleChecks(t.database.db);
  const res = await get(id);
  expect(res.statusCode).toBe(200);
  return json<CheckJob>(res);
}

describe(`admin data checks through the API (${engine})`, { timeout: 120_000 }, () => {
  it('POST /api/admin/checks/audit starts the audit verification as a job; GET /api/admin/checks/:id gives its progress and result', async () => {
    const res = await start('audit');
    expect(res.statusCode).toBe(202);
    const job = json<CheckJob>(res);
    expect(job).toMatchObject({ kind: 'audit', status: 'running', result: null });
    const done = await finished(job.id);
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ ok: true, firstBadSeq: null, reason: null });
    expect(done.result!.checked).toBeGreaterThan(100);
    expect(done.total).toBeGreaterThanOrEqual(done.result!.checked);
    expect(done.done).toBe(done.total);
    expect(done.finishedAt).not.toBeNull();
    const [a] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from audit_log where action = 'check.audit' and entity_id = ${job.id}`);
    expect(a!.n).toBe(1);
  });

  it('the audit check runs in batches that yield: a request sent while it runs is answered before it ends', async () => {
    const job = json<CheckJob>(await start('audit'));
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: admin } });
    expect(me.statusCode).toBe(200);
    const during = json<CheckJob>(await get(job.id));
    expect(during.status).toBe('running');
    await settleChecks(t.database.db);
  });

  it('starting a check of a kind still running returns that job instead of a second one', async () => {
    const a = json<CheckJob>(await start('audit'));
    const b = json<CheckJob>(await start('audit'));
    expect(b.id).toBe(a.id);
    await settleChecks(t.database.db);
  });

  it('the stock check reports a balance that drifted from the ledger', async () => {
    const ok = await finished(json<CheckJob>(await start('stock')).id);
    expect(ok.status).toBe('succeeded');
    expect(ok.result).toMatchObject({ ok: true, driftCount: 0, drifts: [] });
    expect(ok.result!.checked).toBeGreaterThan(5);
    const [b] = await queryRows<{ lot_id: string; location_id: string }>(t.database.db, sql`select lot_id, location_id from stock_balances order by lot_id desc limit 1`);
    await t.database.db.execute(sql`update stock_balances set on_hand = on_hand + 1 where lot_id = ${b!.lot_id} and location_id = ${b!.location_id}`);
    try {
      const bad = await finished(json<CheckJob>(await start('stock')).id);
      expect(bad.result).toMatchObject({ ok: false, driftCount: 1 });
      expect(bad.result!.drifts[0]).toMatchObject({ lotId: b!.lot_id, locationId: b!.location_id });
    } finally {
      await t.database.db.execute(sql`update stock_balances set on_hand = on_hand - 1 where lot_id = ${b!.lot_id} and location_id = ${b!.location_id}`);
    }
  });

  it('stock verify in batches of a few lots checks every lot and reports progress after each batch', async () => {
    const calls: [number, number][] = [];
    const whole = await verifyStock(t.database.db);
    const batched = await verifyStock(t.database.db, { batch: 3, progress: (d, n) => calls.push([d, n]), yieldBetween: true });
    expect(batched).toEqual(whole);
    const [lots] = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from lots`);
    expect(calls.length).toBe(Math.ceil(lots!.n / 3));
    expect(calls.at(-1)).toEqual([lots!.n, lots!.n]);
  });

  it('the audit check reports a tampered row', async () => {
    const [r] = await queryRows<{ seq: number }>(t.database.db, sql`select seq::int as seq from audit_log where chain_pos is not null order by chain_pos desc limit 1 offset 10`);
    await tamper(t.database.db, sql`update audit_log set entity_id = 'forged' where seq = ${r!.seq}`);
    const job = await finished(json<CheckJob>(await start('audit')).id);
    expect(job.status).toBe('succeeded');
    expect(job.result).toMatchObject({ ok: false, firstBadSeq: r!.seq });
  });

  it('only roles with admin:verify may run checks (403 for a manager); an unknown check id is a 404 problem with a message', async () => {
    const manager = (await t.loginAs(['manager'])).cookie;
    expect((await start('audit', manager)).statusCode).toBe(403);
    const missing = await get('01900000-0000-7000-8000-000000000001');
    expect(missing.statusCode).toBe(404);
    expect(json(missing)).toMatchObject({ code: 'CHECK_NOT_FOUND' });
    expect((await start('nothing')).statusCode).toBe(400);
  });
});
