import type { FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor.js';
import type { SessionPolicy } from '../auth/auth.service.js';
import type { Config } from '../config.js';
import { inTransaction, type Db, type DbKind } from '../db/client.js';
import { faultPoint } from '../fault.js';
import { recordProvisionalAnswer } from './idempotency.js';
import { DomainError } from '../errors/domain-error.js';
import type { Locale } from '../i18n/locale.js';
import type { Permission } from '../rbac/permissions.js';

/** What every route needs, decorated on the Fastify instance. */
export type AppContext = {
  db: Db;
  dbKind: DbKind;
  config: Config;
  session: SessionPolicy;
  version: string;
};

export type RouteAccess = Permission | 'public' | 'authenticated';

declare module 'fastify' {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  interface FastifyContextConfig {
    /** Required on every route: a permission, 'authenticated' or 'public'. */
    access?: RouteAccess;
    /** Creating POSTs: honour the Idempotency-Key header. */
    idempotent?: boolean;
    /** Open to a user who signed in with a one-time password and has not changed it yet (me, sign-out, the change). */
    duringPasswordChange?: boolean;
  }
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  interface FastifyRequest {
    actor: Actor | null;
    locale: Locale;
    authError: string | null;
    idempotency: { userId: string; key: string } | null;
  }
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  interface FastifyInstance {
    ctx: AppContext;
  }
}

/** The acting user of an authenticated route. */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new DomainError('AUTH_REQUIRED');
  return req.actor;
}

/** Runs one business operation in one transaction (retrying serialization failures). */
export async function tx<T>(req: FastifyRequest, fn: (db: Db, actor: Actor) => Promise<T>): Promise<T> {
  const actor = actorOf(req);
  const result = await inTransaction(req.server.ctx.db, async (db) => {
    const r = await fn(db, actor);
    // An idempotent request's answer commits with its work (a crash before the answer is sent replays it).
    await recordProvisionalAnswer(db, req, r);
    faultPoint('idempotency.before-commit');
    return r;
  });
  faultPoint('idempotency.after-commit');
  return result;
}

export type RouteInfo = { method: string; url: string; access: RouteAccess };
