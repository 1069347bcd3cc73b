import crypto from 'node:crypto';
import { and, asc, count, desc, eq, gte, ilike, inArray, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { businessDate, clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { nextDocNumber } from '../../platform/docnum.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { offsetOf, orderByOf, type Page } from '../../platform/http/list.js';
import { users } from '../../platform/platform.tables.js';
import { PERMISSIONS, type Permission } from '../../platform/rbac/permissions.js';
import { defineSetting, getSetting } from '../../platform/settings/settings.service.js';
import { recordInitialState, transition } from '../../platform/state-machine.js';
import { TrainingErrors } from './training.errors.js';
import { attemptMachine, certificateMachine, planMachine, remedialMachine, sessionMachine, type PlanEvent, type SessionEvent } from './training.states.js';
import {
  trainingAssessments,
  trainingAttempts,
  trainingAttendance,
  trainingCertificates,
  trainingCertificateTypes,
  trainingCourses,
  trainingExams,
  trainingPlans,
  trainingQuestions,
  trainingRemedials,
  trainingSessionFiles,
  trainingSessions,
  trainingStaff,
  type Answer,
  type AssessmentKind,
  type ChecklistItem,
  type QuestionKind,
  type RemedyKind,
  type Result,
  type SessionKind,
  type SessionPart,
  type TrainingTopic,
} from './training.tables.js';

// ---------------------------------------------------------------- settings

export const certificateAlertDays = defineSetting({
  key: 'training.certificateAlertDays',
  module: 'training',
  type: 'integer',
  default: 30,
  min: 1,
  max: 365,
  label: { zh: '证书到期提前提醒天数', en: 'Certificate expiry reminder (days ahead)' },
  description: { zh: '持证人在证书到期前此天数内收到提醒。', en: 'Holders are reminded this many days before a certificate expires.' },
  unit: { zh: '天', en: 'days' },
});
export const remedialReminderDays = defineSetting({
  key: 'training.remedialReminderDays',
  module: 'training',
  type: 'integer',
  default: 3,
  min: 0,
  max: 60,
  label: { zh: '补考/辅导截止前提醒天数', en: 'Re-test reminder (days before the deadline)' },
  description: {
    zh: '补考或辅导培训在截止日前此天数内每天提醒本人;逾期后同时提醒培训管理员。',
    en: 'The assignee is reminded daily within this many days of the deadline; once overdue the training managers are told too.',
  },
  unit: { zh: '天', en: 'days' },
});
export const assessmentPassMark = defineSetting({
  key: 'training.assessmentPassMark',
  module: 'training',
  type: 'integer',
  default: 60,
  min: 1,
  max: 100,
  label: { zh: '实操/业绩考核合格分', en: 'Practical / performance pass mark' },
  description: { zh: '实操考核与工作业绩评估达到此分(百分制)为合格。', en: 'Practical checks and performance reviews at or above this score (of 100) pass.' },
  unit: { zh: '分', en: 'points' },
});
export const assessmentExcellentMark = defineSetting({
  key: 'training.assessmentExcellentMark',
  module: 'training',
  type: 'integer',
  default: 90,
  min: 1,
  max: 100,
  label: { zh: '实操/业绩考核优秀分', en: 'Practical / performance excellent mark' },
  description: { zh: '达到此分(百分制)评为优秀。', en: 'At or above this score (of 100) the result is excellent.' },
  unit: { zh: '分', en: 'points' },
});

export const practicalRecheckDays = defineSetting({
  key: 'training.practicalRecheckDays',
  module: 'training',
  type: 'integer',
  default: 14,
  min: 1,
  max: 365,
  label: { zh: '实操考核不合格后复核期限', en: 'Practical check: re-check within' },
  description: {
    zh: '实操考核不合格时自动安排辅导培训,须在此天数内再次考核合格。',
    en: 'A failed practical check assigns remedial training; the person must pass a new check within this many days.',
  },
  unit: { zh: '天', en: 'days' },
});

/** Seconds accepted after an exam's time limit for the submission to travel (a phone on a slow network). */
const SUBMIT_GRACE_MS = 60_000;

// ---------------------------------------------------------------- helpers

const today = (): string => businessDate(clock.now());

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function classify(score: number, passMark: number, excellentMark: number): Result {
  return score >= excellentMark ? 'excellent' : score >= passMark ? 'pass' : 'fail';
}

async function userNames(db: Db, ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const uniq = [...new Set(ids.filter((x): x is string => !!x))];
  if (!uniq.length) return new Map();
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, uniq));
  return new Map(rows.map((r) => [r.id, r.name]));
}

async function assertUsers(db: Db, ids: string[]): Promise<void> {
  const uniq = [...new Set(ids)];
  if (!uniq.length) return;
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, uniq), isNull(users.disabledAt), isNull(users.customerId)));
  const found = new Set(rows.map((r) => r.id));
  const missing = uniq.find((id) => !found.has(id));
  if (missing)
    throw new DomainError(TrainingErrors.TRAINING_USER_UNKNOWN, { userId: missing }, [
      { field: 'userIds', code: TrainingErrors.TRAINING_USER_UNKNOWN, params: { userId: missing } },
    ]);
}

function like(q: string | undefined, ...cols: SQL.Aliased[] | Parameters<typeof ilike>[0][]): SQL | undefined {
  if (!q) return undefined;
  const pattern = `%${q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
  return or(...(cols as Parameters<typeof ilike>[0][]).map((c) => ilike(c, pattern)));
}

/** The ids of users whose display name or username contains `q` (a subquery for the lists' keyword search). */
function usersMatching(db: Db, q: string) {
  return db
    .select({ id: users.id })
    .from(users)
    .where(like(q, users.displayName, users.username));
}

type ListArgs = { page: number; pageSize: number; sort?: string; q?: string };

async function paged<R, V>(
  db: Db,
  table: Parameters<ReturnType<Db['select']>['from']>[0],
  where: SQL | undefined,
  order: SQL[],
  f: ListArgs,
  view: (rows: R[]) => Promise<V[]>,
): Promise<Page<V>> {
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(table)
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(table).where(where),
  ]);
  return { items: await view(rows as R[]), total: total[0]?.n ?? 0, page: f.page, pageSize: f.pageSize };
}

// ---------------------------------------------------------------- competency gating

export type CompetencyGap = { typeId: string; code: string; name: string; nameEn: string };

/** The certificate types gating a permission that the actor holds no valid (unexpired, unrevoked) certificate of. */
export async function missingCompetencies(db: Db, actor: Actor, permission: Permission): Promise<CompetencyGap[]> {
  if (actor.userId === null) return [];
  const types = await db
    .select({ typeId: trainingCertificateTypes.id, code: trainingCertificateTypes.code, name: trainingCertificateTypes.name, nameEn: trainingCertificateTypes.nameEn })
    .from(trainingCertificateTypes)
    .where(and(eq(trainingCertificateTypes.active, true), sql`${permission} = any(${trainingCertificateTypes.gatedPermissions})`));
  if (!types.length) return [];
  const held = await db
    .select({ typeId: trainingCertificates.typeId })
    .from(trainingCertificates)
    .where(
      and(
        eq(trainingCertificates.userId, actor.userId),
        inArray(
          trainingCertificates.typeId,
          types.map((t) => t.typeId),
        ),
        eq(trainingCertificates.status, 'valid'),
        gte(trainingCertificates.expiresOn, today()),
      ),
    );
  const ok = new Set(held.map((h) => h.typeId));
  return types.filter((t) => !ok.has(t.typeId));
}

/**
 * The competency gate: a gated action needs, beside its permission, a valid certificate of every active certificate
 * type configured to gate that permission. Refuses with 403 COMPETENCY_REQUIRED naming the certificate.
 */
export async function requireCompetency(db: Db, actor: Actor, permission: Permission): Promise<void> {
  const [gap] = await missingCompetencies(db, actor, permission);
  if (!gap) return;
  await recordAudit(db, actor, { action: 'auth.competency_denied', entity: 'permission', entityId: permission, after: { certificate: gap.code } });
  throw new DomainError(TrainingErrors.COMPETENCY_REQUIRED, { certificateZh: gap.name, certificateEn: gap.nameEn, certificate: gap.code, permission });
}

// ---------------------------------------------------------------- staff departments

export async function setDepartment(db: Db, actor: Actor, userId: string, department: string): Promise<{ userId: string; department: string }> {
  await assertUsers(db, [userId]);
  const [before] = await db.select().from(trainingStaff).where(eq(trainingStaff.userId, userId));
  await db
    .insert(trainingStaff)
    .values({ userId, department, updatedAt: clock.now() })
    .onConflictDoUpdate({ target: trainingStaff.userId, set: { department, updatedAt: clock.now() } });
  await recordAudit(db, actor, {
    action: 'training.staff.department',
    entity: 'user',
    entityId: userId,
    before: before ? { department: before.department } : null,
    after: { department },
  });
  return { userId, department };
}

export type StaffView = { userId: string; username: string; displayName: string; roles: string[]; department: string | null; validCertificates: number };

export async function listStaff(db: Db, f: ListArgs & { department?: string; role?: string }): Promise<Page<StaffView>> {
  const where = and(
    isNull(users.disabledAt),
    isNull(users.customerId),
    f.department ? eq(trainingStaff.department, f.department) : undefined,
    f.role ? sql`${f.role} = any(${users.roles})` : undefined,
    like(f.q, users.username, users.displayName, trainingStaff.department),
  );
  const order = orderByOf(f.sort, { username: users.username, displayName: users.displayName, department: trainingStaff.department }, [asc(users.username)]);
  const base = db.select({ u: users, department: trainingStaff.department }).from(users).leftJoin(trainingStaff, eq(trainingStaff.userId, users.id));
  const [rows, total] = await Promise.all([
    base
      .where(where)
      .orderBy(...order)
      .limit(f.pageSize)
      .offset(offsetOf(f)),
    db.select({ n: count() }).from(users).leftJoin(trainingStaff, eq(trainingStaff.userId, users.id)).where(where),
  ]);
  const ids = rows.map((r) => r.u.id);
  const certs = ids.length
    ? await db
        .select({ userId: trainingCertificates.userId, n: count() })
        .from(trainingCertificates)
        .where(and(inArray(trainingCertificates.userId, ids), eq(trainingCertificates.status, 'valid'), gte(trainingCertificates.expiresOn, today())))
        .groupBy(trainingCertificates.userId)
    : [];
  const certCount = new Map(certs.map((c) => [c.userId, c.n]));
  return {
    items: rows.map((r) => ({
      userId: r.u.id,
      username: r.u.username,
      displayName: r.u.displayName,
      roles: r.u.roles,
      department: r.department,
      validCertificates: certCount.get(r.u.id) ?? 0,
    })),
    total: total[0]?.n ?? 0,
    page: f.page,
    pageSize: f.pageSize,
  };
}

// ---------------------------------------------------------------- plans and courses

type PlanRow = typeof trainingPlans.$inferSelect;
type CourseRow = typeof trainingCourses.$inferSelect;

export type CourseView = { id: string; planId: string; topic: TrainingTopic; title: string; minutes: number; targetDate: string };
export type PlanView = {
  id: string;
  code: string;
  year: number;
  title: string;
  role: string | null;
  department: string | null;
  topics: TrainingTopic[];
  status: PlanRow['status'];
  note: string | null;
  courseCount: number;
  totalMinutes: number;
  nextTargetDate: string | null;
  createdAt: Date;
};
export type PlanDetail = PlanView & { courses: CourseView[] };

const courseView = (c: CourseRow): CourseView => ({ id: c.id, planId: c.planId, topic: c.topic, title: c.title, minutes: c.minutes, targetDate: c.targetDate });

async function planViews(db: Db, rows: PlanRow[]): Promise<PlanView[]> {
  const ids = rows.map((r) => r.id);
  const courses = ids.length
    ? await db
        .select()
        .from(trainingCourses)
        .where(and(inArray(trainingCourses.planId, ids), isNull(trainingCourses.archivedAt)))
    : [];
  return rows.map((p) => {
    const own = courses.filter((c) => c.planId === p.id);
    const upcoming = own
      .map((c) => c.targetDate)
      .filter((d) => d >= today())
      .sort();
    return {
      id: p.id,
      code: p.code,
      year: p.year,
      title: p.title,
      role: p.role,
      department: p.department,
      topics: p.topics,
      status: p.status,
      note: p.note,
      courseCount: own.length,
      totalMinutes: own.reduce((s, c) => s + c.minutes, 0),
      nextTargetDate: upcoming[0] ?? null,
      createdAt: p.createdAt,
    };
  });
}

async function loadPlan(db: Db, id: string, asRef = false): Promise<PlanRow> {
  const [p] = await db.select().from(trainingPlans).where(eq(trainingPlans.id, id));
  if (!p)
    throw new DomainError(
      asRef ? TrainingErrors.TRAINING_PLAN_NOT_FOUND_REF : TrainingErrors.TRAINING_PLAN_NOT_FOUND,
      {},
      asRef ? [{ field: 'planId', code: TrainingErrors.TRAINING_PLAN_NOT_FOUND_REF }] : [],
    );
  return p;
}

export async function listPlans(
  db: Db,
  f: ListArgs & { year?: number; status?: PlanRow['status']; role?: string; department?: string; topic?: TrainingTopic },
): Promise<Page<PlanView>> {
  const where = and(
    f.year ? eq(trainingPlans.year, f.year) : undefined,
    f.status ? eq(trainingPlans.status, f.status) : undefined,
    f.role ? eq(trainingPlans.role, f.role) : undefined,
    f.department ? eq(trainingPlans.department, f.department) : undefined,
    f.topic ? sql`${f.topic} = any(${trainingPlans.topics})` : undefined,
    like(f.q, trainingPlans.code, trainingPlans.title, trainingPlans.department),
  );
  const order = orderByOf(
    f.sort,
    { code: trainingPlans.code, year: trainingPlans.year, title: trainingPlans.title, status: trainingPlans.status, createdAt: trainingPlans.createdAt },
    [desc(trainingPlans.year), asc(trainingPlans.code)],
  );
  return paged<PlanRow, PlanView>(db, trainingPlans, where, order, f, (rows) => planViews(db, rows));
}

export async function getPlan(db: Db, id: string): Promise<PlanDetail> {
  const p = await loadPlan(db, id);
  const [view] = await planViews(db, [p]);
  const courses = await db
    .select()
    .from(trainingCourses)
    .where(and(eq(trainingCourses.planId, id), isNull(trainingCourses.archivedAt)))
    .orderBy(asc(trainingCourses.targetDate), asc(trainingCourses.createdAt));
  return { ...view!, courses: courses.map(courseView) };
}

export type PlanInput = { year: number; title: string; role?: string | null; department?: string | null; topics: TrainingTopic[]; note?: string | null };
export type CourseInput = { topic: TrainingTopic; title: string; minutes: number; targetDate: string };

export async function createPlan(db: Db, actor: Actor, input: PlanInput & { courses?: CourseInput[] }): Promise<PlanDetail> {
  const code = await nextDocNumber(db, 'TP', clock.now());
  const [p] = await db
    .insert(trainingPlans)
    .values({
      code,
      year: input.year,
      title: input.title,
      role: input.role ?? null,
      department: input.department ?? null,
      topics: [...new Set(input.topics)],
      note: input.note ?? null,
    })
    .returning();
  await recordInitialState(db, actor, planMachine, p!.id, 'draft');
  for (const c of input.courses ?? []) await db.insert(trainingCourses).values({ planId: p!.id, ...c });
  const view = await getPlan(db, p!.id);
  await recordAudit(db, actor, { action: 'training.plan.create', entity: 'training_plan', entityId: p!.id, after: view });
  return view;
}

export async function updatePlan(db: Db, actor: Actor, id: string, patch: Partial<PlanInput>): Promise<PlanDetail> {
  const before = await getPlan(db, id);
  if (before.status === 'closed') throw new DomainError(TrainingErrors.TRAINING_PLAN_CLOSED);
  await db
    .update(trainingPlans)
    .set({ ...patch, ...(patch.topics ? { topics: [...new Set(patch.topics)] } : {}), updatedAt: clock.now() })
    .where(eq(trainingPlans.id, id));
  const after = await getPlan(db, id);
  await recordAudit(db, actor, { action: 'training.plan.update', entity: 'training_plan', entityId: id, before, after });
  return after;
}

export async function changePlanStatus(db: Db, actor: Actor, id: string, event: PlanEvent, reason: string | null): Promise<PlanDetail> {
  const p = await loadPlan(db, id);
  const to = await transition(db, actor, planMachine, { id, from: p.status, event, reason });
  const done = await db
    .update(trainingPlans)
    .set({ status: to, updatedAt: clock.now() })
    .where(and(eq(trainingPlans.id, id), eq(trainingPlans.status, p.status)))
    .returning({ id: trainingPlans.id });
  if (!done.length) throw new DomainError('CONFLICT');
  await recordAudit(db, actor, { action: `training.plan.${event}`, entity: 'training_plan', entityId: id, before: { status: p.status }, after: { status: to, reason } });
  return getPlan(db, id);
}

export async function addCourse(db: Db, actor: Actor, planId: string, input: CourseInput): Promise<CourseView> {
  const p = await loadPlan(db, planId);
  if (p.status === 'closed') throw new DomainError(TrainingErrors.TRAINING_PLAN_CLOSED);
  const [c] = await db
    .insert(trainingCourses)
    .values({ planId, ...input })
    .returning();
  const view = courseView(c!);
  await recordAudit(db, actor, { action: 'training.course.add', entity: 'training_plan', entityId: planId, after: view });
  return view;
}

export async function archiveCourse(db: Db, actor: Actor, planId: string, courseId: string): Promise<void> {
  const [c] = await db
    .update(trainingCourses)
    .set({ archivedAt: clock.now() })
    .where(and(eq(trainingCourses.id, courseId), eq(trainingCourses.planId, planId), isNull(trainingCourses.archivedAt)))
    .returning();
  if (!c) throw new DomainError(TrainingErrors.TRAINING_COURSE_NOT_FOUND);
  await recordAudit(db, actor, { action: 'training.course.archive', entity: 'training_plan', entityId: planId, before: courseView(c) });
}

// ---------------------------------------------------------------- sessions and attendance

type SessionRow = typeof trainingSessions.$inferSelect;
type AttendanceRow = typeof trainingAttendance.$inferSelect;

export type AttendanceView = {
  userId: string;
  displayName: string;
  invitedAt: Date;
  checkedInAt: Date | null;
  method: AttendanceRow['method'];
  minutesCredited: number | null;
};
export type SessionView = {
  id: string;
  code: string;
  planId: string;
  planCode: string;
  courseId: string | null;
  title: string;
  kind: SessionKind;
  topic: TrainingTopic;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  link: string | null;
  trainerId: string | null;
  trainerName: string | null;
  minutes: number;
  status: SessionRow['status'];
  invited: number;
  attended: number;
};
export type SessionDetail = SessionView & {
  parts: SessionPart[];
  attendance: AttendanceView[];
  files: { id: string; filename: string; contentType: string; size: number; createdAt: Date }[];
  checkinToken: string | null;
};

async function sessionViews(db: Db, rows: SessionRow[]): Promise<SessionView[]> {
  const ids = rows.map((r) => r.id);
  const [att, plans, names] = await Promise.all([
    ids.length
      ? db
          .select({ sessionId: trainingAttendance.sessionId, invited: count(), attended: sql<number>`count(${trainingAttendance.checkedInAt})::int` })
          .from(trainingAttendance)
          .where(inArray(trainingAttendance.sessionId, ids))
          .groupBy(trainingAttendance.sessionId)
      : [],
    rows.length
      ? db
          .select({ id: trainingPlans.id, code: trainingPlans.code })
          .from(trainingPlans)
          .where(
            inArray(
              trainingPlans.id,
              rows.map((r) => r.planId),
            ),
          )
      : [],
    userNames(
      db,
      rows.map((r) => r.trainerId),
    ),
  ]);
  const counts = new Map(att.map((a) => [a.sessionId, a]));
  const planCodes = new Map(plans.map((p) => [p.id, p.code]));
  return rows.map((s) => ({
    id: s.id,
    code: s.code,
    planId: s.planId,
    planCode: planCodes.get(s.planId) ?? '',
    courseId: s.courseId,
    title: s.title,
    kind: s.kind,
    topic: s.topic,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    place: s.place,
    link: s.link,
    trainerId: s.trainerId,
    trainerName: s.trainerId ? (names.get(s.trainerId) ?? null) : null,
    minutes: s.minutes,
    status: s.status,
    invited: counts.get(s.id)?.invited ?? 0,
    attended: Number(counts.get(s.id)?.attended ?? 0),
  }));
}

async function loadSession(db: Db, id: string): Promise<SessionRow> {
  const [s] = await db.select().from(trainingSessions).where(eq(trainingSessions.id, id));
  if (!s) throw new DomainError(TrainingErrors.TRAINING_SESSION_NOT_FOUND);
  return s;
}

export type SessionFilter = ListArgs & {
  planId?: string;
  status?: SessionRow['status'];
  kind?: SessionKind;
  topic?: TrainingTopic;
  from?: string;
  to?: string;
  attendeeId?: string;
};

export async function listSessions(db: Db, f: SessionFilter): Promise<Page<SessionView>> {
  const where = and(
    f.planId ? eq(trainingSessions.planId, f.planId) : undefined,
    f.status ? eq(trainingSessions.status, f.status) : undefined,
    f.kind ? eq(trainingSessions.kind, f.kind) : undefined,
    f.topic ? eq(trainingSessions.topic, f.topic) : undefined,
    f.from ? gte(trainingSessions.startsAt, new Date(`${f.from}T00:00:00+08:00`)) : undefined,
    f.to ? lte(trainingSessions.startsAt, new Date(`${f.to}T23:59:59.999+08:00`)) : undefined,
    f.attendeeId
      ? inArray(trainingSessions.id, db.select({ id: trainingAttendance.sessionId }).from(trainingAttendance).where(eq(trainingAttendance.userId, f.attendeeId)))
      : undefined,
    like(f.q, trainingSessions.code, trainingSessions.title, trainingSessions.place),
  );
  const order = orderByOf(
    f.sort,
    { code: trainingSessions.code, title: trainingSessions.title, startsAt: trainingSessions.startsAt, kind: trainingSessions.kind, status: trainingSessions.status },
    [desc(trainingSessions.startsAt)],
  );
  return paged<SessionRow, SessionView>(db, trainingSessions, where, order, f, (rows) => sessionViews(db, rows));
}

export async function getSession(db: Db, id: string, opts: { withToken: boolean }): Promise<SessionDetail> {
  const s = await loadSession(db, id);
  const [view] = await sessionViews(db, [s]);
  const [att, files] = await Promise.all([
    db.select().from(trainingAttendance).where(eq(trainingAttendance.sessionId, id)).orderBy(asc(trainingAttendance.invitedAt)),
    db
      .select({
        id: trainingSessionFiles.id,
        filename: trainingSessionFiles.filename,
        contentType: trainingSessionFiles.contentType,
        size: trainingSessionFiles.size,
        createdAt: trainingSessionFiles.createdAt,
      })
      .from(trainingSessionFiles)
      .where(eq(trainingSessionFiles.sessionId, id))
      .orderBy(asc(trainingSessionFiles.createdAt)),
  ]);
  const names = await userNames(
    db,
    att.map((a) => a.userId),
  );
  return {
    ...view!,
    parts: s.parts,
    attendance: att.map((a) => ({
      userId: a.userId,
      displayName: names.get(a.userId) ?? a.userId,
      invitedAt: a.invitedAt,
      checkedInAt: a.checkedInAt,
      method: a.method,
      minutesCredited: a.minutesCredited,
    })),
    files,
    checkinToken: opts.withToken ? s.checkinToken : null,
  };
}

export type SessionInput = {
  planId: string;
  courseId?: string | null;
  title: string;
  kind: SessionKind;
  topic: TrainingTopic;
  startsAt: Date;
  endsAt: Date;
  place?: string | null;
  link?: string | null;
  trainerId?: string | null;
  minutes?: number;
  parts?: SessionPart[];
  inviteeIds?: string[];
};

function checkSessionTimes(startsAt: Date, endsAt: Date): void {
  if (startsAt.getTime() < clock.now().getTime())
    throw new DomainError(TrainingErrors.TRAINING_SESSION_IN_PAST, {}, [{ field: 'startsAt', code: TrainingErrors.TRAINING_SESSION_IN_PAST }]);
  if (endsAt.getTime() <= startsAt.getTime())
    throw new DomainError(TrainingErrors.TRAINING_SESSION_TIMES_INVALID, {}, [{ field: 'endsAt', code: TrainingErrors.TRAINING_SESSION_TIMES_INVALID }]);
}

function checkVenue(kind: SessionKind, place: string | null | undefined, link: string | null | undefined): void {
  const missing = kind === 'online' ? (!link ? 'link' : null) : !place ? 'place' : null;
  if (missing) throw new DomainError(TrainingErrors.TRAINING_SESSION_PLACE_REQUIRED, {}, [{ field: missing, code: 'FIELD_REQUIRED' }]);
}

export async function createSession(db: Db, actor: Actor, input: SessionInput): Promise<SessionDetail> {
  const plan = await loadPlan(db, input.planId, true);
  if (plan.status === 'closed') throw new DomainError(TrainingErrors.TRAINING_PLAN_CLOSED, {}, [{ field: 'planId', code: TrainingErrors.TRAINING_PLAN_CLOSED }]);
  if (input.courseId) {
    const [c] = await db
      .select({ id: trainingCourses.id })
      .from(trainingCourses)
      .where(and(eq(trainingCourses.id, input.courseId), eq(trainingCourses.planId, input.planId)));
    if (!c) throw new DomainError(TrainingErrors.TRAINING_COURSE_NOT_FOUND, {}, [{ field: 'courseId', code: TrainingErrors.TRAINING_COURSE_NOT_FOUND }]);
  }
  checkSessionTimes(input.startsAt, input.endsAt);
  checkVenue(input.kind, input.place, input.link);
  await assertUsers(db, [...(input.trainerId ? [input.trainerId] : []), ...(input.inviteeIds ?? [])]);
  const code = await nextDocNumber(db, 'TS', clock.now());
  const [s] = await db
    .insert(trainingSessions)
    .values({
      code,
      planId: input.planId,
      courseId: input.courseId ?? null,
      title: input.title,
      kind: input.kind,
      topic: input.topic,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      place: input.place ?? null,
      link: input.link ?? null,
      trainerId: input.trainerId ?? null,
      minutes: input.minutes ?? Math.round((input.endsAt.getTime() - input.startsAt.getTime()) / 60_000),
      parts: input.parts ?? [],
      checkinToken: crypto.randomBytes(18).toString('base64url'),
    })
    .returning();
  await recordInitialState(db, actor, sessionMachine, s!.id, 'scheduled');
  if (input.inviteeIds?.length) await insertInvites(db, s!.id, input.inviteeIds);
  const view = await getSession(db, s!.id, { withToken: false });
  await recordAudit(db, actor, { action: 'training.session.create', entity: 'training_session', entityId: s!.id, after: view });
  return getSession(db, s!.id, { withToken: true });
}

export async function updateSession(db: Db, actor: Actor, id: string, patch: Partial<Omit<SessionInput, 'planId' | 'inviteeIds'>>): Promise<SessionDetail> {
  const s = await loadSession(db, id);
  if (s.status !== 'scheduled') throw new DomainError('INVALID_TRANSITION', { entity: 'training_session', from: s.status, event: 'update' });
  const startsAt = patch.startsAt ?? s.startsAt;
  const endsAt = patch.endsAt ?? s.endsAt;
  if (patch.startsAt || patch.endsAt) checkSessionTimes(startsAt, endsAt);
  checkVenue(patch.kind ?? s.kind, patch.place !== undefined ? patch.place : s.place, patch.link !== undefined ? patch.link : s.link);
  if (patch.trainerId) await assertUsers(db, [patch.trainerId]);
  const before = await getSession(db, id, { withToken: false });
  await db
    .update(trainingSessions)
    .set({ ...patch, updatedAt: clock.now() })
    .where(eq(trainingSessions.id, id));
  const after = await getSession(db, id, { withToken: false });
  await recordAudit(db, actor, { action: 'training.session.update', entity: 'training_session', entityId: id, before, after });
  return getSession(db, id, { withToken: true });
}

async function insertInvites(db: Db, sessionId: string, userIds: string[]): Promise<string[]> {
  const rows = await db
    .insert(trainingAttendance)
    .values([...new Set(userIds)].map((userId) => ({ sessionId, userId, invitedAt: clock.now() })))
    .onConflictDoNothing()
    .returning({ userId: trainingAttendance.userId });
  return rows.map((r) => r.userId);
}

export async function inviteToSession(
  db: Db,
  actor: Actor,
  id: string,
  userIds: string[],
  notify: (db: Db, n: { userIds: string[]; title: { zh: string; en: string }; body: { zh: string; en: string }; link: string }) => Promise<unknown>,
): Promise<SessionDetail> {
  const s = await loadSession(db, id);
  if (s.status !== 'scheduled') throw new DomainError(TrainingErrors.TRAINING_SESSION_NOT_OPEN);
  await assertUsers(db, userIds);
  const added = await insertInvites(db, id, userIds);
  if (added.length) {
    const when = `${businessDate(s.startsAt)} ${s.startsAt.toISOString().slice(11, 16)} UTC`;
    await notify(db, {
      userIds: added,
      title: { zh: `培训邀请:${s.title}`, en: `Training invitation: ${s.title}` },
      body: { zh: `请于 ${when} 参加培训“${s.title}”(${s.place ?? s.link ?? ''})。`, en: `Please attend “${s.title}” at ${when} (${s.place ?? s.link ?? ''}).` },
      link: '/training/me',
    });
  }
  await recordAudit(db, actor, { action: 'training.session.invite', entity: 'training_session', entityId: id, after: { userIds: added } });
  return getSession(db, id, { withToken: true });
}

async function checkIn(db: Db, actor: Actor, s: SessionRow, userId: string, method: 'trainer' | 'qr'): Promise<AttendanceView> {
  if (s.status !== 'scheduled') throw new DomainError(TrainingErrors.TRAINING_SESSION_NOT_OPEN);
  const [a] = await db
    .select()
    .from(trainingAttendance)
    .where(and(eq(trainingAttendance.sessionId, s.id), eq(trainingAttendance.userId, userId)));
  if (!a) throw new DomainError(TrainingErrors.TRAINING_NOT_INVITED, {}, [{ field: 'userId', code: TrainingErrors.TRAINING_NOT_INVITED }]);
  const row = a.checkedInAt
    ? a
    : (
        await db
          .update(trainingAttendance)
          .set({ checkedInAt: clock.now(), method })
          .where(and(eq(trainingAttendance.id, a.id), isNull(trainingAttendance.checkedInAt)))
          .returning()
      )[0]!;
  if (!a.checkedInAt) await recordAudit(db, actor, { action: 'training.session.checkin', entity: 'training_session', entityId: s.id, after: { userId, method } });
  const names = await userNames(db, [userId]);
  return { userId, displayName: names.get(userId) ?? userId, invitedAt: row.invitedAt, checkedInAt: row.checkedInAt, method: row.method, minutesCredited: row.minutesCredited };
}

export async function checkInByTrainer(db: Db, actor: Actor, sessionId: string, userId: string): Promise<AttendanceView> {
  return checkIn(db, actor, await loadSession(db, sessionId), userId, 'trainer');
}

export async function checkInByToken(db: Db, actor: Actor, token: string): Promise<AttendanceView & { sessionId: string; title: string }> {
  const [s] = await db.select().from(trainingSessions).where(eq(trainingSessions.checkinToken, token));
  if (!s) throw new DomainError(TrainingErrors.TRAINING_CHECKIN_TOKEN_INVALID);
  const a = await checkIn(db, actor, s, actor.userId!, 'qr');
  return { ...a, sessionId: s.id, title: s.title };
}

export async function changeSessionStatus(db: Db, actor: Actor, id: string, event: SessionEvent, reason: string | null): Promise<SessionDetail> {
  const s = await loadSession(db, id);
  const to = await transition(db, actor, sessionMachine, { id, from: s.status, event, reason });
  const done = await db
    .update(trainingSessions)
    .set({ status: to, updatedAt: clock.now() })
    .where(and(eq(trainingSessions.id, id), eq(trainingSessions.status, s.status)))
    .returning({ id: trainingSessions.id });
  if (!done.length) throw new DomainError('CONFLICT');
  // Hours are credited to those who checked in when the session is held.
  if (to === 'completed')
    await db
      .update(trainingAttendance)
      .set({ minutesCredited: s.minutes })
      .where(and(eq(trainingAttendance.sessionId, id), sql`${trainingAttendance.checkedInAt} is not null`));
  await recordAudit(db, actor, { action: `training.session.${event}`, entity: 'training_session', entityId: id, before: { status: s.status }, after: { status: to, reason } });
  return getSession(db, id, { withToken: true });
}

export async function setSessionParts(db: Db, actor: Actor, id: string, parts: SessionPart[]): Promise<SessionDetail> {
  const s = await loadSession(db, id);
  await db.update(trainingSessions).set({ parts, updatedAt: clock.now() }).where(eq(trainingSessions.id, id));
  await recordAudit(db, actor, { action: 'training.session.parts', entity: 'training_session', entityId: id, before: { parts: s.parts }, after: { parts } });
  return getSession(db, id, { withToken: true });
}

const MATERIAL_TYPES = new Set([
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'image/jpeg',
  'image/png',
  'video/mp4',
  'video/webm',
]);

export async function uploadSessionFile(
  db: Db,
  actor: Actor,
  sessionId: string,
  file: { filename: string; contentType: string; data: Buffer },
): Promise<{ id: string; filename: string; size: number }> {
  await loadSession(db, sessionId);
  if (!MATERIAL_TYPES.has(file.contentType))
    throw new DomainError(TrainingErrors.TRAINING_FILE_TYPE_NOT_ALLOWED, {}, [{ field: 'file', code: TrainingErrors.TRAINING_FILE_TYPE_NOT_ALLOWED }]);
  if (!file.data.length) throw new DomainError(TrainingErrors.TRAINING_FILE_REQUIRED, {}, [{ field: 'file', code: 'FIELD_REQUIRED' }]);
  const sha256 = crypto.createHash('sha256').update(file.data).digest('hex');
  const [f] = await db
    .insert(trainingSessionFiles)
    .values({ sessionId, filename: file.filename.slice(0, 200), contentType: file.contentType, size: file.data.length, sha256, data: file.data, uploadedBy: actor.username })
    .returning({ id: trainingSessionFiles.id, filename: trainingSessionFiles.filename, size: trainingSessionFiles.size });
  await recordAudit(db, actor, {
    action: 'training.session.file',
    entity: 'training_session',
    entityId: sessionId,
    after: { fileId: f!.id, filename: f!.filename, size: f!.size, sha256 },
  });
  return f!;
}

export async function getSessionFile(
  db: Db,
  actor: Actor,
  sessionId: string,
  fileId: string,
  canManage: boolean,
): Promise<{ filename: string; contentType: string; data: Buffer }> {
  if (!canManage) {
    const [a] = await db
      .select({ id: trainingAttendance.id })
      .from(trainingAttendance)
      .where(and(eq(trainingAttendance.sessionId, sessionId), eq(trainingAttendance.userId, actor.userId ?? '')));
    if (!a) throw new DomainError(TrainingErrors.TRAINING_FILE_NOT_FOUND);
  }
  const [f] = await db
    .select()
    .from(trainingSessionFiles)
    .where(and(eq(trainingSessionFiles.id, fileId), eq(trainingSessionFiles.sessionId, sessionId)));
  if (!f) throw new DomainError(TrainingErrors.TRAINING_FILE_NOT_FOUND);
  return { filename: f.filename, contentType: f.contentType, data: f.data };
}

export async function sessionCheckinToken(db: Db, id: string): Promise<string> {
  return (await loadSession(db, id)).checkinToken;
}

// ---------------------------------------------------------------- question bank

type QuestionRow = typeof trainingQuestions.$inferSelect;
export type QuestionView = {
  id: string;
  topic: TrainingTopic;
  kind: QuestionKind;
  text: string;
  options: string[];
  answer: number[] | boolean | null;
  points: number;
  active: boolean;
  createdAt: Date;
};
export type QuestionInput = { topic: TrainingTopic; kind: QuestionKind; text: string; options?: string[]; answer?: number[] | boolean | null; points?: number; active?: boolean };

const questionView = (q: QuestionRow): QuestionView => ({
  id: q.id,
  topic: q.topic,
  kind: q.kind,
  text: q.text,
  options: q.options,
  answer: q.answer ?? null,
  points: q.points,
  active: q.active,
  createdAt: q.createdAt,
});

/** A question without a correct answer (or whose answer is not among its options) is refused. */
function checkQuestion(q: QuestionInput): { options: string[]; answer: number[] | boolean | null } {
  const need = (code: string) => new DomainError(code, {}, [{ field: code === TrainingErrors.TRAINING_QUESTION_ANSWER_REQUIRED ? 'answer' : 'options', code }]);
  if (q.kind === 'short') return { options: [], answer: null };
  if (q.kind === 'true_false') {
    if (typeof q.answer !== 'boolean') throw need(TrainingErrors.TRAINING_QUESTION_ANSWER_REQUIRED);
    return { options: [], answer: q.answer };
  }
  const options = q.options ?? [];
  if (options.length < 2) throw need(TrainingErrors.TRAINING_QUESTION_OPTIONS_INVALID);
  if (!Array.isArray(q.answer) || q.answer.length === 0) throw need(TrainingErrors.TRAINING_QUESTION_ANSWER_REQUIRED);
  const answer = [...new Set(q.answer)].sort((a, b) => a - b);
  if (answer.some((i) => i < 0 || i >= options.length)) throw need(TrainingErrors.TRAINING_QUESTION_OPTIONS_INVALID);
  if (q.kind === 'single' && answer.length !== 1) throw need(TrainingErrors.TRAINING_QUESTION_OPTIONS_INVALID);
  return { options, answer };
}

export async function listQuestions(db: Db, f: ListArgs & { topic?: TrainingTopic; kind?: QuestionKind; active?: boolean }): Promise<Page<QuestionView>> {
  const where = and(
    f.topic ? eq(trainingQuestions.topic, f.topic) : undefined,
    f.kind ? eq(trainingQuestions.kind, f.kind) : undefined,
    f.active !== undefined ? eq(trainingQuestions.active, f.active) : undefined,
    like(f.q, trainingQuestions.text),
  );
  const order = orderByOf(f.sort, { topic: trainingQuestions.topic, kind: trainingQuestions.kind, points: trainingQuestions.points, createdAt: trainingQuestions.createdAt }, [
    asc(trainingQuestions.topic),
    asc(trainingQuestions.createdAt),
  ]);
  return paged<QuestionRow, QuestionView>(db, trainingQuestions, where, order, f, async (rows) => rows.map(questionView));
}

export async function createQuestion(db: Db, actor: Actor, input: QuestionInput): Promise<QuestionView> {
  const checked = checkQuestion(input);
  const [q] = await db
    .insert(trainingQuestions)
    .values({ topic: input.topic, kind: input.kind, text: input.text, ...checked, points: input.points ?? 1, active: input.active ?? true })
    .returning();
  const view = questionView(q!);
  await recordAudit(db, actor, { action: 'training.question.create', entity: 'training_question', entityId: q!.id, after: view });
  return view;
}

export async function updateQuestion(db: Db, actor: Actor, id: string, patch: Partial<QuestionInput>): Promise<QuestionView> {
  const [before] = await db.select().from(trainingQuestions).where(eq(trainingQuestions.id, id));
  if (!before) throw new DomainError(TrainingErrors.TRAINING_QUESTION_NOT_FOUND);
  const merged = { ...questionView(before), ...patch };
  const checked = checkQuestion(merged);
  const [q] = await db
    .update(trainingQuestions)
    .set({ topic: merged.topic, kind: merged.kind, text: merged.text, ...checked, points: merged.points, active: merged.active })
    .where(eq(trainingQuestions.id, id))
    .returning();
  const view = questionView(q!);
  await recordAudit(db, actor, { action: 'training.question.update', entity: 'training_question', entityId: id, before: questionView(before), after: view });
  return view;
}

// ---------------------------------------------------------------- certificate types

type CertTypeRow = typeof trainingCertificateTypes.$inferSelect;
export type CertTypeView = { id: string; code: string; name: string; nameEn: string; validityDays: number; gatedPermissions: Permission[]; active: boolean; holders: number };
export type CertTypeInput = { code: string; name: string; nameEn: string; validityDays: number; gatedPermissions?: string[]; active?: boolean };

function checkPermissions(ps: string[] | undefined): Permission[] {
  const out: Permission[] = [];
  for (const p of ps ?? []) {
    if (!(p in PERMISSIONS))
      throw new DomainError(TrainingErrors.TRAINING_PERMISSION_UNKNOWN, { permission: p }, [
        { field: 'gatedPermissions', code: TrainingErrors.TRAINING_PERMISSION_UNKNOWN, params: { permission: p } },
      ]);
    out.push(p as Permission);
  }
  return [...new Set(out)];
}

async function certTypeViews(db: Db, rows: CertTypeRow[]): Promise<CertTypeView[]> {
  const ids = rows.map((r) => r.id);
  const holders = ids.length
    ? await db
        .select({ typeId: trainingCertificates.typeId, n: sql<number>`count(distinct ${trainingCertificates.userId})::int` })
        .from(trainingCertificates)
        .where(and(inArray(trainingCertificates.typeId, ids), eq(trainingCertificates.status, 'valid'), gte(trainingCertificates.expiresOn, today())))
        .groupBy(trainingCertificates.typeId)
    : [];
  const m = new Map(holders.map((h) => [h.typeId, Number(h.n)]));
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.nameEn,
    validityDays: r.validityDays,
    gatedPermissions: r.gatedPermissions as Permission[],
    active: r.active,
    holders: m.get(r.id) ?? 0,
  }));
}

export async function listCertificateTypes(db: Db, f: ListArgs & { permission?: string; active?: boolean }): Promise<Page<CertTypeView>> {
  const where = and(
    f.permission ? sql`${f.permission} = any(${trainingCertificateTypes.gatedPermissions})` : undefined,
    f.active !== undefined ? eq(trainingCertificateTypes.active, f.active) : undefined,
    like(f.q, trainingCertificateTypes.code, trainingCertificateTypes.name, trainingCertificateTypes.nameEn),
  );
  const order = orderByOf(f.sort, { code: trainingCertificateTypes.code, name: trainingCertificateTypes.name, validityDays: trainingCertificateTypes.validityDays }, [
    asc(trainingCertificateTypes.code),
  ]);
  return paged<CertTypeRow, CertTypeView>(db, trainingCertificateTypes, where, order, f, (rows) => certTypeViews(db, rows));
}

async function loadCertType(db: Db, id: string): Promise<CertTypeRow> {
  const [t] = await db.select().from(trainingCertificateTypes).where(eq(trainingCertificateTypes.id, id));
  if (!t) throw new DomainError(TrainingErrors.TRAINING_CERT_TYPE_NOT_FOUND, {}, [{ field: 'certificateTypeId', code: TrainingErrors.TRAINING_CERT_TYPE_NOT_FOUND }]);
  return t;
}

export async function createCertificateType(db: Db, actor: Actor, input: CertTypeInput): Promise<CertTypeView> {
  const gatedPermissions = checkPermissions(input.gatedPermissions);
  const [dup] = await db.select({ id: trainingCertificateTypes.id }).from(trainingCertificateTypes).where(eq(trainingCertificateTypes.code, input.code));
  if (dup)
    throw new DomainError(TrainingErrors.TRAINING_CERT_TYPE_CODE_TAKEN, { code: input.code }, [
      { field: 'code', code: TrainingErrors.TRAINING_CERT_TYPE_CODE_TAKEN, params: { code: input.code } },
    ]);
  const [t] = await db
    .insert(trainingCertificateTypes)
    .values({ ...input, gatedPermissions, active: input.active ?? true })
    .returning();
  const [view] = await certTypeViews(db, [t!]);
  await recordAudit(db, actor, { action: 'training.certificate_type.create', entity: 'training_certificate_type', entityId: t!.id, after: view });
  return view!;
}

export async function updateCertificateType(db: Db, actor: Actor, id: string, patch: Partial<CertTypeInput>): Promise<CertTypeView> {
  const before = await loadCertType(db, id);
  const gatedPermissions = patch.gatedPermissions ? checkPermissions(patch.gatedPermissions) : undefined;
  if (patch.code && patch.code !== before.code) {
    const [dup] = await db.select({ id: trainingCertificateTypes.id }).from(trainingCertificateTypes).where(eq(trainingCertificateTypes.code, patch.code));
    if (dup)
      throw new DomainError(TrainingErrors.TRAINING_CERT_TYPE_CODE_TAKEN, { code: patch.code }, [
        { field: 'code', code: TrainingErrors.TRAINING_CERT_TYPE_CODE_TAKEN, params: { code: patch.code } },
      ]);
  }
  const [t] = await db
    .update(trainingCertificateTypes)
    .set({ ...patch, ...(gatedPermissions ? { gatedPermissions } : {}) })
    .where(eq(trainingCertificateTypes.id, id))
    .returning();
  const [b] = await certTypeViews(db, [before]);
  const [view] = await certTypeViews(db, [t!]);
  await recordAudit(db, actor, { action: 'training.certificate_type.update', entity: 'training_certificate_type', entityId: id, before: b, after: view });
  return view!;
}

// ---------------------------------------------------------------- certificates

type CertRow = typeof trainingCertificates.$inferSelect;
export type CertificateView = {
  id: string;
  code: string;
  typeId: string;
  typeCode: string;
  typeName: string;
  typeNameEn: string;
  userId: string;
  holderName: string;
  issuedOn: string;
  expiresOn: string;
  status: CertRow['status'];
  valid: boolean;
  expiringSoon: boolean;
  daysLeft: number;
};

async function certificateViews(db: Db, rows: CertRow[]): Promise<CertificateView[]> {
  if (!rows.length) return [];
  const alert = await getSetting(db, certificateAlertDays);
  const t = today();
  const [types, names] = await Promise.all([
    db
      .select()
      .from(trainingCertificateTypes)
      .where(
        inArray(
          trainingCertificateTypes.id,
          rows.map((r) => r.typeId),
        ),
      ),
    userNames(
      db,
      rows.map((r) => r.userId),
    ),
  ]);
  const tm = new Map(types.map((x) => [x.id, x]));
  return rows.map((c) => {
    const type = tm.get(c.typeId)!;
    const valid = c.status === 'valid' && c.expiresOn >= t;
    const daysLeft = Math.round((new Date(`${c.expiresOn}T00:00:00Z`).getTime() - new Date(`${t}T00:00:00Z`).getTime()) / 86_400_000);
    return {
      id: c.id,
      code: c.code,
      typeId: c.typeId,
      typeCode: type.code,
      typeName: type.name,
      typeNameEn: type.nameEn,
      userId: c.userId,
      holderName: names.get(c.userId) ?? c.userId,
      issuedOn: c.issuedOn,
      expiresOn: c.expiresOn,
      status: c.status,
      valid,
      expiringSoon: valid && daysLeft <= alert,
      daysLeft,
    };
  });
}

export async function listCertificates(
  db: Db,
  f: ListArgs & { typeId?: string; userId?: string; state?: 'valid' | 'expiring' | 'expired' | 'revoked' },
): Promise<Page<CertificateView>> {
  const t = today();
  const alertUntil = addDays(t, await getSetting(db, certificateAlertDays));
  const stateWhere =
    f.state === 'valid'
      ? and(eq(trainingCertificates.status, 'valid'), gte(trainingCertificates.expiresOn, t))
      : f.state === 'expiring'
        ? and(eq(trainingCertificates.status, 'valid'), gte(trainingCertificates.expiresOn, t), lte(trainingCertificates.expiresOn, alertUntil))
        : f.state === 'expired'
          ? and(eq(trainingCertificates.status, 'valid'), sql`${trainingCertificates.expiresOn} < ${t}`)
          : f.state === 'revoked'
            ? eq(trainingCertificates.status, 'revoked')
            : undefined;
  const where = and(
    f.typeId ? eq(trainingCertificates.typeId, f.typeId) : undefined,
    f.userId ? eq(trainingCertificates.userId, f.userId) : undefined,
    stateWhere,
    f.q ? or(like(f.q, trainingCertificates.code), inArray(trainingCertificates.userId, usersMatching(db, f.q))) : undefined,
  );
  const order = orderByOf(
    f.sort,
    { code: trainingCertificates.code, issuedOn: trainingCertificates.issuedOn, expiresOn: trainingCertificates.expiresOn, status: trainingCertificates.status },
    [asc(trainingCertificates.expiresOn)],
  );
  return paged<CertRow, CertificateView>(db, trainingCertificates, where, order, f, (rows) => certificateViews(db, rows));
}

async function issueCertificate(db: Db, actor: Actor, typeId: string, userId: string, source: { attemptId?: string; assessmentId?: string }): Promise<CertificateView> {
  const type = await loadCertType(db, typeId);
  const issuedOn = today();
  const code = await nextDocNumber(db, 'TC', clock.now());
  const [c] = await db
    .insert(trainingCertificates)
    .values({ code, typeId, userId, issuedOn, expiresOn: addDays(issuedOn, type.validityDays), attemptId: source.attemptId ?? null, assessmentId: source.assessmentId ?? null })
    .returning();
  await recordInitialState(db, actor, certificateMachine, c!.id, 'valid');
  const [view] = await certificateViews(db, [c!]);
  await recordAudit(db, actor, { action: 'training.certificate.issue', entity: 'training_certificate', entityId: c!.id, after: view });
  return view!;
}

export async function revokeCertificate(db: Db, actor: Actor, id: string, reason: string): Promise<CertificateView> {
  const [c] = await db.select().from(trainingCertificates).where(eq(trainingCertificates.id, id));
  if (!c) throw new DomainError(TrainingErrors.TRAINING_CERTIFICATE_NOT_FOUND);
  const to = await transition(db, actor, certificateMachine, { id, from: c.status, event: 'revoke', reason });
  const [r] = await db
    .update(trainingCertificates)
    .set({ status: to })
    .where(and(eq(trainingCertificates.id, id), eq(trainingCertificates.status, c.status)))
    .returning();
  if (!r) throw new DomainError('CONFLICT');
  await recordAudit(db, actor, {
    action: 'training.certificate.revoke',
    entity: 'training_certificate',
    entityId: id,
    before: { status: c.status },
    after: { status: to, reason },
  });
  return (await certificateViews(db, [r]))[0]!;
}

// ---------------------------------------------------------------- exams and attempts

type ExamRow = typeof trainingExams.$inferSelect;
type AttemptRow = typeof trainingAttempts.$inferSelect;

export type ExamView = {
  id: string;
  code: string;
  title: string;
  topic: TrainingTopic;
  planId: string | null;
  questionIds: string[];
  questionCount: number;
  maxPoints: number;
  passMark: number;
  excellentMark: number;
  timeLimitMinutes: number;
  attemptLimit: number;
  remedy: RemedyKind;
  remedyDays: number;
  certificateTypeId: string | null;
  certificateTypeName: string | null;
  active: boolean;
  attempts: number;
  passRate: number | null;
};
export type ExamInput = {
  title: string;
  topic: TrainingTopic;
  planId?: string | null;
  questionIds: string[];
  passMark: number;
  excellentMark: number;
  timeLimitMinutes: number;
  attemptLimit: number;
  remedy?: RemedyKind;
  remedyDays?: number;
  certificateTypeId?: string | null;
  active?: boolean;
};

async function examQuestions(db: Db, ids: string[]): Promise<QuestionRow[]> {
  if (!ids.length) return [];
  const rows = await db.select().from(trainingQuestions).where(inArray(trainingQuestions.id, ids));
  const m = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => m.get(id)).filter((q): q is QuestionRow => !!q);
}

async function examViews(db: Db, rows: ExamRow[]): Promise<ExamView[]> {
  if (!rows.length) return [];
  const allQ = [...new Set(rows.flatMap((r) => r.questionIds))];
  const [qs, types, stats] = await Promise.all([
    examQuestions(db, allQ),
    db.select().from(trainingCertificateTypes),
    db
      .select({
        examId: trainingAttempts.examId,
        n: count(),
        passed: sql<number>`count(*) filter (where ${trainingAttempts.result} in ('pass','excellent'))::int`,
        graded: sql<number>`count(*) filter (where ${trainingAttempts.status} = 'graded')::int`,
      })
      .from(trainingAttempts)
      .where(
        inArray(
          trainingAttempts.examId,
          rows.map((r) => r.id),
        ),
      )
      .groupBy(trainingAttempts.examId),
  ]);
  const points = new Map(qs.map((q) => [q.id, q.points]));
  const tm = new Map(types.map((t) => [t.id, t]));
  const sm = new Map(stats.map((s) => [s.examId, s]));
  return rows.map((e) => {
    const s = sm.get(e.id);
    const graded = Number(s?.graded ?? 0);
    return {
      id: e.id,
      code: e.code,
      title: e.title,
      topic: e.topic,
      planId: e.planId,
      questionIds: e.questionIds,
      questionCount: e.questionIds.length,
      maxPoints: e.questionIds.reduce((sum, id) => sum + (points.get(id) ?? 0), 0),
      passMark: e.passMark,
      excellentMark: e.excellentMark,
      timeLimitMinutes: e.timeLimitMinutes,
      attemptLimit: e.attemptLimit,
      remedy: e.remedy,
      remedyDays: e.remedyDays,
      certificateTypeId: e.certificateTypeId,
      certificateTypeName: e.certificateTypeId ? (tm.get(e.certificateTypeId)?.name ?? null) : null,
      active: e.active,
      attempts: s?.n ?? 0,
      passRate: graded ? Math.round((Number(s!.passed) / graded) * 1000) / 10 : null,
    };
  });
}

async function loadExam(db: Db, id: string): Promise<ExamRow> {
  const [e] = await db.select().from(trainingExams).where(eq(trainingExams.id, id));
  if (!e) throw new DomainError(TrainingErrors.TRAINING_EXAM_NOT_FOUND);
  return e;
}

async function checkExam(db: Db, input: Partial<ExamInput>, current?: ExamRow): Promise<void> {
  const pass = input.passMark ?? current?.passMark ?? 0;
  const excellent = input.excellentMark ?? current?.excellentMark ?? 100;
  if (excellent < pass) throw new DomainError(TrainingErrors.TRAINING_EXAM_MARKS_INVALID, {}, [{ field: 'excellentMark', code: TrainingErrors.TRAINING_EXAM_MARKS_INVALID }]);
  if (input.questionIds) {
    const qs = await examQuestions(db, [...new Set(input.questionIds)]);
    if (qs.length !== new Set(input.questionIds).size || qs.some((q) => !q.active))
      throw new DomainError(TrainingErrors.TRAINING_EXAM_QUESTIONS_INVALID, {}, [{ field: 'questionIds', code: TrainingErrors.TRAINING_EXAM_QUESTIONS_INVALID }]);
  }
  if (input.planId) await loadPlan(db, input.planId, true);
  if (input.certificateTypeId) await loadCertType(db, input.certificateTypeId);
}

export async function listExams(db: Db, f: ListArgs & { topic?: TrainingTopic; planId?: string; active?: boolean }): Promise<Page<ExamView>> {
  const where = and(
    f.topic ? eq(trainingExams.topic, f.topic) : undefined,
    f.planId ? eq(trainingExams.planId, f.planId) : undefined,
    f.active !== undefined ? eq(trainingExams.active, f.active) : undefined,
    like(f.q, trainingExams.code, trainingExams.title),
  );
  const order = orderByOf(
    f.sort,
    { code: trainingExams.code, title: trainingExams.title, topic: trainingExams.topic, passMark: trainingExams.passMark, createdAt: trainingExams.createdAt },
    [desc(trainingExams.createdAt)],
  );
  return paged<ExamRow, ExamView>(db, trainingExams, where, order, f, (rows) => examViews(db, rows));
}

export async function getExam(db: Db, id: string): Promise<ExamView> {
  return (await examViews(db, [await loadExam(db, id)]))[0]!;
}

export async function createExam(db: Db, actor: Actor, input: ExamInput): Promise<ExamView> {
  await checkExam(db, input);
  const code = await nextDocNumber(db, 'TE', clock.now());
  const [e] = await db
    .insert(trainingExams)
    .values({ ...input, questionIds: [...new Set(input.questionIds)], code, remedy: input.remedy ?? 'retest', remedyDays: input.remedyDays ?? 14, active: input.active ?? true })
    .returning();
  const view = await getExam(db, e!.id);
  await recordAudit(db, actor, { action: 'training.exam.create', entity: 'training_exam', entityId: e!.id, after: view });
  return view;
}

export async function updateExam(db: Db, actor: Actor, id: string, patch: Partial<ExamInput>): Promise<ExamView> {
  const current = await loadExam(db, id);
  await checkExam(db, patch, current);
  const before = await getExam(db, id);
  await db
    .update(trainingExams)
    .set({ ...patch, ...(patch.questionIds ? { questionIds: [...new Set(patch.questionIds)] } : {}) })
    .where(eq(trainingExams.id, id));
  const after = await getExam(db, id);
  await recordAudit(db, actor, { action: 'training.exam.update', entity: 'training_exam', entityId: id, before, after });
  return after;
}

export type AttemptQuestion = { id: string; kind: QuestionKind; text: string; options: string[]; points: number };
export type AttemptView = {
  id: string;
  examId: string;
  examCode: string;
  examTitle: string;
  topic: TrainingTopic;
  userId: string;
  userName: string;
  attemptNo: number;
  isRetest: boolean;
  status: AttemptRow['status'];
  startedAt: Date;
  deadlineAt: Date;
  submittedAt: Date | null;
  maxPoints: number;
  scorePercent: number | null;
  result: Result | null;
  passMark: number;
};
export type AttemptDetail = AttemptView & {
  questions: AttemptQuestion[];
  answers: Record<string, Answer>;
  points: Record<string, number | null>;
  /** Shown to markers and after grading. */
  correct: Record<string, number[] | boolean | null> | null;
};

async function attemptViews(db: Db, rows: AttemptRow[]): Promise<AttemptView[]> {
  if (!rows.length) return [];
  const [exams, names] = await Promise.all([
    db
      .select()
      .from(trainingExams)
      .where(
        inArray(
          trainingExams.id,
          rows.map((r) => r.examId),
        ),
      ),
    userNames(
      db,
      rows.map((r) => r.userId),
    ),
  ]);
  const em = new Map(exams.map((e) => [e.id, e]));
  return rows.map((a) => {
    const e = em.get(a.examId)!;
    return {
      id: a.id,
      examId: a.examId,
      examCode: e.code,
      examTitle: e.title,
      topic: e.topic,
      userId: a.userId,
      userName: names.get(a.userId) ?? a.userId,
      attemptNo: a.attemptNo,
      isRetest: a.remedialId !== null,
      status: a.status,
      startedAt: a.startedAt,
      deadlineAt: a.deadlineAt,
      submittedAt: a.submittedAt,
      maxPoints: a.maxPoints,
      scorePercent: a.scorePercent,
      result: a.result,
      passMark: e.passMark,
    };
  });
}

export async function getAttempt(db: Db, actor: Actor, id: string, asMarker: boolean): Promise<AttemptDetail> {
  const [a] = await db.select().from(trainingAttempts).where(eq(trainingAttempts.id, id));
  if (!a || (!asMarker && a.userId !== actor.userId)) throw new DomainError(TrainingErrors.TRAINING_ATTEMPT_NOT_FOUND);
  const exam = await loadExam(db, a.examId);
  const qs = await examQuestions(db, exam.questionIds);
  const [view] = await attemptViews(db, [a]);
  const reveal = asMarker || a.status === 'graded';
  return {
    ...view!,
    questions: qs.map((q) => ({ id: q.id, kind: q.kind, text: q.text, options: q.options, points: q.points })),
    answers: a.answers,
    points: a.points,
    correct: reveal ? Object.fromEntries(qs.map((q) => [q.id, q.answer ?? null])) : null,
  };
}

export async function listAttempts(db: Db, f: ListArgs & { examId?: string; userId?: string; status?: AttemptRow['status']; result?: Result }): Promise<Page<AttemptView>> {
  const where = and(
    f.examId ? eq(trainingAttempts.examId, f.examId) : undefined,
    f.userId ? eq(trainingAttempts.userId, f.userId) : undefined,
    f.status ? eq(trainingAttempts.status, f.status) : undefined,
    f.result ? eq(trainingAttempts.result, f.result) : undefined,
    f.q ? inArray(trainingAttempts.userId, usersMatching(db, f.q)) : undefined,
  );
  const order = orderByOf(
    f.sort,
    { startedAt: trainingAttempts.startedAt, scorePercent: trainingAttempts.scorePercent, status: trainingAttempts.status, attemptNo: trainingAttempts.attemptNo },
    [desc(trainingAttempts.startedAt)],
  );
  return paged<AttemptRow, AttemptView>(db, trainingAttempts, where, order, f, (rows) => attemptViews(db, rows));
}

function autoPoints(q: QuestionRow, given: Answer | undefined): number | null {
  if (q.kind === 'short') return null;
  if (given === undefined) return 0;
  if (q.kind === 'true_false') return given === q.answer ? q.points : 0;
  if (!Array.isArray(given) || !Array.isArray(q.answer)) return 0;
  const a = [...new Set(given)].sort((x, y) => x - y);
  return a.length === q.answer.length && a.every((v, i) => v === (q.answer as number[])[i]) ? q.points : 0;
}

type Notify = (db: Db, n: { userIds?: string[]; roles?: string[]; title: { zh: string; en: string }; body: { zh: string; en: string }; link: string }) => Promise<unknown>;

/** Grades a finished attempt: result, certificate on a pass, the next re-test or remedial training on a failure. */
async function finishGrading(db: Db, actor: Actor, a: AttemptRow, points: Record<string, number | null>, notify: Notify): Promise<void> {
  const exam = await loadExam(db, a.examId);
  const total = Object.values(points).reduce<number>((s, p) => s + (p ?? 0), 0);
  const scorePercent = a.maxPoints ? Math.round((total / a.maxPoints) * 100) : 0;
  const result = classify(scorePercent, exam.passMark, exam.excellentMark);
  await db.update(trainingAttempts).set({ status: 'graded', points, scorePercent, result }).where(eq(trainingAttempts.id, a.id));
  await recordAudit(db, actor, { action: 'training.attempt.grade', entity: 'training_attempt', entityId: a.id, after: { scorePercent, result, points } });
  if (a.remedialId) {
    const [r] = await db.select().from(trainingRemedials).where(eq(trainingRemedials.id, a.remedialId));
    if (r && r.status === 'open') {
      const event = result === 'fail' ? 'fail' : 'pass';
      const to = await transition(db, actor, remedialMachine, { id: r.id, from: r.status, event, reason: `${scorePercent}` });
      await db
        .update(trainingRemedials)
        .set({ status: to, closedAt: clock.now() })
        .where(and(eq(trainingRemedials.id, r.id), eq(trainingRemedials.status, 'open')));
      await recordAudit(db, actor, {
        action: `training.remedial.${event}`,
        entity: 'training_remedial',
        entityId: r.id,
        before: { status: 'open' },
        after: { status: to, attemptId: a.id },
      });
    }
  }
  if (result !== 'fail') {
    if (exam.certificateTypeId) await issueCertificate(db, actor, exam.certificateTypeId, a.userId, { attemptId: a.id });
    return;
  }
  // A failure assigns the re-test (补考) or remedial training (辅导培训) automatically, with a deadline.
  const dueOn = addDays(today(), exam.remedyDays);
  const [r] = await db.insert(trainingRemedials).values({ userId: a.userId, examId: exam.id, failedAttemptId: a.id, topic: exam.topic, kind: exam.remedy, dueOn }).returning();
  await recordInitialState(db, actor, remedialMachine, r!.id, 'open');
  await recordAudit(db, actor, {
    action: 'training.remedial.assign',
    entity: 'training_remedial',
    entityId: r!.id,
    after: { userId: a.userId, examId: exam.id, kind: exam.remedy, dueOn },
  });
  const what = exam.remedy === 'retest' ? { zh: '补考', en: 're-test' } : { zh: '辅导培训及补考', en: 'remedial training and a re-test' };
  await notify(db, {
    userIds: [a.userId],
    title: { zh: `考试未通过:${exam.title}`, en: `Exam not passed: ${exam.title}` },
    body: { zh: `您的得分 ${scorePercent} 分,已为您安排${what.zh},请于 ${dueOn} 前完成。`, en: `You scored ${scorePercent}; ${what.en} is assigned to you, due by ${dueOn}.` },
    link: '/training/me',
  });
}

/** An attempt left open past its time limit is closed with the answers it had (none were submitted: zero points). */
async function expireAttempt(db: Db, actor: Actor, a: AttemptRow, notify: Notify): Promise<void> {
  const exam = await loadExam(db, a.examId);
  const qs = await examQuestions(db, exam.questionIds);
  const points = Object.fromEntries(qs.map((q) => [q.id, 0]));
  const to = await transition(db, actor, attemptMachine, { id: a.id, from: 'in_progress', event: 'grade', reason: 'time limit' });
  const done = await db
    .update(trainingAttempts)
    .set({ status: to, submittedAt: a.deadlineAt })
    .where(and(eq(trainingAttempts.id, a.id), eq(trainingAttempts.status, 'in_progress')))
    .returning();
  if (done.length) await finishGrading(db, actor, done[0]!, points, notify);
}

export async function startAttempt(db: Db, actor: Actor, examId: string, notify: Notify): Promise<AttemptDetail> {
  const exam = await loadExam(db, examId);
  if (!exam.active) throw new DomainError(TrainingErrors.TRAINING_EXAM_INACTIVE);
  const userId = actor.userId!;
  const mine = await db
    .select()
    .from(trainingAttempts)
    .where(and(eq(trainingAttempts.examId, examId), eq(trainingAttempts.userId, userId)));
  const open = mine.find((a) => a.status === 'in_progress');
  if (open && open.deadlineAt.getTime() + SUBMIT_GRACE_MS >= clock.now().getTime()) return getAttempt(db, actor, open.id, false); // resume
  if (open) await expireAttempt(db, actor, open, notify);
  const remedials = await db
    .select()
    .from(trainingRemedials)
    .where(and(eq(trainingRemedials.examId, examId), eq(trainingRemedials.userId, userId), ne(trainingRemedials.status, 'cancelled')));
  const used = mine.length;
  let remedialId: string | null = null;
  if (used >= exam.attemptLimit) {
    // Beyond the ordinary limit only an open re-test (one per failure) opens another attempt.
    const retest = remedials.find((r) => r.status === 'open');
    const retestsTaken = mine.filter((a) => a.remedialId === retest?.id).length;
    if (!retest || retestsTaken > 0) throw new DomainError(TrainingErrors.TRAINING_ATTEMPT_LIMIT_REACHED, { limit: exam.attemptLimit });
    if (retest.kind === 'remedial' && !retest.trainingDoneAt) throw new DomainError(TrainingErrors.TRAINING_REMEDIAL_TRAINING_PENDING);
    remedialId = retest.id;
  }
  const qs = await examQuestions(db, exam.questionIds);
  const now = clock.now();
  const [a] = await db
    .insert(trainingAttempts)
    .values({
      examId,
      userId,
      attemptNo: used + 1,
      startedAt: now,
      deadlineAt: new Date(now.getTime() + exam.timeLimitMinutes * 60_000),
      maxPoints: qs.reduce((s, q) => s + q.points, 0),
      remedialId,
    })
    .returning();
  await recordInitialState(db, actor, attemptMachine, a!.id, 'in_progress');
  await recordAudit(db, actor, { action: 'training.attempt.start', entity: 'training_attempt', entityId: a!.id, after: { examId, attemptNo: used + 1, remedialId } });
  return getAttempt(db, actor, a!.id, false);
}

export async function submitAttempt(db: Db, actor: Actor, id: string, answers: Record<string, Answer>, notify: Notify): Promise<AttemptDetail> {
  const [a] = await db.select().from(trainingAttempts).where(eq(trainingAttempts.id, id));
  if (!a || a.userId !== actor.userId) throw new DomainError(TrainingErrors.TRAINING_ATTEMPT_NOT_FOUND);
  if (a.status !== 'in_progress') throw new DomainError('INVALID_TRANSITION', { entity: 'training_attempt', from: a.status, event: 'submit' });
  if (clock.now().getTime() > a.deadlineAt.getTime() + SUBMIT_GRACE_MS)
    throw new DomainError(TrainingErrors.TRAINING_ATTEMPT_TIME_UP, { deadline: a.deadlineAt.toISOString() }, [{ field: 'answers', code: TrainingErrors.TRAINING_ATTEMPT_TIME_UP }]);
  const exam = await loadExam(db, a.examId);
  const qs = await examQuestions(db, exam.questionIds);
  const known = new Set(qs.map((q) => q.id));
  const kept: Record<string, Answer> = {};
  for (const [qid, v] of Object.entries(answers)) if (known.has(qid)) kept[qid] = v;
  const points = Object.fromEntries(qs.map((q) => [q.id, autoPoints(q, kept[q.id])]));
  const needsMarking = qs.some((q) => q.kind === 'short');
  const to = await transition(db, actor, attemptMachine, { id, from: 'in_progress', event: needsMarking ? 'submit' : 'grade' });
  const done = await db
    .update(trainingAttempts)
    .set({ status: to, submittedAt: clock.now(), answers: kept, points })
    .where(and(eq(trainingAttempts.id, id), eq(trainingAttempts.status, 'in_progress')))
    .returning();
  if (!done.length) throw new DomainError('CONFLICT');
  await recordAudit(db, actor, { action: 'training.attempt.submit', entity: 'training_attempt', entityId: id, after: { answered: Object.keys(kept).length, status: to } });
  if (!needsMarking) await finishGrading(db, actor, done[0]!, points, notify);
  return getAttempt(db, actor, id, false);
}

export async function markAttempt(db: Db, actor: Actor, id: string, marks: Record<string, number>, notify: Notify): Promise<AttemptDetail> {
  const [a] = await db.select().from(trainingAttempts).where(eq(trainingAttempts.id, id));
  if (!a) throw new DomainError(TrainingErrors.TRAINING_ATTEMPT_NOT_FOUND);
  if (a.status !== 'marking') throw new DomainError(TrainingErrors.TRAINING_ATTEMPT_NOT_MARKING);
  const exam = await loadExam(db, a.examId);
  const qs = await examQuestions(db, exam.questionIds);
  const points = { ...a.points };
  for (const q of qs.filter((x) => x.kind === 'short')) {
    const m = marks[q.id];
    if (m === undefined) throw new DomainError('VALIDATION_FAILED', {}, [{ field: `marks.${q.id}`, code: 'FIELD_REQUIRED' }]);
    if (m > q.points) throw new DomainError(TrainingErrors.TRAINING_MARK_INVALID, {}, [{ field: `marks.${q.id}`, code: TrainingErrors.TRAINING_MARK_INVALID }]);
    points[q.id] = m;
  }
  await transition(db, actor, attemptMachine, { id, from: 'marking', event: 'mark' });
  await db.update(trainingAttempts).set({ markedBy: actor.userId }).where(eq(trainingAttempts.id, id));
  await finishGrading(db, actor, a, points, notify);
  return getAttempt(db, actor, id, true);
}

// ---------------------------------------------------------------- remedials

type RemedialRow = typeof trainingRemedials.$inferSelect;
export type RemedialView = {
  id: string;
  userId: string;
  userName: string;
  examId: string | null;
  examTitle: string | null;
  topic: TrainingTopic;
  /** Set for the re-check of a failed practical check. */
  failedAssessmentId: string | null;
  kind: RemedyKind;
  dueOn: string;
  status: RemedialRow['status'];
  overdue: boolean;
  trainingDoneAt: Date | null;
  sessionId: string | null;
  createdAt: Date;
};

async function remedialViews(db: Db, rows: RemedialRow[]): Promise<RemedialView[]> {
  if (!rows.length) return [];
  const examIds = [...new Set(rows.map((r) => r.examId).filter((id): id is string => id !== null))];
  const [exams, names] = await Promise.all([
    examIds.length ? db.select({ id: trainingExams.id, title: trainingExams.title }).from(trainingExams).where(inArray(trainingExams.id, examIds)) : [],
    userNames(
      db,
      rows.map((r) => r.userId),
    ),
  ]);
  const em = new Map(exams.map((e) => [e.id, e.title]));
  const t = today();
  return rows.map((r) => ({
    id: r.id,
    userId: r.userId,
    userName: names.get(r.userId) ?? r.userId,
    examId: r.examId,
    examTitle: r.examId ? (em.get(r.examId) ?? null) : null,
    topic: r.topic,
    failedAssessmentId: r.failedAssessmentId,
    kind: r.kind,
    dueOn: r.dueOn,
    status: r.status,
    overdue: r.status === 'open' && r.dueOn < t,
    trainingDoneAt: r.trainingDoneAt,
    sessionId: r.sessionId,
    createdAt: r.createdAt,
  }));
}

export async function listRemedials(
  db: Db,
  f: ListArgs & { userId?: string; examId?: string; status?: RemedialRow['status']; kind?: RemedyKind; overdue?: boolean },
): Promise<Page<RemedialView>> {
  const where = and(
    f.userId ? eq(trainingRemedials.userId, f.userId) : undefined,
    f.examId ? eq(trainingRemedials.examId, f.examId) : undefined,
    f.status ? eq(trainingRemedials.status, f.status) : undefined,
    f.kind ? eq(trainingRemedials.kind, f.kind) : undefined,
    f.overdue ? and(eq(trainingRemedials.status, 'open'), sql`${trainingRemedials.dueOn} < ${today()}`) : undefined,
    f.q ? inArray(trainingRemedials.userId, usersMatching(db, f.q)) : undefined,
  );
  const order = orderByOf(f.sort, { dueOn: trainingRemedials.dueOn, status: trainingRemedials.status, kind: trainingRemedials.kind, createdAt: trainingRemedials.createdAt }, [
    asc(trainingRemedials.dueOn),
  ]);
  return paged<RemedialRow, RemedialView>(db, trainingRemedials, where, order, f, (rows) => remedialViews(db, rows));
}

/** The trainer records the remedial training as given (optionally the session it was part of): the re-test opens. */
export async function completeRemedialTraining(db: Db, actor: Actor, id: string, sessionId: string | null): Promise<RemedialView> {
  const [r] = await db.select().from(trainingRemedials).where(eq(trainingRemedials.id, id));
  if (!r) throw new DomainError(TrainingErrors.TRAINING_REMEDIAL_NOT_FOUND);
  if (r.status !== 'open') throw new DomainError('INVALID_TRANSITION', { entity: 'training_remedial', from: r.status, event: 'training_done' });
  if (sessionId) await loadSession(db, sessionId);
  const [u] = await db.update(trainingRemedials).set({ trainingDoneAt: clock.now(), sessionId }).where(eq(trainingRemedials.id, id)).returning();
  await recordAudit(db, actor, {
    action: 'training.remedial.training_done',
    entity: 'training_remedial',
    entityId: id,
    before: { trainingDoneAt: r.trainingDoneAt },
    after: { trainingDoneAt: u!.trainingDoneAt, sessionId },
  });
  return (await remedialViews(db, [u!]))[0]!;
}

export async function cancelRemedial(db: Db, actor: Actor, id: string, reason: string): Promise<RemedialView> {
  const [r] = await db.select().from(trainingRemedials).where(eq(trainingRemedials.id, id));
  if (!r) throw new DomainError(TrainingErrors.TRAINING_REMEDIAL_NOT_FOUND);
  const to = await transition(db, actor, remedialMachine, { id, from: r.status, event: 'cancel', reason });
  const [u] = await db
    .update(trainingRemedials)
    .set({ status: to, closedAt: clock.now() })
    .where(and(eq(trainingRemedials.id, id), eq(trainingRemedials.status, r.status)))
    .returning();
  if (!u) throw new DomainError('CONFLICT');
  await recordAudit(db, actor, { action: 'training.remedial.cancel', entity: 'training_remedial', entityId: id, before: { status: r.status }, after: { status: to, reason } });
  return (await remedialViews(db, [u]))[0]!;
}

// ---------------------------------------------------------------- practical checks and performance reviews

type AssessmentRow = typeof trainingAssessments.$inferSelect;
export type AssessmentView = {
  id: string;
  kind: AssessmentKind;
  userId: string;
  userName: string;
  topic: TrainingTopic;
  planId: string | null;
  assessorId: string | null;
  assessorName: string | null;
  checklist: ChecklistItem[];
  period: string | null;
  scorePercent: number;
  result: Result;
  comment: string | null;
  createdAt: Date;
};
export type AssessmentInput = {
  kind: AssessmentKind;
  userId: string;
  topic: TrainingTopic;
  planId?: string | null;
  checklist?: ChecklistItem[];
  period?: string | null;
  scorePercent?: number;
  comment?: string | null;
  certificateTypeId?: string | null;
};

async function assessmentViews(db: Db, rows: AssessmentRow[]): Promise<AssessmentView[]> {
  const names = await userNames(
    db,
    rows.flatMap((r) => [r.userId, r.assessorId]),
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    userId: r.userId,
    userName: names.get(r.userId) ?? r.userId,
    topic: r.topic,
    planId: r.planId,
    assessorId: r.assessorId,
    assessorName: r.assessorId ? (names.get(r.assessorId) ?? null) : null,
    checklist: r.checklist,
    period: r.period,
    scorePercent: r.scorePercent,
    result: r.result,
    comment: r.comment,
    createdAt: r.createdAt,
  }));
}

export async function listAssessments(db: Db, f: ListArgs & { kind?: AssessmentKind; userId?: string; topic?: TrainingTopic; result?: Result }): Promise<Page<AssessmentView>> {
  const where = and(
    f.kind ? eq(trainingAssessments.kind, f.kind) : undefined,
    f.userId ? eq(trainingAssessments.userId, f.userId) : undefined,
    f.topic ? eq(trainingAssessments.topic, f.topic) : undefined,
    f.result ? eq(trainingAssessments.result, f.result) : undefined,
    f.q ? inArray(trainingAssessments.userId, usersMatching(db, f.q)) : undefined,
  );
  const order = orderByOf(f.sort, { createdAt: trainingAssessments.createdAt, scorePercent: trainingAssessments.scorePercent, kind: trainingAssessments.kind }, [
    desc(trainingAssessments.createdAt),
  ]);
  return paged<AssessmentRow, AssessmentView>(db, trainingAssessments, where, order, f, (rows) => assessmentViews(db, rows));
}

/** A practical check scored against its checklist (the share of items passed) or a performance review's score. */
export async function recordAssessment(db: Db, actor: Actor, input: AssessmentInput, notify: Notify): Promise<AssessmentView> {
  await assertUsers(db, [input.userId]);
  if (input.planId) await loadPlan(db, input.planId, true);
  if (input.certificateTypeId) await loadCertType(db, input.certificateTypeId);
  const checklist = input.checklist ?? [];
  if (input.kind === 'practical' && !checklist.length) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'checklist', code: 'FIELD_REQUIRED' }]);
  const score = input.scorePercent ?? (checklist.length ? Math.round((checklist.filter((c) => c.passed).length / checklist.length) * 100) : undefined);
  if (score === undefined) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'scorePercent', code: 'FIELD_REQUIRED' }]);
  const result = classify(score, await getSetting(db, assessmentPassMark), await getSetting(db, assessmentExcellentMark));
  const [r] = await db
    .insert(trainingAssessments)
    .values({
      kind: input.kind,
      userId: input.userId,
      topic: input.topic,
      planId: input.planId ?? null,
      assessorId: actor.userId,
      checklist,
      period: input.period ?? null,
      scorePercent: score,
      result,
      comment: input.comment ?? null,
      certificateTypeId: input.certificateTypeId ?? null,
    })
    .returning();
  const [view] = await assessmentViews(db, [r!]);
  await recordAudit(db, actor, { action: `training.assessment.${input.kind}`, entity: 'training_assessment', entityId: r!.id, after: view });
  if (result !== 'fail' && input.certificateTypeId) await issueCertificate(db, actor, input.certificateTypeId, input.userId, { assessmentId: r!.id });
  if (input.kind === 'practical') await settlePracticalRecheck(db, actor, r!, notify);
  return view!;
}

/**
 * A practical check closes the open re-checks of its person and topic (passed or failed); a failed one assigns
 * remedial training and a re-check within `training.practicalRecheckDays` automatically.
 */
async function settlePracticalRecheck(db: Db, actor: Actor, a: AssessmentRow, notify: Notify): Promise<void> {
  const open = await db
    .select()
    .from(trainingRemedials)
    .where(
      and(
        eq(trainingRemedials.userId, a.userId),
        eq(trainingRemedials.topic, a.topic),
        eq(trainingRemedials.status, 'open'),
        sql`${trainingRemedials.failedAssessmentId} is not null`,
      ),
    );
  const event = a.result === 'fail' ? 'fail' : 'pass';
  for (const r of open) {
    const to = await transition(db, actor, remedialMachine, { id: r.id, from: 'open', event, reason: `${a.scorePercent}` });
    await db
      .update(trainingRemedials)
      .set({ status: to, closedAt: clock.now() })
      .where(and(eq(trainingRemedials.id, r.id), eq(trainingRemedials.status, 'open')));
    await recordAudit(db, actor, {
      action: `training.remedial.${event}`,
      entity: 'training_remedial',
      entityId: r.id,
      before: { status: 'open' },
      after: { status: to, assessmentId: a.id },
    });
  }
  if (a.result !== 'fail') return;
  const dueOn = addDays(today(), await getSetting(db, practicalRecheckDays));
  const [r] = await db.insert(trainingRemedials).values({ userId: a.userId, examId: null, failedAssessmentId: a.id, topic: a.topic, kind: 'remedial', dueOn }).returning();
  await recordInitialState(db, actor, remedialMachine, r!.id, 'open');
  await recordAudit(db, actor, {
    action: 'training.remedial.assign',
    entity: 'training_remedial',
    entityId: r!.id,
    after: { userId: a.userId, assessmentId: a.id, topic: a.topic, kind: 'remedial', dueOn },
  });
  const topic = TOPIC_NAMES[a.topic];
  await notify(db, {
    userIds: [a.userId],
    title: { zh: `实操考核不合格:${topic.zh}`, en: `Practical check failed: ${topic.en}` },
    body: {
      zh: `您的实操考核得分 ${a.scorePercent} 分,已为您安排辅导培训,请于 ${dueOn} 前再次考核。`,
      en: `You scored ${a.scorePercent}; remedial training is assigned to you, with a new check due by ${dueOn}.`,
    },
    link: '/training/me',
  });
}

const TOPIC_NAMES: Record<TrainingTopic, { zh: string; en: string }> = {
  product_knowledge: { zh: '农产品知识', en: 'product knowledge' },
  quality_standards: { zh: '质量标准', en: 'quality standards' },
  order_process: { zh: '订单流程', en: 'order process' },
  operating_rules: { zh: '操作规范', en: 'operating rules' },
  customer_service: { zh: '客户服务', en: 'customer service' },
};

// ---------------------------------------------------------------- my training

export async function myTraining(
  db: Db,
  actor: Actor,
): Promise<{
  sessions: (SessionView & { checkedInAt: Date | null; minutesCredited: number | null })[];
  exams: (ExamView & { attemptsUsed: number; attemptsAllowed: number; lastResult: Result | null; openAttemptId: string | null })[];
  attempts: AttemptView[];
  remedials: RemedialView[];
  certificates: CertificateView[];
  creditedMinutes: number;
}> {
  const userId = actor.userId ?? '';
  const att = await db.select().from(trainingAttendance).where(eq(trainingAttendance.userId, userId));
  const sessionRows = att.length
    ? await db
        .select()
        .from(trainingSessions)
        .where(
          inArray(
            trainingSessions.id,
            att.map((a) => a.sessionId),
          ),
        )
        .orderBy(desc(trainingSessions.startsAt))
    : [];
  const am = new Map(att.map((a) => [a.sessionId, a]));
  const [sessions, examRows, attemptRows, remRows, certRows] = await Promise.all([
    sessionViews(db, sessionRows),
    db.select().from(trainingExams).where(eq(trainingExams.active, true)).orderBy(asc(trainingExams.code)),
    db.select().from(trainingAttempts).where(eq(trainingAttempts.userId, userId)).orderBy(desc(trainingAttempts.startedAt)),
    db.select().from(trainingRemedials).where(eq(trainingRemedials.userId, userId)).orderBy(desc(trainingRemedials.createdAt)),
    db.select().from(trainingCertificates).where(eq(trainingCertificates.userId, userId)).orderBy(desc(trainingCertificates.expiresOn)),
  ]);
  const exams = await examViews(db, examRows);
  return {
    sessions: sessions.map((s) => ({ ...s, checkedInAt: am.get(s.id)?.checkedInAt ?? null, minutesCredited: am.get(s.id)?.minutesCredited ?? null })),
    exams: exams.map((e) => {
      const mine = attemptRows.filter((a) => a.examId === e.id);
      const extra = remRows.filter((r) => r.examId === e.id && r.status !== 'cancelled').length;
      const graded = mine.find((a) => a.status === 'graded');
      return {
        ...e,
        attemptsUsed: mine.length,
        attemptsAllowed: e.attemptLimit + extra,
        lastResult: graded?.result ?? null,
        openAttemptId: mine.find((a) => a.status === 'in_progress')?.id ?? null,
      };
    }),
    attempts: await attemptViews(db, attemptRows),
    remedials: await remedialViews(db, remRows),
    certificates: await certificateViews(db, certRows),
    creditedMinutes: att.reduce((s, a) => s + (a.minutesCredited ?? 0), 0),
  };
}

// ---------------------------------------------------------------- recognition and reports

export type PerformerView = {
  rank: number;
  userId: string;
  displayName: string;
  department: string | null;
  attended: number;
  invited: number;
  minutes: number;
  bestScore: number | null;
  averageScore: number | null;
};

/** Top performers of a plan for commendation: best exam score, then attendance, then hours. */
export async function topPerformers(db: Db, planId: string, limit: number): Promise<PerformerView[]> {
  await loadPlan(db, planId);
  const att = await db
    .select({ userId: trainingAttendance.userId, checkedInAt: trainingAttendance.checkedInAt, minutes: trainingAttendance.minutesCredited })
    .from(trainingAttendance)
    .innerJoin(trainingSessions, eq(trainingSessions.id, trainingAttendance.sessionId))
    .where(and(eq(trainingSessions.planId, planId), ne(trainingSessions.status, 'cancelled')));
  const scores = await db
    .select({ userId: trainingAttempts.userId, score: trainingAttempts.scorePercent })
    .from(trainingAttempts)
    .innerJoin(trainingExams, eq(trainingExams.id, trainingAttempts.examId))
    .where(and(eq(trainingExams.planId, planId), eq(trainingAttempts.status, 'graded')));
  const m = new Map<string, { attended: number; invited: number; minutes: number; scores: number[] }>();
  const of = (u: string) => m.get(u) ?? (m.set(u, { attended: 0, invited: 0, minutes: 0, scores: [] }), m.get(u)!);
  for (const a of att) {
    const e = of(a.userId);
    e.invited += 1;
    if (a.checkedInAt) e.attended += 1;
    e.minutes += a.minutes ?? 0;
  }
  for (const s of scores) if (s.score !== null) of(s.userId).scores.push(s.score);
  const ids = [...m.keys()];
  const [names, depts] = await Promise.all([userNames(db, ids), ids.length ? db.select().from(trainingStaff).where(inArray(trainingStaff.userId, ids)) : []]);
  const dm = new Map(depts.map((d) => [d.userId, d.department]));
  const rows = ids.map((userId) => {
    const e = m.get(userId)!;
    return {
      userId,
      displayName: names.get(userId) ?? userId,
      department: dm.get(userId) ?? null,
      attended: e.attended,
      invited: e.invited,
      minutes: e.minutes,
      bestScore: e.scores.length ? Math.max(...e.scores) : null,
      averageScore: e.scores.length ? Math.round(e.scores.reduce((s, x) => s + x, 0) / e.scores.length) : null,
    };
  });
  rows.sort((a, b) => (b.bestScore ?? -1) - (a.bestScore ?? -1) || b.attended / Math.max(b.invited, 1) - a.attended / Math.max(a.invited, 1) || b.minutes - a.minutes);
  return rows.slice(0, limit).map((r, i) => ({ rank: i + 1, ...r }));
}

export type ReportRow = {
  group: string;
  invited: number;
  attended: number;
  completionRate: number | null;
  minutes: number;
  graded: number;
  passed: number;
  passRate: number | null;
  excellent: number;
};
export type ReportDimension = 'department' | 'role' | 'topic';

/** Completion (attendance of invitations) and pass rate (graded exam attempts and assessments) by department, role or topic. */
export async function trainingReport(db: Db, f: { by: ReportDimension; year?: number; from?: string; to?: string }): Promise<ReportRow[]> {
  const from = f.from ?? (f.year ? `${f.year}-01-01` : '1970-01-01');
  const to = f.to ?? (f.year ? `${f.year}-12-31` : '9999-12-31');
  const start = new Date(`${from}T00:00:00+08:00`);
  const end = new Date(`${to}T23:59:59.999+08:00`);
  const [att, attempts, assessments] = await Promise.all([
    db
      .select({ userId: trainingAttendance.userId, checkedInAt: trainingAttendance.checkedInAt, minutes: trainingAttendance.minutesCredited, topic: trainingSessions.topic })
      .from(trainingAttendance)
      .innerJoin(trainingSessions, eq(trainingSessions.id, trainingAttendance.sessionId))
      .where(and(ne(trainingSessions.status, 'cancelled'), gte(trainingSessions.startsAt, start), lte(trainingSessions.startsAt, end))),
    db
      .select({ userId: trainingAttempts.userId, result: trainingAttempts.result, topic: trainingExams.topic })
      .from(trainingAttempts)
      .innerJoin(trainingExams, eq(trainingExams.id, trainingAttempts.examId))
      .where(and(eq(trainingAttempts.status, 'graded'), gte(trainingAttempts.startedAt, start), lte(trainingAttempts.startedAt, end))),
    db
      .select({ userId: trainingAssessments.userId, result: trainingAssessments.result, topic: trainingAssessments.topic })
      .from(trainingAssessments)
      .where(and(gte(trainingAssessments.createdAt, start), lte(trainingAssessments.createdAt, end))),
  ]);
  const ids = [...new Set([...att, ...attempts, ...assessments].map((r) => r.userId))];
  const [urows, depts] = await Promise.all([
    ids.length ? db.select({ id: users.id, roles: users.roles }).from(users).where(inArray(users.id, ids)) : [],
    ids.length ? db.select().from(trainingStaff).where(inArray(trainingStaff.userId, ids)) : [],
  ]);
  const roles = new Map(urows.map((u) => [u.id, u.roles.length ? u.roles : ['—']]));
  const dm = new Map(depts.map((d) => [d.userId, d.department]));
  const groupsOf = (userId: string, topic: string): string[] => (f.by === 'topic' ? [topic] : f.by === 'role' ? (roles.get(userId) ?? ['—']) : [dm.get(userId) ?? '—']);
  const m = new Map<string, ReportRow>();
  const row = (g: string) =>
    m.get(g) ?? (m.set(g, { group: g, invited: 0, attended: 0, completionRate: null, minutes: 0, graded: 0, passed: 0, passRate: null, excellent: 0 }), m.get(g)!);
  for (const a of att)
    for (const g of groupsOf(a.userId, a.topic)) {
      const r = row(g);
      r.invited += 1;
      if (a.checkedInAt) r.attended += 1;
      r.minutes += a.minutes ?? 0;
    }
  for (const a of [...attempts, ...assessments])
    for (const g of groupsOf(a.userId, a.topic)) {
      const r = row(g);
      r.graded += 1;
      if (a.result !== 'fail') r.passed += 1;
      if (a.result === 'excellent') r.excellent += 1;
    }
  const pct = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : null);
  return [...m.values()].map((r) => ({ ...r, completionRate: pct(r.attended, r.invited), passRate: pct(r.passed, r.graded) })).sort((a, b) => a.group.localeCompare(b.group));
}

// ---------------------------------------------------------------- reminders

/**
 * Reminders: open re-tests / remedial trainings within `training.remedialReminderDays` of their deadline remind the
 * assignee once a day (overdue ones tell the training managers too); certificates expiring within
 * `training.certificateAlertDays` remind their holder once per expiry date. Attempts left open past their time limit
 * are closed. claim lets only one of two overlapping runs send a reminder.
 */
export async function runTrainingReminders(db: Db, notify: Notify, claim?: (subject: string, periodKey: string) => Promise<boolean>, actor?: Actor): Promise<number> {
  const t = today();
  let sent = 0;
  const system = actor ?? (await import('../../platform/auth/actor.js')).SYSTEM_ACTOR;
  const stale = await db
    .select()
    .from(trainingAttempts)
    .where(and(eq(trainingAttempts.status, 'in_progress'), lte(trainingAttempts.deadlineAt, new Date(clock.now().getTime() - SUBMIT_GRACE_MS))))
    .limit(200);
  for (const a of stale) await expireAttempt(db, system, a, notify);

  const remindUntil = addDays(t, await getSetting(db, remedialReminderDays));
  const due = await db
    .select()
    .from(trainingRemedials)
    .where(and(eq(trainingRemedials.status, 'open'), lte(trainingRemedials.dueOn, remindUntil), or(isNull(trainingRemedials.remindedOn), ne(trainingRemedials.remindedOn, t))))
    .limit(500);
  for (const v of await remedialViews(db, due)) {
    if (claim && !(await claim(`remedial:${v.id}`, t))) continue;
    sent += 1;
    const r = { ...v, examTitle: v.examTitle ?? `${TOPIC_NAMES[v.topic].zh} / ${TOPIC_NAMES[v.topic].en}` };
    const what = r.kind === 'retest' ? { zh: '补考', en: 're-test' } : { zh: '辅导培训及补考', en: 'remedial training and re-test' };
    await notify(db, {
      userIds: [r.userId],
      roles: r.overdue ? ['trainer'] : [],
      title: r.overdue
        ? { zh: `${what.zh}已逾期:${r.examTitle}`, en: `Overdue ${what.en}: ${r.examTitle}` }
        : { zh: `${what.zh}即将截止:${r.examTitle}`, en: `${what.en} due soon: ${r.examTitle}` },
      body: { zh: `${r.userName} 的${what.zh}(${r.examTitle})截止日期 ${r.dueOn}。`, en: `The ${what.en} of ${r.userName} (${r.examTitle}) is due on ${r.dueOn}.` },
      link: '/training/me',
    });
    await db.update(trainingRemedials).set({ remindedOn: t }).where(eq(trainingRemedials.id, r.id));
  }

  const alertUntil = addDays(t, await getSetting(db, certificateAlertDays));
  const expiring = await db
    .select()
    .from(trainingCertificates)
    .where(
      and(
        eq(trainingCertificates.status, 'valid'),
        lte(trainingCertificates.expiresOn, alertUntil),
        gte(trainingCertificates.expiresOn, t),
        or(isNull(trainingCertificates.alertedFor), ne(trainingCertificates.alertedFor, trainingCertificates.expiresOn)),
      ),
    )
    .limit(500);
  for (const c of await certificateViews(db, expiring)) {
    if (claim && !(await claim(`certificate:${c.id}:${c.expiresOn}`, t))) continue;
    sent += 1;
    await notify(db, {
      userIds: [c.userId],
      roles: [],
      title: { zh: `证书即将到期:${c.typeName}`, en: `Certificate expiring: ${c.typeNameEn}` },
      body: {
        zh: `您的“${c.typeName}”证书(${c.code})将于 ${c.expiresOn} 到期,请及时参加复训与考核。`,
        en: `Your “${c.typeNameEn}” certificate (${c.code}) expires on ${c.expiresOn}; retake its assessment in time.`,
      },
      link: '/training/me',
    });
    await db.update(trainingCertificates).set({ alertedFor: c.expiresOn }).where(eq(trainingCertificates.id, c.id));
  }
  return sent;
}
