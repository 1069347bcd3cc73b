/** The catalog module's public door: other modules import only from here. */
export { CatalogErrors } from './catalog.errors.js';
export {
  getProduct,
  getProducts,
  listProductIds,
  productIdByCode,
  productIdsByGtin14,
  productIdsToRead,
  toBaseQuantity,
  PROFILE_RANGES,
  type ProductInfo,
  type ProductUnit,
} from './catalog.service.js';
export { effectivePrice, effectivePrices, getProductsForPricing, type EffectivePrice, type PricesReadAhead, type PriceQuery } from './prices.service.js';
export { convertQuantity, isValidGtin } from './units.js';
export { type ProductKind, type MaterialType, type TempProfile, type LabelStandard } from './catalog.tables.js';
export { catalogRoutes } from './catalog.routes.js';
export { seedCatalogDemo } from './catalog.demo.js';
