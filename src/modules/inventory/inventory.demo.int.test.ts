import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { loadDemo } from '../../platform/demo.js';
import { listLots, verifyStock } from './inventory.service.js';
import { stockOverview } from './stock.reports.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
  await loadDemo(database);
});
afterAll(async () => database?.close());

describe('inventory demo data', () => {
  it('populates three kinds of warehouse with stock, near-expiry, expired, held and quarantined lots, consistent with the ledger', async () => {
    const overview = await stockOverview(database.db, { by: 'location', page: 1, pageSize: 200 });
    expect(overview.total).toBeGreaterThan(5);
    expect(new Set(overview.items.map((r) => r.warehouseCode))).toEqual(new Set(['CS01', 'AM01', 'FZ01']));
    const lots = await listLots(database.db, { page: 1, pageSize: 200 });
    expect(lots.items.some((l) => l.expired)).toBe(true);
    expect(lots.items.some((l) => l.qualityStatus === 'on_hold')).toBe(true);
    expect(lots.items.some((l) => l.qualityStatus === 'quarantined')).toBe(true);
    expect((await listLots(database.db, { expiringWithinDays: 7, page: 1, pageSize: 200 })).total).toBeGreaterThan(0);
    expect((await verifyStock(database.db)).ok).toBe(true);
  });

  it('pages the overview by location in warehouse, location, expiry order: every page is the matching slice of the whole list', async () => {
    const all = await stockOverview(database.db, { by: 'location', page: 1, pageSize: 500 });
    expect(all.items.length).toBe(all.total);
    const keyOf = (r: (typeof all.items)[number]) => [r.warehouseCode, r.locationCode, r.expiryDate ?? ''].join('|');
    for (let i = 1; i < all.items.length; i++) expect(keyOf(all.items[i - 1]!) <= keyOf(all.items[i]!)).toBe(true);
    for (const size of [3, 7]) {
      const seen: string[] = [];
      for (let page = 1; (page - 1) * size < all.total + size; page++) {
        const p = await stockOverview(database.db, { by: 'location', page, pageSize: size });
        expect(p.total).toBe(all.total);
        seen.push(...p.items.map((r) => r.key));
      }
      expect(seen).toEqual(all.items.map((r) => r.key));
    }
    const wh = all.items[0]!.warehouseId!;
    const inWh = await stockOverview(database.db, { by: 'location', warehouseId: wh, page: 1, pageSize: 500 });
    expect(inWh.items.map((r) => r.key)).toEqual(all.items.filter((r) => r.warehouseId === wh).map((r) => r.key));
  });

  it('finds lots by a keyword in the lot code, sorted by expiry, with the same rows as the unfiltered list', async () => {
    const all = await stockOverview(database.db, { by: 'lot', page: 1, pageSize: 500 });
    const code = all.items[0]!.lotCode!;
    const part = code.slice(1, -1);
    const found = await stockOverview(database.db, { by: 'lot', q: part, page: 1, pageSize: 500 });
    expect(found.items.map((r) => r.key)).toContain(all.items[0]!.key);
    for (const r of found.items) expect(`${r.lotCode} ${r.productCode} ${r.productName}`.toLowerCase()).toContain(part.toLowerCase());
    expect(found.total).toBe(found.items.length);
  });
});
