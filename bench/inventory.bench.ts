// Inventory benchmarks (issue 3).
//  - `inventory`: POST /api/inventory/reservations (one FEFO line) at 8/16/32 clients on PostgreSQL and PGlite, next to
//    a same-run baseline of bare SQL transactions doing the same writes through the same driver (lock the product's
//    candidate balance rows FOR UPDATE, insert the reservation, update reserved) and to reserve() called in-process.
//  - `inventory-overview`: the stock overview service with 100k lots and 1M ledger rows (set-based SQL); p95 per view.
//    Sizes: BENCH_LOTS (100000), BENCH_LEDGER_PER_LOT (10); PGlite uses BENCH_PGLITE_LOTS (20000).
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzleEmbedded } from '../src/platform/db/embedded.js';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { SYSTEM_ACTOR } from '../src/platform/auth/actor.js';
import { inTransaction, openDatabase, pgliteExtensions, runMigrations, type Db } from '../src/platform/db/client.js';
import { reserve } from '../src/modules/inventory/index.js';
import { stockOverview, type OverviewFilter } from '../src/modules/inventory/stock.reports.js';
import { closedLoop, createPgDatabase, httpClient, printMd, startAgri, timeMany, type LoopResult, type MdRow } from './lib.js';
import type { BenchContext } from './registry.js';
import { addDaysIso, buildWorld, loginAdmin } from './world.js';

export const LEVELS = (process.env.BENCH_LEVELS ?? '8,16,32').split(',').map(Number);
const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',').filter((e): e is 'pglite' | 'postgres' => e === 'pglite' || e === 'postgres');
const env = (k: string, d: number) => Number(process.env[k] ?? d);

/** A SQL runner over the raw driver: pg.Pool (one connection per transaction) or the PGlite client (one session, queued). */
export type RawTx = (fn: (q: (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>) => Promise<void>) => Promise<void>;

export function rawPg(pool: pg.Pool): RawTx {
  // Retries deadlocks and serialization failures a few times, as the application's inTransaction() does.
  return async (fn) => {
    for (let attempt = 1; ; attempt++) {
      const c = await pool.connect();
      try {
        await c.query('begin');
        await fn((t, p) => c.query(t, p));
        await c.query('commit');
        return;
      } catch (err) {
        await c.query('rollback').catch(() => undefined);
        const code = (err as { code?: string }).code;
        if (attempt >= 5 || (code !== '40P01' && code !== '40001')) throw err;
      } finally {
        c.release();
      }
    }
  };
}

export function rawPglite(client: PGlite): RawTx {
  return (fn) => client.transaction(async (tx) => fn((t, p) => tx.query<Record<string, unknown>>(t, p)));
}

/** The writes of one reservation, in bare SQL: lock the FEFO candidates, insert the reservation, update reserved. */
export async function bareReserve(q: Parameters<Parameters<RawTx>[0]>[0], productId: string, quantity: string, refType: string, refId: string, onDate: string): Promise<void> {
  const c = await q(
    `select b.lot_id, b.location_id from stock_balances b join lots l on l.id = b.lot_id
     where b.product_id = $1 and l.quality_status = 'released' and l.expiry_date >= $2::date
     order by l.expiry_date, l.production_date, b.lot_id, b.location_id for update of b`,
    [productId, onDate],
  );
  const first = c.rows[0]!;
  await q(
    `insert into reservations (id, ref_type, ref_id, product_id, lot_id, location_id, quantity, original_quantity, status, created_by) values ($1, $2, $3, $4, $5, $6, $7, $7, 'active', 'bench')`,
    [uuidv7(), refType, refId, productId, first.lot_id, first.location_id, quantity],
  );
  await q(`update stock_balances set reserved = reserved + $1::numeric, updated_at = now() where lot_id = $2 and location_id = $3`, [quantity, first.lot_id, first.location_id]);
}

function row(scenario: string, engine: string, clients: number, r: LoopResult, base?: LoopResult): MdRow {
  return {
    scenario,
    engine,
    clients,
    'ops/s': r.perSecond,
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    errors: r.errors,
    'vs baseline': base ? `${Math.round((r.perSecond / base.perSecond) * 100)} %` : 'baseline',
  };
}

export async function inventoryBench({ seconds, pgUrl }: BenchContext): Promise<void> {
  const rows: MdRow[] = [];
  const products = env('BENCH_PRODUCTS', 50);
  for (const engine of ENGINES) {
    const pgdb = engine === 'postgres' ? await createPgDatabase(pgUrl, 'inv') : null;
    try {
      const srv = await startAgri(engine, 3911, pgdb?.url, { keepDataDir: true });
      const c = httpClient(srv.url, 64);
      let world;
      try {
        await loginAdmin(c);
        world = await buildWorld(c, { products, customers: 0, stockKgPerLot: '90000000', approveFirstOrder: false });
        const pids = world.products.map((p) => p.id);
        const http: Record<number, LoopResult> = {};
        for (const n of LEVELS) {
          http[n] = await closedLoop(n, seconds, (w, i) =>
            c.call(
              'POST',
              '/api/inventory/reservations',
              { refType: 'bench', refId: `h${n}-${w}-${i}`, lines: [{ productId: pids[(w * 31 + i) % pids.length]!, quantity: '1', unit: 'kg' }] },
              201,
            ),
          );
          if (http[n]!.firstError) console.log(`(http ${engine} ${n}: ${http[n]!.firstError})`);
        }
        await srv.stop();
        // Same driver, in this process: bare SQL, then the service itself (no HTTP).
        const onDate = addDaysIso(0);
        let raw: RawTx;
        let db: Db;
        let close: () => Promise<void>;
        if (engine === 'postgres') {
          const pool = new pg.Pool({ connectionString: pgdb!.url, max: 32 });
          pool.on('error', () => undefined); // the database is dropped with (force) after an error
          raw = rawPg(pool);
          db = drizzlePg({ client: pool }) as unknown as Db;
          close = () => pool.end();
        } else {
          const client = new PGlite(path.join(srv.dataDir, 'pgdata'), { extensions: pgliteExtensions });
          await client.waitReady;
          raw = rawPglite(client);
          db = drizzleEmbedded(client) as unknown as Db;
          close = () => client.close();
        }
        for (const n of LEVELS) {
          const base = await closedLoop(n, seconds, (w, i) => raw((q) => bareReserve(q, pids[(w * 31 + i) % pids.length]!, '1.000', 'bench', `b${n}-${w}-${i}`, onDate)));
          if (base.firstError) console.log(`(baseline ${engine} ${n}: ${base.firstError})`);
          const svc = await closedLoop(n, seconds, (w, i) =>
            inTransaction(db, (tx) => reserve(tx, SYSTEM_ACTOR, { refType: 'bench', refId: `s${n}-${w}-${i}`, productId: pids[(w * 31 + i) % pids.length]!, quantity: '1' })).then(
              () => undefined,
            ),
          );
          if (svc.firstError) console.log(`(service ${engine} ${n}: ${svc.firstError})`);
          rows.push(row('bare SQL transaction (baseline)', engine, n, base));
          rows.push(row('reserve() in-process', engine, n, svc, base));
          rows.push(row('POST /api/inventory/reservations', engine, n, http[n]!, base));
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
  console.log(`${products} products × 3 released lots in one bin; each operation reserves 1 kg of a product picked round-robin per client.\n`);
  printMd(rows);
}

// ---------------------------------------------------------------- stock overview

/** Set-based: products, 5 warehouses × 20 bins, `lots` lots (one balance row each), `perLot` ledger legs per lot. */
export async function generateStock(db: Db, lots: number, perLot: number): Promise<void> {
  const run = (q: string) => db.execute(sql.raw(q));
  await run(`create or replace function bench_uuid7(t timestamptz) returns uuid language sql volatile as $$
    select (lpad(to_hex((extract(epoch from t) * 1000)::bigint), 12, '0') || '7' || substr(md5(random()::text), 1, 3) || '8' || substr(md5(random()::text), 1, 15))::uuid $$`);
  await run(`insert into products (id, code, name, kind, category, base_unit, shelf_life_days, temp_profile)
    select bench_uuid7(now()), 'SKU' || lpad(g::text, 4, '0'), (array['苹果','柑橘','梨','葡萄','番茄','黄瓜','生菜','土豆','白菜','菠菜'])[1 + g % 10] || g || '号',
           'produce', (array['水果','蔬菜','菌菇','根茎'])[1 + g % 4], 'kg', 30 + (g % 10) * 30, (array['chilled','ambient','cool'])[1 + g % 3]
    from generate_series(1, 500) g`);
  await run(`insert into warehouses (id, code, name, temp_zones) select bench_uuid7(now()), 'WH' || g, '仓库' || g, '{chilled,ambient}' from generate_series(1, 5) g`);
  await run(`insert into locations (id, warehouse_id, code, zone)
    select bench_uuid7(now()), w.id, 'B-' || lpad(g::text, 2, '0'), (array['chilled','ambient','cool','frozen'])[1 + g % 4] from warehouses w, generate_series(1, 20) g`);
  await run('drop table if exists bench_p');
  await run(`create unlogged table bench_p as select row_number() over (order by code) - 1 as n, id from products`);
  await run('drop table if exists bench_l');
  await run(`create unlogged table bench_l as select row_number() over (order by id) - 1 as n, id, warehouse_id from locations`);
  await run(`insert into lots (id, product_id, lot_code, production_date, expiry_date, quality_status, source_type, created_by)
    select bench_uuid7(now() - (g % 180) * interval '1 day'), p.id, 'L' || lpad(g::text, 7, '0'), current_date - (g % 180), current_date - (g % 180) + 20 + (g % 200),
           case when g % 100 < 90 then 'released' when g % 100 < 95 then 'quarantined' when g % 100 < 98 then 'on_hold' else 'rejected' end, 'receipt', 'bench'
    from generate_series(1, ${lots}) g join bench_p p on p.n = g % 500`);
  await run('drop table if exists bench_lot');
  await run(`create unlogged table bench_lot as select row_number() over (order by lot_code) as g, id, product_id from lots`);
  await run(`insert into stock_balances (product_id, lot_id, location_id, warehouse_id, on_hand, reserved)
    select t.product_id, t.id, l.id, l.warehouse_id, case when t.g % 5 = 0 then 0 else 1000 - ${perLot - 1} * 50 end, case when t.g % 10 = 1 then 100 else 0 end
    from bench_lot t join bench_l l on l.n = t.g % 100`);
  await run(`insert into stock_ledger (id, movement_id, kind, at, product_id, lot_id, location_id, warehouse_id, quantity, unit, entered_quantity, entered_unit, user_name)
    select bench_uuid7(now()), gen_random_uuid(), case when k = 0 then 'receipt' else 'issue' end, now() - (t.g % 180) * interval '1 day' + k * interval '1 hour',
           t.product_id, t.id, l.id, l.warehouse_id, case when k = 0 then 1000 else -50 end, 'kg', case when k = 0 then 1000 else 50 end, 'kg', 'bench'
    from bench_lot t join bench_l l on l.n = t.g % 100, generate_series(0, ${perLot - 1}) k`);
  await run('analyze');
}

const VIEWS: [string, Omit<OverviewFilter, 'page' | 'pageSize'>][] = [
  ['by product', { by: 'product' }],
  ['by lot', { by: 'lot' }],
  ['by location', { by: 'location' }],
  ['by lot, one warehouse', { by: 'lot', warehouseId: '' }],
  ['by lot, expiring within 7 days', { by: 'lot', expiringWithinDays: 7 }],
  ['by lot, on hold', { by: 'lot', lotStatus: 'on_hold' }],
  ['by lot, keyword (lot code)', { by: 'lot', q: 'L00012' }],
  ['by product, category', { by: 'product', category: '水果' }],
];

export async function overviewBench({ pgUrl }: BenchContext): Promise<void> {
  const rows: MdRow[] = [];
  const perLot = env('BENCH_LEDGER_PER_LOT', 10);
  for (const engine of ['postgres', 'pglite'] as const) {
    const lots = engine === 'postgres' ? env('BENCH_LOTS', 100_000) : env('BENCH_PGLITE_LOTS', 20_000);
    const pgdb = engine === 'postgres' ? await createPgDatabase(pgUrl, 'ovw') : null;
    const database = await openDatabase(pgdb ? { databaseUrl: pgdb.url, poolSize: 4 } : { memory: true });
    try {
      await runMigrations(database, pgdb?.url);
      const t0 = performance.now();
      await generateStock(database.db, lots, perLot);
      console.log(`(${engine}: ${lots} lots, ${lots * perLot} ledger rows, ${lots} balances generated in ${Math.round((performance.now() - t0) / 1000)} s)`);
      const wh = (await database.db.execute(sql`select id from warehouses order by code limit 1`)) as unknown as { rows: { id: string }[] };
      for (const [name, f] of VIEWS) {
        const filter = { ...f, ...(f.warehouseId !== undefined ? { warehouseId: wh.rows[0]!.id } : {}), page: 1, pageSize: 20 } as OverviewFilter;
        const t = await timeMany(engine === 'postgres' ? 30 : 10, () => stockOverview(database.db, filter));
        rows.push({
          view: name,
          engine,
          lots,
          'ledger rows': lots * perLot,
          'p50 ms': t.p50,
          'p95 ms': t.p95,
          'max ms': t.max,
          'budget p95 ≤ 100 ms': t.p95 <= 100 ? 'met' : `missed (${Math.round(t.p95 / 100)}×)`,
        });
      }
    } finally {
      await database.close();
      await pgdb?.drop();
    }
  }
  console.log('stockOverview() called in-process (page 1, 20 rows, with its total count).\n');
  printMd(rows);
}
