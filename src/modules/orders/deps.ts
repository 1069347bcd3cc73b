/** The only place the orders module reaches other modules: their index.ts contracts (docs/module-contracts.md). */
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/client.js';
import * as customersApi from '../customers/index.js';

export { getCustomer, getCustomerAddress, getCustomerContact, searchCustomers, type CustomerInfo } from '../customers/index.js';
export { getProduct, getProducts, toBaseQuantity, effectivePrice, convertQuantity, listProductIds, type ProductInfo } from '../catalog/index.js';
export { availableQuantity, reserve, releaseReservations } from '../inventory/index.js';

export type AddressSummary = { id: string; label: string; regionCode: string; isDefault: boolean };

/**
 * A customer's delivery addresses (for the Excel import and demo data). The contract names no list function yet;
 * customers.service has getCustomerDetail, which the lead may export from customers/index.ts.
 */
export async function customerAddressList(db: Db, actor: Actor, customerId: string): Promise<AddressSummary[]> {
  const api = customersApi as unknown as { getCustomerDetail?: (db: Db, actor: Actor, id: string) => Promise<{ addresses: AddressSummary[] }> };
  if (!api.getCustomerDetail) return [];
  return (await api.getCustomerDetail(db, actor, customerId)).addresses;
}
