import { DomainError, FieldCodes, errorMessage, type FieldError, type FieldIssue } from './domain-error.js';
import type { Locale } from '../i18n/locale.js';
import { fieldLabel } from './field-labels.js';

type Issue = { keyword: string; path: string; message: string; params: Record<string, unknown> };

const TYPE_NAMES: Record<string, { zh: string; en: string }> = {
  string: { zh: '文本', en: 'text' },
  number: { zh: '数字', en: 'number' },
  int: { zh: '整数', en: 'integer' },
  boolean: { zh: '布尔值', en: 'boolean' },
  array: { zh: '列表', en: 'list' },
  object: { zh: '对象', en: 'object' },
  date: { zh: '日期', en: 'date' },
};

/** Turns one validator issue into a coded field issue. */
export function issueToField(issue: Issue): FieldIssue {
  const p = issue.params;
  const field = issue.path;
  // A refine() message that is a registered code wins.
  if (/^[A-Z][A-Z0-9_]+$/.test(issue.message)) return { field, code: issue.message, params: p };
  switch (issue.keyword) {
    case 'invalid_type':
      if (p.input === undefined && /received undefined/.test(issue.message)) return { field, code: FieldCodes.FIELD_REQUIRED };
      return { field, code: FieldCodes.FIELD_INVALID_TYPE, params: { expected: String(p.expected) } };
    case 'too_small':
      return p.origin === 'string' || p.origin === 'array'
        ? { field, code: FieldCodes.FIELD_TOO_SHORT, params: { minimum: p.minimum } }
        : { field, code: FieldCodes.FIELD_TOO_SMALL, params: { minimum: p.minimum } };
    case 'too_big':
      return p.origin === 'string' || p.origin === 'array'
        ? { field, code: FieldCodes.FIELD_TOO_LONG, params: { maximum: p.maximum } }
        : { field, code: FieldCodes.FIELD_TOO_BIG, params: { maximum: p.maximum } };
    case 'invalid_format':
      return { field, code: FieldCodes.FIELD_INVALID_FORMAT, params: { format: p.format ?? p.pattern } };
    case 'invalid_value':
      return { field, code: FieldCodes.FIELD_INVALID_VALUE, params: { options: Array.isArray(p.values) ? p.values.join(', ') : '' } };
    case 'unrecognized_keys': {
      const keys = Array.isArray(p.keys) ? (p.keys as string[]) : [];
      return { field: [field, keys.join(',')].filter(Boolean).join('.'), code: FieldCodes.FIELD_UNKNOWN };
    }
    default:
      return { field, code: FieldCodes.FIELD_INVALID };
  }
}

/** Localises field issues; type names inside messages are translated too. */
export function localiseFields(fields: FieldIssue[], locale: Locale): FieldError[] {
  return fields.map((f) => {
    const params = { ...(f.params ?? {}) };
    if (typeof params.expected === 'string' && TYPE_NAMES[params.expected]) {
      const t = TYPE_NAMES[params.expected]!;
      params.expected = locale === 'en-US' ? t.en : t.zh;
    }
    return { field: f.field, label: fieldLabel(f.field, locale), code: f.code, message: errorMessage(f.code, locale, params) };
  });
}

export function validationError(issues: Issue[]): DomainError {
  return new DomainError('VALIDATION_FAILED', {}, issues.map(issueToField));
}

/** Validates a value with a Zod schema outside a route (Excel rows, CLI) and throws a coded error. */
export function zodIssuesToFields(issues: { code: string; path: PropertyKey[]; message: string }[], prefix = ''): FieldIssue[] {
  return issues.map((i) => {
    const { code, path, message, ...rest } = i as { code: string; path: PropertyKey[]; message: string } & Record<string, unknown>;
    return issueToField({ keyword: code, path: [prefix, ...path.map(String)].filter(Boolean).join('.'), message, params: rest });
  });
}
