import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError } from '../../platform/errors/domain-error.js';
import { actorOf, tx } from '../../platform/http/context.js';
import { readXlsx, sendXlsx, toXlsx } from '../../platform/http/excel.js';
import { idParam, pageOf } from '../../platform/http/list.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { acceptUploads } from '../../platform/http/uploads.js';
import { getOrder } from '../orders/index.js';
import { PlanningErrors } from './planning.errors.js';
import * as s from './planning.schemas.js';
import {
  addTask,
  assignTask,
  cancelPlan,
  changeTask,
  confirmPlan,
  createCalendar,
  createPlan,
  getPlan,
  getTask,
  getTaskPhoto,
  importForecastRows,
  listCalendars,
  listCapacities,
  listForecasts,
  listPlans,
  listTasks,
  mps,
  recordTaskProgress,
  setCapacity,
  setForecasts,
  updateCalendar,
  updatePlanStages,
  uploadTaskPhoto,
} from './planning.service.js';

const tags = ['planning'];
const EXPORT_ROWS = 100_000;
const FORECAST_COLUMNS = { code: ['产品编码', 'Product code'], week: ['周一日期', 'Week (Monday)'], quantity: ['数量', 'Quantity'] } as const;

async function uploadedFile(req: FastifyRequest): Promise<{ filename: string; data: Buffer }> {
  if (!req.isMultipart()) throw new DomainError(PlanningErrors.FILE_REQUIRED, {}, [{ field: 'file', code: 'FIELD_REQUIRED' }]);
  const part = await req.file();
  if (!part) throw new DomainError(PlanningErrors.FILE_REQUIRED, {}, [{ field: 'file', code: 'FIELD_REQUIRED' }]);
  return { filename: part.filename, data: await part.toBuffer() };
}

/** /api/planning/…: crop calendars, capacities, forecasts, MPS, production plans (Gantt), tasks. */
export const planningRoutes: FastifyPluginAsyncZod = async (app) => {
  await acceptUploads(app as unknown as FastifyInstance);
  const { ctx } = app;

  // ---- crop calendars
  app.get(
    '/planning/calendars',
    { config: { access: 'planning:read' }, schema: { tags, summary: 'List crop calendars', querystring: s.calendarQuery, response: { 200: pageOf(s.calendarSchema) } } },
    async (req) => listCalendars(ctx.db, req.query),
  );
  app.post(
    '/planning/calendars',
    {
      config: { access: 'planning:manage', idempotent: true },
      schema: { tags, summary: 'Add a crop calendar', body: s.calendarBody, response: { 201: s.calendarSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createCalendar(db, actor, req.body))),
  );
  app.patch(
    '/planning/calendars/:id',
    {
      config: { access: 'planning:manage' },
      schema: { tags, summary: 'Edit a crop calendar', params: idParam, body: s.calendarBody.partial(), response: { 200: s.calendarSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => updateCalendar(db, actor, req.params.id, req.body)),
  );

  // ---- capacities
  app.get(
    '/planning/capacities',
    {
      config: { access: 'planning:read' },
      schema: { tags, summary: 'Capacities per base, field and line per day', response: { 200: z.object({ items: z.array(s.capacitySchema) }) } },
    },
    async () => ({ items: await listCapacities(ctx.db) }),
  );
  app.put(
    '/planning/capacities',
    {
      config: { access: 'planning:manage' },
      schema: { tags, summary: 'Set the daily capacity of a base, field or line', body: s.capacityBody, response: { 200: s.capacitySchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => setCapacity(db, actor, req.body)),
  );

  // ---- forecasts
  app.get(
    '/planning/forecasts',
    {
      config: { access: 'planning:read' },
      schema: { tags, summary: 'Sales forecast per product and week', querystring: s.forecastQuery, response: { 200: z.object({ items: z.array(s.forecastSchema) }) } },
    },
    async (req) => ({ items: await listForecasts(ctx.db, req.query) }),
  );
  app.put(
    '/planning/forecasts',
    {
      config: { access: 'planning:manage' },
      schema: { tags, summary: 'Enter or replace forecast quantities', body: s.forecastBody, response: { 200: z.object({ saved: z.number() }), ...errorResponses } },
    },
    async (req) => ({ saved: await tx(req, (db, actor) => setForecasts(db, actor, req.body.items)) }),
  );
  app.get(
    '/planning/forecasts/import-template.xlsx',
    { config: { access: 'planning:manage' }, schema: { tags, summary: 'Excel template for forecast import' } },
    async (req, reply) => {
      const en = req.locale === 'en-US' ? 1 : 0;
      const buf = await toXlsx(
        en ? 'Forecast' : '销售预测',
        [
          { header: FORECAST_COLUMNS.code[en], key: 'code', value: () => null },
          { header: FORECAST_COLUMNS.week[en], key: 'week', value: () => null },
          { header: FORECAST_COLUMNS.quantity[en], key: 'quantity', value: () => null },
        ],
        [],
      );
      return sendXlsx(reply, en ? 'forecast-import.xlsx' : '销售预测导入模板.xlsx', buf);
    },
  );
  app.post(
    '/planning/forecasts/import',
    {
      config: { access: 'planning:manage' },
      schema: {
        tags,
        summary: 'Import forecasts from Excel (product code, week Monday, quantity; all rows or none)',
        consumes: ['multipart/form-data'],
        response: { 200: z.object({ saved: z.number() }), ...errorResponses },
      },
    },
    async (req) => {
      const file = await uploadedFile(req);
      let sheet: Awaited<ReturnType<typeof readXlsx>>;
      try {
        sheet = await readXlsx(file.data);
      } catch {
        throw new DomainError(PlanningErrors.IMPORT_BAD_FILE, {}, [{ field: 'file', code: PlanningErrors.IMPORT_BAD_FILE }]);
      }
      const pick = (names: readonly string[]) => names.find((n) => sheet.headers.includes(n));
      const code = pick(FORECAST_COLUMNS.code);
      const week = pick(FORECAST_COLUMNS.week);
      const quantity = pick(FORECAST_COLUMNS.quantity);
      if (!code || !week || !quantity) throw new DomainError(PlanningErrors.IMPORT_BAD_FILE, {}, [{ field: 'file', code: PlanningErrors.IMPORT_BAD_FILE }]);
      const rows = sheet.rows.map((r) => ({ rowNumber: r.rowNumber, code: r.values[code] ?? '', weekStart: r.values[week] ?? '', quantity: r.values[quantity] ?? '' }));
      return { saved: await tx(req, (db, actor) => importForecastRows(db, actor, rows)) };
    },
  );

  // ---- MPS
  app.get(
    '/planning/mps',
    {
      config: { access: 'planning:read' },
      schema: {
        tags,
        summary: 'Master production schedule per product and week (orders + forecast, net of stock and open plans)',
        querystring: s.mpsQuery,
        response: { 200: pageOf(s.mpsRow).extend({ weekStarts: z.array(z.string()) }) },
      },
    },
    async (req) => mps(ctx.db, req.query),
  );
  app.get('/planning/mps/export.xlsx', { config: { access: 'planning:read' }, schema: { tags, summary: 'Export the MPS', querystring: s.mpsQuery } }, async (req, reply) => {
    const page = await mps(ctx.db, { ...req.query, page: 1, pageSize: EXPORT_ROWS });
    const en = req.locale === 'en-US';
    const buf = await toXlsx(
      'MPS',
      [
        { header: en ? 'Code' : '产品编码', key: 'code', value: (r: (typeof page.items)[number]) => r.productCode },
        { header: en ? 'Product' : '产品', key: 'name', value: (r) => r.productName },
        { header: en ? 'Stock' : '库存', key: 'stock', value: (r) => r.stock },
        ...page.weekStarts.map((w, i) => ({ header: `${w} ${en ? 'net' : '净需求'}`, key: `w${i}`, value: (r: (typeof page.items)[number]) => r.weeks[i]!.net })),
      ],
      page.items,
    );
    return sendXlsx(reply, 'mps.xlsx', buf);
  });

  // ---- plans
  app.get(
    '/planning/plans',
    {
      config: { access: 'planning:read' },
      schema: { tags, summary: 'List production plans with stages (Gantt)', querystring: s.planQuery, response: { 200: pageOf(s.planSummary) } },
    },
    async (req) => listPlans(ctx.db, req.query),
  );
  app.get(
    '/planning/plans/export.xlsx',
    { config: { access: 'planning:read' }, schema: { tags, summary: 'Export production plans', querystring: s.planQuery } },
    async (req, reply) => {
      const page = await listPlans(ctx.db, { ...req.query, page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Plans' : '生产计划',
        [
          { header: en ? 'Number' : '计划号', key: 'code', value: (r) => r.code },
          { header: en ? 'Product' : '产品', key: 'productName', value: (r) => r.productName },
          { header: en ? 'Quantity' : '数量', key: 'quantity', value: (r) => r.quantity },
          { header: en ? 'Delivery' : '交付日期', key: 'deliveryDate', value: (r) => r.deliveryDate },
          { header: en ? 'Status' : '状态', key: 'status', value: (r) => r.status },
          { header: en ? 'At risk' : '风险', key: 'atRisk', value: (r) => r.atRisk },
          { header: en ? 'Start' : '开始', key: 'startDate', value: (r) => r.startDate },
        ],
        page.items,
      );
      return sendXlsx(reply, 'plans.xlsx', buf);
    },
  );
  app.get(
    '/planning/plans/:id',
    { config: { access: 'planning:read' }, schema: { tags, summary: 'One plan with stages, capacity issues and tasks', params: idParam, response: { 200: s.planDetail } } },
    async (req) => getPlan(ctx.db, req.params.id),
  );
  app.post(
    '/planning/plans',
    {
      config: { access: 'planning:manage', idempotent: true },
      schema: {
        tags,
        summary: 'Make a draft plan (back-scheduled from the delivery date unless stages are given)',
        body: s.planBody,
        response: { 201: s.planDetail, ...errorResponses },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await tx(req, (db, actor) =>
          createPlan(db, actor, req.body, async (id) =>
            getOrder(db, actor, id).then(
              () => true,
              () => false,
            ),
          ),
        ),
      ),
  );
  app.put(
    '/planning/plans/:id/stages',
    {
      config: { access: 'planning:manage' },
      schema: { tags, summary: 'Replace the stages of a draft plan', params: idParam, body: s.stagesBody, response: { 200: s.planDetail, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => updatePlanStages(db, actor, req.params.id, req.body.stages)),
  );
  app.post(
    '/planning/plans/:id/confirm',
    {
      config: { access: 'planning:manage' },
      schema: {
        tags,
        summary: 'Confirm a plan (over capacity needs a manager and a reason); generates its tasks',
        params: idParam,
        body: s.confirmBody,
        response: { 200: s.planDetail, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => confirmPlan(db, actor, req.params.id, req.body.overrideReason ?? null)),
  );
  app.post(
    '/planning/plans/:id/cancel',
    {
      config: { access: 'planning:manage' },
      schema: { tags, summary: 'Cancel a plan', params: idParam, body: s.reasonBody, response: { 200: s.planDetail, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => cancelPlan(db, actor, req.params.id, req.body.reason ?? null)),
  );
  app.post(
    '/planning/plans/:id/tasks',
    {
      config: { access: 'planning:manage', idempotent: true },
      schema: { tags, summary: 'Add a task to a plan', params: idParam, body: s.taskBody, response: { 201: s.taskSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => addTask(db, actor, req.params.id, req.body))),
  );

  // ---- tasks
  app.get(
    '/planning/tasks',
    { config: { access: 'planning:read' }, schema: { tags, summary: 'List tasks (mine=true: assigned to me)', querystring: s.taskQuery, response: { 200: pageOf(s.taskSchema) } } },
    async (req) => listTasks(ctx.db, actorOf(req), req.query),
  );
  app.get('/planning/tasks/:id', { config: { access: 'planning:read' }, schema: { tags, summary: 'One task', params: idParam, response: { 200: s.taskSchema } } }, async (req) =>
    getTask(ctx.db, req.params.id),
  );
  app.patch(
    '/planning/tasks/:id',
    {
      config: { access: 'planning:manage' },
      schema: { tags, summary: 'Assign a task or move its due date', params: idParam, body: s.assignBody, response: { 200: s.taskSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => assignTask(db, actor, req.params.id, req.body)),
  );
  app.post(
    '/planning/tasks/:id/progress',
    {
      config: { access: 'tasks:work' },
      schema: { tags, summary: 'Record progress on a started task', params: idParam, body: s.progressBody, response: { 200: s.taskSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => recordTaskProgress(db, actor, req.params.id, req.body)),
  );
  for (const event of ['start', 'block', 'unblock', 'complete', 'cancel'] as const) {
    app.post(
      `/planning/tasks/:id/${event}`,
      {
        config: { access: event === 'cancel' ? 'planning:manage' : 'tasks:work' },
        schema: { tags, summary: `Task: ${event}`, params: idParam, body: s.taskActionBody, response: { 200: s.taskSchema, ...errorResponses } },
      },
      async (req) => tx(req, (db, actor) => changeTask(db, actor, req.params.id, event, req.body)),
    );
  }
  app.post(
    '/planning/tasks/:id/photos',
    {
      config: { access: 'tasks:work' },
      schema: {
        tags,
        summary: 'Attach a problem photo (JPEG/PNG/WebP)',
        consumes: ['multipart/form-data'],
        params: idParam,
        response: { 201: z.object({ id: z.string(), size: z.number() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const file = await uploadedFile(req);
      return reply.status(201).send(await tx(req, (db, actor) => uploadTaskPhoto(db, actor, req.params.id, file)));
    },
  );
  app.get(
    '/planning/tasks/:id/photos/:photoId',
    { config: { access: 'planning:read' }, schema: { tags, summary: 'A problem photo', params: z.object({ id: z.uuid(), photoId: z.uuid() }) } },
    async (req, reply) => {
      const p = await getTaskPhoto(ctx.db, req.params.id, req.params.photoId);
      return reply.header('content-type', p.contentType).send(p.data);
    },
  );
};
