import fs from 'node:fs';
import { count, eq } from 'drizzle-orm';
import { SYSTEM_ACTOR } from './auth/actor.js';
import { generatePassword } from './auth/password.js';
import { createUser } from './auth/users.service.js';
import { seedCalendar } from './calendar/calendar.service.js';
import { createPiiCipher, keyFingerprint, KeyMismatchError, type MasterKey } from './crypto/pii.js';
import { inTransaction, queryRows, type Database, type Db } from './db/client.js';
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
      await createUser(db, SYSTEM_ACTOR, { username: 'admin', displayName: '系统管理员', password, roles: ['admin'], oneTimePassword: adminPassword === undefined });
    }
    if (!meta) await db.insert(appMeta).values({ key: 'initialised_at', value: new Date().toISOString() });
    return { createdAdmin: password !== null, password: adminPassword ? null : password, firstStart: !meta };
  });
}

const KEY_FINGERPRINT = 'pii_key_fingerprint';

/**
 * Every start: the master key's fingerprint must be the one stored in the database (stored at the first start), so an
 * instance with another key — AGRI_OMS_SECRET changed or unset, a lost key file — refuses to start (KeyMismatchError)
 * instead of answering reads with values it cannot decrypt. A database from before fingerprints gets this key's once
 * its encrypted values open with it. A key file this start created for nothing is removed again.
 */
export async function checkKeyFingerprint(database: Database, key: MasterKey): Promise<void> {
  const mine = keyFingerprint(key.key);
  const stored = await inTransaction(database.db, async (db) => {
    await db.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
    const [row] = await db.select().from(appMeta).where(eq(appMeta.key, KEY_FINGERPRINT));
    if (row) return row.value;
    if (!(await opensEncryptedValues(db, key.key))) return null;
    await db.insert(appMeta).values({ key: KEY_FINGERPRINT, value: mine });
    return mine;
  });
  if (stored === mine) return;
  if (key.source === 'new-file') fs.rmSync(key.file, { force: true });
  throw new KeyMismatchError(stored, mine, key);
}

/** Whether the key decrypts one stored value of every encrypted column (`*_enc`); true when there are none yet. */
async function opensEncryptedValues(db: Db, master: Buffer): Promise<boolean> {
  const cipher = createPiiCipher(master);
  const columns = await queryRows<{ t: string; c: string }>(
    db,
    sql`select table_name as t, column_name as c from information_schema.columns where table_schema = current_schema() and right(column_name, 4) = '_enc' and data_type = 'text'`,
  );
  for (const { t, c } of columns) {
    const [row] = await queryRows<{ v: string }>(db, sql`select ${sql.identifier(c)} as v from ${sql.identifier(t)} where ${sql.identifier(c)} is not null limit 1`);
    if (!row) continue;
    try {
      cipher.decrypt(row.v);
    } catch {
      return false;
    }
  }
  return true;
}

export async function demoLoaded(database: Database): Promise<boolean> {
  const rows = await queryRows<{ value: string }>(database.db, sql`select value from app_meta where key = 'demo_loaded'`);
  return rows.length > 0;
}
