/**
 * Purchasing over HTTP (CONTRACT.md, Purchasing): suppliers, prices, reorder rules, purchase
 * orders (JSON and CSV), on order, suggestions and the suggestion actions. Every route declares
 * its roles; location-scoped roles act only at their locations. Domain errors name the field at
 * fault (field-problems.ts), in this plugin's scope only.
 */
import type { FastifyInstance } from 'fastify';
import { installFieldProblems } from './field-problems';
import { orderRoutes } from './order-routes';
import type { PurchasingRouteDeps } from './route-kit';
import { suggestionRoutes } from './suggestion-routes';
import { supplierRoutes } from './supplier-routes';

export type { PurchasingRouteDeps } from './route-kit';

export async function purchasingRoutes(parent: FastifyInstance, deps: PurchasingRouteDeps): Promise<void> {
  await parent.register(async (app) => {
    installFieldProblems(app);
    await supplierRoutes(app, deps);
    await orderRoutes(app, deps);
    await suggestionRoutes(app, deps);
  });
}
