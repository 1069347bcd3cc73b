import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, tx } from '../../platform/http/context.js';
import { sendXlsx, toXlsx } from '../../platform/http/excel.js';
import { idParam, listQuery, pageOf } from '../../platform/http/list.js';
import { errorResponses, safeString } from '../../platform/http/schemas.js';
import { pick } from '../../platform/i18n/locale.js';
import {
  addExceptionAction,
  changeExceptionStatus,
  completeExceptionAction,
  createException,
  escalateException,
  exceptionBoard,
  getException,
  listAssignees,
  listExceptions,
  SEVERITY_NAMES,
  STATUS_NAMES,
  TYPE_NAMES,
  type ExceptionFilter,
} from './exceptions.service.js';
import {
  escalateBody,
  exceptionActionBody,
  exceptionBoardSchema,
  exceptionBody,
  exceptionDetail,
  exceptionListQuery,
  exceptionStatusBody,
  exceptionSummary,
  timelineSchema,
  feedbackAnalysis,
  feedbackBody,
  feedbackCloseBody,
  feedbackListQuery,
  feedbackReplyBody,
  feedbackSchema,
} from './tracking.schemas.js';
import { orderTimeline } from './timeline.service.js';
import { CATEGORY_NAMES, closeFeedback, createFeedback, FEEDBACK_STATUS_NAMES, feedbackByCategory, getFeedback, listFeedback, replyFeedback } from './feedback.service.js';

const tags = ['tracking'];
const EXPORT_ROWS = 100_000;
const subParam = z.object({ id: z.uuid(), actionId: z.uuid() });

function filterOf(q: z.infer<typeof exceptionListQuery>): ExceptionFilter {
  const { status, severity, type, ...rest } = q;
  return { ...rest, status: status ? [status] : undefined, severity: severity ? [severity] : undefined, type: type ? [type] : undefined };
}

/** Order tracking: exceptions (R5.2) and the order timeline. */
export const trackingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.get(
    '/tracking/assignees',
    {
      config: { access: 'exceptions:read' },
      schema: {
        tags,
        summary: 'Active staff to own or receive an exception or feedback (with their roles)',
        querystring: listQuery.extend({ role: safeString().max(30).optional() }),
        response: { 200: pageOf(z.object({ id: z.string(), username: z.string(), displayName: z.string(), roles: z.array(z.string()) })) },
      },
    },
    async (req) => listAssignees(ctx.db, req.query),
  );
  app.get(
    '/tracking/exceptions',
    { config: { access: 'exceptions:read' }, schema: { tags, summary: 'List exceptions', querystring: exceptionListQuery, response: { 200: pageOf(exceptionSummary) } } },
    async (req) => listExceptions(ctx.db, actorOf(req), filterOf(req.query)),
  );
  app.get(
    '/tracking/exceptions/board',
    { config: { access: 'exceptions:read' }, schema: { tags, summary: 'Exceptions by status and severity (count, overdue, oldest)', response: { 200: exceptionBoardSchema } } },
    async (req) => exceptionBoard(ctx.db, actorOf(req)),
  );
  app.get(
    '/tracking/exceptions/export.xlsx',
    { config: { access: 'exceptions:read' }, schema: { tags, summary: 'Export exceptions to Excel', querystring: exceptionListQuery } },
    async (req, reply) => {
      const page = await listExceptions(ctx.db, actorOf(req), { ...filterOf(req.query), page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Exceptions' : '异常',
        [
          { header: en ? 'Number' : '编号', key: 'number', value: (x) => x.number },
          { header: en ? 'Type' : '类型', key: 'type', value: (x) => pick(TYPE_NAMES[x.type], req.locale) },
          { header: en ? 'Severity' : '严重程度', key: 'severity', value: (x) => pick(SEVERITY_NAMES[x.severity], req.locale) },
          { header: en ? 'Status' : '状态', key: 'status', value: (x) => pick(STATUS_NAMES[x.status], req.locale) },
          { header: en ? 'Title' : '标题', key: 'title', value: (x) => x.title },
          { header: en ? 'Owner' : '负责人', key: 'ownerName', value: (x) => x.ownerName },
          { header: en ? 'Response due' : '响应期限', key: 'responseDueAt', value: (x) => x.responseDueAt },
          { header: en ? 'Resolution due' : '解决期限', key: 'resolutionDueAt', value: (x) => x.resolutionDueAt },
          { header: en ? 'Escalation level' : '升级级别', key: 'escalationLevel', value: (x) => x.escalationLevel },
          { header: en ? 'Opened' : '创建时间', key: 'createdAt', value: (x) => x.createdAt },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'exceptions.xlsx', buf);
    },
  );
  app.get(
    '/tracking/exceptions/:id',
    {
      config: { access: 'exceptions:read' },
      schema: { tags, summary: 'One exception with its actions and age in working hours', params: idParam, response: { 200: exceptionDetail } },
    },
    async (req) => getException(ctx.db, actorOf(req), req.params.id),
  );
  app.post(
    '/tracking/exceptions',
    {
      config: { access: 'exceptions:manage', idempotent: true },
      schema: { tags, summary: 'Open an exception by hand', body: exceptionBody, response: { 201: exceptionDetail, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createException(db, actor, req.body))),
  );
  for (const event of ['respond', 'resolve', 'reopen', 'close'] as const) {
    app.post(
      `/tracking/exceptions/:id/${event}`,
      {
        config: { access: 'exceptions:manage' },
        schema: { tags, summary: `Exception status: ${event}`, params: idParam, body: exceptionStatusBody, response: { 200: exceptionDetail, ...errorResponses } },
      },
      async (req) => tx(req, (db, actor) => changeExceptionStatus(db, actor, req.params.id, event, req.body)),
    );
  }
  app.post(
    '/tracking/exceptions/:id/escalate',
    {
      config: { access: 'exceptions:manage' },
      schema: {
        tags,
        summary: 'Escalate to a named user holding the next level’s role',
        params: idParam,
        body: escalateBody,
        response: { 200: exceptionDetail, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => escalateException(db, actor, req.params.id, req.body)),
  );
  app.post(
    '/tracking/exceptions/:id/actions',
    {
      config: { access: 'exceptions:manage' },
      schema: { tags, summary: 'Add an action to the response plan', params: idParam, body: exceptionActionBody, response: { 200: exceptionDetail, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => addExceptionAction(db, actor, req.params.id, req.body)),
  );
  app.post(
    '/tracking/exceptions/:id/actions/:actionId/done',
    { config: { access: 'exceptions:manage' }, schema: { tags, summary: 'Mark an action done', params: subParam, response: { 200: exceptionDetail, ...errorResponses } } },
    async (req) => tx(req, (db, actor) => completeExceptionAction(db, actor, req.params.id, req.params.actionId)),
  );

  app.get(
    '/tracking/orders/:id/timeline',
    {
      config: { access: 'orders:read' },
      schema: {
        tags,
        summary: 'An order’s timeline (history, picking, shipping, exceptions) in Asia/Shanghai time',
        params: idParam,
        response: { 200: timelineSchema, ...errorResponses },
      },
    },
    async (req) => orderTimeline(ctx.db, actorOf(req), req.params.id),
  );

  app.get(
    '/tracking/feedback',
    { config: { access: 'feedback:read' }, schema: { tags, summary: 'List customer feedback', querystring: feedbackListQuery, response: { 200: pageOf(feedbackSchema) } } },
    async (req) => listFeedback(ctx.db, actorOf(req), req.query),
  );
  app.get(
    '/tracking/feedback/analysis',
    {
      config: { access: 'feedback:read' },
      schema: { tags, summary: 'Feedback counts by category over the filter (customer, product, period)', querystring: feedbackListQuery, response: { 200: feedbackAnalysis } },
    },
    async (req) => ({ items: await feedbackByCategory(ctx.db, actorOf(req), req.query) }),
  );
  app.get(
    '/tracking/feedback/export.xlsx',
    { config: { access: 'feedback:read' }, schema: { tags, summary: 'Export customer feedback to Excel', querystring: feedbackListQuery } },
    async (req, reply) => {
      const page = await listFeedback(ctx.db, actorOf(req), { ...req.query, page: 1, pageSize: EXPORT_ROWS });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Feedback' : '客户反馈',
        [
          { header: en ? 'Number' : '编号', key: 'number', value: (x) => x.number },
          { header: en ? 'Category' : '类别', key: 'category', value: (x) => pick(CATEGORY_NAMES[x.category], req.locale) },
          { header: en ? 'Status' : '状态', key: 'status', value: (x) => pick(FEEDBACK_STATUS_NAMES[x.status], req.locale) },
          { header: en ? 'Customer' : '客户', key: 'customerName', value: (x) => x.customerName },
          { header: en ? 'Rating' : '评分', key: 'rating', value: (x) => x.rating },
          { header: en ? 'Content' : '内容', key: 'content', value: (x) => x.content },
          { header: en ? 'Owner' : '负责人', key: 'ownerName', value: (x) => x.ownerName },
          { header: en ? 'Reply due' : '回复期限', key: 'replyDueAt', value: (x) => x.replyDueAt },
          { header: en ? 'Reply' : '回复', key: 'reply', value: (x) => x.reply },
          { header: en ? 'Replied' : '回复时间', key: 'repliedAt', value: (x) => x.repliedAt },
          { header: en ? 'Entered' : '登记时间', key: 'createdAt', value: (x) => x.createdAt },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'feedback.xlsx', buf);
    },
  );
  app.get(
    '/tracking/feedback/:id',
    { config: { access: 'feedback:read' }, schema: { tags, summary: 'One feedback', params: idParam, response: { 200: feedbackSchema } } },
    async (req) => getFeedback(ctx.db, actorOf(req), req.params.id),
  );
  app.post(
    '/tracking/feedback',
    {
      config: { access: 'feedback:manage', idempotent: true },
      schema: { tags, summary: 'Record customer feedback', body: feedbackBody, response: { 201: feedbackSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createFeedback(db, actor, req.body))),
  );
  app.post(
    '/tracking/feedback/:id/reply',
    {
      config: { access: 'feedback:manage' },
      schema: { tags, summary: 'Record the reply and send it to the customer', params: idParam, body: feedbackReplyBody, response: { 200: feedbackSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => replyFeedback(db, actor, req.params.id, req.body)),
  );
  app.post(
    '/tracking/feedback/:id/close',
    {
      config: { access: 'feedback:manage' },
      schema: { tags, summary: 'Close feedback', params: idParam, body: feedbackCloseBody, response: { 200: feedbackSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => closeFeedback(db, actor, req.params.id, req.body.reason ?? null)),
  );
};
