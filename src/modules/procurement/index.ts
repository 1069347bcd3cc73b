/** The procurement module's public door: suppliers, purchase orders, material stock policies. */
export { ProcurementErrors } from './procurement.errors.js';
export { assertSupplierCanOrder, getPurchaseOrder, getSupplierDetail, supplierRatings, type PoDetail, type SupplierDetail, type SupplierRating } from './procurement.service.js';
export { procurementRoutes } from './procurement.routes.js';
