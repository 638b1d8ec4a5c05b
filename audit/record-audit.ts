/**
 * The one call a route makes where a security-relevant action happens:
 *
 *   await recordAudit(request, { action: 'token.revoked', target: `token:${id}` });
 *
 * Who (the principal, or `actor` for a login), from where (IP, user agent) and when are taken
 * here. The trail is the app's `auditTrail` decoration (server/app.ts); an app without one
 * (a capability's own route tests) records nothing.
 */
import type { FastifyRequest } from 'fastify';
import type { AuditInput, AuditVia } from './audit-entry';
import type { AuditTrail } from './audit-trail';

declare module 'fastify' {
  interface FastifyInstance {
    auditTrail?: AuditTrail;
  }
}

export type AuditAction = Pick<AuditInput, 'action' | 'target' | 'before' | 'after' | 'detail'> & {
  /** For requests without a principal (login): who claims to act, and how. */
  readonly actor?: string;
  readonly via?: AuditVia;
};

export async function recordAudit(request: FastifyRequest, action: AuditAction): Promise<void> {
  const trail = request.server.auditTrail;
  if (!trail) return;
  const principal = request.principal;
  const ua = request.headers['user-agent'];
  await trail.record({
    ...action,
    actor: action.actor ?? principal?.username ?? 'anonymous',
    via: action.via ?? principal?.via ?? 'anonymous',
    ip: request.ip,
    userAgent: typeof ua === 'string' ? ua : '',
  });
}
