import { and, count, desc, eq, gte, ilike, lt, or, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import type { Text } from '../../platform/i18n/locale.js';
import { notifyUsers, queueCustomerMessage } from '../../platform/notifications/notifications.service.js';
import { users } from '../../platform/platform.tables.js';
import { defineSetting, getSetting } from '../../platform/settings/settings.service.js';
import { recordInitialState, transition } from '../../platform/state-machine.js';
import { getCustomer, getCustomerContact } from '../customers/index.js';
import { TrackingErrors } from './tracking.errors.js';
import { feedbackMachine } from './tracking.states.js';
import { trackingFeedback, type FeedbackCategory, type FeedbackSource, type FeedbackStatus } from './tracking.tables.js';
import { addWorkingHours } from './working-hours.js';

export const feedbackReplyHours = defineSetting({
  key: 'tracking.feedbackReplyHours',
  module: 'tracking',
  type: 'integer',
  default: 18,
  min: 1,
  max: 720,
  label: { zh: '客户反馈回复期限(工作小时)', en: 'Feedback reply deadline (working hours)' },
  description: {
    zh: '新反馈的回复期限:自登记起的工作小时数(09:00–18:00,按工作日历,含调休)。',
    en: 'Reply deadline of new feedback: working hours from its entry (09:00–18:00 on calendar working days, make-up days counted).',
  },
  unit: { zh: '工作小时', en: 'working hours' },
});

export const CATEGORY_NAMES: Record<FeedbackCategory, Text> = {
  quality: { zh: '产品质量', en: 'Quality' },
  packaging: { zh: '包装', en: 'Packaging' },
  delivery_time: { zh: '交付时间', en: 'Delivery time' },
  logistics_service: { zh: '物流服务', en: 'Logistics service' },
};
export const FEEDBACK_STATUS_NAMES: Record<FeedbackStatus, Text> = {
  open: { zh: '待回复', en: 'Open' },
  replied: { zh: '已回复', en: 'Replied' },
  closed: { zh: '已关闭', en: 'Closed' },
};

type Row = typeof trackingFeedback.$inferSelect;
export type FeedbackView = Omit<Row, 'updatedAt'> & { ownerName: string | null; replyOverdue: boolean };

export type FeedbackInput = {
  category: FeedbackCategory;
  source?: FeedbackSource;
  customerId: string;
  contactId?: string | null;
  orderId?: string | null;
  productId?: string | null;
  rating?: number | null;
  content: string;
  ownerId: string;
  replyDueAt?: Date | null;
};

const view = (r: Row, ownerName: string | null, now: Date): FeedbackView => {
  const { updatedAt: _u, ...rest } = r;
  void _u;
  return { ...rest, ownerName, replyOverdue: r.status === 'open' && now > r.replyDueAt };
};

async function load(db: Db, id: string): Promise<Row> {
  const [r] = await db.select().from(trackingFeedback).where(eq(trackingFeedback.id, id)).for('update');
  if (!r) throw new DomainError(TrackingErrors.FEEDBACK_NOT_FOUND);
  return r;
}

export async function getFeedback(db: Db, _actor: Actor, id: string): Promise<FeedbackView> {
  const [x] = await db
    .select({ r: trackingFeedback, ownerName: users.displayName })
    .from(trackingFeedback)
    .leftJoin(users, eq(users.id, trackingFeedback.ownerId))
    .where(eq(trackingFeedback.id, id));
  if (!x) throw new DomainError(TrackingErrors.FEEDBACK_NOT_FOUND);
  return view(x.r, x.ownerName, clock.now());
}

export async function createFeedback(db: Db, actor: Actor, input: FeedbackInput): Promise<FeedbackView> {
  const now = clock.now();
  const customer = await getCustomer(db, input.customerId);
  if (!customer) throw new DomainError(TrackingErrors.FEEDBACK_CUSTOMER_UNKNOWN, {}, [{ field: 'customerId', code: TrackingErrors.FEEDBACK_CUSTOMER_UNKNOWN }]);
  if (input.contactId) {
    const contact = await getCustomerContact(db, input.contactId);
    if (!contact || contact.customerId !== input.customerId) {
      throw new DomainError(TrackingErrors.FEEDBACK_CONTACT_MISMATCH, {}, [{ field: 'contactId', code: TrackingErrors.FEEDBACK_CONTACT_MISMATCH }]);
    }
  }
  const [owner] = await db.select({ id: users.id }).from(users).where(eq(users.id, input.ownerId));
  if (!owner) throw new DomainError(TrackingErrors.EXCEPTION_OWNER_UNKNOWN, {}, [{ field: 'ownerId', code: TrackingErrors.EXCEPTION_OWNER_UNKNOWN }]);
  if (input.replyDueAt && input.replyDueAt <= now) {
    throw new DomainError(TrackingErrors.EXCEPTION_DEADLINE_PAST, { deadline: input.replyDueAt.toISOString() }, [
      { field: 'replyDueAt', code: TrackingErrors.EXCEPTION_DEADLINE_PAST },
    ]);
  }
  const replyDueAt = input.replyDueAt ?? (await addWorkingHours(db, now, await getSetting(db, feedbackReplyHours)));
  const number = await nextDocNumber(db, 'FB', now);
  const [row] = await db
    .insert(trackingFeedback)
    .values({
      number,
      category: input.category,
      source: input.source ?? 'staff',
      customerId: input.customerId,
      customerName: customer.name,
      contactId: input.contactId ?? null,
      orderId: input.orderId ?? null,
      productId: input.productId ?? null,
      rating: input.rating ?? null,
      content: input.content,
      ownerId: input.ownerId,
      replyDueAt,
      createdBy: actor.username,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await recordInitialState(db, actor, feedbackMachine, row!.id);
  await recordAudit(db, actor, { action: 'feedback.create', entity: 'tracking_feedback', entityId: row!.id, before: null, after: row });
  await notifyUsers(db, {
    userIds: [input.ownerId],
    title: { zh: `新客户反馈 ${number}`, en: `New customer feedback ${number}` },
    body: { zh: `${customer.name}:${CATEGORY_NAMES[input.category].zh}`, en: `${customer.name}: ${CATEGORY_NAMES[input.category].en}` },
    link: `/feedback/${row!.id}`,
  });
  return getFeedback(db, actor, row!.id);
}

/** Records the reply and queues it to the feedback's contact (e-mail, else SMS) through the outbox. */
export async function replyFeedback(db: Db, actor: Actor, id: string, input: { reply: string }): Promise<FeedbackView> {
  const before = await load(db, id);
  const contact = before.contactId ? await getCustomerContact(db, before.contactId) : null;
  const recipient = contact?.email ? { channel: 'email' as const, to: contact.email } : contact?.phone ? { channel: 'sms' as const, to: contact.phone } : null;
  const to = await transition(db, actor, feedbackMachine, { id, from: before.status, event: 'reply', guard: () => (recipient ? null : TrackingErrors.FEEDBACK_NO_RECIPIENT) });
  const now = clock.now();
  const [after] = await db
    .update(trackingFeedback)
    .set({ status: to, reply: input.reply, replyChannel: recipient!.channel, repliedAt: now, repliedBy: actor.username, updatedAt: now })
    .where(and(eq(trackingFeedback.id, id), eq(trackingFeedback.status, before.status)))
    .returning();
  await queueCustomerMessage(db, {
    channel: recipient!.channel,
    recipient: recipient!.to,
    subject: { zh: `关于您的反馈 ${before.number} 的回复`, en: `Reply to your feedback ${before.number}` },
    body: { zh: `${contact!.name},您好:\n${input.reply}`, en: `Dear ${contact!.name},\n${input.reply}` },
  });
  await recordAudit(db, actor, { action: 'feedback.reply', entity: 'tracking_feedback', entityId: id, before, after: after ?? null });
  return getFeedback(db, actor, id);
}

export async function closeFeedback(db: Db, actor: Actor, id: string, reason: string | null): Promise<FeedbackView> {
  const before = await load(db, id);
  const to = await transition(db, actor, feedbackMachine, { id, from: before.status, event: 'close', reason });
  const [after] = await db
    .update(trackingFeedback)
    .set({ status: to, updatedAt: clock.now() })
    .where(and(eq(trackingFeedback.id, id), eq(trackingFeedback.status, before.status)))
    .returning();
  await recordAudit(db, actor, { action: 'feedback.close', entity: 'tracking_feedback', entityId: id, before, after: after ?? null });
  return getFeedback(db, actor, id);
}

export type FeedbackFilter = {
  page: number;
  pageSize: number;
  sort?: string;
  q?: string;
  category?: FeedbackCategory;
  status?: FeedbackStatus;
  customerId?: string;
  productId?: string;
  ownerId?: string;
  from?: string;
  to?: string;
  overdue?: boolean;
};

function feedbackWhere(f: FeedbackFilter, now: Date): SQL | undefined {
  const conds: SQL[] = [];
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(or(ilike(trackingFeedback.content, like), ilike(trackingFeedback.number, like), ilike(trackingFeedback.customerName, like))!);
  }
  if (f.category) conds.push(eq(trackingFeedback.category, f.category));
  if (f.status) conds.push(eq(trackingFeedback.status, f.status));
  if (f.customerId) conds.push(eq(trackingFeedback.customerId, f.customerId));
  if (f.productId) conds.push(eq(trackingFeedback.productId, f.productId));
  if (f.ownerId) conds.push(eq(trackingFeedback.ownerId, f.ownerId));
  // Period in business dates (Asia/Shanghai): from 00:00 of `from` to the end of `to`.
  if (f.from) conds.push(gte(trackingFeedback.createdAt, new Date(`${f.from}T00:00:00+08:00`)));
  if (f.to) conds.push(lt(trackingFeedback.createdAt, new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000)));
  if (f.overdue) conds.push(and(eq(trackingFeedback.status, 'open'), lt(trackingFeedback.replyDueAt, now))!);
  return conds.length ? and(...conds) : undefined;
}

export async function listFeedback(db: Db, _actor: Actor, f: FeedbackFilter): Promise<Page<FeedbackView>> {
  const now = clock.now();
  const where = feedbackWhere(f, now);
  const order = orderByOf(
    f.sort,
    {
      number: trackingFeedback.number,
      createdAt: trackingFeedback.createdAt,
      replyDueAt: trackingFeedback.replyDueAt,
      category: trackingFeedback.category,
      status: trackingFeedback.status,
      customerName: trackingFeedback.customerName,
      rating: trackingFeedback.rating,
    },
    [desc(trackingFeedback.createdAt), desc(trackingFeedback.id)],
  );
  const [rows, total] = await Promise.all([
    db
      .select({ r: trackingFeedback, ownerName: users.displayName })
      .from(trackingFeedback)
      .leftJoin(users, eq(users.id, trackingFeedback.ownerId))
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(trackingFeedback).where(where),
  ]);
  return { items: rows.map((x) => view(x.r, x.ownerName, now)), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

/** Counts by category over the filter: the analysis by category, customer, product and period. */
export async function feedbackByCategory(db: Db, _actor: Actor, f: FeedbackFilter): Promise<{ category: FeedbackCategory; count: number; open: number }[]> {
  const rows = await db
    .select({ category: trackingFeedback.category, status: trackingFeedback.status, n: count() })
    .from(trackingFeedback)
    .where(feedbackWhere(f, clock.now()))
    .groupBy(trackingFeedback.category, trackingFeedback.status);
  const out = new Map<FeedbackCategory, { category: FeedbackCategory; count: number; open: number }>();
  for (const r of rows) {
    const c = out.get(r.category) ?? { category: r.category, count: 0, open: 0 };
    c.count += Number(r.n);
    if (r.status === 'open') c.open += Number(r.n);
    out.set(r.category, c);
  }
  return [...out.values()];
}
