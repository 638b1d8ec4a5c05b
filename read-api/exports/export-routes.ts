/**
 * Bulk exports (issue 21): movements, stock at an instant, daily sales and the raw event log,
 * over any range and any size, as CSV or NDJSON, streamed with constant memory, gzip on
 * request, resumable from any row's `cursor`. Column lists: columns.ts and docs/exports.md.
 * Bad filters are refused before the first byte (400 problem+json naming the field).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { iso } from '../../projections/models/keys';
import type { ReadStore } from '../../projections/readstore/port';
import { DailySalesExportQuery, EventsExportQuery, MovementsExportQuery, StockExportQuery } from '../../schemas/exports';
import { assertLocationAccess, AUDITORS, canSeeCosts, READERS, visibleLocations } from '../../server/http/access';
import { HttpProblem } from '../../server/http/problem';
import type { EventStore } from '../../write-side/eventstore/port';
import { loadNames } from '../names';
import { awaitMinPosition, type ConsistencyDeps } from '../respond';
import { dailySalesColumns, eventColumns, movementColumns, stockColumns } from './columns';
import { decodeExportCursor } from './cursor';
import { sendExport } from './export-format';
import { dailySalesRows, eventRows, movementRows, stockRows, type Window } from './sources';

export interface ExportDeps extends ConsistencyDeps {
  readonly readStore: ReadStore;
  readonly eventStore: EventStore;
  /** ISO 4217 code of every amount (`IMS_CURRENCY`). */
  readonly currency: string;
  readonly clock?: () => Date;
}

const CSV_OR_NDJSON = {
  200: {
    description: 'The rows, streamed (gzip when Accept-Encoding allows). Every row carries `cursor`: pass it back to resume after that row.',
    content: {
      'text/csv': { schema: { type: 'string' } },
      'application/x-ndjson': { schema: { type: 'string' } },
    },
  },
} as const;

type Filters = { locationId?: string; sku?: string; from?: string; to?: string; cursor?: string; limit?: number };

/** Normalised instants, `from` not after `to`, the caller's locations. */
function windowOf(request: FastifyRequest, q: Filters, after: string | undefined): Window {
  if (q.locationId) assertLocationAccess(request, q.locationId);
  const from = q.from === undefined ? undefined : iso(q.from);
  const to = q.to === undefined ? undefined : iso(q.to);
  if (from !== undefined && to !== undefined && from > to) {
    throw new HttpProblem(400, '`from` is after `to`', { errors: [{ instancePath: '/from', keyword: 'range', message: 'must not be after `to`' }] });
  }
  return {
    scope: visibleLocations(request),
    ...(q.locationId ? { locationId: q.locationId } : {}), ...(q.sku ? { sku: q.sku } : {}),
    ...(from ? { from } : {}), ...(to ? { to } : {}), ...(after ? { after } : {}), ...(q.limit ? { limit: q.limit } : {}),
  };
}

export async function exportRoutes(app: FastifyInstance, deps: ExportDeps): Promise<void> {
  const preHandler = awaitMinPosition(deps);
  const readers = { access: { roles: READERS } };
  const now = deps.clock ?? (() => new Date());

  app.get('/api/exports/movements', {
    config: readers, preHandler,
    schema: { description: 'Columns: docs/exports.md#movements. Log order; `from`/`to` filter on occurredAt.', querystring: MovementsExportQuery, response: CSV_OR_NDJSON },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof MovementsExportQuery>;
    const window = windowOf(request, q, decodeExportCursor('m', q.cursor));
    const upTo = deps.currentPosition();
    const names = await loadNames(deps.readStore);
    return sendExport(request, reply, { name: 'movements', position: upTo.toString(), columns: movementColumns(names), rows: movementRows(deps.readStore, window, upTo) });
  });

  app.get('/api/exports/stock', {
    config: readers, preHandler,
    schema: { description: 'Columns: docs/exports.md#stock. One row per location and SKU, as of `asOf` (default now).', querystring: StockExportQuery, response: CSV_OR_NDJSON },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof StockExportQuery>;
    const window = windowOf(request, q, decodeExportCursor('s', q.cursor));
    const at = q.asOf === undefined ? undefined : iso(q.asOf);
    const names = await loadNames(deps.readStore);
    const columns = stockColumns(names, { at: at ?? now().toISOString(), costs: canSeeCosts(request), currency: deps.currency });
    return sendExport(request, reply, { name: 'stock', position: deps.currentPosition().toString(), columns, rows: stockRows(deps.readStore, window, at) });
  });

  app.get('/api/exports/daily-sales', {
    config: readers, preHandler,
    schema: { description: 'Columns: docs/exports.md#daily-sales. UTC days whose midnight lies in [from, to).', querystring: DailySalesExportQuery, response: CSV_OR_NDJSON },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof DailySalesExportQuery>;
    const window = windowOf(request, q, decodeExportCursor('d', q.cursor));
    const names = await loadNames(deps.readStore);
    const costs = canSeeCosts(request);
    return sendExport(request, reply, {
      name: 'daily-sales', position: deps.currentPosition().toString(),
      columns: dailySalesColumns(names, { currency: deps.currency }), rows: dailySalesRows(deps.readStore, window, costs),
    });
  });

  app.get('/api/exports/events', {
    config: { access: { roles: AUDITORS } },
    schema: { description: 'Columns: docs/exports.md#events. Position order; `from`/`to` filter on recordedAt.', querystring: EventsExportQuery, response: CSV_OR_NDJSON },
  }, async (request, reply) => {
    const q = request.query as FromSchema<typeof EventsExportQuery>;
    const window = windowOf(request, q, decodeExportCursor('e', q.cursor));
    const upTo = await deps.eventStore.headPosition();
    return sendExport(request, reply, { name: 'events', position: upTo.toString(), columns: eventColumns(), rows: eventRows(deps.eventStore, window, upTo) });
  });
}
