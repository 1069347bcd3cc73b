import { and, asc, eq, lte, sql } from 'drizzle-orm';
import { inTransaction, tryXactLock, type Db } from '../db/client.js';
import { outbox } from '../platform.tables.js';
import { clock as appClock, type Clock } from '../clock.js';
import { openJson, sealJson } from '../crypto/pii.js';

export type OutboxMessage = { id: string; topic: string; payload: unknown; attempts: number };
export type OutboxHandler = (db: Db, payload: unknown, message: OutboxMessage) => Promise<void>;

const handlers = new Map<string, OutboxHandler>();
const OUTBOX_LEADER_LOCK = 727_003;

/** A consumer of one topic. Consumers must be idempotent: a message may be delivered more than once. */
export function registerOutboxHandler(topic: string, handler: OutboxHandler): void {
  handlers.set(topic, handler);
}

/**
 * Writes a side effect to the outbox inside the caller's transaction; it is delivered after commit (due now on the
 * application's clock). The payload is stored encrypted (sealJson): messages carry recipients' phones and addresses.
 */
export async function enqueue(db: Db, topic: string, payload: unknown): Promise<string> {
  const [row] = await db
    .insert(outbox)
    .values({ topic, payload: sealJson(payload), nextAttemptAt: appClock.now() })
    .returning({ id: outbox.id });
  return row!.id;
}

export type DeliveryOptions = { clock: Clock; maxAttempts: number; baseDelayMs?: number; batch?: number };

/** Delivers due messages once; returns how many were handled. Leader-only on PostgreSQL via an advisory lock. */
export async function deliverOutbox(db: Db, opts: DeliveryOptions): Promise<{ delivered: number; failed: number }> {
  let delivered = 0;
  let failed = 0;
  const due = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, opts.clock.now())))
    .orderBy(asc(outbox.nextAttemptAt))
    .limit(opts.batch ?? 50);
  for (const { id } of due) {
    try {
      const ok = await inTransaction(db, async (tx) => {
        if (!(await tryXactLock(tx, OUTBOX_LEADER_LOCK))) return false;
        const rows = await tx.execute(sql`select id, topic, payload, attempts from outbox where id = ${id} and status = 'pending' for update skip locked`);
        const msg = (rows as unknown as { rows: OutboxMessage[] }).rows[0];
        if (!msg) return false;
        const handler = handlers.get(msg.topic);
        if (!handler) throw new Error(`no handler for topic ${msg.topic}`);
        // Payloads from before encryption are plain JSON (openJson returns them as they are).
        const payload = openJson(msg.payload);
        await handler(tx, payload, { ...msg, payload });
        await tx
          .update(outbox)
          .set({ status: 'done', deliveredAt: opts.clock.now(), attempts: msg.attempts + 1 })
          .where(eq(outbox.id, id));
        return true;
      });
      if (ok) delivered += 1;
    } catch (err) {
      failed += 1;
      await db.transaction(async (txRaw) => {
        const tx = txRaw as unknown as Db;
        const [row] = await tx.select({ attempts: outbox.attempts }).from(outbox).where(eq(outbox.id, id));
        const attempts = (row?.attempts ?? 0) + 1;
        const dead = attempts >= opts.maxAttempts;
        const delay = (opts.baseDelayMs ?? 1000) * 2 ** (attempts - 1);
        await tx
          .update(outbox)
          .set({
            attempts,
            status: dead ? 'dead' : 'pending',
            lastError: String((err as Error).message ?? err).slice(0, 1000),
            nextAttemptAt: new Date(opts.clock.now().getTime() + delay),
          })
          .where(eq(outbox.id, id));
      });
    }
  }
  return { delivered, failed };
}
