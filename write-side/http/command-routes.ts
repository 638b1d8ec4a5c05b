/**
 * The write side over HTTP (CONTRACT.md, Commands): each route validates its body with the
 * schema from `schemas/commands.ts`, checks the caller's roles (`config.access`) and location
 * scope, hands a command to `StockCommands` and answers 201 with the position of the last event.
 * Also the raw event log for auditors (`GET /api/events`).
 *
 * Errors are thrown and translated to problem+json by the shared error handler.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { commandSchemas } from '../../schemas/commands';
import { NoBody, position as positionSchema } from '../../schemas/common';
import type { CommandBody } from '../../schemas/types';
import { ADMINS, AUDITORS, MANAGERS, OPERATORS, actorOf, assertLocationAccess } from '../../server/http/access';
import { readTransfer } from '../commands/service';
import type { CommandContext, CommandResult, StockCommands } from '../commands/types';
import { NotFound } from '../domain/errors';
import { parsePosition, positionToString, type EventStore } from '../eventstore/port';

export interface CommandRouteDeps {
  readonly commands: StockCommands;
  readonly eventStore: EventStore;
  /** Injected for tests; default the wall clock. */
  readonly clock?: () => Date;
}

const MAX_EVENTS_PAGE = 1000;
const correlationHeader = /^[A-Za-z0-9._:/-]{1,200}$/;

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' } },
} as const;

const eventsQuery = {
  type: 'object',
  properties: {
    fromPosition: { ...positionSchema, default: '0' },
    limit: { type: 'integer', minimum: 1, maximum: MAX_EVENTS_PAGE, default: 100 },
  },
} as const;

const answer = (r: CommandResult, ids: Record<string, string> = {}) => ({
  ...ids,
  position: positionToString(r.position),
  ...(r.duplicate && { duplicate: true }),
});

export async function commandRoutes(app: FastifyInstance, deps: CommandRouteDeps): Promise<void> {
  const { commands, eventStore } = deps;
  const clock = deps.clock ?? (() => new Date());

  const contextOf = (request: FastifyRequest): CommandContext => {
    const header = request.headers['x-correlation-id'];
    const correlationId = typeof header === 'string' && correlationHeader.test(header) ? header : request.id;
    return { actor: actorOf(request), source: 'api', correlationId, now: clock() };
  };

  /** The transfer's plan, for the location checks of /transfers/{id}/… (404 when unknown). */
  const transferOf = async (id: string) => {
    const transfer = await readTransfer(eventStore, id);
    if (!transfer.created) throw new NotFound(`unknown transfer ${id}`, 'unknown-transfer');
    return transfer;
  };

  app.post<{ Body: CommandBody<'RegisterLocation'> }>('/api/locations', {
    config: { access: { roles: ADMINS } },
    schema: { tags: ['commands'], summary: 'Register a store or warehouse', body: commandSchemas.RegisterLocation },
  }, async (request, reply) => {
    const result = await commands.registerLocation(request.body, contextOf(request));
    return reply.code(201).send(answer(result, { id: request.body.id }));
  });

  app.post<{ Body: CommandBody<'RegisterProduct'> }>('/api/products', {
    config: { access: { roles: ADMINS } },
    schema: { tags: ['commands'], summary: 'Register a product (sku)', body: commandSchemas.RegisterProduct },
  }, async (request, reply) => {
    const result = await commands.registerProduct(request.body, contextOf(request));
    return reply.code(201).send(answer(result, { sku: request.body.sku }));
  });

  app.put<{ Body: CommandBody<'SetReorderPoint'> }>('/api/reorder-points', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['commands'], summary: 'Set the reorder point of a sku at a location', body: commandSchemas.SetReorderPoint },
  }, async (request, reply) => {
    assertLocationAccess(request, request.body.locationId);
    const result = await commands.setReorderPoint(request.body, contextOf(request));
    return reply.code(200).send(answer(result));
  });

  app.post<{ Body: CommandBody<'ReceiveStock'> }>('/api/stock/receipts', {
    config: { access: { roles: OPERATORS } },
    schema: { tags: ['commands'], summary: 'Receive stock from a supplier', body: commandSchemas.ReceiveStock },
  }, async (request, reply) => {
    assertLocationAccess(request, request.body.locationId);
    const { receiptId, ...result } = await commands.receiveStock(request.body, contextOf(request));
    return reply.code(201).send(answer(result, { receiptId }));
  });

  app.post<{ Body: CommandBody<'AdjustStock'> }>('/api/stock/adjustments', {
    config: { access: { roles: OPERATORS } },
    schema: { tags: ['commands'], summary: 'Adjust stock (damage, shrinkage, found...)', body: commandSchemas.AdjustStock },
  }, async (request, reply) => {
    assertLocationAccess(request, request.body.locationId);
    const { adjustmentId, ...result } = await commands.adjustStock(request.body, contextOf(request));
    return reply.code(201).send(answer(result, { adjustmentId }));
  });

  app.post<{ Body: CommandBody<'CountStock'> }>('/api/stock/counts', {
    config: { access: { roles: OPERATORS } },
    schema: { tags: ['commands'], summary: 'Record a physical count (sets the balance as of countedAt)', body: commandSchemas.CountStock },
  }, async (request, reply) => {
    assertLocationAccess(request, request.body.locationId);
    const { countId, ...result } = await commands.countStock(request.body, contextOf(request));
    return reply.code(201).send(answer(result, { countId }));
  });

  app.post<{ Body: CommandBody<'RecordSale'> }>('/api/stock/sales', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['commands'], summary: 'Enter a sale by hand (never refused for stock)', body: commandSchemas.RecordSale },
  }, async (request, reply) => {
    assertLocationAccess(request, request.body.locationId);
    const result = await commands.recordSale(request.body, contextOf(request));
    return reply.code(201).send(answer(result));
  });

  app.post<{ Body: CommandBody<'RecordReturn'> }>('/api/stock/returns', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['commands'], summary: 'Enter a customer return by hand', body: commandSchemas.RecordReturn },
  }, async (request, reply) => {
    assertLocationAccess(request, request.body.locationId);
    const result = await commands.recordReturn(request.body, contextOf(request));
    return reply.code(201).send(answer(result));
  });

  app.post<{ Body: CommandBody<'CreateTransfer'> }>('/api/transfers', {
    config: { access: { roles: MANAGERS } },
    schema: { tags: ['commands'], summary: 'Plan a transfer between two locations', body: commandSchemas.CreateTransfer },
  }, async (request, reply) => {
    assertLocationAccess(request, request.body.fromLocationId);
    const { id, ...result } = await commands.createTransfer(request.body, contextOf(request));
    return reply.code(201).send(answer(result, { id }));
  });

  app.post<{ Params: { id: string } }>('/api/transfers/:id/dispatch', {
    config: { access: { roles: MANAGERS } },
    
    schema: { tags: ['commands'], summary: 'Dispatch a transfer (stock leaves the origin)', params: idParams, body: NoBody },
  }, async (request, reply) => {
    const transfer = await transferOf(request.params.id);
    assertLocationAccess(request, transfer.fromLocationId);
    const result = await commands.dispatchTransfer(request.params.id, contextOf(request));
    return reply.code(201).send(answer(result, { id: request.params.id }));
  });

  app.post<{ Params: { id: string }; Body: CommandBody<'ReceiveTransfer'> }>('/api/transfers/:id/receive', {
    config: { access: { roles: OPERATORS } },
    
    schema: { tags: ['commands'], summary: 'Receive a transfer, fully or partially', params: idParams, body: commandSchemas.ReceiveTransfer },
  }, async (request, reply) => {
    const transfer = await transferOf(request.params.id);
    assertLocationAccess(request, transfer.toLocationId);
    const result = await commands.receiveTransfer(request.params.id, request.body, contextOf(request));
    return reply.code(201).send(answer(result, { id: request.params.id }));
  });

  app.post<{ Params: { id: string }; Body: CommandBody<'CancelTransfer'> }>('/api/transfers/:id/cancel', {
    config: { access: { roles: MANAGERS } },
    
    schema: { tags: ['commands'], summary: 'Cancel a transfer that has not been dispatched', params: idParams, body: commandSchemas.CancelTransfer },
  }, async (request, reply) => {
    const transfer = await transferOf(request.params.id);
    assertLocationAccess(request, transfer.fromLocationId);
    const result = await commands.cancelTransfer(request.params.id, request.body, contextOf(request));
    return reply.code(201).send(answer(result, { id: request.params.id }));
  });

  app.get<{ Querystring: { fromPosition: string; limit: number } }>('/api/events', {
    config: { access: { roles: AUDITORS } },
    schema: { tags: ['audit'], summary: 'The raw event log, from a position (inclusive)', querystring: eventsQuery },
  }, async (request) => {
    const from = parsePosition(request.query.fromPosition);
    const limit = request.query.limit;
    const after = from > 0n ? from - 1n : 0n;
    const events = await eventStore.readAll({ after, maxCount: limit });
    const last = events.at(-1);
    return {
      events: events.map((e) => ({
        position: positionToString(e.position),
        streamId: e.streamId,
        revision: positionToString(e.revision),
        type: e.type,
        data: e.data,
        metadata: e.metadata,
      })),
      // A full page may have more behind it: continue from the next position.
      ...(last && events.length === limit && { nextPosition: positionToString(last.position + 1n) }),
    };
  });
}
