/**
 * `GET /api/pos/quarantine`, `POST /api/pos/quarantine/:id/retry`, `POST /api/pos/quarantine/retry-all`.
 * Managers see and retry the items of connections that map into their locations.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NoBody } from '../../schemas/common';
import { IdParams, QuarantineQuery } from '../../schemas/pos';
import { MANAGERS, visibleLocations } from '../../server/http/access';
import { HttpProblem } from '../../server/http/problem';
import type { QuarantineItem } from '../connections/connection-store';
import type { ProcessDeps } from '../processing/process-delivery';
import { outcomeBody } from '../webhook/webhook-routes';
import { retryAllQuarantined, retryQuarantined } from './quarantine-retry';

/** What the API shows of an item: the raw payload is included (it holds no secret). */
const view = (item: QuarantineItem) => item;

function visibility(deps: ProcessDeps, request: FastifyRequest): (item: QuarantineItem) => Promise<boolean> {
  const scope = visibleLocations(request);
  if (scope === 'all') return async () => true;
  const cache = new Map<string, boolean>();
  return async (item) => {
    if (!cache.has(item.connectionId)) {
      const connection = await deps.store.getConnection(item.connectionId);
      cache.set(item.connectionId, !!connection && Object.values(connection.locationMap).some((l) => scope.includes(l)));
    }
    return cache.get(item.connectionId)!;
  };
}

export async function quarantineRoutes(app: FastifyInstance, deps: ProcessDeps): Promise<void> {
  const access = { roles: MANAGERS };

  app.get<{ Querystring: { status?: 'open' | 'released' | 'all'; connectionId?: string; limit?: number } }>('/api/pos/quarantine', {
    config: { access }, schema: { querystring: QuarantineQuery },
  }, async (request) => {
    const { status = 'open', connectionId, limit = 200 } = request.query;
    const visible = visibility(deps, request);
    const items = await deps.store.listQuarantine({ ...(status !== 'all' && { status }), ...(connectionId && { connectionId }), limit });
    const shown: QuarantineItem[] = [];
    for (const item of items) if (await visible(item)) shown.push(item);
    return { items: shown.map(view) };
  });

  app.post<{ Params: { id: string } }>('/api/pos/quarantine/:id/retry', {
    config: { access }, schema: { params: IdParams, body: NoBody },
  }, async (request) => {
    const existing = await deps.store.getQuarantine(request.params.id);
    if (!existing || !(await visibility(deps, request)(existing))) throw new HttpProblem(404, `no quarantined item ${request.params.id}`);
    const { item, outcome } = await retryQuarantined(deps, existing.id) as { item: QuarantineItem; outcome?: Parameters<typeof outcomeBody>[0] };
    return { item: view(item), ...(outcome && { outcome: outcomeBody(outcome).body }) };
  });

  app.post<{ Querystring: { connectionId?: string } }>('/api/pos/quarantine/retry-all', {
    config: { access }, schema: { querystring: QuarantineQuery, body: NoBody },
  }, async (request) => {
    const items = await retryAllQuarantined(deps, {
      visible: visibility(deps, request),
      ...(request.query.connectionId && { connectionId: request.query.connectionId }),
    });
    const released = items.filter((i) => i.status === 'released').length;
    return { retried: items.length, released, stillOpen: items.length - released, items: items.map(view) };
  });
}
