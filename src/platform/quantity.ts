import { Decimal } from 'decimal.js';
import { DomainError, defineErrors } from './errors/domain-error.js';

/** Quantities are exact decimals with 3 places (numeric(14,3)); never JS floats. */
export const Q = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Qty = InstanceType<typeof Q>;

export const QuantityErrors = defineErrors({
  QUANTITY_INVALID: { status: 400, zh: '数量 {value} 无效:须为不超过 3 位小数的数字。', en: 'Quantity {value} is invalid: use a number with at most 3 decimals.' },
  QUANTITY_NOT_POSITIVE: { status: 400, zh: '数量必须大于 0。', en: 'Quantity must be greater than 0.' },
  QUANTITY_INEXACT: { status: 400, zh: '{value} 换算后不是精确到 3 位小数的数量。', en: '{value} does not convert to an exact quantity with 3 decimals.' },
});

const PATTERN = /^-?\d{1,11}(\.\d{1,3})?$/;

/** Parses a decimal string or safe number; rejects more than 3 decimals, NaN, exponents and out-of-range values. */
export function qty(value: string | number | Qty): Qty {
  if (value instanceof Q) return value;
  const s = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : 'x') : String(value).trim();
  if (!PATTERN.test(s)) throw new DomainError(QuantityErrors.QUANTITY_INVALID, { value: s });
  return new Q(s);
}

export function positiveQty(value: string | number | Qty): Qty {
  const q = qty(value);
  if (q.lte(0)) throw new DomainError(QuantityErrors.QUANTITY_NOT_POSITIVE, { value: q.toFixed(3) });
  return q;
}

/** The canonical text of a quantity, e.g. "12.500". */
export function fmtQty(q: Qty | string): string {
  return (typeof q === 'string' ? new Q(q) : q).toFixed(3);
}

/** Multiplies by a conversion factor and insists on an exact 3-decimal result. */
export function convertExact(value: Qty, factor: Qty | string, divide = false): Qty {
  const f = typeof factor === 'string' ? new Q(factor) : factor;
  const r = divide ? value.div(f) : value.mul(f);
  if (!r.eq(r.toDecimalPlaces(3))) throw new DomainError(QuantityErrors.QUANTITY_INEXACT, { value: value.toFixed(3) });
  return r;
}

/** A zod-friendly check for quantity strings in request bodies. */
export const QTY_PATTERN = PATTERN;
