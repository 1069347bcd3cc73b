/** The planning module's public door: crop calendars, MPS, production plans and tasks. */
export { PlanningErrors } from './planning.errors.js';
export { backSchedule, getPlan, listPlans, mps, weekStartOf, type MpsRow, type PlanDetail, type PlanView, type TaskView } from './planning.service.js';
export { planningRoutes } from './planning.routes.js';
