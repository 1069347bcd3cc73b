import { DomainError } from '../../platform/errors/domain-error.js';
import { Q, fmtQty, qty, QuantityErrors } from '../../platform/quantity.js';
import { CatalogErrors } from './catalog.errors.js';

/** The unit data of a product that conversions need. */
export type UnitSet = { code: string; baseUnit: string; units: { unit: string; factorToBase: string }[] };

const FACTOR = /^\d{1,9}(\.\d{1,6})?$/;

/** A factor to the base unit: positive, at most 6 decimals, kept as its decimal text. */
export function isValidFactor(f: string): boolean {
  return FACTOR.test(f) && new Q(f).gt(0);
}

/** Canonical factor text ("10", "0.5") so equal factors compare equal. */
export function normaliseFactor(f: string): string {
  return new Q(f).toString();
}

function factorOf(p: UnitSet, unit: string): InstanceType<typeof Q> {
  if (unit === p.baseUnit) return new Q(1);
  const u = p.units.find((x) => x.unit === unit);
  if (!u)
    throw new DomainError(CatalogErrors.UNIT_NOT_CONVERTIBLE, { unit, product: p.code }, [
      { field: 'unit', code: CatalogErrors.UNIT_NOT_CONVERTIBLE, params: { unit, product: p.code } },
    ]);
  return new Q(u.factorToBase);
}

/** Converts between two units of a product exactly (3 decimals) or throws QUANTITY_INEXACT / UNIT_NOT_CONVERTIBLE. */
export function convertQuantity(product: UnitSet, quantity: string, fromUnit: string, toUnit: string): string {
  const q = qty(quantity);
  const from = factorOf(product, fromUnit);
  const to = factorOf(product, toUnit);
  if (fromUnit === toUnit) return fmtQty(q);
  // Multiply before dividing so exact inputs stay exact; precision 40 exposes repeating decimals.
  const r = q.mul(from).div(to);
  if (!r.eq(r.toDecimalPlaces(3)))
    throw new DomainError(QuantityErrors.QUANTITY_INEXACT, { value: `${fmtQty(q)} ${fromUnit}` }, [
      { field: 'quantity', code: QuantityErrors.QUANTITY_INEXACT, params: { value: fmtQty(q) } },
    ]);
  return fmtQty(r);
}

/** GS1 check digit over GTIN-8/12/13/14. */
export function isValidGtin(gtin: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(gtin)) return false;
  const digits = [...gtin].map(Number);
  const check = digits.pop()!;
  let sum = 0;
  digits.reverse().forEach((d, i) => {
    sum += d * (i % 2 === 0 ? 3 : 1);
  });
  return (10 - (sum % 10)) % 10 === check;
}
