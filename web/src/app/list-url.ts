/**
 * Filters carried in a list page's URL (`/orders?status=needs_confirmation`), so that a link (the 工作台's queues)
 * opens the list already filtered. Pure functions: no React, unit-tested in test/list-url.unit.test.ts.
 */

/** How a list page reads one filter from its URL: one value, or a comma-separated list (a multiple select). */
export type UrlFilterKind = 'text' | 'list';
export type UrlFilters = Readonly<Record<string, UrlFilterKind>>;

/** The filters `spec` names, read from the URL's query; absent or empty ones are left out. */
export function filtersFromUrl(search: URLSearchParams, spec: UrlFilters | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, kind] of Object.entries(spec ?? {})) {
    const raw = search.get(key)?.trim();
    if (!raw) continue;
    out[key] = kind === 'list' ? raw.split(',').filter(Boolean) : raw;
  }
  return out;
}

/** A page's path with its filters as the URL query (`/orders?status=needs_confirmation`). */
export function linkWithFilters(path: string, filters: Readonly<Record<string, string | number | boolean>> = {}): string {
  const query = new URLSearchParams(Object.entries(filters).map(([k, v]) => [k, String(v)])).toString();
  return query ? `${path}?${query}` : path;
}

/** The filters each list page reads from its URL, by the page's path (the pages pass theirs to ListPage's `urlFilters`). */
export const LIST_URL_FILTERS = {
  '/orders': { status: 'list' },
  '/inquiries': { status: 'text' },
  '/inventory/stock': { lotStatus: 'text' },
  '/inventory/stocktakes': { status: 'text' },
} as const satisfies Record<string, UrlFilters>;
