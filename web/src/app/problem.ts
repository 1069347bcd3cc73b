import type { FormInstance } from 'antd';
import { i18n } from './i18n';
import { getMessageApi } from './feedback';

/** RFC 9457 problem details as the server sends them. */
export type FieldProblem = { field: string; message: string };
export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: FieldProblem[];
};

/** A non-2xx API response, carrying the server's problem document. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isFieldProblem(value: unknown): value is FieldProblem {
  return isRecord(value) && typeof value.field === 'string' && typeof value.message === 'string';
}

/** Normalises whatever an endpoint returned on failure into a Problem. */
export function problemFromBody(body: unknown, status: number, statusText = ''): Problem {
  if (isRecord(body) && typeof body.title === 'string') {
    return {
      type: typeof body.type === 'string' ? body.type : 'about:blank',
      title: body.title,
      status: typeof body.status === 'number' ? body.status : status,
      code: typeof body.code === 'string' ? body.code : `HTTP_${status}`,
      detail: typeof body.detail === 'string' ? body.detail : undefined,
      errors: Array.isArray(body.errors) ? body.errors.filter(isFieldProblem) : undefined,
    };
  }
  return {
    type: 'about:blank',
    title: statusText || i18n.t('errors.generic'),
    status,
    code: `HTTP_${status}`,
    detail: typeof body === 'string' && body.length > 0 && body.length < 500 ? body : undefined,
  };
}

/** Any thrown value as a Problem (network failures become status 0). */
export function toProblem(error: unknown): Problem {
  if (error instanceof ApiError) return error.problem;
  if (isRecord(error) && typeof error.title === 'string' && typeof error.status === 'number') {
    return problemFromBody(error, error.status);
  }
  return {
    type: 'about:blank',
    title: i18n.t('errors.network'),
    status: 0,
    code: 'NETWORK_ERROR',
  };
}

export function problemMessage(problem: Problem): string {
  return problem.detail ?? problem.title;
}

/** Shows an error to the user as a toast. */
export function showError(error: unknown): void {
  getMessageApi().error(problemMessage(toProblem(error)));
}

type FieldName<T> = Parameters<FormInstance<T>['getFieldError']>[0];

function toNamePath(field: string): (string | number)[] {
  return field
    .split('.')
    .filter((part) => part.length > 0)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function registeredFields<T>(form: FormInstance<T>): Set<string> {
  const names = new Set<string>();
  form.getFieldsValue({
    filter: (meta) => {
      if (meta) names.add(meta.name.join('.'));
      return false;
    },
  });
  return names;
}

/**
 * Puts the problem's per-field errors onto the form's fields (`lines.0.quantity`
 * → ['lines', 0, 'quantity']); anything that has no field on this form is shown
 * as a toast. Returns true when at least one field error was placed.
 */
export function applyServerErrors<T>(form: FormInstance<T>, problem: unknown): boolean {
  const normalised = problem instanceof ApiError ? problem.problem : toProblem(problem);
  const known = registeredFields(form);
  const placed: FieldProblem[] = [];
  const leftover: FieldProblem[] = [];
  for (const fieldError of normalised.errors ?? []) {
    (known.has(toNamePath(fieldError.field).join('.')) ? placed : leftover).push(fieldError);
  }

  if (placed.length > 0) {
    const grouped = new Map<string, string[]>();
    for (const { field, message } of placed) {
      const key = toNamePath(field).join('.');
      grouped.set(key, [...(grouped.get(key) ?? []), message]);
    }
    form.setFields(
      [...grouped.entries()].map(([key, errors]) => ({
        name: toNamePath(key) as FieldName<T>,
        errors,
      })),
    );
    form.scrollToField(toNamePath(placed[0].field) as FieldName<T>);
  }

  if (placed.length === 0 || leftover.length > 0) {
    const text = leftover.length > 0 ? leftover.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ') : problemMessage(normalised);
    getMessageApi().error(text);
  }
  return placed.length > 0;
}
