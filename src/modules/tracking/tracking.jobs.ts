import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { inTransaction } from '../../platform/db/client.js';
import { defineJob } from '../../platform/jobs.js';
import { runEscalations } from './exceptions.service.js';

/** Exception escalation along owner → department head → management: every 15 minutes. */
export const trackingJobs = [
  defineJob({
    name: 'tracking.exception-escalation',
    label: { zh: '异常超时升级', en: 'Exception escalation' },
    everyMs: 15 * 60 * 1000,
    run: (ctx) => inTransaction(ctx.db, (tx) => runEscalations(tx, SYSTEM_ACTOR)),
  }),
];
