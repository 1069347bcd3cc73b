import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { recordAudit } from './platform/audit/audit.service.js';
import { cachedSession, resolveApiToken, resolveSession } from './platform/auth/auth.service.js';
import { clock } from './platform/clock.js';
import { trustProxyOption, type Config } from './platform/config.js';
import type { Database } from './platform/db/client.js';
import { DomainError } from './platform/errors/domain-error.js';
import { errorHandler, notFoundHandler } from './platform/errors/http.js';
import { controlCharFields } from './platform/http/control-chars.js';
import { errorResponses, fileResponse } from './platform/http/schemas.js';
import type { AppContext, RouteInfo } from './platform/http/context.js';
import { idempotencyOnSend, idempotencyPreHandler } from './platform/http/idempotency.js';
import { loggerOptions } from './platform/http/log.js';
import { setDecryptFailureLog } from './platform/crypto/pii.js';
import { quantityBounds } from './platform/http/input-bounds.js';
import { csrfGuard, securityHeaders } from './platform/http/security.js';
import { serializerCompiler } from './platform/http/serializer.js';
import { localeFromHeader } from './platform/i18n/locale.js';
import { platformRoutes } from './platform/platform.routes.js';
import { moduleRoutes } from './modules/index.js';

export const SESSION_COOKIE = 'agri_sid';
export const VERSION: string = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/dist');

const BOOT_ID = crypto.randomUUID().slice(0, 8);
let requestSeq = 0;

export type BuildOptions = {
  database: Database;
  config: Config;
  logger?: boolean;
  /** Where the log goes (stdout unless given; tests capture it). */ logStream?: NodeJS.WritableStream;
};

/** Builds the HTTP application: conventions, security hooks, OpenAPI, platform and module routes, the web app. */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { database, config } = opts;
  const app = Fastify({
    // Never a phone number or e-mail address in the log (loggerOptions: redaction, masked URLs, messages and errors).
    logger: opts.logger || opts.logStream ? loggerOptions(config.logLevel, opts.logStream) : false,
    bodyLimit: config.bodyLimitBytes,
    // X-Forwarded-* only from the proxies named in TRUST_PROXY (default none): anyone else could fake an address.
    trustProxy: trustProxyOption(config.trustProxy),
    // Unique across instances and restarts (a random boot prefix), cheaper than a UUID per request.
    genReqId: () => `${BOOT_ID}-${(++requestSeq).toString(36)}`,
    requestIdHeader: 'x-request-id',
  }).withTypeProvider<ZodTypeProvider>();

  const ctx: AppContext = {
    db: database.db,
    dbKind: database.kind,
    config,
    session: { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours },
    version: VERSION,
  };
  app.decorate('ctx', ctx);
  // A stored value the key cannot open reads as a placeholder and is reported here (never a 500).
  if (opts.logger || opts.logStream) setDecryptFailureLog((info, msg) => app.log.error(info, msg));
  app.decorateRequest('actor', null);
  app.decorateRequest('locale', 'zh-CN');
  app.decorateRequest('authError', null);
  app.decorateRequest('idempotency', null);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(cookie);
  // Bodies are JSON (or multipart on upload routes): a cross-site form can send text/plain without a preflight.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', csrfGuard(config.publicBaseUrl));
  app.addHook('onSend', securityHeaders);

  const routeTable: RouteInfo[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    const url = route.url;
    const isApi = url.startsWith('/api/');
    const pluginRoute = url.startsWith('/api/docs') || !isApi;
    route.config = route.config ?? {};
    if (!route.config.access) {
      if (!pluginRoute) throw new Error(`Route ${String(route.method)} ${url} declares no access (permission, 'authenticated' or 'public')`);
      route.config.access = 'public';
    }
    if (route.config.idempotent) {
      // Only creating POSTs pay for the Idempotency-Key lookup.
      const asArray = <T>(h: T | T[] | undefined): T[] => (h === undefined ? [] : Array.isArray(h) ? h : [h]);
      route.preHandler = [...asArray(route.preHandler), idempotencyPreHandler];
      route.onSend = [...asArray(route.onSend), idempotencyOnSend];
    }
    // Every status code a route can answer is in the OpenAPI document: the standard problem responses (400 … 422)
    // are documented on every API route, beside those it declares itself.
    if (isApi && !pluginRoute && route.schema && !route.schema.hide) {
      const own = (route.schema.response ?? {}) as Record<string, unknown>;
      const files = Object.keys(own).some((code) => code.startsWith('2')) ? {} : { 200: fileResponse };
      route.schema.response = { ...files, ...own, ...Object.fromEntries(Object.entries(errorResponses).filter(([code]) => !(code in own))) };
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) if (m !== 'HEAD' && isApi && !url.startsWith('/api/docs')) routeTable.push({ method: m, url, access: route.config.access });
  });

  /** Resolves the credentials of a request (session cookie or Bearer token) and checks the route's access. */
  const authenticate = async (req: FastifyRequest, access: RouteInfo['access'] | undefined): Promise<void> => {
    const info = { ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null, locale: req.locale };
    const authz = req.headers.authorization;
    const sid = req.cookies[SESSION_COOKIE];
    if (authz?.startsWith('Bearer ')) {
      const r = await resolveApiToken(ctx.db, clock, authz.slice(7).trim(), info);
      if ('actor' in r) req.actor = r.actor;
      else req.authError = r.error;
    } else if (sid) {
      const r = await resolveSession(ctx.db, clock, ctx.session, sid, info);
      if ('actor' in r) req.actor = r.actor;
      else req.authError = r.error;
    }
    adoptLocale(req);
    if (!access || access === 'public') return;
    if (!req.actor) throw new DomainError(req.authError ?? 'AUTH_REQUIRED');
    passwordGate(req);
    if (access !== 'authenticated' && !req.actor.permissions.has(access)) {
      await recordAudit(ctx.db, req.actor, { action: 'auth.denied', entity: 'route', entityId: `${req.method} ${req.routeOptions.url}`, after: { permission: access } });
      throw new DomainError('FORBIDDEN', { permission: access });
    }
  };
  /** A one-time password opens only the routes marked duringPasswordChange until the user has chosen their own. */
  const passwordGate = (req: FastifyRequest): void => {
    if (req.actor?.mustChangePassword && !req.routeOptions.config?.duringPasswordChange) throw new DomainError('AUTH_PASSWORD_CHANGE_REQUIRED');
  };
  const adoptLocale = (req: FastifyRequest): void => {
    if (req.actor && !req.headers['accept-language']) req.locale = req.actor.locale;
    if (req.actor) req.actor.locale = req.locale;
  };
  // Synchronous on the common path (a cached session allowed on the route, or a public route without credentials):
  // no promise per request. Everything else goes through authenticate().
  app.addHook('onRequest', (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    req.locale = localeFromHeader(req.headers['accept-language']);
    const access = req.routeOptions.config?.access;
    if (!req.headers.authorization) {
      const sid = req.cookies[SESSION_COOKIE];
      const open = !access || access === 'public';
      if (!sid && open) return done();
      const actor = sid ? cachedSession(clock, ctx.session, sid, { ip: req.ip ?? null, userAgent: null, locale: req.locale }) : null;
      if (actor && !actor.mustChangePassword && (!access || access === 'public' || access === 'authenticated' || actor.permissions.has(access))) {
        req.actor = actor;
        adoptLocale(req);
        return done();
      }
    }
    authenticate(req, access).then(() => done(), done);
  });

  // Safety net behind the schemas' safeString(): a control character anywhere in the path, the query string or a JSON
  // body string (a field a schema forgot, a record key, a free-form value) is a 400 naming the field, never a 500 from
  // the database. The URL test is one regular expression; only a hit (or a parsed body) is walked.
  app.addHook('preValidation', (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    const fields = controlCharFields(req.url, req.params, req.query, req.body);
    if (fields.length) return done(new DomainError('VALIDATION_FAILED', {}, fields));
    done();
  });

  // Quantities within the configured sanity maximum, on every route (after schema validation, before idempotency).
  app.addHook('preHandler', quantityBounds);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'AgriOMS API', description: '农产品订单运营管理系统 API. Errors are RFC 9457 problem+json; see docs/api.md.', version: VERSION },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(platformRoutes, { prefix: '/api' });
  for (const plugin of moduleRoutes) await app.register(plugin, { prefix: '/api' });

  const hasWeb = fs.existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false });
  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api/') && !path.extname(req.url.split('?')[0] ?? '')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return notFoundHandler(req, reply);
  });

  return app;
}

declare module 'fastify' {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  interface FastifyInstance {
    routeTable: RouteInfo[];
  }
}
