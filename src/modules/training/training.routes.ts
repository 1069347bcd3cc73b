import bwipjs from 'bwip-js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../platform/auth/actor.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { actorOf, tx } from '../../platform/http/context.js';
import { sendXlsx, toXlsx, type Column } from '../../platform/http/excel.js';
import { idParam, pageOf, type Page } from '../../platform/http/list.js';
import { errorResponses, okEmpty } from '../../platform/http/schemas.js';
import { acceptUploads } from '../../platform/http/uploads.js';
import type { Locale } from '../../platform/i18n/locale.js';
import { notifyUsers } from '../../platform/notifications/notifications.service.js';
import type { RouteAccess } from '../../platform/http/context.js';
import { historyOf } from '../../platform/state-machine.js';
import { TrainingErrors } from './training.errors.js';
import * as s from './training.schemas.js';
import * as svc from './training.service.js';

const tags = ['training'];
const EXPORT_ROWS = 100_000;
const subParam = z.object({ id: z.uuid(), subId: z.uuid() });
const fileParam = z.object({ id: z.uuid(), fileId: z.uuid() });

type L = { zh: string; en: string };
const TOPICS: Record<string, L> = {
  product_knowledge: { zh: '农产品知识', en: 'Product knowledge' },
  quality_standards: { zh: '质量标准', en: 'Quality standards' },
  order_process: { zh: '订单流程', en: 'Order process' },
  operating_rules: { zh: '操作规范', en: 'Operating rules' },
  customer_service: { zh: '客户服务', en: 'Customer service' },
};
const RESULTS: Record<string, L> = { excellent: { zh: '优秀', en: 'Excellent' }, pass: { zh: '合格', en: 'Pass' }, fail: { zh: '不合格', en: 'Fail' } };
const STATUS: Record<string, L> = {
  draft: { zh: '草稿', en: 'Draft' },
  active: { zh: '执行中', en: 'Active' },
  closed: { zh: '已关闭', en: 'Closed' },
  scheduled: { zh: '已安排', en: 'Scheduled' },
  completed: { zh: '已完成', en: 'Completed' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  in_progress: { zh: '答题中', en: 'In progress' },
  marking: { zh: '待阅卷', en: 'Marking' },
  graded: { zh: '已评分', en: 'Graded' },
  open: { zh: '待完成', en: 'Open' },
  done: { zh: '已通过', en: 'Passed' },
  failed: { zh: '未通过', en: 'Failed' },
  valid: { zh: '有效', en: 'Valid' },
  revoked: { zh: '已吊销', en: 'Revoked' },
};
const KINDS: Record<string, L> = {
  internal: { zh: '内部培训', en: 'Internal' },
  external: { zh: '外部培训', en: 'External' },
  online: { zh: '在线学习', en: 'Online' },
  field_visit: { zh: '实地考察', en: 'Field visit' },
  single: { zh: '单选', en: 'Single choice' },
  multiple: { zh: '多选', en: 'Multiple choice' },
  true_false: { zh: '判断', en: 'True/false' },
  short: { zh: '简答', en: 'Short answer' },
  retest: { zh: '补考', en: 'Re-test' },
  remedial: { zh: '辅导培训', en: 'Remedial training' },
  practical: { zh: '实操考核', en: 'Practical check' },
  performance: { zh: '业绩评估', en: 'Performance review' },
};
const name = (m: Record<string, L>, k: string | null | undefined, en: boolean): string => (k ? (m[k] ? (en ? m[k].en : m[k].zh) : k) : '');

async function uploadedFile(req: FastifyRequest): Promise<{ filename: string; contentType: string; data: Buffer }> {
  if (!req.isMultipart()) throw new DomainError(TrainingErrors.TRAINING_FILE_REQUIRED, {}, [{ field: 'file', code: 'FIELD_REQUIRED' }]);
  const part = await req.file();
  if (!part) throw new DomainError(TrainingErrors.TRAINING_FILE_REQUIRED, {}, [{ field: 'file', code: 'FIELD_REQUIRED' }]);
  return { filename: part.filename, contentType: part.mimetype, data: await part.toBuffer() };
}

const historySchema = z.object({
  items: z.array(z.object({ fromState: z.string().nullable(), toState: z.string(), event: z.string(), actorName: z.string(), reason: z.string().nullable(), at: z.date() })),
});

/** Training (R8): plans, sessions and attendance, question bank and exams, assessments, re-tests, certificates, reports. */
export const trainingRoutes: FastifyPluginAsyncZod = async (app) => {
  await acceptUploads(app as unknown as FastifyInstance);
  const { ctx } = app;
  const notify = notifyUsers;

  /** A list route and its Excel export of the same query (`<path>/export.xlsx`). */
  function list<Q extends z.ZodType<{ page: number; pageSize: number }>, T>(
    path: string,
    access: RouteAccess,
    summary: string,
    query: Q,
    item: z.ZodType,
    load: (q: z.infer<Q>, req: FastifyRequest) => Promise<Page<T>>,
    sheet: L,
    columns: (en: boolean) => Column<T>[],
  ): void {
    app.get(path, { config: { access }, schema: { tags, summary, querystring: query, response: { 200: pageOf(item) } } }, async (req) => load(req.query as z.infer<Q>, req));
    app.get(`${path}/export.xlsx`, { config: { access }, schema: { tags, summary: `${summary} (Excel)`, querystring: query } }, async (req, reply) => {
      const page = await load({ ...(req.query as z.infer<Q>), page: 1, pageSize: EXPORT_ROWS }, req);
      const en = (req.locale as Locale) === 'en-US';
      const file = path.split('/').filter(Boolean).join('-');
      return sendXlsx(reply, `${file}.xlsx`, await toXlsx(en ? sheet.en : sheet.zh, columns(en), page.items));
    });
  }
  const history = (path: string, access: RouteAccess, entity: string) =>
    app.get(path, { config: { access }, schema: { tags, summary: `Status history of a ${entity}`, params: idParam, response: { 200: historySchema } } }, async (req) => {
      const rows = await historyOf(ctx.db, entity, req.params.id);
      return { items: rows.map((r) => ({ fromState: r.fromState, toState: r.toState, event: r.event, actorName: r.actorName, reason: r.reason, at: r.at })) };
    });

  // ---- staff departments
  list(
    '/training/staff',
    'training:read',
    'Staff with their department and valid certificates',
    s.staffListQuery,
    s.staffSchema,
    (q) => svc.listStaff(ctx.db, q),
    { zh: '员工', en: 'Staff' },
    (en) => [
      { header: en ? 'Username' : '用户名', key: 'username', value: (r) => r.username },
      { header: en ? 'Name' : '姓名', key: 'displayName', value: (r) => r.displayName },
      { header: en ? 'Roles' : '角色', key: 'roles', value: (r) => r.roles.join(', ') },
      { header: en ? 'Department' : '部门', key: 'department', value: (r) => r.department },
      { header: en ? 'Valid certificates' : '有效证书', key: 'validCertificates', value: (r) => r.validCertificates },
    ],
  );
  app.put(
    '/training/staff/:id/department',
    {
      config: { access: 'training:manage' },
      schema: {
        tags,
        summary: 'Set the department of a staff member',
        params: idParam,
        body: s.departmentBody,
        response: { 200: z.object({ userId: z.string(), department: z.string() }), ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => svc.setDepartment(db, actor, req.params.id, req.body.department)),
  );

  // ---- plans
  list(
    '/training/plans',
    'training:read',
    'List annual training plans',
    s.planListQuery,
    s.planSchema,
    (q) => svc.listPlans(ctx.db, q),
    { zh: '培训计划', en: 'Training plans' },
    (en) => [
      { header: en ? 'Code' : '编号', key: 'code', value: (p) => p.code },
      { header: en ? 'Year' : '年度', key: 'year', value: (p) => p.year },
      { header: en ? 'Title' : '名称', key: 'title', value: (p) => p.title },
      { header: en ? 'Role' : '岗位', key: 'role', value: (p) => p.role },
      { header: en ? 'Department' : '部门', key: 'department', value: (p) => p.department },
      { header: en ? 'Topics' : '内容', key: 'topics', value: (p) => p.topics.map((t) => name(TOPICS, t, en)).join(', ') },
      { header: en ? 'Courses' : '课程数', key: 'courseCount', value: (p) => p.courseCount },
      { header: en ? 'Hours' : '学时', key: 'hours', value: (p) => p.totalMinutes / 60 },
      { header: en ? 'Next target date' : '最近完成期限', key: 'nextTargetDate', value: (p) => p.nextTargetDate },
      { header: en ? 'Status' : '状态', key: 'status', value: (p) => name(STATUS, p.status, en) },
    ],
  );
  app.get(
    '/training/plans/:id',
    { config: { access: 'training:read' }, schema: { tags, summary: 'A plan with its courses', params: idParam, response: { 200: s.planDetailSchema } } },
    async (req) => svc.getPlan(ctx.db, req.params.id),
  );
  history('/training/plans/:id/history', 'training:read', 'training_plan');
  app.post(
    '/training/plans',
    {
      config: { access: 'training:manage', idempotent: true },
      schema: { tags, summary: 'Create a plan', body: s.planBody, response: { 201: s.planDetailSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => svc.createPlan(db, actor, req.body))),
  );
  app.patch(
    '/training/plans/:id',
    {
      config: { access: 'training:manage' },
      schema: { tags, summary: 'Edit a plan', params: idParam, body: s.planPatch, response: { 200: s.planDetailSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => svc.updatePlan(db, actor, req.params.id, req.body)),
  );
  for (const event of ['activate', 'close'] as const)
    app.post(
      `/training/plans/:id/${event}`,
      {
        config: { access: 'training:manage' },
        schema: { tags, summary: `Plan: ${event}`, params: idParam, body: s.reasonBody, response: { 200: s.planDetailSchema, ...errorResponses } },
      },
      async (req) => tx(req, (db, actor) => svc.changePlanStatus(db, actor, req.params.id, event, req.body.reason ?? null)),
    );
  app.post(
    '/training/plans/:id/courses',
    {
      config: { access: 'training:manage', idempotent: true },
      schema: { tags, summary: 'Add a course', params: idParam, body: s.courseBody, response: { 201: s.courseSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => svc.addCourse(db, actor, req.params.id, req.body))),
  );
  app.delete(
    '/training/plans/:id/courses/:subId',
    { config: { access: 'training:manage' }, schema: { tags, summary: 'Archive a course', params: subParam, response: { 204: okEmpty } } },
    async (req, reply) => {
      await tx(req, (db, actor) => svc.archiveCourse(db, actor, req.params.id, req.params.subId));
      return reply.status(204).send(null);
    },
  );
  const performers = async (id: string, limit: number) => svc.topPerformers(ctx.db, id, limit);
  app.get(
    '/training/plans/:id/top-performers',
    {
      config: { access: 'training:read' },
      schema: {
        tags,
        summary: 'Top performers of a plan (for commendation)',
        params: idParam,
        querystring: s.performersQuery,
        response: { 200: z.object({ items: z.array(s.performerSchema) }) },
      },
    },
    async (req) => ({ items: await performers(req.params.id, req.query.limit) }),
  );
  app.get(
    '/training/plans/:id/top-performers/export.xlsx',
    { config: { access: 'training:read' }, schema: { tags, summary: 'Top performers (Excel)', params: idParam, querystring: s.performersQuery } },
    async (req, reply) => {
      const en = req.locale === 'en-US';
      const rows = await performers(req.params.id, req.query.limit);
      const buf = await toXlsx(
        en ? 'Top performers' : '表彰名单',
        [
          { header: en ? 'Rank' : '名次', key: 'rank', value: (r) => r.rank },
          { header: en ? 'Name' : '姓名', key: 'displayName', value: (r) => r.displayName },
          { header: en ? 'Department' : '部门', key: 'department', value: (r) => r.department },
          { header: en ? 'Best score' : '最高分', key: 'bestScore', value: (r) => r.bestScore },
          { header: en ? 'Attended / invited' : '出勤/受邀', key: 'att', value: (r) => `${r.attended}/${r.invited}` },
          { header: en ? 'Hours' : '学时', key: 'hours', value: (r) => r.minutes / 60 },
        ],
        rows,
      );
      return sendXlsx(reply, 'top-performers.xlsx', buf);
    },
  );

  // ---- sessions
  const sessionColumns = (en: boolean): Column<svc.SessionView>[] => [
    { header: en ? 'Code' : '编号', key: 'code', value: (r) => r.code },
    { header: en ? 'Title' : '名称', key: 'title', value: (r) => r.title },
    { header: en ? 'Plan' : '计划', key: 'planCode', value: (r) => r.planCode },
    { header: en ? 'Kind' : '形式', key: 'kind', value: (r) => name(KINDS, r.kind, en) },
    { header: en ? 'Topic' : '内容', key: 'topic', value: (r) => name(TOPICS, r.topic, en) },
    { header: en ? 'Starts' : '开始', key: 'startsAt', value: (r) => r.startsAt },
    { header: en ? 'Ends' : '结束', key: 'endsAt', value: (r) => r.endsAt },
    { header: en ? 'Place / link' : '地点/链接', key: 'place', value: (r) => r.place ?? r.link },
    { header: en ? 'Trainer' : '讲师', key: 'trainer', value: (r) => r.trainerName },
    { header: en ? 'Hours' : '学时', key: 'hours', value: (r) => r.minutes / 60 },
    { header: en ? 'Invited' : '受邀', key: 'invited', value: (r) => r.invited },
    { header: en ? 'Attended' : '出勤', key: 'attended', value: (r) => r.attended },
    { header: en ? 'Status' : '状态', key: 'status', value: (r) => name(STATUS, r.status, en) },
  ];
  list(
    '/training/sessions',
    'training:read',
    'List sessions',
    s.sessionListQuery,
    s.sessionSchema,
    (q) => svc.listSessions(ctx.db, q),
    { zh: '培训场次', en: 'Sessions' },
    sessionColumns,
  );
  app.get(
    '/training/sessions/:id',
    { config: { access: 'training:read' }, schema: { tags, summary: 'A session with attendance, parts and materials', params: idParam, response: { 200: s.sessionDetailSchema } } },
    async (req) => svc.getSession(ctx.db, req.params.id, { withToken: can(actorOf(req), 'training:manage') }),
  );
  history('/training/sessions/:id/history', 'training:read', 'training_session');
  app.post(
    '/training/sessions',
    {
      config: { access: 'training:manage', idempotent: true },
      schema: { tags, summary: 'Schedule a session (not in the past)', body: s.sessionBody, response: { 201: s.sessionDetailSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => svc.createSession(db, actor, req.body))),
  );
  app.patch(
    '/training/sessions/:id',
    {
      config: { access: 'training:manage' },
      schema: { tags, summary: 'Edit a scheduled session', params: idParam, body: s.sessionPatch, response: { 200: s.sessionDetailSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => svc.updateSession(db, actor, req.params.id, req.body)),
  );
  app.put(
    '/training/sessions/:id/parts',
    {
      config: { access: 'training:manage' },
      schema: {
        tags,
        summary: 'Record the cases, simulated operations and demonstrations of a session',
        params: idParam,
        body: s.partsBody,
        response: { 200: s.sessionDetailSchema, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => svc.setSessionParts(db, actor, req.params.id, req.body.parts)),
  );
  app.post(
    '/training/sessions/:id/invitations',
    {
      config: { access: 'training:manage' },
      schema: { tags, summary: 'Invite staff (notified)', params: idParam, body: s.inviteBody, response: { 200: s.sessionDetailSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => svc.inviteToSession(db, actor, req.params.id, req.body.userIds, notify)),
  );
  app.post(
    '/training/sessions/:id/checkins',
    {
      config: { access: 'training:manage' },
      schema: { tags, summary: 'Check an attendee in (by the trainer)', params: idParam, body: s.checkinBody, response: { 200: s.attendanceSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => svc.checkInByTrainer(db, actor, req.params.id, req.body.userId)),
  );
  for (const event of ['complete', 'cancel'] as const)
    app.post(
      `/training/sessions/:id/${event}`,
      {
        config: { access: 'training:manage' },
        schema: {
          tags,
          summary: event === 'complete' ? 'Session held: credit hours to attendees' : 'Cancel a session',
          params: idParam,
          body: s.reasonBody,
          response: { 200: s.sessionDetailSchema, ...errorResponses },
        },
      },
      async (req) => tx(req, (db, actor) => svc.changeSessionStatus(db, actor, req.params.id, event, req.body.reason ?? null)),
    );
  app.get(
    '/training/sessions/:id/qr.png',
    { config: { access: 'training:manage' }, schema: { tags, summary: 'The session’s check-in QR code (PNG)', params: idParam } },
    async (req, reply) => {
      const token = await svc.sessionCheckinToken(ctx.db, req.params.id);
      const base = (ctx.config.publicBaseUrl ?? `${req.protocol}://${req.host}`).replace(/\/$/, '');
      const png = await bwipjs.toBuffer({ bcid: 'qrcode', text: `${base}/training/checkin/${token}`, scale: 4 });
      return reply.header('content-type', 'image/png').send(png);
    },
  );
  app.post(
    '/training/sessions/:id/files',
    {
      config: { access: 'training:manage' },
      schema: {
        tags,
        summary: 'Upload a material (document or video)',
        consumes: ['multipart/form-data'],
        params: idParam,
        response: { 201: z.object({ id: z.string(), filename: z.string(), size: z.number() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const file = await uploadedFile(req);
      return reply.status(201).send(await tx(req, (db, actor) => svc.uploadSessionFile(db, actor, req.params.id, file)));
    },
  );
  app.get(
    '/training/sessions/:id/files/:fileId',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'Download a material (attendees and trainers)', params: fileParam } },
    async (req, reply) => {
      const actor = actorOf(req);
      const f = await svc.getSessionFile(ctx.db, actor, req.params.id, req.params.fileId, can(actor, 'training:read'));
      return reply
        .header('content-type', f.contentType)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
        .send(f.data);
    },
  );
  app.post(
    '/training/checkin',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Check in by scanning the session’s QR code',
        body: s.tokenCheckinBody,
        response: { 200: s.attendanceSchema.extend({ sessionId: z.string(), title: z.string() }), ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => svc.checkInByToken(db, actor, req.body.token)),
  );

  // ---- question bank
  list(
    '/training/questions',
    'training:manage',
    'Question bank',
    s.questionListQuery,
    s.questionSchema,
    (q) => svc.listQuestions(ctx.db, q),
    { zh: '题库', en: 'Question bank' },
    (en) => [
      { header: en ? 'Topic' : '内容', key: 'topic', value: (r) => name(TOPICS, r.topic, en) },
      { header: en ? 'Kind' : '题型', key: 'kind', value: (r) => name(KINDS, r.kind, en) },
      { header: en ? 'Question' : '题目', key: 'text', value: (r) => r.text },
      { header: en ? 'Options' : '选项', key: 'options', value: (r) => r.options.map((o, i) => `${String.fromCharCode(65 + i)}. ${o}`).join('\n') },
      {
        header: en ? 'Answer' : '答案',
        key: 'answer',
        value: (r) => (Array.isArray(r.answer) ? r.answer.map((i) => String.fromCharCode(65 + i)).join('') : r.answer === null ? '' : r.answer ? '√' : '×'),
      },
      { header: en ? 'Points' : '分值', key: 'points', value: (r) => r.points },
      { header: en ? 'Active' : '启用', key: 'active', value: (r) => r.active },
    ],
  );
  app.post(
    '/training/questions',
    {
      config: { access: 'training:manage', idempotent: true },
      schema: { tags, summary: 'Add a question', body: s.questionBody, response: { 201: s.questionSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => svc.createQuestion(db, actor, req.body))),
  );
  app.patch(
    '/training/questions/:id',
    {
      config: { access: 'training:manage' },
      schema: { tags, summary: 'Edit a question', params: idParam, body: s.questionPatch, response: { 200: s.questionSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => svc.updateQuestion(db, actor, req.params.id, req.body)),
  );

  // ---- exams and attempts
  list(
    '/training/exams',
    'training:read',
    'List exams',
    s.examListQuery,
    s.examSchema,
    (q) => svc.listExams(ctx.db, q),
    { zh: '考试', en: 'Exams' },
    (en) => [
      { header: en ? 'Code' : '编号', key: 'code', value: (r) => r.code },
      { header: en ? 'Title' : '名称', key: 'title', value: (r) => r.title },
      { header: en ? 'Topic' : '内容', key: 'topic', value: (r) => name(TOPICS, r.topic, en) },
      { header: en ? 'Questions' : '题数', key: 'questionCount', value: (r) => r.questionCount },
      { header: en ? 'Pass mark' : '及格分', key: 'passMark', value: (r) => r.passMark },
      { header: en ? 'Time limit (min)' : '时限(分钟)', key: 'timeLimitMinutes', value: (r) => r.timeLimitMinutes },
      { header: en ? 'Attempts' : '考试次数', key: 'attemptLimit', value: (r) => r.attemptLimit },
      { header: en ? 'On failure' : '不合格处理', key: 'remedy', value: (r) => name(KINDS, r.remedy, en) },
      { header: en ? 'Certificate' : '证书', key: 'certificate', value: (r) => r.certificateTypeName },
      { header: en ? 'Pass rate %' : '通过率%', key: 'passRate', value: (r) => r.passRate },
    ],
  );
  app.get('/training/exams/:id', { config: { access: 'training:read' }, schema: { tags, summary: 'One exam', params: idParam, response: { 200: s.examSchema } } }, async (req) =>
    svc.getExam(ctx.db, req.params.id),
  );
  app.post(
    '/training/exams',
    { config: { access: 'training:manage', idempotent: true }, schema: { tags, summary: 'Create an exam', body: s.examBody, response: { 201: s.examSchema, ...errorResponses } } },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => svc.createExam(db, actor, req.body))),
  );
  app.patch(
    '/training/exams/:id',
    { config: { access: 'training:manage' }, schema: { tags, summary: 'Edit an exam', params: idParam, body: s.examPatch, response: { 200: s.examSchema, ...errorResponses } } },
    async (req) => tx(req, (db, actor) => svc.updateExam(db, actor, req.params.id, req.body)),
  );
  app.post(
    '/training/exams/:id/attempts',
    {
      config: { access: 'authenticated' },
      schema: { tags, summary: 'Start (or resume) my attempt at an exam', params: idParam, response: { 200: s.attemptDetailSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => svc.startAttempt(db, actor, req.params.id, notify)),
  );
  list(
    '/training/attempts',
    'training:read',
    'Exam attempts',
    s.attemptListQuery,
    s.attemptSchema,
    (q) => svc.listAttempts(ctx.db, q),
    { zh: '考试记录', en: 'Attempts' },
    (en) => [
      { header: en ? 'Exam' : '考试', key: 'examTitle', value: (r) => r.examTitle },
      { header: en ? 'Name' : '姓名', key: 'userName', value: (r) => r.userName },
      { header: en ? 'Attempt' : '次数', key: 'attemptNo', value: (r) => r.attemptNo },
      { header: en ? 'Re-test' : '补考', key: 'isRetest', value: (r) => r.isRetest },
      { header: en ? 'Started' : '开始', key: 'startedAt', value: (r) => r.startedAt },
      { header: en ? 'Score' : '得分', key: 'scorePercent', value: (r) => r.scorePercent },
      { header: en ? 'Result' : '结果', key: 'result', value: (r) => name(RESULTS, r.result, en) },
      { header: en ? 'Status' : '状态', key: 'status', value: (r) => name(STATUS, r.status, en) },
    ],
  );
  app.get(
    '/training/attempts/:id',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'An attempt (mine, or any for markers)', params: idParam, response: { 200: s.attemptDetailSchema } } },
    async (req) => {
      const actor = actorOf(req);
      return svc.getAttempt(ctx.db, actor, req.params.id, can(actor, 'training:assess'));
    },
  );
  app.post(
    '/training/attempts/:id/submit',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'Submit my answers (within the time limit); scored automatically',
        params: idParam,
        body: s.submitBody,
        response: { 200: s.attemptDetailSchema, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => svc.submitAttempt(db, actor, req.params.id, req.body.answers, notify)),
  );
  app.post(
    '/training/attempts/:id/mark',
    {
      config: { access: 'training:assess' },
      schema: { tags, summary: 'Mark the short answers of an attempt', params: idParam, body: s.markBody, response: { 200: s.attemptDetailSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => svc.markAttempt(db, actor, req.params.id, req.body.marks, notify)),
  );

  // ---- re-tests and remedial training
  list(
    '/training/remedials',
    'training:read',
    'Re-tests and remedial trainings',
    s.remedialListQuery,
    s.remedialSchema,
    (q) => svc.listRemedials(ctx.db, q),
    { zh: '补考与辅导', en: 'Re-tests' },
    (en) => [
      { header: en ? 'Name' : '姓名', key: 'userName', value: (r) => r.userName },
      { header: en ? 'Exam' : '考试', key: 'examTitle', value: (r) => r.examTitle },
      { header: en ? 'Kind' : '类型', key: 'kind', value: (r) => name(KINDS, r.kind, en) },
      { header: en ? 'Due on' : '截止日期', key: 'dueOn', value: (r) => r.dueOn },
      { header: en ? 'Overdue' : '逾期', key: 'overdue', value: (r) => r.overdue },
      { header: en ? 'Status' : '状态', key: 'status', value: (r) => name(STATUS, r.status, en) },
    ],
  );
  app.post(
    '/training/remedials/:id/training-done',
    {
      config: { access: 'training:manage' },
      schema: {
        tags,
        summary: 'Record the remedial training as given (opens the re-test)',
        params: idParam,
        body: s.remedialDoneBody,
        response: { 200: s.remedialSchema, ...errorResponses },
      },
    },
    async (req) => tx(req, (db, actor) => svc.completeRemedialTraining(db, actor, req.params.id, req.body.sessionId ?? null)),
  );
  app.post(
    '/training/remedials/:id/cancel',
    {
      config: { access: 'training:manage' },
      schema: { tags, summary: 'Cancel a re-test assignment', params: idParam, body: s.requiredReasonBody, response: { 200: s.remedialSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => svc.cancelRemedial(db, actor, req.params.id, req.body.reason)),
  );

  // ---- practical checks and performance reviews
  list(
    '/training/assessments',
    'training:read',
    'Practical checks and performance reviews',
    s.assessmentListQuery,
    s.assessmentSchema,
    (q) => svc.listAssessments(ctx.db, q),
    { zh: '实操与业绩考核', en: 'Assessments' },
    (en) => [
      { header: en ? 'Kind' : '类型', key: 'kind', value: (r) => name(KINDS, r.kind, en) },
      { header: en ? 'Name' : '姓名', key: 'userName', value: (r) => r.userName },
      { header: en ? 'Topic' : '内容', key: 'topic', value: (r) => name(TOPICS, r.topic, en) },
      { header: en ? 'Assessor' : '考核人', key: 'assessorName', value: (r) => r.assessorName },
      { header: en ? 'Period' : '期间', key: 'period', value: (r) => r.period },
      { header: en ? 'Score' : '得分', key: 'scorePercent', value: (r) => r.scorePercent },
      { header: en ? 'Result' : '结果', key: 'result', value: (r) => name(RESULTS, r.result, en) },
      { header: en ? 'Date' : '日期', key: 'createdAt', value: (r) => r.createdAt },
    ],
  );
  app.post(
    '/training/assessments',
    {
      config: { access: 'training:assess', idempotent: true },
      schema: { tags, summary: 'Record a practical check or performance review', body: s.assessmentBody, response: { 201: s.assessmentSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => svc.recordAssessment(db, actor, req.body, notify))),
  );

  // ---- certificate types (competency gating) and certificates
  list(
    '/training/certificate-types',
    'training:read',
    'Certificate types and the permissions they gate',
    s.certTypeListQuery,
    s.certTypeSchema,
    (q) => svc.listCertificateTypes(ctx.db, q),
    { zh: '证书类型', en: 'Certificate types' },
    (en) => [
      { header: en ? 'Code' : '编码', key: 'code', value: (r) => r.code },
      { header: en ? 'Name' : '名称', key: 'name', value: (r) => (en ? r.nameEn : r.name) },
      { header: en ? 'Valid for (days)' : '有效期(天)', key: 'validityDays', value: (r) => r.validityDays },
      { header: en ? 'Gated permissions' : '准入权限', key: 'gatedPermissions', value: (r) => r.gatedPermissions.join(', ') },
      { header: en ? 'Holders' : '持证人数', key: 'holders', value: (r) => r.holders },
      { header: en ? 'Active' : '启用', key: 'active', value: (r) => r.active },
    ],
  );
  app.post(
    '/training/certificate-types',
    {
      config: { access: 'training:manage', idempotent: true },
      schema: { tags, summary: 'Create a certificate type (and the permissions it gates)', body: s.certTypeBody, response: { 201: s.certTypeSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => svc.createCertificateType(db, actor, req.body))),
  );
  app.patch(
    '/training/certificate-types/:id',
    {
      config: { access: 'training:manage' },
      schema: { tags, summary: 'Edit a certificate type', params: idParam, body: s.certTypePatch, response: { 200: s.certTypeSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => svc.updateCertificateType(db, actor, req.params.id, req.body)),
  );
  list(
    '/training/certificates',
    'training:read',
    'Certificates held',
    s.certificateListQuery,
    s.certificateSchema,
    (q) => svc.listCertificates(ctx.db, q),
    { zh: '证书', en: 'Certificates' },
    (en) => [
      { header: en ? 'Number' : '证书编号', key: 'code', value: (r) => r.code },
      { header: en ? 'Certificate' : '证书', key: 'type', value: (r) => (en ? r.typeNameEn : r.typeName) },
      { header: en ? 'Holder' : '持证人', key: 'holderName', value: (r) => r.holderName },
      { header: en ? 'Issued on' : '发证日期', key: 'issuedOn', value: (r) => r.issuedOn },
      { header: en ? 'Expires on' : '到期日期', key: 'expiresOn', value: (r) => r.expiresOn },
      { header: en ? 'Days left' : '剩余天数', key: 'daysLeft', value: (r) => r.daysLeft },
      {
        header: en ? 'Status' : '状态',
        key: 'status',
        value: (r) => (r.valid ? name(STATUS, 'valid', en) : r.status === 'revoked' ? name(STATUS, 'revoked', en) : en ? 'Expired' : '已过期'),
      },
    ],
  );
  app.post(
    '/training/certificates/:id/revoke',
    {
      config: { access: 'training:manage' },
      schema: { tags, summary: 'Revoke a certificate', params: idParam, body: s.requiredReasonBody, response: { 200: s.certificateSchema, ...errorResponses } },
    },
    async (req) => tx(req, (db, actor) => svc.revokeCertificate(db, actor, req.params.id, req.body.reason)),
  );
  app.get(
    '/training/competency',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: 'The certificates I lack for a gated permission',
        querystring: z.object({ permission: z.enum(['quality:inspect', 'lots:status', 'orders:review', 'inventory:approve']) }),
        response: { 200: s.gateSchema },
      },
    },
    async (req) => ({ permission: req.query.permission, missing: await svc.missingCompetencies(ctx.db, actorOf(req), req.query.permission) }),
  );

  // ---- my training
  app.get(
    '/training/me',
    { config: { access: 'authenticated' }, schema: { tags, summary: 'My sessions, exams, re-tests and certificates', response: { 200: s.myTrainingSchema } } },
    async (req) => svc.myTraining(ctx.db, actorOf(req)),
  );

  // ---- reports
  app.get(
    '/training/reports/summary',
    {
      config: { access: 'training:read' },
      schema: {
        tags,
        summary: 'Completion and pass rate by department, role or topic',
        querystring: s.reportQuery,
        response: { 200: z.object({ items: z.array(s.reportRowSchema) }) },
      },
    },
    async (req) => ({ items: await svc.trainingReport(ctx.db, req.query) }),
  );
  app.get(
    '/training/reports/summary/export.xlsx',
    { config: { access: 'training:read' }, schema: { tags, summary: 'Training report (Excel)', querystring: s.reportQuery } },
    async (req, reply) => {
      const en = req.locale === 'en-US';
      const rows = await svc.trainingReport(ctx.db, req.query);
      const by = { department: en ? 'Department' : '部门', role: en ? 'Role' : '岗位', topic: en ? 'Topic' : '培训内容' }[req.query.by];
      const buf = await toXlsx(
        en ? 'Training report' : '培训统计',
        [
          { header: by, key: 'group', value: (r) => (req.query.by === 'topic' ? name(TOPICS, r.group, en) : r.group) },
          { header: en ? 'Invited' : '受邀人次', key: 'invited', value: (r) => r.invited },
          { header: en ? 'Attended' : '出勤人次', key: 'attended', value: (r) => r.attended },
          { header: en ? 'Completion %' : '完成率%', key: 'completionRate', value: (r) => r.completionRate },
          { header: en ? 'Hours' : '学时', key: 'hours', value: (r) => r.minutes / 60 },
          { header: en ? 'Assessed' : '考核人次', key: 'graded', value: (r) => r.graded },
          { header: en ? 'Passed' : '合格人次', key: 'passed', value: (r) => r.passed },
          { header: en ? 'Pass rate %' : '合格率%', key: 'passRate', value: (r) => r.passRate },
          { header: en ? 'Excellent' : '优秀人次', key: 'excellent', value: (r) => r.excellent },
        ],
        rows,
      );
      return sendXlsx(reply, 'training-report.xlsx', buf);
    },
  );
};
