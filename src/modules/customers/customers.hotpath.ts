/**
 * Hot path: the customers module's statement parts for the order core's single-statement order placement (decisions
 * 0007, 0009). Imported only by the order core's hot path (src/modules/orders/orders.hotpath.ts; eslint
 * no-restricted-imports): no other module reads the customer row's system columns or builds SQL from this module's
 * tables. Everyone else uses the functions of index.ts.
 */
import { sql, type SQL } from 'drizzle-orm';
import { creditLockSql } from './customers.service.js';

/**
 * A data-modifying CTE body for a statement that writes an order without the credit lock held: takes the lock (an
 * UPDATE of the row) only when the row is still the version read (getOrderParties()'s `rowVersion`), so it returns
 * one row when nothing changed the customer since — no credit review, no edit — and none otherwise. PostgreSQL
 * re-checks the version on the newest row after waiting for a concurrent lock holder, so a review that commits while
 * the statement waits is seen. Returns the row's new version (`version`). Placeholders: `<prefix>Id`, `<prefix>Version`.
 */
export function customerUnchangedSql(prefix: string): SQL {
  return sql`${creditLockSql(sql`${sql.placeholder(`${prefix}Id`)}::uuid`)} and xmin = ${sql.placeholder(`${prefix}Version`)}::text::xid returning xmin::text as version`;
}

/** A scalar subquery: the customer row's version (as customerUnchangedSql() checks it), read in the caller's statement. Placeholder: `<prefix>Id`. */
export function customerVersionSql(prefix: string): SQL {
  return sql`(select c.xmin::text from customers c where c.id = ${sql.placeholder(`${prefix}Id`)}::uuid)`;
}
