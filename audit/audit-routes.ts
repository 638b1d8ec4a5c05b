/**
 * `GET /api/audit` for auditors and admins: who did what, when, from where, newest first,
 * filtered by actor, action and time range, paged with an opaque cursor, JSON or CSV.
 */
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { iso } from '../projections/models/keys';
import type { ReadStore } from '../projections/readstore/port';
import { awaitMinPosition, respond, type ConsistencyDeps } from '../read-api/respond';
import { AuditQuery } from '../schemas/audit';
import { AUDITORS } from '../server/http/access';
import { AUDIT, type AuditDoc } from './audit-projection';

export interface AuditRouteDeps extends ConsistencyDeps {
  readonly readStore: ReadStore;
}

export interface AuditItem {
  at: string;
  actor: string;
  action: string;
  target: string;
  ip: string;
  userAgent: string;
  detail: Record<string, unknown>;
}

/** The contract's item: how the actor authenticated and before/after live in `detail`. */
export const auditItem = (d: AuditDoc): AuditItem => ({
  at: d.at, actor: d.actor, action: d.action, target: d.target, ip: d.ip, userAgent: d.userAgent,
  detail: { via: d.via, ...(d.before && { before: d.before }), ...(d.after && { after: d.after }), ...d.detail },
});

export async function auditRoutes(app: FastifyInstance, deps: AuditRouteDeps): Promise<void> {
  app.get<{ Querystring: FromSchema<typeof AuditQuery> }>('/api/audit', {
    config: { access: { roles: AUDITORS } }, preHandler: awaitMinPosition(deps),
    schema: {
      tags: ['audit'], querystring: AuditQuery,
      summary: 'The audit trail of people, newest first: filters actor, action, from, to; `cursor` = the previous page\'s `next`; CSV with Accept: text/csv',
    },
  }, async (request, reply) => {
    const { actor, action, from, to, cursor } = request.query;
    const limit = request.query.limit ?? 100;
    const at = from || to ? { ...(from && { gte: iso(from) }), ...(to && { lte: iso(to) }) } : undefined;
    const docs = await deps.readStore.find<AuditDoc>(AUDIT.log, {
      where: {
        ...(actor !== undefined && { actor }), ...(action !== undefined && { action }), ...(at && { at }),
        ...(cursor !== undefined && { positionKey: { lt: cursor } }),
      },
      orderBy: [['positionKey', 'desc']],
      limit: limit + 1,
    });
    const page = docs.slice(0, limit);
    const items = page.map(auditItem);
    const body = { items, ...(docs.length > limit && { next: page.at(-1)!.positionKey }), position: deps.currentPosition().toString() };
    return respond(request, reply, body, {
      name: 'audit', rows: items,
      columns: [
        ['at', (r) => r.at], ['actor', (r) => r.actor], ['action', (r) => r.action], ['target', (r) => r.target],
        ['ip', (r) => r.ip], ['userAgent', (r) => r.userAgent], ['detail', (r) => r.detail],
      ],
    });
  });
}
