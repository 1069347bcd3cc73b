import { z } from 'zod';
import { businessDay, dateTime, safeMultiline, safeString } from '../../platform/http/schemas.js';
import { listQuery, qsBool } from '../../platform/http/list.js';
import { EXCEPTION_SEVERITIES, EXCEPTION_STATUSES, EXCEPTION_TYPES, FEEDBACK_CATEGORIES, FEEDBACK_SOURCES, FEEDBACK_STATUSES } from './tracking.tables.js';

const actionBody = z.strictObject({
  text: safeMultiline().trim().min(1).max(500),
  ownerId: z.uuid().nullable().optional(),
  dueOn: businessDay.nullable().optional(),
});

export const exceptionBody = z.strictObject({
  type: z.enum(EXCEPTION_TYPES),
  severity: z.enum(EXCEPTION_SEVERITIES),
  title: safeString().trim().min(1).max(200),
  description: safeMultiline().trim().max(2000).nullable().optional(),
  ownerId: z.uuid(),
  orderId: z.uuid().nullable().optional(),
  lotId: z.uuid().nullable().optional(),
  shipmentId: z.uuid().nullable().optional(),
  responsePlan: safeMultiline().trim().max(2000).nullable().optional(),
  responseDueAt: dateTime.nullable().optional(),
  resolutionDueAt: dateTime.nullable().optional(),
  actions: z.array(actionBody).max(50).optional(),
});
export const exceptionActionBody = actionBody;
export const exceptionStatusBody = z.strictObject({
  text: safeMultiline().trim().max(2000).nullable().optional(),
  reason: safeMultiline().trim().max(500).nullable().optional(),
});
export const escalateBody = z.strictObject({ toUserId: z.uuid(), reason: safeMultiline().trim().min(1).max(500) });

export const exceptionListQuery = listQuery.extend({
  status: z.enum(EXCEPTION_STATUSES).optional(),
  severity: z.enum(EXCEPTION_SEVERITIES).optional(),
  type: z.enum(EXCEPTION_TYPES).optional(),
  ownerId: z.uuid().optional(),
  orderId: z.uuid().optional(),
  overdue: qsBool,
});

const exceptionCore = {
  id: z.string(),
  number: z.string(),
  type: z.enum(EXCEPTION_TYPES),
  severity: z.enum(EXCEPTION_SEVERITIES),
  status: z.enum(EXCEPTION_STATUSES),
  title: z.string(),
  description: z.string().nullable(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  orderId: z.string().nullable(),
  lotId: z.string().nullable(),
  shipmentId: z.string().nullable(),
  responsePlan: z.string().nullable(),
  resolution: z.string().nullable(),
  responseDueAt: dateTime,
  resolutionDueAt: dateTime,
  respondedAt: dateTime.nullable(),
  resolvedAt: dateTime.nullable(),
  closedAt: dateTime.nullable(),
  responseOverdue: z.boolean(),
  resolutionOverdue: z.boolean(),
  escalationLevel: z.number().int(),
  escalatedAt: dateTime.nullable(),
  escalatedToId: z.string().nullable(),
  createdBy: z.string(),
  createdAt: dateTime,
};
export const exceptionSummary = z.object(exceptionCore);
export const exceptionDetail = z.object({
  ...exceptionCore,
  ageWorkingHours: z.number(),
  actions: z.array(z.object({ id: z.string(), text: z.string(), ownerId: z.string().nullable(), dueOn: z.string().nullable(), doneAt: dateTime.nullable(), createdAt: dateTime })),
});
export const exceptionBoardSchema = z.object({
  cells: z.array(
    z.object({
      status: z.enum(EXCEPTION_STATUSES),
      severity: z.enum(EXCEPTION_SEVERITIES),
      count: z.number().int(),
      overdue: z.number().int(),
      oldestCreatedAt: dateTime.nullable(),
    }),
  ),
});

export const timelineSchema = z.object({
  orderId: z.string(),
  orderNumber: z.string(),
  status: z.string(),
  timeZone: z.literal('Asia/Shanghai'),
  currentStage: z.string(),
  expectedDeliveryDate: z.string().nullable(),
  expectedDeliveryBasis: z.enum(['delivered', 'shipment_transit', 'delivery_choice', 'requested_date', 'unknown']),
  events: z.array(
    z.object({
      at: dateTime,
      /** The same instant as business time in Asia/Shanghai ("2026-12-08 09:30:05"). */
      localTime: z.string(),
      stage: z.string(),
      kind: z.string(),
      title: z.string(),
      detail: z.string().nullable(),
      refId: z.string().nullable(),
    }),
  ),
});

export const feedbackBody = z.strictObject({
  category: z.enum(FEEDBACK_CATEGORIES),
  source: z.enum(FEEDBACK_SOURCES).optional(),
  customerId: z.uuid(),
  contactId: z.uuid().nullable().optional(),
  orderId: z.uuid().nullable().optional(),
  productId: z.uuid().nullable().optional(),
  rating: z.number().int().min(1).max(5).nullable().optional(),
  content: safeMultiline().trim().min(1).max(2000),
  ownerId: z.uuid(),
  replyDueAt: dateTime.nullable().optional(),
});
export const feedbackReplyBody = z.strictObject({ reply: safeMultiline().trim().min(1).max(2000) });
export const feedbackCloseBody = z.strictObject({ reason: safeMultiline().trim().max(500).nullable().optional() });
export const feedbackListQuery = listQuery.extend({
  category: z.enum(FEEDBACK_CATEGORIES).optional(),
  status: z.enum(FEEDBACK_STATUSES).optional(),
  customerId: z.uuid().optional(),
  productId: z.uuid().optional(),
  ownerId: z.uuid().optional(),
  from: businessDay.optional(),
  to: businessDay.optional(),
  overdue: qsBool,
});
export const feedbackSchema = z.object({
  id: z.string(),
  number: z.string(),
  category: z.enum(FEEDBACK_CATEGORIES),
  source: z.enum(FEEDBACK_SOURCES),
  status: z.enum(FEEDBACK_STATUSES),
  customerId: z.string(),
  customerName: z.string(),
  contactId: z.string().nullable(),
  orderId: z.string().nullable(),
  productId: z.string().nullable(),
  rating: z.number().int().nullable(),
  content: z.string(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  replyDueAt: dateTime,
  replyOverdue: z.boolean(),
  reply: z.string().nullable(),
  replyChannel: z.string().nullable(),
  repliedAt: dateTime.nullable(),
  repliedBy: z.string().nullable(),
  createdBy: z.string(),
  createdAt: dateTime,
});
export const feedbackAnalysis = z.object({ items: z.array(z.object({ category: z.enum(FEEDBACK_CATEGORIES), count: z.number().int(), open: z.number().int() })) });
