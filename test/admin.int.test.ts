import { count, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../src/platform/audit/audit.service.js';
import { queryRows } from '../src/platform/db/client.js';
import { addWorkingDays } from '../src/platform/calendar/calendar.service.js';
import { getSetting } from '../src/platform/settings/settings.service.js';
import { QualificationWarnDays } from '../src/modules/orders/orders.settings.js';
import { auditLog, users } from '../src/platform/platform.tables.js';
import { json, testApp, type TestApp } from './helpers/app.js';
import { tamper } from './helpers/tamper.js';
import { fixture, makeCustomer } from '../src/modules/orders/orders.test-support.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = (await t.loginAs(['admin'], { username: 'root_admin' })).cookie;
});
afterAll(async () => t?.close());

const countUsers = async () => (await t.database.db.select({ n: count() }).from(users))[0]!.n;

describe('users administration', () => {
  it('creates a user with roles, encrypts phone and email at rest, and finds them by exact phone', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: { cookie: admin },
      payload: { username: 'Keeper2', displayName: '仓管二', password: 'Store1234', roles: ['warehouse'], phone: '13912345678', email: 'k2@example.com' },
    });
    expect(res.statusCode).toBe(201);
    const u = json<{ id: string; username: string; phone: string }>(res);
    expect(u.username).toBe('keeper2');
    expect(u.phone).toBe('13912345678');
    const raw = await queryRows<{ phone_enc: string; email_enc: string }>(t.database.db, sql`select phone_enc, email_enc from users where id = ${u.id}`);
    expect(raw[0]!.phone_enc).not.toContain('13912345678');
    expect(raw[0]!.email_enc).not.toContain('example.com');
    const found = json<{ items: { id: string }[] }>(await t.app.inject({ url: '/api/admin/users?q=139-1234-5678', headers: { cookie: admin } }));
    expect(found.items.map((x) => x.id)).toEqual([u.id]);
  });

  it('masks phone and email for viewers without the PII permission', async () => {
    const trainer = await t.loginAs(['trainer'], { username: 'trainer_viewer' });
    const list = json<{ items: { username: string; phone: string | null; email: string | null }[] }>(
      await t.app.inject({ url: '/api/admin/users?q=keeper2', headers: { cookie: trainer.cookie } }),
    );
    expect(list.items[0]!.phone).toBe('139****5678');
    expect(list.items[0]!.email).toBe('k***@example.com');
  });

  it('refuses a duplicate username with 409 and a field error', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: { cookie: admin, 'accept-language': 'en-US' },
      payload: { username: 'keeper2', displayName: 'x', password: 'Store1234', roles: ['sales'] },
    });
    expect(res.statusCode).toBe(409);
    const p = json<{ code: string; errors: { field: string }[]; detail: string }>(res);
    expect(p.code).toBe('USER_USERNAME_TAKEN');
    expect(p.errors[0]!.field).toBe('username');
    expect(p.detail).toContain('already taken');
  });

  it('refuses a weak password and writes nothing', async () => {
    const before = await countUsers();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: { cookie: admin },
      payload: { username: 'weakling', displayName: 'w', password: 'short', roles: ['sales'] },
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).code).toBe('USER_WEAK_PASSWORD');
    expect(await countUsers()).toBe(before);
  });

  it('edits roles, resets a password and lists with filter, sort and pagination', async () => {
    const created = json<{ id: string }>(
      await t.app.inject({
        method: 'POST',
        url: '/api/admin/users',
        headers: { cookie: admin },
        payload: { username: 'multi', displayName: '多角色', password: 'Multi1234', roles: ['sales'] },
      }),
    );
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${created.id}`, headers: { cookie: admin }, payload: { roles: ['sales', 'reviewer'] } });
    expect(json<{ roles: string[] }>(patched).roles).toEqual(['sales', 'reviewer']);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/admin/users/${created.id}/reset-password`, headers: { cookie: admin }, payload: { password: 'NewPass123' } })).statusCode,
    ).toBe(204);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'multi', password: 'NewPass123' } });
    expect(login.statusCode).toBe(200);
    const reviewers = json<{ items: { username: string }[]; total: number }>(
      await t.app.inject({ url: '/api/admin/users?role=reviewer&sort=-username&pageSize=1', headers: { cookie: admin } }),
    );
    expect(reviewers.total).toBeGreaterThanOrEqual(1);
    expect(reviewers.items).toHaveLength(1);
    const bad = await t.app.inject({ url: '/api/admin/users?sort=password', headers: { cookie: admin } });
    expect(bad.statusCode).toBe(400);
  });

  it('will not disable the last active administrator or oneself', async () => {
    const me = json<{ user: { id: string } }>(await t.app.inject({ url: '/api/auth/me', headers: { cookie: admin } }));
    const res = await t.app.inject({ method: 'POST', url: `/api/admin/users/${me.user.id}/disable`, headers: { cookie: admin } });
    expect(res.statusCode).toBe(409);
    expect(json(res).code).toBe('USER_CANNOT_DISABLE_SELF');
  });

  it('exports users as a real Excel workbook', async () => {
    const res = await t.app.inject({ url: '/api/admin/users/export.xlsx', headers: { cookie: admin } });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).text).toBe('用户名');
    const names: string[] = [];
    ws.eachRow((r, i) => i > 1 && names.push(r.getCell(1).text));
    expect(names).toContain('keeper2');
  });

  it('a customer-role account always has a customer: create, role change and clearing customerId answer 422 USER_CUSTOMER_REQUIRED on customerId and change nothing', async () => {
    const f = fixture(t, admin);
    const c = await makeCustomer(f);
    const expectRefused = async (res: Awaited<ReturnType<typeof t.app.inject>>) => {
      expect(res.statusCode, res.body).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const p = json<{ code: string; detail: string; errors: { field: string; code: string; message: string }[] }>(res);
      expect(p.code).toBe('USER_CUSTOMER_REQUIRED');
      expect(p.errors).toEqual([
        expect.objectContaining({ field: 'customerId', code: 'USER_CUSTOMER_REQUIRED', message: 'A customer-role account must be linked to a customer.' }),
      ]);
    };
    const en = { cookie: admin, 'accept-language': 'en-US' };
    const before = await countUsers();
    await expectRefused(
      await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: en, payload: { username: 'nocust', displayName: 'x', password: 'Store1234', roles: ['customer'] } }),
    );
    expect(await countUsers()).toBe(before);

    const staff = json<{ id: string }>(
      await t.app.inject({
        method: 'POST',
        url: '/api/admin/users',
        headers: { cookie: admin },
        payload: { username: 'staff2cust', displayName: 'x', password: 'Store1234', roles: ['sales'] },
      }),
    );
    await expectRefused(await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${staff.id}`, headers: en, payload: { roles: ['customer'] } }));
    await expectRefused(await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${staff.id}`, headers: en, payload: { roles: ['customer'], customerId: null } }));
    expect(json<{ roles: string[] }>(await t.app.inject({ url: `/api/admin/users/${staff.id}`, headers: { cookie: admin } })).roles).toEqual(['sales']);
    // With the customer in the same request the role change is accepted.
    const linked = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${staff.id}`, headers: en, payload: { roles: ['customer'], customerId: c.id } });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(json<{ roles: string[]; customerId: string }>(linked)).toMatchObject({ roles: ['customer'], customerId: c.id });
    // Clearing the customer of a customer-role user is refused; the link stays.
    await expectRefused(await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${staff.id}`, headers: en, payload: { customerId: null } }));
    expect(json<{ customerId: string }>(await t.app.inject({ url: `/api/admin/users/${staff.id}`, headers: { cookie: admin } })).customerId).toBe(c.id);
    // Dropping the role and the customer together is fine.
    const back = await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${staff.id}`, headers: en, payload: { roles: ['sales'], customerId: null } });
    expect(back.statusCode, back.body).toBe(200);
  });

  it('a user with a customerId is scoped to that customer whatever roles it holds', async () => {
    const f = fixture(t, admin);
    const mine = await makeCustomer(f);
    const other = await makeCustomer(f);
    // A staff role that normally sees every customer, but linked to one customer: it sees only that one.
    const linked = await t.loginAs(['sales'], { customerId: mine.id });
    const list = json<{ items: { id: string }[]; total: number }>(await t.app.inject({ url: '/api/customers?pageSize=100', headers: { cookie: linked.cookie } }));
    expect(list.items.map((x) => x.id)).toEqual([mine.id]);
    expect(list.total).toBe(1);
    expect((await t.app.inject({ url: `/api/customers/${other.id}`, headers: { cookie: linked.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/customers/${mine.id}`, headers: { cookie: linked.cookie } })).statusCode).toBe(200);
    // The same role without a customer sees both.
    const staff = await t.loginAs(['sales']);
    const all = json<{ items: { id: string }[] }>(await t.app.inject({ url: '/api/customers?pageSize=100', headers: { cookie: staff.cookie } }));
    expect(all.items.map((x) => x.id)).toEqual(expect.arrayContaining([mine.id, other.id]));
  });

  it('lists roles with their permissions and names in the request language', async () => {
    const zh = json<{ items: { code: string; name: string; permissions: string[] }[] }>(await t.app.inject({ url: '/api/admin/roles', headers: { cookie: admin } }));
    const en = json<{ items: { code: string; name: string }[] }>(await t.app.inject({ url: '/api/admin/roles', headers: { cookie: admin, 'accept-language': 'en' } }));
    expect(zh.items.find((r) => r.code === 'qc')!.name).toBe('质检员');
    expect(en.items.find((r) => r.code === 'qc')!.name).toBe('Quality inspector');
    expect(zh.items.find((r) => r.code === 'customer')!.permissions).toEqual(['portal:access', 'orders:read']);
  });
});

describe('settings', () => {
  it('shows typed parameters with defaults and descriptions, and validates changes', async () => {
    const list = json<{ items: { key: string; value: unknown; defaultValue: unknown; description: string }[] }>(
      await t.app.inject({ url: '/api/admin/settings', headers: { cookie: admin } }),
    );
    const s = list.items.find((x) => x.key === 'auth.loginMaxFailures')!;
    expect(s.defaultValue).toBe(5);
    expect(s.description.length).toBeGreaterThan(4);
    const bad = await t.app.inject({ method: 'PUT', url: '/api/admin/settings/auth.loginMaxFailures', headers: { cookie: admin }, payload: { value: 'many' } });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).code).toBe('SETTING_INVALID');
    const ok = await t.app.inject({ method: 'PUT', url: '/api/admin/settings/auth.loginMaxFailures', headers: { cookie: admin }, payload: { value: 6 } });
    expect(json<{ value: number }>(ok).value).toBe(6);
    const unknown = await t.app.inject({ method: 'PUT', url: '/api/admin/settings/no.such', headers: { cookie: admin }, payload: { value: 1 } });
    expect(unknown.statusCode).toBe(404);
  });
});

describe('audit trail', () => {
  it('records writes with before and after, logins, and authorization denials', async () => {
    const sales = await t.loginAs(['sales'], { username: 'denied_sales' });
    expect((await t.app.inject({ url: '/api/admin/users', headers: { cookie: sales.cookie } })).statusCode).toBe(403);
    const rows = await t.database.db.select().from(auditLog);
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['user.create', 'user.update', 'auth.login', 'auth.denied', 'settings.update']) expect(actions).toContain(a);
    const update = rows.find((r) => r.action === 'user.update')!;
    expect((update.before as { roles: string[] }).roles).toEqual(['sales']);
    expect((update.after as { roles: string[] }).roles).toEqual(['sales', 'reviewer']);
    expect(JSON.stringify(rows)).not.toContain('NewPass123');
  });

  it('verifies an intact chain and detects an edited row', async () => {
    expect((await verifyAudit(t.database.db)).ok).toBe(true);
    const [victim] = await queryRows<{ id: string; seq: number }>(t.database.db, sql`select id, seq from audit_log where action = 'user.update' limit 1`);
    await tamper(t.database.db, sql`update audit_log set actor_name = 'mallory' where id = ${victim!.id}`);
    const r = await verifyAudit(t.database.db);
    expect(r.ok).toBe(false);
    expect(r.firstBadSeq).toBe(Number(victim!.seq));
    expect(r.reason).toMatch(/edited/);
    await tamper(t.database.db, sql`update audit_log set actor_name = 'root_admin' where id = ${victim!.id}`);
    expect((await verifyAudit(t.database.db)).ok).toBe(true);
  });

  it('detects a deleted row', async () => {
    const [victim] = await queryRows<{ id: string; seq: number }>(t.database.db, sql`select id, seq from audit_log where action = 'auth.login' order by seq limit 1 offset 1`);
    await tamper(t.database.db, sql`delete from audit_log where id = ${victim!.id}`);
    const r = await verifyAudit(t.database.db);
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/deleted/);
  });

  it('lists, filters and exports the log over HTTP', async () => {
    const list = json<{ items: { action: string; id: string }[]; total: number }>(
      await t.app.inject({ url: '/api/admin/audit?action=user.create&pageSize=5', headers: { cookie: admin } }),
    );
    expect(list.total).toBeGreaterThan(0);
    expect(list.items.every((i) => i.action.includes('user.create'))).toBe(true);
    const one = await t.app.inject({ url: `/api/admin/audit/${list.items[0]!.id}`, headers: { cookie: admin } });
    expect(one.statusCode).toBe(200);
    const xlsx = await t.app.inject({ url: '/api/admin/audit/export.xlsx?action=user', headers: { cookie: admin } });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
  });
});

describe('working-day calendar', () => {
  it('serves a year with seeded holidays and admin overrides', async () => {
    const y = json<{ coveredTo: number; items: { date: string; kind: string; source: string }[] }>(
      await t.app.inject({ url: '/api/admin/calendar?year=2026', headers: { cookie: admin } }),
    );
    expect(y.coveredTo).toBeGreaterThanOrEqual(2026);
    expect(y.items.find((d) => d.date === '2026-10-01')!.kind).toBe('holiday');
    const put = await t.app.inject({ method: 'PUT', url: '/api/admin/calendar/overrides/2026-12-31', headers: { cookie: admin }, payload: { kind: 'holiday', note: '公司年会' } });
    expect(put.statusCode).toBe(200);
    const after = json<{ items: { date: string; source: string }[] }>(await t.app.inject({ url: '/api/admin/calendar?year=2026', headers: { cookie: admin } }));
    expect(after.items.find((d) => d.date === '2026-12-31')!.source).toBe('override');
    expect((await t.app.inject({ method: 'DELETE', url: '/api/admin/calendar/overrides/2026-12-31', headers: { cookie: admin } })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/admin/calendar/overrides/2026-12-31', headers: { cookie: admin } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PUT', url: '/api/admin/calendar/overrides/2026-13-45', headers: { cookie: admin }, payload: { kind: 'holiday' } })).statusCode).toBe(400);
  });

  it('counts working days with an override from the moment it is saved, and without it once removed (the cached calendar is cleared)', async () => {
    const next = async () => (await addWorkingDays(t.database.db, '2026-12-15', 1)).date;
    // Past the 2 s after the last test's change, in which reads bypass the cache.
    await new Promise((r) => setTimeout(r, 2_100));
    expect(await next()).toBe('2026-12-16'); // fills the cache
    const put = await t.app.inject({ method: 'PUT', url: '/api/admin/calendar/overrides/2026-12-16', headers: { cookie: admin }, payload: { kind: 'holiday', note: '盘点' } });
    expect(put.statusCode).toBe(200);
    expect(await next()).toBe('2026-12-17');
    expect((await t.app.inject({ method: 'DELETE', url: '/api/admin/calendar/overrides/2026-12-16', headers: { cookie: admin } })).statusCode).toBe(204);
    expect(await next()).toBe('2026-12-16');
    // A setting, likewise: the next read after the change sees it.
    expect(await getSetting(t.database.db, QualificationWarnDays)).toBe(QualificationWarnDays.default);
    const changed = QualificationWarnDays.default + 1;
    const res = await t.app.inject({ method: 'PUT', url: `/api/admin/settings/${QualificationWarnDays.key}`, headers: { cookie: admin }, payload: { value: changed } });
    expect(res.statusCode).toBe(200);
    expect(await getSetting(t.database.db, QualificationWarnDays)).toBe(changed);
  });
});
