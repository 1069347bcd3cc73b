import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../platform/db/client.js';
import type { Job } from '../platform/jobs.js';
import { catalogRoutes, seedCatalogDemo } from './catalog/index.js';
import { customerJobs, customersRoutes, seedCustomersDemo } from './customers/index.js';
import { inventoryJobs, inventoryRoutes, seedInventoryDemo } from './inventory/index.js';
import { orderJobs, ordersRoutes, seedOrdersDemo } from './orders/index.js';
import { planningRoutes } from './planning/index.js';
import { procurementRoutes } from './procurement/index.js';
import { qualityRoutes, seedQualityDemo } from './quality/index.js';
import { digitalLinkRoutes, seedTraceDemo, traceRoutes } from './trace/index.js';

/** Route plugins of the business modules, mounted under /api (digitalLinkRoutes opts out: GS1 Digital Link paths live at the site root). */
export const moduleRoutes: FastifyPluginAsyncZod[] = [
  catalogRoutes,
  customersRoutes,
  inventoryRoutes,
  ordersRoutes,
  qualityRoutes,
  traceRoutes,
  procurementRoutes,
  planningRoutes,
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
];

/** Background jobs of the business modules (expiry alerts, SLA timers …), each made with defineJob() in its module. */
export const moduleJobs: Job[] = [...customerJobs, ...inventoryJobs, ...orderJobs];
