import createClient, { createQuerySerializer, type Middleware } from 'openapi-fetch';
import type { ListFilters, ListParams, ListPath, ListRow, Page } from './api-models';
import type { paths } from './api-types';
import { currentLanguage } from './i18n';
import { ApiError, problemFromBody } from './problem';

export const api = createClient<paths>({ baseUrl: '', credentials: 'include' });

/** The calls whose 401 means "not logged in yet" rather than "session expired". */
const AUTH_PROBES: ReadonlySet<string> = new Set(['/api/auth/me', '/api/auth/login']);

function redirectToLogin(): void {
  const here = window.location.pathname + window.location.search;
  if (window.location.pathname !== '/login') {
    window.location.assign(`/login?next=${encodeURIComponent(here)}`);
  }
}

let unauthorizedHandler: () => void = redirectToLogin;

/** Lets the auth provider handle an expired session in-app instead of a full reload. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler ?? redirectToLogin;
}

function pathOf(url: string): string {
  return new URL(url, window.location.origin).pathname;
}

function handleStatus(url: string, status: number): void {
  if (status === 401 && !AUTH_PROBES.has(pathOf(url))) unauthorizedHandler();
}

const sessionMiddleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', currentLanguage());
    return request;
  },
  onResponse({ request, response }) {
    handleStatus(request.url, response.status);
    return response;
  },
};

api.use(sessionMiddleware);

type ApiResult<T> = { data?: T; error?: unknown; response: Response };

/** Returns the data of an openapi-fetch call, or throws ApiError with the server's problem. */
export async function unwrap<T>(call: Promise<ApiResult<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) {
    throw new ApiError(problemFromBody(error, response.status, response.statusText));
  }
  return data as T;
}

/** For endpoints answering 204. */
export async function unwrapVoid(call: Promise<ApiResult<unknown>>): Promise<void> {
  const { error, response } = await call;
  if (!response.ok || error !== undefined) {
    throw new ApiError(problemFromBody(error, response.status, response.statusText));
  }
}

/** The same query-string encoding openapi-fetch uses, for URLs built by hand (exports). */
export const serializeQuery = createQuerySerializer<Record<string, unknown>>();

/** fetch() for non-JSON endpoints (file downloads), with the same headers and 401 handling. */
export async function rawFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Accept-Language', currentLanguage());
  const response = await fetch(url, { ...init, headers, credentials: 'include' });
  handleStatus(url, response.status);
  if (!response.ok) {
    const type = response.headers.get('content-type') ?? '';
    const body: unknown = type.includes('json') ? await response.json().catch(() => null) : await response.text();
    throw new ApiError(problemFromBody(body, response.status, response.statusText));
  }
  return response;
}

function fileNameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const encoded = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain filename
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : fallback;
}

/** Downloads a file through the session and saves it under the server's file name. */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  const response = await rawFetch(url);
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.download = fileNameFrom(response.headers.get('content-disposition'), fallbackName);
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(href), 0);
}

/** GET a paginated list endpoint; the path constraint guarantees the `{items,total,page,pageSize}` envelope. */
export async function fetchList<P extends ListPath>(endpoint: P, query: ListFilters<P> & ListParams): Promise<Page<ListRow<P>>> {
  // openapi-fetch cannot resolve init/response types while the path is still a type parameter
  const get = api.GET as unknown as (url: string, init: { params: { query: object } }) => Promise<ApiResult<unknown>>;
  const data = await unwrap(get(endpoint, { params: { query } }));
  return data as Page<ListRow<P>>;
}
