import { z } from 'zod';
import { businessDay, dateTime, safeMultiline, safeString } from '../../platform/http/schemas.js';
import { listQuery, qsBool } from '../../platform/http/list.js';
import { QTY_PATTERN } from '../../platform/quantity.js';
import { BACKORDER_STATUSES, CHECK_ITEMS, PICK_LINE_STATUSES, PICK_STATUSES, SERVICE_TYPES, SHIPMENT_STATUSES, TEMP_CLASSES, WEIGHT_STATUSES } from './logistics.tables.js';

const code = safeString()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'FIELD_INVALID');
const regionCode = safeString().regex(/^\d{6}$/, 'FIELD_INVALID');
const fen = z.number().int().min(0).max(1e13);
const celsius = z.number().min(-60).max(60);
const quantity = safeString().regex(QTY_PATTERN, 'FIELD_INVALID_QUANTITY');

// ---------------------------------------------------------------- carriers

export const carrierBody = z.strictObject({
  code,
  name: safeString().trim().min(1).max(100),
  nameEn: safeString().trim().max(100).nullable().optional(),
  ownFleet: z.boolean().optional(),
  contactName: safeString().trim().max(50).nullable().optional(),
  phone: safeString()
    .trim()
    .regex(/^\+?[0-9 -]{5,20}$/, 'FIELD_INVALID_PHONE')
    .nullable()
    .optional(),
  trackingUrlTemplate: safeString().trim().max(300).nullable().optional(),
  active: z.boolean().optional(),
  note: safeMultiline().max(1000).nullable().optional(),
});
export const carrierPatch = carrierBody.omit({ code: true }).partial();

export const carrierSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  ownFleet: z.boolean(),
  contactName: z.string().nullable(),
  phone: z.string().nullable(),
  trackingUrlTemplate: z.string().nullable(),
  active: z.boolean(),
  note: z.string().nullable(),
  validContracts: z.number().int(),
  contracts: z.number().int(),
  createdAt: dateTime,
  updatedAt: dateTime,
});

export const carrierListQuery = listQuery.extend({ active: qsBool, ownFleet: qsBool });

// ---------------------------------------------------------------- contracts

const regionRate = z.strictObject({ regionCode, perKgFen: fen, perShipmentFen: fen });
const document = z.strictObject({ name: safeString().trim().min(1).max(100), url: safeString().trim().min(1).max(500) });

export const contractBody = z.strictObject({
  carrierId: z.uuid(),
  number: code,
  serviceType: z.enum(SERVICE_TYPES),
  coldChain: z.boolean().optional(),
  tempClass: z.enum(TEMP_CLASSES).optional(),
  tempMinC: celsius.nullable().optional(),
  tempMaxC: celsius.nullable().optional(),
  transitDays: z.number().int().min(0).max(60),
  regions: z.array(regionCode).max(200).optional(),
  perKgFen: fen.optional(),
  perShipmentFen: fen.optional(),
  minChargeFen: fen.optional(),
  regionRates: z.array(regionRate).max(200).optional(),
  qualityTerms: safeMultiline().max(2000).nullable().optional(),
  safetyTerms: safeMultiline().max(2000).nullable().optional(),
  liabilityTerms: safeMultiline().max(2000).nullable().optional(),
  liabilityLimitFen: fen.nullable().optional(),
  documents: z.array(document).max(20).optional(),
  validFrom: businessDay,
  validTo: businessDay,
});
export const contractPatch = contractBody.omit({ carrierId: true, number: true }).partial();

export const CONTRACT_STATES = ['valid', 'expired', 'not_started'] as const;

export const contractSchema = z.object({
  id: z.uuid(),
  carrierId: z.uuid(),
  carrierCode: z.string(),
  carrierName: z.string(),
  number: z.string(),
  serviceType: z.enum(SERVICE_TYPES),
  coldChain: z.boolean(),
  tempClass: z.enum(TEMP_CLASSES),
  tempMinC: z.number().nullable(),
  tempMaxC: z.number().nullable(),
  transitDays: z.number().int(),
  regions: z.array(z.string()),
  perKgFen: z.number().int(),
  perShipmentFen: z.number().int(),
  minChargeFen: z.number().int(),
  regionRates: z.array(z.object({ regionCode: z.string(), perKgFen: z.number().int(), perShipmentFen: z.number().int() })),
  qualityTerms: z.string().nullable(),
  safetyTerms: z.string().nullable(),
  liabilityTerms: z.string().nullable(),
  liabilityLimitFen: z.number().int().nullable(),
  documents: z.array(z.object({ name: z.string(), url: z.string() })),
  validFrom: z.string(),
  validTo: z.string(),
  state: z.enum(CONTRACT_STATES),
  createdAt: dateTime,
  updatedAt: dateTime,
});

export const contractListQuery = listQuery.extend({
  carrierId: z.uuid().optional(),
  serviceType: z.enum(SERVICE_TYPES).optional(),
  tempClass: z.enum(TEMP_CLASSES).optional(),
  coldChain: qsBool,
  state: z.enum(CONTRACT_STATES).optional(),
});

// ---------------------------------------------------------------- delivery method

export const proposalQuery = z.object({ dispatchDate: businessDay.optional() });
export const chooseBody = z.strictObject({ contractId: z.uuid(), dispatchDate: businessDay.optional() });

const option = z.object({
  contractId: z.uuid(),
  contractNumber: z.string(),
  carrierId: z.uuid(),
  carrierName: z.string(),
  serviceType: z.enum(SERVICE_TYPES),
  coldChain: z.boolean(),
  tempClass: z.enum(TEMP_CLASSES),
  tempBand: z.string().nullable(),
  transitDays: z.number().int(),
  arrivalDate: z.string(),
  costFen: z.number().int(),
  rateBasis: z.string(),
});
export const deliveryChoiceSchema = z.object({
  contractId: z.uuid(),
  contractNumber: z.string(),
  carrierId: z.uuid(),
  carrierName: z.string(),
  costFen: z.number().int(),
  weightKg: z.string(),
  dispatchDate: z.string(),
  arrivalDate: z.string(),
  chosenBy: z.string(),
  chosenAt: dateTime,
});
export const proposalSchema = z.object({
  orderId: z.uuid(),
  orderNumber: z.string(),
  region: z.string().nullable(),
  deliveryDate: z.string().nullable(),
  dispatchDate: z.string(),
  weightKg: z.string(),
  needs: z.object({ coldChain: z.boolean(), tempClasses: z.array(z.string()), tempBand: z.string().nullable() }),
  options: z.array(option),
  excluded: z.array(
    z.object({
      contractId: z.uuid(),
      contractNumber: z.string(),
      carrierName: z.string(),
      reasons: z.array(z.object({ code: z.string(), message: z.string() })),
    }),
  ),
  chosen: deliveryChoiceSchema.nullable(),
});

// ---------------------------------------------------------------- pick lists

export const pickListBody = z.strictObject({
  orderIds: z.array(z.uuid()).min(1).max(30),
  note: safeMultiline().max(500).nullable().optional(),
});

export const pickLineSchema = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  orderId: z.uuid(),
  orderNumber: z.string(),
  orderLineId: z.uuid().nullable(),
  reservationId: z.uuid(),
  productId: z.uuid(),
  productCode: z.string(),
  productName: z.string(),
  lotId: z.uuid(),
  lotCode: z.string(),
  expiryDate: z.string(),
  locationId: z.uuid(),
  locationCode: z.string(),
  warehouseCode: z.string(),
  unit: z.string(),
  quantity: z.string(),
  pickedQuantity: z.string().nullable(),
  scannedLotCode: z.string().nullable(),
  status: z.enum(PICK_LINE_STATUSES),
});

export const backorderSchema = z.object({
  id: z.uuid(),
  pickListLineId: z.uuid(),
  pickListNumber: z.string(),
  orderId: z.uuid(),
  orderNumber: z.string(),
  orderLineId: z.uuid().nullable(),
  productId: z.uuid(),
  productCode: z.string(),
  productName: z.string(),
  unit: z.string(),
  quantity: z.string(),
  status: z.enum(BACKORDER_STATUSES),
  createdAt: dateTime,
});

export const pickListSummary = z.object({
  id: z.uuid(),
  number: z.string(),
  orderIds: z.array(z.uuid()),
  orderNumbers: z.array(z.string()),
  status: z.enum(PICK_STATUSES),
  note: z.string().nullable(),
  lineCount: z.number().int(),
  shortLines: z.number().int(),
  createdBy: z.string(),
  createdAt: dateTime,
  confirmedBy: z.string().nullable(),
  confirmedAt: dateTime.nullable(),
});
export const pickListDetail = pickListSummary.extend({ lines: z.array(pickLineSchema), backorders: z.array(backorderSchema) });

export const pickListQuery = listQuery.extend({ status: z.enum(PICK_STATUSES).optional(), orderId: z.uuid().optional() });
export const backorderQuery = listQuery.extend({ status: z.enum(BACKORDER_STATUSES).optional(), orderId: z.uuid().optional() });

export const confirmPickBody = z.strictObject({
  lines: z
    .array(z.strictObject({ lineId: z.uuid(), lotCode: safeString().trim().max(64), quantity }))
    .min(1)
    .max(500),
});
export const cancelPickBody = z.strictObject({ reason: safeMultiline().trim().min(1).max(500) });

// ---------------------------------------------------------------- shipments

const dec = z.number().nullable();
export const shipmentSummary = z.object({
  id: z.uuid(),
  number: z.string(),
  orderId: z.uuid(),
  orderNumber: z.string(),
  customerName: z.string(),
  status: z.enum(SHIPMENT_STATUSES),
  coldChain: z.boolean(),
  tempMinC: dec,
  tempMaxC: dec,
  weightStatus: z.enum(WEIGHT_STATUSES),
  weightApprovedBy: z.string().nullable(),
  weightApprovedAt: dateTime.nullable(),
  carrierId: z.uuid().nullable(),
  contractId: z.uuid().nullable(),
  carrierName: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  trackingUrl: z.string().nullable(),
  driver: z.string().nullable(),
  vehicle: z.string().nullable(),
  dispatchedAt: dateTime.nullable(),
  dispatchedBy: z.string().nullable(),
  deliveredAt: dateTime.nullable(),
  receiver: z.string().nullable(),
  proofNote: z.string().nullable(),
  failedReason: z.string().nullable(),
  dueDate: z.string().nullable(),
  damaged: z.boolean(),
  excursion: z.boolean(),
  createdBy: z.string(),
  createdAt: dateTime,
  updatedAt: dateTime,
});
export const shipmentDetail = shipmentSummary.extend({
  lines: z.array(
    z.object({
      id: z.uuid(),
      orderLineId: z.uuid(),
      lineNo: z.number().int(),
      productId: z.uuid(),
      productName: z.string(),
      catchWeight: z.boolean(),
      unit: z.string(),
      nominalQuantity: z.string(),
      actualKg: z.string().nullable(),
      orderedAmountFen: z.number().int(),
      invoicedAmountFen: z.number().int(),
      deviationPct: dec,
      lots: z.array(z.object({ lotId: z.uuid(), lotCode: z.string(), quantity: z.string() })),
    }),
  ),
  packages: z.array(
    z.object({ id: z.uuid(), seq: z.number().int(), sscc: z.string(), packageType: z.string(), orderLineId: z.uuid(), quantity: z.string(), actualKg: z.string().nullable() }),
  ),
  checks: z.array(
    z.object({
      id: z.uuid(),
      results: z.array(z.object({ item: z.enum(CHECK_ITEMS), passed: z.boolean(), note: z.string().nullable() })),
      productTempC: dec,
      passed: z.boolean(),
      checkedBy: z.string(),
      checkedAt: dateTime,
    }),
  ),
  readings: z.array(z.object({ at: dateTime, celsius: z.number(), deviceId: z.string(), outOfBand: z.boolean() })),
});
export const shipmentQuery = listQuery.extend({
  status: z.enum(SHIPMENT_STATUSES).optional(),
  orderId: z.uuid().optional(),
  carrierId: z.uuid().optional(),
  excursion: qsBool,
});
export const shipmentBody = z.strictObject({ orderId: z.uuid() });
export const packBody = z.strictObject({
  packages: z
    .array(
      z.strictObject({
        orderLineId: z.uuid(),
        packageType: safeString().trim().min(1).max(40),
        quantity,
        actualKg: quantity.nullable().optional(),
      }),
    )
    .min(1)
    .max(500),
});
export const approveWeightsBody = z.strictObject({ note: safeMultiline().max(500).nullable().optional() });
export const checkBody = z.strictObject({
  packagingIntact: z.boolean(),
  labelsPresent: z.boolean(),
  productTempC: celsius.nullable().optional(),
  note: safeMultiline().max(500).nullable().optional(),
});
export const dispatchBody = z.strictObject({
  trackingNumber: safeString().trim().max(64).nullable().optional(),
  driver: safeString().trim().max(50).nullable().optional(),
  vehicle: safeString().trim().max(20).nullable().optional(),
});
export const deliverBody = z.strictObject({
  deliveredAt: dateTime,
  receiver: safeString().trim().min(1).max(50),
  proofNote: safeMultiline().max(1000).nullable().optional(),
  damaged: z.boolean().optional(),
});
export const failBody = z.strictObject({ reason: safeMultiline().trim().min(1).max(500) });
export const readingsBody = z.strictObject({
  readings: z
    .array(z.strictObject({ at: safeString().max(40), celsius: z.union([z.number(), safeString().max(20)]), deviceId: safeString().max(64) }))
    .min(1)
    .max(100_000),
});
export const readingsResult = z.object({ saved: z.number().int(), excursion: z.boolean(), heldLots: z.array(z.string()) });

export const performanceQuery = z.object({ from: businessDay, to: businessDay });
export const performanceSchema = z.object({
  items: z.array(
    z.object({
      carrierId: z.uuid(),
      carrierCode: z.string(),
      carrierName: z.string(),
      dispatched: z.number().int(),
      delivered: z.number().int(),
      onTime: z.number().int(),
      failed: z.number().int(),
      excursions: z.number().int(),
      damaged: z.number().int(),
      onTimeRate: z.number().nullable(),
      excursionRate: z.number().nullable(),
      damageRate: z.number().nullable(),
    }),
  ),
});
