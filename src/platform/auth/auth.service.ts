import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR, type Actor } from './actor.js';
import { AuthErrors } from './auth.errors.js';
import { DUMMY_HASH, randomToken, sha256, verifyPassword } from './password.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Clock } from '../clock.js';
import { queryRows, type Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/locale.js';
import { apiTokens, loginFailures, sessions, users } from '../platform.tables.js';
import { permissionsOf } from '../rbac/permissions.js';
import { defineSetting, getSettings } from '../settings/settings.service.js';

export const LoginMaxFailures = defineSetting({
  key: 'auth.loginMaxFailures',
  module: 'platform',
  type: 'integer',
  default: 5,
  min: 1,
  max: 100,
  label: { zh: '登录失败锁定次数', en: 'Failed sign-ins before lock-out' },
  description: {
    zh: '同一账号从同一客户端地址连续失败达到此次数后,该地址暂停登录此账号(其他地址不受影响)。',
    en: 'After this many failures for one account from one client address, that address may not sign in to the account for a while (other addresses are not affected).',
  },
});
export const LoginMaxFailuresPerClient = defineSetting({
  key: 'auth.loginMaxFailuresPerClient',
  module: 'platform',
  type: 'integer',
  default: 20,
  min: 1,
  max: 10_000,
  label: { zh: '单个客户端登录失败上限', en: 'Failed sign-ins per client address' },
  description: {
    zh: '同一客户端地址(任意账号)在锁定时长内失败达到此次数后,该地址暂停登录。',
    en: 'After this many failures from one client address (any account names) within the lock-out duration, that address may not sign in for a while.',
  },
});
export const LoginLockMinutes = defineSetting({
  key: 'auth.loginLockMinutes',
  module: 'platform',
  type: 'integer',
  default: 15,
  min: 1,
  max: 1440,
  label: { zh: '登录锁定时长', en: 'Lock-out duration' },
  description: { zh: '达到失败次数后暂停登录的分钟数。', en: 'Minutes sign-in stays paused after too many failures.' },
  unit: { zh: '分钟', en: 'minutes' },
});

export type SessionPolicy = { idleMinutes: number; absoluteHours: number };
export type RequestInfo = { ip: string | null; userAgent: string | null; locale: Locale };
type UserRow = typeof users.$inferSelect;

export function actorFromUser(u: UserRow, info: { ip: string | null; locale?: Locale }, sessionId: string | null): Actor {
  return {
    userId: u.id,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    permissions: permissionsOf(u.roles),
    customerId: u.customerId,
    locale: (u.locale as Locale) ?? info.locale ?? DEFAULT_LOCALE,
    ip: info.ip,
    sessionId,
    ...(u.mustChangePassword ? { mustChangePassword: true } : {}),
  };
}

function anonymous(username: string, info: RequestInfo): Actor {
  return { ...SYSTEM_ACTOR, username: username || 'anonymous', displayName: username, roles: [], ip: info.ip, locale: info.locale };
}

/**
 * The client part of a throttling key: IPv4 (also IPv4-mapped IPv6) as is, IPv6 by its /64 network (one subscriber
 * usually holds a whole /64, so counting single addresses would not limit anyone).
 */
export function clientOf(ip: string | null): string {
  if (!ip) return 'unknown';
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(Math.max(8 - left.length - right.length, 0)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

type Take = { key: string; count: number; wait_s: number };

/**
 * Counts a sign-in attempt against its keys (the account from this client, and this client for any account) in one
 * statement, before the password is checked: concurrent attempts each get their own count, so a burst cannot pass the
 * limit. A key whose count within the window goes past its limit is locked for the lock-out duration; `wait_s` > 0 = locked.
 */
function takeAttempt(db: Db, keys: { pair: string; client: string }, now: Date, limits: { pair: number; client: number }, lockMinutes: number): Promise<Take[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const windowStart = sql`${new Date(now.getTime() - lockMinutes * 60_000).toISOString()}::timestamptz`;
  const lockEnd = sql`${new Date(now.getTime() + lockMinutes * 60_000).toISOString()}::timestamptz`;
  const live = sql`(f.locked_until > ${at} or f.window_start > ${windowStart})`;
  return queryRows<Take>(
    db,
    sql`insert into login_failures as f (key, count, window_start, locked_until)
        values (${keys.pair}, 1, ${at}, null), (${keys.client}, 1, ${at}, null)
        on conflict (key) do update set
          count = case when ${live} then f.count + 1 else 1 end,
          window_start = case when ${live} then f.window_start else ${at} end,
          locked_until = case
            when f.locked_until > ${at} then f.locked_until
            when f.window_start > ${windowStart} and f.count + 1 > (case when f.key = ${keys.client} then ${limits.client}::int else ${limits.pair}::int end) then ${lockEnd}
            else null end
        returning f.key, f.count, (case when f.locked_until > ${at} then ceil(extract(epoch from f.locked_until - ${at}))::int else 0 end) as wait_s`,
  );
}

/**
 * Checks a password and opens a fresh session (old one revoked: rotation). Throttled per (account, client address) and
 * per client address: a client that guesses locks only itself out (of that account, or of all accounts after many
 * names), so nobody can lock out someone else's account. Attempts are counted before the password check; a
 * successful sign-in gives its attempt back. Unknown, disabled and wrong-password sign-ins answer alike.
 */
export async function login(
  db: Db,
  clock: Clock,
  policy: SessionPolicy,
  input: { username: string; password: string; previousToken?: string | null },
  info: RequestInfo,
): Promise<{ token: string; user: UserRow; expiresAt: Date }> {
  const username = input.username.trim().toLowerCase();
  const now = clock.now();
  const client = clientOf(info.ip);
  const keys = { pair: `a:${username}|${client}`, client: `c:${client}` };
  const cfg = await getSettings(db, [LoginMaxFailures, LoginMaxFailuresPerClient, LoginLockMinutes]);
  const limits = { pair: cfg.get(LoginMaxFailures.key) as number, client: cfg.get(LoginMaxFailuresPerClient.key) as number };
  const lockMinutes = cfg.get(LoginLockMinutes.key) as number;
  const taken = await takeAttempt(db, keys, now, limits, lockMinutes);
  const locked = taken.filter((r) => r.wait_s > 0);
  if (locked.length) {
    await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      // A refused attempt checked no password: it does not count against the keys that were not locked.
      const open = taken.filter((r) => r.wait_s === 0).map((r) => r.key);
      if (open.length)
        await tx
          .update(loginFailures)
          .set({ count: sql`greatest(${loginFailures.count} - 1, 0)` })
          .where(inArray(loginFailures.key, open));
      // One audit row per lock-out (the attempt that started it), not per refused attempt: a flood cannot fill the trail.
      for (const r of locked) {
        const scope = r.key === keys.client ? 'client' : 'account';
        if (r.count !== (scope === 'client' ? limits.client : limits.pair) + 1) continue;
        await recordAudit(tx, anonymous(username, info), {
          action: 'auth.throttled',
          entity: scope === 'client' ? 'client' : 'user',
          entityId: scope === 'client' ? client : username,
          after: { scope, client, failures: r.count - 1, lockedMinutes: lockMinutes },
        });
      }
    });
    const wait = Math.max(...locked.map((r) => r.wait_s));
    throw new DomainError(AuthErrors.AUTH_THROTTLED, { minutes: Math.ceil(wait / 60), retryAfter: wait });
  }
  const [user] = await db.select().from(users).where(eq(users.username, username));
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabledAt) {
    await db.transaction(async (tx) =>
      recordAudit(tx as unknown as Db, anonymous(username, info), {
        action: 'auth.login.failed',
        entity: 'user',
        entityId: user?.id ?? username,
        after: { reason: !user ? 'unknown user' : !ok ? 'wrong password' : 'disabled' },
      }),
    );
    // The same answer for all three: a guesser learns nothing about which names exist or are disabled.
    throw new DomainError(AuthErrors.AUTH_INVALID_CREDENTIALS);
  }
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3_600_000);
  await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    if (input.previousToken) sessionCache.delete(input.previousToken);
    if (input.previousToken)
      await tx
        .update(sessions)
        .set({ revokedAt: now })
        .where(eq(sessions.tokenHash, sha256(input.previousToken)));
    const [s] = await tx
      .insert(sessions)
      .values({ tokenHash: sha256(token), userId: user.id, lastSeenAt: now, expiresAt, ip: info.ip, userAgent: info.userAgent?.slice(0, 300) ?? null })
      .returning({ id: sessions.id });
    await tx.delete(loginFailures).where(eq(loginFailures.key, keys.pair));
    await tx
      .update(loginFailures)
      .set({ count: sql`greatest(${loginFailures.count} - 1, 0)` })
      .where(eq(loginFailures.key, keys.client));
    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
    await recordAudit(tx, actorFromUser(user, info, s!.id), { action: 'auth.login', entity: 'user', entityId: user.id });
  });
  return { token, user, expiresAt };
}

export async function logout(db: Db, actor: Actor, clock: Clock): Promise<void> {
  if (!actor.sessionId) return;
  for (const [k, v] of sessionCache) if (v.actor.sessionId === actor.sessionId) sessionCache.delete(k);
  await db.update(sessions).set({ revokedAt: clock.now() }).where(eq(sessions.id, actor.sessionId));
  await recordAudit(db, actor, { action: 'auth.logout', entity: 'user', entityId: actor.userId });
}

export type AuthResult = { actor: Actor } | { error: 'SESSION_EXPIRED' | 'AUTH_TOKEN_INVALID' | 'AUTH_REQUIRED' };

type CachedSession = { actor: Actor; userId: string; lastSeenAt: Date; expiresAt: Date; cachedAt: number };
const sessionCache = new Map<string, CachedSession>();
const SESSION_CACHE_MS = 3000;
const SESSION_CACHE_MAX = 20_000;

/**
 * Forgets cached sessions of a user (disable, password reset, role change, logout) so the next request
 * re-reads the database. Other instances notice within SESSION_CACHE_MS.
 */
export function invalidateUserSessions(userId: string): void {
  for (const [k, v] of sessionCache) if (v.userId === userId) sessionCache.delete(k);
}

/**
 * The actor of a session cookie straight from the in-process cache (no database, no await), or null when the session
 * is not cached, the cache entry is stale, or a timeout has passed — then resolveSession() decides.
 * The cache is keyed by the token itself (memory only; the database keeps hashes), saving a SHA-256 per request.
 */
export function cachedSession(clock: Clock, policy: SessionPolicy, token: string, info: RequestInfo): Actor | null {
  const cached = sessionCache.get(token);
  if (!cached) return null;
  const now = clock.now().getTime();
  if (now - cached.cachedAt < SESSION_CACHE_MS && now >= cached.cachedAt) {
    const idleLimit = cached.lastSeenAt.getTime() + policy.idleMinutes * 60_000;
    if (cached.expiresAt.getTime() > now && idleLimit > now) return { ...cached.actor, ip: info.ip, locale: info.locale };
  }
  return null;
}

/** Resolves a session cookie: idle and absolute timeouts, revocation, and disabled users all end it. */
export async function resolveSession(db: Db, clock: Clock, policy: SessionPolicy, token: string, info: RequestInfo): Promise<AuthResult> {
  const hit = cachedSession(clock, policy, token, info);
  if (hit) return { actor: hit };
  const now = clock.now();
  const hash = sha256(token);
  sessionCache.delete(token);
  const rows = await db.select({ s: sessions, u: users }).from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.tokenHash, hash));
  const row = rows[0];
  if (!row) return { error: 'SESSION_EXPIRED' };
  const { s, u } = row;
  const idleLimit = new Date(s.lastSeenAt.getTime() + policy.idleMinutes * 60_000);
  if (s.revokedAt || s.expiresAt <= now || idleLimit <= now || u.disabledAt) {
    if (!s.revokedAt) await db.update(sessions).set({ revokedAt: now }).where(eq(sessions.id, s.id));
    return { error: 'SESSION_EXPIRED' };
  }
  let lastSeenAt = s.lastSeenAt;
  if (now.getTime() - s.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, s.id));
    lastSeenAt = now;
  }
  const actor = actorFromUser(u, info, s.id);
  if (sessionCache.size >= SESSION_CACHE_MAX) sessionCache.clear();
  sessionCache.set(token, { actor, userId: u.id, lastSeenAt, expiresAt: s.expiresAt, cachedAt: now.getTime() });
  return { actor };
}

/** Resolves a personal API token (Bearer). */
export async function resolveApiToken(db: Db, clock: Clock, token: string, info: RequestInfo): Promise<AuthResult> {
  const now = clock.now();
  const rows = await db
    .select({ t: apiTokens, u: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, sha256(token)), isNull(apiTokens.revokedAt)));
  const row = rows[0];
  if (!row || row.u.disabledAt || (row.t.expiresAt && row.t.expiresAt <= now)) return { error: 'AUTH_TOKEN_INVALID' };
  if (!row.t.lastUsedAt || now.getTime() - row.t.lastUsedAt.getTime() > 60_000) await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.t.id));
  return { actor: actorFromUser(row.u, info, null) };
}

export async function revokeUserSessions(db: Db, userId: string, now: Date): Promise<void> {
  invalidateUserSessions(userId);
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
}

export type TokenView = { id: string; name: string; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null };

export async function listTokens(db: Db, actor: Actor): Promise<TokenView[]> {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.userId, actor.userId ?? ''))
    .orderBy(sql`${apiTokens.createdAt} desc`);
}

/** Creates a personal API token; the clear token is returned once and only its hash is kept. */
export async function createToken(db: Db, actor: Actor, input: { name: string; expiresAt?: Date | null }): Promise<{ id: string; name: string; token: string }> {
  const token = randomToken('aoms_');
  const [row] = await db
    .insert(apiTokens)
    .values({ userId: actor.userId!, name: input.name, tokenHash: sha256(token), expiresAt: input.expiresAt ?? null })
    .returning({ id: apiTokens.id, name: apiTokens.name });
  await recordAudit(db, actor, { action: 'token.create', entity: 'api_token', entityId: row!.id, after: { name: input.name, expiresAt: input.expiresAt ?? null } });
  return { id: row!.id, name: row!.name, token };
}

export async function revokeToken(db: Db, actor: Actor, id: string, now: Date): Promise<void> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, actor.userId ?? ''), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id, name: apiTokens.name });
  if (!row) throw new DomainError(AuthErrors.TOKEN_NOT_FOUND);
  await recordAudit(db, actor, { action: 'token.revoke', entity: 'api_token', entityId: id, before: { name: row.name } });
}
