import { sql } from 'drizzle-orm';
import { bigint, boolean, date, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, qty, ts } from '../../platform/db/columns.js';

export const PROCESS_KINDS = ['wash', 'grade', 'cut', 'pack', 'mix'] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];

/**
 * Append-only EPCIS-shaped trace events (a trigger refuses UPDATE and DELETE).
 * `body` holds the EPCIS 2.0 event (without @context); lot ids are denormalised for lookups.
 */
export const traceEvents = pgTable(
  'trace_events',
  {
    id: idColumn(),
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    action: text('action'),
    bizStep: text('biz_step').notNull(),
    disposition: text('disposition'),
    eventTime: ts('event_time').notNull(),
    recordTime: ts('record_time').notNull(),
    lotIds: uuid('lot_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    refType: text('ref_type'),
    refId: text('ref_id'),
    correctsEventId: text('corrects_event_id'),
    body: jsonb('body').$type<Record<string, unknown>>().notNull(),
    actorName: text('actor_name').notNull(),
  },
  (t) => [uniqueIndex('trace_events_event_id_uq').on(t.eventId), index('trace_events_time_idx').on(t.eventTime), index('trace_events_lots_gin').using('gin', t.lotIds)],
);

/** A processing run (wash, grade, cut, pack, mix): input lots consumed, output lots created. */
export const processingRuns = pgTable(
  'trace_processing_runs',
  {
    id: idColumn(),
    number: text('number').notNull(),
    kind: text('kind', { enum: PROCESS_KINDS }).notNull(),
    runOn: date('run_on', { mode: 'string' }).notNull(),
    inputTotal: qty('input_total').notNull(),
    outputTotal: qty('output_total').notNull(),
    lossTotal: qty('loss_total').notNull(),
    /** Output / input, 4 decimals. */
    yieldRatio: text('yield_ratio').notNull(),
    overYieldReason: text('over_yield_reason'),
    note: text('note'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('trace_runs_number_uq').on(t.number), index('trace_runs_date_idx').on(t.runOn)],
);

export const processingLines = pgTable(
  'trace_processing_lines',
  {
    id: idColumn(),
    runId: uuid('run_id')
      .notNull()
      .references(() => processingRuns.id),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    lotId: uuid('lot_id').notNull(),
    productId: uuid('product_id').notNull(),
    locationId: uuid('location_id').notNull(),
    quantity: qty('quantity').notNull(),
    unit: text('unit').notNull(),
    baseQuantity: qty('base_quantity').notNull(),
  },
  (t) => [index('trace_lines_run_idx').on(t.runId), index('trace_lines_lot_idx').on(t.lotId)],
);

/** Genealogy: input lot → output lot with the quantity of the input attributed to the output (base unit). */
export const lotLinks = pgTable(
  'trace_lot_links',
  {
    id: idColumn(),
    runId: uuid('run_id').notNull(),
    inputLotId: uuid('input_lot_id').notNull(),
    outputLotId: uuid('output_lot_id').notNull(),
    quantity: qty('quantity').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('trace_links_in_idx').on(t.inputLotId, t.outputLotId), index('trace_links_out_idx').on(t.outputLotId, t.inputLotId)],
);

export type RecallScope = {
  kind: 'lot' | 'field' | 'material_lot' | 'date_range';
  lotId?: string;
  fieldId?: string;
  materialLotId?: string;
  materialLotCode?: string;
  from?: string;
  to?: string;
};

export const recalls = pgTable(
  'trace_recalls',
  {
    id: idColumn(),
    number: text('number').notNull(),
    scope: jsonb('scope').$type<RecallScope>().notNull(),
    reason: text('reason').notNull(),
    drill: boolean('drill').notNull().default(false),
    status: text('status', { enum: ['draft', 'executed'] })
      .notNull()
      .default('draft'),
    impact: jsonb('impact').$type<Record<string, unknown>>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    executedAt: ts('executed_at'),
    executedBy: text('executed_by'),
  },
  (t) => [uniqueIndex('trace_recalls_number_uq').on(t.number)],
);

/** 承诺达标合格证: issued per batch. */
export const certificates = pgTable(
  'trace_certificates',
  {
    id: idColumn(),
    number: text('number').notNull(),
    lotId: uuid('lot_id').notNull(),
    productName: text('product_name').notNull(),
    quantity: qty('quantity').notNull(),
    unit: text('unit').notNull(),
    issuerName: text('issuer_name').notNull(),
    origin: text('origin').notNull(),
    contactPhone: text('contact_phone').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    commitments: text('commitments').array().notNull(),
    basis: text('basis', { enum: ['quality_control', 'own_test', 'commissioned_test'] }).notNull(),
    reportNo: text('report_no'),
    traceCode: text('trace_code'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('trace_certificates_number_uq').on(t.number), index('trace_certificates_lot_idx').on(t.lotId)],
);

/** Public trace codes printed in the QR code (no guessable ids in public URLs). */
export const traceCodes = pgTable(
  'trace_codes',
  {
    code: text('code').primaryKey(),
    lotId: uuid('lot_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('trace_codes_lot_uq').on(t.lotId)],
);
