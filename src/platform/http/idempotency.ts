import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error.js';
import { idempotencyKeys } from '../platform.tables.js';
import { openJson, sealJson } from '../crypto/pii.js';

/** A saved answer is stored encrypted: it may hold personal data (a customer's contacts, an order's receiver). */
export const sealResponse = (body: unknown): unknown => sealJson(body);
/** The saved answer in clear (answers saved before encryption are plain JSON, returned as they are). */
export const openResponse = (stored: unknown): unknown => openJson(stored);

function bodyHash(body: unknown): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
}

/** preHandler: replays the first response for a repeated key; a reused key with another body is 422. */
export async function idempotencyPreHandler(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  req.idempotency = null;
  const key = req.headers['idempotency-key'];
  if (!req.routeOptions.config.idempotent || typeof key !== 'string' || !key) return;
  if (key.length > 200) throw new DomainError('VALIDATION_FAILED', {}, [{ field: 'Idempotency-Key', code: 'FIELD_TOO_LONG', params: { maximum: 200 } }]);
  const userId = req.actor?.userId ?? 'anonymous';
  const route = `${req.method} ${req.routeOptions.url}`;
  const hash = bodyHash(req.body);
  const db = req.server.ctx.db;
  const inserted = await db.insert(idempotencyKeys).values({ userId, key, route, requestHash: hash }).onConflictDoNothing().returning({ key: idempotencyKeys.key });
  if (inserted[0]) {
    req.idempotency = { userId, key };
    return;
  }
  const [prev] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key)));
  if (!prev || prev.route !== route || prev.requestHash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  if (prev.statusCode === null) throw new DomainError('IDEMPOTENCY_IN_PROGRESS');
  await reply
    .status(prev.statusCode)
    .header('idempotent-replayed', 'true')
    .type(prev.statusCode >= 400 ? 'application/problem+json' : 'application/json')
    .send(JSON.stringify(openResponse(prev.response)));
}

/** onSend: remembers the response of a first request; a 5xx frees the key so the client can retry. */
export async function idempotencyOnSend(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const idem = req.idempotency;
  if (!idem) return payload;
  req.idempotency = null;
  const db = req.server.ctx.db;
  const where = and(eq(idempotencyKeys.userId, idem.userId), eq(idempotencyKeys.key, idem.key));
  if (reply.statusCode >= 500) {
    await db.delete(idempotencyKeys).where(where);
    return payload;
  }
  let body: unknown;
  try {
    body = typeof payload === 'string' ? JSON.parse(payload) : null;
  } catch {
    body = null;
  }
  await db
    .update(idempotencyKeys)
    .set({ statusCode: reply.statusCode, response: sealResponse(body) })
    .where(where);
  return payload;
}
