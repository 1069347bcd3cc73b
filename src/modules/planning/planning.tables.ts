import { boolean, customType, date, index, integer, numeric, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, ts } from '../../platform/db/columns.js';

export const STAGE_KINDS = ['planting', 'cultivation', 'harvest', 'processing', 'packaging'] as const;
export const RESOURCE_TYPES = ['base', 'field', 'line'] as const;
export const PLAN_STATUSES = ['draft', 'confirmed', 'in_progress', 'completed', 'cancelled'] as const;
/** LiteFarm's task kinds, plus processing and packing. */
export const TASK_KINDS = ['sowing', 'transplant', 'irrigation', 'fertilising', 'pest_control', 'scouting', 'harvest', 'cleaning', 'processing', 'packing', 'other'] as const;
export const TASK_STATUSES = ['open', 'in_progress', 'blocked', 'done', 'cancelled'] as const;

export type StageKind = (typeof STAGE_KINDS)[number];
export type ResourceType = (typeof RESOURCE_TYPES)[number];
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export type TaskKind = (typeof TASK_KINDS)[number];
export type TaskStatus = (typeof TASK_STATUSES)[number];

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

/** A crop's growing calendar at a base (or everywhere when baseId is null): windows as MM-DD, growth days, yield per mu. */
export const cropCalendars = pgTable(
  'planning_crop_calendars',
  {
    id: idColumn(),
    productId: uuid('product_id').notNull(),
    baseId: uuid('base_id'),
    variety: text('variety'),
    season: text('season').notNull(),
    sowFrom: text('sow_from').notNull(),
    sowTo: text('sow_to').notNull(),
    transplantFrom: text('transplant_from'),
    transplantTo: text('transplant_to'),
    harvestFrom: text('harvest_from').notNull(),
    harvestTo: text('harvest_to').notNull(),
    growthDays: integer('growth_days').notNull(),
    expectedYieldPerMu: numeric('expected_yield_per_mu', { precision: 18, scale: 3 }).notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('planning_crop_calendars_product_idx').on(t.productId)],
);

/** What a base, field or processing line can do per day (base unit of the planned product, e.g. kg/day). */
export const capacities = pgTable(
  'planning_capacities',
  {
    id: idColumn(),
    resourceType: text('resource_type', { enum: RESOURCE_TYPES }).notNull(),
    resourceId: text('resource_id').notNull(),
    name: text('name').notNull(),
    dailyCapacity: numeric('daily_capacity', { precision: 18, scale: 3 }).notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('planning_capacities_uq').on(t.resourceType, t.resourceId)],
);

/** Sales forecast per product and ISO week (weekStart = the Monday), entered or imported from Excel. */
export const forecasts = pgTable(
  'planning_forecasts',
  {
    id: idColumn(),
    productId: uuid('product_id').notNull(),
    weekStart: date('week_start').notNull(),
    quantity: numeric('quantity', { precision: 18, scale: 3 }).notNull(),
    note: text('note'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('planning_forecasts_uq').on(t.productId, t.weekStart)],
);

export const plans = pgTable(
  'planning_plans',
  {
    id: idColumn(),
    code: text('code').notNull(),
    productId: uuid('product_id').notNull(),
    /** Base unit of the product. */
    quantity: numeric('quantity', { precision: 18, scale: 3 }).notNull(),
    deliveryDate: date('delivery_date').notNull(),
    calendarId: uuid('calendar_id').references(() => cropCalendars.id),
    /** The order this plan fills (read only; the order core owns orders). */
    orderId: uuid('order_id'),
    status: text('status', { enum: PLAN_STATUSES }).notNull().default('draft'),
    atRisk: boolean('at_risk').notNull().default(false),
    riskReason: text('risk_reason'),
    overrideReason: text('override_reason'),
    note: text('note'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('planning_plans_code_uq').on(t.code), index('planning_plans_product_idx').on(t.productId), index('planning_plans_status_idx').on(t.status)],
);

export const planStages = pgTable(
  'planning_plan_stages',
  {
    id: idColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    seq: integer('seq').notNull(),
    kind: text('kind', { enum: STAGE_KINDS }).notNull(),
    startDate: date('start_date').notNull(),
    endDate: date('end_date').notNull(),
    milestone: text('milestone'),
    responsibleId: uuid('responsible_id'),
    resourceType: text('resource_type', { enum: RESOURCE_TYPES }),
    resourceId: text('resource_id'),
  },
  (t) => [uniqueIndex('planning_plan_stages_uq').on(t.planId, t.seq), index('planning_plan_stages_resource_idx').on(t.resourceType, t.resourceId)],
);

export const tasks = pgTable(
  'planning_tasks',
  {
    id: idColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => plans.id),
    stageId: uuid('stage_id').references(() => planStages.id),
    kind: text('kind', { enum: TASK_KINDS }).notNull(),
    title: text('title').notNull(),
    assigneeId: uuid('assignee_id'),
    dueDate: date('due_date').notNull(),
    status: text('status', { enum: TASK_STATUSES }).notNull().default('open'),
    progressPct: integer('progress_pct').notNull().default(0),
    quantityDone: numeric('quantity_done', { precision: 18, scale: 3 }),
    unit: text('unit'),
    problem: text('problem'),
    /** For a harvest task: the field and location the harvest lot goes to, and the lot created on completion. */
    fieldId: uuid('field_id'),
    locationId: uuid('location_id'),
    lotId: uuid('lot_id'),
    startedAt: ts('started_at'),
    completedAt: ts('completed_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('planning_tasks_plan_idx').on(t.planId), index('planning_tasks_assignee_idx').on(t.assigneeId, t.status), index('planning_tasks_due_idx').on(t.dueDate)],
);

/** Photos attached to a task's problem report. */
export const taskPhotos = pgTable(
  'planning_task_photos',
  {
    id: idColumn(),
    taskId: uuid('task_id')
      .notNull()
      .references(() => tasks.id),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    data: bytea('data').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('planning_task_photos_task_idx').on(t.taskId)],
);
