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
});
