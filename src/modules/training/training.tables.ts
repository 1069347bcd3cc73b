import { sql } from 'drizzle-orm';
import { boolean, customType, date, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, idColumn, ts } from '../../platform/db/columns.js';

/** The policy's training topics (八、(一)1): 农产品知识、质量标准、订单流程、操作规范、客户服务. */
export const TRAINING_TOPICS = ['product_knowledge', 'quality_standards', 'order_process', 'operating_rules', 'customer_service'] as const;
export const PLAN_STATUSES = ['draft', 'active', 'closed'] as const;
export const SESSION_KINDS = ['internal', 'external', 'online', 'field_visit'] as const;
export const SESSION_STATUSES = ['scheduled', 'completed', 'cancelled'] as const;
export const SESSION_PART_KINDS = ['case_study', 'simulation', 'demonstration', 'lecture'] as const;
export const CHECKIN_METHODS = ['trainer', 'qr'] as const;
export const QUESTION_KINDS = ['single', 'multiple', 'true_false', 'short'] as const;
export const ATTEMPT_STATUSES = ['in_progress', 'marking', 'graded'] as const;
/** 优秀 / 合格 / 不合格. */
export const RESULTS = ['excellent', 'pass', 'fail'] as const;
export const ASSESSMENT_KINDS = ['practical', 'performance'] as const;
export const REMEDY_KINDS = ['retest', 'remedial'] as const;
export const REMEDIAL_STATUSES = ['open', 'done', 'failed', 'cancelled'] as const;
export const CERTIFICATE_STATUSES = ['valid', 'revoked'] as const;

export type TrainingTopic = (typeof TRAINING_TOPICS)[number];
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export type SessionKind = (typeof SESSION_KINDS)[number];
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type SessionPartKind = (typeof SESSION_PART_KINDS)[number];
export type CheckinMethod = (typeof CHECKIN_METHODS)[number];
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];
export type Result = (typeof RESULTS)[number];
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];
export type RemedyKind = (typeof REMEDY_KINDS)[number];
export type RemedialStatus = (typeof REMEDIAL_STATUSES)[number];
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export type SessionPart = { kind: SessionPartKind; title: string; notes: string | null };
export type ChecklistItem = { item: string; passed: boolean; note: string | null };
/** A recorded answer: option indexes (single/multiple), a boolean (true/false) or text (short answer). */
export type Answer = number[] | boolean | string;

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

/** The department a staff member belongs to (plans and reports are by role and department). */
export const trainingStaff = pgTable('training_staff', {
  userId: uuid('user_id').primaryKey(),
  department: text('department').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Annual training plan (R8.1) for a role and/or department. */
export const trainingPlans = pgTable(
  'training_plans',
  {
    id: idColumn(),
    code: text('code').notNull(),
    year: integer('year').notNull(),
    title: text('title').notNull(),
    role: text('role'),
    department: text('department'),
    topics: text('topics', { enum: TRAINING_TOPICS })
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    status: text('status', { enum: PLAN_STATUSES }).notNull().default('draft'),
    note: text('note'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('training_plans_code_uq').on(t.code), index('training_plans_year_idx').on(t.year)],
);

/** A course of a plan: topic, hours (in minutes) and target completion date. */
export const trainingCourses = pgTable(
  'training_courses',
  {
    id: idColumn(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => trainingPlans.id),
    topic: text('topic', { enum: TRAINING_TOPICS }).notNull(),
    title: text('title').notNull(),
    minutes: integer('minutes').notNull(),
    targetDate: date('target_date').notNull(),
    archivedAt: ts('archived_at'),
    createdAt: createdAt(),
  },
  (t) => [index('training_courses_plan_idx').on(t.planId)],
);

/** A training session (R8.2). */
export const trainingSessions = pgTable(
  'training_sessions',
  {
    id: idColumn(),
    code: text('code').notNull(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => trainingPlans.id),
    courseId: uuid('course_id').references(() => trainingCourses.id),
    title: text('title').notNull(),
    kind: text('kind', { enum: SESSION_KINDS }).notNull(),
    topic: text('topic', { enum: TRAINING_TOPICS }).notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    place: text('place'),
    link: text('link'),
    trainerId: uuid('trainer_id'),
    minutes: integer('minutes').notNull(),
    status: text('status', { enum: SESSION_STATUSES }).notNull().default('scheduled'),
    /** Secret in the session's QR code: an attendee scanning it checks in. */
    checkinToken: text('checkin_token').notNull(),
    parts: jsonb('parts').$type<SessionPart[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('training_sessions_code_uq').on(t.code),
    uniqueIndex('training_sessions_token_uq').on(t.checkinToken),
    index('training_sessions_plan_idx').on(t.planId),
    index('training_sessions_starts_idx').on(t.startsAt),
  ],
);

/** Session materials (documents, videos) kept in the database so both engines behave the same. */
export const trainingSessionFiles = pgTable(
  'training_session_files',
  {
    id: idColumn(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => trainingSessions.id),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    data: bytea('data').notNull(),
    uploadedBy: text('uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('training_session_files_session_idx').on(t.sessionId)],
);

/** Invitation and attendance of one user at one session. */
export const trainingAttendance = pgTable(
  'training_attendance',
  {
    id: idColumn(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => trainingSessions.id),
    userId: uuid('user_id').notNull(),
    invitedAt: ts('invited_at').notNull().defaultNow(),
    checkedInAt: ts('checked_in_at'),
    method: text('method', { enum: CHECKIN_METHODS }),
    minutesCredited: integer('minutes_credited'),
  },
  (t) => [uniqueIndex('training_attendance_uq').on(t.sessionId, t.userId), index('training_attendance_user_idx').on(t.userId)],
);

/** Question bank (R8.3) per topic. */
export const trainingQuestions = pgTable(
  'training_questions',
  {
    id: idColumn(),
    topic: text('topic', { enum: TRAINING_TOPICS }).notNull(),
    kind: text('kind', { enum: QUESTION_KINDS }).notNull(),
    text: text('text').notNull(),
    options: jsonb('options').$type<string[]>().notNull().default([]),
    /** Correct option indexes (single/multiple), boolean (true/false), null for short answers (marked by a trainer). */
    answer: jsonb('answer').$type<number[] | boolean | null>(),
    points: integer('points').notNull().default(1),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('training_questions_topic_idx').on(t.topic)],
);

/** Certificate types: the competency a passed assessment earns, and the permissions it gates. */
export const trainingCertificateTypes = pgTable(
  'training_certificate_types',
  {
    id: idColumn(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    nameEn: text('name_en').notNull(),
    validityDays: integer('validity_days').notNull(),
    /** Permissions whose gated actions need a valid certificate of this type (configurable per permission). */
    gatedPermissions: text('gated_permissions')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('training_certificate_types_code_uq').on(t.code)],
);

/** An exam: questions, pass mark, time and attempt limits; failing assigns a re-test or remedial training. */
export const trainingExams = pgTable(
  'training_exams',
  {
    id: idColumn(),
    code: text('code').notNull(),
    title: text('title').notNull(),
    topic: text('topic', { enum: TRAINING_TOPICS }).notNull(),
    planId: uuid('plan_id').references(() => trainingPlans.id),
    questionIds: uuid('question_ids').array().notNull(),
    passMark: integer('pass_mark').notNull(),
    excellentMark: integer('excellent_mark').notNull(),
    timeLimitMinutes: integer('time_limit_minutes').notNull(),
    attemptLimit: integer('attempt_limit').notNull(),
    remedy: text('remedy', { enum: REMEDY_KINDS }).notNull().default('retest'),
    remedyDays: integer('remedy_days').notNull().default(14),
    certificateTypeId: uuid('certificate_type_id').references(() => trainingCertificateTypes.id),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('training_exams_code_uq').on(t.code)],
);

/** One attempt at an exam by one user. */
export const trainingAttempts = pgTable(
  'training_attempts',
  {
    id: idColumn(),
    examId: uuid('exam_id')
      .notNull()
      .references(() => trainingExams.id),
    userId: uuid('user_id').notNull(),
    attemptNo: integer('attempt_no').notNull(),
    status: text('status', { enum: ATTEMPT_STATUSES }).notNull().default('in_progress'),
    startedAt: ts('started_at').notNull(),
    deadlineAt: ts('deadline_at').notNull(),
    submittedAt: ts('submitted_at'),
    answers: jsonb('answers').$type<Record<string, Answer>>().notNull().default({}),
    /** Points per question id (auto-scored, short answers filled in by the marker). */
    points: jsonb('points').$type<Record<string, number | null>>().notNull().default({}),
    maxPoints: integer('max_points').notNull(),
    scorePercent: integer('score_percent'),
    result: text('result', { enum: RESULTS }),
    /** The re-test (补考) this attempt answers. */
    remedialId: uuid('remedial_id'),
    markedBy: uuid('marked_by'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('training_attempts_no_uq').on(t.examId, t.userId, t.attemptNo), index('training_attempts_user_idx').on(t.userId)],
);

/** Practical checks (scored by an assessor against a checklist) and performance reviews. */
export const trainingAssessments = pgTable(
  'training_assessments',
  {
    id: idColumn(),
    kind: text('kind', { enum: ASSESSMENT_KINDS }).notNull(),
    userId: uuid('user_id').notNull(),
    topic: text('topic', { enum: TRAINING_TOPICS }).notNull(),
    planId: uuid('plan_id').references(() => trainingPlans.id),
    assessorId: uuid('assessor_id'),
    checklist: jsonb('checklist').$type<ChecklistItem[]>().notNull().default([]),
    period: text('period'),
    scorePercent: integer('score_percent').notNull(),
    result: text('result', { enum: RESULTS }).notNull(),
    comment: text('comment'),
    certificateTypeId: uuid('certificate_type_id').references(() => trainingCertificateTypes.id),
    createdAt: createdAt(),
  },
  (t) => [index('training_assessments_user_idx').on(t.userId)],
);

/** A re-test or remedial training assigned automatically after a failed exam or practical check, with its deadline. */
export const trainingRemedials = pgTable(
  'training_remedials',
  {
    id: idColumn(),
    userId: uuid('user_id').notNull(),
    /** The failed exam (its re-test), or null for a failed practical check (a re-check of its topic). */
    examId: uuid('exam_id').references(() => trainingExams.id),
    failedAttemptId: uuid('failed_attempt_id'),
    failedAssessmentId: uuid('failed_assessment_id'),
    topic: text('topic', { enum: TRAINING_TOPICS }).notNull(),
    kind: text('kind', { enum: REMEDY_KINDS }).notNull(),
    dueOn: date('due_on').notNull(),
    status: text('status', { enum: REMEDIAL_STATUSES }).notNull().default('open'),
    /** Remedial training: when the trainer recorded it as done (the re-test opens then). */
    trainingDoneAt: ts('training_done_at'),
    sessionId: uuid('session_id'),
    remindedOn: date('reminded_on'),
    closedAt: ts('closed_at'),
    createdAt: createdAt(),
  },
  (t) => [index('training_remedials_user_idx').on(t.userId), index('training_remedials_due_idx').on(t.dueOn)],
);

/** A certificate held by a user: valid from issue to expiry unless revoked. */
export const trainingCertificates = pgTable(
  'training_certificates',
  {
    id: idColumn(),
    code: text('code').notNull(),
    typeId: uuid('type_id')
      .notNull()
      .references(() => trainingCertificateTypes.id),
    userId: uuid('user_id').notNull(),
    issuedOn: date('issued_on').notNull(),
    expiresOn: date('expires_on').notNull(),
    attemptId: uuid('attempt_id'),
    assessmentId: uuid('assessment_id'),
    status: text('status', { enum: CERTIFICATE_STATUSES }).notNull().default('valid'),
    alertedFor: date('alerted_for'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('training_certificates_code_uq').on(t.code),
    index('training_certificates_user_idx').on(t.userId, t.typeId),
    index('training_certificates_expiry_idx').on(t.expiresOn),
  ],
);
