import type { Text } from '../i18n/locale.js';

/** Every permission string in the system, with its name in both languages. */
export const PERMISSIONS = {
  'users:read': { zh: '查看用户与角色', en: 'View users and roles' },
  'users:manage': { zh: '管理用户', en: 'Manage users' },
  'settings:read': { zh: '查看系统参数', en: 'View settings' },
  'settings:manage': { zh: '修改系统参数', en: 'Change settings' },
  'calendar:manage': { zh: '维护工作日历', en: 'Maintain the working-day calendar' },
  'audit:read': { zh: '查看与导出审计日志', en: 'View and export the audit log' },
  'jobs:read': { zh: '查看后台任务运行情况', en: 'View background job runs' },
  'admin:verify': { zh: '运行数据校验(审计链、库存余额)', en: 'Run data checks (audit chain, stock balances)' },
  'pii:read': { zh: '查看未脱敏的个人信息', en: 'See unmasked personal data' },
  'customers:read': { zh: '查看客户', en: 'View customers' },
  'customers:manage': { zh: '管理客户', en: 'Manage customers' },
  'catalog:read': { zh: '查看产品与物料', en: 'View products and materials' },
  'catalog:manage': { zh: '管理产品与物料', en: 'Manage products and materials' },
  'prices:read': { zh: '查看价格表', en: 'View price lists' },
  'prices:manage': { zh: '管理价格表', en: 'Manage price lists' },
  'inventory:read': { zh: '查看库存', en: 'View inventory' },
  'inventory:receive': { zh: '入库', en: 'Receive stock' },
  'inventory:move': { zh: '出库、调拨与调整', en: 'Issue, transfer and adjust stock' },
  'inventory:reserve': { zh: '预留库存', en: 'Reserve stock' },
  'inventory:stocktake': { zh: '盘点录入', en: 'Count stock' },
  'inventory:approve': { zh: '审批盘点差异', en: 'Approve stocktake variances' },
  'warehouses:manage': { zh: '管理仓库与库位', en: 'Manage warehouses and locations' },
  'lots:status': { zh: '变更批次质量状态', en: 'Change lot quality status' },
  'inquiries:read': { zh: '查看询价', en: 'View inquiries' },
  'inquiries:manage': { zh: '管理询价', en: 'Manage inquiries' },
  'orders:read': { zh: '查看订单', en: 'View orders' },
  'orders:create': { zh: '录入与修改订单', en: 'Enter and amend orders' },
  'orders:review': { zh: '审核订单', en: 'Review orders' },
  'orders:cancel': { zh: '取消订单', en: 'Cancel orders' },
  'quality:read': { zh: '查看质检', en: 'View quality records' },
  'quality:inspect': { zh: '录入与签署质检', en: 'Record and sign inspections' },
  'quality:manage': { zh: '管理质量标准', en: 'Manage quality standards' },
  'fields:read': { zh: '查看基地与地块', en: 'View bases and fields' },
  'fields:manage': { zh: '管理基地、地块与投入品使用', en: 'Manage bases, fields and input applications' },
  'processing:manage': { zh: '加工作业', en: 'Run processing' },
  'trace:read': { zh: '查看追溯', en: 'View traceability' },
  'trace:recall': { zh: '发起召回', en: 'Start recalls' },
  'labels:print': { zh: '打印标签与合格证', en: 'Print labels and certificates' },
  'training:read': { zh: '查看培训计划、考核与证书', en: 'View training plans, assessments and certificates' },
  'training:manage': { zh: '管理培训计划、场次、题库、考试与证书类型', en: 'Manage training plans, sessions, question bank, exams and certificate types' },
  'training:assess': { zh: '阅卷、实操考核与业绩评估', en: 'Mark exams, run practical checks and performance reviews' },
  'logistics:read': { zh: '查看拣货、发运与承运商', en: 'View picking, shipments and carriers' },
  'carriers:manage': { zh: '管理承运商与运输合同', en: 'Manage carriers and contracts' },
  'picking:manage': { zh: '拣货、包装与发运前检查', en: 'Pick, pack and check before dispatch' },
  'shipping:manage': { zh: '选择配送方式、发运与签收', en: 'Choose delivery methods, dispatch and confirm delivery' },
  'weights:approve': { zh: '审批超出容差的称重', en: 'Approve catch weights beyond tolerance' },
  'procurement:read': { zh: '查看供应商与采购', en: 'View suppliers and purchasing' },
  'procurement:manage': { zh: '管理供应商、采购单与物料补货', en: 'Manage suppliers, purchase orders and replenishment' },
  'suppliers:approve': { zh: '审批、暂停供应商', en: 'Approve and suspend suppliers' },
  'planning:read': { zh: '查看生产计划与任务', en: 'View production plans and tasks' },
  'planning:manage': { zh: '编制生产计划、种植日历与预测', en: 'Make production plans, crop calendars and forecasts' },
  'planning:override': { zh: '超产能确认生产计划(须填原因)', en: 'Confirm a plan over capacity (with a reason)' },
  'tasks:work': { zh: '执行生产任务(进度、数量、问题)', en: 'Work on production tasks (progress, quantities, problems)' },
  'exceptions:read': { zh: '查看异常', en: 'View exceptions' },
  'exceptions:manage': { zh: '登记与处理异常(响应、解决、升级)', en: 'Open and handle exceptions (respond, resolve, escalate)' },
  'feedback:read': { zh: '查看客户反馈', en: 'View customer feedback' },
  'feedback:manage': { zh: '登记与回复客户反馈', en: 'Record and reply to customer feedback' },
  'reports:read': { zh: '查看报表', en: 'View reports' },
  'portal:access': { zh: '客户门户', en: 'Customer portal' },
} as const satisfies Record<string, Text>;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export type RoleCode = 'admin' | 'manager' | 'sales' | 'reviewer' | 'planner' | 'production' | 'qc' | 'warehouse' | 'logistics' | 'aftersales' | 'trainer' | 'customer';

const READ_ALL: Permission[] = ALL_PERMISSIONS.filter((p) => p.endsWith(':read'));

/** Roles of PRODUCT.md mapped to permissions: the one place where this mapping lives. */
export const ROLES: Record<RoleCode, { name: Text; permissions: Permission[] }> = {
  admin: { name: { zh: '系统管理员', en: 'Administrator' }, permissions: ALL_PERMISSIONS.filter((p) => p !== 'portal:access') },
  manager: {
    name: { zh: '管理层', en: 'Manager' },
    permissions: [
      ...READ_ALL,
      'orders:review',
      'orders:cancel',
      'inventory:approve',
      'trace:recall',
      'settings:manage',
      'pii:read',
      'training:assess',
      'weights:approve',
      'suppliers:approve',
      'planning:override',
      'exceptions:manage',
      'feedback:manage',
    ],
  },
  sales: {
    name: { zh: '客服/订单录入员', en: 'Sales / order entry' },
    permissions: [
      'customers:read',
      'customers:manage',
      'catalog:read',
      'prices:read',
      'inventory:read',
      'inquiries:read',
      'inquiries:manage',
      'orders:read',
      'orders:create',
      'orders:cancel',
      'pii:read',
      'exceptions:read',
      'exceptions:manage',
      'feedback:read',
      'feedback:manage',
    ],
  },
  reviewer: {
    name: { zh: '订单审核员', en: 'Order reviewer' },
    permissions: ['customers:read', 'catalog:read', 'prices:read', 'inventory:read', 'orders:read', 'orders:review', 'inquiries:read', 'pii:read'],
  },
  planner: {
    name: { zh: '生产计划员', en: 'Production planner' },
    permissions: [
      'catalog:read',
      'inventory:read',
      'orders:read',
      'fields:read',
      'quality:read',
      'trace:read',
      'procurement:read',
      'procurement:manage',
      'planning:read',
      'planning:manage',
      'exceptions:read',
      'exceptions:manage',
    ],
  },
  production: {
    name: { zh: '生产主管', en: 'Production supervisor' },
    permissions: [
      'catalog:read',
      'inventory:read',
      'fields:read',
      'fields:manage',
      'processing:manage',
      'quality:read',
      'trace:read',
      'planning:read',
      'tasks:work',
      'exceptions:read',
      'exceptions:manage',
    ],
  },
  qc: {
    name: { zh: '质检员', en: 'Quality inspector' },
    permissions: [
      'catalog:read',
      'inventory:read',
      'fields:read',
      'quality:read',
      'quality:inspect',
      'quality:manage',
      'lots:status',
      'trace:read',
      'labels:print',
      'exceptions:read',
      'exceptions:manage',
    ],
  },
  warehouse: {
    name: { zh: '仓管员', en: 'Warehouse keeper' },
    permissions: [
      'catalog:read',
      'inventory:read',
      'inventory:receive',
      'inventory:move',
      'inventory:reserve',
      'inventory:stocktake',
      'trace:read',
      'labels:print',
      'orders:read',
      'logistics:read',
      'picking:manage',
      'procurement:read',
      'exceptions:read',
      'exceptions:manage',
    ],
  },
  logistics: {
    name: { zh: '物流专员', en: 'Logistics' },
    permissions: [
      'catalog:read',
      'inventory:read',
      'orders:read',
      'customers:read',
      'logistics:read',
      'carriers:manage',
      'shipping:manage',
      'exceptions:read',
      'exceptions:manage',
    ],
  },
  // inventory:read: a complaint is traced from its lot (the trace graph's lot search lists lots)
  aftersales: {
    name: { zh: '售后专员', en: 'After-sales' },
    permissions: [
      'customers:read',
      'orders:read',
      'catalog:read',
      'inventory:read',
      'trace:read',
      'pii:read',
      'exceptions:read',
      'exceptions:manage',
      'feedback:read',
      'feedback:manage',
    ],
  },
  trainer: { name: { zh: '培训管理员', en: 'Training manager' }, permissions: ['users:read', 'training:read', 'training:manage', 'training:assess'] },
  customer: { name: { zh: '客户', en: 'Customer' }, permissions: ['portal:access', 'orders:read'] },
};

export const ROLE_CODES = Object.keys(ROLES) as RoleCode[];

export function isRoleCode(r: string): r is RoleCode {
  return r in ROLES;
}

/** The union of the permissions of the given roles. */
export function permissionsOf(roles: readonly string[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const r of roles) if (isRoleCode(r)) for (const p of ROLES[r].permissions) out.add(p);
  return out;
}
