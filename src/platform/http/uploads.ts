import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';

/** The largest file any upload route accepts (routes may set a lower limit of their own). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/**
 * Enables multipart/form-data uploads (one file per request) in the calling route plugin only. @fastify/multipart
 * adds request and response hooks, so it is registered where uploads are accepted (customers, orders, quality)
 * instead of globally, and the other routes do not pay for it.
 */
export async function acceptUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });
}
