import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATED_PERMISSIONS } from '../src/modules/training/index.js';
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

describe('competency gating (the gated permissions, on the same permission path)', () => {
  // Each gated action: its route, a body that selects the gated case, and the permission whose certificate it needs.
  const GATED_ROUTES: { method: 'POST'; url: string; body: object; permission: (typeof GATED_PERMISSIONS)[number] }[] = [
    { method: 'POST', url: '/api/quality/inspections', body: { sign: true }, permission: 'quality:inspect' },
    { method: 'POST', url: '/api/quality/inspections/:id/sign', body: {}, permission: 'quality:inspect' },
    { method: 'POST', url: '/api/quality/lots/:id/decision', body: { event: 'release', reason: 'ok' }, permission: 'lots:status' },
    { method: 'POST', url: '/api/inventory/lots/:id/status', body: { event: 'release', reason: 'ok' }, permission: 'lots:status' },
    { method: 'POST', url: '/api/orders/:id/approve', body: {}, permission: 'orders:review' },
    { method: 'POST', url: '/api/orders/:id/reject', body: {}, permission: 'orders:review' },
    { method: 'POST', url: '/api/inventory/stocktakes/:id/approve', body: {}, permission: 'inventory:approve' },
  ];

  it('refuses every gated action with 403 COMPETENCY_REQUIRED for each role holding the route’s permission but no certificate, and 403 FORBIDDEN for the others', async () => {
    const { trainingCertificateTypes } = await import('../src/modules/training/training.tables.js');
    const [type] = await t.database.db
      .insert(trainingCertificateTypes)
      .values({ code: 'MATRIX', name: '矩阵资格', nameEn: 'Matrix', validityDays: 30, gatedPermissions: [...GATED_PERMISSIONS] })
      .returning();
    // the matrix above ended its sessions with the logout route: sign in again
    const fresh = new Map<string, string>();
    for (const role of ROLE_CODES)
      fresh.set(role, (await t.loginAs([role], { username: `gate_${role}`, customerId: role === 'customer' ? '01900000-0000-7000-8000-000000000001' : undefined })).cookie);
    try {
      for (const g of GATED_ROUTES) {
        const route = t.app.routeTable.find((r) => r.method === g.method && r.url === g.url);
        expect(route, g.url).toBeTruthy();
        for (const role of ROLE_CODES) {
          const perms = permissionsOf([role]);
          const res = await t.app.inject({ method: g.method, url: urlOf(g.url), headers: { cookie: fresh.get(role)! }, payload: g.body });
          const label = `${role} ${g.method} ${g.url} → ${res.statusCode} ${res.body.slice(0, 80)}`;
          expect(res.statusCode, label).toBe(403);
          const holds = route!.access !== 'public' && route!.access !== 'authenticated' && perms.has(route!.access);
          expect((JSON.parse(res.body) as { code: string }).code, label).toBe(holds ? 'COMPETENCY_REQUIRED' : 'FORBIDDEN');
        }
      }
      // a hold is not a gated action
      const hold = await t.app.inject({
        method: 'POST',
        url: urlOf('/api/inventory/lots/:id/status'),
        headers: { cookie: fresh.get('qc')! },
        payload: { event: 'hold', reason: 'x' },
      });
      expect(hold.statusCode).not.toBe(403);
    } finally {
      await t.database.db.delete(trainingCertificateTypes).where(eq(trainingCertificateTypes.id, type!.id));
    }
  });
});
