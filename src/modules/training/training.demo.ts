import { isNull, and } from 'drizzle-orm';
import { SYSTEM_ACTOR } from '../../platform/auth/actor.js';
import { businessDate, clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db/client.js';
import { users } from '../../platform/platform.tables.js';
import { permissionsOf, type Permission } from '../../platform/rbac/permissions.js';
import { createCertificateType, createExam, createPlan, createQuestion, setDepartment } from './training.service.js';
import { trainingCertificates } from './training.tables.js';
import type { TrainingTopic } from './training.tables.js';

const DEPARTMENTS: Record<string, string> = {
  manager: '管理层',
  sales: '销售部',
  reviewer: '销售部',
  planner: '生产部',
  production: '生产部',
  qc: '质量部',
  warehouse: '仓储物流部',
  logistics: '仓储物流部',
  aftersales: '客服部',
  trainer: '人力资源部',
};

const QUESTIONS: { topic: TrainingTopic; kind: 'single' | 'multiple' | 'true_false' | 'short'; text: string; options?: string[]; answer?: number[] | boolean }[] = [
  { topic: 'quality_standards', kind: 'single', text: '农药残留快速检测抑制率达到多少判为阳性?', options: ['≥30%', '≥50%', '≥70%', '≥90%'], answer: [1] },
  { topic: 'quality_standards', kind: 'true_false', text: '检测不合格的批次可以先发货后复检。', answer: false },
  {
    topic: 'quality_standards',
    kind: 'multiple',
    text: '签发质检报告前须核对哪些内容?',
    options: ['抽样数量', '检测项目', '客户信用额度', '检测结果与标准限值'],
    answer: [0, 1, 3],
  },
  { topic: 'quality_standards', kind: 'short', text: '简述冷链批次温度超标后的处置流程。' },
  { topic: 'order_process', kind: 'single', text: '订单审核时发现客户信用额度不足,应如何处理?', options: ['直接通过', '退回并说明原因', '删除订单', '修改额度'], answer: [1] },
  { topic: 'product_knowledge', kind: 'true_false', text: '香蕉属于冷敏性水果,不宜低于 12℃ 储存。', answer: true },
  { topic: 'operating_rules', kind: 'single', text: '盘点差异超出容差时,应由谁审批?', options: ['仓管员本人', '盘点审批人', '客户', '物流专员'], answer: [1] },
  { topic: 'customer_service', kind: 'true_false', text: '客户投诉应在规定时限内给予答复。', answer: true },
];

function shift(days: number): string {
  const d = new Date(`${businessDate(clock.now())}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Demo training: departments, a plan, a question bank, gating certificate types and an exam; staff who already perform gated actions hold their certificates. */
export async function seedTrainingDemo(db: Db): Promise<void> {
  const staff = await db
    .select({ id: users.id, username: users.username, roles: users.roles })
    .from(users)
    .where(and(isNull(users.customerId), isNull(users.disabledAt)));
  for (const u of staff) {
    const dept = u.roles.map((r) => DEPARTMENTS[r]).find(Boolean);
    if (dept) await setDepartment(db, SYSTEM_ACTOR, u.id, dept);
  }
  const year = Number(businessDate(clock.now()).slice(0, 4));
  await createPlan(db, SYSTEM_ACTOR, {
    year,
    title: `${year} 年质检员岗位培训计划`,
    role: 'qc',
    department: '质量部',
    topics: ['product_knowledge', 'quality_standards', 'operating_rules'],
    courses: [
      { topic: 'quality_standards', title: '农残快检与判定', minutes: 240, targetDate: shift(60) },
      { topic: 'operating_rules', title: '冷链温度超标处置', minutes: 120, targetDate: shift(90) },
      { topic: 'product_knowledge', title: '果蔬品类与储存条件', minutes: 180, targetDate: shift(120) },
    ],
  });
  await createPlan(db, SYSTEM_ACTOR, {
    year,
    title: `${year} 年全员订单流程与客户服务培训`,
    topics: ['order_process', 'customer_service'],
    courses: [
      { topic: 'order_process', title: '订单录入、审核与变更', minutes: 120, targetDate: shift(45) },
      { topic: 'customer_service', title: '客户沟通与投诉处理', minutes: 90, targetDate: shift(75) },
    ],
  });
  const questions = [];
  for (const q of QUESTIONS) questions.push(await createQuestion(db, SYSTEM_ACTOR, q));
  const types: { code: string; name: string; nameEn: string; permissions: Permission[] }[] = [
    { code: 'QC-SIGN', name: '质检签发资格', nameEn: 'QC sign-off', permissions: ['quality:inspect', 'lots:status'] },
    { code: 'ORDER-REVIEW', name: '订单审核资格', nameEn: 'Order review', permissions: ['orders:review'] },
    { code: 'STOCKTAKE-APPROVE', name: '盘点审批资格', nameEn: 'Stocktake approval', permissions: ['inventory:approve'] },
  ];
  const issuedOn = businessDate(clock.now());
  for (const t of types) {
    const type = await createCertificateType(db, SYSTEM_ACTOR, { code: t.code, name: t.name, nameEn: t.nameEn, validityDays: 365, gatedPermissions: t.permissions });
    if (t.code === 'QC-SIGN')
      await createExam(db, SYSTEM_ACTOR, {
        title: '质检签发资格考试',
        topic: 'quality_standards',
        questionIds: questions.filter((q) => q.topic === 'quality_standards' && q.kind !== 'short').map((q) => q.id),
        passMark: 60,
        excellentMark: 90,
        timeLimitMinutes: 30,
        attemptLimit: 1,
        remedy: 'remedial',
        remedyDays: 14,
        certificateTypeId: type.id,
      });
    // Staff already doing the gated work are certified, so the demo company keeps working.
    let n = 0;
    for (const u of staff)
      if (t.permissions.some((p) => permissionsOf(u.roles).has(p)))
        await db
          .insert(trainingCertificates)
          .values({ code: `DEMO-${t.code}-${++n}`, typeId: type.id, userId: u.id, issuedOn, expiresOn: shift(u.username === 'reviewer' ? 20 : 365) });
  }
}
