// Traceability benchmarks (issue 5), PostgreSQL, set-based data:
//  - BENCH_TRACE_LOTS (1 000 000) lots in 5 stages (harvest → wash → grade → pack → mix) of equal size; every lot after
//    the harvest stage draws on 6 or 7 lots of the stage before it (sliding, overlapping windows: ~6.25 links per lot,
//    5 000 000 links at full size), so a trace closes over ~60 lots four stages deep.
//  - harvest records for the first stage (500 fields on 10 bases), stock balances for the last two stages, and
//    reservations from 50 000 orders (bench/data.ts) on half of the last stage's lots;
//  - 200 000 EPCIS events, of which a one-window export returns 10 000.
// Measures backwardTrace / forwardTrace / both for one lot (p95), recallImpact of a harvest lot, epcisDocument of 10k events.
import { sql } from 'drizzle-orm';
import { openDatabase, runMigrations, type Db } from '../src/platform/db/client.js';
import { backwardTrace, epcisDocument, forwardTrace, recallImpact } from '../src/modules/trace/index.js';
import { generateOrders, sizesFor } from './data.js';
import { createPgDatabase, ms, printMd, timeMany, type MdRow } from './lib.js';
import type { BenchContext } from './registry.js';

const env = (k: string, d: number) => Number(process.env[k] ?? d);

export async function generateGenealogy(db: Db, lots: number, log: (m: string) => void = () => undefined): Promise<{ perStage: number }> {
  const M = Math.floor(lots / 5);
  const step = async (label: string, q: string) => {
    const t = performance.now();
    await db.execute(sql.raw(q));
    log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  await step(
    'locations',
    `insert into warehouses (id, code, name, temp_zones) select bench_uuid7(now()), 'TWH' || g, '冷库' || g, '{chilled}' from generate_series(1, 5) g;
     insert into locations (id, warehouse_id, code, zone) select bench_uuid7(now()), w.id, 'C-' || lpad(g::text, 2, '0'), 'chilled' from warehouses w, generate_series(1, 20) g where w.code like 'TWH%'`,
  );
  await step(
    'bases and fields',
    `insert into quality_bases (id, code, name, region_code) select bench_uuid7(now()), 'BASE' || g, '种植基地' || g, '330106' from generate_series(1, 10) g;
     insert into quality_fields (id, base_id, code, name, crops) select bench_uuid7(now()), b.id, b.code || '-F' || g, '地块' || g, '{苹果}' from quality_bases b, generate_series(1, 50) g`,
  );
  await db.execute(
    sql.raw(`drop table if exists bench_tp; create unlogged table bench_tp as select row_number() over (order by code) - 1 as n, id from products where code like 'BSKU%';
    drop table if exists bench_tl; create unlogged table bench_tl as select row_number() over (order by l.code) - 1 as n, l.id, l.warehouse_id from locations l join warehouses w on w.id = l.warehouse_id where w.code like 'TWH%';
    drop table if exists bench_tf; create unlogged table bench_tf as select row_number() over (order by code) - 1 as n, id from quality_fields;
    analyze bench_tp; analyze bench_tl; analyze bench_tf`),
  );
  // stage s, index i: lot code T<s>-<i>; produced over two years, stage by stage a few days apart.
  await step(
    'lots',
    `insert into lots (id, product_id, lot_code, production_date, expiry_date, quality_status, source_type, created_by)
     select bench_uuid7(now()), p.id, 'T' || s || '-' || lpad(i::text, 7, '0'), current_date - 730 + (i * 730 / ${M}) + s * 2, current_date - 730 + (i * 730 / ${M}) + s * 2 + 60,
            'released', case when s = 0 then 'harvest' else 'processing' end, 'bench'
     from generate_series(0, 4) s, generate_series(0, ${M - 1}) i join bench_tp p on p.n = i % 200`,
  );
  await db.execute(
    sql.raw(`drop table if exists bench_tlot; create unlogged table bench_tlot as select substr(lot_code, 2, 1)::int as s, substr(lot_code, 4)::int as i, id, product_id from lots where lot_code like 'T_-%';
    create unique index on bench_tlot (s, i); analyze bench_tlot`),
  );
  await step(
    'genealogy links',
    `insert into trace_lot_links (id, run_id, input_lot_id, output_lot_id, quantity)
     select bench_uuid7(now()), o.id, inp.id, o.id, 10
     from bench_tlot o, generate_series(0, 6) k
     join bench_tlot inp on true
     where o.s > 0 and (k < 6 or o.i % 4 = 0) and inp.s = o.s - 1 and inp.i = (o.i + k) % ${M}`,
  );
  await step(
    'harvest records',
    `insert into quality_harvests (id, field_id, lot_id, lot_code, product_id, quantity, unit, location_id, harvested_on, created_by)
     select bench_uuid7(now()), f.id, t.id, 'T0-' || lpad(t.i::text, 7, '0'), t.product_id, 1000, 'kg', l.id, current_date - 730 + (t.i * 730 / ${M}), 'bench'
     from bench_tlot t join bench_tf f on f.n = t.i % 500 join bench_tl l on l.n = t.i % 100 where t.s = 0`,
  );
  await step(
    'stock balances (last two stages)',
    `insert into stock_balances (product_id, lot_id, location_id, warehouse_id, on_hand, reserved)
     select t.product_id, t.id, l.id, l.warehouse_id, 200, case when t.s = 4 and t.i % 2 = 0 then 20 else 0 end from bench_tlot t join bench_tl l on l.n = t.i % 100 where t.s >= 3`,
  );
  await step(
    'reservations from orders',
    `drop table if exists bench_to; create unlogged table bench_to as select row_number() over (order by id) - 1 as n, id from orders; analyze bench_to;
     insert into reservations (id, ref_type, ref_id, product_id, lot_id, location_id, quantity, original_quantity, status, created_by)
     select bench_uuid7(now()), 'order', o.id::text, t.product_id, t.id, l.id, 20, 20, case when t.i % 4 = 0 then 'active' else 'consumed' end, 'bench'
     from bench_tlot t join bench_tl l on l.n = t.i % 100 join bench_to o on o.n = (t.i / 2) % (select count(*) from bench_to) where t.s = 4 and t.i % 2 = 0`,
  );
  await step(
    'trace events',
    `insert into trace_events (id, event_id, event_type, action, biz_step, disposition, event_time, record_time, lot_ids, body, actor_name)
     select bench_uuid7(now()), 'urn:uuid:' || gen_random_uuid(), 'ObjectEvent', 'OBSERVE', (array['commissioning','inspecting','storing','shipping','receiving'])[1 + g % 5],
            'active', timestamptz '2026-01-01 00:00:00+08' + g * interval '1 minute', now(), array[t.id],
            jsonb_build_object('type', 'ObjectEvent', 'eventTime', to_char(timestamptz '2026-01-01 00:00:00+08' + g * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'eventTimeZoneOffset', '+08:00', 'action', 'OBSERVE', 'bizStep', (array['commissioning','inspecting','storing','shipping','receiving'])[1 + g % 5],
              'disposition', 'active', 'quantityList', jsonb_build_array(jsonb_build_object('epcClass', 'urn:epc:class:lgtin:6901234.012345.T' || t.i, 'quantity', 120.5, 'uom', 'KGM')),
              'readPoint', jsonb_build_object('id', 'urn:epc:id:sgln:6901234.00001.0'), 'bizLocation', jsonb_build_object('id', 'urn:epc:id:sgln:6901234.00001.0'),
              'agri:lotCode', 'T' || t.s || '-' || lpad(t.i::text, 7, '0')), 'bench'
     from generate_series(1, 200000) g join bench_tlot t on t.s = g % 5 and t.i = (g * 7) % ${M}`,
  );
  await step('analyze', 'analyze');
  return { perStage: M };
}

export async function traceBench({ pgUrl }: BenchContext): Promise<void> {
  const lots = env('BENCH_TRACE_LOTS', 1_000_000);
  const samples = env('BENCH_TRACE_SAMPLES', 50);
  const pgdb = await createPgDatabase(pgUrl, 'trc');
  const database = await openDatabase({ databaseUrl: pgdb.url, poolSize: 4 });
  const rows: MdRow[] = [];
  try {
    await runMigrations(database, pgdb.url);
    const db = database.db;
    const t0 = performance.now();
    await generateOrders(db, sizesFor(50_000));
    const { perStage } = await generateGenealogy(db, lots, console.log);
    const counts = (await db.execute(
      sql`select (select count(*) from lots)::int as lots, (select count(*) from trace_lot_links)::int as links, (select count(*) from trace_events)::int as events, (select count(*) from reservations)::int as reservations`,
    )) as unknown as { rows: { lots: number; links: number; events: number; reservations: number }[] };
    const c = counts.rows[0]!;
    console.log(`(data: ${c.lots} lots, ${c.links} links, ${c.events} events, ${c.reservations} reservations in ${Math.round((performance.now() - t0) / 1000)} s)`);
    const lotAt = async (s: number, i: number) => {
      const r = (await db.execute(sql`select id from lots where lot_code = ${`T${s}-${String(i).padStart(7, '0')}`}`)) as unknown as { rows: { id: string }[] };
      return r.rows[0]!.id;
    };
    const pick = async (s: number, n: number) => {
      const out: string[] = [];
      for (let k = 0; k < n; k++) out.push(await lotAt(s, Math.floor(((k * 7919 + 13) % perStage) / 2) * 2));
      return out;
    };
    const last = await pick(4, samples);
    const first = await pick(0, samples);
    const mid = await pick(2, samples);
    let sizeB = 0;
    let sizeF = 0;
    const back = await timeMany(samples, async (i) => {
      const r = await backwardTrace(db, last[Math.max(0, i) % last.length]!);
      sizeB = r.lots.length;
    });
    const fwd = await timeMany(samples, async (i) => {
      const r = await forwardTrace(db, first[Math.max(0, i) % first.length]!);
      sizeF = r.lots.length;
    });
    const both = await timeMany(samples, async (i) => {
      const id = mid[Math.max(0, i) % mid.length]!;
      await Promise.all([backwardTrace(db, id), forwardTrace(db, id)]);
    });
    let impact = { lots: 0, orders: 0, customers: 0 };
    const recall = await timeMany(Math.min(samples, 20), async (i) => {
      const r = await recallImpact(db, { kind: 'lot', lotId: first[Math.max(0, i) % first.length]! });
      impact = { lots: r.lots.length, orders: r.orders.length, customers: r.customers.length };
    });
    const window = { from: new Date('2026-01-01T00:00:00+08:00'), to: new Date(new Date('2026-01-01T00:00:00+08:00').getTime() + 10_000 * 60_000) };
    let events = 0;
    let bytes = 0;
    const epcis = await timeMany(
      5,
      async () => {
        const doc = await epcisDocument(db, window);
        const json = JSON.stringify(doc);
        events = ((doc.epcisBody as { eventList: unknown[] }).eventList ?? []).length;
        bytes = json.length;
      },
      1,
    );
    const verdict = (v: number, budget: number) => (v <= budget ? 'met' : `missed (${ms(v / budget)}× budget)`);
    rows.push({
      operation: 'backwardTrace (mix-stage lot)',
      'lots in trace': sizeB,
      'p50 ms': back.p50,
      'p95 ms': back.p95,
      budget: 'p95 ≤ 50 ms',
      verdict: verdict(back.p95, 50),
    });
    rows.push({ operation: 'forwardTrace (harvest lot)', 'lots in trace': sizeF, 'p50 ms': fwd.p50, 'p95 ms': fwd.p95, budget: 'p95 ≤ 50 ms', verdict: verdict(fwd.p95, 50) });
    rows.push({
      operation: 'backward + forward (pack-stage lot)',
      'lots in trace': '-',
      'p50 ms': both.p50,
      'p95 ms': both.p95,
      budget: 'p95 ≤ 50 ms',
      verdict: verdict(both.p95, 50),
    });
    rows.push({
      operation: `recallImpact (harvest lot: ${impact.lots} lots, ${impact.orders} order lines, ${impact.customers} customers)`,
      'lots in trace': impact.lots,
      'p50 ms': recall.p50,
      'p95 ms': recall.p95,
      budget: '≤ 200 ms',
      verdict: verdict(recall.p95, 200),
    });
    rows.push({
      operation: `epcisDocument, ${events} events (${Math.round(bytes / 1024)} KiB JSON)`,
      'lots in trace': '-',
      'p50 ms': epcis.p50,
      'p95 ms': epcis.max,
      budget: '≤ 5 000 ms',
      verdict: verdict(epcis.max, 5000),
    });
  } finally {
    await database.close();
    await pgdb.drop();
  }
  console.log(
    `PostgreSQL, ${lots} lots in 5 stages, services called in-process; ${samples} different lots per trace row (p95 column for the EPCIS export is the slowest of 5 runs).\n`,
  );
  printMd(rows);
}
