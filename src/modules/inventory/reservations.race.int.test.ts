import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine, freshDatabase, skipReason, type TestDatabase } from '../../../test/helpers/db.js';
import { inTransaction, queryRows } from '../../platform/db/client.js';
import { DomainError, errorStatus } from '../../platform/errors/domain-error.js';
import { addDays, createLot, receiveStock, releaseReservations, reserve, reserveLines, today, verifyStock } from './inventory.service.js';
import { makeProduct, makeWarehouse, TEST_ACTOR } from './inventory.test-support.js';

const onPostgres = engine === 'postgres';
if (!onPostgres) skipReason('reservation race: only PostgreSQL has concurrent connections (PGlite is single-connection); run with TEST_DATABASE_URL');

describe.skipIf(!onPostgres)('no oversell under concurrency (PostgreSQL)', () => {
  let database: TestDatabase;
  let productId: string;

  beforeAll(async () => {
    database = await freshDatabase();
    productId = await makeProduct(database.db);
    const { locations } = await makeWarehouse(database.db);
    // 30 kg in three lots and two bins; 20 kg are already reserved, so the last 10 kg are contested.
    await inTransaction(database.db, async (db) => {
      for (const [i, q] of [
        [0, '12'],
        [1, '10'],
        [0, '8'],
      ] as const) {
        const lot = await createLot(db, TEST_ACTOR, {
          productId,
          productionDate: today(),
          expiryDate: addDays(today(), 5 + Number(q)),
          qualityStatus: 'released',
          sourceType: 'receipt',
        });
        await receiveStock(db, TEST_ACTOR, { lotId: lot.id, locationId: locations[i]!.id, quantity: q, unit: 'kg' });
      }
      await reserve(db, TEST_ACTOR, { refType: 'order', refId: 'EARLIER', productId, quantity: '20' });
    });
  });
  afterAll(async () => database?.close());

  it('200 concurrent requests for the last 10 kg (some with two lines of the same product) reserve exactly 10 kg, the rest get 409, 20 times over', async () => {
    for (let round = 0; round < 20; round++) {
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) =>
          inTransaction(database.db, (db) =>
            reserveLines(db, TEST_ACTOR, {
              refType: 'race',
              refId: `R${round}-${i}`,
              lines:
                i % 2 === 0
                  ? [{ productId, quantity: '1', unit: 'kg' }]
                  : [
                      { productId, quantity: '0.4', unit: 'kg', refLineId: 'a' },
                      { productId, quantity: '1.2', unit: '斤', refLineId: 'b' },
                    ],
            }),
          ),
        ),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok).toHaveLength(10);
      for (const f of failed) {
        expect(f.reason).toBeInstanceOf(DomainError);
        expect((f.reason as DomainError).code).toBe('INVENTORY_INSUFFICIENT');
        expect(errorStatus((f.reason as DomainError).code)).toBe(409);
      }
      const [sums] = await queryRows<{ reserved: string; active: string; negative: number; over: number }>(
        database.db,
        sql`select (select sum(reserved)::text from stock_balances where product_id = ${productId}) as reserved,
                   (select coalesce(sum(quantity), 0)::text from reservations where product_id = ${productId} and status = 'active' and ref_type = 'race') as active,
                   (select count(*)::int from stock_balances where on_hand < 0 or reserved < 0) as negative,
                   (select count(*)::int from stock_balances where reserved > on_hand) as over`,
      );
      expect(sums).toEqual({ reserved: '30.000', active: '10.000', negative: 0, over: 0 });
      // Give the 10 kg back for the next round.
      await inTransaction(database.db, async (db) => {
        const refs = await queryRows<{ ref_id: string }>(db, sql`select distinct ref_id from reservations where ref_type = 'race' and status = 'active'`);
        for (const r of refs) await releaseReservations(db, TEST_ACTOR, { refType: 'race', refId: r.ref_id });
      });
    }
    expect((await verifyStock(database.db)).ok).toBe(true);
  }, 240_000);

  it('200 concurrent requests with lines of two products (in either order) or one: neither product is oversold, 10 times over', async () => {
    const { locations } = await makeWarehouse(database.db);
    const [a, b] = [await makeProduct(database.db), await makeProduct(database.db)];
    await inTransaction(database.db, async (db) => {
      for (const [p, q] of [
        [a, '10'],
        [b, '4'],
        [b, '3'],
      ] as const) {
        const lot = await createLot(db, TEST_ACTOR, {
          productId: p,
          productionDate: today(),
          expiryDate: addDays(today(), 9 + Number(q)),
          qualityStatus: 'released',
          sourceType: 'receipt',
        });
        await receiveStock(db, TEST_ACTOR, { lotId: lot.id, locationId: locations[0]!.id, quantity: q, unit: 'kg' });
      }
    });
    for (let round = 0; round < 10; round++) {
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) =>
          inTransaction(database.db, (db) =>
            reserveLines(db, TEST_ACTOR, {
              refType: 'race2',
              refId: `M${round}-${i}`,
              lines: i % 3 === 0 ? [{ productId: b, quantity: '1', unit: 'kg' }] : (i % 3 === 1 ? [a, b] : [b, a]).map((productId) => ({ productId, quantity: '1', unit: 'kg' })),
            }),
          ),
        ),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      for (const f of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) expect((f.reason as DomainError).code).toBe('INVENTORY_INSUFFICIENT');
      const [sums] = await queryRows<{ a: string; b: string; negative: number; over: number }>(
        database.db,
        sql`select (select coalesce(sum(quantity), 0)::text from reservations where product_id = ${a} and status = 'active' and ref_type = 'race2') as a,
                   (select coalesce(sum(quantity), 0)::text from reservations where product_id = ${b} and status = 'active' and ref_type = 'race2') as b,
                   (select count(*)::int from stock_balances where on_hand < 0 or reserved < 0) as negative,
                   (select count(*)::int from stock_balances where reserved > on_hand) as over`,
      );
      // B (7 kg) is what every request needs: exactly 7 requests succeed; A only goes to the two-line ones among them.
      expect(ok).toHaveLength(7);
      expect(sums!.b).toBe('7.000');
      expect(Number(sums!.a)).toBeLessThanOrEqual(7);
      expect([sums!.negative, sums!.over]).toEqual([0, 0]);
      await inTransaction(database.db, async (db) => {
        const refs = await queryRows<{ ref_id: string }>(db, sql`select distinct ref_id from reservations where ref_type = 'race2' and status = 'active'`);
        for (const r of refs) await releaseReservations(db, TEST_ACTOR, { refType: 'race2', refId: r.ref_id });
      });
    }
    expect((await verifyStock(database.db)).ok).toBe(true);
  }, 240_000);
});
