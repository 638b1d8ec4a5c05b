/**
 * The read API (CONTRACT.md, Reads). Every route is open to READERS and narrowed to the
 * caller's locations; asking for another location explicitly is a 403. Every route accepts
 * `minPosition` (read-your-writes) and `format=csv`, and every answer carries `position`.
 */
import type { FastifyInstance } from 'fastify';
import { analyticsRoutes } from './analytics-routes';
import { catalogRoutes } from './catalog-routes';
import type { ReadRouteDeps } from './read-deps';
import { stockRoutes } from './stock-routes';

export type { ReadRouteDeps } from './read-deps';

export async function readRoutes(app: FastifyInstance, deps: ReadRouteDeps): Promise<void> {
  await stockRoutes(app, deps);
  await analyticsRoutes(app, deps);
  await catalogRoutes(app, deps);
}
