import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsOf, ROLE_CODES } from '../src/platform/rbac/permissions.js';
import { testApp, type TestApp } from './helpers/app.js';

let t: TestApp;
const cookies = new Map<string, string>();
beforeAll(async () => {
  t = await testApp();
  for (const role of ROLE_CODES) {
    const { cookie } = await t.loginAs([role], { username: `matrix_${role}`, customerId: role === 'customer' ? '01900000-0000-7000-8000-000000000001' : undefined });
    cookies.set(role, cookie);
  }
});
afterAll(async () => t?.close());

const SAMPLE_ID = '01900000-0000-7000-8000-0000000000ff';
const urlOf = (url: string) =>
  url
    .replace(/:id\b|:[a-zA-Z]*Id\b/g, SAMPLE_ID)
    .replace(/:date\b/g, '2026-05-01')
    .replace(/:key\b/g, 'auth.loginMaxFailures')
    .replace(/:code\b/g, 'NO-SUCH-CODE')
    .replace(/:[a-zA-Z]+/g, 'x');

describe('authorization matrix (every route × every role and anonymous)', () => {
  it('has routes to check and every one declares its access', () => {
    expect(t.app.routeTable.length).toBeGreaterThan(20);
    for (const r of t.app.routeTable) expect(r.access, `${r.method} ${r.url}`).toBeTruthy();
  });

  it('refuses to build an app containing a route without a declared permission', async () => {
    const { buildApp } = await import('../src/app.js');
    const { moduleRoutes } = await import('../src/modules/index.js');
    const rogue = async (app: import('fastify').FastifyInstance) => {
      app.get('/undeclared', async () => 'x');
    };
    moduleRoutes.push(rogue);
    try {
      await expect(buildApp({ database: t.database, config: t.app.ctx.config })).rejects.toThrow(/declares no access/);
    } finally {
      moduleRoutes.splice(moduleRoutes.indexOf(rogue), 1);
    }
  });

  it('answers anonymous requests to non-public routes with 401 and lets public ones through', async () => {
    for (const r of t.app.routeTable) {
      const res = await t.app.inject({ method: r.method as 'GET', url: urlOf(r.url), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      if (r.access === 'public') expect(res.statusCode, `${r.method} ${r.url}`).not.toBe(401);
      else expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(res.statusCode, `${r.method} ${r.url}`).toBeLessThan(500);
    }
  });

  it('gives 403 exactly when the role lacks the declared permission', async () => {
    for (const role of ROLE_CODES) {
      const perms = permissionsOf([role]);
      // logout last: it ends the session the other calls use
      const routes = [...t.app.routeTable].sort((a, b) => Number(a.url === '/api/auth/logout') - Number(b.url === '/api/auth/logout'));
      for (const r of routes) {
        if (r.access === 'public') continue;
        const res = await t.app.inject({
          method: r.method as 'GET',
          url: urlOf(r.url),
          headers: { cookie: cookies.get(role)! },
          payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
        });
        const allowed = r.access === 'authenticated' || perms.has(r.access);
        const label = `${role} ${r.method} ${r.url} (${r.access}) → ${res.statusCode}`;
        if (allowed) expect(res.statusCode, label).not.toBe(403);
        else expect(res.statusCode, label).toBe(403);
        expect(res.statusCode, label).not.toBe(401);
        expect(res.statusCode, label).toBeLessThan(500);
      }
    }
  });
});
