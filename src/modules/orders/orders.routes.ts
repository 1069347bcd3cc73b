import type { FastifyInstance } from 'fastify';
import { codeLabel } from '../../platform/i18n/codes.js';
import { acceptUploads } from '../../platform/http/uploads.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, tx } from '../../platform/http/context.js';
import { sendXlsx, toXlsx } from '../../platform/http/excel.js';
import { idParam, pageOf } from '../../platform/http/list.js';
import { businessDay, errorResponses, safeString } from '../../platform/http/schemas.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { pick } from '../../platform/i18n/locale.js';
import { failImport, getImportJob, importReportXlsx, importTemplate, listImportJobs, parseImport, runImport, startImport } from './import.service.js';
import { conversionReport, convertInquiry, createInquiry, getInquiry, listInquiries, loseInquiry, quoteInquiry, updateInquiry } from './inquiries.service.js';
import { OrderErrors } from './orders.errors.js';
import {
  amendOrderBody,
  conversionQuery,
  conversionSchema,
  convertInquiryBody,
  createInquiryBody,
  createOrderBody,
  importJobSchema,
  inquiryListQuery,
  inquirySchema,
  noteBody,
  orderDetailSchema,
  orderListQuery,
  orderSchema,
  queueItemSchema,
  queueQuery,
  reasonBody,
  updateInquiryBody,
} from './orders.schemas.js';
import {
  amendOrder,
  approveOrder,
  cancelOrder,
  createAndSubmit,
  createOrder,
  getOrder,
  listOrders,
  placeOrder,
  rejectOrder,
  reviewQueue,
  searchProductsForOrder,
  submitOrder,
} from './orders.service.js';
import { REASON_TEXT } from './review.rules.js';
import { competencyGate } from '../training/index.js';

const STATUS_TEXT: Record<string, { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'Draft' },
  needs_confirmation: { zh: '待确认', en: 'Needs confirmation' },
  submitted: { zh: '已提交', en: 'Submitted' },
  in_review: { zh: '待审核', en: 'In review' },
  approved: { zh: '已审核', en: 'Approved' },
  rejected: { zh: '已驳回', en: 'Rejected' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  in_production: { zh: '生产中', en: 'In production' },
  ready: { zh: '待发货', en: 'Ready' },
  shipped: { zh: '已发货', en: 'Shipped' },
  delivered: { zh: '已送达', en: 'Delivered' },
  completed: { zh: '已完成', en: 'Completed' },
  open: { zh: '跟进中', en: 'Open' },
  quoted: { zh: '已报价', en: 'Quoted' },
  converted: { zh: '已转订单', en: 'Converted' },
  lost: { zh: '已流失', en: 'Lost' },
};
const yuan = (fen: number | null) => (fen === null ? null : fen / 100);

/** Inquiries, orders, the review queue and the Excel import. */
export const ordersRoutes: FastifyPluginAsyncZod = async (app) => {
  await acceptUploads(app as unknown as FastifyInstance);
  const { ctx } = app;
  const tags = ['orders'];

  // ---- orders
  app.get(
    '/orders',
    {
      config: { access: 'orders:read' },
      schema: { tags, summary: 'List orders (filters: status, customer, product, owner, channel, dates)', querystring: orderListQuery, response: { 200: pageOf(orderSchema) } },
    },
    async (req) => listOrders(ctx.db, actorOf(req), req.query),
  );
  app.get('/orders/export.xlsx', { config: { access: 'orders:read' }, schema: { tags, summary: 'Export orders to Excel', querystring: orderListQuery } }, async (req, reply) => {
    const page = await listOrders(ctx.db, actorOf(req), { ...req.query, page: 1, pageSize: 100_000 });
    const en = req.locale === 'en-US';
    const buf = await toXlsx(
      en ? 'Orders' : '订单',
      [
        { header: en ? 'Number' : '订单号', key: 'number', value: (o) => o.number },
        { header: en ? 'Customer code' : '客户编码', key: 'customerCode', value: (o) => o.customerCode },
        { header: en ? 'Customer' : '客户', key: 'customerName', value: (o) => o.customerName },
        { header: en ? 'Status' : '状态', key: 'status', value: (o) => pick(STATUS_TEXT[o.status] ?? { zh: o.status, en: o.status }, req.locale) },
        { header: en ? 'Delivery date' : '送达日期', key: 'deliveryDate', value: (o) => o.deliveryDate },
        { header: en ? 'Total (yuan)' : '金额(元)', key: 'total', value: (o) => yuan(o.totalFen) },
        { header: en ? 'Cold chain' : '冷链', key: 'coldChain', value: (o) => (o.coldChain ? (en ? 'yes' : '是') : en ? 'no' : '否') },
        { header: en ? 'Channel' : '渠道', key: 'channel', value: (o) => codeLabel('channel', o.channel, req.locale) },
        { header: en ? 'Sales owner' : '业务员', key: 'owner', value: (o) => o.salesOwnerName },
        { header: en ? 'Created' : '创建时间', key: 'createdAt', value: (o) => o.createdAt },
      ],
      page.items,
      { locale: req.locale },
    );
    return sendXlsx(reply, 'orders.xlsx', buf);
  });
  app.get(
    '/orders/review-queue',
    {
      config: { access: 'orders:review' },
      schema: { tags, summary: 'Orders waiting for review, with rule results, credit use and history', querystring: queueQuery, response: { 200: pageOf(queueItemSchema) } },
    },
    async (req) => reviewQueue(ctx.db, actorOf(req), req.query),
  );
  app.get(
    '/orders/review-queue/export.xlsx',
    { config: { access: 'orders:review' }, schema: { tags, summary: 'Export the review queue to Excel', querystring: queueQuery } },
    async (req, reply) => {
      const page = await reviewQueue(ctx.db, actorOf(req), { ...req.query, page: 1, pageSize: 5_000 });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Review queue' : '审核队列',
        [
          { header: en ? 'Number' : '订单号', key: 'number', value: (o) => o.number },
          { header: en ? 'Customer' : '客户', key: 'customerName', value: (o) => o.customerName },
          { header: en ? 'Total (yuan)' : '金额(元)', key: 'total', value: (o) => yuan(o.totalFen) },
          { header: en ? 'Credit used %' : '额度占用%', key: 'credit', value: (o) => o.credit.usedPercent },
          {
            header: en ? 'Findings' : '审核发现',
            key: 'findings',
            width: 60,
            value: (o) =>
              o.results
                .filter((r) => r.outcome !== 'pass')
                .map((r) => pick(REASON_TEXT[r.code] ?? { zh: r.code, en: r.code }, req.locale))
                .join('; '),
          },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'review-queue.xlsx', buf);
    },
  );

  app.get(
    '/orders/product-options',
    {
      config: { access: 'orders:create' },
      schema: {
        tags,
        summary: 'Product search for order entry: price per sellable unit for the customer, and stock available for the date',
        querystring: z.object({ q: safeString().trim().max(100).optional(), customerId: z.uuid().optional(), date: businessDay.optional() }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.string(),
                code: z.string(),
                name: z.string(),
                spec: z.string().nullable(),
                baseUnit: z.string(),
                coldChain: z.boolean(),
                units: z.array(z.object({ unit: z.string(), factorToBase: z.string(), unitPriceFen: z.number().nullable() })),
                available: z.string(),
                inSeason: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ items: await searchProductsForOrder(ctx.db, actorOf(req), req.query) }),
  );
  app.get('/orders/import/template.xlsx', { config: { access: 'orders:create' }, schema: { tags, summary: 'Excel template for importing orders' } }, async (_req, reply) =>
    sendXlsx(reply, 'order-import-template.xlsx', await importTemplate()),
  );
  app.get(
    '/orders/imports',
    { config: { access: 'orders:create' }, schema: { tags, summary: 'Recent import jobs', response: { 200: z.object({ items: z.array(importJobSchema) }) } } },
    async (req) => ({
      items: await listImportJobs(ctx.db, actorOf(req)),
    }),
  );
  app.post(
    '/orders/imports',
    {
      config: { access: 'orders:create' },
      schema: {
        tags,
        summary: 'Import orders from Excel (multipart: file, mode=draft|submit); returns the job to poll',
        consumes: ['multipart/form-data'],
        response: { 202: importJobSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      if (!req.isMultipart()) throw new DomainError(OrderErrors.IMPORT_FILE_REQUIRED, {}, [{ field: 'file', code: OrderErrors.IMPORT_FILE_REQUIRED }]);
      const part = await req.file();
      if (!part) throw new DomainError(OrderErrors.IMPORT_FILE_REQUIRED, {}, [{ field: 'file', code: OrderErrors.IMPORT_FILE_REQUIRED }]);
      const buf = await part.toBuffer();
      const modeField = part.fields.mode as { value?: unknown } | undefined;
      const mode = modeField?.value === 'submit' ? 'submit' : 'draft';
      const parsed = await parseImport(buf);
      const job = await tx(req, (db) => startImport(db, actor, { fileName: part.filename, hash: parsed.hash, total: parsed.rowCount, mode }));
      setImmediate(() => {
        runImport(ctx.db, actor, job.id, parsed.groups, mode).catch((err: unknown) => {
          req.log.error({ err }, 'order import failed');
          return failImport(ctx.db, job.id, err);
        });
      });
      return reply.status(202).send(job);
    },
  );
  app.get(
    '/orders/imports/:id',
    { config: { access: 'orders:create' }, schema: { tags, summary: 'Progress and per-row report of an import', params: idParam, response: { 200: importJobSchema } } },
    async (req) => getImportJob(ctx.db, actorOf(req), req.params.id),
  );
  app.get(
    '/orders/imports/:id/report.xlsx',
    { config: { access: 'orders:create' }, schema: { tags, summary: 'Per-row import report as Excel', params: idParam } },
    async (req, reply) => {
      const job = await getImportJob(ctx.db, actorOf(req), req.params.id);
      return sendXlsx(reply, 'order-import-report.xlsx', await importReportXlsx(job, req.locale));
    },
  );

  app.get(
    '/orders/:id',
    { config: { access: 'orders:read' }, schema: { tags, summary: 'One order with lines, review results and timeline', params: idParam, response: { 200: orderDetailSchema } } },
    async (req) => getOrder(ctx.db, actorOf(req), req.params.id),
  );
  app.post(
    '/orders',
    {
      config: { access: 'orders:create', idempotent: true },
      schema: {
        tags,
        summary: 'Create a draft order, or with `submit: true` create and submit it in one step (Idempotency-Key honoured)',
        body: createOrderBody,
        response: { 201: orderDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => {
      const { submit, ...input } = req.body;
      // With an Idempotency-Key the order commits with its answer (tx), so a retry after a crash replays it; without
      // one, placeOrder() may take the single-statement path.
      const detail = !submit
        ? await tx(req, (db, actor) => createOrder(db, actor, input))
        : req.idempotency
          ? await tx(req, (db, actor) => createAndSubmit(db, actor, input))
          : await placeOrder(ctx.db, actorOf(req), input);
      return reply.status(201).send(detail);
    },
  );
  app.patch(
    '/orders/:id',
    {
      config: { access: 'orders:create' },
      schema: {
        tags,
        summary: 'Amend an order before shipment; affected review rules run again',
        params: idParam,
        body: amendOrderBody,
        response: { 200: orderDetailSchema, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => amendOrder(db, actor, req.params.id, req.body)),
  );
  app.post(
    '/orders/:id/submit',
    {
      config: { access: 'orders:create' },
      schema: {
        tags,
        summary: 'Submit: completeness check, then the review engine (auto-approve or review queue)',
        params: idParam,
        response: { 200: orderDetailSchema, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => submitOrder(db, actor, req.params.id)),
  );
  app.post(
    '/orders/:id/approve',
    {
      config: { access: 'orders:review' },
      preValidation: competencyGate('orders:review'),
      schema: {
        tags,
        summary: 'Approve (optional note); reserves stock or returns to review',
        params: idParam,
        body: noteBody.optional(),
        response: { 200: orderDetailSchema, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => approveOrder(db, actor, req.params.id, req.body?.note ?? null)),
  );
  app.post(
    '/orders/:id/reject',
    {
      config: { access: 'orders:review' },
      preValidation: competencyGate('orders:review'),
      schema: {
        tags,
        summary: 'Reject with a reason; notifies the sales owner and the customer',
        params: idParam,
        body: reasonBody,
        response: { 200: orderDetailSchema, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => rejectOrder(db, actor, req.params.id, req.body.reason)),
  );
  app.post(
    '/orders/:id/cancel',
    {
      config: { access: 'orders:cancel' },
      schema: {
        tags,
        summary: 'Cancel before shipment with a reason; releases reservations',
        params: idParam,
        body: reasonBody,
        response: { 200: orderDetailSchema, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => cancelOrder(db, actor, req.params.id, req.body.reason)),
  );

  // ---- inquiries
  app.get(
    '/inquiries',
    { config: { access: 'inquiries:read' }, schema: { tags, summary: 'List inquiries', querystring: inquiryListQuery, response: { 200: pageOf(inquirySchema) } } },
    async (req) => listInquiries(ctx.db, actorOf(req), req.query),
  );
  app.get(
    '/inquiries/export.xlsx',
    { config: { access: 'inquiries:read' }, schema: { tags, summary: 'Export inquiries to Excel', querystring: inquiryListQuery } },
    async (req, reply) => {
      const page = await listInquiries(ctx.db, actorOf(req), { ...req.query, page: 1, pageSize: 100_000 });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Inquiries' : '询价',
        [
          { header: en ? 'Number' : '编号', key: 'number', value: (i) => i.number },
          { header: en ? 'Channel' : '渠道', key: 'channel', value: (i) => codeLabel('channel', i.channel, req.locale) },
          { header: en ? 'Customer / prospect' : '客户/潜在客户', key: 'who', value: (i) => i.customerName ?? i.prospectName },
          {
            header: en ? 'Needs' : '需求',
            key: 'needs',
            width: 50,
            value: (i) => i.needs.map((n) => [n.description, n.spec, n.quantity && `${n.quantity}${n.unit ?? ''}`, n.deliveryDate].filter(Boolean).join(' ')).join('; '),
          },
          { header: en ? 'Owner' : '负责人', key: 'owner', value: (i) => i.ownerName },
          { header: en ? 'Status' : '状态', key: 'status', value: (i) => pick(STATUS_TEXT[i.status] ?? { zh: i.status, en: i.status }, req.locale) },
          { header: en ? 'Lost reason' : '流失原因', key: 'lostReason', value: (i) => i.lostReason },
          { header: en ? 'Received' : '接收时间', key: 'receivedAt', value: (i) => i.receivedAt },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'inquiries.xlsx', buf);
    },
  );
  app.get(
    '/inquiries/conversion',
    {
      config: { access: 'inquiries:read' },
      schema: { tags, summary: 'Inquiry → order conversion by channel and by owner', querystring: conversionQuery, response: { 200: conversionSchema } },
    },
    async (req) => conversionReport(ctx.db, actorOf(req), req.query),
  );
  app.get('/inquiries/:id', { config: { access: 'inquiries:read' }, schema: { tags, summary: 'One inquiry', params: idParam, response: { 200: inquirySchema } } }, async (req) =>
    getInquiry(ctx.db, actorOf(req), req.params.id),
  );
  app.post(
    '/inquiries',
    {
      config: { access: 'inquiries:manage', idempotent: true },
      schema: { tags, summary: 'Record an inquiry', body: createInquiryBody, response: { 201: inquirySchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createInquiry(db, actor, req.body))),
  );
  app.patch(
    '/inquiries/:id',
    {
      config: { access: 'inquiries:manage' },
      schema: { tags, summary: 'Edit an open inquiry', params: idParam, body: updateInquiryBody, response: { 200: inquirySchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => updateInquiry(db, actor, req.params.id, req.body)),
  );
  app.post(
    '/inquiries/:id/quote',
    {
      config: { access: 'inquiries:manage' },
      schema: { tags, summary: 'Mark quoted', params: idParam, body: noteBody.optional(), response: { 200: inquirySchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => quoteInquiry(db, actor, req.params.id, req.body?.note ?? null)),
  );
  app.post(
    '/inquiries/:id/lose',
    {
      config: { access: 'inquiries:manage' },
      schema: { tags, summary: 'Close as lost with a reason', params: idParam, body: reasonBody, response: { 200: inquirySchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => loseInquiry(db, actor, req.params.id, req.body.reason)),
  );
  app.post(
    '/inquiries/:id/convert',
    {
      config: { access: 'orders:create' },
      schema: {
        tags,
        summary: 'Convert to a draft order in one step',
        params: idParam,
        body: convertInquiryBody.optional(),
        response: { 201: orderDetailSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => convertInquiry(db, actor, req.params.id, req.body ?? {}))),
  );
};
