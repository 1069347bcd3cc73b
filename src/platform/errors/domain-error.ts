import { format, pick, type Locale, type Text } from '../i18n/locale.js';

export type ErrorDef = Text & { status: number };

const registry = new Map<string, ErrorDef>();

/** Each module registers its error codes with HTTP status and zh-CN/en-US message templates. */
export function defineErrors<const T extends Record<string, ErrorDef>>(defs: T): { [K in keyof T]: K } {
  const codes = {} as { [K in keyof T]: K };
  for (const [code, def] of Object.entries(defs)) {
    registry.set(code, def);
    (codes as Record<string, string>)[code] = code;
  }
  return codes;
}

/** `field` is the wire path (for forms to place it); `label` names it for people, in their language. */
export type FieldError = { field: string; label: string; code: string; message: string };
export type FieldIssue = { field: string; code: string; params?: Record<string, unknown> };

/** A business rule said no. Services throw it; one HTTP mapper turns it into problem+json. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, unknown> = {},
    readonly fields: FieldIssue[] = [],
  ) {
    super(code);
    this.name = 'DomainError';
  }

  get status(): number {
    return registry.get(this.code)?.status ?? 400;
  }
}

export function errorMessage(code: string, locale: Locale, params: Record<string, unknown> = {}): string {
  const def = registry.get(code);
  return def ? format(pick(def, locale), params) : code;
}

export function errorStatus(code: string): number {
  return registry.get(code)?.status ?? 400;
}

/** Throws when the condition does not hold. */
export function assertOrThrow(cond: unknown, code: string, params?: Record<string, unknown>): asserts cond {
  if (!cond) throw new DomainError(code, params);
}

export const CommonErrors = defineErrors({
  VALIDATION_FAILED: { status: 400, zh: '请求数据有误,请检查标记的字段。', en: 'The request has invalid fields.' },
  MALFORMED_JSON: { status: 400, zh: '请求内容不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型。', en: 'Unsupported content type.' },
  BODY_TOO_LARGE: { status: 413, zh: '请求内容过大。', en: 'The request body is too large.' },
  NOT_FOUND: { status: 404, zh: '资源不存在。', en: 'Not found.' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在:{method} {url}', en: 'No such endpoint: {method} {url}' },
  AUTH_REQUIRED: { status: 401, zh: '请先登录。', en: 'Please sign in.' },
  SESSION_EXPIRED: { status: 401, zh: '会话已过期,请重新登录。', en: 'Your session has expired; please sign in again.' },
  FORBIDDEN: { status: 403, zh: '您没有执行此操作的权限({permission})。', en: 'You do not have permission for this action ({permission}).' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, zh: '该幂等键已用于内容不同的请求。', en: 'This Idempotency-Key was already used with a different request body.' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, zh: '相同幂等键的请求正在处理中,请稍后重试。', en: 'A request with this Idempotency-Key is still being processed.' },
  CONFLICT: { status: 409, zh: '数据已被他人修改,请刷新后重试。', en: 'The record was changed by someone else; reload and retry.' },
  INTERNAL: { status: 500, zh: '服务器内部错误,请稍后重试。', en: 'Internal server error; please retry later.' },
  DUPLICATE: { status: 409, zh: '{field} 已存在。', en: '{field} already exists.' },
});

export const FieldCodes = defineErrors({
  FIELD_REQUIRED: { status: 400, zh: '必填。', en: 'Required.' },
  FIELD_INVALID_TYPE: { status: 400, zh: '类型错误,应为{expected}。', en: 'Wrong type; expected {expected}.' },
  FIELD_TOO_SMALL: { status: 400, zh: '不能小于 {minimum}。', en: 'Must be at least {minimum}.' },
  FIELD_TOO_BIG: { status: 400, zh: '不能大于 {maximum}。', en: 'Must be at most {maximum}.' },
  FIELD_TOO_SHORT: { status: 400, zh: '长度不能少于 {minimum}。', en: 'Must have at least {minimum} characters/items.' },
  FIELD_TOO_LONG: { status: 400, zh: '长度不能超过 {maximum}。', en: 'Must have at most {maximum} characters/items.' },
  FIELD_UNKNOWN: { status: 400, zh: '不允许的字段。', en: 'Unknown field.' },
  FIELD_INVALID_FORMAT: { status: 400, zh: '格式不正确({format})。', en: 'Invalid format ({format}).' },
  FIELD_INVALID_VALUE: { status: 400, zh: '取值无效,可选:{options}。', en: 'Invalid value; allowed: {options}.' },
  FIELD_INVALID: { status: 400, zh: '取值无效。', en: 'Invalid value.' },
  FIELD_INVALID_PHONE: { status: 400, zh: '电话号码格式不正确。', en: 'Invalid phone number.' },
  FIELD_INVALID_USERNAME: { status: 400, zh: '用户名只能包含字母、数字、下划线、点和短横线,长度 3–32。', en: 'Usernames are 3–32 letters, digits, underscores, dots or dashes.' },
  FIELD_CONTROL_CHARS: { status: 400, zh: '不能包含不可见的控制字符(如 NUL)。', en: 'Must not contain invisible control characters (such as NUL).' },
  FIELD_DATE_OUT_OF_RANGE: { status: 400, zh: '日期须在 2000-01-01 至 2100-12-31 之间。', en: 'Dates must be between 2000-01-01 and 2100-12-31.' },
  FIELD_QUANTITY_NOT_POSITIVE: { status: 400, zh: '数量必须大于 0。', en: 'The quantity must be greater than 0.' },
  FIELD_QUANTITY_NEGATIVE: { status: 400, zh: '数量不能为负数。', en: 'The quantity cannot be negative.' },
  FIELD_DATE_IN_FUTURE: { status: 400, zh: '日期不能晚于今天(上海时间)。', en: 'The date cannot be later than today (Shanghai time).' },
  FIELD_INVALID_QUANTITY: { status: 400, zh: '数量必须是最多 3 位小数的数字。', en: 'Quantities are numbers with at most 3 decimals.' },
});
