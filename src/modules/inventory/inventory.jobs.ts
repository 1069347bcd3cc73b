import { inTransaction, type Db } from '../../platform/db/client.js';
import type { Job } from '../../platform/jobs.js';
import { scanExpiryAlerts } from './stock.reports.js';

/** Hourly near-expiry / expired lot alerts through the notification outbox (once per lot and kind). */
export function inventoryJobs(db: Db): Job[] {
  return [{ name: 'inventory.expiry-alerts', everyMs: 60 * 60 * 1000, run: () => inTransaction(db, (tx) => scanExpiryAlerts(tx)) }];
}
