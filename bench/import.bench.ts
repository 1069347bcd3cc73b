// Import fairness benchmark (issue 22): `orders-import-list`.
//  The order list a user pages through (GET /api/orders?pageSize=20, one client with a 100 ms pause between requests)
//  while an Excel order import of BENCH_IMPORT_LINES (10 000) lines runs, next to the same list with no import in the
//  same run (before the import, and after it with the imported orders in the database). One file holds at most
//  MAX_IMPORT_ROWS (5 000) lines, so the lines are imported as files of 5 000 one after the other; two lines per order,
//  mode `submit` (review and FEFO reservation of each order), on PostgreSQL and PGlite (BENCH_ENGINES).
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { MAX_IMPORT_ROWS } from '../src/modules/orders/import.service.js';
import { createPgDatabase, httpClient, ms, pct, printMd, startAgri, type MdRow } from './lib.js';
import type { BenchContext } from './registry.js';
import { addDaysIso, buildWorld, loginAdmin } from './world.js';

const ENGINES = (process.env.BENCH_ENGINES ?? 'postgres,pglite').split(',').filter((e): e is 'pglite' | 'postgres' => e === 'pglite' || e === 'postgres');
const LINES = Number(process.env.BENCH_IMPORT_LINES ?? 10_000);
const THINK_MS = 100;

type Client = ReturnType<typeof httpClient>;

/** Files of at most MAX_IMPORT_ROWS lines, two lines (two products) per order, customers in turn. */
async function importFiles(customerCodes: string[], productCodes: string[], lines: number, tag: string): Promise<Buffer[]> {
  const files: Buffer[] = [];
  for (let start = 0; start < lines; start += MAX_IMPORT_ROWS) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('orders');
    ws.addRow(['订单参考号 / Order ref', '客户编码 / Customer code', '送达日期 / Delivery date', '产品编码 / Product code', '数量 / Quantity', '单位 / Unit']);
    for (let i = start; i < Math.min(lines, start + MAX_IMPORT_ROWS); i++) {
      const order = Math.floor(i / 2);
      ws.addRow([
        `${tag}-${order}`,
        customerCodes[order % customerCodes.length],
        addDaysIso(14),
        productCodes[(order * 7 + (i % 2) * 13) % productCodes.length],
        String(1 + (i % 3)),
        'kg',
      ]);
    }
    files.push(Buffer.from(await wb.xlsx.writeBuffer()));
  }
  return files;
}

async function upload(url: string, cookie: string, file: Buffer): Promise<string> {
  const boundary = `----agri${Date.now().toString(16)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\nsubmit\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await fetch(`${url}/api/orders/imports`, { method: 'POST', headers: { cookie, origin: url, 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
  if (res.status !== 202) throw new Error(`import upload → ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return ((await res.json()) as { id: string }).id;
}

/** GET the first page of the order list until stop() says so (or for `seconds`); latencies in ms. */
async function pageThrough(c: Client, until: () => boolean): Promise<number[]> {
  const lat: number[] = [];
  while (!until()) {
    const t0 = performance.now();
    await c.call('GET', '/api/orders?pageSize=20', undefined, 200);
    lat.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, THINK_MS));
  }
  return lat;
}

const forSeconds = (s: number) => {
  const end = performance.now() + s * 1000;
  return () => performance.now() >= end;
};

function row(engine: string, scenario: string, orders: number | string, lat: number[], extra: Partial<MdRow> = {}): MdRow {
  return {
    engine,
    scenario,
    'orders in DB': orders,
    requests: lat.length,
    'p50 ms': ms(pct(lat, 50)),
    'p95 ms': ms(pct(lat, 95)),
    'max ms': ms(Math.max(...lat)),
    'import lines/s': '',
    ...extra,
  };
}

export async function importListBench({ seconds, pgUrl }: BenchContext): Promise<void> {
  const rows: MdRow[] = [];
  for (const engine of ENGINES) {
    const pgdb = engine === 'postgres' ? await createPgDatabase(pgUrl, 'imp') : null;
    try {
      const srv = await startAgri(engine, 3925, pgdb?.url, { keepDataDir: true });
      const admin = httpClient(srv.url, 4);
      const reader = httpClient(srv.url, 2);
      try {
        await loginAdmin(admin);
        await loginAdmin(reader);
        const world = await buildWorld(admin, { products: 20, customers: 20, stockKgPerLot: '90000000', approveFirstOrder: true });
        const customerCodes = await Promise.all(world.customers.map(async (cu) => (await admin.call<{ code: string }>('GET', `/api/customers/${cu.id}`)).code));
        const files = await importFiles(
          customerCodes,
          world.products.map((p) => p.code),
          LINES,
          `BI${Date.now().toString(36)}`,
        );
        const ordersInDb = async () => (await admin.call<{ total: number }>('GET', '/api/orders?pageSize=1')).total;
        await pageThrough(reader, forSeconds(2)); // warm-up
        const before = await ordersInDb();
        rows.push(row(engine, 'order list, no import (baseline)', before, await pageThrough(reader, forSeconds(seconds))));

        let done = false;
        const t0 = performance.now();
        const importing = (async () => {
          for (const file of files) {
            const id = await upload(srv.url, admin.cookie!, file);
            for (;;) {
              await new Promise((r) => setTimeout(r, 250));
              const job = await admin.call<{ status: string; failed: number; error: string | null }>('GET', `/api/orders/imports/${id}`);
              if (job.status === 'failed') throw new Error(`import failed: ${job.error}`);
              if (job.status === 'done') {
                if (job.failed) console.log(`(${engine}: ${job.failed} orders of a file failed)`);
                break;
              }
            }
          }
          done = true;
        })();
        const during = await pageThrough(reader, () => done);
        await importing;
        const importSeconds = (performance.now() - t0) / 1000;
        const after = await ordersInDb();
        console.log(`(${engine}: ${LINES} lines → ${after - before} orders in ${importSeconds.toFixed(1)} s)`);
        rows.push(row(engine, `order list during a ${LINES}-line import`, `${before} → ${after}`, during, { 'import lines/s': Math.round(LINES / importSeconds) }));
        rows.push(row(engine, 'order list, no import, after it (baseline)', after, await pageThrough(reader, forSeconds(seconds))));
      } finally {
        admin.close();
        reader.close();
        await srv.stop().catch(() => undefined);
        fs.rmSync(srv.dataDir, { recursive: true, force: true });
      }
    } finally {
      await pgdb?.drop();
    }
  }
  console.log(`One request = GET /api/orders?pageSize=20 (first page, newest first) by one user, ${THINK_MS} ms between requests.\n`);
  printMd(rows);
}
