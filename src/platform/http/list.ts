import { asc, desc, type AnyColumn, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { safeString } from './schemas.js';
import { DomainError } from '../errors/domain-error.js';

/** Pages beyond these answer 400 (FIELD_TOO_BIG on page) instead of making the database skip that many rows. */
export const MAX_PAGE = 10_000;
export const MAX_LIST_OFFSET = 200_000;

/** The one list convention: ?page=1&pageSize=20&sort=-createdAt,name&q=keyword plus named filters. */
export const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(MAX_PAGE).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  sort: safeString().max(200).optional(),
  q: safeString().trim().max(100).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
}

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/** Turns "sort=-createdAt,name" into ORDER BY terms over an allow-list of columns. */
export function orderByOf(sort: string | undefined, columns: Record<string, AnyColumn | SQL>, fallback: SQL[]): SQL[] {
  if (!sort) return fallback;
  const out: SQL[] = [];
  for (const raw of sort.split(',')) {
    const term = raw.trim();
    if (!term) continue;
    const descending = term.startsWith('-');
    const key = descending ? term.slice(1) : term;
    const col = columns[key];
    if (!col) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'sort', code: 'FIELD_INVALID_VALUE', params: { options: Object.keys(columns).join(', ') } }]);
    out.push(descending ? desc(col) : asc(col));
  }
  return out.length ? [...out, ...fallback] : fallback;
}

/** Rows to skip for a page; a page that starts beyond MAX_LIST_OFFSET rows is a 400 naming `page` and its maximum for this page size. */
export function offsetOf(q: { page: number; pageSize: number }): number {
  const offset = (q.page - 1) * q.pageSize;
  if (offset > MAX_LIST_OFFSET) {
    throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'page', code: 'FIELD_TOO_BIG', params: { maximum: Math.floor(MAX_LIST_OFFSET / q.pageSize) + 1 } }]);
  }
  return offset;
}

/** Query-string boolean: "true"/"false"/"1"/"0". */
export const qsBool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const idParam = z.object({ id: z.uuid() });
