import { and, count, eq, isNotNull, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { assertOrThrow, DomainError } from '../errors/domain-error.js';
import { can, type Actor } from './actor.js';
import { AuthErrors } from './auth.errors.js';
import { invalidateUserSessions, revokeUserSessions } from './auth.service.js';
import { hashPassword, verifyPassword } from './password.js';
import { recordAudit } from '../audit/audit.service.js';
import { clock } from '../clock.js';
import { openPii, pii, shown } from '../crypto/pii.js';
import type { Db } from '../db/client.js';
import { offsetOf, orderByOf, type Page } from '../http/list.js';
import { sessions, users } from '../platform.tables.js';
import { isRoleCode } from '../rbac/permissions.js';

export type UserView = {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  customerId: string | null;
  phone: string | null;
  email: string | null;
  locale: string;
  disabled: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
};

type UserRow = typeof users.$inferSelect;

export function toUserView(u: UserRow, viewer: Actor): UserView {
  const showPii = can(viewer, 'pii:read') || viewer.userId === u.id;
  const phone = openPii(u.phoneEnc);
  const email = openPii(u.emailEnc);
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    customerId: u.customerId,
    phone: shown(phone, showPii, 'phone'),
    email: shown(email, showPii, 'email'),
    locale: u.locale,
    disabled: u.disabledAt !== null,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
  };
}

function checkPassword(pw: string): void {
  if (pw.length < 8 || !/[A-Za-z]/.test(pw) || !/\d/.test(pw))
    throw new DomainError(AuthErrors.USER_WEAK_PASSWORD, {}, [{ field: 'password', code: AuthErrors.USER_WEAK_PASSWORD }]);
}

function checkRoles(roles: string[]): void {
  for (const r of roles)
    if (!isRoleCode(r)) throw new DomainError(AuthErrors.USER_UNKNOWN_ROLE, { role: r }, [{ field: 'roles', code: AuthErrors.USER_UNKNOWN_ROLE, params: { role: r } }]);
}

function piiColumns(phone: string | null | undefined, email: string | null | undefined): Partial<UserRow> {
  const out: Partial<UserRow> = {};
  if (phone !== undefined) {
    out.phoneEnc = phone ? pii().encrypt(phone) : null;
    out.phoneIdx = phone ? pii().blindIndex(phone) : null;
  }
  if (email !== undefined) {
    out.emailEnc = email ? pii().encrypt(email) : null;
    out.emailIdx = email ? pii().blindIndex(email) : null;
  }
  return out;
}

/** A customer-role account is always linked to its customer (on create and on every edit). */
function assertCustomerLinked(roles: string[], customerId: string | null): void {
  if (roles.includes('customer') && !customerId) throw new DomainError(AuthErrors.USER_CUSTOMER_REQUIRED, {}, [{ field: 'customerId', code: AuthErrors.USER_CUSTOMER_REQUIRED }]);
}

export type CreateUserInput = {
  username: string;
  displayName: string;
  password: string;
  roles: string[];
  phone?: string | null;
  email?: string | null;
  locale?: 'zh-CN' | 'en-US';
  customerId?: string | null;
  /** A password someone else chose (an admin, the first start): the user must change it at the next sign-in. */
  oneTimePassword?: boolean;
};

/** Creates a staff or customer account; passwords are hashed, phone and email encrypted. */
export async function createUser(db: Db, actor: Actor, input: CreateUserInput): Promise<UserView> {
  const username = input.username.trim().toLowerCase();
  checkPassword(input.password);
  checkRoles(input.roles);
  assertCustomerLinked(input.roles, input.customerId ?? null);
  const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.username, username));
  if (taken) throw new DomainError(AuthErrors.USER_USERNAME_TAKEN, { username }, [{ field: 'username', code: AuthErrors.USER_USERNAME_TAKEN, params: { username } }]);
  const [row] = await db
    .insert(users)
    .values({
      username,
      displayName: input.displayName.trim(),
      passwordHash: await hashPassword(input.password),
      roles: [...new Set(input.roles)],
      customerId: input.customerId ?? null,
      locale: input.locale ?? 'zh-CN',
      passwordChangedAt: clock.now(),
      mustChangePassword: input.oneTimePassword ?? false,
      ...piiColumns(input.phone, input.email),
    })
    .returning();
  const view = toUserView(row!, actor);
  await recordAudit(db, actor, { action: 'user.create', entity: 'user', entityId: row!.id, after: toUserView(row!, actor) });
  return view;
}

async function load(db: Db, id: string): Promise<UserRow> {
  const [u] = await db.select().from(users).where(eq(users.id, id));
  if (!u) throw new DomainError(AuthErrors.USER_NOT_FOUND);
  return u;
}

async function assertAnotherAdminRemains(db: Db, excludingId: string): Promise<void> {
  const [r] = await db
    .select({ n: count() })
    .from(users)
    .where(and(sql`'admin' = any(${users.roles})`, isNull(users.disabledAt), sql`${users.id} <> ${excludingId}`));
  assertOrThrow((r?.n ?? 0) > 0, AuthErrors.USER_LAST_ADMIN);
}

export type UpdateUserInput = Partial<Pick<CreateUserInput, 'displayName' | 'roles' | 'phone' | 'email' | 'locale' | 'customerId'>>;

export async function updateUser(db: Db, actor: Actor, id: string, input: UpdateUserInput): Promise<UserView> {
  const before = await load(db, id);
  if (input.roles) {
    checkRoles(input.roles);
    if (before.roles.includes('admin') && !input.roles.includes('admin')) await assertAnotherAdminRemains(db, id);
  }
  const roles = input.roles ? [...new Set(input.roles)] : before.roles;
  const customerId = input.customerId === undefined ? before.customerId : input.customerId;
  assertCustomerLinked(roles, customerId);
  const [row] = await db
    .update(users)
    .set({
      displayName: input.displayName?.trim() ?? before.displayName,
      roles,
      locale: input.locale ?? before.locale,
      customerId,
      updatedAt: clock.now(),
      ...piiColumns(input.phone, input.email),
    })
    .where(eq(users.id, id))
    .returning();
  await recordAudit(db, actor, { action: 'user.update', entity: 'user', entityId: id, before: toUserView(before, actor), after: toUserView(row!, actor) });
  // Role changes take effect on the next request: cached sessions of this user are dropped.
  invalidateUserSessions(id);
  return toUserView(row!, actor);
}

/** Disables an account; its sessions end at their next request. */
export async function setUserDisabled(db: Db, actor: Actor, id: string, disabled: boolean): Promise<UserView> {
  const before = await load(db, id);
  if (disabled) {
    assertOrThrow(id !== actor.userId, AuthErrors.USER_CANNOT_DISABLE_SELF);
    if (before.roles.includes('admin')) await assertAnotherAdminRemains(db, id);
  }
  const now = clock.now();
  const [row] = await db
    .update(users)
    .set({ disabledAt: disabled ? (before.disabledAt ?? now) : null, updatedAt: now })
    .where(eq(users.id, id))
    .returning();
  if (disabled) await revokeUserSessions(db, id, now);
  await recordAudit(db, actor, {
    action: disabled ? 'user.disable' : 'user.enable',
    entity: 'user',
    entityId: id,
    before: { disabled: before.disabledAt !== null },
    after: { disabled },
  });
  return toUserView(row!, actor);
}

/** An admin sets a one-time password: the account's sessions end and its user must change it at the next sign-in. */
export async function resetPassword(db: Db, actor: Actor, id: string, password: string): Promise<void> {
  await load(db, id);
  checkPassword(password);
  const now = clock.now();
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(password), passwordChangedAt: now, updatedAt: now, mustChangePassword: id !== actor.userId })
    .where(eq(users.id, id));
  await revokeUserSessions(db, id, now);
  await recordAudit(db, actor, { action: 'user.reset-password', entity: 'user', entityId: id, after: { oneTimePassword: id !== actor.userId } });
}

/**
 * A user changes their own password (the current one is checked; the new one must differ and be strong). Ends the
 * user's other sessions (this one stays signed in) and lifts the one-time-password requirement.
 */
export async function changeOwnPassword(db: Db, actor: Actor, input: { currentPassword: string; newPassword: string }): Promise<void> {
  if (!actor.userId) throw new DomainError('AUTH_REQUIRED');
  const u = await load(db, actor.userId);
  if (!(await verifyPassword(input.currentPassword, u.passwordHash)))
    throw new DomainError(AuthErrors.AUTH_CURRENT_PASSWORD_WRONG, {}, [{ field: 'currentPassword', code: AuthErrors.AUTH_CURRENT_PASSWORD_WRONG }]);
  if (input.newPassword === input.currentPassword)
    throw new DomainError(AuthErrors.AUTH_PASSWORD_UNCHANGED, {}, [{ field: 'newPassword', code: AuthErrors.AUTH_PASSWORD_UNCHANGED }]);
  try {
    checkPassword(input.newPassword);
  } catch (e) {
    if (e instanceof DomainError) throw new DomainError(e.code, e.params, [{ field: 'newPassword', code: e.code }]);
    throw e;
  }
  const now = clock.now();
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(input.newPassword), passwordChangedAt: now, updatedAt: now, mustChangePassword: false })
    .where(eq(users.id, u.id));
  invalidateUserSessions(u.id);
  await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, u.id), isNull(sessions.revokedAt), actor.sessionId ? ne(sessions.id, actor.sessionId) : undefined));
  await recordAudit(db, actor, { action: 'user.change-password', entity: 'user', entityId: u.id, after: { wasOneTime: u.mustChangePassword } });
}

export async function getUser(db: Db, actor: Actor, id: string): Promise<UserView> {
  return toUserView(await load(db, id), actor);
}

export type UserFilter = { q?: string; role?: string; disabled?: boolean; page: number; pageSize: number; sort?: string };

export async function listUsers(db: Db, actor: Actor, f: UserFilter): Promise<Page<UserView>> {
  const conds: SQL[] = [];
  if (f.q) {
    const like = `%${f.q}%`;
    // Phone and e-mail (blind indexes) only for roles with pii:read: for the others a hit would confirm a value they see masked.
    const idx = can(actor, 'pii:read') ? pii().blindIndex(f.q) : null;
    conds.push(or(sql`${users.username} ilike ${like}`, sql`${users.displayName} ilike ${like}`, ...(idx ? [eq(users.phoneIdx, idx), eq(users.emailIdx, idx)] : []))!);
  }
  if (f.role) conds.push(sql`${f.role} = any(${users.roles})`);
  if (f.disabled === true) conds.push(isNotNull(users.disabledAt));
  if (f.disabled === false) conds.push(isNull(users.disabledAt));
  const where = conds.length ? and(...conds) : undefined;
  const order = orderByOf(f.sort, { username: users.username, displayName: users.displayName, createdAt: users.createdAt, lastLoginAt: users.lastLoginAt }, [
    sql`${users.username} asc`,
  ]);
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(users)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { items: rows.map((u) => toUserView(u, actor)), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

/** Finds users holding any of the roles (for notifications to a role). */
export async function userIdsWithRoles(db: Db, roles: string[]): Promise<string[]> {
  if (!roles.length) return [];
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(isNull(users.disabledAt), sql`${users.roles} && ${sql.raw(`ARRAY[${roles.map((r) => `'${r.replace(/'/g, '')}'`).join(',')}]::text[]`)}`));
  return rows.map((r) => r.id);
}
