/** The logistics module's public door: other modules import only from here. */
export { LogisticsErrors } from './logistics.errors.js';
export { logisticsRoutes } from './logistics.routes.js';
export { pickListMachine } from './logistics.states.js';
export { seedLogisticsDemo } from './logistics.demo.js';
export { orderLogistics, type OrderLogistics, type OrderLogisticsEvent } from './logistics.timeline.js';
