import { bigint, boolean, date, index, integer, numeric, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, ts } from '../../platform/db/columns.js';

export const SUPPLIER_STATUSES = ['pending', 'approved', 'suspended'] as const;
export const SUPPLIER_DOCUMENT_TYPES = ['business_licence', 'production_licence', 'pesticide_licence', 'fertiliser_registration', 'seed_licence', 'other'] as const;
export const PO_STATUSES = ['draft', 'sent', 'partially_received', 'received', 'cancelled'] as const;

export type SupplierStatus = (typeof SUPPLIER_STATUSES)[number];
export type SupplierDocumentType = (typeof SUPPLIER_DOCUMENT_TYPES)[number];
export type PoStatus = (typeof PO_STATUSES)[number];

/** Suppliers of seed, fertiliser, pesticide, packaging …: approved before they may receive a purchase order. */
export const suppliers = pgTable(
  'suppliers',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    usci: text('usci'),
    status: text('status', { enum: SUPPLIER_STATUSES }).notNull().default('pending'),
    contactName: text('contact_name'),
    phone: text('phone'),
    email: text('email'),
    address: text('address'),
    /** Typical days from order to delivery (for the replenishment proposal's expected date). */
    leadDays: integer('lead_days').notNull().default(7),
    note: text('note'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('suppliers_code_uq').on(t.code), index('suppliers_status_idx').on(t.status)],
);

/** Qualification documents (licences, registrations) with their expiry: an expired one blocks new POs. */
export const supplierDocuments = pgTable(
  'supplier_documents',
  {
    id: idColumn(),
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    type: text('type', { enum: SUPPLIER_DOCUMENT_TYPES }).notNull(),
    number: text('number').notNull(),
    issuedOn: date('issued_on'),
    expiresOn: date('expires_on'),
    archivedAt: ts('archived_at'),
    createdAt: createdAt(),
  },
  (t) => [index('supplier_documents_supplier_idx').on(t.supplierId), index('supplier_documents_expiry_idx').on(t.expiresOn)],
);

/** Material stock policy per warehouse: safety stock and reorder point (base unit), how much to order and from whom. */
export const materialLevels = pgTable(
  'procurement_material_levels',
  {
    id: idColumn(),
    productId: uuid('product_id').notNull(),
    warehouseId: uuid('warehouse_id').notNull(),
    safetyStock: numeric('safety_stock', { precision: 18, scale: 3 }).notNull(),
    reorderPoint: numeric('reorder_point', { precision: 18, scale: 3 }).notNull(),
    /** Quantity to order when below the reorder point (base unit); 0 = up to reorder point + safety stock. */
    reorderQuantity: numeric('reorder_quantity', { precision: 18, scale: 3 }).notNull().default('0'),
    supplierId: uuid('supplier_id').references(() => suppliers.id),
    unitPriceFen: bigint('unit_price_fen', { mode: 'number' }),
    /** Receipts of this material need an incoming inspection against this quality standard (the lot stays quarantined until it passes). */
    inspectionStandardId: uuid('inspection_standard_id'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('procurement_material_levels_uq').on(t.productId, t.warehouseId)],
);

export const purchaseOrders = pgTable(
  'purchase_orders',
  {
    id: idColumn(),
    code: text('code').notNull(),
    supplierId: uuid('supplier_id')
      .notNull()
      .references(() => suppliers.id),
    warehouseId: uuid('warehouse_id').notNull(),
    status: text('status', { enum: PO_STATUSES }).notNull().default('draft'),
    expectedDate: date('expected_date').notNull(),
    totalFen: bigint('total_fen', { mode: 'number' }).notNull().default(0),
    note: text('note'),
    sentAt: ts('sent_at'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('purchase_orders_code_uq').on(t.code), index('purchase_orders_supplier_idx').on(t.supplierId), index('purchase_orders_status_idx').on(t.status)],
);

export const purchaseOrderLines = pgTable(
  'purchase_order_lines',
  {
    id: idColumn(),
    poId: uuid('po_id')
      .notNull()
      .references(() => purchaseOrders.id),
    lineNo: integer('line_no').notNull(),
    productId: uuid('product_id').notNull(),
    unit: text('unit').notNull(),
    quantity: numeric('quantity', { precision: 18, scale: 3 }).notNull(),
    unitPriceFen: bigint('unit_price_fen', { mode: 'number' }).notNull(),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    /** Received so far, in the line's unit. */
    receivedQuantity: numeric('received_quantity', { precision: 18, scale: 3 }).notNull().default('0'),
  },
  (t) => [uniqueIndex('purchase_order_lines_uq').on(t.poId, t.lineNo), index('purchase_order_lines_product_idx').on(t.productId)],
);

/** One received quantity of a PO line: the lot it went into, the supplier's lot number, whether it was on time. */
export const purchaseReceipts = pgTable(
  'purchase_receipts',
  {
    id: idColumn(),
    poId: uuid('po_id')
      .notNull()
      .references(() => purchaseOrders.id),
    lineId: uuid('line_id')
      .notNull()
      .references(() => purchaseOrderLines.id),
    supplierId: uuid('supplier_id').notNull(),
    lotId: uuid('lot_id').notNull(),
    locationId: uuid('location_id').notNull(),
    quantity: numeric('quantity', { precision: 18, scale: 3 }).notNull(),
    supplierLotNo: text('supplier_lot_no').notNull(),
    receivedOn: date('received_on').notNull(),
    onTime: boolean('on_time').notNull(),
    inspectionId: uuid('inspection_id'),
    receivedBy: text('received_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('purchase_receipts_po_idx').on(t.poId), index('purchase_receipts_supplier_idx').on(t.supplierId), index('purchase_receipts_lot_idx').on(t.lotId)],
);
