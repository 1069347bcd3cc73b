import { z } from 'zod';
import { businessDay, dateTime, nonNegativeQuantityString, safeMultiline, safeString } from '../../platform/http/schemas.js';
import { listQuery } from '../../platform/http/list.js';
import { CHANNELS, INQUIRY_CHANNELS, INQUIRY_STATUSES, ORDER_STATUSES, REVIEW_OUTCOMES } from './orders.tables.js';

const quantity = nonNegativeQuantityString();
const text = (max: number) => safeString().trim().max(max);
const fen = z.number().int().min(0).max(1_000_000_000_00);

export const orderLineBody = z.strictObject({
  productId: z.uuid().nullable().optional(),
  description: text(200).nullable().optional(),
  spec: text(100).nullable().optional(),
  quantity,
  unit: safeString().trim().min(1).max(20),
  unitPriceFen: fen.nullable().optional(),
  priceOverrideReason: text(200).nullable().optional(),
});

export const createOrderBody = z.strictObject({
  customerId: z.uuid(),
  contactId: z.uuid().nullable().optional(),
  addressId: z.uuid().nullable().optional(),
  deliveryDate: businessDay.nullable().optional(),
  deliveryDateTo: businessDay.nullable().optional(),
  coldChain: z.boolean().nullable().optional(),
  paymentTermsDays: z.number().int().min(0).max(365).nullable().optional(),
  notes: text(1000).nullable().optional(),
  channel: z.enum(CHANNELS).optional(),
  salesOwnerId: z.uuid().nullable().optional(),
  lines: z.array(orderLineBody).max(200),
  /** Submit at once (completeness check, automatic review, reservation): the order comes back approved, in review or needing confirmation. */
  submit: z.boolean().optional(),
});

export const amendOrderBody = z.strictObject({
  version: z.number().int().min(1).optional(),
  contactId: z.uuid().nullable().optional(),
  addressId: z.uuid().nullable().optional(),
  deliveryDate: businessDay.nullable().optional(),
  deliveryDateTo: businessDay.nullable().optional(),
  coldChain: z.boolean().nullable().optional(),
  paymentTermsDays: z.number().int().min(0).max(365).nullable().optional(),
  notes: text(1000).nullable().optional(),
  salesOwnerId: z.uuid().nullable().optional(),
  lines: z.array(orderLineBody).max(200).optional(),
  reason: text(500).nullable().optional(),
});

export const reasonBody = z.strictObject({ reason: safeMultiline().trim().min(1).max(500) });
export const noteBody = z.strictObject({ note: text(500).nullable().optional() });

const question = z.object({ code: z.string(), lineNo: z.number().int().optional(), zh: z.string(), en: z.string() });
const reviewResult = z.object({ rule: z.string(), outcome: z.enum(REVIEW_OUTCOMES), code: z.string(), details: z.record(z.string(), z.unknown()), rerun: z.boolean() });
const reviewRun = z.object({ id: z.string(), trigger: z.string(), outcome: z.string(), actorName: z.string(), at: dateTime, results: z.array(reviewResult) });

export const orderSchema = z.object({
  id: z.string(),
  number: z.string(),
  customerId: z.string(),
  customerCode: z.string(),
  customerName: z.string(),
  contactId: z.string().nullable(),
  addressId: z.string().nullable(),
  deliveryRegion: z.string().nullable(),
  deliveryDate: z.string().nullable(),
  deliveryDateTo: z.string().nullable(),
  coldChain: z.boolean(),
  paymentTermsDays: z.number().int(),
  notes: z.string().nullable(),
  channel: z.enum(CHANNELS),
  salesOwnerId: z.string().nullable(),
  salesOwnerName: z.string().nullable(),
  inquiryId: z.string().nullable(),
  status: z.enum(ORDER_STATUSES),
  statusReason: z.string().nullable(),
  totalFen: z.number().int(),
  questions: z.array(question),
  version: z.number().int(),
  createdAt: dateTime,
  updatedAt: dateTime,
  submittedAt: dateTime.nullable(),
  approvedAt: dateTime.nullable(),
});

export const orderLineSchema = z.object({
  id: z.string(),
  lineNo: z.number().int(),
  productId: z.string().nullable(),
  productCode: z.string().nullable(),
  productName: z.string().nullable(),
  description: z.string().nullable(),
  spec: z.string().nullable(),
  quantity: z.string(),
  unit: z.string(),
  baseQuantity: z.string().nullable(),
  baseUnit: z.string().nullable(),
  unitPriceFen: z.number().int().nullable(),
  listPriceFen: z.number().int().nullable(),
  floorPriceFen: z.number().int().nullable(),
  priceOverrideReason: z.string().nullable(),
  amountFen: z.number().int(),
});

const timelineEntry = z.union([
  z.object({ kind: z.literal('state'), at: dateTime, from: z.string().nullable(), to: z.string(), event: z.string(), actorName: z.string(), reason: z.string().nullable() }),
  z.object({ kind: z.literal('review'), at: dateTime, runId: z.string(), trigger: z.string(), outcome: z.string(), actorName: z.string(), results: z.array(reviewResult) }),
]);

export const orderDetailSchema = orderSchema.extend({
  lines: z.array(orderLineSchema),
  address: z.object({ id: z.string(), label: z.string(), regionCode: z.string(), address: z.string(), receiver: z.string(), phone: z.string() }).nullable(),
  contact: z.object({ id: z.string(), name: z.string(), phone: z.string().nullable() }).nullable(),
  review: reviewRun.nullable(),
  timeline: z.array(timelineEntry),
});

export const queueItemSchema = orderSchema.extend({
  results: z.array(reviewResult),
  credit: z.object({ limitFen: z.number(), openApprovedFen: z.number(), overdueFen: z.number(), thisOrderFen: z.number(), usedPercent: z.number() }),
  history: z.object({ approvedOrders: z.number(), rejectedOrders: z.number(), cancelledOrders: z.number(), lastOrderAt: dateTime.nullable() }),
});

export const orderListQuery = listQuery.extend({
  status: safeString()
    .regex(/^[a-z_]+(,[a-z_]+)*$/, 'FIELD_INVALID')
    .refine((s) => s.split(',').every((x) => (ORDER_STATUSES as readonly string[]).includes(x)), 'FIELD_INVALID')
    .optional(),
  customerId: z.uuid().optional(),
  productId: z.uuid().optional(),
  ownerId: z.uuid().optional(),
  channel: z.enum(CHANNELS).optional(),
  from: businessDay.optional(),
  to: businessDay.optional(),
  deliveryFrom: businessDay.optional(),
  deliveryTo: businessDay.optional(),
});

export const queueQuery = listQuery.extend({ customerId: z.uuid().optional() });

// ---- inquiries

export const inquiryNeedBody = z.strictObject({
  productId: z.uuid().nullable().optional(),
  description: text(200).optional(),
  spec: text(100).nullable().optional(),
  quantity: quantity.nullable().optional(),
  unit: text(20).nullable().optional(),
  deliveryDate: businessDay.nullable().optional(),
  deliveryPlace: text(200).nullable().optional(),
});

const phone = safeString()
  .trim()
  .regex(/^\+?[0-9 -]{5,20}$/, 'FIELD_INVALID_PHONE');

export const createInquiryBody = z.strictObject({
  channel: z.enum(INQUIRY_CHANNELS),
  customerId: z.uuid().nullable().optional(),
  prospectName: text(100).nullable().optional(),
  prospectPhone: phone.nullable().optional(),
  needs: z.array(inquiryNeedBody).min(1).max(50),
  notes: text(1000).nullable().optional(),
  ownerId: z.uuid().nullable().optional(),
  receivedAt: dateTime.nullable().optional(),
});
export const updateInquiryBody = createInquiryBody.partial();

export const convertInquiryBody = z.strictObject({ addressId: z.uuid().nullable().optional(), contactId: z.uuid().nullable().optional() });

const inquiryNeed = z.object({
  productId: z.string().nullable(),
  description: z.string(),
  spec: z.string().nullable(),
  quantity: z.string().nullable(),
  unit: z.string().nullable(),
  deliveryDate: z.string().nullable(),
  deliveryPlace: z.string().nullable(),
});

export const inquirySchema = z.object({
  id: z.string(),
  number: z.string(),
  channel: z.enum(INQUIRY_CHANNELS),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  prospectName: z.string().nullable(),
  prospectPhone: z.string().nullable(),
  needs: z.array(inquiryNeed),
  notes: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  status: z.enum(INQUIRY_STATUSES),
  lostReason: z.string().nullable(),
  orderId: z.string().nullable(),
  receivedAt: dateTime,
  closedAt: dateTime.nullable(),
  createdAt: dateTime,
});

export const inquiryListQuery = listQuery.extend({
  status: safeString()
    .refine((s) => s.split(',').every((x) => (INQUIRY_STATUSES as readonly string[]).includes(x)), 'FIELD_INVALID')
    .optional(),
  channel: z.enum(INQUIRY_CHANNELS).optional(),
  customerId: z.uuid().optional(),
  ownerId: z.uuid().optional(),
  from: businessDay.optional(),
  to: businessDay.optional(),
});

const conversionRow = z.object({
  key: z.string(),
  label: z.string(),
  total: z.number(),
  open: z.number(),
  quoted: z.number(),
  converted: z.number(),
  lost: z.number(),
  ratePercent: z.number(),
});
export const conversionSchema = z.object({ byChannel: z.array(conversionRow), byOwner: z.array(conversionRow), total: conversionRow });
export const conversionQuery = z.object({ from: businessDay.optional(), to: businessDay.optional(), channel: z.enum(INQUIRY_CHANNELS).optional(), ownerId: z.uuid().optional() });

// ---- import

export const importJobSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  mode: z.enum(['draft', 'submit']),
  status: z.enum(['running', 'done', 'failed']),
  total: z.number(),
  processed: z.number(),
  created: z.number(),
  skipped: z.number(),
  failed: z.number(),
  report: z.array(
    z.object({
      row: z.number(),
      ok: z.boolean(),
      orderId: z.string().optional(),
      orderNumber: z.string().optional(),
      skipped: z.boolean().optional(),
      errors: z.array(z.object({ field: z.string(), message: z.string() })),
    }),
  ),
  error: z.string().nullable(),
  createdAt: dateTime,
  finishedAt: dateTime.nullable(),
});
