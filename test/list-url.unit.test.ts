import { describe, expect, it } from 'vitest';
import { filtersFromUrl, LIST_URL_FILTERS, linkWithFilters } from '../web/src/app/list-url.js';
import { QUEUE_LISTS } from '../web/src/pages/dashboard/queues.js';

const QUEUES = Object.entries(QUEUE_LISTS).map(([key, q]) => ({ key, ...q }));

/** What a list page opened by a link reads from it: the filters its LIST_URL_FILTERS entry names. */
function opened(link: string): { path: string; filters: Record<string, string | string[]>; params: URLSearchParams } {
  const url = new URL(link, 'http://app.local');
  const spec = (LIST_URL_FILTERS as Record<string, Record<string, 'text' | 'list'>>)[url.pathname];
  return { path: url.pathname, filters: filtersFromUrl(url.searchParams, spec), params: url.searchParams };
}

describe('工作台 queue links open their list with the queue filter', () => {
  it('every queue whose count is filtered links to a list page that reads that filter from its URL', () => {
    for (const q of QUEUES.filter((x) => Object.keys(x.query).length > 0)) {
      const { path, filters } = opened(q.link);
      expect(LIST_URL_FILTERS, `${q.key}: ${path} reads no filter from its URL`).toHaveProperty([path]);
      expect(Object.keys(filters).length, `${q.key}: ${q.link} carries no filter`).toBeGreaterThan(0);
    }
  });

  it('each link carries the same filter as the queue count', () => {
    const byKey = new Map(QUEUES.map((q) => [q.key, opened(q.link)]));
    expect(byKey.get('confirm')).toMatchObject({ path: '/orders', filters: { status: ['needs_confirmation'] } });
    expect(byKey.get('inquiries')).toMatchObject({ path: '/inquiries', filters: { status: 'open' } });
    expect(byKey.get('stocktakes')).toMatchObject({ path: '/inventory/stocktakes', filters: { status: 'submitted' } });
    const inspect = byKey.get('inspect')!;
    expect(inspect).toMatchObject({ path: '/inventory/stock', filters: { lotStatus: 'quarantined' } });
    expect(inspect.params.get('by')).toBe('lot');
    // The count's own filter equals the one in the link.
    for (const key of ['confirm', 'inquiries', 'stocktakes'] as const) {
      const q = QUEUES.find((x) => x.key === key)!;
      expect([byKey.get(key)!.filters.status].flat().join(','), key).toBe(q.query.status);
    }
  });
});

describe('list filters read from the URL', () => {
  it('reads only the filters the page names, a list filter split on commas, empty values left out', () => {
    const search = new URLSearchParams('status=draft,needs_confirmation&q=&other=x&channel=');
    expect(filtersFromUrl(search, { status: 'list', q: 'text', channel: 'text' })).toEqual({ status: ['draft', 'needs_confirmation'] });
    expect(filtersFromUrl(new URLSearchParams('status=open'), { status: 'text' })).toEqual({ status: 'open' });
    expect(filtersFromUrl(search, undefined)).toEqual({});
  });

  it('builds a link with its filters as the query, and the bare path without any', () => {
    expect(linkWithFilters('/orders', { status: 'needs_confirmation' })).toBe('/orders?status=needs_confirmation');
    expect(linkWithFilters('/orders/review')).toBe('/orders/review');
  });
});
