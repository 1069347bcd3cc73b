/** Request and response schemas of the quality routes (quality.routes.ts), in zod 4. */
import { z } from 'zod';
import { listQuery } from '../../platform/http/list.js';
import { businessDay, dateTime, safeMultiline, safeString } from '../../platform/http/schemas.js';
import { QTY_PATTERN } from '../../platform/quantity.js';
import { DISPOSITIONS, FILE_KINDS, INSPECTION_STAGES, PARAM_TYPES, SOURCE_CHECK_TYPES } from './quality.tables.js';

export const qtyStr = safeString().regex(QTY_PATTERN, 'FIELD_INVALID_QUANTITY');

export const code = safeString().trim().min(1).max(40);

export const name = safeString().trim().min(1).max(100);

export const baseSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  regionCode: z.string().nullable(),
  address: z.string().nullable(),
  areaMu: z.string().nullable(),
  latitude: z.string().nullable(),
  longitude: z.string().nullable(),
  manager: z.string().nullable(),
  createdAt: dateTime,
});

export const sourceStatusSchema = z.object({
  checkType: z.enum(SOURCE_CHECK_TYPES),
  state: z.enum(['ok', 'failed', 'expired', 'missing']),
  inspectionId: z.string().nullable(),
  validUntil: z.string().nullable(),
});

export const fieldSchema = z.object({
  id: z.string(),
  baseId: z.string(),
  baseName: z.string(),
  code: z.string(),
  name: z.string(),
  areaMu: z.string().nullable(),
  regionCode: z.string().nullable(),
  latitude: z.string().nullable(),
  longitude: z.string().nullable(),
  crops: z.array(z.string()),
  sourceStatus: z.array(sourceStatusSchema),
  createdAt: dateTime,
});

export const applicationSchema = z.object({
  id: z.string(),
  fieldId: z.string(),
  fieldCode: z.string(),
  materialId: z.string(),
  materialName: z.string(),
  materialType: z.string().nullable(),
  materialLotId: z.string().nullable(),
  materialLotCode: z.string().nullable(),
  dose: z.string(),
  doseUnit: z.string(),
  appliedOn: z.string(),
  phiDays: z.number(),
  safeHarvestOn: z.string(),
  operator: z.string(),
  note: z.string().nullable(),
  createdBy: z.string(),
  createdAt: dateTime,
});

export const harvestSchema = z.object({
  id: z.string(),
  fieldId: z.string(),
  fieldCode: z.string().optional(),
  lotId: z.string(),
  lotCode: z.string(),
  productId: z.string(),
  variety: z.string().nullable(),
  quantity: z.string(),
  unit: z.string(),
  locationId: z.string(),
  harvestedOn: z.string(),
  qualityStatus: z.string().optional(),
  createdBy: z.string(),
  createdAt: dateTime,
});

export const parameterSchema = z.strictObject({
  code,
  name,
  unit: safeString().max(20).nullable().default(null),
  type: z.enum(PARAM_TYPES),
  min: qtyStr.nullable().default(null),
  max: qtyStr.nullable().default(null),
  allowed: z.array(safeString().max(40)).max(20).default([]),
});

export const samplingSchema = z.strictObject({
  mode: z.enum(['every_lot', 'periodic']),
  sampleSize: z.number().int().min(1).max(10_000),
  periodDays: z.number().int().min(1).max(3650).nullable().default(null),
});

export const standardSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  productId: z.string().nullable(),
  checkType: z.enum(SOURCE_CHECK_TYPES).nullable(),
  stages: z.array(z.string()),
  parameters: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      unit: z.string().nullable(),
      type: z.enum(PARAM_TYPES),
      min: z.string().nullable(),
      max: z.string().nullable(),
      allowed: z.array(z.string()),
    }),
  ),
  samplingPlan: z.object({ mode: z.enum(['every_lot', 'periodic']), sampleSize: z.number(), periodDays: z.number().nullable() }),
  active: z.boolean(),
  createdAt: dateTime,
  updatedAt: dateTime.nullable(),
});

export const attachmentSchema = z.strictObject({ kind: z.enum(['photo', 'lab_report']), name: safeString().max(200), url: safeString().max(1000) });

export const inspectionSchema = z.object({
  id: z.string(),
  number: z.string(),
  stage: z.enum(INSPECTION_STAGES),
  standardId: z.string(),
  standardName: z.string().optional(),
  lotId: z.string().nullable(),
  fieldId: z.string().nullable(),
  checkType: z.enum(SOURCE_CHECK_TYPES).nullable(),
  inspectedOn: z.string(),
  validUntil: z.string().nullable(),
  sampleSize: z.number(),
  values: z.array(z.object({ code: z.string(), value: z.union([z.string(), z.number(), z.boolean()]), pass: z.boolean() })),
  result: z.enum(['pass', 'fail']),
  status: z.enum(['draft', 'signed']),
  labReportNo: z.string().nullable(),
  attachments: z.array(z.object({ kind: z.string(), name: z.string(), url: z.string() })),
  note: z.string().nullable(),
  createdBy: z.string(),
  createdAt: dateTime,
  signedBy: z.string().nullable(),
  signedAt: dateTime.nullable(),
  lotDecision: z.string().nullable(),
});

export const fileSchema = z.object({
  id: z.string(),
  inspectionId: z.string(),
  kind: z.enum(FILE_KINDS),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  uploadedBy: z.string(),
  createdAt: dateTime,
});

export const inspectionDetailSchema = inspectionSchema.extend({ files: z.array(fileSchema) });

export const fileParam = z.object({ id: z.uuid(), fileId: z.uuid() });

export const ncSchema = z.object({
  id: z.string(),
  number: z.string(),
  inspectionId: z.string().nullable(),
  lotId: z.string().nullable(),
  fieldId: z.string().nullable(),
  description: z.string(),
  correctiveAction: z.string().nullable(),
  owner: z.string().nullable(),
  dueOn: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  closedAt: dateTime.nullable(),
  closedNote: z.string().nullable(),
  createdAt: dateTime,
});

export const fieldQuery = listQuery.extend({ baseId: z.uuid().optional() });

export const appQuery = listQuery.extend({ fieldId: z.uuid().optional(), materialLotId: z.uuid().optional() });

export const harvestQuery = listQuery.extend({ fieldId: z.uuid().optional() });

export const standardQuery = listQuery.extend({ productId: z.uuid().optional() });

export const inspectionQuery = listQuery.extend({
  lotId: z.uuid().optional(),
  fieldId: z.uuid().optional(),
  stage: z.enum(INSPECTION_STAGES).optional(),
  result: z.enum(['pass', 'fail']).optional(),
});

export const ncQuery = listQuery.extend({ status: z.enum(['open', 'closed']).optional(), lotId: z.uuid().optional() });

export const lotDecisionSchema = z.object({ lotId: z.string(), qualityStatus: z.string() });

// ---------------------------------------------------------------- request bodies and queries

export const postBasesBody = z.strictObject({
  code,
  name,
  regionCode: safeString()
    .regex(/^\d{6}$/)
    .nullable()
    .optional(),
  address: safeMultiline().max(200).nullable().optional(),
  areaMu: qtyStr.nullable().optional(),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  manager: safeString().max(50).nullable().optional(),
});

export const postFieldsBody = z.strictObject({
  baseId: z.uuid(),
  code,
  name,
  areaMu: qtyStr.nullable().optional(),
  regionCode: safeString()
    .regex(/^\d{6}$/)
    .nullable()
    .optional(),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  crops: z.array(safeString().max(40)).max(20).optional(),
});

export const postInputApplicationsBody = z.strictObject({
  fieldId: z.uuid(),
  materialId: z.uuid(),
  materialLotId: z.uuid().nullable().optional(),
  materialLotCode: safeString().max(40).nullable().optional(),
  dose: qtyStr,
  doseUnit: safeString().min(1).max(20),
  appliedOn: businessDay,
  operator: safeString().trim().min(1).max(50),
  note: safeMultiline().max(500).nullable().optional(),
});

export const postHarvestsBody = z.strictObject({
  fieldId: z.uuid(),
  productId: z.uuid(),
  variety: safeString().max(40).nullable().optional(),
  quantity: qtyStr,
  unit: safeString().min(1).max(20),
  harvestedOn: businessDay,
  locationId: z.uuid(),
  lotCode: safeString().trim().min(1).max(20).optional(),
});

export const postStandardsBody = z.strictObject({
  code,
  name,
  productId: z.uuid().nullable().optional(),
  checkType: z.enum(SOURCE_CHECK_TYPES).nullable().optional(),
  stages: z.array(z.enum(INSPECTION_STAGES)).min(1),
  parameters: z.array(parameterSchema).min(1).max(50),
  samplingPlan: samplingSchema,
});

export const patchStandardsBody = z.strictObject({
  name: name.optional(),
  productId: z.uuid().nullable().optional(),
  checkType: z.enum(SOURCE_CHECK_TYPES).nullable().optional(),
  stages: z.array(z.enum(INSPECTION_STAGES)).min(1).optional(),
  parameters: z.array(parameterSchema).min(1).max(50).optional(),
  samplingPlan: samplingSchema.optional(),
  active: z.boolean().optional(),
});

export const postInspectionsBody = z.strictObject({
  stage: z.enum(INSPECTION_STAGES),
  standardId: z.uuid(),
  lotId: z.uuid().nullable().optional(),
  fieldId: z.uuid().nullable().optional(),
  inspectedOn: businessDay,
  validUntil: businessDay.nullable().optional(),
  sampleSize: z.number().int().min(1).max(10_000).optional(),
  values: z
    .array(z.strictObject({ code, value: z.unknown() }))
    .min(1)
    .max(50),
  labReportNo: safeString().max(60).nullable().optional(),
  attachments: z.array(attachmentSchema).max(20).optional(),
  note: safeMultiline().max(1000).nullable().optional(),
  sign: z.boolean().optional(),
});

export const postLotsDecisionBody = z.strictObject({
  event: z.enum(['release', 'hold', 'reject']),
  reason: safeMultiline().trim().min(1).max(500),
  disposition: z.enum(DISPOSITIONS).optional(),
});

export const postNonConformancesBody = z.strictObject({
  inspectionId: z.uuid().nullable().optional(),
  lotId: z.uuid().nullable().optional(),
  fieldId: z.uuid().nullable().optional(),
  description: safeMultiline().trim().min(1).max(1000),
  correctiveAction: safeMultiline().max(1000).nullable().optional(),
  owner: safeString().max(50).nullable().optional(),
  dueOn: businessDay.nullable().optional(),
});

export const patchNonConformancesBody = z.strictObject({
  correctiveAction: safeMultiline().max(1000).nullable().optional(),
  owner: safeString().max(50).nullable().optional(),
  dueOn: businessDay.nullable().optional(),
  close: z.boolean().optional(),
  closedNote: safeMultiline().max(1000).nullable().optional(),
});
