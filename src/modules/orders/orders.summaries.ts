import { inArray } from 'drizzle-orm';
import { openPii } from '../../platform/crypto/pii.js';
import type { Db } from '../../platform/db/client.js';
import { getCustomerContact } from './deps.js';
import { orders } from './orders.tables.js';

/** The header fields other modules need about an order (traceability, recalls), without lines, review runs or timeline. */
export type OrderSummary = {
  id: string;
  number: string;
  customerId: string;
  customerCode: string;
  /** An individual's name masked, or in clear with `names: true` (default: `contacts`; the recall team's view, like contactPhone). */
  customerName: string;
  contactId: string | null;
  /** The delivery address (customers module id), the ship-to place of the order's shipments. */
  addressId: string | null;
  /** The order contact's phone (unmasked); only filled when asked for with `contacts: true`. */
  contactPhone: string | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Batched order lookup for system reads (no customer scope): one query for the orders, plus one per distinct contact
 * when `contacts` is set. Ids that are not UUIDs or not found are absent from the map.
 */
export async function getOrderSummaries(db: Db, ids: string[], opts: { contacts?: boolean; names?: boolean } = {}): Promise<Map<string, OrderSummary>> {
  const names = opts.names ?? opts.contacts ?? false;
  const valid = [...new Set(ids.filter((id) => UUID.test(id)))];
  if (!valid.length) return new Map();
  const rows = await db
    .select({
      id: orders.id,
      number: orders.number,
      customerId: orders.customerId,
      customerCode: orders.customerCode,
      customerName: orders.customerName,
      customerNameEnc: orders.customerNameEnc,
      contactId: orders.contactId,
      addressId: orders.addressId,
    })
    .from(orders)
    .where(inArray(orders.id, valid));
  const phones = new Map<string, string | null>();
  if (opts.contacts) {
    const contactIds = [...new Set(rows.map((r) => r.contactId).filter((c): c is string => !!c))];
    const found = await Promise.all(contactIds.map((c) => getCustomerContact(db, c)));
    contactIds.forEach((c, i) => phones.set(c, found[i]?.phone ?? null));
  }
  return new Map(
    rows.map(({ customerNameEnc, ...r }) => [
      r.id,
      {
        ...r,
        customerName: names && customerNameEnc ? (openPii(customerNameEnc) ?? r.customerName) : r.customerName,
        contactPhone: r.contactId ? (phones.get(r.contactId) ?? null) : null,
      },
    ]),
  );
}
