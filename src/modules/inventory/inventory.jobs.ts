import { inTransaction } from '../../platform/db/client.js';
import { defineJob } from '../../platform/jobs.js';
import { scanExpiryAlerts } from './stock.reports.js';

/** Hourly near-expiry / expired lot alerts through the notification outbox (once per lot and kind). */
export const inventoryJobs = [
  defineJob({
    name: 'inventory.expiry-alerts',
    label: { zh: '批次临期与过期提醒', en: 'Lot expiry alerts' },
    everyMs: 60 * 60 * 1000,
    run: (ctx) => inTransaction(ctx.db, (tx) => scanExpiryAlerts(tx, (subject, key) => ctx.claimEffect(subject, key, tx))),
  }),
];
