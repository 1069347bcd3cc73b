import { inTransaction, type Db } from '../../platform/db/client.js';
import type { Job } from '../../platform/jobs.js';
import { notifyUsers } from '../../platform/notifications/notifications.service.js';
import { runQualificationAlerts } from './customers.service.js';

/** Qualification expiry alerts: hourly, each expiry date alerts once. */
export function customerJobs(db: Db): Job[] {
  return [{ name: 'customers.qualification-alerts', everyMs: 60 * 60 * 1000, run: () => inTransaction(db, (tx) => runQualificationAlerts(tx, notifyUsers)) }];
}
