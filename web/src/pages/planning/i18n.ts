import { scopedMessages } from '../catalog/page-kit';

const zhCN = {
  plans: '生产计划',
  gantt: '甘特图',
  planKeyword: '计划号或产品',
  createPlan: '新建计划',
  mps: '主生产计划 (MPS)',
  calendars: '种植日历与产能',
  createCalendar: '新建种植日历',
  capacities: '产能(每日)',
  setCapacity: '设置产能',
  tasks: '我的任务',
  allTasks: '全部任务',
  importForecast: '导入销售预测',
  forecastTemplate: '下载模板',
  forecastImported: '已导入 {{count}} 条预测',
  atRiskOnly: '仅看风险',
  onlyNet: '仅看有净需求',
  mpsLegend: '每格:需求(订单与预测取大)/ 计划产出;下行为净需求(红,负号)或期末预计库存(绿)',
  weeks: '周数',
  back: '返回',
  confirm: '确认计划',
  override: '超产能确认(管理层)',
  overrideReason: '超产能原因',
  cancelPlan: '取消计划',
  overCapacity: '超出产能',
  noIssues: '产能充足',
  atRisk: '有风险',
  onTrack: '正常',
  f: {
    code: '计划号',
    product: '产品',
    quantity: '数量',
    deliveryDate: '交付日期',
    status: '状态',
    start: '开始',
    end: '结束',
    stage: '阶段',
    milestone: '里程碑',
    responsible: '负责人',
    resource: '资源',
    fieldResource: '地块(产能资源)',
    season: '季节',
    sowWindow: '播种期',
    harvestWindow: '采收期',
    growthDays: '生长期(天)',
    yieldPerMu: '亩产',
    resourceType: '资源类型',
    resourceId: '资源 ID',
    name: '名称',
    dailyCapacity: '日产能',
    kind: '类型',
    due: '截止',
    assignee: '执行人',
    progress: '进度',
    problem: '问题',
    stock: '库存',
    total: '净需求合计',
    orders: '订单',
    forecast: '预测',
    planned: '计划',
    net: '净需求',
    from: '起',
    to: '止',
    location: '入库库位',
    unit: '单位',
    plan: '计划',
  },
  planStatus: { draft: '草稿', confirmed: '已确认', in_progress: '进行中', completed: '已完成', cancelled: '已取消' },
  stageKind: { planting: '播种/育苗', cultivation: '田间管理', harvest: '采收', processing: '加工', packaging: '包装' },
  taskStatus: { open: '待开始', in_progress: '进行中', blocked: '受阻', done: '已完成', cancelled: '已取消' },
  taskKind: {
    sowing: '播种',
    transplant: '定植',
    irrigation: '灌溉',
    fertilising: '施肥',
    pest_control: '病虫害防治',
    scouting: '巡查',
    harvest: '采收',
    cleaning: '清洗',
    processing: '加工',
    packing: '包装',
    other: '其他',
  },
  resourceType: { base: '基地', field: '地块', line: '加工线' },
  milestone: { sown: '播种完成', ready_to_harvest: '可采收', harvested: '采收完成', processed: '加工完成', packed: '包装完成' },
  task: {
    start: '开始',
    complete: '完成',
    block: '报告问题',
    unblock: '问题已解决',
    progress: '更新进度',
    photo: '上传照片',
    photoDone: '照片已上传',
    late: '已逾期',
    problemPlaceholder: '描述问题(如:虫害、缺苗、设备故障)',
    harvestHint: '采收完成须填写数量和入库库位,系统将生成批次入库。',
    empty: '暂无任务',
  },
};

const enUS: typeof zhCN = {
  plans: 'Production plans',
  gantt: 'Gantt',
  planKeyword: 'Plan number or product',
  createPlan: 'New plan',
  mps: 'Master production schedule',
  calendars: 'Crop calendars & capacity',
  createCalendar: 'New crop calendar',
  capacities: 'Capacity (per day)',
  setCapacity: 'Set capacity',
  tasks: 'My tasks',
  allTasks: 'All tasks',
  importForecast: 'Import forecast',
  forecastTemplate: 'Download template',
  forecastImported: '{{count}} forecast rows imported',
  atRiskOnly: 'At risk only',
  onlyNet: 'With net requirement only',
  mpsLegend: 'Each cell: demand (larger of orders and forecast) / planned; below, the net requirement (red, minus) or projected stock (green)',
  weeks: 'Weeks',
  back: 'Back',
  confirm: 'Confirm plan',
  override: 'Confirm over capacity (manager)',
  overrideReason: 'Reason for exceeding capacity',
  cancelPlan: 'Cancel plan',
  overCapacity: 'Over capacity',
  noIssues: 'Capacity is sufficient',
  atRisk: 'At risk',
  onTrack: 'On track',
  f: {
    code: 'Plan',
    product: 'Product',
    quantity: 'Quantity',
    deliveryDate: 'Delivery',
    status: 'Status',
    start: 'Start',
    end: 'End',
    stage: 'Stage',
    milestone: 'Milestone',
    responsible: 'Responsible',
    resource: 'Resource',
    fieldResource: 'Field (capacity resource)',
    season: 'Season',
    sowWindow: 'Sowing window',
    harvestWindow: 'Harvest window',
    growthDays: 'Growth days',
    yieldPerMu: 'Yield per mu',
    resourceType: 'Resource type',
    resourceId: 'Resource ID',
    name: 'Name',
    dailyCapacity: 'Daily capacity',
    kind: 'Kind',
    due: 'Due',
    assignee: 'Assignee',
    progress: 'Progress',
    problem: 'Problem',
    stock: 'Stock',
    total: 'Total net',
    orders: 'Orders',
    forecast: 'Forecast',
    planned: 'Planned',
    net: 'Net',
    from: 'From',
    to: 'To',
    location: 'Storage location',
    unit: 'Unit',
    plan: 'Plan',
  },
  planStatus: { draft: 'Draft', confirmed: 'Confirmed', in_progress: 'In progress', completed: 'Completed', cancelled: 'Cancelled' },
  stageKind: { planting: 'Planting', cultivation: 'Cultivation', harvest: 'Harvest', processing: 'Processing', packaging: 'Packaging' },
  taskStatus: { open: 'Open', in_progress: 'In progress', blocked: 'Blocked', done: 'Done', cancelled: 'Cancelled' },
  taskKind: {
    sowing: 'Sowing',
    transplant: 'Transplant',
    irrigation: 'Irrigation',
    fertilising: 'Fertilising',
    pest_control: 'Pest control',
    scouting: 'Scouting',
    harvest: 'Harvest',
    cleaning: 'Cleaning',
    processing: 'Processing',
    packing: 'Packing',
    other: 'Other',
  },
  resourceType: { base: 'Base', field: 'Field', line: 'Processing line' },
  milestone: { sown: 'Sown', ready_to_harvest: 'Ready to harvest', harvested: 'Harvested', processed: 'Processed', packed: 'Packed' },
  task: {
    start: 'Start',
    complete: 'Complete',
    block: 'Report a problem',
    unblock: 'Problem solved',
    progress: 'Update progress',
    photo: 'Upload photo',
    photoDone: 'Photo uploaded',
    late: 'Late',
    problemPlaceholder: 'Describe the problem (pests, missing seedlings, broken equipment…)',
    harvestHint: 'Completing a harvest needs the quantity and a storage location; a lot is created in stock.',
    empty: 'No tasks',
  },
};

export const usePlanT = scopedMessages('planningUi', { 'zh-CN': zhCN, 'en-US': enUS });

export type StageKind = keyof typeof zhCN.stageKind;
export type Stage = {
  id: string;
  seq: number;
  kind: StageKind;
  startDate: string;
  endDate: string;
  milestone: string | null;
  responsibleName: string | null;
  resourceType: string | null;
  resourceId: string | null;
};
export type Task = {
  id: string;
  planId: string;
  kind: keyof typeof zhCN.taskKind;
  title: string;
  assigneeName: string | null;
  dueDate: string;
  status: keyof typeof zhCN.taskStatus;
  late: boolean;
  progressPct: number;
  quantityDone: string | null;
  unit: string | null;
  problem: string | null;
  lotId: string | null;
  photoIds: string[];
  planCode?: string;
  productName?: string;
};
export type Plan = {
  id: string;
  code: string;
  productId: string;
  productCode: string;
  productName: string;
  quantity: string;
  deliveryDate: string;
  status: keyof typeof zhCN.planStatus;
  atRisk: boolean;
  riskReason: string | null;
  overrideReason: string | null;
  startDate: string | null;
  endDate: string | null;
  stages: Stage[];
};
export type PlanDetail = Plan & { capacityIssues: { stageSeq: number; name: string; date: string; load: string; capacity: string }[]; tasks: Task[] };
export const PLAN_COLORS = { draft: 'default', confirmed: 'blue', in_progress: 'gold', completed: 'green', cancelled: 'red' } as const;
export const TASK_COLORS = { open: 'default', in_progress: 'blue', blocked: 'red', done: 'green', cancelled: 'default' } as const;
export const STAGE_COLORS: Record<StageKind, string> = { planting: '#52c41a', cultivation: '#95de64', harvest: '#fa8c16', processing: '#1677ff', packaging: '#722ed1' };
