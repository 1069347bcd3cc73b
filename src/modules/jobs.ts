import type { Db } from '../platform/db/client.js';
import type { Job } from '../platform/jobs.js';
import { customerJobs } from './customers/index.js';
import { inventoryJobs } from './inventory/index.js';

/** Background jobs of the business modules (expiry alerts, SLA timers …). */
export function moduleJobs(db: Db): Job[] {
  return [...customerJobs(db), ...inventoryJobs(db)];
}
