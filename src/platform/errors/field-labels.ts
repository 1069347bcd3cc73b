import type { Locale, Text } from '../i18n/locale.js';

/**
 * Field labels for error messages: a problem's `errors[].label` and its `detail` name a field as the screens do
 * ("第 1 行 · 批次", "Line 1 · Lot"), never by its wire path (`lines.0.lotId`). The common names are here; a module
 * registers its own with defineFieldLabels() at load (a name registered twice keeps the first label).
 */
const labels = new Map<string, Text>();

export function defineFieldLabels(defs: Record<string, Text>): void {
  for (const [name, text] of Object.entries(defs)) if (!labels.has(name)) labels.set(name, text);
}

defineFieldLabels({
  // people and accounts
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  currentPassword: { zh: '当前密码', en: 'Current password' },
  newPassword: { zh: '新密码', en: 'New password' },
  displayName: { zh: '姓名', en: 'Name' },
  roles: { zh: '角色', en: 'Roles' },
  phone: { zh: '电话', en: 'Phone' },
  email: { zh: '邮箱', en: 'E-mail' },
  locale: { zh: '语言', en: 'Language' },
  name: { zh: '名称', en: 'Name' },
  nameEn: { zh: '英文名称', en: 'English name' },
  code: { zh: '编码', en: 'Code' },
  contactName: { zh: '联系人', en: 'Contact' },
  contactPhone: { zh: '联系电话', en: 'Contact phone' },
  contacts: { zh: '联系人', en: 'Contacts' },
  addresses: { zh: '地址', en: 'Addresses' },
  address: { zh: '地址', en: 'Address' },
  receiver: { zh: '收货人', en: 'Receiver' },
  regionCode: { zh: '地区', en: 'Region' },
  usci: { zh: '统一社会信用代码', en: 'Unified social credit code' },
  prospectName: { zh: '询价人', en: 'Prospect' },
  prospectPhone: { zh: '询价人电话', en: 'Prospect phone' },
  // references
  customerId: { zh: '客户', en: 'Customer' },
  contactId: { zh: '联系人', en: 'Contact' },
  addressId: { zh: '收货地址', en: 'Delivery address' },
  productId: { zh: '产品', en: 'Product' },
  materialId: { zh: '物料', en: 'Material' },
  lotId: { zh: '批次', en: 'Lot' },
  lotIds: { zh: '批次', en: 'Lots' },
  lotCode: { zh: '批次号', en: 'Lot code' },
  lot: { zh: '新批次', en: 'New lot' },
  materialLotId: { zh: '物料批次', en: 'Material lot' },
  locationId: { zh: '库位', en: 'Bin' },
  fromLocationId: { zh: '移出库位', en: 'From bin' },
  toLocationId: { zh: '移入库位', en: 'To bin' },
  warehouseId: { zh: '仓库', en: 'Warehouse' },
  toWarehouseId: { zh: '目标仓库', en: 'Destination warehouse' },
  fieldId: { zh: '地块', en: 'Field' },
  priceListId: { zh: '价格表', en: 'Price list' },
  standardId: { zh: '质量标准', en: 'Quality standard' },
  inspectionId: { zh: '检验单', en: 'Inspection' },
  orderId: { zh: '订单', en: 'Order' },
  inquiryId: { zh: '询价', en: 'Inquiry' },
  salesOwnerId: { zh: '负责销售', en: 'Sales owner' },
  userId: { zh: '用户', en: 'User' },
  fileId: { zh: '文件', en: 'File' },
  file: { zh: '文件', en: 'File' },
  // quantities, units, money
  quantity: { zh: '数量', en: 'Quantity' },
  countedQuantity: { zh: '实盘数量', en: 'Counted quantity' },
  minQuantity: { zh: '最低数量', en: 'Minimum quantity' },
  expectedQuantity: { zh: '预计数量', en: 'Expected quantity' },
  sampleSize: { zh: '样本量', en: 'Sample size' },
  unit: { zh: '单位', en: 'Unit' },
  baseUnit: { zh: '基本单位', en: 'Base unit' },
  factorToBase: { zh: '换算系数', en: 'Conversion factor' },
  netWeight: { zh: '净含量', en: 'Net weight' },
  netUnit: { zh: '净含量单位', en: 'Net weight unit' },
  unitPriceFen: { zh: '单价', en: 'Unit price' },
  price: { zh: '价格', en: 'Price' },
  listPriceFen: { zh: '标准价', en: 'List price' },
  floorPriceFen: { zh: '最低价', en: 'Floor price' },
  amountFen: { zh: '金额', en: 'Amount' },
  creditLimitFen: { zh: '信用额度', en: 'Credit limit' },
  paymentTermsDays: { zh: '账期(天)', en: 'Payment terms (days)' },
  priceOverrideReason: { zh: '改价原因', en: 'Price change reason' },
  safetyStock: { zh: '安全库存', en: 'Safety stock' },
  reorderPoint: { zh: '再订货点', en: 'Reorder point' },
  shelfLifeDays: { zh: '保质期(天)', en: 'Shelf life (days)' },
  minRemainingShelfLifeDays: { zh: '最短剩余保质期(天)', en: 'Minimum remaining shelf life (days)' },
  tempMinC: { zh: '最低温度', en: 'Minimum temperature' },
  tempMaxC: { zh: '最高温度', en: 'Maximum temperature' },
  areaMu: { zh: '面积(亩)', en: 'Area (mu)' },
  dose: { zh: '用量', en: 'Dose' },
  doseUnit: { zh: '用量单位', en: 'Dose unit' },
  phiDays: { zh: '安全间隔期(天)', en: 'Pre-harvest interval (days)' },
  yieldRatio: { zh: '出成率', en: 'Yield ratio' },
  // dates
  deliveryDate: { zh: '交货日期', en: 'Delivery date' },
  deliveryDateTo: { zh: '最晚交货日期', en: 'Latest delivery date' },
  productionDate: { zh: '生产日期', en: 'Production date' },
  harvestDate: { zh: '采收日期', en: 'Harvest date' },
  harvestedOn: { zh: '采收日期', en: 'Harvest date' },
  appliedOn: { zh: '施用日期', en: 'Application date' },
  expiryDate: { zh: '到期日期', en: 'Expiry date' },
  expiresAt: { zh: '到期时间', en: 'Expires at' },
  expiresOn: { zh: '到期日期', en: 'Expiry date' },
  issuedOn: { zh: '签发日期', en: 'Issue date' },
  inspectedOn: { zh: '检验日期', en: 'Inspection date' },
  validFrom: { zh: '生效日期', en: 'Valid from' },
  validTo: { zh: '失效日期', en: 'Valid to' },
  validUntil: { zh: '有效期至', en: 'Valid until' },
  receivedAt: { zh: '收货时间', en: 'Received at' },
  from: { zh: '开始', en: 'From' },
  to: { zh: '结束', en: 'To' },
  date: { zh: '日期', en: 'Date' },
  day: { zh: '日期', en: 'Date' },
  // states, kinds, text
  status: { zh: '状态', en: 'Status' },
  qualityStatus: { zh: '质量状态', en: 'Quality status' },
  channel: { zh: '渠道', en: 'Channel' },
  kind: { zh: '类型', en: 'Kind' },
  type: { zh: '类型', en: 'Type' },
  category: { zh: '类别', en: 'Category' },
  grade: { zh: '等级', en: 'Grade' },
  spec: { zh: '规格', en: 'Specification' },
  variety: { zh: '品种', en: 'Variety' },
  description: { zh: '描述', en: 'Description' },
  zone: { zh: '温区', en: 'Temperature zone' },
  tempZones: { zh: '温区', en: 'Temperature zones' },
  tempProfile: { zh: '温控要求', en: 'Temperature profile' },
  coldChain: { zh: '冷链', en: 'Cold chain' },
  reason: { zh: '原因', en: 'Reason' },
  reasonCode: { zh: '原因', en: 'Reason' },
  note: { zh: '备注', en: 'Note' },
  notes: { zh: '备注', en: 'Notes' },
  outcome: { zh: '结论', en: 'Outcome' },
  result: { zh: '结果', en: 'Result' },
  results: { zh: '检验结果', en: 'Results' },
  disposition: { zh: '处置', en: 'Disposition' },
  origin: { zh: '产地', en: 'Origin' },
  gtin: { zh: 'GTIN', en: 'GTIN' },
  traceCode: { zh: '追溯码', en: 'Trace code' },
  value: { zh: '值', en: 'Value' },
  q: { zh: '关键字', en: 'Keyword' },
  page: { zh: '页码', en: 'Page' },
  pageSize: { zh: '每页条数', en: 'Page size' },
  sort: { zh: '排序', en: 'Sort' },
  // collections
  lines: { zh: '明细', en: 'Line' },
  items: { zh: '明细', en: 'Item' },
  allocations: { zh: '分配', en: 'Allocation' },
  attachments: { zh: '附件', en: 'Attachments' },
  qualifications: { zh: '资质', en: 'Qualifications' },
});

/**
 * The label of a field path in the user's language: `lines.0.lotId` → "明细第 1 行 · 批次" / "Line 1 · Lot";
 * an unknown name stays as it is (so a missing label shows up in a test, not as a blank).
 */
export function fieldLabel(path: string, locale: Locale): string {
  if (!path) return '';
  const en = locale === 'en-US';
  const parts: string[] = [];
  const segs = path.split('.');
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const next = segs[i + 1];
    const label = labels.get(seg);
    if (next !== undefined && /^\d+$/.test(next)) {
      // a collection and its index: "明细第 1 行" / "Line 1"
      const n = Number(next) + 1;
      const name = label ? (en ? label.en : label.zh) : seg;
      parts.push(en ? `${name} ${n}` : `${name}第 ${n} 行`);
      i++;
      continue;
    }
    if (/^\d+$/.test(seg)) {
      parts.push(en ? `row ${Number(seg) + 1}` : `第 ${Number(seg) + 1} 行`);
      continue;
    }
    parts.push(label ? (en ? label.en : label.zh) : seg);
  }
  return parts.join(' · ');
}

export const hasFieldLabel = (name: string): boolean => labels.has(name);
