import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { codeLabel } from '../../platform/i18n/codes.js';
import { can } from '../../platform/auth/actor.js';
import { actorOf, tx } from '../../platform/http/context.js';
import { sendXlsx, toXlsx } from '../../platform/http/excel.js';
import { idParam, listQuery, pageOf } from '../../platform/http/list.js';
import { errorResponses } from '../../platform/http/schemas.js';
import { declareEventError, listTraceEvents } from './events.service.js';
import { epcisDocument, fsmaCsv, fsmaRows, fsmaXlsx, publicTrace } from './exports.service.js';
import { backwardTrace, createProcessingRun, forwardTrace, getProcessingRun, listProcessingRuns } from './genealogy.service.js';
import { buildLabel, certificatePdf, getCertificate, issueCertificate, labelPdf, listCertificates } from './labels.service.js';
import { createRecall, executeRecall, getRecall, listRecalls, recallImpact, recallReportPdf, recallReportXlsx } from './recall.service.js';
import {
  lotParam,
  eventQuery,
  rangeQuery,
  runSchema,
  runViewSchema,
  recallSchema,
  certSchema,
  labelBody,
  anyJson,
  postEventsErrorDeclarationBody,
  postProcessingRunsBody,
  postRecallsPreviewBody,
  postRecallsBody,
  postCertificatesBody,
  getEpcisQuery,
  traceEventSchema,
  declaredErrorSchema,
  certificateQuery,
  publicCodeParam,
} from './trace.schemas.js';

const T = ['trace'];
const dayStart = (d: string) => new Date(`${d}T00:00:00+08:00`);
const dayEnd = (d: string) => new Date(`${d}T23:59:59.999+08:00`);
const pdf = (reply: import('fastify').FastifyReply, name: string, buf: Buffer) =>
  reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`)
    .send(buf);

/** Trace events, processing genealogy, traces, recalls, labels, certificates, EPCIS/FSMA exports and the public trace API. */
export const traceRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  // ---- events
  app.get(
    '/trace/events',
    {
      config: { access: 'trace:read' },
      schema: {
        tags: T,
        summary: 'Trace events (append-only, EPCIS-shaped)',
        querystring: eventQuery,
        response: {
          200: pageOf(traceEventSchema),
        },
      },
    },
    async (req) => listTraceEvents(ctx.db, req.query),
  );
  app.get(
    '/trace/events/export.xlsx',
    { config: { access: 'trace:read' }, schema: { tags: T, summary: 'Export trace events to Excel', querystring: eventQuery } },
    async (req, reply) => {
      const page = await listTraceEvents(ctx.db, { ...req.query, page: 1, pageSize: 100_000 });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Trace events' : '追溯事件',
        [
          { header: en ? 'Event ID' : '事件编号', key: 'eventId', value: (r) => r.eventId },
          { header: en ? 'Event time' : '事件时间', key: 'eventTime', value: (r) => r.eventTime },
          { header: en ? 'Type' : '类型', key: 'eventType', value: (r) => codeLabel('traceEventType', r.eventType, req.locale) },
          { header: en ? 'Business step' : '业务环节', key: 'bizStep', value: (r) => codeLabel('bizStep', r.bizStep, req.locale) },
          { header: en ? 'Disposition' : '状态', key: 'disposition', value: (r) => codeLabel('epcisDisposition', r.disposition, req.locale) },
          { header: en ? 'Corrects event' : '更正的事件', key: 'corrects', value: (r) => r.correctsEventId },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'trace-events.xlsx', buf);
    },
  );
  app.post(
    '/trace/events/:id/error-declaration',
    {
      config: { access: 'trace:recall' },
      schema: {
        tags: T,
        summary: 'Declare an event erroneous (a new event with errorDeclaration; nothing is changed)',
        params: idParam,
        body: postEventsErrorDeclarationBody,
        response: { 201: declaredErrorSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => declareEventError(db, actor, req.params.id, req.body.reason))),
  );

  // ---- processing runs
  app.get(
    '/trace/processing-runs',
    { config: { access: 'trace:read' }, schema: { tags: T, summary: 'List processing runs', querystring: listQuery, response: { 200: pageOf(runSchema) } } },
    async (req) => listProcessingRuns(ctx.db, req.query),
  );
  app.get(
    '/trace/processing-runs/export.xlsx',
    { config: { access: 'trace:read' }, schema: { tags: T, summary: 'Export processing runs', querystring: listQuery } },
    async (req, reply) => {
      const page = await listProcessingRuns(ctx.db, { ...req.query, page: 1, pageSize: 100_000 });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Processing runs' : '加工作业',
        [
          { header: en ? 'Number' : '编号', key: 'number', value: (r) => r.number },
          { header: en ? 'Kind' : '工序', key: 'kind', value: (r) => codeLabel('processKind', r.kind, req.locale) },
          { header: en ? 'Date' : '日期', key: 'runOn', value: (r) => r.runOn },
          { header: en ? 'Input' : '投入', key: 'in', value: (r) => r.inputTotal },
          { header: en ? 'Output' : '产出', key: 'out', value: (r) => r.outputTotal },
          { header: en ? 'Loss' : '损耗', key: 'loss', value: (r) => r.lossTotal },
          { header: en ? 'Yield' : '得率', key: 'yield', value: (r) => r.yieldRatio },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'processing-runs.xlsx', buf);
    },
  );
  app.get(
    '/trace/processing-runs/:id',
    { config: { access: 'trace:read' }, schema: { tags: T, summary: 'One processing run with its lines', params: idParam, response: { 200: runViewSchema } } },
    async (req) => getProcessingRun(ctx.db, req.params.id),
  );
  app.post(
    '/trace/processing-runs',
    {
      config: { access: 'processing:manage', idempotent: true },
      schema: {
        tags: T,
        summary: 'Run processing: released input lots → new output lots (genealogy, yield, loss)',
        body: postProcessingRunsBody,
        response: { 201: runViewSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createProcessingRun(db, actor, req.body))),
  );

  // ---- traces
  app.get(
    '/trace/lots/:lotId/backward',
    {
      config: { access: 'trace:read' },
      schema: { tags: T, summary: 'Backward trace: input lots, harvests, fields, inputs, source checks', params: lotParam, response: { 200: anyJson, ...errorResponses } },
    },
    async (req) => backwardTrace(ctx.db, req.params.lotId),
  );
  app.get(
    '/trace/lots/:lotId/forward',
    {
      config: { access: 'trace:read' },
      schema: { tags: T, summary: 'Forward trace: derived lots, stock, orders, customers', params: lotParam, response: { 200: anyJson, ...errorResponses } },
    },
    async (req) => forwardTrace(ctx.db, req.params.lotId, { showPii: can(actorOf(req), 'pii:read') }),
  );

  // ---- recalls
  app.post(
    '/trace/recalls/preview',
    {
      config: { access: 'trace:read' },
      schema: { tags: T, summary: 'Compute a recall impact without acting', body: postRecallsPreviewBody, response: { 200: anyJson, ...errorResponses } },
    },
    async (req) => recallImpact(ctx.db, req.body.scope, { showPii: can(actorOf(req), 'pii:read') }),
  );
  app.get(
    '/trace/recalls',
    { config: { access: 'trace:read' }, schema: { tags: T, summary: 'List recalls', querystring: listQuery, response: { 200: pageOf(recallSchema) } } },
    async (req) => listRecalls(ctx.db, req.query),
  );
  app.get('/trace/recalls/export.xlsx', { config: { access: 'trace:read' }, schema: { tags: T, summary: 'Export recalls', querystring: listQuery } }, async (req, reply) => {
    const page = await listRecalls(ctx.db, { page: 1, pageSize: 100_000 });
    const en = req.locale === 'en-US';
    const buf = await toXlsx(
      en ? 'Recalls' : '召回',
      [
        { header: en ? 'Number' : '编号', key: 'number', value: (r) => r.number },
        { header: en ? 'Reason' : '原因', key: 'reason', value: (r) => r.reason },
        { header: en ? 'Status' : '状态', key: 'status', value: (r) => codeLabel('recallStatus', r.status, req.locale) },
        { header: en ? 'Drill' : '演练', key: 'drill', value: (r) => (r.drill ? (en ? 'yes' : '是') : en ? 'no' : '否') },
        { header: en ? 'Created' : '创建时间', key: 'createdAt', value: (r) => r.createdAt },
      ],
      page.items,
      { locale: req.locale },
    );
    void req;
    return sendXlsx(reply, 'recalls.xlsx', buf);
  });
  app.get('/trace/recalls/:id', { config: { access: 'trace:read' }, schema: { tags: T, summary: 'One recall', params: idParam, response: { 200: recallSchema } } }, async (req) =>
    getRecall(ctx.db, req.params.id),
  );
  app.post(
    '/trace/recalls',
    {
      config: { access: 'trace:recall', idempotent: true },
      schema: {
        tags: T,
        summary: 'Open a recall (execute: true holds all affected stock and queues customer notices)',
        body: postRecallsBody,
        response: { 201: recallSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createRecall(db, actor, req.body))),
  );
  app.post(
    '/trace/recalls/:id/execute',
    {
      config: { access: 'trace:recall' },
      schema: { tags: T, summary: 'Hold all affected stock and queue customer notices', params: idParam, response: { 200: recallSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => executeRecall(db, actor, req.params.id)),
  );
  app.get('/trace/recalls/:id/report.xlsx', { config: { access: 'trace:read' }, schema: { tags: T, summary: 'Recall report (Excel)', params: idParam } }, async (req, reply) =>
    sendXlsx(reply, `recall-${req.params.id}.xlsx`, await recallReportXlsx(ctx.db, actorOf(req), req.params.id)),
  );
  app.get('/trace/recalls/:id/report.pdf', { config: { access: 'trace:read' }, schema: { tags: T, summary: 'Recall report (PDF)', params: idParam } }, async (req, reply) =>
    pdf(reply, `recall-${req.params.id}.pdf`, await recallReportPdf(ctx.db, actorOf(req), req.params.id)),
  );

  // ---- labels & certificates
  app.post(
    '/trace/labels/preview',
    {
      config: { access: 'labels:print' },
      schema: { tags: T, summary: 'Label content for a lot (required fields validated)', body: labelBody, response: { 200: anyJson, ...errorResponses } },
    },
    async (req) => tx(req, (db) => buildLabel(db, req.body)),
  );
  app.post(
    '/trace/labels/pdf',
    { config: { access: 'labels:print' }, schema: { tags: T, summary: 'Printable label PDF (GS1-128 + GS1 Digital Link QR)', body: labelBody, response: { ...errorResponses } } },
    async (req, reply) => {
      const data = await tx(req, (db) => buildLabel(db, req.body));
      return pdf(reply, `label-${data.lotCode}.pdf`, await labelPdf(data, req.body.copies ?? 1, req.locale === 'en-US'));
    },
  );
  app.get(
    '/trace/certificates',
    {
      config: { access: 'trace:read' },
      schema: { tags: T, summary: 'List 承诺达标合格证', querystring: certificateQuery, response: { 200: pageOf(certSchema) } },
    },
    async (req) => listCertificates(ctx.db, req.query),
  );
  app.get(
    '/trace/certificates/export.xlsx',
    { config: { access: 'trace:read' }, schema: { tags: T, summary: 'Export certificates', querystring: certificateQuery } },
    async (req, reply) => {
      const page = await listCertificates(ctx.db, { ...req.query, page: 1, pageSize: 100_000 });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Certificates' : '合格证',
        [
          { header: en ? 'Number' : '编号', key: 'number', value: (r) => r.number },
          { header: en ? 'Product' : '产品名称', key: 'productName', value: (r) => r.productName },
          { header: en ? 'Quantity' : '数量', key: 'quantity', value: (r) => `${r.quantity} ${r.unit}` },
          { header: en ? 'Origin' : '产地', key: 'origin', value: (r) => r.origin },
          { header: en ? 'Issued by' : '开具人', key: 'issuer', value: (r) => r.issuerName },
          { header: en ? 'Issued on' : '开具日期', key: 'issuedOn', value: (r) => r.issuedOn },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'certificates.xlsx', buf);
    },
  );
  app.post(
    '/trace/certificates',
    {
      config: { access: 'labels:print', idempotent: true },
      schema: {
        tags: T,
        summary: 'Issue a 承诺达标合格证 for a batch',
        body: postCertificatesBody,
        response: { 201: certSchema, ...errorResponses },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => issueCertificate(db, actor, req.body))),
  );
  app.get('/trace/certificates/:id/pdf', { config: { access: 'labels:print' }, schema: { tags: T, summary: 'Print a certificate (PDF)', params: idParam } }, async (req, reply) => {
    const cert = await getCertificate(ctx.db, req.params.id);
    return pdf(reply, `${cert.number}.pdf`, await certificatePdf(cert));
  });

  // ---- exports
  app.get(
    '/trace/epcis',
    {
      config: { access: 'trace:read' },
      schema: {
        tags: T,
        summary: 'EPCIS 2.0 JSON-LD document for a lot or a date range',
        querystring: getEpcisQuery,
      },
    },
    async (req, reply) => {
      const doc = await epcisDocument(ctx.db, {
        lotId: req.query.lotId,
        from: req.query.from ? dayStart(req.query.from) : undefined,
        to: req.query.to ? dayEnd(req.query.to) : undefined,
      });
      return reply.header('content-type', 'application/ld+json').send(JSON.stringify(doc));
    },
  );
  app.get(
    '/trace/fsma204.csv',
    { config: { access: 'trace:read' }, schema: { tags: T, summary: 'FSMA 204 sortable spreadsheet (CSV) for a date range', querystring: rangeQuery } },
    async (req, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="fsma204.csv"')
        .send(fsmaCsv(await fsmaRows(ctx.db, dayStart(req.query.from), dayEnd(req.query.to), { pii: can(actorOf(req), 'pii:read') }))),
  );
  app.get(
    '/trace/fsma204.xlsx',
    { config: { access: 'trace:read' }, schema: { tags: T, summary: 'FSMA 204 sortable spreadsheet (Excel) for a date range', querystring: rangeQuery } },
    async (req, reply) =>
      sendXlsx(reply, 'fsma204.xlsx', await fsmaXlsx(await fsmaRows(ctx.db, dayStart(req.query.from), dayEnd(req.query.to), { pii: can(actorOf(req), 'pii:read') }))),
  );

  // ---- public trace (no login)
  app.get(
    '/public/trace/:code',
    {
      config: { access: 'public' },
      schema: {
        tags: T,
        summary: 'Public trace page data (no personal or commercial data)',
        params: publicCodeParam,
        response: { 200: anyJson, 404: errorResponses[404] },
      },
    },
    async (req) => publicTrace(ctx.db, req.params.code),
  );
};
