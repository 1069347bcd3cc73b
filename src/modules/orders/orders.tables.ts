import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, qty, ts } from '../../platform/db/columns.js';

export const ORDER_STATUSES = [
  'draft',
  'needs_confirmation',
  'submitted',
  'in_review',
  'approved',
  'rejected',
  'cancelled',
  'in_production',
  'ready',
  'shipped',
  'delivered',
  'completed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const CHANNELS = ['phone', 'email', 'online', 'wechat', 'visit', 'api', 'import'] as const;
export type Channel = (typeof CHANNELS)[number];
export const INQUIRY_CHANNELS = ['phone', 'email', 'online', 'wechat', 'visit'] as const;
export type InquiryChannel = (typeof INQUIRY_CHANNELS)[number];
export const INQUIRY_STATUSES = ['open', 'quoted', 'converted', 'lost'] as const;
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];

/** A question to put to the customer before an order can go on (completeness check). */
export type OrderQuestion = { code: string; lineNo?: number; zh: string; en: string };

/** What the customer asked for in an inquiry, carried over to the draft order. */
export type InquiryNeed = {
  productId: string | null;
  description: string;
  spec: string | null;
  quantity: string | null;
  unit: string | null;
  deliveryDate: string | null;
  deliveryPlace: string | null;
};

export const inquiries = pgTable(
  'inquiries',
  {
    id: idColumn(),
    number: text('number').notNull(),
    channel: text('channel', { enum: INQUIRY_CHANNELS }).notNull(),
    customerId: uuid('customer_id'),
    /** The prospect's name, masked (the name itself is in prospect_name_enc). */
    prospectName: text('prospect_name'),
    prospectNameEnc: text('prospect_name_enc'),
    prospectNameIdx: text('prospect_name_idx'),
    prospectPhoneEnc: text('prospect_phone_enc'),
    prospectPhoneIdx: text('prospect_phone_idx'),
    needs: jsonb('needs').$type<InquiryNeed[]>().notNull(),
    notes: text('notes'),
    ownerId: uuid('owner_id'),
    status: text('status', { enum: INQUIRY_STATUSES }).notNull().default('open'),
    lostReason: text('lost_reason'),
    orderId: uuid('order_id'),
    receivedAt: ts('received_at').notNull(),
    closedAt: ts('closed_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inquiries_number_uq').on(t.number),
    index('inquiries_status_idx').on(t.status, t.receivedAt),
    index('inquiries_customer_idx').on(t.customerId),
    index('inquiries_owner_idx').on(t.ownerId),
  ],
);

export const orders = pgTable(
  'orders',
  {
    id: idColumn(),
    number: text('number').notNull(),
    customerId: uuid('customer_id').notNull(),
    /** Snapshot of the customer's code and name for lists and search. */
    customerCode: text('customer_code').notNull(),
    customerName: text('customer_name').notNull(),
    /** An individual customer's name, encrypted (customer_name then holds its masked form). */
    customerNameEnc: text('customer_name_enc'),
    contactId: uuid('contact_id'),
    addressId: uuid('address_id'),
    /** Region of the delivery address at the time of the last change (for the region rule and list filters). */
    deliveryRegion: text('delivery_region'),
    deliveryDate: date('delivery_date', { mode: 'string' }),
    deliveryDateTo: date('delivery_date_to', { mode: 'string' }),
    coldChain: boolean('cold_chain').notNull().default(false),
    paymentTermsDays: integer('payment_terms_days').notNull().default(0),
    notes: text('notes'),
    channel: text('channel', { enum: CHANNELS }).notNull(),
    salesOwnerId: uuid('sales_owner_id'),
    inquiryId: uuid('inquiry_id'),
    status: text('status', { enum: ORDER_STATUSES }).notNull().default('draft'),
    totalFen: bigint('total_fen', { mode: 'number' }).notNull().default(0),
    questions: jsonb('questions')
      .$type<OrderQuestion[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    lastReviewRunId: uuid('last_review_run_id'),
    statusReason: text('status_reason'),
    /** Natural key of an Excel import (file hash + row number): re-uploading the same file creates nothing twice. */
    importKey: text('import_key'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    submittedAt: ts('submitted_at'),
    approvedAt: ts('approved_at'),
  },
  (t) => [
    uniqueIndex('orders_number_uq').on(t.number),
    index('orders_number_prefix_idx').using('btree', t.number.op('text_pattern_ops')),
    uniqueIndex('orders_import_key_uq').on(t.importKey),
    index('orders_status_idx').on(t.status, t.createdAt),
    index('orders_customer_idx').on(t.customerId, t.createdAt),
    index('orders_owner_idx').on(t.salesOwnerId, t.createdAt),
    index('orders_delivery_idx').on(t.deliveryDate),
    index('orders_created_idx').on(t.createdAt),
    index('orders_customer_name_idx').on(t.customerName),
  ],
);

export const orderLines = pgTable(
  'order_lines',
  {
    id: idColumn(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    lineNo: integer('line_no').notNull(),
    productId: uuid('product_id'),
    /** What the customer said, when no product could be matched yet. */
    description: text('description'),
    spec: text('spec'),
    quantity: qty('quantity').notNull(),
    unit: text('unit').notNull(),
    baseQuantity: qty('base_quantity'),
    unitPriceFen: bigint('unit_price_fen', { mode: 'number' }),
    listPriceFen: bigint('list_price_fen', { mode: 'number' }),
    floorPriceFen: bigint('floor_price_fen', { mode: 'number' }),
    priceListId: uuid('price_list_id'),
    priceOverrideReason: text('price_override_reason'),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull().default(0),
    /** The order's created_at, copied so "orders of a product, newest first" is one index walk. */
    orderCreatedAt: timestamp('order_created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('order_lines_no_uq').on(t.orderId, t.lineNo),
    index('order_lines_product_idx').on(t.productId),
    index('order_lines_product_created_idx').on(t.productId, t.orderCreatedAt, t.orderId),
  ],
);

export const REVIEW_OUTCOMES = ['pass', 'warn', 'fail'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** One run of the review engine over an order (on submit, on amend, on reservation failure). */
export const orderReviewRuns = pgTable(
  'order_review_runs',
  {
    id: idColumn(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    trigger: text('trigger', { enum: ['submit', 'amend', 'reservation'] }).notNull(),
    outcome: text('outcome', { enum: ['approved', 'in_review', 'unchanged'] }).notNull(),
    actorName: text('actor_name').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [index('order_review_runs_order_idx').on(t.orderId, t.at)],
);

export const orderReviewResults = pgTable(
  'order_review_results',
  {
    id: idColumn(),
    runId: uuid('run_id')
      .notNull()
      .references(() => orderReviewRuns.id),
    orderId: uuid('order_id').notNull(),
    rule: text('rule').notNull(),
    outcome: text('outcome', { enum: REVIEW_OUTCOMES }).notNull(),
    code: text('code').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    /** False when the result was carried over from the previous run (rule not affected by an amendment). */
    rerun: boolean('rerun').notNull().default(true),
  },
  // Results are read by run (the run by order); no index by order, which every order's 6 results would write.
  (t) => [index('order_review_results_run_idx').on(t.runId)],
);

export type ImportRowReport = { row: number; ok: boolean; orderId?: string; orderNumber?: string; skipped?: boolean; errors: { field: string; message: string }[] };

export const orderImportJobs = pgTable(
  'order_import_jobs',
  {
    id: idColumn(),
    fileName: text('file_name').notNull(),
    fileHash: text('file_hash').notNull(),
    mode: text('mode', { enum: ['draft', 'submit'] }).notNull(),
    status: text('status', { enum: ['running', 'done', 'failed'] })
      .notNull()
      .default('running'),
    total: integer('total').notNull().default(0),
    processed: integer('processed').notNull().default(0),
    created: integer('created').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    report: jsonb('report')
      .$type<ImportRowReport[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    error: text('error'),
    /** The process running the import (presence INSTANCE_ID): a running job whose process is gone was interrupted. */
    claimedBy: text('claimed_by'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    finishedAt: ts('finished_at'),
  },
  (t) => [index('order_import_jobs_created_idx').on(t.createdAt)],
);
