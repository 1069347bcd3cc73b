import { describe, expect, it } from 'vitest';
import {
  allPass,
  availabilityRule,
  creditRule,
  deliveryRule,
  newCustomerRule,
  priceRule,
  qualificationRule,
  runRules,
  type ReviewContext,
  type ReviewLine,
} from './review.rules.js';

const line = (over: Partial<ReviewLine> = {}): ReviewLine => ({
  lineNo: 1,
  productId: 'p1',
  productName: '红富士苹果',
  quantity: '10',
  unit: '箱',
  baseQuantity: '100.000',
  unitPriceFen: 1000,
  listPriceFen: 1000,
  floorPriceFen: 800,
  seasonMonths: [],
  ...over,
});

function ctx(over: Partial<ReviewContext> = {}): ReviewContext {
  return {
    today: '2026-11-27',
    customer: {
      kind: 'company',
      status: 'active',
      creditLimitFen: 1_000_000,
      overdueFen: 0,
      qualifications: [{ type: 'business_licence', number: 'BL1', expiresOn: '2030-01-01' }],
    },
    order: { totalFen: 100_000, deliveryDate: '2026-11-30', deliveryRegion: '310101' },
    lines: [line()],
    previousApprovedOrders: 3,
    openApprovedFen: 0,
    earliestDate: '2026-11-28',
    earliestDateAfterCutoff: '2026-11-28',
    afterCutoff: false,
    available: { p1: '500.000' },
    settings: {
      qualificationWarnDays: 30,
      requiredQualifications: ['business_licence'],
      newCustomerManual: true,
      creditWarnPercent: 90,
      overdueToleranceFen: 0,
      priceTolerancePercent: 10,
      leadTimeDays: 1,
      cutoffTime: '16:00',
      deliveryRegions: ['31'],
      checkSeason: true,
    },
    ...over,
  };
}

describe('review engine', () => {
  it('approves an order that passes every rule', () => {
    const results = runRules(ctx());
    expect(results.map((r) => [r.rule, r.outcome, r.code])).toEqual([
      ['qualification', 'pass', 'QUALIFICATION_OK'],
      ['new_customer', 'pass', 'CUSTOMER_KNOWN'],
      ['credit', 'pass', 'CREDIT_OK'],
      ['price', 'pass', 'PRICE_OK'],
      ['delivery', 'pass', 'DELIVERY_OK'],
      ['availability', 'pass', 'STOCK_OK'],
    ]);
    expect(allPass(results)).toBe(true);
  });
});

describe('qualification rule', () => {
  it('passes with the required documents unexpired', () => {
    expect(qualificationRule(ctx())).toMatchObject({ outcome: 'pass', code: 'QUALIFICATION_OK' });
  });
  it('warns when a document expires within the warning days', () => {
    const c = ctx();
    c.customer.qualifications = [{ type: 'business_licence', number: 'BL1', expiresOn: '2026-12-20' }];
    expect(qualificationRule(c)).toMatchObject({ outcome: 'warn', code: 'QUALIFICATION_EXPIRING' });
  });
  it('fails when a document has expired', () => {
    const c = ctx();
    c.customer.qualifications = [{ type: 'business_licence', number: 'BL1', expiresOn: '2026-11-26' }];
    expect(qualificationRule(c)).toMatchObject({ outcome: 'fail', code: 'QUALIFICATION_EXPIRED' });
  });
  it('fails when a required document is missing for a company', () => {
    const c = ctx();
    c.customer.qualifications = [];
    expect(qualificationRule(c)).toMatchObject({ outcome: 'fail', code: 'QUALIFICATION_MISSING' });
  });
  it('does not require company documents from an individual', () => {
    const c = ctx();
    c.customer = { ...c.customer, kind: 'individual', qualifications: [] };
    expect(qualificationRule(c).outcome).toBe('pass');
  });
});

describe('new customer rule', () => {
  it('passes a customer with earlier approved orders', () => {
    expect(newCustomerRule(ctx())).toMatchObject({ outcome: 'pass', code: 'CUSTOMER_KNOWN' });
  });
  it('sends the first order of a new customer to manual review', () => {
    expect(newCustomerRule(ctx({ previousApprovedOrders: 0 }))).toMatchObject({ outcome: 'warn', code: 'NEW_CUSTOMER' });
  });
  it('lets a new customer through when manual review of first orders is switched off', () => {
    const c = ctx({ previousApprovedOrders: 0 });
    c.settings.newCustomerManual = false;
    expect(newCustomerRule(c)).toMatchObject({ outcome: 'pass', code: 'NEW_CUSTOMER_AUTO' });
  });
  it('fails a suspended customer', () => {
    const c = ctx();
    c.customer.status = 'suspended';
    expect(newCustomerRule(c)).toMatchObject({ outcome: 'fail', code: 'CUSTOMER_SUSPENDED' });
  });
});

describe('credit rule', () => {
  it('passes when open orders plus this one stay under the warning share of the limit', () => {
    expect(creditRule(ctx({ openApprovedFen: 700_000 }))).toMatchObject({ outcome: 'pass', code: 'CREDIT_OK', details: { exposureFen: 800_000 } });
  });
  it('warns above the warning share of the limit', () => {
    expect(creditRule(ctx({ openApprovedFen: 850_000 }))).toMatchObject({ outcome: 'warn', code: 'CREDIT_NEAR_LIMIT' });
  });
  it('fails when open approved orders plus this one exceed the limit', () => {
    expect(creditRule(ctx({ openApprovedFen: 900_001 }))).toMatchObject({ outcome: 'fail', code: 'CREDIT_LIMIT_EXCEEDED', details: { exposureFen: 1_000_001 } });
  });
  it('accepts exposure exactly at the limit when the warning share is 100 %', () => {
    const c = ctx({ openApprovedFen: 900_000 });
    c.settings.creditWarnPercent = 100;
    expect(creditRule(c).outcome).toBe('pass');
  });
  it('fails overdue amounts above the tolerance and warns within it', () => {
    const c = ctx();
    c.customer.overdueFen = 5_000;
    expect(creditRule(c)).toMatchObject({ outcome: 'fail', code: 'CREDIT_OVERDUE' });
    c.settings.overdueToleranceFen = 10_000;
    expect(creditRule(c)).toMatchObject({ outcome: 'warn', code: 'CREDIT_OVERDUE_MINOR' });
  });
});

describe('price rule', () => {
  it('passes a price within the tolerance of the list price', () => {
    expect(priceRule(ctx({ lines: [line({ unitPriceFen: 1100 })] }))).toMatchObject({ outcome: 'pass', code: 'PRICE_OK' });
  });
  it('warns a price outside the tolerance of the list price', () => {
    expect(priceRule(ctx({ lines: [line({ unitPriceFen: 1101 })] }))).toMatchObject({ outcome: 'warn', code: 'PRICE_OUT_OF_TOLERANCE' });
  });
  it('warns a price not on any price list', () => {
    expect(priceRule(ctx({ lines: [line({ listPriceFen: null, floorPriceFen: null })] }))).toMatchObject({ outcome: 'warn', code: 'PRICE_NOT_LISTED' });
  });
  it('fails a price below the floor', () => {
    expect(priceRule(ctx({ lines: [line({ unitPriceFen: 799 })] }))).toMatchObject({
      outcome: 'fail',
      code: 'PRICE_BELOW_FLOOR',
      details: { issues: [{ lineNo: 1, floorPriceFen: 800 }] },
    });
  });
  it('fails a line without a price', () => {
    expect(priceRule(ctx({ lines: [line({ unitPriceFen: null })] }))).toMatchObject({ outcome: 'fail', code: 'PRICE_MISSING' });
  });
});

describe('delivery rule', () => {
  it('passes a date after the lead time, in season, in a served region', () => {
    expect(deliveryRule(ctx({ lines: [line({ seasonMonths: [10, 11, 12] })] }))).toMatchObject({ outcome: 'pass', code: 'DELIVERY_OK' });
  });
  it('warns when the order comes after the cut-off and the date needs the same-day lead time', () => {
    expect(deliveryRule(ctx({ afterCutoff: true, earliestDateAfterCutoff: '2026-12-01' }))).toMatchObject({ outcome: 'warn', code: 'DELIVERY_AFTER_CUTOFF' });
  });
  it('fails a date before the lead time', () => {
    expect(deliveryRule(ctx({ order: { totalFen: 1, deliveryDate: '2026-11-27', deliveryRegion: '310101' } }))).toMatchObject({ outcome: 'fail', code: 'DELIVERY_LEAD_TIME' });
  });
  it('fails a product out of season', () => {
    expect(deliveryRule(ctx({ lines: [line({ seasonMonths: [6, 7, 8] })] }))).toMatchObject({ outcome: 'fail', code: 'PRODUCT_OUT_OF_SEASON' });
  });
  it('fails a region that is not served and warns an unknown region', () => {
    expect(deliveryRule(ctx({ order: { totalFen: 1, deliveryDate: '2026-11-30', deliveryRegion: '440301' } }))).toMatchObject({
      outcome: 'fail',
      code: 'DELIVERY_REGION_NOT_SERVED',
    });
    expect(deliveryRule(ctx({ order: { totalFen: 1, deliveryDate: '2026-11-30', deliveryRegion: null } }))).toMatchObject({ outcome: 'warn', code: 'DELIVERY_REGION_UNKNOWN' });
  });
});

describe('availability rule', () => {
  it('passes when stock covers every product', () => {
    expect(availabilityRule(ctx())).toMatchObject({ outcome: 'pass', code: 'STOCK_OK' });
  });
  it('adds up lines of the same product and warns when stock covers part of it', () => {
    const c = ctx({ lines: [line(), line({ lineNo: 2 })], available: { p1: '150.000' } });
    expect(availabilityRule(c)).toMatchObject({ outcome: 'warn', code: 'STOCK_PARTIAL', details: { issues: [{ needed: '200.000', available: '150.000', lineNos: [1, 2] }] } });
  });
  it('fails when no stock is available', () => {
    expect(availabilityRule(ctx({ available: { p1: '0' } }))).toMatchObject({ outcome: 'fail', code: 'STOCK_UNAVAILABLE' });
  });
});
