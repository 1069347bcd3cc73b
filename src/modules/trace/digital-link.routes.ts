import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { safeString } from '../../platform/http/schemas.js';
import type { Db } from '../../platform/db/client.js';
import { DomainError } from '../../platform/errors/domain-error.js';
import { isValidGtin, productIdsByGtin14 } from '../catalog/index.js';
import { listLots } from '../inventory/index.js';
import { gtin14 } from './events.service.js';
import { TraceErrors } from './trace.errors.js';
import { traceCodes } from './trace.tables.js';

/**
 * The trace code of the lot a GS1 Digital Link names (`/01/<GTIN>/10/<lot>`), or null. GTINs of 8, 12, 13 or 14
 * digits are accepted and compared as GTIN-14; a bad check digit resolves to nothing. Only lots that already have
 * a trace code (a label or certificate was printed for them) resolve: lot codes are guessable, trace codes are not.
 */
export async function resolveDigitalLink(db: Db, gtin: string, lotCode: string): Promise<string | null> {
  if (!isValidGtin(gtin) || !lotCode || lotCode.length > 60) return null;
  const g14 = gtin14(gtin);
  for (const productId of await productIdsByGtin14(db, g14)) {
    const page = await listLots(db, { productId, q: lotCode, page: 1, pageSize: 200 });
    const lot = page.items.find((l) => l.lotCode === lotCode);
    if (!lot) continue;
    const [tc] = await db.select({ code: traceCodes.code }).from(traceCodes).where(eq(traceCodes.lotId, lot.id));
    if (tc) return tc.code;
  }
  return null;
}

// Loose on purpose: a malformed link is "not found" (404), not a validation error.
const dlParams = z.object({ gtin: safeString(), lot: safeString() });
const dlSerialParams = dlParams.extend({ serial: safeString() });

/**
 * GS1 Digital Link resolver at the site root, where the label QR codes point
 * (`<PUBLIC_BASE_URL>/01/<GTIN-14>/10/<lot>?11=…&17=…`): 302 to the public trace page `/t/<code>`.
 * Unknown links get the same friendly page as an unknown trace code, with status 404.
 * Mounted outside the /api prefix (see the skip-override flag below).
 */
const plugin: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const notFound = (reply: FastifyReply, gtin: string, lot: string) => {
    // With the web app built, the SPA shows its public "not found" trace page; without it, a problem+json 404.
    const r = reply as FastifyReply & { sendFile?: (file: string) => FastifyReply };
    if (typeof r.sendFile === 'function') return r.code(404).type('text/html').sendFile('index.html');
    throw new DomainError(TraceErrors.TRACE_CODE_NOT_FOUND, { code: `01/${gtin}/10/${lot}` });
  };
  const resolve = async (params: { gtin: string; lot: string }, reply: FastifyReply) => {
    const code = await resolveDigitalLink(ctx.db, params.gtin, params.lot);
    if (!code) return notFound(reply, params.gtin, params.lot);
    return reply.header('cache-control', 'no-store').redirect(`/t/${code}`, 302);
  };
  const schema = { hide: true } as const;
  app.get('/01/:gtin/10/:lot', { config: { access: 'public' }, schema: { ...schema, params: dlParams } }, async (req, reply) => resolve(req.params, reply));
  // A serialised item resolves to its lot's page (traceability here is per lot).
  app.get('/01/:gtin/10/:lot/21/:serial', { config: { access: 'public' }, schema: { ...schema, params: dlSerialParams } }, async (req, reply) => resolve(req.params, reply));
};

/** Registered like the other module routes but runs in the root scope, so the /api prefix does not apply. */
export const digitalLinkRoutes: FastifyPluginAsyncZod = Object.assign(plugin, { [Symbol.for('skip-override')]: true });
