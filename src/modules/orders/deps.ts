/** The only place the orders module reaches other modules: their index.ts contracts (docs/module-contracts.md). */
import type { Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/client.js';
import { listCustomerAddresses } from '../customers/index.js';

export { getCustomer, getCustomerAddress, getCustomerContact, getOrderParties, searchCustomers, type CustomerInfo } from '../customers/index.js';
export {
  getProduct,
  getProducts,
  getProductsForPricing,
  productIdsToRead,
  toBaseQuantity,
  effectivePrice,
  effectivePrices,
  convertQuantity,
  listProductIds,
  type PricesReadAhead,
  type ProductInfo,
} from '../catalog/index.js';
export {
  availableQuantities,
  availableQuantity,
  consumeReservation,
  releaseReservation,
  reserve,
  reserveLines,
  registerReservationOwner,
  releaseReservations,
  reservationCutoff,
  type AvailabilityOptions,
} from '../inventory/index.js';

export type AddressSummary = { id: string; label: string; regionCode: string; isDefault: boolean };

/** A customer's delivery addresses (for the Excel import and demo data). */
export async function customerAddressList(db: Db, _actor: Actor, customerId: string): Promise<AddressSummary[]> {
  return listCustomerAddresses(db, customerId);
}
