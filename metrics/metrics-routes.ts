/**
 * `GET /metrics` (Prometheus text format), for admins (a Prometheus job authenticates with an
 * admin API token: docs/operations.md), and the few hooks that feed the instruments. Every
 * hook only observes: nothing here changes an answer or the order of anything.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ConnectionStore } from '../pos/connections/connection-store';
import { ADMINS } from '../server/http/access';
import type { EventStore } from '../write-side/eventstore/port';
import { registerCollectors, type CollectorDeps } from './collectors';
import { createMetrics, type Metrics } from './registry';

const WEBHOOK_ROUTE = '/pos/:connectionId/webhook';
const SSE_ROUTES: Readonly<Record<string, string>> = { '/api/stream': 'stock', '/api/catalog/stream': 'catalog' };

/** Times every append of this event store (the instance's `append` is wrapped in place). */
export function observeAppends(eventStore: EventStore, metrics: Metrics): void {
  const append = eventStore.append.bind(eventStore);
  eventStore.append = async (...args) => {
    const end = metrics.append.startTimer();
    try {
      const result = await append(...args);
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      end({ outcome: 'error' });
      throw error;
    }
  };
}

/** POS kind of a connection id, remembered once known (connections never change kind). */
function kindsOf(connections: ConnectionStore): (id: string) => Promise<string> {
  const known = new Map<string, string>();
  return async (id) => {
    const cached = known.get(id);
    if (cached) return cached;
    const connection = await connections.getConnection(id).catch(() => undefined);
    if (!connection) return 'unknown'; // not remembered: a stranger's ids must not grow the map
    known.set(id, connection.kind);
    return connection.kind;
  };
}

export async function metricsRoutes(app: FastifyInstance, deps: CollectorDeps): Promise<Metrics> {
  const metrics = createMetrics();
  registerCollectors(metrics, deps);
  observeAppends(deps.eventStore, metrics);
  const kindOf = kindsOf(deps.connections);

  app.addHook('onResponse', async (request: FastifyRequest, reply) => {
    if (request.routeOptions.url !== WEBHOOK_ROUTE) return;
    const seconds = reply.elapsedTime / 1000; // measured before the kind lookup below
    const kind = await kindOf((request.params as { connectionId?: string }).connectionId ?? '');
    metrics.webhookAck.observe({ kind, status: `${Math.floor(reply.statusCode / 100)}xx` }, seconds);
  });
  // After the access check (an earlier onRequest hook): only admitted clients count.
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    const stream = request.method === 'GET' ? SSE_ROUTES[request.routeOptions.url ?? ''] : undefined;
    if (!stream) return;
    metrics.sseClients.inc({ stream });
    reply.raw.once('close', () => metrics.sseClients.dec({ stream }));
  });

  app.get('/metrics', { config: { access: { roles: ADMINS } }, schema: { description: 'Metric names and the alerts worth setting: docs/operations.md' } }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
  return metrics;
}
