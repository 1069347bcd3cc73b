import type { Db } from '../platform/db/client.js';
import type { Job } from '../platform/jobs.js';

/** Background jobs of the business modules (expiry alerts, SLA timers …). */
export function moduleJobs(db: Db): Job[] {
  void db;
  return [];
}
