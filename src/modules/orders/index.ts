/** The orders module's public door: other modules import only from here. */
import { sql } from 'drizzle-orm';
import { registerReservationOwner } from './deps.js';
import { orders } from './orders.tables.js';

// An order's reservations belong to the order's customer: a customer-scoped user's reservations list shows only those.
registerReservationOwner({ refType: 'order', refIdsOfCustomer: (customerId) => sql`select ${orders.id}::text from ${orders} where ${orders.customerId} = ${customerId}` });

export { OrderErrors } from './orders.errors.js';
export { orderMachine, inquiryMachine, OPEN_APPROVED, CANCELLABLE } from './orders.states.js';
export { ORDER_STATUSES, type OrderStatus } from './orders.tables.js';
export {
  getOrder,
  listOrders,
  advanceOrder,
  cancelOrder,
  confirmOrderPick,
  shipOrder,
  deliverOrder,
  type OrderDetail,
  type OrderView,
  type OrderLineView,
} from './orders.service.js';
export type { PickedOrder, IssueLine } from './orders.plan.js';
export { getOrderSummaries, type OrderSummary } from './orders.summaries.js';
export { ordersRoutes } from './orders.routes.js';
export { seedOrdersDemo } from './orders.demo.js';
export { orderJobs, endInterruptedImports } from './import.recovery.js';
export { orderSealers } from './orders.pii.js';
