import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clock, fixedClock, setClock, systemClock } from '../src/platform/clock.js';
import { auditLog, sessions, users } from '../src/platform/platform.tables.js';
import { cookieOf, json, PASSWORD, testApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t?.close());
afterEach(() => setClock(systemClock));

const login = (username: string, password: string, cookie?: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers: cookie ? { cookie } : {} });

describe('authentication', () => {
  it('signs in with username and password and returns roles and permissions from /me', async () => {
    const { cookie } = await t.loginAs(['warehouse'], { username: 'keeper1' });
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    const { user } = json<{ user: { username: string; roles: string[]; permissions: string[] } }>(me);
    expect(user.username).toBe('keeper1');
    expect(user.roles).toEqual(['warehouse']);
    expect(user.permissions).toContain('inventory:receive');
    expect(user.permissions).not.toContain('users:manage');
  });

  it('sets an HttpOnly SameSite session cookie', async () => {
    await t.loginAs(['sales'], { username: 'cookiecheck' });
    const res = await login('cookiecheck', PASSWORD);
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(/agri_sid=/);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
  });

  it('stores only a hash of the password and of the session token', async () => {
    const { cookie, userId } = await t.loginAs(['sales'], { username: 'hashcheck' });
    const [u] = await t.database.db.select().from(users).where(eq(users.id, userId));
    expect(u!.passwordHash).toMatch(/^scrypt\$/);
    expect(u!.passwordHash).not.toContain(PASSWORD);
    const token = cookie.split('=')[1]!;
    const rows = await t.database.db.select().from(sessions).where(eq(sessions.userId, userId));
    expect(rows.every((s) => s.tokenHash !== token && s.tokenHash.length === 64)).toBe(true);
  });

  it('rejects wrong credentials with 401 AUTH_INVALID_CREDENTIALS and records the failure', async () => {
    await t.loginAs(['sales'], { username: 'wrongpw' });
    const res = await login('wrongpw', 'nope-nope-1');
    expect(res.statusCode).toBe(401);
    expect(json(res).code).toBe('AUTH_INVALID_CREDENTIALS');
    const unknown = await login('nobody-here', 'whatever1');
    expect(unknown.statusCode).toBe(401);
    const failures = await t.database.db.select().from(auditLog).where(eq(auditLog.action, 'auth.login.failed'));
    expect(failures.length).toBeGreaterThanOrEqual(2);
  });

  it('throttles after 5 failed logins even with the right password', async () => {
    await t.loginAs(['sales'], { username: 'throttled' });
    for (let i = 0; i < 5; i++) expect((await login('throttled', 'bad-password-1')).statusCode).toBe(401);
    const res = await login('throttled', PASSWORD);
    expect(res.statusCode).toBe(429);
    expect(json(res).code).toBe('AUTH_THROTTLED');
  });

  it('rotates the session at login: the previous token stops working', async () => {
    const { cookie } = await t.loginAs(['sales'], { username: 'rotate' });
    const again = await login('rotate', PASSWORD, cookie);
    const fresh = cookieOf(again);
    expect(fresh).not.toBe(cookie);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: fresh } })).statusCode).toBe(200);
  });

  it('ends the session at logout', async () => {
    const { cookie } = await t.loginAs(['sales'], { username: 'leaver' });
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
  });

  it('expires an idle session with 401 SESSION_EXPIRED', async () => {
    const c = fixedClock(new Date());
    setClock(c);
    const { cookie } = await t.loginAs(['sales'], { username: 'idle' });
    c.advance((t.app.ctx.session.idleMinutes + 1) * 60_000);
    const res = await t.app.inject({ url: '/api/auth/me', headers: { cookie } });
    expect(res.statusCode).toBe(401);
    expect(json(res).code).toBe('SESSION_EXPIRED');
  });

  it('expires a session at its absolute lifetime even when active', async () => {
    const c = fixedClock(new Date());
    setClock(c);
    const { cookie } = await t.loginAs(['sales'], { username: 'absolute' });
    const steps = Math.ceil((t.app.ctx.session.absoluteHours * 60) / 50) + 1;
    let last = 200;
    for (let i = 0; i < steps; i++) {
      c.advance(50 * 60_000);
      last = (await t.app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode;
    }
    expect(last).toBe(401);
    expect(clock.now().getTime()).toBeGreaterThan(Date.now());
  });

  it('ends the sessions of a disabled user at the next request', async () => {
    const admin = await t.loginAs(['admin'], { username: 'admin_disabler' });
    const victim = await t.loginAs(['sales'], { username: 'tobedisabled' });
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: victim.cookie } })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'POST', url: `/api/admin/users/${victim.userId}/disable`, headers: { cookie: admin.cookie } });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: victim.cookie } })).statusCode).toBe(401);
    expect((await login('tobedisabled', PASSWORD)).statusCode).toBe(401);
  });

  it('issues personal API tokens usable as Bearer and revocable', async () => {
    const { cookie } = await t.loginAs(['sales'], { username: 'integrator' });
    const created = await t.app.inject({ method: 'POST', url: '/api/me/tokens', headers: { cookie }, payload: { name: 'ERP' } });
    expect(created.statusCode).toBe(201);
    const { id, token } = json<{ id: string; token: string }>(created);
    const me = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode).toBe(200);
    expect(json<{ user: { username: string } }>(me).user.username).toBe('integrator');
    const list = json<{ items: { id: string }[] }>(await t.app.inject({ url: '/api/me/tokens', headers: { cookie } }));
    expect(list.items.map((x) => x.id)).toContain(id);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/me/tokens/${id}`, headers: { cookie } })).statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(after.statusCode).toBe(401);
    expect(json(after).code).toBe('AUTH_TOKEN_INVALID');
  });
});
