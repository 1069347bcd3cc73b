import { and, asc, count, desc, eq, ilike, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import type { Text } from '../../platform/i18n/locale.js';
import { notifyUsers } from '../../platform/notifications/notifications.service.js';
import { users } from '../../platform/platform.tables.js';
import { recordInitialState, transition } from '../../platform/state-machine.js';
import { TrackingErrors } from './tracking.errors.js';
import { exceptionMachine, type ExceptionEvent } from './tracking.states.js';
import { trackingExceptionActions, trackingExceptions, type ExceptionSeverity, type ExceptionStatus, type ExceptionType } from './tracking.tables.js';
import { addWorkingHours, workingHoursBetween } from './working-hours.js';

/** Response and resolution windows per severity, in working hours (09:00–18:00 on calendar working days). */
export const SEVERITY_HOURS: Record<ExceptionSeverity, { response: number; resolution: number }> = {
  critical: { response: 1, resolution: 8 },
  high: { response: 4, resolution: 18 },
  medium: { response: 8, resolution: 45 },
  low: { response: 18, resolution: 90 },
};

/** Escalation matrix: level 1 goes to the head of the department the type belongs to (its role), level 2 to management. */
export const DEPARTMENT_ROLE: Record<ExceptionType, string> = {
  production_failure: 'production',
  quality_problem: 'qc',
  logistics_delay: 'logistics',
  cold_chain_excursion: 'logistics',
  customer_dispute: 'aftersales',
};
export const MANAGEMENT_ROLE = 'manager';
const LEVEL_ROLE = (type: ExceptionType, level: number): string => (level >= 2 ? MANAGEMENT_ROLE : DEPARTMENT_ROLE[type]);

export const TYPE_NAMES: Record<ExceptionType, Text> = {
  production_failure: { zh: '生产故障', en: 'Production failure' },
  quality_problem: { zh: '质量问题', en: 'Quality problem' },
  logistics_delay: { zh: '物流延误', en: 'Logistics delay' },
  cold_chain_excursion: { zh: '冷链温度异常', en: 'Cold-chain excursion' },
  customer_dispute: { zh: '客户争议', en: 'Customer dispute' },
};
export const SEVERITY_NAMES: Record<ExceptionSeverity, Text> = {
  critical: { zh: '紧急', en: 'Critical' },
  high: { zh: '高', en: 'High' },
  medium: { zh: '中', en: 'Medium' },
  low: { zh: '低', en: 'Low' },
};
export const STATUS_NAMES: Record<ExceptionStatus, Text> = {
  open: { zh: '待响应', en: 'Open' },
  responding: { zh: '处理中', en: 'Responding' },
  resolved: { zh: '已解决', en: 'Resolved' },
  closed: { zh: '已关闭', en: 'Closed' },
};

export type ExceptionActionView = { id: string; text: string; ownerId: string | null; dueOn: string | null; doneAt: Date | null; createdAt: Date };
export type ExceptionView = {
  id: string;
  number: string;
  type: ExceptionType;
  severity: ExceptionSeverity;
  status: ExceptionStatus;
  title: string;
  description: string | null;
  ownerId: string;
  ownerName: string | null;
  orderId: string | null;
  lotId: string | null;
  shipmentId: string | null;
  responsePlan: string | null;
  resolution: string | null;
  responseDueAt: Date;
  resolutionDueAt: Date;
  respondedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  responseOverdue: boolean;
  resolutionOverdue: boolean;
  escalationLevel: number;
  escalatedAt: Date | null;
  escalatedToId: string | null;
  createdBy: string;
  createdAt: Date;
};
export type ExceptionDetail = ExceptionView & { ageWorkingHours: number; actions: ExceptionActionView[] };

export type ExceptionInput = {
  type: ExceptionType;
  severity: ExceptionSeverity;
  title: string;
  description?: string | null;
  ownerId: string;
  orderId?: string | null;
  lotId?: string | null;
  shipmentId?: string | null;
  responsePlan?: string | null;
  responseDueAt?: Date | null;
  resolutionDueAt?: Date | null;
  actions?: { text: string; ownerId?: string | null; dueOn?: string | null }[];
};

type Row = typeof trackingExceptions.$inferSelect;

function toView(r: Row, ownerName: string | null, now: Date): ExceptionView {
  const live = r.status === 'open' || r.status === 'responding';
  return {
    ...r,
    ownerName,
    responseOverdue: r.respondedAt === null && live && now > r.responseDueAt,
    resolutionOverdue: live && now > r.resolutionDueAt,
  };
}

async function activeUser(db: Db, id: string) {
  const [u] = await db
    .select({ id: users.id, username: users.username, displayName: users.displayName, roles: users.roles })
    .from(users)
    .where(and(eq(users.id, id), isNull(users.disabledAt)));
  return u ?? null;
}

async function requireUser(db: Db, id: string, field: string) {
  const u = await activeUser(db, id);
  if (!u) throw new DomainError(TrackingErrors.EXCEPTION_OWNER_UNKNOWN, {}, [{ field, code: TrackingErrors.EXCEPTION_OWNER_UNKNOWN }]);
  return u;
}

function futureDeadline(d: Date | null | undefined, now: Date, field: string): void {
  if (d && d.getTime() <= now.getTime()) {
    throw new DomainError(TrackingErrors.EXCEPTION_DEADLINE_PAST, { deadline: d.toISOString() }, [{ field, code: TrackingErrors.EXCEPTION_DEADLINE_PAST }]);
  }
}

async function loadRow(db: Db, id: string, lock = false): Promise<Row> {
  const q = db.select().from(trackingExceptions).where(eq(trackingExceptions.id, id));
  const [r] = lock ? await q.for('update') : await q;
  if (!r) throw new DomainError(TrackingErrors.EXCEPTION_NOT_FOUND);
  return r;
}

export async function getException(db: Db, _actor: Actor, id: string): Promise<ExceptionDetail> {
  const r = await loadRow(db, id);
  const owner = await activeUser(db, r.ownerId);
  const actions = await db.select().from(trackingExceptionActions).where(eq(trackingExceptionActions.exceptionId, id)).orderBy(asc(trackingExceptionActions.createdAt));
  const now = clock.now();
  const end = r.resolvedAt ?? r.closedAt ?? now;
  return {
    ...toView(r, owner?.displayName ?? null, now),
    ageWorkingHours: await workingHoursBetween(db, r.createdAt, end),
    actions: actions.map((a) => ({ id: a.id, text: a.text, ownerId: a.ownerId, dueOn: a.dueOn, doneAt: a.doneAt, createdAt: a.createdAt })),
  };
}

export async function createException(db: Db, actor: Actor, input: ExceptionInput): Promise<ExceptionDetail> {
  const now = clock.now();
  await requireUser(db, input.ownerId, 'ownerId');
  futureDeadline(input.responseDueAt, now, 'responseDueAt');
  futureDeadline(input.resolutionDueAt, now, 'resolutionDueAt');
  for (const [i, a] of (input.actions ?? []).entries()) if (a.ownerId) await requireUser(db, a.ownerId, `actions.${i}.ownerId`);
  const hours = SEVERITY_HOURS[input.severity];
  const responseDueAt = input.responseDueAt ?? (await addWorkingHours(db, now, hours.response));
  const resolutionDueAt = input.resolutionDueAt ?? (await addWorkingHours(db, now, hours.resolution));
  if (resolutionDueAt < responseDueAt) {
    throw new DomainError(TrackingErrors.EXCEPTION_DEADLINE_ORDER, {}, [{ field: 'resolutionDueAt', code: TrackingErrors.EXCEPTION_DEADLINE_ORDER }]);
  }
  const number = await nextDocNumber(db, 'EX', now);
  const [row] = await db
    .insert(trackingExceptions)
    .values({
      number,
      type: input.type,
      severity: input.severity,
      title: input.title,
      description: input.description ?? null,
      ownerId: input.ownerId,
      orderId: input.orderId ?? null,
      lotId: input.lotId ?? null,
      shipmentId: input.shipmentId ?? null,
      responsePlan: input.responsePlan ?? null,
      responseDueAt,
      resolutionDueAt,
      createdBy: actor.username,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (input.actions?.length) {
    await db
      .insert(trackingExceptionActions)
      .values(input.actions.map((a) => ({ exceptionId: row!.id, text: a.text, ownerId: a.ownerId ?? null, dueOn: a.dueOn ?? null, createdBy: actor.username, createdAt: now })));
  }
  await recordInitialState(db, actor, exceptionMachine, row!.id);
  await recordAudit(db, actor, { action: 'exception.create', entity: 'tracking_exception', entityId: row!.id, before: null, after: { ...row, actions: input.actions ?? [] } });
  await notifyUsers(db, {
    userIds: [input.ownerId],
    title: { zh: `新异常 ${number}`, en: `New exception ${number}` },
    body: {
      zh: `${TYPE_NAMES[input.type].zh}(${SEVERITY_NAMES[input.severity].zh}):${input.title}`,
      en: `${TYPE_NAMES[input.type].en} (${SEVERITY_NAMES[input.severity].en}): ${input.title}`,
    },
    link: `/exceptions/${row!.id}`,
  });
  return getException(db, actor, row!.id);
}

/** respond (with the response plan), resolve (with the resolution), reopen, close: each through the state table. */
export async function changeExceptionStatus(
  db: Db,
  actor: Actor,
  id: string,
  event: ExceptionEvent,
  body: { text?: string | null; reason?: string | null },
): Promise<ExceptionDetail> {
  const before = await loadRow(db, id, true);
  const text = body.text?.trim() || null;
  if (event === 'respond' && !text && !before.responsePlan) {
    throw new DomainError(TrackingErrors.EXCEPTION_PLAN_REQUIRED, {}, [{ field: 'text', code: TrackingErrors.EXCEPTION_PLAN_REQUIRED }]);
  }
  if (event === 'resolve' && !text)
    throw new DomainError(TrackingErrors.EXCEPTION_RESOLUTION_REQUIRED, {}, [{ field: 'text', code: TrackingErrors.EXCEPTION_RESOLUTION_REQUIRED }]);
  const to = await transition(db, actor, exceptionMachine, { id, from: before.status, event, reason: body.reason ?? text });
  const now = clock.now();
  const patch: Partial<Row> = { status: to, updatedAt: now };
  if (event === 'respond') {
    patch.respondedAt = now;
    if (text) patch.responsePlan = text;
  }
  if (event === 'resolve') {
    patch.resolvedAt = now;
    patch.resolution = text;
    if (!before.respondedAt) patch.respondedAt = now;
  }
  if (event === 'reopen') patch.resolvedAt = null;
  if (event === 'close') patch.closedAt = now;
  const [after] = await db
    .update(trackingExceptions)
    .set(patch)
    .where(and(eq(trackingExceptions.id, id), eq(trackingExceptions.status, before.status)))
    .returning();
  await recordAudit(db, actor, { action: `exception.${event}`, entity: 'tracking_exception', entityId: id, before, after: after ?? null });
  return getException(db, actor, id);
}

export async function addExceptionAction(db: Db, actor: Actor, id: string, input: { text: string; ownerId?: string | null; dueOn?: string | null }): Promise<ExceptionDetail> {
  const ex = await loadRow(db, id);
  if (ex.status === 'closed') throw new DomainError('INVALID_TRANSITION', { entity: exceptionMachine.entity, from: ex.status, event: 'add_action' });
  if (input.ownerId) await requireUser(db, input.ownerId, 'ownerId');
  const [a] = await db
    .insert(trackingExceptionActions)
    .values({ exceptionId: id, text: input.text, ownerId: input.ownerId ?? null, dueOn: input.dueOn ?? null, createdBy: actor.username, createdAt: clock.now() })
    .returning();
  await recordAudit(db, actor, { action: 'exception.action.add', entity: 'tracking_exception', entityId: id, before: null, after: a });
  return getException(db, actor, id);
}

export async function completeExceptionAction(db: Db, actor: Actor, id: string, actionId: string): Promise<ExceptionDetail> {
  const [before] = await db
    .select()
    .from(trackingExceptionActions)
    .where(and(eq(trackingExceptionActions.id, actionId), eq(trackingExceptionActions.exceptionId, id)));
  if (!before) throw new DomainError(TrackingErrors.EXCEPTION_ACTION_NOT_FOUND);
  const [after] = await db.update(trackingExceptionActions).set({ doneAt: clock.now() }).where(eq(trackingExceptionActions.id, actionId)).returning();
  await recordAudit(db, actor, { action: 'exception.action.done', entity: 'tracking_exception', entityId: id, before, after });
  return getException(db, actor, id);
}

async function escalateRow(db: Db, actor: Actor, r: Row, level: number, toUserId: string | null, reason: string): Promise<void> {
  const now = clock.now();
  const [after] = await db
    .update(trackingExceptions)
    .set({ escalationLevel: level, escalatedAt: now, escalatedToId: toUserId, updatedAt: now })
    .where(and(eq(trackingExceptions.id, r.id), eq(trackingExceptions.escalationLevel, r.escalationLevel)))
    .returning();
  if (!after) return;
  await recordAudit(db, actor, { action: 'exception.escalate', entity: 'tracking_exception', entityId: r.id, before: r, after: { ...after, reason } });
  const role = LEVEL_ROLE(r.type, level);
  await notifyUsers(db, {
    ...(toUserId ? { userIds: [toUserId, r.ownerId] } : { roles: [role], userIds: [r.ownerId] }),
    title: { zh: `异常 ${r.number} 升级至${level >= 2 ? '管理层' : '部门负责人'}`, en: `Exception ${r.number} escalated to ${level >= 2 ? 'management' : 'the department head'}` },
    body: { zh: `${r.title}(${reason})`, en: `${r.title} (${reason})` },
    link: `/exceptions/${r.id}`,
  });
}

/** Escalates by hand to a named user, who must hold the role of the next level (department role, then manager). */
export async function escalateException(db: Db, actor: Actor, id: string, input: { toUserId: string; reason: string }): Promise<ExceptionDetail> {
  const r = await loadRow(db, id, true);
  if (r.status === 'resolved' || r.status === 'closed') throw new DomainError(TrackingErrors.EXCEPTION_ESCALATION_CLOSED);
  if (r.escalationLevel >= 2) throw new DomainError(TrackingErrors.EXCEPTION_ESCALATION_TOP);
  const level = r.escalationLevel + 1;
  const target = await requireUser(db, input.toUserId, 'toUserId');
  const role = LEVEL_ROLE(r.type, level);
  if (!target.roles.includes(role) && !(level === 1 && target.roles.includes(MANAGEMENT_ROLE))) {
    throw new DomainError(TrackingErrors.EXCEPTION_ESCALATION_ROLE, { user: target.username, role, level }, [
      { field: 'toUserId', code: TrackingErrors.EXCEPTION_ESCALATION_ROLE },
    ]);
  }
  await escalateRow(db, actor, r, level, target.id, input.reason);
  return getException(db, actor, id);
}

/**
 * The escalation job: an unanswered exception past its response deadline, or an unresolved one past its resolution
 * deadline, goes to the department head (level 1); one still unresolved a response window after its resolution deadline
 * goes to management (level 2). Returns the number escalated.
 */
export async function runEscalations(db: Db, actor: Actor): Promise<number> {
  const now = clock.now();
  const rows = await db
    .select()
    .from(trackingExceptions)
    .where(
      and(
        inArray(trackingExceptions.status, ['open', 'responding']),
        lt(trackingExceptions.escalationLevel, 2),
        or(lt(trackingExceptions.resolutionDueAt, now), and(isNull(trackingExceptions.respondedAt), lt(trackingExceptions.responseDueAt, now))),
      ),
    )
    .orderBy(asc(trackingExceptions.createdAt))
    .limit(500);
  let n = 0;
  for (const r of rows) {
    let level = 1;
    if (now > r.resolutionDueAt) {
      const managementAt = await addWorkingHours(db, r.resolutionDueAt, SEVERITY_HOURS[r.severity].response);
      if (now >= managementAt) level = 2;
    }
    if (level <= r.escalationLevel) continue;
    const reason = level === 2 ? 'resolution overdue / 超期未解决' : now > r.resolutionDueAt ? 'resolution overdue / 超期未解决' : 'response overdue / 超期未响应';
    await escalateRow(db, actor, r, level, null, reason);
    n += 1;
  }
  return n;
}

export type ExceptionFilter = {
  page: number;
  pageSize: number;
  sort?: string;
  q?: string;
  status?: ExceptionStatus[];
  severity?: ExceptionSeverity[];
  type?: ExceptionType[];
  ownerId?: string;
  orderId?: string;
  overdue?: boolean;
};

function exceptionWhere(f: Omit<ExceptionFilter, 'page' | 'pageSize' | 'sort'>, now: Date): SQL | undefined {
  const conds: SQL[] = [];
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(or(ilike(trackingExceptions.title, like), ilike(trackingExceptions.number, like))!);
  }
  if (f.status?.length) conds.push(inArray(trackingExceptions.status, f.status));
  if (f.severity?.length) conds.push(inArray(trackingExceptions.severity, f.severity));
  if (f.type?.length) conds.push(inArray(trackingExceptions.type, f.type));
  if (f.ownerId) conds.push(eq(trackingExceptions.ownerId, f.ownerId));
  if (f.orderId) conds.push(eq(trackingExceptions.orderId, f.orderId));
  if (f.overdue) {
    conds.push(inArray(trackingExceptions.status, ['open', 'responding']));
    conds.push(or(lt(trackingExceptions.resolutionDueAt, now), and(isNull(trackingExceptions.respondedAt), lt(trackingExceptions.responseDueAt, now)))!);
  }
  return conds.length ? and(...conds) : undefined;
}

const SEVERITY_RANK = sql`case ${trackingExceptions.severity} when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end`;

export async function listExceptions(db: Db, _actor: Actor, f: ExceptionFilter): Promise<Page<ExceptionView>> {
  const now = clock.now();
  const where = exceptionWhere(f, now);
  const order = orderByOf(
    f.sort,
    {
      number: trackingExceptions.number,
      createdAt: trackingExceptions.createdAt,
      severity: SEVERITY_RANK,
      status: trackingExceptions.status,
      responseDueAt: trackingExceptions.responseDueAt,
      resolutionDueAt: trackingExceptions.resolutionDueAt,
      escalationLevel: trackingExceptions.escalationLevel,
    },
    [desc(trackingExceptions.createdAt), desc(trackingExceptions.id)],
  );
  const [rows, total] = await Promise.all([
    db
      .select({ r: trackingExceptions, ownerName: users.displayName })
      .from(trackingExceptions)
      .leftJoin(users, eq(users.id, trackingExceptions.ownerId))
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(trackingExceptions).where(where),
  ]);
  return { items: rows.map((x) => toView(x.r, x.ownerName, now)), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

export type BoardCell = { status: ExceptionStatus; severity: ExceptionSeverity; count: number; overdue: number; oldestCreatedAt: Date | null };

/** The board: counts by status and severity, with the overdue ones and the oldest (management sees open ones and their age). */
export async function exceptionBoard(db: Db, _actor: Actor): Promise<{ cells: BoardCell[] }> {
  const now = clock.now();
  const overdue = sql<number>`count(*) filter (where ${trackingExceptions.status} in ('open','responding') and (${trackingExceptions.resolutionDueAt} < ${now} or (${trackingExceptions.respondedAt} is null and ${trackingExceptions.responseDueAt} < ${now})))`;
  const rows = await db
    .select({
      status: trackingExceptions.status,
      severity: trackingExceptions.severity,
      count: count(),
      overdue: sql<number>`${overdue}::int`,
      oldest: sql<string | null>`min(${trackingExceptions.createdAt})`,
    })
    .from(trackingExceptions)
    .groupBy(trackingExceptions.status, trackingExceptions.severity);
  return {
    cells: rows.map((r) => ({ status: r.status, severity: r.severity, count: Number(r.count), overdue: Number(r.overdue), oldestCreatedAt: r.oldest ? new Date(r.oldest) : null })),
  };
}

/** Exceptions linked to an order (for the order timeline). */
export async function exceptionsOfOrder(db: Db, orderId: string): Promise<Row[]> {
  return db.select().from(trackingExceptions).where(eq(trackingExceptions.orderId, orderId)).orderBy(asc(trackingExceptions.createdAt));
}

/** Active staff (not customer accounts) by name, optionally holding a role: who may own or receive an exception. */
export async function listAssignees(
  db: Db,
  f: { q?: string; role?: string; page: number; pageSize: number },
): Promise<Page<{ id: string; username: string; displayName: string; roles: string[] }>> {
  const conds: SQL[] = [isNull(users.disabledAt), isNull(users.customerId)];
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conds.push(or(ilike(users.username, like), ilike(users.displayName, like))!);
  }
  if (f.role) conds.push(sql`${f.role} = any(${users.roles})`);
  const where = and(...conds);
  const [rows, total] = await Promise.all([
    db
      .select({ id: users.id, username: users.username, displayName: users.displayName, roles: users.roles })
      .from(users)
      .where(where)
      .orderBy(asc(users.username))
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { items: rows, total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}
