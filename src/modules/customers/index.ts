/** The customers module's public door: other modules import only from here. */
export { CustomerErrors } from './customers.errors.js';
export {
  customerName,
  getCustomer,
  getCustomerAddress,
  getCustomerContact,
  getOrderParties,
  lockCustomerRow,
  type CustomerAddressInfo,
  type CustomerContactInfo,
  listCustomerAddresses,
  searchCustomers,
  type CustomerInfo,
  type CustomerSummary,
} from './customers.service.js';
export { getRegion, isRegionCode, provinceOf, regionChildren, regionPath, type Region } from './regions.js';
export { customersRoutes } from './customers.routes.js';
export { customerJobs } from './customers.jobs.js';
export { seedCustomersDemo } from './customers.demo.js';
export { customerSealers } from './customers.pii.js';
