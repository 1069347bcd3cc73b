// MPS benchmark (issue 16), PostgreSQL: 1 000 products × 52 weeks with ≥ 100 000 open order lines, a forecast for every
// product and week (52 000 rows) and 5 000 open plans. Budget: the MPS computes in ≤ 2 s.
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, runMigrations } from '../src/platform/db/client.js';
import { mps } from '../src/modules/planning/index.js';
import { generateOrders } from './data.js';
import { createPgDatabase, ms, printMd, timeMany } from './lib.js';
import type { BenchContext } from './registry.js';

const env = (k: string, d: number) => Number(process.env[k] ?? d);

export async function mpsBench(ctx: BenchContext): Promise<void> {
  const orders = env('BENCH_MPS_ORDERS', 34_000);
  const pg = await createPgDatabase(ctx.pgUrl, 'mps');
  const database = await openDatabase({ databaseUrl: pg.url });
  try {
    await runMigrations(database, pg.url);
    const db = database.db;
    console.log(`generating ${orders} orders over 1 000 products …`);
    await generateOrders(db, { orders, customers: Math.round(orders / 50), owners: 30, products: 1000 }, console.log);
    // Every order open and due within the next 52 weeks, so all its lines count as demand.
    await db.execute(sql.raw(`update orders set status = 'approved', delivery_date = current_date + (abs(hashtext(id::text)) % 364)`));
    await db.execute(
      sql.raw(`insert into planning_forecasts (id, product_id, week_start, quantity)
       select bench_uuid7(now()), p.id, date_trunc('week', current_date)::date + 7 * w, 10 + (p.n + w) % 90 from bench_p p, generate_series(0, 51) w`),
    );
    await db.execute(
      sql.raw(`insert into planning_plans (id, code, product_id, quantity, delivery_date, status, created_by)
       select bench_uuid7(now()), 'PPB' || g, p.id, 100 + g % 400, current_date + g % 364, 'confirmed', 'bench' from generate_series(1, 5000) g join bench_p p on p.n = g % 1000`),
    );
    await db.execute(sql.raw('analyze'));
    const [row] = await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from order_lines`));
    const n = row?.n ?? 0;
    const first = await mps(db, { weeks: 52, page: 1, pageSize: 50 });
    const t = await timeMany(env('BENCH_MPS_RUNS', 10), () => mps(db, { weeks: 52, page: 1, pageSize: 50 }));
    printMd([
      {
        scenario: 'MPS 1 000 products × 52 weeks',
        orderLines: n,
        products: first.total,
        p50ms: ms(t.p50),
        p95ms: ms(t.p95),
        maxms: ms(t.max),
        budgetMs: 2000,
        ok: t.p95 <= 2000 ? 'yes' : 'NO',
      },
    ]);
  } finally {
    await database.close();
    await pg.drop();
  }
}
