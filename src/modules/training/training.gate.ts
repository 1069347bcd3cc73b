import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorOf } from '../../platform/http/context.js';
import type { Permission } from '../../platform/rbac/permissions.js';
import { requireCompetency } from './training.service.js';

/**
 * The permissions whose gated actions can be configured to need a certificate (a certificate type lists any of them):
 * signing off an inspection, releasing a lot (after a hold such as a temperature excursion), reviewing orders and
 * approving stocktakes.
 */
export const GATED_PERMISSIONS = ['quality:inspect', 'lots:status', 'orders:review', 'inventory:approve'] as const satisfies readonly Permission[];
export type GatedPermission = (typeof GATED_PERMISSIONS)[number];

/**
 * Route hook for a gated action: runs right after the route's permission check and before its body is validated,
 * refusing with 403 COMPETENCY_REQUIRED (naming the certificate) when the user holds no valid certificate of a type
 * configured to gate the permission. `when` narrows the gate to some requests of the route (e.g. releases only).
 */
export function competencyGate(permission: GatedPermission, when?: (req: FastifyRequest) => boolean) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (when && !when(req)) return;
    await requireCompetency(req.server.ctx.db, actorOf(req), permission);
  };
}
