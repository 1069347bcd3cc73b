import { z } from 'zod';
import { businessDay, dateTime, safeMultiline, safeString } from '../../platform/http/schemas.js';
import { listQuery, qsBool } from '../../platform/http/list.js';
import { QTY_PATTERN } from '../../platform/quantity.js';
import { LABEL_STANDARDS, MATERIAL_TYPES, PRODUCT_KINDS, TEMP_PROFILES } from './catalog.tables.js';

const quantity = safeString().trim().regex(QTY_PATTERN, 'FIELD_INVALID_QUANTITY');
const text = (max: number) => safeString().trim().max(max).nullable().optional();

export const unitSchema = z.object({ unit: safeString().trim().min(1).max(10), factorToBase: safeString().trim().max(20), sellable: z.boolean().default(true) });

export const productBody = z.strictObject({
  code: safeString()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'FIELD_INVALID'),
  name: safeString().trim().min(1).max(100),
  nameEn: text(100),
  kind: z.enum(PRODUCT_KINDS),
  materialType: z.enum(MATERIAL_TYPES).nullable().optional(),
  category: safeString().trim().min(1).max(50),
  variety: text(50),
  spec: text(100),
  grade: text(30),
  baseUnit: safeString().trim().min(1).max(10),
  units: z.array(unitSchema).max(20).optional(),
  originRegion: safeString()
    .regex(/^\d{6}$/, 'FIELD_INVALID')
    .nullable()
    .optional(),
  shelfLifeDays: z.number().int().min(1).max(3650).nullable().optional(),
  storageConditions: text(200),
  tempProfile: z.enum(TEMP_PROFILES).optional(),
  tempMinC: z.number().int().min(-60).max(60).nullable().optional(),
  tempMaxC: z.number().int().min(-60).max(60).nullable().optional(),
  coldChain: z.boolean().optional(),
  seasonMonths: z.array(z.number().int().min(1).max(12)).max(12).optional(),
  gtin: safeString().trim().max(14).nullable().optional(),
  catchWeight: z.boolean().optional(),
  labelStandard: z.enum(LABEL_STANDARDS).optional(),
  prepackaged: z.boolean().optional(),
  phiDays: z.number().int().min(0).max(365).nullable().optional(),
  allowedUse: z.boolean().optional(),
  safetyStock: quantity.optional(),
  reorderPoint: quantity.optional(),
  active: z.boolean().optional(),
});
export const productPatch = productBody.partial();

export const productSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: z.enum(PRODUCT_KINDS),
  materialType: z.enum(MATERIAL_TYPES).nullable(),
  category: z.string(),
  variety: z.string().nullable(),
  spec: z.string().nullable(),
  grade: z.string().nullable(),
  baseUnit: z.string(),
  units: z.array(z.object({ unit: z.string(), factorToBase: z.string(), sellable: z.boolean() })),
  originRegion: z.string().nullable(),
  originRegionName: z.string().nullable(),
  shelfLifeDays: z.number().nullable(),
  storageConditions: z.string().nullable(),
  tempProfile: z.enum(TEMP_PROFILES),
  tempMinC: z.number().nullable(),
  tempMaxC: z.number().nullable(),
  coldChain: z.boolean(),
  seasonMonths: z.array(z.number()),
  gtin: z.string().nullable(),
  catchWeight: z.boolean(),
  labelStandard: z.enum(LABEL_STANDARDS),
  prepackaged: z.boolean(),
  phiDays: z.number().nullable(),
  allowedUse: z.boolean(),
  safetyStock: z.string(),
  reorderPoint: z.string(),
  active: z.boolean(),
  createdAt: dateTime,
  updatedAt: dateTime,
});

export const productListQuery = listQuery.extend({
  kind: z.enum(PRODUCT_KINDS).optional(),
  materialType: z.enum(MATERIAL_TYPES).optional(),
  category: safeString().max(50).optional(),
  tempProfile: z.enum(TEMP_PROFILES).optional(),
  coldChain: qsBool,
  active: qsBool,
  inSeason: z.coerce.number().int().min(1).max(12).optional(),
});

export const convertQuery = z.object({ quantity: safeString().max(20), from: safeString().max(10), to: safeString().max(10).optional() });

const priceLine = z.strictObject({
  productId: z.uuid(),
  unit: safeString().trim().min(1).max(10),
  minQuantity: quantity.optional(),
  unitPriceFen: z.number().int().min(0).max(1e11),
  floorPriceFen: z.number().int().min(0).max(1e11).nullable().optional(),
});

export const priceListBody = z.strictObject({
  code: safeString()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'FIELD_INVALID')
    .optional(),
  name: safeString().trim().min(1).max(100),
  customerId: z.uuid().nullable().optional(),
  customerGroup: safeString().trim().max(50).nullable().optional(),
  validFrom: businessDay,
  validTo: businessDay.nullable().optional(),
  active: z.boolean().optional(),
  note: safeMultiline().max(500).nullable().optional(),
  lines: z.array(priceLine).max(2000),
});
export const priceListPatch = priceListBody.partial();

export const priceListSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  customerId: z.string().nullable(),
  customerName: z.string().nullable(),
  customerGroup: z.string().nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  active: z.boolean(),
  note: z.string().nullable(),
  lineCount: z.number(),
  createdAt: dateTime,
  updatedAt: dateTime,
});
export const priceLineSchema = z.object({
  id: z.string(),
  productId: z.string(),
  productCode: z.string(),
  productName: z.string(),
  unit: z.string(),
  minQuantity: z.string(),
  unitPriceFen: z.number(),
  floorPriceFen: z.number().nullable(),
});
export const priceListDetailSchema = priceListSchema.extend({ lines: z.array(priceLineSchema) });

export const priceListQuery = listQuery.extend({
  customerId: z.uuid().optional(),
  customerGroup: safeString().max(50).optional(),
  active: qsBool,
  validOn: businessDay.optional(),
  productId: z.uuid().optional(),
});

export const effectivePriceQuery = z.object({
  customerId: z.uuid().optional(),
  customerGroup: safeString().max(50).optional(),
  productId: z.uuid(),
  unit: safeString().min(1).max(10),
  quantity: safeString().max(20),
  date: businessDay.optional(),
});
export const effectivePriceSchema = z.object({
  unitPriceFen: z.number(),
  floorPriceFen: z.number().nullable(),
  priceListId: z.string(),
  priceListName: z.string(),
  rule: z.enum(['customer', 'group', 'list']),
  minQuantity: z.string(),
});
