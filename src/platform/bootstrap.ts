import { count, eq } from 'drizzle-orm';
import { SYSTEM_ACTOR } from './auth/actor.js';
import { generatePassword } from './auth/password.js';
import { createUser } from './auth/users.service.js';
import { seedCalendar } from './calendar/calendar.service.js';
import { inTransaction, queryRows, type Database } from './db/client.js';
import { appMeta, users } from './platform.tables.js';
import { sql } from 'drizzle-orm';

const BOOTSTRAP_LOCK = 727_004;

/** First start: seed the calendar and create the admin account (one-time password unless given). */
export async function bootstrap(database: Database, adminPassword: string | undefined): Promise<{ createdAdmin: boolean; password: string | null; firstStart: boolean }> {
  return inTransaction(database.db, async (db) => {
    await db.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
    const [meta] = await db.select().from(appMeta).where(eq(appMeta.key, 'initialised_at'));
    if (!meta) await seedCalendar(db);
    const [n] = await db.select({ n: count() }).from(users);
    let password: string | null = null;
    if ((n?.n ?? 0) === 0) {
      password = adminPassword ?? generatePassword();
      await createUser(db, SYSTEM_ACTOR, { username: 'admin', displayName: '系统管理员', password, roles: ['admin'] });
    }
    if (!meta) await db.insert(appMeta).values({ key: 'initialised_at', value: new Date().toISOString() });
    return { createdAdmin: password !== null, password: adminPassword ? null : password, firstStart: !meta };
  });
}

export async function demoLoaded(database: Database): Promise<boolean> {
  const rows = await queryRows<{ value: string }>(database.db, sql`select value from app_meta where key = 'demo_loaded'`);
  return rows.length > 0;
}
