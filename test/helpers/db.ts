import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, runMigrations, type Database } from '../../src/platform/db/client.js';
import { createPiiCipher, initPii } from '../../src/platform/crypto/pii.js';
import { seedCalendar } from '../../src/platform/calendar/calendar.service.js';

export type TestDatabase = Database & { url?: string; engine: 'pglite' | 'postgres' };

export const engine = (process.env.TEST_ENGINE ?? 'pglite') as 'pglite' | 'postgres';

/** A fresh, migrated database for one test file: in-memory PGlite, or a new PostgreSQL database. */
export async function freshDatabase(): Promise<TestDatabase> {
  initPii(createPiiCipher(crypto.createHash('sha256').update('test-secret').digest()));
  if (engine === 'postgres') {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) throw new Error('TEST_DATABASE_URL is required for the postgres project');
    const name = `agri_test_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    const url = u.toString();
    const database = await openDatabase({ databaseUrl: url, poolSize: 40 });
    await runMigrations(database, url);
    await seedCalendar(database.db);
    return {
      ...database,
      url,
      engine,
      close: async () => {
        await database.close();
        const c = new pg.Client({ connectionString: base });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const database = await openDatabase({ memory: true });
  await runMigrations(database);
  await seedCalendar(database.db);
  return { ...database, engine };
}

/** Prints why a test is skipped (the suite never skips silently). */
export function skipReason(reason: string): string {
  console.log(`[skipped] ${reason}`);
  return reason;
}
