import type { FastifyReply, FastifyRequest } from 'fastify';
import { defineErrors, DomainError } from '../errors/domain-error.js';

export const SecurityErrors = defineErrors({
  CSRF_REJECTED: {
    status: 403,
    zh: '请求来自其他网站,已被拒绝。请直接在本系统的页面中操作。',
    en: 'The request came from another site and was refused; please use the pages of this application.',
  },
});

const STATE_CHANGING: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function originOf(url: string): string | null {
  try {
    const o = new URL(url).origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
}

/**
 * Cross-site request forgery guard for state-changing requests that a browser could send with the session cookie.
 * A request is refused (403 CSRF_REJECTED) when the browser says it comes from another site:
 * - `Sec-Fetch-Site: same-origin` or `none` (typed by the user) is the browser's own statement and is accepted;
 * - otherwise an `Origin` must be this server's (`protocol://host` of the request, as the proxies in `TRUST_PROXY`
 *   forward it) or the origin of `PUBLIC_BASE_URL`;
 * - a request with neither header is a non-browser client (curl, scripts, tests), which cannot carry a victim's cookie.
 * Requests authenticated with a Bearer token are exempt (a browser never adds one by itself).
 */
export function csrfGuard(publicBaseUrl: string | undefined): (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void {
  const configured = publicBaseUrl ? originOf(publicBaseUrl) : null;
  return (req, _reply, done) => {
    if (!STATE_CHANGING.has(req.method)) return done();
    if (req.headers.authorization?.startsWith('Bearer ')) return done();
    const site = req.headers['sec-fetch-site'];
    if (site === 'same-origin' || site === 'none') return done();
    const origin = req.headers.origin;
    if (origin === undefined && site === undefined) return done();
    if (origin !== undefined) {
      const o = originOf(origin);
      if (o !== null && (o === configured || o === originOf(`${req.protocol}://${req.host}`))) return done();
    }
    done(new DomainError(SecurityErrors.CSRF_REJECTED));
  };
}

/**
 * The Content-Security-Policy of the web app: only our own scripts; inline styles because antd writes them at run
 * time; images also from data: and blob: URLs (QR codes, previews); no framing by other sites.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Security headers on every response (web app, API, errors, not-found): CSP, nosniff, no framing, no referrer; API
 * responses are not stored by browsers or proxies (`Cache-Control: no-store`) unless the route chose its own caching.
 */
export function securityHeaders(req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: Error | null, payload?: unknown) => void): void {
  if (!reply.hasHeader('content-security-policy')) void reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  void reply.header('x-content-type-options', 'nosniff');
  void reply.header('x-frame-options', 'DENY');
  void reply.header('referrer-policy', 'no-referrer');
  if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
  done(null, payload);
}
