/** Suppliers, their prices, and reorder rules. */
import type { FastifyInstance } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { locationCondition, where } from '../../projections/models/scope';
import { fields } from '../../read-api/csv';
import { respond } from '../../read-api/respond';
import { OneQuery, ReorderRulesAnswer, ReorderRulesQuery, SupplierAnswer, SuppliersAnswer, SuppliersQuery, purchasingCommandSchemas as bodies } from '../../schemas/purchasing';
import type { CommandBody } from '../../schemas/types';
import { MANAGERS, assertLocationAccess, visibleLocations } from '../../server/http/access';
import { HttpProblem } from '../../server/http/problem';
import { PURCHASING, type ReorderRuleDoc, type SupplierDoc } from '../projection/collections';
import { answer, columnsFor, costsFor, idParams, routeKit, type PurchasingRouteDeps } from './route-kit';
import { supplierViews } from './views';

export async function supplierRoutes(app: FastifyInstance, deps: PurchasingRouteDeps): Promise<void> {
  const { store, preHandler, read, contextOf } = routeKit(deps);
  // ------------------------------------------------------------ suppliers

  app.post<{ Body: CommandBody<'RegisterSupplier'> }>('/api/suppliers', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['purchasing'], summary: 'Register a supplier', body: bodies.RegisterSupplier },
  }, async (request, reply) => reply.code(201).send(answer(await deps.purchasing.registerSupplier(request.body, contextOf(request)), { id: request.body.id })));

  app.post<{ Params: { id: string }; Body: CommandBody<'SetSupplierPrice'> }>('/api/suppliers/:id/prices', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['purchasing'], summary: 'Set a supplier\'s price of a SKU (MOQ, pack size, preferred)', params: idParams, body: bodies.SetSupplierPrice },
  }, async (request, reply) =>
    reply.code(201).send(answer(await deps.purchasing.setSupplierPrice(request.params.id, request.body, contextOf(request)), { id: request.params.id })));

  app.post<{ Params: { id: string }; Body: CommandBody<'DeactivateSupplier'> }>('/api/suppliers/:id/deactivate', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['purchasing'], summary: 'Deactivate a supplier (its history stays)', params: idParams, body: bodies.DeactivateSupplier },
  }, async (request, reply) =>
    reply.code(201).send(answer(await deps.purchasing.deactivateSupplier(request.params.id, request.body, contextOf(request)), { id: request.params.id })));

  app.get('/api/suppliers', {
    config: read, preHandler,
    schema: { tags: ['purchasing'], summary: 'Suppliers with their prices', querystring: SuppliersQuery, response: { 200: SuppliersAnswer } },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof SuppliersQuery>;
    const position = deps.currentPosition().toString();
    const docs = await store.find<SupplierDoc>(PURCHASING.suppliers, { where: where({ active: q.active }), orderBy: [['_id', 'asc']] });
    const items = costsFor(request, await supplierViews(store, docs));
    const rows = items.flatMap((s) => (s.prices.length ? s.prices : [undefined]).map((p) => ({ ...s, ...p, prices: undefined })));
    return respond(request, reply, { items, position }, {
      name: 'suppliers', rows,
      columns: columnsFor(request, fields<(typeof rows)[number]>('id', 'name', 'email', 'leadTimeDays', 'currency', 'active', 'sku', 'unitCost', 'minOrderQuantity', 'packSize', 'preferred')),
    });
  });

  app.get('/api/suppliers/:id', {
    config: read, preHandler,
    schema: { tags: ['purchasing'], summary: 'One supplier', params: idParams, querystring: OneQuery, response: { 200: SupplierAnswer } },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const doc = await store.get<SupplierDoc>(PURCHASING.suppliers, id);
    if (!doc) throw new HttpProblem(404, `no supplier ${id}`);
    const [view] = await supplierViews(store, [doc]);
    return { ...costsFor(request, view!), position: deps.currentPosition().toString() };
  });

  // ------------------------------------------------------------ reorder rules

  app.put<{ Body: CommandBody<'SetReorderRule'> }>('/api/reorder-rules', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['purchasing'], summary: 'Set the min / max (and target days of cover) of a SKU at a location', body: bodies.SetReorderRule },
  }, async (request, reply) => {
    assertLocationAccess(request, request.body.locationId);
    return reply.code(200).send(answer(await deps.purchasing.setReorderRule(request.body, contextOf(request))));
  });

  app.get('/api/reorder-rules', {
    config: read, preHandler,
    schema: { tags: ['purchasing'], summary: 'Reorder rules', querystring: ReorderRulesQuery, response: { 200: ReorderRulesAnswer } },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof ReorderRulesQuery>;
    if (q.locationId) assertLocationAccess(request, q.locationId);
    const position = deps.currentPosition().toString();
    const docs = await store.find<ReorderRuleDoc>(PURCHASING.rules, {
      where: where({ locationId: locationCondition(visibleLocations(request), q.locationId), sku: q.sku }), orderBy: [['_id', 'asc']],
    });
    const items = docs.map(({ _id, position: _p, ...r }) => r);
    return respond(request, reply, { items, position }, {
      name: 'reorder-rules', rows: items, columns: fields<(typeof items)[number]>('locationId', 'sku', 'min', 'max', 'targetDaysOfCover'),
    });
  });
}
