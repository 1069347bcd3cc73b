/** The training module's public door: other modules import only from here. */
export { TrainingErrors } from './training.errors.js';
export { competencyGate, GATED_PERMISSIONS, type GatedPermission } from './training.gate.js';
export { missingCompetencies, requireCompetency, type CompetencyGap } from './training.service.js';
export { trainingRoutes } from './training.routes.js';
export { trainingJobs } from './training.jobs.js';
export { seedTrainingDemo } from './training.demo.js';
