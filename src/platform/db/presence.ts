import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { queryRows, type Db, type DbKind } from './client.js';

/** This process, as other instances on the same database see it (a new id at every start). */
export const INSTANCE_ID = crypto.randomUUID();

/** The application_name of this process's presence connection on PostgreSQL. */
export function presenceName(instance: string): string {
  return `agri-oms:${instance}`;
}

/**
 * One connection per process that stays open while the process lives, named after INSTANCE_ID: another instance
 * knows this one is alive while pg_stat_activity lists the name, and dead as soon as its process is (a killed
 * process's connections are closed by its operating system). Work a dead instance left claimed can then be taken over.
 */
export function openPresence(databaseUrl: string): { close: () => Promise<void> } {
  let closing = false;
  let client: pg.Client | null = null;
  const connect = () => {
    if (closing) return;
    const c = new pg.Client({ connectionString: databaseUrl, application_name: presenceName(INSTANCE_ID) });
    client = c;
    const again = () => {
      if (client === c && !closing) setTimeout(connect, 1000).unref();
    };
    c.on('error', () => undefined);
    c.on('end', again);
    c.connect().catch(again);
  };
  connect();
  return {
    close: async () => {
      closing = true;
      await client?.end().catch(() => undefined);
    },
  };
}

/**
 * Whether the process that named itself `instance` (its INSTANCE_ID) still runs: this process, yes; on PGlite only
 * one process at a time opens the data directory, so any other is gone; on PostgreSQL while its presence connection
 * is listed in pg_stat_activity.
 */
export async function instanceAlive(db: Db, kind: DbKind, instance: string): Promise<boolean> {
  if (instance === INSTANCE_ID) return true;
  if (kind === 'pglite') return false;
  const [row] = await queryRows<{ alive: boolean }>(db, sql`select exists (select 1 from pg_stat_activity where application_name = ${presenceName(instance)}) as alive`);
  return row?.alive === true;
}
