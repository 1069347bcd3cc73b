import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allCodeLabels, auditActionLabels, codeLabel, KNOWN_AUDIT_ACTIONS } from './i18n/codes.js';
import { z } from 'zod';
import { count, desc, eq } from 'drizzle-orm';
import { auditWhere, verifyAudit } from './audit/audit.service.js';
import { actorFromUser, createToken, listTokens, login, logout, revokeToken } from './auth/auth.service.js';
import { changeOwnPassword, createUser, getUser, listUsers, resetPassword, setUserDisabled, updateUser } from './auth/users.service.js';
import { calendarYear, removeOverride, setOverride } from './calendar/calendar.service.js';
import { CHECK_KINDS, getCheck, listChecks, startCheck, stopChecks } from './checks/checks.service.js';
import { clock } from './clock.js';
import { DomainError } from './errors/domain-error.js';
import { actorOf, tx } from './http/context.js';
import { sendXlsx, toXlsx } from './http/excel.js';
import { idParam, listQuery, offsetOf, orderByOf, pageOf, qsBool } from './http/list.js';
import { businessDay, dateTime, errorResponses, okEmpty, safeMultiline, safeString } from './http/schemas.js';
import { pick } from './i18n/locale.js';
import { listJobStatus } from './jobs.js';
import './platform.jobs.js';
import { listNotifications, markAllRead, markRead, unreadCount } from './notifications/notifications.service.js';
import { auditLog } from './platform.tables.js';
import { PERMISSIONS, ROLES, ROLE_CODES, type Permission } from './rbac/permissions.js';
import { listSettings, updateSetting } from './settings/settings.service.js';

const SESSION_COOKIE = 'agri_sid';

const meSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  locale: z.enum(['zh-CN', 'en-US']),
  roles: z.array(z.string()),
  permissions: z.array(z.string()),
  customerId: z.string().nullable(),
  /** Signed in with a one-time password: the web app shows only the password change until it is changed. */
  mustChangePassword: z.boolean(),
});

const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  customerId: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  locale: z.string(),
  disabled: z.boolean(),
  lastLoginAt: dateTime.nullable(),
  createdAt: dateTime,
});

const roleEnum = z.enum(ROLE_CODES as [string, ...string[]]);
const phone = safeString()
  .trim()
  .regex(/^\+?[0-9 -]{5,20}$/, 'FIELD_INVALID_PHONE');
const username = safeString()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{3,32}$/, 'FIELD_INVALID_USERNAME');

const createUserBody = z.strictObject({
  username,
  displayName: safeString().trim().min(1).max(50),
  password: safeString().min(1).max(200),
  roles: z.array(roleEnum).min(1).max(12),
  phone: phone.nullable().optional(),
  email: z.email().nullable().optional(),
  locale: z.enum(['zh-CN', 'en-US']).optional(),
  customerId: z.uuid().nullable().optional(),
});

const updateUserBody = z.strictObject({
  displayName: safeString().trim().min(1).max(50).optional(),
  roles: z.array(roleEnum).min(1).max(12).optional(),
  phone: phone.nullable().optional(),
  email: z.email().nullable().optional(),
  locale: z.enum(['zh-CN', 'en-US']).optional(),
  customerId: z.uuid().nullable().optional(),
});

const userListQuery = listQuery.extend({ role: roleEnum.optional(), disabled: qsBool });

const jobStatusSchema = z.object({
  name: z.string(),
  label: z.string(),
  everyMs: z.number(),
  /** floor(time / everyMs) of the last run; null before its first run. */
  period: z.number().nullable(),
  startedAt: dateTime.nullable(),
  finishedAt: dateTime.nullable(),
  durationMs: z.number().nullable(),
  result: z.enum(['running', 'ok', 'failed']).nullable(),
  error: z.string().nullable(),
  instance: z.string().nullable(),
  nextRunAt: dateTime,
});

const auditItem = z.object({
  id: z.string(),
  seq: z.number(),
  at: dateTime,
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  ip: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  hash: z.string().nullable(),
});
const auditQuery = listQuery.extend({
  actor: safeString().max(100).optional(),
  action: safeString().max(100).optional(),
  entity: safeString().max(100).optional(),
  entityId: safeString().max(200).optional(),
  from: dateTime.optional(),
  to: dateTime.optional(),
});

const settingSchema = z.object({
  key: z.string(),
  module: z.string(),
  type: z.enum(['integer', 'number', 'boolean', 'string', 'enum']),
  options: z.array(z.string()).optional(),
  value: z.unknown(),
  defaultValue: z.unknown(),
  label: z.string(),
  description: z.string(),
  unit: z.string().nullable(),
  updatedAt: dateTime.nullable(),
  updatedBy: z.string().nullable(),
});

const calendarItem = z.object({
  date: z.string(),
  kind: z.enum(['holiday', 'workday']),
  name: z.string().nullable(),
  source: z.enum(['seed', 'override']),
  note: z.string().nullable(),
});

const notificationItem = z.object({ id: z.string(), title: z.string(), body: z.string(), link: z.string().nullable(), createdAt: dateTime, readAt: dateTime.nullable() });
const tokenItem = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: dateTime,
  expiresAt: dateTime.nullable(),
  lastUsedAt: dateTime.nullable(),
  revokedAt: dateTime.nullable(),
});

const sortedPermissions = new Map<string, string[]>();

/** The sorted permission list of a set of roles, computed once per role combination. */
function permissionListOf(actor: ReturnType<typeof actorOf>): string[] {
  const key = actor.roles.join(',');
  let list = sortedPermissions.get(key);
  if (!list) {
    list = [...actor.permissions].sort();
    sortedPermissions.set(key, list);
  }
  return list;
}

function meOf(actor: ReturnType<typeof actorOf>): z.infer<typeof meSchema> {
  return {
    id: actor.userId ?? '',
    username: actor.username,
    displayName: actor.displayName,
    locale: actor.locale,
    roles: actor.roles,
    permissions: permissionListOf(actor),
    customerId: actor.customerId,
    mustChangePassword: actor.mustChangePassword === true,
  };
}

/** Health, authentication, administration, notifications and personal tokens. */
export const platformRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['platform'],
        summary: 'Health check',
        response: { 200: z.object({ status: z.literal('ok'), version: z.string(), database: z.enum(['pglite', 'postgres']), time: dateTime }) },
      },
    },
    async () => ({ status: 'ok' as const, version: ctx.version, database: ctx.dbKind, time: clock.now() }),
  );

  app.get(
    '/codes',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['platform'],
        summary: 'Names of the codes shown to people (statuses, channels, zones, audit actions…) in the request language',
        response: { 200: z.object({ groups: z.record(z.string(), z.record(z.string(), z.string())), auditActions: z.record(z.string(), z.string()) }) },
      },
    },
    async (req) => ({ groups: allCodeLabels(req.locale), auditActions: auditActionLabels([...KNOWN_AUDIT_ACTIONS], req.locale) }),
  );

  // ---- authentication
  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with username and password',
        body: z.strictObject({ username: safeString().min(1).max(64), password: safeString().min(1).max(200) }),
        response: { 200: z.object({ user: meSchema }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await login(
        ctx.db,
        clock,
        ctx.session,
        { ...req.body, previousToken: req.cookies[SESSION_COOKIE] ?? null },
        { ip: req.ip, userAgent: req.headers['user-agent'] ?? null, locale: req.locale },
      );
      void reply.setCookie(SESSION_COOKIE, res.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: req.protocol === 'https', expires: res.expiresAt });
      const actor = actorFromUser(res.user, { ip: req.ip, locale: req.locale }, null);
      return { user: meOf(actor) };
    },
  );

  app.post(
    '/auth/logout',
    { config: { access: 'authenticated', duringPasswordChange: true }, schema: { tags: ['auth'], summary: 'Sign out', response: { 204: okEmpty } } },
    async (req, reply) => {
      await logout(ctx.db, actorOf(req), clock);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: 'authenticated', duringPasswordChange: true },
      schema: { tags: ['auth'], summary: 'Current user, roles and permissions', response: { 200: z.object({ user: meSchema }) } },
    },
    async (req) => ({
      user: meOf(actorOf(req)),
    }),
  );

  app.post(
    '/auth/password',
    {
      config: { access: 'authenticated', duringPasswordChange: true },
      schema: {
        tags: ['auth'],
        summary: 'Change my own password (ends my other sessions; required after a one-time password)',
        body: z.strictObject({ currentPassword: safeString().min(1).max(200), newPassword: safeString().min(1).max(200) }),
        response: { 204: okEmpty },
      },
    },
    async (req, reply) => {
      await tx(req, (db, actor) => changeOwnPassword(db, actor, req.body));
      return reply.status(204).send(null);
    },
  );

  // ---- personal API tokens
  app.get(
    '/me/tokens',
    { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'My API tokens', response: { 200: z.object({ items: z.array(tokenItem) }) } } },
    async (req) => ({
      items: await listTokens(ctx.db, actorOf(req)),
    }),
  );
  app.post(
    '/me/tokens',
    {
      config: { access: 'authenticated', idempotent: true },
      schema: {
        tags: ['auth'],
        summary: 'Create a personal API token (shown once)',
        body: z.strictObject({ name: safeString().trim().min(1).max(60), expiresAt: dateTime.nullable().optional() }),
        response: { 201: z.object({ id: z.string(), name: z.string(), token: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createToken(db, actor, req.body))),
  );
  app.delete(
    '/me/tokens/:id',
    { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: 'Revoke an API token', params: idParam, response: { 204: okEmpty } } },
    async (req, reply) => {
      await tx(req, (db, actor) => revokeToken(db, actor, req.params.id, clock.now()));
      return reply.status(204).send(null);
    },
  );

  // ---- users
  app.get(
    '/admin/users',
    { config: { access: 'users:read' }, schema: { tags: ['admin'], summary: 'List users', querystring: userListQuery, response: { 200: pageOf(userSchema) } } },
    async (req) => listUsers(ctx.db, actorOf(req), req.query),
  );
  app.get(
    '/admin/users/export.xlsx',
    { config: { access: 'users:read' }, schema: { tags: ['admin'], summary: 'Export users to Excel', querystring: userListQuery } },
    async (req, reply) => {
      const page = await listUsers(ctx.db, actorOf(req), { ...req.query, page: 1, pageSize: 100_000 });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Users' : '用户',
        [
          { header: en ? 'Username' : '用户名', key: 'username', value: (u) => u.username },
          { header: en ? 'Name' : '姓名', key: 'displayName', value: (u) => u.displayName },
          { header: en ? 'Roles' : '角色', key: 'roles', value: (u) => u.roles.map((r) => pick(ROLES[r as keyof typeof ROLES]?.name ?? { zh: r, en: r }, req.locale)).join(', ') },
          { header: en ? 'Phone' : '电话', key: 'phone', value: (u) => u.phone },
          { header: en ? 'E-mail' : '邮箱', key: 'email', value: (u) => u.email },
          { header: en ? 'Disabled' : '已停用', key: 'disabled', value: (u) => (u.disabled ? (en ? 'yes' : '是') : en ? 'no' : '否') },
          { header: en ? 'Last sign-in' : '最后登录', key: 'lastLoginAt', value: (u) => u.lastLoginAt },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'users.xlsx', buf);
    },
  );
  app.get('/admin/users/:id', { config: { access: 'users:read' }, schema: { tags: ['admin'], summary: 'One user', params: idParam, response: { 200: userSchema } } }, async (req) =>
    getUser(ctx.db, actorOf(req), req.params.id),
  );
  app.post(
    '/admin/users',
    {
      config: { access: 'users:manage', idempotent: true },
      schema: { tags: ['admin'], summary: 'Create a user', body: createUserBody, response: { 201: userSchema, ...errorResponses } },
    },
    async (req, reply) => reply.status(201).send(await tx(req, (db, actor) => createUser(db, actor, { ...req.body, oneTimePassword: true }))),
  );
  app.patch(
    '/admin/users/:id',
    { config: { access: 'users:manage' }, schema: { tags: ['admin'], summary: 'Edit a user', params: idParam, body: updateUserBody, response: { 200: userSchema } } },
    async (req) => tx(req, (db, actor) => updateUser(db, actor, req.params.id, req.body)),
  );
  app.post(
    '/admin/users/:id/disable',
    { config: { access: 'users:manage' }, schema: { tags: ['admin'], summary: 'Disable a user (ends its sessions)', params: idParam, response: { 200: userSchema } } },
    async (req) => tx(req, (db, actor) => setUserDisabled(db, actor, req.params.id, true)),
  );
  app.post(
    '/admin/users/:id/enable',
    { config: { access: 'users:manage' }, schema: { tags: ['admin'], summary: 'Enable a user', params: idParam, response: { 200: userSchema } } },
    async (req) => tx(req, (db, actor) => setUserDisabled(db, actor, req.params.id, false)),
  );
  app.post(
    '/admin/users/:id/reset-password',
    {
      config: { access: 'users:manage' },
      schema: {
        tags: ['admin'],
        summary: 'Set a new password (ends its sessions)',
        params: idParam,
        body: z.strictObject({ password: safeString().min(1).max(200) }),
        response: { 204: okEmpty },
      },
    },
    async (req, reply) => {
      await tx(req, (db, actor) => resetPassword(db, actor, req.params.id, req.body.password));
      return reply.status(204).send(null);
    },
  );

  // ---- roles and permissions
  app.get(
    '/admin/roles',
    {
      config: { access: 'users:read' },
      schema: {
        tags: ['admin'],
        summary: 'Roles and their permissions',
        response: { 200: z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), permissions: z.array(z.string()) })) }) },
      },
    },
    async (req) => ({ items: ROLE_CODES.map((code) => ({ code, name: pick(ROLES[code].name, req.locale), permissions: [...ROLES[code].permissions] })) }),
  );
  app.get(
    '/admin/permissions',
    {
      config: { access: 'users:read' },
      schema: { tags: ['admin'], summary: 'All permissions', response: { 200: z.object({ items: z.array(z.object({ code: z.string(), name: z.string() })) }) } },
    },
    async (req) => ({ items: (Object.keys(PERMISSIONS) as Permission[]).map((code) => ({ code, name: pick(PERMISSIONS[code], req.locale) })) }),
  );

  // ---- settings
  app.get(
    '/admin/settings',
    { config: { access: 'settings:read' }, schema: { tags: ['admin'], summary: 'Policy parameters', response: { 200: z.object({ items: z.array(settingSchema) }) } } },
    async (req) => ({
      items: await listSettings(ctx.db, req.locale),
    }),
  );
  app.put(
    '/admin/settings/:key',
    {
      config: { access: 'settings:manage' },
      schema: {
        tags: ['admin'],
        summary: 'Change a policy parameter',
        params: z.object({ key: safeString().max(100) }),
        body: z.strictObject({ value: z.unknown() }),
        response: { 200: settingSchema },
      },
    },
    async (req) => tx(req, (db, actor) => updateSetting(db, actor, req.params.key, req.body.value)),
  );

  // ---- background jobs
  app.get(
    '/admin/jobs',
    {
      config: { access: 'jobs:read' },
      schema: { tags: ['admin'], summary: 'Background jobs with their last run and next period', response: { 200: z.object({ items: z.array(jobStatusSchema) }) } },
    },
    async (req) => ({ items: (await listJobStatus(ctx.db)).map((j) => ({ ...j, label: pick(j.label, req.locale) })) }),
  );

  // ---- audit
  const listAudit = async (q: z.infer<typeof auditQuery>) => {
    const where = auditWhere(q);
    const order = orderByOf(q.sort, { at: auditLog.at, seq: auditLog.seq, action: auditLog.action, actor: auditLog.actorName }, [desc(auditLog.seq)]);
    const [rows, total] = await Promise.all([
      ctx.db
        .select()
        .from(auditLog)
        .where(where)
        .orderBy(...order)
        .limit(q.pageSize)
        .offset(offsetOf(q)),
      ctx.db.select({ n: count() }).from(auditLog).where(where),
    ]);
    return { items: rows.map((r) => ({ ...r, seq: Number(r.seq) })), total: total[0]?.n ?? 0, page: q.page, pageSize: q.pageSize };
  };
  app.get(
    '/admin/audit',
    { config: { access: 'audit:read' }, schema: { tags: ['admin'], summary: 'Audit log', querystring: auditQuery, response: { 200: pageOf(auditItem) } } },
    async (req) => listAudit(req.query),
  );
  app.get(
    '/admin/audit/export.xlsx',
    { config: { access: 'audit:read' }, schema: { tags: ['admin'], summary: 'Export the audit log to Excel', querystring: auditQuery } },
    async (req, reply) => {
      const page = await listAudit({ ...req.query, page: 1, pageSize: 100_000 });
      const en = req.locale === 'en-US';
      const buf = await toXlsx(
        en ? 'Audit log' : '审计日志',
        [
          { header: '#', key: 'seq', value: (r) => r.seq },
          { header: en ? 'Time' : '时间', key: 'at', value: (r) => r.at },
          { header: en ? 'Actor' : '操作人', key: 'actor', value: (r) => r.actorName },
          { header: en ? 'Action' : '操作', key: 'action', value: (r) => codeLabel('auditAction', r.action, req.locale) },
          { header: en ? 'Entity' : '对象', key: 'entity', value: (r) => codeLabel('auditEntity', r.entity, req.locale) },
          { header: en ? 'Entity id' : '对象编号', key: 'entityId', value: (r) => r.entityId },
          { header: 'IP', key: 'ip', value: (r) => r.ip },
          { header: en ? 'Before' : '变更前', key: 'before', value: (r) => (r.before == null ? null : JSON.stringify(r.before)) },
          { header: en ? 'After' : '变更后', key: 'after', value: (r) => (r.after == null ? null : JSON.stringify(r.after)) },
          { header: en ? 'Hash' : '哈希', key: 'hash', value: (r) => r.hash },
        ],
        page.items,
        { locale: req.locale },
      );
      return sendXlsx(reply, 'audit-log.xlsx', buf);
    },
  );
  app.get(
    '/admin/audit/:id',
    { config: { access: 'audit:read' }, schema: { tags: ['admin'], summary: 'One audit entry', params: idParam, response: { 200: auditItem } } },
    async (req) => {
      const [r] = await ctx.db.select().from(auditLog).where(eq(auditLog.id, req.params.id));
      if (!r) throw new DomainError('NOT_FOUND');
      return { ...r, seq: Number(r.seq) };
    },
  );
  app.post(
    '/admin/audit/verify',
    {
      config: { access: 'audit:read' },
      schema: {
        tags: ['admin'],
        summary: 'Verify the audit hash chain',
        response: { 200: z.object({ ok: z.boolean(), checked: z.number(), firstBadSeq: z.number().nullable(), reason: z.string().nullable() }) },
      },
    },
    async () => verifyAudit(ctx.db),
  );

  // ---- data checks: the CLI's audit and stock verification as background jobs of the running server, with progress
  const checkJob = z.object({
    id: z.string(),
    kind: z.enum(CHECK_KINDS),
    status: z.enum(['running', 'succeeded', 'failed']),
    done: z.number(),
    total: z.number(),
    result: z
      .object({
        ok: z.boolean(),
        checked: z.number(),
        firstBadSeq: z.number().nullable(),
        reason: z.string().nullable(),
        drifts: z.array(
          z.object({ lotId: z.string(), locationId: z.string(), cachedOnHand: z.string(), ledgerOnHand: z.string(), cachedReserved: z.string(), activeReserved: z.string() }),
        ),
        driftCount: z.number(),
      })
      .nullable(),
    error: z.string().nullable(),
    startedAt: dateTime,
    finishedAt: dateTime.nullable(),
    startedBy: z.string(),
  });
  app.addHook('onClose', async () => stopChecks(ctx.db));
  app.post(
    '/admin/checks/:kind',
    {
      config: { access: 'admin:verify' },
      schema: {
        tags: ['admin'],
        summary: 'Start a data check (audit: the audit hash chain; stock: balances against the ledger) as a background job; a check of that kind still running is returned instead',
        params: z.object({ kind: z.enum(CHECK_KINDS) }),
        response: { 202: checkJob },
      },
    },
    async (req, reply) => {
      reply.code(202);
      return startCheck(ctx.db, actorOf(req), req.params.kind);
    },
  );
  app.get(
    '/admin/checks',
    {
      config: { access: 'admin:verify' },
      schema: { tags: ['admin'], summary: 'The data checks of this server instance, newest first', response: { 200: z.object({ items: z.array(checkJob) }) } },
    },
    async () => ({ items: listChecks(ctx.db) }),
  );
  app.get(
    '/admin/checks/:id',
    { config: { access: 'admin:verify' }, schema: { tags: ['admin'], summary: 'Progress and result of a data check', params: idParam, response: { 200: checkJob } } },
    async (req) => getCheck(ctx.db, req.params.id),
  );

  // ---- working-day calendar
  app.get(
    '/admin/calendar',
    {
      config: { access: 'calendar:manage' },
      schema: {
        tags: ['admin'],
        summary: 'Holidays and make-up workdays of a year',
        querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
        response: { 200: z.object({ coveredFrom: z.number(), coveredTo: z.number(), items: z.array(calendarItem) }) },
      },
    },
    async (req) => calendarYear(ctx.db, req.query.year),
  );
  app.put(
    '/admin/calendar/overrides/:date',
    {
      config: { access: 'calendar:manage' },
      schema: {
        tags: ['admin'],
        summary: 'Mark a day as holiday or workday',
        params: z.object({ date: businessDay }),
        body: z.strictObject({ kind: z.enum(['holiday', 'workday']), note: safeMultiline().trim().max(200).nullable().optional() }),
        response: { 200: calendarItem },
      },
    },
    async (req) => tx(req, (db, actor) => setOverride(db, actor, req.params.date, req.body.kind, req.body.note ?? null)),
  );
  app.delete(
    '/admin/calendar/overrides/:date',
    { config: { access: 'calendar:manage' }, schema: { tags: ['admin'], summary: 'Remove an override', params: z.object({ date: businessDay }), response: { 204: okEmpty } } },
    async (req, reply) => {
      await tx(req, (db, actor) => removeOverride(db, actor, req.params.date));
      return reply.status(204).send(null);
    },
  );

  // ---- notifications
  app.get(
    '/notifications',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['notifications'], summary: 'My notifications', querystring: listQuery.extend({ unread: qsBool }), response: { 200: pageOf(notificationItem) } },
    },
    async (req) => listNotifications(ctx.db, actorOf(req), req.query),
  );
  app.get(
    '/notifications/unread-count',
    { config: { access: 'authenticated' }, schema: { tags: ['notifications'], summary: 'Unread count', response: { 200: z.object({ count: z.number() }) } } },
    async (req) => ({
      count: await unreadCount(ctx.db, actorOf(req)),
    }),
  );
  app.post(
    '/notifications/:id/read',
    { config: { access: 'authenticated' }, schema: { tags: ['notifications'], summary: 'Mark read', params: idParam, response: { 204: okEmpty } } },
    async (req, reply) => {
      await markRead(ctx.db, actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
  app.post(
    '/notifications/read-all',
    { config: { access: 'authenticated' }, schema: { tags: ['notifications'], summary: 'Mark all read', response: { 204: okEmpty } } },
    async (req, reply) => {
      await markAllRead(ctx.db, actorOf(req));
      return reply.status(204).send(null);
    },
  );
};
