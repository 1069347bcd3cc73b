import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import { inTransaction, queryRows } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { Q, type Qty } from '../../platform/quantity.js';
import {
  addDays,
  adjustStock,
  availableQuantity,
  createLot,
  issueStock,
  receiveStock,
  releaseReservations,
  reserve,
  reserveLinesAutocommit,
  today,
  transferStock,
  verifyStock,
} from './inventory.service.js';
import { approveStocktake, createStocktake, enterCounts, setVarianceReasons, submitStocktake } from './stocktakes.service.js';
import { makeProduct, makeWarehouse, TEST_ACTOR } from './inventory.test-support.js';

/** The in-memory model: balances per lot/location and active reservations per (ref, lot, location). */
type Model = { onHand: Map<string, Qty>; reserved: Map<string, Qty>; byRef: Map<string, Qty> };

const UNITS: Record<string, string> = { kg: '1', 箱: '10', 斤: '0.5' };
const REFS = ['A', 'B', 'C'];

type Op =
  | { op: 'receipt'; lot: number; loc: number; q: number; unit: string }
  | { op: 'reserve'; ref: number; q: number; path: 'single-statement' | 'incremental' | 'autocommit' }
  | { op: 'release'; ref: number }
  | { op: 'issue'; lot: number; loc: number; q: number; ref: number | null }
  | { op: 'transfer'; lot: number; from: number; to: number; q: number }
  | { op: 'adjust'; lot: number; loc: number; q: number; negative: boolean }
  | { op: 'stocktake'; counts: number[] };

const qArb = fc.integer({ min: 1, max: 20_000 }); // thousandths of a unit
const lotArb = fc.integer({ min: 0, max: 2 });
const locArb = fc.integer({ min: 0, max: 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('receipt' as const), lot: lotArb, loc: locArb, q: qArb, unit: fc.constantFrom('kg', '箱', '斤') }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('reserve' as const),
      ref: fc.integer({ min: 0, max: 2 }),
      q: qArb,
      path: fc.constantFrom('single-statement' as const, 'incremental' as const, 'autocommit' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('release' as const), ref: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('issue' as const), lot: lotArb, loc: locArb, q: qArb, ref: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('transfer' as const), lot: lotArb, from: locArb, to: locArb, q: qArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('adjust' as const), lot: lotArb, loc: locArb, q: qArb, negative: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('stocktake' as const), counts: fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 6, maxLength: 6 }) }) },
);

const z = new Q(0);
const get = (m: Map<string, Qty>, k: string): Qty => m.get(k) ?? z;
const thousandths = (n: number): string => new Q(n).div(1000).toFixed(3);

describe('no drift: random movement sequences match an in-memory model', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(async () => database?.close());

  it('keeps every balance, reservation total and the available quantity equal to the model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 25 }), async (ops) => {
        const db = database.db;
        const productId = await makeProduct(db);
        const { locations } = await makeWarehouse(db, ['chilled'], 2);
        const locIds = locations.map((l) => l.id).sort();
        // Lots 0 and 1 are released (FEFO: lot 0 first), lot 2 stays quarantined.
        const lotIds: string[] = [];
        for (const [i, days] of [5, 10, 3].entries()) {
          const lot = await inTransaction(db, (tx) =>
            createLot(tx, TEST_ACTOR, {
              productId,
              productionDate: addDays(today(), -i),
              expiryDate: addDays(today(), days),
              qualityStatus: i === 2 ? 'quarantined' : 'released',
              sourceType: 'receipt',
            }),
          );
          lotIds.push(lot.id);
        }
        const key = (lot: number, loc: number) => `${lotIds[lot]}|${locIds[loc]}`;
        const m: Model = { onHand: new Map(), reserved: new Map(), byRef: new Map() };
        const refKey = (ref: number, k: string) => `${REFS[ref]}|${k}`;
        // FEFO order of released lots: expiry (lot 0 before lot 1), then location id.
        const fefo = [0, 1].flatMap((lot) => [0, 1].map((loc) => key(lot, loc)));

        for (const o of ops) {
          let expectOk = true;
          let apply: () => void = () => undefined;
          let run: () => Promise<unknown>;
          switch (o.op) {
            case 'receipt': {
              const base = new Q(o.q).div(1000).mul(UNITS[o.unit]!);
              const k = key(o.lot, o.loc);
              expectOk = base.eq(base.toDecimalPlaces(3));
              apply = () => m.onHand.set(k, get(m.onHand, k).plus(base));
              run = () => inTransaction(db, (tx) => receiveStock(tx, TEST_ACTOR, { lotId: lotIds[o.lot]!, locationId: locIds[o.loc]!, quantity: thousandths(o.q), unit: o.unit }));
              break;
            }
            case 'reserve': {
              const q = new Q(o.q).div(1000);
              const free = fefo.map((k) => Q.max(get(m.onHand, k).minus(get(m.reserved, k)), 0));
              expectOk = free.reduce((a, b) => a.plus(b), z).gte(q);
              apply = () => {
                let left = q;
                fefo.forEach((k, i) => {
                  const take = Q.min(free[i]!, left);
                  if (take.lte(0)) return;
                  m.reserved.set(k, get(m.reserved, k).plus(take));
                  m.byRef.set(refKey(o.ref, k), get(m.byRef, refKey(o.ref, k)).plus(take));
                  left = left.minus(take);
                });
              };
              // All three reservation paths must agree with the model: the single statement, the incremental
              // lock-as-needed fallback, and the transaction-less API path.
              const path = o.path;
              run = () =>
                path === 'autocommit'
                  ? reserveLinesAutocommit(db, TEST_ACTOR, { refType: 'prop', refId: REFS[o.ref]!, lines: [{ productId, quantity: q.toFixed(3), unit: 'kg' }] })
                  : inTransaction(db, (tx) => reserve(tx, TEST_ACTOR, { refType: 'prop', refId: REFS[o.ref]!, productId, quantity: q.toFixed(3), path }));
              break;
            }
            case 'release': {
              apply = () => {
                for (const [rk, v] of [...m.byRef]) {
                  if (!rk.startsWith(`${REFS[o.ref]}|`)) continue;
                  const k = rk.slice(2);
                  m.reserved.set(k, get(m.reserved, k).minus(v));
                  m.byRef.delete(rk);
                }
              };
              run = () => inTransaction(db, (tx) => releaseReservations(tx, TEST_ACTOR, { refType: 'prop', refId: REFS[o.ref]! }));
              break;
            }
            case 'issue': {
              const q = new Q(o.q).div(1000);
              const k = key(o.lot, o.loc);
              const covered = o.ref === null ? z : Q.min(q, get(m.byRef, refKey(o.ref, k)));
              const onHand = get(m.onHand, k);
              const free = Q.max(onHand.minus(get(m.reserved, k)), 0);
              expectOk = o.lot !== 2 && onHand.gte(q) && q.minus(covered).lte(free);
              apply = () => {
                m.onHand.set(k, onHand.minus(q));
                m.reserved.set(k, get(m.reserved, k).minus(covered));
                if (o.ref !== null) m.byRef.set(refKey(o.ref, k), get(m.byRef, refKey(o.ref, k)).minus(covered));
              };
              run = () =>
                inTransaction(db, (tx) =>
                  issueStock(tx, TEST_ACTOR, {
                    lotId: lotIds[o.lot]!,
                    locationId: locIds[o.loc]!,
                    quantity: q.toFixed(3),
                    unit: 'kg',
                    reason: 'prop',
                    refType: o.ref === null ? undefined : 'prop',
                    refId: o.ref === null ? undefined : REFS[o.ref],
                  }),
                );
              break;
            }
            case 'transfer': {
              const q = new Q(o.q).div(1000);
              const from = key(o.lot, o.from);
              const to = key(o.lot, o.to);
              expectOk = o.from !== o.to && Q.max(get(m.onHand, from).minus(get(m.reserved, from)), 0).gte(q);
              apply = () => {
                m.onHand.set(from, get(m.onHand, from).minus(q));
                m.onHand.set(to, get(m.onHand, to).plus(q));
              };
              run = () =>
                inTransaction(db, (tx) =>
                  transferStock(tx, TEST_ACTOR, {
                    lotId: lotIds[o.lot]!,
                    fromLocationId: locIds[o.from]!,
                    toLocationId: locIds[o.to]!,
                    quantity: q.toFixed(3),
                    unit: 'kg',
                    reason: 'property test',
                  }),
                );
              break;
            }
            case 'adjust': {
              const q = new Q(o.q).div(1000);
              const k = key(o.lot, o.loc);
              expectOk = !o.negative || Q.max(get(m.onHand, k).minus(get(m.reserved, k)), 0).gte(q);
              apply = () => m.onHand.set(k, get(m.onHand, k).plus(o.negative ? q.neg() : q));
              run = () =>
                inTransaction(db, (tx) =>
                  adjustStock(tx, TEST_ACTOR, {
                    lotId: lotIds[o.lot]!,
                    locationId: locIds[o.loc]!,
                    quantity: (o.negative ? '-' : '') + q.toFixed(3),
                    unit: 'kg',
                    reason: 'counting_error',
                  }),
                );
              break;
            }
            case 'stocktake': {
              const lines = [0, 1, 2].flatMap((lot) => [0, 1].map((loc) => key(lot, loc))).filter((k) => get(m.onHand, k).gt(0));
              const counted = new Map(lines.map((k, i) => [k, new Q(o.counts[i]!).div(1000)]));
              expectOk = lines.length > 0;
              apply = () => {
                for (const [k, v] of counted) m.onHand.set(k, v);
              };
              run = () =>
                inTransaction(db, async (tx) => {
                  const st = await createStocktake(tx, TEST_ACTOR, { warehouseId: locations[0]!.warehouseId });
                  await enterCounts(
                    tx,
                    TEST_ACTOR,
                    st.id,
                    st.lines.map((l) => ({ lineId: l.id, countedQuantity: counted.get(`${l.lotId}|${l.locationId}`)!.toFixed(3) })),
                  );
                  const sub = await submitStocktake(tx, TEST_ACTOR, st.id);
                  const varied = sub.lines.filter((l) => l.variance !== '0.000');
                  if (varied.length)
                    await setVarianceReasons(
                      tx,
                      TEST_ACTOR,
                      st.id,
                      varied.map((l) => ({ lineId: l.id, reasonCode: 'spoilage' as const })),
                    );
                  return approveStocktake(tx, TEST_ACTOR, st.id);
                });
              break;
            }
          }
          let ok = true;
          try {
            await run();
          } catch (err) {
            if (!(err instanceof DomainError)) throw err;
            ok = false;
          }
          expect({ op: o, ok }).toEqual({ op: o, ok: expectOk });
          if (ok) apply();
        }

        const rows = await queryRows<{ lot_id: string; location_id: string; on_hand: string; reserved: string }>(
          db,
          sql`select lot_id, location_id, on_hand::text, reserved::text from stock_balances where product_id = ${productId}`,
        );
        const actual = Object.fromEntries(rows.map((r) => [`${r.lot_id}|${r.location_id}`, [new Q(r.on_hand).toFixed(3), new Q(r.reserved).toFixed(3)]]));
        const keys = new Set([...m.onHand.keys(), ...m.reserved.keys()]);
        const expected = Object.fromEntries([...keys].map((k) => [k, [get(m.onHand, k).toFixed(3), get(m.reserved, k).toFixed(3)]]));
        expect(actual).toEqual(expected);
        const refRows = await queryRows<{ k: string; q: string }>(
          db,
          sql`select ref_id || '|' || lot_id || '|' || location_id as k, sum(quantity)::text as q from reservations where product_id = ${productId} and status = 'active' group by 1`,
        );
        const actualRefs = Object.fromEntries(refRows.map((r) => [r.k, new Q(r.q).toFixed(3)]).filter(([, q]) => q !== '0.000'));
        const expectedRefs = Object.fromEntries([...m.byRef].filter(([, q]) => !q.eq(0)).map(([k, q]) => [k, q.toFixed(3)]));
        expect(actualRefs).toEqual(expectedRefs);
        const available = fefo.reduce((a, k) => a.plus(Q.max(get(m.onHand, k).minus(get(m.reserved, k)), 0)), z);
        expect(await availableQuantity(db, productId)).toBe(available.toFixed(3));
      }),
      { numRuns: 30 },
    );
    expect((await verifyStock(database.db)).ok).toBe(true);
  }, 180_000);
});
