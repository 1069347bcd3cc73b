import { z } from 'zod';
import { businessDay, dateTime, safeMultiline, safeString } from '../../platform/http/schemas.js';
import { listQuery, qsBool } from '../../platform/http/list.js';
import { QTY_PATTERN } from '../../platform/quantity.js';
import { PO_STATUSES, SUPPLIER_DOCUMENT_TYPES, SUPPLIER_STATUSES } from './procurement.tables.js';

const quantity = safeString()
  .trim()
  .regex(QTY_PATTERN, 'FIELD_INVALID_QUANTITY')
  .refine((s) => !s.startsWith('-'), 'FIELD_TOO_SMALL');
const positiveQuantity = quantity.refine((s) => Number(s) > 0, 'FIELD_TOO_SMALL');
const fen = z.number().int().min(0).max(1e13);

export const supplierBody = z.strictObject({
  code: safeString()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'FIELD_INVALID')
    .optional(),
  name: safeString().trim().min(1).max(100),
  usci: safeString().trim().max(18).nullable().optional(),
  contactName: safeString().trim().max(50).nullable().optional(),
  phone: safeString()
    .trim()
    .regex(/^\+?[0-9 -]{5,20}$/, 'FIELD_INVALID_PHONE')
    .nullable()
    .optional(),
  email: z.email().nullable().optional(),
  address: safeMultiline().trim().max(200).nullable().optional(),
  leadDays: z.number().int().min(0).max(365).optional(),
  note: safeMultiline().max(1000).nullable().optional(),
});
export const supplierPatch = supplierBody.partial();
export const statusBody = z.strictObject({ reason: safeMultiline().trim().max(500).nullable().optional() });

export const documentBody = z.strictObject({
  type: z.enum(SUPPLIER_DOCUMENT_TYPES),
  number: safeString().trim().min(1).max(60),
  issuedOn: businessDay.nullable().optional(),
  expiresOn: businessDay.nullable().optional(),
});

export const supplierListQuery = listQuery.extend({ status: z.enum(SUPPLIER_STATUSES).optional(), documentAlert: qsBool });

export const ratingSchema = z.object({
  qualityScore: z.number().nullable(),
  inspections: z.number(),
  onTimeScore: z.number().nullable(),
  receipts: z.number(),
  priceScore: z.number().nullable(),
  score: z.number().nullable(),
  grade: z.enum(['A', 'B', 'C', 'D']).nullable(),
});
export const documentSchema = z.object({
  id: z.string(),
  type: z.enum(SUPPLIER_DOCUMENT_TYPES),
  number: z.string(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  expired: z.boolean(),
  expiringSoon: z.boolean(),
});
export const supplierSummary = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  usci: z.string().nullable(),
  status: z.enum(SUPPLIER_STATUSES),
  contactName: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  leadDays: z.number(),
  note: z.string().nullable(),
  nextDocumentExpiry: z.string().nullable(),
  documentAlert: z.boolean(),
  canOrder: z.boolean(),
  rating: ratingSchema,
  createdAt: dateTime,
  updatedAt: dateTime,
});
export const supplierDetail = supplierSummary.extend({ documents: z.array(documentSchema) });

export const poLineBody = z.strictObject({
  productId: z.uuid(),
  unit: safeString().trim().min(1).max(20),
  quantity: positiveQuantity,
  unitPriceFen: fen,
});
export const poBody = z.strictObject({
  supplierId: z.uuid(),
  warehouseId: z.uuid(),
  expectedDate: businessDay,
  note: safeMultiline().max(1000).nullable().optional(),
  lines: z.array(poLineBody).min(1).max(200),
});
export const poPatch = poBody.partial();
export const poListQuery = listQuery.extend({ status: z.enum(PO_STATUSES).optional(), supplierId: z.uuid().optional(), overdue: qsBool });

export const receiptBody = z.strictObject({
  receivedOn: businessDay.optional(),
  lines: z
    .array(
      z.strictObject({
        lineId: z.uuid(),
        quantity: positiveQuantity,
        supplierLotNo: safeString().trim().min(1).max(60),
        locationId: z.uuid(),
        productionDate: businessDay,
        expiryDate: businessDay.nullable().optional(),
        inspection: z
          .strictObject({
            values: z
              .array(z.strictObject({ code: safeString().min(1).max(50), value: z.union([z.number(), z.string().max(50), z.boolean()]) }))
              .min(1)
              .max(100),
            sampleSize: z.number().int().min(1).max(100000).optional(),
            note: safeMultiline().max(500).nullable().optional(),
          })
          .nullable()
          .optional(),
      }),
    )
    .min(1)
    .max(200),
});

export const poLineSchema = z.object({
  id: z.string(),
  lineNo: z.number(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  unit: z.string(),
  quantity: z.string(),
  unitPriceFen: z.number(),
  amountFen: z.number(),
  receivedQuantity: z.string(),
  openQuantity: z.string(),
});
export const poReceiptSchema = z.object({
  id: z.string(),
  lineId: z.string(),
  lotId: z.string(),
  lotCode: z.string().nullable(),
  lotStatus: z.string().nullable(),
  locationId: z.string(),
  quantity: z.string(),
  supplierLotNo: z.string(),
  receivedOn: z.string(),
  onTime: z.boolean(),
  inspectionId: z.string().nullable(),
  receivedBy: z.string(),
});
export const poSummary = z.object({
  id: z.string(),
  code: z.string(),
  supplierId: z.string(),
  supplierCode: z.string(),
  supplierName: z.string(),
  warehouseId: z.string(),
  status: z.enum(PO_STATUSES),
  expectedDate: z.string(),
  totalFen: z.number(),
  note: z.string().nullable(),
  sentAt: dateTime.nullable(),
  createdBy: z.string(),
  createdAt: dateTime,
  updatedAt: dateTime,
});
export const poDetail = poSummary.extend({ lines: z.array(poLineSchema), receipts: z.array(poReceiptSchema) });

export const materialLevelBody = z.strictObject({
  productId: z.uuid(),
  warehouseId: z.uuid(),
  safetyStock: quantity,
  reorderPoint: quantity,
  reorderQuantity: quantity.optional(),
  supplierId: z.uuid().nullable().optional(),
  unitPriceFen: fen.nullable().optional(),
  inspectionStandardId: z.uuid().nullable().optional(),
});
export const materialLevelQuery = listQuery.extend({ warehouseId: z.uuid().optional(), alert: qsBool });
export const materialLevelSchema = z.object({
  id: z.string(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  materialType: z.string().nullable(),
  baseUnit: z.string(),
  warehouseId: z.string(),
  safetyStock: z.string(),
  reorderPoint: z.string(),
  reorderQuantity: z.string(),
  supplierId: z.string().nullable(),
  supplierName: z.string().nullable(),
  unitPriceFen: z.number().nullable(),
  inspectionStandardId: z.string().nullable(),
  available: z.string(),
  onOrder: z.string(),
  alert: z.enum(['ok', 'reorder', 'below_safety']),
  proposedQuantity: z.string(),
});
export const replenishBody = z.strictObject({
  items: z
    .array(z.strictObject({ levelId: z.uuid(), quantity: positiveQuantity.optional() }))
    .min(1)
    .max(200),
  expectedDate: businessDay.optional(),
});
