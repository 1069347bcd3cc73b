import crypto from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/client.js';
import { INSTANCE_ID, instanceAlive } from '../db/presence.js';
import { DomainError } from '../errors/domain-error.js';
import { idempotencyKeys } from '../platform.tables.js';
import { openJson, sealJson } from '../crypto/pii.js';

/** A saved answer is stored encrypted: it may hold personal data (a customer's contacts, an order's receiver). */
export const sealResponse = (body: unknown): unknown => sealJson(body);
/** The saved answer in clear (answers saved before encryption are plain JSON, returned as they are). */
export const openResponse = (stored: unknown): unknown => openJson(stored);

/*
 * Idempotency-Key, also across a crash (kill -9, power cut) of the process that was answering:
 * - the first request claims (user, key) in its own statement, naming this process (INSTANCE_ID);
 * - the work's transaction (tx() of the route) writes the answer it is about to give as a provisional answer, so the
 *   answer commits exactly when the work does;
 * - onSend replaces it with the response sent (a 5xx frees a key whose work did not commit, so the client can retry).
 * A retry finding a claim without an answer asks whether its process is alive (this process: still working on it;
 * PGlite: only this process can hold the data directory; PostgreSQL: the claimer's presence connection is listed):
 * alive → IDEMPOTENCY_IN_PROGRESS; dead → its work never committed, so the retry takes the claim and runs.
 * A retry finding an answer replays it — the provisional one too (its work committed, the process died before sending).
 */

/** Claims of this process whose requests are still being answered. */
const inFlight = new Set<string>();
const flightKey = (userId: string, key: string) => `${userId}\u0000${key}`;

/** A claim older than this without a process name (rows from before claims were named) counts as abandoned. */
const UNNAMED_CLAIM_MS = 10 * 60_000;

function bodyHash(body: unknown): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex');
}

type Claim = typeof idempotencyKeys.$inferSelect;

async function claimantAlive(req: FastifyRequest, prev: Claim): Promise<boolean> {
  if (prev.claimedBy === null) return Date.now() - new Date(prev.createdAt).getTime() < UNNAMED_CLAIM_MS;
  if (prev.claimedBy === INSTANCE_ID) return inFlight.has(flightKey(prev.userId, prev.key));
  return instanceAlive(req.server.ctx.db, req.server.ctx.dbKind, prev.claimedBy);
}

function begin(req: FastifyRequest, userId: string, key: string): void {
  inFlight.add(flightKey(userId, key));
  req.idempotency = { userId, key };
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
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ userId, key, route, requestHash: hash, claimedBy: INSTANCE_ID })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted[0]) return begin(req, userId, key);
  const where = and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));
  const [prev] = await db.select().from(idempotencyKeys).where(where);
  if (!prev || prev.route !== route || prev.requestHash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  if (prev.statusCode === null) {
    if (await claimantAlive(req, prev)) throw new DomainError('IDEMPOTENCY_IN_PROGRESS');
    // Its process died before the work committed (a committed work leaves its answer): this retry does the work.
    const taken = await db
      .update(idempotencyKeys)
      .set({ claimedBy: INSTANCE_ID })
      .where(and(where, isNull(idempotencyKeys.statusCode), prev.claimedBy === null ? isNull(idempotencyKeys.claimedBy) : eq(idempotencyKeys.claimedBy, prev.claimedBy)))
      .returning({ key: idempotencyKeys.key });
    if (!taken[0]) throw new DomainError('IDEMPOTENCY_IN_PROGRESS');
    req.log.warn({ route }, 'idempotency: retry takes over a request whose process ended before its work committed');
    return begin(req, userId, key);
  }
  reply.status(prev.statusCode).header('idempotent-replayed', 'true');
  if (prev.provisional) {
    // The work's own result (stored sealed), serialised now by the route's response schema.
    await reply.send(openResponse(prev.response));
    return;
  }
  await reply.type(prev.statusCode >= 400 ? 'application/problem+json' : 'application/json').send(JSON.stringify(openResponse(prev.response)));
}

/** The success status a route answers (the lowest 2xx of its response schema; 200 when none is listed). */
function successStatus(req: FastifyRequest): number {
  const codes = Object.keys((req.routeOptions.schema?.response as Record<string, unknown> | undefined) ?? {})
    .map(Number)
    .filter((c) => c >= 200 && c < 300)
    .sort((a, b) => a - b);
  return codes[0] ?? 200;
}

/**
 * In the work's transaction, just before it commits: records what the request will answer, so that a process that
 * dies between the commit and the answer leaves an answer to replay (tx() calls it for idempotent requests).
 */
export async function recordProvisionalAnswer(db: Db, req: FastifyRequest, result: unknown): Promise<void> {
  const idem = req.idempotency;
  if (!idem) return;
  // Sealed like the final answer: the work's result may hold personal data.
  const response = sealResponse(result === undefined ? null : (JSON.parse(JSON.stringify(result)) as unknown));
  await db
    .update(idempotencyKeys)
    .set({ statusCode: successStatus(req), response, provisional: true })
    .where(and(eq(idempotencyKeys.userId, idem.userId), eq(idempotencyKeys.key, idem.key)));
}

/** onSend: remembers the response of a first request; a 5xx frees the key (unless its work committed) so the client can retry. */
export async function idempotencyOnSend(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  const idem = req.idempotency;
  if (!idem) return payload;
  req.idempotency = null;
  const db = req.server.ctx.db;
  const where = and(eq(idempotencyKeys.userId, idem.userId), eq(idempotencyKeys.key, idem.key));
  try {
    if (reply.statusCode >= 500) {
      // A work that committed keeps its provisional answer: a retry replays it rather than doing the work twice.
      await db.delete(idempotencyKeys).where(and(where, eq(idempotencyKeys.provisional, false)));
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
      .set({ statusCode: reply.statusCode, response: sealResponse(body), provisional: false })
      .where(where);
    return payload;
  } finally {
    inFlight.delete(flightKey(idem.userId, idem.key));
  }
}
