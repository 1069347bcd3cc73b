import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = (await t.loginAs(['admin'], { username: 'endpoints_admin' })).cookie;
});
afterAll(async () => t?.close());

describe('remaining platform endpoints', () => {
  it('serves an OpenAPI 3.1 document listing every API route, and the reference UI', async () => {
    const res = await t.app.inject({ url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(res);
    expect(doc.openapi).toBe('3.1.0');
    for (const r of t.app.routeTable) {
      if (r.url === '/api/openapi.json') continue;
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path], `${r.method} ${r.url} missing from OpenAPI`).toBeDefined();
      expect(doc.paths[path]![r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    }
    const ui = await t.app.inject({ url: '/api/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('reads one user and enables a disabled one', async () => {
    const created = json<{ id: string }>(
      await t.app.inject({
        method: 'POST',
        url: '/api/admin/users',
        headers: { cookie: admin },
        payload: { username: 'toggle', displayName: 't', password: 'Toggle123', roles: ['qc'] },
      }),
    );
    expect(json<{ disabled: boolean }>(await t.app.inject({ method: 'POST', url: `/api/admin/users/${created.id}/disable`, headers: { cookie: admin } })).disabled).toBe(true);
    expect(json<{ disabled: boolean }>(await t.app.inject({ method: 'POST', url: `/api/admin/users/${created.id}/enable`, headers: { cookie: admin } })).disabled).toBe(false);
    const one = await t.app.inject({ url: `/api/admin/users/${created.id}`, headers: { cookie: admin } });
    expect(json<{ username: string }>(one).username).toBe('toggle');
    const missing = await t.app.inject({ url: '/api/admin/users/01900000-0000-7000-8000-000000000999', headers: { cookie: admin } });
    expect(missing.statusCode).toBe(404);
    expect(json(missing).code).toBe('USER_NOT_FOUND');
  });

  it('lists every permission with a localised name', async () => {
    const res = json<{ items: { code: string; name: string }[] }>(await t.app.inject({ url: '/api/admin/permissions', headers: { cookie: admin, 'accept-language': 'en' } }));
    expect(res.items.find((p) => p.code === 'orders:review')!.name).toBe('Review orders');
  });

  it('verifies the audit chain over HTTP', async () => {
    const res = json<{ ok: boolean; checked: number }>(await t.app.inject({ method: 'POST', url: '/api/admin/audit/verify', headers: { cookie: admin } }));
    expect(res.ok).toBe(true);
    expect(res.checked).toBeGreaterThan(0);
  });
});
