import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { SYSTEM_ACTOR, type Actor } from './actor.js';
import { AuthErrors } from './auth.errors.js';
import { DUMMY_HASH, randomToken, sha256, verifyPassword } from './password.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
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
  description: { zh: '连续失败达到此次数后暂停登录。', en: 'Sign-in is paused after this many consecutive failures.' },
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
  };
}

function anonymous(username: string, info: RequestInfo): Actor {
  return { ...SYSTEM_ACTOR, username: username || 'anonymous', displayName: username, roles: [], ip: info.ip, locale: info.locale };
}

/** Checks a password, throttles repeated failures, and opens a fresh session (old one revoked: rotation). */
export async function login(
  db: Db,
  clock: Clock,
  policy: SessionPolicy,
  input: { username: string; password: string; previousToken?: string | null },
  info: RequestInfo,
): Promise<{ token: string; user: UserRow; expiresAt: Date }> {
  const username = input.username.trim().toLowerCase();
  const now = clock.now();
  const key = `u:${username}`;
  const cfg = await getSettings(db, [LoginMaxFailures, LoginLockMinutes]);
  const maxFailures = cfg.get(LoginMaxFailures.key) as number;
  const lockMinutes = cfg.get(LoginLockMinutes.key) as number;
  const [fail] = await db.select().from(loginFailures).where(eq(loginFailures.key, key));
  if (fail?.lockedUntil && fail.lockedUntil > now) {
    await db.transaction(async (tx) => recordAudit(tx as unknown as Db, anonymous(username, info), { action: 'auth.login.throttled', entity: 'user', entityId: username }));
    throw new DomainError(AuthErrors.AUTH_THROTTLED, { minutes: Math.ceil((fail.lockedUntil.getTime() - now.getTime()) / 60000) });
  }
  const [user] = await db.select().from(users).where(eq(users.username, username));
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabledAt) {
    await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const windowFresh = fail && now.getTime() - fail.windowStart.getTime() < lockMinutes * 60_000;
      const count = (windowFresh ? fail.count : 0) + 1;
      const lockedUntil = count >= maxFailures ? new Date(now.getTime() + lockMinutes * 60_000) : null;
      await tx
        .insert(loginFailures)
        .values({ key, count, windowStart: windowFresh ? fail.windowStart : now, lockedUntil })
        .onConflictDoUpdate({ target: loginFailures.key, set: { count, windowStart: windowFresh ? fail.windowStart : now, lockedUntil } });
      await recordAudit(tx, anonymous(username, info), {
        action: 'auth.login.failed',
        entity: 'user',
        entityId: user?.id ?? username,
        after: { reason: !user ? 'unknown user' : user.disabledAt ? 'disabled' : 'wrong password' },
      });
    });
    throw new DomainError(user?.disabledAt && ok ? AuthErrors.AUTH_USER_DISABLED : AuthErrors.AUTH_INVALID_CREDENTIALS);
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
    await tx.delete(loginFailures).where(eq(loginFailures.key, key));
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
