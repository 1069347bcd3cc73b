// `npm run bench:data -- --orders 1000000 (--database <url> | --fresh)`: a year of seasonal, regional orders for
// many customers, written with set-based SQL (INSERT … SELECT generate_series) into a migrated PostgreSQL database.
// --fresh creates a new database next to BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) and
// prints its URL; drop it when done. The orders list bench calls generateOrders() itself.
import { sql } from 'drizzle-orm';
import { openDatabase, runMigrations, type Db } from '../src/platform/db/client.js';
import { createPgDatabase } from './lib.js';

const run = (db: Db, q: string) => db.execute(sql.raw(q));

export async function benchUuidFunction(db: Db): Promise<void> {
  // Time-ordered like the application's UUIDv7, so primary-key indexes grow the same way.
  await run(
    db,
    `create or replace function bench_uuid7(t timestamptz) returns uuid language sql volatile as $$
      select (lpad(to_hex((extract(epoch from t) * 1000)::bigint), 12, '0') || '7' || substr(md5(random()::text), 1, 3) || '8' || substr(md5(random()::text), 1, 15))::uuid $$`,
  );
}

// Districts (GB/T 2260) of the cities a fresh-produce distributor in East China serves, most orders from Shanghai.
const REGIONS = [
  '310101',
  '310104',
  '310105',
  '310106',
  '310107',
  '310109',
  '310110',
  '310112',
  '310113',
  '310115',
  '310116',
  '310117',
  '310118',
  '310120',
  '310151',
  '320102',
  '320104',
  '320105',
  '320106',
  '320111',
  '320114',
  '320505',
  '320506',
  '320508',
  '330102',
  '330105',
  '330106',
  '330108',
  '330109',
  '330110',
  '330203',
  '330205',
  '340102',
  '340103',
  '340104',
  '340111',
  '320205',
  '320206',
  '320211',
  '330402',
];
const CITY = ['沪', '申', '苏', '杭', '宁', '锡', '甬', '嘉', '合', '浦'];
const WORD = ['鲜丰', '果源', '绿野', '农谷', '禾丰', '惠民', '优选', '百果', '鲜达', '乐购', '永辉', '盒鲜', '联华', '华联', '叮咚', '美团', '食行', '易果', '本来', '多多'];
const KIND = ['生鲜超市', '餐饮管理', '商贸', '食品', '果业', '农产品', '配送', '酒店管理'];

export type OrdersDataSize = { orders: number; customers: number; owners: number; products: number };

export function sizesFor(orders: number): OrdersDataSize {
  return { orders, customers: Math.max(50, Math.round(orders / 50)), owners: 30, products: 200 };
}

/** Adds `s.orders` orders (and ~3 lines each) with their customers, sales owners and products. Returns the seconds taken. */
export async function generateOrders(db: Db, size: number | OrdersDataSize, log: (m: string) => void = () => undefined): Promise<number> {
  const s = typeof size === 'number' ? sizesFor(size) : size;
  const t0 = performance.now();
  const step = async (label: string, q: string) => {
    const t = performance.now();
    await run(db, q);
    log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  await benchUuidFunction(db);
  const arr = (xs: string[]) => `array[${xs.map((x) => `'${x}'`).join(',')}]`;
  await step(
    'sales owners',
    `insert into users (id, username, display_name, password_hash, roles)
     select bench_uuid7(now()), 'bench_sales_' || g, '销售' || g, 'x', '{sales}' from generate_series(1, ${s.owners}) g on conflict do nothing`,
  );
  await step(
    'products',
    `insert into products (id, code, name, kind, category, base_unit, shelf_life_days, temp_profile, season_months)
     select bench_uuid7(now()), 'BSKU' || lpad(g::text, 4, '0'), (array['苹果','柑橘','梨','葡萄','番茄','黄瓜','生菜','土豆','白菜','草莓'])[1 + g % 10] || g || '号',
            'produce', (array['水果','蔬菜','菌菇','根茎'])[1 + g % 4], 'kg', 30 + (g % 10) * 30, (array['chilled','ambient','cool'])[1 + g % 3],
            case when g % 10 = 9 then '{12,1,2,3,4}'::int[] else '{}'::int[] end
     from generate_series(1, ${s.products}) g on conflict do nothing`,
  );
  await step(
    'customers',
    `insert into customers (id, code, name, kind, status, credit_limit_fen, payment_terms_days, credit_rating, region_code, sales_owner_id, customer_group)
     select bench_uuid7(now() - interval '2 years'), 'BC' || lpad(g::text, 7, '0'),
            (${arr(CITY)})[1 + g % 10] || (${arr(WORD)})[1 + (g / 10) % 20] || (${arr(KIND)})[1 + (g / 200) % 8] || case when g % 3 = 0 then '有限公司' else '店' end || g,
            case when g % 4 = 0 then 'individual' else 'company' end, case when g % 50 = 0 then 'suspended' else 'active' end,
            (1 + g % 20) * 1000000, (array[0, 15, 30, 60])[1 + g % 4], (array['A','B','B','C'])[1 + g % 4],
            -- Shanghai districts get half the customers
            (${arr(REGIONS)})[1 + case when g % 2 = 0 then g % 15 else g % ${REGIONS.length} end],
            (select id from users where username = 'bench_sales_' || (1 + g % ${s.owners})), (array[null, 'KA', 'HORECA', 'RETAIL'])[1 + g % 4]
     from generate_series(1, ${s.customers}) g`,
  );
  await run(db, 'drop table if exists bench_c');
  await run(
    db,
    `create unlogged table bench_c as select row_number() over (order by code) - 1 as n, id, code, name, region_code, sales_owner_id from customers where code like 'BC%'`,
  );
  await run(db, 'create index on bench_c (n)');
  await run(db, 'analyze bench_c');
  await run(db, 'drop table if exists bench_p');
  await run(db, `create unlogged table bench_p as select row_number() over (order by code) - 1 as n, id from products where code like 'BSKU%'`);
  await run(db, 'create index on bench_p (n)');
  await run(db, 'analyze bench_p');
  // Orders per day over the last 365 days: an autumn peak (harvest), a Spring Festival peak (late January) and weekly rhythm.
  await run(db, 'drop table if exists bench_days');
  await run(
    db,
    `create unlogged table bench_days as
     with w as (
       select d, (1 + 0.35 * sin(2 * pi() * (doy - 200) / 365) + 1.2 * exp(greatest(-50, -power((doy - 25) / 10.0, 2)))
                  + case when extract(isodow from current_date - d) = 7 then -0.5 else 0 end) as w
       from generate_series(0, 364) d, lateral (select extract(doy from current_date - d)::float8 as doy) x)
     select d, greatest(1, round(${s.orders} * w / sum(w) over ()))::int as cnt from w`,
  );
  await step(
    'orders',
    `insert into orders (id, number, customer_id, customer_code, customer_name, delivery_region, delivery_date, cold_chain, payment_terms_days, channel,
                         sales_owner_id, status, total_fen, version, created_at, updated_at, submitted_at, approved_at)
     select bench_uuid7(t.at), 'SO' || to_char(t.at at time zone 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(t.k::text, 4, '0'),
            c.id, c.code, c.name, c.region_code, (t.at at time zone 'Asia/Shanghai')::date + 1 + t.k % 4, t.k % 3 = 0, 30,
            (array['phone','phone','wechat','online','email','visit','api','import'])[1 + t.k % 8], c.sales_owner_id,
            case when t.d < 3 then (array['draft','needs_confirmation','submitted','in_review','approved','approved','approved','rejected','cancelled','in_review'])[1 + t.k % 10]
                 when t.d < 30 then (array['approved','in_production','ready','shipped','delivered','completed','completed','cancelled','rejected','in_review'])[1 + t.k % 10]
                 else (array['completed','completed','completed','completed','completed','completed','completed','delivered','cancelled','rejected'])[1 + t.k % 10] end,
            (1000 + (t.k * 7919) % 500000), 3, t.at, t.at, t.at + interval '5 minutes', t.at + interval '6 minutes'
     from (select dd.d, k, (current_date - dd.d)::timestamp at time zone 'Asia/Shanghai' + interval '7 hours' + (k * 37 % 43200) * interval '1 second' as at,
                  -- a few large customers order often: the index is skewed towards the low numbers
                  floor(${s.customers} * power(((k * 2654435761::bigint + dd.d * 40503) % 1000003) / 1000003.0, 2))::int as cn
           from bench_days dd, generate_series(1, dd.cnt) k) t
     join bench_c c on c.n = t.cn`,
  );
  await step(
    'order lines',
    `insert into order_lines (id, order_id, line_no, product_id, quantity, unit, base_quantity, unit_price_fen, list_price_fen, floor_price_fen, amount_fen, order_created_at)
     select bench_uuid7(o.created_at), o.id, ln, p.id, (1 + (h + ln) % 50)::numeric, 'kg', (1 + (h + ln) % 50)::numeric, 800 + h % 700, 800 + h % 700, 700, (1 + (h + ln) % 50) * (800 + h % 700), o.created_at
     from (select id, created_at, abs(hashtext(id::text)) as h from orders where number like 'SO%') o
     cross join generate_series(1, 5) ln
     -- popular products sell more: the product index is skewed towards the low numbers
     join bench_p p on p.n = floor(${s.products} * power(((o.h / 7 + ln * 7919) % 997) / 997.0, 2))::int
     where ln <= 1 + o.h % 5`,
  );
  // VACUUM as autovacuum would after a bulk load: sets the visibility map, so index-only scans skip the heap.
  await step('vacuum analyze', 'vacuum analyze');
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const arg = (k: string) => (args.includes(k) ? args[args.indexOf(k) + 1] : undefined);
  const orders = Number(arg('--orders') ?? 100_000);
  let url = arg('--database') ?? process.env.DATABASE_URL;
  if (args.includes('--fresh')) url = (await createPgDatabase(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 'data')).url;
  if (!url) {
    console.error('usage: npm run bench:data -- --orders 1000000 (--database postgres://… | --fresh)');
    process.exit(2);
  }
  const database = await openDatabase({ databaseUrl: url, poolSize: 2 });
  try {
    await runMigrations(database, url);
    console.log(`generating ${orders} orders into ${url}`);
    const secs = await generateOrders(database.db, sizesFor(orders), console.log);
    console.log(`done in ${secs.toFixed(0)} s`);
  } finally {
    await database.close();
  }
}

if (process.argv[1]?.endsWith('data.ts')) await main();
