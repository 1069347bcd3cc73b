import { defineSetting, getSettings } from '../../platform/settings/settings.service.js';
import type { Db } from '../../platform/db/client.js';

const module = 'orders';

export const QualificationWarnDays = defineSetting({
  key: 'orders.review.qualificationWarnDays',
  module,
  type: 'integer',
  default: 30,
  min: 0,
  max: 365,
  label: { zh: '资质到期预警天数', en: 'Qualification expiry warning' },
  description: { zh: '客户资质在此天数内到期时,审核给出警告。', en: 'A customer document expiring within this many days gives a review warning.' },
  unit: { zh: '天', en: 'days' },
});

export const RequiredQualifications = defineSetting({
  key: 'orders.review.requiredQualifications',
  module,
  type: 'string',
  default: 'business_licence',
  maxLength: 200,
  label: { zh: '必备资质(企业客户)', en: 'Required documents (companies)' },
  description: {
    zh: '企业客户必须具备且未过期的资质类型,逗号分隔:business_licence、food_permit、other。',
    en: 'Document types a company customer must hold, unexpired; comma-separated: business_licence, food_permit, other.',
  },
});

export const NewCustomerManual = defineSetting({
  key: 'orders.review.newCustomerManual',
  module,
  type: 'boolean',
  default: true,
  label: { zh: '新客户首单人工审核', en: 'New customers: manual review' },
  description: { zh: '客户没有已审核通过的订单时,首单进入人工审核。', en: 'A customer without any approved order goes to manual review.' },
});

export const CreditWarnPercent = defineSetting({
  key: 'orders.review.creditWarnPercent',
  module,
  type: 'integer',
  default: 90,
  min: 1,
  max: 100,
  label: { zh: '信用额度预警比例', en: 'Credit warning threshold' },
  description: {
    zh: '未完结订单加本单超过信用额度的此比例时给出警告,超过额度则不通过。',
    en: 'Open orders plus this order above this share of the limit warn; above the limit fail.',
  },
  unit: { zh: '%', en: '%' },
});

export const OverdueToleranceFen = defineSetting({
  key: 'orders.review.overdueToleranceFen',
  module,
  type: 'integer',
  default: 0,
  min: 0,
  max: 1_000_000_000,
  label: { zh: '逾期容忍金额', en: 'Overdue tolerance' },
  description: { zh: '逾期金额不超过此值时给出警告,超过则不通过。', en: 'Overdue amounts up to this warn; above it fail.' },
  unit: { zh: '分', en: 'fen' },
});

export const PriceTolerancePercent = defineSetting({
  key: 'orders.review.priceTolerancePercent',
  module,
  type: 'number',
  default: 10,
  min: 0,
  max: 100,
  label: { zh: '价格偏差容忍度', en: 'Price tolerance' },
  description: { zh: '成交单价与价格表相差超过此比例时给出警告;低于底价则不通过。', en: 'A unit price further than this from the list price warns; below the floor fails.' },
  unit: { zh: '%', en: '%' },
});

export const LeadTimeDays = defineSetting({
  key: 'orders.review.leadTimeDays',
  module,
  type: 'integer',
  default: 1,
  min: 0,
  max: 60,
  label: { zh: '最短交货提前期', en: 'Minimum lead time' },
  description: { zh: '下单日到送达日至少间隔的工作日数。', en: 'Working days needed between the order and the delivery date.' },
  unit: { zh: '工作日', en: 'working days' },
});

export const CutoffTime = defineSetting({
  key: 'orders.review.cutoffTime',
  module,
  type: 'string',
  default: '16:00',
  maxLength: 5,
  label: { zh: '每日截单时间', en: 'Daily order cut-off' },
  description: { zh: '北京时间 HH:MM;之后提交的订单从下一个工作日起算提前期。', en: 'HH:MM Asia/Shanghai; orders after it count their lead time from the next working day.' },
});

export const DeliveryRegions = defineSetting({
  key: 'orders.review.deliveryRegions',
  module,
  type: 'string',
  default: '',
  maxLength: 500,
  label: { zh: '配送区域', en: 'Delivery regions' },
  description: { zh: '可配送的行政区划代码前缀,逗号分隔(如 31,3205);留空表示不限。', en: 'Region code prefixes served, comma-separated (e.g. 31,3205); empty means everywhere.' },
});

export const CheckSeason = defineSetting({
  key: 'orders.review.checkSeason',
  module,
  type: 'boolean',
  default: true,
  label: { zh: '检查产品季节', en: 'Check product seasons' },
  description: { zh: '送达月份不在产品上市月份内时不通过。', en: 'A delivery month outside the product season fails.' },
});

export const REVIEW_SETTINGS = [
  QualificationWarnDays,
  RequiredQualifications,
  NewCustomerManual,
  CreditWarnPercent,
  OverdueToleranceFen,
  PriceTolerancePercent,
  LeadTimeDays,
  CutoffTime,
  DeliveryRegions,
  CheckSeason,
];

export type ReviewSettings = {
  qualificationWarnDays: number;
  requiredQualifications: string[];
  newCustomerManual: boolean;
  creditWarnPercent: number;
  overdueToleranceFen: number;
  priceTolerancePercent: number;
  leadTimeDays: number;
  cutoffTime: string;
  deliveryRegions: string[];
  checkSeason: boolean;
};

const list = (s: unknown): string[] =>
  String(s ?? '')
    .split(/[,,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export async function loadReviewSettings(db: Db): Promise<ReviewSettings> {
  const m = await getSettings(db, REVIEW_SETTINGS);
  const cutoff = String(m.get(CutoffTime.key));
  return {
    qualificationWarnDays: Number(m.get(QualificationWarnDays.key)),
    requiredQualifications: list(m.get(RequiredQualifications.key)),
    newCustomerManual: m.get(NewCustomerManual.key) === true,
    creditWarnPercent: Number(m.get(CreditWarnPercent.key)),
    overdueToleranceFen: Number(m.get(OverdueToleranceFen.key)),
    priceTolerancePercent: Number(m.get(PriceTolerancePercent.key)),
    leadTimeDays: Number(m.get(LeadTimeDays.key)),
    cutoffTime: /^([01]\d|2[0-3]):[0-5]\d$/.test(cutoff) ? cutoff : CutoffTime.default,
    deliveryRegions: list(m.get(DeliveryRegions.key)),
    checkSeason: m.get(CheckSeason.key) === true,
  };
}
