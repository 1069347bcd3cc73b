import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, setClock, systemClock } from '../src/platform/clock.js';
import { inTransaction, openDatabase, queryRows, type Database } from '../src/platform/db/client.js';
import { claimEffect, defineJob, startJobs, type Job, type JobRunner } from '../src/platform/jobs.js';
import { deliverOutbox } from '../src/platform/outbox/outbox.service.js';
import { customerJobs } from '../src/modules/customers/index.js';
import { runQualificationAlerts } from '../src/modules/customers/customers.service.js';
import { inventoryJobs } from '../src/modules/inventory/index.js';
import { notifyUsers } from '../src/platform/notifications/notifications.service.js';
import { addDays, createLot, receiveStock, today } from '../src/modules/inventory/inventory.service.js';
import { makeProduct, makeWarehouse, TEST_ACTOR } from '../src/modules/inventory/inventory.test-support.js';
import { scanExpiryAlerts } from '../src/modules/inventory/stock.reports.js';
import { engine, skipReason } from './helpers/db.js';
import { json, testApp, type TestApp } from './helpers/app.js';

const PERIOD = 1000;
const silent = { warn: () => undefined, info: () => undefined, error: () => undefined, debug: () => undefined } as unknown as FastifyBaseLogger;

let t: TestApp;
/** A second application instance on the same PostgreSQL database (its own pool), or the same handle on PGlite. */
let second: Database;
const runners: JobRunner[] = [];
// Period starts a day ahead of the database's clock, so that outbox messages queued now are due for the faked clock.
const base = Math.ceil((Date.now() + 86_400_000) / 3_600_000) * 3_600_000;
const clock = fixedClock(new Date(base));

let counted = 0;
const counter = defineJob({
  name: 'test.counter',
  label: { zh: '测试计数', en: 'Test counter' },
  everyMs: PERIOD,
  run: async () => {
    counted += 1;
    // Long enough for the other instance's tick to arrive while this run is under way.
    await new Promise((r) => setTimeout(r, 30));
  },
});

let gate: (() => void) | null = null;
const takeoverRuns: string[] = [];
const takeover = defineJob({
  name: 'test.takeover',
  label: { zh: '测试接管', en: 'Test takeover' },
  everyMs: PERIOD,
  run: async (ctx) => {
    takeoverRuns.push(`${ctx.instance}@${ctx.period}`);
    if (ctx.instance === 'a') await new Promise<void>((r) => (gate = r));
  },
});

const failing = defineJob({
  name: 'test.failing',
  label: { zh: '测试失败', en: 'Test failure' },
  everyMs: PERIOD,
  run: async () => {
    throw new Error('carrier unreachable');
  },
});

function start(database: Database, instance: string, jobs: Job[]): JobRunner {
  const r = startJobs(database, { log: silent, jobs, instance, timers: false });
  runners.push(r);
  return r;
}

beforeAll(async () => {
  t = await testApp();
  second = engine === 'postgres' ? await openDatabase({ databaseUrl: t.database.url, poolSize: 5 }) : t.database;
  setClock(clock);
});
afterEach(async () => {
  // A test that failed while a run hung at its gate must not leave it hanging (stop() waits for runs under way).
  gate?.();
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});
afterAll(async () => {
  setClock(systemClock);
  if (second && second !== t.database) await second.close();
  await t?.close();
});

const runsOf = (job: string) =>
  queryRows<{ period: number; instance: string; result: string; error: string | null; duration_ms: number | null }>(
    t.database.db,
    sql`select period::float8 as period, instance, result, error, duration_ms from job_runs where job = ${job} order by period`,
  );

describe('background jobs across instances', () => {
  it('runs each period of a job exactly once across two instances on one PostgreSQL database', async (ctx) => {
    if (engine !== 'postgres') return ctx.skip(skipReason('two instances need PostgreSQL (PGlite is one process)'));
    const a = start(t.database, 'a', [counter]);
    const b = start(second, 'b', [counter]);
    counted = 0;
    const first = Math.floor(clock.now().getTime() / PERIOD);
    for (let i = 0; i < 5; i++) {
      await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()]);
      // Ticks after the run, from an instance that found the lock taken, find the period claimed.
      await b.runDue();
      await a.runDue();
      expect(counted).toBe(i + 1);
      clock.advance(PERIOD);
    }
    const runs = await runsOf('test.counter');
    expect(runs.map((r) => r.period)).toEqual([first, first + 1, first + 2, first + 3, first + 4]);
    expect(runs.every((r) => r.result === 'ok' && (r.instance === 'a' || r.instance === 'b') && r.duration_ms !== null && r.duration_ms >= 25)).toBe(true);
  });

  it('lets the other instance take over within one period after the leader stops or loses its connection', async (ctx) => {
    if (engine !== 'postgres') return ctx.skip(skipReason('two instances need PostgreSQL (PGlite is one process)'));
    const a = start(t.database, 'a', [takeover]);
    const b = start(second, 'b', [takeover]);
    const p0 = Math.floor(clock.now().getTime() / PERIOD);
    // a claims the period and hangs in it, holding the job's lock.
    const hanging = a.runDue();
    // (A generous wait: under a loaded machine the run may take a while to reach its gate.)
    await expect.poll(() => gate !== null, { timeout: 30_000 }).toBe(true);
    await b.runDue();
    expect(takeoverRuns).toEqual([`a@${p0}`]);
    clock.advance(PERIOD);
    await b.runDue(); // the lock is still held: b waits rather than overlap a's run
    expect(takeoverRuns).toEqual([`a@${p0}`]);
    // a's process dies: its connection (and so its lock) goes away while the run is still under way.
    const heldElsewhere = sql`from pg_locks where locktype = 'advisory' and classid = 727004 and objid = hashtext('test.takeover')::oid and pid <> pg_backend_pid()`;
    await t.database.db.execute(sql`select pg_terminate_backend(pid) ${heldElsewhere}`);
    // pg_terminate_backend only signals the backend; the lock goes when that process has exited.
    await expect.poll(async () => (await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n ${heldElsewhere}`))[0]!.n, { timeout: 10_000 }).toBe(0);
    await b.runDue();
    expect(takeoverRuns).toEqual([`a@${p0}`, `b@${p0 + 1}`]);
    gate!();
    await hanging;
    // a stops: b runs the next periods alone, each once.
    await a.stop();
    clock.advance(PERIOD);
    await Promise.all([b.runDue(), b.runDue()]);
    expect(takeoverRuns).toEqual([`a@${p0}`, `b@${p0 + 1}`, `b@${p0 + 2}`]);
  });

  it('still runs jobs on one instance, once per period however often it ticks', async () => {
    const a = start(t.database, 'solo', [counter]);
    counted = 0;
    clock.advance(PERIOD * 10);
    await Promise.all([a.runDue(), a.runDue()]);
    await a.runDue();
    expect(counted).toBe(1);
    clock.advance(PERIOD);
    await a.runDue();
    expect(counted).toBe(2);
    const runs = await runsOf('test.counter');
    expect(runs.at(-1)).toMatchObject({ instance: 'solo', result: 'ok' });
  });

  it('marks a run whose instance died as failed (interrupted) once another instance holds the job', async () => {
    clock.advance(PERIOD);
    const p = Math.floor(clock.now().getTime() / PERIOD);
    await t.database.db.execute(
      sql`insert into job_runs (id, job, period, instance, started_at, result) values (gen_random_uuid(), 'test.counter', ${p - 3}, 'dead', now(), 'running')`,
    );
    const c = start(second, 'c', [counter]);
    await c.runDue();
    const runs = await runsOf('test.counter');
    expect(runs.find((r) => r.period === p - 3)).toMatchObject({ instance: 'dead', result: 'failed', error: 'interrupted' });
    expect(runs.at(-1)).toMatchObject({ period: p, instance: 'c', result: 'ok' });
  });

  it('records a failing job as failed with its error and notifies the administrators once a day', async () => {
    const admin = await t.loginAs(['admin']);
    const a = start(t.database, 'a', [failing]);
    const b = start(second, 'b', [failing]);
    for (let i = 0; i < 3; i++) {
      await Promise.all([a.runDue(), b.runDue()]);
      clock.advance(PERIOD);
    }
    const runs = await runsOf('test.failing');
    expect(runs).toHaveLength(3);
    expect(runs.every((r) => r.result === 'failed' && r.error === 'carrier unreachable')).toBe(true);
    await deliverOutbox(t.database.db, { clock, maxAttempts: 3 });
    const list = json<{ items: { title: string; link: string }[] }>(await t.app.inject({ url: '/api/notifications', headers: { cookie: admin.cookie, 'accept-language': 'en' } }));
    expect(list.items.filter((n) => n.title === 'Background job failed: Test failure')).toHaveLength(1);
    expect(list.items.find((n) => n.title.startsWith('Background job failed'))?.link).toBe('/admin/jobs');

    // The admin screen's API lists it with its last run; others may not read it.
    const jobs = json<{ items: { name: string; label: string; result: string | null; error: string | null; instance: string | null; nextRunAt: string }[] }>(
      await t.app.inject({ url: '/api/admin/jobs', headers: { cookie: admin.cookie, 'accept-language': 'en' } }),
    );
    const row = jobs.items.find((j) => j.name === 'test.failing');
    expect(row).toMatchObject({ label: 'Test failure', result: 'failed', error: 'carrier unreachable' });
    expect(['a', 'b']).toContain(row!.instance);
    expect(new Date(row!.nextRunAt).getTime()).toBe(clock.now().getTime());
    expect(jobs.items.map((j) => j.name)).toEqual(expect.arrayContaining(['outbox', 'audit-seal', 'inventory.expiry-alerts', 'customers.qualification-alerts']));
    const sales = await t.loginAs(['sales']);
    expect((await t.app.inject({ url: '/api/admin/jobs', headers: { cookie: sales.cookie } })).statusCode).toBe(403);
  });
});

describe('job effects', () => {
  async function expiringLot(): Promise<{ lotId: string; lotCode: string }> {
    const productId = await makeProduct(t.database.db);
    const { locations } = await makeWarehouse(t.database.db);
    return inTransaction(t.database.db, async (db) => {
      const lot = await createLot(db, TEST_ACTOR, {
        productId,
        productionDate: addDays(today(), -1),
        expiryDate: addDays(today(), 2),
        qualityStatus: 'released',
        sourceType: 'receipt',
      });
      await receiveStock(db, TEST_ACTOR, { lotId: lot.id, locationId: locations[0]!.id, quantity: '5', unit: 'kg' });
      return { lotId: lot.id, lotCode: lot.lotCode };
    });
  }
  const alertsFor = async (cookie: string, lotCode: string) =>
    json<{ items: { title: string }[] }>(await t.app.inject({ url: '/api/notifications?pageSize=100', headers: { cookie, 'accept-language': 'en' } })).items.filter(
      (n) => n.title === `Lot near expiry: ${lotCode}`,
    ).length;

  it('claims an effect once per subject and period key', async () => {
    expect(await claimEffect(t.database.db, 'test.effects', 'doc-1', '2026-12-07')).toBe(true);
    expect(await claimEffect(t.database.db, 'test.effects', 'doc-1', '2026-12-07')).toBe(false);
    expect(await claimEffect(t.database.db, 'test.effects', 'doc-1', '2026-12-08')).toBe(true);
    expect(await claimEffect(t.database.db, 'test.other', 'doc-1', '2026-12-07')).toBe(true);
  });

  it('sends the expiry alert of one lot to its users once when two instances run the job', async () => {
    const keeper = await t.loginAs(['warehouse']);
    const { lotCode } = await expiringLot();
    const a = start(t.database, 'a', inventoryJobs);
    const b = start(second, 'b', inventoryJobs);
    await Promise.all([a.runDue(), b.runDue()]);
    clock.advance(3_600_000);
    await Promise.all([a.runDue(), b.runDue()]);
    await deliverOutbox(t.database.db, { clock, maxAttempts: 3 });
    expect(await alertsFor(keeper.cookie, lotCode)).toBe(1);
  });

  it('sends the expiry alert of one lot once even when two runs overlap', async (ctx) => {
    if (engine !== 'postgres') return ctx.skip(skipReason('overlapping transactions need PostgreSQL (PGlite runs one at a time)'));
    const keeper = await t.loginAs(['warehouse']);
    const { lotCode } = await expiringLot();
    // Both runs have read the lot as not yet alerted before either claims it.
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    const run = (database: Database) =>
      inTransaction(database.db, (tx) =>
        scanExpiryAlerts(tx, async (subject, key) => {
          arrived += 1;
          if (arrived === 2) release();
          await bothRead;
          return claimEffect(tx, 'inventory.expiry-alerts', subject, key);
        }),
      );
    const results = await Promise.all([run(t.database), run(second)]);
    expect(results.map((r) => r.nearExpiry).sort()).toEqual([0, 1]);
    await deliverOutbox(t.database.db, { clock, maxAttempts: 3 });
    expect(await alertsFor(keeper.cookie, lotCode)).toBe(1);
  });

  async function expiringQualification(): Promise<void> {
    const sales = await t.loginAs(['sales']);
    const customer = json<{ id: string }>(
      await t.app.inject({
        method: 'POST',
        url: '/api/customers',
        headers: { cookie: sales.cookie },
        payload: { name: `资质客户${Math.random()}`.slice(0, 12), kind: 'individual' },
      }),
    );
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/customers/${customer.id}/qualifications`,
      headers: { cookie: sales.cookie },
      payload: { type: 'food_permit', number: `JY${Date.now()}`, issuedOn: addDays(today(), -300), expiresOn: addDays(today(), 5) },
    });
    expect(res.statusCode, res.body).toBe(201);
  }
  const remindersFor = async (cookie: string) =>
    json<{ items: { title: string }[] }>(await t.app.inject({ url: '/api/notifications?pageSize=100', headers: { cookie, 'accept-language': 'en' } })).items.filter((n) =>
      n.title.startsWith('Customer qualification expiring'),
    ).length;

  it('sends a qualification reminder to its users once when two instances run the job', async () => {
    const manager = await t.loginAs(['manager']);
    await expiringQualification();
    const a = start(t.database, 'a', customerJobs);
    const b = start(second, 'b', customerJobs);
    await Promise.all([a.runDue(), b.runDue()]);
    clock.advance(3_600_000);
    await Promise.all([a.runDue(), b.runDue()]);
    await deliverOutbox(t.database.db, { clock, maxAttempts: 3 });
    expect(await remindersFor(manager.cookie)).toBe(1);
  });

  it('sends a qualification reminder once even when two runs overlap', async (ctx) => {
    if (engine !== 'postgres') return ctx.skip(skipReason('overlapping transactions need PostgreSQL (PGlite runs one at a time)'));
    const manager = await t.loginAs(['manager']);
    await expiringQualification();
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    const run = (database: Database) =>
      inTransaction(database.db, (tx) =>
        runQualificationAlerts(tx, notifyUsers, async (subject, key) => {
          arrived += 1;
          if (arrived === 2) release();
          await bothRead;
          return claimEffect(tx, 'customers.qualification-alerts', subject, key);
        }),
      );
    expect((await Promise.all([run(t.database), run(second)])).sort()).toEqual([0, 1]);
    await deliverOutbox(t.database.db, { clock, maxAttempts: 3 });
    expect(await remindersFor(manager.cookie)).toBe(1);
  });
});
