import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { PlaintextSealer } from '../platform/crypto/at-rest.js';
import type { Db } from '../platform/db/client.js';
import type { Job } from '../platform/jobs.js';
import { catalogRoutes, seedCatalogDemo } from './catalog/index.js';
import { customerJobs, customerSealers, customersRoutes, seedCustomersDemo } from './customers/index.js';
import { inventoryJobs, inventoryRoutes, seedInventoryDemo } from './inventory/index.js';
import { logisticsRoutes, seedLogisticsDemo } from './logistics/index.js';
import { orderJobs, orderSealers, ordersRoutes, seedOrdersDemo } from './orders/index.js';
import { planningRoutes } from './planning/index.js';
import { procurementRoutes } from './procurement/index.js';
import { qualityRoutes, seedQualityDemo } from './quality/index.js';
import { digitalLinkRoutes, seedTraceDemo, traceRoutes } from './trace/index.js';
import { trackingJobs, trackingRoutes } from './tracking/index.js';
import { seedTrainingDemo, trainingJobs, trainingRoutes } from './training/index.js';

/** Route plugins of the business modules, mounted under /api (digitalLinkRoutes opts out: GS1 Digital Link paths live at the site root). */
export const moduleRoutes: FastifyPluginAsyncZod[] = [
  catalogRoutes,
  customersRoutes,
  inventoryRoutes,
  ordersRoutes,
  logisticsRoutes,
  qualityRoutes,
  traceRoutes,
  trainingRoutes,
  procurementRoutes,
  planningRoutes,
  trackingRoutes,
  digitalLinkRoutes,
];

/** Demo-data loaders of the business modules, run in order by `seed --demo`. */
export const moduleSeeds: { name: string; run: (db: Db) => Promise<void> }[] = [
  { name: 'customers', run: seedCustomersDemo },
  { name: 'catalog', run: seedCatalogDemo },
  { name: 'inventory', run: seedInventoryDemo },
  { name: 'orders', run: seedOrdersDemo },
  { name: 'quality', run: seedQualityDemo },
  { name: 'trace', run: seedTraceDemo },
  { name: 'training', run: seedTrainingDemo },
  { name: 'logistics', run: seedLogisticsDemo },
];

/** Background jobs of the business modules (expiry alerts, SLA timers …), each made with defineJob() in its module. */
export const moduleJobs: Job[] = [...customerJobs, ...inventoryJobs, ...orderJobs, ...trainingJobs, ...trackingJobs];

/** Personal data older rows of the business modules may hold in clear: sealed at every start (idempotent, batched). */
export const moduleSealers: PlaintextSealer[] = [...customerSealers, ...orderSealers];
