import { date, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, ts } from '../../platform/db/columns.js';

export const EXCEPTION_TYPES = ['production_failure', 'quality_problem', 'logistics_delay', 'cold_chain_excursion', 'customer_dispute'] as const;
export const EXCEPTION_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const EXCEPTION_STATUSES = ['open', 'responding', 'resolved', 'closed'] as const;

export type ExceptionType = (typeof EXCEPTION_TYPES)[number];
export type ExceptionSeverity = (typeof EXCEPTION_SEVERITIES)[number];
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

/** An exception (R5.2): a problem with an order, lot or shipment, with an owner, timers in working hours and escalation. */
export const trackingExceptions = pgTable(
  'tracking_exceptions',
  {
    id: idColumn(),
    number: text('number').notNull(),
    type: text('type', { enum: EXCEPTION_TYPES }).notNull(),
    severity: text('severity', { enum: EXCEPTION_SEVERITIES }).notNull(),
    status: text('status', { enum: EXCEPTION_STATUSES }).notNull().default('open'),
    title: text('title').notNull(),
    description: text('description'),
    ownerId: uuid('owner_id').notNull(),
    orderId: uuid('order_id'),
    lotId: uuid('lot_id'),
    shipmentId: uuid('shipment_id'),
    responsePlan: text('response_plan'),
    resolution: text('resolution'),
    /** Due by (working hours from opening, platform calendar with 调休). */
    responseDueAt: ts('response_due_at').notNull(),
    resolutionDueAt: ts('resolution_due_at').notNull(),
    respondedAt: ts('responded_at'),
    resolvedAt: ts('resolved_at'),
    closedAt: ts('closed_at'),
    /** 0 owner, 1 department head, 2 management. */
    escalationLevel: integer('escalation_level').notNull().default(0),
    escalatedAt: ts('escalated_at'),
    escalatedToId: uuid('escalated_to_id'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('tracking_exceptions_status_idx').on(t.status, t.severity),
    index('tracking_exceptions_order_idx').on(t.orderId),
    index('tracking_exceptions_number_idx').on(t.number),
  ],
);

/** The actions of an exception's response plan. */
export const trackingExceptionActions = pgTable(
  'tracking_exception_actions',
  {
    id: idColumn(),
    exceptionId: uuid('exception_id')
      .notNull()
      .references(() => trackingExceptions.id),
    text: text('text').notNull(),
    ownerId: uuid('owner_id'),
    dueOn: date('due_on', { mode: 'string' }),
    doneAt: ts('done_at'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('tracking_exception_actions_exc_idx').on(t.exceptionId)],
);

export const FEEDBACK_CATEGORIES = ['quality', 'packaging', 'delivery_time', 'logistics_service'] as const;
export const FEEDBACK_SOURCES = ['staff', 'portal', 'survey'] as const;
export const FEEDBACK_STATUSES = ['open', 'replied', 'closed'] as const;
export type FeedbackCategory = (typeof FEEDBACK_CATEGORIES)[number];
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

/** Customer feedback (R5.3): a category, an owner, a reply deadline and the reply sent to the customer. */
export const trackingFeedback = pgTable(
  'tracking_feedback',
  {
    id: idColumn(),
    number: text('number').notNull(),
    category: text('category', { enum: FEEDBACK_CATEGORIES }).notNull(),
    source: text('source', { enum: FEEDBACK_SOURCES }).notNull().default('staff'),
    status: text('status', { enum: FEEDBACK_STATUSES }).notNull().default('open'),
    customerId: uuid('customer_id').notNull(),
    customerName: text('customer_name').notNull(),
    contactId: uuid('contact_id'),
    orderId: uuid('order_id'),
    productId: uuid('product_id'),
    rating: integer('rating'),
    content: text('content').notNull(),
    ownerId: uuid('owner_id').notNull(),
    replyDueAt: ts('reply_due_at').notNull(),
    reply: text('reply'),
    replyChannel: text('reply_channel'),
    repliedAt: ts('replied_at'),
    repliedBy: text('replied_by'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('tracking_feedback_status_idx').on(t.status, t.createdAt),
    index('tracking_feedback_customer_idx').on(t.customerId),
    index('tracking_feedback_category_idx').on(t.category, t.createdAt),
  ],
);
