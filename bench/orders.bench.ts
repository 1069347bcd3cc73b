// Orders benchmarks (issue 4).
//  - `orders`: the full path of one order of 3 lines over HTTP — POST /api/orders with `submit: true` (completeness
//    check, review engine, automatic approval, FEFO reservation of 3 lines; at 16 clients also as two requests, create
//    then POST /api/orders/:id/submit) — at 8/16/32 clients on
//    PostgreSQL and PGlite, next to a same-run baseline of bare SQL transactions doing the same writes (order, 3 lines,
//    3 reservations with the balance rows locked) through the same driver.
//  - `orders-list`: listOrders() with BENCH_ORDERS (1 000 000) orders on PostgreSQL; p95 per
//    documented filter. The data comes from generateOrders() in bench/data.ts (`npm run bench:data -- --orders N`).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { SYSTEM_ACTOR, type Actor } from '../src/platform/auth/actor.js';
import { createPiiCipher, initPii } from '../src/platform/crypto/pii.js';
import { openDatabase, pgliteExtensions, runMigrations } from '../src/platform/db/client.js';
import { listOrders, type OrderFilter } from '../src/modules/orders/orders.service.js';
import { bareReserve, rawPg, rawPglite, type RawTx } from './inventory.bench.js';
import { generateOrders } from './data.js';
import { closedLoop, createPgDatabase, httpClient, printMd, startAgri, timeMany, type LoopResult, type MdRow } from './lib.js';
import type { BenchContext } from './registry.js';
import { addDaysIso, buildWorld, loginAdmin, orderBody, type World } from './world.js';

const LEVELS = (process.env.BENCH_LEVELS ?? '8,16,32').split(',').map(Number);
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',').filter((e): e is 'pglite' | 'postgres' => e === 'pglite' || e === 'postgres');
const env = (k: string, d: number) => Number(process.env[k] ?? d);

/** The writes of one approved order in bare SQL: the order, its 3 lines, one reservation per line. */
async function bareOrder(q: Parameters<Parameters<RawTx>[0]>[0], world: World, n: number, tag: string): Promise<void> {
  const id = uuidv7();
  const body = orderBody(world.customers[n % world.customers.length]!, world.products, n) as { customerId: string; lines: { productId: string; quantity: string; unit: string }[] };
  await q(
    `insert into orders (id, number, customer_id, customer_code, customer_name, delivery_date, channel, status, total_fen, created_at, updated_at)
     values ($1, $2, $3, 'C', 'bench', $4, 'phone', 'approved', 12345, now(), now())`,
    [id, `${tag}-${n}`, body.customerId, addDaysIso(14)],
  );
  for (const [i, l] of body.lines.entries()) {
    const base = l.unit === '箱' ? String(Number(l.quantity) * 10) : l.quantity;
    await q(
      `insert into order_lines (id, order_id, line_no, product_id, quantity, unit, base_quantity, unit_price_fen, amount_fen, order_created_at) values ($1, $2, $3, $4, $5, $6, $7, 1000, 1000, now())`,
      [uuidv7(), id, i + 1, l.productId, l.quantity, l.unit, base],
    );
    await bareReserve(q, l.productId, base, 'order', id, addDaysIso(14));
  }
}

function row(scenario: string, engine: string, clients: number, r: LoopResult, base?: LoopResult): MdRow {
  return {
    scenario,
    engine,
    clients,
    'orders/s': r.perSecond,
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    errors: r.errors,
    'vs baseline': base ? `${Math.round((r.perSecond / base.perSecond) * 100)} %` : 'baseline',
  };
}

export async function ordersBench({ seconds, pgUrl }: BenchContext): Promise<void> {
  const rows: MdRow[] = [];
  for (const engine of ENGINES) {
    const pgdb = engine === 'postgres' ? await createPgDatabase(pgUrl, 'ord') : null;
    try {
      const srv = await startAgri(engine, 3921, pgdb?.url, { keepDataDir: true });
      const c = httpClient(srv.url, 64);
      try {
        await loginAdmin(c);
        const world = await buildWorld(c, { products: env('BENCH_PRODUCTS', 30), customers: env('BENCH_CUSTOMERS', 20), stockKgPerLot: '90000000', approveFirstOrder: true });
        const http: Record<number, LoopResult> = {};
        const twoStep: Record<number, LoopResult> = {};
        let seq = 0;
        const body = (k: number) => orderBody(world.customers[k % world.customers.length]!, world.products, k);
        for (const n of LEVELS) {
          // One request: create and submit (`submit: true`), as the order entry screen's "submit" and API clients do.
          http[n] = await closedLoop(n, seconds, async () => {
            const o = await c.call<{ id: string; status: string }>('POST', '/api/orders', { ...body(seq++), submit: true }, 201);
            if (o.status !== 'approved') throw new Error(`order ${o.id} ended ${o.status}`);
          });
          if (http[n]!.firstError) console.log(`(http ${engine} ${n}: ${http[n]!.firstError})`);
          if (n !== 16 || process.env.BENCH_TWO_STEP === '0') continue;
          // Two requests: save a draft, then submit it.
          twoStep[n] = await closedLoop(n, seconds, async () => {
            const o = await c.call<{ id: string }>('POST', '/api/orders', body(seq++), 201);
            const s = await c.call<{ status: string }>('POST', `/api/orders/${o.id}/submit`, {});
            if (s.status !== 'approved') throw new Error(`order ${o.id} ended ${s.status}`);
          });
        }
        await srv.stop();
        let raw: RawTx;
        let close: () => Promise<void>;
        if (engine === 'postgres') {
          const pool = new pg.Pool({ connectionString: pgdb!.url, max: 32 });
          pool.on('error', () => undefined); // the database is dropped with (force) after an error
          raw = rawPg(pool);
          close = () => pool.end();
        } else {
          const client = new PGlite(path.join(srv.dataDir, 'pgdata'), { extensions: pgliteExtensions });
          await client.waitReady;
          raw = rawPglite(client);
          close = () => client.close();
        }
        let b = 0;
        for (const n of LEVELS) {
          const base = await closedLoop(n, seconds, () => raw((q) => bareOrder(q, world, b++, `B${n}`)));
          if (base.firstError) console.log(`(baseline ${engine} ${n}: ${base.firstError})`);
          rows.push(row('bare SQL: order + 3 lines + 3 reservations (baseline)', engine, n, base));
          rows.push(row('HTTP: POST /api/orders {submit: true} → review → approve → reserve', engine, n, http[n]!, base));
          if (twoStep[n]) rows.push(row('HTTP, two requests: POST /api/orders, then POST …/submit', engine, n, twoStep[n], base));
        }
        await close();
      } finally {
        c.close();
        await srv.stop().catch(() => undefined);
        fs.rmSync(srv.dataDir, { recursive: true, force: true });
      }
    } finally {
      await pgdb?.drop();
    }
  }
  console.log('One operation = one order of 3 lines (kg and 箱) for a customer with history, approved automatically with stock reserved FEFO.\n');
  printMd(rows);
}

export async function listBench({ pgUrl }: BenchContext): Promise<void> {
  // The keyword filter asks the customers module, which reads the encrypted phone index.
  initPii(createPiiCipher(crypto.createHash('sha256').update('bench').digest()));
  const rows: MdRow[] = [];
  const actor: Actor = { ...SYSTEM_ACTOR, roles: ['manager'] };
  // bench/data.ts generates with multi-statement SQL that only PostgreSQL accepts; PGlite is measured by the e2e and int tests.
  for (const engine of ['postgres'] as const) {
    const n = env('BENCH_ORDERS', 1_000_000);
    const pgdb = engine === 'postgres' ? await createPgDatabase(pgUrl, 'ordl') : null;
    const database = await openDatabase(pgdb ? { databaseUrl: pgdb.url, poolSize: 4 } : { memory: true });
    try {
      await runMigrations(database, pgdb?.url);
      const t0 = performance.now();
      await generateOrders(database.db, n);
      const count = (await database.db.execute(sql`select count(*)::int as n from orders`)) as unknown as { rows: { n: number }[] };
      console.log(`(${engine}: ${count.rows[0]!.n} orders generated in ${Math.round((performance.now() - t0) / 1000)} s)`);
      // A typical customer (median order count), owner and product.
      const pick = (await database.db.execute(
        sql`select (select customer_id from (select customer_id, count(*) n from orders group by 1 order by 2 desc offset 50 limit 1) x) as customer_id,
                   (select sales_owner_id from orders where sales_owner_id is not null limit 1) as sales_owner_id,
                   (select product_id from order_lines limit 1) as product_id`,
      )) as unknown as {
        rows: { customer_id: string; sales_owner_id: string; product_id: string }[];
      };
      const p = pick.rows[0]!;
      const month = addDaysIso(-40).slice(0, 8);
      const filters: [string, Partial<OrderFilter>][] = [
        ['newest first (no filter)', {}],
        ['status = in_review', { status: 'in_review' }],
        ['status = completed', { status: 'completed' }],
        ['customer', { customerId: p.customer_id }],
        ['sales owner', { ownerId: p.sales_owner_id }],
        ['product', { productId: p.product_id }],
        ['created in one month', { from: `${month}01`, to: `${month}28` }],
        ['delivery date range (1 week)', { deliveryFrom: addDaysIso(-30), deliveryTo: addDaysIso(-23) }],
        ['keyword: number prefix', { q: 'SO2026' }],
        ['keyword: customer name', { q: '鲜丰' }],
        ['customer + status', { customerId: p.customer_id, status: 'completed' }],
      ];
      for (const [name, f] of filters) {
        const t = await timeMany(30, () => listOrders(database.db, actor, { page: 1, pageSize: 20, ...f }));
        rows.push({ filter: name, engine, orders: n, 'p50 ms': t.p50, 'p95 ms': t.p95, 'max ms': t.max });
        console.log(`(${name}: p95 ${t.p95} ms)`);
      }
    } finally {
      await database.close();
      await pgdb?.drop();
    }
  }
  printMd(rows);
}
