import crypto from 'node:crypto';
import { count, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, setClock, systemClock } from '../src/platform/clock.js';
import { queryRows } from '../src/platform/db/client.js';
import { presenceName } from '../src/platform/db/presence.js';
import { users } from '../src/platform/platform.tables.js';
import { json, testApp, type TestApp } from './helpers/app.js';
import { skipReason } from './helpers/db.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = (await t.loginAs(['admin'], { username: 'bad_input_admin' })).cookie;
});
afterAll(async () => t?.close());

const userCount = async () => (await t.database.db.select({ n: count() }).from(users))[0]!.n;
const post = (payload: string | object, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: { cookie: admin, 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; body: string }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const p = JSON.parse(res.body) as { code: string; detail: string; status: number };
  expect(p.code).toBe(code);
  expect(p.status).toBe(status);
  expect(p.detail.length).toBeGreaterThan(0);
  return p;
}

describe('bad input is a 4xx problem+json and writes nothing', () => {
  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const before = await userCount();
    expectProblem(await post('{"username": "x",'), 400, 'MALFORMED_JSON');
    expect(await userCount()).toBe(before);
  });

  it('wrong types → 400 with a field error per field, in zh-CN and en-US', async () => {
    const zh = expectProblem(await post({ username: 42, displayName: true, password: 'Valid1234', roles: 'sales' }), 400, 'VALIDATION_FAILED') as unknown as {
      errors: { field: string; message: string }[];
    };
    expect(zh.errors.map((e) => e.field).sort()).toEqual(['displayName', 'roles', 'username']);
    expect(zh.errors.find((e) => e.field === 'roles')!.message).toContain('列表');
    const en = JSON.parse((await post({ username: 42, displayName: 'x', password: 'Valid1234', roles: ['sales'] }, { 'accept-language': 'en-US' })).body) as {
      errors: { message: string }[];
    };
    expect(en.errors[0]!.message).toContain('expected text');
  });

  it('missing fields → 400 FIELD_REQUIRED per field', async () => {
    const p = expectProblem(await post({}), 400, 'VALIDATION_FAILED') as unknown as { errors: { field: string; code: string }[] };
    expect(p.errors).toContainEqual(expect.objectContaining({ field: 'username', code: 'FIELD_REQUIRED' }));
    expect(p.errors).toContainEqual(expect.objectContaining({ field: 'roles', code: 'FIELD_REQUIRED' }));
  });

  it('unknown fields → 400 naming the field', async () => {
    const p = expectProblem(
      await post({ username: 'unknownf', displayName: 'x', password: 'Valid1234', roles: ['sales'], isAdmin: true }),
      400,
      'VALIDATION_FAILED',
    ) as unknown as { errors: { field: string; code: string }[] };
    expect(p.errors).toContainEqual(expect.objectContaining({ field: 'isAdmin', code: 'FIELD_UNKNOWN' }));
  });

  it('an oversized body → 413 BODY_TOO_LARGE', async () => {
    const before = await userCount();
    expectProblem(await post({ username: 'big', displayName: 'x'.repeat(2_000_000), password: 'Valid1234', roles: ['sales'] }), 413, 'BODY_TOO_LARGE');
    expect(await userCount()).toBe(before);
  });

  it('a non-JSON content type → 415', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: { cookie: admin, 'content-type': 'text/csv' }, payload: 'a,b' });
    expect(res.statusCode).toBe(415);
  });

  it('an invalid id in the path → 400, not 500', async () => {
    expectProblem(await t.app.inject({ url: '/api/admin/users/not-a-uuid', headers: { cookie: admin } }), 400, 'VALIDATION_FAILED');
  });

  it('query parameters out of range → 400', async () => {
    expectProblem(await t.app.inject({ url: '/api/admin/users?pageSize=100000', headers: { cookie: admin } }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.app.inject({ url: '/api/admin/users?page=-1', headers: { cookie: admin } }), 400, 'VALIDATION_FAILED');
  });

  it('a control character in a query parameter → 400 FIELD_CONTROL_CHARS naming the field, on every list and its Excel twin', async () => {
    for (const url of [
      '/api/customers?q=%00',
      '/api/customers/export.xlsx?q=%00',
      '/api/orders?q=%00',
      '/api/catalog/products?q=%00',
      '/api/admin/audit?actor=%00',
      '/api/inventory/ledger?refType=%00',
      '/api/inventory/reservations?refId=%00',
      '/api/customers?sort=%01',
      '/api/customers?q=a%1Fb',
    ]) {
      const res = await t.app.inject({ url, headers: { cookie: admin } });
      const p = expectProblem(res, 400, 'VALIDATION_FAILED') as unknown as { errors: { field: string; code: string; message: string }[] };
      const field = /[?&]([^=]+)=/.exec(url)![1]!;
      expect(p.errors, url).toContainEqual(expect.objectContaining({ field, code: 'FIELD_CONTROL_CHARS' }));
      expect(p.errors.find((e) => e.code === 'FIELD_CONTROL_CHARS')!.message).toContain('控制字符');
    }
    const en = JSON.parse((await t.app.inject({ url: '/api/customers?q=%00', headers: { cookie: admin, 'accept-language': 'en-US' } })).body) as { errors: { message: string }[] };
    expect(en.errors[0]!.message).toContain('control characters');
  });

  it('a NUL in a JSON body string → 400 FIELD_CONTROL_CHARS naming the field, nothing written', async () => {
    const before = await userCount();
    const p = expectProblem(await post({ username: 'nul_user', displayName: 'a\u0000b', password: 'Valid1234', roles: ['sales'] }), 400, 'VALIDATION_FAILED') as unknown as {
      errors: { field: string; code: string }[];
    };
    expect(p.errors).toContainEqual(expect.objectContaining({ field: 'displayName', code: 'FIELD_CONTROL_CHARS' }));
    expect(await userCount()).toBe(before);
  });

  it('a NUL in a free-form value (a setting) → 400, not a database error', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/settings/orders.review.requiredQualifications',
      headers: { cookie: admin },
      payload: { value: 'business_licence\u0000' },
    });
    const p = expectProblem(res, 400, 'VALIDATION_FAILED') as unknown as { errors: { field: string; code: string }[] };
    expect(p.errors).toContainEqual(expect.objectContaining({ field: 'value', code: 'FIELD_CONTROL_CHARS' }));
  });

  it('line breaks are allowed in multi-line text but not in a single-line name', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: { cookie: admin },
      payload: { name: '多行客户', kind: 'company', note: '第一行\n第二行\t备注' },
    });
    expect(res.statusCode).toBe(201);
    const bad = await t.app.inject({ method: 'POST', url: '/api/customers', headers: { cookie: admin }, payload: { name: '多行\n客户', kind: 'company' } });
    const p = expectProblem(bad, 400, 'VALIDATION_FAILED') as unknown as { errors: { field: string; code: string }[] };
    expect(p.errors).toContainEqual(expect.objectContaining({ field: 'name', code: 'FIELD_CONTROL_CHARS' }));
  });

  it('a page beyond 10 000, or starting beyond 200 000 rows → 400 FIELD_TOO_BIG on page, before any scan', async () => {
    for (const url of ['/api/customers?page=211085', '/api/admin/audit?page=10001', '/api/customers?page=10000&pageSize=200', '/api/inventory/stock?page=5000&pageSize=100']) {
      const p = expectProblem(await t.app.inject({ url, headers: { cookie: admin } }), 400, 'VALIDATION_FAILED') as unknown as { errors: { field: string; code: string }[] };
      expect(p.errors, url).toContainEqual(expect.objectContaining({ field: 'page', code: 'FIELD_TOO_BIG' }));
    }
    expect((await t.app.inject({ url: '/api/customers?page=10000', headers: { cookie: admin } })).statusCode).toBe(200);
  });

  it('dates and timestamps outside 2000-01-01 … 2100-12-31 → 400 FIELD_DATE_OUT_OF_RANGE naming the field', async () => {
    for (const [url, field] of [
      ['/api/catalog/price-lists?validOn=0106-01-01', 'validOn'],
      ['/api/catalog/price-lists?validOn=2101-01-01', 'validOn'],
      ['/api/admin/audit?from=0106-03-01T00:00:00Z', 'from'],
      ['/api/admin/audit?to=9999-12-31T23:59:59.000%2B08:00', 'to'],
    ] as const) {
      const p = expectProblem(await t.app.inject({ url, headers: { cookie: admin } }), 400, 'VALIDATION_FAILED') as unknown as {
        errors: { field: string; code: string; message: string }[];
      };
      expect(p.errors, url).toContainEqual(expect.objectContaining({ field, code: 'FIELD_DATE_OUT_OF_RANGE' }));
      expect(p.errors[0]!.message).toContain('2000-01-01');
    }
    expect((await t.app.inject({ url: '/api/catalog/price-lists?validOn=2100-12-31', headers: { cookie: admin } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/admin/audit?from=2000-01-01T00:00:00Z', headers: { cookie: admin } })).statusCode).toBe(200);
  });

  it('wrong credentials → 401 problem', async () => {
    expectProblem(
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bad_input_admin', password: 'wrong-one-1' } }),
      401,
      'AUTH_INVALID_CREDENTIALS',
    );
    expectProblem(await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '' } }), 400, 'VALIDATION_FAILED');
  });

  it('an expired session → 401 SESSION_EXPIRED and no write happens', async () => {
    const c = fixedClock(new Date());
    setClock(c);
    try {
      const { cookie } = await t.loginAs(['admin'], { username: 'expiring_admin' });
      c.advance(24 * 3_600_000);
      const before = await userCount();
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/admin/users',
        headers: { cookie },
        payload: { username: 'ghost', displayName: 'g', password: 'Valid1234', roles: ['sales'] },
      });
      expectProblem(res, 401, 'SESSION_EXPIRED');
      expect(await userCount()).toBe(before);
    } finally {
      setClock(systemClock);
    }
  });
  it('a garbage session cookie or bearer token → 401', async () => {
    expectProblem(await t.app.inject({ url: '/api/auth/me', headers: { cookie: 'agri_sid=garbage' } }), 401, 'SESSION_EXPIRED');
    expectProblem(await t.app.inject({ url: '/api/auth/me', headers: { authorization: 'Bearer nope' } }), 401, 'AUTH_TOKEN_INVALID');
  });
});

describe('Idempotency-Key on creating POSTs', () => {
  it('replays the first response for a repeated key and creates one record', async () => {
    const body = { username: 'idem1', displayName: '幂等', password: 'Valid1234', roles: ['sales'] };
    const first = await post(body, { 'idempotency-key': 'k-1' });
    const second = await post(body, { 'idempotency-key': 'k-1' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(json(second).id).toBe(json(first).id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const rows = await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from users where username = 'idem1'`);
    expect(rows[0]!.n).toBe(1);
  });

  /** A claim without an answer, as a process that crashed (or is still working) leaves it. */
  async function claimOf(key: string, body: object, claimedBy: string) {
    const [me] = await queryRows<{ id: string }>(t.database.db, sql`select id from users where username = 'bad_input_admin'`);
    const hash = crypto.createHash('sha256').update(JSON.stringify(body)).digest('hex');
    await t.database.db.execute(
      sql`insert into idempotency_keys (user_id, key, route, request_hash, claimed_by) values (${me!.id}, ${key}, 'POST /api/admin/users', ${hash}, ${claimedBy})`,
    );
  }

  it('a claim left by an instance that is gone is taken over by the retry, which does the work once', async () => {
    const body = { username: 'idem_dead', displayName: '崩溃', password: 'Valid1234', roles: ['sales'] };
    await claimOf('k-dead', body, crypto.randomUUID());
    const retry = await post(body, { 'idempotency-key': 'k-dead' });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    const again = await post(body, { 'idempotency-key': 'k-dead' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(json(again).id).toBe(json(retry).id);
  });

  it('a claim of another instance that is still alive answers IDEMPOTENCY_IN_PROGRESS until that instance is gone (PostgreSQL)', async (ctx) => {
    if (t.database.engine !== 'postgres') return ctx.skip(skipReason('another live instance needs PostgreSQL (PGlite is one process)'));
    const other = crypto.randomUUID();
    const presence = new pg.Client({ connectionString: t.database.url!, application_name: presenceName(other) });
    await presence.connect();
    const body = { username: 'idem_alive', displayName: '进行中', password: 'Valid1234', roles: ['sales'] };
    try {
      await claimOf('k-alive', body, other);
      expectProblem(await post(body, { 'idempotency-key': 'k-alive' }), 409, 'IDEMPOTENCY_IN_PROGRESS');
    } finally {
      await presence.end();
    }
    await expect
      .poll(async () => (await queryRows<{ n: number }>(t.database.db, sql`select count(*)::int as n from pg_stat_activity where application_name = ${presenceName(other)}`))[0]!.n)
      .toBe(0);
    expect((await post(body, { 'idempotency-key': 'k-alive' })).statusCode).toBe(201);
  });

  it('answers 422 when the same key comes with another body', async () => {
    await post({ username: 'idem2', displayName: 'a', password: 'Valid1234', roles: ['sales'] }, { 'idempotency-key': 'k-2' });
    expectProblem(await post({ username: 'idem3', displayName: 'b', password: 'Valid1234', roles: ['sales'] }, { 'idempotency-key': 'k-2' }), 422, 'IDEMPOTENCY_KEY_REUSED');
  });
});
