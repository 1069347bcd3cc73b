import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, errorMessage, errorStatus } from './domain-error.js';
import { localiseFields, validationError } from './zod-issues.js';
import { localeFromHeader, type Locale } from '../i18n/locale.js';
import { DataDirLockedError } from '../db/dir-lock.js';

export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance?: string;
  errors?: { field: string; label: string; code: string; message: string }[];
  [k: string]: unknown;
};

/** Builds an RFC 9457 problem document in the request's language. */
export function toProblem(err: DomainError, locale: Locale, instance?: string): Problem {
  const status = errorStatus(err.code);
  const problem: Problem = {
    type: `https://agri-oms.dev/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
    title: err.code,
    status,
    code: err.code,
    detail: errorMessage(err.code, locale, err.params),
    instance,
  };
  if (err.fields.length) {
    problem.errors = localiseFields(err.fields, locale);
    if (err.code === 'VALIDATION_FAILED' && problem.errors[0]) {
      const sep = locale === 'en-US' ? ': ' : ':';
      problem.detail = `${problem.detail} ${problem.errors.map((e) => (e.label ? `${e.label}${sep}${e.message}` : e.message)).join(locale === 'en-US' ? '; ' : ';')}`;
    }
  }
  const extra = err.params.extra;
  if (extra && typeof extra === 'object') Object.assign(problem, extra);
  return problem;
}

function classify(err: FastifyError | Error): DomainError | undefined {
  if (err instanceof DomainError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const ctx = (err as { validationContext?: string }).validationContext;
    return validationError(
      err.validation.map((v) => ({
        keyword: v.keyword,
        path: v.instancePath.replace(/^\//, '').replace(/\//g, '.') || (ctx === 'body' ? '' : (ctx ?? '')),
        message: v.message ?? '',
        params: v.params as Record<string, unknown>,
      })),
    );
  }
  const code = (err as FastifyError).code;
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new DomainError('MALFORMED_JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DomainError('BODY_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new DomainError('UNSUPPORTED_MEDIA_TYPE');
    default:
      break;
  }
  if (err instanceof SyntaxError) return new DomainError('MALFORMED_JSON');
  const status = (err as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return new DomainError('VALIDATION_FAILED', {}, []);
  if ((err as { code?: string }).code === '23505') return new DomainError('CONFLICT');
  return undefined;
}

/** The one place where errors become HTTP responses. */
export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): void {
  const locale = localeFromHeader(req.headers['accept-language']);
  const domain = classify(err);
  if (domain) {
    const problem = toProblem(domain, locale, req.url);
    if (typeof domain.params.retryAfter === 'number') void reply.header('retry-after', String(domain.params.retryAfter));
    void reply.status(problem.status).type('application/problem+json').send(problem);
    return;
  }
  if (err instanceof DataDirLockedError) req.log.error(err.message);
  req.log.error({ err }, 'unhandled error');
  const problem = toProblem(new DomainError('INTERNAL'), locale, req.url);
  void reply.status(500).type('application/problem+json').send(problem);
}

export function notFoundHandler(req: FastifyRequest, reply: FastifyReply): void {
  const locale = localeFromHeader(req.headers['accept-language']);
  const problem = toProblem(new DomainError('ROUTE_NOT_FOUND', { method: req.method, url: req.url.split('?')[0] }), locale, req.url);
  void reply.status(404).type('application/problem+json').send(problem);
}
