import { z } from 'zod';
import { businessDay, dateTime, safeMultiline, safeString } from '../../platform/http/schemas.js';
import { listQuery, qsBool } from '../../platform/http/list.js';
import { QTY_PATTERN } from '../../platform/quantity.js';
import { PLAN_STATUSES, RESOURCE_TYPES, STAGE_KINDS, TASK_KINDS, TASK_STATUSES } from './planning.tables.js';

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const monthDay = safeString().refine((s) => {
  const m = /^(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const month = Number(m[1]);
  const d = Number(m[2]);
  return month >= 1 && month <= 12 && d >= 1 && d <= DAYS_IN_MONTH[month - 1]!;
}, 'CALENDAR_DATE_INVALID');
const quantity = safeString()
  .trim()
  .regex(QTY_PATTERN, 'FIELD_INVALID_QUANTITY')
  .refine((s) => !s.startsWith('-'), 'FIELD_TOO_SMALL');
const positiveQuantity = quantity.refine((s) => Number(s) > 0, 'FIELD_TOO_SMALL');

export const calendarBody = z.strictObject({
  productId: z.uuid(),
  baseId: z.uuid().nullable().optional(),
  variety: safeString().trim().max(50).nullable().optional(),
  season: safeString().trim().min(1).max(50),
  sowFrom: monthDay,
  sowTo: monthDay,
  transplantFrom: monthDay.nullable().optional(),
  transplantTo: monthDay.nullable().optional(),
  harvestFrom: monthDay,
  harvestTo: monthDay,
  growthDays: z.number().int().min(1).max(1000),
  expectedYieldPerMu: quantity,
  active: z.boolean().optional(),
});
export const calendarSchema = z.object({
  id: z.string(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  baseId: z.string().nullable(),
  variety: z.string().nullable(),
  season: z.string(),
  sowFrom: z.string(),
  sowTo: z.string(),
  transplantFrom: z.string().nullable(),
  transplantTo: z.string().nullable(),
  harvestFrom: z.string(),
  harvestTo: z.string(),
  growthDays: z.number(),
  expectedYieldPerMu: z.string(),
  active: z.boolean(),
});
export const calendarQuery = listQuery.extend({ productId: z.uuid().optional() });

export const capacityBody = z.strictObject({
  resourceType: z.enum(RESOURCE_TYPES),
  resourceId: safeString().trim().min(1).max(64),
  name: safeString().trim().min(1).max(100),
  dailyCapacity: quantity,
});
export const capacitySchema = z.object({ id: z.string(), resourceType: z.enum(RESOURCE_TYPES), resourceId: z.string(), name: z.string(), dailyCapacity: z.string() });

export const forecastBody = z.strictObject({
  items: z
    .array(z.strictObject({ productId: z.uuid(), weekStart: businessDay, quantity, note: safeString().max(200).nullable().optional() }))
    .min(1)
    .max(5000),
});
export const forecastQuery = z.object({ productId: z.uuid().optional(), from: businessDay.optional(), to: businessDay.optional() });
export const forecastSchema = z.object({
  id: z.string(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  weekStart: z.string(),
  quantity: z.string(),
  note: z.string().nullable(),
});

const stageBody = z.strictObject({
  kind: z.enum(STAGE_KINDS),
  startDate: businessDay,
  endDate: businessDay,
  milestone: safeString().trim().max(100).nullable().optional(),
  responsibleId: z.uuid().nullable().optional(),
  resourceType: z.enum(RESOURCE_TYPES).nullable().optional(),
  resourceId: safeString().trim().max(64).nullable().optional(),
});
export const planBody = z.strictObject({
  productId: z.uuid(),
  quantity: positiveQuantity,
  deliveryDate: businessDay,
  calendarId: z.uuid().nullable().optional(),
  orderId: z.uuid().nullable().optional(),
  note: safeMultiline().max(1000).nullable().optional(),
  stages: z.array(stageBody).min(1).max(20).optional(),
  responsibleId: z.uuid().nullable().optional(),
  resourceType: z.enum(RESOURCE_TYPES).nullable().optional(),
  resourceId: safeString().trim().max(64).nullable().optional(),
});
export const stagesBody = z.strictObject({ stages: z.array(stageBody).min(1).max(20) });
export const confirmBody = z.strictObject({ overrideReason: safeMultiline().trim().max(500).nullable().optional() });
export const reasonBody = z.strictObject({ reason: safeMultiline().trim().max(500).nullable().optional() });
export const planQuery = listQuery.extend({
  status: z.enum(PLAN_STATUSES).optional(),
  productId: z.uuid().optional(),
  atRisk: qsBool,
  from: businessDay.optional(),
  to: businessDay.optional(),
});

export const stageSchema = z.object({
  id: z.string(),
  seq: z.number(),
  kind: z.enum(STAGE_KINDS),
  startDate: z.string(),
  endDate: z.string(),
  milestone: z.string().nullable(),
  responsibleId: z.string().nullable(),
  responsibleName: z.string().nullable(),
  resourceType: z.enum(RESOURCE_TYPES).nullable(),
  resourceId: z.string().nullable(),
});
export const taskSchema = z.object({
  id: z.string(),
  planId: z.string(),
  stageId: z.string().nullable(),
  kind: z.enum(TASK_KINDS),
  title: z.string(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  dueDate: z.string(),
  status: z.enum(TASK_STATUSES),
  late: z.boolean(),
  progressPct: z.number(),
  quantityDone: z.string().nullable(),
  unit: z.string().nullable(),
  problem: z.string().nullable(),
  fieldId: z.string().nullable(),
  locationId: z.string().nullable(),
  lotId: z.string().nullable(),
  photoIds: z.array(z.string()),
  startedAt: dateTime.nullable(),
  completedAt: dateTime.nullable(),
  planCode: z.string().optional(),
  productName: z.string().optional(),
});
export const planSummary = z.object({
  id: z.string(),
  code: z.string(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  quantity: z.string(),
  deliveryDate: z.string(),
  calendarId: z.string().nullable(),
  orderId: z.string().nullable(),
  status: z.enum(PLAN_STATUSES),
  atRisk: z.boolean(),
  riskReason: z.string().nullable(),
  overrideReason: z.string().nullable(),
  note: z.string().nullable(),
  startDate: z.string().nullable(),
  endDate: z.string().nullable(),
  createdBy: z.string(),
  createdAt: dateTime,
  updatedAt: dateTime,
  stages: z.array(stageSchema),
});
export const capacityIssueSchema = z.object({
  stageSeq: z.number(),
  resourceType: z.enum(RESOURCE_TYPES),
  resourceId: z.string(),
  name: z.string(),
  date: z.string(),
  load: z.string(),
  capacity: z.string(),
});
export const planDetail = planSummary.extend({ capacityIssues: z.array(capacityIssueSchema), tasks: z.array(taskSchema) });

export const taskQuery = listQuery.extend({ status: z.enum(TASK_STATUSES).optional(), planId: z.uuid().optional(), assigneeId: z.uuid().optional(), mine: qsBool, late: qsBool });
export const taskActionBody = z.strictObject({
  reason: safeMultiline().trim().max(1000).nullable().optional(),
  progressPct: z.number().int().min(0).max(100).optional(),
  quantity: positiveQuantity.nullable().optional(),
  unit: safeString().trim().max(20).nullable().optional(),
  locationId: z.uuid().nullable().optional(),
  fieldId: z.uuid().nullable().optional(),
});
export const progressBody = z.strictObject({
  progressPct: z.number().int().min(0).max(100),
  quantity: positiveQuantity.nullable().optional(),
  unit: safeString().trim().max(20).nullable().optional(),
});
export const taskBody = z.strictObject({
  kind: z.enum(TASK_KINDS),
  title: safeString().trim().min(1).max(100),
  assigneeId: z.uuid().nullable().optional(),
  dueDate: businessDay,
  stageId: z.uuid().nullable().optional(),
});
export const assignBody = z.strictObject({ assigneeId: z.uuid().nullable(), dueDate: businessDay.optional() });

export const mpsQuery = z.object({
  from: businessDay.optional(),
  weeks: z.coerce.number().int().min(1).max(104).optional(),
  productId: z.uuid().optional(),
  q: safeString().trim().max(100).optional(),
  onlyNet: qsBool,
  page: z.coerce.number().int().min(1).max(10000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
const mpsWeek = z.object({ weekStart: z.string(), orders: z.string(), forecast: z.string(), demand: z.string(), planned: z.string(), projected: z.string(), net: z.string() });
export const mpsRow = z.object({ productId: z.string(), productCode: z.string(), productName: z.string(), stock: z.string(), totalNet: z.string(), weeks: z.array(mpsWeek) });
