import type { FastifyServerOptions } from 'fastify';
import pino from 'pino';
import { maskPiiField, maskPiiInText } from '../crypto/pii.js';

/** Query parameters whose values are never logged (a search may be a full name or a phone number). */
const SECRET_PARAMS = /^(q|keyword|search|name|phone|mobile|tel|email|receiver|address|contact|prospect.*|token|password|code)$/i;

/** A request URL fit for the log: the values of search-like parameters replaced, phones and e-mails masked everywhere. */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?');
  const path = maskPiiInText(safeDecode(at < 0 ? url : url.slice(0, at)));
  if (at < 0) return path;
  const params = new URLSearchParams(url.slice(at + 1));
  const parts: string[] = [];
  for (const [k, v] of params) parts.push(`${k}=${SECRET_PARAMS.test(k) ? '[redacted]' : maskPiiInText(v)}`);
  return `${path}?${parts.join('&')}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Deep copy of a value logged with a message: personal fields masked by name, phones and e-mails masked in any text. */
function scrubLogged(value: unknown, key = '', depth = 0): unknown {
  if (typeof value === 'string') return maskPiiField(key, value);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error || value instanceof Date || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map((v) => scrubLogged(v, key, depth + 1));
  // Requests and replies go through their own serializers.
  if ('raw' in value || 'socket' in value) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubLogged(v, k, depth + 1);
  return out;
}

type Req = { method: string; url: string; hostname?: string; ip?: string; socket?: { remotePort?: number }; id?: string };

/**
 * The request log's options (R7.3): it never holds a phone number or e-mail address. Credentials and bodies are
 * redacted, search-like query values replaced, and every message, logged object and error text masked.
 */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): NonNullable<Exclude<FastifyServerOptions['logger'], boolean>> {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
        'req.body',
        'body',
        'payload',
        'request.body',
        '*.password',
        '*.phone',
        '*.email',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: Req) => ({ method: req.method, url: loggableUrl(req.url), hostname: req.hostname, remoteAddress: req.ip, remotePort: req.socket?.remotePort }),
      err: (err: Error) => {
        const s = pino.stdSerializers.err(err);
        return { ...s, message: maskPiiInText(s.message ?? ''), stack: maskPiiInText(s.stack ?? '') };
      },
    },
    hooks: {
      logMethod(args, method) {
        const clean = (args as unknown[]).map((a) => (typeof a === 'string' ? maskPiiInText(a) : scrubLogged(a)));
        return method.apply(this, clean as Parameters<typeof method>);
      },
    },
  };
}
