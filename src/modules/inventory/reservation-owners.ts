import { sql, type SQL } from 'drizzle-orm';
import { reservations } from './inventory.tables.js';

/**
 * Who a reservation belongs to, for record scoping: the module that owns a reference type (orders for `order`)
 * says which of its references belong to a customer, as a subquery of reference ids (text). Inventory never reads
 * that module's tables itself; reservations of a reference type nobody registered belong to no customer.
 */
export type ReservationOwner = { refType: string; refIdsOfCustomer: (customerId: string) => SQL };

const owners = new Map<string, ReservationOwner>();

/** Registered at module load by the module owning the reference type (orders/index.ts registers `order`). */
export function registerReservationOwner(owner: ReservationOwner): void {
  owners.set(owner.refType, owner);
}

/** The condition limiting reservations to one customer's references (false when no owner is registered). */
export function reservationsOfCustomerSql(customerId: string): SQL {
  const parts = [...owners.values()].map((o) => sql`(${reservations.refType} = ${o.refType} and ${reservations.refId} in (${o.refIdsOfCustomer(customerId)}))`);
  return parts.length ? sql`(${sql.join(parts, sql` or `)})` : sql`false`;
}
