/** Request and response schemas of the trace routes (trace.routes.ts), in zod 4. */
import { z } from 'zod';
import { listQuery } from '../../platform/http/list.js';
import { businessDay, dateTime, safeMultiline, safeString } from '../../platform/http/schemas.js';
import { QTY_PATTERN } from '../../platform/quantity.js';
import { PROCESS_KINDS } from './trace.tables.js';

export const qtyStr = safeString().regex(QTY_PATTERN, 'FIELD_INVALID_QUANTITY');

export const lotParam = z.object({ lotId: z.uuid() });

export const scopeSchema = z.strictObject({
  kind: z.enum(['lot', 'field', 'material_lot', 'date_range']),
  lotId: z.uuid().optional(),
  fieldId: z.uuid().optional(),
  materialLotId: z.uuid().optional(),
  materialLotCode: safeString().max(40).optional(),
  from: businessDay.optional(),
  to: businessDay.optional(),
});

export const eventQuery = listQuery.extend({ lotId: z.uuid().optional(), from: dateTime.optional(), to: dateTime.optional(), bizStep: safeString().max(40).optional() });

export const rangeQuery = z.object({ from: businessDay, to: businessDay });

export const runSchema = z.object({
  id: z.string(),
  number: z.string(),
  kind: z.enum(PROCESS_KINDS),
  runOn: z.string(),
  inputTotal: z.string(),
  outputTotal: z.string(),
  lossTotal: z.string(),
  yieldRatio: z.string(),
  overYieldReason: z.string().nullable(),
  note: z.string().nullable(),
  createdBy: z.string(),
  createdAt: dateTime,
});

export const runViewSchema = runSchema.extend({
  lines: z.array(
    z.object({
      id: z.string(),
      direction: z.enum(['in', 'out']),
      lotId: z.string(),
      lotCode: z.string(),
      productId: z.string(),
      locationId: z.string(),
      quantity: z.string(),
      unit: z.string(),
      baseQuantity: z.string(),
    }),
  ),
});

export const recallSchema = z.object({
  id: z.string(),
  number: z.string(),
  scope: z.record(z.string(), z.unknown()),
  reason: z.string(),
  drill: z.boolean(),
  status: z.enum(['draft', 'executed']),
  impact: z.record(z.string(), z.unknown()),
  createdBy: z.string(),
  createdAt: dateTime,
  executedAt: dateTime.nullable(),
  executedBy: z.string().nullable(),
});

export const certSchema = z.object({
  id: z.string(),
  number: z.string(),
  lotId: z.string(),
  productName: z.string(),
  quantity: z.string(),
  unit: z.string(),
  issuerName: z.string(),
  origin: z.string(),
  contactPhone: z.string(),
  issuedOn: z.string(),
  commitments: z.array(z.string()),
  basis: z.enum(['quality_control', 'own_test', 'commissioned_test']),
  reportNo: z.string().nullable(),
  traceCode: z.string().nullable(),
  createdBy: z.string(),
  createdAt: dateTime,
});

export const labelBody = z.strictObject({
  lotId: z.uuid(),
  netWeight: qtyStr.nullable().optional(),
  netUnit: safeString().max(10).optional(),
  copies: z.number().int().min(1).max(500).optional(),
  producerName: safeString().max(100).nullable().optional(),
  producerAddress: safeMultiline().max(200).nullable().optional(),
  producerContact: safeString().max(50).nullable().optional(),
  licenceNo: safeString().max(40).nullable().optional(),
  standardCode: safeString().max(60).nullable().optional(),
  ingredients: safeMultiline().max(500).nullable().optional(),
  allergens: safeString().max(200).nullable().optional(),
});

export const anyJson = z.record(z.string(), z.unknown());

export const traceEventSchema = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  action: z.string().nullable(),
  bizStep: z.string(),
  disposition: z.string().nullable(),
  eventTime: dateTime,
  lotIds: z.array(z.string()),
  refType: z.string().nullable(),
  refId: z.string().nullable(),
  correctsEventId: z.string().nullable(),
  body: anyJson,
  actorName: z.string(),
});

export const declaredErrorSchema = z.object({ id: z.string(), eventId: z.string() });

export const certificateQuery = listQuery.extend({ lotId: z.uuid().optional() });

export const publicCodeParam = z.object({ code: safeString().trim().min(1).max(40) });

// ---------------------------------------------------------------- request bodies and queries

export const postEventsErrorDeclarationBody = z.strictObject({ reason: safeMultiline().trim().min(1).max(200) });

export const postProcessingRunsBody = z.strictObject({
  kind: z.enum(PROCESS_KINDS),
  runOn: businessDay,
  inputs: z
    .array(z.strictObject({ lotId: z.uuid(), locationId: z.uuid(), quantity: qtyStr, unit: safeString().min(1).max(20) }))
    .min(1)
    .max(100),
  outputs: z
    .array(
      z.strictObject({
        productId: z.uuid(),
        lotCode: safeString().trim().min(1).max(20).optional(),
        quantity: qtyStr,
        unit: safeString().min(1).max(20),
        locationId: z.uuid(),
        expiryDate: businessDay.optional(),
      }),
    )
    .min(1)
    .max(100),
  overYieldReason: safeMultiline().max(500).nullable().optional(),
  note: safeMultiline().max(1000).nullable().optional(),
});

export const postRecallsPreviewBody = z.strictObject({ scope: scopeSchema });

export const postRecallsBody = z.strictObject({
  scope: scopeSchema,
  reason: safeMultiline().trim().min(1).max(500),
  drill: z.boolean().optional(),
  execute: z.boolean().optional(),
});

export const postCertificatesBody = z.strictObject({
  lotId: z.uuid(),
  quantity: qtyStr,
  unit: safeString().min(1).max(20),
  issuerName: safeString().trim().min(1).max(100),
  contactPhone: safeString()
    .trim()
    .regex(/^\+?[0-9 -]{5,20}$/, 'FIELD_INVALID_PHONE'),
  origin: safeString().max(100).nullable().optional(),
  issuedOn: businessDay.optional(),
  basis: z.enum(['quality_control', 'own_test', 'commissioned_test']),
  reportNo: safeString().max(60).nullable().optional(),
  commitments: z.array(safeMultiline().max(100)).max(10).optional(),
});

export const getEpcisQuery = z.object({ lotId: z.uuid().optional(), from: businessDay.optional(), to: businessDay.optional() });
