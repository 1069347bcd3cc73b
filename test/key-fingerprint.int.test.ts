import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { SYSTEM_ACTOR } from '../src/platform/auth/actor.js';
import { createUser } from '../src/platform/auth/users.service.js';
import { loadConfig } from '../src/platform/config.js';
import { createPiiCipher, keyFingerprint, KeyMismatchError, loadMasterKey } from '../src/platform/crypto/pii.js';
import { inTransaction, queryRows, type Database } from '../src/platform/db/client.js';
import { prepare } from '../src/server.js';
import { cookieOf, PASSWORD } from './helpers/app.js';
import { engine, freshDatabase, type TestDatabase } from './helpers/db.js';

const dirs: string[] = [];
const pgs: TestDatabase[] = [];
afterAll(async () => {
  for (const d of pgs) await d.close();
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});
const tmpDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'agri-key-'));
  dirs.push(d);
  return d;
};

/** One database (a PGlite data directory, or a new PostgreSQL database) that several instances start on. */
async function newDatabase(): Promise<{ start: (secret: string | undefined, dataDir?: string) => Promise<Database>; dataDir: string }> {
  const dataDir = tmpDir();
  let databaseUrl: string | undefined;
  if (engine === 'postgres') {
    const pg = await freshDatabase();
    pgs.push(pg);
    databaseUrl = pg.url;
  }
  return {
    dataDir,
    start: async (secret, dir = dataDir) => (await prepare({ ...loadConfig({}), databaseUrl, dataDir: dir, secret, adminPassword: 'Adm1nPassw0rd' })).database,
  };
}

const stored = async (database: Database) => (await queryRows<{ value: string }>(database.db, sql`select value from app_meta where key = 'pii_key_fingerprint'`))[0]?.value;

const sha = (s: string) => loadMasterKey(s, '/nonexistent');

describe(`encryption key fingerprint (${engine})`, { timeout: 120_000 }, () => {
  it('the first start stores the key fingerprint (16 hex of an HMAC under the key); a start with the same key passes', async () => {
    const db = await newDatabase();
    const first = await db.start('secret-A');
    expect(await stored(first)).toBe(keyFingerprint(sha('secret-A')));
    expect(await stored(first)).toMatch(/^[0-9a-f]{16}$/);
    await first.close();
    const again = await db.start('secret-A');
    expect(await stored(again)).toBe(keyFingerprint(sha('secret-A')));
    await again.close();
  });

  it('a start with another AGRI_OMS_SECRET refuses with a message (zh + en) saying to set AGRI_OMS_SECRET', async () => {
    const db = await newDatabase();
    await (await db.start('secret-A')).close();
    const err = await db.start('secret-B').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyMismatchError);
    const msg = (err as Error).message;
    expect(msg).toContain(`fingerprint ${keyFingerprint(sha('secret-A'))}`);
    expect(msg).toContain(keyFingerprint(sha('secret-B')));
    expect(msg).toMatch(/Set AGRI_OMS_SECRET to the value the other instances/);
    expect(msg).toMatch(/请将 AGRI_OMS_SECRET 设为/);
    // The refused start changed nothing: the right key still starts.
    await (await db.start('secret-A')).close();
  });

  it('an instance with AGRI_OMS_SECRET unset creating its own key refuses when the database holds a fingerprint, and keeps no key file', async () => {
    const db = await newDatabase();
    await (await db.start('secret-A')).close();
    // On PostgreSQL a second instance elsewhere (its own, empty data directory); on PGlite the same directory with the secret gone.
    const dir = engine === 'postgres' ? tmpDir() : db.dataDir;
    const err = await db.start(undefined, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyMismatchError);
    expect((err as Error).message).toMatch(/a new key file .*secret\.key created because AGRI_OMS_SECRET is not set/);
    expect((err as Error).message).toMatch(/因未设置 AGRI_OMS_SECRET 而新建的密钥文件/);
    expect(fs.existsSync(path.join(dir, 'secret.key'))).toBe(false);
  });

  it('without AGRI_OMS_SECRET the key file beside the data is the key: later starts pass with it, and refuse without it', async () => {
    const db = await newDatabase();
    await (await db.start(undefined)).close();
    expect(fs.existsSync(path.join(db.dataDir, 'secret.key'))).toBe(true);
    await (await db.start(undefined)).close();
    const err = await db.start('now-set').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyMismatchError);
    expect((err as Error).message).toContain('from AGRI_OMS_SECRET');
  });

  it('a database from before fingerprints: a key that does not open its encrypted values refuses; the right key starts and stores its fingerprint', async () => {
    const db = await newDatabase();
    const first = await db.start('secret-A');
    await inTransaction(first.db, (tx) => createUser(tx, SYSTEM_ACTOR, { username: 'withphone', displayName: 'P', password: PASSWORD, roles: ['sales'], phone: '13800138000' }));
    await first.db.execute(sql`delete from app_meta where key = 'pii_key_fingerprint'`);
    await first.close();
    const err = await db.start('secret-B').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyMismatchError);
    expect((err as Error).message).toContain('encrypted with another key');
    const right = await db.start('secret-A');
    expect(await stored(right)).toBe(keyFingerprint(sha('secret-A')));
    await right.close();
  });

  it('after a start with the right key, reads of encrypted values answer 200 with the clear values', async () => {
    const db = await newDatabase();
    const first = await db.start('secret-A');
    await inTransaction(first.db, (tx) => createUser(tx, SYSTEM_ACTOR, { username: 'reader', displayName: 'R', password: PASSWORD, roles: ['admin'], phone: '13800138000' }));
    await first.close();
    await expect(db.start('secret-B')).rejects.toBeInstanceOf(KeyMismatchError);
    const database = await db.start('secret-A');
    const app = await buildApp({ database, config: { ...loadConfig({}), dataDir: db.dataDir } });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'reader', password: PASSWORD } });
      const res = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: cookieOf(login) } });
      expect(res.statusCode).toBe(200);
      expect(createPiiCipher(sha('secret-A')).decrypt((await queryRows<{ p: string }>(database.db, sql`select phone_enc as p from users where username = 'reader'`))[0]!.p)).toBe(
        '13800138000',
      );
    } finally {
      await app.close();
      await database.close();
    }
  });
});
