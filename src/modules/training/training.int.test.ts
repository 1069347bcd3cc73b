import ExcelJS from 'exceljs';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, setClock, systemClock } from '../../platform/clock.js';
import { inTransaction } from '../../platform/db/client.js';
import { auditLog } from '../../platform/platform.tables.js';
import { json, testApp, type TestApp } from '../../../test/helpers/app.js';
import { runTrainingReminders } from './training.service.js';
import { trainingCertificates } from './training.tables.js';

let t: TestApp;
let trainer: string;
let manager: string;
let qc: { cookie: string; userId: string };
let qc2: { cookie: string; userId: string };
let sales: { cookie: string; userId: string };
const clockAt = fixedClock('2026-03-02T01:00:00Z');

type Problem = { code: string; detail: string; errors?: { field: string; code: string; message: string }[] };

const req = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, cookie: string, payload?: unknown, lang = 'zh-CN') =>
  t.app.inject({ method, url, headers: { cookie, 'accept-language': lang }, ...(payload === undefined ? {} : { payload: payload as object }) });

async function ok<T = Record<string, unknown>>(p: Promise<import('light-my-request').Response>, status = 200): Promise<T> {
  const res = await p;
  expect(res.statusCode, res.body).toBe(status);
  return json<T>(res);
}

async function auditCount(action: string): Promise<number> {
  const rows = await t.database.db.select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.action, action));
  return rows.length;
}

async function sheetRows(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0]!.eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

let planId: string;
let sessionId: string;
let checkinToken: string;
const qIds: Record<string, string> = {};
let examId: string;
let certTypeId: string;

beforeAll(async () => {
  setClock(clockAt);
  t = await testApp();
  trainer = (await t.loginAs(['trainer'])).cookie;
  manager = (await t.loginAs(['manager'])).cookie;
  qc = await t.loginAs(['qc']);
  qc2 = await t.loginAs(['qc']);
  sales = await t.loginAs(['sales']);
});
afterAll(async () => {
  setClock(systemClock);
  await t?.close();
});

describe('training plans (R8.1)', () => {
  it('creates an annual plan by role and department with courses, hours and target dates, audited', async () => {
    await ok(req('PUT', `/api/training/staff/${qc.userId}/department`, trainer, { department: '质量部' }));
    await ok(req('PUT', `/api/training/staff/${qc2.userId}/department`, trainer, { department: '质量部' }));
    await ok(req('PUT', `/api/training/staff/${sales.userId}/department`, trainer, { department: '销售部' }));
    const plan = await ok<{ id: string; code: string; courseCount: number; totalMinutes: number; nextTargetDate: string; status: string }>(
      req('POST', '/api/training/plans', trainer, {
        year: 2026,
        title: '2026 质检员培训',
        role: 'qc',
        department: '质量部',
        topics: ['quality_standards', 'operating_rules', 'product_knowledge'],
        courses: [
          { topic: 'quality_standards', title: '农残快检', minutes: 240, targetDate: '2026-04-30' },
          { topic: 'operating_rules', title: '温度超标处置', minutes: 90, targetDate: '2026-05-31' },
        ],
      }),
      201,
    );
    planId = plan.id;
    expect(plan).toMatchObject({ courseCount: 2, totalMinutes: 330, nextTargetDate: '2026-04-30', status: 'draft' });
    await ok(req('POST', `/api/training/plans/${planId}/activate`, trainer, {}));
    await ok(req('POST', '/api/training/plans', trainer, { year: 2026, title: '全员客户服务', topics: ['customer_service'] }), 201);
    expect(await auditCount('training.plan.create')).toBe(2);
    expect(await auditCount('training.plan.activate')).toBe(1);
  });

  it('lists plans with search, filter, sort, pagination and an Excel export of the same query', async () => {
    const page = await ok<{ items: { title: string }[]; total: number }>(req('GET', '/api/training/plans?q=质检&status=active&sort=-year,title&page=1&pageSize=1', manager));
    expect(page.total).toBe(1);
    expect(page.items[0]!.title).toBe('2026 质检员培训');
    const byTopic = await ok<{ total: number }>(req('GET', '/api/training/plans?topic=customer_service', manager));
    expect(byTopic.total).toBe(1);
    const bad = await req('GET', '/api/training/plans?sort=nope', manager);
    expect(bad.statusCode).toBe(400);
    const x = await req('GET', '/api/training/plans/export.xlsx?q=质检', manager);
    expect(x.statusCode).toBe(200);
    const rows = await sheetRows(x.rawPayload);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('2026 质检员培训');
  });

  it('keeps plans and the question bank out of reach of staff without training permissions', async () => {
    expect((await req('POST', '/api/training/plans', sales.cookie, { year: 2026, title: 'x', topics: ['order_process'] })).statusCode).toBe(403);
    expect((await req('GET', '/api/training/questions', manager)).statusCode).toBe(403);
  });
});

describe('sessions and attendance (R8.2)', () => {
  it('refuses a session scheduled in the past, an end before its start and an on-site session without a place', async () => {
    const base = { planId, title: '农残快检实操', kind: 'internal', topic: 'quality_standards', place: '质检室' };
    const past = await req('POST', '/api/training/sessions', trainer, { ...base, startsAt: '2026-03-01T01:00:00Z', endsAt: '2026-03-01T03:00:00Z' });
    expect(past.statusCode).toBe(400);
    expect(json<Problem>(past)).toMatchObject({ code: 'TRAINING_SESSION_IN_PAST', errors: [{ field: 'startsAt' }] });
    const backwards = await req('POST', '/api/training/sessions', trainer, { ...base, startsAt: '2026-03-05T03:00:00Z', endsAt: '2026-03-05T01:00:00Z' });
    expect(json<Problem>(backwards)).toMatchObject({ code: 'TRAINING_SESSION_TIMES_INVALID', errors: [{ field: 'endsAt' }] });
    const noPlace = await req('POST', '/api/training/sessions', trainer, { ...base, place: null, startsAt: '2026-03-05T01:00:00Z', endsAt: '2026-03-05T03:00:00Z' });
    expect(json<Problem>(noPlace)).toMatchObject({ code: 'TRAINING_SESSION_PLACE_REQUIRED', errors: [{ field: 'place' }] });
    const online = await req(
      'POST',
      '/api/training/sessions',
      trainer,
      { ...base, kind: 'online', place: null, startsAt: '2026-03-05T01:00:00Z', endsAt: '2026-03-05T03:00:00Z' },
      'en-US',
    );
    expect(json<Problem>(online)).toMatchObject({ code: 'TRAINING_SESSION_PLACE_REQUIRED', errors: [{ field: 'link' }] });
    expect(json<Problem>(online).detail).toMatch(/online session needs a link/);
  });

  it('schedules a session with parts, invites staff, checks in by trainer and by QR code, and credits hours on completion', async () => {
    const s = await ok<{ id: string; checkinToken: string; minutes: number; parts: unknown[] }>(
      req('POST', '/api/training/sessions', trainer, {
        planId,
        title: '农残快检实操',
        kind: 'internal',
        topic: 'quality_standards',
        place: '质检室',
        startsAt: '2026-03-05T01:00:00Z',
        endsAt: '2026-03-05T03:00:00Z',
        parts: [{ kind: 'case_study', title: '2025 年菠菜农残超标案例', notes: null }],
        inviteeIds: [qc.userId],
      }),
      201,
    );
    sessionId = s.id;
    checkinToken = s.checkinToken;
    expect(s.minutes).toBe(120);
    expect(checkinToken.length).toBeGreaterThan(10);
    await ok(req('POST', `/api/training/sessions/${sessionId}/invitations`, trainer, { userIds: [qc2.userId, sales.userId] }));
    await ok(
      req('PUT', `/api/training/sessions/${sessionId}/parts`, trainer, {
        parts: [
          { kind: 'simulation', title: '快检仪模拟操作', notes: '每人一次' },
          { kind: 'demonstration', title: '现场演示', notes: null },
        ],
      }),
    );
    const byTrainer = await ok<{ method: string }>(req('POST', `/api/training/sessions/${sessionId}/checkins`, trainer, { userId: qc.userId }));
    expect(byTrainer.method).toBe('trainer');
    const byQr = await ok<{ method: string; sessionId: string }>(req('POST', '/api/training/checkin', qc2.cookie, { token: checkinToken }));
    expect(byQr).toMatchObject({ method: 'qr', sessionId });
    const stranger = await t.loginAs(['warehouse']);
    const notInvited = await req('POST', '/api/training/checkin', stranger.cookie, { token: checkinToken });
    expect(notInvited.statusCode).toBe(409);
    expect(json<Problem>(notInvited).code).toBe('TRAINING_NOT_INVITED');
    expect((await req('POST', '/api/training/checkin', stranger.cookie, { token: 'x'.repeat(24) })).statusCode).toBe(404);
    const qr = await req('GET', `/api/training/sessions/${sessionId}/qr.png`, trainer);
    expect(qr.headers['content-type']).toBe('image/png');
    const done = await ok<{ status: string; attendance: { userId: string; minutesCredited: number | null }[]; parts: unknown[]; invited: number; attended: number }>(
      req('POST', `/api/training/sessions/${sessionId}/complete`, trainer, {}),
    );
    expect(done).toMatchObject({ status: 'completed', invited: 3, attended: 2 });
    expect(done.parts).toHaveLength(2);
    expect(done.attendance.find((a) => a.userId === qc.userId)!.minutesCredited).toBe(120);
    expect(done.attendance.find((a) => a.userId === sales.userId)!.minutesCredited).toBeNull();
    expect(json<Problem>(await req('POST', '/api/training/checkin', sales.cookie, { token: checkinToken })).code).toBe('TRAINING_SESSION_NOT_OPEN');
    expect(await auditCount('training.session.checkin')).toBe(2);
    const listed = await ok<{ total: number }>(req('GET', `/api/training/sessions?planId=${planId}&status=completed&kind=internal&q=快检&sort=-startsAt`, manager));
    expect(listed.total).toBe(1);
  });

  it('stores session materials (documents, videos), served to attendees and trainers only', async () => {
    const boundary = '----t';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="课件.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      Buffer.from('%PDF-1.4 demo'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await t.app.inject({
      method: 'POST',
      url: `/api/training/sessions/${sessionId}/files`,
      payload: body,
      headers: { cookie: trainer, 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(up.statusCode, up.body).toBe(201);
    const fileId = json<{ id: string }>(up).id;
    expect((await req('GET', `/api/training/sessions/${sessionId}/files/${fileId}`, qc.cookie)).statusCode).toBe(200);
    const outsider = await t.loginAs(['logistics']);
    expect((await req('GET', `/api/training/sessions/${sessionId}/files/${fileId}`, outsider.cookie)).statusCode).toBe(404);
  });
});

describe('question bank and exams (R8.3)', () => {
  it('refuses a question without a correct answer or with an answer outside its options', async () => {
    const none = await req('POST', '/api/training/questions', trainer, { topic: 'quality_standards', kind: 'single', text: '无答案', options: ['a', 'b'] });
    expect(none.statusCode).toBe(400);
    expect(json<Problem>(none)).toMatchObject({ code: 'TRAINING_QUESTION_ANSWER_REQUIRED', errors: [{ field: 'answer' }] });
    const tf = await req('POST', '/api/training/questions', trainer, { topic: 'quality_standards', kind: 'true_false', text: '无答案' });
    expect(json<Problem>(tf).code).toBe('TRAINING_QUESTION_ANSWER_REQUIRED');
    const outside = await req('POST', '/api/training/questions', trainer, { topic: 'quality_standards', kind: 'multiple', text: '越界', options: ['a', 'b'], answer: [0, 5] });
    expect(json<Problem>(outside).code).toBe('TRAINING_QUESTION_OPTIONS_INVALID');
    const twoForSingle = await req('POST', '/api/training/questions', trainer, {
      topic: 'quality_standards',
      kind: 'single',
      text: '单选两个答案',
      options: ['a', 'b'],
      answer: [0, 1],
    });
    expect(json<Problem>(twoForSingle).code).toBe('TRAINING_QUESTION_OPTIONS_INVALID');
  });

  it('builds a bank of single, multiple, true/false and short-answer questions per topic', async () => {
    const mk = async (key: string, body: object) =>
      (qIds[key] = (await ok<{ id: string }>(req('POST', '/api/training/questions', trainer, { topic: 'quality_standards', ...body }), 201)).id);
    await mk('single', { kind: 'single', text: '快检抑制率阳性阈值', options: ['30%', '50%'], answer: [1], points: 4 });
    await mk('multiple', { kind: 'multiple', text: '签发前核对', options: ['样本量', '检测项目', '信用额度'], answer: [1, 0], points: 3 });
    await mk('tf', { kind: 'true_false', text: '不合格批次可先发货', answer: false, points: 3 });
    await mk('short', { kind: 'short', text: '简述超标处置', points: 5 });
    const bank = await ok<{ total: number }>(req('GET', '/api/training/questions?topic=quality_standards&kind=multiple', trainer));
    expect(bank.total).toBe(1);
    const x = await req('GET', '/api/training/questions/export.xlsx?topic=quality_standards', trainer);
    expect((await sheetRows(x.rawPayload)).length).toBe(5);
  });

  it('configures a certificate type gating permissions, refusing unknown permissions', async () => {
    const bad = await req('POST', '/api/training/certificate-types', trainer, { code: 'X', name: 'x', nameEn: 'x', validityDays: 10, gatedPermissions: ['nope:nope'] });
    expect(json<Problem>(bad)).toMatchObject({ code: 'TRAINING_PERMISSION_UNKNOWN', errors: [{ field: 'gatedPermissions' }] });
    const ct = await ok<{ id: string }>(
      req('POST', '/api/training/certificate-types', trainer, {
        code: 'QC-SIGN',
        name: '质检签发资格',
        nameEn: 'QC sign-off',
        validityDays: 365,
        gatedPermissions: ['quality:inspect', 'lots:status'],
      }),
      201,
    );
    certTypeId = ct.id;
    expect(json<Problem>(await req('POST', '/api/training/certificate-types', trainer, { code: 'QC-SIGN', name: 'a', nameEn: 'a', validityDays: 1 })).code).toBe(
      'TRAINING_CERT_TYPE_CODE_TAKEN',
    );
  });

  it('refuses an exam whose excellent mark is below its pass mark or whose questions do not exist', async () => {
    const base = { title: '质检签发资格考试', topic: 'quality_standards', planId, passMark: 60, excellentMark: 90, timeLimitMinutes: 20, attemptLimit: 1 };
    const marks = await req('POST', '/api/training/exams', trainer, { ...base, questionIds: [qIds.single], excellentMark: 50 });
    expect(json<Problem>(marks).code).toBe('TRAINING_EXAM_MARKS_INVALID');
    const missing = await req('POST', '/api/training/exams', trainer, { ...base, questionIds: ['01900000-0000-7000-8000-0000000000aa'] });
    expect(json<Problem>(missing).code).toBe('TRAINING_EXAM_QUESTIONS_INVALID');
    const e = await ok<{ id: string; maxPoints: number }>(
      req('POST', '/api/training/exams', trainer, {
        ...base,
        questionIds: [qIds.single, qIds.multiple, qIds.tf],
        remedy: 'remedial',
        remedyDays: 7,
        certificateTypeId: certTypeId,
      }),
      201,
    );
    examId = e.id;
    expect(e.maxPoints).toBe(10);
  });

  it('scores a browser exam automatically, classifies 不合格, and assigns remedial training with a deadline', async () => {
    const a = await ok<{ id: string; questions: { id: string }[]; correct: unknown; deadlineAt: string }>(req('POST', `/api/training/exams/${examId}/attempts`, qc.cookie));
    expect(a.questions).toHaveLength(3);
    expect(a.correct).toBeNull(); // answers are not shown while taking the exam
    const graded = await ok<{ status: string; scorePercent: number; result: string; correct: Record<string, unknown> }>(
      req('POST', `/api/training/attempts/${a.id}/submit`, qc.cookie, { answers: { [qIds.single!]: [0], [qIds.multiple!]: [0, 1], [qIds.tf!]: true } }),
    );
    expect(graded).toMatchObject({ status: 'graded', scorePercent: 30, result: 'fail' });
    expect(graded.correct[qIds.single!]).toEqual([1]);
    const me = await ok<{ remedials: { kind: string; dueOn: string; status: string }[] }>(req('GET', '/api/training/me', qc.cookie));
    expect(me.remedials).toEqual([expect.objectContaining({ kind: 'remedial', dueOn: '2026-03-09', status: 'open' })]);
    expect(await auditCount('training.remedial.assign')).toBe(1);
  });

  it('refuses the re-test until the remedial training is recorded, then a second re-test beyond the limit', async () => {
    const early = await req('POST', `/api/training/exams/${examId}/attempts`, qc.cookie);
    expect(early.statusCode).toBe(409);
    expect(json<Problem>(early).code).toBe('TRAINING_REMEDIAL_TRAINING_PENDING');
    const rem = await ok<{ items: { id: string }[] }>(req('GET', `/api/training/remedials?userId=${qc.userId}&status=open`, trainer));
    await ok(req('POST', `/api/training/remedials/${rem.items[0]!.id}/training-done`, trainer, { sessionId }));
    const retest = await ok<{ id: string; isRetest: boolean; attemptNo: number }>(req('POST', `/api/training/exams/${examId}/attempts`, qc.cookie));
    expect(retest).toMatchObject({ isRetest: true, attemptNo: 2 });
    const passed = await ok<{ scorePercent: number; result: string }>(
      req('POST', `/api/training/attempts/${retest.id}/submit`, qc.cookie, { answers: { [qIds.single!]: [1], [qIds.multiple!]: [1, 0], [qIds.tf!]: false } }),
    );
    expect(passed).toMatchObject({ scorePercent: 100, result: 'excellent' });
    const me = await ok<{ remedials: { status: string }[]; certificates: { typeCode: string; valid: boolean; expiresOn: string }[] }>(req('GET', '/api/training/me', qc.cookie));
    expect(me.remedials[0]!.status).toBe('done');
    expect(me.certificates).toEqual([expect.objectContaining({ typeCode: 'QC-SIGN', valid: true, expiresOn: '2027-03-02' })]);
    const again = await req('POST', `/api/training/exams/${examId}/attempts`, qc.cookie, undefined, 'en-US');
    expect(again.statusCode).toBe(409);
    expect(json<Problem>(again)).toMatchObject({ code: 'TRAINING_ATTEMPT_LIMIT_REACHED' });
    expect(json<Problem>(again).detail).toMatch(/All 1 attempts/);
  });

  it('refuses an exam submitted after its time limit', async () => {
    const a = await ok<{ id: string }>(req('POST', `/api/training/exams/${examId}/attempts`, qc2.cookie));
    clockAt.advance(25 * 60_000);
    const late = await req('POST', `/api/training/attempts/${a.id}/submit`, qc2.cookie, { answers: { [qIds.single!]: [1] } });
    expect(late.statusCode).toBe(409);
    expect(json<Problem>(late)).toMatchObject({ code: 'TRAINING_ATTEMPT_TIME_UP', errors: [{ field: 'answers' }] });
    // the reminder job closes it as it stood (nothing submitted: zero, 不合格) and assigns the remedial training
    await inTransaction(t.database.db, (db) => runTrainingReminders(db, async () => null));
    const list = await ok<{ items: { status: string; result: string; scorePercent: number }[] }>(req('GET', `/api/training/attempts?userId=${qc2.userId}`, trainer));
    expect(list.items[0]).toMatchObject({ status: 'graded', result: 'fail', scorePercent: 0 });
  });

  it('waits for a trainer to mark short answers, refusing a mark above the question’s points', async () => {
    const e = await ok<{ id: string }>(
      req('POST', '/api/training/exams', trainer, {
        title: '简答考核',
        topic: 'quality_standards',
        questionIds: [qIds.tf, qIds.short],
        passMark: 60,
        excellentMark: 90,
        timeLimitMinutes: 10,
        attemptLimit: 2,
      }),
      201,
    );
    const a = await ok<{ id: string }>(req('POST', `/api/training/exams/${e.id}/attempts`, sales.cookie));
    const submitted = await ok<{ status: string; result: string | null }>(
      req('POST', `/api/training/attempts/${a.id}/submit`, sales.cookie, { answers: { [qIds.tf!]: false, [qIds.short!]: '隔离、复检、记录' } }),
    );
    expect(submitted).toMatchObject({ status: 'marking', result: null });
    const tooMuch = await req('POST', `/api/training/attempts/${a.id}/mark`, trainer, { marks: { [qIds.short!]: 9 } });
    expect(json<Problem>(tooMuch)).toMatchObject({ code: 'TRAINING_MARK_INVALID', errors: [{ field: `marks.${qIds.short}` }] });
    const marked = await ok<{ status: string; scorePercent: number; result: string }>(req('POST', `/api/training/attempts/${a.id}/mark`, trainer, { marks: { [qIds.short!]: 3 } }));
    expect(marked).toMatchObject({ status: 'graded', scorePercent: 75, result: 'pass' });
  });

  it('scores practical checks against a checklist and records performance reviews, classified 优秀/合格/不合格', async () => {
    const practical = await ok<{ scorePercent: number; result: string }>(
      req(
        'POST',
        '/api/training/assessments',
        trainer,
        {
          kind: 'practical',
          userId: qc2.userId,
          topic: 'operating_rules',
          planId,
          checklist: [
            { item: '样品编号', passed: true, note: null },
            { item: '仪器校准', passed: true, note: null },
            { item: '结果记录', passed: false, note: '漏记温度' },
          ],
        },
        'zh-CN',
      ),
      201,
    );
    expect(practical).toMatchObject({ scorePercent: 67, result: 'pass' });
    const review = await ok<{ result: string }>(
      req('POST', '/api/training/assessments', manager, { kind: 'performance', userId: qc2.userId, topic: 'quality_standards', period: '2026Q1', scorePercent: 95 }),
      201,
    );
    expect(review.result).toBe('excellent');
    const noChecklist = await req('POST', '/api/training/assessments', trainer, { kind: 'practical', userId: qc2.userId, topic: 'operating_rules' });
    expect(json<Problem>(noChecklist).errors![0]!.field).toBe('checklist');
    const list = await ok<{ total: number }>(req('GET', `/api/training/assessments?userId=${qc2.userId}&kind=performance`, manager));
    expect(list.total).toBe(1);
  });

  it('assigns remedial training and a re-check after a failed practical check, closed by the next passing check', async () => {
    const check = (passed: boolean[]) =>
      req('POST', '/api/training/assessments', trainer, {
        kind: 'practical',
        userId: sales.userId,
        topic: 'customer_service',
        checklist: passed.map((p, i) => ({ item: `步骤 ${i + 1}`, passed: p, note: null })),
      });
    const failed = await ok<{ result: string }>(check([true, false, false]), 201);
    expect(failed.result).toBe('fail');
    const open = await ok<{ items: { kind: string; topic: string; examId: string | null; dueOn: string; failedAssessmentId: string | null }[] }>(
      req('GET', `/api/training/remedials?userId=${sales.userId}&status=open`, trainer),
    );
    expect(open.items).toEqual([expect.objectContaining({ kind: 'remedial', topic: 'customer_service', examId: null, dueOn: '2026-03-16' })]);
    await ok(check([true, true, true]), 201);
    const after = await ok<{ items: { status: string }[] }>(req('GET', `/api/training/remedials?userId=${sales.userId}`, trainer));
    expect(after.items.map((r) => r.status)).toEqual(['done']);
  });
});

describe('competency gating', () => {
  const SOME_ID = '01900000-0000-7000-8000-0000000000ee';

  it('refuses signing off an inspection without a valid certificate, naming it, through the route’s permission path', async () => {
    const zh = await req('POST', `/api/quality/inspections/${SOME_ID}/sign`, qc2.cookie);
    expect(zh.statusCode).toBe(403);
    expect(json<Problem>(zh).code).toBe('COMPETENCY_REQUIRED');
    expect(json<Problem>(zh).detail).toContain('质检签发资格');
    const en = await req('POST', `/api/quality/inspections/${SOME_ID}/sign`, qc2.cookie, undefined, 'en-US');
    expect(json<Problem>(en).detail).toContain('QC sign-off');
    expect(await auditCount('auth.competency_denied')).toBeGreaterThanOrEqual(2);
    // the certified user passes the gate and reaches the handler (the inspection does not exist)
    expect((await req('POST', `/api/quality/inspections/${SOME_ID}/sign`, qc.cookie)).statusCode).toBe(404);
    // a role without the permission still gets the ordinary 403
    const noPerm = await req('POST', `/api/quality/inspections/${SOME_ID}/sign`, sales.cookie);
    expect(json<Problem>(noPerm).code).toBe('FORBIDDEN');
  });

  it('gates only releases on the lot status route, and leaves ungated permissions alone', async () => {
    const release = await req('POST', `/api/inventory/lots/${SOME_ID}/status`, qc2.cookie, { event: 'release', reason: 'ok' });
    expect(json<Problem>(release).code).toBe('COMPETENCY_REQUIRED');
    const hold = await req('POST', `/api/inventory/lots/${SOME_ID}/status`, qc2.cookie, { event: 'hold', reason: '温度超标' });
    expect(hold.statusCode).toBe(404);
    const reviewer = await t.loginAs(['reviewer']);
    expect((await req('POST', `/api/orders/${SOME_ID}/approve`, reviewer.cookie, {})).statusCode).toBe(404); // orders:review not configured
    const gap = await ok<{ missing: { code: string }[] }>(req('GET', '/api/training/competency?permission=quality:inspect', qc2.cookie));
    expect(gap.missing.map((m) => m.code)).toEqual(['QC-SIGN']);
  });

  it('refuses again once the certificate expires or is revoked, and not when the type is deactivated', async () => {
    await t.database.db.update(trainingCertificates).set({ expiresOn: '2026-03-01' }).where(eq(trainingCertificates.userId, qc.userId));
    expect(json<Problem>(await req('POST', `/api/quality/inspections/${SOME_ID}/sign`, qc.cookie)).code).toBe('COMPETENCY_REQUIRED');
    await t.database.db.update(trainingCertificates).set({ expiresOn: '2027-03-02' }).where(eq(trainingCertificates.userId, qc.userId));
    const [cert] = await t.database.db.select().from(trainingCertificates).where(eq(trainingCertificates.userId, qc.userId));
    await ok(req('POST', `/api/training/certificates/${cert!.id}/revoke`, trainer, { reason: '违规签发' }));
    expect(json<Problem>(await req('POST', `/api/quality/inspections/${SOME_ID}/sign`, qc.cookie)).code).toBe('COMPETENCY_REQUIRED');
    await ok(req('PATCH', `/api/training/certificate-types/${certTypeId}`, trainer, { active: false }));
    expect((await req('POST', `/api/quality/inspections/${SOME_ID}/sign`, qc2.cookie)).statusCode).toBe(404);
    await ok(req('PATCH', `/api/training/certificate-types/${certTypeId}`, trainer, { active: true }));
  });
});

describe('reminders, recognition and reports', () => {
  it('reminds the assignee of a re-test near its deadline once a day, and certificate holders before expiry once', async () => {
    const sent: { userIds?: string[]; title: { zh: string } }[] = [];
    const notify = async (_db: unknown, n: { userIds?: string[]; title: { zh: string; en: string } }) => void sent.push(n);
    clockAt.set('2026-03-07T01:00:00Z'); // qc2's remedial (assigned 2026-03-02, 7 days) is due 2026-03-09
    trainer = (await t.loginAs(['trainer'])).cookie; // the sessions of 5 days ago have expired
    manager = (await t.loginAs(['manager'])).cookie;
    await inTransaction(t.database.db, (db) => runTrainingReminders(db, notify));
    expect(sent.some((n) => n.userIds?.includes(qc2.userId) && n.title.zh.includes('即将截止'))).toBe(true);
    sent.length = 0;
    await inTransaction(t.database.db, (db) => runTrainingReminders(db, notify));
    expect(sent.filter((n) => n.userIds?.includes(qc2.userId))).toHaveLength(0);
    // certificate expiring within 30 days
    await inTransaction(t.database.db, async (db) => {
      await db.insert(trainingCertificates).values({ code: 'T-EXP', typeId: certTypeId, userId: qc2.userId, issuedOn: '2025-04-01', expiresOn: '2026-03-20' });
    });
    await inTransaction(t.database.db, (db) => runTrainingReminders(db, notify));
    expect(sent.filter((n) => n.title.zh.includes('证书即将到期'))).toHaveLength(1);
    await inTransaction(t.database.db, (db) => runTrainingReminders(db, notify));
    expect(sent.filter((n) => n.title.zh.includes('证书即将到期'))).toHaveLength(1);
    const expiring = await ok<{ items: { code: string; expiringSoon: boolean }[] }>(req('GET', '/api/training/certificates?state=expiring', trainer));
    expect(expiring.items.map((c) => c.code)).toEqual(['T-EXP']);
  });

  it('lists top performers of a plan for commendation', async () => {
    const top = await ok<{ items: { rank: number; userId: string; bestScore: number | null; attended: number }[] }>(
      req('GET', `/api/training/plans/${planId}/top-performers?limit=2`, manager),
    );
    expect(top.items[0]).toMatchObject({ rank: 1, userId: qc.userId, bestScore: 100, attended: 1 });
    expect(top.items).toHaveLength(2);
  });

  it('reports completion and pass rate by department, role and topic, exportable', async () => {
    const byDept = await ok<{ items: { group: string; invited: number; attended: number; completionRate: number; graded: number; passed: number; passRate: number }[] }>(
      req('GET', '/api/training/reports/summary?by=department&year=2026', manager),
    );
    const quality = byDept.items.find((r) => r.group === '质量部')!;
    expect(quality).toMatchObject({ invited: 2, attended: 2, completionRate: 100 });
    // qc: fail + excellent; qc2: fail (time up), practical pass, review excellent
    expect(quality).toMatchObject({ graded: 5, passed: 3, passRate: 60 });
    const sales = byDept.items.find((r) => r.group === '销售部')!;
    expect(sales).toMatchObject({ invited: 1, attended: 0, completionRate: 0, graded: 3, passed: 2 });
    const byRole = await ok<{ items: { group: string }[] }>(req('GET', '/api/training/reports/summary?by=role', manager));
    expect(byRole.items.map((r) => r.group).sort()).toEqual(['qc', 'sales']);
    const byTopic = await ok<{ items: { group: string; graded: number }[] }>(req('GET', '/api/training/reports/summary?by=topic', manager));
    expect(byTopic.items.find((r) => r.group === 'operating_rules')!.graded).toBe(1);
    const x = await req('GET', '/api/training/reports/summary/export.xlsx?by=topic', manager, undefined, 'en-US');
    const rows = await sheetRows(x.rawPayload);
    expect(rows[0]![0]).toBe('Topic');
    expect(rows.map((r) => r[0])).toContain('Quality standards');
  });

  it('writes an audit entry for every training write', async () => {
    const rows = await t.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(like(auditLog.action, 'training.%')));
    const actions = new Set(rows.map((r) => r.action));
    for (const a of [
      'training.staff.department',
      'training.plan.create',
      'training.session.create',
      'training.session.invite',
      'training.session.parts',
      'training.session.complete',
      'training.session.file',
      'training.question.create',
      'training.exam.create',
      'training.attempt.start',
      'training.attempt.submit',
      'training.attempt.grade',
      'training.remedial.training_done',
      'training.remedial.pass',
      'training.certificate.issue',
      'training.certificate.revoke',
      'training.certificate_type.update',
      'training.assessment.practical',
      'training.assessment.performance',
    ])
      expect(actions, a).toContain(a);
  });
});
