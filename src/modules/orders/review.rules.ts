import { Q } from '../../platform/quantity.js';
import type { ReviewOutcome } from './orders.tables.js';
import type { ReviewSettings } from './orders.settings.js';

export const RULES = ['qualification', 'new_customer', 'credit', 'price', 'delivery', 'availability'] as const;
export type RuleName = (typeof RULES)[number];

export type RuleResult = { rule: RuleName; outcome: ReviewOutcome; code: string; details: Record<string, unknown> };

export type ReviewLine = {
  lineNo: number;
  productId: string | null;
  productName: string;
  quantity: string;
  unit: string;
  /** Quantity in the product's base unit; null when the unit could not be converted. */
  baseQuantity: string | null;
  unitPriceFen: number | null;
  listPriceFen: number | null;
  floorPriceFen: number | null;
  seasonMonths: number[];
};

/** Everything the rules look at, gathered by the review service; the rules themselves are pure. */
export type ReviewContext = {
  today: string;
  customer: {
    kind: 'company' | 'individual';
    status: 'prospect' | 'active' | 'suspended';
    creditLimitFen: number;
    overdueFen: number;
    qualifications: { type: string; number: string; expiresOn: string | null }[];
  };
  order: { totalFen: number; deliveryDate: string | null; deliveryRegion: string | null };
  lines: ReviewLine[];
  /** Approved (or later) orders of this customer other than this one. */
  previousApprovedOrders: number;
  /** Total of the customer's approved, not yet completed orders other than this one. */
  openApprovedFen: number;
  /** Earliest delivery date meeting the lead time when ordered before the cut-off, and taking the cut-off into account. */
  earliestDate: string;
  earliestDateAfterCutoff: string;
  afterCutoff: boolean;
  /** Available quantity (base unit) per product for the delivery date and the customer's minimum remaining shelf life. */
  available: Record<string, string>;
  settings: ReviewSettings;
};

type Issue = { outcome: ReviewOutcome; code: string; [k: string]: unknown };

const RANK: Record<ReviewOutcome, number> = { pass: 0, warn: 1, fail: 2 };

/** Folds issues into one result: the worst outcome wins, its code is the result's code. */
function verdict(rule: RuleName, passCode: string, issues: Issue[], extra: Record<string, unknown> = {}): RuleResult {
  if (!issues.length) return { rule, outcome: 'pass', code: passCode, details: { ...extra } };
  const worst = [...issues].sort((a, b) => RANK[b.outcome] - RANK[a.outcome])[0]!;
  return { rule, outcome: worst.outcome, code: worst.code, details: { ...extra, issues } };
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Qualification documents: the required types present and unexpired; warn when one expires soon. */
export function qualificationRule(ctx: ReviewContext): RuleResult {
  const issues: Issue[] = [];
  const { customer, settings, today } = ctx;
  const soon = addDays(today, settings.qualificationWarnDays);
  if (customer.kind === 'company') {
    for (const type of settings.requiredQualifications) {
      if (!customer.qualifications.some((q) => q.type === type)) issues.push({ outcome: 'fail', code: 'QUALIFICATION_MISSING', type });
    }
  }
  for (const q of customer.qualifications) {
    if (q.expiresOn && q.expiresOn < today) issues.push({ outcome: 'fail', code: 'QUALIFICATION_EXPIRED', type: q.type, number: q.number, expiresOn: q.expiresOn });
    else if (q.expiresOn && q.expiresOn <= soon) issues.push({ outcome: 'warn', code: 'QUALIFICATION_EXPIRING', type: q.type, number: q.number, expiresOn: q.expiresOn });
  }
  return verdict('qualification', 'QUALIFICATION_OK', issues, { count: customer.qualifications.length });
}

/** Customer standing: a suspended customer fails; a customer's first order goes to a person (when the setting says so). */
export function newCustomerRule(ctx: ReviewContext): RuleResult {
  const issues: Issue[] = [];
  if (ctx.customer.status === 'suspended') issues.push({ outcome: 'fail', code: 'CUSTOMER_SUSPENDED' });
  if (ctx.previousApprovedOrders === 0 && ctx.settings.newCustomerManual) issues.push({ outcome: 'warn', code: 'NEW_CUSTOMER' });
  return verdict('new_customer', ctx.previousApprovedOrders === 0 ? 'NEW_CUSTOMER_AUTO' : 'CUSTOMER_KNOWN', issues, { previousApprovedOrders: ctx.previousApprovedOrders });
}

/** Credit: open approved orders plus this one against the limit; overdue amounts. */
export function creditRule(ctx: ReviewContext): RuleResult {
  const { customer, settings } = ctx;
  const exposureFen = ctx.openApprovedFen + ctx.order.totalFen;
  const issues: Issue[] = [];
  if (customer.overdueFen > settings.overdueToleranceFen) issues.push({ outcome: 'fail', code: 'CREDIT_OVERDUE', overdueFen: customer.overdueFen });
  else if (customer.overdueFen > 0) issues.push({ outcome: 'warn', code: 'CREDIT_OVERDUE_MINOR', overdueFen: customer.overdueFen });
  if (exposureFen > customer.creditLimitFen) issues.push({ outcome: 'fail', code: 'CREDIT_LIMIT_EXCEEDED', exposureFen, limitFen: customer.creditLimitFen });
  else if (exposureFen * 100 > customer.creditLimitFen * settings.creditWarnPercent)
    issues.push({ outcome: 'warn', code: 'CREDIT_NEAR_LIMIT', exposureFen, limitFen: customer.creditLimitFen, warnPercent: settings.creditWarnPercent });
  return verdict('credit', 'CREDIT_OK', issues, { exposureFen, limitFen: customer.creditLimitFen, openApprovedFen: ctx.openApprovedFen, overdueFen: customer.overdueFen });
}

/** Price: never below the floor of the price list; warn outside the tolerance or without a list price. */
export function priceRule(ctx: ReviewContext): RuleResult {
  const issues: Issue[] = [];
  const tol = new Q(ctx.settings.priceTolerancePercent);
  for (const l of ctx.lines) {
    if (l.unitPriceFen === null) {
      issues.push({ outcome: 'fail', code: 'PRICE_MISSING', lineNo: l.lineNo });
      continue;
    }
    if (l.floorPriceFen !== null && l.unitPriceFen < l.floorPriceFen) {
      issues.push({ outcome: 'fail', code: 'PRICE_BELOW_FLOOR', lineNo: l.lineNo, unitPriceFen: l.unitPriceFen, floorPriceFen: l.floorPriceFen });
      continue;
    }
    if (l.listPriceFen === null) {
      issues.push({ outcome: 'warn', code: 'PRICE_NOT_LISTED', lineNo: l.lineNo, unitPriceFen: l.unitPriceFen });
      continue;
    }
    const diff = new Q(Math.abs(l.unitPriceFen - l.listPriceFen)).mul(100);
    if (diff.gt(tol.mul(l.listPriceFen)))
      issues.push({
        outcome: 'warn',
        code: 'PRICE_OUT_OF_TOLERANCE',
        lineNo: l.lineNo,
        unitPriceFen: l.unitPriceFen,
        listPriceFen: l.listPriceFen,
        tolerancePercent: ctx.settings.priceTolerancePercent,
      });
  }
  return verdict('price', 'PRICE_OK', issues);
}

/** Delivery: lead time (and the daily cut-off), product season, region served. */
export function deliveryRule(ctx: ReviewContext): RuleResult {
  const issues: Issue[] = [];
  const { order, settings } = ctx;
  const date = order.deliveryDate;
  if (!date) issues.push({ outcome: 'fail', code: 'DELIVERY_DATE_MISSING' });
  else if (date < ctx.earliestDate)
    issues.push({ outcome: 'fail', code: 'DELIVERY_LEAD_TIME', deliveryDate: date, earliestDate: ctx.earliestDate, leadTimeDays: settings.leadTimeDays });
  else if (ctx.afterCutoff && date < ctx.earliestDateAfterCutoff)
    issues.push({ outcome: 'warn', code: 'DELIVERY_AFTER_CUTOFF', deliveryDate: date, earliestDate: ctx.earliestDateAfterCutoff, cutoffTime: settings.cutoffTime });
  if (date && settings.checkSeason) {
    const month = Number(date.slice(5, 7));
    for (const l of ctx.lines) {
      if (l.seasonMonths.length && !l.seasonMonths.includes(month))
        issues.push({ outcome: 'fail', code: 'PRODUCT_OUT_OF_SEASON', lineNo: l.lineNo, product: l.productName, month, seasonMonths: l.seasonMonths });
    }
  }
  if (settings.deliveryRegions.length) {
    if (!order.deliveryRegion) issues.push({ outcome: 'warn', code: 'DELIVERY_REGION_UNKNOWN' });
    else if (!settings.deliveryRegions.some((p) => order.deliveryRegion!.startsWith(p)))
      issues.push({ outcome: 'fail', code: 'DELIVERY_REGION_NOT_SERVED', region: order.deliveryRegion, served: settings.deliveryRegions });
  }
  return verdict('delivery', 'DELIVERY_OK', issues, { deliveryDate: date, earliestDate: ctx.afterCutoff ? ctx.earliestDateAfterCutoff : ctx.earliestDate });
}

/** Availability for the delivery date: enough stock per product (lines of one product added up). */
export function availabilityRule(ctx: ReviewContext): RuleResult {
  const need = new Map<string, { qty: InstanceType<typeof Q>; lines: number[]; name: string }>();
  for (const l of ctx.lines) {
    if (!l.productId || l.baseQuantity === null) continue;
    const cur = need.get(l.productId) ?? { qty: new Q(0), lines: [], name: l.productName };
    cur.qty = cur.qty.add(l.baseQuantity);
    cur.lines.push(l.lineNo);
    need.set(l.productId, cur);
  }
  const issues: Issue[] = [];
  for (const [productId, n] of need) {
    const avail = new Q(ctx.available[productId] ?? '0');
    if (avail.gte(n.qty)) continue;
    issues.push({
      outcome: avail.gt(0) ? 'warn' : 'fail',
      code: avail.gt(0) ? 'STOCK_PARTIAL' : 'STOCK_UNAVAILABLE',
      productId,
      product: n.name,
      lineNos: n.lines,
      needed: n.qty.toFixed(3),
      available: avail.toFixed(3),
    });
  }
  return verdict('availability', 'STOCK_OK', issues);
}

export const RULE_FUNCTIONS: Record<RuleName, (ctx: ReviewContext) => RuleResult> = {
  qualification: qualificationRule,
  new_customer: newCustomerRule,
  credit: creditRule,
  price: priceRule,
  delivery: deliveryRule,
  availability: availabilityRule,
};

/** Which rules an amendment touches. */
export const AFFECTED_BY: Record<'lines' | 'date' | 'address', RuleName[]> = {
  lines: ['credit', 'price', 'delivery', 'availability'],
  date: ['delivery', 'availability'],
  address: ['delivery'],
};

export function runRules(ctx: ReviewContext, only: readonly RuleName[] = RULES): RuleResult[] {
  return only.map((r) => RULE_FUNCTIONS[r](ctx));
}

export function allPass(results: readonly { outcome: ReviewOutcome }[]): boolean {
  return results.every((r) => r.outcome === 'pass');
}

/** zh-CN / en-US text of each reason code, for the queue screen and notifications. */
export const REASON_TEXT: Record<string, { zh: string; en: string }> = {
  QUALIFICATION_OK: { zh: '资质齐全有效', en: 'Documents valid' },
  QUALIFICATION_MISSING: { zh: '缺少必备资质', en: 'Required document missing' },
  QUALIFICATION_EXPIRED: { zh: '资质已过期', en: 'Document expired' },
  QUALIFICATION_EXPIRING: { zh: '资质即将到期', en: 'Document expires soon' },
  CUSTOMER_KNOWN: { zh: '老客户', en: 'Known customer' },
  NEW_CUSTOMER: { zh: '新客户首单,需人工审核', en: 'First order of a new customer: manual review' },
  CUSTOMER_SUSPENDED: { zh: '客户已停用', en: 'Customer suspended' },
  NEW_CUSTOMER_AUTO: { zh: '新客户(未要求人工审核)', en: 'New customer (manual review not required)' },
  CREDIT_OK: { zh: '信用额度充足', en: 'Within credit limit' },
  CREDIT_NEAR_LIMIT: { zh: '接近信用额度', en: 'Close to the credit limit' },
  CREDIT_LIMIT_EXCEEDED: { zh: '超出信用额度', en: 'Over the credit limit' },
  CREDIT_OVERDUE: { zh: '有逾期欠款', en: 'Overdue amounts' },
  CREDIT_OVERDUE_MINOR: { zh: '有少量逾期欠款', en: 'Small overdue amounts' },
  PRICE_OK: { zh: '价格符合价格表', en: 'Prices match the price list' },
  PRICE_MISSING: { zh: '缺少单价', en: 'Unit price missing' },
  PRICE_BELOW_FLOOR: { zh: '低于底价', en: 'Below the floor price' },
  PRICE_NOT_LISTED: { zh: '价格表中无此价格', en: 'Not on the price list' },
  PRICE_OUT_OF_TOLERANCE: { zh: '价格偏差超出容忍度', en: 'Price outside the tolerance' },
  DELIVERY_OK: { zh: '交期可行', en: 'Delivery feasible' },
  DELIVERY_DATE_MISSING: { zh: '缺少送达日期', en: 'Delivery date missing' },
  DELIVERY_LEAD_TIME: { zh: '交货提前期不足', en: 'Lead time too short' },
  DELIVERY_AFTER_CUTOFF: { zh: '已过当日截单时间', en: 'After the daily cut-off' },
  PRODUCT_OUT_OF_SEASON: { zh: '送达月份不在产品季节内', en: 'Product out of season' },
  DELIVERY_REGION_UNKNOWN: { zh: '送货区域未知', en: 'Delivery region unknown' },
  DELIVERY_REGION_NOT_SERVED: { zh: '不在配送区域内', en: 'Region not served' },
  STOCK_OK: { zh: '库存充足', en: 'Stock available' },
  STOCK_PARTIAL: { zh: '库存不足(部分可供)', en: 'Stock partly available' },
  STOCK_UNAVAILABLE: { zh: '无可用库存', en: 'No stock available' },
  INVENTORY_INSUFFICIENT: { zh: '预留库存失败:库存不足', en: 'Reservation failed: not enough stock' },
};
