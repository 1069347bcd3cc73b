import { pick, type Locale, type Text } from './locale.js';

/**
 * Names of the codes people see (statuses, channels, zones, audit actions…), in both languages: the one dictionary
 * the Excel exports, the PDFs and the web app (GET /api/codes) take them from. A code with no name shows as itself.
 */
const groups = new Map<string, Map<string, Text>>();

export function defineCodes(group: string, codes: Record<string, Text>): void {
  const m = groups.get(group) ?? new Map<string, Text>();
  for (const [code, text] of Object.entries(codes)) m.set(code, text);
  groups.set(group, m);
}

/** The name of `code` in `group` for `locale`; null stays null, an unknown code stays as it is. */
export function codeLabel(group: CodeGroup, code: string | null | undefined, locale: Locale): string | null {
  if (code === null || code === undefined) return null;
  if (group === 'auditAction') return auditActionLabel(code, locale);
  // EPCIS vocabulary may come as a URI (urn:epcglobal:cbv:bizstep:shipping) or a bare word
  const bare = code.replace(/^.*[:/]/, '');
  const t = groups.get(group)?.get(code) ?? groups.get(group)?.get(bare);
  return t ? pick(t, locale) : code;
}

/** Every group's names in one language (GET /api/codes). */
export function allCodeLabels(locale: Locale): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [g, m] of groups) out[g] = Object.fromEntries([...m].map(([c, t]) => [c, pick(t, locale)]));
  return out;
}

const t = (zh: string, en: string): Text => ({ zh, en });

defineCodes('channel', {
  phone: t('电话', 'Phone'),
  email: t('邮件', 'E-mail'),
  online: t('线上', 'Online'),
  wechat: t('微信', 'WeChat'),
  visit: t('拜访', 'Visit'),
  api: t('API', 'API'),
  import: t('Excel 导入', 'Excel import'),
});
defineCodes('orderStatus', {
  draft: t('草稿', 'Draft'),
  needs_confirmation: t('待确认', 'Needs confirmation'),
  submitted: t('已提交', 'Submitted'),
  in_review: t('待审核', 'In review'),
  approved: t('已审核', 'Approved'),
  rejected: t('已驳回', 'Rejected'),
  cancelled: t('已取消', 'Cancelled'),
  in_production: t('生产中', 'In production'),
  ready: t('待发货', 'Ready'),
  shipped: t('已发货', 'Shipped'),
  delivered: t('已送达', 'Delivered'),
  completed: t('已完成', 'Completed'),
});
defineCodes('inquiryStatus', { open: t('跟进中', 'Open'), quoted: t('已报价', 'Quoted'), converted: t('已转订单', 'Converted'), lost: t('已流失', 'Lost') });
defineCodes('lotStatus', { quarantined: t('待检', 'Quarantined'), released: t('已放行', 'Released'), on_hold: t('冻结', 'On hold'), rejected: t('不合格', 'Rejected') });
defineCodes('lotSource', { receipt: t('采购收货', 'Receipt'), harvest: t('自产采收', 'Harvest'), processing: t('加工', 'Processing'), return: t('退货', 'Return') });
defineCodes('tempZone', { frozen: t('冷冻', 'Frozen'), chilled: t('冷藏', 'Chilled'), cool: t('阴凉', 'Cool'), ambient: t('常温', 'Ambient') });
defineCodes('tempProfile', {
  frozen: t('冷冻', 'Frozen'),
  chilled: t('冷藏', 'Chilled'),
  cool: t('阴凉', 'Cool'),
  chilling_sensitive: t('冷害敏感', 'Chilling-sensitive'),
  warm: t('温暖', 'Warm'),
  ambient: t('常温', 'Ambient'),
});
defineCodes('movementKind', {
  receipt: t('收货', 'Receipt'),
  issue: t('出库', 'Issue'),
  transfer: t('移库', 'Transfer'),
  adjustment: t('调整', 'Adjustment'),
  scrap: t('报废', 'Scrap'),
});
defineCodes('varianceReason', {
  spoilage: t('腐损', 'Spoilage'),
  dehydration: t('失水', 'Dehydration'),
  damage: t('破损', 'Damage'),
  theft: t('被盗', 'Theft'),
  counting_error: t('点数错误', 'Counting error'),
  other: t('其他', 'Other'),
});
defineCodes('stocktakeStatus', { counting: t('盘点中', 'Counting'), submitted: t('待审批', 'Submitted'), approved: t('已审批', 'Approved'), cancelled: t('已取消', 'Cancelled') });
defineCodes('reservationStatus', { active: t('有效', 'Active'), released: t('已释放', 'Released'), consumed: t('已出库', 'Consumed') });
defineCodes('urgency', { critical: t('紧急(低于安全库存)', 'Critical (below safety stock)'), reorder: t('需补货', 'Reorder'), ok: t('正常', 'OK') });
defineCodes('productKind', { produce: t('农产品', 'Produce'), material: t('物料', 'Material') });
defineCodes('materialType', { seed: t('种子种苗', 'Seed'), fertiliser: t('肥料', 'Fertiliser'), pesticide: t('农药', 'Pesticide'), packaging: t('包装材料', 'Packaging') });
defineCodes('customerKind', { company: t('企业', 'Company'), individual: t('个人', 'Individual') });
defineCodes('customerStatus', { prospect: t('潜在', 'Prospect'), active: t('启用', 'Active'), suspended: t('暂停', 'Suspended') });
defineCodes('qualificationType', { business_licence: t('营业执照', 'Business licence'), food_permit: t('食品经营许可证', 'Food permit'), other: t('其他', 'Other') });
defineCodes('inspectionStage', {
  source: t('产地检测', 'Source'),
  in_process: t('过程检验', 'In process'),
  finished: t('成品检验', 'Finished'),
  pre_shipment: t('出货检验', 'Pre-shipment'),
  returned: t('退货检验', 'Returned'),
});
defineCodes('sampleType', { soil: t('土壤', 'Soil'), water: t('灌溉水', 'Irrigation water') });
defineCodes('inspectionResult', { pass: t('合格', 'Pass'), fail: t('不合格', 'Fail') });
defineCodes('sourceCheckState', { ok: t('有效', 'Valid'), failed: t('不合格', 'Failed'), expired: t('已过期', 'Expired'), missing: t('缺失', 'Missing') });
defineCodes('ncStatus', { open: t('处理中', 'Open'), closed: t('已关闭', 'Closed') });
defineCodes('disposition', { rework: t('返工', 'Rework'), downgrade: t('降级', 'Downgrade'), destroy: t('销毁', 'Destroy') });
defineCodes('processKind', { wash: t('清洗', 'Wash'), grade: t('分级', 'Grade'), cut: t('切配', 'Cut'), pack: t('包装', 'Pack'), mix: t('混合', 'Mix') });
defineCodes('recallStatus', { draft: t('草拟', 'Draft'), executed: t('已执行', 'Executed') });
defineCodes('reviewOutcome', { pass: t('通过', 'Pass'), warn: t('警告', 'Warning'), fail: t('不通过', 'Fail') });
defineCodes('traceEventType', {
  ObjectEvent: t('对象事件', 'Object event'),
  TransformationEvent: t('转换事件(加工)', 'Transformation event'),
  AggregationEvent: t('聚合事件', 'Aggregation event'),
});
defineCodes('bizStep', {
  commissioning: t('赋码/生成批次', 'Commissioning'),
  harvesting: t('采收', 'Harvesting'),
  receiving: t('收货', 'Receiving'),
  storing: t('入库存放', 'Storing'),
  inspecting: t('检验', 'Inspecting'),
  holding: t('冻结', 'Holding'),
  transforming: t('加工', 'Transforming'),
  packing: t('包装', 'Packing'),
  shipping: t('发货', 'Shipping'),
  destroying: t('销毁', 'Destroying'),
});
defineCodes('epcisDisposition', {
  active: t('在用', 'Active'),
  in_progress: t('处理中', 'In progress'),
  in_transit: t('运输中', 'In transit'),
  conformant: t('合格', 'Conformant'),
  non_conformant: t('不合格', 'Non-conformant'),
  non_sellable_other: t('不可销售', 'Not sellable'),
  recalled: t('已召回', 'Recalled'),
  destroyed: t('已销毁', 'Destroyed'),
  expired: t('已过期', 'Expired'),
});
defineCodes('direction', { in: t('入', 'In'), out: t('出', 'Out') });
defineCodes('auditEntity', {
  user: t('用户', 'User'),
  route: t('接口', 'Endpoint'),
  customer: t('客户', 'Customer'),
  order: t('订单', 'Order'),
  order_import: t('订单导入', 'Order import'),
  inquiry: t('询价', 'Inquiry'),
  product: t('产品', 'Product'),
  price_list: t('价格表', 'Price list'),
  lot: t('批次', 'Lot'),
  warehouse: t('仓库', 'Warehouse'),
  location: t('库位', 'Bin'),
  stocktake: t('盘点', 'Stocktake'),
  movement: t('库存流水', 'Stock movement'),
  setting: t('系统参数', 'Setting'),
  calendar: t('工作日历', 'Calendar'),
  token: t('API 令牌', 'API token'),
  inspection: t('检验', 'Inspection'),
  recall: t('召回', 'Recall'),
  reservation: t('库存预留', 'Reservation'),
  quality_inspection: t('检验', 'Inspection'),
  quality_standard: t('质量标准', 'Quality standard'),
  quality_nc: t('不合格处置', 'Nonconformity'),
  quality_input_application: t('投入品使用', 'Farm input use'),
  quality_harvest: t('采收', 'Harvest'),
  quality_field: t('地块', 'Field'),
  quality_base: t('生产基地', 'Production base'),
  processing_run: t('加工作业', 'Processing run'),
  certificate: t('合格证', 'Certificate'),
  calendar_day: t('工作日历', 'Calendar day'),
  api_token: t('API 令牌', 'API token'),
  check: t('数据校验', 'Data check'),
  tracking_exception: t('异常', 'Exception'),
  tracking_feedback: t('客户反馈', 'Customer feedback'),
});

/** Audit actions: `<object>.<verb>`; named from the object and the verb unless named as a whole. */
const AUDIT_OBJECTS: Record<string, Text> = {
  auth: t('登录', 'Sign-in'),
  user: t('用户', 'User'),
  token: t('API 令牌', 'API token'),
  settings: t('系统参数', 'Setting'),
  calendar: t('工作日历', 'Calendar'),
  customer: t('客户', 'Customer'),
  'customer.address': t('客户地址', 'Customer address'),
  'customer.contact': t('客户联系人', 'Customer contact'),
  'customer.qualification': t('客户资质', 'Customer document'),
  'customer.file': t('客户文件', 'Customer file'),
  inquiry: t('询价', 'Inquiry'),
  order: t('订单', 'Order'),
  'order.import': t('订单导入', 'Order import'),
  product: t('产品', 'Product'),
  'price-list': t('价格表', 'Price list'),
  lot: t('批次', 'Lot'),
  location: t('库位', 'Bin'),
  warehouse: t('仓库', 'Warehouse'),
  stock: t('库存', 'Stock'),
  stocktake: t('盘点', 'Stocktake'),
  check: t('一致性检查', 'Consistency check'),
  quality: t('质量', 'Quality'),
  'quality.base': t('生产基地', 'Production base'),
  'quality.field': t('地块', 'Field'),
  'quality.harvest': t('采收', 'Harvest'),
  'quality.input': t('投入品', 'Farm input'),
  'quality.inspection': t('检验', 'Inspection'),
  'quality.inspection.file': t('检验附件', 'Inspection file'),
  'quality.nc': t('不合格', 'Nonconformity'),
  'quality.standard': t('质量标准', 'Quality standard'),
  'quality.lot': t('批次质量状态', 'Lot quality status'),
  trace: t('追溯', 'Traceability'),
  'trace.certificate': t('合格证', 'Certificate'),
  'trace.processing': t('加工', 'Processing'),
  'trace.recall': t('召回', 'Recall'),
  exception: t('异常', 'Exception'),
  'exception.action': t('异常行动项', 'Exception action'),
  feedback: t('客户反馈', 'Customer feedback'),
};
const AUDIT_VERBS: Record<string, Text> = {
  create: t('新建', 'created'),
  update: t('修改', 'changed'),
  add: t('添加', 'added'),
  archive: t('归档', 'archived'),
  upload: t('上传', 'uploaded'),
  remove: t('删除', 'removed'),
  disable: t('停用', 'disabled'),
  enable: t('启用', 'enabled'),
  approve: t('审核通过', 'approved'),
  'auto-approve': t('自动审核通过', 'approved automatically'),
  reject: t('驳回', 'rejected'),
  cancel: t('取消', 'cancelled'),
  submit: t('提交', 'submitted'),
  place: t('下单', 'placed'),
  amend: t('修改', 'amended'),
  complete: t('完成', 'completed'),
  'needs-confirmation': t('待确认', 'needs confirmation'),
  'reservation-failed': t('预留失败', 'reservation failed'),
  start: t('开始', 'started'),
  interrupted: t('中断', 'interrupted'),
  convert: t('转为订单', 'converted'),
  lose: t('流失', 'lost'),
  quote: t('报价', 'quoted'),
  receipt: t('收货', 'received'),
  issue: t('出库', 'issued'),
  transfer: t('移库', 'moved'),
  adjust: t('调整', 'adjusted'),
  scrap: t('报废', 'scrapped'),
  reserve: t('预留', 'reserved'),
  release: t('放行/释放', 'released'),
  hold: t('冻结', 'put on hold'),
  count: t('录入盘点', 'counted'),
  reasons: t('填写差异原因', 'variance reasons given'),
  sign: t('签发', 'signed'),
  apply: t('施用', 'applied'),
  execute: t('执行', 'executed'),
  override: t('调整', 'overridden'),
  revoke: t('撤销', 'revoked'),
  'reset-password': t('重置密码', 'password reset'),
  'change-password': t('修改密码', 'password changed'),
  audit: t('审计链', 'audit chain'),
  respond: t('响应', 'responded'),
  resolve: t('解决', 'resolved'),
  reopen: t('重新打开', 'reopened'),
  close: t('关闭', 'closed'),
  escalate: t('升级', 'escalated'),
  done: t('完成', 'done'),
  reply: t('回复', 'replied'),
};
const AUDIT_WHOLE: Record<string, Text> = {
  'auth.login': t('登录成功', 'Signed in'),
  'auth.login.failed': t('登录失败', 'Sign-in failed'),
  'auth.logout': t('退出登录', 'Signed out'),
  'auth.denied': t('无权限被拒绝', 'Access denied'),
  'auth.throttled': t('登录受限(失败过多)', 'Sign-in throttled'),
  'customer.activate': t('客户 启用', 'Customer activated'),
  'customer.suspend': t('客户 暂停', 'Customer suspended'),
  'customer.reinstate': t('客户 恢复', 'Customer reinstated'),
  'calendar.override.remove': t('工作日历 删除调整', 'Calendar override removed'),
};

function auditActionLabel(action: string, locale: Locale): string {
  const whole = AUDIT_WHOLE[action];
  if (whole) return pick(whole, locale);
  const cut = action.lastIndexOf('.');
  if (cut < 0) return action;
  const object = AUDIT_OBJECTS[action.slice(0, cut)];
  const verb = AUDIT_VERBS[action.slice(cut + 1)];
  if (!object || !verb) return action;
  return locale === 'en-US' ? `${object.en} ${verb.en}` : `${object.zh} ${verb.zh}`;
}

export type CodeGroup =
  | 'channel'
  | 'orderStatus'
  | 'inquiryStatus'
  | 'lotStatus'
  | 'lotSource'
  | 'tempZone'
  | 'tempProfile'
  | 'movementKind'
  | 'varianceReason'
  | 'stocktakeStatus'
  | 'reservationStatus'
  | 'urgency'
  | 'productKind'
  | 'materialType'
  | 'customerKind'
  | 'customerStatus'
  | 'qualificationType'
  | 'inspectionStage'
  | 'sampleType'
  | 'disposition'
  | 'processKind'
  | 'recallStatus'
  | 'reviewOutcome'
  | 'traceEventType'
  | 'direction'
  | 'inspectionResult'
  | 'sourceCheckState'
  | 'ncStatus'
  | 'bizStep'
  | 'epcisDisposition'
  | 'auditEntity'
  | 'auditAction';

/** The audit actions the code writes (the audit screen's action filter offers these). */
export const KNOWN_AUDIT_ACTIONS: readonly string[] = [
  'auth.denied',
  'auth.login',
  'auth.login.failed',
  'auth.logout',
  'auth.throttled',
  'calendar.override',
  'calendar.override.remove',
  'customer.address.add',
  'customer.address.archive',
  'customer.address.update',
  'customer.contact.add',
  'customer.contact.archive',
  'customer.contact.update',
  'customer.create',
  'customer.file.upload',
  'customer.qualification.add',
  'customer.qualification.archive',
  'customer.qualification.update',
  'customer.update',
  'customer.activate',
  'customer.suspend',
  'customer.reinstate',
  'inquiry.convert',
  'inquiry.create',
  'inquiry.lose',
  'inquiry.quote',
  'inquiry.update',
  'location.create',
  'location.enable',
  'location.disable',
  'lot.create',
  'lot.release',
  'lot.hold',
  'lot.reject',
  'order.amend',
  'order.approve',
  'order.auto-approve',
  'order.cancel',
  'order.complete',
  'order.create',
  'order.import.interrupted',
  'order.import.start',
  'order.needs-confirmation',
  'order.place',
  'order.reject',
  'order.reservation-failed',
  'order.submit',
  'price-list.create',
  'price-list.update',
  'product.create',
  'product.update',
  'quality.base.create',
  'quality.field.create',
  'quality.harvest.create',
  'quality.input.apply',
  'quality.inspection.create',
  'quality.inspection.file.upload',
  'quality.inspection.sign',
  'quality.nc.create',
  'quality.standard.create',
  'quality.standard.update',
  'quality.lot.release',
  'quality.lot.hold',
  'quality.lot.reject',
  'settings.update',
  'stock.adjust',
  'stock.issue',
  'stock.receipt',
  'stock.release',
  'stock.reserve',
  'stock.scrap',
  'stock.transfer',
  'stocktake.approve',
  'stocktake.cancel',
  'stocktake.count',
  'stocktake.create',
  'stocktake.reasons',
  'stocktake.submit',
  'token.create',
  'token.revoke',
  'trace.certificate.issue',
  'trace.processing.create',
  'trace.recall.create',
  'trace.recall.execute',
  'user.change-password',
  'user.create',
  'user.disable',
  'user.enable',
  'user.reset-password',
  'user.update',
  'warehouse.create',
  'warehouse.update',
];

/** All audit action names for the audit screen (the actions the code writes today). */
export function auditActionLabels(actions: string[], locale: Locale): Record<string, string> {
  return Object.fromEntries(actions.map((a) => [a, auditActionLabel(a, locale)]));
}
