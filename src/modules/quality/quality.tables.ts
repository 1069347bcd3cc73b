import { sql } from 'drizzle-orm';
import { boolean, customType, date, index, integer, jsonb, numeric, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, qty, ts } from '../../platform/db/columns.js';

export const INSPECTION_STAGES = ['source', 'in_process', 'finished', 'pre_shipment', 'returned'] as const;
export const SOURCE_CHECK_TYPES = ['soil', 'water'] as const;
export const PARAM_TYPES = ['number', 'grade', 'boolean'] as const;
export const DISPOSITIONS = ['rework', 'downgrade', 'destroy'] as const;

export type InspectionStage = (typeof INSPECTION_STAGES)[number];
export type SourceCheckType = (typeof SOURCE_CHECK_TYPES)[number];
export type ParamType = (typeof PARAM_TYPES)[number];
export type Disposition = (typeof DISPOSITIONS)[number];

/** A limit on one measured parameter of a quality standard. */
export type StandardParameter = {
  code: string;
  name: string;
  unit: string | null;
  type: ParamType;
  /** Decimal strings for number parameters (inclusive). */
  min: string | null;
  max: string | null;
  /** Accepted grades for grade parameters. */
  allowed: string[];
};

export type SamplingPlan = { mode: 'every_lot' | 'periodic'; sampleSize: number; periodDays: number | null };

export type MeasuredValue = { code: string; value: string | number | boolean; pass: boolean };

export type Attachment = { kind: 'photo' | 'lab_report'; name: string; url: string };

export const FILE_KINDS = ['photo', 'lab_report'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

/** Production bases (生产基地). */
export const bases = pgTable(
  'quality_bases',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    regionCode: text('region_code'),
    address: text('address'),
    areaMu: qty('area_mu'),
    latitude: numeric('latitude', { precision: 9, scale: 6 }),
    longitude: numeric('longitude', { precision: 9, scale: 6 }),
    manager: text('manager'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('quality_bases_code_uq').on(t.code)],
);

/** Fields / plots (地块) of a base. */
export const fields = pgTable(
  'quality_fields',
  {
    id: idColumn(),
    baseId: uuid('base_id')
      .notNull()
      .references(() => bases.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    areaMu: qty('area_mu'),
    regionCode: text('region_code'),
    latitude: numeric('latitude', { precision: 9, scale: 6 }),
    longitude: numeric('longitude', { precision: 9, scale: 6 }),
    crops: text('crops')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('quality_fields_code_uq').on(t.code), index('quality_fields_base_idx').on(t.baseId)],
);

/** A farm input (seed, fertiliser, pesticide) applied on a field. */
export const inputApplications = pgTable(
  'quality_input_applications',
  {
    id: idColumn(),
    fieldId: uuid('field_id')
      .notNull()
      .references(() => fields.id),
    materialId: uuid('material_id').notNull(),
    materialType: text('material_type'),
    materialLotId: uuid('material_lot_id'),
    materialLotCode: text('material_lot_code'),
    dose: qty('dose').notNull(),
    doseUnit: text('dose_unit').notNull(),
    appliedOn: date('applied_on', { mode: 'string' }).notNull(),
    phiDays: integer('phi_days').notNull().default(0),
    /** appliedOn + phiDays: the first day a harvest is allowed. */
    safeHarvestOn: date('safe_harvest_on', { mode: 'string' }).notNull(),
    operator: text('operator').notNull(),
    note: text('note'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('quality_inputs_field_idx').on(t.fieldId, t.appliedOn),
    index('quality_inputs_mlot_idx').on(t.materialLotId),
    index('quality_inputs_mcode_idx').on(t.materialLotCode),
  ],
);

/** A harvest from a field: one inventory lot. */
export const harvests = pgTable(
  'quality_harvests',
  {
    id: idColumn(),
    fieldId: uuid('field_id')
      .notNull()
      .references(() => fields.id),
    lotId: uuid('lot_id').notNull(),
    lotCode: text('lot_code').notNull(),
    productId: uuid('product_id').notNull(),
    variety: text('variety'),
    quantity: qty('quantity').notNull(),
    unit: text('unit').notNull(),
    locationId: uuid('location_id').notNull(),
    harvestedOn: date('harvested_on', { mode: 'string' }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('quality_harvests_lot_uq').on(t.lotId),
    index('quality_harvests_field_idx').on(t.fieldId, t.harvestedOn),
    index('quality_harvests_date_idx').on(t.harvestedOn),
  ],
);

/** Quality standard of a product (or a source-check standard for soil/water). */
export const standards = pgTable(
  'quality_standards',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    productId: uuid('product_id'),
    checkType: text('check_type', { enum: SOURCE_CHECK_TYPES }),
    stages: text('stages')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    parameters: jsonb('parameters').$type<StandardParameter[]>().notNull(),
    samplingPlan: jsonb('sampling_plan').$type<SamplingPlan>().notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    /** Set by each edit; the audit log keeps every earlier version (before/after). */
    updatedAt: ts('updated_at'),
  },
  (t) => [uniqueIndex('quality_standards_code_uq').on(t.code), index('quality_standards_product_idx').on(t.productId)],
);

/** An inspection: source check of a field, or a lot inspection at a stage. */
export const inspections = pgTable(
  'quality_inspections',
  {
    id: idColumn(),
    number: text('number').notNull(),
    stage: text('stage', { enum: INSPECTION_STAGES }).notNull(),
    standardId: uuid('standard_id')
      .notNull()
      .references(() => standards.id),
    lotId: uuid('lot_id'),
    fieldId: uuid('field_id'),
    checkType: text('check_type', { enum: SOURCE_CHECK_TYPES }),
    inspectedOn: date('inspected_on', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
    sampleSize: integer('sample_size').notNull().default(1),
    values: jsonb('values').$type<MeasuredValue[]>().notNull(),
    result: text('result', { enum: ['pass', 'fail'] }).notNull(),
    status: text('status', { enum: ['draft', 'signed'] })
      .notNull()
      .default('draft'),
    labReportNo: text('lab_report_no'),
    attachments: jsonb('attachments').$type<Attachment[]>().notNull().default([]),
    note: text('note'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    signedBy: text('signed_by'),
    signedById: uuid('signed_by_id'),
    signedAt: ts('signed_at'),
    lotDecision: text('lot_decision'),
  },
  (t) => [
    uniqueIndex('quality_inspections_number_uq').on(t.number),
    index('quality_inspections_lot_idx').on(t.lotId),
    index('quality_inspections_field_idx').on(t.fieldId, t.checkType),
    index('quality_inspections_standard_idx').on(t.standardId, t.inspectedOn),
  ],
);

/**
 * Photos and lab reports uploaded to an inspection (kept in the database so both engines behave the same).
 * Append-only: a signed inspection still takes new files, none is ever replaced or deleted.
 */
export const inspectionFiles = pgTable(
  'quality_inspection_files',
  {
    id: idColumn(),
    inspectionId: uuid('inspection_id')
      .notNull()
      .references(() => inspections.id),
    kind: text('kind', { enum: FILE_KINDS }).notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    data: bytea('data').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('quality_inspection_files_inspection_idx').on(t.inspectionId)],
);

/** Non-conformance with corrective action; visible until closed. */
export const nonConformances = pgTable(
  'quality_non_conformances',
  {
    id: idColumn(),
    number: text('number').notNull(),
    inspectionId: uuid('inspection_id'),
    lotId: uuid('lot_id'),
    fieldId: uuid('field_id'),
    description: text('description').notNull(),
    correctiveAction: text('corrective_action'),
    owner: text('owner'),
    dueOn: date('due_on', { mode: 'string' }),
    status: text('status', { enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    closedAt: ts('closed_at'),
    closedNote: text('closed_note'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('quality_nc_number_uq').on(t.number), index('quality_nc_status_idx').on(t.status)],
);
