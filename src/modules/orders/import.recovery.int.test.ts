import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { skipReason } from '../../../test/helpers/db.js';
import { queryRows } from '../../platform/db/client.js';
import { INSTANCE_ID, presenceName } from '../../platform/db/presence.js';
import { endInterruptedImports } from './import.recovery.js';
import { orderImportJobs } from './orders.tables.js';

let t: TestApp;
let sales: { cookie: string; userId: string };
beforeAll(async () => {
  t = await testApp();
  sales = await t.loginAs(['sales']);
});
afterAll(async () => t?.close());

/** An import job row as a process leaves it while it works: running, 40 of 100 rows processed. */
async function runningImport(claimedBy: string | null): Promise<string> {
  const [row] = await t.database.db
    .insert(orderImportJobs)
    .values({ fileName: 'orders.xlsx', fileHash: 'h', mode: 'submit', status: 'running', total: 100, processed: 40, created: 12, claimedBy, createdBy: sales.userId })
    .returning({ id: orderImportJobs.id });
  return row!.id;
}
const jobOf = async (id: string, locale: string) => {
  const res = await t.app.inject({ url: `/api/orders/imports/${id}`, headers: { cookie: sales.cookie, 'accept-language': locale } });
  expect(res.statusCode).toBe(200);
  return json<{ status: string; processed: number; created: number; total: number; error: string | null; finishedAt: string | null }>(res);
};

describe('Excel imports after a crash', () => {
  it('an import whose process is gone is ended as failed with its progress kept and a message in the user language, once, audited', async () => {
    const dead = await runningImport(crypto.randomUUID());
    const mine = await runningImport(INSTANCE_ID);
    expect(await endInterruptedImports(t.database.db, t.database.kind)).toContain(dead);
    const zh = await jobOf(dead, 'zh-CN');
    expect(zh).toMatchObject({ status: 'failed', processed: 40, created: 12, total: 100 });
    expect(zh.finishedAt).not.toBeNull();
    expect(zh.error).toContain('已处理 40/100 行');
    expect((await jobOf(dead, 'en-US')).error).toContain('40 of 100 rows processed');
    // This process's own import is still being worked on.
    expect((await jobOf(mine, 'zh-CN')).status).toBe('running');
    // A second pass (another tick, another instance) ends nothing again.
    expect(await endInterruptedImports(t.database.db, t.database.kind)).not.toContain(dead);
    const audits = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from audit_log where action = 'order.import.interrupted' and entity_id = ${dead}`);
    expect(audits[0]!.n).toBe(1);
  });

  it('an import of another instance that is alive keeps running (PostgreSQL)', async (ctx) => {
    if (t.database.engine !== 'postgres') return ctx.skip(skipReason('another live instance needs PostgreSQL (PGlite is one process)'));
    const other = crypto.randomUUID();
    const presence = new pg.Client({ connectionString: t.database.url!, application_name: presenceName(other) });
    await presence.connect();
    try {
      const id = await runningImport(other);
      expect(await endInterruptedImports(t.database.db, t.database.kind)).not.toContain(id);
      expect((await jobOf(id, 'zh-CN')).status).toBe('running');
    } finally {
      await presence.end();
    }
  });
});
