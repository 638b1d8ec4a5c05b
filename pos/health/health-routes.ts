/**
 * `GET /api/pos/connections/:connectionId/health`, `GET /api/pos/health` (every connection, the
 * silent ones first) and `GET /api/pos/connections/:connectionId/deliveries` (the inbox, newest
 * first, raw bodies included). Admins only, like the connections themselves.
 */
import type { FastifyInstance } from 'fastify';
import { ConnectionHealthList, ConnectionHealthView, ConnectionIdParams, InboxDeliveriesQuery } from '../../schemas/pos';
import { ADMINS } from '../../server/http/access';
import { HttpProblem } from '../../server/http/problem';
import type { ConnectionStore } from '../connections/connection-store';
import type { InboxStore } from '../inbox/inbox-store';
import { loadHealth } from './connection-health';

export interface HealthDeps {
  readonly connections: ConnectionStore;
  readonly inbox: InboxStore;
  readonly clock: () => Date;
  readonly silentAfterMinutes: number;
}

export async function healthRoutes(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  const access = { roles: ADMINS };

  app.get('/api/pos/health', { config: { access }, schema: { response: { 200: ConnectionHealthList } } }, async () => {
    const items = await Promise.all((await deps.connections.listConnections()).map((c) => loadHealth(deps, c)));
    items.sort((a, b) => Number(b.silent) - Number(a.silent) || a.connectionId.localeCompare(b.connectionId));
    return { silentAfterMinutes: deps.silentAfterMinutes, items };
  });

  app.get<{ Params: { connectionId: string } }>('/api/pos/connections/:connectionId/health', {
    config: { access }, schema: { params: ConnectionIdParams, response: { 200: ConnectionHealthView } },
  }, async (request) => {
    const connection = await deps.connections.getConnection(request.params.connectionId);
    if (!connection) throw new HttpProblem(404, `no POS connection ${request.params.connectionId}`);
    return loadHealth(deps, connection);
  });

  app.get<{ Params: { connectionId: string }; Querystring: { limit?: number } }>('/api/pos/connections/:connectionId/deliveries', {
    config: { access }, schema: { params: ConnectionIdParams, querystring: InboxDeliveriesQuery },
  }, async (request) => {
    const connection = await deps.connections.getConnection(request.params.connectionId);
    if (!connection) throw new HttpProblem(404, `no POS connection ${request.params.connectionId}`);
    return { items: await deps.inbox.listRecent(connection.id, request.query.limit ?? 50) };
  });
}
