import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { SYSTEM_ACTOR } from '../../src/platform/auth/actor.js';
import { createUser } from '../../src/platform/auth/users.service.js';
import { loadConfig } from '../../src/platform/config.js';
import { inTransaction } from '../../src/platform/db/client.js';
import { freshDatabase, type TestDatabase } from './db.js';

export type TestApp = {
  app: FastifyInstance;
  database: TestDatabase;
  /** Creates a user with the roles and returns a cookie header for it. */
  loginAs: (roles: string[], opts?: { username?: string; customerId?: string }) => Promise<{ cookie: string; userId: string; username: string }>;
  close: () => Promise<void>;
};

export const PASSWORD = 'Passw0rd!';
let counter = 0;

export function cookieOf(res: LightMyRequestResponse): string {
  const set = res.headers['set-cookie'];
  const first = Array.isArray(set) ? set[0] : set;
  return (first ?? '').split(';')[0] ?? '';
}

/** A real application on a fresh database, driven through app.inject(). */
export async function testApp(): Promise<TestApp> {
  const database = await freshDatabase();
  const config = { ...loadConfig({}), dataDir: '.tmp/test-data', bodyLimitBytes: 1_048_576 };
  const app = await buildApp({ database, config });
  await app.ready();
  const loginAs: TestApp['loginAs'] = async (roles, opts = {}) => {
    counter += 1;
    const username = opts.username ?? `u${counter}_${roles.join('_')}`.slice(0, 32);
    const user = await inTransaction(database.db, (db) =>
      createUser(db, SYSTEM_ACTOR, { username, displayName: username, password: PASSWORD, roles, customerId: opts.customerId ?? null }),
    );
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
    return { cookie: cookieOf(res), userId: user.id, username };
  };
  return {
    app,
    database,
    loginAs,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export function json<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T;
}
