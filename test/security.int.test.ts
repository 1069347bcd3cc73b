import { eq } from 'drizzle-orm';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { SYSTEM_ACTOR } from '../src/platform/auth/actor.js';
import { setUserDisabled } from '../src/platform/auth/users.service.js';
import { fixedClock, setClock, systemClock } from '../src/platform/clock.js';
import type { Config } from '../src/platform/config.js';
import { inTransaction } from '../src/platform/db/client.js';
import { apiTokens, auditLog } from '../src/platform/platform.tables.js';
import { updateSetting } from '../src/platform/settings/settings.service.js';
import { json, PASSWORD, testApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let user: { cookie: string; userId: string };
beforeAll(async () => {
  t = await testApp();
  user = await t.loginAs(['sales'], { username: 'csrf_user' });
});
afterAll(async () => t?.close());

/** A second application on the same database with some configuration changed. */
async function appWith(change: Partial<Config>): Promise<FastifyInstance> {
  const app = await buildApp({ database: t.database, config: { ...t.app.ctx.config, ...change } });
  await app.ready();
  return app;
}

function expectProblem(res: LightMyRequestResponse, status: number, code: string): { code: string; detail: string } {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const p = json<{ code: string; detail: string }>(res);
  expect(p.code).toBe(code);
  return p;
}

const tokenCount = async () => (await t.database.db.select().from(apiTokens).where(eq(apiTokens.userId, user.userId))).length;
const createToken = (headers: Record<string, string>, app: FastifyInstance = t.app) =>
  app.inject({ method: 'POST', url: '/api/me/tokens', headers: { cookie: user.cookie, ...headers }, payload: { name: 'x' } });

describe('CSRF: state-changing cookie requests come from the app’s own origin', () => {
  it('a foreign Origin is refused with 403 CSRF_REJECTED in zh-CN and en-US, and nothing is written', async () => {
    const before = await tokenCount();
    const zh = expectProblem(await createToken({ origin: 'https://evil.example' }), 403, 'CSRF_REJECTED');
    expect(zh.detail).toContain('其他网站');
    const en = expectProblem(await createToken({ origin: 'https://evil.example', 'accept-language': 'en-US' }), 403, 'CSRF_REJECTED');
    expect(en.detail).toContain('another site');
    expect(await tokenCount()).toBe(before);
  });

  it('Sec-Fetch-Site cross-site or same-site without a matching Origin is refused', async () => {
    expectProblem(await createToken({ 'sec-fetch-site': 'cross-site' }), 403, 'CSRF_REJECTED');
    expectProblem(await createToken({ 'sec-fetch-site': 'same-site', origin: 'https://other.localhost' }), 403, 'CSRF_REJECTED');
  });

  it('an opaque Origin (null) is refused', async () => {
    expectProblem(await createToken({ origin: 'null' }), 403, 'CSRF_REJECTED');
  });

  it('the request’s own origin and Sec-Fetch-Site same-origin are accepted', async () => {
    expect((await createToken({ host: 'oms.example:8080', origin: 'http://oms.example:8080' })).statusCode).toBe(201);
    expect((await createToken({ 'sec-fetch-site': 'same-origin', origin: 'http://localhost' })).statusCode).toBe(201);
    expect((await createToken({ host: 'oms.example:8080', origin: 'http://oms.example:9090' })).statusCode).toBe(403);
  });

  it('the origin of PUBLIC_BASE_URL is accepted (behind a proxy that rewrites Host)', async () => {
    const app = await appWith({ publicBaseUrl: 'https://oms.farm.example/' });
    try {
      expect((await createToken({ origin: 'https://oms.farm.example' }, app)).statusCode).toBe(201);
      expect((await createToken({ origin: 'https://evil.example' }, app)).statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });

  it('a client sending neither Origin nor Sec-Fetch-Site (not a browser) is accepted', async () => {
    expect((await createToken({})).statusCode).toBe(201);
  });

  it('GET requests are not checked', async () => {
    expect((await t.app.inject({ url: '/api/me/tokens', headers: { cookie: user.cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(200);
  });

  it('Bearer-token requests are exempt', async () => {
    const created = json<{ token: string }>(await createToken({}));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/me/tokens',
      headers: { authorization: `Bearer ${created.token}`, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      payload: { name: 'from-a-script' },
    });
    expect(res.statusCode).toBe(201);
  });

  it('a cross-site sign-in (login CSRF) is refused', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'https://evil.example' },
      payload: { username: 'csrf_user', password: 'whatever1' },
    });
    expectProblem(res, 403, 'CSRF_REJECTED');
  });

  it('a text/plain or urlencoded body is refused with 415, even from the own origin, and nothing is written', async () => {
    const before = await tokenCount();
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/me/tokens',
        headers: { cookie: user.cookie, 'content-type': type, 'sec-fetch-site': 'same-origin' },
        payload: JSON.stringify({ name: 'form' }),
      });
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    expect(await tokenCount()).toBe(before);
  });
});

describe('TRUST_PROXY: forwarded client addresses are believed only from configured proxies', () => {
  /** An application with a probe route that answers what the server takes for the client. */
  async function probeApp(trustProxy: Config['trustProxy']): Promise<FastifyInstance> {
    const app = await buildApp({ database: t.database, config: { ...t.app.ctx.config, trustProxy } });
    app.get('/probe-client', { config: { access: 'public' } }, async (req) => ({ ip: req.ip, protocol: req.protocol, host: req.host }));
    await app.ready();
    return app;
  }
  const forwarded = { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'oms.farm.example' };
  const probe = async (app: FastifyInstance, remoteAddress: string) =>
    json<{ ip: string; protocol: string; host: string }>(await app.inject({ url: '/probe-client', remoteAddress, headers: { host: 'internal:3000', ...forwarded } }));

  it('by default no proxy is trusted: X-Forwarded-For/-Proto/-Host are ignored', async () => {
    expect(t.app.ctx.config.trustProxy).toBe(false);
    const app = await probeApp(false);
    try {
      expect(await probe(app, '127.0.0.1')).toEqual({ ip: '127.0.0.1', protocol: 'http', host: 'internal:3000' });
    } finally {
      await app.close();
    }
  });

  it('a configured proxy address or CIDR is trusted, other senders are not', async () => {
    const app = await probeApp(['10.1.2.3', '172.16.0.0/12']);
    try {
      expect(await probe(app, '10.1.2.3')).toEqual({ ip: '203.0.113.7', protocol: 'https', host: 'oms.farm.example' });
      expect((await probe(app, '172.20.9.9')).ip).toBe('203.0.113.7');
      expect(await probe(app, '198.51.100.1')).toEqual({ ip: '198.51.100.1', protocol: 'http', host: 'internal:3000' });
    } finally {
      await app.close();
    }
  });

  it('a hop count trusts that many proxies', async () => {
    const app = await probeApp(1);
    try {
      const res = await app.inject({ url: '/probe-client', remoteAddress: '10.9.9.9', headers: { 'x-forwarded-for': '198.51.100.66, 203.0.113.7' } });
      expect(json<{ ip: string }>(res).ip).toBe('203.0.113.7');
    } finally {
      await app.close();
    }
  });

  it('behind a trusted TLS proxy the session cookie is Secure and the forwarded origin passes the CSRF guard', async () => {
    const app = await probeApp(['10.1.2.3']);
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '10.1.2.3',
        headers: { ...forwarded, origin: 'https://oms.farm.example' },
        payload: { username: 'csrf_user', password: PASSWORD },
      });
      expect(login.statusCode).toBe(200);
      expect(String(login.headers['set-cookie'])).toMatch(/; Secure/i);
      const spoofed = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '198.51.100.1',
        headers: { ...forwarded, origin: 'https://oms.farm.example' },
        payload: { username: 'csrf_user', password: PASSWORD },
      });
      expect(spoofed.statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });
});

describe('security headers on every response', () => {
  const expectSecurityHeaders = (res: LightMyRequestResponse) => {
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  };

  it('API answers, problem answers and unknown routes carry CSP, nosniff, X-Frame-Options DENY and Referrer-Policy', async () => {
    const ok = await t.app.inject({ url: '/api/auth/me', headers: { cookie: user.cookie } });
    expect(ok.statusCode).toBe(200);
    expectSecurityHeaders(ok);
    const unauthorized = await t.app.inject({ url: '/api/auth/me' });
    expect(unauthorized.statusCode).toBe(401);
    expectSecurityHeaders(unauthorized);
    const refused = await createToken({ origin: 'https://evil.example' });
    expect(refused.statusCode).toBe(403);
    expectSecurityHeaders(refused);
    expectSecurityHeaders(await t.app.inject({ url: '/api/no-such-thing' }));
    expectSecurityHeaders(await t.app.inject({ url: '/some/page' }));
  });

  it('API responses are not stored (Cache-Control: no-store), including errors', async () => {
    for (const res of [
      await t.app.inject({ url: '/api/auth/me', headers: { cookie: user.cookie } }),
      await t.app.inject({ url: '/api/me/tokens', headers: { cookie: user.cookie } }),
      await t.app.inject({ url: '/api/auth/me' }),
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'csrf_user', password: PASSWORD } }),
    ])
      expect(res.headers['cache-control']).toBe('no-store');
  });

  it('the API documentation page loads under the policy (its scripts are files of our own origin)', async () => {
    const res = await t.app.inject({ url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expectSecurityHeaders(res);
    expect(res.body).toMatch(/<script src=/);
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });
});

describe('sign-in throttling: per account from a client and per client, counted before the password check', () => {
  let n = 0;
  /** A client address of its own for each test, so the counters of one test do not reach into another. */
  const freshClient = () => `10.77.${Math.floor(++n / 250)}.${n % 250}`;
  const signIn = (username: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password } });
  const account = async (username: string) => (await t.loginAs(['sales'], { username })).userId;
  const auditRows = async (action: string) => t.database.db.select().from(auditLog).where(eq(auditLog.action, action));
  afterEach(() => setClock(systemClock));

  it('a concurrent burst of 20 wrong sign-ins for one account reaches the password check only 5 times (auth.loginMaxFailures); the rest answer 429', async () => {
    await account('burst_victim');
    const client = freshClient();
    const res = await Promise.all(Array.from({ length: 20 }, () => signIn('burst_victim', 'wrong-password-1', client)));
    const codes = res.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 401)).toHaveLength(5);
    expect(codes.filter((c) => c === 429)).toHaveLength(15);
    expect((await signIn('burst_victim', PASSWORD, client)).statusCode).toBe(429);
  });

  it('a concurrent burst over 40 names from one client passes at most auth.loginMaxFailuresPerClient (20)', async () => {
    const client = freshClient();
    const res = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(`nobody_${i}`, 'wrong-password-1', client)));
    expect(res.filter((r) => r.statusCode === 401)).toHaveLength(20);
    expect(res.filter((r) => r.statusCode === 429)).toHaveLength(20);
  });

  it('a client that locks an account out locks only itself out: the owner signs in from another address', async () => {
    await account('lock_target');
    const attacker = freshClient();
    for (let i = 0; i < 5; i++) expect((await signIn('lock_target', 'wrong-password-1', attacker)).statusCode).toBe(401);
    expect((await signIn('lock_target', PASSWORD, attacker)).statusCode).toBe(429);
    expect((await signIn('lock_target', PASSWORD, freshClient())).statusCode).toBe(200);
  });

  it('after auth.loginMaxFailuresPerClient failures over many names the client is refused for every account, other clients are not', async () => {
    await account('many_names_user');
    const client = freshClient();
    for (let i = 0; i < 20; i++) expect((await signIn(`guess_${i}`, 'wrong-password-1', client)).statusCode).toBe(401);
    expect((await signIn('guess_new', 'wrong-password-1', client)).statusCode).toBe(429);
    expect((await signIn('many_names_user', PASSWORD, client)).statusCode).toBe(429);
    expect((await signIn('many_names_user', PASSWORD, freshClient())).statusCode).toBe(200);
  });

  it('429 is problem+json with Retry-After; the lock-out is audited once as auth.throttled; it ends after auth.loginLockMinutes', async () => {
    const c = fixedClock(new Date('2026-12-07T08:00:00Z'));
    setClock(c);
    await account('retry_after_user');
    const client = freshClient();
    const before = (await auditRows('auth.throttled')).length;
    for (let i = 0; i < 5; i++) await signIn('retry_after_user', 'wrong-password-1', client);
    const first = await signIn('retry_after_user', PASSWORD, client);
    expect(first.statusCode).toBe(429);
    expect(String(first.headers['content-type'])).toContain('application/problem+json');
    expect(json(first).code).toBe('AUTH_THROTTLED');
    expect(first.headers['retry-after']).toBe('900');
    c.advance(5 * 60_000);
    const second = await signIn('retry_after_user', PASSWORD, client);
    expect(second.statusCode).toBe(429);
    expect(second.headers['retry-after']).toBe('600');
    const audited = (await auditRows('auth.throttled')).slice(before);
    expect(audited).toHaveLength(1);
    expect(audited[0]!.entityId).toBe('retry_after_user');
    expect(audited[0]!.after).toMatchObject({ scope: 'account', client, failures: 5 });
    c.advance(10 * 60_000 + 1000);
    expect((await signIn('retry_after_user', PASSWORD, client)).statusCode).toBe(200);
  });

  it('attempts refused during a lock-out do not count against the client', async () => {
    await account('locked_retry_user');
    const client = freshClient();
    for (let i = 0; i < 5; i++) await signIn('locked_retry_user', 'wrong-password-1', client);
    for (let i = 0; i < 25; i++) expect((await signIn('locked_retry_user', PASSWORD, client)).statusCode).toBe(429);
    expect((await signIn('another_name', 'wrong-password-1', client)).statusCode).toBe(401);
  });

  it('successful sign-ins give their attempt back: they never lock out a client (an office behind one address)', async () => {
    const setLimit = (value: number) => inTransaction(t.database.db, (db) => updateSetting(db, SYSTEM_ACTOR, 'auth.loginMaxFailuresPerClient', value));
    await setLimit(3);
    try {
      await account('office_user');
      const client = freshClient();
      for (let i = 0; i < 2; i++) expect((await signIn('office_typo', 'wrong-password-1', client)).statusCode).toBe(401);
      for (let i = 0; i < 4; i++) expect((await signIn('office_user', PASSWORD, client)).statusCode).toBe(200);
      expect((await signIn('office_typo', 'wrong-password-1', client)).statusCode).toBe(401);
      expect((await signIn('office_typo', 'wrong-password-1', client)).statusCode).toBe(429);
    } finally {
      await setLimit(20);
    }
  });

  it('a disabled account answers exactly like a wrong password (and like an unknown name)', async () => {
    const id = await account('disabled_login');
    await inTransaction(t.database.db, (db) => setUserDisabled(db, SYSTEM_ACTOR, id, true));
    const strip = (r: LightMyRequestResponse) => ({ status: r.statusCode, type: r.headers['content-type'], body: { ...json(r), instance: undefined } });
    const disabled = await signIn('disabled_login', PASSWORD, freshClient());
    const wrong = await signIn('burst_victim', 'wrong-password-1', freshClient());
    const unknown = await signIn('no_such_account', 'wrong-password-1', freshClient());
    expect(strip(disabled)).toEqual(strip(wrong));
    expect(strip(unknown)).toEqual(strip(wrong));
    expect(json(disabled).code).toBe('AUTH_INVALID_CREDENTIALS');
  });
});
