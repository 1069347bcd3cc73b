import { describe, expect, it } from 'vitest';
import { DomainError } from '../../platform/errors/domain-error.js';
import { convertQuantity, isValidFactor, isValidGtin } from './units.js';

const apples = {
  code: 'APL',
  baseUnit: 'kg',
  units: [
    { unit: 'kg', factorToBase: '1' },
    { unit: '箱', factorToBase: '10' },
    { unit: '斤', factorToBase: '0.5' },
    { unit: '托', factorToBase: '3' },
  ],
};

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof DomainError ? e.code : 'other';
  }
}

describe('unit conversion', () => {
  it('converts cases and jin to kilograms exactly', () => {
    expect(convertQuantity(apples, '3', '箱', 'kg')).toBe('30.000');
    expect(convertQuantity(apples, '3', '斤', 'kg')).toBe('1.500');
    expect(convertQuantity(apples, '25', 'kg', '箱')).toBe('2.500');
    expect(convertQuantity(apples, '1', '箱', '斤')).toBe('20.000');
  });

  it('rejects a conversion that is not exact to 3 decimals', () => {
    expect(codeOf(() => convertQuantity(apples, '1', 'kg', '托'))).toBe('QUANTITY_INEXACT');
    expect(codeOf(() => convertQuantity(apples, '0.001', '斤', 'kg'))).toBe('QUANTITY_INEXACT');
  });

  it('rejects a unit the product does not have', () => {
    expect(codeOf(() => convertQuantity(apples, '1', '袋', 'kg'))).toBe('UNIT_NOT_CONVERTIBLE');
  });

  it('rejects non-numeric and over-precise quantities', () => {
    expect(codeOf(() => convertQuantity(apples, 'abc', 'kg', '箱'))).toBe('QUANTITY_INVALID');
    expect(codeOf(() => convertQuantity(apples, '1.0001', 'kg', '箱'))).toBe('QUANTITY_INVALID');
  });

  it('accepts only positive factors with at most 6 decimals', () => {
    expect(isValidFactor('0.5')).toBe(true);
    expect(isValidFactor('0')).toBe(false);
    expect(isValidFactor('-1')).toBe(false);
    expect(isValidFactor('0.0000001')).toBe(false);
    expect(isValidFactor('1e3')).toBe(false);
  });

  it('validates GTIN check digits', () => {
    expect(isValidGtin('06912345678902')).toBe(true);
    expect(isValidGtin('06912345678903')).toBe(false);
    expect(isValidGtin('6901234567892')).toBe(true);
    expect(isValidGtin('6901234567891')).toBe(false);
    expect(isValidGtin('96385074')).toBe(true);
    expect(isValidGtin('12345')).toBe(false);
  });
});
