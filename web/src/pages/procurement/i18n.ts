import { scopedMessages } from '../catalog/page-kit';

const zhCN = {
  suppliers: '供应商',
  supplierKeyword: '名称、编码或信用代码',
  createSupplier: '新建供应商',
  orders: '采购单',
  orderKeyword: '单号或供应商',
  createOrder: '新建采购单',
  levels: '物料库存策略',
  levelKeyword: '物料编码或名称',
  setLevel: '设置库存策略',
  replenish: '生成采购单',
  replenished: '已生成 {{count}} 张采购单',
  alertOnly: '仅看预警',
  docAlertOnly: '仅看资质预警',
  overdueOnly: '仅看逾期',
  saved: '已保存',
  back: '返回',
  f: {
    code: '编码',
    name: '名称',
    usci: '统一社会信用代码',
    status: '状态',
    contactName: '联系人',
    phone: '电话',
    email: '邮箱',
    address: '地址',
    leadDays: '交货周期(天)',
    note: '备注',
    rating: '评分',
    grade: '等级',
    quality: '来料合格率',
    onTime: '准时率',
    price: '价格得分',
    nextExpiry: '最近资质到期',
    canOrder: '可下单',
    number: '单号',
    supplier: '供应商',
    warehouse: '收货仓库',
    expectedDate: '预计到货',
    total: '金额(元)',
    lineNo: '行',
    material: '物料',
    unit: '单位',
    quantity: '数量',
    unitPrice: '单价(元)',
    amount: '金额(元)',
    received: '已收',
    open: '未收',
    supplierLotNo: '供应商批号',
    location: '库位',
    productionDate: '生产日期',
    lot: '批次',
    lotStatus: '批次状态',
    receivedOn: '收货日期',
    safetyStock: '安全库存',
    reorderPoint: '再订货点',
    reorderQuantity: '固定订货量',
    available: '可用库存',
    onOrder: '在途',
    alert: '预警',
    proposed: '建议采购',
    inspectionStandard: '来料检验标准 ID',
  },
  supplierStatus: { pending: '待审批', approved: '已批准', suspended: '暂停' },
  poStatus: { draft: '草稿', sent: '已发送', partially_received: '部分收货', received: '已收货', cancelled: '已取消' },
  alert: { ok: '正常', reorder: '需补货', below_safety: '低于安全库存' },
  docTypes: {
    business_licence: '营业执照',
    production_licence: '生产许可证',
    pesticide_licence: '农药经营许可证',
    fertiliser_registration: '肥料登记证',
    seed_licence: '种子生产经营许可证',
    other: '其他',
  },
  doc: {
    title: '资质证照',
    add: '添加证照',
    type: '类型',
    number: '证号',
    issuedOn: '发证日期',
    expiresOn: '到期日期',
    expired: '已过期',
    expiringSoon: '即将到期',
    valid: '有效',
  },
  action: { approve: '审批通过', suspend: '暂停', reinstate: '恢复', send: '发送', cancel: '取消采购单', pdf: '下载 PDF', receive: '收货', addLine: '添加行', reason: '原因' },
  lotStatus: { quarantined: '待检', released: '已放行', on_hold: '冻结', rejected: '拒收' },
  receiveTitle: '采购收货',
  receipts: '收货记录',
  lines: '采购明细',
  history: '状态历史',
  notOrderable: '该供应商未批准或资质已过期,不能下采购单。',
};

const enUS: typeof zhCN = {
  suppliers: 'Suppliers',
  supplierKeyword: 'Name, code or USCI',
  createSupplier: 'New supplier',
  orders: 'Purchase orders',
  orderKeyword: 'Number or supplier',
  createOrder: 'New purchase order',
  levels: 'Material stock policies',
  levelKeyword: 'Material code or name',
  setLevel: 'Set stock policy',
  replenish: 'Create purchase orders',
  replenished: '{{count}} purchase orders created',
  alertOnly: 'Alerts only',
  docAlertOnly: 'Document alerts only',
  overdueOnly: 'Overdue only',
  saved: 'Saved',
  back: 'Back',
  f: {
    code: 'Code',
    name: 'Name',
    usci: 'USCI',
    status: 'Status',
    contactName: 'Contact',
    phone: 'Phone',
    email: 'E-mail',
    address: 'Address',
    leadDays: 'Lead time (days)',
    note: 'Note',
    rating: 'Rating',
    grade: 'Grade',
    quality: 'Inspection pass rate',
    onTime: 'On time',
    price: 'Price score',
    nextExpiry: 'Next document expiry',
    canOrder: 'Orderable',
    number: 'Number',
    supplier: 'Supplier',
    warehouse: 'Deliver to',
    expectedDate: 'Expected on',
    total: 'Total (CNY)',
    lineNo: '#',
    material: 'Material',
    unit: 'Unit',
    quantity: 'Quantity',
    unitPrice: 'Unit price (CNY)',
    amount: 'Amount (CNY)',
    received: 'Received',
    open: 'Open',
    supplierLotNo: 'Supplier lot no.',
    location: 'Location',
    productionDate: 'Production date',
    lot: 'Lot',
    lotStatus: 'Lot status',
    receivedOn: 'Received on',
    safetyStock: 'Safety stock',
    reorderPoint: 'Reorder point',
    reorderQuantity: 'Fixed order quantity',
    available: 'Available',
    onOrder: 'On order',
    alert: 'Alert',
    proposed: 'Proposed',
    inspectionStandard: 'Incoming inspection standard ID',
  },
  supplierStatus: { pending: 'Pending', approved: 'Approved', suspended: 'Suspended' },
  poStatus: { draft: 'Draft', sent: 'Sent', partially_received: 'Partially received', received: 'Received', cancelled: 'Cancelled' },
  alert: { ok: 'OK', reorder: 'Reorder', below_safety: 'Below safety stock' },
  docTypes: {
    business_licence: 'Business licence',
    production_licence: 'Production licence',
    pesticide_licence: 'Pesticide trading licence',
    fertiliser_registration: 'Fertiliser registration',
    seed_licence: 'Seed licence',
    other: 'Other',
  },
  doc: {
    title: 'Documents',
    add: 'Add document',
    type: 'Type',
    number: 'Number',
    issuedOn: 'Issued on',
    expiresOn: 'Expires on',
    expired: 'Expired',
    expiringSoon: 'Expiring soon',
    valid: 'Valid',
  },
  action: {
    approve: 'Approve',
    suspend: 'Suspend',
    reinstate: 'Reinstate',
    send: 'Send',
    cancel: 'Cancel order',
    pdf: 'Download PDF',
    receive: 'Receive',
    addLine: 'Add line',
    reason: 'Reason',
  },
  lotStatus: { quarantined: 'Quarantined', released: 'Released', on_hold: 'On hold', rejected: 'Rejected' },
  receiveTitle: 'Receive purchase order',
  receipts: 'Receipts',
  lines: 'Lines',
  history: 'Status history',
  notOrderable: 'This supplier is not approved or has an expired document; it cannot receive a purchase order.',
};

export const useProcT = scopedMessages('procurementUi', { 'zh-CN': zhCN, 'en-US': enUS });

export type Supplier = {
  id: string;
  code: string;
  name: string;
  usci: string | null;
  status: 'pending' | 'approved' | 'suspended';
  contactName: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  leadDays: number;
  note: string | null;
  nextDocumentExpiry: string | null;
  documentAlert: boolean;
  canOrder: boolean;
  rating: {
    qualityScore: number | null;
    onTimeScore: number | null;
    priceScore: number | null;
    score: number | null;
    grade: 'A' | 'B' | 'C' | 'D' | null;
    inspections: number;
    receipts: number;
  };
};
export type SupplierDoc = {
  id: string;
  type: keyof typeof zhCN.docTypes;
  number: string;
  issuedOn: string | null;
  expiresOn: string | null;
  expired: boolean;
  expiringSoon: boolean;
};
export type PoLine = {
  id: string;
  lineNo: number;
  productId: string;
  productCode: string;
  productName: string;
  unit: string;
  quantity: string;
  unitPriceFen: number;
  amountFen: number;
  receivedQuantity: string;
  openQuantity: string;
};
export type Po = {
  id: string;
  code: string;
  supplierId: string;
  supplierName: string;
  warehouseId: string;
  status: keyof typeof zhCN.poStatus;
  expectedDate: string;
  totalFen: number;
  note: string | null;
  lines: PoLine[];
  receipts: {
    id: string;
    lineId: string;
    lotId: string;
    lotCode: string | null;
    lotStatus: string | null;
    quantity: string;
    supplierLotNo: string;
    receivedOn: string;
    onTime: boolean;
    receivedBy: string;
  }[];
};
export const SUPPLIER_COLORS = { pending: 'orange', approved: 'green', suspended: 'red' } as const;
export const PO_COLORS = { draft: 'default', sent: 'blue', partially_received: 'gold', received: 'green', cancelled: 'red' } as const;
export const ALERT_COLORS = { ok: 'green', reorder: 'orange', below_safety: 'red' } as const;
