import { z } from 'zod';
import { businessDay, dateTime, safeMultiline, safeString } from '../../platform/http/schemas.js';
import { listQuery, qsBool } from '../../platform/http/list.js';
import { ROLE_CODES } from '../../platform/rbac/permissions.js';
import {
  ASSESSMENT_KINDS,
  ATTEMPT_STATUSES,
  CERTIFICATE_STATUSES,
  CHECKIN_METHODS,
  PLAN_STATUSES,
  QUESTION_KINDS,
  REMEDIAL_STATUSES,
  REMEDY_KINDS,
  RESULTS,
  SESSION_KINDS,
  SESSION_PART_KINDS,
  SESSION_STATUSES,
  TRAINING_TOPICS,
} from './training.tables.js';

const topic = z.enum(TRAINING_TOPICS);
const text = (max: number) => safeString().trim().min(1).max(max);
const optText = (max: number) => safeString().trim().max(max).nullable().optional();
const role = z.enum(ROLE_CODES);
const department = safeString().trim().min(1).max(50);
const year = z.number().int().min(2000).max(2100);

// ---- inputs

export const courseBody = z.strictObject({ topic, title: text(100), minutes: z.number().int().min(1).max(100_000), targetDate: businessDay });
export const planBody = z.strictObject({
  year,
  title: text(100),
  role: role.nullable().optional(),
  department: department.nullable().optional(),
  topics: z.array(topic).min(1).max(TRAINING_TOPICS.length),
  note: safeMultiline().max(1000).nullable().optional(),
  courses: z.array(courseBody).max(100).optional(),
});
export const planPatch = planBody.omit({ courses: true }).partial();
export const reasonBody = z.strictObject({ reason: safeMultiline().trim().max(500).nullable().optional() });
export const requiredReasonBody = z.strictObject({ reason: safeMultiline().trim().min(1).max(500) });

export const sessionPart = z.strictObject({ kind: z.enum(SESSION_PART_KINDS), title: text(100), notes: safeMultiline().max(2000).nullable().default(null) });
export const sessionBody = z.strictObject({
  planId: z.uuid(),
  courseId: z.uuid().nullable().optional(),
  title: text(100),
  kind: z.enum(SESSION_KINDS),
  topic,
  startsAt: dateTime,
  endsAt: dateTime,
  place: optText(200),
  link: z.url().max(500).nullable().optional(),
  trainerId: z.uuid().nullable().optional(),
  minutes: z.number().int().min(1).max(100_000).optional(),
  parts: z.array(sessionPart).max(50).optional(),
  inviteeIds: z.array(z.uuid()).max(500).optional(),
});
export const sessionPatch = sessionBody.omit({ planId: true, inviteeIds: true }).partial();
export const inviteBody = z.strictObject({ userIds: z.array(z.uuid()).min(1).max(500) });
export const checkinBody = z.strictObject({ userId: z.uuid() });
export const tokenCheckinBody = z.strictObject({ token: safeString().trim().min(10).max(100) });
export const partsBody = z.strictObject({ parts: z.array(sessionPart).max(50) });

export const questionBody = z.strictObject({
  topic,
  kind: z.enum(QUESTION_KINDS),
  text: safeMultiline().trim().min(1).max(2000),
  options: z.array(text(500)).max(10).optional(),
  answer: z
    .union([z.array(z.number().int().min(0).max(9)).max(10), z.boolean()])
    .nullable()
    .optional(),
  points: z.number().int().min(1).max(100).optional(),
  active: z.boolean().optional(),
});
export const questionPatch = questionBody.partial();

export const examBody = z.strictObject({
  title: text(100),
  topic,
  planId: z.uuid().nullable().optional(),
  questionIds: z.array(z.uuid()).min(1).max(200),
  passMark: z.number().int().min(1).max(100),
  excellentMark: z.number().int().min(1).max(100),
  timeLimitMinutes: z.number().int().min(1).max(600),
  attemptLimit: z.number().int().min(1).max(10),
  remedy: z.enum(REMEDY_KINDS).optional(),
  remedyDays: z.number().int().min(1).max(365).optional(),
  certificateTypeId: z.uuid().nullable().optional(),
  active: z.boolean().optional(),
});
export const examPatch = examBody.partial();

const answer = z.union([z.array(z.number().int().min(0).max(9)).max(10), z.boolean(), safeMultiline().max(5000)]);
export const submitBody = z.strictObject({ answers: z.record(z.uuid(), answer) });
export const markBody = z.strictObject({ marks: z.record(z.uuid(), z.number().int().min(0).max(100)) });

export const certTypeBody = z.strictObject({
  code: safeString()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'FIELD_INVALID'),
  name: text(100),
  nameEn: text(100),
  validityDays: z.number().int().min(1).max(3650),
  gatedPermissions: z.array(safeString().max(50)).max(20).optional(),
  active: z.boolean().optional(),
});
export const certTypePatch = certTypeBody.partial();

export const checklistItem = z.strictObject({ item: text(200), passed: z.boolean(), note: safeString().max(500).nullable().default(null) });
export const assessmentBody = z.strictObject({
  kind: z.enum(ASSESSMENT_KINDS),
  userId: z.uuid(),
  topic,
  planId: z.uuid().nullable().optional(),
  checklist: z.array(checklistItem).max(100).optional(),
  period: optText(30),
  scorePercent: z.number().int().min(0).max(100).optional(),
  comment: safeMultiline().max(2000).nullable().optional(),
  certificateTypeId: z.uuid().nullable().optional(),
});
export const departmentBody = z.strictObject({ department });
export const remedialDoneBody = z.strictObject({ sessionId: z.uuid().nullable().optional() });

// ---- list queries

export const staffListQuery = listQuery.extend({ department: safeString().max(50).optional(), role: safeString().max(30).optional() });
export const planListQuery = listQuery.extend({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  status: z.enum(PLAN_STATUSES).optional(),
  role: safeString().max(30).optional(),
  department: safeString().max(50).optional(),
  topic: topic.optional(),
});
export const sessionListQuery = listQuery.extend({
  planId: z.uuid().optional(),
  status: z.enum(SESSION_STATUSES).optional(),
  kind: z.enum(SESSION_KINDS).optional(),
  topic: topic.optional(),
  from: businessDay.optional(),
  to: businessDay.optional(),
});
export const questionListQuery = listQuery.extend({ topic: topic.optional(), kind: z.enum(QUESTION_KINDS).optional(), active: qsBool });
export const examListQuery = listQuery.extend({ topic: topic.optional(), planId: z.uuid().optional(), active: qsBool });
export const attemptListQuery = listQuery.extend({
  examId: z.uuid().optional(),
  userId: z.uuid().optional(),
  status: z.enum(ATTEMPT_STATUSES).optional(),
  result: z.enum(RESULTS).optional(),
});
export const remedialListQuery = listQuery.extend({
  userId: z.uuid().optional(),
  examId: z.uuid().optional(),
  status: z.enum(REMEDIAL_STATUSES).optional(),
  kind: z.enum(REMEDY_KINDS).optional(),
  overdue: qsBool,
});
export const assessmentListQuery = listQuery.extend({
  kind: z.enum(ASSESSMENT_KINDS).optional(),
  userId: z.uuid().optional(),
  topic: topic.optional(),
  result: z.enum(RESULTS).optional(),
});
export const certTypeListQuery = listQuery.extend({ permission: safeString().max(50).optional(), active: qsBool });
export const certificateListQuery = listQuery.extend({
  typeId: z.uuid().optional(),
  userId: z.uuid().optional(),
  state: z.enum(['valid', 'expiring', 'expired', 'revoked']).optional(),
});
export const reportQuery = z.object({
  by: z.enum(['department', 'role', 'topic']).default('department'),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  from: businessDay.optional(),
  to: businessDay.optional(),
});
export const performersQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) });

// ---- responses

export const staffSchema = z.object({
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  department: z.string().nullable(),
  validCertificates: z.number(),
});
export const courseSchema = z.object({ id: z.string(), planId: z.string(), topic, title: z.string(), minutes: z.number(), targetDate: z.string() });
export const planSchema = z.object({
  id: z.string(),
  code: z.string(),
  year: z.number(),
  title: z.string(),
  role: z.string().nullable(),
  department: z.string().nullable(),
  topics: z.array(topic),
  status: z.enum(PLAN_STATUSES),
  note: z.string().nullable(),
  courseCount: z.number(),
  totalMinutes: z.number(),
  nextTargetDate: z.string().nullable(),
  createdAt: dateTime,
});
export const planDetailSchema = planSchema.extend({ courses: z.array(courseSchema) });

export const attendanceSchema = z.object({
  userId: z.string(),
  displayName: z.string(),
  invitedAt: dateTime,
  checkedInAt: dateTime.nullable(),
  method: z.enum(CHECKIN_METHODS).nullable(),
  minutesCredited: z.number().nullable(),
});
export const sessionSchema = z.object({
  id: z.string(),
  code: z.string(),
  planId: z.string(),
  planCode: z.string(),
  courseId: z.string().nullable(),
  title: z.string(),
  kind: z.enum(SESSION_KINDS),
  topic,
  startsAt: dateTime,
  endsAt: dateTime,
  place: z.string().nullable(),
  link: z.string().nullable(),
  trainerId: z.string().nullable(),
  trainerName: z.string().nullable(),
  minutes: z.number(),
  status: z.enum(SESSION_STATUSES),
  invited: z.number(),
  attended: z.number(),
});
export const sessionDetailSchema = sessionSchema.extend({
  parts: z.array(z.object({ kind: z.enum(SESSION_PART_KINDS), title: z.string(), notes: z.string().nullable() })),
  attendance: z.array(attendanceSchema),
  files: z.array(z.object({ id: z.string(), filename: z.string(), contentType: z.string(), size: z.number(), createdAt: dateTime })),
  checkinToken: z.string().nullable(),
});

export const questionSchema = z.object({
  id: z.string(),
  topic,
  kind: z.enum(QUESTION_KINDS),
  text: z.string(),
  options: z.array(z.string()),
  answer: z.union([z.array(z.number()), z.boolean()]).nullable(),
  points: z.number(),
  active: z.boolean(),
  createdAt: dateTime,
});

export const examSchema = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  topic,
  planId: z.string().nullable(),
  questionIds: z.array(z.string()),
  questionCount: z.number(),
  maxPoints: z.number(),
  passMark: z.number(),
  excellentMark: z.number(),
  timeLimitMinutes: z.number(),
  attemptLimit: z.number(),
  remedy: z.enum(REMEDY_KINDS),
  remedyDays: z.number(),
  certificateTypeId: z.string().nullable(),
  certificateTypeName: z.string().nullable(),
  active: z.boolean(),
  attempts: z.number(),
  passRate: z.number().nullable(),
});

export const attemptSchema = z.object({
  id: z.string(),
  examId: z.string(),
  examCode: z.string(),
  examTitle: z.string(),
  topic,
  userId: z.string(),
  userName: z.string(),
  attemptNo: z.number(),
  isRetest: z.boolean(),
  status: z.enum(ATTEMPT_STATUSES),
  startedAt: dateTime,
  deadlineAt: dateTime,
  submittedAt: dateTime.nullable(),
  maxPoints: z.number(),
  scorePercent: z.number().nullable(),
  result: z.enum(RESULTS).nullable(),
  passMark: z.number(),
});
const answerOut = z.union([z.array(z.number()), z.boolean(), z.string()]);
export const attemptDetailSchema = attemptSchema.extend({
  questions: z.array(z.object({ id: z.string(), kind: z.enum(QUESTION_KINDS), text: z.string(), options: z.array(z.string()), points: z.number() })),
  answers: z.record(z.string(), answerOut),
  points: z.record(z.string(), z.number().nullable()),
  correct: z.record(z.string(), z.union([z.array(z.number()), z.boolean()]).nullable()).nullable(),
});

export const remedialSchema = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string(),
  examId: z.string().nullable(),
  examTitle: z.string().nullable(),
  topic,
  failedAssessmentId: z.string().nullable(),
  kind: z.enum(REMEDY_KINDS),
  dueOn: z.string(),
  status: z.enum(REMEDIAL_STATUSES),
  overdue: z.boolean(),
  trainingDoneAt: dateTime.nullable(),
  sessionId: z.string().nullable(),
  createdAt: dateTime,
});

export const assessmentSchema = z.object({
  id: z.string(),
  kind: z.enum(ASSESSMENT_KINDS),
  userId: z.string(),
  userName: z.string(),
  topic,
  planId: z.string().nullable(),
  assessorId: z.string().nullable(),
  assessorName: z.string().nullable(),
  checklist: z.array(z.object({ item: z.string(), passed: z.boolean(), note: z.string().nullable() })),
  period: z.string().nullable(),
  scorePercent: z.number(),
  result: z.enum(RESULTS),
  comment: z.string().nullable(),
  createdAt: dateTime,
});

export const certTypeSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  nameEn: z.string(),
  validityDays: z.number(),
  gatedPermissions: z.array(z.string()),
  active: z.boolean(),
  holders: z.number(),
});
export const certificateSchema = z.object({
  id: z.string(),
  code: z.string(),
  typeId: z.string(),
  typeCode: z.string(),
  typeName: z.string(),
  typeNameEn: z.string(),
  userId: z.string(),
  holderName: z.string(),
  issuedOn: z.string(),
  expiresOn: z.string(),
  status: z.enum(CERTIFICATE_STATUSES),
  valid: z.boolean(),
  expiringSoon: z.boolean(),
  daysLeft: z.number(),
});

export const reportRowSchema = z.object({
  group: z.string(),
  invited: z.number(),
  attended: z.number(),
  completionRate: z.number().nullable(),
  minutes: z.number(),
  graded: z.number(),
  passed: z.number(),
  passRate: z.number().nullable(),
  excellent: z.number(),
});
export const performerSchema = z.object({
  rank: z.number(),
  userId: z.string(),
  displayName: z.string(),
  department: z.string().nullable(),
  attended: z.number(),
  invited: z.number(),
  minutes: z.number(),
  bestScore: z.number().nullable(),
  averageScore: z.number().nullable(),
});

export const myTrainingSchema = z.object({
  sessions: z.array(sessionSchema.extend({ checkedInAt: dateTime.nullable(), minutesCredited: z.number().nullable() })),
  exams: z.array(examSchema.extend({ attemptsUsed: z.number(), attemptsAllowed: z.number(), lastResult: z.enum(RESULTS).nullable(), openAttemptId: z.string().nullable() })),
  attempts: z.array(attemptSchema),
  remedials: z.array(remedialSchema),
  certificates: z.array(certificateSchema),
  creditedMinutes: z.number(),
});
export const gateSchema = z.object({
  permission: z.string(),
  missing: z.array(z.object({ typeId: z.string(), code: z.string(), name: z.string(), nameEn: z.string() })),
});
