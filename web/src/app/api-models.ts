import type { paths } from './api-types';

// Derived from the paths (not from component names) so they survive regenerating api-types.ts.

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Op<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch' | 'delete'> = paths[P] extends Record<M, infer O> ? O : never;
type Ok<O> = O extends { responses: infer R } ? Json<R[200 & keyof R]> | Json<R[201 & keyof R]> : never;
type Body<O> = O extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;

export type ResponseOf<P extends keyof paths, M extends 'get' | 'post' | 'put' | 'patch' | 'delete'> = Ok<Op<P, M>>;
export type RequestBodyOf<P extends keyof paths, M extends 'post' | 'put' | 'patch'> = Body<Op<P, M>>;
export type QueryOf<P extends keyof paths> = Op<P, 'get'> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** Response envelope of every list endpoint. */
export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/** Paths whose GET returns the paginated list envelope. */
export type ListPath = {
  [P in keyof paths]: [ResponseOf<P, 'get'>] extends [never] ? never : ResponseOf<P, 'get'> extends Page<unknown> ? P : never;
}[keyof paths];

export type ListRow<P extends ListPath> = ResponseOf<P, 'get'>['items'][number];

/** A list endpoint's named filters (everything but the paging/sorting/keyword parameters). */
export type ListFilters<P extends ListPath> = Omit<QueryOf<P>, 'page' | 'pageSize' | 'sort' | 'q'>;

export type Me = ResponseOf<'/api/auth/me', 'get'>['user'];
export type Locale = Me['locale'];
export type User = ListRow<'/api/admin/users'>;
export type UserCreate = RequestBodyOf<'/api/admin/users', 'post'>;
export type UserUpdate = RequestBodyOf<'/api/admin/users/{id}', 'patch'>;
export type Role = ResponseOf<'/api/admin/roles', 'get'>['items'][number];
export type PermissionInfo = ResponseOf<'/api/admin/permissions', 'get'>['items'][number];
export type Setting = ResponseOf<'/api/admin/settings', 'get'>['items'][number];
export type SettingValue = Setting['value'];
export type AuditEntry = ListRow<'/api/admin/audit'>;
export type AuditVerifyResult = ResponseOf<'/api/admin/audit/verify', 'post'>;
export type AppNotification = ListRow<'/api/notifications'>;
export type CalendarYear = ResponseOf<'/api/admin/calendar', 'get'>;
export type CalendarDay = CalendarYear['items'][number];
export type CalendarOverride = RequestBodyOf<'/api/admin/calendar/overrides/{date}', 'put'>;
export type ApiToken = ResponseOf<'/api/me/tokens', 'get'>['items'][number];
export type ApiTokenCreated = ResponseOf<'/api/me/tokens', 'post'>;

/** Paging, sorting and keyword parameters shared by every list endpoint. */
export type ListParams = { page?: number; pageSize?: number; sort?: string; q?: string };
