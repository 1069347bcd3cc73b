import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../auth/actor.js';
import { userIdsWithRoles } from '../auth/users.service.js';
import { clock } from '../clock.js';
import { pii } from '../crypto/pii.js';
import type { Db } from '../db/client.js';
import { DomainError, defineErrors } from '../errors/domain-error.js';
import { pick, type Text } from '../i18n/locale.js';
import { offsetOf, type Page } from '../http/list.js';
import { enqueue, registerOutboxHandler } from '../outbox/outbox.service.js';
import { notifications, outboundMessages } from '../platform.tables.js';

export const NotificationErrors = defineErrors({
  NOTIFICATION_NOT_FOUND: { status: 404, zh: '通知不存在。', en: 'Notification not found.' },
});

export type NotifyPayload = { userIds?: string[]; roles?: string[]; title: Text; body: Text; link?: string | null };
export type CustomerMessagePayload = { channel: 'email' | 'sms'; recipient: string; subject: Text; body: Text; locale?: 'zh-CN' | 'en-US' };

export const TOPIC_NOTIFY = 'notify.users';
export const TOPIC_CUSTOMER_MESSAGE = 'notify.customer';

/** Queues in-app notifications in the caller's transaction; delivered by the outbox worker. */
export async function notifyUsers(db: Db, payload: NotifyPayload): Promise<string> {
  return enqueue(db, TOPIC_NOTIFY, payload);
}

/** Queues a message to a customer (e-mail/SMS gateway is an outside service behind the outbox). */
export async function queueCustomerMessage(db: Db, payload: CustomerMessagePayload): Promise<string> {
  return enqueue(db, TOPIC_CUSTOMER_MESSAGE, payload);
}

registerOutboxHandler(TOPIC_NOTIFY, async (db, raw, msg) => {
  const p = raw as NotifyPayload;
  const ids = new Set([...(p.userIds ?? []), ...(await userIdsWithRoles(db, p.roles ?? []))]);
  if (!ids.size) return;
  await db
    .insert(notifications)
    .values([...ids].map((userId) => ({ userId, title: p.title, body: p.body, link: p.link ?? null, sourceId: msg.id })))
    .onConflictDoNothing();
});

/** The default customer-message sender records the message; a real SMTP/SMS adapter replaces it in production. */
registerOutboxHandler(TOPIC_CUSTOMER_MESSAGE, async (db, raw, msg) => {
  const p = raw as CustomerMessagePayload;
  const locale = p.locale ?? 'zh-CN';
  await db
    .insert(outboundMessages)
    // Recipient and text are personal data (a phone or address, the customer's name): stored encrypted.
    .values({ sourceId: msg.id, channel: p.channel, recipient: pii().encrypt(p.recipient), subject: pick(p.subject, locale), body: pii().encrypt(pick(p.body, locale)) })
    .onConflictDoNothing();
});

export type NotificationView = { id: string; title: string; body: string; link: string | null; createdAt: Date; readAt: Date | null };

export async function listNotifications(db: Db, actor: Actor, q: { unread?: boolean; page: number; pageSize: number }): Promise<Page<NotificationView>> {
  const where = and(eq(notifications.userId, actor.userId ?? ''), q.unread ? isNull(notifications.readAt) : undefined);
  const [rows, total] = await Promise.all([
    db.select().from(notifications).where(where).orderBy(desc(notifications.createdAt)).limit(q.pageSize).offset(offsetOf(q)),
    db.select({ n: count() }).from(notifications).where(where),
  ]);
  return {
    items: rows.map((r) => ({ id: r.id, title: pick(r.title, actor.locale), body: pick(r.body, actor.locale), link: r.link, createdAt: r.createdAt, readAt: r.readAt })),
    total: total[0]?.n ?? 0,
    page: q.page,
    pageSize: q.pageSize,
  };
}

export async function unreadCount(db: Db, actor: Actor): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, actor.userId ?? ''), isNull(notifications.readAt)));
  return r?.n ?? 0;
}

export async function markRead(db: Db, actor: Actor, id: string): Promise<void> {
  const rows = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, ${clock.now()})` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, actor.userId ?? '')))
    .returning({ id: notifications.id });
  if (!rows[0]) throw new DomainError(NotificationErrors.NOTIFICATION_NOT_FOUND);
}

export async function markAllRead(db: Db, actor: Actor): Promise<void> {
  await db
    .update(notifications)
    .set({ readAt: clock.now() })
    .where(and(eq(notifications.userId, actor.userId ?? ''), isNull(notifications.readAt)));
}
