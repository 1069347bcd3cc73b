import crypto from 'node:crypto';
import pg from 'pg';

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
