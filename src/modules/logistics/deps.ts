/** The only place the logistics module reaches other modules: their index.ts contracts (docs/module-contracts.md). */
export { convertQuantity, getProducts, type ProductInfo } from '../catalog/index.js';
export { allocateFefo, compareFefo, getLots, listReservations, locationPlaces, type ReservationView } from '../inventory/index.js';
export { confirmOrderPick, deliverOrder, getOrder, shipOrder, type OrderDetail, type PickedOrder } from '../orders/index.js';
export { getRegion } from '../customers/index.js';
export { advanceOrder } from '../orders/index.js';
export { changeLotStatus } from '../inventory/index.js';
export { gs1CheckDigit } from '../trace/index.js';
export { renderPdf } from '../trace/index.js';
