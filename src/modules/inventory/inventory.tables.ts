import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, qty, ts } from '../../platform/db/columns.js';

export const TEMP_ZONES = ['frozen', 'chilled', 'cool', 'ambient'] as const;
export type TempZone = (typeof TEMP_ZONES)[number];

export const LOT_STATUSES = ['quarantined', 'released', 'on_hold', 'rejected'] as const;
export type LotStatus = (typeof LOT_STATUSES)[number];

export const LOT_SOURCES = ['receipt', 'harvest', 'processing', 'return'] as const;
export type LotSource = (typeof LOT_SOURCES)[number];

export const MOVEMENT_KINDS = ['receipt', 'issue', 'transfer', 'adjustment', 'scrap'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export const RESERVATION_STATUSES = ['active', 'released', 'consumed'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export const VARIANCE_REASONS = ['spoilage', 'dehydration', 'damage', 'theft', 'counting_error', 'other'] as const;
export type VarianceReason = (typeof VARIANCE_REASONS)[number];

export const STOCKTAKE_STATUSES = ['counting', 'submitted', 'approved', 'cancelled'] as const;
export type StocktakeStatus = (typeof STOCKTAKE_STATUSES)[number];

export const warehouses = pgTable(
  'warehouses',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    tempZones: text('temp_zones')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    address: text('address'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('warehouses_code_uq').on(t.code)],
);

export const locations = pgTable(
  'locations',
  {
    id: idColumn(),
    warehouseId: uuid('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    code: text('code').notNull(),
    zone: text('zone', { enum: TEMP_ZONES }).notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('locations_code_uq').on(t.warehouseId, t.code)],
);

export const lots = pgTable(
  'lots',
  {
    id: idColumn(),
    productId: uuid('product_id').notNull(),
    lotCode: text('lot_code').notNull(),
    origin: text('origin'),
    productionDate: date('production_date').notNull(),
    harvestDate: date('harvest_date'),
    expiryDate: date('expiry_date').notNull(),
    qualityStatus: text('quality_status', { enum: LOT_STATUSES }).notNull(),
    sourceType: text('source_type', { enum: LOT_SOURCES }).notNull(),
    sourceRef: text('source_ref'),
    fieldId: uuid('field_id'),
    platformTraceCode: text('platform_trace_code'),
    disposition: text('disposition'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('lots_code_uq').on(t.productId, t.lotCode),
    index('lots_expiry_idx').on(t.productId, t.expiryDate),
    index('lots_status_idx').on(t.qualityStatus),
    // The stock overview by lot pages in expiry order (and filters on an expiry window) through this index.
    index('lots_expiry_code_idx').on(t.expiryDate, t.lotCode, t.id),
    // `lot_code ilike '%…%'` (keyword search) through trigrams
    index('lots_lot_code_trgm_idx').using('gin', t.lotCode.op('gin_trgm_ops')),
  ],
);

/** Append-only: one row per movement leg (a transfer writes an out leg and an in leg sharing movementId). */
export const stockLedger = pgTable(
  'stock_ledger',
  {
    id: idColumn(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    movementId: uuid('movement_id').notNull(),
    kind: text('kind', { enum: MOVEMENT_KINDS }).notNull(),
    at: ts('at').notNull(),
    productId: uuid('product_id').notNull(),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    warehouseId: uuid('warehouse_id').notNull(),
    /** Signed, in the product's base unit. */
    quantity: qty('quantity').notNull(),
    unit: text('unit').notNull(),
    /** As entered (positive), with the unit it was entered in. */
    enteredQuantity: qty('entered_quantity').notNull(),
    enteredUnit: text('entered_unit').notNull(),
    userId: uuid('user_id'),
    userName: text('user_name').notNull(),
    reason: text('reason'),
    refType: text('ref_type'),
    refId: text('ref_id'),
  },
  (t) => [
    index('stock_ledger_lot_idx').on(t.lotId, t.seq),
    index('stock_ledger_product_idx').on(t.productId, t.at),
    index('stock_ledger_ref_idx').on(t.refType, t.refId),
    index('stock_ledger_location_idx').on(t.locationId),
  ],
);

/** Cached balances derived from the ledger (and active reservations); `stock verify` recomputes them. */
export const stockBalances = pgTable(
  'stock_balances',
  {
    productId: uuid('product_id').notNull(),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    warehouseId: uuid('warehouse_id').notNull(),
    onHand: qty('on_hand').notNull().default('0'),
    reserved: qty('reserved').notNull().default('0'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.lotId, t.locationId] }),
    index('stock_balances_product_idx').on(t.productId),
    index('stock_balances_location_idx').on(t.locationId),
    check('stock_balances_on_hand_nonneg', sql`${t.onHand} >= 0`),
    check('stock_balances_reserved_nonneg', sql`${t.reserved} >= 0`),
  ],
);

export const reservations = pgTable(
  'reservations',
  {
    id: idColumn(),
    refType: text('ref_type').notNull(),
    refId: text('ref_id').notNull(),
    refLineId: text('ref_line_id'),
    productId: uuid('product_id').notNull(),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    /** Still reserved (base unit); falls as the reservation is consumed by issues. */
    quantity: qty('quantity').notNull(),
    originalQuantity: qty('original_quantity').notNull(),
    status: text('status', { enum: RESERVATION_STATUSES }).notNull().default('active'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    closedAt: ts('closed_at'),
  },
  (t) => [
    index('reservations_ref_idx').on(t.refType, t.refId),
    index('reservations_lot_idx').on(t.lotId, t.locationId, t.status),
    index('reservations_product_idx').on(t.productId, t.status),
  ],
);

export const stocktakes = pgTable(
  'stocktakes',
  {
    id: idColumn(),
    number: text('number').notNull(),
    warehouseId: uuid('warehouse_id')
      .notNull()
      .references(() => warehouses.id),
    zone: text('zone'),
    category: text('category'),
    status: text('status', { enum: STOCKTAKE_STATUSES }).notNull().default('counting'),
    note: text('note'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    submittedAt: ts('submitted_at'),
    approvedBy: text('approved_by'),
    approvedAt: ts('approved_at'),
  },
  (t) => [uniqueIndex('stocktakes_number_uq').on(t.number), index('stocktakes_wh_idx').on(t.warehouseId, t.status)],
);

export const stocktakeLines = pgTable(
  'stocktake_lines',
  {
    id: idColumn(),
    stocktakeId: uuid('stocktake_id')
      .notNull()
      .references(() => stocktakes.id),
    productId: uuid('product_id').notNull(),
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    locationId: uuid('location_id')
      .notNull()
      .references(() => locations.id),
    expectedQuantity: qty('expected_quantity').notNull(),
    countedQuantity: qty('counted_quantity'),
    reasonCode: text('reason_code', { enum: VARIANCE_REASONS }),
    note: text('note'),
    countedBy: text('counted_by'),
    countedAt: ts('counted_at'),
  },
  (t) => [uniqueIndex('stocktake_lines_uq').on(t.stocktakeId, t.lotId, t.locationId)],
);

/** One alert per lot and kind, so the expiry job does not repeat itself. */
export const lotAlerts = pgTable(
  'lot_alerts',
  {
    lotId: uuid('lot_id')
      .notNull()
      .references(() => lots.id),
    kind: text('kind', { enum: ['near_expiry', 'expired'] }).notNull(),
    notifiedAt: ts('notified_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.lotId, t.kind] })],
);
