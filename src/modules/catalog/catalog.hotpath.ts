/**
 * Hot path: the catalog's statement parts for the order core's straight-through reads (decisions 0006, 0008, 0009):
 * the products-and-prices read another statement may embed, and the read-ahead protocol that keeps its rows.
 * Imported only by the order core's hot path (src/modules/orders/orders.hotpath.ts; eslint no-restricted-imports).
 * Everyone else prices with effectivePrice()/effectivePrices()/getProductsForPricing() from index.ts.
 */
export { beginPricingRead, keepForPricing, keptForPricing, productsForPricingOf, productsForPricingSql } from './prices.service.js';
