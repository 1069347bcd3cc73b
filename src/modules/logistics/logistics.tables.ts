import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, jsonb, numeric, pgSequence, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, qty, ts } from '../../platform/db/columns.js';

export const SERVICE_TYPES = ['standard', 'express', 'cold_chain', 'freight', 'own_fleet'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];
/** The temperature class a contract's vehicles hold (the same names as the warehouse zones). */
export const TEMP_CLASSES = ['frozen', 'chilled', 'cool', 'ambient'] as const;
export type TempClass = (typeof TEMP_CLASSES)[number];
export const PICK_STATUSES = ['open', 'confirmed', 'cancelled'] as const;
export type PickStatus = (typeof PICK_STATUSES)[number];
export const PICK_LINE_STATUSES = ['open', 'picked', 'short'] as const;
export type PickLineStatus = (typeof PICK_LINE_STATUSES)[number];
export const BACKORDER_STATUSES = ['open', 'resolved'] as const;
export type BackorderStatus = (typeof BACKORDER_STATUSES)[number];

export const SHIPMENT_STATUSES = ['packing', 'checked', 'dispatched', 'delivered', 'failed'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];
export const WEIGHT_STATUSES = ['ok', 'needs_approval', 'approved'] as const;
export type WeightStatus = (typeof WEIGHT_STATUSES)[number];
export const CHECK_ITEMS = ['packaging_intact', 'labels_present', 'temperature_in_band', 'lots_released'] as const;
export type CheckItem = (typeof CHECK_ITEMS)[number];
export type CheckResult = { item: CheckItem; passed: boolean; note: string | null };

/** A rate for a delivery region (GB/T 2260 code; a province or city code covers every region below it). */
export type RegionRate = { regionCode: string; perKgFen: number; perShipmentFen: number };
export type ContractDocument = { name: string; url: string };

export const carriers = pgTable(
  'carriers',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en'),
    /** Our own vehicles: shipments carry a driver and vehicle instead of a carrier's tracking number. */
    ownFleet: boolean('own_fleet').notNull().default(false),
    contactName: text('contact_name'),
    phone: text('phone'),
    /** Tracking URL with `{tracking}` where the number goes. */
    trackingUrlTemplate: text('tracking_url_template'),
    active: boolean('active').notNull().default(true),
    note: text('note'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('carriers_code_uq').on(t.code)],
);

/** A carrier's contract for one service: what it carries, where, how fast, at what temperature and price, from when to when. */
export const carrierContracts = pgTable(
  'carrier_contracts',
  {
    id: idColumn(),
    carrierId: uuid('carrier_id')
      .notNull()
      .references(() => carriers.id),
    number: text('number').notNull(),
    serviceType: text('service_type', { enum: SERVICE_TYPES }).notNull(),
    coldChain: boolean('cold_chain').notNull().default(false),
    tempClass: text('temp_class', { enum: TEMP_CLASSES }).notNull().default('ambient'),
    /** The band the vehicles hold (°C); null for ambient services. */
    tempMinC: numeric('temp_min_c', { precision: 5, scale: 1 }),
    tempMaxC: numeric('temp_max_c', { precision: 5, scale: 1 }),
    transitDays: integer('transit_days').notNull(),
    /** Regions served (GB/T 2260 codes, prefixes by level); empty: everywhere. */
    regions: text('regions')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    perKgFen: bigint('per_kg_fen', { mode: 'number' }).notNull().default(0),
    perShipmentFen: bigint('per_shipment_fen', { mode: 'number' }).notNull().default(0),
    minChargeFen: bigint('min_charge_fen', { mode: 'number' }).notNull().default(0),
    regionRates: jsonb('region_rates')
      .$type<RegionRate[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    qualityTerms: text('quality_terms'),
    safetyTerms: text('safety_terms'),
    liabilityTerms: text('liability_terms'),
    liabilityLimitFen: bigint('liability_limit_fen', { mode: 'number' }),
    documents: jsonb('documents')
      .$type<ContractDocument[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validTo: date('valid_to', { mode: 'string' }).notNull(),
    archivedAt: ts('archived_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('carrier_contracts_number_uq').on(t.number), index('carrier_contracts_carrier_idx').on(t.carrierId, t.validTo)],
);

/** The delivery method chosen for an order (one per order; choosing again replaces it). */
export const deliveryChoices = pgTable(
  'delivery_choices',
  {
    id: idColumn(),
    orderId: uuid('order_id').notNull(),
    contractId: uuid('contract_id')
      .notNull()
      .references(() => carrierContracts.id),
    carrierId: uuid('carrier_id')
      .notNull()
      .references(() => carriers.id),
    costFen: bigint('cost_fen', { mode: 'number' }).notNull(),
    weightKg: qty('weight_kg').notNull(),
    dispatchDate: date('dispatch_date', { mode: 'string' }).notNull(),
    arrivalDate: date('arrival_date', { mode: 'string' }).notNull(),
    chosenBy: text('chosen_by').notNull(),
    chosenAt: ts('chosen_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('delivery_choices_order_uq').on(t.orderId)],
);

/** A pick list: the lines to take from the bins for one order or a wave of several, in walk order. */
export const pickLists = pgTable(
  'pick_lists',
  {
    id: idColumn(),
    number: text('number').notNull(),
    orderIds: uuid('order_ids').array().notNull(),
    orderNumbers: text('order_numbers').array().notNull(),
    status: text('status', { enum: PICK_STATUSES }).notNull().default('open'),
    note: text('note'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    confirmedBy: text('confirmed_by'),
    confirmedAt: ts('confirmed_at'),
  },
  (t) => [uniqueIndex('pick_lists_number_uq').on(t.number), index('pick_lists_status_idx').on(t.status, t.createdAt)],
);

export const pickListLines = pgTable(
  'pick_list_lines',
  {
    id: idColumn(),
    pickListId: uuid('pick_list_id')
      .notNull()
      .references(() => pickLists.id),
    /** Position on the walk through the bins (1 = first). */
    seq: integer('seq').notNull(),
    orderId: uuid('order_id').notNull(),
    orderNumber: text('order_number').notNull(),
    orderLineId: uuid('order_line_id'),
    reservationId: uuid('reservation_id').notNull(),
    productId: uuid('product_id').notNull(),
    productCode: text('product_code').notNull(),
    productName: text('product_name').notNull(),
    lotId: uuid('lot_id').notNull(),
    lotCode: text('lot_code').notNull(),
    expiryDate: date('expiry_date', { mode: 'string' }).notNull(),
    locationId: uuid('location_id').notNull(),
    locationCode: text('location_code').notNull(),
    warehouseCode: text('warehouse_code').notNull(),
    unit: text('unit').notNull(),
    quantity: qty('quantity').notNull(),
    pickedQuantity: qty('picked_quantity'),
    scannedLotCode: text('scanned_lot_code'),
    status: text('status', { enum: PICK_LINE_STATUSES }).notNull().default('open'),
  },
  (t) => [uniqueIndex('pick_list_lines_seq_uq').on(t.pickListId, t.seq), index('pick_list_lines_reservation_idx').on(t.reservationId)],
);

/** What a confirmed pick could not take: visible until the stock is found or the order line is settled. */
export const backorders = pgTable(
  'backorders',
  {
    id: idColumn(),
    pickListLineId: uuid('pick_list_line_id')
      .notNull()
      .references(() => pickListLines.id),
    pickListNumber: text('pick_list_number').notNull(),
    orderId: uuid('order_id').notNull(),
    orderNumber: text('order_number').notNull(),
    orderLineId: uuid('order_line_id'),
    productId: uuid('product_id').notNull(),
    productCode: text('product_code').notNull(),
    productName: text('product_name').notNull(),
    unit: text('unit').notNull(),
    quantity: qty('quantity').notNull(),
    status: text('status', { enum: BACKORDER_STATUSES }).notNull().default('open'),
    createdAt: createdAt(),
  },
  (t) => [index('backorders_status_idx').on(t.status, t.createdAt), index('backorders_order_idx').on(t.orderId)],
);

/** Serial numbers of SSCCs (GS1 AI 00): one per package, never reused. */
export const ssccSerial = pgSequence('sscc_serial', { startWith: 1 });

/** A shipment of an order: packed (packages, catch weight), checked before dispatch (R4.4), dispatched, delivered or failed. */
export const shipments = pgTable(
  'shipments',
  {
    id: idColumn(),
    number: text('number').notNull(),
    orderId: uuid('order_id').notNull(),
    orderNumber: text('order_number').notNull(),
    customerName: text('customer_name').notNull(),
    status: text('status', { enum: SHIPMENT_STATUSES }).notNull().default('packing'),
    coldChain: boolean('cold_chain').notNull().default(false),
    /** The products' common band (°C) when the order needs a cold chain. */
    tempMinC: numeric('temp_min_c', { precision: 5, scale: 1 }),
    tempMaxC: numeric('temp_max_c', { precision: 5, scale: 1 }),
    weightStatus: text('weight_status', { enum: WEIGHT_STATUSES }).notNull().default('ok'),
    weightApprovedBy: text('weight_approved_by'),
    weightApprovedAt: ts('weight_approved_at'),
    carrierId: uuid('carrier_id').references(() => carriers.id),
    contractId: uuid('contract_id').references(() => carrierContracts.id),
    carrierName: text('carrier_name'),
    trackingNumber: text('tracking_number'),
    trackingUrl: text('tracking_url'),
    driver: text('driver'),
    vehicle: text('vehicle'),
    dispatchedAt: ts('dispatched_at'),
    dispatchedBy: text('dispatched_by'),
    deliveredAt: ts('delivered_at'),
    receiver: text('receiver'),
    proofNote: text('proof_note'),
    failedReason: text('failed_reason'),
    /** The order's (latest) delivery date: delivered by it counts as on time. */
    dueDate: date('due_date', { mode: 'string' }),
    /** The receiver reported damage on delivery. */
    damaged: boolean('damaged').notNull().default(false),
    /** Out of band longer than the setting: the shipment's lots were put on hold. */
    excursion: boolean('excursion').notNull().default(false),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('shipments_number_uq').on(t.number),
    index('shipments_order_idx').on(t.orderId),
    index('shipments_status_idx').on(t.status, t.createdAt),
    uniqueIndex('shipments_tracking_uq').on(t.trackingNumber),
  ],
);

/** What a shipment carries per order line: nominal and actual (catch) weight, and the amount to invoice. */
export const shipmentLines = pgTable(
  'shipment_lines',
  {
    id: idColumn(),
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id),
    orderLineId: uuid('order_line_id').notNull(),
    lineNo: integer('line_no').notNull(),
    productId: uuid('product_id').notNull(),
    productName: text('product_name').notNull(),
    catchWeight: boolean('catch_weight').notNull().default(false),
    unit: text('unit').notNull(),
    nominalQuantity: qty('nominal_quantity').notNull(),
    actualKg: qty('actual_kg'),
    orderedAmountFen: bigint('ordered_amount_fen', { mode: 'number' }).notNull(),
    invoicedAmountFen: bigint('invoiced_amount_fen', { mode: 'number' }).notNull(),
    /** Actual against nominal, in per cent (signed, 2 dp). */
    deviationPct: numeric('deviation_pct', { precision: 7, scale: 2 }),
    /** The lots picked for this line (from the confirmed pick lists). */
    lots: jsonb('lots')
      .$type<{ lotId: string; lotCode: string; quantity: string }[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
  },
  (t) => [index('shipment_lines_shipment_idx').on(t.shipmentId)],
);

export const shipmentPackages = pgTable(
  'shipment_packages',
  {
    id: idColumn(),
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id),
    seq: integer('seq').notNull(),
    sscc: text('sscc').notNull(),
    packageType: text('package_type').notNull(),
    orderLineId: uuid('order_line_id').notNull(),
    quantity: qty('quantity').notNull(),
    actualKg: qty('actual_kg'),
  },
  (t) => [uniqueIndex('shipment_packages_sscc_uq').on(t.sscc), index('shipment_packages_shipment_idx').on(t.shipmentId)],
);

/** Pre-dispatch checks (R4.4): every attempt is kept with who and when; the latest decides whether dispatch may go. */
export const dispatchChecks = pgTable(
  'dispatch_checks',
  {
    id: idColumn(),
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id),
    results: jsonb('results').$type<CheckResult[]>().notNull(),
    productTempC: numeric('product_temp_c', { precision: 5, scale: 1 }),
    passed: boolean('passed').notNull(),
    checkedBy: text('checked_by').notNull(),
    checkedAt: ts('checked_at').notNull().defaultNow(),
  },
  (t) => [index('dispatch_checks_shipment_idx').on(t.shipmentId, t.checkedAt)],
);

/** Temperature readings of a shipment's logger (CSV upload) or device (API). */
export const temperatureReadings = pgTable(
  'temperature_readings',
  {
    id: idColumn(),
    shipmentId: uuid('shipment_id')
      .notNull()
      .references(() => shipments.id),
    at: ts('at').notNull(),
    celsius: numeric('celsius', { precision: 5, scale: 1 }).notNull(),
    deviceId: text('device_id').notNull(),
    outOfBand: boolean('out_of_band').notNull(),
  },
  (t) => [index('temperature_readings_shipment_idx').on(t.shipmentId, t.at)],
);
