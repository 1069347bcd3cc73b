import { and, eq } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { clock } from '../../platform/clock.js';
import { inTransaction, type Db, type DbKind } from '../../platform/db/client.js';
import { instanceAlive } from '../../platform/db/presence.js';
import { defineJob } from '../../platform/jobs.js';
import { OrderErrors } from './orders.errors.js';
import { orderImportJobs } from './orders.tables.js';

/** A running import without a process name (from before imports were named) counts as interrupted after this long. */
const UNNAMED_MS = 30 * 60_000;

/**
 * Ends the imports whose process is gone (kill -9, power cut, a crash): status failed with IMPORT_INTERRUPTED, keeping
 * what was processed (each order commits on its own, so processed/created/report say exactly what was imported) —
 * never left "running" forever. The uploaded file is not kept, so the user imports it again; orders already imported
 * are skipped by their row key. Returns the ids ended.
 */
export async function endInterruptedImports(db: Db, kind: DbKind): Promise<string[]> {
  const running = await db
    .select({
      id: orderImportJobs.id,
      claimedBy: orderImportJobs.claimedBy,
      createdAt: orderImportJobs.createdAt,
      processed: orderImportJobs.processed,
      total: orderImportJobs.total,
    })
    .from(orderImportJobs)
    .where(eq(orderImportJobs.status, 'running'));
  const ended: string[] = [];
  for (const job of running) {
    const gone = job.claimedBy === null ? clock.now().getTime() - job.createdAt.getTime() > UNNAMED_MS : !(await instanceAlive(db, kind, job.claimedBy));
    if (!gone) continue;
    const done = await inTransaction(db, async (tx) => {
      const rows = await tx
        .update(orderImportJobs)
        .set({ status: 'failed', error: OrderErrors.IMPORT_INTERRUPTED, finishedAt: clock.now() })
        .where(and(eq(orderImportJobs.id, job.id), eq(orderImportJobs.status, 'running')))
        .returning({ id: orderImportJobs.id });
      if (!rows[0]) return false;
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: 'order.import.interrupted',
        entity: 'order_import',
        entityId: job.id,
        after: { processed: job.processed, total: job.total, instance: job.claimedBy },
      });
      return true;
    });
    if (done) ended.push(job.id);
  }
  return ended;
}

/** Every minute (and soon after each start): imports left running by a process that is gone are ended. */
export const orderJobs = [
  defineJob({
    name: 'orders.interrupted-imports',
    label: { zh: '结束中断的订单导入', en: 'End interrupted order imports' },
    everyMs: 60_000,
    run: (ctx) => endInterruptedImports(ctx.db, ctx.kind),
  }),
];
