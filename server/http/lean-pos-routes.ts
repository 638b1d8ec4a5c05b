/**
 * The POS webhook path carries machine-to-machine JSON at till speed: page headers (helmet's
 * CSP, frame, referrer, cross-origin policies) protect browsers rendering pages and cost every
 * webhook a dozen header computations. Routes under `/pos/` skip them. Cookies are parsed only
 * when a request carries any, and CSRF only applies to authenticated routes, so neither costs a
 * public webhook anything. Add on the root instance before the POS routes are registered.
 */
import type { FastifyInstance } from 'fastify';

export function leanPosRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/pos/')) return;
    // @fastify/helmet reads `config.helmet.skipRoute` per request.
    route.config = Object.assign(route.config ?? Object.create(null), { helmet: { skipRoute: true } });
  });
}
