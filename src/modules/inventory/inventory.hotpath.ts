/**
 * Hot path: the inventory module's statement parts for the order core's single-statement order placement and its
 * straight-through reads (decisions 0004, 0008, 0009): the FEFO reservation CTEs (the same allocator as reserve(),
 * fefo.ts) and the free-stock read another statement may embed. Imported only by the order core's hot path
 * (src/modules/orders/orders.hotpath.ts; eslint no-restricted-imports). Everyone else reserves with reserve()/
 * reserveLines() and reads stock with availableQuantities() from index.ts.
 */
export { reservationCtesSql, reservationValues, type ReservationLine } from './inventory.service.js';
export { availabilityOf, availabilitySql, availabilityValues } from './inventory.batch-reads.js';
