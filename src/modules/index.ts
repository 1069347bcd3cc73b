import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Db } from '../platform/db/client.js';

/** Route plugins of the business modules, mounted under /api. */
export const moduleRoutes: FastifyPluginAsyncZod[] = [];

/** Demo-data loaders of the business modules, run in order by `seed --demo`. */
export const moduleSeeds: { name: string; run: (db: Db) => Promise<void> }[] = [];
