import { inTransaction } from '../../platform/db/client.js';
import { defineJob } from '../../platform/jobs.js';
import { notifyUsers } from '../../platform/notifications/notifications.service.js';
import { runTrainingReminders } from './training.service.js';

/** Re-test deadlines and certificate expiry reminders (and closing exam attempts left open past their limit): hourly. */
export const trainingJobs = [
  defineJob({
    name: 'training.reminders',
    label: { zh: '补考与证书到期提醒', en: 'Re-test and certificate expiry reminders' },
    everyMs: 60 * 60 * 1000,
    run: (ctx) => inTransaction(ctx.db, (tx) => runTrainingReminders(tx, notifyUsers, (subject, key) => ctx.claimEffect(subject, key, tx))),
  }),
];
