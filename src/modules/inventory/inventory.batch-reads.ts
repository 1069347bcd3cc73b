import { and, asc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { statement, type Db } from '../../platform/db/client.js';
import { fmtQty } from '../../platform/quantity.js';
import { reservationCutoff, usableLotSql } from './fefo.js';
import type { LotBalance } from './inventory.service.js';
import { locations, lots, reservations, stockBalances, warehouses } from './inventory.tables.js';

/** Batched reads over many lots at once (traceability, recalls): one query each instead of one per lot. */

export type LotBalanceOf = LotBalance & { lotId: string; lotCode: string };

/** The balances of many lots in one query, per lot in the same order as `lotBalances` (warehouse code, location code). */
export async function lotBalancesOf(db: Db, lotIds: string[]): Promise<Map<string, LotBalanceOf[]>> {
  const out = new Map<string, LotBalanceOf[]>();
  if (!lotIds.length) return out;
  const rows = await db
    .select({ b: stockBalances, lotCode: lots.lotCode, locationCode: locations.code, zone: locations.zone, warehouseCode: warehouses.code })
    .from(stockBalances)
    .innerJoin(lots, eq(lots.id, stockBalances.lotId))
    .innerJoin(locations, eq(locations.id, stockBalances.locationId))
    .innerJoin(warehouses, eq(warehouses.id, stockBalances.warehouseId))
    .where(inArray(stockBalances.lotId, [...new Set(lotIds)]))
    .orderBy(asc(warehouses.code), asc(locations.code));
  for (const r of rows) {
    const list = out.get(r.b.lotId) ?? [];
    list.push({
      lotId: r.b.lotId,
      lotCode: r.lotCode,
      locationId: r.b.locationId,
      locationCode: r.locationCode,
      warehouseId: r.b.warehouseId,
      warehouseCode: r.warehouseCode,
      zone: r.zone,
      onHand: fmtQty(r.b.onHand),
      reserved: fmtQty(r.b.reserved),
    });
    out.set(r.b.lotId, list);
  }
  return out;
}

export type LotReservationRef = { id: string; refId: string; lotId: string; lotCode: string; originalQuantity: string; status: string };

/**
 * The reservations of one reference type (e.g. 'order') on many lots that are not released (active or consumed),
 * newest first per lot as `listReservations` sorts them; served by `reservations_lot_idx`.
 */
export async function activeReservationsOfLots(db: Db, lotIds: string[], refType: string): Promise<Map<string, LotReservationRef[]>> {
  const out = new Map<string, LotReservationRef[]>();
  if (!lotIds.length) return out;
  const rows = await db
    .select({
      id: reservations.id,
      refId: reservations.refId,
      lotId: reservations.lotId,
      lotCode: lots.lotCode,
      originalQuantity: reservations.originalQuantity,
      status: reservations.status,
    })
    .from(reservations)
    .innerJoin(lots, eq(lots.id, reservations.lotId))
    .where(and(inArray(reservations.lotId, [...new Set(lotIds)]), eq(reservations.refType, refType), ne(reservations.status, 'released')))
    .orderBy(sql`${reservations.createdAt} desc`, asc(reservations.id));
  for (const r of rows) {
    const list = out.get(r.lotId) ?? [];
    list.push({ ...r, originalQuantity: fmtQty(r.originalQuantity) });
    out.set(r.lotId, list);
  }
  return out;
}

/**
 * Free stock per product as rows (product_id, q), for a statement() template: placeholders `<name>.ids` (unless a
 * uuid[] expression is given) and `<name>.cutoff` (availabilityValues() fills them). Another module may read it in the same statement as its own reads.
 */
export function availabilitySql(name: string, ids: SQL = sql`${sql.placeholder(`${name}.ids`)}::uuid[]`): SQL {
  return sql`select b.product_id, coalesce(sum(greatest(b.on_hand - b.reserved, 0)), 0)::text as q
        from stock_balances b join lots l on l.id = b.lot_id
        where b.product_id = any(${ids}) and ${usableLotSql(sql`${sql.placeholder(`${name}.cutoff`)}::date`)}
        group by b.product_id`;
}

export type AvailabilityOptions = { onDate?: string; minRemainingShelfLifeDays?: number };

export function availabilityValues(name: string, productIds: string[], opts: AvailabilityOptions = {}): Record<string, unknown> {
  return { [`${name}.ids`]: [...new Set(productIds)], [`${name}.cutoff`]: reservationCutoff(opts.onDate, opts.minRemainingShelfLifeDays) };
}

/** The rows of availabilitySql() as free stock (base unit) per product, '0' for products without any. */
export function availabilityOf(productIds: string[], rows: { product_id: string; q: string | null }[]): Map<string, string> {
  const out = new Map<string, string>(productIds.map((id) => [id, fmtQty('0')]));
  for (const r of rows) out.set(r.product_id, fmtQty(r.q ?? '0'));
  return out;
}

const availableByProduct = statement<{ product_id: string; q: string | null }>('inventory_available_by_product', () => availabilitySql('a'));

/** availableQuantity() of many products in one query: free stock (base unit) per product, '0' for products without any. */
export async function availableQuantities(db: Db, productIds: string[], opts: AvailabilityOptions = {}): Promise<Map<string, string>> {
  const ids = [...new Set(productIds)];
  if (!ids.length) return availabilityOf(ids, []);
  return availabilityOf(ids, await availableByProduct(db, availabilityValues('a', ids, opts)));
}

export type LocationPlace = { id: string; code: string; warehouseId: string; warehouseCode: string; warehouseName: string; warehouseAddress: string | null };

/** Locations (bins) with their warehouse's code, name and address, in one query (trace exports: ship-from places, GLNs). */
export async function locationPlaces(db: Db, locationIds: string[]): Promise<Map<string, LocationPlace>> {
  const ids = [...new Set(locationIds)].filter((x) => /^[0-9a-f-]{36}$/i.test(x));
  if (!ids.length) return new Map();
  const rows = await db
    .select({
      id: locations.id,
      code: locations.code,
      warehouseId: warehouses.id,
      warehouseCode: warehouses.code,
      warehouseName: warehouses.name,
      warehouseAddress: warehouses.address,
    })
    .from(locations)
    .innerJoin(warehouses, eq(warehouses.id, locations.warehouseId))
    .where(inArray(locations.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}
