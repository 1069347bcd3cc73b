import { scopedMessages } from '../catalog/page-kit';

const zhCN = {
  exceptions: '异常看板',
  exceptionKeyword: '编号或标题',
  createException: '登记异常',
  feedback: '客户反馈',
  feedbackKeyword: '编号、客户或内容',
  createFeedback: '登记反馈',
  overdueOnly: '仅看超期',
  board: '按状态与严重程度',
  overdueCount: '超期 {{count}}',
  back: '返回',
  respond: '响应',
  resolve: '解决',
  reopen: '重新打开',
  close: '关闭',
  escalate: '升级',
  addAction: '添加行动项',
  done: '完成',
  reply: '回复客户',
  tracking: '订单跟踪',
  stage: '当前阶段',
  expected: '预计送达',
  tzNote: '时间均为北京时间(Asia/Shanghai)',
  basis: { delivered: '已签收', shipment_transit: '发运时间 + 承运商时效', delivery_choice: '已选配送方案', requested_date: '客户要求日期', unknown: '未知' },
  stg: {
    review: '审核',
    planning: '计划',
    processing: '加工',
    picking: '拣货',
    packing: '包装',
    shipping: '运输',
    temperature: '温度',
    delivery: '交付',
    exception: '异常',
    closed: '已结束',
  },
  hoursNote: '期限按工作时间(09:00–18:00,上海时间,含调休)计算。',
  f: {
    number: '编号',
    type: '类型',
    severity: '严重程度',
    status: '状态',
    title: '标题',
    description: '描述',
    owner: '负责人',
    order: '订单',
    responsePlan: '应对方案',
    resolution: '处理结果',
    responseDue: '响应期限',
    resolutionDue: '解决期限',
    level: '升级级别',
    createdAt: '创建时间',
    age: '已用工作小时',
    actions: '行动项',
    text: '内容',
    toUser: '升级给',
    reason: '原因',
    category: '类别',
    customer: '客户',
    contact: '联系人(接收回复)',
    rating: '评分',
    content: '内容',
    replyDue: '回复期限',
    reply: '回复',
  },
  type: { production_failure: '生产故障', quality_problem: '质量问题', logistics_delay: '物流延误', cold_chain_excursion: '冷链温度异常', customer_dispute: '客户争议' },
  sev: { critical: '紧急', high: '高', medium: '中', low: '低' },
  st: { open: '待响应', responding: '处理中', resolved: '已解决', closed: '已关闭' },
  lvl: { l0: '负责人', l1: '部门负责人', l2: '管理层' },
  cat: { quality: '产品质量', packaging: '包装', delivery_time: '交付时间', logistics_service: '物流服务' },
  fst: { open: '待回复', replied: '已回复', closed: '已关闭' },
};

const enUS: typeof zhCN = {
  exceptions: 'Exceptions board',
  exceptionKeyword: 'Number or title',
  createException: 'Open exception',
  feedback: 'Customer feedback',
  feedbackKeyword: 'Number, customer or content',
  createFeedback: 'Record feedback',
  overdueOnly: 'Overdue only',
  board: 'By status and severity',
  overdueCount: '{{count}} overdue',
  back: 'Back',
  respond: 'Respond',
  resolve: 'Resolve',
  reopen: 'Reopen',
  close: 'Close',
  escalate: 'Escalate',
  addAction: 'Add action',
  done: 'Done',
  reply: 'Reply to customer',
  tracking: 'Order tracking',
  stage: 'Current stage',
  expected: 'Expected delivery',
  tzNote: 'Times in Beijing time (Asia/Shanghai)',
  basis: {
    delivered: 'Delivered',
    shipment_transit: 'Dispatch + carrier transit time',
    delivery_choice: 'Chosen delivery option',
    requested_date: 'Requested date',
    unknown: 'Unknown',
  },
  stg: {
    review: 'Review',
    planning: 'Planning',
    processing: 'Processing',
    picking: 'Picking',
    packing: 'Packing',
    shipping: 'Shipping',
    temperature: 'Temperature',
    delivery: 'Delivery',
    exception: 'Exception',
    closed: 'Closed',
  },
  hoursNote: 'Deadlines count working hours (09:00–18:00 Shanghai time, make-up workdays included).',
  f: {
    number: 'Number',
    type: 'Type',
    severity: 'Severity',
    status: 'Status',
    title: 'Title',
    description: 'Description',
    owner: 'Owner',
    order: 'Order',
    responsePlan: 'Response plan',
    resolution: 'Resolution',
    responseDue: 'Response due',
    resolutionDue: 'Resolution due',
    level: 'Escalation',
    createdAt: 'Opened',
    age: 'Working hours so far',
    actions: 'Actions',
    text: 'Text',
    toUser: 'Escalate to',
    reason: 'Reason',
    category: 'Category',
    customer: 'Customer',
    contact: 'Contact (receives the reply)',
    rating: 'Rating',
    content: 'Content',
    replyDue: 'Reply due',
    reply: 'Reply',
  },
  type: {
    production_failure: 'Production failure',
    quality_problem: 'Quality problem',
    logistics_delay: 'Logistics delay',
    cold_chain_excursion: 'Cold-chain excursion',
    customer_dispute: 'Customer dispute',
  },
  sev: { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' },
  st: { open: 'Open', responding: 'Responding', resolved: 'Resolved', closed: 'Closed' },
  lvl: { l0: 'Owner', l1: 'Department head', l2: 'Management' },
  cat: { quality: 'Quality', packaging: 'Packaging', delivery_time: 'Delivery time', logistics_service: 'Logistics service' },
  fst: { open: 'Open', replied: 'Replied', closed: 'Closed' },
};

export const useTrackT = scopedMessages('trackingUi', { 'zh-CN': zhCN, 'en-US': enUS });

export const EXCEPTION_TYPES = ['production_failure', 'quality_problem', 'logistics_delay', 'cold_chain_excursion', 'customer_dispute'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const STATUSES = ['open', 'responding', 'resolved', 'closed'] as const;
export const CATEGORIES = ['quality', 'packaging', 'delivery_time', 'logistics_service'] as const;
export const SEVERITY_COLORS = { critical: 'red', high: 'volcano', medium: 'gold', low: 'default' } as const;
export const STATUS_COLORS = { open: 'orange', responding: 'blue', resolved: 'green', closed: 'default' } as const;

export type Exc = {
  id: string;
  number: string;
  type: (typeof EXCEPTION_TYPES)[number];
  severity: (typeof SEVERITIES)[number];
  status: (typeof STATUSES)[number];
  title: string;
  description: string | null;
  ownerName: string | null;
  orderId: string | null;
  responsePlan: string | null;
  resolution: string | null;
  responseDueAt: string;
  resolutionDueAt: string;
  responseOverdue: boolean;
  resolutionOverdue: boolean;
  escalationLevel: number;
  createdAt: string;
  ageWorkingHours?: number;
  actions?: { id: string; text: string; dueOn: string | null; doneAt: string | null }[];
};
export type Feedback = {
  id: string;
  number: string;
  category: (typeof CATEGORIES)[number];
  status: 'open' | 'replied' | 'closed';
  customerName: string;
  rating: number | null;
  content: string;
  ownerName: string | null;
  replyDueAt: string;
  replyOverdue: boolean;
  reply: string | null;
  createdAt: string;
};
