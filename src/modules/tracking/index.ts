/** The tracking module's public door: other modules import only from here. */
export { TrackingErrors } from './tracking.errors.js';
export { exceptionMachine } from './tracking.states.js';
export { exceptionsOfOrder, runEscalations } from './exceptions.service.js';
export { orderTimeline, type OrderTimeline } from './timeline.service.js';
export { addWorkingHours, workingHoursBetween } from './working-hours.js';
export { trackingRoutes } from './tracking.routes.js';
export { trackingJobs } from './tracking.jobs.js';
