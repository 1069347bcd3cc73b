import { sql, type SQL } from 'drizzle-orm';
import { inTransaction, type Db } from '../../src/platform/db/client.js';

/**
 * Runs statements against the audit log as an attacker with superuser rights would: with triggers switched off for the
 * transaction (session_replication_role = replica), so the append-only guard does not stop them and `audit verify`
 * has to find the change.
 */
export async function tamper(db: Db, ...statements: SQL[]): Promise<void> {
  await inTransaction(db, async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    for (const s of statements) await tx.execute(s);
  });
}
