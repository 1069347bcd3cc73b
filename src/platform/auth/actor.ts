import type { Locale } from '../i18n/locale.js';
import type { Permission } from '../rbac/permissions.js';
import { DomainError } from '../errors/domain-error.js';

/** Who acts: passed explicitly to every service function. */
export type Actor = {
  userId: string | null;
  username: string;
  displayName: string;
  roles: string[];
  permissions: ReadonlySet<Permission>;
  /** The only customer whose records this user may see (whatever roles it holds); null for staff. */
  customerId: string | null;
  locale: Locale;
  ip: string | null;
  sessionId: string | null;
  /** Signed in with a one-time password: only the password change (and sign-out) is allowed until it is changed. */
  mustChangePassword?: boolean;
};

/** The system itself (jobs, automatic review, seed). */
export const SYSTEM_ACTOR: Actor = {
  userId: null,
  username: 'system',
  displayName: '系统 / System',
  roles: ['admin'],
  permissions: new Set(),
  customerId: null,
  locale: 'zh-CN',
  ip: null,
  sessionId: null,
};

export function can(actor: Actor, permission: Permission): boolean {
  return actor.userId === null || actor.permissions.has(permission);
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new DomainError('FORBIDDEN', { permission });
}

/**
 * Record scoping: the customer a query must be limited to, or null for staff who see all.
 * A user with a customerId is always scoped to that customer, whatever roles it holds; a customer-role user
 * without one (refused at create and edit, so only a damaged row) sees nothing.
 * Services call this and add the filter; the UI never decides.
 */
export function customerScope(actor: Actor): string | null {
  if (actor.customerId) return actor.customerId;
  if (actor.roles.includes('customer')) return '00000000-0000-0000-0000-000000000000';
  return null;
}

/** Throws NOT_FOUND (not FORBIDDEN, to avoid leaking existence) when a scoped actor reaches another customer's record. */
export function assertInScope(actor: Actor, recordCustomerId: string | null): void {
  const scope = customerScope(actor);
  if (scope !== null && scope !== recordCustomerId) throw new DomainError('NOT_FOUND');
}
