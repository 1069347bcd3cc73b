import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../src/platform/bootstrap.js';
import { auditLog, users } from '../src/platform/platform.tables.js';
import { freshDatabase } from './helpers/db.js';
import { cookieOf, json, PASSWORD, testApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = (await t.loginAs(['admin'])).cookie;
});
afterAll(async () => t?.close());

const login = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
const change = (cookie: string, currentPassword: string, newPassword: string, locale = 'zh-CN') =>
  t.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie, 'accept-language': locale }, payload: { currentPassword, newPassword } });

async function adminCreates(username: string, password: string): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: { cookie: admin }, payload: { username, displayName: username, password, roles: ['sales'] } });
  expect(res.statusCode).toBe(201);
}

describe('changing one’s own password', () => {
  it('a user created by an admin must change the one-time password before anything else', async () => {
    await adminCreates('onetime1', 'Temp1234x');
    const res = await login('onetime1', 'Temp1234x');
    expect(res.statusCode).toBe(200);
    expect(json<{ user: { mustChangePassword: boolean } }>(res).user.mustChangePassword).toBe(true);
    const cookie = cookieOf(res);
    // Everything but me, sign-out and the change itself is refused, the same on the cached-session fast path.
    for (let i = 0; i < 2; i++) {
      const blocked = await t.app.inject({ url: '/api/orders', headers: { cookie } });
      expect(blocked.statusCode).toBe(403);
      expect(json<{ code: string }>(blocked).code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    }
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(200);
    expect((await change(cookie, 'Temp1234x', 'MyOwn5678')).statusCode).toBe(204);
    const me = json<{ user: { mustChangePassword: boolean } }>(await t.app.inject({ url: '/api/auth/me', headers: { cookie } }));
    expect(me.user.mustChangePassword).toBe(false);
    expect((await t.app.inject({ url: '/api/orders', headers: { cookie } })).statusCode).toBe(200);
    expect((await login('onetime1', 'Temp1234x')).statusCode).toBe(401);
    expect((await login('onetime1', 'MyOwn5678')).statusCode).toBe(200);
  });

  it('an admin reset sets a one-time password again; a user changing their own keeps this session and ends the others', async () => {
    const { cookie: own, userId } = await t.loginAs(['sales'], { username: 'selfchange' });
    const other = cookieOf(await login('selfchange', PASSWORD));
    expect((await change(own, PASSWORD, 'Fresh9876')).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: own } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: other } })).statusCode).toBe(401);
    const [row] = await t.database.db.select().from(users).where(eq(users.id, userId));
    expect(row!.mustChangePassword).toBe(false);
    const audit = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'user.change-password'), eq(auditLog.entityId, userId)));
    expect(audit).toHaveLength(1);

    await t.app.inject({ method: 'POST', url: `/api/admin/users/${userId}/reset-password`, headers: { cookie: admin }, payload: { password: 'Reset4321' } });
    const again = await login('selfchange', 'Reset4321');
    expect(json<{ user: { mustChangePassword: boolean } }>(again).user.mustChangePassword).toBe(true);
    expect((await t.app.inject({ url: '/api/customers', headers: { cookie: cookieOf(again) } })).statusCode).toBe(403);
  });

  it('refuses a wrong current password, an unchanged one and a weak one, naming the field in the user’s language', async () => {
    const { cookie } = await t.loginAs(['sales']);
    const wrong = await change(cookie, 'nope1234', 'Better123');
    expect(wrong.statusCode).toBe(400);
    expect(json<{ errors: { field: string; message: string }[] }>(wrong).errors[0]).toMatchObject({ field: 'currentPassword', message: '当前密码不正确。' });
    const same = await change(cookie, PASSWORD, PASSWORD, 'en-US');
    expect(json<{ code: string; errors: { field: string }[] }>(same)).toMatchObject({ code: 'AUTH_PASSWORD_UNCHANGED', errors: [{ field: 'newPassword' }] });
    const weak = await change(cookie, PASSWORD, 'short');
    expect(json<{ code: string; errors: { field: string }[] }>(weak)).toMatchObject({ code: 'USER_WEAK_PASSWORD', errors: [{ field: 'newPassword' }] });
  });

  it('a generated first-start admin password is one-time; one given in AGRI_OMS_ADMIN_PASSWORD is not', async () => {
    for (const given of [undefined, 'Given1234']) {
      const db = await freshDatabase();
      try {
        const boot = await bootstrap(db, given);
        expect(boot.createdAdmin).toBe(true);
        const [first] = await db.db.select().from(users).where(eq(users.username, 'admin'));
        expect(first!.mustChangePassword).toBe(given === undefined);
      } finally {
        await db.close();
      }
    }
  });
});
