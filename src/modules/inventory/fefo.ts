import { sql, type SQL } from 'drizzle-orm';
import { Q, type Qty } from '../../platform/quantity.js';
import { addDays, today } from './inventory.service.js';

/**
 * The FEFO allocator — the one place for the rules that say which stock an order, a reservation, a pick or the
 * replenishment view may use and in which order:
 * - a balance row is allocatable when its lot is released, expires on or after the cutoff, and has free stock;
 * - the cutoff is the delivery date (today when none) plus the customer's minimum remaining shelf life;
 * - rows are taken first-expired-first-out: expiry date, then production date, then lot and location id (a total
 *   order, so two allocations of the same stock always lock rows in the same order and cannot deadlock).
 * The SQL statements of inventory.service.ts use the fragments below; code that allocates in memory uses
 * allocateFefo() and compareFefo() (same key, same rules).
 */

/** The earliest expiry date an allocation may take: the delivery date (today when none) plus the minimum remaining shelf life. */
export function reservationCutoff(onDate: string | null | undefined, minRemainingShelfLifeDays?: number | null): string {
  return addDays(onDate ?? today(), minRemainingShelfLifeDays ?? 0);
}

/** The lot rule in SQL: released and not expiring before `cutoff` (a date expression). Alias `l` is the lots row. */
export function usableLotSql(cutoff: SQL, l = 'l'): SQL {
  return sql`${sql.raw(l)}.quality_status = 'released' and ${sql.raw(l)}.expiry_date >= ${cutoff}`;
}

/** The allocatable balance rows of a product (alias `b` stock_balances joined with `l` lots): usable lot and free stock. */
export function allocatableSql(productId: SQL, cutoff: SQL): SQL {
  return sql`b.product_id = ${productId} and ${usableLotSql(cutoff)} and b.on_hand > b.reserved`;
}

/** The FEFO sort key over `b` stock_balances joined with `l` lots. */
export const fefoOrderSql: SQL = sql.raw('l.expiry_date, l.production_date, b.lot_id, b.location_id');

/** The FEFO sort key over a derived row that carries the key's columns by name (optionally qualified by an alias). */
export function fefoKeySql(alias?: string): SQL {
  const p = alias ? `${alias}.` : '';
  return sql.raw(`${p}expiry_date, ${p}production_date, ${p}lot_id, ${p}location_id`);
}

/** A keyset position in FEFO order: the rows strictly after this (expiry, production, lot, location). */
export function afterFefoSql(expiry: SQL, production: SQL, lotId: SQL, locationId: SQL): SQL {
  return sql`(l.expiry_date, l.production_date, b.lot_id, b.location_id) > (${expiry}, ${production}, ${lotId}, ${locationId})`;
}

export type FefoKey = { expiryDate: string; productionDate: string; lotId: string; locationId: string };

/** The FEFO order in memory (the same key as fefoOrderSql). */
export function compareFefo(a: FefoKey, b: FefoKey): number {
  for (const k of ['expiryDate', 'productionDate', 'lotId', 'locationId'] as const) {
    if (a[k] < b[k]) return -1;
    if (a[k] > b[k]) return 1;
  }
  return 0;
}

/** The lot rule in SQL as its negation: stock of lots that are not released or expire before `cutoff` (blocked, or not usable in time). */
export function unusableLotSql(cutoff: SQL, l = 'l'): SQL {
  return sql`not (${usableLotSql(cutoff, l)})`;
}

/**
 * Why a lot may not be used on a date with a minimum remaining shelf life, or null (the same rule as usableLotSql):
 * not released; expired on the date; or expiring before the cutoff (the date plus the shelf life).
 */
export function lotRefusal(
  lot: { qualityStatus: string; expiryDate: string },
  onDate: string,
  minRemainingShelfLifeDays?: number | null,
): 'not_released' | 'expired' | 'shelf_life' | null {
  if (lot.qualityStatus !== 'released') return 'not_released';
  if (lot.expiryDate < onDate) return 'expired';
  if (lot.expiryDate < reservationCutoff(onDate, minRemainingShelfLifeDays)) return 'shelf_life';
  return null;
}

/** The lot rule in memory (the same as usableLotSql): usable on or after the cutoff. */
export function lotAllocatable(lot: { qualityStatus: string; expiryDate: string }, cutoff: string): boolean {
  return lotRefusal(lot, cutoff) === null;
}

export type FefoCandidate = FefoKey & { free: Qty | string };
export type FefoAllocation<T> = { candidate: T; quantity: Qty };

/**
 * Allocates `quantity` over candidates in FEFO order (sorted here; rows without free stock skipped): the takes, the
 * free stock seen and what is short (0 when covered). Pure: the callers lock the rows and write the reservations.
 */
export function allocateFefo<T extends FefoCandidate>(candidates: readonly T[], quantity: Qty): { allocations: FefoAllocation<T>[]; available: Qty; short: Qty } {
  const sorted = [...candidates].sort(compareFefo);
  const allocations: FefoAllocation<T>[] = [];
  let remaining = quantity;
  let available = new Q(0);
  for (const c of sorted) {
    const free = Q.max(new Q(c.free), 0);
    available = available.plus(free);
    if (remaining.lte(0) || free.lte(0)) continue;
    const take = Q.min(free, remaining);
    allocations.push({ candidate: c, quantity: take });
    remaining = remaining.minus(take);
  }
  return { allocations, available, short: Q.max(remaining, 0) };
}

// ---------------------------------------------------------------- picking

/** A pick candidate: stock in a bin, with the bin's place in the warehouse walk (e.g. its location code, or a sequence). */
export type PickCandidate = FefoCandidate & { walk: string | number };

/**
 * A pick allocation for a picking list: which stock to take is decided by FEFO (allocateFefo(), the same rules as a
 * reservation), and the takes are then listed in bin walk order (walk, then the FEFO key), so a picker walks the
 * warehouse once. Pure: the picking module reads the candidates (its reserved or free stock) and writes the issues.
 */
export function allocatePick<T extends PickCandidate>(candidates: readonly T[], quantity: Qty): { picks: FefoAllocation<T>[]; available: Qty; short: Qty } {
  const { allocations, available, short } = allocateFefo(candidates, quantity);
  const walk = (a: T, b: T) => (a.walk < b.walk ? -1 : a.walk > b.walk ? 1 : compareFefo(a, b));
  return { picks: [...allocations].sort((a, b) => walk(a.candidate, b.candidate)), available, short };
}
