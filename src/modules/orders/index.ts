/** The orders module's public door: other modules import only from here. */
export { OrderErrors } from './orders.errors.js';
export { orderMachine, inquiryMachine, OPEN_APPROVED, CANCELLABLE } from './orders.states.js';
export { ORDER_STATUSES, type OrderStatus } from './orders.tables.js';
export { getOrder, listOrders, advanceOrder, cancelOrder, type OrderDetail, type OrderView, type OrderLineView } from './orders.service.js';
export { getOrderSummaries, type OrderSummary } from './orders.summaries.js';
export { ordersRoutes } from './orders.routes.js';
export { seedOrdersDemo } from './orders.demo.js';
export { orderSealers } from './orders.pii.js';
