import { inTransaction } from '../../platform/db/client.js';
import { defineJob } from '../../platform/jobs.js';
import { notifyUsers } from '../../platform/notifications/notifications.service.js';
import { runQualificationAlerts } from './customers.service.js';

/** Qualification expiry alerts: hourly, each expiry date alerts once. */
export const customerJobs = [
  defineJob({
    name: 'customers.qualification-alerts',
    label: { zh: '客户资质到期提醒', en: 'Customer qualification reminders' },
    everyMs: 60 * 60 * 1000,
    run: (ctx) => inTransaction(ctx.db, (tx) => runQualificationAlerts(tx, notifyUsers, (subject, key) => ctx.claimEffect(subject, key, tx))),
  }),
];
