import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, qty, ts } from '../../platform/db/columns.js';

export const PRODUCT_KINDS = ['produce', 'material'] as const;
export const MATERIAL_TYPES = ['seed', 'fertiliser', 'pesticide', 'packaging'] as const;
export const TEMP_PROFILES = ['frozen', 'chilled', 'cool', 'chilling_sensitive', 'warm', 'ambient'] as const;
export const LABEL_STANDARDS = ['GB7718-2011', 'GB7718-2025', 'bulk'] as const;

export type ProductKind = (typeof PRODUCT_KINDS)[number];
export type MaterialType = (typeof MATERIAL_TYPES)[number];
export type TempProfile = (typeof TEMP_PROFILES)[number];
export type LabelStandard = (typeof LABEL_STANDARDS)[number];

/** Sellable produce and farm inputs/packaging materials share one table (kind tells them apart). */
export const products = pgTable(
  'products',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    kind: text('kind', { enum: PRODUCT_KINDS }).notNull(),
    materialType: text('material_type', { enum: MATERIAL_TYPES }),
    category: text('category').notNull(),
    variety: text('variety'),
    spec: text('spec'),
    grade: text('grade'),
    baseUnit: text('base_unit').notNull(),
    originRegion: text('origin_region'),
    shelfLifeDays: integer('shelf_life_days'),
    storageConditions: text('storage_conditions'),
    tempProfile: text('temp_profile', { enum: TEMP_PROFILES }).notNull().default('ambient'),
    tempMinC: integer('temp_min_c'),
    tempMaxC: integer('temp_max_c'),
    coldChain: boolean('cold_chain').notNull().default(false),
    seasonMonths: integer('season_months')
      .array()
      .notNull()
      .default(sql`'{}'::integer[]`),
    gtin: text('gtin'),
    catchWeight: boolean('catch_weight').notNull().default(false),
    labelStandard: text('label_standard', { enum: LABEL_STANDARDS }).notNull().default('bulk'),
    prepackaged: boolean('prepackaged').notNull().default(false),
    phiDays: integer('phi_days'),
    allowedUse: boolean('allowed_use').notNull().default(true),
    safetyStock: qty('safety_stock').notNull().default('0'),
    reorderPoint: qty('reorder_point').notNull().default('0'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('products_code_uq').on(t.code), uniqueIndex('products_gtin_uq').on(t.gtin), index('products_kind_idx').on(t.kind, t.category)],
);

/** Units a product may be counted in, each with its exact factor to the base unit (1 箱 = 10 kg → '10'). */
export const productUnits = pgTable(
  'product_units',
  {
    id: idColumn(),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    unit: text('unit').notNull(),
    factorToBase: text('factor_to_base').notNull(),
    sellable: boolean('sellable').notNull().default(true),
  },
  (t) => [uniqueIndex('product_units_uq').on(t.productId, t.unit)],
);

/** A price list: valid between two dates, for everyone, a customer group or one customer. */
export const priceLists = pgTable(
  'price_lists',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    customerId: uuid('customer_id'),
    customerGroup: text('customer_group'),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    active: boolean('active').notNull().default(true),
    note: text('note'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('price_lists_code_uq').on(t.code), index('price_lists_customer_idx').on(t.customerId), index('price_lists_validity_idx').on(t.validFrom, t.validTo)],
);

/** One price per (list, product, unit, quantity break). */
export const priceListLines = pgTable(
  'price_list_lines',
  {
    id: idColumn(),
    priceListId: uuid('price_list_id')
      .notNull()
      .references(() => priceLists.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    unit: text('unit').notNull(),
    minQuantity: qty('min_quantity').notNull().default('0'),
    unitPriceFen: bigint('unit_price_fen', { mode: 'number' }).notNull(),
    floorPriceFen: bigint('floor_price_fen', { mode: 'number' }),
  },
  (t) => [uniqueIndex('price_list_lines_uq').on(t.priceListId, t.productId, t.unit, t.minQuantity), index('price_list_lines_product_idx').on(t.productId)],
);
