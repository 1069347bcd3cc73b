// The import with .js: test/list-url.unit.test.ts type-checks this file under the server's NodeNext resolution.
import { linkWithFilters } from '../../app/list-url.js';

export type QueueKey = 'review' | 'confirm' | 'inspect' | 'qualifications' | 'replenish' | 'stocktakes' | 'inquiries';

/**
 * Each 工作台 queue's filter (of its count's list endpoint) and the list page it opens, with the same filter in its URL
 * (the page reads it, see LIST_URL_FILTERS).
 */
export const QUEUE_LISTS: Record<QueueKey, { query: Record<string, string | number | boolean>; link: string }> = {
  review: { query: {}, link: '/orders/review' },
  confirm: { query: { status: 'needs_confirmation' }, link: linkWithFilters('/orders', { status: 'needs_confirmation' }) },
  inquiries: { query: { status: 'open' }, link: linkWithFilters('/inquiries', { status: 'open' }) },
  // Quarantined lots in stock: the stock list by lot, filtered by quality status.
  inspect: { query: { status: 'quarantined', inStock: true }, link: linkWithFilters('/inventory/stock', { by: 'lot', lotStatus: 'quarantined' }) },
  qualifications: { query: {}, link: '/customers/qualifications' },
  replenish: { query: {}, link: '/inventory/replenishment' },
  stocktakes: { query: { status: 'submitted' }, link: linkWithFilters('/inventory/stocktakes', { status: 'submitted' }) },
};
