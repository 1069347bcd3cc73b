import { z } from 'zod';
import { businessDay, dateTime, pastBusinessDay, positiveQuantityString, safeMultiline, safeString } from '../../platform/http/schemas.js';
import { listQuery, qsBool } from '../../platform/http/list.js';
import { QTY_PATTERN } from '../../platform/quantity.js';
import { LOT_SOURCES, LOT_STATUSES, MOVEMENT_KINDS, RESERVATION_STATUSES, STOCKTAKE_STATUSES, TEMP_ZONES, VARIANCE_REASONS } from './inventory.tables.js';

export const quantity = safeString().trim().regex(QTY_PATTERN, 'FIELD_INVALID_QUANTITY');
const positiveQuantity = positiveQuantityString();
const unit = safeString().trim().min(1).max(20);
const ref = safeString().trim().min(1).max(100);
const reasonText = safeMultiline().trim().min(1).max(500);
const zone = z.enum(TEMP_ZONES);

export const warehouseSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  tempZones: z.array(z.string()),
  address: z.string().nullable(),
  active: z.boolean(),
  locationCount: z.number().int(),
  createdAt: dateTime,
});
export const locationSchema = z.object({
  id: z.string(),
  warehouseId: z.string(),
  warehouseCode: z.string(),
  code: z.string(),
  zone: z.string(),
  active: z.boolean(),
  createdAt: dateTime,
});

export const createWarehouseBody = z.strictObject({
  code: safeString().trim().min(1).max(30),
  name: safeString().trim().min(1).max(100),
  tempZones: z.array(zone).min(1).max(4),
  address: safeMultiline().trim().max(300).nullable().optional(),
});
export const updateWarehouseBody = z.strictObject({
  name: safeString().trim().min(1).max(100).optional(),
  tempZones: z.array(zone).min(1).max(4).optional(),
  address: safeMultiline().trim().max(300).nullable().optional(),
  active: z.boolean().optional(),
});
export const warehouseQuery = listQuery.extend({ active: qsBool });
export const createLocationBody = z.strictObject({ warehouseId: z.uuid(), code: safeString().trim().min(1).max(30), zone });
export const locationQuery = listQuery.extend({ warehouseId: z.uuid().optional(), zone: zone.optional(), active: qsBool });

export const lotSchema = z.object({
  id: z.string(),
  productId: z.string(),
  lotCode: z.string(),
  origin: z.string().nullable(),
  productionDate: z.string(),
  harvestDate: z.string().nullable(),
  expiryDate: z.string(),
  qualityStatus: z.enum(LOT_STATUSES),
  sourceType: z.enum(LOT_SOURCES),
  sourceRef: z.string().nullable(),
  fieldId: z.string().nullable(),
  platformTraceCode: z.string().nullable(),
  disposition: z.string().nullable(),
  expired: z.boolean(),
  createdAt: dateTime,
});

export const lotListItem = lotSchema.extend({
  productCode: z.string().nullable(),
  productName: z.string().nullable(),
  unit: z.string().nullable(),
  onHand: z.string(),
  reserved: z.string(),
});
export const lotQuery = listQuery.extend({
  productId: z.uuid().optional(),
  status: z.enum(LOT_STATUSES).optional(),
  expired: qsBool,
  expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  inStock: qsBool,
});

export const ledgerSchema = z.object({
  id: z.string(),
  seq: z.number(),
  movementId: z.string(),
  kind: z.enum(MOVEMENT_KINDS),
  at: dateTime,
  productId: z.string(),
  lotId: z.string(),
  lotCode: z.string(),
  locationId: z.string(),
  locationCode: z.string(),
  warehouseId: z.string(),
  warehouseCode: z.string(),
  quantity: z.string(),
  unit: z.string(),
  enteredQuantity: z.string(),
  enteredUnit: z.string(),
  userName: z.string(),
  reason: z.string().nullable(),
  refType: z.string().nullable(),
  refId: z.string().nullable(),
});
export const ledgerQuery = listQuery.extend({
  lotId: z.uuid().optional(),
  productId: z.uuid().optional(),
  locationId: z.uuid().optional(),
  warehouseId: z.uuid().optional(),
  kind: z.enum(MOVEMENT_KINDS).optional(),
  refType: safeString().max(50).optional(),
  refId: safeString().max(100).optional(),
  from: dateTime.optional(),
  to: dateTime.optional(),
});

export const balanceSchema = z.object({
  locationId: z.string(),
  locationCode: z.string(),
  warehouseId: z.string(),
  warehouseCode: z.string(),
  zone: z.string(),
  onHand: z.string(),
  reserved: z.string(),
});
export const historySchema = z.object({
  fromState: z.string().nullable(),
  toState: z.string(),
  event: z.string(),
  actorName: z.string(),
  reason: z.string().nullable(),
  at: dateTime,
});
export const lotDetailSchema = lotListItem.extend({ balances: z.array(balanceSchema), history: z.array(historySchema), ledger: z.array(ledgerSchema) });

export const lotStatusBody = z.strictObject({
  event: z.enum(['release', 'hold', 'reject']),
  reason: reasonText,
  disposition: z.enum(['rework', 'downgrade', 'destroy']).optional(),
});

const newLot = z.strictObject({
  lotCode: safeString().trim().min(1).max(60).optional(),
  origin: safeString().trim().max(100).nullable().optional(),
  productionDate: pastBusinessDay(),
  harvestDate: pastBusinessDay().nullable().optional(),
  expiryDate: businessDay.optional(),
  qualityStatus: z.enum(['quarantined', 'released']).optional(),
  sourceType: z.enum(LOT_SOURCES).optional(),
  sourceRef: safeString().trim().max(100).nullable().optional(),
  platformTraceCode: safeString().trim().max(100).nullable().optional(),
});
export const receiptBody = z
  .strictObject({
    productId: z.uuid(),
    lotId: z.uuid().optional(),
    lot: newLot.optional(),
    warehouseId: z.uuid().optional(),
    locationId: z.uuid(),
    quantity: positiveQuantity,
    unit,
    reason: safeMultiline().trim().max(500).optional(),
    refType: safeString().trim().max(50).optional(),
    refId: safeString().trim().max(100).optional(),
  })
  .refine((b) => Boolean(b.lotId) !== Boolean(b.lot), { message: 'FIELD_REQUIRED', path: ['lotId'] });
export const receiptResult = z.object({ ledgerId: z.string(), lot: lotSchema });

export const issueBody = z.strictObject({
  productId: z.uuid().optional(),
  lotId: z.uuid(),
  warehouseId: z.uuid().optional(),
  locationId: z.uuid(),
  quantity: positiveQuantity,
  unit,
  reason: reasonText,
  refType: safeString().trim().max(50).optional(),
  refId: safeString().trim().max(100).optional(),
});
export const transferBody = z.strictObject({
  lotId: z.uuid(),
  fromLocationId: z.uuid(),
  toLocationId: z.uuid(),
  toWarehouseId: z.uuid().optional(),
  quantity: positiveQuantity,
  unit,
  reason: safeMultiline().trim().max(500).optional(),
});
export const adjustmentBody = z.strictObject({
  lotId: z.uuid(),
  locationId: z.uuid(),
  quantity,
  unit,
  reason: z.enum(VARIANCE_REASONS),
  note: safeMultiline().trim().max(500).optional(),
});
export const scrapBody = z.strictObject({ lotId: z.uuid(), locationId: z.uuid(), quantity: positiveQuantity, unit, reason: reasonText });

export const reservationSchema = z.object({
  id: z.string(),
  refType: z.string(),
  refId: z.string(),
  refLineId: z.string().nullable(),
  productId: z.string(),
  productCode: z.string().nullable(),
  productName: z.string().nullable(),
  lotId: z.string(),
  lotCode: z.string(),
  expiryDate: z.string(),
  locationId: z.string(),
  locationCode: z.string(),
  quantity: z.string(),
  originalQuantity: z.string(),
  unit: z.string().nullable(),
  status: z.enum(RESERVATION_STATUSES),
  createdBy: z.string(),
  createdAt: dateTime,
  closedAt: dateTime.nullable(),
});
export const reservationQuery = listQuery.extend({
  refType: safeString().max(50).optional(),
  refId: safeString().max(100).optional(),
  productId: z.uuid().optional(),
  lotId: z.uuid().optional(),
  status: z.enum(RESERVATION_STATUSES).optional(),
});
export const reserveBody = z.strictObject({
  refType: ref,
  refId: ref,
  onDate: businessDay.optional(),
  lines: z
    .array(
      z.strictObject({
        refLineId: safeString().trim().max(100).optional(),
        productId: z.uuid(),
        quantity: positiveQuantity,
        unit,
        lotId: z.uuid().optional(),
        minRemainingShelfLifeDays: z.number().int().min(0).max(3650).optional(),
      }),
    )
    .min(1)
    .max(100),
});
export const reserveResult = z.object({
  reservationIds: z.array(z.string()),
  allocations: z.array(z.object({ lineIndex: z.number().int(), lotId: z.string(), locationId: z.string(), quantity: z.string() })),
});
export const releaseBody = z.strictObject({ refType: ref, refId: ref, refLineId: safeString().trim().max(100).optional() });
export const consumeBody = z.strictObject({ quantity: positiveQuantity.optional(), unit: unit.optional(), reason: safeMultiline().trim().max(500).optional() });

export const overviewQuery = listQuery.extend({
  by: z.enum(['product', 'lot', 'location']).default('product'),
  productId: z.uuid().optional(),
  warehouseId: z.uuid().optional(),
  locationId: z.uuid().optional(),
  zone: zone.optional(),
  lotStatus: z.enum(LOT_STATUSES).optional(),
  category: safeString().max(50).optional(),
  kind: z.enum(['produce', 'material']).optional(),
  expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  expired: qsBool,
});
export const overviewRow = z.object({
  key: z.string(),
  productId: z.string(),
  productCode: z.string().nullable(),
  productName: z.string().nullable(),
  category: z.string().nullable(),
  unit: z.string().nullable(),
  lotId: z.string().nullable(),
  lotCode: z.string().nullable(),
  expiryDate: z.string().nullable(),
  qualityStatus: z.enum(LOT_STATUSES).nullable(),
  expired: z.boolean().nullable(),
  nearExpiry: z.boolean().nullable(),
  warehouseId: z.string().nullable(),
  warehouseCode: z.string().nullable(),
  locationId: z.string().nullable(),
  locationCode: z.string().nullable(),
  zone: z.string().nullable(),
  onHand: z.string(),
  reserved: z.string(),
  available: z.string(),
  blocked: z.string(),
  lotCount: z.number().nullable(),
  earliestExpiry: z.string().nullable(),
});
export const availableQuery = z.object({ productId: z.uuid(), onDate: businessDay.optional(), minRemainingShelfLifeDays: z.coerce.number().int().min(0).max(3650).optional() });

export const replenishmentQuery = listQuery.extend({ kind: z.enum(['produce', 'material']).optional(), category: safeString().max(50).optional(), all: qsBool });
export const replenishmentRow = z.object({
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  kind: z.enum(['produce', 'material']),
  materialType: z.string().nullable(),
  category: z.string(),
  unit: z.string(),
  onHand: z.string(),
  openReservations: z.string(),
  blocked: z.string(),
  expiringBeforeUse: z.string(),
  projectedAvailable: z.string(),
  safetyStock: z.string(),
  reorderPoint: z.string(),
  suggestedQuantity: z.string(),
  urgency: z.enum(['critical', 'reorder', 'ok']),
});

export const stocktakeLineSchema = z.object({
  id: z.string(),
  productId: z.string(),
  productCode: z.string().nullable(),
  productName: z.string().nullable(),
  unit: z.string().nullable(),
  lotId: z.string(),
  lotCode: z.string(),
  expiryDate: z.string(),
  locationId: z.string(),
  locationCode: z.string(),
  zone: z.string(),
  countedQuantity: z.string().nullable(),
  expectedQuantity: z.string().nullable(),
  variance: z.string().nullable(),
  reasonCode: z.enum(VARIANCE_REASONS).nullable(),
  note: z.string().nullable(),
  countedBy: z.string().nullable(),
  countedAt: dateTime.nullable(),
});
export const stocktakeSchema = z.object({
  id: z.string(),
  number: z.string(),
  warehouseId: z.string(),
  warehouseCode: z.string(),
  zone: z.string().nullable(),
  category: z.string().nullable(),
  status: z.enum(STOCKTAKE_STATUSES),
  note: z.string().nullable(),
  createdBy: z.string(),
  createdAt: dateTime,
  submittedAt: dateTime.nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: dateTime.nullable(),
  lineCount: z.number().int(),
  countedCount: z.number().int(),
  blind: z.boolean(),
});
export const stocktakeDetailSchema = stocktakeSchema.extend({ lines: z.array(stocktakeLineSchema), history: z.array(historySchema) });
export const stocktakeQuery = listQuery.extend({ warehouseId: z.uuid().optional(), status: z.enum(STOCKTAKE_STATUSES).optional() });
export const createStocktakeBody = z.strictObject({
  warehouseId: z.uuid(),
  zone: zone.nullable().optional(),
  category: safeString().trim().max(50).nullable().optional(),
  note: safeMultiline().trim().max(500).nullable().optional(),
});
export const countsBody = z.strictObject({
  counts: z
    .array(
      z.strictObject({
        lineId: z.uuid().optional(),
        lotId: z.uuid().optional(),
        locationId: z.uuid().optional(),
        countedQuantity: quantity,
        note: safeMultiline().trim().max(500).nullable().optional(),
      }),
    )
    .min(1)
    .max(2000),
});
export const reasonsBody = z.strictObject({
  reasons: z
    .array(z.strictObject({ lineId: z.uuid(), reasonCode: z.enum(VARIANCE_REASONS), note: safeMultiline().trim().max(500).nullable().optional() }))
    .min(1)
    .max(2000),
});
export const cancelBody = z.strictObject({ reason: reasonText });
