import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { DomainError, defineErrors, type FieldIssue } from '../errors/domain-error.js';
import { defineSetting, getSetting } from '../settings/settings.service.js';

export const InputErrors = defineErrors({
  FIELD_QUANTITY_TOO_BIG: {
    status: 400,
    zh: '数量 {value} 超过合理上限 {maximum}(系统参数“数量上限”),请检查是否多输了位数。',
    en: 'Quantity {value} is above the sanity limit {maximum} (setting "Quantity limit"); check for extra digits.',
  },
});

export const MaxQuantity = defineSetting({
  key: 'input.maxQuantity',
  module: 'platform',
  type: 'number',
  default: 1_000_000,
  min: 1,
  max: 99_999_999_999,
  label: { zh: '数量上限', en: 'Quantity limit' },
  description: {
    zh: '任何单行数量(订单行、收货、移库、调整、盘点、检验)不得超过此值,防止多输位数。',
    en: 'No single quantity (order line, receipt, move, adjustment, count, inspection) may exceed this; catches extra digits.',
  },
});

/** A body key that holds a quantity: `quantity`, `countedQuantity`, `minQuantity`… */
const isQuantityKey = (k: string): boolean => k === 'quantity' || k.endsWith('Quantity');

function collect(value: unknown, path: string, out: { field: string; value: number; text: string }[], depth = 0): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => collect(v, path ? `${path}.${i}` : String(i), out, depth + 1));
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const field = path ? `${path}.${k}` : k;
    if (isQuantityKey(k) && (typeof v === 'string' || typeof v === 'number')) {
      const n = Number(v);
      if (Number.isFinite(n)) out.push({ field, value: n, text: String(v).trim() });
    } else collect(v, field, out, depth + 1);
  }
}

/** Field issues for quantities above the configured sanity maximum (Excel rows and other non-HTTP input use this). */
export async function quantityLimitIssues(db: Db, quantities: { field: string; value: number | string }[]): Promise<FieldIssue[]> {
  if (!quantities.length) return [];
  const max = await getSetting(db, MaxQuantity);
  return quantities
    .filter((q) => Math.abs(Number(q.value)) > max)
    .map((q) => ({ field: q.field, code: InputErrors.FIELD_QUANTITY_TOO_BIG, params: { value: String(q.value), maximum: max } }));
}

/**
 * Every request body's quantities, wherever they are (`lines.3.quantity`, `countedQuantity`), stay within the sanity
 * maximum: one check for all routes, a 400 naming each field. Runs after schema validation; bodies without a
 * quantity cost one walk and no setting read.
 */
export async function quantityBounds(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (req.method === 'GET' || !req.body || typeof req.body !== 'object') return;
  const found: { field: string; value: number; text: string }[] = [];
  collect(req.body, '', found);
  if (!found.length) return;
  const issues = await quantityLimitIssues(
    req.server.ctx.db,
    found.map((f) => ({ field: f.field, value: f.text })),
  );
  if (issues.length) throw new DomainError('VALIDATION_FAILED', {}, issues);
}
