import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from './helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(async () => t?.close());

describe('health and conventions', () => {
  it('reports version and database kind on GET /api/health', async () => {
    const res = await t.app.inject({ url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const body = json<{ status: string; database: string; version: string }>(res);
    expect(body.status).toBe('ok');
    expect(body.database).toBe(t.database.engine);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('answers unknown API paths with a 404 problem in the requested language', async () => {
    const zh = await t.app.inject({ url: '/api/nope' });
    expect(zh.statusCode).toBe(404);
    expect(zh.headers['content-type']).toContain('application/problem+json');
    expect(json(zh).code).toBe('ROUTE_NOT_FOUND');
    expect(json(zh).detail).toContain('接口不存在');
    const en = await t.app.inject({ url: '/api/nope', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(json(en).detail).toContain('No such endpoint');
  });
});
